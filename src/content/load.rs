//! Walks `content/`, reads every file in parallel and parses front matter.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use toml::Spanned;

use super::front_matter::{self, Split};
use super::keys::FileKind;
use super::page::{Page, PageFrontMatter, Section, SectionFrontMatter, Source, Translation};
use super::translation;
use crate::diag::{display_path, line_col, Diagnostic};
use crate::locale::{parse_date_value, slugify};
use crate::markdown::Rendered;
use crate::shortcodes;

use crate::config::DATA_DIR;
use crate::paths::is_safe_slug;

#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub include_drafts: bool,
    pub max_file_size: u64,
    /// Codes of `[languages.*]`: their `.CODE.md` files are pages, others are refused.
    pub languages: Vec<String>,
    /// Unsaved texts read instead of their files (the editor's preview).
    pub overlay: Option<std::sync::Arc<crate::source::Overlay>>,
}

/// Everything read from `content/`, plus every problem found on the way.
#[derive(Debug, Default)]
pub struct LoadedContent {
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    /// Pages in the configured other languages, in file order.
    pub translations: Vec<Translation>,
    /// The drafts left out (without `include_drafts`): their files (`content/tin-tuc/a.md`),
    /// sorted.
    pub drafts: Vec<String>,
    /// Articles whose `date` is still to come (without `include_drafts`), left out like drafts
    /// until then: (file, date), sorted by file.
    pub scheduled: Vec<(String, DateTime<FixedOffset>)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The time scheduled articles are compared with: `BANTIN_NOW` (an RFC 3339 or local date-time,
/// for tests and for checking what a build at some time would publish), else the clock.
pub fn publish_now() -> DateTime<FixedOffset> {
    std::env::var("BANTIN_NOW")
        .ok()
        .and_then(|s| parse_date_value(s.trim()))
        .unwrap_or_else(|| {
            let tz = FixedOffset::east_opt(7 * 3600).expect("+07:00 is a valid offset");
            chrono::Utc::now().with_timezone(&tz)
        })
}

/// Whether a loaded page stays out of this build: a draft, or dated after `now`. Recorded in
/// `out` for the build's summary.
fn left_out(
    page: &Page,
    opts: &LoadOptions,
    now: DateTime<FixedOffset>,
    out: &mut LoadedContent,
) -> bool {
    if opts.include_drafts {
        return false;
    }
    if page.meta.draft {
        out.drafts.push(page.source.display.clone());
        return true;
    }
    match page.date {
        Some(d) if d > now => {
            out.scheduled.push((page.source.display.clone(), d));
            true
        }
        _ => false,
    }
}

enum Kind {
    Section,
    Page {
        bundle: bool,
    },
    /// `STEM.CODE.md` with CODE configured in `[languages]`.
    Translation {
        code: String,
        stem: String,
    },
}

struct Found {
    path: PathBuf,
    rel: String,
    kind: Kind,
}

/// Reads `root/content`.
pub fn load_content(root: &Path, opts: &LoadOptions) -> LoadedContent {
    let content_dir = root.join("content");
    let mut out = LoadedContent::default();
    let now = publish_now();
    if !content_dir.is_dir() {
        out.diagnostics
            .push(Diagnostic::error("không tìm thấy thư mục content/").hint(
                "tạo thư mục content/ chứa các bài viết, hoặc chạy `bantin init` để tạo trang mẫu",
            ));
        return out;
    }
    let mut walked = walk(root, &content_dir, &opts.languages, &mut out.diagnostics);
    if let Some(o) = &opts.overlay {
        overlay_pages(&mut walked, o, &content_dir);
    }
    sections_over_bundles(&mut walked, &mut out.diagnostics);

    // Parse every Markdown file in parallel; results come back in walk order (deterministic).
    let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = walked
        .md_files
        .par_iter()
        .map(|f| parse_file(root, f, opts))
        .collect();
    let mut sections_by_dir: BTreeMap<String, Section> = BTreeMap::new();
    // sized once: a page is a large value, and a doubling vector holds up to twice the pages
    // (and both copies while it grows)
    let mut pages = Vec::with_capacity(parsed.len());
    for p in parsed {
        match p {
            Ok(Parsed::Section(s, diags)) => {
                out.diagnostics.extend(diags);
                sections_by_dir.insert(s.dir.clone(), *s);
            }
            Ok(Parsed::Translation(t, diags)) => {
                out.diagnostics.extend(diags);
                if left_out(&t.page, opts, now, &mut out) {
                    continue;
                }
                out.translations.push(*t);
            }
            Ok(Parsed::Page(p, diags)) => {
                out.diagnostics.extend(diags);
                if left_out(&p, opts, now, &mut out) {
                    continue;
                }
                pages.push(*p);
            }
            Err(d) => out.diagnostics.extend(d),
        }
    }
    translation_paths(&mut out.translations);
    implicit_sections(&pages, &mut sections_by_dir, &content_dir, root);
    attach_assets(walked, &mut pages, &mut sections_by_dir);
    // An `index.en.md` shares its bundle's files with the Vietnamese `index.md`: they are
    // copied beside the English page too, so its relative links (`![…](anh.jpg)`) work.
    for t in &mut out.translations {
        if let Some(twin) = pages.iter().find(|p| p.source.relative == t.twin) {
            if t.twin.ends_with("/index.md") {
                t.page.assets = twin.assets.clone();
            }
        }
    }
    // Pages of a section get the section's (slugified) path as their URL prefix.
    for page in &mut pages {
        let prefix = sections_by_dir
            .get(&page.section)
            .map(|s| s.path.clone())
            .unwrap_or_default();
        page.path = format!("{prefix}{}/", page.slug);
    }
    let dirs: BTreeSet<String> = sections_by_dir.keys().cloned().collect();
    check_dir_names(&dirs, &mut out.diagnostics);
    out.sections = sections_by_dir.into_values().collect();
    out.pages = pages;
    out.drafts.sort();
    out.scheduled.sort();
    out
}

/// What a walk of `content/` found.
#[derive(Default)]
struct Walked {
    md_files: Vec<Found>,
    /// Other files: (path, content-relative path).
    other_files: Vec<(PathBuf, String)>,
    /// Folders with an `index.md` (page bundles) and with an `_index.md` (sections).
    bundle_dirs: BTreeSet<String>,
    section_dirs: BTreeSet<String>,
}

/// The entries of `content/` a build reads, in name order: hidden entries and `content/data/`
/// left out, symlinks not followed. (`bantin new` finds the sections with it too.)
pub fn content_entries(
    content_dir: &Path,
) -> impl Iterator<Item = walkdir::Result<walkdir::DirEntry>> {
    crate::fsutil::walk_sorted(content_dir)
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            let hidden = name.starts_with('.') && e.depth() > 0;
            let data = e.depth() == 1 && name == DATA_DIR && e.file_type().is_dir();
            !hidden && !data
        })
}

