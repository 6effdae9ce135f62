//! Amounts of money in Vietnamese đồng, in the units bulletins use.
//!
//! Budgets are recorded in one unit (usually "triệu đồng", as in the
//! province's capital plan tables) and shown in another ("tỷ đồng" in
//! headlines). Conversion is by powers of ten on exact decimals, so no
//! amount ever picks up binary floating-point noise or scientific notation.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::number::format_number;

/// A unit of Vietnamese đồng.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MoneyUnit {
    /// đồng (×1)
    Dong,
    /// nghìn đồng (×1.000)
    NghinDong,
    /// triệu đồng (×1.000.000)
    TrieuDong,
    /// tỷ đồng (×1.000.000.000)
    TyDong,
}

impl MoneyUnit {
    /// Every unit, smallest first, in the order listed in error messages.
    pub const ALL: [MoneyUnit; 4] = [
        MoneyUnit::Dong,
        MoneyUnit::NghinDong,
        MoneyUnit::TrieuDong,
        MoneyUnit::TyDong,
    ];

    /// The ASCII name used in templates and data files ("trieu-dong"):
    /// ASCII so that authors can type it on any keyboard.
    pub fn name(self) -> &'static str {
        match self {
            MoneyUnit::Dong => "dong",
            MoneyUnit::NghinDong => "nghin-dong",
            MoneyUnit::TrieuDong => "trieu-dong",
            MoneyUnit::TyDong => "ty-dong",
        }
    }

    /// The word printed after the amount. "nghìn" and "tỷ" are the
    /// spellings of the official documents (rather than "ngàn", "tỉ").
    pub fn word(self) -> &'static str {
        match self {
            MoneyUnit::Dong => "đồng",
            MoneyUnit::NghinDong => "nghìn đồng",
            MoneyUnit::TrieuDong => "triệu đồng",
            MoneyUnit::TyDong => "tỷ đồng",
        }
    }

    /// Power of ten of one unit, in đồng.
    fn exponent(self) -> u32 {
        match self {
            MoneyUnit::Dong => 0,
            MoneyUnit::NghinDong => 3,
            MoneyUnit::TrieuDong => 6,
            MoneyUnit::TyDong => 9,
        }
    }

    /// "dong, nghin-dong, trieu-dong, ty-dong": for error messages.
    pub fn valid_names() -> String {
        Self::ALL.map(Self::name).join(", ")
    }
}

impl fmt::Display for MoneyUnit {
    /// Displays the template name, so that `to_string` and `FromStr`
    /// round-trip; use [`MoneyUnit::word`] for the Vietnamese word.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown money unit name; the Vietnamese message lists valid names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseMoneyUnitError {
    /// The name that was given.
    pub given: String,
}

impl fmt::Display for ParseMoneyUnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "đơn vị tiền \"{}\" không hợp lệ; dùng một trong: {}",
            self.given,
            MoneyUnit::valid_names()
        )
    }
}

impl std::error::Error for ParseMoneyUnitError {}

impl FromStr for MoneyUnit {
    type Err = ParseMoneyUnitError;

    /// Exact names only ("trieu-dong", not "triệu đồng" or "Trieu-dong"),
    /// so that a typo is reported instead of silently mis-scaling money.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|unit| unit.name() == s)
            .ok_or_else(|| ParseMoneyUnitError {
                given: s.to_owned(),
            })
    }
}

/// Converts `amount` from one unit to another, exactly.
///
/// Going to a larger unit divides by a power of ten, which `Decimal`
/// represents exactly (3829 triệu → 3.829 tỷ) as long as the result needs
/// at most 28 decimal places. Going to a smaller unit multiplies and
/// returns `None` if the result exceeds `Decimal`'s range (about 7,9 × 10²⁸
/// đồng, far beyond any real budget).
pub fn convert_money(amount: Decimal, from: MoneyUnit, to: MoneyUnit) -> Option<Decimal> {
    let (f, t) = (from.exponent(), to.exponent());
    if f >= t {
        amount.checked_mul(Decimal::from(10u64.pow(f - t)))
    } else {
        amount.checked_div(Decimal::from(10u64.pow(t - f)))
    }
}

