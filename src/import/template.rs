//! `bantin template`: the workbook staff fill (see the module layout in [`super`]).

use std::path::Path;

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{
    cell_name, columns, file_hash, Column, AREA_ROW, AS_OF_ROW, HEADER_ROW, HELP_SHEET, ID_COL,
    KEYS_ROW, MAGIC, META_SHEET, NAME_COL, PROJECT_ROW, SOURCE_ROW, TARGET_BY_ROW, TARGET_ROW,
    TITLE_ROW, TOTAL_ROW, UNIT_ROW, YEAR_ROW,
};
use crate::config::SiteConfig;
use crate::data::model::FlagKind;
use crate::data::Data;
use crate::diag::Diagnostic;

/// What to make a template for.
pub struct Request<'a> {
    pub project: usize,
    /// The reporting areas, one sheet each.
    pub areas: Vec<usize>,
    pub year: i32,
    pub root: &'a Path,
}

/// The workbook's bytes.
pub fn workbook(cfg: &SiteConfig, data: &Data, req: &Request<'_>) -> Result<Vec<u8>, Diagnostic> {
    build(cfg, data, req).map_err(|e| {
        Diagnostic::error(format!("không tạo được tệp Excel: {e}"))
            .hint("xin báo lỗi cho nhóm phát triển bantin")
    })
}

fn build(cfg: &SiteConfig, data: &Data, req: &Request<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    help_sheet(wb.add_worksheet(), data, req)?;
    let mut meta_rows = Vec::new();
    for &area in &req.areas {
        let name = sheet_name(&data.areas[area].short_name, &meta_rows);
        area_sheet(wb.add_worksheet(), cfg, data, req, area, &name)?;
        meta_rows.push((name, area));
    }
    let meta = wb.add_worksheet();
    meta.set_name(META_SHEET)?;
    meta.write_string(0, 0, MAGIC)?;
    for (n, (sheet, area)) in meta_rows.iter().enumerate() {
        let row = n as u32 + 1;
        meta.write_string(row, 0, sheet)?;
        meta.write_string(row, 1, &data.projects[req.project].id)?;
        meta.write_string(row, 2, &data.areas[*area].id)?;
        meta.write_number(row, 3, f64::from(req.year))?;
        meta.write_string(row, 4, existing_reports(data, req, *area))?;
    }
    meta.set_hidden(true);
    wb.save_to_buffer()
}

/// `report-id=hash` of the report files of this project, area and year as they are now,
/// separated by spaces.
fn existing_reports(data: &Data, req: &Request<'_>, area: usize) -> String {
    let mut out = Vec::new();
    for r in data
        .reports
        .iter()
        .filter(|r| (r.project, r.area, r.year) == (req.project, area, req.year))
    {
        if let Ok(bytes) = std::fs::read(req.root.join(&r.file)) {
            out.push(format!("{}={}", r.id, file_hash(&bytes)));
        }
    }
    out.join(" ")
}

/// A sheet name Excel accepts (31 characters, none of `[]:*?/\`), unique in the workbook.
fn sheet_name(short: &str, taken: &[(String, usize)]) -> String {
    let clean: String = short
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(28)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while taken.iter().any(|(t, _)| t == &name) || name == META_SHEET || name == HELP_SHEET {
        name = format!("{clean} {n}");
        n += 1;
    }
    name
}

