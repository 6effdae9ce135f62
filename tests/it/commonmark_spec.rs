//! The CommonMark spec (0.31.2) and the GFM extension examples (GFM spec 0.29: tables,
//! strikethrough, task lists, extended autolinks, disallowed raw HTML) through bantin's real
//! build: one fixture site with one article per example, the body HTML of each page compared
//! with the spec's expected HTML after normalising both (see [`normalise`]).
//!
//! The examples are pinned in `tests/fixtures/commonmark-spec/examples.json` (where they come
//! from and how they were extracted: the README.md there). The fixture site is
//! `tests/fixtures/commonmark-spec/site`: default config and a `templates/page.html` that
//! writes only the article body between two markers.
//!
//! bantin checks every internal link and image at build time. The files the examples link to
//! are created in the site's `static/` (from the links of the *expected* HTML, see
//! [`link_files`]); examples bantin refuses on purpose are in [`REFUSED`], each with the reason.
//! The test runs two builds: a check of the whole site (every refusal must be reported at its
//! article, and no other article may have an error), then a real build without the refused
//! articles, whose pages are compared.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::common::Fixture;
use bantin::build::{build, BuildOptions, Sink};
use bantin::diag::Diagnostic;
use scraper::{ElementRef, Html, Node};
use serde::Deserialize;

const COMMONMARK: &str = "commonmark-0.31.2";
const GFM: &str = "gfm-0.29";

const BEGIN: &str = "<!--bantin-spec-begin-->";
const END: &str = "<!--bantin-spec-end-->";

#[derive(Debug, Deserialize)]
struct Example {
    source: String,
    number: u32,
    section: String,
    #[serde(default)]
    extension: Option<String>,
    markdown: String,
    html: String,
}

impl Example {
    /// File stem of the article and last segment of its URL.
    fn slug(&self) -> String {
        match self.source.as_str() {
            COMMONMARK => format!("cm-{:04}", self.number),
            GFM => format!("gfm-{:04}", self.number),
            s => panic!("unknown source {s}"),
        }
    }

    fn content_file(&self) -> String {
        format!("content/spec/{}.md", self.slug())
    }

    /// Site path of the article's page (`spec/cm-0001/`).
    fn site_path(&self) -> String {
        format!("spec/{}/", self.slug())
    }

    fn label(&self) -> String {
        let ext = self
            .extension
            .as_deref()
            .map(|e| format!(", extension {e}"))
            .unwrap_or_default();
        format!(
            "{} example {} ({}{ext})",
            self.source, self.number, self.section
        )
    }
}

/// Why bantin refuses an example on purpose (what the link points at that the site does not
/// have): the build reports an error at the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Missing {
    /// A link or image whose target the site does not have (a file name no host can serve,
    /// a path above the site root).
    File,
    /// A relative `.md` link, which bantin takes for a link to an article, to an article the
    /// site does not have.
    Article,
    /// A `#fragment` link to a heading the page does not have.
    Anchor,
    /// An image without its text description (alt), which bantin requires (issue 16).
    Alt,
}

impl Missing {
    /// A piece of the (Vietnamese) message bantin reports for it.
    fn message_part(self) -> &'static str {
        match self {
            Missing::File => "nhưng trang không có tệp đó",
            Missing::Article => "liên kết tới bài không tồn tại",
            Missing::Anchor => "không có mục #",
            Missing::Alt => "ảnh thiếu mô tả (alt)",
        }
    }
}

