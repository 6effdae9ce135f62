//! `config.toml`: the one definition of the site configuration.
//!
//! Parsed with `deny_unknown_fields` so a typo ("titel") is an error naming the valid keys,
//! not a silently ignored setting.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::diag::{toml_diagnostic, Diagnostic};
use crate::locale::DateStyle;

/// Folder inside `content/` reserved for activity data (TOML), never read as articles.
pub const DATA_DIR: &str = "data";

/// The site configuration as written in `config.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Absolute URL of the site, may contain a path (`https://example.gov.vn/bantin/`).
    pub base_url: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// Default style of the `date_vi` filter.
    #[serde(default = "default_date_style")]
    pub date_style: String,
    /// Section whose newest articles feed the "Thông báo" sidebar.
    #[serde(default = "default_notices_section")]
    pub notices_section: String,
    #[serde(default = "default_notices_limit")]
    pub notices_limit: usize,
    /// Number of newest articles on the home page.
    #[serde(default = "default_home_latest")]
    pub home_latest: usize,
    #[serde(default = "default_related_limit")]
    pub related_limit: usize,
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Content files larger than this many bytes are refused (a pasted video, a runaway export).
    #[serde(default = "default_max_file_size")]
    pub max_file_size: u64,
    /// Unit in which budget figures are shown (`dong`, `nghin-dong`, `trieu-dong`, `ty-dong`).
    #[serde(default = "default_money_unit")]
    pub money_unit: String,
    /// Decimals of every computed rate (cards, charts, tables, CSV): 2 gives 36,38%.
    #[serde(default = "default_rate_decimals")]
    pub rate_decimals: u32,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// `[sitemap]`: how many URLs (and bytes) one sitemap file holds before `sitemap.xml`
    /// becomes an index of numbered files.
    #[serde(default)]
    pub sitemap: SitemapConfig,
    #[serde(default)]
    pub organization: Organization,
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    #[serde(default)]
    pub links: Vec<Link>,
    #[serde(default = "default_taxonomies")]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Languages besides Vietnamese (`[languages.en]`): their pages are the `.en.md` twins
    /// of content files, under `/en/`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub languages: BTreeMap<String, LanguageConfig>,
    #[serde(default)]
    pub extra: toml::Table,
}

/// One `[languages.CODE]` table: what the site-wide Vietnamese settings are for that
/// language's pages.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    pub title: String,
    pub description: String,
    /// The menu of that language's pages (`[[languages.en.menu]]`); none when empty.
    #[serde(default)]
    pub menu: Vec<MenuItem>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    #[serde(default)]
    pub smart_punctuation: bool,
    /// Sanitise raw HTML in Markdown (later issue); stored now so configs stay valid.
    #[serde(default)]
    pub safe: bool,
}

/// `[sitemap]`. Spanned so a value out of range is reported at its place.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SitemapConfig {
    /// URLs a sitemap file holds, 1 to 50 000 (the protocol's limit, the default).
    #[serde(default)]
    pub max_urls: Option<toml::Spanned<i64>>,
    /// Bytes a sitemap file holds (uncompressed), 1 000 to 50 MB (the default): lower only
    /// to test the split without a site of 50 MB.
    #[serde(default)]
    pub max_bytes: Option<toml::Spanned<i64>>,
}

/// The agency block of the portal footer.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub parent: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub fax: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub attribution: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// Key in front matter `[taxonomies]`.
    pub name: String,
    /// Heading shown to readers.
    #[serde(default)]
    pub title: String,
    /// URL segment; defaults to the slug of `name` (`chu_de` → `chu-de`).
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub paginate_by: Option<usize>,
    #[serde(default = "yes")]
    pub feed: bool,
}

fn yes() -> bool {
    true
}
fn default_language() -> String {
    "vi".into()
}
fn default_theme() -> String {
    "cong-thong-tin".into()
}
fn default_paginate_by() -> usize {
    10
}
fn default_date_style() -> String {
    "portal".into()
}
fn default_notices_section() -> String {
    "thong-bao".into()
}
fn default_notices_limit() -> usize {
    5
}
fn default_home_latest() -> usize {
    10
}
fn default_related_limit() -> usize {
    5
}
fn default_feed_limit() -> usize {
    20
}
fn default_rate_decimals() -> u32 {
    crate::locale::DEFAULT_RATE_DECIMALS
}

