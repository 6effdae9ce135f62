//! The ids the templates write themselves (`<main id="noi-dung">`, the title's
//! `id="tieu-de-bai"`). A page's ids must be unique on the whole rendered page, so the
//! Markdown stage keeps headings off them; and a link may point at them (`#noi-dung`), so the
//! anchor check accepts those of the page's template.
//!
//! Only literal values count (`id="noi-dung"`, not `id="cap-{{ level.id }}"`): they are read
//! from the template sources, following `extends`, `include` and the components a template
//! calls (to the file that defines them).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::diag::display_path;

/// The template files of a site: the theme's, then the site's `templates/` overriding them
/// file by file. Name (`partials/x.html`) → file.
pub fn template_files(theme_dir: &Path, root: &Path) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for dir in [theme_dir.join("templates"), root.join("templates")] {
        if !dir.is_dir() {
            continue;
        }
        let entries = crate::fsutil::walk_sorted(&dir)
            .into_iter()
            .filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                e.depth() == 0 || !(n.starts_with('.') || n.ends_with('~'))
            })
            .flatten();
        for e in entries {
            if e.file_type().is_file() {
                files.insert(display_path(&dir, e.path()), e.path().to_path_buf());
            }
        }
    }
    files
}

/// The literal ids of a site's templates.
#[derive(Debug, Clone, Default)]
pub struct TemplateIds {
    /// Every literal id of every template: the body's ids avoid all of them.
    pub all: HashSet<String>,
    /// Per template, its own ids and those of what it extends, includes and imports.
    by_template: HashMap<String, Vec<String>>,
}

/// A site's templates, read once per load: Tera name → (file, its text or why it could not be
/// read). The ids here, the renderer and the template checks all use these texts.
pub type Templates = BTreeMap<String, (PathBuf, Result<String, String>)>;

/// Reads the templates [`template_files`] lists.
pub fn read_templates(theme_dir: &Path, root: &Path) -> Templates {
    template_files(theme_dir, root)
        .into_iter()
        .map(|(name, path)| {
            let text = crate::fsutil::read_to_string(&path).map_err(|e| e.to_string());
            (name, (path, text))
        })
        .collect()
}

impl TemplateIds {
    /// The ids of the site's templates (an unreadable one counts as empty: the template stage
    /// reports it).
    pub fn new(templates: &Templates) -> TemplateIds {
        TemplateIds::from_sources(
            templates
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_deref().unwrap_or(""))),
        )
    }

    /// From (name, source) pairs.
    pub fn from_sources<'a>(sources: impl IntoIterator<Item = (&'a str, &'a str)>) -> TemplateIds {
        let sources: Vec<(&str, &str)> = sources.into_iter().collect();
        // a component is defined once for all templates; using it brings its file's ids
        let defined_in: HashMap<&str, &str> = sources
            .iter()
            .flat_map(|&(name, text)| component_definitions(text).map(move |c| (c, name)))
            .collect();
        let own: HashMap<&str, (Vec<String>, Vec<&str>)> = sources
            .iter()
            .map(|&(name, text)| {
                let mut refs = references(text);
                refs.extend(component_calls(text).filter_map(|c| defined_in.get(c).copied()));
                (name, (literal_ids(text), refs))
            })
            .collect();
        let mut by_template = HashMap::new();
        let mut all = HashSet::new();
        for name in own.keys() {
            let mut ids = BTreeSet::new();
            let mut seen = HashSet::new();
            let mut stack = vec![*name];
            while let Some(t) = stack.pop() {
                if !seen.insert(t) {
                    continue;
                }
                if let Some((list, refs)) = own.get(t) {
                    ids.extend(list.iter().cloned());
                    stack.extend(refs.iter().copied());
                }
            }
            all.extend(ids.iter().cloned());
            by_template.insert(name.to_string(), ids.into_iter().collect());
        }
        TemplateIds { all, by_template }
    }

    /// The ids a page rendered with `template` carries around its body.
    pub fn of(&self, template: &str) -> &[String] {
        self.by_template.get(template).map_or(&[], Vec::as_slice)
    }
}

/// Values of `id="…"` / `id='…'` attributes without template code in them.
fn literal_ids(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = text[from..].find("id=") {
        let at = from + p;
        from = at + 3;
        let word_start = at == 0 || b[at - 1].is_ascii_whitespace();
        let Some(&q @ (b'"' | b'\'')) = b.get(at + 3) else {
            continue;
        };
        if !word_start {
            continue;
        }
        let Some(len) = text[at + 4..].find(q as char) else {
            break;
        };
        let value = &text[at + 4..at + 4 + len];
        if !value.is_empty() && !value.contains(['{', '}']) {
            out.push(value.to_string());
        }
        from = at + 4 + len;
    }
    out
}

