//! `bantin user add|remove|passwd`: the editor's accounts from the command line (the first
//! account can only be made here). The password is asked twice without echo on a terminal,
//! and read from one line of standard input otherwise, so scripts and tests can pipe it.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::diag::Diagnostic;
use crate::edit::accounts::{self, Accounts, Role};

#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Thêm tài khoản: bantin user add lan.nguyen --role phong-vien
    Add {
        /// Tên đăng nhập (chữ thường không dấu, chữ số, . - _)
        name: String,
        /// Vai trò: phong-vien, bien-tap hoặc quan-tri
        #[arg(long)]
        role: String,
        /// Tên hiển thị trên các bài viết, ví dụ --ten "Nguyễn Văn An" (mặc định: tên đăng nhập)
        #[arg(long)]
        ten: Option<String>,
        #[command(flatten)]
        root: Root,
    },
    /// Xoá tài khoản (không xoá được tài khoản quản trị cuối cùng)
    Remove {
        name: String,
        #[command(flatten)]
        root: Root,
    },
    /// Đặt mật khẩu mới (và đổi vai trò nếu có --role)
    Passwd {
        name: String,
        #[arg(long)]
        role: Option<String>,
        #[command(flatten)]
        root: Root,
    },
}

#[derive(Debug, clap::Args)]
pub struct Root {
    /// Thư mục gốc của trang (nơi có config.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(a: UserArgs) -> Result<(), ExitCode> {
    let result = match a.action {
        Action::Add {
            name,
            role,
            ten,
            root,
        } => add(&root.root, &name, &role, ten.as_deref()),
        Action::Remove { name, root } => site_accounts(&root.root).and_then(|_| {
            Accounts::update(&root.root, |acc| acc.remove(&name))?;
            Ok(format!("Đã xoá tài khoản \"{name}\""))
        }),
        Action::Passwd { name, role, root } => passwd(&root.root, &name, role.as_deref()),
    };
    match result {
        Ok(done) => {
            println!("{done}. Tài khoản lưu trong {}.", accounts::FILE);
            Ok(())
        }
        Err(d) => {
            eprintln!("{d}");
            Err(ExitCode::from(1))
        }
    }
}

fn plain(message: String) -> Box<Diagnostic> {
    Box::new(Diagnostic::error(message))
}

/// The role is checked here rather than by clap, so the refusal is in Vietnamese; a taken or
/// invalid name is refused before the password is asked.
fn add(
    root: &Path,
    name: &str,
    role: &str,
    display: Option<&str>,
) -> Result<String, Box<Diagnostic>> {
    let role = Role::parse(role).map_err(plain)?;
    let display = display
        .map(accounts::check_display_name)
        .transpose()
        .map_err(plain)?;
    site_accounts(root)?.check_new(name).map_err(plain)?;
    let pw = password(name).map_err(plain)?;
    Accounts::update(root, |acc| {
        acc.add(name, role, &pw)?;
        match &display {
            Some(d) => acc.set_display_name(name, d),
            None => Ok(()),
        }
    })?;
    Ok(format!("Đã thêm tài khoản \"{name}\" ({role})"))
}

fn passwd(root: &Path, name: &str, role: Option<&str>) -> Result<String, Box<Diagnostic>> {
    let role = role.map(Role::parse).transpose().map_err(plain)?;
    if site_accounts(root)?.get(name).is_none() {
        return Err(plain(format!("không có tài khoản \"{name}\"")));
    }
    let pw = password(name).map_err(plain)?;
    Accounts::update(root, |acc| acc.change(name, role, Some(&pw)))?;
    Ok(match role {
        Some(r) => format!("Đã đặt mật khẩu mới và vai trò {r} cho \"{name}\""),
        None => format!("Đã đặt mật khẩu mới cho \"{name}\""),
    })
}

/// The accounts of the site at `root`, which must have a `config.toml` (accounts are not
/// created in a folder that is not a site).
fn site_accounts(root: &Path) -> Result<Accounts, Box<Diagnostic>> {
    if !root.join("config.toml").is_file() {
        return Err(Box::new(
            Diagnostic::error(format!("\"{}\" không có config.toml", root.display()))
                .hint("chạy lệnh trong thư mục gốc của trang, hoặc dùng --root THƯ_MỤC"),
        ));
    }
    Accounts::load(root)
}

/// The password: asked twice without echo on a terminal, else one line of standard input.
fn password(name: &str) -> Result<String, String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .map_err(|e| format!("không đọc được mật khẩu từ đầu vào chuẩn: {e}"))?;
        return Ok(line.trim_end_matches(['\n', '\r']).to_string());
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|e| format!("không đọc được mật khẩu: {e}"))
    };
    let first = ask(&format!(
        "Mật khẩu cho {name} (ít nhất {} ký tự): ",
        accounts::MIN_PASSWORD
    ))?;
    accounts::check_password(name, &first)?;
    if ask("Nhập lại mật khẩu: ")? != first {
        return Err("hai lần nhập mật khẩu không khớp; chưa thay đổi gì".into());
    }
    Ok(first)
}
