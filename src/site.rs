//! The Site model: everything loaded, rendered from Markdown, sorted and cross-linked once.
//! Later stages (plan, render) only read it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use rayon::prelude::*;

use crate::config::{SiteConfig, TaxonomyConfig};
use crate::content::{self, LoadOptions, Page, Section, SortBy};
use crate::diag::{did_you_mean, display_path, Diagnostic};
use crate::locale::{slugify, vi_cmp};
use crate::markdown;

mod related;
pub mod template_ids;
pub mod van_ban;
use related::compute_related;
use template_ids::{TemplateIds, Templates};

/// A section with its ordered articles and its place in the tree.
#[derive(Debug)]
pub struct SectionNode {
    pub section: Section,
    /// Indices into `Site::pages`, in the section's order.
    pub pages: Vec<usize>,
    /// Indices into `Site::sections`.
    pub subsections: Vec<usize>,
    pub parent: Option<usize>,
}

#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Newest first.
    pub pages: Vec<usize>,
}

#[derive(Debug)]
pub struct Taxonomy {
    pub config: TaxonomyConfig,
    /// Vietnamese alphabetical order.
    pub terms: Vec<Term>,
    /// Index into `terms` by slug: every article looks up each of its terms.
    by_slug: HashMap<String, usize>,
}

impl Taxonomy {
    pub fn term_path(&self, term: &Term) -> String {
        format!("{}/{}/", self.config.slug, term.slug)
    }

    /// The term with this slug.
    pub fn term(&self, slug: &str) -> Option<&Term> {
        self.by_slug.get(slug).map(|&k| &self.terms[k])
    }

    /// The index in `terms` of the term with this slug.
    pub fn term_index(&self, slug: &str) -> Option<usize> {
        self.by_slug.get(slug).copied()
    }
}

/// Options of one build.
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    pub include_drafts: bool,
    pub base_url: Option<String>,
    /// Unsaved texts read instead of their files (the editor's preview).
    pub overlay: Option<std::sync::Arc<crate::source::Overlay>>,
}

#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// All articles, sorted by source path.
    pub pages: Vec<Page>,
    /// `page_section[i]`: index of page i's section.
    pub page_section: Vec<usize>,
    /// `section_pos[i]`: position of page i in its section's `pages` (their order).
    pub section_pos: Vec<usize>,
    pub sections: Vec<SectionNode>,
    pub taxonomies: Vec<Taxonomy>,
    /// All articles, newest first.
    pub by_date: Vec<usize>,
    /// `date_rank[i]`: position of page i in `by_date` (orders terms, related articles, feeds).
    pub date_rank: Vec<usize>,
    /// `related[i]`: related articles of page i.
    pub related: Vec<Vec<usize>>,
    /// Static files: (source, site path). Site `static/` overrides the theme's.
    pub static_files: Vec<(PathBuf, String)>,
    pub theme_dir: PathBuf,
    pub build_date: DateTime<FixedOffset>,
    /// Content path (`tin-tuc/a.md`) → page index.
    pub page_by_content: HashMap<String, usize>,
    /// Content path (`tin-tuc/_index.md`) → section index.
    pub section_by_content: HashMap<String, usize>,
    /// Activity data from `content/data/`, when the site has any.
    pub data: Option<crate::data::Data>,
    /// Articles per area id / project id, newest first.
    pub pages_by_area: HashMap<String, Vec<usize>>,
    pub pages_by_project: HashMap<String, Vec<usize>>,
    /// The ids the templates write (see [`template_ids`]).
    pub template_ids: TemplateIds,
    /// The template files and their texts, read once per load.
    pub templates: Templates,
    /// The drafts left out of this build: their files (`content/tin-tuc/a.md`), sorted.
    pub drafts: Vec<String>,
    /// Articles dated after this build's time, left out until then: (file, date), by file.
    pub scheduled: Vec<(String, DateTime<FixedOffset>)>,
    /// Legal documents (văn bản) of `van_ban = true` sections.
    pub documents: van_ban::Documents,
    /// The photos of bundles and `static/`, processed (see [`crate::anh`]).
    pub photos: crate::anh::Photos,
    /// Pages in the other languages of `[languages]` (`/en/…`), their Markdown rendered.
    pub translations: Vec<content::Translation>,
    /// Site path → every language version of that page, itself included, Vietnamese first
    /// (`hreflang` links, the language switch, the sitemap); only pages with a twin.
    pub alternates: HashMap<String, Vec<Alternate>>,
}

/// One language version of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternate {
    pub lang: String,
    /// Site path without base (`en/gioi-thieu/`).
    pub path: String,
}

