//! The article list: the site's model as the build loads it ([`Site::load`], drafts included),
//! kept in a [`Catalog`] and filtered by the query string (`q`, `chuyen_muc`, `trang_thai`),
//! newest first.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::site::{Site, SiteOptions};

/// Rows shown at most; the rest are counted (filters narrow the list).
pub const SHOWN: usize = 200;

#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// Words looked for in the title, the author and the file name, without regard to case or
    /// diacritics (`dak ha` finds `Đăk Hà`).
    pub q: String,
    /// A section folder (`tin-tuc`), or empty for all.
    pub section: String,
    /// `nhap`, `cho-duyet`, `tra-lai`, `hen-gio`, `da-dang`, or empty for all.
    pub status: String,
    /// One author as written in `authors` (display names), an area id, a project id of the
    /// site's data; each empty for all.
    pub author: String,
    pub area: String,
    pub project: String,
}

impl Filter {
    pub fn from_query(query: Option<&str>) -> Filter {
        let mut f = Filter::default();
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let v = v.trim().chars().take(200).collect();
            match k.as_ref() {
                "q" => f.q = v,
                "chuyen_muc" => f.section = v,
                "trang_thai" => f.status = v,
                "tac_gia" => f.author = v,
                "dia_ban" => f.area = v,
                "du_an" => f.project = v,
                _ => {}
            }
        }
        f
    }
}

#[derive(Debug, Clone)]
pub struct ArticleRow {
    pub title: String,
    /// `content/tin-tuc/a.md`.
    pub file: String,
    pub section: String,
    pub draft: bool,
    pub authors: String,
    /// `18/07/2024`, or empty.
    pub date: String,
    /// `trang_thai` (`cho-duyet`, `tra-lai`), or empty.
    pub status: String,
    /// Not a draft, but dated after now: the build leaves it out until then.
    pub scheduled: bool,
    /// `authors`, `areas` and `projects` as in the front matter, for the filters.
    pub author_list: Vec<String>,
    pub areas: Vec<String>,
    pub projects: Vec<String>,
    /// Its date, for the scheduler.
    pub when: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Site path without base (`tin-tuc/a/`).
    pub path: String,
}

#[derive(Debug, Default)]
pub struct Listing {
    pub rows: Vec<ArticleRow>,
    /// Articles matching the filter, and in the site.
    pub matched: usize,
    pub total: usize,
    /// (folder, title) of every section with articles, for the filter.
    pub sections: Vec<(String, String)>,
    /// Every author named by an article, sorted the Vietnamese way; (id, name) of the data's
    /// areas and projects: the other filters' choices.
    pub authors: Vec<String>,
    pub areas: Vec<(String, String)>,
    pub projects: Vec<(String, String)>,
    /// Errors that kept the site from loading, as `bantin check` prints them.
    pub problems: Vec<String>,
}

fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// Every article of one load of the site, newest first, ready to filter.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The [`Catalog`] generation this load saw.
    generation: u64,
    /// (row, section folder, folded text searched).
    rows: Vec<(ArticleRow, String, String)>,
    sections: Vec<(String, String)>,
    problems: Vec<String>,
    /// What the edit form offers (sections, areas, projects, terms).
    pub choices: super::article::Choices,
    /// `base_url` of the configuration, for links to the live site.
    pub base_url: String,
}

impl Loaded {
    /// (title, live URL) of the article in file `rel` (`content/tin-tuc/a.md`).
    pub fn live(&self, rel: &str) -> Option<(String, String)> {
        let (row, _, _) = self.rows.iter().find(|(r, _, _)| r.file == rel)?;
        let url = format!("{}/{}", self.base_url.trim_end_matches('/'), row.path);
        Some((row.title.clone(), url))
    }

    /// The earliest date after `after` of an article that is not a draft.
    pub fn next_due(
        &self,
        after: chrono::DateTime<chrono::FixedOffset>,
    ) -> Option<chrono::DateTime<chrono::FixedOffset>> {
        self.rows
            .iter()
            .filter(|(r, _, _)| !r.draft)
            .filter_map(|(r, _, _)| r.when)
            .filter(|d| *d > after)
            .min()
    }
}

/// The site's articles, loaded once and again only after a source changed (the editor's
/// watcher calls [`Catalog::changed`] and then warms it): a load reads every article (seconds at
/// 10 000 in a debug build), a filter is a scan of the rows in memory.
#[derive(Debug)]
pub struct Catalog {
    root: PathBuf,
    loaded: Mutex<Option<Arc<Loaded>>>,
    generation: AtomicU64,
    /// No watcher tells of changes: every [`Catalog::current`] loads.
    unwatched: AtomicBool,
}

impl Catalog {
    pub fn new(root: PathBuf) -> Catalog {
        Catalog {
            root,
            loaded: Mutex::new(None),
            generation: AtomicU64::new(0),
            unwatched: AtomicBool::new(false),
        }
    }

    /// Changes will not be told: load on every [`Catalog::current`].
    pub fn unwatched(&self) {
        self.unwatched.store(true, Ordering::SeqCst);
    }

