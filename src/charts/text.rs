//! Text helpers shared by the charts: escaping, ids, number strings,
//! coordinate formatting, text width estimates and label wrapping.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::locale::{format_number, format_percent, format_rate, percent_of};

/// The one escaper ([`crate::escape::html`]), under the name the drawing code uses.
pub(crate) use crate::escape::html as escape;

/// Makes a chart id safe for `id`, `aria-labelledby` (space-separated) and
/// `url(#…)` references: ASCII letters, digits, `-` and `_` are kept, any
/// other character becomes `-`. An empty id becomes "bieu-do", and an id
/// starting with a digit gets a "bd-" prefix (valid in HTML, but awkward
/// in CSS selectors). Callers normally pass slugs, which are unchanged.
pub(crate) fn clean_id(id: &str) -> String {
    let mut out: String = id
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if out.is_empty() {
        out.push_str("bieu-do");
    } else if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, "bd-");
    }
    out
}

/// Returns the link target if it is safe to put in `href`: the one URL rule
/// ([`crate::sanitize::is_unsafe_url`]), since these pages promise no
/// JavaScript and a data file must not be able to inject any.
pub(crate) fn safe_href(href: &str) -> Option<&str> {
    let href = href.trim();
    (!href.is_empty() && !crate::sanitize::is_unsafe_url(href)).then_some(href)
}

