//! Related articles: shared areas/projects (3 points each), shared terms (2), same section (1);
//! ties newest first. An area that contains other areas (a province, on a provincial site) is
//! shared by nearly every article, so it counts 1 point, and an article is related only with at
//! least [`MIN_SHARED`] points of shared keys: "both are about the province" alone relates
//! nothing. An article that shares no key is never listed (no filling up with the newest of the
//! section: a notice about office hours is not related to a project report because both are
//! recent). Computed once for the whole site while the model is built.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::content::Page;
use crate::locale::slugify;

/// Points of shared keys (the same-section point not counted) a related article needs.
const MIN_SHARED: u32 = 2;
/// Points of a shared area or project.
const SPECIFIC: u32 = 3;
/// Points of a shared area that contains other areas.
const BROAD_AREA: u32 = 1;
/// Points of a shared taxonomy term (tag, chủ đề).
const TERM: u32 = 2;

/// The related articles of every page (indexes into `pages`), at most `limit` each.
/// `by_date`: pages newest first; `rank[i]`: position of page i in it; `broad_area(id)`: whether
/// the area contains other areas.
pub(super) fn compute_related(
    pages: &[Page],
    page_section: &[usize],
    by_date: &[usize],
    rank: &[usize],
    limit: usize,
    broad_area: &dyn Fn(&str) -> bool,
) -> Vec<Vec<usize>> {
    if limit == 0 {
        return vec![Vec::new(); pages.len()];
    }
    let (postings, page_keys) = keys(pages, broad_area);
    let input = Input {
        postings: &postings,
        page_keys: &page_keys,
        page_section,
        by_date,
        rank,
    };
    rank_related(&input, limit, MAX_INDEXED_KEYS)
}

/// What the ranking reads: the keys' page lists and weights, each page's keys and section, the
/// date order and each page's place in it.
#[derive(Clone, Copy)]
struct Input<'a> {
    postings: &'a [(u32, Vec<u32>)],
    page_keys: &'a [Vec<usize>],
    page_section: &'a [usize],
    by_date: &'a [usize],
    rank: &'a [usize],
}

/// Per key (area, project, term): its weight and the pages having it, in page order.
type Postings = Vec<(u32, Vec<u32>)>;

/// Every key interned once, and the key ids of each page.
fn keys(pages: &[Page], broad_area: &dyn Fn(&str) -> bool) -> (Postings, Vec<Vec<usize>>) {
    // Intern every key once: (weight, postings).
    let mut key_ids: HashMap<String, usize> = HashMap::new();
    let mut postings: Postings = Vec::new();
    let mut page_keys: Vec<Vec<usize>> = Vec::with_capacity(pages.len());
    for (i, p) in pages.iter().enumerate() {
        let mut keys: Vec<(u32, String)> = Vec::new();
        keys.extend(p.meta.areas.iter().map(|a| {
            let a = a.get_ref();
            let w = if broad_area(a) { BROAD_AREA } else { SPECIFIC };
            (w, format!("a:{a}"))
        }));
        keys.extend(
            p.meta
                .projects
                .iter()
                .map(|a| (SPECIFIC, format!("p:{}", a.get_ref()))),
        );
        for (t, vals) in &p.meta.taxonomies {
            keys.extend(
                vals.iter()
                    .map(|v| (TERM, format!("t:{t}:{}", slugify(v.get_ref())))),
            );
        }
        keys.sort();
        keys.dedup();
        let mut ids = Vec::with_capacity(keys.len());
        for (w, k) in keys {
            let id = *key_ids.entry(k).or_insert_with(|| {
                postings.push((w, Vec::new()));
                postings.len() - 1
            });
            postings[id].1.push(i as u32);
            ids.push(id);
        }
        page_keys.push(ids);
    }
    (postings, page_keys)
}

/// Pages with at most this many keys are found through the subset index (each is listed under
/// its key subsets, 2^keys − 1: 63 at most, 7 for the usual three tags); a page with more keys
/// is scored against the whole site (see [`dense_best`]), and every page checks those pages
/// one by one: the cost grows with n² again only if many pages have that many keys.
const MAX_INDEXED_KEYS: usize = 6;

