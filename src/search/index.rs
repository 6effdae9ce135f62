//! Writing the index files (layout in the module docs of [`crate::search`]).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::text::{fold, lower_nfc_cow, words};
use super::{
    chunk_path, loc_path, meta_path, shard_key, shard_path, word_path, LocEntry, SearchDoc,
    DOCS_PER_CHUNK, FORMAT_VERSION, SHARD_KEY_CHARS, SPLIT_BYTES, TEXT_CHARS,
};
use crate::locale::vi_cmp;

/// Words longer than this (in bytes) are not indexed: hashes, long URLs, base64.
const MAX_WORD_BYTES: usize = 60;
/// Body term frequency stored per posting is capped here.
const MAX_TF: u32 = 255;

#[derive(Serialize)]
struct Meta<'a> {
    v: u32,
    hash: String,
    k: usize,
    chunk: usize,
    n: usize,
    sections: Vec<(&'a str, &'a str)>,
    areas: Vec<&'a str>,
    projects: Vec<&'a str>,
    kinds: Vec<&'a str>,
    shards: Vec<&'a str>,
}

/// Exact lower-case spelling → postings, docs ascending: per document `doc, code` and, when
/// `code` is odd (the word is in the title), `count, position…`, doc numbers delta-coded as
/// they are written (see [`List`]). Built by [`postings`] or a [`Counter`].
pub struct Postings(FxHashMap<Box<str>, List>);

impl Postings {
    /// `self` then `later` (documents numbered after all of `self`'s).
    fn merge(mut self, later: Self) -> Self {
        for (exact, list) in later.0 {
            match self.0.get_mut(&exact) {
                Some(earlier) => earlier.append(&list),
                None => {
                    self.0.insert(exact, list);
                }
            }
        }
        self
    }
}

/// One word's postings as LEB128 numbers: each document's number less the previous one's
/// (the first less 0), then the rest of its entry as it is. These are the numbers the index
/// files write, and most are below 128: as bytes they take a fraction of what `u32`s with
/// their growth room took, and the postings are the largest thing the search thread holds.
#[derive(Default)]
struct List {
    bytes: Vec<u8>,
    /// The last document's number.
    last: u32,
}

impl List {
    /// Starts the entry of document `doc` (after every document already in the list).
    fn start(&mut self, doc: u32) {
        let delta = if self.bytes.is_empty() {
            doc
        } else {
            doc - self.last
        };
        self.push(delta);
        self.last = doc;
    }

    fn push(&mut self, mut n: u32) {
        while n >= 0x80 {
            self.bytes.push(n as u8 | 0x80);
            n >>= 7;
        }
        self.bytes.push(n as u8);
    }

    /// `later`'s entries after this list's: its first number, counted from 0, is counted
    /// from this list's last document instead.
    fn append(&mut self, later: &List) {
        let mut numbers = later.numbers();
        let Some(first) = numbers.next() else {
            return;
        };
        let rest = &later.bytes[leb128_len(first)..];
        self.start(first);
        self.bytes.extend_from_slice(rest);
        self.last = later.last;
    }

    /// The numbers, as the index files write them.
    fn numbers(&self) -> impl Iterator<Item = u32> + '_ {
        let b = &self.bytes;
        let mut i = 0;
        std::iter::from_fn(move || {
            let (mut n, mut shift) = (0u32, 0);
            loop {
                let byte = *b.get(i)?;
                i += 1;
                n |= u32::from(byte & 0x7F) << shift;
                if byte < 0x80 {
                    return Some(n);
                }
                shift += 7;
            }
        })
    }
}

/// Written as its numbers (an array), without unpacking them first.
impl Serialize for List {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.numbers())
    }
}

/// Bytes of `n` in LEB128.
fn leb128_len(n: u32) -> usize {
    (32 - n.leading_zeros() as usize).max(1).div_ceil(7)
}

