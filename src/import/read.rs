//! Reading a filled template (`.xlsx`, `.xls`, `.ods`) with calamine: every value taken from
//! its cell by the layout of [`super`], every problem named workbook › sheet › cell.

use std::io::Cursor;

use calamine::{Data as Cell, Range, Reader};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{
    cell_name, Column, AS_OF_ROW, HEADER_ROW, HELP_SHEET, ID_COL, KEYS_ROW, MAGIC, META_SHEET,
    NAME_COL, SOURCE_ROW, TARGET_BY_ROW, TARGET_ROW, TOTAL_ROW,
};
use crate::diag::Diagnostic;

/// A value read from a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Number(Decimal),
    /// An estimate ("khoảng 800").
    Approx(Decimal),
    Bool(bool),
    Text(String),
}

/// One filled row: the area it is for and its values, with the cell of each.
#[derive(Debug, Clone)]
pub struct Row {
    pub area_id: String,
    pub name: String,
    /// (column, cell name, value) of the non-empty cells.
    pub values: Vec<(Column, String, Value)>,
}

/// One area sheet as filled.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub project: String,
    pub area: String,
    pub year: i32,
    /// `report-id=hash` of the report files when the template was made.
    pub existing: Vec<(String, String)>,
    /// Read from a bantin template (not a CSV file, which records no report files).
    pub from_template: bool,
    pub as_of: NaiveDate,
    pub source: String,
    /// The disbursement target: by when, percent, and the percent's cell.
    pub target: Option<(NaiveDate, Decimal, String)>,
    /// The total row first, then the sub-areas that have at least one value.
    pub rows: Vec<Row>,
}

/// Where problems are reported: `mau.xlsx › Kon Tum › C11`.
pub struct Place<'a> {
    pub workbook: &'a str,
    pub sheet: &'a str,
}

impl Place<'_> {
    pub fn at(&self, row: u32, col: u16) -> String {
        format!(
            "{} › {} › {}",
            self.workbook,
            self.sheet,
            cell_name(row, col)
        )
    }

    fn error(
        &self,
        row: u32,
        col: u16,
        msg: impl Into<String>,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(msg).in_file(self.at(row, col)).hint(hint)
    }
}

/// Whether `bytes` are a workbook made by `bantin template` (its hidden sheet starts with
/// [`MAGIC`]): the editor's upload checks the content, not the file name.
pub fn is_template(bytes: &[u8]) -> bool {
    let Ok(mut wb) = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)) else {
        return false;
    };
    wb.worksheet_range(META_SHEET)
        .ok()
        .is_some_and(|m| matches!(m.get_value((0, 0)), Some(Cell::String(s)) if s == MAGIC))
}

/// Reads every area sheet of the workbook `bytes` (named `shown` in messages).
pub fn workbook(bytes: &[u8], shown: &str) -> Result<Vec<Sheet>, Vec<Diagnostic>> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        vec![Diagnostic::error(format!("không đọc được tệp bảng tính ({e})"))
            .in_file(shown)
            .hint("mở tệp bằng Excel hoặc LibreOffice và lưu lại dạng .xlsx; tệp phải là mẫu do bantin template tạo")]
    })?;
    let meta = wb
        .worksheet_range(META_SHEET)
        .ok()
        .filter(|m| matches!(m.get_value((0, 0)), Some(Cell::String(s)) if s == MAGIC));
    let Some(meta) = meta else {
        return Err(vec![Diagnostic::error("tệp này không phải mẫu báo cáo của bantin (thiếu trang ẩn _bantin)")
            .in_file(shown)
            .hint("tạo mẫu bằng bantin template DỰ-ÁN --year NĂM -o mau.xlsx, chép số liệu vào mẫu rồi nhập lại")]);
    };
    let mut sheets = Vec::new();
    let mut diags = Vec::new();
    for r in 1..meta.height() as u32 {
        let text = |c: u32| match meta.get_value((r, c)) {
            Some(Cell::String(s)) => s.clone(),
            Some(Cell::Float(f)) => f.to_string(),
            Some(Cell::Int(i)) => i.to_string(),
            _ => String::new(),
        };
        let name = text(0);
        if name.is_empty() || name == HELP_SHEET {
            continue;
        }
        let Ok(range) = wb.worksheet_range(&name) else {
            diags.push(
                Diagnostic::error(format!("thiếu trang tính \"{name}\" của mẫu"))
                    .in_file(shown)
                    .hint("không đổi tên hoặc xoá trang tính của mẫu; tạo lại mẫu nếu cần"),
            );
            continue;
        };
        let place = Place {
            workbook: shown,
            sheet: &name,
        };
        let head = (
            text(1),
            text(2),
            text(3).parse::<i32>().unwrap_or(0),
            text(4),
        );
        match sheet(&range, &place, head) {
            Ok(s) => sheets.push(s),
            Err(d) => diags.extend(d),
        }
    }
    if diags.is_empty() {
        Ok(sheets)
    } else {
        Err(diags)
    }
}

