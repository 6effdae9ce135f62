//! Grouped horizontal bars: one group per row (area or project), one bar
//! per series (allocated, disbursed), value printed after each bar.
//!
//! Horizontal bars because area names are long and there can be a
//! hundred of them: the chart grows downwards, one group per row, and
//! never needs rotated or overlapping labels. Each label sits on its own
//! line above its bars, so the same drawing works at 360 px and 1280 px.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::palette::{self, bar_paint, pattern_def};
use super::parts::{
    col_heading, empty_row, figure, grid_path, legend_close, legend_label, legend_open,
    legend_unit, num_cell, table_open, title_or_default, zero_path, Text, ValueAxis, LEGEND_LINE,
    SMALL_FONT,
};
use super::parts::{Parts, Source};
use super::scale::{nice_axis, Axis};
use super::text::{
    amount, clean_id, drawing_svg_open, escape, fraction, num, rate, safe_href, text_width, wrap,
    Drawing, NO_VALUE,
};

/// One group of bars.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarRow {
    /// Shown above the bars and as the row header of the table.
    pub label: String,
    /// One value per series, in the order of [`GroupedBars::series`].
    /// Missing values are printed as "—"; extra values are ignored.
    pub values: Vec<Decimal>,
    /// A remark for the table's "Ghi chú" column (e.g. "Số liệu minh họa").
    pub note: Option<String>,
    /// Link for the row's label in the table (the area's page). Not used
    /// inside the SVG: `role="img"` hides its content from assistive
    /// technology, so a link there would be unreachable for some readers.
    pub href: Option<String>,
}

/// A grouped horizontal bar chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupedBars {
    /// Unique on the page; prefix of every id inside the chart.
    pub id: String,
    /// e.g. "Giải ngân Dự án 8 theo địa bàn, năm 2022".
    pub title: String,
    /// The key figure in Vietnamese, read first by screen readers
    /// ("Toàn tỉnh đã giải ngân 1.393/3.829 triệu đồng (36,38%)…"). When
    /// empty, a summary of the series totals is written instead.
    pub description: String,
    /// "triệu đồng".
    pub unit: String,
    /// Series names, e.g. ["Dự toán được giao", "Đã giải ngân"]. With two
    /// or more series, the second is also shown as a percentage of the
    /// first (the disbursement rate).
    pub series: Vec<String>,
    /// Already sorted by the caller.
    pub rows: Vec<BarRow>,
    /// Decimals of the rates (the site's `rate_decimals`); `None`: the default.
    pub rate_decimals: Option<u32>,
    /// Printed under the chart.
    pub source: Option<Source>,
}

/// Heading of the table's first column. Neutral on purpose: rows are areas
/// on a project page and projects on an area page, and the caption says
/// which.
const LABEL_HEADING: &str = "Nội dung";

// Geometry, in user units. The drawing is 360 wide so that at a phone's
// ~330 px the 14-unit labels render at about 13 px.
const PAD: f64 = 8.0;
const LABEL_FONT: f64 = 14.0;
const LABEL_LINE: f64 = 18.0;
const VALUE_FONT: f64 = 13.0;
const BAR_H: f64 = 14.0;
const BAR_GAP: f64 = 3.0;
const ROW_GAP: f64 = 12.0;
/// Gap between a bar's end and its value label.
const VALUE_GAP: f64 = 4.0;
/// Space between the value and the rate in "1.393 (36,38%)".
const RATE_DX: f64 = 5.0;
/// Width factor of semi-bold text over regular.
const BOLD: f64 = 1.08;
/// Long charts repeat the axis labels at the bottom.
const BOTTOM_AXIS_FROM_ROWS: usize = 8;

/// The printed label for one value: the number, and for the second series
/// the rate relative to the first. Shared by the SVG and the table, so the
/// two can never disagree.
struct Cell {
    value: Option<Decimal>,
    text: String,
    rate: Option<String>,
}

fn decimals(c: &GroupedBars) -> u32 {
    c.rate_decimals
        .unwrap_or(crate::locale::DEFAULT_RATE_DECIMALS)
}

