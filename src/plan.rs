//! Plan: the Site turned into a sorted list of output jobs. Every file the build writes is one
//! job, so output is deterministic, path collisions are caught before anything is written, and
//! internal links are checked against the exact set of files the build will produce.

pub mod reads;
pub mod share;
pub mod sitemap;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use crate::diag::Diagnostic;
use crate::markdown::{normalize_path, LinkTarget};
use crate::site::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FeedFormat {
    Rss,
    Atom,
}

impl FeedFormat {
    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Atom => "atom.xml",
        }
    }
}

/// Whose articles a feed lists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FeedScope {
    Site,
    Section(usize),
    Term { taxonomy: usize, term: usize },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JobKind {
    Home,
    /// `pager` is 1-based.
    Section {
        section: usize,
        pager: usize,
        pagers: usize,
    },
    Page(usize),
    /// A page in another language (`Site::translations`).
    Translation(usize),
    TaxonomyList(usize),
    Term {
        taxonomy: usize,
        term: usize,
        pager: usize,
        pagers: usize,
    },
    Feed {
        scope: FeedScope,
        format: FeedFormat,
    },
    /// `sitemap.xml` listing every page (under the protocol's limits, [`sitemap`]).
    Sitemap,
    /// `sitemap.xml` as a sitemap index naming the numbered files.
    SitemapIndex(Vec<sitemap::IndexEntry>),
    /// `sitemap-N.xml`: the sitemap's pages `start..end` (in the order of the whole list).
    SitemapPart {
        start: usize,
        end: usize,
    },
    Robots,
    NotFound,
    /// A redirect page from an old address (`aliases`).
    Alias {
        to: String,
    },
    Copy {
        src: PathBuf,
        /// `src` is never changed in place (a photo cache entry: written once, under a name
        /// that hashes its bytes), so the output may be a hard link to it, and a previous
        /// output linked to the same file is unchanged without reading it.
        immutable: bool,
    },
    /// Pages and files generated from activity data.
    AreaList,
    Area {
        area: usize,
        pager: usize,
        pagers: usize,
    },
    ProjectList,
    Project(usize),
    /// A document section's table filtered by one value of a facet
    /// (`van-ban/loai/quyet-dinh/`); `value` indexes the section's `Table::facets[facet]`.
    DocFilter {
        section: usize,
        facet: crate::site::van_ban::Facet,
        value: usize,
    },
    Overview,
    OpenDataIndex,
    ReportCsv(usize),
    DataJson,
    /// `/tim-kiem/`.
    SearchPage,
    /// A file whose bytes were produced while planning (the search index).
    Bytes(std::sync::Arc<Vec<u8>>),
    /// A page's share card (PNG), drawn from what the card shows.
    ShareCard(Box<crate::plan::share::Card>),
}

#[derive(Debug, Clone)]
pub struct Job {
    /// Output file path relative to the output directory, `/`-separated.
    pub output: String,
    pub kind: JobKind,
    /// Source file shown in messages about this job.
    pub source: Option<String>,
}

impl Job {
    /// Site path readers see for an HTML job (`tin-tuc/a/` for `tin-tuc/a/index.html`).
    pub fn site_path(&self) -> String {
        match self.output.strip_suffix("index.html") {
            Some(dir) => dir.to_string(),
            None => self.output.clone(),
        }
    }

    pub fn is_html_page(&self) -> bool {
        !matches!(
            self.kind,
            JobKind::Copy { .. }
                | JobKind::Feed { .. }
                | JobKind::Sitemap
                | JobKind::SitemapIndex(_)
                | JobKind::SitemapPart { .. }
                | JobKind::Robots
                | JobKind::ReportCsv(_)
                | JobKind::DataJson
                | JobKind::Bytes(_)
                | JobKind::ShareCard(_)
        )
    }

    /// Whether the sitemap lists this job.
    pub fn in_sitemap(&self) -> bool {
        self.is_html_page() && !matches!(self.kind, JobKind::Alias { .. } | JobKind::NotFound)
    }
}

/// Path of pager page `n` (1-based) of a listing at `base` (`tin-tuc/`).
pub fn pager_path(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}trang/{n}/")
    }
}

fn pagers(count: usize, per: usize) -> usize {
    count.div_ceil(per.max(1)).max(1)
}

