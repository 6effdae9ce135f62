//! The article screens: the edit form, the conflict screen, the history and one version.
//! Server-rendered, no script (see [`super::pages`]).

use crate::escape::html as esc;
use crate::journal::{Base, VersionInfo};

use super::article::{Choices, FieldError, Fields};
use super::pages::{csrf_field, layout, Who};

pub fn base_value(base: &Base) -> String {
    match base {
        Base::NewFile => "moi".into(),
        Base::Version(v) => v.0.clone(),
    }
}

fn errors_for(errors: &[FieldError], field: &str) -> (String, String) {
    let msgs: Vec<&str> = errors
        .iter()
        .filter(|(f, _)| *f == field)
        .map(|(_, m)| m.as_str())
        .collect();
    if msgs.is_empty() {
        return (String::new(), String::new());
    }
    let id = format!("loi-{field}");
    (
        format!(" aria-invalid=\"true\" aria-describedby=\"{id}\""),
        format!("<p class=\"loi\" id=\"{id}\">{}</p>", esc(&msgs.join(" "))),
    )
}

/// What the form is for: an existing file, or a new article.
pub enum Target<'a> {
    /// `content/…` path.
    File(&'a str),
    New {
        section: &'a str,
    },
}

pub struct FormPage<'a> {
    pub who: &'a Who,
    pub target: Target<'a>,
    pub fields: &'a Fields,
    pub choices: &'a Choices,
    pub base: &'a Base,
    pub errors: &'a [FieldError],
    /// "Đã lưu" and the like.
    pub notice: Option<&'a str>,
    /// A phóng viên: the article stays a draft.
    pub draft_locked: bool,
    /// HTML after the form (the review panel of an existing article).
    pub extra: &'a str,
}

fn checkboxes(
    name: &str,
    legend: &str,
    options: &[(String, String)],
    chosen: &[String],
    errs: &[FieldError],
) -> String {
    if options.is_empty() && chosen.is_empty() {
        return String::new();
    }
    let (aria, msg) = errors_for(errs, name);
    let mut out = format!(
        "<fieldset{aria}><legend>{}</legend>{msg}<div class=\"chon\">",
        esc(legend)
    );
    let mut all: Vec<(String, String)> = options.to_vec();
    // An id the data no longer has stays visible (and chosen) so a save does not drop it
    // silently; validation then names it.
    for c in chosen {
        if !all.iter().any(|(id, _)| id == c) {
            all.push((c.clone(), c.clone()));
        }
    }
    for (i, (id, label)) in all.iter().enumerate() {
        let checked = if chosen.contains(id) { " checked" } else { "" };
        out.push_str(&format!(
            "<label class=\"hop\" for=\"{name}-{i}\"><input type=\"checkbox\" id=\"{name}-{i}\" name=\"{name}\" value=\"{}\"{checked}> {}</label>",
            esc(id),
            esc(label)
        ));
    }
    out.push_str("</div></fieldset>");
    out
}

fn text_input(
    id: &str,
    label: &str,
    kind: &str,
    val: &str,
    errs: &[FieldError],
    extra: &str,
) -> String {
    let (aria, msg) = errors_for(errs, id);
    format!(
        "<label for=\"{id}\">{}</label>{msg}<input type=\"{kind}\" id=\"{id}\" name=\"{id}\" value=\"{}\"{aria}{extra}>",
        esc(label),
        esc(val)
    )
}

fn terms_inputs(f: &Fields, c: &Choices, errs: &[FieldError]) -> String {
    let mut out = String::new();
    for (key, title, existing) in &c.taxonomies {
        let typed = f
            .terms
            .iter()
            .find(|(k, _)| k == key)
            .map_or("", |(_, v)| v.as_str());
        let list = format!("goi-y-{key}");
        out.push_str(&text_input(
            &format!("tax_{key}"),
            &format!("{title} (cách nhau bằng dấu phẩy)"),
            "text",
            typed,
            errs,
            &format!(" list=\"{list}\""),
        ));
        out.push_str(&format!("<datalist id=\"{list}\">"));
        for t in existing {
            out.push_str(&format!("<option value=\"{}\"></option>", esc(t)));
        }
        out.push_str("</datalist>");
    }
    out
}

