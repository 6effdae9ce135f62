//! bantin's integration tests, as modules of one test binary (one link instead of one per
//! file, on 2 cores): fixture sites built through the library and the binary, their output
//! parsed and asserted. `common` is the fixture harness.

mod common;

mod anh;
mod bad_input;
mod build_site;
mod cli;
mod commonmark_spec;
mod data;
mod data_pages;
mod deploy;
mod determinism;
mod edit;
mod edit_figures;
mod edit_flow;
mod edit_preview;
mod edit_publish;
mod edit_tools;
mod english;
mod errors;
mod hostile;
mod import;
mod journal;
mod properties;
mod serve;
mod share;
mod sitemap;
mod theme;
mod van_ban;
mod verify;
