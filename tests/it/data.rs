//! Activity data: loading, validation errors with file:line, exact computations.

use crate::common::*;
use bantin::site::{Site, SiteOptions};
use rust_decimal::Decimal;

fn load(f: &Fixture) -> (Site, Vec<bantin::diag::Diagnostic>) {
    let (site, diags) = Site::load(&f.root, &SiteOptions::default());
    (site.expect("site"), diags)
}

fn messages(diags: &[bantin::diag::Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_seed_report_is_modelled_exactly() {
    let f = Fixture::example();
    let (site, diags) = load(&f);
    assert!(diags.iter().all(|d| !d.is_error()), "{}", messages(&diags));
    let data = site.data.as_ref().unwrap();
    let r = &data.reports[data.report_index["du-an-8-kon-tum-2022-11"]];
    let b = r.totals.budget.as_ref().unwrap();
    let million = Decimal::from(1_000_000);
    assert_eq!(b.allocated, Decimal::from(3829) * million);
    assert_eq!(b.disbursed, Decimal::from(1393) * million);
    let rate = b.rate().unwrap();
    assert_eq!(bantin::locale::format_percent(rate, Some(2)), "36,38%");
    assert_eq!(
        b.targets,
        vec![(
            chrono::NaiveDate::from_ymd_opt(2022, 12, 31).unwrap(),
            Decimal::new(685, 1)
        )]
    );
    assert_eq!(
        r.totals.indicators["hoi_nghi_tap_huan"].actual.0,
        Decimal::from(17)
    );
    assert!(r.totals.indicators["nguoi_tap_huan"].approximate);
    assert!(!r.illustrative);
    assert_eq!(r.rows.len(), 10);
    let issued = r
        .rows
        .iter()
        .filter(|row| row.flags.get("plan_issued") == Some(&toml::Value::Boolean(true)))
        .count();
    assert_eq!(issued, 8);
    // the breakdown sums equal the totals
    let sum: Decimal = r
        .rows
        .iter()
        .map(|row| row.figures.budget.as_ref().unwrap().disbursed)
        .sum();
    assert_eq!(sum, b.disbursed);
    // ten districts, abolished in 2025
    let districts: Vec<_> = data
        .areas
        .iter()
        .filter(|a| a.level == bantin::data::Level::Huyen)
        .collect();
    assert_eq!(districts.len(), 10);
    assert!(districts
        .iter()
        .all(|a| a.valid_to == chrono::NaiveDate::from_ymd_opt(2025, 6, 30)));
}

fn with_report(extra: &str, body: &str) -> Fixture {
    let f = Fixture::example();
    f.write(&format!("content/data/reports/{extra}.toml"), body);
    f
}

const HEAD: &str = "project = \"du-an-8\"\narea = \"kon-tum\"\nyear = 2022\nas_of = 2022-10-31\nmoney_unit = \"trieu-dong\"\nsource = \"x\"\n";

#[test]
fn unknown_ids_are_errors_with_file_line_and_a_suggestion() {
    let f = with_report(
        "sai-ma",
        "project = \"du-an-80\"\narea = \"dak-gle\"\nyear = 2022\nas_of = 2022-10-31\nmoney_unit = \"trieu-dong\"\n",
    );
    let (_, diags) = load(&f);
    let m = messages(&diags);
    assert!(
        m.contains("content/data/reports/sai-ma.toml:1:11") && m.contains("`du-an-8`?"),
        "{m}"
    );
    assert!(
        m.contains("content/data/reports/sai-ma.toml:2:8") && m.contains("`dak-glei`"),
        "{m}"
    );
}

#[test]
fn area_aliases_drive_the_suggestion() {
    let f = with_report(
        "bi-danh",
        &HEAD.replace("area = \"kon-tum\"", "area = \"Đắk Hà\""),
    );
    let (_, diags) = load(&f);
    let m = messages(&diags);
    assert!(m.contains("`dak-ha` (Huyện Đăk Hà)"), "{m}");
}

#[test]
fn figures_are_checked() {
    let cases: &[(&str, &str, &str)] = &[
        ("am", "[budget]\nallocated = -5\ndisbursed = 0\n", "số âm"),
        (
            "vuot",
            "[budget]\nallocated = 100\ndisbursed = 120\n",
            "lớn hơn dự toán",
        ),
        ("don-vi", "", "đơn vị tiền"),
        ("ngoai-nam", "", "không thuộc năm báo cáo 2022"),
        (
            "chi-tieu",
            "[indicators]\nto_truyen_thog = { actual = 3 }\n",
            "`to_truyen_thong`?",
        ),
        (
            "duoi-cap",
            "[[breakdown]]\narea = \"quang-ngai\"\n",
            "không thuộc Tỉnh Kon Tum",
        ),
    ];
    for (name, tail, expect) in cases {
        let mut head = HEAD.to_string();
        if *name == "don-vi" {
            head = head.replace("trieu-dong", "trieu");
        }
        if *name == "ngoai-nam" {
            head = head.replace("as_of = 2022-10-31", "as_of = 2023-01-05");
        }
        let f = with_report(name, &format!("{head}{tail}"));
        let (_, diags) = load(&f);
        let m = messages(&diags);
        assert!(
            m.contains(&format!("content/data/reports/{name}.toml:")),
            "{name}: {m}"
        );
        assert!(m.contains(expect), "{name}: expected {expect:?} in {m}");
        assert!(diags.iter().any(|d| d.is_error()), "{name}");
    }
}

#[test]
fn report_after_an_area_was_abolished_is_an_error_naming_the_successor() {
    let f = with_report(
        "sau-sap-nhap",
        &HEAD.replace(
            "year = 2022\nas_of = 2022-10-31",
            "year = 2025\nas_of = 2025-09-30",
        ),
    );
    let (_, diags) = load(&f);
    let m = messages(&diags);
    assert!(
        m.contains("hết hiệu lực") && m.contains("`quang-ngai`"),
        "{m}"
    );
}

#[test]
fn breakdown_not_summing_to_the_total_is_a_warning_naming_both_numbers_and_an_error_under_strict() {
    let f = with_report(
        "lech",
        &format!("{HEAD}[budget]\nallocated = 1000\ndisbursed = 400\n\n[[breakdown]]\narea = \"dak-ha\"\nbudget = {{ allocated = 600, disbursed = 200 }}\n\n[[breakdown]]\narea = \"dak-to\"\nbudget = {{ allocated = 300, disbursed = 200 }}\n"),
    );
    let (_, diags) = load(&f);
    let warn: Vec<_> = diags
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(
        warn.iter().any(|w| w.contains("900 triệu đồng")
            && w.contains("1.000 triệu đồng")
            && w.contains("lech.toml:8:")),
        "{warn:?}"
    );
    assert!(diags.iter().all(|d| !d.is_error()), "{}", messages(&diags));
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let strict = f.bantin(&["build", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains("lỗi: content/data/reports/lech.toml:8:"),
        "{}",
        stderr(&strict)
    );
}

#[test]
fn duplicate_ids_and_unknown_article_ids_are_errors() {
    let f = Fixture::example();
    let areas = f.read("content/data/areas.toml");
    f.write(
        "content/data/areas.toml",
        format!("{areas}\n[[area]]\nid = \"dak-ha\"\nname = \"Trùng\"\nlevel = \"huyen\"\n"),
    );
    f.write(
        "content/tin-tuc/sai-dia-ban.md",
        "+++\ntitle = \"x\"\nareas = [\"kon-plog\"]\nprojects = [\"du-an-88\"]\n+++\n",
    );
    let (_, diags) = load(&f);
    let m = messages(&diags);
    assert!(
        m.contains("content/data/areas.toml:") && m.contains("\"dak-ha\" bị trùng"),
        "{m}"
    );
    assert!(
        m.contains("content/tin-tuc/sai-dia-ban.md:3:") && m.contains("`kon-plong`"),
        "{m}"
    );
    assert!(
        m.contains("content/tin-tuc/sai-dia-ban.md:4:") && m.contains("du-an-88"),
        "{m}"
    );
}

#[test]
fn broken_data_toml_reports_the_line() {
    let f = Fixture::example();
    f.write(
        "content/data/reports/hong.toml",
        "project = \"du-an-8\"\narea = \"kon-tum\nyear = 2022\n",
    );
    let (_, diags) = load(&f);
    let m = messages(&diags);
    assert!(m.contains("content/data/reports/hong.toml:2:"), "{m}");
}
