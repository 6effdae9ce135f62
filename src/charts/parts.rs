//! Pieces shared by the chart drawers: the figure wrapper, the legend,
//! the value axis, text labels and the data table. One piece per job, so
//! the bar chart and the timeline cannot drift apart in markup.

use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::palette;
use super::scale::Axis;
use super::text::{amount, escape, num, table_region, text_width};

/// Font size of axis labels, units and other secondary text.
pub(crate) const SMALL_FONT: f64 = 12.0;
/// Font size of legend entries.
pub(crate) const LEGEND_FONT: f64 = 13.0;
/// Vertical distance between legend entries.
pub(crate) const LEGEND_LINE: f64 = 20.0;

/// The caller's title, or "Biểu đồ" when it is blank.
pub(crate) fn title_or_default(title: &str) -> &str {
    if title.trim().is_empty() {
        "Biểu đồ"
    } else {
        title
    }
}

/// Where a chart's figures come from, printed under it: the citation, the date of the
/// figures and the open-data file they are in.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Source {
    /// "Hội LHPN tỉnh Kon Tum, bản tin …"; may be empty.
    pub text: String,
    /// "Số liệu đến" this date.
    pub as_of: Option<chrono::NaiveDate>,
    /// The report's CSV (a site URL).
    pub csv: Option<String>,
}

/// The line under a chart: "Nguồn: …. Số liệu đến 30/11/2022. Đơn vị: triệu đồng. Tải số
/// liệu (CSV)". Empty when there is nothing to say.
fn source_note(source: Option<&Source>, unit: &str) -> String {
    let mut parts = Vec::new();
    if let Some(s) = source.filter(|s| !s.text.trim().is_empty()) {
        parts.push(format!(
            "Nguồn: {}.",
            escape(s.text.trim().trim_end_matches('.'))
        ));
    }
    if let Some(d) = source.and_then(|s| s.as_of) {
        let date = crate::locale::format_date(d, crate::locale::DateStyle::Short);
        parts.push(format!("Số liệu đến {date}."));
    }
    if !unit.trim().is_empty() {
        parts.push(format!("Đơn vị: {}.", escape(unit.trim())));
    }
    if let Some(csv) = source.and_then(|s| super::text::safe_href(s.csv.as_deref()?)) {
        parts.push(format!(
            "<a href=\"{}\" download=\"\">Tải số liệu (CSV)</a>",
            escape(csv)
        ));
    }
    if parts.is_empty() {
        return String::new();
    }
    format!("<p class=\"bieu-do__nguon\">{}</p>", parts.join(" "))
}

/// What a figure holds besides its drawing: the description under the title, the table of
/// the same numbers (may be empty: then none), where the figures come from and their unit.
pub(crate) struct Parts<'a> {
    pub description: Option<&'a str>,
    pub table: &'a str,
    pub source: Option<&'a Source>,
    pub unit: &'a str,
}

/// `<figure class="bieu-do bieu-do--{modifier}">` with the caption (title,
/// and the description when given), the SVG, the table region and the source line.
pub(crate) fn figure(modifier: &str, id: &str, title: &str, svg: &str, p: Parts<'_>) -> String {
    let desc = p
        .description
        .map(|d| format!(" <span class=\"bieu-do__mo-ta\">{}</span>", escape(d)))
        .unwrap_or_default();
    let table = if p.table.is_empty() {
        String::new()
    } else {
        table_region(&format!("Bảng số liệu: {title}"), p.table)
    };
    format!(
        "<figure class=\"bieu-do bieu-do--{modifier}\" id=\"{id}\">\
         <figcaption><span class=\"bieu-do__tieu-de\">{}</span>{desc}</figcaption>{svg}{table}{}</figure>",
        escape(title),
        source_note(p.source, p.unit)
    )
}

/// How a `<text>` element looks; the content is written separately.
#[derive(Clone, Copy)]
pub(crate) struct Text<'a> {
    pub class: Option<&'a str>,
    pub x: f64,
    pub y: f64,
    pub size: f64,
    pub weight: Option<&'a str>,
    pub fill: &'a str,
    pub anchor: Option<&'a str>,
}

impl<'a> Text<'a> {
    /// Plain text at (x, y): no class, regular weight, start-anchored.
    pub(crate) fn at(x: f64, y: f64, size: f64, fill: &'a str) -> Self {
        Text {
            class: None,
            x,
            y,
            size,
            weight: None,
            fill,
            anchor: None,
        }
    }

    /// With a `class` attribute (tests and the theme find elements by it).
    pub(crate) fn class(self, class: &'a str) -> Self {
        Text {
            class: Some(class),
            ..self
        }
    }

    /// With a `font-weight`.
    pub(crate) fn weight(self, weight: &'a str) -> Self {
        Text {
            weight: Some(weight),
            ..self
        }
    }

    /// With a `text-anchor` (`middle`, `end`).
    pub(crate) fn anchor(self, anchor: &'a str) -> Self {
        Text {
            anchor: Some(anchor),
            ..self
        }
    }

    /// Writes the opening `<text …>` tag.
    pub(crate) fn open(&self, out: &mut String) {
        out.push_str("<text");
        if let Some(c) = self.class {
            let _ = write!(out, " class=\"{c}\"");
        }
        let _ = write!(
            out,
            " x=\"{}\" y=\"{}\" font-size=\"{}\"",
            num(self.x),
            num(self.y),
            num(self.size)
        );
        if let Some(w) = self.weight {
            let _ = write!(out, " font-weight=\"{w}\"");
        }
        let _ = write!(out, " fill=\"{}\"", self.fill);
        if let Some(a) = self.anchor {
            let _ = write!(out, " text-anchor=\"{a}\"");
        }
        out.push('>');
    }

