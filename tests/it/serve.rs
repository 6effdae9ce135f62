//! `bantin serve`: the incremental pipeline equals a clean build byte for byte after every kind
//! of edit; the HTTP server (base path, content types, traversal refusals, 404); live reload,
//! the error overlay and recovery; the port-taken message; Ctrl-C.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{parse_response, Fixture, EPOCH};
use bantin::build::{build, BuildOptions, Sink};
use bantin::serve::incremental::{Engine, Outcome, Served};

const ARTICLE: &str = "content/hoat-dong/ket-qua-du-an-8-nam-2022.md";
const ARTICLE_PAGE: &str = "hoat-dong/ket-qua-du-an-8-nam-2022/index.html";
const REPORT: &str = "content/data/reports/du-an-8-kon-tum-2022-11.toml";
const OTHER_PAGE: &str = "thong-bao/lich-tiep-cong-dan-quy-iii-2024/index.html";
const WAIT: Duration = Duration::from_secs(60);

/// The example site (articles, sections, notices, data) served under a sub-path.
fn site() -> Fixture {
    std::env::set_var("SOURCE_DATE_EPOCH", EPOCH);
    let f = Fixture::example();
    let cfg = f.read("config.toml").replace(
        "base_url = \"http://127.0.0.1:1111/\"",
        "base_url = \"https://example.gov.vn/ban-tin/\"",
    );
    assert!(cfg.contains("/ban-tin/"));
    f.write("config.toml", cfg);
    f
}

/// Saves like an editor's "safe write": a temporary file renamed over the original.
fn save(f: &Fixture, rel: &str, text: &str) {
    let path = f.path(rel);
    let tmp = path.with_file_name(".goutputstream-TEST");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
}

/// Saves the article with `paragraph` inserted before its "Nhận xét chung" heading; returns
/// the text it had, to restore.
fn insert_paragraph(f: &Fixture, paragraph: &str) -> String {
    let good = f.read(ARTICLE);
    let bad = good.replacen(
        "## Nhận xét chung",
        &format!("{paragraph}\n\n## Nhận xét chung"),
        1,
    );
    save(f, ARTICLE, &bad);
    good
}

fn edit(f: &Fixture, rel: &str, from: &str, to: &str) {
    let text = f.read(rel);
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    save(f, rel, &text.replacen(from, to, 1));
}

/// A clean `build` into a temp dir with the served base URL: path → bytes.
pub(crate) fn clean_build(f: &Fixture, base_url: &str) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("out");
    let r = build(&BuildOptions {
        root: f.root.clone(),
        sink: Sink::Directory(dir.clone()),
        include_drafts: false,
        base_url: Some(base_url.to_string()),
        strict: false,
        list_changes: false,
        overlay: None,
    });
    if let Err(r) = r {
        panic!("clean build failed:\n{}", r.diagnostics);
    }
    let mut files = BTreeMap::new();
    for e in walkdir::WalkDir::new(&dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = bantin::diag::display_path(&dir, e.path());
            files.insert(rel, std::fs::read(e.path()).unwrap());
        }
    }
    files
}

pub(crate) fn snapshot_files(
    s: &bantin::serve::incremental::Snapshot,
) -> BTreeMap<String, Vec<u8>> {
    s.files
        .iter()
        .map(|(k, v)| {
            let bytes = match v {
                Served::Bytes(b) => b.as_ref().clone(),
                Served::File(p) => std::fs::read(p).unwrap(),
            };
            (k.clone(), bytes)
        })
        .collect()
}

pub(crate) fn assert_same(
    step: &str,
    served: &BTreeMap<String, Vec<u8>>,
    clean: &BTreeMap<String, Vec<u8>>,
) {
    let only_served: Vec<&String> = served.keys().filter(|k| !clean.contains_key(*k)).collect();
    let only_clean: Vec<&String> = clean.keys().filter(|k| !served.contains_key(*k)).collect();
    assert!(
        only_served.is_empty() && only_clean.is_empty(),
        "{step}: only served: {only_served:?}; only in the clean build: {only_clean:?}"
    );
    let differ: Vec<&String> = clean.keys().filter(|k| served[*k] != clean[*k]).collect();
    assert!(
        differ.is_empty(),
        "{step}: files differ from a clean build: {differ:?}"
    );
}

/// Rebuilds after `paths` changed, expecting the fast way (`Some(true)`) or the full one;
/// then, once the search index has followed in the background, the served files must equal a
/// clean build.
fn step(
    f: &Fixture,
    engine: &mut Engine,
    name: &str,
    paths: &[&str],
    fast: Option<bool>,
) -> Outcome {
    let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
    let o = engine
        .rebuild_changed(&paths)
        .unwrap_or_else(|d| panic!("{name}: rebuild failed:\n{d}"));
    if let Some(fast) = fast {
        assert_eq!(o.fast, fast, "{name}: fast way? ({:?})", o.why_full);
    }
    engine.poll_search(true);
    let served = snapshot_files(&engine.snapshot().unwrap());
    assert_same(name, &served, &clean_build(f, &engine.base_url().unwrap()));
    o
}

