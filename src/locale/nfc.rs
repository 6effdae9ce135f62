//! NFC normalisation: Vietnamese typed in "tổ hợp" mode arrives decomposed (NFD); the same
//! word must slug, sort, search and compare identically whichever way it was typed.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// NFC-normalises text: Vietnamese typed in "tổ hợp" mode arrives decomposed (NFD), and the
/// same word must slug, sort, search and compare identically whichever way it was typed.
pub fn normalize_text(s: &str) -> String {
    if is_nfc(s) {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// [`normalize_text`] keeping the buffer when it is NFC already (nearly always: no copy of
/// every article on load).
pub fn normalize_owned(s: String) -> String {
    if is_nfc(&s) {
        s
    } else {
        s.nfc().collect()
    }
}

fn is_nfc(s: &str) -> bool {
    is_nfc_fast(s) || is_nfc_quick(s.chars()) == IsNormalized::Yes
}

/// A cheap sufficient test for NFC: every character is below U+0300 (ASCII, Latin-1, Latin
/// Extended-A/B: all NFC_QC=Yes with combining class 0), a precomposed letter of Latin
/// Extended Additional (U+1E00–U+1EFF, where all of Vietnamese lives) or general punctuation. Typical Vietnamese text
/// passes without the Unicode table lookups of the general check.
pub fn is_nfc_fast(s: &str) -> bool {
    // On the UTF-8 bytes: ASCII; two-byte sequences with lead byte below 0xCC (U+0080–U+02FF);
    // three-byte sequences E1 B8..BB xx (U+1E00–U+1EFF). Anything else: not proven here.
    let b = s.as_bytes();
    let mut i = 0;
    // Sixteen bytes at a time: only bytes from 0xCC up can start a character this test cannot
    // prove (continuation bytes are below), and such a byte is fine when it starts U+1E00–U+1EFF
    // (E1 B8..BB) or U+2000–U+207F (E2 80..81). One branch-free test per block (its last byte's
    // follower included), which the compiler vectorises: no `unsafe` here.
    while i + 17 <= b.len() {
        let w: &[u8; 17] = b[i..i + 17].try_into().expect("17 bytes");
        let bad = (0..16).fold(false, |bad, k| {
            let (c, n) = (w[k], w[k + 1]);
            let known = ((c == 0xE1) & (0xB8..=0xBB).contains(&n))
                | ((c == 0xE2) & (0x80..=0x81).contains(&n));
            bad | ((c >= 0xCC) & !known)
        });
        if bad {
            return false;
        }
        i += 16;
    }
    // the rest character by character, from the next character's first byte
    while i < b.len() && b[i] & 0xC0 == 0x80 {
        i += 1;
    }
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            i += 1;
            // runs of ASCII, eight bytes at a time
            while i + 8 <= b.len() {
                let w = u64::from_le_bytes(b[i..i + 8].try_into().unwrap_or_default());
                if w & 0x8080_8080_8080_8080 != 0 {
                    break;
                }
                i += 8;
            }
        } else if (0xC2..0xCC).contains(&c) {
            i += 2;
        } else if c == 0xE1 && i + 1 < b.len() && (0xB8..=0xBB).contains(&b[i + 1]) {
            i += 3;
        } else if c == 0xE2 && i + 1 < b.len() && (0x80..=0x81).contains(&b[i + 1]) {
            // General Punctuation U+2000–U+207F: “ ” – — … (all NFC, class 0)
            i += 3;
        } else {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_nfc_check_agrees_with_the_full_one() {
        let nfc = "Bình đẳng giới ở Đắk Hà, Kon Plông: 36,38% — “Thủ lĩnh” ỹ Ỹ";
        assert!(is_nfc_fast(nfc));
        let nfd: String = nfc.nfd().collect();
        assert!(!is_nfc_fast(&nfd));
        assert_eq!(normalize_text(&nfd), nfc);
        assert!(!is_nfc_fast("日本")); // not proven: falls back to the full check
        assert_eq!(normalize_text("日本"), "日本");
    }
}
