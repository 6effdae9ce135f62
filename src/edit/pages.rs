//! The editor's screens, server-rendered HTML (no script, no inline style: the
//! Content-Security-Policy allows neither). Every value from a file or a request goes through
//! [`crate::escape::html`].

use crate::escape::html as esc;

use super::accounts::{Accounts, Role};
use super::list::{ArticleRow, Filter, Listing};

/// The signed-in account, as the pages need it.
#[derive(Debug, Clone)]
pub struct Who {
    pub user: String,
    /// The account's display name (its login name when it has none).
    pub display: String,
    pub role: Role,
    pub csrf: String,
}

pub const CSS_PATH: &str = "/tai-nguyen/bien-tap.css";
pub const CSS: &str = include_str!("bien-tap.css");

/// A whole page: skip link, header (with the menu and the logout button when signed in), main.
pub fn layout(title: &str, who: Option<&Who>, main: &str) -> String {
    layout_with_head(title, who, main, "")
}

/// [`layout`] with more in `<head>` (the publish page's refresh while a publish runs).
pub fn layout_with_head(title: &str, who: Option<&Who>, main: &str, more_head: &str) -> String {
    let mut head = String::new();
    if let Some(w) = who {
        let accounts = if w.role >= Role::QuanTri {
            "<li><a href=\"/tai-khoan\">Tài khoản</a></li>"
        } else {
            ""
        };
        head = format!(
            "<nav aria-label=\"Trình soạn thảo\"><ul><li><a href=\"/\">Bài viết</a></li><li><a href=\"/so-lieu\">Số liệu</a></li>{accounts}</ul></nav>\
             <span class=\"ten\">{} ({})</span>\
             <form method=\"post\" action=\"/dang-xuat\">{}<button type=\"submit\" class=\"phu\">Đăng xuất</button></form>",
            esc(&w.display),
            w.role.label(),
            csrf_field(&w.csrf)
        );
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · bantin</title><link rel=\"stylesheet\" href=\"{CSS_PATH}\"><link rel=\"icon\" href=\"data:,\">{more_head}</head>\
         <body><a class=\"bo-qua\" href=\"#noi-dung\">Bỏ qua, tới nội dung chính</a>\
         <header class=\"dau\"><strong>bantin · soạn thảo</strong>{head}</header>\
         <main id=\"noi-dung\">{main}</main></body></html>\n",
        esc(title)
    )
}

pub fn csrf_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(token)
    )
}

/// A page that only says something (401, 403, 404, 413, 429…), with a way on.
pub fn message(title: &str, text: &str, link: Option<(&str, &str)>, who: Option<&Who>) -> String {
    let link = link
        .map(|(href, label)| format!("<p><a href=\"{}\">{}</a></p>", esc(href), esc(label)))
        .unwrap_or_default();
    layout(
        title,
        who,
        &format!("<h1>{}</h1><p>{}</p>{link}", esc(title), esc(text)),
    )
}

pub fn login(csrf: &str, name: &str, error: Option<&str>) -> String {
    let error = error
        .map(|e| format!("<p class=\"loi\" role=\"alert\">{}</p>", esc(e)))
        .unwrap_or_default();
    layout(
        "Đăng nhập",
        None,
        &format!(
            "<div class=\"the dang-nhap\"><h1>Đăng nhập</h1>{error}\
             <form method=\"post\" action=\"/dang-nhap\">{}\
             <label for=\"ten\">Tên đăng nhập</label>\
             <input type=\"text\" id=\"ten\" name=\"ten\" value=\"{}\" autocomplete=\"username\" autocapitalize=\"none\" spellcheck=\"false\" required>\
             <label for=\"mat-khau\">Mật khẩu</label>\
             <input type=\"password\" id=\"mat-khau\" name=\"mat_khau\" autocomplete=\"current-password\" required>\
             <p><button type=\"submit\">Đăng nhập</button></p></form>\
             <p>Chưa có tài khoản? Người quản trị tạo bằng lệnh <code>bantin user add TÊN --role phong-vien</code>.</p></div>",
            csrf_field(csrf),
            esc(name)
        ),
    )
}

fn select(id: &str, name: &str, options: &[(String, String)], chosen: &str) -> String {
    let opts: String = options
        .iter()
        .map(|(v, l)| {
            let sel = if v == chosen { " selected" } else { "" };
            format!("<option value=\"{}\"{sel}>{}</option>", esc(v), esc(l))
        })
        .collect();
    format!("<select id=\"{id}\" name=\"{name}\">{opts}</select>")
}

