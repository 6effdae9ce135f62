//! Reads `content/data/`: `areas.toml`, `programs.toml`, `reports/*.toml`. Every file is read
//! and parsed even when an earlier one fails, so staff see all problems at once.

use std::path::Path;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

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

fn parse<T: DeserializeOwned>(
    root: &Path,
    path: &Path,
    max: u64,
    what: &str,
) -> Result<(Src, T), Diagnostic> {
    let display = display_path(root, path);
    let text = read_text(path, &display, max)?;
    match toml::from_str::<T>(&text) {
        Ok(v) => Ok((Src { display, text }, v)),
        Err(e) => Err(toml_diagnostic(&e, &text, &display, 0, what)),
    }
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
        match parse::<AreasFile>(root, &areas, max_file_size, "Tệp địa bàn") {
            Ok(v) => raw.areas = Some(v),
            Err(d) => diags.push(d),
        }
    }
    let programs = dir.join("programs.toml");
    if programs.is_file() {
        match parse::<ProgramsFile>(root, &programs, max_file_size, "Tệp chương trình, dự án")
        {
            Ok(v) => raw.programs = Some(v),
            Err(d) => diags.push(d),
        }
    }
    let mut report_files = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
    {
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
    let parsed: Vec<Result<(Src, String, ReportRaw), Diagnostic>> = report_files
        .par_iter()
        .map(|p| {
            let id = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let (src, r) = parse::<ReportRaw>(root, p, max_file_size, "Báo cáo số liệu")?;
            if !is_safe_slug(&id) {
                return Err(Diagnostic::error(format!(
                    "tên tệp báo cáo \"{id}\" không dùng được làm mã"
                ))
                .in_file(&src.display)
                .hint(format!(
                    "đổi tên tệp thành chữ thường không dấu, số, gạch ngang, ví dụ {}.toml",
                    crate::locale::slugify(&id)
                )));
            }
            Ok((src, id, r))
        })
        .collect();
    for p in parsed {
        match p {
            Ok(r) => raw.reports.push(r),
            Err(d) => diags.push(d),
        }
    }
    Some(raw)
}