/// The scoring, on plain data. Every candidate `j` of page `i` scores the weight of
/// `keys(i) ∩ keys(j)` (the exact intersection), plus the same-section point; ties newest
/// first. The pages sharing the exact intersection `S` with `i` all score `w(S)` or `w(S)+1`,
/// and the newest of them come first in the list of pages having every key of `S` (the subset
/// index, by date rank). So a page only walks the fronts of the lists of its own key subsets,
/// heaviest first, and stops when nothing later can get in: its cost does not grow with the
/// site (the previous scoring walked every page sharing a key with it, about a quarter of the
/// site, and scanned a site-long score array: 1e10 steps at 100 000 articles).
/// `max_indexed`: [`MAX_INDEXED_KEYS`] (a parameter so the tests can mix both kinds of page).
fn rank_related(input: &Input<'_>, limit: usize, max_indexed: usize) -> Vec<Vec<usize>> {
    let Input {
        postings,
        page_keys,
        page_section,
        by_date,
        rank,
    } = *input;
    let n = page_keys.len();
    let max_indexed = max_indexed.min(MAX_INDEXED_KEYS);
    let weight: Vec<u32> = postings.iter().map(|(w, _)| *w).collect();
    // Everything by date rank: keys sorted by id (the subsets' canonical order) and section.
    let keys_at: Vec<Vec<u32>> = by_date
        .iter()
        .map(|&j| {
            let mut k: Vec<u32> = page_keys[j].iter().map(|&k| k as u32).collect();
            k.sort_unstable();
            k.dedup();
            k
        })
        .collect();
    let section_at: Vec<usize> = by_date.iter().map(|&j| page_section[j]).collect();
    let ranked = Ranked {
        weight: &weight,
        keys_at: &keys_at,
        section_at: &section_at,
    };
    let index = SubsetIndex::new(&ranked, max_indexed);
    let any_wide = !index.wide.is_empty();
    let dense_postings: Vec<(u32, Vec<u32>)> = if any_wide {
        postings
            .iter()
            .map(|(w, list)| (*w, list.iter().map(|&j| rank[j as usize] as u32).collect()))
            .collect()
    } else {
        Vec::new()
    };
    (0..n)
        .into_par_iter()
        .map_init(
            || None::<Vec<u32>>,
            |scores, i| {
                let r = rank[i];
                let best = if keys_at[r].len() <= max_indexed {
                    index.best(&ranked, r, limit)
                } else {
                    let scores = scores.get_or_insert_with(|| vec![0u32; n]);
                    dense_best(&dense_postings, &ranked, scores, r, limit)
                };
                best.iter().map(|&(_, p)| by_date[p as usize]).collect()
            },
        )
        .collect()
}

/// Key weights, and each page's sorted keys and section, by date rank.
struct Ranked<'a> {
    weight: &'a [u32],
    keys_at: &'a [Vec<u32>],
    section_at: &'a [usize],
}

impl Ranked<'_> {
    /// The positions in `q` (sorted key ids) of the keys page `r` has too, as bits.
    fn shared(&self, q: &[u32], r: usize) -> u32 {
        let keys = &self.keys_at[r];
        let (mut a, mut b, mut mask) = (0, 0, 0u32);
        while a < q.len() && b < keys.len() {
            match q[a].cmp(&keys[b]) {
                std::cmp::Ordering::Less => a += 1,
                std::cmp::Ordering::Greater => b += 1,
                std::cmp::Ordering::Equal => {
                    mask |= 1 << a;
                    a += 1;
                    b += 1;
                }
            }
        }
        mask
    }

    /// Weight of the keys of `q` picked by `mask`.
    fn mask_weight(&self, q: &[u32], mask: u32) -> u32 {
        (0..q.len())
            .filter(|b| mask & (1 << b) != 0)
            .map(|b| self.weight[q[b] as usize])
            .sum()
    }
}

/// A key subset: its key ids, then `u32::MAX`.
type SubsetKey = [u32; MAX_INDEXED_KEYS];