/// The edit form (a new article or an existing one).
/// The form's action, heading and (for a new article) the section choice.
fn target_parts(p: &FormPage) -> (String, String, String) {
    let f = p.fields;
    match &p.target {
        Target::File(rel) => (
            format!("/bai/{}", rel.trim_start_matches("content/")),
            format!(
                "Sửa bài: {}",
                if f.title.is_empty() { *rel } else { &f.title }
            ),
            String::new(),
        ),
        Target::New { section } => {
            let opts: String = p
                .choices
                .sections
                .iter()
                .map(|(dir, title)| {
                    let sel = if dir == section { " selected" } else { "" };
                    format!(
                        "<option value=\"{}\"{sel}>{} ({})</option>",
                        esc(dir),
                        esc(title),
                        esc(dir)
                    )
                })
                .collect();
            let (aria, msg) = errors_for(p.errors, "chuyen_muc");
            ("/bai-moi".to_string(), "Bài mới".to_string(),
             format!("<label for=\"chuyen_muc\">Chuyên mục</label>{msg}<select id=\"chuyen_muc\" name=\"chuyen_muc\"{aria}>{opts}</select>"))
        }
    }
}

pub fn form(p: &FormPage) -> String {
    let f = p.fields;
    let (action, heading, section) = target_parts(p);
    let mut out = format!("<h1>{}</h1>", esc(&heading));
    if let Some(n) = p.notice {
        out.push_str(&format!("<p class=\"bao\" role=\"status\">{}</p>", esc(n)));
    }
    if !p.errors.is_empty() {
        out.push_str(
            "<p class=\"loi\" role=\"alert\">Chưa lưu: hãy sửa các chỗ được báo bên dưới.</p>",
        );
    }
    if let Target::File(rel) = &p.target {
        out.push_str(&format!(
            "<p><a href=\"/lich-su/{}\">Xem lịch sử sửa bài</a></p>",
            esc(rel.trim_start_matches("content/"))
        ));
    }
    let draft = if p.draft_locked {
        "<p>Bài lưu ở dạng nháp; biên tập viên sẽ duyệt và đăng.</p><input type=\"hidden\" name=\"nhap\" value=\"1\">".to_string()
    } else {
        let checked = if f.draft { " checked" } else { "" };
        format!("<label class=\"hop\" for=\"nhap\"><input type=\"checkbox\" id=\"nhap\" name=\"nhap\" value=\"1\"{checked}> Bản nháp (chưa đăng lên trang)</label>")
    };
    let authors = if f.authors.is_empty() {
        String::new()
    } else {
        format!("<p>Tác giả: {}</p>", esc(&f.authors.join(", ")))
    };
    let (body_aria, body_msg) = errors_for(p.errors, "noi_dung");
    let path = match &p.target {
        Target::File(rel) => rel.trim_start_matches("content/"),
        Target::New { .. } => "",
    };
    out.push_str("<div class=\"soan\"><div>");
    out.push_str(&format!(
        "<form method=\"post\" action=\"{}\" class=\"the bai\">{}<input type=\"hidden\" name=\"base\" value=\"{}\"><input type=\"hidden\" name=\"duong_dan\" value=\"{}\">{section}{}{}{}{}{}{}{authors}{draft}\
         <label for=\"noi_dung\">Nội dung (Markdown)</label>{body_msg}{TOOLBAR}<textarea id=\"noi_dung\" name=\"noi_dung\" rows=\"20\"{body_aria}>{}</textarea>\
         <p class=\"hang-nut\"><button type=\"submit\">Lưu</button>{PREVIEW_BUTTON}</p></form>",
        esc(&action),
        csrf_field(&p.who.csrf),
        esc(&base_value(p.base)),
        esc(path),
        text_input("tieu_de", "Tiêu đề", "text", &f.title, p.errors, " required"),
        text_input("ngay", "Ngày đăng", "datetime-local", &f.date, p.errors, ""),
        text_input("mo_ta", "Mô tả ngắn", "text", &f.description, p.errors, ""),
        checkboxes("dia_ban", "Địa bàn", &p.choices.areas, &f.areas, p.errors),
        checkboxes("du_an", "Dự án", &p.choices.projects, &f.projects, p.errors),
        terms_inputs(f, p.choices, p.errors),
        esc(&f.body),
    ));
    out.push_str(&super::tools::tools_html(p));
    out.push_str(p.extra);
    out.push_str("</div>"); // the form's column
    out.push_str(PREVIEW_FRAME);
    out.push_str("</div>");
    layout(&heading, Some(p.who), &out)
}

