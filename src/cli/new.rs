use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{command_line, quote};
use crate::locale::{normalize_text, slugify};

/// The flag that lets `new` create a section that does not exist yet.
const NEW_SECTION_FLAG: &str = "--chuyen-muc-moi";

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Chuyên mục phải có sẵn trong content/ (thư mục có _index.md hoặc có bài). \
Gõ sai tên thì lệnh dừng, không tạo gì và gợi ý chuyên mục gần nhất.\n\
Tạo chuyên mục mới có chủ ý: bantin new van-ban \"Tiêu đề\" --chuyen-muc-moi \
(tạo content/van-ban/_index.md rồi tạo bài trong đó)."
)]
pub struct NewArgs {
    /// Chuyên mục có sẵn (thư mục trong content/), ví dụ tin-tuc
    pub section: String,
    /// Tiêu đề bài viết, có dấu
    pub title: String,
    /// Thư mục gốc của trang
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Tạo chuyên mục này nếu chưa có (thư mục và _index.md của nó)
    #[arg(long = "chuyen-muc-moi")]
    pub new_section: bool,
}

pub fn run(a: NewArgs) -> Result<(), ExitCode> {
    match create(&a) {
        Ok(created) => {
            for index in &created.sections {
                println!("Đã tạo chuyên mục mới {}", index.display());
            }
            println!("Đã tạo {}", created.article.display());
            if created.article.ends_with("index.md") {
                if let Some(folder) = created.article.parent() {
                    println!(
                        "Văn bản: điền các dòng còn trống, chép tệp đính kèm (PDF, DOCX) vào {} và ghi tên tệp vào tep",
                        folder.display()
                    );
                }
            }
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

/// Whether the section at this `_index.md` says `van_ban = true` (a missing or broken file is
/// not: the build reports it).
fn is_document_section(index: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(index) else {
        return false;
    };
    let Ok(split) = crate::content::front_matter::split(&text) else {
        return false;
    };
    split
        .front_matter
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| t.get("van_ban").and_then(toml::Value::as_bool))
        .unwrap_or(false)
}

/// A new draft legal document: every key to fill, the attachment named after the folder.
fn document_front_matter(title: &str, slug: &str, date: chrono::NaiveDate) -> String {
    let title = toml::Value::String(title.to_string()).to_string();
    let d = date.format("%Y-%m-%d");
    format!("+++\ntitle = {title}\nloai = \"Quyết định\"\nso_ky_hieu = \"\"\nco_quan_ban_hanh = \"\"\nngay_ban_hanh = {d}\nngay_hieu_luc = {d}\ntrich_yeu = \"\"\nnguoi_ky = \"\"\ntep = [\"{slug}.pdf\"]\ndraft = true\n+++\n")
}

/// The `_index.md` of a section created with `--chuyen-muc-moi`.
fn section_front_matter(title: &str) -> String {
    let title = toml::Value::String(title.to_string()).to_string();
    format!("+++\ntitle = {title}\nsort_by = \"date\"\n+++\n")
}

/// What `new` wrote.
struct Created {
    /// The `_index.md` of each section created (`--chuyen-muc-moi`), outermost first.
    sections: Vec<PathBuf>,
    article: PathBuf,
}

fn create(a: &NewArgs) -> Result<Created, String> {
    let title = normalize_text(a.title.trim());
    if title.is_empty() {
        return Err("tiêu đề trống; ví dụ: bantin new tin-tuc \"Tiêu đề bài viết\"".into());
    }
    let typed = normalize_text(a.section.trim());
    let segments: Vec<&str> = typed
        .split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    let wanted: Vec<String> = segments.iter().map(|s| slugify(s)).collect();
    if wanted.is_empty() || wanted.iter().any(|s| s.is_empty()) {
        return Err(format!(
            "tên chuyên mục \"{}\" không hợp lệ; ví dụ: tin-tuc",
            a.section
        ));
    }
    let slug = slugify(&title);
    if slug.is_empty() {
        return Err("tiêu đề không có chữ nào dùng được cho tên tệp".into());
    }
    if !a.root.join("config.toml").is_file() {
        return Err(format!("không thấy config.toml trong \"{}\"; chạy lệnh trong thư mục gốc của trang hoặc dùng --root", a.root.display()));
    }
    let content = a.root.join("content");
    let existing = existing_sections(&content);
    let place = match find_section(&existing, &typed, &wanted) {
        Some(dir) => Place {
            dir: dir.to_string(),
            new: Vec::new(),
        },
        None if a.new_section => new_place(&existing, &segments, &wanted),
        None => return Err(unknown_section(a, &typed, &wanted, &title, &existing)),
    };
    let dir = content.join(&place.dir);
    // A document section's articles are bundles: the document's files go beside index.md.
    let document = is_document_section(&dir.join("_index.md"));
    let path = if document {
        dir.join(&slug).join("index.md")
    } else {
        dir.join(format!("{slug}.md"))
    };
    if path.exists() {
        return Err(format!(
            "\"{}\" đã có; đặt tiêu đề khác hoặc sửa tệp đó",
            path.display()
        ));
    }
    let folder = path.parent().unwrap_or(&dir);
    std::fs::create_dir_all(folder)
        .map_err(|e| format!("không tạo được thư mục \"{}\": {e}", folder.display()))?;
    let mut sections = Vec::new();
    for (rel, section_title) in &place.new {
        let index = content.join(rel).join("_index.md");
        if index.exists() {
            continue;
        }
        std::fs::write(&index, section_front_matter(section_title))
            .map_err(|e| format!("không ghi được \"{}\": {e}", index.display()))?;
        sections.push(index);
    }
    let text = if document {
        document_front_matter(&title, &slug, crate::site::today())
    } else {
        front_matter(&title, crate::site::today())
    };
    std::fs::write(&path, text)
        .map_err(|e| format!("không ghi được \"{}\": {e}", path.display()))?;
    Ok(Created {
        sections,
        article: path,
    })
}

/// Where a new article goes: its folder in `content/`, and the sections to create on the way
/// (folder and title), outermost first.
struct Place {
    dir: String,
    new: Vec<(String, String)>,
}

/// The existing section `typed` names: a folder of that name, or one whose address is the same
/// (`Tin tức` and `tin-tuc` both give `/tin-tuc/`).
fn find_section<'a>(existing: &'a [String], typed: &str, wanted: &[String]) -> Option<&'a str> {
    let typed = typed.trim_matches('/');
    let wanted = wanted.join("/");
    existing
        .iter()
        .find(|d| normalize_text(d) == typed)
        .or_else(|| existing.iter().find(|d| slug_path(d) == wanted))
        .map(String::as_str)
}

