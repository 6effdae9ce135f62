//! Filled sheets → report files: the TOML text of each report (every line knowing the cell it
//! came from), validated with the site's other data files exactly as a build validates them,
//! the changes figure by figure, and the files written only when everything is valid.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::Decimal;

use super::read::{Place, Row, Sheet, Value};
use super::{file_hash, Column};
use crate::config::SiteConfig;
use crate::data::load::Src;
use crate::data::model::ReportRaw;
use crate::data::{Data, PartKind, Project, Report};
use crate::diag::Diagnostic;
use crate::locale::format_number;

/// A report file to write.
#[derive(Debug)]
pub struct Planned {
    /// `content/data/reports/<id>.toml`
    pub file: String,
    pub text: String,
    /// What changes, one line per figure (`Kon Tum › Huyện Đăk Hà › Đã giải ngân: 130 → 140`).
    pub changes: Vec<String>,
    pub new: bool,
}

/// The report of one sheet, with where each generated line came from.
struct Generated {
    sheet: String,
    id: String,
    file: String,
    text: String,
    /// 1-based line of `text` → cell name.
    cells: BTreeMap<usize, String>,
}

/// Plans the report files of `sheets` (from the workbook `shown`): every problem, or the files.
pub fn plan(
    root: &Path,
    cfg: &SiteConfig,
    data: &Data,
    sheets: &[Sheet],
    shown: &str,
    force: bool,
) -> Result<Vec<Planned>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut generated = Vec::new();
    for s in sheets {
        let place = Place {
            workbook: shown,
            sheet: &s.name,
        };
        match generate(root, cfg, data, s, &place, force) {
            Ok(g) => generated.push(g),
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let new_data = validate(root, cfg, &generated, shown)?;
    Ok(generated
        .into_iter()
        .map(|g| {
            let old = data.report_index.get(&g.id).map(|&i| &data.reports[i]);
            let new = new_data
                .report_index
                .get(&g.id)
                .map(|&i| &new_data.reports[i]);
            let changes = match new {
                Some(new) => changes(&new_data, old, new, &g.sheet),
                None => Vec::new(),
            };
            Planned {
                file: g.file,
                text: g.text,
                changes,
                new: old.is_none(),
            }
        })
        .collect())
}

/// The report id and file for the sheet's snapshot, its TOML text, and the refusal to
/// overwrite a report edited since the template was made.
fn generate(
    root: &Path,
    cfg: &SiteConfig,
    data: &Data,
    s: &Sheet,
    place: &Place<'_>,
    force: bool,
) -> Result<Generated, Diagnostic> {
    let sheet_err =
        |msg: String| Diagnostic::error(msg).in_file(place_name(place.workbook, place.sheet, None));
    let project = data.project_index.get(&s.project).copied();
    let area = data.area_index.get(&s.area).copied();
    let (Some(project), Some(area)) = (project, area) else {
        return Err(sheet_err(format!(
            "mẫu dành cho dự án \"{}\", địa bàn \"{}\" mà trang không còn",
            s.project, s.area
        ))
        .hint("tạo mẫu mới bằng bantin template"));
    };
    let existing = data
        .reports
        .iter()
        .find(|r| (r.project, r.area, r.year, r.as_of) == (project, area, s.year, s.as_of));
    let id = match existing {
        Some(r) => r.id.clone(),
        None => new_id(data, s),
    };
    let file = format!("content/data/reports/{id}.toml");
    if let (Some(r), false) = (existing, force) {
        let now = std::fs::read(root.join(&r.file))
            .map(|b| file_hash(&b))
            .unwrap_or_default();
        let then = s
            .existing
            .iter()
            .find(|(i, _)| i == &r.id)
            .map(|(_, h)| h.as_str());
        if !s.from_template {
            return Err(sheet_err(format!("báo cáo {} đã có; nhập tệp này sẽ ghi đè nó", r.file))
                .hint("nếu số liệu trong tệp là đúng, chạy lại với --force để ghi đè (xem trước bằng --dry-run)"));
        }
        if then != Some(now.as_str()) {
            return Err(sheet_err(format!("báo cáo {} đã được sửa (hoặc tạo) sau khi làm mẫu này; nhập sẽ ghi đè những sửa đổi đó", r.file))
                .hint("xem lại tệp báo cáo; nếu số liệu trong bảng tính là đúng, chạy lại với --force để ghi đè"));
        }
    }
    let (text, cells) = report_text(cfg, data, s, place)?;
    Ok(Generated {
        sheet: s.name.clone(),
        id,
        file,
        text,
        cells,
    })
}

/// `du-an-8-kon-tum-2022-11`, or with the day when that one is taken.
fn new_id(data: &Data, s: &Sheet) -> String {
    let base = format!("{}-{}-{}", s.project, s.area, s.as_of.format("%Y-%m"));
    if !data.report_index.contains_key(&base) {
        return base;
    }
    format!("{base}-{}", s.as_of.format("%d"))
}

/// The report's TOML text and the cell of each figure line.
fn report_text(
    cfg: &SiteConfig,
    data: &Data,
    s: &Sheet,
    place: &Place<'_>,
) -> Result<(String, BTreeMap<usize, String>), Diagnostic> {
    let mut t = Text::default();
    t.line(
        format!(
            "# Nhập từ {} bằng bantin import.",
            place_name(place.workbook, &s.name, None)
        ),
        None,
    );
    t.line(format!("project = {}", quoted(&s.project)), None);
    t.line(format!("area = {}", quoted(&s.area)), None);
    t.line(format!("year = {}", s.year), None);
    t.line(format!("as_of = {}", s.as_of.format("%Y-%m-%d")), None);
    t.line(
        format!("money_unit = {}", quoted(cfg.money_unit.name())),
        None,
    );
    t.line(format!("source = {}", quoted(&s.source)), None);
    let Some((total, rows)) = s.rows.split_first() else {
        return Ok((t.text, t.cells));
    };
    if let Some((_, cell, _)) = total
        .values
        .iter()
        .find(|(c, _, _)| matches!(c, Column::Flag(_)))
    {
        return Err(Diagnostic::error(
            "các cột khoá riêng chỉ dùng cho địa bàn trực thuộc, không dùng cho dòng tổng",
        )
        .in_file(place_name(place.workbook, place.sheet, Some(cell)))
        .hint("xoá giá trị ở ô này"));
    }
    let project = data.project(&s.project);
    let half = |r: &Row| half_budget(r, place).or_else(|| target_only(r, place, project));
    if let Some(d) = s.rows.iter().find_map(half) {
        return Err(d);
    }
    if let Some(d) = target_without_budget(s, total, place) {
        return Err(d);
    }
    totals(&mut t, total, s.target.as_ref());
    for row in rows {
        breakdown_row(&mut t, row);
    }
    Ok((t.text, t.cells))
}

/// Where a problem is, as staff find it: `mau.xlsx › Kon Tum › C12`. A CSV file is its own
/// only sheet and names its cells with the file (`so-lieu.csv › dòng 3 › du_toan_trieu_dong`):
/// the file is named once.
fn place_name(workbook: &str, sheet: &str, cell: Option<&str>) -> String {
    if let Some(c) = cell.filter(|c| c.starts_with(workbook)) {
        return c.to_string();
    }
    let mut out = workbook.to_string();
    for part in [Some(sheet).filter(|s| *s != workbook), cell]
        .into_iter()
        .flatten()
    {
        out.push_str(" › ");
        out.push_str(part);
    }
    out
}

/// A row with some budget figures but not both `allocated` and `disbursed`: the error at its
/// first budget cell. (Written as it is, the report would lack a key, and the TOML reader's
/// "missing key" would reach staff without a cell.)
fn half_budget(row: &Row, place: &Place<'_>) -> Option<Diagnostic> {
    let (_, first) = budget_fields(row)?;
    let cell = |col: &Column| {
        row.values
            .iter()
            .find(|(c, _, _)| c == col)
            .map(|(_, cell, _)| cell.clone())
    };
    let lines = std::iter::once((String::new(), Column::Allocated, Column::Disbursed)).chain(
        PartKind::ALL.into_iter().map(|k| {
            let label = format!(" của dòng kinh phí \"{}\"", k.label().to_lowercase());
            (label, Column::PartAllocated(k), Column::PartDisbursed(k))
        }),
    );
    let (of, missing, at) = lines.into_iter().find_map(|(of, a, d)| {
        let missing = match (cell(&a), cell(&d)) {
            (Some(_), Some(_)) => return None,
            (Some(at), None) => ("số đã giải ngân", at),
            (None, Some(at)) => ("dự toán được giao", at),
            // a line with neither is simply not given, but the year's totals are needed
            (None, None) if of.is_empty() => {
                ("dự toán được giao và số đã giải ngân", first.clone())
            }
            (None, None) => return None,
        };
        Some((of, missing.0, missing.1))
    })?;
    let name = match row.name.as_str() {
        "" => row.area_id.as_str(),
        name => name,
    };
    Some(
        Diagnostic::error(format!(
            "dòng \"{name}\" có số liệu vốn nhưng thiếu {missing}{of}"
        ))
        .in_file(place_name(place.workbook, place.sheet, Some(&at)))
        .hint(format!(
            "gõ {missing}{} (0 nếu chưa giải ngân), hoặc để trống mọi ô vốn của dòng",
            if of.is_empty() {
                " của dòng này"
            } else {
                &of
            }
        )),
    )
}

/// A row with an indicator's target but not its actual value: the error at the target's cell
/// (the report would lack `actual`, as in [`half_budget`]).
fn target_only(row: &Row, place: &Place<'_>, project: Option<&Project>) -> Option<Diagnostic> {
    let has_actual = |id: &str| {
        row.values
            .iter()
            .any(|(c, _, _)| matches!(c, Column::Indicator(i) if i == id))
    };
    let (id, cell) = row.values.iter().find_map(|(c, cell, _)| match c {
        Column::IndicatorTarget(id) if !has_actual(id) => Some((id, cell)),
        _ => None,
    })?;
    let indicator = project
        .and_then(|p| p.indicators.iter().find(|i| &i.id == id))
        .map_or(id.as_str(), |i| i.name.as_str());
    let name = match row.name.as_str() {
        "" => row.area_id.as_str(),
        name => name,
    };
    Some(
        Diagnostic::error(format!(
            "dòng \"{name}\" có mục tiêu của chỉ tiêu \"{indicator}\" nhưng chưa có số thực hiện"
        ))
        .in_file(place_name(place.workbook, place.sheet, Some(cell)))
        .hint("gõ số thực hiện của chỉ tiêu này trên cùng dòng, hoặc xoá mục tiêu"),
    )
}

/// A disbursement target on a sheet whose total row has no budget: the error at the target
/// (the report would have a target and no `allocated`, as in [`half_budget`]).
fn target_without_budget(s: &Sheet, total: &Row, place: &Place<'_>) -> Option<Diagnostic> {
    let (_, _, cell) = s.target.as_ref()?;
    if budget_fields(total).is_some() {
        return None;
    }
    Some(
        Diagnostic::error(
            "có mục tiêu giải ngân nhưng dòng tổng chưa có dự toán và số đã giải ngân",
        )
        .in_file(place_name(place.workbook, place.sheet, Some(cell)))
        .hint("gõ dự toán được giao và số đã giải ngân ở dòng tổng, hoặc xoá mục tiêu"),
    )
}

/// The text being generated, and the cell of each line.
#[derive(Default)]
struct Text {
    text: String,
    lines: usize,
    cells: BTreeMap<usize, String>,
}

impl Text {
    fn line(&mut self, s: String, cell: Option<&str>) {
        self.lines += 1;
        if let Some(c) = cell {
            self.cells.insert(self.lines, c.to_string());
        }
        self.text.push_str(&s);
        self.text.push('\n');
    }
}

fn totals(t: &mut Text, total: &Row, target: Option<&(chrono::NaiveDate, Decimal, String)>) {
    if let Some((fields, cell)) = budget_fields(total) {
        t.line(String::new(), None);
        t.line("[budget]".into(), None);
        for (k, v) in fields {
            let c = cell_for(total, k).unwrap_or(cell.as_str());
            t.line(format!("{k} = {v}"), Some(c));
        }
    }
    if let Some((by, percent, cell)) = target {
        t.line("[[budget.target]]".into(), None);
        t.line(format!("by = {}", by.format("%Y-%m-%d")), Some(cell));
        t.line(
            format!(
                "disbursed_percent = {}",
                toml_value(&Value::Number(*percent))
            ),
            Some(cell),
        );
    }
    let indicators = indicator_values(total);
    if !indicators.is_empty() {
        t.line(String::new(), None);
        t.line("[indicators]".into(), None);
        for (id, cell, v) in indicators {
            t.line(format!("{id} = {v}"), Some(&cell));
        }
    }
}

/// The cell of a budget key of a row (`allocated`, `disbursed`, `by_source`).
fn cell_for<'r>(row: &'r Row, key: &str) -> Option<&'r str> {
    let col = match key {
        "allocated" => Column::Allocated,
        "disbursed" => Column::Disbursed,
        "by_source" => {
            return row
                .values
                .iter()
                .find(|(c, _, _)| matches!(c, Column::Central | Column::Local))
                .map(|(_, c, _)| c.as_str())
        }
        part => {
            let kind = PartKind::from_key(part)?;
            return row
                .values
                .iter()
                .find(|(c, _, _)| {
                    matches!(c, Column::PartAllocated(k) | Column::PartDisbursed(k) if *k == kind)
                })
                .map(|(_, c, _)| c.as_str());
        }
    };
    row.values
        .iter()
        .find(|(c, _, _)| *c == col)
        .map(|(_, c, _)| c.as_str())
}