/// The key subset of `q` picked by `mask`.
fn subset_key(q: &[u32], mask: u32) -> SubsetKey {
    let mut key = [u32::MAX; MAX_INDEXED_KEYS];
    let mut at = 0;
    for (b, &k) in q.iter().enumerate() {
        if mask & (1 << b) != 0 {
            key[at] = k;
            at += 1;
        }
    }
    key
}

/// The pages having every key of a subset, by date rank, per section (section, ranks).
type Lists = Vec<(usize, Vec<u32>)>;

/// Per key subset of weight at least [`MIN_SHARED`], the pages (with at most `max_indexed`
/// keys) having all of its keys; the pages with more keys ("wide") apart.
struct SubsetIndex {
    lists: HashMap<SubsetKey, Lists>,
    wide: Vec<u32>,
}

impl SubsetIndex {
    fn new(ranked: &Ranked<'_>, max_indexed: usize) -> SubsetIndex {
        let mut lists: HashMap<SubsetKey, Lists> = HashMap::new();
        let mut wide = Vec::new();
        for (r, keys) in ranked.keys_at.iter().enumerate() {
            if keys.len() > max_indexed {
                wide.push(r as u32);
                continue;
            }
            let section = ranked.section_at[r];
            for mask in 1..1u32 << keys.len() {
                if ranked.mask_weight(keys, mask) < MIN_SHARED {
                    continue;
                }
                let l = lists.entry(subset_key(keys, mask)).or_default();
                match l.iter_mut().find(|(s, _)| *s == section) {
                    Some((_, v)) => v.push(r as u32),
                    None => l.push((section, vec![r as u32])),
                }
            }
        }
        SubsetIndex { lists, wide }
    }

    /// The best `limit` (total, rank) of the page at rank `me`, best first.
    fn best(&self, ranked: &Ranked<'_>, me: usize, limit: usize) -> Vec<(u32, u32)> {
        let q = &ranked.keys_at[me][..];
        let section = ranked.section_at[me];
        let mut subsets: Vec<(u32, u32)> = (1..1u32 << q.len())
            .map(|mask| (ranked.mask_weight(q, mask), mask))
            .filter(|&(w, _)| w >= MIN_SHARED)
            .collect();
        subsets.sort_unstable_by_key(|s| std::cmp::Reverse(s.0));
        let mut best = Best::new(limit);
        for (w, mask) in subsets {
            // every later subset weighs at most `w`: nothing of them beats a full list whose
            // last total is over w + 1
            if best.closed(w + 1, 0) {
                break;
            }
            let Some(lists) = self.lists.get(&subset_key(q, mask)) else {
                continue;
            };
            // the same section first (w + 1 points), then the others (w); a page is counted
            // under its exact intersection with `q` only
            let same = lists.iter().filter(|(s, _)| *s == section);
            for (s, list) in same.chain(lists.iter().filter(|(s, _)| *s != section)) {
                let total = w + u32::from(*s == section);
                for &r in list {
                    if best.closed(total, r) {
                        break;
                    }
                    if r as usize != me && ranked.shared(q, r as usize) == mask {
                        best.offer(total, r);
                    }
                }
            }
        }
        for &r in &self.wide {
            let r = r as usize;
            if r == me {
                continue;
            }
            let w = ranked.mask_weight(q, ranked.shared(q, r));
            if w >= MIN_SHARED {
                best.offer(w + u32::from(ranked.section_at[r] == section), r as u32);
            }
        }
        best.0
    }
}

/// The best candidates so far, (total, rank) best first: a higher total, or the same total
/// and newer (a lower rank).
struct Best(Vec<(u32, u32)>, usize);

impl Best {
    fn new(limit: usize) -> Best {
        Best(Vec::with_capacity(limit + 1), limit)
    }

    /// Whether a candidate of at most `total` at a rank of at least `rank` cannot get in.
    fn closed(&self, total: u32, rank: u32) -> bool {
        self.0.len() == self.1
            && self
                .0
                .last()
                .is_some_and(|&(t, r)| t > total || (t == total && r < rank))
    }

