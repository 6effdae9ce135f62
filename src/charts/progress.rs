//! Progress bars: one percentage against 100 % and, optionally, a target.
//!
//! The drawing is clamped to 0–100 % (a bar cannot be longer than its
//! track), but the printed number is always the real one: 120 % of a
//! target is news, and −5 % is a data error the reader should see.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::palette;
use super::parts::{figure, Text};
use super::parts::{Parts, Source};
use super::text::{
    clean_id, drawing_svg_open, escape, fraction, num, pct, svg_open, text_width, Drawing,
};

/// A percentage to show as a bar.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    /// Unique on the page; prefix of every id inside the chart. The small
    /// bar and the figure of the same measure on one page need different
    /// ids (e.g. "tl-da8" and "tl-da8-nho").
    pub id: String,
    /// What the percentage measures ("Tỷ lệ giải ngân Dự án 8, năm 2022").
    pub label: String,
    /// Already a percentage (36.38 for 36,38 %), exact.
    pub percent: Decimal,
    /// Target percentage, drawn as a marker.
    pub target_percent: Option<Decimal>,
    /// The target's label, e.g. "Mục tiêu 68,5% đến 31/12/2022". `None`
    /// gives "Mục tiêu 68,5%". If the given text does not contain the
    /// number ("Mục tiêu đến 31/12/2022"), the number is appended, so the
    /// percentage is always printed, never implied by the marker alone.
    pub target_label: Option<String>,
    /// Decimals of `percent` as printed (the site's `rate_decimals`); `None`: the default.
    pub rate_decimals: Option<u32>,
    /// Printed under the figure (not the small bar).
    pub source: Option<Source>,
}

impl Progress {
    /// `percent` as every page of the site prints a rate.
    fn percent_text(&self) -> String {
        crate::locale::format_rate(
            self.percent,
            self.rate_decimals
                .unwrap_or(crate::locale::DEFAULT_RATE_DECIMALS),
        )
    }

    /// The caller's target label, if non-blank.
    fn custom_target_label(&self) -> Option<&str> {
        self.target_label
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
    }

    /// "Mục tiêu 68,5%" or the caller's wording (with the number), when
    /// there is a target.
    fn target_text(&self) -> Option<String> {
        let number = pct(self.target_percent?);
        Some(match self.custom_target_label() {
            None => format!("Mục tiêu {number}"),
            Some(label) if label.contains(&number) => label.to_owned(),
            Some(label) => format!("{label} {number}"),
        })
    }

    /// The sentence screen readers hear: "Tỷ lệ giải ngân: 36,38%; Mục tiêu 68,5%."
    fn sentence(&self) -> String {
        let label = if self.label.trim().is_empty() {
            "Tỷ lệ"
        } else {
            self.label.trim()
        };
        match self.target_text() {
            Some(t) => format!("{label}: {}; {t}.", self.percent_text()),
            None => format!("{label}: {}.", self.percent_text()),
        }
    }
}

/// Where a percentage falls on a track, clamped to 0–1.
fn track_fraction(p: Decimal) -> f64 {
    fraction(p, Decimal::ONE_HUNDRED)
}

/// Left edge for a label of width `w` centred on `x`, kept inside 0–`width`.
fn clamp_label(x: f64, w: f64, width: f64) -> f64 {
    (x - w / 2.0).clamp(0.0, (width - w).max(0.0))
}

// Small bar geometry: track 120 units, number to its right.
const SMALL_W: f64 = 200.0;
const SMALL_TRACK_X: f64 = 1.0;
const SMALL_TRACK_W: f64 = 120.0;
const SMALL_TRACK_Y: f64 = 4.0;
const SMALL_TRACK_H: f64 = 12.0;
const SMALL_FONT: f64 = 13.0;
const SMALL_TARGET_FONT: f64 = 11.0;

