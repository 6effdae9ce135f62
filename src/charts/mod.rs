//! Static inline SVG charts, each paired with a table of the same numbers.
//!
//! Bulletin readers check figures against official reports, print pages
//! on black-and-white office printers, read on 360 px phones and use
//! screen readers. A chart here is therefore never the only carrier of a
//! number: every function returns HTML in which the picture and a real
//! `<table>` say the same thing, in Vietnamese number format.
//!
//! # The charts
//!
//! - [`grouped_bars`]: horizontal bars, one group per row (an area or a
//!   project), one bar per series (allocated vs disbursed). For comparing
//!   areas on a project page or projects on an area page. The caller sorts
//!   the rows; the chart keeps their order.
//! - [`progress_bar`]: a small inline bar for listings and table cells
//!   (the disbursement rate next to each area in `/dia-ban/`). SVG only,
//!   because it sits next to the number it depicts.
//! - [`progress_figure`]: the same idea as a stand-alone figure with a
//!   caption and a one-row table, for key figures on a page.
//! - [`timeline`]: cumulative disbursement by report date (`as_of`) against
//!   the allocation (100 %) and the target, for area and project pages.
//!
//! All functions are pure: model in, HTML string out, no I/O, no hash maps,
//! coordinates printed with one decimal, so the same data always produce
//! byte-identical pages (stable diffs, reproducible builds).
//!
//! # Accessibility and robustness rules (each is checked by a unit test)
//!
//! - No JavaScript, no `<style>` element, no external resources.
//! - `<svg role="img" aria-labelledby="{id}-title {id}-desc">` with a
//!   `<title>` and a `<desc>` stating the key figure in Vietnamese. The SVG
//!   content is one image to assistive technology, so links live in the
//!   table, never inside the SVG.
//! - Figures are `<figure class="bieu-do" id="{id}">` with a `<figcaption>`,
//!   the SVG, and the table inside `<div class="bang">` (the theme's
//!   horizontal scroll wrapper) with `<caption>` and `<th scope>` headers.
//! - Numbers are written on the chart (never colour alone) and are the very
//!   same strings as in the table ([`crate::locale::format_number`],
//!   [`crate::locale::format_percent`]).
//! - The second series is hatched as well as coloured; colours have at
//!   least 3:1 contrast against white, and the solid and hatched series
//!   differ by at least 3:1 in greyscale (see [`palette`]).
//! - `viewBox` + `width="100%"`, no pixel width. The geometry is designed
//!   for a narrow drawing (360 units wide), so text stays legible when the
//!   SVG is 330 px wide on a phone; the theme caps the width on large
//!   screens (see `docs/charts.css.txt`). Row labels sit on their own line
//!   above their bars, so labels never overlap bars at any width; long
//!   labels wrap to two lines and are then truncated with "…" (the full
//!   text is in the table).
//! - Height grows with the number of rows; the axis is repeated at the
//!   bottom of long charts.
//! - Every text goes through [`escape`]; ids are sanitised and every id
//!   inside a chart starts with the chart's id, so several charts can share
//!   a page. Presentation attributes (fill, stroke, font-size) are inline,
//!   so a chart renders without the theme CSS.
//! - Degenerate input never panics: no rows, all zeros, total 0, negative
//!   values (drawn at 0, printed as they are), duplicate dates, a one-day
//!   range.

mod bars;
pub mod palette;
mod parts;
mod progress;
mod scale;
mod text;
mod timeline;

#[cfg(test)]
mod test_support;

pub use bars::{grouped_bars, BarRow, GroupedBars};
pub use parts::Source;
pub use progress::{progress_bar, progress_figure, Progress};
pub use timeline::{timeline, Timeline, TimelinePoint};
