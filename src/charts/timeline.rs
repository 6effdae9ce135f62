//! Cumulative disbursement over time, against the allocation and a target.
//!
//! Each report's `as_of` date gives one point (money disbursed so far). The
//! question readers ask is "are we on track?", so the chart shows the
//! allocation as a 100 % line and the target as a dashed line with a
//! marker at its deadline, next to the points and their values.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

use super::palette;
use super::scale::nice_axis;
use super::text::{
    amount, clean_id, escape, figure_svg_open, fraction, num, pct, rate, table_region, text_width,
    NO_VALUE,
};
use crate::locale::{format_date, DateStyle};

/// One report: money disbursed so far, as of a date.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimelinePoint {
    pub date: NaiveDate,
    pub value: Decimal,
}

/// A cumulative disbursement timeline.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    /// Unique on the page; prefix of every id inside the chart.
    pub id: String,
    pub title: String,
    /// The key figure in Vietnamese; when empty, one is written from the
    /// latest point ("Đến 30/11/2022 đã giải ngân lũy kế 1.393/3.829 …").
    pub description: String,
    pub unit: String,
    /// Allocated amount (100 %).
    pub total: Decimal,
    /// Cumulative disbursed amount by `as_of`, sorted by date (the chart
    /// sorts again, stably, so a mistake cannot draw a zigzag).
    pub points: Vec<TimelinePoint>,
    /// (by, disbursed_percent): the target line and its deadline marker.
    pub target: Option<(NaiveDate, Decimal)>,
    /// The x range (e.g. the year). Widened if a point or the target falls
    /// outside, so nothing is ever drawn off the chart.
    pub start: NaiveDate,
    pub end: NaiveDate,
}

const WIDTH: f64 = 360.0;
const PAD: f64 = 8.0;
const FONT: f64 = 13.0;
const SMALL_FONT: f64 = 12.0;
const LEGEND_LINE: f64 = 20.0;
const PLOT_H: f64 = 200.0;
const MARKER_R: f64 = 4.0;

fn short(d: NaiveDate) -> String {
    format_date(d, DateStyle::Short)
}

