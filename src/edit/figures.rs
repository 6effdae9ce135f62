//! The figures grid (`/so-lieu/<report file>`): a report's areas (its own, then its
//! `[[breakdown]]` rows, then the sub-areas it has no row for yet) × the project's budget and
//! indicator columns, the same columns `bantin template` writes ([`crate::import::columns`],
//! without the free row keys).
//!
//! A cell is read the one Vietnamese way ([`crate::locale::read_vi`]: "1.250" is 1250, "540,5"
//! is 540.5, "1393.5" refused), written into the report with `toml_edit` (only the cells whose
//! text changed, so comments, key order and untouched figures stay as staff wrote them), and
//! the new text is checked exactly as a build checks it: the data loader's parse of the text
//! (ambiguous bare numbers included) and every validation rule, with the site's other data
//! files. Each message is placed at the cell whose value its line and column point into.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;
use toml_edit::{DocumentMut, Item};

use crate::data::{Data, Report};
use crate::diag::{line_col, Diagnostic};
use crate::import::{columns, Column};
use crate::locale::format_number;

/// A column of the grid.
#[derive(Debug, Clone)]
pub struct Col {
    pub column: Column,
    /// The header, with its unit ("Dự toán được giao (triệu đồng)").
    pub label: String,
}

/// How to type a figure into a cell, after the reader's message.
pub const CELL_HINT: &str = "trong bảng, gõ số theo cách Việt Nam: phần thập phân sau dấu phẩy (1393,5), dấu chấm chỉ để phân cách hàng nghìn (1.250 là một nghìn hai trăm năm mươi)";

/// Where a grid row lives in the report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowAt {
    /// The report's own area: the file's top-level figures.
    Total,
    /// `[[breakdown]]` number `n` (0-based, in file order).
    Breakdown(usize),
    /// A sub-area without a row yet: one is added when a figure is typed for it.
    New,
}

#[derive(Debug, Clone)]
pub struct GridRow {
    pub area: String,
    pub name: String,
    pub at: RowAt,
}

/// A report as a grid: its columns, rows and the text of every cell as the file has it.
#[derive(Debug, Clone)]
pub struct Grid {
    /// `du-an-5-kon-tum-2023.toml`
    pub name: String,
    /// `content/data/reports/du-an-5-kon-tum-2023.toml`
    pub file: String,
    pub title: String,
    pub unit: String,
    pub cols: Vec<Col>,
    pub rows: Vec<GridRow>,
    /// Cell id → the value shown.
    pub values: BTreeMap<String, String>,
}

/// One message at a cell (or above the grid): error or warning, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub error: bool,
    pub text: String,
}

/// Messages by cell id; the key "" holds those no cell owns.
pub type Notes = BTreeMap<String, Vec<Note>>;

/// The stable id of a cell: `o-<area id>-<column key>` (`o-kon-tum-allocated`,
/// `o-dak-ha-ind-hoc_vien`, `o-kon-tum-investment-allocated`).
pub fn cell_id(area: &str, col: &Column) -> String {
    format!("o-{area}-{}", col.key().replace([':', '.'], "-"))
}

/// The keys leading from a row's table to a column's value.
fn col_path(col: &Column) -> Vec<String> {
    let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect();
    match col {
        Column::Allocated => v(&["budget", "allocated"]),
        Column::Disbursed => v(&["budget", "disbursed"]),
        Column::Central => v(&["budget", "by_source", "central"]),
        Column::Local => v(&["budget", "by_source", "local"]),
        Column::PartAllocated(k) => v(&["budget", k.key(), "allocated"]),
        Column::PartDisbursed(k) => v(&["budget", k.key(), "disbursed"]),
        Column::Indicator(id) => v(&["indicators", id, "actual"]),
        Column::IndicatorTarget(id) => v(&["indicators", id, "target"]),
        Column::Flag(id) => v(&[id]),
    }
}

fn row_item(doc: &Item, at: RowAt) -> Option<&Item> {
    match at {
        RowAt::Total => Some(doc),
        RowAt::Breakdown(n) => doc.get("breakdown")?.get(n),
        RowAt::New => None,
    }
}

fn value_at<'d>(doc: &'d Item, at: RowAt, col: &Column) -> Option<&'d Item> {
    col_path(col)
        .iter()
        .try_fold(row_item(doc, at)?, |item, k| item.get(k.as_str()))
}

/// A value as the grid shows it: numbers the Vietnamese way, quoted text as written.
fn shown(item: &Item) -> String {
    let Some(v) = item.as_value() else {
        return String::new();
    };
    if let Some(i) = v.as_integer() {
        return format_number(Decimal::from(i), None);
    }
    if let Some(s) = v.as_str() {
        return s.to_string();
    }
    let repr = v.clone().decorated("", "").to_string();
    crate::locale::decimal_from_str(&repr).map_or(repr, |d| format_number(d, None))
}

