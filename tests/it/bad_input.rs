//! The bad-input corpus (issue 6): one test per case. Every case builds a good site first,
//! then breaks it and builds again through the binary, and checks that the build
//!
//! - exits with code 1,
//! - prints each expected piece of the message (file:line where one exists, the fix),
//! - does not panic,
//! - leaves the previous `public/` byte-identical and no temporary directory behind.
//!
//! Cases already covered elsewhere (not repeated here): `tests/it/errors.rs` (bad date line,
//! unclosed front matter, `descripton` typo, config typo, check lists every problem, failed
//! build keeps output, unclosed `{{` in a template, missing theme, `.`/`content`/`/`/`..`/
//! `themes/x` as output, `TAP-HUAN.md` vs `tap-huan.md`, TCVN3 and PNG-as-`.md`, BOM+CRLF read
//! normally, `javascript:` link, `../../etc` slug and aliases) and `tests/it/data.rs` (unknown
//! ids with suggestions, figures checks, abolished areas, duplicate area id, unterminated
//! string in a report).

use std::path::Path;

use crate::common::*;

/// Which site a case starts from.
#[derive(Clone, Copy)]
enum Base {
    /// `tests/fixtures/basic`: small, no activity data.
    Basic,
    /// The example site at the repository root, with `content/data/`.
    Example,
}

/// A fixture that has been built once, with a snapshot of its output.
struct Built {
    f: Fixture,
    before: Vec<(String, Vec<u8>)>,
}

fn built(base: Base) -> Built {
    let f = match base {
        Base::Basic => Fixture::new("basic"),
        Base::Example => Fixture::example(),
    };
    let ok = f.bantin(&["build"]);
    assert!(ok.status.success(), "good build failed: {}", stderr(&ok));
    let before = tree(&f.path("public"));
    assert!(!before.is_empty());
    Built { f, before }
}

/// Runs `bantin build ARGS` and checks everything a refused build must do.
fn refused(b: &Built, args: &[&str], expect: &[&str]) -> String {
    let mut full = vec!["build"];
    full.extend_from_slice(args);
    let out = b.f.bantin(&full);
    let err = stderr(&out);
    if std::env::var_os("BANTIN_SHOW").is_some() {
        eprintln!("=== {args:?}\n{err}");
    }
    assert_eq!(out.status.code(), Some(1), "exit code; stderr:\n{err}");
    assert!(!err.contains("panicked"), "panic:\n{err}");
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert!(err.contains("Dựng trang thất bại"), "{err}");
    assert!(
        b.before == tree(&b.f.path("public")),
        "public/ changed; stderr:\n{err}"
    );
    let leftovers: Vec<String> = std::fs::read_dir(&b.f.root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bantin-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    err
}

/// One test per case: `case!(name, Base, |f| { break it }, ["expected", …])`, optionally
/// with extra build arguments after the expectations.
macro_rules! case {
    ($name:ident, $base:expr, |$f:ident| $setup:block, [$($e:expr),* $(,)?] $(, args = [$($a:expr),*])?) => {
        #[test]
        fn $name() {
            let b = built($base);
            {
                let $f = &b.f;
                $setup
            }
            let args: &[&str] = &[$($($a),*)?];
            let err = refused(&b, args, &[$($e),*]);
            // The exact text staff read, reviewed when it changes (tests/it/snapshots/).
            insta::assert_snapshot!(stringify!($name), snapshot_text(&err, &b.f.root));
        }
    };
}

/// The messages as staff read them, with the fixture's temporary folder written `[SITE]`.
fn snapshot_text(err: &str, root: &Path) -> String {
    let root = root.display().to_string();
    let canonical = std::fs::canonicalize(&root)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| root.clone());
    err.replace(&canonical, "[SITE]").replace(&root, "[SITE]")
}

const FM: &str = "+++\ntitle = \"Bài\"\n";

fn config_with(f: &Fixture, from: &str, to: &str) {
    let c = f.read("config.toml");
    assert!(c.contains(from), "{from}");
    f.write("config.toml", c.replacen(from, to, 1));
}

fn append(f: &Fixture, rel: &str, tail: &str) {
    let s = f.read(rel);
    f.write(rel, format!("{s}\n{tail}"));
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: &Path) {
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, link).unwrap();
}

const REPORT: &str = "content/data/reports/du-an-8-kon-tum-2022-11.toml";

// ---------------------------------------------------------------- broken TOML: config.toml

case!(
    config_unterminated_string,
    Base::Basic,
    |f| {
        config_with(
            f,
            "title = \"Bản tin thử nghiệm\"",
            "title = \"Bản tin thử nghiệm",
        );
    },
    ["config.toml:2:", "chưa đóng dấu nháy", "cách sửa"]
);

case!(
    config_wrong_type,
    Base::Basic,
    |f| {
        config_with(f, "paginate_by = 2", "paginate_by = \"hai\"");
    },
    ["config.toml:5:15", "sai kiểu giá trị", "số nguyên"]
);

case!(
    config_duplicate_key,
    Base::Basic,
    |f| {
        config_with(f, "paginate_by = 2", "paginate_by = 2\ntitle = \"Lặp\"");
    },
    ["config.toml:6:1", "khoá bị lặp"]
);

case!(
    config_empty_file,
    Base::Basic,
    |f| {
        f.write("config.toml", "");
    },
    ["config.toml", "thiếu khoá bắt buộc `base_url`"]
);

case!(
    config_not_utf8,
    Base::Basic,
    |f| {
        f.write(
            "config.toml",
            b"base_url = \"https://example.gov.vn/\"\ntitle = \"B\xe1n tin\"\n".as_slice(),
        );
    },
    ["config.toml:2:11", "UTF-8"]
);

case!(
    config_bom_crlf_error_keeps_the_line,
    Base::Basic,
    |f| {
        f.write(
            "config.toml",
            "\u{feff}base_url = \"https://example.gov.vn/\"\r\ntitle = \"B\"\r\nthem = \"x\"\r\n",
        );
    },
    ["config.toml:3:1", "`theme`?"]
);

case!(
    config_menu_javascript_url,
    Base::Basic,
    |f| {
        config_with(f, "url = \"/tin-tuc/\"", "url = \"javascript:alert(1)\"");
    },
    ["config.toml:17:1", "[[menu]]", "javascript:alert(1)"]
);

case!(
    config_links_data_url,
    Base::Basic,
    |f| {
        config_with(
            f,
            "url = \"https://chinhphu.vn/\"",
            "url = \" JaVaScRiPt:alert(1)\"",
        );
    },
    ["config.toml:21:1", "[[links]]", "giao thức nguy hiểm"]
);

// ---------------------------------------------------------------- broken TOML: front matter

case!(
    front_matter_unterminated_string,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            "+++\ntitle = \"Bài chưa đóng\n+++\n",
        );
    },
    ["content/tin-tuc/a.md:2:", "chưa đóng dấu nháy"]
);

case!(
    front_matter_impossible_date,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}date = 2023-02-30\n+++\n"),
        );
    },
    [
        "content/tin-tuc/a.md:3:8",
        "ngày từ 01 đến 28",
        "2022-12-12"
    ]
);

case!(
    front_matter_impossible_time,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}date = 2023-02-03T25:10:00\n+++\n"),
        );
    },
    ["content/tin-tuc/a.md:3:", "ngày giờ không hợp lệ"]
);

case!(
    front_matter_wrong_type,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}\n[taxonomies]\ntags = \"một thẻ\"\n+++\n"),
        );
    },
    ["content/tin-tuc/a.md:5:8", "danh sách [", "chuỗi"]
);