/// Walks `content/` ([`content_entries`]), sorting files into Markdown and other files;
/// symlinks, unreadable entries and translation files are reported.
fn walk(
    root: &Path,
    content_dir: &Path,
    languages: &[String],
    diagnostics: &mut Vec<Diagnostic>,
) -> Walked {
    let mut w = Walked::default();
    let walker = content_entries(content_dir);
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let file = e
                    .path()
                    .map(|p| display_path(root, p))
                    .unwrap_or_else(|| "content".into());
                diagnostics.push(
                    Diagnostic::error(format!("không đọc được: {e}"))
                        .in_file(file)
                        .hint("kiểm tra quyền truy cập của tệp/thư mục"),
                );
                continue;
            }
        };
        let path = entry.path();
        let rel = display_path(content_dir, path);
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::error("liên kết tượng trưng (symlink) không được theo")
                    .in_file(display_path(root, path))
                    .hint("sao chép tệp thật vào content/ thay cho liên kết"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if let Some((stem, code)) = translation::translation(&name) {
            if languages.iter().any(|l| l == code) {
                w.md_files.push(Found {
                    path: path.to_path_buf(),
                    kind: Kind::Translation {
                        code: code.to_string(),
                        stem: stem.to_string(),
                    },
                    rel,
                });
            } else {
                let display = display_path(root, path);
                diagnostics.push(translation::diagnostic(&display, stem, code, languages));
            }
        } else if name.ends_with(".md") {
            let dir = parent_rel(&rel);
            if name == "_index.md" {
                w.section_dirs.insert(dir.clone());
                w.md_files.push(Found {
                    path: path.to_path_buf(),
                    rel,
                    kind: Kind::Section,
                });
            } else if name == "index.md" && !dir.is_empty() {
                w.bundle_dirs.insert(dir);
                w.md_files.push(Found {
                    path: path.to_path_buf(),
                    rel,
                    kind: Kind::Page { bundle: true },
                });
            } else {
                w.md_files.push(Found {
                    path: path.to_path_buf(),
                    rel,
                    kind: Kind::Page { bundle: false },
                });
            }
        } else {
            w.other_files.push((path.to_path_buf(), rel));
        }
    }
    w
}

