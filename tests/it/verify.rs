//! Real-tools verification suite (issue 5): the example site as readers meet it.
//!
//! Builds the example site under a sub-path base URL, serves it with nginx (our own config,
//! `tests/verify/nginx.conf.tmpl`, on a free 127.0.0.1 port) and checks it with real tools:
//! a crawler over HTTP (status, Content-Type, fragments, base path, orphans), the W3C Nu HTML
//! Checker (vnu), headless Chromium through `tests/verify/browser.mjs` (axe-core, viewports,
//! screenshots, JavaScript off, print, search), Python feedparser on every feed and xmllint with
//! the sitemaps.org 0.9 XSD on the sitemap. Three more tests build deliberately bad fixtures and
//! expect the checkers to report them.
//!
//! The tools come from `scripts/setup`; a missing tool fails the tests (never skips them).
//! Screenshots of every page type land in `target/screenshots/`.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const REPO: &str = env!("CARGO_MANIFEST_DIR");
const BANTIN: &str = env!("CARGO_BIN_EXE_bantin");
/// The sub-path the site is served under.
const BASE_PATH: &str = "/bantin/";
/// Fixed build date so runs are reproducible (2024-07-18).
const EPOCH: &str = "1721275200";
/// A path that never exists: nginx answers it with the site's 404 page.
const MISSING_PATH: &str = "khong-ton-tai-trang-nay/";

/// The page types checked in the browser, one line each: the type and candidate paths relative to
/// the site root, the first existing one wins. `dir/*` means the first sub-directory of `dir/` (in
/// name order, pagers `trang/` left out) that has an `index.html`. A type none of whose candidates
/// exists is skipped with a printed note: its pages do not exist yet.
const PAGE_TYPES: &[(&str, &[&str])] = &[
    ("home", &[""]),
    ("list", &["tin-tuc/", "*"]),
    (
        "article",
        &["hoat-dong/ket-qua-du-an-8-nam-2022/", "tin-tuc/*"],
    ),
    ("taxonomy", &["chu-de/", "tags/"]),
    ("term", &["tags/binh-dang-gioi/", "tags/*", "chu-de/*"]),
    ("404", &["404.html"]),
    ("areas", &["dia-ban/"]),
    ("area", &["dia-ban/kon-tum/", "dia-ban/*"]),
    ("projects", &["du-an/"]),
    ("project", &["du-an/*"]),
    ("overview", &["tong-quan/"]),
    ("open-data", &["du-lieu/"]),
    ("search", &["tim-kiem/"]),
    ("documents", &["van-ban/"]),
    ("document-filter", &["van-ban/loai/quyet-dinh/"]),
    ("document", &["van-ban/qd-1719-ttg/"]),
    // the English pages ([languages.en]): lang="en", labels from i18n/en.toml
    ("english-home", &["en/"]),
    ("english-page", &["en/about/contact/", "en/*"]),
];

// ----------------------------------------------------------------------------------------------
// Tools

struct Tools {
    nginx: PathBuf,
    vnu_jar: PathBuf,
    sitemap_xsd: PathBuf,
    browser_script: PathBuf,
}

fn repo() -> PathBuf {
    PathBuf::from(REPO)
}

fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/usr/bin", "/sbin", "/bin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn runs(cmd: &str, args: &[&str]) -> bool {
    Command::new(cmd)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Every tool the suite needs, or a panic that lists what is missing and says to run scripts/setup.
fn require_tools() -> Tools {
    let verify = repo().join("tests/verify");
    let modules = verify.join("node_modules");
    let mut missing = Vec::new();
    let nginx = find_program("nginx");
    if nginx.is_none() {
        missing.push("nginx (Debian package nginx-light)".to_string());
    }
    if !runs("java", &["-version"]) {
        missing.push("java (a Java runtime for vnu.jar)".to_string());
    }
    if !runs("node", &["--version"]) {
        missing.push("node".to_string());
    }
    if find_program("xmllint").is_none() {
        missing.push("xmllint (Debian package libxml2-utils)".to_string());
    }
    if find_program("pdftotext").is_none() {
        // browser.mjs reads the printed article back (print check) with it.
        missing.push("pdftotext (Debian package poppler-utils)".to_string());
    }
    if !Path::new("/usr/bin/chromium").is_file() {
        missing.push("/usr/bin/chromium (Debian package chromium)".to_string());
    }
    if !runs("python3", &["-c", "import feedparser"]) {
        missing.push("python3 with feedparser (pip install feedparser)".to_string());
    }
    let vnu_jar = modules.join("vnu-jar/build/dist/vnu.jar");
    let sitemap_xsd = modules.join("sitemap/schema/sitemap.xsd");
    for f in [
        &vnu_jar,
        &sitemap_xsd,
        &modules.join("axe-core/axe.min.js"),
        &modules.join("playwright-core/package.json"),
    ] {
        if !f.is_file() {
            missing.push(format!("{} (npm ci in tests/verify)", f.display()));
        }
    }
    assert!(
        missing.is_empty(),
        "the verification suite is missing tools:\n  - {}\nrun `scripts/setup` (it installs them)",
        missing.join("\n  - ")
    );
    Tools {
        nginx: nginx.unwrap(),
        vnu_jar,
        // sitemaps.org's schema plus the xhtml:link of language versions
        sitemap_xsd: verify.join("sitemap-all.xsd"),
        browser_script: verify.join("browser.mjs"),
    }
}

// ----------------------------------------------------------------------------------------------
// Sites, builds, servers

/// A built site served by nginx under `BASE_PATH`. Dropping it stops nginx and any Chromium that
/// a browser run of it left behind, also when a test panics.
struct Served {
    tmp: tempfile::TempDir,
    out: PathBuf,
    port: u16,
    base_url: String,
    nginx: Option<Child>,
    /// TMPDIR of browser.mjs, where Chromium's profile goes; short, as Chromium puts a Unix
    /// socket (at most 107 bytes of path) in it. Leftover processes are found by this path.
    browser_tmp: tempfile::TempDir,
}

impl Served {
    fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.nginx.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        kill_processes_mentioning(self.browser_tmp.path());
    }
}

