//! The default theme's reader-facing shell (issue 15, items 4, 5, 8, 9): the main menu (data
//! pages in it, the current section marked on every page type, a `<details>` that collapses
//! without JavaScript), one date style per context, meta lines that join only the parts present,
//! the 404 text, links only to pages that exist, the print block of an article.

use crate::common::*;

/// The main menu's items of a built page: (name, aria-current or "").
fn menu(doc: &scraper::Html) -> Vec<(String, String)> {
    select(doc, "header nav.menu-chinh a")
        .iter()
        .map(|a| {
            (
                text(a),
                a.value().attr("aria-current").unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// The marked menu items of a page: (name, aria-current).
fn current(doc: &scraper::Html) -> Vec<(String, String)> {
    menu(doc)
        .into_iter()
        .filter(|(_, c)| !c.is_empty())
        .collect()
}

fn example_built() -> Fixture {
    let f = Fixture::example();
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    f
}

#[test]
fn example_menu_reaches_the_data_pages_and_marks_the_current_section_on_every_page_type() {
    let f = example_built();
    let names: Vec<String> = menu(&f.html("public/index.html"))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "Trang chủ",
            "Tin tức",
            "Hoạt động",
            "Chính sách",
            "Thông báo",
            "Văn bản",
            "Địa bàn",
            "Dự án",
            "Tổng quan",
            "Dữ liệu mở",
            "Chủ đề",
            "Giới thiệu"
        ]
    );
    // "page" on the item that is the page itself, "true" on the item whose section holds it;
    // pages outside every menu item (search, 404, tags) mark none.
    let cases: &[(&str, Option<(&str, &str)>)] = &[
        ("index.html", Some(("Trang chủ", "page"))),
        ("tin-tuc/index.html", Some(("Tin tức", "page"))),
        (
            "hoat-dong/ket-qua-du-an-8-nam-2022/index.html",
            Some(("Hoạt động", "true")),
        ),
        ("thong-bao/index.html", Some(("Thông báo", "page"))),
        ("van-ban/index.html", Some(("Văn bản", "page"))),
        (
            "van-ban/loai/quyet-dinh/index.html",
            Some(("Văn bản", "true")),
        ),
        ("van-ban/qd-1719-ttg/index.html", Some(("Văn bản", "true"))),
        ("dia-ban/index.html", Some(("Địa bàn", "page"))),
        ("dia-ban/kon-tum/index.html", Some(("Địa bàn", "true"))),
        ("du-an/index.html", Some(("Dự án", "page"))),
        ("du-an/du-an-8/index.html", Some(("Dự án", "true"))),
        ("tong-quan/index.html", Some(("Tổng quan", "page"))),
        ("du-lieu/index.html", Some(("Dữ liệu mở", "page"))),
        ("chu-de/index.html", Some(("Chủ đề", "page"))),
        ("chu-de/du-an-8/index.html", Some(("Chủ đề", "true"))),
        ("tim-kiem/index.html", None),
        ("tags/index.html", None),
        ("404.html", None),
    ];
    for (path, want) in cases {
        let got = current(&f.html(&format!("public/{path}")));
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(n, c)| (n.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, want, "menu marks on {path}");
    }
}

#[test]
fn menu_is_a_details_element_that_needs_no_javascript() {
    let f = example_built();
    let doc = f.html("public/du-an/du-an-8/index.html");
    let nav = select(&doc, "header nav.menu-chinh[aria-label]");
    assert_eq!(nav.len(), 1);
    // Closed by default (collapsed on phones; style.css opens it as a bar on wide screens).
    let details = select(&doc, "header nav.menu-chinh > details");
    assert_eq!(details.len(), 1);
    assert!(details[0].value().attr("open").is_none());
    let summary = select(&doc, "header nav.menu-chinh > details > summary");
    assert_eq!(summary.len(), 1);
    assert_eq!(text(&summary[0]), "Menu");
    assert_eq!(
        select(&doc, "header nav.menu-chinh > details > ul > li > a").len(),
        12
    );
    // No date line in the header (the build date is in the footer, labelled).
    assert!(select(&doc, "header time").is_empty());
}

#[test]
fn dates_have_one_style_per_context() {
    let f = example_built();
    // dd/mm/yyyy
    let short = |s: &str| {
        let b = s.as_bytes();
        b.len() == 10
            && b[2] == b'/'
            && b[5] == b'/'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 2 || i == 5 || c.is_ascii_digit())
    };
    for (rel, _) in tree(&f.path("public")) {
        if rel.ends_with(".html") {
            let html = f.read(&format!("public/{rel}"));
            let digit_weekday = html
                .match_indices("Thứ ")
                .any(|(i, m)| html[i + m.len()..].starts_with(|c: char| c.is_ascii_digit()));
            assert!(
                !digit_weekday,
                "{rel}: a weekday written as a digit (the theme writes Thứ Hai … in full)"
            );
        }
    }
    // Byline: the long form.
    let doc = f.html("public/hoat-dong/ket-qua-du-an-8-nam-2022/index.html");
    let byline = text(&select(&doc, "article .bai-viet__dau .meta")[0]);
    assert!(
        byline.starts_with("Đăng ngày Thứ Hai, ngày 12 tháng 12 năm 2022"),
        "{byline}"
    );
    // Related articles, sidebar, listings: dd/mm/yyyy.
    let related = select(&doc, ".lien-quan time");
    assert!(!related.is_empty());
    for t in related {
        let s = text(&t);
        let inner = s.trim_start_matches('(').trim_end_matches(')');
        assert!(short(inner), "related: {s}");
    }
    for page in [
        "index.html",
        "tin-tuc/index.html",
        "dia-ban/kon-tum/index.html",
    ] {
        let doc = f.html(&format!("public/{page}"));
        let times: Vec<String> = select(&doc, ".the-bai .meta time, .cot-phu time")
            .iter()
            .map(text)
            .collect();
        assert!(!times.is_empty(), "{page}: no dates in lists");
        for t in &times {
            assert!(short(t), "{page}: list date {t:?}");
        }
    }
    // The build date: in the footer, labelled, from SOURCE_DATE_EPOCH.
    let doc = f.html("public/index.html");
    assert_eq!(
        text(&select(&doc, "footer .chan-trang__cap-nhat")[0]),
        "Cập nhật: 18/07/2024"
    );
}

/// The parts of every `.meta` line of a built site are non-empty elements (the separators between
/// them are drawn by style.css), with no separator written as text at either end.
fn assert_meta_lines_clean(f: &Fixture) -> usize {
    let mut seen = 0;
    for (rel, _) in tree(&f.path("public")) {
        if !rel.ends_with(".html") {
            continue;
        }
        let doc = f.html(&format!("public/{rel}"));
        for m in select(&doc, ".meta") {
            seen += 1;
            let t = text(&m);
            assert!(!t.is_empty(), "{rel}: an empty meta line");
            assert!(
                !t.starts_with('·') && !t.ends_with('·') && !t.contains("· ·"),
                "{rel}: dangling separator in {t:?}"
            );
            for child in m.children().filter_map(scraper::ElementRef::wrap) {
                assert!(
                    !text(&child).is_empty(),
                    "{rel}: an empty part in meta line {t:?} (a separator would dangle)"
                );
            }
        }
    }
    seen
}

#[test]
fn meta_lines_join_only_the_parts_present() {
    let f = example_built();
    assert!(assert_meta_lines_clean(&f) > 50);
    let doc = f.html("public/du-an/du-an-5/index.html");
    let parts: Vec<String> = select(&doc, "#tien-do-moi + .meta > *")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        parts,
        [
            "Số liệu đến ngày 31/12/2023",
            "Nguồn: Số liệu minh họa cho trang mẫu bantin",
            "Số liệu minh họa"
        ]
    );

    // A report with neither a source nor the illustrative flag: one part, nothing after it.
    let f = Fixture::example();
    let report = f.read("content/data/reports/du-an-5-kon-tum-2023.toml");
    let report = report
        .replace("source = \"Số liệu minh họa cho trang mẫu bantin\"\n", "")
        .replace("illustrative = true\n", "");
    f.write("content/data/reports/du-an-5-kon-tum-2023.toml", report);
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_meta_lines_clean(&f);
    let doc = f.html("public/du-an/du-an-5/index.html");
    let meta = select(&doc, "#tien-do-moi + .meta");
    assert_eq!(
        meta[0].inner_html(),
        "<span>Số liệu đến ngày 31/12/2023</span>"
    );
    let doc = f.html("public/dia-ban/kon-tum/index.html");
    let meta = select(&doc, "#da-du-an-5 + .meta");
    assert_eq!(
        meta[0].inner_html(),
        "<span>Số liệu năm 2023, đến ngày 31/12/2023</span>"
    );
}

