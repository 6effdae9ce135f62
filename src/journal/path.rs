//! Which files the editor may write: a path from a request is checked as text first (no
//! `..`, no absolute or Windows path, no hidden names), then on disk (no symlink may lead the
//! write out of `content/`).

use std::io;
use std::path::{Path, PathBuf};

use super::SaveError;

/// The top folder every saved file lives under; `content/data/` (the figures) is inside it.
pub const CONTENT: &str = "content";

/// Checks `rel` as text: `content/` followed by plain names joined with `/`.
pub fn check_text(rel: &str) -> Result<(), SaveError> {
    let bad = |reason: &str| Err(SaveError::invalid_path(rel, reason));
    if rel.is_empty() {
        return bad("đường dẫn trống");
    }
    if rel.contains('\0') {
        return bad("đường dẫn chứa ký tự NUL");
    }
    if rel.starts_with('/') || rel.starts_with('\\') || has_drive_prefix(rel) {
        return bad("phải là đường dẫn tương đối, bắt đầu bằng content/");
    }
    if rel.contains('\\') || rel.contains(':') {
        return bad("chỉ dùng dấu / giữa các thư mục, không dùng \\ hay :");
    }
    let parts: Vec<&str> = rel.split('/').collect();
    if parts.contains(&"..") {
        return bad("không được chứa \"..\"");
    }
    if parts.iter().any(|p| p.is_empty() || *p == ".") {
        return bad("có tên thư mục trống hoặc \".\"");
    }
    if parts[0] != CONTENT || parts.len() < 2 {
        return bad("chỉ được ghi tệp trong thư mục content/");
    }
    if parts.iter().any(|p| p.starts_with('.')) {
        return bad("tên bắt đầu bằng dấu chấm là tệp ẩn, bản dựng bỏ qua");
    }
    // Names Windows cannot create (con, nul.md, a trailing dot…): the output-path rules (a
    // leaf module), so a site saved here still copies to and builds on any host.
    match parts.iter().find_map(|p| crate::paths::segment_problem(p)) {
        Some(problem) => bad(problem),
        None => Ok(()),
    }
}

/// `C:…`: a Windows drive, which `Path::join` on Windows would treat as absolute.
fn has_drive_prefix(rel: &str) -> bool {
    let b = rel.as_bytes();
    b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':'
}

/// Checks `rel` ([`check_text`]) and then the disk: the nearest existing ancestor of the file,
/// with every symlink resolved, must be inside `root/content`, and the file itself must not
/// be a symlink or a folder. Returns the absolute path to write.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, SaveError> {
    check_text(rel)?;
    let content = canonical(&root.join(CONTENT), rel)?;
    let target = root.join(rel);
    let mut ancestor = target.parent();
    while let Some(dir) = ancestor {
        match std::fs::symlink_metadata(dir) {
            Ok(_) => {
                let real = canonical(dir, rel)?;
                if !real.starts_with(&content) {
                    return Err(SaveError::invalid_path(
                        rel,
                        "một thư mục trên đường dẫn là liên kết (symlink) ra ngoài content/",
                    ));
                }
                break;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => ancestor = dir.parent(),
            Err(e) => return Err(SaveError::io("không đọc được thư mục", dir, e)),
        }
    }
    match std::fs::symlink_metadata(&target) {
        Ok(m) if m.file_type().is_symlink() => Err(SaveError::invalid_path(
            rel,
            "tệp là liên kết (symlink), bản dựng không đọc nó",
        )),
        Ok(m) if m.is_dir() => Err(SaveError::invalid_path(
            rel,
            "đây là thư mục, không phải tệp",
        )),
        _ => Ok(target),
    }
}

