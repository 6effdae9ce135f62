//! Zola's shortcode syntax, for what bantin does not run: calls of shortcodes it does not have
//! (`{{ youtube(id="…") }}`, `{% quote() %}…{% end %}`), which Zola sites are full of and
//! which must not reach the page as literal text unnoticed, and Zola's escapes
//! `{{/* name() */}}`, `{%/* name() */%}`, shown as `{{ name() }}`, `{% name() %}`.
//!
//! The grammar is Zola's (`components/markdown/src/content.pest`): `name(key=literal, …)`
//! with strings in `"`, `'` or backticks, booleans, numbers and arrays; whitespace, newlines
//! included, between tokens. Only what parses as such a call counts: `{{ page.title }}` or
//! `{{ now() | date }}` is ordinary text.

use std::collections::BTreeMap;

use super::NAMES;
use crate::diag::did_you_mean;

/// Longest call looked at, in bytes: an unclosed quote must not make every `{{` scan the rest
/// of a large file.
const MAX_CALL: usize = 4096;

/// Deepest array nesting followed (`[[[…]]]` is refused, not recursed into without end).
const MAX_DEPTH: usize = 8;

/// A call in Zola's syntax: the name, the string arguments (for hints), length in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZolaCall {
    pub name: String,
    pub args: BTreeMap<String, String>,
    pub len: usize,
}

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.pos), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        let ok = self.s[self.pos..].starts_with(lit.as_bytes());
        if ok {
            self.pos += lit.len();
        }
        ok
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        let first = *self.s.get(start)?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        while matches!(self.s.get(self.pos), Some(b) if b.is_ascii_alphanumeric() || *b == b'_') {
            self.pos += 1;
        }
        Some(String::from_utf8_lossy(&self.s[start..self.pos]).into_owned())
    }

    /// A literal; `Some(Some(text))` for a string.
    fn literal(&mut self, depth: usize) -> Option<Option<String>> {
        match *self.s.get(self.pos)? {
            q @ (b'"' | b'\'' | b'`') => {
                let len = self.s[self.pos + 1..].iter().position(|&b| b == q)?;
                let text = &self.s[self.pos + 1..self.pos + 1 + len];
                self.pos += len + 2;
                Some(Some(String::from_utf8_lossy(text).into_owned()))
            }
            b'[' if depth < MAX_DEPTH => {
                self.pos += 1;
                loop {
                    self.ws();
                    if self.eat("]") {
                        return Some(None);
                    }
                    self.literal(depth + 1)?;
                    self.ws();
                    if !self.eat(",") && self.s.get(self.pos) != Some(&b']') {
                        return None;
                    }
                }
            }
            _ if self.eat("true") || self.eat("false") => Some(None),
            _ => {
                let start = self.pos;
                self.eat("-");
                let digits = |c: &mut Self| {
                    let from = c.pos;
                    while matches!(c.s.get(c.pos), Some(b) if b.is_ascii_digit()) {
                        c.pos += 1;
                    }
                    c.pos > from
                };
                if !digits(self) || (self.eat(".") && !digits(self)) {
                    self.pos = start;
                    return None;
                }
                Some(None)
            }
        }
    }

    /// `name(key=literal, …)`.
    fn call(&mut self) -> Option<(String, BTreeMap<String, String>)> {
        let name = self.ident()?;
        self.ws();
        if !self.eat("(") {
            return None;
        }
        let mut args = BTreeMap::new();
        loop {
            self.ws();
            if self.eat(")") {
                return Some((name, args));
            }
            let key = self.ident()?;
            self.ws();
            if !self.eat("=") {
                return None;
            }
            self.ws();
            if let Some(text) = self.literal(0)? {
                args.insert(key, text);
            }
            self.ws();
            self.eat(",");
        }
    }
}

fn bounded(s: &str) -> &[u8] {
    &s.as_bytes()[..s.len().min(MAX_CALL)]
}

/// `open name(args) close` at the start of `s` (`{{` … `}}`, `{%` … `%}`).
pub fn call_at(s: &str, open: &str, close: &str) -> Option<ZolaCall> {
    let mut c = Cursor {
        s: bounded(s),
        pos: 0,
    };
    if !c.eat(open) {
        return None;
    }
    c.ws();
    let (name, args) = c.call()?;
    c.ws();
    c.eat(close).then_some(ZolaCall {
        name,
        args,
        len: c.pos,
    })
}

