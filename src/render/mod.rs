//! Render stage: Tera set up from the theme (overridable file by file by the site's
//! `templates/`), and one function that turns a planned job into bytes.

/// A JSON object from `"key": value` pairs, each value moved in with `Value::from`.
/// `json!` serialises every value it is given — a deep copy when the value is already a
/// `Value` — and listing pages hand it ten article summaries each.
macro_rules! obj {
    ({ $($k:literal : $v:expr),* $(,)? }) => {{
        let mut m = serde_json::Map::new();
        $( m.insert($k.to_string(), serde_json::Value::from($v)); )*
        serde_json::Value::Object(m)
    }};
}

pub mod card;
pub mod data_pages;
pub mod errors;
pub mod filters;
pub mod i18n;
pub mod open_data;
mod partials;
pub mod values;
pub mod van_ban;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};
use tera::{Context, Kwargs, State, Tera, TeraResult};

use crate::config::SiteConfig;
use crate::diag::{display_path, Diagnostic};
use crate::plan::{pager_path, FeedFormat, FeedScope, Job, JobKind};
use crate::site::Site;

/// A value as templates see it (tera's: maps and arrays behind an `Arc`, so a clone is cheap).
pub type TValue = tera::Value;

/// A template value from a JSON one (the model's values are built as JSON).
pub fn tv(v: &Value) -> TValue {
    TValue::from_serializable(v)
}

/// A template map from `"key": value` pairs, in key order as `serde_json`'s maps iterate (a
/// template's `{% for k, v in map %}` sees the same order as before).
macro_rules! tobj {
    ({ $($k:literal : $v:expr),* $(,)? }) => {{
        let mut m: BTreeMap<&'static str, TValue> = BTreeMap::new();
        $( m.insert($k, TValue::from($v)); )*
        TValue::from(m)
    }};
}

// after the macros it uses
mod translations;

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("thiếu mẫu giao diện \"{name}\"")]
    Missing { name: String },
}

impl RenderError {
    pub fn to_diagnostic(&self, source: Option<&str>) -> Diagnostic {
        match self {
            RenderError::Missing { name } => {
                let mut d = Diagnostic::error(self.to_string());
                if let Some(s) = source {
                    d = d.in_file(s);
                }
                d.hint(format!("tạo tệp templates/{name} hoặc sửa khoá template của bài/chuyên mục cho đúng tên mẫu có trong giao diện"))
            }
        }
    }
}

/// `robots.txt`. Crawlers read it only at the root of a host, so a site under a sub-path gets
/// one that says so to whoever runs the host, and allows just the site's own path.
fn robots_txt(cfg: &SiteConfig) -> String {
    let sitemap = cfg.permalink("sitemap.xml");
    let path = &cfg.base.path;
    if path == "/" {
        return format!("User-agent: *\nAllow: /\nSitemap: {sitemap}\n");
    }
    format!(
        "# Trang nằm ở {path} nên máy tìm kiếm không đọc tệp này: chúng chỉ đọc /robots.txt ở gốc\n\
         # tên miền. Người quản trị máy chủ: chép các dòng dưới đây vào tệp đó.\n\
         User-agent: *\nAllow: {path}\nSitemap: {sitemap}\n"
    )
}

/// Template files by Tera name (`page.html`, `partials/x.html`): the theme's, overridden file
/// by file by the site's `templates/`. Editors' swap and backup files (`.page.html.swp`,
/// `page.html~`) are not templates. The one listing used by rendering, checks and `serve`.
pub fn template_files(site: &Site) -> BTreeMap<String, PathBuf> {
    crate::site::template_ids::template_files(&site.theme_dir, &site.root)
}

/// The diagnostics of a tera error met while loading or rendering `template`.
fn template_diagnostics(
    site: &Site,
    e: &tera::Error,
    template: &str,
    files: &HashMap<String, String>,
) -> Vec<Diagnostic> {
    let source_of = |name: &str| {
        site.templates
            .get(name)
            .and_then(|(_, t)| t.as_ref().ok().cloned())
    };
    errors::problems(e)
        .iter()
        .map(|p| errors::diagnostic(p, template, files, source_of))
        .collect()
}

/// Loads the theme's templates, then the site's, into one Tera instance, with bantin's
/// filters and functions (registered first: tera 2 refuses a template that calls an unknown
/// one). Returns the instance, the display path of every template and the cached partials'
/// owner (to be made ready with the site-wide context).
pub fn load_templates(
    site: &Site,
    labels: &Arc<i18n::Labels>,
) -> Result<(Tera, HashMap<String, String>, partials::Partials), Vec<Diagnostic>> {
    let mut tera = Tera::default();
    let mut sources = HashMap::new();
    let mut raw: Vec<(&str, &str)> = Vec::new();
    let mut diags = Vec::new();
    for (name, (path, text)) in &site.templates {
        let display = display_path(&site.root, path);
        match text {
            Ok(text) => raw.push((name, text)),
            Err(e) => diags.push(Diagnostic::error(e.clone()).in_file(display.clone())),
        }
        sources.insert(name.clone(), display);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(crate::escape::write_html);
    register(&mut tera, site);
    tera.register_function(
        "t",
        i18n::T {
            labels: labels.clone(),
        },
    );
    let partials = partials::register(&mut tera);
    if let Err(e) = tera.add_raw_templates(raw.iter().copied()) {
        // A syntax error stops tera at the first template: parse each alone so every file's
        // own syntax errors are listed (inheritance and names need all of them: only syntax
        // counts here).
        let mut syntax = Vec::new();
        for &(name, text) in &raw {
            if let Err(e) = Tera::default().add_raw_template(name, text) {
                if matches!(e.kind(), tera::ErrorKind::SyntaxError(_)) {
                    let tera1 = tera1_syntax(name, text, &sources);
                    if tera1.is_empty() {
                        syntax.extend(template_diagnostics(site, &e, name, &sources));
                    } else {
                        syntax.extend(tera1);
                    }
                }
            }
        }
        if !syntax.is_empty() {
            return Err(syntax);
        }
        return Err(template_diagnostics(site, &e, "", &sources));
    }
    Ok((tera, sources, partials))
}

/// bantin's filters and functions.
fn register(tera: &mut Tera, site: &Site) {
    filters::register(tera, site.config.date_style, site.config.raw.rate_decimals);
    tera.register_filter("rfc2822", rfc2822);
    tera.register_filter("escape_xml", |s: &str, _: Kwargs, _: &State| {
        crate::escape::xml(s)
    });
    tera.register_filter("escape", escape_tera1);
    tera.register_filter("group_by", group_by);
    tera.register_function("get_url", GetUrl::new(site));
    if let Some(data) = &site.data {
        let data = Arc::new(data.clone());
        let cfg = Arc::new(site.config.clone());
        for chart in [false, true] {
            let name = if chart { "bieu_do" } else { "so_lieu" };
            tera.register_function(
                name,
                FigureFn {
                    data: data.clone(),
                    cfg: cfg.clone(),
                    chart,
                },
            );
        }
    }
}

/// tera 1's `escape` filter, kept for templates written for it: `&<>"'/` as character
/// references (`'` as `&#x27;`, `/` as `&#x2F;`), and the result is escaped again by
/// autoescaping unless marked `safe`. tera 2's own `escape` uses the page's escape function
/// and marks its result safe.
fn escape_tera1(s: &str, _: Kwargs, _: &State) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '/' => out.push_str("&#x2F;"),
            _ => out.push(c),
        }
    }
    out
}

