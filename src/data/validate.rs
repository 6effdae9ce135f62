//! Resolves ids and checks the figures. Every problem is collected with its file position and
//! a suggestion; the resulting [`Data`] only contains what could be resolved.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use toml::Spanned;

use super::load::{RawData, Src};
use super::model::{BudgetRaw, IndicatorValue};
use super::{Area, Budget, Data, Figures, Indicator, Program, Project, Report, Row};
use crate::diag::{did_you_mean, Diagnostic};
use crate::locale::{convert_money, format_number, slugify, vi_cmp, MoneyUnit};
use crate::paths::is_safe_slug;

fn toml_date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    let date = d.date?;
    NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
}

/// "có phải ý bạn là …?" over ids, names and aliases.
fn suggest<'a>(
    value: &str,
    candidates: impl Iterator<Item = (&'a str, Vec<&'a str>)>,
) -> Option<String> {
    let wanted = slugify(value);
    let mut ids = Vec::new();
    for (id, names) in candidates {
        if names.iter().any(|n| slugify(n) == wanted) || id == wanted {
            return Some(id.to_string());
        }
        ids.push(id);
    }
    did_you_mean(value, ids.iter().copied()).map(str::to_string)
}

/// Builds the area suggestion hint.
pub fn area_hint(data: &Data, value: &str) -> String {
    let cands = data.areas.iter().map(|a| {
        let mut names: Vec<&str> = vec![a.name.as_str(), a.short_name.as_str()];
        names.extend(a.aliases.iter().map(String::as_str));
        (a.id.as_str(), names)
    });
    match suggest(value, cands) {
        Some(id) => format!("có phải ý bạn là `{id}` ({})? mã địa bàn khai báo trong content/data/areas.toml", data.area(&id).map(|a| a.name.as_str()).unwrap_or("")),
        None => "dùng mã (id) của một địa bàn trong content/data/areas.toml, hoặc khai báo thêm địa bàn đó".to_string(),
    }
}

pub fn project_hint(data: &Data, value: &str) -> String {
    let cands = data
        .projects
        .iter()
        .map(|p| (p.id.as_str(), vec![p.name.as_str()]));
    match suggest(value, cands) {
        Some(id) => {
            format!("có phải ý bạn là `{id}`? mã dự án khai báo trong content/data/programs.toml")
        }
        None => "dùng mã (id) của một [[project]] trong content/data/programs.toml".to_string(),
    }
}

