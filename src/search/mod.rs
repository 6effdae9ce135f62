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
//! A query fetches `meta.json` once, the word files of its words, and the document files of
//! the results it shows: at 10 000 articles a first query costs tens of kilobytes, not the
//! whole list of documents (format version 1 had every title and URL in `meta.json`).
//!
//! | path | content | fetched |
//! |---|---|---|
//! | `tim-kiem/chi-muc/meta.json` | `{"v":2, "hash", "k", "chunk", "n", "sections":[[id,title]], "areas":[name], "projects":[name], "kinds":[kind], "shards":[key]}`; `n` = number of documents | on first use |
//! | `tim-kiem/chi-muc/tu/<key>.json` | `{folded: {exact: postings} or 0}` for every folded word whose first `k` characters are `key`; `0`: the word's postings are in a file of their own (below), because they are long | per query word |
//! | `tim-kiem/chi-muc/tu/<key>/<folded>.json` | `{exact: postings}` of one folded word whose postings take over [`SPLIT_BYTES`] | per query word, when its shard says `0` |
//! | `tim-kiem/chi-muc/bai/<n>.json` | `[[title, url, date or "", section#, text], …]`: docs `n·chunk … n·chunk+chunk−1`, `text` the plain text (≤ [`TEXT_CHARS`] chars) for snippets | for the results shown |
//! | `tim-kiem/chi-muc/loc.json` | `[[section#, kind#, [area#], [project#]], …]`, one per document | only when a filter is chosen |
//!
//! *postings*: per document, `doc, code` and, when the word is in the title (`code` odd),
//! `count, position…`: where it stands among the title's [`tokens`] (counted from 0), for the
//! phrase rule of the ranking. `doc` is delta-coded (first absolute), `code` = 2·min(tf in
//! body, 255) + (1 if in title).
//!
//! Shard and word file names keep `[a-z0-9]` and write any other character as `_<hex>_`
//! ([`shard_file_name`]). Numbers in `#` columns index the arrays of `meta.json`; doc numbers
//! follow the input order of [`build_index`], which is also the final tie-break in ranking
//! (pass documents newest first). Every `<` inside the JSON is written `\u003c`, so no file
//! contains `</script>` even if a title does. Clients fetch every file but `meta.json` with
//! `?v=<hash>` (a hash of all the other files), so a cache never mixes two builds.
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
//! The phrase is read from the title positions in the postings, so a title word too long to be
//! indexed (over 60 bytes) still counts as a position but cannot be part of a phrase (format 1,
//! which compared whole titles, could see one there: the one case where the two differ).
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

pub use index::{
    build_index, build_index_from, build_index_into, doc_file, file_hash, postings, section_order,
    snippet, Counter, Postings,
};
pub use query::{rank, search, search_with, word_weight, Filters, Ranked};
pub use text::{fold, tokens, Token};

/// Directory (under the output directory) holding every index file.
pub const INDEX_DIR: &str = "tim-kiem/chi-muc";
/// Number of leading folded characters that name a shard.
pub const SHARD_KEY_CHARS: usize = 3;
/// Documents per document file (`bai/<n>.json`). The results on a page are scattered over the
/// whole archive, so a file is mostly fetched for one of its documents: every document more in
/// a file adds to a first query (ten results, ten files at most), while a large archive writes
/// fewer files (a file's creation costs more than its bytes). Two: half the files of one a
/// file, for about 7 KB gzip more on a first query at 10 000 articles (four: 17 KB more).
pub const DOCS_PER_CHUNK: usize = 2;
/// A folded word whose postings (as JSON) are longer than this gets a file of its own, so
/// that a query for "giảm" does not also fetch "giao", "giai", "gian" of the shard "gia".
pub const SPLIT_BYTES: usize = 1024;
/// Characters of body text kept per document for snippets.
pub const TEXT_CHARS: usize = 2000;
/// Minimum folded length of the last query word for prefix matching.
pub const MIN_PREFIX: usize = 2;
/// Format version written to `meta.json` as `"v"`.
pub const FORMAT_VERSION: u32 = 2;

/// A site that carries its own copy of the theme (what `bantin init` writes) keeps the search
/// script of the bantin that made it; after an upgrade that changed the index format, that
/// script would find nothing and say nothing. The script names the format it reads
/// (`var DANG_CHI_MUC = N;`): a script that names another, or none, is a warning at build.
pub fn check_client(script: &str) -> Result<(), String> {
    let wanted = format!("var DANG_CHI_MUC = {FORMAT_VERSION};");
    if script.contains(&wanted) {
        return Ok(());
    }
    let named = script
        .split("var DANG_CHI_MUC = ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .map(|n| format!("dạng {n}"))
        .unwrap_or_else(|| "dạng cũ (dạng 1)".into());
    Err(format!(
        "tệp tìm kiếm này đọc chỉ mục {named}, nhưng bantin này ghi chỉ mục dạng {FORMAT_VERSION}: ô tìm kiếm của trang sẽ không tìm thấy gì"
    ))
}

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

/// A document in `bai/<n>.json`: `[title, url, date or "", section#, text]`.
pub(crate) type DocEntry = (String, String, String, usize, String);
/// A document in `loc.json`: `[section#, kind#, [area#], [project#]]`.
pub(crate) type LocEntry = (usize, usize, Vec<usize>, Vec<usize>);

pub fn meta_path() -> String {
    format!("{INDEX_DIR}/meta.json")
}

pub fn shard_path(key: &str) -> String {
    format!("{INDEX_DIR}/tu/{}.json", shard_file_name(key))
}

/// File of the postings of one long folded word of shard `key`.
pub fn word_path(key: &str, folded: &str) -> String {
    format!(
        "{INDEX_DIR}/tu/{}/{}.json",
        shard_file_name(key),
        shard_file_name(folded)
    )
}

/// Document file `n` (documents `n·DOCS_PER_CHUNK …`).
pub fn chunk_path(n: usize) -> String {
    format!("{INDEX_DIR}/bai/{n}.json")
}

pub fn loc_path() -> String {
    format!("{INDEX_DIR}/loc.json")
}