/// Jobs writing the search index `files`, refusing (like [`plan`]) a path another job already
/// produces, case-insensitively. Sorted by output path, like the plan.
pub fn index_jobs<B>(jobs: &[Job], files: B) -> (Vec<Job>, Vec<Diagnostic>)
where
    B: IntoIterator<Item = (String, std::sync::Arc<Vec<u8>>)>,
{
    let taken = taken_paths(jobs);
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (path, bytes) in files {
        if let Some(d) = index_collision(&taken, &path) {
            diags.push(d);
            continue;
        }
        out.push(Job {
            output: path,
            kind: JobKind::Bytes(bytes),
            source: None,
        });
    }
    out.sort_by(|a, b| a.output.cmp(&b.output));
    (out, diags)
}

/// The search index files already written at `paths` that clash with a job's output (the
/// build fails then, and its staging folder is dropped).
pub fn index_collisions(jobs: &[Job], paths: &[String]) -> Vec<Diagnostic> {
    let taken = taken_paths(jobs);
    paths
        .iter()
        .filter_map(|p| index_collision(&taken, p))
        .collect()
}

/// Every job's output, lower-cased (file systems that ignore case), and its source.
fn taken_paths(jobs: &[Job]) -> HashMap<String, Option<&str>> {
    jobs.iter()
        .map(|j| (j.output.to_lowercase(), j.source.as_deref()))
        .collect()
}

fn index_collision(taken: &HashMap<String, Option<&str>>, path: &str) -> Option<Diagnostic> {
    let src = taken.get(&path.to_lowercase())?;
    let what = src.unwrap_or("(trang tự sinh)").to_string();
    Some(
        Diagnostic::error(format!(
            "hai nguồn cùng tạo ra tệp \"{path}\": {what} và (chỉ mục tìm kiếm)"
        ))
        .in_file(what)
        .hint("đổi tên tệp hoặc thư mục: tim-kiem/chi-muc/ dành cho chỉ mục tìm kiếm"),
    )
}

/// The sorted job list, plus problems (collisions, unsafe alias paths): every output file but the search index, which the caller builds beside the pages
/// ([`index_jobs`]): it depends only on the model, and building it while the pages render keeps
/// both cores busy.
pub fn plan(site: &Site) -> (Vec<Job>, Vec<Diagnostic>) {
    let mut jobs = Vec::new();
    let mut diags = Vec::new();
    jobs.push(Job {
        output: "index.html".into(),
        kind: JobKind::Home,
        source: Some(
            site.sections
                .iter()
                .find(|s| s.section.dir.is_empty())
                .map(|s| s.section.source.display.clone())
                .unwrap_or_default(),
        ),
    });
    section_jobs(site, &mut jobs, &mut diags);
    page_jobs(site, &mut jobs, &mut diags);
    for (ti, t) in site.translations.iter().enumerate() {
        let src = Some(t.page.source.display.clone());
        jobs.push(Job {
            output: html(&t.page.path),
            kind: JobKind::Translation(ti),
            source: src.clone(),
        });
        for (asset, name) in &t.page.assets {
            copy_job(
                site,
                asset,
                format!("{}{}", t.page.path, name),
                &src,
                &mut jobs,
            );
        }
    }
    taxonomy_jobs(site, &mut jobs);
    feed_jobs("", FeedScope::Site, None, &mut jobs);
    if let Some(data) = &site.data {
        data_jobs(site, data, &mut jobs);
    }
    site_wide_jobs(site, &mut jobs);
    let mut jobs = without_duplicates(site, jobs, &mut diags);
    // cards come from the pages that survived, so a page's clash is reported once, not again
    // for its card; a card that clashes with a file of the site is still reported
    share_jobs(site, &mut jobs);
    let mut jobs = without_duplicates(site, jobs, &mut diags);
    jobs.sort_by(|a, b| a.output.cmp(&b.output));
    // last: the sitemap lists the pages that survived, in their final order
    sitemap::split(site, &mut jobs, &mut diags);
    (jobs, diags)
}

fn html(path: &str) -> String {
    format!("{path}index.html")
}

