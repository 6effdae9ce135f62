//! Vietnamese alphabetical order.
//!
//! Byte or code-point order puts every "Đ…" name after "Z…" and scatters
//! toned vowels around; root (language-neutral) Unicode collation treats
//! đ as a d with an accent and ư as u, so "Đăk Hà" lands among "D…" and
//! "Dương" before "Duy". Vietnamese readers expect the dictionary order
//! a ă â b c d đ e ê … o ô ơ … u ư … y, with tone marks deciding only
//! between otherwise equal words (in the order
//! none, huyền, hỏi, ngã, sắc, nặng). That is CLDR's `vi` tailoring,
//! which ICU4X ships in its compiled data, so no data files or build steps are needed.

use std::cmp::Ordering;
use std::sync::OnceLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed, CollatorPreferences};

/// The `vi` collator, built on first use and immutable afterwards.
/// Building it loads and validates the tailoring, which is too slow to
/// repeat for each comparison of a sort.
static COLLATOR: OnceLock<Option<CollatorBorrowed<'static>>> = OnceLock::new();

fn collator() -> Option<&'static CollatorBorrowed<'static>> {
    COLLATOR
        .get_or_init(|| {
            // `from_locale_strict` takes `&Locale`, which lets "vi" be
            // parsed without depending on `icu_locale_core` directly.
            // "vi" has no Unicode extension keys, so strict and lenient
            // conversions agree; either result is the preferences.
            let prefs = "vi"
                .parse()
                .map(|locale| {
                    CollatorPreferences::from_locale_strict(&locale).unwrap_or_else(|p| p)
                })
                .unwrap_or_default();
            // With compiled data this cannot fail (a missing tailoring
            // falls back to root); if it somehow does, comparisons fall
            // back to byte order rather than aborting the build.
            Collator::try_new(prefs, CollatorOptions::default()).ok()
        })
        .as_ref()
}

/// Compares two strings in Vietnamese dictionary order.
///
/// The order is total and deterministic: strings that the collator
/// considers equal (for example the same text in NFC and in NFD) are
/// ordered by their bytes, so sorting never depends on input order and two
/// builds always list pages identically.
pub fn vi_cmp(a: &str, b: &str) -> Ordering {
    let by_collation = match collator() {
        Some(c) => c.compare(a, b),
        None => Ordering::Equal,
    };
    by_collation.then_with(|| a.cmp(b))
}

/// Sorts `items` in Vietnamese order of the string `key` returns.
/// Since [`vi_cmp`] is total, the result is the same whether or not the
/// sort were stable.
pub fn sort_vi<T>(items: &mut [T], key: impl Fn(&T) -> &str) {
    items.sort_by(|x, y| vi_cmp(key(x), key(y)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn sorted(input: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = input.iter().map(|s| s.to_string()).collect();
        sort_vi(&mut v, |s| s);
        v
    }

    #[test]
    fn kon_tum_districts() {
        let input = [
            "Thành phố Kon Tum",
            "Đăk Glei",
            "Ngọc Hồi",
            "Đăk Tô",
            "Tu Mơ Rông",
            "Sa Thầy",
            "Ia H'Drai",
            "Đăk Hà",
            "Kon Rẫy",
            "Kon Plông",
        ];
        let want = [
            "Đăk Glei",
            "Đăk Hà",
            "Đăk Tô",
            "Ia H'Drai",
            "Kon Plông",
            "Kon Rẫy",
            "Ngọc Hồi",
            "Sa Thầy",
            "Thành phố Kon Tum",
            "Tu Mơ Rông",
        ];
        assert_eq!(sorted(&input), want);
        // Same order whatever the starting order.
        let mut reversed = want;
        reversed.reverse();
        assert_eq!(sorted(&reversed), want);
    }

    #[test]
    fn d_with_stroke_is_its_own_letter() {
        let input = ["Em", "Đăk Hà", "Dương", "Duy", "Đà Nẵng", "Dak", "Êm"];
        // ư is a letter after u, so "Duy" < "Dương" (root collation would
        // say the opposite); Đ comes after every D and before E.
        let want = ["Dak", "Duy", "Dương", "Đà Nẵng", "Đăk Hà", "Em", "Êm"];
        assert_eq!(sorted(&input), want);
    }

    #[test]
    fn letters_and_tones_in_icu_vi_order() {
        // Verified against ICU4X's `vi` data: tones order as
        // none < huyền < hỏi < ngã < sắc < nặng; lowercase before uppercase.
        let want = [
            "a", "A", "à", "ả", "ã", "á", "ạ", "ă", "Ă", "ằ", "ẳ", "ẵ", "ắ", "ặ", "â", "Â", "ầ",
            "ẩ", "ẫ", "ấ", "ậ", "b", "d", "D", "đ", "Đ", "e", "ê", "o", "ò", "ó", "ô", "ồ", "ơ",
            "ờ", "ớ", "ợ", "p", "u", "ú", "ư", "ừ", "ự", "v", "y", "ỳ", "ỵ",
        ];
        let mut input = want;
        input.reverse();
        assert_eq!(sorted(&input), want);
        for pair in want.windows(2) {
            assert_eq!(vi_cmp(pair[0], pair[1]), Ordering::Less, "{pair:?}");
        }
    }

    #[test]
    fn tone_only_decides_between_otherwise_equal_words() {
        // Letters first (ma < mai < man), tone marks only as a tie-break.
        let input = ["mán", "mai", "mà", "má", "ma", "mại", "man"];
        assert_eq!(
            sorted(&input),
            ["ma", "mà", "má", "mai", "mại", "man", "mán"]
        );
    }

    #[test]
    fn nfd_collates_like_nfc_with_byte_tie_break() {
        let nfc: String = "Đắk Hà".nfc().collect();
        let nfd: String = "Đắk Hà".nfd().collect();
        assert_ne!(nfc, nfd);
        // Equal to the collator, so the bytes decide: deterministic.
        assert_eq!(vi_cmp(&nfc, &nfd), nfc.as_str().cmp(nfd.as_str()));
        assert_eq!(vi_cmp(&nfd, &nfc), nfd.as_str().cmp(nfc.as_str()));
        assert_eq!(vi_cmp(&nfc, &nfc), Ordering::Equal);
        // NFD names sort among NFC ones by their letters.
        let mut v = vec![
            "Đăk Tô".to_string(),
            "Đăk Glei".nfd().collect::<String>(),
            "Ia H'Drai".to_string(),
        ];
        sort_vi(&mut v, |s| s);
        assert_eq!(v[0].nfc().collect::<String>(), "Đăk Glei");
        assert_eq!(v[1], "Đăk Tô");
    }

    #[test]
    fn sort_by_key_of_struct() {
        struct District {
            name: &'static str,
            code: u32,
        }
        let mut v = vec![
            District {
                name: "Sa Thầy",
                code: 1,
            },
            District {
                name: "Đăk Hà",
                code: 2,
            },
            District {
                name: "Kon Rẫy",
                code: 3,
            },
            District { name: "", code: 4 },
        ];
        sort_vi(&mut v, |d| d.name);
        let codes: Vec<u32> = v.iter().map(|d| d.code).collect();
        assert_eq!(codes, [4, 2, 3, 1]);
    }
}
