//! Reports: the header rules resolve the project, area, money unit and date (all of them run,
//! so every problem of the header is listed); a report whose header resolved is then checked
//! by [`REPORT_RULES`] and kept.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::breakdown;
use super::figures::{figures, Scope};
use super::{area_hint, project_hint, toml_date, Ctx};
use crate::data::load::Src;
use crate::data::model::ReportRaw;
use crate::data::{Figures, Report, Row};
use crate::locale::MoneyUnit;

/// What the header rules resolve.
#[derive(Default)]
struct Header {
    project: Option<usize>,
    area: Option<usize>,
    unit: Option<MoneyUnit>,
    as_of: Option<NaiveDate>,
}

type HeaderRule = fn(&mut Ctx, &Src, &ReportRaw, &mut Header);

const HEADER_RULES: &[(&str, HeaderRule)] = &[
    ("report project exists", project_exists),
    ("report area exists", area_exists),
    ("report money unit is known", money_unit_is_known),
    ("report as_of is a date", as_of_is_a_date),
    ("report as_of is in the report year", as_of_in_year),
];

/// A report whose header resolved, as its rules fill it in.
pub(super) struct ReportDraft<'r> {
    pub src: &'r Src,
    pub id: &'r str,
    pub raw: &'r ReportRaw,
    pub project: usize,
    pub area: usize,
    pub year: i32,
    pub as_of: NaiveDate,
    pub unit: MoneyUnit,
    pub totals: Figures,
    pub rows: Vec<Row>,
    /// Areas of the rows kept so far.
    pub row_areas: HashSet<usize>,
    /// Undeclared row keys already reported (once per report, not once per row).
    pub undeclared: HashSet<String>,
}

impl<'r> ReportDraft<'r> {
    /// What the figures of the report and of its rows are read with.
    pub fn scope(&self) -> Scope<'r> {
        Scope {
            src: self.src,
            project: self.project,
            unit: self.unit,
            year: self.year,
        }
    }
}

type ReportRule = fn(&mut Ctx, &mut ReportDraft);

const REPORT_RULES: &[(&str, ReportRule)] = &[
    ("report areas are current on as_of", areas_are_current),
    ("report is not a duplicate", not_a_duplicate),
    ("report totals are checked", totals),
    ("breakdown rows are checked", breakdown::rows),
    ("breakdown budgets add up", breakdown::budget_sums),
    ("breakdown indicators add up", breakdown::indicator_sums),
];

#[cfg(test)]
pub(super) fn rule_names() -> impl Iterator<Item = &'static str> {
    super::names(HEADER_RULES).chain(super::names(REPORT_RULES))
}

/// Runs the header rules on every report, then [`REPORT_RULES`] on those that resolved.
pub(super) fn check(ctx: &mut Ctx) {
    let raw = ctx.raw;
    for (src, id, r) in &raw.reports {
        let mut header = Header::default();
        for (_, rule) in HEADER_RULES {
            rule(ctx, src, r, &mut header);
        }
        let Header {
            project: Some(project),
            area: Some(area),
            unit: Some(unit),
            as_of: Some(as_of),
        } = header
        else {
            continue;
        };
        let mut draft = ReportDraft {
            src,
            id,
            raw: r,
            project,
            area,
            year: *r.year.get_ref(),
            as_of,
            unit,
            totals: Figures::default(),
            rows: Vec::new(),
            row_areas: HashSet::new(),
            undeclared: HashSet::new(),
        };
        for (_, rule) in REPORT_RULES {
            rule(ctx, &mut draft);
        }
        ctx.data.reports.push(Report {
            id: id.clone(),
            file: src.display.clone(),
            project,
            area,
            year: draft.year,
            as_of,
            money_unit: unit,
            source: r.source.clone(),
            illustrative: r.illustrative,
            totals: draft.totals,
            rows: draft.rows,
        });
    }
}

/// Sorts the reports by project, area, year, as_of, id and indexes them by id.
pub(super) fn index(ctx: &mut Ctx) {
    let data = &mut ctx.data;
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
}

fn project_exists(ctx: &mut Ctx, src: &Src, r: &ReportRaw, header: &mut Header) {
    header.project = ctx.data.project_index.get(r.project.get_ref()).copied();
    if header.project.is_none() {
        ctx.diags.push(
            src.error(
                r.project.span(),
                format!("không có dự án \"{}\"", r.project.get_ref()),
            )
            .hint(project_hint(&ctx.data, r.project.get_ref())),
        );
    }
}

fn area_exists(ctx: &mut Ctx, src: &Src, r: &ReportRaw, header: &mut Header) {
    header.area = ctx.data.area_index.get(r.area.get_ref()).copied();
    if header.area.is_none() {
        ctx.diags.push(
            src.error(
                r.area.span(),
                format!("không có địa bàn \"{}\"", r.area.get_ref()),
            )
            .hint(area_hint(&ctx.data, r.area.get_ref())),
        );
    }
}