/// Examples bantin refuses on purpose: (source, number, kind, why). Each must make the build
/// report an error of that kind at its article, or the test fails (the list stays honest).
/// A target "no host can serve" is a name bantin refuses for a file it publishes
/// (`bantin::checks::segment_problem`: `\ : * ? " < > |`, control characters, …), so no such
/// file can be in the site.
#[rustfmt::skip]
const REFUSED: &[(&str, u32, Missing, &str)] = &[
    (COMMONMARK, 22, Missing::File, "links to /bar*: no host can serve a file name with *"),
    (COMMONMARK, 23, Missing::File, "links to /bar* (reference definition): no host can serve a file name with *"),
    (COMMONMARK, 202, Missing::File, "links to /url\\bar*baz: no host can serve a file name with \\ or *"),
    (COMMONMARK, 484, Missing::Article, "[](./target.md) is a link to the article content/spec/target.md, which does not exist"),
    (COMMONMARK, 500, Missing::File, "links to foo): (relative): no host can serve a file name with :"),
    (COMMONMARK, 501, Missing::Anchor, "links to #fragment: the page has no heading (or other id) fragment"),
    (COMMONMARK, 502, Missing::File, "links to foo\\bar (relative): no host can serve a file name with \\"),
    (COMMONMARK, 504, Missing::File, "links to \"title\" (relative): no host can serve a file name with \""),
    (COMMONMARK, 507, Missing::File, "links to /url<U+00A0>\"title\" (a no-break space does not end a destination): no host can serve a file name with \""),
    (COMMONMARK, 522, Missing::File, "links to baz* (relative): no host can serve a file name with *"),
    (COMMONMARK, 581, Missing::Alt, "![](/url): an image without alt text, an error in bantin (decorative pictures say so with the anh shortcode)"),
];

/// Examples bantin writes differently on purpose: (source, number, why). Counted apart; the
/// test fails when one of them starts to match (then remove it here).
#[rustfmt::skip]
const KNOWN_DIFFERENCES: &[(&str, u32, &str)] = &[
    // `align` on table cells is obsolete in HTML5 (the W3C validator the verification suite
    // runs flags it); pulldown-cmark writes the same alignment as `style="text-align: …"`.
    (GFM, 199, "column alignment as style=\"text-align: center\", not the obsolete align=\"center\""),
    // A header-only table: pulldown-cmark writes an empty <tbody></tbody>, which is valid and
    // displays the same.
    (GFM, 205, "a header-only table has an empty <tbody></tbody>"),
    // The tagfilter would escape <iframe>, <script>, <style>… in raw HTML. bantin keeps raw
    // HTML as written (staff paste video and map embeds); `[markdown] safe = true` removes
    // these tags instead (README, "Hostile content").
    (GFM, 653, "no tagfilter: raw HTML is kept as written, or cleaned whole with safe = true"),
    // bantin turns on GFM's extended autolinks (GFM examples 621-631 match), as GitHub does:
    // these CommonMark examples show a bare URL or address staying text, which is CommonMark
    // without that extension.
    (COMMONMARK, 606, "extended autolinks: the address inside <foo+@bar.example.com> is a link"),
    (COMMONMARK, 608, "extended autolinks: https://foo.bar inside '< … >' is a link"),
    (COMMONMARK, 611, "extended autolinks: a bare https://example.com is a link"),
    (COMMONMARK, 612, "extended autolinks: a bare foo@bar.example.com is a link"),
];

fn load_examples() -> Vec<Example> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/commonmark-spec/examples.json"
    );
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The article: minimal front matter, then the example's Markdown exactly.
fn article(e: &Example) -> String {
    format!(
        "+++\ntitle = \"Ví dụ {} số {}\"\ndate = 2024-01-01\n+++\n{}",
        e.source, e.number, e.markdown
    )
}

// ---------------------------------------------------------------------------------------------
// Link targets