fn help_sheet(ws: &mut Worksheet, data: &Data, req: &Request<'_>) -> Result<(), XlsxError> {
    ws.set_name(HELP_SHEET)?;
    ws.set_column_width(0, 110)?;
    let bold = Format::new().set_bold();
    let p = &data.projects[req.project];
    ws.write_string_with_format(
        0,
        0,
        format!(
            "Mẫu báo cáo {}: {} – năm {}",
            data.project_label(req.project),
            p.name,
            req.year
        ),
        &bold,
    )?;
    let lines = [
        "Mỗi trang tính là một địa bàn báo cáo; mỗi dòng là một địa bàn trực thuộc. Dòng đầu bảng là tổng của địa bàn báo cáo.",
        "Chỉ điền vào các ô nền vàng: ngày số liệu, nguồn, và các số của từng địa bàn. Các ô khác đã khoá.",
        "Số viết như thường lệ trong Excel (3829 hoặc 1393,5). Số gõ dạng chữ theo cách Việt Nam (\"1.250\" là một nghìn hai trăm năm mươi, \"540,5\") cũng đọc được.",
        "Ngày số liệu: gõ ngày (30/11/2022) hoặc năm-tháng-ngày (2022-11-30).",
        "Ô để trống: không có số liệu (không phải số 0). Không chèn dòng tổng phụ (\"Cộng\"), không gộp ô.",
        "Các cột có/không: gõ \"có\" hoặc \"không\". Số ước tính của chỉ tiêu: gõ \"khoảng 800\".",
        "Mục tiêu giải ngân (%) và ngày của mục tiêu: điền nếu kế hoạch có; vốn trung ương/địa phương: điền nếu biểu mẫu tách nguồn.",
        "Vốn đầu tư phát triển và vốn sự nghiệp (nếu có cột): hai phần của kế hoạch vốn năm, cộng lại bằng dự toán được giao. Vốn năm trước chuyển sang ghi riêng, không cộng vào dự toán năm; mỗi dòng vốn điền cả dự toán và số đã giải ngân.",
        "Điền xong, lưu tệp rồi chạy: bantin import TÊN-TỆP.xlsx --dry-run (xem trước thay đổi), rồi bantin import TÊN-TỆP.xlsx.",
        "Không đổi tên trang tính, không xoá các cột và dòng ẩn: bantin dùng chúng để biết mỗi ô là số liệu gì.",
    ];
    for (i, line) in lines.iter().enumerate() {
        ws.write_string(i as u32 + 2, 0, *line)?;
    }
    Ok(())
}

fn area_sheet(
    ws: &mut Worksheet,
    cfg: &SiteConfig,
    data: &Data,
    req: &Request<'_>,
    area: usize,
    name: &str,
) -> Result<(), XlsxError> {
    ws.set_name(name)?;
    let bold = Format::new().set_bold();
    let input = Format::new()
        .set_unlocked()
        .set_background_color("#FFF2CC")
        .set_border(FormatBorder::Thin);
    let a = &data.areas[area];
    let p = &data.projects[req.project];
    let title = format!(
        "{}: {} – {} – năm {}",
        data.project_label(req.project),
        p.name,
        a.name,
        req.year
    );
    ws.write_string_with_format(TITLE_ROW, 0, title, &bold)?;
    let unit = cfg.money_unit.word();
    let labels: [(u32, &str, String); 4] = [
        (
            PROJECT_ROW,
            "Dự án",
            format!("{} ({})", data.project_label(req.project), p.id),
        ),
        (AREA_ROW, "Địa bàn báo cáo", a.name.clone()),
        (YEAR_ROW, "Năm", req.year.to_string()),
        (UNIT_ROW, "Đơn vị tiền", unit.to_string()),
    ];
    for (row, label, value) in labels {
        ws.write_string_with_format(row, 0, label, &bold)?;
        ws.write_string(row, NAME_COL, value)?;
    }
    ws.write_string_with_format(AS_OF_ROW, 0, "Số liệu đến ngày", &bold)?;
    ws.write_blank(AS_OF_ROW, NAME_COL, &input)?;
    ws.write_string_with_format(SOURCE_ROW, 0, "Nguồn số liệu", &bold)?;
    ws.write_blank(SOURCE_ROW, NAME_COL, &input)?;
    ws.write_string_with_format(TARGET_ROW, 0, "Mục tiêu giải ngân (%)", &bold)?;
    ws.write_blank(TARGET_ROW, NAME_COL, &input)?;
    ws.write_string_with_format(TARGET_BY_ROW, 0, "Mục tiêu đến ngày", &bold)?;
    ws.write_blank(TARGET_BY_ROW, NAME_COL, &input)?;
    table(ws, cfg, data, req, area, &input)?;
    ws.set_column_width(NAME_COL, 34)?;
    ws.set_column_width(0, 18)?;
    ws.set_row_hidden(KEYS_ROW)?;
    ws.set_freeze_panes(TOTAL_ROW, NAME_COL + 1)?;
    ws.protect();
    Ok(())
}

