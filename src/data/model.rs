//! The activity-data files as written by staff (`content/data/*.toml`): plain serde structs,
//! one definition each. Values that validation may complain about are `Spanned`, so messages
//! point at the file line and column.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// An exact decimal amount: TOML integers, floats (read through their decimal text, so 1393.5
/// stays 1393.5) or strings in Vietnamese notation ("1.250,5"). Never binary floating point in
/// computations. A bare float a Vietnamese reader reads differently (1.250) is refused before
/// this, by the data loader's scan of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Amount(pub Decimal);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("một số (ví dụ 3829 hoặc 1393.5)")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                Ok(Amount(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount(Decimal::from(v)))
            }
            /// A bare integer beyond i64 (TOML's own range; the reader passes it on): exact
            /// while a `Decimal` holds it. Without this, serde's message "as i128" reached staff.
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Amount, E> {
                Decimal::try_from_i128_with_scale(v, 0)
                    .map(Amount)
                    .map_err(|_| E::custom(format!("số {v} quá lớn")))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Amount, E> {
                match i128::try_from(v) {
                    Ok(v) => self.visit_i128(v),
                    Err(_) => Err(E::custom(format!("số {v} quá lớn"))),
                }
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                if !v.is_finite() {
                    return Err(E::custom(
                        "số không hữu hạn (inf/nan) không dùng được làm số liệu",
                    ));
                }
                crate::locale::decimal_from_str(&v.to_string())
                    .map(Amount)
                    .ok_or_else(|| E::custom(format!("số {v} quá lớn hoặc quá nhỏ")))
            }
            /// A figure in quotes is read the Vietnamese way: "1.250" is 1250, "540,5" is 540.5.
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                crate::locale::read_vi(v).map(Amount).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Administrative level of an area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Province.
    Tinh,
    /// District-level unit (district, town, provincial city).
    Huyen,
    /// Commune-level unit.
    Xa,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Tinh => "Cấp tỉnh",
            Level::Huyen => "Cấp huyện",
            Level::Xa => "Cấp xã",
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Level::Tinh => "tinh",
            Level::Huyen => "huyen",
            Level::Xa => "xa",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreasFile {
    #[serde(default)]
    pub area: Vec<AreaRaw>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaRaw {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub short_name: Option<String>,
    pub level: Spanned<Level>,
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
    /// Other spellings ("Đăk Glei" / "Đắk Glei", "Ia H'Drai" with ' or ’).
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub valid_from: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    pub valid_to: Option<Spanned<toml::value::Datetime>>,
    #[serde(default)]
    pub successor: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramsFile {
    #[serde(default)]
    pub program: Vec<ProgramRaw>,
    #[serde(default)]
    pub project: Vec<ProjectRaw>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramRaw {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub start_year: Option<i32>,
    #[serde(default)]
    pub end_year: Option<i32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectRaw {
    pub id: Spanned<String>,
    pub program: Spanned<String>,
    #[serde(default)]
    pub number: Option<u32>,
    pub name: String,
    #[serde(default)]
    pub lead_agency: Option<String>,
    #[serde(default)]
    pub indicator: Vec<IndicatorDef>,
    /// The extra keys a `[[breakdown]]` row of this project's reports may carry.
    #[serde(default)]
    pub flag: Vec<FlagDef>,
    /// The budget lines the project's report form has besides its totals (`investment`,
    /// `recurrent`, `carried_over`): `bantin template` gives each its columns.
    #[serde(default)]
    pub budget_parts: Vec<Spanned<String>>,
}

/// An extra key of breakdown rows (`plan_issued = true`), declared so that a misspelt one is
/// an error and pages can label it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FlagDef {
    pub id: Spanned<String>,
    /// The label on pages: "Kế hoạch thực hiện".
    pub name: String,
    pub kind: FlagKind,
    /// For yes/no keys: what pages say for true and false ("UBND đã ban hành").
    #[serde(default)]
    pub yes: Option<String>,
    #[serde(default)]
    pub no: Option<String>,
    /// For numbers: the unit shown after the value.
    #[serde(default)]
    pub unit: Option<String>,
}

/// The kind of value a declared row key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum FlagKind {
    /// true / false
    #[serde(rename = "co-khong")]
    YesNo,
    #[serde(rename = "so")]
    Number,
    #[serde(rename = "chu")]
    Text,
}

impl FlagKind {
    /// How the value is written, for messages.
    pub fn written(self) -> &'static str {
        match self {
            FlagKind::YesNo => "true hoặc false",
            FlagKind::Number => "một số",
            FlagKind::Text => "chữ trong dấu nháy \"…\"",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    pub id: Spanned<String>,
    pub name: String,
    #[serde(default)]
    pub unit: String,
}

/// One report file (`content/data/reports/<id>.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRaw {
    pub project: Spanned<String>,
    pub area: Spanned<String>,
    pub year: Spanned<i32>,
    pub as_of: Spanned<toml::value::Datetime>,
    pub money_unit: Spanned<String>,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub illustrative: bool,
    #[serde(default)]
    pub budget: Option<BudgetRaw>,
    #[serde(default)]
    pub indicators: BTreeMap<String, Spanned<IndicatorValue>>,
    #[serde(default)]
    pub breakdown: Vec<Spanned<BreakdownRaw>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetRaw {
    pub allocated: Spanned<Amount>,
    pub disbursed: Spanned<Amount>,
    #[serde(default)]
    pub by_source: Option<BySource>,
    /// Of this year's plan: vốn đầu tư phát triển and vốn sự nghiệp.
    #[serde(default)]
    pub investment: Option<Spanned<PartRaw>>,
    #[serde(default)]
    pub recurrent: Option<Spanned<PartRaw>>,
    /// Funds of earlier years carried over into this one, outside this year's plan.
    #[serde(default)]
    pub carried_over: Option<Spanned<PartRaw>>,
    #[serde(default)]
    pub target: Vec<TargetRaw>,
}

/// One budget line beside the year's totals: a capital type, or the funds carried over.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartRaw {
    pub allocated: Spanned<Amount>,
    pub disbursed: Spanned<Amount>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BySource {
    #[serde(default)]
    pub central: Option<Spanned<Amount>>,
    #[serde(default)]
    pub local: Option<Spanned<Amount>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetRaw {
    pub by: Spanned<toml::value::Datetime>,
    pub disbursed_percent: Spanned<Amount>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorValue {
    pub actual: Amount,
    #[serde(default)]
    pub target: Option<Amount>,
    /// "khoảng 800": the figure is an estimate.
    #[serde(default)]
    pub approximate: bool,
}

/// A row of a report per sub-area. Keys other than the known ones are free flags
/// (`plan_issued = true`).
#[derive(Debug, Clone, Deserialize)]
pub struct BreakdownRaw {
    pub area: Spanned<String>,
    #[serde(default)]
    pub budget: Option<BudgetRaw>,
    #[serde(default)]
    pub indicators: BTreeMap<String, Spanned<IndicatorValue>>,
    #[serde(flatten)]
    pub flags: BTreeMap<String, toml::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: an integer beyond i64 was refused with serde's English "as i128".
    #[test]
    fn amounts_beyond_i64_are_read_exactly() {
        #[derive(Deserialize)]
        struct T {
            a: Amount,
        }
        let read = |text: &str| toml::from_str::<T>(text).map(|t| t.a.0.to_string());
        assert_eq!(
            read("a = 4444444444444444444335").unwrap(),
            "4444444444444444444335"
        );
        assert_eq!(
            read("a = 79228162514264337593543950335").unwrap(),
            "79228162514264337593543950335"
        );
        let e = read("a = 79228162514264337593543950336").unwrap_err();
        assert!(e.message().contains("quá lớn"), "{}", e.message());
    }
}