/// Kills the processes whose command line mentions `marker` (a temp dir of ours, so only the
/// Chromium processes of this test's browser run match).
fn kill_processes_mentioning(marker: &Path) {
    let marker = marker.to_string_lossy().into_owned();
    let Ok(entries) = fs::read_dir("/proc") else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(cmdline) = fs::read(e.path().join("cmdline")) else {
            continue;
        };
        if String::from_utf8_lossy(&cmdline).contains(&marker) {
            let _ = Command::new("kill").args(["-KILL", pid]).output();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("cannot bind a port on 127.0.0.1")
        .port()
}

/// A copy of the example site (config.toml, content/, themes/, templates/, static/ of the repo).
fn copy_example_site(to: &Path) {
    fs::create_dir_all(to).unwrap();
    fs::copy(repo().join("config.toml"), to.join("config.toml")).unwrap();
    for d in ["content", "themes", "templates", "static", "data"] {
        let from = repo().join(d);
        if from.is_dir() {
            copy_dir(&from, &to.join(d));
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), &dest).unwrap();
        }
    }
}

fn build_site(root: &Path, out: &Path, base_url: &str) -> Result<(), String> {
    let o = Command::new(BANTIN)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(["--base-url", base_url])
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run bantin");
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "bantin build --root {} failed ({}):\n{}{}",
            root.display(),
            o.status,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

/// Builds the site at `root` for a free port and serves it with nginx.
fn build_and_serve(tools: &Tools, root: &Path) -> Served {
    let mut last_err = String::new();
    // A port found free can be taken before nginx binds it: then try another one.
    for _ in 0..3 {
        let tmp = tempfile::Builder::new()
            .prefix("bantin-verify-")
            .tempdir()
            .unwrap();
        let out = tmp.path().join("site");
        let port = free_port();
        let base_url = format!("http://127.0.0.1:{port}{BASE_PATH}");
        build_site(root, &out, &base_url).unwrap_or_else(|e| panic!("{e}"));
        let mut served = Served {
            tmp,
            out,
            port,
            base_url,
            nginx: None,
            browser_tmp: tempfile::Builder::new()
                .prefix("bv")
                .tempdir_in(if Path::new("/tmp").is_dir() {
                    Path::new("/tmp")
                } else {
                    Path::new(".")
                })
                .unwrap(),
        };
        match start_nginx(tools, &mut served) {
            Ok(()) => return served,
            Err(e) => last_err = e,
        }
    }
    panic!("nginx did not start: {last_err}");
}

fn start_nginx(tools: &Tools, served: &mut Served) -> Result<(), String> {
    let dir = served.tmp.path().join("nginx");
    fs::create_dir_all(&dir).unwrap();
    for p in [&dir, &served.out] {
        let s = p.to_string_lossy();
        assert!(
            !s.contains(|c: char| c.is_whitespace() || c == ';' || c == '{' || c == '}'),
            "temp path unusable in nginx.conf: {s}"
        );
    }
    let template = fs::read_to_string(repo().join("tests/verify/nginx.conf.tmpl")).unwrap();
    let conf = template
        .replace("@TMP@", &dir.to_string_lossy())
        .replace("@SITE@", &served.out.to_string_lossy())
        .replace("@PORT@", &served.port.to_string());
    let conf_path = dir.join("nginx.conf");
    fs::write(&conf_path, conf).unwrap();
    let stderr = fs::File::create(dir.join("stderr.log")).unwrap();
    let child = Command::new(&tools.nginx)
        .arg("-p")
        .arg(&dir)
        .arg("-e")
        .arg(dir.join("error.log"))
        .arg("-c")
        .arg(&conf_path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", tools.nginx.display()))?;
    served.nginx = Some(child);
    // Wait until nginx accepts connections or exits (bounded; readiness, not a test of timing).
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let child = served.nginx.as_mut().unwrap();
        if let Some(status) = child.try_wait().unwrap() {
            served.nginx = None;
            let log = fs::read_to_string(dir.join("error.log")).unwrap_or_default()
                + &fs::read_to_string(dir.join("stderr.log")).unwrap_or_default();
            return Err(format!("nginx exited ({status}):\n{log}"));
        }
        if TcpStream::connect(("127.0.0.1", served.port)).is_ok() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err("nginx did not accept connections within 30 s".into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ----------------------------------------------------------------------------------------------
// HTTP

struct Response {
    status: u16,
    content_type: String,
    location: Option<String>,
    body: Vec<u8>,
}

/// Percent-encodes what may not stand raw in a request target (non-ASCII, spaces, quotes…).
fn encode_target(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/?=&%:@!$'()*+,;".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// HTTP/1.1 GET of `target` (path and query) on 127.0.0.1:`port`, `Connection: close`.
fn http_get(port: u16, target: &str) -> Result<Response, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    // A safety bound so a wedged server cannot hang the test run forever.
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    write!(
        stream,
        "GET {} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: bantin-verify\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n",
        encode_target(target)
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("reading the answer: {e}"))?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no end of headers in the answer")?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut content_type = String::new();
    let mut location = None;
    let mut chunked = false;
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let v = v.trim();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => content_type = v.to_string(),
            "location" => location = Some(v.to_string()),
            "transfer-encoding" => chunked = v.eq_ignore_ascii_case("chunked"),
            _ => {}
        }
    }
    if chunked {
        body = dechunk(&body)?;
    }
    Ok(Response {
        status,
        content_type,
        location,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = b
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("bad chunked body")?;
        let size_str = String::from_utf8_lossy(&b[..eol]);
        let size = usize::from_str_radix(size_str.split(';').next().unwrap().trim(), 16)
            .map_err(|_| "bad chunk size")?;
        b = &b[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if b.len() < size + 2 {
            return Err("truncated chunked body".into());
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

// ----------------------------------------------------------------------------------------------
// Crawler

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Page,
    Stylesheet,
    Image,
    Script,
    Feed,
    Other,
}

struct Ref {
    kind: Kind,
    href: String,
    what: &'static str,
}

/// Content types accepted for feeds and other XML files.
const XML_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
];

/// Content types that fit the file name at `path`, or None when the name says nothing.
fn expected_types(path: &str) -> Option<&'static [&'static str]> {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.is_empty() {
        return Some(&["text/html"]);
    }
    let ext = last.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "html" | "htm" => &["text/html"],
        "css" => &["text/css"],
        "js" | "mjs" => &["text/javascript", "application/javascript"],
        "xml" | "rss" | "atom" => XML_TYPES,
        "svg" => &["image/svg+xml"],
        "png" => &["image/png"],
        "jpg" | "jpeg" => &["image/jpeg"],
        "gif" => &["image/gif"],
        "webp" => &["image/webp"],
        "avif" => &["image/avif"],
        "ico" => &["image/x-icon", "image/vnd.microsoft.icon"],
        "json" => &["application/json"],
        "csv" => &["text/csv"],
        "txt" => &["text/plain"],
        "pdf" => &["application/pdf"],
        "woff2" => &["font/woff2"],
        "woff" => &["font/woff"],
        _ => return None,
    })
}

fn mime_of(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// What the crawler found: the HTML pages it reached and every problem.
#[derive(Default)]
struct Crawl {
    /// Paths (with the base path) of the HTML pages reached by following links from the home page.
    pages: BTreeSet<String>,
    /// Every path fetched, with its status.
    fetched: BTreeMap<String, u16>,
    problems: Vec<String>,
}

impl Crawl {
    fn problem(&mut self, p: String) {
        if !self.problems.contains(&p) {
            self.problems.push(p);
        }
    }
}

enum Target {
    /// Path (with query) on our server, and fragment.
    Internal(String, Option<String>),
    External,
    Skip,
}

/// Resolves `href` found on the page at `page_path` (a path on our server).
fn resolve(origin: &str, page_path: &str, href: &str) -> Target {
    let href = href.trim();
    if href.is_empty() {
        return Target::Internal(page_path.to_string(), None);
    }
    let (rest, fragment) = match href.split_once('#') {
        Some((r, f)) => (r, Some(f.to_string())),
        None => (href, None),
    };
    let scheme_end = rest.find(':');
    let first_sep = rest.find(['/', '?']).unwrap_or(rest.len());
    let path = if let Some(i) = scheme_end.filter(|&i| i < first_sep) {
        let scheme = rest[..i].to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Target::Skip; // mailto:, tel:, data:, …
        }
        let Some(after) = rest.get(i + 3..).filter(|_| rest[i..].starts_with("://")) else {
            return Target::External;
        };
        let host_end = after.find(['/', '?']).unwrap_or(after.len());
        let host = &after[..host_end];
        if format!("{scheme}://{host}") != origin {
            return Target::External;
        }
        let p = &after[host_end..];
        if p.is_empty() {
            "/".to_string()
        } else if p.starts_with('?') {
            format!("/{p}")
        } else {
            p.to_string()
        }
    } else if rest.starts_with("//") {
        return Target::External;
    } else if rest.starts_with('/') {
        rest.to_string()
    } else if rest.is_empty() {
        page_path.to_string()
    } else if rest.starts_with('?') {
        format!("{}{rest}", page_path.split('?').next().unwrap())
    } else {
        let page = page_path.split('?').next().unwrap();
        let dir = &page[..=page.rfind('/').unwrap_or(0)];
        format!("{dir}{rest}")
    };
    Target::Internal(normalize_path(&path), fragment)
}

/// Removes `.` and `..` segments.
fn normalize_path(p: &str) -> String {
    let (path, query) = match p.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (p, None),
    };
    let mut segs: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    for (i, s) in parts.iter().enumerate() {
        let last = i == parts.len() - 1;
        match *s {
            "." => {
                if last {
                    segs.push("");
                }
            }
            ".." => {
                if segs.len() > 1 {
                    segs.pop();
                }
                if last {
                    segs.push("");
                }
            }
            s => segs.push(s),
        }
    }
    let mut out = segs.join("/");
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    out = encode_target(&out);
    match query {
        Some(q) => format!("{out}?{q}"),
        None => out,
    }
}

fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap()
}