/// Edits a sentence of the article's body (same word count), rebuilds it with
/// [`step`] the fast way, and checks that its page was among those rendered.
fn edit_body(f: &Fixture, engine: &mut Engine, name: &str) -> Outcome {
    edit(
        f,
        ARTICLE,
        "Năm 2022, Hội LHPN tỉnh",
        "Năm 2022, Hội PHỤNỮ tỉnh",
    );
    let o = step(f, engine, name, &[ARTICLE], Some(true));
    assert!(
        o.rendered.contains(&ARTICLE_PAGE.to_string()),
        "{name}: {:?}",
        o.rendered
    );
    o
}

/// Every kind of edit, rebuilt incrementally, equals a clean build with the same base URL.
#[test]
fn incremental_rebuilds_equal_a_clean_build() {
    let f = site();
    let mut engine = Engine::new(f.root.clone(), false, "http://127.0.0.1:1".into());
    let base = engine.base_url().unwrap();
    assert_eq!(base, "http://127.0.0.1:1/ban-tin/");
    let first = engine.rebuild().unwrap();
    engine.poll_search(true);
    assert_same(
        "first build",
        &snapshot_files(&first.snapshot),
        &clean_build(&f, &base),
    );
    let total_rendered = first.rendered.len();

    let o = step(&f, &mut engine, "nothing changed", &[ARTICLE], Some(true));
    assert!(o.rendered.is_empty() && o.changed == 0, "{:?}", o.rendered);

    // An article's body: its page, not the data pages nor unrelated articles.
    // (same word count: the summary, shown in listings, stays the same)
    let o = edit_body(&f, &mut engine, "article body");
    for untouched in [
        "dia-ban/index.html",
        "tong-quan/index.html",
        OTHER_PAGE,
        "sitemap.xml",
    ] {
        assert!(
            !o.rendered.contains(&untouched.to_string()),
            "{untouched} re-rendered: {:?}",
            o.rendered
        );
    }
    assert!(
        o.rendered.len() < total_rendered / 4,
        "{} of {total_rendered}",
        o.rendered.len()
    );

    // A data report: data pages and the article using its figures.
    edit(&f, REPORT, "disbursed = 1393", "disbursed = 1400");
    let o = step(&f, &mut engine, "data report", &[REPORT], Some(false));
    assert!(
        o.rendered.contains(&ARTICLE_PAGE.to_string()),
        "{:?}",
        o.rendered
    );
    assert!(
        o.rendered.contains(&"tong-quan/index.html".to_string()),
        "{:?}",
        o.rendered
    );
    assert!(
        !o.rendered.contains(&OTHER_PAGE.to_string()),
        "{:?}",
        o.rendered
    );

    // Front matter: the date moves the article in every listing.
    edit(&f, ARTICLE, "date = ", "date = 2024-07-01\n# ngày cũ: ");
    step(&f, &mut engine, "article date", &[ARTICLE], Some(false));

    // New article with a new tag; a section's text; a removed article.
    f.write(
        "content/tin-tuc/bai-moi.md",
        "+++\ntitle = \"Bài mới\"\ndate = 2024-07-10\nareas = [\"kon-tum\"]\n[taxonomies]\ntags = [\"thẻ mới tinh\"]\n+++\n\nNội dung [liên kết](@/hoat-dong/ket-qua-du-an-8-nam-2022.md).\n",
    );
    step(
        &f,
        &mut engine,
        "new article",
        &["content/tin-tuc/bai-moi.md"],
        Some(false),
    );
    let sec = f.read("content/tin-tuc/_index.md");
    save(
        &f,
        "content/tin-tuc/_index.md",
        &format!("{sec}\nĐoạn giới thiệu mới.\n"),
    );
    step(
        &f,
        &mut engine,
        "section text",
        &["content/tin-tuc/_index.md"],
        Some(false),
    );
    f.remove("content/tin-tuc/bai-moi.md");
    step(
        &f,
        &mut engine,
        "removed article",
        &["content/tin-tuc/bai-moi.md"],
        Some(false),
    );

    // A template: everything is rendered again.
    let template = "themes/cong-thong-tin/templates/base.html";
    edit(&f, template, "</body>", "<p>mẫu đã sửa</p></body>");
    let o = step(&f, &mut engine, "template", &[template], Some(false));
    let files = snapshot_files(&o.snapshot);
    let redirect = |b: &[u8]| String::from_utf8_lossy(b).contains("http-equiv=\"refresh\"");
    let html: Vec<&String> = files
        .iter()
        .filter(|(k, b)| k.ends_with(".html") && !redirect(b))
        .map(|(k, _)| k)
        .collect();
    let missed: Vec<&&String> = html.iter().filter(|k| !o.rendered.contains(k)).collect();
    assert!(
        missed.is_empty(),
        "not rendered after a template edit: {missed:?}"
    );

    // Config, static files.
    edit(
        &f,
        "config.toml",
        "title = \"Ban Dân tộc tỉnh Kon Tum\"",
        "title = \"Ban Dân tộc tỉnh\"",
    );
    step(&f, &mut engine, "config", &["config.toml"], Some(false));
    f.write("static/tep-moi.txt", "xin chào\n");
    step(
        &f,
        &mut engine,
        "static file",
        &["static/tep-moi.txt"],
        Some(false),
    );

    // An error keeps the last good build; the fix recovers.
    break_date(&f, &mut engine);
    edit(&f, ARTICLE, BAD_DATE, "");
    step(&f, &mut engine, "after the fix", &[ARTICLE], Some(true));
}