/// The target as an amount, rounded to two decimals for display.
fn target_amount(total: Decimal, percent: Decimal) -> Decimal {
    total
        .checked_mul(percent)
        .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
        .or_else(|| {
            total
                .checked_div(Decimal::ONE_HUNDRED)?
                .checked_mul(percent)
        })
        .unwrap_or_default()
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn target_words(date: NaiveDate, percent: Decimal) -> (String, String) {
    (
        format!("Mục tiêu {}", pct(percent)),
        format!("đến {}", short(date)),
    )
}

fn default_description(t: &Timeline, points: &[TimelinePoint]) -> String {
    let unit = t.unit.trim();
    let mut s = match points.last() {
        None => "Chưa có số liệu giải ngân".to_owned(),
        Some(p) => {
            let r = rate(p.value, t.total).unwrap_or_else(|| NO_VALUE.into());
            format!(
                "Đến {} đã giải ngân lũy kế {}/{} {unit} ({r})",
                short(p.date),
                amount(p.value),
                amount(t.total)
            )
            .replace("  ", " ")
        }
    };
    if let Some((by, percent)) = t.target {
        let _ = write!(s, "; mục tiêu {} đến {}", pct(percent), short(by));
    }
    s.push('.');
    s
}

/// An axis-aligned box of placed text, to keep labels from overlapping.
#[derive(Clone, Copy)]
struct Box {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Box {
    fn hits(&self, o: &Box) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }
}

/// Renders the timeline as `<figure class="bieu-do">` with the SVG, a
/// caption and the table of the same numbers.
pub fn timeline(t: &Timeline) -> String {
    let id = clean_id(&t.id);
    let title = if t.title.trim().is_empty() {
        "Biểu đồ"
    } else {
        t.title.as_str()
    };
    let mut points = t.points.clone();
    points.sort_by_key(|p| p.date);
    let description = if t.description.trim().is_empty() {
        default_description(t, &points)
    } else {
        t.description.clone()
    };
    let svg = draw(t, &id, title, &description, &points);
    let table = table(t, title, &points);
    format!(
        "<figure class=\"bieu-do bieu-do--thoi-gian\" id=\"{id}\">\
         <figcaption><span class=\"bieu-do__tieu-de\">{}</span> \
         <span class=\"bieu-do__mo-ta\">{}</span></figcaption>{svg}{}</figure>",
        escape(title),
        escape(&description),
        table_region(&format!("Bảng số liệu: {title}"), &table)
    )
}

fn draw(
    t: &Timeline,
    id: &str,
    title: &str,
    description: &str,
    points: &[TimelinePoint],
) -> String {
    let target = t.target.map(|(by, p)| (by, p, target_amount(t.total, p)));
    let max = points
        .iter()
        .map(|p| p.value)
        .chain([t.total])
        .chain(target.map(|(_, _, v)| v))
        .max()
        .unwrap_or_default();
    let axis = nice_axis(max);
    let ticks = axis.ticks();
    let tick_labels: Vec<String> = ticks.iter().map(|v| amount(*v)).collect();

    // x range: the caller's, widened to the data.
    let dates = points
        .iter()
        .map(|p| p.date)
        .chain([t.start, t.end])
        .chain(target.map(|(by, _, _)| by));
    let lo = dates.clone().min().unwrap_or(t.start);
    let hi = dates.max().unwrap_or(t.end);
    let span = (hi - lo).num_days() as f64;

    let widest_tick = tick_labels
        .iter()
        .map(|l| text_width(l, SMALL_FONT))
        .fold(0.0, f64::max);
    let x0 = PAD + widest_tick + 6.0;
    let x1 = WIDTH - PAD - 4.0;
    let x_of = |d: NaiveDate| {
        if span <= 0.0 {
            (x0 + x1) / 2.0
        } else {
            x0 + (d - lo).num_days() as f64 / span * (x1 - x0)
        }
    };

    let mut body = String::new();
    let mut y = PAD;

    // Legend, one item per line.
    body.push_str("<g class=\"bieu-do__chu-giai\">");
    let legend_text = |body: &mut String, y: f64, text: &str| {
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\">{}</text>",
            num(PAD + 34.0),
            num(y + 13.0),
            num(FONT),
            palette::TEXT,
            escape(text)
        );
    };
    let _ = write!(
        body,
        "<line x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2.5\"/>\
         <circle cx=\"{4}\" cy=\"{2}\" r=\"{5}\" fill=\"{3}\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
        num(PAD),
        num(PAD + 26.0),
        num(y + 9.0),
        palette::NAVY,
        num(PAD + 13.0),
        num(MARKER_R)
    );
    legend_text(&mut body, y, "Lũy kế đã giải ngân");
    y += LEGEND_LINE;
    if t.total > Decimal::ZERO {
        let _ = write!(
            body,
            "<line x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"/>",
            num(PAD),
            num(PAD + 26.0),
            num(y + 9.0),
            palette::MUTED
        );
        legend_text(&mut body, y, "Dự toán được giao (100%)");
        y += LEGEND_LINE;
    }
    if target.is_some() {
        let _ = write!(
            body,
            "<line x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>{4}",
            num(PAD),
            num(PAD + 26.0),
            num(y + 9.0),
            palette::RED,
            diamond(PAD + 13.0, y + 9.0)
        );
        legend_text(&mut body, y, "Mục tiêu");
        y += LEGEND_LINE;
    }
    if !t.unit.trim().is_empty() {
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\">Đơn vị: {}</text>",
            num(PAD),
            num(y + 12.0),
            num(SMALL_FONT),
            palette::MUTED,
            escape(t.unit.trim())
        );
        y += LEGEND_LINE;
    }
    body.push_str("</g>");

    // Room above the plot for a label over the top line.
    y += 22.0;
    let top = y;
    let bottom = top + PLOT_H;
    let y_of = |v: Decimal| bottom - fraction(v, axis.max()) * PLOT_H;

    // Gridlines with their value labels (left), zero line darker.
    let mut grid = String::new();
    body.push_str("<g class=\"bieu-do__truc\">");
    for (v, label) in ticks.iter().zip(&tick_labels) {
        let yy = y_of(*v);
        if !v.is_zero() {
            let _ = write!(grid, "M{} {}H{}", num(x0), num(yy), num(x1));
        }
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"end\">{}</text>",
            num(x0 - 5.0),
            num(yy + 4.0),
            num(SMALL_FONT),
            palette::MUTED,
            escape(label)
        );
    }
    body.push_str("</g>");
    let mut out_plot = String::new();
    let _ = write!(
        out_plot,
        "<path class=\"bieu-do__luoi\" d=\"{grid}\" stroke=\"{}\" stroke-width=\"1\" fill=\"none\"/>",
        palette::GRID
    );

    // Time axis: baseline, month (or year) ticks, the range's end dates.
    let mut ticks_d = String::new();
    for d in time_ticks(lo, hi) {
        let _ = write!(
            ticks_d,
            "M{} {}V{}",
            num(x_of(d)),
            num(bottom),
            num(bottom + 4.0)
        );
    }
    let _ = write!(
        out_plot,
        "<path class=\"bieu-do__truc-0\" d=\"M{} {}H{}{ticks_d}\" stroke=\"{}\" stroke-width=\"1.5\" fill=\"none\"/>",
        num(x0),
        num(bottom),
        num(x1),
        palette::MUTED
    );
    out_plot.push_str("<g class=\"bieu-do__truc-thoi-gian\">");
    let range_y = bottom + 17.0;
    if span <= 0.0 {
        let _ = write!(
            out_plot,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"middle\">{}</text>",
            num((x0 + x1) / 2.0),
            num(range_y),
            num(SMALL_FONT),
            palette::MUTED,
            short(lo)
        );
    } else {
        let _ = write!(
            out_plot,
            "<text x=\"{}\" y=\"{2}\" font-size=\"{3}\" fill=\"{4}\">{5}</text>\
             <text x=\"{1}\" y=\"{2}\" font-size=\"{3}\" fill=\"{4}\" text-anchor=\"end\">{6}</text>",
            num(x0),
            num(x1),
            num(range_y),
            num(SMALL_FONT),
            palette::MUTED,
            short(lo),
            short(hi)
        );
    }
    out_plot.push_str("</g>");

    let mut placed: Vec<Box> = Vec::new();
    let mut labels = String::new();

    // 100 % line.
    if t.total > Decimal::ZERO {
        let yy = y_of(t.total);
        let _ = write!(
            out_plot,
            "<line class=\"bieu-do__du-toan\" x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"/>",
            num(x0),
            num(x1),
            num(yy),
            palette::MUTED
        );
        let text = format!("Dự toán {} (100%)", amount(t.total));
        let w = text_width(&text, SMALL_FONT);
        let b = Box {
            x0: x1 - w,
            y0: yy - 4.0 - SMALL_FONT,
            x1,
            y1: yy - 2.0,
        };
        placed.push(b);
        labels.push_str(&backing(&b));
        let _ = write!(
            labels,
            "<text class=\"bieu-do__nhan-du-toan\" x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"end\">{}</text>",
            num(x1),
            num(yy - 5.0),
            num(SMALL_FONT),
            palette::MUTED,
            escape(&text)
        );
    }

    // Target: dashed line at its level, diamond at its deadline, label.
    if let Some((by, percent, value)) = target {
        let yy = y_of(value);
        let xx = x_of(by);
        let _ = write!(
            out_plot,
            "<line class=\"bieu-do__muc-tieu-duong\" x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>{4}",
            num(x0),
            num(x1),
            num(yy),
            palette::RED,
            diamond(xx, yy)
        );
        let (l1, l2) = target_words(by, percent);
        // Bold: about 8 % wider than the estimate.
        let w = text_width(&l1, SMALL_FONT).max(text_width(&l2, SMALL_FONT)) * 1.08;
        // Left of the marker when it is in the right half, else right of it.
        let (anchor, tx, bx0) = if xx > (x0 + x1) / 2.0 {
            ("end", xx - 9.0, xx - 9.0 - w)
        } else {
            ("start", xx + 9.0, xx + 9.0)
        };
        // Above the line, or below it when that would hit the 100 % label.
        let above = Box {
            x0: bx0,
            y0: yy - 6.0 - 2.0 * SMALL_FONT - 2.0,
            x1: bx0 + w,
            y1: yy - 3.0,
        };
        let below = Box {
            x0: bx0,
            y0: yy + 3.0,
            x1: bx0 + w,
            y1: yy + 6.0 + 2.0 * SMALL_FONT + 2.0,
        };
        let b = if placed.iter().any(|p| p.hits(&above)) || above.y0 < 0.0 {
            below
        } else {
            above
        };
        placed.push(b);
        labels.push_str(&backing(&b));
        let base1 = b.y0 + SMALL_FONT;
        let _ = write!(
            labels,
            "<text class=\"bieu-do__muc-tieu\" x=\"{0}\" y=\"{1}\" font-size=\"{2}\" font-weight=\"700\" fill=\"{3}\" text-anchor=\"{4}\">\
             <tspan x=\"{0}\" y=\"{1}\">{5}</tspan><tspan x=\"{0}\" y=\"{6}\">{7}</tspan></text>",
            num(tx),
            num(base1),
            num(SMALL_FONT),
            palette::RED,
            anchor,
            escape(&l1),
            num(base1 + SMALL_FONT + 2.0),
            escape(&l2)
        );
    }

    // The cumulative line and its markers.
    let coords: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (x_of(p.date), y_of(p.value)))
        .collect();
    if coords.len() >= 2 {
        let pts: Vec<String> = coords
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let _ = write!(
            out_plot,
            "<polyline class=\"bieu-do__duong\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
            pts.join(" "),
            palette::NAVY
        );
    }
    for (x, y) in &coords {
        let _ = write!(
            out_plot,
            "<circle class=\"bieu-do__diem\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
            num(*x),
            num(*y),
            num(MARKER_R),
            palette::NAVY
        );
    }
    // Reserve the markers so labels do not cover other points.
    for (x, y) in &coords {
        placed.push(Box {
            x0: x - MARKER_R,
            y0: y - MARKER_R,
            x1: x + MARKER_R,
            y1: y + MARKER_R,
        });
    }
    // Value labels: above the point, else below, else left out (the
    // table has every value). A white backing keeps them legible over
    // gridlines.
    for (p, (x, y)) in points.iter().zip(&coords) {
        let text = amount(p.value);
        let w = text_width(&text, SMALL_FONT);
        let left = (x - w / 2.0).clamp(0.0, WIDTH - w);
        let candidates = [y - MARKER_R - 3.0 - SMALL_FONT, y + MARKER_R + 3.0];
        let mut chosen = None;
        for top_y in candidates {
            let b = Box {
                x0: left - 1.0,
                y0: top_y,
                x1: left + w + 1.0,
                y1: top_y + SMALL_FONT + 1.0,
            };
            let own_marker = |o: &Box| {
                (o.x0 - (x - MARKER_R)).abs() < 0.01 && (o.y0 - (y - MARKER_R)).abs() < 0.01
            };
            if b.y0 >= 0.0 && !placed.iter().any(|o| !own_marker(o) && o.hits(&b)) {
                chosen = Some(b);
                break;
            }
        }
        let Some(b) = chosen else { continue };
        placed.push(b);
        labels.push_str(&backing(&b));
        let _ = write!(
            labels,
            "<text class=\"bieu-do__gia-tri\" x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\">{}</text>",
            num(left),
            num(b.y1 - 3.0),
            num(SMALL_FONT),
            palette::TEXT,
            escape(&text)
        );
    }

    // Point dates under the axis, in two staggered rows so neighbouring
    // dates both fit; a date that fits in neither is left to the table.
    let mut lanes: [Vec<(f64, f64)>; 2] = [Vec::new(), Vec::new()];
    let dates_y = range_y + 16.0;
    let mut date_labels = String::from("<g class=\"bieu-do__ngay\">");
    let mut last_date = None;
    let mut lowest_lane = None;
    let (mut connectors, mut date_texts) = (String::new(), String::new());
    for (p, (x, _)) in points.iter().zip(&coords) {
        if last_date == Some(p.date) {
            continue;
        }
        last_date = Some(p.date);
        let text = short(p.date);
        let w = text_width(&text, SMALL_FONT);
        let left = (x - w / 2.0).clamp(0.0, WIDTH - w);
        let span_x = (left - 4.0, left + w + 4.0);
        let Some(lane) = lanes
            .iter()
            .position(|l| l.iter().all(|o| span_x.1 <= o.0 || o.1 <= span_x.0))
        else {
            continue;
        };
        lanes[lane].push(span_x);
        lowest_lane = lowest_lane.max(Some(lane));
        let baseline = dates_y + lane as f64 * (SMALL_FONT + 3.0);
        // Connectors first, labels on white backings after them: a
        // connector to the second row passes behind first-row labels.
        let _ = write!(
            connectors,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1\"/>",
            num(*x),
            num(bottom + 4.0),
            num(baseline - SMALL_FONT),
            palette::GRID
        );
        let _ = write!(
            date_texts,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\">{}</text>",
            num(left - 2.0),
            num(baseline - SMALL_FONT + 1.0),
            num(w + 4.0),
            num(SMALL_FONT + 2.0),
            num(left),
            num(baseline),
            num(SMALL_FONT),
            palette::TEXT,
            text
        );
    }
    date_labels.push_str(&connectors);
    date_labels.push_str(&date_texts);
    date_labels.push_str("</g>");
    let height = match lowest_lane {
        None => range_y + PAD,
        Some(lane) => dates_y + lane as f64 * (SMALL_FONT + 3.0) + PAD,
    };

    let mut out = figure_svg_open(id, WIDTH, height, title, description);
    let _ = write!(out, "{body}{out_plot}{labels}");
    if !points.is_empty() {
        out.push_str(&date_labels);
    } else {
        let _ = write!(
            out,
            "<text class=\"bieu-do__trong\" x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\" text-anchor=\"middle\">Chưa có số liệu</text>",
            num((x0 + x1) / 2.0),
            num(bottom - PLOT_H / 2.0),
            num(FONT),
            palette::MUTED
        );
    }
    out.push_str("</svg>");
    out
}

