//! Figures and charts inside articles: `{{ so_lieu(report="…", field="disbursed") }}` and
//! `{{ bieu_do(project="du-an-8", year=2022) }}`.
//!
//! Content is never run through Tera (an article must not be able to execute template code);
//! this small parser recognises only the names below and leaves every other `{{ … }}` as text.
//! Calls inside fenced code blocks are left alone. Expansions never contain newlines, so line
//! numbers of everything after them stay true for later messages.

use std::collections::BTreeMap;

use crate::diag::{line_col, Diagnostic};

/// Shortcodes bantin knows.
pub const NAMES: [&str; 2] = ["so_lieu", "bieu_do"];

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

/// Finds shortcode calls. Malformed calls of known names are errors `(offset, message)`.
pub fn find(body: &str) -> Vec<Result<Call, (usize, String)>> {
    let mut out = Vec::new();
    if find_open(body).is_none() {
        return out; // most articles: no line needs looking at
    }
    let mut in_fence: Option<&str> = None;
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(f) = in_fence {
            if trimmed.starts_with(f) {
                in_fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = Some(&trimmed[..3]);
        } else {
            let mut from = 0;
            while let Some(i) = find_open(&line[from..]) {
                let at = from + i;
                match parse_call(&line[at..]) {
                    Some(Ok((name, args, len))) => {
                        out.push(Ok(Call {
                            name,
                            args,
                            start: line_start + at,
                            end: line_start + at + len,
                        }));
                        from = at + len;
                    }
                    Some(Err(msg)) => {
                        out.push(Err((line_start + at, msg)));
                        from = at + 2;
                    }
                    None => from = at + 2,
                }
            }
        }
        line_start += line.len();
    }
    out
}

/// Byte offset of the first `{{` in `s`. `str::find("{{")` set up a two-way searcher for
/// every line of every article; `{` is rare in prose, so looking for it alone is cheaper.
fn find_open(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find('{') {
        let at = from + i;
        if b.get(at + 1) == Some(&b'{') {
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

/// Replaces every call with the evaluator's output. Errors carry the file line and column.
pub fn expand<'a>(
    body: &'a str,
    file: &str,
    line_offset: usize,
    eval: &dyn Fn(&Call, usize) -> Result<String, String>,
) -> (std::borrow::Cow<'a, str>, Vec<Diagnostic>) {
    let calls = find(body);
    if calls.is_empty() {
        return (std::borrow::Cow::Borrowed(body), Vec::new());
    }
    let mut out = String::with_capacity(body.len());
    let mut diags = Vec::new();
    let mut last = 0;
    let at = |offset: usize| {
        let (l, c) = line_col(body, offset);
        (l + line_offset, c)
    };
    for (n, c) in calls.into_iter().enumerate() {
        match c {
            Ok(call) => {
                out.push_str(&body[last..call.start]);
                match eval(&call, n + 1) {
                    Ok(text) => out.push_str(&text.replace(['\r', '\n'], " ")),
                    Err(msg) => {
                        let (l, col) = at(call.start);
                        diags.push(Diagnostic::error(format!("{}: {msg}", call.name)).in_file(file).at(l, col).hint(
                            "sửa mã trong lệnh; xem các mã địa bàn, dự án, báo cáo trong content/data/ (hoặc trang /du-lieu/)",
                        ));
                        out.push_str(&body[call.start..call.end]);
                    }
                }
                last = call.end;
            }
            Err((offset, msg)) => {
                let (l, col) = at(offset);
                diags.push(Diagnostic::error(msg).in_file(file).at(l, col).hint(
                    "ví dụ: {{ so_lieu(report=\"du-an-8-kon-tum-2022-11\", field=\"disbursed\") }}",
                ));
            }
        }
    }
    out.push_str(&body[last..]);
    (std::borrow::Cow::Owned(out), diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_known_calls_and_leaves_others() {
        let body = "Giải ngân {{ so_lieu(report=\"r1\", field='disbursed') }} và {{ khac() }}.\n\n```\n{{ so_lieu(report=\"x\") }}\n```\n{{bieu_do(project=\"du-an-8\",year=2022)}}\n";
        let calls: Vec<Call> = find(body).into_iter().map(|c| c.unwrap()).collect();
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].args["report"], Arg::Str("r1".into()));
        assert_eq!(calls[1].args["year"], Arg::Num("2022".into()));
        assert_eq!(
            &body[calls[0].start..calls[0].end],
            "{{ so_lieu(report=\"r1\", field='disbursed') }}"
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
            assert!(r.iter().any(|c| c.is_err()), "{bad}: {r:?}");
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