/// The Markdown toolbar: hidden until the form's script shows it (it does nothing without).
const TOOLBAR: &str = "<div id=\"thanh-cong-cu\" class=\"cong-cu\" role=\"toolbar\" aria-label=\"Định dạng nội dung\" aria-controls=\"noi_dung\" hidden>\
<button type=\"button\" class=\"phu\" data-md=\"dam\" aria-label=\"In đậm\"><b>Đậm</b></button>\
<button type=\"button\" class=\"phu\" data-md=\"nghieng\" aria-label=\"In nghiêng\"><i>Nghiêng</i></button>\
<button type=\"button\" class=\"phu\" data-md=\"tieu-de\" aria-label=\"Tiêu đề mục\">Tiêu đề</button>\
<button type=\"button\" class=\"phu\" data-md=\"danh-sach\" aria-label=\"Danh sách gạch đầu dòng\">Danh sách</button>\
<button type=\"button\" class=\"phu\" data-md=\"danh-so\" aria-label=\"Đánh số thứ tự\">Đánh số</button>\
<button type=\"button\" class=\"phu\" data-md=\"lien-ket\" aria-label=\"Chèn liên kết\">Liên kết</button>\
<button type=\"button\" class=\"phu\" data-md=\"trich-dan\" aria-label=\"Trích dẫn\">Trích dẫn</button>\
<button type=\"button\" class=\"phu\" data-md=\"bang\" aria-label=\"Chèn bảng\">Bảng</button></div>";

/// Posts the form (unsaved) to the preview frame; works without script.
const PREVIEW_BUTTON: &str = "<button type=\"submit\" id=\"nut-xem-truoc\" class=\"phu\" formaction=\"/xem-truoc\" formtarget=\"xem-truoc\" formnovalidate>Xem trước</button>";

/// The preview beside the form (below it on narrow screens). Sandboxed without scripts;
/// same-origin so the form's script can keep its scroll position.
const PREVIEW_FRAME: &str = "<section class=\"xem\" aria-labelledby=\"tieu-de-xem-truoc\"><h2 id=\"tieu-de-xem-truoc\">Xem trước</h2>\
<p class=\"tep\">Trang như sẽ hiện trên trang thông tin, theo bản đang gõ (chưa lưu). Bấm Xem trước để cập nhật.</p>\
<iframe id=\"xem-truoc\" name=\"xem-truoc\" title=\"Xem trước bài viết\" sandbox=\"allow-same-origin\"></iframe></section>\
<script src=\"/tai-nguyen/xem-truoc.js\" defer></script>";

/// Two texts of one file: `ours` to merge and save again (against `base`, the version now on
/// disk), `theirs` read-only. Also the screen for a file whose front matter the form cannot
/// read (then `theirs` is `None`).
pub fn whole_text(
    who: &Who,
    rel: &str,
    ours: &str,
    theirs: Option<&str>,
    base: &Base,
    error: Option<&str>,
) -> String {
    let short = rel.trim_start_matches("content/");
    let mut out = String::new();
    match theirs {
        Some(_) => out.push_str(&format!(
            "<h1>Bài đã được sửa ở nơi khác</h1><p class=\"loi\" role=\"alert\">Bài {} đã được người khác lưu sau khi bạn mở nó. Chưa lưu gì của bạn. Bản của bạn ở ô thứ nhất: hãy chép các thay đổi cần giữ từ bản hiện có (ô thứ hai) vào, rồi bấm Lưu.</p>",
            esc(short)
        )),
        None => out.push_str(&format!("<h1>Sửa toàn văn: {}</h1>", esc(short))),
    }
    if let Some(e) = error {
        out.push_str(&format!(
            "<p class=\"loi\" id=\"loi-toan-van\">{}</p>",
            esc(e)
        ));
    }
    let aria = if error.is_some() {
        " aria-invalid=\"true\" aria-describedby=\"loi-toan-van\""
    } else {
        ""
    };
    out.push_str(&format!(
        "<form method=\"post\" action=\"/bai/{}\" class=\"the bai\">{}<input type=\"hidden\" name=\"base\" value=\"{}\">\
         <label for=\"toan_van\">Bản của bạn (toàn văn, sửa được)</label><textarea id=\"toan_van\" name=\"toan_van\" rows=\"20\"{aria}>{}</textarea>\
         <p><button type=\"submit\">Lưu</button></p></form>",
        esc(short),
        csrf_field(&who.csrf),
        esc(&base_value(base)),
        esc(ours)
    ));
    if let Some(t) = theirs {
        out.push_str(&format!(
            "<label for=\"ban-hien-co\">Bản hiện có trên máy chủ (chỉ đọc)</label><textarea id=\"ban-hien-co\" rows=\"20\" readonly>{}</textarea>",
            esc(t)
        ));
    }
    layout("Sửa toàn văn", Some(who), &out)
}

