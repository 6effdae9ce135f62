//! The figures routes: `/so-lieu` (the reports), `/so-lieu/<file>` (the grid; POST saves it
//! through the journal), `/so-lieu/kiem-tra/<file>` (the live check: the same reading and
//! validation as the save, as JSON for `so-lieu.js`).
//!
//! Roles: biên tập and quản trị edit figures. A phóng viên may open the grid read-only (the
//! figures are what their articles cite, and they reach the public site anyway) but any save
//! or check is refused with 403.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;

use super::accounts::Role;
use super::article_routes::blocking;
use super::figures::{self, Grid, Notes};
use super::figures_pages::{self as view, GridPage, ReportLine};
use super::pages::{self, Who};
use super::routes::{forbidden, html, see_other, Ctx, Editor};
use crate::journal::{self, Base, SaveError, Version};

type Answer = Result<Response, Box<Response>>;

fn page_error(status: StatusCode, title: &str, text: &str, who: &Who) -> Box<Response> {
    Box::new(html(
        status,
        pages::message(
            title,
            text,
            Some(("/so-lieu", "Về danh sách báo cáo")),
            Some(who),
        ),
    ))
}

fn done(r: Answer) -> Response {
    r.unwrap_or_else(|e| *e)
}

fn may_edit(who: &Who) -> Result<(), Box<Response>> {
    if who.role >= Role::BienTap {
        return Ok(());
    }
    Err(Box::new(forbidden(
        &format!("Chỉ biên tập viên và quản trị sửa được số liệu; tài khoản {} là {} nên chỉ xem được bảng.", who.user, who.role.label()),
        Some(who),
    )))
}

/// The site's data, or the page listing why it cannot be read (the grid needs the areas and
/// projects of a valid site).
fn site_data(root: &std::path::Path, who: &Who) -> Result<(u64, crate::data::Data), Box<Response>> {
    crate::import::site_data(root)
        .map(|(cfg, d)| (cfg.raw.max_file_size, d))
        .map_err(|diags| {
            let text: Vec<String> = diags
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.to_string())
                .collect();
            page_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Dữ liệu của trang đang có lỗi",
                &format!(
                    "Chưa mở được bảng số liệu vì dữ liệu có lỗi; sửa trong tệp rồi mở lại:\n{}",
                    text.join("\n")
                ),
                who,
            )
        })
}

pub async fn list(State(ed): State<Arc<Editor>>, Extension(ctx): Extension<Ctx>) -> Response {
    let who = ctx.who().clone();
    let root = ed.root.clone();
    let w = who.clone();
    done(
        blocking(&who, move || {
            let (_, data) = site_data(&root, &w)?;
            let mut lines: Vec<ReportLine> = data
                .reports
                .iter()
                .map(|r| ReportLine {
                    name: r.file.rsplit('/').next().unwrap_or("").to_string(),
                    project: data.projects[r.project].name.clone(),
                    area: data.areas[r.area].name.clone(),
                    year: r.year,
                    as_of: r.as_of.format("%d/%m/%Y").to_string(),
                })
                .collect();
            lines.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(html(StatusCode::OK, view::list(&w, &lines, &[])))
        })
        .await
        .and_then(|r| r),
    )
}

/// Everything about one report file: its grid, text, version, and what a check needs.
struct Opened {
    grid: Grid,
    text: String,
    base: Base,
    max: u64,
    id: String,
}

/// `<name>.toml` of `content/data/reports/`, loaded and gridded (404 for anything else).
fn open(root: &std::path::Path, name: &str, who: &Who) -> Result<Opened, Box<Response>> {
    let not_found = || {
        page_error(
            StatusCode::NOT_FOUND,
            "Không tìm thấy",
            "Không có báo cáo số liệu này.",
            who,
        )
    };
    let id = name
        .strip_suffix(".toml")
        .filter(|id| crate::paths::is_safe_slug(id))
        .ok_or_else(not_found)?;
    let (max, data) = site_data(root, who)?;
    let report = data
        .report_index
        .get(id)
        .map(|&i| &data.reports[i])
        .ok_or_else(not_found)?;
    let rel = report.file.clone();
    let (bytes, base) = match journal::current(root, &rel) {
        Ok((Some(b), base)) => (b, base),
        Ok((None, _)) => return Err(not_found()),
        Err(e) => {
            return Err(page_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Lỗi",
                &e.to_string(),
                who,
            ))
        }
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let grid = figures::grid(&data, report, &text)
        .map_err(|e| page_error(StatusCode::INTERNAL_SERVER_ERROR, "Lỗi", &e, who))?;
    Ok(Opened {
        grid,
        text,
        base,
        max,
        id: id.to_string(),
    })
}

