//! Share previews (issue 16 item 3): what Zalo and Facebook show for a link. Every page gets
//! Open Graph tags (the values come from [`ShareInfo`]); the image is an article's first photo
//! or, for everything else, a 1200×630 PNG card drawn here from an SVG with `resvg`.
//!
//! The card uses only the Noto Sans subset shipped in the default theme (`fonts/`), embedded in
//! the binary and never the system's fonts, so a card is the same bytes on every machine.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};
use rust_decimal::Decimal;

use crate::data::Data;
use crate::plan::JobKind;
use crate::site::Site;

/// Width and height of a card: the size Facebook and Zalo show without cropping.
pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// Folder of the cards in the output.
pub const CARD_DIR: &str = "the-chia-se";

static REGULAR: &[u8] = include_bytes!("../themes/cong-thong-tin/fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../themes/cong-thong-tin/fonts/NotoSans-Bold.ttf");
const FAMILY: &str = "Noto Sans";

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
                crate::render::values::shorten(desc.trim(), 300),
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
    if let (Some(b), Some(year)) = (crate::render::data_pages::area_summary(data, area), year) {
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

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        usvg::Options {
            font_family: FAMILY.to_string(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        }
    })
}

/// Bumped when the drawing changes, so cards kept from an earlier build are drawn again.
const STYLE: u32 = 1;

/// PNG text chunk keyword under which a card carries its [`card_key`].
pub const KEY_CHUNK: &str = "bantin-the";

/// What a card was drawn from, written into the PNG: the next `build` copies the previous
/// output's card when the key is the same instead of drawing it again (~17 ms a card).
pub fn card_key(site_name: &str, card: &Card) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (STYLE, env!("CARGO_PKG_VERSION"), site_name, card).hash(&mut h);
    format!("{STYLE}-{:016x}", h.finish())
}

/// The card as PNG bytes.
pub fn render_png(site_name: &str, card: &Card) -> Result<Vec<u8>, String> {
    let key = card_key(site_name, card);
    let svg = card_svg(site_name, card);
    let tree = usvg::Tree::from_str(&svg, options()).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("kích thước ảnh không hợp lệ")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode_rgb(&pixmap, &key).map_err(|e| e.to_string())
}

/// Whether the PNG `head` (its first bytes: the key chunk comes right after the header) was
/// drawn from `key`.
pub fn has_key(head: &[u8], key: &str) -> bool {
    let mut needle = Vec::with_capacity(64);
    needle.extend_from_slice(b"tEXt");
    needle.extend_from_slice(KEY_CHUNK.as_bytes());
    needle.push(0);
    needle.extend_from_slice(key.as_bytes());
    head.starts_with(b"\x89PNG") && head.windows(needle.len()).any(|w| w == needle)
}

/// RGB PNG without alpha (the card is opaque: a third smaller than tiny-skia's RGBA), with no
/// time or other chunk that would differ between two builds.
fn encode_rgb(pixmap: &tiny_skia::Pixmap, key: &str) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|px| [px[0], px[1], px[2]])
        .collect();
    let mut out = Vec::with_capacity(64 * 1024);
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // High takes 55 ms a card against 17 for 10% fewer bytes (benches/share_card.rs)
        enc.set_compression(png::Compression::Balanced);
        enc.add_text_chunk(KEY_CHUNK.to_string(), key.to_string())?;
        let mut w = enc.write_header()?;
        w.write_image_data(&rgb)?;
        w.finish()?;
    }
    Ok(out)
}

/// Measures text in the shipped fonts (without kerning, which only narrows a line), for
/// wrapping: SVG text does not wrap by itself.
struct Measure {
    regular: skrifa::FontRef<'static>,
    bold: skrifa::FontRef<'static>,
}

fn measure() -> &'static Measure {
    static M: OnceLock<Measure> = OnceLock::new();
    M.get_or_init(|| Measure {
        regular: skrifa::FontRef::new(REGULAR).expect("the shipped font parses"),
        bold: skrifa::FontRef::new(BOLD).expect("the shipped font parses"),
    })
}

fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    use skrifa::instance::{LocationRef, Size};
    use skrifa::MetadataProvider;
    let m = measure();
    let font = if bold { &m.bold } else { &m.regular };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.6)
        })
        .sum()
}

/// `text` in at most `max_lines` lines of at most `width` pixels, broken at spaces; the last
/// line ends with "…" when the text is longer.
fn wrap(text: &str, size: f32, bold: bool, width: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, bold) <= width || line.is_empty() {
            line = candidate;
            // a single word wider than the line: cut it
            while text_width(&line, size, bold) > width && line.chars().count() > 1 {
                line.pop();
            }
            continue;
        }
        lines.push(std::mem::take(&mut line));
        if lines.len() == max_lines {
            let last = lines.last_mut().expect("one line at least");
            ellipsis(last, size, bold, width);
            return lines;
        }
        line = word.to_string();
        while text_width(&line, size, bold) > width && line.chars().count() > 1 {
            line.pop();
        }
        if words.peek().is_none() {
            break;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn ellipsis(line: &mut String, size: f32, bold: bool, width: f32) {
    while !line.is_empty() && text_width(&format!("{line}…"), size, bold) > width {
        line.pop();
    }
    let trimmed = line.trim_end().len();
    line.truncate(trimmed);
    line.push('…');
}

const RED: &str = "#8f1d1d";
const BLUE: &str = "#0b3a6b";
const INK: &str = "#1b1d21";
const GREY: &str = "#4a4f57";
const MARGIN: f32 = 64.0;

/// The card's SVG: a red band with the site's name, the kicker, the title (up to three lines,
/// two when there are figures), then the headline figure on the left and the bars on the right.
fn card_svg(site_name: &str, card: &Card) -> String {
    let w = WIDTH as f32;
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FAMILY}" text-rendering="geometricPrecision">"##
    );
    let _ = write!(
        s,
        r##"<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><rect width="{WIDTH}" height="96" fill="{RED}"/><rect y="{}" width="{WIDTH}" height="12" fill="{BLUE}"/>"##,
        HEIGHT - 12
    );
    let name = wrap(site_name, 34.0, true, w - 2.0 * MARGIN, 1);
    let _ = write!(
        s,
        r##"<text x="{MARGIN}" y="60" font-size="34" font-weight="700" fill="#ffffff">{}</text>"##,
        crate::escape::xml(name.first().map_or("", String::as_str))
    );
    let mut y = 160.0;
    if !card.kicker.is_empty() {
        let kicker = wrap(&card.kicker, 30.0, false, w - 2.0 * MARGIN, 1);
        let _ = write!(
            s,
            r##"<text x="{MARGIN}" y="{y}" font-size="30" fill="{RED}">{}</text>"##,
            crate::escape::xml(kicker.first().map_or("", String::as_str))
        );
        y += 70.0;
    } else {
        y += 20.0;
    }
    let has_figures = card.figure.is_some() || !card.bars.is_empty();
    let (size, max_lines) = if has_figures { (52.0, 2) } else { (62.0, 4) };
    for line in wrap(&card.title, size, true, w - 2.0 * MARGIN, max_lines) {
        let _ = write!(
            s,
            r##"<text x="{MARGIN}" y="{y}" font-size="{size}" font-weight="700" fill="{INK}">{}</text>"##,
            crate::escape::xml(&line)
        );
        y += size * 1.25;
    }
    if let Some(f) = &card.figure {
        let label = wrap(&f.label, 26.0, false, 440.0, 1);
        let _ = write!(
            s,
            r##"<text x="{MARGIN}" y="440" font-size="26" fill="{GREY}">{}</text><text x="{MARGIN}" y="530" font-size="88" font-weight="700" fill="{RED}">{}</text>"##,
            crate::escape::xml(label.first().map_or("", String::as_str)),
            crate::escape::xml(&f.value)
        );
    }
    if !card.bars.is_empty() {
        bars_svg(
            &mut s,
            &card.bars,
            if card.figure.is_some() { 560.0 } else { MARGIN },
        );
    }
    if !card.footer.is_empty() {
        let footer = wrap(&card.footer, 24.0, false, w - 2.0 * MARGIN, 1);
        let _ = write!(
            s,
            r##"<text x="{MARGIN}" y="{}" font-size="24" fill="{GREY}">{}</text>"##,
            HEIGHT - 36,
            crate::escape::xml(footer.first().map_or("", String::as_str))
        );
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars from `x` to the right margin, between the title and the footer.
fn bars_svg(s: &mut String, bars: &[Bar], x: f32) {
    let right = WIDTH as f32 - MARGIN;
    let label_w = 200.0;
    let value_w = 130.0;
    let track = right - x - label_w - value_w;
    let n = bars.len().min(MAX_BARS);
    let row = 40.0;
    let top = 548.0 - row * n as f32;
    for (k, b) in bars.iter().take(n).enumerate() {
        let y = top + row * k as f32;
        let len = track * (b.permille.min(1000) as f32) / 1000.0;
        let label = wrap(&b.label, 22.0, false, label_w - 12.0, 1);
        let _ = write!(
            s,
            r##"<text x="{x}" y="{}" font-size="22" fill="{INK}">{}</text><rect x="{}" y="{}" width="{track}" height="22" fill="#e6e8eb"/><rect x="{}" y="{}" width="{len:.1}" height="22" fill="{BLUE}"/><text x="{right}" y="{}" font-size="22" font-weight="700" fill="{INK}" text-anchor="end">{}</text>"##,
            y + 19.0,
            crate::escape::xml(label.first().map_or("", String::as_str)),
            x + label_w,
            y + 1.0,
            x + label_w,
            y + 1.0,
            y + 19.0,
            crate::escape::xml(&b.value)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Card {
        Card {
            kicker: "Địa bàn".into(),
            title: "Huyện Đăk Hà – tiến độ giải ngân vốn sự nghiệp năm 2024 của các dự án".into(),
            figure: Some(Figure {
                label: "Tỷ lệ giải ngân năm 2024".into(),
                value: "78,50%".into(),
            }),
            bars: vec![
                Bar::new("Dự án 1".into(), Decimal::new(7850, 2), 2),
                Bar::new("Dự án 4".into(), Decimal::new(12010, 2), 2),
            ],
            footer: "Số liệu đến 30/09/2024".into(),
        }
    }

    #[test]
    fn card_is_a_1200_by_630_png_and_the_same_bytes_twice() {
        let a = render_png("Cổng thông tin <Kon Tum> & \"Đăk Hà\"", &card()).unwrap();
        let b = render_png("Cổng thông tin <Kon Tum> & \"Đăk Hà\"", &card()).unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&a[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(a[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(a[20..24].try_into().unwrap()), HEIGHT);
        let key = card_key("Cổng thông tin <Kon Tum> & \"Đăk Hà\"", &card());
        assert!(has_key(&a[..256], &key));
        let mut other = card();
        other.title.push('!');
        assert!(!has_key(
            &a[..256],
            &card_key("Cổng thông tin <Kon Tum> & \"Đăk Hà\"", &other)
        ));
    }

    #[test]
    fn long_titles_wrap_within_the_card_and_end_with_an_ellipsis() {
        let title = "Nghiệm thu công trình nước sạch ".repeat(10);
        let lines = wrap(&title, 62.0, true, 1072.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        for l in &lines {
            assert!(text_width(l, 62.0, true) <= 1072.0, "{l}");
        }
        assert_eq!(wrap("Ngắn", 62.0, true, 1072.0, 3), ["Ngắn"]);
    }

    #[test]
    fn every_vietnamese_letter_is_in_the_shipped_fonts() {
        use skrifa::MetadataProvider;
        let letters = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";
        let all: String = letters
            .chars()
            .chain(letters.to_uppercase().chars())
            .collect();
        for font in [&measure().regular, &measure().bold] {
            let cm = font.charmap();
            let missing: String = all.chars().filter(|&c| cm.map(c).is_none()).collect();
            assert!(missing.is_empty(), "missing: {missing}");
        }
    }
}
