use std::process::ExitCode;

use super::{seconds, SiteArgs};
use crate::build::{build_then_exit, BuildOptions, Sink};

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

pub fn run(a: CheckArgs) -> Result<(), ExitCode> {
    let opts = BuildOptions {
        root: a.site.root.clone(),
        sink: Sink::Discard,
        include_drafts: a.site.drafts,
        base_url: a.site.base_url.clone(),
        strict: a.site.strict,
    };
    match build_then_exit(&opts) {
        Ok(r) => {
            r.diagnostics.print();
            println!(
                "Kiểm tra xong: không có lỗi ({} trang, {} giây).",
                r.pages,
                seconds(r.elapsed)
            );
            Ok(())
        }
        Err(r) => {
            r.diagnostics.print();
            Err(ExitCode::from(1))
        }
    }
}
