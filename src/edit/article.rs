//! An article as the edit form shows it ([`Fields`]), read from and written back to its file.
//!
//! Writing edits the front matter in place with `toml_edit`: the keys the form knows are set
//! (in the order `bantin new` writes them, for a new file), every other key, comment and
//! table stays as written. A finished text is checked by the build's own front-matter parser
//! ([`crate::content::front_matter::parse`]) before anything is saved.
//!
//! Authorship: an article created in the editor gets `authors = ["<display name>"]` (what
//! readers see) and `tai_khoan = "<account>"` (who owns it; checked by the build, never
//! rendered). A phóng viên may edit only their own drafts: `tai_khoan` names their account,
//! or (articles from before `tai_khoan`) `authors` does. Keeping the owner in the file means
//! it travels with the file, its history and a copy of the site, like `authors` itself; a
//! renamed display name does not change who owns what.
//!
//! Review: `trang_thai = "cho-duyet"` (sent for review) or `"tra-lai"` (sent back) beside
//! `draft = true`; approval sets `draft = false` and removes it ([`set_status`]).

use toml_edit::{value, Array, DocumentMut, Item, Table};

use crate::content::front_matter::{self, Split};
use crate::content::keys::FileKind;
use crate::content::page::PageFrontMatter;

/// What the form needs from the site: sections, areas and projects by name, existing terms.
#[derive(Debug, Default, Clone)]
pub struct Choices {
    /// (folder under content/, title), every section.
    pub sections: Vec<(String, String)>,
    /// (id, name).
    pub areas: Vec<(String, String)>,
    /// (id, label: "Dự án 8 – name").
    pub projects: Vec<(String, String)>,
    /// (front-matter key, title, existing term names).
    pub taxonomies: Vec<(String, String, Vec<String>)>,
    /// The shortcode pickers' entries (figures, charts, documents).
    pub pickers: super::tools::Pickers,
}

/// The form's fields, as typed (strings) or chosen.
#[derive(Debug, Default, Clone)]
pub struct Fields {
    pub title: String,
    /// `YYYY-MM-DDTHH:MM` (the value of a `datetime-local` input), or empty.
    pub date: String,
    pub description: String,
    pub draft: bool,
    pub areas: Vec<String>,
    pub projects: Vec<String>,
    /// (taxonomy key, comma-separated terms).
    pub terms: Vec<(String, String)>,
    pub body: String,
    /// `authors` as written (shown, not edited).
    pub authors: Vec<String>,
    /// `trang_thai` as written (`cho-duyet`, `tra-lai`), or empty.
    pub status: String,
}

