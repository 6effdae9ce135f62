//! Pages and files generated from activity data.

use crate::common::*;

#[test]
fn area_pages_list_exactly_the_articles_tagged_with_them() {
    let f = built_example();
    for (area, dir) in [
        ("dak-ha", "public/dia-ban/dak-ha/"),
        ("kon-plong", "public/dia-ban/kon-plong/"),
        ("ngoc-hoi", "public/dia-ban/ngoc-hoi/"),
    ] {
        // expected: articles whose front matter areas include the id (drafts excluded)
        let mut expected = Vec::new();
        for e in walkdir::WalkDir::new(f.path("content"))
            .into_iter()
            .flatten()
        {
            if e.path().extension().is_some_and(|x| x == "md")
                && !e.path().starts_with(f.path("content/data"))
            {
                let text = std::fs::read_to_string(e.path()).unwrap();
                let fm = text.split("+++").nth(1).unwrap();
                if fm.contains("draft = true") {
                    continue;
                }
                if let Some(line) = fm.lines().find(|l| l.starts_with("areas")) {
                    if line.contains(&format!("\"{area}\"")) {
                        let title = fm.lines().find(|l| l.starts_with("title")).unwrap();
                        expected.push(title.split('"').nth(1).unwrap().to_string());
                    }
                }
            }
        }
        let mut shown = Vec::new();
        let mut page = format!("{dir}index.html");
        loop {
            let doc = f.html(&page);
            shown.extend(
                select(&doc, "main .ds-bai .the-bai__tieu-de a")
                    .iter()
                    .map(text),
            );
            match select(&doc, "main a[rel=next]").first() {
                Some(a) => page = format!("public{}index.html", a.value().attr("href").unwrap()),
                None => break,
            }
        }
        expected.sort();
        shown.sort();
        assert_eq!(shown, expected, "{area}");
    }
}

#[test]
fn area_list_is_sorted_in_vietnamese_order_and_marks_historical_areas() {
    let f = built_example();
    let doc = f.html("public/dia-ban/index.html");
    let names: Vec<String> = select(
        &doc,
        "#cap-huyen + .bang tbody th a, section:nth-of-type(2) tbody th a",
    )
    .iter()
    .map(text)
    .collect();
    let names: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("Huyện") || n.starts_with("Thành phố"))
        .collect();
    let short: Vec<String> = names
        .iter()
        .map(|n| n.trim_start_matches("Huyện ").to_string())
        .collect();
    assert_eq!(
        short,
        [
            "Đăk Glei",
            "Đăk Hà",
            "Đăk Tô",
            "Ia H'Drai",
            "Kon Plông",
            "Kon Rẫy",
            "Ngọc Hồi",
            "Sa Thầy",
            "Thành phố Kon Tum",
            "Tu Mơ Rông"
        ],
    );
    // built on 18/07/2024 the districts still exist
    assert!(!main_text(&doc).contains("đã giải thể"));
    // built in 2026, after the 2025 reform, they are historical
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
        .arg("build")
        .current_dir(&f.root)
        .env("SOURCE_DATE_EPOCH", "1780000000")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let main = main_text(&f.html("public/dia-ban/index.html"));
    assert!(
        main.contains("Huyện Kon Plông 920")
            || main.contains("Kon Plông (đã giải thể từ 30/06/2025)"),
        "{main}"
    );
    assert!(main.contains("(đã giải thể từ 30/06/2025)"), "{main}");
    let area = main_text(&f.html("public/dia-ban/kon-plong/index.html"));
    assert!(area.contains("Địa bàn lịch sử"), "{area}");
    let province = main_text(&f.html("public/dia-ban/kon-tum/index.html"));
    assert!(
        province.contains("Địa bàn kế thừa: Tỉnh Quảng Ngãi"),
        "{province}"
    );
}

