//! Template values built from the Site model. Each article's summary value is built once and
//! shared by every listing, feed and sidebar it appears in.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use tera::value::Key;

use super::TValue;
use crate::markdown::Heading;
use crate::site::Site;

/// Plain-text teaser: description, else the text before `<!-- more -->`, else the first paragraph.
fn summary_text(site: &Site, i: usize) -> String {
    let p = &site.pages[i];
    let text = if !p.description.trim().is_empty() {
        p.description.trim().to_string()
    } else {
        p.rendered.first_paragraph.clone()
    };
    crate::locale::shorten(&text, 300)
}

/// A template map from pairs given in key order: the order serde_json's maps iterate, which a
/// template's `{% for k, v in map %}` sees. Static keys cost no allocation (a key made by
/// serde was an `Arc<str>` of its own in every summary).
pub fn tmap<const N: usize>(pairs: [(&'static str, TValue); N]) -> TValue {
    debug_assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0));
    let mut m = tera::Map::with_capacity(N);
    for (k, v) in pairs {
        m.insert(Key::Str(k), v);
    }
    TValue::from(m)
}

/// One empty array for every summary's empty lists (authors, assets, areas, projects).
static EMPTY: std::sync::LazyLock<TValue> =
    std::sync::LazyLock::new(|| TValue::from(Vec::<TValue>::new()));

/// A template array, the shared empty one when `v` is empty.
fn strings(v: Vec<TValue>) -> TValue {
    if v.is_empty() {
        EMPTY.clone()
    } else {
        TValue::from(v)
    }
}

/// An integer as serde_json carried it: non-negative ones unsigned.
fn int(n: i64) -> TValue {
    u64::try_from(n).map_or(TValue::from(n), TValue::from)
}

fn date_value(d: &Option<chrono::DateTime<chrono::FixedOffset>>) -> TValue {
    d.map_or(TValue::none(), |d| TValue::from(d.to_rfc3339()))
}

/// Values that many summaries hold alike, built once: each summary takes a clone (a reference
/// count for maps and long strings) instead of its own copy. At 100 000 articles the copies
/// were most of the summaries' memory.
struct Shared {
    /// Per taxonomy (`site.taxonomies` order), per term: its `name` and its `terms` entry,
    /// both with the term's own spelling (an article that spells it otherwise builds its own).
    terms: Vec<Vec<(TValue, TValue)>>,
    /// Per section: `section` and `section_title`.
    sections: Vec<[TValue; 2]>,
    /// Per taxonomy: its name as a map key.
    keys: Vec<Key<'static>>,
}

impl Shared {
    fn new(site: &Site) -> Shared {
        let cfg = &site.config;
        let terms = site
            .taxonomies
            .iter()
            .map(|t| {
                let pair = |term: &crate::site::Term| {
                    let link = term_link(cfg, t, term, &term.name, &term.slug);
                    (TValue::from(term.name.as_str()), link)
                };
                t.terms.iter().map(pair).collect()
            })
            .collect();
        let sections = site.sections.iter().map(section_pair).collect();
        let keys = site
            .taxonomies
            .iter()
            .map(|t| Key::String(t.config.name.as_str().into()))
            .collect();
        Shared {
            terms,
            sections,
            keys,
        }
    }
}

fn section_pair(node: &crate::site::SectionNode) -> [TValue; 2] {
    let s = &node.section;
    [TValue::from(s.dir.as_str()), TValue::from(s.title.as_str())]
}

/// An entry of a summary's `terms`: the link to a term's page.
fn term_link(
    cfg: &crate::config::SiteConfig,
    t: &crate::site::Taxonomy,
    term: &crate::site::Term,
    name: &str,
    slug: &str,
) -> TValue {
    let path = t.term_path(term);
    tmap([
        ("name", TValue::from(name)),
        ("permalink", TValue::from(cfg.permalink(&path))),
        ("slug", TValue::from(slug)),
        ("url", TValue::from(cfg.url(&path))),
    ])
}

/// Every article's summary, built in parallel with the shared values.
pub fn page_summaries(site: &Site) -> Vec<TValue> {
    use rayon::prelude::*;
    let shared = Shared::new(site);
    (0..site.pages.len())
        .into_par_iter()
        .map(|i| summary(site, i, Some(&shared)))
        .collect()
}

/// The `page` value without body, toc and neighbours (listings, feeds, sidebars).
pub fn page_summary(site: &Site, i: usize) -> TValue {
    summary(site, i, None)
}

/// `taxonomies` (names as the article spells them) and `terms` (links to the term pages) of a
/// summary, both keyed by taxonomy name in name order.
fn taxonomy_values(site: &Site, i: usize, shared: Option<&Shared>) -> (TValue, TValue) {
    let p = &site.pages[i];
    let mut by_name = BTreeMap::new();
    for (ti, t) in site.taxonomies.iter().enumerate() {
        if let Some(values) = p.meta.taxonomies.get(&t.config.name) {
            by_name.insert(t.config.name.as_str(), (ti, values));
        }
    }
    let mut taxonomies = tera::Map::with_capacity(by_name.len());
    let mut terms = tera::Map::with_capacity(by_name.len());
    for (name, (ti, values)) in by_name {
        let (names, links) = term_values(site, ti, values, shared);
        let key = shared.map_or_else(|| Key::String(name.into()), |s| s.keys[ti].clone());
        taxonomies.insert(key.clone(), names);
        terms.insert(key, links);
    }
    (TValue::from(taxonomies), TValue::from(terms))
}

