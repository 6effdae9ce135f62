//! The article routes: `/bai/<path>` (edit, save), `/bai-moi` (create), `/lich-su/<path>`
//! (history, one version with `?ban=`), `/khoi-phuc/<path>` (restore). `<path>` is the file
//! under `content/` (`tin-tuc/a.md`); the gate has already refused `..` and encoded `/`, and
//! [`article_path`] and the journal check it again before any file is read.
//!
//! Roles: biên tập and quản trị edit everything; a phóng viên edits, views the history of and
//! restores only drafts whose `authors` names their account, and what they save stays a
//! draft (see [`super::article`]).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;

use super::accounts::Role;
use super::article::{self, Choices, FieldError, Fields};
use super::article_pages::{self as view, FormPage, Target};
use super::pages::{self, Who};
use super::routes::{forbidden, html, see_other, Ctx, Editor};
use crate::journal::{self, Base, SaveError, Version};

type Answer = Result<Response, Box<Response>>;

pub(super) fn page_error(status: StatusCode, title: &str, text: &str, who: &Who) -> Box<Response> {
    Box::new(html(
        status,
        pages::message(title, text, Some(("/", "Về danh sách bài viết")), Some(who)),
    ))
}

fn not_found(who: &Who) -> Box<Response> {
    page_error(
        StatusCode::NOT_FOUND,
        "Không tìm thấy",
        "Không có bài viết này.",
        who,
    )
}

/// `content/<path>` when it names an article file (not a section, not the figures).
pub(super) fn article_path(path: &str, who: &Who) -> Result<String, Box<Response>> {
    let rel = format!("content/{path}");
    let name = rel.rsplit('/').next().unwrap_or("");
    if !rel.ends_with(".md")
        || name == "_index.md"
        || rel.starts_with("content/data/")
        || journal::check_path(&rel).is_err()
    {
        return Err(not_found(who));
    }
    Ok(rel)
}

/// Runs blocking work (file I/O, the site load) off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    who: &Who,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Box<Response>> {
    tokio::task::spawn_blocking(f).await.map_err(|_| {
        page_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Lỗi",
            "Lỗi nội bộ khi đọc hoặc ghi tệp.",
            who,
        )
    })
}

pub(super) fn save_failed(e: &SaveError, who: &Who) -> Box<Response> {
    match e {
        SaveError::InvalidPath { .. } => not_found(who),
        _ => page_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Không lưu được",
            &e.to_string(),
            who,
        ),
    }
}

/// The file's text and version (404 when it does not exist).
async fn load(ed: &Arc<Editor>, rel: &str, who: &Who) -> Result<(String, Base), Box<Response>> {
    let (root, r) = (ed.root.clone(), rel.to_string());
    match blocking(who, move || journal::current(&root, &r)).await? {
        Ok((Some(bytes), base)) => Ok((String::from_utf8_lossy(&bytes).into_owned(), base)),
        Ok((None, _)) => Err(not_found(who)),
        Err(e) => Err(save_failed(&e, who)),
    }
}

pub(super) async fn choices(ed: &Arc<Editor>, who: &Who) -> Result<Choices, Box<Response>> {
    let e = ed.clone();
    blocking(who, move || e.catalog.current().choices.clone()).await
}

/// A phóng viên may touch only their own drafts.
fn may_edit(who: &Who, text: &str) -> Result<(), Box<Response>> {
    if who.role >= Role::BienTap {
        return Ok(());
    }
    let s = article::standing(text, &who.user);
    match (s.draft, s.own) {
        (true, true) if s.in_review => Err(Box::new(forbidden("Bài đang chờ duyệt: phóng viên không sửa được cho tới khi biên tập viên trả lại bài.", Some(who)))),
        (true, true) => Ok(()),
        (false, true) => Err(Box::new(forbidden("Bài đã đăng: chỉ biên tập viên được sửa. Phóng viên sửa được bài nháp của mình.", Some(who)))),
        _ => Err(Box::new(forbidden(&format!("Phóng viên chỉ sửa được bài nháp do chính mình viết; bài này không ghi tài khoản {} trong tác giả.", who.user), Some(who)))),
    }
}

