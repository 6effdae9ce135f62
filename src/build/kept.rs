//! What a caller that rebuilds (`serve`, the editor) keeps of the last good run, and the one
//! thing the pipeline does with it beyond skipping unchanged jobs: when only the bodies of
//! existing articles changed (their front matter is byte for byte the same, so slugs, dates,
//! titles, tags, listings, related articles… are too), the kept model is reused with just those
//! articles read again, instead of loading and planning the whole site. A photo dropped into
//! (or replaced in) such an article's folder joins that way too ([`super::photos`]).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use super::inputs::{self, Inputs};
use super::photos::{self, PhotoEdit};
use crate::content::Page;
use crate::diag::Diagnostic;
use crate::plan::{self, Job};
use crate::render::{values, RendererParts};
use crate::site::Site;
use crate::source::Overlay;

/// The last good run, as the next run needs it.
pub struct Kept {
    /// Shared only with a thread that reads it for a while (serve's search documents); the
    /// model can be reused only once that thread has let go of it.
    pub site: Arc<Site>,
    /// The planned jobs, sorted by output path (the search index files are not among them).
    pub(super) jobs: Vec<Job>,
    /// `None` only while lent to a renderer.
    pub(super) parts: Option<RendererParts>,
    pub(super) inputs: Inputs,
    /// `readers[i]`: the jobs whose fingerprint reads article i's summary, link or body.
    pub(super) readers: Vec<Vec<u32>>,
    pub(super) notices: Vec<usize>,
    /// Site path → where its heading ids are (`true`: a section), for link checks.
    pub(super) anchors: HashMap<String, (bool, usize)>,
    /// Warnings of the last full run (only data files warn, and a reuse reads none).
    pub(super) warnings: Vec<Diagnostic>,
    /// Output path → fingerprint, for every file of the last good run.
    pub fingerprints: HashMap<String, u64>,
}

impl Kept {
    /// Position of article `i` among the articles newest first (the search documents' order).
    pub fn rank(&self, i: usize) -> usize {
        self.site.date_rank[i]
    }

    /// Replaces the search index files of the last run by `files` (installed by the caller).
    pub fn set_search_files<'a>(
        &mut self,
        old: impl Iterator<Item = &'a str>,
        files: impl Iterator<Item = (&'a str, &'a [u8])>,
    ) {
        for path in old {
            self.fingerprints.remove(path);
        }
        for (path, bytes) in files {
            self.fingerprints
                .insert(path.to_string(), inputs::bytes_job(path, bytes));
        }
    }
}

/// A [`Kept`] waiting for the values only the end of a run knows.
pub(super) struct KeptBuilder {
    site: Arc<Site>,
    jobs: Vec<Job>,
    parts: RendererParts,
}

impl KeptBuilder {
    pub(super) fn new(site: Arc<Site>, jobs: Vec<Job>, parts: RendererParts) -> KeptBuilder {
        KeptBuilder { site, jobs, parts }
    }

    pub(super) fn finish(
        self,
        inputs: Inputs,
        readers: Vec<Vec<u32>>,
        warnings: Vec<Diagnostic>,
        fingerprints: HashMap<String, u64>,
    ) -> Kept {
        let site = &self.site;
        let mut anchors = HashMap::with_capacity(site.pages.len() + site.sections.len());
        for (i, p) in site.pages.iter().enumerate() {
            anchors.insert(p.path.clone(), (false, i));
        }
        for (i, s) in site.sections.iter().enumerate() {
            anchors.insert(s.section.path.clone(), (true, i));
        }
        Kept {
            notices: site.notices(),
            site: self.site,
            jobs: self.jobs,
            parts: Some(self.parts),
            inputs,
            readers,
            anchors,
            warnings,
            fingerprints,
        }
    }
}

/// Articles read again into the kept model. Until [`Edit::keep`], [`Edit::undo`] puts the
/// kept model back as it was (a failed run leaves the last good one in place).
pub(super) struct Edit {
    /// (article, the other version): the old page once the new one is swapped in.
    pages: Vec<(usize, Page)>,
    updates: Vec<Update>,
    /// Photos dropped into (or replaced in) the articles' bundles.
    pub(super) photos: PhotoEdit,
}

/// An edited article's new values (the old ones once swapped in).
struct Update {
    page: usize,
    summary: crate::render::TValue,
    hash: u64,
    body: u64,
}

impl Edit {
    /// The edited articles.
    pub(super) fn articles(&self) -> Vec<usize> {
        self.pages.iter().map(|(i, _)| *i).collect()
    }