    /// Writes the element with `markup` (already escaped) as its content.
    pub(crate) fn write(&self, out: &mut String, markup: &str) {
        self.open(out);
        out.push_str(markup);
        out.push_str("</text>");
    }
}

/// Opens the legend group; close it with [`legend_close`].
pub(crate) fn legend_open(out: &mut String) {
    out.push_str("<g class=\"bieu-do__chu-giai\">");
}

/// Closes the legend group.
pub(crate) fn legend_close(out: &mut String) {
    out.push_str("</g>");
}

/// A legend entry's name, on the line whose top is `y`; the swatch is the
/// caller's.
pub(crate) fn legend_label(out: &mut String, x: f64, y: f64, name: &str) {
    Text::at(x, y + 13.0, LEGEND_FONT, palette::TEXT).write(out, &escape(name));
}

/// The "Đơn vị: …" line closing a legend, when the unit is not blank;
/// returns the next line's top. `unit` is printed as given.
pub(crate) fn legend_unit(out: &mut String, x: f64, y: f64, unit: &str) -> f64 {
    if unit.trim().is_empty() {
        return y;
    }
    let text = format!("Đơn vị: {}", escape(unit));
    Text::at(x, y + 12.0, SMALL_FONT, palette::MUTED).write(out, &text);
    y + LEGEND_LINE
}

/// The value axis: its ticks and their printed labels (the same strings as
/// in the table).
pub(crate) struct ValueAxis {
    pub axis: Axis,
    pub ticks: Vec<Decimal>,
    pub labels: Vec<String>,
}

impl ValueAxis {
    /// The ticks of `axis` and their labels.
    pub(crate) fn new(axis: Axis) -> Self {
        let ticks = axis.ticks();
        let labels = ticks.iter().map(|v| amount(*v)).collect();
        ValueAxis {
            axis,
            ticks,
            labels,
        }
    }

    /// Estimated width of the widest tick label.
    pub(crate) fn widest_label(&self) -> f64 {
        self.labels
            .iter()
            .map(|l| text_width(l, SMALL_FONT))
            .fold(0.0, f64::max)
    }

    /// The tick labels in `<g class="bieu-do__truc">`: `place` gives each
    /// label's anchor point from its index and value, or `None` to skip it.
    pub(crate) fn labels_group(
        &self,
        anchor: &str,
        mut place: impl FnMut(usize, Decimal, &str) -> Option<(f64, f64)>,
    ) -> String {
        let mut s = String::from("<g class=\"bieu-do__truc\">");
        for (i, (v, label)) in self.ticks.iter().zip(&self.labels).enumerate() {
            if let Some((x, y)) = place(i, *v, label) {
                axis_text(x, y, anchor).write(&mut s, &escape(label));
            }
        }
        s.push_str("</g>");
        s
    }
}

/// Small muted axis text (tick labels, range ends).
pub(crate) fn axis_text(x: f64, y: f64, anchor: &str) -> Text<'_> {
    Text::at(x, y, SMALL_FONT, palette::MUTED).anchor(anchor)
}

/// Gridlines as one path (`d` built by the caller), pale grey.
pub(crate) fn grid_path(out: &mut String, d: &str) {
    let _ = write!(
        out,
        "<path class=\"bieu-do__luoi\" d=\"{d}\" stroke=\"{}\" stroke-width=\"1\" fill=\"none\"/>",
        palette::GRID
    );
}

/// The zero line (and, for the timeline, the time axis ticks) as one path.
pub(crate) fn zero_path(out: &mut String, d: &str) {
    let _ = write!(
        out,
        "<path class=\"bieu-do__truc-0\" d=\"{d}\" stroke=\"{}\" stroke-width=\"1.5\" fill=\"none\"/>",
        palette::MUTED
    );
}

/// A white backing behind a label (a halo), so lines running behind it do
/// not cross the characters; `opacity` lets the backing be see-through.
pub(crate) fn halo(out: &mut String, x: f64, y: f64, w: f64, h: f64, opacity: Option<&str>) {
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fff\"",
        num(x),
        num(y),
        num(w),
        num(h)
    );
    if let Some(o) = opacity {
        let _ = write!(out, " fill-opacity=\"{o}\"");
    }
    out.push_str("/>");
}

/// Opens a data table with its caption, "Title (đơn vị: unit)" when there
/// is a unit.
/// The table of a chart's numbers, captioned for someone who meets it alone (a screen
/// reader's table list): the chart's title is right above it in the figure, so the caption
/// says what the table is and its unit rather than repeating the title.
pub(crate) fn table_open(unit: &str) -> String {
    let mut t = String::from("<table class=\"bieu-do__bang\">");
    if unit.is_empty() {
        t.push_str("<caption>Số liệu của biểu đồ</caption>");
    } else {
        let _ = write!(
            t,
            "<caption>Số liệu của biểu đồ (đơn vị: {})</caption>",
            escape(unit)
        );
    }
    t
}

/// A column heading, with the unit in brackets when there is one.
pub(crate) fn col_heading(t: &mut String, name: &str, unit: &str) {
    if unit.is_empty() {
        let _ = write!(t, "<th scope=\"col\">{}</th>", escape(name));
    } else {
        let _ = write!(
            t,
            "<th scope=\"col\">{} ({})</th>",
            escape(name),
            escape(unit)
        );
    }
}

/// A number cell (already a printed string).
pub(crate) fn num_cell(t: &mut String, text: &str) {
    let _ = write!(t, "<td class=\"so\">{}</td>", escape(text));
}

/// The body row of a table with no data.
pub(crate) fn empty_row(t: &mut String, cols: usize) {
    let _ = write!(t, "<tr><td colspan=\"{cols}\">Chưa có số liệu</td></tr>");
}
