//! bantin — a static site generator for Vietnamese-language progress bulletins.
//!
//! The pipeline flows one way: [`config`] → [`content`] (load) → [`site`] (model, validate)
//! → [`plan`] (output jobs) → [`render`] (Tera) → [`output`] (atomic write). [`build`] runs it;
//! [`cli`] is the command line. [`locale`] holds pure Vietnamese formatting (dates, numbers,
//! money, slugs, collation) and imports nothing else of ours.

pub mod anh;
pub mod build;
pub mod charts;
pub mod checks;
pub mod cli;
pub mod config;
pub mod content;
pub mod data;
pub mod diag;
pub mod edit;
pub mod escape;
pub mod figures;
pub mod fsutil;
pub mod import;
pub mod journal;
pub mod locale;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod plan;
pub mod render;
pub mod sanitize;
pub mod search;
pub mod serve;
pub mod shortcodes;
pub mod site;
pub mod source;
#[cfg(test)]
mod testutil;
