//! Content stage: reads `content/` (Markdown with TOML front matter) into plain values.
//! No cross-references are resolved here; that is the site model's job.

pub mod front_matter;
pub mod keys;
pub mod load;
pub mod page;
pub mod translation;

pub use load::{load_content, LoadOptions, LoadedContent};
pub use page::{Page, PageFrontMatter, Section, SectionFrontMatter, SortBy, Source, Translation};
