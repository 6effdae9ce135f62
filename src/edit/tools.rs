//! The article form's tools: the shortcode pickers ("Chèn số liệu", "Chèn biểu đồ", "Chèn văn
//! bản") and the photo upload form. Their routes (paste, upload, the script) are in
//! [`super::tool_routes`].
//!
//! The pickers list the site's data by name and give the exact shortcode text, built from the
//! ids of the loaded site: nobody types an id. Without script each picker is a `<details>`
//! with the text to copy; `cong-cu.js` shows an "Chèn" button that inserts it at the cursor.

use crate::escape::html as esc;
use crate::site::Site;

use super::article_pages::{base_value, FormPage, Target};
use super::pages::csrf_field;

/// Path of the tools' script (public, like the stylesheet).
pub const JS_PATH: &str = "/tai-nguyen/cong-cu.js";
pub const JS: &str = include_str!("cong-cu.js");

/// (what staff read, the shortcode inserted) for each picker.
#[derive(Debug, Default, Clone)]
pub struct Pickers {
    pub figures: Vec<(String, String)>,
    pub charts: Vec<(String, String)>,
    pub documents: Vec<(String, String)>,
}

/// The pickers of a loaded site: one entry per report figure and chart the report can give
/// (a chart the build would refuse for lack of data is not offered), one per legal document.
pub fn pickers(site: &Site) -> Pickers {
    let mut p = Pickers::default();
    if let Some(data) = &site.data {
        for r in &data.reports {
            let project = &data.projects[r.project];
            let label = data.project_label(r.project);
            let project = if label == project.name {
                label
            } else {
                format!("{label} ({})", project.name)
            };
            let name = format!(
                "{project} – {}, năm {} (số liệu đến {})",
                data.areas[r.area].name,
                r.year,
                r.as_of.format("%d/%m/%Y")
            );
            let call = |f: &str, args: &str| format!("{{{{ {f}(report=\"{}\"{args}) }}}}", r.id);
            if let Some(b) = &r.totals.budget {
                for (field, what) in [
                    ("allocated", "kế hoạch vốn"),
                    ("disbursed", "đã giải ngân"),
                    ("rate", "tỷ lệ giải ngân"),
                ] {
                    let args = format!(", field=\"{field}\"");
                    p.figures
                        .push((format!("{name}: {what}"), call("so_lieu", &args)));
                }
                p.charts.push((
                    format!("{name}: tiến độ giải ngân"),
                    call("bieu_do", ", kind=\"tien-do\""),
                ));
                if b.investment.is_some() || b.recurrent.is_some() || b.carried_over.is_some() {
                    p.charts.push((
                        format!("{name}: theo nguồn vốn"),
                        call("bieu_do", ", kind=\"nguon-von\""),
                    ));
                }
            }
            if r.rows.iter().any(|row| row.figures.budget.is_some()) {
                p.charts.push((
                    format!("{name}: so sánh các địa bàn"),
                    call("bieu_do", ", kind=\"so-sanh\""),
                ));
            }
        }
    }
    p.documents = documents(site);
    p
}

/// One entry per legal document, newest first; the issuer is added to the citation when
/// another document has the same number (the build asks for it then).
fn documents(site: &Site) -> Vec<(String, String)> {
    let docs = &site.documents.docs;
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_by(|&a, &b| docs[b].ngay_ban_hanh.cmp(&docs[a].ngay_ban_hanh));
    order
        .into_iter()
        .map(|i| {
            let d = &docs[i];
            let shared = docs.iter().filter(|o| o.so_ky_hieu == d.so_ky_hieu).count() > 1;
            let issuer = if shared {
                format!(", co_quan=\"{}\"", d.co_quan.replace('"', "'"))
            } else {
                String::new()
            };
            (
                format!(
                    "{} số {} ({}, {}): {}",
                    d.loai,
                    d.so_ky_hieu,
                    d.co_quan,
                    d.ngay_ban_hanh.format("%d/%m/%Y"),
                    d.trich_yeu
                ),
                format!(
                    "{{{{ van_ban(so=\"{}\"{issuer}) }}}}",
                    d.so_ky_hieu.replace('"', "'")
                ),
            )
        })
        .collect()
}

