//! Review, publish and scheduling in `bantin edit` (issue 17, item 5), and display names: a
//! phóng viên sends a draft for review (the status is in the file) and can no longer edit it,
//! a biên tập sends it back with a comment (shown on the form, never in `public/`), approves
//! and publishes it (the real build into `public/`, the outcome page with the live link); a
//! publish with broken sources lists each error with where to fix it and leaves `public/` as
//! it was; an article dated in the future stays out of every output until its time.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{stderr, stdout, tree, Fixture};
use crate::edit::{user, with_accounts, Editor, Session, ADMIN_PW, WRITER_PW};

const EDITOR_PW: &str = "so tay bien tap 2025";

/// `/dang` once the publish has finished.
fn finished(ed: &Editor, s: &Session) -> String {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let r = ed.get("/dang", Some(s));
        assert_eq!(r.status, 200, "{}", r.body);
        if !r.body.contains("data-trang-thai=\"dang-chay\"") {
            return r.body;
        }
        assert!(
            r.body
                .contains("<meta http-equiv=\"refresh\" content=\"2\">"),
            "{}",
            r.body
        );
        assert!(Instant::now() < deadline, "the publish did not end");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn everything_in(dir: &std::path::Path) -> String {
    tree(dir)
        .into_iter()
        .map(|(p, b)| format!("{p}\n{}", String::from_utf8_lossy(&b)))
        .collect()
}

#[test]
fn review_return_approve_publish_with_display_names() {
    let f = with_accounts();
    let out = user(
        &f,
        &["add", "chi", "--role", "bien-tap", "--ten", "Trần Thị Chi"],
        &format!("{EDITOR_PW}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    // The quản trị gives binh a display name on the accounts page.
    let r = ed.post(
        "/tai-khoan/ten-hien-thi",
        &an,
        &[
            ("csrf", &an.csrf),
            ("ten", "binh"),
            ("ten_hien_thi", "Nguyễn Văn Bình"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(f
        .read(".bantin/tai-khoan.toml")
        .contains("ten_hien_thi = \"Nguyễn Văn Bình\""));
    let binh = ed.login("binh", WRITER_PW);
    let r = ed.post(
        "/bai-moi",
        &binh,
        &[
            ("csrf", &binh.csrf),
            ("base", "moi"),
            ("chuyen_muc", "tin-tuc"),
            ("tieu_de", "Bài của Bình"),
            ("ngay", "2024-07-21T08:00"),
            ("noi_dung", "Nội dung bài của Bình."),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let file = "content/tin-tuc/bai-cua-binh.md";
    let text = f.read(file);
    assert!(
        text.contains("draft = true\nauthors = [\"Nguyễn Văn Bình\"]\ntai_khoan = \"binh\"\n"),
        "{text}"
    );
    let page = ed.get("/bai/tin-tuc/bai-cua-binh.md", Some(&binh));
    assert!(page.body.contains("id=\"gui-duyet\""), "{}", page.body);
    assert!(!page.body.contains("id=\"duyet-dang\""));
    // The phóng viên may not publish, with or without a token.
    assert_eq!(ed.post("/dang", &binh, &[("csrf", &binh.csrf)]).status, 403);
    // Sent for review: the status is in the file, and the file is locked for its writer.
    let r = ed.post(
        "/gui-duyet/tin-tuc/bai-cua-binh.md",
        &binh,
        &[("csrf", &binh.csrf), ("gop_y", "Nhờ chị xem giúp.")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/?trang_thai=cho-duyet"));
    let text = f.read(file);
    assert!(
        text.contains("draft = true\n") && text.contains("trang_thai = \"cho-duyet\"\n"),
        "{text}"
    );
    let list = ed.get("/?trang_thai=cho-duyet", Some(&binh));
    assert!(list.body.contains("Bài của Bình"), "{}", list.body);
    assert!(list
        .body
        .contains("<span class=\"nhan cho-duyet\">chờ duyệt</span>"));
    let r = ed.post(
        "/bai/tin-tuc/bai-cua-binh.md",
        &binh,
        &[("csrf", &binh.csrf), ("base", "x"), ("tieu_de", "Đổi")],
    );
    assert_eq!(r.status, 403);
    assert!(r.body.contains(
        "Bài đang chờ duyệt: phóng viên không sửa được cho tới khi biên tập viên trả lại bài."
    ));
    // The biên tập sends it back: a comment is required.
    let chi = ed.login("chi", EDITOR_PW);
    let page = ed.get("/bai/tin-tuc/bai-cua-binh.md", Some(&chi));
    assert!(page.body.contains("id=\"duyet-dang\""), "{}", page.body);
    assert!(page.body.contains("id=\"tra-lai\""));
    assert!(page.body.contains("Nhờ chị xem giúp."));
    let r = ed.post(
        "/tra-lai/tin-tuc/bai-cua-binh.md",
        &chi,
        &[("csrf", &chi.csrf), ("gop_y", "  ")],
    );
    assert_eq!(r.status, 400);
    assert!(r
        .body
        .contains("Hãy ghi góp ý: phóng viên cần biết vì sao bài bị trả lại và phải sửa gì."));
    let why = "Thiếu số liệu giải ngân quý II.";
    let r = ed.post(
        "/tra-lai/tin-tuc/bai-cua-binh.md",
        &chi,
        &[("csrf", &chi.csrf), ("gop_y", why)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(f.read(file).contains("trang_thai = \"tra-lai\"\n"));
    let page = ed.get("/bai/tin-tuc/bai-cua-binh.md", Some(&binh));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(why), "{}", page.body);
    assert!(page
        .body
        .contains("<strong>Trần Thị Chi</strong> (chi), trả lại lúc"));
    assert!(f
        .read(".bantin/gop-y/tin-tuc/bai-cua-binh.md.jsonl")
        .contains(why));
    // Approved and published: the real build, the outcome with the live link.
    let r = ed.post(
        "/duyet/tin-tuc/bai-cua-binh.md",
        &chi,
        &[("csrf", &chi.csrf)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/dang"));
    let text = f.read(file);
    assert!(
        text.contains("draft = false\n") && !text.contains("trang_thai"),
        "{text}"
    );
    let outcome = finished(&ed, &chi);
    assert!(
        outcome.contains("data-trang-thai=\"thanh-cong\">Đã đăng lúc"),
        "{outcome}"
    );
    assert!(
        outcome.contains("<a id=\"lien-ket-bai\" href=\"https://example.gov.vn/bantin/tin-tuc/bai-cua-binh/\">Bài của Bình</a>"),
        "{outcome}"
    );
    let html = f.read("public/tin-tuc/bai-cua-binh/index.html");
    assert!(html.contains("Nguyễn Văn Bình"), "{html}");
    assert!(!html.contains("tai_khoan") && !html.contains(">binh<") && !html.contains("\"binh\""));
    let public = everything_in(&f.root.join("public"));
    assert!(!public.contains(why), "a comment reached public/");
    assert!(!public.contains("Nhờ chị xem giúp."));
    assert!(!f.root.join("public/.bantin").exists());
    let list = ed.get("/", Some(&chi));
    assert!(
        list.body.contains("Lần đăng gần nhất: thành công lúc"),
        "{}",
        list.body
    );
    assert!(list.body.contains("id=\"nut-dang\""));
    // No CSRF token: refused.
    let cookie = format!("bantin-phien={}", chi.cookie);
    let r = ed.send("POST", "/dang", &[("Cookie", &cookie)], "");
    assert_eq!(r.status, 403);
}

#[test]
fn a_failed_publish_lists_its_errors_and_keeps_public() {
    let f = with_accounts();
    let built = f.bantin(&["build"]);
    assert!(built.status.success(), "{}", stderr(&built));
    let before = tree(&f.root.join("public"));
    f.write(
        "content/tin-tuc/hong.md",
        "+++\ntitle = \"Bài hỏng\"\ndate = 2024-07-01\ntrang_thai = \"xong\"\n+++\n\nNội dung.\n",
    );
    f.write(
        "content/tin-tuc/khong-tieu-de.md",
        "+++\ndate = 2024-07-02\n+++\n\nNội dung.\n",
    );
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    let r = ed.post("/dang", &an, &[("csrf", &an.csrf)]);
    assert_eq!(r.status, 303, "{}", r.body);
    let outcome = finished(&ed, &an);
    assert!(
        outcome.contains("data-trang-thai=\"loi\">Chưa đăng được"),
        "{outcome}"
    );
    assert!(outcome.contains("Dựng trang thất bại với 2 lỗi; public/ được giữ nguyên như trước."));
    assert!(
        outcome.contains("giá trị `xong` không hợp lệ; dùng một trong: cho-duyet, tra-lai"),
        "{outcome}"
    );
    assert!(outcome.contains("<a href=\"/bai/tin-tuc/hong.md#noi_dung\">Sửa ở đây</a>"));
    assert!(
        outcome.contains("<a href=\"/bai/tin-tuc/khong-tieu-de.md#tieu_de\">Sửa ở đây</a>"),
        "{outcome}"
    );
    assert_eq!(tree(&f.root.join("public")), before, "public/ changed");
    let list = ed.get("/", Some(&an));
    assert!(
        list.body.contains("Lần đăng gần nhất: lỗi lúc"),
        "{}",
        list.body
    );
}

fn build_at(f: &Fixture, now: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["build"])
        .current_dir(&f.root)
        .env("BANTIN_NOW", now)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn a_scheduled_article_waits_for_its_time() {
    let f = with_accounts();
    f.write(
        "content/tin-tuc/hen-gio.md",
        "+++\ntitle = \"Bài hẹn giờ\"\ndate = 2027-01-01T08:00:00\n+++\n\nĐăng đầu năm.\n",
    );
    let said = build_at(&f, "2026-12-31T23:00:00+07:00");
    assert!(
        said.contains("1 bài hẹn giờ đăng (ngày đăng chưa tới, chưa đưa lên trang): content/tin-tuc/hen-gio.md lúc 08:00 01/01/2027\n"),
        "{said}"
    );
    let public = everything_in(&f.root.join("public"));
    assert!(!f.exists("public/tin-tuc/hen-gio/index.html"));
    // Not in pages, listings, feeds, sitemap or the search index (file names included).
    assert!(public.contains("sitemap.xml") && public.contains("rss.xml"));
    assert!(!public.contains("hen-gio") && !public.contains("Bài hẹn giờ"));
    // The editor shows when it goes live.
    let ed = Editor::start(&f, &[("BANTIN_NOW", "2026-12-31T23:00:00+07:00")]);
    let an = ed.login("an", ADMIN_PW);
    let page = ed.get("/bai/tin-tuc/hen-gio.md", Some(&an));
    assert!(
        page.body
            .contains("<p id=\"hen-gio\">Hẹn giờ đăng lúc 08:00 01/01/2027"),
        "{}",
        page.body
    );
    let list = ed.get("/?trang_thai=hen-gio", Some(&an));
    assert!(list.body.contains("Bài hẹn giờ"), "{}", list.body);
    drop(ed);
    let said = build_at(&f, "2027-01-01T08:00:00+07:00");
    assert!(!said.contains("hẹn giờ"), "{said}");
    assert!(f.exists("public/tin-tuc/hen-gio/index.html"));
    for file in [
        "public/sitemap.xml",
        "public/rss.xml",
        "public/atom.xml",
        "public/tin-tuc/index.html",
    ] {
        assert!(f.read(file).contains("hen-gio"), "{file}");
    }
    let index = everything_in(&f.root.join("public/tim-kiem"));
    assert!(index.contains("Bài hẹn giờ"), "not in the search index");
}

/// The editor's scheduler: an article whose date passed since the last publish (here: the
/// last outcome says 31/12, the clock says 02/01) is published without anyone asking.
#[test]
fn the_editor_publishes_when_a_scheduled_date_passes() {
    let f = with_accounts();
    f.write(
        "content/tin-tuc/hen-gio.md",
        "+++\ntitle = \"Bài hẹn giờ\"\ndate = 2027-01-01T08:00:00\n+++\n\nĐăng đầu năm.\n",
    );
    f.write(
        ".bantin/dang-gan-nhat.json",
        r#"{"ok": true, "finished": "2026-12-31T23:00:00+07:00", "by": "an", "summary": "Đã dựng.", "problems": [], "article": null, "scheduled": null}"#,
    );
    let ed = Editor::start(&f, &[("BANTIN_NOW", "2027-01-02T00:00:00+07:00")]);
    let an = ed.login("an", ADMIN_PW);
    let deadline = Instant::now() + Duration::from_secs(120);
    let outcome = loop {
        let body = finished(&ed, &an);
        if body.contains("(hẹn giờ)") {
            break body;
        }
        assert!(Instant::now() < deadline, "no scheduled publish: {body}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert!(
        outcome.contains("data-trang-thai=\"thanh-cong\">Đã đăng lúc"),
        "{outcome}"
    );
    assert!(f.exists("public/tin-tuc/hen-gio/index.html"));
}
