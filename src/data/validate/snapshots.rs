//! Successive snapshots of one report (same project, area and year, later `as_of`): figures
//! that jump in a way no programme does are a sign of a figure typed in the wrong unit or with
//! a thousands dot (warnings; errors under `--strict`).

use rust_decimal::Decimal;

use super::Ctx;
use crate::data::{Budget, Report};
use crate::locale::format_percent;

/// A rule on two successive snapshots (earlier, later) of one report.
type SnapshotRule = fn(&mut Ctx, &Report, &Report);

const SNAPSHOT_RULES: &[(&str, SnapshotRule)] = &[
    (
        "the disbursement rate does not jump a hundredfold",
        rate_jump,
    ),
    ("allocated is not a thousand times off", thousand_factor),
];

#[cfg(test)]
pub(super) fn rule_names() -> impl Iterator<Item = &'static str> {
    super::names(SNAPSHOT_RULES)
}

/// Runs [`SNAPSHOT_RULES`] on every pair of successive snapshots (the reports are sorted by
/// project, area, year and `as_of` by then).
pub(super) fn check(ctx: &mut Ctx) {
    let reports = std::mem::take(&mut ctx.data.reports);
    for pair in reports.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if (a.project, a.area, a.year) == (b.project, b.area, b.year) && a.as_of < b.as_of {
            for (_, rule) in SNAPSHOT_RULES {
                rule(ctx, a, b);
            }
        }
    }
    ctx.data.reports = reports;
}

fn budgets<'r>(a: &'r Report, b: &'r Report) -> Option<(&'r Budget, &'r Budget)> {
    Some((a.totals.budget.as_ref()?, b.totals.budget.as_ref()?))
}

/// Pushes a warning at `key` (`allocated`, `disbursed`) of the later report's budget.
fn warn(ctx: &mut Ctx, later: &Report, key: &str, msg: String, hint: &str) {
    let found = ctx.raw.reports.iter().find(|(_, id, _)| id == &later.id);
    let Some((src, _, raw)) = found else {
        return;
    };
    let span = raw.budget.as_ref().map(|b| match key {
        "allocated" => b.allocated.span(),
        _ => b.disbursed.span(),
    });
    ctx.diags.push(
        src.warning(span.unwrap_or(0..0), msg)
            .hint(hint.to_string()),
    );
}

fn rate_jump(ctx: &mut Ctx, a: &Report, b: &Report) {
    let Some((ba, bb)) = budgets(a, b) else {
        return;
    };
    let (Some(ra), Some(rb)) = (ba.rate(), bb.rate()) else {
        return;
    };
    // x < y × 100, also when y × 100 is beyond `Decimal` (found by fuzzing: `*` panicked)
    let below_hundredfold = |x: Decimal, y: Decimal| {
        y.checked_mul(Decimal::ONE_HUNDRED)
            .is_none_or(|y100| x < y100)
    };
    if ra.is_zero() || rb.is_zero() || (below_hundredfold(rb, ra) && below_hundredfold(ra, rb)) {
        return;
    }
    let msg = format!(
        "tỷ lệ giải ngân đổi từ {} (báo cáo {}, ngày {}) thành {} — gấp hơn 100 lần",
        format_percent(ra, Some(2)),
        a.id,
        a.as_of.format("%d/%m/%Y"),
        format_percent(rb, Some(2)),
    );
    let hint = "kiểm tra số giải ngân và dự toán của hai báo cáo: có lẽ một số viết nhầm đơn vị (money_unit) hoặc dấu chấm hàng nghìn (1.250 là một nghìn hai trăm năm mươi; viết 1250); với --strict đây là lỗi";
    warn(ctx, b, "disbursed", msg, hint);
}

fn thousand_factor(ctx: &mut Ctx, a: &Report, b: &Report) {
    let Some((ba, bb)) = budgets(a, b) else {
        return;
    };
    let thousand = Decimal::ONE_THOUSAND;
    let (x, y) = (ba.allocated, bb.allocated);
    // checked: a figure near `Decimal::MAX` times 1 000 is beyond it (found by fuzzing)
    if x.is_zero() || (x.checked_mul(thousand) != Some(y) && y.checked_mul(thousand) != Some(x)) {
        return;
    }
    let msg = format!(
        "dự toán được giao lệch đúng 1.000 lần so với báo cáo {} (ngày {}) cùng năm",
        a.id,
        a.as_of.format("%d/%m/%Y"),
    );
    let hint = "dự toán cả năm thường không đổi giữa hai lần báo cáo: kiểm tra đơn vị (money_unit) và dấu chấm hàng nghìn của hai tệp; với --strict đây là lỗi";
    warn(ctx, b, "allocated", msg, hint);
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    fn two(first: &str, second: &str) -> Vec<String> {
        let head = |as_of: &str| {
            format!("project = \"du-an-1\"\narea = \"tinh-a\"\nyear = 2022\nas_of = {as_of}\nmoney_unit = \"trieu-dong\"\n")
        };
        let r1 = format!("{}{first}", head("2022-06-30"));
        let r2 = format!("{}{second}", head("2022-10-31"));
        check(raw(AREAS, PROGRAMS, &[("r1", &r1), ("r2", &r2)])).1
    }

    #[test]
    fn a_hundredfold_rate_jump_warns() {
        let diags = two(
            "[budget]\nallocated = 1000\ndisbursed = 1\n",
            "[budget]\nallocated = 1000\ndisbursed = 400\n",
        );
        assert_eq!(
            diags,
            [warn(
                "content/data/reports/r2.toml:8:13: tỷ lệ giải ngân đổi từ 0,10% (báo cáo r1, ngày 30/06/2022) thành 40,00% — gấp hơn 100 lần",
                "kiểm tra số giải ngân và dự toán của hai báo cáo: có lẽ một số viết nhầm đơn vị (money_unit) hoặc dấu chấm hàng nghìn (1.250 là một nghìn hai trăm năm mươi; viết 1250); với --strict đây là lỗi"
            )]
        );
        // a real programme's pace: no warning
        let calm = two(
            "[budget]\nallocated = 1000\ndisbursed = 100\n",
            "[budget]\nallocated = 1000\ndisbursed = 700\n",
        );
        assert_eq!(calm, Vec::<String>::new());
    }

    #[test]
    fn allocated_a_thousand_times_off_warns() {
        let diags = two(
            "[budget]\nallocated = 3829\ndisbursed = 100\n",
            "[budget]\nallocated = 3.829001\ndisbursed = 1.393\n",
        );
        assert!(
            diags.iter().all(|d| !d.contains("lệch đúng 1.000 lần")),
            "not exactly: {diags:?}"
        );
        let diags = two(
            "[budget]\nallocated = 3829000\ndisbursed = 100000\n",
            "[budget]\nallocated = 3829\ndisbursed = 1393\n",
        );
        assert!(
            diags.iter().any(|d| d.contains("r2.toml:7:13: dự toán được giao lệch đúng 1.000 lần so với báo cáo r1 (ngày 30/06/2022) cùng năm")),
            "{diags:?}"
        );
    }

    /// Found by fuzzing (through the importer): a total near the largest figure a report can
    /// hold, times 1 000, overflowed and the build panicked.
    #[test]
    fn huge_figures_do_not_overflow() {
        let huge = "[budget]\nallocated = \"79.228.162.514.264.337.593.543\"\ndisbursed = 0\n";
        let small = "[budget]\nallocated = 1\ndisbursed = 1\n";
        assert_eq!(two(small, huge), Vec::<String>::new());
        assert_eq!(two(huge, small), Vec::<String>::new());
    }
}
