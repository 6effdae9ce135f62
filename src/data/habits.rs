//! The writing habits of staff who keep figures in Excel and Word, caught in the text of a data
//! file: numbers written the Vietnamese way (1.250 = one thousand two hundred fifty, 540,5 =
//! five hundred forty and a half), dates written dd/mm/yyyy, curly quotes from Word, a key
//! written under the wrong `[table]`. Each becomes a message that says what was meant and how
//! to write it, instead of a TOML parser's sentence or, worse, a figure read another way.

use crate::diag::{line_col, Diagnostic};
use crate::locale::{ambiguous_reading, format_number};

/// The bare numbers of a TOML text that TOML reads differently from a Vietnamese reader
/// (`1.250`, `3.829`): byte offset and text. Strings and comments are skipped.
pub fn ambiguous_numbers(text: &str) -> Vec<(usize, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    // The last significant byte outside strings and comments: a value follows `=`, `,`, `[`.
    let mut prev = b'\n';
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => i = skip_until(b, i, b"\n"),
            b'"' | b'\'' => {
                i = skip_string(b, i);
                prev = c;
                continue;
            }
            b'0'..=b'9' | b'+' | b'-' if matches!(prev, b'=' | b',' | b'[') => {
                let end = token_end(b, i);
                let token = &text[i..end];
                if ambiguous_reading(token).is_some() {
                    out.push((i, token));
                }
                prev = b[end - 1];
                i = end;
                continue;
            }
            c if !c.is_ascii_whitespace() => prev = c,
            _ => {}
        }
        i += 1;
    }
    out
}

/// The end of a bare value starting at `i` (digits, signs, dots, date and time characters).
fn token_end(b: &[u8], i: usize) -> usize {
    let mut end = i + 1;
    while end < b.len() && (b[end].is_ascii_alphanumeric() || b"._:+-".contains(&b[end])) {
        end += 1;
    }
    end
}

/// The index just past the first `end` after `i` (or the end of the text).
fn skip_until(b: &[u8], i: usize, end: &[u8]) -> usize {
    let mut j = i;
    while j < b.len() {
        if b[j..].starts_with(end) {
            return j + end.len();
        }
        j += 1;
    }
    b.len()
}

/// The index just past the string starting at `i` (basic or literal, one line or multi-line).
fn skip_string(b: &[u8], i: usize) -> usize {
    let q = b[i];
    let triple = [q, q, q];
    if b[i..].starts_with(&triple) {
        let mut j = i + 3;
        while j < b.len() {
            if q == b'"' && b[j] == b'\\' {
                j += 2;
                continue;
            }
            if b[j..].starts_with(&triple) {
                return j + 3;
            }
            j += 1;
        }
        return b.len();
    }
    let mut j = i + 1;
    while j < b.len() && b[j] != b'\n' {
        if q == b'"' && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            return j + 1;
        }
        j += 1;
    }
    j
}

/// One error per ambiguous bare number of `text`, with both readings and how to write each.
pub fn ambiguous_number_errors(text: &str, display: &str) -> Vec<Diagnostic> {
    ambiguous_numbers(text)
        .into_iter()
        .filter_map(|(at, token)| {
            let (as_toml, as_vi) = ambiguous_reading(token)?;
            let (l, c) = line_col(text, at);
            let vi = format_number(as_vi, None);
            let toml = format_number(as_toml, None);
            let plain_decimal = as_toml.normalize().to_string();
            let decimal = if plain_decimal == token {
                format!("\"{toml}\" (trong dấu nháy)")
            } else {
                format!("{plain_decimal} hoặc \"{toml}\"")
            };
            Some(
                Diagnostic::error(format!(
                    "số {token} đọc được hai cách: {vi} (dấu chấm phân cách hàng nghìn, như người Việt đọc) hoặc {toml} (dấu chấm thập phân, như TOML đọc)"
                ))
                .in_file(display)
                .at(l, c)
                .hint(format!(
                    "nếu là {vi}, viết {} hoặc \"{vi}\"; nếu là {toml}, viết {decimal}",
                    as_vi.normalize()
                )),
            )
        })
        .collect()
}

