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
use super::parts::{
    axis_text, col_heading, empty_row, figure, grid_path, halo, legend_close, legend_label,
    legend_open, legend_unit, num_cell, table_open, title_or_default, zero_path, Text, ValueAxis,
    LEGEND_LINE, SMALL_FONT,
};
use super::parts::{Parts, Source};
use super::scale::nice_axis;
use super::text::{
    amount, clean_id, drawing_svg_open, escape, fraction, num, pct, rate, text_width, Drawing,
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
    /// Decimals of the rates (the site's `rate_decimals`); `None`: the default.
    pub rate_decimals: Option<u32>,
    /// Printed under the chart.
    pub source: Option<Source>,
}

impl Timeline {
    fn decimals(&self) -> u32 {
        self.rate_decimals
            .unwrap_or(crate::locale::DEFAULT_RATE_DECIMALS)
    }
}

const PAD: f64 = 8.0;
const FONT: f64 = 13.0;
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
            let r = rate(p.value, t.total, t.decimals()).unwrap_or_else(|| NO_VALUE.into());
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

    /// Whether the segment from `a` to `c` passes through the box (clipped against it,
    /// Liang–Barsky).
    fn crosses(&self, a: (f64, f64), c: (f64, f64)) -> bool {
        let (dx, dy) = (c.0 - a.0, c.1 - a.1);
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
                if t0 > t1 {
                    return false;
                }
            }
        }
        true
    }
}

/// Renders the timeline as `<figure class="bieu-do">` with the SVG, a
/// caption and the table of the same numbers.
pub fn timeline(t: &Timeline) -> String {
    let id = clean_id(&t.id);
    let title = title_or_default(&t.title);
    let mut points = t.points.clone();
    points.sort_by_key(|p| p.date);
    let description = if t.description.trim().is_empty() {
        default_description(t, &points)
    } else {
        t.description.clone()
    };
    let svg = Drawing::both(|d| draw(t, d, &id, title, &description, &points));
    let table = table(t, &points);
    let parts = Parts {
        description: Some(&description),
        table: &table,
        source: t.source.as_ref(),
        unit: &t.unit,
    };
    figure("thoi-gian", &id, title, &svg, parts)
}

/// The target with its amount: (deadline, percent, amount).
type Target = (NaiveDate, Decimal, Decimal);

/// Where dates and values land: the value axis, the (widened) date range
/// and the plot's edges.
struct Frame {
    values: ValueAxis,
    lo: NaiveDate,
    hi: NaiveDate,
    span: f64,
    x0: f64,
    x1: f64,
    bottom: f64,
    /// The drawing's width.
    width: f64,
}

impl Frame {
    /// The frame for a plot whose top is at `top`.
    fn new(
        t: &Timeline,
        points: &[TimelinePoint],
        target: Option<Target>,
        top: f64,
        width: f64,
    ) -> Frame {
        let max = points
            .iter()
            .map(|p| p.value)
            .chain([t.total])
            .chain(target.map(|(_, _, v)| v))
            .max()
            .unwrap_or_default();
        let values = ValueAxis::new(nice_axis(max));

        // x range: the caller's, widened to the data.
        let dates = points
            .iter()
            .map(|p| p.date)
            .chain([t.start, t.end])
            .chain(target.map(|(by, _, _)| by));
        let lo = dates.clone().min().unwrap_or(t.start);
        let hi = dates.max().unwrap_or(t.end);
        let span = (hi - lo).num_days() as f64;
        let x0 = PAD + values.widest_label() + 6.0;
        Frame {
            values,
            lo,
            hi,
            span,
            x0,
            x1: width - PAD - 4.0,
            bottom: top + PLOT_H,
            width,
        }
    }

    fn x_of(&self, d: NaiveDate) -> f64 {
        if self.span <= 0.0 {
            self.mid()
        } else {
            self.x0 + (d - self.lo).num_days() as f64 / self.span * (self.x1 - self.x0)
        }
    }

