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
    format_date, format_date_en, format_datetime, format_datetime_en, parse_date_value,
    parse_plain_date, weekday_long, weekday_portal, DateStyle, ParseDateStyleError, DEFAULT_OFFSET,
};
pub use money::{convert_money, format_money, MoneyUnit, ParseMoneyUnitError};
pub use nfc::{is_nfc_fast, normalize_owned, normalize_text};
pub use number::{
    ambiguous_reading, decimal_from_json, decimal_from_str, format_number, format_number_en,
    format_percent, format_rate, percent_of, read_vi, to_english, DEFAULT_RATE_DECIMALS,
};
pub use slug::{is_latin_letter, slugify, SlugSet};

/// The languages a page can be in: Vietnamese (every site) and English (`[languages.en]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The languages `[languages.*]` may configure (Vietnamese is the site's own).
    pub const TRANSLATIONS: [&'static str; 1] = ["en"];

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// Cuts at a word boundary and adds "…" when longer than `max` characters.
pub fn shorten(text: &str, max: usize) -> String {
    // no more bytes than `max`: no more characters either
    if text.len() <= max || text.chars().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if len + n + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
            len += 1;
        }
        out.push_str(word);
        len += n;
    }
    out.push('…');
    out
}
