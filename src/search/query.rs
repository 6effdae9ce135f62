//! Reading the index files and ranking, exactly as `tim-kiem.js` does (rules in the module docs
//! of [`crate::search`]).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::text::tokens;
use super::{
    chunk_path, loc_path, meta_path, shard_key, shard_path, word_path, DocEntry, LocEntry,
    MIN_PREFIX,
};

/// Restricts results; `None` means any. Values are a section id and area/project names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub section: Option<String>,
    pub area: Option<String>,
    pub project: Option<String>,
}

#[derive(Deserialize)]
struct Meta {
    k: usize,
    chunk: usize,
    n: usize,
    sections: Vec<(String, String)>,
    areas: Vec<String>,
    projects: Vec<String>,
    shards: Vec<String>,
}

/// A folded word's entry in its shard: its spellings' postings, or `0` when they are in a file
/// of their own.
#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    Inline(BTreeMap<String, Vec<u32>>),
    // always 0: only which variant matters
    Split(#[allow(dead_code)] u32),
}

type Shard = BTreeMap<String, Entry>;

/// The results of a query, as URLs, best first: `full` have every query word, `partial` at
/// least half of them (listed apart, under their own heading, never among the header box's
/// suggestions).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranked {
    pub full: Vec<String>,
    pub partial: Vec<String>,
}

/// Searches the files written by [`super::build_index`]; returns URLs, best first (every
/// result of [`rank`]: the full matches, then the partial ones).
pub fn search(index_files: &[(String, Vec<u8>)], query: &str) -> Vec<String> {
    search_with(index_files, query, &Filters::default())
}

/// [`search`] with filters.
pub fn search_with(index_files: &[(String, Vec<u8>)], query: &str, f: &Filters) -> Vec<String> {
    let r = rank(index_files, query, f);
    r.full.into_iter().chain(r.partial).collect()
}

/// Weight of a query word found in `df` of the index's `n` documents, an integer log of `n/df`
/// in steps of 1.5 (1 for a word in over two thirds of them, 22 for one in 1 of 10 000): a
/// syllable found everywhere ("đang", "an") then adds little to a document's score. Integer
/// arithmetic, so that the JS client's copy gives the very same numbers.
pub fn word_weight(n: u64, df: u64) -> u32 {
    let (mut k, mut x) = (1, df.max(1));
    while x * 3 <= n * 2 {
        x = (x * 3).div_ceil(2);
        k += 1;
    }
    k
}

/// What one query word finds in one document: some spelling exact, the best entry score, and
/// the positions in the title of the words it matches.
#[derive(Default)]
struct Hit {
    exact: bool,
    score: u32,
    title_at: Vec<u32>,
}

/// Whether the title holds the query words one after another: some position `i` of the first
/// word with `i + j` a position of word `j`, for every `j` (the words' positions say where
/// each stands among the title's tokens, the last one matched as a prefix when it is).
fn title_has_phrase(at: &[&[u32]]) -> bool {
    let Some((first, rest)) = at.split_first() else {
        return false;
    };
    first
        .iter()
        .any(|&i| rest.iter().zip(1..).all(|(p, j)| p.contains(&(i + j))))
}

/// The documents one query word finds. `prefix`: the word may be the start of a longer one
/// (the last word, still being typed).
fn word_hits<'a>(
    file: &dyn Fn(&str) -> Option<&'a [u8]>,
    meta: &Meta,
    w: &super::Token,
    prefix: bool,
) -> HashMap<u32, Hit> {
    let len = w.folded.chars().count();
    let keys: Vec<&str> = if len < meta.k && prefix {
        let q = w.folded.as_str();
        meta.shards
            .iter()
            .map(String::as_str)
            .filter(|s| s.starts_with(q))
            .collect()
    } else {
        vec![shard_key(&w.folded)]
    };
    let mut best: HashMap<u32, Hit> = HashMap::new();
    for key in keys {
        let shard: Shard = match file(&shard_path(key)).map(serde_json::from_slice) {
            Some(Ok(s)) => s,
            _ => continue,
        };
        for (folded, entry) in shard {
            let whole = folded == w.folded;
            if !(whole || prefix && folded.starts_with(&w.folded)) {
                continue;
            }
            let spellings = match entry {
                Entry::Inline(s) => s,
                Entry::Split(_) => match file(&word_path(key, &folded))
                    .map(serde_json::from_slice::<BTreeMap<String, Vec<u32>>>)
                {
                    Some(Ok(s)) => s,
                    _ => continue,
                },
            };
            for (spelling, postings) in &spellings {
                let exact = if whole {
                    *spelling == w.exact
                } else {
                    spelling.starts_with(&w.exact)
                };
                let (mut doc, mut i) = (0, 0);
                while i + 1 < postings.len() {
                    doc += postings[i];
                    let code = postings[i + 1];
                    i += 2;
                    let score = 20 * (code & 1) + (code >> 1).min(10) + 5 * u32::from(whole);
                    let e = best.entry(doc).or_default();
                    e.exact |= exact;
                    e.score = e.score.max(score);
                    if code & 1 == 1 {
                        let count = postings.get(i).map_or(0, |&c| c as usize);
                        let at = postings.get(i + 1..i + 1 + count).unwrap_or_default();
                        e.title_at.extend_from_slice(at);
                        i += 1 + count;
                    }
                }
            }
        }
    }
    best
}

