//! The foundation: every page type, URLs under a sub-path, pagination, drafts, aliases,
//! bundles, heading ids, Unicode normalisation, feeds and sitemap.

use crate::common::*;

#[test]
fn every_page_type_exists_and_internal_links_resolve() {
    let f = Fixture::new("basic");
    let r = f.build_ok();
    for file in [
        "public/index.html",
        "public/tin-tuc/index.html",
        "public/tin-tuc/ket-qua-du-an-8/index.html",
        "public/tags/index.html",
        "public/tags/binh-dang-gioi/index.html",
        "public/chu-de/du-an-8/index.html",
        "public/404.html",
        "public/rss.xml",
        "public/atom.xml",
        "public/tin-tuc/rss.xml",
        "public/tags/binh-dang-gioi/atom.xml",
        "public/sitemap.xml",
        "public/robots.txt",
        "public/css/style.css",
    ] {
        assert!(f.exists(file), "missing {file}");
    }
    assert!(r.pages >= 10, "{}", r.pages);
    let broken = broken_internal_links(&f.path("public"), "/bantin/");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn article_page_shows_title_vietnamese_date_author_and_body() {
    let f = Fixture::new("basic");
    f.build_ok();
    let doc = f.html("public/tin-tuc/ket-qua-du-an-8/index.html");
    let h1 = select(&doc, "main h1");
    assert_eq!(text(&h1[0]), "Kết quả thực hiện Dự án 8 năm 2022");
    let main = main_text(&doc);
    assert!(
        main.contains("Thứ Hai, ngày 12 tháng 12 năm 2022"),
        "{main}"
    );
    assert!(main.contains("Nguyễn Thanh Hưng"));
    assert!(main.contains("3.829 triệu đồng"));
    assert_eq!(select(&doc, "html")[0].value().attr("lang"), Some("vi"));
    // the table is wrapped for small screens
    assert_eq!(select(&doc, "main .bang > table").len(), 1);
    // footer organisation block
    let footer = text(&select(&doc, "footer").last().unwrap().clone());
    assert!(footer.contains("Ban Dân tộc tỉnh Thử"), "{footer}");
}

#[test]
fn heading_ids_are_slugs_unique_per_page_and_anchor_links_resolve() {
    let f = Fixture::new("basic");
    f.build_ok();
    let doc = f.html("public/tin-tuc/ket-qua-du-an-8/index.html");
    let ids: Vec<String> = select(&doc, "main h2[id]")
        .iter()
        .map(|h| h.value().attr("id").unwrap().to_string())
        .collect();
    assert!(
        ids.contains(&"ket-qua".to_string()) && ids.contains(&"ket-qua-2".to_string()),
        "{ids:?}"
    );
    let links: Vec<String> = select(&doc, "main a[href]")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert!(
        links.contains(&"/bantin/thong-bao/lich-hop/#thoi-gian".to_string()),
        "{links:?}"
    );
}

/// Every id on a rendered article is unique, and links may point at any of them: headings that
/// would take the theme's ids (`## Nội dung` is `<main id="noi-dung">`), footnotes, ids from raw
/// HTML and the template's own title id. E-mail autolinks pass untouched.
#[test]
fn ids_on_a_whole_page_are_unique_and_every_one_is_a_link_target() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/muc-luc.md",
        "+++\ntitle = \"Mục lục\"\ndate = 2024-05-01\n+++\n\
         Về [đầu](#noi-dung), [tiêu đề](#tieu-de-bai), [ghi chú](#gc), [mục b](#muc-b), \
         [nội dung](#noi-dung-2), [khác](@/tin-tuc/muc-luc.md#tieu-de-bai).\n\n\
         ## Nội dung\n\nCó ghi chú[^gc]. <span id=\"muc-b\">B</span>\n\n\
         ## Tiêu đề bài\n\nLiên hệ <lienhe@tinh.gov.vn>.\n\n[^gc]: Ghi chú.\n",
    );
    f.build_ok();
    let doc = f.html("public/tin-tuc/muc-luc/index.html");
    let mut ids: Vec<&str> = select(&doc, "[id]")
        .iter()
        .map(|e| e.value().attr("id").unwrap())
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "an id repeats on the page: {ids:?}");
    let h2: Vec<&str> = select(&doc, "article h2[id]")
        .iter()
        .map(|h| h.value().attr("id").unwrap())
        .collect();
    assert_eq!(h2, ["noi-dung-2", "tieu-de-bai-2"]);
    assert_eq!(select(&doc, "main#noi-dung").len(), 1);
    let mail: Vec<&str> = select(&doc, "a[href^='mailto:']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(mail.contains(&"mailto:lienhe@tinh.gov.vn"), "{mail:?}");
    // an anchor that is nowhere on the page is still refused
    f.write(
        "content/tin-tuc/sai.md",
        "+++\ntitle = \"Sai\"\ndate = 2024-05-01\n+++\n[x](@/tin-tuc/muc-luc.md#khong-co)\n",
    );
    let err = f.build().unwrap_err().diagnostics.to_string();
    assert!(
        err.contains("content/tin-tuc/sai.md:5:1: liên kết \"@/tin-tuc/muc-luc.md#khong-co\": không có mục #khong-co"),
        "{err}"
    );
}