fn default_money_unit() -> String {
    "trieu-dong".into()
}
fn default_max_file_size() -> u64 {
    10 * 1024 * 1024
}
fn default_taxonomies() -> Vec<TaxonomyConfig> {
    vec![
        TaxonomyConfig {
            name: "tags".into(),
            title: "Thẻ".into(),
            slug: String::new(),
            paginate_by: None,
            feed: true,
        },
        TaxonomyConfig {
            name: "chu_de".into(),
            title: "Chủ đề".into(),
            slug: String::new(),
            paginate_by: None,
            feed: true,
        },
    ]
}

/// The parts of `base_url` the site needs everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Always ends with `/`.
    pub full: String,
    /// Path part, starts and ends with `/` (`/bantin/`).
    pub path: String,
}

impl BaseUrl {
    /// Parses an absolute `http(s)` URL; returns the reason on failure.
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let (scheme, rest) = s.split_once("://").ok_or_else(|| {
            format!("\"{s}\" không phải địa chỉ tuyệt đối (thiếu http:// hoặc https://)")
        })?;
        if scheme != "http" && scheme != "https" {
            return Err(format!(
                "giao thức \"{scheme}\" không được hỗ trợ; dùng http hoặc https"
            ));
        }
        let (host, path) = match rest.find(['/', '?', '#']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(char::is_whitespace) {
            return Err(format!("\"{s}\" thiếu tên máy chủ"));
        }
        if path.contains(['?', '#']) || path.contains(char::is_whitespace) || path.contains("..") {
            return Err(format!("đường dẫn \"{path}\" trong base_url không hợp lệ"));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        while path.contains("//") {
            path = path.replace("//", "/");
        }
        Ok(BaseUrl {
            full: format!("{scheme}://{host}{path}"),
            path,
        })
    }
}

/// A loaded, checked configuration plus the values derived from it once.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub raw: Config,
    pub base: BaseUrl,
    pub date_style: DateStyle,
    pub money_unit: crate::locale::MoneyUnit,
}

impl SiteConfig {
    /// Reads `config.toml` from `root`, applying a `--base-url` override.
    pub fn load(
        root: &Path,
        base_url_override: Option<&str>,
    ) -> Result<SiteConfig, Vec<Diagnostic>> {
        let file = "config.toml";
        let path = root.join(file);
        let text = match std::fs::metadata(&path) {
            // UTF-8 errors at their line, UTF-16, binary, BOM and NFC handled like content files
            Ok(_) => crate::source::read_text(&path, file, u64::MAX).map_err(|d| vec![d])?,
            Err(e) => {
                return Err(vec![Diagnostic::error(format!(
                    "không đọc được tệp cấu hình: {e}"
                ))
                .in_file(file)
                .hint("chạy lệnh trong thư mục gốc của trang (nơi có config.toml), dùng --root THƯ_MỤC, hoặc tạo trang mới bằng `bantin init THƯ_MỤC`")])
            }
        };
        Self::from_str(&text, base_url_override)
    }