/// The folder of a section `--chuyen-muc-moi` creates: existing outer sections are kept (by
/// their folder name), the others are made from the slugs, each with `_index.md` titled as
/// typed.
fn new_place(existing: &[String], segments: &[&str], wanted: &[String]) -> Place {
    let mut dir = String::new();
    let mut new = Vec::new();
    for i in 0..wanted.len() {
        let prefix = wanted[..=i].join("/");
        match existing.iter().find(|d| slug_path(d) == prefix) {
            Some(d) => dir = d.clone(),
            None => {
                if !dir.is_empty() {
                    dir.push('/');
                }
                dir.push_str(&wanted[i]);
                new.push((dir.clone(), segments[i].to_string()));
            }
        }
    }
    Place { dir, new }
}

/// The refusal for a section that does not exist: the nearest one, or the list of them, and
/// how to create a new one on purpose.
fn unknown_section(
    a: &NewArgs,
    typed: &str,
    wanted: &[String],
    title: &str,
    existing: &[String],
) -> String {
    let root = a.root.to_string_lossy().into_owned();
    let with_root = |args: &[&str]| {
        let mut args: Vec<&str> = args.to_vec();
        if a.root != Path::new(".") {
            args.extend(["--root", root.as_str()]);
        }
        command_line(&args)
    };
    let content = if a.root == Path::new(".") {
        "content/".to_string()
    } else {
        format!("{}/", a.root.join("content").display())
    };
    let mut msg = format!("chưa có chuyên mục \"{typed}\" trong {content}; chưa tạo tệp nào");
    match nearest(existing, &wanted.join("/")) {
        Some(near) => msg.push_str(&format!(
            "\n  → có phải ý bạn là \"{near}\"? {}",
            with_root(&["new", near, title])
        )),
        None if existing.is_empty() => msg.push_str("\n  → trang chưa có chuyên mục nào"),
        None => msg.push_str(&format!(
            "\n  → các chuyên mục hiện có: {}",
            existing
                .iter()
                .map(|d| quote(d))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    msg.push_str(&format!(
        "\n  → nếu đúng là cần chuyên mục mới \"{typed}\": {}",
        with_root(&["new", typed, title, NEW_SECTION_FLAG])
    ));
    msg
}

/// The existing section closest to `wanted` (a slug path) by edit distance, when at most a
/// third of its characters differ (at least one may); the first in order on a tie.
fn nearest<'a>(existing: &'a [String], wanted: &str) -> Option<&'a str> {
    existing
        .iter()
        .map(|d| {
            let slug = slug_path(d);
            let longest = slug.chars().count().max(wanted.chars().count());
            (strsim::levenshtein(&slug, wanted), longest, d)
        })
        .filter(|&(dist, longest, _)| dist <= (longest / 3).max(1))
        .min_by_key(|&(dist, _, _)| dist)
        .map(|(_, _, d)| d.as_str())
}

/// A content folder's address: each segment slugified (`Tin tức/2024` → `tin-tuc/2024`).
fn slug_path(dir: &str) -> String {
    dir.split('/').map(slugify).collect::<Vec<_>>().join("/")
}

/// The sections of `content/` as bantin builds them: folders with an `_index.md` or articles
/// (drafts too), and the folders above them; `content/data/` and hidden entries left out.
/// Folder paths relative to `content/`, `/`-separated, sorted.
fn existing_sections(content: &Path) -> Vec<String> {
    let mut sections = BTreeSet::new();
    let walker = crate::content::load::content_entries(content);
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if !name.ends_with(".md") {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content) else {
            continue;
        };
        let mut dirs: Vec<String> = rel
            .parent()
            .map(|p| {
                p.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        if name == "index.md" {
            dirs.pop(); // a page bundle: the folder is the article, its parent the section
        }
        while !dirs.is_empty() {
            sections.insert(dirs.join("/"));
            dirs.pop();
        }
    }
    sections.into_iter().collect()
}
