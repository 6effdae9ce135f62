//! The HTTP side of `bantin serve`, on tokio + hyper + axum: serves the in-memory build under
//! its base path, `GET` and `HEAD` only, plus the live-reload event stream.
//!
//! * Connections: hyper's HTTP/1.1 (keep-alive), one task each, at most
//!   [`Limits::connections`] open at once (a semaphore in the accept loop: more wait in the
//!   kernel's queue until one ends). A client must send its request line and headers within
//!   [`Limits::header_timeout`] (hyper's header read timeout, also between two requests of a
//!   kept-alive connection) and in at most [`Limits::header_bytes`] (else 431).
//! * Requests ([`guard`], before routing): other methods 405 with `Allow: GET, HEAD`; a body
//!   that may be larger than [`Limits::body_bytes`] (or of unknown length) 413, smaller ones
//!   are ignored; the path is percent-decoded segment by segment ([`decode_path`]) and refused
//!   (400) when it holds `.`/`..` segments, encoded `/` or `\`, backslashes, control characters
//!   or invalid escapes.
//! * Responses: every one carries `Cache-Control: no-store` and `X-Content-Type-Options:
//!   nosniff` (tower-http); content types come from `mime_guess` ([`content_type`]); HTML
//!   responses (and only they) get the reload script and, while the last rebuild failed, the
//!   error overlay ([`live::inject`]).
//! * Shutdown ([`serve`]'s `shutdown` future): the listener is closed, the event streams end
//!   ([`Shared::stop`]), open connections finish their response and close; after
//!   [`Limits::grace`] the rest are dropped.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router};
use futures_util::stream::{self, StreamExt};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use percent_encoding::percent_decode_str;
use tokio::sync::{watch, Semaphore};
use tower::ServiceExt;
use tower_http::set_header::SetResponseHeaderLayer;

use super::incremental::{Served, Snapshot};
use super::live::{self, Shared};

/// What one client may hold of the server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections open at once (reading, answering, streaming events or idle).
    pub connections: usize,
    /// Time to send a request line and its headers, from the connection's start or the end of
    /// the previous response; the connection is closed after it.
    pub header_timeout: Duration,
    /// Size of a request line and headers (431 above).
    pub header_bytes: usize,
    /// Largest request body accepted (and ignored): serving takes no data.
    pub body_bytes: u64,
    /// On shutdown, time left to responses under way.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: 512,
            header_timeout: Duration::from_secs(10),
            header_bytes: 16 * 1024,
            body_bytes: 1024,
            grace: Duration::from_secs(1),
        }
    }
}

/// The request path, percent-decoded by [`guard`] (handlers never see the raw one).
#[derive(Debug, Clone)]
struct SitePath(String);

/// Serves until `shutdown` completes, then closes gracefully (see the module docs). The
/// listener must be bound already (its errors are reported before anything starts).
pub async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let app = app(shared.clone(), limits.body_bytes);
    serve_router(listener, app, &limits, shutdown, || shared.stop()).await
}

/// The address of the client that opened the connection, in every request's extensions
/// ([`serve_router`] puts it there): the editor limits logins per address and trusts
/// `X-Forwarded-Proto` from a loopback peer only.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// The connection side shared by `bantin serve` and `bantin edit`: accepts on `listener` and
/// answers with `app` under `limits` (bounded connections, header timeout and size) until
/// `shutdown` completes; then `on_stop` runs (ending long-lived responses such as event
/// streams), open connections get [`Limits::grace`] to finish, and the rest are dropped.
pub async fn serve_router(
    listener: std::net::TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
    on_stop: impl FnOnce(),
) -> std::io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(limits.header_bytes);
    // Every connection task holds a permit: all of them back means every connection ended.
    let permits = Arc::new(Semaphore::new(limits.connections));
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            biased;
            () = &mut shutdown => break,
            p = permits.clone().acquire_owned() => p.expect("the semaphore is never closed"),
        };
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors, a connection reset before it was accepted…: wait a
                // little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(Peer(peer));
            req
        });
        let conn =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _permit = permit;
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
    drop(listener);
    on_stop();
    let _ = stop_tx.send(true);
    let all = u32::try_from(limits.connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(limits.grace, permits.acquire_many(all)).await;
    Ok(())
}