#[test]
fn page_404_names_the_website() {
    let f = example_built();
    let doc = f.html("public/404.html");
    let lead = text(&select(&doc, "main .sapo")[0]);
    assert!(
        lead.starts_with(
            "Rất tiếc, địa chỉ bạn vừa mở không có trên trang web “Ban Dân tộc tỉnh Kon Tum”."
        ),
        "{lead}"
    );
}

#[test]
fn article_prints_its_address_and_a_labelled_date() {
    let f = example_built();
    let doc = f.html("public/hoat-dong/ket-qua-du-an-8-nam-2022/index.html");
    let block = select(&doc, "article .ban-in");
    assert_eq!(block.len(), 1);
    let lines: Vec<String> = select(&doc, "article .ban-in p").iter().map(text).collect();
    assert_eq!(
        lines,
        [
            "Nguồn: Ban Dân tộc tỉnh Kon Tum, http://127.0.0.1:1111/hoat-dong/ket-qua-du-an-8-nam-2022/",
            "Bản in của trang web cập nhật ngày 18/07/2024."
        ]
    );
    let css = f.read("public/css/style.css");
    assert!(css.contains("@page {"), "no @page rule");
}

/// `bantin init trang` in `dir`: the scaffold staff start from.
fn init_site(dir: &std::path::Path) -> std::path::PathBuf {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["init", "trang"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    dir.join("trang")
}

fn build_root(site: &std::path::Path) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["build", "--root"])
        .arg(site)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Every `href` of the `<noscript>` blocks of a page (scraper reads them as text).