#[test]
fn seed_figures_are_computed_exactly_and_illustrative_data_is_flagged() {
    let f = built_example();
    let province = main_text(&f.html("public/dia-ban/kon-tum/index.html"));
    // the latest report of du-an-8 for the province is 2024 (illustrative); the project page
    // shows the per-year table with the seed's 2022 figures
    let project = main_text(&f.html("public/du-an/du-an-8/index.html"));
    assert!(
        project.contains("3.829 triệu đồng") && project.contains("1.393 triệu đồng"),
        "{project}"
    );
    assert!(project.contains("36,38%"), "{project}");
    assert!(project.contains("Số liệu minh họa"), "{project}");
    assert!(province.contains("Số liệu minh họa"), "{province}");
    // the seed article states its figures from the data
    let article = main_text(&f.html("public/hoat-dong/ket-qua-du-an-8-nam-2022/index.html"));
    assert!(article.contains("được giao 3.829 triệu đồng"), "{article}");
    assert!(
        article.contains(
            "ngày 30/11/2022, số đã giải ngân là 1.393 triệu đồng, tương đương 36,38% dự toán"
        ),
        "{article}"
    );
    assert!(
        article.contains("mục tiêu đến ngày 31/12/2022 giải ngân 68,5%"),
        "{article}"
    );
    let overview = main_text(&f.html("public/tong-quan/index.html"));
    assert!(
        overview.contains("36,38%") || overview.contains("72,0"),
        "{overview}"
    );
}

#[test]
fn csv_has_a_bom_round_trips_and_neutralises_formulas() {
    let f = Fixture::example();
    // a hostile source text in a report
    let r = f
        .read("content/data/reports/du-an-5-kon-tum-2023.toml")
        .replace(
            "source = \"Số liệu minh họa cho trang mẫu bantin\"",
            "source = \"=HYPERLINK(\\\"http://x\\\")\"",
        );
    f.write("content/data/reports/du-an-5-kon-tum-2023.toml", r);
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(f.path("public/du-lieu/du-an-8-kon-tum-2022-11.csv")).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "ma_dia_ban");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 11, "province + 10 districts");
    assert_eq!(&rows[0][0], "kon-tum");
    assert_eq!(&rows[0][3], "3829");
    assert_eq!(&rows[0][4], "1393");
    assert_eq!(&rows[0][5], "36.38");
    let sum: u32 = rows[1..].iter().map(|r| r[4].parse::<u32>().unwrap()).sum();
    assert_eq!(sum, 1393);
    assert!(rows.iter().any(|r| &r[1] == "Huyện Ia H'Drai"));
    let hostile =
        std::fs::read_to_string(f.path("public/du-lieu/du-an-5-kon-tum-2023.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(hostile.trim_start_matches('\u{feff}').as_bytes());
    for r in rdr.records() {
        let r = r.unwrap();
        assert!(r.iter().all(|c| !c.starts_with('=')), "{r:?}");
    }
}

#[test]
fn json_holds_the_whole_model_with_rates() {
    let f = built_example();
    let v: serde_json::Value =
        serde_json::from_str(&f.read("public/du-lieu/du-lieu.json")).unwrap();
    assert_eq!(v["areas"].as_array().unwrap().len(), 12);
    let r = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "du-an-8-kon-tum-2022-11")
        .unwrap();
    assert_eq!(r["totals"]["budget"]["allocated"], "3829");
    assert_eq!(r["totals"]["budget"]["disbursed_percent"], "36.38");
    assert_eq!(r["illustrative"], false);
    assert_eq!(r["breakdown"].as_array().unwrap().len(), 10);
    // linked from area and project pages
    for page in [
        "public/dia-ban/dak-ha/index.html",
        "public/du-an/du-an-8/index.html",
    ] {
        let doc = f.html(page);
        let links: Vec<&str> = select(&doc, "main a[download]")
            .iter()
            .map(|a| a.value().attr("href").unwrap())
            .collect();
        assert!(
            links.contains(&"/du-lieu/du-lieu.json"),
            "{page}: {links:?}"
        );
        assert!(
            links.iter().any(|l| l.ends_with(".csv")),
            "{page}: {links:?}"
        );
    }
}

