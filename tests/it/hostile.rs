//! Hostile content (issue 6): script, attribute break-outs, `]]>`, template syntax and
//! `javascript:` URLs in every field that reaches output — config, front matter, folder names,
//! tags, activity data — and none of it may survive unescaped in any output file: HTML (and
//! the SVG charts inside it), XML feeds and sitemap (and the HTML inside feed entries), JSON
//! (open data, search index), CSV (formula cells neutralised). Content is never evaluated as
//! Tera code. And `[markdown] safe = true` sanitises raw HTML while keeping bantin's own markup.

use crate::common::*;

/// Everything at once: a script, an attribute break-out with a handler, the end of a CDATA
/// section, Tera syntax, a `javascript:` URL.
const P: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>]]>{{ config }}{% if true %}x{% endif %}javascript:alert(1)";

/// TOML literal string of `s` (the payload has no single quote).
fn lit(s: &str) -> String {
    assert!(!s.contains('\''));
    format!("'{s}'")
}

/// The example site with the payload in every field that reaches output.
fn hostile_site(safe: bool) -> Fixture {
    let f = Fixture::example();
    let p = lit(P);
    f.write(
        "config.toml",
        format!(
            r#"base_url = "https://example.gov.vn/bantin/"
title = {p}
description = {p}
paginate_by = 5

[markdown]
safe = {safe}

[organization]
name = {p}
parent = {p}
address = {p}
phone = {p}
fax = {p}
email = {p}
responsible = {p}
attribution = {p}

[[menu]]
name = {p}
url = "/tin-tuc/"

[[menu]]
name = "Địa bàn"
url = "/dia-ban/"

[[links]]
name = {p}
url = "https://example.gov.vn/?q=%3Cscript%3E"

[languages.en]
title = {p}
description = {p}

[[languages.en.menu]]
name = {p}
url = "/en/"

[[taxonomies]]
name = "tags"
title = {p}

[[taxonomies]]
name = "chu_de"
title = {p}

[extra]
portal = {p}
"#
        ),
    );
    // front matter of an article, every field
    f.write(
        "content/tin-tuc/doc-hai.md",
        format!(
            r#"+++
title = {p}
description = {p}
date = 2024-05-02
authors = [{p}, "=HYPERLINK(1)"]
areas = ["dak-ha", "xa-doc"]
projects = ["du-an-8", "du-an-doc"]

[taxonomies]
tags = [{p}, "javascript:alert(1)"]
chu_de = [{p}]

[extra]
note = {p}
+++

Văn bản \<script\>alert(1)\</script\> và `{P}` và {{{{ config }}}} {{% if true %}}y{{% endif %}}.

[{{{{ config.title }}}} \"\>\<img src=x onerror=alert(1)\>](https://example.gov.vn/)

{{{{ so_lieu(report="doc-2024", field="disbursed") }}}}

{{{{ bieu_do(report="doc-2024", kind="so-sanh") }}}}
"#
        ),
    );
    // a section whose title, description and folder name are hostile
    f.write(
        "content/tin-tuc/_index.md",
        format!("+++\ntitle = {p}\ndescription = {p}\n+++\n\nPhần mở đầu: `{P}`.\n"),
    );
    f.write(
        "content/\"><svg onload=alert(1)>/bai.md",
        format!("+++\ntitle = {p}\ndate = 2024-05-03\n+++\n\nThư mục độc.\n"),
    );
    // activity data
    let areas = f.read("content/data/areas.toml");
    f.write(
        "content/data/areas.toml",
        format!(
            "{areas}\n[[area]]\nid = \"xa-doc\"\nname = {p}\nshort_name = \"=cmd|' /C calc'!A0\"\nlevel = \"xa\"\nparent = \"dak-ha\"\naliases = [{p}]\n"
        ),
    );
    let programs = f.read("content/data/programs.toml");
    f.write(
        "content/data/programs.toml",
        format!(
            "{programs}\n[[program]]\nid = \"ct-doc\"\nname = {p}\ndecision = {p}\n\n[[project]]\nid = \"du-an-doc\"\nprogram = \"ct-doc\"\nnumber = 99\nname = {p}\nlead_agency = \"@SUM(1+1)\"\n\n[[project.indicator]]\nid = \"chi_tieu_doc\"\nname = {p}\nunit = '+1 {P}'\n\n[[project.flag]]\nid = \"ghi_chu\"\nname = {p}\nkind = \"chu\"\n\n[[project.flag]]\nid = \"muc\"\nname = {p}\nkind = \"chu\"\n"
        ),
    );
    f.write(
        "content/data/reports/doc-2024.toml",
        format!(
            "project = \"du-an-doc\"\narea = \"dak-ha\"\nyear = 2024\nas_of = 2024-04-30\nmoney_unit = \"trieu-dong\"\nsource = {p}\n\n[budget]\nallocated = 100\ndisbursed = 40\n\n[indicators]\nchi_tieu_doc = {{ actual = 3, target = 5 }}\n\n[[breakdown]]\narea = \"xa-doc\"\nghi_chu = \"=cmd|' /C calc'!A0\"\nmuc = \"@SUM(1+1)\"\nbudget = {{ allocated = 100, disbursed = 40 }}\n"
        ),
    );
    f
}

fn build(f: &Fixture) -> std::process::Output {
    let out = f.bantin(&["build"]);
    assert!(
        out.status.success(),
        "the hostile site must build:\n{}",
        stderr(&out)
    );
    out
}

/// The checks for one HTML document (a page, or the HTML inside a feed entry).
fn check_html(where_: &str, html: &str, problems: &mut Vec<String>) {
    let doc = scraper::Html::parse_document(html);
    for el in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = el.value().name();
        if name == "script" {
            let src = el.value().attr("src").unwrap_or("");
            // Only the theme's own script files, never inline code.
            let theme_script = src.ends_with("/js/tim-kiem.js")
                || src.ends_with("/js/ban-in.js")
                || src.ends_with("/js/van-ban.js");
            if !theme_script || !el.text().all(|t| t.trim().is_empty()) {
                problems.push(format!("{where_}: <script src={src:?}> {}", el.html()));
            }
        }
        for (attr, value) in el.value().attrs() {
            if attr.starts_with("on") {
                problems.push(format!("{where_}: <{name} {attr}={value:?}>"));
            }
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            // the text of a share tag (og:title, og:description…) is text, not an address:
            // a title "javascript:alert(1)" is shown as written; the URL tags are checked
            let share_text = name == "meta"
                && attr == "content"
                && el
                    .value()
                    .attr("property")
                    .or_else(|| el.value().attr("name"))
                    .is_some_and(|p| {
                        (p.starts_with("og:") || p.starts_with("twitter:"))
                            && !matches!(p, "og:url" | "og:image" | "twitter:image")
                    });
            if !share_text && v.starts_with("javascript:")
                || v.starts_with("vbscript:")
                || v.starts_with("data:text")
            {
                problems.push(format!("{where_}: <{name} {attr}={value:?}>"));
            }
        }
        if name == "img" && el.value().attr("src") == Some("x") {
            problems.push(format!("{where_}: injected {}", el.html()));
        }
        if name == "meta" && el.value().attr("http-equiv").is_some() {
            // only bantin's redirect pages refresh, and only to the site
            let content = el.value().attr("content").unwrap_or("");
            let url = content.split_once("url=").map_or("", |(_, u)| u);
            if !url.starts_with("/bantin/") && !url.starts_with("https://example.gov.vn/bantin/") {
                problems.push(format!("{where_}: {}", el.html()));
            }
        }
        if matches!(name, "iframe" | "object" | "embed" | "base") {
            problems.push(format!("{where_}: {}", el.html()));
        }
    }
    // the raw payload never appears unescaped
    for raw in ["<script>alert", "<img src=x", "<svg onload"] {
        if html.contains(raw) {
            problems.push(format!("{where_}: raw {raw:?}"));
        }
    }
}