/// A row's budget as (key, TOML value) pairs — `allocated`, `disbursed`, `by_source` — and the
/// cell of its first figure, when it has any budget figure (a missing half is left for
/// validation to report as a missing key).
fn budget_fields(row: &Row) -> Option<(Vec<(&'static str, String)>, String)> {
    let get = |col: Column| row.values.iter().find(|(c, _, _)| *c == col);
    let first = row.values.iter().find(|(c, _, _)| c.is_money())?;
    let mut parts = Vec::new();
    for (key, col) in [
        ("allocated", Column::Allocated),
        ("disbursed", Column::Disbursed),
    ] {
        if let Some((_, _, v)) = get(col) {
            parts.push((key, toml_value(v)));
        }
    }
    let sources: Vec<String> = [("central", Column::Central), ("local", Column::Local)]
        .into_iter()
        .filter_map(|(k, col)| get(col).map(|(_, _, v)| format!("{k} = {}", toml_value(v))))
        .collect();
    if !sources.is_empty() {
        parts.push(("by_source", format!("{{ {} }}", sources.join(", "))));
    }
    for kind in PartKind::ALL {
        let figures: Vec<String> = [
            ("allocated", Column::PartAllocated(kind)),
            ("disbursed", Column::PartDisbursed(kind)),
        ]
        .into_iter()
        .filter_map(|(k, col)| get(col).map(|(_, _, v)| format!("{k} = {}", toml_value(v))))
        .collect();
        if !figures.is_empty() {
            parts.push((kind.key(), format!("{{ {} }}", figures.join(", "))));
        }
    }
    Some((parts, first.1.clone()))
}

/// A row's indicators as (id, cell of the actual value, `{ actual = …[, target = …] }`).
fn indicator_values(row: &Row) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (c, cell, v) in &row.values {
        let Column::Indicator(id) = c else { continue };
        let mut s = format!("{{ actual = {}", toml_value(v));
        if matches!(v, Value::Approx(_)) {
            s.push_str(", approximate = true");
        }
        let target = row
            .values
            .iter()
            .find(|(c, _, _)| *c == Column::IndicatorTarget(id.clone()));
        if let Some((_, _, t)) = target {
            s.push_str(&format!(", target = {}", toml_value(t)));
        }
        s.push_str(" }");
        out.push((id.clone(), cell.clone(), s));
    }
    // a target without its actual value is reported by validation as a missing actual
    for (c, cell, v) in &row.values {
        if let Column::IndicatorTarget(id) = c {
            if !out.iter().any(|(i, _, _)| i == id) {
                out.push((
                    id.clone(),
                    cell.clone(),
                    format!("{{ target = {} }}", toml_value(v)),
                ));
            }
        }
    }
    out
}