case!(
    front_matter_duplicate_key,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}title = \"Lại\"\n+++\n"),
        );
    },
    ["content/tin-tuc/a.md:3:1", "khoá bị lặp"]
);

// ---------------------------------------------------------------- front matter placement

case!(
    front_matter_in_yaml,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            "---\ntitle: Bài\n---\n\nNội dung.\n",
        );
    },
    ["content/tin-tuc/a.md:1:1", "YAML", "`+++`"]
);

case!(
    front_matter_not_at_the_top,
    Base::Basic,
    |f| {
        f.write("content/tin-tuc/a.md", format!("Ghi chú\n\n{FM}+++\n"));
    },
    [
        "content/tin-tuc/a.md:3:1: phần thông tin đầu bài phải nằm ở đầu tệp, nhưng dấu `+++` đầu tiên ở dòng 3\n  → cách sửa: chuyển khối `+++ … +++` lên đầu tệp; phía trước nó chỉ được có dòng trống, không có chữ nào"
    ]
);

// Blank lines before the opening `+++` are accepted, as in Zola, and every later line keeps
// its number: the broken link below is reported at its own line, the template at its key.
case!(
    blank_lines_before_the_front_matter_keep_line_numbers,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("\n  \n{FM}template = \"khong-co.html\"\n+++\n\n[Xem](khong-co.md)\n"),
        );
    },
    [
        "content/tin-tuc/a.md:5:1: template = \"khong-co.html\": không có mẫu giao diện này",
        "content/tin-tuc/a.md:8:1: liên kết tới bài không tồn tại: \"khong-co.md\"",
        "\n2 lỗi.\n"
    ]
);

case!(
    front_matter_not_closed_in_a_section,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/_index.md",
            "+++\ntitle = \"Tin tức\"\n\nGiới thiệu.\n",
        );
    },
    ["content/tin-tuc/_index.md:1:1", "thiếu dấu `+++` đóng"]
);

case!(
    front_matter_closed_with_four_pluses,
    Base::Basic,
    |f| {
        f.write("content/tin-tuc/a.md", format!("{FM}++++\n\nNội dung.\n"));
    },
    ["content/tin-tuc/a.md:1:1", "thiếu dấu `+++` đóng"]
);

// ---------------------------------------------------------------- unknown keys, with suggestions

case!(
    section_key_typo,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/_index.md",
            "+++\ntitle = \"Tin tức\"\nsortby = \"date\"\n+++\n",
        );
    },
    ["content/tin-tuc/_index.md:3:1", "`sort_by`?"]
);

// Every unknown key of a file in one run (serde alone stops at the first), each at its place.
case!(
    every_unknown_front_matter_key_in_one_run,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}descripton = \"x\"\ntac_gia = \"A\"\n  tags = [\"y\"]\n+++\n"),
        );
    },
    [
        "content/tin-tuc/a.md:3:1: Phần thông tin đầu bài không hợp lệ: khoá `descripton` không có trong danh sách khoá hợp lệ\n  → cách sửa: có phải ý bạn là `description`? các khoá hợp lệ: title, description, date, updated, draft, slug, aliases, weight, authors, template, taxonomies, areas, projects, image, extra; thông tin riêng cho giao diện đặt dưới [extra]",
        "content/tin-tuc/a.md:4:1: Phần thông tin đầu bài không hợp lệ: khoá `tac_gia` không có trong danh sách khoá hợp lệ",
        "content/tin-tuc/a.md:5:3: Phần thông tin đầu bài không hợp lệ: khoá `tags` không có trong danh sách khoá hợp lệ",
        "\n3 lỗi.\n"
    ]
);

// Zola's keys bantin does not implement: a message of their own saying what to use instead
// (every one of them: `content::keys` tests); Zola's defaults are accepted.
case!(
    zola_front_matter_keys,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}path = \"blog/a\"\nrender = true\nin_search_index = false\n+++\n"),
        );
        f.write(
            "content/tin-tuc/_index.md",
            "+++\ntitle = \"Tin tức\"\nsort_by = \"none\"\ntransparent = false\ngenerate_feeds = true\nredirect_to = \"thong-bao\"\n+++\n",
        );
    },
    [
        "content/tin-tuc/a.md:3:1: khoá Zola `path` (đặt cả đường dẫn của bài) bantin chưa hỗ trợ\n  → cách sửa: bantin ghép đường dẫn từ thư mục chuyên mục và slug: dùng slug = \"ten-bai\" cho phần cuối, chuyển tệp sang thư mục khác để đổi chuyên mục; địa chỉ cũ cần giữ thì thêm aliases = [\"/dia-chi-cu/\"]",
        "content/tin-tuc/a.md:5:1: khoá Zola `in_search_index` (in_search_index = false: bỏ bài khỏi ô tìm kiếm) bantin chưa hỗ trợ\n  → cách sửa: xoá dòng này (mọi bài đều tìm được); nếu bài chưa được công khai, dùng draft = true",
        "content/tin-tuc/_index.md:3:11: sort_by = \"none\" (không sắp xếp) bantin không có: bài trong chuyên mục luôn được sắp xếp\n  → cách sửa: xoá dòng này để sắp theo ngày (mới nhất trước), hoặc dùng sort_by = \"weight\" hay \"title\"",
        "content/tin-tuc/_index.md:6:1: khoá Zola `redirect_to` (chuyển người xem sang địa chỉ khác) bantin chưa hỗ trợ\n  → cách sửa: xoá dòng này; để địa chỉ cũ dẫn sang trang khác, thêm nó vào aliases = [\"/dia-chi-cu/\"] của trang đích (và bỏ chuyên mục này nếu nó không có bài)",
        "\n4 lỗi.\n"
    ]
);

case!(
    taxonomy_name_typo,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}\n[taxonomies]\ntag = [\"x\"]\n+++\n"),
        );
    },
    [
        "content/tin-tuc/a.md:5:",
        "\"tag\" chưa được khai báo",
        "`tags`?"
    ]
);

// `[sitemap] max_urls` outside the protocol's 1..=50 000, or not a whole number: at the value
case!(
    config_sitemap_max_urls_zero,
    Base::Basic,
    |f| {
        append(f, "config.toml", "[sitemap]\nmax_urls = 0\n");
    },
    [
        "config.toml:24:12",
        "max_urls = 0",
        "từ 1 đến 50000",
        "cách sửa"
    ]
);

case!(
    config_sitemap_max_urls_negative,
    Base::Basic,
    |f| {
        append(f, "config.toml", "[sitemap]\nmax_urls = -5\n");
    },
    ["config.toml:24:12", "max_urls = -5", "từ 1 đến 50000"]
);

case!(
    config_sitemap_max_urls_over_the_protocol,
    Base::Basic,
    |f| {
        append(f, "config.toml", "[sitemap]\nmax_urls = 60000\n");
    },
    ["config.toml:24:12", "max_urls = 60000", "từ 1 đến 50000"]
);

case!(
    config_sitemap_max_urls_not_a_whole_number,
    Base::Basic,
    |f| {
        append(f, "config.toml", "[sitemap]\nmax_urls = 5.5\n");
    },
    [
        "config.toml:24:12",
        "sai kiểu giá trị",
        "số thập phân",
        "số nguyên"
    ]
);

case!(
    config_nested_key_typo,
    Base::Basic,
    |f| {
        config_with(f, "address = ", "adress = ");
    },
    ["config.toml:9:1", "`address`?"]
);

