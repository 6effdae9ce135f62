//! Sitemaps within the protocol (sitemaps.org): at most 50 000 URLs and 50 MB (uncompressed) a
//! file. Under both limits the site has its one `sitemap.xml`, as it always had; past either,
//! `sitemap.xml` becomes a sitemap index naming `sitemap-1.xml`, `sitemap-2.xml`, … each
//! holding the next run of URLs in the usual order, as many as fit.
//!
//! The split is decided while planning, because every file is a job (serve, `--changes` and
//! the rebuild fingerprints see the numbered files as ordinary outputs). Planning renders
//! nothing, so a file's bytes are counted as the default theme's `sitemap.xml` writes them
//! ([`entry_bytes`]); rendering checks the real bytes against the limit
//! ([`check_rendered`]), so a theme whose template writes more per URL gets an error naming
//! the key to lower rather than a sitemap search engines refuse.

use crate::diag::Diagnostic;
use crate::plan::{Job, JobKind};
use crate::site::Site;

// The limits live with the configuration that sets them (config reads no plan code).
pub use crate::config::{
    SitemapLimits as Limits, SITEMAP_MAX_BYTES as MAX_BYTES, SITEMAP_MAX_URLS as MAX_URLS,
};

/// One numbered file named by the index: its output path and the newest `lastmod` of its URLs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndexEntry {
    pub output: String,
    pub lastmod: Option<String>,
}

/// `sitemap.xml` before the first `<url>` (the xhtml namespace only when some page has
/// language versions) and after the last, as the default template writes them.
fn frame_bytes(alternates: bool) -> usize {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">";
    let ns = " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"";
    let tail = "\n</urlset>\n";
    head.len() + if alternates { ns.len() } else { 0 } + tail.len()
}

/// The bytes of one `<url>` element as the default template writes it.
fn entry_bytes(permalink: &str, lastmod: Option<&str>, alternates: &[(&str, String)]) -> usize {
    let mut n = "\n  <url>\n    <loc></loc>\n  </url>".len() + crate::escape::xml(permalink).len();
    if let Some(d) = lastmod {
        n += "\n    <lastmod></lastmod>".len() + crate::escape::xml(d).len();
    }
    for (lang, href) in alternates {
        n += "\n    <xhtml:link rel=\"alternate\" hreflang=\"\" href=\"\"/>".len()
            + lang.len()
            + crate::escape::xml(href).len();
    }
    n
}

/// The language versions the sitemap lists for the page at `path`: each version, then
/// `x-default` (the Vietnamese page); none without twins.
fn alternates<'s>(site: &'s Site, path: &str) -> Vec<(&'s str, String)> {
    let Some(list) = site.alternates.get(path) else {
        return Vec::new();
    };
    let cfg = &site.config;
    let mut out: Vec<(&str, String)> = list
        .iter()
        .map(|a| (a.lang.as_str(), cfg.permalink(&a.path)))
        .collect();
    if let Some(vi) = list.iter().find(|a| a.lang == "vi") {
        out.push(("x-default", cfg.permalink(&vi.path)));
    }
    out
}

