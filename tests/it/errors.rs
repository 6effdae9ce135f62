//! Bad input: clear messages with file:line, every problem listed, exit 1, old output intact.

use crate::common::*;

#[test]
fn bad_front_matter_names_the_file_and_the_file_line() {
    let f = Fixture::new("basic");
    // the bad value is on line 4 of the file (line 3 of the TOML block)
    f.write(
        "content/tin-tuc/hong.md",
        "+++\ntitle = \"Bài hỏng\"\n\ndate = 2022-13-45\n+++\n\nNội dung.\n",
    );
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/tin-tuc/hong.md:4:"), "{err}");
    assert!(err.contains("cách sửa"), "{err}");
}

#[test]
fn unclosed_front_matter_says_what_to_do() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/a.md",
        "+++\ntitle = \"A\"\n\nNội dung không có dòng đóng.\n",
    );
    let out = f.bantin(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/tin-tuc/a.md:1:1: thiếu dấu `+++` đóng"),
        "{err}"
    );
}

#[test]
fn unknown_front_matter_key_suggests_the_right_one() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/a.md",
        "+++\ntitle = \"A\"\ndescripton = \"x\"\n+++\n",
    );
    let out = f.bantin(&["check"]);
    let err = stderr(&out);
    assert!(err.contains("content/tin-tuc/a.md:3:1"), "{err}");
    assert!(err.contains("`description`?"), "{err}");
}

#[test]
fn config_typo_lists_valid_keys() {
    let f = Fixture::new("basic");
    let cfg = f
        .read("config.toml")
        .replace("paginate_by = 2", "paginate_bi = 2");
    f.write("config.toml", cfg);
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("config.toml:5:1"), "{err}");
    assert!(
        err.contains("`paginate_by`?") && err.contains("base_url"),
        "{err}"
    );
}

#[test]
fn check_lists_every_problem_not_just_the_first_and_writes_nothing() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/a.md",
        "+++\ntitle = \"A\"\ndate = \"hôm qua\"\n+++\n\n[x](@/tin-tuc/khong-co.md)\n",
    );
    f.write("content/thong-bao/b.md", "+++\ntitle = \"B\"\n+++\n\n## Mục\n\n[y](@/tin-tuc/ket-qua-du-an-8.md#khong-co-muc) [z](/khong-co-trang/)\n");
    let out = f.bantin(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/tin-tuc/a.md:3:"), "bad date: {err}");
    assert!(
        err.contains("content/tin-tuc/a.md:6:1"),
        "missing page: {err}"
    );
    assert!(
        err.contains("content/thong-bao/b.md:7:1") && err.contains("#khong-co-muc"),
        "missing anchor: {err}"
    );
    assert!(err.contains("/khong-co-trang/"), "missing path: {err}");
    assert!(err.contains("4 lỗi"), "{err}");
    assert!(!f.exists("public"), "check must not write");
}

#[test]
fn a_failed_build_leaves_the_previous_output_byte_identical() {
    let f = Fixture::new("basic");
    let ok = f.bantin(&["build"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let before = tree(&f.path("public"));
    f.write("content/tin-tuc/hong.md", "+++\ntitle = \"x\"\n");
    let bad = f.bantin(&["build"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("giữ nguyên"), "{}", stderr(&bad));
    assert_eq!(before, tree(&f.path("public")));
    // and no temporary directories are left behind
    let leftovers: Vec<_> = std::fs::read_dir(&f.root)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(".bantin-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn template_errors_name_the_template_file_and_line() {
    let f = Fixture::new("basic");
    f.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n");
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("templates/page.html:4:1"), "{err}");
}

#[test]
fn missing_theme_is_reported_with_the_available_ones() {
    let f = Fixture::new("basic");
    let cfg = f
        .read("config.toml")
        .replace("theme = \"cong-thong-tin\"", "theme = \"khong-co\"");
    f.write("config.toml", cfg);
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("\"khong-co\"") && err.contains("cong-thong-tin"),
        "{err}"
    );
}

#[test]
fn dangerous_output_directories_are_refused() {
    let f = Fixture::new("basic");
    for out_dir in [".", "content", "/", "..", "themes/x"] {
        let out = f.bantin(&["build", "--output", out_dir]);
        assert_eq!(out.status.code(), Some(1), "{out_dir}");
        assert!(
            stderr(&out).contains("không thể dùng"),
            "{out_dir}: {}",
            stderr(&out)
        );
    }
    assert!(f.exists("content/tin-tuc/ket-qua-du-an-8.md"));
}

#[test]
fn two_sources_for_one_output_path_are_an_error_even_differing_in_case() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/TAP-HUAN.md",
        "+++\ntitle = \"Trùng\"\nslug = \"tap-huan\"\n+++\n",
    );
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("tin-tuc/tap-huan/index.html"), "{err}");
    assert!(
        err.contains("content/tin-tuc/TAP-HUAN.md") && err.contains("content/tin-tuc/tap-huan.md"),
        "{err}"
    );
}

