//! Charts of the activity data, drawn from the model's numbers for `bieu_do` in articles and
//! for the data pages: which reports, which figures, what the title and the accessible
//! description say. The drawing itself is [`crate::charts`].

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::charts::{self, BarRow, GroupedBars, Timeline, TimelinePoint};
use crate::config::SiteConfig;
use crate::data::{Budget, Data, Part, Report};
use crate::locale::{
    convert_money, format_date, format_number, format_percent, format_rate, DateStyle, MoneyUnit,
};
use crate::paths::area_path;

/// An amount in đồng shown in the site's display unit, as a plain decimal string.
pub fn shown(cfg: &SiteConfig, dong: Decimal) -> Decimal {
    convert_money(dong, MoneyUnit::Dong, cfg.money_unit).unwrap_or(dong)
}

pub fn money_text(cfg: &SiteConfig, dong: Decimal) -> String {
    format!(
        "{} {}",
        format_number(
            shown(cfg, dong),
            Some(0).filter(|_| shown(cfg, dong).fract().is_zero())
        ),
        cfg.money_unit.word()
    )
}

/// Where a chart of one report's figures says they come from: its citation, date and CSV.
pub fn report_source(cfg: &SiteConfig, r: &Report) -> charts::Source {
    charts::Source {
        text: r.source.clone(),
        as_of: Some(r.as_of),
        csv: Some(cfg.url(&crate::paths::csv_path(&r.id))),
    }
}

pub fn pct_text(cfg: &SiteConfig, d: Option<Decimal>) -> String {
    d.map_or_else(
        || "—".to_string(),
        |d| format_rate(d, cfg.raw.rate_decimals),
    )
}

pub fn timeline_chart(
    cfg: &SiteConfig,
    data: &Data,
    area: usize,
    project: usize,
    year: i32,
    id: &str,
) -> Option<String> {
    let reports: Vec<&Report> = data
        .timeline(area, project)
        .into_iter()
        .map(|i| &data.reports[i])
        .filter(|r| r.year == year)
        .collect();
    let mut points = Vec::new();
    let mut total = Decimal::ZERO;
    let mut target = None;
    let mut latest = None;
    for r in &reports {
        if let Some(b) = r.figures_for(area).and_then(|f| f.budget.as_ref()) {
            points.push(TimelinePoint {
                date: r.as_of,
                value: shown(cfg, b.disbursed),
            });
            total = shown(cfg, b.allocated);
            latest = Some(*r);
            // targets are set on the report's totals
            if let Some(t) = r.totals.budget.as_ref().and_then(|tb| tb.targets.last()) {
                target = Some(*t);
            }
        }
    }
    if points.is_empty() {
        return None;
    }
    let last = points.last().map(|p| p.value).unwrap_or_default();
    let name = &data.areas[area].name;
    let label = data.project_label(project);
    let start = NaiveDate::from_ymd_opt(year, 1, 1)?;
    let end = NaiveDate::from_ymd_opt(year, 12, 31)?;
    let unit = cfg.money_unit.word();
    Some(charts::timeline(&Timeline {
        rate_decimals: Some(cfg.raw.rate_decimals),
        source: latest.map(|r| report_source(cfg, r)),
        id: id.to_string(),
        title: format!("Tiến độ giải ngân {label} năm {year} – {name}"),
        description: format!(
            "Đến {} đã giải ngân {} {unit} trên tổng {} {unit} ({}){}.",
            format_date(
                points.last().map(|p| p.date).unwrap_or(start),
                DateStyle::Short
            ),
            format_number(last, None),
            format_number(total, None),
            pct_text(cfg, crate::locale::percent_of(last, total)),
            target
                .map(|(by, p)| format!(
                    "; mục tiêu {} đến {}",
                    format_percent(p, None),
                    format_date(by, DateStyle::Short)
                ))
                .unwrap_or_default()
        ),
        unit: cfg.money_unit.word().to_string(),
        total,
        points,
        target,
        start,
        end,
    }))
}

