//! The rules for names that become paths on every host (a leaf: imports nothing of ours):
//! Windows device names, characters no file system takes, length. Slugs and ids from staff,
//! output paths and aliases are all held to them.

/// Longest file or folder name written (bytes); most file systems stop at 255.
pub const MAX_SEGMENT: usize = 200;

/// Windows device names: a file `con`, `aux.html` or `com1.txt` cannot be created there.
pub const RESERVED_NAMES: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Why one segment of an output path is not safe on every host, if it is not.
pub fn segment_problem(seg: &str) -> Option<&'static str> {
    let stem = seg.split('.').next().unwrap_or("").to_ascii_lowercase();
    if seg.is_empty() {
        Some("đường dẫn có đoạn rỗng")
    } else if seg == "." || seg == ".." {
        Some("đường dẫn không được chứa \".\" hay \"..\"")
    } else if RESERVED_NAMES.contains(&stem.trim_end()) {
        Some("trùng tên thiết bị của Windows (con, aux, nul, com1, lpt1, …)")
    } else if seg.ends_with('.') || seg.ends_with(' ') {
        Some("tên kết thúc bằng dấu chấm hoặc khoảng trắng")
    } else if seg.len() > MAX_SEGMENT {
        Some("tên quá dài (hơn 200 byte)")
    } else if seg
        .chars()
        .any(|c| c.is_control() || matches!(c, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|'))
    {
        Some("tên chứa ký tự điều khiển hoặc ký tự không dùng được trong tên tệp (\\ : * ? \" < > |)")
    } else {
        None
    }
}

/// A slug/id that is safe as one path segment on every host: `[a-z0-9_-]`, no leading dot.
/// Windows device names (`con`, `aux`, `nul`, `com1` …) are refused: such a folder cannot be
/// created there.
pub fn is_safe_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 200
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !RESERVED_NAMES.contains(&s)
}

/// Output paths of the pages and files made from activity data (no base path).
/// An area's page.
pub fn area_path(id: &str) -> String {
    format!("dia-ban/{id}/")
}

/// A document table filtered by one value (`van-ban/` + `loai` + `quyet-dinh` →
/// `van-ban/loai/quyet-dinh/`).
pub fn doc_filter_path(section_path: &str, segment: &str, slug: &str) -> String {
    format!("{section_path}{segment}/{slug}/")
}

/// A project's page.
pub fn project_path(id: &str) -> String {
    format!("du-an/{id}/")
}

/// A report's CSV file.
pub fn csv_path(report: &str) -> String {
    format!("du-lieu/{report}.csv")
}

/// The whole model as JSON.
pub const JSON_PATH: &str = "du-lieu/du-lieu.json";

/// Normalises a site path: `a/./b/../c` → `a/c`; `None` when it climbs above the root.
pub fn normalize_path(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}