/// Every URL an HTML page refers to, with what kind of resource it should be, including the links
/// inside `<noscript>`: an HTML parser with scripting on (a browser, scraper) reads a
/// `<noscript>` as raw text, so its links (the search page's list of sections and taxonomies for
/// readers without JavaScript) are parsed from that text; a theme-generated link to a page that
/// does not exist there is as broken as any other.
fn extract_refs(doc: &scraper::Html) -> Vec<Ref> {
    let mut refs = extract_element_refs(doc);
    for el in doc.select(&sel("noscript")) {
        if el.children().any(|c| c.value().is_element()) {
            continue; // parsed as markup already (scripting off): the selectors above saw it
        }
        let inner = scraper::Html::parse_fragment(&el.text().collect::<String>());
        refs.extend(extract_element_refs(&inner));
    }
    refs
}

fn extract_element_refs(doc: &scraper::Html) -> Vec<Ref> {
    let mut refs = Vec::new();
    let mut push = |kind, href: &str, what| {
        refs.push(Ref {
            kind,
            href: href.to_string(),
            what,
        })
    };
    for (selector, attr, kind, what) in [
        ("a[href]", "href", Kind::Page, "a href"),
        ("area[href]", "href", Kind::Page, "area href"),
        ("form[action]", "action", Kind::Page, "form action"),
        ("img[src]", "src", Kind::Image, "img src"),
        ("script[src]", "src", Kind::Script, "script src"),
        ("iframe[src]", "src", Kind::Page, "iframe src"),
        (
            "source[src], video[src], audio[src], object[data], embed[src]",
            "src",
            Kind::Other,
            "media",
        ),
        ("video[poster]", "poster", Kind::Image, "video poster"),
    ] {
        for el in doc.select(&sel(selector)) {
            let v = el.value();
            let attr = if v.name() == "object" { "data" } else { attr };
            if let Some(h) = v.attr(attr) {
                push(kind, h, what);
            }
        }
    }
    for el in doc.select(&sel("img[srcset], source[srcset]")) {
        for cand in el.value().attr("srcset").unwrap_or_default().split(',') {
            if let Some(u) = cand.split_whitespace().next() {
                push(Kind::Image, u, "srcset");
            }
        }
    }
    for el in doc.select(&sel("link[href]")) {
        let v = el.value();
        let rel = v.attr("rel").unwrap_or_default().to_ascii_lowercase();
        let rels: Vec<&str> = rel.split_whitespace().collect();
        let ty = v.attr("type").unwrap_or_default().to_ascii_lowercase();
        let href = v.attr("href").unwrap();
        let (kind, what) = if rels.contains(&"stylesheet") {
            (Kind::Stylesheet, "link stylesheet")
        } else if rels.contains(&"icon") || rels.contains(&"apple-touch-icon") {
            (Kind::Image, "link icon")
        } else if rels.contains(&"alternate")
            && (ty.contains("rss") || ty.contains("atom") || ty.ends_with("xml"))
        {
            (Kind::Feed, "link alternate feed")
        } else if rels
            .iter()
            .any(|r| ["preconnect", "dns-prefetch"].contains(r))
        {
            continue;
        } else if rels
            .iter()
            .any(|r| ["canonical", "prev", "next", "alternate"].contains(r))
        {
            (Kind::Page, "link")
        } else {
            (Kind::Other, "link")
        };
        push(kind, href, what);
    }
    refs
}