/// Comparison of the sub-areas of a report, sorted by disbursement rate (highest first).
pub fn comparison_chart(cfg: &SiteConfig, data: &Data, r: &Report, id: &str) -> Option<String> {
    let mut rows: Vec<(Decimal, String, BarRow)> = r
        .rows
        .iter()
        .filter_map(|row| {
            let b = row.figures.budget.as_ref()?;
            let rate = b.rate().unwrap_or_default();
            let a = &data.areas[row.area];
            Some((
                rate,
                a.name.clone(),
                BarRow {
                    label: a.short_name.clone(),
                    values: vec![shown(cfg, b.allocated), shown(cfg, b.disbursed)],
                    note: None,
                    href: Some(cfg.url(&area_path(&a.id))),
                },
            ))
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| crate::locale::vi_cmp(&a.1, &b.1))
    });
    let tb = r.totals.budget.as_ref();
    let label = data.project_label(r.project);
    let best = &rows[0];
    let worst = &rows[rows.len() - 1];
    Some(charts::grouped_bars(&GroupedBars {
        rate_decimals: Some(cfg.raw.rate_decimals),
        source: Some(report_source(cfg, r)),
        id: id.to_string(),
        title: format!(
            "Giải ngân {label} theo địa bàn, số liệu đến {}",
            format_date(r.as_of, DateStyle::Short)
        ),
        description: format!(
            "{}{} cao nhất: {} ({}); thấp nhất: {} ({}).",
            tb.map(|b| format!(
                "{}: đã giải ngân {} trên {} ({}). ",
                data.areas[r.area].name,
                money_text(cfg, b.disbursed),
                money_text(cfg, b.allocated),
                pct_text(cfg, b.rate())
            ))
            .unwrap_or_default(),
            "Tỷ lệ",
            best.2.label,
            format_rate(best.0, cfg.raw.rate_decimals),
            worst.2.label,
            format_rate(worst.0, cfg.raw.rate_decimals),
        ),
        unit: cfg.money_unit.word().to_string(),
        series: vec!["Dự toán được giao".into(), "Đã giải ngân".into()],
        rows: rows.into_iter().map(|r| r.2).collect(),
    }))
}

/// The budget by line, as reports give it: vốn đầu tư phát triển and vốn sự nghiệp, the year's
/// plan, funds carried over from earlier years and everything together, each with its own
/// disbursement rate (on its own allocation: the year's rate never mixes in carried-over
/// funds). `None` when the budget has none of these lines. `title`: "Dự án 8 năm 2023".
pub fn capital_chart(
    cfg: &SiteConfig,
    b: &Budget,
    id: &str,
    title: &str,
    source: Option<&charts::Source>,
) -> Option<String> {
    let row = |label: &str, p: Part| BarRow {
        label: label.to_string(),
        values: vec![shown(cfg, p.allocated), shown(cfg, p.disbursed)],
        note: None,
        href: None,
    };
    let year = Part {
        allocated: b.allocated,
        disbursed: b.disbursed,
    };
    let mut rows: Vec<BarRow> = [b.investment, b.recurrent]
        .iter()
        .zip(crate::data::PartKind::ALL)
        .filter_map(|(p, kind)| Some(row(kind.label(), (*p)?)))
        .collect();
    let all = b.with_carried_over();
    if rows.is_empty() && all.is_none() {
        return None;
    }
    rows.push(row("Kế hoạch vốn năm", year));
    let mut description = format!(
        "Kế hoạch vốn năm: đã giải ngân {} trên {} ({}).",
        money_text(cfg, year.disbursed),
        money_text(cfg, year.allocated),
        pct_text(cfg, year.rate())
    );
    if let (Some(c), Some(all)) = (b.carried_over, all) {
        let kind = crate::data::PartKind::CarriedOver;
        rows.push(row(kind.label(), c));
        rows.push(row("Tổng cộng (cả vốn chuyển sang)", all));
        description.push_str(&format!(
            " {}: đã giải ngân {} trên {} ({}). Tổng cộng: {} trên {} ({}).",
            kind.label(),
            money_text(cfg, c.disbursed),
            money_text(cfg, c.allocated),
            pct_text(cfg, c.rate()),
            money_text(cfg, all.disbursed),
            money_text(cfg, all.allocated),
            pct_text(cfg, all.rate())
        ));
    }
    Some(charts::grouped_bars(&GroupedBars {
        rate_decimals: Some(cfg.raw.rate_decimals),
        source: source.cloned(),
        id: id.to_string(),
        title: format!("Giải ngân theo nguồn vốn, {title}"),
        description,
        unit: cfg.money_unit.word().to_string(),
        series: vec!["Kế hoạch vốn".into(), "Đã giải ngân".into()],
        rows,
    }))
}
