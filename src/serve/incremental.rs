//! The serve side of the pipeline: [`build::run`] into memory, again after every batch of
//! saves with what was kept of the last good run, so only the jobs whose inputs changed are
//! rendered (and, when only article bodies changed, only those articles are read again: see
//! [`crate::build::kept`]). This module adds what only a server needs: the files in memory
//! ([`Snapshot`]), which sources changed since the last good run, and the search index.
//!
//! The search index is the one part built after the pages: it depends on the text of every
//! article and costs more than everything else together, so after a rebuild the pages are served
//! (and tabs reloaded) at once with the previous index, while a background thread rebuilds the
//! index when the searchable text changed; [`Engine::poll_search`] installs it. The first build
//! waits for it. The search documents are kept per article, so after a rebuild that reused the
//! model only the edited articles' documents are made again. Once installed, the output equals
//! `bantin build` byte for byte.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::build::{self, BuildOptions, File, Fp, Kept, Output, Rebuild, SearchIndex, Sink};
use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::search::SearchDoc;
use crate::site::Site;

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
    /// The kept model was reused (only the edited articles read again).
    pub fast: bool,
    /// Why a rebuild given the changed paths loaded the whole site.
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

/// The search documents of the kept model: articles newest first, then data pages.
enum Docs {
    None,
    Ready(Vec<Arc<SearchDoc>>),
    /// Being made by the background thread of the last full rebuild.
    Coming(Receiver<Vec<Arc<SearchDoc>>>),
}

/// The files a run renders, gathered in memory.
#[derive(Default)]
struct Memory(Mutex<Vec<(String, Served)>>);

impl Output for Memory {
    fn put(&self, path: &str, file: File<'_>) -> Result<(), Diagnostic> {
        let served = match file {
            File::Rendered(bytes) => Served::Bytes(Arc::new(bytes)),
            File::Shared(bytes) => Served::Bytes(bytes.clone()),
            File::Copy(src) | File::Link(src) if src.is_file() => Served::File(src.to_path_buf()),
            File::Copy(src) | File::Link(src) => return Err(build::output::unreadable(src)),
        };
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.push((path.to_string(), served));
        Ok(())
    }
}

pub struct Engine {
    root: PathBuf,
    include_drafts: bool,
    /// `http://127.0.0.1:1111`: the served site's base_url is this plus the configured path.
    origin: String,
    /// What the pipeline keeps of the last good run.
    kept: Option<Kept>,
    /// The last good run's files, with the latest installed search index.
    snapshot: Option<Arc<Snapshot>>,
    docs: Docs,
    /// Paths changed since the last good build (`None`: unknown, the next rebuild is full).
    dirty: Option<BTreeSet<String>>,
    /// The installed search index (the one in the last snapshot).
    search: Option<SearchCache>,
    pending: Option<Pending>,
    /// Id of the latest background index build; an older one gives up.
    latest: Arc<AtomicU64>,
    /// Unsaved texts the next runs read instead of their files (the editor's preview).
    overlay: Option<Arc<crate::source::Overlay>>,
    /// `false`: no search index at all (the editor's preview shows one page at a time; making
    /// the index again after each keystroke pause took a core of the server's two).
    searchable: bool,
}

impl Engine {
    pub fn new(root: PathBuf, include_drafts: bool, origin: String) -> Engine {
        Engine {
            root,
            include_drafts,
            origin,
            kept: None,
            snapshot: None,
            docs: Docs::None,
            dirty: None,
            search: None,
            pending: None,
            latest: Arc::new(AtomicU64::new(0)),
            overlay: None,
            searchable: true,
        }
    }

    /// The same engine without a search index (the editor's preview).
    pub fn without_search(mut self) -> Engine {
        self.searchable = false;
        self
    }

    /// Unsaved texts the next runs read instead of their files (`None`: the files). The
    /// caller names the paths whose text changed in the next [`Engine::rebuild_changed`],
    /// both when it sets and when it clears them.
    pub fn set_overlay(&mut self, overlay: Option<Arc<crate::source::Overlay>>) {
        self.overlay = overlay;
    }