fn money_unit_is_known(ctx: &mut Ctx, src: &Src, r: &ReportRaw, header: &mut Header) {
    header.unit = r.money_unit.get_ref().parse::<MoneyUnit>().ok();
    if header.unit.is_none() {
        ctx.diags.push(
            src.error(
                r.money_unit.span(),
                format!("đơn vị tiền \"{}\" không hợp lệ", r.money_unit.get_ref()),
            )
            .hint(format!("dùng một trong: {}", MoneyUnit::valid_names())),
        );
    }
}

fn as_of_is_a_date(ctx: &mut Ctx, src: &Src, r: &ReportRaw, header: &mut Header) {
    header.as_of = toml_date(r.as_of.get_ref());
    if header.as_of.is_none() {
        ctx.diags.push(
            src.error(r.as_of.span(), "as_of phải là một ngày")
                .hint("viết as_of = 2022-11-30"),
        );
    }
}

fn as_of_in_year(ctx: &mut Ctx, src: &Src, r: &ReportRaw, header: &mut Header) {
    let year = *r.year.get_ref();
    let Some(d) = header.as_of.filter(|d| d.year() != year) else {
        return;
    };
    ctx.diags.push(
        src.error(
            r.as_of.span(),
            format!(
                "ngày số liệu {} không thuộc năm báo cáo {year}",
                d.format("%d/%m/%Y")
            ),
        )
        .hint("sửa year hoặc as_of cho khớp: số liệu năm nào thì ngày chốt trong năm đó"),
    );
}

/// The report's area and the areas of its rows (those that exist) were not abolished before
/// `as_of`.
fn areas_are_current(ctx: &mut Ctx, draft: &mut ReportDraft) {
    let r = draft.raw;
    let rows = r.breakdown.iter().filter_map(|b| {
        let area = &b.get_ref().area;
        ctx.data
            .area_index
            .get(area.get_ref())
            .map(|&x| (x, area.span()))
    });
    let areas: Vec<_> = std::iter::once((draft.area, r.area.span()))
        .chain(rows)
        .collect();
    for (a, span) in areas {
        let area = &ctx.data.areas[a];
        let Some(to) = area.valid_to.filter(|&to| draft.as_of > to) else {
            continue;
        };
        let hint = match area.successor {
            Some(s) => format!(
                "báo cáo sau ngày đó dùng địa bàn kế thừa `{}`",
                ctx.data.areas[s].id
            ),
            None => "kiểm tra ngày as_of hoặc valid_to của địa bàn".to_string(),
        };
        let msg = format!(
            "{} đã hết hiệu lực từ {}, nhưng báo cáo chốt số liệu ngày {}",
            area.name,
            to.format("%d/%m/%Y"),
            draft.as_of.format("%d/%m/%Y")
        );
        ctx.diags.push(draft.src.error(span, msg).hint(hint));
    }
}

/// One report per project, area, year and as_of.
fn not_a_duplicate(ctx: &mut Ctx, draft: &mut ReportDraft) {
    let key = (draft.project, draft.area, draft.year, draft.as_of);
    let Some(prev) = ctx.report_keys.insert(key, draft.id.to_string()) else {
        return;
    };
    ctx.diags.push(
        draft
            .src
            .error(
                draft.raw.as_of.span(),
                format!(
                    "trùng báo cáo: {prev} cũng là số liệu {} của {} ngày {}",
                    ctx.data.projects[draft.project].id,
                    ctx.data.areas[draft.area].id,
                    draft.as_of.format("%d/%m/%Y")
                ),
            )
            .hint("gộp hai tệp, hoặc sửa as_of nếu đây là một đợt số liệu khác"),
    );
}

fn totals(ctx: &mut Ctx, draft: &mut ReportDraft) {
    let r = draft.raw;
    draft.totals = figures(ctx, &draft.scope(), r.budget.as_ref(), &r.indicators);
}

#[cfg(test)]
mod tests {
    use crate::data::validate::testing::*;

    const FILE: &str = "content/data/reports/r.toml";

    fn one(text: &str) -> (crate::data::Data, Vec<String>) {
        check(raw(AREAS, PROGRAMS, &[("r", text)]))
    }

