//! File-system wrappers whose errors always name the path (as mdBook's do): a bare
//! "No such file or directory" is useless to a communications officer.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// An I/O failure together with the path it happened on.
#[derive(Debug, thiserror::Error)]
#[error("{action} \"{}\": {source}", path.display())]
pub struct FsError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

fn wrap<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> FsError + 'a {
    move |source| FsError {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// A walk of `dir` that does not follow links, each folder's entries in file-name order (so
/// every walk of the same files is in the same order).
///
/// Not walkdir's `sort_by_file_name`: it takes each name out of its path (`Path::file_name`
/// parses the path) on every comparison, a serial part of loading a large site. Entries of one
/// folder share their folder's path, so comparing the whole paths' bytes is comparing the names.
pub fn walk_sorted(dir: &Path) -> walkdir::WalkDir {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by(|a, b| {
            a.path()
                .as_os_str()
                .as_encoded_bytes()
                .cmp(b.path().as_os_str().as_encoded_bytes())
        })
}

pub fn read_to_string(path: &Path) -> Result<String, FsError> {
    fs::read_to_string(path).map_err(wrap("không đọc được tệp", path))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    fs::write(path, bytes).map_err(wrap("không ghi được tệp", path))
}

/// Creates one directory; one that exists already is fine.
pub fn create_dir(path: &Path) -> Result<(), FsError> {
    match fs::create_dir(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        r => r.map_err(wrap("không tạo được thư mục", path)),
    }
}

pub fn create_dir_all(path: &Path) -> Result<(), FsError> {
    fs::create_dir_all(path).map_err(wrap("không tạo được thư mục", path))
}

pub fn copy(from: &Path, to: &Path) -> Result<(), FsError> {
    fs::copy(from, to)
        .map(|_| ())
        .map_err(wrap("không sao chép được tệp", from))
}

pub fn rename(from: &Path, to: &Path) -> Result<(), FsError> {
    fs::rename(from, to).map_err(wrap("không đổi tên được", from))
}

pub fn remove_dir_all(path: &Path) -> Result<(), FsError> {
    fs::remove_dir_all(path).map_err(wrap("không xoá được thư mục", path))
}

/// [`remove_dir_all`] with the entries of each directory removed in parallel: deleting the
/// previous output (tens of thousands of files and folders) after a rebuild was a serial
/// tail of the build. Symbolic links are removed, never followed.
pub fn remove_dir_all_parallel(path: &Path) -> Result<(), FsError> {
    use rayon::prelude::*;
    fn go(dir: &Path) -> std::io::Result<()> {
        let entries = fs::read_dir(dir)?.collect::<Result<Vec<_>, _>>()?;
        entries.par_iter().try_for_each(|e| {
            if e.file_type()?.is_dir() {
                go(&e.path())
            } else {
                fs::remove_file(e.path())
            }
        })?;
        fs::remove_dir(dir)
    }
    go(path).map_err(wrap("không xoá được thư mục", path))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same order as walkdir's `sort_by_file_name`, on names where comparing whole paths
    /// could differ from comparing names if siblings did not share their folder's path:
    /// `a` and `a-b` and `a.md` (`-` and `.` sort before `/`), accented and upper-case names.
    #[test]
    fn walk_sorted_is_file_name_order() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["a", "a/b", "a-b", "Đà Lạt", "z"] {
            fs::create_dir_all(root.join(d)).unwrap();
        }
        for f in [
            "a.md",
            "a/b/c.md",
            "a/a.md",
            "a/B.md",
            "a-b/x.md",
            "b.md",
            "Ä.md",
            "Đà Lạt/ạ.md",
            "z/0.md",
            "_index.md",
        ] {
            fs::write(root.join(f), "x").unwrap();
        }
        let paths = |w: walkdir::WalkDir| -> Vec<PathBuf> {
            w.into_iter().map(|e| e.unwrap().into_path()).collect()
        };
        let ours = paths(walk_sorted(root));
        let walkdir = paths(
            walkdir::WalkDir::new(root)
                .follow_links(false)
                .sort_by_file_name(),
        );
        assert_eq!(ours.len(), 16);
        assert_eq!(ours, walkdir);
    }
}