/// Converts and formats an amount: 3829 triệu → "3,83 tỷ đồng" (to
/// `TyDong`, 2 decimals). `decimals` works as in
/// [`format_number`]: `None` shows every
/// significant decimal, `Some(n)` rounds half away from zero to `n`.
///
/// Returns `None` only when the conversion overflows (see
/// [`convert_money`]).
pub fn format_money(
    amount: Decimal,
    from: MoneyUnit,
    to: MoneyUnit,
    decimals: Option<u32>,
) -> Option<String> {
    let converted = convert_money(amount, from, to)?;
    Some(format!(
        "{} {}",
        format_number(converted, decimals),
        to.word()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use MoneyUnit::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn format_money_table() {
        let cases: &[(&str, MoneyUnit, MoneyUnit, Option<u32>, &str)] = &[
            ("3829", TrieuDong, TrieuDong, None, "3.829 triệu đồng"),
            ("3829", TrieuDong, TyDong, Some(2), "3,83 tỷ đồng"),
            ("3829", TrieuDong, TyDong, None, "3,829 tỷ đồng"),
            ("85000", TrieuDong, TyDong, None, "85 tỷ đồng"),
            ("85000", TrieuDong, TyDong, Some(0), "85 tỷ đồng"),
            ("3829", TrieuDong, Dong, None, "3.829.000.000 đồng"),
            ("3829", TrieuDong, NghinDong, None, "3.829.000 nghìn đồng"),
            ("1.5", TyDong, TrieuDong, None, "1.500 triệu đồng"),
            ("0", TyDong, Dong, None, "0 đồng"),
            ("-250", TrieuDong, TyDong, Some(2), "-0,25 tỷ đồng"),
            ("-0.4", TrieuDong, TyDong, Some(2), "0,00 tỷ đồng"),
            ("500", Dong, TyDong, None, "0,0000005 tỷ đồng"),
            ("5", TrieuDong, TyDong, Some(2), "0,01 tỷ đồng"),
            ("-5", TrieuDong, TyDong, Some(2), "-0,01 tỷ đồng"),
            ("1000000000", TyDong, TyDong, None, "1.000.000.000 tỷ đồng"),
            (
                "1000000000000",
                TyDong,
                Dong,
                None,
                "1.000.000.000.000.000.000.000 đồng",
            ),
            (
                "123456789.123456789",
                TrieuDong,
                TrieuDong,
                Some(3),
                "123.456.789,123 triệu đồng",
            ),
        ];
        for &(amount, from, to, decimals, want) in cases {
            assert_eq!(
                format_money(dec(amount), from, to, decimals).as_deref(),
                Some(want),
                "{amount} {from} -> {to} {decimals:?}"
            );
        }
    }

    #[test]
    fn conversion_is_exact_and_reversible() {
        for from in MoneyUnit::ALL {
            for to in MoneyUnit::ALL {
                let amount = dec("3829.125");
                let there = convert_money(amount, from, to).unwrap();
                let back = convert_money(there, to, from).unwrap();
                assert_eq!(back, amount, "{from} -> {to} -> {from}");
            }
        }
        assert_eq!(
            convert_money(Decimal::from(3829), TrieuDong, TyDong),
            Some(dec("3.829"))
        );
    }

    #[test]
    fn overflow_is_none_not_a_panic() {
        assert_eq!(convert_money(Decimal::MAX, TyDong, Dong), None);
        assert_eq!(format_money(Decimal::MAX, TyDong, Dong, None), None);
        assert!(format_money(Decimal::MAX, Dong, TyDong, Some(0)).is_some());
    }

    #[test]
    fn unit_names_and_words() {
        let words = ["đồng", "nghìn đồng", "triệu đồng", "tỷ đồng"];
        for (unit, word) in MoneyUnit::ALL.into_iter().zip(words) {
            assert_eq!(unit.name().parse::<MoneyUnit>(), Ok(unit));
            assert_eq!(unit.to_string().parse::<MoneyUnit>(), Ok(unit));
            assert_eq!(unit.word(), word);
        }
        for bad in [
            "",
            "trieu",
            "triệu đồng",
            "Trieu-dong",
            "ty_dong",
            "ti-dong",
        ] {
            let err = bad.parse::<MoneyUnit>().unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "đơn vị tiền \"{bad}\" không hợp lệ; dùng một trong: \
                     dong, nghin-dong, trieu-dong, ty-dong"
                )
            );
        }
    }
}
