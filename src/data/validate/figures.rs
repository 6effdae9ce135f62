//! The figures of a report's totals and of each of its rows: budget amounts, disbursement
//! targets and indicator values.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use toml::Spanned;

use super::{run, toml_date, Ctx, Flow};
use crate::data::load::Src;
use crate::data::model::{BudgetRaw, IndicatorValue, PartRaw, TargetRaw};
use crate::data::{Budget, Figures, Part, PartKind};
use crate::diag::did_you_mean;
use crate::locale::{convert_money, format_number, MoneyUnit};

/// What figures are read with: their file, the report's project, money unit and year.
#[derive(Clone, Copy)]
pub(super) struct Scope<'r> {
    pub src: &'r Src,
    pub project: usize,
    pub unit: MoneyUnit,
    pub year: i32,
}

/// A rule on a `budget` table, given the budget it becomes (in đồng).
type BudgetRule = fn(&mut Ctx, &Scope, &BudgetRaw, &mut Budget);

const BUDGET_RULES: &[(&str, BudgetRule)] = &[
    ("budget amounts are not negative", amounts_not_negative),
    ("disbursed is at most allocated", disbursed_within_allocated),
    ("funding sources add up to allocated", sources_add_up),
    (
        "each budget line is not negative and disbursed within it",
        parts_valid,
    ),
    (
        "capital types add up to the year's plan",
        capital_types_add_up,
    ),
    ("disbursement targets are checked", targets),
];

/// A rule on a `[[budget.target]]` whose date resolved.
type TargetRule = fn(&mut Ctx, &Scope, &TargetRaw, NaiveDate) -> Flow;

const TARGET_RULES: &[(&str, TargetRule)] = &[
    ("target percent is from 0 to 100", target_percent),
    ("target date is in the report year or the next", target_year),
];

/// A rule on one indicator value.
type IndicatorRule = fn(&mut Ctx, &Scope, &str, &Spanned<IndicatorValue>) -> Flow;

const INDICATOR_RULES: &[(&str, IndicatorRule)] = &[
    ("indicator is declared by the project", indicator_declared),
    (
        "indicator value and target are not negative",
        indicator_not_negative,
    ),
];

#[cfg(test)]
pub(super) fn rule_names() -> impl Iterator<Item = &'static str> {
    let target_date = std::iter::once("target date is a date");
    let targets = target_date.chain(super::names(TARGET_RULES));
    super::names(BUDGET_RULES)
        .chain(targets)
        .chain(super::names(INDICATOR_RULES))
}

/// Checks a budget (with [`BUDGET_RULES`]) and the indicator values (with [`INDICATOR_RULES`]),
/// keeping the values they accept.
pub(super) fn figures(
    ctx: &mut Ctx,
    scope: &Scope,
    budget: Option<&BudgetRaw>,
    indicators: &BTreeMap<String, Spanned<IndicatorValue>>,
) -> Figures {
    let budget = budget.map(|b| {
        let mut budget = in_dong(b, scope.unit);
        for (_, rule) in BUDGET_RULES {
            rule(ctx, scope, b, &mut budget);
        }
        budget
    });
    let mut kept = BTreeMap::new();
    for (k, v) in indicators {
        if run(INDICATOR_RULES, |rule| rule(ctx, scope, k, v)) == Flow::Keep {
            kept.insert(k.clone(), v.get_ref().clone());
        }
    }
    Figures {
        budget,
        indicators: kept,
    }
}

/// The amounts in đồng (negative ones as zero), no targets yet.
fn in_dong(b: &BudgetRaw, unit: MoneyUnit) -> Budget {
    let to_dong = |d: Decimal| convert_money(d, unit, MoneyUnit::Dong).unwrap_or(d);
    let by_source = b.by_source.clone().unwrap_or_default();
    let part = |p: &Option<Spanned<PartRaw>>| {
        p.as_ref().map(|p| Part {
            allocated: to_dong(p.get_ref().allocated.get_ref().0.max(Decimal::ZERO)),
            disbursed: to_dong(p.get_ref().disbursed.get_ref().0.max(Decimal::ZERO)),
        })
    };
    Budget {
        allocated: to_dong(b.allocated.get_ref().0.max(Decimal::ZERO)),
        disbursed: to_dong(b.disbursed.get_ref().0.max(Decimal::ZERO)),
        central: by_source.central.map(|a| to_dong(a.get_ref().0)),
        local: by_source.local.map(|a| to_dong(a.get_ref().0)),
        investment: part(&b.investment),
        recurrent: part(&b.recurrent),
        carried_over: part(&b.carried_over),
        targets: Vec::new(),
    }
}

