//! Checks that run between planning and writing, each returning diagnostics: output paths safe
//! on every host, templates named by content that exist (tera itself refuses templates that
//! use unknown filters, functions or includes: `render::errors`), Markdown nested too deep,
//! symlinks among the
//! templates, SVG pictures that would run script ([`svg`]). They turn what would fail (or
//! panic, or write outside the output, or run in readers' browsers) half-way through rendering
//! into located messages before anything is written.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use tera::Tera;

use crate::diag::{display_path, Diagnostic};
use crate::plan::Job;
use crate::site::Site;

pub mod svg;

/// Every check of a planned site, in the order they are reported. `build` and `serve` both run
/// this, so the preview refuses what the build would refuse. `diags` already holds the
/// diagnostics of loading and planning (cascades among them are hidden here).
pub fn planned_site(site: &Site, jobs: &[Job], diags: &mut Vec<Diagnostic>) {
    diags.extend(crate::plan::check_links(site, jobs));
    hide_cascades(site, diags);
    // a file that already has an error (an invalid slug, a device name) is not reported twice
    let path_problems: Vec<Diagnostic> = job_paths(site, jobs)
        .into_iter()
        .filter(|d| {
            !diags
                .iter()
                .any(|e| e.is_error() && e.file.is_some() && e.file == d.file)
        })
        .collect();
    diags.extend(path_problems);
    diags.extend(markdown_problems(site));
    diags.extend(template_symlinks(site));
    diags.extend(svg::active_svgs(site, jobs));
}

/// The checks that need the loaded templates: templates named by content. (Unknown filters,
/// functions, tests, components and includes are refused by tera when it loads the templates,
/// each at its place.) Shared by `build` and `serve` like [`planned_site`].
pub fn loaded_templates(site: &Site, tera: &Tera) -> Vec<Diagnostic> {
    content_templates(site, tera)
}

pub use crate::paths::{segment_problem, MAX_SEGMENT, RESERVED_NAMES};

/// Every planned output path must stay inside the output directory and be creatable on
/// Windows, macOS and Linux hosts. Reported once per offending folder or file, at the source
/// that produces it (for a tag page: the first article carrying the tag, at the tag).
pub fn job_paths(site: &Site, jobs: &[Job]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for j in jobs {
        let (bad_prefix, why) = if j.output.starts_with('/') || j.output.is_empty() {
            (j.output.clone(), "đường dẫn tuyệt đối hoặc rỗng")
        } else {
            let mut prefix = String::new();
            let mut found = None;
            for seg in j.output.split('/') {
                prefix.push_str(seg);
                if let Some(why) = segment_problem(seg) {
                    found = Some(why);
                    break;
                }
                prefix.push('/');
            }
            match found {
                Some(why) => (prefix, why),
                None => continue,
            }
        };
        if !seen.insert(bad_prefix.clone()) {
            continue;
        }
        let mut d = Diagnostic::error(format!(
            "không thể tạo \"{}\": {why}",
            truncate(&bad_prefix, 120)
        ))
        .hint("đổi tên tệp/thư mục, slug, thẻ hoặc mã tương ứng: chỉ dùng chữ thường không dấu, số và gạch ngang, tránh các tên con, aux, nul, com1, lpt1");
        use crate::plan::{FeedScope, JobKind};
        let term_of = match &j.kind {
            JobKind::Term { taxonomy, term, .. }
            | JobKind::Feed {
                scope: FeedScope::Term { taxonomy, term },
                ..
            } => Some((taxonomy, term)),
            _ => None,
        };
        if let Some((taxonomy, term)) = term_of {
            let t = &site.taxonomies[*taxonomy];
            let term = &t.terms[*term];
            if let Some(&pi) = term.pages.first() {
                let p = &site.pages[pi];
                let value = p.meta.taxonomies.get(&t.config.name).and_then(|vs| {
                    vs.iter()
                        .find(|v| crate::locale::slugify(v.get_ref().trim()) == term.slug)
                });
                d = d
                    .in_file(p.source.display.clone())
                    .at_opt(value.and_then(|v| p.fm_position(v.span().start)));
            }
        } else if let Some(s) = &j.source {
            d = d.in_file(s.clone());
        }
        out.push(d);
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n).collect::<String>() + "…"
    }
}