/// A white, slightly see-through backing under a label, so gridlines and
/// lines running behind it do not cross the characters.
fn backing(b: &Box) -> String {
    format!(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\" fill-opacity=\"0.85\"/>",
        num(b.x0),
        num(b.y0),
        num(b.x1 - b.x0),
        num(b.y1 - b.y0)
    )
}

/// A diamond marker (the target's deadline), 5 units from centre to tip.
fn diamond(x: f64, y: f64) -> String {
    format!(
        "<polygon class=\"bieu-do__diem-muc-tieu\" points=\"{},{} {},{} {},{} {},{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1\"/>",
        num(x),
        num(y - 6.0),
        num(x + 6.0),
        num(y),
        num(x),
        num(y + 6.0),
        num(x - 6.0),
        num(y),
        palette::RED
    )
}

/// Tick dates on the time axis: the first of each month for ranges up to
/// about two years, the first of each year up to 60 years, else none.
fn time_ticks(lo: NaiveDate, hi: NaiveDate) -> Vec<NaiveDate> {
    let months = (hi.year() - lo.year()) * 12 + hi.month() as i32 - lo.month() as i32;
    let mut out = Vec::new();
    if months <= 26 {
        let (mut y, mut m) = (lo.year(), lo.month());
        for _ in 0..=27 {
            if let Some(d) = NaiveDate::from_ymd_opt(y, m, 1) {
                if d > hi {
                    break;
                }
                if d >= lo {
                    out.push(d);
                }
            }
            if m == 12 {
                y += 1;
                m = 1;
            } else {
                m += 1;
            }
        }
    } else if hi.year() - lo.year() <= 60 {
        for y in lo.year()..=hi.year() {
            if let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
                if d >= lo && d <= hi {
                    out.push(d);
                }
            }
        }
    }
    out
}

