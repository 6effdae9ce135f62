//! Markdown → HTML with pulldown-cmark, plus the passes bantin needs on the event stream:
//! Vietnamese-aware unique heading ids, `@/` internal links, link/image collection for checks,
//! the `<!-- more -->` summary, tables wrapped for small screens, labelled task-list boxes.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::config::is_external;
use crate::diag::LineCursor;
use crate::locale::slugify;

/// One heading of the table of contents.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<Heading>,
}

/// What a link or image in Markdown points at, for the checks of the site stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A content file (`@/tin-tuc/a.md`, or a relative `../a.md`), with an optional anchor.
    Content {
        path: String,
        anchor: Option<String>,
    },
    /// A site path (no base path), resolved from a relative or root-relative URL.
    SitePath {
        path: String,
        anchor: Option<String>,
    },
    /// `#anchor` on the same page.
    Anchor(String),
    /// A `javascript:`/`data:`/`vbscript:` URL.
    Unsafe(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub target: LinkTarget,
    pub raw: String,
    pub is_image: bool,
    /// 1-based file line and column.
    pub line: usize,
    pub column: usize,
}

/// The result of rendering one Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    /// HTML before `<!-- more -->`, if the marker is present.
    pub summary_html: Option<String>,
    /// Plain text of the first paragraph (teaser fallback).
    pub first_paragraph: String,
    pub toc: Vec<Heading>,
    pub heading_ids: Vec<String>,
    pub word_count: usize,
    pub links: Vec<LinkRef>,
    /// Problems that are not links (nesting too deep).
    pub problems: Vec<Problem>,
}

/// What the renderer needs to know about the page and the site.
pub struct Context<'a> {
    pub smart_punctuation: bool,
    /// Content-relative directory of the source file (`tin-tuc`), for relative `.md` links.
    pub source_dir: &'a str,
    /// Site path of the page itself (`tin-tuc/a/`), for relative URLs.
    pub site_path: &'a str,
    /// Base path of the site (`/bantin/`), prefixed to root-relative links.
    pub base_path: &'a str,
    /// Content path (`tin-tuc/a.md`) → URL with base path.
    pub resolve: &'a (dyn Fn(&str) -> Option<String> + Sync),
    /// Lines in the file before the body starts.
    pub line_offset: usize,
    /// `[markdown] safe = true`: raw HTML is sanitised (see [`crate::sanitize`]).
    pub safe: bool,
    /// Charts standing as placeholders in the body while `safe` (see
    /// [`crate::sanitize::embed_placeholder`]); put back after sanitising.
    pub embeds: &'a [String],
}

/// Containers nested deeper than this (lists in lists in quotes …) are an error: no bulletin
/// needs it, browsers flatten it (Chromium stops nesting at 512), and deep trees are where
/// recursive code overflows its stack.
pub const MAX_NESTING: usize = 100;

/// A problem found while rendering, at a file position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

pub fn options(smart_punctuation: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// A heading being collected: level, explicit id, classes, inner events.
type OpenHeading<'a> = (
    HeadingLevel,
    Option<CowStr<'a>>,
    Vec<CowStr<'a>>,
    Vec<Event<'a>>,
);

const MORE: &str = "<!-- more -->";

