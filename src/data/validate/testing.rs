//! Test helpers: raw data from small TOML texts, validated, diagnostics as staff read them.

use serde::de::DeserializeOwned;

use crate::data::load::{RawData, Src};
use crate::data::Data;

fn parsed<T: DeserializeOwned>(display: &str, text: &str) -> (Src, T) {
    let value = toml::from_str(text).unwrap_or_else(|e| panic!("{display}: {e}"));
    let src = Src {
        display: display.to_string(),
        text: text.to_string(),
    };
    (src, value)
}

/// Raw data as `load` reads it: `areas.toml`, `programs.toml` and `reports/<id>.toml` texts.
pub fn raw(areas: &str, programs: &str, reports: &[(&str, &str)]) -> RawData {
    RawData {
        areas: Some(parsed("content/data/areas.toml", areas)),
        programs: Some(parsed("content/data/programs.toml", programs)),
        reports: reports
            .iter()
            .map(|(id, text)| {
                let (src, r) = parsed(&format!("content/data/reports/{id}.toml"), text);
                (src, id.to_string(), r)
            })
            .collect(),
    }
}

/// Validates `raw`: the data and every diagnostic, in order, as printed.
pub fn check(raw: RawData) -> (Data, Vec<String>) {
    let mut diags = Vec::new();
    let today = chrono::NaiveDate::from_ymd_opt(2024, 7, 18).unwrap();
    let data = super::validate(raw, today, &mut diags);
    (data, diags.iter().map(|d| d.to_string()).collect())
}

/// An error as printed: `at` is `file:line:column: message`.
pub fn err(at: &str, hint: &str) -> String {
    format!("lỗi: {at}\n  → cách sửa: {hint}")
}

/// A warning as printed.
pub fn warn(at: &str, hint: &str) -> String {
    format!("cảnh báo: {at}\n  → cách sửa: {hint}")
}

/// An error without a hint.
pub fn err_no_hint(at: &str) -> String {
    format!("lỗi: {at}")
}

/// A warning without a hint.
pub fn warn_no_hint(at: &str) -> String {
    format!("cảnh báo: {at}")
}

/// A province with two districts (one abolished) and a commune, and a province of elsewhere.
pub const AREAS: &str = r#"[[area]]
id = "tinh-a"
name = "Tỉnh A"
level = "tinh"

[[area]]
id = "huyen-b"
name = "Huyện B"
short_name = "B"
level = "huyen"
parent = "tinh-a"
valid_to = 2025-06-30
successor = "tinh-a"

[[area]]
id = "huyen-c"
name = "Huyện C"
short_name = "C"
level = "huyen"
parent = "tinh-a"
aliases = ["Huyện Xê"]

[[area]]
id = "tinh-d"
name = "Tỉnh D"
level = "tinh"
"#;

/// A programme and one project with two indicators.
pub const PROGRAMS: &str = r#"[[program]]
id = "ct"
name = "Chương trình"

[[project]]
id = "du-an-1"
program = "ct"
number = 1
name = "Dự án một"

[[project.indicator]]
id = "lop"
name = "Lớp"
unit = "lớp"

[[project.indicator]]
id = "nguoi"
name = "Người"
unit = "người"

[[project.flag]]
id = "plan_issued"
name = "Kế hoạch thực hiện"
kind = "co-khong"

[[project.flag]]
id = "share"
name = "Tỷ lệ hộ tham gia"
kind = "so"
"#;

/// A report of `du-an-1` for `tinh-a` in 2022, in millions of đồng, followed by `body`.
pub fn report(body: &str) -> String {
    format!(
        "project = \"du-an-1\"\narea = \"tinh-a\"\nyear = 2022\nas_of = 2022-10-31\nmoney_unit = \"trieu-dong\"\n{body}"
    )
}

/// A body that every rule accepts: budget, target, indicators and two rows adding up.
pub const GOOD_BODY: &str = r#"[budget]
allocated = 100
disbursed = 40
[[budget.target]]
by = 2022-12-31
disbursed_percent = 60

[indicators]
lop = { actual = 3 }

[[breakdown]]
area = "huyen-b"
budget = { allocated = 60, disbursed = 10 }
indicators = { lop = { actual = 1 } }

[[breakdown]]
area = "huyen-c"
plan_issued = true
budget = { allocated = 40, disbursed = 30 }
indicators = { lop = { actual = 2 } }
"#;