/// A small inline bar for listings and table cells: the track, the fill,
/// the percentage as text, and the target marker with its label below.
/// SVG only (it sits next to what it measures), `role="img"` with a
/// `<title>` that says the numbers.
pub fn progress_bar(p: &Progress) -> String {
    let id = clean_id(&p.id);
    let target = p.target_text();
    let height = if target.is_some() { 34.0 } else { 20.0 };
    let mut out = svg_open(
        Some(&id),
        "bieu-do-nho",
        SMALL_W,
        height,
        &format!("{id}-title"),
    );
    let _ = write!(
        out,
        "<title id=\"{id}-title\">{}</title>",
        escape(&p.sentence())
    );
    track(
        &mut out,
        SMALL_TRACK_X,
        SMALL_TRACK_Y,
        SMALL_TRACK_W,
        SMALL_TRACK_H,
        p.percent,
    );
    let _ = write!(
        out,
        "<text class=\"bieu-do__gia-tri\" x=\"{}\" y=\"{}\" font-size=\"{}\" font-weight=\"700\" fill=\"{}\">{}</text>",
        num(SMALL_TRACK_X + SMALL_TRACK_W + 7.0),
        num(SMALL_TRACK_Y + SMALL_TRACK_H - 1.0),
        num(SMALL_FONT),
        palette::TEXT,
        escape(&p.percent_text())
    );
    if let (Some(t), Some(text)) = (p.target_percent, target) {
        let x = SMALL_TRACK_X + track_fraction(t) * SMALL_TRACK_W;
        marker(&mut out, x, 0.0, SMALL_TRACK_Y + SMALL_TRACK_H + 4.0, 2.0);
        let w = text_width(&text, SMALL_TARGET_FONT);
        let _ = write!(
            out,
            "<text class=\"bieu-do__muc-tieu\" x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\">{}</text>",
            num(clamp_label(x, w, SMALL_W)),
            num(height - 3.0),
            num(SMALL_TARGET_FONT),
            palette::RED,
            escape(&text)
        );
    }
    out.push_str("</svg>");
    out
}

/// Track (pale, with a dark outline for 3:1 contrast) and fill.
fn track(out: &mut String, x: f64, y: f64, w: f64, h: f64, percent: Decimal) {
    let _ = write!(
        out,
        "<rect class=\"bieu-do__ranh\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"1\"/>",
        num(x),
        num(y),
        num(w),
        num(h),
        palette::TRACK,
        palette::MUTED
    );
    let f = track_fraction(percent);
    if f > 0.0 {
        let _ = write!(
            out,
            "<rect class=\"bieu-do__cot\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
            num(x),
            num(y),
            num((f * w).max(1.0)),
            num(h),
            palette::NAVY
        );
    }
}

/// The target marker: a dark red vertical line crossing the track.
fn marker(out: &mut String, x: f64, y1: f64, y2: f64, width: f64) {
    let _ = write!(
        out,
        "<line class=\"bieu-do__vach-muc-tieu\" x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"{4}\"/>",
        num(x),
        num(y1),
        num(y2),
        palette::RED,
        num(width)
    );
}

// Figure geometry: 360 wide like the other charts.
const FIG_PAD: f64 = 8.0;
const FIG_BIG_FONT: f64 = 24.0;
const FIG_TRACK_H: f64 = 20.0;
const FIG_SCALE_FONT: f64 = 12.0;
const FIG_TARGET_FONT: f64 = 13.0;

/// A progress bar as a stand-alone figure: the big percentage, a wide
/// track with 0/50/100 % marks and the target marker, a caption and a
/// one-row table.
pub fn progress_figure(p: &Progress) -> String {
    let id = clean_id(&p.id);
    let label = if p.label.trim().is_empty() {
        "Tỷ lệ"
    } else {
        p.label.as_str()
    };
    let svg = Drawing::both(|d| figure_drawing(p, d, &id, label));
    // no table: the page's cards give the same two numbers (a one-row table repeated them)
    let parts = Parts {
        description: None,
        table: "",
        source: p.source.as_ref(),
        unit: "",
    };
    figure("tien-do", &id, label, &svg, parts)
}