fn ids_of(doc: &scraper::Html) -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = doc
        .select(&sel("[id]"))
        .filter_map(|e| e.value().attr("id"))
        .map(str::to_string)
        .collect();
    ids.extend(
        doc.select(&sel("a[name]"))
            .filter_map(|e| e.value().attr("name"))
            .map(str::to_string),
    );
    ids
}

/// Crawls the served site from its home page through nginx: every internal link, image,
/// stylesheet, script, feed and data file must answer 200 with a fitting Content-Type, fragments
/// must exist, links must stay under the base path, and nothing may be orphaned: every sitemap URL
/// and every generated page and feed must be reached from the home page.
fn crawl(served: &Served) -> Crawl {
    let origin = served.origin();
    let port = served.port;
    let home = BASE_PATH.to_string();
    let mut c = Crawl::default();
    let mut queue: VecDeque<(String, Kind, String)> = VecDeque::new();
    let mut queued: BTreeSet<String> = BTreeSet::new();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut fragments: Vec<(String, String, String)> = Vec::new(); // (from, target, fragment)
    let mut feeds: BTreeSet<String> = BTreeSet::new();
    queue.push_back((home.clone(), Kind::Page, "(start)".into()));
    queued.insert(home.clone());

    let visit_refs = |c: &mut Crawl,
                      queue: &mut VecDeque<(String, Kind, String)>,
                      queued: &mut BTreeSet<String>,
                      fragments: &mut Vec<(String, String, String)>,
                      from: &str,
                      doc: &scraper::Html| {
        for r in extract_refs(doc) {
            match resolve(&origin, from, &r.href) {
                Target::Internal(path, frag) => {
                    if !path.starts_with(BASE_PATH) {
                        c.problem(format!(
                            "{from}: {} {:?} leaves the base path {BASE_PATH} (resolves to {path})",
                            r.what, r.href
                        ));
                        continue;
                    }
                    if let Some(f) = frag.filter(|f| !f.is_empty() && f != "top") {
                        fragments.push((from.to_string(), path.clone(), f));
                    }
                    if queued.insert(path.clone()) {
                        queue.push_back((path, r.kind, from.to_string()));
                    }
                }
                Target::External => {
                    let h = r.href.to_ascii_lowercase();
                    if h.contains("://127.0.0.1") || h.contains("://localhost") {
                        c.problem(format!(
                            "{from}: {} {:?} points at another local server, not {origin}{BASE_PATH}",
                            r.what, r.href
                        ));
                    }
                }
                Target::Skip => {
                    if r.href
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:")
                    {
                        c.problem(format!("{from}: {} uses a javascript: URL", r.what));
                    }
                }
            }
        }
    };

    // The 404 page, as nginx serves it for a missing URL: its links are crawled too.
    let missing = format!("{BASE_PATH}{MISSING_PATH}");
    match http_get(port, &missing) {
        Ok(r) => {
            if r.status != 404 || mime_of(&r.content_type) != "text/html" {
                c.problem(format!(
                    "{missing}: a missing page answers {} {:?}, expected 404 text/html (the site's 404 page)",
                    r.status, r.content_type
                ));
            }
            let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&r.body));
            if doc.select(&sel("h1")).next().is_none() {
                c.problem(format!(
                    "{missing}: the 404 answer is not the site's 404 page"
                ));
            }
            queued.insert(missing.clone());
            ids.insert(missing.clone(), ids_of(&doc));
            visit_refs(
                &mut c,
                &mut queue,
                &mut queued,
                &mut fragments,
                &missing,
                &doc,
            );
        }
        Err(e) => c.problem(format!("{missing}: {e}")),
    }

    let mut count = 0;
    while let Some((path, kind, from)) = queue.pop_front() {
        count += 1;
        assert!(count < 20_000, "crawl does not end: more than 20 000 URLs");
        let r = match http_get(port, &path) {
            Ok(r) => r,
            Err(e) => {
                c.problem(format!("{path} (linked from {from}): {e}"));
                continue;
            }
        };
        c.fetched.insert(path.clone(), r.status);
        if r.status != 200 {
            let extra = r
                .location
                .as_ref()
                .map(|l| format!(" → {l}"))
                .unwrap_or_default();
            c.problem(format!(
                "{path}: HTTP {}{extra} (linked from {from}, {kind:?})",
                r.status
            ));
            continue;
        }
        let mime = mime_of(&r.content_type);
        if let Some(ok) = expected_types(&path) {
            if !ok.contains(&mime.as_str()) {
                c.problem(format!(
                    "{path}: Content-Type {:?}, expected one of {ok:?} (linked from {from})",
                    r.content_type
                ));
            }
        } else if mime.is_empty() || mime == "application/octet-stream" {
            c.problem(format!(
                "{path}: no useful Content-Type ({:?}) (linked from {from})",
                r.content_type
            ));
        }
        let kind_ok = match kind {
            Kind::Stylesheet => mime == "text/css",
            Kind::Image => mime.starts_with("image/"),
            Kind::Script => mime.contains("javascript"),
            Kind::Feed => XML_TYPES.contains(&mime.as_str()),
            Kind::Page | Kind::Other => true,
        };
        if !kind_ok {
            c.problem(format!(
                "{path}: used as {kind:?} by {from} but served as {:?}",
                r.content_type
            ));
        }
        if kind == Kind::Feed
            || (XML_TYPES.contains(&mime.as_str()) && !path.ends_with("/sitemap.xml"))
        {
            feeds.insert(path.clone());
        }
        if mime == "text/html" {
            c.pages.insert(path.clone());
            let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&r.body));
            ids.insert(path.clone(), ids_of(&doc));
            visit_refs(&mut c, &mut queue, &mut queued, &mut fragments, &path, &doc);
        }
    }

    for (from, target, frag) in &fragments {
        if let Some(set) = ids.get(target) {
            if !set.contains(frag) && !set.contains(&percent_decode(frag)) {
                c.problem(format!(
                    "{from}: link to {target}#{frag}: no element with id {frag:?} there"
                ));
            }
        }
    }

    // Feeds: their links must answer too.
    for feed in &feeds {
        let Ok(r) = http_get(port, feed) else {
            continue;
        };
        let text = String::from_utf8_lossy(&r.body).into_owned();
        let Ok(doc) = roxmltree::Document::parse(&text) else {
            c.problem(format!("{feed}: not well-formed XML"));
            continue;
        };
        for n in doc.descendants() {
            let url = match n.tag_name().name() {
                "link" if n.attribute("href").is_some() => n.attribute("href").unwrap().to_string(),
                "link" if n.parent_element().is_some() => {
                    n.text().unwrap_or_default().trim().to_string()
                }
                _ => continue,
            };
            if !url.starts_with(&served.base_url) {
                c.problem(format!(
                    "{feed}: link {url:?} is not an absolute URL under {}",
                    served.base_url
                ));
                continue;
            }
            if let Target::Internal(p, _) = resolve(&origin, feed, &url) {
                let status = match c.fetched.get(&p) {
                    Some(s) => *s,
                    None => {
                        let s = http_get(port, &p).map(|r| r.status).unwrap_or(0);
                        c.fetched.insert(p.clone(), s);
                        s
                    }
                };
                if status != 200 {
                    c.problem(format!("{feed}: link {url} answers HTTP {status}"));
                }
            }
        }
    }

    // Sitemap and robots.txt, then orphans.
    let sitemap = format!("{BASE_PATH}sitemap.xml");
    match http_get(port, &sitemap) {
        Ok(r) if r.status == 200 => {
            if !XML_TYPES.contains(&mime_of(&r.content_type).as_str()) {
                c.problem(format!("{sitemap}: Content-Type {:?}", r.content_type));
            }
            let text = String::from_utf8_lossy(&r.body).into_owned();
            match roxmltree::Document::parse(&text) {
                Ok(doc) => {
                    for loc in doc.descendants().filter(|n| n.has_tag_name("loc")) {
                        let url = loc.text().unwrap_or_default().trim().to_string();
                        if !url.starts_with(&served.base_url) {
                            c.problem(format!(
                                "{sitemap}: <loc> {url:?} is not under {}",
                                served.base_url
                            ));
                            continue;
                        }
                        if let Target::Internal(p, _) = resolve(&origin, &sitemap, &url) {
                            if !c.pages.contains(&p) {
                                let status = http_get(port, &p).map(|r| r.status).unwrap_or(0);
                                c.problem(format!(
                                    "{sitemap}: {url} (HTTP {status}) is not reached by any link from the home page (orphan)"
                                ));
                            }
                        }
                    }
                }
                Err(e) => c.problem(format!("{sitemap}: not well-formed XML: {e}")),
            }
        }
        Ok(r) => c.problem(format!("{sitemap}: HTTP {}", r.status)),
        Err(e) => c.problem(format!("{sitemap}: {e}")),
    }
    let robots = format!("{BASE_PATH}robots.txt");
    match http_get(port, &robots) {
        Ok(r) if r.status == 200 && mime_of(&r.content_type) == "text/plain" => {
            let text = String::from_utf8_lossy(&r.body).into_owned();
            let want = format!("{}sitemap.xml", served.base_url);
            if !text.lines().any(|l| l.trim() == format!("Sitemap: {want}")) {
                c.problem(format!("{robots}: no line `Sitemap: {want}`"));
            }
        }
        Ok(r) => c.problem(format!("{robots}: HTTP {} {:?}", r.status, r.content_type)),
        Err(e) => c.problem(format!("{robots}: {e}")),
    }

    // Every generated page and feed is reached (alias redirects and the 404 page excepted).
    for file in walk_files(&served.out) {
        let rel = file
            .strip_prefix(&served.out)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let url_path = if rel == "index.html" {
            BASE_PATH.to_string()
        } else if let Some(dir) = rel.strip_suffix("/index.html") {
            format!("{BASE_PATH}{dir}/")
        } else {
            format!("{BASE_PATH}{rel}")
        };
        let url_path = encode_target(&url_path);
        let is_page = rel.ends_with(".html");
        let is_feed = rel.ends_with(".xml") && rel != "sitemap.xml";
        if rel == "404.html" || !(is_page || is_feed) || c.fetched.contains_key(&url_path) {
            continue;
        }
        if is_page {
            let html = fs::read_to_string(&file)
                .unwrap_or_default()
                .to_ascii_lowercase();
            if html.contains("http-equiv=\"refresh\"") {
                continue; // an alias redirect: reached through its old address only
            }
        }
        c.problem(format!(
            "{url_path}: generated but not reached by any link from the home page (orphan)"
        ));
    }
    c
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

