//! Template values for the pages generated from activity data: the area list and one page per
//! area, the project list and one page per project, the overview. Charts are built here
//! (static SVG + paired table, see `crate::charts`), so templates only place them.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::charts::{self, BarRow, GroupedBars, Progress};
use crate::config::SiteConfig;
use crate::data::{Budget, Data, Figures, Level, Report};
use crate::figures::charts::{
    capital_chart, comparison_chart, report_source, shown, timeline_chart,
};
use crate::locale::{format_date, format_number, format_percent, format_rate, DateStyle};
use crate::paths::{area_path, csv_path, project_path, JSON_PATH};
use crate::site::Site;

/// Exact decimal as plain text (`3829`, `36.38`): templates format it with the `_vi` filters.
fn dec(d: Decimal) -> String {
    d.normalize().to_string()
}

fn rate_of(b: &Budget) -> Option<Decimal> {
    b.rate()
}

fn opt_dec(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, |d| Value::String(dec(d)))
}

/// Whether what a report shows for `area` is illustrative (the whole report, or a row marked so).
pub fn is_illustrative(r: &Report, area: usize) -> bool {
    r.illustrative
        || r.rows.iter().any(|row| {
            row.area == area && row.flags.get("illustrative") == Some(&toml::Value::Boolean(true))
        })
}

fn area_ref(site: &Site, data: &Data, i: usize) -> Value {
    let a = &data.areas[i];
    // a province is named in full: its short name is also its capital city's ("Kon Tum" beside
    // "TP. Kon Tum")
    let label = match a.level {
        Level::Tinh => &a.name,
        _ => &a.short_name,
    };
    json!({"id": a.id, "name": a.name, "short_name": a.short_name, "label": label,
           "url": site.config.url(&area_path(&a.id)),
           "historical": a.is_historical(site.build_date.date_naive())})
}

fn project_ref(site: &Site, data: &Data, i: usize) -> Value {
    let p = &data.projects[i];
    json!({"id": p.id, "name": p.name, "number": p.number, "url": site.config.url(&project_path(&p.id)),
           "label": data.project_label(i)})
}

fn indicators_value(
    cfg: &SiteConfig,
    data: &Data,
    project: usize,
    figures: &Figures,
    id_prefix: &str,
) -> Vec<Value> {
    data.projects[project]
        .indicators
        .iter()
        .filter_map(|def| {
            let v = figures.indicators.get(&def.id)?;
            let percent = v
                .target
                .and_then(|t| crate::locale::percent_of(v.actual.0, t.0));
            let bar = percent.map(|p| {
                charts::progress_bar(&Progress {
                    source: None,
                    rate_decimals: Some(cfg.raw.rate_decimals),
                    id: format!("{id_prefix}-{}", def.id.replace('_', "-")),
                    label: format!(
                        "{}: {} / {} {}",
                        def.name,
                        format_number(v.actual.0, None),
                        format_number(v.target.map(|t| t.0).unwrap_or_default(), None),
                        def.unit
                    ),
                    percent: p,
                    target_percent: None,
                    target_label: None,
                })
            });
            Some(json!({
                "id": def.id, "name": def.name, "unit": def.unit,
                "actual": dec(v.actual.0), "target": opt_dec(v.target.map(|t| t.0)),
                "approximate": v.approximate, "percent": opt_dec(percent), "bar": bar,
            }))
        })
        .collect()
}

