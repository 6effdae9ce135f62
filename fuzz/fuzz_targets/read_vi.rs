//! The number reader: `read_vi` (figures in quotes, read the Vietnamese way) and
//! `ambiguous_reading` (a bare `1.250` that TOML and a Vietnamese reader read differently).
//!
//! Properties, for any UTF-8 input:
//! - nothing panics;
//! - `read_vi` accepts only digits, signs, `.`, `,` and the thousands spaces, and its errors
//!   quote the text they refuse;
//! - what it reads, written back the Vietnamese way (`format_number`, with all its decimals or
//!   rounded to 0–4), reads back as the same number (rounded the same way);
//! - `ambiguous_reading` gives TOML's reading and the Vietnamese one, which `decimal_from_str`
//!   and `read_vi` give too, and the second is 1 000 times the first.
#![no_main]

use bantin::locale::{ambiguous_reading, decimal_from_str, format_number, read_vi};
use libfuzzer_sys::fuzz_target;
use rust_decimal::{Decimal, RoundingStrategy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match read_vi(text) {
        Ok(d) => {
            let allowed = |c: char| c.is_ascii_digit() || "+-.,\u{a0}\u{202f} ".contains(c);
            assert!(
                text.trim().chars().all(allowed),
                "{text:?} read as {d} but has other characters"
            );
            let shown = format_number(d, None);
            assert_eq!(read_vi(&shown), Ok(d), "{text:?} → {d} → {shown:?}");
            for n in 0..=4 {
                let rounded = d.round_dp_with_strategy(n, RoundingStrategy::MidpointAwayFromZero);
                let shown = format_number(d, Some(n));
                assert_eq!(
                    read_vi(&shown),
                    Ok(rounded),
                    "{text:?} → {d} → {shown:?} ({n} decimals)"
                );
            }
        }
        Err(msg) => assert!(msg.contains(text), "{text:?}: {msg}"),
    }
    if let Some((toml, vi)) = ambiguous_reading(text) {
        assert_eq!(decimal_from_str(text), Some(toml), "{text:?}");
        assert_eq!(read_vi(text), Ok(vi), "{text:?}");
        assert_eq!(toml * Decimal::ONE_THOUSAND, vi, "{text:?}");
    }
});
