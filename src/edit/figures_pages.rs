//! The screens of the figures grid: the list of report files and the grid itself
//! (server-rendered; `so-lieu.js` adds the live check and the paste of a block of cells).

use crate::escape::html as esc;
use crate::journal::Base;

use super::article_pages::base_value;
use super::figures::{cell_id, Grid, Note, Notes};
use super::pages::{csrf_field, layout, Who};

/// The script of the grid (same origin: the CSP allows no inline script).
pub const JS_PATH: &str = "/tai-nguyen/so-lieu.js";
pub const JS: &str = include_str!("so-lieu.js");

/// One line of the report list.
pub struct ReportLine {
    pub name: String,
    pub project: String,
    pub area: String,
    pub year: i32,
    pub as_of: String,
}

/// The workbook upload form (biên tập and quản trị): works without JavaScript, the token in
/// the multipart body.
fn upload_form(who: &Who) -> String {
    format!(
        "<h2>Nhập từ bảng tính</h2><form method=\"post\" action=\"/so-lieu/nhap\" enctype=\"multipart/form-data\" class=\"the\">{}\
         <label for=\"tep\">Mẫu báo cáo đã điền (.xlsx, tải mẫu ở cột Mẫu Excel)</label>\
         <input type=\"file\" id=\"tep\" name=\"tep\" accept=\".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\" required>\
         <p><button type=\"submit\">Tải lên và nhập</button></p></form>",
        csrf_field(&who.csrf)
    )
}

pub fn list(who: &Who, reports: &[ReportLine], problems: &[String]) -> String {
    let mut out = String::from("<h1>Số liệu báo cáo</h1>");
    out.push_str("<p>Mỗi báo cáo là một tệp trong <code>content/data/reports/</code>. Mở một báo cáo để sửa số liệu theo bảng, hoặc dán nhiều ô từ Excel vào bảng.</p>");
    for p in problems {
        out.push_str(&format!("<p class=\"loi\">{}</p>", esc(p)));
    }
    if reports.is_empty() {
        out.push_str("<p>Trang chưa có báo cáo số liệu nào.</p>");
        return layout("Số liệu", Some(who), &out);
    }
    out.push_str(
        "<div class=\"bang\" role=\"region\" aria-label=\"Các báo cáo số liệu\" tabindex=\"0\"><table><caption class=\"bo-qua\">Các báo cáo số liệu</caption><thead><tr>\
         <th scope=\"col\">Dự án</th><th scope=\"col\">Địa bàn</th><th scope=\"col\">Năm</th><th scope=\"col\">Số liệu đến</th><th scope=\"col\">Tệp</th><th scope=\"col\">Mẫu Excel</th></tr></thead><tbody>",
    );
    for r in reports {
        out.push_str(&format!(
            "<tr><td><a href=\"/so-lieu/{n}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td><small class=\"tep\">{n}</small></td><td><a href=\"/so-lieu/mau/{x}\">Tải mẫu {x}</a></td></tr>",
            esc(&r.project),
            esc(&r.area),
            r.year,
            esc(&r.as_of),
            n = esc(&r.name),
            x = esc(&r.name.replace(".toml", ".xlsx")),
        ));
    }
    out.push_str("</tbody></table></div>");
    if who.role >= super::accounts::Role::BienTap {
        out.push_str(&upload_form(who));
    }
    layout("Số liệu", Some(who), &out)
}

/// What the grid page shows besides the grid.
pub struct GridPage<'a> {
    pub who: &'a Who,
    pub grid: &'a Grid,
    /// The values to show: the file's, or those just sent back with their problems.
    pub values: &'a dyn Fn(&str) -> String,
    pub notes: &'a Notes,
    pub base: &'a Base,
    pub notice: Option<&'a str>,
    /// A phóng viên: the grid is shown read-only.
    pub read_only: bool,
}

fn note_html(id: &str, notes: &[Note]) -> String {
    let text: Vec<String> = notes.iter().map(|n| esc(&n.text)).collect();
    let class = if notes.iter().any(|n| n.error) {
        "loi"
    } else {
        "loi canh-bao"
    };
    format!(
        "<p class=\"{class}\" id=\"loi-{id}\">{}</p>",
        text.join("<br>")
    )
}

fn cell(p: &GridPage<'_>, id: &str, label: &str) -> String {
    let notes = p.notes.get(id).map(Vec::as_slice).unwrap_or(&[]);
    let mut attrs = String::new();
    if notes.iter().any(|n| n.error) {
        attrs.push_str(" aria-invalid=\"true\"");
    }
    if !notes.is_empty() {
        attrs.push_str(&format!(" aria-describedby=\"loi-{id}\""));
    }
    if p.read_only {
        attrs.push_str(" readonly");
    }
    let note = if notes.is_empty() {
        String::new()
    } else {
        note_html(id, notes)
    };
    format!(
        "<td><label class=\"bo-qua\" for=\"{id}\">{}</label><input type=\"text\" id=\"{id}\" name=\"{id}\" value=\"{}\" inputmode=\"decimal\" autocomplete=\"off\" spellcheck=\"false\"{attrs}>{note}</td>",
        esc(label),
        esc(&(p.values)(id))
    )
}