/// Budget figures of one report for one area, for templates.
fn budget_value(
    cfg: &SiteConfig,
    b: &Budget,
    id: &str,
    label: &str,
    source: Option<&charts::Source>,
) -> Value {
    let rate = rate_of(b);
    let target = b.targets.last().copied();
    let progress = rate.map(|r| {
        charts::progress_figure(&Progress {
            source: source.cloned(),
            rate_decimals: Some(cfg.raw.rate_decimals),
            id: id.to_string(),
            label: format!("Tỷ lệ giải ngân {label}"),
            percent: r,
            target_percent: target.map(|t| t.1),
            target_label: target.map(|(by, p)| {
                format!(
                    "Mục tiêu {} đến {}",
                    format_percent(p, None),
                    format_date(by, DateStyle::Short)
                )
            }),
        })
    });
    let parts: serde_json::Map<String, Value> = b
        .parts()
        .map(|(kind, p)| {
            let v = json!({"label": kind.label(), "allocated": dec(shown(cfg, p.allocated)),
                           "disbursed": dec(shown(cfg, p.disbursed)), "rate": opt_dec(p.rate())});
            (kind.key().to_string(), v)
        })
        .collect();
    json!({
        "allocated": dec(shown(cfg, b.allocated)),
        "disbursed": dec(shown(cfg, b.disbursed)),
        "central": b.central.map(|c| dec(shown(cfg, c))),
        "local": b.local.map(|c| dec(shown(cfg, c))),
        "parts": parts,
        "capital_chart": capital_chart(cfg, b, &format!("{id}-von"), label, source),
        "rate": opt_dec(rate),
        "target_percent": opt_dec(target.map(|t| t.1)),
        "target_by": target.map(|t| t.0.to_string()),
        "progress": progress,
    })
}

/// Reports whose CSV mentions `area`.
fn downloads_for(site: &Site, data: &Data, pred: impl Fn(&Report) -> bool) -> Vec<Value> {
    let mut v: Vec<Value> = data
        .reports
        .iter()
        .filter(|r| pred(r))
        .map(|r| {
            json!({"name": format!("{} – {} – số liệu đến {} (CSV)", data.project_label(r.project), data.areas[r.area].short_name, format_date(r.as_of, DateStyle::Short)),
                   "url": site.config.url(&csv_path(&r.id)), "format": "CSV"})
        })
        .collect();
    v.push(json!({"name": "Toàn bộ dữ liệu (JSON)", "url": site.config.url(JSON_PATH), "format": "JSON"}));
    v
}

/// `/dia-ban/`: areas grouped by level, in Vietnamese order.
pub fn areas_value(site: &Site, data: &Data) -> Value {
    let cfg = &site.config;
    let today = site.build_date.date_naive();
    let mut levels: BTreeMap<Level, Vec<usize>> = BTreeMap::new();
    for (i, a) in data.areas.iter().enumerate() {
        levels.entry(a.level).or_default().push(i);
    }
    let levels: Vec<Value> = levels
        .into_iter()
        .map(|(level, mut ids)| {
            ids.sort_by(|&a, &b| crate::locale::vi_cmp(&data.areas[a].short_name, &data.areas[b].short_name).then_with(|| data.areas[a].id.cmp(&data.areas[b].id)));
            let areas: Vec<Value> = ids
                .iter()
                .map(|&i| {
                    let a = &data.areas[i];
                    let summary = data.area_summary(i);
                    let rate = summary.as_ref().and_then(|b| b.rate());
                    let bar = rate.map(|r| charts::progress_bar(&Progress { source: None, rate_decimals: Some(cfg.raw.rate_decimals), id: format!("tl-{}", a.id), label: format!("Tỷ lệ giải ngân {}", a.name), percent: r, target_percent: None, target_label: None }));
                    json!({"id": a.id, "name": a.name, "short_name": a.short_name, "url": cfg.url(&area_path(&a.id)),
                           "historical": a.is_historical(today), "valid_to": a.valid_to.map(|d| d.to_string()),
                           "rate": opt_dec(rate), "bar": bar,
                           "allocated": summary.as_ref().map(|b| dec(shown(cfg, b.allocated))),
                           "disbursed": summary.as_ref().map(|b| dec(shown(cfg, b.disbursed)))})
                })
                .collect();
            json!({"id": level.id(), "label": level.label(), "areas": areas})
        })
        .collect();
    json!({"levels": levels, "money_unit": cfg.money_unit.name(), "url": cfg.url("dia-ban/")})
}

