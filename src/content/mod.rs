//! Content stage: reads `content/` (Markdown with TOML front matter) into plain values.
//! No cross-references are resolved here; that is the site model's job.

pub mod front_matter;
pub mod load;
pub mod page;

pub use load::{load_content, LoadOptions, LoadedContent};
pub use page::{Page, PageFrontMatter, Section, SectionFrontMatter, SortBy, Source};

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// NFC-normalises text: Vietnamese typed in "tổ hợp" mode arrives decomposed (NFD), and the
/// same word must slug, sort, search and compare identically whichever way it was typed.
pub fn normalize_text(s: &str) -> String {
    if is_nfc_fast(s) || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// A cheap sufficient test for NFC: every character is below U+0300 (ASCII, Latin-1, Latin
/// Extended-A/B: all NFC_QC=Yes with combining class 0) or a precomposed letter of Latin
/// Extended Additional (U+1E00–U+1EFF, where all of Vietnamese lives). Typical Vietnamese text
/// passes without the Unicode table lookups of the general check.
pub fn is_nfc_fast(s: &str) -> bool {
    s.chars()
        .all(|c| (c as u32) < 0x300 || (0x1E00..=0x1EFF).contains(&(c as u32)))
}