pub async fn page(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(name): Path<String>,
    uri: axum::http::Uri,
) -> Response {
    let who = ctx.who().clone();
    let saved = uri
        .query()
        .is_some_and(|q| q.split('&').any(|kv| kv == "xong=luu"));
    let root = ed.root.clone();
    let w = who.clone();
    done(
        blocking(&who, move || {
            let o = open(&root, &name, &w)?;
            // the file's own warnings (and errors, if edited by hand) beside their cells
            let diags = figures::check(&root, o.max, &o.grid.file, &o.id, &o.text);
            let notes = figures::place(&o.grid, &o.text, &diags);
            let values = |id: &str| o.grid.values.get(id).cloned().unwrap_or_default();
            Ok(html(
                StatusCode::OK,
                view::grid(&GridPage {
                    who: &w,
                    grid: &o.grid,
                    values: &values,
                    notes: &notes,
                    base: &o.base,
                    notice: saved.then_some("Đã lưu số liệu."),
                    read_only: w.role < Role::BienTap,
                }),
            ))
        })
        .await
        .and_then(|r| r),
    )
}

/// The new text and every message, or the cells that are not numbers.
fn checked(root: &std::path::Path, o: &Opened, ctx: &Ctx) -> (Option<String>, Notes) {
    let sent = |id: &str| ctx.has(id).then(|| ctx.field(id).to_string());
    match figures::apply(&o.grid, &o.text, &sent) {
        Err(notes) => (None, notes),
        Ok(text) => {
            let diags = figures::check(root, o.max, &o.grid.file, &o.id, &text);
            let notes = figures::place(&o.grid, &text, &diags);
            (Some(text), notes)
        }
    }
}

fn has_error(notes: &Notes) -> bool {
    notes.values().flatten().any(|n| n.error)
}

pub async fn save(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(name): Path<String>,
) -> Response {
    let who = ctx.who().clone();
    if let Err(r) = may_edit(&who) {
        return *r;
    }
    let root = ed.root.clone();
    let w = who.clone();
    done(
        blocking(&who, move || save_blocking(&root, &name, &w, &ctx))
            .await
            .and_then(|r| r),
    )
}

fn save_blocking(root: &std::path::Path, name: &str, who: &Who, ctx: &Ctx) -> Answer {
    let o = open(root, name, who)?;
    let base = match ctx.field("base") {
        "moi" => Base::NewFile,
        v => Base::Version(Version(v.to_string())),
    };
    let (text, notes) = checked(root, &o, ctx);
    let text = match text {
        Some(t) if !has_error(&notes) => t,
        _ => {
            let values = |id: &str| {
                if ctx.has(id) {
                    ctx.field(id).to_string()
                } else {
                    o.grid.values.get(id).cloned().unwrap_or_default()
                }
            };
            return Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                view::grid(&GridPage {
                    who,
                    grid: &o.grid,
                    values: &values,
                    notes: &notes,
                    base: &base,
                    notice: None,
                    read_only: false,
                }),
            ));
        }
    };
    let to = format!("/so-lieu/{}?xong=luu", o.grid.name);
    if text == o.text && base == o.base {
        return Ok(see_other(&to));
    }
    match journal::save(root, &o.grid.file, text.as_bytes(), &who.user, &base) {
        Ok(_) => Ok(see_other(&to)),
        Err(SaveError::Conflict { theirs, .. }) => Ok(html(
            StatusCode::CONFLICT,
            view::conflict(who, &o.grid, &text, &String::from_utf8_lossy(&theirs)),
        )),
        Err(e) => Err(page_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Không lưu được",
            &e.to_string(),
            who,
        )),
    }
}

/// The live check: `{"o-…": [{"loi": true, "text": "…"}], "": […]}` (200 with the messages,
/// whether or not there are errors).
pub async fn live_check(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(name): Path<String>,
) -> Response {
    let who = ctx.who().clone();
    if let Err(r) = may_edit(&who) {
        return *r;
    }
    let root = ed.root.clone();
    let w = who.clone();
    done(
        blocking(&who, move || {
            let o = open(&root, &name, &w)?;
            let (_, notes) = checked(&root, &o, &ctx);
            let json: serde_json::Map<String, serde_json::Value> = notes
                .into_iter()
                .map(|(k, v)| {
                    let list = v
                        .into_iter()
                        .map(|n| serde_json::json!({"loi": n.error, "text": n.text}))
                        .collect();
                    (k, serde_json::Value::Array(list))
                })
                .collect();
            let mut r = Response::new(Body::from(serde_json::Value::Object(json).to_string()));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            Ok(r)
        })
        .await
        .and_then(|r| r),
    )
}

