//! The front-matter splitter (`content::front_matter::split`) and the front-matter parser
//! behind it (`front_matter::parse`, for articles and sections).
//!
//! Properties, for any UTF-8 input:
//! - nothing panics;
//! - on `Ok`: the body is the input's suffix at `body_byte_offset`; the front matter is the
//!   input's text between the opening and the closing `+++` lines, which are delimiter lines;
//!   only blank lines (and a BOM) come before the opening one; `front_matter_line_offset` and
//!   `body_line_offset` count the file lines before the front matter and before the body;
//! - on `Err`: the line it names exists and shows what the error says (`+++` for an unclosed or
//!   a misplaced block);
//! - every diagnostic of `parse` (as an article, as a section) has a line and a column, and
//!   the line is one of the front matter's or the closing `+++`, and no English (outside what
//!   it quotes): see `english.rs`.
//!
//! `FUZZ_SHOW=1 cargo +nightly fuzz run front_matter INPUT` prints the diagnostics.
#![no_main]

mod english;

use bantin::content::front_matter::{parse, split, Split, SplitError};
use bantin::content::keys::FileKind;
use bantin::content::{PageFrontMatter, SectionFrontMatter};
use bantin::diag::Diagnostic;
use libfuzzer_sys::fuzz_target;

/// Lines of `s` as an editor counts them before a position at its end: the `\n`s, plus one
/// for a last line without one.
fn lines(s: &str) -> usize {
    s.split_inclusive('\n').count()
}

fn is_delimiter(line: &str) -> bool {
    line.trim_end() == "+++"
}

/// The 1-based line `n` of `text`, without its line ending.
fn line(text: &str, n: usize) -> Option<&str> {
    text.split('\n').nth(n.checked_sub(1)?)
}

fn check_ok(text: &str, s: &Split<'_>) {
    // The body: the suffix at its offset.
    assert!(s.body_byte_offset <= text.len(), "{text:?}: {s:?}");
    assert_eq!(&text[s.body_byte_offset..], s.body, "{text:?}");
    assert_eq!(
        s.body_line_offset,
        lines(&text[..s.body_byte_offset]),
        "{text:?}: {s:?}"
    );
    // The front matter: borrowed from the input, whole lines, between the delimiters.
    let fm_start = (s.front_matter.as_ptr() as usize)
        .checked_sub(text.as_ptr() as usize)
        .expect("front matter borrowed from the input");
    let fm_end = fm_start + s.front_matter.len();
    assert!(fm_end <= s.body_byte_offset, "{text:?}: {s:?}");
    assert_eq!(&text[fm_start..fm_end], s.front_matter, "{text:?}");
    assert!(
        s.front_matter.is_empty() || s.front_matter.ends_with('\n'),
        "{text:?}: {s:?}"
    );
    assert_eq!(
        s.front_matter_line_offset,
        lines(&text[..fm_start]),
        "{text:?}: {s:?}"
    );
    // Before the front matter: a BOM, blank lines, the opening line.
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let head: Vec<&str> = text[bom..fm_start].split_inclusive('\n').collect();
    let (open, blank) = head.split_last().expect("an opening line");
    assert_eq!(open.trim(), "+++", "{text:?}: {s:?}");
    assert!(blank.iter().all(|l| l.trim().is_empty()), "{text:?}: {s:?}");
    let closing = &text[fm_end..s.body_byte_offset];
    assert!(is_delimiter(closing), "{text:?}: closing {closing:?}");
    assert_eq!(
        s.front_matter_line_offset + lines(s.front_matter) + 1,
        s.body_line_offset,
        "{text:?}: {s:?}"
    );
}

fn check_err(text: &str, e: &SplitError) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (n, hint) = e.line_and_hint();
    assert!(!hint.is_empty());
    let count = lines(text).max(1);
    assert!(
        (1..=count).contains(&n),
        "{text:?}: {e:?} at line {n} of {count}"
    );
    match e {
        SplitError::Unclosed { open_line } => {
            let l = line(text, *open_line).unwrap();
            assert_eq!(l.trim(), "+++", "{text:?}: {e:?}");
        }
        SplitError::NotAtTop { line: n } => {
            let l = line(text, *n).unwrap();
            assert!(is_delimiter(l), "{text:?}: {e:?}");
        }
        SplitError::Empty => assert!(text.trim().is_empty(), "{text:?}"),
        SplitError::Missing | SplitError::Yaml => {}
    }
}

/// Every diagnostic of a parsed front matter is at a line of it (or at its closing `+++`).
fn check_diagnostics(text: &str, s: &Split<'_>, diags: &[Diagnostic]) {
    if std::env::var_os("FUZZ_SHOW").is_some() {
        diags.iter().for_each(|d| eprintln!("{d}"));
    }
    for d in diags {
        let (Some(l), Some(c)) = (d.line, d.column) else {
            panic!("{text:?}: a diagnostic without a line and column: {d}");
        };
        assert!(
            l > s.front_matter_line_offset && l <= s.body_line_offset && c >= 1,
            "{text:?}: {d} is outside the front matter (lines {}..={})",
            s.front_matter_line_offset + 1,
            s.body_line_offset
        );
        assert_eq!(d.file.as_deref(), Some("content/a/b.md"), "{d}");
        let said = format!("{} {}", d.message, d.hint.as_deref().unwrap_or(""));
        if let Some(word) = english::english_in(&said, text) {
            panic!("{text:?}: English ({word:?}) in a message: {d}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match split(text) {
        Ok(s) => {
            check_ok(text, &s);
            let file = "content/a/b.md";
            if let Err(d) = parse::<PageFrontMatter>(&s, file, FileKind::Page) {
                check_diagnostics(text, &s, &d);
            }
            if let Err(d) = parse::<SectionFrontMatter>(&s, file, FileKind::Section) {
                check_diagnostics(text, &s, &d);
            }
        }
        Err(e) => check_err(text, &e),
    }
});
