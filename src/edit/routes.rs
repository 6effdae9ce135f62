//! The editor's routes and the gate every request passes first ([`gate`]):
//!
//! * the path is checked as `bantin serve` checks it ([`decode_path`]: no `..`, no encoded
//!   `/`, no control characters); methods other than GET, HEAD, POST, PUT and DELETE get 405;
//!   bodies over [`BODY_BYTES`] ([`ARTICLE_BODY_BYTES`] on the article forms) get 413;
//! * everything but the login page and the stylesheet needs a live session (cookie
//!   [`SESSION_COOKIE`]) of an account that still exists: else 401, pages and future API and
//!   upload routes alike (the gate runs before routing, so unknown paths are 401 too and do
//!   not reveal which exist);
//! * every POST/PUT/DELETE carries the session's CSRF token (form field `csrf` or header
//!   `X-CSRF-Token`): else 403. The login form has its own token, in a cookie of its own
//!   ([`LOGIN_COOKIE`], the double-submit pattern), so a page elsewhere cannot log a browser
//!   into another account;
//! * roles are checked by the handlers (403 page).
//!
//! Every response carries a strict Content-Security-Policy (no inline script or style, no
//! framing; the preview's routes may be framed by the editor itself), `nosniff`, `Referrer-Policy: same-origin` and `Cache-Control: no-store`.

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, request::Parts, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower_http::set_header::SetResponseHeaderLayer;

use super::accounts::{Accounts, Role};
use super::article_routes;
use super::figures_routes;
use super::list::{self, Filter};
use super::pages::{self, Who, CSS, CSS_PATH};
use super::preview::Preview;
use super::preview_routes;
use super::sessions::{random_token, same_token, RateLimit, Sessions, MAX_FAILURES};
use super::{review_routes, tool_routes, tools};
use crate::serve::http::{decode_path, Peer};

/// Largest request body (forms; uploads will have their own, larger limit on their route).
pub const BODY_BYTES: usize = 64 * 1024;
/// Largest body of an article form (`/bai/…`, `/bai-moi`): a form encodes each Vietnamese
/// letter as up to 9 bytes (`%E1%BA%BF`), so 64 KB would refuse a long report of ~35 KB.
pub const ARTICLE_BODY_BYTES: usize = 1024 * 1024;

/// Largest workbook upload (`/so-lieu/nhap`): a filled template of a province is ~100 KB.
pub const UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// Largest clipboard HTML `/dan` converts (Word wraps a page of text in ~100 KB of styles).
pub const PASTE_BODY_BYTES: usize = 1024 * 1024;
/// Largest photo upload (`/anh/…`, the whole multipart body): a 12 MP phone photo is 3–8 MB.
pub const PHOTO_BODY_BYTES: usize = 20 * 1024 * 1024;

fn body_limit(path: &str) -> usize {
    if path == "/so-lieu/nhap" {
        return UPLOAD_BYTES;
    }
    // a grid of a hundred communes × a dozen figures is ~50 KB of form
    if path.starts_with("/bai/")
        || path == "/bai-moi"
        || path.starts_with("/so-lieu/")
        || path == "/xem-truoc"
    {
        ARTICLE_BODY_BYTES
    } else if path == "/dan" {
        PASTE_BODY_BYTES
    } else if path.starts_with("/anh/") {
        PHOTO_BODY_BYTES
    } else {
        BODY_BYTES
    }
}
pub const SESSION_COOKIE: &str = "bantin-phien";
pub const LOGIN_COOKIE: &str = "bantin-dang-nhap";
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

pub struct Editor {
    pub root: PathBuf,
    pub catalog: list::Catalog,
    pub sessions: Sessions,
    pub limit: RateLimit,
    pub publisher: Arc<super::publish::Publisher>,
    pub preview: Preview,
}

impl Editor {
    /// `origin`: where the editor listens (`http://127.0.0.1:1112`), for the preview's links.
    pub fn new(root: PathBuf, idle: Duration, origin: &str) -> Editor {
        Editor {
            preview: Preview::new(root.clone(), origin),
            catalog: list::Catalog::new(root.clone()),
            sessions: Sessions::new(idle),
            limit: RateLimit::default(),
            publisher: Arc::new(super::publish::Publisher::new(root.clone())),
            root,
        }
    }
}

