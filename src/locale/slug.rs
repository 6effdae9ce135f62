//! URL slugs for Vietnamese titles and place names.
//!
//! Slugs end up in file names and URLs that people copy into Zalo messages
//! and official letters, so they must be plain lowercase ASCII
//! (`[a-z0-9-]`), stable across runs, and independent of how the source text
//! happened to be encoded: macOS and some Vietnamese input methods (Unikey
//! in "Unicode tổ hợp" mode) produce decomposed NFD text, most others
//! produce precomposed NFC. Both must give the same slug.

use std::collections::HashSet;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Turns arbitrary text into a lowercase ASCII slug: "Đắk Hà" → "dak-ha".
///
/// Steps, and why:
/// 1. Normalise to NFC, so NFD input (base letter + combining tone marks)
///    transliterates exactly like precomposed input.
/// 2. Drop any combining mark that survived composition (e.g. a stray
///    accent on a consonant): it belongs to the previous letter, and turning
///    it into a separator would split a word in two.
/// 3. Letters and digits are transliterated with `deunicode`, which maps
///    every Vietnamese letter (all vowels with all five tone marks, ă â ê ô
///    ơ ư, and đ/Đ → d) to its bare Latin base; this is verified letter by
///    letter in the tests below, in both cases and both normal forms.
/// 4. Everything that is not a letter or digit (spaces, punctuation, the
///    apostrophes ' and ’ in "Ia H'Drai", symbols, emoji) becomes a
///    separator. This is checked *before* transliteration on purpose:
///    deunicode spells many symbols out ("€" → "EUR", an emoji → its name),
///    which would put surprising English words into Vietnamese URLs.
/// 5. Runs of separators collapse to one "-", and leading/trailing "-" are
///    trimmed.
///
/// An input with no letters or digits gives "": the caller decides the
/// fallback (an index number, a default name, an error).
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // A separator is only written when a further alphanumeric character
    // follows, which both collapses runs and trims the ends.
    let mut pending_dash = false;
    let mut push_ascii = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            pending_dash = true;
        }
    };
    let mut each = |ch: char| {
        if ch.is_ascii() {
            push_ascii(ch, &mut out);
            return;
        }
        // answered without the Unicode tables, which were most of a slug
        let latin_letter = is_latin_letter(ch);
        if !latin_letter && is_combining_mark(ch) {
            return;
        }
        if latin_letter || ch.is_alphanumeric() {
            // `deunicode_char` is None only for characters it has no
            // mapping for; treat those as separators rather than guessing.
            match deunicode::deunicode_char(ch) {
                Some(t) => t.chars().for_each(|c| push_ascii(c, &mut out)),
                None => push_ascii(' ', &mut out),
            }
        } else {
            push_ascii(' ', &mut out);
        }
    };
    // Typical Vietnamese text is provably NFC already (and then has no combining marks): the
    // streaming normaliser was most of the cost of a slug, and every heading and tag asks.
    if crate::locale::is_nfc_fast(s) {
        s.chars().for_each(&mut each);
    } else {
        s.nfc().for_each(&mut each);
    }
    out
}

/// Latin-1 letters, Latin Extended-A/B and Latin Extended Additional (every Vietnamese letter):
/// letters, never combining marks. Slugs and the search index ask this of every character, and
/// the general Unicode lookups were most of their cost.
pub fn is_latin_letter(c: char) -> bool {
    matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF) && !matches!(c, '×' | '÷')
}

/// Hands out unique slugs deterministically, in the order requested.
///
/// Two pages titled "Kết quả" must not overwrite each other's output file,
/// and the names must not depend on hash order or thread timing, so that
/// rebuilding the site gives the same URLs. The first request for "x" gets
/// "x", the next ones "x-2", "x-3", …; a numbered candidate already taken
/// (for example by a page literally titled "X 2") is skipped, so no two
/// calls ever return the same slug.
///
/// The set stores slugs as given; callers pass the output of [`slugify`]
/// (after substituting their own fallback for an empty slug).
#[derive(Debug, Clone, Default)]
pub struct SlugSet {
    taken: HashSet<String>,
}

