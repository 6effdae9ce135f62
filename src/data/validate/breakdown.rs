//! The `[[breakdown]]` rows of a report: each row's area is resolved, then [`ROW_RULES`] check
//! it; once all rows are read, their sums are compared with the report's totals (warnings).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use toml::Spanned;

use super::figures::figures;
use super::reports::ReportDraft;
use super::{area_hint, run, Ctx, Flow};
use crate::data::model::BreakdownRaw;
use crate::data::{Budget, Figures, Row};
use crate::diag::did_you_mean;
use crate::locale::{convert_money, format_number, MoneyUnit};

/// A rule on one row whose area resolved, filling in the row it becomes.
type RowRule = fn(&mut Ctx, &mut ReportDraft, &Spanned<BreakdownRaw>, &mut Row) -> Flow;

const ROW_RULES: &[(&str, RowRule)] = &[
    ("row area is under the report area", under_report_area),
    ("one row per area", one_row_per_area),
    ("row flags are plain values", plain_flags),
    ("row figures are checked", row_figures),
];

#[cfg(test)]
pub(super) fn rule_names() -> impl Iterator<Item = &'static str> {
    std::iter::once("row area exists").chain(super::names(ROW_RULES))
}

/// Resolves each row's area ("row area exists"), runs [`ROW_RULES`] on it and keeps the rows
/// they accept.
pub(super) fn rows(ctx: &mut Ctx, draft: &mut ReportDraft) {
    let r = draft.raw;
    for b in &r.breakdown {
        let Some(area) = row_area_exists(ctx, draft, b) else {
            continue;
        };
        let mut row = Row {
            area,
            figures: Figures::default(),
            flags: BTreeMap::new(),
        };
        if run(ROW_RULES, |rule| rule(ctx, draft, b, &mut row)) == Flow::Keep {
            draft.rows.push(row);
        }
    }
}

fn row_area_exists(ctx: &mut Ctx, draft: &ReportDraft, b: &Spanned<BreakdownRaw>) -> Option<usize> {
    let area = &b.get_ref().area;
    let found = ctx.data.area_index.get(area.get_ref()).copied();
    if found.is_none() {
        ctx.diags.push(
            draft
                .src
                .error(
                    area.span(),
                    format!("không có địa bàn \"{}\"", area.get_ref()),
                )
                .hint(area_hint(&ctx.data, area.get_ref())),
        );
    }
    found
}

fn under_report_area(
    ctx: &mut Ctx,
    draft: &mut ReportDraft,
    b: &Spanned<BreakdownRaw>,
    row: &mut Row,
) -> Flow {
    if row.area != draft.area && ctx.data.is_within(row.area, draft.area) {
        return Flow::Keep;
    }
    let areas = &ctx.data.areas;
    ctx.diags.push(
        draft
            .src
            .error(
                b.get_ref().area.span(),
                format!(
                    "{} không thuộc {} (địa bàn của báo cáo)",
                    areas[row.area].name, areas[draft.area].name
                ),
            )
            .hint("mỗi dòng [[breakdown]] là một địa bàn cấp dưới của area của báo cáo; kiểm tra parent trong areas.toml"),
    );
    Flow::Drop
}

fn one_row_per_area(
    ctx: &mut Ctx,
    draft: &mut ReportDraft,
    b: &Spanned<BreakdownRaw>,
    row: &mut Row,
) -> Flow {
    if draft.row_areas.insert(row.area) {
        return Flow::Keep;
    }
    ctx.diags.push(
        draft
            .src
            .error(
                b.get_ref().area.span(),
                format!(
                    "{} có hai dòng [[breakdown]]",
                    ctx.data.areas[row.area].name
                ),
            )
            .hint("gộp thành một dòng"),
    );
    Flow::Drop
}

/// Keeps the free keys whose values are true/false, numbers or text.
fn plain_flags(
    ctx: &mut Ctx,
    draft: &mut ReportDraft,
    b: &Spanned<BreakdownRaw>,
    row: &mut Row,
) -> Flow {
    for (k, v) in &b.get_ref().flags {
        match v {
            toml::Value::Boolean(_)
            | toml::Value::Integer(_)
            | toml::Value::String(_)
            | toml::Value::Float(_) => {
                row.flags.insert(k.clone(), v.clone());
            }
            _ => {
                let hint = match did_you_mean(k, ["area", "budget", "indicators"]) {
                    Some(s) => format!("có phải ý bạn là `{s}`?"),
                    None => "khoá tự do của dòng breakdown chỉ nhận true/false, số hoặc chuỗi"
                        .to_string(),
                };
                ctx.diags.push(
                    draft
                        .src
                        .error(
                            b.span(),
                            format!("khoá \"{k}\" trong [[breakdown]] không hợp lệ"),
                        )
                        .hint(hint),
                );
            }
        }
    }
    Flow::Keep
}