case!(
    areas_key_typo,
    Base::Example,
    |f| {
        append(
            f,
            "content/data/areas.toml",
            "[[area]]\nid = \"moi\"\nnmae = \"Mới\"\nlevel = \"xa\"\n",
        );
    },
    ["content/data/areas.toml:", "`name`?"]
);

case!(
    report_key_typo,
    Base::Example,
    |f| {
        let r = f
            .read(REPORT)
            .replace("disbursed = 1393", "disbursd = 1393");
        f.write(REPORT, r);
    },
    [
        "du-an-8-kon-tum-2022-11.toml:14:1",
        "`disbursed`?",
        "đã được ẩn"
    ]
);

// ---------------------------------------------------------------- encodings, sizes, binaries

case!(
    utf16_file,
    Base::Basic,
    |f| {
        let mut bytes = vec![0xFF, 0xFE];
        for u in format!("{FM}+++\n").encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        f.write("content/tin-tuc/a.md", bytes);
    },
    ["content/tin-tuc/a.md:1:1", "UTF-16", "UTF-8"]
);

case!(
    latin1_section_file,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/_index.md",
            b"+++\ntitle = \"Tin t\xfac\"\n+++\n".as_slice(),
        );
    },
    ["content/tin-tuc/_index.md:2:", "UTF-8"]
);

case!(
    bom_and_crlf_error_is_on_the_file_line,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            "\u{feff}+++\r\ntitle = \"CRLF\"\r\ndate = 2024-13-01\r\n+++\r\n\r\nNội dung.\r\n",
        );
    },
    ["content/tin-tuc/a.md:3:8"]
);

case!(
    empty_file,
    Base::Basic,
    |f| {
        f.write("content/tin-tuc/a.md", "");
    },
    ["content/tin-tuc/a.md:1:1", "tệp trống"]
);

case!(
    whitespace_only_section,
    Base::Basic,
    |f| {
        f.write("content/thong-bao/_index.md", " \n\n\t\n");
    },
    ["content/thong-bao/_index.md:1:1", "tệp trống"]
);

case!(
    over_the_configured_size,
    Base::Basic,
    |f| {
        config_with(
            f,
            "paginate_by = 2",
            "paginate_by = 2\nmax_file_size = 1000",
        );
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}+++\n{}\n", "chữ ".repeat(400)),
        );
    },
    ["content/tin-tuc/a.md", "tệp quá lớn", "max_file_size"]
);

case!(
    pdf_named_md,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".as_slice(),
        );
    },
    ["content/tin-tuc/a.md:2:2", "UTF-8"]
);

case!(
    png_named_report,
    Base::Example,
    |f| {
        f.write(
            "content/data/reports/anh.toml",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".as_slice(),
        );
    },
    ["content/data/reports/anh.toml:", "nhị phân"]
);

case!(
    fifty_megabyte_line_refused_by_default,
    Base::Basic,
    |f| {
        f.write("content/tin-tuc/dai.md", huge_article());
    },
    ["content/tin-tuc/dai.md", "tệp quá lớn", "10485760"]
);

/// A front matter and one 50 MB line of Vietnamese words with inline Markdown.
fn huge_article() -> String {
    let words = [
        "Huyện", "Đăk", "Glei", "**đã**", "giải", "_ngân_", "vốn", "`mã`", "tỷ", "đồng",
    ];
    let mut s = String::from("+++\ntitle = \"Một dòng 50 MB\"\ndate = 2024-01-01\n+++\n");
    let mut i = 0;
    while s.len() < 50 * 1024 * 1024 {
        s.push_str(words[i % words.len()]);
        s.push(' ');
        i += 1;
    }
    s.push('\n');
    s
}

// ---------------------------------------------------------------- Markdown nesting

case!(
    ten_thousand_nested_list_levels,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}+++\n\n{}x\n", "- ".repeat(10_000)),
        );
    },
    ["content/tin-tuc/a.md:5:", "lồng nhau quá sâu"]
);

case!(
    ten_thousand_nested_quotes,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}+++\n\n{}x\n", "> ".repeat(10_000)),
        );
    },
    ["content/tin-tuc/a.md:5:", "lồng nhau quá sâu"]
);

case!(
    deep_nesting_in_a_section_body,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/_index.md",
            format!("+++\ntitle = \"T\"\n+++\n{}x\n", "> - ".repeat(3_000)),
        );
    },
    ["content/tin-tuc/_index.md:4:", "lồng nhau quá sâu"]
);

// ---------------------------------------------------------------- references to what does not exist

case!(
    area_parent_missing,
    Base::Example,
    |f| {
        append(
            f,
            "content/data/areas.toml",
            "[[area]]\nid = \"xa-moi\"\nname = \"Xã Mới\"\nlevel = \"xa\"\nparent = \"dak-gle\"\n",
        );
    },
    ["content/data/areas.toml:", "cấp trên \"dak-gle\""]
);

case!(
    project_program_missing,
    Base::Example,
    |f| {
        append(
            f,
            "content/data/programs.toml",
            "[[project]]\nid = \"du-an-99\"\nprogram = \"ctmtqg-17\"\nname = \"X\"\n",
        );
    },
    [
        "content/data/programs.toml:",
        "\"ctmtqg-17\"",
        "`ctmtqg-1719`?"
    ]
);

case!(
    breakdown_indicator_missing,
    Base::Example,
    |f| {
        let r = f.read(REPORT).replacen(
            "indicators = { to_truyen_thong = { actual = 6 } }",
            "indicators = { to_truyen_thon = { actual = 6 } }",
            1,
        );
        f.write(REPORT, r);
    },
    ["du-an-8-kon-tum-2022-11.toml:", "`to_truyen_thong`?"]
);

case!(
    chart_of_a_missing_project,
    Base::Example,
    |f| {
        f.write(
            "content/tin-tuc/bieu-do.md",
            format!("{FM}+++\n\nBiểu đồ:\n\n{{{{ bieu_do(project=\"du-an-88\", year=2022) }}}}\n"),
        );
    },
    ["content/tin-tuc/bieu-do.md:7:1", "du-an-88"]
);

case!(
    relative_link_to_a_missing_article,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}+++\n\nXem [bài cũ](bai-cu.md).\n"),
        );
    },
    ["content/tin-tuc/a.md:5:5", "không tồn tại"]
);

case!(
    missing_image_in_a_bundle,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/goi/index.md",
            format!("{FM}+++\n\n![Ảnh](khong-co.png)\n"),
        );
    },
    ["content/tin-tuc/goi/index.md:5:1", "ảnh \"khong-co.png\""]
);

case!(
    missing_image_in_raw_html,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}+++\n\nẢnh:\n\n<p><img src=\"/anh/khong-co.jpg\" alt=\"x\"></p>\n"),
        );
    },
    ["content/tin-tuc/a.md:7:4", "/anh/khong-co.jpg"]
);

case!(
    missing_image_in_a_section,
    Base::Basic,
    |f| {
        f.write(
            "content/thong-bao/_index.md",
            "+++\ntitle = \"Thông báo\"\n+++\n\n![Bìa](bia.png)\n",
        );
    },
    ["content/thong-bao/_index.md:5:1", "bia.png"]
);

case!(
    article_template_missing,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}template = \"pagee.html\"\n+++\n"),
        );
    },
    [
        "content/tin-tuc/a.md:3:1",
        "\"pagee.html\"",
        "\"page.html\"?"
    ]
);

case!(
    section_page_template_missing,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/_index.md",
            "+++\ntitle = \"Tin tức\"\n\npage_template = \"bai.html\"\n+++\n",
        );
    },
    [
        "content/tin-tuc/_index.md:4:1",
        "page_template = \"bai.html\""
    ]
);

