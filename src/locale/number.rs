//! Exact decimal numbers in Vietnamese notation: "1.234.567,5".
//!
//! Progress bulletins print budget figures and percentages that readers
//! check against official reports, so arithmetic is done with
//! `rust_decimal::Decimal` (base-10, 28 significant digits) instead of
//! `f64`: 1393 / 3829 × 100 must display as "36,38", never "36,379999",
//! and 0,5 must round the way Vietnamese accounting rounds (half away from
//! zero), not to even.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

/// Formats `d` with "." between thousands and "," before decimals.
///
/// - `decimals: None` shows as many decimals as the value has, with
///   trailing zeros trimmed ("2,50" → "2,5", "3.829,000" → "3.829").
/// - `decimals: Some(n)` shows exactly `n` decimals, rounding half away
///   from zero ("2,345" → "2,35" at 2; "0,5" → "1" and "-0,5" → "-1" at 0).
///
/// A value that is zero after rounding never shows a minus sign
/// ("-0,001" at 2 → "0,00"): a "-0" in a report reads as an error.
pub fn format_number(d: Decimal, decimals: Option<u32>) -> String {
    let value = match decimals {
        Some(n) => d.round_dp_with_strategy(n, RoundingStrategy::MidpointAwayFromZero),
        None => d.normalize(),
    };
    // `Decimal`'s Display never uses scientific notation and prints the
    // value's own scale, so the digits can be regrouped textually.
    let plain = value.abs().to_string();
    let (int_part, frac_part) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut frac = frac_part.to_owned();
    if let Some(n) = decimals {
        // Rounding never lengthens the fraction, it may leave it short
        // ("2" at 2 decimals): pad to exactly n digits.
        let n = n as usize;
        while frac.len() < n {
            frac.push('0');
        }
    }

    let mut out = String::with_capacity(plain.len() + plain.len() / 3 + 2);
    if value.is_sign_negative() && !value.is_zero() {
        out.push('-');
    }
    out.push_str(&group_thousands(int_part));
    if !frac.is_empty() {
        out.push(',');
        out.push_str(&frac);
    }
    out
}

/// [`format_number`] for English pages: "," between thousands and "." before decimals
/// ("1,250.5"), the same rounding.
pub fn format_number_en(d: Decimal, decimals: Option<u32>) -> String {
    to_english(&format_number(d, decimals))
}

/// Vietnamese separators swapped for English ones ("1.250,5" → "1,250.5", "36,38%" →
/// "36.38%"): the digits and rounding stay those of the one Vietnamese formatter.
pub fn to_english(vi: &str) -> String {
    vi.chars()
        .map(|c| match c {
            '.' => ',',
            ',' => '.',
            c => c,
        })
        .collect()
}

/// Inserts "." every three digits from the right: "1234567" → "1.234.567".
fn group_thousands(digits: &str) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// Formats a value that is already a percentage: 36.38 → "36,38%".
/// No space before "%", as the Vietnamese government portals write it.
/// How many decimals a computed rate has when a site does not say (`rate_decimals` in
/// `config.toml`): the seed's bulletin writes 36,38%.
pub const DEFAULT_RATE_DECIMALS: u32 = 2;

/// A computed rate as every page, chart and file of a site shows it: rounded half away from
/// zero to exactly `decimals` decimals ("36,38%", "75,00%"), so one figure reads the same
/// wherever it appears. (Percentages written in the data, like targets, keep their form
/// through [`format_percent`].)
pub fn format_rate(d: Decimal, decimals: u32) -> String {
    let rounded = d.round_dp_with_strategy(
        decimals,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    );
    format_percent(rounded, Some(decimals))
}

pub fn format_percent(d: Decimal, decimals: Option<u32>) -> String {
    let mut s = format_number(d, decimals);
    s.push('%');
    s
}

/// `part` as a percentage of `whole`, computed exactly enough that display
/// rounding is always right (28 significant digits).
///
/// Returns `None` when `whole` is zero (a percentage of nothing has no
/// meaningful value; the template shows a dash or omits it) or on overflow.
/// Multiplying by 100 first keeps one division, hence one rounding step;
/// for huge parts that would overflow, it divides first instead.
pub fn percent_of(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    let hundred = Decimal::ONE_HUNDRED;
    part.checked_mul(hundred)
        .and_then(|p| p.checked_div(whole))
        .or_else(|| part.checked_div(whole)?.checked_mul(hundred))
}