// ----------------------------------------------------------------------------------------------
// vnu, feeds, sitemap

/// The Nu HTML Checker over every HTML file of the build: one problem per error.
fn check_vnu(tools: &Tools, dir: &Path) -> Vec<String> {
    let html_files = walk_files(dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .count();
    assert!(html_files > 0, "no HTML files in {}", dir.display());
    let o = Command::new("java")
        .arg("-jar")
        .arg(&tools.vnu_jar)
        .args(["--errors-only", "--skip-non-html", "--format", "json"])
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run java (run scripts/setup)");
    let text =
        String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout);
    let json_start = text
        .find("{\"version\"")
        .or_else(|| text.find("{\"messages\""))
        .unwrap_or_else(|| panic!("vnu printed no JSON report ({}):\n{text}", o.status));
    let report: serde_json::Value = serde_json::Deserializer::from_str(&text[json_start..])
        .into_iter::<serde_json::Value>()
        .next()
        .unwrap()
        .expect("vnu JSON report");
    let mut problems = Vec::new();
    for m in report["messages"].as_array().unwrap() {
        if m["type"] == "info" {
            continue;
        }
        let url = m["url"].as_str().unwrap_or_default();
        let file = url
            .strip_prefix("file:")
            .and_then(|p| Path::new(p).strip_prefix(dir).ok())
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| url.to_string());
        let kind = match m["subType"].as_str() {
            Some(sub) => format!("{} {sub}", m["type"].as_str().unwrap_or_default()),
            None => m["type"].as_str().unwrap_or_default().to_string(),
        };
        problems.push(format!(
            "{file}:{}.{}: {kind}: {}\n      {}",
            m["lastLine"],
            m["firstColumn"],
            m["message"].as_str().unwrap_or_default(),
            m["extract"].as_str().unwrap_or_default().replace('\n', "⏎")
        ));
    }
    if problems.is_empty() && !o.status.success() {
        problems.push(format!("vnu exited {} without messages:\n{text}", o.status));
    }
    problems
}

