//! Putting a finished output tree in place of the previous one so that a reader, a web server
//! or a deploy script never sees a mix of the two, even when the process is killed or the power
//! fails half-way: the trees are exchanged in one step where the system allows it (Linux), and
//! the next run repairs what an interrupted two-step swap or deletion left behind.
//!
//! Names beside the target `public/`: `.bantin-build-public-XXXX` (a tree being filled, or
//! after an exchange the old tree being deleted) and `.bantin-old-public-XXXX/public` (the old
//! tree moved aside by the two-step swap). Runs for one target take a lock on its parent folder,
//! so a second `build` cannot clean up the first one's staging directory.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::fsutil;

/// Prefix of a staging directory for the target named `name`.
pub fn build_prefix(name: &str) -> String {
    format!(".bantin-build-{name}-")
}

/// Prefix of the folder the two-step swap moves the old tree into.
pub fn old_prefix(name: &str) -> String {
    format!(".bantin-old-{name}-")
}

fn name_of(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

/// An exclusive lock on the folder that holds the target, held while a run writes beside it.
pub struct Lock(#[allow(dead_code)] Option<File>);

/// Takes the lock, or says another run holds it. Where folders cannot be locked (not Unix, or a
/// file system without `flock`), runs go on unlocked, as before.
pub fn lock(parent: &Path) -> Result<Lock, Diagnostic> {
    #[cfg(unix)]
    {
        use rustix::fs::{flock, FlockOperation};
        let Ok(dir) = File::open(parent) else {
            return Ok(Lock(None));
        };
        match flock(&dir, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => Ok(Lock(Some(dir))),
            Err(rustix::io::Errno::WOULDBLOCK) => Err(Diagnostic::error(format!(
                "một lần dựng khác đang ghi vào \"{}\"",
                parent.display()
            ))
            .hint("chờ lần dựng kia xong (hoặc dừng nó) rồi chạy lại lệnh")),
            Err(_) => Ok(Lock(None)),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = parent;
        Ok(Lock(None))
    }
}

/// Repairs what an interrupted run left beside `target`: when the target is missing and an old
/// tree was moved aside, it is put back (the run that moved it never finished); every other
/// leftover folder of this target is deleted. Returns a warning when the site was put back.
pub fn recover(target: &Path) -> Result<Option<Diagnostic>, Diagnostic> {
    let parent = target.parent().unwrap_or(Path::new("."));
    let name = name_of(target);
    let (build, old) = (build_prefix(&name), old_prefix(&name));
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(None);
    };
    let mut leftovers: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(&build) || n.starts_with(&old)
        })
        .map(|e| e.path())
        .collect();
    leftovers.sort();
    let mut restored = None;
    if !target.exists() {
        let aside = leftovers
            .iter()
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&old))
            })
            .map(|p| p.join(&name))
            .find(|p| p.is_dir());
        if let Some(aside) = aside {
            fsutil::rename(&aside, target).map_err(|e| Diagnostic::error(e.to_string()))?;
            restored = Some(
                Diagnostic::warning(format!(
                    "lần dựng trước bị ngắt khi đang thay \"{}\"; đã đặt lại bản trước đó vào chỗ cũ",
                    target.display()
                ))
                .hint("không cần làm gì: lần dựng này ghi bản mới như thường"),
            );
        }
    }
    for p in leftovers {
        fsutil::remove_dir_all_parallel(&p).map_err(|e| Diagnostic::error(e.to_string()))?;
    }
    Ok(restored)
}

/// Swaps the finished tree `staged` into `target`'s place: one atomic exchange where the system
/// has it (then the old tree, now at `staged`, is deleted), else the old tree is moved aside
/// first (into `.bantin-old-…`, which [`recover`] puts back if the run stops there).
pub fn swap(staged: &Path, target: &Path) -> Result<(), Diagnostic> {
    let err = |e: fsutil::FsError| Diagnostic::error(e.to_string());
    if !target.exists() {
        return fsutil::rename(staged, target).map_err(err);
    }
    if exchange(staged, target).is_ok() {
        return fsutil::remove_dir_all_parallel(staged).map_err(err);
    }
    let parent = target.parent().unwrap_or(Path::new("."));
    let old = tempfile::Builder::new()
        .prefix(&old_prefix(&name_of(target)))
        .tempdir_in(parent)
        .map_err(|e| Diagnostic::error(format!("không tạo được thư mục tạm: {e}")))?
        .keep();
    let aside = old.join(name_of(target));
    if let Err(e) = fsutil::rename(target, &aside) {
        let _ = std::fs::remove_dir_all(staged);
        let _ = std::fs::remove_dir_all(&old);
        return Err(err(e));
    }
    if let Err(e) = fsutil::rename(staged, target) {
        // put the old site back
        let _ = std::fs::rename(&aside, target);
        let _ = std::fs::remove_dir_all(staged);
        let _ = std::fs::remove_dir_all(&old);
        return Err(err(e));
    }
    fsutil::remove_dir_all_parallel(&old).map_err(err)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path, marker: &str) {
        std::fs::create_dir_all(dir.join("a")).unwrap();
        std::fs::write(dir.join("index.html"), marker).unwrap();
        std::fs::write(dir.join("a/index.html"), marker).unwrap();
    }

    #[test]
    fn swap_puts_the_new_tree_in_place_and_leaves_nothing_beside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        let staged = tmp.path().join(".bantin-build-public-x");
        tree(&target, "old");
        tree(&staged, "new");
        swap(&staged, &target).unwrap();
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).unwrap(),
            "new"
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn a_swap_stopped_between_its_two_renames_is_rolled_back() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        // the state a kill between "move the old tree aside" and "move the new one in" leaves
        tree(&tmp.path().join(".bantin-old-public-abc/public"), "old");
        tree(&tmp.path().join(".bantin-build-public-def"), "new");
        // another output's leftovers are not this target's business
        tree(&tmp.path().join(".bantin-build-khac-ghi"), "other");
        let w = recover(&target).unwrap().expect("a warning");
        assert!(
            w.message.contains("đã đặt lại bản trước đó"),
            "{}",
            w.message
        );
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "old"
        );
        let mut left: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".bantin-build-khac-ghi", "public"]);
    }

    #[test]
    fn leftovers_of_a_finished_swap_are_deleted_and_the_site_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        tree(&target, "new");
        // killed while deleting the old tree
        tree(&tmp.path().join(".bantin-old-public-abc/public"), "old");
        tree(&tmp.path().join(".bantin-build-public-def"), "old");
        assert!(recover(&target).unwrap().is_none());
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_second_run_on_the_same_folder_is_refused_while_the_first_holds_the_lock() {
        let tmp = tempfile::tempdir().unwrap();
        let first = lock(tmp.path()).unwrap();
        let second = lock(tmp.path()).err().expect("refused");
        assert!(
            second.message.contains("một lần dựng khác"),
            "{}",
            second.message
        );
        drop(first);
        assert!(lock(tmp.path()).is_ok());
    }
}