/// The routes; [`guard`] runs before each of them.
fn app(shared: Arc<Shared>, body_bytes: u64) -> Router {
    Router::new()
        .route(live::EVENTS_PATH, get(events))
        .route(live::SCRIPT_PATH, get(script))
        .fallback(site)
        .layer(middleware::from_fn_with_state(body_bytes, guard))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .with_state(shared)
}

/// A response with a body and its content type.
fn reply(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    if let Ok(v) = HeaderValue::from_str(content_type) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

fn text(status: StatusCode, body: String) -> Response {
    reply(status, "text/plain; charset=utf-8", body)
}

fn redirect(status: StatusCode, to: &str) -> Response {
    let mut r = text(status, format!("Chuyển tới {to}\n"));
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// Method, body and path checks, before any route.
async fn guard(State(body_bytes): State<u64>, mut req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = text(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "Máy chủ xem trước chỉ nhận yêu cầu GET và HEAD (xem trang), không nhận {}. Hãy mở trang bằng trình duyệt.\n",
                req.method()
            ),
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    // Unknown length (chunked): it cannot be known to be small.
    if req
        .body()
        .size_hint()
        .upper()
        .is_none_or(|n| n > body_bytes)
    {
        return text(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "Yêu cầu gửi kèm dữ liệu quá {body_bytes} byte: máy chủ xem trước không nhận dữ liệu. Hãy gửi yêu cầu GET không kèm dữ liệu.\n"
            ),
        );
    }
    let uri = req.uri();
    let decoded = if uri.scheme().is_some() || uri.authority().is_some() {
        Err(StatusCode::BAD_REQUEST)
    } else {
        decode_path(uri.path())
    };
    match decoded {
        Ok(path) => {
            req.extensions_mut().insert(SitePath(path));
            next.run(req).await
        }
        Err(status) => text(
            status,
            "Đường dẫn không hợp lệ: không được có đoạn \".\" hay \"..\", dấu \\, ký tự điều khiển hay mã %XX sai. Hãy mở trang từ một liên kết của trang web.\n".into(),
        ),
    }
}

/// The decoded request path, or the status refusing it. Refused: anything but an origin-form
/// target, backslashes, NUL and control characters, encoded `/` or `\`, `.` and `..` segments
/// (encoded or not), invalid percent-escapes and non-UTF-8 paths. The query and fragment are
/// dropped.
pub fn decode_path(target: &str) -> Result<String, StatusCode> {
    const BAD: StatusCode = StatusCode::BAD_REQUEST;
    let raw = target.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') || raw.contains('\\') {
        return Err(BAD);
    }
    let mut out = String::with_capacity(raw.len());
    for (i, segment) in raw.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        // percent-encoding leaves a malformed escape as it is; refuse it instead.
        let b = segment.as_bytes();
        let malformed = b.iter().enumerate().any(|(j, &c)| {
            c == b'%'
                && !(b.get(j + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(j + 2).is_some_and(u8::is_ascii_hexdigit))
        });
        if malformed {
            return Err(BAD);
        }
        let s = percent_decode_str(segment).decode_utf8().map_err(|_| BAD)?;
        if s == "." || s == ".." || s.contains(['/', '\\']) || s.chars().any(char::is_control) {
            return Err(BAD);
        }
        out.push_str(&s);
    }
    Ok(out)
}

