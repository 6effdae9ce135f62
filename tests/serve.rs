//! `bantin serve`: the incremental pipeline equals a clean build byte for byte after every kind
//! of edit; the HTTP server (base path, content types, traversal refusals, 404); live reload,
//! the error overlay and recovery; the port-taken message; Ctrl-C.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bantin::build::{build, BuildOptions, Sink};
use bantin::serve::incremental::{Engine, Served};
use common::{Fixture, EPOCH};

const ARTICLE: &str = "content/hoat-dong/ket-qua-du-an-8-nam-2022.md";
const ARTICLE_PAGE: &str = "hoat-dong/ket-qua-du-an-8-nam-2022/index.html";
const REPORT: &str = "content/data/reports/du-an-8-kon-tum-2022-11.toml";
const OTHER_PAGE: &str = "thong-bao/lich-tiep-cong-dan-quy-iii-2024/index.html";
const WAIT: Duration = Duration::from_secs(60);

/// The example site (articles, sections, notices, data) served under a sub-path.
fn site() -> Fixture {
    std::env::set_var("SOURCE_DATE_EPOCH", EPOCH);
    let f = Fixture::example();
    let cfg = f.read("config.toml").replace(
        "base_url = \"http://127.0.0.1:1111/\"",
        "base_url = \"https://example.gov.vn/ban-tin/\"",
    );
    assert!(cfg.contains("/ban-tin/"));
    f.write("config.toml", cfg);
    f
}