/// Problems the Markdown stage recorded (nesting too deep), as diagnostics.
pub fn markdown_problems(site: &Site) -> Vec<Diagnostic> {
    let pages = site
        .pages
        .iter()
        .chain(site.translations.iter().map(|t| &t.page))
        .map(|p| (&p.source.display, &p.rendered));
    let sections = site
        .sections
        .iter()
        .map(|s| (&s.section.source.display, &s.section.rendered));
    pages
        .chain(sections)
        .flat_map(|(file, r)| {
            r.problems.iter().map(move |p| {
                Diagnostic::error(p.message.clone())
                    .in_file(file.clone())
                    .at(p.line, p.column)
                    .hint(p.hint.clone())
            })
        })
        .collect()
}

/// Line and column of `key = …` in the front matter of `text` (a content file).
fn front_matter_key(text: &str, key: &str) -> Option<(usize, usize)> {
    let mut delimiters = 0;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start_matches('\u{feff}').trim();
        if t == "+++" {
            delimiters += 1;
            if delimiters == 2 {
                return None;
            }
            continue;
        }
        if let Some(rest) = t.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                let col = line.chars().take_while(|c| c.is_whitespace()).count() + 1;
                return Some((i + 1, col));
            }
        }
    }
    None
}

/// Templates named in front matter (`template`, `page_template`) must exist.
pub fn content_templates(site: &Site, tera: &Tera) -> Vec<Diagnostic> {
    let names: BTreeSet<&str> = tera.get_template_names().collect();
    let mut out = Vec::new();
    let mut check = |name: &str, key: &str, file: &str, text: Option<&str>| {
        if names.contains(name) {
            return;
        }
        let pos = text.and_then(|t| front_matter_key(t, key));
        let choices: Vec<&str> = names
            .iter()
            .copied()
            .filter(|n| n.ends_with(".html") && !n.contains('/'))
            .collect();
        let hint = match crate::diag::did_you_mean(name, choices.iter().copied()) {
            Some(s) => format!("có phải ý bạn là \"{s}\"? hoặc tạo tệp templates/{name}"),
            None => format!(
                "tạo tệp templates/{name}, hoặc dùng một mẫu có sẵn: {}",
                choices.join(", ")
            ),
        };
        out.push(
            Diagnostic::error(format!("{key} = \"{name}\": không có mẫu giao diện này"))
                .in_file(file)
                .at_opt(pos)
                .hint(hint),
        );
    };
    for p in site
        .pages
        .iter()
        .chain(site.translations.iter().map(|t| &t.page))
    {
        if let Some(t) = &p.meta.template {
            let fm = "\n".repeat(p.front_matter_line_offset) + &p.front_matter;
            check(t, "template", &p.source.display, Some(&fm));
        }
    }
    for s in &site.sections {
        let meta = &s.section.meta;
        if meta.template.is_none() && meta.page_template.is_none() {
            continue;
        }
        let text = std::fs::read_to_string(&s.section.source.path).ok();
        if let Some(t) = &meta.template {
            check(t, "template", &s.section.source.display, text.as_deref());
        }
        if let Some(t) = &meta.page_template {
            check(
                t,
                "page_template",
                &s.section.source.display,
                text.as_deref(),
            );
        }
    }
    out
}

/// Template file names (Tera names) → (display path, source text), theme first, then the
/// site's `templates/` overriding it, as the renderer loads them.
fn template_sources(site: &Site) -> BTreeMap<String, (String, String)> {
    site.templates
        .iter()
        .map(|(name, (path, text))| {
            let text = text.clone().unwrap_or_default();
            (name.clone(), (display_path(&site.root, path), text))
        })
        .collect()
}

