//! TEMPORARY stand-in with the agreed API, replaced by the real chart module.
use rust_decimal::Decimal;

pub struct BarRow {
    pub label: String,
    pub values: Vec<Decimal>,
    pub note: Option<String>,
    pub href: Option<String>,
}
pub struct GroupedBars {
    pub id: String,
    pub title: String,
    pub description: String,
    pub unit: String,
    pub series: Vec<String>,
    pub rows: Vec<BarRow>,
}
pub struct Progress {
    pub id: String,
    pub label: String,
    pub percent: Decimal,
    pub target_percent: Option<Decimal>,
    pub target_label: Option<String>,
}
pub struct TimelinePoint {
    pub date: chrono::NaiveDate,
    pub value: Decimal,
}
pub struct Timeline {
    pub id: String,
    pub title: String,
    pub description: String,
    pub unit: String,
    pub total: Decimal,
    pub points: Vec<TimelinePoint>,
    pub target: Option<(chrono::NaiveDate, Decimal)>,
    pub start: chrono::NaiveDate,
    pub end: chrono::NaiveDate,
}

fn esc(s: &str) -> String {
    crate::markdown::escape_attr(s)
}

pub fn grouped_bars(c: &GroupedBars) -> String {
    format!(
        "<figure class=\"bieu-do\" id=\"{}\"><figcaption>{}</figcaption><p>{}</p></figure>",
        esc(&c.id),
        esc(&c.title),
        esc(&c.description)
    )
}
pub fn progress_bar(p: &Progress) -> String {
    format!("<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 100 10\" width=\"100\"><rect width=\"{}\" height=\"10\"/></svg>", esc(&p.label), p.percent.min(Decimal::from(100)).round())
}
pub fn progress_figure(p: &Progress) -> String {
    format!(
        "<figure class=\"bieu-do\" id=\"{}\"><figcaption>{}</figcaption>{}</figure>",
        esc(&p.id),
        esc(&p.label),
        progress_bar(p)
    )
}
pub fn timeline(t: &Timeline) -> String {
    format!(
        "<figure class=\"bieu-do\" id=\"{}\"><figcaption>{}</figcaption><p>{}</p></figure>",
        esc(&t.id),
        esc(&t.title),
        esc(&t.description)
    )
}