/// Renders `body` to HTML.
pub fn render(body: &str, ctx: &Context<'_>) -> Rendered {
    let mut out = Rendered::default();
    let parser = Parser::new_ext(body, options(ctx.smart_punctuation)).into_offset_iter();
    // Sized for the events of a typical body (about one per 12 bytes of Markdown), so the
    // list is not copied over and over as it grows.
    let mut events: Vec<Event<'_>> = Vec::with_capacity(body.len() / 12 + 16);
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut more_at: Option<usize> = None;
    let mut heading: Option<OpenHeading<'_>> = None;
    let mut flat_toc: Vec<(u8, String, String)> = Vec::new();
    let mut in_first_para = 0u8; // 0 = not yet, 1 = inside, 2 = done
    let mut first_para = String::new();
    let mut cursor = LineCursor::new(body);
    let mut depth = 0usize;

    for (event, range) in parser {
        match &event {
            Event::Start(_) => {
                depth += 1;
                if depth == MAX_NESTING + 1 {
                    let (l, c) = cursor.locate(range.start);
                    out.problems.push(Problem {
                        line: l + ctx.line_offset,
                        column: c,
                        message: format!("nội dung lồng nhau quá sâu (hơn {MAX_NESTING} cấp danh sách, trích dẫn, …)"),
                        hint: "bớt các cấp lồng nhau: danh sách trong danh sách, dấu > trong dấu >; thường không cần quá 3–4 cấp".into(),
                    });
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                if ctx.safe {
                    if let Some(n) = crate::sanitize::embed_index(h) {
                        let mark = Event::Text(crate::sanitize::embed_mark(n).into());
                        match heading.as_mut() {
                            Some((_, _, _, inner)) => inner.push(mark),
                            None => events.push(mark),
                        }
                        continue;
                    }
                }
                raw_html_links(h, &range, &mut cursor, ctx, &mut out.links);
            }
            _ => {}
        }
        // Collect heading contents, then emit the heading with its id.
        if let Some((level, id, classes, inner)) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let text = plain_text(inner);
                    let base = match id.take() {
                        Some(i) => i.to_string(),
                        None => {
                            let s = slugify(&text);
                            if s.is_empty() {
                                "muc".to_string()
                            } else {
                                s
                            }
                        }
                    };
                    let id = unique_id(&base, &mut used_ids);
                    let lvl = *level as u8;
                    let mut inner_html = String::new();
                    pulldown_cmark::html::push_html(&mut inner_html, inner.drain(..));
                    let class_attr = if classes.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"{}\"", escape_attr(&classes.join(" ")))
                    };
                    events.push(Event::Html(
                        format!(
                            "<h{lvl} id=\"{}\"{class_attr}>{inner_html}</h{lvl}>\n",
                            escape_attr(&id)
                        )
                        .into(),
                    ));
                    out.heading_ids.push(id.clone());
                    flat_toc.push((lvl, id, text));
                    heading = None;
                }
                other => {
                    if let Event::Text(t) = &other {
                        out.word_count += count_words(t);
                    }
                    let other = link_pass(other, &range, &mut cursor, ctx, &mut out.links);
                    inner.push(other);
                }
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some((level, id, classes, Vec::new()));
            }
            Event::Html(ref h) | Event::InlineHtml(ref h)
                if h.trim() == MORE && more_at.is_none() =>
            {
                more_at = Some(events.len());
            }
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(
                    "<div class=\"bang\" role=\"region\" aria-label=\"Bảng số liệu\" tabindex=\"0\">\n".into(),
                ));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html("</div>\n".into()));
            }
            Event::TaskListMarker(checked) => {
                let html = if checked {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Đã hoàn thành\"> "
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"Chưa hoàn thành\"> "
                };
                events.push(Event::Html(html.into()));
            }
            Event::Start(Tag::Paragraph) => {
                if in_first_para == 0 {
                    in_first_para = 1;
                }
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                if in_first_para == 1 {
                    in_first_para = 2;
                }
                events.push(event);
            }
            other => {
                match &other {
                    Event::Text(t) | Event::Code(t) => {
                        out.word_count += count_words(t);
                        if in_first_para == 1 {
                            first_para.push_str(t);
                        }
                    }
                    Event::SoftBreak | Event::HardBreak if in_first_para == 1 => {
                        first_para.push(' ')
                    }
                    _ => {}
                }
                let other = link_pass(other, &range, &mut cursor, ctx, &mut out.links);
                events.push(other);
            }
        }
    }
    if let Some(i) = more_at {
        let mut s = String::new();
        pulldown_cmark::html::push_html(&mut s, events[..i].iter().cloned());
        out.summary_html = Some(finish_html(s, ctx));
    }
    let mut html = String::with_capacity(body.len() + body.len() / 4 + 64);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    out.html = finish_html(html, ctx);
    out.first_paragraph = split_ws(&first_para).collect::<Vec<_>>().join(" ");
    out.toc = nest_toc(&flat_toc);
    out
}

