//! The journal store (a site that is not a git repository); the git store is tested in
//! `tests_git`.

use super::*;
use std::sync::{Arc, Barrier};

/// A site root with `content/`, outside any git repository (checked, so these tests never
/// commit into a repository that happens to contain the temporary folder).
pub(super) fn site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("content/tin-tuc")).unwrap();
    tmp
}

fn log_site() -> tempfile::TempDir {
    let tmp = site();
    assert!(
        git::Store::open(tmp.path()).unwrap().is_none(),
        "temp dir inside a git repository"
    );
    tmp
}

const A: &str = "content/tin-tuc/a.md";

fn v(bytes: &str) -> Base {
    Base::Version(Version::of(bytes.as_bytes()))
}

fn actions(h: &History) -> Vec<(&str, &str)> {
    h.versions
        .iter()
        .map(|i| (i.author.as_str(), i.action.label()))
        .collect()
}

#[test]
fn conflicts_write_nothing() {
    // (content on disk, base the writer loaded, expected outcome)
    let cases: &[(Option<&str>, Base, Result<(), Base>)] = &[
        (None, Base::NewFile, Ok(())),
        (Some("cũ"), v("cũ"), Ok(())),
        (Some("cũ"), Base::NewFile, Err(v("cũ"))),
        (Some("của người khác"), v("cũ"), Err(v("của người khác"))),
        (None, v("cũ"), Err(Base::NewFile)),
    ];
    for (disk, base, want) in cases {
        let tmp = log_site();
        let root = tmp.path();
        if let Some(d) = disk {
            std::fs::write(root.join(A), d).unwrap();
        }
        let got = save(root, A, "mới".as_bytes(), "lan", base);
        match (got, want) {
            (Ok(ver), Ok(())) => {
                assert_eq!(ver, Version::of("mới".as_bytes()));
                assert_eq!(std::fs::read_to_string(root.join(A)).unwrap(), "mới");
            }
            (
                Err(SaveError::Conflict {
                    ours,
                    theirs,
                    theirs_version,
                }),
                Err(tv),
            ) => {
                assert_eq!(ours, "mới".as_bytes());
                assert_eq!(theirs, disk.unwrap_or("").as_bytes());
                assert_eq!(&theirs_version, tv);
                assert_eq!(
                    std::fs::read(root.join(A)).ok(),
                    disk.map(|d| d.as_bytes().to_vec())
                );
                assert!(history(root, A).unwrap().versions.len() <= 1, "{disk:?}");
            }
            (got, want) => panic!("{disk:?} {base:?}: got {got:?}, want {want:?}"),
        }
    }
    let err = SaveError::Conflict {
        ours: vec![],
        theirs: vec![],
        theirs_version: Base::NewFile,
    };
    assert_eq!(
        err.to_string(),
        "bài đã được sửa ở nơi khác sau khi bạn mở nó; chưa lưu gì: hãy so hai bản, gộp lại rồi lưu lần nữa"
    );
}

#[test]
fn history_is_newest_first_and_restore_is_a_new_version() {
    let tmp = log_site();
    let root = tmp.path();
    let v1 = save(root, A, b"mot", "lan", &Base::NewFile).unwrap();
    let v2 = save(root, A, b"hai", "minh", &Base::Version(v1.clone())).unwrap();
    // The same bytes again: nothing to record.
    assert_eq!(
        save(root, A, b"hai", "minh", &Base::Version(v2.clone())).unwrap(),
        v2
    );
    let h = history(root, A).unwrap();
    assert_eq!(actions(&h), [("minh", "sửa"), ("lan", "tạo")]);
    assert!(h.versions[0].time >= h.versions[1].time);
    assert!(h.warnings.is_empty());

    let v3 = restore(root, A, &v1, "hoa", &Base::Version(v2.clone())).unwrap();
    assert_eq!(v3, v1);
    assert_eq!(std::fs::read(root.join(A)).unwrap(), b"mot");
    let h = history(root, A).unwrap();
    assert_eq!(
        actions(&h),
        [("hoa", "khôi phục"), ("minh", "sửa"), ("lan", "tạo")]
    );
    // The restore can be undone: the version it replaced is still there.
    assert_eq!(read_version(root, A, &v2).unwrap(), b"hai");
    restore(root, A, &v2, "lan", &Base::Version(v1.clone())).unwrap();
    assert_eq!(std::fs::read(root.join(A)).unwrap(), b"hai");
    // A restore with a stale base is a conflict, like a save.
    let stale = restore(root, A, &v1, "lan", &Base::Version(v1.clone()));
    assert!(
        matches!(stale, Err(SaveError::Conflict { .. })),
        "{stale:?}"
    );
    // Another file's history is its own.
    assert!(history(root, "content/tin-tuc/b.md")
        .unwrap()
        .versions
        .is_empty());
}