impl Site {
    /// Loads and models the site at `root`. Returns the diagnostics (warnings too) beside it;
    /// the site is `None` when errors make building meaningless.
    pub fn load(root: &Path, opts: &SiteOptions) -> (Option<Site>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let config = match SiteConfig::load(root, opts.base_url.as_deref()) {
            Ok(c) => c,
            Err(d) => return (None, d),
        };
        let theme_dir = root.join("themes").join(&config.raw.theme);
        if !theme_dir.join("templates").is_dir() && !root.join("templates").is_dir() {
            let available: Vec<String> = std::fs::read_dir(root.join("themes"))
                .map(|rd| {
                    let mut v: Vec<String> = rd
                        .filter_map(|e| e.ok())
                        .filter(|e| e.path().join("templates").is_dir())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect();
                    v.sort();
                    v
                })
                .unwrap_or_default();
            let hint = if available.is_empty() {
                "tạo thư mục themes/<tên>/templates, hoặc chạy `bantin init` để có giao diện mặc định cong-thong-tin".to_string()
            } else {
                format!("đặt theme = một trong: {}", available.join(", "))
            };
            diags.push(
                Diagnostic::error(format!(
                    "không tìm thấy giao diện (theme) \"{}\"",
                    config.raw.theme
                ))
                .in_file("config.toml")
                .hint(hint),
            );
        }
        let loaded = content::load_content(
            root,
            &LoadOptions {
                include_drafts: opts.include_drafts,
                max_file_size: config.raw.max_file_size,
                languages: config.raw.languages.keys().cloned().collect(),
                overlay: opts.overlay.clone(),
            },
        );
        diags.extend(loaded.diagnostics);
        let static_files = collect_static(root, &theme_dir, &mut diags);
        let today = build_date().date_naive();
        let data = crate::data::load::load(root, config.raw.max_file_size, &mut diags)
            .map(|raw| crate::data::validate::validate(raw, today, &mut diags));
        if let Some(data) = &data {
            check_article_ids(&loaded.pages, data, &mut diags);
        }
        let templates = template_ids::read_templates(&theme_dir, root);
        let template_ids = TemplateIds::new(&templates);
        let mut site = build_model(
            root,
            config,
            template_ids,
            loaded.sections,
            loaded.pages,
            loaded.translations,
            static_files,
            theme_dir,
            data.as_ref(),
            &mut diags,
        );
        site.data = data;
        site.templates = templates;
        site.drafts = loaded.drafts;
        site.scheduled = loaded.scheduled;
        (Some(site), diags)
    }

    /// Articles per listing page of section `si`. A document section's table shows every
    /// document on one page: its filters (with JavaScript) work on the whole table.
    pub fn section_per_page(&self, si: usize) -> usize {
        let s = &self.sections[si];
        if s.section.meta.van_ban {
            return s.pages.len().max(1);
        }
        s.section
            .meta
            .paginate_by
            .unwrap_or(self.config.raw.paginate_by)
    }

    pub fn page_url(&self, i: usize) -> String {
        self.config.url(&self.pages[i].path)
    }

    pub fn section_of(&self, page: usize) -> &SectionNode {
        &self.sections[self.page_section[page]]
    }

    /// The articles before and after `page` in its section's order: (`higher`, `lower`) in
    /// templates, as Zola names them.
    pub fn neighbours(&self, page: usize) -> (Option<usize>, Option<usize>) {
        let list = &self.section_of(page).pages;
        let pos = self.section_pos[page];
        debug_assert_eq!(list.get(pos), Some(&page));
        let higher = pos.checked_sub(1).map(|k| list[k]);
        (higher, list.get(pos + 1).copied())
    }

    /// `YYYY-MM-DD` of each dated article's last change (`updated`, else `date`) by site path:
    /// the sitemap's `lastmod`.
    pub fn lastmod_dates(&self) -> std::collections::HashMap<&str, String> {
        self.pages
            .iter()
            .filter_map(|p| {
                p.updated
                    .or(p.date)
                    .map(|d| (p.path.as_str(), d.format("%Y-%m-%d").to_string()))
            })
            .collect()
    }