const FEEDPARSER_SCRIPT: &str = r#"
import json, sys, feedparser
base = sys.argv[1]
problems = []
for path in sys.argv[2:]:
    d = feedparser.parse(path)
    if d.bozo:
        problems.append(f"{path}: feedparser bozo: {d.get('bozo_exception')!r}")
    if not d.version:
        problems.append(f"{path}: not recognised as RSS or Atom")
    links = [("feed", l.get("href", "")) for l in d.feed.get("links", [])]
    if not d.entries:
        problems.append(f"{path}: no entries")
    for i, e in enumerate(d.entries, 1):
        if not e.get("link"):
            problems.append(f"{path}: entry {i} has no link")
        if not e.get("title"):
            problems.append(f"{path}: entry {i} has no title")
        links += [(f"entry {i}", l.get("href", "")) for l in e.get("links", [])]
    for where, href in links:
        if not href.startswith(base):
            problems.append(f"{path}: {where} link {href!r} is not an absolute URL under {base}")
print(json.dumps({"feedparser": feedparser.__version__, "feeds": len(sys.argv) - 2, "problems": problems}))
"#;

/// Every feed file of the build (XML whose root is `rss` or `feed`).
fn feed_files(dir: &Path) -> Vec<PathBuf> {
    walk_files(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .filter(|p| {
            let text = fs::read_to_string(p).unwrap_or_default();
            roxmltree::Document::parse(&text)
                .map(|d| matches!(d.root_element().tag_name().name(), "rss" | "feed"))
                .unwrap_or(true) // not well-formed: let feedparser say so
                && !p.ends_with("sitemap.xml")
        })
        .collect()
}

/// Python feedparser over every feed: bozo 0, entries with absolute links under the base URL.
fn check_feeds(dir: &Path, base_url: &str) -> Vec<String> {
    let files = feed_files(dir);
    if files.is_empty() {
        return vec![format!("no RSS/Atom feed in {}", dir.display())];
    }
    let o = Command::new("python3")
        .arg("-c")
        .arg(FEEDPARSER_SCRIPT)
        .arg(base_url)
        .args(&files)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run python3 (run scripts/setup)");
    let stdout = String::from_utf8_lossy(&o.stdout);
    let Ok(report) = serde_json::from_str::<serde_json::Value>(stdout.trim()) else {
        return vec![format!(
            "feedparser run failed ({}): {}{}",
            o.status,
            stdout,
            String::from_utf8_lossy(&o.stderr)
        )];
    };
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            p.as_str()
                .unwrap()
                .replace(&format!("{}/", dir.display()), "")
        })
        .collect()
}