/// `t.split_whitespace().count()`, stepping character by character on the bytes like
/// [`split_ws`] (as one loop: the iterator costs a third more here, and every text event of
/// every article is counted).
pub fn count_words(t: &str) -> usize {
    let b = t.as_bytes();
    let (mut n, mut in_word, mut i) = (0, false, 0);
    // Sixteen bytes at a time while only ASCII white space can occur: a word starts at each
    // byte that is not white space and follows one (continuation bytes never do). A block
    // holding a lead byte of non-ASCII white space (C2, E1 9A, E2, E3) goes character by
    // character.
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{
            __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8,
            _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_sub_epi8,
        };
        // SAFETY: SSE2 is part of the x86_64 baseline; every load reads 16 bytes inside `b`
        // (`i + 17 <= b.len()` for the load at `i + 1`), unaligned loads being allowed.
        unsafe {
            let set = |c: u8| _mm_set1_epi8(c as i8);
            let (c2, e1, e2, e3, x9a) = (set(0xC2), set(0xE1), set(0xE2), set(0xE3), set(0x9A));
            let (blank, tab, four) = (set(b' '), set(b'\t'), set(4));
            while i + 17 <= b.len() {
                let v = _mm_loadu_si128(b.as_ptr().add(i).cast::<__m128i>());
                let next = _mm_loadu_si128(b.as_ptr().add(i + 1).cast::<__m128i>());
                let rare = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, e2)),
                    _mm_or_si128(
                        _mm_cmpeq_epi8(v, e3),
                        _mm_and_si128(_mm_cmpeq_epi8(v, e1), _mm_cmpeq_epi8(next, x9a)),
                    ),
                );
                if _mm_movemask_epi8(rare) != 0 {
                    // continuation bytes first (of a character that is not white space),
                    // then this block character by character
                    while b[i] & 0xC0 == 0x80 {
                        i += 1;
                    }
                    (i, n, in_word) = count_chars(t, i, (i + 16).min(b.len()), n, in_word);
                    continue;
                }
                // ' ' or \t..=\r (v - 9 <= 4, unsigned)
                let d = _mm_sub_epi8(v, tab);
                let ctl = _mm_cmpeq_epi8(_mm_min_epu8(d, four), d);
                let ws = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, blank), ctl)) as u32;
                let starts = !ws & 0xFFFF & (ws << 1 | u32::from(!in_word));
                n += starts.count_ones() as usize;
                in_word = ws & 0x8000 == 0;
                i += 16;
            }
        }
        while i < b.len() && b[i] & 0xC0 == 0x80 {
            i += 1;
        }
    }
    count_chars(t, i, b.len(), n, in_word).1
}

/// [`count_words`] character by character from byte `i` to (at least) `end`, continuing the
/// count `n` and the state `in_word`; returns all three.
fn count_chars(
    t: &str,
    mut i: usize,
    end: usize,
    mut n: usize,
    mut in_word: bool,
) -> (usize, usize, bool) {
    while i < end {
        let (space, len) = ws_at(t, i);
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            n += 1;
        }
        i += len;
    }
    (i, n, in_word)
}

