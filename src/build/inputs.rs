//! Job fingerprints: for every planned job, a hash of everything its bytes are made from.
//!
//! Rendering is `template(context)` with functions and filters that read the config (and, for
//! `get_url(path="@/…")`, `so_lieu`, `bieu_do`, the content map and the data). So a job's output
//! is fixed by:
//!
//! * the *global* inputs every job shares: the config, the build date, the template files, the
//!   notices sidebar, plus the content map / activity data when some template can reach them;
//! * the job's own inputs, read here exactly where the renderer reads them: the article's summary
//!   and body, its neighbours, its related articles, its section; the slice of a listing on one
//!   pager page; the newest entries of a feed; the sitemap entries; the data files.
//!
//! A job whose fingerprint equals the previous build's keeps its bytes; the others are rendered.
//! Editing a template or `config.toml` changes the global hash and re-renders everything.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;

use crate::plan::{FeedScope, Job, JobKind};
use crate::render::values;
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
    for e in walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
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
    /// Hash of each article's short link value (what neighbours and related lists show).
    pub link: Vec<u64>,
    /// Hash of each article's body (its page and the feeds show it).
    pub body: Vec<u64>,
    section: Vec<u64>,
    /// Position of each article in `by_date`.
    pub rank: Vec<usize>,
    /// Hash of the sitemap entries.
    sitemap: u64,
}

/// The hash of an article's summary value.
pub fn summary_hash(summary: &serde_json::Value) -> u64 {
    Fp::new("summary").json(summary).finish()
}

/// The hash of an article's link value (`values::page_link` of its summary).
pub fn link_hash(summary: &serde_json::Value) -> u64 {
    Fp::new("link").json(&values::page_link(summary)).finish()
}

/// The hash of an article's body as pages and feeds show it.
pub fn body_hash(page: &crate::content::Page) -> u64 {
    Fp::new("body")
        .str(&page.rendered.html)
        .json(&page.rendered.toc)
        .finish()
}