fn table(t: &Timeline, title: &str, points: &[TimelinePoint]) -> String {
    let unit = t.unit.trim();
    let with_unit = |s: &str| {
        if unit.is_empty() {
            escape(s)
        } else {
            format!("{} ({})", escape(s), escape(unit))
        }
    };
    let mut s = String::from("<table class=\"bieu-do__bang\">");
    let caption = if unit.is_empty() {
        title.to_owned()
    } else {
        format!("{title} (đơn vị: {unit})")
    };
    let _ = write!(
        s,
        "<caption>{}</caption><thead><tr><th scope=\"col\">Ngày số liệu</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">Tỷ lệ so với dự toán</th></tr></thead><tbody>",
        escape(&caption),
        with_unit("Lũy kế đã giải ngân")
    );
    for p in points {
        let _ = write!(
            s,
            "<tr><th scope=\"row\"><time datetime=\"{}\">{}</time></th><td class=\"so\">{}</td><td class=\"so\">{}</td></tr>",
            format_date(p.date, DateStyle::Iso),
            short(p.date),
            escape(&amount(p.value)),
            escape(&rate(p.value, t.total).unwrap_or_else(|| NO_VALUE.into()))
        );
    }
    if points.is_empty() {
        s.push_str("<tr><td colspan=\"3\">Chưa có số liệu</td></tr>");
    }
    s.push_str("</tbody><tfoot>");
    let _ = write!(
        s,
        "<tr><th scope=\"row\">Dự toán được giao</th><td class=\"so\">{}</td><td class=\"so\">100%</td></tr>",
        escape(&amount(t.total))
    );
    if let Some((by, percent)) = t.target {
        let (l1, l2) = target_words(by, percent);
        let _ = write!(
            s,
            "<tr><th scope=\"row\">{} {}</th><td class=\"so\">{}</td><td class=\"so\">{}</td></tr>",
            escape(&l1),
            escape(&l2),
            escape(&amount(target_amount(t.total, percent))),
            escape(&pct(percent))
        );
    }
    s.push_str("</tfoot></table>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::test_support::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn ymd(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn pt(y: i32, m: u32, day: u32, v: &str) -> TimelinePoint {
        TimelinePoint {
            date: ymd(y, m, day),
            value: d(v),
        }
    }

    fn seed() -> Timeline {
        Timeline {
            id: "tien-do-da8".into(),
            title: "Tiến độ giải ngân Dự án 8, năm 2022".into(),
            description: String::new(),
            unit: "triệu đồng".into(),
            total: d("3829"),
            points: vec![pt(2022, 6, 30, "450"), pt(2022, 11, 30, "1393")],
            target: Some((ymd(2022, 12, 31), d("68.5"))),
            start: ymd(2022, 1, 1),
            end: ymd(2022, 12, 31),
        }
    }

    fn printed(doc: &roxmltree::Document) -> Vec<String> {
        by_class(doc, "bieu-do__gia-tri")
            .into_iter()
            .map(text_of)
            .collect()
    }

    fn x_attr(n: roxmltree::Node, a: &str) -> f64 {
        n.attribute(a).unwrap().parse().unwrap()
    }

    /// y of the zero axis (`d="M x y H x2"`).
    fn zero_axis_y(doc: &roxmltree::Document) -> f64 {
        let d = by_class(doc, "bieu-do__truc-0")[0].attribute("d").unwrap();
        d.split(['M', ' ', 'H']).nth(2).unwrap().parse().unwrap()
    }

    #[test]
    fn contract_and_key_figure() {
        let html = timeline(&seed());
        assert_figure_contract(&html, "tien-do-da8");
        let doc = parse(&html);
        assert_eq!(
            text_of(by_tag(&doc, "desc")[0]),
            "Đến 30/11/2022 đã giải ngân lũy kế 1.393/3.829 triệu đồng (36,38%); mục tiêu 68,5% đến 31/12/2022."
        );
    }

    #[test]
    fn values_dates_and_table_agree() {
        let html = timeline(&seed());
        let doc = parse(&html);
        let rows = table_rows(&doc);
        assert_eq!(
            rows,
            [
                ["30/06/2022", "450", "11,75%"],
                ["30/11/2022", "1.393", "36,38%"],
            ]
        );
        assert_eq!(printed(&doc), ["450", "1.393"]);
        let dates: Vec<String> = by_class(&doc, "bieu-do__ngay")[0]
            .descendants()
            .filter(|n| n.tag_name().name() == "text")
            .map(text_of)
            .collect();
        assert_eq!(dates, ["30/06/2022", "30/11/2022"]);
        // Footer: the allocation and the target.
        let tfoot = by_tag(&doc, "tfoot")[0];
        let foot: Vec<String> = tfoot
            .descendants()
            .filter(|n| n.is_element() && matches!(n.tag_name().name(), "th" | "td"))
            .map(text_of)
            .collect();
        assert_eq!(
            foot,
            [
                "Dự toán được giao",
                "3.829",
                "100%",
                "Mục tiêu 68,5% đến 31/12/2022",
                "2.622,87",
                "68,5%"
            ]
        );
        assert_eq!(
            by_tag(&doc, "time")[1].attribute("datetime"),
            Some("2022-11-30")
        );
    }

    #[test]
    fn lines_markers_and_target_geometry() {
        let html = timeline(&seed());
        let doc = parse(&html);
        assert_eq!(by_class(&doc, "bieu-do__diem").len(), 2);
        let line = by_class(&doc, "bieu-do__duong")[0];
        assert_eq!(line.attribute("points").unwrap().split(' ').count(), 2);
        let full = by_class(&doc, "bieu-do__du-toan")[0];
        let dashed = by_class(&doc, "bieu-do__muc-tieu-duong")[0];
        assert_eq!(dashed.attribute("stroke-dasharray"), Some("6 4"));
        let zero_y = zero_axis_y(&doc);
        let y100 = x_attr(full, "y1");
        let y_target = x_attr(dashed, "y1");
        // The target line sits at 68,5 % of the way from 0 to 100 %.
        let frac = (zero_y - y_target) / (zero_y - y100);
        assert!((frac - 0.685).abs() < 0.002, "{frac}");
        // The later point is higher, and to the right.
        let pts = by_class(&doc, "bieu-do__diem");
        assert!(x_attr(pts[1], "cx") > x_attr(pts[0], "cx"));
        assert!(x_attr(pts[1], "cy") < x_attr(pts[0], "cy"));
        // Target label and diamond at the deadline (the right end).
        let label = text_of(by_class(&doc, "bieu-do__muc-tieu")[0]);
        assert_eq!(label, "Mục tiêu 68,5%đến 31/12/2022");
        assert_eq!(
            by_class(&doc, "bieu-do__diem-muc-tieu").len(),
            2,
            "legend + marker"
        );
        let x_axis: Vec<String> = by_class(&doc, "bieu-do__truc-thoi-gian")[0]
            .children()
            .map(text_of)
            .collect();
        assert_eq!(x_axis, ["01/01/2022", "31/12/2022"]);
        // Month ticks on the time axis: 12 firsts of the month.
        let axis_d = by_class(&doc, "bieu-do__truc-0")[0].attribute("d").unwrap();
        assert_eq!(axis_d.matches('V').count(), 12);
    }

    #[test]
    fn quarterly_dates_are_all_shown_in_two_rows() {
        let mut t = seed();
        t.points = vec![
            pt(2022, 3, 31, "120"),
            pt(2022, 6, 30, "450"),
            pt(2022, 9, 30, "880"),
            pt(2022, 11, 30, "1393"),
        ];
        let html = timeline(&t);
        let doc = parse(&html);
        let dates: Vec<(String, f64)> = by_class(&doc, "bieu-do__ngay")[0]
            .descendants()
            .filter(|n| n.tag_name().name() == "text")
            .map(|n| (text_of(n), x_attr(n, "y")))
            .collect();
        let names: Vec<&str> = dates.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(
            names,
            ["31/03/2022", "30/06/2022", "30/09/2022", "30/11/2022"]
        );
        let rows: Vec<f64> = dates.iter().map(|(_, y)| *y).collect();
        assert!(rows[3] > rows[2], "last date drops to the second row");
        assert_eq!(printed(&doc), ["120", "450", "880", "1.393"]);
        // The drawing is tall enough for the second row.
        let vb = view_box(svg(&doc));
        assert!(vb[3] >= rows[3]);
    }

    #[test]
    fn one_point_still_renders() {
        let mut t = seed();
        t.points = vec![pt(2022, 11, 30, "1393")];
        let html = timeline(&t);
        assert_figure_contract(&html, "tien-do-da8");
        let doc = parse(&html);
        assert_eq!(by_class(&doc, "bieu-do__diem").len(), 1);
        assert!(by_class(&doc, "bieu-do__duong").is_empty());
        assert_eq!(printed(&doc), ["1.393"]);
        assert_eq!(table_rows(&doc).len(), 1);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        // No points, no target, total 0, equal start and end.
        let t = Timeline {
            id: "rong".into(),
            start: ymd(2022, 1, 1),
            end: ymd(2022, 1, 1),
            ..Timeline::default()
        };
        let html = timeline(&t);
        assert_figure_contract(&html, "rong");
        let doc = parse(&html);
        assert_eq!(table_rows(&doc), [["Chưa có số liệu"]]);
        assert_eq!(
            text_of(by_tag(&doc, "desc")[0]),
            "Chưa có số liệu giải ngân."
        );
        assert!(by_class(&doc, "bieu-do__du-toan").is_empty());

        // Total 0 with points: rates are "—", values still printed.
        let mut t = seed();
        t.total = Decimal::ZERO;
        let html = timeline(&t);
        let doc = parse(&html);
        assert_eq!(table_rows(&doc)[0], ["30/06/2022", "450", "—"]);
        assert_eq!(printed(&doc), ["450", "1.393"]);

        // Negative values draw at 0 and print as they are.
        let mut t = seed();
        t.points = vec![pt(2022, 3, 31, "-20"), pt(2022, 6, 30, "100")];
        let html = timeline(&t);
        let doc = parse(&html);
        assert_eq!(printed(&doc)[0], "-20");
        assert_eq!(table_rows(&doc)[0][1], "-20");
        let zero_y = zero_axis_y(&doc);
        assert_eq!(x_attr(by_class(&doc, "bieu-do__diem")[0], "cy"), zero_y);

        // Duplicate dates, unsorted input, equal start/end, points outside
        // the range.
        let mut t = seed();
        t.start = ymd(2022, 6, 30);
        t.end = ymd(2022, 6, 30);
        t.points = vec![
            pt(2022, 11, 30, "1393"),
            pt(2022, 6, 30, "450"),
            pt(2022, 6, 30, "460"),
        ];
        let html = timeline(&t);
        assert_figure_contract(&html, "tien-do-da8");
        let doc = parse(&html);
        let rows = table_rows(&doc);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][0], "30/06/2022");
        assert_eq!(rows[2][0], "30/11/2022");
        let xs: Vec<f64> = by_class(&doc, "bieu-do__diem")
            .iter()
            .map(|n| x_attr(*n, "cx"))
            .collect();
        assert_eq!(xs[0], xs[1]);
        let vb = view_box(svg(&doc));
        assert!(xs.iter().all(|x| *x > 0.0 && *x < vb[2]));

        // A single day with a single point (span 0).
        let mut t = seed();
        t.target = None;
        t.start = ymd(2022, 6, 30);
        t.end = ymd(2022, 6, 30);
        t.points = vec![pt(2022, 6, 30, "450")];
        let html = timeline(&t);
        assert_figure_contract(&html, "tien-do-da8");

        // Huge values and a target over 100 %.
        let mut t = seed();
        t.total = Decimal::MAX;
        t.target = Some((ymd(2022, 12, 31), d("250")));
        t.points = vec![pt(2022, 6, 30, "79228162514264337593543950335")];
        parse(&timeline(&t));
        // Dates far apart.
        let mut t = seed();
        t.start = ymd(1900, 1, 1);
        t.end = ymd(2100, 1, 1);
        parse(&timeline(&t));
    }

    #[test]
    fn dense_points_never_overlap_labels() {
        let mut t = seed();
        t.points = (1..=12)
            .flat_map(|m| {
                [
                    pt(2022, m, 10, &format!("{}", m * 100)),
                    pt(2022, m, 20, &format!("{}", m * 100 + 50)),
                ]
            })
            .collect();
        let html = timeline(&t);
        let doc = parse(&html);
        let table: Vec<String> = table_rows(&doc).into_iter().map(|r| r[1].clone()).collect();
        assert_eq!(table.len(), 24);
        let shown = printed(&doc);
        assert!(!shown.is_empty());
        // Every printed label is the value of a table row…
        for s in &shown {
            assert!(table.contains(s), "{s} not in table");
        }
        // …and no two printed labels overlap.
        let boxes: Vec<(f64, f64, f64)> = by_class(&doc, "bieu-do__gia-tri")
            .iter()
            .map(|n| {
                let x = x_attr(*n, "x");
                (x, x + text_width(&text_of(*n), SMALL_FONT), x_attr(*n, "y"))
            })
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let overlap_x = a.0 < b.1 && b.0 < a.1;
                let overlap_y = (a.2 - b.2).abs() < SMALL_FONT;
                assert!(!(overlap_x && overlap_y), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn escaping_and_determinism() {
        let mut t = seed();
        t.title = "<script>alert('x')</script>".into();
        t.unit = "]]> & \"đ\"".into();
        t.description = "<b>mô tả</b>".into();
        let html = timeline(&t);
        assert!(!html.contains("<script") && !html.contains("<b>"));
        assert_figure_contract(&html, "tien-do-da8");
        assert_eq!(timeline(&seed()), timeline(&seed()));
    }

    #[test]
    fn time_ticks_by_range() {
        assert_eq!(time_ticks(ymd(2022, 1, 1), ymd(2022, 12, 31)).len(), 12);
        assert_eq!(time_ticks(ymd(2022, 1, 2), ymd(2022, 12, 31)).len(), 11);
        assert_eq!(time_ticks(ymd(2022, 1, 1), ymd(2022, 1, 1)).len(), 1);
        assert_eq!(time_ticks(ymd(2020, 1, 1), ymd(2025, 6, 1)).len(), 6);
        assert!(time_ticks(ymd(1800, 1, 1), ymd(2100, 1, 1)).is_empty());
    }
}
