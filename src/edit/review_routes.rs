//! Review and publish routes: `POST /gui-duyet/<path>` (send for review), `/tra-lai/<path>`
//! (send back, with a required comment), `/duyet/<path>` (approve and publish), `/gop-y/<path>`
//! (a comment), `POST /dang` (publish) and `GET /dang` (its progress and outcome).
//!
//! Roles: a phóng viên sends their own drafts for review and comments on their own articles;
//! biên tập and quản trị do everything here.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;

use super::accounts::Role;
use super::article;
use super::article_routes::{blocking, open, page_error};
use super::pages::{self, csrf_field, Who};
use super::publish::{Outcome, Progress};
use super::review::{self, Comment, Kind};
use super::routes::{forbidden, html, see_other, Ctx, Editor};
use crate::content::load::publish_now;
use crate::escape::html as esc;
use crate::journal::{self, Base, SaveError};

type Answer = Result<Response, Box<Response>>;

fn done(r: Answer) -> Response {
    r.unwrap_or_else(|e| *e)
}

fn editors_only(who: &Who, what: &str) -> Result<(), Box<Response>> {
    if who.role >= Role::BienTap {
        return Ok(());
    }
    Err(Box::new(forbidden(
        &format!(
            "Chỉ biên tập viên được {what}; tài khoản {} là {}.",
            who.user,
            who.role.label()
        ),
        Some(who),
    )))
}

fn comment(who: &Who, kind: Kind, text: &str) -> Comment {
    Comment {
        tai_khoan: who.user.clone(),
        ten: who.display.clone(),
        luc: publish_now().to_rfc3339(),
        loai: kind,
        noi_dung: crate::locale::normalize_text(text.trim()),
    }
}

/// Writes the status change (against the version just read) and the comment.
async fn change(
    ed: &Arc<Editor>,
    who: &Who,
    rel: &str,
    new_text: Result<String, String>,
    base: Base,
    note: Comment,
) -> Result<(), Box<Response>> {
    let text = new_text.map_err(|why| {
        page_error(
            StatusCode::BAD_REQUEST,
            "Không đổi được trạng thái",
            &why,
            who,
        )
    })?;
    let (root, r, author) = (ed.root.clone(), rel.to_string(), who.user.clone());
    let saved = blocking(who, move || {
        journal::save(&root, &r, text.as_bytes(), &author, &base)?;
        review::add(&root, &r, &note)
    })
    .await?;
    ed.catalog.changed();
    match saved {
        Ok(()) => Ok(()),
        Err(SaveError::Conflict { .. }) => Err(page_error(
            StatusCode::CONFLICT,
            "Bài đã đổi",
            "Bài vừa được người khác sửa; chưa đổi gì. Hãy mở lại bài rồi làm lại.",
            who,
        )),
        Err(e) => Err(page_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Không lưu được",
            &e.to_string(),
            who,
        )),
    }
}

pub async fn submit(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(path): Path<String>,
) -> Response {
    done(submit_inner(ed, ctx, path).await)
}

async fn submit_inner(ed: Arc<Editor>, ctx: Ctx, path: String) -> Answer {
    let who = ctx.who();
    let (rel, text, base) = open(&ed, who, &path).await?;
    if !article::standing(&text, &who.user).draft {
        return Err(page_error(
            StatusCode::BAD_REQUEST,
            "Bài đã đăng",
            "Bài này đã đăng; chỉ bài nháp mới gửi duyệt.",
            who,
        ));
    }
    let new_text = article::set_status(&text, true, Some("cho-duyet"));
    let note = comment(who, Kind::GuiDuyet, ctx.field("gop_y"));
    change(&ed, who, &rel, new_text, base, note).await?;
    // A phóng viên can no longer open it: back to the list, which shows it as chờ duyệt.
    Ok(see_other("/?trang_thai=cho-duyet"))
}

pub async fn send_back(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(path): Path<String>,
) -> Response {
    done(send_back_inner(ed, ctx, path).await)
}

async fn send_back_inner(ed: Arc<Editor>, ctx: Ctx, path: String) -> Answer {
    let who = ctx.who();
    editors_only(who, "trả lại bài")?;
    let (rel, text, base) = open(&ed, who, &path).await?;
    let why = ctx.field("gop_y").trim();
    if why.is_empty() {
        return Err(page_error(
            StatusCode::BAD_REQUEST,
            "Chưa trả lại bài",
            "Hãy ghi góp ý: phóng viên cần biết vì sao bài bị trả lại và phải sửa gì.",
            who,
        ));
    }
    let new_text = article::set_status(&text, true, Some("tra-lai"));
    let note = comment(who, Kind::TraLai, why);
    change(&ed, who, &rel, new_text, base, note).await?;
    Ok(see_other(&format!(
        "/bai/{}?xong=tra-lai",
        rel.trim_start_matches("content/")
    )))
}

pub async fn approve(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(path): Path<String>,
) -> Response {
    done(approve_inner(ed, ctx, path).await)
}

