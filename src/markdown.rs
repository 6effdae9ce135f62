//! Markdown → HTML with pulldown-cmark, plus the passes bantin needs on the event stream:
//! Vietnamese-aware unique heading ids, `@/` internal links, link/image collection for checks,
//! the `<!-- more -->` summary, tables wrapped for small screens, labelled task-list boxes.

use std::collections::HashSet;
use std::fmt;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use serde::Serialize;

mod autolink;

use crate::diag::LineCursor;
use crate::locale::slugify;
use crate::sanitize::is_external;

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
    /// The body's HTML, compressed while the build holds it (see [`Html`]).
    pub html: Html,
    /// HTML before `<!-- more -->`, if the marker is present.
    pub summary_html: Option<String>,
    /// Plain text of the first paragraph (teaser fallback).
    pub first_paragraph: String,
    pub toc: Vec<Heading>,
    /// Every id the body writes, in order: heading ids, footnote definitions (pulldown-cmark
    /// writes `id="label"`), `id` attributes of raw HTML. The targets of `#anchor` links.
    pub ids: Vec<String>,
    pub word_count: usize,
    pub links: Vec<LinkRef>,
    /// Problems that are not links (nesting too deep).
    pub problems: Vec<Problem>,
}

/// An article's rendered HTML, exactly sized: every article's body is held from its Markdown
/// stage to the end of the build. (It was held LZ4-compressed, at half the memory, until the
/// other per-article values shrank enough to hold it plain: packing and unpacking cost about
/// a tenth of a build's CPU time.)
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Html(Box<str>);

impl Html {
    pub fn new(html: String) -> Html {
        Html(html.into_boxed_str())
    }

    pub fn text(&self) -> &str {
        &self.0
    }
}

impl From<String> for Html {
    fn from(html: String) -> Html {
        Html::new(html)
    }
}

/// The text, as a `String` would print: `Debug` of a `Rendered` feeds fingerprints.
impl fmt::Debug for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.text(), f)
    }
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
    /// Ids the templates write around the body (`<main id="noi-dung">`, the title's id): the
    /// body's ids must not repeat them (see `site::template_ids`).
    pub reserved_ids: &'a HashSet<String>,
    /// The site's processed photos: an image of one becomes a `<picture>` with its variants
    /// and size (see [`crate::anh`]).
    pub photos: &'a crate::anh::Photos,
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

/// A heading being collected until its end, when its text gives its id.
struct OpenHeading<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    /// Custom attributes (`{lang=en}`), written as they are.
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    inner: Vec<Event<'a>>,
    /// Byte offset of the heading in the body, for messages.
    start: usize,
}

const MORE: &str = "<!-- more -->";

/// Renders `body` to HTML.
pub fn render(body: &str, ctx: &Context<'_>) -> Rendered {
    let mut pass = Pass::new(body, ctx);
    let parser = Parser::new_ext(body, options(ctx.smart_punctuation)).into_offset_iter();
    for (event, range) in autolink::Autolinks::new(parser) {
        pass.event(event, range);
    }
    pass.finish()
}

/// One body's walk over pulldown-cmark's events: what is collected on the way, and the events
/// that go to the HTML writer.
struct Pass<'b, 'c> {
    ctx: &'c Context<'c>,
    out: Rendered,
    /// Sized for the events of a typical body (about one per 12 bytes of Markdown), so the
    /// list is not copied over and over as it grows.
    events: Vec<Event<'b>>,
    ids: IdBook<'c>,
    /// Index in `events` of `<!-- more -->`.
    more_at: Option<usize>,
    heading: Option<OpenHeading<'b>>,
    flat_toc: Vec<(u8, String, String)>,
    /// 0 = not yet, 1 = inside, 2 = done.
    in_first_para: u8,
    first_para: String,
    cursor: LineCursor<'b>,
    depth: usize,
    /// With `safe`: URL schemes of the author's links the cleaner must keep.
    schemes: Vec<String>,
    body_len: usize,
    /// Images open: inside one, links and images are only its text description (alt), never
    /// written as links, so there is nothing to check.
    images: usize,
    /// The outermost image open: where it starts, its alt text so far, its photo.
    image: Option<OpenImage<'c>>,
    /// Pictures written so far: the first is not lazy (it is usually on the first screen).
    pictures: usize,
}

