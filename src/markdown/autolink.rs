//! GFM's extended autolinks: `www.…`, `http://…`, `https://…`, `ftp://…` and bare e-mail
//! addresses in text become links, as GitHub writes them. Staff paste "Website:
//! www.kontum.gov.vn, thư điện tử: vanphong@kontum.gov.vn" from Word; readers expect to tap them.
//!
//! The rules are the GFM spec's (0.29, "Autolinks (extension)", tested with its examples in
//! `tests/it/commonmark_spec.rs`): a `www.` or URL link starts at the beginning of a text, after
//! white space or after `*`, `_`, `~`, `(` (and, beyond GFM, after an opening quote: Vietnamese
//! text writes “www.…”); its domain is letters, digits, `-`, `_` in
//! segments separated by `.` (no `_` in the last two); it runs to white space or `<`; trailing
//! punctuation, an unbalanced `)` and an entity-like `&hl;` are left out of it.

use std::collections::VecDeque;
use std::iter::Peekable;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// A link found in a text: byte range, and the URL it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    /// `http://www.…` for `www.` links, the text itself for URLs, the address for e-mail.
    pub href: String,
    pub email: bool,
}

/// The extended autolinks of `text`, in order. Every text of every article passes here, so
/// one SIMD scan finds the only bytes a link can hinge on (`www.`, `://`, `@`); `w` is rare in
/// Vietnamese.
pub fn find(text: &str) -> Vec<Found> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut floor = 0;
    for i in memchr::memchr3_iter(b'@', b':', b'w', b) {
        if i < floor {
            continue;
        }
        let found = match b[i] {
            b'w' if b[i..].starts_with(b"www.") && at_boundary(text, i) => url_at(text, i),
            b':' if b[i..].starts_with(b"://") => ["http", "https", "ftp"]
                .into_iter()
                .filter(|s| b[..i].ends_with(s.as_bytes()))
                .map(|s| i - s.len())
                .find(|&start| start >= floor && at_boundary(text, start))
                .and_then(|start| url_at(text, start)),
            b'@' => email_at(text, i, floor),
            _ => None,
        };
        if let Some(f) = found {
            floor = f.end;
            out.push(f);
        }
    }
    out
}

/// Whether `text` has a byte an autolink needs (see [`find`]).
fn may_link(text: &str) -> bool {
    memchr::memchr3(b'@', b':', b'w', text.as_bytes()).is_some()
}

fn at_boundary(text: &str, i: usize) -> bool {
    text[..i].chars().next_back().is_none_or(|p| {
        p.is_whitespace() || matches!(p, '*' | '_' | '~' | '(' | '"' | '\'' | '“' | '‘')
    })
}

/// A `www.` or `scheme://` link starting at `i`.
fn url_at(text: &str, i: usize) -> Option<Found> {
    let rest = &text[i..];
    let (skip, www) = if rest.starts_with("www.") {
        (0, true)
    } else {
        let scheme = ["http://", "https://", "ftp://"]
            .into_iter()
            .find(|s| rest.starts_with(s))?;
        (scheme.len(), false)
    };
    let domain = domain_len(&rest[skip..], !www)?;
    let mut end = i + skip + domain;
    end += text[end..]
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(text.len() - end);
    let end = trim_end(text, i, end);
    if end <= i + skip {
        return None;
    }
    let link = &text[i..end];
    Some(Found {
        start: i,
        end,
        href: if www {
            format!("http://{link}")
        } else {
            link.to_string()
        },
        email: false,
    })
}

/// Length of the domain at the start of `s`, if it is one: letters and digits (any script),
/// `-` and `_`, in segments separated by `.`, with no `_` in the last two segments and, unless
/// `allow_short`, at least one `.`.
fn domain_len(s: &str, allow_short: bool) -> Option<usize> {
    let (mut dots, mut us_before, mut us_last) = (0, 0, 0);
    let mut len = s.len();
    for (k, c) in s.char_indices() {
        match c {
            '_' => us_last += 1,
            '.' => {
                (us_before, us_last) = (us_last, 0);
                dots += 1;
            }
            '-' => {}
            c if c.is_alphanumeric() => {}
            _ => {
                len = k;
                break;
            }
        }
    }
    let ok = len > 0 && us_before == 0 && us_last == 0 && (allow_short || dots > 0);
    ok.then_some(len)
}

/// An e-mail address around the `@` at `at`, not reaching back before `floor`.
fn email_at(text: &str, at: usize, floor: usize) -> Option<Found> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'+' | b'-' | b'_');
    let mut start = at;
    while start > floor && local(b[start - 1]) {
        start -= 1;
    }
    let (mut end, mut dots) = (at + 1, 0);
    while end < b.len() {
        match b[end] {
            c if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' => {}
            b'.' if b.get(end + 1).is_some_and(u8::is_ascii_alphanumeric) => dots += 1,
            _ => break,
        }
        end += 1;
    }
    let last = b[end - 1];
    if start == at || end - at < 2 || dots == 0 || !(last.is_ascii_alphabetic() || last == b'.') {
        return None;
    }
    let end = trim_end(text, start, end);
    Some(Found {
        start,
        end,
        href: text[start..end].to_string(),
        email: true,
    })
}

/// Where a link from `start` that could run to `end` really ends: without trailing
/// punctuation (closing quotes too, for Vietnamese text), an unbalanced `)` or an entity-like
/// `&hl;`.
fn trim_end(text: &str, start: usize, mut end: usize) -> usize {
    while let Some(last) = text[start..end].chars().next_back() {
        match last {
            '?' | '!' | '.' | ',' | ':' | '*' | '_' | '~' | '\'' | '"' | '”' | '’' => {
                end -= last.len_utf8()
            }
            ';' => {
                let body = &text[start..end - 1];
                let letters = body
                    .bytes()
                    .rev()
                    .take_while(u8::is_ascii_alphabetic)
                    .count();
                let amp = body.len().checked_sub(letters + 1);
                match amp {
                    Some(a) if letters > 0 && body.as_bytes()[a] == b'&' => end = start + a,
                    _ => end -= 1,
                }
            }
            ')' => {
                let link = &text[start..end];
                if link.matches(')').count() <= link.matches('(').count() {
                    break;
                }
                end -= 1;
            }
            _ => break,
        }
    }
    end
}