    pub fn from_str(
        text: &str,
        base_url_override: Option<&str>,
    ) -> Result<SiteConfig, Vec<Diagnostic>> {
        let file = "config.toml";
        let mut raw: Config = toml::from_str(text)
            .map_err(|e| vec![toml_diagnostic(&e, text, file, 0, "Cấu hình")])?;
        let mut problems = Vec::new();
        if let Some(b) = base_url_override {
            raw.base_url = b.to_string();
        }
        let base = match BaseUrl::parse(&raw.base_url) {
            Ok(b) => Some(b),
            Err(why) => {
                problems.push(
                    Diagnostic::error(format!("base_url không hợp lệ: {why}"))
                        .in_file(file)
                        .hint("ví dụ: base_url = \"https://bandantoc.kontum.gov.vn/bantin/\""),
                );
                None
            }
        };
        let date_style = match raw.date_style.parse::<DateStyle>() {
            Ok(s) => Some(s),
            Err(e) => {
                problems
                    .push(Diagnostic::error(format!("date_style không hợp lệ: {e}")).in_file(file));
                None
            }
        };
        let money_unit = match raw.money_unit.parse::<crate::locale::MoneyUnit>() {
            Ok(u) => Some(u),
            Err(_) => {
                problems.push(
                    Diagnostic::error(format!("money_unit \"{}\" không hợp lệ", raw.money_unit))
                        .in_file(file)
                        .hint(format!(
                            "dùng một trong: {}",
                            crate::locale::MoneyUnit::valid_names()
                        )),
                );
                None
            }
        };
        if raw.rate_decimals > 4 {
            problems.push(
                Diagnostic::error(format!(
                    "rate_decimals = {} quá nhiều chữ số thập phân cho một tỷ lệ",
                    raw.rate_decimals
                ))
                .in_file(file)
                .hint("dùng từ 0 đến 4; bản tin thường viết 2 (36,38%)"),
            );
        }
        if raw.paginate_by == 0 {
            problems.push(
                Diagnostic::error("paginate_by phải lớn hơn 0")
                    .in_file(file)
                    .hint("ví dụ: paginate_by = 10"),
            );
        }
        check_sitemap(text, &raw.sitemap, &mut problems);
        for (i, m) in raw.menu.iter().enumerate() {
            if let Some(d) = check_config_url(text, "menu", i, &m.name, &m.url) {
                problems.push(d);
            }
        }
        for (i, m) in raw.links.iter().enumerate() {
            if let Some(d) = check_config_url(text, "links", i, &m.name, &m.url) {
                problems.push(d);
            }
        }
        if raw.theme.is_empty()
            || raw.theme.starts_with('.')
            || raw.theme.contains(['/', '\\', ':', '\0'])
        {
            problems.push(
                Diagnostic::error(format!(
                    "theme = \"{}\" không phải tên một thư mục trong themes/",
                    raw.theme
                ))
                .in_file(file)
                .at_opt(key_position(text, "theme"))
                .hint("theme là tên thư mục trong themes/, ví dụ theme = \"cong-thong-tin\"; không dùng /, \\ hay .."),
            );
        }
        for (code, lang) in &raw.languages {
            check_language(text, code, lang, &mut problems);
        }
        let mut seen = std::collections::BTreeSet::new();
        for t in &mut raw.taxonomies {
            if t.slug.is_empty() {
                t.slug = crate::locale::slugify(&t.name);
            }
            if t.title.is_empty() {
                t.title = t.name.clone();
            }
            if t.slug.is_empty() || !seen.insert(t.slug.clone()) {
                problems.push(
                    Diagnostic::error(format!(
                        "phân loại \"{}\" trùng hoặc không có tên hợp lệ",
                        t.name
                    ))
                    .in_file(file)
                    .hint("mỗi [[taxonomies]] cần một name riêng, viết bằng chữ, số, gạch dưới"),
                );
            }
            if t.paginate_by == Some(0) {
                problems.push(
                    Diagnostic::error(format!(
                        "paginate_by của phân loại \"{}\" phải lớn hơn 0",
                        t.name
                    ))
                    .in_file(file),
                );
            }
        }
        match (base, date_style, money_unit) {
            (Some(base), Some(date_style), Some(money_unit)) if problems.is_empty() => {
                Ok(SiteConfig {
                    raw,
                    base,
                    date_style,
                    money_unit,
                })
            }
            _ => Err(problems),
        }
    }

    /// The limits of one sitemap file (checked by [`check_sitemap`]).
    pub fn sitemap_limits(&self) -> SitemapLimits {
        let get = |v: &Option<toml::Spanned<i64>>, default: usize| {
            v.as_ref()
                .and_then(|v| usize::try_from(*v.get_ref()).ok())
                .unwrap_or(default)
        };
        let s = &self.raw.sitemap;
        SitemapLimits {
            urls: get(&s.max_urls, SITEMAP_MAX_URLS),
            bytes: get(&s.max_bytes, SITEMAP_MAX_BYTES),
        }
    }