// Translation files (Zola's naming) on a site without [languages]: one message each, saying
// what the file is and what to do (for `.en.md`: configure English); a dotted name that is
// not a language (`bao-cao.2022.md`) is an article.
case!(
    zola_translation_files,
    Base::Basic,
    |f| {
        let fm = "+++\ntitle = \"Dịch\"\ndate = 2024-01-01\n+++\n";
        f.write("content/tin-tuc/_index.es.md", fm);
        f.write("content/tin-tuc/goi-anh/index.fr.md", fm);
        f.write("content/tin-tuc/bai.en.md", fm);
        f.write("content/tin-tuc/bao-cao.2022.md", fm);
    },
    [
        "lỗi: content/tin-tuc/_index.es.md:1:1: tệp bản dịch ngôn ngữ `es`: bantin không dựng trang `es` (chỉ dựng trang tiếng Việt, và tiếng Anh khi config.toml có [languages.en])\n  → cách sửa: xoá tệp này hoặc chuyển nó ra khỏi content/; nếu đây là nội dung tiếng Việt, đổi tên thành _index.md (bỏ mã ngôn ngữ .es)\n",
        "lỗi: content/tin-tuc/bai.en.md:1:1: tệp bản dịch ngôn ngữ `en`: config.toml chưa có [languages.en] nên bantin không dựng trang `en`\n  → cách sửa: thêm [languages.en] (title, description) vào config.toml để dựng trang này dưới /en/; hoặc xoá tệp này hoặc chuyển nó ra khỏi content/; nếu đây là nội dung tiếng Việt, đổi tên thành bai.md (bỏ mã ngôn ngữ .en)\n",
        "lỗi: content/tin-tuc/goi-anh/index.fr.md:1:1: tệp bản dịch ngôn ngữ `fr`: bantin không dựng trang `fr` (chỉ dựng trang tiếng Việt, và tiếng Anh khi config.toml có [languages.en])\n  → cách sửa: xoá tệp này hoặc chuyển nó ra khỏi content/; nếu đây là nội dung tiếng Việt, đổi tên thành index.md (bỏ mã ngôn ngữ .fr)\n",
        "\n3 lỗi.\n"
    ]
);

// ---------------------------------------------------------------- Zola shortcodes bantin does not have

case!(
    unknown_shortcodes,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}+++\n\n{{{{ resize_image(path=\"a.jpg\", width=600) }}}}\n\n{{% quote(author=\"A\") %}}\nCâu nói.\n{{% end %}}\n\nVideo: {{{{ youtube(id=\"dQw4\") }}}} và `{{{{/* gallery() */}}}}`\n"),
        );
        f.write(
            "content/tin-tuc/_index.md",
            "+++\ntitle = \"Tin tức\"\n+++\n\n{{ gallery() }}\n",
        );
    },
    [
        "lỗi: content/tin-tuc/_index.md:5:1: bantin không có lệnh (shortcode) \"gallery\"; bantin chỉ có so_lieu (con số từ dữ liệu), bieu_do (biểu đồ) và van_ban (trích dẫn văn bản)\n  → cách sửa: chèn từng ảnh bằng Markdown, mỗi ảnh một dòng: ![mô tả ảnh 1](anh-1.jpg), ![mô tả ảnh 2](anh-2.jpg) …\n",
        "lỗi: content/tin-tuc/a.md:5:1: bantin không có lệnh (shortcode) \"resize_image\"; bantin chỉ có so_lieu (con số từ dữ liệu), bieu_do (biểu đồ) và van_ban (trích dẫn văn bản)\n  → cách sửa: chèn ảnh bằng Markdown: ![mô tả ảnh](a.jpg); ảnh đặt cạnh bài (thư mục bai/index.md) hoặc trong static/\n",
        "lỗi: content/tin-tuc/a.md:7:1: bantin không có lệnh có thân (shortcode) \"quote\" ({% quote(…) %} … {% end %}); bantin chỉ có so_lieu (con số từ dữ liệu), bieu_do (biểu đồ) và van_ban (trích dẫn văn bản), viết dạng {{ … }}\n  → cách sửa: viết trích dẫn bằng Markdown: mỗi dòng bắt đầu bằng \"> \"\n",
        "lỗi: content/tin-tuc/a.md:11:8: bantin không có lệnh (shortcode) \"youtube\"; bantin chỉ có so_lieu (con số từ dữ liệu), bieu_do (biểu đồ) và van_ban (trích dẫn văn bản)\n  → cách sửa: nhúng video bằng HTML: <iframe src=\"https://www.youtube-nocookie.com/embed/dQw4\" title=\"Tên video\" allowfullscreen></iframe>\n",
        "\n4 lỗi.\n"
    ]
);

/// A template named in front matter that does not exist: one message, in `check` (which
/// renders despite errors, to list template errors too) as in `build`.
#[test]
fn missing_template_is_reported_once() {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/a.md",
        format!("{FM}template = \"khong-co.html\"\n+++\n"),
    );
    for cmd in ["check", "build"] {
        let out = f.bantin(&[cmd]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {err}");
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("lỗi:")).collect();
        assert_eq!(
            lines,
            ["lỗi: content/tin-tuc/a.md:3:1: template = \"khong-co.html\": không có mẫu giao diện này"],
            "{cmd}: {err}"
        );
        assert!(err.contains("\n1 lỗi.\n"), "{cmd}: {err}");
    }
}

// ---------------------------------------------------------------- duplicates

case!(
    duplicate_slug_override,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}slug = \"trung\"\n+++\n"),
        );
        f.write(
            "content/tin-tuc/b.md",
            format!("{FM}slug = \"trung\"\n+++\n"),
        );
    },
    [
        "tin-tuc/trung/index.html",
        "content/tin-tuc/a.md",
        "content/tin-tuc/b.md"
    ]
);

case!(
    duplicate_project_id,
    Base::Example,
    |f| {
        append(
            f,
            "content/data/programs.toml",
            "[[project]]\nid = \"du-an-1\"\nprogram = \"ctmtqg-1719\"\nname = \"Lặp\"\n",
        );
    },
    ["content/data/programs.toml:", "\"du-an-1\"", "trùng"]
);

case!(
    duplicate_indicator_id,
    Base::Example,
    |f| {
        append(f, "content/data/programs.toml", "[[project]]\nid = \"du-an-98\"\nprogram = \"ctmtqg-1719\"\nname = \"X\"\n[[project.indicator]]\nid = \"a\"\nname = \"A\"\n[[project.indicator]]\nid = \"a\"\nname = \"B\"\n");
    },
    ["content/data/programs.toml:", "chỉ tiêu \"a\"", "trùng"]
);

case!(
    duplicate_program_id,
    Base::Example,
    |f| {
        append(
            f,
            "content/data/programs.toml",
            "[[program]]\nid = \"ctmtqg-1719\"\nname = \"Lặp\"\n",
        );
    },
    ["content/data/programs.toml:", "\"ctmtqg-1719\""]
);

// ---------------------------------------------------------------- two sources, one output path

case!(
    folder_names_that_slug_alike,
    Base::Basic,
    |f| {
        f.write(
            "content/Tin Tức/_index.md",
            "+++\ntitle = \"Tin tức 2\"\n+++\n",
        );
    },
    [
        "tin-tuc/index.html",
        "content/Tin Tức/_index.md",
        "content/tin-tuc/_index.md"
    ]
);

