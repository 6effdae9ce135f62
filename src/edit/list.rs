//! The article list: the site's model as the build loads it ([`Site::load`], drafts included),
//! filtered by the query string (`q`, `chuyen_muc`, `trang_thai`), newest first.

use std::path::Path;

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
    /// `nhap`, `da-dang`, or empty for all.
    pub status: String,
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
}

#[derive(Debug, Default)]
pub struct Listing {
    pub rows: Vec<ArticleRow>,
    /// Articles matching the filter, and in the site.
    pub matched: usize,
    pub total: usize,
    /// (folder, title) of every section with articles, for the filter.
    pub sections: Vec<(String, String)>,
    /// Errors that kept the site from loading, as `bantin check` prints them.
    pub problems: Vec<String>,
}

fn fold(s: &str) -> String {
    deunicode::deunicode(s).to_lowercase()
}

/// Loads the site at `root` and lists the articles `filter` keeps.
pub fn list(root: &Path, filter: &Filter) -> Listing {
    let opts = SiteOptions {
        include_drafts: true,
        base_url: None,
    };
    let (site, diags) = Site::load(root, &opts);
    let problems = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    let Some(site) = site else {
        return Listing {
            problems,
            ..Listing::default()
        };
    };
    let words: Vec<String> = fold(&filter.q)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let mut listing = Listing {
        total: site.pages.len(),
        problems,
        ..Listing::default()
    };
    for node in &site.sections {
        if !node.pages.is_empty() {
            let s = &node.section;
            listing.sections.push((s.dir.clone(), s.title.clone()));
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
        };
        let status_ok = match filter.status.as_str() {
            "nhap" => row.draft,
            "da-dang" => !row.draft,
            _ => true,
        };
        let section_ok = filter.section.is_empty() || filter.section == p.section;
        let hay = fold(&format!("{} {} {}", row.title, row.authors, row.file));
        if status_ok && section_ok && words.iter().all(|w| hay.contains(w.as_str())) {
            listing.matched += 1;
            if listing.rows.len() < SHOWN {
                listing.rows.push(row);
            }
        }
    }
    listing
}
