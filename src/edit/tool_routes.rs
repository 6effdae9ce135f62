//! The tools' routes: `POST /dan` (clipboard HTML → Markdown), `POST /anh/<article path>`
//! (a photo into the article's bundle) and the script [`super::tools::JS_PATH`].
//!
//! The gate has bounded the bodies ([`super::routes`]: 1 MB for a paste, 20 MB for a photo),
//! checked the session and the CSRF token (for the multipart photo form, its `csrf` field).

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Extension;

use super::accounts::Role;
use super::article;
use super::article_pages::{self as view, FormPage, Target};
use super::article_routes::{blocking, open, parse_base, save_failed};
use super::pages::Who;
use super::paste;
use super::routes::{html, Ctx, Editor};
use super::tools::JS;
use crate::anh::{self, Format};
use crate::journal::{self, Base, SaveError};

type Answer = Result<Response, Box<Response>>;

fn typed(body: impl Into<Body>, kind: &'static str) -> Response {
    let mut r = Response::new(body.into());
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    r
}

pub async fn script() -> Response {
    typed(JS, "text/javascript; charset=utf-8")
}

/// The clipboard's `text/html` as Markdown; `X-Anh-Bo-Qua` counts the pictures left out (a
/// photo is added with its alt text through the photo form instead).
pub async fn paste(body: Bytes) -> Response {
    let html = String::from_utf8_lossy(&body).into_owned();
    let pasted = tokio::task::spawn_blocking(move || paste::convert(&html)).await;
    let Ok(pasted) = pasted else {
        return typed("", "text/plain; charset=utf-8");
    };
    let mut r = typed(pasted.markdown, "text/markdown; charset=utf-8");
    r.headers_mut()
        .insert("x-anh-bo-qua", HeaderValue::from(pasted.images_dropped));
    r
}

pub async fn upload(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    Path(path): Path<String>,
) -> Response {
    upload_inner(ed, ctx, path).await.unwrap_or_else(|e| *e)
}

/// A refusal page linking back to the article (its form still has the photo field).
fn refused(status: StatusCode, text: &str, who: &Who, rel: &str) -> Box<Response> {
    let back = format!("/bai/{}", rel.trim_start_matches("content/"));
    Box::new(html(
        status,
        super::pages::message(
            "Chưa thêm ảnh",
            text,
            Some((&back, "Về trang sửa bài")),
            Some(who),
        ),
    ))
}

/// The alt text, or why it is refused: empty, or only the file's name (what a hurried writer
/// types, and what a screen reader would read out uselessly).
fn alt_text(typed: &str, file_name: &str) -> Result<String, &'static str> {
    let alt: String = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if alt.is_empty() {
        return Err("Hãy viết mô tả ảnh: người không xem được ảnh (và máy tìm kiếm) chỉ biết ảnh qua mô tả này.");
    }
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let fold = |s: &str| s.trim().to_lowercase();
    if fold(&alt) == fold(base) || fold(&alt) == fold(stem) {
        return Err("Mô tả ảnh không được chỉ là tên tệp: hãy tả những gì trong ảnh, ví dụ \"Cán bộ xã hướng dẫn bà con đăng ký hồ sơ\".");
    }
    Ok(alt)
}

/// The stored name's stem: the slug of the uploaded name without its extension, never a path
/// (`../../x.jpg` gives `x`, `a/b.jpg` gives `a-b`); `anh` when nothing is left.
fn stem_of(file_name: &str) -> String {
    let clean: String = file_name.chars().filter(|c| !c.is_control()).collect();
    let stem = clean.rsplit_once('.').map_or(clean.as_str(), |(s, _)| s);
    let slug: String = crate::locale::slugify(stem).chars().take(60).collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "anh".into()
    } else {
        slug
    }
}

/// The bytes are a JPEG, PNG or WebP picture the build can decode (415 when not a picture at
/// all, 422 when damaged or too large).
async fn checked_photo(bytes: Bytes, who: &Who, rel: &str) -> Result<Format, Box<Response>> {
    let Some(format) = anh::sniff(&bytes) else {
        return Err(refused(StatusCode::UNSUPPORTED_MEDIA_TYPE, "Tệp này không phải ảnh: chỉ nhận ảnh JPEG, PNG hoặc WebP (ảnh chụp, ảnh chụp màn hình).", who, rel));
    };
    let decoded = blocking(who, move || anh::check_decodes(&bytes, format)).await?;
    match decoded {
        Ok(()) => Ok(format),
        Err(why) => Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            &format!("Ảnh không dùng được: {why}."),
            who,
            rel,
        )),
    }
}

