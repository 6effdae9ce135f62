//! Figures and charts inside articles: `{{ so_lieu(report="…", field="disbursed") }}` and
//! `{{ bieu_do(project="du-an-8", year=2022) }}`.
//!
//! Content is never run through Tera (an article must not be able to execute template code);
//! this small parser expands only the names below. A call of any other shortcode (Zola sites
//! have `{{ youtube(…) }}`, `{% quote() %}…{% end %}`) is an error naming it, and Zola's
//! escapes `{{/* … */}}` are shown as `{{ … }}` as Zola shows them (see [`zola`]); other
//! `{{ … }}` text is left as it is. Calls inside fenced code blocks are left alone (escapes
//! there are shown unescaped, as in Zola). Expansions never contain newlines, so line numbers
//! of everything after them stay true for later messages.

mod zola;

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::diag::{Diagnostic, LineCursor};

/// Shortcodes bantin knows.
pub const NAMES: [&str; 3] = ["so_lieu", "bieu_do", "van_ban"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Str(String),
    Num(String),
    Bool(bool),
}

impl Arg {
    pub fn as_text(&self) -> String {
        match self {
            Arg::Str(s) | Arg::Num(s) => s.clone(),
            Arg::Bool(b) => b.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub name: String,
    pub args: BTreeMap<String, Arg>,
    /// Byte range of the whole `{{ … }}` in the body.
    pub start: usize,
    pub end: usize,
}

/// Something wrong at a place in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub hint: String,
}

/// What [`find`] recognises in a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A call of a bantin shortcode.
    Call(Call),
    /// Zola's escape `{{/* … */}}` or `{%/* … */%}` at this byte range, shown unescaped.
    Escaped { start: usize, end: usize },
    /// A malformed call of a bantin shortcode, or a call of one bantin does not have.
    Problem(Problem),
}

impl Item {
    pub fn as_call(&self) -> Option<&Call> {
        match self {
            Item::Call(c) => Some(c),
            _ => None,
        }
    }
}

/// How much of a line is looked at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scan {
    All,
    /// Inside a fenced code block: calls are code, escapes are still shown unescaped.
    EscapesOnly,
}

/// Finds shortcode calls, escapes and problems, in order.
pub fn find(body: &str) -> Vec<Item> {
    let mut out = Vec::new();
    if find_open(body).is_none() {
        return out; // most articles: no line needs looking at
    }
    let mut in_fence: Option<&str> = None;
    let mut line_start = 0;
    // where scanning goes on: past the end of this line after an item spanning lines
    let mut resume = 0;
    for line in body.split_inclusive('\n') {
        let line_end = line_start + line.len();
        if resume <= line_start {
            let trimmed = line.trim_start();
            let scan = if let Some(f) = in_fence {
                if trimmed.starts_with(f) {
                    in_fence = None;
                    None
                } else {
                    Some(Scan::EscapesOnly)
                }
            } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                in_fence = Some(&trimmed[..3]);
                None
            } else {
                Some(Scan::All)
            };
            resume = match scan {
                Some(scan) => scan_line(body, line_start, line_end, scan, &mut out),
                None => line_end,
            };
        } else if resume < line_end {
            resume = scan_line(body, resume, line_end, Scan::All, &mut out);
        }
        line_start = line_end;
    }
    out
}

/// Scans `body[from..line_end]`, pushing what it finds; returns where scanning stopped
/// (after `line_end` when an item spans lines).
fn scan_line(body: &str, from: usize, line_end: usize, scan: Scan, out: &mut Vec<Item>) -> usize {
    let mut at = from;
    while at < line_end {
        let Some(i) = find_open(&body[at..line_end]) else {
            break;
        };
        let p = at + i;
        match item_at(body, p, line_end, scan) {
            Some((item, len)) => {
                out.push(item);
                at = p + len;
            }
            // one byte on, as Zola reads: `{{{ x() }}}` holds the call `{{ x() }}`
            None => at = p + 1,
        }
    }
    at.max(line_end)
}

