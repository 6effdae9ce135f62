//! "Nice" value axes: 0 to a round number, in 3 to 5 equal steps.
//!
//! Readers compare bar ends against gridlines, so gridlines must fall on
//! numbers people can read at a glance (1.000, 2.000 … or 250, 500 …).
//! The computation is done in `Decimal`, so a tick is exactly "2,5" and
//! never "2,4999999".

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// A value axis from 0 to `step × intervals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Axis {
    pub step: Decimal,
    pub intervals: usize,
}

impl Axis {
    /// The largest value on the axis (where the last gridline is).
    pub fn max(&self) -> Decimal {
        self.step
            .checked_mul(Decimal::from(self.intervals))
            .unwrap_or(Decimal::MAX)
    }

    /// Tick values from 0 to [`Axis::max`], `intervals + 1` of them.
    pub fn ticks(&self) -> Vec<Decimal> {
        (0..=self.intervals)
            .map(|i| {
                self.step
                    .checked_mul(Decimal::from(i))
                    .unwrap_or(Decimal::MAX)
            })
            .collect()
    }
}

/// Chooses the axis for data whose largest value is `max`.
///
/// The step is 1, 2, 2,5 or 5 times a power of ten, the smallest such that
/// at most 5 steps reach `max`; that choice always needs at least 3 steps
/// (the next smaller step needed more than 5, and neighbouring steps differ
/// by at most 2,5×), so there are 3–5 gridlines besides the zero line.
/// Without positive data (no rows, all zeros, only negatives) the axis is
/// 0–4 in steps of 1: something sensible to draw empty bars against.
pub(crate) fn nice_axis(max: Decimal) -> Axis {
    let fallback_empty = Axis {
        step: Decimal::ONE,
        intervals: 4,
    };
    if max <= Decimal::ZERO {
        return fallback_empty;
    }
    // A value too large to be split into round steps: one step of itself.
    let whole = Axis {
        step: max,
        intervals: 1,
    };
    let five = Decimal::from(5);
    let ten = Decimal::TEN;
    let Some(target) = max.checked_div(five) else {
        return whole;
    };
    // Find the power of ten p with p <= target < 10p.
    let mut p = Decimal::ONE;
    for _ in 0..40 {
        if p <= target {
            break;
        }
        let smaller = p / ten;
        if smaller.is_zero() {
            break;
        }
        p = smaller;
    }
    for _ in 0..40 {
        match p.checked_mul(ten) {
            Some(bigger) if bigger <= target => p = bigger,
            _ => break,
        }
    }
    let multipliers = [Decimal::ONE, Decimal::TWO, Decimal::new(25, 1), five, ten];
    for m in multipliers {
        let Some(step) = p.checked_mul(m) else {
            break;
        };
        let Some(intervals) = max
            .checked_div(step)
            .map(|q| q.ceil())
            .and_then(|q| q.to_usize())
        else {
            continue;
        };
        if (1..=5).contains(&intervals) {
            // The axis end must be representable.
            if step.checked_mul(Decimal::from(intervals)).is_some() {
                return Axis {
                    step: step.normalize(),
                    intervals,
                };
            }
        }
    }
    whole
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn typical_budget_axes() {
        let cases = [
            ("3829", "1000", 4),
            ("1393", "500", 3),
            ("1000", "200", 5),
            ("101", "25", 5),
            ("100", "20", 5),
            ("1", "0.2", 5),
            ("0.3", "0.1", 3),
            ("7", "2", 4),
            ("12", "2.5", 5),
            ("999999", "200000", 5),
        ];
        for (max, step, n) in cases {
            let a = nice_axis(d(max));
            assert_eq!((a.step, a.intervals), (d(step), n), "max {max}");
        }
    }

    #[test]
    fn always_three_to_five_steps_covering_the_data() {
        let mut v = d("0.0001");
        while v < d("100000000000") {
            let a = nice_axis(v);
            assert!((3..=5).contains(&a.intervals), "{v}: {a:?}");
            assert!(a.max() >= v, "{v}: {a:?}");
            assert_eq!(a.ticks().len(), a.intervals + 1);
            v = v * d("1.37") + d("0.0001");
        }
    }

    #[test]
    fn degenerate_maxima_do_not_panic() {
        assert_eq!(nice_axis(Decimal::ZERO).intervals, 4);
        assert_eq!(nice_axis(d("-5")).max(), d("4"));
        let tiny = nice_axis(Decimal::new(1, 28));
        assert!(tiny.max() >= Decimal::new(1, 28));
        let huge = nice_axis(Decimal::MAX);
        assert!(huge.max() >= Decimal::MAX);
        assert!(!huge.ticks().is_empty());
        let big = nice_axis(Decimal::MAX / Decimal::from(3));
        assert!(big.max() >= Decimal::MAX / Decimal::from(3));
    }

    #[test]
    fn ticks_are_exact_decimals() {
        let a = nice_axis(d("12"));
        let ticks: Vec<String> = a
            .ticks()
            .iter()
            .map(|t| t.normalize().to_string())
            .collect();
        assert_eq!(ticks, ["0", "2.5", "5", "7.5", "10", "12.5"]);
    }
}