/// Saves like an editor's "safe write": a temporary file renamed over the original.
fn save(f: &Fixture, rel: &str, text: &str) {
    let path = f.path(rel);
    let tmp = path.with_file_name(".goutputstream-TEST");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

fn edit(f: &Fixture, rel: &str, from: &str, to: &str) {
    let text = f.read(rel);
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    save(f, rel, &text.replacen(from, to, 1));
}

/// A clean `build` into a temp dir with the served base URL: path → bytes.
fn clean_build(f: &Fixture, base_url: &str) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let r = build(&BuildOptions {
        root: f.root.clone(),
        sink: Sink::Directory(dir.clone()),
        include_drafts: false,
        base_url: Some(base_url.to_string()),
        strict: false,
    });
    if let Err(r) = r {
        panic!("clean build failed:\n{}", r.diagnostics);
    }
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(&dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = bantin::diag::display_path(&dir, e.path());
            files.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    files
}

fn snapshot_files(s: &bantin::serve::incremental::Snapshot) -> BTreeMap<String, Vec<u8>> {
    s.files
        .iter()
        .map(|(k, v)| {
            let bytes = match v {
                Served::Bytes(b) => b.as_ref().clone(),
                Served::File(p) => std::fs::read(p).unwrap(),
            };
            (k.clone(), bytes)
        })
        .collect()
}

fn assert_same(step: &str, served: &BTreeMap<String, Vec<u8>>, clean: &BTreeMap<String, Vec<u8>>) {
    let only_served: Vec<&String> = served.keys().filter(|k| !clean.contains_key(*k)).collect();
    let only_clean: Vec<&String> = clean.keys().filter(|k| !served.contains_key(*k)).collect();
    assert!(
        only_served.is_empty() && only_clean.is_empty(),
        "{step}: only served: {only_served:?}; only in the clean build: {only_clean:?}"
    );
    let differ: Vec<&String> = clean.keys().filter(|k| served[*k] != clean[*k]).collect();
    assert!(
        differ.is_empty(),
        "{step}: files differ from a clean build: {differ:?}"
    );
}

/// Every kind of edit, rebuilt incrementally, equals a clean build with the same base URL.
#[test]
fn incremental_rebuilds_equal_a_clean_build() {
    let f = site();
    let mut engine = Engine::new(f.root.clone(), false, "http://127.0.0.1:1".into());
    let base = engine.base_url().unwrap();
    assert_eq!(base, "http://127.0.0.1:1/ban-tin/");
    let step = |name: &str, engine: &mut Engine| {
        let o = engine
            .rebuild()
            .unwrap_or_else(|d| panic!("{name}: rebuild failed:\n{d}"));
        // the search index follows in the background
        engine.poll_search(true);
        let served = snapshot_files(&engine.snapshot().unwrap());
        assert_same(name, &served, &clean_build(&f, &base));
        o
    };
    let first = step("first build", &mut engine);
    let total_rendered = first.rendered.len();

    let o = step("nothing changed", &mut engine);
    assert!(o.rendered.is_empty() && o.changed == 0, "{:?}", o.rendered);

    // An article's body: its page, not the data pages nor unrelated articles.
    // (same word count: the summary, shown in listings, stays the same)
    edit(
        &f,
        ARTICLE,
        "Năm 2022, Hội LHPN tỉnh",
        "Năm 2022, Hội PHỤNỮ tỉnh",
    );
    let o = step("article body", &mut engine);
    assert!(
        o.rendered.contains(&ARTICLE_PAGE.to_string()),
        "{:?}",
        o.rendered
    );
    for untouched in [
        "dia-ban/index.html",
        "tong-quan/index.html",
        OTHER_PAGE,
        "sitemap.xml",
    ] {
        assert!(
            !o.rendered.contains(&untouched.to_string()),
            "{untouched} re-rendered: {:?}",
            o.rendered
        );
    }
    assert!(
        o.rendered.len() < total_rendered / 4,
        "{} of {total_rendered}",
        o.rendered.len()
    );

    // A data report: data pages and the article using its figures.
    edit(&f, REPORT, "disbursed = 1393", "disbursed = 1400");
    let o = step("data report", &mut engine);
    assert!(
        o.rendered.contains(&ARTICLE_PAGE.to_string()),
        "{:?}",
        o.rendered
    );
    assert!(
        o.rendered.contains(&"tong-quan/index.html".to_string()),
        "{:?}",
        o.rendered
    );
    assert!(
        !o.rendered.contains(&OTHER_PAGE.to_string()),
        "{:?}",
        o.rendered
    );

    // Front matter: the date moves the article in every listing.
    edit(&f, ARTICLE, "date = ", "date = 2024-07-01\n# ngày cũ: ");
    step("article date", &mut engine);

    // New article with a new tag; a section's text; a removed article.
    f.write(
        "content/tin-tuc/bai-moi.md",
        "+++\ntitle = \"Bài mới\"\ndate = 2024-07-10\nareas = [\"kon-tum\"]\n[taxonomies]\ntags = [\"thẻ mới tinh\"]\n+++\n\nNội dung [liên kết](@/hoat-dong/ket-qua-du-an-8-nam-2022.md).\n",
    );
    step("new article", &mut engine);
    let sec = f.read("content/tin-tuc/_index.md");
    save(
        &f,
        "content/tin-tuc/_index.md",
        &format!("{sec}\nĐoạn giới thiệu mới.\n"),
    );
    step("section text", &mut engine);
    f.remove("content/tin-tuc/bai-moi.md");
    step("removed article", &mut engine);

    // A template: everything is rendered again.
    edit(
        &f,
        "themes/cong-thong-tin/templates/base.html",
        "</body>",
        "<p>mẫu đã sửa</p></body>",
    );
    let o = step("template", &mut engine);
    let files = snapshot_files(&o.snapshot);
    let redirect = |b: &[u8]| String::from_utf8_lossy(b).contains("http-equiv=\"refresh\"");
    let html: Vec<&String> = files
        .iter()
        .filter(|(k, b)| k.ends_with(".html") && !redirect(b))
        .map(|(k, _)| k)
        .collect();
    let missed: Vec<&&String> = html.iter().filter(|k| !o.rendered.contains(k)).collect();
    assert!(
        missed.is_empty(),
        "not rendered after a template edit: {missed:?}"
    );

    // Config, static files.
    edit(
        &f,
        "config.toml",
        "title = \"Ban Dân tộc tỉnh Kon Tum\"",
        "title = \"Ban Dân tộc tỉnh\"",
    );
    step("config", &mut engine);
    f.write("static/tep-moi.txt", "xin chào\n");
    step("static file", &mut engine);

    // An error keeps the last good build; the fix recovers.
    edit(
        &f,
        ARTICLE,
        "title = ",
        "date = \"không phải ngày\"\ntitle = ",
    );
    let err = engine.rebuild().expect_err("invalid date must fail");
    assert!(err.to_string().contains(ARTICLE), "{err}");
    edit(&f, ARTICLE, "date = \"không phải ngày\"\n", "");
    step("after the fix", &mut engine);
}

// ---------------------------------------------------------------------------------------------
// The binary over HTTP.

struct Server {
    child: Child,
    origin: String,
    /// `http://127.0.0.1:PORT/ban-tin/`
    url: String,
    stdout: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Server {
    fn start(f: &Fixture, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(&f.root)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("BANTIN_SERVE_LIST", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let lines = stdout.clone();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap().push(line);
            }
        });
        let mut server = Server {
            child,
            origin: String::new(),
            url: String::new(),
            stdout,
        };
        let url = wait_for("the address line", || {
            server.lines().iter().find_map(|l| {
                let i = l.find("http://")?;
                Some(l[i..].split(' ').next().unwrap().to_string())
            })
        });
        server.origin = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        server.url = url;
        wait_for("the first build", || {
            server
                .lines()
                .iter()
                .any(|l| l.starts_with("Đã dựng "))
                .then_some(())
        });
        server
    }

    fn lines(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    fn host(&self) -> &str {
        self.origin.trim_start_matches("http://")
    }

    /// Raw request; returns (status, headers lower-cased, body).
    fn request(&self, method: &str, target: &str) -> (u16, BTreeMap<String, String>, Vec<u8>) {
        let mut s = TcpStream::connect(self.host()).unwrap();
        write!(
            s,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host()
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let end = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("response head");
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

    fn get(&self, path: &str) -> (u16, BTreeMap<String, String>, Vec<u8>) {
        self.request("GET", path)
    }

    /// Every file of a clean build with the served base URL is served with the same bytes
    /// (HTML pages: plus the reload script).
    fn assert_serves_a_clean_build(&self, f: &Fixture) {
        let clean = clean_build(f, &self.url);
        for (rel, bytes) in &clean {
            let (status, _, body) = self.get(&format!("/ban-tin/{rel}"));
            assert_eq!(status, 200, "{rel}");
            let body = if rel.ends_with(".html") {
                strip_script(&body)
            } else {
                body
            };
            assert!(body == *bytes, "{rel} differs from the clean build");
        }
    }

    fn page(&self, site_path: &str) -> String {
        let (status, _, body) = self.get(&format!("/ban-tin/{site_path}"));
        assert_eq!(status, 200, "{site_path}");
        String::from_utf8(body).unwrap()
    }
}

/// Collects the event stream in the background.
struct Events(Arc<Mutex<String>>);

impl Events {
    fn open(server: &Server) -> Events {
        let mut s = TcpStream::connect(server.host()).unwrap();
        write!(
            s,
            "GET /__bantin/tai-lai HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.host()
        )
        .unwrap();
        let text = Arc::new(Mutex::new(String::new()));
        let t = text.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                t.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let events = Events(text);
        events.wait("the first state", "event: trang-thai");
        events
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }

    fn wait(&self, what: &str, needle: &str) -> String {
        wait_for(what, || {
            let t = self.text();
            t.contains(needle).then_some(t)
        })
    }
}

fn strip_script(html: &[u8]) -> Vec<u8> {
    let s = String::from_utf8(html.to_vec()).unwrap();
    let start = s
        .find("<script src=\"/__bantin/tai-lai.js\"")
        .expect("reload script");
    let end = start + s[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &s[..start], &s[end..]).into_bytes()
}

#[test]
fn serves_the_site_under_its_base_path() {
    let f = site();
    let server = Server::start(&f, &[]);
    assert!(server.url.ends_with("/ban-tin/"), "{}", server.url);

    let (status, h, body) = server.get("/ban-tin/");
    assert_eq!(status, 200);
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("<script src=\"/__bantin/tai-lai.js\" data-the-he=\"1\"></script></body>")
    );
    // base_url is rewritten to the local address
    let rss = String::from_utf8(server.get("/ban-tin/rss.xml").2).unwrap();
    assert!(
        rss.contains(&format!("<link>{}/ban-tin/</link>", server.origin)),
        "{rss}"
    );

    for (path, ct) in [
        ("/ban-tin/css/style.css", "text/css; charset=utf-8"),
        ("/ban-tin/js/tim-kiem.js", "text/javascript; charset=utf-8"),
        ("/ban-tin/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/ban-tin/sitemap.xml", "application/xml; charset=utf-8"),
        ("/ban-tin/robots.txt", "text/plain; charset=utf-8"),
        ("/ban-tin/favicon.svg", "image/svg+xml"),
        ("/ban-tin/du-lieu/du-lieu.json", "application/json"),
        ("/ban-tin/tim-kiem/chi-muc/meta.json", "application/json"),
        ("/__bantin/tai-lai.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, h, _) = server.get(path);
        assert_eq!((status, h["content-type"].as_str()), (200, ct), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff");
    }
    let (status, h, body) = server.request("HEAD", "/ban-tin/rss.xml");
    assert_eq!(status, 200);
    assert!(body.is_empty() && h["content-length"] != "0");

    // Outside the base path, redirects, missing pages.
    let (status, h, _) = server.get("/");
    assert_eq!((status, h["location"].as_str()), (302, "/ban-tin/"));
    let (status, h, _) = server.get("/ban-tin");
    assert_eq!((status, h["location"].as_str()), (302, "/ban-tin/"));
    let (status, h, _) = server.get("/ban-tin/tin-tuc");
    assert_eq!((status, h["location"].as_str()), (301, "/ban-tin/tin-tuc/"));
    for missing in [
        "/khac/",
        "/ban-tin/khong-co/",
        "/ban-tin/tin-tuc/khong-co.html",
    ] {
        let (status, h, body) = server.get(missing);
        assert_eq!(status, 404, "{missing}");
        assert_eq!(h["content-type"], "text/html; charset=utf-8");
        let body = String::from_utf8(body).unwrap();
        assert!(
            body.contains("tai-lai.js"),
            "the 404 page is the site's, with the script"
        );
    }

    // Traversal and malformed paths never reach the file system.
    for bad in [
        "/ban-tin/../config.toml",
        "/ban-tin/%2e%2e/config.toml",
        "/ban-tin/%2E%2E/%2E%2E/etc/passwd",
        "/ban-tin/.%2e/config.toml",
        "/ban-tin/tin-tuc%2f..%2fconfig.toml",
        "/ban-tin/..%5cconfig.toml",
        "/ban-tin/..\\config.toml",
        "/ban-tin/a%00.html",
        "/ban-tin/%zz",
        "ban-tin/",
    ] {
        let (status, _, body) = server.get(bad);
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("base_url"),
            "{bad} leaked config"
        );
    }
    let (status, h, _) = server.request("POST", "/ban-tin/");
    assert_eq!((status, h["allow"].as_str()), (405, "GET, HEAD"));

    // Nothing was written into the site.
    assert!(!f.exists("public"));

    server.assert_serves_a_clean_build(&f);

    // The port is taken: a clear message with a hint, exit 1.
    let port = server.origin.rsplit(':').next().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["serve", "--port", port])
        .current_dir(&f.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let next = port.parse::<u16>().unwrap() + 1;
    assert!(
        err.contains(&format!("cổng {port} đang được dùng")),
        "{err}"
    );
    assert!(err.contains(&format!("thử --port {next}")), "{err}");
}

#[test]
fn edits_reload_and_errors_show_in_the_page() {
    let f = site();
    let mut server = Server::start(&f, &[]);
    let events = Events::open(&server);
    let listed = |server: &Server, n: usize| -> Vec<String> {
        let lines = server.lines();
        let l: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("  đã dựng:"))
            .collect();
        assert!(l.len() >= n, "{lines:?}");
        l[n - 1]
            .split_whitespace()
            .skip(2)
            .map(str::to_string)
            .collect()
    };

    // An article: one reload message, the new text, only what depends on it re-rendered.
    edit(
        &f,
        ARTICLE,
        "Năm 2022, Hội LHPN tỉnh",
        "Năm 2022, Hội PHỤNỮ tỉnh",
    );
    events.wait("the reload after the article edit", "\"the_he\":2");
    assert!(server
        .page("hoat-dong/ket-qua-du-an-8-nam-2022/")
        .contains("Hội PHỤNỮ tỉnh"));
    let rendered = listed(&server, 1);
    assert!(rendered.contains(&ARTICLE_PAGE.to_string()), "{rendered:?}");
    assert!(!rendered.contains(&OTHER_PAGE.to_string()), "{rendered:?}");
    assert!(
        !rendered.contains(&"dia-ban/index.html".to_string()),
        "{rendered:?}"
    );
    assert!(server
        .lines()
        .iter()
        .any(|l| l.starts_with("Đã dựng lại ") && l.contains(" ms")));

    // A data report: the figure in the article changes.
    edit(&f, REPORT, "disbursed = 1393", "disbursed = 1500");
    events.wait("the reload after the report edit", "\"the_he\":3");
    assert!(server
        .page("hoat-dong/ket-qua-du-an-8-nam-2022/")
        .contains("1.500"));
    let rendered = listed(&server, 2);
    assert!(
        rendered.contains(&"tong-quan/index.html".to_string()),
        "{rendered:?}"
    );
    assert!(!rendered.contains(&OTHER_PAGE.to_string()), "{rendered:?}");
    // exactly one reload per save
    assert_eq!(
        events.text().matches("event: tai-lai").count(),
        2,
        "{}",
        events.text()
    );

    // An error: the terminal, the event stream and the page show it; the last good build stays.
    edit(&f, ARTICLE, "title = ", "slug = \"<b>không</b>\"\ntitle = ");
    let text = events.wait("the error event", "event: loi");
    assert!(text.contains(ARTICLE), "{text}");
    let page = server.page("hoat-dong/ket-qua-du-an-8-nam-2022/");
    assert!(
        page.contains("id=\"bantin-loi\""),
        "overlay in the served page"
    );
    assert!(
        page.contains(&format!("{ARTICLE}:")),
        "file and line in the overlay"
    );
    assert!(
        page.contains("&lt;b&gt;không&lt;/b&gt;") && !page.contains("<b>không</b>"),
        "escaped"
    );
    assert!(page.contains("Hội PHỤNỮ tỉnh"), "still the last good build");

    // The fix: reload, no overlay.
    edit(&f, ARTICLE, "slug = \"<b>không</b>\"\n", "");
    events.wait("the reload after the fix", "\"the_he\":4");
    let page = server.page("hoat-dong/ket-qua-du-an-8-nam-2022/");
    assert!(!page.contains("id=\"bantin-loi\""));

    // Once the search index has followed in the background (its meta.json hashes every index
    // file), the served tree is a clean build.
    let meta = clean_build(&f, &server.url)["tim-kiem/chi-muc/meta.json"].clone();
    wait_for("the search index", || {
        (server.get("/ban-tin/tim-kiem/chi-muc/meta.json").2 == meta).then_some(())
    });
    server.assert_serves_a_clean_build(&f);

    // Ctrl-C: a clean exit.
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let status = wait_for("the exit after Ctrl-C", || server.child.try_wait().unwrap());
    assert!(status.success(), "{status:?}");
    assert!(server.lines().iter().any(|l| l.contains("Đã dừng")));
}
