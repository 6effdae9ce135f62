//! `bantin serve`: builds the site into memory, serves it over HTTP (loopback by default),
//! rebuilds what changed when the sources change, and reloads open browser tabs.
//!
//! * [`incremental`]: the build pipeline ([`crate::build::run`]) into memory, rendering only
//!   the jobs whose inputs changed; a save of article bodies only reads those articles again.
//!   The output equals `bantin build` with the same base URL.
//! * [`watch`]: file events → one batch per save.
//! * [`http`]: the HTTP server on tokio + hyper + axum (+ tower-http): base path, 404 page,
//!   path checks, content types from `mime_guess`, bounded connections, header read timeout,
//!   no request bodies, graceful shutdown. The browser editor is to share this stack.
//! * [`live`]: last good build + current error, the Server-Sent Events channel, the injected
//!   script and error overlay (added to HTML responses only, never to built files).
//!
//! Threads: the main thread runs the server (a current-thread tokio runtime, plus tokio's
//! blocking pool to read copied files) and waits for Ctrl-C/SIGTERM through `tokio::signal`;
//! `bantin-dung` runs the first build and then one rebuild per batch of saves, and hands each
//! good build to the server through [`live::Shared`]. Either side ending stops the other.

pub mod http;
pub mod incremental;
pub mod live;
pub mod watch;

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diag::{Diagnostic, Diagnostics};
use incremental::Engine;
use live::Shared;

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0: any free port (the chosen address is printed).
    pub port: u16,
    pub include_drafts: bool,
    pub open: bool,
}

/// Why serving could not start (shown as is, with its hint).
pub type StartError = Box<Diagnostic>;

/// Runs until Ctrl-C (or SIGTERM). `Ok` on a clean shutdown.
///
/// The main thread runs the HTTP server (a tokio runtime, [`http::serve`]) and waits for the
/// stop signal; a `bantin-dung` thread builds, watches and rebuilds ([`rebuild_loop`]) and
/// hands each good build to the server through [`Shared`].
pub fn run(opts: &ServeOptions) -> Result<(), StartError> {
    let root = site_root(&opts.root)?;
    let (listener, addr) = listen(opts.bind, opts.port)?;
    let runtime = runtime("máy chủ xem trước")?;
    let origin = origin(addr);
    let shared = Arc::new(Shared::default());

    let engine = Engine::new(root.clone(), opts.include_drafts, origin.clone());
    let base_path = engine
        .base_url()
        .ok()
        .and_then(|u| u.strip_prefix(&origin).map(str::to_string))
        .unwrap_or_else(|| "/".into());
    println!("Đang phục vụ tại {origin}{base_path} (Ctrl-C để dừng)");
    if !opts.bind.is_loopback() {
        eprintln!(
            "cảnh báo: máy chủ xem trước mở cho cả mạng ngoài ({}); chỉ dùng trong mạng tin cậy",
            opts.bind
        );
    }

    // The rebuild thread drops `done` when it ends (also by a panic): the server stops then.
    let (done, ended) = tokio::sync::oneshot::channel::<()>();
    let open = opts.open.then(|| format!("{origin}{base_path}"));
    let builder = {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("bantin-dung".into())
            .spawn(move || {
                let _done = done;
                rebuild_loop(engine, &root, &shared, open.as_deref());
            })
            .map_err(|e| {
                Box::new(
                    Diagnostic::error(format!("không tạo được luồng dựng trang: {e}"))
                        .hint("máy đang thiếu tài nguyên; đóng bớt chương trình rồi chạy lại"),
                )
            })?
    };

    let served = runtime.block_on(http::serve(
        listener,
        shared.clone(),
        http::Limits::default(),
        stop_requested(ended),
    ));
    drop(runtime);
    shared.stop();
    // The rebuild loop notices `stopping` within 50 ms; a build under way is not waited for
    // long (serving writes nothing to disk, so there is nothing to leave half-done): the
    // thread ends with the process.
    let deadline = Instant::now() + Duration::from_secs(1);
    while !builder.is_finished() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    if builder.is_finished() {
        if let Err(panic) = builder.join() {
            std::panic::resume_unwind(panic);
        }
    }
    if let Err(e) = served {
        return Err(Box::new(
            Diagnostic::error(format!("máy chủ xem trước dừng vì lỗi: {e}"))
                .hint("chạy lại bantin serve; nếu lỗi lặp lại, thử một cổng khác (--port 0)"),
        ));
    }
    println!("Đã dừng máy chủ xem trước.");
    Ok(())
}

