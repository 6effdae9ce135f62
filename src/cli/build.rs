use std::path::PathBuf;
use std::process::ExitCode;

use super::{drafts_note, SiteArgs};
use crate::build::{build_then_exit, BuildOptions, Sink};
use crate::locale::number::seconds;

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Thư mục xuất, tính từ thư mục hiện tại (mặc định: public/ trong thư mục gốc)
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Ghi danh sách tệp đã thêm (A), sửa (M), xoá (D) so với lần dựng trước vào TỆP, mỗi dòng
    /// một tệp, để tải lên máy chủ; "-" để in ra màn hình
    #[arg(long, value_name = "TỆP")]
    pub changes: Option<PathBuf>,
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
        list_changes: a.changes.is_some(),
        overlay: None,
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
    if let Some(note) = report.scheduled_note() {
        println!("{note}");
    }
    match result {
        Ok(r) => {
            let kept = match &r.output {
                Some(w) if w.unchanged > 0 => {
                    format!(", {} ghi mới, {} giữ nguyên", w.written, w.unchanged)
                }
                _ => String::new(),
            };
            println!(
                "Đã dựng {} trang ({} tệp{kept}) vào {} trong {} giây.",
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
            let changes = r.output.as_ref().and_then(|w| w.changes.as_ref());
            match (&a.changes, changes) {
                (Some(file), Some(c)) => write_changes(file, c),
                _ => Ok(()),
            }
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

/// `--changes FILE`: the list, written whole (a temporary file renamed into place) so an upload
/// script never reads half of it; `-` prints it.
fn write_changes(file: &std::path::Path, c: &crate::output::Changes) -> Result<(), ExitCode> {
    let text = c.to_lines();
    if file.as_os_str() == "-" {
        print!("{text}");
        return Ok(());
    }
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    let written = tempfile::NamedTempFile::new_in(dir).and_then(|mut t| {
        std::io::Write::write_all(&mut t, text.as_bytes())?;
        t.persist(file).map_err(|e| e.error)
    });
    match written {
        Ok(_) => {
            println!(
                "Danh sách tệp thay đổi: {} ({} thêm, {} sửa, {} xoá).",
                file.display(),
                c.added.len(),
                c.modified.len(),
                c.deleted.len()
            );
            Ok(())
        }
        Err(e) => {
            eprintln!(
                "lỗi: không ghi được danh sách tệp thay đổi vào \"{}\": {e}\n  → cách sửa: chọn một đường dẫn ghi được cho --changes (trang đã dựng xong, không cần dựng lại)",
                file.display()
            );
            Err(ExitCode::from(1))
        }
    }
}