fn cells(c: &GroupedBars, row: &BarRow) -> Vec<Cell> {
    (0..c.series.len())
        .map(|i| {
            let value = row.values.get(i).copied();
            let rate = match (i, value, row.values.first()) {
                (1, Some(v), Some(&whole)) => {
                    Some(rate(v, whole, decimals(c)).unwrap_or_else(|| NO_VALUE.into()))
                }
                _ => None,
            };
            Cell {
                value,
                text: value.map(amount).unwrap_or_else(|| NO_VALUE.into()),
                rate,
            }
        })
        .collect()
}

fn rate_text(r: &str) -> String {
    format!("({r})")
}

/// "Dự toán được giao" → "dự toán được giao" for use mid-sentence; names
/// that start with an acronym ("UBND tỉnh") are left alone.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_owned(),
    }
}

/// A summary used when the caller gives no description: each series'
/// total, and the rate of the second to the first.
fn default_description(c: &GroupedBars) -> String {
    if c.rows.is_empty() || c.series.is_empty() {
        return "Chưa có số liệu.".to_owned();
    }
    let totals: Vec<Option<Decimal>> = (0..c.series.len())
        .map(|i| {
            c.rows.iter().try_fold(Decimal::ZERO, |acc, r| {
                acc.checked_add(r.values.get(i).copied().unwrap_or_default())
            })
        })
        .collect();
    let mut parts = Vec::new();
    for (i, name) in c.series.iter().enumerate() {
        let Some(t) = totals[i] else { continue };
        let mut p = format!("tổng {} {} {}", lower_first(name), amount(t), c.unit.trim());
        p = p.trim_end().to_owned();
        if i == 1 {
            if let Some(r) = totals[0].and_then(|whole| rate(t, whole, decimals(c))) {
                let _ = write!(p, " ({r})");
            }
        }
        parts.push(p);
    }
    format!("{} mục: {}.", c.rows.len(), parts.join("; "))
}

/// Renders the chart as `<figure class="bieu-do">` with the SVG, a
/// caption and the table of the same numbers.
pub fn grouped_bars(c: &GroupedBars) -> String {
    let id = clean_id(&c.id);
    let title = title_or_default(&c.title);
    let description = if c.description.trim().is_empty() {
        default_description(c)
    } else {
        c.description.clone()
    };
    let rows: Vec<Vec<Cell>> = c.rows.iter().map(|r| cells(c, r)).collect();

    let max = rows
        .iter()
        .flatten()
        .filter_map(|cell| cell.value)
        .max()
        .unwrap_or_default();
    let axis = nice_axis(max);

    let svg = Drawing::both(|d| draw(c, d, &id, title, &description, &rows, axis));
    let table = table(c, &rows);
    let parts = Parts {
        description: Some(&description),
        table: &table,
        source: c.source.as_ref(),
        unit: &c.unit,
    };
    figure("cot", &id, title, &svg, parts)
}

/// Estimated width of a value label ("1.393" plus " (36,38%)").
fn cell_width(cell: &Cell) -> f64 {
    let mut w = text_width(&cell.text, VALUE_FONT);
    if let Some(r) = &cell.rate {
        w += RATE_DX + text_width(&rate_text(r), VALUE_FONT);
    }
    w
}

/// Where values land: the value axis and the bars' horizontal extent.
struct Frame {
    values: ValueAxis,
    x0: f64,
    x1: f64,
    /// The drawing's width.
    width: f64,
}

impl Frame {
    fn new(rows: &[Vec<Cell>], axis: Axis, width: f64) -> Frame {
        let values = ValueAxis::new(axis);
        // Room at the right for the longest value label, so labels never
        // overlap bars or leave the drawing; capped so bars keep half the
        // width.
        let widest_value = rows.iter().flatten().map(cell_width).fold(0.0, f64::max);
        let last_tick_half = values
            .labels
            .last()
            .map(|t| text_width(t, SMALL_FONT) / 2.0)
            .unwrap_or(0.0);
        let reserve = (widest_value + VALUE_GAP + 2.0)
            .max(last_tick_half + 2.0)
            .min(width / 2.0);
        Frame {
            values,
            x0: PAD,
            x1: width - PAD - reserve,
            width,
        }
    }

