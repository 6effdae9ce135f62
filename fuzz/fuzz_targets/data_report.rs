//! The report-file path of the data loader: the input is `content/data/reports/r.toml` of a
//! site whose `areas.toml` and `programs.toml` are the example site's (plus a test project whose
//! breakdown rows have a number flag and a text flag), next to one of the example site's
//! reports (an earlier snapshot of du-an-8 / kon-tum / 2022, so that the checks between
//! snapshots of one report run on the input too). It goes through `data::in_memory::check_texts`:
//! the parser, the staff-habit checks (`1.250`, `540,5`, dates, quotes, misplaced keys) and
//! every validation rule, as `bantin build` runs them on files.
//!
//! Properties, for any UTF-8 input:
//! - nothing panics (no overflow in the figures, rates and sums of any value);
//! - every diagnostic names a data file and a line and column in it;
//! - no message has English in it (outside what it quotes): see `english.rs`.
//!
//! `FUZZ_SHOW=1 cargo +nightly fuzz run data_report INPUT` prints the diagnostics.
#![no_main]

mod english;

use bantin::data::in_memory::check_texts;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

const AREAS: &str = include_str!("../../content/data/areas.toml");

const PROGRAMS: &str = concat!(
    include_str!("../../content/data/programs.toml"),
    r#"
[[project]]
id = "du-an-thu"
program = "ctmtqg-1719"
name = "Dự án thử của fuzz"

[[project.indicator]]
id = "lop"
name = "Lớp"
unit = "lớp"

[[project.flag]]
id = "ty_le_ho"
name = "Tỷ lệ hộ tham gia"
kind = "so"
unit = "%"

[[project.flag]]
id = "ghi_chu"
name = "Ghi chú"
kind = "chu"
"#
);

const EARLIER: (&str, &str) = (
    "du-an-8-kon-tum-2022-08",
    include_str!("../../content/data/reports/du-an-8-kon-tum-2022-08.toml"),
);

fn lines(s: &str) -> usize {
    s.split('\n').count()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let today = NaiveDate::from_ymd_opt(2024, 7, 18).unwrap();
    let (_, diags) = check_texts(AREAS, PROGRAMS, &[EARLIER, ("r", text)], today);
    if std::env::var_os("FUZZ_SHOW").is_some() {
        diags.iter().for_each(|d| eprintln!("{d}"));
    }
    for d in &diags {
        let file = d.file.as_deref();
        let source = match file {
            Some("content/data/reports/r.toml") => text,
            Some("content/data/reports/du-an-8-kon-tum-2022-08.toml") => EARLIER.1,
            Some("content/data/areas.toml") => AREAS,
            Some("content/data/programs.toml") => PROGRAMS,
            _ => panic!("{text:?}: a diagnostic in no data file: {d}"),
        };
        let (Some(l), Some(c)) = (d.line, d.column) else {
            panic!("{text:?}: a diagnostic without a line and column: {d}");
        };
        let said = format!("{} {}", d.message, d.hint.as_deref().unwrap_or(""));
        if let Some(word) = english::english_in(&said, text) {
            panic!("{text:?}: English ({word:?}) in a message: {d}");
        }
        assert!(
            (1..=lines(source)).contains(&l) && c >= 1,
            "{text:?}: {d} is not at a line of {file:?} ({} lines)",
            lines(source)
        );
    }
});