#[test]
fn content_written_by_hand_is_kept_before_the_first_save() {
    let tmp = log_site();
    let root = tmp.path();
    std::fs::write(root.join(A), "viết tay").unwrap();
    let (bytes, base) = current(root, A).unwrap();
    assert_eq!(bytes.as_deref(), Some("viết tay".as_bytes()));
    let v1 = save(root, A, b"sua", "lan", &base).unwrap();
    // Changed by hand again between two saves.
    std::fs::write(root.join(A), "tay lần hai").unwrap();
    save(root, A, b"sua 2", "lan", &v("tay lần hai")).unwrap();
    let h = history(root, A).unwrap();
    assert_eq!(
        actions(&h),
        [
            ("lan", "sửa"),
            ("", "có sẵn"),
            ("lan", "sửa"),
            ("", "có sẵn")
        ]
    );
    assert_eq!(h.versions[1].version, Version::of("tay lần hai".as_bytes()));
    let hand = &h.versions[3].version;
    assert_eq!(read_version(root, A, hand).unwrap(), "viết tay".as_bytes());
    assert_eq!(read_version(root, A, &v1).unwrap(), b"sua");
}

#[test]
fn unknown_versions_and_bad_input_are_refused() {
    let tmp = log_site();
    let root = tmp.path();
    let v1 = save(root, A, b"mot", "lan", &Base::NewFile).unwrap();
    for bad in [
        Version("../../etc/passwd".into()),
        Version::of(b"khong co"),
        Version("AB".repeat(32)),
    ] {
        assert_eq!(
            read_version(root, A, &bad).unwrap_err().to_string(),
            format!("không tìm thấy phiên bản {bad} của \"{A}\" trong lịch sử")
        );
    }
    // A version of another file is not this file's.
    assert!(read_version(root, "content/tin-tuc/b.md", &v1).is_err());
    for author in ["", "  ", "a\nb", "<x>"] {
        let e = save(root, A, b"x", author, &Base::Version(v1.clone())).unwrap_err();
        assert!(matches!(e, SaveError::InvalidAuthor(_)), "{author:?}: {e}");
    }
    let e = save(root, "content/../config.toml", b"x", "lan", &Base::NewFile).unwrap_err();
    assert_eq!(
        e.to_string(),
        "đường dẫn không hợp lệ \"content/../config.toml\": không được chứa \"..\""
    );
    assert!(!root.join("config.toml").exists());
}

