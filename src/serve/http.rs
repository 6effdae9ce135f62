//! A small HTTP/1.1 server on `std::net`: one thread per connection, `GET` and `HEAD` only,
//! one request per connection (`Connection: close`), plus the long-lived event stream.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::Ordering;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::incremental::{Served, Snapshot};
use super::live::{self, Shared};

const MAX_HEAD: usize = 16 * 1024;

/// Runs the accept loop on its own thread until [`stop`] is called.
pub fn start(listener: TcpListener, shared: Arc<Shared>) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("bantin-http".into())
        .spawn(move || {
            for stream in listener.incoming() {
                if shared.stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = shared.clone();
                let _ = std::thread::Builder::new()
                    .name("bantin-conn".into())
                    .spawn(move || handle(stream, &shared));
            }
        })
        .expect("spawning the server thread")
}

/// Stops the accept loop (the flag is set by `Shared::stop`; a connection wakes `accept`).
pub fn stop(addr: SocketAddr, thread: JoinHandle<()>) {
    let mut wake = addr;
    if wake.ip().is_unspecified() {
        wake.set_ip(match wake {
            SocketAddr::V4(_) => std::net::Ipv4Addr::LOCALHOST.into(),
            SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
        });
    }
    let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
    let _ = thread.join();
}

/// A response before it is written.
struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    fn text(status: u16, body: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            body.as_bytes().to_vec(),
        )
    }

    fn redirect(status: u16, to: &str) -> Response {
        let mut r = Response::text(status, &format!("Chuyển tới {to}\n"));
        r.headers.push(("Location", to.to_string()));
        r
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn handle(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(30)));
    let head = match read_head(&mut stream) {
        Ok(h) => h,
        Err(status) => {
            let _ = write(
                &mut stream,
                &Response::text(status, "Yêu cầu không hợp lệ.\n"),
                false,
            );
            return;
        }
    };
    let mut parts = head.lines().next().unwrap_or("").split(' ');
    let (method, target, version) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
        parts.next().unwrap_or(""),
    );
    if !version.starts_with("HTTP/1.") || parts.next().is_some() {
        let _ = write(
            &mut stream,
            &Response::text(400, "Yêu cầu không hợp lệ.\n"),
            false,
        );
        return;
    }
    let head_only = method == "HEAD";
    if method != "GET" && !head_only {
        let mut r = Response::text(405, "Chỉ hỗ trợ GET và HEAD.\n");
        r.headers.push(("Allow", "GET, HEAD".into()));
        let _ = write(&mut stream, &r, false);
        return;
    }
    let path = match decode_path(target) {
        Ok(p) => p,
        Err(status) => {
            let _ = write(
                &mut stream,
                &Response::text(status, "Đường dẫn không hợp lệ.\n"),
                head_only,
            );
            return;
        }
    };
    if path == live::EVENTS_PATH {
        if head_only {
            let r = Response::new(200, "text/event-stream; charset=utf-8", Vec::new());
            let _ = write(&mut stream, &r, true);
        } else {
            events(stream, shared);
        }
        return;
    }
    let response = respond(&path, shared);
    let _ = write(&mut stream, &response, head_only);
}

/// Reads the request line and headers (the body of a GET is ignored).
fn read_head(stream: &mut TcpStream) -> Result<String, u16> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            buf.truncate(end);
            break;
        }
        if buf.len() > MAX_HEAD {
            return Err(431);
        }
        match stream.read(&mut chunk) {
            Ok(0) => {
                if buf.is_empty() {
                    return Err(400);
                }
                break;
            }
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) => return Err(400),
        }
    }
    String::from_utf8(buf).map_err(|_| 400)
}

/// The decoded request path, or the status refusing it. Refused: anything but an origin-form
/// target, backslashes, NUL and control characters, encoded `/` or `\`, `.` and `..` segments
/// (encoded or not), invalid percent-escapes and non-UTF-8 paths.
pub fn decode_path(target: &str) -> Result<String, u16> {
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') || raw.contains('\\') {
        return Err(400);
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) else {
                return Err(400);
            };
            let d = (h * 16 + l) as u8;
            if d == b'/' || d == b'\\' {
                return Err(400);
            }
            out.push(d);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    let path = String::from_utf8(out).map_err(|_| 400u16)?;
    if path.chars().any(char::is_control) {
        return Err(400);
    }
    if path.split('/').any(|seg| seg == "." || seg == "..") {
        return Err(400);
    }
    Ok(path)
}