/// `%XX` sequences decoded (as a web server does before looking for the file); invalid UTF-8
/// or a bad escape gives `None`.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// `a/./b/../c` → `a/c`; `None` above the root. Keeps a trailing `/`.
fn normalise_path(p: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if p.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The files (site paths, as a server would look them up) that the links and images of the
/// example's *expected* HTML point at inside the site: root-relative ones from the site root,
/// relative ones from the article's own folder. Only names bantin accepts for a file it
/// publishes (every host can serve them) are returned.
fn link_files(e: &Example) -> Vec<String> {
    let doc = Html::parse_fragment(&e.html);
    let mut out = Vec::new();
    for node in doc.tree.nodes() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let url = match el.value().name() {
            "a" => el.value().attr("href"),
            "img" => el.value().attr("src"),
            _ => None,
        };
        let Some(url) = url else { continue };
        let url = url.trim();
        if url.is_empty() || url.starts_with('#') || bantin::sanitize::is_external(url) {
            continue;
        }
        let path = url.split(['#', '?']).next().unwrap_or("");
        let Some(path) = percent_decode(path) else {
            continue;
        };
        let joined = match path.strip_prefix('/') {
            Some(abs) => normalise_path(abs),
            None => normalise_path(&format!("{}{path}", e.site_path())),
        };
        let Some(joined) = joined else { continue };
        if joined.is_empty() || joined.ends_with('/') {
            continue; // a folder: the site root, or the article's own folder
        }
        if joined
            .split('/')
            .any(|seg| bantin::checks::segment_problem(seg).is_some())
        {
            continue;
        }
        out.push(joined);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Normalising HTML

/// A parsed fragment, simplified.
#[derive(Debug, Clone, PartialEq)]
enum N {
    Element {
        name: String,
        attrs: Vec<(String, String)>,
        children: Vec<N>,
    },
    Text(String),
    Comment(String),
}

/// Block-level tags of the CommonMark spec's test/normalize.py: white space next to them is
/// not significant.
const BLOCK_TAGS: &[&str] = &[
    "article",
    "header",
    "aside",
    "hgroup",
    "blockquote",
    "hr",
    "iframe",
    "body",
    "li",
    "map",
    "button",
    "object",
    "canvas",
    "ol",
    "caption",
    "output",
    "col",
    "p",
    "colgroup",
    "pre",
    "dd",
    "progress",
    "div",
    "section",
    "dl",
    "table",
    "td",
    "dt",
    "tbody",
    "embed",
    "textarea",
    "fieldset",
    "tfoot",
    "figcaption",
    "th",
    "figure",
    "thead",
    "footer",
    "tr",
    "form",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "video",
    "script",
    "style",
];

const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

fn is_block(n: &N) -> bool {
    matches!(n, N::Element { name, .. } if BLOCK_TAGS.contains(&name.as_str()))
}

/// The attributes of bantin's table wrapper, exactly.
const TABLE_WRAPPER: &[(&str, &str)] = &[
    ("aria-label", "Bảng số liệu"),
    ("class", "bang"),
    ("role", "region"),
    ("tabindex", "0"),
];

/// Converts the children of a scraper node, removing what bantin documents adding to
/// CommonMark's HTML:
/// - `id` of headings (Vietnamese slug ids);
/// - the table wrapper `<div class="bang" role="region" aria-label="Bảng số liệu"
///   tabindex="0">` around a table (replaced by its content);
/// - `aria-label` of task-list checkboxes (`disabled` vs `disabled=""` is the same attribute
///   once parsed);
/// - the page's own folder (`page_prefix`, `/spec/cm-0001/`) in front of link and image URLs:
///   bantin makes relative URLs root-relative, so the same HTML works in listings and feeds.
fn convert(parent: ElementRef<'_>, page_prefix: &str, out: &mut Vec<N>) {
    for child in parent.children() {
        match child.value() {
            Node::Text(t) => out.push(N::Text(t.to_string())),
            Node::Comment(c) => out.push(N::Comment(c.to_string())),
            Node::Element(el) => {
                let name = el.name().to_string();
                let mut attrs: Vec<(String, String)> = el
                    .attrs()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect();
                attrs.sort();
                if matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    attrs.retain(|(k, _)| k != "id");
                }
                // bantin states a picture's size and loads the ones below the first lazily
                if name == "img" {
                    attrs.retain(|(k, _)| {
                        !matches!(k.as_str(), "width" | "height" | "loading" | "decoding")
                    });
                }
                if name == "input" && el.attr("type") == Some("checkbox") {
                    attrs.retain(|(k, _)| k != "aria-label");
                }
                if !page_prefix.is_empty() && matches!(name.as_str(), "a" | "img") {
                    for (k, v) in attrs.iter_mut() {
                        if k == "href" || k == "src" {
                            if let Some(rest) = v.strip_prefix(page_prefix) {
                                *v = rest.to_string();
                            }
                        }
                    }
                }
                let mut children = Vec::new();
                if let Some(child) = ElementRef::wrap(child) {
                    convert(child, page_prefix, &mut children);
                }
                let wrapper = name == "div"
                    && attrs.len() == TABLE_WRAPPER.len()
                    && attrs
                        .iter()
                        .zip(TABLE_WRAPPER)
                        .all(|((k, v), (k2, v2))| k == k2 && v == v2)
                    && children
                        .iter()
                        .filter(|c| !matches!(c, N::Text(t) if t.trim().is_empty()))
                        .all(|c| matches!(c, N::Element { name, .. } if name == "table"));
                if wrapper {
                    out.extend(children);
                } else {
                    out.push(N::Element {
                        name,
                        attrs,
                        children,
                    });
                }
            }
            // doctypes and processing instructions do not occur in a body fragment
            _ => {}
        }
    }
}

/// White space as normalize.py treats it, on a list of siblings inside `parent`: adjacent text
/// merged; outside `<pre>` runs of ASCII white space collapsed to one space; white space next
/// to a block tag (or the start/end of a block parent) dropped; newlines right after `<br>`
/// dropped.
fn whitespace(nodes: &mut Vec<N>, parent_is_block: bool, in_pre: bool) {
    // merge adjacent text (removing the table wrapper can leave two side by side)
    let mut merged: Vec<N> = Vec::with_capacity(nodes.len());
    for n in nodes.drain(..) {
        match (merged.last_mut(), n) {
            (Some(N::Text(a)), N::Text(b)) => a.push_str(&b),
            (_, n) => merged.push(n),
        }
    }
    *nodes = merged;
    for n in nodes.iter_mut() {
        if let N::Element { name, children, .. } = n {
            let block = BLOCK_TAGS.contains(&name.as_str());
            let pre = in_pre || name == "pre";
            whitespace(children, block, pre);
        }
    }
    if in_pre {
        return;
    }
    let len = nodes.len();
    let mut out: Vec<N> = Vec::with_capacity(len);
    for i in 0..len {
        let N::Text(t) = &nodes[i] else {
            out.push(nodes[i].clone());
            continue;
        };
        let mut t = t.as_str();
        let after_br = i > 0 && matches!(&nodes[i - 1], N::Element { name, .. } if name == "br");
        if after_br {
            t = t.trim_start_matches('\n');
        }
        let mut s = String::with_capacity(t.len());
        let mut last_space = false;
        for c in t.chars() {
            if c.is_ascii_whitespace() {
                if !last_space {
                    s.push(' ');
                }
                last_space = true;
            } else {
                s.push(c);
                last_space = false;
            }
        }
        let block_before = if i == 0 {
            parent_is_block
        } else {
            is_block(&nodes[i - 1])
        };
        let block_after = if i + 1 == len {
            parent_is_block
        } else {
            is_block(&nodes[i + 1])
        };
        let mut s = s.as_str();
        if block_before {
            s = s.trim_start_matches(' ');
        }
        if block_after {
            s = s.trim_end_matches(' ');
        }
        if !s.is_empty() {
            out.push(N::Text(s.to_string()));
        }
    }
    *nodes = out;
}

fn escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}