case!(
    alias_on_an_existing_page,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}aliases = [\"/tin-tuc/tap-huan/\"]\n+++\n"),
        );
    },
    ["tin-tuc/tap-huan/index.html", "content/tin-tuc/a.md"]
);

case!(
    bundle_assets_differing_in_case,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/goi-anh/SO-DO.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    },
    [
        "tin-tuc/goi-anh/",
        "so-do.svg",
        "chữ hoa/thường",
        "content/tin-tuc/goi-anh/SO-DO.svg"
    ]
);

case!(
    bundle_svg_with_a_script,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/goi-anh/bieu-do.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <rect width=\"10\"/>\n  <script>fetch('/')</script>\n</svg>\n",
        );
    },
    [
        "content/tin-tuc/goi-anh/bieu-do.svg:3:3:",
        "tệp SVG có mã chạy được: thẻ <script>",
        "cách sửa: mở trực tiếp"
    ]
);

case!(
    static_svg_with_an_event_attribute,
    Base::Basic,
    |f| {
        f.write(
            "static/hinh/logo.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
        );
    },
    ["static/hinh/logo.svg:1:41:", "thuộc tính sự kiện"]
);

case!(
    static_file_over_a_page,
    Base::Basic,
    |f| {
        f.write("static/tin-tuc/index.html", "<p>tĩnh</p>");
    },
    ["tin-tuc/index.html", "static/tin-tuc/index.html"]
);

// ---------------------------------------------------------------- templates

fn page_template(f: &Fixture, body: &str) {
    f.write(
        "templates/page.html",
        format!("{{% extends \"base.html\" %}}\n{{% block content %}}\n\n{body}\n{{% endblock content %}}\n"),
    );
}

case!(
    template_unknown_filter,
    Base::Basic,
    |f| {
        page_template(f, "<h1>{{ page.title | viet_hoa }}</h1>");
    },
    ["templates/page.html:4:", "bộ lọc \"viet_hoa\""]
);

case!(
    template_unknown_function,
    Base::Basic,
    |f| {
        page_template(f, "  {{ lay_so_lieu(id=1) }}");
    },
    ["templates/page.html:4:6", "hàm \"lay_so_lieu\""]
);

case!(
    template_unknown_variable,
    Base::Basic,
    |f| {
        page_template(f, "<p>{{ page.tac_gia }}</p>");
    },
    ["templates/page.html:4:7", "biến \"page.tac_gia\""]
);

/// A mistake in the article template fails every article: one message, naming the first
/// article and counting the others, and one error in the total; `check`, which renders anyway,
/// does not repeat a place a check has reported.
#[test]
fn template_error_on_every_page_is_one_message() {
    let b = built(Base::Example);
    b.f.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n\n<p>{{ page.tac_gia }}</p>\n{% endblock content %}\n",
    );
    let err = refused(
        &b,
        &[],
        &["templates/page.html:4:7", "biến \"page.tac_gia\""],
    );
    let articles = walkdir::WalkDir::new(b.f.path("content"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        // English pages (`_index.en.md` too) render with page.html
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            !name.starts_with('_') || name.ends_with(".en.md")
        })
        // documents (van_ban = true) render with van_ban.html, not page.html
        .filter(|e| !e.path().components().any(|c| c.as_os_str() == "van-ban"))
        .filter(|e| {
            !std::fs::read_to_string(e.path())
                .unwrap()
                .contains("draft = true")
        })
        .count();
    assert!(articles > 5, "{articles}");
    assert_eq!(err.matches("page.tac_gia").count(), 1, "{err}");
    assert!(
        err.contains(&format!("và {} trang khác)", articles - 1)),
        "{articles} articles:\n{err}"
    );
    assert!(err.contains("\n1 lỗi."), "{err}");

    b.f.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n\n<h1>{{ page.title | viet_hoa }}</h1>\n{% endblock content %}\n",
    );
    let out = b.f.bantin(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("viet_hoa").count(), 1, "{err}");
    assert!(err.contains("templates/page.html:4:21: mẫu giao diện \"page.html\" dùng bộ lọc \"viet_hoa\" không tồn tại"), "{err}");
    assert!(err.contains("\n1 lỗi."), "{err}");
}

case!(
    template_missing_include,
    Base::Basic,
    |f| {
        page_template(f, "{% include \"partials/khong-co.html\" %}");
    },
    ["templates/page.html:4:", "partials/khong-co.html"]
);

case!(
    template_extends_missing_parent,
    Base::Basic,
    |f| {
        f.write(
            "templates/page.html",
            "{% extends \"goc.html\" %}\n{% block content %}{% endblock content %}\n",
        );
    },
    ["templates/page.html:1:", "goc.html"]
);

case!(
    template_unclosed_if_in_a_partial,
    Base::Basic,
    |f| {
        f.write(
            "templates/partials/o-tim-kiem.html",
            "<form>\n{% if config.title %}\n<input>\n</form>\n",
        );
    },
    ["templates/partials/o-tim-kiem.html:", "o-tim-kiem.html"]
);

case!(
    template_unknown_macro,
    Base::Basic,
    |f| {
        page_template(f, "{{ m::khong_co(x=1) }}");
        let p = f.read("templates/page.html").replace(
            "{% extends \"base.html\" %}\n",
            "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n",
        );
        f.write("templates/page.html", p);
    },
    ["templates/page.html:5:", "m::khong_co"]
);

case!(
    template_unknown_component,
    Base::Basic,
    |f| {
        page_template(f, "{{ <khong_co x={1} /> }}");
    },
    ["templates/page.html:4:", "component \"khong_co\""]
);

case!(
    theme_name_leaving_the_themes_folder,
    Base::Basic,
    |f| {
        config_with(f, "theme = \"cong-thong-tin\"", "theme = \"../../etc\"");
    },
    ["config.toml:4:1", "../../etc"]
);

// ---------------------------------------------------------------- symlinks

#[cfg(unix)]
case!(
    symlink_loop_in_content,
    Base::Basic,
    |f| {
        symlink("..", &f.path("content/tin-tuc/vong"));
    },
    ["content/tin-tuc/vong", "symlink"]
);

#[cfg(unix)]
case!(
    symlink_to_a_file_outside_the_root,
    Base::Basic,
    |f| {
        symlink("/etc/hostname", &f.path("content/tin-tuc/ngoai.md"));
    },
    ["content/tin-tuc/ngoai.md", "symlink"]
);

#[cfg(unix)]
case!(
    symlink_in_static_to_outside,
    Base::Basic,
    |f| {
        symlink("/etc", &f.path("static/etc"));
    },
    ["static/etc", "symlink"]
);

#[cfg(unix)]
case!(
    symlink_among_templates,
    Base::Basic,
    |f| {
        symlink("/etc/hostname", &f.path("templates/page.html"));
    },
    ["templates/page.html", "symlink"]
);

#[cfg(unix)]
case!(
    symlink_in_data_reports,
    Base::Example,
    |f| {
        symlink("/etc/hostname", &f.path("content/data/reports/ngoai.toml"));
    },
    ["content/data/reports/ngoai.toml", "symlink"]
);

#[cfg(unix)]
case!(
    content_folder_is_a_symlink,
    Base::Basic,
    |f| {
        let elsewhere = f.root.parent().unwrap().join("noi-dung-ngoai");
        std::fs::rename(f.path("content"), &elsewhere).unwrap();
        symlink(&elsewhere, &f.path("content"));
    },
    ["content: liên kết tượng trưng"]
);

// ---------------------------------------------------------------- dangerous output directories

