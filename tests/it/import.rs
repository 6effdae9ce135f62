//! Excel out and in (issue 14): `bantin template` writes a workbook, a test fills it the way
//! staff do (numbers, numbers typed as Vietnamese text, "có"), `bantin import` reads it back,
//! and the build publishes every figure to the digit. Refusals name workbook › sheet › cell and
//! write nothing.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data as Cell, Reader};

use crate::common::*;

/// What a test types into a cell.
#[derive(Clone)]
pub(crate) enum Typed {
    Number(f64),
    Text(String),
}

/// A copy of the workbook `bytes` with `typed` (sheet, row, column → value) written in, every
/// other cell and sheet as it was (the hidden sheet stays hidden): what Excel saves after
/// staff fill the template.
pub(crate) fn fill(bytes: &[u8], typed: &BTreeMap<(String, u32, u16), Typed>) -> Vec<u8> {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let ws = out.add_worksheet();
        ws.set_name(&name).unwrap();
        if name == "_bantin" {
            ws.set_hidden(true);
        }
        for (r, c, v) in range.used_cells() {
            let (r, c) = (r as u32, c as u16);
            match v {
                Cell::String(s) => ws.write_string(r, c, s).map(|_| ()),
                Cell::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                Cell::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
                _ => Ok(()),
            }
            .unwrap();
        }
        for ((sheet, r, c), v) in typed {
            if sheet == &name {
                match v {
                    Typed::Number(f) => ws.write_number(*r, *c, *f).map(|_| ()),
                    Typed::Text(s) => ws.write_string(*r, *c, s).map(|_| ()),
                }
                .unwrap();
            }
        }
    }
    out.save_to_buffer().unwrap()
}

/// Row and column of the cell of `area_id`'s row under the column whose key is `key`.
pub(crate) fn cell_of(bytes: &[u8], sheet: &str, area_id: &str, key: &str) -> (u32, u16) {
    let mut wb = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range(sheet).unwrap();
    let keys_row = 9;
    let col = (0..range.width() as u32)
        .find(|&c| range.get_value((keys_row, c)) == Some(&Cell::String(key.into())))
        .unwrap_or_else(|| panic!("no column {key}"));
    let row = (0..range.height() as u32)
        .find(|&r| range.get_value((r, 0)) == Some(&Cell::String(area_id.into())))
        .unwrap_or_else(|| panic!("no row {area_id}"));
    (row, col as u16)
}

const REPORT: &str = "content/data/reports/du-an-8-kon-tum-2022-11.toml";

/// The example's Dự án 8 report of 30/11/2022 as figures: (area, key) → value text.
fn report_figures(text: &str) -> Vec<(String, String, toml::Value)> {
    let t: toml::Table = toml::from_str(text).unwrap();
    let mut out = Vec::new();
    let mut add = |area: &str, t: &toml::Table| {
        if let Some(b) = t.get("budget").and_then(|b| b.as_table()) {
            out.push((area.to_string(), "allocated".into(), b["allocated"].clone()));
            out.push((area.to_string(), "disbursed".into(), b["disbursed"].clone()));
            for (k, v) in b
                .get("by_source")
                .and_then(|s| s.as_table())
                .into_iter()
                .flatten()
            {
                out.push((area.to_string(), k.clone(), v.clone()));
            }
            for part in ["investment", "recurrent", "carried_over"] {
                for (k, v) in b.get(part).and_then(|s| s.as_table()).into_iter().flatten() {
                    out.push((area.to_string(), format!("{part}.{k}"), v.clone()));
                }
            }
        }
        if let Some(i) = t.get("indicators").and_then(|b| b.as_table()) {
            for (k, v) in i {
                let actual = match (&v["actual"], v.get("approximate")) {
                    (toml::Value::Integer(n), Some(toml::Value::Boolean(true))) => {
                        toml::Value::String(format!("khoảng {n}"))
                    }
                    (a, _) => a.clone(),
                };
                out.push((area.to_string(), format!("ind:{k}"), actual));
                if let Some(t) = v.get("target") {
                    out.push((area.to_string(), format!("target:{k}"), t.clone()));
                }
            }
        }
        if let Some(v) = t.get("plan_issued") {
            out.push((area.to_string(), "flag:plan_issued".into(), v.clone()));
        }
    };
    add("kon-tum", &t);
    for row in t["breakdown"].as_array().unwrap() {
        let row = row.as_table().unwrap();
        add(row["area"].as_str().unwrap(), row);
    }
    out
}