#[test]
fn shortcode_with_unknown_id_is_a_build_error_at_the_article_line() {
    let f = Fixture::example();
    f.write(
        "content/tin-tuc/sai-so-lieu.md",
        "+++\ntitle = \"Sai\"\ndate = 2024-01-01\n+++\n\nĐoạn một.\n\nGiải ngân {{ so_lieu(report=\"du-an-8-kon-tum-2022-12\", field=\"disbursed\") }}.\n\n{{ bieu_do(project=\"du-an-80\") }}\n\n{{ so_lieu(report=\"du-an-8-kon-tum-2022-11\", field=\"giai_ngan\") }}\n",
    );
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/tin-tuc/sai-so-lieu.md:8:11")
            && err.contains("`du-an-8-kon-tum-2022-11`"),
        "{err}"
    );
    assert!(
        err.contains("content/tin-tuc/sai-so-lieu.md:10:1") && err.contains("du-an-80"),
        "{err}"
    );
    assert!(
        err.contains("content/tin-tuc/sai-so-lieu.md:12:1") && err.contains("giai_ngan"),
        "{err}"
    );
}

/// (A shortcode call bantin does not have is an error, see `tests/it/bad_input.rs`; Zola's escape
/// shows one as text.)
#[test]
fn content_curly_braces_are_never_evaluated_as_templates() {
    let f = Fixture::example();
    f.write(
        "content/tin-tuc/ngoac.md",
        "+++\ntitle = \"{{ config.title }} {% if true %}x{% endif %}\"\ndate = 2024-01-01\n+++\n\nVăn bản {{ config.base_url }} và {% raw %} và {{/* khac() */}}.\n",
    );
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = f.html("public/tin-tuc/ngoac/index.html");
    assert_eq!(
        text(&select(&doc, "main h1")[0]),
        "{{ config.title }} {% if true %}x{% endif %}"
    );
    assert!(main_text(&doc).contains("Văn bản {{ config.base_url }} và {% raw %} và {{ khac() }}."));
}