/// An invalid date put into ARTICLE's front matter ([`BAD_DATE`]; remove it to fix).
const BAD_DATE: &str = "date = \"không phải ngày\"\n";

/// Breaks ARTICLE's date: the rebuild fails naming the file, the last good build stays.
/// The error lines of a failed build or rebuild, without the summary.
fn error_lines(d: &bantin::diag::Diagnostics) -> Vec<String> {
    let mut v: Vec<String> =
        d.0.iter()
            .filter(|x| x.is_error())
            .map(|x| x.to_string())
            .collect();
    v.sort();
    v
}

/// What `build` refuses, `serve` refuses with the same located messages: the checks between
/// planning and rendering (output paths, names used by templates) and the line of an error
/// raised while rendering. (serve used to skip the checks and report template errors without
/// their line.) After each one, fixing the file brings the preview back.
#[test]
fn serve_refuses_what_build_refuses() {
    let page_template = |body: &str| {
        format!("{{% extends \"base.html\" %}}\n{{% block content %}}\n\n{body}\n{{% endblock content %}}\n")
    };
    let cases: [(&str, &str, String, &[&str]); 3] = [
        (
            "a filter that does not exist",
            "templates/page.html",
            page_template("<h1>{{ page.title | viet_hoa }}</h1>"),
            &["templates/page.html:4:", "bộ lọc \"viet_hoa\""],
        ),
        (
            "a variable that does not exist",
            "templates/page.html",
            page_template("<p>{{ page.tac_gia }}</p>"),
            &["templates/page.html:4:7", "biến \"page.tac_gia\""],
        ),
        (
            "two files of a bundle differing only in case",
            "content/tin-tuc/ban-giao-nha-o-dak-glei/NGOI-NHA.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_string(),
            &["chữ hoa/thường", "NGOI-NHA.svg"],
        ),
    ];
    for (what, rel, text, expected) in cases {
        let f = site();
        let mut engine = Engine::new(f.root.clone(), false, "http://127.0.0.1:1".into());
        engine
            .rebuild()
            .unwrap_or_else(|d| panic!("{what}: first build failed:\n{d}"));
        let url = engine.base_url().unwrap();
        std::fs::create_dir_all(f.root.join(rel).parent().unwrap()).unwrap();
        save(&f, rel, &text);
        let served = engine.rebuild_changed(&[rel.to_string()]).expect_err(what);
        let out = tempfile::tempdir().unwrap();
        let built = build(&BuildOptions {
            root: f.root.clone(),
            sink: Sink::Directory(out.path().join("out")),
            include_drafts: false,
            base_url: Some(url.clone()),
            strict: false,
            list_changes: false,
            overlay: None,
        })
        .expect_err(what)
        .diagnostics;
        for e in expected {
            assert!(
                served.to_string().contains(e),
                "{what}: serve lacks {e:?}:\n{served}"
            );
            assert!(
                built.to_string().contains(e),
                "{what}: build lacks {e:?}:\n{built}"
            );
        }
        assert_eq!(error_lines(&served), error_lines(&built), "{what}");
        std::fs::remove_file(f.root.join(rel)).unwrap();
        engine
            .rebuild_changed(&[rel.to_string()])
            .unwrap_or_else(|d| panic!("{what}: no recovery:\n{d}"));
        engine.poll_search(true);
        let served = snapshot_files(&engine.snapshot().unwrap());
        assert_same(what, &served, &clean_build(&f, &url));
    }
}

fn break_date(f: &Fixture, engine: &mut Engine) {
    edit(f, ARTICLE, "title = ", &format!("{BAD_DATE}title = "));
    let err = engine
        .rebuild_changed(&[ARTICLE.to_string()])
        .expect_err("invalid date must fail");
    assert!(err.to_string().contains(ARTICLE), "{err}");
}

/// The article pages among the files a rebuild rendered (not listings, terms, areas…).
fn article_pages(o: &Outcome) -> Vec<&str> {
    o.rendered
        .iter()
        .map(String::as_str)
        .filter(|p| {
            let parts: Vec<&str> = p.split('/').collect();
            parts.len() == 3
                && ["tin-tuc", "hoat-dong", "thong-bao", "chinh-sach"].contains(&parts[0])
                && parts[1] != "trang"
        })
        .collect()
}

/// The article pages rendered besides the edited article's own are those that show it (as a
/// related article or a neighbour), and there are some.
fn assert_others_show_the_article(engine: &Engine, o: &Outcome) {
    let served = snapshot_files(&engine.snapshot().unwrap());
    let article_url = format!("/{}\"", ARTICLE_PAGE.trim_end_matches("index.html"));
    let others: Vec<&str> = article_pages(o)
        .into_iter()
        .filter(|p| *p != ARTICLE_PAGE)
        .collect();
    assert!(!others.is_empty(), "{:?}", o.rendered);
    for p in others {
        let html = String::from_utf8_lossy(&served[p]);
        assert!(
            html.contains(&article_url),
            "{p} does not show {article_url}"
        );
    }
}

