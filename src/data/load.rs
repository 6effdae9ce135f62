//! Reads `content/data/`: `areas.toml`, `programs.toml`, `reports/*.toml`. Every file is read
//! and parsed even when an earlier one fails, so staff see all problems at once.

use std::path::Path;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::habits;
use super::model::{AreasFile, ProgramsFile, ReportRaw};
use crate::diag::{display_path, line_col, toml_diagnostic, Diagnostic};
use crate::paths::is_safe_slug;
use crate::source::read_text;

/// A data file's text, kept so spans can be turned into line:column.
#[derive(Debug, Clone)]
pub struct Src {
    pub display: String,
    pub text: String,
}

impl Src {
    pub fn pos(&self, span: std::ops::Range<usize>) -> (usize, usize) {
        line_col(&self.text, span.start)
    }

    /// An error at a span of this file.
    pub fn error(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> Diagnostic {
        let (l, c) = self.pos(span);
        Diagnostic::error(msg).in_file(&self.display).at(l, c)
    }

    pub fn warning(&self, span: std::ops::Range<usize>, msg: impl Into<String>) -> Diagnostic {
        let (l, c) = self.pos(span);
        Diagnostic::warning(msg).in_file(&self.display).at(l, c)
    }
}

/// Parsed but unresolved data files.
#[derive(Debug, Default)]
pub struct RawData {
    pub areas: Option<(Src, AreasFile)>,
    pub programs: Option<(Src, ProgramsFile)>,
    /// (file, report id = file stem, parsed report)
    pub reports: Vec<(Src, String, ReportRaw)>,
}

/// What `areas.toml` and `programs.toml` are called in messages.
pub(crate) const AREAS_FILE: &str = "Tệp địa bàn";
pub(crate) const PROGRAMS_FILE: &str = "Tệp chương trình, dự án";

/// The keys of a report's first part (before any `[table]` line).
const REPORT_KEYS: &[&str] = &[
    "project",
    "area",
    "year",
    "as_of",
    "money_unit",
    "source",
    "illustrative",
];

/// Parses one data file. Its bare numbers that a Vietnamese reader reads differently from
/// TOML (1.250) are errors: the file's figures are not used then. `top_keys`: the keys of
/// the file's first part, for the message about one written under a `[table]`.
fn parse<T: DeserializeOwned>(
    root: &Path,
    path: &Path,
    max: u64,
    what: &str,
    top_keys: &[&str],
) -> Result<(Src, T), Vec<Diagnostic>> {
    let display = display_path(root, path);
    let text = read_text(path, &display, max).map_err(|d| vec![d])?;
    parse_text(display, text, what, top_keys)
}

/// [`parse`] of a text already read (as `read_text` gives it: no BOM, NFC).
pub(crate) fn parse_text<T: DeserializeOwned>(
    display: String,
    text: String,
    what: &str,
    top_keys: &[&str],
) -> Result<(Src, T), Vec<Diagnostic>> {
    match toml::from_str::<T>(&text) {
        Ok(v) => {
            let ambiguous = habits::ambiguous_number_errors(&text, &display);
            if !ambiguous.is_empty() {
                return Err(ambiguous);
            }
            Ok((Src { display, text }, v))
        }
        Err(e) => Err(vec![parse_error(&e, &text, &display, what, top_keys)]),
    }
}

/// A parse error in Vietnamese, saying the fix: a staff habit seen on the line, a key of the
/// first part written under a `[table]`, or the parser's error translated.
fn parse_error(
    e: &toml::de::Error,
    text: &str,
    display: &str,
    what: &str,
    top_keys: &[&str],
) -> Diagnostic {
    let Some(span) = e.span() else {
        return toml_diagnostic(e, text, display, 0, what);
    };
    let (l, c) = line_col(text, span.start);
    let line = text.lines().nth(l.saturating_sub(1)).unwrap_or("");
    let known = habits::explain(line).or_else(|| misplaced_key(text, l, top_keys));
    match known {
        Some((msg, hint)) => Diagnostic::error(format!("{what} không hợp lệ: {msg}"))
            .in_file(display)
            .at(l, c)
            .hint(hint),
        None => toml_diagnostic(e, text, display, 0, what),
    }
}

/// A key of the file's first part written on line `l`, below a `[table]` line: the message
/// and the fix.
fn misplaced_key(text: &str, l: usize, top_keys: &[&str]) -> Option<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let key = lines.get(l.checked_sub(1)?)?.split('=').next()?.trim();
    if !top_keys.contains(&key) {
        return None;
    }
    let header = lines[..l - 1]
        .iter()
        .rev()
        .map(|h| h.trim())
        .find(|h| h.starts_with('['))?;
    Some((
        format!("khoá `{key}` thuộc phần đầu tệp nhưng đang nằm dưới dòng {header}"),
        format!("chuyển dòng `{key} = …` lên trên, trước dòng [ đầu tiên: mọi khoá viết sau dòng {header} đều thuộc bảng đó"),
    ))
}