    /// The articles of the notices sidebar: the newest `notices_limit` of the notices section.
    pub fn notices(&self) -> Vec<usize> {
        self.notices_section()
            .map(|s| {
                s.pages
                    .iter()
                    .copied()
                    .take(self.config.raw.notices_limit)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The section feeding the notices sidebar, if it exists.
    pub fn notices_section(&self) -> Option<&SectionNode> {
        let name = &self.config.raw.notices_section;
        self.sections.iter().find(|s| &s.section.dir == name)
    }
}

fn build_date() -> DateTime<FixedOffset> {
    let tz = FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset");
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        if let Some(d) = tz.timestamp_opt(secs, 0).single() {
            return d;
        }
    }
    chrono::Utc::now().with_timezone(&tz)
}

/// The build's date as a naive date (for `bantin new` and the date line).
pub fn today() -> NaiveDate {
    build_date().date_naive()
}

fn collect_static(
    root: &Path,
    theme_dir: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(PathBuf, String)> {
    let mut map: BTreeMap<String, PathBuf> = BTreeMap::new();
    for dir in [theme_dir.join("static"), root.join("static")] {
        if !dir.is_dir() {
            continue;
        }
        for entry in crate::fsutil::walk_sorted(&dir) {
            match entry {
                Ok(e) if e.path_is_symlink() => diags.push(
                    Diagnostic::error("liên kết tượng trưng (symlink) không được theo")
                        .in_file(display_path(root, e.path()))
                        .hint("sao chép tệp thật vào thư mục static/ thay cho liên kết"),
                ),
                Ok(e) if e.file_type().is_file() => {
                    let rel = display_path(&dir, e.path());
                    if !rel.split('/').any(|s| s.starts_with('.')) {
                        map.insert(rel, e.path().to_path_buf());
                    }
                }
                Ok(_) => {}
                Err(e) => diags.push(
                    Diagnostic::error(format!("không đọc được: {e}"))
                        .in_file(display_path(root, &dir)),
                ),
            }
        }
    }
    map.into_iter().map(|(rel, src)| (src, rel)).collect()
}

#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename the list
fn build_model(
    root: &Path,
    config: SiteConfig,
    template_ids: TemplateIds,
    sections: Vec<Section>,
    mut pages: Vec<Page>,
    mut translations: Vec<content::Translation>,
    static_files: Vec<(PathBuf, String)>,
    theme_dir: PathBuf,
    data: Option<&crate::data::Data>,
    diags: &mut Vec<Diagnostic>,
) -> Site {
    pages.sort_by(|a, b| a.source.relative.cmp(&b.source.relative));
    let (mut sections, page_section) = section_tree(sections, &pages);

    let (page_by_content, section_by_content, mut url_by_content) =
        content_paths(&pages, &sections, &config);
    for t in &translations {
        url_by_content.insert(t.page.source.relative.clone(), config.url(&t.page.path));
    }
    let resolve = |p: &str| url_by_content.get(p.trim_start_matches('/')).cloned();
    // Before the Markdown: articles cite documents by number (`van_ban` shortcode).
    let documents = van_ban::collect(&pages, &sections, &page_section, diags);
    date_documents(&mut pages, &documents);
    // Before the Markdown too: an `<img>` states its photo's size.
    let (mut photos, photo_diags) =
        crate::anh::process(root, photo_sources(&pages, &sections, &static_files));
    diags.extend(photo_diags);
    // A translation's bundle shares its twin's files: its pictures processed under its own
    // path too, after the twin's (so from the cache), those that failed there left out (their
    // error is reported once).
    let twin_photo = |t: &content::Translation, name: &str| {
        page_by_content.get(&t.twin).is_some_and(|&i| {
            photos
                .by_path
                .contains_key(&format!("{}{name}", pages[i].path))
        })
    };
    let sources = translation_photo_sources(&translations, twin_photo);
    let (twins, twin_diags) = crate::anh::process(root, sources);
    photos.merge(twins);
    diags.extend(twin_diags);
    let cites = Citations {
        documents: &documents,
        pages: &pages
            .iter()
            .map(|p| config.url(&p.path))
            .collect::<Vec<_>>(),
        photos: &photos,
    };
    // The articles' Markdown renders on the pool while the orders and indexes that read only
    // the front matter are made beside it: alone, they kept one core idle.
    let bodies: Vec<String> = pages
        .iter_mut()
        .map(|p| std::mem::take(&mut p.body))
        .collect();
    let (rendered, ordered) = rayon::join(
        || {
            render_bodies(
                &pages,
                bodies,
                &config,
                data,
                &cites,
                &resolve,
                &template_ids,
            )
        },
        || order_pages(&pages, &mut sections, &page_section, &config, data),
    );
    for (p, (r, d)) in pages.iter_mut().zip(rendered) {
        p.rendered = r;
        diags.extend(d);
    }
    render_sections(&mut sections, &config, &cites, &resolve, &template_ids);

    for p in pages.iter_mut() {
        p.image = page_image(p, &photos).unwrap_or_else(|d| {
            diags.push(d);
            None
        });
    }
    let translation_diags: Vec<Diagnostic> = translations
        .par_iter_mut()
        .flat_map_iter(|t| {
            render_page_markdown(
                &mut t.page,
                &config,
                data,
                &cites,
                &resolve,
                &template_ids.all,
            )
        })
        .collect();
    diags.extend(translation_diags);
    let alternates = alternates(&translations, |twin| {
        page_by_content
            .get(twin)
            .map(|&i| pages[i].path.clone())
            .or_else(|| {
                section_by_content
                    .get(twin)
                    .map(|&i| sections[i].section.path.clone())
            })
    });

    diags.extend(ordered.taxonomy_diags);
    let _ = root;

    Site {
        root: root.to_path_buf(),
        config,
        pages,
        page_section,
        section_pos: ordered.section_pos,
        sections,
        taxonomies: ordered.taxonomies,
        by_date: ordered.by_date,
        date_rank: ordered.date_rank,
        related: ordered.related,
        static_files,
        theme_dir,
        build_date: build_date(),
        page_by_content,
        section_by_content,
        data: None,
        pages_by_area: ordered.pages_by_area,
        pages_by_project: ordered.pages_by_project,
        template_ids,
        templates: Templates::new(),
        drafts: Vec::new(),
        scheduled: Vec::new(),
        documents,
        photos,
        translations,
        alternates,
    }
}

/// The article's picture: its `image` key (a photo of the bundle, or `/…` of `static/`;
/// an error at the key otherwise), else the first photo its body shows.
pub fn page_image(p: &Page, photos: &crate::anh::Photos) -> Result<Option<String>, Diagnostic> {
    let Some(key) = &p.meta.image else {
        return Ok(p.rendered.links.iter().find_map(|l| match &l.target {
            markdown::LinkTarget::SitePath { path, .. } if l.is_image => photos
                .of_output(path)
                .filter(|ph| ph.origin != crate::anh::Origin::Svg)
                .map(|ph| ph.path.clone()),
            _ => None,
        }));
    };
    let raw = key.get_ref().trim();
    let joined = crate::anh::resolve(&p.path, raw);
    match joined.as_deref().and_then(|j| photos.get(j)) {
        Some(ph) if ph.origin != crate::anh::Origin::Svg => Ok(Some(ph.path.clone())),
        _ if joined
            .as_deref()
            .is_some_and(|j| photos.failed.iter().any(|f| f == j)) =>
        {
            Ok(None)
        }
        _ => {
            let near = photos.beside(&p.path, |ph| ph.origin != crate::anh::Origin::Svg);
            let hint = if near.is_empty() {
                "image là tên một ảnh JPEG, PNG hoặc WebP đặt cạnh bài (bài dạng thư mục ten-bai/index.md), hoặc \"/ten-anh.jpg\" trong static/".to_string()
            } else {
                format!("các ảnh cạnh bài: {}", near.join(", "))
            };
            Err(Diagnostic::error(format!(
                "ảnh đại diện (image) \"{raw}\" không phải ảnh JPEG, PNG hoặc WebP của bài"
            ))
            .in_file(&p.source.display)
            .at_opt(p.fm_position(key.span().start))
            .hint(hint))
        }
    }
}

/// The pictures the build publishes processed: those beside articles and sections, and those
/// of `static/` (the theme's included).
fn photo_sources(
    pages: &[Page],
    sections: &[SectionNode],
    static_files: &[(PathBuf, String)],
) -> Vec<crate::anh::Source> {
    use crate::anh::{Origin, Source};
    let bundle = pages
        .iter()
        .flat_map(|p| p.assets.iter().map(|(f, n)| (f, format!("{}{n}", p.path))))
        .chain(
            sections
                .iter()
                .flat_map(|s| s.section.assets.iter().map(|(f, path)| (f, path.clone()))),
        )
        .filter_map(|(file, path)| Source::of(file, path, Origin::Bundle));
    let statics = static_files
        .iter()
        .filter_map(|(file, rel)| Source::of(file, rel.clone(), Origin::Static));
    bundle.chain(statics).collect()
}

/// The pictures of translations' bundles that `twin_photo` says were processed for the twin.
fn translation_photo_sources(
    translations: &[content::Translation],
    twin_photo: impl Fn(&content::Translation, &str) -> bool,
) -> Vec<crate::anh::Source> {
    use crate::anh::{Origin, Source};
    translations
        .iter()
        .flat_map(|t| t.page.assets.iter().map(move |(f, n)| (t, f, n)))
        .filter(|(t, _, name)| twin_photo(t, name))
        .filter_map(|(t, file, name)| {
            Source::of(file, format!("{}{name}", t.page.path), Origin::Bundle)
        })
        .collect()
}

/// The language versions of each page that has a twin: a translation and the Vietnamese page
/// or section at its file's place (`twin_path` finds that page's site path by content path).
fn alternates(
    translations: &[content::Translation],
    twin_path: impl Fn(&str) -> Option<String>,
) -> HashMap<String, Vec<Alternate>> {
    let mut by_vi: BTreeMap<String, Vec<Alternate>> = BTreeMap::new();
    for t in translations {
        if let Some(vi) = twin_path(&t.twin) {
            by_vi.entry(vi.clone()).or_insert_with(|| {
                vec![Alternate {
                    lang: "vi".into(),
                    path: vi,
                }]
            });
        }
    }
    for t in translations {
        if let Some(list) = twin_path(&t.twin).and_then(|vi| by_vi.get_mut(&vi)) {
            list.push(Alternate {
                lang: t.lang.clone(),
                path: t.page.path.clone(),
            });
        }
    }
    let mut out = HashMap::new();
    for list in by_vi.into_values() {
        for a in &list {
            out.insert(a.path.clone(), list.clone());
        }
    }
    out
}

/// Content path → article index, → section index, → URL (for `@/` links).
type ContentPaths = (
    HashMap<String, usize>,
    HashMap<String, usize>,
    HashMap<String, String>,
);

fn content_paths(pages: &[Page], sections: &[SectionNode], config: &SiteConfig) -> ContentPaths {
    let mut page_by_content = HashMap::new();
    let mut section_by_content = HashMap::new();
    let mut url_by_content: HashMap<String, String> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        page_by_content.insert(p.source.relative.clone(), i);
        url_by_content.insert(p.source.relative.clone(), config.url(&p.path));
    }
    for (i, s) in sections.iter().enumerate() {
        section_by_content.insert(s.section.source.relative.clone(), i);
        url_by_content.insert(
            s.section.source.relative.clone(),
            config.url(&s.section.path),
        );
    }
    (page_by_content, section_by_content, url_by_content)
}

/// A document without `date` is dated by its issue (feeds, listings, "newest first"), and
/// without `description` described by its summary (meta description, feeds, search).
fn date_documents(pages: &mut [Page], documents: &van_ban::Documents) {
    for d in &documents.docs {
        let p = &mut pages[d.page];
        if p.description.trim().is_empty() {
            p.description = d.trich_yeu.clone();
        }
        if p.date.is_none() {
            p.date = d.ngay_ban_hanh.and_hms_opt(0, 0, 0).and_then(|t| {
                crate::locale::DEFAULT_OFFSET
                    .from_local_datetime(&t)
                    .single()
            });
        }
    }
}

/// The sections as a tree (sorted by folder; each with its parent, subsections and articles)
/// and each article's section.
fn section_tree(sections: Vec<Section>, pages: &[Page]) -> (Vec<SectionNode>, Vec<usize>) {
    let mut sections: Vec<SectionNode> = sections
        .into_iter()
        .map(|s| SectionNode {
            section: s,
            pages: Vec::new(),
            subsections: Vec::new(),
            parent: None,
        })
        .collect();
    sections.sort_by(|a, b| a.section.dir.cmp(&b.section.dir));
    let dir_index: HashMap<String, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.section.dir.clone(), i))
        .collect();
    for i in 0..sections.len() {
        let dir = sections[i].section.dir.clone();
        if dir.is_empty() {
            continue;
        }
        let parent_dir = dir.rsplit_once('/').map_or("", |(p, _)| p);
        if let Some(&p) = dir_index.get(parent_dir) {
            sections[i].parent = Some(p);
            sections[p].subsections.push(i);
        }
    }
    let page_section: Vec<usize> = pages
        .iter()
        .map(|p| dir_index.get(&p.section).copied().unwrap_or(0))
        .collect();
    for (i, &s) in page_section.iter().enumerate() {
        sections[s].pages.push(i);
    }
    (sections, page_section)
}

