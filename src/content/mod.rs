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
    if is_nfc_quick(s.chars()) == IsNormalized::Yes {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}
