//! Vietnamese locale support: slugs, dates, numbers, money, collation.
//!
//! Everything here is pure (no I/O, no global mutable state; the collator
//! is built once and then only read), so it can be called from parallel
//! page rendering and tested in isolation.

pub mod collate;
pub mod date;
pub mod money;
pub mod nfc;
pub mod number;
pub mod slug;

pub use collate::{sort_vi, vi_cmp};
pub use date::{
    format_date, format_datetime, parse_date_value, parse_plain_date, weekday_long, weekday_portal,
    DateStyle, ParseDateStyleError, DEFAULT_OFFSET,
};
pub use money::{convert_money, format_money, MoneyUnit, ParseMoneyUnitError};
pub use nfc::{is_nfc_fast, normalize_owned, normalize_text};
pub use number::{
    ambiguous_reading, decimal_from_json, decimal_from_str, format_number, format_percent,
    format_rate, percent_of, read_vi, DEFAULT_RATE_DECIMALS,
};
pub use slug::{is_latin_letter, slugify, SlugSet};
