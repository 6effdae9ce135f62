//! What each planned job is made from, declared next to the plan: `serve` and the editor run
//! the pipeline again and skip the jobs whose inputs did not change (`build::inputs` hashes
//! what is declared here). A new kind of job declares its inputs here, and the serve tests
//! (every rebuild equals a clean build) fail when a declaration misses something the renderer
//! reads.

use std::fmt::Debug;
use std::path::Path;

use super::{FeedScope, Job, JobKind};
use crate::site::Site;

/// The parts of the model a job's bytes are made from.
pub trait Reads {
    /// What every templated page reads: the config, the build date, the template files, the
    /// notices sidebar, and the content map or activity data when templates can reach them.
    fn shared(&mut self);
    /// Article `i`'s summary (title, dates, teaser, URL…): listings and feeds show it.
    fn summary(&mut self, i: usize);
    /// Article `i`'s summary as a neighbour or related article, or that there is none.
    fn link(&mut self, i: Option<usize>);
    /// Article `i`'s rendered body and table of contents.
    fn body(&mut self, i: usize);
    /// Section `s`'s values and templates.
    fn section(&mut self, s: usize);
    /// The activity data files.
    fn data(&mut self);
    /// The sitemap entries.
    fn sitemap(&mut self);
    /// A source file copied as it is (its size and modification time).
    fn file(&mut self, src: &Path);
    /// Bytes made before the plan (the search index).
    fn bytes(&mut self, b: &[u8]);
    /// Any other value of the model: names, counts, settings, dates.
    fn value(&mut self, v: &dyn Debug);
}

/// Declares to `r` everything `job`'s bytes are made from.
pub fn job_reads(site: &Site, job: &Job, r: &mut dyn Reads) {
    match &job.kind {
        JobKind::Bytes(b) => return r.bytes(b),
        JobKind::Copy { src, .. } => return r.file(src),
        JobKind::Alias { to } => return r.value(&("alias", to)),
        // the card value holds everything drawn but the site's name; the font is in the binary
        JobKind::ShareCard(card) => return r.value(&("card", card, &site.config.raw.title)),
        kind => {
            r.shared();
            r.value(kind);
            // the hreflang links and language switch of a page with twins
            r.value(&site.alternates.get(&job.site_path()));
        }
    }
    let cfg = &site.config.raw;
    match &job.kind {
        JobKind::Home => {
            let root = site.sections.iter().position(|s| s.section.dir.is_empty());
            r.section(root.unwrap_or(0));
            // the newest articles, with room for the notices the home page skips
            let n = cfg.home_latest + cfg.notices_limit;
            site.by_date
                .iter()
                .filter(|i| !site.documents.by_page.contains_key(i))
                .take(n)
                .for_each(|&i| r.summary(i));
        }
        JobKind::Section { section, pager, .. } => {
            let node = &site.sections[*section];
            let per = site.section_per_page(*section);
            r.section(*section);
            r.value(&per);
            slice(r, &node.pages, *pager, per);
            doc_facets(site, *section, r);
        }
        JobKind::DocFilter {
            section,
            facet,
            value,
        } => {
            r.section(*section);
            doc_facets(site, *section, r);
            if let Some(v) = site
                .documents
                .tables
                .get(section)
                .and_then(|t| t.facets.get(facet))
                .and_then(|f| f.get(*value))
            {
                v.docs
                    .iter()
                    .for_each(|&k| r.summary(site.documents.docs[k].page));
            }
        }
        JobKind::Page(i) => page(site, *i, r),
        JobKind::Translation(i) => {
            let t = &site.translations[*i];
            let p = &t.page;
            r.value(&(
                &t.lang,
                &p.title,
                &p.description,
                &p.date,
                &p.updated,
                &p.path,
            ));
            r.value(&(&p.meta.template, &p.meta.authors, &p.meta.draft));
            r.value(&p.rendered);
        }
        JobKind::TaxonomyList(t) => {
            let tax = &site.taxonomies[*t];
            r.value(&tax.config);
            for term in &tax.terms {
                r.value(&(&term.name, &term.slug, term.pages.len()));
            }
        }
        JobKind::Term {
            taxonomy,
            term,
            pager,
            ..
        } => {
            let tax = &site.taxonomies[*taxonomy];
            let tm = &tax.terms[*term];
            let per = tax.config.paginate_by.unwrap_or(cfg.paginate_by);
            r.value(&(&tax.config, &tm.name, &tm.slug, per));
            slice(r, &tm.pages, *pager, per);
        }
        JobKind::Feed { scope, .. } => feed(site, scope, r),
        JobKind::Sitemap => r.sitemap(),
        // the split is a function of the entries and the config, both hashed; its figures
        // too, so a file never keeps bytes from another split
        JobKind::SitemapIndex(files) => {
            r.sitemap();
            r.value(files);
        }
        JobKind::SitemapPart { start, end } => {
            r.sitemap();
            r.value(&(start, end));
        }
        JobKind::Robots | JobKind::NotFound | JobKind::SearchPage => {}
        JobKind::AreaList
        | JobKind::ProjectList
        | JobKind::Overview
        | JobKind::OpenDataIndex
        | JobKind::ReportCsv(_)
        | JobKind::DataJson => r.data(),
        JobKind::Area { area, pager, .. } => {
            r.data();
            if let Some(a) = site.data.as_ref().and_then(|d| d.areas.get(*area)) {
                let list = site.pages_by_area.get(&a.id).map_or(&[][..], |l| &l[..]);
                slice(r, list, *pager, cfg.paginate_by);
            }
        }
        JobKind::Project(p) => {
            r.data();
            if let Some(pr) = site.data.as_ref().and_then(|d| d.projects.get(*p)) {
                let list = site
                    .pages_by_project
                    .get(&pr.id)
                    .map_or(&[][..], |l| &l[..]);
                list.iter().take(20).for_each(|&i| r.summary(i));
            }
        }
        JobKind::Bytes(_)
        | JobKind::Copy { .. }
        | JobKind::Alias { .. }
        | JobKind::ShareCard(_) => {}
    }
}

