//! Hostile content: `[markdown] safe = true` and the raw-HTML scan behind link checks.
//!
//! With `safe = true` the HTML rendered from a Markdown body is cleaned with `ammonia`. The
//! policy is ammonia's default (a list of harmless tags and attributes, `http(s)`/`mailto`/`tel`
//! and similar URL schemes only, `<script>`/`<style>` dropped with their content, comments
//! dropped) widened by exactly the markup bantin itself writes into a body:
//!
//! - `id` and `class` on any element (heading ids and `{#id .class}`, footnotes, code languages);
//! - the table wrapper `<div class="bang" role="region" aria-label="…" tabindex="0">`;
//! - task-list boxes `<input type="checkbox" disabled checked aria-label="…">`;
//! - `style` on table cells, limited to `text-align` (column alignment).
//!
//! Links keep their `href` untouched (no `rel` is added). Charts from `{{ bieu_do(…) }}` are not
//! content: they never go through the sanitiser. They stand in the Markdown as placeholder
//! comments ([`embed_placeholder`]) and are put back after cleaning ([`restore_embeds`]).

use std::sync::OnceLock;

/// The ammonia policy for `safe = true`.
pub fn policy() -> &'static ammonia::Builder<'static> {
    static POLICY: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    POLICY.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        widen(&mut b);
        b
    })
}

/// bantin's own markup added to ammonia's defaults (see the module comment).
fn widen(b: &mut ammonia::Builder<'_>) {
    b.add_tags(&["input", "picture", "source"])
        // photos (crate::anh): their variants and size, so the layout does not shift
        .add_tag_attributes(
            "img",
            &["srcset", "sizes", "width", "height", "loading", "decoding"],
        )
        .add_tag_attributes("source", &["type", "srcset", "sizes"])
        .add_generic_attributes(&["id", "class"])
        .add_tag_attributes("div", &["role", "aria-label", "tabindex"])
        .add_tag_attributes("input", &["disabled", "checked", "aria-label"])
        .add_tag_attribute_values("input", "type", &["checkbox"])
        .add_tag_attributes("th", &["style"])
        .add_tag_attributes("td", &["style"])
        .filter_style_properties(["text-align"].into())
        .link_rel(None);
}

/// Cleans rendered HTML with the [`policy`].
pub fn clean(html: &str) -> String {
    policy().clean(html).to_string()
}

/// [`clean`], also keeping links with the URL `schemes` given (lower case): those the
/// author's Markdown links use that ammonia's list lacks (`<irc2://…>`). A policy is made for
/// the body only then; unsafe schemes never reach here (they are errors).
pub fn clean_with_schemes(html: &str, schemes: &[String]) -> String {
    if schemes.is_empty() {
        return clean(html);
    }
    let mut b = ammonia::Builder::default();
    widen(&mut b);
    b.add_url_schemes(schemes.iter().map(String::as_str));
    b.clean(html).to_string()
}

/// Whether the cleaner keeps links with this (lower-case) scheme.
pub fn knows_scheme(scheme: &str) -> bool {
    static SCHEMES: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SCHEMES
        .get_or_init(|| policy().clone_url_schemes())
        .contains(scheme)
}

const EMBED_PREFIX: &str = "<!--bantin-bieu-do-";
/// Marks an embed inside the text that reaches the sanitiser; U+FFFC is the object
/// replacement character, which ammonia keeps as text.
const MARK: char = '\u{FFFC}';

/// The comment a chart stands as in the Markdown body while `safe = true`.
pub fn embed_placeholder(n: usize) -> String {
    format!("{EMBED_PREFIX}{n}-->")
}

/// `Some(n)` when a raw HTML event is exactly a chart placeholder.
pub fn embed_index(html: &str) -> Option<usize> {
    html.trim()
        .strip_prefix(EMBED_PREFIX)?
        .strip_suffix("-->")?
        .parse()
        .ok()
}

/// The text standing for embed `n` between rendering and [`restore_embeds`].
pub fn embed_mark(n: usize) -> String {
    format!("{MARK}{n}{MARK}")
}

