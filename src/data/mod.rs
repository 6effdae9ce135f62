//! Activity data: areas, programmes, projects and progress reports from `content/data/`.
//!
//! `model` holds the file formats, `load` reads and parses them (all files, all errors),
//! `validate` resolves ids and checks the figures, producing the immutable [`Data`] that
//! pages, charts, shortcodes and open-data files are generated from.

pub mod habits;
pub mod in_memory;
pub mod load;
pub mod model;
pub mod validate;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use rust_decimal::Decimal;

pub use model::{Amount, IndicatorValue, Level};

use crate::locale::MoneyUnit;

#[derive(Debug, Clone)]
pub struct Area {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub level: Level,
    pub parent: Option<usize>,
    /// Direct children, in Vietnamese alphabetical order of `short_name` (the distinctive part:
    /// "Huyện Tu Mơ Rông" sorts as "Tu Mơ Rông").
    pub children: Vec<usize>,
    pub aliases: Vec<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub successor: Option<usize>,
}

impl Area {
    /// Whether the area no longer exists at `today` (abolished in a reform).
    pub fn is_historical(&self, today: NaiveDate) -> bool {
        self.valid_to.is_some_and(|d| d < today)
    }
}

#[derive(Debug, Clone)]
pub struct Program {
    pub id: String,
    pub name: String,
    pub decision: String,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub unit: String,
}

#[derive(Debug, Clone)]
pub struct Project {
    pub id: String,
    pub program: usize,
    pub number: Option<u32>,
    pub name: String,
    pub lead_agency: String,
    pub indicators: Vec<Indicator>,
    /// The declared extra keys of breakdown rows.
    pub flags: Vec<Flag>,
    /// The budget lines its report form has besides the totals, as declared.
    pub budget_parts: Vec<PartKind>,
}

/// A declared extra key of breakdown rows (see [`model::FlagDef`]).
#[derive(Debug, Clone)]
pub struct Flag {
    pub id: String,
    pub name: String,
    pub kind: model::FlagKind,
    pub yes: Option<String>,
    pub no: Option<String>,
    pub unit: Option<String>,
}

/// Budget figures in **đồng** (exact), whatever unit the report was written in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Budget {
    pub allocated: Decimal,
    pub disbursed: Decimal,
    pub central: Option<Decimal>,
    pub local: Option<Decimal>,
    /// This year's plan by capital type: vốn đầu tư phát triển, vốn sự nghiệp.
    pub investment: Option<Part>,
    pub recurrent: Option<Part>,
    /// Funds of earlier years carried over into this year; not part of `allocated`, and not
    /// in [`Budget::rate`], which is the rate of this year's plan as reports give it.
    pub carried_over: Option<Part>,
    /// Disbursement targets: (by date, percent of allocation).
    pub targets: Vec<(NaiveDate, Decimal)>,
}

impl Budget {
    /// Disbursement rate in percent, exact; `None` when nothing was allocated.
    pub fn rate(&self) -> Option<Decimal> {
        crate::locale::percent_of(self.disbursed, self.allocated)
    }

    /// This year's plan and the funds carried over together ("tổng số vốn"), when funds were
    /// carried over; `None` also when the sum is beyond what a `Decimal` holds.
    pub fn with_carried_over(&self) -> Option<Part> {
        let c = self.carried_over.as_ref()?;
        Some(Part {
            allocated: self.allocated.checked_add(c.allocated)?,
            disbursed: self.disbursed.checked_add(c.disbursed)?,
        })
    }

    /// The lines beside the year's totals, in the order reports list them, with their kind.
    pub fn parts(&self) -> impl Iterator<Item = (PartKind, &Part)> {
        [
            (PartKind::Investment, &self.investment),
            (PartKind::Recurrent, &self.recurrent),
            (PartKind::CarriedOver, &self.carried_over),
        ]
        .into_iter()
        .filter_map(|(k, p)| Some((k, p.as_ref()?)))
    }
}

/// One budget line of a report in đồng: a capital type or the funds carried over.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Part {
    pub allocated: Decimal,
    pub disbursed: Decimal,
}

impl Part {
    /// Disbursement rate of this line, on its own allocation.
    pub fn rate(&self) -> Option<Decimal> {
        crate::locale::percent_of(self.disbursed, self.allocated)
    }
}

/// The lines a budget can have besides its totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PartKind {
    Investment,
    Recurrent,
    CarriedOver,
}

impl PartKind {
    pub const ALL: [PartKind; 3] = [
        PartKind::Investment,
        PartKind::Recurrent,
        PartKind::CarriedOver,
    ];

    /// The key in report files and `budget_parts`.
    pub fn key(self) -> &'static str {
        match self {
            PartKind::Investment => "investment",
            PartKind::Recurrent => "recurrent",
            PartKind::CarriedOver => "carried_over",
        }
    }

    /// The label Vietnamese reports use.
    pub fn label(self) -> &'static str {
        match self {
            PartKind::Investment => "Vốn đầu tư phát triển",
            PartKind::Recurrent => "Vốn sự nghiệp",
            PartKind::CarriedOver => "Vốn năm trước chuyển sang",
        }
    }

    /// The part of open-data column names (`du_toan_dau_tu_trieu_dong`).
    pub fn column(self) -> &'static str {
        match self {
            PartKind::Investment => "dau_tu",
            PartKind::Recurrent => "su_nghiep",
            PartKind::CarriedOver => "chuyen_sang",
        }
    }

    pub fn from_key(key: &str) -> Option<PartKind> {
        PartKind::ALL.into_iter().find(|k| k.key() == key)
    }
}