/// Asserts nothing hostile survives in any file of `public`. Returns the file count.
fn assert_clean(public: &std::path::Path) -> usize {
    let mut problems = Vec::new();
    let files = tree(public);
    for (rel, bytes) in &files {
        let text =
            || String::from_utf8(bytes.clone()).unwrap_or_else(|_| panic!("{rel}: not UTF-8"));
        if rel.ends_with(".html") {
            check_html(rel, &text(), &mut problems);
        } else if rel.ends_with(".xml") {
            let t = text();
            let doc = roxmltree::Document::parse(&t)
                .unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}"));
            for n in doc.descendants().filter(|n| n.is_element()) {
                if n.tag_name().name() == "script" {
                    problems.push(format!("{rel}: <script> element"));
                }
                for a in n.attributes() {
                    if a.name().starts_with("on") {
                        problems.push(format!("{rel}: attribute {}", a.name()));
                    }
                }
                // HTML carried inside feed entries is HTML to a feed reader: check it too
                // (RSS item descriptions; Atom summary/content of type html)
                let carries_html = match n.tag_name().name() {
                    "description" => n
                        .parent_element()
                        .is_some_and(|p| p.tag_name().name() == "item"),
                    "summary" | "content" => n.attribute("type") == Some("html"),
                    _ => false,
                };
                if carries_html {
                    let inner: String = n.descendants().filter_map(|d| d.text()).collect();
                    check_html(
                        &format!("{rel} <{}>", n.tag_name().name()),
                        &inner,
                        &mut problems,
                    );
                }
            }
            for raw in ["<script>alert", "<img src=x", "<svg onload"] {
                if t.contains(raw) {
                    problems.push(format!("{rel}: raw {raw:?}"));
                }
            }
        } else if rel.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(bytes)
                .unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"));
        } else if rel.ends_with(".csv") {
            let t = text();
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .from_reader(t.trim_start_matches('\u{feff}').as_bytes());
            for rec in r.records() {
                let rec = rec.unwrap_or_else(|e| panic!("{rel}: {e}"));
                for cell in rec.iter() {
                    let numeric = cell.replace(['.', ','], "").parse::<f64>().is_ok();
                    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !numeric {
                        problems.push(format!("{rel}: formula cell {cell:?}"));
                    }
                }
            }
        } else if rel.ends_with(".svg") {
            // SVG files are staff's own assets, copied as they are (only the example's)
            assert!(
                !String::from_utf8_lossy(bytes).contains("alert(1)"),
                "{rel}"
            );
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    files.len()
}