/// Puts the charts back where their marks are. A mark without a chart (typed by hand) is
/// dropped.
pub fn restore_embeds(html: &str, embeds: &[String]) -> String {
    if !html.contains(MARK) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(MARK) {
        out.push_str(&rest[..i]);
        let after = &rest[i + MARK.len_utf8()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(MARK) {
            if let Some(chart) = after[..digits]
                .parse::<usize>()
                .ok()
                .and_then(|n| embeds.get(n))
            {
                out.push_str(chart);
            }
            rest = &after[digits + MARK.len_utf8()..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Strips the embed mark character from text typed by staff, so only bantin places embeds.
pub fn strip_marks(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(MARK) {
        s.replace(MARK, "").into()
    } else {
        s.into()
    }
}

/// A URL-carrying attribute found in raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawUrl {
    /// Byte offset of the tag in the fragment.
    pub offset: usize,
    pub tag: String,
    pub attr: String,
    pub value: String,
}

impl RawUrl {
    pub fn is_image(&self) -> bool {
        self.tag == "img" && self.attr == "src"
    }
}

/// How [`tags`] reads a fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// Raw HTML in Markdown: tag names are letters and digits.
    Html,
    /// SVG files: names may carry a prefix (`svg:script`) and `-_.`, and `<![CDATA[…]]>`
    /// sections hold text, not tags.
    Xml,
}

/// A start tag as [`tags`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// Byte offset of its `<`.
    pub offset: usize,
    /// As written.
    pub name: &'a str,
    pub attrs: Vec<Attr<'a>>,
}

/// An attribute of a [`Tag`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr<'a> {
    /// Byte offset of its name.
    pub offset: usize,
    /// As written.
    pub name: &'a str,
    /// Byte offset and text of its value (without quotes, references left as written), if it
    /// has an `=`.
    pub value: Option<(usize, &'a str)>,
}

/// The start tags of a fragment: a small tolerant scanner (quoted and unquoted values, any
/// case, comments skipped, a `<` inside a tag starting the next one). The one reader of raw
/// HTML's links ([`raw_urls`]) and of SVG pictures' active parts (`checks::svg`).
pub fn tags(html: &str, markup: Markup) -> impl Iterator<Item = Tag<'_>> {
    let mut scan = Scanner { html, markup, i: 0 };
    std::iter::from_fn(move || scan.next_tag())
}

/// The state of [`tags`]: a fragment and a byte position in it.
struct Scanner<'a> {
    html: &'a str,
    markup: Markup,
    i: usize,
}

impl<'a> Scanner<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.html.as_bytes()
    }

    fn skip_white(&mut self, also_slash: bool) {
        let b = self.bytes();
        while self.i < b.len()
            && (b[self.i].is_ascii_whitespace() || (also_slash && b[self.i] == b'/'))
        {
            self.i += 1;
        }
    }

    fn name_byte(&self, c: u8) -> bool {
        c.is_ascii_alphanumeric()
            || (self.markup == Markup::Xml && matches!(c, b':' | b'_' | b'-' | b'.'))
    }

    /// The next start tag, skipping text, comments and (in XML) CDATA sections.
    fn next_tag(&mut self) -> Option<Tag<'a>> {
        let (html, b) = (self.html, self.bytes());
        while self.i < b.len() {
            if b[self.i] != b'<' {
                self.i += 1;
                continue;
            }
            let rest = &html[self.i..];
            let skip = if rest.starts_with("<!--") {
                Some(("-->", 4))
            } else if self.markup == Markup::Xml && rest.starts_with("<![CDATA[") {
                Some(("]]>", 9))
            } else {
                None
            };
            if let Some((close, open_len)) = skip {
                let from = self.i + open_len;
                self.i = html[from..]
                    .find(close)
                    .map_or(b.len(), |e| from + e + close.len());
                continue;
            }
            let start = self.i;
            self.i += 1;
            let name_len = b[self.i..]
                .iter()
                .take_while(|&&c| self.name_byte(c))
                .count();
            if name_len == 0 {
                continue;
            }
            let name = &html[self.i..self.i + name_len];
            self.i += name_len;
            let attrs = self.attrs();
            return Some(Tag {
                offset: start,
                name,
                attrs,
            });
        }
        None
    }

    /// The attributes of the tag being read, until `>` (or a `<`, which starts the next tag).
    fn attrs(&mut self) -> Vec<Attr<'a>> {
        let (html, b) = (self.html, self.bytes());
        let mut attrs = Vec::new();
        loop {
            self.skip_white(true);
            if self.i >= b.len() || b[self.i] == b'>' || b[self.i] == b'<' {
                return attrs;
            }
            let an = b[self.i..]
                .iter()
                .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
                .count()
                .max(1);
            let mut attr = Attr {
                offset: self.i,
                name: &html[self.i..self.i + an],
                value: None,
            };
            self.i += an;
            self.skip_white(false);
            if self.i < b.len() && b[self.i] == b'=' {
                self.i += 1;
                self.skip_white(false);
                attr.value = Some(self.value());
            }
            attrs.push(attr);
        }
    }

    /// An attribute value after its `=`: quoted, or up to white space or `>`.
    fn value(&mut self) -> (usize, &'a str) {
        let (html, b, i) = (self.html, self.bytes(), self.i);
        match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = html[i + 1..].find(q as char).map_or(b.len(), |e| i + 1 + e);
                self.i = (end + 1).min(b.len());
                (i + 1, &html[i + 1..end])
            }
            Some(_) => {
                let len = b[i..]
                    .iter()
                    .take_while(|c| !c.is_ascii_whitespace() && **c != b'>')
                    .count();
                self.i += len;
                (i, &html[i..i + len])
            }
            None => (i, ""),
        }
    }
}