    fn y_of(&self, v: Decimal) -> f64 {
        self.bottom - fraction(v, self.values.axis.max()) * PLOT_H
    }

    fn mid(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }

    /// Baseline of the range's end dates under the time axis.
    fn range_y(&self) -> f64 {
        self.bottom + 17.0
    }
}

/// Labels placed so far (boxes that later labels avoid) and their markup.
#[derive(Default)]
struct Labels {
    placed: Vec<Box>,
    svg: String,
}

impl Labels {
    /// Reserves `b` and draws its see-through halo.
    fn place(&mut self, b: Box) {
        self.placed.push(b);
        halo(
            &mut self.svg,
            b.x0,
            b.y0,
            b.x1 - b.x0,
            b.y1 - b.y0,
            Some("0.85"),
        );
    }
}

fn draw(
    t: &Timeline,
    drawing: Drawing,
    id: &str,
    title: &str,
    description: &str,
    points: &[TimelinePoint],
) -> String {
    let target = t.target.map(|(by, p)| (by, p, target_amount(t.total, p)));
    let (legend, y) = legend(t, target.is_some());
    // Room above the plot for a label over the top line.
    let f = Frame::new(t, points, target, y + 22.0, drawing.width());

    let mut plot = String::new();
    let axis_labels = value_axis(&f, &mut plot);
    plot.push_str(&time_axis(&f));
    let mut labels = Labels::default();
    if t.total > Decimal::ZERO {
        allocation_line(&f, t.total, &mut plot, &mut labels);
    }
    if let Some(target) = target {
        target_line(&f, target, &mut plot, &mut labels);
    }
    let coords: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (f.x_of(p.date), f.y_of(p.value)))
        .collect();
    series(&coords, &mut plot);
    value_labels(&f, points, &coords, &mut labels);
    let (dates, lowest_lane) = date_labels(&f, points, &coords);
    let height = match lowest_lane {
        None => f.range_y() + PAD,
        Some(lane) => dates_baseline(&f, lane) + PAD,
    };

    let mut out = drawing_svg_open(drawing, id, height, title, description);
    let _ = write!(out, "{legend}{axis_labels}{plot}{}", labels.svg);
    out.push_str(&dates);
    if points.is_empty() {
        Text::at(f.mid(), f.bottom - PLOT_H / 2.0, FONT, palette::MUTED)
            .class("bieu-do__trong")
            .anchor("middle")
            .write(&mut out, "Chưa có số liệu");
    }
    out.push_str("</svg>");
    out
}

/// The legend, one item per line; returns it and the y below it.
fn legend(t: &Timeline, has_target: bool) -> (String, f64) {
    let mut s = String::new();
    let mut y = PAD;
    let swatch = |s: &mut String, y: f64, color: &str, extra: &str| {
        let _ = write!(
            s,
            "<line x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{color}\" {extra}/>",
            num(PAD),
            num(PAD + 26.0),
            num(y + 9.0)
        );
    };
    legend_open(&mut s);
    swatch(&mut s, y, palette::NAVY, "stroke-width=\"2.5\"");
    let _ = write!(
        s,
        "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
        num(PAD + 13.0),
        num(y + 9.0),
        num(MARKER_R),
        palette::NAVY
    );
    legend_label(&mut s, PAD + 34.0, y, "Lũy kế đã giải ngân");
    y += LEGEND_LINE;
    if t.total > Decimal::ZERO {
        swatch(&mut s, y, palette::MUTED, "stroke-width=\"2\"");
        legend_label(&mut s, PAD + 34.0, y, "Dự toán được giao (100%)");
        y += LEGEND_LINE;
    }
    if has_target {
        let dash = "stroke-width=\"2\" stroke-dasharray=\"6 4\"";
        swatch(&mut s, y, palette::RED, dash);
        s.push_str(&diamond(PAD + 13.0, y + 9.0));
        legend_label(&mut s, PAD + 34.0, y, "Mục tiêu");
        y += LEGEND_LINE;
    }
    y = legend_unit(&mut s, PAD, y, t.unit.trim());
    legend_close(&mut s);
    (s, y)
}