/// Symlinks among the templates are not followed: reported, like those in `content/`.
pub fn template_symlinks(site: &Site) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for dir in [site.theme_dir.clone(), site.root.join("templates")] {
        if !dir.exists() {
            continue;
        }
        for e in crate::fsutil::walk_sorted(&dir).into_iter().flatten() {
            if e.path_is_symlink() {
                out.push(
                    Diagnostic::error("liên kết tượng trưng (symlink) không được theo")
                        .in_file(display_path(&site.root, e.path()))
                        .hint("sao chép tệp thật vào thư mục giao diện thay cho liên kết"),
                );
            }
        }
    }
    out
}

/// 1-based line and column of the first place `needle` occurs inside a `{{ … }}` or
/// `{% … %}` tag of `text` where `accept(before, after)` holds.
fn find_in_tags(
    text: &str,
    needle: &str,
    accept: impl Fn(&str, &str) -> bool,
) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(i) = text[from..].find(needle) {
        let at = from + i;
        let before = &text[..at];
        let after = &text[at + needle.len()..];
        let word_start = !before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let word_end = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_');
        let last_open = before.rfind("{{").max(before.rfind("{%"));
        let last_close = before.rfind("}}").max(before.rfind("%}"));
        let in_tag = last_open.is_some() && last_open > last_close;
        if word_start && word_end && in_tag && accept(before, after) {
            return Some(crate::diag::line_col(text, at));
        }
        from = at + needle.len();
    }
    None
}

/// Template errors Tera reports without a line (a missing parent template, an error inside a
/// cached partial): finds the line in the template (or, when the name is not there, in the
/// template that has it).
pub fn locate_template_errors(site: &Site, diags: &mut [Diagnostic]) {
    let mut sources: Option<BTreeMap<String, (String, String)>> = None;
    for d in diags.iter_mut() {
        if d.line.is_some() || !d.message.contains("mẫu giao diện") {
            continue;
        }
        let Some(needle) = error_subject(&d.message) else {
            continue;
        };
        let sources = sources.get_or_insert_with(|| template_sources(site));
        let own = d.file.clone().unwrap_or_default();
        let mut ordered: Vec<&(String, String)> =
            sources.values().filter(|(f, _)| *f == own).collect();
        ordered.extend(sources.values().filter(|(f, _)| *f != own));
        for (file, text) in ordered {
            if let Some(pos) = find_in_tags(text, &needle, |_, _| true) {
                d.file = Some(file.clone());
                d.line = Some(pos.0);
                d.column = Some(pos.1);
                break;
            }
        }
        // Tera's English for the usual case, in the staff's language.
        if d.message
            .contains(&format!("Variable `{needle}` not found"))
        {
            let template = d.message.split('"').nth(1).unwrap_or_default().to_string();
            d.message = format!(
                "mẫu giao diện \"{template}\" dùng biến \"{needle}\" không có trong dữ liệu của trang"
            );
            d.hint = Some("kiểm tra tên biến (xem docs/templates.md), hoặc viết {{ biến | default(value=\"\") }} / {% if biến %} cho giá trị có thể thiếu".into());
        }
    }
}

/// The name Tera's message is about: "Variable `x.y` not found", "Filter 'f' not found", …
fn error_subject(msg: &str) -> Option<String> {
    for (open, close) in [
        ("Variable `", '`'),
        ("Filter '", '\''),
        ("Function '", '\''),
        ("Test '", '\''),
        ("is inheriting from '", '\''),
        ("Template '", '\''),
    ] {
        if let Some(rest) = msg.split(open).nth(1) {
            if let Some((name, _)) = rest.split_once(close) {
                if !name.is_empty() {
                    return Some(name.to_string());
                }
            }
        }
    }
    None
}

