//! The command line through the binary: init, new, build, check, serve.

use std::process::Command;

use crate::common::*;

fn bantin(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .unwrap()
}

#[test]
fn init_scaffolds_a_site_that_builds_immediately() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bantin(tmp.path(), &["init", "trang-moi"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = tmp.path().join("trang-moi");
    let out = bantin(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Đã dựng"), "{}", stdout(&out));
    assert!(site
        .join("public/tin-tuc/bai-viet-dau-tien/index.html")
        .is_file());
    // refuses a non-empty directory
    let again = bantin(tmp.path(), &["init", "trang-moi"]);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn new_creates_a_draft_with_a_vietnamese_slug() {
    let f = Fixture::new("basic");
    let out = f.bantin(&["new", "tin-tuc", "Tiêu đề có dấu"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = f.read("content/tin-tuc/tieu-de-co-dau.md");
    assert!(
        text.starts_with("+++\ntitle = \"Tiêu đề có dấu\"\ndate = 2024-07-18\n"),
        "{text}"
    );
    assert!(text.contains("draft = true"));
    // the draft is valid: the site still builds, and includes it with --drafts
    let out = f.bantin(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(f.exists("public/tin-tuc/tieu-de-co-dau/index.html"));
    // never overwrites
    let again = f.bantin(&["new", "tin-tuc", "Tiêu đề có dấu"]);
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn build_prints_a_summary_and_two_builds_are_byte_identical() {
    let f = Fixture::new("basic");
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out);
    assert!(
        summary.contains("Đã dựng") && summary.contains("trang") && summary.contains("giây"),
        "{summary}"
    );
    let first = tree(&f.path("public"));
    let out = f.bantin(&["build"]);
    assert!(out.status.success());
    assert_eq!(first, tree(&f.path("public")));
    // the date line uses SOURCE_DATE_EPOCH
    assert!(f
        .read("public/index.html")
        .contains("Thứ 5, ngày 18 tháng 7 năm 2024"));
}

#[test]
fn build_with_root_and_output_flags() {
    let f = Fixture::new("basic");
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("ra");
    let out = bantin(
        tmp.path(),
        &[
            "build",
            "--root",
            f.root.to_str().unwrap(),
            "--output",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out_dir.join("index.html").is_file());
}

#[test]
fn a_relative_root_writes_its_own_public_folder() {
    // `bantin init trang` then `bantin build --root trang`, as init tells staff to run it: the
    // root was joined twice (trang/trang/public) while the message said trang/public.
    let tmp = tempfile::tempdir().unwrap();
    let out = bantin(tmp.path(), &["init", "trang"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = bantin(tmp.path(), &["build", "--root", "trang"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("trang/public/index.html").is_file());
    assert!(!tmp.path().join("trang/trang").exists());
    assert!(
        stdout(&out).contains("vào trang/public trong"),
        "{}",
        stdout(&out)
    );
    // a second build replaces the same folder
    let out = bantin(tmp.path(), &["build", "--root", "trang"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!tmp.path().join("trang/trang").exists());
}

#[test]
fn a_relative_output_is_relative_to_the_current_directory() {
    let f = Fixture::new("basic");
    let tmp = tempfile::tempdir().unwrap();
    let out = bantin(
        tmp.path(),
        &[
            "build",
            "--root",
            f.root.to_str().unwrap(),
            "--output",
            "ra",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(tmp.path().join("ra/index.html").is_file());
    assert!(!f.exists("ra"));
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        said.contains(&tmp.path().join("ra").display().to_string()),
        "{said}"
    );
}

#[test]
fn check_passes_on_a_good_site_and_writes_nothing() {
    let f = Fixture::new("basic");
    let out = f.bantin(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!f.exists("public"));
}

/// (Serving itself is tested in tests/it/serve.rs.)
#[test]
fn serve_refuses_a_missing_root() {
    let f = Fixture::new("basic");
    let out = f.bantin(&["serve", "--port", "0", "--root", "khong-co"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("khong-co"), "{}", stderr(&out));
}

#[test]
fn the_example_site_builds_and_shows_the_seed_figures() {
    let f = Fixture::example();
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let broken = broken_internal_links(&f.path("public"), "/");
    assert!(broken.is_empty(), "{broken:#?}");
    // the seed article: find it by its figures
    let mut found = false;
    for (rel, bytes) in tree(&f.path("public")) {
        if rel.ends_with("index.html") {
            let html = String::from_utf8_lossy(&bytes);
            if html.contains("36,38%") && html.contains("3.829") && html.contains("1.393") {
                let doc = scraper::Html::parse_document(&html);
                let main = main_text(&doc);
                if main.contains("ngày 12 tháng 12 năm 2022") && main.contains("68,5%") {
                    found = true;
                }
            }
        }
    }
    assert!(
        found,
        "seed article with its figures and Vietnamese date not found"
    );
}