/// tera 2's `group_by` with its groups in key order. tera 2 collects them in a hash map with
/// random keys, so `{% for k, v in xs | group_by(attribute="a") %}` would list them in another
/// order on every build (tera 1's were in key order too).
fn group_by(val: &[TValue], kwargs: Kwargs, _: &State) -> TeraResult<TValue> {
    let attribute = kwargs.must_get::<&str>("attribute")?;
    let mut groups: BTreeMap<tera::value::Key<'static>, Vec<TValue>> = BTreeMap::new();
    for (i, v) in val.iter().enumerate() {
        let Some(x) = v.get_from_path(attribute) else {
            return Err(tera::Error::message(format!(
                "Value at index {i} (a {}) does not have an attribute at path: {attribute}",
                v.name()
            )));
        };
        let key = if x.is_none() {
            continue;
        } else if let Some(s) = x.as_str() {
            tera::value::Key::String(s.into())
        } else if let Some(b) = x.as_bool() {
            tera::value::Key::Bool(b)
        } else if let Some(n) = x.as_i64() {
            tera::value::Key::I64(n)
        } else if let Some(n) = x.as_u64() {
            tera::value::Key::U64(n)
        } else {
            return Err(tera::Error::message(format!(
                "group_by: a {} cannot be a group's key (use a string, a number or a bool)",
                x.name()
            )));
        };
        groups.entry(key).or_default().push(v.clone());
    }
    Ok(TValue::from(groups))
}

/// Tera 1 syntax tera 2 no longer reads (macros and their imports), each at its place with
/// what to write instead. Empty when the template has none.
fn tera1_syntax(name: &str, text: &str, files: &HashMap<String, String>) -> Vec<Diagnostic> {
    let file = files.get(name).cloned().unwrap_or_else(|| name.to_string());
    let mut out = Vec::new();
    let mut report = |at: usize, message: String, hint: &str| {
        out.push(
            Diagnostic::error(format!("mẫu giao diện \"{name}\" {message}"))
                .in_file(file.clone())
                .at_opt(Some(crate::diag::line_col(text, at)))
                .hint(hint.to_string()),
        );
    };
    for (i, _) in text.match_indices("{%") {
        let tag = &text[i + 2..];
        let rest = tag.trim_start_matches('-').trim_start();
        let at = i + 2 + (tag.len() - rest.len());
        if rest.starts_with("import ") {
            report(at, "dùng {% import %} (macro của Tera 1)".into(),
                "Tera 2 không còn macro và import: component định nghĩa ở bất kỳ mẫu nào cũng dùng được ở mọi mẫu; xoá dòng này");
        } else if rest.starts_with("macro ") {
            report(at, "định nghĩa macro (Tera 1)".into(),
                "Tera 2 không còn macro: viết {% component tên(tham_so, khac=\"mặc định\") %} … {% endcomponent tên %}");
        }
    }
    // `ns::name(`: a macro call
    let b = text.as_bytes();
    for (i, _) in text.match_indices("::") {
        let start = text[..i]
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |p| p + 1);
        let end = text[i + 2..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(text.len(), |p| i + 2 + p);
        let before = &text[..start];
        let in_tag =
            before.rfind("{{").max(before.rfind("{%")) > before.rfind("}}").max(before.rfind("%}"));
        if start == i || end == i + 2 || b.get(end) != Some(&b'(') || !in_tag {
            continue;
        }
        let call = &text[start..end];
        let component = &text[i + 2..end];
        report(start, format!("gọi macro \"{call}\" (Tera 1)"),
            &format!("Tera 2 không còn macro: gọi component, ví dụ {{{{<{component} ten={{giá_trị}} />}}}} (giá trị không phải chuỗi viết trong {{…}})"));
    }
    out.sort_by_key(|d| (d.line, d.column));
    out
}

fn rfc2822(v: &TValue, _: Kwargs, _: &State) -> TeraResult<String> {
    let s = v.as_str().unwrap_or_default();
    crate::locale::parse_date_value(s)
        .map(|d| d.to_rfc2822())
        .ok_or_else(|| tera::Error::message(format!("rfc2822: \"{s}\" không phải ngày hợp lệ")))
}

/// `get_url(path=…)`: site URLs with the base path; `@/` paths resolve to content.
struct GetUrl {
    config: Arc<SiteConfig>,
    content: Arc<HashMap<String, String>>,
}

impl GetUrl {
    fn new(site: &Site) -> GetUrl {
        let mut content = HashMap::new();
        for (path, &i) in &site.page_by_content {
            content.insert(path.clone(), site.pages[i].path.clone());
        }
        for (path, &i) in &site.section_by_content {
            content.insert(path.clone(), site.sections[i].section.path.clone());
        }
        GetUrl {
            config: Arc::new(site.config.clone()),
            content: Arc::new(content),
        }
    }
}