/// The `href`/`src` attributes of the tags in a raw HTML fragment, for the link checks
/// (entities `&amp;` and `&#…;` in values left as written: they are compared as text).
pub fn raw_urls(html: &str) -> Vec<RawUrl> {
    let mut out = Vec::new();
    for t in tags(html, Markup::Html) {
        let tag = t.name.to_ascii_lowercase();
        for a in t.attrs {
            let attr = a.name.to_ascii_lowercase();
            let Some((_, value)) = a.value else { continue };
            if matches!(
                attr.as_str(),
                "href" | "src" | "xlink:href" | "action" | "formaction"
            ) {
                out.push(RawUrl {
                    offset: t.offset,
                    tag: tag.clone(),
                    attr,
                    value: value.to_string(),
                });
            }
        }
    }
    out
}

/// The `id` attributes of the tags in a raw HTML fragment: (byte offset of the tag, value).
/// Ids written with character references are taken as written.
pub fn raw_ids(html: &str) -> Vec<(usize, String)> {
    // attribute names are case-insensitive: `Id=` too
    if !html
        .as_bytes()
        .windows(2)
        .any(|w| w.eq_ignore_ascii_case(b"id"))
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for t in tags(html, Markup::Html) {
        for a in t.attrs {
            if let (true, Some((_, v))) = (a.name.eq_ignore_ascii_case("id"), a.value) {
                if !v.trim().is_empty() {
                    out.push((t.offset, v.to_string()));
                }
            }
        }
    }
    out
}

/// True for URLs with a scheme or protocol-relative (`//host`), which the site must not rewrite.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '-' | '.'))
                && !url[..i].contains('/')
        }
        None => false,
    }
}

/// True for URL schemes that run code or smuggle content: `javascript:`, `vbscript:`, `data:`,
/// as a browser reads the scheme ([`scheme_as_read`]). The one URL rule: Markdown links, raw
/// HTML, config links, chart links and SVG pictures are all held to it.
pub fn is_unsafe_url(url: &str) -> bool {
    let seen = scheme_as_read(url);
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| seen.starts_with(s))
}

/// `data:image/png…`, `data:image/jpeg…`: a raster picture inline (not SVG, which can hold
/// script).
pub fn is_inline_raster(url: &str) -> bool {
    let seen = scheme_as_read(url);
    seen.starts_with("data:image/") && !seen.starts_with("data:image/svg")
}

