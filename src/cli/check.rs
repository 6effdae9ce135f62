use std::process::ExitCode;

use super::{drafts_note, SiteArgs};
use crate::build::{build_then_exit, BuildOptions, Sink};
use crate::locale::number::seconds;

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
        list_changes: false,
        overlay: None,
    };
    let result = build_then_exit(&opts);
    let report = match &result {
        Ok(r) | Err(r) => r,
    };
    report.diagnostics.print();
    // On stdout, also after a failure: a link to a left-out draft is one reason for an error.
    if let Some(note) = drafts_note(&report.drafts, "kiểm tra kèm bài nháp") {
        println!("{note}");
    }
    if let Some(note) = report.scheduled_note() {
        println!("{note}");
    }
    match result {
        Ok(r) => {
            println!(
                "Kiểm tra xong: không có lỗi ({} trang, {} giây).",
                r.pages,
                seconds(r.elapsed)
            );
            Ok(())
        }
        Err(_) => Err(ExitCode::from(1)),
    }
}