/// Counts the words of every document, in parallel: the part of building the index that grows
/// with the text. [`build_index_from`] does the rest.
pub fn postings(docs: &[SearchDoc]) -> Postings {
    /// Documents per parallel piece, each counted by a [`Counter`] of its own.
    const PIECE: usize = 1024;
    docs.par_chunks(PIECE)
        .enumerate()
        .map(|(n, chunk)| {
            let mut c = Counter::default();
            for (i, d) in chunk.iter().enumerate() {
                c.add((n * PIECE + i) as u32, d);
            }
            c.into_postings()
        })
        .reduce(|| Postings(FxHashMap::default()), Postings::merge)
}

/// Counts the words of documents added one by one, in document order, into postings (see
/// [`Postings`]). Every spelling met is looked up once per occurrence in a vocabulary that
/// remembers its lower-case form's number, and a document's counts are kept by that number:
/// nothing is allocated per document, and a word is lower-cased once per build, not once per
/// document that has it (a map per document and lower-casing per document were most of the
/// index's time).
#[derive(Default)]
pub struct Counter {
    /// Spelling as written → number of its lower-case form.
    spellings: FxHashMap<Box<str>, u32>,
    /// Lower-case form → its number.
    numbers: FxHashMap<Box<str>, u32>,
    /// By number: the lower-case form and its postings.
    terms: Vec<(Box<str>, List)>,
    /// The document being counted: (number, tf in the body, in the title).
    seen: Vec<(u32, u32, bool)>,
    /// By number: where the word is in `seen`, if it is there (checked, never cleared).
    slot: Vec<u32>,
}

impl Counter {
    /// Adds the words of document `doc`, numbered after every document already added.
    pub fn add(&mut self, doc: u32, d: &SearchDoc) {
        // Documents are NFC already (bantin normalises content on load): re-checking megabytes
        // of text here cost a tenth of a whole build.
        self.seen.clear();
        words(&d.title).for_each(|w| self.count(w, 0, true));
        let body = d.areas.iter().chain(&d.projects).chain([&d.text]);
        for s in body {
            words(s).for_each(|w| self.count(w, 1, false));
        }
        let titled = title_positions(&d.title);
        for &(n, tf, title) in &self.seen {
            let (exact, list) = &mut self.terms[n as usize];
            list.start(doc);
            list.push(tf.min(MAX_TF) * 2 + u32::from(title));
            if title {
                let at: &[u32] = titled
                    .iter()
                    .find(|(w, _)| **w == **exact)
                    .map_or(&[], |(_, at)| at.as_slice());
                list.push(at.len() as u32);
                at.iter().for_each(|&n| list.push(n));
            }
        }
    }

    /// One occurrence of `w`: `tf` more in the body, and in the title if `title`.
    #[inline]
    fn count(&mut self, w: &str, tf: u32, title: bool) {
        if w.len() > MAX_WORD_BYTES {
            return;
        }
        let n = match self.spellings.get(w) {
            Some(&n) => n,
            None => self.number(w),
        };
        let slot = self.slot[n as usize] as usize;
        match self.seen.get_mut(slot) {
            Some(e) if e.0 == n => {
                e.1 += tf;
                e.2 |= title;
            }
            _ => {
                self.slot[n as usize] = self.seen.len() as u32;
                self.seen.push((n, tf, title));
            }
        }
    }

    /// The number of a spelling met for the first time (its lower-case form's, new or not).
    #[cold]
    fn number(&mut self, w: &str) -> u32 {
        let lower = lower_nfc_cow(w);
        let n = match self.numbers.get(lower.as_ref()) {
            Some(&n) => n,
            None => {
                let n = self.terms.len() as u32;
                let lower: Box<str> = lower.into();
                self.numbers.insert(lower.clone(), n);
                self.terms.push((lower, List::default()));
                self.slot.push(u32::MAX);
                n
            }
        };
        self.spellings.insert(w.into(), n);
        n
    }

    /// The postings of every document added.
    pub fn into_postings(self) -> Postings {
        Postings(self.terms.into_iter().collect())
    }
}

/// What a document file shows of a document's `text`; [`build_index_from`] gives the same
/// for a text cut to it (so a document can keep only this once its words are counted).
pub fn snippet(text: &str) -> String {
    snippet_text(text)
}

