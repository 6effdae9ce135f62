//! Watching the site's sources (`config.toml`, `content/`, `templates/`, `themes/`, `static/`)
//! and turning bursts of file events into one change batch.
//!
//! One save is several events. Writing in place: `Modify(Data)` per `write()`, then
//! `Access(Close(Write))`. Atomic saves (gedit, VS Code's and JetBrains' "safe write", many
//! scripts): create a temporary file (`.goutputstream-XXXX`, `bai.md___jb_tmp___`, …), write it,
//! then rename it over the real name: `Modify(Name(From))` + `Modify(Name(To))` +
//! `Modify(Name(Both))`. Vim: creates and deletes `4913`, renames `bai.md` to `bai.md~`, writes a
//! new `bai.md` (`Create`, `Modify(Data)`, `Close(Write)`), deletes the backup. Emacs adds
//! `.#bai.md` lock links and `#bai.md#` autosaves. So: events on editor temporaries are
//! ignored, reads (`Access(Open)`, `Close(Read)`: our own rebuild reading the files) are
//! ignored, and everything else is collected until the sources have been quiet for
//! [`QUIET`] (at most [`MAX_WAIT`] after the first event), then handed over as one batch. When
//! the last event finished a save of a source file (its `Close(Write)`, or the rename onto it),
//! a shorter quiet time ([`QUIET_AFTER_SAVE`]) ends the burst: the save → reload time of one
//! edited article is otherwise mostly this wait.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind, RenameMode};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// Quiet time that ends a burst of events.
pub const QUIET: Duration = Duration::from_millis(30);
/// Quiet time that ends a burst whose last event finished writing a source file.
pub const QUIET_AFTER_SAVE: Duration = Duration::from_millis(8);
/// Longest a burst is collected before rebuilding anyway.
pub const MAX_WAIT: Duration = Duration::from_millis(300);

/// Source folders watched recursively (when they exist; created later ones are picked up).
pub const DIRS: [&str; 4] = ["content", "templates", "themes", "static"];
pub const CONFIG: &str = "config.toml";

/// Changes seen in one burst.
#[derive(Debug)]
pub struct Batch {
    /// Changed paths, relative to the site root, `/`-separated, sorted, without duplicates.
    pub paths: Vec<String>,
    /// When the first event of the burst arrived (for the edit → reload figure).
    pub first: Instant,
}

pub struct Watch {
    _watcher: Arc<Mutex<RecommendedWatcher>>,
    pub batches: Receiver<Batch>,
}

/// Starts watching `root` (an absolute path).
pub fn start(root: &Path) -> notify::Result<Watch> {
    let (raw_tx, raw_rx) = mpsc::channel::<(Instant, notify::Result<notify::Event>)>();
    let watcher = notify::recommended_watcher(move |ev| {
        let _ = raw_tx.send((Instant::now(), ev));
    })?;
    let watcher = Arc::new(Mutex::new(watcher));
    {
        let mut w = watcher.lock().unwrap_or_else(|e| e.into_inner());
        w.watch(root, RecursiveMode::NonRecursive)?;
        for d in DIRS {
            let p = root.join(d);
            if p.is_dir() {
                w.watch(&p, RecursiveMode::Recursive)?;
            }
        }
    }
    let (tx, rx) = mpsc::channel();
    let root = root.to_path_buf();
    let w = watcher.clone();
    std::thread::Builder::new()
        .name("bantin-watch".into())
        .spawn(move || debounce(&root, &w, &raw_rx, &tx))
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok(Watch {
        _watcher: watcher,
        batches: rx,
    })
}

fn debounce(
    root: &Path,
    watcher: &Mutex<RecommendedWatcher>,
    raw: &Receiver<(Instant, notify::Result<notify::Event>)>,
    out: &Sender<Batch>,
) {
    loop {
        // Wait for the first relevant event of a burst.
        let (first, mut paths, mut saved) = loop {
            let Ok((at, ev)) = raw.recv() else { return };
            let (p, saved) = relevant(root, watcher, ev);
            if !p.is_empty() {
                break (at, p, saved);
            }
        };
        loop {
            let left = MAX_WAIT.saturating_sub(first.elapsed());
            let quiet = if saved { QUIET_AFTER_SAVE } else { QUIET };
            match raw.recv_timeout(quiet.min(left)) {
                Ok((_, ev)) => {
                    let (p, done) = relevant(root, watcher, ev);
                    if !p.is_empty() {
                        saved = done;
                    }
                    paths.extend(p);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if first.elapsed() >= MAX_WAIT {
                break;
            }
        }
        paths.sort();
        paths.dedup();
        if out.send(Batch { paths, first }).is_err() {
            return;
        }
    }
}

/// The site paths an event touches that can change the site (none for reads and temporaries),
/// and whether the event finished writing a source file (closed after writing, or renamed onto).
/// A source folder created at the root is watched from now on.
fn relevant(
    root: &Path,
    watcher: &Mutex<RecommendedWatcher>,
    ev: notify::Result<notify::Event>,
) -> (Vec<String>, bool) {
    let ev = match ev {
        Ok(ev) => ev,
        // Lost events (queue overflow, watch errors): rebuild to be safe.
        Err(_) => return (vec![String::from("(không rõ)")], false),
    };
    if ev.need_rescan() {
        return (vec![String::from("(không rõ)")], false);
    }
    let finishes = match ev.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => return (Vec::new(), false),
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => {
            return (Vec::new(), false)
        }
        EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both)) => true,
        _ => false,
    };
    let mut out = Vec::new();
    // the written file: the only path, or a rename's destination (the last one)
    let mut saved = false;
    for (k, p) in ev.paths.iter().enumerate() {
        let Ok(rel) = p.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let Some(top) = parts.first() else { continue };
        let source = (parts.len() == 1 && top == CONFIG) || DIRS.contains(&top.as_str());
        if !source || parts.last().is_some_and(|n| is_temporary(n)) {
            continue;
        }
        if parts.len() == 1 && DIRS.contains(&top.as_str()) && p.is_dir() {
            let mut w = watcher.lock().unwrap_or_else(|e| e.into_inner());
            let _ = w.watch(p, RecursiveMode::Recursive);
        }
        saved = finishes && k + 1 == ev.paths.len();
        out.push(parts.join("/"));
    }
    (out, saved)
}

/// Editor temporaries and backups, which never change the site by themselves.
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.contains("___jb_")
}

/// The changed paths in a few words, for the terminal.
pub fn describe(paths: &[String]) -> String {
    match paths {
        [] => String::new(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} và {} tệp khác", rest.len()),
    }
}

#[cfg(test)]
mod tests {
    use super::is_temporary;

    #[test]
    fn temporaries() {
        for t in [
            ".goutputstream-ABC",
            "bai.md~",
            "#bai.md#",
            ".#bai.md",
            "4913",
            ".bai.md.swp",
            "bai.md___jb_tmp___",
        ] {
            assert!(is_temporary(t), "{t}");
        }
        for s in ["bai.md", "style.css", "_index.md", "2024.toml"] {
            assert!(!is_temporary(s), "{s}");
        }
    }
}
