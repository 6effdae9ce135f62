//! English pages (`[languages.en]`, `*.en.md` twins under `/en/`): built fixture sites, their
//! output parsed: `lang`, `hreflang` links both ways that resolve to built files, labels from
//! the theme's `i18n/en.toml`, English dates and numbers, the sitemap's alternates, the
//! errors, and a site without `[languages]` that shows none of it.

use crate::common::{select, stderr, text, Fixture};

const LANGUAGES: &str = "\n[languages.en]\ntitle = \"Ethnic Affairs Board of Test Province\"\ndescription = \"English pages of the test board.\"\n\n[[languages.en.menu]]\nname = \"Home\"\nurl = \"/en/\"\n\n[[languages.en.menu]]\nname = \"Training\"\nurl = \"/en/tin-tuc/training/\"\n";

/// The basic fixture with English pages: the home page's twin, an article's twin (dated
/// 5 December 2026, its own slug), and an English page without a Vietnamese twin.
fn english_site() -> Fixture {
    let f = Fixture::new("basic");
    let config = f.read("config.toml");
    // [languages] before any other table would be read into it: appended at the end
    f.write("config.toml", format!("{config}{LANGUAGES}"));
    f.write(
        "content/_index.en.md",
        "+++\ntitle = \"Ethnic Affairs Board\"\ndescription = \"About the board.\"\n+++\n\nThe board in English. [Training](@/tin-tuc/tap-huan.en.md).\n",
    );
    f.write(
        "content/tin-tuc/tap-huan.en.md",
        "+++\ntitle = \"Training course\"\ndate = 2026-12-05\nslug = \"training\"\ntemplate = \"so.html\"\n+++\n\nA training course for village officials.\n",
    );
    f.write(
        "content/tin-tuc/chi-tieng-anh.en.md",
        "+++\ntitle = \"Only in English\"\n+++\n\nNo Vietnamese twin.\n",
    );
    // a site template that shows a number the way a page's language writes it
    f.write(
        "templates/so.html",
        "{% extends \"page.html\" %}{% block sidebar %}<p id=\"so\">{{ 1250.5 | number_vi }} · {{ 36.384 | percent_vi }}</p>{% endblock sidebar %}",
    );
    f
}