case!(
    output_is_a_file,
    Base::Basic,
    |f| {
        f.write("ghi-chu.txt", "tệp của người dùng");
    },
    ["không thể dùng", "là một tệp"],
    args = ["--output", "ghi-chu.txt"]
);

case!(
    output_is_a_folder_with_other_files,
    Base::Basic,
    |f| {
        f.write("tai-lieu/bao-cao.docx", "tài liệu");
    },
    ["không thể dùng", "không phải trang do bantin dựng"],
    args = ["--output", "tai-lieu"]
);

#[cfg(unix)]
case!(
    output_is_a_symlink_to_the_root,
    Base::Basic,
    |f| {
        symlink(".", &f.path("ra"));
    },
    ["không thể dùng", "chứa mã nguồn"],
    args = ["--output", "ra"]
);

#[cfg(unix)]
case!(
    output_is_a_symlink_to_a_built_site,
    Base::Basic,
    |f| {
        symlink(f.path("public"), &f.path("ra"));
    },
    ["không thể dùng", "symlink"],
    args = ["--output", "ra"]
);

case!(
    output_inside_static,
    Base::Basic,
    |f| {
        f.write("static/x.txt", "x");
    },
    ["không thể dùng", "static/"],
    args = ["--output", "static/public"]
);

case!(
    output_inside_templates,
    Base::Basic,
    |f| {
        f.write("templates/.keep", "");
    },
    ["không thể dùng", "templates/"],
    args = ["--output", "templates/out"]
);

#[test]
fn output_is_the_home_folder() {
    let b = built(Base::Basic);
    let home = b.f.root.parent().unwrap().join("nha");
    std::fs::create_dir_all(&home).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(["build", "--output"])
        .arg(&home)
        .current_dir(&b.f.root)
        .env("HOME", &home)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("thư mục nhà"), "{}", stderr(&out));
    assert_eq!(b.before, tree(&b.f.path("public")));
}

// ---------------------------------------------------------------- paths out of the output folder

case!(
    slug_absolute,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}slug = \"/etc/passwd\"\n+++\n"),
        );
    },
    [
        "content/tin-tuc/a.md:3:8",
        "slug \"/etc/passwd\" không hợp lệ"
    ]
);

case!(
    slug_with_nul,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}slug = \"a\\u0000b\"\n+++\n"),
        );
    },
    ["content/tin-tuc/a.md:3:8", "không hợp lệ"]
);

case!(
    slug_windows_device_name,
    Base::Basic,
    |f| {
        f.write("content/tin-tuc/a.md", format!("{FM}slug = \"con\"\n+++\n"));
    },
    ["content/tin-tuc/a.md:3:8", "slug \"con\""]
);

case!(
    file_named_like_a_device,
    Base::Basic,
    |f| {
        f.write("content/tin-tuc/AUX.md", format!("{FM}+++\n"));
    },
    ["content/tin-tuc/AUX.md:1:1", "\"aux\"", "thiết bị"]
);

case!(
    folder_named_like_a_device,
    Base::Basic,
    |f| {
        f.write("content/nul/a.md", format!("{FM}+++\n"));
    },
    ["content/nul", "thư mục \"nul\""]
);

case!(
    folder_name_without_letters,
    Base::Basic,
    |f| {
        f.write("content/…/a.md", format!("{FM}+++\n"));
    },
    ["content/…", "tên thư mục"]
);

case!(
    alias_with_trailing_dot,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}aliases = [\"/tin-tuc/cu./\"]\n+++\n"),
        );
    },
    ["content/tin-tuc/a.md", "\"/tin-tuc/cu./\""]
);

case!(
    alias_windows_absolute,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}aliases = [\"C:\\\\Windows\\\\x\", \"\\\\\\\\may\\\\chia-se\"]\n+++\n"),
        );
    },
    ["content/tin-tuc/a.md", "C:\\Windows\\x", "\\\\may\\chia-se"]
);

case!(
    area_id_device_name,
    Base::Example,
    |f| {
        append(
            f,
            "content/data/areas.toml",
            "[[area]]\nid = \"nul\"\nname = \"Xã Nul\"\nlevel = \"xa\"\n",
        );
    },
    ["content/data/areas.toml:", "mã địa bàn \"nul\""]
);

case!(
    tag_named_like_a_device,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!("{FM}\n[taxonomies]\ntags = [\"CON\"]\n+++\n"),
        );
    },
    ["content/tin-tuc/a.md:5:9", "\"tags/con\"", "thiết bị"]
);

case!(
    tag_too_long_for_a_file_name,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/a.md",
            format!(
                "{FM}\n[taxonomies]\ntags = [\"{}\"]\n+++\n",
                "Dài ".repeat(80)
            ),
        );
    },
    ["content/tin-tuc/a.md:5:9", "tags/dai-dai", "quá dài"]
);

// ---------------------------------------------------------------- the 50 MB line, allowed

/// With `max_file_size` raised, a 50 MB line goes through the whole Markdown path: no panic,
/// nothing quadratic (link positions used to be recomputed from the start of the body), the
/// page is written.
#[test]
fn fifty_megabyte_line_builds_when_allowed() {
    let f = Fixture::new("basic");
    let c = f.read("config.toml");
    f.write(
        "config.toml",
        c.replace(
            "paginate_by = 2",
            "paginate_by = 2\nmax_file_size = 60000000",
        ),
    );
    // no feed for the section, so the body is not copied into four more files
    f.write(
        "content/tin-tuc/_index.md",
        "+++\ntitle = \"Tin tức\"\nfeed = false\n+++\n",
    );
    f.write("content/tin-tuc/dai.md", huge_article());
    let start = std::time::Instant::now();
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"));
    let page = std::fs::metadata(f.path("public/tin-tuc/dai/index.html")).unwrap();
    assert!(page.len() > 50 * 1024 * 1024, "{}", page.len());
    eprintln!("50 MB line built in {:?}", start.elapsed());
}

// ---- Staff habits (issue 14): numbers, dates and quotes as Excel and Word write them, and keys
// written in the wrong place. Each is refused at its place with the fix, nothing written.

/// Replaces `from` (which must be there) by `to` in the example's Dự án 8 report.
fn report_with(f: &Fixture, from: &str, to: &str) {
    let r = f.read(REPORT);
    assert!(r.contains(from), "{from}");
    f.write(REPORT, r.replacen(from, to, 1));
}

case!(
    thousands_dot_in_a_bare_number,
    Base::Example,
    |f| {
        report_with(f, "disbursed = 1393", "disbursed = 1.250");
    },
    [
        "du-an-8-kon-tum-2022-11.toml:14:13: số 1.250 đọc được hai cách: 1.250 (dấu chấm phân cách hàng nghìn, như người Việt đọc) hoặc 1,25 (dấu chấm thập phân, như TOML đọc)",
        "nếu là 1.250, viết 1250 hoặc \"1.250\"; nếu là 1,25, viết 1.25 hoặc \"1,25\"",
    ]
);

case!(
    thousands_dot_in_a_breakdown_row,
    Base::Example,
    |f| {
        report_with(
            f,
            "budget = { allocated = 310, disbursed = 130 }",
            "budget = { allocated = 3.829, disbursed = 130 }",
        );
    },
    [
        "số 3.829 đọc được hai cách",
        "viết \"3,829\" (trong dấu nháy)"
    ]
);

