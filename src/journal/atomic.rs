//! Writing one file so that a crash or a power cut at any moment leaves either the old or the
//! new content, never a mix: a temporary file in the same folder, flushed to disk, renamed over
//! the old one, and the folder flushed so the rename itself survives. Saves are serialized by
//! a lock file held for the whole check-write-record sequence.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::SaveError;

/// Temporary files start with this: a dot (the content and data loaders skip hidden names, so
/// a build never reads one) and a marker no staff file has, so a stale one is recognised.
pub const TEMP_PREFIX: &str = ".bantin-tam-";

/// The lock file of a site that is not a git repository (`.bantin/` is never read by a build);
/// in a git repository it is [`GIT_LOCK_FILE`] inside the git folder, so that it never shows as
/// an untracked file.
pub const LOCK_FILE: &str = ".bantin/khoa-luu";
pub const GIT_LOCK_FILE: &str = "bantin-khoa-luu";

/// Held while one save runs; dropping it (or the process dying) releases the lock.
pub struct SaveLock(#[allow(dead_code)] File);

/// Waits for the save lock at `path`. An OS file lock (flock on Unix, LockFileEx on Windows),
/// so it serializes threads (each opens its own handle) and processes alike.
pub fn lock(path: &Path) -> Result<SaveLock, SaveError> {
    if let Some(dir) = path.parent() {
        crate::fsutil::create_dir_all(dir)?;
    }
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| SaveError::io("không mở được tệp khoá", path, e))?;
    file.lock()
        .map_err(|e| SaveError::io("không khoá được tệp khoá", path, e))?;
    Ok(SaveLock(file))
}

#[cfg(test)]
thread_local! {
    /// Test-only fault injection: a [`write`] to this path fails after the temporary file is
    /// written and flushed, before the rename, as a crash there would.
    pub static FAIL_BEFORE_RENAME: std::cell::RefCell<Option<PathBuf>> =
        const { std::cell::RefCell::new(None) };
}

/// Writes `bytes` to `path` atomically (see the module documentation), creating missing
/// folders. Stale temporary files of an earlier crash in the same folder are removed first
/// (the caller holds the save lock, so no other save can be using them).
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let dir = path.parent().expect("a file path has a parent");
    crate::fsutil::create_dir_all(dir)?;
    remove_stale_temps(dir);
    let tmp = temp_path(path);
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(SaveError::io("không ghi được tệp tạm", &tmp, e));
    }
    #[cfg(test)]
    if FAIL_BEFORE_RENAME.with(|f| f.borrow().as_deref() == Some(path)) {
        return Err(SaveError::io(
            "không đổi tên được",
            &tmp,
            io::Error::other("lỗi giả lập trong kiểm thử"),
        ));
    }
    if let Err(e) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(SaveError::io("không đổi tên được", &tmp, e));
    }
    sync_dir(dir).map_err(|e| SaveError::io("không ghi được thư mục xuống đĩa", dir, e))
}

/// `.bantin-tam-<name>-<pid>-<n>` beside `path`.
fn temp_path(path: &Path) -> PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let n = N.fetch_add(1, Ordering::Relaxed);
    path.with_file_name(format!("{TEMP_PREFIX}{name}-{}-{n}", std::process::id()))
}

/// Removes this folder's leftover temporary files; best effort (a leftover is harmless).
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let is_temp = e.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
        if is_temp && e.file_type().is_ok_and(|t| t.is_file()) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Flushes a folder's entries (the rename) to disk. Windows has no such call for folders and
/// its rename is already durable once it returns (MoveFileEx with write-through).
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Appends one line to `path` and flushes it. A previous append cut by a power failure can
/// leave a last line without its newline: a newline is written first then, so the cut line
/// stays alone (and is skipped on reading) instead of swallowing this one.
pub fn append_line(path: &Path, line: &str) -> Result<(), SaveError> {
    let err = |e| SaveError::io("không ghi được nhật ký", path, e);
    let mut f = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(path)
        .map_err(err)?;
    let ends_cut = last_byte(&mut f).map_err(err)?.is_some_and(|c| c != b'\n');
    let mut text = String::with_capacity(line.len() + 2);
    if ends_cut {
        text.push('\n');
    }
    text.push_str(line);
    text.push('\n');
    f.write_all(text.as_bytes()).map_err(err)?;
    f.sync_all().map_err(err)?;
    if let Some(dir) = path.parent() {
        sync_dir(dir).map_err(err)?;
    }
    Ok(())
}

fn last_byte(f: &mut File) -> io::Result<Option<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(None);
    }
    f.seek(SeekFrom::Start(len - 1))?;
    let mut b = [0u8];
    f.read_exact(&mut b)?;
    Ok(Some(b[0]))
}
