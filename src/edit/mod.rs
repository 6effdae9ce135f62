//! `bantin edit`: the browser editor's server. This part holds the foundation: accounts and
//! roles ([`accounts`]), sessions, CSRF tokens and the login rate limit ([`sessions`]), the
//! HTTP routes and their refusals ([`routes`]) and the screens ([`pages`], [`list`]).
//!
//! It runs on the HTTP stack of `bantin serve` ([`crate::serve::http::serve_router`]: bounded
//! connections, header timeout, graceful shutdown). Loopback by default; any other address
//! needs at least one account and is meant to sit behind an HTTPS reverse proxy on the same
//! machine (see [`HTTPS_HOWTO`]). The `Secure` cookie attribute is set when the request came
//! through HTTPS, which the editor only believes from such a proxy: a loopback peer sending
//! `X-Forwarded-Proto: https`. From a loopback peer, `X-Real-IP` names the client for the
//! login rate limit (else everyone behind the proxy would share 127.0.0.1's five attempts).

pub mod accounts;
pub mod article;
pub mod article_pages;
mod article_routes;
pub mod figures;
pub mod figures_pages;
mod figures_routes;
pub mod list;
pub mod pages;
pub mod paste;
pub mod preview;
mod preview_routes;
pub mod publish;
pub mod review;
mod review_routes;
pub mod routes;
pub mod sessions;
mod tool_routes;
pub mod tools;

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::diag::Diagnostic;
use crate::serve::http::{serve_router, Limits};

#[derive(Debug, Clone)]
pub struct EditOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port (the chosen address is printed).
    pub port: u16,
}

/// How to put the editor behind HTTPS, printed when it listens beyond this machine.
pub const HTTPS_HOWTO: &str = "Trình soạn thảo không tự mã hoá (HTTPS). Khi mở cho máy khác, hãy đặt nó sau một máy chủ web có HTTPS trên chính máy này, chạy `bantin edit` ở 127.0.0.1 và để máy chủ web chuyển tiếp, ví dụ với nginx:

    server {
        listen 443 ssl;
        server_name soan-thao.example.gov.vn;
        ssl_certificate     /etc/ssl/certs/soan-thao.pem;
        ssl_certificate_key /etc/ssl/private/soan-thao.key;
        client_max_body_size 20m;
        location / {
            proxy_pass http://127.0.0.1:1112;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto https;
            proxy_set_header X-Real-IP $remote_addr;
        }
    }

Khi yêu cầu đến qua máy chủ web đó (từ 127.0.0.1, kèm X-Forwarded-Proto: https), cookie đăng nhập được đánh dấu Secure; X-Real-IP cho biết địa chỉ người dùng để giới hạn số lần đăng nhập sai theo từng máy.";