/// Builds every index file for `docs`: `(path under the output directory, bytes)`, sorted by
/// path. The output depends only on `docs` (in order): no hash-map order, time or randomness.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    build_index_from(docs, postings(docs))
}

/// [`build_index`] from the [`postings`] of `docs`, on the calling thread alone: `bantin build`
/// runs it beside the rendering of the pages, which keeps rayon's threads busy (work handed to
/// them from this thread would wait until the pages are done).
pub fn build_index_from(docs: &[SearchDoc], postings: Postings) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    build_index_into(docs, postings, None, &mut |path, bytes| {
        files.push((path, bytes))
    });
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// [`build_index_from`], each file handed to `emit` as soon as it is made instead of collected:
/// `bantin build` writes them out at once, so the index (hundreds of megabytes at 100 000
/// articles) is never held whole. The files and their bytes are the same, in another order.
/// `written`: the document files are made already (by [`doc_file`], handed on with their
/// [`file_hash`]): only their hashes are counted.
pub fn build_index_into(
    docs: &[SearchDoc],
    postings: Postings,
    written: Option<Vec<(String, u64)>>,
    emit: &mut dyn FnMut(String, Vec<u8>),
) {
    let docs_written = written.is_some();
    let mut out = Hashed {
        emit,
        hashes: written.unwrap_or_default(),
    };
    let postings = postings.0;
    // shard key → folded → exact → [doc delta, code, (count, position…), …]
    let mut shards: BTreeMap<String, BTreeMap<String, BTreeMap<String, List>>> = BTreeMap::new();
    for (exact, list) in postings {
        let folded = fold(&exact);
        let exact = exact.into_string();
        if folded.is_empty() {
            continue;
        }
        shards
            .entry(shard_key(&folded).to_string())
            .or_default()
            .entry(folded)
            .or_default()
            .insert(exact, list);
    }

    let shard_keys: Vec<String> = shards.keys().cloned().collect();
    // each shard freed once written out, so the postings and their JSON are not both held
    for (key, words) in shards {
        // {folded: {exact: postings} or 0}, the long entries in files of their own
        let mut shard = b"{".to_vec();
        for (i, (folded, spellings)) in words.iter().enumerate() {
            if i > 0 {
                shard.push(b',');
            }
            shard.extend(to_json(folded.as_str()));
            shard.push(b':');
            let entry = to_json(&spellings);
            if entry.len() > SPLIT_BYTES {
                shard.push(b'0');
                out.put(word_path(&key, folded), entry);
            } else {
                shard.extend(entry);
            }
        }
        shard.push(b'}');
        out.put(shard_path(&key), shard);
    }

    let sections = section_order(
        docs.iter()
            .map(|d| (d.section_id.as_str(), d.section.as_str())),
    );
    let areas = sorted_names(docs.iter().flat_map(|d| &d.areas));
    let projects = sorted_names(docs.iter().flat_map(|d| &d.projects));
    let kinds: Vec<&str> = docs
        .iter()
        .map(|d| d.kind.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let section_ids: Vec<&str> = sections.iter().map(|s| s.0).collect();
    let pos = |list: &[&str], s: &str| list.iter().position(|x| *x == s).unwrap_or(0);
    if !docs_written {
        for (n, chunk) in docs.chunks(DOCS_PER_CHUNK).enumerate() {
            out.put(chunk_path(n), doc_file(chunk, &section_ids));
        }
    }
    let loc: Vec<LocEntry> = docs
        .iter()
        .map(|d| {
            let idx = |names: &[String], list: &[&str]| -> Vec<usize> {
                let mut v: Vec<usize> = names.iter().map(|n| pos(list, n)).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            (
                pos(&section_ids, &d.section_id),
                pos(&kinds, &d.kind),
                idx(&d.areas, &areas),
                idx(&d.projects, &projects),
            )
        })
        .collect();
    out.put(loc_path(), to_json(&loc));

    // Version stamp for cache busting: each file hashed, then the hashes in path order.
    out.hashes.sort_unstable();
    let h = out
        .hashes
        .iter()
        .map(|(_, h)| *h)
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, f| {
            (h ^ f).wrapping_mul(0x0100_0000_01b3)
        });
    let meta = Meta {
        v: FORMAT_VERSION,
        hash: format!("{h:016x}"),
        k: SHARD_KEY_CHARS,
        chunk: DOCS_PER_CHUNK,
        n: docs.len(),
        sections,
        areas,
        projects,
        kinds,
        shards: shard_keys.iter().map(String::as_str).collect(),
    };
    (out.emit)(meta_path(), to_json(&meta));
}

/// Sections by title in Vietnamese order (then id), each once: `section#` of the document
/// files and `loc.json` is a position in this list.
pub fn section_order<'a>(
    pairs: impl Iterator<Item = (&'a str, &'a str)>,
) -> Vec<(&'a str, &'a str)> {
    let mut sections: BTreeMap<&str, &str> = BTreeMap::new();
    for (id, title) in pairs {
        sections.entry(id).or_insert(title);
    }
    let mut sections: Vec<(&str, &str)> = sections.into_iter().collect();
    sections.sort_by(|a, b| vi_cmp(a.1, b.1).then_with(|| a.0.cmp(b.0)));
    sections
}