/// Gridlines (into `plot`) and their value labels at the left, which are
/// returned: they are drawn before the plot.
fn value_axis(f: &Frame, plot: &mut String) -> String {
    let mut grid = String::new();
    for v in f.values.ticks.iter().filter(|v| !v.is_zero()) {
        let _ = write!(grid, "M{} {}H{}", num(f.x0), num(f.y_of(*v)), num(f.x1));
    }
    grid_path(plot, &grid);
    f.values
        .labels_group("end", |_, v, _| Some((f.x0 - 5.0, f.y_of(v) + 4.0)))
}

/// Time axis: baseline, month (or year) ticks, the range's end dates.
fn time_axis(f: &Frame) -> String {
    let mut d = format!("M{} {}H{}", num(f.x0), num(f.bottom), num(f.x1));
    for day in time_ticks(f.lo, f.hi) {
        let x = num(f.x_of(day));
        let _ = write!(d, "M{x} {}V{}", num(f.bottom), num(f.bottom + 4.0));
    }
    let mut s = String::new();
    zero_path(&mut s, &d);
    s
}

/// The range's end dates under the axis (one when the range is a single day), each on a
/// white backing: drawn after the point dates' connectors, which then pass behind them. A
/// point dated on an end shows its date there, once.
fn range_labels(f: &Frame) -> String {
    let mut s = String::from("<g class=\"bieu-do__truc-thoi-gian\">");
    let ends: Vec<(f64, &str, String)> = if f.span <= 0.0 {
        vec![(f.mid(), "middle", short(f.lo))]
    } else {
        vec![(f.x0, "start", short(f.lo)), (f.x1, "end", short(f.hi))]
    };
    for (x, anchor, text) in ends {
        let w = text_width(&text, SMALL_FONT);
        let left = match anchor {
            "start" => x,
            "end" => x - w,
            _ => x - w / 2.0,
        };
        let top = f.range_y() - SMALL_FONT + 1.0;
        halo(&mut s, left - 2.0, top, w + 4.0, SMALL_FONT + 2.0, None);
        axis_text(x, f.range_y(), anchor).write(&mut s, &text);
    }
    s.push_str("</g>");
    s
}

/// The 100 % line and its label at the right end.
fn allocation_line(f: &Frame, total: Decimal, plot: &mut String, labels: &mut Labels) {
    let yy = f.y_of(total);
    let _ = write!(
        plot,
        "<line class=\"bieu-do__du-toan\" x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"2\"/>",
        num(f.x0),
        num(f.x1),
        num(yy),
        palette::MUTED
    );
    let text = format!("Dự toán {} (100%)", amount(total));
    let w = text_width(&text, SMALL_FONT);
    labels.place(Box {
        x0: f.x1 - w,
        y0: yy - 4.0 - SMALL_FONT,
        x1: f.x1,
        y1: yy - 2.0,
    });
    axis_text(f.x1, yy - 5.0, "end")
        .class("bieu-do__nhan-du-toan")
        .write(&mut labels.svg, &escape(&text));
}

