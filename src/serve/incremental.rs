//! The serve pipeline: the same stages as `build` (load → plan → check links → render), into
//! memory, rendering only the jobs whose fingerprint changed since the last good build.
//!
//! The search index is the one part built after the pages: it depends on the text of every
//! article and costs more than everything else together, so after a rebuild the pages are served
//! (and tabs reloaded) at once with the previous index, while a background thread rebuilds the
//! index when the searchable text changed; [`Engine::poll_search`] installs it. The first build
//! waits for it. Once installed, the output equals `bantin build` byte for byte.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::fingerprint::{self, Fp, Inputs};
use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::plan::{self, Job, JobKind};
use crate::render::Renderer;
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

pub struct Engine {
    root: PathBuf,
    include_drafts: bool,
    /// `http://127.0.0.1:1111`: the served site's base_url is this plus the configured path.
    origin: String,
    last: Option<Last>,
    /// The installed search index (the one in the last snapshot).
    search: Option<SearchCache>,
    pending: Option<Pending>,
    /// Id of the latest background index build; an older one gives up.
    latest: Arc<AtomicU64>,
}

impl Engine {
    pub fn new(root: PathBuf, include_drafts: bool, origin: String) -> Engine {
        Engine {
            root,
            include_drafts,
            origin,
            last: None,
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

    /// Rebuilds. On `Err` (every problem found, as `build` reports them) the last good build
    /// stays in place.
    pub fn rebuild(&mut self) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        let mut stages = Vec::new();
        let mut lap = {
            let mut t = Instant::now();
            move |name: &'static str, stages: &mut Vec<(&'static str, Duration)>| {
                stages.push((name, t.elapsed()));
                t = Instant::now();
            }
        };
        let mut diags = Diagnostics::default();
        let fail = |mut d: Diagnostics| {
            d.finish();
            Err(d)
        };
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
        lap("tải nội dung", &mut stages);
        let (mut jobs, d) = plan::plan_without_search_index(&site);
        diags.extend(d);
        lap("lập kế hoạch", &mut stages);
        let site = Arc::new(site);
        let first = self.search.is_none();
        if first {
            let docs = crate::output::search_index::documents(&site);
            self.search = Some(SearchCache {
                docs: docs_hash(&docs),
                files: index_files(&docs),
            });
            lap("chỉ mục tìm kiếm", &mut stages);
        }
        let search_files = self.search.as_ref().map_or(&[][..], |c| &c.files[..]);
        add_search_jobs(&mut jobs, search_files, &mut diags);
        diags.extend(plan::check_links(&site, &jobs));
        if diags.has_errors() {
            return fail(diags);
        }
        let renderer = match Renderer::new(&site, &jobs) {
            Ok(r) => r,
            Err(d) => {
                diags.extend(d);
                return fail(diags);
            }
        };
        lap("chuẩn bị mẫu", &mut stages);
        let fingerprints = Inputs::new(&site).fingerprints(&jobs);
        lap("so sánh", &mut stages);

        let last = self.last.as_ref();
        let results: Vec<Result<(Served, bool), Diagnostic>> = jobs
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
        lap("dựng trang", &mut stages);
        let mut errors = Vec::new();
        let mut files = HashMap::with_capacity(jobs.len());
        let mut rendered = Vec::new();
        for (job, r) in jobs.iter().zip(results) {
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
            return fail(diags);
        }
        let changed = match last {
            None => jobs.len(),
            Some(last) => {
                let now: HashSet<&str> = jobs.iter().map(|j| j.output.as_str()).collect();
                let gone = last
                    .fingerprints
                    .keys()
                    .filter(|k| !now.contains(k.as_str()))
                    .count();
                gone + jobs
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
            fingerprints: jobs
                .iter()
                .zip(&fingerprints)
                .map(|(j, &fp)| (j.output.clone(), fp))
                .collect(),
            snapshot: snapshot.clone(),
        });
        if !first {
            self.start_search(start, site.clone());
        }
        diags.finish();
        Ok(Outcome {
            snapshot,
            rendered,
            changed,
            files: jobs.len(),
            warnings: diags,
            elapsed: start.elapsed(),
            stages,
            search_pending: self.pending.is_some(),
        })
    }

    /// Starts rebuilding the search index for `site` in the background.
    fn start_search(&mut self, started: Instant, site: Arc<Site>) {
        let id = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let (tx, rx) = mpsc::channel();
        let installed = self.search.as_ref().map(|c| c.docs);
        let latest = self.latest.clone();
        let spawned = std::thread::Builder::new()
            .name("bantin-search".into())
            .spawn(move || {
                let docs = crate::output::search_index::documents(&site);
                drop(site);
                let hash = docs_hash(&docs);
                if installed == Some(hash) {
                    let _ = tx.send(None);
                } else if latest.load(Ordering::SeqCst) == id {
                    let files = index_files(&docs);
                    let _ = tx.send(Some(SearchCache { docs: hash, files }));
                }
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

/// Adds the search index files to the plan, refusing collisions as `plan` does.
fn add_search_jobs(jobs: &mut Vec<Job>, files: &[(String, Arc<Vec<u8>>)], diags: &mut Diagnostics) {
    let taken: HashMap<String, Option<String>> = jobs
        .iter()
        .map(|j| (j.output.to_lowercase(), j.source.clone()))
        .collect();
    for (path, bytes) in files {
        if let Some(src) = taken.get(&path.to_lowercase()) {
            let what = src.clone().unwrap_or_else(|| "(trang tự sinh)".into());
            diags.push(
                Diagnostic::error(format!(
                    "hai nguồn cùng tạo ra tệp \"{path}\": {what} và (chỉ mục tìm kiếm)"
                ))
                .in_file(what)
                .hint("đổi tên tệp hoặc thư mục: tim-kiem/chi-muc/ dành cho chỉ mục tìm kiếm"),
            );
            continue;
        }
        jobs.push(Job {
            output: path.clone(),
            kind: JobKind::Bytes(bytes.clone()),
            source: None,
        });
    }
    jobs.sort_by(|a, b| a.output.cmp(&b.output));
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