fn noscript_links(doc: &scraper::Html) -> Vec<String> {
    let mut links = Vec::new();
    for n in select(doc, "noscript") {
        let inner = scraper::Html::parse_fragment(&n.text().collect::<String>());
        links.extend(
            select(&inner, "a[href]")
                .iter()
                .map(|a| a.value().attr("href").unwrap().to_string()),
        );
    }
    links
}

#[test]
fn search_page_links_a_taxonomy_only_when_it_has_terms() {
    let f = example_built();
    let links = noscript_links(&f.html("public/tim-kiem/index.html"));
    assert!(links.contains(&"/chu-de/".to_string()), "{links:?}");
    assert!(links.contains(&"/tags/".to_string()), "{links:?}");

    // A fresh site: its one article has tags but no chủ đề, so /chu-de/ is not written.
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    build_root(&site);
    let public = site.join("public");
    assert!(!public.join("chu-de").exists());
    let search = scraper::Html::parse_document(
        &std::fs::read_to_string(public.join("tim-kiem/index.html")).unwrap(),
    );
    let links = noscript_links(&search);
    assert!(links.contains(&"/tags/".to_string()), "{links:?}");
    assert!(!links.iter().any(|l| l.contains("chu-de")), "{links:?}");
    assert_eq!(broken_internal_links(&public, "/"), Vec::<String>::new());
}

