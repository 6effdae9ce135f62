//! Diagnostics: the one currency in which every stage reports problems to staff.
//!
//! Stages keep their own `thiserror` enums for what can go wrong; each of them converts into a
//! [`Diagnostic`] carrying the file (relative to the site root, so messages read the same on every
//! machine), the 1-based line and column where one exists, what is wrong and what to do. Stages
//! collect diagnostics instead of stopping at the first one, so `build` and `check` can list
//! every problem at once.

use std::fmt;
use std::path::Path;

/// How serious a problem is. Warnings never fail a build unless `--strict` is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located where possible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators (`content/tin-tuc/a.md`).
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// What is wrong, in plain Vietnamese.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The content files whose pages were being rendered when a template failed. A mistake in
    /// a template fails every page using it: [`Diagnostics::finish`] merges those into one
    /// message naming the first page and counting the others. Boxed: a `Diagnostic` is the
    /// error type of most functions, and most have no pages.
    pub pages: Option<Box<Vec<String>>>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            pages: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn at_opt(mut self, pos: Option<(usize, usize)>) -> Self {
        if let Some((l, c)) = pos {
            self.line = Some(l);
            self.column = Some(c);
        }
        self
    }

    /// Rendering the page of `source` (a content file) failed with this.
    pub fn on_page(mut self, source: impl Into<String>) -> Self {
        self.pages = Some(Box::new(vec![source.into()]));
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key: file, then position, so the listing is stable whatever order threads finish in.
    fn sort_key(&self) -> (Option<&str>, usize, usize, Severity, &str) {
        (
            self.file.as_deref(),
            self.line.unwrap_or(0),
            self.column.unwrap_or(0),
            self.severity,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
        };
        write!(f, "{label}: ")?;
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        match self.pages.as_deref().map_or(&[][..], |p| &p[..]) {
            [] => {}
            [page] => write!(f, " (khi dựng trang cho {page})")?,
            [page, more @ ..] => write!(
                f,
                " (khi dựng trang cho {page} và {} trang khác)",
                more.len()
            )?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  → cách sửa: {hint}")?;
        }
        Ok(())
    }
}

