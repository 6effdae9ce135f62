//! `bantin edit`'s figures grid (`/so-lieu`): the example site's report as a grid of areas ×
//! budget and indicator columns, a value the build refuses shown beside its cell and nothing
//! written, a valid change saved through the journal (comments kept, the built page showing
//! it), conflicts, roles and refusals, the live check answering what the save answers.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use crate::common::{parse_response, stderr, Fixture};
use crate::edit::{hidden, user, Editor, Session, ADMIN_PW, WRITER_PW};
use crate::import::{cell_of, fill, Typed};

const REPORT: &str = "content/data/reports/du-an-5-kon-tum-2023.toml";
const GRID: &str = "/so-lieu/du-an-5-kon-tum-2023.toml";
const CHECK: &str = "/so-lieu/kiem-tra/du-an-5-kon-tum-2023.toml";

fn example_with_accounts() -> Fixture {
    let f = Fixture::example();
    for (name, role, pw) in [
        ("an", "quan-tri", ADMIN_PW),
        ("binh", "phong-vien", WRITER_PW),
    ] {
        let out = user(&f, &["add", name, "--role", role], &format!("{pw}\n"));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    f
}

/// The grid's form with `changes` applied (every other cell sent as shown).
fn form(page: &str, s: &Session, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = vec![
        ("csrf".to_string(), s.csrf.clone()),
        ("base".to_string(), hidden(page, "base")),
    ];
    for (i, _) in page.match_indices("<input type=\"text\" id=\"") {
        let id = page[i + 23..].split('"').next().unwrap().to_string();
        let value = changes
            .iter()
            .find(|(k, _)| *k == id)
            .map_or_else(|| hidden(&page[i..], &id), |(_, v)| v.to_string());
        out.push((id, value));
    }
    out
}

fn post(ed: &Editor, target: &str, s: &Session, form: &[(String, String)]) -> crate::edit::Resp {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    ed.post(target, s, &pairs)
}

/// The text of the message paragraph of a cell (`loi-<id>`), or `None`.
fn note(body: &str, id: &str) -> Option<String> {
    let key = format!(" id=\"loi-{id}\">");
    let i = body.find(&key)? + key.len();
    Some(body[i..].split("</p>").next().unwrap().to_string())
}

/// Whether the cell's input is marked invalid and points at its message.
fn marked_invalid(body: &str, id: &str) -> bool {
    let i = body
        .find(&format!("<input type=\"text\" id=\"{id}\""))
        .unwrap();
    let tag = body[i..].split('>').next().unwrap();
    tag.contains(" aria-invalid=\"true\"")
        && tag.contains(&format!(" aria-describedby=\"loi-{id}\""))
}

const TOO_MUCH: &str = "Đã giải ngân (1.250) lớn hơn dự toán được giao (540) — kiểm tra lại hai số, hoặc đơn vị tiền (money_unit) của báo cáo";

#[test]
fn figures_grid_refuses_what_the_build_refuses_and_saves_through_the_journal() {
    let f = example_with_accounts();
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    let list = ed.get("/so-lieu", Some(&an));
    assert_eq!(list.status, 200);
    assert!(list.body.contains("<td><a href=\"/so-lieu/du-an-5-kon-tum-2023.toml\">Phát triển giáo dục đào tạo, nâng cao chất lượng nguồn nhân lực</a></td><td>Tỉnh Kon Tum</td><td>2023</td><td>31/12/2023</td>"), "{}", list.body);
    let page = ed.get(GRID, Some(&an));
    assert_eq!(page.status, 200);
    // rows by area name (the report's own, its breakdown rows, sub-areas without a row yet),
    // columns by name with their units, cells labelled
    for row in [
        "Tỉnh Kon Tum (cả báo cáo)",
        "Huyện Đăk Hà",
        "Huyện Tu Mơ Rông",
        "Huyện Sa Thầy",
    ] {
        assert!(
            page.body.contains(&format!("<th scope=\"row\">{row}</th>")),
            "{row}"
        );
    }
    for col in [
        "Dự toán được giao (triệu đồng)",
        "Đã giải ngân (triệu đồng)",
        "Vốn đầu tư phát triển – dự toán (triệu đồng)",
        "Vốn sự nghiệp – đã giải ngân (triệu đồng)",
        "Học viên được bồi dưỡng (người)",
        "Học viên được bồi dưỡng – mục tiêu (người)",
    ] {
        assert!(
            page.body.contains(&format!("<th scope=\"col\">{col}</th>")),
            "{col}"
        );
    }
    assert!(page.body.contains("<label class=\"bo-qua\" for=\"o-kon-tum-allocated\">Tỉnh Kon Tum (cả báo cáo) – Dự toán được giao (triệu đồng)</label><input type=\"text\" id=\"o-kon-tum-allocated\" name=\"o-kon-tum-allocated\" value=\"2.150\""));
    assert_eq!(hidden(&page.body, "o-dak-ha-disbursed"), "470");
    assert_eq!(hidden(&page.body, "o-dak-ha-ind-hoc_vien"), "140");
    assert_eq!(hidden(&page.body, "o-kon-tum-target-hoc_vien"), "400");

    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let project = f.read("public/du-an/du-an-5/index.html");
    assert!(project.contains("1.720") && !project.contains("1.730"));

    // "1.250" is 1250 the Vietnamese way: more than Đăk Hà's 540 allocated, an error of the
    // build's; nothing written
    let before = f.read(REPORT);
    let r = post(
        &ed,
        GRID,
        &an,
        &form(&page.body, &an, &[("o-dak-ha-disbursed", "1.250")]),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(
        note(&r.body, "o-dak-ha-disbursed").as_deref(),
        Some(TOO_MUCH)
    );
    assert!(marked_invalid(&r.body, "o-dak-ha-disbursed"));
    assert_eq!(
        hidden(&r.body, "o-dak-ha-disbursed"),
        "1.250",
        "the typed value is kept"
    );
    assert!(r
        .body
        .contains("Chưa lưu: có 1 lỗi, ghi ngay cạnh ô cần sửa."));
    assert_eq!(f.read(REPORT), before);
    // the live check answers the same message, as JSON
    let pairs = form(&page.body, &an, &[("o-dak-ha-disbursed", "1.250")]);
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", v.replace('.', "%2E")))
        .collect::<Vec<_>>()
        .join("&");
    let cookie = format!("bantin-phien={}", an.cookie);
    let live = ed.send(
        "POST",
        CHECK,
        &[("Cookie", &cookie), ("X-CSRF-Token", &an.csrf)],
        &body,
    );
    assert_eq!(live.status, 200, "{}", live.body);
    assert_eq!(
        live.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let json: serde_json::Value = serde_json::from_str(&live.body).unwrap();
    assert_eq!(
        json["o-dak-ha-disbursed"],
        serde_json::json!([{"loi": true, "text": TOO_MUCH}])
    );

    // a dot that is no thousands separator: the reader's own message, at its cell
    let r = post(
        &ed,
        GRID,
        &an,
        &form(&page.body, &an, &[("o-dak-to-allocated", "1393.5")]),
    );
    assert_eq!(r.status, 422);
    assert_eq!(
        note(&r.body, "o-dak-to-allocated").as_deref(),
        Some("&quot;1393.5&quot;: dấu chấm ở đây không phải dấu phân cách hàng nghìn (sau nó không đủ ba chữ số); trong dấu nháy, phần thập phân viết sau dấu phẩy: &quot;1393,5&quot; (hoặc viết 1393.5 không có dấu nháy) — trong bảng, gõ số theo cách Việt Nam: phần thập phân sau dấu phẩy (1393,5), dấu chấm chỉ để phân cách hàng nghìn (1.250 là một nghìn hai trăm năm mươi)")
    );
    assert_eq!(f.read(REPORT), before);

    // a valid change: saved through the journal with its author, comments and layout kept
    let r = post(
        &ed,
        GRID,
        &an,
        &form(
            &page.body,
            &an,
            &[
                ("o-dak-ha-disbursed", "480"),
                ("o-kon-tum-disbursed", "1.730"),
                ("o-kon-tum-ind-hoc_vien", "421,5"),
            ],
        ),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some("/so-lieu/du-an-5-kon-tum-2023.toml?xong=luu")
    );
    let after = f.read(REPORT);
    let expected = before
        .replace(
            "allocated = 2150\ndisbursed = 1720",
            "allocated = 2150\ndisbursed = 1730",
        )
        .replace(
            "budget = { allocated = 540, disbursed = 470 }",
            "budget = { allocated = 540, disbursed = 480 }",
        )
        .replace(
            "hoc_vien = { actual = 420, target = 400 }",
            "hoc_vien = { actual = 421.5, target = 400 }",
        );
    assert_ne!(expected, before);
    assert_eq!(after, expected);
    let h = bantin::journal::history(&f.root, REPORT).unwrap();
    assert_eq!(h.versions[0].author, "an");
    let shown = ed.get("/so-lieu/du-an-5-kon-tum-2023.toml?xong=luu", Some(&an));
    assert!(shown.body.contains("Đã lưu số liệu."));
    assert_eq!(hidden(&shown.body, "o-kon-tum-disbursed"), "1.730");
    // the investment/recurrent split no longer adds up to 1.730: the build's warning, beside
    // the total it is about, saving allowed
    let warn = note(&shown.body, "o-kon-tum-disbursed").expect("a warning at the total");
    assert!(warn.starts_with("Cơ cấu vốn không khớp tổng"), "{warn}");
    assert!(!marked_invalid(&shown.body, "o-kon-tum-disbursed"));
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let project = f.read("public/du-an/du-an-5/index.html");
    assert!(
        project.contains("1.730"),
        "the built page shows the new figure"
    );
}

#[test]
fn figures_grid_conflicts_roles_and_refusals() {
    let f = example_with_accounts();
    let out = user(
        &f,
        &["add", "chi", "--role", "bien-tap"],
        &format!("{ADMIN_PW}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    let chi = ed.login("chi", ADMIN_PW);
    let binh = ed.login("binh", WRITER_PW);

    // without a session: 401, pages, check and script alike; without the CSRF token: 403
    for target in ["/so-lieu", GRID, "/tai-nguyen/so-lieu.js"] {
        assert_eq!(ed.get(target, None).status, 401, "{target}");
    }
    assert_eq!(
        ed.send("POST", CHECK, &[], "o-dak-ha-allocated=1").status,
        401
    );
    let before = f.read(REPORT);
    let page = ed.get(GRID, Some(&an));
    let mut no_csrf = form(&page.body, &an, &[("o-dak-ha-allocated", "541")]);
    no_csrf.retain(|(k, _)| k != "csrf");
    assert_eq!(post(&ed, GRID, &an, &no_csrf).status, 403);
    assert_eq!(post(&ed, CHECK, &an, &no_csrf).status, 403);
    assert_eq!(f.read(REPORT), before);

    // a phóng viên sees the grid read-only, and may neither save nor check
    let seen = ed.get(GRID, Some(&binh));
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains(
        "value=\"540\" inputmode=\"decimal\" autocomplete=\"off\" spellcheck=\"false\" readonly>"
    ));
    assert!(!seen.body.contains("Lưu số liệu"));
    let r = post(
        &ed,
        GRID,
        &binh,
        &form(&seen.body, &binh, &[("o-dak-ha-allocated", "541")]),
    );
    assert_eq!(r.status, 403);
    assert!(r.body.contains("Chỉ biên tập viên và quản trị sửa được số liệu; tài khoản binh là phóng viên nên chỉ xem được bảng."), "{}", r.body);
    assert_eq!(
        post(&ed, CHECK, &binh, &form(&seen.body, &binh, &[])).status,
        403
    );
    assert_eq!(f.read(REPORT), before);

    // two editors open the grid; the first save wins, the second gets 409 with both versions
    let p1 = ed.get(GRID, Some(&an));
    let p2 = ed.get(GRID, Some(&chi));
    let r = post(
        &ed,
        GRID,
        &an,
        &form(&p1.body, &an, &[("o-kon-tum-target-hoc_vien", "410")]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let theirs = f.read(REPORT);
    assert!(theirs.contains("hoc_vien = { actual = 420, target = 410 }"));
    let r = post(
        &ed,
        GRID,
        &chi,
        &form(&p2.body, &chi, &[("o-kon-tum-target-hoc_vien", "405")]),
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Báo cáo đã được người khác sửa"));
    assert!(
        r.body.contains("hoc_vien = { actual = 420, target = 405 }"),
        "ours kept on the page"
    );
    assert!(
        r.body.contains("hoc_vien = { actual = 420, target = 410 }"),
        "theirs shown"
    );
    assert_eq!(f.read(REPORT), theirs);

    // a sub-area without a row gets one when a figure is typed for it; a file that is no report: 404
    let p = ed.get(GRID, Some(&chi));
    let r = post(
        &ed,
        GRID,
        &chi,
        &form(&p.body, &chi, &[("o-sa-thay-ind-hoc_vien", "12")]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(
        f.read(REPORT).ends_with(
            "[[breakdown]]\narea = \"sa-thay\"\nindicators = { hoc_vien = { actual = 12 } }\n"
        ),
        "{}",
        f.read(REPORT)
    );
    for missing in [
        "/so-lieu/khong-co.toml",
        "/so-lieu/areas.toml",
        "/so-lieu/..%2Fprograms.toml",
    ] {
        let r = ed.get(missing, Some(&an));
        assert!(
            r.status == 404 || r.status == 400,
            "{missing}: {}",
            r.status
        );
    }
}

/// POST of a multipart form with one file field `tep` (and the token, unless `csrf` is None).
fn upload(ed: &Editor, s: &Session, csrf: Option<&str>, name: &str, bytes: &[u8]) -> (u16, String) {
    let b = "----bantin-test-7f3a";
    let mut body = Vec::new();
    if let Some(t) = csrf {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{t}\r\n")
                .as_bytes(),
        );
    }
    body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"tep\"; filename=\"{name}\"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").as_bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{b}--\r\n").as_bytes());
    let head = format!(
        "POST /so-lieu/nhap HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nCookie: bantin-phien={}\r\nContent-Type: multipart/form-data; boundary={b}\r\nContent-Length: {}\r\n\r\n",
        ed.host, s.cookie, body.len()
    );
    let mut sock = std::net::TcpStream::connect(&ed.host).unwrap();
    sock.write_all(head.as_bytes()).unwrap();
    sock.write_all(&body).unwrap();
    let mut raw = Vec::new();
    sock.read_to_end(&mut raw).unwrap();
    let (status, _, body) = parse_response(&raw);
    (status, String::from_utf8_lossy(&body).into_owned())
}

#[test]
fn figures_workbook_upload_goes_the_import_path() {
    let f = example_with_accounts();
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    let list = ed.get("/so-lieu", Some(&an));
    assert!(list
        .body
        .contains("<a href=\"/so-lieu/mau/du-an-5-kon-tum-2023.xlsx\">"));
    assert!(list.body.contains("enctype=\"multipart/form-data\""));
    // the template of the report's project, area and year, as `bantin template` makes it
    let mut sock = std::net::TcpStream::connect(&ed.host).unwrap();
    write!(sock, "GET /so-lieu/mau/du-an-5-kon-tum-2023.xlsx HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nCookie: bantin-phien={}\r\n\r\n", ed.host, an.cookie).unwrap();
    let mut raw = Vec::new();
    sock.read_to_end(&mut raw).unwrap();
    let (status, headers, template) = parse_response(&raw);
    assert_eq!(status, 200);
    assert!(headers.iter().any(|(k, v)| k == "content-disposition"
        && v == "attachment; filename=\"mau-du-an-5-kon-tum-2023.xlsx\""));
    let sheet = "Kon Tum".to_string();
    let typed = |cells: &[(&str, &str, Typed)]| {
        let mut m = BTreeMap::new();
        m.insert((sheet.clone(), 4, 1), Typed::Text("31/10/2023".into()));
        for (area, key, v) in cells {
            let (r, c) = cell_of(&template, &sheet, area, key);
            m.insert((sheet.clone(), r, c), v.clone());
        }
        fill(&template, &m)
    };
    let reports = crate::common::tree(&f.path("content/data/reports"));

    // a text file named .xlsx, a zip that is no template: 415, nothing written
    let (status, body) = upload(
        &ed,
        &an,
        Some(&an.csrf),
        "mau.xlsx",
        b"du toan;giai ngan\n100;40\n",
    );
    assert_eq!(status, 415, "{body}");
    assert!(body.contains("Tệp mau.xlsx không phải mẫu báo cáo của bantin (bảng tính .xlsx do bantin tạo, có trang ẩn _bantin)."), "{body}");
    let plain = rust_xlsxwriter::Workbook::new().save_to_buffer().unwrap();
    assert_eq!(upload(&ed, &an, Some(&an.csrf), "khac.xlsx", &plain).0, 415);
    // without the token: 403; a phóng viên: 403
    let filled = typed(&[
        ("kon-tum", "allocated", Typed::Number(100.0)),
        ("kon-tum", "disbursed", Typed::Text("40,5".into())),
    ]);
    assert_eq!(upload(&ed, &an, None, "mau.xlsx", &filled).0, 403);
    let binh = ed.login("binh", WRITER_PW);
    assert_eq!(
        upload(&ed, &binh, Some(&binh.csrf), "mau.xlsx", &filled).0,
        403
    );
    // a problem: listed at workbook › sheet › cell, nothing written
    let bad = typed(&[
        ("kon-tum", "allocated", Typed::Number(100.0)),
        ("kon-tum", "disbursed", Typed::Number(-5.0)),
    ]);
    let (status, body) = upload(&ed, &an, Some(&an.csrf), "mau.xlsx", &bad);
    assert_eq!(status, 422, "{body}");
    assert!(
        body.contains("<li><strong>mau.xlsx › Kon Tum › D12</strong>: disbursed là số âm (-5)"),
        "{body}"
    );
    assert!(
        reports == crate::common::tree(&f.path("content/data/reports")),
        "nothing written"
    );

    // a filled template: the report written through the journal, by its author
    let (status, body) = upload(&ed, &an, Some(&an.csrf), "mau.xlsx", &filled);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Đã nhập 1 báo cáo từ mau.xlsx."), "{body}");
    let rel = "content/data/reports/du-an-5-kon-tum-2023-10.toml";
    let text = f.read(rel);
    assert!(
        text.contains("allocated = 100\n") && text.contains("disbursed = 40.5\n"),
        "{text}"
    );
    assert_eq!(
        bantin::journal::history(&f.root, rel).unwrap().versions[0].author,
        "an"
    );
    assert!(
        body.contains("<a href=\"/so-lieu/du-an-5-kon-tum-2023-10.toml\">"),
        "{body}"
    );
}