/// One area's page value (without the article paginator).
pub fn area_value(site: &Site, data: &Data, i: usize) -> Value {
    let cfg = &site.config;
    let a = &data.areas[i];
    let today = site.build_date.date_naive();
    let mut projects = Vec::new();
    let mut illustrative = false;
    for p in 0..data.projects.len() {
        let Some(r) = data.latest(i, p) else { continue };
        let r = &data.reports[r];
        let Some(f) = r.figures_for(i) else { continue };
        let ill = is_illustrative(r, i);
        illustrative |= ill;
        let id = format!("{}-{}", a.id, data.projects[p].id);
        let row = r.rows.iter().find(|row| row.area == i);
        let flags: serde_json::Map<String, Value> = row
            .map(|row| {
                row.flags
                    .iter()
                    .filter(|(k, _)| k.as_str() != "illustrative")
                    .map(|(k, v)| (k.clone(), crate::config::toml_to_json(v)))
                    .collect()
            })
            .unwrap_or_default();
        let flag_list = row
            .map(|row| flag_list(&data.projects[p], row))
            .unwrap_or_default();
        // the sub-areas of this area, from its own report's breakdown
        let comparison = (r.area == i)
            .then(|| comparison_chart(&site.config, data, r, &format!("ss-{id}")))
            .flatten();
        projects.push(json!({
            "project": project_ref(site, data, p),
            "comparison": comparison,
            "report": {"id": r.id, "year": r.year, "as_of": r.as_of.to_string(), "source": r.source, "illustrative": ill,
                       "csv": cfg.url(&csv_path(&r.id))},
            "budget": f.budget.as_ref().map(|b| budget_value(cfg, b, &format!("gn-{id}"), &format!("{} năm {}", data.project_label(p), r.year), Some(&report_source(cfg, r)))),
            "indicators": indicators_value(cfg, data, p, f, &format!("ct-{id}")),
            "flags": flags,
            "flag_list": flag_list,
            "timeline": timeline_chart(&site.config, data, i, p, r.year, &format!("td-{id}")),
        }));
    }
    let parent = a.parent.map(|p| area_ref(site, data, p));
    let successor = a.successor.map(|s| area_ref(site, data, s));
    let children: Vec<Value> = a
        .children
        .iter()
        .map(|&c| area_ref(site, data, c))
        .collect();
    json!({
        "id": a.id, "name": a.name, "short_name": a.short_name, "level": a.level.id(), "level_label": a.level.label(),
        "url": cfg.url(&area_path(&a.id)), "permalink": cfg.permalink(&area_path(&a.id)),
        "historical": a.is_historical(today),
        "valid_from": a.valid_from.map(|d| d.to_string()), "valid_to": a.valid_to.map(|d| d.to_string()),
        "aliases": a.aliases, "parent": parent, "successor": successor, "children": children,
        "projects": projects, "illustrative": illustrative,
        "money_unit": cfg.money_unit.name(),
        "downloads": downloads_for(site, data, |r| r.area == i || r.rows.iter().any(|row| row.area == i)),
    })
}

pub fn projects_value(site: &Site, data: &Data) -> Value {
    let list: Vec<Value> = (0..data.projects.len())
        .map(|p| {
            let mut v = project_ref(site, data, p);
            let latest = data
                .reports
                .iter()
                .filter(|r| r.project == p && data.areas[r.area].parent.is_none())
                .max_by_key(|r| (r.year, r.as_of));
            if let (Value::Object(m), Some(r)) = (&mut v, latest) {
                if let Some(b) = &r.totals.budget {
                    m.insert("rate".into(), opt_dec(b.rate()));
                    m.insert("year".into(), json!(r.year));
                    m.insert(
                        "bar".into(),
                        json!(b.rate().map(|rate| charts::progress_bar(&Progress {
                            source: None,
                            rate_decimals: Some(site.config.raw.rate_decimals),
                            id: format!("tl-{}", data.projects[p].id),
                            label: format!(
                                "Tỷ lệ giải ngân {} năm {}",
                                data.project_label(p),
                                r.year
                            ),
                            percent: rate,
                            target_percent: None,
                            target_label: None
                        }))),
                    );
                }
            }
            v
        })
        .collect();
    let programs: Vec<Value> = data.programs.iter().map(|p| json!({"id": p.id, "name": p.name, "decision": p.decision, "start_year": p.start_year, "end_year": p.end_year})).collect();
    json!({"projects": list, "programs": programs, "url": site.config.url("du-an/")})
}

