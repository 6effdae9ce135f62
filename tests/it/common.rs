//! Fixture harness (after mdBook's): copy a fixture site to a temp dir (with the default theme),
//! build it through the library API or the binary, and look at the output.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use bantin::build::{build, BuildOptions, BuildReport, Sink};

pub const EPOCH: &str = "1721275200"; // 2024-07-18, the seed's date line

pub struct Fixture {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

impl Fixture {
    /// A copy of `tests/fixtures/<name>` with the default theme.
    pub fn new(name: &str) -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(&repo().join("tests/fixtures").join(name), &root);
        if !root.join("themes").exists() {
            copy_dir(
                &repo().join("themes/cong-thong-tin"),
                &root.join("themes/cong-thong-tin"),
            );
        }
        Fixture { _tmp: tmp, root }
    }

    /// A copy of the example site at the repository root.
    pub fn example() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        for d in ["content", "themes", "static", "templates"] {
            if repo().join(d).exists() {
                copy_dir(&repo().join(d), &root.join(d));
            }
        }
        std::fs::copy(repo().join("config.toml"), root.join("config.toml")).unwrap();
        Fixture { _tmp: tmp, root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path(rel)).unwrap();
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            sink: Sink::Directory(self.root.join("public")),
            include_drafts: false,
            base_url: None,
            strict: false,
            list_changes: false,
            overlay: None,
        }
    }

    /// Builds through the library API into `public/`.
    pub fn build(&self) -> Result<BuildReport, BuildReport> {
        build(&self.options())
    }

    /// Builds and panics with the diagnostics on failure.
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(r) => panic!("build failed:\n{}", r.diagnostics),
        }
    }

    /// Runs the binary in the site root.
    pub fn bantin(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(args)
            .current_dir(&self.root)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .output()
            .unwrap()
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.path(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(rel))
    }
}

/// The example site, built; panics with the build's errors when it fails.
pub fn built_example() -> Fixture {
    let f = Fixture::example();
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

/// The elements under `el` that match `css`.
pub fn select_in<'a>(el: &scraper::ElementRef<'a>, css: &str) -> Vec<scraper::ElementRef<'a>> {
    el.select(&scraper::Selector::parse(css).unwrap()).collect()
}

pub fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

pub fn text(el: &scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text of `<main>`.
pub fn main_text(doc: &scraper::Html) -> String {
    select(doc, "main").first().map(text).unwrap_or_default()
}

/// Every file under `dir`, relative, sorted, with its bytes.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// All internal link targets (href/src under `base_path`) of every HTML file in `public`,
/// resolved to files; returns those that do not exist.
pub fn broken_internal_links(public: &Path, base_path: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for (rel, bytes) in tree(public) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        // scraper reads a <noscript> as text (scripting on, as in browsers): its links, shown to
        // readers without JavaScript, are parsed from that text and checked too.
        let noscript: Vec<scraper::Html> = select(&doc, "noscript")
            .iter()
            .map(|n| scraper::Html::parse_fragment(&n.text().collect::<String>()))
            .collect();
        for doc in std::iter::once(&doc).chain(&noscript) {
            for (sel, attr) in [
                ("a[href]", "href"),
                ("link[href]", "href"),
                ("img[src]", "src"),
                ("script[src]", "src"),
            ] {
                for el in select(doc, sel) {
                    let url = el.value().attr(attr).unwrap();
                    let url = url.split('#').next().unwrap();
                    if url.is_empty()
                        || url.contains("://")
                        || url.starts_with("mailto:")
                        || url.starts_with("tel:")
                    {
                        continue;
                    }
                    let path = match url.strip_prefix(base_path) {
                        Some(p) => p.to_string(),
                        None => {
                            broken.push(format!("{rel}: {url} (not under {base_path})"));
                            continue;
                        }
                    };
                    let file = if path.is_empty() || path.ends_with('/') {
                        format!("{path}index.html")
                    } else {
                        path.clone()
                    };
                    if !public.join(&file).is_file() {
                        broken.push(format!("{rel}: {url}"));
                    }
                }
            }
        }
    }
    broken
}

/// An HTTP/1.1 response read to its end: (status, headers with lower-cased names in order,
/// repeated ones kept, body).
pub fn parse_response(raw: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        panic!("no response head in {:?}", String::from_utf8_lossy(raw));
    };
    let head = String::from_utf8(raw[..end].to_vec()).unwrap();
    let mut lines = head.lines();
    let status = lines.next().and_then(|l| l.split(' ').nth(1));
    let status = status.and_then(|s| s.parse().ok()).expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect();
    (status, headers, raw[end + 4..].to_vec())
}
