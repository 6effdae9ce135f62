//! The workbook path of the importer (`bantin import mau.xlsx`). The input is either a
//! workbook's bytes (starting `PK`: read as it is) or, to reach the importer's own code past
//! the zip and XML layers, a fill of the example site's template for du-an-8 / kon-tum / 2022
//! (made once with `import::template::workbook`), one cell per line:
//!
//! ```text
//! !Kon Tum        the sheet the next lines write to (default: the first area sheet)
//! B5=30/11/2022   a cell typed as text
//! D12#3829        a cell typed as a number
//! ```
//!
//! The filled workbook is written with rust_xlsxwriter (as Excel saves it), read back by
//! `read::workbook` and planned by `apply::plan` with the example site's data, as
//! `bantin import --force --dry-run` does.
//!
//! Properties, for any input:
//! - nothing panics;
//! - every problem names the workbook (`mau.xlsx`, `mau.xlsx › sheet › cell`) or a data file,
//!   the file once, and has no English in it (outside what it quotes);
//! - a report the importer generates always parses as TOML (see `import_common::check_plan`).
#![no_main]

mod english;
mod import_common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::OnceLock;

use bantin::import::read::workbook;
use bantin::import::template::{self, Request};
use calamine::{Data as Cell, Reader};
use import_common::{check_places, check_plan, site};
use libfuzzer_sys::fuzz_target;

const SHOWN: &str = "mau.xlsx";

/// A typed cell.
#[derive(Debug, Clone)]
enum Typed {
    Text(String),
    Number(f64),
}

/// The template's sheets in order: name, hidden, cells.
type Cells = Vec<(String, bool, BTreeMap<(u32, u16), Typed>)>;

fn template() -> &'static Cells {
    static TEMPLATE: OnceLock<Cells> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let s = site();
        let req = Request {
            project: s.data.project_index["du-an-8"],
            areas: vec![s.data.area_index["kon-tum"]],
            year: 2022,
            root: &s.root,
        };
        let bytes = template::workbook(&s.cfg, &s.data, &req).expect("the template");
        let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
        wb.sheet_names()
            .into_iter()
            .map(|name| {
                let range = wb.worksheet_range(&name).unwrap();
                let cells = range
                    .used_cells()
                    .filter_map(|(r, c, v)| {
                        let t = match v {
                            Cell::String(s) => Typed::Text(s.clone()),
                            Cell::Float(f) => Typed::Number(*f),
                            Cell::Int(i) => Typed::Number(*i as f64),
                            _ => return None,
                        };
                        Some(((r as u32, c as u16), t))
                    })
                    .collect();
                (name.clone(), name == bantin::import::META_SHEET, cells)
            })
            .collect()
    })
}

/// `C12` → (row 11, column 2).
fn cell(name: &str) -> Option<(u32, u16)> {
    let letters = name.bytes().take_while(u8::is_ascii_uppercase).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = name[..letters]
        .bytes()
        .fold(0u32, |c, b| c * 26 + u32::from(b - b'A') + 1);
    let row: u32 = name[letters..].parse().ok()?;
    ((1..=1000).contains(&row) && col <= 200).then(|| (row - 1, (col - 1) as u16))
}

/// The template with `fill` typed in, saved as a workbook.
fn filled(fill: &str) -> Vec<u8> {
    let mut sheets = template().clone();
    let mut current = 1.min(sheets.len() - 1);
    for line in fill.lines() {
        if let Some(name) = line.strip_prefix('!') {
            if let Some(i) = sheets.iter().position(|(n, _, _)| n == name) {
                current = i;
            }
            continue;
        }
        let Some(at) = line.find(['=', '#']) else {
            continue;
        };
        let Some(rc) = cell(&line[..at]) else {
            continue;
        };
        let value = &line[at + 1..];
        let typed = match (&line[at..at + 1], value.parse::<f64>()) {
            ("#", Ok(f)) if f.is_finite() => Typed::Number(f),
            _ => Typed::Text(value.to_string()),
        };
        sheets[current].2.insert(rc, typed);
    }
    let mut out = rust_xlsxwriter::Workbook::new();
    for (name, hidden, cells) in &sheets {
        let ws = out.add_worksheet();
        ws.set_name(name).unwrap();
        ws.set_hidden(*hidden);
        for (&(r, c), v) in cells {
            let written = match v {
                Typed::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                Typed::Number(f) => ws.write_number(r, c, *f).map(|_| ()),
            };
            // A string longer than Excel takes is not typed, as in Excel.
            let _ = written;
        }
    }
    out.save_to_buffer().unwrap()
}

fuzz_target!(|data: &[u8]| {
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        let Ok(fill) = std::str::from_utf8(data) else {
            return;
        };
        filled(fill)
    };
    let input = String::from_utf8_lossy(data);
    match workbook(&bytes, SHOWN) {
        Ok(sheets) => check_plan(&input, &sheets, SHOWN),
        Err(d) => check_places(&input, &d, SHOWN),
    }
});