/// The grid of `report` (validated, in `data`) whose file text is `text`.
pub fn grid(data: &Data, report: &Report, text: &str) -> Result<Grid, String> {
    let doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("tệp báo cáo không đọc được: {e}"))?;
    let root = doc.as_item();
    let area_name = |id: &str| data.area(id).map_or(id.to_string(), |a| a.name.clone());
    let own = &data.areas[report.area];
    let mut rows = vec![GridRow {
        area: own.id.clone(),
        name: format!("{} (cả báo cáo)", own.name),
        at: RowAt::Total,
    }];
    let breakdown = root.get("breakdown").and_then(Item::as_array_of_tables);
    for (n, t) in breakdown.into_iter().flat_map(|a| a.iter()).enumerate() {
        let id = t
            .get("area")
            .and_then(Item::as_str)
            .unwrap_or("")
            .to_string();
        rows.push(GridRow {
            name: area_name(&id),
            area: id,
            at: RowAt::Breakdown(n),
        });
    }
    for &c in &own.children {
        let a = &data.areas[c];
        if !rows.iter().any(|r| r.area == a.id) {
            rows.push(GridRow {
                area: a.id.clone(),
                name: a.name.clone(),
                at: RowAt::New,
            });
        }
    }
    let unit = report.money_unit.word().to_string();
    let cols: Vec<Col> = columns(data, report.project)
        .into_iter()
        .filter(|c| !matches!(c, Column::Flag(_)))
        .map(|c| Col {
            label: crate::import::template::header(&unit, data, report.project, &c),
            column: c,
        })
        .collect();
    let mut values = BTreeMap::new();
    for r in &rows {
        for c in &cols {
            let v = value_at(root, r.at, &c.column)
                .map(shown)
                .unwrap_or_default();
            values.insert(cell_id(&r.area, &c.column), v);
        }
    }
    let project = &data.projects[report.project];
    let title = format!(
        "{} – {}, năm {} (số liệu đến {})",
        project.name,
        own.name,
        report.year,
        report.as_of.format("%d/%m/%Y")
    );
    let name = report.file.rsplit('/').next().unwrap_or("").to_string();
    Ok(Grid {
        name,
        file: report.file.clone(),
        title,
        unit,
        cols,
        rows,
        values,
    })
}

/// The report text with the cells of `sent` (cell id → typed text) that differ from the grid
/// written in, or the cells whose text is not a number (with the reader's message).
pub fn apply(
    grid: &Grid,
    text: &str,
    sent: &dyn Fn(&str) -> Option<String>,
) -> Result<String, Notes> {
    let mut doc: DocumentMut = text.parse().map_err(|e| {
        Notes::from([(
            String::new(),
            vec![Note {
                error: true,
                text: format!("tệp báo cáo không đọc được: {e}"),
            }],
        )])
    })?;
    let mut bad = Notes::new();
    for r in &grid.rows {
        let mut at = r.at;
        for c in &grid.cols {
            let id = cell_id(&r.area, &c.column);
            let Some(typed) = sent(&id).map(|s| s.trim().to_string()) else {
                continue;
            };
            if grid.values.get(&id).map(String::as_str) == Some(typed.as_str()) {
                continue;
            }
            if typed.is_empty() {
                remove(&mut doc, at, &c.column);
                continue;
            }
            match crate::locale::read_vi(&typed) {
                Ok(d) => {
                    if at == RowAt::New {
                        at = add_row(&mut doc, &r.area);
                    }
                    set(&mut doc, at, &c.column, d);
                }
                // the reader's message speaks of TOML's quotes; the hint says it for a cell
                Err(e) => {
                    bad.entry(id).or_default().push(Note {
                        error: true,
                        text: format!("{} — {CELL_HINT}", capitalise(&e)),
                    });
                }
            }
        }
    }
    if bad.is_empty() {
        Ok(doc.to_string())
    } else {
        Err(bad)
    }
}

/// Appends `[[breakdown]]` with `area = "<id>"`; where it now is.
fn add_row(doc: &mut DocumentMut, area: &str) -> RowAt {
    let item = doc
        .as_table_mut()
        .entry("breakdown")
        .or_insert(Item::ArrayOfTables(toml_edit::ArrayOfTables::new()));
    let Some(rows) = item.as_array_of_tables_mut() else {
        return RowAt::New;
    };
    let mut t = toml_edit::Table::new();
    t.insert("area", toml_edit::value(area));
    rows.push(t);
    RowAt::Breakdown(rows.len() - 1)
}

fn row_mut(doc: &mut DocumentMut, at: RowAt) -> Option<&mut toml_edit::Table> {
    match at {
        RowAt::Total => Some(doc.as_table_mut()),
        RowAt::Breakdown(n) => doc
            .get_mut("breakdown")?
            .as_array_of_tables_mut()?
            .get_mut(n),
        RowAt::New => None,
    }
}