impl tera::Function<TeraResult<String>> for GetUrl {
    fn call(&self, args: Kwargs, _: &State) -> TeraResult<String> {
        let path = args
            .get::<&str>("path")
            .ok()
            .flatten()
            .ok_or_else(|| tera::Error::message("get_url cần tham số path=\"…\""))?;
        if let Some(rest) = path.strip_prefix("@/") {
            let (p, anchor) = rest
                .split_once('#')
                .map_or((rest, None), |(p, a)| (p, Some(a)));
            let site_path = self.content.get(p).ok_or_else(|| {
                tera::Error::message(format!("get_url: không có bài \"{path}\" trong content/"))
            })?;
            let mut url = self.config.url(site_path);
            if let Some(a) = anchor {
                url.push('#');
                url.push_str(a);
            }
            return Ok(url);
        }
        if crate::sanitize::is_external(path) {
            return Ok(path.to_string());
        }
        Ok(self.config.url(path))
    }
}

/// `so_lieu(...)` and `bieu_do(...)` in templates: the same lookups as the Markdown shortcodes.
struct FigureFn {
    data: Arc<crate::data::Data>,
    cfg: Arc<SiteConfig>,
    chart: bool,
}

impl tera::Function<TeraResult<String>> for FigureFn {
    fn call(&self, args: Kwargs, _: &State) -> TeraResult<String> {
        let args: BTreeMap<String, crate::shortcodes::Arg> = args
            .iter()
            .map(|(k, v)| {
                let a = if let Some(s) = v.as_str() {
                    crate::shortcodes::Arg::Str(s.to_string())
                } else if let Some(b) = v.as_bool() {
                    crate::shortcodes::Arg::Bool(b)
                } else {
                    crate::shortcodes::Arg::Num(filters::shown(v))
                };
                (k.to_string(), a)
            })
            .collect();
        let name = if self.chart { "bieu_do" } else { "so_lieu" };
        let out = if self.chart {
            crate::figures::bieu_do(&self.cfg, &self.data, &args, 1)
        } else {
            crate::figures::so_lieu(&self.data, &self.cfg, &args)
        };
        out.map_err(|e| {
            let msg = match crate::diag::split_fix(&e) {
                (m, Some(fix)) => format!("{name}: {m} (cách sửa: {fix})"),
                (m, None) => format!("{name}: {m}"),
            };
            tera::Error::message(msg)
        })
    }

    fn is_safe(&self) -> bool {
        self.chart
    }
}

/// A template context: values are moved in (or cloned, which for maps and arrays only counts
/// a reference), never run through serde again as `tera::Context::insert` would.
#[derive(Debug, Clone, Default)]
pub struct Ctx(Context);

/// Values a [`Ctx`] accepts.
pub trait CtxValue {
    fn into_value(self) -> TValue;
}

impl CtxValue for TValue {
    fn into_value(self) -> TValue {
        self
    }
}
impl CtxValue for &TValue {
    fn into_value(self) -> TValue {
        self.clone()
    }
}
impl CtxValue for Vec<TValue> {
    fn into_value(self) -> TValue {
        TValue::from(self)
    }
}
impl CtxValue for &Value {
    fn into_value(self) -> TValue {
        tv(self)
    }
}
impl CtxValue for Value {
    fn into_value(self) -> TValue {
        tv(&self)
    }
}
impl CtxValue for &Vec<Value> {
    fn into_value(self) -> TValue {
        TValue::from(self.iter().map(tv).collect::<Vec<_>>())
    }
}
impl CtxValue for &String {
    fn into_value(self) -> TValue {
        TValue::from(self.as_str())
    }
}
impl CtxValue for &str {
    fn into_value(self) -> TValue {
        TValue::from(self)
    }
}

impl Ctx {
    pub fn insert(&mut self, key: &'static str, value: impl CtxValue) {
        self.0.insert_value(key, value.into_value());
    }

    pub fn into_context(self) -> Context {
        self.0
    }
}

/// Renders jobs for one site. Shared read-only across threads.
pub struct Renderer<'a> {
    pub site: &'a Site,
    parts: RendererParts,
}

/// Field access reads the prepared parts (`self.summaries`, `renderer.tera`).
impl std::ops::Deref for Renderer<'_> {
    type Target = RendererParts;
    fn deref(&self) -> &RendererParts {
        &self.parts
    }
}

impl Renderer<'_> {
    /// See [`RendererParts::free_page_values`].
    pub fn free_page_values(&mut self) {
        self.parts.free_page_values();
    }
}

/// The taxonomies that have at least one term, i.e. whose pages (`/<slug>/`, terms) are
/// written: a theme links to a taxonomy through this list, never through `config.taxonomies`,
/// which also names taxonomies no article uses (their pages do not exist).
fn taxonomies_with_pages(site: &Site) -> TValue {
    let cfg = &site.config;
    tv(&Value::Array(
        site.taxonomies
            .iter()
            .filter(|t| !t.terms.is_empty())
            .map(|t| {
                json!({
                    "name": t.config.name,
                    "slug": t.config.slug,
                    "title": t.config.title,
                    "url": cfg.url(&format!("{}/", t.config.slug)),
                })
            })
            .collect(),
    ))
}