#[test]
fn search_page_index_and_header_box_are_built_under_the_base_path() {
    let f = Fixture::example();
    let out = f.bantin(&["build", "--base-url", "http://127.0.0.1:9/bantin/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = f.html("public/tim-kiem/index.html");
    let form = select(&doc, "main form[role=search]");
    assert_eq!(form[0].value().attr("action"), Some("/bantin/tim-kiem/"));
    assert!(!select(&doc, "main noscript").is_empty(), "no-JS message");
    // every page has the header box pointing at the search page
    let home = f.html("public/index.html");
    let header_form = select(&home, "header form[role=search]");
    assert_eq!(
        header_form[0].value().attr("action"),
        Some("/bantin/tim-kiem/")
    );
    assert!(f.exists("public/js/tim-kiem.js"));
    // the index holds the articles and the data pages, with URLs under the base path (in the
    // document files, one per document)
    let meta = f.read("public/tim-kiem/chi-muc/meta.json");
    let v: serde_json::Value = serde_json::from_str(&meta).unwrap();
    assert!(v.is_object());
    let files: Vec<(String, Vec<u8>)> = tree(&f.path("public"))
        .into_iter()
        .filter(|(p, _)| p.starts_with("tim-kiem/chi-muc/"))
        .collect();
    let urls: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.starts_with("tim-kiem/chi-muc/bai/"))
        .flat_map(|(_, b)| serde_json::from_slice::<Vec<serde_json::Value>>(b).unwrap())
        .map(|d| d[1].as_str().unwrap().to_string())
        .collect();
    assert_eq!(urls.len(), v["n"].as_u64().unwrap() as usize);
    for url in [
        "/bantin/hoat-dong/ket-qua-du-an-8-nam-2022/",
        "/bantin/dia-ban/kon-plong/",
    ] {
        assert!(urls.iter().any(|u| u == url), "{url}: {urls:?}");
    }
    // and answers accent-insensitive queries through the Rust mirror of the client
    for q in ["binh dang gioi", "BÌNH ĐẲNG GIỚI", "bình đẳng giới"] {
        let hits = bantin::search::search(&files, q);
        assert_eq!(
            hits.first().map(String::as_str),
            Some("/bantin/hoat-dong/ket-qua-du-an-8-nam-2022/"),
            "{q}: {hits:?}"
        );
    }
    let hits = bantin::search::search(&files, "kon plong");
    assert!(
        hits.iter().any(|h| h == "/bantin/dia-ban/kon-plong/"),
        "{hits:?}"
    );
}

#[test]
fn charts_are_valid_svg_with_title_desc_and_a_table_of_the_same_numbers() {
    let f = built_example();
    let html = f.read("public/du-an/du-an-8/index.html");
    let doc = scraper::Html::parse_document(&html);
    let figures = select(&doc, "main figure.bieu-do");
    assert!(
        figures.len() >= 3,
        "progress, timeline and comparison expected"
    );
    for fig in figures {
        let svg_html = select_in(&fig, "svg")
            .first()
            .map(|s| s.html())
            .expect("svg in figure");
        let svg =
            roxmltree::Document::parse(&svg_html).unwrap_or_else(|e| panic!("{e}: {svg_html}"));
        let root = svg.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let title = root
            .children()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text())
            .unwrap_or("");
        let desc = root
            .children()
            .find(|n| n.has_tag_name("desc"))
            .and_then(|n| n.text())
            .unwrap_or("");
        assert!(!title.is_empty() && !desc.is_empty(), "{svg_html}");
        // a table of the same numbers, except under the progress figure: the cards above it
        // give its two numbers, and a one-row table repeated them
        let gauge = fig
            .value()
            .attr("class")
            .unwrap()
            .contains("bieu-do--tien-do");
        assert_eq!(
            select_in(&fig, "table caption").is_empty(),
            gauge,
            "paired table"
        );
        // under every chart: source, date, unit (money charts) and the report's CSV
        let note = select_in(&fig, ".bieu-do__nguon")
            .first()
            .map(text)
            .unwrap_or_default();
        assert!(
            note.starts_with("Nguồn: Số liệu minh họa cho trang mẫu bantin. Số liệu đến "),
            "{note}"
        );
        assert!(gauge || note.contains("Đơn vị: triệu đồng."), "{note}");
        let csv = select_in(&fig, ".bieu-do__nguon a[download]");
        let href = csv
            .first()
            .and_then(|a| a.value().attr("href"))
            .unwrap_or("");
        assert!(
            href.starts_with("/du-lieu/du-an-8-kon-tum-20") && href.ends_with(".csv"),
            "{note}"
        );
        assert!(f.exists(&format!("public{href}")), "{href}");
    }
    // the comparison chart: every value printed on a bar is in the table, in the same order
    let fig = select(&doc, "#ss-du-an-8");
    let svg_html = select_in(&fig[0], "svg")[0].html();
    let svg = roxmltree::Document::parse(&svg_html).unwrap();
    let on_bars: Vec<String> = svg
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.contains("bieu-do__gia-tri"))
        })
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    let mut in_table = Vec::new();
    for row in select_in(&fig[0], "tbody tr") {
        let cells: Vec<String> = select_in(&row, "td.so").iter().map(text).collect();
        in_table.extend(cells.into_iter().take(2));
    }
    assert_eq!(on_bars.len(), 20, "10 districts × 2 bars: {on_bars:?}");
    assert_eq!(on_bars, in_table);
    assert!(in_table.contains(&"3.686".to_string()) || in_table.contains(&"420".to_string()));
}