/// Writes `d` at the column's place, as `bantin import` writes a figure (bare when TOML reads
/// it the same, else quoted the Vietnamese way); missing tables are added inline.
fn set(doc: &mut DocumentMut, at: RowAt, col: &Column, d: Decimal) {
    let repr = crate::import::apply::toml_value(&crate::import::read::Value::Number(d));
    let Ok(mut new) = repr.parse::<toml_edit::Value>() else {
        return;
    };
    let Some(table) = row_mut(doc, at) else {
        return;
    };
    let path = col_path(col);
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let mut item = &mut table[first.as_str()];
    for k in rest {
        item = &mut item[k.as_str()];
    }
    if let Some(old) = item.as_value() {
        *new.decor_mut() = old.decor().clone();
    }
    *item = Item::Value(new);
}

/// Removes the column's value (an emptied cell); tables left empty stay, for the build to
/// say what is missing.
fn remove(doc: &mut DocumentMut, at: RowAt, col: &Column) {
    let path = col_path(col);
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let Some(table) = row_mut(doc, at) else {
        return;
    };
    let mut item: Option<&mut Item> = None;
    for k in parents {
        item = match item {
            None => table.get_mut(k),
            Some(i) => i.get_mut(k.as_str()),
        };
        if item.is_none() {
            return;
        }
    }
    match item {
        // an inline table is re-spaced, else `{ a = 1, b = 2 }` less b reads `{ a = 1}`
        Some(i) => {
            if let Some(t) = i.as_inline_table_mut() {
                t.remove(last);
                t.fmt();
            } else if let Some(t) = i.as_table_like_mut() {
                t.remove(last);
            }
        }
        None => {
            table.remove(last);
        }
    }
}

/// Every problem of the site's data with `text` as the report `file` (id `id`), exactly as a
/// build finds them: the loader's parse of the text, then every validation rule.
pub fn check(root: &Path, max_file_size: u64, file: &str, id: &str, text: &str) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut raw = crate::data::load::load(root, max_file_size, &mut diags).unwrap_or_default();
    // the file as it is on disk: replaced by the text being checked
    diags.retain(|d| d.file.as_deref() != Some(file));
    raw.reports.retain(|(_, rid, _)| rid != id);
    let text = crate::locale::normalize_text(text);
    match crate::data::load::report_from_text(file.to_string(), text, id.to_string()) {
        Ok(r) => raw.reports.push(r),
        Err(d) => diags.extend(d),
    }
    crate::data::validate::validate(raw, crate::site::today(), &mut diags);
    diags
}

