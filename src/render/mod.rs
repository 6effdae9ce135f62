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

pub mod data_pages;
pub mod filters;
pub mod open_data;
mod partials;
pub mod values;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{json, Value};
use tera::{Context, Tera};

use crate::config::SiteConfig;
use crate::diag::{display_path, Diagnostic};
use crate::plan::{pager_path, FeedFormat, FeedScope, Job, JobKind};
use crate::site::Site;

/// Why rendering failed.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("mẫu giao diện \"{name}\" có lỗi: {detail}")]
    Template {
        name: String,
        file: String,
        detail: String,
    },
    #[error("thiếu mẫu giao diện \"{name}\"")]
    Missing { name: String },
}

impl RenderError {
    pub fn to_diagnostic(&self, source: Option<&str>) -> Diagnostic {
        match self {
            RenderError::Template { file, detail, .. } => {
                let (line, col) = tera_position(detail);
                let mut d = Diagnostic::error(self.to_string()).in_file(file.clone());
                if let Some(l) = line {
                    d = d.at(l, col.unwrap_or(1));
                }
                d.hint("sửa mẫu giao diện tại vị trí này (cú pháp Tera: {{ biến }}, {% if %}…{% endif %}); tên hàm/bộ lọc có sẵn xem docs/templates.md")
            }
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

/// Finds "line:col" or "--> 3:5" style positions in Tera's messages.
fn tera_position(detail: &str) -> (Option<usize>, Option<usize>) {
    if let Some(rest) = detail.split("--> ").nth(1) {
        let mut it = rest
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty());
        let l = it.next().and_then(|s| s.parse().ok());
        let c = it.next().and_then(|s| s.parse().ok());
        return (l, c);
    }
    (None, None)
}

/// Full error text of Tera's error chain (Tera puts the useful part in the sources).
pub fn tera_error_text(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join(": ")
}

/// Template files by Tera name (`page.html`, `partials/x.html`): the theme's, overridden file
/// by file by the site's `templates/`. Editors' swap and backup files (`.page.html.swp`,
/// `page.html~`) are not templates. The one listing used by rendering, checks and `serve`.
pub fn template_files(site: &Site) -> BTreeMap<String, PathBuf> {
    crate::site::template_ids::template_files(&site.theme_dir, &site.root)
}

/// Loads the theme's templates, then the site's, into one Tera instance.
pub fn load_templates(site: &Site) -> Result<(Tera, HashMap<String, String>), Vec<Diagnostic>> {
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
    // Load all at once; only when that fails, parse one by one so each syntax error names its
    // own file (Tera's parser is slow: parsing twice on every build showed in profiles).
    if let Err(e) = tera.add_raw_templates(raw.iter().copied()) {
        for &(name, text) in &raw {
            if let Err(e) = Tera::default().add_raw_template(name, text) {
                let detail = tera_error_text(&e);
                // Inheritance needs every template; one by one, only syntax counts.
                if detail.contains("Failed to parse") {
                    let file = sources[name].clone();
                    diags.push(
                        RenderError::Template {
                            name: name.to_string(),
                            file,
                            detail,
                        }
                        .to_diagnostic(None),
                    );
                }
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let detail = tera_error_text(&e);
        let name = site
            .templates
            .keys()
            .find(|n| detail.contains(&format!("'{n}'")))
            .cloned()
            .unwrap_or_default();
        let file = sources
            .get(&name)
            .cloned()
            .unwrap_or_else(|| "templates".into());
        return Err(vec![
            RenderError::Template { name, file, detail }.to_diagnostic(None)
        ]);
    }
    tera.autoescape_on(vec![".html", ".htm", ".xml"]);
    tera.set_escape_fn(crate::escape::html);
    filters::register(&mut tera, site.config.date_style);
    tera.register_filter("rfc2822", rfc2822);
    tera.register_filter("escape_xml", escape_xml);
    tera.register_function("get_url", GetUrl::new(site));
    if let Some(data) = &site.data {
        let data = Arc::new(data.clone());
        let cfg = Arc::new(site.config.clone());
        tera.register_function(
            "so_lieu",
            FigureFn {
                data: data.clone(),
                cfg: cfg.clone(),
                chart: false,
            },
        );
        tera.register_function(
            "bieu_do",
            FigureFn {
                data,
                cfg,
                chart: true,
            },
        );
    }
    Ok((tera, sources))
}

/// Tera's `escape_xml`, same output, without its copy and per-character loop
/// ([`crate::escape::xml`]).
fn escape_xml(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    match value.as_str() {
        Some(s) => Ok(Value::String(crate::escape::xml(s))),
        None => Err(tera::Error::msg(format!(
            "Filter `escape_xml` was called on an incorrect value: got `{value}` but expected a String"
        ))),
    }
}

fn rfc2822(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let s = v.as_str().unwrap_or_default();
    crate::locale::parse_date_value(s)
        .map(|d| Value::String(d.to_rfc2822()))
        .ok_or_else(|| tera::Error::msg(format!("rfc2822: \"{s}\" không phải ngày hợp lệ")))
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

impl tera::Function for GetUrl {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let path = args
            .get("path")
            .and_then(Value::as_str)
            .ok_or_else(|| tera::Error::msg("get_url cần tham số path=\"…\""))?;
        if let Some(rest) = path.strip_prefix("@/") {
            let (p, anchor) = rest
                .split_once('#')
                .map_or((rest, None), |(p, a)| (p, Some(a)));
            let site_path = self.content.get(p).ok_or_else(|| {
                tera::Error::msg(format!("get_url: không có bài \"{path}\" trong content/"))
            })?;
            let mut url = self.config.url(site_path);
            if let Some(a) = anchor {
                url.push('#');
                url.push_str(a);
            }
            return Ok(Value::String(url));
        }
        if crate::sanitize::is_external(path) {
            return Ok(Value::String(path.to_string()));
        }
        Ok(Value::String(self.config.url(path)))
    }

    fn is_safe(&self) -> bool {
        false
    }
}

/// `so_lieu(...)` and `bieu_do(...)` in templates: the same lookups as the Markdown shortcodes.
struct FigureFn {
    data: Arc<crate::data::Data>,
    cfg: Arc<SiteConfig>,
    chart: bool,
}

impl tera::Function for FigureFn {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let args: std::collections::BTreeMap<String, crate::shortcodes::Arg> = args
            .iter()
            .map(|(k, v)| {
                let a = match v {
                    Value::String(s) => crate::shortcodes::Arg::Str(s.clone()),
                    Value::Bool(b) => crate::shortcodes::Arg::Bool(*b),
                    other => crate::shortcodes::Arg::Num(other.to_string()),
                };
                (k.clone(), a)
            })
            .collect();
        let name = if self.chart { "bieu_do" } else { "so_lieu" };
        let out = if self.chart {
            crate::figures::bieu_do(&self.cfg, &self.data, &args, 1)
        } else {
            crate::figures::so_lieu(&self.data, &self.cfg, &args)
        };
        out.map(Value::String).map_err(|e| {
            let msg = match crate::diag::split_fix(&e) {
                (m, Some(fix)) => format!("{name}: {m} (cách sửa: {fix})"),
                (m, None) => format!("{name}: {m}"),
            };
            tera::Error::msg(msg)
        })
    }

    fn is_safe(&self) -> bool {
        self.chart
    }
}

/// A template context built as a JSON map: values are moved in (or cloned), never run through
/// serde again as `tera::Context::insert` would — that re-serialisation was a seventh of a build.
#[derive(Debug, Clone, Default)]
pub struct Ctx(serde_json::Map<String, Value>);

/// Values a [`Ctx`] accepts.
pub trait CtxValue {
    fn into_value(self) -> Value;
}

impl CtxValue for Value {
    fn into_value(self) -> Value {
        self
    }
}
impl CtxValue for &Value {
    fn into_value(self) -> Value {
        self.clone()
    }
}
impl CtxValue for &Vec<Value> {
    fn into_value(self) -> Value {
        Value::Array(self.clone())
    }
}
impl CtxValue for &Vec<&Value> {
    fn into_value(self) -> Value {
        Value::Array(self.iter().map(|v| (*v).clone()).collect())
    }
}
impl CtxValue for &String {
    fn into_value(self) -> Value {
        Value::String(self.clone())
    }
}
impl CtxValue for &str {
    fn into_value(self) -> Value {
        Value::String(self.to_string())
    }
}

impl Ctx {
    pub fn insert(&mut self, key: &str, value: impl CtxValue) {
        self.0.insert(key.to_string(), value.into_value());
    }

    pub fn into_context(self) -> Context {
        Context::from_value(Value::Object(self.0)).unwrap_or_default()
    }
}

/// Renders jobs for one site. Shared read-only across threads.
pub struct Renderer<'a> {
    pub site: &'a Site,
    parts: RendererParts,
    pool: SummaryPool,
}

/// Article summaries lent by move to listing pages and taken back after each render, so an
/// article's summary is cloned about once per thread instead of once per listing it is on.
/// A slot is empty while its value is lent (another thread then clones), so contention costs
/// a clone, never a wait.
struct SummaryPool(Vec<std::sync::Mutex<Option<Value>>>);

impl SummaryPool {
    fn new(len: usize) -> SummaryPool {
        SummaryPool((0..len).map(|_| std::sync::Mutex::new(None)).collect())
    }

    fn take(&self, i: usize, summaries: &[Value]) -> Value {
        let lent = self.0[i].lock().ok().and_then(|mut slot| slot.take());
        lent.unwrap_or_else(|| summaries[i].clone())
    }

    fn give_back(&self, i: usize, value: Value) {
        if let Ok(mut slot) = self.0[i].lock() {
            if slot.is_none() {
                *slot = Some(value);
            }
        }
    }
}

/// The articles of one paginator page, in order (to give their summaries back).
struct Paginated<'a> {
    ids: &'a [usize],
}

/// Field access reads the prepared parts (`self.summaries`, `renderer.tera`).
impl std::ops::Deref for Renderer<'_> {
    type Target = RendererParts;
    fn deref(&self) -> &RendererParts {
        &self.parts
    }
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site, jobs: &[Job]) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let (mut tera, sources) = load_templates(site)?;
        use rayon::prelude::*;
        let summaries: Vec<Value> = (0..site.pages.len())
            .into_par_iter()
            .map(|i| values::page_summary(site, i))
            .collect();
        let links: Vec<Value> = summaries.iter().map(values::page_link).collect();
        let sections = (0..site.sections.len())
            .map(|si| values::section_value(site, si))
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
            &notices.iter().map(|&i| &summaries[i]).collect::<Vec<_>>(),
        );
        let partials = partials::install(&mut tera, base.clone().into_context());
        let jobs_sitemap = sitemap_entries(site, jobs);
        Ok(Renderer {
            site,
            pool: SummaryPool::new(site.pages.len()),
            parts: RendererParts {
                tera,
                sources,
                summaries,
                links,
                sections,
                base,
                notices,
                jobs_sitemap,
                _partials: partials,
            },
        })
    }

    fn context(&self, site_path: &str) -> Ctx {
        let cfg = &self.site.config;
        let mut ctx = self.base.clone();
        let current = cfg.url(site_path);
        let menu: Vec<Value> = cfg
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
                json!({"name": m.name, "url": url, "active": active})
            })
            .collect();
        ctx.insert("menu", &menu);
        ctx.insert("current_path", &current);
        ctx.insert("current_url", &cfg.permalink(site_path));
        ctx
    }

    fn render_template(
        &self,
        name: &str,
        ctx: Ctx,
        source: Option<&str>,
    ) -> Result<Vec<u8>, Diagnostic> {
        self.render_context(name, &ctx.into_context(), source)
    }

    /// A listing page: its paginator's article summaries go back to the pool afterwards.
    fn render_listing(
        &self,
        name: &str,
        ctx: Ctx,
        source: Option<&str>,
        lent: Paginated<'_>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let context = ctx.into_context();
        let out = self.render_context(name, &context, source);
        if let Value::Object(mut m) = context.into_json() {
            if let Some(Value::Object(mut p)) = m.remove("paginator") {
                if let Some(Value::Array(pages)) = p.remove("pages") {
                    for (&i, v) in lent.ids.iter().zip(pages) {
                        self.pool.give_back(i, v);
                    }
                }
            }
        }
        out
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
        // Straight into bytes: `render` would validate the whole page as UTF-8 again.
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut out)
            .map(|()| out)
            .map_err(|e| {
                let detail = tera_error_text(&e);
                let file = self
                    .sources
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| name.to_string());
                let d = RenderError::Template {
                    name: name.to_string(),
                    file,
                    detail,
                }
                .to_diagnostic(source);
                match source {
                    Some(s) => d.on_page(s),
                    None => d,
                }
            })
    }

    fn paginator<'l>(
        &self,
        list: &'l [usize],
        base_path: &str,
        pager: usize,
        pagers: usize,
        per: usize,
    ) -> (Value, Paginated<'l>) {
        let cfg = &self.site.config;
        let start = ((pager - 1) * per).min(list.len());
        let ids = &list[start..(start + per).min(list.len())];
        // Moved out of the pool (see `SummaryPool`): `json!` would serialise each summary
        // value again, and a clone per listing was 4 % of a build.
        let pages: Vec<Value> = ids
            .iter()
            .map(|&i| self.pool.take(i, &self.summaries))
            .collect();
        let url = |n: usize| cfg.url(&pager_path(base_path, n));
        let value = obj!({
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
        });
        (value, Paginated { ids })
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
        let latest: Vec<&Value> = site
            .by_date
            .iter()
            .filter(|&&i| {
                !self.notices.contains(&i)
                    || site.section_of(i).section.dir != cfg.raw.notices_section
            })
            .take(cfg.raw.home_latest)
            .map(|&i| &self.summaries[i])
            .collect();
        ctx.insert("latest", &latest);
        ctx.insert("paginator", &Value::Null);
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
        let per = s.meta.paginate_by.unwrap_or(cfg.raw.paginate_by);
        let mut ctx = self.context(&pager_path(&s.path, *pager));
        ctx.insert("section", &self.sections[*section]);
        let (paginator, lent) = self.paginator(&node.pages, &s.path, *pager, *pagers, per);
        ctx.insert("paginator", paginator);
        let t = s.meta.template.as_deref().unwrap_or("section.html");
        self.render_listing(t, ctx, src, lent)
    }

    /// An article.
    fn page(&self, i: &usize, src: Option<&str>) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site;
        let p = &site.pages[*i];
        let mut ctx = self.context(&p.path);
        ctx.insert(
            "page",
            values::page_full(site, *i, &self.summaries, &self.links),
        );
        ctx.insert("section_info", &self.sections[site.page_section[*i]]);
        let related: Vec<Value> = site.related[*i]
            .iter()
            .map(|&j| self.links[j].clone())
            .collect();
        ctx.insert("related", Value::Array(related));
        let node = site.section_of(*i);
        let t = p
            .meta
            .template
            .as_deref()
            .or(node.section.meta.page_template.as_deref())
            .unwrap_or("page.html");
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
        let (paginator, lent) = self.paginator(&tm.pages, &base, *pager, *pagers, per);
        ctx.insert("paginator", paginator);
        self.render_listing("taxonomy_single.html", ctx, src, lent)
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
        let pages: Vec<Value> = list
            .iter()
            .take(cfg.raw.feed_limit)
            .map(|&i| {
                let mut v = self.summaries[i].clone();
                if let Value::Object(m) = &mut v {
                    // Feed readers resolve nothing against the site: absolute URLs only.
                    let html =
                        absolute_urls(&site.pages[i].rendered.html, &cfg.base.path, &cfg.base.full);
                    m.insert("content".into(), Value::String(html));
                }
                v
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
            obj!({
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
            JobKind::TaxonomyList(t) => self.taxonomy_list(t, src)?,
            JobKind::Term {
                taxonomy,
                term,
                pager,
                pagers,
            } => self.term_page(taxonomy, term, pager, pagers, src)?,
            JobKind::Feed { scope, format } => self.feed(job, scope, format, src)?,
            JobKind::Sitemap => {
                let mut ctx = self.context("sitemap.xml");
                ctx.insert("entries", &self.jobs_sitemap);
                self.render_template("sitemap.xml", ctx, src)?
            }
            JobKind::Robots => robots_txt(cfg).into_bytes(),
            JobKind::NotFound => {
                let ctx = self.context("404.html");
                self.render_template("404.html", ctx, src)?
            }
            JobKind::Alias { to } => alias_page(to).into_bytes(),
            JobKind::Bytes(bytes) => bytes.as_ref().clone(),
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
    summaries: Vec<Value>,
    /// [`values::page_link`] of every article.
    links: Vec<Value>,
    /// [`values::section_value`] of every section (built once: article pages carry theirs).
    sections: Vec<Value>,
    base: Ctx,
    notices: Vec<usize>,
    jobs_sitemap: Vec<Value>,
    /// Keeps the templates `partial_cached` renders with.
    _partials: partials::Partials,
}

impl RendererParts {
    /// Replaces article `i`'s summary value (after its body changed; the values derived from
    /// it follow) and returns the previous one.
    pub fn set_summary(&mut self, i: usize, summary: Value) -> Value {
        self.links[i] = values::page_link(&summary);
        std::mem::replace(&mut self.summaries[i], summary)
    }
}

impl<'a> Renderer<'a> {
    /// A renderer from parts prepared for `site`, or for a Site that differs from it only in
    /// the article bodies whose summaries were updated with [`RendererParts::set_summary`].
    pub fn from_parts(site: &'a Site, parts: RendererParts) -> Renderer<'a> {
        Renderer {
            site,
            pool: SummaryPool::new(site.pages.len()),
            parts,
        }
    }

    pub fn into_parts(self) -> RendererParts {
        self.parts
    }

    /// The summary values of every article (shared by listings, feeds and sidebars).
    pub fn summaries(&self) -> &[Value] {
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
        let articles = |ids: Option<&Vec<usize>>, limit: usize| -> Vec<&Value> {
            ids.map(|v| v.iter().take(limit).map(|&i| &self.summaries[i]).collect())
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
                let (paginator, lent) = self.paginator(list, &base, *pager, *pagers, per);
                ctx.insert("paginator", paginator);
                self.render_listing("area.html", ctx, src, lent)?
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
                ctx.insert("articles", &articles(site.pages_by_project.get(&pr.id), 20));
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
            JobKind::ReportCsv(r) => open_data::report_csv(data, &data.reports[*r]),
            JobKind::DataJson => open_data::model_json(data),
            _ => Vec::new(),
        })
    }
}

/// Numbered pager links: first, last and two either side of the current page, with `gap`
/// entries between. Listing every page would make a 1 000-page section write a million links.
fn pager_window(current: usize, total: usize, url: impl Fn(usize) -> String) -> Vec<Value> {
    let mut shown: Vec<usize> = vec![1, total];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(total));
    shown.sort_unstable();
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() * 2);
    let mut prev = 0;
    for n in shown {
        if n > prev + 1 {
            out.push(obj!({"gap": true}));
        }
        out.push(obj!({"index": n, "url": url(n), "current": n == current, "gap": false}));
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

fn sitemap_entries(site: &Site, jobs: &[Job]) -> Vec<Value> {
    let lastmod = site.lastmod_dates();
    jobs.iter()
        .filter(|j| j.in_sitemap())
        .map(|j| {
            let path = j.site_path();
            json!({"permalink": site.config.permalink(&path), "lastmod": lastmod.get(path.as_str())})
        })
        .collect()
}

/// Makes root-relative `href`/`src` URLs under the base path absolute (for feeds).
pub fn absolute_urls(html: &str, base_path: &str, base_full: &str) -> String {
    let mut out = html.to_string();
    for attr in ["href", "src"] {
        out = out.replace(
            &format!("{attr}=\"{base_path}"),
            &format!("{attr}=\"{base_full}"),
        );
    }
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
mod pager_tests {
    use super::pager_window;

    #[test]
    fn pager_window_shows_ends_and_neighbours_with_gaps() {
        let idx = |cur, total| -> Vec<String> {
            pager_window(cur, total, |n| n.to_string())
                .iter()
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