/// Every article's Markdown (`bodies[i]` taken out of `pages[i]`), in parallel: what each
/// renders to, and its shortcodes' problems.
fn render_bodies(
    pages: &[Page],
    bodies: Vec<String>,
    config: &SiteConfig,
    data: Option<&crate::data::Data>,
    cites: &Citations<'_>,
    resolve: &(dyn Fn(&str) -> Option<String> + Sync),
    template_ids: &TemplateIds,
) -> Vec<(markdown::Rendered, Vec<Diagnostic>)> {
    // each body is dropped once rendered: together they are tens of megabytes of peak memory
    pages
        .par_iter()
        .zip(bodies)
        .map(|(p, body)| render_body(p, &body, config, data, cites, resolve, &template_ids.all))
        .collect()
}

/// What the model orders and indexes from the front matter alone (made beside the Markdown).
struct Ordered {
    by_date: Vec<usize>,
    date_rank: Vec<usize>,
    section_pos: Vec<usize>,
    taxonomies: Vec<Taxonomy>,
    /// The taxonomies' problems (reported after the Markdown's, as they always were).
    taxonomy_diags: Vec<Diagnostic>,
    pages_by_area: HashMap<String, Vec<usize>>,
    pages_by_project: HashMap<String, Vec<usize>>,
    related: Vec<Vec<usize>>,
}

