//! `bantin template DỰ-ÁN [--area ID] [--year NĂM] -o TỆP.xlsx`: the workbook staff fill.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::import::template::{workbook, Request};

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// Mã dự án (trong content/data/programs.toml), ví dụ du-an-8
    pub project: String,
    /// Địa bàn báo cáo (mặc định: mọi địa bàn cấp tỉnh); mỗi địa bàn một trang tính
    #[arg(long)]
    pub area: Vec<String>,
    /// Năm của số liệu (mặc định: năm nay)
    #[arg(long)]
    pub year: Option<i32>,
    /// Tệp Excel sẽ tạo
    #[arg(short, long)]
    pub output: PathBuf,
    /// Thư mục gốc của trang (nơi có config.toml)
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(a: TemplateArgs) -> Result<(), ExitCode> {
    let fail = |d: Vec<Diagnostic>| {
        let mut d = Diagnostics(d);
        d.finish();
        d.print();
        ExitCode::from(1)
    };
    let (cfg, data) = crate::import::site_data(&a.root).map_err(fail)?;
    let Some(&project) = data.project_index.get(&a.project) else {
        let ids = data.projects.iter().map(|p| p.id.as_str());
        let hint = match did_you_mean(&a.project, ids.clone()) {
            Some(s) => format!("có phải ý bạn là {s}?"),
            None => format!("các dự án: {}", ids.collect::<Vec<_>>().join(", ")),
        };
        return Err(fail(vec![Diagnostic::error(format!(
            "không có dự án \"{}\"",
            a.project
        ))
        .hint(hint)]));
    };
    let mut areas = Vec::new();
    for id in &a.area {
        match data.area_index.get(id) {
            Some(&i) => areas.push(i),
            None => {
                let hint = crate::data::validate::area_hint(&data, id);
                return Err(fail(vec![Diagnostic::error(format!(
                    "không có địa bàn \"{id}\""
                ))
                .hint(hint)]));
            }
        }
    }
    if areas.is_empty() {
        let today = crate::site::today();
        areas = (0..data.areas.len())
            .filter(|&i| data.areas[i].parent.is_none() && !data.areas[i].is_historical(today))
            .collect();
    }
    let year = a
        .year
        .unwrap_or_else(|| chrono::Datelike::year(&crate::site::today()));
    let req = Request {
        project,
        areas,
        year,
        root: &a.root,
    };
    let bytes = workbook(&cfg, &data, &req).map_err(|d| fail(vec![d]))?;
    std::fs::write(&a.output, bytes).map_err(|e| {
        fail(vec![Diagnostic::error(format!(
            "không ghi được {}: {e}",
            a.output.display()
        ))])
    })?;
    println!(
        "Đã tạo mẫu {} ({} trang tính). Điền xong, chạy: bantin import {} --dry-run",
        a.output.display(),
        req.areas.len(),
        a.output.display()
    );
    Ok(())
}