/// What the gate learnt about a request, for the handlers.
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    /// `None` on the public routes only.
    who: Option<Who>,
    token: Option<String>,
    form: Arc<Vec<(String, String)>>,
    /// The files of a multipart body (its text fields are in `form`).
    files: Arc<Vec<Upload>>,
    /// Came through HTTPS (see the module docs of [`super`]): cookies get `Secure`.
    secure: bool,
    /// The client's address: the peer's, or behind a reverse proxy on this machine the one it
    /// names in `X-Real-IP` (else every login would count against 127.0.0.1).
    client: Option<IpAddr>,
}

/// One file of a multipart body.
#[derive(Debug, Clone)]
pub(super) struct Upload {
    pub field: String,
    /// As the browser sent it: never used as a path.
    pub file_name: String,
    pub bytes: axum::body::Bytes,
}

impl Ctx {
    pub(super) fn file(&self, field: &str) -> Option<&Upload> {
        self.files.iter().find(|u| u.field == field)
    }

    /// Every value of a repeated field (checkboxes).
    pub(super) fn fields(&self, name: &str) -> Vec<String> {
        self.form
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub(super) fn has(&self, name: &str) -> bool {
        self.form.iter().any(|(k, _)| k == name)
    }

    pub(super) fn field(&self, name: &str) -> &str {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub(super) fn who(&self) -> &Who {
        self.who
            .as_ref()
            .expect("the gate lets only signed-in requests reach this route")
    }
}

pub fn app(editor: Arc<Editor>) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    // The preview's routes set their own (framing by the editor allowed): see
    // [`preview_routes::FRAMED_CSP`].
    let unless_set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    Router::new()
        .route("/dang-nhap", get(login_page).post(login))
        .route(CSS_PATH, get(css))
        .route("/dang-xuat", post(logout))
        .route("/", get(articles))
        .route(
            "/bai/{*path}",
            get(article_routes::edit_page).post(article_routes::save),
        )
        .route(
            "/bai-moi",
            get(article_routes::new_page).post(article_routes::create),
        )
        .route("/lich-su/{*path}", get(article_routes::history))
        .route("/khoi-phuc/{*path}", post(article_routes::restore))
        .route("/so-lieu", get(figures_routes::list))
        .route(
            "/so-lieu/{name}",
            get(figures_routes::page).post(figures_routes::save),
        )
        .route("/so-lieu/kiem-tra/{name}", post(figures_routes::live_check))
        .route("/so-lieu/nhap", post(figures_routes::upload))
        .route("/so-lieu/mau/{name}", get(figures_routes::template))
        .route(super::figures_pages::JS_PATH, get(figures_routes::script))
        .route(tools::JS_PATH, get(tool_routes::script))
        .route("/dan", post(tool_routes::paste))
        .route("/anh/{*path}", post(tool_routes::upload))
        .route("/gui-duyet/{*path}", post(review_routes::submit))
        .route("/tra-lai/{*path}", post(review_routes::send_back))
        .route("/duyet/{*path}", post(review_routes::approve))
        .route("/gop-y/{*path}", post(review_routes::add_comment))
        .route(
            "/dang",
            get(review_routes::publish_page).post(review_routes::publish),
        )
        .route("/xem-truoc", post(preview_routes::preview))
        .route("/trang/", get(preview_routes::page_root))
        .route("/trang/{*rest}", get(preview_routes::page))
        .route(preview_routes::SCRIPT_PATH, get(preview_routes::script))
        .route("/tai-khoan", get(accounts_page))
        .route("/tai-khoan/them", post(account_add))
        .route("/tai-khoan/vai-tro", post(account_role))
        .route("/tai-khoan/ten-hien-thi", post(account_display_name))
        .route("/tai-khoan/xoa", post(account_remove))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(editor.clone(), gate))
        .layer(unless_set(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(unless_set(header::X_FRAME_OPTIONS, "DENY"))
        .with_state(editor)
}

pub(super) fn html(status: StatusCode, body: String) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

pub(super) fn see_other(to: &str) -> Response {
    let mut r = html(StatusCode::SEE_OTHER, String::new());
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn unauthorized() -> Response {
    html(
        StatusCode::UNAUTHORIZED,
        pages::message(
            "Cần đăng nhập",
            "Trang này chỉ dành cho người đã đăng nhập, hoặc phiên làm việc đã hết hạn (sau 30 phút không dùng).",
            Some(("/dang-nhap", "Đăng nhập")),
            None,
        ),
    )
}

pub(super) fn forbidden(text: &str, who: Option<&Who>) -> Response {
    html(
        StatusCode::FORBIDDEN,
        pages::message(
            "Không được phép",
            text,
            Some(("/", "Về danh sách bài viết")),
            who,
        ),
    )
}

fn csrf_refused(who: Option<&Who>) -> Response {
    forbidden(
        "Yêu cầu bị từ chối: thiếu mã chống giả mạo (CSRF) hoặc mã không đúng. Hãy tải lại trang rồi làm lại; nếu vẫn bị, hãy đăng nhập lại.",
        who,
    )
}

fn add_cookie(r: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// A cookie line: HttpOnly, SameSite=Strict, Secure when the request came through HTTPS.
fn cookie(name: &str, value: &str, path: &str, max_age: Option<u64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; HttpOnly; SameSite=Strict; Path={path}");
    if let Some(s) = max_age {
        c.push_str(&format!("; Max-Age={s}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

fn cookie_value<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn is_read(m: &Method) -> bool {
    m == Method::GET || m == Method::HEAD
}

/// Path, method, body, session and CSRF checks, before any route (see the module docs).
async fn gate(State(ed): State<Arc<Editor>>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    if let Err(r) = check_target(&parts) {
        return *r;
    }
    // A photo may be 20 MB: nobody without a live session gets that much read and parsed.
    let large = body_limit(parts.uri.path()) > ARTICLE_BODY_BYTES;
    let live = || {
        cookie_value(&parts, SESSION_COOKIE)
            .is_some_and(|t| ed.sessions.touch(t, Instant::now()).is_some())
    };
    if large && !live() {
        return unauthorized();
    }
    let (bytes, form, files) = match read_body(&parts, body).await {
        Ok(read) => read,
        Err(r) => return *r,
    };
    let peer = parts.extensions.get::<Peer>().map(|p| p.0.ip());
    // Headers a reverse proxy sets are believed from this machine only.
    let proxied = peer.is_some_and(|p| p.is_loopback());
    let forwarded_https = parts
        .headers
        .get("x-forwarded-proto")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let real_ip = parts
        .headers
        .get("x-real-ip")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    let mut ctx = Ctx {
        who: None,
        token: None,
        form: Arc::new(form),
        files: Arc::new(files),
        secure: proxied && forwarded_https,
        client: real_ip.filter(|_| proxied).or(peer),
    };
    let path = parts.uri.path();
    let public = path == "/dang-nhap"
        || ((path == CSS_PATH || path == tools::JS_PATH) && is_read(&parts.method));
    if !public {
        if let Err(r) = signed_in(&ed, &parts, &mut ctx) {
            return *r;
        }
    }
    parts.extensions.insert(ctx);
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The path (as `bantin serve` checks it) and the method.
fn check_target(parts: &Parts) -> Result<(), Box<Response>> {
    if parts.uri.scheme().is_some() || decode_path(parts.uri.path()).is_err() {
        return Err(Box::new(html(
            StatusCode::BAD_REQUEST,
            pages::message("Đường dẫn không hợp lệ", "Đường dẫn không được có đoạn \".\" hay \"..\", dấu \\, ký tự điều khiển hay mã %XX sai.", Some(("/", "Về trang đầu")), None),
        )));
    }
    let m = &parts.method;
    if !(is_read(m) || m == Method::POST || m == Method::PUT || m == Method::DELETE) {
        let mut r = html(
            StatusCode::METHOD_NOT_ALLOWED,
            pages::message(
                "Không hỗ trợ",
                &format!("Trình soạn thảo không nhận yêu cầu {m}."),
                None,
                None,
            ),
        );
        r.headers_mut().insert(
            header::ALLOW,
            HeaderValue::from_static("GET, HEAD, POST, PUT, DELETE"),
        );
        return Err(Box::new(r));
    }
    Ok(())
}

type Body3 = (axum::body::Bytes, Vec<(String, String)>, Vec<Upload>);

/// The body, at most [`body_limit`] (413 beyond, declared or sent), and its fields when it is
/// a form (url-encoded, or multipart with its files).
async fn read_body(parts: &Parts, body: Body) -> Result<Body3, Box<Response>> {
    let limit = body_limit(parts.uri.path());
    let too_large = || {
        Box::new(html(
            StatusCode::PAYLOAD_TOO_LARGE,
            pages::message(
                "Dữ liệu quá lớn",
                &format!("Yêu cầu gửi kèm quá {} KB dữ liệu.", limit / 1024),
                Some(("/", "Về trang đầu")),
                None,
            ),
        ))
    };
    if body.size_hint().lower() > limit as u64 {
        return Err(too_large());
    }
    let bytes = to_bytes(body, limit).await.map_err(|_| too_large())?;
    let kind = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if kind.starts_with("application/x-www-form-urlencoded") {
        let form = form_urlencoded::parse(&bytes).into_owned().collect();
        return Ok((bytes, form, Vec::new()));
    }
    if kind.starts_with("multipart/form-data") {
        let (form, files) = read_multipart(kind, bytes.clone()).await.map_err(|_| {
            Box::new(html(
                StatusCode::BAD_REQUEST,
                pages::message("Dữ liệu hỏng", "Không đọc được dữ liệu gửi lên (multipart/form-data hỏng). Hãy tải lại trang rồi gửi lại.", Some(("/", "Về trang đầu")), None),
            ))
        })?;
        return Ok((bytes, form, files));
    }
    Ok((bytes, Vec::new(), Vec::new()))
}

/// A multipart body, already bounded by [`body_limit`], parsed by `multer` (axum's multipart
/// parser): its text fields (whose CSRF token the gate checks like a form's) and its files.
async fn read_multipart(
    content_type: &str,
    bytes: axum::body::Bytes,
) -> Result<(Vec<(String, String)>, Vec<Upload>), multer::Error> {
    let boundary = multer::parse_boundary(content_type)?;
    let stream =
        futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let (mut form, mut files) = (Vec::new(), Vec::new());
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => files.push(Upload {
                field: name,
                file_name,
                bytes: field.bytes().await?,
            }),
            None => form.push((name, field.text().await?)),
        }
    }
    Ok((form, files))
}

/// Fills `ctx.who` from the session cookie, and checks the CSRF token of a change.
fn signed_in(ed: &Editor, parts: &Parts, ctx: &mut Ctx) -> Result<(), Box<Response>> {
    let unauthorized = || Box::new(unauthorized());
    let token = cookie_value(parts, SESSION_COOKIE).ok_or_else(unauthorized)?;
    let session = ed
        .sessions
        .touch(token, Instant::now())
        .ok_or_else(unauthorized)?;
    // The account as it is now: a removed one is signed out, a changed role applies at once.
    let accounts = Accounts::load(&ed.root).map_err(|d| Box::new(broken_accounts(&d)))?;
    let Some(account) = accounts.get(&session.user) else {
        ed.sessions.close(token);
        return Err(unauthorized());
    };
    let who = Who {
        user: session.user.clone(),
        display: account.display_name().to_string(),
        role: account.vai_tro,
        csrf: session.csrf.clone(),
    };
    if !is_read(&parts.method) {
        let sent = parts
            .headers
            .get("x-csrf-token")
            .and_then(|v| v.to_str().ok())
            .or_else(|| Some(ctx.field("csrf")).filter(|s| !s.is_empty()));
        if !sent.is_some_and(|t| same_token(t, &session.csrf)) {
            return Err(Box::new(csrf_refused(Some(&who))));
        }
    }
    ctx.who = Some(who);
    ctx.token = Some(token.to_string());
    Ok(())
}

fn broken_accounts(d: &crate::diag::Diagnostic) -> Response {
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        pages::message("Tệp tài khoản bị hỏng", &d.to_string(), None, None),
    )
}

async fn css() -> Response {
    let mut r = Response::new(Body::from(CSS));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    r
}

/// The login form; its token is kept in [`LOGIN_COOKIE`] (an existing one is reused, so two
/// open login tabs both work).
///
/// Already signed in (a link from mail or chat is cross-site, so SameSite=Strict kept the
/// cookie from its request and it got the 401 page; this request, from that page, has it):
/// straight to the list.
async fn login_page(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let live = cookie_value(&parts, SESSION_COOKIE)
        .is_some_and(|t| ed.sessions.touch(t, Instant::now()).is_some());
    if live {
        return see_other("/");
    }
    login_form(&ctx, &parts, "", None, StatusCode::OK)
}

fn login_form(
    ctx: &Ctx,
    parts: &Parts,
    name: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let token = cookie_value(parts, LOGIN_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(random_token, str::to_string);
    let mut r = html(status, pages::login(&token, name, error));
    add_cookie(
        &mut r,
        &cookie(LOGIN_COOKIE, &token, "/dang-nhap", Some(3600), ctx.secure),
    );
    r
}

async fn login(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    req: Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let expected = cookie_value(&parts, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty() || !same_token(ctx.field("csrf"), expected) {
        return html(
            StatusCode::FORBIDDEN,
            pages::message(
                "Không được phép",
                "Yêu cầu đăng nhập bị từ chối: thiếu mã chống giả mạo (CSRF) hoặc mã không đúng. Hãy mở lại trang đăng nhập rồi thử lại.",
                Some(("/dang-nhap", "Mở lại trang đăng nhập")),
                None,
            ),
        );
    }
    // Names are at most 32 characters: a longer one is wrong anyway, and the limiter's keys
    // stay small.
    let name: String = ctx
        .field("ten")
        .trim()
        .to_lowercase()
        .chars()
        .take(40)
        .collect();
    let keys = [
        format!("ten:{name}"),
        format!(
            "ip:{}",
            ctx.client.map(|p| p.to_string()).unwrap_or_default()
        ),
    ];
    if let Some(wait) = ed.limit.blocked(&keys, Instant::now()) {
        return too_many(wait);
    }
    let password = ctx.field("mat_khau").to_string();
    let (root, user) = (ed.root.clone(), name.clone());
    let verified = tokio::task::spawn_blocking(move || {
        Accounts::load(&root).map(|a| a.verify(&user, &password).is_some())
    })
    .await;
    match verified {
        Ok(Ok(true)) => {}
        Ok(Err(d)) => return broken_accounts(&d),
        _ => {
            ed.limit.failed(&keys, Instant::now());
            let msg = "Tên đăng nhập hoặc mật khẩu không đúng.";
            return login_form(&ctx, &parts, &name, Some(msg), StatusCode::UNAUTHORIZED);
        }
    }
    ed.limit.succeeded(&keys[0]);
    let token = ed.sessions.open(&name, Instant::now());
    let mut r = see_other("/");
    add_cookie(
        &mut r,
        &cookie(SESSION_COOKIE, &token, "/", None, ctx.secure),
    );
    add_cookie(
        &mut r,
        &cookie(LOGIN_COOKIE, "", "/dang-nhap", Some(0), ctx.secure),
    );
    r
}

/// 429, saying when to try again (minutes, and the local time).
fn too_many(wait: Duration) -> Response {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    let at = chrono::Local::now() + chrono::Duration::seconds(wait.as_secs() as i64 + 1);
    let text = format!(
        "Đăng nhập sai quá {MAX_FAILURES} lần trong 15 phút. Hãy thử lại sau {minutes} phút (lúc {}). Nếu quên mật khẩu, nhờ người quản trị đặt lại bằng `bantin user passwd TÊN`.",
        at.format("%H:%M")
    );
    let mut r = html(
        StatusCode::TOO_MANY_REQUESTS,
        pages::message("Tạm khoá đăng nhập", &text, None, None),
    );
    r.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(wait.as_secs().max(1)),
    );
    r
}

async fn logout(State(ed): State<Arc<Editor>>, Extension(ctx): Extension<Ctx>) -> Response {
    if let Some(t) = &ctx.token {
        ed.sessions.close(t);
    }
    let mut r = see_other("/dang-nhap");
    add_cookie(
        &mut r,
        &cookie(SESSION_COOKIE, "", "/", Some(0), ctx.secure),
    );
    r
}

async fn articles(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    req: Request,
) -> Response {
    let filter = Filter::from_query(req.uri().query());
    let editor = ed.clone();
    let f = filter.clone();
    let listed = tokio::task::spawn_blocking(move || list::list(&editor.catalog.current(), &f));
    let Ok(listing) = listed.await else {
        return html(
            StatusCode::INTERNAL_SERVER_ERROR,
            pages::message("Lỗi", "Không đọc được trang.", None, Some(ctx.who())),
        );
    };
    let publish = review_routes::last_publish(&ed, ctx.who());
    html(
        StatusCode::OK,
        pages::articles(ctx.who(), &listing, &filter, &publish),
    )
}

async fn not_found(Extension(ctx): Extension<Ctx>) -> Response {
    html(
        StatusCode::NOT_FOUND,
        pages::message(
            "Không tìm thấy",
            "Không có trang này trong trình soạn thảo.",
            Some(("/", "Về danh sách bài viết")),
            ctx.who.as_ref(),
        ),
    )
}

fn admin_only(ctx: &Ctx) -> Result<&Who, Box<Response>> {
    let who = ctx.who();
    if who.role >= Role::QuanTri {
        Ok(who)
    } else {
        Err(Box::new(forbidden(
            &format!(
                "Chỉ tài khoản quản trị được quản lý tài khoản; tài khoản {} là {}.",
                who.user,
                who.role.label()
            ),
            Some(who),
        )))
    }
}

async fn accounts_page(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
    req: Request,
) -> Response {
    let who = match admin_only(&ctx) {
        Ok(w) => w,
        Err(r) => return *r,
    };
    let done = form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
        .find(|(k, _)| k == "xong")
        .map(|(_, v)| v.into_owned());
    let notice = match done.as_deref() {
        Some("them") => Some(Ok("Đã thêm tài khoản.")),
        Some("vai-tro") => Some(Ok("Đã đổi vai trò.")),
        Some("ten-hien-thi") => Some(Ok("Đã đổi tên hiển thị.")),
        Some("xoa") => Some(Ok("Đã xoá tài khoản.")),
        _ => None,
    };
    match Accounts::load(&ed.root) {
        Ok(a) => html(StatusCode::OK, pages::accounts(who, &a, notice)),
        Err(d) => broken_accounts(&d),
    }
}

/// Loads the accounts, applies `change` and saves ([`Accounts::update`]: Argon2 work and file
/// writes on the blocking pool). Then 303 to the accounts page, or the page again
/// with the reason (400).
async fn change_accounts(
    ed: Arc<Editor>,
    ctx: Ctx,
    done: &'static str,
    change: impl FnOnce(&mut Accounts) -> Result<(), String> + Send + 'static,
) -> Response {
    let who = match admin_only(&ctx) {
        Ok(w) => w.clone(),
        Err(r) => return *r,
    };
    let root = ed.root.clone();
    // A message of its own (no file) reads as a sentence on the page; a damaged file keeps its
    // place.
    let outcome = tokio::task::spawn_blocking(move || {
        Accounts::update(&root, change).map_err(|d| match d.file {
            None => d.message,
            Some(_) => d.to_string(),
        })
    })
    .await
    .unwrap_or_else(|_| Err("lỗi nội bộ khi ghi tài khoản".into()));
    match outcome {
        Ok(()) => see_other(&format!("/tai-khoan?xong={done}")),
        Err(why) => match Accounts::load(&ed.root) {
            Ok(a) => html(
                StatusCode::BAD_REQUEST,
                pages::accounts(&who, &a, Some(Err(&capitalise(&why)))),
            ),
            Err(d) => broken_accounts(&d),
        },
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().chain(c).collect::<String>() + "."
    })
}

async fn account_add(State(ed): State<Arc<Editor>>, Extension(ctx): Extension<Ctx>) -> Response {
    let name = ctx.field("ten").trim().to_string();
    let (pw, again) = (
        ctx.field("mat_khau").to_string(),
        ctx.field("mat_khau_lai").to_string(),
    );
    let role = Role::parse(ctx.field("vai_tro"));
    change_accounts(ed, ctx, "them", move |a| {
        if pw != again {
            return Err("hai lần nhập mật khẩu không khớp".into());
        }
        a.add(&name, role?, &pw)
    })
    .await
}

async fn account_role(State(ed): State<Arc<Editor>>, Extension(ctx): Extension<Ctx>) -> Response {
    let name = ctx.field("ten").to_string();
    let role = Role::parse(ctx.field("vai_tro"));
    change_accounts(ed, ctx, "vai-tro", move |a| {
        a.change(&name, Some(role?), None)
    })
    .await
}

async fn account_display_name(
    State(ed): State<Arc<Editor>>,
    Extension(ctx): Extension<Ctx>,
) -> Response {
    let name = ctx.field("ten").to_string();
    let display = ctx.field("ten_hien_thi").to_string();
    change_accounts(ed, ctx, "ten-hien-thi", move |a| {
        a.set_display_name(&name, &display)
    })
    .await
}

async fn account_remove(State(ed): State<Arc<Editor>>, Extension(ctx): Extension<Ctx>) -> Response {
    let name = ctx.field("ten").to_string();
    let editor = ed.clone();
    let gone = name.clone();
    let r = change_accounts(ed, ctx, "xoa", move |a| a.remove(&name)).await;
    if r.status() == StatusCode::SEE_OTHER {
        editor.sessions.close_user(&gone);
    }
    r
}
