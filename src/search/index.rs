//! Writing the index files (layout in the module docs of [`crate::search`]).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::text::{fold, lower_nfc_cow, words};
use super::{
    chunk_path, meta_path, shard_key, shard_path, MetaDoc, SearchDoc, DOCS_PER_CHUNK,
    FORMAT_VERSION, SHARD_KEY_CHARS, TEXT_CHARS,
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
    sections: Vec<(&'a str, &'a str)>,
    areas: Vec<&'a str>,
    projects: Vec<&'a str>,
    kinds: Vec<&'a str>,
    shards: Vec<&'a str>,
    docs: Vec<MetaDoc>,
}

/// Builds every index file for `docs`: `(path under the output directory, bytes)`, sorted by
/// path. The output depends only on `docs` (in order): no hash-map order, time or randomness.
pub fn build_index(docs: &[SearchDoc]) -> Vec<(String, Vec<u8>)> {
    // exact spelling → postings (doc, code), docs ascending. Words are counted per document in
    // parallel, a batch at a time to bound memory, and merged in document order. Spellings
    // borrow from the documents unless lower-casing changed them.
    let mut postings: FxHashMap<Cow<'_, str>, Vec<(u32, u32)>> = FxHashMap::default();
    for (b, batch) in docs.chunks(1024).enumerate() {
        let terms: Vec<Vec<(Cow<'_, str>, u32)>> = batch.par_iter().map(doc_terms).collect();
        for (i, terms) in terms.into_iter().enumerate() {
            let doc = (b * 1024 + i) as u32;
            for (exact, code) in terms {
                match postings.get_mut(exact.as_ref()) {
                    Some(list) => list.push((doc, code)),
                    None => {
                        postings.insert(exact, vec![(doc, code)]);
                    }
                }
            }
        }
    }

    // shard key → folded → exact → [doc delta, code, …]
    let mut shards: BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<u32>>>> =
        BTreeMap::new();
    for (exact, list) in postings {
        let folded = fold(&exact);
        let exact = exact.into_owned();
        if folded.is_empty() {
            continue;
        }
        let mut flat = Vec::with_capacity(list.len() * 2);
        let mut prev = 0;
        for (doc, code) in list {
            flat.push(doc - prev);
            flat.push(code);
            prev = doc;
        }
        shards
            .entry(shard_key(&folded).to_string())
            .or_default()
            .entry(folded)
            .or_default()
            .insert(exact, flat);
    }

    let shard_list: Vec<_> = shards.iter().collect();
    let mut files: Vec<(String, Vec<u8>)> = shard_list
        .par_iter()
        .map(|(key, words)| (shard_path(key), to_json(words)))
        .collect();
    files.par_extend(
        docs.par_chunks(DOCS_PER_CHUNK)
            .enumerate()
            .map(|(n, chunk)| {
                let texts: Vec<String> = chunk.iter().map(|d| snippet_text(&d.text)).collect();
                (chunk_path(n), to_json(&texts))
            }),
    );

    files.sort_by(|a, b| a.0.cmp(&b.0));
    // Version stamp for cache busting: FNV-1a over every other file.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (path, bytes) in &files {
        for b in path.bytes().chain([0]).chain(bytes.iter().copied()) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    let mut sections: BTreeMap<&str, &str> = BTreeMap::new();
    for d in docs {
        sections.entry(&d.section_id).or_insert(&d.section);
    }
    let mut sections: Vec<(&str, &str)> = sections.into_iter().collect();
    sections.sort_by(|a, b| vi_cmp(a.1, b.1).then_with(|| a.0.cmp(b.0)));
    let areas = sorted_names(docs.iter().flat_map(|d| &d.areas));
    let projects = sorted_names(docs.iter().flat_map(|d| &d.projects));
    let kinds: Vec<&str> = docs
        .iter()
        .map(|d| d.kind.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let pos = |list: &[&str], s: &str| list.iter().position(|x| *x == s).unwrap_or(0);
    let section_ids: Vec<&str> = sections.iter().map(|s| s.0).collect();
    let meta_docs = docs
        .iter()
        .map(|d| {
            let idx = |names: &[String], list: &[&str]| -> Vec<usize> {
                let mut v: Vec<usize> = names.iter().map(|n| pos(list, n)).collect();
                v.sort_unstable();
                v.dedup();
                v
            };
            (
                d.title.clone(),
                d.url.clone(),
                d.date.clone().unwrap_or_default(),
                pos(&section_ids, &d.section_id),
                pos(&kinds, &d.kind),
                idx(&d.areas, &areas),
                idx(&d.projects, &projects),
            )
        })
        .collect();
    let meta = Meta {
        v: FORMAT_VERSION,
        hash: format!("{h:016x}"),
        k: SHARD_KEY_CHARS,
        chunk: DOCS_PER_CHUNK,
        sections,
        areas,
        projects,
        kinds,
        shards: shards.keys().map(String::as_str).collect(),
        docs: meta_docs,
    };
    files.push((meta_path(), to_json(&meta)));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Lower-case words of a document with their posting code: 2·min(tf in body, 255) + in title.
fn doc_terms(d: &SearchDoc) -> Vec<(Cow<'_, str>, u32)> {
    // Documents are NFC already (bantin normalises content on load): re-checking megabytes of
    // text here cost a tenth of a whole build.
    let title = d.title.as_str();
    let body = d
        .areas
        .iter()
        .chain(&d.projects)
        .chain([&d.text])
        .map(String::as_str);
    // Count by spelling as written first (no allocation per occurrence), then merge spellings
    // that lower-case alike.
    let mut seen: FxHashMap<&str, (u32, bool)> = FxHashMap::default();
    words(title).for_each(|w| seen.entry(w).or_default().1 = true);
    for s in body {
        words(s).for_each(|w| seen.entry(w).or_default().0 += 1);
    }
    let mut lower: FxHashMap<Cow<'_, str>, (u32, bool)> = FxHashMap::default();
    lower.reserve(seen.len());
    for (w, (tf, title)) in seen {
        if w.len() <= MAX_WORD_BYTES {
            let e = lower.entry(lower_nfc_cow(w)).or_default();
            e.0 += tf;
            e.1 |= title;
        }
    }
    lower
        .into_iter()
        .map(|(w, (tf, title))| (w, tf.min(MAX_TF) * 2 + u32::from(title)))
        .collect()
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

/// NFC text with whitespace collapsed, cut to [`TEXT_CHARS`] characters at a word boundary.
fn snippet_text(text: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for w in crate::markdown::split_ws(text) {
        let n = w.chars().count();
        if len + n + 1 > TEXT_CHARS {
            if out.is_empty() {
                out.extend(w.chars().take(TEXT_CHARS));
            }
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            len += 1;
        }
        out.push_str(w);
        len += n;
    }
    out
}

/// Compact JSON with every `<` escaped, so no file contains `</script>` or `<!--`.
fn to_json<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let s = serde_json::to_string(value).expect("index data serialises");
    s.replace('<', "\\u003c").into_bytes()
}