/// The pages generated from activity data (area list, project list, overview, open data), in
/// menu order, when the site has data; empty otherwise. The default theme adds them to the menu
/// of a site whose `[[menu]]` links to none of them (a site made by `bantin init` that later
/// got `content/data/`).
fn data_pages_value(site: &Site) -> TValue {
    if site.data.is_none() {
        return tv(&Value::Array(Vec::new()));
    }
    let cfg = &site.config;
    tv(&Value::Array(
        [
            ("Địa bàn", "dia-ban/"),
            ("Dự án", "du-an/"),
            ("Tổng quan", "tong-quan/"),
            ("Dữ liệu mở", "du-lieu/"),
        ]
        .iter()
        .map(|(name, path)| json!({"name": name, "url": cfg.url(path)}))
        .collect(),
    ))
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, jobs: &[Job]) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let labels = Arc::new(i18n::load(site)?);
        let (tera, sources, partials) = load_templates(site, &labels)?;
        let summaries = values::page_summaries(site);
        let sections = (0..site.sections.len())
            .map(|si| tv(&values::section_value(site, si)))
            .collect();
        let mut base = Ctx::default();
        base.insert("config", site.config.template_value());
        base.insert(
            "build_date",
            &site.build_date.format("%Y-%m-%d").to_string(),
        );
        let notices = site.notices();
        base.insert(
            "notices",
            notices
                .iter()
                .map(|&i| summaries[i].clone())
                .collect::<Vec<_>>(),
        );
        base.insert("taxonomies", taxonomies_with_pages(site));
        base.insert("data_pages", data_pages_value(site));
        // the page's language (filters and `t` read it) and its hreflang versions
        base.insert("lang", "vi");
        base.insert("labels", labels.value("vi"));
        base.insert("home_url", &site.config.base.path);
        base.insert("alternates", Vec::<TValue>::new());
        base.insert("lang_switch", TValue::none());
        let mut contexts = partials::Contexts::new();
        contexts.insert("vi", base.clone().into_context());
        for code in site.config.raw.languages.keys() {
            if let Some(lang) = crate::locale::Lang::from_code(code) {
                let ctx = translations::language_base(site, &base, &labels, lang);
                contexts.insert(lang.code(), ctx.into_context());
            }
        }
        partials.ready(&tera, contexts);
        let jobs_sitemap = sitemap_entries(site, jobs);
        let cards = drawn_cards(jobs);
        let share = share_infos(site, jobs, &cards);
        Ok(Renderer {
            site,
            parts: RendererParts {
                tera,
                sources,
                summaries,
                sections,
                base,
                notices,
                jobs_sitemap,
                labels,
                share,
                cards,
                _partials: partials,
            },
        })
    }

    fn context(&self, site_path: &str) -> Ctx {
        let cfg = &self.site.config;
        let mut ctx = self.base.clone();
        let current = cfg.url(site_path);
        let menu: Vec<TValue> = cfg
            .raw
            .menu
            .iter()
            .map(|m| {
                let url = cfg.resolve_config_url(&m.url);
                let active = if url == cfg.base.path {
                    current == url
                } else {
                    current.starts_with(&url)
                };
                tobj!({"name": m.name.as_str(), "url": url, "active": active})
            })
            .collect();
        ctx.insert("menu", menu);
        ctx.insert("current_url", &cfg.permalink(site_path));
        ctx.insert("current_path", TValue::from(current));
        self.insert_alternates(&mut ctx, site_path, "vi");
        // always set (null on feeds, the sitemap, redirects) so templates can test it
        let share = match self.share.get(site_path) {
            Some(info) => self.share_value(site_path, info, crate::locale::Lang::Vi),
            None => TValue::none(),
        };
        ctx.insert("share", share);
        ctx
    }

    /// The site's name, as cards show it.
    pub fn site_title(&self) -> &str {
        &self.site.config.raw.title
    }

    /// The values of a page's Open Graph and Twitter tags; every URL absolute.
    fn share_value(
        &self,
        site_path: &str,
        info: &crate::plan::share::ShareInfo,
        lang: crate::locale::Lang,
    ) -> TValue {
        let site = self.site;
        let cfg = &site.config;
        // an English page (`[languages.en]`) names the site and its locale in English
        let (site_name, locale) = match lang {
            crate::locale::Lang::Vi => (cfg.raw.title.as_str(), "vi_VN"),
            crate::locale::Lang::En => (
                cfg.raw
                    .languages
                    .get("en")
                    .map_or(cfg.raw.title.as_str(), |l| l.title.as_str()),
                "en_GB",
            ),
        };
        let photo = info
            .page
            .and_then(|i| crate::plan::share::page_photo(site, i));
        let card = info.card.as_deref().map(crate::plan::share::card_path);
        let (image, width, height, mime, alt) = match (photo, card) {
            (Some((url, w, h, mime)), _) => {
                (Some(url), Some(w), Some(h), mime, info.title.as_str())
            }
            (None, Some(path)) => (
                Some(cfg.permalink(&path)),
                Some(crate::plan::share::WIDTH),
                Some(crate::plan::share::HEIGHT),
                "image/png",
                info.card_alt.as_str(),
            ),
            (None, None) => (None, None, None, "", ""),
        };
        let (description, published, modified) = match info.page {
            Some(i) => {
                let p = &site.pages[i];
                (
                    crate::plan::share::page_description(site, i),
                    p.date.map(|d| d.to_rfc3339()),
                    p.updated.or(p.date).map(|d| d.to_rfc3339()),
                )
            }
            None => (info.description.clone(), None, None),
        };
        tobj!({
            "title": info.title.as_str(),
            "description": description,
            "type": info.kind,
            "url": cfg.permalink(site_path),
            "image": image,
            "image_width": width,
            "image_height": height,
            "image_type": mime,
            "image_alt": alt,
            "site_name": site_name,
            "locale": locale,
            "published": published,
            "modified": modified,
        })
    }

    fn render_template(
        &self,
        name: &str,
        ctx: Ctx,
        source: Option<&str>,
    ) -> Result<Vec<u8>, Diagnostic> {
        self.render_context(name, &ctx.into_context(), source)
    }

    fn render_context(
        &self,
        name: &str,
        context: &Context,
        source: Option<&str>,
    ) -> Result<Vec<u8>, Diagnostic> {
        if !self.tera.get_template_names().any(|n| n == name) {
            return Err(RenderError::Missing {
                name: name.to_string(),
            }
            .to_diagnostic(source));
        }
        // Straight into bytes: `render` would validate the whole page as UTF-8 again. Sized
        // for most article pages, so they are not copied as the buffer grows.
        let mut out = Vec::with_capacity(24 * 1024);
        self.tera
            .render_to(name, context, &mut out)
            .map(|()| out)
            .map_err(|e| {
                // a rendering error is one problem: the first is the one that stopped it
                let d = template_diagnostics(self.site, &e, name, &self.sources)
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Diagnostic::error(errors::full_text(&e)));
                match source {
                    Some(s) => d.on_page(s),
                    None => d,
                }
            })
    }

    fn paginator(
        &self,
        list: &[usize],
        base_path: &str,
        pager: usize,
        pagers: usize,
        per: usize,
    ) -> TValue {
        let cfg = &self.site.config;
        let start = ((pager - 1) * per).min(list.len());
        let ids = &list[start..(start + per).min(list.len())];
        let pages: Vec<TValue> = ids.iter().map(|&i| self.summaries[i].clone()).collect();
        let url = |n: usize| cfg.url(&pager_path(base_path, n));
        tobj!({
            "pages": pages,
            "current_index": pager,
            "number_pagers": pagers,
            "paginate_by": per,
            "total_pages": list.len(),
            "first": url(1),
            "last": url(pagers),
            "previous": (pager > 1).then(|| url(pager - 1)),
            "next": (pager < pagers).then(|| url(pager + 1)),
            "pagers": pager_window(pager, pagers, url),
        })
    }

    /// The home page.
    fn home(&self, src: Option<&str>) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let cfg = &site.config;
        let mut ctx = self.context("");
        let root = site
            .sections
            .iter()
            .position(|s| s.section.dir.is_empty())
            .unwrap_or(0);
        ctx.insert("section", &self.sections[root]);
        let latest: Vec<TValue> = site
            .by_date
            .iter()
            .filter(|&&i| {
                !self.notices.contains(&i)
                    || site.section_of(i).section.dir != cfg.raw.notices_section
            })
            // documents have their table; dated by issue, they would crowd out the news
            .filter(|i| !site.documents.by_page.contains_key(i))
            .take(cfg.raw.home_latest)
            .map(|&i| self.summaries[i].clone())
            .collect();
        ctx.insert("latest", latest);
        ctx.insert("paginator", TValue::none());
        self.render_template("index.html", ctx, src)
    }

    /// One listing page of a section.
    fn section_page(
        &self,
        section: &usize,
        pager: &usize,
        pagers: &usize,
        src: Option<&str>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let cfg = &site.config;
        let node = &site.sections[*section];
        let s = &node.section;
        let per = site.section_per_page(*section);
        let mut ctx = self.context(&pager_path(&s.path, *pager));
        ctx.insert("section", &self.sections[*section]);
        let paginator = self.paginator(&node.pages, &s.path, *pager, *pagers, per);
        ctx.insert("paginator", paginator);
        let (table, _) = van_ban::table_value(site, *section, None);
        let default = if s.meta.van_ban {
            "van_ban_list.html"
        } else {
            "section.html"
        };
        ctx.insert("van_ban_table", &table);
        let t = s.meta.template.as_deref().unwrap_or(default);
        let _ = cfg;
        self.render_template(t, ctx, src)
    }

    /// A document table filtered by one value (`van-ban/loai/quyet-dinh/`): the section's
    /// template with the matching rows as its only pager page.
    fn doc_filter(
        &self,
        section: usize,
        facet: crate::site::van_ban::Facet,
        value: usize,
        job: &Job,
    ) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let s = &site.sections[section].section;
        let mut ctx = self.context(&job.site_path());
        ctx.insert("section", &self.sections[section]);
        let (table, rows) = van_ban::table_value(site, section, Some((facet, value)));
        let per = rows.len().max(1);
        let paginator = self.paginator(&rows, &job.site_path(), 1, 1, per);
        ctx.insert("paginator", paginator);
        ctx.insert("van_ban_table", &table);
        let t = s.meta.template.as_deref().unwrap_or("van_ban_list.html");
        self.render_template(t, ctx, job.source.as_deref())
    }

    /// An article.
    fn page(&self, i: &usize, src: Option<&str>) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let p = &site.pages[*i];
        let mut ctx = self.context(&p.path);
        if let Some(info) = share_info(site, &self.cards, &JobKind::Page(*i)) {
            let share = self.share_value(&p.path, &info, crate::locale::Lang::Vi);
            ctx.insert("share", share);
        }
        ctx.insert("page", values::page_full(site, *i, &self.summaries));
        ctx.insert("section_info", &self.sections[site.page_section[*i]]);
        let related: Vec<TValue> = site.related[*i]
            .iter()
            .map(|&j| self.summaries[j].clone())
            .collect();
        ctx.insert("related", related);
        let node = site.section_of(*i);
        let t = p
            .meta
            .template
            .as_deref()
            .or(node.section.meta.page_template.as_deref())
            .unwrap_or(if node.section.meta.van_ban {
                "van_ban.html"
            } else {
                "page.html"
            });
        self.render_template(t, ctx, src)
    }

    /// A taxonomy's list of terms.
    fn taxonomy_list(&self, t: &usize, src: Option<&str>) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let cfg = &site.config;
        let tax = &site.taxonomies[*t];
        let mut ctx = self.context(&format!("{}/", tax.config.slug));
        ctx.insert("taxonomy", taxonomy_value(cfg, &tax.config));
        let terms: Vec<Value> = tax
            .terms
            .iter()
            .map(|term| term_value(cfg, tax, term))
            .collect();
        ctx.insert("terms", &terms);
        self.render_template("taxonomy_list.html", ctx, src)
    }

    /// One listing page of a taxonomy term.
    fn term_page(
        &self,
        taxonomy: &usize,
        term: &usize,
        pager: &usize,
        pagers: &usize,
        src: Option<&str>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let cfg = &site.config;
        let tax = &site.taxonomies[*taxonomy];
        let tm = &tax.terms[*term];
        let base = tax.term_path(tm);
        let per = tax.config.paginate_by.unwrap_or(cfg.raw.paginate_by);
        let mut ctx = self.context(&pager_path(&base, *pager));
        ctx.insert("taxonomy", taxonomy_value(cfg, &tax.config));
        ctx.insert("term", term_value(cfg, tax, tm));
        let paginator = self.paginator(&tm.pages, &base, *pager, *pagers, per);
        ctx.insert("paginator", paginator);
        self.render_template("taxonomy_single.html", ctx, src)
    }

    /// An RSS or Atom feed of the site, a section or a term.
    fn feed(
        &self,
        job: &Job,
        scope: &FeedScope,
        format: &FeedFormat,
        src: Option<&str>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let cfg = &site.config;
        let (title, description, html_path, list): (String, String, String, &[usize]) = match scope
        {
            FeedScope::Site => (
                cfg.raw.title.clone(),
                cfg.raw.description.clone(),
                String::new(),
                &site.by_date,
            ),
            FeedScope::Section(s) => {
                let sec = &site.sections[*s].section;
                (
                    format!("{} – {}", sec.title, cfg.raw.title),
                    sec.meta.description.clone().unwrap_or_default(),
                    sec.path.clone(),
                    &site.sections[*s].pages,
                )
            }
            FeedScope::Term { taxonomy, term } => {
                let tax = &site.taxonomies[*taxonomy];
                let tm = &tax.terms[*term];
                (
                    format!("{}: {} – {}", tax.config.title, tm.name, cfg.raw.title),
                    String::new(),
                    tax.term_path(tm),
                    &tm.pages,
                )
            }
        };
        // Feeds list newest first whatever the section's display order.
        let mut list: Vec<usize> = list.to_vec();
        list.sort_by_key(|&i| site.date_rank[i]);
        let pages: Vec<TValue> = list
            .iter()
            .take(cfg.raw.feed_limit)
            .map(|&i| {
                // Feed readers resolve nothing against the site: absolute URLs only.
                let html = absolute_urls(
                    site.pages[i].rendered.html.text(),
                    &cfg.base.path,
                    &cfg.base.full,
                );
                values::extended(&self.summaries[i], vec![("content", TValue::from(html))])
            })
            .collect();
        let updated = list
            .iter()
            .filter_map(|&i| site.pages[i].updated.or(site.pages[i].date))
            .max()
            .unwrap_or(site.build_date);
        let mut ctx = self.context(&job.output);
        ctx.insert(
            "feed",
            tobj!({
                "title": title,
                "description": description,
                "url": cfg.permalink(&job.output),
                "alternate": cfg.permalink(&html_path),
                "updated": updated.to_rfc3339(),
                "pages": pages,
            }),
        );
        let name = match format {
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Atom => "atom.xml",
        };
        self.render_template(name, ctx, src)
    }

    /// A sitemap file (whole, or one of the numbered files) through the theme's template,
    /// checked against the byte limit the split counted with.
    fn sitemap(
        &self,
        job: &Job,
        entries: &[SitemapEntry],
        src: Option<&str>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut ctx = self.context(&job.output);
        let entries: Vec<TValue> = entries
            .iter()
            .map(|e| sitemap_value(self.site, e))
            .collect();
        ctx.insert("entries", entries);
        // the xhtml namespace only when some entry has language versions: a site
        // without [languages] keeps its sitemap byte for byte
        ctx.insert(
            "sitemap_alternates",
            TValue::from(!self.site.alternates.is_empty()),
        );
        let out = self.render_template("sitemap.xml", ctx, src)?;
        crate::plan::sitemap::check_rendered(self.site, job, &out)?;
        Ok(out)
    }

    /// Renders one job to bytes. `Copy` jobs have no bytes (the writer copies the file).
    pub fn render(&self, job: &Job) -> Result<Option<Vec<u8>>, Diagnostic> {
        let cfg = &self.site.config;
        let src = job.source.as_deref();
        let out = match &job.kind {
            JobKind::Copy { .. } => return Ok(None),
            JobKind::Home => self.home(src)?,
            JobKind::Section {
                section,
                pager,
                pagers,
            } => self.section_page(section, pager, pagers, src)?,
            JobKind::Page(i) => self.page(i, src)?,
            JobKind::Translation(i) => self.translation(*i, src)?,
            JobKind::DocFilter {
                section,
                facet,
                value,
            } => self.doc_filter(*section, *facet, *value, job)?,
            JobKind::TaxonomyList(t) => self.taxonomy_list(t, src)?,
            JobKind::Term {
                taxonomy,
                term,
                pager,
                pagers,
            } => self.term_page(taxonomy, term, pager, pagers, src)?,
            JobKind::Feed { scope, format } => self.feed(job, scope, format, src)?,
            JobKind::Sitemap => self.sitemap(job, &self.jobs_sitemap, src)?,
            JobKind::SitemapPart { start, end } => {
                let entries = self.jobs_sitemap.get(*start..*end).unwrap_or_default();
                self.sitemap(job, entries, src)?
            }
            // the protocol's own file, not the theme's: nothing in it to restyle
            JobKind::SitemapIndex(files) => {
                crate::plan::sitemap::index_xml(self.site, files).into_bytes()
            }
            JobKind::Robots => robots_txt(cfg).into_bytes(),
            JobKind::NotFound => {
                let ctx = self.context("404.html");
                self.render_template("404.html", ctx, src)?
            }
            JobKind::Alias { to } => alias_page(to).into_bytes(),
            JobKind::Bytes(bytes) => bytes.as_ref().clone(),
            JobKind::ShareCard(card) => crate::render::card::render_png(&cfg.raw.title, card)
                .map_err(|e| {
                    Diagnostic::error(format!("không vẽ được ảnh chia sẻ \"{}\": {e}", job.output))
                })?,
            JobKind::SearchPage => {
                let ctx = self.context("tim-kiem/");
                self.render_template("search.html", ctx, src)?
            }
            JobKind::AreaList
            | JobKind::Area { .. }
            | JobKind::ProjectList
            | JobKind::Project(_)
            | JobKind::Overview
            | JobKind::OpenDataIndex
            | JobKind::ReportCsv(_)
            | JobKind::DataJson => {
                return self.render_data(job).map(Some);
            }
        };
        Ok(Some(out))
    }
}

