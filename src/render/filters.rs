//! Tera filters that expose [`crate::locale`] to templates.
//!
//! Templates are edited by provincial staff, not programmers, so every
//! filter fails loudly with a Vietnamese message that names the filter, the
//! bad value and what would have been accepted, instead of printing an
//! empty string or a guess into an official bulletin.
//!
//! | filter | input | arguments |
//! |---|---|---|
//! | `date_vi` | date string | `style` (default: site setting) |
//! | `number_vi` | number | `decimals` (default: as many as the value has) |
//! | `percent_vi` | number, already ×100 | `decimals` (default 2) |
//! | `money_vi` | number | `from` (default "trieu-dong"), `to` (default `from`), `decimals` |
//! | `slugify_vi` | text | — |
//!
//! Numbers may be JSON numbers or plain numeric strings ("1234.5"); exact
//! decimals arrive as strings because a JSON float could lose digits.

use rust_decimal::Decimal;
use tera::{Error, Kwargs, State, TeraResult as Result, Value};

use crate::locale::{
    decimal_from_json, decimal_from_str, format_date, format_datetime, format_money, format_number,
    parse_date_value, parse_plain_date, slugify, DateStyle, Lang, MoneyUnit,
};

/// Largest `decimals` argument accepted: `Decimal` holds at most 28
/// fractional digits, and nothing in a bulletin needs more.
const MAX_DECIMALS: u64 = 28;

/// The key under which the `toml` crate serialises a TOML date-time when
/// front matter is converted to JSON (`{"$__toml_private_datetime": "…"}`).
/// Accepting it means `{{ page.date | date_vi }}` works whether or not the
/// caller stringified dates first.
const TOML_DATETIME_KEY: &str = "$__toml_private_datetime";

/// Registers `date_vi`, `number_vi`, `percent_vi`, `money_vi` and
/// `slugify_vi` on `tera`. `default_style` is the site-wide date style used
/// when a template calls `date_vi` without `style=`.
pub fn register(tera: &mut tera::Tera, default_style: DateStyle, rate_decimals: u32) {
    tera.register_filter("date_vi", move |value: &Value, args: Kwargs, st: &State| {
        date_vi(value, &args, default_style, page_lang(st))
    });
    tera.register_filter("number_vi", |v: &Value, a: Kwargs, st: &State| {
        number_vi(v, &a).map(|s| in_lang(s, page_lang(st)))
    });
    tera.register_filter("percent_vi", move |v: &Value, a: Kwargs, st: &State| {
        percent_vi(v, &a, rate_decimals).map(|s| in_lang(s, page_lang(st)))
    });
    tera.register_filter("money_vi", |v: &Value, a: Kwargs, _: &State| {
        money_vi(v, &a)
    });
    tera.register_filter("slugify_vi", |v: &Value, _: Kwargs, _: &State| {
        slugify_vi(v)
    });
}

/// The language of the page being rendered: the `lang` variable every page context has
/// (`"en"` on English pages); Vietnamese when it is missing (a component's own context, a
/// template rendered outside a page). The filters keep their `_vi` names: English pages are
/// the exception, and a theme's templates stay the same for both.
pub fn page_lang(state: &State) -> Lang {
    state
        .get::<Value>("lang")
        .ok()
        .flatten()
        .and_then(|v| v.as_str().and_then(Lang::from_code))
        .unwrap_or_default()
}

/// A Vietnamese-formatted number as the page's language writes it.
fn in_lang(s: String, lang: Lang) -> String {
    match lang {
        Lang::Vi => s,
        Lang::En => crate::locale::to_english(&s),
    }
}

/// A value as tera 1 (and so bantin's messages) showed it: JSON (`"hôm qua"`, `1.5`, `[1]`).
pub fn shown(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| value.to_string())
}

