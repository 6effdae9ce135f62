//! Splits a content file into its TOML front matter and its Markdown body, keeping the file
//! line numbers of both: toml reports positions inside the block it is given, and staff need
//! positions in the file they edit.
//!
//! The front matter is the block between a first line `+++` and the next line `+++`. A `+++`
//! later in the body is body text. CRLF line endings and a UTF-8 BOM are accepted.

use serde::de::DeserializeOwned;

use crate::diag::{toml_diagnostic, Diagnostic};

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
            SplitError::NotAtTop { line } => (*line, "chuyển khối `+++ … +++` lên dòng đầu tiên của tệp; không để dòng trống hay chữ nào phía trước"),
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
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() == "---" {
        return Err(SplitError::Yaml);
    }
    if !is_delimiter(first) {
        // Is there a delimiter somewhere below? Then it is misplaced, else it is missing.
        return match text.split_inclusive('\n').position(is_delimiter) {
            Some(i) => Err(SplitError::NotAtTop { line: i + 1 }),
            None => Err(SplitError::Missing),
        };
    }
    let fm_start = first.len();
    let mut pos = fm_start;
    for (line_no, line) in (2..).zip(lines) {
        if is_delimiter(line) {
            let body_start = pos + line.len();
            return Ok(Split {
                front_matter: &text[fm_start..pos],
                front_matter_line_offset: 1,
                body: &text[body_start..],
                body_line_offset: line_no,
                body_byte_offset: bom + body_start,
            });
        }
        pos += line.len();
    }
    Err(SplitError::Unclosed { open_line: 1 })
}

/// Deserialises the front matter of a split file, reporting TOML errors at file lines.
pub fn parse<T: DeserializeOwned>(split: &Split<'_>, file: &str) -> Result<T, Diagnostic> {
    toml::from_str(split.front_matter).map_err(|e| {
        toml_diagnostic(
            &e,
            split.front_matter,
            file,
            split.front_matter_line_offset,
            "Phần thông tin đầu bài",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_cases() {
        // (input, expected front matter, expected body, body line offset) or error
        let ok: &[(&str, &str, &str, usize)] = &[
            (
                "+++\ntitle = \"a\"\n+++\nbody\n",
                "title = \"a\"\n",
                "body\n",
                3,
            ),
            ("+++\ntitle = \"a\"\n+++", "title = \"a\"\n", "", 3),
            (
                "+++\r\ntitle = \"a\"\r\n+++\r\nbody",
                "title = \"a\"\r\n",
                "body",
                3,
            ),
            ("\u{feff}+++\nx = 1\n+++\n", "x = 1\n", "", 3),
            ("+++\n+++\n", "", "", 2),
            ("+++  \nx = 1\n+++ \nb\n+++\nc", "x = 1\n", "b\n+++\nc", 3),
            (
                "+++\na = 1\nb = 2\n+++\n\n# H\n",
                "a = 1\nb = 2\n",
                "\n# H\n",
                4,
            ),
        ];
        for (input, fm, body, off) in ok {
            let s = split(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert_eq!(s.front_matter, *fm, "{input:?}");
            assert_eq!(s.body, *body, "{input:?}");
            assert_eq!(s.body_line_offset, *off, "{input:?}");
        }
        let bad: &[(&str, SplitError)] = &[
            ("", SplitError::Empty),
            ("  \n\n", SplitError::Empty),
            (
                "+++\ntitle = \"a\"\nbody",
                SplitError::Unclosed { open_line: 1 },
            ),
            ("+++", SplitError::Unclosed { open_line: 1 }),
            ("\n+++\nx=1\n+++\n", SplitError::NotAtTop { line: 2 }),
            ("title = 1\n", SplitError::Missing),
            ("++++\nx\n++++\n", SplitError::Missing),
            ("---\ntitle: x\n---\n", SplitError::Yaml),
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

    #[test]
    fn errors_use_file_lines() {
        let text = "+++\n\ntitle = \"a\" x\n+++\n";
        let s = split(text).unwrap();
        let d = parse::<Fm>(&s, "content/a.md").unwrap_err();
        assert_eq!(d.file.as_deref(), Some("content/a.md"));
        assert_eq!(d.line, Some(3), "{d}");
        let text = "+++\ntitle = \"a\"\ntitel = \"b\"\n+++\n";
        let d = parse::<Fm>(&split(text).unwrap(), "a.md").unwrap_err();
        assert_eq!(d.line, Some(3), "{d}");
        assert!(d.hint.unwrap().contains("title"));
    }
}