fn breakdown_row(t: &mut Text, row: &Row) {
    t.line(String::new(), None);
    t.line("[[breakdown]]".into(), None);
    t.line(format!("area = {}", quoted(&row.area_id)), None);
    for (c, cell, v) in &row.values {
        if let Column::Flag(id) = c {
            t.line(format!("{id} = {}", toml_value(v)), Some(cell));
        }
    }
    if let Some((fields, cell)) = budget_fields(row) {
        let fields: Vec<String> = fields.iter().map(|(k, v)| format!("{k} = {v}")).collect();
        t.line(format!("budget = {{ {} }}", fields.join(", ")), Some(&cell));
    }
    let inds = indicator_values(row);
    if let Some((_, cell, _)) = inds.first() {
        let all: Vec<String> = inds
            .iter()
            .map(|(id, _, v)| format!("{id} = {v}"))
            .collect();
        t.line(format!("indicators = {{ {} }}", all.join(", ")), Some(cell));
    }
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A value as TOML: a whole number bare, a decimal bare unless a Vietnamese reader would read
/// it differently (then quoted, the Vietnamese way).
pub(crate) fn toml_value(v: &Value) -> String {
    match v {
        Value::Number(d) | Value::Approx(d) => {
            let plain = d.normalize().to_string();
            // Bare only when TOML reads the same number: an integer within TOML's 64 bits, a
            // decimal whose float is that number (more digits would change it silently)
            let float_is_exact = || {
                plain
                    .parse::<f64>()
                    .ok()
                    .and_then(|f| crate::locale::decimal_from_str(&f.to_string()))
                    == Some(d.normalize())
            };
            let exact = plain.parse::<i64>().is_ok() || (plain.contains('.') && float_is_exact());
            if !exact || crate::locale::ambiguous_reading(&plain).is_some() {
                quoted(&format_number(*d, None))
            } else {
                plain
            }
        }
        Value::Bool(b) => b.to_string(),
        Value::Text(s) => quoted(s),
    }
}

/// Validates the site's data with the generated reports in place of (or beside) the files,
/// as a build would; problems in a generated report are placed at their cells.
fn validate(
    root: &Path,
    cfg: &SiteConfig,
    generated: &[Generated],
    shown: &str,
) -> Result<Data, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut raw =
        crate::data::load::load(root, cfg.raw.max_file_size, &mut diags).unwrap_or_default();
    for g in generated {
        raw.reports.retain(|(_, id, _)| id != &g.id);
        match toml::from_str::<ReportRaw>(&g.text) {
            Ok(r) => raw.reports.push((
                Src {
                    display: g.file.clone(),
                    text: g.text.clone(),
                },
                g.id.clone(),
                r,
            )),
            Err(e) => diags.push(crate::diag::toml_diagnostic(
                &e,
                &g.text,
                &g.file,
                0,
                "Báo cáo số liệu",
            )),
        }
    }
    let data = crate::data::validate::validate(raw, crate::site::today(), &mut diags);
    for d in &mut diags {
        let Some(g) = generated
            .iter()
            .find(|g| d.file.as_deref() == Some(g.file.as_str()))
        else {
            continue;
        };
        let cell = d.line.and_then(|l| g.cells.get(&l));
        d.file = Some(place_name(shown, &g.sheet, cell.map(String::as_str)));
        d.line = None;
        d.column = None;
    }
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok(data)
}