    /// Root-relative URL with the base path for a site path (`tin-tuc/a/` → `/bantin/tin-tuc/a/`).
    pub fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.base.path, site_path.trim_start_matches('/'))
    }

    /// Absolute URL for a site path.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.base.full, site_path.trim_start_matches('/'))
    }

    /// Resolves a menu/link URL from config: absolute URLs and anchors stay, everything else is
    /// taken as site-relative.
    pub fn resolve_config_url(&self, url: &str) -> String {
        if crate::sanitize::is_external(url) || url.starts_with('#') {
            url.to_string()
        } else {
            self.url(url)
        }
    }

    /// The `config` object templates see.
    pub fn template_value(&self) -> Value {
        let c = &self.raw;
        let menu: Vec<Value> = c
            .menu
            .iter()
            .map(|m| json!({"name": m.name, "url": self.resolve_config_url(&m.url)}))
            .collect();
        let links: Vec<Value> = c
            .links
            .iter()
            .map(|m| json!({"name": m.name, "url": self.resolve_config_url(&m.url)}))
            .collect();
        let taxonomies: Vec<Value> = c
            .taxonomies
            .iter()
            .map(|t| {
                json!({"name": t.name, "slug": t.slug, "title": t.title,
                       "url": self.url(&format!("{}/", t.slug)), "feed": t.feed})
            })
            .collect();
        json!({
            "title": c.title,
            "description": c.description,
            "base_url": self.base.full,
            "base_path": self.base.path,
            "language": c.language,
            "theme": c.theme,
            "paginate_by": c.paginate_by,
            "date_style": c.date_style,
            "money_unit": c.money_unit,
            "notices_section": c.notices_section,
            "organization": serde_json::to_value(&c.organization).unwrap_or(Value::Null),
            "menu": menu,
            "links": links,
            "taxonomies": taxonomies,
            "extra": toml_to_json(&toml::Value::Table(c.extra.clone())),
        })
    }
}

/// A `[languages.CODE]` table: a language bantin has pages, dates and numbers for, with a
/// title, and menu URLs as safe as the Vietnamese menu's.
fn check_language(text: &str, code: &str, lang: &LanguageConfig, problems: &mut Vec<Diagnostic>) {
    let at = table_position(text, &format!("languages.{code}"));
    if !crate::locale::Lang::TRANSLATIONS.contains(&code) {
        let why = if code == "vi" {
            "tiếng Việt là ngôn ngữ chính của trang, không khai báo trong [languages]".to_string()
        } else {
            format!("bantin chưa có trang cho ngôn ngữ \"{code}\"")
        };
        problems.push(
            Diagnostic::error(format!("[languages.{code}]: {why}"))
                .in_file("config.toml")
                .at_opt(at)
                .hint(format!(
                    "ngôn ngữ dùng được: {} (ví dụ [languages.en] với title và description)",
                    crate::locale::Lang::TRANSLATIONS.join(", ")
                )),
        );
        return;
    }
    if lang.title.trim().is_empty() {
        problems.push(
            Diagnostic::error(format!("[languages.{code}]: title trống"))
                .in_file("config.toml")
                .at_opt(at)
                .hint("ghi tên trang bằng ngôn ngữ đó, ví dụ title = \"Ethnic Affairs Committee of Kon Tum Province\""),
        );
    }
    for (i, m) in lang.menu.iter().enumerate() {
        if let Some(d) =
            check_config_url(text, &format!("languages.{code}.menu"), i, &m.name, &m.url)
        {
            problems.push(d);
        }
    }
}

/// Line and column of a `[table]` header (`languages.en`; spaces inside the brackets allowed).
fn table_position(text: &str, table: &str) -> Option<(usize, usize)> {
    let header = format!("[{table}]");
    text.lines().enumerate().find_map(|(i, line)| {
        let t = line.trim_start();
        let head = t.split('#').next().unwrap_or("").replace([' ', '\t'], "");
        (head == header).then(|| (i + 1, line.len() - t.len() + 1))
    })
}

/// A `[[menu]]`/`[[links]]` URL must not run code in the reader's browser (`javascript:`,
/// `vbscript:`, `data:`) and must be a URL, not markup.
fn check_config_url(
    text: &str,
    table: &str,
    index: usize,
    name: &str,
    url: &str,
) -> Option<Diagnostic> {
    let why = if crate::sanitize::is_unsafe_url(url) {
        "dùng giao thức nguy hiểm (javascript:, vbscript:, data:)"
    } else if url.trim().is_empty() {
        "trống"
    } else if url
        .chars()
        .any(|c| c.is_control() || matches!(c, '<' | '>' | '"' | '`'))
    {
        "chứa ký tự không được phép trong địa chỉ (< > \" ` hoặc ký tự điều khiển)"
    } else {
        return None;
    };
    Some(
        Diagnostic::error(format!(
            "địa chỉ của mục [[{table}]] \"{name}\" {why}: \"{}\"",
            url.chars().take(80).collect::<String>()
        ))
        .in_file("config.toml")
        .at_opt(nth_table_url_position(text, table, index))
        .hint("dùng đường dẫn trong trang như \"/tin-tuc/\" hoặc địa chỉ đầy đủ https://…"),
    )
}