async fn upload_inner(ed: Arc<Editor>, ctx: Ctx, path: String) -> Answer {
    let who = ctx.who();
    let (rel, text, base) = open(&ed, who, &path).await?;
    // The form's choices as loaded before the photo is written: a load after it would run the
    // photo pipeline on the new photo (the site load does: ~10-20 s for 12 MP in a debug
    // build) before answering. The watcher's reload does that in the background instead.
    let e = ed.clone();
    let choices = blocking(who, move || e.catalog.current().choices.clone()).await?;
    let Some(file) = ctx.file("anh").filter(|f| !f.bytes.is_empty()) else {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Hãy chọn một ảnh (hoặc chụp bằng điện thoại) rồi bấm Tải ảnh lên.",
            who,
            &rel,
        ));
    };
    let alt = alt_text(ctx.field("mo_ta"), &file.file_name)
        .map_err(|why| refused(StatusCode::UNPROCESSABLE_ENTITY, why, who, &rel))?;
    let format = checked_photo(file.bytes.clone(), who, &rel).await?;
    let (bundle_rel, moved) = into_bundle(&ed, who, &rel, &text).await?;
    let dir = bundle_rel.trim_end_matches("/index.md").to_string();
    let name = store_photo(
        &ed,
        who,
        &dir,
        &stem_of(&file.file_name),
        format,
        file.bytes.clone(),
    )
    .await?;
    ed.catalog.changed();
    let line = format!("![{}]({name})", markdown_alt(&alt));
    let mut notice =
        format!("Đã thêm ảnh {name}. Dòng ảnh đã được chèn vào nội dung; bấm Lưu để giữ.");
    if moved {
        notice.push_str(&format!(
            " Bài đã được chuyển thành thư mục {}/ để chứa ảnh.",
            dir.trim_start_matches("content/")
        ));
    }
    let base = match ctx.field("base") {
        "" => base,
        b => parse_base(b),
    };
    let page = Again {
        rel: &bundle_rel,
        text: &text,
        line: &line,
        base: &base,
        notice: &notice,
    };
    Ok(form_again(&ctx, &choices, &page))
}

