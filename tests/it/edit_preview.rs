//! `bantin edit`'s real-theme preview: `POST /xem-truoc` renders the unsaved form through the
//! site's theme (the incremental pipeline, drafts included) and writes nothing; `/trang/…`
//! serves the preview's files; the form has the preview frame, button and toolbar.

use scraper::{Html, Selector};

use crate::common::tree;
use crate::edit::{encode, hidden, with_accounts, Editor, Resp, Session, ADMIN_PW, CSP, WRITER_PW};

const FRAMED_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'self'; base-uri 'none'; object-src 'none'";

fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The article form's fields for `tin-tuc/tap-huan.md` with `title` and `body` typed.
fn typed<'a>(
    s: &'a Session,
    path: &'a str,
    title: &'a str,
    body: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", s.csrf.as_str()),
        ("duong_dan", path),
        ("tieu_de", title),
        ("ngay", "2023-03-08T09:30"),
        ("tax_tags", "Bình đẳng giới"),
        ("noi_dung", body),
    ]
}

/// The site's files, without the photo cache (the preview's build may fill it, as serve's
/// does; it is neither content nor output).
fn files(root: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut t = tree(root);
    t.retain(|(p, _)| !p.starts_with(".bantin/cache/"));
    t
}

fn assert_framed(r: &Resp, what: &str) {
    assert_eq!(
        r.header("content-security-policy"),
        Some(FRAMED_CSP),
        "{what}"
    );
    assert_eq!(r.header("x-frame-options"), Some("SAMEORIGIN"), "{what}");
    assert_eq!(r.header("cache-control"), Some("no-store"), "{what}");
}