fn row_figures(
    ctx: &mut Ctx,
    draft: &mut ReportDraft,
    b: &Spanned<BreakdownRaw>,
    row: &mut Row,
) -> Flow {
    let b = b.get_ref();
    row.figures = figures(ctx, &draft.scope(), b.budget.as_ref(), &b.indicators);
    Flow::Keep
}

/// Allocated and disbursed amounts of the rows with a budget add up to the report's (a
/// warning naming both numbers).
pub(super) fn budget_sums(ctx: &mut Ctx, draft: &mut ReportDraft) {
    let Some(tb) = &draft.totals.budget else {
        return;
    };
    let with_budget: Vec<&Budget> = draft
        .rows
        .iter()
        .filter_map(|r| r.figures.budget.as_ref())
        .collect();
    if with_budget.is_empty() {
        return;
    }
    let sum = |f: fn(&Budget) -> Decimal| with_budget.iter().map(|b| f(b)).sum::<Decimal>();
    let unit = draft.unit;
    let show = |d: Decimal| {
        let d = convert_money(d, MoneyUnit::Dong, unit).unwrap_or(d);
        format!("{} {}", format_number(d, None), unit.word())
    };
    for (what, total, sum) in [
        ("dự toán (allocated)", tb.allocated, sum(|b| b.allocated)),
        ("giải ngân (disbursed)", tb.disbursed, sum(|b| b.disbursed)),
    ] {
        if total == sum {
            continue;
        }
        let span = draft
            .raw
            .budget
            .as_ref()
            .map(|b| b.allocated.span())
            .unwrap_or(0..0);
        ctx.diags.push(
            draft
                .src
                .warning(
                    span,
                    format!(
                        "tổng {what} của các dòng breakdown là {} nhưng tổng của báo cáo là {}",
                        show(sum),
                        show(total)
                    ),
                )
                .hint("kiểm tra lại số liệu từng địa bàn hoặc tổng; với --strict đây là lỗi"),
        );
    }
}

