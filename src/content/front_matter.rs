//! Splits a content file into its TOML front matter and its Markdown body, keeping the file
//! line numbers of both: toml reports positions inside the block it is given, and staff need
//! positions in the file they edit.
//!
//! The front matter is the block between a first line `+++` (blank lines before it are
//! skipped, as Zola does) and the next line `+++`. A `+++` later in the body is body text.
//! CRLF line endings and a UTF-8 BOM are accepted.

use serde::de::DeserializeOwned;
use toml::de::DeTable;

use super::keys::{self, fields_of, FileKind};
use crate::diag::{line_col, toml_diagnostic, Diagnostic};

/// A split content file. Borrowed from the (already normalised) file text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The TOML text between the delimiters.
    pub front_matter: &'a str,
    /// Number of file lines before the first TOML line (1 for the opening `+++`).
    pub front_matter_line_offset: usize,
    pub body: &'a str,
    /// Number of file lines before the first body line.
    pub body_line_offset: usize,
    /// Byte offset of the body in the file text.
    pub body_byte_offset: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("tệp trống: thiếu phần thông tin đầu bài (front matter)")]
    Empty,
    #[error("thiếu dấu `+++` đóng phần thông tin đầu bài mở ở dòng {open_line}")]
    Unclosed { open_line: usize },
    #[error("phần thông tin đầu bài phải nằm ở đầu tệp, nhưng dấu `+++` đầu tiên ở dòng {line}")]
    NotAtTop { line: usize },
    #[error("thiếu phần thông tin đầu bài (front matter) giữa hai dòng `+++`")]
    Missing,
    #[error(
        "phần thông tin đầu bài viết theo kiểu YAML (`---`), bantin cần TOML giữa hai dòng `+++`"
    )]
    Yaml,
}

impl SplitError {
    /// Line to point at, and what to do.
    pub fn line_and_hint(&self) -> (usize, &'static str) {
        match self {
            SplitError::Empty => (1, "mở đầu tệp bằng:\n    +++\n    title = \"Tiêu đề\"\n    date = 2024-01-31\n    +++"),
            SplitError::Unclosed { open_line } => (*open_line, "thêm một dòng chỉ có `+++` ngay sau khối thông tin (title, date, …), trước nội dung bài"),
            SplitError::NotAtTop { line } => (*line, "chuyển khối `+++ … +++` lên đầu tệp; phía trước nó chỉ được có dòng trống, không có chữ nào"),
            SplitError::Missing => (1, "mở đầu tệp bằng một dòng `+++`, các dòng khoá = giá trị (title = \"…\"), rồi một dòng `+++`"),
            SplitError::Yaml => (1, "thay hai dòng `---` bằng `+++` và viết mỗi khoá dạng title = \"Tiêu đề\" (dấu =, chuỗi trong dấu nháy kép)"),
        }
    }

    pub fn to_diagnostic(&self, file: &str) -> Diagnostic {
        let (line, hint) = self.line_and_hint();
        Diagnostic::error(self.to_string())
            .in_file(file)
            .at(line, 1)
            .hint(hint)
    }
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end_matches(['\r', '\n']).trim_end() == "+++"
}

/// Splits `text` into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &text[bom..];
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    // Blank lines before the opening `+++` are skipped: Zola allows them, and files copied
    // from its sites have them.
    let mut lines = text.split_inclusive('\n');
    let mut fm_start = 0;
    let mut open_line = 1;
    let first = loop {
        // never runs out: the text has a non-blank character
        let line = lines.next().unwrap_or("+++");
        if !line.trim().is_empty() {
            break line;
        }
        fm_start += line.len();
        open_line += 1;
    };
    if first.trim() == "---" {
        return Err(SplitError::Yaml);
    }
    if first.trim() != "+++" {
        // Is there a delimiter somewhere below? Then it is misplaced, else it is missing.
        return match text.split_inclusive('\n').position(is_delimiter) {
            Some(i) => Err(SplitError::NotAtTop { line: i + 1 }),
            None => Err(SplitError::Missing),
        };
    }
    fm_start += first.len();
    let mut pos = fm_start;
    for (line_no, line) in (open_line + 1..).zip(lines) {
        if is_delimiter(line) {
            let body_start = pos + line.len();
            return Ok(Split {
                front_matter: &text[fm_start..pos],
                front_matter_line_offset: open_line,
                body: &text[body_start..],
                body_line_offset: line_no,
                body_byte_offset: bom + body_start,
            });
        }
        pos += line.len();
    }
    Err(SplitError::Unclosed { open_line })
}

