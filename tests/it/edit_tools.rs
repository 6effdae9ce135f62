//! The article form's tools in `bantin edit`: paste of clipboard HTML (`POST /dan`), photo
//! upload (`POST /anh/<path>`: checked by content, alt text required, names slugged, the
//! article moved into a bundle, the photo published processed by the build) and the shortcode
//! pickers (every shortcode they offer builds).

use std::io::{Read, Write};
use std::net::TcpStream;

use crate::anh::{jpeg_with_exif, metadata_in};
use crate::common::{parse_response, select, stderr, Fixture};
use crate::edit::{user, with_accounts, Editor, Resp, Session};

const ADMIN_PW: &str = "mot cau de nho 2024";

/// One request with a binary body (the photo); `body_len` may declare more than is sent.
fn send_bytes(
    ed: &Editor,
    target: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    declared: Option<usize>,
) -> Resp {
    let mut s = TcpStream::connect(&ed.host).unwrap();
    let mut head = format!(
        "POST {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
        ed.host,
        declared.unwrap_or(body.len())
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) and close before taking it all.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let (status, headers, body) = parse_response(&raw);
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

const BOUNDARY: &str = "----bantin-ranh-gioi-7MA4YWxkTrZu0gW";

/// A multipart/form-data body: text fields, then the file `anh`.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in fields {
        out.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .into_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        out.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"anh\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n").into_bytes());
        out.extend_from_slice(bytes);
        out.extend(b"\r\n");
    }
    out.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
    out
}