fn serialise(nodes: &[N], out: &mut String) {
    for n in nodes {
        match n {
            N::Text(t) => out.push_str(&escape(t, false)),
            N::Comment(c) => {
                let _ = write!(out, "<!--{c}-->");
            }
            N::Element {
                name,
                attrs,
                children,
            } => {
                out.push('<');
                out.push_str(name);
                for (k, v) in attrs {
                    let _ = write!(out, " {k}=\"{}\"", escape(v, true));
                }
                out.push('>');
                serialise(children, out);
                if !VOID_TAGS.contains(&name.as_str()) {
                    let _ = write!(out, "</{name}>");
                }
                if BLOCK_TAGS.contains(&name.as_str()) {
                    out.push('\n'); // for reading only: block boundaries carry no white space
                }
            }
        }
    }
}

/// A canonical form of an HTML fragment, like the CommonMark spec's test/normalize.py: parsed
/// (so `<br />` = `<br>`, `&#39;` = `'`, `disabled` = `disabled=""`), attributes sorted,
/// white space collapsed except in `<pre>`, white space around block tags dropped; plus
/// bantin's documented additions removed (see [`convert`]). `page_prefix` is the root-relative
/// folder of the page the fragment comes from, or empty.
fn normalise(html: &str, page_prefix: &str) -> String {
    let doc = Html::parse_fragment(html);
    let mut nodes = Vec::new();
    // the fragment is parsed into an <html> element under the root
    convert(doc.root_element(), page_prefix, &mut nodes);
    whitespace(&mut nodes, true, false);
    let mut out = String::new();
    serialise(&nodes, &mut out);
    out.trim_end().to_string()
}