/// Content type by file extension.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" if name == "rss.xml" => "application/rss+xml; charset=utf-8",
        "xml" if name == "atom.xml" => "application/atom+xml; charset=utf-8",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "zip" => "application/zip",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

fn respond(path: &str, shared: &Shared) -> Response {
    if path == live::SCRIPT_PATH {
        return Response::new(
            200,
            "text/javascript; charset=utf-8",
            live::SCRIPT.as_bytes().to_vec(),
        );
    }
    let (snapshot, error, generation) = shared.current();
    let Some(snapshot) = snapshot else {
        return Response::new(
            503,
            "text/html; charset=utf-8",
            live::placeholder_page(generation, error.as_deref()),
        );
    };
    let html = |status: u16, bytes: &[u8]| {
        Response::new(
            status,
            "text/html; charset=utf-8",
            live::inject(bytes, generation, error.as_deref()),
        )
    };
    let base = snapshot.base_path.as_str();
    let Some(rel) = path.strip_prefix(base) else {
        if path == "/" || format!("{path}/") == base {
            return Response::redirect(302, base);
        }
        return not_found(&snapshot, html);
    };
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    match snapshot.files.get(&file) {
        Some(served) => {
            let bytes = match served {
                Served::Bytes(b) => b.as_ref().clone(),
                Served::File(p) => match std::fs::read(p) {
                    Ok(b) => b,
                    Err(_) => return not_found(&snapshot, html),
                },
            };
            let ct = content_type(&file);
            if ct.starts_with("text/html") {
                html(200, &bytes)
            } else {
                Response::new(200, ct, bytes)
            }
        }
        None if !rel.is_empty()
            && !rel.ends_with('/')
            && snapshot.files.contains_key(&format!("{rel}/index.html")) =>
        {
            Response::redirect(301, &format!("{path}/"))
        }
        None => not_found(&snapshot, html),
    }
}

fn not_found(snapshot: &Snapshot, html: impl Fn(u16, &[u8]) -> Response) -> Response {
    match snapshot.files.get("404.html") {
        Some(Served::Bytes(b)) => html(404, b),
        _ => Response::text(404, "Không tìm thấy trang.\n"),
    }
}

fn write(stream: &mut TcpStream, r: &Response, head_only: bool) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        r.body.len()
    ));
    stream.write_all(head.as_bytes())?;
    if !head_only {
        stream.write_all(&r.body)?;
    }
    stream.flush()?;
    let _ = stream.shutdown(Shutdown::Write);
    Ok(())
}

/// The Server-Sent Events stream: the current state first, then every change, with a comment
/// line every 15 seconds so a closed tab is noticed.
fn events(mut stream: TcpStream, shared: &Shared) {
    let (rx, hello) = shared.subscribe();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 500\n\n";
    if stream.write_all(head.as_bytes()).is_err() || stream.write_all(hello.as_bytes()).is_err() {
        return;
    }
    let _ = stream.flush();
    loop {
        let msg = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if shared.stopping.load(Ordering::SeqCst)
            || stream.write_all(msg.as_bytes()).is_err()
            || stream.flush().is_err()
        {
            break;
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_traversal() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/.%2e/x",
            "/a%2fb",
            "/a%2Fb",
            "/a%5cb",
            "/a\\b",
            "/a%00b",
            "/a%0ab",
            "/%zz",
            "/%c3",
            "x",
            "http://host/",
            "/./a",
        ] {
            assert!(decode_path(bad).is_err(), "{bad}");
        }
        assert_eq!(
            decode_path("/tin-tuc/a%20b/?q=1#x").unwrap(),
            "/tin-tuc/a b/"
        );
        assert_eq!(decode_path("/ti%E1%BA%BFng/").unwrap(), "/tiếng/");
        assert_eq!(decode_path("/a..b/").unwrap(), "/a..b/");
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("rss.xml"),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("css/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("a/so-do.SVG"), "image/svg+xml");
        assert_eq!(content_type("du-lieu/a.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }
}