/// Feeds in both formats for one scope, at `base` + the format's file name.
fn feed_jobs(base: &str, scope: FeedScope, source: Option<String>, jobs: &mut Vec<Job>) {
    for format in [FeedFormat::Rss, FeedFormat::Atom] {
        jobs.push(Job {
            output: format!("{base}{}", format.file_name()),
            kind: JobKind::Feed {
                scope: scope.clone(),
                format,
            },
            source: source.clone(),
        });
    }
}

/// Each section's listing pages and feeds, the files beside its `_index.md`, its aliases.
fn section_jobs(site: &Site, jobs: &mut Vec<Job>, diags: &mut Vec<Diagnostic>) {
    for (si, s) in site.sections.iter().enumerate() {
        let src = Some(s.section.source.display.clone());
        if !s.section.dir.is_empty() {
            let per = site.section_per_page(si);
            let n = pagers(s.pages.len(), per);
            for pager in 1..=n {
                jobs.push(Job {
                    output: html(&pager_path(&s.section.path, pager)),
                    kind: JobKind::Section {
                        section: si,
                        pager,
                        pagers: n,
                    },
                    source: src.clone(),
                });
            }
            if let Some(table) = site.documents.tables.get(&si) {
                for (facet, values) in &table.facets {
                    for (value, v) in values.iter().enumerate() {
                        jobs.push(Job {
                            output: html(&crate::paths::doc_filter_path(
                                &s.section.path,
                                facet.segment(),
                                &v.slug,
                            )),
                            kind: JobKind::DocFilter {
                                section: si,
                                facet: *facet,
                                value,
                            },
                            source: src.clone(),
                        });
                    }
                }
            }
            if s.section.meta.feed && !s.pages.is_empty() {
                feed_jobs(&s.section.path, FeedScope::Section(si), src.clone(), jobs);
            }
        }
        for (asset, site_path) in &s.section.assets {
            copy_job(site, asset, site_path.clone(), &src, jobs);
        }
        alias_jobs(
            site,
            &s.section.meta.aliases,
            &s.section.path,
            &s.section.source.display,
            |o| s.section.source.display.clone() + o,
            jobs,
            diags,
        );
    }
}

/// Each article, the files of its bundle, its aliases.
fn page_jobs(site: &Site, jobs: &mut Vec<Job>, diags: &mut Vec<Diagnostic>) {
    for (pi, p) in site.pages.iter().enumerate() {
        let src = Some(p.source.display.clone());
        jobs.push(Job {
            output: html(&p.path),
            kind: JobKind::Page(pi),
            source: src.clone(),
        });
        for (asset, name) in &p.assets {
            copy_job(site, asset, format!("{}{}", p.path, name), &src, jobs);
        }
        alias_jobs(
            site,
            &p.meta.aliases,
            &p.path,
            &p.source.display,
            |o| o.to_string(),
            jobs,
            diags,
        );
    }
}

/// Each taxonomy's list of terms, each term's listing pages and (when configured) feeds.
fn taxonomy_jobs(site: &Site, jobs: &mut Vec<Job>) {
    for (ti, t) in site.taxonomies.iter().enumerate() {
        if t.terms.is_empty() {
            continue;
        }
        jobs.push(Job {
            output: html(&format!("{}/", t.config.slug)),
            kind: JobKind::TaxonomyList(ti),
            source: Some("config.toml".into()),
        });
        let per = t.config.paginate_by.unwrap_or(site.config.raw.paginate_by);
        for (term_i, term) in t.terms.iter().enumerate() {
            let base = t.term_path(term);
            let n = pagers(term.pages.len(), per);
            for pager in 1..=n {
                jobs.push(Job {
                    output: html(&pager_path(&base, pager)),
                    kind: JobKind::Term {
                        taxonomy: ti,
                        term: term_i,
                        pager,
                        pagers: n,
                    },
                    source: None,
                });
            }
            if t.config.feed {
                let scope = FeedScope::Term {
                    taxonomy: ti,
                    term: term_i,
                };
                feed_jobs(&base, scope, None, jobs);
            }
        }
    }
}

