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
    rank_related(&input, limit)
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

/// The scoring, on plain data. Candidates come from the keys' page lists and are scored in a
/// dense per-thread array, so the cost follows the overlap between articles.
fn rank_related(input: &Input<'_>, limit: usize) -> Vec<Vec<usize>> {
    let Input {
        postings,
        page_keys,
        page_section,
        by_date,
        rank,
    } = *input;
    // Scores are kept by date rank, and the top is found by one scan in that order: of two
    // candidates with the same score the newer one comes first, so a later one only gets in
    // with a strictly higher score. Each article touches a good part of the site through its
    // area, project and tags (about a quarter of 10 000 articles in the benchmark), so a
    // sequential scan of a dense array costs less than following a list of touched articles
    // with random reads of their rank and section.
    let section_at: Vec<usize> = by_date.iter().map(|&j| page_section[j]).collect();
    let postings: Vec<(u32, Vec<u32>)> = postings
        .iter()
        .map(|(w, list)| (*w, list.iter().map(|&j| rank[j as usize] as u32).collect()))
        .collect();
    (0..page_keys.len())
        .into_par_iter()
        .map_init(
            || vec![0u32; page_keys.len()],
            |scores, i| {
                for &k in &page_keys[i] {
                    let (w, list) = &postings[k];
                    for &p in list {
                        scores[p as usize] += w;
                    }
                }
                scores[rank[i]] = 0;
                let section = page_section[i];
                // (score with the same-section point, rank), best first
                let mut best: Vec<(u32, usize)> = Vec::with_capacity(limit + 1);
                // a candidate needs MIN_SHARED points of shared keys, and score + 1 > the last
                // one's to get in once `best` is full
                let mut floor = MIN_SHARED;
                let mut from = 0;
                loop {
                    let p = next_at_least(scores, from, floor);
                    let Some(&score) = scores.get(p) else { break };
                    from = p + 1;
                    let total = score + u32::from(section_at[p] == section);
                    if best.len() == limit && total <= best[limit - 1].0 {
                        continue;
                    }
                    let at = best.iter().position(|b| total > b.0).unwrap_or(best.len());
                    best.insert(at, (total, p));
                    best.truncate(limit);
                    if best.len() == limit {
                        floor = best[limit - 1].0.max(MIN_SHARED);
                    }
                }
                scores.fill(0);
                best.iter().map(|&(_, p)| by_date[p]).collect()
            },
        )
        .collect()
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
        (0..n)
            .map(|i| {
                let mut scored: Vec<(u32, usize, usize)> = (0..n)
                    .filter(|&j| j != i)
                    .filter_map(|j| {
                        let score: u32 = input.page_keys[i]
                            .iter()
                            .filter(|&&k| postings[k].1.contains(&(j as u32)))
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

    /// Random sites (a small generator, fixed seeds): pages with 0–4 keys of weight 1, 2 or 3
    /// out of a few, in 1–3 sections, in a shuffled date order; sizes around the 16-wide block
    /// of the scan; limits 1 to 6.
    #[test]
    fn matches_the_brute_force_definition() {
        let mut next = crate::testutil::numbers(0x2545_f491_4f6c_dd1du64);
        for case in 0..300 {
            let n = 1 + next(70);
            let key_count = 1 + next(8);
            let weights: Vec<u32> = (0..key_count).map(|_| 1 + next(3) as u32).collect();
            let mut postings: Vec<(u32, Vec<u32>)> =
                weights.iter().map(|&w| (w, Vec::new())).collect();
            let mut page_keys = Vec::new();
            for i in 0..n {
                let mut ks: Vec<usize> = (0..next(5)).map(|_| next(key_count)).collect();
                ks.sort();
                ks.dedup();
                for &k in &ks {
                    postings[k].1.push(i as u32);
                }
                page_keys.push(ks);
            }
            let sections = 1 + next(3);
            let page_section: Vec<usize> = (0..n).map(|_| next(sections)).collect();
            let mut by_date: Vec<usize> = (0..n).collect();
            for k in (1..n).rev() {
                by_date.swap(k, next(k + 1));
            }
            let mut rank = vec![0; n];
            for (r, &i) in by_date.iter().enumerate() {
                rank[i] = r;
            }
            let limit = 1 + next(6);
            let input = Input {
                postings: &postings,
                page_keys: &page_keys,
                page_section: &page_section,
                by_date: &by_date,
                rank: &rank,
            };
            assert_eq!(
                rank_related(&input, limit),
                reference(&input, limit),
                "case {case}: n {n}, limit {limit}"
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