/// Line and column of `key =` at the top level of `config.toml` (before any table).
fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            return None;
        }
        if let Some(rest) = t.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return Some((i + 1, line.len() - t.len() + 1));
            }
        }
    }
    None
}

/// The sitemaps protocol's limits for one file (sitemaps.org).
pub const SITEMAP_MAX_URLS: usize = 50_000;
pub const SITEMAP_MAX_BYTES: usize = 50 * 1024 * 1024;

/// How many URLs and bytes one sitemap file may hold (`[sitemap]` in config.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SitemapLimits {
    pub urls: usize,
    pub bytes: usize,
}

impl Default for SitemapLimits {
    fn default() -> Self {
        SitemapLimits {
            urls: SITEMAP_MAX_URLS,
            bytes: SITEMAP_MAX_BYTES,
        }
    }
}

/// `[sitemap]`'s values within the protocol's limits (a wrong type is TOML's error already).
fn check_sitemap(text: &str, s: &SitemapConfig, problems: &mut Vec<Diagnostic>) {
    use self::{SITEMAP_MAX_BYTES as MAX_BYTES, SITEMAP_MAX_URLS as MAX_URLS};
    let keys = [
        (
            &s.max_urls,
            "max_urls",
            1,
            MAX_URLS,
            "số địa chỉ",
            "",
            "max_urls = 50000",
        ),
        (
            &s.max_bytes,
            "max_bytes",
            1000,
            MAX_BYTES,
            "số byte",
            " = 50 MB",
            "max_bytes = 10000000",
        ),
    ];
    for (value, key, min, max, what, max_said, example) in keys {
        let Some(v) = value else { continue };
        let n = *v.get_ref();
        if (min as i64..=max as i64).contains(&n) {
            continue;
        }
        let (line, col) = crate::diag::line_col(text, v.span().start);
        problems.push(
            Diagnostic::error(format!(
                "[sitemap] {key} = {n} không hợp lệ: {what} một tệp sơ đồ trang phải từ {min} đến {max}{max_said} (giới hạn của giao thức sitemap)"
            ))
            .in_file("config.toml")
            .at(line, col)
            .hint(format!(
                "ghi một số nguyên từ {min} đến {max} (không dấu chấm, không dấu nháy), hoặc bỏ khoá để dùng {max}; ví dụ {example}"
            )),
        );
    }
}

/// Line and column of the `url =` of the `index`-th `[[table]]`.
fn nth_table_url_position(text: &str, table: &str, index: usize) -> Option<(usize, usize)> {
    let header = format!("[[{table}]]");
    let mut count = 0usize;
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            inside = t.replace(' ', "") == header && {
                count += 1;
                count == index + 1
            };
            continue;
        }
        if inside {
            if let Some(rest) = t.strip_prefix("url") {
                if rest.trim_start().starts_with('=') {
                    return Some((i + 1, line.len() - line.trim_start().len() + 1));
                }
            }
        }
    }
    None
}

/// TOML values as JSON for templates; datetimes become their RFC 3339 text.
pub fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(
            t.iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_path() {
        let b = BaseUrl::parse("https://example.gov.vn/bantin").unwrap();
        assert_eq!(b.full, "https://example.gov.vn/bantin/");
        assert_eq!(b.path, "/bantin/");
        let b = BaseUrl::parse("http://127.0.0.1:1111").unwrap();
        assert_eq!(b.path, "/");
        assert!(BaseUrl::parse("example.gov.vn").is_err());
        assert!(BaseUrl::parse("ftp://x/").is_err());
    }

    #[test]
    fn typo_lists_valid_keys() {
        let err =
            SiteConfig::from_str("base_url = \"http://a/\"\ntitel = \"x\"\n", None).unwrap_err();
        let msg = err[0].to_string();
        assert!(msg.contains("config.toml:2:1"), "{msg}");
        assert!(msg.contains("`title`?"), "{msg}");
        assert!(msg.contains("base_url"), "{msg}");
    }
}