    fn offer(&mut self, total: u32, rank: u32) {
        let beats = |&(t, r): &(u32, u32)| total > t || (total == t && rank < r);
        if self.0.len() == self.1 && !self.0.last().is_some_and(beats) {
            return;
        }
        let at = self.0.iter().position(beats).unwrap_or(self.0.len());
        self.0.insert(at, (total, rank));
        self.0.truncate(self.1);
    }
}

/// The best `limit` (total, rank) of the page at rank `me` by scoring every page sharing a key
/// with it (a page with more keys than the subset index takes): `postings` by rank, `scores` a
/// zeroed array as long as the site (zeroed again on return).
fn dense_best(
    postings: &[(u32, Vec<u32>)],
    ranked: &Ranked<'_>,
    scores: &mut [u32],
    me: usize,
    limit: usize,
) -> Vec<(u32, u32)> {
    for &k in &ranked.keys_at[me] {
        let (w, list) = &postings[k as usize];
        for &p in list {
            scores[p as usize] += w;
        }
    }
    scores[me] = 0;
    let section = ranked.section_at[me];
    let mut best = Best::new(limit);
    // Scores are kept by date rank, so one scan in that order meets ties newest first; once
    // `best` is full a later candidate needs total > the last one's, so score >= that total
    let mut floor = MIN_SHARED;
    let mut from = 0;
    loop {
        let p = next_at_least(scores, from, floor);
        let Some(&score) = scores.get(p) else { break };
        from = p + 1;
        best.offer(score + u32::from(ranked.section_at[p] == section), p as u32);
        if best.0.len() == limit {
            floor = best.0[limit - 1].0.max(MIN_SHARED);
        }
    }
    scores.fill(0);
    best.0
}