/// One area sheet: its date, source and rows.
fn sheet(
    range: &Range<Cell>,
    place: &Place<'_>,
    (project, area, year, existing): (String, String, i32, String),
) -> Result<Sheet, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let get = |r: u32, c: u16| {
        range
            .get_value((r, u32::from(c)))
            .cloned()
            .unwrap_or(Cell::Empty)
    };
    let as_of = match date(&get(AS_OF_ROW, NAME_COL)) {
        Ok(d) => Some(d),
        Err(msg) => {
            diags.push(place.error(
                AS_OF_ROW,
                NAME_COL,
                msg,
                "gõ ngày của số liệu, ví dụ 30/11/2022",
            ));
            None
        }
    };
    let source = match get(SOURCE_ROW, NAME_COL) {
        Cell::String(s) => s.trim().to_string(),
        _ => String::new(),
    };
    let target = match target(&get, place) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let keys: Vec<Option<Column>> = (0..range.width() as u16)
        .map(|c| match get(KEYS_ROW, c) {
            Cell::String(k) => Column::from_key(&k),
            _ => None,
        })
        .collect();
    diags.extend(copied_columns(&keys, &get, place));
    let mut rows = Vec::new();
    for r in TOTAL_ROW..range.height() as u32 {
        match row(&get, &keys, place, r) {
            Ok(Some(x)) => rows.push(x),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    let existing = existing
        .split_whitespace()
        .filter_map(|p| p.split_once('='))
        .map(|(id, h)| (id.to_string(), h.to_string()))
        .collect();
    match (as_of, diags.is_empty()) {
        (Some(as_of), true) => Ok(Sheet {
            name: place.sheet.to_string(),
            project,
            area,
            year,
            existing,
            from_template: true,
            as_of,
            source,
            target,
            rows,
        }),
        _ => Err(diags),
    }
}

/// A column copied in the sheet (its hidden key with it): the figure would be read twice, so
/// each copy is an error at its header.
fn copied_columns(
    keys: &[Option<Column>],
    get: &dyn Fn(u32, u16) -> Cell,
    place: &Place<'_>,
) -> Vec<Diagnostic> {
    let letters = |c: usize| {
        let name = cell_name(HEADER_ROW, c as u16);
        name.trim_end_matches(|d: char| d.is_ascii_digit())
            .to_string()
    };
    let mut diags = Vec::new();
    for (c, key) in keys.iter().enumerate() {
        let Some(key) = key else { continue };
        let Some(first) = keys[..c].iter().position(|k| k.as_ref() == Some(key)) else {
            continue;
        };
        let header = match get(HEADER_ROW, first as u16) {
            Cell::String(s) => format!(" ({})", s.trim()),
            _ => String::new(),
        };
        diags.push(place.error(
            HEADER_ROW,
            c as u16,
            format!(
                "cột {} là bản sao của cột {}{header}: một số liệu chỉ có một cột",
                letters(c),
                letters(first)
            ),
            format!(
                "xoá cột {} (số liệu gõ ở cột {}); cần cột khác thì tạo lại mẫu bằng bantin template",
                letters(c),
                letters(first)
            ),
        ));
    }
    diags
}

/// The disbursement target, when its percent is filled (then its date must be too).
fn target(
    get: &dyn Fn(u32, u16) -> Cell,
    place: &Place<'_>,
) -> Result<Option<(NaiveDate, Decimal, String)>, Diagnostic> {
    let percent = get(TARGET_ROW, NAME_COL);
    if percent == Cell::Empty {
        return Ok(None);
    }
    let p = match value(&percent, &Column::Allocated) {
        Ok(Value::Number(p)) => p,
        _ => {
            return Err(place.error(
                TARGET_ROW,
                NAME_COL,
                "mục tiêu giải ngân phải là một số phần trăm",
                "gõ số phần trăm, ví dụ 68,5",
            ))
        }
    };
    let by = date(&get(TARGET_BY_ROW, NAME_COL)).map_err(|m| {
        place.error(
            TARGET_BY_ROW,
            NAME_COL,
            m,
            "gõ ngày của mục tiêu, ví dụ 31/12/2022",
        )
    })?;
    Ok(Some((by, p, cell_name(TARGET_ROW, NAME_COL))))
}

/// One table row (`None` when empty). A row without an area id (inserted by hand, a subtotal)
/// is reported, not guessed.
fn row(
    get: &dyn Fn(u32, u16) -> Cell,
    keys: &[Option<Column>],
    place: &Place<'_>,
    r: u32,
) -> Result<Option<Row>, Diagnostic> {
    let name = match get(r, NAME_COL) {
        Cell::String(s) => s.trim().to_string(),
        Cell::Empty => String::new(),
        other => other.to_string(),
    };
    let mut values = Vec::new();
    for (c, key) in keys.iter().enumerate() {
        let Some(col) = key else { continue };
        let c = c as u16;
        let cell = get(r, c);
        if cell == Cell::Empty || matches!(&cell, Cell::String(s) if s.trim().is_empty()) {
            continue;
        }
        let v = value(&cell, col).map_err(|(msg, hint)| place.error(r, c, msg, hint))?;
        values.push((col.clone(), cell_name(r, c), v));
    }
    let area_id = match get(r, ID_COL) {
        Cell::String(s) => s.trim().to_string(),
        _ => String::new(),
    };
    if area_id.is_empty() {
        if values.is_empty() && name.is_empty() {
            return Ok(None);
        }
        let subtotal =
            name.to_lowercase().starts_with("cộng") || name.to_lowercase().starts_with("tổng");
        let msg = if subtotal {
            format!("dòng \"{name}\" là dòng cộng thêm vào mẫu; bantin không biết nó gồm những địa bàn nào")
        } else {
            format!("dòng \"{name}\" không có trong mẫu (thiếu mã địa bàn ở cột ẩn A)")
        };
        return Err(place.error(r, NAME_COL, msg, "xoá dòng này; mỗi địa bàn đã có sẵn một dòng trong mẫu (tạo lại mẫu nếu danh sách địa bàn đã đổi)"));
    }
    if values.is_empty() && r != TOTAL_ROW {
        return Ok(None);
    }
    Ok(Some(Row {
        area_id,
        name,
        values,
    }))
}

/// A cell's value for `col`: numbers from numbers or from text written the Vietnamese way,
/// yes/no from "có"/"không", text as it is. `Err((message, fix))`.
fn value(cell: &Cell, col: &Column) -> Result<Value, (String, String)> {
    let wants_flag_text = matches!(col, Column::Flag(_));
    match cell {
        Cell::Int(i) => Ok(Value::Number(Decimal::from(*i))),
        Cell::Float(f) => float(*f).map(Value::Number),
        Cell::Bool(b) => Ok(Value::Bool(*b)),
        Cell::String(s) if wants_flag_text => Ok(match s.trim().to_lowercase().as_str() {
            "có" | "co" | "x" => Value::Bool(true),
            "không" | "khong" => Value::Bool(false),
            _ => match crate::locale::read_vi(s) {
                Ok(d) => Value::Number(d),
                Err(_) => Value::Text(s.trim().to_string()),
            },
        }),
        Cell::String(s) if approx(s).is_some() && matches!(col, Column::Indicator(_)) => {
            crate::locale::read_vi(approx(s).unwrap_or_default())
                .map(Value::Approx)
                .map_err(|e| (e, "gõ một số, hoặc \"khoảng\" và một số".into()))
        }
        Cell::String(s) => crate::locale::read_vi(s).map(Value::Number).map_err(|e| {
            (
                e,
                "gõ một số vào ô này (ví dụ 3829 hoặc 1393,5) hoặc để trống".into(),
            )
        }),
        Cell::Error(e) => Err((
            format!("ô có lỗi công thức ({e:?})"),
            "sửa công thức hoặc gõ số trực tiếp".into(),
        )),
        other => Err((
            format!("ô chứa {other}, không phải số"),
            "gõ một số vào ô này hoặc để trống".into(),
        )),
    }
}

/// The number of an estimate written "khoảng 800" or "~800".
fn approx(s: &str) -> Option<&str> {
    let s = s.trim();
    s.strip_prefix("khoảng")
        .or_else(|| s.strip_prefix("Khoảng"))
        .or_else(|| s.strip_prefix('~'))
        .or_else(|| s.strip_prefix('≈'))
        .map(str::trim)
}

/// A number typed in Excel: read through its shortest decimal text, as TOML floats are.
fn float(f: f64) -> Result<Decimal, (String, String)> {
    if !f.is_finite() {
        return Err((
            "ô không chứa số hữu hạn".into(),
            "gõ một số vào ô này".into(),
        ));
    }
    crate::locale::decimal_from_str(&f.to_string())
        .or_else(|| Decimal::from_scientific(&format!("{f:e}")).ok())
        .ok_or_else(|| (format!("số {f} quá lớn"), "kiểm tra lại số".into()))
}

/// The date of the figures: an Excel date, or text `30/11/2022` or `2022-11-30`.
fn date(cell: &Cell) -> Result<NaiveDate, String> {
    let from_text = |s: &str| {
        let s = s.trim();
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
            .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
            .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
            .ok()
            .filter(super::writable_year)
            .ok_or_else(|| format!("\"{s}\" không phải một ngày"))
    };
    match cell {
        Cell::DateTime(dt) => serial_date(dt.as_f64()),
        Cell::Float(f) => serial_date(*f),
        Cell::Int(i) => serial_date(*i as f64),
        Cell::String(s) => from_text(s),
        Cell::DateTimeIso(s) => from_text(s.get(..10).unwrap_or(s)),
        Cell::Empty => Err("chưa có ngày của số liệu".into()),
        other => Err(format!("\"{other}\" không phải một ngày")),
    }
}

/// An Excel date serial (days since 1899-12-30, as in the 1900 date system).
fn serial_date(serial: f64) -> Result<NaiveDate, String> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
    if !(1.0..=2_958_465.0).contains(&serial) {
        return Err(format!("{serial} không phải một ngày"));
    }
    Ok(base + chrono::Duration::days(serial.floor() as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_values() {
        let n = |c: Cell| value(&c, &Column::Allocated);
        assert_eq!(
            n(Cell::Float(1393.5)),
            Ok(Value::Number(Decimal::new(13935, 1)))
        );
        assert_eq!(n(Cell::Int(3829)), Ok(Value::Number(Decimal::from(3829))));
        assert_eq!(
            n(Cell::String("1.250".into())),
            Ok(Value::Number(Decimal::from(1250)))
        );
        assert_eq!(
            n(Cell::String("540,5".into())),
            Ok(Value::Number(Decimal::new(5405, 1)))
        );
        let i = |c: Cell| value(&c, &Column::Indicator("x".into()));
        assert_eq!(
            i(Cell::String("khoảng 800".into())),
            Ok(Value::Approx(Decimal::from(800)))
        );
        assert_eq!(
            i(Cell::String("~1.200".into())),
            Ok(Value::Approx(Decimal::from(1200)))
        );
        assert!(
            n(Cell::String("khoảng 800".into())).is_err(),
            "no estimates of money"
        );
        assert!(n(Cell::String("nhiều".into())).is_err());
        let f = |c: Cell| value(&c, &Column::Flag("x".into()));
        assert_eq!(f(Cell::String("có".into())), Ok(Value::Bool(true)));
        assert_eq!(f(Cell::String("Không".into())), Ok(Value::Bool(false)));
        assert_eq!(
            f(Cell::String("ghi chú".into())),
            Ok(Value::Text("ghi chú".into()))
        );
    }

    /// Found by fuzzing: a column copied in Excel (its hidden key with it) made the importer
    /// write the key twice into the report, and the TOML parser's "duplicate key" reached staff.
    #[test]
    fn a_copied_column_is_refused_at_its_header() {
        let mut range = Range::new((0, 0), (TOTAL_ROW, 4));
        let cells = [
            (AS_OF_ROW, NAME_COL, Cell::String("30/11/2022".into())),
            (KEYS_ROW, 2, Cell::String("ind:lop".into())),
            (KEYS_ROW, 3, Cell::String("allocated".into())),
            (KEYS_ROW, 4, Cell::String("ind:lop".into())),
            (HEADER_ROW, 2, Cell::String("Lớp (lớp)".into())),
            (TOTAL_ROW, ID_COL, Cell::String("tinh-a".into())),
            (TOTAL_ROW, 2, Cell::Float(3.0)),
            (TOTAL_ROW, 4, Cell::Float(4.0)),
        ];
        for (r, c, v) in cells {
            range.set_value((r, u32::from(c)), v);
        }
        let place = Place {
            workbook: "mau.xlsx",
            sheet: "A",
        };
        let head = ("du-an-1".into(), "tinh-a".into(), 2022, String::new());
        let got: Vec<String> = sheet(&range, &place, head)
            .unwrap_err()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(
            got,
            ["lỗi: mau.xlsx › A › E11: cột E là bản sao của cột C (Lớp (lớp)): một số liệu chỉ có một cột\n  → cách sửa: xoá cột E (số liệu gõ ở cột C); cần cột khác thì tạo lại mẫu bằng bantin template"]
        );
    }

    #[test]
    fn dates() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(
            date(&Cell::String("30/11/2022".into())),
            Ok(d(2022, 11, 30))
        );
        assert_eq!(
            date(&Cell::String("2022-11-30".into())),
            Ok(d(2022, 11, 30))
        );
        assert_eq!(date(&Cell::Float(44895.0)), Ok(d(2022, 11, 30)));
        assert!(date(&Cell::Empty).is_err());
        assert!(date(&Cell::String("31/02/2022".into())).is_err());
        // found by fuzzing: chrono reads these, a report file cannot hold them
        assert!(date(&Cell::String("30/11/-2022".into())).is_err());
        assert!(date(&Cell::String("30/11/20222".into())).is_err());
    }
}