/// Idle timeout of a session: 30 minutes, or `BANTIN_EDIT_IDLE_SECS` seconds (for tests).
fn idle_timeout() -> Duration {
    std::env::var("BANTIN_EDIT_IDLE_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(sessions::IDLE, Duration::from_secs)
}

/// The site root (canonical) and its accounts, or why the editor may not start: no such
/// folder, no `config.toml`, a corrupt accounts file, a network address without any account.
fn prepare(opts: &EditOptions) -> Result<(PathBuf, accounts::Accounts), Box<Diagnostic>> {
    let root = crate::serve::site_root(&opts.root)?;
    if !root.join("config.toml").is_file() {
        return Err(Box::new(
            Diagnostic::error(format!("\"{}\" không có config.toml", root.display()))
                .hint("chạy lệnh trong thư mục gốc của trang, dùng --root THƯ_MỤC, hoặc tạo trang mới bằng `bantin init THƯ_MỤC`"),
        ));
    }
    let accounts = accounts::Accounts::load(&root)?;
    if !opts.bind.is_loopback() && accounts.list.is_empty() {
        return Err(Box::new(
            Diagnostic::error(format!(
                "không mở trình soạn thảo ra mạng ({}) khi chưa có tài khoản nào",
                opts.bind
            ))
            .hint("tạo tài khoản quản trị trước: `bantin user add TÊN --role quan-tri`, hoặc chạy với --bind 127.0.0.1 (chỉ máy này)"),
        ));
    }
    Ok((root, accounts))
}

/// The address line (tests read it), and what to do next.
fn announce(origin: &str, accounts: &accounts::Accounts, bind: IpAddr) {
    println!("Trình soạn thảo đang chạy tại {origin}/ (Ctrl-C để dừng)");
    if accounts.list.is_empty() {
        println!("Chưa có tài khoản nào: tạo tài khoản đầu tiên bằng `bantin user add TÊN --role quan-tri`.");
    }
    if !bind.is_loopback() {
        eprintln!("cảnh báo: trình soạn thảo mở cho cả mạng ngoài ({bind}).");
        eprintln!("{HTTPS_HOWTO}");
    }
}

/// Loads the article list now and again after every batch of changed sources (the watcher of
/// `bantin serve`), on a thread of its own, so a request rarely waits for a load. Without a
/// watcher (the system refused one), the list is loaded on each request instead. The preview's
/// engine is built after the first list and kept fresh by the same batches (without a
/// watcher, it sees only what previews change).
fn keep_catalog(root: &std::path::Path, editor: Arc<routes::Editor>) {
    let watch = match crate::serve::watch::start(root) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("cảnh báo: không theo dõi được thay đổi của tệp ({e}); danh sách bài viết sẽ được đọc lại mỗi lần mở");
            editor.catalog.unwatched();
            None
        }
    };
    let spawned = std::thread::Builder::new()
        .name("bantin-danh-sach".into())
        .spawn(move || {
            editor.catalog.current();
            editor.preview.build_first();
            let Some(w) = watch else { return };
            while let Ok(batch) = w.batches.recv() {
                let mut paths = batch.paths;
                // Saves come in bursts: one rebuild for all the batches waiting.
                while let Ok(more) = w.batches.try_recv() {
                    paths.extend(more.paths);
                }
                editor.catalog.changed();
                editor.catalog.current();
                editor.preview.changed(&paths);
            }
        });
    if let Err(e) = spawned {
        eprintln!("cảnh báo: không tạo được luồng đọc danh sách bài viết: {e}");
    }
}

/// Runs until Ctrl-C (or SIGTERM).
pub fn run(opts: &EditOptions) -> Result<(), Box<Diagnostic>> {
    let (root, accounts) = prepare(opts)?;
    let (listener, addr) = crate::serve::listen(opts.bind, opts.port)?;
    let runtime = crate::serve::runtime("trình soạn thảo")?;
    let origin = crate::serve::origin(addr);
    announce(&origin, &accounts, opts.bind);
    let editor = Arc::new(routes::Editor::new(root.clone(), idle_timeout(), &origin));
    keep_catalog(&root, editor.clone());
    let (due, live) = (editor.clone(), editor.clone());
    publish::keep_schedule(
        editor.publisher.clone(),
        move |after| due.catalog.current().next_due(after),
        move |rel: &str| live.catalog.current().live(rel),
    );
    // Limits::body_bytes is serve's (it reads no bodies); the editor's gate has its own.
    let limits = Limits::default();
    let app = routes::app(editor);
    let (_never, pending) = tokio::sync::oneshot::channel::<()>();
    let served = runtime.block_on(serve_router(
        listener,
        app,
        &limits,
        crate::serve::stop_requested(pending),
        || {},
    ));
    if let Err(e) = served {
        return Err(Box::new(
            Diagnostic::error(format!("trình soạn thảo dừng vì lỗi: {e}"))
                .hint("chạy lại bantin edit; nếu lỗi lặp lại, thử một cổng khác (--port 0)"),
        ));
    }
    println!("Đã dừng trình soạn thảo.");
    Ok(())
}