/// One project's page value.
pub fn project_value(site: &Site, data: &Data, p: usize) -> Value {
    let cfg = &site.config;
    let pr = &data.projects[p];
    let program = &data.programs[pr.program];
    // reports of the top-level areas (provinces), per year, the latest of each year
    let mut by_year: BTreeMap<(i32, usize), &Report> = BTreeMap::new();
    for r in data
        .reports
        .iter()
        .filter(|r| r.project == p && data.areas[r.area].parent.is_none())
    {
        let e = by_year.entry((r.year, r.area)).or_insert(r);
        if r.as_of > e.as_of {
            *e = r;
        }
    }
    let years: Vec<Value> = by_year
        .values()
        .map(|r| {
            json!({"year": r.year, "area": area_ref(site, data, r.area), "report": r.id, "as_of": r.as_of.to_string(),
                   "illustrative": r.illustrative, "source": r.source, "csv": cfg.url(&csv_path(&r.id)),
                   "budget": r.totals.budget.as_ref().map(|b| json!({"allocated": dec(shown(cfg, b.allocated)), "disbursed": dec(shown(cfg, b.disbursed)), "rate": opt_dec(b.rate())}))})
        })
        .collect();
    let latest = by_year.values().max_by_key(|r| (r.year, r.as_of)).copied();
    let partial = partial_reports(site, data, p);
    // the latest report that has a breakdown, for the per-area comparison
    let with_rows = data
        .reports
        .iter()
        .filter(|r| r.project == p && !r.rows.is_empty())
        .max_by_key(|r| (r.year, r.as_of));
    let comparison =
        with_rows.and_then(|r| comparison_chart(&site.config, data, r, &format!("ss-{}", pr.id)));
    let latest_value = latest.map(|r| {
        json!({
            "report": {"id": r.id, "year": r.year, "as_of": r.as_of.to_string(), "source": r.source, "illustrative": r.illustrative, "csv": cfg.url(&csv_path(&r.id))},
            "area": area_ref(site, data, r.area),
            "budget": r.totals.budget.as_ref().map(|b| budget_value(cfg, b, &format!("gn-{}", pr.id), &format!("{} năm {}", data.project_label(p), r.year), Some(&report_source(cfg, r)))),
            "indicators": indicators_value(cfg, data, p, &r.totals, &format!("ct-{}", pr.id)),
            "timeline": timeline_chart(&site.config, data, r.area, p, r.year, &format!("td-{}", pr.id)),
        })
    });
    let comparison_report = with_rows.map(|r| json!({"id": r.id, "as_of": r.as_of.to_string(), "area": area_ref(site, data, r.area), "illustrative": r.illustrative || r.rows.iter().any(|row| row.flags.get("illustrative") == Some(&toml::Value::Boolean(true))), "csv": cfg.url(&csv_path(&r.id))}));
    let illustrative = data.reports.iter().filter(|r| r.project == p).any(|r| {
        r.illustrative
            || r.rows
                .iter()
                .any(|row| row.flags.get("illustrative") == Some(&toml::Value::Boolean(true)))
    });
    json!({
        "id": pr.id, "name": pr.name, "number": pr.number, "label": data.project_label(p),
        "lead_agency": pr.lead_agency,
        "url": cfg.url(&project_path(&pr.id)), "permalink": cfg.permalink(&project_path(&pr.id)),
        "program": {"id": program.id, "name": program.name, "decision": program.decision, "start_year": program.start_year, "end_year": program.end_year},
        "indicators_defined": pr.indicators.iter().map(|i| json!({"id": i.id, "name": i.name, "unit": i.unit})).collect::<Vec<_>>(),
        "years": years,
        "latest": latest_value,
        "comparison": comparison,
        "comparison_report": comparison_report,
        "partial": partial,
        "illustrative": illustrative,
        "money_unit": cfg.money_unit.name(),
        "downloads": downloads_for(site, data, |r| r.project == p),
    })
}