/// The names and term links of one taxonomy's values in an article.
fn term_values(
    site: &Site,
    ti: usize,
    values: &[toml::Spanned<String>],
    shared: Option<&Shared>,
) -> (TValue, TValue) {
    let t = &site.taxonomies[ti];
    let mut names = Vec::with_capacity(values.len());
    let mut links = Vec::with_capacity(values.len());
    for v in values {
        let name = v.get_ref().trim();
        let slug = crate::locale::slugify(v.get_ref());
        let Some(k) = t.term_index(&slug) else {
            names.push(TValue::from(name));
            continue;
        };
        let term = &t.terms[k];
        match shared.filter(|_| term.name == name) {
            Some(s) => {
                let (n, l) = &s.terms[ti][k];
                names.push(n.clone());
                links.push(l.clone());
            }
            None => {
                names.push(TValue::from(name));
                links.push(term_link(&site.config, t, term, name, &slug));
            }
        }
    }
    (TValue::from(names), TValue::from(links))
}

fn summary(site: &Site, i: usize, shared: Option<&Shared>) -> TValue {
    let p = &site.pages[i];
    let cfg = &site.config;
    let (taxonomies, terms) = taxonomy_values(site, i, shared);
    let [section, section_title] = match shared {
        Some(s) => s.sections[site.page_section[i]].clone(),
        None => section_pair(site.section_of(i)),
    };
    // the teaser is most often the description itself: one string for both
    let description = TValue::from(p.description.as_str());
    let summary_text = match summary_text(site, i) {
        t if t == p.description => description.clone(),
        t => TValue::from(t),
    };
    let authors = p.meta.authors.iter().map(|a| TValue::from(a.as_str()));
    let assets = p
        .assets
        .iter()
        .map(|(_, name)| TValue::from(cfg.url(&format!("{}{}", p.path, name))));
    tmap([
        ("areas", areas_value(site, i)),
        ("assets", strings(assets.collect())),
        ("authors", strings(authors.collect())),
        ("date", date_value(&p.date)),
        ("description", description),
        ("draft", TValue::from(p.meta.draft)),
        (
            "extra",
            super::tv(&crate::config::toml_to_json(&toml::Value::Table(
                p.meta.extra.to_table(),
            ))),
        ),
        ("image", super::tv(&image_value(site, i))),
        ("permalink", TValue::from(cfg.permalink(&p.path))),
        ("projects", projects_value(site, i)),
        (
            "reading_time",
            TValue::from((p.rendered.word_count / 200).max(1)),
        ),
        ("relative_path", TValue::from(p.source.relative.as_str())),
        ("section", section),
        ("section_title", section_title),
        ("slug", TValue::from(p.slug.as_str())),
        ("summary", TValue::from(p.rendered.summary_html.as_deref())),
        ("summary_text", summary_text),
        ("taxonomies", taxonomies),
        ("terms", terms),
        ("title", TValue::from(p.title.as_str())),
        ("updated", date_value(&p.updated)),
        ("url", TValue::from(cfg.url(&p.path))),
        (
            "van_ban",
            super::tv(&super::van_ban::document_value(site, i)),
        ),
        ("weight", p.meta.weight.map_or(TValue::none(), int)),
        ("word_count", TValue::from(p.rendered.word_count)),
    ])
}

/// `areas`: they link to their generated pages when the data declares them.
fn areas_value(site: &Site, i: usize) -> TValue {
    let cfg = &site.config;
    let data = site.data.as_ref();
    let areas =
        site.pages[i]
            .meta
            .areas
            .iter()
            .map(|a| match data.and_then(|d| d.area(a.get_ref())) {
                Some(area) => tmap([
                    ("id", TValue::from(area.id.as_str())),
                    ("name", TValue::from(area.name.as_str())),
                    (
                        "url",
                        TValue::from(cfg.url(&crate::paths::area_path(&area.id))),
                    ),
                ]),
                None => unlinked(a.get_ref()),
            });
    strings(areas.collect())
}

/// An area or project the data does not declare: its id as its name, no page.
fn unlinked(id: &str) -> TValue {
    tmap([
        ("id", TValue::from(id)),
        ("name", TValue::from(id)),
        ("url", TValue::from("")),
    ])
}

