//! Sitemaps within the protocol (issue 18 item 2): past `[sitemap] max_urls` (50 000 by
//! default) or `max_bytes` (50 MB), `sitemap.xml` is a sitemap index naming `sitemap-1.xml`,
//! `sitemap-2.xml`, … that hold every page once, in the usual order; under both, the one
//! `sitemap.xml` is byte for byte what it always was. Every file is validated with xmllint
//! against sitemaps.org's schemas (tests/verify/).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::*;

const BASE: &str = "https://example.gov.vn/bantin/";

/// `<loc>` and `<lastmod>` (if any) of each `<url>` (or `<sitemap>` of an index) of a file.
fn entries(xml: &str, element: &str) -> Vec<(String, Option<String>)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    doc.descendants()
        .filter(|n| n.has_tag_name(element))
        .map(|n| {
            let child = |name: &str| {
                n.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .map(str::to_string)
            };
            (child("loc").expect("<loc>"), child("lastmod"))
        })
        .collect()
}

fn root_name(xml: &str) -> String {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.root_element().tag_name().name().to_string()
}

fn schema(name: &str) -> PathBuf {
    let verify = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify");
    let npm = verify.join("node_modules/sitemap/schema/sitemap.xsd");
    assert!(
        npm.is_file(),
        "{} is missing: run scripts/setup (npm ci in tests/verify)",
        npm.display()
    );
    verify.join(name)
}

