//! Tera's errors as diagnostics. tera 2 knows where a problem is: a syntax or rendering error
//! carries the template and the span, a failed check of the loaded templates (unknown filter,
//! function, test, component or included template) one report per place. Each becomes a
//! diagnostic at its template file, line and column, in the staff's language where the case
//! is known; the few without a place (a missing parent template) are placed later by
//! [`crate::checks::locate_template_errors`].

use std::collections::HashMap;

use tera::ErrorKind;

use crate::diag::Diagnostic;

/// The hint of a template mistake bantin has no more specific advice for.
pub const TEMPLATE_HINT: &str = "sửa mẫu giao diện tại vị trí này (cú pháp Tera: {{ biến }}, {% if %}…{% endif %}); tên hàm/bộ lọc có sẵn xem docs/templates.md";

/// One problem tera reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The template (tera's name) it is in, when tera says.
    pub template: Option<String>,
    /// 1-based line and column.
    pub pos: Option<(usize, usize)>,
    /// Byte range in the template's source (the name or expression tera points at).
    pub range: Option<std::ops::Range<usize>>,
    /// tera's message, without the source excerpt.
    pub message: String,
}

/// Every problem in `e`.
pub fn problems(e: &tera::Error) -> Vec<Problem> {
    let one = |template: Option<&str>, message: String| {
        vec![Problem {
            template: template.map(str::to_string),
            pos: None,
            range: None,
            message,
        }]
    };
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let span = r.span();
            vec![Problem {
                template: Some(r.filename().to_string()),
                pos: Some((span.start_line, span.start_col + 1)),
                range: Some(span.range.clone()),
                message: r.message().to_string(),
            }]
        }
        ErrorKind::Msg(text) if text.starts_with("error: ") => reports(text),
        ErrorKind::MissingParent { current, .. } => one(Some(current), e.to_string()),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            one(Some(tpl), e.to_string())
        }
        _ => one(None, full_text(e)),
    }
}

/// The reports tera joins into one message when checking the loaded templates:
/// `error: Unknown filter `x`\n --> page.html:4:21\n  |\n…`, separated by blank lines.
fn reports(text: &str) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let mut p = Problem {
            template: None,
            pos: None,
            range: None,
            message: message.to_string(),
        };
        if let Some(locus) = lines
            .peek()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        {
            let mut parts = locus.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok());
            let line = parts.next().and_then(|l| l.parse().ok());
            if let (Some(line), Some(col), Some(name)) = (line, col, parts.next()) {
                p.template = Some(name.to_string());
                p.pos = Some((line, col));
            }
        }
        out.push(p);
    }
    if out.is_empty() {
        out.push(Problem {
            template: None,
            pos: None,
            range: None,
            message: text.to_string(),
        });
    }
    out
}

/// The text of an error and of its sources.
pub fn full_text(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        parts.push(s.to_string());
        src = s.source();
    }
    parts.join(": ")
}

/// The quoted name in tera's "Unknown filter `x`"-style messages.
fn backticked<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(name, _)| name)
}

/// Filters every template has: tera 2's own and bantin's (for "did you mean").
pub const FILTERS: &[&str] = &[
    "abs",
    "capitalize",
    "date_vi",
    "default",
    "escape",
    "escape_html",
    "escape_xml",
    "first",
    "float",
    "get",
    "group_by",
    "indent",
    "int",
    "join",
    "keys",
    "last",
    "length",
    "lower",
    "money_vi",
    "newlines_to_br",
    "nth",
    "number_vi",
    "pairs",
    "percent_vi",
    "pluralize",
    "replace",
    "reverse",
    "rfc2822",
    "round",
    "safe",
    "slugify_vi",
    "sort",
    "split",
    "str",
    "title",
    "trim",
    "trim_end",
    "trim_start",
    "truncate",
    "unique",
    "upper",
    "values",
    "wordcount",
];

/// Functions every template has (`so_lieu` and `bieu_do` only when the site has data).
pub const FUNCTIONS: &[&str] = &[
    "bieu_do",
    "get_url",
    "partial_cached",
    "range",
    "so_lieu",
    "throw",
];

/// Tests every template has.
pub const TESTS: &[&str] = &[
    "array",
    "bool",
    "containing",
    "defined",
    "divisible_by",
    "ending_with",
    "even",
    "float",
    "integer",
    "iterable",
    "map",
    "none",
    "number",
    "odd",
    "starting_with",
    "string",
    "undefined",
];

