//! The editor's accounts: `<root>/.bantin/tai-khoan.toml`, outside `content/` (the build never
//! reads `.bantin/`, so nothing here can reach `public/`). Passwords are kept as Argon2id PHC
//! strings (`$argon2id$v=19$…`), never in clear. The file is written atomically (a temporary
//! file in the same folder, synced, renamed over the old one) with mode 0600 in a 0700 folder
//! on Unix, so a crash mid-write leaves the previous accounts, and other users of the machine
//! cannot read the hashes.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diag::{toml_diagnostic, Diagnostic};

/// The folder of the editor's own files, relative to the site root.
pub const DIR: &str = ".bantin";
/// The accounts file, relative to the site root (as messages show it).
pub const FILE: &str = ".bantin/tai-khoan.toml";
/// Shortest password accepted, in characters.
pub const MIN_PASSWORD: usize = 10;
/// Longest password accepted, in bytes (Argon2 takes any length; this bounds the work a login
/// form can ask for).
pub const MAX_PASSWORD: usize = 1024;

/// What an account may do; each role can do everything the one before it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Role {
    /// Writes and edits own drafts, submits them for review.
    #[serde(rename = "phong-vien")]
    PhongVien,
    /// Edits everything, publishes, schedules.
    #[serde(rename = "bien-tap")]
    BienTap,
    /// Also manages accounts.
    #[serde(rename = "quan-tri")]
    QuanTri,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::PhongVien, Role::BienTap, Role::QuanTri];

    /// The name on the command line and in the file.
    pub fn id(self) -> &'static str {
        match self {
            Role::PhongVien => "phong-vien",
            Role::BienTap => "bien-tap",
            Role::QuanTri => "quan-tri",
        }
    }

    /// The name staff read.
    pub fn label(self) -> &'static str {
        match self {
            Role::PhongVien => "phóng viên",
            Role::BienTap => "biên tập",
            Role::QuanTri => "quản trị",
        }
    }

    pub fn parse(s: &str) -> Result<Role, String> {
        Role::ALL.into_iter().find(|r| r.id() == s).ok_or_else(|| {
            format!(
                "vai trò \"{s}\" không có; chọn một trong: phong-vien (phóng viên), bien-tap (biên tập), quan-tri (quản trị)"
            )
        })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One account as stored.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub ten: Spanned<String>,
    pub vai_tro: Role,
    /// Argon2id PHC string.
    pub mat_khau: Spanned<String>,
    /// The name readers see on the articles this account writes ("Nguyễn Văn An"); accounts
    /// made before display names existed have none and sign with their login name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ten_hien_thi: Option<String>,
}

impl Account {
    /// The name put in `authors` of the articles this account creates.
    pub fn display_name(&self) -> &str {
        self.ten_hien_thi
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(self.ten.get_ref())
    }
}