/// A province's area page compares its districts from its own report's breakdown (chart and
/// table), and a project whose only report is one district's never shows it as the project's
/// progress.
#[test]
fn pages_say_whose_figures_they_show() {
    let f = Fixture::example();
    f.write(
        "content/data/reports/du-an-4-dak-to-2022.toml",
        "project = \"du-an-4\"\narea = \"dak-to\"\nyear = 2022\nas_of = 2022-11-30\nmoney_unit = \"trieu-dong\"\nsource = \"UBND huyện Đăk Tô\"\n\n[budget]\nallocated = 500\ndisbursed = 200\n",
    );
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let area = f.html("public/dia-ban/kon-tum/index.html");
    // Dự án 5's latest Kon Tum report has 4 district rows; Dự án 8's (2024) has none
    let charts = select(&area, "figure#ss-kon-tum-du-an-5");
    assert_eq!(
        charts.len(),
        1,
        "the districts of Kon Tum compared for Dự án 5"
    );
    assert!(select(&area, "figure#ss-kon-tum-du-an-8").is_empty());
    let rows: Vec<String> = select(&area, "figure#ss-kon-tum-du-an-5 table tbody tr")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        rows.len(),
        4,
        "one row per district of the breakdown: {rows:?}"
    );

    let project = f.html("public/du-an/du-an-4/index.html");
    let main = main_text(&project);
    assert!(
        !main.contains("Tiến độ năm"),
        "no headline as the project's total: {main}"
    );
    assert!(!main.contains("Dự án chưa có số liệu"), "{main}");
    assert!(main.contains("Chưa có báo cáo tổng của dự án"), "{main}");
    let partial: Vec<String> = select(&project, "#dia-ban-bao-cao-rieng ~ div table tbody tr")
        .iter()
        .map(text)
        .collect();
    assert_eq!(partial.len(), 1, "{partial:?}");
    assert!(
        partial[0].contains("Huyện Đăk Tô") && partial[0].contains("40,00%"),
        "{partial:?}"
    );
}

/// A comparison asked of a report without breakdown rows says what to add, at the call.
#[test]
fn comparison_without_rows_says_what_to_add() {
    let f = Fixture::example();
    f.write(
        "content/tin-tuc/so-sanh.md",
        "+++\ntitle = \"So sánh\"\ndate = 2024-01-01\n+++\n\n{{ bieu_do(report=\"du-an-8-kon-tum-2022-08\", kind=\"so-sanh\") }}\n",
    );
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/tin-tuc/so-sanh.md:6:1: bieu_do: báo cáo du-an-8-kon-tum-2022-08 không có số liệu theo địa bàn để so sánh"), "{err}");
    assert!(err.contains("cách sửa: thêm vào content/data/reports/du-an-8-kon-tum-2022-08.toml một dòng [[breakdown]] cho mỗi địa bàn trực thuộc"), "{err}");
    assert!(!err.contains("sửa mã trong lệnh"), "{err}");
}

/// The main figures' cards of a page ("Tỷ lệ giải ngân52,01%"): term and value.
fn card_texts(doc: &scraper::Html) -> Vec<String> {
    select(doc, "main .so-lieu-chinh div")
        .iter()
        .map(text)
        .collect()
}

/// The rows of the first table of the figure with id `id` on a page: header cell, then cells.
fn figure_rows(doc: &scraper::Html, id: &str) -> Vec<Vec<String>> {
    let fig = select(doc, &format!("figure#{id}"));
    assert_eq!(fig.len(), 1, "one figure #{id}");
    select_in(&fig[0], "tbody tr")
        .iter()
        .map(|tr| select_in(tr, "th, td").iter().map(text).collect())
        .collect()
}