fn suggestion(name: &str, all: &[&str], what: &str) -> String {
    match crate::diag::did_you_mean(name, all.iter().copied()) {
        Some(s) => format!("có phải ý bạn là `{s}`? các {what} có sẵn xem docs/templates.md"),
        None => format!("bỏ {what} này hoặc dùng một {what} có sẵn (xem docs/templates.md)"),
    }
}

/// A problem as a diagnostic. `template`: the template being rendered or loaded, when the
/// problem does not name one; `files`: tera name → file as shown; `source_of`: tera name →
/// source text (to read the name or expression a problem points at).
pub fn diagnostic(
    p: &Problem,
    template: &str,
    files: &HashMap<String, String>,
    source_of: impl Fn(&str) -> Option<String>,
) -> Diagnostic {
    if let Some(inner) = in_cached_partial(&p.message) {
        return diagnostic(&inner, template, files, source_of);
    }
    let name = p.template.as_deref().unwrap_or(template);
    let file = files.get(name).cloned().unwrap_or_else(|| name.to_string());
    let source = p.template.as_deref().and_then(&source_of);
    let mut pos = p.pos;
    // byte offset of the place, when known
    let at = p.range.as_ref().map(|r| r.start).or_else(|| {
        let (line, col) = p.pos?;
        offset_of(source.as_deref()?, line, col)
    });
    let (message, hint) = explain(&p.message, name, source.as_deref(), at, &mut pos);
    Diagnostic::error(message)
        .in_file(file)
        .at_opt(pos)
        .hint(hint)
}

/// The Vietnamese message and fix for tera's message `m` about template `name`; moves `pos`
/// to the name a problem is about when tera points next to it. `source`: the template's text,
/// `at`: the byte offset of the place.
fn explain(
    m: &str,
    name: &str,
    source: Option<&str>,
    at: Option<usize>,
    pos: &mut Option<(usize, usize)>,
) -> (String, String) {
    let uses =
        |what: &str, n: &str| format!("mẫu giao diện \"{name}\" dùng {what} \"{n}\" không tồn tại");
    if let Some(f) = backticked(m, "Unknown filter ") {
        (uses("bộ lọc", f), suggestion(f, FILTERS, "bộ lọc"))
    } else if let Some(f) = backticked(m, "Unknown function ") {
        (uses("hàm", f), suggestion(f, FUNCTIONS, "hàm"))
    } else if let Some(f) = backticked(m, "Unknown test ") {
        (uses("phép thử", f), suggestion(f, TESTS, "phép thử"))
    } else if let Some(f) = backticked(m, "Unknown template ") {
        // tera points at the quoted name; the name itself starts after the quote
        if let (Some(src), Some(at)) = (source, at) {
            if matches!(src.as_bytes().get(at), Some(b'"' | b'\'')) {
                *pos = Some(crate::diag::line_col(src, at + 1));
            }
        }
        (
            uses("mẫu con (include)", f),
            format!("tạo tệp templates/{f} hoặc sửa tên trong {{% include %}}"),
        )
    } else if let Some(f) = backticked(m, "Unknown component ") {
        // tera points at the `<` of `<name … />`
        if let (Some(src), Some(at)) = (source, at) {
            if src.as_bytes().get(at) == Some(&b'<') {
                *pos = Some(crate::diag::line_col(src, at + 1));
            }
        }
        (
            uses("component", f),
            "kiểm tra tên component: nó phải được định nghĩa bằng {% component tên(…) %} … {% endcomponent tên %} trong một tệp mẫu".into(),
        )
    } else if let Some((var, start)) = undefined_variable(m, source, at) {
        if let (Some(src), Some(start)) = (source, start) {
            *pos = Some(crate::diag::line_col(src, start));
        }
        (
            format!("mẫu giao diện \"{name}\" dùng biến \"{var}\" không có trong dữ liệu của trang"),
            "kiểm tra tên biến (xem docs/templates.md), hoặc viết {{ biến | default(value=\"\") }} / {% if biến %} cho giá trị có thể thiếu".into(),
        )
    } else if m == "Unexpected end of input" {
        (
            format!("mẫu giao diện \"{name}\" có lỗi: tệp kết thúc khi còn thẻ chưa đóng"),
            "thêm thẻ đóng còn thiếu: {% endif %}, {% endfor %}, {% endblock tên %}, {% endcomponent tên %}, {% endset %} hoặc {% endfilter %}".into(),
        )
    } else {
        (
            format!("mẫu giao diện \"{name}\" có lỗi: {m}"),
            TEMPLATE_HINT.to_string(),
        )
    }
}