/// The date order, each section's order, the taxonomies, the articles by area and project and
/// the related articles: none of them reads an article's body.
fn order_pages(
    pages: &[Page],
    sections: &mut [SectionNode],
    page_section: &[usize],
    config: &SiteConfig,
    data: Option<&crate::data::Data>,
) -> Ordered {
    let (by_date, date_rank) = date_order(pages);
    sort_sections(sections, pages);
    let mut section_pos = vec![0usize; pages.len()];
    for s in sections.iter() {
        for (k, &i) in s.pages.iter().enumerate() {
            section_pos[i] = k;
        }
    }
    let mut taxonomy_diags = Vec::new();
    let taxonomies = build_taxonomies(config, pages, &date_rank, &mut taxonomy_diags);
    let ids = |i: usize, of: fn(&Page) -> &Vec<toml::Spanned<String>>| {
        of(&pages[i]).iter().map(|a| a.get_ref().clone()).collect()
    };
    let pages_by_area = index_pages(&by_date, |i| ids(i, |p| &p.meta.areas));
    let pages_by_project = index_pages(&by_date, |i| ids(i, |p| &p.meta.projects));
    let related = compute_related(
        pages,
        page_section,
        &by_date,
        &date_rank,
        config.raw.related_limit,
        &|id| {
            data.and_then(|d| d.area(id))
                .is_some_and(|a| !a.children.is_empty())
        },
    );
    Ordered {
        by_date,
        date_rank,
        section_pos,
        taxonomies,
        taxonomy_diags,
        pages_by_area,
        pages_by_project,
        related,
    }
}

