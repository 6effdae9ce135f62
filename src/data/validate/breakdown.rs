//! The `[[breakdown]]` rows of a report: each row's area is resolved, then [`ROW_RULES`] check
//! it; once all rows are read, their sums are compared with the report's totals (warnings).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use toml::Spanned;

use super::figures::figures;
use super::reports::ReportDraft;
use super::{area_hint, run, Ctx, Flow};
use crate::data::model::BreakdownRaw;
use crate::data::{Budget, Figures, PartKind, Row};
use crate::diag::did_you_mean;
use crate::locale::{convert_money, format_number, MoneyUnit};

/// A rule on one row whose area resolved, filling in the row it becomes.
type RowRule = fn(&mut Ctx, &mut ReportDraft, &Spanned<BreakdownRaw>, &mut Row) -> Flow;

const ROW_RULES: &[(&str, RowRule)] = &[
    ("row area is under the report area", under_report_area),
    ("one row per area", one_row_per_area),
    (
        "row keys are its own or declared by the project",
        declared_keys,
    ),
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

/// A row's own keys; any other key must be declared by the project (`[[project.flag]]`).
pub(super) const ROW_KEYS: &[&str] = &["area", "budget", "indicators", "illustrative"];

/// Keys of a report's budget, which on a row belong inside `budget = { … }`.
const BUDGET_KEYS: &[&str] = &[
    "allocated",
    "disbursed",
    "by_source",
    "investment",
    "recurrent",
    "carried_over",
    "target",
];

/// Keys of a report's first part, which a row does not take.
const REPORT_KEYS: &[&str] = &["project", "year", "as_of", "money_unit", "source"];

/// Keeps the row's extra keys that the project declares, with values of the declared kind.
/// A known key in the wrong place (a budget figure or an indicator written on the row itself)
/// is an error that names the right place: left as a free key, its figure would vanish from
/// every page.
fn declared_keys(
    ctx: &mut Ctx,
    draft: &mut ReportDraft,
    b: &Spanned<BreakdownRaw>,
    row: &mut Row,
) -> Flow {
    let project = &ctx.data.projects[draft.project];
    let mut problems = Vec::new();
    for (k, v) in &b.get_ref().flags {
        let declared = project.flags.iter().find(|f| &f.id == k);
        let problem = match (k.as_str(), declared) {
            ("illustrative", _) if v.as_bool().is_some() => None,
            ("illustrative", _) => Some((
                "illustrative của dòng breakdown nhận true hoặc false".to_string(),
                "viết illustrative = true nếu số liệu của dòng là minh họa".to_string(),
            )),
            (_, Some(f)) if kind_matches(f.kind, v) => None,
            (_, Some(f)) => Some((
                format!("khoá `{k}` ({}) nhận {}", f.name, f.kind.written()),
                format!("sửa giá trị của `{k}` thành {}", f.kind.written()),
            )),
            (_, None) if !draft.undeclared.insert(k.clone()) => continue,
            (_, None) => Some(misplaced(k, draft, project)),
        };
        match problem {
            None => {
                row.flags.insert(k.clone(), v.clone());
            }
            Some(p) => problems.push((k.clone(), p)),
        }
    }
    for (k, (msg, hint)) in problems {
        let span = key_span(&draft.src.text, b.span(), &k);
        ctx.diags.push(draft.src.error(span, msg).hint(hint));
    }
    Flow::Keep
}

fn kind_matches(kind: crate::data::model::FlagKind, v: &toml::Value) -> bool {
    use crate::data::model::FlagKind;
    match kind {
        FlagKind::YesNo => v.is_bool(),
        FlagKind::Number => v.is_integer() || v.is_float(),
        FlagKind::Text => v.is_str(),
    }
}

/// The message and fix for an undeclared key `k` on a row: a budget figure, an indicator or
/// a report key in the wrong place, a misspelling, or a key to declare.
fn misplaced(k: &str, draft: &ReportDraft, project: &crate::data::Project) -> (String, String) {
    if BUDGET_KEYS.contains(&k) {
        return (
            format!("khoá `{k}` của dòng breakdown phải nằm trong budget, không đứng riêng"),
            format!("đặt trong budget = {{ allocated = …, disbursed = … }} trên dòng này (khoá `{k}` đứng riêng bị bỏ qua, số liệu sẽ không hiện)"),
        );
    }
    if project.indicators.iter().any(|i| i.id == k) {
        return (
            format!(
                "chỉ tiêu `{k}` của dòng breakdown phải nằm trong indicators, không đứng riêng"
            ),
            format!("đặt trong indicators = {{ {k} = {{ actual = … }} }} trên dòng này"),
        );
    }
    if REPORT_KEYS.contains(&k) {
        return (
            format!("khoá `{k}` chỉ dùng ở phần đầu tệp báo cáo, không dùng trong [[breakdown]]"),
            "xoá dòng này: mỗi dòng breakdown chỉ có area, budget, indicators và các khoá dự án khai báo".into(),
        );
    }
    let flags = project.flags.iter().map(|f| f.id.as_str());
    let known: Vec<&str> = ROW_KEYS.iter().copied().chain(flags).collect();
    let rows = draft.raw.breakdown.iter();
    let n = rows.filter(|b| b.get_ref().flags.contains_key(k)).count();
    let also = if n > 1 {
        format!(" (khoá này có ở {n} dòng; chỉ báo một lần)")
    } else {
        String::new()
    };
    let hint = match did_you_mean(k, known.iter().copied()) {
        Some(s) => format!("có phải ý bạn là `{s}`?{also}"),
        None => format!(
            "khoá riêng của dòng phải được khai báo cho dự án trong programs.toml: [[project.flag]] id = \"{k}\", name = \"…\", kind = \"co-khong\" (hoặc \"so\", \"chu\"), ngay dưới [[project]] id = \"{}\"{also}",
            draft.raw.project.get_ref()
        ),
    };
    (
        format!("khoá `{k}` không phải khoá của dòng breakdown và dự án chưa khai báo nó"),
        hint,
    )
}

/// Where `key = …` is written inside the row starting at `row` (its header line and the
/// lines up to the next `[` line), or the row's start when not found.
fn key_span(text: &str, row: std::ops::Range<usize>, key: &str) -> std::ops::Range<usize> {
    let rest = text.get(row.start..).unwrap_or("");
    let first_line = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let end = rest[first_line..]
        .match_indices('\n')
        .find(|(i, _)| rest[first_line + i + 1..].trim_start().starts_with('['))
        .map_or(rest.len(), |(i, _)| first_line + i + 1);
    let body = &rest[..end];
    let at = body.match_indices(key).find(|(i, _)| {
        // at the start of a line: not the same name inside `budget = { … }`
        let line_start = body[..*i].rsplit('\n').next().unwrap_or("");
        let after = body[i + key.len()..].trim_start();
        line_start.trim().is_empty() && after.starts_with('=')
    });
    match at {
        Some((i, _)) => row.start + i..row.start + i + key.len(),
        None => row,
    }
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

/// Allocated and disbursed amounts of the rows with a budget add up to the report's, and so
/// does each budget line (`investment`, …) that the totals and some row give (a warning
/// naming both numbers).
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
    // checked: rows near the largest figure a report holds add up beyond it (found by
    // fuzzing: `sum` panicked); `None` then, which differs from any total
    let sum = |f: &dyn Fn(&Budget) -> Decimal| {
        with_budget
            .iter()
            .try_fold(Decimal::ZERO, |acc, b| acc.checked_add(f(b)))
    };
    let raw = draft.raw.budget.as_ref();
    let mut checks = vec![
        (
            "dự toán (allocated)".to_string(),
            tb.allocated,
            sum(&|b| b.allocated),
            raw.map(|b| b.allocated.span()),
        ),
        (
            "giải ngân (disbursed)".to_string(),
            tb.disbursed,
            sum(&|b| b.disbursed),
            raw.map(|b| b.disbursed.span()),
        ),
    ];
    for (kind, total) in tb.parts() {
        let of = |b: &Budget| b.parts().find(|(k, _)| *k == kind).map(|(_, p)| *p);
        if !with_budget.iter().any(|b| of(b).is_some()) {
            continue;
        }
        let part = |b: &Budget| of(b).unwrap_or_default();
        let span = raw
            .and_then(|b| match kind {
                PartKind::Investment => b.investment.as_ref(),
                PartKind::Recurrent => b.recurrent.as_ref(),
                PartKind::CarriedOver => b.carried_over.as_ref(),
            })
            .map(|p| p.span());
        let name = kind.label().to_lowercase();
        checks.push((
            format!("dự toán {name} ({}.allocated)", kind.key()),
            total.allocated,
            sum(&|b| part(b).allocated),
            span.clone(),
        ));
        checks.push((
            format!("giải ngân {name} ({}.disbursed)", kind.key()),
            total.disbursed,
            sum(&|b| part(b).disbursed),
            span,
        ));
    }
    for (what, total, sum, span) in checks {
        sum_warning(ctx, draft, &what, total, sum, span);
    }
}

/// The warning of [`budget_sums`] when the rows' `sum` differs from the report's `total`.
fn sum_warning(
    ctx: &mut Ctx,
    draft: &ReportDraft,
    what: &str,
    total: Decimal,
    sum: Option<Decimal>,
    span: Option<std::ops::Range<usize>>,
) {
    if Some(total) == sum {
        return;
    }
    let unit = draft.unit;
    let show = |d: Decimal| {
        let d = convert_money(d, MoneyUnit::Dong, unit).unwrap_or(d);
        format!("{} {}", format_number(d, None), unit.word())
    };
    let thousand = Decimal::ONE_THOUSAND;
    let thousandfold = sum.is_some_and(|sum| {
        total.checked_mul(thousand) == Some(sum) || sum.checked_mul(thousand) == Some(total)
    });
    let hint = if thousandfold {
        "hai số lệch nhau đúng 1.000 lần: có lẽ một số viết nhầm đơn vị hoặc dấu chấm (1.250 là một nghìn hai trăm năm mươi; viết 1250); với --strict đây là lỗi"
    } else {
        "kiểm tra lại số liệu từng địa bàn hoặc tổng; với --strict đây là lỗi"
    };
    ctx.diags.push(
        draft
            .src
            .warning(
                span.unwrap_or(0..0),
                format!(
                    "tổng {what} của các dòng breakdown là {} nhưng tổng của báo cáo là {}",
                    sum.map_or_else(|| super::figures::TOO_BIG.to_string(), show),
                    show(total)
                ),
            )
            .hint(hint),
    );
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
        let sum = given.try_fold(Decimal::ZERO, |acc, x| acc.checked_add(x.actual.0));
        if !any || v.approximate || sum == Some(v.actual.0) {
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
                        sum.map_or_else(
                            || super::figures::TOO_BIG.to_string(),
                            |s| format_number(s, None)
                        ),
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

    /// A budget line that the totals and some rows give adds up like the totals: a row
    /// without it counts as zero.
    #[test]
    fn budget_lines_of_rows_add_up() {
        let row = |area: &str, line: &str| {
            format!("[[breakdown]]\narea = \"{area}\"\nbudget = {{ allocated = 50, disbursed = 20{line} }}\n")
        };
        let totals = "[budget]\nallocated = 100\ndisbursed = 40\nrecurrent = { allocated = 100, disbursed = 40 }\n";
        let (_, diags) = one(&format!(
            "{totals}{}{}",
            row(
                "huyen-b",
                ", recurrent = { allocated = 50, disbursed = 20 }"
            ),
            row(
                "huyen-c",
                ", recurrent = { allocated = 50, disbursed = 20 }"
            )
        ));
        assert_eq!(diags, Vec::<String>::new());
        let (_, diags) = one(&format!(
            "{totals}{}{}",
            row(
                "huyen-b",
                ", recurrent = { allocated = 50, disbursed = 20 }"
            ),
            row("huyen-c", "")
        ));
        let hint = "kiểm tra lại số liệu từng địa bàn hoặc tổng; với --strict đây là lỗi";
        assert_eq!(
            diags,
            [
                warn("content/data/reports/r.toml:9:13: tổng dự toán vốn sự nghiệp (recurrent.allocated) của các dòng breakdown là 50 triệu đồng nhưng tổng của báo cáo là 100 triệu đồng", hint),
                warn("content/data/reports/r.toml:9:13: tổng giải ngân vốn sự nghiệp (recurrent.disbursed) của các dòng breakdown là 20 triệu đồng nhưng tổng của báo cáo là 40 triệu đồng", hint),
            ]
        );
        // rows that do not split their budget are not checked against the line
        let (_, diags) = one(&format!(
            "{totals}{}{}",
            row("huyen-b", ""),
            row("huyen-c", "")
        ));
        assert_eq!(diags, Vec::<String>::new());
    }

    /// Found by fuzzing: rows near the largest figure a report holds overflowed when summed,
    /// and the build panicked. The sums differ from the totals: warnings, no panic.
    #[test]
    fn huge_rows_do_not_overflow() {
        // in đồng once converted from triệu: the largest figure; indicators are not converted
        let huge = "\"79.228.162.514.264.337.593.543\"";
        let max = "\"79.228.162.514.264.337.593.543.950.335\"";
        let row = |area: &str| {
            format!("[[breakdown]]\narea = \"{area}\"\nbudget = {{ allocated = {huge}, disbursed = 0 }}\nindicators = {{ lop = {{ actual = {max} }} }}\n")
        };
        let (_, diags) = one(&format!(
            "[budget]\nallocated = {huge}\ndisbursed = 0\n[indicators]\nlop = {{ actual = {max} }}\n{}{}",
            row("huyen-b"),
            row("huyen-c")
        ));
        let too_big = "là một số lớn hơn mọi số tính được (kiểm tra các số quá lớn) nhưng";
        assert!(
            diags.iter().any(|d| d.contains(&format!(
                "tổng dự toán (allocated) của các dòng breakdown {too_big}"
            ))),
            "{diags:?}"
        );
        assert!(
            diags
                .iter()
                .any(|d| d.contains(&format!("chỉ tiêu lop: tổng các dòng breakdown {too_big}"))),
            "{diags:?}"
        );
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
            "[[breakdown]]\narea = \"huyen-b\"\nshare = 1\n[[breakdown]]\narea = \"huyen-b\"\nshare = 2\n",
        );
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:10:8: Huyện B có hai dòng [[breakdown]]"),
                "gộp thành một dòng"
            )]
        );
        assert_eq!(row_areas(&data), ["huyen-b"]);
        assert_eq!(
            data.reports[0].rows[0].flags["share"],
            toml::Value::Integer(1)
        );
    }

    #[test]
    fn row_keys_are_its_own_or_declared() {
        let body = "[[breakdown]]\narea = \"huyen-b\"\nbudget = { allocated = 1, disbursed = 1 }\nplan_issued = true\nallocated = 40\ndisbursed = 31.5\nlop = 2\nyear = 2022\nbudgett = { allocated = 1 }\nnote = \"x\"\nshare = \"nhiều\"\nillustrative = true\n";
        let (data, diags) = one(body);
        let declare = "khoá riêng của dòng phải được khai báo cho dự án trong programs.toml: [[project.flag]] id = \"note\", name = \"…\", kind = \"co-khong\" (hoặc \"so\", \"chu\"), ngay dưới [[project]] id = \"du-an-1\"";
        assert_eq!(
            diags,
            [
                err(&format!("{FILE}:10:1: khoá `allocated` của dòng breakdown phải nằm trong budget, không đứng riêng"), "đặt trong budget = { allocated = …, disbursed = … } trên dòng này (khoá `allocated` đứng riêng bị bỏ qua, số liệu sẽ không hiện)"),
                err(&format!("{FILE}:14:1: khoá `budgett` không phải khoá của dòng breakdown và dự án chưa khai báo nó"), "có phải ý bạn là `budget`?"),
                err(&format!("{FILE}:11:1: khoá `disbursed` của dòng breakdown phải nằm trong budget, không đứng riêng"), "đặt trong budget = { allocated = …, disbursed = … } trên dòng này (khoá `disbursed` đứng riêng bị bỏ qua, số liệu sẽ không hiện)"),
                err(&format!("{FILE}:12:1: chỉ tiêu `lop` của dòng breakdown phải nằm trong indicators, không đứng riêng"), "đặt trong indicators = { lop = { actual = … } } trên dòng này"),
                err(&format!("{FILE}:15:1: khoá `note` không phải khoá của dòng breakdown và dự án chưa khai báo nó"), declare),
                err(&format!("{FILE}:16:1: khoá `share` (Tỷ lệ hộ tham gia) nhận một số"), "sửa giá trị của `share` thành một số"),
                err(&format!("{FILE}:13:1: khoá `year` chỉ dùng ở phần đầu tệp báo cáo, không dùng trong [[breakdown]]"), "xoá dòng này: mỗi dòng breakdown chỉ có area, budget, indicators và các khoá dự án khai báo"),
            ]
        );
        let flags: Vec<&str> = data.reports[0].rows[0]
            .flags
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(flags, ["illustrative", "plan_issued"]);
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
                warn(&format!("{FILE}:8:13: tổng giải ngân (disbursed) của các dòng breakdown là 30 triệu đồng nhưng tổng của báo cáo là 40 triệu đồng"), hint),
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