case!(
    comma_decimal,
    Base::Example,
    |f| {
        report_with(f, "disbursed = 1393", "disbursed = 540,5");
    },
    [
        "du-an-8-kon-tum-2022-11.toml:14:16: Báo cáo số liệu không hợp lệ: số 540,5 viết dấu phẩy thập phân theo cách Việt Nam, TOML không đọc được",
        "viết 540.5 (dấu chấm, không dấu nháy) hoặc \"540,5\" (trong dấu nháy, đọc theo cách Việt Nam)",
    ]
);

case!(
    day_month_year_date,
    Base::Example,
    |f| {
        report_with(f, "as_of = 2022-11-30", "as_of = 30/11/2022");
    },
    [
        "du-an-8-kon-tum-2022-11.toml:7:9: Báo cáo số liệu không hợp lệ: ngày 30/11/2022 viết theo kiểu ngày/tháng/năm",
        "viết năm-tháng-ngày, không dấu nháy: 2022-11-30",
    ]
);

case!(
    curly_quotes_from_word,
    Base::Example,
    |f| {
        report_with(f, "source = \"Hội LHPN", "source = “Hội LHPN");
    },
    [
        "du-an-8-kon-tum-2022-11.toml:9:",
        "dấu nháy cong “…” (Word tự đổi) không dùng được trong tệp số liệu",
        "dùng dấu nháy thẳng \"…\"",
    ]
);

case!(
    first_part_key_under_a_table,
    Base::Example,
    |f| {
        report_with(f, "illustrative = false\n", "");
        report_with(f, "by_source = { central = 3829 }\n", "by_source = { central = 3829 }\nillustrative = false\n");
    },
    [
        "du-an-8-kon-tum-2022-11.toml:15:1: Báo cáo số liệu không hợp lệ: khoá `illustrative` thuộc phần đầu tệp nhưng đang nằm dưới dòng [budget]",
        "chuyển dòng `illustrative = …` lên trên, trước dòng [ đầu tiên",
    ]
);

case!(
    breakdown_budget_on_the_row,
    Base::Example,
    |f| {
        report_with(
        f,
        "budget = { allocated = 310, disbursed = 130 }",
        "allocated = 310\ndisbursed = 130"
    );
    },
    [
        "du-an-8-kon-tum-2022-11.toml:36:1: khoá `allocated` của dòng breakdown phải nằm trong budget, không đứng riêng",
        "du-an-8-kon-tum-2022-11.toml:37:1: khoá `disbursed` của dòng breakdown phải nằm trong budget, không đứng riêng",
        "đặt trong budget = { allocated = …, disbursed = … } trên dòng này",
    ]
);

case!(
    budget_line_with_a_key_it_does_not_take,
    Base::Example,
    |f| {
        report_with(
            f,
            "recurrent = { allocated = 3829, disbursed = 1393 }",
            "recurrent = { allocated = 3829, disbursed = 1393, central = 3829 }",
        );
    },
    [
        "du-an-8-kon-tum-2022-11.toml:",
        "khoá `central` không có trong danh sách khoá hợp lệ",
        "allocated, disbursed",
    ]
);

fn report_2024_with(f: &Fixture, from: &str, to: &str) {
    let file = "content/data/reports/du-an-8-kon-tum-2024.toml";
    let text = f.read(file);
    assert!(text.contains(from), "{from}");
    f.write(file, text.replacen(from, to, 1));
}

case!(
    ambiguous_number_in_a_budget_line,
    Base::Example,
    |f| {
        report_2024_with(f, "disbursed = 1100 }", "disbursed = 1.500 }");
    },
    ["du-an-8-kon-tum-2024.toml:16:48: số 1.500 đọc được hai cách",]
);

case!(
    budget_line_disbursed_beyond_its_allocation,
    Base::Example,
    |f| {
        report_2024_with(f, "disbursed = 1100 }", "disbursed = 1500 }");
    },
    [
        "du-an-8-kon-tum-2024.toml:16:48: vốn năm trước chuyển sang (carried_over): đã giải ngân (1.500) lớn hơn dự toán (1.434)",
        "kiểm tra lại hai số của dòng này; nhớ 1.250 viết là 1250",
    ]
);

case!(
    undeclared_row_key,
    Base::Example,
    |f| {
        report_with(f, "plan_issued = true", "plan_isued = true");
    },
    [
        "du-an-8-kon-tum-2022-11.toml:35:1: khoá `plan_isued` không phải khoá của dòng breakdown và dự án chưa khai báo nó",
        "có phải ý bạn là `plan_issued`?",
    ]
);

/// A quoted figure is read the Vietnamese way and published as such; a total 1 000 times its
/// breakdown is a warning that says so, and an error under `--strict`.
#[test]
fn quoted_vietnamese_figures_and_the_thousand_factor() {
    let f = Fixture::example();
    report_with(&f, "disbursed = 1393", "disbursed = \"1.393\"");
    report_with(&f, "allocated = 3829", "allocated = \"3.829,0\"");
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("cảnh báo"), "{}", stderr(&out));
    let csv = f.read("public/du-lieu/du-an-8-kon-tum-2022-11.csv");
    assert!(csv.contains(",3829,1393,"), "{csv}");
    report_with(&f, "disbursed = \"1.393\"", "disbursed = 1393000");
    let out = f.bantin(&["build", "--strict"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("du-an-8-kon-tum-2022-11.toml:14:13: tổng giải ngân (disbursed) của các dòng breakdown là 1.393 triệu đồng nhưng tổng của báo cáo là 1.393.000 triệu đồng"), "{err}");
    assert!(err.contains("hai số lệch nhau đúng 1.000 lần"), "{err}");
}

// Legal documents (văn bản, issue 16 item 2), on the example site's `van-ban` section.

fn edit(f: &Fixture, rel: &str, from: &str, to: &str) {
    let c = f.read(rel);
    assert!(c.contains(from), "{from} in {rel}");
    f.write(rel, c.replacen(from, to, 1));
}

case!(
    van_ban_dates_out_of_order,
    Base::Example,
    |f| {
        edit(
            f,
            "content/van-ban/hd-12-bdt/index.md",
            "ngay_hieu_luc = 2023-03-01",
            "ngay_hieu_luc = 2023-02-01",
        );
        edit(
            f,
            "content/van-ban/kh-210-ubnd/index.md",
            "trich_yeu",
            "het_hieu_luc = 2024-01-15\ntrich_yeu",
        );
    },
    [
        "content/van-ban/hd-12-bdt/index.md:7:17: ngày hiệu lực 01/02/2023 trước ngày ban hành 20/02/2023",
        "content/van-ban/kh-210-ubnd/index.md:8:16: ngày hết hiệu lực 15/01/2024 không sau ngày có hiệu lực 15/01/2024",
    ]
);

case!(
    van_ban_attached_file_missing,
    Base::Example,
    |f| {
        f.remove("content/van-ban/bc-95-bdt/bc-95-bdt.pdf");
        edit(
            f,
            "content/van-ban/tb-85-bdt/index.md",
            "tep = [\"tb-85-bdt.pdf\"]",
            "tep = [\"tb-85-bdt.pfd\", \"tb-58-bdt.pdf\"]",
        );
    },
    [
        "content/van-ban/bc-95-bdt/index.md:10:8: không có tệp đính kèm \"bc-95-bdt.pdf\" cạnh văn bản",
        "content/van-ban/tb-85-bdt/index.md:10:8: tệp đính kèm \"tb-85-bdt.pfd\" không phải PDF hay tệp văn phòng",
        "content/van-ban/tb-85-bdt/index.md:10:25: không có tệp đính kèm \"tb-58-bdt.pdf\" cạnh văn bản",
        "có phải là \"tb-85-bdt.pdf\"?",
    ]
);