/// The site's search page, sitemap, robots.txt, 404 page and static files.
fn site_wide_jobs(site: &Site, jobs: &mut Vec<Job>) {
    for (output, kind) in [
        ("tim-kiem/index.html", JobKind::SearchPage),
        ("sitemap.xml", JobKind::Sitemap),
        ("robots.txt", JobKind::Robots),
        ("404.html", JobKind::NotFound),
    ] {
        jobs.push(Job {
            output: output.into(),
            kind,
            source: None,
        });
    }
    for (src, rel) in &site.static_files {
        let source = Some(crate::diag::display_path(&site.root, src));
        copy_job(site, src, rel.clone(), &source, jobs);
    }
}

/// A file published from a source file: copied as it is, or, for a photo, its processed
/// files copied from the cache (never the original's bytes: they carry its metadata). A
/// photo that could not be processed has no job (its error stops the build).
pub(crate) fn copy_job(
    site: &Site,
    file: &std::path::Path,
    output: String,
    source: &Option<String>,
    jobs: &mut Vec<Job>,
) {
    if !crate::anh::is_photo(&output) {
        jobs.push(Job {
            output,
            kind: JobKind::Copy {
                src: file.to_path_buf(),
                immutable: false,
            },
            source: source.clone(),
        });
        return;
    }
    let Some(photo) = site.photos.get(&output) else {
        return;
    };
    let variants = match photo.origin {
        crate::anh::Origin::Bundle => &photo.variants[..],
        crate::anh::Origin::Static | crate::anh::Origin::Svg => &[],
    };
    for v in variants.iter().chain([&photo.main]) {
        jobs.push(Job {
            output: v.output.clone(),
            kind: JobKind::Copy {
                src: v.cached.clone(),
                immutable: true,
            },
            source: source.clone(),
        });
    }
}

/// The share card of every page that draws one (the home page, the first page of each section
/// and taxonomy listing, search, every data page; see `plan::share::describe`), for pages whose own
/// path is usable. Added last, so a card whose path a file of the site already takes is the
/// one reported as a duplicate.
fn share_jobs(site: &Site, jobs: &mut Vec<Job>) {
    let cards: Vec<Job> = jobs
        .iter()
        .filter(|j| {
            j.output
                .split('/')
                .all(|seg| crate::paths::segment_problem(seg).is_none())
        })
        .filter_map(|j| {
            let d = crate::plan::share::describe(site, &j.kind)?;
            Some(Job {
                output: crate::plan::share::card_path(&d.base),
                kind: JobKind::ShareCard(Box::new(d.card?)),
                source: j.source.clone(),
            })
        })
        .collect();
    jobs.extend(cards);
}

/// Two producers of one path (static files included) are an error, reported with both
/// sources; the second is dropped. Case-insensitive, for hosts on Windows and macOS.
fn without_duplicates(site: &Site, jobs: Vec<Job>, diags: &mut Vec<Diagnostic>) -> Vec<Job> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut dup = HashSet::new();
    for (i, j) in jobs.iter().enumerate() {
        let key = j.output.to_lowercase();
        let Some(&first) = seen.get(&key) else {
            seen.insert(key, i);
            continue;
        };
        dup.insert(i);
        let what = |j: &Job| match &j.kind {
            JobKind::Copy { src, .. } => crate::diag::display_path(&site.root, src),
            _ => j.source.clone().unwrap_or_else(|| "(trang tự sinh)".into()),
        };
        diags.push(
            Diagnostic::error(format!(
                "hai nguồn cùng tạo ra tệp \"{}\": {} và {}",
                j.output,
                what(&jobs[first]),
                what(j)
            ))
            .in_file(what(j))
            .hint("đổi tên tệp hoặc đặt slug khác cho một trong hai bài (đường dẫn không phân biệt chữ hoa/thường)"),
        );
    }
    jobs.into_iter()
        .enumerate()
        .filter(|(i, _)| !dup.contains(i))
        .map(|(_, j)| j)
        .collect()
}