/// What changes between the old report (if any) and the new one, figure by figure.
fn changes(data: &Data, old: Option<&Report>, new: &Report, sheet: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut areas: Vec<usize> = vec![new.area];
    areas.extend(new.rows.iter().map(|r| r.area));
    if let Some(o) = old {
        let gone: Vec<usize> = o
            .rows
            .iter()
            .map(|r| r.area)
            .filter(|a| !areas.contains(a))
            .collect();
        areas.extend(gone);
    }
    for a in areas {
        let before = old
            .and_then(|o| o.figures_for(a))
            .map(|f| figures(data, new, f))
            .unwrap_or_default();
        let after = new
            .figures_for(a)
            .map(|f| figures(data, new, f))
            .unwrap_or_default();
        let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
        keys.sort();
        keys.dedup();
        for k in keys {
            let (b, n) = (before.get(k), after.get(k));
            if b != n {
                let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "(trống)".into());
                out.push(format!(
                    "{sheet} › {} › {k}: {} → {}",
                    data.areas[a].name,
                    show(b),
                    show(n)
                ));
            }
        }
    }
    out
}

/// The figures of one area as shown in the changes: label → value in the report's unit.
fn figures(data: &Data, r: &Report, f: &crate::data::Figures) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let money = |d: Decimal| {
        let v = crate::locale::convert_money(d, crate::locale::MoneyUnit::Dong, r.money_unit)
            .unwrap_or(d);
        format_number(v, None)
    };
    if let Some(b) = &f.budget {
        m.insert("Dự toán được giao".to_string(), money(b.allocated));
        m.insert("Đã giải ngân".to_string(), money(b.disbursed));
    }
    let p = &data.projects[r.project];
    for (id, v) in &f.indicators {
        let name = p
            .indicators
            .iter()
            .find(|i| &i.id == id)
            .map_or(id.clone(), |i| i.name.clone());
        m.insert(name, format_number(v.actual.0, None));
    }
    m
}