/// Each indicator of the totals that rows give adds up to the total, unless the total is
/// approximate (a warning naming both numbers).
pub(super) fn indicator_sums(ctx: &mut Ctx, draft: &mut ReportDraft) {
    for (k, v) in &draft.totals.indicators {
        let mut given = draft
            .rows
            .iter()
            .filter_map(|r| r.figures.indicators.get(k))
            .peekable();
        let any = given.peek().is_some();
        let sum: Decimal = given.map(|x| x.actual.0).sum();
        if !any || v.approximate || sum == v.actual.0 {
            continue;
        }
        let span = draft
            .raw
            .indicators
            .get(k)
            .map(|s| s.span())
            .unwrap_or(0..0);
        ctx.diags.push(
            draft
                .src
                .warning(
                    span,
                    format!(
                        "chỉ tiêu {k}: tổng các dòng breakdown là {} nhưng tổng của báo cáo là {}",
                        format_number(sum, None),
                        format_number(v.actual.0, None)
                    ),
                )
                .hint("kiểm tra lại số liệu; nếu tổng là số ước tính, thêm approximate = true"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::data::validate::testing::*;

    const FILE: &str = "content/data/reports/r.toml";

    fn one(body: &str) -> (crate::data::Data, Vec<String>) {
        check(raw(AREAS, PROGRAMS, &[("r", &report(body))]))
    }

    fn row_areas(data: &crate::data::Data) -> Vec<&str> {
        let r = &data.reports[0];
        r.rows
            .iter()
            .map(|row| data.areas[row.area].id.as_str())
            .collect()
    }

    #[test]
    fn row_area_exists() {
        let (data, diags) = one("[[breakdown]]\narea = \"huyen-cc\"\n");
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:7:8: không có địa bàn \"huyen-cc\""),
                "có phải ý bạn là `huyen-c` (Huyện C)? mã địa bàn khai báo trong content/data/areas.toml"
            )]
        );
        assert!(row_areas(&data).is_empty());
    }

    #[test]
    fn row_area_is_under_the_report_area() {
        let (data, diags) =
            one("[[breakdown]]\narea = \"tinh-d\"\n[[breakdown]]\narea = \"tinh-a\"\n");
        let hint = "mỗi dòng [[breakdown]] là một địa bàn cấp dưới của area của báo cáo; kiểm tra parent trong areas.toml";
        assert_eq!(
            diags,
            [
                err(
                    &format!("{FILE}:7:8: Tỉnh D không thuộc Tỉnh A (địa bàn của báo cáo)"),
                    hint
                ),
                err(
                    &format!("{FILE}:9:8: Tỉnh A không thuộc Tỉnh A (địa bàn của báo cáo)"),
                    hint
                ),
            ]
        );
        assert!(row_areas(&data).is_empty());
    }

    #[test]
    fn one_row_per_area() {
        let (data, diags) = one(
            "[[breakdown]]\narea = \"huyen-b\"\nn = 1\n[[breakdown]]\narea = \"huyen-b\"\nn = 2\n",
        );
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:10:8: Huyện B có hai dòng [[breakdown]]"),
                "gộp thành một dòng"
            )]
        );
        assert_eq!(row_areas(&data), ["huyen-b"]);
        assert_eq!(data.reports[0].rows[0].flags["n"], toml::Value::Integer(1));
    }

    #[test]
    fn row_flags_are_plain_values() {
        let (data, diags) = one(
            "[[breakdown]]\narea = \"huyen-b\"\nplan_issued = true\nnote = [1, 2]\nbudgett = { allocated = 1 }\nshare = 0.5\n",
        );
        assert_eq!(
            diags,
            [
                err(
                    &format!("{FILE}:6:1: khoá \"budgett\" trong [[breakdown]] không hợp lệ"),
                    "có phải ý bạn là `budget`?"
                ),
                err(
                    &format!("{FILE}:6:1: khoá \"note\" trong [[breakdown]] không hợp lệ"),
                    "khoá tự do của dòng breakdown chỉ nhận true/false, số hoặc chuỗi"
                ),
            ]
        );
        let flags: Vec<&str> = data.reports[0].rows[0]
            .flags
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(flags, ["plan_issued", "share"]);
    }

    #[test]
    fn row_figures_are_checked() {
        let (data, diags) = one("[[breakdown]]\narea = \"huyen-b\"\nbudget = { allocated = -1, disbursed = 0 }\nindicators = { lopp = { actual = 1 } }\n");
        assert_eq!(
            diags,
            [
                err(
                    &format!("{FILE}:8:24: allocated là số âm (-1)"),
                    "số liệu kinh phí không được âm; kiểm tra lại dấu trừ"
                ),
                err(
                    &format!("{FILE}:8:40: đã giải ngân (0) lớn hơn dự toán được giao (-1)"),
                    "kiểm tra lại hai số, hoặc đơn vị tiền (money_unit) của báo cáo"
                ),
                err(
                    &format!("{FILE}:9:23: dự án du-an-1 không có chỉ tiêu \"lopp\""),
                    "có phải ý bạn là `lop`? các chỉ tiêu của du-an-1: lop, nguoi"
                ),
            ]
        );
        assert!(data.reports[0].rows[0].figures.indicators.is_empty());
    }

    #[test]
    fn breakdown_budgets_add_up_to_the_totals() {
        let body = "[budget]\nallocated = 100\ndisbursed = 40\n\
            [[breakdown]]\narea = \"huyen-b\"\nbudget = { allocated = 60, disbursed = 10 }\n\
            [[breakdown]]\narea = \"huyen-c\"\nbudget = { allocated = 30.5, disbursed = 20 }\n";
        let (_, diags) = one(body);
        let hint = "kiểm tra lại số liệu từng địa bàn hoặc tổng; với --strict đây là lỗi";
        assert_eq!(
            diags,
            [
                warn(&format!("{FILE}:7:13: tổng dự toán (allocated) của các dòng breakdown là 90,5 triệu đồng nhưng tổng của báo cáo là 100 triệu đồng"), hint),
                warn(&format!("{FILE}:7:13: tổng giải ngân (disbursed) của các dòng breakdown là 30 triệu đồng nhưng tổng của báo cáo là 40 triệu đồng"), hint),
            ]
        );
        // rows without a budget, or no budget in the totals: nothing to compare
        let (_, diags) =
            one("[budget]\nallocated = 100\ndisbursed = 40\n[[breakdown]]\narea = \"huyen-b\"\n");
        assert_eq!(diags, Vec::<String>::new());
        let (_, diags) =
            one("[[breakdown]]\narea = \"huyen-b\"\nbudget = { allocated = 60, disbursed = 10 }\n");
        assert_eq!(diags, Vec::<String>::new());
    }

    #[test]
    fn breakdown_indicators_add_up_to_the_totals() {
        let body = "[indicators]\nlop = { actual = 3 }\nnguoi = { actual = 10, approximate = true }\n\
            [[breakdown]]\narea = \"huyen-b\"\nindicators = { lop = { actual = 1 }, nguoi = { actual = 4 } }\n\
            [[breakdown]]\narea = \"huyen-c\"\nindicators = { lop = { actual = 1 } }\n";
        let (_, diags) = one(body);
        assert_eq!(
            diags,
            [warn(
                &format!("{FILE}:7:7: chỉ tiêu lop: tổng các dòng breakdown là 2 nhưng tổng của báo cáo là 3"),
                "kiểm tra lại số liệu; nếu tổng là số ước tính, thêm approximate = true"
            )]
        );
        // no row gives the indicator: nothing to compare
        let (_, diags) =
            one("[indicators]\nlop = { actual = 3 }\n[[breakdown]]\narea = \"huyen-b\"\n");
        assert_eq!(diags, Vec::<String>::new());
    }
}