/// xmllint against the sitemaps.org 0.9 XSD (as shipped by npm `sitemap`).
fn check_sitemap(tools: &Tools, dir: &Path) -> Vec<String> {
    let o = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(&tools.sitemap_xsd)
        .arg(dir.join("sitemap.xml"))
        .stdin(Stdio::null())
        .output()
        .expect("cannot run xmllint (run scripts/setup)");
    if o.status.success() {
        Vec::new()
    } else {
        vec![format!(
            "sitemap.xml is not valid against sitemaps.org 0.9: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )]
    }
}

// ----------------------------------------------------------------------------------------------
// Browser

/// The URL (relative to the base URL) of one page of each type that exists, and notes for the
/// types skipped because their pages do not exist yet.
fn page_type_urls(out: &Path) -> (Vec<(&'static str, String)>, Vec<String>) {
    let mut found = Vec::new();
    let mut notes = Vec::new();
    for (ty, candidates) in PAGE_TYPES {
        let hit = candidates.iter().find_map(|c| {
            if let Some(dir) = c.strip_suffix('*') {
                let mut subs: Vec<String> = fs::read_dir(out.join(dir))
                    .ok()?
                    .flatten()
                    .filter(|e| e.path().join("index.html").is_file())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n != "trang")
                    .collect();
                subs.sort();
                subs.first().map(|s| format!("{dir}{s}/"))
            } else if c.ends_with(".html") {
                out.join(c).is_file().then(|| c.to_string())
            } else {
                out.join(c)
                    .join("index.html")
                    .is_file()
                    .then(|| c.to_string())
            }
        });
        match hit {
            // The 404 page is visited the way readers meet it: at an address that does not exist.
            Some(_) if *ty == "404" => found.push((*ty, MISSING_PATH.to_string())),
            Some(p) => found.push((*ty, p)),
            None => notes.push(format!(
                "note: page type {ty:?} skipped: no page yet at {}",
                candidates.join(" or ")
            )),
        }
    }
    (found, notes)
}

/// Runs browser.mjs on the given pages; one problem per failed check.
fn check_browser(
    tools: &Tools,
    served: &Served,
    pages: &[(&str, String)],
    screenshots: Option<&Path>,
) -> Vec<String> {
    let list = serde_json::Value::Array(
        pages
            .iter()
            .map(|(t, u)| serde_json::json!({ "type": t, "url": u }))
            .collect(),
    );
    let tmp = served.browser_tmp.path();
    let mut cmd = Command::new("node");
    cmd.arg(&tools.browser_script)
        .arg(&served.base_url)
        .arg(list.to_string())
        .env("TMPDIR", tmp)
        .stdin(Stdio::null());
    match screenshots {
        Some(d) => cmd.arg("--screenshots").arg(d),
        None => cmd.arg("--no-screenshots"),
    };
    let o: Output = cmd.output().expect("cannot run node (run scripts/setup)");
    kill_processes_mentioning(tmp);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let Ok(report) = serde_json::from_str::<serde_json::Value>(stdout.trim()) else {
        panic!(
            "browser.mjs gave no report ({}); run `scripts/setup` if a tool is missing:\n{stdout}\n{stderr}",
            o.status
        );
    };
    eprintln!(
        "browser: chromium {}, axe-core {}, playwright-core {}",
        report["versions"]["chromium"], report["versions"]["axe"], report["versions"]["playwright"]
    );
    let mut problems: Vec<String> = report["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut s = format!(
                "[{}] {} {}: {}",
                f["check"].as_str().unwrap_or_default(),
                f["type"].as_str().unwrap_or_default(),
                f["url"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default()
            );
            for d in f["details"].as_array().into_iter().flatten() {
                let _ = write!(s, "\n      {}", d.as_str().unwrap_or_default());
            }
            s
        })
        .collect();
    if problems.is_empty() && !o.status.success() {
        problems.push(format!("browser.mjs exited {}: {stderr}", o.status));
    }
    problems
}

// ----------------------------------------------------------------------------------------------
// Tests

fn section(out: &mut String, name: &str, problems: &[String]) {
    if !problems.is_empty() {
        let _ = writeln!(out, "\n== {name}: {} problem(s)", problems.len());
        for p in problems {
            let _ = writeln!(out, "  - {p}");
        }
    }
}

fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let r = f();
    eprintln!("verify: {what} took {:.1} s", t.elapsed().as_secs_f64());
    r
}

#[test]
fn example_site_passes_real_tools() {
    let tools = require_tools();
    let served = timed("build + nginx", || build_and_serve(&tools, &repo()));
    eprintln!(
        "verify: serving {} at {}",
        served.out.display(),
        served.base_url
    );

    let c = timed("crawl", || crawl(&served));
    assert!(
        c.pages.len() > 10,
        "the crawl reached only {} pages: {:?}",
        c.pages.len(),
        c.pages
    );
    eprintln!(
        "verify: crawled {} URLs, {} HTML pages",
        c.fetched.len(),
        c.pages.len()
    );
    let vnu = timed("vnu", || check_vnu(&tools, &served.out));
    let feeds = timed("feeds", || check_feeds(&served.out, &served.base_url));
    let sitemap = timed("sitemap", || check_sitemap(&tools, &served.out));
    let (pages, notes) = page_type_urls(&served.out);
    for n in &notes {
        // Straight to stderr (not eprintln!, which the test harness captures): the notes show.
        let _ = writeln!(std::io::stderr(), "verify: {n}");
    }
    for required in ["home", "list", "article", "taxonomy", "term", "404"] {
        assert!(
            pages.iter().any(|(t, _)| *t == required),
            "no page of type {required} in the example site"
        );
    }
    let shots = repo().join("target/screenshots");
    let browser = timed("browser", || {
        check_browser(&tools, &served, &pages, Some(&shots))
    });

    let mut report = String::new();
    section(&mut report, "crawl (nginx)", &c.problems);
    section(&mut report, "vnu", &vnu);
    section(
        &mut report,
        "browser (axe, viewports, no-JS, print, search)",
        &browser,
    );
    section(&mut report, "feeds (feedparser)", &feeds);
    section(&mut report, "sitemap (xmllint)", &sitemap);
    assert!(
        report.is_empty(),
        "the example site fails verification:{report}"
    );
}

/// A copy of the example site with `edit` applied, built and served.
fn bad_fixture(tools: &Tools, edit: impl FnOnce(&Path)) -> (tempfile::TempDir, Served) {
    let src = tempfile::Builder::new()
        .prefix("bantin-verify-fixture-")
        .tempdir()
        .unwrap();
    let root = src.path().join("site");
    copy_example_site(&root);
    edit(&root);
    let served = build_and_serve(tools, &root);
    (src, served)
}

/// Overrides a theme template in the fixture with a patched copy.
fn override_template(root: &Path, name: &str, from: &str, to: &str) {
    let theme = root.join("themes/cong-thong-tin/templates").join(name);
    let text = fs::read_to_string(&theme).unwrap();
    assert!(
        text.contains(from),
        "themes/cong-thong-tin/templates/{name} no longer contains {from:?}: update this fixture"
    );
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(
        root.join("templates").join(name),
        text.replacen(from, to, 1),
    )
    .unwrap();
}

fn add_article(root: &Path, slug: &str, title: &str, body: &str) {
    let text = format!(
        "+++\ntitle = {title:?}\ndate = 2024-07-01T08:00:00+07:00\ndescription = \"Bài kiểm tra của bộ kiểm định.\"\n\n[taxonomies]\ntags = [\"tiến độ\"]\n+++\n\n{body}\n"
    );
    fs::write(
        root.join("content/tin-tuc").join(format!("{slug}.md")),
        text,
    )
    .unwrap();
}

