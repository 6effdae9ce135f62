//! Nothing lost (issue 17, item 6): every save the editor makes is atomic, checked against the
//! version the writer started from, and recorded with its author and time, so any earlier
//! version can be read and restored.
//!
//! Where history is kept: when the site root is inside a git repository, as a git commit of
//! the one saved file (`git.rs`); otherwise in a journal beside the content,
//! `<root>/.bantin/lich-su/` (`log.rs`), which no build reads.
//!
//! A [`Version`] is the BLAKE3 hash of a file's bytes, whichever store is used: the editor
//! passes back the version it loaded ([`current`]) as the `base` of its save, and a file that
//! changed since is a [`SaveError::Conflict`] carrying both texts, never an overwrite.
//!
//! For the editor: open a file with [`current`] (its bytes and the [`Base`] to keep); save
//! with [`save`]`(root, path, bytes, account, &base)` and keep the returned version as the next
//! base; on a conflict show `ours` and `theirs`, and save the merged text with
//! `theirs_version` as base. [`history`] lists the versions for a history page,
//! [`read_version`] shows one, [`restore`] brings it back (as a new version). Every call does
//! blocking file I/O (and waits for the save lock): from async code, run it in
//! `spawn_blocking`. Paths come from requests and are checked here (`content/…` only).

pub mod atomic;
mod git;
mod log;
mod path;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::diag::Diagnostic;

pub use atomic::TEMP_PREFIX;
pub use log::{JOURNAL_DIR, LOG_FILE};
pub use path::check_text as check_path;

/// A version of a file: the BLAKE3 hash of its bytes, in hexadecimal.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Version(pub String);

impl Version {
    pub fn of(bytes: &[u8]) -> Self {
        Version(blake3::hash(bytes).to_hex().to_string())
    }

    /// The first 8 characters, to show staff.
    pub fn short(&self) -> &str {
        &self.0[..self.0.len().min(8)]
    }

    fn is_well_formed(&self) -> bool {
        self.0.len() == 64
            && self
                .0
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What the writer started from: a file that did not exist yet, or one version of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    NewFile,
    Version(Version),
}

/// Why a version was recorded. The labels are what staff see and what the journal stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Action {
    /// The first version of a file created in the editor.
    #[serde(rename = "tạo")]
    Create,
    #[serde(rename = "sửa")]
    Edit,
    #[serde(rename = "khôi phục")]
    Restore,
    /// Content found on disk that history did not have yet (written by hand, or before the
    /// editor was used): kept before the editor's save replaces it.
    #[serde(rename = "có sẵn")]
    Existing,
    /// A git commit not made by the editor.
    #[serde(rename = "thay đổi khác")]
    Other,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Create => "tạo",
            Action::Edit => "sửa",
            Action::Restore => "khôi phục",
            Action::Existing => "có sẵn",
            Action::Other => "thay đổi khác",
        }
    }
}

/// One entry of a file's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionInfo {
    pub version: Version,
    /// The account name (for [`Action::Existing`]: who made the git commit, or empty when
    /// unknown).
    pub author: String,
    pub time: DateTime<FixedOffset>,
    pub action: Action,
    /// The git commit that recorded it (git store only).
    pub commit: Option<String>,
}

/// A file's history, newest first, and the problems met reading it (a journal line cut by a
/// power failure is skipped with a warning).
#[derive(Debug, Default)]
pub struct History {
    pub versions: Vec<VersionInfo>,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("đường dẫn không hợp lệ \"{path}\": {reason}")]
    InvalidPath { path: String, reason: String },
    #[error("tên người sửa không hợp lệ \"{0}\": phải có chữ, không có xuống dòng hay dấu < >")]
    InvalidAuthor(String),
    /// The file changed since the writer loaded it: nothing was written. `ours` is what the
    /// writer tried to save, `theirs` the file as it is now (empty when it was deleted) and
    /// `theirs_version` the base to save with after merging.
    #[error(
        "bài đã được sửa ở nơi khác sau khi bạn mở nó; chưa lưu gì: hãy so hai bản, gộp lại rồi lưu lần nữa"
    )]
    Conflict {
        ours: Vec<u8>,
        theirs: Vec<u8>,
        theirs_version: Base,
    },
    #[error("không tìm thấy phiên bản {version} của \"{path}\" trong lịch sử")]
    UnknownVersion { path: String, version: String },
    #[error("{action} \"{}\": {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error(transparent)]
    Fs(#[from] crate::fsutil::FsError),
    #[error("không ghi được lịch sử git: {0}")]
    Git(String),
}

