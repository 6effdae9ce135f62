//! How long `bantin import` takes on a province's whole workbook: 10 districts of 70 communes
//! (700 rows) × 10 indicators, every cell filled. Builds the site in a temporary folder, makes
//! the template with `bantin template`, fills it as staff would (numbers, some typed as
//! Vietnamese text), then times `bantin import --dry-run` and `bantin import` (whole process,
//! median of 5).
//!
//! `cargo bench --bench import_speed`

use std::io::Cursor;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use calamine::{Data as Cell, Reader};

const DISTRICTS: usize = 10;
const COMMUNES: usize = 70;
const INDICATORS: usize = 10;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path().join("site");
    site(&root);
    let exe = env!("CARGO_BIN_EXE_bantin");
    let run = |args: &[&str]| {
        let t = Instant::now();
        let out = Command::new(exe)
            .args(args)
            .current_dir(&root)
            .output()
            .expect("bantin runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        t.elapsed()
    };
    let mut args = vec!["template", "du-an-x", "--year", "2024", "-o", "mau.xlsx"];
    let ids: Vec<String> = (0..DISTRICTS).map(|d| format!("huyen-{d}")).collect();
    for id in &ids {
        args.extend(["--area", id.as_str()]);
    }
    let t = run(&args);
    println!(
        "template: {DISTRICTS} sheets × {COMMUNES} communes × {INDICATORS} indicators in {t:.2?}"
    );
    let filled = fill(&std::fs::read(root.join("mau.xlsx")).expect("template"));
    std::fs::write(root.join("mau.xlsx"), &filled).expect("filled");
    println!("filled workbook: {} KB", filled.len() / 1024);
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let dry = median(
        (0..5)
            .map(|_| run(&["import", "mau.xlsx", "--dry-run"]))
            .collect(),
    );
    println!("import --dry-run (read, validate, changes): median {dry:.2?} of 5");
    let mut full = Vec::new();
    for _ in 0..5 {
        let _ = std::fs::remove_dir_all(root.join("content/data/reports"));
        std::fs::create_dir_all(root.join("content/data/reports")).expect("reports folder");
        full.push(run(&["import", "mau.xlsx"]));
    }
    println!(
        "import (and write {DISTRICTS} report files): median {:.2?} of 5",
        median(full)
    );
}

/// A province of 10 districts of 70 communes, and a project with 10 indicators.
fn site(root: &Path) {
    let write = |rel: &str, text: String| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("folder");
        std::fs::write(p, text).expect("write");
    };
    write(
        "config.toml",
        "base_url = \"https://example.gov.vn/\"\ntitle = \"Thử\"\n".into(),
    );
    let mut areas = String::from(
        "[[area]]\nid = \"tinh\"\nname = \"Tỉnh Thử\"\nshort_name = \"Thử\"\nlevel = \"tinh\"\n",
    );
    for d in 0..DISTRICTS {
        areas += &format!("\n[[area]]\nid = \"huyen-{d}\"\nname = \"Huyện Số {d}\"\nshort_name = \"Số {d}\"\nlevel = \"huyen\"\nparent = \"tinh\"\n");
        for c in 0..COMMUNES {
            areas += &format!("\n[[area]]\nid = \"xa-{d}-{c}\"\nname = \"Xã Số {d}-{c}\"\nshort_name = \"Số {d}-{c}\"\nlevel = \"xa\"\nparent = \"huyen-{d}\"\n");
        }
    }
    write("content/data/areas.toml", areas);
    let mut programs = String::from("[[program]]\nid = \"ct\"\nname = \"Chương trình\"\n\n[[project]]\nid = \"du-an-x\"\nprogram = \"ct\"\nnumber = 1\nname = \"Dự án thử\"\n");
    for i in 0..INDICATORS {
        programs += &format!("\n[[project.indicator]]\nid = \"chi_tieu_{i}\"\nname = \"Chỉ tiêu {i}\"\nunit = \"người\"\n");
    }
    write("content/data/programs.toml", programs);
    write("content/data/reports/.keep", String::new());
    write(
        "content/_index.md",
        "+++\ntitle = \"Trang chủ\"\n+++\n".into(),
    );
}

/// The template with every figure of every commune row filled, the district totals the sums
/// (a tenth of the numbers typed as Vietnamese text), the date and source of every sheet.
fn fill(bytes: &[u8]) -> Vec<u8> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).expect("template");
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).expect("sheet");
        let ws = out.add_worksheet();
        ws.set_name(&name).expect("name");
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r as u32, c as u16);
            if let Cell::String(s) = v {
                ws.write_string(r, c, s).expect("cell");
            } else if let Cell::Float(f) = v {
                ws.write_number(r, c, *f).expect("cell");
            }
        }
        if name == "_bantin" || name == "Hướng dẫn" {
            continue;
        }
        ws.write_string(4, 1, "30/11/2024").expect("date");
        ws.write_string(5, 1, "Số liệu thử").expect("source");
        let keys: Vec<String> = (0..range.width() as u32)
            .map(|c| match range.get_value((9, c)) {
                Some(Cell::String(k)) => k.clone(),
                _ => String::new(),
            })
            .collect();
        let rows = 11 + COMMUNES as u32;
        for (c, key) in keys.iter().enumerate() {
            let c = c as u16;
            let per = |r: u32| -> Option<f64> {
                match key.as_str() {
                    "allocated" => Some(1000.0 + f64::from(r)),
                    "disbursed" => Some(400.0 + f64::from(r)),
                    k if k.starts_with("ind:") => Some(f64::from(r % 17)),
                    _ => None,
                }
            };
            let Some(_) = per(12) else { continue };
            let mut total = 0.0;
            for r in 12..rows {
                let v = per(r).expect("a figure");
                total += v;
                if r % 10 == 0 {
                    let text = bantin::locale::format_number((v as i64).into(), None);
                    ws.write_string(r, c, text).expect("cell");
                } else {
                    ws.write_number(r, c, v).expect("cell");
                }
            }
            ws.write_number(11, c, total).expect("total");
        }
    }
    out.save_to_buffer().expect("workbook")
}