/// The document file of `chunk` (`section_ids`: the ids of [`section_order`]).
pub fn doc_file(chunk: &[SearchDoc], section_ids: &[&str]) -> Vec<u8> {
    let pos = |s: &str| section_ids.iter().position(|x| *x == s).unwrap_or(0);
    // a `DocEntry` (`search/mod.rs`) with borrowed strings: the same JSON without copying them first
    let entries: Vec<(&str, &str, &str, usize, String)> = chunk
        .iter()
        .map(|d| {
            (
                d.title.as_str(),
                d.url.as_str(),
                d.date.as_deref().unwrap_or_default(),
                pos(&d.section_id),
                snippet_text(&d.text),
            )
        })
        .collect();
    to_json(&entries)
}

/// Hands each index file on and keeps its path and hash (for the version stamp in meta.json).
struct Hashed<'e> {
    emit: &'e mut dyn FnMut(String, Vec<u8>),
    hashes: Vec<(String, u64)>,
}

impl Hashed<'_> {
    fn put(&mut self, path: String, bytes: Vec<u8>) {
        self.hashes.push((path.clone(), file_hash(&path, &bytes)));
        (self.emit)(path, bytes);
    }
}

/// Lower-case spelling → its positions among the title's [`tokens`](super::tokens) (a word
/// whose folded form is empty is no token and is not counted), for the phrase rule.
fn title_positions(title: &str) -> Vec<(Cow<'_, str>, Vec<u32>)> {
    let mut out: Vec<(Cow<'_, str>, Vec<u32>)> = Vec::new();
    let mut n = 0;
    for w in words(title) {
        let lower = lower_nfc_cow(w);
        if fold(&lower).is_empty() {
            continue;
        }
        match out.iter_mut().find(|(x, _)| *x == lower) {
            Some((_, at)) => at.push(n),
            None => out.push((lower, vec![n])),
        }
        n += 1;
    }
    out
}

/// Distinct names in Vietnamese alphabetical order (byte order between equal-collating names).
fn sorted_names<'a>(names: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut v: Vec<&str> = names
        .map(String::as_str)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    v.sort_by(|a, b| vi_cmp(a, b).then_with(|| a.cmp(b)));
    v
}

/// NFC text with white space collapsed to single spaces, cut after the last whole word that
/// fits in [`TEXT_CHARS`] characters (a first word longer than that is cut inside).
fn snippet_text(text: &str) -> String {
    snippet_text_with(text, TEXT_CHARS)
}

