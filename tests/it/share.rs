//! Share previews (issue 16 item 3): Open Graph and Twitter tags on every page with absolute
//! URLs that resolve to files of the build, the generated PNG cards (size, determinism, reuse
//! between builds), and hostile titles escaped in the tags.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::*;

fn meta(doc: &scraper::Html, attr: &str, name: &str) -> Option<String> {
    select(doc, &format!("meta[{attr}=\"{name}\"]"))
        .first()
        .and_then(|m| m.value().attr("content"))
        .map(str::to_string)
}

fn og(doc: &scraper::Html, name: &str) -> Option<String> {
    meta(doc, "property", name)
}

/// The file of the build an absolute URL of the site points to (`None`: not the site's).
fn file_of(public: &Path, base: &str, url: &str) -> Option<std::path::PathBuf> {
    let rel = url.strip_prefix(base)?;
    let rel = rel.split(['?', '#']).next().unwrap_or("");
    Some(if rel.is_empty() || rel.ends_with('/') {
        public.join(rel).join("index.html")
    } else {
        public.join(rel)
    })
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

fn html_files(public: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(public)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            e.path()
                .strip_prefix(public)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_page_has_share_tags_with_absolute_urls_that_resolve() {
    let f = Fixture::example();
    f.build_ok();
    let public = f.path("public");
    let base = "http://127.0.0.1:1111/";
    let mut kinds = BTreeSet::new();
    let mut checked = 0;
    for rel in html_files(&public) {
        let doc = f.html(&format!("public/{rel}"));
        if !select(&doc, "meta[http-equiv=\"refresh\"]").is_empty() {
            // a redirect from an old address (aliases): readers never see it
            assert_eq!(og(&doc, "og:title"), None, "{rel}");
            continue;
        }
        checked += 1;
        let need = |name: &str| og(&doc, name).unwrap_or_else(|| panic!("{rel}: no {name}"));
        // the English pages ([languages.en]) name the site and locale in English
        let (locale, site_name) = if rel.starts_with("en/") {
            ("en_GB", "Ethnic Affairs Committee of Kon Tum Province")
        } else {
            ("vi_VN", "Ban Dân tộc tỉnh Kon Tum")
        };
        assert_eq!(need("og:locale"), locale, "{rel}");
        assert_eq!(need("og:site_name"), site_name, "{rel}");
        assert!(!need("og:title").is_empty(), "{rel}");
        let kind = need("og:type");
        kinds.insert(kind.clone());
        for name in ["og:url", "og:image"] {
            let url = need(name);
            let file = file_of(&public, base, &url).unwrap_or_else(|| {
                panic!("{rel}: {name} {url} is not an absolute URL of the site")
            });
            assert!(
                file.is_file(),
                "{rel}: {name} {url} → {} missing",
                file.display()
            );
        }
        let image = need("og:image");
        assert_eq!(
            meta(&doc, "name", "twitter:image").as_deref(),
            Some(&*image),
            "{rel}"
        );
        assert_eq!(
            meta(&doc, "name", "twitter:card").as_deref(),
            Some("summary_large_image"),
            "{rel}"
        );
        if image.ends_with(".png") && image.contains("/the-chia-se/") {
            assert_eq!(need("og:image:width"), "1200", "{rel}");
            assert_eq!(need("og:image:height"), "630", "{rel}");
        }
        if kind == "article" {
            // every dated article; the example's Giới thiệu pages (functions, leaders,
            // contacts: the twins of the English pages) have no date
            match og(&doc, "article:published_time") {
                Some(published) => {
                    assert!(
                        chrono::DateTime::parse_from_rfc3339(&published).is_ok(),
                        "{rel}: {published}"
                    );
                    assert!(need("article:modified_time") >= published, "{rel}");
                }
                None => assert!(
                    rel.starts_with("gioi-thieu/"),
                    "{rel}: no article:published_time"
                ),
            }
        } else {
            assert_eq!(og(&doc, "article:published_time"), None, "{rel}");
        }
        // og:url is the canonical address (the 404 page has none)
        if let Some(link) = select(&doc, "link[rel=canonical]").first() {
            assert_eq!(link.value().attr("href"), Some(&*need("og:url")), "{rel}");
        }
    }
    assert_eq!(kinds, BTreeSet::from(["article".into(), "website".into()]));
    assert!(checked > 50, "{checked}");

    // each page type, by name: an article, a section, its second page, a term, the taxonomy,
    // the data pages, search and 404
    let card_of = |rel: &str| og(&f.html(&format!("public/{rel}")), "og:image").unwrap();
    for (page, card) in [
        ("index.html", "the-chia-se/trang-chu.png"),
        ("tin-tuc/index.html", "the-chia-se/tin-tuc.png"),
        ("dia-ban/index.html", "the-chia-se/dia-ban.png"),
        (
            "dia-ban/dak-ha/index.html",
            "the-chia-se/dia-ban/dak-ha.png",
        ),
        ("du-an/index.html", "the-chia-se/du-an.png"),
        ("du-an/du-an-8/index.html", "the-chia-se/du-an/du-an-8.png"),
        ("tong-quan/index.html", "the-chia-se/tong-quan.png"),
        ("du-lieu/index.html", "the-chia-se/du-lieu.png"),
        ("tim-kiem/index.html", "the-chia-se/tim-kiem.png"),
        ("404.html", "the-chia-se/trang-chu.png"),
        ("chu-de/index.html", "the-chia-se/chu-de.png"),
    ] {
        assert_eq!(card_of(page), format!("{base}{card}"), "{page}");
    }
}

#[test]
fn share_tags_use_the_base_path_and_an_articles_photo() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/co-anh.md",
        "+++\ntitle = \"Bài có ảnh\"\ndate = 2024-05-02\n+++\n\nMở đầu.\n\n![Hội nghị](/anh/hoi-nghi.jpg)\n",
    );
    // a phone photo with EXIF, larger than the largest variant
    f.write(
        "static/anh/hoi-nghi.jpg",
        crate::anh::jpeg_with_exif(2000, 1500, 1),
    );
    f.write(
        "content/tin-tuc/anh-rieng/index.md",
        "+++\ntitle = \"Bài chọn ảnh\"\ndate = 2024-05-03\nimage = \"chon.jpg\"\n+++\n\n![Sơ đồ](so-do.svg)\n\n![Ảnh khác](khac.jpg)\n",
    );
    f.write(
        "content/tin-tuc/anh-rieng/chon.jpg",
        crate::anh::jpeg_with_exif(2000, 1500, 1),
    );
    f.write(
        "content/tin-tuc/anh-rieng/khac.jpg",
        crate::anh::jpeg_with_exif(800, 600, 1),
    );
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"></svg>";
    f.write("content/tin-tuc/anh-rieng/so-do.svg", svg);
    // an SVG drawing is not a photo Zalo or Facebook shows: the card stands in
    f.write(
        "content/tin-tuc/so-do/index.md",
        "+++\ntitle = \"Chỉ có sơ đồ\"\ndate = 2024-05-04\n+++\n\n![Sơ đồ](so-do.svg)\n",
    );
    f.write("content/tin-tuc/so-do/so-do.svg", svg);
    f.build_ok();
    let doc = f.html("public/tin-tuc/co-anh/index.html");
    // a static/ picture is published at its own size under its own name
    assert_eq!(
        og(&doc, "og:image").as_deref(),
        Some("https://example.gov.vn/bantin/anh/hoi-nghi.jpg")
    );
    assert_eq!(og(&doc, "og:image:width").as_deref(), Some("2000"));
    assert_eq!(og(&doc, "og:image:type").as_deref(), Some("image/jpeg"));
    assert_eq!(
        og(&doc, "og:url").as_deref(),
        Some("https://example.gov.vn/bantin/tin-tuc/co-anh/")
    );
    assert_eq!(og(&doc, "og:description").as_deref(), Some("Mở đầu."));
    // the image key wins over the body's first photo; a bundle photo is shared as its largest
    // variant (1600 px), published under the photo's own name
    let chon = f.html("public/tin-tuc/anh-rieng/index.html");
    assert_eq!(
        og(&chon, "og:image").as_deref(),
        Some("https://example.gov.vn/bantin/tin-tuc/anh-rieng/chon.jpg")
    );
    assert_eq!(
        (
            og(&chon, "og:image:width").as_deref(),
            og(&chon, "og:image:height").as_deref()
        ),
        (Some("1600"), Some("1200"))
    );
    let shared = std::fs::read(f.path("public/tin-tuc/anh-rieng/chon.jpg")).unwrap();
    assert!(crate::anh::metadata_in(&shared).is_empty());
    // an article without a photo shares its section's card; no card is drawn per article
    let so_do = f.html("public/tin-tuc/so-do/index.html");
    assert_eq!(
        og(&so_do, "og:image").as_deref(),
        Some("https://example.gov.vn/bantin/the-chia-se/tin-tuc.png")
    );
    assert_eq!(og(&so_do, "og:image:alt").as_deref(), Some("Tin tức"));
    assert_eq!(og(&so_do, "og:title").as_deref(), Some("Chỉ có sơ đồ"));
    assert!(f.exists("public/the-chia-se/tin-tuc.png"));
    assert!(!f.exists("public/the-chia-se/tin-tuc/so-do.png"));
    // a listing's later pages share its first page's card
    assert_eq!(
        og(&f.html("public/tin-tuc/trang/2/index.html"), "og:image").as_deref(),
        Some("https://example.gov.vn/bantin/the-chia-se/tin-tuc.png")
    );
    let home = f.html("public/index.html");
    assert_eq!(
        og(&home, "og:image").as_deref(),
        Some("https://example.gov.vn/bantin/the-chia-se/trang-chu.png")
    );
    assert!(f.exists("public/the-chia-se/trang-chu.png"));
}

