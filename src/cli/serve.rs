use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
}

/// The preview server is a later milestone; say so plainly and fail, rather than pretend.
pub fn run(_a: ServeArgs) -> Result<(), ExitCode> {
    eprintln!("bantin serve: chưa có (not yet). Tạm thời dùng `bantin build` rồi mở public/ bằng một máy chủ web tĩnh, ví dụ: python3 -m http.server -d public");
    Err(ExitCode::from(2))
}
