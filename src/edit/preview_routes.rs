//! The preview's routes: `POST /xem-truoc` (the article form's fields, plus `duong_dan`, the
//! article's path under `content/`, empty for a new article) answers with the page rendered by
//! the site's theme ([`super::preview`]), or the build's problems; `GET /trang/…` serves the
//! preview's files (theme CSS, fonts, photos, other pages); `GET` [`SCRIPT_PATH`] is the form's
//! script (live preview, Markdown toolbar). The gate has already checked the session, the CSRF
//! token of the POST and the path (no `..`).
//!
//! Only these two routes may be framed, and by the editor only ([`FRAMED_CSP`]); the form's
//! iframe is sandboxed without scripts.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;

use super::accounts::Role;
use super::article::{self, Fields};
use super::article_routes::{choices, open};
use super::pages::{Who, CSS_PATH};
use super::preview::PREFIX;
use super::routes::{html, Ctx, Editor};
use crate::diag::Diagnostic;
use crate::escape::html as esc;
use crate::serve::http::content_type;
use crate::serve::incremental::Served;

/// The editor's policy, except that the editor's own pages may frame these responses.
pub const FRAMED_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'";
pub const SCRIPT_PATH: &str = "/tai-nguyen/xem-truoc.js";
const SCRIPT: &str = include_str!("xem-truoc.js");

fn framed(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(FRAMED_CSP),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("SAMEORIGIN"),
    );
    r
}

/// A small page for the iframe: why there is no preview.
fn problems(status: StatusCode, lines: &[String]) -> Response {
    let items: String = lines
        .iter()
        .map(|l| format!("<li>{}</li>", esc(l)))
        .collect();
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Chưa xem trước được · bantin</title><link rel=\"stylesheet\" href=\"{CSS_PATH}\"></head>\
         <body><main><h1>Chưa xem trước được</h1><div class=\"loi\" role=\"alert\"><ul>{items}</ul></div>\
         <p>Sửa các chỗ trên rồi bấm Xem trước (hoặc gõ tiếp: bản xem trước tự cập nhật).</p></main></body></html>\n"
    );
    framed(html(status, body))
}

/// A diagnostic of the previewed file, placed in the form: lines of the body are counted from
/// the body's first line (the front matter is the form's fields, not text the writer sees).
fn placed(d: &Diagnostic, rel: &str, body_line: usize) -> String {
    let in_body = d.file.as_deref() == Some(rel) && d.line.is_some_and(|l| l >= body_line);
    match (in_body, d.line) {
        (true, Some(l)) => {
            let mut s = format!(
                "Nội dung, dòng {}{}: {}",
                l + 1 - body_line,
                d.column.map(|c| format!(", cột {c}")).unwrap_or_default(),
                d.message
            );
            if let Some(h) = &d.hint {
                s.push_str(&format!("\n  → cách sửa: {h}"));
            }
            s
        }
        // file:line:col, message and hint as `bantin build` prints them
        _ => d.to_string(),
    }
}

/// The first line of the body in the file's text (`write` puts the body last, then `\n`).
fn body_first_line(text: &str, body: &str) -> usize {
    let start = text.len().saturating_sub(body.trim_end().len() + 1);
    text[..start].matches('\n').count() + 1
}

/// The article to preview: its content path, its current text (empty for a new one), and the
/// `authors` a new one gets.
async fn target(
    ed: &Arc<Editor>,
    ctx: &Ctx,
    who: &Who,
) -> Result<(String, String, Option<String>), Box<Response>> {
    let path = ctx.field("duong_dan");
    if !path.is_empty() {
        let (rel, text, _) = open(ed, who, path).await?;
        return Ok((rel, text, None));
    }
    let section = ctx.field("chuyen_muc");
    let choices = choices(ed, who).await?;
    if !choices.sections.iter().any(|(d, _)| d == section) {
        let msg = "Hãy chọn một chuyên mục có sẵn.".to_string();
        return Err(Box::new(problems(StatusCode::BAD_REQUEST, &[msg])));
    }
    // Its own name per account, not written anywhere: two people previewing new articles
    // in one section do not share a page.
    let user = crate::locale::slugify(&who.user);
    let rel = format!("content/{section}/xem-truoc-bai-moi-{user}.md");
    Ok((rel, String::new(), Some(who.user.clone())))
}

