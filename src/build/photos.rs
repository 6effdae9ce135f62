//! Photos dropped into (or replaced in) the bundle of an existing article, patched into the kept
//! model: only those photos are processed, their published files added to the kept jobs, and
//! their article read again (its body or gallery may show them). Anything else about pictures
//! (a deleted photo, a new size, `static/`, a section's folder, a bundle with a translation)
//! takes the full way, as does a photo a full load would not give to that article.

use std::path::{Path, PathBuf};

use crate::anh::{Origin, Photo, Source};
use crate::content::Page;
use crate::diag::Diagnostic;
use crate::plan::{self, Job};
use crate::site::Site;

/// A changed picture inside an article's bundle.
pub(super) struct Dropped {
    page: usize,
    /// Its name inside the bundle (`anh.jpg`, `hinh/anh.jpg`), as `Page::assets` holds it.
    name: String,
    file: PathBuf,
}

impl Dropped {
    pub(super) fn page(&self) -> usize {
        self.page
    }
}

/// The bundle picture at `path` (`content/…`, as the watcher reports it): `None` when it is not
/// a picture, `Some(Err(why))` when it is one the kept model cannot take in.
pub(super) fn bundle_photo(
    site: &Site,
    root: &Path,
    path: &str,
) -> Option<Result<Dropped, String>> {
    let rel = path.strip_prefix("content/")?;
    let name = rel.rsplit('/').next()?;
    if !crate::anh::is_photo(name) {
        return None;
    }
    // the content walk leaves hidden entries out, at any depth
    if rel.split('/').any(|c| c.starts_with('.')) {
        return Some(Err(format!("{path} nằm trong thư mục ẩn")));
    }
    // the bundle as the content walk finds it, even one that is not published (a draft)
    let content = root.join("content");
    let is_bundle = |dir: &str| content.join(dir).join("index.md").is_file();
    let Some(dir) = crate::content::load::owning_bundle(rel, is_bundle) else {
        return Some(Err(format!(
            "{path} không nằm trong thư mục của một bài viết"
        )));
    };
    let Some(&page) = site.page_by_content.get(&format!("{dir}/index.md")) else {
        return Some(Err(format!(
            "{dir}/index.md không có trong bản dựng đang xem"
        )));
    };
    if has_translation(&content.join(dir)) {
        return Some(Err(format!("bài {dir} có bản dịch")));
    }
    let file = root.join(path);
    if !std::fs::symlink_metadata(&file).is_ok_and(|m| m.is_file()) {
        return Some(Err(format!("{path} đã bị xoá hoặc đổi tên")));
    }
    let name = rel[dir.len() + 1..].to_string();
    Some(Ok(Dropped { page, name, file }))
}

/// Whether the bundle folder has an `index.LANG.md` (its translation shares its files).
fn has_translation(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with("index.") && n.ends_with(".md") && n != "index.md"
        })
    })
}

/// What [`apply`] changed in the kept model, to put back by [`PhotoEdit::undo`].
#[derive(Default)]
pub(super) struct PhotoEdit {
    /// (site path, the photo before; `None` when it is new).
    photos: Vec<(String, Option<Photo>)>,
    /// Outputs added to `Photos::by_output`.
    outputs: Vec<String>,
    /// (article, its bundle files before).
    assets: Vec<(usize, Vec<(PathBuf, String)>)>,
    /// The jobs and their readers before, when jobs were added or changed.
    jobs: Option<(Vec<Job>, Vec<Vec<u32>>)>,
    /// The photos' copy jobs (positions in the patched jobs): to fingerprint and render.
    pub(super) copies: Vec<usize>,
    pub(super) encoded: usize,
    pub(super) cached: usize,
}

impl PhotoEdit {
    pub(super) fn undo(self, site: &mut Site, jobs: &mut Vec<Job>, readers: &mut Vec<Vec<u32>>) {
        if let Some((j, r)) = self.jobs {
            *jobs = j;
            *readers = r;
        }
        for (page, assets) in self.assets.into_iter().rev() {
            site.pages[page].assets = assets;
        }
        for output in &self.outputs {
            site.photos.by_output.remove(output);
        }
        for (path, before) in self.photos.into_iter().rev() {
            match before {
                Some(p) => site.photos.by_path.insert(path, p),
                None => site.photos.by_path.remove(&path),
            };
        }
    }
}