#[test]
fn a_static_file_in_the_search_index_folder_is_an_error_and_public_is_kept() {
    let f = Fixture::new("basic");
    assert_eq!(f.bantin(&["build"]).status.code(), Some(0));
    let before = f.read("public/tim-kiem/chi-muc/meta.json");
    f.write("static/tim-kiem/chi-muc/META.json", "{}");
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("tim-kiem/chi-muc/meta.json") && err.contains("chỉ mục tìm kiếm"),
        "{err}"
    );
    assert_eq!(f.read("public/tim-kiem/chi-muc/meta.json"), before);
}

#[test]
fn non_utf8_and_binary_files_are_refused_with_a_fix() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/tcvn3.md",
        b"+++\ntitle = \"B\xb5i\"\n+++\n".as_slice(),
    );
    f.write(
        "content/tin-tuc/anh.md",
        b"\x89PNG\r\n\x1a\n\x00\x00".as_slice(),
    );
    let out = f.bantin(&["check"]);
    let err = stderr(&out);
    assert!(
        err.contains("content/tin-tuc/tcvn3.md:2:") && err.contains("UTF-8"),
        "{err}"
    );
    assert!(
        err.contains("content/tin-tuc/anh.md") && err.contains("nhị phân"),
        "{err}"
    );
}

#[test]
fn bom_and_crlf_files_are_read_normally() {
    let f = Fixture::new("basic");
    f.write("content/tin-tuc/crlf.md", "\u{feff}+++\r\ntitle = \"Bài CRLF\"\r\ndate = 2024-05-01\r\n+++\r\n\r\n## Mục một\r\n\r\nNội dung.\r\n");
    f.build_ok();
    let doc = f.html("public/tin-tuc/crlf/index.html");
    assert_eq!(text(&select(&doc, "main h1")[0]), "Bài CRLF");
    assert_eq!(select(&doc, "main h2#muc-mot").len(), 1);
}

#[test]
fn unsafe_link_schemes_are_reported() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/a.md",
        "+++\ntitle = \"A\"\n+++\n\n[bấm](javascript:alert(1))\n",
    );
    let out = f.bantin(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/tin-tuc/a.md:5:1"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unsafe_alias_and_slug_are_errors() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/a.md",
        "+++\ntitle = \"A\"\nslug = \"../../etc\"\naliases = [\"/../../ngoai/\", \"con/\"]\n+++\n",
    );
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/tin-tuc/a.md:3:") && err.contains("slug"),
        "{err}"
    );
    assert!(
        err.contains("/../../ngoai/") && err.contains("\"con/\""),
        "{err}"
    );
    assert!(!f.root.parent().unwrap().join("ngoai").exists());
}

#[test]
fn editor_swap_files_in_templates_are_ignored() {
    let f = Fixture::new("basic");
    f.write(
        "templates/.page.html.swp",
        b"\x00\x01binary swap {{ broken".as_slice(),
    );
    f.write("templates/page.html~", "{% broken");
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn cached_partials_render_once_with_site_variables_and_fail_cleanly() {
    let f = Fixture::new("basic");
    // the theme's header, sidebar and footer come from partial_cached: every page has them
    assert_eq!(f.bantin(&["build"]).status.code(), Some(0));
    let page = f.read("public/tin-tuc/tap-huan/index.html");
    let home = f.read("public/index.html");
    for html in [&page, &home] {
        assert!(html.contains("class=\"thuong-hieu\""), "{html}");
        assert!(html.contains("<footer class=\"chan-trang\">"), "{html}");
    }
    // a site partial sees config but not page variables
    f.write(
        "templates/partials/chan-trang.html",
        "<footer class=\"chan-trang\">{{ config.title }}|{% if page %}có page{% else %}không page{% endif %}</footer>\n",
    );
    assert_eq!(f.bantin(&["build"]).status.code(), Some(0));
    let page = f.read("public/tin-tuc/tap-huan/index.html");
    assert!(page.contains("|không page</footer>"), "{page}");
    // a partial that calls itself is an error naming it, not a crash; public/ is kept
    f.write(
        "templates/partials/chan-trang.html",
        "{{ partial_cached(name=\"partials/chan-trang.html\") }}",
    );
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("partials/chan-trang.html") && err.contains("lồng nhau"),
        "{err}"
    );
    assert_eq!(f.read("public/tin-tuc/tap-huan/index.html"), page);
    // no name: says what to write
    f.write(
        "templates/partials/chan-trang.html",
        "{{ partial_cached() }}",
    );
    let err = stderr(&f.bantin(&["build"]));
    assert!(err.contains("partial_cached cần tham số name"), "{err}");
}