#[test]
fn hostile_fields_are_escaped_in_every_output_file() {
    let f = hostile_site(false);
    build(&f);
    let n = assert_clean(&f.path("public"));
    assert!(n > 50, "{n} files");

    // the payload is shown as text, exactly, and Tera never evaluated it
    let doc = f.html("public/tin-tuc/doc-hai/index.html");
    assert_eq!(text(&select(&doc, "main h1")[0]), P);
    let title = text(&select(&doc, "title")[0]);
    assert!(title.contains(P), "{title}");
    let body = main_text(&doc);
    assert!(
        body.contains("{{ config }}") && body.contains("{% if true %}y{% endif %}"),
        "{body}"
    );
    assert!(
        body.contains("<script>alert(1)</script>"),
        "shown as text: {body}"
    );
    // the folder name is the implicit section's title, as text
    let sec = f.html("public/svg-onload-alert-1/index.html");
    assert!(
        main_text(&sec).contains("\"><svg onload=alert(1)>"),
        "{}",
        main_text(&sec)
    );
    // data names reach the area page, the chart and the open data as text
    let area = f.html("public/dia-ban/xa-doc/index.html");
    assert_eq!(text(&select(&area, "main h1")[0]), P);
    let project = f.html("public/du-an/du-an-doc/index.html");
    assert!(main_text(&project).contains(P));
    // the CSV cell that began with = is neutralised, not dropped
    let csv = f.read("public/du-lieu/doc-2024.csv");
    assert!(
        csv.contains("'=cmd|") && csv.contains("'@SUM(1+1)"),
        "{csv}"
    );
    // JSON keeps the payload as a string, exactly
    let json: serde_json::Value =
        serde_json::from_str(&f.read("public/du-lieu/du-lieu.json")).unwrap();
    assert!(json
        .to_string()
        .contains(&serde_json::to_string(P).unwrap()[1..P.len()]));
}