fn role_options() -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.id().to_string(), r.label().to_string()))
        .collect()
}

/// `(value, label)` options led by "all" (the empty value).
fn with_all(all: &str, options: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    std::iter::once((String::new(), all.to_string()))
        .chain(options)
        .collect()
}

/// The article list with its filter form (a GET form: works without JavaScript).
pub fn articles(who: &Who, listing: &Listing, filter: &Filter, publish: &str) -> String {
    let mut sections = vec![(String::new(), "Tất cả chuyên mục".to_string())];
    sections.extend(listing.sections.iter().cloned());
    let statuses = [
        ("", "Mọi trạng thái"),
        ("nhap", "Nháp"),
        ("cho-duyet", "Chờ duyệt"),
        ("tra-lai", "Bị trả lại"),
        ("hen-gio", "Hẹn giờ đăng"),
        ("da-dang", "Đã đăng"),
    ]
    .map(|(v, l)| (v.to_string(), l.to_string()));
    let mut out = format!(
        "<h1>Bài viết</h1><p><a href=\"/bai-moi\">Viết bài mới</a></p><form method=\"get\" action=\"/\" class=\"the loc\" role=\"search\">\
         <div><label for=\"q\">Tìm theo tiêu đề hoặc tác giả</label>\
         <input type=\"search\" id=\"q\" name=\"q\" value=\"{}\"></div>\
         <div><label for=\"chuyen-muc\">Chuyên mục</label>{}</div>\
         <div><label for=\"trang-thai\">Trạng thái</label>{}</div>\
         <div><label for=\"tac-gia\">Tác giả</label>{}</div>\
         <div><label for=\"loc-dia-ban\">Địa bàn</label>{}</div>\
         <div><label for=\"loc-du-an\">Dự án</label>{}</div>\
         <div><button type=\"submit\">Lọc</button></div></form>",
        esc(&filter.q),
        select("chuyen-muc", "chuyen_muc", &sections, &filter.section),
        select("trang-thai", "trang_thai", &statuses, &filter.status),
        select("tac-gia", "tac_gia", &with_all("Mọi tác giả", listing.authors.iter().map(|a| (a.clone(), a.clone()))), &filter.author),
        select("loc-dia-ban", "dia_ban", &with_all("Mọi địa bàn", listing.areas.iter().cloned()), &filter.area),
        select("loc-du-an", "du_an", &with_all("Mọi dự án", listing.projects.iter().cloned()), &filter.project),
    );
    out.push_str(publish);
    for d in &listing.problems {
        out.push_str(&format!("<p class=\"loi\">{}</p>", esc(d)));
    }
    let shown = listing.rows.len();
    out.push_str(&format!(
        "<p role=\"status\">{}</p>",
        if shown == listing.matched {
            format!("{shown} bài phù hợp (trên tổng số {} bài).", listing.total)
        } else {
            format!(
                "Hiện {shown} bài mới nhất trong {} bài phù hợp (tổng số {} bài); lọc thêm để thu hẹp.",
                listing.matched, listing.total
            )
        }
    ));
    if shown > 0 {
        out.push_str(
            "<div class=\"bang xep\" role=\"region\" aria-label=\"Danh sách bài viết\" tabindex=\"0\"><table><caption class=\"bo-qua\">Danh sách bài viết</caption><thead><tr>\
             <th scope=\"col\">Tiêu đề</th><th scope=\"col\">Chuyên mục</th><th scope=\"col\">Trạng thái</th>\
             <th scope=\"col\">Tác giả</th><th scope=\"col\">Ngày</th></tr></thead><tbody>",
        );
        for r in &listing.rows {
            out.push_str(&row(r));
        }
        out.push_str("</tbody></table></div>");
    }
    layout("Bài viết", Some(who), &out)
}

fn row(r: &ArticleRow) -> String {
    let (class, label) = if r.scheduled {
        ("hen-gio", "hẹn giờ đăng")
    } else {
        super::review::status_label(r.draft, &r.status)
    };
    format!(
        "<tr><td data-nhan=\"Tiêu đề\"><a href=\"/bai/{}\">{}</a><br><small class=\"tep\">{}</small></td><td data-nhan=\"Chuyên mục\">{}</td>\
         <td data-nhan=\"Trạng thái\"><span class=\"nhan {class}\">{label}</span></td><td data-nhan=\"Tác giả\">{}</td><td data-nhan=\"Ngày\">{}</td></tr>",
        esc(r.file.trim_start_matches("content/")),
        esc(&r.title),
        esc(&r.file),
        esc(&r.section),
        esc(&r.authors),
        esc(&r.date)
    )
}

