//! The real-theme preview: an [`Engine`] of its own (the incremental pipeline of `bantin
//! serve`, drafts included) built once in the background at start and kept fresh by the same
//! watcher batches as the article list. A preview sets the unsaved text as the engine's
//! overlay ([`crate::source::Overlay`]: the pipeline reads it instead of the file), rebuilds
//! that one path and takes the page from the snapshot; nothing is written anywhere.
//!
//! One overlay at a time, under one lock: the text of another person's preview never reaches
//! this one, because every path a previous preview overlaid ([`State::stale`]) is named again
//! in the next run, which then reads it from disk. When only the body changed (the usual case
//! while typing), the pipeline reuses its model and renders only the pages that read that
//! article; a changed title or date, or a new article, loads the whole site again.
//!
//! The snapshot's files (theme CSS, fonts, photos, other pages) are served under `/trang/`:
//! the engine's base_url is the editor's origin plus `/trang` plus the configured path.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::diag::Diagnostic;
use crate::serve::incremental::{Engine, Served, Snapshot};
use crate::source::Overlay;

/// Where the preview's files are served.
pub const PREFIX: &str = "/trang";

struct State {
    engine: Engine,
    /// Content paths (`content/tin-tuc/a.md`) whose text in the engine's model came from an
    /// overlay: the next run reads them from disk again.
    stale: BTreeSet<String>,
}

pub struct Preview {
    root: PathBuf,
    state: Mutex<State>,
    /// The last good snapshot, for `/trang/` (readable while a rebuild holds `state`).
    current: Mutex<Option<Arc<Snapshot>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Preview {
    /// `origin`: the editor's (`http://127.0.0.1:1112`).
    pub fn new(root: PathBuf, origin: &str) -> Preview {
        Preview {
            state: Mutex::new(State {
                engine: Engine::new(root.clone(), true, format!("{origin}{PREFIX}"))
                    .without_search(),
                stale: BTreeSet::new(),
            }),
            root,
            current: Mutex::new(None),
        }
    }

    fn install(&self, st: &mut State, snapshot: Option<Arc<Snapshot>>) {
        // A search index finished in the background joins the snapshot too.
        let snapshot = st
            .engine
            .poll_search(false)
            .map(|u| u.snapshot)
            .or(snapshot);
        if let Some(s) = snapshot {
            *lock(&self.current) = Some(s);
        }
    }

    /// The first build (the whole site), at start. A site that does not build now is built
    /// again by the next preview or change.
    pub fn build_first(&self) {
        let mut st = lock(&self.state);
        let r = st.engine.rebuild();
        if let Err(d) = &r {
            eprintln!(
                "cảnh báo: chưa dựng được bản xem trước ({} lỗi); sẽ thử lại khi có thay đổi",
                d.0.iter().filter(|d| d.is_error()).count()
            );
        }
        let snapshot = r.ok().map(|o| o.snapshot);
        self.install(&mut st, snapshot);
    }

    /// After a watcher batch: the files as they are on disk now.
    pub fn changed(&self, paths: &[String]) {
        let mut st = lock(&self.state);
        let mut all: Vec<String> = st.stale.iter().cloned().collect();
        all.extend(paths.iter().cloned());
        st.engine.set_overlay(None);
        let r = st.engine.rebuild_changed(&all);
        if r.is_ok() {
            st.stale.clear();
        }
        let snapshot = r.ok().map(|o| o.snapshot);
        self.install(&mut st, snapshot);
    }

    /// The page of the article at `rel` (`content/tin-tuc/a.md`) with `text` instead of its
    /// file, or every error of the run (as `bantin build` reports them).
    pub fn show(&self, rel: &str, text: String) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let mut st = lock(&self.state);
        let overlay = Overlay(BTreeMap::from([(self.root.join(rel), text)]));
        st.engine.set_overlay(Some(Arc::new(overlay)));
        let mut paths: Vec<String> = st.stale.iter().cloned().collect();
        paths.push(rel.to_string());
        let r = st.engine.rebuild_changed(&paths);
        st.engine.set_overlay(None);
        if r.is_ok() {
            st.stale.clear();
        }
        st.stale.insert(rel.to_string());
        let outcome = r.map_err(|d| d.0)?;
        let file = st.engine.page_output(rel.trim_start_matches("content/"));
        let bytes = file.and_then(|f| match outcome.snapshot.files.get(&f) {
            Some(Served::Bytes(b)) => Some(b.to_vec()),
            Some(Served::File(p)) => std::fs::read(p).ok(),
            None => None,
        });
        self.install(&mut st, Some(outcome.snapshot));
        bytes.ok_or_else(|| {
            vec![Diagnostic::error(
                "bản dựng không tạo trang cho bài này (bài bị tắt hoặc đường dẫn trùng bài khác)",
            )
            .in_file(rel)]
        })
    }

    /// The last good snapshot, if any.
    pub fn snapshot(&self) -> Option<Arc<Snapshot>> {
        lock(&self.current).clone()
    }
}
