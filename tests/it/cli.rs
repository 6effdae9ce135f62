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
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(ignored.contains("/.bantin/") && ignored.contains("/public/"));
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
    // the "Cập nhật" line (the build date) uses SOURCE_DATE_EPOCH
    assert!(f
        .read("public/index.html")
        .contains("Cập nhật: <time datetime=\"2024-07-18\">18/07/2024</time>"));
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

// ------------------------------------------------- what a newcomer hit (issue 14, item 7)

/// Runs the binary in `dir` with its own folder first on `PATH`, so it calls itself `bantin`
/// in the commands it prints (as after `cargo install --path .`).
fn bantin_on_path(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_bantin"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("PATH", path_with_bantin())
        .output()
        .unwrap()
}

/// `PATH` with the folder of the binary under test first.
fn path_with_bantin() -> std::ffi::OsString {
    let exe = std::path::Path::new(env!("CARGO_BIN_EXE_bantin"));
    let mut dirs = vec![exe.parent().unwrap().to_path_buf()];
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(dirs).unwrap()
}

/// Runs a command line the way a user types it: through `sh`, in `dir`, with `path`.
#[cfg(unix)]
fn typed(dir: &std::path::Path, line: &str, path: &std::ffi::OsStr) -> std::process::Output {
    Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("PATH", path)
        .output()
        .unwrap()
}

/// The text after `marker` on the line that holds it.
fn after<'a>(text: &'a str, marker: &str) -> &'a str {
    let line = text
        .lines()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("no line with {marker:?} in:\n{text}"));
    &line[line.find(marker).unwrap() + marker.len()..]
}