/// A habit that explains a TOML parse error on line `line` of a data file: the message and
/// the fix, in Vietnamese. `None` when the line shows none of them.
pub fn explain(line: &str) -> Option<(String, String)> {
    HABITS.iter().find_map(|h| {
        if (h.test)(line, "") {
            return Some((h.message)(""));
        }
        values(line)
            .into_iter()
            .find(|v| (h.test)(line, v))
            .map(|v| (h.message)(v))
    })
}

/// The values written after each `=` of a line, as far as they look like a number or a date
/// (`540,5`, `30/11/2022`, `"30/11/2022"`), without a trailing separator.
fn values(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, _) in line.match_indices('=') {
        let rest = line[i + 1..].trim_start();
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || ",.+-/\"".contains(c)))
            .unwrap_or(rest.len());
        let v = rest[..end].trim_end_matches(',');
        if !v.is_empty() {
            out.push(v);
        }
    }
    out
}

/// A habit: how to see it on a line (the whole line, and what follows its `=`), and what to
/// say about it.
struct Habit {
    test: fn(&str, &str) -> bool,
    message: fn(&str) -> (String, String),
}

const HABITS: &[Habit] = &[
    Habit {
        test: |line, v| v.is_empty() && line.contains(['“', '”', '‘', '’']),
        message: |_| {
            (
                "dấu nháy cong “…” (Word tự đổi) không dùng được trong tệp số liệu".into(),
                "dùng dấu nháy thẳng \"…\" (gõ trong Notepad hoặc trình soạn thảo mã, không gõ trong Word)".into(),
            )
        },
    },
    Habit {
        test: |_, v| is_comma_decimal(v),
        message: |v| {
            (
                format!("số {v} viết dấu phẩy thập phân theo cách Việt Nam, TOML không đọc được"),
                format!(
                    "viết {} (dấu chấm, không dấu nháy) hoặc \"{v}\" (trong dấu nháy, đọc theo cách Việt Nam)",
                    v.replace(',', ".")
                ),
            )
        },
    },
    Habit {
        test: |_, v| dmy_date(v).is_some(),
        message: |v| {
            let (d, m, y) = dmy_date(v).unwrap_or_default();
            (
                format!("ngày {} viết theo kiểu ngày/tháng/năm", v.trim_matches('"')),
                format!("viết năm-tháng-ngày, không dấu nháy: {y}-{m:02}-{d:02}"),
            )
        },
    },
];

/// `540,5` or `-1,25`: digits, one comma, digits.
fn is_comma_decimal(v: &str) -> bool {
    let v = v.strip_prefix(['-', '+']).unwrap_or(v);
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    v.split_once(',')
        .is_some_and(|(i, f)| digits(i) && digits(f))
}

/// `30/11/2022` (or with `-` or `.`, in quotes or not) as (day, month, year).
fn dmy_date(v: &str) -> Option<(u32, u32, u32)> {
    let v = v.trim_matches('"');
    let parts: Vec<&str> = v.split(['/', '-', '.']).collect();
    let [d, m, y] = parts[..] else {
        return None;
    };
    let (d, m, y): (u32, u32, u32) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    ((1..=31).contains(&d) && (1..=12).contains(&m) && y >= 1900 && parts[2].len() == 4)
        .then_some((d, m, y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ambiguous_bare_numbers_only() {
        let text = "a = 1.250\nb = \"1.250\" # 3.829\nc = { x = 3.829, y = 1393.5 }\nd = [12.500]\ne = 2022-11-30\nf = '''\n1.250\n'''\n";
        let found: Vec<&str> = ambiguous_numbers(text)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        assert_eq!(found, ["1.250", "3.829", "12.500"]);
    }

    #[test]
    fn explains_the_habits() {
        let cases: &[(&str, &str)] = &[
            (
                "disbursed = 540,5",
                "viết 540.5 (dấu chấm, không dấu nháy) hoặc \"540,5\"",
            ),
            (
                "as_of = 30/11/2022",
                "viết năm-tháng-ngày, không dấu nháy: 2022-11-30",
            ),
            ("as_of = \"30/11/2022\"", "2022-11-30"),
            ("source = “Hội LHPN”", "dùng dấu nháy thẳng"),
            ("budget = { allocated = 40, disbursed = 31,5 }", "viết 31.5"),
        ];
        for (line, hint) in cases {
            let (_, h) = explain(line).unwrap_or_else(|| panic!("{line}"));
            assert!(h.contains(hint), "{line}: {h}");
        }
        assert_eq!(explain("allocated = 3829"), None);
    }
}