    fn x_of(&self, v: Decimal) -> f64 {
        self.x0 + fraction(v, self.values.axis.max()) * (self.x1 - self.x0)
    }

    /// The tick labels on one line at `baseline`; if not all fit side by
    /// side, every other one.
    fn axis_labels(&self, baseline: f64) -> String {
        let spacing = (self.x1 - self.x0) / self.values.axis.intervals.max(1) as f64;
        let every = if self.values.widest_label() + 6.0 > spacing {
            2
        } else {
            1
        };
        self.values.labels_group("middle", |i, t, label| {
            let min_x = self.x0 + text_width(label, SMALL_FONT) / 2.0 - PAD / 2.0;
            (i % every == 0).then(|| (self.x_of(t).max(min_x), baseline))
        })
    }
}

/// Gridline and zero-line segments, collected per row so they run only
/// through the bars, never through a label line.
#[derive(Default)]
struct Lines {
    grid: String,
    zero: String,
}

fn draw(
    c: &GroupedBars,
    drawing: Drawing,
    chart_id: &str,
    title: &str,
    description: &str,
    rows: &[Vec<Cell>],
    axis: Axis,
) -> String {
    let f = Frame::new(rows, axis, drawing.width());
    // patterns are defined in each drawing: their ids must differ
    let id = &drawing.id(chart_id);
    let (mut body, mut y) = legend(c, id, f.x0);
    y += 2.0;
    body.push_str(&f.axis_labels(y + 12.0));
    y += 18.0;

    let mut lines = Lines::default();
    let mut groups = String::new();
    for (row, row_cells) in c.rows.iter().zip(rows) {
        y = bar_row(&f, id, row, row_cells, y, &mut groups, &mut lines);
    }
    if c.rows.is_empty() {
        Text::at(f.x0, y + LABEL_FONT, LABEL_FONT, palette::MUTED)
            .class("bieu-do__trong")
            .write(&mut groups, "Chưa có số liệu");
        y += LABEL_LINE + ROW_GAP;
    }
    if c.rows.len() >= BOTTOM_AXIS_FROM_ROWS {
        groups.push_str(&f.axis_labels(y + 4.0));
        y += 18.0;
    }
    let height = y + PAD;

    let defs: String = (0..c.series.len())
        .filter_map(|i| pattern_def(id, i))
        .collect();
    let mut out = drawing_svg_open(drawing, chart_id, height, title, description);
    if !defs.is_empty() {
        let _ = write!(out, "<defs>{defs}</defs>");
    }
    out.push_str(&body);
    if !lines.grid.is_empty() {
        grid_path(&mut out, &lines.grid);
    }
    out.push_str(&groups);
    if !lines.zero.is_empty() {
        zero_path(&mut out, &lines.zero);
    }
    out.push_str("</svg>");
    out
}

/// Legend: one series per line (narrow screens), swatch = bar paint.
/// Returns it and the y below it.
fn legend(c: &GroupedBars, id: &str, x0: f64) -> (String, f64) {
    let mut s = String::new();
    let mut y = PAD;
    legend_open(&mut s);
    for (i, name) in c.series.iter().enumerate() {
        let _ = write!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" {}/>",
            num(x0),
            num(y + 1.0),
            bar_paint(id, i)
        );
        legend_label(&mut s, x0 + 20.0, y, name);
        y += LEGEND_LINE;
    }
    y = legend_unit(&mut s, x0, y, &c.unit);
    legend_close(&mut s);
    (s, y)
}

/// One group: the label above, then one bar and value per series, with
/// the row's gridline segments. Returns the top of the next group.
fn bar_row(
    f: &Frame,
    id: &str,
    row: &BarRow,
    row_cells: &[Cell],
    mut y: f64,
    out: &mut String,
    lines: &mut Lines,
) -> f64 {
    out.push_str("<g class=\"bieu-do__hang\">");
    y = row_label(f, &row.label, y, out);
    let bars_top = y;
    for (i, cell) in row_cells.iter().enumerate() {
        bar(f, id, i, cell, y, out);
        y += BAR_H + BAR_GAP;
    }
    if !row_cells.is_empty() {
        y -= BAR_GAP;
        let (from, to) = (num(bars_top - 2.0), num(y + 2.0));
        for t in f.values.ticks.iter().skip(1) {
            let _ = write!(lines.grid, "M{} {from}V{to}", num(f.x_of(*t)));
        }
        let _ = write!(lines.zero, "M{} {from}V{to}", num(f.x0));
    }
    out.push_str("</g>");
    y + ROW_GAP
}

