//! Review: comments on an article and the status changes of [`super::article::set_status`].
//!
//! Comments are kept outside `content/`, in `.bantin/gop-y/<file under content>.jsonl`, one
//! JSON object a line appended at once ([`crate::journal::atomic::append_line`]: a line cut by
//! a power failure is skipped on reading), so no build ever reads them and they never reach
//! `public/`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::escape::html as esc;
use crate::journal::SaveError;

/// What a comment came with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A comment alone.
    GopY,
    /// Sent for review (the comment is optional).
    GuiDuyet,
    /// Sent back (the comment says why; required).
    TraLai,
    /// Approved and published.
    Duyet,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::GopY => "góp ý",
            Kind::GuiDuyet => "gửi duyệt",
            Kind::TraLai => "trả lại",
            Kind::Duyet => "duyệt và đăng",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Comment {
    /// The account.
    pub tai_khoan: String,
    /// Its display name then.
    pub ten: String,
    /// RFC 3339.
    pub luc: String,
    pub loai: Kind,
    pub noi_dung: String,
}

/// `<root>/.bantin/gop-y/<rel without content/>.jsonl`; `rel` was checked by the caller.
fn file(root: &Path, rel: &str) -> PathBuf {
    root.join(super::accounts::DIR)
        .join("gop-y")
        .join(format!("{}.jsonl", rel.trim_start_matches("content/")))
}

/// Appends a comment to the article's file of comments.
pub fn add(root: &Path, rel: &str, c: &Comment) -> Result<(), SaveError> {
    let path = file(root, rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| SaveError::io("không tạo được thư mục góp ý", dir, e))?;
    }
    let line = serde_json::to_string(c).expect("a comment serialises");
    crate::journal::atomic::append_line(&path, &line)
}

/// The article's comments, oldest first (unreadable lines skipped).
pub fn read(root: &Path, rel: &str) -> Vec<Comment> {
    std::fs::read_to_string(file(root, rel))
        .map(|t| {
            t.lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// A status as the pages say it: (css class, label).
pub fn status_label(draft: bool, status: &str) -> (&'static str, &'static str) {
    match (draft, status) {
        (false, _) => ("da-dang", "đã đăng"),
        (true, "cho-duyet") => ("cho-duyet", "chờ duyệt"),
        (true, "tra-lai") => ("tra-lai", "bị trả lại"),
        (true, _) => ("nhap", "nháp"),
    }
}

/// The comments, newest last, as a list.
pub fn comments_html(comments: &[Comment]) -> String {
    if comments.is_empty() {
        return "<p>Chưa có góp ý nào.</p>".into();
    }
    let mut out = String::from("<ol class=\"gop-y\" id=\"danh-sach-gop-y\">");
    for c in comments {
        let when = chrono::DateTime::parse_from_rfc3339(&c.luc)
            .map(|d| d.format("%H:%M %d/%m/%Y").to_string())
            .unwrap_or_else(|_| c.luc.clone());
        out.push_str(&format!(
            "<li><p><strong>{}</strong> ({}), {} lúc {}</p>{}</li>",
            esc(&c.ten),
            esc(&c.tai_khoan),
            c.loai.label(),
            esc(&when),
            if c.noi_dung.is_empty() {
                String::new()
            } else {
                format!("<p>{}</p>", esc(&c.noi_dung))
            }
        ));
    }
    out.push_str("</ol>");
    out
}