/// The published CSV of a report as sorted rows of (area, allocated, disbursed, rate, the
/// indicators, plan_issued): the figures, whatever the order of rows and extra columns.
fn published(f: &Fixture, id: &str) -> Vec<Vec<String>> {
    let text = f.read(&format!("public/du-lieu/{id}.csv"));
    let mut rdr = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers = rdr.headers().unwrap().clone();
    let keep: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !matches!(*h, "illustrative" | "minh_hoa" | "nguon" | "ngay_so_lieu"))
        .map(|(i, _)| i)
        .collect();
    let mut rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            keep.iter().map(|&i| r[i].to_string()).collect()
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn template_fill_import_build_reproduces_every_figure() {
    let f = Fixture::example();
    assert!(f.bantin(&["build"]).status.success());
    let before = published(&f, "du-an-8-kon-tum-2022-11");
    let model_before = model_report(&f);
    let original = f.read(REPORT);
    let figures = report_figures(&original);
    f.remove(REPORT);

    let out = f.bantin(&[
        "template", "du-an-8", "--area", "kon-tum", "--year", "2022", "-o", "mau.xlsx",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let template = std::fs::read(f.path("mau.xlsx")).unwrap();
    let mut typed = BTreeMap::new();
    let sheet = "Kon Tum".to_string();
    typed.insert((sheet.clone(), 4, 1), Typed::Text("30/11/2022".into()));
    let source =
        "Hội LHPN tỉnh Kon Tum, bản tin kết quả thực hiện Dự án 8 năm 2022 (đăng ngày 12/12/2022)";
    typed.insert((sheet.clone(), 5, 1), Typed::Text(source.into()));
    // the disbursement target of the report: 68,5 % by 31/12/2022
    typed.insert((sheet.clone(), 7, 1), Typed::Text("68,5".into()));
    typed.insert((sheet.clone(), 8, 1), Typed::Text("31/12/2022".into()));
    assert!(original.contains("disbursed_percent = 68.5") && original.contains("by = 2022-12-31"));
    for (n, (area, key, v)) in figures.iter().enumerate() {
        let (r, c) = cell_of(&template, &sheet, area, key);
        let value = match v {
            toml::Value::Boolean(b) => Typed::Text(if *b { "có" } else { "không" }.into()),
            // every third figure typed as text the Vietnamese way ("3.829", "540,5")
            toml::Value::Integer(i) if n % 3 == 0 => {
                Typed::Text(bantin::locale::format_number((*i).into(), None))
            }
            toml::Value::Integer(i) => Typed::Number(*i as f64),
            toml::Value::Float(x) => Typed::Number(*x),
            toml::Value::String(text) => Typed::Text(text.clone()),
            other => panic!("{other:?}"),
        };
        typed.insert((sheet.clone(), r, c), value);
    }
    f.write("mau.xlsx", fill(&template, &typed));

    let dry = f.bantin(&["import", "mau.xlsx", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(
        stdout(&dry).contains("tạo mới content/data/reports/du-an-8-kon-tum-2022-11.toml"),
        "{}",
        stdout(&dry)
    );
    assert!(
        stdout(&dry).contains("Kon Tum › Tỉnh Kon Tum › Đã giải ngân: (trống) → 1.393"),
        "{}",
        stdout(&dry)
    );
    assert!(!f.exists(REPORT), "--dry-run writes nothing");

    let out = f.bantin(&["import", "mau.xlsx"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let build = f.bantin(&["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert_eq!(published(&f, "du-an-8-kon-tum-2022-11"), before);
    // and the whole model of the report (sources, targets, estimates), rows in any order,
    // without what the template does not carry (the demo's "illustrative" marks)
    assert_eq!(model_report(&f), model_before);
}

/// The report's entry in `du-lieu.json`, comparable across a round trip.
fn model_report(f: &Fixture) -> serde_json::Value {
    let all: serde_json::Value =
        serde_json::from_str(&f.read("public/du-lieu/du-lieu.json")).unwrap();
    let mut r = all["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "du-an-8-kon-tum-2022-11")
        .unwrap()
        .clone();
    let rows = r["breakdown"].as_array_mut().unwrap();
    for row in rows.iter_mut() {
        row["flags"].as_object_mut().unwrap().remove("illustrative");
    }
    rows.sort_by_key(|row| row["area"].as_str().unwrap().to_string());
    r.as_object_mut().unwrap().remove("illustrative");
    r
}

/// A filled template with one problem typed in; the import refuses it at its cell.
fn refused_at(typed: &[(&str, &str, Typed)], expect: &[&str]) {
    let f = Fixture::example();
    let out = f.bantin(&[
        "template", "du-an-8", "--area", "kon-tum", "--year", "2023", "-o", "mau.xlsx",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let template = std::fs::read(f.path("mau.xlsx")).unwrap();
    let sheet = "Kon Tum".to_string();
    let mut cells = BTreeMap::new();
    cells.insert((sheet.clone(), 4, 1), Typed::Text("2023-10-31".into()));
    for (area, key, v) in typed {
        let (r, c) = cell_of(&template, &sheet, area, key);
        cells.insert((sheet.clone(), r, c), v.clone());
    }
    f.write("mau.xlsx", fill(&template, &cells));
    let reports = tree(&f.path("content/data/reports"));
    let out = f.bantin(&["import", "mau.xlsx"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert!(err.contains("Không nhập gì: chưa ghi tệp nào."), "{err}");
    assert!(
        reports == tree(&f.path("content/data/reports")),
        "nothing written"
    );
}

#[test]
fn a_word_in_a_number_cell_is_refused_at_its_cell() {
    refused_at(
        &[
            ("kon-tum", "allocated", Typed::Text("nhiều".into())),
            ("kon-tum", "disbursed", Typed::Number(1.0)),
        ],
        &[
            "lỗi: mau.xlsx › Kon Tum › C12: \"nhiều\" không phải số",
            "gõ một số vào ô này",
        ],
    );
}

#[test]
fn a_figure_the_rules_refuse_is_placed_at_its_cell() {
    refused_at(
        &[
            ("kon-tum", "allocated", Typed::Number(100.0)),
            ("kon-tum", "disbursed", Typed::Number(-5.0)),
        ],
        &["lỗi: mau.xlsx › Kon Tum › D12: disbursed là số âm (-5)"],
    );
}

#[test]
fn a_report_edited_since_the_template_is_not_overwritten_without_force() {
    let f = Fixture::example();
    let out = f.bantin(&[
        "template", "du-an-8", "--area", "kon-tum", "--year", "2022", "-o", "mau.xlsx",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let template = std::fs::read(f.path("mau.xlsx")).unwrap();
    let sheet = "Kon Tum".to_string();
    let mut cells = BTreeMap::new();
    cells.insert((sheet.clone(), 4, 1), Typed::Text("30/11/2022".into()));
    for (key, v) in [("allocated", 3829.0), ("disbursed", 1400.0)] {
        let (r, c) = cell_of(&template, &sheet, "kon-tum", key);
        cells.insert((sheet.clone(), r, c), Typed::Number(v));
    }
    f.write("mau.xlsx", fill(&template, &cells));
    // edited by hand after the template was made
    let edited = f.read(REPORT).replace("source = \"", "source = \"Đã sửa: ");
    f.write(REPORT, &edited);
    let out = f.bantin(&["import", "mau.xlsx"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("mau.xlsx › Kon Tum: báo cáo content/data/reports/du-an-8-kon-tum-2022-11.toml đã được sửa (hoặc tạo) sau khi làm mẫu này"), "{err}");
    assert_eq!(f.read(REPORT), edited, "nothing written");
    let out = f.bantin(&["import", "mau.xlsx", "--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Kon Tum › Tỉnh Kon Tum › Đã giải ngân: 1.393 → 1.400"),
        "{}",
        stdout(&out)
    );
    assert!(f.read(REPORT).contains("disbursed = 1400"));
}

#[test]
fn a_workbook_that_is_not_a_template_is_refused() {
    let f = Fixture::example();
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .write_string(0, 0, "Bảng tự làm")
        .unwrap();
    f.write("tu-lam.xlsx", wb.save_to_buffer().unwrap());
    let out = f.bantin(&["import", "tu-lam.xlsx"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("lỗi: tu-lam.xlsx: tệp này không phải mẫu báo cáo của bantin"),
        "{err}"
    );
    f.write("rac.xlsx", b"PK\x03\x04 not really a zip");
    let out = f.bantin(&["import", "rac.xlsx"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("lỗi: rac.xlsx: không đọc được tệp bảng tính"),
        "{}",
        stderr(&out)
    );
}

/// The open-data CSV bantin publishes imports back to the same figures; in Windows-1258 too.
#[test]
fn the_published_csv_imports_back() {
    let f = Fixture::example();
    assert!(f.bantin(&["build"]).status.success());
    let before = published(&f, "du-an-8-kon-tum-2022-11");
    let csv = f.read("public/du-lieu/du-an-8-kon-tum-2022-11.csv");
    f.remove(REPORT);
    // as a legacy Windows program saves it: Windows-1258, tones as combining marks
    let composed_bases = windows_1258_form(csv.trim_start_matches('\u{feff}'));
    let (bytes, _, bad) = encoding_rs::WINDOWS_1258.encode(&composed_bases);
    assert!(!bad, "the test text fits Windows-1258");
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8 any more");
    f.write("so-lieu.csv", &bytes);
    // the open-data CSV has no disbursement target: the article quoting it cites the 2023 one
    let article = "content/hoat-dong/ket-qua-du-an-8-nam-2022.md";
    let text = f.read(article).replace(
        "report=\"du-an-8-kon-tum-2022-11\", field=\"target",
        "report=\"du-an-8-kon-tum-2023\", field=\"target",
    );
    f.write(article, text);
    let out = f.bantin(&["import", "so-lieu.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        f.read(REPORT).contains("source = \"Hội LHPN tỉnh Kon Tum"),
        "decoded: {}",
        f.read(REPORT)
    );
    let build = f.bantin(&["build"]);
    assert!(build.status.success(), "{}", stderr(&build));
    assert_eq!(published(&f, "du-an-8-kon-tum-2022-11"), before);
    // a second import would overwrite it: not without --force
    let out = f.bantin(&["import", "so-lieu.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("báo cáo content/data/reports/du-an-8-kon-tum-2022-11.toml đã có; nhập tệp này sẽ ghi đè nó"), "{}", stderr(&out));
}

/// A CSV saved in the TCVN3 font encoding is recognised and refused with how to convert it.
#[test]
fn a_tcvn3_csv_is_refused_with_how_to_convert_it() {
    let f = Fixture::example();
    // "Huyện Đăk Hà" and "Hội LHPN" in TCVN3 (ABC)
    let mut bytes = b"ma_dia_ban,ten_dia_ban,du_toan_trieu_dong,da_giai_ngan_trieu_dong,du_an,nam,ngay_so_lieu,nguon\n".to_vec();
    bytes
        .extend_from_slice(b"kon-tum,T\xdenh Kon Tum,100,40,du-an-8,2022,2022-11-30,H\xe9i LHPN\n");
    bytes.extend_from_slice(
        b"dak-ha,Huy\xd6n \xa7\xb5k H\xb5,50,20,du-an-8,2022,2022-11-30,H\xe9i LHPN\n",
    );
    f.write("cu.csv", &bytes);
    let reports = tree(&f.path("content/data/reports"));
    let out = f.bantin(&["import", "cu.csv"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("lỗi: cu.csv: tệp dùng bảng mã TCVN3 (ABC, phông .VnTime)"),
        "{err}"
    );
    assert!(err.contains("Unikey"), "{err}");
    assert!(reports == tree(&f.path("content/data/reports")));
}

/// Text as Windows-1258 writes Vietnamese: letters with circumflex, breve or horn
/// precomposed, the five tones as combining marks after them.
fn windows_1258_form(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    const TONES: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
    let mut out = String::new();
    for c in text.nfc() {
        let d: String = std::iter::once(c).nfd().collect();
        match d.chars().find(|m| TONES.contains(m)) {
            Some(tone) => {
                let base: String = d
                    .chars()
                    .filter(|m| *m != tone)
                    .collect::<String>()
                    .nfc()
                    .collect();
                out.push_str(&base);
                out.push(tone);
            }
            None => out.push(c),
        }
    }
    out
}