/// `{{ page.date | date_vi(style="portal") }}`.
///
/// A bare "YYYY-MM-DD" is formatted as a date (so the `datetime` style
/// shows no invented "00:00"); anything else goes through
/// [`parse_date_value`] and is shown in its own offset.
fn date_vi(value: &Value, args: &Kwargs, default_style: DateStyle, lang: Lang) -> Result<String> {
    const NAME: &str = "date_vi";
    let style = match string_arg(NAME, args, "style")? {
        Some(name) => name
            .parse::<DateStyle>()
            .map_err(|e| Error::message(format!("{NAME}: {e}")))?,
        None => default_style,
    };
    let text = match value.as_str() {
        Some(s) => s,
        None => match value.as_map() {
            Some(map) if map.len() == 1 => match map
                .get(&tera::value::Key::Str(TOML_DATETIME_KEY))
                .and_then(Value::as_str)
            {
                Some(s) => s,
                None => return Err(not_a_date(value)),
            },
            _ => return Err(not_a_date(value)),
        },
    };
    if let Some(date) = parse_plain_date(text) {
        Ok(match lang {
            Lang::Vi => format_date(date, style),
            Lang::En => crate::locale::format_date_en(date, style),
        })
    } else if let Some(dt) = parse_date_value(text) {
        Ok(match lang {
            Lang::Vi => format_datetime(&dt, style),
            Lang::En => crate::locale::format_datetime_en(&dt, style),
        })
    } else {
        Err(not_a_date(value))
    }
}

fn not_a_date(value: &Value) -> Error {
    Error::message(format!(
        "date_vi: không đọc được ngày {}; \
         dùng dạng RFC 3339 (vd. \"2024-07-18T11:38:00+07:00\") hoặc \"YYYY-MM-DD\"",
        shown(value)
    ))
}

/// `{{ 1234567.5 | number_vi }}` → "1.234.567,5";
/// `{{ x | number_vi(decimals=0) }}`.
fn number_vi(value: &Value, args: &Kwargs) -> Result<String> {
    const NAME: &str = "number_vi";
    let decimals = decimals_arg(NAME, args)?;
    let d = number_input(NAME, value)?;
    Ok(format_number(d, decimals))
}

/// `{{ 36.38 | percent_vi }}` → "36,38%". The input is already a
/// percentage; the site's `rate_decimals` (the precision of every rate it
/// shows) unless `decimals=` says otherwise.
fn percent_vi(value: &Value, args: &Kwargs, rate_decimals: u32) -> Result<String> {
    const NAME: &str = "percent_vi";
    let decimals = decimals_arg(NAME, args)?.unwrap_or(rate_decimals);
    let d = number_input(NAME, value)?;
    Ok(crate::locale::format_rate(d, decimals))
}

/// `{{ 3829 | money_vi(to="ty-dong", decimals=2) }}` → "3,83 tỷ đồng".
/// The amount is in `from` (default "trieu-dong", the unit of provincial
/// capital plans) and shown in `to` (default: same as `from`).
fn money_vi(value: &Value, args: &Kwargs) -> Result<String> {
    const NAME: &str = "money_vi";
    let unit = |key: &str| -> Result<Option<MoneyUnit>> {
        string_arg(NAME, args, key)?
            .map(|name| {
                name.parse::<MoneyUnit>()
                    .map_err(|e| Error::message(format!("{NAME}: {key}: {e}")))
            })
            .transpose()
    };
    let from = unit("from")?.unwrap_or(MoneyUnit::TrieuDong);
    let to = unit("to")?.unwrap_or(from);
    let decimals = decimals_arg(NAME, args)?;
    let amount = number_input(NAME, value)?;
    format_money(amount, from, to, decimals).ok_or_else(|| {
        Error::message(format!(
            "{NAME}: số tiền {} {} quá lớn để đổi sang {}",
            shown(value),
            from.word(),
            to.word()
        ))
    })
}

/// `{{ district.name | slugify_vi }}` → "dak-ha". Numbers are accepted
/// (a ward named 5 slugs to "5").
fn slugify_vi(value: &Value) -> Result<String> {
    if let Some(s) = value.as_str() {
        return Ok(slugify(s));
    }
    if value.is_number() {
        return Ok(slugify(&shown(value)));
    }
    Err(Error::message(format!(
        "slugify_vi: cần một chuỗi, nhận được {}",
        shown(value)
    )))
}

/// The filter's input as an exact decimal, or an error naming it.
fn number_input(filter: &str, value: &Value) -> Result<Decimal> {
    let d = match value.as_str() {
        Some(s) => decimal_from_str(s),
        None if value.is_number() => serde_json::to_value(value)
            .ok()
            .and_then(|v| decimal_from_json(&v)),
        None => None,
    };
    d.ok_or_else(|| {
        Error::message(format!(
            "{filter}: {} không phải là số; \
             dùng số hoặc chuỗi số dạng \"1234.5\" (dấu chấm thập phân, không phân cách hàng nghìn)",
            shown(value)
        ))
    })
}

