use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::serve::{run as serve, ServeOptions};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Thư mục gốc của trang (nơi có config.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Địa chỉ lắng nghe (mặc định chỉ máy này)
    #[arg(long, default_value = "127.0.0.1", value_parser = parse_bind)]
    pub bind: IpAddr,
    /// Cổng; 0 = tự chọn một cổng trống
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Hiện cả bài nháp (draft = true)
    #[arg(long)]
    pub drafts: bool,
    /// Mở trình duyệt khi đã sẵn sàng
    #[arg(long)]
    pub open: bool,
}

/// An IP address, or `localhost`.
pub(super) fn parse_bind(s: &str) -> Result<IpAddr, String> {
    if s.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::from([127, 0, 0, 1]));
    }
    s.parse().map_err(|_| {
        format!("\"{s}\" không phải địa chỉ IP; ví dụ --bind 127.0.0.1 (chỉ máy này) hoặc --bind 0.0.0.0 (cả mạng)")
    })
}

/// Builds into memory, serves, rebuilds on change and reloads the browser; Ctrl-C stops.
pub fn run(a: ServeArgs) -> Result<(), ExitCode> {
    let opts = ServeOptions {
        root: a.root,
        bind: a.bind,
        port: a.port,
        include_drafts: a.drafts,
        open: a.open,
    };
    serve(&opts).map_err(|d| {
        eprintln!("{d}");
        ExitCode::from(1)
    })
}