#[test]
fn hostile_fields_are_escaped_with_safe_markdown_too() {
    let f = hostile_site(true);
    build(&f);
    assert_clean(&f.path("public"));
}

#[test]
fn javascript_urls_in_menu_and_links_are_refused() {
    for table in ["menu", "links"] {
        let f = Fixture::new("basic");
        f.write(
            "config.toml",
            format!(
                "base_url = \"https://example.gov.vn/\"\ntitle = \"T\"\n\n[[{table}]]\nname = \"x\"\nurl = \"javascript:alert(document.cookie)\"\n"
            ),
        );
        let out = f.bantin(&["build"]);
        assert_eq!(out.status.code(), Some(1), "{table}");
        let err = stderr(&out);
        assert!(
            err.contains("config.toml:6:1") && err.contains(&format!("[[{table}]]")),
            "{err}"
        );
        assert!(!f.exists("public"));
    }
}

#[test]
fn javascript_links_in_markdown_and_raw_html_are_reported_by_check() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/a.md",
        "+++\ntitle = \"A\"\n+++\n\n[a](<java\tscript:alert(1)>)\n\n<a href=\"JaVaScRiPt:alert(1)\">b</a>\n\n![c](data:text/html;base64,PHNjcmlwdD4=)\n",
    );
    let out = f.bantin(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for at in [
        "content/tin-tuc/a.md:5:1",
        "content/tin-tuc/a.md:7:1",
        "content/tin-tuc/a.md:9:1",
    ] {
        assert!(err.contains(at), "{at}: {err}");
    }
}

/// Raw HTML of a body, a chart, a table, a task list and a heading: the same article built
/// with `safe = false` (default) and `safe = true`.
fn raw_html_site(safe: bool) -> Fixture {
    let f = Fixture::example();
    if safe {
        let c = f.read("config.toml").replace("safe = false", "safe = true");
        f.write("config.toml", c);
    }
    f.write(
        "content/tin-tuc/nhung.md",
        r#"+++
title = "Bài có mã nhúng"
date = 2024-05-02
+++

## Kết quả {#ket-qua .noi-bat}

<iframe src="https://www.youtube.com/embed/abc" title="Video"></iframe>

<p class="chu-thich" onclick="alert(1)">Đoạn <b>đậm</b> <a href="https://example.gov.vn/" target="_blank">liên kết</a>.</p>

<script>alert(1)</script>
<style>body { display: none }</style>
<img src="https://example.gov.vn/x.png" onerror="alert(1)">
<svg><script>alert(1)</script></svg>
<math><mtext><table><mglyph><style><img src=https://example.gov.vn/ onerror=alert(1)></style></mglyph></table></mtext></math>
<form action="https://example.gov.vn/"><input name="q"></form>

| Huyện | Tỷ lệ |
|:------|------:|
| Đăk Hà | 36% |

- [x] Đã xong
- [ ] Chưa xong

{{ bieu_do(report="du-an-8-kon-tum-2022-11", kind="tien-do", id="tien-do") }}

Cuối bài[^1].

[^1]: Chú thích.
"#,
    );
    f
}

#[test]
fn raw_html_is_kept_by_default() {
    let f = raw_html_site(false);
    build(&f);
    let html = f.read("public/tin-tuc/nhung/index.html");
    for kept in [
        "<iframe src=\"https://www.youtube.com/embed/abc\"",
        "onclick=\"alert(1)\"",
        "<script>alert(1)</script>",
        "target=\"_blank\"",
    ] {
        assert!(html.contains(kept), "{kept} should stay with safe = false");
    }
}

