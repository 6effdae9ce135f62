//! Legal documents (văn bản, issue 16 item 2) on the example site: the document table, its
//! filter pages without JavaScript, each document's page, citations from articles, and
//! documents in feeds, the sitemap and search.

use crate::common::*;

/// The table rows of a document listing: (STT, number, issuer, summary, issued, effective,
/// download links).
fn rows(doc: &scraper::Html) -> Vec<Vec<String>> {
    select(doc, "table.bang-van-ban tbody tr")
        .iter()
        .map(|tr| {
            select_in(tr, "td")
                .iter()
                .map(|td| text(td))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn document_table_and_filter_pages_without_javascript() {
    let f = built_example();
    let doc = f.html("public/van-ban/index.html");
    let heads: Vec<String> = select(&doc, "table.bang-van-ban thead th")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        heads,
        [
            "STT",
            "Số ký hiệu",
            "Cơ quan ban hành",
            "Trích yếu",
            "Ngày ban hành",
            "Ngày hiệu lực",
            "Tải về"
        ]
    );
    let all = rows(&doc);
    assert_eq!(all.len(), 9, "{all:?}");
    // newest issue first, numbered 1…n
    assert_eq!(all[0][0], "1");
    assert_eq!(all[0][1], "95/BC-BDT Báo cáo");
    assert_eq!(all[0][2], "Ban Dân tộc tỉnh Kon Tum");
    assert_eq!(all[0][4], "28/06/2024");
    assert_eq!(all[8][1], "3320/KH-UBND Kế hoạch");
    assert_eq!(all[8][0], "9");
    // the expired decision is marked, the others are not
    let expired: Vec<&Vec<String>> = all
        .iter()
        .filter(|r| r[3].contains("Hết hiệu lực"))
        .collect();
    assert_eq!(expired.len(), 1);
    assert!(expired[0][1].starts_with("130/QĐ-UBND"), "{expired:?}");
    // a download link per attached file, to a file that was published
    let links: Vec<String> = select(&doc, "table.bang-van-ban a[download]")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(links.len(), 10, "{links:?}");
    for l in &links {
        assert!(f.exists(&format!("public{l}")), "{l}");
    }
    assert!(links.contains(&"/van-ban/cv-1520-ubnd-kgvx/cv-1520-ubnd-kgvx.docx".to_string()));

    // the filter links are plain links to pre-rendered pages, with counts
    let filters: Vec<(String, String)> = select(&doc, "nav.loc-van-ban a")
        .iter()
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert!(filters.contains(&("Quyết định (3)".into(), "/van-ban/loai/quyet-dinh/".into())));
    assert!(filters.contains(&("2023 (2)".into(), "/van-ban/nam/2023/".into())));
    assert!(filters.contains(&(
        "Thủ tướng Chính phủ (1)".into(),
        "/van-ban/co-quan/thu-tuong-chinh-phu/".into()
    )));
    for (_, href) in &filters {
        assert!(f.exists(&format!("public{href}index.html")), "{href}");
    }

    let qd = f.html("public/van-ban/loai/quyet-dinh/index.html");
    let r = rows(&qd);
    let numbers: Vec<&str> = r.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(
        numbers,
        [
            "245/QĐ-UBND Quyết định",
            "130/QĐ-UBND Quyết định",
            "1719/QĐ-TTg Quyết định"
        ]
    );
    assert_eq!(
        text(&select(&qd, "h1")[0]),
        "Văn bản: Quyết định",
        "the filter is named"
    );
    let current: Vec<String> = select(&qd, "nav.loc-van-ban a[aria-current=page]")
        .iter()
        .map(text)
        .collect();
    assert_eq!(current, ["Quyết định (3)"]);

    let y2023 = f.html("public/van-ban/nam/2023/index.html");
    let r = rows(&y2023);
    assert_eq!(r.len(), 2);
    assert!(r.iter().all(|r| r[4].ends_with("/2023")), "{r:?}");
    let ubnd = f.html("public/van-ban/co-quan/ubnd-tinh-kon-tum/index.html");
    let r = rows(&ubnd);
    assert_eq!(r.len(), 5);
    assert!(r.iter().all(|r| r[2] == "UBND tỉnh Kon Tum"), "{r:?}");
    // each row carries its filter values for the script
    let tr = &select(&doc, "table.bang-van-ban tbody tr")[0];
    assert_eq!(tr.value().attr("data-loai"), Some("bao-cao"));
    assert_eq!(tr.value().attr("data-nam"), Some("2024"));
    assert_eq!(
        tr.value().attr("data-co-quan"),
        Some("ban-dan-toc-tinh-kon-tum")
    );
    assert!(broken_internal_links(&f.path("public"), "/").is_empty());
}

#[test]
fn document_pages_citations_feeds_sitemap_and_search() {
    let f = built_example();
    let doc = f.html("public/van-ban/qd-130-ubnd/index.html");
    let fields: Vec<(String, String)> = select(&doc, "table.thong-tin-van-ban tr")
        .iter()
        .map(|tr| (text(&select_in(tr, "th")[0]), text(&select_in(tr, "td")[0])))
        .collect();
    let get = |k: &str| {
        fields
            .iter()
            .find(|(h, _)| h == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{k} in {fields:?}"))
    };
    assert_eq!(get("Loại văn bản"), "Quyết định");
    assert_eq!(get("Số ký hiệu"), "130/QĐ-UBND");
    assert_eq!(get("Cơ quan ban hành"), "UBND tỉnh Kon Tum");
    assert_eq!(get("Ngày ban hành"), "01/03/2022");
    assert_eq!(get("Ngày hết hiệu lực"), "01/03/2023");
    assert_eq!(get("Tình trạng"), "Hết hiệu lực");
    assert_eq!(get("Người ký"), "Phó Chủ tịch UBND tỉnh");
    assert!(
        get("Tải về").starts_with("qd-130-ubnd.pdf (PDF, "),
        "{fields:?}"
    );
    assert!(main_text(&doc).contains("Hết hiệu lực từ ngày 01/03/2023"));
    let live = f.html("public/van-ban/kh-210-ubnd/index.html");
    assert!(!main_text(&live).contains("Hết hiệu lực"));

    // the Dự án 8 article cites its plan by number
    let art = f.html("public/hoat-dong/ket-qua-du-an-8-nam-2022/index.html");
    let cites: Vec<(String, String)> = select(&art, "a.van-ban-ref")
        .iter()
        .map(|a| (text(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        cites,
        [
            (
                "Quyết định số 1719/QĐ-TTg".to_string(),
                "/van-ban/qd-1719-ttg/".to_string()
            ),
            (
                "Kế hoạch số 3320/KH-UBND".to_string(),
                "/van-ban/kh-3320-ubnd/".to_string()
            ),
        ]
    );
    assert!(main_text(&art).contains("Kế hoạch số 3320/KH-UBND (Thực hiện Dự án 8"));

    // feeds (dated by the issue date), sitemap, search
    let rss = f.read("public/van-ban/rss.xml");
    assert!(
        rss.contains("<title>Kế hoạch số 210/KH-UBND</title>"),
        "{rss}"
    );
    assert!(rss.contains("15 Jan 2024"), "{rss}");
    let sitemap = f.read("public/sitemap.xml");
    for p in [
        "van-ban/qd-1719-ttg/",
        "van-ban/loai/quyet-dinh/",
        "van-ban/nam/2021/",
    ] {
        assert!(sitemap.contains(p), "{p}");
    }
    // the document is in the search index (its title in a document file of its own)
    let indexed = walkdir::WalkDir::new(f.path("public/tim-kiem/chi-muc/bai"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .any(|e| {
            std::fs::read_to_string(e.path())
                .unwrap()
                .contains("\"Quyết định số 1719/QĐ-TTg\"")
        });
    assert!(indexed, "search index");
}

/// A citation shows the summary as written: Markdown characters in it are not emphasis, HTML
/// in it is text.
#[test]
fn citation_shows_the_summary_as_written() {
    let f = Fixture::example();
    let rel = "content/van-ban/kh-210-ubnd/index.md";
    let c = f.read(rel);
    let from = "trich_yeu = \"Thực hiện";
    assert!(c.contains(from));
    f.write(
        rel,
        c.replacen(
            from,
            "trich_yeu = \"*Gấp*: _năm_ <b>2024</b> [x] Thực hiện",
            1,
        ),
    );
    f.write(
        "content/tin-tuc/trich-dan.md",
        "+++\ntitle = \"Trích dẫn\"\ndate = 2024-07-01\n+++\n\nTheo {{ van_ban(so=\"210/KH-UBND\") }}.\n",
    );
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = f.html("public/tin-tuc/trich-dan/index.html");
    assert!(
        main_text(&doc)
            .contains("Theo Kế hoạch số 210/KH-UBND (*Gấp*: _năm_ <b>2024</b> [x] Thực hiện"),
        "{}",
        main_text(&doc)
    );
    assert!(select(&doc, "main .bai-viet__than em, main .bai-viet__than b").is_empty());
}

/// `bantin new` in a document section makes a bundle with every document key to fill; until
/// it is filled (and no longer a draft) a build with --drafts says what is missing.
#[test]
fn new_in_a_document_section_scaffolds_a_document() {
    let f = Fixture::example();
    let out = f.bantin(&["new", "van-ban", "Quyết định số 300/QĐ-UBND"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let rel = "content/van-ban/quyet-dinh-so-300-qd-ubnd/index.md";
    assert!(
        stdout(&out).contains("chép tệp đính kèm"),
        "{}",
        stdout(&out)
    );
    let text = f.read(rel);
    for key in [
        "loai = \"Quyết định\"",
        "so_ky_hieu = \"\"",
        "co_quan_ban_hanh = \"\"",
        "trich_yeu = \"\"",
        "nguoi_ky = \"\"",
        "tep = [\"quyet-dinh-so-300-qd-ubnd.pdf\"]",
        "draft = true",
    ] {
        assert!(text.contains(key), "{key} in {text}");
    }
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = f.bantin(&["build", "--drafts"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for want in [
        "quyet-dinh-so-300-qd-ubnd/index.md:4:14: số ký hiệu \"\" không đúng dạng",
        "index.md:5:20: co_quan_ban_hanh để trống",
        "không có tệp đính kèm \"quyet-dinh-so-300-qd-ubnd.pdf\" cạnh văn bản",
    ] {
        assert!(err.contains(want), "{want} in:\n{err}");
    }
}