/// Pages and files generated from `content/data/`.
fn data_jobs(site: &Site, data: &crate::data::Data, jobs: &mut Vec<Job>) {
    use crate::paths::{area_path, csv_path, project_path, JSON_PATH};
    let src = |s: &str| Some(s.to_string());
    let areas_file = "content/data/areas.toml";
    let programs_file = "content/data/programs.toml";
    jobs.push(Job {
        output: html("dia-ban/"),
        kind: JobKind::AreaList,
        source: src(areas_file),
    });
    let per = site.config.raw.paginate_by;
    for (i, a) in data.areas.iter().enumerate() {
        let base = area_path(&a.id);
        let n = pagers(site.pages_by_area.get(&a.id).map_or(0, Vec::len), per);
        for pager in 1..=n {
            jobs.push(Job {
                output: html(&pager_path(&base, pager)),
                kind: JobKind::Area {
                    area: i,
                    pager,
                    pagers: n,
                },
                source: src(areas_file),
            });
        }
    }
    jobs.push(Job {
        output: html("du-an/"),
        kind: JobKind::ProjectList,
        source: src(programs_file),
    });
    for (i, p) in data.projects.iter().enumerate() {
        jobs.push(Job {
            output: html(&project_path(&p.id)),
            kind: JobKind::Project(i),
            source: src(programs_file),
        });
    }
    jobs.push(Job {
        output: html("tong-quan/"),
        kind: JobKind::Overview,
        source: None,
    });
    jobs.push(Job {
        output: html("du-lieu/"),
        kind: JobKind::OpenDataIndex,
        source: None,
    });
    for (i, r) in data.reports.iter().enumerate() {
        jobs.push(Job {
            output: csv_path(&r.id),
            kind: JobKind::ReportCsv(i),
            source: Some(r.file.clone()),
        });
    }
    jobs.push(Job {
        output: JSON_PATH.into(),
        kind: JobKind::DataJson,
        source: None,
    });
}

/// Checks that an alias is a safe site path, and plans its redirect page.
fn alias_jobs(
    site: &Site,
    aliases: &[toml::Spanned<String>],
    target_path: &str,
    display: &str,
    _label: impl Fn(&str) -> String,
    jobs: &mut Vec<Job>,
    diags: &mut Vec<Diagnostic>,
) {
    for a in aliases {
        let raw = a.get_ref();
        match safe_output_path(raw) {
            Some(p) => {
                let output = if p.ends_with(".html") || p.ends_with(".htm") { p } else { format!("{p}/index.html") };
                jobs.push(Job { output, kind: JobKind::Alias { to: site.config.url(target_path) }, source: Some(display.to_string()) });
            }
            None => diags.push(
                Diagnostic::error(format!("địa chỉ cũ (aliases) \"{raw}\" không hợp lệ"))
                    .in_file(display)
                    .hint("aliases là đường dẫn trong trang, ví dụ \"/tin-tuc/bai-cu/\"; không dùng \"..\", địa chỉ http, ký tự đặc biệt hay tên thiết bị của Windows"),
            ),
        }
    }
}

/// Normalises a site path given by staff (alias) into a safe relative output path, or `None`
/// when it would leave the output directory or cannot exist on common file systems.
pub fn safe_output_path(raw: &str) -> Option<String> {
    if raw.contains(['\0', '\\', ':', '*', '?', '"', '<', '>', '|'])
        || raw.contains("..")
        || crate::sanitize::is_external(raw)
    {
        return None;
    }
    let p = normalize_path(raw.trim())?;
    if p.is_empty() {
        return None;
    }
    if p.split('/')
        .any(|seg| crate::paths::segment_problem(seg).is_some())
    {
        return None;
    }
    Some(p)
}

/// Checks every link and image of every article and section against the planned output.
pub fn check_links(site: &Site, jobs: &[Job]) -> Vec<Diagnostic> {
    let mut paths: HashSet<&str> = HashSet::new();
    // a picture that could not be processed has its own error, not one per link to it
    paths.extend(site.photos.failed.iter().map(String::as_str));
    for j in jobs {
        paths.insert(j.output.as_str());
        if let Some(dir) = j.output.strip_suffix("index.html") {
            paths.insert(dir);
        }
    }
    // anchors of every page and section, by site path
    let mut anchors: BTreeMap<&str, Anchors<'_>> = BTreeMap::new();
    for i in 0..site.pages.len() {
        anchors.insert(site.pages[i].path.as_str(), page_anchors(site, i));
    }
    for k in 0..site.sections.len() {
        anchors.insert(
            site.sections[k].section.path.as_str(),
            section_anchors(site, k),
        );
    }
    for t in &site.translations {
        let template = t.page.meta.template.as_deref().unwrap_or("page.html");
        anchors.insert(
            t.page.path.as_str(),
            Anchors {
                body: &t.page.rendered.ids,
                template: site.template_ids.of(template),
            },
        );
    }
    let items = site
        .pages
        .iter()
        .chain(site.translations.iter().map(|t| &t.page))
        .map(|p| (p.source.display.as_str(), &p.rendered, p.path.as_str()))
        .chain(site.sections.iter().map(|s| {
            (
                s.section.source.display.as_str(),
                &s.section.rendered,
                s.section.path.as_str(),
            )
        }));
    check_link_items(site, items, &|p| paths.contains(p), &|p| {
        anchors.get(p).copied()
    })
}

