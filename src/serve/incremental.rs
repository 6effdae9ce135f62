//! The serve pipeline: the same stages as `build` (load → plan → check links → render), into
//! memory, rendering only the jobs whose fingerprint changed since the last good build.
//!
//! Two ways to rebuild:
//!
//! * **full**: every stage, as `build` runs them; only the rendering is skipped for jobs whose
//!   fingerprint did not change. Always correct; at 10 000 articles it costs seconds.
//! * **fast** ([`Engine::rebuild_changed`]), for the common case of saving the body of existing
//!   articles: the Site, the plan, the renderer's prepared values and the fingerprint inputs of
//!   the last good build are kept; the edited files are read again and, when their front
//!   matter is byte for byte the same (so slugs, dates, titles, tags, listings, related
//!   articles… are too), only their Markdown is rendered again and swapped into the Site. Only
//!   an article's summary, link and body hashes can change, so only the jobs whose fingerprint
//!   reads them (recorded by the full build) are fingerprinted again, and rendered when it
//!   changed: a page listing the article as related is not, unless its title or teaser is. Anything
//!   else (another kind of file, a created, removed or renamed file, changed front matter, an
//!   article of the notices sidebar whose summary changed, …) takes the full way.
//!
//! The search index is the one part built after the pages: it depends on the text of every
//! article and costs more than everything else together, so after a rebuild the pages are served
//! (and tabs reloaded) at once with the previous index, while a background thread rebuilds the
//! index when the searchable text changed; [`Engine::poll_search`] installs it. The first build
//! waits for it. The search documents are kept per article, so after a fast rebuild only the
//! edited articles' documents are made again. Once installed, the output equals `bantin build`
//! byte for byte.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::fingerprint::{self, Fp, Inputs};
use crate::config::SiteConfig;
use crate::content::Page;
use crate::diag::{Diagnostic, Diagnostics};
use crate::plan::{self, Job, JobKind};
use crate::render::{values, Renderer, RendererParts};
use crate::search::SearchDoc;
use crate::site::{Site, SiteOptions};

/// One output file as served.
#[derive(Debug, Clone)]
pub enum Served {
    Bytes(Arc<Vec<u8>>),
    /// A copied file (static files, bundle assets), read from its source when requested.
    File(PathBuf),
}