/// A message as shown beside a cell: the problem, then how to fix it.
pub fn note_text(d: &Diagnostic) -> String {
    let mut t = capitalise(&d.message);
    if let Some(h) = &d.hint {
        t.push_str(&format!(" — {h}"));
    }
    t
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Places each diagnostic of the grid's file at the cell its line and column point into (or
/// the first cell after it on that line: an indicator's `{ actual = … }`); the rest, and those
/// of other files, under "".
pub fn place(grid: &Grid, text: &str, diags: &[Diagnostic]) -> Notes {
    let doc = toml_edit::Document::parse(text.to_string()).ok();
    let mut spans = Vec::new();
    if let Some(doc) = &doc {
        for r in &grid.rows {
            for c in &grid.cols {
                let span = value_at(doc.as_item(), r.at, &c.column).and_then(Item::span);
                if let Some(s) = span {
                    let (start, end) = (line_col(text, s.start), line_col(text, s.end));
                    spans.push((start, end, cell_id(&r.area, &c.column)));
                }
            }
        }
    }
    let mut notes = Notes::new();
    for d in diags {
        let pos = d
            .line
            .filter(|_| d.file.as_deref() == Some(grid.file.as_str()))
            .map(|l| (l, d.column.unwrap_or(1)));
        let inside = |&&(s, e, _): &&((usize, usize), (usize, usize), String)| {
            pos.is_some_and(|p| s <= p && p < e)
        };
        let after = |&&(s, _, _): &&((usize, usize), (usize, usize), String)| {
            pos.is_some_and(|p| s.0 == p.0 && s >= p)
        };
        let cell = spans
            .iter()
            .find(inside)
            .or_else(|| spans.iter().filter(after).min_by_key(|(s, _, _)| *s))
            .map_or(String::new(), |(_, _, id)| id.clone());
        let text = if cell.is_empty() {
            d.to_string()
        } else {
            note_text(d)
        };
        notes.entry(cell).or_default().push(Note {
            error: d.is_error(),
            text,
        });
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::in_memory::check_texts;

    const AREAS: &str = "[[area]]\nid = \"tinh-a\"\nname = \"Tỉnh A\"\nlevel = \"tinh\"\n\n[[area]]\nid = \"huyen-b\"\nname = \"Huyện B\"\nlevel = \"huyen\"\nparent = \"tinh-a\"\n\n[[area]]\nid = \"huyen-c\"\nname = \"Huyện C\"\nlevel = \"huyen\"\nparent = \"tinh-a\"\n";
    const PROGRAMS: &str = "[[program]]\nid = \"ct\"\nname = \"Chương trình\"\n\n[[project]]\nid = \"du-an-1\"\nprogram = \"ct\"\nname = \"Dự án một\"\n[[project.indicator]]\nid = \"lop\"\nname = \"Lớp học\"\nunit = \"lớp\"\n";
    const HEADER: &str = "# ghi chú đầu tệp\nproject = \"du-an-1\"\narea = \"tinh-a\"\nyear = 2022\nas_of = 2022-10-31\nmoney_unit = \"trieu-dong\"\n";

    fn load(text: &str) -> (Data, Vec<Diagnostic>) {
        let today = chrono::NaiveDate::from_ymd_opt(2024, 7, 18).unwrap();
        check_texts(AREAS, PROGRAMS, &[("r", text)], today)
    }

    fn sent<'a>(cells: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |id| {
            cells
                .iter()
                .find(|(k, _)| *k == id)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn changed_cells_are_written_in_place_and_new_rows_appended() {
        let text = format!("{HEADER}\n[budget]\nallocated = 100 # kế hoạch\ndisbursed = 40\n\n[[breakdown]]\narea = \"huyen-b\"\nbudget = {{ allocated = 100, disbursed = 40 }}\n");
        let (data, diags) = load(&text);
        assert!(!diags.iter().any(Diagnostic::is_error), "{diags:?}");
        let g = grid(&data, &data.reports[0], &text).unwrap();
        let rows: Vec<(&str, RowAt)> = g.rows.iter().map(|r| (r.name.as_str(), r.at)).collect();
        assert_eq!(
            rows,
            [
                ("Tỉnh A (cả báo cáo)", RowAt::Total),
                ("Huyện B", RowAt::Breakdown(0)),
                ("Huyện C", RowAt::New)
            ]
        );
        assert_eq!(g.values["o-tinh-a-allocated"], "100");
        // an unchanged cell is not rewritten; "1.250,5" read the Vietnamese way
        let cells = [
            ("o-tinh-a-allocated", "100"),
            ("o-tinh-a-disbursed", "1.250,5"),
            ("o-huyen-c-ind-lop", "3"),
        ];
        let new = apply(&g, &text, &sent(&cells)).unwrap();
        assert_eq!(
            new,
            text.replace("disbursed = 40\n\n", "disbursed = 1250.5\n\n")
                + "\n[[breakdown]]\narea = \"huyen-c\"\nindicators = { lop = { actual = 3 } }\n"
        );
        // an emptied cell removes its key; a word is refused with the reader's message
        let new = apply(&g, &text, &sent(&[("o-huyen-b-disbursed", "")])).unwrap();
        assert!(new.contains("budget = { allocated = 100 }"), "{new}");
        let bad = apply(&g, &text, &sent(&[("o-tinh-a-allocated", "nhiều")])).unwrap_err();
        assert!(
            bad["o-tinh-a-allocated"][0]
                .text
                .starts_with("\"nhiều\" không phải số"),
            "{bad:?}"
        );
    }

    #[test]
    fn messages_are_placed_at_the_cell_they_point_into() {
        let text = format!("{HEADER}\n[budget]\nallocated = 100\ndisbursed = 40\n\n[indicators]\nlop = {{ actual = -1 }}\n\n[[breakdown]]\narea = \"huyen-b\"\nbudget = {{ allocated = 100, disbursed = 140 }}\n");
        let clean = format!("{HEADER}\n[budget]\nallocated = 100\ndisbursed = 40\n\n[[breakdown]]\narea = \"huyen-b\"\nbudget = {{ allocated = 100, disbursed = 40 }}\n");
        let (data, _) = load(&clean);
        let g = grid(&data, &data.reports[0], &text).unwrap();
        let (_, diags) = load(&text);
        let notes = place(&g, &text, &diags);
        let at = |id: &str| {
            notes
                .get(id)
                .map(|n| n.iter().map(|n| n.text.clone()).collect::<Vec<_>>())
        };
        assert!(
            at("o-huyen-b-disbursed").unwrap()[0].starts_with("Đã giải ngân (140) lớn hơn dự toán"),
            "{notes:?}"
        );
        assert!(
            at("o-tinh-a-ind-lop").unwrap()[0].starts_with("Chỉ tiêu lop có giá trị âm"),
            "{notes:?}"
        );
    }
}