    /// The output file of the article at `content_rel` (`tin-tuc/a.md`) in the last good
    /// run (`tin-tuc/a/index.html`).
    pub fn page_output(&self, content_rel: &str) -> Option<String> {
        let site = &self.kept.as_ref()?.site;
        let &i = site.page_by_content.get(content_rel)?;
        Some(format!(
            "{}index.html",
            site.pages[i].path.trim_start_matches('/')
        ))
    }

    /// The base_url the served site is built with: the configured path on the local origin.
    pub fn base_url(&self) -> Result<String, Vec<Diagnostic>> {
        let cfg = SiteConfig::load(&self.root, None)?;
        Ok(format!("{}{}", self.origin, cfg.base.path))
    }

    /// Rebuilds everything (the first build, or when what changed is not known). On `Err`
    /// (every problem found, as `build` reports them) the last good build stays in place.
    pub fn rebuild(&mut self) -> Result<Outcome, Diagnostics> {
        let r = self.run(Instant::now(), None, None);
        self.dirty = r.is_ok().then(BTreeSet::new);
        r
    }

    /// Rebuilds after the sources at `paths` (relative to the root, `/`-separated, as the
    /// watcher reports them) changed.
    pub fn rebuild_changed(&mut self, paths: &[String]) -> Result<Outcome, Diagnostics> {
        let start = Instant::now();
        let mut all: BTreeSet<String> = paths.iter().cloned().collect();
        let r = match &self.dirty {
            None => self.run(start, None, Some("chưa có bản dựng tốt đầy đủ".into())),
            Some(dirty) => {
                all.extend(dirty.iter().cloned());
                self.run(start, Some(&all), None)
            }
        };
        self.dirty = match (r.is_ok(), self.dirty.take()) {
            (true, _) => Some(BTreeSet::new()),
            (false, Some(_)) => Some(all),
            // the failed build before this one saw changes not listed here
            (false, None) => None,
        };
        r
    }

    /// One run of the pipeline into memory, with what was kept of the last good one.
    fn run(
        &mut self,
        start: Instant,
        changed: Option<&BTreeSet<String>>,
        why: Option<String>,
    ) -> Result<Outcome, Diagnostics> {
        let base_url = self.base_url().map_err(|d| {
            let mut d = Diagnostics(d);
            d.finish();
            d
        })?;
        let opts = BuildOptions {
            root: self.root.clone(),
            sink: Sink::Discard, // not read: the files go to `out`
            include_drafts: self.include_drafts,
            base_url: Some(base_url),
            strict: false,
            list_changes: false,
            overlay: self.overlay.clone(),
        };
        // The model can be reused only once the background thread has its documents.
        let mut waited = None;
        if let Docs::Coming(rx) = &self.docs {
            let t = Instant::now();
            self.docs = rx.recv().map_or(Docs::None, Docs::Ready);
            waited = Some(t.elapsed());
        }
        let mut out = Memory::default();
        let search = match &self.search {
            _ if !self.searchable => SearchIndex::Given(&[]),
            Some(c) => SearchIndex::Given(&c.files),
            None => SearchIndex::Make,
        };
        let rebuild = Rebuild {
            kept: &mut self.kept,
            changed,
        };
        let mut ran =
            build::run(&opts, &mut out, Some(rebuild), search).map_err(|r| r.diagnostics)?;
        if let Some(w) = waited {
            ran.stages.insert(0, ("chờ tài liệu tìm kiếm", w));
        }
        let fresh = out.0.into_inner().unwrap_or_else(|e| e.into_inner());
        let snapshot = self.install(fresh, ran.reused.as_ref().is_some_and(|r| r.is_ok()));
        let (fast, why_full) = match ran.reused.take() {
            Some(Ok(articles)) => {
                if self.searchable {
                    self.update_docs(start, &articles);
                }
                (true, None)
            }
            Some(Err(why)) => (false, Some(why)),
            None => (false, why),
        };
        if !fast && self.searchable {
            self.full_search(start, ran.search.take());
        }
        let mut warnings = ran.report.diagnostics;
        warnings.finish();
        Ok(Outcome {
            snapshot,
            rendered: ran.rendered,
            changed: ran.changed,
            files: ran.report.files,
            warnings,
            elapsed: start.elapsed(),
            stages: ran.stages,
            search_pending: self.pending.is_some(),
            fast,
            why_full,
        })
    }