/// An optional string argument; any other type is an error (a template
/// that passes `style=5` has a bug worth reporting).
fn string_arg<'a>(filter: &str, args: &'a Kwargs, key: &'a str) -> Result<Option<&'a str>> {
    match args.get::<&Value>(key)? {
        None => Ok(None),
        Some(v) => v.as_str().map(Some).ok_or_else(|| {
            Error::message(format!(
                "{filter}: tham số {key} phải là chuỗi, nhận được {}",
                shown(v)
            ))
        }),
    }
}

/// The optional `decimals` argument: an integer from 0 to [`MAX_DECIMALS`].
fn decimals_arg(filter: &str, args: &Kwargs) -> Result<Option<u32>> {
    match args.get::<&Value>("decimals")? {
        None => Ok(None),
        Some(v) => v
            .as_u64()
            .filter(|n| *n <= MAX_DECIMALS)
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| {
                Error::message(format!(
                    "{filter}: decimals phải là số nguyên từ 0 đến {MAX_DECIMALS}, nhận được {}",
                    shown(v)
                ))
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::{Context, Tera};

    fn tera(default_style: DateStyle) -> Tera {
        let mut t = Tera::default();
        register(&mut t, default_style, 2);
        t
    }

    fn ctx() -> Context {
        let mut c = Context::new();
        c.insert("d", "2024-07-18T11:38:00+07:00");
        c.insert("day", "2022-12-12");
        c.insert("n", &3829);
        c.insert("f", &36.38);
        c.insert("s", "1234567.5");
        c.insert("neg", &-1_000_000_000_i64);
        c.insert("bad", "1.234,5");
        c.insert("name", "Ia H’Drai");
        c.insert(
            "toml_date",
            &serde_json::json!({ "$__toml_private_datetime": "2024-07-18T11:38:00+07:00" }),
        );
        c
    }

    fn render(template: &str, style: DateStyle) -> Result<String> {
        tera(style).render_str(template, &ctx(), false)
    }

    /// The whole text of a filter error (tera 2 reports the filter's message with the place).
    fn full_error(e: &tera::Error) -> String {
        super::super::errors::full_text(e)
    }

    #[test]
    fn rendering_table() {
        let cases = [
            ("{{ d | date_vi }}", "Thứ Năm, ngày 18 tháng 7 năm 2024"),
            (
                "{{ d | date_vi(style=\"portal\") }}",
                "Thứ 5, ngày 18 tháng 7 năm 2024",
            ),
            ("{{ d | date_vi(style=\"short\") }}", "18/07/2024"),
            ("{{ d | date_vi(style=\"datetime\") }}", "18/07/2024 11:38"),
            ("{{ d | date_vi(style=\"month_year\") }}", "tháng 7/2024"),
            ("{{ d | date_vi(style=\"iso\") }}", "2024-07-18"),
            ("{{ day | date_vi }}", "Thứ Hai, ngày 12 tháng 12 năm 2022"),
            ("{{ day | date_vi(style=\"datetime\") }}", "12/12/2022"),
            (
                "{{ \"2022-12-12 08:05:00\" | date_vi(style=\"datetime\") }}",
                "12/12/2022 08:05",
            ),
            (
                "{{ toml_date | date_vi(style=\"portal\") }}",
                "Thứ 5, ngày 18 tháng 7 năm 2024",
            ),
            ("{{ n | number_vi }}", "3.829"),
            ("{{ s | number_vi }}", "1.234.567,5"),
            ("{{ s | number_vi(decimals=0) }}", "1.234.568"),
            ("{{ neg | number_vi }}", "-1.000.000.000"),
            ("{{ 0 | number_vi(decimals=2) }}", "0,00"),
            ("{{ -0.5 | number_vi(decimals=0) }}", "-1"),
            ("{{ \"2.345\" | number_vi(decimals=2) }}", "2,35"),
            ("{{ f | percent_vi }}", "36,38%"),
            ("{{ f | percent_vi(decimals=1) }}", "36,4%"),
            ("{{ 100 | percent_vi(decimals=0) }}", "100%"),
            ("{{ n | money_vi }}", "3.829 triệu đồng"),
            (
                "{{ n | money_vi(to=\"ty-dong\", decimals=2) }}",
                "3,83 tỷ đồng",
            ),
            ("{{ 85000 | money_vi(to=\"ty-dong\") }}", "85 tỷ đồng"),
            (
                "{{ 1.5 | money_vi(from=\"ty-dong\", to=\"dong\") }}",
                "1.500.000.000 đồng",
            ),
            ("{{ name | slugify_vi }}", "ia-h-drai"),
            ("{{ \"Đắk Hà\" | slugify_vi }}", "dak-ha"),
            ("{{ 5 | slugify_vi }}", "5"),
        ];
        for (template, want) in cases {
            let got = render(template, DateStyle::Long)
                .unwrap_or_else(|e| panic!("{template}: {}", full_error(&e)));
            assert_eq!(got, want, "template {template}");
        }
    }

    #[test]
    fn default_style_comes_from_register() {
        assert_eq!(
            render("{{ d | date_vi }}", DateStyle::Short).unwrap(),
            "18/07/2024"
        );
        assert_eq!(
            render("{{ d | date_vi(style=\"long\") }}", DateStyle::Short).unwrap(),
            "Thứ Năm, ngày 18 tháng 7 năm 2024"
        );
    }

    #[test]
    fn output_is_html_escaped_like_any_filter_output() {
        // Nothing these filters print needs escaping; check the autoescape
        // path of a real .html template does not mangle Vietnamese text.
        let mut t = tera(DateStyle::Long);
        t.add_raw_template("page.html", "<p>{{ d | date_vi }} – {{ n | money_vi }}</p>")
            .unwrap();
        assert_eq!(
            t.render("page.html", &ctx()).unwrap(),
            "<p>Thứ Năm, ngày 18 tháng 7 năm 2024 – 3.829 triệu đồng</p>"
        );
    }

    #[test]
    fn errors_name_the_bad_value_and_the_choices() {
        let cases = [
            (
                "{{ d | date_vi(style=\"x\") }}",
                "date_vi: kiểu ngày \"x\" không hợp lệ; dùng một trong: \
                 long, portal, short, datetime, month_year, iso",
            ),
            (
                "{{ d | date_vi(style=3) }}",
                "date_vi: tham số style phải là chuỗi, nhận được 3",
            ),
            (
                "{{ \"hôm qua\" | date_vi }}",
                "date_vi: không đọc được ngày \"hôm qua\"",
            ),
            (
                "{{ 20240718 | date_vi }}",
                "date_vi: không đọc được ngày 20240718",
            ),
            (
                "{{ bad | number_vi }}",
                "number_vi: \"1.234,5\" không phải là số",
            ),
            (
                "{{ true | percent_vi }}",
                "percent_vi: true không phải là số",
            ),
            (
                "{{ n | number_vi(decimals=-1) }}",
                "number_vi: decimals phải là số nguyên từ 0 đến 28, nhận được -1",
            ),
            (
                "{{ n | number_vi(decimals=1.5) }}",
                "number_vi: decimals phải là số nguyên từ 0 đến 28, nhận được 1.5",
            ),
            (
                "{{ n | percent_vi(decimals=29) }}",
                "percent_vi: decimals phải là số nguyên",
            ),
            (
                "{{ n | money_vi(to=\"ty\") }}",
                "money_vi: to: đơn vị tiền \"ty\" không hợp lệ; dùng một trong: \
                 dong, nghin-dong, trieu-dong, ty-dong",
            ),
            (
                "{{ n | money_vi(from=\"vnd\") }}",
                "money_vi: from: đơn vị tiền \"vnd\"",
            ),
            (
                "{{ \"79228162514264337593543950335\" | money_vi(to=\"dong\") }}",
                "money_vi: số tiền \"79228162514264337593543950335\" triệu đồng quá lớn",
            ),
            (
                "{{ [1] | slugify_vi }}",
                "slugify_vi: cần một chuỗi, nhận được [1]",
            ),
        ];
        for (template, want) in cases {
            let err = render(template, DateStyle::Long).expect_err(template);
            let full = full_error(&err);
            assert!(
                full.contains(want),
                "template {template}\n got: {full}\nwant: {want}"
            );
        }
    }
}