/// Parses a plain decimal string: optional sign, ASCII digits, optional
/// "." and more digits ("1234.5", "-0.25", "+3"). Surrounding whitespace
/// is ignored.
///
/// Vietnamese notation ("1.234,5") is deliberately *not* accepted: "1.234"
/// would mean 1234 to a Vietnamese reader and 1,234 to a program, and data
/// files are written by both. Requiring the plain form makes every input
/// unambiguous; the display side adds the Vietnamese separators. Exponents,
/// "_" separators (which `Decimal::from_str` would silently skip), "NaN",
/// and values beyond `Decimal`'s range (about 7,9 × 10²⁸) give `None`.
pub fn decimal_from_str(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || !frac_part.is_none_or(all_digits) {
        return None;
    }
    Decimal::from_str(s.strip_prefix('+').unwrap_or(s)).ok()
}

/// Reads a figure written as text the way a Vietnamese reader reads it: "." (or a space)
/// groups thousands, "," starts the decimals. "1.250" is 1250, "1.250,5" is 1250.5, "540,5"
/// is 540.5, "1 250" is 1250, "3829" is 3829. A dot that cannot be a thousands separator
/// ("1393.5") is refused rather than guessed. `Err` says, in Vietnamese, how to write it.
pub fn read_vi(text: &str) -> Result<Decimal, String> {
    let s = text.trim();
    let (negative, unsigned) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int_part, frac) = match unsigned.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let not_a_number = || {
        format!(
            "\"{text}\" không phải số; viết theo cách Việt Nam trong dấu nháy (\"1.250\" là một nghìn hai trăm năm mươi, \"540,5\" là năm trăm bốn mươi phẩy năm) hoặc số không dấu nháy với dấu chấm thập phân (540.5)"
        )
    };
    if frac.is_some_and(|f| !digits(f)) {
        return Err(not_a_number());
    }
    let int_digits = ungroup_thousands(int_part).ok_or_else(|| {
        match (int_part.split_once('.'), frac) {
            (Some((i, f)), None) if digits(i) && digits(f) => format!(
                "\"{text}\": dấu chấm ở đây không phải dấu phân cách hàng nghìn (sau nó không đủ ba chữ số); trong dấu nháy, phần thập phân viết sau dấu phẩy: \"{i},{f}\" (hoặc viết {i}.{f} không có dấu nháy)"
            ),
            _ => not_a_number(),
        }
    })?;
    let mut plain = String::with_capacity(int_digits.len() + 8);
    if negative {
        plain.push('-');
    }
    plain.push_str(&int_digits);
    if let Some(f) = frac {
        plain.push('.');
        plain.push_str(f);
    }
    decimal_from_str(&plain).ok_or_else(|| format!("số \"{text}\" quá lớn"))
}

/// The digits of an integer part written with thousands separators (one kind: ".", a space,
/// a no-break space) in groups of three, or without any; `None` otherwise.
fn ungroup_thousands(int_part: &str) -> Option<String> {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let sep = int_part
        .chars()
        .find(|c| matches!(c, '.' | ' ' | '\u{a0}' | '\u{202f}'));
    let Some(sep) = sep else {
        return digits(int_part).then(|| int_part.to_string());
    };
    let groups: Vec<&str> = int_part.split(sep).collect();
    let first_ok = groups[0].len() <= 3 && digits(groups[0]);
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3 && digits(g));
    (first_ok && rest_ok).then(|| groups.concat())
}

/// A bare TOML number that a Vietnamese reader reads differently from TOML: one dot followed
/// by exactly three digits, after one to three digits that do not start with 0 ("1.250",
/// "3.829"). TOML reads 1.25 and 3.829; the reader, 1250 and 3829. Returns both readings.
pub fn ambiguous_reading(token: &str) -> Option<(Decimal, Decimal)> {
    let unsigned = token.strip_prefix(['-', '+']).unwrap_or(token);
    let (i, f) = unsigned.split_once('.')?;
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if !(digits(i) && digits(f) && i.len() <= 3 && f.len() == 3 && !i.starts_with('0')) {
        return None;
    }
    let toml = decimal_from_str(token)?;
    let vi = read_vi(token).ok()?;
    Some((toml, vi))
}