/// (is white space, byte length) of the character starting at byte `i` of `s`.
#[inline]
pub(crate) fn ws_at(s: &str, i: usize) -> (bool, usize) {
    let c = s.as_bytes()[i];
    match c {
        0..=0x7F => (matches!(c, b'\t'..=b'\r' | b' '), 1),
        // Vietnamese letters (U+1Exx: E1 B8–BB …) are not U+1680 (E1 9A 80)
        0xE1 if s.as_bytes().get(i + 1) != Some(&0x9A) => (false, 3),
        0xC2 | 0xE1..=0xE3 => {
            let ch = s[i..].chars().next().unwrap_or(' ');
            (ch.is_whitespace(), ch.len_utf8())
        }
        0xC0..=0xDF => (false, 2),
        0xE0..=0xEF => (false, 3),
        _ => (false, 4),
    }
}

/// `s.split_whitespace()` on the bytes: the general splitter was a fifth of the Markdown stage
/// and most of the search snippets. Only lead bytes `C2`, `E1`, `E2`, `E3` can start a
/// non-ASCII white-space character (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028/9, U+202F,
/// U+205F, U+3000), so Vietnamese letters are stepped over without decoding.
pub fn split_ws(s: &str) -> impl Iterator<Item = &str> {
    let b = s.as_bytes();
    let mut i = 0;
    let at = move |i: usize| ws_at(s, i);
    std::iter::from_fn(move || {
        loop {
            if i >= b.len() {
                return None;
            }
            let (space, len) = at(i);
            if !space {
                break;
            }
            i += len;
        }
        let start = i;
        while i < b.len() {
            let (space, len) = at(i);
            if space {
                break;
            }
            i += len;
        }
        Some(&s[start..i])
    })
}

/// With `safe`, cleans the HTML and puts the charts back.
fn finish_html(html: String, ctx: &Context<'_>) -> String {
    if ctx.safe {
        crate::sanitize::restore_embeds(&crate::sanitize::clean(&html), ctx.embeds)
    } else {
        html
    }
}

