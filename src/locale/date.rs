//! Vietnamese date formatting and lenient date parsing.
//!
//! The wording follows what Vietnamese government portals print
//! ("Thứ Năm, ngày 18 tháng 7 năm 2024", "Thứ 5, ngày 18/07/2024"). It is
//! written out by hand instead of using chrono's `unstable-locales`
//! feature: that pulls in a large locale database, and its `vi_VN` data
//! does not match the portal conventions (capitalised weekday, no leading
//! zero in the long form, "tháng 7/2024").

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, Timelike, Weekday};

/// Vietnam's zone (UTC+07:00, no daylight saving). Dates written without an
/// offset are taken to be in this zone, because that is where every author
/// and reader of these bulletins is.
pub const DEFAULT_OFFSET: FixedOffset = match FixedOffset::east_opt(7 * 3600) {
    Some(offset) => offset,
    None => panic!("+07:00 is a valid offset"),
};

/// How a date is written. The names are what templates and configuration
/// files use (`date_vi(style="portal")`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DateStyle {
    /// "Thứ Năm, ngày 18 tháng 7 năm 2024"
    #[default]
    Long,
    /// "Thứ 5, ngày 18 tháng 7 năm 2024" (weekday as a number, as on the
    /// provincial portals)
    Portal,
    /// "18/07/2024"
    Short,
    /// "18/07/2024 11:38"
    Datetime,
    /// "tháng 7/2024"
    MonthYear,
    /// "2024-07-18", for `<time datetime>` attributes and feeds.
    Iso,
}

impl DateStyle {
    /// Every style, in the order they are listed in error messages.
    pub const ALL: [DateStyle; 6] = [
        DateStyle::Long,
        DateStyle::Portal,
        DateStyle::Short,
        DateStyle::Datetime,
        DateStyle::MonthYear,
        DateStyle::Iso,
    ];

    /// The name used in templates and configuration.
    pub fn name(self) -> &'static str {
        match self {
            DateStyle::Long => "long",
            DateStyle::Portal => "portal",
            DateStyle::Short => "short",
            DateStyle::Datetime => "datetime",
            DateStyle::MonthYear => "month_year",
            DateStyle::Iso => "iso",
        }
    }

    /// "long, portal, short, datetime, month_year, iso": for error messages.
    pub fn valid_names() -> String {
        Self::ALL.map(Self::name).join(", ")
    }
}

impl fmt::Display for DateStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An unknown date style name. Its message (in Vietnamese, since site
/// authors read it) repeats the bad name and lists the valid ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseDateStyleError {
    /// The name that was given.
    pub given: String,
}

impl fmt::Display for ParseDateStyleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "kiểu ngày \"{}\" không hợp lệ; dùng một trong: {}",
            self.given,
            DateStyle::valid_names()
        )
    }
}

impl std::error::Error for ParseDateStyleError {}

impl FromStr for DateStyle {
    type Err = ParseDateStyleError;

    /// Exact, case-sensitive names: configuration typos should be reported,
    /// not silently guessed at.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|style| style.name() == s)
            .ok_or_else(|| ParseDateStyleError {
                given: s.to_owned(),
            })
    }
}

/// "Thứ Hai" … "Chủ Nhật", capitalised as in headings and datelines.
pub fn weekday_long(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Thứ Hai",
        Weekday::Tue => "Thứ Ba",
        Weekday::Wed => "Thứ Tư",
        Weekday::Thu => "Thứ Năm",
        Weekday::Fri => "Thứ Sáu",
        Weekday::Sat => "Thứ Bảy",
        Weekday::Sun => "Chủ Nhật",
    }
}

/// "Thứ 2" … "Thứ 7", "Chủ Nhật": the numbered form the portals use.
/// Sunday has no number in Vietnamese ("Thứ 1" is not said).
pub fn weekday_portal(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Thứ 2",
        Weekday::Tue => "Thứ 3",
        Weekday::Wed => "Thứ 4",
        Weekday::Thu => "Thứ 5",
        Weekday::Fri => "Thứ 6",
        Weekday::Sat => "Thứ 7",
        Weekday::Sun => "Chủ Nhật",
    }
}