#[test]
fn budget_lines_are_shown_charted_and_exported_each_on_its_own_base() {
    let f = built_example();
    // du-an-8, 2024 (latest): vốn sự nghiệp 5.480 / 2.850 and 1.434 / 1.100 carried over from
    // 2023; the year's rate stays 2.850 / 5.480, the carried-over funds have their own
    let doc = f.html("public/du-an/du-an-8/index.html");
    let rows = figure_rows(&doc, "gn-du-an-8-von");
    let heads: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        heads,
        [
            "Vốn sự nghiệp",
            "Kế hoạch vốn năm",
            "Vốn năm trước chuyển sang",
            "Tổng cộng (cả vốn chuyển sang)"
        ]
    );
    let all = rows.concat().join(" | ");
    for want in [
        "5.480", "2.850", "52,01%", "1.434", "1.100", "76,71%", "6.914", "3.950", "57,13%",
    ] {
        assert!(all.contains(want), "{want} in {all}");
    }
    let cards = card_texts(&doc);
    assert!(
        cards
            .iter()
            .any(|c| c.starts_with("Tỷ lệ giải ngân") && c.ends_with("52,01%")),
        "the year's rate on the card: {cards:?}"
    );
    // du-an-5, 2023 on the province's page: vốn đầu tư + vốn sự nghiệp = the year's plan
    let doc = f.html("public/dia-ban/kon-tum/index.html");
    let rows = figure_rows(&doc, "gn-kon-tum-du-an-5-von");
    let heads: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        heads,
        ["Vốn đầu tư phát triển", "Vốn sự nghiệp", "Kế hoạch vốn năm"]
    );
    assert!(rows[0].join(" ").contains("81,67%"), "{rows:?}");
    assert!(rows[1].join(" ").contains("77,89%"), "{rows:?}");

    // CSV: the lines' columns, after the totals', only where a report has them
    let csv_of = |id: &str| {
        let bytes = std::fs::read(f.path(&format!("public/du-lieu/{id}.csv"))).unwrap();
        let mut rdr = csv::Reader::from_reader(&bytes[3..]);
        let head: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
        let first: Vec<String> = rdr
            .records()
            .next()
            .unwrap()
            .unwrap()
            .iter()
            .map(String::from)
            .collect();
        (head, first)
    };
    let (head, first) = csv_of("du-an-8-kon-tum-2024");
    assert_eq!(
        head[3..13],
        [
            "du_toan_trieu_dong",
            "da_giai_ngan_trieu_dong",
            "ty_le_giai_ngan_phan_tram",
            "du_toan_su_nghiep_trieu_dong",
            "da_giai_ngan_su_nghiep_trieu_dong",
            "ty_le_giai_ngan_su_nghiep_phan_tram",
            "du_toan_chuyen_sang_trieu_dong",
            "da_giai_ngan_chuyen_sang_trieu_dong",
            "ty_le_giai_ngan_chuyen_sang_phan_tram",
            "ty_le_giai_ngan_tong_cong_phan_tram",
        ]
    );
    assert_eq!(
        first[3..13],
        ["5480", "2850", "52.01", "5480", "2850", "52.01", "1434", "1100", "76.71", "57.13"]
    );
    let (head, first) = csv_of("du-an-8-kon-tum-2022-11");
    assert_eq!(head[6], "du_toan_trung_uong_trieu_dong");
    assert_eq!(first[6], "3829");
    let (head, _) = csv_of("du-an-8-kon-tum-2022-08");
    assert!(
        !head
            .iter()
            .any(|h| h.contains("su_nghiep") || h.contains("trung_uong")),
        "{head:?}"
    );
    // JSON: each line with its own rate
    let v: serde_json::Value =
        serde_json::from_str(&f.read("public/du-lieu/du-lieu.json")).unwrap();
    let r = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "du-an-8-kon-tum-2024")
        .unwrap();
    let b = &r["totals"]["budget"];
    assert_eq!(b["carried_over"]["allocated"], "1434");
    assert_eq!(b["carried_over"]["disbursed_percent"], "76.71");
    assert_eq!(b["with_carried_over"]["allocated"], "6914");
    assert_eq!(b["disbursed_percent"], "52.01");
    assert_eq!(b["investment"], serde_json::Value::Null);

    // the allocation by source is shown with the main figures
    let file = "content/data/reports/du-an-8-kon-tum-2024.toml";
    let report = f.read(file).replace(
        "disbursed = 2850\n",
        "disbursed = 2850\nby_source = { central = 5000, local = 480 }\n",
    );
    f.write(file, report);
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = f.html("public/du-an/du-an-8/index.html");
    let shown = card_texts(&doc);
    assert!(
        shown
            .iter()
            .any(|c| c.contains("Trong đó ngân sách trung ương") && c.contains("5.000 triệu đồng")),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|c| c.contains("Trong đó ngân sách địa phương") && c.contains("480 triệu đồng")),
        "{shown:?}"
    );
}

