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

pub fn read(path: &Path) -> Result<Vec<u8>, FsError> {
    fs::read(path).map_err(wrap("không đọc được tệp", path))
}

pub fn read_to_string(path: &Path) -> Result<String, FsError> {
    fs::read_to_string(path).map_err(wrap("không đọc được tệp", path))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<(), FsError> {
    fs::write(path, bytes).map_err(wrap("không ghi được tệp", path))
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
