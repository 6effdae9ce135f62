//! The data loader's path for texts already in memory: `areas.toml`, `programs.toml` and
//! reports are parsed as [`load`](super::load::load) parses the files of `content/data/` and
//! validated by [`validate`](super::validate::validate), without a site folder. The fuzz target
//! `data_report` (`fuzz/`) runs every input through it.

use chrono::NaiveDate;

use super::load::{parse_text, report_from_text, RawData, AREAS_FILE, PROGRAMS_FILE};
use super::model::{AreasFile, ProgramsFile};
use super::Data;
use crate::diag::Diagnostic;
use crate::locale::normalize_text;

/// Parses and validates `content/data/areas.toml`, `content/data/programs.toml` and
/// `content/data/reports/<id>.toml` for each `(id, text)` of `reports`, given as texts (as
/// staff wrote them: a UTF-8 BOM is dropped and the text NFC-normalised, as when the files are
/// read). The data and every diagnostic, in the order `load` then `validate` give them; a file
/// that does not parse is left out, as `load` leaves it out.
pub fn check_texts(
    areas: &str,
    programs: &str,
    reports: &[(&str, &str)],
    today: NaiveDate,
) -> (Data, Vec<Diagnostic>) {
    let text = |t: &str| normalize_text(t.strip_prefix('\u{feff}').unwrap_or(t));
    let display = |name: &str| format!("content/{}/{name}", crate::config::DATA_DIR);
    let mut diags = Vec::new();
    let mut raw = RawData::default();
    match parse_text::<AreasFile>(display("areas.toml"), text(areas), AREAS_FILE, &[]) {
        Ok(v) => raw.areas = Some(v),
        Err(d) => diags.extend(d),
    }
    let programs = text(programs);
    match parse_text::<ProgramsFile>(display("programs.toml"), programs, PROGRAMS_FILE, &[]) {
        Ok(v) => raw.programs = Some(v),
        Err(d) => diags.extend(d),
    }
    for (id, report) in reports {
        let file = display(&format!("reports/{id}.toml"));
        match report_from_text(file, text(report), id.to_string()) {
            Ok(r) => raw.reports.push(r),
            Err(d) => diags.extend(d),
        }
    }
    let data = super::validate::validate(raw, today, &mut diags);
    (data, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREAS: &str = "[[area]]\nid = \"tinh-a\"\nname = \"Tỉnh A\"\nlevel = \"tinh\"\n\n[[area]]\nid = \"huyen-b\"\nname = \"Huyện B\"\nlevel = \"huyen\"\nparent = \"tinh-a\"\n";
    const PROGRAMS: &str = "[[program]]\nid = \"ct\"\nname = \"Chương trình\"\n\n[[project]]\nid = \"du-an-1\"\nprogram = \"ct\"\nname = \"Dự án một\"\n";
    const HEADER: &str = "project = \"du-an-1\"\narea = \"tinh-a\"\nyear = 2022\nas_of = 2022-10-31\nmoney_unit = \"trieu-dong\"\n";

    fn check(body: &str) -> (Data, Vec<Diagnostic>) {
        let today = NaiveDate::from_ymd_opt(2024, 7, 18).unwrap();
        check_texts(AREAS, PROGRAMS, &[("r", &format!("{HEADER}{body}"))], today)
    }

    /// (file, line, column) of each diagnostic.
    fn at(diags: &[Diagnostic]) -> Vec<(Option<&str>, Option<usize>, Option<usize>)> {
        diags
            .iter()
            .map(|d| (d.file.as_deref(), d.line, d.column))
            .collect()
    }

    #[test]
    fn a_report_text_is_loaded_and_validated_as_a_file_is() {
        let body = "[budget]\nallocated = \"1.250\"\ndisbursed = 40\n\n[[breakdown]]\narea = \"huyen-b\"\nbudget = { allocated = 1250, disbursed = 40 }\n";
        let today = NaiveDate::from_ymd_opt(2024, 7, 18).unwrap();
        let text = format!("\u{feff}{HEADER}{body}");
        let (data, diags) = check_texts(AREAS, PROGRAMS, &[("r", &text)], today);
        assert_eq!(diags, Vec::new());
        assert_eq!(data.reports.len(), 1);
        assert_eq!(data.reports[0].id, "r");
        assert_eq!(data.reports[0].rows.len(), 1);
        let budget = data.reports[0].totals.budget.as_ref().unwrap();
        assert_eq!(budget.allocated, rust_decimal::Decimal::from(1_250_000_000));

        // A bare 1.250 is refused at its file line, as `load` refuses it: no report.
        let (data, diags) = check("[budget]\nallocated = 1.250\ndisbursed = 40\n");
        assert!(data.reports.is_empty());
        let file = Some("content/data/reports/r.toml");
        assert_eq!(at(&diags), [(file, Some(7), Some(13))]);

        // A validation error names the report's line too.
        let (_, diags) = check("[budget]\nallocated = 10\ndisbursed = 40\n");
        assert_eq!(at(&diags), [(file, Some(8), Some(13))], "{diags:?}");
    }
}