/// A field's error, to show next to it: (field name, Vietnamese sentence).
pub type FieldError = (&'static str, String);

fn strings(item: Option<&Item>) -> Vec<String> {
    item.and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The form's view of a date value (TOML date, date-time or string).
fn date_field(item: Option<&Item>) -> String {
    let Some(v) = item.and_then(Item::as_value) else {
        return String::new();
    };
    let text = match v.as_str() {
        Some(s) => s.to_string(),
        None => v.to_string().trim().to_string(),
    };
    crate::locale::date::parse_date_value(&text)
        .map(|d| d.format("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or(text)
}

/// Reads a file into the form's fields. Errors: why its front matter cannot be read (then the
/// editor offers the whole text instead).
pub fn read(text: &str, choices: &Choices) -> Result<Fields, String> {
    let split = front_matter::split(text).map_err(|e| e.to_diagnostic("").message)?;
    let doc: DocumentMut = split
        .front_matter
        .parse()
        .map_err(|e: toml_edit::TomlError| e.message().to_string())?;
    let tax = doc.get("taxonomies").and_then(Item::as_table_like);
    Ok(Fields {
        title: doc.get("title").and_then(Item::as_str).unwrap_or("").into(),
        date: date_field(doc.get("date")),
        description: doc
            .get("description")
            .and_then(Item::as_str)
            .unwrap_or("")
            .into(),
        draft: doc.get("draft").and_then(Item::as_bool).unwrap_or(false),
        areas: strings(doc.get("areas")),
        projects: strings(doc.get("projects")),
        terms: choices
            .taxonomies
            .iter()
            .map(|(key, _, _)| {
                (
                    key.clone(),
                    strings(tax.and_then(|t| t.get(key))).join(", "),
                )
            })
            .collect(),
        body: split.body.trim_start_matches('\n').to_string(),
        authors: strings(doc.get("authors")),
        status: doc
            .get("trang_thai")
            .and_then(Item::as_str)
            .unwrap_or("")
            .into(),
    })
}

/// The form's fields from a POSTed form (`field` reads one value, `all` every value of a name).
pub fn from_form<'a>(
    field: impl Fn(&str) -> &'a str,
    all: impl Fn(&str) -> Vec<String>,
    choices: &Choices,
) -> Fields {
    Fields {
        title: crate::locale::normalize_text(field("tieu_de").trim()),
        date: field("ngay").trim().to_string(),
        description: field("mo_ta").trim().to_string(),
        draft: !field("nhap").is_empty(),
        areas: all("dia_ban"),
        projects: all("du_an"),
        terms: choices
            .taxonomies
            .iter()
            .map(|(key, _, _)| (key.clone(), field(&format!("tax_{key}")).to_string()))
            .collect(),
        body: field("noi_dung").replace("\r\n", "\n"),
        authors: Vec::new(),
        status: String::new(),
    }
}

/// The checks the form can make itself, each error next to its field.
pub fn validate(f: &Fields, choices: &Choices) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if f.title.is_empty() {
        errors.push(("tieu_de", "Tiêu đề không được để trống.".to_string()));
    }
    if !f.date.is_empty() && crate::locale::date::parse_date_value(&f.date).is_none() {
        errors.push((
            "ngay",
            format!(
                "Ngày \"{}\" không đúng dạng; chọn ngày và giờ trong ô, ví dụ 18/07/2024 09:30.",
                f.date
            ),
        ));
    }
    // Without data files there is nothing to check ids against (the build does not either).
    for a in f.areas.iter().filter(|_| !choices.areas.is_empty()) {
        if !choices.areas.iter().any(|(id, _)| id == a) {
            errors.push((
                "dia_ban",
                format!("Không có địa bàn \"{a}\" trong số liệu của trang."),
            ));
        }
    }
    for p in f.projects.iter().filter(|_| !choices.projects.is_empty()) {
        if !choices.projects.iter().any(|(id, _)| id == p) {
            errors.push((
                "du_an",
                format!("Không có dự án \"{p}\" trong số liệu của trang."),
            ));
        }
    }
    errors
}

fn string_array(items: &[String]) -> Item {
    let mut a = Array::new();
    for s in items {
        a.push(s.as_str());
    }
    value(a)
}

/// The TOML value of the form's date: a plain date at midnight, else a local date-time.
fn date_item(date: &str) -> Option<Item> {
    let d = crate::locale::date::parse_date_value(date)?;
    let naive = d.naive_local();
    let text = if naive.time() == chrono::NaiveTime::MIN {
        naive.format("%Y-%m-%d").to_string()
    } else {
        naive.format("%Y-%m-%dT%H:%M:%S").to_string()
    };
    text.parse::<toml_edit::Datetime>().ok().map(value)
}

/// Sets a key; an existing key keeps its place and the comments above it.
fn set(t: &mut Table, key: &str, item: Item) {
    match t.get_mut(key) {
        Some(old) => *old = item,
        None => {
            t.insert(key, item);
        }
    }
}

/// Sets an array key, or removes it when empty and absent before.
fn set_list(t: &mut Table, key: &str, items: &[String]) {
    if items.is_empty() && !t.contains_key(key) {
        return;
    }
    set(t, key, string_array(items));
}

/// The file's new text: `old` (the current file, `None` for a new one) with the form's fields
/// set and everything else kept.
/// `owner`, for a new article: (display name for `authors`, account for `tai_khoan`).
pub fn write(old: Option<&str>, f: &Fields, owner: Option<(&str, &str)>) -> Result<String, String> {
    let old_fm = match old {
        Some(text) => Some(
            front_matter::split(text)
                .map_err(|e| e.to_diagnostic("").message)?
                .front_matter
                .to_string(),
        ),
        None => None,
    };
    let mut doc: DocumentMut = old_fm
        .as_deref()
        .unwrap_or("title = \"\"\ndate = 2000-01-01\ndescription = \"\"\ndraft = true\n")
        .parse()
        .map_err(|e: toml_edit::TomlError| e.message().to_string())?;
    let t = doc.as_table_mut();
    set(t, "title", value(f.title.as_str()));
    // An unchanged date stays as written (an offset such as +07:00 or Z, which the form's
    // local date-time cannot show, is kept).
    let unchanged = t.contains_key("date") && date_field(t.get("date")) == f.date;
    match date_item(&f.date) {
        _ if unchanged => {}
        Some(d) => set(t, "date", d),
        None => {
            t.remove("date");
        }
    }
    set(t, "description", value(f.description.as_str()));
    // `draft = false` is the default: not added to a file that never said it.
    if f.draft || t.contains_key("draft") {
        set(t, "draft", value(f.draft));
    }
    // Published: no longer in review.
    if !f.draft {
        t.remove("trang_thai");
    }
    if let Some((display, account)) = owner {
        set(t, "authors", string_array(&[display.to_string()]));
        set(t, "tai_khoan", value(account));
    }
    set_list(t, "areas", &f.areas);
    set_list(t, "projects", &f.projects);
    write_terms(t, &f.terms);
    let fm = doc.to_string();
    let body = f.body.trim_end();
    Ok(format!("+++\n{}\n+++\n\n{body}\n", fm.trim_end()))
}

fn write_terms(t: &mut Table, terms: &[(String, String)]) {
    let has_any = terms.iter().any(|(_, v)| !v.trim().is_empty());
    if !has_any && !t.contains_key("taxonomies") {
        return;
    }
    let tax = t
        .entry("taxonomies")
        .or_insert_with(toml_edit::table)
        .as_table_mut();
    let Some(tax) = tax else { return };
    for (key, typed) in terms {
        let list: Vec<String> = typed
            .split(',')
            .map(|s| crate::locale::normalize_text(s.trim()))
            .filter(|s| !s.is_empty())
            .collect();
        set_list(tax, key, &list);
    }
}

/// The build's own check of a finished text: the first problem, as a sentence.
pub fn check(text: &str, file: &str) -> Result<(), String> {
    let split: Split = front_matter::split(text).map_err(|e| e.to_diagnostic(file).to_string())?;
    front_matter::parse::<PageFrontMatter>(&split, file, FileKind::Page)
        .map(|_| ())
        .map_err(|d| {
            d.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
}

/// What the role rules need to know of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    pub draft: bool,
    /// `tai_khoan` names the account (or, without `tai_khoan`, `authors` does).
    pub own: bool,
    /// `trang_thai = "cho-duyet"`: sent for review.
    pub in_review: bool,
}

/// The file's [`Standing`] for account `user`; a text that cannot be read is none of these.
pub fn standing(text: &str, user: &str) -> Standing {
    let Ok(split) = front_matter::split(text) else {
        return Standing::default();
    };
    let Ok(doc) = split.front_matter.parse::<DocumentMut>() else {
        return Standing::default();
    };
    let own = match doc.get("tai_khoan").and_then(Item::as_str) {
        Some(account) => account == user,
        None => strings(doc.get("authors")).iter().any(|a| a == user),
    };
    Standing {
        draft: doc.get("draft").and_then(Item::as_bool).unwrap_or(false),
        own,
        in_review: doc.get("trang_thai").and_then(Item::as_str) == Some("cho-duyet"),
    }
}

/// (a draft?, owned by `user`?), see [`standing`].
pub fn draft_and_own(text: &str, user: &str) -> (bool, bool) {
    let s = standing(text, user);
    (s.draft, s.own)
}

/// The text with `draft` and `trang_thai` set (`None` removes it), everything else kept.
pub fn set_status(text: &str, draft: bool, status: Option<&str>) -> Result<String, String> {
    let split = front_matter::split(text).map_err(|e| e.to_diagnostic("").message)?;
    let mut doc: DocumentMut = split
        .front_matter
        .parse()
        .map_err(|e: toml_edit::TomlError| e.message().to_string())?;
    let t = doc.as_table_mut();
    if draft || t.contains_key("draft") {
        set(t, "draft", value(draft));
    }
    match status {
        Some(s) => set(t, "trang_thai", value(s)),
        None => {
            t.remove("trang_thai");
        }
    }
    let body = split.body.trim_start_matches('\n').trim_end();
    Ok(format!(
        "+++\n{}\n+++\n\n{body}\n",
        doc.to_string().trim_end()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_comments_stay() {
        let old = "+++\n# do not touch\ntitle = \"Cũ\"\nweight = 3\ndate = 2024-07-18T08:00:00Z\n[extra]\nx = 1\n+++\n\nThân bài.\n";
        let choices = Choices {
            taxonomies: vec![("tags".into(), "Thẻ".into(), vec![])],
            ..Choices::default()
        };
        let mut f = read(old, &choices).unwrap();
        assert_eq!(f.date, "2024-07-18T08:00");
        f.title = "Mới".into();
        f.terms[0].1 = "a, b".into();
        f.body = "Thân mới.".into();
        let new = write(Some(old), &f, None).unwrap();
        assert!(
            new.contains(
                "# do not touch\ntitle = \"Mới\"\nweight = 3\ndate = 2024-07-18T08:00:00Z\n"
            ),
            "{new}"
        );
        assert!(new.contains("[extra]\nx = 1\n"), "{new}");
        assert!(new.contains("[taxonomies]\ntags = [\"a\", \"b\"]"), "{new}");
        assert!(new.ends_with("+++\n\nThân mới.\n"), "{new}");
        check(&new, "a.md").unwrap();
    }
}
