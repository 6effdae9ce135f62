//! Reading the staff's source files (articles, data, config) as text: a size limit, and a
//! clear message for what is not UTF-8 text (UTF-16 from Notepad or Word, binary files, old
//! TCVN3/VNI encodings); text comes back NFC-normalised.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{line_col, Diagnostic};
use crate::locale::normalize_owned;

/// Unsaved texts that stand in for source files (absolute path → text): the editor's preview
/// renders an article as typed, without writing it anywhere. Only Markdown under `content/` is
/// looked up here (the content walk, the articles a rebuild reads again); a path that does not
/// exist on disk is added to the walk (a new article's preview).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Overlay(pub BTreeMap<PathBuf, String>);

/// The overlay's text for `path` (normalised as [`read_text`] normalises a file), else the file.
pub fn read_source(
    overlay: Option<&Overlay>,
    path: &Path,
    display: &str,
    max_size: u64,
) -> Result<String, Diagnostic> {
    match overlay.and_then(|o| o.0.get(path)) {
        Some(text) => Ok(normalize_owned(
            text.strip_prefix('\u{feff}').unwrap_or(text).to_string(),
        )),
        None => read_text(path, display, max_size),
    }
}

/// Reads a source file as normalised text, refusing what is not text.
pub fn read_text(path: &Path, display: &str, max_size: u64) -> Result<String, Diagnostic> {
    let unreadable =
        |e: std::io::Error| Diagnostic::error(format!("không đọc được tệp: {e}")).in_file(display);
    // One open and one `stat` of the open file (its size is the read buffer's too).
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if meta.len() > max_size {
        return Err(Diagnostic::error(format!(
            "tệp quá lớn ({} byte, giới hạn {} byte)",
            meta.len(),
            max_size
        ))
        .in_file(display)
        .hint("tách bài thành nhiều bài nhỏ, đưa tệp lớn (ảnh, video) ra ngoài, hoặc tăng max_file_size trong config.toml"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    // through `Take`: `File::read_to_end` would ask for the size again
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, u64::MAX), &mut bytes)
        .map_err(unreadable)?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Diagnostic::error(
            "tệp được lưu bằng bảng mã UTF-16 (\"Unicode\" của Notepad/Word), không phải UTF-8",
        )
        .in_file(display)
        .at(1, 1)
        .hint("mở tệp và lưu lại với bảng mã UTF-8 (Notepad: Lưu thành… → Mã hoá: UTF-8)"));
    }
    // `contains` is a vectorised byte search; the position is only needed for the message.
    if let Some(pos) = bytes
        .contains(&0)
        .then(|| bytes.iter().position(|&b| b == 0))
        .flatten()
    {
        let (l, c) = line_col(&String::from_utf8_lossy(&bytes[..pos]), pos);
        return Err(Diagnostic::error(
            "tệp chứa dữ liệu nhị phân (ảnh, tệp Word/PDF…), không phải văn bản",
        )
        .in_file(display)
        .at(l, c)
        .hint("tệp này không phải bài viết: đổi đuôi tệp hoặc chuyển nó ra khỏi content/"));
    }
    // SIMD validation first: the standard one ran at a quarter of a byte per nanosecond on
    // Vietnamese text, a twelfth of a whole build. It only says yes or no; on "no", the
    // standard one finds the place for the message.
    let text = match simdutf8::basic::from_utf8(&bytes).map(|_| ()) {
        // SAFETY: `bytes` was just validated as UTF-8.
        Ok(()) => unsafe { String::from_utf8_unchecked(bytes) },
        Err(_) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let bytes = e.into_bytes();
                let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
                let (l, c) = line_col(&prefix, prefix.len());
                return Err(Diagnostic::error("tệp không phải văn bản UTF-8")
                .in_file(display)
                .at(l, c)
                .hint("mở tệp bằng trình soạn thảo và lưu lại với bảng mã UTF-8 (Unicode); tệp soạn bằng bảng mã TCVN3/VNI cần chuyển mã trước"));
            }
        },
    };
    let mut text = text;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(normalize_owned(text))
}