/// What a [`Renderer`] prepares, without its borrow of the Site: `serve` keeps it between
/// rebuilds and lends it the (updated) Site again with [`Renderer::from_parts`].
pub struct RendererParts {
    pub tera: Tera,
    sources: HashMap<String, String>,
    /// [`values::page_summary`] of every article.
    summaries: Vec<TValue>,
    /// [`values::section_value`] of every section (built once: article pages carry theirs).
    sections: Vec<TValue>,
    base: Ctx,
    notices: Vec<usize>,
    /// The sitemap's entries, in order (a numbered file renders a run of them).
    jobs_sitemap: Vec<SitemapEntry>,
    /// The theme's translation tables (the language switch's names).
    labels: Arc<i18n::Labels>,
    /// Site path of each HTML page → its share values (the Open Graph tags).
    share: HashMap<String, crate::plan::share::ShareInfo>,
    /// The output paths of the share cards drawn (articles' share values name them).
    cards: HashSet<String>,
    /// Keeps the templates `partial_cached` renders with.
    _partials: partials::Partials,
}

impl RendererParts {
    /// Frees the per-article values once every page is rendered (`build`, which keeps nothing
    /// for a next run): at 100 000 articles hundreds of megabytes, freed while the search
    /// index's thread is still writing, before it reaches its own peak. Only byte files (the
    /// search index) may be rendered afterwards.
    pub fn free_page_values(&mut self) {
        drop(std::mem::take(&mut self.summaries));
        drop(std::mem::take(&mut self.jobs_sitemap));
        drop(std::mem::take(&mut self.share));
    }