const BUNDLE: &str = "content/tin-tuc/ban-giao-nha-o-dak-glei/index.md";
const BUNDLE_PAGE: &str = "tin-tuc/ban-giao-nha-o-dak-glei/index.html";
const NOTICE: &str = "content/thong-bao/lich-tiep-cong-dan-quy-iii-2024.md";
/// Links to `ARTICLE#truyen-thong-tai-cong-dong`.
const LINKING: &str = "content/hoat-dong/tuyen-truyen-phap-luat-sa-thay-ia-h-drai.md";

/// Saves of article bodies take the fast way (only the edited articles read again, only the
/// jobs showing them rendered) and still equal a clean build; what the fast way cannot vouch
/// for takes the full way; errors keep the last good build.
#[test]
fn fast_rebuilds_equal_a_clean_build() {
    let f = site();
    let mut engine = Engine::new(f.root.clone(), false, "http://127.0.0.1:1".into());
    engine.rebuild().unwrap();
    engine.poll_search(true);

    // Body only, after `<!-- more -->`, same word count: the summary is unchanged, so only the
    // page itself and the feeds carrying its text are rendered.
    let o = edit_body(&f, &mut engine, "body");
    assert!(
        o.rendered.contains(&"rss.xml".to_string()),
        "{:?}",
        o.rendered
    );
    let others: Vec<&String> = o
        .rendered
        .iter()
        .filter(|p| *p != ARTICLE_PAGE && !p.ends_with("/rss.xml") && !p.ends_with("/atom.xml"))
        .filter(|p| *p != "rss.xml" && *p != "atom.xml")
        .collect();
    assert!(
        others.is_empty(),
        "more than the page and feeds: {others:?}"
    );
    assert!(o.rendered.len() <= 10, "{:?}", o.rendered);
    assert_eq!(o.changed, o.rendered.len());
    assert!(o.search_pending, "the article's text is searchable");

    // The teaser (before `<!-- more -->`) changes: listings, neighbours and related articles
    // showing the summary too, but not the data overview, the sitemap or unrelated pages.
    edit(
        &f,
        ARTICLE,
        "mới giải ngân được hơn một phần ba.",
        "mới giải ngân được hơn một phần ba số vốn.",
    );
    let o = step(&f, &mut engine, "teaser", &[ARTICLE], Some(true));
    for shown in [ARTICLE_PAGE, "index.html", "hoat-dong/index.html"] {
        assert!(
            o.rendered.contains(&shown.to_string()),
            "{shown}: {:?}",
            o.rendered
        );
    }
    for untouched in [
        "tong-quan/index.html",
        "dia-ban/index.html",
        "sitemap.xml",
        BUNDLE_PAGE,
        "404.html",
    ] {
        assert!(!o.rendered.contains(&untouched.to_string()), "{untouched}");
    }
    assert!(o.rendered.len() < 40, "{:?}", o.rendered);
    // Related and neighbouring articles show its summary: of the articles, only they follow.
    assert_others_show_the_article(&engine, &o);

    // Without `<!-- more -->` the teaser is the description again.
    edit(&f, ARTICLE, "<!-- more -->\n", "");
    step(&f, &mut engine, "no more marker", &[ARTICLE], Some(true));
    // A longer body: the word count (in the summary) changes.
    let text = f.read(ARTICLE);
    save(&f, ARTICLE, &format!("{text}\nMột câu thêm ở cuối bài.\n"));
    let o = step(&f, &mut engine, "longer body", &[ARTICLE], Some(true));
    assert!(o.rendered.contains(&"hoat-dong/index.html".to_string()));
    assert_others_show_the_article(&engine, &o);

    // Without a description, the first paragraph is the teaser in those links too: the
    // articles listing it as related or as a neighbour are rendered again.
    let plain = "content/hoat-dong/khong-mo-ta.md";
    f.write(
        plain,
        "+++\ntitle = \"Bài không có mô tả\"\ndate = 2022-12-13\nareas = [\"kon-tum\"]\nprojects = [\"du-an-8\"]\n[taxonomies]\nchu_de = [\"Dự án 8\"]\n+++\n\nĐoạn đầu của bài.\n\nĐoạn thứ hai.\n",
    );
    step(
        &f,
        &mut engine,
        "article without description",
        &[plain],
        Some(false),
    );
    edit(&f, plain, "Đoạn đầu của bài.", "Đoạn đầu đã sửa của bài.");
    let o = step(&f, &mut engine, "first paragraph", &[plain], Some(true));
    let pages = article_pages(&o);
    assert!(
        pages.contains(&"hoat-dong/khong-mo-ta/index.html") && pages.contains(&ARTICLE_PAGE),
        "{:?}",
        o.rendered
    );
    f.remove(plain);
    step(&f, &mut engine, "removed again", &[plain], Some(false));

    // Errors in the edited article: reported with file and line, last good build kept.
    let before = engine.snapshot().unwrap();
    for (what, bad) in [
        (
            "shortcode",
            "{{ so_lieu(report=\"khong-co-bao-cao\", field=\"disbursed\") }}",
        ),
        ("link", "[liên kết hỏng](@/khong-co-bai-nay.md)"),
        ("nesting", &format!("{} sâu quá", ">".repeat(150))),
    ] {
        let good = insert_paragraph(&f, bad);
        let err = engine
            .rebuild_changed(&[ARTICLE.to_string()])
            .expect_err(what);
        assert!(
            err.to_string().contains(&format!("{ARTICLE}:")),
            "{what}: {err}"
        );
        assert!(err.has_errors());
        assert!(
            Arc::ptr_eq(&before, &engine.snapshot().unwrap()),
            "{what}: the last good build stays"
        );
        save(&f, ARTICLE, &good);
        let o = step(
            &f,
            &mut engine,
            &format!("{what} fixed"),
            &[ARTICLE],
            Some(true),
        );
        assert!(
            o.rendered.is_empty(),
            "{what}: back as it was: {:?}",
            o.rendered
        );
    }

    // A heading another article links to: the error is in that other article.
    edit(
        &f,
        ARTICLE,
        "## Truyền thông tại cộng đồng",
        "## Truyền thông ở cơ sở",
    );
    let err = engine
        .rebuild_changed(&[ARTICLE.to_string()])
        .expect_err("broken anchor");
    assert!(err.to_string().contains(&format!("{LINKING}:")), "{err}");
    edit(
        &f,
        ARTICLE,
        "## Truyền thông ở cơ sở",
        "## Truyền thông tại cộng đồng",
    );
    step(&f, &mut engine, "heading back", &[ARTICLE], Some(true));

    // Two articles in one batch (one of them a bundle).
    edit(&f, ARTICLE, "Hội PHỤNỮ tỉnh", "Hội LHPN tỉnh");
    edit(&f, BUNDLE, "## Bước tiếp theo", "## Những bước tiếp theo");
    let o = step(
        &f,
        &mut engine,
        "two articles",
        &[ARTICLE, BUNDLE],
        Some(true),
    );
    for page in [ARTICLE_PAGE, BUNDLE_PAGE] {
        assert!(
            o.rendered.contains(&page.to_string()),
            "{page}: {:?}",
            o.rendered
        );
    }

    // Front matter: a tag, a title — the full way.
    edit(&f, ARTICLE, "\"tập huấn\"]", "\"tập huấn\", \"thẻ mới\"]");
    let o = step(&f, &mut engine, "tag", &[ARTICLE], Some(false));
    assert!(
        o.why_full.as_deref().unwrap().contains("thông tin đầu bài"),
        "{:?}",
        o.why_full
    );
    assert!(
        o.rendered.iter().any(|p| p.contains("/the-moi/")),
        "the new tag's page: {:?}",
        o.rendered
    );
    edit(&f, BUNDLE, "title = \"Đắk Glei", "title = \"Huyện Đắk Glei");
    step(&f, &mut engine, "title", &[BUNDLE], Some(false));

    // A notice: its summary is on every page (the full way); its body alone is not.
    edit(
        &f,
        NOTICE,
        "Ban Dân tộc tỉnh thông báo lịch",
        "Ban Dân tộc tỉnh thông báo lịch mới",
    );
    let o = step(&f, &mut engine, "notice teaser", &[NOTICE], Some(false));
    assert!(
        o.why_full.as_deref().unwrap().contains("thông báo"),
        "{:?}",
        o.why_full
    );
    edit(&f, NOTICE, "Công dân đến", "Công dân tới");
    step(&f, &mut engine, "notice body", &[NOTICE], Some(true));

    // Other sources, a new or a removed file: the full way.
    edit(&f, REPORT, "disbursed = 1393", "disbursed = 1400");
    step(&f, &mut engine, "data report", &[REPORT], Some(false));
    let template = "themes/cong-thong-tin/templates/page.html";
    edit(&f, template, "</article>", "</article><!-- sửa -->");
    step(&f, &mut engine, "template", &[template], Some(false));
    let text = f.read(ARTICLE);
    f.write(
        "content/hoat-dong/ban-sao.md",
        text.replace("title = \"", "title = \"Bản sao: "),
    );
    step(
        &f,
        &mut engine,
        "new file",
        &["content/hoat-dong/ban-sao.md"],
        Some(false),
    );
    f.remove("content/hoat-dong/ban-sao.md");
    step(
        &f,
        &mut engine,
        "removed file",
        &["content/hoat-dong/ban-sao.md"],
        Some(false),
    );
    step(
        &f,
        &mut engine,
        "unknown change",
        &["(không rõ)"],
        Some(false),
    );

    // An error the full way found stays reported while another article is saved, and the fix
    // (the front matter back as in the last good build) takes the fast way again.
    break_date(&f, &mut engine);
    edit(&f, BUNDLE, "## Những bước tiếp theo", "## Bước tiếp theo");
    let err = engine
        .rebuild_changed(&[BUNDLE.to_string()])
        .expect_err("still the invalid date");
    assert!(err.to_string().contains(ARTICLE), "{err}");
    edit(&f, ARTICLE, BAD_DATE, "");
    let o = step(&f, &mut engine, "date fixed", &[ARTICLE], Some(true));
    assert!(
        o.rendered.contains(&BUNDLE_PAGE.to_string()),
        "{:?}",
        o.rendered
    );
}