/// The names of the tags of `html` in source order (`p`, `/p`, …), as written: a guard
/// against the leniency of the HTML tree builder, which drops tags that cannot stand where
/// they are (a `<td>` outside a table) and closes elements by itself. bantin's table wrapper
/// is left out, as in [`normalise`].
fn tag_sequence(html: &str) -> Vec<String> {
    let wrapper = "<div class=\"bang\" role=\"region\" aria-label=\"Bảng số liệu\" tabindex=\"0\">";
    let mut tags: Vec<String> = Vec::new();
    let mut wrappers = 0usize; // wrappers open, each waiting for the </div> after its </table>
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with(wrapper) {
            wrappers += 1;
            rest = &rest[wrapper.len()..];
            continue;
        }
        let (close, name_start) = match rest.as_bytes().get(1) {
            Some(b'/') => (true, 2),
            _ => (false, 1),
        };
        let name: String = rest[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        rest = &rest[1..];
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue; // `<!--`, `<?`, `<33>`, a lone `<`
        }
        let name = name.to_ascii_lowercase();
        if close
            && name == "div"
            && wrappers > 0
            && tags.last().map(String::as_str) == Some("/table")
        {
            wrappers -= 1;
            continue;
        }
        tags.push(if close { format!("/{name}") } else { name });
    }
    tags
}

/// Whether bantin's HTML `got` is the spec's `want`: same canonical form and same tags.
fn same_html(want: &str, got: &str, page_prefix: &str) -> bool {
    normalise(want, page_prefix) == normalise(got, page_prefix)
        && tag_sequence(want) == tag_sequence(got)
}

