//! Template values built from the Site model. Each article's summary value is built once and
//! shared by every listing, feed and sidebar it appears in.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};
use tera::value::Key;

use super::TValue;
use crate::site::Site;

fn date_str(d: &Option<chrono::DateTime<chrono::FixedOffset>>) -> Value {
    match d {
        Some(d) => Value::String(d.to_rfc3339()),
        None => Value::Null,
    }
}

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

/// The `page` value without body, toc and neighbours (listings, feeds, sidebars).
pub fn page_summary(site: &Site, i: usize) -> TValue {
    let p = &site.pages[i];
    let cfg = &site.config;
    let section = site.section_of(i);
    let mut taxonomies = Map::new();
    let mut terms = Map::new();
    for t in &site.taxonomies {
        if let Some(values) = p.meta.taxonomies.get(&t.config.name) {
            let names: Vec<Value> = values
                .iter()
                .map(|v| Value::String(v.get_ref().trim().to_string()))
                .collect();
            let links: Vec<Value> = values
                .iter()
                .filter_map(|v| {
                    let slug = crate::locale::slugify(v.get_ref());
                    let term = t.term(&slug)?;
                    let path = t.term_path(term);
                    Some(json!({"name": v.get_ref().trim(), "slug": slug, "url": cfg.url(&path), "permalink": cfg.permalink(&path)}))
                })
                .collect();
            taxonomies.insert(t.config.name.clone(), Value::Array(names));
            terms.insert(t.config.name.clone(), Value::Array(links));
        }
    }
    // Areas and projects link to their generated pages when the data declares them.
    let areas: Vec<Value> = p
        .meta
        .areas
        .iter()
        .map(|a| match site.data.as_ref().and_then(|d| d.area(a.get_ref())) {
            Some(area) => json!({"id": area.id, "name": area.name, "url": cfg.url(&crate::paths::area_path(&area.id))}),
            None => json!({"id": a.get_ref(), "name": a.get_ref(), "url": ""}),
        })
        .collect();
    let projects: Vec<Value> = p
        .meta
        .projects
        .iter()
        .map(|a| match site.data.as_ref().and_then(|d| d.project_index.get(a.get_ref()).map(|&i| (d, i))) {
            Some((d, i)) => json!({"id": a.get_ref(), "name": format!("{}: {}", d.project_label(i), d.projects[i].name),
                                   "label": d.project_label(i), "url": cfg.url(&crate::paths::project_path(a.get_ref()))}),
            None => json!({"id": a.get_ref(), "name": a.get_ref(), "url": ""}),
        })
        .collect();
    let assets: Vec<Value> = p
        .assets
        .iter()
        .map(|(_, name)| Value::String(cfg.url(&format!("{}{}", p.path, name))))
        .collect();
    // Built by move (`obj!`): `json!` serialised every field into a new value, a fifth of
    // the cost of a summary. Then a template value (the JSON one is dropped at once).
    super::tv(&obj!({
        "title": p.title.as_str(),
        "description": p.description.as_str(),
        "date": date_str(&p.date),
        "updated": date_str(&p.updated),
        "slug": p.slug.as_str(),
        "url": cfg.url(&p.path),
        "permalink": cfg.permalink(&p.path),
        "relative_path": p.source.relative.as_str(),
        "summary": p.rendered.summary_html.clone(),
        "summary_text": summary_text(site, i),
        "word_count": p.rendered.word_count,
        "reading_time": (p.rendered.word_count / 200).max(1),
        "draft": p.meta.draft,
        "weight": p.meta.weight,
        "authors": p.meta.authors.clone(),
        "taxonomies": taxonomies,
        "terms": terms,
        "areas": areas,
        "projects": projects,
        "section": section.section.dir.as_str(),
        "section_title": section.section.title.as_str(),
        "assets": assets,
        "van_ban": super::van_ban::document_value(site, i),
        "image": image_value(site, i),
        "extra": crate::config::toml_to_json(&toml::Value::Table(p.meta.extra.clone())),
    }))
}

/// A copy of the template map `v` with `extra` keys added (or replaced), keys in order. The
/// values are shared, not copied.
pub fn extended(v: &TValue, extra: Vec<(&'static str, TValue)>) -> TValue {
    let mut m: BTreeMap<Key<'static>, TValue> = v
        .as_map()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    for (k, v) in extra {
        m.insert(Key::Str(k), v);
    }
    TValue::from(m)
}

/// The short `page` value of `related`, `lower` and `higher`: the keys a link to an article
/// needs, taken from its summary. Every article page carries up to seven of these, and a full
/// summary (terms, areas, extra …) cost a tenth of the build to copy that often.
pub fn page_link(summary: &TValue) -> TValue {
    let mut m: BTreeMap<&'static str, TValue> = BTreeMap::new();
    if let Some(s) = summary.as_map() {
        for key in LINK_KEYS {
            if let Some(v) = s.get(&Key::Str(key)) {
                m.insert(key, v.clone());
            }
        }
    }
    TValue::from(m)
}

/// Keys of [`page_link`] (documented in docs/templates.md).
const LINK_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "slug",
    "url",
    "permalink",
    "summary_text",
    "section",
    "section_title",
];

/// The full `page` value of an article page: its summary with the body, the table of contents
/// and its neighbours.
pub fn page_full(site: &Site, i: usize, summaries: &[TValue], links: &[TValue]) -> TValue {
    let p = &site.pages[i];
    let neighbour = |j: Option<usize>| j.map_or(TValue::none(), |j| links[j].clone());
    let (higher, lower) = site.neighbours(i);
    extended(
        &summaries[i],
        vec![
            ("content", TValue::from(p.rendered.html.text().into_owned())),
            // through JSON, whose maps iterate in key order as they always did
            (
                "toc",
                super::tv(&serde_json::to_value(&p.rendered.toc).unwrap_or(Value::Null)),
            ),
            ("higher", neighbour(higher)),
            ("lower", neighbour(lower)),
        ],
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