    /// A source changed: the next [`Catalog::current`] loads again.
    pub fn changed(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The articles as the sources are now. Blocking: one caller loads while the others wait
    /// for its result.
    pub fn current(&self) -> Arc<Loaded> {
        let mut slot = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        let generation = self.generation.load(Ordering::SeqCst);
        let fresh =
            |l: &&Arc<Loaded>| l.generation == generation && !self.unwatched.load(Ordering::SeqCst);
        if let Some(l) = slot.as_ref().filter(fresh) {
            return l.clone();
        }
        let l = Arc::new(load(&self.root, generation));
        *slot = Some(l.clone());
        l
    }
}

/// Loads the site at `root` (drafts included) through the build's loader.
fn load(root: &Path, generation: u64) -> Loaded {
    let opts = SiteOptions {
        include_drafts: true,
        base_url: None,
        overlay: None,
    };
    let (site, diags) = Site::load(root, &opts);
    let problems = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    let mut loaded = Loaded {
        generation,
        problems,
        ..Loaded::default()
    };
    let Some(site) = site else {
        return loaded;
    };
    loaded.choices = choices(&site);
    loaded.base_url = site.config.raw.base_url.clone();
    let now = crate::content::load::publish_now();
    for node in &site.sections {
        if !node.pages.is_empty() {
            let s = &node.section;
            loaded.sections.push((s.dir.clone(), s.title.clone()));
        }
    }
    for &i in &site.by_date {
        let p = &site.pages[i];
        let row = ArticleRow {
            title: p.title.clone(),
            file: p.source.display.clone(),
            section: site.section_of(i).section.title.clone(),
            draft: p.meta.draft,
            authors: p.meta.authors.join(", "),
            date: p
                .date
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            status: p
                .meta
                .trang_thai
                .map(|s| s.id().to_string())
                .unwrap_or_default(),
            scheduled: !p.meta.draft && p.date.is_some_and(|d| d > now),
            author_list: p
                .meta
                .authors
                .iter()
                .map(|a| a.trim().to_string())
                .collect(),
            areas: p.meta.areas.iter().map(|a| a.get_ref().clone()).collect(),
            projects: p
                .meta
                .projects
                .iter()
                .map(|a| a.get_ref().clone())
                .collect(),
            when: p.date,
            path: p.path.clone(),
        };
        let hay = fold(&format!("{} {} {}", row.title, row.authors, row.file));
        loaded.rows.push((row, p.section.clone(), hay));
    }
    loaded
}

/// The articles `filter` keeps, newest first, at most [`SHOWN`] of them.
pub fn list(loaded: &Loaded, filter: &Filter) -> Listing {
    let words: Vec<String> = fold(&filter.q)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut listing = Listing {
        total: loaded.rows.len(),
        sections: loaded.sections.clone(),
        authors: authors(loaded),
        areas: loaded.choices.areas.clone(),
        projects: loaded.choices.projects.clone(),
        problems: loaded.problems.clone(),
        ..Listing::default()
    };
    for (row, section, hay) in &loaded.rows {
        let status_ok = match filter.status.as_str() {
            "nhap" => row.draft && row.status.is_empty(),
            "cho-duyet" => row.draft && row.status == "cho-duyet",
            "tra-lai" => row.draft && row.status == "tra-lai",
            "hen-gio" => row.scheduled,
            "da-dang" => !row.draft && !row.scheduled,
            _ => true,
        };
        let section_ok = filter.section.is_empty() || filter.section == *section;
        let among = |want: &str, have: &[String]| want.is_empty() || have.iter().any(|h| h == want);
        let keep = status_ok
            && section_ok
            && among(&filter.author, &row.author_list)
            && among(&filter.area, &row.areas)
            && among(&filter.project, &row.projects);
        if keep && words.iter().all(|w| hay.contains(w.as_str())) {
            listing.matched += 1;
            if listing.rows.len() < SHOWN {
                listing.rows.push(row.clone());
            }
        }
    }
    listing
}

/// Every author the articles name, once, sorted the Vietnamese way.
fn authors(loaded: &Loaded) -> Vec<String> {
    let mut all: Vec<String> = loaded
        .rows
        .iter()
        .flat_map(|(r, _, _)| r.author_list.iter().cloned())
        .filter(|a| !a.is_empty())
        .collect();
    crate::locale::sort_vi(&mut all, |a| a.as_str());
    all.dedup();
    all
}

/// The edit form's choices from a loaded site.
fn choices(site: &Site) -> super::article::Choices {
    let mut c = super::article::Choices::default();
    for node in &site.sections {
        let s = &node.section;
        // A document section's articles are bundles with keys of their own: `bantin new`
        // makes them; the form does not offer these sections for a new article yet.
        if !s.dir.is_empty() && !s.meta.van_ban {
            c.sections.push((s.dir.clone(), s.title.clone()));
        }
    }
    if let Some(data) = &site.data {
        c.areas = data
            .areas
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect();
        c.projects = (0..data.projects.len())
            .map(|i| {
                let p = &data.projects[i];
                let label = data.project_label(i);
                let label = if label == p.name {
                    label
                } else {
                    format!("{label} – {}", p.name)
                };
                (p.id.clone(), label)
            })
            .collect();
    }
    c.pickers = super::tools::pickers(site);
    c.taxonomies = site
        .taxonomies
        .iter()
        .map(|t| {
            let names = t.terms.iter().map(|term| term.name.clone()).collect();
            (t.config.name.clone(), t.config.title.clone(), names)
        })
        .collect();
    c
}