/// The overlay's articles not on disk (a new article's preview), as plain pages: an overlay
/// path is a `.md` file directly in a folder of `content/`, never `_index.md`/`index.md`.
fn overlay_pages(w: &mut Walked, overlay: &crate::source::Overlay, content_dir: &Path) {
    for path in overlay.0.keys() {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let plain = name.as_deref().is_some_and(|n| {
            n.ends_with(".md") && n != "_index.md" && n != "index.md" && !n.starts_with('.')
        });
        let known = w.md_files.iter().any(|f| &f.path == path);
        if !plain || known || !path.starts_with(content_dir) || path.exists() {
            continue;
        }
        w.md_files.push(Found {
            path: path.clone(),
            rel: display_path(content_dir, path),
            kind: Kind::Page { bundle: false },
        });
    }
}

/// A folder with both `_index.md` and `index.md` is a section; its index.md is an error.
fn sections_over_bundles(w: &mut Walked, diagnostics: &mut Vec<Diagnostic>) {
    for dir in w.section_dirs.intersection(&w.bundle_dirs.clone()) {
        w.bundle_dirs.remove(dir);
        diagnostics.push(
            Diagnostic::error(
                "thư mục vừa có _index.md (chuyên mục) vừa có index.md (bài viết dạng gói)",
            )
            .in_file(format!("content/{dir}/index.md"))
            .hint("đổi tên index.md thành tên bài viết, ví dụ bai-moi.md"),
        );
    }
    w.md_files.retain(|f| {
        !(matches!(f.kind, Kind::Page { bundle: true })
            && w.section_dirs.contains(&parent_rel(&f.rel)))
    });
}

/// Every folder holding articles gets a section, even without `_index.md` (title = folder),
/// and so do its ancestors, so breadcrumbs and subsections are complete.
fn implicit_sections(
    pages: &[Page],
    sections_by_dir: &mut BTreeMap<String, Section>,
    content_dir: &Path,
    root: &Path,
) {
    let mut needed: BTreeSet<String> = pages.iter().map(|p| p.section.clone()).collect();
    needed.insert(String::new());
    for dir in needed {
        // ancestors too, so breadcrumbs and subsections are complete
        let mut d = dir.clone();
        loop {
            sections_by_dir
                .entry(d.clone())
                .or_insert_with(|| implicit_section(content_dir, root, &d));
            match d.rfind('/') {
                Some(i) => d.truncate(i),
                None if !d.is_empty() => d.clear(),
                None => break,
            }
        }
    }
}