    /// Replaces article `i`'s summary value (after its body changed) and returns the previous
    /// one.
    pub fn set_summary(&mut self, i: usize, summary: TValue) -> TValue {
        std::mem::replace(&mut self.summaries[i], summary)
    }
}

impl<'a> Renderer<'a> {
    /// A renderer from parts prepared for `site`, or for a Site that differs from it only in
    /// the article bodies whose summaries were updated with [`RendererParts::set_summary`].
    pub fn from_parts(site: &'a Site, parts: RendererParts) -> Renderer<'a> {
        Renderer { site, parts }
    }

    pub fn into_parts(self) -> RendererParts {
        self.parts
    }

    /// The summary values of every article (shared by listings, feeds and sidebars).
    pub fn summaries(&self) -> &[TValue] {
        &self.summaries
    }
}

impl Renderer<'_> {
    /// Pages and files generated from activity data.
    fn render_data(&self, job: &Job) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let Some(data) = site.data.as_ref() else {
            return Ok(Vec::new());
        };
        let src = job.source.as_deref();
        let articles = |ids: Option<&Vec<usize>>, limit: usize| -> Vec<TValue> {
            ids.map(|v| {
                v.iter()
                    .take(limit)
                    .map(|&i| self.summaries[i].clone())
                    .collect()
            })
            .unwrap_or_default()
        };
        Ok(match &job.kind {
            JobKind::AreaList => {
                let mut ctx = self.context("dia-ban/");
                ctx.insert("areas", data_pages::areas_value(site, data));
                self.render_template("areas.html", ctx, src)?
            }
            JobKind::Area {
                area,
                pager,
                pagers,
            } => {
                let a = &data.areas[*area];
                let base = crate::paths::area_path(&a.id);
                let mut ctx = self.context(&pager_path(&base, *pager));
                ctx.insert("area", data_pages::area_value(site, data, *area));
                let list = site.pages_by_area.get(&a.id).map_or(&[][..], Vec::as_slice);
                let per = site.config.raw.paginate_by;
                let paginator = self.paginator(list, &base, *pager, *pagers, per);
                ctx.insert("paginator", paginator);
                self.render_template("area.html", ctx, src)?
            }
            JobKind::ProjectList => {
                let mut ctx = self.context("du-an/");
                ctx.insert("projects", data_pages::projects_value(site, data));
                self.render_template("projects.html", ctx, src)?
            }
            JobKind::Project(p) => {
                let pr = &data.projects[*p];
                let mut ctx = self.context(&crate::paths::project_path(&pr.id));
                ctx.insert("project", data_pages::project_value(site, data, *p));
                ctx.insert("articles", articles(site.pages_by_project.get(&pr.id), 20));
                self.render_template("project.html", ctx, src)?
            }
            JobKind::Overview => {
                let mut ctx = self.context("tong-quan/");
                ctx.insert("overview", data_pages::overview_value(site, data));
                self.render_template("overview.html", ctx, src)?
            }
            JobKind::OpenDataIndex => {
                let mut ctx = self.context("du-lieu/");
                ctx.insert("overview", data_pages::overview_value(site, data));
                self.render_template("open_data.html", ctx, src)?
            }
            JobKind::ReportCsv(r) => {
                open_data::report_csv(data, &data.reports[*r], site.config.raw.rate_decimals)
            }
            JobKind::DataJson => open_data::model_json(data, site.config.raw.rate_decimals),
            _ => Vec::new(),
        })
    }
}

