use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The default theme, embedded at compile time so `init` works from the binary alone.
mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Thư mục sẽ chứa trang mới (phải trống hoặc chưa có)
    pub dir: PathBuf,
}

const CONFIG: &str = r#"base_url = "http://127.0.0.1:1111/"
title = "Bản tin tiến độ"
description = "Bản tin tiến độ các chương trình mục tiêu quốc gia"
language = "vi"
theme = "cong-thong-tin"
paginate_by = 10

[organization]
name = "Tên cơ quan"
address = "Địa chỉ"
phone = ""
email = ""
responsible = ""
attribution = "Ghi rõ nguồn khi phát hành lại thông tin từ trang này."

[[menu]]
name = "Trang chủ"
url = "/"

[[menu]]
name = "Tin tức"
url = "/tin-tuc/"
"#;

const HOME: &str =
    "+++\ntitle = \"Trang chủ\"\n+++\n\nBản tin tiến độ các chương trình mục tiêu quốc gia.\n";
const SECTION: &str = "+++\ntitle = \"Tin tức\"\nsort_by = \"date\"\n+++\n";
const ARTICLE: &str = "+++\ntitle = \"Bài viết đầu tiên\"\ndate = 2024-01-15\ndescription = \"Bài viết mẫu do bantin init tạo.\"\n\n[taxonomies]\ntags = [\"bản tin\"]\n+++\n\nĐây là bài viết mẫu. Sửa tệp `content/tin-tuc/bai-viet-dau-tien.md` hoặc tạo bài mới bằng `bantin new tin-tuc \"Tiêu đề\"`.\n\n## Kết quả\n\nNội dung bài viết.\n";

pub fn run(a: InitArgs) -> Result<(), ExitCode> {
    match scaffold(&a.dir) {
        Ok(()) => {
            println!("{}", next_steps(&a.dir));
            Ok(())
        }
        Err(msg) => {
            eprintln!("lỗi: {msg}");
            Err(ExitCode::from(1))
        }
    }
}

/// What `init` prints: the commands to build and preview the new site, runnable as typed from
/// the current directory (see [`super::program`]); when `bantin` is not on `PATH`, how to put
/// it there.
fn next_steps(dir: &Path) -> String {
    let dir = dir.to_string_lossy();
    let build = super::command_line(&["build", "--root", &dir]);
    let serve = super::command_line(&["serve", "--root", &dir]);
    let mut text = format!("Đã tạo trang mới trong {dir}.\nDựng thử:  {build}\nXem trước: {serve}");
    if super::program() != "bantin" {
        // The source tree this binary was built from, when it is still there.
        let source = Path::new(env!("CARGO_MANIFEST_DIR"));
        let install = if source.join("Cargo.toml").is_file() {
            format!(
                "cargo install --path {}",
                super::quote(&source.to_string_lossy())
            )
        } else {
            "cargo install --path . (trong thư mục mã nguồn bantin)".to_string()
        };
        text.push_str(&format!(
            "\n(bantin chưa có trong PATH nên lệnh ghi đường dẫn đầy đủ; để gõ ngắn bantin …, cài một lần: {install})"
        ));
    }
    text
}

/// Writes a working site into `dir`, which must be empty or absent.
pub fn scaffold(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir)
            .map(|mut r| r.next().is_some())
            .unwrap_or(true);
        if non_empty {
            return Err(format!(
                "\"{}\" đã có nội dung; chọn một thư mục trống hoặc chưa có",
                dir.display()
            ));
        }
    }
    let mut files: Vec<(PathBuf, &[u8])> = vec![
        (dir.join("config.toml"), CONFIG.as_bytes()),
        // the output and the photo cache are made again by every build: not for git
        (dir.join(".gitignore"), b"/public/\n/.bantin/\n"),
        (dir.join("content/_index.md"), HOME.as_bytes()),
        (dir.join("content/tin-tuc/_index.md"), SECTION.as_bytes()),
        (
            dir.join("content/tin-tuc/bai-viet-dau-tien.md"),
            ARTICLE.as_bytes(),
        ),
    ];
    for (rel, bytes) in embedded::THEME {
        files.push((dir.join("themes/cong-thong-tin").join(rel), bytes));
    }
    for (path, bytes) in files {
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)
                .map_err(|e| format!("không tạo được \"{}\": {e}", p.display()))?;
        }
        std::fs::write(&path, bytes)
            .map_err(|e| format!("không ghi được \"{}\": {e}", path.display()))?;
    }
    Ok(())
}