/// Index of the first score at or after `from` that is at least `floor` (which is at least 1),
/// or `scores.len()`. Most scores of the related-articles scan are below the floor once the
/// best few are found, so they are skipped 16 at a time.
fn next_at_least(scores: &[u32], from: usize, floor: u32) -> usize {
    let mut p = from;
    // a whole block tested without early exit: the compiler vectorises it
    while p + 16 <= scores.len() {
        let block: &[u32; 16] = scores[p..p + 16].try_into().expect("16 scores");
        if block.iter().fold(false, |any, &s| any | (s >= floor)) {
            break;
        }
        p += 16;
    }
    scores[p..]
        .iter()
        .position(|&s| s >= floor)
        .map_or(scores.len(), |q| p + q)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, by brute force: every other page scored, those with fewer than
    /// MIN_SHARED points of shared keys dropped, sorted, cut.
    fn reference(input: &Input<'_>, limit: usize) -> Vec<Vec<usize>> {
        let (postings, section) = (input.postings, input.page_section);
        let n = input.page_keys.len();
        // which pages each key has, as sets (the brute force of the bigger sites stays quick)
        let has: Vec<std::collections::HashSet<u32>> = postings
            .iter()
            .map(|(_, list)| list.iter().copied().collect())
            .collect();
        (0..n)
            .map(|i| {
                let mut scored: Vec<(u32, usize, usize)> = (0..n)
                    .filter(|&j| j != i)
                    .filter_map(|j| {
                        let score: u32 = input.page_keys[i]
                            .iter()
                            .filter(|&&k| has[k].contains(&(j as u32)))
                            .map(|&k| postings[k].0)
                            .sum();
                        (score >= MIN_SHARED).then(|| {
                            let same = u32::from(section[i] == section[j]);
                            (score + same, input.rank[j], j)
                        })
                    })
                    .collect();
                scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                scored.iter().take(limit).map(|c| c.2).collect()
            })
            .collect()
    }

    /// A random site: `n` pages with up to `max_keys` keys (weights 1–3) out of `key_count`,
    /// in up to `sections` sections, in a shuffled date order. Returns (postings, page keys,
    /// sections, by_date, rank).
    #[allow(clippy::type_complexity)]
    fn random_site(
        next: &mut impl FnMut(usize) -> usize,
        n: usize,
        key_count: usize,
        max_keys: usize,
        sections: usize,
    ) -> (
        Vec<(u32, Vec<u32>)>,
        Vec<Vec<usize>>,
        Vec<usize>,
        Vec<usize>,
        Vec<usize>,
    ) {
        let weights: Vec<u32> = (0..key_count).map(|_| 1 + next(3) as u32).collect();
        let mut postings: Vec<(u32, Vec<u32>)> = weights.iter().map(|&w| (w, Vec::new())).collect();
        let mut page_keys = Vec::new();
        for i in 0..n {
            let mut ks: Vec<usize> = (0..next(max_keys + 1)).map(|_| next(key_count)).collect();
            ks.sort();
            ks.dedup();
            // not sorted by id, as `keys` gives them
            if ks.len() > 1 && next(2) == 0 {
                ks.reverse();
            }
            for &k in &ks {
                postings[k].1.push(i as u32);
            }
            page_keys.push(ks);
        }
        let sections = 1 + next(sections);
        let page_section: Vec<usize> = (0..n).map(|_| next(sections)).collect();
        let mut by_date: Vec<usize> = (0..n).collect();
        for k in (1..n).rev() {
            by_date.swap(k, next(k + 1));
        }
        let mut rank = vec![0; n];
        for (r, &i) in by_date.iter().enumerate() {
            rank[i] = r;
        }
        (postings, page_keys, page_section, by_date, rank)
    }

    /// Random sites (a small generator, fixed seeds): pages with 0–4 keys of weight 1, 2 or 3
    /// out of a few, in 1–3 sections, in a shuffled date order; sizes around the 16-wide block
    /// of the scan; limits 1 to 6; pages past 0, 1, 2 or 6 keys scored against the whole site
    /// (so both ways and their mix are checked).
    #[test]
    fn matches_the_brute_force_definition() {
        let mut next = crate::testutil::numbers(0x2545_f491_4f6c_dd1du64);
        for case in 0..300 {
            let n = 1 + next(70);
            let key_count = 1 + next(8);
            let (postings, page_keys, page_section, by_date, rank) =
                random_site(&mut next, n, key_count, 4, 3);
            let limit = 1 + next(6);
            let input = Input {
                postings: &postings,
                page_keys: &page_keys,
                page_section: &page_section,
                by_date: &by_date,
                rank: &rank,
            };
            let max_indexed = [0, 1, 2, MAX_INDEXED_KEYS][case % 4];
            assert_eq!(
                rank_related(&input, limit, max_indexed),
                reference(&input, limit),
                "case {case}: n {n}, limit {limit}, max_indexed {max_indexed}"
            );
        }
    }

    /// Bigger sites, shaped like the benchmark's and like a province's: many pages sharing a
    /// few keys (so the subset lists are long and most candidates tie), up to 8 keys a page
    /// (some past the index), a few sections.
    #[test]
    fn matches_the_brute_force_definition_on_bigger_sites() {
        let mut next = crate::testutil::numbers(0x9e37_79b9_7f4a_7c15u64);
        for case in 0..12 {
            let n = 300 + next(1200);
            let key_count = [4, 12, 30][case % 3];
            let max_keys = [3, 5, 8][case / 3 % 3];
            let (postings, page_keys, page_section, by_date, rank) =
                random_site(&mut next, n, key_count, max_keys, 4);
            let limit = 1 + next(10);
            let input = Input {
                postings: &postings,
                page_keys: &page_keys,
                page_section: &page_section,
                by_date: &by_date,
                rank: &rank,
            };
            assert_eq!(
                rank_related(&input, limit, MAX_INDEXED_KEYS),
                reference(&input, limit),
                "case {case}: n {n}, keys {key_count}, limit {limit}"
            );
        }
    }

    #[test]
    fn next_at_least_finds_the_first_score_at_the_floor() {
        let mut scores = vec![0u32; 53];
        for (at, v) in [(3, 1), (17, 5), (31, 2), (52, 9)] {
            scores[at] = v;
        }
        for from in 0..=scores.len() {
            for floor in 1..11 {
                let want = (from..scores.len())
                    .find(|&p| scores[p] >= floor)
                    .unwrap_or(scores.len());
                assert_eq!(next_at_least(&scores, from, floor), want, "{from} {floor}");
            }
        }
    }
}