fn built(f: &Fixture) {
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The error output of a build that must fail.
fn failed(f: &Fixture) -> String {
    let out = f.bantin(&["build"]);
    assert!(!out.status.success(), "the build should fail");
    stderr(&out)
}

/// `<link rel="alternate" hreflang>` of a built page: (hreflang, href).
fn alternates(f: &Fixture, rel: &str) -> Vec<(String, String)> {
    let doc = f.html(rel);
    select(&doc, "head link[rel=alternate][hreflang]")
        .iter()
        .map(|l| {
            let a = |n: &str| l.value().attr(n).unwrap_or_default().to_string();
            (a("hreflang"), a("href"))
        })
        .collect()
}

/// The built file an absolute URL of the fixture (base `https://example.gov.vn/bantin/`) is
/// served from.
fn file_of(url: &str) -> String {
    let path = url
        .strip_prefix("https://example.gov.vn/bantin/")
        .unwrap_or_else(|| panic!("not an absolute URL of the site: {url}"));
    format!("public/{path}index.html")
}

#[test]
fn english_pages_have_lang_hreflang_both_ways_and_english_labels() {
    let f = english_site();
    built(&f);
    // the home page's twin
    let en = f.html("public/en/index.html");
    let html = select(&en, "html")[0];
    assert_eq!(html.value().attr("lang"), Some("en"));
    let want = vec![
        (
            "vi".to_string(),
            "https://example.gov.vn/bantin/".to_string(),
        ),
        (
            "en".to_string(),
            "https://example.gov.vn/bantin/en/".to_string(),
        ),
        (
            "x-default".to_string(),
            "https://example.gov.vn/bantin/".to_string(),
        ),
    ];
    assert_eq!(alternates(&f, "public/en/index.html"), want);
    assert_eq!(alternates(&f, "public/index.html"), want, "and back");
    for (_, href) in &want {
        assert!(f.exists(&file_of(href)), "{href} resolves to a built file");
    }
    // the article's twin, at its own slug under /en/
    let want = training_twins();
    assert_eq!(
        alternates(&f, "public/en/tin-tuc/training/index.html"),
        want
    );
    assert_eq!(alternates(&f, "public/tin-tuc/tap-huan/index.html"), want);
    for (_, href) in &want {
        assert!(f.exists(&file_of(href)), "{href} resolves to a built file");
    }

    // the visible switch, named in the language it leads to
    let page = f.html("public/en/tin-tuc/training/index.html");
    let switch = select(&page, ".doi-ngon-ngu a");
    assert_eq!(text(&select(&page, ".doi-ngon-ngu__ten")[0]), "Tiếng Việt");
    assert_eq!(switch[0].value().attr("hreflang"), Some("vi"));
    assert_eq!(
        switch[0].value().attr("href"),
        Some("/bantin/tin-tuc/tap-huan/")
    );
    let vi = f.html("public/tin-tuc/tap-huan/index.html");
    let switch = select(&vi, ".doi-ngon-ngu a");
    assert_eq!(text(&select(&vi, ".doi-ngon-ngu__ten")[0]), "English");
    assert_eq!(switch[0].value().attr("lang"), Some("en"));
    assert_eq!(
        switch[0].value().attr("href"),
        Some("/bantin/en/tin-tuc/training/")
    );

    // labels from i18n/en.toml, the English title, menu and home
    assert_eq!(text(&select(&page, "a.bo-qua")[0]), "Skip to main content");
    assert_eq!(
        select(&page, "nav.menu-chinh")[0]
            .value()
            .attr("aria-label"),
        Some("Main menu")
    );
    let menu: Vec<String> = select(&page, "nav.menu-chinh li a")
        .iter()
        .map(text)
        .collect();
    assert_eq!(menu, ["Home", "Training"]);
    assert_eq!(
        text(&select(&page, ".thuong-hieu__ten")[0]),
        "Ethnic Affairs Board of Test Province"
    );
    assert_eq!(
        select(&page, "a.thuong-hieu")[0].value().attr("href"),
        Some("/bantin/en/")
    );
    let crumbs: Vec<String> = select(&page, "nav.duong-dan li").iter().map(text).collect();
    assert_eq!(crumbs, ["Home", "Training course"]);
    let footer = text(&select(&page, "footer.chan-trang")[0]);
    assert!(
        footer.contains("Managed by: Ban Dân tộc tỉnh Thử"),
        "{footer}"
    );
    assert!(footer.contains("Updated: 18 Jul 2024"), "{footer}");
    assert!(!footer.contains("Quản lý"), "{footer}");
    // English date and numbers
    let meta = text(&select(&page, ".bai-viet__dau .meta")[0]);
    assert!(meta.contains("Published on 5 December 2026"), "{meta}");
    assert_eq!(text(&select(&page, "#so")[0]), "1,250.5 · 36.38%");
    // the Vietnamese notices are not in the English sidebar
    assert!(select(&page, "#tieu-de-thong-bao").is_empty());

    // and the Vietnamese page is as it was
    assert_eq!(select(&vi, "html")[0].value().attr("lang"), Some("vi"));
    assert_eq!(
        text(&select(&vi, "a.bo-qua")[0]),
        "Chuyển đến nội dung chính"
    );
    let meta = text(&select(&vi, ".bai-viet__dau .meta")[0]);
    assert!(meta.contains("Đăng ngày"), "{meta}");
}

#[test]
fn english_pages_stay_out_of_the_vietnamese_listings_feeds_and_search() {
    let f = english_site();
    built(&f);
    // a page without a twin is built and lists no alternates
    assert!(f.exists("public/en/tin-tuc/chi-tieng-anh/index.html"));
    assert!(alternates(&f, "public/en/tin-tuc/chi-tieng-anh/index.html").is_empty());
    for file in [
        "public/index.html",
        "public/tin-tuc/index.html",
        "public/rss.xml",
        "public/atom.xml",
        "public/tin-tuc/rss.xml",
    ] {
        let s = f.read(file);
        for title in ["Training course", "Only in English"] {
            assert!(!s.contains(title), "{file} lists {title}");
        }
    }
    let search: Vec<_> = walkdir::WalkDir::new(f.path("public"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().to_string_lossy().contains("tim-kiem") && e.file_type().is_file())
        .collect();
    assert!(!search.is_empty());
    for e in search {
        let s = String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()).into_owned();
        assert!(!s.contains("Only in English"), "{}", e.path().display());
    }
}

#[test]
fn sitemap_lists_english_pages_with_their_alternates() {
    let f = english_site();
    built(&f);
    let xml = f.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    const SM: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
    const XHTML: &str = "http://www.w3.org/1999/xhtml";
    let urls: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((SM, "url")))
        .collect();
    let entry = |loc: &str| {
        let url = urls
            .iter()
            .find(|u| {
                u.children()
                    .any(|c| c.has_tag_name((SM, "loc")) && c.text() == Some(loc))
            })
            .unwrap_or_else(|| panic!("{loc} not in the sitemap"));
        url.children()
            .filter(|c| c.has_tag_name((XHTML, "link")))
            .map(|c| {
                assert_eq!(c.attribute("rel"), Some("alternate"));
                (
                    c.attribute("hreflang").unwrap().to_string(),
                    c.attribute("href").unwrap().to_string(),
                )
            })
            .collect::<Vec<_>>()
    };
    let want = training_twins();
    assert_eq!(
        entry("https://example.gov.vn/bantin/en/tin-tuc/training/"),
        want
    );
    assert_eq!(
        entry("https://example.gov.vn/bantin/tin-tuc/tap-huan/"),
        want
    );
    assert_eq!(entry("https://example.gov.vn/bantin/en/").len(), 3);
    // an English page without a twin is listed, without alternates
    assert!(entry("https://example.gov.vn/bantin/en/tin-tuc/chi-tieng-anh/").is_empty());
    // a page without twins has none
    assert!(entry("https://example.gov.vn/bantin/tin-tuc/").is_empty());
}