/// The unsaved title and body inside the theme's chrome; nothing written; another preview
/// does not see this one's text; a new article at its own temporary path.
#[test]
fn preview_shows_unsaved_text_in_the_theme_and_writes_nothing() {
    let f = with_accounts();
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    let form = ed.get("/bai/tin-tuc/tap-huan.md", Some(&an));
    assert_eq!(form.status, 200);
    assert_eq!(form.header("content-security-policy"), Some(CSP));
    let page = Html::parse_document(&form.body);
    let one = |css: &str| page.select(&Selector::parse(css).unwrap()).count();
    assert_eq!(
        one("iframe#xem-truoc[name=xem-truoc][title='Xem trước bài viết'][sandbox]"),
        1,
        "{}",
        form.body
    );
    assert_eq!(
        one("form.bai button#nut-xem-truoc[formaction='/xem-truoc'][formtarget=xem-truoc]"),
        1
    );
    assert_eq!(
        one("#thanh-cong-cu[hidden][role=toolbar] button[aria-label]"),
        8
    );
    assert_eq!(one("script[src='/tai-nguyen/xem-truoc.js']"), 1);
    assert_eq!(hidden(&form.body, "duong_dan"), "tin-tuc/tap-huan.md");
    let js = ed.get("/tai-nguyen/xem-truoc.js", Some(&an));
    assert_eq!(js.status, 200);
    assert!(js.body.contains("thanh-cong-cu"), "{}", js.body);

    let before = files(&f.root);
    let r = ed.post(
        "/xem-truoc",
        &an,
        &typed(
            &an,
            "tin-tuc/tap-huan.md",
            "Tiêu đề CHƯA LƯU",
            "Thân bài **mới gõ**, chưa lưu.",
        ),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_framed(&r, "/xem-truoc");
    let doc = Html::parse_document(&r.body);
    assert_eq!(texts(&doc, "header.dau-trang").len(), 1, "{}", r.body);
    assert!(
        !texts(&doc, "header.dau-trang nav a").is_empty(),
        "{}",
        r.body
    );
    assert_eq!(texts(&doc, "h1#tieu-de-bai"), ["Tiêu đề CHƯA LƯU"]);
    assert_eq!(texts(&doc, "strong"), ["mới gõ"]);
    assert!(
        r.body.contains("href=\"/trang/bantin/css/style.css\""),
        "{}",
        r.body
    );
    assert_eq!(files(&f.root), before, "a preview wrote something");
    assert!(!f.root.join("public").exists());

    // The theme's files, from the preview's snapshot; nothing outside it.
    let css = ed.get("/trang/bantin/css/style.css", Some(&an));
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_framed(&css, "/trang css");
    for bad in [
        "/trang/../config.toml",
        "/trang/bantin/%2e%2e/%2e%2e/config.toml",
    ] {
        let r = ed.get(bad, Some(&an));
        assert_eq!(r.status, 400, "{bad}: {}", r.body);
        assert!(!r.body.contains("base_url"), "{bad}");
    }
    assert_eq!(ed.get("/trang/config.toml", Some(&an)).status, 404);
    // The configured path is /bantin/: nothing at the preview's root.
    assert_eq!(ed.get("/trang/", Some(&an)).status, 404);
    assert_eq!(ed.get("/trang/bantin/", Some(&an)).status, 200);

    // Another article's preview reads the first one from disk again.
    let r = ed.post(
        "/xem-truoc",
        &an,
        &typed(&an, "tin-tuc/ket-qua-du-an-8.md", "Kết quả khác", "Khác."),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let first = ed.get("/trang/bantin/tin-tuc/tap-huan/", Some(&an));
    assert_eq!(first.status, 200, "{}", first.body);
    let doc = Html::parse_document(&first.body);
    assert_eq!(
        texts(&doc, "h1#tieu-de-bai"),
        ["Tập huấn truyền thông ở Đắk Hà"]
    );
    assert!(!first.body.contains("CHƯA LƯU"));

    // A new article (a phóng viên's): previewed at a temporary path, written nowhere.
    let binh = ed.login("binh", WRITER_PW);
    let new = ed.post(
        "/xem-truoc",
        &binh,
        &[
            ("csrf", binh.csrf.as_str()),
            ("duong_dan", ""),
            ("chuyen_muc", "tin-tuc"),
            ("tieu_de", "Bài mới chưa lưu"),
            ("ngay", "2024-05-02T08:00"),
            ("noi_dung", "Nội dung bài mới."),
        ],
    );
    assert_eq!(new.status, 200, "{}", new.body);
    let doc = Html::parse_document(&new.body);
    assert_eq!(texts(&doc, "h1#tieu-de-bai"), ["Bài mới chưa lưu"]);
    assert_eq!(
        files(&f.root),
        before,
        "a new article's preview wrote something"
    );
}

/// Session, CSRF and role refusals; the form's own checks and the build's messages instead of
/// a page, placed in the form.
#[test]
fn preview_refusals_and_messages() {
    let f = with_accounts();
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    let fields = typed(&an, "tin-tuc/tap-huan.md", "Tiêu đề", "Thân.");
    let body = encode(&fields);
    let r = ed.send("POST", "/xem-truoc", &[], &body);
    assert_eq!(r.status, 401, "{}", r.body);
    let cookie = format!("bantin-phien={}", an.cookie);
    let no_csrf = encode(&fields[1..]);
    let r = ed.send("POST", "/xem-truoc", &[("Cookie", &cookie)], &no_csrf);
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(ed.get("/trang/bantin/", None).status, 401);

    // A phóng viên may not preview (so read) another person's published article.
    let binh = ed.login("binh", WRITER_PW);
    let r = ed.post(
        "/xem-truoc",
        &binh,
        &typed(&binh, "tin-tuc/tap-huan.md", "A", "B"),
    );
    assert_eq!(r.status, 403, "{}", r.body);

    let shown = |r: &Resp| texts(&Html::parse_document(&r.body), ".loi li");
    let r = ed.post(
        "/xem-truoc",
        &an,
        &typed(&an, "tin-tuc/tap-huan.md", "", "Thân."),
    );
    assert_eq!(r.status, 400);
    assert_framed(&r, "form error");
    assert_eq!(shown(&r), ["Tiêu đề không được để trống."]);

    let r = ed.post(
        "/xem-truoc",
        &an,
        &typed(
            &an,
            "tin-tuc/tap-huan.md",
            "Tiêu đề",
            "Dòng một.\n\n{{ khong_co_ma_nay() }}",
        ),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(shown(&r), ["Nội dung, dòng 3, cột 1: bantin không có lệnh (shortcode) \"khong_co_ma_nay\"; bantin chỉ có so_lieu (con số từ dữ liệu), bieu_do (biểu đồ) và van_ban (trích dẫn văn bản)\n  → cách sửa: xoá lệnh này hoặc thay bằng Markdown/HTML tương ứng; muốn hiện nguyên văn trên trang thì viết {{/* khong_co_ma_nay(…) */}}"]);

    // The file's own front matter (a key the form does not show) fails the build's check,
    // before any build (the site does not build while that file is on disk either).
    f.write(
        "content/tin-tuc/khoa-la.md",
        "+++\ntitle = \"Khoá lạ\"\ndate = 2024-01-02\ntitel = \"sai\"\n+++\n\nThân.\n",
    );
    let r = ed.post(
        "/xem-truoc",
        &an,
        &typed(&an, "tin-tuc/khoa-la.md", "Khoá lạ", "Thân."),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(shown(&r), ["lỗi: content/tin-tuc/khoa-la.md:4:1: Phần thông tin đầu bài không hợp lệ: khoá `titel` không có trong danh sách khoá hợp lệ\n  → cách sửa: có phải ý bạn là `title`? các khoá hợp lệ: title, description, date, updated, draft, slug, aliases, weight, authors, template, taxonomies, areas, projects, image, extra; thông tin riêng cho giao diện đặt dưới [extra]"]);
}