#[test]
fn new_refuses_an_unknown_section_and_suggests_the_nearest() {
    let f = Fixture::new("basic");
    let before = tree(&f.root);
    let out = bantin_on_path(&f.root, &["new", "tin-tucc", "Tiêu đề có dấu"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    insta::assert_snapshot!("new_unknown_section_nearest", err);
    assert_eq!(stdout(&out), "");
    assert!(before == tree(&f.root), "something was written");
    // the suggested command runs as typed and writes into the existing section
    #[cfg(unix)]
    {
        let line = after(&err, "có phải ý bạn là \"tin-tuc\"? ");
        let out = typed(&f.root, line, &path_with_bantin());
        assert!(out.status.success(), "{line}: {}", stderr(&out));
        assert!(f.exists("content/tin-tuc/tieu-de-co-dau.md"));
        assert!(!f.exists("content/tin-tucc"));
    }
}

#[test]
fn new_lists_the_sections_when_none_is_close() {
    let f = Fixture::new("basic");
    let before = tree(&f.root);
    let out = bantin_on_path(&f.root, &["new", "van-ban", "Quyết định số 1"]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!("new_unknown_section_list", stderr(&out));
    assert!(before == tree(&f.root), "something was written");
    // with --root, the printed commands carry it
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("trang của tôi");
    copy_dir(&f.root, &site);
    let out = bantin_on_path(
        tmp.path(),
        &["new", "--root", "trang của tôi", "thong-bao-x", "Lịch họp"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bantin new thong-bao 'Lịch họp' --root 'trang của tôi'\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn new_creates_a_section_on_purpose_with_the_flag() {
    let f = Fixture::new("basic");
    // the command the refusal prints, run as typed
    let out = bantin_on_path(&f.root, &["new", "Văn bản", "Quyết định số 1"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let line = after(&err, "nếu đúng là cần chuyên mục mới \"Văn bản\": ");
    assert_eq!(
        line,
        "bantin new 'Văn bản' 'Quyết định số 1' --chuyen-muc-moi"
    );
    let out = bantin_on_path(
        &f.root,
        &["new", "Văn bản", "Quyết định số 1", "--chuyen-muc-moi"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Đã tạo chuyên mục mới ./content/van-ban/_index.md\nĐã tạo ./content/van-ban/quyet-dinh-so-1.md\n"
    );
    assert_eq!(
        f.read("content/van-ban/_index.md"),
        "+++\ntitle = \"Văn bản\"\nsort_by = \"date\"\n+++\n"
    );
    assert!(f
        .read("content/van-ban/quyet-dinh-so-1.md")
        .contains("draft = true"));
    // the section is published (empty until the draft is), the draft with --drafts
    let out = f.bantin(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(f.read("public/van-ban/index.html").contains("Văn bản"));
    assert!(f.exists("public/van-ban/quyet-dinh-so-1/index.html"));
    // once it exists, no flag is needed, and the flag does not touch its _index.md
    let out = bantin_on_path(&f.root, &["new", "van-ban", "Quyết định số 2"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Đã tạo ./content/van-ban/quyet-dinh-so-2.md\n"
    );
    let out = bantin_on_path(
        &f.root,
        &["new", "van-ban", "Quyết định số 3", "--chuyen-muc-moi"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "Đã tạo ./content/van-ban/quyet-dinh-so-3.md\n"
    );
    // a folder named as staff type it is that section, not a new one beside it
    f.write(
        "content/Hội nghị/_index.md",
        "+++\ntitle = \"Hội nghị\"\n+++\n",
    );
    let out = bantin_on_path(&f.root, &["new", "hoi-nghi", "Hội nghị tháng 5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(f.exists("content/Hội nghị/hoi-nghi-thang-5.md"));
    assert!(!f.exists("content/hoi-nghi"));
    // the help says how
    let help = stdout(&f.bantin(&["new", "--help"]));
    assert!(help.contains("--chuyen-muc-moi"), "{help}");
    assert!(help.contains("Tạo chuyên mục mới có chủ ý"), "{help}");
}

#[test]
fn build_and_check_list_the_drafts_left_out() {
    let f = Fixture::new("basic");
    let out = bantin_on_path(&f.root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.starts_with(
            "Bỏ qua 1 bài nháp (draft = true): content/tin-tuc/ban-nhap.md; \
             dựng kèm bài nháp: bantin build --drafts\nĐã dựng "
        ),
        "{said}"
    );
    let out = bantin_on_path(&f.root, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with(
            "Bỏ qua 1 bài nháp (draft = true): content/tin-tuc/ban-nhap.md; \
             kiểm tra kèm bài nháp: bantin check --drafts\nKiểm tra xong"
        ),
        "{}",
        stdout(&out)
    );
    // the printed command runs as typed and includes the draft
    #[cfg(unix)]
    {
        let line = after(&said, "dựng kèm bài nháp: ");
        let out = typed(&f.root, line, &path_with_bantin());
        assert!(out.status.success(), "{line}: {}", stderr(&out));
        assert!(f.exists("public/tin-tuc/ban-nhap/index.html"));
        assert!(!stdout(&out).contains("bài nháp"), "{}", stdout(&out));
    }
    // many drafts (a bundle, another section): sorted, ten named, the rest counted
    for i in 0..10 {
        f.write(
            &format!("content/thong-bao/nhap-{i:02}.md"),
            "+++\ntitle = \"Nháp\"\ndraft = true\n+++\n",
        );
    }
    f.write(
        "content/tin-tuc/goi-nhap/index.md",
        "+++\ntitle = \"Gói nháp\"\ndraft = true\n+++\n",
    );
    let out = bantin_on_path(&f.root, &["check", "--strict"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let names: Vec<String> = (0..10)
        .map(|i| format!("content/thong-bao/nhap-{i:02}.md"))
        .collect();
    assert_eq!(
        stdout(&out).lines().next().unwrap(),
        format!(
            "Bỏ qua 12 bài nháp (draft = true): {} và 2 bài khác; \
             kiểm tra kèm bài nháp: bantin check --strict --drafts",
            names.join(", ")
        )
    );
    // also when the build fails (a link to a draft is one reason), on standard output
    f.write(
        "content/tin-tuc/lien-ket.md",
        "+++\ntitle = \"Liên kết\"\n+++\n\n[nháp](@/tin-tuc/ban-nhap.md)\n",
    );
    let out = bantin_on_path(&f.root, &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out)
            .contains("nhap-09.md và 2 bài khác; dựng kèm bài nháp: bantin build --drafts\n"),
        "{}",
        stdout(&out)
    );
    // with --drafts, nothing is left out and nothing is said
    let out = bantin_on_path(&f.root, &["check", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("nháp"), "{}", stdout(&out));
}

#[test]
fn build_names_the_root_in_the_drafts_command() {
    let f = Fixture::new("basic");
    let parent = f.root.parent().unwrap();
    let out = bantin_on_path(parent, &["build", "--root", "site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("; dựng kèm bài nháp: bantin build --root site --drafts\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn init_prints_commands_that_run_as_typed_when_bantin_is_on_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bantin_on_path(tmp.path(), &["init", "trang mới"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert_eq!(
        said,
        "Đã tạo trang mới trong trang mới.\n\
         Dựng thử:  bantin build --root 'trang mới'\n\
         Xem trước: bantin serve --root 'trang mới'\n"
    );
    #[cfg(unix)]
    {
        let line = after(&said, "Dựng thử:  ");
        let out = typed(tmp.path(), line, &path_with_bantin());
        assert!(out.status.success(), "{line}: {}", stderr(&out));
        assert!(tmp.path().join("trang mới/public/index.html").is_file());
    }
}

/// After `cargo run`, `bantin` is not on `PATH`: the commands name the executable itself.
#[cfg(unix)]
#[test]
fn init_prints_commands_that_run_as_typed_after_cargo_run() {
    let tmp = tempfile::tempdir().unwrap();
    // the binary in a folder with spaces, as a checkout under "Tài liệu" would be
    let bin_dir = tmp.path().join("mã nguồn/target 1");
    std::fs::create_dir_all(&bin_dir).unwrap();
    let exe = bin_dir.join("bantin");
    // Copied by `cp`, not `fs::copy`: a test thread that forks while this process holds the
    // copy open for writing passes that handle to its child, and running the copy then fails
    // with "Text file busy" until the child execs (it did, once, in CI).
    let copied = Command::new("cp")
        .arg(env!("CARGO_BIN_EXE_bantin"))
        .arg(&exe)
        .status()
        .unwrap();
    assert!(copied.success());
    let work = tmp.path().join("làm việc");
    std::fs::create_dir_all(&work).unwrap();
    let path = std::ffi::OsString::from("/usr/bin:/bin");
    let out = Command::new(&exe)
        .args(["init", "trang"])
        .current_dir(&work)
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    let quoted = format!("'{}'", exe.canonicalize().unwrap().display());
    assert!(
        said.contains(&format!("Dựng thử:  {quoted} build --root trang\n")),
        "{said}"
    );
    assert!(
        said.contains(&format!("Xem trước: {quoted} serve --root trang\n")),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "(bantin chưa có trong PATH nên lệnh ghi đường dẫn đầy đủ; để gõ ngắn bantin …, cài một lần: cargo install --path {})",
            env!("CARGO_MANIFEST_DIR")
        )),
        "{said}"
    );
    let line = after(&said, "Dựng thử:  ");
    let out = typed(&work, line, &path);
    assert!(out.status.success(), "{line}: {}", stderr(&out));
    assert!(work.join("trang/public/index.html").is_file());
}

/// `bantin --version`: the crate's version and, built from a git checkout (as here), the
/// commit it was built from.
#[test]
fn version_names_the_version_and_the_commit() {
    let tmp = tempfile::tempdir().unwrap();
    let out = bantin(tmp.path(), &["--version"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    let line = line.trim_end();
    let prefix = format!("bantin {} (commit ", env!("CARGO_PKG_VERSION"));
    let head = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(head) => {
            let hash = line
                .strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix(')'))
                .unwrap_or_else(|| panic!("{line}"));
            let hash = hash.strip_suffix("-sửa").unwrap_or(hash);
            assert_eq!(hash.len(), 12, "{line}");
            // the binary may be a commit or two behind HEAD (built before a commit), never a
            // hash that is not a commit of this repository
            let known = Command::new("git")
                .args(["cat-file", "-e", &format!("{hash}^{{commit}}")])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .status()
                .unwrap();
            assert!(known.success(), "{line} (HEAD {head})");
        }
        None => assert_eq!(line, format!("bantin {}", env!("CARGO_PKG_VERSION"))),
    }
}