/// The history of one file, newest first, with a restore button on each older version.
pub fn history(
    who: &Who,
    rel: &str,
    versions: &[VersionInfo],
    base: &Base,
    warnings: &[String],
    notice: Option<&str>,
) -> String {
    let short = rel.trim_start_matches("content/");
    let mut out = format!(
        "<h1>Lịch sử: {}</h1><p><a href=\"/bai/{}\">Về trang sửa bài</a></p>",
        esc(short),
        esc(short)
    );
    if let Some(n) = notice {
        out.push_str(&format!("<p class=\"bao\" role=\"status\">{}</p>", esc(n)));
    }
    for w in warnings {
        out.push_str(&format!("<p class=\"loi\">{}</p>", esc(w)));
    }
    if versions.is_empty() {
        out.push_str("<p>Chưa có phiên bản nào được ghi.</p>");
        return layout("Lịch sử", Some(who), &out);
    }
    out.push_str(
        "<div class=\"bang xep\" role=\"region\" aria-label=\"Các phiên bản\" tabindex=\"0\"><table><caption class=\"bo-qua\">Các phiên bản, mới nhất trước</caption><thead><tr>\
         <th scope=\"col\">Thời gian</th><th scope=\"col\">Người sửa</th><th scope=\"col\">Việc</th><th scope=\"col\">Phiên bản</th></tr></thead><tbody>",
    );
    let current = match base {
        Base::Version(v) => Some(v),
        Base::NewFile => None,
    };
    for v in versions {
        let restore = if Some(&v.version) == current {
            "<small>(bản hiện tại)</small>".to_string()
        } else {
            format!(
                "<form method=\"post\" action=\"/khoi-phuc/{}\">{}<input type=\"hidden\" name=\"ban\" value=\"{}\"><input type=\"hidden\" name=\"base\" value=\"{}\"><button type=\"submit\" class=\"phu\">Khôi phục bản {}</button></form>",
                esc(short), csrf_field(&who.csrf), esc(&v.version.0), esc(&base_value(base)), esc(v.version.short())
            )
        };
        let author = if v.author.is_empty() {
            "không rõ"
        } else {
            &v.author
        };
        out.push_str(&format!(
            "<tr><td data-nhan=\"Thời gian\">{}</td><td data-nhan=\"Người sửa\">{}</td><td data-nhan=\"Việc\">{}</td><td data-nhan=\"Phiên bản\"><a href=\"/lich-su/{}?ban={}\">Xem bản {}</a> {restore}</td></tr>",
            // The machine's local time (the journal may store UTC).
            v.time.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M:%S"),
            esc(author),
            v.action.label(),
            esc(short),
            esc(&v.version.0),
            esc(v.version.short()),
        ));
    }
    out.push_str("</tbody></table></div>");
    layout("Lịch sử", Some(who), &out)
}

/// One earlier version, read-only.
pub fn version(who: &Who, rel: &str, short_version: &str, text: &str) -> String {
    let short = rel.trim_start_matches("content/");
    let out = format!(
        "<h1>Bản {} của {}</h1><p><a href=\"/lich-su/{}\">Về lịch sử</a></p>\
         <label for=\"ban-cu\">Toàn văn (chỉ đọc)</label><textarea id=\"ban-cu\" rows=\"24\" readonly>{}</textarea>",
        esc(short_version),
        esc(short),
        esc(short),
        esc(text)
    );
    layout("Xem phiên bản", Some(who), &out)
}