impl Inputs {
    /// `summaries`: every article's `values::page_summary` (the renderer's).
    pub fn new(site: &Site, summaries: &[serde_json::Value], jobs: &[Job]) -> Inputs {
        let pages = site.pages.len();
        let summary: Vec<u64> = summaries.par_iter().map(summary_hash).collect();
        let link: Vec<u64> = summaries.par_iter().map(link_hash).collect();
        let body: Vec<u64> = site.pages.par_iter().map(body_hash).collect();
        let section: Vec<u64> = (0..site.sections.len())
            .map(|s| {
                let m = &site.sections[s].section.meta;
                Fp::new("section")
                    .json(&values::section_value(site, s))
                    .debug(&(&m.template, &m.page_template, m.paginate_by))
                    .finish()
            })
            .collect();
        let mut rank = vec![0; pages];
        for (r, &i) in site.by_date.iter().enumerate() {
            rank[i] = r;
        }
        let data = tree_hash(&site.root.join("content").join(crate::config::DATA_DIR));

        // Global inputs.
        let mut g = Fp::new("global");
        g.debug(&site.config)
            .str(&site.build_date.format("%Y-%m-%d").to_string())
            .debug(&site.data.is_some());
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
            link,
            body,
            section,
            rank,
            sitemap: sitemap(site, jobs),
        }
    }

    /// Hashes article `i`'s summary into `fp`, noting that the job reads it.
    fn summary(&self, fp: &mut Fp, i: usize, reads: &mut Vec<usize>) {
        reads.push(i);
        fp.usize(i).u64(self.summary[i]);
    }

    /// Hashes article `i`'s link value into `fp`, noting that the job reads it.
    fn link(&self, fp: &mut Fp, i: Option<usize>, reads: &mut Vec<usize>) {
        reads.extend(i);
        fp.opt(i.map(|i| self.link[i]));
    }

    fn slice(&self, fp: &mut Fp, list: &[usize], pager: usize, per: usize, reads: &mut Vec<usize>) {
        fp.usize(list.len());
        for &i in list.iter().skip((pager - 1) * per).take(per) {
            self.summary(fp, i, reads);
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

    /// The fingerprint of one job. `reads` receives the articles whose summary, link or body
    /// it hashed.
    pub fn job(&self, site: &Site, job: &Job, reads: &mut Vec<usize>) -> u64 {
        let cfg = &site.config.raw;
        let mut fp = Fp::new("job");
        fp.str(&job.output);
        match &job.kind {
            JobKind::Bytes(b) => return bytes_job(&job.output, b),
            JobKind::Copy { src } => {
                let meta = std::fs::metadata(src).ok();
                return fp
                    .debug(src)
                    .debug(&meta.as_ref().map(|m| (m.len(), m.modified().ok())))
                    .finish();
            }
            JobKind::Alias { to } => return fp.str("alias").str(to).finish(),
            kind => {
                fp.u64(self.global).debug(kind);
            }
        }
        match &job.kind {
            JobKind::Home => {
                let root = site
                    .sections
                    .iter()
                    .position(|s| s.section.dir.is_empty())
                    .unwrap_or(0);
                fp.u64(self.section[root]);
                // the newest articles, with room for the notices the home page skips
                let n = cfg.home_latest + cfg.notices_limit;
                for &i in site.by_date.iter().take(n) {
                    self.summary(&mut fp, i, reads);
                }
            }
            JobKind::Section { section, pager, .. } => {
                let node = &site.sections[*section];
                let per = node.section.meta.paginate_by.unwrap_or(cfg.paginate_by);
                fp.u64(self.section[*section]).usize(per);
                self.slice(&mut fp, &node.pages, *pager, per, reads);
            }
            JobKind::Page(i) => {
                let i = *i;
                let p = &site.pages[i];
                reads.push(i);
                fp.u64(self.summary[i])
                    .u64(self.body[i])
                    .u64(self.section[site.page_section[i]])
                    .debug(&p.meta.template);
                let (higher, lower) = site.neighbours(i);
                self.link(&mut fp, higher, reads);
                self.link(&mut fp, lower, reads);
                fp.usize(site.related[i].len());
                for &j in &site.related[i] {
                    self.link(&mut fp, Some(j), reads);
                }
            }
            JobKind::TaxonomyList(t) => {
                let tax = &site.taxonomies[*t];
                fp.debug(&tax.config);
                for term in &tax.terms {
                    fp.str(&term.name).str(&term.slug).usize(term.pages.len());
                }
            }
            JobKind::Term {
                taxonomy,
                term,
                pager,
                ..
            } => {
                let tax = &site.taxonomies[*taxonomy];
                let tm = &tax.terms[*term];
                let per = tax.config.paginate_by.unwrap_or(cfg.paginate_by);
                fp.debug(&tax.config).str(&tm.name).str(&tm.slug).usize(per);
                self.slice(&mut fp, &tm.pages, *pager, per, reads);
            }
            JobKind::Feed { scope, .. } => {
                let list: &[usize] = match scope {
                    FeedScope::Site => &site.by_date,
                    FeedScope::Section(s) => {
                        fp.u64(self.section[*s]);
                        &site.sections[*s].pages
                    }
                    FeedScope::Term { taxonomy, term } => {
                        let tax = &site.taxonomies[*taxonomy];
                        let tm = &tax.terms[*term];
                        fp.debug(&tax.config).str(&tm.name).str(&tm.slug);
                        &tm.pages
                    }
                };
                let mut list = list.to_vec();
                list.sort_by_key(|&i| self.rank[i]);
                for &i in list.iter().take(cfg.feed_limit) {
                    self.summary(&mut fp, i, reads);
                    fp.u64(self.body[i]);
                }
                let updated = list
                    .iter()
                    .filter_map(|&i| site.pages[i].updated.or(site.pages[i].date))
                    .max()
                    .unwrap_or(site.build_date);
                fp.str(&updated.to_rfc3339());
            }
            JobKind::Sitemap => {
                fp.u64(self.sitemap);
            }
            JobKind::Robots | JobKind::NotFound | JobKind::SearchPage => {}
            JobKind::AreaList
            | JobKind::ProjectList
            | JobKind::Overview
            | JobKind::OpenDataIndex
            | JobKind::ReportCsv(_)
            | JobKind::DataJson => {
                fp.u64(self.data);
            }
            JobKind::Area { area, pager, .. } => {
                fp.u64(self.data);
                if let Some(a) = site.data.as_ref().and_then(|d| d.areas.get(*area)) {
                    let list = site.pages_by_area.get(&a.id).cloned().unwrap_or_default();
                    self.slice(&mut fp, &list, *pager, cfg.paginate_by, reads);
                }
            }
            JobKind::Project(p) => {
                fp.u64(self.data);
                if let Some(pr) = site.data.as_ref().and_then(|d| d.projects.get(*p)) {
                    let list = site
                        .pages_by_project
                        .get(&pr.id)
                        .cloned()
                        .unwrap_or_default();
                    for &i in list.iter().take(20) {
                        self.summary(&mut fp, i, reads);
                    }
                }
            }
            JobKind::Bytes(_) | JobKind::Copy { .. } | JobKind::Alias { .. } => {}
        }
        fp.finish()
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