/// Articles quote a budget line (`so_lieu(…, part=…)`) and chart the lines
/// (`bieu_do(…, kind="nguon-von")`); a wrong line is an error at the call saying what exists.
#[test]
fn articles_quote_and_chart_budget_lines() {
    let f = Fixture::example();
    let r = "report=\"du-an-8-kon-tum-2024\"";
    f.write(
        "content/tin-tuc/nguon-von.md",
        format!("+++\ntitle = \"Nguồn vốn\"\ndate = 2024-10-01\n+++\n\nVốn chuyển sang đã giải ngân {{{{ so_lieu({r}, part=\"carried_over\", field=\"rate\") }}}}; cả năm và vốn chuyển sang: {{{{ so_lieu({r}, part=\"with_carried_over\", field=\"disbursed\") }}}}.\n\n{{{{ bieu_do({r}, kind=\"nguon-von\", id=\"von-2024\") }}}}\n"),
    );
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = f.html("public/tin-tuc/nguon-von/index.html");
    let body = main_text(&doc);
    assert!(
        body.contains(
            "Vốn chuyển sang đã giải ngân 76,71%; cả năm và vốn chuyển sang: 3.950 triệu đồng."
        ),
        "{body}"
    );
    let rows = figure_rows(&doc, "von-2024");
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[3][0], "Tổng cộng (cả vốn chuyển sang)");

    f.write(
        "content/tin-tuc/nguon-von.md",
        format!("+++\ntitle = \"Nguồn vốn\"\ndate = 2024-10-01\n+++\n\n{{{{ so_lieu({r}, part=\"chuyen_sang\", field=\"rate\") }}}}\n\n{{{{ so_lieu({r}, part=\"investment\") }}}}\n\n{{{{ bieu_do(report=\"du-an-8-kon-tum-2022-08\", kind=\"nguon-von\") }}}}\n"),
    );
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for want in [
        "content/tin-tuc/nguon-von.md:6:1",
        "part = \"chuyen_sang\" không hợp lệ",
        "content/tin-tuc/nguon-von.md:8:1",
        "báo cáo du-an-8-kon-tum-2024 không có dòng kinh phí investment",
        "content/tin-tuc/nguon-von.md:10:1",
        "báo cáo du-an-8-kon-tum-2022-08 không chia kinh phí theo nguồn vốn",
        "content/data/reports/du-an-8-kon-tum-2022-08.toml",
    ] {
        assert!(err.contains(want), "{want} in {err}");
    }
}

