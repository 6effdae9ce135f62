//! Accent folding and word splitting, mirrored by `fold`/`tokens` in `tim-kiem.js`.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::locale::is_latin_letter;

/// Folds Vietnamese text for accent-insensitive matching: NFD, lower-case, combining marks
/// dropped, `đ`/`Đ` (and the look-alike `ð`/`Ð` some keyboards produce) → `d`.
/// "BÌNH ĐẲNG GIỚI" → "binh dang gioi". Decomposition alone keeps `đ`: it has no NFD form.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd().flat_map(char::to_lowercase) {
        match c {
            'đ' | 'ð' => out.push('d'),
            c if is_combining_mark(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// A word of text: `exact` is its lower-case NFC spelling ("đường"), `folded` its [`fold`]
/// ("duong").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub exact: String,
    pub folded: String,
}

/// Splits text into words on every character that is not a letter, digit or combining mark
/// (after NFC, so NFD input splits the same): "36,38%" → "36", "38"; "H'Drai" → "h", "drai".
pub fn tokens(s: &str) -> Vec<Token> {
    let nfc = nfc(s);
    words(&nfc)
        .filter_map(|w| {
            let exact = lower_nfc(w);
            let folded = fold(&exact);
            (!folded.is_empty()).then_some(Token { exact, folded })
        })
        .collect()
}

/// The words of `nfc` (already NFC), in their original case: `nfc.split(|c| !is_word_char(c))`
/// without the empty pieces, stepping over bytes. Every word of every document passes through
/// here; Vietnamese letters are recognised from their lead bytes without decoding.
pub(crate) fn words(nfc: &str) -> impl Iterator<Item = &str> {
    let b = nfc.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            if i >= b.len() {
                return None;
            }
            let (word, len) = word_char_at(nfc, i);
            if word {
                break;
            }
            i += len;
        }
        let start = i;
        while i < b.len() {
            let (word, len) = word_char_at(nfc, i);
            if !word {
                break;
            }
            i += len;
        }
        Some(&nfc[start..i])
    })
}

/// ASCII letters and digits (a table: a 128-bit mask costs a dozen instructions per test).
static ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut c = 0;
    while c < 128 {
        t[c] = (c as u8).is_ascii_alphanumeric();
        c += 1;
    }
    t
};

/// (is [`is_word_char`], byte length) of the character starting at byte `i` of `s`.
#[inline(always)]
fn word_char_at(s: &str, i: usize) -> (bool, usize) {
    let b = s.as_bytes();
    match b[i] {
        c @ 0..=0x7F => (ASCII_WORD[usize::from(c)], 1),
        // U+00C0–U+00FF but × (C3 97) and ÷ (C3 B7)
        0xC3 => (!matches!(b[i + 1], 0x97 | 0xB7), 2),
        // U+0100–U+027F: Latin Extended-A/B and IPA, all letters
        0xC4..=0xC9 => (true, 2),
        // U+1E00–U+1EFF: Latin Extended Additional (ạ, ế, ự …)
        0xE1 if matches!(b[i + 1], 0xB8..=0xBB) => (true, 3),
        // U+2000–U+203F: spaces, dashes, quotes, bullets (“ ” – … in running text)
        0xE2 if b[i + 1] == 0x80 => (false, 3),
        _ => {
            let c = s[i..].chars().next().unwrap_or(' ');
            (is_word_char(c), c.len_utf8())
        }
    }
}

/// Letter, digit or combining mark. Vietnamese letters are answered from their ranges
/// ([`is_latin_letter`]): the general Unicode lookup was a tenth of the index build.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_latin_letter(c) || c.is_alphanumeric() || is_combining_mark(c)
    }
}

/// [`lower_nfc`] that borrows the word when it is lower-case already (most words of running
/// text): the index builder then allocates once per distinct spelling, not once per word.
pub(crate) fn lower_nfc_cow(w: &str) -> std::borrow::Cow<'_, str> {
    let lower = if w.is_ascii() {
        !w.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        w.chars().all(|c| match c as u32 {
            // lower-case Vietnamese letters answered without the case tables: Latin-1 à–ÿ,
            // ă đ ĩ ũ ơ ư, and the odd (lower-case) half of U+1EA0–U+1EF9
            0x61..=0x7A | 0x30..=0x39 | 0xDF..=0xF6 | 0xF8..=0xFF => true,
            0x103 | 0x111 | 0x129 | 0x169 | 0x1A1 | 0x1B0 => true,
            0x1EA0..=0x1EF9 => c as u32 % 2 == 1,
            // otherwise: lower-casing leaves `c` as it is (not only `!is_uppercase`:
            // title-case letters such as `ǅ` change too)
            _ => {
                let mut l = c.to_lowercase();
                l.next() == Some(c) && l.next().is_none()
            }
        })
    };
    if lower {
        std::borrow::Cow::Borrowed(w)
    } else {
        std::borrow::Cow::Owned(lower_nfc(w))
    }
}

/// Lower-case NFC form of a word (lower-casing can, rarely, un-compose a character).
pub(crate) fn lower_nfc(w: &str) -> String {
    if w.is_ascii() {
        return w.to_ascii_lowercase();
    }
    let lower = w.to_lowercase();
    if crate::locale::is_nfc_fast(&lower) || is_nfc_quick(lower.chars()) == IsNormalized::Yes {
        lower
    } else {
        lower.nfc().collect()
    }
}

/// `s` in NFC, borrowed when it already is (content is normalised on load, so this is the
/// common case and saves re-normalising megabytes of text).
pub(crate) fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfc().collect())
    }
}