/// `/tong-quan/`: totals per project and year, areas × projects rates, ranking.
pub fn overview_value(site: &Site, data: &Data) -> Value {
    let cfg = &site.config;
    let (totals, illustrative) = overview_totals(site, data);
    let (projects, area_ids, rows) = overview_matrix(site, data);
    let rankings = overview_ranking(site, data, &area_ids);
    json!({
        "totals": totals,
        "projects": projects.iter().map(|&p| project_ref(site, data, p)).collect::<Vec<_>>(),
        "rows": rows,
        "rankings": rankings,
        "illustrative": illustrative || data.reports.iter().any(|r| r.illustrative),
        "money_unit": cfg.money_unit.name(),
        "downloads": downloads_for(site, data, |_| true),
        "url": cfg.url("tong-quan/"),
    })
}

/// The overview's totals: the latest report per project, year and top-level area; and whether
/// one of them is illustrative.
fn overview_totals(site: &Site, data: &Data) -> (Vec<Value>, bool) {
    let cfg = &site.config;
    let mut latest: BTreeMap<(usize, i32, usize), &Report> = BTreeMap::new();
    for r in data
        .reports
        .iter()
        .filter(|r| data.areas[r.area].parent.is_none())
    {
        let e = latest.entry((r.project, r.year, r.area)).or_insert(r);
        if r.as_of > e.as_of {
            *e = r;
        }
    }
    let mut illustrative = false;
    let totals: Vec<Value> = latest
        .values()
        .filter_map(|r| {
            let b = r.totals.budget.as_ref()?;
            illustrative |= r.illustrative;
            Some(json!({"project": project_ref(site, data, r.project), "year": r.year, "area": area_ref(site, data, r.area),
                        "as_of": r.as_of.to_string(), "illustrative": r.illustrative,
                        "allocated": dec(shown(cfg, b.allocated)), "disbursed": dec(shown(cfg, b.disbursed)), "rate": opt_dec(b.rate()),
                        "bar": b.rate().map(|rate| charts::progress_bar(&Progress { source: None, rate_decimals: Some(cfg.raw.rate_decimals), id: format!("tq-{}-{}-{}", data.projects[r.project].id, r.year, data.areas[r.area].id), label: format!("{} năm {}", data.project_label(r.project), r.year), percent: rate, target_percent: b.targets.last().map(|t| t.1), target_label: None }))}))
        })
        .collect();
    (totals, illustrative)
}

/// The overview's matrix: the projects with figures, the areas with figures (by level, then
/// name), and one row per area with the latest rate of each project.
fn overview_matrix(site: &Site, data: &Data) -> (Vec<usize>, Vec<usize>, Vec<Value>) {
    let projects: Vec<usize> = (0..data.projects.len())
        .filter(|&p| data.reports.iter().any(|r| r.project == p))
        .collect();
    let mut area_ids: Vec<usize> = (0..data.areas.len())
        .filter(|&a| projects.iter().any(|&p| data.latest(a, p).is_some()))
        .collect();
    area_ids.sort_by(|&a, &b| {
        data.areas[a].level.cmp(&data.areas[b].level).then_with(|| {
            crate::locale::vi_cmp(&data.areas[a].short_name, &data.areas[b].short_name)
        })
    });
    let rows: Vec<Value> = area_ids
        .iter()
        .map(|&a| {
            let cells: Vec<Value> = projects
                .iter()
                .map(|&p| match data.latest(a, p).map(|r| &data.reports[r]) {
                    Some(r) => {
                        let rate = r.figures_for(a).and_then(|f| f.budget.as_ref()).and_then(|b| b.rate());
                        json!({"rate": opt_dec(rate), "year": r.year, "illustrative": is_illustrative(r, a)})
                    }
                    None => json!({"rate": null}),
                })
                .collect();
            json!({"area": area_ref(site, data, a), "level_label": data.areas[a].level.label(), "cells": cells})
        })
        .collect();
    (projects, area_ids, rows)
}