/// Deserialises the front matter of a split file (a `kind` file) into `T`. Every problem is
/// reported at its file line: a TOML error, or each key `T` does not take (see
/// [`keys`](super::keys)) together with type errors in the rest.
pub fn parse<T: DeserializeOwned>(
    split: &Split<'_>,
    file: &str,
    kind: FileKind,
) -> Result<T, Vec<Diagnostic>> {
    let toml_error = |e: &toml::de::Error| {
        toml_diagnostic(
            e,
            split.front_matter,
            file,
            split.front_matter_line_offset,
            "Phần thông tin đầu bài",
        )
    };
    let mut table = DeTable::parse(split.front_matter).map_err(|e| vec![toml_error(&e)])?;
    let at = |offset: usize| {
        let (l, c) = line_col(split.front_matter, offset);
        (l + split.front_matter_line_offset, c)
    };
    let mut diags = keys::check(table.get_mut(), kind, fields_of::<T>(), file, &at);
    match T::deserialize(toml::de::Deserializer::from(table)) {
        Ok(v) if diags.is_empty() => Ok(v),
        Ok(_) => Err(diags),
        Err(e) => {
            diags.push(toml_error(&e));
            Err(diags)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_cases() {
        // (input, front matter, body, front matter line offset, body line offset) or error
        let ok: &[(&str, &str, &str, usize, usize)] = &[
            (
                "+++\ntitle = \"a\"\n+++\nbody\n",
                "title = \"a\"\n",
                "body\n",
                1,
                3,
            ),
            ("+++\ntitle = \"a\"\n+++", "title = \"a\"\n", "", 1, 3),
            (
                "+++\r\ntitle = \"a\"\r\n+++\r\nbody",
                "title = \"a\"\r\n",
                "body",
                1,
                3,
            ),
            ("\u{feff}+++\nx = 1\n+++\n", "x = 1\n", "", 1, 3),
            ("+++\n+++\n", "", "", 1, 2),
            (
                "+++  \nx = 1\n+++ \nb\n+++\nc",
                "x = 1\n",
                "b\n+++\nc",
                1,
                3,
            ),
            (
                "+++\na = 1\nb = 2\n+++\n\n# H\n",
                "a = 1\nb = 2\n",
                "\n# H\n",
                1,
                4,
            ),
            // blank (whitespace-only) lines before the opening `+++`, as Zola allows
            ("\n+++\nx=1\n+++\n", "x=1\n", "", 2, 4),
            ("  \r\n\t\n+++\r\nx = 1\r\n+++\r\nb", "x = 1\r\n", "b", 3, 5),
            ("\u{feff}\n\n+++\nx = 1\n+++\nb\n", "x = 1\n", "b\n", 3, 5),
            ("  +++\nx = 1\n+++\n", "x = 1\n", "", 1, 3),
        ];
        for (input, fm, body, fm_off, off) in ok {
            let s = split(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(s.front_matter, *fm, "{input:?}");
            assert_eq!(s.body, *body, "{input:?}");
            assert_eq!(s.front_matter_line_offset, *fm_off, "{input:?}");
            assert_eq!(s.body_line_offset, *off, "{input:?}");
            assert_eq!(&input[s.body_byte_offset..], *body, "{input:?}");
        }
        let bad: &[(&str, SplitError)] = &[
            ("", SplitError::Empty),
            ("  \n\n", SplitError::Empty),
            (
                "+++\ntitle = \"a\"\nbody",
                SplitError::Unclosed { open_line: 1 },
            ),
            ("+++", SplitError::Unclosed { open_line: 1 }),
            ("\n\n+++\nx = 1\n", SplitError::Unclosed { open_line: 3 }),
            ("chữ\n\n+++\nx=1\n+++\n", SplitError::NotAtTop { line: 3 }),
            ("title = 1\n", SplitError::Missing),
            ("++++\nx\n++++\n", SplitError::Missing),
            ("---\ntitle: x\n---\n", SplitError::Yaml),
            ("\n---\ntitle: x\n---\n", SplitError::Yaml),
        ];
        for (input, err) in bad {
            assert_eq!(split(input).unwrap_err(), *err, "{input:?}");
        }
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
    }

    fn parse_err(text: &str) -> Vec<Diagnostic> {
        parse::<Fm>(&split(text).unwrap(), "content/a.md", FileKind::Page).unwrap_err()
    }

    #[test]
    fn errors_use_file_lines() {
        let d = &parse_err("+++\n\ntitle = \"a\" x\n+++\n")[0];
        assert_eq!(d.file.as_deref(), Some("content/a.md"));
        assert_eq!(d.line, Some(3), "{d}");
        let d = &parse_err("+++\ntitle = \"a\"\ntitel = \"b\"\n+++\n")[0];
        assert_eq!(d.line, Some(3), "{d}");
        assert!(d.hint.as_ref().unwrap().contains("title"));
        // blank lines before the opening `+++` move every line
        let d = &parse_err("\n \n+++\ntitle = \"a\"\ntitel = \"b\"\n+++\n")[0];
        assert_eq!((d.line, d.column), (Some(5), Some(1)), "{d}");
        let d = &parse_err("\n+++\ntitle = 1\n+++\n")[0];
        assert_eq!(d.line, Some(3), "{d}");
    }

    /// Every unknown key at once (serde stops at the first), each at its own place, plus a
    /// type error in the keys that are known.
    #[test]
    fn every_unknown_key_of_a_file_is_reported_in_one_run() {
        let text = "+++\ntitle = 1\nzeta = 1\n  titel = \"b\"\nalpha = 2\n+++\n";
        let got: Vec<String> = parse_err(text).iter().map(|d| d.to_string()).collect();
        let valid = "các khoá hợp lệ: title; thông tin riêng cho giao diện đặt dưới [extra]";
        let unknown = "Phần thông tin đầu bài không hợp lệ: khoá";
        assert_eq!(
            got,
            [
                format!("lỗi: content/a.md:3:1: {unknown} `zeta` không có trong danh sách khoá hợp lệ\n  → cách sửa: {valid}"),
                format!("lỗi: content/a.md:4:3: {unknown} `titel` không có trong danh sách khoá hợp lệ\n  → cách sửa: có phải ý bạn là `title`? {valid}"),
                format!("lỗi: content/a.md:5:1: {unknown} `alpha` không có trong danh sách khoá hợp lệ\n  → cách sửa: {valid}"),
                "lỗi: content/a.md:2:9: Phần thông tin đầu bài không hợp lệ: sai kiểu giá trị: ghi số nguyên `1`, cần chuỗi \"…\"\n  → cách sửa: kiểm tra kiểu giá trị: chuỗi đặt trong dấu \"…\", danh sách trong […], số không có dấu nháy".to_string(),
            ]
        );
    }
}