    fn swap_pages(&mut self, site: &mut Site) {
        for (i, page) in &mut self.pages {
            std::mem::swap(&mut site.pages[*i], page);
        }
    }

    fn swap_values(&mut self, parts: &mut RendererParts, inputs: &mut Inputs) {
        for u in &mut self.updates {
            let i = u.page;
            let summary = std::mem::replace(&mut u.summary, crate::render::TValue::none());
            u.summary = parts.set_summary(i, summary);
            std::mem::swap(&mut inputs.summary[i], &mut u.hash);
            std::mem::swap(&mut inputs.body[i], &mut u.body);
        }
    }

    /// Puts the kept model back as it was before [`reread`].
    pub(super) fn undo(mut self, kept: &mut Kept) {
        if let Some(parts) = kept.parts.as_mut() {
            self.swap_values(parts, &mut kept.inputs);
        }
        if let Some(site) = Arc::get_mut(&mut kept.site) {
            self.swap_pages(site);
            self.photos.undo(site, &mut kept.jobs, &mut kept.readers);
        }
    }

    /// The jobs whose fingerprint reads an edited article: the only ones that can change.
    pub(super) fn candidates(&self, kept: &Kept) -> Vec<usize> {
        let mut c: Vec<usize> = self
            .pages
            .iter()
            .flat_map(|(i, _)| kept.readers[*i].iter().map(|&j| j as usize))
            .chain(self.photos.copies.iter().copied())
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    }
}

/// Reads the edited articles at `paths` again and swaps them into the kept model, with the
/// problems found in them (Markdown, links); photos dropped into their bundles are processed
/// and patched in first ([`photos`]). `Err(why)` when the model cannot be reused.
pub(super) fn reread(
    kept: &mut Kept,
    opts: &super::BuildOptions,
    paths: &BTreeSet<String>,
) -> Result<(Edit, Vec<Diagnostic>), String> {
    let (root, overlay) = (opts.root.as_path(), opts.overlay.as_deref());
    if paths.is_empty() {
        return Err("không rõ tệp nào đổi".into());
    }
    let (edited, dropped) = edited_articles(&kept.site, root, paths, overlay)?;
    if crate::site::today() != kept.site.build_date.date_naive() {
        return Err("đã sang ngày mới".into());
    }
    let Some(site) = Arc::get_mut(&mut kept.site) else {
        return Err("bản dựng trước còn đang được dùng".into());
    };
    let (photo_edit, mut diags) = photos::apply(site, &mut kept.jobs, &mut kept.readers, dropped)?;
    let mut edit = Edit {
        pages: Vec::new(),
        updates: Vec::new(),
        photos: photo_edit,
    };
    if diags.iter().any(Diagnostic::is_error) {
        return Ok((edit, diags));
    }
    for i in edited {
        match read_article(site, i, overlay, &mut diags) {
            Ok(page) => edit.pages.push((i, page)),
            Err(why) => {
                edit.undo(kept);
                return Err(why);
            }
        }
    }
    edit.swap_pages(site);
    diags.extend(crate::checks::markdown_problems(site));
    diags.extend(links(kept, &edit));
    Ok((edit, diags))
}

/// The articles at `paths` (existing ones, still there), with those whose bundle got a
/// changed photo (read again too: their body or gallery may show it).
fn edited_articles(
    site: &Site,
    root: &Path,
    paths: &BTreeSet<String>,
    overlay: Option<&Overlay>,
) -> Result<(BTreeSet<usize>, Vec<photos::Dropped>), String> {
    let mut edited = BTreeSet::new();
    let mut dropped = Vec::new();
    for path in paths {
        if let Some(photo) = photos::bundle_photo(site, root, path) {
            let photo = photo?;
            edited.insert(photo.page());
            dropped.push(photo);
            continue;
        }
        let article = path
            .strip_prefix("content/")
            .filter(|rel| rel.ends_with(".md") && !rel.rsplit('/').any(|n| n == "_index.md"))
            .and_then(|rel| site.page_by_content.get(rel));
        let Some(&i) = article else {
            return Err(format!("{path} không phải một bài viết đã có"));
        };
        let file = root.join(path);
        let plain = overlay.is_some_and(|o| o.0.contains_key(&file))
            || std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file());
        if !plain {
            return Err(format!("{path} đã bị xoá hoặc đổi tên"));
        }
        edited.insert(i);
    }
    Ok((edited, dropped))
}