/// The item starting at `body[p..]` (a `{{` or `{%`), with its length.
fn item_at(body: &str, p: usize, line_end: usize, scan: Scan) -> Option<(Item, usize)> {
    let rest = &body[p..];
    if let Some(len) = zola::escape_at(rest) {
        let escaped = Item::Escaped {
            start: p,
            end: p + len,
        };
        return Some((escaped, len));
    }
    if scan == Scan::EscapesOnly {
        return None;
    }
    if rest.starts_with("{{") && names_known(&rest[2..]) {
        return known_call(body, p, line_end);
    }
    let body_form = rest.starts_with("{%");
    let (open, close) = if body_form {
        ("{%", "%}")
    } else {
        ("{{", "}}")
    };
    let call = zola::call_at(rest, open, close)?;
    let (message, hint) = zola::unknown(&call, body_form);
    let problem = Problem {
        offset: p,
        message,
        hint,
    };
    Some((Item::Problem(problem), call.len))
}

/// Whether `s` (after `{{`) starts with the name of a bantin shortcode.
fn names_known(s: &str) -> bool {
    let name = s.trim_start_matches([' ', '\t']);
    NAMES.iter().any(|n| {
        name.strip_prefix(n)
            .is_some_and(|after| !after.starts_with(is_ident))
    })
}

