//! What `so_lieu` and `bieu_do` mean, shared by Markdown shortcodes and Tera functions: a
//! figure or a chart looked up in the activity data, so articles never retype a number.

pub mod charts;

use std::collections::BTreeMap;

use crate::config::SiteConfig;
use crate::data::{Budget, Data, Figures, PartKind, Report};
use crate::locale::{
    convert_money, format_date, format_money, format_number, format_percent, DateStyle, MoneyUnit,
};
use crate::shortcodes::Arg;

fn text(args: &BTreeMap<String, Arg>, key: &str) -> Option<String> {
    args.get(key).map(Arg::as_text).filter(|s| !s.is_empty())
}

fn unknown_keys(args: &BTreeMap<String, Arg>, allowed: &[&str]) -> Result<(), String> {
    for k in args.keys() {
        if !allowed.contains(&k.as_str()) {
            let hint = crate::diag::did_you_mean(k, allowed.iter().copied())
                .map(|s| format!(" (có phải `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "không có tham số \"{k}\"{hint}; dùng: {}",
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

/// The report a call refers to: `report="id"`, or `project=` (+ `area=`, `year=`) → the latest.
fn report<'d>(data: &'d Data, args: &BTreeMap<String, Arg>) -> Result<&'d Report, String> {
    if let Some(id) = text(args, "report") {
        return data
            .report_index
            .get(&id)
            .map(|&i| &data.reports[i])
            .ok_or_else(|| {
                let hint =
                    crate::diag::did_you_mean(&id, data.reports.iter().map(|r| r.id.as_str()))
                        .map(|s| format!("; có phải `{s}`?"))
                        .unwrap_or_default();
                format!("không có báo cáo \"{id}\" trong content/data/reports/{hint}")
            });
    }
    let pid = text(args, "project").ok_or("cần report=\"mã báo cáo\" hoặc project=\"mã dự án\"")?;
    let p = *data.project_index.get(&pid).ok_or_else(|| {
        format!(
            "không có dự án \"{pid}\"; {}",
            crate::data::validate::project_hint(data, &pid)
        )
    })?;
    let year: Option<i32> = match text(args, "year") {
        Some(y) => Some(
            y.parse()
                .map_err(|_| format!("year = {y} không phải năm"))?,
        ),
        None => None,
    };
    let area = match text(args, "area") {
        Some(a) => Some(*data.area_index.get(&a).ok_or_else(|| {
            format!(
                "không có địa bàn \"{a}\"; {}",
                crate::data::validate::area_hint(data, &a)
            )
        })?),
        None => None,
    };
    data.reports
        .iter()
        .filter(|r| r.project == p && year.is_none_or(|y| r.year == y))
        .filter(|r| match area {
            Some(a) => r.figures_for(a).is_some(),
            None => data.areas[r.area].parent.is_none(),
        })
        .max_by_key(|r| (r.year, r.as_of))
        .ok_or_else(|| {
            format!(
                "chưa có báo cáo nào của {pid}{}",
                year.map(|y| format!(" năm {y}")).unwrap_or_default()
            )
        })
}

fn figures_of<'d>(
    data: &'d Data,
    r: &'d Report,
    args: &BTreeMap<String, Arg>,
) -> Result<(&'d Figures, usize), String> {
    match text(args, "area") {
        Some(a) => {
            let i = *data.area_index.get(&a).ok_or_else(|| {
                format!(
                    "không có địa bàn \"{a}\"; {}",
                    crate::data::validate::area_hint(data, &a)
                )
            })?;
            r.figures_for(i).map(|f| (f, i)).ok_or_else(|| {
                format!(
                    "báo cáo {} không có số liệu của {}",
                    r.id, data.areas[i].name
                )
            })
        }
        None => Ok((&r.totals, r.area)),
    }
}

/// `so_lieu(...)`: one figure as Vietnamese text.
pub fn so_lieu(
    data: &Data,
    cfg: &SiteConfig,
    args: &BTreeMap<String, Arg>,
) -> Result<String, String> {
    unknown_keys(
        args,
        &[
            "report",
            "project",
            "area",
            "year",
            "field",
            "part",
            "indicator",
            "unit",
            "decimals",
        ],
    )?;
    let r = report(data, args)?;
    let (f, _) = figures_of(data, r, args)?;
    let field = text(args, "field").unwrap_or_else(|| "disbursed".into());
    let decimals: Option<u32> = match text(args, "decimals") {
        Some(d) => Some(
            d.parse()
                .map_err(|_| format!("decimals = {d} phải là số nguyên không âm"))?,
        ),
        None => None,
    };
    let unit = match text(args, "unit") {
        Some(u) => u.parse::<MoneyUnit>().map_err(|_| {
            format!(
                "đơn vị \"{u}\" không hợp lệ; dùng: {}",
                MoneyUnit::valid_names()
            )
        })?,
        None => cfg.money_unit,
    };
    let budget = || {
        let b = f
            .budget
            .as_ref()
            .ok_or_else(|| format!("báo cáo {} không có số liệu kinh phí", r.id))?;
        budget_line(b, text(args, "part").as_deref(), &r.id)
    };
    let money = |dong| {
        let v = convert_money(dong, MoneyUnit::Dong, unit).unwrap_or(dong);
        format_money(v, unit, unit, decimals).unwrap_or_default()
    };
    Ok(match field.as_str() {
        "allocated" => money(budget()?.allocated),
        "disbursed" => money(budget()?.disbursed),
        "remaining" => {
            let b = budget()?;
            money(b.allocated - b.disbursed)
        }
        "rate" => format_percent(budget()?.rate().ok_or("dự toán bằng 0, không tính được tỷ lệ")?, Some(decimals.unwrap_or(cfg.raw.rate_decimals))),
        "target_rate" => {
            whole_year(args)?;
            let t = *budget()?.targets.last().ok_or_else(|| format!("báo cáo {} không có mục tiêu giải ngân", r.id))?;
            format_percent(t.1, decimals)
        }
        "target_date" => format_date(whole_year(args).and_then(|_| budget())?.targets.last().ok_or_else(|| format!("báo cáo {} không có mục tiêu giải ngân", r.id))?.0, DateStyle::Short),
        "as_of" => format_date(r.as_of, DateStyle::Short),
        "indicator" | "target" => {
            let id = text(args, "indicator").ok_or("cần indicator=\"mã chỉ tiêu\"")?;
            let known: Vec<&str> = data.projects[r.project].indicators.iter().map(|i| i.id.as_str()).collect();
            let v = f.indicators.get(&id).ok_or_else(|| {
                let hint = crate::diag::did_you_mean(&id, known.iter().copied()).map(|s| format!("có phải `{s}`? ")).unwrap_or_default();
                format!("báo cáo {} không có chỉ tiêu \"{id}\"; {hint}các chỉ tiêu: {}", r.id, known.join(", "))
            })?;
            if field == "target" {
                format_number(v.target.ok_or_else(|| format!("chỉ tiêu {id} không có mục tiêu"))?.0, decimals)
            } else {
                format_number(v.actual.0, decimals)
            }
        }
        other => {
            return Err(format!(
                "field = \"{other}\" không hợp lệ; dùng: allocated, disbursed, remaining, rate, target_rate, target_date, as_of, indicator, target"
            ))
        }
    })
}

/// The budget `so_lieu` reads with `part = "…"`: a line of the report (its allocation and
/// disbursement; no targets), this year's plan with the carried-over funds, or the totals.
fn budget_line(b: &Budget, part: Option<&str>, report: &str) -> Result<Budget, String> {
    const PARTS: &str = "investment (vốn đầu tư phát triển), recurrent (vốn sự nghiệp), carried_over (vốn năm trước chuyển sang), with_carried_over (cả năm và vốn chuyển sang)";
    let line = match part {
        None => return Ok(b.clone()),
        Some("with_carried_over") => b.with_carried_over(),
        Some(p) => {
            let kind = PartKind::from_key(p).ok_or_else(|| {
                let hint = crate::diag::did_you_mean(p, PartKind::ALL.map(PartKind::key))
                    .map(|s| format!("có phải `{s}`? "))
                    .unwrap_or_default();
                format!("part = \"{p}\" không hợp lệ; {hint}dùng: {PARTS}")
            })?;
            b.parts().find(|(k, _)| *k == kind).map(|(_, p)| *p)
        }
    };
    let line = line.ok_or_else(|| {
        format!(
            "báo cáo {report} không có dòng kinh phí {}",
            part.unwrap_or_default()
        )
    })?;
    Ok(Budget {
        allocated: line.allocated,
        disbursed: line.disbursed,
        ..Budget::default()
    })
}

/// An error when `part` is given with a field of the year's totals only (the targets).
fn whole_year(args: &BTreeMap<String, Arg>) -> Result<(), String> {
    match text(args, "part") {
        Some(_) => Err("mục tiêu giải ngân là của cả báo cáo: bỏ part khi dùng field = \"target_rate\" hoặc \"target_date\"".into()),
        None => Ok(()),
    }
}

/// `bieu_do(...)`: a chart (SVG + table) as HTML.
pub fn bieu_do(
    cfg: &SiteConfig,
    data: &Data,
    args: &BTreeMap<String, Arg>,
    n: usize,
) -> Result<String, String> {
    unknown_keys(args, &["report", "project", "area", "year", "kind", "id"])?;
    let r = report(data, args)?;
    let id = text(args, "id").unwrap_or_else(|| format!("bieu-do-{n}"));
    if !crate::paths::is_safe_slug(&id) {
        return Err(format!(
            "id = \"{id}\" chỉ gồm chữ thường không dấu, số, gạch ngang"
        ));
    }
    let kind = text(args, "kind").unwrap_or_else(|| {
        if r.rows.iter().any(|row| row.figures.budget.is_some()) {
            "so-sanh".into()
        } else {
            "tien-do".into()
        }
    });
    let (f, area) = figures_of(data, r, args)?;
    let html = match kind.as_str() {
        "so-sanh" => charts::comparison_chart(cfg, data, r, &id).ok_or_else(|| {
            crate::diag::with_fix(
                format!("báo cáo {} không có số liệu theo địa bàn để so sánh (không có dòng [[breakdown]] nào có budget)", r.id),
                format!("thêm vào {} một dòng [[breakdown]] cho mỗi địa bàn trực thuộc, với area = \"…\" và budget = {{ allocated = …, disbursed = … }}; hoặc dùng kind=\"tien-do\" để vẽ tiến độ", r.file),
            )
        })?,
        "tien-do" => charts::timeline_chart(cfg, data, area, r.project, r.year, &id)
            .ok_or_else(|| format!("không có số liệu tiến độ của {}", r.id))?,
        "nguon-von" => {
            let title = format!("{} năm {}", data.project_label(r.project), r.year);
            f.budget
                .as_ref()
                .and_then(|b| charts::capital_chart(cfg, b, &id, &title, Some(&charts::report_source(cfg, r))))
                .ok_or_else(|| {
                    crate::diag::with_fix(
                        format!("báo cáo {} không chia kinh phí theo nguồn vốn", r.id),
                        format!("thêm vào budget của {} investment = {{ allocated = …, disbursed = … }} và recurrent = {{ … }} (vốn đầu tư, vốn sự nghiệp), hoặc carried_over = {{ … }} (vốn năm trước chuyển sang)", r.file),
                    )
                })?
        }
        other => {
            return Err(format!(
                "kind = \"{other}\" không hợp lệ; dùng so-sanh, tien-do hoặc nguon-von"
            ))
        }
    };
    Ok(html)
}