async fn approve_inner(ed: Arc<Editor>, ctx: Ctx, path: String) -> Answer {
    let who = ctx.who();
    editors_only(who, "duyệt và đăng bài")?;
    let (rel, text, base) = open(&ed, who, &path).await?;
    let new_text = article::set_status(&text, false, None);
    let note = comment(who, Kind::Duyet, ctx.field("gop_y"));
    change(&ed, who, &rel, new_text, base, note).await?;
    start_publish(&ed, who, Some(rel));
    Ok(see_other("/dang"))
}

pub async fn add_comment(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(path): Path<String>,
) -> Response {
    done(add_comment_inner(ed, ctx, path).await)
}

async fn add_comment_inner(ed: Arc<Editor>, ctx: Ctx, path: String) -> Answer {
    let who = ctx.who().clone();
    let rel = super::article_routes::article_path(&path, &who)?;
    let (root, r, user) = (ed.root.clone(), rel.clone(), who.user.clone());
    let current = blocking(&who, move || journal::current(&root, &r)).await?;
    let Ok((Some(bytes), _)) = current else {
        return Err(page_error(
            StatusCode::NOT_FOUND,
            "Không tìm thấy",
            "Không có bài viết này.",
            &who,
        ));
    };
    let own = article::standing(&String::from_utf8_lossy(&bytes), &user).own;
    if who.role < Role::BienTap && !own {
        return Err(Box::new(forbidden(
            "Phóng viên chỉ góp ý được trên bài của mình.",
            Some(&who),
        )));
    }
    let text = ctx.field("gop_y").trim();
    if text.is_empty() {
        return Err(page_error(
            StatusCode::BAD_REQUEST,
            "Chưa gửi góp ý",
            "Góp ý đang để trống.",
            &who,
        ));
    }
    let note = comment(&who, Kind::GopY, text);
    let (root, r) = (ed.root.clone(), rel.clone());
    blocking(&who, move || review::add(&root, &r, &note))
        .await?
        .map_err(|e| {
            page_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Không lưu được",
                &e.to_string(),
                &who,
            )
        })?;
    let back = if who.role >= Role::BienTap
        || !article::standing(&String::from_utf8_lossy(&bytes), &user).in_review
    {
        format!("/bai/{}?xong=gop-y", rel.trim_start_matches("content/"))
    } else {
        "/".to_string()
    };
    Ok(see_other(&back))
}

/// Starts a publish (or joins the one running); its outcome links `article`'s live page.
pub(super) fn start_publish(ed: &Arc<Editor>, who: &Who, article: Option<String>) {
    let e = ed.clone();
    ed.publisher.start(&who.display, article, move |rel| {
        e.catalog.current().live(rel)
    });
}

pub async fn publish(State(ed): State<Arc<Editor>>, Extension(ctx): Extension<Ctx>) -> Response {
    let who = ctx.who();
    if let Err(r) = editors_only(who, "đăng trang") {
        return *r;
    }
    start_publish(&ed, who, None);
    see_other("/dang")
}

pub async fn publish_page(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
) -> Response {
    let who = ctx.who();
    let (main, head) = match ed.publisher.progress() {
        Progress::Running { by } => (
            format!(
                "<h1>Đăng trang</h1><p id=\"ket-qua-dang\" class=\"bao\" role=\"status\" data-trang-thai=\"dang-chay\">Đang dựng và đăng trang (do {} bắt đầu)… Trang này tự tải lại sau 2 giây.</p><p><a href=\"/dang\">Tải lại</a></p>",
                esc(&by)
            ),
            "<meta http-equiv=\"refresh\" content=\"2\">",
        ),
        Progress::Done(o) => (outcome_html(&o), ""),
        Progress::Never => (
            "<h1>Đăng trang</h1><p id=\"ket-qua-dang\" role=\"status\" data-trang-thai=\"chua\">Chưa đăng lần nào từ trình soạn thảo này.</p>".into(),
            "",
        ),
    };
    let mut main = main;
    if who.role >= Role::BienTap {
        main.push_str(&publish_button(&who.csrf, "Đăng lại"));
    }
    html(
        StatusCode::OK,
        pages::layout_with_head("Đăng trang", Some(who), &main, head),
    )
}

/// The publish button (biên tập and quản trị).
pub fn publish_button(csrf: &str, label: &str) -> String {
    format!(
        "<form method=\"post\" action=\"/dang\" class=\"hang-nut\">{}<button type=\"submit\" id=\"nut-dang\">{}</button></form>",
        csrf_field(csrf),
        esc(label)
    )
}

