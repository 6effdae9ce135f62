//! `bantin edit` and `bantin user`: accounts on the command line (password from standard
//! input), the editor started on a free port and spoken to over plain HTTP/1.1: login right
//! and wrong, cookie attributes, 401 without a session on every route, CSRF refusals, roles,
//! the login rate limit, security headers, the network-bind refusal; the accounts file never
//! reaches `public/`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{parse_response, stderr, stdout, tree, Fixture};

pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
pub(crate) const ADMIN_PW: &str = "mot cau de nho 2024";
pub(crate) const WRITER_PW: &str = "but chi xanh do 77";

/// `bantin user ARGS…` with `stdin` piped in.
pub(crate) fn user(f: &Fixture, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .arg("user")
        .args(args)
        .current_dir(&f.root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A refusal may come before the password is read: the pipe is then closed.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

pub(crate) fn with_accounts() -> Fixture {
    let f = Fixture::new("basic");
    for (name, role, pw) in [
        ("an", "quan-tri", ADMIN_PW),
        ("binh", "phong-vien", WRITER_PW),
    ] {
        let out = user(&f, &["add", name, "--role", role], &format!("{pw}\n"));
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            stdout(&out),
            format!(
                "Đã thêm tài khoản \"{name}\" ({}). Tài khoản lưu trong .bantin/tai-khoan.toml.\n",
                if role == "quan-tri" {
                    "quản trị"
                } else {
                    "phóng viên"
                }
            )
        );
    }
    f
}

pub(crate) struct Resp {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Resp {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of the cookie `name` set by this response (and its whole line).
    fn cookie(&self, name: &str) -> Option<(String, String)> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "set-cookie")
            .find_map(|(_, v)| {
                let value = v.strip_prefix(&format!("{name}="))?.split(';').next()?;
                Some((value.to_string(), v.clone()))
            })
    }

    /// The value of the first hidden `csrf` field.
    pub(crate) fn csrf(&self) -> String {
        let i = self
            .body
            .find("name=\"csrf\" value=\"")
            .expect("a csrf field")
            + 19;
        self.body[i..i + 64].to_string()
    }
}

pub(crate) struct Editor {
    child: Child,
    pub(crate) host: String,
    stdout: Arc<Mutex<Vec<String>>>,
}

