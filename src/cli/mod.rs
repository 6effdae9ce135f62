//! The command line: one `Args` struct, one module per subcommand, each with `run()`.

mod build;
mod check;
mod edit;
mod import;
mod init;
mod new;
mod serve;
mod template;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `bantin --version`: the crate's version and the commit it was built from.
pub const VERSION: &str = if env!("BANTIN_COMMIT").is_empty() {
    env!("CARGO_PKG_VERSION")
} else {
    concat!(
        env!("CARGO_PKG_VERSION"),
        " (commit ",
        env!("BANTIN_COMMIT"),
        ")"
    )
};

#[derive(Debug, Parser)]
#[command(
    name = "bantin",
    version = VERSION,
    about = "Dựng trang bản tin tiến độ tiếng Việt (static site generator)"
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tạo trang mới trong THƯ_MỤC (cấu hình, một chuyên mục, một bài, giao diện mặc định)
    Init(init::InitArgs),
    /// Dựng trang vào public/
    Build(build::BuildArgs),
    /// Kiểm tra toàn bộ nội dung, dữ liệu, liên kết và mẫu giao diện; không ghi gì
    Check(check::CheckArgs),
    /// Tạo bài viết mới: bantin new tin-tuc "Tiêu đề"
    New(new::NewArgs),
    /// Xem trước trang khi soạn: dựng vào bộ nhớ, tự dựng lại và tải lại trình duyệt
    Serve(serve::ServeArgs),
    /// Trình soạn thảo trên trình duyệt: đăng nhập, danh sách bài viết, quản lý tài khoản
    Edit(edit::EditArgs),
    /// Quản lý tài khoản của trình soạn thảo: bantin user add TÊN --role phong-vien
    User(user::UserArgs),
    /// Tạo mẫu Excel để điền số liệu của một dự án: bantin template du-an-8 -o mau.xlsx
    Template(template::TemplateArgs),
    /// Nhập số liệu từ mẫu Excel đã điền vào content/data/reports/
    Import(import::ImportArgs),
}

/// Options shared by the commands that read a site.
#[derive(Debug, clap::Args, Clone)]
pub struct SiteArgs {
    /// Thư mục gốc của trang (nơi có config.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Dùng địa chỉ gốc này thay cho base_url trong config.toml
    #[arg(long)]
    pub base_url: Option<String>,
    /// Dựng cả bài nháp (draft = true)
    #[arg(long)]
    pub drafts: bool,
    /// Coi cảnh báo là lỗi
    #[arg(long)]
    pub strict: bool,
}

/// Parses the process arguments and runs the command.
pub fn run() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Command::Init(a) => init::run(a),
        Command::Build(a) => build::run(a),
        Command::Check(a) => check::run(a),
        Command::New(a) => new::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Edit(a) => edit::run(a),
        Command::User(a) => user::run(a),
        Command::Template(a) => template::run(a),
        Command::Import(a) => import::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// How to run this program in a shell, as typed: `bantin` when that name on `PATH` is this
/// executable, else this executable's full path (after `cargo run`, `target/…/bantin`; a
/// `bantin` elsewhere on `PATH` may be another version). Quoted when needed.
pub fn program() -> String {
    let Ok(exe) = std::env::current_exe() else {
        return "bantin".into();
    };
    let exe = exe.canonicalize().unwrap_or(exe);
    let name = format!("bantin{}", std::env::consts::EXE_SUFFIX);
    let on_path = std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(&name))
        .find(|p| p.is_file())
        .and_then(|p| p.canonicalize().ok());
    if on_path.as_deref() == Some(exe.as_path()) {
        "bantin".into()
    } else {
        quote(&exe.to_string_lossy()).into_owned()
    }
}

/// `word` as one shell word: as it is when it holds only letters, digits and `-_./:=@%+,`,
/// else quoted (single quotes; double quotes on Windows).
pub fn quote(word: &str) -> std::borrow::Cow<'_, str> {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        word.into()
    } else if cfg!(windows) {
        format!("\"{}\"", word.replace('"', "\"\"")).into()
    } else {
        format!("'{}'", word.replace('\'', "'\\''")).into()
    }
}

/// A command line to show the user, runnable as typed from the current directory: this
/// program, then `args`, each quoted when needed.
pub fn command_line<S: AsRef<str>>(args: &[S]) -> String {
    let mut line = program();
    for a in args {
        line.push(' ');
        line.push_str(&quote(a.as_ref()));
    }
    line
}

/// The line saying which drafts a `build`/`check` left out, and the command that includes them
/// (this command line with `--drafts`); `None` when none were left out.
pub fn drafts_note(drafts: &[String], with_drafts: &str) -> Option<String> {
    const SHOWN: usize = 10;
    if drafts.is_empty() {
        return None;
    }
    let mut list = drafts[..drafts.len().min(SHOWN)].join(", ");
    if drafts.len() > SHOWN {
        list.push_str(&format!(" và {} bài khác", drafts.len() - SHOWN));
    }
    let mut args: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    args.push("--drafts".into());
    Some(format!(
        "Bỏ qua {} bài nháp (draft = true): {list}; {with_drafts}: {}",
        drafts.len(),
        command_line(&args)
    ))
}