/// `{{ labels.key }}` (what the default theme writes) and `{{ t(key="key") }}` give the same
/// label in the page's language; an unknown key is an error at its place in the template.
#[test]
fn labels_and_t_give_the_label_of_the_pages_language() {
    let f = english_site();
    f.write(
        "templates/so.html",
        "{% extends \"page.html\" %}{% block sidebar %}<p id=\"nhan\">{{ labels.menu_label }}|{{ t(key=\"menu_label\") }}</p>{% endblock sidebar %}",
    );
    f.write(
        "content/tin-tuc/nhan.md",
        "+++\ntitle = \"Nhãn\"\ndate = 2026-12-06\ntemplate = \"so.html\"\n+++\n\nBài dùng mẫu so.html.\n",
    );
    built(&f);
    let en = f.html("public/en/tin-tuc/training/index.html");
    assert_eq!(text(&select(&en, "#nhan")[0]), "Main menu|Main menu");
    let vi = f.html("public/tin-tuc/nhan/index.html");
    assert_eq!(text(&select(&vi, "#nhan")[0]), "Menu chính|Menu chính");

    f.write(
        "templates/so.html",
        "{% extends \"page.html\" %}{% block sidebar %}\n<p>{{ labels.khong_co }}</p>{% endblock sidebar %}",
    );
    let err = failed(&f);
    assert!(
        err.contains("templates/so.html:2:7: mẫu giao diện \"so.html\" dùng biến \"labels.khong_co\" không có trong dữ liệu của trang"),
        "{err}"
    );
}