/// The budget lines written, with their kind.
fn raw_parts(b: &BudgetRaw) -> impl Iterator<Item = (PartKind, &Spanned<PartRaw>)> {
    [
        (PartKind::Investment, &b.investment),
        (PartKind::Recurrent, &b.recurrent),
        (PartKind::CarriedOver, &b.carried_over),
    ]
    .into_iter()
    .filter_map(|(k, p)| Some((k, p.as_ref()?)))
}

/// Each budget line (`investment`, `recurrent`, `carried_over`) has figures that are not
/// negative and a disbursement within its own allocation, as the totals do.
fn parts_valid(ctx: &mut Ctx, scope: &Scope, b: &BudgetRaw, _: &mut Budget) {
    for (kind, p) in raw_parts(b) {
        let p = p.get_ref();
        let key = kind.key();
        for (name, v) in [("allocated", &p.allocated), ("disbursed", &p.disbursed)] {
            if v.get_ref().0 < Decimal::ZERO {
                let msg = format!(
                    "{key}.{name} là số âm ({})",
                    format_number(v.get_ref().0, None)
                );
                let hint = "số liệu kinh phí không được âm; kiểm tra lại dấu trừ";
                ctx.diags.push(scope.src.error(v.span(), msg).hint(hint));
            }
        }
        let (allocated, disbursed) = (p.allocated.get_ref().0, p.disbursed.get_ref().0);
        // a negative figure is reported above; comparing it would only repeat that
        if allocated >= Decimal::ZERO && disbursed > allocated {
            let msg = format!(
                "{} ({key}): đã giải ngân ({}) lớn hơn dự toán ({})",
                kind.label().to_lowercase(),
                format_number(disbursed, None),
                format_number(allocated, None)
            );
            let hint = "kiểm tra lại hai số của dòng này; nhớ 1.250 viết là 1250";
            ctx.diags
                .push(scope.src.error(p.disbursed.span(), msg).hint(hint));
        }
    }
}

/// Vốn đầu tư and vốn sự nghiệp are this year's plan split in two: when both are given they
/// add up to `allocated` and to `disbursed`; one alone is within them. (Carried-over funds
/// are outside the year's plan and not checked against it.) A warning, as for `by_source`:
/// the form's own totals may round.
fn capital_types_add_up(ctx: &mut Ctx, scope: &Scope, b: &BudgetRaw, _: &mut Budget) {
    let n = |d: Decimal| format_number(d, None);
    let given: Vec<&PartRaw> = [&b.investment, &b.recurrent]
        .into_iter()
        .filter_map(|p| p.as_ref().map(Spanned::get_ref))
        .collect();
    if given.is_empty() {
        return;
    }
    let both = given.len() == 2;
    for (name, total, span, of) in [
        (
            "allocated",
            b.allocated.get_ref().0,
            &b.allocated,
            (|p: &PartRaw| p.allocated.get_ref().0) as fn(&PartRaw) -> Decimal,
        ),
        ("disbursed", b.disbursed.get_ref().0, &b.disbursed, |p| {
            p.disbursed.get_ref().0
        }),
    ] {
        let sum = given
            .iter()
            .try_fold(Decimal::ZERO, |acc, p| acc.checked_add(of(p)));
        let msg = match sum {
            Some(s) if both && s == total => continue,
            Some(s) if !both && s <= total => continue,
            _ if both => format!(
                "vốn đầu tư {} + vốn sự nghiệp {} = {}, nhưng {name} = {}",
                n(of(given[0])),
                n(of(given[1])),
                sum.map_or_else(|| TOO_BIG.to_string(), n),
                n(total)
            ),
            _ => format!(
                "một loại vốn ({}) lớn hơn cả {name} của năm ({})",
                n(of(given[0])),
                n(total)
            ),
        };
        ctx.diags.push(
            scope
                .src
                .warning(span.span(), format!("cơ cấu vốn không khớp tổng: {msg}"))
                .hint("sửa investment/recurrent cho khớp biểu mẫu (vốn đầu tư + vốn sự nghiệp = kế hoạch vốn năm; vốn năm trước chuyển sang ghi ở carried_over), hoặc sửa tổng; nhớ 1.250 viết là 1250"),
        );
    }
}