fn upload(
    ed: &Editor,
    s: Option<&Session>,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Resp {
    let kind = format!("multipart/form-data; boundary={BOUNDARY}");
    let cookie = s.map(|s| format!("bantin-phien={}", s.cookie));
    let mut headers = vec![("Content-Type", kind.as_str())];
    if let Some(c) = &cookie {
        headers.push(("Cookie", c.as_str()));
    }
    send_bytes(
        ed,
        &format!("/anh/{path}"),
        &headers,
        &multipart(fields, file),
        None,
    )
}

fn paste(ed: &Editor, s: &Session, html: &str, csrf: bool) -> Resp {
    let cookie = format!("bantin-phien={}", s.cookie);
    let mut headers = vec![
        ("Cookie", cookie.as_str()),
        ("Content-Type", "text/html; charset=utf-8"),
    ];
    if csrf {
        headers.push(("X-CSRF-Token", s.csrf.as_str()));
    }
    send_bytes(ed, "/dan", &headers, html.as_bytes(), None)
}

/// What Word puts on the clipboard for a heading, a two-level bulleted list, a bold and
/// italic run with a link, and a table (trimmed: the real thing also has a `<head>` of styles).
const WORD_HTML: &str = r#"<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0cm}</style></head><body lang=VI>
<!--StartFragment--><p class=MsoHeading2 style='margin-top:12pt'><span style='font-family:"Times New Roman"'>Kết quả giải ngân<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol;mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>Huyện Đắk Hà<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='margin-left:72.0pt;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span style='font-family:"Courier New";mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>Xã Ngọk Wang<o:p></o:p></p>
<p class=MsoNormal>Đạt <b style='mso-bidi-font-weight:normal'>85,5%</b> kế hoạch, <i>vượt</i> chỉ tiêu (<a href="https://bdt.kontum.gov.vn/bao-cao">báo cáo</a>).<o:p></o:p></p>
<table class=MsoTableGrid border=1 cellspacing=0 style='border-collapse:collapse'><tr><td style='border:solid windowtext 1.0pt'><p class=MsoNormal><b>Địa bàn<o:p></o:p></b></p></td><td><p class=MsoNormal><b>Tỷ lệ<o:p></o:p></b></p></td></tr>
<tr><td><p class=MsoNormal>Đắk Hà<o:p></o:p></p></td><td><p class=MsoNormal align=right style='text-align:right'>85,5%<o:p></o:p></p></td></tr></table>
<!--EndFragment--></body></html>"#;

/// Word's heading 2 is one level down (`###`: the title is the page's `<h1>`); the bold of the
/// header cells stays as Word marked it.
const WORD_MARKDOWN: &str = "### Kết quả giải ngân\n\n- Huyện Đắk Hà\n  - Xã Ngọk Wang\n\nĐạt **85,5%** kế hoạch, *vượt* chỉ tiêu ([báo cáo](https://bdt.kontum.gov.vn/bao-cao)).\n\n| **Địa bàn** | **Tỷ lệ** |\n| --- | --- |\n| Đắk Hà | 85,5% |\n";

#[test]
fn paste_turns_word_html_into_markdown_behind_the_gate() {
    let f = with_accounts();
    let ed = Editor::start(&f, &[]);
    let s = ed.login("an", ADMIN_PW);
    let r = paste(&ed, &s, WORD_HTML, true);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    assert_eq!(r.body, WORD_MARKDOWN);
    assert_eq!(r.header("x-anh-bo-qua"), Some("0"));
    // no CSRF header: refused, whatever the body
    let r = paste(&ed, &s, WORD_HTML, false);
    assert_eq!(r.status, 403);
    assert!(
        r.body.contains("thiếu mã chống giả mạo (CSRF)"),
        "{}",
        r.body
    );
    // no session
    let r = send_bytes(
        &ed,
        "/dan",
        &[("Content-Type", "text/html")],
        WORD_HTML.as_bytes(),
        None,
    );
    assert_eq!(r.status, 401);
    // over 1 MB
    let big = "<p>".to_string() + &"chữ ".repeat(300_000) + "</p>";
    let r = paste(&ed, &s, &big, true);
    assert_eq!(r.status, 413);
    assert!(
        r.body.contains("Yêu cầu gửi kèm quá 1024 KB dữ liệu."),
        "{}",
        r.body
    );
}

/// The body's textarea as the browser would submit it.
fn raw_text(doc: &scraper::Html) -> String {
    select(doc, "textarea#noi_dung")[0].text().collect()
}

/// The value of the `base` field of the photo form.
fn photo_base(body: &str) -> String {
    let doc = scraper::Html::parse_document(body);
    let base = select(&doc, "form#tai-anh input[name=base]");
    base[0].value().attr("value").unwrap().to_string()
}

#[test]
fn photo_upload_checks_content_alt_and_name_then_builds_processed() {
    let f = with_accounts();
    let ed = Editor::start(&f, &[]);
    let s = ed.login("an", ADMIN_PW);
    let page = ed.get("/bai/tin-tuc/tap-huan.md", Some(&s));
    assert_eq!(page.status, 200);
    for needle in [
        "<input type=\"file\" id=\"anh\" name=\"anh\" accept=\"image/*\" capture=\"environment\" required>",
        "<input type=\"text\" id=\"mo_ta_anh\" name=\"mo_ta\" required>",
        "action=\"/anh/tin-tuc/tap-huan.md\" enctype=\"multipart/form-data\"",
        "<script src=\"/tai-nguyen/cong-cu.js\" defer></script>",
    ] {
        assert!(page.body.contains(needle), "{needle}");
    }
    let base = photo_base(&page.body);
    let jpeg = jpeg_with_exif(2000, 1500, 1);
    let csrf = s.csrf.clone();
    let form = |alt: &'static str| -> Vec<(&'static str, String)> {
        vec![
            ("csrf", csrf.clone()),
            ("base", base.clone()),
            ("mo_ta", alt.to_string()),
        ]
    };
    let owned =
        |v: &[(&'static str, String)]| v.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let send = |alt: &'static str, file: Option<(&str, &[u8])>, sess: Option<&Session>| {
        let fields = owned(&form(alt));
        let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        upload(&ed, sess, "tin-tuc/tap-huan.md", &refs, file)
    };
    let untouched = |what: &str| {
        assert!(f.exists("content/tin-tuc/tap-huan.md"), "{what}");
        assert!(!f.exists("content/tin-tuc/tap-huan"), "{what}");
    };

    let r = send("   ", Some(("hoi-nghi.jpg", &jpeg)), Some(&s));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Hãy viết mô tả ảnh: người không xem được ảnh (và máy tìm kiếm) chỉ biết ảnh qua mô tả này."), "{}", r.body);
    untouched("no alt");
    let r = send("IMG_0042", Some(("IMG_0042.JPG", &jpeg)), Some(&s));
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Mô tả ảnh không được chỉ là tên tệp"),
        "{}",
        r.body
    );
    untouched("alt = file name");
    let r = send(
        "Bảng số liệu",
        Some(("x.jpg", b"day la van ban, khong phai anh\n")),
        Some(&s),
    );
    assert_eq!(r.status, 415);
    assert!(r.body.contains("Tệp này không phải ảnh: chỉ nhận ảnh JPEG, PNG hoặc WebP (ảnh chụp, ảnh chụp màn hình)."), "{}", r.body);
    untouched("text as .jpg");
    let r = send(
        "Quang cảnh",
        Some(("a.jpg", &jpeg[..jpeg.len() / 2])),
        Some(&s),
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Ảnh không dùng được: ảnh JPEG hỏng hoặc bị cắt cụt: thiếu phần cuối ảnh"),
        "{}",
        r.body
    );
    untouched("truncated");
    let r = send("Quang cảnh", Some(("a.jpg", &jpeg)), None);
    assert_eq!(r.status, 401);
    untouched("no session");
    let no_csrf = upload(
        &ed,
        Some(&s),
        "tin-tuc/tap-huan.md",
        &[("mo_ta", "Quang cảnh")],
        Some(("a.jpg", &jpeg)),
    );
    assert_eq!(no_csrf.status, 403);
    untouched("no csrf");
    // 20 MB is the limit of the whole body: declared above it, refused before it is read
    let kind = format!("multipart/form-data; boundary={BOUNDARY}");
    let cookie = format!("bantin-phien={}", s.cookie);
    let r = send_bytes(
        &ed,
        "/anh/tin-tuc/tap-huan.md",
        &[("Content-Type", &kind), ("Cookie", &cookie)],
        &[0u8; 1024],
        Some(21 * 1024 * 1024),
    );
    assert_eq!(r.status, 413);
    assert!(
        r.body.contains("Yêu cầu gửi kèm quá 20480 KB dữ liệu."),
        "{}",
        r.body
    );
    untouched("oversized");
    // without a session, a large body is not even read: 401 before 413
    let r = send_bytes(
        &ed,
        "/anh/tin-tuc/tap-huan.md",
        &[("Content-Type", &kind)],
        &[0u8; 1024],
        Some(21 * 1024 * 1024),
    );
    assert_eq!(r.status, 401);
    // a phóng viên: only their own drafts
    let binh = ed.login("binh", "but chi xanh do 77");
    let r = upload(
        &ed,
        Some(&binh),
        "tin-tuc/tap-huan.md",
        &[("csrf", &binh.csrf), ("mo_ta", "Quang cảnh")],
        Some(("a.jpg", &jpeg)),
    );
    assert_eq!(r.status, 403);
    untouched("not their article");

    // a real photo whose name tries to climb out of the bundle
    let r = send(
        "Quang cảnh hội nghị tập huấn",
        Some(("../../Ảnh hội nghị.jpg", &jpeg)),
        Some(&s),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Đã thêm ảnh anh-hoi-nghi.jpg. Dòng ảnh đã được chèn vào nội dung; bấm Lưu để giữ. Bài đã được chuyển thành thư mục tin-tuc/tap-huan/ để chứa ảnh."), "{}", r.body);
    assert!(!f.exists("content/tin-tuc/tap-huan.md"));
    assert!(f.exists("content/tin-tuc/tap-huan/index.md"));
    assert_eq!(
        std::fs::read(f.path("content/tin-tuc/tap-huan/anh-hoi-nghi.jpg")).unwrap(),
        jpeg
    );
    // nothing with the photo's bytes anywhere but the bundle (and the editor's own history)
    for e in walkdir::WalkDir::new(&f.root) {
        let e = e.unwrap();
        let rel = e
            .path()
            .strip_prefix(&f.root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        if e.file_type().is_file()
            && !rel.starts_with(".bantin/")
            && rel != "content/tin-tuc/tap-huan/anh-hoi-nghi.jpg"
        {
            assert_ne!(std::fs::read(e.path()).unwrap(), jpeg, "{rel}");
        }
    }
    let doc = scraper::Html::parse_document(&r.body);
    let body = raw_text(&doc);
    assert!(
        body.ends_with("\n\n![Quang cảnh hội nghị tập huấn](anh-hoi-nghi.jpg)\n"),
        "{body}"
    );
    let action = select(&doc, "form.bai")[0]
        .value()
        .attr("action")
        .unwrap()
        .to_string();
    assert_eq!(action, "/bai/tin-tuc/tap-huan/index.md");
    let history = ed.get("/lich-su/tin-tuc/tap-huan/index.md", Some(&s));
    assert!(
        history
            .body
            .contains("<td data-nhan=\"Người sửa\">an</td><td data-nhan=\"Việc\">tạo</td>"),
        "{}",
        history.body
    );

    // the same name again: a new file beside it, the first untouched
    let again = upload(
        &ed,
        Some(&s),
        "tin-tuc/tap-huan/index.md",
        &[("csrf", &s.csrf), ("mo_ta", "Đại biểu phát biểu")],
        Some(("Ảnh hội nghị.jpg", &jpeg_with_exif(600, 400, 1))),
    );
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(
        again.body.contains("Đã thêm ảnh anh-hoi-nghi-2.jpg."),
        "{}",
        again.body
    );
    assert_eq!(
        std::fs::read(f.path("content/tin-tuc/tap-huan/anh-hoi-nghi.jpg")).unwrap(),
        jpeg
    );

    // saved through the form as the page shows it, then built: published processed
    let save = |doc: &scraper::Html| {
        let val = |sel: &str| {
            select(doc, sel)[0]
                .value()
                .attr("value")
                .unwrap_or("")
                .to_string()
        };
        let body = raw_text(doc);
        let (title, date, base) = (
            val("#tieu_de"),
            val("#ngay"),
            val("form.bai input[name=base]"),
        );
        ed.post(
            &action,
            &s,
            &[
                ("csrf", &s.csrf),
                ("base", &base),
                ("tieu_de", &title),
                ("ngay", &date),
                ("noi_dung", &body),
            ],
        )
    };
    let saved = save(&doc);
    assert_eq!(saved.status, 303, "{}", saved.body);
    let index = f.read("content/tin-tuc/tap-huan/index.md");
    assert!(
        index.contains("![Quang cảnh hội nghị tập huấn](anh-hoi-nghi.jpg)"),
        "{index}"
    );
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut variants = Vec::new();
    for e in walkdir::WalkDir::new(f.path("public")) {
        let e = e.unwrap();
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with("anh-hoi-nghi") {
            let bytes = std::fs::read(e.path()).unwrap();
            assert_eq!(metadata_in(&bytes), Vec::<String>::new(), "{name}");
            assert_ne!(bytes, jpeg, "{name}: the original published as it was");
            variants.push(name);
        }
    }
    variants.sort();
    assert_eq!(
        variants,
        [
            "anh-hoi-nghi-1600.jpg",
            "anh-hoi-nghi-1600.webp",
            // the second upload: 600 px wide, its own width instead of 960 and 1600
            "anh-hoi-nghi-2-480.jpg",
            "anh-hoi-nghi-2-480.webp",
            "anh-hoi-nghi-2-600.jpg",
            "anh-hoi-nghi-2-600.webp",
            "anh-hoi-nghi-2.jpg",
            "anh-hoi-nghi-480.jpg",
            "anh-hoi-nghi-480.webp",
            "anh-hoi-nghi-960.jpg",
            "anh-hoi-nghi-960.webp",
            "anh-hoi-nghi.jpg"
        ]
    );
    let page = f.read("public/tin-tuc/tap-huan/index.html");
    assert!(
        page.contains("alt=\"Quang cảnh hội nghị tập huấn\"")
            && page.contains("anh-hoi-nghi-960.webp"),
        "{page}"
    );
}

#[test]
fn a_new_article_asks_to_be_saved_before_photos() {
    let f = with_accounts();
    let ed = Editor::start(&f, &[]);
    let s = ed.login("an", ADMIN_PW);
    let page = ed.get("/bai-moi", Some(&s));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<p>Lưu bài trước khi thêm ảnh.</p>"));
    assert!(!page.body.contains("id=\"anh\""));
    // the script is served (to the login page too: it is public, like the stylesheet)
    let js = ed.get("/tai-nguyen/cong-cu.js", None);
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(js.body.contains("fetch(\"/dan\""));
}

#[test]
fn pickers_list_the_data_by_name_and_every_shortcode_builds() {
    let f = Fixture::example();
    let out = user(
        &f,
        &["add", "an", "--role", "quan-tri"],
        &format!("{ADMIN_PW}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ed = Editor::start(&f, &[]);
    let s = ed.login("an", ADMIN_PW);
    let page = ed.get("/bai/tin-tuc/gap-mat-nguoi-co-uy-tin-2024.md", Some(&s));
    assert_eq!(page.status, 200);
    let doc = scraper::Html::parse_document(&page.body);
    let picked = |id: &str| -> Vec<(String, String)> {
        select(&doc, &format!("details#chen-{id} li"))
            .iter()
            .map(|li| {
                let label = crate::common::text(&crate::common::select_in(li, "span.ten-chen")[0]);
                let code = crate::common::text(&crate::common::select_in(li, "code")[0]);
                let button = crate::common::select_in(li, "button.chen")[0]
                    .value()
                    .attr("data-chen")
                    .unwrap()
                    .to_string();
                assert_eq!(button, code, "the button inserts what the list shows");
                (label, code)
            })
            .collect()
    };
    let figures = picked("so-lieu");
    let charts = picked("bieu-do");
    let documents = picked("van-ban");
    let name = "Dự án 8 (Thực hiện bình đẳng giới và giải quyết những vấn đề cấp thiết đối với phụ nữ và trẻ em) – Tỉnh Kon Tum, năm 2022 (số liệu đến 30/11/2022)";
    for (what, field) in [("tỷ lệ giải ngân", "rate"), ("đã giải ngân", "disbursed")] {
        let entry = (
            format!("{name}: {what}"),
            format!("{{{{ so_lieu(report=\"du-an-8-kon-tum-2022-11\", field=\"{field}\") }}}}"),
        );
        assert!(figures.contains(&entry), "{figures:#?}");
    }
    assert!(
        charts
            .iter()
            .any(|(l, c)| l.ends_with(": tiến độ giải ngân")
                && c == "{{ bieu_do(report=\"du-an-8-kon-tum-2022-11\", kind=\"tien-do\") }}"),
        "{charts:#?}"
    );
    assert!(
        documents
            .iter()
            .any(|(l, c)| l.starts_with("Kế hoạch số 3320/KH-UBND (")
                && c == "{{ van_ban(so=\"3320/KH-UBND\") }}"),
        "{documents:#?}"
    );
    assert_eq!(documents.len(), 9, "{documents:#?}");
    // every offered shortcode, in one article, builds
    let all: Vec<String> = figures
        .iter()
        .chain(&charts)
        .chain(&documents)
        .map(|(_, c)| c.clone())
        .collect();
    f.write(
        "content/tin-tuc/tat-ca-ma-chen.md",
        format!(
            "+++\ntitle = \"Mọi mã chèn\"\ndate = 2024-05-01\n+++\n\n{}\n",
            all.join("\n\n")
        ),
    );
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The tools' script in Chromium (tests/verify/editor-tools.mjs): a Word paste becomes
/// Markdown at the cursor, a picker's button inserts its shortcode, and a photo upload brings
/// the form back with the unsaved text kept and the photo's line at the cursor. Needs what
/// `scripts/setup` installs (node, Chromium, npm packages).
#[test]
fn tools_script_in_chromium() {
    let verify = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/verify");
    for needed in [
        verify.join("node_modules/playwright-core/package.json"),
        std::path::PathBuf::from("/usr/bin/chromium"),
    ] {
        assert!(
            needed.exists(),
            "{} is missing: run scripts/setup",
            needed.display()
        );
    }
    let f = Fixture::example();
    let out = user(
        &f,
        &["add", "an", "--role", "quan-tri"],
        &format!("{ADMIN_PW}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ed = Editor::start(&f, &[]);
    let tmp = tempfile::Builder::new()
        .prefix("bt")
        .tempdir_in("/tmp")
        .unwrap();
    let photo = tmp.path().join("Ảnh làm việc.jpg");
    std::fs::write(&photo, jpeg_with_exif(800, 600, 1)).unwrap();
    let article = "tin-tuc/so-ket-chuong-trinh-1719-sau-thang-2023.md";
    let original = f.read(&format!("content/{article}"));
    let out = std::process::Command::new("node")
        .arg(verify.join("editor-tools.mjs"))
        .arg(format!("http://{}", ed.host))
        .arg(format!("an:{ADMIN_PW}"))
        .arg(article)
        .arg(&photo)
        .env("TMPDIR", tmp.path())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("cannot run node (run scripts/setup)");
    let r: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no report ({}):\n{}", out.status, stderr(&out)));
    assert!(out.status.success(), "{r:#}");
    let body_of = |s: &str| {
        s.split_once("\n+++\n")
            .unwrap()
            .1
            .trim_start_matches('\n')
            .to_string()
    };
    let old_body = body_of(&original);
    let pasted = "Đạt **85,5%** kế hoạch\n\n- Huyện Đắk Hà\n";
    assert_eq!(r["status_after_paste"], "Đã dán.");
    assert_eq!(
        r["after_paste"].as_str().unwrap(),
        format!("{pasted}{old_body}")
    );
    let code = r["inserted"].as_str().unwrap();
    assert!(code.starts_with("{{ so_lieu(report=\""), "{code}");
    assert_eq!(
        r["after_picker"].as_str().unwrap(),
        format!("{pasted}{code}{old_body}")
    );
    let line = "![Quang cảnh buổi làm việc](anh-lam-viec.jpg)";
    assert_eq!(
        r["after_upload"].as_str().unwrap(),
        format!("{pasted}{code}\n\n{line}\n\n{}", old_body.trim_start())
    );
    assert!(
        r["notice"]
            .as_str()
            .unwrap()
            .starts_with("Đã thêm ảnh anh-lam-viec.jpg."),
        "{r:#}"
    );
    assert_eq!(
        r["action"],
        "/bai/tin-tuc/so-ket-chuong-trinh-1719-sau-thang-2023/index.md"
    );
}