#[test]
fn init_site_gets_the_data_pages_in_its_menu_once_it_has_data() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let build = || build_root(&site);
    let page = |rel: &str| {
        scraper::Html::parse_document(
            &std::fs::read_to_string(site.join("public").join(rel)).unwrap(),
        )
    };
    let names =
        |doc: &scraper::Html| -> Vec<String> { menu(doc).into_iter().map(|(n, _)| n).collect() };

    // Without data: the scaffold's own menu, no link to pages that do not exist.
    build();
    assert_eq!(names(&page("index.html")), ["Trang chủ", "Tin tức"]);
    assert_eq!(
        broken_internal_links(&site.join("public"), "/"),
        Vec::<String>::new()
    );

    // With the example's data: the four data pages follow, the current one marked.
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/data"),
        &site.join("content/data"),
    );
    build();
    assert_eq!(
        names(&page("index.html")),
        [
            "Trang chủ",
            "Tin tức",
            "Địa bàn",
            "Dự án",
            "Tổng quan",
            "Dữ liệu mở"
        ]
    );
    assert_eq!(
        current(&page("du-an/du-an-8/index.html")),
        [("Dự án".to_string(), "true".to_string())]
    );
    assert_eq!(
        current(&page("du-lieu/index.html")),
        [("Dữ liệu mở".to_string(), "page".to_string())]
    );
    // The 404 page's list of sections follows the menu.
    let listed: Vec<String> = select(&page("404.html"), "main li li a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        listed,
        ["Tin tức", "Địa bàn", "Dự án", "Tổng quan", "Dữ liệu mở"]
    );
    assert_eq!(
        broken_internal_links(&site.join("public"), "/"),
        Vec::<String>::new()
    );

    // A menu that already links to a data page is left as written.
    let config = std::fs::read_to_string(site.join("config.toml")).unwrap();
    std::fs::write(
        site.join("config.toml"),
        format!("{config}\n[[menu]]\nname = \"Số liệu\"\nurl = \"/tong-quan/\"\n"),
    )
    .unwrap();
    build();
    assert_eq!(
        names(&page("index.html")),
        ["Trang chủ", "Tin tức", "Số liệu"]
    );
}

/// A site made by an older `bantin init` keeps that version's search script; after the index
/// format changed, the build says so (a warning naming the file and the fix) instead of
/// publishing a search box that finds nothing. The script of this version gives no warning.
#[test]
fn an_outdated_search_script_in_a_copied_theme_is_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path());
    let script = site.join("themes/cong-thong-tin/static/js/tim-kiem.js");
    let run = |site: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
            .args(["build", "--root"])
            .arg(site)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .output()
            .unwrap()
    };
    let fresh = run(&site);
    assert!(fresh.status.success(), "{}", stderr(&fresh));
    assert!(
        !stderr(&fresh).contains("tim-kiem.js"),
        "{}",
        stderr(&fresh)
    );

    // Format 1's script named no version.
    let current = std::fs::read_to_string(&script).unwrap();
    std::fs::write(&script, current.replace("var DANG_CHI_MUC = 2;", "")).unwrap();
    let old = run(&site);
    assert!(
        old.status.success(),
        "a warning, not an error: {}",
        stderr(&old)
    );
    let err = stderr(&old);
    assert!(
        err.contains("themes/cong-thong-tin/static/js/tim-kiem.js")
            && err.contains("đọc chỉ mục dạng cũ (dạng 1), nhưng bantin này ghi chỉ mục dạng 2")
            && err.contains("bantin init /tmp/giao-dien-moi"),
        "{err}"
    );
    // A later format the script knows and this bantin does not write.
    std::fs::write(
        &script,
        current.replace("DANG_CHI_MUC = 2;", "DANG_CHI_MUC = 3;"),
    )
    .unwrap();
    let err = stderr(&run(&site));
    assert!(err.contains("đọc chỉ mục dạng 3"), "{err}");
}
