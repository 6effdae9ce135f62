//! The command line: one `Args` struct, one module per subcommand, each with `run()`.

mod build;
mod check;
mod init;
mod new;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "bantin",
    version,
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
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(code) => code,
    }
}

/// Seconds with a Vietnamese decimal comma.
pub fn seconds(d: std::time::Duration) -> String {
    format!("{:.2}", d.as_secs_f64()).replace('.', ",")
}