pub fn validate(raw: RawData, today: NaiveDate, diags: &mut Vec<Diagnostic>) -> Data {
    let _ = today;
    let mut data = Data::default();
    // ---- areas
    if let Some((src, file)) = &raw.areas {
        for a in &file.area {
            let id = a.id.get_ref();
            if !is_safe_slug(id) {
                diags.push(
                    src.error(a.id.span(), format!("mã địa bàn \"{id}\" không hợp lệ"))
                        .hint(format!(
                            "mã viết thường không dấu, nối bằng gạch ngang, ví dụ \"{}\"",
                            slugify(id)
                        )),
                );
                continue;
            }
            if data.area_index.contains_key(id) {
                diags.push(
                    src.error(a.id.span(), format!("mã địa bàn \"{id}\" bị trùng"))
                        .hint("mỗi [[area]] cần một id riêng"),
                );
                continue;
            }
            let valid_from = a
                .valid_from
                .as_ref()
                .and_then(|d| date_or_err(src, d, "valid_from", diags));
            let valid_to = a
                .valid_to
                .as_ref()
                .and_then(|d| date_or_err(src, d, "valid_to", diags));
            if let (Some(f), Some(t), Some(span)) =
                (valid_from, valid_to, a.valid_to.as_ref().map(|s| s.span()))
            {
                if f > t {
                    diags.push(
                        src.error(span, format!("valid_to ({t}) trước valid_from ({f})"))
                            .hint("kiểm tra lại ngày bắt đầu và ngày hết hiệu lực của địa bàn"),
                    );
                }
            }
            data.area_index.insert(id.clone(), data.areas.len());
            data.areas.push(Area {
                id: id.clone(),
                name: a.name.trim().to_string(),
                short_name: a
                    .short_name
                    .clone()
                    .unwrap_or_else(|| a.name.clone())
                    .trim()
                    .to_string(),
                level: *a.level.get_ref(),
                parent: None,
                children: Vec::new(),
                aliases: a.aliases.clone(),
                valid_from,
                valid_to,
                successor: None,
            });
        }
        // parents and successors, now that every id is known
        for a in &file.area {
            let Some(&i) = data.area_index.get(a.id.get_ref()) else {
                continue;
            };
            if let Some(p) = &a.parent {
                match data.area_index.get(p.get_ref()) {
                    Some(&pi) if pi == i => diags
                        .push(src.error(p.span(), "địa bàn không thể là cấp trên của chính nó")),
                    Some(&pi) => {
                        if data.areas[pi].level >= data.areas[i].level {
                            diags.push(
                                src.error(
                                    p.span(),
                                    format!(
                                        "cấp trên \"{}\" ({}) không cao hơn \"{}\" ({})",
                                        data.areas[pi].id,
                                        data.areas[pi].level.label(),
                                        data.areas[i].id,
                                        data.areas[i].level.label()
                                    ),
                                )
                                .hint("tỉnh chứa huyện, huyện chứa xã: sửa level hoặc parent"),
                            );
                        } else {
                            data.areas[i].parent = Some(pi);
                        }
                    }
                    None => {
                        let hint = area_hint(&data, p.get_ref());
                        diags.push(
                            src.error(
                                p.span(),
                                format!("không có địa bàn cấp trên \"{}\"", p.get_ref()),
                            )
                            .hint(hint),
                        );
                    }
                }
            }
            if let Some(s) = &a.successor {
                match data.area_index.get(s.get_ref()) {
                    Some(&si) => data.areas[i].successor = Some(si),
                    None => {
                        let hint = area_hint(&data, s.get_ref());
                        diags.push(
                            src.error(
                                s.span(),
                                format!("không có địa bàn kế thừa \"{}\"", s.get_ref()),
                            )
                            .hint(hint),
                        );
                    }
                }
            }
        }
        for i in 0..data.areas.len() {
            if let Some(p) = data.areas[i].parent {
                data.areas[p].children.push(i);
            }
        }
        let names: Vec<String> = data.areas.iter().map(|a| a.short_name.clone()).collect();
        for a in &mut data.areas {
            a.children.sort_by(|&x, &y| vi_cmp(&names[x], &names[y]));
        }
    }
    // ---- programmes and projects
    if let Some((src, file)) = &raw.programs {
        let mut program_index = HashMap::new();
        for p in &file.program {
            let id = p.id.get_ref();
            if !is_safe_slug(id) || program_index.contains_key(id) {
                diags.push(
                    src.error(
                        p.id.span(),
                        format!("mã chương trình \"{id}\" không hợp lệ hoặc bị trùng"),
                    )
                    .hint("mỗi [[program]] cần một id riêng, viết thường không dấu"),
                );
                continue;
            }
            program_index.insert(id.clone(), data.programs.len());
            data.programs.push(Program {
                id: id.clone(),
                name: p.name.clone(),
                decision: p.decision.clone().unwrap_or_default(),
                start_year: p.start_year,
                end_year: p.end_year,
            });
        }
        for p in &file.project {
            let id = p.id.get_ref();
            if !is_safe_slug(id) || data.project_index.contains_key(id) {
                diags.push(
                    src.error(
                        p.id.span(),
                        format!("mã dự án \"{id}\" không hợp lệ hoặc bị trùng"),
                    )
                    .hint("mỗi [[project]] cần một id riêng, viết thường không dấu, ví dụ du-an-8"),
                );
                continue;
            }
            let Some(&program) = program_index.get(p.program.get_ref()) else {
                let ids: Vec<&str> = data.programs.iter().map(|x| x.id.as_str()).collect();
                let hint = match did_you_mean(p.program.get_ref(), ids.iter().copied()) {
                    Some(s) => format!("có phải ý bạn là `{s}`?"),
                    None => format!("các chương trình đã khai báo: {}", ids.join(", ")),
                };
                diags.push(
                    src.error(
                        p.program.span(),
                        format!("không có chương trình \"{}\"", p.program.get_ref()),
                    )
                    .hint(hint),
                );
                continue;
            };
            let mut seen = HashSet::new();
            let mut indicators = Vec::new();
            for ind in &p.indicator {
                if !is_safe_slug(ind.id.get_ref()) || !seen.insert(ind.id.get_ref().clone()) {
                    diags.push(
                        src.error(
                            ind.id.span(),
                            format!(
                                "mã chỉ tiêu \"{}\" không hợp lệ hoặc bị trùng trong dự án {id}",
                                ind.id.get_ref()
                            ),
                        )
                        .hint("mỗi chỉ tiêu cần id riêng, viết thường không dấu (dùng - hoặc _)"),
                    );
                    continue;
                }
                indicators.push(Indicator {
                    id: ind.id.get_ref().clone(),
                    name: ind.name.clone(),
                    unit: ind.unit.clone(),
                });
            }
            data.project_index.insert(id.clone(), data.projects.len());
            data.projects.push(Project {
                id: id.clone(),
                program,
                number: p.number,
                name: p.name.clone(),
                lead_agency: p.lead_agency.clone().unwrap_or_default(),
                indicators,
            });
        }
    }
    // ---- reports
    let mut keys: HashMap<(usize, usize, i32, NaiveDate), String> = HashMap::new();
    for (src, id, r) in &raw.reports {
        let project = match data.project_index.get(r.project.get_ref()) {
            Some(&p) => Some(p),
            None => {
                diags.push(
                    src.error(
                        r.project.span(),
                        format!("không có dự án \"{}\"", r.project.get_ref()),
                    )
                    .hint(project_hint(&data, r.project.get_ref())),
                );
                None
            }
        };
        let area = match data.area_index.get(r.area.get_ref()) {
            Some(&a) => Some(a),
            None => {
                diags.push(
                    src.error(
                        r.area.span(),
                        format!("không có địa bàn \"{}\"", r.area.get_ref()),
                    )
                    .hint(area_hint(&data, r.area.get_ref())),
                );
                None
            }
        };
        let unit = match r.money_unit.get_ref().parse::<MoneyUnit>() {
            Ok(u) => Some(u),
            Err(_) => {
                diags.push(
                    src.error(
                        r.money_unit.span(),
                        format!("đơn vị tiền \"{}\" không hợp lệ", r.money_unit.get_ref()),
                    )
                    .hint(format!("dùng một trong: {}", MoneyUnit::valid_names())),
                );
                None
            }
        };
        let year = *r.year.get_ref();
        let as_of = match toml_date(r.as_of.get_ref()) {
            Some(d) => Some(d),
            None => {
                diags.push(
                    src.error(r.as_of.span(), "as_of phải là một ngày")
                        .hint("viết as_of = 2022-11-30"),
                );
                None
            }
        };
        if let Some(d) = as_of {
            if d.year() != year {
                diags.push(
                    src.error(
                        r.as_of.span(),
                        format!(
                            "ngày số liệu {} không thuộc năm báo cáo {year}",
                            d.format("%d/%m/%Y")
                        ),
                    )
                    .hint(
                        "sửa year hoặc as_of cho khớp: số liệu năm nào thì ngày chốt trong năm đó",
                    ),
                );
            }
        }
        let (Some(project), Some(area), Some(unit), Some(as_of)) = (project, area, unit, as_of)
        else {
            continue;
        };
        for (a, span) in
            std::iter::once((area, r.area.span())).chain(r.breakdown.iter().filter_map(|b| {
                data.area_index
                    .get(b.get_ref().area.get_ref())
                    .map(|&x| (x, b.get_ref().area.span()))
            }))
        {
            if let Some(to) = data.areas[a].valid_to {
                if as_of > to {
                    diags.push(
                        src.error(
                            span,
                            format!(
                                "{} đã hết hiệu lực từ {}, nhưng báo cáo chốt số liệu ngày {}",
                                data.areas[a].name,
                                to.format("%d/%m/%Y"),
                                as_of.format("%d/%m/%Y")
                            ),
                        )
                        .hint(match data.areas[a].successor {
                            Some(s) => format!(
                                "báo cáo sau ngày đó dùng địa bàn kế thừa `{}`",
                                data.areas[s].id
                            ),
                            None => "kiểm tra ngày as_of hoặc valid_to của địa bàn".to_string(),
                        }),
                    );
                }
            }
        }
        if let Some(prev) = keys.insert((project, area, year, as_of), id.clone()) {
            diags.push(
                src.error(
                    r.as_of.span(),
                    format!(
                        "trùng báo cáo: {prev} cũng là số liệu {} của {} ngày {}",
                        data.projects[project].id,
                        data.areas[area].id,
                        as_of.format("%d/%m/%Y")
                    ),
                )
                .hint("gộp hai tệp, hoặc sửa as_of nếu đây là một đợt số liệu khác"),
            );
        }
        let totals = figures(
            src,
            &data,
            project,
            r.budget.as_ref(),
            &r.indicators,
            unit,
            year,
            diags,
        );
        let mut rows = Vec::new();
        let mut seen_rows = HashSet::new();
        for b in &r.breakdown {
            let row = b.get_ref();
            let Some(&ra) = data.area_index.get(row.area.get_ref()) else {
                diags.push(
                    src.error(
                        row.area.span(),
                        format!("không có địa bàn \"{}\"", row.area.get_ref()),
                    )
                    .hint(area_hint(&data, row.area.get_ref())),
                );
                continue;
            };
            if ra == area || !data.is_within(ra, area) {
                diags.push(src.error(row.area.span(), format!("{} không thuộc {} (địa bàn của báo cáo)", data.areas[ra].name, data.areas[area].name)).hint("mỗi dòng [[breakdown]] là một địa bàn cấp dưới của area của báo cáo; kiểm tra parent trong areas.toml"));
                continue;
            }
            if !seen_rows.insert(ra) {
                diags.push(
                    src.error(
                        row.area.span(),
                        format!("{} có hai dòng [[breakdown]]", data.areas[ra].name),
                    )
                    .hint("gộp thành một dòng"),
                );
                continue;
            }
            let mut flags = BTreeMap::new();
            for (k, v) in &row.flags {
                match v {
                    toml::Value::Boolean(_)
                    | toml::Value::Integer(_)
                    | toml::Value::String(_)
                    | toml::Value::Float(_) => {
                        flags.insert(k.clone(), v.clone());
                    }
                    _ => {
                        let hint = match did_you_mean(k, ["area", "budget", "indicators"]) {
                            Some(s) => format!("có phải ý bạn là `{s}`?"),
                            None => {
                                "khoá tự do của dòng breakdown chỉ nhận true/false, số hoặc chuỗi"
                                    .to_string()
                            }
                        };
                        diags.push(
                            src.error(
                                b.span(),
                                format!("khoá \"{k}\" trong [[breakdown]] không hợp lệ"),
                            )
                            .hint(hint),
                        );
                    }
                }
            }
            let figures = figures(
                src,
                &data,
                project,
                row.budget.as_ref(),
                &row.indicators,
                unit,
                year,
                diags,
            );
            rows.push(Row {
                area: ra,
                figures,
                flags,
            });
        }
        // sum of the breakdown against the total: a warning naming both numbers
        if let Some(tb) = &totals.budget {
            let with_budget: Vec<&Budget> = rows
                .iter()
                .filter_map(|r| r.figures.budget.as_ref())
                .collect();
            if !with_budget.is_empty() {
                for (what, total, sum) in [
                    (
                        "dự toán (allocated)",
                        tb.allocated,
                        with_budget.iter().map(|b| b.allocated).sum::<Decimal>(),
                    ),
                    (
                        "giải ngân (disbursed)",
                        tb.disbursed,
                        with_budget.iter().map(|b| b.disbursed).sum::<Decimal>(),
                    ),
                ] {
                    if total != sum {
                        let show = |d: Decimal| {
                            format!(
                                "{} {}",
                                format_number(
                                    convert_money(d, MoneyUnit::Dong, unit).unwrap_or(d),
                                    None
                                ),
                                unit.word()
                            )
                        };
                        let span = r
                            .budget
                            .as_ref()
                            .map(|b| b.allocated.span())
                            .unwrap_or(0..0);
                        diags.push(src.warning(span, format!("tổng {what} của các dòng breakdown là {} nhưng tổng của báo cáo là {}", show(sum), show(total))).hint("kiểm tra lại số liệu từng địa bàn hoặc tổng; với --strict đây là lỗi"));
                    }
                }
            }
        }
        for (k, v) in &totals.indicators {
            let sum: Decimal = rows
                .iter()
                .filter_map(|r| r.figures.indicators.get(k))
                .map(|x| x.actual.0)
                .sum();
            let any = rows.iter().any(|r| r.figures.indicators.contains_key(k));
            if any && !v.approximate && sum != v.actual.0 {
                let span = r.indicators.get(k).map(|s| s.span()).unwrap_or(0..0);
                diags.push(src.warning(span, format!("chỉ tiêu {k}: tổng các dòng breakdown là {} nhưng tổng của báo cáo là {}", format_number(sum, None), format_number(v.actual.0, None))).hint("kiểm tra lại số liệu; nếu tổng là số ước tính, thêm approximate = true"));
            }
        }
        data.reports.push(Report {
            id: id.clone(),
            file: src.display.clone(),
            project,
            area,
            year,
            as_of,
            money_unit: unit,
            source: r.source.clone(),
            illustrative: r.illustrative,
            totals,
            rows,
        });
    }
    data.reports.sort_by(|a, b| {
        (a.project, a.area, a.year, a.as_of, &a.id)
            .cmp(&(b.project, b.area, b.year, b.as_of, &b.id))
    });
    data.report_index = data
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    data
}

