//! Front matter of articles and sections (the one definition of each), and the loaded
//! `Page` / `Section` values the rest of the pipeline reads.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use toml::Spanned;

use crate::markdown::Rendered;

/// Front matter of an article (`*.md`, `slug/index.md`). Zola-compatible keys plus the domain
/// keys `areas` and `projects`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// A TOML date/datetime or a string; local values take +07:00.
    #[serde(default)]
    pub date: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub updated: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub taxonomies: SortedMap<Vec<Spanned<String>>>,
    /// Ids of areas (districts, communes) the article reports on.
    #[serde(default)]
    pub areas: Vec<Spanned<String>>,
    /// Ids of projects the article reports on.
    #[serde(default)]
    pub projects: Vec<Spanned<String>>,
    /// Legal-document keys (văn bản), taken in a section with `van_ban = true` only; read
    /// and checked by `site::van_ban`, which knows the section and the bundle's files.
    #[serde(default)]
    pub loai: Option<Spanned<String>>,
    #[serde(default)]
    pub so_ky_hieu: Option<Spanned<String>>,
    #[serde(default)]
    pub co_quan_ban_hanh: Option<Spanned<String>>,
    #[serde(default)]
    pub ngay_ban_hanh: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub ngay_hieu_luc: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub het_hieu_luc: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub trich_yeu: Option<Spanned<String>>,
    #[serde(default)]
    pub nguoi_ky: Option<Spanned<String>>,
    /// Attached files of the bundle (`tep = ["qd-123.pdf"]`).
    #[serde(default)]
    pub tep: Vec<Spanned<String>>,
    /// The article's picture on listings and share previews (`image = "anh.jpg"`, a photo of
    /// the bundle or `/…` of `static/`); else its body's first photo.
    #[serde(default)]
    pub image: Option<Spanned<String>>,
    /// Review status of a draft, set by the editor (`bantin edit`): `"cho-duyet"` (sent for
    /// review) or `"tra-lai"` (sent back). Checked, never rendered; an article without it is a
    /// plain draft (`draft = true`) or published.
    #[serde(default)]
    pub trang_thai: Option<ReviewStatus>,
    /// The editor account that created the article (`tai_khoan = "an"`): who owns it for the
    /// phóng viên rule, while `authors` holds the name readers see. Never rendered.
    #[serde(default)]
    pub tai_khoan: Option<String>,
    #[serde(default)]
    pub extra: SortedMap<toml::Value>,
}

/// A small table of the front matter (`[taxonomies]`, `[extra]`), in key order: a sorted
/// `Vec`, not a `BTreeMap`, whose first node alone is larger than most articles' whole
/// table. Every article holds two until the build ends.
#[derive(Debug, Clone, PartialEq)]
pub struct SortedMap<V>(Vec<(String, V)>);

impl<V> Default for SortedMap<V> {
    fn default() -> Self {
        SortedMap(Vec::new())
    }
}

impl<V> SortedMap<V> {
    pub fn get(&self, key: &str) -> Option<&V> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }
}

impl SortedMap<toml::Value> {
    /// The table as TOML (for the templates' `extra`).
    pub fn to_table(&self) -> toml::Table {
        self.0.iter().cloned().collect()
    }
}

impl<'a, V> IntoIterator for &'a SortedMap<V> {
    type Item = (&'a String, &'a V);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, V)>,
        fn(&'a (String, V)) -> (&'a String, &'a V),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SortedMap<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = BTreeMap::<String, V>::deserialize(d)?;
        Ok(SortedMap(map.into_iter().collect()))
    }
}

/// Where a draft is in review (see [`PageFrontMatter::trang_thai`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    /// Sent for review by its phóng viên: only a biên tập changes it now.
    ChoDuyet,
    /// Sent back by a biên tập with a comment: its phóng viên edits it again.
    TraLai,
}

impl ReviewStatus {
    pub fn id(self) -> &'static str {
        match self {
            ReviewStatus::ChoDuyet => "cho-duyet",
            ReviewStatus::TraLai => "tra-lai",
        }
    }
}

/// The keys of [`PageFrontMatter`] that `bantin edit` writes (not listed in the hint of an
/// unknown key: staff do not type them).
pub const EDITOR_KEYS: [&str; 2] = ["trang_thai", "tai_khoan"];