    /// The new snapshot: the last one with the files rendered now, and (after a full run)
    /// without the files no longer planned.
    fn install(&mut self, fresh: Vec<(String, Served)>, reused: bool) -> Arc<Snapshot> {
        let Some(kept) = self.kept.as_ref() else {
            return Arc::default(); // a good run always keeps its model
        };
        let base_path = kept.site.config.base.path.clone();
        if fresh.is_empty() && reused {
            if let Some(s) = &self.snapshot {
                return s.clone();
            }
        }
        let mut files = match self.snapshot.take() {
            Some(s) => Arc::try_unwrap(s).map_or_else(|s| s.files.clone(), |s| s.files),
            None => HashMap::new(),
        };
        if !reused {
            files.retain(|path, _| kept.fingerprints.contains_key(path));
        }
        files.extend(fresh);
        let snapshot = Arc::new(Snapshot { files, base_path });
        self.snapshot = Some(snapshot.clone());
        snapshot
    }

    /// After a run that reused the model: the edited articles' search documents, and the index
    /// in the background when they changed.
    fn update_docs(&mut self, start: Instant, articles: &[usize]) {
        let (Some(kept), Docs::Ready(docs)) = (self.kept.as_ref(), &mut self.docs) else {
            return;
        };
        let mut changed = false;
        for &i in articles {
            let doc = crate::output::search_index::page_document(&kept.site, i);
            let slot = &mut docs[kept.rank(i)];
            if **slot != doc {
                *slot = Arc::new(doc);
                changed = true;
            }
        }
        if changed {
            let docs = docs.clone();
            self.start_search(start, Source::Docs(docs));
        }
    }

    /// After a full run: the index it made (the first run), or a new one in the background.
    fn full_search(&mut self, start: Instant, made: Option<build::MadeSearch>) {
        match made {
            Some((docs, files)) => {
                self.search = Some(SearchCache {
                    docs: docs_hash(&docs),
                    files,
                });
                self.docs = Docs::Ready(docs.into_iter().map(Arc::new).collect());
            }
            None => {
                let Some(kept) = self.kept.as_ref() else {
                    return;
                };
                let (tx, rx) = mpsc::channel();
                let site = kept.site.clone();
                self.start_search(start, Source::Site(site, tx));
                self.docs = Docs::Coming(rx);
            }
        }
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
        let (Some(kept), Some(current)) = (self.kept.as_mut(), self.snapshot.as_ref()) else {
            return None;
        };
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
        kept.set_search_files(
            old.iter().map(|(p, _)| p.as_str()),
            cache.files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        );
        let mut files = current.files.clone();
        for (path, _) in &old {
            files.remove(path);
        }
        for (path, bytes) in &cache.files {
            files.insert(path.clone(), Served::Bytes(bytes.clone()));
        }
        let snapshot = Arc::new(Snapshot {
            files,
            base_path: current.base_path.clone(),
        });
        self.snapshot = Some(snapshot.clone());
        self.search = Some(cache);
        Some(SearchUpdate {
            snapshot,
            changed,
            elapsed: pending.started.elapsed(),
        })
    }

    /// The last good build, with the latest installed search index.
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.snapshot.clone()
    }
}

/// Where the background thread gets the search documents from.
enum Source {
    /// A fully rebuilt Site: the documents are made from it, and sent back for the fast way.
    Site(Arc<Site>, Sender<Vec<Arc<SearchDoc>>>),
    /// The documents of the kept Site after a fast rebuild.
    Docs(Vec<Arc<SearchDoc>>),
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