/// Files inside a bundle belong to it; other files belong to their folder's section.
fn attach_assets(
    walked: Walked,
    pages: &mut [Page],
    sections_by_dir: &mut BTreeMap<String, Section>,
) {
    let bundle_dirs = walked.bundle_dirs;
    let mut bundle_assets: BTreeMap<String, Vec<(PathBuf, String)>> = BTreeMap::new();
    for (path, rel) in walked.other_files {
        // The deepest folder above the file that is a bundle: its ancestors looked up one by
        // one (a scan of every bundle per file was quadratic: 5 s at 10 000 photo bundles).
        if let Some(bundle) = owning_bundle(&rel, |dir| bundle_dirs.contains(dir)) {
            let name = rel[bundle.len() + 1..].to_string();
            bundle_assets
                .entry(bundle.to_string())
                .or_default()
                .push((path, name));
        } else {
            let dir = parent_rel(&rel);
            if let Some(section) = nearest_section(sections_by_dir, &dir) {
                let name = &rel[dir.len()..].trim_start_matches('/');
                let site_path = format!("{}{}{}", section.path, sub_dir(&dir, &section.dir), name);
                section.assets.push((path, site_path));
            }
        }
    }
    for page in pages.iter_mut() {
        if let Some(assets) = bundle_assets.remove(&bundle_dir(page)) {
            page.assets = assets;
        }
    }
}

/// The deepest folder above the content file `rel` that `is_bundle` accepts: the bundle the
/// file belongs to (`serve` asks it again for a photo dropped in later).
pub fn owning_bundle(rel: &str, is_bundle: impl Fn(&str) -> bool) -> Option<&str> {
    let ancestors = rel.char_indices().rev().filter(|&(_, c)| c == '/');
    ancestors.map(|(i, _)| &rel[..i]).find(|dir| is_bundle(dir))
}

fn bundle_dir(page: &Page) -> String {
    parent_rel(&page.source.relative)
}

fn sub_dir(dir: &str, section_dir: &str) -> String {
    let rest = dir[section_dir.len()..].trim_start_matches('/');
    if rest.is_empty() {
        String::new()
    } else {
        format!("{rest}/")
    }
}

fn nearest_section<'a>(
    sections: &'a mut BTreeMap<String, Section>,
    dir: &str,
) -> Option<&'a mut Section> {
    let mut d = dir.to_string();
    loop {
        if sections.contains_key(&d) {
            return sections.get_mut(&d);
        }
        match d.rfind('/') {
            Some(i) => d.truncate(i),
            None if !d.is_empty() => d.clear(),
            None => return None,
        }
    }
}

fn parent_rel(rel: &str) -> String {
    match rel.rfind('/') {
        Some(i) => rel[..i].to_string(),
        None => String::new(),
    }
}

/// Folders whose name gives no usable URL segment (empty slug, a Windows device name, too
/// long): reported once per folder.
fn check_dir_names(dirs: &BTreeSet<String>, diags: &mut Vec<Diagnostic>) {
    let mut seen = BTreeSet::new();
    for dir in dirs {
        let mut prefix = String::new();
        for seg in dir.split('/').filter(|s| !s.is_empty()) {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(seg);
            if !seen.insert(prefix.clone()) {
                continue;
            }
            let slug = slugify(seg);
            if !is_safe_slug(&slug) {
                let why = if slug.is_empty() {
                    "không có chữ cái hay chữ số nào để làm đường dẫn".to_string()
                } else {
                    format!("cho đường dẫn \"{slug}\" trùng tên thiết bị của Windows hoặc quá dài")
                };
                diags.push(
                    Diagnostic::error(format!("tên thư mục \"{seg}\" {why}"))
                    .in_file(format!("content/{prefix}"))
                    .hint("đổi tên thư mục bằng chữ và số, ví dụ tin-tuc; tránh các tên con, aux, nul, com1, lpt1"),
                );
            }
        }
    }
}