/// xmllint (no network) against `xsd`; panics with its words when the file is not valid.
fn validate(file: &Path, xsd: &str) {
    let o = Command::new("xmllint")
        .args(["--noout", "--nonet", "--schema"])
        .arg(schema(xsd))
        .arg(file)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run xmllint (Debian package libxml2-utils; run scripts/setup)");
    assert!(
        o.status.success(),
        "{} is not valid against {xsd}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `build --changes -`: the (kind, path) lines.
fn build_changes(f: &Fixture) -> Vec<(String, String)> {
    let out = f.bantin(&["build", "--changes", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(k, p)| (k.to_string(), p.to_string()))
        .collect()
}

fn sitemap_changes(changes: &[(String, String)]) -> Vec<(String, String)> {
    changes
        .iter()
        .filter(|(_, p)| p.starts_with("sitemap"))
        .cloned()
        .collect()
}

fn pair(k: &str, p: &str) -> (String, String) {
    (k.into(), p.into())
}

fn set_sitemap(f: &Fixture, table: &str) {
    let c = f.read("config.toml");
    f.write("config.toml", format!("{c}\n[sitemap]\n{table}\n"));
}

/// The numbered files an index names, read from `public/`, checked to be this site's
/// `sitemap-N.xml` in order.
fn numbered_files(base: &str, index: &[(String, Option<String>)]) -> Vec<String> {
    index
        .iter()
        .enumerate()
        .map(|(i, (loc, _))| {
            assert_eq!(loc, &format!("{base}sitemap-{}.xml", i + 1));
            format!("public/sitemap-{}.xml", i + 1)
        })
        .collect()
}

/// The basic fixture lists 15 pages; `max_urls = 6` makes an index of three files (6, 6, 3),
/// each page in exactly one, in the order of the single file; `--changes` adds them and
/// modifies `sitemap.xml`, and back under the limit deletes them.
#[test]
fn past_max_urls_the_sitemap_is_an_index_of_numbered_files() {
    let f = Fixture::new("basic");
    build_changes(&f);
    let whole = f.read("public/sitemap.xml");
    let pages = entries(&whole, "url");
    assert_eq!(pages.len(), 15, "the fixture changed: {whole}");

    set_sitemap(&f, "max_urls = 6");
    let changes = build_changes(&f);
    let mut listed = sitemap_changes(&changes);
    listed.sort();
    assert_eq!(
        listed,
        [
            pair("A", "sitemap-1.xml"),
            pair("A", "sitemap-2.xml"),
            pair("A", "sitemap-3.xml"),
            pair("M", "sitemap.xml"),
        ]
    );
    let index_xml = f.read("public/sitemap.xml");
    assert_eq!(root_name(&index_xml), "sitemapindex", "{index_xml}");
    validate(&f.path("public/sitemap.xml"), "sitemap-index.xsd");
    let index = entries(&index_xml, "sitemap");
    assert_eq!(index.len(), 3, "{index_xml}");
    let mut across = Vec::new();
    for ((file, (_, lastmod)), want) in numbered_files(BASE, &index)
        .iter()
        .zip(&index)
        .zip([6, 6, 3])
    {
        let xml = f.read(file);
        assert_eq!(root_name(&xml), "urlset");
        validate(&f.path(file), "sitemap-all.xsd");
        let urls = entries(&xml, "url");
        assert_eq!(urls.len(), want, "{file}");
        // the index dates a file by its newest page
        let newest = urls.iter().filter_map(|u| u.1.clone()).max();
        assert_eq!(lastmod, &newest, "{file}");
        across.extend(urls);
    }
    // every page once, in the single file's order, with its date
    assert_eq!(across, pages);
    assert!(!f.exists("public/sitemap-4.xml"));
    // robots.txt names the index, absolute, under the site's path
    let robots = f.read("public/robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l == format!("Sitemap: {BASE}sitemap.xml")),
        "{robots}"
    );

    // back under the limit: the numbered files are deleted, sitemap.xml is the single file again
    let c = f.read("config.toml");
    f.write("config.toml", c.replace("max_urls = 6", "max_urls = 15"));
    let mut back = sitemap_changes(&build_changes(&f));
    back.sort();
    assert_eq!(
        back,
        [
            pair("D", "sitemap-1.xml"),
            pair("D", "sitemap-2.xml"),
            pair("D", "sitemap-3.xml"),
            pair("M", "sitemap.xml"),
        ]
    );
    assert_eq!(f.read("public/sitemap.xml"), whole);
}

/// At or under the limits the output is what it always was: one `sitemap.xml`, the same
/// bytes as a site without `[sitemap]`, no numbered file.
#[test]
fn under_the_limits_the_sitemap_is_unchanged() {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = tree(&f.path("public"));
    set_sitemap(&f, "max_urls = 15\nmax_bytes = 50000");
    f.build_ok();
    let after = tree(&f.path("public"));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|x| x.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&before), names(&after));
    let sitemap = |t: &[(String, Vec<u8>)]| {
        t.iter()
            .find(|x| x.0 == "sitemap.xml")
            .map(|x| x.1.clone())
            .unwrap()
    };
    assert_eq!(sitemap(&before), sitemap(&after));
    assert!(!f.exists("public/sitemap-1.xml"));
    validate(&f.path("public/sitemap.xml"), "sitemap-all.xsd");
}

/// The byte limit splits too, on whichever limit comes first: the example site (with English
/// versions, so `xhtml:link` lines) at `max_bytes = 3000`. Every file fits, and is as full as
/// it can be: the next file's first `<url>` would not have fitted (the split counts the bytes
/// the template writes, exactly).
#[test]
fn past_max_bytes_each_file_is_as_full_as_the_limit_allows() {
    let f = Fixture::example();
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let whole = f.read("public/sitemap.xml");
    assert!(
        whole.contains("<xhtml:link"),
        "the example lost its English pages"
    );
    let pages = entries(&whole, "url");
    assert!(whole.len() > 3 * 3000, "{}", whole.len());

    set_sitemap(&f, "max_bytes = 3000");
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let index_xml = f.read("public/sitemap.xml");
    validate(&f.path("public/sitemap.xml"), "sitemap-index.xsd");
    let index = entries(&index_xml, "sitemap");
    // the example's base_url
    let files = numbered_files("http://127.0.0.1:1111/", &index);
    assert!(files.len() >= 4, "{index_xml}");
    let mut across = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let xml = f.read(file);
        validate(&f.path(file), "sitemap-all.xsd");
        assert!(xml.len() <= 3000, "{file}: {} bytes", xml.len());
        if let Some(next) = files.get(i + 1) {
            let next = f.read(next);
            let first = &next[next.find("\n  <url>").unwrap()..];
            let first = &first[..first.find("</url>").unwrap() + "</url>".len()];
            assert!(xml.len() + first.len() > 3000, "{file} could hold one more");
        }
        across.extend(entries(&xml, "url"));
    }
    assert_eq!(across, pages);
}

/// A file of the site named like a numbered sitemap file is refused when the sitemap is
/// split (it is any other file's name otherwise).
#[test]
fn a_static_file_named_like_a_numbered_sitemap_is_refused_when_split() {
    let f = Fixture::new("basic");
    f.write("static/sitemap-2.xml", "<urlset/>");
    f.build_ok();
    assert_eq!(f.read("public/sitemap-2.xml"), "<urlset/>");
    set_sitemap(&f, "max_urls = 6");
    let out = f.bantin(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("static/sitemap-2.xml"), "{err}");
    assert!(err.contains("\"sitemap-2.xml\""), "{err}");
    assert!(err.contains("cách sửa"), "{err}");
}