/// A call of a bantin shortcode at `body[p..]`, on one line (its expansion replaces it with
/// text without newlines, so a call spanning lines would move every later line number).
fn known_call(body: &str, p: usize, line_end: usize) -> Option<(Item, usize)> {
    Some(match parse_call(&body[p..line_end])? {
        Ok((name, args, len)) => {
            let call = Call {
                name,
                args,
                start: p,
                end: p + len,
            };
            (Item::Call(call), len)
        }
        Err(message) => {
            let hint =
                "ví dụ: {{ so_lieu(report=\"du-an-8-kon-tum-2022-11\", field=\"disbursed\") }}";
            let problem = Problem {
                offset: p,
                message,
                hint: hint.into(),
            };
            (Item::Problem(problem), 2)
        }
    })
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Byte offset of the first `{{` or `{%` in `s`. `str::find("{{")` set up a two-way searcher
/// for every line of every article; `{` is rare in prose, so looking for it alone is cheaper.
fn find_open(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find('{') {
        let at = from + i;
        if matches!(b.get(at + 1), Some(b'{' | b'%')) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// A parsed call: name, arguments, length in bytes.
type Parsed = (String, BTreeMap<String, Arg>, usize);

/// Parses `{{ name(args) }}` at the start of `s`. `None` when it is not a known shortcode.
fn parse_call(s: &str) -> Option<Result<Parsed, String>> {
    let rest = s.strip_prefix("{{")?;
    let rest_trim = rest.trim_start();
    let name_len = rest_trim
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest_trim.len());
    let name = &rest_trim[..name_len];
    if !NAMES.contains(&name) {
        return None;
    }
    let mut p = s.len() - rest_trim.len() + name_len;
    let bytes = s.as_bytes();
    let skip_ws = |p: &mut usize| {
        while *p < bytes.len() && (bytes[*p] == b' ' || bytes[*p] == b'\t') {
            *p += 1;
        }
    };
    skip_ws(&mut p);
    if bytes.get(p) != Some(&b'(') {
        return Some(Err(format!("thiếu dấu ( sau {name}")));
    }
    p += 1;
    let mut args = BTreeMap::new();
    loop {
        skip_ws(&mut p);
        if bytes.get(p) == Some(&b')') {
            p += 1;
            break;
        }
        let key_len = s[p..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(0);
        if key_len == 0 {
            return Some(Err(format!(
                "tham số của {name} viết sai; dạng đúng: {name}(khoa=\"giá trị\", khoa2=2022)"
            )));
        }
        let key = s[p..p + key_len].to_string();
        p += key_len;
        skip_ws(&mut p);
        if bytes.get(p) != Some(&b'=') {
            return Some(Err(format!("thiếu dấu = sau tham số {key}")));
        }
        p += 1;
        skip_ws(&mut p);
        let value = match bytes.get(p) {
            Some(&q @ (b'"' | b'\'')) => {
                let close = s[p + 1..].find(q as char);
                let Some(close) = close else {
                    return Some(Err(format!("chuỗi của tham số {key} chưa đóng dấu nháy")));
                };
                let v = s[p + 1..p + 1 + close].to_string();
                p += close + 2;
                Arg::Str(v)
            }
            Some(_) => {
                let len = s[p..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
                    .unwrap_or(s.len() - p);
                let v = &s[p..p + len];
                p += len;
                match v {
                    "true" => Arg::Bool(true),
                    "false" => Arg::Bool(false),
                    v if !v.is_empty() && v.parse::<f64>().is_ok() => Arg::Num(v.to_string()),
                    _ => {
                        return Some(Err(format!(
                            "giá trị của {key} phải là chuỗi trong dấu nháy, số, hoặc true/false"
                        )))
                    }
                }
            }
            None => return Some(Err(format!("{name}( chưa đóng ngoặc"))),
        };
        if args.insert(key.clone(), value).is_some() {
            return Some(Err(format!("tham số {key} được ghi hai lần")));
        }
        skip_ws(&mut p);
        match bytes.get(p) {
            Some(b',') => p += 1,
            Some(b')') => {
                p += 1;
                break;
            }
            _ => return Some(Err(format!("sau tham số {key} cần dấu phẩy hoặc dấu )"))),
        }
    }
    skip_ws(&mut p);
    if !s[p..].starts_with("}}") {
        return Some(Err(format!("thiếu }}}} đóng lệnh {name}")));
    }
    Some(Ok((name.to_string(), args, p + 2)))
}

/// What a failed call of a bantin shortcode in an article most likely needs.
const DATA_HINT: &str =
    "sửa mã trong lệnh; xem các mã địa bàn, dự án, báo cáo trong content/data/ (hoặc trang /du-lieu/)";

/// Replaces every call with the evaluator's output (`eval` gets the call and its number, from
/// 1) and every escape with what it shows. Errors carry the file line and column.
pub fn expand<'a>(
    body: &'a str,
    file: &str,
    line_offset: usize,
    eval: &dyn Fn(&Call, usize) -> Result<String, String>,
) -> (Cow<'a, str>, Vec<Diagnostic>) {
    expand_with(body, file, line_offset, DATA_HINT, eval)
}

/// [`expand`] for a section's `_index.md`, whose page does not show figures or charts: a
/// call of so_lieu or bieu_do there is reported, not left as literal text.
pub fn expand_in_section<'a>(
    body: &'a str,
    file: &str,
    line_offset: usize,
) -> (Cow<'a, str>, Vec<Diagnostic>) {
    let hint = "chuyển lệnh này vào một bài viết (tệp .md khác _index.md) của chuyên mục";
    let eval = |_: &Call, _: usize| {
        Err(
            "lệnh này chỉ dùng được trong bài viết, không dùng trong trang chuyên mục (_index.md)"
                .to_string(),
        )
    };
    expand_with(body, file, line_offset, hint, &eval)
}

fn expand_with<'a>(
    body: &'a str,
    file: &str,
    line_offset: usize,
    failed_call_hint: &str,
    eval: &dyn Fn(&Call, usize) -> Result<String, String>,
) -> (Cow<'a, str>, Vec<Diagnostic>) {
    let items = find(body);
    if items.is_empty() {
        return (Cow::Borrowed(body), Vec::new());
    }
    let mut out = String::with_capacity(body.len());
    let mut diags = Vec::new();
    let mut last = 0;
    let mut lines = LineCursor::new(body);
    let mut error_at = |offset: usize, message: String, hint: &str| {
        let (l, c) = lines.locate(offset);
        let d = Diagnostic::error(message).in_file(file);
        diags.push(d.at(l + line_offset, c).hint(hint));
    };
    let mut calls = 0;
    for item in items {
        match item {
            Item::Call(call) => {
                calls += 1;
                out.push_str(&body[last..call.start]);
                match eval(&call, calls) {
                    Ok(text) => out.push_str(&text.replace(['\r', '\n'], " ")),
                    Err(msg) => {
                        let (msg, fix) = crate::diag::split_fix(&msg);
                        let message = format!("{}: {msg}", call.name);
                        error_at(call.start, message, fix.unwrap_or(failed_call_hint));
                        out.push_str(&body[call.start..call.end]);
                    }
                }
                last = call.end;
            }
            Item::Escaped { start, end } => {
                out.push_str(&body[last..start]);
                out.push_str(&zola::unescape(&body[start..end]));
                last = end;
            }
            Item::Problem(p) => error_at(p.offset, p.message, &p.hint),
        }
    }
    out.push_str(&body[last..]);
    (Cow::Owned(out), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_known_calls_and_reports_unknown_ones() {
        let body = "Giải ngân {{ so_lieu(report=\"r1\", field='disbursed') }} và {{ khac() }}.\n\n```\n{{ so_lieu(report=\"x\") }}\n```\n{{bieu_do(project=\"du-an-8\",year=2022)}}\n";
        let items = find(body);
        let calls: Vec<&Call> = items.iter().filter_map(Item::as_call).collect();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].args["report"], Arg::Str("r1".into()));
        assert_eq!(calls[1].args["year"], Arg::Num("2022".into()));
        assert_eq!(
            &body[calls[0].start..calls[0].end],
            "{{ so_lieu(report=\"r1\", field='disbursed') }}"
        );
        let problems: Vec<usize> = items
            .iter()
            .filter_map(|i| match i {
                Item::Problem(p) => Some(p.offset),
                _ => None,
            })
            .collect();
        assert_eq!(problems, [body.find("{{ khac").unwrap()]);
    }

    fn run(body: &str) -> (String, Vec<String>) {
        let eval = |c: &Call, n: usize| Ok(format!("[{} {n}]", c.name));
        let (out, diags) = expand(body, "content/a.md", 3, &eval);
        (
            out.into_owned(),
            diags.iter().map(|d| d.to_string()).collect(),
        )
    }

    /// Zola shortcodes bantin does not have are errors at their place, naming the shortcode,
    /// listing bantin's and saying what to write instead.
    #[test]
    fn unknown_shortcodes_are_errors_at_their_place() {
        let body = "Ảnh:\n\n  {{ resize_image(path=\"a.jpg\", width=600) }}\n\n{% quote(author=\"A\") %}\nCâu nói\n{% end %}\n\nVideo {{ youtube(id=\"dQw4\") }} {{ gallery() }}\n";
        let (out, diags) = run(body);
        assert_eq!(out, body, "nothing is replaced");
        let list = "bantin chỉ có so_lieu (con số từ dữ liệu), bieu_do (biểu đồ) và van_ban (trích dẫn văn bản)";
        assert_eq!(
            diags,
            [
                format!("lỗi: content/a.md:6:3: bantin không có lệnh (shortcode) \"resize_image\"; {list}\n  → cách sửa: chèn ảnh bằng Markdown: ![mô tả ảnh](a.jpg); ảnh đặt cạnh bài (thư mục bai/index.md) hoặc trong static/"),
                format!("lỗi: content/a.md:8:1: bantin không có lệnh có thân (shortcode) \"quote\" ({{% quote(…) %}} … {{% end %}}); {list}, viết dạng {{{{ … }}}}\n  → cách sửa: viết trích dẫn bằng Markdown: mỗi dòng bắt đầu bằng \"> \""),
                format!("lỗi: content/a.md:12:7: bantin không có lệnh (shortcode) \"youtube\"; {list}\n  → cách sửa: nhúng video bằng HTML: <iframe src=\"https://www.youtube-nocookie.com/embed/dQw4\" title=\"Tên video\" allowfullscreen></iframe>"),
                format!("lỗi: content/a.md:12:32: bantin không có lệnh (shortcode) \"gallery\"; {list}\n  → cách sửa: chèn từng ảnh bằng Markdown, mỗi ảnh một dòng: ![mô tả ảnh 1](anh-1.jpg), ![mô tả ảnh 2](anh-2.jpg) …"),
            ]
        );
    }

    /// Zola reads on one byte after a `{{` that opens nothing.
    #[test]
    fn a_call_right_after_a_brace_is_found() {
        let items = find("{{{ youtube() }}}");
        assert!(
            matches!(&items[..], [Item::Problem(p)] if p.offset == 1),
            "{items:?}"
        );
    }

    #[test]
    fn text_that_is_not_a_call_is_left_alone() {
        for body in [
            "{{ page.title }} {{ config.base_url }} {% raw %} {% if x %}y{% endif %} {% end %}",
            "{{ now() | date(format=\"%Y\") }} {{ youtube }} {{ youtube(id=abc) }}",
            "{{\"a\": 1}} {{x}} {{ }} {% %} {{ a( }} {{/* */}} {%/* x */%}",
        ] {
            assert_eq!(run(body), (body.to_string(), vec![]), "{body}");
        }
    }

    /// Zola's escapes show the call itself, also in code (Zola reads them everywhere); a call
    /// inside a fenced code block is code, left as written.
    #[test]
    fn escapes_show_the_call_and_code_blocks_keep_calls() {
        let body = "Viết `{{/* so_lieu(report=\"r\") */}}` hoặc {{/* youtube(id=\"x\") */}}.\n\n```md\n{{/* quote(a=1) */}}\n{%/* quote() */%}\nx\n{%/* end */%}\n{{ youtube(id=\"x\") }} {{ so_lieu(report=\"r\") }}\n```\n{{ so_lieu(report=\"r\") }}\n";
        let shown = "Viết `{{ so_lieu(report=\"r\") }}` hoặc {{ youtube(id=\"x\") }}.\n\n```md\n{{ quote(a=1) }}\n{% quote() %}\nx\n{% end %}\n{{ youtube(id=\"x\") }} {{ so_lieu(report=\"r\") }}\n```\n[so_lieu 1]\n";
        assert_eq!(run(body), (shown.to_string(), vec![]));
    }

    /// Zola allows newlines between a call's tokens: such a call is reported at its start and
    /// what follows it on its last line is still read.
    #[test]
    fn calls_spanning_lines_are_found() {
        let body = "a {{ youtube(\n  id=\"x\",\n  autoplay=true) }} {{ so_lieu(report=\"r\") }}\n```\n{{ so_lieu(report=\"r\") }}\n```\n";
        let (out, diags) = run(body);
        assert_eq!(
            out,
            body.replacen("{{ so_lieu(report=\"r\") }}", "[so_lieu 1]", 1)
        );
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0]
                .starts_with("lỗi: content/a.md:4:3: bantin không có lệnh (shortcode) \"youtube\""),
            "{diags:?}"
        );
    }

    /// A section page shows no figures: a call there is an error, not literal text.
    #[test]
    fn section_pages_report_figure_calls_and_show_escapes() {
        let body = "{{ so_lieu(report=\"r\") }}\n{{/* so_lieu() */}} {{ vimeo(id=\"1\") }}\n";
        let (out, diags) = expand_in_section(body, "content/tin-tuc/_index.md", 3);
        assert_eq!(
            out,
            "{{ so_lieu(report=\"r\") }}\n{{ so_lieu() }} {{ vimeo(id=\"1\") }}\n"
        );
        let diags: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            diags,
            [
                "lỗi: content/tin-tuc/_index.md:4:1: so_lieu: lệnh này chỉ dùng được trong bài viết, không dùng trong trang chuyên mục (_index.md)\n  → cách sửa: chuyển lệnh này vào một bài viết (tệp .md khác _index.md) của chuyên mục",
                "lỗi: content/tin-tuc/_index.md:5:21: bantin không có lệnh (shortcode) \"vimeo\"; bantin chỉ có so_lieu (con số từ dữ liệu), bieu_do (biểu đồ) và van_ban (trích dẫn văn bản)\n  → cách sửa: nhúng video bằng HTML: <iframe src=\"https://player.vimeo.com/video/1\" title=\"Tên video\" allowfullscreen></iframe>",
            ]
        );
    }

    #[test]
    fn malformed_calls_are_errors() {
        for bad in [
            "{{ so_lieu(report=\"r1\" }}",
            "{{ so_lieu(report=r 1) }}",
            "{{ so_lieu(report=\"r1) }}",
            "{{ so_lieu report }}",
            "{{ so_lieu(a=1, a=2) }}",
        ] {
            let r = find(bad);
            assert!(
                r.iter().any(|c| matches!(c, Item::Problem(_))),
                "{bad}: {r:?}"
            );
        }
    }

    #[test]
    fn expansion_reports_file_lines() {
        let eval = |c: &Call, _: usize| {
            if c.args.contains_key("report") {
                Ok("1.393".to_string())
            } else {
                Err("thiếu report".to_string())
            }
        };
        let (out, diags) = expand(
            "a\n{{ so_lieu(report=\"x\") }} b\n\nc {{ so_lieu(field=\"x\") }}\n",
            "content/a.md",
            4,
            &eval,
        );
        assert!(out.starts_with("a\n1.393 b\n"), "{out}");
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].line, diags[0].column), (Some(8), Some(3)));
    }
}