/// The sections' Markdown.
fn render_sections(
    sections: &mut [SectionNode],
    config: &SiteConfig,
    cites: &Citations<'_>,
    resolve: &(dyn Fn(&str) -> Option<String> + Sync),
    template_ids: &TemplateIds,
) {
    sections.par_iter_mut().for_each(|s| {
        let s = &mut s.section;
        let ctx = markdown::Context {
            smart_punctuation: config.raw.markdown.smart_punctuation,
            source_dir: &s.dir,
            site_path: &s.path,
            base_path: &config.base.path,
            resolve,
            line_offset: s.body_line_offset,
            safe: config.raw.markdown.safe,
            embeds: &[],
            reserved_ids: &template_ids.all,
            photos: cites.photos,
        };
        s.rendered = markdown::render(&s.body, &ctx);
    });
}

/// Articles newest first, and each article's rank in that order.
fn date_order(pages: &[Page]) -> (Vec<usize>, Vec<usize>) {
    let mut by_date: Vec<usize> = (0..pages.len()).collect();
    sort_by_date(&mut by_date, pages);
    let mut date_rank = vec![0usize; pages.len()];
    for (r, &i) in by_date.iter().enumerate() {
        date_rank[i] = r;
    }
    (by_date, date_rank)
}

/// Each section's articles in its `sort_by` order, its subsections by weight, then title.
fn sort_sections(sections: &mut [SectionNode], pages: &[Page]) {
    for s in sections.iter_mut() {
        match s.section.meta.sort_by {
            SortBy::Date => sort_by_date(&mut s.pages, pages),
            SortBy::Weight => s.pages.sort_by(|&a, &b| {
                pages[a]
                    .meta
                    .weight
                    .unwrap_or(i64::MAX)
                    .cmp(&pages[b].meta.weight.unwrap_or(i64::MAX))
                    .then_with(|| vi_cmp(&pages[a].title, &pages[b].title))
                    .then_with(|| pages[a].source.relative.cmp(&pages[b].source.relative))
            }),
            SortBy::Title => s.pages.sort_by(|&a, &b| {
                vi_cmp(&pages[a].title, &pages[b].title)
                    .then_with(|| pages[a].source.relative.cmp(&pages[b].source.relative))
            }),
        }
    }
    for i in 0..sections.len() {
        let mut subs = std::mem::take(&mut sections[i].subsections);
        subs.sort_by(|&a, &b| {
            let (sa, sb) = (&sections[a].section, &sections[b].section);
            sa.meta
                .weight
                .unwrap_or(i64::MAX)
                .cmp(&sb.meta.weight.unwrap_or(i64::MAX))
                .then_with(|| vi_cmp(&sa.title, &sb.title))
                .then_with(|| sa.dir.cmp(&sb.dir))
        });
        sections[i].subsections = subs;
    }
}

/// Expands the shortcodes of one article and renders its Markdown into `p.rendered`, then drops
/// the Markdown source; returns the shortcodes' problems. `resolve` maps a content path
/// (`tin-tuc/a.md`) to its URL. (`serve` re-renders an edited article with it.)
pub fn render_page_markdown(
    p: &mut Page,
    config: &SiteConfig,
    data: Option<&crate::data::Data>,
    cites: &Citations<'_>,
    resolve: &(dyn Fn(&str) -> Option<String> + Sync),
    reserved_ids: &std::collections::HashSet<String>,
) -> Vec<Diagnostic> {
    let body = std::mem::take(&mut p.body);
    let (rendered, diags) = render_body(p, &body, config, data, cites, resolve, reserved_ids);
    p.rendered = rendered;
    diags
}

/// An article's `body` (taken out of it) with its shortcodes expanded, rendered; the
/// shortcodes' problems.
fn render_body(
    p: &Page,
    body: &str,
    config: &SiteConfig,
    data: Option<&crate::data::Data>,
    cites: &Citations<'_>,
    resolve: &(dyn Fn(&str) -> Option<String> + Sync),
    reserved_ids: &std::collections::HashSet<String>,
) -> (markdown::Rendered, Vec<Diagnostic>) {
    let dir = p
        .source
        .relative
        .rsplit_once('/')
        .map_or("", |(d, _)| d)
        .to_string();
    let (body, diags, embeds) = expand_shortcodes(
        body,
        &p.source.display,
        p.body_line_offset,
        &p.path,
        config,
        data,
        cites,
    );
    let ctx = markdown::Context {
        smart_punctuation: config.raw.markdown.smart_punctuation,
        source_dir: &dir,
        site_path: &p.path,
        base_path: &config.base.path,
        resolve,
        line_offset: p.body_line_offset,
        safe: config.raw.markdown.safe,
        embeds: &embeds,
        reserved_ids,
        photos: cites.photos,
    };
    (markdown::render(&body, &ctx), diags)
}

