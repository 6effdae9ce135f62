//! Determinism (issue 6): the example site built with one thread and with the default number,
//! from two copies whose files were created in opposite orders, in different folders, gives
//! byte-identical output trees.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the example site into `to`, creating every folder and file in reverse path order
/// (so directory listings come back in a different order than in the first copy).
fn copy_reversed(to: &Path) {
    let mut entries: Vec<(PathBuf, PathBuf)> = Vec::new();
    for d in ["content", "themes", "static", "templates"] {
        let from = repo().join(d);
        if !from.exists() {
            continue;
        }
        for e in walkdir::WalkDir::new(&from) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(repo()).unwrap().to_path_buf();
            entries.push((e.path().to_path_buf(), rel));
        }
    }
    entries.sort_by(|a, b| b.1.cmp(&a.1));
    for (src, rel) in entries {
        let dest = to.join(&rel);
        if src.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(&src, &dest).unwrap();
        }
    }
    std::fs::copy(repo().join("config.toml"), to.join("config.toml")).unwrap();
}

fn build(root: &Path, threads: Option<&str>) -> Vec<(String, Vec<u8>)> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bantin"));
    cmd.arg("build")
        .current_dir(root)
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env_remove("RAYON_NUM_THREADS");
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    tree(&root.join("public"))
}

#[test]
fn example_site_output_does_not_depend_on_threads_or_file_order() {
    let a = Fixture::example();
    let one_thread = build(&a.root, Some("1"));

    let tmp = tempfile::tempdir().unwrap();
    let b = tmp.path().join("mot-thu-muc-khac").join("site");
    copy_reversed(&b);
    let default_threads = build(&b, None);

    assert!(one_thread.len() > 100, "{} files", one_thread.len());
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&one_thread), names(&default_threads), "same files");
    for ((name, x), (_, y)) in one_thread.iter().zip(&default_threads) {
        assert!(x == y, "{name} differs");
    }
    // and a third build with many threads, in place, changes nothing
    assert!(build(&b, Some("8")) == default_threads);
}
