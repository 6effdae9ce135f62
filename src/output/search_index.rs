//! The search index: every article and data page as a `SearchDoc`, then the files of
//! `crate::search` (meta, word files, document files, filters) written under `tim-kiem/chi-muc/`.

use rayon::prelude::*;

use crate::locale::{format_datetime, DateStyle};
use crate::paths::{area_path, project_path};
use crate::search::SearchDoc;
use crate::site::Site;

/// Plain text of rendered HTML in one pass: tags dropped, `<svg>`, `<script>` and `<style>`
/// contents skipped (chart labels would only add noise), the common entities decoded,
/// whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    let b = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut skip_until: Option<&str> = None;
    let mut space = true;
    let mut i = 0;
    loop {
        // text up to the next tag
        i = match skip_until {
            None => push_text(&mut out, html, i, &mut space),
            Some(_) => html[i..].find('<').map_or(b.len(), |k| i + k),
        };
        if i == b.len() {
            break;
        }
        let end = b[i..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |k| i + k + 1);
        let tag = &html[i..end];
        let starts = |p: &str| {
            tag.len() >= p.len() && tag.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        };
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
        i = end;
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Appends the text of `html` from byte `from` up to the next `<` (or the end), whose position
/// it returns: ASCII white space collapsed to one space (`space`: the output ends with one, or
/// is empty), the common entities decoded. Every article's HTML passes through here: runs of
/// ordinary text (single spaces included) are found 16 bytes at a time and copied whole
/// ([`text_run_end`]).
fn push_text(out: &mut String, text: &str, from: usize, space: &mut bool) -> usize {
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
    let t = text.as_bytes();
    let mut i = from;
    while i < t.len() {
        match t[i] {
            b'<' => return i,
            b' ' | b'\n' | b'\t' | b'\r' => {
                if !*space {
                    out.push(' ');
                    *space = true;
                }
                i += 1;
            }
            b'&' => match ENTITIES.iter().find(|(e, _)| text[i..].starts_with(e)) {
                Some((e, ' ')) => {
                    if !*space {
                        out.push(' ');
                        *space = true;
                    }
                    i += e.len();
                }
                Some((e, ch)) => {
                    out.push(*ch);
                    *space = false;
                    i += e.len();
                }
                None => {
                    out.push('&');
                    *space = false;
                    i += 1;
                }
            },
            _ => {
                // `i` and the end of the run are ASCII bytes or the end: character boundaries
                let end = text_run_end(t, i);
                out.push_str(&text[i..end]);
                *space = t[end - 1] == b' ';
                i = end;
            }
        }
    }
    t.len()
}

/// End of the run of ordinary text starting at `from` (not white space, `&` or `<`): the first
/// `\n`, `\t`, `\r`, `&` or `<`, or the second of two spaces, at or after `from`; else `b.len()`.
fn text_run_end(b: &[u8], from: usize) -> usize {
    let mut i = from;
    // bit 0: the byte before the block is a space (never for `from`: it starts a run)
    #[cfg(target_arch = "x86_64")]
    let mut carry = 0u32;
    #[cfg(target_arch = "x86_64")]
    while i + 16 <= b.len() {
        use crate::escape::block_eq_any;
        let spaces = block_eq_any(b, i, [b' ']);
        let mask = block_eq_any(b, i, [b'\n', b'\t', b'\r', b'&', b'<'])
            | (spaces & (spaces << 1 | carry));
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        carry = spaces >> 15;
        i += 16;
    }
    (i..b.len())
        .find(|&j| match b[j] {
            b'\n' | b'\t' | b'\r' | b'&' | b'<' => true,
            b' ' => j > from && b[j - 1] == b' ',
            _ => false,
        })
        .unwrap_or(b.len())
}

/// Search documents for the site: articles newest first, then areas and projects.
pub fn documents(site: &Site) -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> = site
        .by_date
        .par_iter()
        .map(|&i| page_document(site, i))
        .collect();
    docs.extend(data_documents(site));
    docs
}

/// Articles per batch of [`compact_documents`].
const BATCH: usize = 4096;