#[test]
fn a_crash_before_the_rename_keeps_the_previous_version() {
    let tmp = log_site();
    let root = tmp.path();
    let v1 = save(root, A, b"ban dau", "lan", &Base::NewFile).unwrap();
    atomic::FAIL_BEFORE_RENAME.with(|f| f.replace(Some(root.join(A))));
    let failed = save(root, A, b"mat dien", "lan", &Base::Version(v1.clone()));
    atomic::FAIL_BEFORE_RENAME.with(|f| f.replace(None));
    assert!(matches!(failed, Err(SaveError::Io { .. })), "{failed:?}");
    assert_eq!(std::fs::read(root.join(A)).unwrap(), b"ban dau");
    // The temporary file is left behind, as after a real crash; the build never reads it.
    let temps = |root: &Path| -> Vec<String> {
        std::fs::read_dir(root.join("content/tin-tuc"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(TEMP_PREFIX))
            .collect()
    };
    assert_eq!(temps(root).len(), 1);
    let found = crate::content::load::content_entries(&root.join("content"))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<Vec<_>>();
    assert!(
        !found.iter().any(|n| n.starts_with(TEMP_PREFIX)),
        "{found:?}"
    );
    // The next save works, and cleans the leftover.
    save(root, A, b"lan sau", "lan", &Base::Version(v1)).unwrap();
    assert_eq!(std::fs::read(root.join(A)).unwrap(), b"lan sau");
    assert_eq!(temps(root), Vec::<String>::new());
}

#[test]
fn a_log_line_cut_by_a_power_failure_is_skipped_with_a_warning() {
    let tmp = log_site();
    let root = tmp.path();
    let v1 = save(root, A, b"mot", "lan", &Base::NewFile).unwrap();
    let v2 = save(root, A, b"hai", "minh", &Base::Version(v1)).unwrap();
    let log = root.join(LOG_FILE);
    let text = std::fs::read_to_string(&log).unwrap();
    // The power fails in the middle of writing the third line.
    let cut = format!("{text}{{\"time\":\"2026-01-01T00:00:00+07:00\",\"auth");
    std::fs::write(&log, cut).unwrap();
    let h = history(root, A).unwrap();
    assert_eq!(actions(&h), [("minh", "sửa"), ("lan", "tạo")]);
    let w: Vec<String> = h.warnings.iter().map(|d| d.to_string()).collect();
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(
        w[0].contains(".bantin/lich-su/nhat-ky.jsonl:3:1")
            && w[0].contains(
                "dòng nhật ký lịch sử bị hỏng (có thể do mất điện khi đang ghi), đã bỏ qua"
            ),
        "{}",
        w[0]
    );
    // The next save starts a fresh line instead of gluing onto the cut one.
    save(root, A, b"ba", "hoa", &Base::Version(v2)).unwrap();
    let h = history(root, A).unwrap();
    assert_eq!(
        actions(&h),
        [("hoa", "sửa"), ("minh", "sửa"), ("lan", "tạo")]
    );
    assert_eq!(h.warnings.len(), 1);
}

#[test]
fn concurrent_saves_from_one_base_let_exactly_one_win() {
    let tmp = log_site();
    let root = tmp.path().to_path_buf();
    let v0 = save(&root, A, b"goc", "lan", &Base::NewFile).unwrap();
    let n = 8;
    let barrier = Arc::new(Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (root, barrier, base) = (root.clone(), barrier.clone(), Base::Version(v0.clone()));
            std::thread::spawn(move || {
                barrier.wait();
                save(
                    &root,
                    A,
                    format!("ban {i}").as_bytes(),
                    &format!("nguoi{i}"),
                    &base,
                )
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let won: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    let lost = results
        .iter()
        .filter(|r| matches!(r, Err(SaveError::Conflict { .. })))
        .count();
    assert_eq!(lost, n - 1);
    assert_eq!(Version::of(&std::fs::read(root.join(A)).unwrap()), *won[0]);
    assert_eq!(history(&root, A).unwrap().versions.len(), 2);
}

#[test]
fn concurrent_writers_that_retry_on_conflict_all_get_recorded() {
    let tmp = log_site();
    let root = tmp.path().to_path_buf();
    save(&root, A, b"goc", "lan", &Base::NewFile).unwrap();
    let n = 6;
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let root = root.clone();
            std::thread::spawn(move || loop {
                let (_, base) = current(&root, A).unwrap();
                match save(
                    &root,
                    A,
                    format!("ban {i}").as_bytes(),
                    &format!("nguoi{i}"),
                    &base,
                ) {
                    Ok(_) => return,
                    Err(SaveError::Conflict { .. }) => continue,
                    Err(e) => panic!("{e}"),
                }
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    let h = history(&root, A).unwrap();
    assert_eq!(h.versions.len(), n + 1);
    let mut authors: Vec<_> = h.versions[..n].iter().map(|v| v.author.clone()).collect();
    authors.sort();
    assert_eq!(
        authors,
        (0..n).map(|i| format!("nguoi{i}")).collect::<Vec<_>>()
    );
    // The file is the last recorded version, and every version is readable.
    assert_eq!(
        Version::of(&std::fs::read(root.join(A)).unwrap()),
        h.versions[0].version
    );
    for v in &h.versions {
        assert_eq!(
            Version::of(&read_version(&root, A, &v.version).unwrap()),
            v.version
        );
    }
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    #[derive(Debug, Clone)]
    enum Op {
        Save(usize, Vec<u8>),
        /// Restore the n-th (modulo) version of the file's history.
        Restore(usize, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (0..2usize, proptest::collection::vec(any::<u8>(), 0..40))
                .prop_map(|(f, b)| Op::Save(f, b)),
            (0..2usize, any::<usize>()).prop_map(|(f, n)| Op::Restore(f, n)),
        ]
    }

    /// Applies `ops` to the site at `root` and checks that the files are the last versions
    /// saved and that every version saved or listed reads back.
    fn check_ops(root: &Path, ops: Vec<Op>) -> Result<(), TestCaseError> {
        let files = ["content/tin-tuc/a.md", "content/data/reports/r.toml"];
        // What the site holds to begin with (the git fixture has a committed article).
        let mut last = files.map(|f| current(root, f).unwrap().0);
        let mut seen = last.clone().map(|l| l.into_iter().collect::<Vec<_>>());
        for op in ops {
            let (f, bytes) = match op {
                Op::Save(f, b) => (f, b),
                Op::Restore(f, n) => {
                    let h = history(root, files[f]).unwrap();
                    if h.versions.is_empty() {
                        continue;
                    }
                    let v = &h.versions[n % h.versions.len()].version;
                    (f, read_version(root, files[f], v).unwrap())
                }
            };
            let (_, base) = current(root, files[f]).unwrap();
            save(root, files[f], &bytes, "lan", &base).unwrap();
            seen[f].push(bytes.clone());
            last[f] = Some(bytes);
        }
        for f in 0..2 {
            prop_assert_eq!(std::fs::read(root.join(files[f])).ok(), last[f].clone());
            let h = history(root, files[f]).unwrap();
            if let Some(l) = &last[f] {
                prop_assert_eq!(&h.versions[0].version, &Version::of(l));
            }
            for b in &seen[f] {
                prop_assert_eq!(&read_version(root, files[f], &Version::of(b)).unwrap(), b);
            }
            for v in &h.versions {
                let bytes = read_version(root, files[f], &v.version).unwrap();
                prop_assert_eq!(Version::of(&bytes), v.version.clone());
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn every_version_stays_readable_in_the_journal(ops in proptest::collection::vec(op(), 1..12)) {
            let tmp = log_site();
            check_ops(tmp.path(), ops)?;
        }

        #[test]
        fn every_version_stays_readable_in_git(ops in proptest::collection::vec(op(), 1..12)) {
            let tmp = super::super::tests_git::repo();
            check_ops(tmp.path(), ops)?;
        }
    }
}

/// Set in the child processes of [`saves_from_several_processes_are_serialized`].
const CHILD_ENV: &str = "BANTIN_JOURNAL_TEST_ROOT";

/// In a child process (run by the test below): 5 saves, each retried until it wins against the
/// other processes. Does nothing when run as an ordinary test.
#[test]
fn child_process_saver() {
    let Some(root) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let root = Path::new(&root);
    for i in 0..5 {
        loop {
            let (_, base) = current(root, A).unwrap();
            let text = format!("tiến trình {} lần {i}", std::process::id());
            match save(root, A, text.as_bytes(), "lan", &base) {
                Ok(_) => break,
                Err(SaveError::Conflict { .. }) => continue,
                Err(e) => panic!("{e}"),
            }
        }
    }
}

#[test]
fn saves_from_several_processes_are_serialized() {
    let tmp = log_site();
    let root = tmp.path();
    save(root, A, b"goc", "lan", &Base::NewFile).unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(&exe)
                .args([
                    "--exact",
                    "journal::tests::child_process_saver",
                    "--test-threads=1",
                ])
                .env(CHILD_ENV, root)
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let h = history(root, A).unwrap();
    assert_eq!(h.versions.len(), 1 + 3 * 5);
    assert!(h.warnings.is_empty(), "{:?}", h.warnings);
    let text = std::fs::read_to_string(root.join(LOG_FILE)).unwrap();
    assert_eq!(text.lines().count(), 16);
    assert_eq!(
        Version::of(&std::fs::read(root.join(A)).unwrap()),
        h.versions[0].version
    );
}