/// A row's label, wrapped to two lines; returns the top of its bars.
fn row_label(f: &Frame, label: &str, y: f64, out: &mut String) -> f64 {
    let label_width = f.width - 2.0 * PAD;
    // Labels are semi-bold, about 8 % wider than the estimate.
    let (lines, truncated) = wrap(label, label_width, LABEL_FONT * BOLD, 2);
    if truncated {
        // A tooltip for mouse users; the table has the full text too.
        let _ = write!(out, "<title>{}</title>", escape(label));
    }
    Text::at(f.x0, y + LABEL_FONT, LABEL_FONT, palette::TEXT)
        .class("bieu-do__nhan")
        .weight("600")
        .open(out);
    for (k, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<tspan x=\"{}\" y=\"{}\">{}</tspan>",
            num(f.x0),
            num(y + LABEL_FONT + k as f64 * LABEL_LINE),
            escape(line)
        );
    }
    out.push_str("</text>");
    y + lines.len().max(1) as f64 * LABEL_LINE + 2.0
}

/// One bar (series `i`) at `y` and its value label after it.
fn bar(f: &Frame, id: &str, i: usize, cell: &Cell, y: f64, out: &mut String) {
    let end = match cell.value {
        Some(v) if v > Decimal::ZERO => {
            // A positive value too small to see still gets a sliver.
            let w = (f.x_of(v) - f.x0).max(1.0);
            let _ = write!(
                out,
                "<rect class=\"bieu-do__cot bieu-do__cot--{i}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>",
                num(f.x0),
                num(y),
                num(w),
                num(BAR_H),
                bar_paint(id, i)
            );
            f.x0 + w
        }
        _ => f.x0,
    };
    Text::at(end + VALUE_GAP, y + BAR_H - 3.0, VALUE_FONT, palette::TEXT)
        .class("bieu-do__gia-tri")
        .open(out);
    out.push_str(&escape(&cell.text));
    if let Some(r) = &cell.rate {
        let _ = write!(
            out,
            "<tspan class=\"bieu-do__ty-le\" dx=\"{}\" font-weight=\"700\">{}</tspan>",
            num(RATE_DX),
            escape(&rate_text(r))
        );
    }
    out.push_str("</text>");
}

fn table(c: &GroupedBars, rows: &[Vec<Cell>]) -> String {
    let has_rate = c.series.len() >= 2;
    let has_note = c.rows.iter().any(|r| r.note.is_some());
    let unit = c.unit.trim();
    let mut t = table_open(unit);
    let _ = write!(t, "<thead><tr><th scope=\"col\">{LABEL_HEADING}</th>");
    for s in &c.series {
        col_heading(&mut t, s, unit);
    }
    if has_rate {
        let _ = write!(
            t,
            "<th scope=\"col\">Tỷ lệ so với {}</th>",
            escape(&lower_first(&c.series[0]))
        );
    }
    if has_note {
        t.push_str("<th scope=\"col\">Ghi chú</th>");
    }
    t.push_str("</tr></thead><tbody>");
    for (row, row_cells) in c.rows.iter().zip(rows) {
        table_row(&mut t, row, row_cells, has_rate, has_note);
    }
    if c.rows.is_empty() {
        empty_row(&mut t, 1 + c.series.len() + usize::from(has_rate));
    }
    t.push_str("</tbody></table>");
    t
}

