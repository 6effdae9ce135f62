//! Job fingerprints: for every planned job, a hash of everything its bytes are made from.
//!
//! Rendering is `template(context)` with functions and filters that read the config (and, for
//! `get_url(path="@/…")`, `so_lieu`, `bieu_do`, the content map and the data). So a job's output
//! is fixed by:
//!
//! * the *global* inputs every job shares: the config, the build date, the template files, the
//!   notices sidebar, plus the content map / activity data when some template can reach them;
//! * the job's own inputs, as [`crate::plan::reads`] declares them: the article's summary and
//!   body, its neighbours, its related articles, its section; the slice of a listing on one
//!   pager page; the newest entries of a feed; the sitemap entries; the data files. This module
//!   hashes each of them once per run and combines the hashes per job.
//!
//! A job whose fingerprint equals the previous build's keeps its bytes; the others are rendered.
//! Editing a template or `config.toml` changes the global hash and re-renders everything.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;

use crate::plan::reads::Reads;
use crate::plan::{self, Job};
use crate::render::{values, TValue};
use crate::site::Site;

/// A streaming hash (SipHash with fixed keys: the same input gives the same value in every run
/// of the process, which is all an in-memory cache needs).
pub struct Fp(DefaultHasher);

impl Fp {
    pub fn new(tag: &str) -> Fp {
        let mut h = DefaultHasher::new();
        tag.hash(&mut h);
        Fp(h)
    }
    pub fn str(&mut self, s: &str) -> &mut Self {
        s.hash(&mut self.0);
        self
    }
    pub fn bytes(&mut self, b: &[u8]) -> &mut Self {
        b.hash(&mut self.0);
        self
    }
    pub fn u64(&mut self, v: u64) -> &mut Self {
        v.hash(&mut self.0);
        self
    }
    pub fn usize(&mut self, v: usize) -> &mut Self {
        v.hash(&mut self.0);
        self
    }
    pub fn opt(&mut self, v: Option<u64>) -> &mut Self {
        v.hash(&mut self.0);
        self
    }
    /// Hashes a serialisable value through its JSON form, without building the string.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, v: &T) -> &mut Self {
        let _ = serde_json::to_writer(HashWriter(&mut self.0), v);
        self.0.write_u8(0xff);
        self
    }
    /// Hashes a value through its `Debug` form (for config structs without `Serialize`).
    pub fn debug<T: std::fmt::Debug + ?Sized>(&mut self, v: &T) -> &mut Self {
        use std::fmt::Write;
        let _ = write!(FmtWriter(&mut self.0), "{v:?}");
        self.0.write_u8(0xfe);
        self
    }
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

struct HashWriter<'a>(&'a mut DefaultHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct FmtWriter<'a>(&'a mut DefaultHasher);

impl std::fmt::Write for FmtWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.write(s.as_bytes());
        Ok(())
    }
}

/// The fingerprint of a file whose bytes are known (`JobKind::Bytes`).
pub fn bytes_job(output: &str, bytes: &[u8]) -> u64 {
    Fp::new("job").str(output).bytes(bytes).finish()
}

/// Hash of every file under `dir` (relative path and bytes), in name order; 0 if none.
pub fn tree_hash(dir: &Path) -> u64 {
    let mut fp = Fp::new("tree");
    if !dir.is_dir() {
        return 0;
    }
    for e in crate::fsutil::walk_sorted(dir).into_iter().flatten() {
        if e.file_type().is_file() {
            fp.str(&crate::diag::display_path(dir, e.path()));
            match std::fs::read(e.path()) {
                Ok(b) => fp.bytes(&b),
                Err(_) => fp.str("(unreadable)"),
            };
        }
    }
    fp.finish()
}

/// Whether some template calls `name(`, e.g. `so_lieu (` (but not `so_lieu_chinh(`).
fn calls(text: &str, name: &str) -> bool {
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let ident = |c: char| c.is_alphanumeric() || c == '_';
        if before.is_some_and(ident) {
            return false;
        }
        text[i + name.len()..].trim_start().starts_with('(')
    })
}

/// Per-build hashes of the Site's parts, from which each job's fingerprint is assembled. Owned
/// (no borrow of the Site), so `serve` keeps them and updates an edited article's entries.
pub struct Inputs {
    global: u64,
    data: u64,
    /// Hash of each article's summary value (what listings and feeds show).
    pub summary: Vec<u64>,
    /// Hash of each article's body (its page and the feeds show it).
    pub body: Vec<u64>,
    section: Vec<u64>,
    /// Hash of the sitemap entries.
    sitemap: u64,
}

/// The hash of an article's summary value.
pub fn summary_hash(summary: &TValue) -> u64 {
    Fp::new("summary").json(summary).finish()
}

/// The hash of an article's body as pages and feeds show it.
pub fn body_hash(page: &crate::content::Page) -> u64 {
    Fp::new("body")
        .bytes(page.rendered.html.text().as_bytes())
        .json(&page.rendered.toc)
        .finish()
}

