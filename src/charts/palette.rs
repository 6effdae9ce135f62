//! Colours and fills, chosen for white paper, phone screens and
//! black-and-white printers.
//!
//! WCAG 1.4.11 asks graphical objects to contrast 3:1 with what is next to
//! them. The first series is a solid dark navy (14:1 against white). The
//! second is hatched: dark red stripes on a pale red ground inside a dark
//! red outline. The outline gives the bar's edge 7.8:1 against white; the
//! stripes make the bar recognisable without colour; and the hatch's mean
//! lightness differs from the navy by more than 3:1, so the two series
//! stay apart when printed in grey. Tests compute these ratios.
//!
//! Further series (rarely needed) get other hatches in dark green and
//! brown; they are distinguishable by pattern, not guaranteed by contrast.

/// Dark navy: the first series, progress fill, timeline line.
pub const NAVY: &str = "#1f3a68";
/// Dark red: stripes and outline of the second series, target markers.
pub const RED: &str = "#a4161a";
/// Pale red ground between the stripes of the second series.
pub const RED_TINT: &str = "#f9e3e3";
/// Body text (the theme's `--chu`).
pub const TEXT: &str = "#1b1d21";
/// Secondary text, axis lines and the progress track's border (`--chu-phu`).
pub const MUTED: &str = "#4a4f57";
/// Gridlines: decorative, deliberately light so they never compete with bars.
pub const GRID: &str = "#c6d0db";
/// Empty part of a progress track.
pub const TRACK: &str = "#eef1f5";

/// How one series is painted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SeriesStyle {
    /// Solid colour, or the stripe colour of a hatch.
    pub ink: &'static str,
    /// Ground between the stripes; `None` for a solid fill.
    pub ground: Option<&'static str>,
    /// Hatch angle in degrees.
    pub angle: i32,
}

const STYLES: [SeriesStyle; 4] = [
    SeriesStyle {
        ink: NAVY,
        ground: None,
        angle: 0,
    },
    SeriesStyle {
        ink: RED,
        ground: Some(RED_TINT),
        angle: 45,
    },
    SeriesStyle {
        ink: "#1e5b34",
        ground: Some("#e2f0e6"),
        angle: 0,
    },
    SeriesStyle {
        ink: "#6b4310",
        ground: Some("#f5ecdf"),
        angle: -45,
    },
];

/// The style of series number `i` (cycling after four series).
pub(crate) fn series_style(i: usize) -> SeriesStyle {
    STYLES[i % STYLES.len()]
}

/// Width of one hatch period and of its stripe, in user units: 3 units of
/// ink in 6 is visible at phone scale (about 2,7 px) and prints as a clear
/// texture.
const HATCH_PERIOD: u32 = 6;
const HATCH_INK: u32 = 3;

/// The `<pattern>` for series `i`, or nothing for a solid series. Its id is
/// `{chart_id}-mau-{i}`, so patterns of several charts on one page never
/// collide.
pub(crate) fn pattern_def(chart_id: &str, i: usize) -> Option<String> {
    let s = series_style(i);
    let ground = s.ground?;
    Some(format!(
        "<pattern id=\"{chart_id}-mau-{i}\" width=\"{HATCH_PERIOD}\" height=\"{HATCH_PERIOD}\" \
         patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate({})\">\
         <rect width=\"{HATCH_PERIOD}\" height=\"{HATCH_PERIOD}\" fill=\"{ground}\"/>\
         <rect width=\"{HATCH_INK}\" height=\"{HATCH_PERIOD}\" fill=\"{}\"/></pattern>",
        s.angle, s.ink
    ))
}

/// Fill and stroke attributes for a bar (or legend swatch) of series `i`.
/// Hatched bars get an outline in the ink colour: the outline carries the
/// 3:1 contrast against the page.
pub(crate) fn bar_paint(chart_id: &str, i: usize) -> String {
    let s = series_style(i);
    match s.ground {
        None => format!("fill=\"{}\"", s.ink),
        Some(_) => format!(
            "fill=\"url(#{chart_id}-mau-{i})\" stroke=\"{}\" stroke-width=\"1\"",
            s.ink
        ),
    }
}

/// Relative luminance (WCAG 2) of a "#rrggbb" colour; `None` if malformed.
pub fn relative_luminance(hex: &str) -> Option<f64> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// WCAG contrast ratio between two luminances (always ≥ 1).
pub fn contrast_ratio(l1: f64, l2: f64) -> f64 {
    let (hi, lo) = if l1 >= l2 { (l1, l2) } else { (l2, l1) };
    (hi + 0.05) / (lo + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lum(hex: &str) -> f64 {
        relative_luminance(hex).unwrap()
    }

    /// Mean luminance of a hatch as it appears from a distance (or in a
    /// greyscale print): the ink and ground mixed in proportion.
    fn hatch_luminance(s: SeriesStyle) -> f64 {
        let ink = f64::from(HATCH_INK) / f64::from(HATCH_PERIOD);
        match s.ground {
            None => lum(s.ink),
            Some(g) => ink * lum(s.ink) + (1.0 - ink) * lum(g),
        }
    }

    #[test]
    fn luminance_matches_wcag_reference_values() {
        assert!((lum("#ffffff") - 1.0).abs() < 1e-9);
        assert!(lum("#000000").abs() < 1e-9);
        assert!((contrast_ratio(lum("#000000"), lum("#ffffff")) - 21.0).abs() < 1e-9);
        // #767676 is the classic 4.54:1 grey.
        let grey = contrast_ratio(lum("#767676"), lum("#ffffff"));
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        assert_eq!(relative_luminance("123456"), None);
        assert_eq!(relative_luminance("#12345"), None);
        assert_eq!(relative_luminance("#gg0000"), None);
    }

    #[test]
    fn every_ink_contrasts_three_to_one_with_white() {
        for i in 0..4 {
            let s = series_style(i);
            let c = contrast_ratio(lum(s.ink), 1.0);
            assert!(c >= 3.0, "series {i} ink {} only {c:.2}:1", s.ink);
        }
        for (name, colour) in [
            ("text", TEXT),
            ("muted", MUTED),
            ("red", RED),
            ("navy", NAVY),
        ] {
            let c = contrast_ratio(lum(colour), 1.0);
            assert!(c >= 4.5, "{name} {colour} only {c:.2}:1 (text needs 4.5:1)");
        }
    }

    #[test]
    fn first_two_series_differ_three_to_one_in_greyscale() {
        let solid = hatch_luminance(series_style(0));
        let hatched = hatch_luminance(series_style(1));
        let c = contrast_ratio(solid, hatched);
        assert!(c >= 3.0, "solid vs hatch only {c:.2}:1");
        // And the hatch's own stripes stand out from their ground.
        let s = series_style(1);
        let stripes = contrast_ratio(lum(s.ink), lum(s.ground.unwrap()));
        assert!(stripes >= 3.0, "stripes only {stripes:.2}:1");
    }

    #[test]
    fn patterns_and_paint_use_the_chart_prefix() {
        assert_eq!(pattern_def("bd", 0), None);
        let p = pattern_def("bd", 1).unwrap();
        assert!(p.starts_with("<pattern id=\"bd-mau-1\""));
        roxmltree::Document::parse(&p).unwrap();
        assert_eq!(bar_paint("bd", 0), format!("fill=\"{NAVY}\""));
        assert!(bar_paint("bd", 1).contains("url(#bd-mau-1)"));
        assert_eq!(series_style(5), series_style(1));
    }
}