/// Templates named by `{% extends "…" %}`, `{% include "…" %}` and `{% import "…" as m %}`.
fn references(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("{%") {
        let rest = text[i + 2..].trim_start_matches('-').trim_start();
        let Some(rest) = ["extends", "include", "import"]
            .iter()
            .find_map(|k| rest.strip_prefix(k))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(q @ ('"' | '\'')) = rest.chars().next() else {
            continue;
        };
        if let Some(end) = rest[1..].find(q) {
            out.push(&rest[1..1 + end]);
        }
    }
    out
}

/// Names of the components `text` defines: `{% component name(…) %}`.
fn component_definitions(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices("{%").filter_map(move |(i, _)| {
        let rest = text[i + 2..].trim_start_matches('-').trim_start();
        let rest = rest.strip_prefix("component")?;
        let rest = rest.strip_prefix(char::is_whitespace)?.trim_start();
        Some(component_name(rest)).filter(|n| !n.is_empty())
    })
}

/// Names of the components `text` calls: `{{ <name … /> }}` and `{% <name …> %}`.
fn component_calls(text: &str) -> impl Iterator<Item = &str> {
    ["{{", "{%"].into_iter().flat_map(move |open| {
        text.match_indices(open).filter_map(move |(i, _)| {
            let rest = text[i + 2..].trim_start_matches('-').trim_start();
            let rest = rest.strip_prefix('<')?;
            Some(component_name(rest)).filter(|n| !n.is_empty())
        })
    })
}

/// The (dotted) component name at the start of `s`.
fn component_name(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(s.len());
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_ids_and_references() {
        let t = r#"{% extends "base.html" %}{%- include 'partials/a.html' -%}{% import "m.html" as m %}
<h1 id="tieu-de" class="x">{{ t }}</h1><div data-id="no" id='mot'></div>
<section id="cap-{{ l.id }}"></section><p id="">x</p><a grid="x">"#;
        assert_eq!(literal_ids(t), vec!["tieu-de", "mot"]);
        assert_eq!(
            references(t),
            vec!["base.html", "partials/a.html", "m.html"]
        );
    }

    #[test]
    fn ids_follow_extends_and_includes_once() {
        let src = |n: &'static str, t: &'static str| (n, t);
        let ids = TemplateIds::from_sources([
            src(
                "base.html",
                r#"<main id="noi-dung">{% block c %}{% endblock %}</main>{% include "p.html" %}"#,
            ),
            src("p.html", r#"<nav id="menu"></nav>{% include "p.html" %}"#),
            src(
                "page.html",
                r#"{% extends "base.html" %}<h1 id="tieu-de-bai"></h1>"#,
            ),
            src("overview.html", r#"<h2 id="xep-hang"></h2>"#),
        ]);
        assert_eq!(ids.of("page.html"), ["menu", "noi-dung", "tieu-de-bai"]);
        assert_eq!(ids.of("overview.html"), ["xep-hang"]);
        assert!(ids.of("khong-co.html").is_empty());
        assert_eq!(ids.all.len(), 4);
    }

    #[test]
    fn components_bring_the_ids_of_the_file_defining_them() {
        let src = |n: &'static str, t: &'static str| (n, t);
        let ids = TemplateIds::from_sources([
            src(
                "macros.html",
                "{% component tai_ve(ds) %}<h2 id=\"tai-ve\"></h2>{% endcomponent tai_ve %}\n{%- component ui.hop() %}<div id=\"hop\">{{ body }}</div>{% endcomponent ui.hop %}",
            ),
            src("area.html", "<h1 id=\"a\"></h1>{{ <tai_ve ds={x} /> }}"),
            src("project.html", "{%- <ui.hop> %}x{% </ui.hop> %}"),
            src("page.html", "<p>{{ a < b }}</p>"),
        ]);
        assert_eq!(ids.of("area.html"), ["a", "hop", "tai-ve"]);
        assert_eq!(ids.of("project.html"), ["hop", "tai-ve"]);
        assert!(ids.of("page.html").is_empty());
        assert_eq!(
            component_definitions("{% component a.b(x) %}{%component c() %}{% components %}")
                .collect::<Vec<_>>(),
            ["a.b", "c"]
        );
    }
}