/// A coordinate with one decimal, without a trailing ".0" and never "-0":
/// fixed formatting keeps the output byte-for-byte deterministic, and
/// non-finite values (which only a bug could produce) print as 0 rather
/// than "NaN", which would break the SVG.
pub(crate) fn num(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let s = format!("{x:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// An amount as readers see it everywhere (chart and table): "3.829",
/// "1.234,5". The decimals the data carry are kept, trailing zeros trimmed.
pub(crate) fn amount(d: Decimal) -> String {
    format_number(d, None)
}

/// A percentage rounded to at most two decimals, half away from zero,
/// trailing zeros trimmed: 36.379… → "36,38%", 68.50 → "68,5%", 120 → "120%".
pub(crate) fn pct(d: Decimal) -> String {
    let rounded = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    format_percent(rounded, None)
}

/// `part` as a percentage of `whole`, with exactly `decimals` decimals
/// ("75,00%", "36,38%": the site's `rate_decimals`): a computed rate is shown
/// at one precision, so a column of rates lines up and matches the rest of
/// the site. (Percentages that come from the data, like targets, go through
/// [`pct`] and keep the form they were written in.) `None` when `whole` is
/// zero: a rate of nothing is not a number; callers print [`NO_VALUE`].
pub(crate) fn rate(part: Decimal, whole: Decimal, decimals: u32) -> Option<String> {
    percent_of(part, whole).map(|p| format_rate(p, decimals))
}

/// Printed where a number does not exist (missing value, rate of a zero
/// total). A dash, as in printed Vietnamese statistical tables.
pub(crate) const NO_VALUE: &str = "—";

/// Where a value falls between 0 and `max`, clamped to 0–1 for drawing.
/// Negative values draw at 0 and values above `max` at the end; the printed
/// number is always the real one.
pub(crate) fn fraction(value: Decimal, max: Decimal) -> f64 {
    if max <= Decimal::ZERO {
        return 0.0;
    }
    let f = value
        .checked_div(max)
        .and_then(|q| q.to_f64())
        .unwrap_or(0.0);
    if f.is_finite() {
        f.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Estimated advance width of one character in em. There are no font
/// metrics at build time, so this errs on the wide side: it matches DejaVu
/// Sans (the widest common fallback, on Linux desktops) and overestimates
/// Arial, Roboto, Segoe UI and Noto Sans. An overestimate only wastes a
/// little space; an underestimate would let text run off the drawing.
fn char_em(c: char) -> f64 {
    match c {
        // Combining marks (Vietnamese text in NFD) take no width.
        '\u{0300}'..='\u{036F}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' => 0.0,
        ' ' => 0.32,
        'i' | 'l' | 'j' | 'I' | '.' | ',' | ':' | ';' | '\'' | '’' | '|' | '!' | '(' | ')' => {
            0.34
        }
        'í' | 'ì' | 'ỉ' | 'ĩ' | 'ị' => 0.34,
        'f' | 't' | 'r' | '/' | '-' => 0.44,
        'm' | 'w' | 'M' | 'W' | '%' | '…' | '—' => 0.96,
        '0'..='9' => 0.64,
        c if c.is_uppercase() => 0.76,
        _ => 0.63,
    }
}

/// Estimated width of `s` at `font_size` (user units).
pub(crate) fn text_width(s: &str, font_size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * font_size
}

/// Breaks `s` into at most `max_lines` lines that fit `max_width` at
/// `font_size`, at spaces where possible (a single over-long word is cut).
/// If the text does not fit, the last line ends with "…" and the second
/// value is `true`: the caller keeps the full text elsewhere (the table).
pub(crate) fn wrap(
    s: &str,
    max_width: f64,
    font_size: f64,
    max_lines: usize,
) -> (Vec<String>, bool) {
    let max_lines = max_lines.max(1);
    let fits = |t: &str| text_width(t, font_size) <= max_width;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_owned()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate) {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // The word alone: cut it into pieces that fit.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if !fits(&piece) && piece.chars().count() > 1 {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        current = piece;
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() <= max_lines {
        return (lines, false);
    }
    lines.truncate(max_lines);
    let last = lines.last_mut().expect("max_lines >= 1");
    while !last.is_empty() && !fits(&format!("{last}…")) {
        last.pop();
    }
    let trimmed = last.trim_end().to_owned();
    *last = format!("{trimmed}…");
    (lines, true)
}

/// The table wrapper every chart uses: the theme's horizontally scrolling
/// `.bang` region, focusable so keyboard users can scroll it, and labelled
/// so screen readers announce what the region is.
pub(crate) fn table_region(label: &str, table: &str) -> String {
    format!(
        "<div class=\"bang\" role=\"region\" aria-label=\"{}\" tabindex=\"0\">{table}</div>",
        escape(label)
    )
}

/// Opening tag of a chart SVG. `xmlns` is optional in HTML but lets the
/// same markup be saved as a stand-alone `.svg`; `xMinYMin meet` keeps the
/// drawing at its aspect ratio, so text is never stretched, and pins it to
/// the left edge like the surrounding text. The font stack is the theme's,
/// as an attribute so the theme's CSS can still override it.
pub(crate) fn svg_open(
    id: Option<&str>,
    class: &str,
    width: f64,
    height: f64,
    labelled_by: &str,
) -> String {
    let id_attr = id
        .map(|i| format!(" id=\"{}\"", escape(i)))
        .unwrap_or_default();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\"{id_attr} class=\"{class}\" \
         viewBox=\"0 0 {} {}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\" \
         role=\"img\" aria-labelledby=\"{labelled_by}\" font-family=\"{FONT_FAMILY}\">",
        num(width),
        num(height)
    )
}

/// Which of a chart's two drawings: line and bar charts are drawn twice, for a phone's
/// column and for a wide one, and the theme's CSS shows the one that fits its container, so
/// the chart fills the column and its text stays at its size (a single drawing scaled to a
/// 780 px column would print its 12-unit labels at 26 px, or leave half the column empty).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Drawing {
    Narrow,
    Wide,
}

impl Drawing {
    /// The drawing's width in user units: about the CSS pixels it gets, so text keeps its
    /// size (a 360 px phone's column is 328 px; the theme's widest column 780 px).
    pub fn width(self) -> f64 {
        match self {
            Drawing::Narrow => 320.0,
            Drawing::Wide => 720.0,
        }
    }

    /// The id prefix of what the drawing defines (title, desc, patterns): unique on the page.
    pub fn id(self, id: &str) -> String {
        match self {
            Drawing::Narrow => id.to_string(),
            Drawing::Wide => format!("{id}-rong"),
        }
    }

    fn class(self) -> &'static str {
        match self {
            Drawing::Narrow => "bieu-do__hinh bieu-do__hinh--hep",
            Drawing::Wide => "bieu-do__hinh bieu-do__hinh--rong",
        }
    }

    /// Both drawings, the narrow one first (what shows without CSS support for container
    /// queries comes first).
    pub fn both(draw: impl Fn(Drawing) -> String) -> String {
        let mut out = draw(Drawing::Narrow);
        out.push_str(&draw(Drawing::Wide));
        out
    }
}

/// The opening of one of a chart's two drawings: `<svg class="bieu-do__hinh …">` labelled by
/// its `<title>` (`title`) and `<desc>` (`description`), both escaped, with ids derived from
/// the chart's `id` (the drawing's own is [`Drawing::id`]).
pub(crate) fn drawing_svg_open(
    drawing: Drawing,
    id: &str,
    height: f64,
    title: &str,
    description: &str,
) -> String {
    let id = drawing.id(id);
    svg_with_title(
        drawing.class(),
        &id,
        drawing.width(),
        height,
        title,
        description,
    )
}

fn svg_with_title(
    class: &str,
    id: &str,
    width: f64,
    height: f64,
    title: &str,
    description: &str,
) -> String {
    let mut out = svg_open(None, class, width, height, &format!("{id}-title {id}-desc"));
    out.push_str(&format!(
        "<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        escape(title),
        escape(description)
    ));
    out
}

/// The theme's font stack (single quotes: it sits in a double-quoted
/// attribute).
const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif";

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn escape_defuses_markup_quotes_and_cdata_end() {
        assert_eq!(
            escape("<script>alert(\"x\")</script>"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        );
        assert_eq!(escape("a & b"), "a &amp; b");
        assert_eq!(escape("]]>"), "]]&gt;");
        assert_eq!(escape("Ia H'Drai"), "Ia H&#39;Drai");
        assert_eq!(escape("Ia H’Drai"), "Ia H’Drai");
        assert_eq!(escape("&amp;"), "&amp;amp;");
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "abc\nd");
        assert_eq!(escape("Kon Rẫy"), "Kon Rẫy");
        // The escaped text is valid XML text and attribute content.
        let nasty = "<script>\"'&]]></script>";
        let doc = format!("<r a=\"{0}\" b='{0}'>{0}</r>", escape(nasty));
        let parsed = roxmltree::Document::parse(&doc).unwrap();
        let root = parsed.root_element();
        assert_eq!(root.attribute("a"), Some(nasty));
        assert_eq!(root.attribute("b"), Some(nasty));
        assert_eq!(root.text(), Some(nasty));
    }

    #[test]
    fn ids_are_sanitised() {
        assert_eq!(clean_id("du-an-8_2022"), "du-an-8_2022");
        assert_eq!(clean_id("a b\"<c>"), "a-b--c-");
        assert_eq!(clean_id(""), "bieu-do");
        assert_eq!(clean_id("  "), "bieu-do");
        assert_eq!(clean_id("8-huyen"), "bd-8-huyen");
        assert_eq!(clean_id("Đăk Hà"), "--k-H-");
    }

    #[test]
    fn script_hrefs_are_refused() {
        assert_eq!(
            safe_href("/dia-ban/kon-plong/"),
            Some("/dia-ban/kon-plong/")
        );
        assert_eq!(
            safe_href("https://kontum.gov.vn/"),
            Some("https://kontum.gov.vn/")
        );
        assert_eq!(safe_href("javascript:alert(1)"), None);
        assert_eq!(safe_href(" JavaScript:alert(1)"), None);
        assert_eq!(safe_href("java\tscript:alert(1)"), None);
        assert_eq!(safe_href("data:text/html,x"), None);
        assert_eq!(safe_href("VBScript:x"), None);
        assert_eq!(safe_href(""), None);
    }

    #[test]
    fn coordinates_are_fixed_format() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-3.25), "-3.2");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::INFINITY), "0");
    }

    #[test]
    fn numbers_are_vietnamese() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(amount(d("3829.000")), "3.829");
        assert_eq!(amount(d("1234567.5")), "1.234.567,5");
        assert_eq!(amount(d("-50")), "-50");
        assert_eq!(rate(d("1393"), d("3829"), 2).unwrap(), "36,38%");
        assert_eq!(rate(d("3"), d("4"), 2).unwrap(), "75,00%");
        assert_eq!(pct(d("68.50")), "68,5%");
        assert_eq!(pct(d("120")), "120%");
        assert_eq!(pct(d("0.005")), "0,01%");
        assert_eq!(rate(d("5"), Decimal::ZERO, 2), None);
    }

    #[test]
    fn fraction_clamps() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(fraction(d("50"), d("200")), 0.25);
        assert_eq!(fraction(d("-5"), d("200")), 0.0);
        assert_eq!(fraction(d("500"), d("200")), 1.0);
        assert_eq!(fraction(d("5"), Decimal::ZERO), 0.0);
        assert_eq!(fraction(d("5"), d("-1")), 0.0);
    }

    #[test]
    fn wrapping_and_truncation() {
        let (lines, cut) = wrap("Kon Plông", 300.0, 14.0, 2);
        assert_eq!(lines, vec!["Kon Plông"]);
        assert!(!cut);

        let long = "Huyện Ia H'Drai (đơn vị hành chính cấp huyện đã giải thể theo Nghị quyết sắp xếp đơn vị hành chính năm 2025)";
        let (lines, cut) = wrap(long, 200.0, 14.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(cut);
        assert!(lines[1].ends_with('…'));
        for l in &lines {
            assert!(text_width(l, 14.0) <= 200.0, "{l}");
        }

        let (lines, cut) = wrap(long, 200.0, 14.0, 20);
        assert!(!cut);
        assert_eq!(lines.join(" "), long);

        // One very long word is cut, never overflows.
        let word = "x".repeat(200);
        let (lines, cut) = wrap(&word, 100.0, 14.0, 2);
        assert!(cut);
        assert!(lines.iter().all(|l| text_width(l, 14.0) <= 100.0));

        // Degenerate: empty text and a width too small for anything.
        assert_eq!(wrap("", 100.0, 14.0, 2), (vec![], false));
        let (lines, _) = wrap("abc def", 0.0, 14.0, 2);
        assert_eq!(lines.len(), 2);
        let (lines, _) = wrap("abc", 100.0, 14.0, 0);
        assert_eq!(lines.len(), 1);
    }

    #[test]
    fn width_estimate_ignores_combining_marks() {
        let nfc = "Đắk Glei";
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd(nfc).collect();
        assert_ne!(nfc.chars().count(), nfd.chars().count());
        assert!((text_width(nfc, 10.0) - text_width(&nfd, 10.0)).abs() < 1.5);
    }
}