/// A complete built site in memory: output path (`tin-tuc/a/index.html`) → content.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: HashMap<String, Served>,
    /// The base path the site was built for (`/bantin/`).
    pub base_path: String,
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Outcome {
    pub snapshot: Arc<Snapshot>,
    /// Output paths of the jobs rendered (the others kept their bytes), sorted.
    pub rendered: Vec<String>,
    /// Output files whose content changed, appeared or disappeared.
    pub changed: usize,
    pub files: usize,
    pub warnings: Diagnostics,
    pub elapsed: Duration,
    /// Time per stage, for `BANTIN_SERVE_TIMES=1`.
    pub stages: Vec<(&'static str, Duration)>,
    /// The search index is being rebuilt in the background (see [`Engine::poll_search`]).
    pub search_pending: bool,
    /// Rebuilt the fast way (only the edited articles read again).
    pub fast: bool,
    /// Why a rebuild given the changed paths took the full way.
    pub why_full: Option<String>,
}

/// A new search index, installed after a rebuild.
#[derive(Debug)]
pub struct SearchUpdate {
    pub snapshot: Arc<Snapshot>,
    /// Index files changed, added or removed.
    pub changed: usize,
    /// From the start of the rebuild that asked for it.
    pub elapsed: Duration,
}

struct Last {
    /// Output path → fingerprint, for every file of the snapshot.
    fingerprints: HashMap<String, u64>,
    snapshot: Arc<Snapshot>,
}

/// The search index of the last build, reused while the searchable text is unchanged.
struct SearchCache {
    docs: u64,
    files: Vec<(String, Arc<Vec<u8>>)>,
}

/// The background search index build of the latest rebuild.
struct Pending {
    started: Instant,
    /// `None`: the searchable text did not change.
    rx: Receiver<Option<SearchCache>>,
}

/// The search documents of the kept Site: articles newest first, then data pages.
enum Docs {
    Ready(Vec<Arc<SearchDoc>>),
    /// Being made by the background thread of the full rebuild.
    Coming(Receiver<Vec<Arc<SearchDoc>>>),
}

/// What the fast way keeps of the last good build.
struct Model {
    /// Shared only with the background thread making the search documents, which lets go of
    /// it before sending them.
    site: Arc<Site>,
    /// The planned jobs, sorted by output path (the search index files are not among them).
    jobs: Vec<Job>,
    /// `None` only while lent to a renderer.
    parts: Option<RendererParts>,
    inputs: Inputs,
    /// `readers[i]`: the jobs whose fingerprint reads article i's summary, link or body.
    readers: Vec<Vec<u32>>,
    notices: Vec<usize>,
    /// Site path → where its heading ids are (`true`: a section), for link checks.
    anchors: HashMap<String, (bool, usize)>,
    /// Warnings of the last full build (only data files warn, and a fast rebuild reads none).
    warnings: Vec<Diagnostic>,
    docs: Docs,
}

/// Result of trying the fast way.
enum Fast {
    Done(Result<Outcome, Diagnostics>),
    /// Not applicable, and why (the full way follows).
    No(String),
}

pub struct Engine {
    root: PathBuf,
    include_drafts: bool,
    /// `http://127.0.0.1:1111`: the served site's base_url is this plus the configured path.
    origin: String,
    last: Option<Last>,
    model: Option<Model>,
    /// Paths changed since the last good build (`None`: unknown, the next rebuild is full).
    dirty: Option<BTreeSet<String>>,
    /// The installed search index (the one in the last snapshot).
    search: Option<SearchCache>,
    pending: Option<Pending>,
    /// Id of the latest background index build; an older one gives up.
    latest: Arc<AtomicU64>,
}

/// A stage clock for [`Outcome::stages`].
struct Laps {
    t: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Laps {
    fn new() -> Laps {
        Laps {
            t: Instant::now(),
            stages: Vec::new(),
        }
    }
    fn lap(&mut self, name: &'static str) {
        self.stages.push((name, self.t.elapsed()));
        self.t = Instant::now();
    }
}

fn fail<T>(mut d: Diagnostics) -> Result<T, Diagnostics> {
    d.finish();
    Err(d)
}

impl Engine {
    pub fn new(root: PathBuf, include_drafts: bool, origin: String) -> Engine {
        Engine {
            root,
            include_drafts,
            origin,
            last: None,
            model: None,
            dirty: None,
            search: None,
            pending: None,
            latest: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The base_url the served site is built with: the configured path on the local origin.
    pub fn base_url(&self) -> Result<String, Vec<Diagnostic>> {
        let cfg = SiteConfig::load(&self.root, None)?;
        Ok(format!("{}{}", self.origin, cfg.base.path))
    }

    /// Rebuilds everything (the first build, or when what changed is not known). On `Err`
    /// (every problem found, as `build` reports them) the last good build stays in place.
    pub fn rebuild(&mut self) -> Result<Outcome, Diagnostics> {
        let r = self.rebuild_full(Instant::now(), None);
        self.dirty = r.is_ok().then(BTreeSet::new);
        r
    }

    /// Rebuilds after the sources at `paths` (relative to the root, `/`-separated, as the
    /// watcher reports them) changed: the fast way when it applies, else in full.
    pub fn rebuild_changed(&mut self, paths: &[String]) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        let mut all: BTreeSet<String> = paths.iter().cloned().collect();
        let why = match &self.dirty {
            None => "chưa có bản dựng tốt đầy đủ".to_string(),
            Some(dirty) => {
                all.extend(dirty.iter().cloned());
                match self.rebuild_fast(&all, start) {
                    Fast::Done(r) => {
                        self.dirty = Some(if r.is_ok() { BTreeSet::new() } else { all });
                        return r;
                    }
                    Fast::No(why) => why,
                }
            }
        };
        let r = self.rebuild_full(start, Some(why));
        self.dirty = match (r.is_ok(), self.dirty.take()) {
            (true, _) => Some(BTreeSet::new()),
            (false, Some(_)) => Some(all),
            // the failed build before this one saw changes not listed here
            (false, None) => None,
        };
        r
    }

    fn rebuild_full(
        &mut self,
        start: Instant,
        why: Option<String>,
    ) -> Result<Outcome, Diagnostics> {
        let mut laps = Laps::new();
        let mut diags = Diagnostics::default();
        let base_url = match self.base_url() {
            Ok(b) => b,
            Err(d) => {
                diags.extend(d);
                return fail(diags);
            }
        };
        let (site, d) = Site::load(
            &self.root,
            &SiteOptions {
                include_drafts: self.include_drafts,
                base_url: Some(base_url),
            },
        );
        diags.extend(d);
        let Some(site) = site else {
            return fail(diags);
        };
        laps.lap("tải nội dung");
        let (jobs, d) = plan::plan(&site);
        diags.extend(d);
        laps.lap("lập kế hoạch");
        let site = Arc::new(site);
        let first = self.search.is_none();
        let mut first_docs = None;
        if first {
            let docs = crate::output::search_index::documents(&site);
            self.search = Some(SearchCache {
                docs: docs_hash(&docs),
                files: index_files(&docs),
            });
            first_docs = Some(docs);
            laps.lap("chỉ mục tìm kiếm");
        }
        // The installed search index (rebuilt in the background when the text changed).
        let search_files = self.search.as_ref().map_or(&[][..], |c| &c.files[..]);
        let (index_jobs, d) = plan::index_jobs(&jobs, search_files.iter().cloned());
        diags.extend(d);
        // The checks `build` runs (links against the planned files, not the search index).
        crate::checks::planned_site(&site, &jobs, &mut diags.0);
        if diags.has_errors() {
            return fail(diags);
        }
        let renderer = match Renderer::new(&site, &jobs) {
            Ok(r) => {
                diags.extend(crate::checks::loaded_templates(&site, &r.tera));
                if diags.has_errors() {
                    return fail(diags);
                }
                r
            }
            Err(d) => {
                diags.extend(d);
                crate::checks::locate_template_errors(&site, &mut diags.0);
                return fail(diags);
            }
        };
        laps.lap("chuẩn bị mẫu");
        let inputs = Inputs::new(&site, renderer.summaries(), &jobs);
        let (mut fingerprints, readers) = inputs.fingerprints(&site, &jobs);
        fingerprints.extend(index_jobs.iter().map(|j| match &j.kind {
            JobKind::Bytes(b) => fingerprint::bytes_job(&j.output, b),
            _ => 0,
        }));
        // The planned jobs, then the search index files.
        let all: Vec<&Job> = jobs.iter().chain(&index_jobs).collect();
        laps.lap("so sánh");

        let last = self.last.as_ref();
        let results: Vec<Result<(Served, bool), Diagnostic>> = all
            .par_iter()
            .zip(&fingerprints)
            .map(|(job, &fp)| {
                if let Some(last) = last {
                    if last.fingerprints.get(&job.output) == Some(&fp) {
                        if let Some(s) = last.snapshot.files.get(&job.output) {
                            return Ok((s.clone(), false));
                        }
                    }
                }
                render(&renderer, job).map(|s| (s, true))
            })
            .collect();
        laps.lap("dựng trang");
        let mut errors = Vec::new();
        let mut files = HashMap::with_capacity(all.len());
        let mut rendered = Vec::new();
        for (job, r) in all.iter().zip(results) {
            match r {
                Ok((s, fresh)) => {
                    if fresh {
                        rendered.push(job.output.clone());
                    }
                    files.insert(job.output.clone(), s);
                }
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            diags.extend(errors);
            crate::checks::locate_template_errors(&site, &mut diags.0);
            return fail(diags);
        }
        rendered.sort();
        let changed = match last {
            None => all.len(),
            Some(last) => {
                let now: HashSet<&str> = all.iter().map(|j| j.output.as_str()).collect();
                let gone = last
                    .fingerprints
                    .keys()
                    .filter(|k| !now.contains(k.as_str()))
                    .count();
                gone + all
                    .iter()
                    .zip(&fingerprints)
                    .filter(|(j, fp)| last.fingerprints.get(&j.output) != Some(fp))
                    .count()
            }
        };
        let snapshot = Arc::new(Snapshot {
            files,
            base_path: site.config.base.path.clone(),
        });
        self.last = Some(Last {
            fingerprints: all
                .iter()
                .zip(&fingerprints)
                .map(|(j, &fp)| (j.output.clone(), fp))
                .collect(),
            snapshot: snapshot.clone(),
        });
        let parts = renderer.into_parts();
        let docs = match first_docs {
            Some(docs) => Docs::Ready(docs.into_iter().map(Arc::new).collect()),
            None => {
                let (tx, rx) = mpsc::channel();
                self.start_search(start, Source::Site(site.clone(), tx));
                Docs::Coming(rx)
            }
        };
        let mut anchors = HashMap::with_capacity(site.pages.len() + site.sections.len());
        for (i, p) in site.pages.iter().enumerate() {
            anchors.insert(p.path.clone(), (false, i));
        }
        for (i, s) in site.sections.iter().enumerate() {
            anchors.insert(s.section.path.clone(), (true, i));
        }
        let all_len = all.len();
        drop(all);
        diags.finish();
        // The previous Site and its values take a tenth of a second to free at 10 000 articles:
        // not on the way to the reload.
        drop_later(self.model.take());
        self.model = Some(Model {
            notices: site.notices(),
            site,
            jobs,
            parts: Some(parts),
            inputs,
            readers,
            anchors,
            warnings: diags.0.clone(),
            docs,
        });
        laps.lap("lưu trạng thái");
        Ok(Outcome {
            snapshot,
            rendered,
            changed,
            files: all_len,
            warnings: diags,
            elapsed: start.elapsed(),
            stages: laps.stages,
            search_pending: self.pending.is_some(),
            fast: false,
            why_full: why,
        })
    }

    /// The fast way (see the module documentation) for the files at `paths`.
    fn rebuild_fast(&mut self, paths: &BTreeSet<String>, start: Instant) -> Fast {
        let mut laps = Laps::new();
        let (Some(model), Some(last)) = (self.model.as_mut(), self.last.as_mut()) else {
            return Fast::No("chưa có bản dựng tốt".into());
        };
        if paths.is_empty() {
            return Fast::No("không rõ tệp nào đổi".into());
        }
        // Only existing articles of the last good build, still there as plain files.
        let mut edited: Vec<usize> = Vec::new();
        for path in paths {
            let article = path
                .strip_prefix("content/")
                .filter(|rel| rel.ends_with(".md") && !rel.rsplit('/').any(|n| n == "_index.md"))
                .and_then(|rel| model.site.page_by_content.get(rel));
            let Some(&i) = article else {
                return Fast::No(format!("{path} không phải một bài viết đã có"));
            };
            let plain = std::fs::symlink_metadata(self.root.join(path)).is_ok_and(|m| m.is_file());
            if !plain {
                return Fast::No(format!("{path} đã bị xoá hoặc đổi tên"));
            }
            edited.push(i);
        }
        if crate::site::today() != model.site.build_date.date_naive() {
            return Fast::No("đã sang ngày mới".into());
        }
        // The search documents of the kept Site (the full build's thread sends them soon after
        // it starts, and lets go of the Site first).
        if let Docs::Coming(rx) = &model.docs {
            match rx.recv() {
                Ok(docs) => model.docs = Docs::Ready(docs),
                Err(_) => return Fast::No("chưa có tài liệu tìm kiếm".into()),
            }
            laps.lap("chờ tài liệu tìm kiếm");
        }
        let Some(site) = Arc::get_mut(&mut model.site) else {
            return Fast::No("bản dựng trước còn đang được dùng".into());
        };

        // Read the edited articles again; the front matter must be unchanged.
        let mut fresh: Vec<(usize, Page)> = Vec::with_capacity(edited.len());
        let mut diags = Diagnostics::default();
        {
            let site: &Site = site;
            let resolve = |p: &str| content_url(site, p);
            for &i in &edited {
                let old = &site.pages[i];
                let Ok(text) = crate::source::read_text(
                    &old.source.path,
                    &old.source.display,
                    site.config.raw.max_file_size,
                ) else {
                    return Fast::No(format!("không đọc được {}", old.source.display));
                };
                let Ok(split) = crate::content::front_matter::split(&text) else {
                    return Fast::No(format!("không tách được {}", old.source.display));
                };
                if split.front_matter != old.front_matter
                    || split.body_line_offset != old.body_line_offset
                {
                    return Fast::No(format!(
                        "thông tin đầu bài của {} đã đổi",
                        old.source.display
                    ));
                }
                let mut page = Page {
                    body: split.body.to_string(),
                    rendered: Default::default(),
                    ..old.clone()
                };
                diags.extend(crate::site::render_page_markdown(
                    &mut page,
                    &site.config,
                    site.data.as_ref(),
                    &resolve,
                    &site.template_ids.all,
                ));
                fresh.push((i, page));
            }
        }
        laps.lap("đọc bài");

        // Swap the new articles in (`fresh` then holds the old ones, to swap back on failure).
        for (i, page) in &mut fresh {
            std::mem::swap(&mut site.pages[*i], page);
        }
        let restore = |site: &mut Site, fresh: &mut Vec<(usize, Page)>| {
            for (i, page) in fresh.iter_mut() {
                std::mem::swap(&mut site.pages[*i], page);
            }
        };
        {
            let site: &Site = site;
            diags.extend(crate::checks::markdown_problems(site));
            // Links of the edited articles; every link when an id changed (another
            // article may point at it).
            let headings_changed = fresh
                .iter()
                .any(|(i, old)| old.rendered.ids != site.pages[*i].rendered.ids);
            // what `check_links` accepts: a planned file, or a folder with its index.html
            let jobs = &model.jobs;
            let planned = |p: &str| jobs.binary_search_by(|j| j.output.as_str().cmp(p)).is_ok();
            let has_path = |p: &str| planned(p) || planned(&format!("{p}index.html"));
            let anchors = |p: &str| {
                model.anchors.get(p).map(|&(section, k)| {
                    if section {
                        plan::section_anchors(site, k)
                    } else {
                        plan::page_anchors(site, k)
                    }
                })
            };
            let links = if headings_changed {
                let sections = site.sections.iter().map(|s| {
                    (
                        s.section.source.display.as_str(),
                        &s.section.rendered,
                        s.section.path.as_str(),
                    )
                });
                let items = site.pages.iter().map(link_item).chain(sections);
                plan::check_link_items(site, items, &has_path, &anchors)
            } else {
                let items = fresh.iter().map(|(i, _)| link_item(&site.pages[*i]));
                plan::check_link_items(site, items, &has_path, &anchors)
            };
            diags.extend(links);
        }
        laps.lap("kiểm tra");
        if diags.has_errors() {
            restore(site, &mut fresh);
            diags.extend(model.warnings.iter().cloned());
            return Fast::Done(fail(diags));
        }

        // New summary values and hashes.
        let mut updates: Vec<Update> = Vec::new();
        for (i, _) in &fresh {
            let i = *i;
            let summary = values::page_summary(site, i);
            let hash = fingerprint::summary_hash(&summary);
            if hash != model.inputs.summary[i] && model.notices.contains(&i) {
                restore(site, &mut fresh);
                return Fast::No(format!(
                    "tóm tắt của {} (hiện ở mục thông báo trên mọi trang) đã đổi",
                    site.pages[i].source.display
                ));
            }
            updates.push(Update {
                page: i,
                link: fingerprint::link_hash(&summary),
                summary,
                hash,
                body: fingerprint::body_hash(&site.pages[i]),
            });
        }
        let Some(mut parts) = model.parts.take() else {
            restore(site, &mut fresh);
            return Fast::No("thiếu phần chuẩn bị của mẫu".into());
        };
        // Swaps the new values in (and, called again, the old ones back).
        let apply = |parts: &mut RendererParts, inputs: &mut Inputs, updates: &mut Vec<Update>| {
            for u in updates.iter_mut() {
                let i = u.page;
                u.summary = parts.set_summary(i, std::mem::take(&mut u.summary));
                std::mem::swap(&mut inputs.summary[i], &mut u.hash);
                std::mem::swap(&mut inputs.link[i], &mut u.link);
                std::mem::swap(&mut inputs.body[i], &mut u.body);
            }
        };
        apply(&mut parts, &mut model.inputs, &mut updates);

        // Fingerprint again the jobs that read the edited articles; render those that changed.
        let mut candidates: Vec<usize> = fresh
            .iter()
            .flat_map(|(i, _)| model.readers[*i].iter().map(|&j| j as usize))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let jobs = &model.jobs;
        let inputs = &model.inputs;
        let to_render: Vec<(usize, u64)> = {
            let site: &Site = site;
            candidates
                .par_iter()
                .map(|&j| (j, inputs.job(site, &jobs[j], &mut Vec::new())))
                .filter(|(j, fp)| last.fingerprints.get(&jobs[*j].output) != Some(fp))
                .collect()
        };
        laps.lap("so sánh");
        let renderer = Renderer::from_parts(site, parts);
        let results: Vec<Result<Served, Diagnostic>> = to_render
            .par_iter()
            .map(|&(j, _)| render(&renderer, &jobs[j]))
            .collect();
        let mut parts = renderer.into_parts();
        laps.lap("dựng trang");
        let errors: Vec<Diagnostic> = results
            .iter()
            .filter_map(|r| r.as_ref().err().cloned())
            .collect();
        if !errors.is_empty() {
            apply(&mut parts, &mut model.inputs, &mut updates);
            model.parts = Some(parts);
            restore(site, &mut fresh);
            diags.extend(errors);
            crate::checks::locate_template_errors(site, &mut diags.0);
            diags.extend(model.warnings.iter().cloned());
            return Fast::Done(fail(diags));
        }
        model.parts = Some(parts);

        // Commit.
        let mut rendered = Vec::with_capacity(to_render.len());
        let snapshot = if to_render.is_empty() {
            last.snapshot.clone()
        } else {
            let mut files = last.snapshot.files.clone();
            for (&(j, fp), served) in to_render.iter().zip(results) {
                let output = &model.jobs[j].output;
                if let Ok(served) = served {
                    files.insert(output.clone(), served);
                }
                last.fingerprints.insert(output.clone(), fp);
                rendered.push(output.clone());
            }
            rendered.sort();
            Arc::new(Snapshot {
                files,
                base_path: last.snapshot.base_path.clone(),
            })
        };
        last.snapshot = snapshot.clone();
        let files = last.fingerprints.len();
        laps.lap("cập nhật");

        // Search documents of the edited articles; the index follows in the background.
        let mut docs_changed = false;
        if let Docs::Ready(docs) = &mut model.docs {
            for (i, _) in &fresh {
                let doc = crate::output::search_index::page_document(site, *i);
                let slot = &mut docs[model.inputs.rank[*i]];
                if **slot != doc {
                    *slot = Arc::new(doc);
                    docs_changed = true;
                }
            }
            if docs_changed {
                let docs = docs.clone();
                self.start_search(start, Source::Docs(docs));
            }
        }
        let model = self.model.as_ref().expect("kept above");
        let mut warnings = Diagnostics(model.warnings.clone());
        warnings.finish();
        Fast::Done(Ok(Outcome {
            snapshot,
            changed: rendered.len(),
            rendered,
            files,
            warnings,
            elapsed: start.elapsed(),
            stages: laps.stages,
            search_pending: self.pending.is_some(),
            fast: true,
            why_full: None,
        }))
    }

    /// Starts rebuilding the search index in the background.
    fn start_search(&mut self, started: Instant, source: Source) {
        let id = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let (tx, rx) = mpsc::channel();
        let installed = self.search.as_ref().map(|c| c.docs);
        let latest = self.latest.clone();
        // In its own one-thread rayon pool: on the global pool, the next save's fingerprints
        // and pages waited behind the index (130 ms instead of 15 at 10 000 articles when
        // saves came 0.3 s apart). The index may take longer; it is not waited for.
        let work = move || {
            let docs: Vec<SearchDoc> = match source {
                Source::Site(site, docs_tx) => {
                    let docs = crate::output::search_index::documents(&site);
                    // The engine waits for the documents before changing the Site.
                    drop(site);
                    let _ = docs_tx.send(docs.iter().cloned().map(Arc::new).collect());
                    docs
                }
                Source::Docs(docs) => {
                    if latest.load(Ordering::SeqCst) != id {
                        return;
                    }
                    docs.iter().map(|d| SearchDoc::clone(d)).collect()
                }
            };
            let hash = docs_hash(&docs);
            if installed == Some(hash) {
                let _ = tx.send(None);
            } else if latest.load(Ordering::SeqCst) == id {
                let files = index_files(&docs);
                let _ = tx.send(Some(SearchCache { docs: hash, files }));
            }
        };
        let spawned = std::thread::Builder::new()
            .name("bantin-search".into())
            .spawn(move || match search_pool() {
                Some(pool) => pool.install(work),
                None => work(),
            });
        if spawned.is_ok() {
            self.pending = Some(Pending { started, rx });
        }
    }

    /// Installs the background search index when it is ready (`wait`: blocks until it is).
    /// `Some` when the served files changed.
    pub fn poll_search(&mut self, wait: bool) -> Option<SearchUpdate> {
        let pending = self.pending.as_ref()?;
        let result = if wait {
            pending.rx.recv().ok()
        } else {
            match pending.rx.try_recv() {
                Ok(r) => Some(r),
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => None,
            }
        };
        let pending = self.pending.take()?;
        let cache = result.flatten()?;
        let last = self.last.as_mut()?;
        let old = self.search.take().map(|c| c.files).unwrap_or_default();
        let old_bytes: HashMap<&str, &Arc<Vec<u8>>> =
            old.iter().map(|(p, b)| (p.as_str(), b)).collect();
        let new_paths: HashSet<&str> = cache.files.iter().map(|(p, _)| p.as_str()).collect();
        let changed = old_bytes.keys().filter(|p| !new_paths.contains(*p)).count()
            + cache
                .files
                .iter()
                .filter(|(p, b)| old_bytes.get(p.as_str()).is_none_or(|o| o != &b))
                .count();
        let mut files = last.snapshot.files.clone();
        for (path, _) in &old {
            files.remove(path);
            last.fingerprints.remove(path);
        }
        for (path, bytes) in &cache.files {
            last.fingerprints
                .insert(path.clone(), fingerprint::bytes_job(path, bytes));
            files.insert(path.clone(), Served::Bytes(bytes.clone()));
        }
        let snapshot = Arc::new(Snapshot {
            files,
            base_path: last.snapshot.base_path.clone(),
        });
        last.snapshot = snapshot.clone();
        self.search = Some(cache);
        Some(SearchUpdate {
            snapshot,
            changed,
            elapsed: pending.started.elapsed(),
        })
    }

    /// The last good build, with the latest installed search index.
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.last.as_ref().map(|l| l.snapshot.clone())
    }
}

/// An edited article's new values (the old ones once swapped in).
struct Update {
    page: usize,
    summary: serde_json::Value,
    hash: u64,
    link: u64,
    body: u64,
}

/// Where the background thread gets the search documents from.
enum Source {
    /// A fully rebuilt Site: the documents are made from it, and sent back for the fast way.
    Site(Arc<Site>, Sender<Vec<Arc<SearchDoc>>>),
    /// The documents of the kept Site after a fast rebuild.
    Docs(Vec<Arc<SearchDoc>>),
}

/// Drops `value` on another thread.
fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("bantin-drop".into())
        .spawn(move || drop(value));
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

/// A rayon pool of one thread for the background search index, if one can be made.
fn search_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .thread_name(|_| "bantin-search-pool".into())
        .build()
        .ok()
}

fn index_files(docs: &[SearchDoc]) -> Vec<(String, Arc<Vec<u8>>)> {
    crate::search::build_index(docs)
        .into_iter()
        .map(|(p, b)| (p, Arc::new(b)))
        .collect()
}

/// Every field of every document (destructured, so a new field cannot be forgotten here).
fn docs_hash(docs: &[SearchDoc]) -> u64 {
    let mut fp = Fp::new("search");
    for d in docs {
        let SearchDoc {
            url,
            title,
            date,
            section,
            section_id,
            areas,
            projects,
            kind,
            text,
        } = d;
        fp.str(url)
            .str(title)
            .debug(date)
            .str(section)
            .str(section_id)
            .debug(areas)
            .debug(projects)
            .str(kind)
            .str(text);
    }
    fp.finish()
}

fn render(renderer: &Renderer<'_>, job: &Job) -> Result<Served, Diagnostic> {
    match &job.kind {
        JobKind::Copy { src } => {
            if src.is_file() {
                Ok(Served::File(src.clone()))
            } else {
                Err(Diagnostic::error(format!(
                    "không đọc được tệp \"{}\"",
                    src.display()
                )))
            }
        }
        JobKind::Bytes(b) => Ok(Served::Bytes(b.clone())),
        _ => renderer
            .render(job)
            .map(|b| Served::Bytes(Arc::new(b.unwrap_or_default()))),
    }
}