/// The accounts page (quản trị only): each account with its role form and remove button, and
/// the form to add one. `notice`: what the last action did, or what was wrong with it.
pub fn accounts(who: &Who, accounts: &Accounts, notice: Option<Result<&str, &str>>) -> String {
    let csrf = csrf_field(&who.csrf);
    let mut out = String::from("<h1>Tài khoản</h1>");
    match notice {
        Some(Ok(m)) => out.push_str(&format!("<p class=\"bao\" role=\"status\">{}</p>", esc(m))),
        Some(Err(m)) => out.push_str(&format!("<p class=\"loi\" role=\"alert\">{}</p>", esc(m))),
        None => {}
    }
    out.push_str(
        "<div class=\"bang\" role=\"region\" aria-label=\"Các tài khoản\" tabindex=\"0\"><table><caption class=\"bo-qua\">Các tài khoản</caption><thead><tr>\
         <th scope=\"col\">Tên đăng nhập</th><th scope=\"col\">Tên hiển thị</th><th scope=\"col\">Vai trò</th><th scope=\"col\">Xoá</th></tr></thead><tbody>",
    );
    for (i, a) in accounts.list.iter().enumerate() {
        let name = esc(a.ten.get_ref());
        out.push_str(&format!(
            "<tr><th scope=\"row\">{name}</th><td><form method=\"post\" action=\"/tai-khoan/ten-hien-thi\" class=\"hang-nut\">{csrf}\
             <input type=\"hidden\" name=\"ten\" value=\"{name}\"><div><label for=\"ten-hien-thi-{i}\">Tên hiển thị của {name} (trên bài viết)</label>\
             <input type=\"text\" id=\"ten-hien-thi-{i}\" name=\"ten_hien_thi\" value=\"{}\" maxlength=\"80\"></div>\
             <button type=\"submit\" class=\"phu\">Đổi tên hiển thị</button></form></td>\
             <td><form method=\"post\" action=\"/tai-khoan/vai-tro\" class=\"hang-nut\">{csrf}\
             <input type=\"hidden\" name=\"ten\" value=\"{name}\"><div><label for=\"vai-tro-{i}\">Vai trò của {name}</label>{}</div>\
             <button type=\"submit\" class=\"phu\">Đổi vai trò</button></form></td>\
             <td><form method=\"post\" action=\"/tai-khoan/xoa\">{csrf}<input type=\"hidden\" name=\"ten\" value=\"{name}\">\
             <button type=\"submit\" class=\"nguy\">Xoá {name}</button></form></td></tr>",
            esc(a.ten_hien_thi.as_deref().unwrap_or("")),
            select(&format!("vai-tro-{i}"), "vai_tro", &role_options(), a.vai_tro.id())
        ));
    }
    out.push_str("</tbody></table></div>");
    out.push_str(&format!(
        "<h2>Thêm tài khoản</h2><form method=\"post\" action=\"/tai-khoan/them\" class=\"the\">{csrf}\
         <label for=\"ten-moi\">Tên đăng nhập (chữ thường không dấu, ví dụ lan.nguyen)</label>\
         <input type=\"text\" id=\"ten-moi\" name=\"ten\" autocomplete=\"off\" autocapitalize=\"none\" spellcheck=\"false\" required>\
         <label for=\"vai-tro-moi\">Vai trò</label>{}\
         <label for=\"mat-khau-moi\">Mật khẩu (ít nhất 10 ký tự)</label>\
         <input type=\"password\" id=\"mat-khau-moi\" name=\"mat_khau\" autocomplete=\"new-password\" required>\
         <label for=\"mat-khau-lai\">Nhập lại mật khẩu</label>\
         <input type=\"password\" id=\"mat-khau-lai\" name=\"mat_khau_lai\" autocomplete=\"new-password\" required>\
         <p><button type=\"submit\">Thêm tài khoản</button></p></form>",
        select("vai-tro-moi", "vai_tro", &role_options(), Role::PhongVien.id())
    ));
    layout("Tài khoản", Some(who), &out)
}