// ---------------------------------------------------------------------------------------------
// The binary over HTTP.

struct Server {
    child: Child,
    origin: String,
    /// `http://127.0.0.1:PORT/ban-tin/`
    url: String,
    stdout: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

impl Server {
    fn start(f: &Fixture, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
            .arg("serve")
            .args(["--port", "0"])
            .args(args)
            .current_dir(&f.root)
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .env("BANTIN_SERVE_LIST", "1")
            .env("BANTIN_SERVE_TIMES", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let lines = stdout.clone();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                lines.lock().unwrap().push(line);
            }
        });
        let mut server = Server {
            child,
            origin: String::new(),
            url: String::new(),
            stdout,
        };
        let url = wait_for("the address line", || {
            server.lines().iter().find_map(|l| {
                let i = l.find("http://")?;
                Some(l[i..].split(' ').next().unwrap().to_string())
            })
        });
        server.origin = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
        server.url = url;
        wait_for("the first build", || {
            server
                .lines()
                .iter()
                .any(|l| l.starts_with("Đã dựng "))
                .then_some(())
        });
        server
    }

    fn lines(&self) -> Vec<String> {
        self.stdout.lock().unwrap().clone()
    }

    fn host(&self) -> &str {
        self.origin.trim_start_matches("http://")
    }

    /// Raw request; returns (status, headers lower-cased, body).
    fn request(&self, method: &str, target: &str) -> (u16, BTreeMap<String, String>, Vec<u8>) {
        let mut s = TcpStream::connect(self.host()).unwrap();
        write!(
            s,
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.host()
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let (status, headers, body) = parse_response(&raw);
        (status, headers.into_iter().collect(), body)
    }

    fn get(&self, path: &str) -> (u16, BTreeMap<String, String>, Vec<u8>) {
        self.request("GET", path)
    }

    /// Every file of a clean build with the served base URL is served with the same bytes
    /// (HTML pages: plus the reload script).
    fn assert_serves_a_clean_build(&self, f: &Fixture) {
        let clean = clean_build(f, &self.url);
        for (rel, bytes) in &clean {
            let (status, _, body) = self.get(&format!("/ban-tin/{rel}"));
            assert_eq!(status, 200, "{rel}");
            let body = if rel.ends_with(".html") {
                strip_script(&body)
            } else {
                body
            };
            assert!(body == *bytes, "{rel} differs from the clean build");
        }
    }

    fn page(&self, site_path: &str) -> String {
        let (status, _, body) = self.get(&format!("/ban-tin/{site_path}"));
        assert_eq!(status, 200, "{site_path}");
        String::from_utf8(body).unwrap()
    }
}