/// `[`, `]` and `\` would end or escape the alt text early.
fn markdown_alt(alt: &str) -> String {
    alt.replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

/// The article's bundle file: itself when it is `…/index.md`; a single file `tin-tuc/a.md`
/// becomes `tin-tuc/a/index.md` ([`journal::move_file`]: recorded as created by this writer;
/// in git one commit that also removes the old file), refused when the folder already exists
/// or the file changed since it was read. `true` when moved.
async fn into_bundle(
    ed: &Arc<Editor>,
    who: &Who,
    rel: &str,
    text: &str,
) -> Result<(String, bool), Box<Response>> {
    if rel.ends_with("/index.md") {
        return Ok((rel.to_string(), false));
    }
    let dir = rel.trim_end_matches(".md").to_string();
    let new_rel = format!("{dir}/index.md");
    if ed.root.join(&dir).exists() {
        return Err(refused(StatusCode::CONFLICT, &format!("Không thêm được ảnh: để chứa ảnh, bài phải chuyển thành thư mục {}/, nhưng thư mục đó đã có. Hãy đổi tên thư mục đó hoặc thêm ảnh vào bài trong thư mục ấy.", dir.trim_start_matches("content/")), who, rel));
    }
    let (root, old, new, author) = (
        ed.root.clone(),
        rel.to_string(),
        new_rel.clone(),
        who.user.clone(),
    );
    let base = journal::Base::Version(journal::Version::of(text.as_bytes()));
    let moved = blocking(who, move || {
        journal::move_file(&root, &old, &new, &author, &base)
    })
    .await?;
    match moved {
        Ok(_) => Ok((new_rel, true)),
        Err(SaveError::Conflict { .. }) => Err(refused(StatusCode::CONFLICT, "Bài vừa được sửa ở nơi khác nên chưa chuyển được thành thư mục để chứa ảnh; chưa lưu gì. Hãy mở lại bài rồi thêm ảnh.", who, rel)),
        Err(e) => Err(save_failed(&e, who)),
    }
}

/// Writes the photo through the journal as a new file `dir/stem.ext`, or `stem-2.ext`,
/// `stem-3.ext`… when taken (never over an existing file); its name.
async fn store_photo(
    ed: &Arc<Editor>,
    who: &Who,
    dir: &str,
    stem: &str,
    format: Format,
    bytes: Bytes,
) -> Result<String, Box<Response>> {
    let (root, dir, stem, author) = (
        ed.root.clone(),
        dir.to_string(),
        stem.to_string(),
        who.user.clone(),
    );
    let stored = blocking(who, move || {
        for n in 1..=999 {
            let name = match n {
                1 => format!("{stem}.{}", format.extension()),
                _ => format!("{stem}-{n}.{}", format.extension()),
            };
            let taken = root.join(&dir).join(&name).exists();
            if taken {
                continue;
            }
            match journal::save(
                &root,
                &format!("{dir}/{name}"),
                &bytes,
                &author,
                &Base::NewFile,
            ) {
                Ok(_) => return Ok(name),
                Err(SaveError::Conflict { .. }) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(SaveError::InvalidPath {
            path: dir,
            reason: "đã có quá nhiều ảnh cùng tên".into(),
        })
    })
    .await?;
    stored.map_err(|e| save_failed(&e, who))
}

/// `line` inserted into `body` at `at` (a browser's cursor: UTF-16 units), or at the end, as a
/// paragraph of its own.
fn insert_line(body: &str, line: &str, at: Option<usize>) -> String {
    let byte = at.and_then(|units| {
        let mut count = 0;
        for (i, c) in body.char_indices() {
            if count >= units {
                return Some(i);
            }
            count += c.len_utf16();
        }
        (count >= units).then_some(body.len())
    });
    match byte {
        Some(i) if i < body.len() => {
            let (a, b) = body.split_at(i);
            format!("{}\n\n{line}\n\n{}", a.trim_end(), b.trim_start())
        }
        _ if body.trim().is_empty() => format!("{line}\n"),
        _ => format!("{}\n\n{line}\n", body.trim_end()),
    }
}

/// What the form shows again after an upload.
struct Again<'a> {
    rel: &'a str,
    /// The file as it was read.
    text: &'a str,
    /// The photo's Markdown line.
    line: &'a str,
    base: &'a Base,
    notice: &'a str,
}

/// The form again, as the writer had it (their typed fields when the script sent them, else
/// the file), with the photo's line in the body.
fn form_again(ctx: &Ctx, choices: &article::Choices, a: &Again) -> Response {
    let who = ctx.who();
    let at = ctx.field("vi_tri").parse().ok();
    // The script sends the article form's fields prefixed (`bai_mo_ta`: `mo_ta` is the alt).
    let fields = if ctx.has("bai_tieu_de") {
        let mut f = article::from_form(
            |k| ctx.field(&format!("bai_{k}")),
            |k| ctx.fields(&format!("bai_{k}")),
            choices,
        );
        f.authors = article::read(a.text, choices)
            .map(|f| f.authors)
            .unwrap_or_default();
        Some(f)
    } else {
        article::read(a.text, choices).ok()
    };
    let Some(mut fields) = fields else {
        let whole = insert_line(a.text, a.line, None);
        return html(
            StatusCode::OK,
            view::whole_text(who, a.rel, &whole, None, a.base, Some(a.notice)),
        );
    };
    if who.role < Role::BienTap {
        fields.draft = true;
    }
    fields.body = insert_line(&fields.body, a.line, at);
    html(
        StatusCode::OK,
        view::form(&FormPage {
            who,
            target: Target::File(a.rel),
            fields: &fields,
            choices,
            base: a.base,
            errors: &[],
            notice: Some(a.notice),
            draft_locked: who.role < Role::BienTap,
            // the review panel comes back with the saved form (Lưu)
            extra: "",
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_slugged_never_paths() {
        assert_eq!(stem_of("../../x.jpg"), "x");
        assert_eq!(stem_of("a/b.jpg"), "a-b");
        assert_eq!(stem_of("..\\..\\Ảnh Hội nghị.JPG"), "anh-hoi-nghi");
        assert_eq!(stem_of("a\0b.png"), "ab");
        assert_eq!(stem_of(".jpg"), "anh");
        assert_eq!(stem_of("/"), "anh");
    }

    #[test]
    fn alt_text_is_required_and_not_the_file_name() {
        assert!(alt_text("   ", "a.jpg").is_err());
        assert!(alt_text("IMG_0042", "IMG_0042.JPG").is_err());
        assert!(alt_text("img_0042.jpg", "IMG_0042.JPG").is_err());
        assert_eq!(alt_text(" Cán bộ\n xã ", "a.jpg").unwrap(), "Cán bộ xã");
    }

    #[test]
    fn the_line_goes_at_the_cursor_or_the_end() {
        assert_eq!(
            insert_line("Một.\n", "![a](b.jpg)", None),
            "Một.\n\n![a](b.jpg)\n"
        );
        assert_eq!(insert_line("", "![a](b.jpg)", None), "![a](b.jpg)\n");
        // "Ấp" is 2 UTF-16 units; the cursor after it.
        assert_eq!(
            insert_line("Ấp một.", "![a](b.jpg)", Some(2)),
            "Ấp\n\n![a](b.jpg)\n\nmột."
        );
        assert_eq!(insert_line("ab", "L", Some(99)), "ab\n\nL\n");
        assert_eq!(markdown_alt("a [b] \\"), "a \\[b\\] \\\\");
    }
}
