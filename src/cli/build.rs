use std::path::PathBuf;
use std::process::ExitCode;

use super::{print_diagnostics, seconds, SiteArgs};
use crate::build::{build_then_exit, BuildOptions, Sink};

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Thư mục xuất (mặc định: public/ trong thư mục gốc)
    #[arg(long)]
    pub output: Option<PathBuf>,
}

pub fn run(a: BuildArgs) -> Result<(), ExitCode> {
    let output = a
        .output
        .clone()
        .unwrap_or_else(|| a.site.root.join("public"));
    let opts = BuildOptions {
        root: a.site.root.clone(),
        sink: Sink::Directory(output.clone()),
        include_drafts: a.site.drafts,
        base_url: a.site.base_url.clone(),
        strict: a.site.strict,
    };
    match build_then_exit(&opts) {
        Ok(r) => {
            print_diagnostics(&r.diagnostics);
            println!(
                "Đã dựng {} trang ({} tệp) vào {} trong {} giây.",
                r.pages,
                r.files,
                output.display(),
                seconds(r.elapsed)
            );
            Ok(())
        }
        Err(r) => {
            print_diagnostics(&r.diagnostics);
            eprintln!(
                "Dựng trang thất bại; {} được giữ nguyên như trước.",
                output.display()
            );
            Err(ExitCode::from(1))
        }
    }
}