fn date_or_err(
    src: &Src,
    d: &Spanned<toml::value::Datetime>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<NaiveDate> {
    let v = toml_date(d.get_ref());
    if v.is_none() {
        diags.push(
            src.error(d.span(), format!("{key} phải là một ngày"))
                .hint(format!("viết {key} = 2025-06-30")),
        );
    }
    v
}

#[allow(clippy::too_many_arguments)]
fn figures(
    src: &Src,
    data: &Data,
    project: usize,
    budget: Option<&BudgetRaw>,
    indicators: &BTreeMap<String, Spanned<IndicatorValue>>,
    unit: MoneyUnit,
    year: i32,
    diags: &mut Vec<Diagnostic>,
) -> Figures {
    let to_dong = |d: Decimal| convert_money(d, unit, MoneyUnit::Dong).unwrap_or(d);
    let budget = budget.map(|b| {
        let allocated = b.allocated.get_ref().0;
        let disbursed = b.disbursed.get_ref().0;
        for (name, v, span) in [
            ("allocated", allocated, b.allocated.span()),
            ("disbursed", disbursed, b.disbursed.span()),
        ] {
            if v < Decimal::ZERO {
                diags.push(
                    src.error(
                        span,
                        format!("{name} là số âm ({})", format_number(v, None)),
                    )
                    .hint("số liệu kinh phí không được âm; kiểm tra lại dấu trừ"),
                );
            }
        }
        if disbursed > allocated {
            diags.push(
                src.error(
                    b.disbursed.span(),
                    format!(
                        "đã giải ngân ({}) lớn hơn dự toán được giao ({})",
                        format_number(disbursed, None),
                        format_number(allocated, None)
                    ),
                )
                .hint("kiểm tra lại hai số, hoặc đơn vị tiền (money_unit) của báo cáo"),
            );
        }
        let mut targets = Vec::new();
        for t in &b.target {
            let Some(by) = toml_date(t.by.get_ref()) else {
                diags.push(
                    src.error(t.by.span(), "by phải là một ngày")
                        .hint("viết by = 2022-12-31"),
                );
                continue;
            };
            let p = t.disbursed_percent.get_ref().0;
            if p < Decimal::ZERO || p > Decimal::from(100) {
                diags.push(
                    src.error(
                        t.disbursed_percent.span(),
                        "disbursed_percent phải từ 0 đến 100",
                    )
                    .hint("ghi tỷ lệ phần trăm, ví dụ 68.5"),
                );
                continue;
            }
            if by.year() != year && by.year() != year + 1 {
                diags.push(src.warning(
                    t.by.span(),
                    format!(
                        "mục tiêu ngày {} không thuộc năm báo cáo {year}",
                        by.format("%d/%m/%Y")
                    ),
                ));
            }
            targets.push((by, p));
        }
        targets.sort();
        let by_source = b.by_source.clone().unwrap_or_default();
        Budget {
            allocated: to_dong(allocated.max(Decimal::ZERO)),
            disbursed: to_dong(disbursed.max(Decimal::ZERO)),
            central: by_source.central.map(|a| to_dong(a.0)),
            local: by_source.local.map(|a| to_dong(a.0)),
            targets,
        }
    });
    let mut out = BTreeMap::new();
    let known: Vec<&str> = data.projects[project]
        .indicators
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    for (k, v) in indicators {
        if !known.contains(&k.as_str()) {
            let hint = match did_you_mean(k, known.iter().copied()) {
                Some(s) => format!("có phải ý bạn là `{s}`? các chỉ tiêu của {}: {}", data.projects[project].id, known.join(", ")),
                None => format!("các chỉ tiêu của {}: {}; khai báo thêm [[project.indicator]] trong programs.toml", data.projects[project].id, known.join(", ")),
            };
            diags.push(
                src.error(
                    v.span(),
                    format!(
                        "dự án {} không có chỉ tiêu \"{k}\"",
                        data.projects[project].id
                    ),
                )
                .hint(hint),
            );
            continue;
        }
        if v.get_ref().actual.0 < Decimal::ZERO {
            diags.push(
                src.error(v.span(), format!("chỉ tiêu {k} có giá trị âm"))
                    .hint("kiểm tra lại số liệu"),
            );
        }
        out.insert(k.clone(), v.get_ref().clone());
    }
    Figures {
        budget,
        indicators: out,
    }
}