/// Replaces the `sitemap.xml` job of `jobs` (sorted, final) by an index and its numbered files
/// when the site's URLs do not fit in one file. `jobs` stays sorted. A numbered file's name
/// taken by a file of the site is an error.
pub fn split(site: &Site, jobs: &mut Vec<Job>, diags: &mut Vec<Diagnostic>) {
    let limits = site.config.sitemap_limits();
    let lastmod = site.lastmod_dates();
    let with_alternates = !site.alternates.is_empty();
    let frame = frame_bytes(with_alternates);
    // (bytes, lastmod) of every listed page, in the sitemap's order
    let entries: Vec<(usize, Option<&String>)> = jobs
        .iter()
        .filter(|j| j.in_sitemap())
        .map(|j| {
            let path = j.site_path();
            let date = lastmod.get(path.as_str());
            let alts = alternates(site, &path);
            let bytes = entry_bytes(
                &site.config.permalink(&path),
                date.map(String::as_str),
                &alts,
            );
            (bytes, date)
        })
        .collect();
    let total: usize = frame + entries.iter().map(|e| e.0).sum::<usize>();
    if entries.len() <= limits.urls && total <= limits.bytes {
        return;
    }
    // greedy, in order: a file takes URLs while both limits hold (at least one URL a file)
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let (mut start, mut bytes) = (0, frame);
    for (i, (b, _)) in entries.iter().enumerate() {
        if i > start && (i - start >= limits.urls || bytes + b > limits.bytes) {
            ranges.push((start, i));
            (start, bytes) = (i, frame);
        }
        bytes += b;
    }
    ranges.push((start, entries.len()));
    let files: Vec<IndexEntry> = ranges
        .iter()
        .enumerate()
        .map(|(n, &(s, e))| IndexEntry {
            output: part_name(n + 1),
            lastmod: entries[s..e].iter().filter_map(|x| x.1).max().cloned(),
        })
        .collect();
    let taken: std::collections::HashMap<String, Option<String>> = jobs
        .iter()
        .map(|j| (j.output.to_lowercase(), j.source.clone()))
        .collect();
    let mut clash = false;
    for f in &files {
        if let Some(src) = taken.get(&f.output) {
            clash = true;
            let what = src.clone().unwrap_or_else(|| "(trang tự sinh)".into());
            diags.push(
                Diagnostic::error(format!(
                    "hai nguồn cùng tạo ra tệp \"{}\": {what} và sơ đồ trang (sitemap: trang có {} địa chỉ, quá {} địa chỉ hoặc {} byte một tệp nên được chia thành nhiều tệp)",
                    f.output,
                    entries.len(),
                    limits.urls,
                    limits.bytes
                ))
                .in_file(what)
                .hint("đổi tên tệp này: sitemap-1.xml, sitemap-2.xml… ở gốc trang dành cho sơ đồ trang"),
            );
        }
    }
    if clash {
        return;
    }
    for (n, &(s, e)) in ranges.iter().enumerate() {
        jobs.push(Job {
            output: part_name(n + 1),
            kind: JobKind::SitemapPart { start: s, end: e },
            source: None,
        });
    }
    if let Some(j) = jobs.iter_mut().find(|j| j.kind == JobKind::Sitemap) {
        j.kind = JobKind::SitemapIndex(files);
    }
    jobs.sort_by(|a, b| a.output.cmp(&b.output));
}

/// `sitemap-N.xml`, N from 1.
fn part_name(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The sitemap index naming `files` (absolute URLs, under the site's path).
pub fn index_xml(site: &Site, files: &[IndexEntry]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for f in files {
        s.push_str("  <sitemap>\n    <loc>");
        s.push_str(&crate::escape::xml(&site.config.permalink(&f.output)));
        s.push_str("</loc>\n");
        if let Some(d) = &f.lastmod {
            s.push_str("    <lastmod>");
            s.push_str(&crate::escape::xml(d));
            s.push_str("</lastmod>\n");
        }
        s.push_str("  </sitemap>\n");
    }
    s.push_str("</sitemapindex>\n");
    s
}

/// A rendered sitemap file (whole, or numbered) over the byte limit: the theme's template
/// writes more per URL than the split counted.
pub fn check_rendered(site: &Site, job: &Job, bytes: &[u8]) -> Result<(), Diagnostic> {
    let limits = site.config.sitemap_limits();
    if bytes.len() <= limits.bytes {
        return Ok(());
    }
    Err(Diagnostic::error(format!(
        "sơ đồ trang \"{}\" dài {} byte, quá giới hạn {} byte một tệp (mẫu sitemap.xml của giao diện viết mỗi địa chỉ dài hơn mẫu mặc định)",
        job.output,
        bytes.len(),
        limits.bytes
    ))
    .in_file("config.toml")
    .hint("đặt số địa chỉ mỗi tệp nhỏ hơn trong config.toml, ví dụ [sitemap] max_urls = 20000 (hoặc bỏ max_bytes nếu đã đặt nó quá nhỏ), hoặc rút gọn mẫu templates/sitemap.xml"))
}