#[test]
fn data_page_card_is_a_1200_by_630_png() {
    let f = Fixture::example();
    f.build_ok();
    let doc = f.html("public/dia-ban/dak-ha/index.html");
    assert_eq!(
        og(&doc, "og:image").as_deref(),
        Some("http://127.0.0.1:1111/the-chia-se/dia-ban/dak-ha.png")
    );
    let bytes = std::fs::read(f.path("public/the-chia-se/dia-ban/dak-ha.png")).unwrap();
    assert_eq!(png_size(&bytes), (1200, 630));
    assert!(bytes.len() < 150_000, "{} bytes", bytes.len());
    // not in the sitemap, which lists pages
    assert!(!f.read("public/sitemap.xml").contains("the-chia-se"));
}

#[test]
fn hostile_titles_are_escaped_in_share_tags() {
    let f = Fixture::new("basic");
    let title = r#""><script>alert(1)</script> & 'x' <b>"#;
    f.write(
        "content/tin-tuc/doc.md",
        format!(
            "+++\ntitle = '''{title}'''\ndescription = 'mô tả \" onload=\"x'\ndate = 2024-05-02\n+++\n\nThân bài.\n"
        ),
    );
    f.build_ok();
    let raw = f.read("public/tin-tuc/doc/index.html");
    assert!(!raw.contains("<script>alert"), "{raw}");
    assert!(!raw.contains("\" onload=\"x"), "{raw}");
    let doc = scraper::Html::parse_document(&raw);
    assert_eq!(og(&doc, "og:title").as_deref(), Some(title));
    assert_eq!(meta(&doc, "name", "twitter:title").as_deref(), Some(title));
    assert_eq!(
        og(&doc, "og:description").as_deref(),
        Some("mô tả \" onload=\"x")
    );
    // a section card draws its title: it still builds and is a PNG of the promised size
    f.write(
        "content/tin-tuc/_index.md",
        format!("+++\ntitle = '''{title}'''\n+++\n"),
    );
    f.build_ok();
    let doc = f.html("public/tin-tuc/doc/index.html");
    assert_eq!(og(&doc, "og:image:alt").as_deref(), Some(title));
    let card = std::fs::read(f.path("public/the-chia-se/tin-tuc.png")).unwrap();
    assert_eq!(png_size(&card), (1200, 630));
}