fn assert_reports(problems: &[String], needles: &[&str], what: &str) {
    let hit = problems
        .iter()
        .find(|p| needles.iter().all(|n| p.contains(n)));
    match hit {
        Some(p) => eprintln!("{what}: reported as expected:\n  {p}"),
        None => panic!(
            "{what}: expected a problem mentioning {needles:?}, got:\n{}",
            problems.join("\n")
        ),
    }
}

#[test]
fn crawler_reports_a_broken_link() {
    let tools = require_tools();
    let (_src, served) = bad_fixture(&tools, |root| {
        override_template(
            root,
            "page.html",
            "{% block content %}",
            "{% block content %}\n<p><a href=\"{{ config.base_path }}khong-ton-tai/\">x</a></p>",
        );
    });
    let c = crawl(&served);
    assert_reports(
        &c.problems,
        &["/bantin/khong-ton-tai/", "HTTP 404"],
        "the crawler on a broken link",
    );
}

#[test]
fn vnu_and_axe_report_an_img_without_alt() {
    let tools = require_tools();
    let (_src, served) = bad_fixture(&tools, |root| {
        add_article(
            root,
            "kiem-tra-anh-thieu-alt",
            "Kiểm tra ảnh thiếu văn bản thay thế",
            "Ảnh dưới đây không có thuộc tính alt.\n\n<img src=\"/bantin/favicon.svg\" width=\"48\" height=\"48\">\n\nHết bài.",
        );
    });
    let page = "tin-tuc/kiem-tra-anh-thieu-alt/";
    assert!(
        served.out.join(page).join("index.html").is_file(),
        "the fixture article was not built at {page}"
    );
    let vnu = check_vnu(&tools, &served.out);
    assert_reports(
        &vnu,
        &["kiem-tra-anh-thieu-alt", "img", "alt"],
        "vnu on an img without alt",
    );
    let browser = check_browser(&tools, &served, &[("article", page.to_string())], None);
    assert_reports(
        &browser,
        &["image-alt", "kiem-tra-anh-thieu-alt"],
        "axe on an img without alt",
    );
}

#[test]
fn vnu_reports_an_unescaped_lt_in_a_title() {
    let tools = require_tools();
    let (_src, served) = bad_fixture(&tools, |root| {
        override_template(
            root,
            "page.html",
            "<h1 id=\"tieu-de-bai\">{{ page.title }}</h1>",
            "<h1 id=\"tieu-de-bai\">{{ page.title | safe }}</h1>",
        );
        add_article(
            root,
            "giai-ngan-duoi-50",
            "Giải ngân đạt <50% kế hoạch năm",
            "Bài có dấu nhỏ hơn trong tiêu đề.",
        );
    });
    let vnu = check_vnu(&tools, &served.out);
    assert_reports(
        &vnu,
        &["giai-ngan-duoi-50", "<"],
        "vnu on an unescaped < in a title",
    );
}

#[test]
fn crawler_resolves_urls_like_a_browser() {
    let o = "http://127.0.0.1:8080";
    let page = "/bantin/tin-tuc/bai/";
    let int = |href: &str| match resolve(o, page, href) {
        Target::Internal(p, f) => format!("{p}{}", f.map(|f| format!("#{f}")).unwrap_or_default()),
        Target::External => "external".into(),
        Target::Skip => "skip".into(),
    };
    assert_eq!(int("/bantin/css/style.css"), "/bantin/css/style.css");
    assert_eq!(int("anh.svg"), "/bantin/tin-tuc/bai/anh.svg");
    assert_eq!(int("../khac/"), "/bantin/tin-tuc/khac/");
    assert_eq!(int("../../../../x"), "/x");
    assert_eq!(int("./"), "/bantin/tin-tuc/bai/");
    assert_eq!(int("#muc-1"), "/bantin/tin-tuc/bai/#muc-1");
    assert_eq!(int("?trang=2"), "/bantin/tin-tuc/bai/?trang=2");
    assert_eq!(int("http://127.0.0.1:8080/bantin/"), "/bantin/");
    assert_eq!(int("http://127.0.0.1:8080"), "/");
    assert_eq!(int("http://127.0.0.1:1111/bantin/"), "external");
    assert_eq!(int("https://ubdt.gov.vn/"), "external");
    assert_eq!(int("//cdn.example/x.js"), "external");
    assert_eq!(int("mailto:a@b.vn"), "skip");
    assert_eq!(int("tel:02603866127"), "skip");
    assert_eq!(int("/bantin/đắk-hà/"), "/bantin/%C4%91%E1%BA%AFk-h%C3%A0/");
    assert_eq!(percent_decode("%C4%91%E1%BA%AFk"), "đắk");
    assert_eq!(expected_types("/bantin/"), Some(&["text/html"][..]));
    assert_eq!(
        expected_types("/bantin/du-lieu/a.csv"),
        Some(&["text/csv"][..])
    );
    assert_eq!(expected_types("/bantin/rss.xml"), Some(XML_TYPES));
    assert_eq!(expected_types("/bantin/LICENSE"), None);
}

#[test]
fn crawler_reads_links_inside_noscript() {
    let doc = scraper::Html::parse_document(
        "<!DOCTYPE html><html><body><main><p><a href=\"/bantin/\">x</a></p>\
         <noscript><div><a href=\"/bantin/chu-de/\">Chủ đề</a><img src=\"/bantin/a.svg\" alt=\"\"></div></noscript>\
         </main></body></html>",
    );
    let refs: Vec<(Kind, String)> = extract_refs(&doc)
        .into_iter()
        .map(|r| (r.kind, r.href))
        .collect();
    assert!(
        refs.contains(&(Kind::Page, "/bantin/chu-de/".to_string())),
        "{refs:?}"
    );
    assert!(
        refs.contains(&(Kind::Image, "/bantin/a.svg".to_string())),
        "{refs:?}"
    );
    assert!(refs.contains(&(Kind::Page, "/bantin/".to_string())));
}