/// The content type of an output file, by name: `mime_guess`'s, with `charset=utf-8` added to
/// text types (bantin writes UTF-8). Feeds have their own types; XML is `application/xml` and
/// `.mjs` is JavaScript as the current RFCs (7303, 9239) say; unknown files are
/// `application/octet-stream`.
pub fn content_type(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or("");
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let mime = match (name, ext.as_str()) {
        ("rss.xml", _) => "application/rss+xml",
        ("atom.xml", _) => "application/atom+xml",
        (_, "xml" | "xsl") => "application/xml",
        (_, "js" | "mjs") => "text/javascript",
        _ if ext.is_empty() => "application/octet-stream",
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    let xml_app =
        mime.starts_with("application/") && (mime.ends_with("/xml") || mime.ends_with("+xml"));
    if mime.starts_with("text/") || xml_app {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

async fn script() -> Response {
    reply(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        live::SCRIPT,
    )
}

/// The Server-Sent Events stream: the current state first, then every change, with a comment
/// line every 15 seconds so a closed tab is noticed. Ends when the server stops.
async fn events(State(shared): State<Arc<Shared>>, method: Method) -> Response {
    const CONTENT_TYPE: &str = "text/event-stream; charset=utf-8";
    if method == Method::HEAD {
        return reply(StatusCode::OK, CONTENT_TYPE, Body::empty());
    }
    let (rx, hello) = shared.subscribe();
    let first = stream::iter([Ok::<_, std::convert::Infallible>(format!(
        "retry: 500\n\n{hello}"
    ))]);
    let rest = stream::unfold(rx, |mut rx| async move {
        let msg = match tokio::time::timeout(Duration::from_secs(15), rx.recv()).await {
            Ok(Some(msg)) => msg,
            Ok(None) => return None,
            Err(_) => ": ping\n\n".to_string(),
        };
        Some((Ok(msg), rx))
    });
    reply(
        StatusCode::OK,
        CONTENT_TYPE,
        Body::from_stream(first.chain(rest)),
    )
}

/// A file of the site, a redirect, the 404 page, or the placeholder before the first build.
async fn site(
    State(shared): State<Arc<Shared>>,
    Extension(SitePath(path)): Extension<SitePath>,
    uri: Uri,
) -> Response {
    let (snapshot, error, generation) = shared.current();
    let Some(snapshot) = snapshot else {
        return reply(
            StatusCode::SERVICE_UNAVAILABLE,
            "text/html; charset=utf-8",
            live::placeholder_page(generation, error.as_deref()),
        );
    };
    let html = |status: StatusCode, bytes: &[u8]| {
        reply(
            status,
            "text/html; charset=utf-8",
            live::inject(bytes, generation, error.as_deref()),
        )
    };
    let base = snapshot.base_path.as_str();
    let Some(rel) = path.strip_prefix(base) else {
        if path == "/" || format!("{path}/") == base {
            return redirect(StatusCode::FOUND, base);
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
            let ct = content_type(&file);
            let page = ct.starts_with("text/html");
            let body = match served {
                Served::Bytes(b) if page => return html(StatusCode::OK, b),
                // Shares the snapshot's bytes, no copy.
                Served::Bytes(b) => Body::from(Bytes::from_owner(SharedBytes(b.clone()))),
                Served::File(p) => {
                    let p = p.clone();
                    match tokio::task::spawn_blocking(move || std::fs::read(p)).await {
                        Ok(Ok(b)) if page => return html(StatusCode::OK, &b),
                        Ok(Ok(b)) => Body::from(b),
                        _ => return not_found(&snapshot, html),
                    }
                }
            };
            reply(StatusCode::OK, &ct, body)
        }
        None if !rel.is_empty()
            && !rel.ends_with('/')
            && snapshot.files.contains_key(&format!("{rel}/index.html")) =>
        {
            // The request's own (still encoded) path: checked above, and ASCII.
            redirect(StatusCode::MOVED_PERMANENTLY, &format!("{}/", uri.path()))
        }
        None => not_found(&snapshot, html),
    }
}

/// The bytes of a snapshot file as a response body.
struct SharedBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn not_found(snapshot: &Snapshot, html: impl Fn(StatusCode, &[u8]) -> Response) -> Response {
    match snapshot.files.get("404.html") {
        Some(Served::Bytes(b)) => html(StatusCode::NOT_FOUND, b),
        _ => text(
            StatusCode::NOT_FOUND,
            format!(
                "Không tìm thấy trang. Kiểm tra lại địa chỉ, hoặc về trang chủ {}.\n",
                snapshot.base_path
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::path::PathBuf;
    use std::thread::JoinHandle;
    use std::time::Instant;

    use tokio::sync::oneshot;

    use super::*;

    #[test]
    fn refuses_traversal() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E/x",
            "/.%2e/x",
            "/%2e/x",
            "/a%2fb",
            "/a%2Fb",
            "/a%5cb",
            "/a\\b",
            "/a%00b",
            "/a%0ab",
            "/%zz",
            "/%2",
            "/a%",
            "/%c3",
            "x",
            "http://host/",
            "/./a",
        ] {
            assert_eq!(decode_path(bad), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
        assert_eq!(
            decode_path("/tin-tuc/a%20b/?q=1#x").unwrap(),
            "/tin-tuc/a b/"
        );
        assert_eq!(decode_path("/ti%E1%BA%BFng/").unwrap(), "/tiếng/");
        assert_eq!(decode_path("/a..b/").unwrap(), "/a..b/");
        assert_eq!(decode_path("/a%25b").unwrap(), "/a%b");
    }

    #[test]
    fn content_types() {
        for (path, ct) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("a/INDEX.HTM", "text/html; charset=utf-8"),
            ("css/style.css", "text/css; charset=utf-8"),
            ("js/a.js", "text/javascript; charset=utf-8"),
            ("js/a.mjs", "text/javascript; charset=utf-8"),
            ("a/so-do.svg", "image/svg+xml"),
            ("a/so-do.SVG", "image/svg+xml"),
            ("du-lieu/a.json", "application/json"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("rss.xml", "application/rss+xml; charset=utf-8"),
            ("tin-tuc/atom.xml", "application/atom+xml; charset=utf-8"),
            ("du-lieu/a.csv", "text/csv; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("anh.JPG", "image/jpeg"),
            ("a.woff2", "font/woff2"),
            ("a.pdf", "application/pdf"),
            ("LICENSE", "application/octet-stream"),
            ("a.khong-ro", "application/octet-stream"),
        ] {
            assert_eq!(content_type(path), ct, "{path}");
        }
    }

    // ---- the server on 127.0.0.1, port 0 ----------------------------------------------------

    const PAGE: &str = "<!DOCTYPE html><html><body><p>Trang chủ</p></body></html>";
    const CSS: &str = "body{color:#000}";

    /// A built site under `/ban-tin/` with one file of each kind.
    fn snapshot(dir: &std::path::Path) -> Snapshot {
        let photo = dir.join("anh.png");
        std::fs::write(&photo, b"\x89PNG\r\n\x1a\nanh").unwrap();
        let bytes = |s: &str| Served::Bytes(Arc::new(s.as_bytes().to_vec()));
        let mut files: HashMap<String, Served> = [
            ("index.html", bytes(PAGE)),
            ("tin-tuc/index.html", bytes("<html><body>tin</body></html>")),
            (
                "404.html",
                bytes("<html><body>Không tìm thấy</body></html>"),
            ),
            ("css/style.css", bytes(CSS)),
            (
                "favicon.svg",
                bytes("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            ),
            ("du-lieu/du-lieu.json", bytes("{}")),
            ("sitemap.xml", bytes("<urlset/>")),
            ("rss.xml", bytes("<rss/>")),
            ("LICENSE", bytes("MIT")),
            ("tep.khong-ro", bytes("?")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        files.insert("tin-tuc/anh.png".into(), Served::File(photo));
        files.insert(
            "tin-tuc/mat.png".into(),
            Served::File(PathBuf::from("/khong/co/tep/nay.png")),
        );
        Snapshot {
            files,
            base_path: "/ban-tin/".into(),
        }
    }

    struct TestServer {
        addr: SocketAddr,
        shared: Arc<Shared>,
        stop: Option<oneshot::Sender<()>>,
        thread: Option<JoinHandle<()>>,
        _dir: tempfile::TempDir,
    }

    impl TestServer {
        fn start(limits: Limits) -> TestServer {
            let dir = tempfile::tempdir().unwrap();
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let shared = Arc::new(Shared::default());
            shared.built(Arc::new(snapshot(dir.path())), true);
            let (stop, stopped) = oneshot::channel::<()>();
            let s = shared.clone();
            let thread = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                let shutdown = async {
                    let _ = stopped.await;
                };
                rt.block_on(serve(listener, s, limits, shutdown)).unwrap();
            });
            TestServer {
                addr,
                shared,
                stop: Some(stop),
                thread: Some(thread),
                _dir: dir,
            }
        }

        /// Asks the server to stop; returns how long `serve` took to return.
        fn shutdown(&mut self) -> Duration {
            let t = Instant::now();
            if let Some(stop) = self.stop.take() {
                let _ = stop.send(());
            }
            if let Some(thread) = self.thread.take() {
                thread.join().unwrap();
            }
            t.elapsed()
        }

        fn connect(&self) -> TcpStream {
            let s = TcpStream::connect(self.addr).unwrap();
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            s
        }

        /// Sends `head` (request line and headers, without the blank line) plus `Connection:
        /// close`, then `body`; returns (status, headers lower-cased, body).
        fn send(&self, head: &str, body: &[u8]) -> (u16, BTreeMap<String, String>, Vec<u8>) {
            let mut s = self.connect();
            s.write_all(format!("{head}\r\nConnection: close\r\n\r\n").as_bytes())
                .unwrap();
            s.write_all(body).unwrap();
            let mut raw = Vec::new();
            let _ = s.read_to_end(&mut raw);
            parse(&raw)
        }

        fn request(&self, method: &str, target: &str) -> (u16, BTreeMap<String, String>, Vec<u8>) {
            self.send(
                &format!("{method} {target} HTTP/1.1\r\nHost: 127.0.0.1"),
                b"",
            )
        }

        fn get(&self, target: &str) -> (u16, BTreeMap<String, String>, Vec<u8>) {
            self.request("GET", target)
        }
    }

    impl Drop for TestServer {
        fn drop(&mut self) {
            self.shutdown();
        }
    }

    fn parse(raw: &[u8]) -> (u16, BTreeMap<String, String>, Vec<u8>) {
        let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            panic!("no response head in {:?}", String::from_utf8_lossy(raw));
        };
        let head = String::from_utf8(raw[..end].to_vec()).unwrap();
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
            .collect();
        (status, headers, raw[end + 4..].to_vec())
    }

    fn quick() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(2),
            ..Limits::default()
        }
    }

    #[test]
    fn traversal_is_refused_over_http() {
        let server = TestServer::start(quick());
        for bad in [
            "/ban-tin/../LICENSE",
            "/ban-tin/tin-tuc/../../ban-tin/LICENSE",
            "/ban-tin/%2e%2e/LICENSE",
            "/ban-tin/%2E%2E/%2E%2E/etc/passwd",
            "/ban-tin/.%2e/LICENSE",
            "/ban-tin/%2e/LICENSE",
            "/ban-tin/tin-tuc%2f..%2fLICENSE",
            "/ban-tin/..%5cLICENSE",
            "/ban-tin/..\\LICENSE",
            "/ban-tin/a%00.html",
            "/ban-tin/a%0d%0aSet-Cookie:%20x",
            "/ban-tin/%zz",
            "/ban-tin/%c3",
            "ban-tin/",
            "http://127.0.0.1/ban-tin/LICENSE",
        ] {
            let (status, _, body) = server.get(bad);
            assert!(status == 400 || status == 404, "{bad}: {status}");
            assert_ne!(body, b"MIT", "{bad}");
        }
        let (status, h, body) = server.get("/ban-tin/%2e%2e/LICENSE");
        assert_eq!(status, 400);
        assert_eq!(h["content-type"], "text/plain; charset=utf-8");
        assert!(String::from_utf8(body)
            .unwrap()
            .contains("Đường dẫn không hợp lệ"));
        // Encoded characters that are fine are decoded.
        assert_eq!(server.get("/ban-tin/%74in-tuc/").0, 200);
    }

    #[test]
    fn head_has_no_body() {
        let server = TestServer::start(quick());
        for path in [
            "/ban-tin/",
            "/ban-tin/css/style.css",
            "/ban-tin/tin-tuc/anh.png",
        ] {
            let (status, get_h, get_body) = server.get(path);
            let (head_status, h, body) = server.request("HEAD", path);
            assert_eq!((status, head_status), (200, 200), "{path}");
            assert!(body.is_empty(), "{path}: {body:?}");
            assert_eq!(h["content-length"], get_body.len().to_string(), "{path}");
            assert_eq!(h["content-type"], get_h["content-type"], "{path}");
        }
        let (status, h, body) = server.request("HEAD", "/__bantin/tai-lai");
        assert_eq!(status, 200);
        assert_eq!(h["content-type"], "text/event-stream; charset=utf-8");
        assert!(body.is_empty());
        let (status, _, body) = server.request("HEAD", "/ban-tin/khong-co/");
        assert_eq!(status, 404);
        assert!(body.is_empty());
    }

    #[test]
    fn other_methods_get_405_with_allow() {
        let server = TestServer::start(quick());
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            for path in ["/ban-tin/", "/__bantin/tai-lai", "/khac"] {
                let (status, h, body) = server.request(method, path);
                assert_eq!(status, 405, "{method} {path}");
                assert_eq!(h["allow"], "GET, HEAD", "{method} {path}");
                assert_eq!(h["cache-control"], "no-store");
                assert!(String::from_utf8(body).unwrap().contains("GET và HEAD"));
            }
        }
    }

    #[test]
    fn bodies_over_the_limit_get_413() {
        let server = TestServer::start(quick());
        let head = "GET /ban-tin/ HTTP/1.1\r\nHost: 127.0.0.1";
        // Declared too large: refused before it is sent.
        let (status, _, body) = server.send(&format!("{head}\r\nContent-Length: 1048576"), b"");
        assert_eq!(status, 413);
        assert!(String::from_utf8(body)
            .unwrap()
            .contains("không nhận dữ liệu"));
        let (status, _, _) = server.send(&format!("{head}\r\nContent-Length: 1025"), &[b'a'; 1025]);
        assert_eq!(status, 413);
        // Of unknown length.
        let (status, _, _) = server.send(
            &format!("{head}\r\nTransfer-Encoding: chunked"),
            b"5\r\nhello\r\n0\r\n\r\n",
        );
        assert_eq!(status, 413);
        // A small body is ignored.
        let (status, _, body) = server.send(&format!("{head}\r\nContent-Length: 5"), b"hello");
        assert_eq!(status, 200);
        assert!(String::from_utf8(body).unwrap().contains("Trang chủ"));
    }

    #[test]
    fn oversized_headers_get_431() {
        let server = TestServer::start(quick());
        let big = "a".repeat(20 * 1024);
        let (status, _, _) = server.send(
            &format!("GET /ban-tin/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {big}"),
            b"",
        );
        assert_eq!(status, 431);
    }

    /// 200 clients that connect and never finish their headers (some send nothing at all) do
    /// not hold back an ordinary request, and are disconnected after the header timeout.
    #[test]
    fn idle_clients_neither_block_nor_stay() {
        let limits = quick();
        let timeout = limits.header_timeout;
        let server = TestServer::start(limits);
        let started = Instant::now();
        let mut idle: Vec<TcpStream> = (0..200)
            .map(|i| {
                let mut s = server.connect();
                if i % 10 != 0 {
                    s.write_all(b"GET /ban-tin/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Cham: ")
                        .unwrap();
                }
                s
            })
            .collect();
        std::thread::sleep(Duration::from_millis(100));
        let t = Instant::now();
        let (status, _, body) = server.get("/ban-tin/");
        let took = t.elapsed();
        assert_eq!(status, 200);
        assert!(String::from_utf8(body).unwrap().contains("Trang chủ"));
        assert!(took < timeout / 2, "an ordinary request took {took:?}");
        for (i, s) in idle.iter_mut().enumerate() {
            let mut rest = Vec::new();
            match s.read_to_end(&mut rest) {
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
                Err(e) => panic!(
                    "idle client {i} still open after {:?}: {e}",
                    started.elapsed()
                ),
            }
            assert!(
                rest.is_empty() || rest.starts_with(b"HTTP/1.1 408"),
                "{}",
                String::from_utf8_lossy(&rest)
            );
        }
        let all = started.elapsed();
        assert!(all >= timeout, "closed before the timeout: {all:?}");
        assert!(
            all < timeout + Duration::from_secs(5),
            "closed after {all:?}"
        );
    }

    /// At most `connections` clients are served at once; the next waits for a free slot.
    #[test]
    fn connections_are_bounded() {
        let limits = Limits {
            connections: 4,
            header_timeout: Duration::from_secs(1),
            ..Limits::default()
        };
        let server = TestServer::start(limits);
        let _idle: Vec<TcpStream> = (0..4)
            .map(|_| {
                let mut s = server.connect();
                s.write_all(b"GET / HTTP/1.1\r\n").unwrap();
                s
            })
            .collect();
        std::thread::sleep(Duration::from_millis(200));
        let t = Instant::now();
        let (status, _, _) = server.get("/ban-tin/");
        let took = t.elapsed();
        assert_eq!(status, 200);
        assert!(
            took >= Duration::from_millis(700) && took < Duration::from_secs(6),
            "the fifth client waited {took:?}"
        );
    }

    #[test]
    fn content_types_over_http() {
        let server = TestServer::start(quick());
        for (path, ct) in [
            ("/ban-tin/", "text/html; charset=utf-8"),
            ("/ban-tin/css/style.css", "text/css; charset=utf-8"),
            ("/ban-tin/favicon.svg", "image/svg+xml"),
            ("/ban-tin/du-lieu/du-lieu.json", "application/json"),
            ("/ban-tin/sitemap.xml", "application/xml; charset=utf-8"),
            ("/ban-tin/rss.xml", "application/rss+xml; charset=utf-8"),
            ("/ban-tin/tep.khong-ro", "application/octet-stream"),
            ("/ban-tin/LICENSE", "application/octet-stream"),
            ("/ban-tin/tin-tuc/anh.png", "image/png"),
            ("/__bantin/tai-lai.js", "text/javascript; charset=utf-8"),
        ] {
            let (status, h, body) = server.get(path);
            assert_eq!((status, h["content-type"].as_str()), (200, ct), "{path}");
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["cache-control"], "no-store", "{path}");
            // The reload script goes into HTML responses only.
            let script = String::from_utf8_lossy(&body).contains("tai-lai.js\" data-the-he=");
            assert_eq!(script, ct.starts_with("text/html"), "{path}");
        }
        assert_eq!(server.get("/ban-tin/css/style.css").2, CSS.as_bytes());
        assert_eq!(
            server.get("/ban-tin/tin-tuc/anh.png").2,
            b"\x89PNG\r\n\x1a\nanh"
        );
        let page = String::from_utf8(server.get("/ban-tin/").2).unwrap();
        assert!(page.ends_with(
            "<p>Trang chủ</p><script src=\"/__bantin/tai-lai.js\" data-the-he=\"1\"></script></body></html>"
        ));
        // While the last rebuild failed: the overlay, in HTML only.
        server.shared.failed("lỗi: <b>hỏng</b>".into());
        let page = String::from_utf8(server.get("/ban-tin/").2).unwrap();
        assert!(page.contains("id=\"bantin-loi\"") && page.contains("&lt;b&gt;hỏng"));
        assert_eq!(server.get("/ban-tin/css/style.css").2, CSS.as_bytes());
    }

    #[test]
    fn redirects_and_missing_pages() {
        let server = TestServer::start(quick());
        for (path, status, to) in [
            ("/", 302, "/ban-tin/"),
            ("/ban-tin", 302, "/ban-tin/"),
            ("/ban-tin/tin-tuc", 301, "/ban-tin/tin-tuc/"),
            ("/ban-tin/%74in-tuc?a=1", 301, "/ban-tin/%74in-tuc/"),
        ] {
            let (s, h, _) = server.get(path);
            assert_eq!((s, h["location"].as_str()), (status, to), "{path}");
        }
        for path in [
            "/khac/",
            "/ban-tin/khong-co/",
            "/ban-tin/tin-tuc/mat.png",
            "/__bantin/khac",
        ] {
            let (status, h, body) = server.get(path);
            assert_eq!(status, 404, "{path}");
            assert_eq!(h["content-type"], "text/html; charset=utf-8");
            let body = String::from_utf8(body).unwrap();
            assert!(
                body.contains("Không tìm thấy") && body.contains("tai-lai.js"),
                "{path}"
            );
        }
        // Before the first good build: the placeholder page.
        *server.shared.state.write().unwrap() = live::State::default();
        let (status, _, body) = server.get("/ban-tin/");
        assert_eq!(status, 503);
        assert!(String::from_utf8(body).unwrap().contains("Đang dựng trang"));
    }

    /// The event stream: the state first, then a reload per good build; on shutdown it ends
    /// (the chunked body is closed properly) and `serve` returns within the grace time.
    #[test]
    fn events_then_graceful_shutdown() {
        let mut server = TestServer::start(quick());
        let mut s = server.connect();
        s.write_all(b"GET /__bantin/tai-lai HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let mut got = Vec::new();
        let mut read_until = |s: &mut TcpStream, needle: &str| {
            let mut buf = [0u8; 4096];
            while !String::from_utf8_lossy(&got).contains(needle) {
                let n = s.read(&mut buf).unwrap();
                assert!(
                    n > 0,
                    "closed before {needle:?}: {}",
                    String::from_utf8_lossy(&got)
                );
                got.extend_from_slice(&buf[..n]);
            }
            String::from_utf8_lossy(&got).into_owned()
        };
        let text = read_until(&mut s, "event: trang-thai");
        assert!(
            text.contains("content-type: text/event-stream; charset=utf-8"),
            "{text}"
        );
        assert!(
            text.contains("retry: 500") && text.contains("\"the_he\":1"),
            "{text}"
        );
        let dir = tempfile::tempdir().unwrap();
        server.shared.built(Arc::new(snapshot(dir.path())), true);
        read_until(&mut s, "event: tai-lai");
        server.shared.failed("lỗi: hỏng".into());
        read_until(&mut s, "event: loi");
        // An idle keep-alive client too.
        let mut kept = server.connect();
        kept.write_all(b"GET /ban-tin/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let mut buf = [0u8; 4096];
        assert!(kept.read(&mut buf).unwrap() > 0);

        let took = server.shutdown();
        assert!(took < Duration::from_secs(3), "shutdown took {took:?}");
        let mut rest = Vec::new();
        s.read_to_end(&mut rest).unwrap();
        got.extend_from_slice(&rest);
        assert!(
            got.ends_with(b"0\r\n\r\n"),
            "{}",
            String::from_utf8_lossy(&got)
        );
        // Closed by the server (a read timeout would be an error).
        kept.read_to_end(&mut Vec::new()).unwrap();
        // Closed: new clients are refused.
        assert!(TcpStream::connect(server.addr).is_err());
    }
}