/// The events of a body with the text outside links, images and code split around its
/// extended autolinks (adjacent text events merged first: pulldown-cmark cuts text at `&`,
/// `[` and the like, and a link may span the cut).
pub struct Autolinks<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> {
    inner: Peekable<I>,
    queue: VecDeque<(Event<'a>, Range<usize>)>,
    /// Links, images and code blocks open; raw `<a>` open.
    closed: usize,
    raw_link: bool,
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Autolinks<'a, I> {
    pub fn new(inner: I) -> Self {
        Autolinks {
            inner: inner.peekable(),
            queue: VecDeque::new(),
            closed: 0,
            raw_link: false,
        }
    }

    fn track(&mut self, event: &Event<'a>) {
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => {
                self.closed += 1
            }
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                self.closed = self.closed.saturating_sub(1)
            }
            Event::InlineHtml(h) | Event::Html(h) => {
                let h = h.trim_start().as_bytes();
                let tag = |p: &[u8]| {
                    h.len() > p.len()
                        && h[..p.len()].eq_ignore_ascii_case(p)
                        && matches!(h[p.len()], b' ' | b'>' | b'\t' | b'\n' | b'/')
                };
                if tag(b"<a") {
                    self.raw_link = true;
                } else if tag(b"</a") {
                    self.raw_link = false;
                }
            }
            _ => {}
        }
    }

    /// `text` (from `range`) as text and link events (`found` in it).
    fn expand(&mut self, text: CowStr<'a>, range: Range<usize>, found: Vec<Found>) {
        let piece = |s: &str| Event::Text(CowStr::from(s.to_string()));
        let mut last = 0;
        for f in found {
            if f.start > last {
                self.queue
                    .push_back((piece(&text[last..f.start]), range.clone()));
            }
            let link_type = if f.email {
                LinkType::Email
            } else {
                LinkType::Autolink
            };
            let start = Tag::Link {
                link_type,
                dest_url: f.href.into(),
                title: "".into(),
                id: "".into(),
            };
            self.queue.push_back((Event::Start(start), range.clone()));
            self.queue
                .push_back((piece(&text[f.start..f.end]), range.clone()));
            self.queue
                .push_back((Event::End(TagEnd::Link), range.clone()));
            last = f.end;
        }
        if last < text.len() {
            self.queue.push_back((piece(&text[last..]), range));
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Autolinks<'a, I> {
    type Item = (Event<'a>, Range<usize>);

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.queue.pop_front() {
            return Some(e);
        }
        let (event, range) = self.inner.next()?;
        let Event::Text(mut text) = event else {
            self.track(&event);
            return Some((event, range));
        };
        if self.closed > 0 || self.raw_link {
            return Some((Event::Text(text), range));
        }
        let mut range = range;
        while let Some((Event::Text(_), _)) = self.inner.peek() {
            let Some((Event::Text(more), r)) = self.inner.next() else {
                break;
            };
            text = CowStr::from(format!("{text}{more}"));
            range.end = r.end;
        }
        let found = if may_link(&text) {
            find(&text)
        } else {
            Vec::new()
        };
        if found.is_empty() {
            return Some((Event::Text(text), range));
        }
        self.expand(text, range, found);
        self.queue.pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find(text)
            .into_iter()
            .map(|f| (&text[f.start..f.end], f.href))
            .collect()
    }

    #[test]
    fn table_of_texts() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "Trang www.kontum.gov.vn.",
                &[("www.kontum.gov.vn", "http://www.kontum.gov.vn")],
            ),
            (
                "(https://a.vn/x?q=(1))",
                &[("https://a.vn/x?q=(1)", "https://a.vn/x?q=(1)")],
            ),
            (
                "Thư: vanphong@kontum.gov.vn;",
                &[("vanphong@kontum.gov.vn", "vanphong@kontum.gov.vn")],
            ),
            ("“www.a.vn”", &[("www.a.vn", "http://www.a.vn")]),
            ("'http://a.vn'", &[("http://a.vn", "http://a.vn")]),
            ("ưwww.a.vn", &[]),
            ("xem www.a.vn” và", &[("www.a.vn", "http://www.a.vn")]),
            ("x@y", &[]),
            ("a@b.c_", &[]),
            ("www.a_b.c", &[]),
            ("awww.a.vn", &[]),
            (
                "http://localhost:1111/",
                &[("http://localhost:1111/", "http://localhost:1111/")],
            ),
            (
                "www.a.vn/?x=1&amp;",
                &[("www.a.vn/?x=1", "http://www.a.vn/?x=1")],
            ),
            ("1.250 triệu đồng, 36,38 %", &[]),
            ("Đăk Tô@", &[]),
            ("mail à@b.vn", &[]),
        ];
        for (text, want) in cases {
            let got = links(text);
            let want: Vec<(&str, String)> = want.iter().map(|(a, b)| (*a, b.to_string())).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    #[test]
    fn never_panics_on_odd_text() {
        for t in [
            "@",
            "@.",
            ".@a.b",
            "www.",
            "http://",
            "ftp://.",
            "(((www.a.b)))",
            "&;",
            "ư@ư.ư",
            "www.ả.vn/ư;",
        ] {
            let _ = find(t);
        }
    }
}