#[test]
fn cards_are_the_same_bytes_in_two_builds_and_reused_when_unchanged() {
    let a = Fixture::example();
    let b = Fixture::example();
    a.build_ok();
    b.build_ok();
    let cards = |f: &Fixture| tree(&f.path("public/the-chia-se"));
    let first = cards(&a);
    assert!(first.len() > 20, "{}", first.len());
    assert_eq!(first, cards(&b));

    // a rebuild keeps a card drawn from the same values without drawing it again: a card
    // whose pixels were replaced (its key chunk kept) stays as it is…
    let card = a.path("public/the-chia-se/dia-ban/dak-ha.png");
    let mut doctored = std::fs::read(&card).unwrap()[..256].to_vec();
    doctored.extend_from_slice(b"kept, not drawn");
    std::fs::write(&card, &doctored).unwrap();
    a.build_ok();
    assert_eq!(std::fs::read(&card).unwrap(), doctored);
    // …and a card whose values changed is drawn again
    let areas = a.read("content/data/areas.toml");
    assert!(areas.contains("\"Huyện Đăk Hà\""));
    a.write(
        "content/data/areas.toml",
        areas.replacen("\"Huyện Đăk Hà\"", "\"Huyện Đăk Hà mới\"", 1),
    );
    a.build_ok();
    let redrawn = std::fs::read(&card).unwrap();
    assert_ne!(redrawn, doctored);
    assert_eq!(png_size(&redrawn), (1200, 630));
}
