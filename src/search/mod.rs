//! Client-side search: a small static index that works from any static server and from a
//! sub-path, with no CDN and no server code.
//!
//! [`build_index`] turns [`SearchDoc`]s into JSON files under `tim-kiem/chi-muc/`; the theme's
//! `static/js/tim-kiem.js` loads them lazily and ranks results; [`search`] mirrors that ranking
//! in Rust so the tests prove the files support it. Vietnamese is handled by [`fold`]: every word
//! is indexed under its folded form ("đường" → "duong"), and each folded entry keeps the exact
//! lower-case spellings it came from, so a query with diacritics ranks exact spellings first.
//!
//! # Files (all paths relative to the output directory)
//!
//! | path | content | fetched |
//! |---|---|---|
//! | `tim-kiem/chi-muc/meta.json` | `{"v":1, "hash", "k", "chunk", "sections":[[id,title]], "areas":[name], "projects":[name], "kinds":[kind], "shards":[key], "docs":[[title, url, date or "", section#, kind#, [area#], [project#]]]}` | on first use |
//! | `tim-kiem/chi-muc/tu/<key>.json` | `{folded: {exact: [doc, code, doc, code, …]}}` for every folded word whose first `k` characters are `key`; `doc` is delta-coded (first absolute), `code` = 2·min(tf in body, 255) + (1 if in title) | per query word |
//! | `tim-kiem/chi-muc/van-ban/<n>.json` | `[text, …]`: plain text (≤ [`TEXT_CHARS`] chars) of docs `n·chunk … n·chunk+chunk−1` | for the results shown, for snippets |
//!
//! Shard file names keep `[a-z0-9]` and write any other character as `_<hex>_`
//! ([`shard_file_name`]). Numbers in `#` columns index the arrays of `meta.json`; doc numbers
//! follow the input order of [`build_index`], which is also the final tie-break in ranking
//! (pass documents newest first). Every `<` inside the JSON is written `\u003c`, so no file
//! contains `</script>` even if a title does.
//!
//! # Ranking (identical in Rust and JS)
//!
//! Query words are [`tokens`]. The last word also matches as a prefix (of at least
//! [`MIN_PREFIX`] folded characters) unless the query ends with a space. For each query word and
//! document, the matching index entries give: *exact* = some matching spelling equals the
//! query word's lower-case form (or starts with it, for a prefix match) and *s* = the best
//! of `20·in_title + min(tf, 10) + 5·whole_word`. Each query word weighs
//! `w =` [`word_weight`]`(documents in the index, documents it matches)`, so that a syllable
//! found everywhere ("đang", "an") counts little. A document's *score* is `Σ w·s`, plus
//! `20·Σ w` (over all query words) when the query has two words or more and the document's
//! title holds all of them one after another (a phrase). Documents sort by: number of query
//! words matched (desc), number matched exactly (desc), score (desc), doc number (asc).
//!
//! A document having every query word is a *full* match. One having only some of them, but at
//! least half, is a *partial* match, listed after every full match; fewer than half is no
//! result ("Xơ Đăng" is not an answer to "binh dang gioi"). The search page counts the two
//! groups apart ("Tìm thấy 3 kết quả có đủ các từ khóa, thêm 2 kết quả gần đúng") and lists the
//! second under its own heading; the header box suggests full matches only. [`rank`] returns
//! the two groups.

mod index;
mod query;
mod text;

#[cfg(test)]
mod tests;

pub use index::{build_index, build_index_from, postings, Postings};
pub use query::{rank, search, search_with, word_weight, Filters, Ranked};
pub use text::{fold, tokens, Token};

/// Directory (under the output directory) holding every index file.
pub const INDEX_DIR: &str = "tim-kiem/chi-muc";
/// Number of leading folded characters that name a shard.
pub const SHARD_KEY_CHARS: usize = 3;
/// Documents per text chunk file.
pub const DOCS_PER_CHUNK: usize = 20;
/// Characters of body text kept per document for snippets.
pub const TEXT_CHARS: usize = 2000;
/// Minimum folded length of the last query word for prefix matching.
pub const MIN_PREFIX: usize = 2;
/// Format version written to `meta.json` as `"v"`.
pub const FORMAT_VERSION: u32 = 1;

/// One searchable page, built by the caller from an article or data page. All text must be NFC
/// (bantin normalises every file on load); queries are normalised by the search itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// Root-relative URL with the base path (`/bantin/tin-tuc/x/`).
    pub url: String,
    pub title: String,
    /// Already formatted for display, e.g. "12/12/2022".
    pub date: Option<String>,
    /// Section title, for display and the section filter.
    pub section: String,
    /// Section path (`tin-tuc`), the section filter's value.
    pub section_id: String,
    /// Area names (filter values); also indexed as words.
    pub areas: Vec<String>,
    /// Project names (filter values); also indexed as words.
    pub projects: Vec<String>,
    /// "bai-viet" | "dia-ban" | "du-an" | …
    pub kind: String,
    /// Plain text of the body.
    pub text: String,
}

/// File name (without `.json`) of the shard for `key`: `[a-z0-9]` kept, anything else `_<hex>_`;
/// a Windows device name (`con`: a common Vietnamese word) gets a trailing `_`, which no other
/// key can produce, since escapes always close with `_<hex>_`.
pub fn shard_file_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else {
            out.push_str(&format!("_{:x}_", c as u32));
        }
    }
    if crate::paths::RESERVED_NAMES.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// Shard key of a folded word: its first [`SHARD_KEY_CHARS`] characters.
pub fn shard_key(folded: &str) -> &str {
    match folded.char_indices().nth(SHARD_KEY_CHARS) {
        Some((i, _)) => &folded[..i],
        None => folded,
    }
}

/// A document in `meta.json`: `[title, url, date or "", section#, kind#, [area#], [project#]]`.
pub(crate) type MetaDoc = (String, String, String, usize, usize, Vec<usize>, Vec<usize>);

pub fn meta_path() -> String {
    format!("{INDEX_DIR}/meta.json")
}

pub fn shard_path(key: &str) -> String {
    format!("{INDEX_DIR}/tu/{}.json", shard_file_name(key))
}

pub fn chunk_path(n: usize) -> String {
    format!("{INDEX_DIR}/van-ban/{n}.json")
}