/// The ranking of the module docs of [`crate::search`], split into full and partial matches.
pub fn rank(index_files: &[(String, Vec<u8>)], query: &str, f: &Filters) -> Ranked {
    let by_path: HashMap<&str, &[u8]> = index_files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    let file = |p: &str| by_path.get(p).copied();
    let Some(meta) = file(&meta_path()).and_then(|b| serde_json::from_slice::<Meta>(b).ok()) else {
        return Ranked::default();
    };
    let words = tokens(query);
    let prefix_last = !query.ends_with(char::is_whitespace);
    // doc → (words matched, words matched exactly, score)
    let mut acc: HashMap<u32, (u32, u32, u32)> = HashMap::new();
    // doc → the title positions of each query word (in query order)
    let mut title_at: HashMap<u32, Vec<Vec<u32>>> = HashMap::new();
    // sum of the query words' weights, for the phrase bonus
    let mut weights = 0;
    for (i, w) in words.iter().enumerate() {
        let len = w.folded.chars().count();
        let prefix = prefix_last && i + 1 == words.len() && len >= MIN_PREFIX;
        let best = word_hits(&file, &meta, w, prefix);
        let weight = word_weight(meta.n as u64, best.len() as u64);
        weights += weight;
        for (doc, hit) in best {
            let a = acc.entry(doc).or_default();
            a.0 += 1;
            a.1 += u32::from(hit.exact);
            a.2 += weight * hit.score;
            // only documents with every word so far can have the phrase
            if a.0 as usize == i + 1 {
                title_at.entry(doc).or_default().push(hit.title_at);
            }
        }
    }
    let n = words.len() as u32;
    // filters: the documents' sections, areas and projects, read only when one is chosen
    let loc: Vec<LocEntry> = if f.section.is_some() || f.area.is_some() || f.project.is_some() {
        match file(&loc_path()).map(serde_json::from_slice) {
            Some(Ok(loc)) => loc,
            _ => return Ranked::default(),
        }
    } else {
        Vec::new()
    };
    let idx = |list: &[String], name: &Option<String>| {
        name.as_ref().map(|n| list.iter().position(|x| x == n))
    };
    let (area, project) = (idx(&meta.areas, &f.area), idx(&meta.projects, &f.project));
    let mut hits: Vec<(u32, (u32, u32, u32))> = acc
        .into_iter()
        .filter(|(doc, a)| 2 * a.0 >= n && (*doc as usize) < meta.n)
        .filter(|(doc, _)| {
            if loc.is_empty() {
                return true;
            }
            let Some(d) = loc.get(*doc as usize) else {
                return false;
            };
            let section_ok = f
                .section
                .as_ref()
                .is_none_or(|s| meta.sections.get(d.0).is_some_and(|x| x.0 == *s));
            let area_ok = area.is_none_or(|a| a.is_some_and(|a| d.2.contains(&a)));
            let project_ok = project.is_none_or(|p| p.is_some_and(|p| d.3.contains(&p)));
            section_ok && area_ok && project_ok
        })
        .collect();
    if n > 1 {
        for (doc, a) in &mut hits {
            let at = title_at.get(doc).map_or(&[][..], Vec::as_slice);
            let at: Vec<&[u32]> = at.iter().map(Vec::as_slice).collect();
            if a.0 == n && at.len() == n as usize && title_has_phrase(&at) {
                a.2 += 20 * weights;
            }
        }
    }
    hits.sort_by(|a, b| {
        (b.1 .0, b.1 .1, b.1 .2)
            .cmp(&(a.1 .0, a.1 .1, a.1 .2))
            .then(a.0.cmp(&b.0))
    });
    // URLs from the document files, each read once
    let mut chunks: HashMap<usize, Vec<DocEntry>> = HashMap::new();
    let chunk = meta.chunk.max(1);
    let mut url = |doc: u32| -> String {
        let doc = doc as usize;
        let entries = chunks.entry(doc / chunk).or_insert_with(|| {
            file(&chunk_path(doc / chunk))
                .and_then(|b| serde_json::from_slice(b).ok())
                .unwrap_or_default()
        });
        entries
            .get(doc % chunk)
            .map(|d| d.1.clone())
            .unwrap_or_default()
    };
    let mut r = Ranked::default();
    for (doc, a) in hits {
        if a.0 == n {
            r.full.push(url(doc));
        } else {
            r.partial.push(url(doc));
        }
    }
    r
}