impl SlugSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `slug` as taken without numbering it, e.g. for fixed pages
    /// ("index", "tim-kiem") that generated pages must never shadow.
    /// Returns false if it was already taken.
    pub fn reserve(&mut self, slug: &str) -> bool {
        self.taken.insert(slug.to_owned())
    }

    /// Whether `slug` has already been handed out or reserved.
    pub fn contains(&self, slug: &str) -> bool {
        self.taken.contains(slug)
    }

    /// Returns `base` if it is still free, otherwise the first free
    /// `base-N` with N = 2, 3, …; the result is recorded as taken.
    pub fn unique(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_owned()) {
            return base.to_owned();
        }
        // The loop ends: the set is finite, so some N is free.
        let mut n: u64 = 2;
        loop {
            let candidate = if base.is_empty() {
                n.to_string()
            } else {
                format!("{base}-{n}")
            };
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    /// Slugifies `text` and makes the result unique in one step.
    pub fn unique_slug(&mut self, text: &str) -> String {
        self.unique(&slugify(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ranges `is_latin_letter` answers without the Unicode tables are letters.
    #[test]
    fn latin_ranges_are_letters() {
        for c in (0xC0..=0x24F)
            .chain(0x1E00..=0x1EFF)
            .filter_map(char::from_u32)
        {
            let expect = c.is_alphanumeric() && !is_combining_mark(c);
            assert_eq!(expect, !matches!(c, '×' | '÷'), "{c:?}");
            assert_eq!(is_latin_letter(c), expect, "{c:?}");
        }
    }

    #[test]
    fn slugify_table() {
        let cases = [
            ("Đắk Hà", "dak-ha"),
            ("Ia H'Drai", "ia-h-drai"),
            ("Ia H’Drai", "ia-h-drai"),
            ("Bình đẳng giới", "binh-dang-gioi"),
            ("Kết quả", "ket-qua"),
            ("Thành phố Kon Tum", "thanh-pho-kon-tum"),
            ("Tu Mơ Rông", "tu-mo-rong"),
            ("Kon Rẫy", "kon-ray"),
            ("ĐƯỜNG ĐIỆN 500KV", "duong-dien-500kv"),
            ("đ Đ", "d-d"),
            (
                "  --Tiến độ: 36,38% (quý II/2024)!  ",
                "tien-do-36-38-quy-ii-2024",
            ),
            ("a   b\t\nc", "a-b-c"),
            ("Năm 2024 – 2025", "nam-2024-2025"),
            ("Giá €5 🎉 xong", "gia-5-xong"),
            ("Ngọc Hồi_Sa Thầy", "ngoc-hoi-sa-thay"),
            ("Quyết định số 123/QĐ-UBND", "quyet-dinh-so-123-qd-ubnd"),
            ("abc", "abc"),
            ("ABC-def", "abc-def"),
            ("", ""),
            ("   ", ""),
            ("!!!", ""),
            ("🎉", ""),
            ("\u{0301}", ""),
            ("Straße", "strasse"),
        ];
        for (input, want) in cases {
            assert_eq!(slugify(input), want, "input {input:?}");
        }
    }

    #[test]
    fn nfd_and_nfc_give_the_same_slug() {
        for s in [
            "Đắk Hà",
            "Bình đẳng giới",
            "Kết quả thực hiện",
            "Tu Mơ Rông",
            "Ngọc Hồi",
            "ƯỚC TÍNH",
        ] {
            let nfc: String = s.nfc().collect();
            let nfd: String = s.nfd().collect();
            assert_ne!(nfc, nfd, "test input should contain decomposable letters");
            assert_eq!(slugify(&nfc), slugify(&nfd), "input {s:?}");
        }
        // A tone mark on a letter that has no precomposed form stays
        // combining after NFC; it must not split the word.
        assert_eq!(slugify("q\u{0301}ua"), "qua");
    }

    /// Every Vietnamese vowel with every tone mark, both cases, both
    /// normal forms, must reduce to its bare ASCII base letter.
    #[test]
    fn every_vietnamese_letter_transliterates_to_its_base() {
        let bases = [
            ("a", "a"),
            ("ă", "a"),
            ("â", "a"),
            ("e", "e"),
            ("ê", "e"),
            ("i", "i"),
            ("o", "o"),
            ("ô", "o"),
            ("ơ", "o"),
            ("u", "u"),
            ("ư", "u"),
            ("y", "y"),
        ];
        // none, huyền, hỏi, ngã, sắc, nặng
        let tones = ["", "\u{300}", "\u{309}", "\u{303}", "\u{301}", "\u{323}"];
        let mut checked = 0;
        for (base, ascii) in bases {
            for tone in tones {
                let lower = format!("{base}{tone}");
                for letter in [lower.clone(), lower.to_uppercase()] {
                    let nfc: String = letter.nfc().collect();
                    let nfd: String = letter.nfd().collect();
                    assert_eq!(nfc.chars().count(), 1, "{letter:?} should compose");
                    for form in [&nfc, &nfd] {
                        assert_eq!(slugify(form), ascii, "letter {form:?}");
                        // Inside a word, too: no stray separators.
                        assert_eq!(slugify(&format!("x{form}x")), format!("x{ascii}x"));
                    }
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 12 * 6 * 2);
        for d in ["đ", "Đ"] {
            assert_eq!(slugify(d), "d");
        }
    }

    #[test]
    fn slug_set_numbers_duplicates_deterministically() {
        let mut set = SlugSet::new();
        let got: Vec<String> = ["x", "x", "x", "y", "x"]
            .iter()
            .map(|s| set.unique(s))
            .collect();
        assert_eq!(got, ["x", "x-2", "x-3", "y", "x-4"]);
    }

    #[test]
    fn slug_set_skips_literal_numbered_slugs() {
        let mut set = SlugSet::new();
        assert_eq!(set.unique_slug("X 2"), "x-2");
        assert_eq!(set.unique_slug("X"), "x");
        assert_eq!(set.unique_slug("x"), "x-3");
        // A literal "x-2" arriving after the numbering also stays unique.
        assert_eq!(set.unique("x-3"), "x-3-2");
        assert!(set.contains("x-3-2"));
    }

    #[test]
    fn slug_set_reserved_and_empty() {
        let mut set = SlugSet::new();
        assert!(set.reserve("index"));
        assert!(!set.reserve("index"));
        assert_eq!(set.unique("index"), "index-2");
        assert_eq!(set.unique(""), "");
        assert_eq!(set.unique(""), "2");
    }
}