/// Completes on Ctrl-C, on SIGTERM (Unix) or when the rebuild thread has ended.
pub(crate) async fn stop_requested(rebuild_ended: tokio::sync::oneshot::Receiver<()>) {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No handler could be installed: Ctrl-C keeps its default effect.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
        _ = rebuild_ended => {}
    }
}

/// The first build, then a rebuild per batch of saved files, until the server stops.
fn rebuild_loop(mut engine: Engine, root: &Path, shared: &Shared, open: Option<&str>) {
    match engine.rebuild() {
        Ok(o) => {
            o.warnings.print();
            let pages = o
                .snapshot
                .files
                .keys()
                .filter(|k| k.ends_with(".html"))
                .count();
            println!(
                "Đã dựng {pages} trang ({} tệp) trong {} ms.",
                o.files,
                o.elapsed.as_millis()
            );
            times(&o, false);
            shared.built(o.snapshot, true);
        }
        Err(d) => {
            let text = report_failure(&d);
            shared.failed(text);
        }
    }
    if let Some(url) = open {
        open_browser(url);
    }

    let watch = match watch::start(root) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!(
                "cảnh báo: không theo dõi được thay đổi của tệp ({e}); trang sẽ không tự dựng lại"
            );
            None
        }
    };
    while !shared.is_stopping() {
        let Some(w) = &watch else {
            std::thread::sleep(Duration::from_millis(100));
            continue;
        };
        let batch = match w.batches.recv_timeout(Duration::from_millis(50)) {
            Ok(b) => b,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if let Some(u) = engine.poll_search(false) {
                    shared.built(u.snapshot, false);
                    println!(
                        "Đã cập nhật chỉ mục tìm kiếm ({} tệp) sau {} ms.",
                        u.changed,
                        u.elapsed.as_millis()
                    );
                }
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // Saves that arrived while the last rebuild ran: one rebuild for all of them.
        let mut batch = batch;
        while let Ok(more) = w.batches.try_recv() {
            batch.paths.extend(more.paths);
        }
        batch.paths.sort();
        batch.paths.dedup();
        let had_error = shared.current().1.is_some();
        println!("Thay đổi: {}", watch::describe(&batch.paths));
        match engine.rebuild_changed(&batch.paths) {
            Ok(o) => {
                o.warnings.print();
                let reload = o.changed > 0 || had_error;
                let ms = o.elapsed.as_millis();
                // The report first, then the reload: whoever reacts to the reload (a test, a
                // person looking at the terminal) finds the lines about it already there.
                if reload {
                    println!(
                        "Đã dựng lại {} trang trong {ms} ms ({} tệp thay đổi); tải lại trang sau {} ms kể từ khi lưu.",
                        o.rendered.len(),
                        o.changed,
                        batch.first.elapsed().as_millis()
                    );
                } else {
                    println!("Không có gì thay đổi ({ms} ms).");
                }
                times(&o, true);
                shared.built(o.snapshot, reload);
            }
            Err(d) => {
                let text = report_failure(&d);
                shared.failed(text);
            }
        }
    }
}

/// Per-stage times when `BANTIN_SERVE_TIMES` is set (for measuring), and the files rendered
/// when `BANTIN_SERVE_LIST` is set (for tests).
fn times(o: &incremental::Outcome, list: bool) {
    if list && std::env::var_os("BANTIN_SERVE_LIST").is_some() {
        println!("  đã dựng: {}", o.rendered.join(" "));
    }
    if std::env::var_os("BANTIN_SERVE_TIMES").is_some() {
        let parts: Vec<String> = o
            .stages
            .iter()
            .map(|(n, d)| format!("{n} {:.1} ms", d.as_secs_f64() * 1000.0))
            .collect();
        let way = match (&o.why_full, o.fast) {
            (_, true) => "nhanh: ".to_string(),
            (Some(why), false) => format!("toàn bộ vì {why}: "),
            (None, false) => String::new(),
        };
        println!("  ({way}{})", parts.join(", "));
    }
}

