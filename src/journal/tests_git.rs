//! The git store, on temporary repositories made and inspected with the `git` command.

use super::tests::site;
use super::*;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A site that is a git repository with one commit (by "Chủ trang").
pub(super) fn repo() -> tempfile::TempDir {
    let tmp = site();
    let root = tmp.path();
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["config", "user.name", "Chủ trang"]);
    git(root, &["config", "user.email", "chu@example.org"]);
    std::fs::write(root.join(A), "bản đầu\n").unwrap();
    std::fs::write(root.join("config.toml"), "title = \"x\"\n").unwrap();
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "Bắt đầu"]);
    tmp
}

const A: &str = "content/tin-tuc/a.md";

fn last_commit(root: &Path) -> (String, String) {
    let author = git(root, &["log", "-1", "--format=%an <%ae>"]);
    let msg = git(root, &["log", "-1", "--format=%B"]);
    (author.trim().to_string(), msg.trim().to_string())
}

#[test]
fn a_save_is_a_commit_of_that_file_by_the_account() {
    let tmp = repo();
    let root = tmp.path();
    let (_, base) = current(root, A).unwrap();
    let v = save(root, A, "bản hai\n".as_bytes(), "lan", &base).unwrap();
    assert_eq!(
        last_commit(root),
        (
            "lan <lan@bantin.invalid>".into(),
            format!("Sửa bài {A}\n\nbantin: sửa")
        )
    );
    assert_eq!(
        git(root, &["show", "--name-only", "--format=", "HEAD"]),
        format!("{A}\n")
    );
    assert_eq!(git(root, &["show", &format!("HEAD:{A}")]), "bản hai\n");
    // Committed and staged: the work tree is clean.
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    let h = history(root, A).unwrap();
    let got: Vec<_> = h
        .versions
        .iter()
        .map(|i| (i.author.as_str(), i.action))
        .collect();
    assert_eq!(got, [("lan", Action::Edit), ("Chủ trang", Action::Other)]);
    assert_eq!(h.versions[0].version, v);
    assert_eq!(
        h.versions[0].commit.as_deref(),
        Some(git(root, &["rev-parse", "HEAD"]).trim())
    );
    // A new file, and one under content/data/.
    save(
        root,
        "content/tin-tuc/moi/index.md",
        b"x",
        "minh",
        &Base::NewFile,
    )
    .unwrap();
    assert_eq!(
        last_commit(root).1,
        "Tạo bài content/tin-tuc/moi/index.md\n\nbantin: tạo"
    );
    let photo = "content/tin-tuc/moi/anh.jpg";
    save(root, photo, b"\xff\xd8", "minh", &Base::NewFile).unwrap();
    assert_eq!(
        last_commit(root).1,
        format!("Tạo tệp {photo}\n\nbantin: tạo")
    );
    save(
        root,
        "content/data/reports/r.toml",
        b"y",
        "minh",
        &Base::NewFile,
    )
    .unwrap();
    assert_eq!(
        last_commit(root).1,
        "Tạo số liệu content/data/reports/r.toml\n\nbantin: tạo"
    );
}

#[test]
fn the_users_staged_and_unstaged_changes_stay_as_they_were() {
    let tmp = repo();
    let root = tmp.path();
    std::fs::write(root.join("config.toml"), "title = \"đã stage\"\n").unwrap();
    git(root, &["add", "config.toml"]);
    std::fs::write(root.join("config.toml"), "title = \"chưa stage\"\n").unwrap();
    std::fs::write(root.join("content/tin-tuc/b.md"), "mới, chưa add").unwrap();
    let status = git(root, &["status", "--porcelain"]);
    let staged = git(root, &["diff", "--cached"]);
    let (_, base) = current(root, A).unwrap();
    save(root, A, b"sua", "lan", &base).unwrap();
    assert_eq!(git(root, &["status", "--porcelain"]), status);
    assert_eq!(git(root, &["diff", "--cached"]), staged);
    assert_eq!(
        std::fs::read_to_string(root.join("config.toml")).unwrap(),
        "title = \"chưa stage\"\n"
    );
    assert_eq!(
        git(root, &["show", "--name-only", "--format=", "HEAD"]),
        format!("{A}\n")
    );
}

#[test]
fn restore_is_a_commit_and_uncommitted_content_is_kept_first() {
    let tmp = repo();
    let root = tmp.path();
    let first = Version::of("bản đầu\n".as_bytes());
    // Edited by hand, not committed: the save commits that content first.
    std::fs::write(root.join(A), "sửa tay").unwrap();
    let v2 = save(
        root,
        A,
        b"qua trinh soan",
        "lan",
        &Base::Version(Version::of("sửa tay".as_bytes())),
    )
    .unwrap();
    let log = git(root, &["log", "--format=%an|%s"]);
    assert_eq!(
        log,
        format!(
            "lan|Sửa bài {A}\nChủ trang|Lưu bản có sẵn của {A} trước khi sửa\nChủ trang|Bắt đầu\n"
        )
    );
    let v = restore(root, A, &first, "hoa", &Base::Version(v2.clone())).unwrap();
    assert_eq!(v, first);
    assert_eq!(std::fs::read_to_string(root.join(A)).unwrap(), "bản đầu\n");
    let (author, msg) = last_commit(root);
    assert_eq!(author, "hoa <hoa@bantin.invalid>");
    assert!(
        msg.starts_with(&format!("Khôi phục bài {A} về bản {} (", first.short())),
        "{msg}"
    );
    assert!(msg.ends_with("Chủ trang)\n\nbantin: khôi phục"), "{msg}");
    let h = history(root, A).unwrap();
    let got: Vec<_> = h.versions.iter().map(|i| i.action).collect();
    assert_eq!(
        got,
        [
            Action::Restore,
            Action::Edit,
            Action::Existing,
            Action::Other
        ]
    );
    assert_eq!(
        read_version(root, A, &Version::of("sửa tay".as_bytes())).unwrap(),
        "sửa tay".as_bytes()
    );
    assert_eq!(read_version(root, A, &v2).unwrap(), b"qua trinh soan");
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    // The journal of non-git sites is not used.
    assert!(!root.join(JOURNAL_DIR).exists());
}