/// `projects`, as [`areas_value`].
fn projects_value(site: &Site, i: usize) -> TValue {
    let cfg = &site.config;
    let projects = site.pages[i].meta.projects.iter().map(|a| {
        let id = a.get_ref();
        match site
            .data
            .as_ref()
            .and_then(|d| d.project_index.get(id).map(|&k| (d, k)))
        {
            Some((d, k)) => tmap([
                ("id", TValue::from(id.as_str())),
                ("label", TValue::from(d.project_label(k))),
                (
                    "name",
                    TValue::from(format!("{}: {}", d.project_label(k), d.projects[k].name)),
                ),
                (
                    "url",
                    TValue::from(cfg.url(&crate::paths::project_path(id))),
                ),
            ]),
            None => unlinked(id),
        }
    });
    strings(projects.collect())
}

/// A copy of the template map `v` with `extra` keys added (or replaced), keys in order. The
/// values are shared, not copied.
pub fn extended(v: &TValue, extra: Vec<(&'static str, TValue)>) -> TValue {
    // keys in order, a key given in `extra` replacing the value's own; a sorted Vec, not a
    // BTreeMap: this runs for every article page
    let mut pairs: Vec<(Key<'static>, TValue)> = v
        .as_map()
        .map(|m| {
            let mut pairs = Vec::with_capacity(m.len() + extra.len());
            pairs.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
            pairs
        })
        .unwrap_or_default();
    pairs.extend(extra.into_iter().map(|(k, v)| (Key::Str(k), v)));
    // stable: of equal keys the one from `extra` stays last, and is the one kept
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut m = tera::Map::with_capacity(pairs.len());
    for (k, v) in pairs {
        m.insert(k, v);
    }
    TValue::from(m)
}

/// The full `page` value of an article page: its summary with the body, the table of contents
/// and its neighbours (their summaries).
pub fn page_full(site: &Site, i: usize, summaries: &[TValue]) -> TValue {
    let p = &site.pages[i];
    let neighbour = |j: Option<usize>| j.map_or(TValue::none(), |j| summaries[j].clone());
    let (higher, lower) = site.neighbours(i);
    extended(
        &summaries[i],
        vec![
            ("content", TValue::from(p.rendered.html.text())),
            ("toc", toc_value(&p.rendered.toc)),
            ("higher", neighbour(higher)),
            ("lower", neighbour(lower)),
        ],
    )
}

/// `page.toc`: headings as maps with their keys in order (as JSON made them before), built
/// directly: every article page makes one, and the round trip through `serde_json` was a
/// large part of making its value.
fn toc_value(toc: &[Heading]) -> TValue {
    strings(
        toc.iter()
            .map(|h| {
                tmap([
                    ("children", toc_value(&h.children)),
                    ("id", TValue::from(h.id.as_str())),
                    ("level", TValue::from_serializable(&u64::from(h.level))),
                    ("title", TValue::from(h.title.as_str())),
                ])
            })
            .collect(),
    )
}

/// The `section` value. It deliberately carries no list of all its articles: every pager page
/// of a 10 000-article section would copy all of them (Zola's quadratic cost); listings use
/// `paginator.pages`.
pub fn section_value(site: &Site, si: usize) -> Value {
    let node = &site.sections[si];
    let s = &node.section;
    let cfg = &site.config;
    let subsections: Vec<Value> = node
        .subsections
        .iter()
        .map(|&k| {
            let sub = &site.sections[k].section;
            json!({"title": sub.title, "url": cfg.url(&sub.path), "path": sub.dir})
        })
        .collect();
    json!({
        "title": s.title,
        "description": s.meta.description.clone().unwrap_or_default(),
        "url": cfg.url(&s.path),
        "permalink": cfg.permalink(&s.path),
        "relative_path": s.source.relative,
        "path": s.dir,
        "content": s.rendered.html.text(),
        "subsections": subsections,
        "extra": crate::config::toml_to_json(&toml::Value::Table(s.meta.extra.clone())),
        "page_count": node.pages.len(),
        "feed": s.meta.feed,
    })
}

/// `page.image`: the article's picture (see `site::page_image`), or null. `url`, `width`,
/// `height` are those of its 960 px variant (or its own size below that), `small_*` of the
/// smallest (listings), `srcset`/`srcset_webp` every width, `permalink` the largest as an
/// absolute URL (share previews), `alt` the article's title (the picture stands for it).
fn image_value(site: &Site, i: usize) -> Value {
    let p = &site.pages[i];
    let Some(photo) = p.image.as_deref().and_then(|ph| site.photos.get(ph)) else {
        return Value::Null;
    };
    let cfg = &site.config;
    let url = |out: &str| crate::anh::url(&cfg.base.path, out);
    let v = photo.default_variant();
    let small = photo.in_format(photo.format).next().unwrap_or(v);
    let webp = if photo
        .variants
        .iter()
        .any(|v| v.format == crate::anh::Format::WebP)
    {
        photo.srcset(crate::anh::Format::WebP, &url)
    } else {
        String::new()
    };
    obj!({
        "url": url(&v.output),
        "width": v.width,
        "height": v.height,
        "small_url": url(&small.output),
        "small_width": small.width,
        "small_height": small.height,
        "srcset": photo.srcset(photo.format, &url),
        "srcset_webp": webp,
        "permalink": cfg.permalink(&photo.main.output),
        "mime": photo.format.mime(),
        "alt": p.title.as_str(),
    })
}