/// [`snippet_text`] with a limit of `max` characters. Document texts are collapsed already
/// (`html_to_text`), so the head of the text is first checked and cut as a slice; only text with
/// other white space goes through [`collapse_and_cut`].
pub(super) fn snippet_text_with(text: &str, max: usize) -> String {
    let b = text.as_bytes();
    let (mut i, mut chars, mut prev_space) = (0, 0, true);
    while i < b.len() {
        let c = b[i];
        if c & 0xC0 != 0x80 {
            if chars == max {
                break;
            }
            chars += 1;
            match c {
                b' ' if prev_space => return collapse_and_cut(text, max),
                b' ' => prev_space = true,
                0x09..=0x0D => return collapse_and_cut(text, max),
                0xC2 | 0xE1..=0xE3 if crate::markdown::ws_at(text, i).0 => {
                    return collapse_and_cut(text, max)
                }
                _ => prev_space = false,
            }
        }
        i += 1;
    }
    // `text[..i]`: single spaces between words, no space in front; `i` starts character
    // `max + 1`, or is the end
    let head = &text[..i];
    let cut = if i == b.len() || prev_space || crate::markdown::ws_at(text, i).0 {
        head.strip_suffix(' ').unwrap_or(head)
    } else {
        head.rfind(' ').map_or(head, |at| &head[..at])
    };
    cut.to_string()
}

/// [`snippet_text_with`] for any white space, a character at a time.
fn collapse_and_cut(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max * 3));
    let (mut i, mut chars, mut gap) = (0, 0, false);
    let mut last_space = None;
    while i < text.len() {
        let (space, len) = crate::markdown::ws_at(text, i);
        if space {
            gap = !out.is_empty();
        } else {
            if chars + usize::from(gap) + 1 > max {
                // inside a word (or starting one): back to the last space, if any
                if let (false, Some(at)) = (gap, last_space) {
                    out.truncate(at);
                }
                break;
            }
            if gap {
                last_space = Some(out.len());
                out.push(' ');
                chars += 1;
                gap = false;
            }
            out.push_str(&text[i..i + len]);
            chars += 1;
        }
        i += len;
    }
    out
}

/// Compact JSON with every `<` escaped, so no file contains `</script>` or `<!--`.
fn to_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let v = serde_json::to_vec(value).expect("index data serialises");
    if !v.contains(&b'<') {
        return v;
    }
    let mut out = Vec::with_capacity(v.len() + 64);
    for part in v.split_inclusive(|&b| b == b'<') {
        match part.split_last() {
            Some((b'<', head)) => {
                out.extend_from_slice(head);
                out.extend_from_slice(b"\\u003c");
            }
            _ => out.extend_from_slice(part),
        }
    }
    out
}