/// A growing list of diagnostics.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Prints the diagnostics and a count line to standard error (what `build`, `check` and
    /// `serve` show); nothing when there are none.
    pub fn print(&self) {
        if self.is_empty() {
            return;
        }
        // written, not eprint!-ed: a closed pipe (`bantin build 2>&1 | head`) must not panic
        use std::io::Write;
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{self}");
        let (e, w) = (self.error_count(), self.warning_count());
        let _ = match (e, w) {
            (0, w) => writeln!(err, "{w} cảnh báo."),
            (e, 0) => writeln!(err, "{e} lỗi."),
            (e, w) => writeln!(err, "{e} lỗi, {w} cảnh báo."),
        };
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// Sorts, removes exact duplicates and merges the same template error raised on many
    /// pages into one (its pages listed in order), so output is deterministic and one mistake
    /// in a template is one message, not one per article.
    pub fn finish(&mut self) {
        self.0.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.0.dedup_by(|later, kept| {
            let same = later.severity == kept.severity
                && later.file == kept.file
                && later.line == kept.line
                && later.column == kept.column
                && later.message == kept.message
                && later.hint == kept.hint;
            if same {
                if let Some(more) = later.pages.take() {
                    kept.pages
                        .get_or_insert_with(Default::default)
                        .extend(*more);
                }
            }
            same
        });
        for pages in self.0.iter_mut().filter_map(|d| d.pages.as_mut()) {
            pages.sort();
            pages.dedup();
        }
    }

    /// Turns every warning into an error (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// At most this many messages are printed per file; the rest are counted in one line (a
/// 50 MB file with a broken link in every sentence must not print half a million lines).
pub const MAX_SHOWN_PER_FILE: usize = 50;

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown: std::collections::HashMap<Option<&str>, usize> = Default::default();
        let mut hidden: Vec<(Option<&str>, usize)> = Vec::new();
        for d in &self.0 {
            let n = shown.entry(d.file.as_deref()).or_default();
            *n += 1;
            if *n <= MAX_SHOWN_PER_FILE {
                writeln!(f, "{d}")?;
            } else {
                match hidden.last_mut() {
                    Some((file, count)) if *file == d.file.as_deref() => *count += 1,
                    _ => hidden.push((d.file.as_deref(), 1)),
                }
            }
        }
        for (file, count) in hidden {
            writeln!(
                f,
                "… và {count} lỗi/cảnh báo khác trong {} (chỉ hiện {MAX_SHOWN_PER_FILE} đầu tiên)",
                file.unwrap_or("toàn trang")
            )?;
        }
        Ok(())
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

/// 1-based line and column (in characters) of a byte offset in `text`.
/// Offsets past the end or inside a character are clamped, never panic.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// `line_col` for many offsets of one text in increasing order, in linear total time:
/// `line_col` walks from the start every time, which is quadratic on a large file with many
/// links (a 50 MB line took minutes). Offsets that go backwards restart from the start.
#[derive(Debug, Clone)]
pub struct LineCursor<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'a> LineCursor<'a> {
    pub fn new(text: &'a str) -> Self {
        LineCursor {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    /// 1-based line and column of `offset` (clamped like [`line_col`]).
    pub fn locate(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = LineCursor::new(self.text);
        }
        // Byte counts, not a char-by-char walk: every Markdown link asks, and the walk over
        // all bodies was a hundredth of a whole build. Columns count characters (UTF-8 lead
        // bytes).
        let seg = &self.text.as_bytes()[self.offset..offset];
        let chars = |b: &[u8]| b.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        match seg.iter().rposition(|&b| b == b'\n') {
            Some(last) => {
                self.line += seg.iter().filter(|&&b| b == b'\n').count();
                self.column = 1 + chars(&seg[last + 1..]);
            }
            None => self.column += chars(seg),
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

/// A path relative to `root`, with `/` separators, for messages that read the same everywhere.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    s.join("/")
}

/// Suggests the closest candidate to `word` (for typos in keys and ids), if one is close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Turns serde's "unknown field `x`, expected one of `a`, `b`" into a hint with a suggestion.
pub fn unknown_field_hint(message: &str) -> Option<String> {
    let line = message.lines().find(|l| l.contains("unknown field `"))?;
    let (field, expected) = name_and_expected(line.split_once("unknown field ")?.1)?;
    let mut hint = String::new();
    if let Some(s) = did_you_mean(field, expected.iter().copied()) {
        hint.push_str(&format!("có phải ý bạn là `{s}`? "));
    }
    if expected.is_empty() {
        hint.push_str(&format!("xoá khoá `{field}`"));
    } else {
        hint.push_str(&format!("các khoá hợp lệ: {}", expected.join(", ")));
    }
    Some(hint)
}

/// `` `NAME`, expected one of `a`, `b` `` (what follows serde's "unknown field " or "unknown
/// variant "): the name as written, which may hold a backtick itself (found by fuzzing: the
/// message came out garbled, with serde's English in it), and the names expected.
fn name_and_expected(rest: &str) -> Option<(&str, Vec<&str>)> {
    let rest = rest.strip_prefix('`')?;
    let (name, expected) = match rest.rsplit_once("`, expected ") {
        Some(parts) => parts,
        None => (rest.rsplit_once('`')?.0, ""),
    };
    Some((name, expected.split('`').skip(1).step_by(2).collect()))
}

/// A TOML parse/deserialise error as a diagnostic, with the line made a *file* line:
/// The separator [`with_fix`] puts between a message and its fix.
const FIX_SEPARATOR: char = '\u{1f}';

/// A message with its own fix, for code that reports through a `String` error (the figures
/// of a shortcode call): [`split_fix`] takes it apart where the diagnostic is made.
pub fn with_fix(message: impl std::fmt::Display, fix: impl std::fmt::Display) -> String {
    format!("{message}{FIX_SEPARATOR}{fix}")
}

/// The message and, when [`with_fix`] made it, its fix.
pub fn split_fix(s: &str) -> (&str, Option<&str>) {
    match s.split_once(FIX_SEPARATOR) {
        Some((m, f)) => (m, Some(f)),
        None => (s, None),
    }
}

/// `line_offset` is the number of file lines before the TOML block.
pub fn toml_diagnostic(
    err: &toml::de::Error,
    block: &str,
    file: &str,
    line_offset: usize,
    what: &str,
) -> Diagnostic {
    let msg = err.message().trim().to_string();
    let shown = toml_message_vi(&msg);
    let mut d = Diagnostic::error(format!("{what} không hợp lệ: {shown}")).in_file(file);
    if let Some(span) = err.span() {
        let (l, c) = line_col(block, span.start);
        d = d.at(l + line_offset, c);
    }
    let hint = unknown_field_hint(&msg).unwrap_or_else(|| toml_hint(&msg));
    d.hint(hint)
}

/// What TOML's date and time reader expected ("a two-digit month (MM)", "day between 01 and
/// 28"), in Vietnamese; `None` for a description this table does not know, which is then left
/// out of the message rather than shown in English.
fn datetime_expected_vi(expected: &str) -> Option<String> {
    const WHOLE: &[(&str, &str)] = &[
        ("a four-digit year (YYYY)", "năm viết đủ bốn chữ số (YYYY)"),
        ("a two-digit month (MM)", "tháng viết đủ hai chữ số (MM)"),
        ("a two-digit day (DD)", "ngày viết đủ hai chữ số (DD)"),
        ("a two-digit hour (HH)", "giờ viết đủ hai chữ số (HH)"),
        ("a two-digit minute (MM)", "phút viết đủ hai chữ số (MM)"),
        ("a two-digit second (SS)", "giây viết đủ hai chữ số (SS)"),
        (
            "year or hour",
            "năm viết đủ bốn chữ số (YYYY) hoặc giờ (HH)",
        ),
        ("`T` between date and time", "chữ T giữa ngày và giờ"),
        ("`-` (MM-DD)", "dấu - rồi tháng và ngày (MM-DD)"),
    ];
    const FIELDS: &[(&str, &str)] = &[
        ("year", "năm"),
        ("month", "tháng"),
        ("day", "ngày"),
        ("hour", "giờ"),
        ("hours", "giờ"),
        ("minute", "phút"),
        ("minutes", "phút"),
        ("second", "giây"),
        ("nanosecond", "phần lẻ của giây"),
    ];
    let e = expected.trim();
    if let Some((_, vi)) = WHOLE.iter().find(|(en, _)| *en == e) {
        return Some((*vi).to_string());
    }
    // "day between 01 and 28", or a field alone ("hour")
    let (field, range) = match e.split_once(" between ") {
        Some((f, r)) => (f, Some(r.split_once(" and ")?)),
        None => (e, None),
    };
    let field = FIELDS.iter().find(|(en, _)| *en == field)?.1;
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match range {
        None => Some(field.to_string()),
        Some((a, b)) if number(a) && number(b) => Some(format!("{field} từ {a} đến {b}")),
        Some(_) => None,
    }
}

/// The TOML parser's English message in plain Vietnamese, for the common cases staff meet
/// (an unclosed quote, a repeated key, a wrong type, an impossible date), then the table
/// [`TOML_MESSAGES`]; anything else is a syntax error at its place, in Vietnamese.
pub fn toml_message_vi(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or("").trim();
    let m = first.to_lowercase();
    if m.contains("duplicate key") {
        return "khoá này đã được khai báo ở trên (khoá bị lặp)".into();
    }
    if m.starts_with("invalid basic string")
        || m.starts_with("invalid literal string")
        || m.contains("unterminated")
        || m.contains("unclosed string")
    {
        return "chuỗi chưa đóng dấu nháy (thiếu dấu \" hoặc ' ở cuối)".into();
    }
    if let Some(rest) = first.strip_prefix("missing field ") {
        return format!("thiếu khoá bắt buộc {rest}");
    }
    if let Some(rest) = first.strip_prefix("unknown field ") {
        if let Some((k, _)) = name_and_expected(rest) {
            return format!("khoá `{k}` không có trong danh sách khoá hợp lệ");
        }
    }
    if let Some(rest) = first.strip_prefix("unknown variant ") {
        if let Some((v, expected)) = name_and_expected(rest) {
            return format!(
                "giá trị `{v}` không hợp lệ; dùng một trong: {}",
                expected.join(", ")
            );
        }
    }
    if let Some(rest) = first.strip_prefix("invalid type: ") {
        if let Some((got, want)) = rest.split_once(", expected ") {
            return format!(
                "sai kiểu giá trị: ghi {}, cần {}",
                type_vi(got),
                type_vi(want)
            );
        }
    }
    if m.contains("unclosed array") {
        return "danh sách chưa đóng dấu ]".into();
    }
    if m.contains("unclosed inline table") || m.contains("unclosed table") {
        return "bảng chưa đóng dấu }".into();
    }
    if m.contains("key with no value") {
        return "khoá chưa có giá trị (thiếu dấu = và giá trị)".into();
    }
    if m.contains("string values must be quoted") {
        return "giá trị chữ phải đặt trong dấu nháy kép \"…\"".into();
    }
    if m.starts_with("invalid unquoted key") || m.starts_with("invalid key") {
        return "tên khoá không hợp lệ (chỉ dùng chữ không dấu, số, - và _)".into();
    }
    if m.contains("date") || m.contains("time") || m.contains("offset") {
        let detail = first
            .split_once("expected ")
            .and_then(|(_, e)| datetime_expected_vi(e))
            .map(|e| format!(" (cần {e})"))
            .unwrap_or_default();
        return format!("ngày giờ không hợp lệ{detail}");
    }
    TOML_MESSAGES
        .iter()
        .find(|(en, _)| m.starts_with(en))
        .map_or("cú pháp TOML không đúng ở vị trí này", |(_, vi)| vi)
        .to_string()
}

/// The TOML parser's other messages (their start, lower case) in Vietnamese. Anything not
/// listed reads as a syntax error at its place: no English sentence reaches staff.
const TOML_MESSAGES: &[(&str, &str)] = &[
    (
        "unexpected key or value",
        "có chữ hoặc số thừa sau giá trị (mỗi dòng chỉ một khoá = giá trị; số thập phân dùng dấu chấm)",
    ),
    ("missing assignment", "thiếu dấu = giữa khoá và giá trị"),
    ("missing value", "thiếu giá trị sau dấu ="),
    ("missing comma between array", "thiếu dấu phẩy giữa các phần tử trong […]"),
    ("missing comma between key", "thiếu dấu phẩy giữa các cặp khoá = giá trị trong { … }"),
    ("missing key", "thiếu tên khoá trước dấu ="),
    ("unquoted keys cannot be empty", "tên khoá không được để trống"),
    ("unclosed array table", "tên bảng [[…]] chưa đóng dấu ]]"),
    ("missing table open", "tên bảng thiếu dấu [ ở đầu"),
    ("missing array opening", "danh sách thiếu dấu [ ở đầu"),
    ("missing inline table opening", "bảng thiếu dấu { ở đầu"),
    ("unexpected leading zero", "số không viết chữ số 0 ở đầu (viết 5, không viết 05)"),
    ("redundant numeric sign", "dấu + hoặc - bị thừa"),
    ("unexpected sign", "dấu + hoặc - đặt sai chỗ"),
    ("integers with a radix", "số viết theo hệ khác (0x, 0o, 0b) không được có dấu"),
    ("radix must be lowercase", "tiền tố hệ số viết chữ thường (0x, 0o, 0b)"),
    ("missing escaped value", "sau dấu \\ thiếu ký tự (viết \\\\ để có một dấu \\)"),
    ("invalid escape", "dấu \\ trong chuỗi \"…\" phải viết \\\\ (hoặc dùng chuỗi '…')"),
    ("too few unicode value digits", "mã ký tự \\u cần đủ 4 (hoặc \\U cần 8) chữ số"),
    ("carriage return", "ký tự xuống dòng không hợp lệ (lưu tệp lại với xuống dòng kiểu Unix hoặc Windows)"),
    ("unexpected content", "có nội dung không đọc được ở đây"),
    ("keys cannot be multi-line", "tên khoá không được là chuỗi nhiều dòng"),
    ("invalid number", "số viết sai (chỉ chữ số, một dấu chấm thập phân, không dấu phân cách hàng nghìn)"),
    ("invalid length", "số phần tử không đúng"),
    ("invalid value", "giá trị không hợp lệ"),
];

fn type_vi(s: &str) -> String {
    // serde names a float "floating point `5.5`": one word, so its value is found like others'
    let s = s.trim().replacen("floating point", "float", 1);
    let s = s.as_str();
    let (kind, value) = match s.split_once(' ') {
        Some((k, v)) if v.starts_with('`') || v.starts_with('"') => (k, Some(v)),
        _ => (s, None),
    };
    let name = match kind.trim_start_matches("a ").trim_start_matches("an ") {
        "integer" | "i64" | "u64" | "i32" | "u32" | "usize" => "số nguyên",
        "float" | "f64" | "floating" => "số thập phân",
        "string" if value.is_some() => "chuỗi",
        "string" => "chuỗi \"…\"",
        "boolean" | "bool" => "true/false",
        "sequence" | "array" => "danh sách […]",
        "map" | "table" | "struct" => "bảng khoá = giá trị",
        "datetime" | "date" | "TOML datetime" => "ngày (ví dụ 2022-11-30)",
        other => other,
    };
    // serde names an integer beyond i64 "`…` as i128"
    match value.map(|v| {
        v.replace(" as i128", " (quá lớn)")
            .replace(" as u128", " (quá lớn)")
    }) {
        Some(v) => format!("{name} {v}"),
        None => name.to_string(),
    }
}

fn toml_hint(msg: &str) -> String {
    // the parser's words only: a value or key staff wrote ("date" among `sort_by`'s values)
    // says nothing of the problem
    let m: String = msg.to_lowercase().split('`').step_by(2).collect();
    if m.starts_with("unknown variant") {
        "viết một trong các giá trị nêu trên, trong dấu nháy kép \"…\"".into()
    } else if m.contains("duplicate key") {
        "mỗi khoá chỉ được khai báo một lần: xoá hoặc đổi tên khoá lặp".into()
    } else if m.contains("invalid type") {
        "kiểm tra kiểu giá trị: chuỗi đặt trong dấu \"…\", danh sách trong […], số không có dấu nháy"
            .into()
    } else if m.contains("missing field") {
        "thêm khoá còn thiếu".into()
    } else if m.contains("datetime") || m.contains("date") {
        "ngày viết theo dạng 2022-12-12 hoặc 2022-12-12T09:30:00+07:00".into()
    } else {
        "sửa cú pháp TOML tại vị trí này (chuỗi phải đóng dấu \", mỗi dòng một khoá = giá trị)"
            .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_merges_one_template_error_over_many_pages() {
        let at = |page: &str| {
            Diagnostic::error("mẫu giao diện \"page.html\" có lỗi")
                .in_file("templates/page.html")
                .at(4, 7)
                .on_page(page)
        };
        let mut d = Diagnostics(vec![
            at("content/c.md"),
            Diagnostic::error("khác").in_file("content/a.md"),
            at("content/a.md"),
            at("content/b.md"),
            at("content/a.md"),
            at("content/b.md").hint("một gợi ý khác"),
        ]);
        d.finish();
        let text = d.to_string();
        assert_eq!(d.error_count(), 3, "{text}");
        assert!(
            text.contains("có lỗi (khi dựng trang cho content/a.md và 2 trang khác)\n"),
            "{text}"
        );
        assert!(
            text.contains("có lỗi (khi dựng trang cho content/b.md)\n"),
            "{text}"
        );
        assert!(text.starts_with("lỗi: content/a.md: khác\n"), "{text}");
    }

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let t = "ab\nđắk x";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        let x = t.find('x').unwrap();
        assert_eq!(line_col(t, x), (2, 5));
        assert_eq!(line_col(t, 999), (2, 6));
        // inside a multi-byte char: clamped back
        assert_eq!(line_col(t, 4), (2, 1));
    }

    #[test]
    fn cursor_matches_line_col() {
        let t = "ab\nđắk x\n\nyz";
        let mut c = LineCursor::new(t);
        for off in [0, 1, 3, 4, 6, 9, 11, 12, 999, 2, 0] {
            assert_eq!(c.locate(off), line_col(t, off), "{off}");
        }
    }

    #[test]
    fn toml_messages_in_vietnamese() {
        for (en, vi) in [
            ("invalid basic string, expected `\"`", "chưa đóng dấu nháy"),
            ("duplicate key", "khoá bị lặp"),
            (
                "invalid type: integer `5`, expected a string",
                "ghi số nguyên `5`, cần chuỗi",
            ),
            (
                "invalid date, expected day between 01 and 28",
                "ngày từ 01 đến 28",
            ),
            ("missing field `title`", "thiếu khoá bắt buộc `title`"),
            ("something new", "cú pháp TOML không đúng ở vị trí này"),
            (
                "unexpected key or value, expected newline, `#`",
                "có chữ hoặc số thừa sau giá trị",
            ),
        ] {
            let got = toml_message_vi(en);
            assert!(got.contains(vi), "{en} → {got}");
        }
    }

    /// Whatever staff break in a TOML file, the message they read has no English sentence
    /// from the parser in it.
    #[test]
    fn no_english_from_the_toml_parser() {
        let broken = [
            "a = 540,5",
            "a = 1 2",
            "a = ",
            "= 1",
            "a = [1 2]",
            "a = { b = 1 c = 2 }",
            "[[a]\nb = 1",
            "[a\nb = 1",
            "a = 05",
            "a = +-1",
            "a = \"x",
            "a = 'x",
            "a = \"\\q\"",
            "a = \"\\u12\"",
            "a = 2022-13-01",
            "a = 30/11/2022",
            "a = “x”",
            "a.b = 1\na = 2",
            "a = 1\na = 2",
            "a = 0X1F",
            "a = -0x1",
            "\"\"\"a\"\"\" = 1",
            "a = [1,,2]",
            "a = {,}",
            "a = 1__0",
            "a = 1.",
            "a = .5",
            "a = 1e",
            "a = tru",
            "a = nan1",
            "a = 1\r",
            "[a]\n[a]",
        ];
        for text in broken {
            let Err(e) = toml::from_str::<toml::Table>(text) else {
                panic!("{text:?} parsed");
            };
            let shown = toml_message_vi(e.message().trim());
            let english = [
                "expected",
                "invalid",
                "unexpected",
                "missing",
                "unclosed",
                "key",
            ];
            assert!(
                !english.iter().any(|w| shown.contains(w)),
                "{text:?}: {} → {shown}",
                e.message()
            );
        }
    }

    /// Found by fuzzing the report files: a year of five digits (`as_of = 12022-11-30`) or a
    /// negative one showed the date reader's English ("cần a four-digit year (YYYY)").
    #[test]
    fn every_date_and_time_message_is_vietnamese() {
        let cases = [
            (
                "a = 12022-11-30",
                "ngày giờ không hợp lệ (cần năm viết đủ bốn chữ số (YYYY))",
            ),
            (
                "a = -2022-11-30",
                "ngày giờ không hợp lệ (cần năm viết đủ bốn chữ số (YYYY) hoặc giờ (HH))",
            ),
            (
                "a = 2022-1-30",
                "ngày giờ không hợp lệ (cần tháng viết đủ hai chữ số (MM))",
            ),
            (
                "a = 2022-11-3",
                "ngày giờ không hợp lệ (cần ngày viết đủ hai chữ số (DD))",
            ),
            (
                "a = 2022-11-30T1:00:00",
                "ngày giờ không hợp lệ (cần giờ viết đủ hai chữ số (HH))",
            ),
            (
                "a = 2022-11-30T10:0:00",
                "ngày giờ không hợp lệ (cần phút viết đủ hai chữ số (MM))",
            ),
            (
                "a = 2022-11-30T10:00:0",
                "ngày giờ không hợp lệ (cần giây viết đủ hai chữ số (SS))",
            ),
            (
                "a = 2022-11-30T25:00:00",
                "ngày giờ không hợp lệ (cần giờ từ 00 đến 23)",
            ),
            (
                "a = 2022-02-30",
                "ngày giờ không hợp lệ (cần ngày từ 01 đến 28)",
            ),
            (
                "a = 2022-13-01",
                "ngày giờ không hợp lệ (cần tháng từ 01 đến 12)",
            ),
            ("a = 2022-11-30T", "ngày giờ không hợp lệ (cần giờ)"),
            (
                "a = 2022-11-30T10:00:00+25:00",
                "ngày giờ không hợp lệ (cần giờ từ 00 đến 23)",
            ),
            (
                "a = 2022-11-30X10:00:00",
                "ngày giờ không hợp lệ (cần chữ T giữa ngày và giờ)",
            ),
            (
                "a = 1979-05-27T07:32:00.",
                "ngày giờ không hợp lệ (cần phần lẻ của giây)",
            ),
            (
                "a = 2022-11",
                "ngày giờ không hợp lệ (cần dấu - rồi tháng và ngày (MM-DD))",
            ),
        ];
        for (text, want) in cases {
            let e = toml::from_str::<toml::Table>(text).unwrap_err();
            assert_eq!(
                toml_message_vi(e.message().trim()),
                want,
                "{text}: {}",
                e.message()
            );
        }
        // serde's "as i128" (a year beyond i32)
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Year {
            year: i32,
        }
        let e = toml::from_str::<Year>("year = 99999999999999999999").unwrap_err();
        assert_eq!(
            toml_message_vi(e.message().trim()),
            "sai kiểu giá trị: ghi số nguyên `99999999999999999999` (quá lớn), cần số nguyên"
        );
        // found by fuzzing: a number where a date is written, a value with a backtick
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct AsOf {
            as_of: toml::value::Datetime,
        }
        let e = toml::from_str::<AsOf>("as_of = 4444444335").unwrap_err();
        assert_eq!(
            toml_message_vi(e.message().trim()),
            "sai kiểu giá trị: ghi số nguyên `4444444335`, cần ngày (ví dụ 2022-11-30)"
        );
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        #[serde(rename_all = "lowercase")]
        enum Sort {
            Date,
            Weight,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct S {
            sort_by: Sort,
        }
        let e = toml::from_str::<S>("sort_by = \"ng`ay\"").unwrap_err();
        assert_eq!(
            toml_message_vi(e.message().trim()),
            "giá trị `ng`ay` không hợp lệ; dùng một trong: date, weight"
        );
        let e = toml::from_str::<S>("sort_by = \"ngay\"").unwrap_err();
        assert_eq!(
            toml_hint(e.message()),
            "viết một trong các giá trị nêu trên, trong dấu nháy kép \"…\"",
            "not a hint about dates because `date` is one of the values"
        );
        // a description not in the table is left out, not shown in English
        assert_eq!(
            toml_message_vi("invalid date, expected something new"),
            "ngày giờ không hợp lệ"
        );
    }

    #[test]
    fn unknown_field_suggests() {
        let h =
            unknown_field_hint("unknown field `titel`, expected one of `title`, `date`").unwrap();
        assert!(h.contains("`title`?"), "{h}");
        assert!(h.contains("title, date"));
    }

    #[test]
    fn display_has_file_line_col() {
        let d = Diagnostic::error("sai")
            .in_file("content/a.md")
            .at(3, 7)
            .hint("sửa");
        assert_eq!(
            d.to_string(),
            "lỗi: content/a.md:3:7: sai\n  → cách sửa: sửa"
        );
    }
}