/// Collects the event stream in the background.
struct Events(Arc<Mutex<String>>);

impl Events {
    fn open(server: &Server) -> Events {
        let mut s = TcpStream::connect(server.host()).unwrap();
        write!(
            s,
            "GET /__bantin/tai-lai HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.host()
        )
        .unwrap();
        let text = Arc::new(Mutex::new(String::new()));
        let t = text.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                t.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let events = Events(text);
        events.wait("the first state", "event: trang-thai");
        events
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }

    fn wait(&self, what: &str, needle: &str) -> String {
        wait_for(what, || {
            let t = self.text();
            t.contains(needle).then_some(t)
        })
    }
}

fn strip_script(html: &[u8]) -> Vec<u8> {
    let s = String::from_utf8(html.to_vec()).unwrap();
    let start = s
        .find("<script src=\"/__bantin/tai-lai.js\"")
        .expect("reload script");
    let end = start + s[start..].find("</script>").unwrap() + "</script>".len();
    format!("{}{}", &s[..start], &s[end..]).into_bytes()
}

#[test]
fn serves_the_site_under_its_base_path() {
    let f = site();
    let server = Server::start(&f, &[]);
    assert!(server.url.ends_with("/ban-tin/"), "{}", server.url);

    let (status, h, body) = server.get("/ban-tin/");
    assert_eq!(status, 200);
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    let html = String::from_utf8(body).unwrap();
    assert!(
        html.contains("<script src=\"/__bantin/tai-lai.js\" data-the-he=\"1\"></script></body>")
    );
    // base_url is rewritten to the local address
    let rss = String::from_utf8(server.get("/ban-tin/rss.xml").2).unwrap();
    assert!(
        rss.contains(&format!("<link>{}/ban-tin/</link>", server.origin)),
        "{rss}"
    );

    for (path, ct) in [
        ("/ban-tin/css/style.css", "text/css; charset=utf-8"),
        ("/ban-tin/js/tim-kiem.js", "text/javascript; charset=utf-8"),
        ("/ban-tin/rss.xml", "application/rss+xml; charset=utf-8"),
        ("/ban-tin/sitemap.xml", "application/xml; charset=utf-8"),
        ("/ban-tin/robots.txt", "text/plain; charset=utf-8"),
        ("/ban-tin/favicon.svg", "image/svg+xml"),
        ("/ban-tin/du-lieu/du-lieu.json", "application/json"),
        ("/ban-tin/tim-kiem/chi-muc/meta.json", "application/json"),
        ("/__bantin/tai-lai.js", "text/javascript; charset=utf-8"),
    ] {
        let (status, h, _) = server.get(path);
        assert_eq!((status, h["content-type"].as_str()), (200, ct), "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff");
    }
    let (status, h, body) = server.request("HEAD", "/ban-tin/rss.xml");
    assert_eq!(status, 200);
    assert!(body.is_empty() && h["content-length"] != "0");

    // Outside the base path, redirects, missing pages.
    let (status, h, _) = server.get("/");
    assert_eq!((status, h["location"].as_str()), (302, "/ban-tin/"));
    let (status, h, _) = server.get("/ban-tin");
    assert_eq!((status, h["location"].as_str()), (302, "/ban-tin/"));
    let (status, h, _) = server.get("/ban-tin/tin-tuc");
    assert_eq!((status, h["location"].as_str()), (301, "/ban-tin/tin-tuc/"));
    for missing in [
        "/khac/",
        "/ban-tin/khong-co/",
        "/ban-tin/tin-tuc/khong-co.html",
    ] {
        let (status, h, body) = server.get(missing);
        assert_eq!(status, 404, "{missing}");
        assert_eq!(h["content-type"], "text/html; charset=utf-8");
        let body = String::from_utf8(body).unwrap();
        assert!(
            body.contains("tai-lai.js"),
            "the 404 page is the site's, with the script"
        );
    }

    // Traversal and malformed paths never reach the file system.
    for bad in [
        "/ban-tin/../config.toml",
        "/ban-tin/%2e%2e/config.toml",
        "/ban-tin/%2E%2E/%2E%2E/etc/passwd",
        "/ban-tin/.%2e/config.toml",
        "/ban-tin/tin-tuc%2f..%2fconfig.toml",
        "/ban-tin/..%5cconfig.toml",
        "/ban-tin/..\\config.toml",
        "/ban-tin/a%00.html",
        "/ban-tin/%zz",
        "ban-tin/",
    ] {
        let (status, _, body) = server.get(bad);
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(
            !String::from_utf8_lossy(&body).contains("base_url"),
            "{bad} leaked config"
        );
    }
    let (status, h, _) = server.request("POST", "/ban-tin/");
    assert_eq!((status, h["allow"].as_str()), (405, "GET, HEAD"));

    // Nothing was written into the site.
    assert!(!f.exists("public"));

    server.assert_serves_a_clean_build(&f);

    // The port is taken: a clear message with a hint, exit 1.
    let port = server.origin.rsplit(':').next().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["serve", "--port", port])
        .current_dir(&f.root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    let next = port.parse::<u16>().unwrap() + 1;
    assert!(
        err.contains(&format!("cổng {port} đang được dùng")),
        "{err}"
    );
    assert!(err.contains(&format!("thử --port {next}")), "{err}");
}