impl SaveError {
    fn invalid_path(path: &str, reason: &str) -> Self {
        SaveError::InvalidPath {
            path: path.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn io(action: &'static str, path: &Path, source: io::Error) -> Self {
        SaveError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// The file as it is now and its version, to load into the editor (and pass back as `base`).
pub fn current(root: &Path, rel_path: &str) -> Result<(Option<Vec<u8>>, Base), SaveError> {
    let target = path::resolve(root, rel_path)?;
    let bytes = read_current(&target)?;
    let base = base_of(bytes.as_deref());
    Ok((bytes, base))
}

/// Saves `new_bytes` as `rel_path` (`content/…`) for `author`, if the file is still at `base`;
/// returns the new version. Saving the same bytes again records nothing.
pub fn save(
    root: &Path,
    rel_path: &str,
    new_bytes: &[u8],
    author: &str,
    base: &Base,
) -> Result<Version, SaveError> {
    record(root, rel_path, new_bytes, author, base, None)
}

/// Makes `version` the current content again, as a new version (so the restore itself can be
/// undone), with the same conflict check as [`save`].
pub fn restore(
    root: &Path,
    rel_path: &str,
    version: &Version,
    author: &str,
    base: &Base,
) -> Result<Version, SaveError> {
    let (bytes, info) = find_version(root, rel_path, version)?;
    record(root, rel_path, &bytes, author, base, Some(&info))
}

/// Moves the file `from` to the new path `to` (an article becoming its bundle's `index.md`)
/// for `author`, if `from` is still at `base` and `to` does not exist: `to` is recorded as
/// created with `from`'s bytes; in a git repository the same commit removes `from`. `from`'s
/// own history stays readable under its path.
/// The site's history store (its git repository, if any) and the save lock, held by the
/// caller until its write is recorded: one lock for saves and moves, across processes.
fn open_locked(root: &Path) -> Result<(Option<git::Store>, atomic::SaveLock), SaveError> {
    let store = git::Store::open(root)?;
    let lock_file = match &store {
        Some(git) => git.git_dir().join(atomic::GIT_LOCK_FILE),
        None => root.join(atomic::LOCK_FILE),
    };
    let lock = atomic::lock(&lock_file)?;
    Ok((store, lock))
}

pub fn move_file(
    root: &Path,
    from: &str,
    to: &str,
    author: &str,
    base: &Base,
) -> Result<Version, SaveError> {
    let source = path::resolve(root, from)?;
    let target = path::resolve(root, to)?;
    check_author(author)?;
    let (store, _lock) = open_locked(root)?;
    let current = read_current(&source)?;
    let theirs_version = base_of(current.as_deref());
    let existing = read_current(&target)?;
    let (Some(bytes), None, true) = (current, &existing, &theirs_version == base) else {
        return Err(SaveError::Conflict {
            ours: Vec::new(),
            theirs: existing.unwrap_or_default(),
            theirs_version,
        });
    };
    let save = Save {
        rel: to,
        target: &target,
        current: None,
        bytes: &bytes,
        author,
        action: Action::Create,
        restored: None,
        time: now(),
    };
    match store {
        Some(git) => git.save_moved(&save, from)?,
        None => log::save(root, &save)?,
    }
    std::fs::remove_file(&source)
        .map_err(|e| SaveError::io("không xoá được tệp cũ", &source, e))?;
    if let Some(dir) = source.parent() {
        atomic::sync_dir(dir).map_err(|e| SaveError::io("không ghi được thư mục", dir, e))?;
    }
    Ok(Version::of(&bytes))
}

/// The history of `rel_path`, newest first.
pub fn history(root: &Path, rel_path: &str) -> Result<History, SaveError> {
    path::check_text(rel_path)?;
    match git::Store::open(root)? {
        Some(store) => store.history(rel_path),
        None => Ok(log::history(root, rel_path)),
    }
}

/// The bytes of one version of `rel_path`.
pub fn read_version(root: &Path, rel_path: &str, version: &Version) -> Result<Vec<u8>, SaveError> {
    find_version(root, rel_path, version).map(|(bytes, _)| bytes)
}

fn find_version(
    root: &Path,
    rel_path: &str,
    version: &Version,
) -> Result<(Vec<u8>, VersionInfo), SaveError> {
    path::check_text(rel_path)?;
    let unknown = || SaveError::UnknownVersion {
        path: rel_path.into(),
        version: version.0.clone(),
    };
    if !version.is_well_formed() {
        return Err(unknown());
    }
    let found = match git::Store::open(root)? {
        Some(store) => store.read(rel_path, version)?,
        None => log::read(root, rel_path, version)?,
    };
    found.ok_or_else(unknown)
}

/// The shared save sequence: check the path and author, take the lock, compare the file with
/// `base`, then let the store write and record it.
fn record(
    root: &Path,
    rel: &str,
    bytes: &[u8],
    author: &str,
    base: &Base,
    restored: Option<&VersionInfo>,
) -> Result<Version, SaveError> {
    let target = path::resolve(root, rel)?;
    check_author(author)?;
    let (store, _lock) = open_locked(root)?;
    let current = read_current(&target)?;
    let theirs_version = base_of(current.as_deref());
    if &theirs_version != base {
        return Err(SaveError::Conflict {
            ours: bytes.to_vec(),
            theirs: current.unwrap_or_default(),
            theirs_version,
        });
    }
    let version = Version::of(bytes);
    if current.as_deref() == Some(bytes) {
        return Ok(version);
    }
    let action = match (restored, &current) {
        (Some(_), _) => Action::Restore,
        (None, None) => Action::Create,
        (None, Some(_)) => Action::Edit,
    };
    let save = Save {
        rel,
        target: &target,
        current: current.as_deref(),
        bytes,
        author,
        action,
        restored,
        time: now(),
    };
    match store {
        Some(git) => git.save(&save)?,
        None => log::save(root, &save)?,
    }
    Ok(version)
}

/// One save, as the stores receive it (the lock held, the base checked).
struct Save<'a> {
    rel: &'a str,
    target: &'a Path,
    current: Option<&'a [u8]>,
    bytes: &'a [u8],
    author: &'a str,
    action: Action,
    restored: Option<&'a VersionInfo>,
    time: DateTime<FixedOffset>,
}

impl Save<'_> {
    /// The git commit message (and what staff read in history): "Sửa bài …", "Khôi phục …".
    fn message(&self) -> String {
        let what = if self.rel.starts_with("content/data/") {
            "số liệu"
        } else if self.rel.ends_with(".md") {
            "bài"
        } else {
            "tệp" // a photo or a document beside an article
        };
        let rel = self.rel;
        match (self.action, self.restored) {
            (Action::Restore, Some(v)) => format!(
                "Khôi phục {what} {rel} về bản {} ({}, {})",
                v.version.short(),
                v.time.format("%d/%m/%Y %H:%M"),
                if v.author.is_empty() {
                    "không rõ người sửa"
                } else {
                    &v.author
                },
            ),
            (Action::Create, _) => format!("Tạo {what} {rel}"),
            _ => format!("Sửa {what} {rel}"),
        }
    }
}

fn now() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

fn check_author(author: &str) -> Result<(), SaveError> {
    let bad = author.trim().is_empty()
        || author
            .chars()
            .any(|c| c.is_control() || c == '<' || c == '>');
    if bad {
        return Err(SaveError::InvalidAuthor(author.into()));
    }
    Ok(())
}

fn base_of(bytes: Option<&[u8]>) -> Base {
    bytes.map_or(Base::NewFile, |b| Base::Version(Version::of(b)))
}

fn read_current(target: &Path) -> Result<Option<Vec<u8>>, SaveError> {
    match std::fs::read(target) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(SaveError::io("không đọc được tệp", target, e)),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_git;
