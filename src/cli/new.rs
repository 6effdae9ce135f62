use std::path::PathBuf;
use std::process::ExitCode;

use crate::locale::slugify;

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Chuyên mục (thư mục trong content/), ví dụ tin-tuc
    pub section: String,
    /// Tiêu đề bài viết, có dấu
    pub title: String,
    /// Thư mục gốc của trang
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

pub fn run(a: NewArgs) -> Result<(), ExitCode> {
    match create(&a) {
        Ok(path) => {
            println!("Đã tạo {}", path.display());
            Ok(())
        }
        Err(msg) => {
            eprintln!("lỗi: {msg}");
            Err(ExitCode::from(1))
        }
    }
}

/// Front matter text for a new draft.
pub fn front_matter(title: &str, date: chrono::NaiveDate) -> String {
    let title = toml::Value::String(title.to_string()).to_string();
    format!("+++\ntitle = {title}\ndate = {}\ndescription = \"\"\ndraft = true\n\n[taxonomies]\ntags = []\n+++\n\nViết nội dung bài ở đây.\n", date.format("%Y-%m-%d"))
}

fn create(a: &NewArgs) -> Result<PathBuf, String> {
    let title = crate::locale::normalize_text(a.title.trim());
    if title.is_empty() {
        return Err("tiêu đề trống; ví dụ: bantin new tin-tuc \"Tiêu đề bài viết\"".into());
    }
    let section: Vec<String> = a
        .section
        .split('/')
        .filter(|s| !s.is_empty())
        .map(slugify)
        .collect();
    if section.is_empty() || section.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "tên chuyên mục \"{}\" không hợp lệ; ví dụ: tin-tuc",
            a.section
        ));
    }
    let slug = slugify(&title);
    if slug.is_empty() {
        return Err("tiêu đề không có chữ nào dùng được cho tên tệp".into());
    }
    let dir = a.root.join("content").join(section.join("/"));
    if !a.root.join("config.toml").is_file() {
        return Err(format!("không thấy config.toml trong \"{}\"; chạy lệnh trong thư mục gốc của trang hoặc dùng --root", a.root.display()));
    }
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("không tạo được thư mục \"{}\": {e}", dir.display()))?;
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(format!(
            "\"{}\" đã có; đặt tiêu đề khác hoặc sửa tệp đó",
            path.display()
        ));
    }
    std::fs::write(&path, front_matter(&title, crate::site::today()))
        .map_err(|e| format!("không ghi được \"{}\": {e}", path.display()))?;
    Ok(path)
}