pub fn grid(p: &GridPage<'_>) -> String {
    let g = p.grid;
    let mut out = format!(
        "<h1>{}</h1><p>Tệp <code>{}</code>. Số tiền tính bằng {}; gõ số theo cách Việt Nam: 1.250 là một nghìn hai trăm năm mươi, 540,5 là năm trăm bốn mươi phẩy năm. Ô để trống là không có số liệu.</p>",
        esc(&g.title),
        esc(&g.file),
        esc(&g.unit)
    );
    if let Some(n) = p.notice {
        out.push_str(&format!("<p class=\"bao\" role=\"status\">{}</p>", esc(n)));
    }
    let errors = p.notes.values().flatten().filter(|n| n.error).count();
    if errors > 0 {
        out.push_str(&format!("<p class=\"loi\" role=\"alert\">Chưa lưu: có {errors} lỗi, ghi ngay cạnh ô cần sửa.</p>"));
    }
    for n in p.notes.get("").into_iter().flatten() {
        out.push_str(&format!("<p class=\"loi\">{}</p>", esc(&n.text)));
    }
    out.push_str(&format!(
        "<form method=\"post\" action=\"/so-lieu/{name}\" class=\"so-lieu\" data-kiem-tra=\"/so-lieu/kiem-tra/{name}\">{}<input type=\"hidden\" name=\"base\" value=\"{}\">\
         <div class=\"bang bang-so-lieu\" role=\"region\" aria-label=\"Bảng số liệu\" tabindex=\"0\"><table><caption class=\"bo-qua\">Số liệu {}</caption><thead><tr><th scope=\"col\">Địa bàn</th>",
        csrf_field(&p.who.csrf),
        esc(&base_value(p.base)),
        esc(&g.title),
        name = esc(&g.name),
    ));
    for c in &g.cols {
        out.push_str(&format!("<th scope=\"col\">{}</th>", esc(&c.label)));
    }
    out.push_str("</tr></thead><tbody>");
    for r in &g.rows {
        out.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(&r.name)));
        for c in &g.cols {
            let id = cell_id(&r.area, &c.column);
            out.push_str(&cell(p, &id, &format!("{} – {}", r.name, c.label)));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    if !p.read_only {
        out.push_str("<p class=\"goi-y\">Dán từ Excel: chọn và sao chép một khối ô, bấm vào ô đầu tiên trong bảng rồi dán; các ô bên phải và bên dưới được điền theo.</p><p><button type=\"submit\">Lưu số liệu</button></p>");
    } else {
        out.push_str("<p>Tài khoản phóng viên chỉ xem được số liệu; biên tập viên sửa và lưu.</p>");
    }
    out.push_str(&format!(
        "</form><p><a href=\"/so-lieu\">Về danh sách báo cáo</a></p><script src=\"{JS_PATH}\"></script>"
    ));
    layout(&g.title, Some(p.who), &out)
}

/// 409: the report changed since the grid was opened. Both versions, nothing saved.
pub fn conflict(who: &Who, g: &Grid, ours: &str, theirs: &str) -> String {
    let out = format!(
        "<h1>Báo cáo đã được người khác sửa</h1>\
         <p class=\"loi\" role=\"alert\">Trong lúc bạn sửa, tệp {} đã được lưu một phiên bản khác. Chưa lưu gì của bạn. Hai phiên bản ở dưới: chép số liệu của bạn, mở lại bảng rồi nhập lại.</p>\
         <h2>Bản của bạn (chưa lưu)</h2><label for=\"ban-cua-ban\" class=\"bo-qua\">Bản của bạn</label><textarea id=\"ban-cua-ban\" readonly rows=\"20\">{}</textarea>\
         <h2>Bản đang có</h2><label for=\"ban-dang-co\" class=\"bo-qua\">Bản đang có</label><textarea id=\"ban-dang-co\" readonly rows=\"20\">{}</textarea>\
         <p><a href=\"/so-lieu/{}\">Mở lại bảng số liệu</a></p>",
        esc(&g.file),
        esc(ours),
        esc(theirs),
        esc(&g.name)
    );
    layout("Xung đột khi lưu số liệu", Some(who), &out)
}

/// After an upload: what each report got.
pub fn imported(who: &Who, shown: &str, planned: &[crate::import::apply::Planned]) -> String {
    let mut out = format!(
        "<h1>Đã nhập {}</h1><p class=\"bao\" role=\"status\">Đã nhập {} báo cáo từ {}.</p><ul>",
        esc(shown),
        planned.len(),
        esc(shown)
    );
    for p in planned {
        let name = p.file.rsplit('/').next().unwrap_or("");
        let what = if p.new { "tạo mới" } else { "cập nhật" };
        out.push_str(&format!(
            "<li><a href=\"/so-lieu/{}\">{}</a> ({what}, {} số liệu thay đổi)<ul>",
            esc(name),
            esc(&p.file),
            p.changes.len()
        ));
        for c in &p.changes {
            out.push_str(&format!("<li>{}</li>", esc(c)));
        }
        out.push_str("</ul></li>");
    }
    out.push_str("</ul><p><a href=\"/so-lieu\">Về danh sách báo cáo</a></p>");
    layout("Đã nhập số liệu", Some(who), &out)
}

/// 422 of an upload: every problem at workbook › sheet › cell, nothing written.
pub fn import_problems(who: &Who, diags: &[crate::diag::Diagnostic]) -> String {
    let mut out = String::from("<h1>Chưa nhập được bảng tính</h1><p class=\"loi\" role=\"alert\">Chưa ghi báo cáo nào: sửa các ô dưới đây trong bảng tính rồi tải lên lại.</p><ul class=\"loi-nhap\">");
    for d in diags.iter().filter(|d| d.is_error()) {
        let place = d.file.as_deref().unwrap_or("");
        let hint = d
            .hint
            .as_deref()
            .map(|h| format!(" — {}", esc(h)))
            .unwrap_or_default();
        out.push_str(&format!(
            "<li><strong>{}</strong>: {}{hint}</li>",
            esc(place),
            esc(&d.message)
        ));
    }
    out.push_str("</ul><p><a href=\"/so-lieu\">Về danh sách báo cáo</a></p>");
    layout("Chưa nhập được bảng tính", Some(who), &out)
}