impl Inputs {
    /// `summaries`: every article's `values::page_summary` (the renderer's).
    pub fn new(site: &Site, summaries: &[TValue], jobs: &[Job]) -> Inputs {
        let summary: Vec<u64> = summaries.par_iter().map(summary_hash).collect();
        let body: Vec<u64> = site.pages.par_iter().map(body_hash).collect();
        let section: Vec<u64> = (0..site.sections.len())
            .map(|s| {
                let m = &site.sections[s].section.meta;
                Fp::new("section")
                    .json(&values::section_value(site, s))
                    .debug(&(&m.template, &m.page_template, m.paginate_by, m.van_ban))
                    .finish()
            })
            .collect();
        let data = tree_hash(&site.root.join("content").join(crate::config::DATA_DIR));

        // Global inputs.
        let mut g = Fp::new("global");
        g.debug(&site.config)
            .str(&site.build_date.format("%Y-%m-%d").to_string())
            .debug(&site.data.is_some());
        // The `taxonomies` global lists the taxonomies that have terms.
        for t in &site.taxonomies {
            g.debug(&(&t.config.name, t.terms.is_empty()));
        }
        let mut templates = String::new();
        for path in crate::render::template_files(site).values() {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            g.str(&crate::diag::display_path(&site.root, path))
                .str(&text);
            templates.push_str(&text);
            templates.push('\n');
        }
        let notices = site.notices();
        for &i in &notices {
            g.u64(summary[i]);
        }
        if templates.contains("@/") {
            // get_url(path="@/…") reads the content map.
            let mut map: Vec<(&str, &str)> = site
                .page_by_content
                .iter()
                .map(|(c, &i)| (c.as_str(), site.pages[i].path.as_str()))
                .chain(
                    site.section_by_content
                        .iter()
                        .map(|(c, &i)| (c.as_str(), site.sections[i].section.path.as_str())),
                )
                .collect();
            map.sort_unstable();
            g.debug(&map);
        }
        if calls(&templates, "so_lieu") || calls(&templates, "bieu_do") {
            g.u64(data);
        }
        Inputs {
            global: g.finish(),
            data,
            summary,
            body,
            section,
            sitemap: sitemap(site, jobs),
        }
    }

    /// The fingerprint of every job, in job order, and for every article the jobs (indices)
    /// whose fingerprint reads its summary, link or body: an edit of that article's body
    /// changes no other fingerprint.
    pub fn fingerprints(&self, site: &Site, jobs: &[Job]) -> (Vec<u64>, Vec<Vec<u32>>) {
        let per_job: Vec<(u64, Vec<usize>)> = jobs
            .par_iter()
            .map(|j| {
                let mut reads = Vec::new();
                let fp = self.job(site, j, &mut reads);
                (fp, reads)
            })
            .collect();
        let mut readers: Vec<Vec<u32>> = vec![Vec::new(); site.pages.len()];
        let mut fps = Vec::with_capacity(jobs.len());
        for (j, (fp, reads)) in per_job.into_iter().enumerate() {
            fps.push(fp);
            for i in reads {
                if readers[i].last() != Some(&(j as u32)) {
                    readers[i].push(j as u32);
                }
            }
        }
        (fps, readers)
    }

    /// The fingerprint of one job: the hash of what [`plan::reads`] declares it reads.
    /// `reads` receives the articles whose summary, link or body it hashed.
    pub fn job(&self, site: &Site, job: &Job, reads: &mut Vec<usize>) -> u64 {
        let mut h = Hashing {
            inputs: self,
            fp: Fp::new("job"),
            reads,
        };
        h.fp.str(&job.output);
        plan::reads::job_reads(site, job, &mut h);
        h.fp.finish()
    }
}

/// A job's fingerprint being made from its declared inputs.
struct Hashing<'a> {
    inputs: &'a Inputs,
    fp: Fp,
    reads: &'a mut Vec<usize>,
}

impl Reads for Hashing<'_> {
    fn shared(&mut self) {
        self.fp.u64(self.inputs.global);
    }
    fn summary(&mut self, i: usize) {
        self.reads.push(i);
        self.fp.usize(i).u64(self.inputs.summary[i]);
    }
    fn link(&mut self, i: Option<usize>) {
        self.reads.extend(i);
        // neighbours and related lists carry the article's summary
        self.fp.opt(i.map(|i| self.inputs.summary[i]));
    }
    fn body(&mut self, i: usize) {
        self.reads.push(i);
        self.fp.u64(self.inputs.body[i]);
    }
    fn section(&mut self, s: usize) {
        self.fp.u64(self.inputs.section[s]);
    }
    fn data(&mut self) {
        self.fp.u64(self.inputs.data);
    }
    fn sitemap(&mut self) {
        self.fp.u64(self.inputs.sitemap);
    }
    fn file(&mut self, src: &Path) {
        let meta = std::fs::metadata(src).ok();
        self.fp
            .debug(src)
            .debug(&meta.as_ref().map(|m| (m.len(), m.modified().ok())));
    }
    fn bytes(&mut self, b: &[u8]) {
        self.fp.bytes(b);
    }
    fn value(&mut self, v: &dyn std::fmt::Debug) {
        self.fp.debug(v);
    }
}

/// Hash of the sitemap entries (the listed pages and their dates).
fn sitemap(site: &Site, jobs: &[Job]) -> u64 {
    let lastmod = site.lastmod_dates();
    let mut fp = Fp::new("sitemap");
    for j in jobs.iter().filter(|j| j.in_sitemap()) {
        let path = j.site_path();
        fp.str(&path).debug(&lastmod.get(path.as_str()));
    }
    fp.finish()
}

#[cfg(test)]
mod tests {
    use super::calls;

    #[test]
    fn finds_function_calls_only() {
        assert!(calls("{{ so_lieu(report=\"x\") }}", "so_lieu"));
        assert!(calls("{{ so_lieu (report=\"x\") }}", "so_lieu"));
        assert!(!calls("{{ d::so_lieu_chinh(b=x) }}", "so_lieu"));
        assert!(!calls("{{ not_so_lieu(b=x) }}", "so_lieu"));
        assert!(!calls("so_lieu là số liệu", "so_lieu"));
    }
}