/// Site path of a content folder: each segment slugified (`Tin tức/` → `tin-tuc/`).
fn dir_site_path(dir: &str) -> String {
    if dir.is_empty() {
        return String::new();
    }
    let mut s = String::new();
    for seg in dir.split('/') {
        let slug = slugify(seg);
        s.push_str(if slug.is_empty() { "-" } else { &slug });
        s.push('/');
    }
    s
}

fn implicit_section(content_dir: &Path, root: &Path, dir: &str) -> Section {
    let rel = if dir.is_empty() {
        "_index.md".to_string()
    } else {
        format!("{dir}/_index.md")
    };
    let path = content_dir.join(&rel);
    Section {
        source: Source {
            display: display_path(root, &path),
            path,
            relative: rel,
        },
        meta: SectionFrontMatter {
            feed: true,
            ..Default::default()
        },
        title: dir.rsplit('/').next().unwrap_or("").to_string(),
        dir: dir.to_string(),
        path: dir_site_path(dir),
        body: String::new(),
        body_line_offset: 0,
        assets: Vec::new(),
        rendered: Rendered::default(),
    }
}

enum Parsed {
    Section(Box<Section>, Vec<Diagnostic>),
    Page(Box<Page>, Vec<Diagnostic>),
    Translation(Box<Translation>, Vec<Diagnostic>),
}

fn parse_file(root: &Path, f: &Found, opts: &LoadOptions) -> Result<Parsed, Vec<Diagnostic>> {
    let display = display_path(root, &f.path);
    let overlay = opts.overlay.as_deref();
    let text = crate::source::read_source(overlay, &f.path, &display, opts.max_file_size)
        .map_err(|d| vec![d])?;
    let split = front_matter::split(&text).map_err(|e| vec![e.to_diagnostic(&display)])?;
    let source = Source {
        path: f.path.clone(),
        relative: f.rel.clone(),
        display: display.clone(),
    };
    match f.kind {
        Kind::Section => parse_section(f, &split, &display, source),
        Kind::Page { bundle } => parse_page(f, bundle, &split, &display, source),
        Kind::Translation { ref code, ref stem } => {
            parse_translation(f, code, stem, &split, &display, source)
        }
    }
}

/// The `/en/…` path of each translation: a folder's segment is the slug of its own
/// `_index.en.md` when it has one (`slug = "about"`: `/en/about/contact/`), else the
/// Vietnamese folder's; the page's own slug last.
fn translation_paths(translations: &mut [Translation]) {
    let folder_slug: BTreeMap<(String, String), String> = translations
        .iter()
        .filter(|t| t.twin.ends_with("_index.md") && !t.page.slug.is_empty())
        .map(|t| {
            (
                (t.lang.clone(), t.page.section.clone()),
                t.page.slug.clone(),
            )
        })
        .collect();
    for t in translations.iter_mut() {
        let mut path = format!("{}/", t.lang);
        let mut dir = String::new();
        for seg in t.parent.split('/').filter(|s| !s.is_empty()) {
            if !dir.is_empty() {
                dir.push('/');
            }
            dir.push_str(seg);
            match folder_slug.get(&(t.lang.clone(), dir.clone())) {
                Some(slug) => path.push_str(slug),
                None => path.push_str(&dir_site_path(seg)),
            }
            if !path.ends_with('/') {
                path.push('/');
            }
        }
        if !t.page.slug.is_empty() {
            path.push_str(&t.page.slug);
            path.push('/');
        }
        t.page.path = path;
    }
}

