//! The journal for sites that are not git repositories: `<root>/.bantin/lich-su/` holds a copy
//! of every version, named by its hash (`ban/ab/abcd…`), and `nhat-ky.jsonl`, one JSON line
//! per save appended and flushed. `.bantin/` is outside every folder a build reads.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::{atomic, Action, History, Save, SaveError, Version, VersionInfo};
use crate::diag::Diagnostic;

pub const JOURNAL_DIR: &str = ".bantin/lich-su";
pub const LOG_FILE: &str = ".bantin/lich-su/nhat-ky.jsonl";

/// One line of the log.
#[derive(serde::Serialize, serde::Deserialize)]
struct Line {
    time: DateTime<FixedOffset>,
    author: String,
    path: String,
    hash: Version,
    action: Action,
}

fn copy_path(root: &Path, v: &Version) -> PathBuf {
    root.join(JOURNAL_DIR)
        .join("ban")
        .join(&v.0[..2])
        .join(&v.0)
}

/// Keeps a copy of `bytes` (once: the name is its hash).
fn store(root: &Path, bytes: &[u8]) -> Result<Version, SaveError> {
    let v = Version::of(bytes);
    let path = copy_path(root, &v);
    if !path.is_file() {
        atomic::write(&path, bytes)?;
    }
    Ok(v)
}

fn append(root: &Path, line: &Line) -> Result<(), SaveError> {
    let text = serde_json::to_string(line).expect("a journal line serializes");
    atomic::append_line(&root.join(LOG_FILE), &text)
}

/// Records and writes one save. The order keeps every version recoverable at any crash point:
/// the copy first, then the file, then the log line; a file whose content the log lacks (a
/// crash before the line, or an edit by hand) is logged as [`Action::Existing`] by the next
/// save before being replaced.
pub(super) fn save(root: &Path, s: &Save) -> Result<(), SaveError> {
    if let Some(cur) = s.current {
        let (last, _) = entries(root, s.rel);
        if last.first().map(|l| &l.version) != Some(&Version::of(cur)) {
            let hash = store(root, cur)?;
            let time = mtime(s.target).unwrap_or(s.time);
            let line = Line {
                time,
                author: String::new(),
                path: s.rel.into(),
                hash,
                action: Action::Existing,
            };
            append(root, &line)?;
        }
    }
    let hash = store(root, s.bytes)?;
    atomic::write(s.target, s.bytes)?;
    let line = Line {
        time: s.time,
        author: s.author.into(),
        path: s.rel.into(),
        hash,
        action: s.action,
    };
    append(root, &line)
}

fn mtime(path: &Path) -> Option<DateTime<FixedOffset>> {
    let t = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(DateTime::<chrono::Local>::from(t).fixed_offset())
}

/// The log's entries for `rel`, newest first, and a warning per unreadable line.
fn entries(root: &Path, rel: &str) -> (Vec<VersionInfo>, Vec<Diagnostic>) {
    let mut versions = Vec::new();
    let mut warnings = Vec::new();
    let text = match std::fs::read(root.join(LOG_FILE)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (versions, warnings),
        Err(e) => {
            warnings.push(
                Diagnostic::warning(format!("không đọc được nhật ký lịch sử: {e}"))
                    .in_file(LOG_FILE),
            );
            return (versions, warnings);
        }
    };
    for (i, raw) in text.split(|&b| b == b'\n').enumerate() {
        if raw.is_empty() {
            continue;
        }
        match serde_json::from_slice::<Line>(raw) {
            Ok(l) if l.path == rel => versions.push(VersionInfo {
                version: l.hash,
                author: l.author,
                time: l.time,
                action: l.action,
                commit: None,
            }),
            Ok(_) => {}
            Err(_) => warnings.push(
                Diagnostic::warning(
                    "dòng nhật ký lịch sử bị hỏng (có thể do mất điện khi đang ghi), đã bỏ qua",
                )
                .in_file(LOG_FILE)
                .at(i + 1, 1),
            ),
        }
    }
    versions.reverse();
    (versions, warnings)
}

pub(super) fn history(root: &Path, rel: &str) -> History {
    let (versions, warnings) = entries(root, rel);
    History { versions, warnings }
}

/// The bytes of `version` of `rel`, if the log lists it and its copy is intact.
pub(super) fn read(
    root: &Path,
    rel: &str,
    version: &Version,
) -> Result<Option<(Vec<u8>, VersionInfo)>, SaveError> {
    let (versions, _) = entries(root, rel);
    let Some(info) = versions.into_iter().find(|v| &v.version == version) else {
        return Ok(None);
    };
    let path = copy_path(root, version);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(SaveError::io("không đọc được bản lưu", &path, e)),
    };
    // A copy damaged on disk is not handed out as that version.
    Ok((Version::of(&bytes) == *version).then_some((bytes, info)))
}