/// Target: dashed line at its level, diamond at its deadline, label.
fn target_line(f: &Frame, target: Target, plot: &mut String, labels: &mut Labels) {
    let (by, percent, value) = target;
    let yy = f.y_of(value);
    let xx = f.x_of(by);
    let _ = write!(
        plot,
        "<line class=\"bieu-do__muc-tieu-duong\" x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>{4}",
        num(f.x0),
        num(f.x1),
        num(yy),
        palette::RED,
        diamond(xx, yy)
    );
    let (l1, l2) = target_words(by, percent);
    // Bold: about 8 % wider than the estimate.
    let w = text_width(&l1, SMALL_FONT).max(text_width(&l2, SMALL_FONT)) * 1.08;
    // Left of the marker when it is in the right half, else right of it.
    let (anchor, tx, bx0) = if xx > f.mid() {
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
    let b = if labels.placed.iter().any(|p| p.hits(&above)) || above.y0 < 0.0 {
        below
    } else {
        above
    };
    labels.place(b);
    let base1 = b.y0 + SMALL_FONT;
    Text::at(tx, base1, SMALL_FONT, palette::RED)
        .class("bieu-do__muc-tieu")
        .weight("700")
        .anchor(anchor)
        .open(&mut labels.svg);
    let _ = write!(
        labels.svg,
        "<tspan x=\"{0}\" y=\"{1}\">{2}</tspan><tspan x=\"{0}\" y=\"{3}\">{4}</tspan></text>",
        num(tx),
        num(base1),
        escape(&l1),
        num(base1 + SMALL_FONT + 2.0),
        escape(&l2)
    );
}

/// The cumulative line and its markers.
fn series(coords: &[(f64, f64)], plot: &mut String) {
    if coords.len() >= 2 {
        let pts: Vec<String> = coords
            .iter()
            .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
            .collect();
        let _ = write!(
            plot,
            "<polyline class=\"bieu-do__duong\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
            pts.join(" "),
            palette::NAVY
        );
    }
    for (x, y) in coords {
        let _ = write!(
            plot,
            "<circle class=\"bieu-do__diem\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"1.5\"/>",
            num(*x),
            num(*y),
            num(MARKER_R),
            palette::NAVY
        );
    }
}

/// Value labels, each at the first place around its point (above, below, then beside it)
/// where it stays inside the drawing, covers no other label or marker and does not cross the
/// line, whose halo would cut a notch out of it; a label with no such place is left out (the
/// table has every value). A white backing keeps them legible over gridlines.
fn value_labels(f: &Frame, points: &[TimelinePoint], coords: &[(f64, f64)], labels: &mut Labels) {
    // Reserve the markers so labels do not cover other points.
    for (x, y) in coords {
        labels.placed.push(Box {
            x0: x - MARKER_R,
            y0: y - MARKER_R,
            x1: x + MARKER_R,
            y1: y + MARKER_R,
        });
    }
    let segments: Vec<((f64, f64), (f64, f64))> = coords.windows(2).map(|w| (w[0], w[1])).collect();
    for (p, &(x, y)) in points.iter().zip(coords) {
        let text = amount(p.value);
        let (w, h) = (text_width(&text, SMALL_FONT) + 2.0, SMALL_FONT + 1.0);
        let gap = MARKER_R + 3.0;
        // left edge and top of each candidate box
        let candidates = [
            (x - w / 2.0, y - gap - h),
            (x - w / 2.0, y + gap),
            (x + gap, y - gap - h),
            (x - gap - w, y - gap - h),
            (x + gap, y - h / 2.0),
            (x - gap - w, y - h / 2.0),
            (x + gap, y + gap),
            (x - gap - w, y + gap),
        ];
        let own_marker =
            |o: &Box| (o.x0 - (x - MARKER_R)).abs() < 0.01 && (o.y0 - (y - MARKER_R)).abs() < 0.01;
        let chosen = candidates
            .into_iter()
            .map(|(left, top)| {
                let left = left.clamp(0.0, f.width - w);
                Box {
                    x0: left,
                    y0: top,
                    x1: left + w,
                    y1: top + h,
                }
            })
            .find(|b| {
                b.y0 >= 0.0
                    && b.y1 <= f.bottom
                    && !labels.placed.iter().any(|o| !own_marker(o) && o.hits(b))
                    && !segments.iter().any(|&(a, c)| b.crosses(a, c))
            });
        let Some(b) = chosen else { continue };
        labels.place(b);
        Text::at(b.x0 + 1.0, b.y1 - 3.0, SMALL_FONT, palette::TEXT)
            .class("bieu-do__gia-tri")
            .write(&mut labels.svg, &escape(&text));
    }
}

/// Baseline of the point dates in `lane` (0 or 1).
fn dates_baseline(f: &Frame, lane: usize) -> f64 {
    f.range_y() + 16.0 + lane as f64 * (SMALL_FONT + 3.0)
}

/// Point dates under the axis, in two staggered rows so neighbouring
/// dates both fit; a date that fits in neither is left to the table.
/// Returns the group and the lowest row used.
fn date_labels(
    f: &Frame,
    points: &[TimelinePoint],
    coords: &[(f64, f64)],
) -> (String, Option<usize>) {
    let mut lanes: [Vec<(f64, f64)>; 2] = [Vec::new(), Vec::new()];
    let mut last_date = None;
    let mut lowest_lane = None;
    let (mut connectors, mut date_texts) = (String::new(), String::new());
    for (p, (x, _)) in points.iter().zip(coords) {
        // a date the range's end labels already show is not repeated
        if last_date == Some(p.date) || p.date == f.lo || p.date == f.hi {
            continue;
        }
        last_date = Some(p.date);
        let text = short(p.date);
        let w = text_width(&text, SMALL_FONT);
        let left = (x - w / 2.0).clamp(0.0, f.width - w);
        let span_x = (left - 4.0, left + w + 4.0);
        let Some(lane) = lanes
            .iter()
            .position(|l| l.iter().all(|o| span_x.1 <= o.0 || o.1 <= span_x.0))
        else {
            continue;
        };
        lanes[lane].push(span_x);
        lowest_lane = lowest_lane.max(Some(lane));
        let baseline = dates_baseline(f, lane);
        // Connectors first, labels on white backings after them: a
        // connector to the second row passes behind first-row labels.
        let _ = write!(
            connectors,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"{3}\" stroke-width=\"1\"/>",
            num(*x),
            num(f.bottom + 4.0),
            num(baseline - SMALL_FONT),
            palette::GRID
        );
        let top = baseline - SMALL_FONT + 1.0;
        halo(
            &mut date_texts,
            left - 2.0,
            top,
            w + 4.0,
            SMALL_FONT + 2.0,
            None,
        );
        Text::at(left, baseline, SMALL_FONT, palette::TEXT).write(&mut date_texts, &text);
    }
    let group = format!(
        "<g class=\"bieu-do__ngay\">{connectors}{date_texts}</g>{}",
        range_labels(f)
    );
    (group, lowest_lane)
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

fn table(t: &Timeline, points: &[TimelinePoint]) -> String {
    let unit = t.unit.trim();
    let mut s = table_open(unit);
    s.push_str("<thead><tr><th scope=\"col\">Ngày số liệu</th>");
    col_heading(&mut s, "Lũy kế đã giải ngân", unit);
    s.push_str("<th scope=\"col\">Tỷ lệ so với dự toán</th></tr></thead><tbody>");
    for p in points {
        let _ = write!(
            s,
            "<tr><th scope=\"row\"><time datetime=\"{}\">{}</time></th>",
            format_date(p.date, DateStyle::Iso),
            short(p.date)
        );
        num_cell(&mut s, &amount(p.value));
        num_cell(
            &mut s,
            &rate(p.value, t.total, t.decimals()).unwrap_or_else(|| NO_VALUE.into()),
        );
        s.push_str("</tr>");
    }
    if points.is_empty() {
        empty_row(&mut s, 3);
    }
    s.push_str("</tbody><tfoot><tr><th scope=\"row\">Dự toán được giao</th>");
    num_cell(&mut s, &amount(t.total));
    s.push_str("<td class=\"so\">100%</td></tr>");
    if let Some((by, percent)) = t.target {
        let (l1, l2) = target_words(by, percent);
        let _ = write!(
            s,
            "<tr><th scope=\"row\">{} {}</th>",
            escape(&l1),
            escape(&l2)
        );
        num_cell(&mut s, &amount(target_amount(t.total, percent)));
        num_cell(&mut s, &pct(percent));
        s.push_str("</tr>");
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
            rate_decimals: None,
            source: None,
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
    fn a_segment_crosses_a_box_only_when_it_passes_through_it() {
        let b = Box {
            x0: 10.0,
            y0: 10.0,
            x1: 20.0,
            y1: 20.0,
        };
        for (a, c, want) in [
            ((0.0, 15.0), (30.0, 15.0), true),  // straight through
            ((15.0, 15.0), (40.0, 40.0), true), // starts inside
            ((0.0, 0.0), (30.0, 30.0), true),   // diagonal through
            ((0.0, 0.0), (9.0, 30.0), false),   // passes left of it
            ((0.0, 25.0), (30.0, 25.0), false), // below it
            ((0.0, 0.0), (30.0, 5.0), false),   // above it
            ((21.0, 0.0), (21.0, 30.0), false), // vertical, right of it
        ] {
            assert_eq!(b.crosses(a, c), want, "{a:?} → {c:?}");
        }
    }

    /// Value labels never lie across the line, in either drawing, whatever the shape of the
    /// series (the 2022 seed's "498" once sat on it at 360 px).
    #[test]
    fn value_labels_never_cross_the_line() {
        let shapes: [&[(u32, u32, i64)]; 4] = [
            &[(8, 31, 498), (11, 30, 1393)],
            &[(3, 31, 100), (6, 30, 2900), (9, 30, 3000), (11, 30, 3800)],
            &[(1, 31, 10), (2, 28, 3500), (3, 31, 3600)],
            &[(10, 31, 1800), (11, 30, 1850), (12, 31, 1900)],
        ];
        for shape in shapes {
            let mut t = seed();
            t.points = shape
                .iter()
                .map(|&(m, d, v)| TimelinePoint {
                    date: NaiveDate::from_ymd_opt(2022, m, d).unwrap(),
                    value: Decimal::from(v),
                })
                .collect();
            let html = timeline(&t);
            let doc = parse_all(&html);
            for svg in by_tag(&doc, "svg") {
                let line: Vec<(f64, f64)> = svg
                    .descendants()
                    .find(|n| n.attribute("class") == Some("bieu-do__duong"))
                    .unwrap()
                    .attribute("points")
                    .unwrap()
                    .split(' ')
                    .map(|p| {
                        let (x, y) = p.split_once(',').unwrap();
                        (x.parse().unwrap(), y.parse().unwrap())
                    })
                    .collect();
                let labels: Vec<roxmltree::Node> = svg
                    .descendants()
                    .filter(|n| n.attribute("class") == Some("bieu-do__gia-tri"))
                    .collect();
                // a value with no free place is left to the table; the seed's are all shown
                if shape.len() == 2 {
                    assert_eq!(labels.len(), 2, "every value shown: {shape:?}");
                }
                for l in labels {
                    let x: f64 = l.attribute("x").unwrap().parse().unwrap();
                    let y: f64 = l.attribute("y").unwrap().parse().unwrap();
                    let b = Box {
                        x0: x,
                        y0: y - SMALL_FONT + 2.0,
                        x1: x + text_width(&text_of(l), SMALL_FONT),
                        y1: y + 1.0,
                    };
                    for w in line.windows(2) {
                        assert!(
                            !b.crosses(w[0], w[1]),
                            "{} on the line: {shape:?}",
                            text_of(l)
                        );
                    }
                }
            }
        }
    }

    /// One point dated on the range's end: one dot, its date once.
    #[test]
    fn a_single_point_on_the_range_end_shows_its_date_once() {
        let mut t = seed();
        t.target = None;
        t.points = vec![TimelinePoint {
            date: t.end,
            value: Decimal::from(420),
        }];
        let html = timeline(&t);
        let doc = parse(&html);
        let dates: Vec<String> = by_tag(&doc, "text")
            .into_iter()
            .map(text_of)
            .filter(|s| s == "31/12/2022")
            .collect();
        assert_eq!(dates.len(), 1, "{html}");
        assert_eq!(by_class(&doc, "bieu-do__diem").len(), 1);
        assert!(
            by_class(&doc, "bieu-do__duong").is_empty(),
            "no line for one point"
        );
    }

    #[test]
    fn both_drawings_say_the_same() {
        assert_both_drawings_agree(&timeline(&seed()), &["bieu-do__gia-tri"]);
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
            .filter(|n| n.has_tag_name("text"))
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