struct OpenImage<'c> {
    start: usize,
    alt: String,
    photo: Option<&'c crate::anh::Photo>,
    title: String,
    /// The URL as the writer would have written it.
    src: Option<String>,
}

impl<'b, 'c> Pass<'b, 'c> {
    fn new(body: &'b str, ctx: &'c Context<'c>) -> Self {
        Pass {
            ctx,
            out: Rendered::default(),
            events: Vec::with_capacity(body.len() / 12 + 16),
            ids: IdBook::new(ctx.reserved_ids),
            more_at: None,
            heading: None,
            flat_toc: Vec::new(),
            in_first_para: 0,
            first_para: String::new(),
            cursor: LineCursor::new(body),
            depth: 0,
            schemes: Vec::new(),
            body_len: body.len(),
            images: 0,
            image: None,
            pictures: 0,
        }
    }

    fn in_photo(&self) -> bool {
        self.images > 0 && self.image.as_ref().is_some_and(|o| o.photo.is_some())
    }

    /// An event to the heading being collected, or to the body.
    fn push(&mut self, event: Event<'b>) {
        match self.heading.as_mut() {
            Some(open) => open.inner.push(event),
            None => self.events.push(event),
        }
    }

    /// Images: every one needs its alt text; one of a processed photo is written as a
    /// `<picture>` (its events are replaced). True when the event was consumed.
    fn image_event(&mut self, event: &Event<'b>, range: &Range<usize>) -> bool {
        match event {
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) if self.images == 0 => {
                let (target, src) = classify(dest_url.trim(), self.ctx);
                let photo = match target {
                    Some(LinkTarget::SitePath { path, .. }) => self.ctx.photos.get(&path),
                    _ => None,
                };
                self.image = Some(OpenImage {
                    start: range.start,
                    alt: String::new(),
                    photo,
                    title: title.to_string(),
                    src: Some(src.unwrap_or_else(|| dest_url.to_string())),
                });
                if photo.is_some() {
                    // recorded for the link checks, not written
                    let ctx = self.ctx;
                    link_pass(
                        event.clone(),
                        range,
                        &mut self.cursor,
                        ctx,
                        &mut self.out.links,
                    );
                    self.images += 1;
                    return true;
                }
                false
            }
            Event::End(TagEnd::Image) if self.images == 1 => {
                let Some(open) = self.image.take() else {
                    return false;
                };
                if open.alt.trim().is_empty() {
                    self.problem(open.start, (
                        "ảnh thiếu mô tả (alt): người khiếm thị và máy tìm kiếm không biết ảnh có gì".into(),
                        "viết mô tả trong ngoặc vuông: ![Lãnh đạo tỉnh thăm công trình](anh.jpg); ảnh chỉ để trang trí thì dùng {{ anh(src=\"anh.jpg\", trang_tri=true) }}".into(),
                    ));
                }
                let Some(photo) = open.photo else {
                    return false;
                };
                self.images -= 1;
                let base = self.ctx.base_path;
                let url = |out: &str| crate::anh::url(base, out);
                let written = crate::anh::Written {
                    title: Some(&open.title),
                    src: open.src.as_deref(),
                };
                let html = self.ctx.photos.picture_html(
                    photo,
                    &open.alt,
                    self.pictures == 0,
                    &url,
                    &written,
                );
                self.pictures += 1;
                self.push(Event::InlineHtml(html.into()));
                true
            }
            // the alt text as pulldown-cmark's writer makes it
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t)
                if self.images > 0 =>
            {
                let photo = self.image.as_mut().map(|open| {
                    open.alt.push_str(t);
                    open.photo.is_some()
                });
                photo == Some(true)
            }
            Event::SoftBreak | Event::HardBreak if self.images > 0 => {
                let photo = self.image.as_mut().map(|open| {
                    open.alt.push(' ');
                    open.photo.is_some()
                });
                photo == Some(true)
            }
            // a figure of the `anh` shortcode: the pictures after it are lazy
            Event::Html(h) | Event::InlineHtml(h) if h.contains("<picture") => {
                self.pictures += 1;
                false
            }
            Event::Start(Tag::Image { .. }) if self.in_photo() => {
                self.images += 1;
                true
            }
            Event::End(TagEnd::Image) if self.images > 1 && self.in_photo() => {
                self.images -= 1;
                true
            }
            // the rest of a photo's description (emphasis, links) is only its alt text
            _ => self.images > 0 && self.image.as_ref().is_some_and(|o| o.photo.is_some()),
        }
    }

    fn problem(&mut self, offset: usize, (message, hint): (String, String)) {
        let (l, c) = self.cursor.locate(offset);
        self.out.problems.push(Problem {
            line: l + self.ctx.line_offset,
            column: c,
            message,
            hint,
        });
    }

    fn event(&mut self, event: Event<'b>, range: Range<usize>) {
        if self.observe(&event, &range) {
            return;
        }
        if self.image_event(&event, &range) {
            return;
        }
        let in_alt = self.images > 0;
        match &event {
            Event::Start(Tag::Image { .. }) => self.images += 1,
            Event::End(TagEnd::Image) => self.images = self.images.saturating_sub(1),
            _ => {}
        }
        if in_alt && matches!(event, Event::Start(Tag::Link { .. } | Tag::Image { .. })) {
            match self.heading.as_mut() {
                Some(open) => open.inner.push(event),
                None => self.events.push(event),
            }
            return;
        }
        if let Some(open) = self.heading.as_mut() {
            // Collect heading contents, then emit the heading with its id.
            match event {
                Event::End(TagEnd::Heading(_)) => self.close_heading(),
                other => {
                    if let Event::Text(t) = &other {
                        self.out.word_count += count_words(t);
                    }
                    let ctx = self.ctx;
                    let other =
                        link_pass(other, &range, &mut self.cursor, ctx, &mut self.out.links);
                    open.inner.push(other);
                }
            }
            return;
        }
        self.body_event(event, range);
    }

    /// What every event is looked at for, in or out of headings: nesting depth, ids, link
    /// schemes, raw HTML. True when the event was consumed (a chart's placeholder).
    fn observe(&mut self, event: &Event<'b>, range: &Range<usize>) -> bool {
        match event {
            Event::Start(tag) => {
                self.depth += 1;
                if self.depth == MAX_NESTING + 1 {
                    self.problem(range.start, (
                        format!("nội dung lồng nhau quá sâu (hơn {MAX_NESTING} cấp danh sách, trích dẫn, …)"),
                        "bớt các cấp lồng nhau: danh sách trong danh sách, dấu > trong dấu >; thường không cần quá 3–4 cấp".into(),
                    ));
                }
                match tag {
                    Tag::FootnoteDefinition(label) => {
                        if let Some(clash) = self.ids.claim(label, IdSource::Footnote) {
                            self.problem(range.start, clash);
                        }
                    }
                    Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } if self.ctx.safe => {
                        note_scheme(dest_url, &mut self.schemes)
                    }
                    _ => {}
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::Html(h) | Event::InlineHtml(h) => {
                if self.ctx.safe {
                    if let Some(n) = crate::sanitize::embed_index(h) {
                        let mark = Event::Text(crate::sanitize::embed_mark(n).into());
                        match self.heading.as_mut() {
                            Some(open) => open.inner.push(mark),
                            None => self.events.push(mark),
                        }
                        return true;
                    }
                }
                for (offset, id) in crate::sanitize::raw_ids(h) {
                    if let Some(clash) = self.ids.claim(&id, IdSource::Html) {
                        self.problem(range.start + offset, clash);
                    }
                }
                raw_html_links(h, range, &mut self.cursor, self.ctx, &mut self.out.links);
            }
            _ => {}
        }
        false
    }

    /// The heading goes through the one HTML writer with its contents (so a footnote reference
    /// inside it is numbered with the rest of the page), with its id.
    fn close_heading(&mut self) {
        let Some(open) = self.heading.take() else {
            return;
        };
        let text = plain_text(&open.inner);
        let id = match &open.id {
            Some(explicit) => {
                let (id, clash) = self.ids.explicit_heading(explicit);
                if let Some(clash) = clash {
                    self.problem(open.start, clash);
                }
                id
            }
            None => self.ids.heading(&slugify(&text)),
        };
        let level = open.level;
        self.events.push(Event::Start(Tag::Heading {
            level,
            id: Some(id.clone().into()),
            classes: open.classes,
            attrs: open.attrs,
        }));
        self.events.extend(open.inner);
        self.events.push(Event::End(TagEnd::Heading(level)));
        self.flat_toc.push((level as u8, id, text));
    }

    /// An event outside headings: bantin's additions (table wrappers, labelled task boxes, the
    /// summary marker), the first paragraph, word counts, links.
    fn body_event(&mut self, event: Event<'b>, range: Range<usize>) {
        let events = &mut self.events;
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                self.heading = Some(OpenHeading {
                    level,
                    id,
                    classes,
                    attrs,
                    inner: Vec::new(),
                    start: range.start,
                });
            }
            Event::Html(ref h) | Event::InlineHtml(ref h)
                if h.trim() == MORE && self.more_at.is_none() =>
            {
                self.more_at = Some(events.len());
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
                if self.in_first_para == 0 {
                    self.in_first_para = 1;
                }
                events.push(event);
            }
            Event::End(TagEnd::Paragraph) => {
                if self.in_first_para == 1 {
                    self.in_first_para = 2;
                }
                events.push(event);
            }
            other => {
                match &other {
                    Event::Text(t) | Event::Code(t) => {
                        self.out.word_count += count_words(t);
                        if self.in_first_para == 1 {
                            self.first_para.push_str(t);
                        }
                    }
                    Event::SoftBreak | Event::HardBreak if self.in_first_para == 1 => {
                        self.first_para.push(' ')
                    }
                    _ => {}
                }
                let other = link_pass(
                    other,
                    &range,
                    &mut self.cursor,
                    self.ctx,
                    &mut self.out.links,
                );
                events.push(other);
            }
        }
    }

    fn finish(mut self) -> Rendered {
        let (ctx, schemes) = (self.ctx, &self.schemes);
        if let Some(i) = self.more_at {
            let mut s = String::new();
            pulldown_cmark::html::push_html(&mut s, self.events[..i].iter().cloned());
            let mut s = finish_html(s, ctx, schemes);
            s.shrink_to_fit();
            self.out.summary_html = Some(s);
        }
        let mut html = String::with_capacity(self.body_len + self.body_len / 4 + 64);
        pulldown_cmark::html::push_html(&mut html, self.events.into_iter());
        // Kept until the last page is rendered: exactly sized (the writer's doubling can leave
        // up to half of the buffer unused).
        self.out.html = Html::new(finish_html(html, ctx, schemes));
        self.out.first_paragraph = split_ws(&self.first_para).collect::<Vec<_>>().join(" ");
        self.out.toc = nest_toc(&self.flat_toc);
        // held for the checks until the build ends: no room left from growing
        self.out.ids = self.ids.ids;
        self.out.ids.shrink_to_fit();
        self.out.links.shrink_to_fit();
        self.out
    }
}

