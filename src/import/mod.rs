//! Excel out and in (issue 14). `bantin template` writes the workbook staff fill, laid out like
//! the report forms they already use (one sheet per reporting area, one row per sub-area, the
//! budget and indicator columns of the project, units in the headers); `bantin import` reads a
//! filled workbook back into `content/data/reports/*.toml` through the same validation as a
//! build, and writes only when everything is valid.
//!
//! The layout is fixed here and shared by both sides. A hidden row under the title block
//! holds the key of every column (`allocated`, `ind:lop`, `flag:plan_issued`), a hidden column
//! the id of every row's area, and a hidden sheet which sheet reports what and the report files
//! as they were when the template was made (so an import never silently overwrites a report
//! edited since).

pub mod apply;
pub mod csv_file;
pub mod read;
pub mod template;

use std::path::Path;

use crate::config::SiteConfig;
use crate::data::{Data, PartKind};
use crate::diag::Diagnostic;
use crate::paths::is_safe_slug;

/// The hidden sheet describing the area sheets.
pub const META_SHEET: &str = "_bantin";
/// The first cell of [`META_SHEET`], telling a bantin template from any other workbook.
pub const MAGIC: &str = "bantin-mau-bao-cao-1";
/// The sheet of instructions.
pub const HELP_SHEET: &str = "Hướng dẫn";

/// Rows of an area sheet (0-based): the title, then label/value pairs in columns A/B.
pub const TITLE_ROW: u32 = 0;
pub const PROJECT_ROW: u32 = 1;
pub const AREA_ROW: u32 = 2;
pub const YEAR_ROW: u32 = 3;
pub const AS_OF_ROW: u32 = 4;
pub const SOURCE_ROW: u32 = 5;
pub const UNIT_ROW: u32 = 6;
/// The disbursement target of the report: percent, and by when.
pub const TARGET_ROW: u32 = 7;
pub const TARGET_BY_ROW: u32 = 8;
/// Hidden: the key of each column.
pub const KEYS_ROW: u32 = 9;
pub const HEADER_ROW: u32 = 10;
/// The reporting area's own total; its sub-areas follow.
pub const TOTAL_ROW: u32 = 11;
/// Hidden: the area id of each row.
pub const ID_COL: u16 = 0;
pub const NAME_COL: u16 = 1;

/// A column of the figures table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Column {
    Allocated,
    Disbursed,
    /// Of the allocation: from the central budget, from the local budget.
    Central,
    Local,
    /// An indicator's actual value ("khoảng 800" for an estimate).
    Indicator(String),
    /// An indicator's target.
    IndicatorTarget(String),
    /// A declared row key (`[[project.flag]]`).
    Flag(String),
    /// A budget line's allocation and disbursement (`investment`, `recurrent`,
    /// `carried_over`).
    PartAllocated(PartKind),
    PartDisbursed(PartKind),
}

impl Column {
    /// The key written in the hidden keys row.
    pub fn key(&self) -> String {
        match self {
            Column::Allocated => "allocated".into(),
            Column::Disbursed => "disbursed".into(),
            Column::Central => "central".into(),
            Column::Local => "local".into(),
            Column::Indicator(id) => format!("ind:{id}"),
            Column::IndicatorTarget(id) => format!("target:{id}"),
            Column::Flag(id) => format!("flag:{id}"),
            Column::PartAllocated(k) => format!("{}.allocated", k.key()),
            Column::PartDisbursed(k) => format!("{}.disbursed", k.key()),
        }
    }

    /// Whether the column holds an amount of money (converted between units on import).
    pub fn is_money(&self) -> bool {
        matches!(
            self,
            Column::Allocated
                | Column::Disbursed
                | Column::Central
                | Column::Local
                | Column::PartAllocated(_)
                | Column::PartDisbursed(_)
        )
    }