/// Records the `href`/`src` URLs of raw HTML for the link checks: images must exist, and
/// `javascript:`/`data:` URLs are reported as in Markdown links. The HTML itself is kept as
/// written (or sanitised with `safe`).
fn raw_html_links(
    html: &str,
    range: &std::ops::Range<usize>,
    cursor: &mut LineCursor<'_>,
    ctx: &Context<'_>,
    links: &mut Vec<LinkRef>,
) {
    if !html.contains('<') {
        return;
    }
    for u in crate::sanitize::raw_urls(html) {
        let (l, c) = cursor.locate(range.start + u.offset);
        let trimmed = u.value.trim();
        let target = if crate::sanitize::is_unsafe_url(trimmed) {
            if ctx.safe {
                continue; // removed by the sanitiser anyway
            }
            Some(LinkTarget::Unsafe(trimmed.to_string()))
        } else if u.is_image() {
            // Raw HTML is not rewritten: a root-relative URL there is relative to the host, so
            // it must already carry the base path (`/bantin/anh.png`) to be inside the site.
            match trimmed.strip_prefix(ctx.base_path) {
                Some(rest) if trimmed.starts_with('/') && !trimmed.starts_with("//") => {
                    classify(&format!("/{rest}"), ctx).0
                }
                _ => classify(trimmed, ctx).0,
            }
        } else {
            None
        };
        if let Some(target) = target {
            links.push(LinkRef {
                target,
                raw: u.value.clone(),
                is_image: u.is_image(),
                line: l + ctx.line_offset,
                column: c,
            });
        }
    }
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    if used.insert(base.to_string()) {
        return base.to_string();
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}-{n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

fn plain_text(events: &[Event<'_>]) -> String {
    let mut s = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_string()
}

fn nest_toc(flat: &[(u8, String, String)]) -> Vec<Heading> {
    fn build(items: &[(u8, String, String)], i: &mut usize, level: u8) -> Vec<Heading> {
        let mut out = Vec::new();
        while *i < items.len() {
            let (lvl, id, title) = &items[*i];
            if *lvl < level {
                break;
            }
            *i += 1;
            let children = build(items, i, lvl + 1);
            out.push(Heading {
                level: *lvl,
                id: id.clone(),
                title: title.clone(),
                children,
            });
        }
        out
    }
    let mut i = 0;
    let mut all = Vec::new();
    while i < flat.len() {
        let min = flat[i].0;
        all.extend(build(flat, &mut i, min));
    }
    all
}

/// HTML escaping for text and quoted attributes: `& < > " '`, unescaped runs copied whole.
/// The one implementation: Tera's auto-escaping (`render::escape_html`) and `serve` use it.
pub fn escape_attr(input: &str) -> String {
    escape_with(input, "&#39;")
}

/// XML escaping as Tera's built-in `escape_xml` does it (`'` → `&apos;`), replacing it: the
/// built-in copies its input and goes character by character, and feeds pass every full
/// article body through it.
pub fn escape_xml(input: &str) -> String {
    escape_with(input, "&apos;")
}

/// `&`, `<`, `>`, `"` and `'` escaped; runs without them are copied in one piece. Pages pass
/// every title and teaser through here and feeds every article body, so finding the next
/// special byte is the hot loop ([`next_special`]).
fn escape_with(input: &str, apos: &'static str) -> String {
    let bytes = input.as_bytes();
    let mut i = next_special(bytes, 0);
    if i == bytes.len() {
        return input.to_string();
    }
    let mut out = String::with_capacity(input.len() + input.len() / 16 + 8);
    let mut last = 0;
    while i < bytes.len() {
        out.push_str(&input[last..i]);
        out.push_str(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => apos,
        });
        last = i + 1;
        i = next_special(bytes, last);
    }
    out.push_str(&input[last..]);
    out
}

/// Which of the 16 bytes `b[i..i + 16]` are one of `needles`: bit k for byte `i + k`. The
/// block scan of the text scanners (escaping here, the search text). Panics unless
/// `i + 16 <= b.len()`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn block_eq_any<const N: usize>(b: &[u8], i: usize, needles: [u8; N]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_setzero_si128,
    };
    assert!(i + 16 <= b.len());
    // SAFETY: SSE2 is part of the x86_64 baseline; the load reads the 16 bytes inside `b`
    // checked above, unaligned loads being allowed by `_mm_loadu_si128`.
    unsafe {
        let v = _mm_loadu_si128(b.as_ptr().add(i).cast::<__m128i>());
        let hit = needles.iter().fold(_mm_setzero_si128(), |acc, &c| {
            _mm_or_si128(acc, _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8)))
        });
        _mm_movemask_epi8(hit) as u32
    }
}