/// Where an id other than a heading's comes from, for messages.
#[derive(Clone, Copy)]
enum IdSource {
    Footnote,
    Html,
}

/// The ids of one page's body: each written once, none the templates write (`reserved`).
struct IdBook<'a> {
    used: HashSet<String>,
    reserved: &'a HashSet<String>,
    /// In the order the body writes them.
    ids: Vec<String>,
}

impl<'a> IdBook<'a> {
    fn new(reserved: &'a HashSet<String>) -> Self {
        IdBook {
            used: HashSet::new(),
            reserved,
            ids: Vec::new(),
        }
    }

    fn taken(&self, id: &str) -> bool {
        self.used.contains(id) || self.reserved.contains(id)
    }

    fn record(&mut self, id: String) -> String {
        self.used.insert(id.clone());
        self.ids.push(id.clone());
        id
    }

    /// A heading's id from its slug: `-2`, `-3` … when the page already has it.
    fn heading(&mut self, slug: &str) -> String {
        let base = if slug.is_empty() { "muc" } else { slug };
        if !self.taken(base) {
            return self.record(base.to_string());
        }
        let id = (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|c| !self.taken(c))
            .expect("an unused suffix exists");
        self.record(id)
    }

    /// An explicit `{#id}`: one the templates write is a problem (links to it would land on
    /// the template's element); a repeat in the body takes a suffix like a slug.
    fn explicit_heading(&mut self, id: &str) -> (String, Option<(String, String)>) {
        if self.reserved.contains(id) {
            let clash = (
                format!("mã tiêu đề {{#{id}}} trùng với mã giao diện đã dùng trên trang (id=\"{id}\")"),
                format!("đặt mã khác, ví dụ {{#muc-{id}}}; liên kết #{id} sẽ nhảy tới phần của giao diện, không tới tiêu đề này"),
            );
            return (self.heading(&format!("muc-{id}")), Some(clash));
        }
        (self.heading(id), None)
    }