#[test]
fn a_site_in_a_subfolder_of_a_new_repository() {
    let tmp = tempfile::tempdir().unwrap();
    let top = tmp.path();
    git(top, &["init", "-q", "-b", "main"]);
    let root = top.join("trang");
    std::fs::create_dir_all(root.join("content")).unwrap();
    // No commit yet: the first save makes the first one.
    save(&root, "content/a.md", b"x", "lan", &Base::NewFile).unwrap();
    assert_eq!(
        git(top, &["show", "--name-only", "--format=%an|%s", "HEAD"]),
        "lan|Tạo bài content/a.md\n\ntrang/content/a.md\n"
    );
    let h = history(&root, "content/a.md").unwrap();
    assert_eq!(h.versions.len(), 1);
}

#[test]
fn concurrent_writers_make_one_commit_each() {
    let tmp = repo();
    let root = tmp.path().to_path_buf();
    let n = 4;
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let root = root.clone();
            std::thread::spawn(move || loop {
                let (_, base) = current(&root, A).unwrap();
                let text = format!("ban {i}");
                match save(&root, A, text.as_bytes(), &format!("nguoi{i}"), &base) {
                    Ok(_) => return,
                    Err(SaveError::Conflict { .. }) => continue,
                    Err(e) => panic!("{e}"),
                }
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    let log = git(&root, &["log", "--format=%an"]);
    let mut authors: Vec<&str> = log.lines().take(n).collect();
    authors.sort();
    assert_eq!(authors, ["nguoi0", "nguoi1", "nguoi2", "nguoi3"]);
    assert_eq!(log.lines().count(), n + 1);
    assert_eq!(git(&root, &["status", "--porcelain"]), "");
}

#[test]
fn a_crash_before_the_rename_commits_nothing() {
    let tmp = repo();
    let root = tmp.path();
    let head = git(root, &["rev-parse", "HEAD"]);
    let (_, base) = current(root, A).unwrap();
    atomic::FAIL_BEFORE_RENAME.with(|f| f.replace(Some(root.join(A))));
    let failed = save(root, A, b"mat dien", "lan", &base);
    atomic::FAIL_BEFORE_RENAME.with(|f| f.replace(None));
    assert!(matches!(failed, Err(SaveError::Io { .. })), "{failed:?}");
    assert_eq!(std::fs::read_to_string(root.join(A)).unwrap(), "bản đầu\n");
    assert_eq!(git(root, &["rev-parse", "HEAD"]), head);
    save(root, A, b"lan sau", "lan", &base).unwrap();
    assert_eq!(
        git(root, &["log", "-1", "--format=%s"]),
        format!("Sửa bài {A}\n")
    );
    // The leftover temporary file is gone with the next save.
    assert_eq!(
        git(root, &["status", "--porcelain", "--untracked-files=all"]),
        ""
    );
}

#[test]
fn a_move_is_one_commit_that_adds_the_new_path_and_removes_the_old() {
    let tmp = repo();
    let root = tmp.path();
    let to = "content/tin-tuc/a/index.md";
    // changed since: refused, nothing written
    let stale = Base::Version(Version::of(b"khac\n"));
    assert!(matches!(
        move_file(root, A, to, "lan", &stale),
        Err(SaveError::Conflict { .. })
    ));
    assert!(root.join(A).exists() && !root.join(to).exists());
    let (_, base) = current(root, A).unwrap();
    move_file(root, A, to, "lan", &base).unwrap();
    assert!(!root.join(A).exists());
    assert_eq!(std::fs::read_to_string(root.join(to)).unwrap(), "bản đầu\n");
    assert_eq!(
        last_commit(root),
        (
            "lan <lan@bantin.invalid>".into(),
            format!("Chuyển bài {A} thành {to} (bài có ảnh)\n\nbantin: tạo")
        )
    );
    assert_eq!(
        // one commit, which git reads as a rename (`git log --follow` finds the old history)
        git(root, &["show", "-M", "--name-status", "--format=", "HEAD"]),
        format!("R100\t{A}\t{to}\n")
    );
    // the work tree and the index agree with HEAD: nothing left to commit
    assert_eq!(git(root, &["status", "--porcelain"]), "");
    let h = history(root, to).unwrap();
    assert_eq!(h.versions.len(), 1);
    assert_eq!(h.versions[0].author, "lan");
    // the target taken: refused
    std::fs::write(root.join(A), "lại\n").unwrap();
    let (_, base) = current(root, A).unwrap();
    assert!(matches!(
        move_file(root, A, to, "lan", &base),
        Err(SaveError::Conflict { .. })
    ));
}