/// Reads a number from JSON/TOML-derived template data.
///
/// - JSON integers convert exactly.
/// - JSON floats convert through their shortest round-trip display string
///   (serde_json prints them with `ryu`), so 36.38 stays 36.38 instead of
///   becoming 36.3799999999999954525264911353588104248046875.
/// - Strings go through [`decimal_from_str`] (plain "1234.5" form only);
///   this is how exact decimals are passed when a float would lose digits.
///
/// Anything else (bool, null, arrays, non-numeric strings) gives `None`.
pub fn decimal_from_json(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Some(Decimal::from(i))
            } else if let Some(u) = n.as_u64() {
                Some(Decimal::from(u))
            } else {
                let text = n.to_string();
                // Very large or small floats display with an exponent
                // ("1e21"); `from_scientific` reads those exactly.
                Decimal::from_str(&text)
                    .or_else(|_| Decimal::from_scientific(&text))
                    .ok()
            }
        }
        Value::String(s) => decimal_from_str(s),
        _ => None,
    }
}

/// Seconds with two decimals and a Vietnamese decimal comma ("2,68"), for build times.
pub fn seconds(d: std::time::Duration) -> String {
    format!("{:.2}", d.as_secs_f64()).replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn read_vi_table() {
        let ok: &[(&str, &str)] = &[
            ("1.250", "1250"),
            ("1.250,5", "1250.5"),
            ("540,5", "540.5"),
            ("3829", "3829"),
            ("1 250", "1250"),
            ("1\u{a0}250,75", "1250.75"),
            ("1.234.567", "1234567"),
            ("-1.250", "-1250"),
            ("+12", "12"),
            (" 0,5 ", "0.5"),
        ];
        for (text, want) in ok {
            assert_eq!(read_vi(text), Ok(dec(want)), "{text}");
        }
        for bad in [
            "1393.5", "1.25", "12.3456", "1,2,3", "", "abc", "1.250.5", "1_250", "1e3", ",5", "1,",
        ] {
            assert!(read_vi(bad).is_err(), "{bad}");
        }
        let msg = read_vi("1393.5").unwrap_err();
        assert!(msg.contains("\"1393,5\""), "{msg}");
    }

    #[test]
    fn ambiguous_bare_numbers() {
        assert_eq!(ambiguous_reading("1.250"), Some((dec("1.25"), dec("1250"))));
        assert_eq!(
            ambiguous_reading("3.829"),
            Some((dec("3.829"), dec("3829")))
        );
        assert_eq!(
            ambiguous_reading("-12.500"),
            Some((dec("-12.5"), dec("-12500")))
        );
        for plain in [
            "1393.5",
            "0.125",
            "1.25",
            "1250",
            "1234.567",
            "68.5",
            "2022-11-30",
        ] {
            assert_eq!(ambiguous_reading(plain), None, "{plain}");
        }
    }

    #[test]
    fn format_number_table() {
        let cases: &[(&str, Option<u32>, &str)] = &[
            ("0", None, "0"),
            ("0", Some(2), "0,00"),
            ("0.000", None, "0"),
            ("-0", None, "0"),
            ("-0.001", Some(2), "0,00"),
            ("-0.4", Some(0), "0"),
            ("3829", None, "3.829"),
            ("3829.000", None, "3.829"),
            ("1234567.5", None, "1.234.567,5"),
            ("1234567.50", None, "1.234.567,5"),
            ("1234567.5", Some(2), "1.234.567,50"),
            ("-1000000000", None, "-1.000.000.000"),
            ("1000000000", Some(0), "1.000.000.000"),
            ("999", None, "999"),
            ("1000", None, "1.000"),
            ("-999.99", Some(1), "-1.000,0"),
            ("2.345", Some(2), "2,35"),
            ("-2.345", Some(2), "-2,35"),
            ("2.344", Some(2), "2,34"),
            ("0.5", Some(0), "1"),
            ("-0.5", Some(0), "-1"),
            ("1.5", Some(0), "2"),
            ("2.5", Some(0), "3"),
            ("0.05", Some(1), "0,1"),
            ("36.38", None, "36,38"),
            ("0.0001", None, "0,0001"),
            ("12.5", Some(3), "12,500"),
            ("7", Some(30), "7,000000000000000000000000000000"),
            (
                "79228162514264337593543950335",
                None,
                "79.228.162.514.264.337.593.543.950.335",
            ),
        ];
        for &(input, decimals, want) in cases {
            assert_eq!(
                format_number(dec(input), decimals),
                want,
                "input {input} decimals {decimals:?}"
            );
        }
    }

    #[test]
    fn percent_formatting_and_computation() {
        let p = percent_of(Decimal::from(1393), Decimal::from(3829)).unwrap();
        assert_eq!(format_percent(p, Some(2)), "36,38%");
        assert_eq!(p.round_dp(2), dec("36.38"));
        assert_eq!(format_percent(dec("36.38"), None), "36,38%");
        assert_eq!(format_percent(dec("100"), Some(2)), "100,00%");
        assert_eq!(format_percent(dec("-0.004"), Some(2)), "0,00%");
        let third = percent_of(Decimal::ONE, Decimal::from(3)).unwrap();
        assert_eq!(format_percent(third, Some(2)), "33,33%");
        let two_thirds = percent_of(Decimal::TWO, Decimal::from(3)).unwrap();
        assert_eq!(format_percent(two_thirds, Some(1)), "66,7%");
        assert_eq!(
            percent_of(Decimal::from(50), Decimal::from(200)),
            Some(dec("25"))
        );
        assert_eq!(percent_of(Decimal::ONE, Decimal::ZERO), None);
        assert_eq!(
            percent_of(Decimal::ZERO, Decimal::from(5)),
            Some(Decimal::ZERO)
        );
        // Too big to multiply by 100 first: falls back to dividing first.
        let huge = Decimal::MAX;
        assert_eq!(percent_of(huge, huge), Some(Decimal::ONE_HUNDRED));
        assert_eq!(percent_of(huge, Decimal::new(1, 2)), None);
    }

    #[test]
    fn decimal_from_str_accepts_only_plain_form() {
        let good = [
            ("1234.5", "1234.5"),
            ("-0.25", "-0.25"),
            ("+3", "3"),
            (" 42 ", "42"),
            ("0", "0"),
            ("007", "7"),
            ("1000000000", "1000000000"),
        ];
        for (input, want) in good {
            assert_eq!(decimal_from_str(input), Some(dec(want)), "input {input:?}");
        }
        let bad = [
            "",
            " ",
            "-",
            ".5",
            "5.",
            "1.234,5",
            "1,5",
            "1_000",
            "1e3",
            "NaN",
            "abc",
            "1 000",
            "--1",
            "+-1",
            "1.2.3",
            "999999999999999999999999999999",
        ];
        for input in bad {
            assert_eq!(decimal_from_str(input), None, "input {input:?}");
        }
    }

    #[test]
    fn decimal_from_json_table() {
        let cases = [
            (json!(0), Some("0")),
            (json!(3829), Some("3829")),
            (json!(-1000000000), Some("-1000000000")),
            (json!(u64::MAX), Some("18446744073709551615")),
            (json!(36.38), Some("36.38")),
            (json!(0.1), Some("0.1")),
            (json!(-0.5), Some("-0.5")),
            (json!(1e21), Some("1000000000000000000000")),
            (json!(1.5e-7), Some("0.00000015")),
            (json!("1234.5"), Some("1234.5")),
            (json!("1.234,5"), None),
            (json!("abc"), None),
            (json!(null), None),
            (json!(true), None),
            (json!([1]), None),
        ];
        for (input, want) in cases {
            assert_eq!(decimal_from_json(&input), want.map(dec), "input {input}");
        }
        let from_float = decimal_from_json(&json!(36.38)).unwrap();
        assert_eq!(format_number(from_float, None), "36,38");
    }
}
