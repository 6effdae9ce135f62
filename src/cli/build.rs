use std::path::PathBuf;
use std::process::ExitCode;

use super::{drafts_note, seconds, SiteArgs};
use crate::build::{build_then_exit, BuildOptions, Sink};

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Thư mục xuất, tính từ thư mục hiện tại (mặc định: public/ trong thư mục gốc)
    #[arg(long)]
    pub output: Option<PathBuf>,
}

pub fn run(a: BuildArgs) -> Result<(), ExitCode> {
    // A relative --output is relative to where the command runs, like any path argument (it
    // was taken inside --root, and the message then named a folder that was not written).
    let output = match &a.output {
        Some(o) => std::path::absolute(o).unwrap_or_else(|_| o.clone()),
        None => a.site.root.join("public"),
    };
    let opts = BuildOptions {
        root: a.site.root.clone(),
        sink: Sink::Directory(output.clone()),
        include_drafts: a.site.drafts,
        base_url: a.site.base_url.clone(),
        strict: a.site.strict,
    };
    let result = build_then_exit(&opts);
    let report = match &result {
        Ok(r) | Err(r) => r,
    };
    report.diagnostics.print();
    // On stdout, also after a failure: a link to a left-out draft is one reason a build fails.
    if let Some(note) = drafts_note(&report.drafts, "dựng kèm bài nháp") {
        println!("{note}");
    }
    match result {
        Ok(r) => {
            println!(
                "Đã dựng {} trang ({} tệp) vào {} trong {} giây.",
                r.pages,
                r.files,
                output.display(),
                seconds(r.elapsed)
            );
            if r.photos_encoded + r.photos_cached > 0 {
                println!(
                    "Ảnh: {} ảnh xử lý mới, {} ảnh lấy từ bộ đệm {}.",
                    r.photos_encoded,
                    r.photos_cached,
                    crate::anh::CACHE_DIR
                );
            }
            Ok(())
        }
        Err(_) => {
            eprintln!(
                "Dựng trang thất bại; {} được giữ nguyên như trước.",
                output.display()
            );
            Err(ExitCode::from(1))
        }
    }
}