/// One figure, one way: a rate reads the same wherever a page shows it (card, gauge, charts,
/// tables), at the site's precision; `rate_decimals` changes it everywhere, CSV included.
#[test]
fn a_rate_reads_the_same_everywhere_on_a_page() {
    let f = built_example();
    let doc = f.html("public/dia-ban/kon-plong/index.html");
    let body = main_text(&doc);
    // Dự án 5 in Kon Plông: 420 of 560 = 75 %
    assert!(body.contains("75,00%"), "{body}");
    let bare = regex_free_count(&body, "75%");
    assert_eq!(bare, 0, "no other form of the same rate: {body}");
    // an indicator: 70 of 75 tổ = 93,33 % in the table and on its bar
    let doc = f.html("public/du-an/du-an-8/index.html");
    let cells: Vec<String> = select(&doc, "main .bang-chi-tieu td")
        .iter()
        .map(text)
        .collect();
    assert!(cells.iter().any(|c| c.starts_with("93,33%")), "{cells:?}");
    assert!(!main_text(&doc).contains("93%"), "{cells:?}");

    let f = Fixture::example();
    let cfg = f
        .read("config.toml")
        .replacen("\n", "\nrate_decimals = 1\n", 1);
    f.write("config.toml", cfg);
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = main_text(&f.html("public/du-an/du-an-8/index.html"));
    assert!(page.contains("36,4%") && page.contains("52,0%"), "{page}");
    // (36,38% is still in the article summary listed below: staff wrote it there)
    assert!(
        !page.contains("52,01%") && !page.contains("93,33%"),
        "{page}"
    );
    let csv = f.read("public/du-lieu/du-an-8-kon-tum-2022-11.csv");
    assert!(csv.contains(",3829,1393,36.4,"), "{csv}");

    let cfg = f
        .read("config.toml")
        .replace("rate_decimals = 1", "rate_decimals = 9");
    f.write("config.toml", cfg);
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("rate_decimals = 9 quá nhiều chữ số thập phân cho một tỷ lệ"),
        "{}",
        stderr(&out)
    );
}

/// How often `needle` occurs in `text` as a whole figure (not inside "75,00%" or "175%").
fn regex_free_count(text: &str, needle: &str) -> usize {
    text.match_indices(needle)
        .filter(|(i, _)| {
            let before = text[..*i].chars().next_back();
            !before.is_some_and(|c| c.is_ascii_digit() || c == ',' || c == '.')
        })
        .count()
}

/// The overview says what it sums: one ranking per project and year, never a sum across
/// projects; the province is named in full beside its capital city.
#[test]
fn the_overview_ranks_each_project_on_its_own_and_names_the_province() {
    let f = built_example();
    let doc = f.html("public/tong-quan/index.html");
    let titles: Vec<String> = select(&doc, "main figure .bieu-do__tieu-de")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        titles,
        [
            "Xếp hạng địa bàn theo tỷ lệ giải ngân – Dự án 5, năm 2023",
            "Xếp hạng địa bàn theo tỷ lệ giải ngân – Dự án 8, năm 2023",
        ]
    );
    // Kon Plông: Dự án 5 560 / 420 and Dự án 8 690 / 500, each in its own ranking (their sum,
    // 1.250, was once ranked as one figure)
    let rows = figure_rows(&doc, "xep-hang-du-an-5");
    let kon_plong = rows.iter().find(|r| r[0].contains("Kon Plông")).unwrap();
    assert_eq!(kon_plong[1..4], ["560", "420", "75,00%"]);
    let rows = figure_rows(&doc, "xep-hang-du-an-8");
    let kon_plong = rows.iter().find(|r| r[0].contains("Kon Plông")).unwrap();
    assert_eq!(kon_plong[1..4], ["690", "500", "72,46%"]);
    assert!(!main_text(&doc).contains("1.250"), "no cross-project sum");
    // the matrix names the province in full, the city by its short name
    let heads: Vec<String> = select(&doc, "main .bang-tong-quan tbody th")
        .iter()
        .map(text)
        .collect();
    assert!(
        heads.iter().any(|h| h.starts_with("Tỉnh Kon Tum")),
        "{heads:?}"
    );
    assert!(
        heads.iter().any(|h| h.starts_with("TP. Kon Tum")),
        "{heads:?}"
    );
    assert!(!heads.iter().any(|h| h.starts_with("Kon Tum")), "{heads:?}");
}