/// The ids a link may point at on one page: those of its body, and those its template writes
/// (`#noi-dung`, the title's id).
#[derive(Debug, Clone, Copy)]
pub struct Anchors<'a> {
    pub body: &'a [String],
    pub template: &'a [String],
}

impl Anchors<'_> {
    fn contains(&self, id: &str) -> bool {
        self.body.iter().chain(self.template).any(|i| i == id)
    }
}

/// [`Anchors`] of article `i`.
pub fn page_anchors(site: &Site, i: usize) -> Anchors<'_> {
    let p = &site.pages[i];
    let template = p
        .meta
        .template
        .as_deref()
        .or(site.section_of(i).section.meta.page_template.as_deref())
        .unwrap_or("page.html");
    Anchors {
        body: &p.rendered.ids,
        template: site.template_ids.of(template),
    }
}

/// [`Anchors`] of section `k` (its first listing page).
pub fn section_anchors(site: &Site, k: usize) -> Anchors<'_> {
    let s = &site.sections[k].section;
    let template = s.meta.template.as_deref().unwrap_or("section.html");
    Anchors {
        body: &s.rendered.ids,
        template: site.template_ids.of(template),
    }
}

/// The links of `items` (file named in messages, rendered Markdown, own site path), checked
/// against the output: `has_path(p)` tells whether the build produces `p` (a file, or a folder
/// with its `index.html`), `anchors(site_path)` gives the ids of the article or section there. [`check_links`] checks every article and section; `serve` the articles just edited.
pub fn check_link_items<'a, 'b>(
    site: &Site,
    items: impl Iterator<Item = (&'a str, &'a crate::markdown::Rendered, &'a str)>,
    has_path: &dyn Fn(&str) -> bool,
    anchors: &dyn Fn(&str) -> Option<Anchors<'b>>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (display, rendered, own_path) in items {
        for link in &rendered.links {
            let at = |msg: String, hint: &str| {
                Diagnostic::error(msg)
                    .in_file(display)
                    .at(link.line, link.column)
                    .hint(hint.to_string())
            };
            let check_anchor = |target_path: &str,
                                anchor: &Option<String>,
                                diags: &mut Vec<Diagnostic>| {
                if let (Some(a), Some(found)) = (anchor, anchors(target_path)) {
                    // the hint lists the body's ids: the template's are the same on every page
                    let ids = found.body;
                    if !found.contains(a) {
                        let hint =
                            match crate::diag::did_you_mean(a, ids.iter().map(|s| s.as_str())) {
                                Some(s) => format!(
                                    "có phải ý bạn là #{s}? các mục của trang đó: {}",
                                    ids.join(", ")
                                ),
                                None if ids.is_empty() => {
                                    "trang đó không có tiêu đề mục nào; bỏ phần #… khỏi liên kết"
                                        .to_string()
                                }
                                None => format!("các mục của trang đó: {}", ids.join(", ")),
                            };
                        diags.push(at(
                            format!("liên kết \"{}\": không có mục #{a}", link.raw),
                            &hint,
                        ));
                    }
                }
            };
            match &link.target {
                LinkTarget::Unsafe(u) => diags.push(at(
                    format!("liên kết dùng giao thức nguy hiểm: \"{}\"", truncate(u, 60)),
                    "không dùng liên kết javascript: hay data:; liên kết tới một trang hoặc tệp thật",
                )),
                LinkTarget::Content { path, anchor } => {
                    let path = path.trim_start_matches('/');
                    if let Some(&i) = site.page_by_content.get(path) {
                        check_anchor(site.pages[i].path.as_str(), anchor, &mut diags);
                    } else if let Some(&i) = site.section_by_content.get(path) {
                        check_anchor(site.sections[i].section.path.as_str(), anchor, &mut diags);
                    } else if let Some(t) =
                        site.translations.iter().find(|t| t.page.source.relative == path)
                    {
                        check_anchor(t.page.path.as_str(), anchor, &mut diags);
                    } else {
                        let hint = missing_content_hint(site, path, &link.raw);
                        diags.push(at(format!("liên kết tới bài không tồn tại: \"{}\"", link.raw), &hint));
                    }
                }
                LinkTarget::SitePath { path, anchor } => {
                    let ok = !path.starts_with("../")
                        && (has_path(path) || has_path(&format!("{path}/")) || path.is_empty());
                    if ok {
                        let target = if has_path(&format!("{path}/")) { format!("{path}/") } else { path.clone() };
                        check_anchor(&target, anchor, &mut diags);
                    } else {
                        let what = if link.is_image { "ảnh" } else { "liên kết" };
                        diags.push(at(
                            format!("{what} \"{}\" trỏ tới \"/{path}\" nhưng trang không có tệp đó", link.raw),
                            "kiểm tra lại đường dẫn; để liên kết tới bài viết hãy dùng @/chuyen-muc/ten-tep.md; ảnh đặt cạnh bài (thư mục bài/index.md) hoặc trong static/",
                        ));
                    }
                }
                LinkTarget::Anchor(a) => check_anchor(own_path, &Some(a.clone()), &mut diags),
            }
        }
    }
    diags
}