/// Numbered pager links: first, last and two either side of the current page, with `gap`
/// entries between. Listing every page would make a 1 000-page section write a million links.
fn pager_window(current: usize, total: usize, url: impl Fn(usize) -> String) -> Vec<TValue> {
    let mut shown: Vec<usize> = vec![1, total];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() * 2);
    let mut prev = 0;
    for n in shown {
        if n > prev + 1 {
            out.push(tobj!({"gap": true}));
        }
        out.push(tobj!({"index": n, "url": url(n), "current": n == current, "gap": false}));
        prev = n;
    }
    out
}

fn taxonomy_value(cfg: &SiteConfig, t: &crate::config::TaxonomyConfig) -> Value {
    let path = format!("{}/", t.slug);
    json!({"name": t.name, "slug": t.slug, "title": t.title, "url": cfg.url(&path), "permalink": cfg.permalink(&path)})
}

fn term_value(cfg: &SiteConfig, tax: &crate::site::Taxonomy, term: &crate::site::Term) -> Value {
    let path = tax.term_path(term);
    json!({"name": term.name, "slug": term.slug, "url": cfg.url(&path), "permalink": cfg.permalink(&path), "count": term.pages.len()})
}

/// A sitemap entry until its file renders. Its template value is built then, a file at a time:
/// kept as template values for the whole build, the entries held 180 MB at 100 000 articles.
struct SitemapEntry {
    /// Site path of the page.
    path: Box<str>,
    /// The article's `updated`, else its `date`, as a local date.
    lastmod: Option<chrono::NaiveDate>,
}

fn sitemap_entries(site: &Site, jobs: &[Job]) -> Vec<SitemapEntry> {
    let lastmod: HashMap<&str, chrono::NaiveDate> = site
        .pages
        .iter()
        .filter_map(|p| Some((p.path.as_str(), p.updated.or(p.date)?.date_naive())))
        .collect();
    jobs.iter()
        .filter(|j| j.in_sitemap())
        .map(|j| {
            let path = j.site_path();
            let lastmod = lastmod.get(path.as_str()).copied();
            SitemapEntry {
                path: path.into_boxed_str(),
                lastmod,
            }
        })
        .collect()
}

/// The template value of a sitemap entry: `permalink`, `lastmod` (`YYYY-MM-DD` or null) and
/// `alternates` (see [`translations::alternates_value`]).
fn sitemap_value(site: &Site, e: &SitemapEntry) -> TValue {
    let lastmod = e.lastmod.map(|d| d.format("%Y-%m-%d").to_string());
    values::tmap([
        (
            "alternates",
            tv(&translations::alternates_value(site, &e.path)),
        ),
        ("lastmod", TValue::from(lastmod)),
        ("permalink", TValue::from(site.config.permalink(&e.path))),
    ])
}

/// Makes root-relative `href`/`src`/`srcset` URLs under the base path absolute (for feeds: a
/// feed reader resolves them against nothing).
pub fn absolute_urls(html: &str, base_path: &str, base_full: &str) -> String {
    let mut out = html.to_string();
    for attr in ["href", "src"] {
        out = out.replace(
            &format!("{attr}=\"{base_path}"),
            &format!("{attr}=\"{base_full}"),
        );
    }
    absolute_srcsets(&out, base_path, base_full)
}