/// The figure's SVG: the big percentage, the track, its scale and the
/// target marker with its label.
fn figure_drawing(p: &Progress, drawing: Drawing, id: &str, label: &str) -> String {
    let width = drawing.width();
    let x0 = FIG_PAD;
    let track_w = width - 2.0 * FIG_PAD;

    let mut body = String::new();
    let mut y = FIG_PAD;
    Text::at(x0, y + FIG_BIG_FONT - 2.0, FIG_BIG_FONT, palette::NAVY)
        .class("bieu-do__gia-tri")
        .weight("700")
        .write(&mut body, &escape(&p.percent_text()));
    y += FIG_BIG_FONT + 10.0;
    let track_y = y;
    track(&mut body, x0, track_y, track_w, FIG_TRACK_H, p.percent);
    y += FIG_TRACK_H;

    // Scale: 0 %, 50 %, 100 % under the track.
    let scale_y = y + FIG_SCALE_FONT + 3.0;
    body.push_str("<g class=\"bieu-do__truc\">");
    for (frac, text, anchor) in [
        (0.0, "0%", "start"),
        (0.5, "50%", "middle"),
        (1.0, "100%", "end"),
    ] {
        let x = x0 + frac * track_w;
        let _ = write!(
            body,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1\"/>",
            num(x),
            num(y),
            num(y + 3.0),
            palette::MUTED
        );
        Text::at(x, scale_y, FIG_SCALE_FONT, palette::MUTED)
            .anchor(anchor)
            .write(&mut body, text);
    }
    body.push_str("</g>");
    y = scale_y + 4.0;

    if let (Some(t), Some(text)) = (p.target_percent, p.target_text()) {
        let x = x0 + track_fraction(t) * track_w;
        let label_y = y + FIG_TARGET_FONT + 4.0;
        marker(&mut body, x, track_y - 6.0, label_y - FIG_TARGET_FONT, 2.5);
        let w = text_width(&text, FIG_TARGET_FONT) * 1.08; // bold
        Text::at(
            clamp_label(x, w, width),
            label_y,
            FIG_TARGET_FONT,
            palette::RED,
        )
        .class("bieu-do__muc-tieu")
        .weight("700")
        .write(&mut body, &escape(&text));
        y = label_y + 4.0;
    }
    let height = y + FIG_PAD;

    let mut svg = drawing_svg_open(drawing, id, height, label, &p.sentence());
    let _ = write!(svg, "{body}</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn seed() -> Progress {
        Progress {
            rate_decimals: None,
            source: None,
            id: "giai-ngan-da8".into(),
            label: "Tỷ lệ giải ngân Dự án 8, năm 2022".into(),
            percent: crate::locale::percent_of(d("1393"), d("3829")).unwrap(),
            target_percent: Some(d("68.5")),
            target_label: None,
        }
    }

    fn fill_width(doc: &roxmltree::Document) -> Option<f64> {
        by_class(doc, "bieu-do__cot")
            .first()
            .map(|r| r.attribute("width").unwrap().parse().unwrap())
    }

    fn track_width(doc: &roxmltree::Document) -> f64 {
        by_class(doc, "bieu-do__ranh")[0]
            .attribute("width")
            .unwrap()
            .parse()
            .unwrap()
    }

    #[test]
    fn small_bar_prints_percent_and_target() {
        let html = progress_bar(&seed());
        let doc = parse(&html);
        let s = svg(&doc);
        assert_svg_contract(s, "giai-ngan-da8", false);
        assert_eq!(s.attribute("id"), Some("giai-ngan-da8"));
        assert_ids_prefixed(&doc, "giai-ngan-da8");
        assert_eq!(
            text_of(by_tag(&doc, "title")[0]),
            "Tỷ lệ giải ngân Dự án 8, năm 2022: 36,38%; Mục tiêu 68,5%."
        );
        assert_eq!(text_of(by_class(&doc, "bieu-do__gia-tri")[0]), "36,38%");
        assert_eq!(
            text_of(by_class(&doc, "bieu-do__muc-tieu")[0]),
            "Mục tiêu 68,5%"
        );
        let line = by_class(&doc, "bieu-do__vach-muc-tieu")[0];
        let x: f64 = line.attribute("x1").unwrap().parse().unwrap();
        assert!((x - (SMALL_TRACK_X + 0.685 * SMALL_TRACK_W)).abs() < 0.1);
        let f = fill_width(&doc).unwrap() / track_width(&doc);
        assert!((f - 0.3638).abs() < 0.001, "{f}");
        assert!(!html.contains("<script") && !html.contains("<style"));
    }

    #[test]
    fn small_bar_without_target() {
        let mut p = seed();
        p.target_percent = None;
        let html = progress_bar(&p);
        let doc = parse(&html);
        assert!(by_class(&doc, "bieu-do__muc-tieu").is_empty());
        assert!(by_class(&doc, "bieu-do__vach-muc-tieu").is_empty());
        assert_eq!(view_box(svg(&doc))[3], 20.0);
        assert_eq!(
            text_of(by_tag(&doc, "title")[0]),
            "Tỷ lệ giải ngân Dự án 8, năm 2022: 36,38%."
        );
    }

    #[test]
    fn drawing_clamps_but_numbers_are_real() {
        let mut p = seed();
        p.percent = d("120");
        p.target_percent = Some(d("150"));
        for html in [progress_bar(&p), progress_figure(&p)] {
            let doc = parse(&html);
            assert_eq!(text_of(by_class(&doc, "bieu-do__gia-tri")[0]), "120,00%");
            assert_eq!(fill_width(&doc).unwrap(), track_width(&doc));
            let line = by_class(&doc, "bieu-do__vach-muc-tieu")[0];
            let x: f64 = line.attribute("x1").unwrap().parse().unwrap();
            let tr = by_class(&doc, "bieu-do__ranh")[0];
            let right: f64 = tr.attribute("x").unwrap().parse::<f64>().unwrap() + track_width(&doc);
            assert!((x - right).abs() < 0.1);
            assert!(text_of(by_class(&doc, "bieu-do__muc-tieu")[0]).ends_with("150%"));
            // The target label stays inside the drawing.
            let vb = view_box(svg(&doc));
            let label = by_class(&doc, "bieu-do__muc-tieu")[0];
            let lx: f64 = label.attribute("x").unwrap().parse().unwrap();
            let size: f64 = label.attribute("font-size").unwrap().parse().unwrap();
            assert!(lx >= 0.0 && lx + text_width(&text_of(label), size) <= vb[2] + 0.1);
        }
        p.percent = d("-5");
        p.target_percent = Some(d("-1"));
        for html in [progress_bar(&p), progress_figure(&p)] {
            let doc = parse(&html);
            assert_eq!(text_of(by_class(&doc, "bieu-do__gia-tri")[0]), "-5,00%");
            assert_eq!(fill_width(&doc), None);
        }
        p.percent = Decimal::ZERO;
        parse(&progress_bar(&p));
        p.percent = Decimal::MAX;
        parse(&progress_figure(&p));
    }

    #[test]
    fn figure_contract_and_no_table() {
        let html = progress_figure(&seed());
        assert_figure_contract_without_table(&html, "giai-ngan-da8");
        let doc = parse(&html);
        assert_eq!(
            text_of(by_tag(&doc, "desc")[0]),
            "Tỷ lệ giải ngân Dự án 8, năm 2022: 36,38%; Mục tiêu 68,5%."
        );
        assert_eq!(text_of(by_class(&doc, "bieu-do__gia-tri")[0]), "36,38%");
        assert_eq!(
            text_of(by_class(&doc, "bieu-do__muc-tieu")[0]),
            "Mục tiêu 68,5%"
        );
    }

    #[test]
    fn custom_target_words_and_escaping() {
        let p = Progress {
            rate_decimals: None,
            source: None,
            id: "a b".into(),
            label: "<script>x</script> & \"y\"".into(),
            percent: d("50"),
            target_percent: Some(d("68.50")),
            target_label: Some("Mục tiêu đến 31/12/2022".into()),
        };
        let html = progress_figure(&p);
        assert!(!html.contains("<script"));
        assert_figure_contract_without_table(&html, "a-b");
        let doc = parse(&html);
        assert_eq!(
            text_of(by_class(&doc, "bieu-do__muc-tieu")[0]),
            "Mục tiêu đến 31/12/2022 68,5%"
        );
        let small = progress_bar(&p);
        let doc = parse(&small);
        assert_svg_contract(svg(&doc), "a-b", false);
        assert_eq!(
            text_of(by_tag(&doc, "title")[0]),
            "<script>x</script> & \"y\": 50,00%; Mục tiêu đến 31/12/2022 68,5%."
        );
        // A full label that already has the number is printed as given.
        let full = Progress {
            target_label: Some("Mục tiêu 68,5% đến 31/12/2022".into()),
            ..p.clone()
        };
        let doc_html = progress_figure(&full);
        let doc = parse(&doc_html);
        assert_eq!(
            text_of(by_class(&doc, "bieu-do__muc-tieu")[0]),
            "Mục tiêu 68,5% đến 31/12/2022"
        );
        assert!(text_of(by_tag(&doc, "desc")[0]).ends_with("; Mục tiêu 68,5% đến 31/12/2022."));
        // Empty everything still renders with a title.
        let html = progress_figure(&Progress::default());
        assert_figure_contract_without_table(&html, "bieu-do");
        let html = progress_bar(&Progress::default());
        assert_svg_contract(svg(&parse(&html)), "bieu-do", false);
    }

    #[test]
    fn deterministic() {
        assert_eq!(progress_figure(&seed()), progress_figure(&seed()));
        assert_eq!(progress_bar(&seed()), progress_bar(&seed()));
    }
}