pub async fn preview(State(ed): State<Arc<Editor>>, Extension(ctx): Extension<Ctx>) -> Response {
    let who = ctx.who();
    let (rel, current, authors) = match target(&ed, &ctx, who).await {
        Ok(t) => t,
        Err(r) => return framed(*r),
    };
    let choices = match choices(&ed, who).await {
        Ok(c) => c,
        Err(r) => return framed(*r),
    };
    let mut fields: Fields = article::from_form(|k| ctx.field(k), |k| ctx.fields(k), &choices);
    if who.role < Role::BienTap {
        fields.draft = true;
    }
    let errors = article::validate(&fields, &choices);
    if !errors.is_empty() {
        let lines: Vec<String> = errors.into_iter().map(|(_, m)| m).collect();
        return problems(StatusCode::BAD_REQUEST, &lines);
    }
    let old = (!current.is_empty()).then_some(current.as_str());
    let owner = authors
        .as_ref()
        .map(|_| (who.display.as_str(), who.user.as_str()));
    let text = match article::write(old, &fields, owner)
        .and_then(|t| article::check(&t, &rel).map(|()| t))
    {
        Ok(t) => t,
        Err(why) => return problems(StatusCode::BAD_REQUEST, &[why]),
    };
    let body_line = body_first_line(&text, &fields.body);
    let editor = ed.clone();
    let r = rel.clone();
    let started = std::time::Instant::now();
    let shown = tokio::task::spawn_blocking(move || editor.preview.show(&r, text)).await;
    match shown {
        Ok(Ok(page)) => {
            let mut r = framed(html(StatusCode::OK, String::from_utf8_lossy(&page).into()));
            // The pipeline's time (lock wait included), for the latency figure and devtools.
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if let Ok(v) = HeaderValue::from_str(&format!("dung;dur={ms:.1}")) {
                r.headers_mut().insert("server-timing", v);
            }
            r
        }
        Ok(Err(diags)) => {
            let lines: Vec<String> = diags
                .iter()
                .filter(|d| d.is_error())
                .map(|d| placed(d, &rel, body_line))
                .collect();
            problems(StatusCode::UNPROCESSABLE_ENTITY, &lines)
        }
        Err(_) => problems(
            StatusCode::INTERNAL_SERVER_ERROR,
            &["Lỗi nội bộ khi dựng bản xem trước.".into()],
        ),
    }
}

/// A file of the preview's snapshot (`/trang/<configured path>/…`).
pub async fn page(State(ed): State<Arc<Editor>>, Path(rest): Path<String>) -> Response {
    let Some(snapshot) = ed.preview.snapshot() else {
        let msg = "Bản xem trước đang được dựng lần đầu; hãy thử lại sau ít giây.".to_string();
        return problems(StatusCode::SERVICE_UNAVAILABLE, &[msg]);
    };
    let full = format!("{PREFIX}/{rest}");
    let missing = || {
        let msg = "Không có tệp này trong bản xem trước.".to_string();
        problems(StatusCode::NOT_FOUND, &[msg])
    };
    let Some(rel) = full.strip_prefix(snapshot.base_path.as_str()) else {
        return missing();
    };
    let file = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    let bytes = match snapshot.files.get(&file) {
        Some(Served::Bytes(b)) => b.to_vec(),
        Some(Served::File(p)) => {
            let p = p.clone();
            match tokio::task::spawn_blocking(move || std::fs::read(p)).await {
                Ok(Ok(b)) => b,
                _ => return missing(),
            }
        }
        None => return missing(),
    };
    let mut r = Response::new(Body::from(bytes));
    if let Ok(v) = HeaderValue::from_str(&content_type(&file)) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    framed(r)
}

/// `/trang/`: the preview's home page when the configured path is `/`.
pub async fn page_root(state: State<Arc<Editor>>) -> Response {
    page(state, Path(String::new())).await
}

pub async fn script() -> Response {
    let mut r = Response::new(Body::from(SCRIPT));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_lines_are_counted_from_the_body() {
        let text = "+++\ntitle = \"a\"\n+++\n\nmột\nhai\n";
        assert_eq!(body_first_line(text, "một\nhai"), 5);
        let d = Diagnostic::error("sai").in_file("content/a.md").at(6, 2);
        assert_eq!(
            placed(&d, "content/a.md", 5),
            "Nội dung, dòng 2, cột 2: sai"
        );
    }
}
