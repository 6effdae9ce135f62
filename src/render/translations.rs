//! Pages in another language (`[languages.en]`, `lien-he.en.md` → `/en/lien-he/`): their
//! context, and the `hreflang` versions every page with a twin lists.
//!
//! An English page is rendered by the same templates as a Vietnamese article, with
//! `lang = "en"`: `t(key=…)` and the `date_vi`/`number_vi` filters read it, cached partials
//! are rendered once per language, and the site-wide values that are Vietnamese content (the
//! notices sidebar, the data pages the menu gains, the Vietnamese menu) are left out.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::{tv, Ctx, Renderer, TValue};
use crate::diag::Diagnostic;
use crate::locale::Lang;
use crate::site::Site;

/// The site path of a language's home page: `en/` when `content/_index.en.md` exists, else
/// the Vietnamese home (a link to a missing `/en/` would be broken).
fn home_path(site: &Site, lang: Lang) -> String {
    let own = format!("{}/", lang.code());
    if lang != Lang::Vi && site.translations.iter().any(|t| t.page.path == own) {
        own
    } else {
        String::new()
    }
}

/// The site-wide context of a language's pages (and its cached partials): `base` with that
/// language's title, description and home, and no Vietnamese notices or data pages.
pub fn language_base(site: &Site, base: &Ctx, labels: &super::i18n::Labels, lang: Lang) -> Ctx {
    let cfg = &site.config;
    let mut ctx = base.clone();
    let mut config = cfg.template_value();
    if let Some(l) = cfg.raw.languages.get(lang.code()) {
        config["title"] = json!(l.title);
        config["description"] = json!(l.description);
        // sentences of the Vietnamese footer (the portal line, the reuse notice): left out
        // rather than shown untranslated on a page marked lang="en"
        if let Some(extra) = config["extra"].as_object_mut() {
            extra.remove("portal");
        }
        config["organization"]["attribution"] = json!("");
    }
    ctx.insert("config", config);
    ctx.insert("lang", lang.code());
    ctx.insert("labels", labels.value(lang.code()));
    ctx.insert("home_url", &cfg.url(&home_path(site, lang)));
    ctx.insert("notices", Vec::<TValue>::new());
    ctx.insert("data_pages", Vec::<TValue>::new());
    ctx
}

/// The language versions of the page at `path` for the sitemap: `[{lang, permalink}]` with
/// `x-default` (the Vietnamese page) last; empty without twins.
pub fn alternates_value(site: &Site, path: &str) -> Value {
    let Some(list) = site.alternates.get(path) else {
        return json!([]);
    };
    let cfg = &site.config;
    let mut out: Vec<Value> = list
        .iter()
        .map(|a| json!({"lang": a.lang, "permalink": cfg.permalink(&a.path), "url": cfg.url(&a.path)}))
        .collect();
    if let Some(vi) = list.iter().find(|a| a.lang == "vi") {
        out.push(json!({"lang": "x-default", "permalink": cfg.permalink(&vi.path), "url": cfg.url(&vi.path)}));
    }
    Value::Array(out)
}

impl Renderer<'_> {
    /// `alternates` (the `<link rel="alternate" hreflang>` list) and `lang_switch` (the link to
    /// the page in the other language, named in that language) of the page at `site_path`.
    pub(super) fn insert_alternates(&self, ctx: &mut Ctx, site_path: &str, lang: &str) {
        let Some(list) = self.site.alternates.get(site_path) else {
            return;
        };
        let cfg = &self.site.config;
        ctx.insert("alternates", alternates_value(self.site, site_path));
        if let Some(other) = list.iter().find(|a| a.lang != lang) {
            let name = self
                .labels
                .get(&other.lang, "language_name")
                .unwrap_or(other.lang.as_str());
            ctx.insert(
                "lang_switch",
                tobj!({"lang": other.lang.as_str(), "name": name, "url": cfg.url(&other.path)}),
            );
        }
    }

    /// A page in another language: the article template with that language's context.
    pub(super) fn translation(&self, i: usize, src: Option<&str>) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let cfg = &site.config;
        let t = &site.translations[i];
        let p = &t.page;
        let lang = Lang::from_code(&t.lang).unwrap_or_default();
        let mut ctx = language_base(site, &self.base, &self.labels, lang);
        let current = cfg.url(&p.path);
        let menu: Vec<TValue> = cfg
            .raw
            .languages
            .get(&t.lang)
            .map(|l| l.menu.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|m| {
                let url = cfg.resolve_config_url(&m.url);
                let active = current.starts_with(&url) && url != cfg.url(&home_path(site, lang));
                tobj!({"name": m.name.as_str(), "url": url, "active": active})
            })
            .collect();
        ctx.insert("menu", menu);
        ctx.insert("current_url", &cfg.permalink(&p.path));
        ctx.insert("current_path", TValue::from(current.clone()));
        self.insert_alternates(&mut ctx, &p.path, &t.lang);
        let share = match self.share.get(&p.path) {
            Some(info) => self.share_value(&p.path, info, lang),
            None => TValue::none(),
        };
        ctx.insert("share", share);
        let date = |d: &Option<chrono::DateTime<chrono::FixedOffset>>| {
            d.map_or(Value::Null, |d| Value::String(d.to_rfc3339()))
        };
        let summary = if p.description.trim().is_empty() {
            p.rendered.first_paragraph.clone()
        } else {
            p.description.trim().to_string()
        };
        let page = json!({
            "title": p.title,
            "description": p.description,
            "date": date(&p.date),
            "updated": date(&p.updated),
            "slug": p.slug,
            "url": current,
            "permalink": cfg.permalink(&p.path),
            "relative_path": p.source.relative,
            "summary_text": crate::locale::shorten(&summary, 300),
            "word_count": p.rendered.word_count,
            "reading_time": (p.rendered.word_count / 200).max(1),
            "draft": p.meta.draft,
            "authors": p.meta.authors,
            "lang": t.lang,
            "content": p.rendered.html.text(),
            "toc": serde_json::to_value(&p.rendered.toc).unwrap_or(Value::Null),
            "terms": {},
            "taxonomies": {},
            "areas": [],
            "projects": [],
            "extra": crate::config::toml_to_json(&toml::Value::Table(p.meta.extra.to_table())),
        });
        ctx.insert("page", tv(&page));
        ctx.insert("section_info", TValue::none());
        ctx.insert("related", Vec::<TValue>::new());
        let template = p.meta.template.as_deref().unwrap_or("page.html");
        self.render_template(template, ctx, src)
    }
}
