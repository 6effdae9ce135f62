//! Reading the index files and ranking, exactly as `tim-kiem.js` does (rules in the module docs
//! of [`crate::search`]).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::text::tokens;
use super::{meta_path, shard_key, shard_path, MetaDoc, MIN_PREFIX};

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
    sections: Vec<(String, String)>,
    areas: Vec<String>,
    projects: Vec<String>,
    shards: Vec<String>,
    docs: Vec<MetaDoc>,
}

type Shard = BTreeMap<String, BTreeMap<String, Vec<u32>>>;

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

/// Whether the folded words of `title` hold the query's words one after another (the last one
/// as a prefix when `prefix`).
fn title_has_phrase(title: &str, words: &[super::Token], prefix: bool) -> bool {
    let t: Vec<String> = tokens(title).into_iter().map(|t| t.folded).collect();
    let n = words.len();
    n > 0
        && t.len() >= n
        && (0..=t.len() - n).any(|i| {
            words.iter().enumerate().all(|(j, w)| {
                let have = &t[i + j];
                *have == w.folded || prefix && j + 1 == n && have.starts_with(&w.folded)
            })
        })
}

/// The documents one query word finds: doc → (some spelling exact, best entry score). `prefix`:
/// the word may be the start of a longer one (the last word, still being typed).
fn word_hits<'a>(
    file: &dyn Fn(&str) -> Option<&'a [u8]>,
    meta: &Meta,
    w: &super::Token,
    prefix: bool,
) -> HashMap<u32, (bool, u32)> {
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
    // doc → (some spelling exact, best entry score)
    let mut best: HashMap<u32, (bool, u32)> = HashMap::new();
    for key in keys {
        let shard: Shard = match file(&shard_path(key)).map(serde_json::from_slice) {
            Some(Ok(s)) => s,
            _ => continue,
        };
        for (folded, spellings) in &shard {
            let whole = *folded == w.folded;
            if !(whole || prefix && folded.starts_with(&w.folded)) {
                continue;
            }
            for (spelling, postings) in spellings {
                let exact = if whole {
                    *spelling == w.exact
                } else {
                    spelling.starts_with(&w.exact)
                };
                let mut doc = 0;
                for pair in postings.chunks_exact(2) {
                    doc += pair[0];
                    let score = 20 * (pair[1] & 1) + (pair[1] >> 1).min(10) + 5 * u32::from(whole);
                    let e = best.entry(doc).or_default();
                    e.0 |= exact;
                    e.1 = e.1.max(score);
                }
            }
        }
    }
    best
}

/// The ranking of the module docs of [`crate::search`], split into full and partial matches.
pub fn rank(index_files: &[(String, Vec<u8>)], query: &str, f: &Filters) -> Ranked {
    let file = |p: &str| {
        index_files
            .iter()
            .find(|(q, _)| q == p)
            .map(|(_, b)| b.as_slice())
    };
    let Some(meta) = file(&meta_path()).and_then(|b| serde_json::from_slice::<Meta>(b).ok()) else {
        return Ranked::default();
    };
    let words = tokens(query);
    let prefix_last = !query.ends_with(char::is_whitespace);
    // doc → (words matched, words matched exactly, score)
    let mut acc: HashMap<u32, (u32, u32, u32)> = HashMap::new();
    let mut last_prefix = false;
    // sum of the query words' weights, for the phrase bonus
    let mut weights = 0;
    for (i, w) in words.iter().enumerate() {
        let len = w.folded.chars().count();
        let prefix = prefix_last && i + 1 == words.len() && len >= MIN_PREFIX;
        last_prefix = prefix;
        let best = word_hits(&file, &meta, w, prefix);
        let weight = word_weight(meta.docs.len() as u64, best.len() as u64);
        weights += weight;
        for (doc, (exact, score)) in best {
            let a = acc.entry(doc).or_default();
            a.0 += 1;
            a.1 += u32::from(exact);
            a.2 += weight * score;
        }
    }
    let n = words.len() as u32;
    let idx = |list: &[String], name: &Option<String>| {
        name.as_ref().map(|n| list.iter().position(|x| x == n))
    };
    let (area, project) = (idx(&meta.areas, &f.area), idx(&meta.projects, &f.project));
    let mut hits: Vec<(u32, (u32, u32, u32))> = acc
        .into_iter()
        .filter(|(_, a)| 2 * a.0 >= n)
        .filter(|(doc, _)| {
            let Some(d) = meta.docs.get(*doc as usize) else {
                return false;
            };
            let section_ok = f
                .section
                .as_ref()
                .is_none_or(|s| meta.sections.get(d.3).is_some_and(|x| x.0 == *s));
            let area_ok = area.is_none_or(|a| a.is_some_and(|a| d.5.contains(&a)));
            let project_ok = project.is_none_or(|p| p.is_some_and(|p| d.6.contains(&p)));
            section_ok && area_ok && project_ok
        })
        .collect();
    if n > 1 {
        for (doc, a) in &mut hits {
            if a.0 == n && title_has_phrase(&meta.docs[*doc as usize].0, &words, last_prefix) {
                a.2 += 20 * weights;
            }
        }
    }
    hits.sort_by(|a, b| {
        (b.1 .0, b.1 .1, b.1 .2)
            .cmp(&(a.1 .0, a.1 .1, a.1 .2))
            .then(a.0.cmp(&b.0))
    });
    let mut r = Ranked::default();
    for (doc, a) in hits {
        let url = meta.docs[doc as usize].1.clone();
        if a.0 == n {
            r.full.push(url);
        } else {
            r.partial.push(url);
        }
    }
    r
}