/// id → articles (newest first) naming that id.
fn index_pages(
    by_date: &[usize],
    ids: impl Fn(usize) -> Vec<String>,
) -> HashMap<String, Vec<usize>> {
    let mut m: HashMap<String, Vec<usize>> = HashMap::new();
    for &i in by_date {
        for id in ids(i) {
            let v = m.entry(id).or_default();
            if v.last() != Some(&i) {
                v.push(i);
            }
        }
    }
    m
}

/// Articles' `areas`/`projects` must name declared ids (with a suggestion when they do not).
fn check_article_ids(pages: &[Page], data: &crate::data::Data, diags: &mut Vec<Diagnostic>) {
    for p in pages {
        for a in &p.meta.areas {
            if data.area(a.get_ref()).is_none() {
                diags.push(
                    Diagnostic::error(format!(
                        "không có địa bàn \"{}\" trong dữ liệu",
                        a.get_ref()
                    ))
                    .in_file(&p.source.display)
                    .at_opt(p.fm_position(a.span().start))
                    .hint(crate::data::validate::area_hint(data, a.get_ref())),
                );
            }
        }
        for pr in &p.meta.projects {
            if data.project(pr.get_ref()).is_none() {
                diags.push(
                    Diagnostic::error(format!("không có dự án \"{}\" trong dữ liệu", pr.get_ref()))
                        .in_file(&p.source.display)
                        .at_opt(p.fm_position(pr.span().start))
                        .hint(crate::data::validate::project_hint(data, pr.get_ref())),
                );
            }
        }
    }
}

/// Expands `so_lieu`/`bieu_do` shortcodes against the activity data. With `[markdown] safe`,
/// charts come back separately (third value) and stand as placeholders in the body, so the
/// sanitiser never sees them.
fn expand_shortcodes<'a>(
    body: &'a str,
    file: &str,
    line_offset: usize,
    page_path: &str,
    config: &SiteConfig,
    data: Option<&crate::data::Data>,
    cites: &Citations<'_>,
) -> (std::borrow::Cow<'a, str>, Vec<Diagnostic>, Vec<String>) {
    let safe = config.raw.markdown.safe;
    let embeds = std::cell::RefCell::new(Vec::new());
    let eval = |call: &crate::shortcodes::Call, n: usize| -> Result<String, String> {
        if call.name == "van_ban" {
            return cites.cite(&call.args);
        }
        if call.name == "anh" || call.name == "bo_anh" {
            let place = crate::anh::Place {
                page_path,
                base_path: &config.base.path,
            };
            // not lazy when nothing before it is a picture (the first screen)
            // (offsets are those of the body expanded, which `safe` strips first: `get`)
            let before = body.get(..call.start).unwrap_or("");
            let first = !before.contains("![")
                && !crate::shortcodes::find(before).iter().any(|i| {
                    i.as_call()
                        .is_some_and(|c| c.name == "anh" || c.name == "bo_anh")
                });
            return match call.name.as_str() {
                "anh" => cites.photos.shortcode_anh(&place, &call.args, first),
                _ => cites.photos.shortcode_bo_anh(&place, &call.args, first),
            };
        }
        let data = data.ok_or("trang chưa có dữ liệu: tạo content/data/ (areas.toml, programs.toml, reports/) trước khi dùng lệnh này")?;
        match call.name.as_str() {
            "so_lieu" => crate::figures::so_lieu(data, config, &call.args),
            _ if safe => {
                let chart = crate::figures::bieu_do(config, data, &call.args, n)?;
                let mut embeds = embeds.borrow_mut();
                embeds.push(chart);
                Ok(crate::sanitize::embed_placeholder(embeds.len() - 1))
            }
            _ => crate::figures::bieu_do(config, data, &call.args, n),
        }
    };
    let (out, diags) = if safe {
        let stripped = crate::sanitize::strip_marks(body);
        let (out, diags) = crate::shortcodes::expand(&stripped, file, line_offset, &eval);
        (std::borrow::Cow::Owned(out.into_owned()), diags)
    } else {
        crate::shortcodes::expand(body, file, line_offset, &eval)
    };
    (out, diags, embeds.into_inner())
}

/// What the `van_ban` shortcode needs: the documents and every article's URL.
pub struct Citations<'a> {
    pub documents: &'a van_ban::Documents,
    /// `pages[i]`: URL of article i.
    pub pages: &'a [String],
    /// The photos, for `anh`/`bo_anh` and Markdown images.
    pub photos: &'a crate::anh::Photos,
}