/// Article `i` read again; `Err(why)` when it cannot be reused in place (its front matter
/// changed, or it cannot be read or split: the full load reports that).
fn read_article(
    site: &Site,
    i: usize,
    overlay: Option<&Overlay>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Page, String> {
    let old = &site.pages[i];
    let shown = &old.source.display;
    let max = site.config.raw.max_file_size;
    let Ok(text) = crate::source::read_source(overlay, &old.source.path, shown, max) else {
        return Err(format!("không đọc được {shown}"));
    };
    let Ok(split) = crate::content::front_matter::split(&text) else {
        return Err(format!("không tách được {shown}"));
    };
    if split.front_matter != old.front_matter || split.body_line_offset != old.body_line_offset {
        return Err(format!("thông tin đầu bài của {shown} đã đổi"));
    }
    let mut page = Page {
        body: split.body.to_string(),
        rendered: Default::default(),
        ..old.clone()
    };
    let resolve = |p: &str| content_url(site, p);
    let urls: Vec<String> = site
        .pages
        .iter()
        .map(|p| site.config.url(&p.path))
        .collect();
    let cites = crate::site::Citations {
        documents: &site.documents,
        pages: &urls,
        photos: &site.photos,
    };
    diags.extend(crate::site::render_page_markdown(
        &mut page,
        &site.config,
        site.data.as_ref(),
        &cites,
        &resolve,
        &site.template_ids.all,
    ));
    page.image = crate::site::page_image(&page, &site.photos).unwrap_or_else(|d| {
        diags.push(d);
        None
    });
    Ok(page)
}

/// The links of the edited articles (swapped in); every link when a heading id changed
/// (another article may point at it). Against the kept plan, as `checks` does for a full run.
fn links(kept: &Kept, edit: &Edit) -> Vec<Diagnostic> {
    let site: &Site = &kept.site;
    let headings_changed = edit
        .pages
        .iter()
        .any(|(i, old)| old.rendered.ids != site.pages[*i].rendered.ids);
    let jobs = &kept.jobs;
    let planned = |p: &str| jobs.binary_search_by(|j| j.output.as_str().cmp(p)).is_ok();
    let has_path = |p: &str| planned(p) || planned(&format!("{p}index.html"));
    let anchors = |p: &str| {
        kept.anchors.get(p).map(|&(section, k)| {
            if section {
                plan::section_anchors(site, k)
            } else {
                plan::page_anchors(site, k)
            }
        })
    };
    if headings_changed {
        let sections = site.sections.iter().map(|s| {
            let s = &s.section;
            (s.source.display.as_str(), &s.rendered, s.path.as_str())
        });
        let items = site.pages.iter().map(link_item).chain(sections);
        plan::check_link_items(site, items, &has_path, &anchors)
    } else {
        let items = edit.pages.iter().map(|(i, _)| link_item(&site.pages[*i]));
        plan::check_link_items(site, items, &has_path, &anchors)
    }
}

/// New summary values and input hashes of the edited articles, swapped into the kept parts.
/// `Err(why)` (nothing swapped) when a summary shown on every page changed.
pub(super) fn update_values(kept: &mut Kept, edit: &mut Edit) -> Result<(), String> {
    let site: &Site = &kept.site;
    let mut updates = Vec::with_capacity(edit.pages.len());
    for &(i, _) in &edit.pages {
        let summary = values::page_summary(site, i);
        let hash = inputs::summary_hash(&summary);
        if hash != kept.inputs.summary[i] && kept.notices.contains(&i) {
            return Err(format!(
                "tóm tắt của {} (hiện ở mục thông báo trên mọi trang) đã đổi",
                site.pages[i].source.display
            ));
        }
        updates.push(Update {
            page: i,
            summary,
            hash,
            body: inputs::body_hash(&site.pages[i]),
        });
    }
    let Some(parts) = kept.parts.as_mut() else {
        return Err("thiếu phần chuẩn bị của mẫu".into());
    };
    edit.updates = updates;
    edit.swap_values(parts, &mut kept.inputs);
    Ok(())
}

/// An article as [`plan::check_link_items`] takes it.
fn link_item(p: &Page) -> (&str, &crate::markdown::Rendered, &str) {
    (p.source.display.as_str(), &p.rendered, p.path.as_str())
}

/// The URL of a content path (`tin-tuc/a.md`), as the Markdown stage resolves `@/` links.
fn content_url(site: &Site, path: &str) -> Option<String> {
    let path = path.trim_start_matches('/');
    if let Some(&i) = site.section_by_content.get(path) {
        return Some(site.config.url(&site.sections[i].section.path));
    }
    let &i = site.page_by_content.get(path)?;
    Some(site.config.url(&site.pages[i].path))
}