impl Drop for Editor {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A signed-in browser: its session cookie and CSRF token.
pub(crate) struct Session {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
}

impl Editor {
    pub(crate) fn start(f: &Fixture, env: &[(&str, &str)]) -> Editor {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(["edit", "--port", "0"])
            .current_dir(&f.root)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let out = child.stdout.take().unwrap();
        let l = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                l.lock().unwrap().push(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let host = loop {
            let found = lines.lock().unwrap().iter().find_map(|l: &String| {
                let rest = l.split("http://").nth(1)?;
                Some(rest.split('/').next()?.to_string())
            });
            if let Some(h) = found {
                break h;
            }
            assert!(Instant::now() < deadline, "no address line");
            std::thread::sleep(Duration::from_millis(20));
        };
        Editor {
            child,
            host,
            stdout: lines,
        }
    }

    pub(crate) fn send(
        &self,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Resp {
        let mut s = TcpStream::connect(&self.host).unwrap();
        let mut head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
            self.host
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        let declared = headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-length"));
        if !declared && (!body.is_empty() || method == "POST") {
            head.push_str(&format!(
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
                body.len()
            ));
        }
        s.write_all(format!("{head}\r\n{body}").as_bytes()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let (status, headers, body) = parse_response(&raw);
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub(crate) fn get(&self, target: &str, session: Option<&Session>) -> Resp {
        let cookie = session.map(|s| format!("bantin-phien={}", s.cookie));
        let headers: Vec<(&str, &str)> = cookie.iter().map(|c| ("Cookie", c.as_str())).collect();
        self.send("GET", target, &headers, "")
    }

    pub(crate) fn post(&self, target: &str, session: &Session, form: &[(&str, &str)]) -> Resp {
        let cookie = format!("bantin-phien={}", session.cookie);
        self.send("POST", target, &[("Cookie", &cookie)], &encode(form))
    }

    /// GET the login form, POST it; returns the POST's response.
    fn login_response(&self, name: &str, password: &str, headers: &[(&str, &str)]) -> Resp {
        let page = self.send("GET", "/dang-nhap", headers, "");
        assert_eq!(page.status, 200);
        let (token, _) = page.cookie("bantin-dang-nhap").expect("the login cookie");
        assert_eq!(page.csrf(), token);
        let cookie = format!("bantin-dang-nhap={token}");
        let mut h = headers.to_vec();
        h.push(("Cookie", &cookie));
        let form = encode(&[("csrf", &token), ("ten", name), ("mat_khau", password)]);
        self.send("POST", "/dang-nhap", &h, &form)
    }

    pub(crate) fn login(&self, name: &str, password: &str) -> Session {
        let r = self.login_response(name, password, &[]);
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(r.header("location"), Some("/"));
        let (cookie, _) = r.cookie("bantin-phien").unwrap();
        let mut s = Session {
            cookie,
            csrf: String::new(),
        };
        let home = self.get("/", Some(&s));
        assert_eq!(home.status, 200);
        s.csrf = home.csrf();
        s
    }
}

pub(crate) fn encode(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| {
            let enc = |s: &str| {
                s.bytes()
                    .map(|b| match b {
                        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                            (b as char).to_string()
                        }
                        b' ' => "+".into(),
                        _ => format!("%{b:02X}"),
                    })
                    .collect::<String>()
            };
            format!("{}={}", enc(k), enc(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn assert_safe_headers(r: &Resp, what: &str) {
    assert_eq!(r.header("content-security-policy"), Some(CSP), "{what}");
    assert_eq!(
        r.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(r.header("referrer-policy"), Some("same-origin"), "{what}");
    assert_eq!(r.header("cache-control"), Some("no-store"), "{what}");
}

#[test]
fn editor_sessions_roles_and_refusals() {
    let f = with_accounts();
    let stored = f.read(".bantin/tai-khoan.toml");
    let hashes: Vec<&str> = stored
        .lines()
        .filter_map(|l| l.strip_prefix("mat_khau = \""))
        .collect();
    assert_eq!(hashes.len(), 2, "{stored}");
    assert!(
        hashes.iter().all(|h| h.starts_with("$argon2id$")),
        "{stored}"
    );
    assert!(!stored.contains(ADMIN_PW) && !stored.contains(WRITER_PW));

    let ed = Editor::start(&f, &[]);
    // Without a session: 401 on every route, pages and future API/upload paths alike.
    for (method, path) in [
        ("GET", "/"),
        ("HEAD", "/"),
        ("GET", "/?q=a"),
        ("GET", "/tai-khoan"),
        ("POST", "/tai-khoan/them"),
        ("POST", "/tai-khoan/xoa"),
        ("POST", "/tai-khoan/vai-tro"),
        ("POST", "/dang-xuat"),
        ("GET", "/khong-co"),
        ("PUT", "/api/bai-viet/tin-tuc/tap-huan.md"),
        ("DELETE", "/api/bai-viet/tin-tuc/tap-huan.md"),
        ("POST", "/tai-len"),
    ] {
        let r = ed.send(method, path, &[], "");
        assert_eq!(r.status, 401, "{method} {path}");
        assert_safe_headers(&r, path);
        if method != "HEAD" {
            assert!(r.body.contains("<h1>Cần đăng nhập</h1>"), "{path}");
            assert!(r.body.contains("href=\"/dang-nhap\""), "{path}");
        }
    }
    // A made-up session cookie is no session.
    let fake = Session {
        cookie: "0".repeat(64),
        csrf: String::new(),
    };
    assert_eq!(ed.get("/", Some(&fake)).status, 401);
    // Public: the login page and the stylesheet (headers too).
    let css = ed.get("/tai-nguyen/bien-tap.css", None);
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_safe_headers(&css, "css");

    // The login form needs its own token: a POST without it is refused.
    let r = ed.send(
        "POST",
        "/dang-nhap",
        &[],
        &encode(&[("ten", "an"), ("mat_khau", ADMIN_PW)]),
    );
    assert_eq!(r.status, 403);
    assert!(
        r.body.contains("thiếu mã chống giả mạo (CSRF)"),
        "{}",
        r.body
    );

    // Wrong password and unknown name: one message, no cookie.
    for (name, pw) in [("an", "sai mat khau roi"), ("khong-co", ADMIN_PW)] {
        let r = ed.login_response(name, pw, &[]);
        assert_eq!(r.status, 401, "{name}");
        assert!(r.body.contains(
            "<p class=\"loi\" role=\"alert\">Tên đăng nhập hoặc mật khẩu không đúng.</p>"
        ));
        assert!(r.cookie("bantin-phien").is_none());
    }

    // Right: a session cookie with the attributes, no Secure over plain HTTP.
    let r = ed.login_response("an", ADMIN_PW, &[]);
    assert_eq!(r.status, 303);
    assert_safe_headers(&r, "login");
    let (token, line) = r.cookie("bantin-phien").unwrap();
    assert_eq!(token.len(), 64);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        line,
        format!("bantin-phien={token}; HttpOnly; SameSite=Strict; Path=/")
    );
    // Through an HTTPS proxy on this machine: Secure.
    let r = ed.login_response("an", ADMIN_PW, &[("X-Forwarded-Proto", "https")]);
    let (token2, line) = r.cookie("bantin-phien").unwrap();
    assert_ne!(token, token2);
    assert_eq!(
        line,
        format!("bantin-phien={token2}; HttpOnly; SameSite=Strict; Path=/; Secure")
    );

    let admin = ed.login("an", ADMIN_PW);
    let writer = ed.login("binh", WRITER_PW);
    // Signed in already: the login page sends to the list.
    let r = ed.get("/dang-nhap", Some(&admin));
    assert_eq!((r.status, r.header("location")), (303, Some("/")));

    // The article list: every article, drafts included, filtered by the query string.
    let list = ed.get("/", Some(&admin));
    assert_safe_headers(&list, "list");
    assert!(list.body.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
    for title in [
        "Tập huấn truyền thông ở Đắk Hà",
        "Bản nháp chưa đăng",
        "Lịch họp giao ban quý I",
    ] {
        assert!(list.body.contains(title), "{title}");
    }
    let drafts = ed.get("/?trang_thai=nhap", Some(&admin)).body;
    assert!(drafts.contains("Bản nháp chưa đăng") && !drafts.contains("Tập huấn truyền thông"));
    assert!(drafts.contains("<span class=\"nhan nhap\">nháp</span>"));
    let found = ed.get("/?q=dak+ha", Some(&writer)).body;
    assert!(found.contains("Tập huấn truyền thông ở Đắk Hà"));
    assert!(!found.contains("Lịch họp giao ban"));
    assert!(
        found.contains("<p role=\"status\">1 bài phù hợp"),
        "{found}"
    );
    let section = ed.get("/?chuyen_muc=thong-bao", Some(&admin)).body;
    assert!(section.contains("Lịch họp giao ban quý I") && !section.contains("Bản nháp"));
    // The list is kept in memory and follows the files.
    f.write(
        "content/tin-tuc/bai-moi.md",
        "+++\ntitle = \"Bài mới thêm khi đang mở\"\ndate = 2024-08-01\nauthors = [\"Tổ biên tập\"]\n+++\n\nNội dung.\n",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let body = ed.get("/?q=to+bien+tap", Some(&admin)).body;
        if body.contains("Bài mới thêm khi đang mở") {
            assert!(
                body.contains("<td data-nhan=\"Tác giả\">Tổ biên tập</td>"),
                "{body}"
            );
            break;
        }
        assert!(Instant::now() < deadline, "the new article never appeared");
        std::thread::sleep(Duration::from_millis(50));
    }

    // Roles: a phóng viên may not see or change accounts.
    let r = ed.get("/tai-khoan", Some(&writer));
    assert_eq!(r.status, 403);
    assert!(r
        .body
        .contains("Chỉ tài khoản quản trị được quản lý tài khoản; tài khoản binh là phóng viên."));
    let new = [
        ("ten", "chi"),
        ("vai_tro", "bien-tap"),
        ("mat_khau", "con meo den 2024"),
        ("mat_khau_lai", "con meo den 2024"),
    ];
    let mut with_csrf = new.to_vec();
    with_csrf.push(("csrf", &writer.csrf));
    assert_eq!(ed.post("/tai-khoan/them", &writer, &with_csrf).status, 403);
    assert!(!f.read(".bantin/tai-khoan.toml").contains("\"chi\""));
    let page = ed.get("/tai-khoan", Some(&admin));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<th scope=\"row\">binh</th>"));

    // CSRF: missing, wrong, another session's → 403; the right one → done.
    let mut wrong = new.to_vec();
    wrong.push(("csrf", &writer.csrf));
    for (what, form) in [("missing", new.to_vec()), ("wrong", wrong)] {
        let r = ed.post("/tai-khoan/them", &admin, &form);
        assert_eq!(r.status, 403, "{what}");
        assert_safe_headers(&r, what);
        assert!(
            r.body
                .contains("Yêu cầu bị từ chối: thiếu mã chống giả mạo (CSRF) hoặc mã không đúng."),
            "{what}"
        );
    }
    assert!(!f.read(".bantin/tai-khoan.toml").contains("\"chi\""));
    let cookie = format!("bantin-phien={}", admin.cookie);
    let r = ed.send(
        "POST",
        "/tai-khoan/them",
        &[("Cookie", &cookie), ("X-CSRF-Token", &admin.csrf)],
        &encode(&new),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/tai-khoan?xong=them"));
    assert!(f.read(".bantin/tai-khoan.toml").contains("ten = \"chi\""));
    let chi = ed.login("chi", "con meo den 2024");
    assert_eq!(
        ed.get("/tai-khoan", Some(&chi)).status,
        403,
        "biên tập is not quản trị"
    );

    // The last quản trị stays.
    let r = ed.post(
        "/tai-khoan/xoa",
        &admin,
        &[("ten", "an"), ("csrf", &admin.csrf)],
    );
    assert_eq!(r.status, 400);
    assert!(r
        .body
        .contains("<p class=\"loi\" role=\"alert\">Không xoá được &quot;an&quot;: đây là tài khoản quản trị cuối cùng; hãy thêm một tài khoản quản trị khác trước.</p>"));
    // A removed account is signed out at once.
    let r = ed.post(
        "/tai-khoan/xoa",
        &admin,
        &[("ten", "chi"), ("csrf", &admin.csrf)],
    );
    assert_eq!(r.status, 303);
    assert_eq!(ed.get("/", Some(&chi)).status, 401);
    // A role change applies to the next request.
    let r = ed.post(
        "/tai-khoan/vai-tro",
        &admin,
        &[
            ("ten", "binh"),
            ("vai_tro", "quan-tri"),
            ("csrf", &admin.csrf),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(ed.get("/tai-khoan", Some(&writer)).status, 200);

    // Paths never leave the root; bodies are bounded.
    for bad in [
        "/../config.toml",
        "/%2e%2e/config.toml",
        "/a%2f..%2fb",
        "/a%00",
    ] {
        assert_eq!(ed.get(bad, Some(&admin)).status, 400, "{bad}");
    }
    // (Declared and not sent: the refusal comes before the body is read.)
    let r = ed.send(
        "POST",
        "/tai-khoan/vai-tro",
        &[("Cookie", &cookie), ("Content-Length", "70000")],
        "",
    );
    assert_eq!(r.status, 413);
    assert!(r.body.contains("Yêu cầu gửi kèm quá 64 KB dữ liệu."));

    // Logging out ends the session.
    let r = ed.post("/dang-xuat", &admin, &[("csrf", &admin.csrf)]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/dang-nhap"));
    assert_eq!(ed.get("/", Some(&admin)).status, 401);
    assert!(
        ed.stdout.lock().unwrap()[0].starts_with("Trình soạn thảo đang chạy tại http://127.0.0.1:")
    );
}

#[test]
fn logins_are_rate_limited_and_sessions_expire() {
    let f = with_accounts();
    let ed = Editor::start(&f, &[("BANTIN_EDIT_IDLE_SECS", "3")]);
    // Idle for longer than the timeout: signed out (used just before: still in).
    let session = ed.login("an", ADMIN_PW);
    assert_eq!(ed.get("/", Some(&session)).status, 200);
    std::thread::sleep(Duration::from_millis(3300));
    assert_eq!(ed.get("/", Some(&session)).status, 401);

    for i in 1..=5 {
        let r = ed.login_response("an", &format!("doan sai lan {i}"), &[]);
        assert_eq!(r.status, 401, "attempt {i}");
    }
    // The 6th, even with the right password: 429, saying when to come back.
    let r = ed.login_response("an", ADMIN_PW, &[]);
    assert_eq!(r.status, 429);
    assert_safe_headers(&r, "429");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((840..=900).contains(&retry), "{retry}");
    assert!(
        r.body
            .contains("Đăng nhập sai quá 5 lần trong 15 phút. Hãy thử lại sau 15 phút (lúc "),
        "{}",
        r.body
    );
    assert!(r.cookie("bantin-phien").is_none());
    // The address is limited too: another name from it is refused.
    assert_eq!(ed.login_response("binh", WRITER_PW, &[]).status, 429);

    // Behind a reverse proxy on this machine, X-Real-IP names the client: one address's
    // failures do not lock out the others.
    let from = |ip: &'static str| [("X-Real-IP", ip)];
    for i in 1..=5 {
        let r = ed.login_response(&format!("khach{i}"), "doan sai mat khau", &from("10.0.0.7"));
        assert_eq!(r.status, 401, "attempt {i}");
    }
    assert_eq!(
        ed.login_response("khach9", "doan sai mat khau", &from("10.0.0.7"))
            .status,
        429
    );
    let r = ed.login_response("binh", WRITER_PW, &from("10.0.0.8"));
    assert_eq!(r.status, 303, "another address behind the proxy");
}

#[test]
fn network_bind_needs_an_account() {
    let f = Fixture::new("basic");
    let out = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["edit", "--bind", "0.0.0.0", "--port", "0"])
        .current_dir(&f.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "lỗi: không mở trình soạn thảo ra mạng (0.0.0.0) khi chưa có tài khoản nào\n  → cách sửa: tạo tài khoản quản trị trước: `bantin user add TÊN --role quan-tri`, hoặc chạy với --bind 127.0.0.1 (chỉ máy này)\n"
    );
    assert!(stdout(&out).is_empty());

    // With an account it starts, and says how to put it behind HTTPS.
    let out = user(
        &f,
        &["add", "an", "--role", "quan-tri"],
        &format!("{ADMIN_PW}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["edit", "--bind", "0.0.0.0", "--port", "0"])
        .current_dir(&f.root)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(
        first.starts_with("Trình soạn thảo đang chạy tại http://127.0.0.1:"),
        "{first}"
    );
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap();
    let err = stderr(&child.wait_with_output().unwrap());
    assert!(err.starts_with("cảnh báo: trình soạn thảo mở cho cả mạng ngoài (0.0.0.0).\nTrình soạn thảo không tự mã hoá (HTTPS)."), "{err}");
    assert!(
        err.contains("proxy_set_header X-Forwarded-Proto https;"),
        "{err}"
    );
}

#[test]
fn user_command_refusals_and_the_accounts_file_stays_out_of_public() {
    let f = with_accounts();
    for (args, stdin, want) in [
        (&["add", "chi", "--role", "bien-tap"][..], "ngan\n", "lỗi: mật khẩu quá ngắn (4 ký tự); cần ít nhất 10 ký tự, nên dùng một câu dễ nhớ\n"),
        (&["add", "chi", "--role", "bien-tap"][..], "\n", "lỗi: mật khẩu trống; hãy đặt mật khẩu từ 10 ký tự trở lên\n"),
        (&["add", "chi", "--role", "sep"][..], "con meo den 2024\n", "lỗi: vai trò \"sep\" không có; chọn một trong: phong-vien (phóng viên), bien-tap (biên tập), quan-tri (quản trị)\n"),
        (&["add", "binh", "--role", "bien-tap"][..], "con meo den 2024\n", "lỗi: tài khoản \"binh\" đã có; đổi mật khẩu bằng `bantin user passwd binh`\n"),
        (&["remove", "an"][..], "", "lỗi: không xoá được \"an\": đây là tài khoản quản trị cuối cùng; hãy thêm một tài khoản quản trị khác trước\n"),
        (&["passwd", "khong-co"][..], "con meo den 2024\n", "lỗi: không có tài khoản \"khong-co\"\n"),
    ] {
        let before = f.read(".bantin/tai-khoan.toml");
        let out = user(&f, args, stdin);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&out), want, "{args:?}");
        assert_eq!(f.read(".bantin/tai-khoan.toml"), before, "{args:?} changed the file");
    }
    let out = user(
        &f,
        &["passwd", "binh", "--role", "bien-tap"],
        "doi mat khau moi 2025\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(f
        .read(".bantin/tai-khoan.toml")
        .contains("vai_tro = \"bien-tap\""));
    let out = user(&f, &["remove", "binh"], "");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!f.read(".bantin/tai-khoan.toml").contains("binh"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f.path(".bantin/tai-khoan.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // The build never reads .bantin/: nothing of it in public/.
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = tree(&f.path("public"));
    assert!(!public.is_empty());
    for (rel, bytes) in &public {
        assert!(
            !rel.contains("tai-khoan") && !rel.contains(".bantin"),
            "{rel}"
        );
        assert!(
            !String::from_utf8_lossy(bytes).contains("$argon2id$"),
            "{rel} holds a password hash"
        );
    }

    // A corrupt file: the error at its line and column, nothing written.
    f.write(
        ".bantin/tai-khoan.toml",
        "[[tai_khoan]]\nten = \"an\nvai_tro = \"quan-tri\"\n",
    );
    let out = user(
        &f,
        &["add", "chi", "--role", "bien-tap"],
        "con meo den 2024\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "lỗi: .bantin/tai-khoan.toml:2:10: Tệp tài khoản không hợp lệ: chuỗi chưa đóng dấu nháy (thiếu dấu \" hoặc ' ở cuối)\n  → cách sửa: sửa cú pháp TOML tại vị trí này (chuỗi phải đóng dấu \", mỗi dòng một khoá = giá trị)\n"
    );
    // And the editor refuses to start on it, with the same message.
    let out = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["edit", "--port", "0"])
        .current_dir(&f.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("lỗi: .bantin/tai-khoan.toml:2:10: "),
        "{}",
        stderr(&out)
    );
}

/// Every screen in Chromium (tests/verify/editor.mjs): status, no failed sub-request, no
/// horizontal scrolling, axe-core 0 violations, at 360 and 1280 px; the login through the real
/// form with JavaScript off. Needs what `scripts/setup` installs (node, Chromium, npm packages).
#[test]
fn editor_screens_in_chromium() {
    let verify = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/verify");
    for needed in [
        verify.join("node_modules/playwright-core/package.json"),
        verify.join("node_modules/axe-core/axe.min.js"),
        std::path::PathBuf::from("/usr/bin/chromium"),
    ] {
        assert!(
            needed.exists(),
            "{} is missing: run scripts/setup",
            needed.display()
        );
    }
    let f = Fixture::example();
    for (name, role, pw) in [
        ("an", "quan-tri", ADMIN_PW),
        ("binh", "phong-vien", WRITER_PW),
    ] {
        let out = user(&f, &["add", name, "--role", role], &format!("{pw}\n"));
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let ed = Editor::start(&f, &[]);
    // One save, so the history screen has versions; the form shows areas and projects by name.
    let an = ed.login("an", ADMIN_PW);
    let article = "/bai/tin-tuc/so-ket-chuong-trinh-1719-sau-thang-2023.md";
    let form = ed.get(article, Some(&an));
    assert_eq!(form.status, 200);
    assert!(
        form.body
            .contains(" value=\"kon-tum\" checked> Tỉnh Kon Tum</label>"),
        "{}",
        form.body
    );
    assert!(
        form.body.contains(" value=\"du-an-1\" checked> Dự án 1 – "),
        "{}",
        form.body
    );
    let text = f.read("content/tin-tuc/so-ket-chuong-trinh-1719-sau-thang-2023.md");
    let r = ed.post(
        article,
        &an,
        &[
            ("csrf", &an.csrf),
            ("base", &hidden(&form.body, "base")),
            ("toan_van", &format!("{text}\nMột đoạn thêm.\n")),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // One publish, so /dang shows an outcome.
    let r = ed.post("/dang", &an, &[("csrf", &an.csrf)]);
    assert_eq!(r.status, 303, "{}", r.body);
    let deadline = Instant::now() + Duration::from_secs(120);
    while ed.get("/dang", Some(&an)).body.contains("dang-chay") {
        assert!(Instant::now() < deadline, "the publish did not end");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(ed
        .get("/dang", Some(&an))
        .body
        .contains("data-trang-thai=\"thanh-cong\""));
    // Chromium puts a Unix socket in its profile folder: a short TMPDIR.
    let tmp = tempfile::Builder::new()
        .prefix("be")
        .tempdir_in("/tmp")
        .unwrap();
    let out = Command::new("node")
        .arg(verify.join("editor.mjs"))
        .arg(format!("http://{}", ed.host))
        .arg(format!("an:{ADMIN_PW}"))
        .arg(format!("binh:{WRITER_PW}"))
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::null())
        .output()
        .expect("cannot run node (run scripts/setup)");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "editor.mjs gave no report ({}):\n{}",
            out.status,
            stderr(&out)
        )
    });
    let failures = report["failures"].as_array().unwrap();
    assert!(
        out.status.success() && failures.is_empty(),
        "{}",
        serde_json::to_string_pretty(failures).unwrap()
    );
    let pages = report["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 16, "{report}");
    for p in pages {
        assert_eq!(p["axe_violations_360"], 0, "{p}");
        assert_eq!(p["axe_violations_1280"], 0, "{p}");
    }
}

/// The value of the hidden `name` field (the first one).
pub(crate) fn hidden(body: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let i = body
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {body}"))
        + key.len();
    body[i..].split('"').next().unwrap().to_string()
}

/// Every value of the hidden `name` fields, in page order.
fn hiddens(body: &str, name: &str) -> Vec<String> {
    let key = format!("name=\"{name}\" value=\"");
    body.match_indices(&key)
        .map(|(i, _)| body[i + key.len()..].split('"').next().unwrap().to_string())
        .collect()
}

/// Create through the form, build, edit, a stale save (conflict with both texts), merge,
/// history with authors, view a version, restore.
#[test]
fn articles_created_edited_conflicts_history_restore() {
    let f = with_accounts();
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    let form = ed.get("/bai-moi?chuyen_muc=tin-tuc", Some(&an));
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("<option value=\"tin-tuc\" selected>"),
        "{}",
        form.body
    );
    assert!(form.body.contains("type=\"datetime-local\""));
    // Existing terms are offered.
    assert!(
        form.body
            .contains("<option value=\"truyền thông\"></option>"),
        "{}",
        form.body
    );
    let create = |title: &str, date: &str| {
        ed.post(
            "/bai-moi",
            &an,
            &[
                ("csrf", &an.csrf),
                ("base", "moi"),
                ("chuyen_muc", "tin-tuc"),
                ("tieu_de", title),
                ("ngay", date),
                ("mo_ta", "Tóm tắt hội nghị"),
                ("tax_tags", "Hội nghị, Bình đẳng giới"),
                ("tax_chu_de", ""),
                ("noi_dung", "Nội dung thứ nhất.\r\n"),
            ],
        )
    };
    // A wrong date: the reason beside the field, nothing written.
    let bad = create("Hội nghị tổng kết", "hôm qua");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("<p class=\"loi\" id=\"loi-ngay\">Ngày &quot;hôm qua&quot; không đúng dạng; chọn ngày và giờ trong ô, ví dụ 18/07/2024 09:30.</p>"), "{}", bad.body);
    assert!(!f.root.join("content/tin-tuc/hoi-nghi-tong-ket.md").exists());
    let r = create("Hội nghị tổng kết", "2024-07-20T09:30");
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some("/bai/tin-tuc/hoi-nghi-tong-ket.md?xong=luu")
    );
    let file = "content/tin-tuc/hoi-nghi-tong-ket.md";
    assert_eq!(
        f.read(file),
        "+++\ntitle = \"Hội nghị tổng kết\"\ndate = 2024-07-20T09:30:00\ndescription = \"Tóm tắt hội nghị\"\ndraft = false\nauthors = [\"an\"]\ntai_khoan = \"an\"\n\n[taxonomies]\ntags = [\"Hội nghị\", \"Bình đẳng giới\"]\n+++\n\nNội dung thứ nhất.\n"
    );
    // The same title again: refused beside the title.
    let again = create("Hội nghị tổng kết", "2024-07-20T09:30");
    assert_eq!(again.status, 400);
    assert!(
        again
            .body
            .contains("Đã có bài content/tin-tuc/hoi-nghi-tong-ket.md; hãy đặt tiêu đề khác."),
        "{}",
        again.body
    );
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = f.read("public/tin-tuc/hoi-nghi-tong-ket/index.html");
    assert!(public.contains("Nội dung thứ nhất."), "{public}");

    let page = ed.get("/bai/tin-tuc/hoi-nghi-tong-ket.md?xong=luu", Some(&an));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("role=\"status\">Đã lưu.</p>"));
    assert!(
        page.body.contains("value=\"2024-07-20T09:30\""),
        "{}",
        page.body
    );
    let base1 = hidden(&page.body, "base");
    let edit = |base: &str, body: &str| {
        ed.post(
            "/bai/tin-tuc/hoi-nghi-tong-ket.md",
            &an,
            &[
                ("csrf", &an.csrf),
                ("base", base),
                ("tieu_de", "Hội nghị tổng kết"),
                ("ngay", "2024-07-20T09:30"),
                ("mo_ta", "Tóm tắt hội nghị"),
                ("tax_tags", "Hội nghị"),
                ("noi_dung", body),
            ],
        )
    };
    assert_eq!(edit(&base1, "Nội dung thứ hai.").status, 303);
    assert!(f.read(file).ends_with("+++\n\nNội dung thứ hai.\n"));
    assert!(
        f.read(file).contains("draft = false\n"),
        "the box left unticked: published"
    );
    // A second browser still at base1: a conflict, both texts, nothing overwritten.
    let c = edit(&base1, "Bản của tôi.");
    assert_eq!(c.status, 409, "{}", c.body);
    assert!(c.body.contains("<h1>Bài đã được sửa ở nơi khác</h1>"));
    assert!(c.body.contains("Bản của tôi."), "ours kept");
    assert!(c.body.contains("Nội dung thứ hai."), "theirs shown");
    assert!(f.read(file).ends_with("Nội dung thứ hai.\n"));
    // Merged and saved with the new base.
    let base2 = hidden(&c.body, "base");
    assert_ne!(base2, base1);
    let merged = f
        .read(file)
        .replace("Nội dung thứ hai.", "Nội dung thứ hai.\n\nBản của tôi.");
    let r = ed.post(
        "/bai/tin-tuc/hoi-nghi-tong-ket.md",
        &an,
        &[("csrf", &an.csrf), ("base", &base2), ("toan_van", &merged)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(f.read(file), merged);
    // A long article (over 100 KB encoded) is taken; the 64 KB limit of other forms is not its.
    let long = "Đoạn văn dài về kết quả thực hiện chương trình. ".repeat(1200);
    let r = ed.post(
        "/bai/tin-tuc/hoi-nghi-tong-ket.md",
        &an,
        &[
            ("csrf", &an.csrf),
            ("base", &base2),
            ("toan_van", &format!("{merged}\n{long}\n")),
        ],
    );
    assert!(encode(&[("toan_van", &long)]).len() > 100_000);
    assert_eq!(
        r.status, 409,
        "a stale base still: the conflict screen, not 413"
    );
    assert!(r.body.contains(long.trim_end()));
    assert_eq!(f.read(file), merged);

    let h = ed.get("/lich-su/tin-tuc/hoi-nghi-tong-ket.md", Some(&an));
    assert_eq!(h.status, 200);
    assert_eq!(h.body.matches("Xem bản ").count(), 3, "{}", h.body);
    assert_eq!(h.body.matches("data-nhan=\"Người sửa\">an</td>").count(), 3);
    assert_eq!(h.body.matches("data-nhan=\"Việc\">sửa</td>").count(), 2);
    assert_eq!(h.body.matches("data-nhan=\"Việc\">tạo</td>").count(), 1);
    // Restore the first version (the oldest, last on the page).
    let first = hiddens(&h.body, "ban").last().unwrap().clone();
    let seen = ed.get(
        &format!("/lich-su/tin-tuc/hoi-nghi-tong-ket.md?ban={first}"),
        Some(&an),
    );
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains("Nội dung thứ nhất."), "{}", seen.body);
    let current = hidden(&h.body[h.body.find("Khôi phục").unwrap() - 400..], "base");
    let r = ed.post(
        "/khoi-phuc/tin-tuc/hoi-nghi-tong-ket.md",
        &an,
        &[("csrf", &an.csrf), ("ban", &first), ("base", &current)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(f.read(file).ends_with("\nNội dung thứ nhất.\n"));
    // The same restore form again: its base is stale now, nothing changes.
    let restored = f.read(file);
    let r = ed.post(
        "/khoi-phuc/tin-tuc/hoi-nghi-tong-ket.md",
        &an,
        &[("csrf", &an.csrf), ("ban", &base1), ("base", &current)],
    );
    assert_eq!(r.status, 409);
    assert!(r.body.contains("Bài đã được sửa sau khi bạn mở trang lịch sử; chưa khôi phục gì. Hãy mở lại trang lịch sử rồi làm lại."));
    assert_eq!(f.read(file), restored);
    let h = ed.get(
        "/lich-su/tin-tuc/hoi-nghi-tong-ket.md?xong=khoi-phuc",
        Some(&an),
    );
    assert_eq!(h.body.matches("Xem bản ").count(), 4, "{}", h.body);
    assert!(h.body.contains("data-nhan=\"Việc\">khôi phục</td>"));
    assert!(h
        .body
        .contains("Đã khôi phục; bản khôi phục là một phiên bản mới."));
}

/// Roles, sessions, CSRF and paths on the article routes; keys the form does not know stay.
#[test]
fn article_routes_refusals_and_unknown_keys() {
    let f = with_accounts();
    let ed = Editor::start(&f, &[]);
    let page = "/bai/tin-tuc/tap-huan.md";
    for (method, path) in [
        ("GET", page),
        ("POST", page),
        ("GET", "/bai-moi"),
        ("POST", "/bai-moi"),
        ("GET", "/lich-su/tin-tuc/tap-huan.md"),
        ("POST", "/khoi-phuc/tin-tuc/tap-huan.md"),
    ] {
        assert_eq!(
            ed.send(method, path, &[], "").status,
            401,
            "{method} {path}"
        );
    }
    let an = ed.login("an", ADMIN_PW);
    let before = f.read("content/tin-tuc/tap-huan.md");
    for path in [page, "/bai-moi", "/khoi-phuc/tin-tuc/tap-huan.md"] {
        let r = ed.post(path, &an, &[("tieu_de", "x"), ("noi_dung", "y")]);
        assert_eq!(r.status, 403, "{path}");
    }
    assert_eq!(f.read("content/tin-tuc/tap-huan.md"), before);
    // Paths that leave content/ or name no article: refused before any file is read.
    for (path, status) in [
        ("/bai/..%2F..%2Fconfig.toml", 400),
        ("/bai/../x", 400),
        ("/bai/%2e%2e/config.toml", 400),
        ("/bai/tin-tuc/_index.md", 404),
        ("/bai/tin-tuc", 404),
        ("/bai/khong-co.md", 404),
        ("/lich-su/..%2Fconfig.toml", 400),
    ] {
        let r = ed.get(path, Some(&an));
        assert_eq!(r.status, status, "{path}");
        assert!(!r.body.contains("base_url"), "{path}");
    }
    // An edit keeps the keys the form does not show (aliases, areas) as written.
    let r = ed.get(page, Some(&an));
    assert_eq!(r.status, 200);
    let base = hidden(&r.body, "base");
    let r = ed.post(
        page,
        &an,
        &[
            ("csrf", &an.csrf),
            ("base", &base),
            ("tieu_de", "Tập huấn truyền thông ở Đắk Hà"),
            ("ngay", "2023-03-08T09:30"),
            ("dia_ban", "dak-ha"),
            ("tax_tags", "Bình đẳng giới, truyền thông"),
            ("noi_dung", "Đoạn mới."),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let after = f.read("content/tin-tuc/tap-huan.md");
    assert!(after.starts_with("+++\ntitle = \"Tập huấn truyền thông ở Đắk Hà\"\ndate = 2023-03-08T09:30:00+07:00\nareas = [\"dak-ha\"]\naliases = [\"/tin-cu/tap-huan/\"]\n"), "{after}");

    // A phóng viên: someone else's article is 403; their own is a draft and stays one.
    let binh = ed.login("binh", WRITER_PW);
    for path in [page, "/lich-su/tin-tuc/tap-huan.md"] {
        let r = ed.get(path, Some(&binh));
        assert_eq!(r.status, 403, "{path}");
        assert!(r.body.contains("Phóng viên chỉ sửa được bài nháp do chính mình viết; bài này không ghi tài khoản binh trong tác giả."), "{}", r.body);
    }
    let r = ed.post(
        page,
        &binh,
        &[("csrf", &binh.csrf), ("base", &base), ("tieu_de", "x")],
    );
    assert_eq!(r.status, 403);
    let r = ed.post(
        "/bai-moi",
        &binh,
        &[
            ("csrf", &binh.csrf),
            ("base", "moi"),
            ("chuyen_muc", "tin-tuc"),
            ("tieu_de", "Bài của Bình"),
            ("noi_dung", "Chưa xong."),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let own = f.read("content/tin-tuc/bai-cua-binh.md");
    assert!(
        own.contains("draft = true\nauthors = [\"binh\"]\n"),
        "{own}"
    );
    let r = ed.get("/bai/tin-tuc/bai-cua-binh.md", Some(&binh));
    assert_eq!(r.status, 200);
    assert!(
        !r.body.contains("id=\"nhap\""),
        "no draft checkbox for a phóng viên"
    );
    // Trying to publish through the whole-text form is refused.
    let r = ed.post(
        "/bai/tin-tuc/bai-cua-binh.md",
        &binh,
        &[
            ("csrf", &binh.csrf),
            ("base", &hidden(&r.body, "base")),
            ("toan_van", &own.replace("draft = true", "draft = false")),
        ],
    );
    assert_eq!(r.status, 400);
    assert!(r
        .body
        .contains("Phóng viên chỉ lưu được bài nháp (draft = true) có tên mình trong authors."));
    assert_eq!(f.read("content/tin-tuc/bai-cua-binh.md"), own);
}

/// On a site with data: an area id the data does not have, and a key the build refuses, are
/// shown and nothing is written.
#[test]
fn article_form_checks_with_the_builds_rules() {
    let f = Fixture::example();
    let out = user(
        &f,
        &["add", "an", "--role", "bien-tap"],
        &format!("{ADMIN_PW}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    let page = "/bai/tin-tuc/so-ket-chuong-trinh-1719-sau-thang-2023.md";
    let file = "content/tin-tuc/so-ket-chuong-trinh-1719-sau-thang-2023.md";
    let before = f.read(file);
    let form = ed.get(page, Some(&an));
    let base = hidden(&form.body, "base");
    let r = ed.post(
        page,
        &an,
        &[
            ("csrf", &an.csrf),
            ("base", &base),
            ("tieu_de", "Sơ kết"),
            ("dia_ban", "kon-tum"),
            ("dia_ban", "huyen-khong-co"),
            ("noi_dung", "x"),
        ],
    );
    assert_eq!(r.status, 400);
    assert!(
        r.body.contains("<p class=\"loi\" id=\"loi-dia_ban\">Không có địa bàn &quot;huyen-khong-co&quot; trong số liệu của trang.</p>"),
        "{}",
        r.body
    );
    // The unknown id stays on the form, ticked, so nothing is dropped silently.
    assert!(r.body.contains("value=\"huyen-khong-co\" checked>"));
    let typo = before.replacen("title =", "tac_gia = \"Lan\"\ntitle =", 1);
    let r = ed.post(
        page,
        &an,
        &[("csrf", &an.csrf), ("base", &base), ("toan_van", &typo)],
    );
    assert_eq!(r.status, 400);
    // The build's own message, at the file's line.
    assert!(
        r.body.contains("lỗi: content/tin-tuc/so-ket-chuong-trinh-1719-sau-thang-2023.md:2:1: Phần thông tin đầu bài không hợp lệ: khoá `tac_gia` không có trong danh sách khoá hợp lệ"),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"loi-toan-van\""));
    assert_eq!(f.read(file), before);
}

/// The titles in the article list at `query`.
fn listed(ed: &Editor, s: &Session, query: &str) -> Vec<String> {
    let r = ed.get(query, Some(s));
    assert_eq!(r.status, 200, "{}", r.body);
    let doc = scraper::Html::parse_document(&r.body);
    let mut titles: Vec<String> = crate::common::select(&doc, "tbody tr td:first-child a")
        .iter()
        .map(crate::common::text)
        .collect();
    titles.sort();
    titles
}

/// The list's filters by author, area and project (issue 17, item 3), alone and together,
/// their choices by name, and an unknown value that matches nothing.
#[test]
fn article_list_filters_by_author_area_and_project() {
    let f = Fixture::example();
    let out = user(
        &f,
        &["add", "an", "--role", "quan-tri"],
        &format!("{ADMIN_PW}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ed = Editor::start(&f, &[]);
    let an = ed.login("an", ADMIN_PW);
    let boi_duong = "Bồi dưỡng kiến thức dân tộc cho cán bộ cấp xã ở Đắk Hà và Đắk Tô";
    let giao_ban = "Giao ban công tác dân tộc quý II năm 2024";
    assert_eq!(listed(&ed, &an, "/?dia_ban=dak-ha"), [boi_duong, giao_ban]);
    assert_eq!(listed(&ed, &an, "/?du_an=du-an-5"), [boi_duong]);
    assert_eq!(
        listed(&ed, &an, "/?tac_gia=Y+Th%E1%BA%A3o"),
        [
            "Gặp mặt người có uy tín trong đồng bào dân tộc thiểu số dịp Tết Giáp Thìn",
            "Đắk Glei bàn giao nhà ở cho hộ nghèo dân tộc thiểu số"
        ]
    );
    assert_eq!(
        listed(&ed, &an, "/?dia_ban=dak-ha&du_an=du-an-5"),
        [boi_duong]
    );
    assert!(listed(&ed, &an, "/?dia_ban=khong-co").is_empty());
    let page = ed.get("/?dia_ban=dak-ha", Some(&an)).body;
    for needed in [
        "<option value=\"dak-ha\" selected>Huyện Đăk Hà</option>",
        "<option value=\"Y Thảo\">Y Thảo</option>",
        "<label for=\"loc-du-an\">Dự án</label>",
        "2 bài phù hợp",
    ] {
        assert!(page.contains(needed), "{needed}\n{page}");
    }
}