#[test]
fn a_label_missing_from_en_toml_fails_naming_the_key_and_the_file() {
    let f = english_site();
    let en = f.read("themes/cong-thong-tin/i18n/en.toml");
    let without: String = en
        .lines()
        .filter(|l| !l.starts_with("skip_link"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(en, without);
    f.write("themes/cong-thong-tin/i18n/en.toml", without);
    let err = failed(&f);
    assert!(
        err.contains("themes/cong-thong-tin/i18n/en.toml: thiếu nhãn `skip_link` (tiếng Việt: \"Chuyển đến nội dung chính\") trong bảng nhãn `en`"),
        "{err}"
    );
    assert!(err.contains("thêm dòng skip_link = \"…\""), "{err}");
    assert!(!f.exists("public"), "nothing written");
}

#[test]
fn a_translation_in_a_language_not_configured_is_still_refused() {
    let f = english_site();
    f.write(
        "content/tin-tuc/tap-huan.fr.md",
        "+++\ntitle = \"Formation\"\n+++\n",
    );
    let err = failed(&f);
    assert!(
        err.contains("content/tin-tuc/tap-huan.fr.md:1:1: tệp bản dịch ngôn ngữ `fr`: config.toml chỉ khai báo [languages.en], bantin không dựng trang `fr`"),
        "{err}"
    );
    assert!(err.contains("đổi tên thành tap-huan.md"), "{err}");
}

#[test]
fn unknown_languages_and_misspelt_keys_are_config_errors_at_their_place() {
    let f = english_site();
    let config = f.read("config.toml");
    f.write(
        "config.toml",
        format!("{config}\n[languages.fr]\ntitle = \"Comité\"\ndescription = \"x\"\n"),
    );
    let line = config.lines().count() + 2;
    let err = failed(&f);
    assert!(
        err.contains(&format!(
            "config.toml:{line}:1: [languages.fr]: bantin chưa có trang cho ngôn ngữ \"fr\""
        )),
        "{err}"
    );
    assert!(err.contains("ngôn ngữ dùng được: en"), "{err}");

    f.write(
        "config.toml",
        config.replace(
            "description = \"English pages",
            "descripton = \"English pages",
        ),
    );
    let err = failed(&f);
    let line = config
        .lines()
        .position(|l| l.starts_with("description = \"English pages"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("config.toml:{line}:1")), "{err}");
    assert!(err.contains("descripton"), "{err}");
}

#[test]
fn a_site_without_languages_has_no_trace_of_them() {
    let f = Fixture::new("basic");
    built(&f);
    assert!(!f.exists("public/en"));
    let sitemap = f.read("public/sitemap.xml");
    assert!(!sitemap.contains("xhtml"), "{sitemap}");
    for e in walkdir::WalkDir::new(f.path("public")) {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "html") {
            let s = std::fs::read_to_string(e.path()).unwrap();
            assert!(!s.contains("hreflang"), "{}", e.path().display());
            assert!(!s.contains("doi-ngon-ngu"), "{}", e.path().display());
            assert!(
                s.contains("<html lang=\"vi\">") || !s.contains("<html"),
                "{}",
                e.path().display()
            );
        }
    }
}

#[test]
fn the_example_site_has_english_pages_on_the_organisation() {
    let f = crate::common::built_example();
    for (en, vi) in [
        ("en/", ""),
        ("en/about/", "gioi-thieu/"),
        (
            "en/about/functions-and-duties/",
            "gioi-thieu/chuc-nang-nhiem-vu/",
        ),
        ("en/about/leadership/", "gioi-thieu/lanh-dao/"),
        ("en/about/contact/", "gioi-thieu/lien-he/"),
    ] {
        let doc = f.html(&format!("public/{en}index.html"));
        assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("en"));
        let switch = select(&doc, ".doi-ngon-ngu a");
        assert_eq!(
            switch[0].value().attr("href"),
            Some(format!("/{vi}").as_str()),
            "{en}"
        );
        let twin = f.html(&format!("public/{vi}index.html"));
        let back = select(&twin, ".doi-ngon-ngu a");
        assert_eq!(
            back[0].value().attr("href"),
            Some(format!("/{en}").as_str()),
            "{vi}"
        );
    }
}

#[test]
fn a_broken_link_in_an_english_page_fails_at_its_line() {
    let f = english_site();
    f.write(
        "content/tin-tuc/chi-tieng-anh.en.md",
        "+++\ntitle = \"Only in English\"\n+++\n\nSee [the report](@/tin-tuc/khong-co.en.md).\n",
    );
    let err = failed(&f);
    assert!(
        err.contains("content/tin-tuc/chi-tieng-anh.en.md:5:5: liên kết tới bài không tồn tại: \"@/tin-tuc/khong-co.en.md\""),
        "{err}"
    );
}

#[test]
fn the_english_home_page_has_no_breadcrumb_to_itself() {
    let f = english_site();
    built(&f);
    let home = f.html("public/en/index.html");
    assert!(select(&home, "nav.duong-dan").is_empty());
    assert_eq!(text(&select(&home, "h1")[0]), "Ethnic Affairs Board");
}

#[test]
fn an_english_bundle_page_gets_the_bundles_files_beside_it() {
    let f = english_site();
    f.write(
        "content/tin-tuc/goi-anh/index.en.md",
        "+++\ntitle = \"A page with a picture\"\n+++\n\n![Diagram](so-do.svg)\n",
    );
    built(&f);
    let doc = f.html("public/en/tin-tuc/goi-anh/index.html");
    let img = select(&doc, ".bai-viet__than img");
    assert_eq!(
        img[0].value().attr("src"),
        Some("/bantin/en/tin-tuc/goi-anh/so-do.svg")
    );
    assert_eq!(
        f.read("public/en/tin-tuc/goi-anh/so-do.svg"),
        f.read("content/tin-tuc/goi-anh/so-do.svg")
    );
    assert_eq!(
        alternates(&f, "public/en/tin-tuc/goi-anh/index.html").len(),
        3
    );
}

/// The fixture article `tin-tuc/tap-huan` and its English twin, as `(hreflang, href)`.
fn training_twins() -> Vec<(String, String)> {
    [
        ("vi", "tin-tuc/tap-huan/"),
        ("en", "en/tin-tuc/training/"),
        ("x-default", "tin-tuc/tap-huan/"),
    ]
    .map(|(l, p)| (l.to_string(), format!("https://example.gov.vn/bantin/{p}")))
    .to_vec()
}