case!(
    van_ban_duplicate_number_from_one_issuer,
    Base::Example,
    |f| {
        edit(
            f,
            "content/van-ban/kh-210-ubnd/index.md",
            "so_ky_hieu = \"210/KH-UBND\"",
            "so_ky_hieu = \"3320/KH-UBND\"",
        );
    },
    [
        "content/van-ban/kh-3320-ubnd/index.md:4:14: số ký hiệu \"3320/KH-UBND\" của UBND tỉnh Kon Tum đã dùng cho văn bản content/van-ban/kh-210-ubnd/index.md",
    ]
);

case!(
    van_ban_keys_missing_and_malformed,
    Base::Example,
    |f| {
        edit(
            f,
            "content/van-ban/qd-245-ubnd/index.md",
            "so_ky_hieu = \"245/QĐ-UBND\"",
            "so_ky_hieu = \"245-QĐ/UBND\"",
        );
        edit(
            f,
            "content/van-ban/qd-245-ubnd/index.md",
            "loai = \"Quyết định\"",
            "loai = \"Quyết đinh\"",
        );
        edit(
            f,
            "content/van-ban/kh-210-ubnd/index.md",
            "nguoi_ky = \"Phó Chủ tịch UBND tỉnh\"\n",
            "",
        );
        // a document key in an ordinary article
        edit(
            f,
            "content/tin-tuc/gap-mat-nguoi-co-uy-tin-2024.md",
            "+++\ntitle",
            "+++\nso_ky_hieu = \"1/TB-BDT\"\ntitle",
        );
    },
    [
        "content/van-ban/qd-245-ubnd/index.md:4:14: số ký hiệu \"245-QĐ/UBND\" không đúng dạng",
        "content/van-ban/qd-245-ubnd/index.md:3:8: loại văn bản \"Quyết đinh\" không có trong danh sách",
        "có phải là \"Quyết định\"?",
        "content/van-ban/kh-210-ubnd/index.md:2:1: văn bản thiếu nguoi_ky",
        "content/tin-tuc/gap-mat-nguoi-co-uy-tin-2024.md:2:14: so_ky_hieu chỉ dùng cho văn bản",
    ]
);

case!(
    van_ban_citation_of_an_unknown_number,
    Base::Example,
    |f| {
        f.write(
            "content/tin-tuc/trich-dan.md",
            "+++\ntitle = \"Trích dẫn\"\ndate = 2024-07-01\n+++\n\nTheo {{ van_ban(so=\"3321/KH-UBND\") }} và {{ van_ban(so=\"9/QĐ-UBND\") }}.\n\n{{ van_ban(so=\"1719/QĐ-TTg\", nam=2021) }}\n",
        );
    },
    [
        "content/tin-tuc/trich-dan.md:6:6: van_ban: không có văn bản số \"3321/KH-UBND\"",
        "có phải là \"3320/KH-UBND\"?",
        "content/tin-tuc/trich-dan.md:6:42: van_ban: không có văn bản số \"9/QĐ-UBND\"",
        "content/tin-tuc/trich-dan.md:8:1: van_ban: không có tham số nam",
    ]
);

const PHOTO_BUNDLE: &str = "content/tin-tuc/le-hoi/index.md";

fn photo_article(f: &Fixture, body: &str) {
    f.write(
        PHOTO_BUNDLE,
        format!("+++\ntitle = \"Lễ hội\"\ndate = 2024-03-01\n+++\n\n{body}\n"),
    );
}

case!(
    photo_without_alt,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/le-hoi/anh.jpg",
            crate::anh::jpeg_with_exif(64, 48, 1),
        );
        photo_article(
            f,
            "Mở đầu ![](anh.jpg)\n\n![  ](/khong-co.png)\n\n{{ anh(src=\"anh.jpg\") }}\n\n{{ anh(src=\"anh.jpg\", alt=\"Ảnh\", trang_tri=true) }}\n\n{{ bo_anh(danh_sach=\"anh.jpg\") }}\n\n{{ anh(src=\"khac.jpg\", alt=\"x\") }}",
        );
    },
    [
        "content/tin-tuc/le-hoi/index.md:6:8: ảnh thiếu mô tả (alt)",
        "content/tin-tuc/le-hoi/index.md:8:1: ảnh thiếu mô tả (alt)",
        "content/tin-tuc/le-hoi/index.md:10:1: anh: ảnh thiếu mô tả (alt)",
        "content/tin-tuc/le-hoi/index.md:12:1: anh: ảnh trang trí (trang_tri=true) không có mô tả",
        "content/tin-tuc/le-hoi/index.md:14:1: bo_anh: ảnh \"anh.jpg\" trong bộ ảnh thiếu mô tả",
        "content/tin-tuc/le-hoi/index.md:16:1: anh: không có ảnh \"khac.jpg\"",
        "các ảnh cạnh bài: anh.jpg",
        "trang_tri=true",
    ]
);

case!(
    photo_truncated,
    Base::Basic,
    |f| {
        let mut jpeg = crate::anh::jpeg_with_exif(640, 480, 1);
        jpeg.truncate(jpeg.len() / 3);
        f.write("content/tin-tuc/le-hoi/anh.jpg", jpeg);
        let mut png = crate::anh::png_with_text(300, 200);
        png.truncate(png.len() / 2);
        f.write("static/so-do.png", png);
        photo_article(f, "![Ảnh](anh.jpg)");
    },
    [
        "content/tin-tuc/le-hoi/anh.jpg: ảnh JPEG hỏng hoặc bị cắt cụt",
        "static/so-do.png: ảnh PNG hỏng hoặc bị cắt cụt",
        "chép lại ảnh",
    ]
);

case!(
    photo_not_an_image,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/le-hoi/anh.jpg",
            "<html>trang tải về</html>",
        );
        f.write("static/bieu-do.png", crate::anh::jpeg_with_exif(32, 32, 1));
        photo_article(f, "![Ảnh](anh.jpg)");
    },
    [
        "content/tin-tuc/le-hoi/anh.jpg: tệp có đuôi .jpg nhưng nội dung không phải ảnh",
        "static/bieu-do.png: tệp có đuôi .png nhưng nội dung là ảnh JPEG",
        "đổi đuôi tệp thành .jpg",
    ]
);

case!(
    photo_decompression_bomb,
    Base::Basic,
    |f| {
        f.write("content/tin-tuc/le-hoi/bom.png", crate::anh::png_bomb());
        photo_article(f, "![Ảnh](bom.png)");
    },
    [
        "content/tin-tuc/le-hoi/bom.png: ảnh quá lớn: 100000 × 100000 điểm ảnh (giới hạn 40 triệu điểm ảnh)",
        "thu nhỏ ảnh",
    ]
);

case!(
    photo_image_key_not_a_photo,
    Base::Basic,
    |f| {
        f.write(
            "content/tin-tuc/le-hoi/anh.jpg",
            crate::anh::jpeg_with_exif(64, 48, 1),
        );
        f.write("content/tin-tuc/le-hoi/bao-cao.pdf", "%PDF-1.4\n");
        f.write(
            PHOTO_BUNDLE,
            "+++\ntitle = \"Lễ hội\"\nimage = \"bao-cao.pdf\"\ndate = 2024-03-01\n+++\n\n![Ảnh](anh.jpg)\n",
        );
    },
    [
        "content/tin-tuc/le-hoi/index.md:3:9: ảnh đại diện (image) \"bao-cao.pdf\" không phải ảnh JPEG, PNG hoặc WebP của bài",
        "các ảnh cạnh bài: anh.jpg",
    ]
);
