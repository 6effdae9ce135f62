//! `bantin import TỆP [--dry-run] [--force]`: a filled template back into report files.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diag::{Diagnostic, Diagnostics};
use crate::import::{apply, csv_file, read};

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Bảng tính đã điền (.xlsx, .xls, .ods) tạo từ bantin template, hoặc tệp CSV theo các cột
    /// của tệp CSV bantin xuất ở /du-lieu/ (UTF-8, UTF-16 hoặc Windows-1258)
    pub file: PathBuf,
    /// Chỉ in những gì sẽ thay đổi, không ghi gì
    #[arg(long)]
    pub dry_run: bool,
    /// Ghi đè cả báo cáo đã được sửa sau khi tạo mẫu
    #[arg(long)]
    pub force: bool,
    /// Thư mục gốc của trang (nơi có config.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(a: ImportArgs) -> Result<(), ExitCode> {
    let fail = |d: Vec<Diagnostic>| {
        let mut d = Diagnostics(d);
        d.finish();
        d.print();
        eprintln!("Không nhập gì: chưa ghi tệp nào.");
        ExitCode::from(1)
    };
    let shown = a.file.file_name().map_or_else(
        || a.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let bytes = std::fs::read(&a.file).map_err(|e| {
        fail(vec![Diagnostic::error(format!(
            "không đọc được {}: {e}",
            a.file.display()
        ))])
    })?;
    let (cfg, data) = crate::import::site_data(&a.root).map_err(fail)?;
    let is_csv = a
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("txt"));
    let sheets = if is_csv {
        let text = csv_file::decode(&bytes, &shown).map_err(|d| fail(vec![d]))?;
        vec![csv_file::sheet(&text, &shown, &data, cfg.money_unit).map_err(fail)?]
    } else {
        read::workbook(&bytes, &shown).map_err(fail)?
    };
    let planned = apply::plan(&a.root, &cfg, &data, &sheets, &shown, a.force).map_err(fail)?;
    for p in &planned {
        let what = if p.new { "tạo mới" } else { "cập nhật" };
        println!("{what} {} ({} số liệu thay đổi)", p.file, p.changes.len());
        for c in &p.changes {
            println!("  {c}");
        }
    }
    if a.dry_run {
        println!("Chạy thử (--dry-run): chưa ghi tệp nào.");
        return Ok(());
    }
    apply::write(&a.root, &planned).map_err(|d| fail(vec![d]))?;
    println!(
        "Đã nhập {} báo cáo. Dựng lại trang: bantin build",
        planned.len()
    );
    Ok(())
}