/// A display name: 1 to 80 characters, no control characters (it goes into TOML strings and
/// pages, escaped, but a line break in an author's name is always a mistake). Normalised (NFC).
pub fn check_display_name(name: &str) -> Result<String, String> {
    let name = crate::locale::normalize_text(name.trim());
    if name.is_empty() || name.chars().count() > 80 || name.chars().any(char::is_control) {
        return Err(format!(
            "tên hiển thị \"{name}\" không dùng được: cần 1 đến 80 ký tự, không xuống dòng"
        ));
    }
    Ok(name)
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileData {
    #[serde(default)]
    tai_khoan: Vec<Account>,
}

/// Every account, in the file's order.
#[derive(Debug, Default, Clone)]
pub struct Accounts {
    pub list: Vec<Account>,
}

const HEADER: &str = "# Tài khoản của trình soạn thảo bantin (bantin edit). Đừng sửa tay: dùng\n# bantin user add|remove|passwd. Mật khẩu chỉ lưu dạng băm Argon2id.\n\n";

const GITIGNORE: &str = "# Tài khoản của bantin edit (mật khẩu dạng băm): không đưa vào git.\ntai-khoan.toml\n.tai-khoan-*\n";

/// `<root>/.bantin/tai-khoan.toml`.
pub fn path(root: &Path) -> PathBuf {
    root.join(DIR).join("tai-khoan.toml")
}

impl Accounts {
    /// Reads the accounts of the site at `root`; no file is no accounts. A file that does not
    /// parse, or holds a repeated name or a hash that is not Argon2id, is an error at its line
    /// and column.
    pub fn load(root: &Path) -> Result<Accounts, Box<Diagnostic>> {
        let p = path(root);
        if !p.exists() {
            return Ok(Accounts::default());
        }
        let text = crate::source::read_text(&p, FILE, 1 << 20).map_err(Box::new)?;
        Self::parse(&text)
    }

    pub fn parse(text: &str) -> Result<Accounts, Box<Diagnostic>> {
        let data: FileData = toml::from_str(text)
            .map_err(|e| Box::new(toml_diagnostic(&e, text, FILE, 0, "Tệp tài khoản")))?;
        let at =
            |span: std::ops::Range<usize>, msg: String| {
                let (l, c) = crate::diag::line_col(text, span.start);
                Box::new(Diagnostic::error(msg).in_file(FILE).at(l, c).hint(
                    "sửa hoặc xoá dòng này, rồi đặt lại mật khẩu bằng `bantin user passwd TÊN`",
                ))
            };
        for (i, a) in data.tai_khoan.iter().enumerate() {
            if let Err(why) = check_name(a.ten.get_ref()) {
                return Err(at(a.ten.span(), why));
            }
            if data.tai_khoan[..i]
                .iter()
                .any(|b| b.ten.get_ref() == a.ten.get_ref())
            {
                return Err(at(
                    a.ten.span(),
                    format!("tài khoản \"{}\" bị khai báo hai lần", a.ten.get_ref()),
                ));
            }
            if !a.mat_khau.get_ref().starts_with("$argon2id$")
                || PasswordHash::new(a.mat_khau.get_ref()).is_err()
            {
                return Err(at(
                    a.mat_khau.span(),
                    format!(
                        "mật khẩu của \"{}\" không phải chuỗi băm Argon2id ($argon2id$…)",
                        a.ten.get_ref()
                    ),
                ));
            }
        }
        Ok(Accounts {
            list: data.tai_khoan,
        })
    }

    pub fn get(&self, name: &str) -> Option<&Account> {
        self.list.iter().find(|a| a.ten.get_ref() == name)
    }

    fn get_mut(&mut self, name: &str) -> Option<&mut Account> {
        self.list.iter_mut().find(|a| a.ten.get_ref() == name)
    }

    pub fn admins(&self) -> usize {
        self.list
            .iter()
            .filter(|a| a.vai_tro == Role::QuanTri)
            .count()
    }

    /// `name` is valid and not taken.
    pub fn check_new(&self, name: &str) -> Result<(), String> {
        check_name(name)?;
        if self.get(name).is_some() {
            return Err(format!(
                "tài khoản \"{name}\" đã có; đổi mật khẩu bằng `bantin user passwd {name}`"
            ));
        }
        Ok(())
    }

    /// Adds an account (the password hashed here).
    pub fn add(&mut self, name: &str, role: Role, password: &str) -> Result<(), String> {
        self.check_new(name)?;
        check_password(name, password)?;
        self.list.push(Account {
            ten: Spanned::new(0..0, name.to_string()),
            vai_tro: role,
            mat_khau: Spanned::new(0..0, hash(password)?),
            ten_hien_thi: None,
        });
        Ok(())
    }

    /// Sets (or with an empty `display` removes) an account's display name.
    pub fn set_display_name(&mut self, name: &str, display: &str) -> Result<(), String> {
        let value = if display.trim().is_empty() {
            None
        } else {
            Some(check_display_name(display)?)
        };
        let a = self.get_mut(name).ok_or_else(|| no_such(name))?;
        a.ten_hien_thi = value;
        Ok(())
    }

    /// Removes an account; the last quản trị cannot be removed (no one could manage accounts).
    pub fn remove(&mut self, name: &str) -> Result<(), String> {
        let Some(a) = self.get(name) else {
            return Err(no_such(name));
        };
        if a.vai_tro == Role::QuanTri && self.admins() == 1 {
            return Err(format!(
                "không xoá được \"{name}\": đây là tài khoản quản trị cuối cùng; hãy thêm một tài khoản quản trị khác trước"
            ));
        }
        self.list.retain(|a| a.ten.get_ref() != name);
        Ok(())
    }

    /// Sets a new role and/or password; the last quản trị keeps its role.
    pub fn change(
        &mut self,
        name: &str,
        role: Option<Role>,
        password: Option<&str>,
    ) -> Result<(), String> {
        let admins = self.admins();
        let Some(a) = self.get(name) else {
            return Err(no_such(name));
        };
        if a.vai_tro == Role::QuanTri && admins == 1 && role.is_some_and(|r| r != Role::QuanTri) {
            return Err(format!(
                "không đổi được vai trò của \"{name}\": đây là tài khoản quản trị cuối cùng; hãy thêm một tài khoản quản trị khác trước"
            ));
        }
        let hashed = match password {
            Some(p) => {
                check_password(name, p)?;
                Some(hash(p)?)
            }
            None => None,
        };
        let a = self.get_mut(name).expect("looked up above");
        if let Some(r) = role {
            a.vai_tro = r;
        }
        if let Some(h) = hashed {
            a.mat_khau = Spanned::new(0..0, h);
        }
        Ok(())
    }

    /// The account `name` when `password` is its password. An unknown name costs the same
    /// Argon2 work as a wrong password (a fixed hash is verified), so the time taken does not
    /// tell which names exist.
    pub fn verify(&self, name: &str, password: &str) -> Option<&Account> {
        let account = self.get(name);
        let stored: &str = match account {
            Some(a) => a.mat_khau.get_ref(),
            None => dummy_hash(),
        };
        let ok = password.len() <= MAX_PASSWORD
            && PasswordHash::new(stored).is_ok_and(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            });
        account.filter(|_| ok)
    }

    /// Loads, applies `change` and saves, holding an exclusive lock on `.bantin/` so a
    /// `bantin user` and the editor's accounts page never lose each other's change. `change`
    /// must not wait for a person (ask for passwords before).
    pub fn update<T>(
        root: &Path,
        change: impl FnOnce(&mut Accounts) -> Result<T, String>,
    ) -> Result<T, Box<Diagnostic>> {
        let plain = |m: String| Box::new(Diagnostic::error(m));
        let dir = root.join(DIR);
        create_private_dir(&dir)
            .map_err(|e| plain(format!("không tạo được thư mục \"{}\": {e}", dir.display())))?;
        let _lock = lock_dir(&dir);
        let mut accounts = Accounts::load(root)?;
        let out = change(&mut accounts).map_err(plain)?;
        accounts.save(root).map_err(plain)?;
        Ok(out)
    }

    /// Writes the file atomically (see the module docs).
    pub fn save(&self, root: &Path) -> Result<(), String> {
        let data = FileData {
            tai_khoan: self.list.clone(),
        };
        let body = toml::to_string(&data).map_err(|e| e.to_string())?;
        let dir = root.join(DIR);
        create_private_dir(&dir)
            .map_err(|e| format!("không tạo được thư mục \"{}\": {e}", dir.display()))?;
        let target = path(root);
        let fail = |e: std::io::Error| format!("không ghi được tệp \"{}\": {e}", target.display());
        // tempfile creates the file with mode 0600 on Unix: the hashes are never readable by
        // others, not even between the write and the rename.
        let mut tmp = tempfile::Builder::new()
            .prefix(".tai-khoan-")
            .tempfile_in(&dir)
            .map_err(fail)?;
        tmp.write_all(HEADER.as_bytes()).map_err(fail)?;
        tmp.write_all(body.as_bytes()).map_err(fail)?;
        tmp.as_file().sync_all().map_err(fail)?;
        tmp.persist(&target).map_err(|e| fail(e.error))?;
        // A site kept in git must not publish the hashes with it.
        let ignore = dir.join(".gitignore");
        if !ignore.exists() {
            let _ = std::fs::write(&ignore, GITIGNORE);
        }
        // The rename itself reaches the disk with the folder's entry.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

fn no_such(name: &str) -> String {
    format!("không có tài khoản \"{name}\"")
}

/// An exclusive `flock` on `dir` until the returned file is dropped; nothing where folders
/// cannot be locked (not Unix, or a file system without `flock`).
fn lock_dir(dir: &Path) -> Option<std::fs::File> {
    #[cfg(unix)]
    {
        use rustix::fs::{flock, FlockOperation};
        let f = std::fs::File::open(dir).ok()?;
        flock(&f, FlockOperation::LockExclusive).ok()?;
        Some(f)
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        r => r,
    }
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    crate::fsutil::create_dir(dir).map_err(|e| e.source)
}

/// A name: 1 to 32 of `a-z`, `0-9`, `.`, `-`, `_`, starting with a letter or digit (it goes
/// into the file, the pages and the command line as it is).
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = (1..=32).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && name.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(format!(
            "tên đăng nhập \"{name}\" không hợp lệ: chỉ dùng chữ thường không dấu a–z, chữ số và . - _ (bắt đầu bằng chữ hoặc số, tối đa 32 ký tự), ví dụ lan.nguyen"
        ))
    }
}