    /// The column of a key written by [`Column::key`]; `None` for any other text, and for an
    /// id that no declared indicator or row key can have (it would be written into the report
    /// as a TOML key).
    pub fn from_key(key: &str) -> Option<Column> {
        match key {
            "allocated" => Some(Column::Allocated),
            "disbursed" => Some(Column::Disbursed),
            "central" => Some(Column::Central),
            "local" => Some(Column::Local),
            _ if key.contains('.') => match key.split_once('.')? {
                (part, "allocated") => Some(Column::PartAllocated(PartKind::from_key(part)?)),
                (part, "disbursed") => Some(Column::PartDisbursed(PartKind::from_key(part)?)),
                _ => None,
            },
            _ => match key.split_once(':').filter(|(_, id)| is_safe_slug(id))? {
                ("ind", id) => Some(Column::Indicator(id.into())),
                ("target", id) => Some(Column::IndicatorTarget(id.into())),
                ("flag", id) => Some(Column::Flag(id.into())),
                _ => None,
            },
        }
    }
}

/// The columns a project's sheets have, after the area id and name.
pub fn columns(data: &Data, project: usize) -> Vec<Column> {
    let p = &data.projects[project];
    let mut cols = vec![
        Column::Allocated,
        Column::Disbursed,
        Column::Central,
        Column::Local,
    ];
    for &k in &p.budget_parts {
        cols.extend([Column::PartAllocated(k), Column::PartDisbursed(k)]);
    }
    for i in &p.indicators {
        cols.push(Column::Indicator(i.id.clone()));
        cols.push(Column::IndicatorTarget(i.id.clone()));
    }
    cols.extend(p.flags.iter().map(|f| Column::Flag(f.id.clone())));
    cols
}

/// The site's configuration and validated activity data, or every problem found.
pub fn site_data(root: &Path) -> Result<(SiteConfig, Data), Vec<Diagnostic>> {
    let cfg = SiteConfig::load(root, None)?;
    let mut diags = Vec::new();
    let raw = crate::data::load::load(root, cfg.raw.max_file_size, &mut diags);
    let data =
        raw.map(|raw| crate::data::validate::validate(raw, crate::site::today(), &mut diags));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    match data {
        Some(d) => Ok((cfg, d)),
        None => Err(vec![Diagnostic::error(
            "trang chưa có thư mục content/data/ (địa bàn, chương trình, báo cáo)",
        )
        .hint(
            "tạo content/data/areas.toml và content/data/programs.toml trước (xem README)",
        )]),
    }
}

/// Whether a date read from a cell can be written into a report: TOML dates have a year of
/// four digits, and chrono also reads `30/11/-2022` and `30/11/20222` (found by fuzzing).
pub(crate) fn writable_year(d: &chrono::NaiveDate) -> bool {
    (0..=9999).contains(&chrono::Datelike::year(d))
}

/// A stable hash of a report file's bytes (FNV-1a, 64 bits), to tell whether it changed
/// between `template` and `import`; written as 16 hex digits.
pub fn file_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// A cell's name as Excel shows it: column letters and 1-based row (`C11`).
pub fn cell_name(row: u32, col: u16) -> String {
    let mut letters = Vec::new();
    let mut c = u32::from(col) + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        letters.push(char::from(b'A' + rem));
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", letters.into_iter().collect::<String>(), row + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(10, 2), "C11");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(4, 27), "AB5");
    }

    #[test]
    fn dates_with_a_year_a_report_can_hold() {
        let d = |y| chrono::NaiveDate::from_ymd_opt(y, 11, 30).unwrap();
        assert!(writable_year(&d(2022)) && writable_year(&d(0)) && writable_year(&d(9999)));
        assert!(!writable_year(&d(-2022)) && !writable_year(&d(20222)));
    }

    #[test]
    fn column_keys_round_trip() {
        for c in [
            Column::Allocated,
            Column::Disbursed,
            Column::Central,
            Column::Local,
            Column::PartAllocated(PartKind::Investment),
            Column::PartDisbursed(PartKind::CarriedOver),
            Column::Indicator("lop".into()),
            Column::IndicatorTarget("lop".into()),
            Column::Flag("plan_issued".into()),
        ] {
            assert_eq!(Column::from_key(&c.key()), Some(c));
        }
        assert_eq!(Column::from_key("khac"), None);
        // found by fuzzing: an id spliced into the report as a key must be one
        for bad in [
            "ind:",
            "flag:ghi chu",
            "target:a = 1\n[budget]",
            "ind:Lop",
            "dau_tu.allocated",
            "investment.target",
        ] {
            assert_eq!(Column::from_key(bad), None, "{bad:?}");
        }
    }
}