fn picker(key: &str, title: &str, empty: &str, entries: &[(String, String)]) -> String {
    let mut out = format!(
        "<details class=\"chon-chen\" id=\"chen-{key}\"><summary>{}</summary>",
        esc(title)
    );
    if entries.is_empty() {
        out.push_str(&format!("<p>{}</p></details>", esc(empty)));
        return out;
    }
    out.push_str("<p>Chép dòng mã cần dùng vào nội dung bài, hoặc bấm nút Chèn để chèn vào chỗ con trỏ.</p><ul>");
    for (label, code) in entries {
        out.push_str(&format!(
            "<li><span class=\"ten-chen\">{}</span> <code>{}</code> <button type=\"button\" class=\"phu chen\" data-chen=\"{}\" hidden>Chèn<span class=\"bo-qua\">: {}</span></button></li>",
            esc(label),
            esc(code),
            esc(code),
            esc(label)
        ));
    }
    out.push_str("</ul></details>");
    out
}

/// The tools below the article form: the pickers, then the photo form (for a new article a
/// sentence instead: its bundle does not exist yet), and the script.
pub fn tools_html(p: &FormPage) -> String {
    let c = &p.choices.pickers;
    let mut out = String::from(
        "<section class=\"the cong-cu\" aria-labelledby=\"cong-cu-tieu-de\"><h2 id=\"cong-cu-tieu-de\">Chèn vào bài</h2>\
         <p id=\"cong-cu-trang-thai\" role=\"status\" aria-live=\"polite\"></p>",
    );
    out.push_str(&picker(
        "so-lieu",
        "Chèn số liệu",
        "Trang chưa có báo cáo số liệu nào (content/data/reports/).",
        &c.figures,
    ));
    out.push_str(&picker(
        "bieu-do",
        "Chèn biểu đồ",
        "Trang chưa có báo cáo số liệu nào để vẽ biểu đồ.",
        &c.charts,
    ));
    out.push_str(&picker(
        "van-ban",
        "Chèn văn bản",
        "Trang chưa có văn bản nào (chuyên mục có van_ban = true).",
        &c.documents,
    ));
    out.push_str("</section>");
    out.push_str(&photo_form(p));
    out.push_str(&format!("<script src=\"{JS_PATH}\" defer></script>"));
    out
}

fn photo_form(p: &FormPage) -> String {
    let Target::File(rel) = &p.target else {
        return "<section class=\"the\" aria-labelledby=\"anh-tieu-de\"><h2 id=\"anh-tieu-de\">Thêm ảnh</h2><p>Lưu bài trước khi thêm ảnh.</p></section>".to_string();
    };
    format!(
        "<form method=\"post\" action=\"/anh/{}\" enctype=\"multipart/form-data\" class=\"the\" id=\"tai-anh\" aria-labelledby=\"anh-tieu-de\">\
         <h2 id=\"anh-tieu-de\">Thêm ảnh</h2>{}<input type=\"hidden\" name=\"base\" value=\"{}\">\
         <label for=\"anh\">Ảnh (JPEG, PNG hoặc WebP, tối đa 20 MB; trên điện thoại có thể chụp ngay)</label>\
         <input type=\"file\" id=\"anh\" name=\"anh\" accept=\"image/*\" capture=\"environment\" required>\
         <label for=\"mo_ta_anh\">Mô tả ảnh (bắt buộc: người không xem được ảnh sẽ nghe đọc mô tả này)</label>\
         <input type=\"text\" id=\"mo_ta_anh\" name=\"mo_ta\" required>\
         <p><button type=\"submit\">Tải ảnh lên</button></p></form>",
        esc(rel.trim_start_matches("content/")),
        csrf_field(&p.who.csrf),
        esc(&base_value(p.base)),
    )
}