/// Index of the first of `&<>"'` in `b[from..]`, or `b.len()`.
fn next_special(b: &[u8], from: usize) -> usize {
    // All five are below 0x40: one shift of a 64-bit mask classifies a byte.
    const SPECIAL: u64 = 1 << b'&' | 1 << b'<' | 1 << b'>' | 1 << b'"' | 1 << b'\'';
    let mut i = from;
    #[cfg(target_arch = "x86_64")]
    while i + 16 <= b.len() {
        let mask = block_eq_any(b, i, [b'&', b'<', b'>', b'"', b'\'']);
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    b[i..]
        .iter()
        .position(|&c| c < 64 && (SPECIAL >> c) & 1 == 1)
        .map_or(b.len(), |p| i + p)
}

fn split_anchor(s: &str) -> (&str, Option<String>) {
    match s.split_once('#') {
        Some((p, a)) => (
            p,
            if a.is_empty() {
                None
            } else {
                Some(a.to_string())
            },
        ),
        None => (s, None),
    }
}

/// Normalises `a/./b/../c` → `a/c`; `None` when it climbs above the root.
pub fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// What a link destination points at, and the URL to write instead (for `@/` and relative
/// links). `None` target: nothing to check (external, empty).
fn classify(trimmed: &str, ctx: &Context<'_>) -> (Option<LinkTarget>, Option<String>) {
    let lower = trimmed.to_ascii_lowercase();
    let mut new_dest: Option<String> = None;
    let mut record: Option<LinkTarget> = None;
    if crate::sanitize::is_unsafe_url(&lower) {
        record = Some(LinkTarget::Unsafe(trimmed.to_string()));
    } else if let Some(rest) = trimmed.strip_prefix("@/") {
        let (p, anchor) = split_anchor(rest);
        let url = (ctx.resolve)(p);
        new_dest = Some(match (&url, &anchor) {
            (Some(u), Some(a)) => format!("{u}#{a}"),
            (Some(u), None) => u.clone(),
            (None, _) => trimmed.to_string(),
        });
        record = Some(LinkTarget::Content {
            path: p.to_string(),
            anchor,
        });
    } else if is_external(trimmed) {
        // external: nothing to check offline
    } else if let Some(a) = trimmed.strip_prefix('#') {
        if !a.is_empty() {
            record = Some(LinkTarget::Anchor(a.to_string()));
        }
    } else if !trimmed.is_empty() {
        let (p, anchor) = split_anchor(trimmed);
        let p = p.split('?').next().unwrap_or("");
        if p.ends_with(".md") {
            // a relative link to another content file
            let joined = if let Some(abs) = p.strip_prefix('/') {
                normalize_path(abs)
            } else {
                normalize_path(&format!("{}/{}", ctx.source_dir, p))
            };
            match joined {
                Some(cp) => {
                    if let Some(u) = (ctx.resolve)(&cp) {
                        new_dest = Some(match &anchor {
                            Some(a) => format!("{u}#{a}"),
                            None => u,
                        });
                    }
                    record = Some(LinkTarget::Content { path: cp, anchor });
                }
                None => {
                    record = Some(LinkTarget::SitePath {
                        path: format!("../{p}"),
                        anchor,
                    })
                }
            }
        } else if let Some(abs) = p.strip_prefix('/') {
            // root-relative: relative to the site, so it keeps working under a sub-path
            new_dest = Some(format!(
                "{}{}",
                ctx.base_path,
                trimmed.trim_start_matches('/')
            ));
            match normalize_path(abs) {
                Some(sp) => {
                    record = Some(LinkTarget::SitePath {
                        path: keep_slash(&sp, abs),
                        anchor,
                    })
                }
                None => {
                    record = Some(LinkTarget::SitePath {
                        path: format!("../{abs}"),
                        anchor,
                    })
                }
            }
        } else {
            // Relative to the page: made root-relative, so the same HTML works in listings,
            // summaries and feeds, where the page's own directory is not the base.
            match normalize_path(&format!("{}{}", ctx.site_path, p)) {
                Some(sp) => {
                    let sp = keep_slash(&sp, p);
                    new_dest = Some(match &anchor {
                        Some(a) => format!("{}{sp}#{a}", ctx.base_path),
                        None => format!("{}{sp}", ctx.base_path),
                    });
                    record = Some(LinkTarget::SitePath { path: sp, anchor })
                }
                None => {
                    record = Some(LinkTarget::SitePath {
                        path: format!("../{p}"),
                        anchor,
                    })
                }
            }
        }
    }
    (record, new_dest)
}

/// Rewrites and records links and images.
fn link_pass<'a>(
    event: Event<'a>,
    range: &std::ops::Range<usize>,
    cursor: &mut LineCursor<'_>,
    ctx: &Context<'_>,
    links: &mut Vec<LinkRef>,
) -> Event<'a> {
    let (tag, is_image) = match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => (
            Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            },
            false,
        ),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => (
            Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            },
            true,
        ),
        other => return other,
    };
    let dest: &str = match &tag {
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => dest_url,
        _ => unreachable!("only links and images reach here"),
    };
    let (line, column) = {
        let (l, c) = cursor.locate(range.start);
        (l + ctx.line_offset, c)
    };
    let raw = dest.to_string();
    let (target, new_dest) = classify(dest.trim(), ctx);
    if let Some(target) = target {
        links.push(LinkRef {
            target,
            raw,
            is_image,
            line,
            column,
        });
    }
    let tag = match (tag, new_dest) {
        (
            Tag::Link {
                link_type,
                title,
                id,
                ..
            },
            Some(d),
        ) => Tag::Link {
            link_type,
            dest_url: d.into(),
            title,
            id,
        },
        (
            Tag::Image {
                link_type,
                title,
                id,
                ..
            },
            Some(d),
        ) => Tag::Image {
            link_type,
            dest_url: d.into(),
            title,
            id,
        },
        (t, _) => t,
    };
    Event::Start(tag)
}

