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