    #[test]
    fn report_project_exists() {
        let (data, diags) = one(&report("").replace("du-an-1", "du-an-2"));
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:1:11: không có dự án \"du-an-2\""),
                "có phải ý bạn là `du-an-1`? mã dự án khai báo trong content/data/programs.toml"
            )]
        );
        assert!(data.reports.is_empty());
    }

    #[test]
    fn report_area_exists() {
        let (data, diags) = one(&report("").replace("tinh-a", "Huyện Xê"));
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:2:8: không có địa bàn \"Huyện Xê\""),
                "có phải ý bạn là `huyen-c` (Huyện C)? mã địa bàn khai báo trong content/data/areas.toml"
            )]
        );
        assert!(data.reports.is_empty());
    }

    #[test]
    fn report_money_unit_is_known() {
        let (data, diags) = one(&report("").replace("trieu-dong", "usd"));
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:5:14: đơn vị tiền \"usd\" không hợp lệ"),
                "dùng một trong: dong, nghin-dong, trieu-dong, ty-dong"
            )]
        );
        assert!(data.reports.is_empty());
    }

    #[test]
    fn report_as_of_is_a_date() {
        let (data, diags) = one(&report("").replace("2022-10-31", "10:00:00"));
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:4:9: as_of phải là một ngày"),
                "viết as_of = 2022-11-30"
            )]
        );
        assert!(data.reports.is_empty());
    }

    #[test]
    fn report_as_of_is_in_the_report_year() {
        let (data, diags) = one(&report("").replace("2022-10-31", "2023-01-05"));
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:4:9: ngày số liệu 05/01/2023 không thuộc năm báo cáo 2022"),
                "sửa year hoặc as_of cho khớp: số liệu năm nào thì ngày chốt trong năm đó"
            )]
        );
        assert_eq!(data.reports.len(), 1, "the report is kept");
    }

    #[test]
    fn every_header_rule_runs_before_the_report_is_left_out() {
        let text =
            "project = \"x\"\narea = \"y\"\nyear = 2022\nas_of = 10:00:00\nmoney_unit = \"z\"\n";
        let (data, diags) = one(text);
        assert_eq!(diags.len(), 4, "{diags:?}");
        for (d, at) in diags.iter().zip([
            "r.toml:1:11: ",
            "r.toml:2:8: ",
            "r.toml:5:14: ",
            "r.toml:4:9: ",
        ]) {
            assert!(d.contains(at), "{at} in {d}");
        }
        assert!(data.reports.is_empty());
    }

    #[test]
    fn report_areas_are_current_on_as_of() {
        let text = report("[[breakdown]]\narea = \"huyen-b\"\n[[breakdown]]\narea = \"huyen-c\"\n")
            .replace(
                "year = 2022\nas_of = 2022-10-31",
                "year = 2025\nas_of = 2025-09-30",
            );
        let (data, diags) = one(&text);
        assert_eq!(
            diags,
            [err(
                &format!("{FILE}:7:8: Huyện B đã hết hiệu lực từ 30/06/2025, nhưng báo cáo chốt số liệu ngày 30/09/2025"),
                "báo cáo sau ngày đó dùng địa bàn kế thừa `tinh-a`"
            )]
        );
        assert_eq!(data.reports[0].rows.len(), 2, "the rows are kept");
        let areas = AREAS.replace("successor = \"tinh-a\"\n", "");
        let (_, diags) = check(raw(&areas, PROGRAMS, &[("r", &text)]));
        assert!(
            diags[0].ends_with("kiểm tra ngày as_of hoặc valid_to của địa bàn"),
            "{diags:?}"
        );
    }

    #[test]
    fn report_is_not_a_duplicate() {
        let (r1, r2) = (report(""), report("source = \"khác\"\n"));
        let (data, diags) = check(raw(AREAS, PROGRAMS, &[("r1", &r1), ("r2", &r2)]));
        assert_eq!(
            diags,
            [err(
                "content/data/reports/r2.toml:4:9: trùng báo cáo: r1 cũng là số liệu du-an-1 của tinh-a ngày 31/10/2022",
                "gộp hai tệp, hoặc sửa as_of nếu đây là một đợt số liệu khác"
            )]
        );
        assert_eq!(data.reports.len(), 2, "both are kept");
    }

    #[test]
    fn report_totals_are_checked() {
        let (data, diags) = one(&report("[budget]\nallocated = 10\ndisbursed = 20\n"));
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].contains("r.toml:8:13: đã giải ngân (20)"),
            "{diags:?}"
        );
        let b = data.reports[0].totals.budget.as_ref().unwrap();
        assert_eq!(b.allocated, rust_decimal::Decimal::from(10_000_000));
    }

    #[test]
    fn reports_are_ordered_and_indexed() {
        let later = report("").replace(
            "year = 2022\nas_of = 2022-10-31",
            "year = 2023\nas_of = 2023-03-31",
        );
        let other = report("").replace("tinh-a", "tinh-d");
        let first = report("");
        let reports = [("c", later.as_str()), ("b", &other), ("a", &first)];
        let (data, diags) = check(raw(AREAS, PROGRAMS, &reports));
        assert_eq!(diags, Vec::<String>::new());
        let ids: Vec<&str> = data.reports.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "c", "b"]);
        assert_eq!(data.report_index["b"], 2);
    }
}