fn amounts_not_negative(ctx: &mut Ctx, scope: &Scope, b: &BudgetRaw, _: &mut Budget) {
    for (name, v) in [("allocated", &b.allocated), ("disbursed", &b.disbursed)] {
        let v_ = v.get_ref().0;
        if v_ < Decimal::ZERO {
            ctx.diags.push(
                scope
                    .src
                    .error(
                        v.span(),
                        format!("{name} là số âm ({})", format_number(v_, None)),
                    )
                    .hint("số liệu kinh phí không được âm; kiểm tra lại dấu trừ"),
            );
        }
    }
}

fn disbursed_within_allocated(ctx: &mut Ctx, scope: &Scope, b: &BudgetRaw, _: &mut Budget) {
    let allocated = b.allocated.get_ref().0;
    let disbursed = b.disbursed.get_ref().0;
    if disbursed <= allocated {
        return;
    }
    ctx.diags.push(
        scope
            .src
            .error(
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

/// `by_source`: central and local funds are not negative and, when both are given, add up to
/// `allocated` (one alone may not exceed it). A table that shows "trung ương 3.000, địa phương
/// 900" under "dự toán 3.829" would publish a wrong figure without a word.
fn sources_add_up(ctx: &mut Ctx, scope: &Scope, b: &BudgetRaw, _: &mut Budget) {
    let Some(s) = &b.by_source else { return };
    let allocated = b.allocated.get_ref().0;
    let parts = [("central", &s.central), ("local", &s.local)];
    for (name, v) in parts {
        if let Some(v) = v.as_ref().filter(|v| v.get_ref().0 < Decimal::ZERO) {
            ctx.diags.push(
                scope
                    .src
                    .error(
                        v.span(),
                        format!(
                            "by_source.{name} là số âm ({})",
                            format_number(v.get_ref().0, None)
                        ),
                    )
                    .hint("số liệu kinh phí không được âm; kiểm tra lại dấu trừ"),
            );
            return;
        }
    }
    let n = |d: Decimal| format_number(d, None);
    // checked: two figures near the largest one a report holds add up beyond it (found by
    // fuzzing: `+` panicked)
    let both = s
        .central
        .as_ref()
        .zip(s.local.as_ref())
        .map(|(c, l)| c.get_ref().0.checked_add(l.get_ref().0));
    let problem = match (&s.central, &s.local) {
        (Some(c), Some(l)) if both != Some(Some(allocated)) => Some((
            l.span(),
            format!(
                "nguồn vốn không khớp dự toán: trung ương {} + địa phương {} = {}, nhưng allocated = {}",
                n(c.get_ref().0),
                n(l.get_ref().0),
                both.flatten().map_or_else(|| TOO_BIG.to_string(), n),
                n(allocated)
            ),
        )),
        (Some(v), None) | (None, Some(v)) if v.get_ref().0 > allocated => Some((
            v.span(),
            format!(
                "một nguồn vốn ({}) lớn hơn cả dự toán được giao ({})",
                n(v.get_ref().0),
                n(allocated)
            ),
        )),
        _ => None,
    };
    if let Some((span, msg)) = problem {
        ctx.diags.push(
            scope
                .src
                .warning(span, msg)
                .hint("sửa by_source cho khớp biểu mẫu (trung ương + địa phương = tổng dự toán), hoặc sửa allocated; nhớ 1.250 viết là 1250"),
        );
    }
}

/// A sum beyond the largest figure `Decimal` holds, as messages show it.
pub(super) const TOO_BIG: &str = "một số lớn hơn mọi số tính được (kiểm tra các số quá lớn)";

/// Resolves each target's date ("target date is a date"), runs [`TARGET_RULES`] on it and
/// keeps the targets they accept, by date.
fn targets(ctx: &mut Ctx, scope: &Scope, b: &BudgetRaw, budget: &mut Budget) {
    for t in &b.target {
        let Some(by) = target_date(ctx, scope, t) else {
            continue;
        };
        if run(TARGET_RULES, |rule| rule(ctx, scope, t, by)) == Flow::Keep {
            budget.targets.push((by, t.disbursed_percent.get_ref().0));
        }
    }
    budget.targets.sort();
}

fn target_date(ctx: &mut Ctx, scope: &Scope, t: &TargetRaw) -> Option<NaiveDate> {
    let by = toml_date(t.by.get_ref());
    if by.is_none() {
        ctx.diags.push(
            scope
                .src
                .error(t.by.span(), "by phải là một ngày")
                .hint("viết by = 2022-12-31"),
        );
    }
    by
}

fn target_percent(ctx: &mut Ctx, scope: &Scope, t: &TargetRaw, _: NaiveDate) -> Flow {
    let p = t.disbursed_percent.get_ref().0;
    if (Decimal::ZERO..=Decimal::from(100)).contains(&p) {
        return Flow::Keep;
    }
    ctx.diags.push(
        scope
            .src
            .error(
                t.disbursed_percent.span(),
                "disbursed_percent phải từ 0 đến 100",
            )
            .hint("ghi tỷ lệ phần trăm, ví dụ 68.5"),
    );
    Flow::Drop
}

/// A warning only: the target is kept.
fn target_year(ctx: &mut Ctx, scope: &Scope, t: &TargetRaw, by: NaiveDate) -> Flow {
    let year = scope.year;
    if by.year() != year && by.year() != year + 1 {
        ctx.diags.push(scope.src.warning(
            t.by.span(),
            format!(
                "mục tiêu ngày {} không thuộc năm báo cáo {year}",
                by.format("%d/%m/%Y")
            ),
        ));
    }
    Flow::Keep
}

fn indicator_declared(ctx: &mut Ctx, scope: &Scope, k: &str, v: &Spanned<IndicatorValue>) -> Flow {
    let project = &ctx.data.projects[scope.project];
    let known: Vec<&str> = project.indicators.iter().map(|i| i.id.as_str()).collect();
    if known.contains(&k) {
        return Flow::Keep;
    }
    let (id, list) = (&project.id, known.join(", "));
    let hint = match did_you_mean(k, known.iter().copied()) {
        Some(s) => format!("có phải ý bạn là `{s}`? các chỉ tiêu của {id}: {list}"),
        None => format!(
            "các chỉ tiêu của {id}: {list}; khai báo thêm [[project.indicator]] trong programs.toml"
        ),
    };
    ctx.diags.push(
        scope
            .src
            .error(v.span(), format!("dự án {id} không có chỉ tiêu \"{k}\""))
            .hint(hint),
    );
    Flow::Drop
}

fn indicator_not_negative(
    ctx: &mut Ctx,
    scope: &Scope,
    k: &str,
    v: &Spanned<IndicatorValue>,
) -> Flow {
    if v.get_ref().actual.0 < Decimal::ZERO {
        ctx.diags.push(
            scope
                .src
                .error(v.span(), format!("chỉ tiêu {k} có giá trị âm"))
                .hint("kiểm tra lại số liệu"),
        );
    }
    // the target is shown beside the value ("đạt 17/20") and its rate computed from it
    if v.get_ref()
        .target
        .as_ref()
        .is_some_and(|t| t.0 < Decimal::ZERO)
    {
        ctx.diags.push(
            scope
                .src
                .error(v.span(), format!("chỉ tiêu {k} có mục tiêu (target) âm"))
                .hint("kiểm tra lại số liệu"),
        );
    }
    Flow::Keep
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use crate::data::validate::testing::*;

    const FILE: &str = "content/data/reports/r.toml";

    fn one(body: &str) -> (crate::data::Data, Vec<String>) {
        check(raw(AREAS, PROGRAMS, &[("r", &report(body))]))
    }

    fn budget(data: &crate::data::Data) -> &crate::data::Budget {
        data.reports[0].totals.budget.as_ref().unwrap()
    }

    fn target(by: &str, percent: &str) -> String {
        format!("[[budget.target]]\nby = {by}\ndisbursed_percent = {percent}\n")
    }

    const BUDGET: &str = "[budget]\nallocated = 100\ndisbursed = 40\n";

    /// Found by fuzzing: two sources near the largest figure a report holds overflowed when
    /// added, and the build panicked.
    #[test]
    fn huge_sources_do_not_overflow() {
        let huge = "\"79.228.162.514.264.337.593.543.950.335\"";
        let body = format!(
            "[budget]\nallocated = {huge}\ndisbursed = 0\nby_source = {{ central = {huge}, local = {huge} }}\n"
        );
        let text = report(&body).replace("\"trieu-dong\"", "\"dong\"");
        let (_, diags) = check(raw(AREAS, PROGRAMS, &[("r", &text)]));
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0].contains("= một số lớn hơn mọi số tính được (kiểm tra các số quá lớn), nhưng allocated = 79.228.162.514.264.337.593.543.950.335"),
            "{diags:?}"
        );
    }

    /// Where `needle` starts on 1-based line `line` of the report around `body` (1-based),
    /// as `FILE:line:column`.
    fn at(body: &str, line: usize, needle: &str) -> String {
        let text = report(body);
        let l = text.lines().nth(line - 1).unwrap();
        format!("{FILE}:{line}:{}", l.find(needle).unwrap() + 1)
    }

    #[test]
    fn budget_lines_are_read_in_dong_each_with_its_own_rate() {
        let body = format!(
            "{BUDGET}investment = {{ allocated = 60, disbursed = 30 }}\nrecurrent = {{ allocated = 40, disbursed = 10 }}\ncarried_over = {{ allocated = 25, disbursed = 5 }}\n"
        );
        let (data, diags) = one(&body);
        assert_eq!(diags, Vec::<String>::new());
        let b = budget(&data);
        let m = |n: i64| Decimal::from(n) * Decimal::from(1_000_000);
        let part = |a, d| crate::data::Part {
            allocated: m(a),
            disbursed: m(d),
        };
        assert_eq!(b.investment, Some(part(60, 30)));
        assert_eq!(b.recurrent, Some(part(40, 10)));
        assert_eq!(b.carried_over, Some(part(25, 5)));
        // the year's rate is on the year's plan; the carried-over funds have their own
        assert_eq!(b.rate(), Some(Decimal::from(40)));
        assert_eq!(b.carried_over.unwrap().rate(), Some(Decimal::from(20)));
        assert_eq!(b.with_carried_over(), Some(part(125, 45)));
        assert_eq!(
            b.with_carried_over().unwrap().rate(),
            Some(Decimal::from(36))
        );
    }

    #[test]
    fn capital_types_add_up_to_the_year_plan() {
        let hint = "sửa investment/recurrent cho khớp biểu mẫu (vốn đầu tư + vốn sự nghiệp = kế hoạch vốn năm; vốn năm trước chuyển sang ghi ở carried_over), hoặc sửa tổng; nhớ 1.250 viết là 1250";
        let body = format!(
            "{BUDGET}investment = {{ allocated = 60, disbursed = 30 }}\nrecurrent = {{ allocated = 30, disbursed = 10 }}\n"
        );
        let (data, diags) = one(&body);
        assert_eq!(
            diags,
            [warn(
                &format!("{}: cơ cấu vốn không khớp tổng: vốn đầu tư 60 + vốn sự nghiệp 30 = 90, nhưng allocated = 100", at(&body, 7, "100")),
                hint
            )]
        );
        assert!(budget(&data).recurrent.is_some(), "kept: a warning");
        // one type alone is within the year's figures
        let body = format!("{BUDGET}investment = {{ allocated = 60, disbursed = 30 }}\n");
        assert_eq!(one(&body).1, Vec::<String>::new());
        let body = format!("{BUDGET}recurrent = {{ allocated = 100, disbursed = 41 }}\n");
        assert_eq!(
            one(&body).1,
            [warn(
                &format!(
                    "{}: cơ cấu vốn không khớp tổng: một loại vốn (41) lớn hơn cả disbursed của năm (40)",
                    at(&body, 8, "40")
                ),
                hint
            )]
        );
        // carried-over funds are outside the year's plan: larger is fine
        let body = format!("{BUDGET}carried_over = {{ allocated = 500, disbursed = 450 }}\n");
        assert_eq!(one(&body).1, Vec::<String>::new());
    }

    #[test]
    fn each_budget_line_is_checked_like_the_totals() {
        let body = format!("{BUDGET}carried_over = {{ allocated = 20, disbursed = 30 }}\n");
        assert_eq!(
            one(&body).1,
            [err(
                &format!("{}: vốn năm trước chuyển sang (carried_over): đã giải ngân (30) lớn hơn dự toán (20)", at(&body, 9, "30")),
                "kiểm tra lại hai số của dòng này; nhớ 1.250 viết là 1250"
            )]
        );
        let body = format!("{BUDGET}investment = {{ allocated = -5, disbursed = 0 }}\n");
        assert_eq!(
            one(&body).1,
            [err(
                &format!("{}: investment.allocated là số âm (-5)", at(&body, 9, "-5")),
                "số liệu kinh phí không được âm; kiểm tra lại dấu trừ"
            )]
        );
    }

    #[test]
    fn budget_amounts_are_in_dong() {
        let (data, diags) = one(&format!(
            "{BUDGET}by_source = {{ central = 70.5, local = 29.5 }}\n"
        ));
        assert_eq!(diags, Vec::<String>::new());
        let b = budget(&data);
        let million = Decimal::from(1_000_000);
        assert_eq!(
            (b.allocated, b.disbursed),
            (Decimal::from(100) * million, Decimal::from(40) * million)
        );
        assert_eq!(
            (b.central, b.local),
            (
                Some(Decimal::from(70_500_000)),
                Some(Decimal::from(29_500_000))
            )
        );
    }

    #[test]
    fn funding_sources_add_up_to_allocated() {
        let (_, diags) = one(&format!(
            "{BUDGET}by_source = {{ central = 60, local = 40 }}\n"
        ));
        assert_eq!(diags, Vec::<String>::new());
        let (_, diags) = one(&format!("{BUDGET}by_source = {{ central = 60 }}\n"));
        assert_eq!(
            diags,
            Vec::<String>::new(),
            "one part alone, within the total"
        );
        let (data, diags) = one(&format!(
            "{BUDGET}by_source = {{ central = 60, local = 4.5 }}\n"
        ));
        assert_eq!(
            diags,
            [warn(
                &format!("{FILE}:9:37: nguồn vốn không khớp dự toán: trung ương 60 + địa phương 4,5 = 64,5, nhưng allocated = 100"),
                "sửa by_source cho khớp biểu mẫu (trung ương + địa phương = tổng dự toán), hoặc sửa allocated; nhớ 1.250 viết là 1250"
            )]
        );
        assert_eq!(
            budget(&data).local,
            Some(Decimal::from(4_500_000)),
            "kept: a warning"
        );
        let (_, diags) = one(&format!("{BUDGET}by_source = {{ local = 120 }}\n"));
        assert_eq!(
            diags,
            [warn(
                &format!("{FILE}:9:23: một nguồn vốn (120) lớn hơn cả dự toán được giao (100)"),
                "sửa by_source cho khớp biểu mẫu (trung ương + địa phương = tổng dự toán), hoặc sửa allocated; nhớ 1.250 viết là 1250"
            )]
        );
        let (_, diags) = one(&format!("{BUDGET}by_source = {{ central = -1 }}\n"));
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:9:25: by_source.central là số âm (-1)"),
                "số liệu kinh phí không được âm; kiểm tra lại dấu trừ"
            )]
        );
    }

    #[test]
    fn budget_amounts_are_not_negative() {
        let (data, diags) = one("[budget]\nallocated = -5\ndisbursed = -7.5\n");
        let hint = "số liệu kinh phí không được âm; kiểm tra lại dấu trừ";
        assert_eq!(
            diags,
            [
                err(&format!("{FILE}:7:13: allocated là số âm (-5)"), hint),
                err(&format!("{FILE}:8:13: disbursed là số âm (-7,5)"), hint),
            ]
        );
        let b = budget(&data);
        assert_eq!(
            (b.allocated, b.disbursed),
            (Decimal::ZERO, Decimal::ZERO),
            "kept as zero"
        );
    }

    #[test]
    fn disbursed_is_at_most_allocated() {
        let (data, diags) = one("[budget]\nallocated = 1000\ndisbursed = 1200.5\n");
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:8:13: đã giải ngân (1.200,5) lớn hơn dự toán được giao (1.000)"),
                "kiểm tra lại hai số, hoặc đơn vị tiền (money_unit) của báo cáo"
            )]
        );
        assert_eq!(
            budget(&data).disbursed,
            Decimal::from(1_200_500_000),
            "kept"
        );
        let (_, diags) = one("[budget]\nallocated = 100\ndisbursed = 100\n");
        assert_eq!(diags, Vec::<String>::new());
    }

    #[test]
    fn target_date_is_a_date() {
        let (data, diags) = one(&format!("{BUDGET}{}", target("10:00:00", "50")));
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:10:6: by phải là một ngày"),
                "viết by = 2022-12-31"
            )]
        );
        assert!(budget(&data).targets.is_empty());
    }

    #[test]
    fn target_percent_is_from_0_to_100() {
        let body = [
            BUDGET,
            &target("2022-12-31", "100.5"),
            &target("2022-11-30", "-1"),
            &target("2022-12-15", "100"),
        ]
        .concat();
        let (data, diags) = one(&body);
        let hint = "ghi tỷ lệ phần trăm, ví dụ 68.5";
        assert_eq!(
            diags,
            [
                err(
                    &format!("{FILE}:11:21: disbursed_percent phải từ 0 đến 100"),
                    hint
                ),
                err(
                    &format!("{FILE}:14:21: disbursed_percent phải từ 0 đến 100"),
                    hint
                ),
            ]
        );
        let date = chrono::NaiveDate::from_ymd_opt(2022, 12, 15).unwrap();
        assert_eq!(budget(&data).targets, [(date, Decimal::from(100))]);
    }

    #[test]
    fn target_date_is_in_the_report_year_or_the_next() {
        let body = [
            BUDGET,
            &target("2024-03-01", "90"),
            &target("2023-06-30", "80"),
            &target("2021-12-31", "10"),
        ]
        .concat();
        let (data, diags) = one(&body);
        assert_eq!(
            diags,
            [
                warn_no_hint(&format!(
                    "{FILE}:10:6: mục tiêu ngày 01/03/2024 không thuộc năm báo cáo 2022"
                )),
                warn_no_hint(&format!(
                    "{FILE}:16:6: mục tiêu ngày 31/12/2021 không thuộc năm báo cáo 2022"
                )),
            ]
        );
        let years: Vec<i32> = budget(&data)
            .targets
            .iter()
            .map(|(d, _)| chrono::Datelike::year(d))
            .collect();
        assert_eq!(years, [2021, 2023, 2024], "kept, by date");
    }

    #[test]
    fn indicator_is_declared_by_the_project() {
        let (data, diags) = one(
            "[indicators]\nlopp = { actual = 1 }\nxyz = { actual = 2 }\nlop = { actual = 3 }\n",
        );
        assert_eq!(
            diags,
            [
                err(
                    &format!("{FILE}:7:8: dự án du-an-1 không có chỉ tiêu \"lopp\""),
                    "có phải ý bạn là `lop`? các chỉ tiêu của du-an-1: lop, nguoi"
                ),
                err(
                    &format!("{FILE}:8:7: dự án du-an-1 không có chỉ tiêu \"xyz\""),
                    "các chỉ tiêu của du-an-1: lop, nguoi; khai báo thêm [[project.indicator]] trong programs.toml"
                ),
            ]
        );
        let kept: Vec<&str> = data.reports[0]
            .totals
            .indicators
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(kept, ["lop"]);
    }

    #[test]
    fn indicator_value_is_not_negative() {
        let (data, diags) = one("[indicators]\nnguoi = { actual = -2, target = 5 }\n");
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:7:9: chỉ tiêu nguoi có giá trị âm"),
                "kiểm tra lại số liệu"
            )]
        );
        assert_eq!(
            data.reports[0].totals.indicators["nguoi"].actual.0,
            Decimal::from(-2),
            "kept"
        );
        let (_, diags) = one("[indicators]\nnguoi = { actual = 2, target = -5 }\n");
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:7:9: chỉ tiêu nguoi có mục tiêu (target) âm"),
                "kiểm tra lại số liệu"
            )]
        );
    }
}