/// Reads the data folder; `None` when the site has no `content/data/`.
pub fn load(root: &Path, max_file_size: u64, diags: &mut Vec<Diagnostic>) -> Option<RawData> {
    let dir = root.join("content").join(crate::config::DATA_DIR);
    if !dir.is_dir() {
        return None;
    }
    let mut raw = RawData::default();
    let areas = dir.join("areas.toml");
    if areas.is_file() {
        match parse::<AreasFile>(root, &areas, max_file_size, AREAS_FILE, &[]) {
            Ok(v) => raw.areas = Some(v),
            Err(d) => diags.extend(d),
        }
    }
    let programs = dir.join("programs.toml");
    if programs.is_file() {
        match parse::<ProgramsFile>(root, &programs, max_file_size, PROGRAMS_FILE, &[]) {
            Ok(v) => raw.programs = Some(v),
            Err(d) => diags.extend(d),
        }
    }
    let mut report_files = Vec::new();
    for entry in crate::fsutil::walk_sorted(&dir).min_depth(1) {
        let Ok(e) = entry else { continue };
        let rel = display_path(&dir, e.path());
        if e.path_is_symlink() {
            diags.push(
                Diagnostic::error("liên kết tượng trưng (symlink) không được theo")
                    .in_file(display_path(root, e.path()))
                    .hint("sao chép tệp thật vào content/data/ thay cho liên kết"),
            );
            continue;
        }
        if !e.file_type().is_file() || rel.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        if rel == "areas.toml" || rel == "programs.toml" {
            continue;
        }
        if rel.starts_with("reports/")
            && rel.ends_with(".toml")
            && !rel["reports/".len()..].contains('/')
        {
            report_files.push(e.path().to_path_buf());
        } else {
            diags.push(
                Diagnostic::warning("tệp này trong content/data/ không được dùng")
                    .in_file(display_path(root, e.path()))
                    .hint("dữ liệu gồm areas.toml, programs.toml và các tệp reports/<mã-báo-cáo>.toml"),
            );
        }
    }
    let parsed: Vec<Result<(Src, String, ReportRaw), Vec<Diagnostic>>> = report_files
        .par_iter()
        .map(|p| {
            let id = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let display = display_path(root, p);
            let text = read_text(p, &display, max_file_size).map_err(|d| vec![d])?;
            report_from_text(display, text, id)
        })
        .collect();
    for p in parsed {
        match p {
            Ok(r) => raw.reports.push(r),
            Err(d) => diags.extend(d),
        }
    }
    Some(raw)
}

/// A report file's text (as `read_text` gives it) parsed as `load` parses it; `id` is the file
/// stem.
pub(crate) fn report_from_text(
    display: String,
    text: String,
    id: String,
) -> Result<(Src, String, ReportRaw), Vec<Diagnostic>> {
    let what = "Báo cáo số liệu";
    let (src, r) = parse_text::<ReportRaw>(display, text, what, REPORT_KEYS)?;
    if !is_safe_slug(&id) {
        return Err(vec![Diagnostic::error(format!(
            "tên tệp báo cáo \"{id}\" không dùng được làm mã"
        ))
        .in_file(&src.display)
        .hint(format!(
            "đổi tên tệp thành chữ thường không dấu, số, gạch ngang, ví dụ {}.toml",
            crate::locale::slugify(&id)
        ))]);
    }
    Ok((src, id, r))
}