pub async fn script() -> Response {
    let mut r = Response::new(Body::from(view::JS));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r
}

/// `POST /so-lieu/nhap`: a filled `bantin template` workbook, through `bantin import`'s own
/// reading and planning ([`crate::import::read::workbook`], [`crate::import::apply::plan`]:
/// nothing written unless every sheet is valid), each report then saved through the journal.
pub async fn upload(State(ed): State<Arc<Editor>>, Extension(ctx): Extension<Ctx>) -> Response {
    let who = ctx.who().clone();
    if let Err(r) = may_edit(&who) {
        return *r;
    }
    // the gate has read the multipart body (bounded, its CSRF field checked)
    let file = ctx
        .file("tep")
        .map(|u| (shown_name(&u.file_name), u.bytes.clone()));
    let Some((shown, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return *page_error(
            StatusCode::BAD_REQUEST,
            "Chưa có tệp",
            "Hãy chọn tệp bảng tính đã điền rồi bấm Tải lên.",
            &who,
        );
    };
    let root = ed.root.clone();
    let w = who.clone();
    done(
        blocking(&who, move || import_blocking(&root, &w, &bytes, &shown))
            .await
            .and_then(|r| r),
    )
}

/// The uploaded file's name, for messages only (never a path): its last part.
fn shown_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if last.is_empty() {
        "bảng tính.xlsx".into()
    } else {
        last.chars().take(100).collect()
    }
}

fn import_blocking(root: &std::path::Path, who: &Who, bytes: &[u8], shown: &str) -> Answer {
    use crate::import::{apply, read};
    // by content: a zip (xlsx) holding the template's hidden sheet
    if !bytes.starts_with(b"PK\x03\x04") || !read::is_template(bytes) {
        return Err(page_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Không phải mẫu báo cáo",
            &format!("Tệp {shown} không phải mẫu báo cáo của bantin (bảng tính .xlsx do bantin tạo, có trang ẩn _bantin). Hãy tải mẫu ở trang của báo cáo, điền số liệu rồi tải lên lại."),
            who,
        ));
    }
    let (cfg, data) = crate::import::site_data(root).map_err(|d| problems(who, &d))?;
    let sheets = read::workbook(bytes, shown).map_err(|d| problems(who, &d))?;
    let planned =
        apply::plan(root, &cfg, &data, &sheets, shown, false).map_err(|d| problems(who, &d))?;
    for p in &planned {
        let saved = journal::current(root, &p.file).and_then(|(_, base)| {
            journal::save(root, &p.file, p.text.as_bytes(), &who.user, &base)
        });
        if let Err(e) = saved {
            let why = format!("{}: {e}", p.file);
            return Err(page_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Không lưu được",
                &why,
                who,
            ));
        }
    }
    Ok(html(StatusCode::OK, view::imported(who, shown, &planned)))
}

/// 422: the import's problems, each at workbook › sheet › cell.
fn problems(who: &Who, diags: &[crate::diag::Diagnostic]) -> Box<Response> {
    Box::new(html(
        StatusCode::UNPROCESSABLE_ENTITY,
        view::import_problems(who, diags),
    ))
}

/// `GET /so-lieu/mau/<report>.xlsx`: `bantin template` of the report's project, area and year.
pub async fn template(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(name): Path<String>,
) -> Response {
    let who = ctx.who().clone();
    let root = ed.root.clone();
    let w = who.clone();
    done(
        blocking(&who, move || {
            let not_found = || {
                page_error(
                    StatusCode::NOT_FOUND,
                    "Không tìm thấy",
                    "Không có báo cáo số liệu này.",
                    &w,
                )
            };
            let id = name.strip_suffix(".xlsx").ok_or_else(not_found)?;
            let (cfg, data) = crate::import::site_data(&root).map_err(|d| problems(&w, &d))?;
            let r = data
                .report_index
                .get(id)
                .map(|&i| &data.reports[i])
                .ok_or_else(not_found)?;
            let req = crate::import::template::Request {
                project: r.project,
                areas: vec![r.area],
                year: r.year,
                root: &root,
            };
            let bytes = crate::import::template::workbook(&cfg, &data, &req)
                .map_err(|d| problems(&w, &[d]))?;
            let mut resp = Response::new(Body::from(bytes));
            let h = resp.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            );
            if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"mau-{id}.xlsx\""))
            {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            Ok(resp)
        })
        .await
        .and_then(|r| r),
    )
}