/// Prints a failed build like `build` does; returns the same text for the browser overlay.
fn report_failure(d: &Diagnostics) -> String {
    d.print();
    eprintln!("Dựng trang thất bại; vẫn phục vụ bản dựng tốt gần nhất. Sửa lỗi rồi lưu lại.");
    let mut text = d.to_string();
    let (e, w) = (d.error_count(), d.warning_count());
    text.push_str(&match (e, w) {
        (e, 0) => format!("{e} lỗi."),
        (e, w) => format!("{e} lỗi, {w} cảnh báo."),
    });
    text
}

pub(crate) fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, StartError> {
    TcpListener::bind(SocketAddr::new(ip, port)).map_err(|e| {
        let d = match e.kind() {
            ErrorKind::AddrInUse => {
                Diagnostic::error(format!("cổng {port} đang được dùng")).hint(format!(
                    "thử --port {} (hoặc --port 0 để tự chọn một cổng trống)",
                    port.wrapping_add(1).max(1024)
                ))
            }
            ErrorKind::PermissionDenied => {
                Diagnostic::error(format!("không được phép mở cổng {port}"))
                    .hint("cổng dưới 1024 cần quyền quản trị; dùng cổng khác, ví dụ --port 1111")
            }
            ErrorKind::AddrNotAvailable => {
                Diagnostic::error(format!("máy này không có địa chỉ {ip}"))
                    .hint("dùng --bind 127.0.0.1 (chỉ máy này) hoặc một địa chỉ của máy")
            }
            _ => Diagnostic::error(format!("không mở được {ip}:{port}: {e}")),
        };
        Box::new(d)
    })
}

/// `http://127.0.0.1:1111` for the bound address (a wildcard address is shown as loopback).
pub(crate) fn origin(addr: SocketAddr) -> String {
    let ip = addr.ip();
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => format!("http://127.0.0.1:{}", addr.port()),
        IpAddr::V6(v6) if v6.is_unspecified() => format!("http://[::1]:{}", addr.port()),
        IpAddr::V4(_) => format!("http://{ip}:{}", addr.port()),
        IpAddr::V6(_) => format!("http://[{ip}]:{}", addr.port()),
    }
}

fn open_browser(url: &str) {
    let cmd: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else {
        &["xdg-open"]
    };
    let spawned = std::process::Command::new(cmd[0])
        .args(&cmd[1..])
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("cảnh báo: không mở được trình duyệt; hãy mở {url}");
    }
}

/// The site root given by `--root`, canonical (serve and the editor answer paths under it).
pub(crate) fn site_root(root: &Path) -> Result<PathBuf, StartError> {
    std::fs::canonicalize(root).map_err(|e| {
        Box::new(
            Diagnostic::error(format!(
                "không mở được thư mục gốc \"{}\": {e}",
                root.display()
            ))
            .hint("dùng --root THƯ_MỤC (thư mục có config.toml)"),
        )
    })
}

/// The listening socket on `ip:port` (0: any free port) and the address it got.
pub(crate) fn listen(ip: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr), StartError> {
    let listener = bind(ip, port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Box::new(Diagnostic::error(e.to_string())))?;
    Ok((listener, addr))
}

/// The server's runtime: one thread for the server, a few more for blocking file work
/// (`spawn_blocking`). `what` names the server in the error.
pub(crate) fn runtime(what: &str) -> Result<tokio::runtime::Runtime, StartError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(4)
        .build()
        .map_err(|e| {
            Box::new(
                Diagnostic::error(format!("không khởi động được {what}: {e}"))
                    .hint("máy đang thiếu tài nguyên (bộ nhớ, số tệp được mở); đóng bớt chương trình rồi chạy lại"),
            )
        })
}