/// One table row: the label (linked when safe), the values, the rate and
/// the note, as the header says.
fn table_row(t: &mut String, row: &BarRow, row_cells: &[Cell], has_rate: bool, has_note: bool) {
    t.push_str("<tr><th scope=\"row\">");
    match row.href.as_deref().and_then(safe_href) {
        Some(href) => {
            let _ = write!(t, "<a href=\"{}\">{}</a>", escape(href), escape(&row.label));
        }
        None => t.push_str(&escape(&row.label)),
    }
    t.push_str("</th>");
    for cell in row_cells {
        num_cell(t, &cell.text);
    }
    if has_rate {
        let r = row_cells
            .get(1)
            .and_then(|cell| cell.rate.clone())
            .unwrap_or_else(|| NO_VALUE.into());
        num_cell(t, &r);
    }
    if has_note {
        let _ = write!(
            t,
            "<td>{}</td>",
            escape(row.note.as_deref().unwrap_or_default())
        );
    }
    t.push_str("</tr>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn row(label: &str, values: &[&str]) -> BarRow {
        BarRow {
            label: label.into(),
            values: values.iter().map(|v| d(v)).collect(),
            note: None,
            href: None,
        }
    }

    fn kon_tum() -> GroupedBars {
        GroupedBars {
            rate_decimals: None,
            source: None,
            id: "du-an-8-2022".into(),
            title: "Giải ngân Dự án 8 theo địa bàn, năm 2022".into(),
            description: "Toàn tỉnh đã giải ngân 1.393/3.829 triệu đồng (36,38%).".into(),
            unit: "triệu đồng".into(),
            series: vec!["Dự toán được giao".into(), "Đã giải ngân".into()],
            rows: vec![
                BarRow {
                    href: Some("/dia-ban/kon-plong/".into()),
                    note: Some("Đã ban hành kế hoạch".into()),
                    ..row("Huyện Kon Plông", &["520", "260.5"])
                },
                row("Thành phố Kon Tum", &["3829", "1393"]),
                row("Huyện Ia H'Drai", &["300", "0"]),
            ],
        }
    }

    /// The values printed in the SVG, per row and series, and the rate
    /// printed after the second bar.
    fn printed(doc: &roxmltree::Document) -> Vec<(Vec<String>, Option<String>)> {
        by_class(doc, "bieu-do__hang")
            .into_iter()
            .map(|g| {
                let labels: Vec<_> = g
                    .descendants()
                    .filter(|n| n.attribute("class") == Some("bieu-do__gia-tri"))
                    .collect();
                let values = labels.iter().map(|n| own_text(*n)).collect();
                let rate = g
                    .descendants()
                    .find(|n| n.attribute("class") == Some("bieu-do__ty-le"))
                    .map(|n| text_of(n).trim_matches(['(', ')']).to_owned());
                (values, rate)
            })
            .collect()
    }

    #[test]
    fn figure_svg_and_table_contract() {
        let html = grouped_bars(&kon_tum());
        assert_figure_contract(&html, "du-an-8-2022");
        let doc = parse(&html);
        let s = svg(&doc);
        let desc = by_tag(&doc, "desc")[0];
        assert!(text_of(desc).contains("36,38%"));
        assert!(s.attribute("class").is_some());
        // Caption and heading.
        assert_eq!(
            text_of(by_tag(&doc, "caption")[0]),
            "Số liệu của biểu đồ (đơn vị: triệu đồng)",
            "the title is right above: the caption gives the unit"
        );
        let heads: Vec<String> = by_tag(&doc, "thead")[0]
            .descendants()
            .filter(|n| n.tag_name().name() == "th")
            .map(text_of)
            .collect();
        assert_eq!(
            heads,
            [
                "Nội dung",
                "Dự toán được giao (triệu đồng)",
                "Đã giải ngân (triệu đồng)",
                "Tỷ lệ so với dự toán được giao",
                "Ghi chú"
            ]
        );
    }

    #[test]
    fn printed_values_equal_table_cells() {
        let html = grouped_bars(&kon_tum());
        let doc = parse(&html);
        let svg_values = printed(&doc);
        let table = table_rows(&doc);
        assert_eq!(svg_values.len(), 3);
        assert_eq!(table.len(), 3);
        for ((values, rate), cells) in svg_values.iter().zip(&table) {
            assert_eq!(values, &cells[1..3].to_vec());
            assert_eq!(rate.as_deref(), Some(cells[3].as_str()));
        }
        assert_eq!(
            table[0],
            [
                "Huyện Kon Plông",
                "520",
                "260,5",
                "50,10%",
                "Đã ban hành kế hoạch"
            ]
        );
        assert_eq!(
            table[1],
            ["Thành phố Kon Tum", "3.829", "1.393", "36,38%", ""]
        );
        assert_eq!(table[2][3], "0,00%");
        // Row link in the table only, not inside the SVG.
        let links = by_tag(&doc, "a");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].attribute("href"), Some("/dia-ban/kon-plong/"));
        assert!(svg(&doc).descendants().all(|n| n.tag_name().name() != "a"));
    }

    #[test]
    fn second_series_is_hatched_with_prefixed_pattern() {
        let html = grouped_bars(&kon_tum());
        let doc = parse(&html);
        let patterns = by_tag(&doc, "pattern");
        assert_eq!(patterns.len(), 1);
        assert_eq!(patterns[0].attribute("id"), Some("du-an-8-2022-mau-1"));
        let first = by_class(&doc, "bieu-do__cot--0");
        let second = by_class(&doc, "bieu-do__cot--1");
        assert!(first
            .iter()
            .all(|r| r.attribute("fill") == Some(palette::NAVY)));
        assert!(second
            .iter()
            .all(|r| r.attribute("fill") == Some("url(#du-an-8-2022-mau-1)")
                && r.attribute("stroke") == Some(palette::RED)));
        // Legend: SVG text for each series, swatches painted like the bars.
        let legend = by_class(&doc, "bieu-do__chu-giai")[0];
        let text = text_of(legend);
        assert!(text.contains("Dự toán được giao") && text.contains("Đã giải ngân"));
        assert!(text.contains("Đơn vị: triệu đồng"));
    }

    #[test]
    fn bar_lengths_follow_values_and_the_nice_axis() {
        let html = grouped_bars(&kon_tum());
        let doc = parse(&html);
        // Max 3.829 → axis 0–4.000 in steps of 1.000: 4 gridlines + zero.
        let axis_text: Vec<String> = by_class(&doc, "bieu-do__truc")[0]
            .children()
            .map(text_of)
            .collect();
        assert_eq!(axis_text, ["0", "1.000", "2.000", "3.000", "4.000"]);
        let widths: Vec<f64> = by_class(&doc, "bieu-do__cot")
            .iter()
            .map(|r| r.attribute("width").unwrap().parse().unwrap())
            .collect();
        // Kon Plông 520, 260,5; Kon Tum 3.829, 1.393; Ia H'Drai 300 (0 has no bar).
        assert_eq!(widths.len(), 5);
        let ratio = widths[2] / widths[3];
        assert!((ratio - 3829.0 / 1393.0).abs() < 0.02, "{ratio}");
        // Labels sit above their bars: each label's baseline is above the
        // first bar of its group.
        for g in by_class(&doc, "bieu-do__hang") {
            let label_y: f64 = g
                .descendants()
                .filter(|n| n.tag_name().name() == "tspan" && n.attribute("class").is_none())
                .map(|n| n.attribute("y").unwrap().parse::<f64>().unwrap())
                .fold(0.0, f64::max);
            for bar in g.descendants().filter(|n| n.tag_name().name() == "rect") {
                let top: f64 = bar.attribute("y").unwrap().parse().unwrap();
                assert!(top > label_y, "bar at {top} under label at {label_y}");
            }
        }
        // Every value label starts right of its bar and inside the drawing.
        let vb = view_box(svg(&doc));
        for t in by_class(&doc, "bieu-do__gia-tri") {
            let x: f64 = t.attribute("x").unwrap().parse().unwrap();
            let est = text_width(&text_of(t), VALUE_FONT) + RATE_DX;
            assert!(x + est <= vb[2] + 0.5, "value label runs off: {x} + {est}");
        }
    }

    #[test]
    fn hundred_rows_stay_readable() {
        let mut c = kon_tum();
        let small = view_box(svg(&parse(&grouped_bars(&c))))[3];
        c.rows = (1..=100)
            .map(|i| {
                row(
                    &format!("Xã số {i}"),
                    &[&format!("{}", i * 10), &format!("{}", i * 3)],
                )
            })
            .collect();
        let html = grouped_bars(&c);
        let doc = parse(&html);
        let groups = by_class(&doc, "bieu-do__hang");
        assert_eq!(groups.len(), 100);
        for (i, g) in groups.iter().enumerate() {
            let label = g
                .descendants()
                .find(|n| n.attribute("class") == Some("bieu-do__nhan"))
                .unwrap();
            assert_eq!(text_of(label), format!("Xã số {}", i + 1));
        }
        assert_eq!(table_rows(&doc).len(), 100);
        let vb = view_box(svg(&doc));
        assert_eq!(vb[2], Drawing::Narrow.width(), "width stays fixed");
        assert!(vb[3] > small * 20.0, "height grows: {} vs {small}", vb[3]);
        // The axis is repeated at the bottom.
        assert_eq!(by_class(&doc, "bieu-do__truc").len(), 2);
    }

    /// Under the chart: its source, the date of its figures, the unit and the CSV, escaped;
    /// an unsafe link is left out.
    #[test]
    fn the_source_line_says_where_figures_come_from() {
        let mut c = kon_tum();
        c.source = Some(Source {
            text: "Hội LHPN <b>tỉnh</b>.".into(),
            as_of: chrono::NaiveDate::from_ymd_opt(2022, 11, 30),
            csv: Some("/du-lieu/du-an-8-kon-tum-2022-11.csv".into()),
        });
        let html = grouped_bars(&c);
        let doc = parse(&html);
        let note = by_class(&doc, "bieu-do__nguon")[0];
        assert_eq!(
            text_of(note),
            "Nguồn: Hội LHPN <b>tỉnh</b>. Số liệu đến 30/11/2022. Đơn vị: triệu đồng. Tải số liệu (CSV)"
        );
        let a = by_tag(&doc, "a").into_iter().last().unwrap();
        assert_eq!(
            a.attribute("href"),
            Some("/du-lieu/du-an-8-kon-tum-2022-11.csv")
        );
        c.source.as_mut().unwrap().csv = Some("javascript:alert(1)".into());
        assert!(!grouped_bars(&c).contains("javascript:"));
        c.source = None;
        let doc_html = grouped_bars(&c);
        let doc = parse(&doc_html);
        assert_eq!(
            text_of(by_class(&doc, "bieu-do__nguon")[0]),
            "Đơn vị: triệu đồng."
        );
    }

    #[test]
    fn both_drawings_say_the_same() {
        assert_both_drawings_agree(&grouped_bars(&kon_tum()), &["bieu-do__gia-tri"]);
    }

    #[test]
    fn long_labels_wrap_or_truncate_but_table_keeps_full_text() {
        let mut c = kon_tum();
        let long = "Huyện Ia H'Drai (đơn vị hành chính cấp huyện đã giải thể khi sắp xếp đơn vị hành chính năm 2025, nay thuộc tỉnh Quảng Ngãi)";
        c.rows = vec![row(long, &["1", "1"])];
        let doc_html = grouped_bars(&c);
        let doc = parse(&doc_html);
        let label = by_class(&doc, "bieu-do__nhan")[0];
        let lines: Vec<_> = label.children().filter(|n| n.is_element()).collect();
        assert_eq!(lines.len(), 2);
        assert!(text_of(label).ends_with('…'));
        for l in &lines {
            assert!(
                text_width(&text_of(*l), LABEL_FONT * BOLD) <= Drawing::Narrow.width() - 2.0 * PAD
            );
        }
        assert_eq!(table_rows(&doc)[0][0], long);
    }

    #[test]
    fn hostile_text_is_escaped_everywhere() {
        let mut c = kon_tum();
        c.id = "x\" onload=\"alert(1)".into();
        c.title = "<script>alert(1)</script>".into();
        c.description = "]]> & \"quoted\"".into();
        c.unit = "<b>đồng</b>".into();
        c.series = vec!["A & B".into(), "'C'".into()];
        c.rows = vec![BarRow {
            href: Some("javascript:alert(1)".into()),
            note: Some("<i>ghi chú</i>".into()),
            ..row("<img src=x onerror=alert(1)>", &["1", "2"])
        }];
        let html = grouped_bars(&c);
        assert!(!html.contains("<script"));
        assert!(!html.contains("<img"));
        assert!(!html.contains("<b>"));
        assert!(!html.contains("javascript:"));
        assert_figure_contract(&html, "x--onload--alert-1-");
        let doc = parse(&html);
        assert_eq!(
            text_of(by_tag(&doc, "title")[0]),
            "<script>alert(1)</script>"
        );
        assert_eq!(text_of(by_tag(&doc, "desc")[0]), "]]> & \"quoted\"");
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        // No rows.
        let mut c = kon_tum();
        c.rows.clear();
        let html = grouped_bars(&c);
        assert_figure_contract(&html, "du-an-8-2022");
        let doc = parse(&html);
        assert!(by_class(&doc, "bieu-do__hang").is_empty());
        assert_eq!(table_rows(&doc), [["Chưa có số liệu"]]);
        assert!(text_of(by_tag(&doc, "desc")[0]).contains("36,38%"));

        // All zeros: rates are 0 over 0, i.e. no rate.
        c.rows = vec![row("A", &["0", "0"]), row("B", &["0", "0"])];
        let html = grouped_bars(&c);
        let doc = parse(&html);
        assert!(by_class(&doc, "bieu-do__cot").is_empty());
        assert_eq!(table_rows(&doc)[0], ["A", "0", "0", "—"]);
        assert_eq!(printed(&doc)[0].1.as_deref(), Some("—"));

        // Negative values draw nothing but print the number.
        c.rows = vec![row("Âm", &["-50", "10"])];
        let html = grouped_bars(&c);
        let doc = parse(&html);
        assert_eq!(printed(&doc)[0].0, ["-50", "10"]);
        assert_eq!(table_rows(&doc)[0][1], "-50");
        assert_eq!(by_class(&doc, "bieu-do__cot").len(), 1);

        // Missing and extra values, no series, one series, empty texts.
        c.rows = vec![row("Thiếu", &["5"]), row("Thừa", &["1", "2", "3"])];
        let doc_html = grouped_bars(&c);
        let doc = parse(&doc_html);
        assert_eq!(table_rows(&doc)[0], ["Thiếu", "5", "—", "—"]);
        assert_eq!(table_rows(&doc)[1], ["Thừa", "1", "2", "200,00%"]);
        c.series.clear();
        let html = grouped_bars(&c);
        parse(&html);
        c.series = vec!["Một".into()];
        let doc_html = grouped_bars(&c);
        let doc = parse(&doc_html);
        assert_eq!(table_rows(&doc)[0], ["Thiếu", "5"]);
        let empty = grouped_bars(&GroupedBars::default());
        assert_figure_contract(&empty, "bieu-do");

        // Extreme values.
        c.series = vec!["a".into(), "b".into()];
        c.rows = vec![row("max", &["79228162514264337593543950335", "1"])];
        parse(&grouped_bars(&c));
        c.rows = vec![row("tiny", &["0.0000000001", "0.00000000005"])];
        parse(&grouped_bars(&c));
    }

    #[test]
    fn no_description_gives_a_summary() {
        let mut c = kon_tum();
        c.description = " ".into();
        c.rows = vec![row("A", &["3000", "1000"]), row("B", &["829", "393"])];
        let doc_html = grouped_bars(&c);
        let doc = parse(&doc_html);
        let desc = text_of(by_tag(&doc, "desc")[0]);
        assert_eq!(
            desc,
            "2 mục: tổng dự toán được giao 3.829 triệu đồng; tổng đã giải ngân 1.393 triệu đồng (36,38%)."
        );
    }

    #[test]
    fn output_is_deterministic_and_ids_differ_between_charts() {
        let a = grouped_bars(&kon_tum());
        assert_eq!(a, grouped_bars(&kon_tum()));
        let mut other = kon_tum();
        other.id = "du-an-8-2023".into();
        let b = grouped_bars(&other);
        let page = format!("<main>{a}{b}</main>");
        let doc = parse(&page);
        let mut ids: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.attribute("id"))
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "ids collide between two charts");
    }

    #[test]
    fn lower_first_keeps_acronyms() {
        assert_eq!(lower_first("Dự toán được giao"), "dự toán được giao");
        assert_eq!(lower_first("UBND tỉnh"), "UBND tỉnh");
        assert_eq!(lower_first(""), "");
        assert_eq!(lower_first("Đ"), "Đ");
    }
}