/// The overview's rankings of the areas below the top level by disbursement rate: one per
/// project, for its latest year with such figures, so nothing is added across projects or
/// mixed across years (a ranking of sums once put Kon Plông's 560 + 690 beside Đăk Hà's
/// figures of another year). Each: `{project, year, rows, chart}`.
fn overview_ranking(site: &Site, data: &Data, area_ids: &[usize]) -> Vec<Value> {
    let sub_areas: Vec<usize> = area_ids
        .iter()
        .copied()
        .filter(|&a| data.areas[a].parent.is_some())
        .collect();
    (0..data.projects.len())
        .filter_map(|p| {
            let budget_in = |a: usize, year: i32| {
                let r = data.latest_in_year(a, p, year)?;
                data.reports[r].figures_for(a)?.budget.clone()
            };
            let year = sub_areas
                .iter()
                .filter_map(|&a| data.latest(a, p))
                .map(|r| data.reports[r].year)
                .filter(|&y| sub_areas.iter().any(|&a| budget_in(a, y).is_some()))
                .max()?;
            let mut rows: Vec<(Decimal, usize, Budget)> = sub_areas
                .iter()
                .filter_map(|&a| {
                    let b = budget_in(a, year)?;
                    Some((b.rate()?, a, b))
                })
                .collect();
            rows.sort_by(|x, y| {
                y.0.cmp(&x.0).then_with(|| {
                    crate::locale::vi_cmp(&data.areas[x.1].name, &data.areas[y.1].name)
                })
            });
            (!rows.is_empty()).then(|| ranking_value(site, data, p, year, &rows))
        })
        .collect()
}

/// One project's ranking for `year`: its rows and its chart.
fn ranking_value(
    site: &Site,
    data: &Data,
    p: usize,
    year: i32,
    rows: &[(Decimal, usize, Budget)],
) -> Value {
    let cfg = &site.config;
    let today = site.build_date.date_naive();
    let label = data.project_label(p);
    let (best, worst) = (&rows[0], &rows[rows.len() - 1]);
    let chart = charts::grouped_bars(&GroupedBars {
        rate_decimals: Some(cfg.raw.rate_decimals),
        // one report per area, possibly several: the open-data page lists them
        source: Some(charts::Source {
            csv: None,
            as_of: None,
            text: format!("các báo cáo số liệu {label} năm {year}, xem trang Dữ liệu mở"),
        }),
        id: format!("xep-hang-{}", data.projects[p].id),
        title: format!("Xếp hạng địa bàn theo tỷ lệ giải ngân – {label}, năm {year}"),
        description: format!(
            "Cao nhất: {} ({}); thấp nhất: {} ({}).",
            data.areas[best.1].name,
            format_rate(best.0, cfg.raw.rate_decimals),
            data.areas[worst.1].name,
            format_rate(worst.0, cfg.raw.rate_decimals)
        ),
        unit: cfg.money_unit.word().into(),
        series: vec!["Dự toán được giao".into(), "Đã giải ngân".into()],
        rows: rows
            .iter()
            .map(|(_, a, b)| BarRow {
                label: data.areas[*a].short_name.clone(),
                values: vec![shown(cfg, b.allocated), shown(cfg, b.disbursed)],
                note: None,
                href: Some(cfg.url(&area_path(&data.areas[*a].id))),
            })
            .collect(),
    });
    let rows: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(n, (rate, a, b))| {
            json!({"rank": n + 1, "area": area_ref(site, data, *a), "allocated": dec(shown(cfg, b.allocated)),
                   "disbursed": dec(shown(cfg, b.disbursed)), "rate": dec(*rate),
                   "historical": data.areas[*a].is_historical(today)})
        })
        .collect();
    json!({"project": project_ref(site, data, p), "year": year, "rows": rows, "chart": chart})
}