/// [`documents`] and their [`crate::search::postings`], made a batch of articles at a time
/// with each document's text cut to its snippet once its words are counted, all on the
/// calling thread (`build` runs it beside the rendering of the pages, like
/// [`crate::search::build_index_from`]: rayon's threads are busy with the pages): what
/// [`crate::search::build_index_from`] needs, without every article's whole text at once
/// (about 5 KB an article: 500 MB at 100 000). The index files are the same.
pub fn compact_documents(
    site: &Site,
    doc_files: Option<&mut dyn FnMut(String, Vec<u8>)>,
) -> Compact {
    let data_docs = data_documents(site);
    // With `doc_files`, each document's file is made once its words are counted, and only
    // what `loc.json` and `meta.json` need is kept of it. The files number sections in the
    // order of the whole index, known before any document is made.
    let section_pairs = site
        .by_date
        .iter()
        .map(|&i| {
            let s = &site.section_of(i).section;
            (s.dir.as_str(), s.title.as_str())
        })
        .chain(
            data_docs
                .iter()
                .map(|d| (d.section_id.as_str(), d.section.as_str())),
        );
    let section_ids: Vec<String> = crate::search::section_order(section_pairs)
        .into_iter()
        .map(|(id, _)| id.to_string())
        .collect();
    let section_ids: Vec<&str> = section_ids.iter().map(String::as_str).collect();
    let mut files = doc_files.map(|put| DocFiles {
        put,
        section_ids: &section_ids,
        pending: Vec::with_capacity(crate::search::DOCS_PER_CHUNK),
        written: Vec::new(),
    });
    let mut docs: Vec<SearchDoc> = Vec::with_capacity(site.by_date.len() + data_docs.len());
    let mut counter = crate::search::Counter::default();
    let mut add = |mut part: Vec<SearchDoc>, docs: &mut Vec<SearchDoc>| {
        for (k, d) in part.iter_mut().enumerate() {
            counter.add((docs.len() + k) as u32, d);
            match files.as_mut() {
                Some(files) => files.push(d),
                None => d.text = crate::search::snippet(&d.text),
            }
        }
        docs.append(&mut part);
    };
    for batch in site.by_date.chunks(BATCH) {
        let part = batch.iter().map(|&i| page_document(site, i)).collect();
        add(part, &mut docs);
    }
    add(data_docs, &mut docs);
    Compact {
        docs,
        postings: counter.into_postings(),
        written: files.map(DocFiles::finish),
    }
}

/// The document files of [`compact_documents`], made as the documents come: a file once
/// [`crate::search::DOCS_PER_CHUNK`] documents are in hand (the last one with the rest).
struct DocFiles<'a, 's> {
    put: &'a mut dyn FnMut(String, Vec<u8>),
    /// the ids of [`crate::search::section_order`] over the whole index
    section_ids: &'s [&'s str],
    /// what the next file needs of its documents so far
    pending: Vec<SearchDoc>,
    /// the paths and hashes of the files handed on
    written: Vec<(String, u64)>,
}

impl DocFiles<'_, '_> {
    /// Takes what the file needs out of `d` (its title, URL, date and text; the file cuts the
    /// text to its snippet), leaving what `loc.json` and `meta.json` need.
    fn push(&mut self, d: &mut SearchDoc) {
        self.pending.push(SearchDoc {
            title: std::mem::take(&mut d.title),
            url: std::mem::take(&mut d.url),
            date: d.date.take(),
            text: std::mem::take(&mut d.text),
            section_id: d.section_id.clone(),
            ..SearchDoc::default()
        });
        if self.pending.len() == crate::search::DOCS_PER_CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let path = crate::search::chunk_path(self.written.len());
        let bytes = crate::search::doc_file(&self.pending, self.section_ids);
        self.written
            .push((path.clone(), crate::search::file_hash(&path, &bytes)));
        (self.put)(path, bytes);
        self.pending.clear();
    }

    fn finish(mut self) -> Vec<(String, u64)> {
        self.flush();
        self.written
    }
}

/// What [`compact_documents`] made.
pub struct Compact {
    pub docs: Vec<SearchDoc>,
    pub postings: crate::search::Postings,
    /// The document files handed on already: their paths and hashes.
    pub written: Option<Vec<(String, u64)>>,
}

/// The search documents of the data's areas and projects.
fn data_documents(site: &Site) -> Vec<SearchDoc> {
    let cfg = &site.config;
    let data = site.data.as_ref();
    let mut docs = Vec::new();
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
                title: format!("{}: {}", d.project_label(i), p.name),
                date: None,
                section: "Dự án".into(),
                section_id: "du-an".into(),
                areas: Vec::new(),
                projects: vec![d.project_label(i)],
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
                    .map(|&i| d.project_label(i))
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
        text: {
            // exactly sized: every article's text is held until the index is made
            let body = html_to_text(p.rendered.html.text());
            let mut text = String::with_capacity(p.description.len() + 1 + body.len());
            text.push_str(&p.description);
            text.push(' ');
            text.push_str(&body);
            text
        },
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
        // a tag left open before a multi-byte letter used to panic (slicing inside "ể")
        assert_eq!(html_to_text("a <ểề"), "a");
        assert_eq!(html_to_text("a  &nbsp;\n b&c &lt;d&gt;"), "a b&c <d>");
    }
}
