//! Resolves ids and checks the figures. Every problem is collected with its file position and
//! a suggestion; the resulting [`Data`] only contains what could be resolved.
//!
//! Validation is a list of named rules, run in order (`RULES`). Each stage goes over one kind
//! of item (areas, programmes, projects, reports) and runs that item's own table of rules on
//! it; a rule that returns `Flow::Drop` leaves the item out of the data and the item's later
//! rules are not run. The order of the tables is the order of the diagnostics.
//!
//! - `areas`: ids, validity dates, parents, successors, children;
//! - `projects`: programmes, projects and their indicators;
//! - `reports`: a report's header (project, area, money unit, `as_of`), then its checks;
//! - `breakdown`: the `[[breakdown]]` rows of a report and their sums against the totals;
//! - `figures`: budgets, disbursement targets and indicator values, of totals and rows alike.

mod areas;
mod breakdown;
mod figures;
mod hints;
mod projects;
mod reports;
mod snapshots;

use std::collections::HashMap;

use chrono::NaiveDate;
use toml::Spanned;

use crate::data::load::{RawData, Src};
use crate::data::Data;
use crate::diag::Diagnostic;

pub use hints::{area_hint, project_hint};

/// Whether the item a rule looked at stays in the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Keep,
    /// Leave the item out; its remaining rules are not run.
    Drop,
}

/// What the rules share: the files, the diagnostics, the data resolved so far and the indexes
/// built on the way.
struct Ctx<'a> {
    raw: &'a RawData,
    diags: &'a mut Vec<Diagnostic>,
    data: Data,
    /// Programme id → index in `data.programs`.
    program_index: HashMap<String, usize>,
    /// (project, area, year, as_of) → the first report with these.
    report_keys: HashMap<(usize, usize, i32, NaiveDate), String>,
}

/// A stage of validation.
type Stage = fn(&mut Ctx);

/// The stages, in order: each runs its own table of rules over one kind of item.
const RULES: &[(&str, Stage)] = &[
    ("areas are declared", areas::declare),
    ("areas are linked", areas::link),
    ("areas list their children", areas::children),
    ("programmes are declared", projects::declare_programs),
    ("projects are declared", projects::declare_projects),
    ("reports are checked", reports::check),
    ("reports are ordered and indexed", reports::index),
    (
        "successive snapshots of a report are plausible",
        snapshots::check,
    ),
];

/// Runs `rules` in order on one item (`apply` calls one rule on it) until one drops the item.
fn run<R>(rules: &[(&str, R)], mut apply: impl FnMut(&R) -> Flow) -> Flow {
    for (_, rule) in rules {
        if apply(rule) == Flow::Drop {
            return Flow::Drop;
        }
    }
    Flow::Keep
}

/// Runs the stages of `RULES` in order on the files read by `load`, collecting every problem
/// in `diags`. (`today` is not used by any rule.)
pub fn validate(raw: RawData, today: NaiveDate, diags: &mut Vec<Diagnostic>) -> Data {
    let _ = today;
    let mut ctx = Ctx {
        raw: &raw,
        diags,
        data: Data::default(),
        program_index: HashMap::new(),
        report_keys: HashMap::new(),
    };
    for (_, stage) in RULES {
        stage(&mut ctx);
    }
    ctx.data
}

fn toml_date(d: &toml::value::Datetime) -> Option<NaiveDate> {
    let date = d.date?;
    NaiveDate::from_ymd_opt(date.year as i32, date.month as u32, date.day as u32)
}

/// The date at `d`, or an error saying `key` must be a date.
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

#[cfg(test)]
mod testing;

/// The names of a table of rules.
#[cfg(test)]
fn names<R>(rules: &'static [(&'static str, R)]) -> impl Iterator<Item = &'static str> {
    rules.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    #[test]
    fn rule_names_are_unique() {
        let mut names: Vec<&str> = super::names(RULES).collect();
        names.extend(areas::rule_names());
        names.extend(projects::rule_names());
        names.extend(reports::rule_names());
        names.extend(breakdown::rule_names());
        names.extend(figures::rule_names());
        names.extend(snapshots::rule_names());
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "{names:?}");
        assert!(names.iter().all(|n| !n.is_empty()));
    }

    #[test]
    fn a_rule_that_drops_an_item_stops_its_later_rules() {
        let calls = std::cell::Cell::new(0);
        let rules: &[(&str, Flow)] = &[("a", Flow::Keep), ("b", Flow::Drop), ("c", Flow::Keep)];
        let flow = run(rules, |f| {
            calls.set(calls.get() + 1);
            *f
        });
        assert_eq!((flow, calls.get()), (Flow::Drop, 2));
        assert_eq!(run(&rules[..1], |f| *f), Flow::Keep);
    }

    #[test]
    fn valid_data_gives_no_diagnostics_and_is_fully_resolved() {
        let (data, diags) = check(raw(AREAS, PROGRAMS, &[("r", &report(GOOD_BODY))]));
        assert_eq!(diags, Vec::<String>::new());
        assert_eq!((data.areas.len(), data.projects.len()), (4, 1));
        assert_eq!(data.reports.len(), 1);
        assert_eq!(data.reports[0].rows.len(), 2);
    }
}
