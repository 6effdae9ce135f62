use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::edit::{run as edit, EditOptions};

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// Thư mục gốc của trang (nơi có config.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Địa chỉ lắng nghe (mặc định chỉ máy này; địa chỉ khác cần có tài khoản và nên đặt sau HTTPS)
    #[arg(long, default_value = "127.0.0.1", value_parser = super::serve::parse_bind)]
    pub bind: IpAddr,
    /// Cổng; 0 = tự chọn một cổng trống
    #[arg(long, default_value_t = 1112)]
    pub port: u16,
}

/// Runs the browser editor until Ctrl-C.
pub fn run(a: EditArgs) -> Result<(), ExitCode> {
    let opts = EditOptions {
        root: a.root,
        bind: a.bind,
        port: a.port,
    };
    edit(&opts).map_err(|d| {
        eprintln!("{d}");
        ExitCode::from(1)
    })
}