/// Formats a calendar date. A date has no time of day, so
/// [`DateStyle::Datetime`] falls back to the [`DateStyle::Short`] form rather
/// than printing an invented "00:00".
pub fn format_date(date: NaiveDate, style: DateStyle) -> String {
    let (d, m, y) = (date.day(), date.month(), date.year());
    match style {
        DateStyle::Long => format!(
            "{}, ngày {d} tháng {m} năm {y}",
            weekday_long(date.weekday())
        ),
        DateStyle::Portal => format!(
            "{}, ngày {d} tháng {m} năm {y}",
            weekday_portal(date.weekday())
        ),
        DateStyle::Short | DateStyle::Datetime => format!("{d:02}/{m:02}/{y:04}"),
        DateStyle::MonthYear => format!("tháng {m}/{y}"),
        DateStyle::Iso => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// Formats a date-time in its own offset. No zone conversion happens
/// here: the value is shown as written, so "11:38+07:00" prints "11:38".
/// Callers that want Vietnam time for values written in another zone
/// convert first with `dt.with_timezone(&DEFAULT_OFFSET)`.
pub fn format_datetime(dt: &DateTime<FixedOffset>, style: DateStyle) -> String {
    match style {
        DateStyle::Datetime => format!(
            "{} {:02}:{:02}",
            format_date(dt.date_naive(), DateStyle::Short),
            dt.hour(),
            dt.minute()
        ),
        other => format_date(dt.date_naive(), other),
    }
}

/// English month names, for the English pages ([`format_date_en`]).
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar date on an English page, in the same styles as [`format_date`]: British order
/// ("5 December 2026"), which reads unambiguously and is what Vietnamese ministries' English
/// pages print. Long drops the weekday, Portal keeps it ("Saturday, 5 December 2026"); Short
/// spells the month ("5 Dec 2026") because "05/12/2026" means May to American readers.
pub fn format_date_en(date: NaiveDate, style: DateStyle) -> String {
    let (d, m, y) = (date.day(), date.month(), date.year());
    let month = MONTHS_EN[(m - 1) as usize];
    match style {
        DateStyle::Long => format!("{d} {month} {y}"),
        DateStyle::Portal => format!("{}, {d} {month} {y}", weekday_en(date.weekday())),
        DateStyle::Short | DateStyle::Datetime => format!("{d} {} {y}", &month[..3]),
        DateStyle::MonthYear => format!("{month} {y}"),
        DateStyle::Iso => format!("{y:04}-{m:02}-{d:02}"),
    }
}

/// [`format_datetime`] for English pages ("5 Dec 2026 11:38").
pub fn format_datetime_en(dt: &DateTime<FixedOffset>, style: DateStyle) -> String {
    match style {
        DateStyle::Datetime => format!(
            "{} {:02}:{:02}",
            format_date_en(dt.date_naive(), DateStyle::Short),
            dt.hour(),
            dt.minute()
        ),
        other => format_date_en(dt.date_naive(), other),
    }
}

fn weekday_en(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Reads a date from front matter or data files.
///
/// Accepted, after trimming surrounding whitespace:
/// - RFC 3339 with an offset: "2024-07-18T11:38:00+07:00", "…Z";
/// - a local date-time without offset, with "T" or a space:
///   "2024-07-18T11:38:00", "2024-07-18 11:38:00" (fractional seconds and
///   a missing seconds field are tolerated, as TOML and spreadsheets
///   produce both);
/// - a plain date "2024-07-18", taken as midnight.
///
/// Values without an offset are placed in [`DEFAULT_OFFSET`] (+07:00).
/// Anything else gives `None`; the caller reports it with the file name.
pub fn parse_date_value(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt);
    }
    const LOCAL_FORMATS: [&str; 4] = [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ];
    let local = LOCAL_FORMATS
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(s, fmt).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    local.and_local_timezone(DEFAULT_OFFSET).single()
}

/// Like [`parse_date_value`], but only for a bare "YYYY-MM-DD" date.
/// Used by the template filter so that a date without a time is formatted
/// as a date (no made-up "00:00" in the `datetime` style).
pub fn parse_plain_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    // chrono accepts one-digit months and days; a plain ISO date is always
    // exactly 10 characters, which keeps this strict.
    if s.len() != 10 {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// One real date per weekday (checked against a printed calendar):
    /// 2022-12-12 is a Monday, 2024-07-18 a Thursday.
    const WEEK: [((i32, u32, u32), &str, &str); 7] = [
        ((2022, 12, 12), "Thứ Hai", "Thứ 2"),
        ((2022, 12, 13), "Thứ Ba", "Thứ 3"),
        ((2024, 7, 17), "Thứ Tư", "Thứ 4"),
        ((2024, 7, 18), "Thứ Năm", "Thứ 5"),
        ((2024, 7, 19), "Thứ Sáu", "Thứ 6"),
        ((2024, 7, 20), "Thứ Bảy", "Thứ 7"),
        ((2024, 7, 21), "Chủ Nhật", "Chủ Nhật"),
    ];

    #[test]
    fn english_styles() {
        let date = ymd(2026, 12, 5);
        assert_eq!(format_date_en(date, DateStyle::Long), "5 December 2026");
        assert_eq!(
            format_date_en(date, DateStyle::Portal),
            "Saturday, 5 December 2026"
        );
        assert_eq!(format_date_en(date, DateStyle::Short), "5 Dec 2026");
        assert_eq!(format_date_en(date, DateStyle::MonthYear), "December 2026");
        assert_eq!(format_date_en(date, DateStyle::Iso), "2026-12-05");
        let dt = parse_date_value("2024-07-18T11:38:00+07:00").unwrap();
        assert_eq!(
            format_datetime_en(&dt, DateStyle::Datetime),
            "18 Jul 2024 11:38"
        );
    }

    #[test]
    fn every_weekday_long_and_portal() {
        for ((y, m, d), long, portal) in WEEK {
            let date = ymd(y, m, d);
            let long_want = format!("{long}, ngày {d} tháng {m} năm {y}");
            let portal_want = format!("{portal}, ngày {d} tháng {m} năm {y}");
            assert_eq!(format_date(date, DateStyle::Long), long_want);
            assert_eq!(format_date(date, DateStyle::Portal), portal_want);
        }
    }

    #[test]
    fn all_styles_for_a_datetime() {
        let dt = parse_date_value("2024-07-18T11:38:00+07:00").unwrap();
        let cases = [
            (DateStyle::Long, "Thứ Năm, ngày 18 tháng 7 năm 2024"),
            (DateStyle::Portal, "Thứ 5, ngày 18 tháng 7 năm 2024"),
            (DateStyle::Short, "18/07/2024"),
            (DateStyle::Datetime, "18/07/2024 11:38"),
            (DateStyle::MonthYear, "tháng 7/2024"),
            (DateStyle::Iso, "2024-07-18"),
        ];
        for (style, want) in cases {
            assert_eq!(format_datetime(&dt, style), want, "style {style}");
        }
    }

    #[test]
    fn all_styles_for_a_plain_date() {
        let date = ymd(2022, 12, 5);
        let cases = [
            (DateStyle::Long, "Thứ Hai, ngày 5 tháng 12 năm 2022"),
            (DateStyle::Portal, "Thứ 2, ngày 5 tháng 12 năm 2022"),
            (DateStyle::Short, "05/12/2022"),
            (DateStyle::Datetime, "05/12/2022"),
            (DateStyle::MonthYear, "tháng 12/2022"),
            (DateStyle::Iso, "2022-12-05"),
        ];
        for (style, want) in cases {
            assert_eq!(format_date(date, style), want, "style {style}");
        }
    }

    #[test]
    fn datetime_is_shown_in_its_own_offset() {
        // 23:30 UTC on the 17th is already the 18th in Vietnam; the value
        // is shown as written, conversion is the caller's choice.
        let dt = parse_date_value("2024-07-17T23:30:00Z").unwrap();
        assert_eq!(
            format_datetime(&dt, DateStyle::Datetime),
            "17/07/2024 23:30"
        );
        let vn = dt.with_timezone(&DEFAULT_OFFSET);
        assert_eq!(
            format_datetime(&vn, DateStyle::Datetime),
            "18/07/2024 06:30"
        );
        assert_eq!(
            format_datetime(&vn, DateStyle::Long),
            "Thứ Năm, ngày 18 tháng 7 năm 2024"
        );
    }

    #[test]
    fn parse_accepted_forms() {
        let cases = [
            ("2024-07-18T11:38:00+07:00", "2024-07-18T11:38:00+07:00"),
            ("2024-07-18T04:38:00Z", "2024-07-18T04:38:00+00:00"),
            (
                "2024-07-18T11:38:00.250+07:00",
                "2024-07-18T11:38:00.250+07:00",
            ),
            ("2024-07-18T11:38:00-05:00", "2024-07-18T11:38:00-05:00"),
            ("2024-07-18T11:38:00", "2024-07-18T11:38:00+07:00"),
            ("2024-07-18 11:38:00", "2024-07-18T11:38:00+07:00"),
            ("2024-07-18T11:38:00.5", "2024-07-18T11:38:00.500+07:00"),
            ("2024-07-18T11:38", "2024-07-18T11:38:00+07:00"),
            ("2024-07-18", "2024-07-18T00:00:00+07:00"),
            ("  2024-07-18\n", "2024-07-18T00:00:00+07:00"),
            ("2024-02-29", "2024-02-29T00:00:00+07:00"),
        ];
        for (input, want) in cases {
            let got = parse_date_value(input).unwrap_or_else(|| panic!("{input:?}"));
            let want = DateTime::parse_from_rfc3339(want).unwrap();
            assert_eq!(got, want, "input {input:?}");
            assert_eq!(got.offset(), want.offset(), "input {input:?}");
        }
    }

    #[test]
    fn parse_rejects_garbage() {
        for input in [
            "",
            "hôm nay",
            "18/07/2024",
            "2024-13-01",
            "2023-02-29",
            "2024-07-18T25:00:00",
            "2024-07-18x",
            "20240718",
        ] {
            assert_eq!(parse_date_value(input), None, "input {input:?}");
        }
    }

    #[test]
    fn plain_date_detection() {
        assert_eq!(parse_plain_date("2024-07-18"), Some(ymd(2024, 7, 18)));
        assert_eq!(parse_plain_date(" 2024-07-18 "), Some(ymd(2024, 7, 18)));
        assert_eq!(parse_plain_date("2024-7-18"), None);
        assert_eq!(parse_plain_date("2024-07-18T00:00:00"), None);
    }

    #[test]
    fn style_names_round_trip_and_errors() {
        for style in DateStyle::ALL {
            assert_eq!(style.name().parse::<DateStyle>(), Ok(style));
        }
        let err = "Long".parse::<DateStyle>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "kiểu ngày \"Long\" không hợp lệ; dùng một trong: \
             long, portal, short, datetime, month_year, iso"
        );
        assert!("".parse::<DateStyle>().is_err());
        assert!("month-year".parse::<DateStyle>().is_err());
    }
}
