//! The CSV path of the importer (`bantin import so-lieu.csv`): the input is the CSV file's
//! bytes. `csv_file::decode` (UTF-8 with or without BOM, UTF-16, Windows-1258, TCVN3/VNI
//! refused), `csv_file::sheet` (the open-data columns, the file's number style) and
//! `apply::plan` (the report files generated, validated with the example site's data) as
//! `bantin import --force --dry-run` runs them.
//!
//! Properties, for any bytes:
//! - nothing panics;
//! - a UTF-8 file is read as it is (without its BOM);
//! - every problem names the file (`so-lieu.csv`, `so-lieu.csv › sheet › cell`) or a data file,
//!   the file once, and has no English in it (outside what it quotes);
//! - a report the importer generates always parses as TOML (see `import_common::check_plan`).
#![no_main]

mod english;
mod import_common;

use bantin::import::csv_file::{decode, sheet};
use import_common::{check_places, check_plan, site};
use libfuzzer_sys::fuzz_target;

const SHOWN: &str = "so-lieu.csv";

fuzz_target!(|data: &[u8]| {
    let text = match decode(data, SHOWN) {
        Ok(t) => t,
        Err(d) => return check_places(&String::from_utf8_lossy(data), &[d], SHOWN),
    };
    let utf8 = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if let Ok(s) = std::str::from_utf8(utf8) {
        assert_eq!(text, s, "a UTF-8 file is read as it is");
    }
    let s = site();
    match sheet(&text, SHOWN, &s.data, s.cfg.money_unit) {
        Ok(sh) => check_plan(&text, &[sh], SHOWN),
        Err(d) => check_places(&text, &d, SHOWN),
    }
});
