//! Issue 17's "done when", end to end: `tests/verify/editor-flow.mjs` drives `bantin edit` in
//! Chromium with JavaScript on (a phóng viên on a 360 px phone, a biên tập on a desktop) and
//! this test checks what reached the disk: the article with its pasted text, photo, area,
//! display name and review status; its page in `public/`, the photo processed; the report with
//! the refused "1.250" unchanged; the article of the conflict restored; nothing written
//! outside the bundle by the traversal upload.
//!
//! Screenshots: set `BANTIN_SHOTS=DIR` to keep them.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::anh::{jpeg_with_exif, metadata_in};
use crate::common::{select, stderr, tree, Fixture};
use crate::edit::{user, Editor};

const EDITOR_PW: &str = "so tay bien tap 2025";
const WRITER_PW: &str = "but chi xanh do 77";
const REPORT: &str = "du-an-5-kon-tum-2023.toml";
const CONFLICT: &str = "content/tin-tuc/so-ket-chuong-trinh-1719-sau-thang-2023.md";

fn needs_browser(verify: &Path) {
    for needed in [
        verify.join("node_modules/playwright-core/package.json"),
        std::path::PathBuf::from("/usr/bin/chromium"),
    ] {
        assert!(
            needed.exists(),
            "{} is missing: run scripts/setup",
            needed.display()
        );
    }
}

#[test]
fn write_review_publish_figures_conflict_restore_in_chromium() {
    let verify = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/verify");
    needs_browser(&verify);
    let f = Fixture::example();
    for (name, role, shown, pw) in [
        ("minh", "bien-tap", "Trần Văn Minh", EDITOR_PW),
        ("lan", "phong-vien", "Nguyễn Thị Lan", WRITER_PW),
    ] {
        let out = user(
            &f,
            &["add", name, "--role", role, "--ten", shown],
            &format!("{pw}\n"),
        );
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let report_before = f.read(&format!("content/data/reports/{REPORT}"));
    let conflict_before = f.read(CONFLICT);
    let tmp = tempfile::Builder::new()
        .prefix("bf")
        .tempdir_in("/tmp")
        .unwrap();
    let photo = tmp.path().join("IMG_2024.jpg");
    std::fs::write(&photo, jpeg_with_exif(1600, 1200, 1)).unwrap();
    let escaped = Path::new("/tmp/thoat.jpg");
    assert!(!escaped.exists(), "remove {} first", escaped.display());
    let shots = std::env::var_os("BANTIN_SHOTS");

    let ed = Editor::start(&f, &[]);
    let mut cmd = Command::new("node");
    cmd.arg(verify.join("editor-flow.mjs"))
        .arg(format!("http://{}", ed.host))
        .arg(format!("minh:{EDITOR_PW}"))
        .arg(format!("lan:{WRITER_PW}"))
        .arg(REPORT)
        .arg(&photo);
    if let Some(dir) = &shots {
        cmd.arg(dir);
    }
    // Chromium puts a Unix socket in its profile folder: a short TMPDIR.
    let out = cmd
        .env("TMPDIR", tmp.path())
        .stdin(Stdio::null())
        .output()
        .expect("cannot run node (run scripts/setup)");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "editor-flow.mjs gave no report ({}):\n{}",
            out.status,
            stderr(&out)
        )
    });
    let failures = report["failures"].as_array().unwrap();
    assert!(
        out.status.success() && failures.is_empty(),
        "{}\n{}",
        serde_json::to_string_pretty(failures).unwrap(),
        serde_json::to_string_pretty(&report["steps"]).unwrap()
    );
    assert_eq!(report["steps"].as_array().unwrap().len(), 14, "{report}");
    drop(ed);

    // The article: a bundle (the photo moved it), approved, the writer's display name.
    let url = report["values"]["article"].as_str().unwrap(); // /bai/tin-tuc/<slug>/index.md
    let rel = format!("content/{}", url.trim_start_matches("/bai/"));
    assert!(rel.ends_with("/index.md"), "{rel}");
    let bundle = rel.trim_end_matches("index.md").to_string();
    let text = f.read(&rel);
    for needed in [
        "title = \"Đắk Hà mở ba lớp tập huấn bình đẳng giới\"",
        "authors = [\"Nguyễn Thị Lan\"]",
        "tai_khoan = \"lan\"",
        "\"dak-ha\"",
        "## Kết quả bước đầu",
        "| Hà Mòn | 45 |",
        "![Học viên lớp tập huấn ở xã Hà Mòn](",
        "Câu mới để xem trước.",
    ] {
        assert!(text.contains(needed), "{needed} not in:\n{text}");
    }
    // the photo went to the end (the writer never placed the cursor), the preview's sentence after
    let order: Vec<usize> = ["Mở đầu bài viết.", "![Học viên", "Câu mới để xem trước."]
        .iter()
        .map(|s| text.find(s).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    assert!(!text.contains("draft = true"), "{text}");
    assert!(!text.contains("trang_thai"), "{text}");

    // Its page in public/, the photo processed (no EXIF), the display name shown.
    let slug = bundle
        .trim_start_matches("content/tin-tuc/")
        .trim_end_matches('/');
    let page = f.read(&format!("public/tin-tuc/{slug}/index.html"));
    let doc = scraper::Html::parse_document(&page);
    let h1 = select(&doc, "h1");
    assert!(
        h1.iter()
            .any(|h| h.text().collect::<String>().contains("Đắk Hà mở ba lớp")),
        "{page}"
    );
    assert!(page.contains("Nguyễn Thị Lan"), "display name missing");
    let img = select(&doc, "img[alt=\"Học viên lớp tập huấn ở xã Hà Mòn\"]");
    assert_eq!(img.len(), 1, "{page}");
    assert!(img[0].value().attr("srcset").is_some());
    let live = report["values"]["live"].as_str().unwrap();
    assert!(live.ends_with(&format!("/tin-tuc/{slug}/")), "{live}");
    let published: Vec<(String, Vec<u8>)> = tree(&f.root.join("public"))
        .into_iter()
        .filter(|(p, _)| p.starts_with(&format!("tin-tuc/{slug}/")) && p.ends_with(".jpg"))
        .collect();
    assert!(published.len() >= 2, "variants: {published:?}");
    for (p, bytes) in &published {
        assert!(metadata_in(bytes).is_empty(), "{p} keeps metadata");
    }

    // The figure typed "1.250" was refused and not saved.
    assert_eq!(
        f.read(&format!("content/data/reports/{REPORT}")),
        report_before
    );
    let msg = report["values"]["figure_message"].as_str().unwrap();
    assert!(
        msg.starts_with("Đã giải ngân (1.250) lớn hơn dự toán được giao (540)"),
        "{msg}"
    );

    // The conflict kept both texts (checked in the browser); the restore brought back the
    // original, as a new version.
    assert_eq!(f.read(CONFLICT), conflict_before);

    // The traversal upload wrote nothing outside the article's bundle.
    assert!(!escaped.exists());
    for (p, _) in tree(&f.root.join("content")) {
        if p.contains("thoat") {
            assert!(
                format!("content/{p}").starts_with(&bundle),
                "{p} outside {bundle}"
            );
        }
    }
    // Nothing of the editor's reached public/.
    for (p, _) in tree(&f.root.join("public")) {
        assert!(
            !p.contains("tai-khoan.toml") && !p.contains("gop-y") && !p.starts_with(".bantin"),
            "{p}"
        );
    }
}