/// Processes the `dropped` photos and patches them into the kept model. `Ok` with the
/// problems found (nothing changed when one is an error); `Err(why)` (nothing changed) when a
/// replaced photo's published files would not be the same ones.
pub(super) fn apply(
    site: &mut Site,
    jobs: &mut Vec<Job>,
    readers: &mut [Vec<u32>],
    dropped: Vec<Dropped>,
) -> Result<(PhotoEdit, Vec<Diagnostic>), String> {
    let mut edit = PhotoEdit::default();
    if dropped.is_empty() {
        return Ok((edit, Vec::new()));
    }
    let sources = dropped
        .iter()
        .map(|d| Source {
            file: d.file.clone(),
            path: format!("{}{}", site.pages[d.page].path, d.name),
            origin: Origin::Bundle,
        })
        .collect();
    let (processed, diags) = crate::anh::process(&site.root, sources);
    if diags.iter().any(Diagnostic::is_error) {
        return Ok((edit, diags));
    }
    let mut new: Vec<(usize, Photo)> = Vec::new();
    for d in &dropped {
        let path = format!("{}{}", site.pages[d.page].path, d.name);
        let Some(photo) = processed.by_path.get(&path) else {
            return Err(format!("không xử lý được {path}"));
        };
        if let Some(old) = site.photos.by_path.get(&path) {
            if published(old) != published(photo) {
                return Err(format!("ảnh {path} đổi kích thước hoặc dạng"));
            }
        }
        new.push((d.page, photo.clone()));
    }
    edit.encoded = processed.encoded;
    edit.cached = processed.cached;
    edit.jobs = Some((jobs.clone(), readers.to_vec()));
    for (d, (page, photo)) in dropped.iter().zip(new) {
        add_photo(site, &mut edit, page, photo, d);
    }
    edit.copies = patch_jobs(site, jobs, readers, &dropped);
    Ok((edit, diags))
}

/// What a photo's `<img>` and published file list depend on: sizes, format, output paths.
fn published(p: &Photo) -> Vec<(&str, u32, u32, crate::anh::Format)> {
    p.variants
        .iter()
        .chain([&p.main])
        .map(|v| (v.output.as_str(), v.width, v.height, v.format))
        .chain([("", p.width, p.height, p.format)])
        .collect()
}

/// Puts `photo` into the model's photos and, when new, its article's bundle files.
fn add_photo(site: &mut Site, edit: &mut PhotoEdit, page: usize, photo: Photo, d: &Dropped) {
    let photos = &mut site.photos;
    for v in &photo.variants {
        if !photos.by_output.contains_key(&v.output) {
            photos
                .by_output
                .insert(v.output.clone(), photo.path.clone());
            edit.outputs.push(v.output.clone());
        }
    }
    let path = photo.path.clone();
    let before = photos.by_path.insert(path.clone(), photo);
    let is_new = before.is_none();
    edit.photos.push((path, before));
    if is_new {
        let p: &mut Page = &mut site.pages[page];
        edit.assets.push((page, p.assets.clone()));
        // in the content walk's order: by name, folder by folder
        let key = |n: &str| n.split('/').map(str::to_owned).collect::<Vec<_>>();
        let at = p.assets.partition_point(|(_, n)| key(n) < key(&d.name));
        p.assets.insert(at, (d.file.clone(), d.name.clone()));
    }
}

/// The photos' copy jobs made as the plan makes them: changed in place, or added in output
/// order (the readers' job positions moved past them). Returns their positions.
fn patch_jobs(
    site: &Site,
    jobs: &mut Vec<Job>,
    readers: &mut [Vec<u32>],
    dropped: &[Dropped],
) -> Vec<usize> {
    let mut made = Vec::new();
    for d in dropped {
        let p = &site.pages[d.page];
        let source = Some(p.source.display.clone());
        let output = format!("{}{}", p.path, d.name);
        plan::copy_job(site, &d.file, output, &source, &mut made);
    }
    let mut added = Vec::new();
    for job in &made {
        match jobs.binary_search_by(|j| j.output.cmp(&job.output)) {
            Ok(k) => jobs[k] = job.clone(),
            Err(_) => added.push(job.clone()),
        }
    }
    if !added.is_empty() {
        added.sort_by(|a, b| a.output.cmp(&b.output));
        let at: Vec<usize> = added
            .iter()
            .map(|a| jobs.partition_point(|j| j.output < a.output))
            .collect();
        let moved = |k: u32| k + at.partition_point(|&p| p <= k as usize) as u32;
        for r in readers.iter_mut().flatten() {
            *r = moved(*r);
        }
        jobs.extend(added);
        jobs.sort_by(|a, b| a.output.cmp(&b.output));
    }
    let mut positions: Vec<usize> = made
        .iter()
        .filter_map(|m| jobs.binary_search_by(|j| j.output.cmp(&m.output)).ok())
        .collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}