/// The first characters of a URL as a browser reads its scheme: character references decoded
/// (`&#106;`, `&#x6A;`, `&colon;`, `&Tab;`, `&NewLine;`), white space and control characters
/// dropped, lower case.
fn scheme_as_read(url: &str) -> String {
    let mut seen = String::new();
    let mut chars = url.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let reference = if c == '&' {
            decode_reference(&url[at..])
        } else {
            None
        };
        let c = match reference {
            Some((decoded, len)) => {
                // skip the rest of the reference
                while chars.peek().is_some_and(|&(j, _)| j < at + len) {
                    chars.next();
                }
                decoded
            }
            None => c,
        };
        if c.is_whitespace() || c.is_control() {
            continue;
        }
        seen.extend(c.to_lowercase());
        if seen.len() >= 20 {
            break;
        }
    }
    seen
}

/// `&#106;`, `&#x6A;`, `&colon;`, `&Tab;`, `&NewLine;` at the start of `s`: the character and
/// the reference's length. Other named references are left alone: none of them make a scheme.
fn decode_reference(s: &str) -> Option<(char, usize)> {
    let body = s.strip_prefix('&')?;
    let end = body.find(';').filter(|&e| e <= 10);
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let n = digits
            .bytes()
            .take_while(|c| c.is_ascii_digit() || (radix == 16 && c.is_ascii_hexdigit()))
            .count();
        if n == 0 {
            return None;
        }
        let c = u32::from_str_radix(&digits[..n], radix)
            .ok()
            .and_then(char::from_u32)?;
        // the `;` is optional after a numeric reference
        let len = 1 + skip + n + usize::from(digits[n..].starts_with(';'));
        return Some((c, len));
    }
    let name = &body[..end?];
    let c = match name.to_ascii_lowercase().as_str() {
        "colon" => ':',
        "tab" => '\t',
        "newline" => '\n',
        _ => return None,
    };
    Some((c, name.len() + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_drops_scripts_and_handlers_keeps_bantin_markup() {
        let html = "<h2 id=\"ket-qua\" class=\"x\">Kết quả</h2>\n<script>alert(1)</script><img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">a</a><a href=\"/b/tin-tuc/\">b</a>\
<div class=\"bang\" role=\"region\" aria-label=\"Bảng số liệu\" tabindex=\"0\">\n<table><thead><tr><th style=\"text-align: center\">a</th></tr></thead></table>\n</div>\n\
<ul><li><input type=\"checkbox\" disabled checked aria-label=\"Đã hoàn thành\"> xong</li></ul><iframe src=\"https://x\"></iframe><p style=\"color:red\" onclick=\"x()\">p</p>";
        let out = clean(html);
        assert!(!out.contains("script"), "{out}");
        assert!(
            !out.contains("onerror") && !out.contains("onclick"),
            "{out}"
        );
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("iframe"), "{out}");
        assert!(!out.contains("color"), "{out}");
        for keep in [
            "<h2 id=\"ket-qua\" class=\"x\">Kết quả</h2>",
            "<a href=\"/b/tin-tuc/\">b</a>",
            "role=\"region\"",
            "aria-label=\"Bảng số liệu\"",
            "tabindex=\"0\"",
            "text-align:center",
            "type=\"checkbox\"",
            "aria-label=\"Đã hoàn thành\"",
            "checked",
        ] {
            assert!(out.contains(keep), "{keep} missing in {out}");
        }
    }

    #[test]
    fn embeds_round_trip() {
        assert_eq!(embed_index(&embed_placeholder(7)), Some(7));
        assert_eq!(embed_index("<!-- x -->"), None);
        let charts = vec!["<svg>a</svg>".to_string()];
        let html = format!("<p>{}</p>{}{}\u{FFFC}x", embed_mark(0), embed_mark(3), "t");
        assert_eq!(restore_embeds(&html, &charts), "<p><svg>a</svg></p>tx");
    }

    /// `raw_urls` before it was built on [`tags`], kept as the reference.
    fn raw_urls_before(html: &str) -> Vec<RawUrl> {
        let b = html.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            if html[i..].starts_with("<!--") {
                i = html[i + 4..].find("-->").map_or(b.len(), |e| i + 4 + e + 3);
                continue;
            }
            let start = i;
            i += 1;
            let name_len = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            if name_len == 0 {
                continue;
            }
            let tag = html[i..i + name_len].to_ascii_lowercase();
            i += name_len;
            // attributes until `>`
            loop {
                while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                    i += 1;
                }
                if i >= b.len() || b[i] == b'>' || b[i] == b'<' {
                    break;
                }
                let an = b[i..]
                    .iter()
                    .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
                    .count()
                    .max(1);
                let attr = html[i..i + an].to_ascii_lowercase();
                i += an;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i >= b.len() || b[i] != b'=' {
                    continue;
                }
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                let value = match b.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[i + 1..].find(q as char).map_or(b.len(), |e| i + 1 + e);
                        let v = &html[i + 1..end];
                        i = (end + 1).min(b.len());
                        v
                    }
                    Some(_) => {
                        let len = b[i..]
                            .iter()
                            .take_while(|c| !c.is_ascii_whitespace() && **c != b'>')
                            .count();
                        let v = &html[i..i + len];
                        i += len;
                        v
                    }
                    None => "",
                };
                if matches!(
                    attr.as_str(),
                    "href" | "src" | "xlink:href" | "action" | "formaction"
                ) {
                    out.push(RawUrl {
                        offset: start,
                        tag: tag.clone(),
                        attr,
                        value: value.to_string(),
                    });
                }
            }
        }
        out
    }

    /// `raw_urls` on [`tags`] finds what its own scanner found, on fragments made of tag
    /// pieces, quotes, comments and text in any order.
    #[test]
    fn raw_urls_are_what_they_were() {
        let pieces = [
            "<",
            ">",
            "<a",
            "<IMG",
            "<img-x",
            " href",
            " SRC",
            "=",
            "\"",
            "'",
            "x.png",
            " ",
            "/",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            "javascript:",
            "<br/>",
            "ể",
            "\n",
            "a:b",
        ];
        let mut next = crate::testutil::numbers(0x5eed_1234_abcd_0001);
        for case in 0..3000 {
            let html: String = (0..next(24)).map(|_| pieces[next(pieces.len())]).collect();
            assert_eq!(
                raw_urls(&html),
                raw_urls_before(&html),
                "case {case}: {html:?}"
            );
        }
    }

    #[test]
    fn raw_urls_and_schemes() {
        let u = raw_urls("<p>x <IMG alt='a' SRC=anh.png> <a href=\"java\nscript:x\">y</a><!-- <img src=no> --><br/>");
        assert_eq!(u.len(), 2, "{u:?}");
        assert!(u[0].is_image() && u[0].value == "anh.png");
        assert!(is_unsafe_url(&u[1].value));
        assert!(is_unsafe_url(" JavaScript:alert(1)"));
        assert!(is_unsafe_url("data:text/html,x"));
        assert!(!is_unsafe_url("https://x.vn/a:b"));
        assert!(!is_unsafe_url("/tin-tuc/"));
    }

    #[test]
    fn raw_ids_in_any_case() {
        assert_eq!(
            raw_ids("<p Id=\"a\">x</p><b data-id=\"no\" ID='b'></b><i id=\"\"></i>"),
            vec![(0, "a".to_string()), (15, "b".to_string())]
        );
        assert!(raw_ids("<p class=\"x\">không có</p>").is_empty());
    }

    #[test]
    fn external_urls() {
        assert!(is_external("https://x.vn/"));
        assert!(is_external("mailto:a@b"));
        assert!(is_external("//cdn"));
        assert!(!is_external("/tin-tuc/"));
        assert!(!is_external("tin-tuc/a:b"));
    }

    #[test]
    fn the_url_rule_reads_schemes_as_a_browser_does() {
        for bad in [
            "javascript:x",
            " JAVA\tscript:x",
            "&#106;avascript:x",
            "&#x6a;avascript:x",
            "javascript&colon;x",
            "java&Tab;script:x",
            "vbscript:x",
            "data:text/html,x",
            "data:image/svg+xml,x",
            "\u{1}data:x",
        ] {
            assert!(is_unsafe_url(bad), "{bad:?}");
        }
        for good in [
            "https://a.vn/",
            "/tin-tuc/",
            "mailto:a@b.vn",
            "Đăk Hà",
            "ẫ&#106;",
            "&",
            "&#;",
            "&#xZZ;",
            "a&colon;b",
        ] {
            assert!(!is_unsafe_url(good), "{good:?}");
        }
        assert!(is_inline_raster("data:image/png;base64,AA"));
        assert!(!is_inline_raster("data:image/svg+xml,<svg>"));
    }
}