fn canonical(path: &Path, rel: &str) -> Result<PathBuf, SaveError> {
    std::fs::canonicalize(path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            SaveError::invalid_path(rel, "trang chưa có thư mục content/")
        } else {
            SaveError::io("không đọc được thư mục", path, e)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_checks() {
        let cases: &[(&str, Option<&str>)] = &[
            ("content/tin-tuc/a.md", None),
            ("content/data/reports/2024.toml", None),
            ("content/Tin tức/bài mới.md", None),
            ("", Some("đường dẫn trống")),
            ("content/a\0.md", Some("đường dẫn chứa ký tự NUL")),
            (
                "/etc/passwd",
                Some("phải là đường dẫn tương đối, bắt đầu bằng content/"),
            ),
            (
                "\\\\server\\share\\a.md",
                Some("phải là đường dẫn tương đối, bắt đầu bằng content/"),
            ),
            (
                "C:/content/a.md",
                Some("phải là đường dẫn tương đối, bắt đầu bằng content/"),
            ),
            (
                "c:content",
                Some("phải là đường dẫn tương đối, bắt đầu bằng content/"),
            ),
            (
                "content\\a.md",
                Some("chỉ dùng dấu / giữa các thư mục, không dùng \\ hay :"),
            ),
            (
                "content/a.md:stream",
                Some("chỉ dùng dấu / giữa các thư mục, không dùng \\ hay :"),
            ),
            ("content/../config.toml", Some("không được chứa \"..\"")),
            ("content/tin-tuc/../../x", Some("không được chứa \"..\"")),
            ("..", Some("không được chứa \"..\"")),
            ("content//a.md", Some("có tên thư mục trống hoặc \".\"")),
            ("content/./a.md", Some("có tên thư mục trống hoặc \".\"")),
            ("content/tin-tuc/", Some("có tên thư mục trống hoặc \".\"")),
            ("content", Some("chỉ được ghi tệp trong thư mục content/")),
            (
                "templates/page.html",
                Some("chỉ được ghi tệp trong thư mục content/"),
            ),
            (
                "config.toml",
                Some("chỉ được ghi tệp trong thư mục content/"),
            ),
            (
                "content/.bantin/x",
                Some("tên bắt đầu bằng dấu chấm là tệp ẩn, bản dựng bỏ qua"),
            ),
            (
                "content/a/.git",
                Some("tên bắt đầu bằng dấu chấm là tệp ẩn, bản dựng bỏ qua"),
            ),
            ("content/tin-tuc/nul.md", Some("trùng tên thiết bị của Windows (con, aux, nul, com1, lpt1, …)")),
            ("content/CON/a.md", Some("trùng tên thiết bị của Windows (con, aux, nul, com1, lpt1, …)")),
            ("content/tin-tuc/a.md.", Some("tên kết thúc bằng dấu chấm hoặc khoảng trắng")),
            ("content/tin-tuc /a.md", Some("tên kết thúc bằng dấu chấm hoặc khoảng trắng")),
            ("content/a?.md", Some("tên chứa ký tự điều khiển hoặc ký tự không dùng được trong tên tệp (\\ : * ? \" < > |)")),
            ("content/a\nb.md", Some("tên chứa ký tự điều khiển hoặc ký tự không dùng được trong tên tệp (\\ : * ? \" < > |)")),
        ];
        for (rel, want) in cases {
            let got = check_text(rel).err().map(|e| e.to_string());
            let want = want.map(|r| format!("đường dẫn không hợp lệ \"{rel}\": {r}"));
            assert_eq!(got, want, "{rel:?}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_content_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/tin-tuc")).unwrap();
        std::fs::create_dir_all(root.join("templates")).unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join("content/ra-ngoai")).unwrap();
        std::os::unix::fs::symlink(root.join("templates"), root.join("content/mau")).unwrap();
        std::os::unix::fs::symlink(root.join("content/tin-tuc"), root.join("content/ben-trong"))
            .unwrap();
        std::fs::write(outside.path().join("a.md"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("a.md"), root.join("content/lk.md"))
            .unwrap();
        let msg = |rel: &str| resolve(root, rel).err().map(|e| e.to_string());
        let out = "một thư mục trên đường dẫn là liên kết (symlink) ra ngoài content/";
        for rel in [
            "content/ra-ngoai/a.md",
            "content/ra-ngoai/moi/b.md",
            "content/mau/x.html",
        ] {
            assert_eq!(
                msg(rel),
                Some(format!("đường dẫn không hợp lệ \"{rel}\": {out}"))
            );
        }
        assert_eq!(
            msg("content/lk.md").unwrap(),
            "đường dẫn không hợp lệ \"content/lk.md\": tệp là liên kết (symlink), bản dựng không đọc nó"
        );
        assert_eq!(
            msg("content/tin-tuc").unwrap(),
            "đường dẫn không hợp lệ \"content/tin-tuc\": đây là thư mục, không phải tệp"
        );
        // A link that stays inside content/ is allowed: the write lands inside content/.
        assert!(resolve(root, "content/ben-trong/a.md").is_ok());
        assert_eq!(
            resolve(root, "content/tin-tuc/moi/a.md").unwrap(),
            root.join("content/tin-tuc/moi/a.md")
        );
    }
}
