//! Reading a report as CSV, in the columns of the open-data CSV bantin publishes
//! (`ma_dia_ban`, `du_toan_trieu_dong`, `da_giai_ngan_trieu_dong`, one column per indicator
//! and declared row key, `du_an`, `nam`, `ngay_so_lieu`, `nguon`): the first row is the
//! reporting area's total, the others its sub-areas.
//!
//! Encodings: UTF-8 (with or without BOM), UTF-16 (with BOM) and Windows-1258 are read; files
//! in the legacy TCVN3 (ABC) or VNI font encodings, still common in government archives, are
//! recognised and refused with how to convert them. Numbers: a file whose numbers use a decimal
//! comma ("1.250,5") is read the Vietnamese way, one with decimal dots ("1393.5") the plain
//! way; a cell like "1.250" in a file that shows neither is refused with both readings.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::read::{Row, Sheet, Value};
use super::Column;
use crate::data::{Data, PartKind};
use crate::diag::Diagnostic;
use crate::locale::MoneyUnit;

/// Decodes a CSV file's bytes to text, or says which legacy encoding it is in.
pub fn decode(bytes: &[u8], shown: &str) -> Result<String, Diagnostic> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest, shown);
    }
    for (bom, enc) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            let (text, _, bad) = enc.decode(bytes);
            return match bad {
                false => Ok(text.into_owned()),
                true => Err(Diagnostic::error("tệp UTF-16 có ký tự hỏng")
                    .in_file(shown)
                    .hint(SAVE_AS)),
            };
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_string());
    }
    match legacy(bytes) {
        Some(name) => Err(Diagnostic::error(format!(
            "tệp dùng bảng mã {name}, bảng mã cũ của phông chữ Việt trước Unicode; đọc nó như Unicode sẽ ra chữ sai"
        ))
        .in_file(shown)
        .hint(format!("chuyển mã sang Unicode: mở Unikey → Công cụ (Ctrl+Shift+F6), Bảng mã nguồn {name}, đích Unicode, chuyển tệp; hoặc mở trong Excel với phông cũ, chuyển mã rồi {SAVE_AS}"))),
        None => {
            let (text, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
            Ok(crate::locale::nfc::normalize_text(&text))
        }
    }
}

const SAVE_AS: &str = "lưu lại dạng CSV UTF-8 (Excel: Lưu thành… → CSV UTF-8)";

fn utf8(bytes: &[u8], shown: &str) -> Result<String, Diagnostic> {
    std::str::from_utf8(bytes).map(str::to_string).map_err(|_| {
        Diagnostic::error("tệp có BOM UTF-8 nhưng không phải UTF-8")
            .in_file(shown)
            .hint(SAVE_AS)
    })
}

/// TCVN3 or VNI, when bytes that are not UTF-8 look like one of them rather than
/// Windows-1258 (which writes tones as combining marks: bytes CC, EC, D2, DE, F2).
fn legacy(bytes: &[u8]) -> Option<&'static str> {
    let high: Vec<u8> = bytes.iter().copied().filter(|b| *b >= 0x80).collect();
    if high.is_empty() {
        return None;
    }
    let tone_marks = high
        .iter()
        .filter(|b| matches!(b, 0xCC | 0xEC | 0xD2 | 0xDE | 0xF2))
        .count();
    // VNI writes a base vowel then a mark byte: "Vieät", "ñöôïc"
    let vni_pairs = bytes
        .windows(2)
        .filter(|w| {
            b"aeiouyAEIOUY".contains(&w[0])
                && matches!(
                    w[1],
                    0xF9 | 0xF8 | 0xFB | 0xF5 | 0xEF | 0xE4 | 0xE5 | 0xEB | 0xE2 | 0xEA | 0xF6
                )
        })
        .count();
    if vni_pairs * 2 >= high.len() {
        return Some("VNI");
    }
    // TCVN3 puts most marked lower-case vowels in A8–FE without combining marks
    let tcvn = high.iter().filter(|b| (0xA8..=0xFE).contains(*b)).count();
    (tone_marks * 4 < high.len() && tcvn * 4 >= high.len() * 3)
        .then_some("TCVN3 (ABC, phông .VnTime)")
}

/// How the file writes numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// "1.250,5"
    Vietnamese,
    /// "1250.5"
    Dots,
    /// Neither shown: a "1.250" cannot be read.
    Unknown,
}