#[test]
fn normaliser_ignores_what_it_should() {
    let same = [
        // attribute order, quoting, entity forms, self-closing tags
        (
            r#"<a title="t" href="/u">x</a>"#,
            r#"<a href='/u' title="t">x</a>"#,
        ),
        ("<p>a&#39;b &quot;c&quot; &amp;</p>", "<p>a'b \"c\" &amp;</p>"),
        ("<p>a<br />\nb</p>", "<p>a<br>\nb</p>"),
        // white space between and inside block tags, runs of white space in text
        ("<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n", "<ul><li>a</li><li>b</li></ul>"),
        ("<p>a  \t b</p>", "<p>a b</p>"),
        ("<p>\n  a</p>", "<p>a</p>"),
        // bantin's additions
        (r#"<h2 id="ket-qua">Kết quả</h2>"#, "<h2>Kết quả</h2>"),
        (
            "<div class=\"bang\" role=\"region\" aria-label=\"Bảng số liệu\" tabindex=\"0\">\n<table><tr><td>1</td></tr></table>\n</div>\n",
            "<table>\n<tr><td>1</td></tr></table>",
        ),
        (
            r#"<li><input type="checkbox" disabled checked aria-label="Đã hoàn thành"> foo</li>"#,
            r#"<li><input checked="" disabled="" type="checkbox"> foo</li>"#,
        ),
    ];
    for (a, b) in same {
        assert_eq!(normalise(a, ""), normalise(b, ""), "{a:?} vs {b:?}");
        assert!(same_html(a, b, ""), "{a:?} vs {b:?}");
    }
    assert_eq!(
        normalise(
            r#"<p><a href="/spec/cm-0001/foo">x</a></p>"#,
            "/spec/cm-0001/"
        ),
        normalise(r#"<p><a href="foo">x</a></p>"#, "/spec/cm-0001/")
    );
}

#[test]
fn normaliser_keeps_real_differences() {
    let different = [
        ("<p>foo</p>", "<p>fo</p>"),
        ("<p><em>foo</em></p>", "<p>foo</p>"),
        ("<p><em>foo</em></p>", "<p><strong>foo</strong></p>"),
        (
            r#"<p><a href="/url">x</a></p>"#,
            r#"<p><a href="/uri">x</a></p>"#,
        ),
        (
            r#"<p><a href="/url" title="t">x</a></p>"#,
            r#"<p><a href="/url">x</a></p>"#,
        ),
        (
            "<pre><code>a  b\n</code></pre>",
            "<pre><code>a b\n</code></pre>",
        ),
        ("<p>a b</p>", "<p>ab</p>"),
        ("<p>a&nbsp;b</p>", "<p>a b</p>"),
        ("<p>a</p><p>b</p>", "<p>a\nb</p>"),
        ("<p>a<br>b</p>", "<p>a b</p>"),
        ("<ul><li>a</li></ul>", "<ol><li>a</li></ol>"),
        ("<p>&lt;b&gt;</p>", "<p><b></b></p>"),
        (r#"<h2 class="x">a</h2>"#, "<h2>a</h2>"),
        (
            r#"<div class="bang"><table></table></div>"#,
            "<table></table>",
        ),
        (
            r#"<input type="checkbox" disabled checked>"#,
            r#"<input type="checkbox" disabled>"#,
        ),
        ("<p>x</p><!-- c -->", "<p>x</p>"),
    ];
    for (a, b) in different {
        assert_ne!(normalise(a, ""), normalise(b, ""), "{a:?} vs {b:?}");
        assert!(!same_html(a, b, ""), "{a:?} vs {b:?}");
    }
    // what the tree builder forgives, the tag sequence does not
    for (a, b) in [
        ("<td>\n  foo\n</td>\n", "<p>foo</p>"),
        ("<td>\n  foo\n</td>\n", "foo"),
        ("<p><em>a</p>", "<p><em>a</em></p>"),
    ] {
        assert!(!same_html(a, b, ""), "{a:?} vs {b:?}");
    }
    // the page prefix is removed only from the page's own folder
    assert_ne!(
        normalise(r#"<a href="/spec/cm-0002/foo">x</a>"#, "/spec/cm-0001/"),
        normalise(r#"<a href="foo">x</a>"#, "/spec/cm-0001/")
    );
}

// ---------------------------------------------------------------------------------------------
// The test

fn show_diags(ds: &[&Diagnostic]) -> String {
    ds.iter().map(|d| format!("    {d}\n")).collect()
}

#[test]
fn commonmark_and_gfm_examples_through_the_build() {
    let examples = load_examples();
    assert_eq!(
        examples.iter().filter(|e| e.source == COMMONMARK).count(),
        652
    );
    assert_eq!(examples.iter().filter(|e| e.source == GFM).count(), 24);
    let refused: BTreeMap<(&str, u32), (Missing, &str)> = REFUSED
        .iter()
        .map(|&(s, n, r, why)| ((s, n), (r, why)))
        .collect();
    assert_eq!(
        refused.len(),
        REFUSED.len(),
        "an example listed twice in REFUSED"
    );
    let known: BTreeMap<(&str, u32), &str> = KNOWN_DIFFERENCES
        .iter()
        .map(|&(s, n, why)| ((s, n), why))
        .collect();
    assert_eq!(
        known.len(),
        KNOWN_DIFFERENCES.len(),
        "an example listed twice in KNOWN_DIFFERENCES"
    );
    for key in refused.keys().chain(known.keys()) {
        assert!(
            examples
                .iter()
                .any(|e| (e.source.as_str(), e.number) == *key),
            "{key:?} is not an example"
        );
        assert!(
            !(refused.contains_key(key) && known.contains_key(key)),
            "{key:?} is both in REFUSED and in KNOWN_DIFFERENCES"
        );
    }

    let site = Fixture::new("commonmark-spec/site");
    // link targets: a file per path (case-insensitively unique, no file where a folder is
    // needed)
    let mut files: BTreeSet<String> = BTreeSet::new();
    let mut lower: BTreeSet<String> = BTreeSet::new();
    for e in &examples {
        site.write(&e.content_file(), article(e));
        for f in link_files(e) {
            if lower.insert(f.to_lowercase()) {
                files.insert(f);
            }
        }
    }
    let folders: BTreeSet<String> = files
        .iter()
        .flat_map(|f| {
            f.match_indices('/')
                .map(|(i, _)| f[..i].to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for f in &files {
        if folders.contains(f) {
            continue;
        }
        // a picture must be one: bantin decodes and encodes pictures again (crate::anh)
        if bantin::anh::is_photo(f) {
            let format = image::ImageFormat::from_path(f).unwrap();
            let mut bytes = Vec::new();
            image::RgbImage::new(4, 3)
                .write_to(&mut std::io::Cursor::new(&mut bytes), format)
                .unwrap();
            site.write(&format!("static/{f}"), bytes);
        } else {
            site.write(
                &format!("static/{f}"),
                format!("target of a spec example: {f}\n"),
            );
        }
    }

    // 1. Check the whole site: the errors must be exactly the refusals.
    let check = build(&BuildOptions {
        sink: Sink::Discard,
        ..site.options()
    });
    let diags = match &check {
        Ok(r) | Err(r) => &r.diagnostics,
    };
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
    let mut elsewhere: Vec<&Diagnostic> = Vec::new();
    for d in diags.iter().filter(|d| d.is_error()) {
        match d.file.as_deref() {
            Some(f) if f.starts_with("content/spec/") && f != "content/spec/_index.md" => {
                by_file.entry(f).or_default().push(d)
            }
            _ => elsewhere.push(d),
        }
    }
    let mut failures = String::new();
    if !elsewhere.is_empty() {
        let _ = writeln!(
            failures,
            "errors not at an example's article:\n{}",
            show_diags(&elsewhere)
        );
    }
    // examples that failed the build without being a deliberate refusal, and stale refusals
    let mut unexpected: Vec<(&Example, Vec<&Diagnostic>)> = Vec::new();
    let mut stale: Vec<String> = Vec::new();
    let mut excluded: BTreeSet<(&str, u32)> = BTreeSet::new();
    for e in &examples {
        let key = (e.source.as_str(), e.number);
        let errors = by_file
            .remove(e.content_file().as_str())
            .unwrap_or_default();
        match refused.get(&key) {
            Some((kind, why)) => {
                excluded.insert(key);
                let wrong: Vec<&Diagnostic> = errors
                    .iter()
                    .copied()
                    .filter(|d| !d.message.contains(kind.message_part()))
                    .collect();
                if errors.len() == wrong.len() {
                    stale.push(format!(
                        "{}: listed in REFUSED ({kind:?}: {why}) but bantin does not refuse it so\n{}",
                        e.label(),
                        show_diags(&errors)
                    ));
                } else if !wrong.is_empty() {
                    unexpected.push((e, wrong));
                }
            }
            None if !errors.is_empty() => {
                excluded.insert(key);
                unexpected.push((e, errors));
            }
            None => {}
        }
    }
    for (f, ds) in by_file {
        let _ = writeln!(failures, "errors at {f}:\n{}", show_diags(&ds));
    }

    // 2. Build without the refused (and unexpectedly failing) articles, compare the pages.
    for e in &examples {
        if excluded.contains(&(e.source.as_str(), e.number)) {
            site.remove(&e.content_file());
        }
    }
    let build2 = site.build();
    // BANTIN_SPEC_KEEP=DIR keeps a copy of the site (and its output) there, to look at.
    if let Some(dir) = std::env::var_os("BANTIN_SPEC_KEEP") {
        crate::common::copy_dir(&site.root, std::path::Path::new(&dir));
        println!("site copied to {}", std::path::Path::new(&dir).display());
    }
    if let Err(r) = build2 {
        panic!(
            "the build without the refused examples failed:\n{}\n{failures}",
            r.diagnostics
        );
    }
    let mut differing: Vec<String> = Vec::new();
    let mut known_matching: Vec<String> = Vec::new();
    // per source: examples, matched, refused, differing, failed the build, known differences
    let mut counts: BTreeMap<&str, [usize; 6]> = BTreeMap::new();
    for e in &examples {
        let c = counts.entry(e.source.as_str()).or_default();
        c[0] += 1;
        let key = (e.source.as_str(), e.number);
        if refused.contains_key(&key) {
            c[2] += 1;
            continue;
        }
        if excluded.contains(&key) {
            c[4] += 1;
            continue;
        }
        let page = site.read(&format!("public/{}index.html", e.site_path()));
        let start = page.find(BEGIN).expect("begin marker") + BEGIN.len();
        let end = page.rfind(END).expect("end marker");
        let got = &page[start..end];
        let prefix = format!("/{}", e.site_path());
        let same = same_html(&e.html, got, &prefix);
        match known.get(&key) {
            Some(why) if same => known_matching.push(format!(
                "{}: listed in KNOWN_DIFFERENCES ({why}) but matches now",
                e.label()
            )),
            Some(_) => c[5] += 1,
            None if same => c[1] += 1,
            None => {
                c[3] += 1;
                differing.push(format!(
                    "{}\n  markdown: {:?}\n  expected: {:?}\n  got:      {:?}\n  expected (normalised): {:?}\n  got (normalised):      {:?}\n  expected tags: {:?}\n  got tags:      {:?}\n",
                    e.label(),
                    e.markdown,
                    e.html,
                    got,
                    normalise(&e.html, &prefix),
                    normalise(got, &prefix),
                    tag_sequence(&e.html).join(" "),
                    tag_sequence(got).join(" "),
                ));
            }
        }
    }
    for (source, [n, matched, refused, differ, failed, known]) in &counts {
        println!(
            "{source}: {n} examples, {matched} matched, {refused} refused on purpose, {known} different on purpose, {differ} differing, {failed} failed the build"
        );
    }
    for (e, ds) in &unexpected {
        let _ = writeln!(
            failures,
            "{} failed the build (not a deliberate refusal)\n  markdown: {:?}\n{}",
            e.label(),
            e.markdown,
            show_diags(ds)
        );
    }
    for s in stale.iter().chain(&known_matching) {
        let _ = writeln!(failures, "{s}");
    }
    for d in &differing {
        let _ = writeln!(failures, "{d}");
    }
    assert!(
        failures.is_empty(),
        "{} differing, {} failing the build unexpectedly, {} stale entries in REFUSED or KNOWN_DIFFERENCES:\n\n{failures}",
        differing.len(),
        unexpected.len(),
        stale.len() + known_matching.len()
    );
}
