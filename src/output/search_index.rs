//! The search index: every article and data page as a `SearchDoc`, then the files of
//! `crate::search` (meta, word shards, text chunks) written under `tim-kiem/chi-muc/`.

use rayon::prelude::*;

use crate::locale::{format_datetime, DateStyle};
use crate::render::data_pages::{area_path, project_label, project_path};
use crate::search::SearchDoc;
use crate::site::Site;

/// Plain text of rendered HTML: tags dropped, `<svg>`, `<script>` and `<style>` contents
/// skipped (chart labels would only add noise), the common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&rest[..lt]);
        }
        let after = &rest[lt..];
        let end = after.find('>').map_or(after.len(), |i| i + 1);
        let tag = after[..end].to_ascii_lowercase();
        match skip_until {
            Some(close) if tag.starts_with(close) => skip_until = None,
            Some(_) => {}
            None => {
                for (open, close) in [
                    ("<svg", "</svg"),
                    ("<script", "</script"),
                    ("<style", "</style"),
                ] {
                    if tag.starts_with(open) && !tag.ends_with("/>") {
                        skip_until = Some(close);
                    }
                }
                out.push(' ');
            }
        }
        rest = &after[end..];
    }
    if skip_until.is_none() {
        out.push_str(rest);
    }
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Search documents for the site: articles newest first, then areas and projects.
pub fn documents(site: &Site) -> Vec<SearchDoc> {
    let cfg = &site.config;
    let data = site.data.as_ref();
    let mut docs: Vec<SearchDoc> = site
        .by_date
        .par_iter()
        .map(|&i| {
            let p = &site.pages[i];
            let section = &site.section_of(i).section;
            let areas = p
                .meta
                .areas
                .iter()
                .map(|a| {
                    data.and_then(|d| d.area(a.get_ref()))
                        .map_or_else(|| a.get_ref().clone(), |a| a.name.clone())
                })
                .collect();
            let projects = p
                .meta
                .projects
                .iter()
                .map(|a| {
                    data.and_then(|d| {
                        d.project_index
                            .get(a.get_ref())
                            .map(|&i| project_label(d, i))
                    })
                    .unwrap_or_else(|| a.get_ref().clone())
                })
                .collect();
            SearchDoc {
                url: cfg.url(&p.path),
                title: p.title.clone(),
                date: p.date.map(|d| format_datetime(&d, DateStyle::Short)),
                section: section.title.clone(),
                section_id: section.dir.clone(),
                areas,
                projects,
                kind: "bai-viet".into(),
                text: format!("{} {}", p.description, html_to_text(&p.rendered.html)),
            }
        })
        .collect();
    if let Some(d) = data {
        for a in &d.areas {
            docs.push(SearchDoc {
                url: cfg.url(&area_path(&a.id)),
                title: a.name.clone(),
                date: None,
                section: "Địa bàn".into(),
                section_id: "dia-ban".into(),
                areas: vec![a.name.clone()],
                projects: Vec::new(),
                kind: "dia-ban".into(),
                text: format!(
                    "{} {} {} {}",
                    a.name,
                    a.short_name,
                    a.level.label(),
                    a.aliases.join(" ")
                ),
            });
        }
        for (i, p) in d.projects.iter().enumerate() {
            docs.push(SearchDoc {
                url: cfg.url(&project_path(&p.id)),
                title: format!("{}: {}", project_label(d, i), p.name),
                date: None,
                section: "Dự án".into(),
                section_id: "du-an".into(),
                areas: Vec::new(),
                projects: vec![project_label(d, i)],
                kind: "du-an".into(),
                text: format!(
                    "{} {} {}",
                    p.name, p.lead_agency, d.programs[p.program].name
                ),
            });
        }
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::html_to_text;

    #[test]
    fn text_of_html() {
        assert_eq!(
            html_to_text("<p>Bình <em>đẳng</em> giới &amp; trẻ em</p><figure><svg><text>999</text></svg><table><td>3.829</td></table></figure>"),
            "Bình đẳng giới & trẻ em 3.829"
        );
    }
}
