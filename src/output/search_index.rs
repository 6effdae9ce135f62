//! The search index: every article and data page as a `SearchDoc`, then the files of
//! `crate::search` (meta, word shards, text chunks) written under `tim-kiem/chi-muc/`.

use rayon::prelude::*;

use crate::locale::{format_datetime, DateStyle};
use crate::render::data_pages::{area_path, project_label, project_path};
use crate::search::SearchDoc;
use crate::site::Site;

/// Plain text of rendered HTML in one pass: tags dropped, `<svg>`, `<script>` and `<style>`
/// contents skipped (chart labels would only add noise), the common entities decoded,
/// whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    let mut skip_until: Option<&str> = None;
    let mut space = true;
    let push_text = |out: &mut String, text: &str, space: &mut bool| {
        let mut t = text;
        while !t.is_empty() {
            // ASCII delimiters only (byte search); rarer Unicode spaces stay inside words.
            let cut = t
                .bytes()
                .position(|b| matches!(b, b'&' | b' ' | b'\n' | b'\t' | b'\r'))
                .unwrap_or(t.len());
            if cut > 0 {
                out.push_str(&t[..cut]);
                *space = false;
                t = &t[cut..];
                continue;
            }
            let c = t.as_bytes()[0] as char;
            if c == '&' {
                const ENTITIES: [(&str, char); 8] = [
                    ("&amp;", '&'),
                    ("&lt;", '<'),
                    ("&gt;", '>'),
                    ("&quot;", '"'),
                    ("&#39;", '\''),
                    ("&#x27;", '\''),
                    ("&#x2F;", '/'),
                    ("&nbsp;", ' '),
                ];
                match ENTITIES.iter().find(|(e, _)| t.starts_with(e)) {
                    Some((e, ch)) => {
                        if *ch == ' ' {
                            if !*space {
                                out.push(' ');
                                *space = true;
                            }
                        } else {
                            out.push(*ch);
                            *space = false;
                        }
                        t = &t[e.len()..];
                    }
                    None => {
                        out.push('&');
                        *space = false;
                        t = &t[1..];
                    }
                }
            } else {
                if !*space {
                    out.push(' ');
                    *space = true;
                }
                t = &t[1..];
            }
        }
    };
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            push_text(&mut out, &rest[..lt], &mut space);
        }
        let after = &rest[lt..];
        let end = after.find('>').map_or(after.len(), |i| i + 1);
        let tag = &after[..end];
        let starts = |p: &str| tag.len() >= p.len() && tag[..p.len()].eq_ignore_ascii_case(p);
        match skip_until {
            Some(close) if starts(close) => skip_until = None,
            Some(_) => {}
            None => {
                for (open, close) in [
                    ("<svg", "</svg"),
                    ("<script", "</script"),
                    ("<style", "</style"),
                ] {
                    if starts(open) && !tag.ends_with("/>") {
                        skip_until = Some(close);
                    }
                }
                if !space {
                    out.push(' ');
                    space = true;
                }
            }
        }
        rest = &after[end..];
    }
    if skip_until.is_none() {
        push_text(&mut out, rest, &mut space);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Search documents for the site: articles newest first, then areas and projects.
pub fn documents(site: &Site) -> Vec<SearchDoc> {
    let cfg = &site.config;
    let data = site.data.as_ref();
    let mut docs: Vec<SearchDoc> = site
        .by_date
        .par_iter()
        .map(|&i| page_document(site, i))
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

/// The search document of article `i` (`serve` recomputes it for an edited article alone).
pub fn page_document(site: &Site, i: usize) -> SearchDoc {
    let cfg = &site.config;
    let data = site.data.as_ref();
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