/// At least [`MIN_PASSWORD`] characters, not only spaces, not the name itself.
pub fn check_password(name: &str, password: &str) -> Result<(), String> {
    if password.trim().is_empty() {
        return Err("mật khẩu trống; hãy đặt mật khẩu từ 10 ký tự trở lên".into());
    }
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(format!(
            "mật khẩu quá ngắn ({n} ký tự); cần ít nhất {MIN_PASSWORD} ký tự, nên dùng một câu dễ nhớ"
        ));
    }
    if password.len() > MAX_PASSWORD {
        return Err(format!("mật khẩu quá dài; tối đa {MAX_PASSWORD} byte"));
    }
    if password.to_lowercase().contains(name) || password.chars().all(|c| password.starts_with(c)) {
        return Err("mật khẩu quá dễ đoán (chứa tên đăng nhập, hoặc chỉ một ký tự lặp lại); hãy chọn mật khẩu khác".into());
    }
    Ok(())
}

fn hash(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("không băm được mật khẩu: {e}"))
}

/// A valid hash of a random password, made once: what an unknown name is verified against.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let mut bytes = [0u8; 16];
        let _ = getrandom::fill(&mut bytes);
        hash(&format!("{bytes:?}")).unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(accounts: &[(&str, Role)]) -> Accounts {
        let mut a = Accounts::default();
        for (n, r) in accounts {
            a.add(n, *r, "mot cau de nho 2024").unwrap();
        }
        a
    }

    #[test]
    fn round_trip_and_verify() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = with(&[("an", Role::QuanTri)]);
        a.add("binh.le", Role::PhongVien, "mat khau cua binh")
            .unwrap();
        a.save(dir.path()).unwrap();
        let text = std::fs::read_to_string(path(dir.path())).unwrap();
        assert!(text.contains("mat_khau = \"$argon2id$v=19$"), "{text}");
        assert!(!text.contains("mat khau cua binh"));
        let b = Accounts::load(dir.path()).unwrap();
        assert_eq!(b.list.len(), 2);
        assert_eq!(
            b.verify("binh.le", "mat khau cua binh").unwrap().vai_tro,
            Role::PhongVien
        );
        assert!(b.verify("binh.le", "mat khau cua an!").is_none());
        assert!(b.verify("khong-co", "mat khau cua binh").is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path(dir.path())), 0o600);
            assert_eq!(mode(&dir.path().join(DIR)), 0o700);
        }
        // No temporary file left beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path().join(DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        let mut names: Vec<_> = names
            .iter()
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".gitignore", "tai-khoan.toml"]);
        let ignore = std::fs::read_to_string(dir.path().join(".bantin/.gitignore")).unwrap();
        assert!(ignore.lines().any(|l| l == "tai-khoan.toml"), "{ignore}");
    }

    /// Writers at the same time (the editor's page and `bantin user`) lose nothing.
    #[test]
    fn concurrent_updates_keep_every_change() {
        let dir = tempfile::tempdir().unwrap();
        std::thread::scope(|s| {
            for i in 0..6 {
                let root = dir.path();
                s.spawn(move || {
                    Accounts::update(root, |a| {
                        a.add(&format!("u{i}"), Role::PhongVien, "mot cau de nho 2024")
                    })
                    .unwrap();
                });
            }
        });
        let mut names: Vec<String> = Accounts::load(dir.path())
            .unwrap()
            .list
            .iter()
            .map(|a| a.ten.get_ref().clone())
            .collect();
        names.sort();
        assert_eq!(names, ["u0", "u1", "u2", "u3", "u4", "u5"]);
    }

    #[test]
    fn refusals() {
        let mut a = with(&[("an", Role::QuanTri), ("binh", Role::BienTap)]);
        let cases: &[(&str, Result<(), String>)] = &[
            (
                "an",
                a.clone().add("an", Role::PhongVien, "mot cau de nho 2024"),
            ),
            ("empty", a.clone().add("chi", Role::PhongVien, "   ")),
            ("short", a.clone().add("chi", Role::PhongVien, "ngan qua")),
            (
                "name",
                a.clone().add("chi", Role::PhongVien, "chi-1234567890"),
            ),
            (
                "same",
                a.clone().add("chi", Role::PhongVien, "aaaaaaaaaaaa"),
            ),
            (
                "bad name",
                a.clone().add("Chí", Role::PhongVien, "mot cau de nho 2024"),
            ),
            ("last admin", a.clone().remove("an")),
            (
                "demote last",
                a.clone().change("an", Some(Role::BienTap), None),
            ),
            ("unknown", a.clone().remove("khong-co")),
        ];
        let expected = [
            "tài khoản \"an\" đã có; đổi mật khẩu bằng `bantin user passwd an`",
            "mật khẩu trống; hãy đặt mật khẩu từ 10 ký tự trở lên",
            "mật khẩu quá ngắn (8 ký tự); cần ít nhất 10 ký tự, nên dùng một câu dễ nhớ",
            "mật khẩu quá dễ đoán (chứa tên đăng nhập, hoặc chỉ một ký tự lặp lại); hãy chọn mật khẩu khác",
            "mật khẩu quá dễ đoán (chứa tên đăng nhập, hoặc chỉ một ký tự lặp lại); hãy chọn mật khẩu khác",
            "tên đăng nhập \"Chí\" không hợp lệ: chỉ dùng chữ thường không dấu a–z, chữ số và . - _ (bắt đầu bằng chữ hoặc số, tối đa 32 ký tự), ví dụ lan.nguyen",
            "không xoá được \"an\": đây là tài khoản quản trị cuối cùng; hãy thêm một tài khoản quản trị khác trước",
            "không đổi được vai trò của \"an\": đây là tài khoản quản trị cuối cùng; hãy thêm một tài khoản quản trị khác trước",
            "không có tài khoản \"khong-co\"",
        ];
        for ((what, got), want) in cases.iter().zip(expected) {
            assert_eq!(got.as_ref().unwrap_err(), want, "{what}");
        }
        // With a second quản trị the first can go.
        a.change("binh", Some(Role::QuanTri), None).unwrap();
        a.remove("an").unwrap();
        assert_eq!(a.admins(), 1);
        assert_eq!(Role::parse("admin").unwrap_err(), "vai trò \"admin\" không có; chọn một trong: phong-vien (phóng viên), bien-tap (biên tập), quan-tri (quản trị)");
    }

    #[test]
    fn corrupt_files_are_located() {
        let good = with(&[("an", Role::QuanTri)]).list[0]
            .mat_khau
            .get_ref()
            .clone();
        let cases = [
            (
                "[[tai_khoan]]\nten = \"an\nvai_tro = \"quan-tri\"\n".to_string(),
                "lỗi: .bantin/tai-khoan.toml:2:10: Tệp tài khoản không hợp lệ: chuỗi chưa đóng dấu nháy (thiếu dấu \" hoặc ' ở cuối)",
            ),
            (
                format!("[[tai_khoan]]\nten = \"an\"\nvai_tro = \"sep\"\nmat_khau = \"{good}\"\n"),
                "lỗi: .bantin/tai-khoan.toml:3:11: Tệp tài khoản không hợp lệ: giá trị `sep` không hợp lệ; dùng một trong: phong-vien, bien-tap, quan-tri",
            ),
            (
                format!("[[tai_khoan]]\nten = \"an\"\nvai_tro = \"quan-tri\"\nmat_khau = \"{good}\"\n[[tai_khoan]]\nten = \"an\"\nvai_tro = \"quan-tri\"\nmat_khau = \"{good}\"\n"),
                "lỗi: .bantin/tai-khoan.toml:6:7: tài khoản \"an\" bị khai báo hai lần",
            ),
            (
                "[[tai_khoan]]\nten = \"an\"\nvai_tro = \"quan-tri\"\nmat_khau = \"hunter2\"\n".to_string(),
                "lỗi: .bantin/tai-khoan.toml:4:12: mật khẩu của \"an\" không phải chuỗi băm Argon2id ($argon2id$…)",
            ),
        ];
        for (text, want) in cases {
            let got = Accounts::parse(&text).unwrap_err().to_string();
            assert_eq!(got.lines().next().unwrap(), want);
            assert!(got.contains("\n  → cách sửa: "), "{got}");
        }
    }
}