/// The figures table: headers with units, the keys row, the total row and one row per
/// current sub-area, the input cells validated.
fn table(
    ws: &mut Worksheet,
    cfg: &SiteConfig,
    data: &Data,
    req: &Request<'_>,
    area: usize,
    input: &Format,
) -> Result<(), XlsxError> {
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin);
    let cols = columns(data, req.project);
    ws.write_string_with_format(HEADER_ROW, ID_COL, "Mã địa bàn", &head)?;
    ws.write_string_with_format(HEADER_ROW, NAME_COL, "Địa bàn", &head)?;
    ws.write_string(KEYS_ROW, ID_COL, "id")?;
    ws.write_string(KEYS_ROW, NAME_COL, "name")?;
    let today = crate::site::today();
    let a = &data.areas[area];
    let mut rows = vec![(area, format!("Tổng: {}", a.name))];
    for &c in &a.children {
        if !data.areas[c].is_historical(today) {
            rows.push((c, data.areas[c].name.clone()));
        }
    }
    let last = TOTAL_ROW + rows.len() as u32 - 1;
    for (n, col) in cols.iter().enumerate() {
        let c = NAME_COL + 1 + n as u16;
        ws.write_string_with_format(
            HEADER_ROW,
            c,
            header(cfg.money_unit.word(), data, req.project, col),
            &head,
        )?;
        ws.write_string(KEYS_ROW, c, col.key())?;
        ws.set_column_width(c, 16)?;
        ws.add_data_validation(TOTAL_ROW, c, last, c, &validation(data, req.project, col)?)?;
    }
    for (i, (id, name)) in rows.iter().enumerate() {
        let r = TOTAL_ROW + i as u32;
        ws.write_string(r, ID_COL, &data.areas[*id].id)?;
        ws.write_string(r, NAME_COL, name)?;
        for n in 0..cols.len() {
            ws.write_blank(r, NAME_COL + 1 + n as u16, input)?;
        }
    }
    ws.set_column_hidden(ID_COL)?;
    let _ = cell_name; // the reader names cells the same way
    Ok(())
}

/// A column's header, with its unit (`unit`: the word of money amounts, "triệu đồng"). The
/// editor's figures grid heads its columns with the same words.
pub(crate) fn header(unit: &str, data: &Data, project: usize, col: &Column) -> String {
    let p = &data.projects[project];
    match col {
        Column::Allocated => format!("Dự toán được giao ({unit})"),
        Column::Disbursed => format!("Đã giải ngân ({unit})"),
        Column::Central => format!("Trong đó vốn trung ương ({unit})"),
        Column::Local => format!("Trong đó vốn địa phương ({unit})"),
        Column::PartAllocated(k) => format!("{} – dự toán ({unit})", k.label()),
        Column::PartDisbursed(k) => format!("{} – đã giải ngân ({unit})", k.label()),
        Column::Indicator(id) | Column::IndicatorTarget(id) => {
            let i = p.indicators.iter().find(|i| &i.id == id);
            let name = i.map_or(id.clone(), |i| i.name.clone());
            let name = match col {
                Column::IndicatorTarget(_) => format!("{name} – mục tiêu"),
                _ => name,
            };
            match i {
                Some(i) if !i.unit.is_empty() => format!("{name} ({})", i.unit),
                _ => name,
            }
        }
        Column::Flag(id) => {
            let f = p.flags.iter().find(|f| &f.id == id);
            match f {
                Some(f) => match f.kind {
                    FlagKind::YesNo => format!("{} (có/không)", f.name),
                    FlagKind::Number => match &f.unit {
                        Some(u) => format!("{} ({u})", f.name),
                        None => f.name.clone(),
                    },
                    FlagKind::Text => f.name.clone(),
                },
                None => id.clone(),
            }
        }
    }
}

/// Numbers not below zero; yes/no from a list; text free.
fn validation(data: &Data, project: usize, col: &Column) -> Result<DataValidation, XlsxError> {
    let kind = match col {
        Column::Flag(id) => data.projects[project]
            .flags
            .iter()
            .find(|f| &f.id == id)
            .map(|f| f.kind),
        // "khoảng 800" is an estimate: text allowed
        Column::Indicator(_) => None,
        _ => Some(FlagKind::Number),
    };
    Ok(match kind {
        Some(FlagKind::YesNo) => DataValidation::new()
            .allow_list_strings(&["có", "không"])?
            .set_error_message("Gõ có hoặc không.")?,
        Some(FlagKind::Number) => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_message("Ô này nhận một số không âm (ví dụ 3829 hoặc 1393,5).")?,
        _ => DataValidation::new().allow_any_value(),
    })
}