/// When a data file could not be read, every article, report and shortcode naming its ids
/// would add an "unknown id" error (30 of them for a typo in `areas.toml`), burying the one
/// that matters. Those follow-on errors are hidden and counted on the broken file.
pub fn hide_cascades(site: &Site, diags: &mut Vec<Diagnostic>) {
    let Some(data) = &site.data else { return };
    let data_dir = site.root.join("content").join(crate::config::DATA_DIR);
    let hide = |diags: &mut Vec<Diagnostic>, file: &str, needles: &[String]| -> usize {
        let before = diags.len();
        diags.retain(|d| {
            d.file.as_deref() == Some(file)
                || !needles.iter().any(|n| d.message.contains(n.as_str()))
        });
        before - diags.len()
    };
    // (broken file, number of messages hidden because of it)
    let mut broken: Vec<(String, usize)> = Vec::new();
    for (name, empty, needles) in [
        (
            "areas.toml",
            data.areas.is_empty(),
            &["không có địa bàn", "trỏ tới \"/dia-ban/"][..],
        ),
        (
            "programs.toml",
            data.projects.is_empty(),
            &[
                "không có dự án",
                "không có chương trình",
                "trỏ tới \"/du-an/",
            ][..],
        ),
    ] {
        let file = format!("content/data/{name}");
        if empty && data_dir.join(name).is_file() && has_error(diags, &file) {
            let needles: Vec<String> = needles.iter().map(|s| s.to_string()).collect();
            let n = hide(diags, &file, &needles);
            broken.push((file, n));
        }
    }
    if let Ok(rd) = std::fs::read_dir(data_dir.join("reports")) {
        let mut ids: Vec<String> = rd
            .flatten()
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_suffix(".toml"))
                    .map(str::to_string)
            })
            .collect();
        ids.sort();
        for id in ids {
            if data.report_index.contains_key(&id) {
                continue;
            }
            let file = format!("content/data/reports/{id}.toml");
            let needles = [format!("không có báo cáo \"{id}\"")];
            if has_error(diags, &file) {
                let n = hide(diags, &file, &needles);
                broken.push((file, n));
            } else if let Some((_, count)) = broken.first_mut() {
                // the report itself was only a victim of a broken areas/programs file
                *count += hide(diags, &file, &needles);
            }
        }
    }
    for (file, hidden) in broken {
        if hidden > 0 {
            diags.push(
                Diagnostic::error(format!(
                    "tệp này có lỗi nên {hidden} lỗi khác ở các tệp dùng đến nó đã được ẩn"
                ))
                .in_file(file)
                .hint("sửa lỗi của tệp này trước rồi dựng lại"),
            );
        }
    }
}

fn has_error(diags: &[Diagnostic], file: &str) -> bool {
    diags
        .iter()
        .any(|d| d.is_error() && d.file.as_deref() == Some(file))
}

/// A directory is safe to follow only when it is not a symlink (used for `content/`,
/// `static/`, `templates/` roots, which walkdir would follow).
pub fn is_symlink(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments() {
        for bad in [
            "",
            ".",
            "..",
            "con",
            "CON.html",
            "aux",
            "nul.txt",
            "com1",
            "a.",
            "a ",
            "a:b",
            "a\u{0}b",
            &"x".repeat(201),
        ] {
            assert!(segment_problem(bad).is_some(), "{bad:?}");
        }
        for ok in [
            "con-duong",
            "console",
            "tin-tuc",
            "index.html",
            "a.b.c",
            "lpt10",
        ] {
            assert!(segment_problem(ok).is_none(), "{ok:?}");
        }
    }

    #[test]
    fn finds_names_inside_tags_only() {
        let t = "khong_co\n{{ a | khong_co }}\n{% if khong_co(x=1) %}";
        assert_eq!(
            find_in_tags(t, "khong_co", |b, _| b.trim_end().ends_with('|')),
            Some((2, 8))
        );
        assert_eq!(
            find_in_tags(t, "khong_co", |_, a| a.starts_with('(')),
            Some((3, 7))
        );
        assert_eq!(
            error_subject("Failed: Variable `page.x` not found in"),
            Some("page.x".into())
        );
    }
}