/// The filter links of a document table: every facet value with its count.
fn doc_facets(site: &Site, section: usize, r: &mut dyn Reads) {
    if let Some(t) = site.documents.tables.get(&section) {
        for (f, values) in &t.facets {
            for v in values {
                r.value(&(f, &v.name, &v.slug, v.docs.len()));
            }
        }
    }
}

/// An article's page: the article, its section, its neighbours and related articles.
fn page(site: &Site, i: usize, r: &mut dyn Reads) {
    r.summary(i);
    r.body(i);
    r.section(site.page_section[i]);
    r.value(&site.pages[i].meta.template);
    let (higher, lower) = site.neighbours(i);
    r.link(higher);
    r.link(lower);
    r.value(&site.related[i].len());
    site.related[i].iter().for_each(|&j| r.link(Some(j)));
}

/// A feed: its newest entries in full, and the date it was last updated.
fn feed(site: &Site, scope: &FeedScope, r: &mut dyn Reads) {
    let list: &[usize] = match scope {
        FeedScope::Site => &site.by_date,
        FeedScope::Section(s) => {
            r.section(*s);
            &site.sections[*s].pages
        }
        FeedScope::Term { taxonomy, term } => {
            let tax = &site.taxonomies[*taxonomy];
            let tm = &tax.terms[*term];
            r.value(&(&tax.config, &tm.name, &tm.slug));
            &tm.pages
        }
    };
    let mut list = list.to_vec();
    list.sort_by_key(|&i| site.date_rank[i]);
    for &i in list.iter().take(site.config.raw.feed_limit) {
        r.summary(i);
        r.body(i);
    }
    let updated = list
        .iter()
        .filter_map(|&i| site.pages[i].updated.or(site.pages[i].date))
        .max()
        .unwrap_or(site.build_date);
    r.value(&updated.to_rfc3339());
}

/// One pager page of a listing: its length and the summaries on that page.
fn slice(r: &mut dyn Reads, list: &[usize], pager: usize, per: usize) {
    r.value(&list.len());
    for &i in list.iter().skip((pager - 1) * per).take(per) {
        r.summary(i);
    }
}