/// A page in another language, read as an article (whatever its Vietnamese twin is: a
/// section's `_index.en.md` is a page too, English pages have no listings), with its `/en/…`
/// path: the folders' Vietnamese slugs, its own `slug` (or its file name's) last.
fn parse_translation(
    f: &Found,
    code: &str,
    stem: &str,
    split: &Split<'_>,
    display: &str,
    source: Source,
) -> Result<Parsed, Vec<Diagnostic>> {
    let dir = parent_rel(&f.rel);
    let join = |dir: &str, name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    // (the twin's content path, the folder the page's path is under, the name its slug
    // defaults to: none for a section's `_index`, whose path is its folder's)
    let (twin, parent, own) = match stem {
        "_index" => {
            let up = parent_rel(&dir);
            let last = dir.rsplit('/').next().unwrap_or("").to_string();
            (
                join(&dir, "_index.md"),
                up,
                (!dir.is_empty()).then_some(last),
            )
        }
        "index" if !dir.is_empty() => {
            let last = dir.rsplit('/').next().unwrap_or("").to_string();
            (join(&dir, "index.md"), parent_rel(&dir), Some(last))
        }
        _ => (
            join(&dir, &format!("{stem}.md")),
            dir.clone(),
            Some(stem.to_string()),
        ),
    };
    let bundle = stem == "index" && !dir.is_empty();
    let Parsed::Page(mut page, mut diags) = parse_page(f, bundle, split, display, source)? else {
        unreachable!("parse_page returns a page")
    };
    let last = match (&own, &page.meta.slug) {
        (None, None) => None,
        (Some(name), None) => Some(page_slug(&page.meta, name, split, display, &mut diags)),
        // checked by parse_page already
        (_, Some(_)) => Some(page.slug.clone()),
    };
    // the path is set by `translation_paths` once every folder's own slug is known
    page.slug = last.unwrap_or_default();
    page.section = dir;
    Ok(Parsed::Translation(
        Box::new(Translation {
            lang: code.to_string(),
            page: *page,
            twin,
            parent,
        }),
        diags,
    ))
}

/// A section's `_index.md`, split.
fn parse_section(
    f: &Found,
    split: &Split<'_>,
    display: &str,
    source: Source,
) -> Result<Parsed, Vec<Diagnostic>> {
    let meta: SectionFrontMatter = front_matter::parse(split, display, FileKind::Section)?;
    let dir = parent_rel(&f.rel);
    // Zola's escapes are shown as in articles; shortcode calls are reported (a section
    // page shows no figures) instead of reaching the page as literal text.
    let (body, mut diags) =
        shortcodes::expand_in_section(split.body, display, split.body_line_offset);
    if meta.paginate_by == Some(0) {
        diags.push(
            Diagnostic::error("paginate_by phải lớn hơn 0")
                .in_file(display)
                .hint("ví dụ: paginate_by = 10"),
        );
    }
    Ok(Parsed::Section(
        Box::new(Section {
            title: meta
                .title
                .clone()
                .unwrap_or_else(|| dir.rsplit('/').next().unwrap_or("").to_string()),
            path: dir_site_path(&dir),
            dir,
            body: body.into_owned(),
            body_line_offset: split.body_line_offset,
            source,
            meta,
            assets: Vec::new(),
            rendered: Rendered::default(),
        }),
        diags,
    ))
}

/// An article, split: its dates, section, slug and ids checked.
fn parse_page(
    f: &Found,
    bundle: bool,
    split: &Split<'_>,
    display: &str,
    source: Source,
) -> Result<Parsed, Vec<Diagnostic>> {
    let mut meta: PageFrontMatter = front_matter::parse(split, display, FileKind::Page)?;
    let mut diags = Vec::new();
    let date = spanned_date(&meta.date, "date", split, display, &mut diags);
    let updated = spanned_date(&meta.updated, "updated", split, display, &mut diags);
    let section = if bundle {
        parent_rel(&parent_rel(&f.rel))
    } else {
        parent_rel(&f.rel)
    };
    let stem = if bundle {
        parent_rel(&f.rel)
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_string()
    } else {
        f.rel
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md")
            .to_string()
    };
    let slug = page_slug(&meta, &stem, split, display, &mut diags);
    check_ids(&meta, split, display, &mut diags);
    if meta.title.as_deref().unwrap_or("").trim().is_empty() {
        diags.push(
            Diagnostic::error("bài viết thiếu tiêu đề (title)")
                .in_file(display)
                .at(1, 1)
                .hint("thêm dòng title = \"Tiêu đề bài viết\" giữa hai dòng +++"),
        );
    }
    Ok(Parsed::Page(
        Box::new(Page {
            // taken: the page's own fields are the ones read
            title: meta.title.take().unwrap_or_default(),
            description: meta.description.take().unwrap_or_default(),
            date,
            updated,
            slug,
            section,
            path: String::new(),
            body: split.body.to_string(),
            body_line_offset: split.body_line_offset,
            front_matter: split.front_matter.to_string(),
            front_matter_line_offset: split.front_matter_line_offset,
            assets: Vec::new(),
            source,
            meta,
            rendered: Rendered::default(),
            image: None,
        }),
        diags,
    ))
}