/// Each candidate of every `srcset="url 480w, url 960w"` made absolute.
fn absolute_srcsets(html: &str, base_path: &str, base_full: &str) -> String {
    const ATTR: &str = "srcset=\"";
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(at) = rest.find(ATTR) {
        let start = at + ATTR.len();
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        for (k, candidate) in rest[start..end].split(',').enumerate() {
            if k > 0 {
                out.push(',');
            }
            let lead = &candidate[..candidate.len() - candidate.trim_start().len()];
            out.push_str(lead);
            match candidate.trim_start().strip_prefix(base_path) {
                Some(r) => {
                    out.push_str(base_full);
                    out.push_str(r);
                }
                None => out.push_str(candidate.trim_start()),
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A redirect page for an old address: works without JavaScript, tells search engines the
/// canonical address, and shows a link for readers whose browser ignores the refresh.
pub fn alias_page(to: &str) -> String {
    let to = crate::escape::html(to);
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>Đã chuyển địa chỉ</title>\n<link rel=\"canonical\" href=\"{to}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n<p>Bài viết đã chuyển sang <a href=\"{to}\">địa chỉ mới</a>.</p>\n</body>\n</html>\n"
    )
}

/// Used by `check`: where a template file lives, for messages.
pub fn template_source(sources: &HashMap<String, String>, name: &str) -> Option<String> {
    sources.get(name).cloned()
}

#[allow(dead_code)]
fn _unused(_: &Path) {}

#[cfg(test)]
mod absolute_url_tests {
    use super::absolute_urls;

    #[test]
    fn feeds_get_absolute_hrefs_srcs_and_every_srcset_candidate() {
        let full = "https://so.gov.vn/ban-tin/";
        for (html, want) in [
            (
                r#"<a href="/ban-tin/a/">x</a><img src="/ban-tin/a/b-960.jpg" srcset="/ban-tin/a/b-480.jpg 480w, /ban-tin/a/b-960.jpg 960w">"#,
                r#"<a href="https://so.gov.vn/ban-tin/a/">x</a><img src="https://so.gov.vn/ban-tin/a/b-960.jpg" srcset="https://so.gov.vn/ban-tin/a/b-480.jpg 480w, https://so.gov.vn/ban-tin/a/b-960.jpg 960w">"#,
            ),
            // outside the base path, or already absolute: as it was
            (
                r#"<source srcset="https://x.vn/a.webp 1x,/khac/b.webp 2x">"#,
                r#"<source srcset="https://x.vn/a.webp 1x,/khac/b.webp 2x">"#,
            ),
            // an unclosed attribute does not lose the rest of the text
            (
                r#"<img srcset="/ban-tin/a.jpg 1x"#,
                r#"<img srcset="https://so.gov.vn/ban-tin/a.jpg 1x"#,
            ),
            (
                "srcset không phải thuộc tính",
                "srcset không phải thuộc tính",
            ),
        ] {
            assert_eq!(absolute_urls(html, "/ban-tin/", full), want);
        }
    }
}

#[cfg(test)]
mod group_by_tests {
    use tera::{Context, Tera};

    #[test]
    fn group_by_lists_groups_in_key_order() {
        let mut t = Tera::default();
        t.register_filter("group_by", super::group_by);
        let mut c = Context::new();
        let xs: Vec<serde_json::Value> = ["xa", "b", "c", "a", "xb", "d", "e", "f", "g"]
            .iter()
            .map(|s| serde_json::json!({"k": &s[..1], "n": s}))
            .collect();
        c.insert("xs", &xs);
        let out = t
            .render_str(
                "{% for k, v in xs | group_by(attribute=\"k\") %}{{ k }}:{% for x in v %}{{ x.n }} {% endfor %}{% endfor %}",
                &c,
                false,
            )
            .unwrap();
        assert_eq!(out, "a:a b:b c:c d:d e:e f:f g:g x:xa xb ");
    }
}

#[cfg(test)]
mod pager_tests {
    use super::pager_window;

    #[test]
    fn pager_window_shows_ends_and_neighbours_with_gaps() {
        let idx = |cur, total| -> Vec<String> {
            pager_window(cur, total, |n| n.to_string())
                .iter()
                .map(|v| serde_json::to_value(v).unwrap())
                .map(|v| {
                    if v["gap"] == true {
                        "…".into()
                    } else {
                        v["index"].to_string()
                    }
                })
                .collect()
        };
        assert_eq!(idx(1, 1), ["1"]);
        assert_eq!(idx(2, 3), ["1", "2", "3"]);
        assert_eq!(
            idx(50, 100),
            ["1", "…", "48", "49", "50", "51", "52", "…", "100"]
        );
        assert_eq!(idx(1, 100), ["1", "2", "3", "…", "100"]);
        assert_eq!(idx(4, 100), ["1", "2", "3", "4", "5", "6", "…", "100"]);
    }
}

/// The share values of every HTML page but the articles': theirs are made when the article
/// renders ([`share_info`]), not kept through the build (80 MB at 100 000 articles).
fn share_infos(
    site: &Site,
    jobs: &[Job],
    drawn: &HashSet<String>,
) -> HashMap<String, crate::plan::share::ShareInfo> {
    jobs.iter()
        .filter(|j| !matches!(j.kind, JobKind::Page(_)))
        .filter_map(|j| Some((j.site_path(), share_info(site, drawn, &j.kind)?)))
        .collect()
}

/// The output paths of the share cards the build draws.
fn drawn_cards(jobs: &[Job]) -> HashSet<String> {
    jobs.iter()
        .filter(|j| matches!(j.kind, JobKind::ShareCard(_)))
        .map(|j| j.output.clone())
        .collect()
}

/// A page's share values. A page whose listing draws no card (a section that is not rendered,
/// a taxonomy without its list page) points to the home page's card instead, so no og:image
/// ever names a file that was not written.
fn share_info(
    site: &Site,
    drawn: &HashSet<String>,
    kind: &JobKind,
) -> Option<crate::plan::share::ShareInfo> {
    let mut info = crate::plan::share::describe(site, kind)?.info;
    if let Some(base) = &info.card {
        if !drawn.contains(crate::plan::share::card_path(base).as_str()) {
            let home = crate::plan::share::card_path("");
            info.card = drawn.contains(home.as_str()).then(String::new);
            info.card_alt = site.config.raw.title.clone();
        }
    }
    Some(info)
}