    /// A footnote's or raw HTML's id, written as it is: a repeat is a problem to report.
    fn claim(&mut self, id: &str, source: IdSource) -> Option<(String, String)> {
        let clash = self.taken(id);
        let (what, fix) = match source {
            IdSource::Footnote => (
                format!("chú thích [^{id}]"),
                format!("đổi tên chú thích, ví dụ [^gc-{id}] (cả chỗ gọi lẫn chỗ ghi chú)"),
            ),
            IdSource::Html => (
                format!("mã id=\"{id}\" trong HTML"),
                "đặt một mã khác chưa dùng trên trang".to_string(),
            ),
        };
        if !clash {
            self.record(id.to_string());
            return None;
        }
        let with = if self.reserved.contains(id) {
            "mã giao diện đã dùng trên trang"
        } else {
            "một mã khác trong bài (tiêu đề, chú thích hoặc HTML)"
        };
        Some((
            format!("{what} trùng với {with}: mỗi mã chỉ được dùng một lần trên một trang"),
            format!("{fix}; liên kết #{id} chỉ tới được một chỗ"),
        ))
    }
}

/// With `safe`, the scheme of a Markdown link (`irc:`, `made-up-scheme:`) the cleaner would
/// not know: the author wrote it, so the cleaner keeps it (unsafe schemes are errors anyway).
fn note_scheme(dest: &str, schemes: &mut Vec<String>) {
    let dest = dest.trim();
    if !is_external(dest) || dest.starts_with("//") {
        return;
    }
    let scheme = dest[..dest.find(':').unwrap_or(0)].to_ascii_lowercase();
    if !scheme.is_empty()
        && !crate::sanitize::is_unsafe_url(dest)
        && !crate::sanitize::knows_scheme(&scheme)
        && !schemes.contains(&scheme)
    {
        schemes.push(scheme);
    }
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
    // character. Hand SSE2, measured (callgrind, 1 000-article build, 2026-12-05): a safe
    // vectorisable fold costs 29 M more instructions (1.4 % of the build), below the 5 % a
    // whole build must gain for `unsafe` to stay (issue 13); kept until that is decided.
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

/// With `safe`, cleans the HTML (keeping the extra link `schemes` the author wrote) and puts
/// the charts back.
fn finish_html(html: String, ctx: &Context<'_>, schemes: &[String]) -> String {
    if ctx.safe {
        let clean = crate::sanitize::clean_with_schemes(&html, schemes);
        crate::sanitize::restore_embeds(&clean, ctx.embeds)
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

pub use crate::paths::normalize_path;

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
    (record.map(decode_target), new_dest)
}

/// The target as the server will look for it: `%20` is a space, `%C3%A4` an `ä` (the URL
/// written in the page stays as the author wrote it).
fn decode_target(t: LinkTarget) -> LinkTarget {
    let dec = |s: String| {
        if !s.contains('%') {
            return s;
        }
        match percent_encoding::percent_decode_str(&s).decode_utf8() {
            Ok(d) => d.into_owned(),
            Err(_) => s,
        }
    };
    match t {
        LinkTarget::Content { path, anchor } => LinkTarget::Content {
            path: dec(path),
            anchor: anchor.map(dec),
        },
        LinkTarget::SitePath { path, anchor } => LinkTarget::SitePath {
            path: dec(path),
            anchor: anchor.map(dec),
        },
        LinkTarget::Anchor(a) => LinkTarget::Anchor(dec(a)),
        unsafe_url @ LinkTarget::Unsafe(_) => unsafe_url,
    }
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
        // `<lienhe@tinh.gov.vn>`: the writer adds `mailto:` itself; not a path to check.
        Tag::Link {
            link_type: LinkType::Email,
            ..
        } => return Event::Start(tag),
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
        let reserved: HashSet<String> = ["noi-dung", "tieu-de-bai"].map(String::from).into();
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
            reserved_ids: &reserved,
            photos: &crate::anh::Photos::default(),
        };
        render(body, &ctx)
    }

    /// The ids of the headings, in document order (from the table of contents).
    fn heading_ids(r: &Rendered) -> Vec<String> {
        fn walk(hs: &[Heading], out: &mut Vec<String>) {
            for h in hs {
                out.push(h.id.clone());
                walk(&h.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&r.toc, &mut out);
        out
    }

    #[test]
    fn heading_ids_are_vietnamese_slugs_and_unique() {
        let r = ctx_render("## Kết quả\n\n## Kết quả\n\n### Đánh giá {#rieng}\n");
        assert_eq!(heading_ids(&r), vec!["ket-qua", "ket-qua-2", "rieng"]);
        assert!(
            r.html.text().contains("<h2 id=\"ket-qua\">Kết quả</h2>"),
            "{}",
            r.html.text()
        );
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "rieng");
    }

    #[test]
    fn internal_links_resolve_and_are_recorded() {
        let r = ctx_render("x\n\n[a](@/tin-tuc/a.md#ket-qua) [b](../thong-bao/) [c](/tin-tuc/) [d](a.md) [e](javascript:alert(1))\n");
        assert!(
            r.html.text().contains("href=\"/b/tin-tuc/a/#ket-qua\""),
            "{}",
            r.html.text()
        );
        assert!(
            r.html.text().contains("href=\"/b/tin-tuc/\""),
            "{}",
            r.html.text()
        );
        assert!(
            r.html.text().contains("href=\"/b/tin-tuc/a/\""),
            "{}",
            r.html.text()
        );
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
            r.html.text().contains("<div class=\"bang\" role=\"region\" aria-label=\"Bảng số liệu\" tabindex=\"0\">\n<table>"),
            "{}",
            r.html.text()
        );
        assert!(r.html.text().contains("aria-label=\"Đã hoàn thành\""));
    }

    #[test]
    fn email_autolinks_and_mail_tel_links_pass_untouched() {
        let r = ctx_render(
            "Liên hệ <lienhe@tinh.gov.vn>, [gọi](tel:+842603862525), [thư](mailto:a@b.vn).\n",
        );
        assert!(
            r.html
                .text()
                .contains("<a href=\"mailto:lienhe@tinh.gov.vn\">lienhe@tinh.gov.vn</a>"),
            "{}",
            r.html.text()
        );
        assert!(
            r.html.text().contains("href=\"tel:+842603862525\""),
            "{}",
            r.html.text()
        );
        assert!(
            r.html.text().contains("href=\"mailto:a@b.vn\""),
            "{}",
            r.html.text()
        );
        assert!(r.links.is_empty(), "{:?}", r.links);
    }

    #[test]
    fn a_footnote_in_a_heading_is_numbered_with_the_page() {
        let r = ctx_render("Văn bản[^a].\n\n## Tiêu đề[^b]\n\n[^a]: Một.\n[^b]: Hai.\n");
        assert!(r.html.text().contains("<h2 id=\"tieu-de\">Tiêu đề<sup class=\"footnote-reference\"><a href=\"#b\">2</a></sup></h2>"), "{}", r.html.text());
        assert_eq!(r.ids, ["tieu-de", "a", "b"]);
    }

    #[test]
    fn heading_ids_avoid_the_templates_ids() {
        let r = ctx_render("## Nội dung\n\n## Tiêu đề bài\n\n## Nội dung\n");
        assert_eq!(
            heading_ids(&r),
            ["noi-dung-2", "tieu-de-bai-2", "noi-dung-3"]
        );
        assert!(r.problems.is_empty());
        let r = ctx_render("x\n\n## Mục lục {#noi-dung}\n");
        assert_eq!(heading_ids(&r), ["muc-noi-dung"]);
        assert_eq!(r.problems.len(), 1);
        assert_eq!((r.problems[0].line, r.problems[0].column), (6, 1));
        assert!(
            r.problems[0].message.contains("{#noi-dung}"),
            "{:?}",
            r.problems
        );
    }

    #[test]
    fn footnote_and_html_ids_are_recorded_and_must_be_unique() {
        let r = ctx_render("## Kết quả\n\n<span id=\"muc-b\">x</span> y[^gc]\n\n[^gc]: Ghi chú.\n");
        assert_eq!(r.ids, ["ket-qua", "muc-b", "gc"]);
        assert!(r.problems.is_empty(), "{:?}", r.problems);
        // a raw id taken first pushes a later heading to -2; one taken after is a problem
        let r = ctx_render("<a id=\"ket-qua\"></a>\n\n## Kết quả\n\nx[^ket-qua]\n\n[^ket-qua]: y\n\n<p id='noi-dung'>z</p>\n");
        assert_eq!(heading_ids(&r), ["ket-qua-2"]);
        let msgs: Vec<(usize, &str)> = r
            .problems
            .iter()
            .map(|p| (p.line, p.message.as_str()))
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert_eq!(msgs[0].0, 10);
        assert!(
            msgs[0]
                .1
                .starts_with("chú thích [^ket-qua] trùng với một mã khác trong bài"),
            "{msgs:?}"
        );
        assert_eq!(msgs[1].0, 12);
        assert!(
            msgs[1]
                .1
                .starts_with("mã id=\"noi-dung\" trong HTML trùng với mã giao diện"),
            "{msgs:?}"
        );
    }

    #[test]
    fn custom_heading_attributes_are_kept() {
        let r = ctx_render("## Summary {#tom-tat .en lang=en data-x=a&b}\n");
        assert!(
            r.html.text().contains(
                "<h2 id=\"tom-tat\" class=\"en\" lang=\"en\" data-x=\"a&amp;b\">Summary</h2>"
            ),
            "{}",
            r.html.text()
        );
    }

    #[test]
    fn safe_mode_keeps_autolinks_with_uncommon_schemes() {
        let reserved = HashSet::new();
        let resolve = |_: &str| None;
        let ctx = Context {
            smart_punctuation: false,
            source_dir: "",
            site_path: "a/",
            base_path: "/",
            resolve: &resolve,
            line_offset: 0,
            safe: true,
            embeds: &[],
            reserved_ids: &reserved,
            photos: &crate::anh::Photos::default(),
        };
        let r = render("<made-up-scheme://foo,bar> <irc://foo.bar:2233/baz> [x](https://a.vn) <a href=\"other-scheme:x\">raw</a>\n", &ctx);
        assert!(
            r.html
                .text()
                .contains("<a href=\"made-up-scheme://foo,bar\">"),
            "{}",
            r.html.text()
        );
        assert!(
            r.html
                .text()
                .contains("<a href=\"irc://foo.bar:2233/baz\">"),
            "{}",
            r.html.text()
        );
        assert!(
            r.html.text().contains("<a href=\"https://a.vn\">"),
            "{}",
            r.html.text()
        );
        // raw HTML with a scheme the author's Markdown does not use is still cleaned
        assert!(r.html.text().contains("<a>raw</a>"), "{}", r.html.text());
    }

    #[test]
    fn percent_encoded_targets_are_checked_decoded_and_written_as_is() {
        let r =
            ctx_render("x\n\n[a](foo%20b%C3%A4.pdf) [b](/tai-lieu/k%E1%BA%BF.pdf#m%E1%BB%A5c)\n");
        assert_eq!(
            r.links[0].target,
            LinkTarget::SitePath {
                path: "tin-tuc/x/foo bä.pdf".into(),
                anchor: None
            }
        );
        assert_eq!(
            r.links[1].target,
            LinkTarget::SitePath {
                path: "tai-lieu/kế.pdf".into(),
                anchor: Some("mục".into())
            }
        );
        assert!(
            r.html
                .text()
                .contains("href=\"/b/tin-tuc/x/foo%20b%C3%A4.pdf\""),
            "{}",
            r.html.text()
        );
    }

    #[test]
    fn links_inside_an_image_description_are_not_checked() {
        let r = ctx_render("![[[foo](uri1)](uri2)](uri3) và ![ảnh [x](y)](anh.png)\n");
        let raws: Vec<&str> = r.links.iter().map(|l| l.raw.as_str()).collect();
        assert_eq!(raws, ["uri3", "anh.png"]);
        // the alt text, as CommonMark spells it (spec example 520)
        assert_eq!(r.first_paragraph, "[foo](uri2) và ảnh x");
    }

    #[test]
    fn extended_autolinks_in_text_not_in_links_or_code() {
        let r = ctx_render("Website www.kontum.gov.vn, thư vanphong@kontum.gov.vn.\n\n`www.a.vn` [www.b.vn](/x/) <a href=\"/y/\">www.c.vn</a>\n\n    www.d.vn\n");
        assert!(
            r.html
                .text()
                .contains("<a href=\"http://www.kontum.gov.vn\">www.kontum.gov.vn</a>,"),
            "{}",
            r.html.text()
        );
        assert!(
            r.html
                .text()
                .contains("<a href=\"mailto:vanphong@kontum.gov.vn\">vanphong@kontum.gov.vn</a>."),
            "{}",
            r.html.text()
        );
        assert_eq!(r.html.text().matches("<a ").count(), 4, "{}", r.html.text());
        // words are counted per text piece, as around emphasis: the ',' and '.' after a link
        // count as words
        assert_eq!(r.word_count, 10);
    }
}
