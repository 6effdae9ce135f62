//! What a shared link shows (issue 16 item 3), decided while planning: the Open Graph values of
//! every page ([`ShareInfo`]) and, for the home page, listings and data pages, the content of a
//! 1200×630 card ([`Card`]) that `render::card` draws. An article shares its own photo, or its
//! section's card.

use rust_decimal::Decimal;

use crate::data::Data;
use crate::plan::JobKind;
use crate::site::Site;

/// Width and height of a card: the size Facebook and Zalo show without cropping.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// Folder of the cards in the output.
pub const CARD_DIR: &str = "the-chia-se";

/// What one card shows. Computed while planning, so a card's fingerprint is this value and
/// the site's name: a card is drawn again only when what it shows changed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Card {
    /// Small line above the title: what kind of page this is ("Địa bàn", a section's name).
    pub kicker: String,
    pub title: String,
    /// The headline figure of a data page.
    pub figure: Option<Figure>,
    /// A small bar chart of rates (at most [`MAX_BARS`]).
    pub bars: Vec<Bar>,
    /// Last line: a date, or what the figures are as of.
    pub footer: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Figure {
    pub label: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bar {
    pub label: String,
    /// The rate in tenths of a percent, for the bar's length (capped at 100% when drawn).
    pub permille: u32,
    /// The rate as the site writes it ("78,50%").
    pub value: String,
}

pub const MAX_BARS: usize = 4;

impl Bar {
    pub fn new(label: String, rate: Decimal, decimals: u32) -> Bar {
        let permille = (rate * Decimal::TEN)
            .round()
            .try_into()
            .map_or(0, |v: i64| v.clamp(0, 100_000) as u32);
        Bar {
            label,
            permille,
            value: crate::locale::format_rate(rate, decimals),
        }
    }
}

/// Output path of the card of the page at `site_path` (`tin-tuc/a/` →
/// `the-chia-se/tin-tuc/a.png`; the home page's is `the-chia-se/trang-chu.png`).
pub fn card_path(site_path: &str) -> String {
    let p = site_path.trim_matches('/');
    if p.is_empty() {
        format!("{CARD_DIR}/trang-chu.png")
    } else {
        format!("{CARD_DIR}/{p}.png")
    }
}

/// The Open Graph values of one HTML page, but its URL (the canonical URL of the page).
#[derive(Debug, Clone, Default)]
pub struct ShareInfo {
    pub title: String,
    pub description: String,
    /// `article` for articles, `website` for everything else.
    pub kind: &'static str,
    /// Site path of the card, when the page has one (pager pages share their first page's).
    pub card: Option<String>,
    /// An article, whose first photo (if any) is preferred to the card.
    pub page: Option<usize>,
    /// What the card shows (its title), for `og:image:alt`.
    pub card_alt: String,
}

/// An article's share description: its `description`, else its first paragraph, at most 300
/// characters. Read when the page renders (a body edit that keeps the front matter changes it).
pub fn page_description(site: &Site, i: usize) -> String {
    let p = &site.pages[i];
    let desc = if p.description.is_empty() {
        &p.rendered.first_paragraph
    } else {
        &p.description
    };
    if desc.chars().count() > 300 {
        desc.chars()
            .take(299)
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…"
    } else {
        desc.clone()
    }
}

/// An article's share photo: its picture (the `image` key, else its body's first photo), as
/// the file published under the original's name (the largest variant, ≤ 1600 px wide, in the
/// original format: Zalo and Facebook take JPEG and PNG, not always WebP): absolute URL, width,
/// height, MIME type. `None` when it has no photo.
pub fn page_photo(site: &Site, i: usize) -> Option<(String, u32, u32, &'static str)> {
    let p = &site.pages[i];
    let photo = site.photos.get(p.image.as_deref()?)?;
    let main = &photo.main;
    Some((
        site.config.permalink(&main.output),
        main.width,
        main.height,
        photo.format.mime(),
    ))
}

/// What a page shares: its [`ShareInfo`] and, on the page that draws it, its card.
pub struct Described {
    /// Site path of the page the card belongs to (a listing's first page).
    pub base: String,
    pub info: ShareInfo,
    /// `Some` on the page that writes the card; pager pages, articles, terms and document
    /// filters only point to a listing's card.
    pub card: Option<Card>,
}

/// A page that shares a card drawn from its title and a kicker, or (`draw` false) points to
/// the card of the listing at `base`.
fn plain(title: String, description: String, kicker: &str, base: String, draw: bool) -> Described {
    Described {
        info: ShareInfo {
            title: title.clone(),
            description,
            kind: "website",
            card: Some(base.clone()),
            page: None,
            card_alt: title.clone(),
        },
        card: draw.then(|| Card {
            kicker: kicker.to_string(),
            title,
            figure: None,
            bars: Vec::new(),
            footer: String::new(),
        }),
        base,
    }
}

/// The share values of an HTML job; `None` for redirect pages (`aliases`), which readers and
/// crawlers leave at once, and files that are not pages.
///
/// Cards are drawn for the home page, listings and data pages only: an article shows its own
/// photo, or else its section's card. A card per article costs ~9 ms of CPU (≈ 90 s at 10 000
/// articles) and repeats the title that Zalo and Facebook print under the image anyway.
pub fn describe(site: &Site, kind: &JobKind) -> Option<Described> {
    match kind {
        JobKind::Page(i) => {
            let p = &site.pages[*i];
            let section = &site.section_of(*i).section;
            Some(Described {
                info: ShareInfo {
                    title: p.title.clone(),
                    description: page_description(site, *i),
                    kind: "article",
                    card: Some(section.path.clone()),
                    page: Some(*i),
                    card_alt: section.title.clone(),
                },
                card: None,
                base: section.path.clone(),
            })
        }
        JobKind::Translation(i) => {
            // an English page: its own title and description, the home page's card (no card
            // of its own: the few English pages are about the organisation)
            let p = &site.translations[*i].page;
            let desc = if p.description.is_empty() {
                &p.rendered.first_paragraph
            } else {
                &p.description
            };
            let mut d = plain(
                p.title.clone(),
                crate::locale::shorten(desc.trim(), 300),
                "",
                String::new(),
                false,
            );
            d.info.card_alt = site.config.raw.title.clone();
            Some(d)
        }
        JobKind::AreaList
        | JobKind::ProjectList
        | JobKind::Overview
        | JobKind::OpenDataIndex
        | JobKind::Area { .. }
        | JobKind::Project(_) => describe_data(site, kind),
        _ => describe_listing(site, kind),
    }
}

/// Home, search, 404, section, taxonomy and document-filter pages.
fn describe_listing(site: &Site, kind: &JobKind) -> Option<Described> {
    let cfg = &site.config;
    let site_desc = || cfg.raw.description.clone();
    Some(match kind {
        JobKind::Home => plain(cfg.raw.title.clone(), site_desc(), "", String::new(), true),
        JobKind::NotFound => {
            // the 404 page stands for any address: it shares the home page's card
            let title = format!("Không tìm thấy trang – {}", cfg.raw.title);
            let mut d = plain(title, site_desc(), "", String::new(), false);
            d.info.card_alt = cfg.raw.title.clone();
            d
        }
        JobKind::SearchPage => plain(
            "Tìm kiếm".into(),
            format!("Tìm bài viết trên {}", cfg.raw.title),
            "",
            "tim-kiem/".into(),
            true,
        ),
        JobKind::Section { section, pager, .. } => {
            let s = &site.sections[*section].section;
            let desc = s.meta.description.clone().unwrap_or_else(site_desc);
            plain(
                s.title.clone(),
                desc,
                "Chuyên mục",
                s.path.clone(),
                *pager == 1,
            )
        }
        JobKind::DocFilter { section, .. } => {
            // a filtered view of the documents' table shares the table's card
            let s = &site.sections[*section].section;
            let desc = s.meta.description.clone().unwrap_or_else(site_desc);
            plain(s.title.clone(), desc, "", s.path.clone(), false)
        }
        JobKind::TaxonomyList(t) => {
            let t = &site.taxonomies[*t].config;
            plain(
                taxonomy_title(t).to_string(),
                site_desc(),
                "",
                format!("{}/", t.slug),
                true,
            )
        }
        JobKind::Term { taxonomy, term, .. } => {
            // every term shares its taxonomy's card: a site has thousands of tags
            let tax = &site.taxonomies[*taxonomy];
            let name = taxonomy_title(&tax.config);
            let tm = &tax.terms[*term];
            let mut d = plain(
                tm.name.clone(),
                format!("{name}: {}", tm.name),
                "",
                format!("{}/", tax.config.slug),
                false,
            );
            d.info.card_alt = name.to_string();
            d
        }
        _ => return None,
    })
}

fn taxonomy_title(t: &crate::config::TaxonomyConfig) -> &str {
    if t.title.is_empty() {
        &t.name
    } else {
        &t.title
    }
}

/// Area, project, overview and open-data pages: their cards carry the headline rate and bars.
fn describe_data(site: &Site, kind: &JobKind) -> Option<Described> {
    use crate::paths::{area_path, project_path};
    let cfg = &site.config;
    let decimals = cfg.raw.rate_decimals;
    let data = site.data.as_ref()?;
    let of_site = |what: &str| format!("{what} – {}", cfg.raw.title);
    let mut d = match kind {
        JobKind::AreaList => plain(
            "Địa bàn".into(),
            of_site("Tiến độ giải ngân theo địa bàn"),
            "Số liệu",
            "dia-ban/".into(),
            true,
        ),
        JobKind::ProjectList => plain(
            "Dự án".into(),
            of_site("Các dự án và tỷ lệ giải ngân"),
            "Số liệu",
            "du-an/".into(),
            true,
        ),
        JobKind::Overview => plain(
            "Tổng quan".into(),
            of_site("Tổng quan tiến độ các dự án"),
            "Số liệu",
            "tong-quan/".into(),
            true,
        ),
        JobKind::OpenDataIndex => plain(
            "Dữ liệu mở".into(),
            of_site("Dữ liệu mở (CSV, JSON) về tiến độ các dự án"),
            "Số liệu",
            "du-lieu/".into(),
            true,
        ),
        JobKind::Area { area, pager, .. } => {
            let a = &data.areas[*area];
            let mut d = plain(
                a.name.clone(),
                of_site(&format!("Tiến độ các dự án tại {}", a.name)),
                &format!("Địa bàn · {}", a.level.label()),
                area_path(&a.id),
                *pager == 1,
            );
            if let Some(c) = d.card.as_mut() {
                area_card(data, *area, decimals, c);
            }
            return Some(d);
        }
        JobKind::Project(p) => {
            let pr = &data.projects[*p];
            let label = data.project_label(*p);
            let mut d = plain(
                pr.name.clone(),
                format!("{label}: {} – tiến độ giải ngân và chỉ tiêu", pr.name),
                &label,
                project_path(&pr.id),
                true,
            );
            if let Some(c) = d.card.as_mut() {
                project_card(data, *p, decimals, c);
            }
            return Some(d);
        }
        _ => return None,
    };
    if let Some(c) = d.card.as_mut() {
        c.bars = project_bars(data, decimals);
        if matches!(kind, JobKind::Overview) {
            c.figure = overview_figure(data, decimals);
        }
    }
    Some(d)
}

/// The latest rate of each project over the top-level areas (provinces), as bars.
fn project_bars(data: &Data, decimals: u32) -> Vec<Bar> {
    (0..data.projects.len())
        .filter_map(|p| {
            let r = data
                .reports
                .iter()
                .filter(|r| r.project == p && data.areas[r.area].parent.is_none())
                .max_by_key(|r| (r.year, r.as_of))?;
            let rate = r.totals.budget.as_ref()?.rate()?;
            Some(Bar::new(
                format!("{} ({})", data.project_label(p), r.year),
                rate,
                decimals,
            ))
        })
        .take(MAX_BARS)
        .collect()
}

/// The overview's headline: the rate of every project's latest top-level report of the
/// latest year that has one, summed.
fn overview_figure(data: &Data, decimals: u32) -> Option<Figure> {
    let tops = || {
        data.reports
            .iter()
            .filter(|r| data.areas[r.area].parent.is_none() && r.totals.budget.is_some())
    };
    let year = tops().map(|r| r.year).max()?;
    let mut latest: std::collections::BTreeMap<(usize, usize), &crate::data::Report> =
        std::collections::BTreeMap::new();
    for r in tops().filter(|r| r.year == year) {
        let e = latest.entry((r.project, r.area)).or_insert(r);
        if r.as_of > e.as_of {
            *e = r;
        }
    }
    let (mut allocated, mut disbursed) = (Decimal::ZERO, Decimal::ZERO);
    for r in latest.values() {
        let b = r.totals.budget.as_ref()?;
        allocated = allocated.checked_add(b.allocated)?;
        disbursed = disbursed.checked_add(b.disbursed)?;
    }
    let rate = crate::locale::percent_of(disbursed, allocated)?;
    Some(Figure {
        label: format!("Tỷ lệ giải ngân năm {year}"),
        value: crate::locale::format_rate(rate, decimals),
    })
}

/// An area's headline (its rate over the projects in the latest year) and one bar a project.
fn area_card(data: &Data, area: usize, decimals: u32, c: &mut Card) {
    let mut year = None;
    for p in 0..data.projects.len() {
        let Some(r) = data.latest(area, p) else {
            continue;
        };
        let r = &data.reports[r];
        year = year.max(Some(r.year));
        if let Some(rate) = r
            .figures_for(area)
            .and_then(|f| f.budget.as_ref())
            .and_then(|b| b.rate())
        {
            if c.bars.len() < MAX_BARS {
                c.bars.push(Bar::new(
                    format!("{} ({})", data.project_label(p), r.year),
                    rate,
                    decimals,
                ));
            }
        }
    }
    if let (Some(b), Some(year)) = (data.area_summary(area), year) {
        if let Some(rate) = b.rate() {
            c.figure = Some(Figure {
                label: format!("Tỷ lệ giải ngân năm {year}"),
                value: crate::locale::format_rate(rate, decimals),
            });
        }
    }
}

/// A project's headline (its latest top-level rate) and one bar a year.
fn project_card(data: &Data, p: usize, decimals: u32, c: &mut Card) {
    let mut by_year: std::collections::BTreeMap<i32, &crate::data::Report> = Default::default();
    for r in data.reports.iter().filter(|r| {
        r.project == p && data.areas[r.area].parent.is_none() && r.totals.budget.is_some()
    }) {
        let e = by_year.entry(r.year).or_insert(r);
        if (r.as_of, r.area) > (e.as_of, e.area) {
            *e = r;
        }
    }
    let rates: Vec<(i32, Decimal, &crate::data::Report)> = by_year
        .iter()
        .filter_map(|(&y, r)| Some((y, r.totals.budget.as_ref()?.rate()?, *r)))
        .collect();
    if let Some((year, rate, r)) = rates.last() {
        c.figure = Some(Figure {
            label: format!("Tỷ lệ giải ngân năm {year}"),
            value: crate::locale::format_rate(*rate, decimals),
        });
        c.footer = format!(
            "{} · số liệu đến {}",
            data.areas[r.area].name,
            crate::locale::format_date(r.as_of, crate::locale::DateStyle::Short)
        );
    }
    let skip = rates.len().saturating_sub(MAX_BARS);
    c.bars = rates
        .iter()
        .skip(skip)
        .map(|(y, rate, _)| Bar::new(format!("Năm {y}"), *rate, decimals))
        .collect();
}