#[test]
fn edits_reload_and_errors_show_in_the_page() {
    let f = site();
    let mut server = Server::start(&f, &[]);
    let events = Events::open(&server);
    let listed = |server: &Server, n: usize| -> Vec<String> {
        let lines = server.lines();
        let l: Vec<&String> = lines
            .iter()
            .filter(|l| l.starts_with("  đã dựng:"))
            .collect();
        assert!(l.len() >= n, "{lines:?}");
        l[n - 1]
            .split_whitespace()
            .skip(2)
            .map(str::to_string)
            .collect()
    };

    // An article: one reload message, the new text, only what depends on it re-rendered.
    edit(
        &f,
        ARTICLE,
        "Năm 2022, Hội LHPN tỉnh",
        "Năm 2022, Hội PHỤNỮ tỉnh",
    );
    events.wait("the reload after the article edit", "\"the_he\":2");
    assert!(server
        .page("hoat-dong/ket-qua-du-an-8-nam-2022/")
        .contains("Hội PHỤNỮ tỉnh"));
    let rendered = listed(&server, 1);
    assert!(rendered.contains(&ARTICLE_PAGE.to_string()), "{rendered:?}");
    assert!(!rendered.contains(&OTHER_PAGE.to_string()), "{rendered:?}");
    assert!(
        !rendered.contains(&"dia-ban/index.html".to_string()),
        "{rendered:?}"
    );
    assert!(server
        .lines()
        .iter()
        .any(|l| l.starts_with("Đã dựng lại ") && l.contains(" ms")));
    // the watcher's batch named the article: the fast way
    assert!(
        server.lines().iter().any(|l| l.starts_with("  (nhanh: ")),
        "{:?}",
        server.lines()
    );

    // A data report: the figure in the article changes.
    edit(&f, REPORT, "disbursed = 1393", "disbursed = 1500");
    events.wait("the reload after the report edit", "\"the_he\":3");
    assert!(server
        .page("hoat-dong/ket-qua-du-an-8-nam-2022/")
        .contains("1.500"));
    let rendered = listed(&server, 2);
    assert!(
        rendered.contains(&"tong-quan/index.html".to_string()),
        "{rendered:?}"
    );
    assert!(!rendered.contains(&OTHER_PAGE.to_string()), "{rendered:?}");
    // exactly one reload per save
    assert_eq!(
        events.text().matches("event: tai-lai").count(),
        2,
        "{}",
        events.text()
    );

    // An error: the terminal, the event stream and the page show it; the last good build stays.
    edit(&f, ARTICLE, "title = ", "slug = \"<b>không</b>\"\ntitle = ");
    let text = events.wait("the error event", "event: loi");
    assert!(text.contains(ARTICLE), "{text}");
    let page = server.page("hoat-dong/ket-qua-du-an-8-nam-2022/");
    assert!(
        page.contains("id=\"bantin-loi\""),
        "overlay in the served page"
    );
    assert!(
        page.contains(&format!("{ARTICLE}:")),
        "file and line in the overlay"
    );
    assert!(
        page.contains("&lt;b&gt;không&lt;/b&gt;") && !page.contains("<b>không</b>"),
        "escaped"
    );
    assert!(page.contains("Hội PHỤNỮ tỉnh"), "still the last good build");

    // The fix: reload, no overlay.
    edit(&f, ARTICLE, "slug = \"<b>không</b>\"\n", "");
    events.wait("the reload after the fix", "\"the_he\":4");
    let page = server.page("hoat-dong/ket-qua-du-an-8-nam-2022/");
    assert!(!page.contains("id=\"bantin-loi\""));

    // An error in an article's body (the fast way): the event stream and the overlay (the text
    // printed in the terminal) name the file and line; the fix reloads.
    let good = insert_paragraph(&f, "{{ so_lieu(report=\"khong-co\", field=\"rate\") }}");
    let text = wait_for("the second error event", || {
        let t = events.text();
        (t.matches("event: loi").count() >= 2).then_some(t)
    });
    let error = &text[text.rfind("event: loi").unwrap()..];
    assert!(error.contains(&format!("{ARTICLE}:")), "{error}");
    assert!(error.contains("khong-co"), "{error}");
    let page = server.page("hoat-dong/ket-qua-du-an-8-nam-2022/");
    assert!(page.contains("id=\"bantin-loi\"") && page.contains(&format!("{ARTICLE}:")));
    save(&f, ARTICLE, &good);
    events.wait("the reload after the second fix", "\"the_he\":5");
    let page = server.page("hoat-dong/ket-qua-du-an-8-nam-2022/");
    assert!(!page.contains("id=\"bantin-loi\""));

    // Once the search index has followed in the background (its meta.json hashes every index
    // file), the served tree is a clean build.
    let meta = clean_build(&f, &server.url)["tim-kiem/chi-muc/meta.json"].clone();
    wait_for("the search index", || {
        (server.get("/ban-tin/tim-kiem/chi-muc/meta.json").2 == meta).then_some(())
    });
    server.assert_serves_a_clean_build(&f);

    // Ctrl-C: a clean exit.
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let status = wait_for("the exit after Ctrl-C", || server.child.try_wait().unwrap());
    assert!(status.success(), "{status:?}");
    assert!(server.lines().iter().any(|l| l.contains("Đã dừng")));
}