#[test]
fn safe_markdown_sanitises_raw_html_and_keeps_bantins_markup() {
    let f = raw_html_site(true);
    build(&f);
    let rel = "public/tin-tuc/nhung/index.html";
    let html = f.read(rel);
    let mut problems = Vec::new();
    check_html(rel, &html, &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
    let doc = f.html(rel);
    let main = &select(&doc, "main")[0];
    let body = main.html();
    for gone in [
        "<iframe",
        "<style",
        "display: none",
        "<form",
        "<math",
        "target=\"_blank\"",
        "alert",
    ] {
        assert!(!body.contains(gone), "{gone} must be removed");
    }
    let inside = |css: &str| main.select(&scraper::Selector::parse(css).unwrap()).count();
    // bantin's own markup, intact
    assert_eq!(inside("h2#ket-qua.noi-bat"), 1);
    // the Markdown table and the chart's own table
    assert_eq!(
        inside("div.bang[role=region][aria-label][tabindex=\"0\"] > table"),
        2
    );
    assert_eq!(inside("th[style=\"text-align:left\"]"), 1);
    assert_eq!(
        inside("input[type=checkbox][disabled][checked][aria-label]"),
        1
    );
    assert_eq!(inside("input[type=checkbox][disabled][aria-label]"), 2);
    assert_eq!(
        inside("figure.bieu-do svg.bieu-do__hinh--hep[role=img]"),
        1,
        "the chart is not sanitised away (its narrow drawing)"
    );
    assert_eq!(
        inside("figure.bieu-do svg.bieu-do__hinh--rong[role=img]"),
        1,
        "nor its wide one"
    );
    assert_eq!(inside("figure#tien-do"), 1);
    assert_eq!(inside(".footnote-definition"), 1);
    // the harmless part of the staff's HTML stays
    assert_eq!(inside("p.chu-thich b"), 1);
    assert_eq!(inside("a[href=\"https://example.gov.vn/\"]"), 1);
    // and the page still passes every other check of the site
    assert!(broken_internal_links(&f.path("public"), "/").is_empty());
}

/// One table of hostile URLs, as staff or a pasted embed might write them, against every place
/// that puts a URL into the site: a Markdown link, raw HTML, config's `[[menu]]`, an SVG picture.
/// Each must be refused at its place by the one URL rule (`sanitize::is_unsafe_url`).
const HOSTILE_URLS: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java&Tab;script:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
];

#[test]
fn every_place_that_emits_a_url_refuses_the_same_hostile_urls() {
    for (k, url) in HOSTILE_URLS.iter().enumerate() {
        let f = Fixture::new("basic");
        // Markdown, in the form that keeps white space in a destination
        f.write(
            "content/tin-tuc/a.md",
            format!("+++\ntitle = \"A\"\n+++\n\n[a](<{url}>)\n\n<a href=\"{url}\">b</a>\n"),
        );
        f.write(
            "static/hinh.svg",
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\">\n<a href=\"{url}\"><text>x</text></a></svg>\n"),
        );
        let out = f.bantin(&["check"]);
        assert_eq!(out.status.code(), Some(1), "{k}: {url:?}");
        let err = stderr(&out);
        for (place, at) in [
            ("markdown", "content/tin-tuc/a.md:5:1"),
            ("raw html", "content/tin-tuc/a.md:7:1"),
            ("svg", "static/hinh.svg:2:"),
        ] {
            assert!(
                err.contains(at),
                "{url:?} not refused in {place} ({at}):\n{err}"
            );
        }
        // config is read before anything else: on its own
        let cfg = f.read("config.toml");
        let toml_url = url.replace('\t', "\\t");
        f.write(
            "config.toml",
            format!("{cfg}\n[[menu]]\nname = \"x\"\nurl = \"{toml_url}\"\n"),
        );
        let err = stderr(&f.bantin(&["check"]));
        assert!(
            err.contains("[[menu]] \"x\" dùng giao thức nguy hiểm"),
            "{url:?} in config:\n{err}"
        );
    }
}

#[test]
fn inline_raster_pictures_stay_allowed_in_svg_only() {
    let f = Fixture::new("basic");
    f.write(
        "static/anh.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"data:image/png;base64,iVBORw0KGgo=\"/></svg>\n",
    );
    let out = f.bantin(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