/// What to do about a link to a content file that does not exist: a file of a similar name
/// (compared by file name, so `./target.md` is not matched to any article of the same folder),
/// and how the path is read.
fn missing_content_hint(site: &Site, path: &str, raw: &str) -> String {
    let known = site
        .page_by_content
        .keys()
        .chain(site.section_by_content.keys())
        .map(String::as_str);
    let how = if raw.trim_start().starts_with("@/") {
        "đường dẫn @/… tính từ thư mục content/, ví dụ @/tin-tuc/bai-viet.md".to_string()
    } else {
        let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        format!(
            "đường dẫn tương đối tính từ thư mục của bài (content/{dir}); hoặc viết @/chuyen-muc/ten-tep.md, tính từ content/"
        )
    };
    match similar_file(path, known) {
        Some(s) => format!("có phải ý bạn là @/{s}? {how}"),
        None => how,
    }
}

/// The known content path whose file name is closest to `path`'s (`a/index.md` is named `a`),
/// one in the same folder first among equals; `None` when no name is close.
fn similar_file<'a>(path: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    fn parts(p: &str) -> (&str, &str) {
        let p = p.strip_suffix(".md").unwrap_or(p);
        let p = p
            .strip_suffix("/index")
            .or_else(|| p.strip_suffix("/_index"))
            .unwrap_or(p);
        p.rsplit_once('/').unwrap_or(("", p))
    }
    let (dir, name) = parts(path);
    known
        .filter_map(|k| {
            let (kdir, kname) = parts(k);
            let score = strsim::jaro_winkler(name, kname);
            (score > 0.85).then_some((score, kdir == dir, k))
        })
        .max_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(a.1.cmp(&b.1))
                .then_with(|| b.2.cmp(a.2))
        })
        .map(|(_, _, k)| k)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

#[cfg(test)]
mod tests {
    use super::similar_file;

    #[test]
    fn similar_file_compares_file_names_not_folders() {
        let known = [
            "tin-tuc/bai-viet.md",
            "tin-tuc/tap-huan/index.md",
            "thong-bao/tap-huan.md",
            "tin-tuc/_index.md",
        ];
        let find = |p: &str| similar_file(p, known.iter().copied());
        // an unrelated name in the same folder is no suggestion
        assert_eq!(find("tin-tuc/target.md"), None);
        assert_eq!(find("tin-tuc/bai-vet.md"), Some("tin-tuc/bai-viet.md"));
        // equal names: the one in the same folder
        assert_eq!(
            find("tin-tuc/tap-huan.md"),
            Some("tin-tuc/tap-huan/index.md")
        );
        assert_eq!(
            find("thong-bao/tap-huan2.md"),
            Some("thong-bao/tap-huan.md")
        );
    }
}