/// A relative `.md` link to a file that does not exist: the hint does not suggest an article
/// that only shares the folder.
#[test]
fn a_broken_relative_md_link_gets_no_unrelated_suggestion() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/lien-ket.md",
        "+++\ntitle = \"Liên kết\"\ndate = 2024-05-01\n+++\n[x](./target.md) [y](./tap-huam.md)\n",
    );
    let err = f.build().unwrap_err().diagnostics.to_string();
    let lines: Vec<&str> = err.lines().collect();
    let at = |s: &str| {
        lines
            .iter()
            .position(|l| l.contains(s))
            .unwrap_or_else(|| panic!("{s}: {err}"))
    };
    let first = at("liên kết tới bài không tồn tại: \"./target.md\"");
    assert_eq!(
        lines[first + 1].trim(),
        "→ cách sửa: đường dẫn tương đối tính từ thư mục của bài (content/tin-tuc); hoặc viết @/chuyen-muc/ten-tep.md, tính từ content/"
    );
    let second = at("liên kết tới bài không tồn tại: \"./tap-huam.md\"");
    assert!(
        lines[second + 1].contains("có phải ý bạn là @/tin-tuc/tap-huan.md?"),
        "{err}"
    );
}

#[test]
fn base_url_path_is_honoured_everywhere() {
    let f = Fixture::new("basic");
    let out = f.bantin(&["build", "--base-url", "http://127.0.0.1:8080/mot/hai/"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let broken = broken_internal_links(&f.path("public"), "/mot/hai/");
    assert!(broken.is_empty(), "{broken:#?}");
    let rss = f.read("public/rss.xml");
    assert!(
        rss.contains("<link>http://127.0.0.1:8080/mot/hai/tin-tuc/ket-qua-du-an-8/</link>"),
        "{rss}"
    );
    let robots = f.read("public/robots.txt");
    assert!(robots.contains("Sitemap: http://127.0.0.1:8080/mot/hai/sitemap.xml"));
    // under a sub-path: only the site's path is allowed, and the file says where it belongs
    assert!(robots.contains("\nAllow: /mot/hai/\n"), "{robots}");
    assert!(!robots.contains("Allow: /\n"), "{robots}");
    assert!(robots.starts_with("# Trang nằm ở /mot/hai/"), "{robots}");
}

/// At the root of a host, robots.txt is the plain one (the sub-path case is in the test above).
#[test]
fn robots_txt_at_the_root_of_the_host() {
    let f = Fixture::new("basic");
    let cfg = f.read("config.toml");
    let root = with_base_url(&cfg, "https://ban-tin.example.gov.vn/");
    f.write("config.toml", root);
    f.build_ok();
    assert_eq!(
        f.read("public/robots.txt"),
        "User-agent: *\nAllow: /\nSitemap: https://ban-tin.example.gov.vn/sitemap.xml\n"
    );
}

/// `config` with its `base_url = "…"` line replaced.
fn with_base_url(config: &str, url: &str) -> String {
    config
        .lines()
        .map(|l| {
            if l.starts_with("base_url") {
                format!("base_url = \"{url}\"")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn pagination_boundaries() {
    let f = Fixture::new("basic");
    // tin-tuc has 3 published articles with paginate_by = 2: pages 1 and 2, not 3
    f.build_ok();
    let p1 = f.html("public/tin-tuc/index.html");
    let p2 = f.html("public/tin-tuc/trang/2/index.html");
    assert!(!f.exists("public/tin-tuc/trang/3/index.html"));
    let count =
        |d: &scraper::Html| select(d, "main article h2, main article h3, main li article").len();
    let main1 = main_text(&p1);
    let main2 = main_text(&p2);
    assert!(
        main1.contains("Bài có ảnh") && main1.contains("Tập huấn truyền thông"),
        "{main1}"
    );
    assert!(
        main2.contains("Kết quả thực hiện Dự án 8") && !main2.contains("Bài có ảnh"),
        "{main2}"
    );
    let _ = count;
    // exactly paginate_by articles: one page only
    f.remove("content/tin-tuc/tap-huan.md");
    f.build_ok();
    assert!(!f.exists("public/tin-tuc/trang/2/index.html"));
    // an empty section still has its page
    f.write("content/trong/_index.md", "+++\ntitle = \"Trống\"\n+++\n");
    f.build_ok();
    assert!(f.exists("public/trong/index.html"));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let f = Fixture::new("basic");
    f.build_ok();
    assert!(!f.exists("public/tin-tuc/ban-nhap/index.html"));
    assert!(!f.read("public/sitemap.xml").contains("ban-nhap"));
    let out = f.bantin(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(f.exists("public/tin-tuc/ban-nhap/index.html"));
}

#[test]
fn aliases_emit_redirect_pages() {
    let f = Fixture::new("basic");
    f.build_ok();
    let html = f.read("public/tin-cu/tap-huan/index.html");
    assert!(
        html.contains("http-equiv=\"refresh\" content=\"0; url=/bantin/tin-tuc/tap-huan/\""),
        "{html}"
    );
    assert!(html.contains("rel=\"canonical\""));
    assert!(!f.read("public/sitemap.xml").contains("tin-cu"));
}

#[test]
fn bundle_assets_are_copied_next_to_the_page() {
    let f = Fixture::new("basic");
    f.build_ok();
    assert!(f.exists("public/tin-tuc/goi-anh/so-do.svg"));
    let doc = f.html("public/tin-tuc/goi-anh/index.html");
    let img = select(&doc, "main img");
    assert_eq!(
        img[0].value().attr("src"),
        Some("/bantin/tin-tuc/goi-anh/so-do.svg")
    );
    assert_eq!(img[0].value().attr("alt"), Some("Sơ đồ minh hoạ"));
}

#[test]
fn taxonomy_terms_merge_spellings_and_sort_in_vietnamese_order() {
    let f = Fixture::new("basic");
    f.build_ok();
    // "bình đẳng giới" and "Bình đẳng giới" are one term with two articles
    let doc = f.html("public/tags/binh-dang-gioi/index.html");
    let main = main_text(&doc);
    assert!(
        main.contains("Kết quả thực hiện Dự án 8") && main.contains("Tập huấn truyền thông"),
        "{main}"
    );
    let list = f.html("public/tags/index.html");
    let names: Vec<String> = select(&list, "main a[href*='/tags/']")
        .iter()
        .map(text)
        .collect();
    let pos = |n: &str| {
        names
            .iter()
            .position(|x| x.contains(n))
            .unwrap_or_else(|| panic!("{n} not in {names:?}"))
    };
    assert!(pos("bình đẳng giới") < pos("giải ngân"));
    assert!(pos("giải ngân") < pos("truyền thông"));
}

#[test]
fn nfd_input_renders_identical_to_nfc() {
    use unicode_normalization::UnicodeNormalization;
    let nfc = Fixture::new("basic");
    let nfd = Fixture::new("basic");
    for rel in [
        "content/tin-tuc/ket-qua-du-an-8.md",
        "content/tin-tuc/tap-huan.md",
        "config.toml",
    ] {
        let text = nfd.read(rel);
        let decomposed: String = text.nfd().collect();
        assert_ne!(text, decomposed);
        nfd.write(rel, decomposed);
    }
    let a = nfc.bantin(&["build"]);
    let b = nfd.bantin(&["build"]);
    assert!(
        a.status.success() && b.status.success(),
        "{}{}",
        stderr(&a),
        stderr(&b)
    );
    assert_eq!(tree(&nfc.path("public")), tree(&nfd.path("public")));
}

#[test]
fn feeds_are_xml_with_absolute_links_and_vietnamese_titles() {
    let f = Fixture::new("basic");
    f.build_ok();
    for feed in [
        "public/rss.xml",
        "public/tin-tuc/rss.xml",
        "public/tags/binh-dang-gioi/rss.xml",
    ] {
        let xml = f.read(feed);
        let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
        let links: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("link"))
            .filter_map(|n| n.text())
            .collect();
        assert!(!links.is_empty(), "{feed}");
        for l in links {
            assert!(
                l.starts_with("https://example.gov.vn/bantin/"),
                "{feed}: {l}"
            );
        }
    }
    let atom = f.read("public/atom.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .unwrap()
        .text()
        .unwrap();
    assert!(title.contains("Bản tin thử nghiệm"), "{title}");
    for n in doc.descendants().filter(|n| n.has_tag_name("link")) {
        let href = n.attribute("href").unwrap();
        assert!(href.starts_with("https://example.gov.vn/bantin/"), "{href}");
    }
    // bodies are included with absolute URLs (the bundle image)
    let rss = f.read("public/tin-tuc/rss.xml");
    assert!(
        rss.contains("src=&quot;https://example.gov.vn/bantin/tin-tuc/goi-anh/so-do.svg&quot;"),
        "{rss}"
    );
    let sitemap = f.read("public/sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.contains(&"https://example.gov.vn/bantin/tin-tuc/ket-qua-du-an-8/"),
        "{locs:?}"
    );
    assert!(locs
        .iter()
        .all(|l| l.starts_with("https://example.gov.vn/bantin/")));
}

#[test]
fn related_articles_prefer_shared_areas_projects_and_tags() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/cung-du-an.md",
        "+++\ntitle = \"Cùng dự án\"\ndate = 2021-01-01\nprojects = [\"du-an-8\"]\n+++\n\nx\n",
    );
    f.build_ok();
    let doc = f.html("public/tin-tuc/ket-qua-du-an-8/index.html");
    let related: Vec<String> = select(&doc, ".lien-quan a, [aria-labelledby='bai-lien-quan'] a")
        .iter()
        .map(text)
        .collect();
    assert!(!related.is_empty(), "no related list found");
    // same project (3 points) + same section beats shared tag + section, despite being older
    assert_eq!(related[0], "Cùng dự án", "{related:?}");
}

/// Related articles share an area, project, tag or chủ đề; the province alone (an area with
/// sub-areas, which nearly every article has) is not enough, and nothing fills the list up with
/// articles that share nothing, not even from the same section. Order: points shared, then
/// newest first.
#[test]
fn related_articles_share_something_specific() {
    let f = Fixture::new("basic");
    let config = f.read("config.toml");
    f.write(
        "config.toml",
        config.replacen(
            "paginate_by = 2\n",
            "paginate_by = 2\nrelated_limit = 10\n",
            1,
        ),
    );
    f.write(
        "content/data/areas.toml",
        "[[area]]\nid = \"kon-tum\"\nname = \"Tỉnh Kon Tum\"\nlevel = \"tinh\"\n\n\
         [[area]]\nid = \"dak-ha\"\nname = \"Huyện Đăk Hà\"\nlevel = \"huyen\"\nparent = \"kon-tum\"\n",
    );
    f.write(
        "content/data/programs.toml",
        "[[program]]\nid = \"ct\"\nname = \"Chương trình\"\ndecision = \"1719/QĐ-TTg\"\n\n\
         [[project]]\nid = \"du-an-8\"\nprogram = \"ct\"\nnumber = 8\nname = \"Bình đẳng giới\"\n",
    );
    let article = |path: &str, title: &str, date: &str, front: &str| {
        f.write(
            path,
            format!("+++\ntitle = \"{title}\"\ndate = {date}\n{front}+++\n\nNội dung.\n"),
        );
    };
    article(
        "content/hoat-dong/goc.md",
        "Bài gốc",
        "2024-05-01",
        "areas = [\"kon-tum\"]\nprojects = [\"du-an-8\"]\n[taxonomies]\n\
         tags = [\"thẻ a\", \"thẻ b\"]\nchu_de = [\"Chủ đề X\"]\n",
    );
    // project 3 + tag 2 + same section 1
    article(
        "content/hoat-dong/cung-du-an.md",
        "Cùng dự án và thẻ",
        "2020-01-01",
        "projects = [\"du-an-8\"]\n[taxonomies]\ntags = [\"thẻ a\"]\n",
    );
    // (the fixture's ket-qua-du-an-8: project 3 + province 1)
    // province 1 + chủ đề 2: a notice that shares a topic
    article(
        "content/thong-bao/cung-chu-de.md",
        "Thông báo cùng chủ đề",
        "2024-04-01",
        "areas = [\"kon-tum\"]\n[taxonomies]\nchu_de = [\"Chủ đề X\"]\n",
    );
    // tag 2 each: the newer first
    article(
        "content/tin-tuc/the-b.md",
        "Cùng thẻ b",
        "2023-01-01",
        "[taxonomies]\ntags = [\"thẻ b\"]\n",
    );
    article(
        "content/tin-tuc/the-a.md",
        "Cùng thẻ a",
        "2021-01-01",
        "[taxonomies]\ntags = [\"thẻ a\"]\n",
    );
    // never: only the province; nothing at all (same section, newest of the site)
    article(
        "content/thong-bao/chi-cung-tinh.md",
        "Lịch tiếp công dân",
        "2024-06-28",
        "areas = [\"kon-tum\"]\n",
    );
    article(
        "content/hoat-dong/khong-chung.md",
        "Cùng chuyên mục, không chung gì",
        "2024-06-30",
        "areas = [\"dak-ha\"]\n",
    );
    f.build_ok();
    let related = |rel: &str| -> Vec<String> {
        let doc = f.html(rel);
        select(&doc, ".lien-quan a").iter().map(text).collect()
    };
    assert_eq!(
        related("public/hoat-dong/goc/index.html"),
        [
            "Cùng dự án và thẻ",
            "Kết quả thực hiện Dự án 8 năm 2022",
            "Thông báo cùng chủ đề",
            "Cùng thẻ b",
            "Cùng thẻ a",
        ]
    );
    // Sharing nothing specific with any article: no list at all, not the newest of the section.
    let doc = f.html("public/thong-bao/chi-cung-tinh/index.html");
    assert!(select(&doc, ".lien-quan").is_empty(), "{}", main_text(&doc));
    // The same build again lists the same, in the same order.
    f.build_ok();
    assert_eq!(
        related("public/hoat-dong/goc/index.html")[..2],
        ["Cùng dự án và thẻ", "Kết quả thực hiện Dự án 8 năm 2022"]
    );
}

/// The example site's Dự án 8 article (province, Dự án 8, bình đẳng giới…): the office-hours
/// notice shares only the province with it and is not listed.
#[test]
fn example_du_an_8_article_lists_no_unrelated_notice() {
    let f = Fixture::example();
    f.build_ok();
    let doc = f.html("public/hoat-dong/ket-qua-du-an-8-nam-2022/index.html");
    let related: Vec<String> = select(&doc, ".lien-quan a").iter().map(text).collect();
    assert!(!related.is_empty());
    assert!(
        !related.iter().any(|t| t.contains("Lịch tiếp công dân")),
        "{related:?}"
    );
}

#[test]
fn notices_sidebar_lists_the_notices_section() {
    let f = Fixture::new("basic");
    f.build_ok();
    let doc = f.html("public/tin-tuc/index.html");
    let aside: String = select(&doc, "aside").iter().map(text).collect();
    assert!(aside.contains("Lịch họp giao ban quý I"), "{aside}");
}

/// A rebuild keeps unchanged output files as they were (same file, same modification time:
/// deploy tools copy only what changed) and rewrites the rest, including files edited by hand.
#[cfg(unix)]
#[test]
fn a_rebuild_keeps_unchanged_files_and_rewrites_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let f = Fixture::new("basic");
    f.build_ok();
    let meta = |rel: &str| std::fs::metadata(f.path(rel)).unwrap();
    let kept = "public/tin-tuc/ket-qua-du-an-8/index.html";
    let before = (meta(kept).ino(), meta(kept).mtime_nsec(), f.read(kept));
    let css = "public/css/style.css";
    f.write(css, "/* sửa tay */");
    let edited = "content/tin-tuc/tap-huan.md";
    let text = f.read(edited);
    f.write(edited, format!("{text}\nMột câu thêm vào cuối bài.\n"));
    f.build_ok();
    assert_eq!(
        (meta(kept).ino(), meta(kept).mtime_nsec(), f.read(kept)),
        before
    );
    assert!(
        !f.read(css).contains("sửa tay"),
        "hand edit must be replaced"
    );
    assert!(f
        .read("public/tin-tuc/tap-huan/index.html")
        .contains("Một câu thêm vào cuối bài."));
}

/// A section with `feed = false` writes no feeds and its page names none (a `<link
/// rel="alternate">` to a missing file is a broken link for feed readers and crawlers).
#[test]
fn a_section_without_feeds_links_to_none() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/_index.md",
        "+++\ntitle = \"Tin tức\"\nfeed = false\n+++\n",
    );
    f.build_ok();
    assert!(!f.exists("public/tin-tuc/rss.xml"));
    let doc = f.html("public/tin-tuc/index.html");
    let feeds: Vec<String> = select(&doc, "link[rel=alternate]")
        .iter()
        .filter_map(|l| l.value().attr("href").map(str::to_string))
        .filter(|h| h.contains("tin-tuc/"))
        .collect();
    assert_eq!(feeds, Vec::<String>::new());
    // the site's own feeds are still named
    assert!(!select(&doc, "link[rel=alternate][href$=\"/rss.xml\"]").is_empty());
    // a section with feeds names its own
    f.write(
        "content/tin-tuc/_index.md",
        "+++\ntitle = \"Tin tức\"\n+++\n",
    );
    f.build_ok();
    let doc = f.html("public/tin-tuc/index.html");
    assert!(!select(&doc, "link[href$=\"tin-tuc/rss.xml\"]").is_empty());
}