/// The report in `text` (a CSV of the open-data columns), as a sheet for [`super::apply`].
pub fn sheet(
    text: &str,
    shown: &str,
    data: &Data,
    unit: MoneyUnit,
) -> Result<Sheet, Vec<Diagnostic>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let head: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => {
            return Err(vec![Diagnostic::error(format!(
                "không đọc được dòng tiêu đề CSV ({e})"
            ))
            .in_file(shown)])
        }
    };
    let records: Vec<csv::StringRecord> = rdr.records().filter_map(Result::ok).collect();
    let style = number_style(&records);
    let col = |name: &str| head.iter().position(|h| h == name);
    let need = |name: &str| {
        col(name).ok_or_else(|| {
            vec![Diagnostic::error(format!("thiếu cột {name}"))
                .in_file(shown)
                .hint(COLUMNS)]
        })
    };
    let (id_col, project_col) = (need("ma_dia_ban")?, need("du_an")?);
    let first = records.first().ok_or_else(|| {
        vec![Diagnostic::error("tệp CSV không có dòng số liệu nào")
            .in_file(shown)
            .hint(COLUMNS)]
    })?;
    let field = |c: Option<usize>| {
        c.and_then(|c| first.get(c))
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let project = field(Some(project_col));
    let year = field(col("nam")).parse::<i32>().ok();
    let as_of = NaiveDate::parse_from_str(&field(col("ngay_so_lieu")), "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(&field(col("ngay_so_lieu")), "%d/%m/%Y"))
        .ok()
        .filter(super::writable_year);
    let (Some(year), Some(as_of)) = (year, as_of) else {
        return Err(vec![Diagnostic::error(
            "cột nam hoặc ngay_so_lieu của dòng đầu thiếu hoặc sai",
        )
        .in_file(format!("{shown} › dòng 2"))
        .hint(
            "nam là năm (2022), ngay_so_lieu là ngày (2022-11-30 hoặc 30/11/2022)",
        )]);
    };
    let columns = value_columns(&head, data, &project, unit);
    let copies = copied_columns(&columns, &head, shown);
    if !copies.is_empty() {
        return Err(copies);
    }
    let layout = Layout {
        id_col,
        columns,
        head: &head,
        style,
        shown,
        unit,
    };
    let mut rows = Vec::new();
    let mut diags = Vec::new();
    for (n, rec) in records.iter().enumerate() {
        match row(rec, n + 2, &layout) {
            Ok(r) => rows.push(r),
            Err(d) => diags.extend(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let area = rows.first().map(|r| r.area_id.clone()).unwrap_or_default();
    Ok(Sheet {
        name: shown.to_string(),
        project,
        area,
        year,
        existing: Vec::new(),
        from_template: false,
        as_of,
        source: field(col("nguon")),
        target: None,
        rows,
    })
}

const COLUMNS: &str = "dùng các cột của tệp CSV bantin xuất ở trang /du-lieu/: ma_dia_ban, du_toan_<đơn vị>, da_giai_ngan_<đơn vị> (và khi có: du_toan_trung_uong_…, du_toan_dia_phuong_…, du_toan_dau_tu_…, da_giai_ngan_dau_tu_…, du_toan_su_nghiep_…, da_giai_ngan_su_nghiep_…, du_toan_chuyen_sang_…, da_giai_ngan_chuyen_sang_…), các mã chỉ tiêu, du_an, nam, ngay_so_lieu, nguon";

/// The columns that carry figures: (column index, what it is, the unit its money is in).
fn value_columns(
    head: &[String],
    data: &Data,
    project: &str,
    unit: MoneyUnit,
) -> Vec<(usize, Column, MoneyUnit)> {
    let p = data.project_index.get(project).map(|&p| &data.projects[p]);
    let mut out = Vec::new();
    for (i, h) in head.iter().enumerate() {
        let money = |prefix: &str| {
            let u = h.strip_prefix(prefix)?.replace('_', "-");
            u.parse::<MoneyUnit>().ok()
        };
        let line = |prefix: &str| {
            let (kind, u) = PartKind::ALL
                .into_iter()
                .find_map(|k| Some((k, money(&format!("{prefix}{}_", k.column()))?)))?;
            Some((kind, u))
        };
        if let Some(u) = money("du_toan_trung_uong_") {
            out.push((i, Column::Central, u));
        } else if let Some(u) = money("du_toan_dia_phuong_") {
            out.push((i, Column::Local, u));
        } else if let Some((k, u)) = line("du_toan_") {
            out.push((i, Column::PartAllocated(k), u));
        } else if let Some((k, u)) = line("da_giai_ngan_") {
            out.push((i, Column::PartDisbursed(k), u));
        } else if let Some(u) = money("du_toan_") {
            out.push((i, Column::Allocated, u));
        } else if let Some(u) = money("da_giai_ngan_") {
            out.push((i, Column::Disbursed, u));
        } else if p.is_some_and(|p| p.indicators.iter().any(|x| &x.id == h)) {
            out.push((i, Column::Indicator(h.clone()), unit));
        } else if p.is_some_and(|p| p.flags.iter().any(|x| &x.id == h)) {
            out.push((i, Column::Flag(h.clone()), unit));
        }
    }
    out
}

/// Two columns for one figure (a header written twice, or `du_toan_trieu_dong` beside
/// `du_toan_ty_dong`): an error naming both, as the figure would be read twice.
fn copied_columns(
    columns: &[(usize, Column, MoneyUnit)],
    head: &[String],
    shown: &str,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (n, (i, col, _)) in columns.iter().enumerate() {
        let Some((first, _, _)) = columns[..n].iter().find(|(_, c, _)| c == col) else {
            continue;
        };
        diags.push(
            Diagnostic::error(format!(
                "cột {} (cột thứ {}) và cột {} (cột thứ {}) ghi cùng một số liệu",
                head[*first],
                first + 1,
                head[*i],
                i + 1
            ))
            .in_file(shown)
            .hint("giữ một cột cho mỗi số liệu, xoá cột kia"),
        );
    }
    diags
}

/// How the numbers of the file are written, from the cells that show it.
fn number_style(records: &[csv::StringRecord]) -> Style {
    let cells = records.iter().flat_map(|r| r.iter());
    let mut style = Style::Unknown;
    for c in cells {
        let c = c.trim();
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if c.split_once(',')
            .is_some_and(|(i, f)| digits(&i.replace('.', "")) && digits(f))
        {
            return Style::Vietnamese;
        }
        if c.split_once('.')
            .is_some_and(|(i, f)| digits(i) && digits(f) && f.len() != 3)
        {
            style = Style::Dots;
        }
    }
    style
}

/// One data row (`line`: its line in the file).
/// What every row of one file is read with.
struct Layout<'a> {
    id_col: usize,
    columns: Vec<(usize, Column, MoneyUnit)>,
    head: &'a [String],
    style: Style,
    shown: &'a str,
    unit: MoneyUnit,
}

fn row(rec: &csv::StringRecord, line: usize, layout: &Layout<'_>) -> Result<Row, Vec<Diagnostic>> {
    let Layout {
        id_col,
        ref columns,
        head,
        style,
        shown,
        unit,
    } = *layout;
    let area_id = rec.get(id_col).unwrap_or("").trim().to_string();
    let mut values = Vec::new();
    let mut diags = Vec::new();
    for (c, column, from) in columns.iter() {
        let cell = rec.get(*c).unwrap_or("").trim();
        if cell.is_empty() {
            continue;
        }
        let place = format!("{shown} › dòng {line} › {}", head[*c]);
        match number(cell, style, column) {
            Ok(Value::Number(d)) if column.is_money() => {
                values.push((
                    column.clone(),
                    place,
                    Value::Number(convert(d, *from, unit)),
                ));
            }
            Ok(v) => values.push((column.clone(), place, v)),
            Err((msg, hint)) => diags.push(Diagnostic::error(msg).in_file(place).hint(hint)),
        }
    }
    if area_id.is_empty() {
        diags.push(Diagnostic::error("dòng không có ma_dia_ban").in_file(format!("{shown} › dòng {line}")).hint("ghi mã địa bàn (trong content/data/areas.toml) ở cột ma_dia_ban, hoặc xoá dòng tổng phụ này"));
    }
    match diags.is_empty() {
        true => Ok(Row {
            area_id,
            name: String::new(),
            values,
        }),
        false => Err(diags),
    }
}

/// Money in the column's unit, converted to the site's (the unit the report is written in).
fn convert(d: Decimal, from: MoneyUnit, to: MoneyUnit) -> Decimal {
    crate::locale::convert_money(d, from, to).unwrap_or(d)
}

/// A cell's value in the file's number style.
fn number(cell: &str, style: Style, column: &Column) -> Result<Value, (String, String)> {
    if matches!(column, Column::Flag(_)) {
        return Ok(match cell.to_lowercase().as_str() {
            "co" | "có" | "true" => Value::Bool(true),
            "khong" | "không" | "false" => Value::Bool(false),
            _ => Value::Text(cell.to_string()),
        });
    }
    let ambiguous = crate::locale::ambiguous_reading(cell);
    let read = match (style, ambiguous) {
        (Style::Unknown, Some((dot, vi))) => {
            return Err((
                format!("số {cell} đọc được hai cách: {} hoặc {}", crate::locale::format_number(vi, None), crate::locale::format_number(dot, None)),
                "trong cả tệp, viết số thập phân bằng dấu phẩy (1250,5) và bỏ dấu chấm hàng nghìn, hoặc ngược lại; tệp xuất từ bantin dùng dấu chấm thập phân".into(),
            ))
        }
        (Style::Dots, _) => crate::locale::decimal_from_str(cell).ok_or_else(|| format!("\"{cell}\" không phải số")),
        _ => crate::locale::read_vi(cell),
    };
    read.map(Value::Number)
        .map_err(|e| (e, "ghi một số hoặc để trống".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: a header written twice made the importer write the key twice into
    /// the report, and staff read the TOML parser's "duplicate key".
    #[test]
    fn two_columns_for_one_figure_are_refused() {
        let head: Vec<String> = [
            "ma_dia_ban",
            "lop",
            "du_toan_trieu_dong",
            "lop",
            "du_toan_ty_dong",
        ]
        .map(String::from)
        .to_vec();
        let u = MoneyUnit::TrieuDong;
        let columns = [
            (1, Column::Indicator("lop".into()), u),
            (2, Column::Allocated, u),
            (3, Column::Indicator("lop".into()), u),
            (4, Column::Allocated, MoneyUnit::TyDong),
        ];
        let got: Vec<String> = copied_columns(&columns, &head, "so-lieu.csv")
            .iter()
            .map(|d| d.to_string())
            .collect();
        let hint = "\n  → cách sửa: giữ một cột cho mỗi số liệu, xoá cột kia";
        assert_eq!(
            got,
            [
                format!("lỗi: so-lieu.csv: cột lop (cột thứ 2) và cột lop (cột thứ 4) ghi cùng một số liệu{hint}"),
                format!("lỗi: so-lieu.csv: cột du_toan_trieu_dong (cột thứ 3) và cột du_toan_ty_dong (cột thứ 5) ghi cùng một số liệu{hint}"),
            ]
        );
        assert!(copied_columns(&columns[..2], &head, "so-lieu.csv").is_empty());
    }

    #[test]
    fn encodings() {
        let vi = "Huyện Đăk Hà";
        assert_eq!(decode(vi.as_bytes(), "a.csv").unwrap(), vi);
        let bom = [&b"\xEF\xBB\xBF"[..], vi.as_bytes()].concat();
        assert_eq!(decode(&bom, "a.csv").unwrap(), vi);
        let mut le = vec![0xFF, 0xFE];
        for u in vi.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&le, "a.csv").unwrap(), vi);
        // Windows-1258 writes the tones as combining marks: ê + dot below, a + grave
        let cp1258 = b"Huy\xea\xf2n \xd0\xe3k Ha\xcc";
        assert_eq!(decode(cp1258, "a.csv").unwrap(), vi);
        // "Việt Nam" in TCVN3 and in VNI
        let tcvn3 = b"Vi\xd6t Nam, huy\xd6n \xae\xb8k H\xb5";
        let e = decode(tcvn3, "a.csv").unwrap_err().to_string();
        assert!(e.contains("TCVN3"), "{e}");
        let vni = b"Vie\xe4t Nam, huye\xe4n \xf1aa\xf9k Ha\xf8";
        let e = decode(vni, "a.csv").unwrap_err().to_string();
        assert!(e.contains("VNI"), "{e}");
    }

    #[test]
    fn number_styles() {
        let rec = |cells: &[&str]| csv::StringRecord::from(cells.to_vec());
        assert_eq!(number_style(&[rec(&["1.250,5", "3"])]), Style::Vietnamese);
        assert_eq!(number_style(&[rec(&["1393.5", "1.250"])]), Style::Dots);
        assert_eq!(number_style(&[rec(&["1.250", "3829"])]), Style::Unknown);
        let n = |c: &str, s| number(c, s, &Column::Allocated);
        assert_eq!(
            n("1.250", Style::Vietnamese),
            Ok(Value::Number(Decimal::from(1250)))
        );
        assert_eq!(
            n("1.250", Style::Dots),
            Ok(Value::Number(Decimal::new(125, 2)))
        );
        assert!(n("1.250", Style::Unknown)
            .unwrap_err()
            .0
            .contains("đọc được hai cách"));
    }
}