fn query(req_query: Option<&str>, key: &str) -> String {
    form_urlencoded::parse(req_query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

pub(super) fn parse_base(s: &str) -> Base {
    if s == "moi" {
        Base::NewFile
    } else {
        Base::Version(Version(s.to_string()))
    }
}

/// The existing article at `path` that `who` may open: its content path, text and version.
/// Every route on one article goes through here, so none can skip a check.
pub(super) async fn open(
    ed: &Arc<Editor>,
    who: &Who,
    path: &str,
) -> Result<(String, String, Base), Box<Response>> {
    let rel = article_path(path, who)?;
    let (text, base) = load(ed, &rel, who).await?;
    may_edit(who, &text)?;
    Ok((rel, text, base))
}

fn done(r: Answer) -> Response {
    r.unwrap_or_else(|e| *e)
}

pub async fn edit_page(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(path): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    done(edit_page_inner(ed, ctx, path, uri.query()).await)
}

async fn edit_page_inner(ed: Arc<Editor>, ctx: Ctx, path: String, q: Option<&str>) -> Answer {
    let who = ctx.who();
    let (rel, text, base) = open(&ed, who, &path).await?;
    let choices = choices(&ed, who).await?;
    let notice = match query(q, "xong").as_str() {
        "luu" => Some("Đã lưu."),
        "tra-lai" => Some("Đã trả lại bài cho phóng viên kèm góp ý."),
        "gop-y" => Some("Đã gửi góp ý."),
        _ => None,
    };
    let Ok(fields) = article::read(&text, &choices) else {
        let why = article::check(&text, &rel).err();
        return Ok(html(
            StatusCode::OK,
            view::whole_text(who, &rel, &text, None, &base, why.as_deref()),
        ));
    };
    let (root, r) = (ed.root.clone(), rel.clone());
    let comments = blocking(who, move || super::review::read(&root, &r)).await?;
    let panel = super::review_routes::panel(who, &rel, &fields, &comments);
    Ok(html(
        StatusCode::OK,
        view::form(&FormPage {
            who,
            target: Target::File(&rel),
            fields: &fields,
            choices: &choices,
            base: &base,
            errors: &[],
            notice,
            draft_locked: who.role < Role::BienTap,
            extra: &panel,
        }),
    ))
}

/// Saves `text` at `base`; the redirect, or the conflict screen.
async fn commit(ed: &Arc<Editor>, who: &Who, rel: &str, text: String, base: Base) -> Answer {
    let (root, r, author, bytes) = (
        ed.root.clone(),
        rel.to_string(),
        who.user.clone(),
        text.clone(),
    );
    let saved = blocking(who, move || {
        journal::save(&root, &r, bytes.as_bytes(), &author, &base)
    })
    .await?;
    match saved {
        Ok(_) => {
            ed.catalog.changed();
            Ok(see_other(&format!(
                "/bai/{}?xong=luu",
                rel.trim_start_matches("content/")
            )))
        }
        Err(SaveError::Conflict {
            theirs,
            theirs_version,
            ..
        }) => {
            let theirs = String::from_utf8_lossy(&theirs);
            Ok(html(
                StatusCode::CONFLICT,
                view::whole_text(who, rel, &text, Some(&theirs), &theirs_version, None),
            ))
        }
        Err(e) => Err(save_failed(&e, who)),
    }
}

pub async fn save(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(path): Path<String>,
) -> Response {
    done(save_inner(ed, ctx, path).await)
}

async fn save_inner(ed: Arc<Editor>, ctx: Ctx, path: String) -> Answer {
    let who = ctx.who();
    let (rel, current, _) = open(&ed, who, &path).await?;
    let base = parse_base(ctx.field("base"));
    if ctx.has("toan_van") {
        return save_whole_text(&ed, who, &rel, ctx.field("toan_van"), base).await;
    }
    let choices = choices(&ed, who).await?;
    let mut fields = article::from_form(|k| ctx.field(k), |k| ctx.fields(k), &choices);
    if who.role < Role::BienTap {
        fields.draft = true;
    }
    let mut errors = article::validate(&fields, &choices);
    let text = if errors.is_empty() {
        built(&current, &fields, None, &rel, &mut errors)
    } else {
        None
    };
    match text {
        Some(text) => commit(&ed, who, &rel, text, base).await,
        None => {
            fields.authors = article::read(&current, &choices)
                .map(|f| f.authors)
                .unwrap_or_default();
            Ok(html(
                StatusCode::BAD_REQUEST,
                view::form(&FormPage {
                    who,
                    target: Target::File(&rel),
                    fields: &fields,
                    choices: &choices,
                    base: &base,
                    errors: &errors,
                    notice: None,
                    draft_locked: who.role < Role::BienTap,
                    extra: "",
                }),
            ))
        }
    }
}

/// The whole-text form (the conflict screen, a file the form cannot read): checked by the
/// build's parser, and for a phóng viên still their own draft.
async fn save_whole_text(ed: &Arc<Editor>, who: &Who, rel: &str, text: &str, base: Base) -> Answer {
    let text = text.replace("\r\n", "\n");
    let own_draft =
        || who.role >= Role::BienTap || article::draft_and_own(&text, &who.user) == (true, true);
    let checked = article::check(&text, rel).and_then(|()| {
        if own_draft() {
            Ok(())
        } else {
            Err("Phóng viên chỉ lưu được bài nháp (draft = true) có tên mình trong authors.".into())
        }
    });
    if let Err(why) = checked {
        return Ok(html(
            StatusCode::BAD_REQUEST,
            view::whole_text(who, rel, &text, None, &base, Some(&why)),
        ));
    }
    commit(ed, who, rel, text, base).await
}

/// The new text, checked by the build's parser; `None` with the reason added to `errors`.
fn built(
    old: &str,
    f: &Fields,
    authors: Option<(&str, &str)>,
    rel: &str,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let old = (!old.is_empty()).then_some(old);
    match article::write(old, f, authors).and_then(|t| article::check(&t, rel).map(|()| t)) {
        Ok(t) => Some(t),
        Err(why) => {
            errors.push((
                "noi_dung",
                format!("Bản dựng không đọc được bài này: {why}"),
            ));
            None
        }
    }
}

pub async fn new_page(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    uri: axum::http::Uri,
) -> Response {
    let who = ctx.who();
    let section = query(uri.query(), "chuyen_muc");
    let choices = match choices(&ed, who).await {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let fields = Fields {
        draft: true,
        terms: choices
            .taxonomies
            .iter()
            .map(|(k, _, _)| (k.clone(), String::new()))
            .collect(),
        date: chrono::Local::now().format("%Y-%m-%dT%H:%M").to_string(),
        ..Fields::default()
    };
    html(
        StatusCode::OK,
        view::form(&FormPage {
            who,
            target: Target::New { section: &section },
            fields: &fields,
            choices: &choices,
            base: &Base::NewFile,
            errors: &[],
            notice: None,
            draft_locked: who.role < Role::BienTap,
            extra: "",
        }),
    )
}

pub async fn create(State(ed): State<Arc<Editor>>, Extension(ctx): Extension<Ctx>) -> Response {
    done(create_inner(ed, ctx).await)
}

async fn create_inner(ed: Arc<Editor>, ctx: Ctx) -> Answer {
    let who = ctx.who();
    let choices = choices(&ed, who).await?;
    let mut fields = article::from_form(|k| ctx.field(k), |k| ctx.fields(k), &choices);
    if who.role < Role::BienTap {
        fields.draft = true;
    }
    let section = ctx.field("chuyen_muc").to_string();
    let mut errors = article::validate(&fields, &choices);
    if !choices.sections.iter().any(|(d, _)| *d == section) {
        errors.push(("chuyen_muc", "Hãy chọn một chuyên mục có sẵn.".to_string()));
    }
    let slug = crate::locale::slugify(&fields.title);
    if !fields.title.is_empty() && slug.is_empty() {
        errors.push((
            "tieu_de",
            "Tiêu đề không có chữ nào dùng được cho tên tệp.".to_string(),
        ));
    }
    let rel = format!("content/{section}/{slug}.md");
    let text = if errors.is_empty() {
        built(
            "",
            &fields,
            Some((&who.display, &who.user)),
            &rel,
            &mut errors,
        )
    } else {
        None
    };
    if let Some(text) = text {
        let r = commit(&ed, who, &rel, text, Base::NewFile).await?;
        if r.status() != StatusCode::CONFLICT {
            return Ok(r);
        }
        errors.push(("tieu_de", format!("Đã có bài {rel}; hãy đặt tiêu đề khác.")));
    }
    Ok(html(
        StatusCode::BAD_REQUEST,
        view::form(&FormPage {
            who,
            target: Target::New { section: &section },
            fields: &fields,
            choices: &choices,
            base: &Base::NewFile,
            errors: &errors,
            notice: None,
            draft_locked: who.role < Role::BienTap,
            extra: "",
        }),
    ))
}

pub async fn history(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(path): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    done(history_inner(ed, ctx, path, uri.query()).await)
}

async fn history_inner(ed: Arc<Editor>, ctx: Ctx, path: String, q: Option<&str>) -> Answer {
    let who = ctx.who();
    let (rel, _, base) = open(&ed, who, &path).await?;
    let wanted = query(q, "ban");
    let (root, r) = (ed.root.clone(), rel.clone());
    if !wanted.is_empty() {
        let v = Version(wanted);
        let vv = v.clone();
        let read = blocking(who, move || journal::read_version(&root, &r, &vv)).await?;
        return match read {
            Ok(bytes) => Ok(html(
                StatusCode::OK,
                view::version(who, &rel, v.short(), &String::from_utf8_lossy(&bytes)),
            )),
            Err(SaveError::UnknownVersion { .. }) => Err(page_error(
                StatusCode::NOT_FOUND,
                "Không tìm thấy",
                "Không có phiên bản này trong lịch sử của bài.",
                who,
            )),
            Err(e) => Err(save_failed(&e, who)),
        };
    }
    let h = blocking(who, move || journal::history(&root, &r))
        .await?
        .map_err(|e| save_failed(&e, who))?;
    let warnings: Vec<String> = h.warnings.iter().map(|d| d.to_string()).collect();
    let notice = match query(q, "xong").as_str() {
        "khoi-phuc" => Some("Đã khôi phục; bản khôi phục là một phiên bản mới."),
        _ => None,
    };
    Ok(html(
        StatusCode::OK,
        view::history(who, &rel, &h.versions, &base, &warnings, notice),
    ))
}

pub async fn restore(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(path): Path<String>,
) -> Response {
    done(restore_inner(ed, ctx, path).await)
}

async fn restore_inner(ed: Arc<Editor>, ctx: Ctx, path: String) -> Answer {
    let who = ctx.who();
    let (rel, _, _) = open(&ed, who, &path).await?;
    let version = Version(ctx.field("ban").to_string());
    let base = parse_base(ctx.field("base"));
    let (root, r, author) = (ed.root.clone(), rel.clone(), who.user.clone());
    let restored = blocking(who, move || {
        journal::restore(&root, &r, &version, &author, &base)
    })
    .await?;
    let short = rel.trim_start_matches("content/");
    match restored {
        Ok(_) => {
            ed.catalog.changed();
            Ok(see_other(&format!("/lich-su/{short}?xong=khoi-phuc")))
        }
        Err(SaveError::Conflict { .. }) => Err(page_error(StatusCode::CONFLICT, "Bài đã đổi", "Bài đã được sửa sau khi bạn mở trang lịch sử; chưa khôi phục gì. Hãy mở lại trang lịch sử rồi làm lại.", who)),
        Err(SaveError::UnknownVersion { .. }) => Err(page_error(StatusCode::NOT_FOUND, "Không tìm thấy", "Không có phiên bản này trong lịch sử của bài.", who)),
        Err(e) => Err(save_failed(&e, who)),
    }
}