fn when(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|d| d.format("%H:%M %d/%m/%Y").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

fn outcome_html(o: &Outcome) -> String {
    let mut out = String::from("<h1>Đăng trang</h1>");
    if o.ok {
        out.push_str(&format!(
            "<p id=\"ket-qua-dang\" class=\"bao\" role=\"status\" data-trang-thai=\"thanh-cong\">Đã đăng lúc {} ({}). {}</p>",
            esc(&when(&o.finished)),
            esc(&o.by),
            esc(&o.summary)
        ));
        if let Some((title, url)) = &o.article {
            out.push_str(&format!(
                "<p>Xem bài trên trang: <a id=\"lien-ket-bai\" href=\"{}\">{}</a></p>",
                esc(url),
                esc(title)
            ));
        }
    } else {
        out.push_str(&format!(
            "<p id=\"ket-qua-dang\" class=\"loi\" role=\"alert\" data-trang-thai=\"loi\">Chưa đăng được (lúc {}, {}). {}</p><ol id=\"loi-dang\">",
            esc(&when(&o.finished)),
            esc(&o.by),
            esc(&o.summary)
        ));
        for p in &o.problems {
            let fix = p
                .link
                .as_ref()
                .map(|l| format!(" <a href=\"{}\">Sửa ở đây</a>", esc(l)))
                .unwrap_or_default();
            out.push_str(&format!("<li><pre>{}</pre>{fix}</li>", esc(&p.text)));
        }
        out.push_str("</ol>");
    }
    if let Some(s) = &o.scheduled {
        out.push_str(&format!("<p id=\"hen-gio-dang\">{}</p>", esc(s)));
    }
    out
}

/// The list page's line on the last publish, and the publish button for those who may.
pub fn last_publish(ed: &Editor, who: &Who) -> String {
    let line = match ed.publisher.progress() {
        Progress::Running { .. } => "Đang đăng trang…".to_string(),
        Progress::Done(o) => format!(
            "Lần đăng gần nhất: {} lúc {}",
            if o.ok { "thành công" } else { "lỗi" },
            when(&o.finished)
        ),
        Progress::Never => "Chưa đăng lần nào.".to_string(),
    };
    let mut out = format!(
        "<div class=\"the\"><p id=\"lan-dang-gan-nhat\">{} · <a href=\"/dang\">Xem chi tiết</a></p>",
        esc(&line)
    );
    if who.role >= Role::BienTap {
        out.push_str(&publish_button(&who.csrf, "Đăng trang"));
    }
    out.push_str("</div>");
    out
}

/// The review part of an article's form page: status, scheduled time, the buttons the role
/// has, the comments.
pub fn panel(who: &Who, rel: &str, f: &article::Fields, comments: &[Comment]) -> String {
    let short = esc(rel.trim_start_matches("content/"));
    let csrf = csrf_field(&who.csrf);
    let (_, label) = review::status_label(f.draft, &f.status);
    let mut out = format!(
        "<section class=\"the\" aria-labelledby=\"duyet-bai\"><h2 id=\"duyet-bai\">Duyệt bài</h2><p>Trạng thái: <strong id=\"trang-thai-bai\">{label}</strong></p>"
    );
    if let Some(d) = crate::locale::date::parse_date_value(&f.date).filter(|d| *d > publish_now()) {
        out.push_str(&format!(
            "<p id=\"hen-gio\">Hẹn giờ đăng lúc {}: bài chỉ lên trang từ lúc đó (trình soạn thảo tự đăng khi tới giờ).</p>",
            d.format("%H:%M %d/%m/%Y")
        ));
    }
    if who.role < Role::BienTap && f.draft && f.status != "cho-duyet" {
        out.push_str(&format!(
            "<form method=\"post\" action=\"/gui-duyet/{short}\">{csrf}<label for=\"gop-y-gui\">Lời nhắn cho biên tập viên (không bắt buộc)</label><textarea id=\"gop-y-gui\" name=\"gop_y\" rows=\"2\"></textarea><p><button type=\"submit\" id=\"gui-duyet\">Gửi duyệt</button></p></form>"
        ));
    }
    if who.role >= Role::BienTap && f.draft {
        out.push_str(&format!(
            "<form method=\"post\" action=\"/duyet/{short}\">{csrf}<p><button type=\"submit\" id=\"duyet-dang\">Duyệt và đăng</button></p></form>\
             <form method=\"post\" action=\"/tra-lai/{short}\">{csrf}<label for=\"gop-y-tra-lai\">Lý do trả lại (bắt buộc)</label><textarea id=\"gop-y-tra-lai\" name=\"gop_y\" rows=\"3\" required></textarea><p><button type=\"submit\" id=\"tra-lai\" class=\"phu\">Trả lại</button></p></form>"
        ));
    }
    out.push_str("<h3>Góp ý</h3>");
    out.push_str(&review::comments_html(comments));
    out.push_str(&format!(
        "<form method=\"post\" action=\"/gop-y/{short}\">{csrf}<label for=\"gop-y-moi\">Thêm góp ý</label><textarea id=\"gop-y-moi\" name=\"gop_y\" rows=\"2\" required></textarea><p><button type=\"submit\" id=\"gui-gop-y\" class=\"phu\">Gửi góp ý</button></p></form></section>"
    ));
    out
}
