//! Open data files: one CSV per report (UTF-8 with BOM so Excel shows Vietnamese, formula
//! injection neutralised) and one JSON file of the whole model with computed rates.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::data::{Budget, Data, Figures, Part, PartKind, Report};
use crate::locale::{convert_money, MoneyUnit};

/// A CSV cell: quoted when needed, and a leading `=`, `+`, `-`, `@` (or tab/CR) neutralised
/// with an apostrophe so spreadsheet programs never run it as a formula.
pub fn csv_cell(s: &str) -> String {
    let mut v = s.to_string();
    if v.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        v.insert(0, '\'');
    }
    if v.contains([',', '"', '\n', '\r', ';']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

fn amount(r: &Report, dong: Decimal) -> String {
    num(convert_money(dong, MoneyUnit::Dong, r.money_unit).unwrap_or(dong))
}

fn rate(f: &Figures, decimals: u32) -> String {
    f.budget
        .as_ref()
        .and_then(|b| b.rate())
        .map(|r| percent(r, decimals))
        .unwrap_or_default()
}

/// A rate as the files write it: rounded to the site's `rate_decimals`, as pages show it
/// ("36.38" where pages say 36,38%), in the plain decimal form of open data.
fn percent(r: Decimal, decimals: u32) -> String {
    let rounded = r.round_dp_with_strategy(
        decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    format!("{rounded:.*}", decimals as usize)
}

/// The budget columns a report's CSV has beyond allocated, disbursed and rate, each only when
/// some line of the report gives it: the allocation by source, then each budget line.
#[derive(Clone, Copy, PartialEq)]
enum Extra {
    Central,
    Local,
    Allocated(PartKind),
    Disbursed(PartKind),
    Rate(PartKind),
    /// The rate of the year's plan and the carried-over funds together.
    RateWithCarriedOver,
}

impl Extra {
    fn of(b: &Budget) -> Vec<Extra> {
        let mut out = Vec::new();
        if b.central.is_some() {
            out.push(Extra::Central);
        }
        if b.local.is_some() {
            out.push(Extra::Local);
        }
        for (kind, _) in b.parts() {
            out.extend([
                Extra::Allocated(kind),
                Extra::Disbursed(kind),
                Extra::Rate(kind),
            ]);
        }
        if b.carried_over.is_some() {
            out.push(Extra::RateWithCarriedOver);
        }
        out
    }

    /// The column name, `unit` as in `du_toan_<unit>`.
    fn header(self, unit: &str) -> String {
        match self {
            Extra::Central => format!("du_toan_trung_uong_{unit}"),
            Extra::Local => format!("du_toan_dia_phuong_{unit}"),
            Extra::Allocated(k) => format!("du_toan_{}_{unit}", k.column()),
            Extra::Disbursed(k) => format!("da_giai_ngan_{}_{unit}", k.column()),
            Extra::Rate(k) => format!("ty_le_giai_ngan_{}_phan_tram", k.column()),
            Extra::RateWithCarriedOver => "ty_le_giai_ngan_tong_cong_phan_tram".into(),
        }
    }

    fn cell(self, r: &Report, b: &Budget, decimals: u32) -> String {
        let part = |k: PartKind| b.parts().find(|(x, _)| *x == k).map(|(_, p)| *p);
        let v = match self {
            Extra::Central => b.central.map(|d| amount(r, d)),
            Extra::Local => b.local.map(|d| amount(r, d)),
            Extra::Allocated(k) => part(k).map(|p| amount(r, p.allocated)),
            Extra::Disbursed(k) => part(k).map(|p| amount(r, p.disbursed)),
            Extra::Rate(k) => part(k).and_then(|p| p.rate()).map(|p| percent(p, decimals)),
            Extra::RateWithCarriedOver => b
                .with_carried_over()
                .and_then(|p| p.rate())
                .map(|p| percent(p, decimals)),
        };
        v.unwrap_or_default()
    }
}

/// The CSV of one report: header, the report's own area first, then its breakdown rows.
pub fn report_csv(data: &Data, r: &Report, decimals: u32) -> Vec<u8> {
    let mut flag_keys: Vec<&String> = r.rows.iter().flat_map(|row| row.flags.keys()).collect();
    flag_keys.sort();
    flag_keys.dedup();
    let lines = std::iter::once(&r.totals).chain(r.rows.iter().map(|row| &row.figures));
    let given: Vec<Extra> = lines
        .filter_map(|f| f.budget.as_ref())
        .flat_map(Extra::of)
        .collect();
    // in one fixed order, whichever line gave each first
    let all = [Extra::Central, Extra::Local]
        .into_iter()
        .chain(
            PartKind::ALL
                .into_iter()
                .flat_map(|k| [Extra::Allocated(k), Extra::Disbursed(k), Extra::Rate(k)]),
        )
        .chain([Extra::RateWithCarriedOver]);
    let extras = all.filter(|e| given.contains(e)).collect();
    let csv = ReportCsv {
        data,
        r,
        flag_keys,
        extras,
        decimals,
    };
    let mut out = String::from("\u{feff}");
    push_row(&mut out, &csv.header());
    push_row(&mut out, &csv.row(r.area, &r.totals, None, r.illustrative));
    for row in &r.rows {
        let ill =
            r.illustrative || row.flags.get("illustrative") == Some(&toml::Value::Boolean(true));
        push_row(
            &mut out,
            &csv.row(row.area, &row.figures, Some(&row.flags), ill),
        );
    }
    out.into_bytes()
}

/// One CSV line, its cells quoted where needed.
fn push_row(out: &mut String, cells: &[String]) {
    let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// `co` / `khong`, as the open data files write yes and no.
fn yes_no(b: bool) -> String {
    if b { "co" } else { "khong" }.into()
}

/// What every line of one report's CSV shares.
struct ReportCsv<'a> {
    data: &'a Data,
    r: &'a Report,
    /// The breakdown rows' free keys, one column each.
    flag_keys: Vec<&'a String>,
    /// The budget columns beyond the three every report has.
    extras: Vec<Extra>,
    /// The site's `rate_decimals`.
    decimals: u32,
}

impl ReportCsv<'_> {
    fn header(&self) -> Vec<String> {
        let unit = self.r.money_unit.name().replace('-', "_");
        let mut header: Vec<String> = vec![
            "ma_dia_ban".into(),
            "ten_dia_ban".into(),
            "cap".into(),
            format!("du_toan_{unit}"),
            format!("da_giai_ngan_{unit}"),
            "ty_le_giai_ngan_phan_tram".into(),
        ];
        header.extend(self.extras.iter().map(|e| e.header(&unit)));
        let project = &self.data.projects[self.r.project];
        header.extend(project.indicators.iter().map(|ind| ind.id.clone()));
        header.extend(self.flag_keys.iter().map(|k| k.to_string()));
        header.extend(["du_an", "nam", "ngay_so_lieu", "minh_hoa", "nguon"].map(String::from));
        header
    }

    fn row(
        &self,
        area: usize,
        f: &Figures,
        flags: Option<&std::collections::BTreeMap<String, toml::Value>>,
        illustrative: bool,
    ) -> Vec<String> {
        let (r, project) = (self.r, &self.data.projects[self.r.project]);
        let a = &self.data.areas[area];
        let budget = |v: fn(&crate::data::Budget) -> Decimal| {
            f.budget
                .as_ref()
                .map(|b| amount(r, v(b)))
                .unwrap_or_default()
        };
        let mut cells: Vec<String> = vec![
            a.id.clone(),
            a.name.clone(),
            a.level.id().to_string(),
            budget(|b| b.allocated),
            budget(|b| b.disbursed),
            rate(f, self.decimals),
        ];
        cells.extend(self.extras.iter().map(|e| {
            f.budget
                .as_ref()
                .map(|b| e.cell(r, b, self.decimals))
                .unwrap_or_default()
        }));
        for ind in &project.indicators {
            let v = f.indicators.get(&ind.id).map(|v| num(v.actual.0));
            cells.push(v.unwrap_or_default());
        }
        for k in &self.flag_keys {
            cells.push(match flags.and_then(|fl| fl.get(*k)) {
                Some(toml::Value::String(s)) => s.clone(),
                Some(toml::Value::Boolean(b)) => yes_no(*b),
                Some(v) => v.to_string(),
                None => String::new(),
            });
        }
        cells.extend([
            project.id.clone(),
            r.year.to_string(),
            r.as_of.to_string(),
            yes_no(illustrative),
            r.source.clone(),
        ]);
        cells
    }
}

fn figures_json(r: &Report, f: &Figures, decimals: u32) -> Value {
    json!({
        "budget": f.budget.as_ref().map(|b| json!({
            "allocated": amount(r, b.allocated),
            "disbursed": amount(r, b.disbursed),
            "central": b.central.map(|c| amount(r, c)),
            "local": b.local.map(|c| amount(r, c)),
            "disbursed_percent": rate(f, decimals),
            "investment": b.investment.map(|p| part_json(r, p, decimals)),
            "recurrent": b.recurrent.map(|p| part_json(r, p, decimals)),
            "carried_over": b.carried_over.map(|p| part_json(r, p, decimals)),
            "with_carried_over": b.with_carried_over().map(|p| part_json(r, p, decimals)),
            "targets": b.targets.iter().map(|(by, p)| json!({"by": by.to_string(), "disbursed_percent": num(*p)})).collect::<Vec<_>>(),
        })),
        "indicators": f.indicators.iter().map(|(k, v)| (k.clone(), json!({"actual": num(v.actual.0), "target": v.target.map(|t| num(t.0)), "approximate": v.approximate}))).collect::<serde_json::Map<_, _>>(),
    })
}

/// A budget line: its amounts and its own rate.
fn part_json(r: &Report, p: Part, decimals: u32) -> Value {
    json!({
        "allocated": amount(r, p.allocated),
        "disbursed": amount(r, p.disbursed),
        "disbursed_percent": p.rate().map(|p| percent(p, decimals)),
    })
}

/// The whole model as JSON. Amounts are decimal strings in each report's `money_unit`
/// (exact; JSON numbers would invite binary floating point).
pub fn model_json(data: &Data, decimals: u32) -> Vec<u8> {
    let areas: Vec<Value> = data
        .areas
        .iter()
        .map(|a| {
            json!({"id": a.id, "name": a.name, "short_name": a.short_name, "level": a.level.id(),
                   "parent": a.parent.map(|p| data.areas[p].id.clone()), "aliases": a.aliases,
                   "valid_from": a.valid_from.map(|d| d.to_string()), "valid_to": a.valid_to.map(|d| d.to_string()),
                   "successor": a.successor.map(|s| data.areas[s].id.clone())})
        })
        .collect();
    let programs: Vec<Value> = data.programs.iter().map(|p| json!({"id": p.id, "name": p.name, "decision": p.decision, "start_year": p.start_year, "end_year": p.end_year})).collect();
    let projects: Vec<Value> = data
        .projects
        .iter()
        .map(|p| {
            json!({"id": p.id, "program": data.programs[p.program].id, "number": p.number, "name": p.name, "lead_agency": p.lead_agency,
                   "budget_parts": p.budget_parts.iter().map(|k| k.key()).collect::<Vec<_>>(),
                   "indicators": p.indicators.iter().map(|i| json!({"id": i.id, "name": i.name, "unit": i.unit})).collect::<Vec<_>>()})
        })
        .collect();
    let reports: Vec<Value> = data
        .reports
        .iter()
        .map(|r| {
            json!({"id": r.id, "project": data.projects[r.project].id, "area": data.areas[r.area].id, "year": r.year,
                   "as_of": r.as_of.to_string(), "money_unit": r.money_unit.name(), "source": r.source, "illustrative": r.illustrative,
                   "totals": figures_json(r, &r.totals, decimals),
                   "breakdown": r.rows.iter().map(|row| {
                       let mut v = figures_json(r, &row.figures, decimals);
                       if let Value::Object(m) = &mut v {
                           m.insert("area".into(), json!(data.areas[row.area].id));
                           m.insert("flags".into(), Value::Object(row.flags.iter().map(|(k, v)| (k.clone(), crate::config::toml_to_json(v))).collect()));
                       }
                       v
                   }).collect::<Vec<_>>()})
        })
        .collect();
    let v = json!({"areas": areas, "programs": programs, "projects": projects, "reports": reports});
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn cells_are_quoted_and_formulas_neutralised() {
        assert_eq!(csv_cell("Kon Plông"), "Kon Plông");
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("-5"), "'-5");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("nói \"có\""), "\"nói \"\"có\"\"\"");
        assert_eq!(csv_cell("+84,1"), "\"'+84,1\"");
    }
}
