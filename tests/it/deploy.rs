//! Deploy-friendly output (issue 18 item 3): a rebuild leaves every unchanged file untouched,
//! static files included; `build --changes` lists what an upload script must send or delete;
//! a failed rebuild keeps the previous site; a swap interrupted by a kill or a power cut is
//! rolled back or finished on the next run, never leaving a mixed site.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

/// Every file of the tree with its inode, modification time and bytes.
#[cfg(unix)]
fn snapshot(dir: &Path) -> BTreeMap<String, (u64, i64, Vec<u8>)> {
    use std::os::unix::fs::MetadataExt;
    tree(dir)
        .into_iter()
        .map(|(rel, bytes)| {
            let m = std::fs::metadata(dir.join(&rel)).unwrap();
            (
                rel,
                (m.ino(), m.mtime_nsec() + m.mtime() * 1_000_000_000, bytes),
            )
        })
        .collect()
}

/// Builds with the binary (the library's build dates its pages by today, the binary by
/// SOURCE_DATE_EPOCH: mixing them would change every page).
fn build(f: &Fixture) {
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// The paths whose bytes differ between two trees (or that only one has).
fn differing(a: &[(String, Vec<u8>)], b: &[(String, Vec<u8>)]) -> Vec<String> {
    let a: BTreeMap<_, _> = a.iter().cloned().collect();
    let b: BTreeMap<_, _> = b.iter().cloned().collect();
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

fn changes(f: &Fixture, args: &[&str]) -> Vec<(char, String)> {
    let out = f.bantin(&[&["build", "--changes", "thay-doi.txt"], args].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    f.read("thay-doi.txt")
        .lines()
        .map(|l| {
            let (k, p) = l.split_once('\t').expect("KIND<tab>path");
            assert_eq!(k.len(), 1, "{l}");
            (k.chars().next().unwrap(), p.to_string())
        })
        .collect()
}

/// After a one-article edit, every file whose bytes did not change is the same file as before
/// (inode, modification time), static files included; the ones that changed are exactly what
/// `--changes` lists as modified, and they are the article, its listings, feeds and search.
#[cfg(unix)]
#[test]
fn a_one_article_edit_touches_only_the_files_that_changed_and_lists_them() {
    let f = Fixture::new("basic");
    f.write("static/tai-lieu/huong-dan.txt", "Hướng dẫn\n");
    let first = changes(&f, &[]);
    assert!(first.iter().all(|(k, _)| *k == 'A'), "{first:?}");
    assert_eq!(first.len(), tree(&f.path("public")).len());
    let before = snapshot(&f.path("public"));

    let edited = "content/tin-tuc/tap-huan.md";
    f.write(
        edited,
        format!("{}\nMột câu thêm vào cuối bài.\n", f.read(edited)),
    );
    let listed = changes(&f, &[]);
    let after = snapshot(&f.path("public"));
    let differ: Vec<&String> = after
        .iter()
        .filter(|(rel, (_, _, bytes))| before.get(*rel).map(|b| &b.2) != Some(bytes))
        .map(|(rel, _)| rel)
        .collect();
    let written: Vec<&String> = listed.iter().map(|x| &x.1).collect();
    assert_eq!(written, differ, "{listed:?}");
    for (kind, rel) in &listed {
        let was = before.contains_key(rel);
        assert_eq!(*kind, if was { 'M' } else { 'A' }, "{rel}");
    }
    assert!(differ.contains(&&"tin-tuc/tap-huan/index.html".to_string()));
    for (rel, (ino, mtime, bytes)) in &after {
        if differ.contains(&rel) {
            continue;
        }
        let old = &before[rel];
        assert_eq!(
            (ino, mtime, bytes),
            (&old.0, &old.1, &old.2),
            "{rel} was rewritten"
        );
    }
    for kept in ["css/style.css", "favicon.svg", "tai-lieu/huong-dan.txt"] {
        assert!(after.contains_key(kept) && !differ.contains(&&kept.to_string()));
    }

    // a deleted article and a new static file: D for what is gone, A for what is new
    f.remove("content/tin-tuc/tap-huan.md");
    f.write("static/tai-lieu/moi.txt", "mới\n");
    let listed = changes(&f, &[]);
    assert!(
        listed.contains(&('D', "tin-tuc/tap-huan/index.html".into())),
        "{listed:?}"
    );
    assert!(
        listed.contains(&('A', "tai-lieu/moi.txt".into())),
        "{listed:?}"
    );
    assert!(!f.exists("public/tin-tuc/tap-huan/index.html"));
    let mut sorted = listed.clone();
    sorted.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(listed, sorted, "sorted by path");
}

#[test]
fn changes_on_stdout_and_the_summary_counts_kept_files() {
    let f = Fixture::new("basic");
    build(&f);
    let out = f.bantin(&["build", "--changes", "-"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    // nothing changed: no A/M/D line, and the summary says every file was kept
    assert!(!text.lines().any(|l| l.contains('\t')), "{text}");
    let summary = text.lines().find(|l| l.starts_with("Đã dựng")).unwrap();
    assert!(summary.contains(", 0 ghi mới, "), "{summary}");
    assert!(summary.contains(" giữ nguyên) vào "), "{summary}");
}

#[test]
fn an_unwritable_changes_file_fails_after_the_site_was_built() {
    let f = Fixture::new("basic");
    let out = f.bantin(&["build", "--changes", "khong-co/thu-muc/ds.txt"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("không ghi được danh sách tệp thay đổi vào \"khong-co/thu-muc/ds.txt\""),
        "{err}"
    );
    assert!(err.contains("trang đã dựng xong"), "{err}");
    assert!(f.exists("public/index.html"));
}

fn leftovers(f: &Fixture) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(f.path(""))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".bantin-"))
        .collect();
    v.sort();
    v
}

/// The state a kill between "move the old site aside" and "move the new one in" leaves (the
/// two-step swap, where the system cannot exchange two folders in one step): no `public/`, the
/// old site in `.bantin-old-public-…/public`, a new one half-deleted beside it. The next build
/// says what it repaired, builds, and leaves no leftover folder.
#[test]
fn a_swap_interrupted_between_its_renames_is_repaired_by_the_next_build() {
    let f = Fixture::new("basic");
    build(&f);
    let old = tree(&f.path("public"));
    std::fs::create_dir_all(f.path(".bantin-old-public-x1")).unwrap();
    std::fs::rename(f.path("public"), f.path(".bantin-old-public-x1/public")).unwrap();
    f.write(".bantin-build-public-y2/index.html", "nửa chừng");
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("lần dựng trước bị ngắt khi đang thay")
            && err.contains("đã đặt lại bản trước đó vào chỗ cũ"),
        "{err}"
    );
    assert_eq!(
        differing(&tree(&f.path("public")), &old),
        Vec::<String>::new()
    );
    assert_eq!(leftovers(&f), Vec::<String>::new());
}

/// A rebuild that fails (a broken article) keeps the previous site byte for byte and leaves
/// no staging folder behind.
#[test]
fn a_failed_rebuild_keeps_the_previous_site_and_no_leftovers() {
    let f = Fixture::new("basic");
    f.build_ok();
    let before = tree(&f.path("public"));
    f.write(
        "content/tin-tuc/hong.md",
        "+++\ntitle = \"Hỏng\"\ndate = 2024-13-45\n+++\n",
    );
    let out = f.bantin(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        differing(&tree(&f.path("public")), &before),
        Vec::<String>::new()
    );
    assert_eq!(leftovers(&f), Vec::<String>::new());
}

/// `kill -9` at many moments of a rebuild (writing, swapping, deleting the old tree): after
/// each, `public/` is wholly the old site or wholly the new one, and the next build finishes
/// with nothing left beside it.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new_one() {
    use std::process::{Command, Stdio};
    let f = Fixture::example();
    build(&f);
    let old = tree(&f.path("public"));
    let edited = "content/tin-tuc/gap-mat-nguoi-co-uy-tin-2024.md";
    let old_text = f.read(edited);
    // the new site, built elsewhere for comparison
    let g = Fixture::example();
    g.write(
        edited,
        format!("{old_text}\nĐoạn thêm để bản mới khác bản cũ.\n"),
    );
    build(&g);
    let new = tree(&g.path("public"));
    assert_ne!(old, new);
    let mut seen_old_or_new = (0, 0);
    for delay_ms in [0u64, 5, 15, 30, 60, 100, 160, 250, 400] {
        f.write(edited, g.read(edited));
        let mut child = Command::new(env!("CARGO_BIN_EXE_bantin"))
            .arg("build")
            .current_dir(f.path(""))
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = tree(&f.path("public"));
        if now == old {
            seen_old_or_new.0 += 1;
        } else if now == new {
            seen_old_or_new.1 += 1;
        } else {
            panic!("killed after {delay_ms} ms: public/ is neither the old site nor the new one");
        }
        // put the old site back for the next round (a build of the old text)
        f.write(edited, &old_text);
        build(&f);
        assert_eq!(
            differing(&tree(&f.path("public")), &old),
            Vec::<String>::new()
        );
        assert_eq!(leftovers(&f), Vec::<String>::new(), "after {delay_ms} ms");
    }
    assert!(seen_old_or_new.0 > 0, "{seen_old_or_new:?}");
}