/// Length of Zola's escape at the start of `s`: `{{/* call */}}`, `{%/* call */%}` or
/// `{%/* end */%}`.
pub fn escape_at(s: &str) -> Option<usize> {
    let mut c = Cursor {
        s: bounded(s),
        pos: 0,
    };
    let close = if c.eat("{{/*") {
        "*/}}"
    } else if c.eat("{%/*") {
        "*/%}"
    } else {
        return None;
    };
    c.ws();
    let start = c.pos;
    if c.call().is_none() {
        // `{%/* end */%}` closes an escaped body shortcode
        c.pos = start;
        if !(close == "*/%}" && c.eat("end")) {
            return None;
        }
    }
    c.ws();
    c.eat(close).then_some(c.pos)
}

/// What Zola shows for an escape: the same text without `/*` and `*/`.
pub fn unescape(escaped: &str) -> String {
    let n = escaped.len();
    format!(
        "{}{}{}",
        &escaped[..2],
        &escaped[4..n - 4],
        &escaped[n - 2..]
    )
}

type Args = BTreeMap<String, String>;

fn arg<'a>(args: &'a Args, keys: &[&str], default: &'a str) -> &'a str {
    keys.iter()
        .find_map(|k| args.get(*k))
        .map_or(default, String::as_str)
}

fn image(a: &Args) -> String {
    let path = arg(a, &["path", "src", "url", "file"], "anh.jpg");
    let alt = arg(a, &["alt", "caption", "title"], "mô tả ảnh");
    format!("chèn ảnh bằng Markdown: ![{alt}]({path}); ảnh đặt cạnh bài (thư mục bai/index.md) hoặc trong static/")
}

fn gallery(_: &Args) -> String {
    "chèn từng ảnh bằng Markdown, mỗi ảnh một dòng: ![mô tả ảnh 1](anh-1.jpg), ![mô tả ảnh 2](anh-2.jpg) …".into()
}

fn youtube(a: &Args) -> String {
    let id = arg(a, &["id"], "MA-VIDEO");
    format!("nhúng video bằng HTML: <iframe src=\"https://www.youtube-nocookie.com/embed/{id}\" title=\"Tên video\" allowfullscreen></iframe>")
}

fn vimeo(a: &Args) -> String {
    let id = arg(a, &["id"], "MA-VIDEO");
    format!("nhúng video bằng HTML: <iframe src=\"https://player.vimeo.com/video/{id}\" title=\"Tên video\" allowfullscreen></iframe>")
}

fn gist(a: &Args) -> String {
    let url = arg(a, &["url"], "https://gist.github.com/…");
    format!("dán liên kết thường: [Xem mã nguồn]({url})")
}

fn quote(_: &Args) -> String {
    "viết trích dẫn bằng Markdown: mỗi dòng bắt đầu bằng \"> \"".into()
}

fn note(_: &Args) -> String {
    "viết một đoạn trích dẫn có nhãn bằng Markdown: > **Lưu ý:** …".into()
}

/// The hint for a shortcode, from its string arguments.
type HintFn = fn(&Args) -> String;

/// What to write instead of shortcodes Zola sites use, by name.
const REPLACEMENTS: &[(&[&str], HintFn)] = &[
    (
        &[
            "resize_image",
            "image",
            "img",
            "figure",
            "fig",
            "picture",
            "photo",
        ],
        image,
    ),
    (&["gallery", "grid_gallery", "images"], gallery),
    (&["youtube"], youtube),
    (&["vimeo"], vimeo),
    (&["gist"], gist),
    (&["quote", "blockquote"], quote),
    (
        &[
            "note",
            "tip",
            "warning",
            "info",
            "alert",
            "admonition",
            "callout",
            "aside",
        ],
        note,
    ),
];