impl Citations<'_> {
    /// `{{ van_ban(so="123/QĐ-UBND") }}` (with `co_quan="…"` when two issuers share the
    /// number): a link to the document, its type and number, then its summary.
    fn cite(
        &self,
        args: &std::collections::BTreeMap<String, crate::shortcodes::Arg>,
    ) -> Result<String, String> {
        if let Some(k) = args
            .keys()
            .find(|k| !matches!(k.as_str(), "so" | "co_quan"))
        {
            return Err(crate::diag::with_fix(
                format!("không có tham số {k}"),
                "viết van_ban(so=\"123/QĐ-UBND\"), thêm co_quan=\"…\" khi hai cơ quan cùng dùng một số",
            ));
        }
        let so = args.get("so").map(|a| a.as_text()).ok_or_else(|| {
            crate::diag::with_fix(
                "thiếu tham số so",
                "viết van_ban(so=\"123/QĐ-UBND\") với số ký hiệu của văn bản",
            )
        })?;
        let co_quan = args.get("co_quan").map(|a| a.as_text());
        let esc = crate::escape::html;
        let Some(d) = self.documents.cite(&so, co_quan.as_deref())? else {
            return Ok(esc(&so));
        };
        Ok(format!(
            "<a class=\"van-ban-ref\" href=\"{}\">{} số {}</a> ({})",
            esc(&self.pages[d.page]),
            esc(d.loai),
            esc(&d.so_ky_hieu),
            md_text(&esc(&d.trich_yeu))
        ))
    }
}

/// Text the Markdown renderer shows as written: a summary with `*` or `_` is not emphasis.
fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '~' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Newest first; undated articles last; ties by title then path, so the order is total.
fn sort_by_date(idx: &mut [usize], pages: &[Page]) {
    idx.sort_by(|&a, &b| {
        let (pa, pb) = (&pages[a], &pages[b]);
        match (pa.date, pb.date) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        }
        .then_with(|| vi_cmp(&pa.title, &pb.title))
        .then_with(|| pa.source.relative.cmp(&pb.source.relative))
    });
}

fn build_taxonomies(
    config: &SiteConfig,
    pages: &[Page],
    rank: &[usize],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Taxonomy> {
    let names: Vec<&str> = config
        .raw
        .taxonomies
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    // Unknown taxonomy names in front matter.
    for p in pages {
        for (name, values) in &p.meta.taxonomies {
            if !names.contains(&name.as_str()) {
                let mut d = Diagnostic::error(format!("phân loại \"{name}\" chưa được khai báo"))
                    .in_file(&p.source.display);
                if let Some(first) = values.first() {
                    // report at the first value: the key itself carries no span
                    d = d.at_opt(p.fm_position(first.span().start));
                }
                let hint = match did_you_mean(name, names.iter().copied()) {
                    Some(s) => format!("có phải ý bạn là `{s}`? các phân loại đã khai báo: {}", names.join(", ")),
                    None => format!("dùng một trong: {}, hoặc khai báo thêm [[taxonomies]] name = \"{name}\" trong config.toml", names.join(", ")),
                };
                diags.push(d.hint(hint));
            }
        }
    }
    config
        .raw
        .taxonomies
        .iter()
        .map(|tc| {
            let mut by_slug: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
            for (i, p) in pages.iter().enumerate() {
                if let Some(values) = p.meta.taxonomies.get(&tc.name) {
                    for v in values {
                        let name = v.get_ref().trim();
                        let slug = slugify(name);
                        if slug.is_empty() {
                            diags.push(
                                Diagnostic::error(format!(
                                    "thẻ \"{name}\" không có chữ nào dùng được cho đường dẫn"
                                ))
                                .in_file(&p.source.display)
                                .at_opt(p.fm_position(v.span().start))
                                .hint("xoá thẻ rỗng hoặc viết thẻ bằng chữ"),
                            );
                            continue;
                        }
                        let entry = by_slug
                            .entry(slug)
                            .or_insert_with(|| (name.to_string(), Vec::new()));
                        // several spellings of one slug: keep the first in collation order
                        if vi_cmp(name, &entry.0) == std::cmp::Ordering::Less {
                            entry.0 = name.to_string();
                        }
                        if entry.1.last() != Some(&i) {
                            entry.1.push(i);
                        }
                    }
                }
            }
            let mut terms: Vec<Term> = by_slug
                .into_iter()
                .map(|(slug, (name, mut pages))| {
                    pages.sort_by_key(|&i| rank[i]);
                    pages.dedup();
                    Term { name, slug, pages }
                })
                .collect();
            terms.sort_by(|a, b| vi_cmp(&a.name, &b.name).then_with(|| a.slug.cmp(&b.slug)));
            let by_slug = terms
                .iter()
                .enumerate()
                .map(|(k, t)| (t.slug.clone(), k))
                .collect();
            Taxonomy {
                config: tc.clone(),
                terms,
                by_slug,
            }
        })
        .collect()
}