/// Writes the planned files, each atomically (a temporary file renamed into place).
pub fn write(root: &Path, planned: &[Planned]) -> Result<(), Diagnostic> {
    for p in planned {
        let path = root.join(&p.file);
        let dir = path.parent().unwrap_or(root);
        crate::fsutil::create_dir_all(dir).map_err(|e| Diagnostic::error(e.to_string()))?;
        let err = |e: std::io::Error| Diagnostic::error(format!("không ghi được {}: {e}", p.file));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
        std::io::Write::write_all(&mut tmp, p.text.as_bytes()).map_err(err)?;
        tmp.persist(&path).map_err(|e| err(e.error))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(values: &[(Column, &str)]) -> Row {
        Row {
            area_id: "dak-ha".into(),
            name: "Huyện Đăk Hà".into(),
            values: values
                .iter()
                .map(|(c, cell)| (c.clone(), cell.to_string(), Value::Number(Decimal::ONE)))
                .collect(),
        }
    }

    /// Found by fuzzing: a row with a figure in `allocated` and none in `disbursed` made a
    /// report without `disbursed`, and staff read the TOML reader's "missing key" with no cell.
    #[test]
    fn a_half_filled_budget_is_refused_at_its_row() {
        let place = Place {
            workbook: "mau.xlsx",
            sheet: "Kon Tum",
        };
        let at =
            |values: &[(Column, &str)]| half_budget(&row(values), &place).map(|d| d.to_string());
        assert_eq!(
            at(&[(Column::Allocated, "C13")]).as_deref(),
            Some("lỗi: mau.xlsx › Kon Tum › C13: dòng \"Huyện Đăk Hà\" có số liệu vốn nhưng thiếu số đã giải ngân\n  → cách sửa: gõ số đã giải ngân của dòng này (0 nếu chưa giải ngân), hoặc để trống mọi ô vốn của dòng")
        );
        assert!(at(&[(Column::Disbursed, "D13")])
            .unwrap()
            .contains("D13: dòng \"Huyện Đăk Hà\" có số liệu vốn nhưng thiếu dự toán được giao\n"));
        assert!(at(&[(Column::Central, "E13")])
            .unwrap()
            .contains("thiếu dự toán được giao và số đã giải ngân"));
        assert_eq!(
            at(&[(Column::Allocated, "C13"), (Column::Disbursed, "D13")]),
            None
        );
        assert_eq!(at(&[(Column::Indicator("lop".into()), "G13")]), None);
        assert_eq!(at(&[]), None);
    }

    /// Found by fuzzing, as the one above: a target without its actual value.
    #[test]
    fn a_target_without_its_actual_value_is_refused_at_its_cell() {
        let place = Place {
            workbook: "mau.xlsx",
            sheet: "Kon Tum",
        };
        let target = Column::IndicatorTarget("lop".into());
        let actual = Column::Indicator("lop".into());
        let d = target_only(&row(&[(target.clone(), "H13")]), &place, None).unwrap();
        assert_eq!(d.to_string(), "lỗi: mau.xlsx › Kon Tum › H13: dòng \"Huyện Đăk Hà\" có mục tiêu của chỉ tiêu \"lop\" nhưng chưa có số thực hiện\n  → cách sửa: gõ số thực hiện của chỉ tiêu này trên cùng dòng, hoặc xoá mục tiêu");
        let both = row(&[(target, "H13"), (actual.clone(), "G13")]);
        assert!(target_only(&both, &place, None).is_none());
        assert!(target_only(&row(&[(actual, "G13")]), &place, None).is_none());
    }

    /// Found by fuzzing, as the ones above: a target with no budget on the total row.
    #[test]
    fn a_target_without_a_budget_is_refused_at_the_target() {
        let place = Place {
            workbook: "mau.xlsx",
            sheet: "Kon Tum",
        };
        let date = chrono::NaiveDate::from_ymd_opt(2022, 12, 31).unwrap();
        let sheet = |total: Row| Sheet {
            name: "Kon Tum".into(),
            project: "du-an-8".into(),
            area: "kon-tum".into(),
            year: 2022,
            existing: Vec::new(),
            from_template: true,
            as_of: date,
            source: String::new(),
            target: Some((date, Decimal::from(68), "B8".into())),
            rows: vec![total],
        };
        let indicators_only = row(&[(Column::Indicator("lop".into()), "G12")]);
        let s = sheet(indicators_only.clone());
        assert_eq!(
            target_without_budget(&s, &indicators_only, &place).map(|d| d.to_string()).as_deref(),
            Some("lỗi: mau.xlsx › Kon Tum › B8: có mục tiêu giải ngân nhưng dòng tổng chưa có dự toán và số đã giải ngân\n  → cách sửa: gõ dự toán được giao và số đã giải ngân ở dòng tổng, hoặc xoá mục tiêu")
        );
        let budget = row(&[(Column::Allocated, "C12"), (Column::Disbursed, "D12")]);
        assert!(target_without_budget(&sheet(budget.clone()), &budget, &place).is_none());
    }

    /// A figure is written so that the report reads back exactly the same number: bare when
    /// TOML reads it so, else in quotes the Vietnamese way (read exactly, see `Amount`).
    #[test]
    fn figures_are_written_to_read_back_exactly() {
        let v = |s: &str| toml_value(&Value::Number(s.parse().unwrap()));
        assert_eq!(v("1393.5"), "1393.5");
        assert_eq!(v("1393.50"), "1393.5");
        assert_eq!(v("-12"), "-12");
        assert_eq!(
            v("4444444444444444444335"),
            "\"4.444.444.444.444.444.444.335\""
        );
        assert_eq!(v("3.829"), "\"3,829\"");
        assert_eq!(
            v("1234567.123456789012345"),
            "\"1.234.567,123456789012345\""
        );
    }

    /// Found by the fuzz harness: a CSV file's problems named it three times
    /// (`so-lieu.csv › so-lieu.csv › so-lieu.csv › dòng 2 › …`).
    #[test]
    fn places_name_the_file_once() {
        let csv_cell = "so-lieu.csv › dòng 2 › du_toan_trieu_dong";
        assert_eq!(
            place_name("so-lieu.csv", "so-lieu.csv", Some(csv_cell)),
            csv_cell
        );
        assert_eq!(
            place_name("so-lieu.csv", "so-lieu.csv", None),
            "so-lieu.csv"
        );
        assert_eq!(
            place_name("mau.xlsx", "Kon Tum", Some("C12")),
            "mau.xlsx › Kon Tum › C12"
        );
        assert_eq!(
            place_name("mau.xlsx", "Kon Tum", None),
            "mau.xlsx › Kon Tum"
        );
    }
}