/// A site whose sitemap is split (`[sitemap] max_urls`): the index and its numbered files are
/// served with a clean build's bytes, also after a new article moves the split.
#[test]
fn serves_a_split_sitemap_as_a_build_writes_it() {
    let f = site();
    let cfg = f.read("config.toml");
    f.write("config.toml", format!("{cfg}\n[sitemap]\nmax_urls = 40\n"));
    let server = Server::start(&f, &[]);
    let events = Events::open(&server);
    let index = String::from_utf8(server.get("/ban-tin/sitemap.xml").2).unwrap();
    assert!(index.contains("<sitemapindex"), "{index}");
    let (status, h, _) = server.get("/ban-tin/sitemap-1.xml");
    assert_eq!(
        (status, h["content-type"].as_str()),
        (200, "application/xml; charset=utf-8")
    );
    server.assert_serves_a_clean_build(&f);

    save(
        &f,
        "content/tin-tuc/bai-moi-ve-so-do-trang.md",
        "+++\ntitle = \"Bài mới\"\ndate = 2024-07-01\n+++\n\nNội dung.\n",
    );
    events.wait("the reload after the new article", "\"the_he\":2");
    assert!(
        String::from_utf8(server.get("/ban-tin/sitemap-1.xml").2)
            .unwrap()
            .contains("<urlset"),
        "still split"
    );
    let meta = clean_build(&f, &server.url)["tim-kiem/chi-muc/meta.json"].clone();
    wait_for("the search index", || {
        (server.get("/ban-tin/tim-kiem/chi-muc/meta.json").2 == meta).then_some(())
    });
    server.assert_serves_a_clean_build(&f);
}