fn keep_slash(normalized: &str, original: &str) -> String {
    if original.ends_with('/') && !normalized.is_empty() {
        format!("{normalized}/")
    } else {
        normalized.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx_render(body: &str) -> Rendered {
        let resolve = |p: &str| (p == "tin-tuc/a.md").then(|| "/b/tin-tuc/a/".to_string());
        let ctx = Context {
            smart_punctuation: false,
            source_dir: "tin-tuc",
            site_path: "tin-tuc/x/",
            base_path: "/b/",
            resolve: &resolve,
            line_offset: 3,
            safe: false,
            embeds: &[],
        };
        render(body, &ctx)
    }

    #[test]
    fn heading_ids_are_vietnamese_slugs_and_unique() {
        let r = ctx_render("## Kết quả\n\n## Kết quả\n\n### Đánh giá {#rieng}\n");
        assert_eq!(r.heading_ids, vec!["ket-qua", "ket-qua-2", "rieng"]);
        assert!(
            r.html.contains("<h2 id=\"ket-qua\">Kết quả</h2>"),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "rieng");
    }

    #[test]
    fn internal_links_resolve_and_are_recorded() {
        let r = ctx_render("x\n\n[a](@/tin-tuc/a.md#ket-qua) [b](../thong-bao/) [c](/tin-tuc/) [d](a.md) [e](javascript:alert(1))\n");
        assert!(
            r.html.contains("href=\"/b/tin-tuc/a/#ket-qua\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/b/tin-tuc/\""), "{}", r.html);
        assert!(r.html.contains("href=\"/b/tin-tuc/a/\""), "{}", r.html);
        assert_eq!(
            r.links[0].target,
            LinkTarget::Content {
                path: "tin-tuc/a.md".into(),
                anchor: Some("ket-qua".into())
            }
        );
        assert_eq!(r.links[0].line, 6);
        assert_eq!(
            r.links[1].target,
            LinkTarget::SitePath {
                path: "tin-tuc/thong-bao/".into(),
                anchor: None
            }
        );
        assert_eq!(
            r.links[2].target,
            LinkTarget::SitePath {
                path: "tin-tuc/".into(),
                anchor: None
            }
        );
        assert!(matches!(r.links[4].target, LinkTarget::Unsafe(_)));
    }

    #[test]
    fn summary_and_first_paragraph() {
        let r = ctx_render("Đoạn *một* đầu.\n\n<!-- more -->\n\nĐoạn hai.\n");
        assert_eq!(r.first_paragraph, "Đoạn một đầu.");
        assert_eq!(
            r.summary_html.as_deref(),
            Some("<p>Đoạn <em>một</em> đầu.</p>\n")
        );
        assert_eq!(r.word_count, 5);
    }

    #[test]
    fn tables_wrapped_tasks_labelled() {
        let r = ctx_render("|a|b|\n|-|-|\n|1|2|\n\n- [x] xong\n");
        assert!(
            r.html.contains("<div class=\"bang\" role=\"region\" aria-label=\"Bảng số liệu\" tabindex=\"0\">\n<table>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("aria-label=\"Đã hoàn thành\""));
    }
}