/// Message and hint for a call of a shortcode bantin does not have; `body`: the `{% … %}`
/// form, which takes text up to `{% end %}`.
pub fn unknown(call: &ZolaCall, body: bool) -> (String, String) {
    let name = &call.name;
    let message = if body {
        format!("bantin không có lệnh có thân (shortcode) \"{name}\" ({{% {name}(…) %}} … {{% end %}}); bantin chỉ có so_lieu (con số từ dữ liệu), bieu_do (biểu đồ) và van_ban (trích dẫn văn bản), viết dạng {{{{ … }}}}")
    } else {
        format!("bantin không có lệnh (shortcode) \"{name}\"; bantin chỉ có so_lieu (con số từ dữ liệu), bieu_do (biểu đồ) và van_ban (trích dẫn văn bản)")
    };
    let replacement = REPLACEMENTS
        .iter()
        .find(|(names, _)| names.contains(&name.as_str()));
    let hint = match replacement {
        Some((_, hint)) => hint(&call.args),
        None if body && NAMES.contains(&name.as_str()) => {
            format!("viết {{{{ {name}(…) }}}}: lệnh này không có thân và không cần {{% end %}}")
        }
        None => {
            let mut h = match did_you_mean(name, NAMES) {
                Some(s) => format!("có phải ý bạn là {s}? "),
                None => String::new(),
            };
            h.push_str("xoá lệnh này hoặc thay bằng Markdown/HTML tương ứng; muốn hiện nguyên văn trên trang thì viết ");
            h.push_str(&if body {
                format!("{{%/* {name}(…) */%}} … {{%/* end */%}}")
            } else {
                format!("{{{{/* {name}(…) */}}}}")
            });
            h
        }
    };
    (message, hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_follow_zolas_grammar() {
        let yes = [
            ("{{ youtube(id=\"dQw4\") }} sau", "youtube", 24),
            ("{{gallery()}}", "gallery", 13),
            (
                "{{ a(x=1, y=-2.5, z=true, w='q', v=`b`, u=[1, [2, \"c\"]]) }}",
                "a",
                59,
            ),
            (
                "{{ resize_image(path=\"a.jpg\",\n  width=600) }}",
                "resize_image",
                45,
            ),
        ];
        for (s, name, len) in yes {
            let c = call_at(s, "{{", "}}").unwrap_or_else(|| panic!("{s}"));
            assert_eq!((c.name.as_str(), c.len), (name, len), "{s}");
        }
        let c = call_at("{% quote(author=\"Vincent\") %}\nA", "{%", "%}").unwrap();
        assert_eq!(c.args["author"], "Vincent");
        for s in [
            "{{ page.title }}",
            "{{ now() | date(format=\"%Y\") }}",
            "{{ youtube }}",
            "{{ youtube(id=abc) }}",
            "{{ youtube(id=\"abc) }}",
            "{{ 1x() }}",
            "{{ a(x=[[[[[[[[[[1]]]]]]]]]]) }}",
            "{{ a(x=1.) }}",
            "{{ a() }",
        ] {
            assert_eq!(call_at(s, "{{", "}}"), None, "{s}");
        }
    }

    #[test]
    fn escapes_are_shown_as_zola_shows_them() {
        let cases = [
            ("{{/* youtube(id=\"x\") */}} sau", "{{ youtube(id=\"x\") }}"),
            ("{%/* quote(a=1) */%}", "{% quote(a=1) %}"),
            ("{%/* end */%}", "{% end %}"),
            ("{{/*a()*/}}", "{{a()}}"),
        ];
        for (s, shown) in cases {
            let len = escape_at(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(unescape(&s[..len]), shown);
        }
        assert_eq!(escape_at("{%/* endless() */%}"), Some(19));
        for s in [
            "{{/* x */}}",
            "{{/* end */}}",
            "{%/* a() */}}",
            "{{/* a() }}",
            "{%/* endx */%}",
        ] {
            assert_eq!(escape_at(s), None, "{s}");
        }
    }

    #[test]
    fn unknown_shortcodes_get_a_replacement_when_there_is_an_obvious_one() {
        let hint = |s: &str, body: bool| {
            let (open, close) = if body { ("{%", "%}") } else { ("{{", "}}") };
            unknown(&call_at(s, open, close).unwrap(), body).1
        };
        assert_eq!(
            hint("{{ resize_image(path=\"a.jpg\", width=600) }}", false),
            "chèn ảnh bằng Markdown: ![mô tả ảnh](a.jpg); ảnh đặt cạnh bài (thư mục bai/index.md) hoặc trong static/"
        );
        assert_eq!(
            hint("{{ youtube(id=\"dQw4\") }}", false),
            "nhúng video bằng HTML: <iframe src=\"https://www.youtube-nocookie.com/embed/dQw4\" title=\"Tên video\" allowfullscreen></iframe>"
        );
        assert_eq!(
            hint("{% quote(author=\"A\") %}", true),
            "viết trích dẫn bằng Markdown: mỗi dòng bắt đầu bằng \"> \""
        );
        assert_eq!(
            hint("{{ so_leu(report=\"r\") }}", false),
            "có phải ý bạn là so_lieu? xoá lệnh này hoặc thay bằng Markdown/HTML tương ứng; muốn hiện nguyên văn trên trang thì viết {{/* so_leu(…) */}}"
        );
        assert_eq!(
            hint("{% mermaid() %}", true),
            "xoá lệnh này hoặc thay bằng Markdown/HTML tương ứng; muốn hiện nguyên văn trên trang thì viết {%/* mermaid(…) */%} … {%/* end */%}"
        );
        assert_eq!(
            hint("{% so_lieu(report=\"r\") %}", true),
            "viết {{ so_lieu(…) }}: lệnh này không có thân và không cần {% end %}"
        );
    }
}
