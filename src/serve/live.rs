//! What the server shows and the live-reload channel: the last good build, the current error
//! (if the last rebuild failed), and the Server-Sent Events clients to tell about changes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde_json::json;
use tokio::sync::mpsc::{self, Receiver, Sender};

use super::incremental::Snapshot;

/// Path of the event stream (outside the site's base path, never a site file).
pub const EVENTS_PATH: &str = "/__bantin/tai-lai";
/// Path of the injected script.
pub const SCRIPT_PATH: &str = "/__bantin/tai-lai.js";
pub const SCRIPT: &str = include_str!("tai-lai.js");

#[derive(Default)]
pub struct State {
    /// The last good build; `None` until the first build succeeds.
    pub snapshot: Option<Arc<Snapshot>>,
    /// Diagnostics of the failed rebuild, as printed in the terminal; `None` when it built.
    pub error: Option<String>,
    /// Counts good builds; pages carry it so a tab that missed a reload catches up.
    pub generation: u64,
}

/// Messages an event-stream client may have waiting; one that lets more pile up is dropped
/// (its browser reconnects and catches up from the state it is sent first).
const BACKLOG: usize = 16;

#[derive(Default)]
pub struct Shared {
    pub state: RwLock<State>,
    clients: Mutex<Vec<Sender<String>>>,
    pub stopping: AtomicBool,
}

impl Shared {
    pub fn current(&self) -> (Option<Arc<Snapshot>>, Option<String>, u64) {
        let s = self.state.read().unwrap_or_else(|e| e.into_inner());
        (s.snapshot.clone(), s.error.clone(), s.generation)
    }

    /// A successful build: serve it, clear the error, reload open tabs. (`reload` false: the
    /// search index replaced in the background, nothing a reader sees.)
    pub fn built(&self, snapshot: Arc<Snapshot>, reload: bool) {
        let generation = {
            let mut s = self.state.write().unwrap_or_else(|e| e.into_inner());
            s.snapshot = Some(snapshot);
            if reload {
                s.error = None;
            }
            if reload {
                s.generation += 1;
            }
            s.generation
        };
        if reload {
            self.broadcast(&event("tai-lai", &json!({ "the_he": generation })));
        }
    }

    /// A failed build: keep serving the last good one, show the error in open tabs.
    pub fn failed(&self, text: String) {
        self.state.write().unwrap_or_else(|e| e.into_inner()).error = Some(text.clone());
        self.broadcast(&event("loi", &json!({ "loi": text })));
    }

    /// A new event-stream client; it first receives the current state. The receiver ends when
    /// the server stops (at once if it is stopping).
    pub fn subscribe(&self) -> (Receiver<String>, String) {
        let (tx, rx) = mpsc::channel(BACKLOG);
        let (_, error, generation) = self.current();
        let hello = event("trang-thai", &json!({ "the_he": generation, "loi": error }));
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if !self.is_stopping() {
            clients.push(tx);
        }
        (rx, hello)
    }

    /// Sends to every client (never blocks: called from the rebuild thread); forgets the
    /// clients gone and those not reading.
    fn broadcast(&self, msg: &str) {
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|c| c.try_send(msg.to_string()).is_ok());
    }

    /// Ends every event stream (on shutdown).
    pub fn stop(&self) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        self.stopping.store(true, Ordering::SeqCst);
        clients.clear();
    }

    /// The server is shutting down: the rebuild loop ends too.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }
}

/// One SSE message; the JSON data has no raw newlines.
fn event(name: &str, data: &serde_json::Value) -> String {
    format!("event: {name}\ndata: {data}\n\n")
}

/// The overlay shown over a page while the last rebuild failed (same look as the script's).
pub fn overlay_html(text: &str) -> String {
    format!(
        "<div id=\"bantin-loi\" role=\"alert\" style=\"position:fixed;z-index:2147483647;left:0;right:0;top:0;max-height:70vh;overflow:auto;margin:0;padding:1em 1.25em;background:#7a1010;color:#fff;font:15px/1.5 system-ui,sans-serif;box-shadow:0 2px 12px rgba(0,0,0,.5)\">\
<strong>Dựng trang thất bại — đang hiện bản dựng tốt gần nhất. Sửa lỗi rồi lưu lại, trang sẽ tự tải lại.</strong>\
<pre style=\"white-space:pre-wrap;margin:.75em 0;font:14px/1.45 ui-monospace,monospace\">{}</pre></div>",
        crate::escape::html(text)
    )
}

/// Adds the reload script (and the error overlay) before the last `</body>`, or at the end.
pub fn inject(html: &[u8], generation: u64, error: Option<&str>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(e) = error {
        extra.push_str(&overlay_html(e));
    }
    extra.push_str(&format!(
        "<script src=\"{SCRIPT_PATH}\" data-the-he=\"{generation}\"></script>"
    ));
    let at = rfind_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The page shown while there is no good build yet (first build running or failed).
pub fn placeholder_page(generation: u64, error: Option<&str>) -> Vec<u8> {
    let body = if error.is_some() {
        "<p>Chưa dựng được trang. Sửa lỗi rồi lưu lại, trang sẽ tự tải lại.</p>"
    } else {
        "<p>Đang dựng trang…</p>"
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>bantin serve</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    );
    inject(html.as_bytes(), generation, error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_last_body_close() {
        let out = inject(b"<body><p>x</p></BODY>\n</html>", 3, None);
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with(
            "<body><p>x</p><script src=\"/__bantin/tai-lai.js\" data-the-he=\"3\"></script></BODY>"
        ));
        let out = inject(b"no body", 1, Some("lỗi: <a>"));
        let s = String::from_utf8(out).unwrap();
        assert!(s.starts_with("no body<div id=\"bantin-loi\""));
        assert!(s.contains("lỗi: &lt;a&gt;"));
    }
}