/// FNV-1a over 8-byte words (then the tail bytes) of one file, for the version stamp.
pub fn file_hash(path: &str, bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes().chain([0]) {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        h = (h ^ w).wrapping_mul(PRIME);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The previous `doc_terms`: every distinct spelling lower-cased into a second map.
    fn reference(d: &SearchDoc) -> BTreeMap<String, u32> {
        let mut seen: BTreeMap<&str, (u32, bool)> = BTreeMap::new();
        words(&d.title).for_each(|w| seen.entry(w).or_default().1 = true);
        for s in d.areas.iter().chain(&d.projects).chain([&d.text]) {
            words(s).for_each(|w| seen.entry(w).or_default().0 += 1);
        }
        let mut lower: BTreeMap<String, (u32, bool)> = BTreeMap::new();
        for (w, (tf, title)) in seen {
            if w.len() <= MAX_WORD_BYTES {
                let e = lower.entry(lower_nfc_cow(w).into_owned()).or_default();
                e.0 += tf;
                e.1 |= title;
            }
        }
        lower
            .into_iter()
            .map(|(w, (tf, title))| (w, tf.min(MAX_TF) * 2 + u32::from(title)))
            .collect()
    }

    /// `bantin build` keeps only a document's snippet once its words are counted, and the
    /// document file is made from that: cutting a snippet again must give it back.
    #[test]
    fn a_snippet_cut_again_is_the_same() {
        let long = "Kết quả nổi bật ".repeat(80);
        let texts = [
            "",
            "một",
            "  nhiều   khoảng\ttrắng\n và\u{a0}dấu cách không ngắt  ",
            long.as_str(),
            &"x".repeat(TEXT_CHARS * 2),
            &format!("{} đuôi", "a".repeat(TEXT_CHARS - 1)),
        ];
        for t in texts {
            let s = snippet(t);
            assert_eq!(snippet(&s), s, "{t:?}");
        }
    }

    /// Documents of words in every case (a spelling in capitals only, with and without its
    /// lower-case form, title-case letters, a word over the length limit), against the
    /// reference, counted one after another by one [`Counter`]; also no spelling twice in a
    /// document.
    #[test]
    fn capitals_count_under_their_lower_case_form() {
        let pool = [
            "kon",
            "Kon",
            "KON",
            "tum",
            "Tum",
            "đắk",
            "Đắk",
            "ĐẮK",
            "Ǆ",
            "ǅ",
            "ǆ",
            "Hà",
            "NỘI",
            "nội",
            "xã",
            "İ",
            "K",
            "2022",
            &"dài".repeat(30),
        ];
        let mut next = crate::testutil::numbers(0x9e37_79b9_7f4a_7c15u64);
        // one counter for every case: what one document leaves behind must not leak into the next
        let mut counter = Counter::default();
        let mut docs = Vec::new();
        for case in 0..400 {
            let pick = |n: usize, next: &mut dyn FnMut(usize) -> usize| {
                (0..n)
                    .map(|_| pool[next(pool.len())])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let d = SearchDoc {
                title: pick(next(4), &mut next),
                areas: vec![pick(next(2), &mut next)],
                text: pick(next(40), &mut next),
                ..SearchDoc::default()
            };
            counter.add(case, &d);
            docs.push(d);
        }
        // postings → per document: word → code
        let mut got: Vec<BTreeMap<String, u32>> = vec![BTreeMap::new(); docs.len()];
        for (w, list) in counter.into_postings().0 {
            let list: Vec<u32> = list.numbers().collect();
            let (mut i, mut doc) = (0, 0);
            while i < list.len() {
                doc += list[i] as usize;
                let code = list[i + 1];
                let again = got[doc].insert(w.to_string(), code);
                assert_eq!(again, None, "doc {doc}: {w:?} twice");
                i += 2;
                if code & 1 == 1 {
                    i += 1 + list[i] as usize;
                }
            }
        }
        for (case, d) in docs.iter().enumerate() {
            assert_eq!(got[case], reference(d), "case {case}: {d:?}");
        }
    }

    /// LEB128 numbers at every length boundary read back as written, and [`leb128_len`] agrees
    /// with the bytes written.
    #[test]
    fn list_numbers_read_back() {
        let ns = [
            0,
            1,
            127,
            128,
            16_383,
            16_384,
            2_097_151,
            2_097_152,
            u32::MAX - 1,
            u32::MAX,
        ];
        let mut list = List::default();
        for n in ns {
            let before = list.bytes.len();
            list.push(n);
            assert_eq!(list.bytes.len() - before, leb128_len(n), "{n}");
        }
        assert_eq!(list.numbers().collect::<Vec<_>>(), ns);
    }

    /// Postings counted in parallel pieces and merged (lists appended, each first document
    /// counted again from the last one before it) are those of one counter over every document.
    #[test]
    fn postings_merged_from_pieces_are_those_counted_in_one() {
        let pool = ["kon", "Tum", "đắk", "hà", "nội", "xã", "2022", "một"];
        let mut next = crate::testutil::numbers(0x2545_f491_4f6c_dd1d);
        let docs: Vec<SearchDoc> = (0..3000)
            .map(|_| {
                let mut pick = |n: usize| {
                    (0..next(n))
                        .map(|_| pool[next(pool.len())])
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                SearchDoc {
                    title: pick(3),
                    text: pick(12),
                    ..SearchDoc::default()
                }
            })
            .collect();
        let mut one = Counter::default();
        for (i, d) in docs.iter().enumerate() {
            one.add(i as u32, d);
        }
        let numbers = |p: Postings| -> BTreeMap<String, Vec<u32>> {
            p.0.into_iter()
                .map(|(w, l)| (w.into_string(), l.numbers().collect()))
                .collect()
        };
        let want = numbers(one.into_postings());
        assert!(
            want.values().any(|l| l.len() > 2000),
            "a word in most documents"
        );
        assert_eq!(numbers(postings(&docs)), want);
    }
}