/// The first problem inside a cached partial, which `partial_cached` reports as
/// `partial_cached(name="…"): partials/x.html:2:11: message; …`: placed in the partial.
fn in_cached_partial(message: &str) -> Option<Problem> {
    let rest = message.strip_prefix("partial_cached(name=\"")?;
    let (_, rest) = rest.split_once("\"): ")?;
    let first = rest.split("; ").next()?;
    let mut parts = first.splitn(4, ':');
    let template = parts.next()?;
    let line = parts.next()?.parse().ok()?;
    let col = parts.next()?.parse().ok()?;
    let message = parts.next()?.strip_prefix(' ')?;
    Some(Problem {
        template: Some(template.to_string()),
        pos: Some((line, col)),
        range: None,
        message: message.to_string(),
    })
}

/// Byte offset of 1-based `line` and `col` (in characters) in `text`.
fn offset_of(text: &str, line: usize, col: usize) -> Option<usize> {
    let start = if line == 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let rest = &text[start..];
    let within = rest
        .char_indices()
        .nth(col - 1)
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

/// The variable path (`page.tac_gia`) of a "not defined" error and where it starts: tera
/// points at the last name (`tac_gia`), the path is read back from the template.
fn undefined_variable(
    m: &str,
    source: Option<&str>,
    at: Option<usize>,
) -> Option<(String, Option<usize>)> {
    let leaf = backticked(m, "Field ").or_else(|| backticked(m, "Variable "))?;
    if !m.contains("is not defined") {
        return None;
    }
    let (Some(src), Some(at)) = (source, at) else {
        return Some((leaf.to_string(), None));
    };
    if !src[at.min(src.len())..].starts_with(leaf) {
        return Some((leaf.to_string(), None));
    }
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut start = at;
    while let Some(before) = src[..start].strip_suffix('.') {
        let name_start = before
            .char_indices()
            .rev()
            .take_while(|&(_, c)| ident(c))
            .last()
            .map(|(i, _)| i);
        match name_start {
            Some(i) => start = i,
            None => break,
        }
    }
    Some((src[start..at + leaf.len()].to_string(), Some(start)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_reports_are_split_and_placed() {
        let text = "error: Unknown filter `viet_hoa`\n --> page.html:4:21\n  |\n4 | x\n  |  ^\n\nerror: Unknown function `f`\n  --> partials/a.html:12:3\n   |";
        let ps = reports(text);
        assert_eq!(ps.len(), 2);
        assert_eq!(ps[0].template.as_deref(), Some("page.html"));
        assert_eq!(ps[0].pos, Some((4, 21)));
        assert_eq!(ps[0].message, "Unknown filter `viet_hoa`");
        assert_eq!(ps[1].template.as_deref(), Some("partials/a.html"));
        assert_eq!(ps[1].pos, Some((12, 3)));
        assert_eq!(backticked(&ps[1].message, "Unknown function "), Some("f"));
    }

    #[test]
    fn problems_inside_cached_partials_are_placed_there() {
        let p = in_cached_partial(
            "partial_cached(name=\"partials/a.html\"): partials/a.html:2:11: Field `x` is not defined.; b.html:1:1: y",
        )
        .unwrap();
        assert_eq!(p.template.as_deref(), Some("partials/a.html"));
        assert_eq!(p.pos, Some((2, 11)));
        assert_eq!(p.message, "Field `x` is not defined.");
        assert!(in_cached_partial("partial_cached(name=\"a\") lồng nhau quá 8 cấp").is_none());
    }

    #[test]
    fn undefined_fields_are_named_by_their_whole_path() {
        let src = "<p>{{ page.extra.tac_gia }}</p>\n<p>{{ khong_co }}</p>";
        let at = src.find("tac_gia").unwrap();
        assert_eq!(
            undefined_variable(
                "Field `tac_gia` is not defined. Available fields: a",
                Some(src),
                Some(at)
            ),
            Some((
                "page.extra.tac_gia".to_string(),
                Some(src.find("page").unwrap())
            ))
        );
        let at = src.find("khong_co").unwrap();
        assert_eq!(
            undefined_variable("Variable `khong_co` is not defined.", Some(src), Some(at)),
            Some(("khong_co".to_string(), Some(at)))
        );
        assert_eq!(offset_of(src, 2, 7), Some(src.find("khong_co").unwrap()));
        assert_eq!(offset_of("ẫb\nc", 1, 2), Some(3));
    }
}