/// Figures of a report or of one breakdown row.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub budget: Option<Budget>,
    pub indicators: BTreeMap<String, IndicatorValue>,
}

#[derive(Debug, Clone)]
pub struct Row {
    pub area: usize,
    pub figures: Figures,
    pub flags: BTreeMap<String, toml::Value>,
}

#[derive(Debug, Clone)]
pub struct Report {
    /// File stem: `du-an-8-kon-tum-2022-11`.
    pub id: String,
    /// `content/data/reports/….toml`
    pub file: String,
    pub project: usize,
    pub area: usize,
    pub year: i32,
    pub as_of: NaiveDate,
    pub money_unit: MoneyUnit,
    pub source: String,
    pub illustrative: bool,
    pub totals: Figures,
    pub rows: Vec<Row>,
}

impl Report {
    /// The figures this report gives for `area`: its totals, or the area's breakdown row.
    pub fn figures_for(&self, area: usize) -> Option<&Figures> {
        if self.area == area {
            Some(&self.totals)
        } else {
            self.rows
                .iter()
                .find(|r| r.area == area)
                .map(|r| &r.figures)
        }
    }
}

/// The validated activity data. Built once, read by everything after.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub areas: Vec<Area>,
    pub programs: Vec<Program>,
    pub projects: Vec<Project>,
    /// Sorted by project, area, year, as_of, id.
    pub reports: Vec<Report>,
    pub area_index: HashMap<String, usize>,
    pub project_index: HashMap<String, usize>,
    pub report_index: HashMap<String, usize>,
}

impl Data {
    /// "Dự án 8", or the name when the project has no number.
    pub fn project_label(&self, i: usize) -> String {
        let p = &self.projects[i];
        match p.number {
            Some(n) => format!("Dự án {n}"),
            None => p.name.clone(),
        }
    }

    pub fn area(&self, id: &str) -> Option<&Area> {
        self.area_index.get(id).map(|&i| &self.areas[i])
    }

    pub fn project(&self, id: &str) -> Option<&Project> {
        self.project_index.get(id).map(|&i| &self.projects[i])
    }

    /// Reports that give figures for (`area`, `project`), oldest first.
    pub fn timeline(&self, area: usize, project: usize) -> Vec<usize> {
        self.reports
            .iter()
            .enumerate()
            .filter(|(_, r)| r.project == project && r.figures_for(area).is_some())
            .map(|(i, _)| i)
            .collect()
    }

    /// The latest report for (`area`, `project`) of its latest year.
    pub fn latest(&self, area: usize, project: usize) -> Option<usize> {
        self.timeline(area, project)
            .into_iter()
            .max_by_key(|&i| (self.reports[i].year, self.reports[i].as_of))
    }

    /// Overall figures of an area for the latest year with data: sum over projects.
    pub fn area_summary(&self, area: usize) -> Option<Budget> {
        let mut latest_year = None;
        for p in 0..self.projects.len() {
            if let Some(r) = self.latest(area, p) {
                latest_year = latest_year.max(Some(self.reports[r].year));
            }
        }
        let year = latest_year?;
        let mut sum = Budget::default();
        let mut any = false;
        for p in 0..self.projects.len() {
            if let Some(r) = self.latest_in_year(area, p, year) {
                if let Some(b) = self.reports[r]
                    .figures_for(area)
                    .and_then(|f| f.budget.as_ref())
                {
                    // checked: figures near the largest a report holds overflow (`+=` panicked);
                    // no summary then
                    sum.allocated = sum.allocated.checked_add(b.allocated)?;
                    sum.disbursed = sum.disbursed.checked_add(b.disbursed)?;
                    any = true;
                }
            }
        }
        any.then_some(sum)
    }

    /// The latest report for `project` and `year` that reports on `area` (or `None`).
    pub fn latest_in_year(&self, area: usize, project: usize, year: i32) -> Option<usize> {
        self.timeline(area, project)
            .into_iter()
            .filter(|&i| self.reports[i].year == year)
            .max_by_key(|&i| self.reports[i].as_of)
    }

    /// `area` and everything under it.
    pub fn is_within(&self, area: usize, ancestor: usize) -> bool {
        let mut a = Some(area);
        let mut guard = 0;
        while let Some(x) = a {
            if x == ancestor {
                return true;
            }
            a = self.areas[x].parent;
            guard += 1;
            if guard > self.areas.len() {
                return false; // a parent cycle is reported by validation
            }
        }
        false
    }

    /// Years with reports for a project, ascending.
    pub fn years(&self, project: usize) -> Vec<i32> {
        let mut y: Vec<i32> = self
            .reports
            .iter()
            .filter(|r| r.project == project)
            .map(|r| r.year)
            .collect();
        y.sort();
        y.dedup();
        y
    }
}