/// The row's declared keys, in the project's order, with their labels and values as pages
/// show them: `{"id", "name", "text"}`.
fn flag_list(project: &crate::data::Project, row: &crate::data::Row) -> Vec<Value> {
    use crate::data::model::FlagKind;
    project
        .flags
        .iter()
        .filter_map(|f| {
            let v = row.flags.get(&f.id)?;
            let text = match (f.kind, v) {
                (FlagKind::YesNo, toml::Value::Boolean(true)) => {
                    f.yes.clone().unwrap_or("có".into())
                }
                (FlagKind::YesNo, toml::Value::Boolean(false)) => {
                    f.no.clone().unwrap_or("không".into())
                }
                (FlagKind::Number, v) => {
                    let n = crate::locale::decimal_from_str(&v.to_string())?;
                    let unit = f
                        .unit
                        .as_deref()
                        .map(|u| format!(" {u}"))
                        .unwrap_or_default();
                    format!("{}{unit}", format_number(n, None))
                }
                (_, toml::Value::String(s)) => s.clone(),
                _ => return None,
            };
            Some(json!({"id": f.id, "name": f.name, "text": text}))
        })
        .collect()
}

/// The latest report of each year of each area below the top level that reports for the
/// project on its own: figures of that area only, never the project's total.
fn partial_reports(site: &Site, data: &Data, p: usize) -> Vec<Value> {
    let cfg = &site.config;
    let mut latest: BTreeMap<(i32, usize), &Report> = BTreeMap::new();
    for r in data
        .reports
        .iter()
        .filter(|r| r.project == p && data.areas[r.area].parent.is_some())
    {
        let e = latest.entry((r.year, r.area)).or_insert(r);
        if r.as_of > e.as_of {
            *e = r;
        }
    }
    latest
        .values()
        .rev()
        .map(|r| {
            let budget = r.totals.budget.as_ref().map(|b| {
                json!({"allocated": dec(shown(cfg, b.allocated)), "disbursed": dec(shown(cfg, b.disbursed)), "rate": opt_dec(b.rate())})
            });
            json!({"year": r.year, "area": area_ref(site, data, r.area), "report": r.id, "as_of": r.as_of.to_string(),
                   "illustrative": r.illustrative, "csv": cfg.url(&csv_path(&r.id)), "budget": budget})
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    use crate::data::{Area, Budget, Data, Figures, Level, Program, Project, Report};
    use crate::locale::MoneyUnit;

    /// Two projects' reports of one area, each allocating `allocated` đồng.
    fn data(allocated: Decimal) -> Data {
        let area = Area {
            id: "a".into(),
            name: "Tỉnh A".into(),
            short_name: "A".into(),
            level: Level::Tinh,
            parent: None,
            children: Vec::new(),
            aliases: Vec::new(),
            valid_from: None,
            valid_to: None,
            successor: None,
        };
        let project = |id: &str| Project {
            id: id.into(),
            program: 0,
            number: None,
            name: id.into(),
            lead_agency: String::new(),
            indicators: Vec::new(),
            flags: Vec::new(),
            budget_parts: Vec::new(),
        };
        let report = |p: usize| Report {
            id: format!("r{p}"),
            file: format!("content/data/reports/r{p}.toml"),
            project: p,
            area: 0,
            year: 2024,
            as_of: NaiveDate::from_ymd_opt(2024, 6, 30).unwrap(),
            money_unit: MoneyUnit::Dong,
            source: String::new(),
            illustrative: false,
            totals: Figures {
                budget: Some(Budget {
                    allocated,
                    ..Budget::default()
                }),
                indicators: Default::default(),
            },
            rows: Vec::new(),
        };
        Data {
            areas: vec![area],
            programs: vec![Program {
                id: "ct".into(),
                name: "CT".into(),
                decision: String::new(),
                start_year: None,
                end_year: None,
            }],
            projects: vec![project("p0"), project("p1")],
            reports: vec![report(0), report(1)],
            ..Data::default()
        }
    }

    /// Found by fuzzing the figures' sums: two reports of one area near the largest figure a
    /// report holds overflowed when added for the area page, and the build panicked.
    #[test]
    fn an_area_summary_that_overflows_is_left_out() {
        let two = Decimal::TWO;
        assert_eq!(
            data(Decimal::ONE).area_summary(0).map(|b| b.allocated),
            Some(two)
        );
        assert_eq!(data(Decimal::MAX).area_summary(0), None);
    }
}