/// The keys of [`PageFrontMatter`] only a legal document (văn bản) takes.
pub const DOCUMENT_KEYS: [&str; 9] = [
    "loai",
    "so_ky_hieu",
    "co_quan_ban_hanh",
    "ngay_ban_hanh",
    "ngay_hieu_luc",
    "het_hieu_luc",
    "trich_yeu",
    "nguoi_ky",
    "tep",
];

/// Front matter of a section (`_index.md`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionFrontMatter {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub sort_by: SortBy,
    #[serde(default)]
    pub paginate_by: Option<usize>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub template: Option<String>,
    #[serde(default)]
    pub page_template: Option<String>,
    /// Whether the section gets RSS/Atom feeds. Zola calls it `generate_feeds` (before 0.19:
    /// `generate_feed`); both are read, so Zola sections keep their choice.
    #[serde(default = "yes", alias = "generate_feeds", alias = "generate_feed")]
    pub feed: bool,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// A section of legal documents (văn bản): its articles are documents with their type,
    /// number and dates; it is listed as a table with filter pages.
    #[serde(default)]
    pub van_ban: bool,
    #[serde(default)]
    pub extra: toml::Table,
}

fn yes() -> bool {
    true
}

/// Order of articles in a section.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first.
    #[default]
    Date,
    /// Lightest first.
    Weight,
    /// Vietnamese alphabetical order.
    Title,
}

/// Where a content file came from.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// Inside `content/`, `/`-separated: `tin-tuc/a.md`.
    pub relative: String,
    /// For messages: `content/tin-tuc/a.md`.
    pub display: String,
}

/// A loaded article.
#[derive(Debug, Clone)]
pub struct Page {
    pub source: Source,
    pub meta: PageFrontMatter,
    pub title: String,
    pub description: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub slug: String,
    /// Content-relative directory of the owning section (`tin-tuc`, `` for the root).
    pub section: String,
    /// Site path without base (`tin-tuc/slug/`).
    pub path: String,
    pub body: String,
    pub body_line_offset: usize,
    /// The TOML text of the front matter (spans in `meta` point into it).
    pub front_matter: String,
    /// Number of file lines before the first front-matter line (blank lines may precede the
    /// opening `+++`).
    pub front_matter_line_offset: usize,
    /// Bundle assets: (source file, file name).
    pub assets: Vec<(PathBuf, String)>,
    /// Filled by the Markdown stage.
    pub rendered: Rendered,
    /// Site path of the article's picture (see [`PageFrontMatter::image`]), once the photos
    /// are processed.
    pub image: Option<String>,
}

/// A loaded section.
#[derive(Debug, Clone)]
pub struct Section {
    pub source: Source,
    pub meta: SectionFrontMatter,
    pub title: String,
    /// Content-relative directory (`tin-tuc`, `` for the root).
    pub dir: String,
    /// Site path without base (`tin-tuc/`, `` for the root).
    pub path: String,
    pub body: String,
    pub body_line_offset: usize,
    /// Non-Markdown files in the section folder: (source file, site path).
    pub assets: Vec<(PathBuf, String)>,
    pub rendered: Rendered,
}

impl Page {
    /// File line and column of a byte offset inside the front matter (for `Spanned` values).
    pub fn fm_position(&self, offset: usize) -> Option<(usize, usize)> {
        let (l, c) = crate::diag::line_col(&self.front_matter, offset);
        Some((l + self.front_matter_line_offset, c))
    }
}

/// A page in another language (`lien-he.en.md`, `gioi-thieu/_index.en.md`): an article of its
/// own under `/en/`, kept apart from the Vietnamese listings, feeds and search.
#[derive(Debug, Clone)]
pub struct Translation {
    /// Its language's code (`en`), configured in `[languages]`.
    pub lang: String,
    /// The page; `path` is `en/…/`, `section` the folder it was found in.
    pub page: Page,
    /// The content path of its Vietnamese twin (`gioi-thieu/_index.md`, `lien-he.md`), which
    /// may not exist (the root `_index.md` always does: the home page).
    pub twin: String,
    /// The content folder its path is under (`gioi-thieu` for `gioi-thieu/lien-he.en.md`,
    /// `` for `gioi-thieu/_index.en.md`, whose own segment is its slug).
    pub parent: String,
}