/// The article's slug: `slug = "…"` when it is safe, else the file name's; an unusable one is
/// reported and replaced, so the build can go on to find other problems.
fn page_slug(
    meta: &PageFrontMatter,
    stem: &str,
    split: &Split<'_>,
    display: &str,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let slug = match &meta.slug {
        Some(s) => {
            let v = s.get_ref();
            if is_safe_slug(v) {
                v.clone()
            } else {
                diags.push(
                    span_diag(split, display, s.span(), format!("slug \"{v}\" không hợp lệ"))
                        .hint(format!("slug chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ slug = \"{}\"", slugify(v))),
                );
                slugify(v)
            }
        }
        None => {
            let s = slugify(stem);
            if !s.is_empty() && !is_safe_slug(&s) {
                diags.push(
                    Diagnostic::error(format!(
                        "tên tệp cho đường dẫn \"{s}\" không dùng được (trùng tên thiết bị của Windows hoặc quá dài)"
                    ))
                    .in_file(display)
                    .at(1, 1)
                    .hint(format!("đổi tên tệp hoặc thêm slug = \"{s}-1\" vào phần thông tin đầu bài")),
                );
            }
            s
        }
    };
    if slug.is_empty() {
        diags.push(
            Diagnostic::error("không tạo được đường dẫn (slug) từ tên tệp")
                .in_file(display)
                .hint("đặt tên tệp bằng chữ, ví dụ ket-qua-du-an-8.md, hoặc thêm slug = \"…\""),
        );
        return "bai-viet".to_string();
    }
    slug
}

/// Area and project ids in the front matter are slugs.
fn check_ids(
    meta: &PageFrontMatter,
    split: &Split<'_>,
    display: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for (key, list) in [("areas", &meta.areas), ("projects", &meta.projects)] {
        for id in list {
            if !is_safe_slug(id.get_ref()) {
                diags.push(
                    span_diag(
                        split,
                        display,
                        id.span(),
                        format!("mã \"{}\" trong {key} không hợp lệ", id.get_ref()),
                    )
                    .hint(format!(
                        "mã viết thường không dấu, nối bằng gạch ngang, ví dụ \"{}\"",
                        slugify(id.get_ref())
                    )),
                );
            }
        }
    }
}

/// A diagnostic at a span of the front matter block, reported at the file position.
pub fn span_diag(
    split: &Split<'_>,
    file: &str,
    span: std::ops::Range<usize>,
    msg: String,
) -> Diagnostic {
    let (l, c) = line_col(split.front_matter, span.start);
    Diagnostic::error(msg)
        .in_file(file)
        .at(l + split.front_matter_line_offset, c)
}

fn spanned_date(
    v: &Option<Spanned<toml::Value>>,
    key: &str,
    split: &Split<'_>,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<DateTime<FixedOffset>> {
    let v = v.as_ref()?;
    let text = match v.get_ref() {
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match parse_date_value(text.trim()) {
        Some(d) => Some(d),
        None => {
            diags.push(
                span_diag(
                    split,
                    file,
                    v.span(),
                    format!("{key} = {text} không phải ngày hợp lệ"),
                )
                .hint(format!(
                    "viết {key} = 2022-12-12 hoặc {key} = 2022-12-12T09:30:00+07:00"
                )),
            );
            None
        }
    }
}
