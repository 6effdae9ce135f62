//! What the importer targets share: the example site (this repository's `config.toml` and
//! `content/data/`, read only) loaded once, and the checks on what `import::apply::plan` says.
//! `FUZZ_SHOW=1 cargo +nightly fuzz run TARGET INPUT` prints the problems or the reports.

use std::path::PathBuf;
use std::sync::OnceLock;

use bantin::config::SiteConfig;
use bantin::data::Data;
use bantin::diag::Diagnostic;
use bantin::import::apply::plan;
use bantin::import::read::Sheet;

pub struct Site {
    pub root: PathBuf,
    pub cfg: SiteConfig,
    pub data: Data,
}

/// The example site, loaded and validated once per process.
pub fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let (cfg, data) = bantin::import::site_data(&root)
            .unwrap_or_else(|d| panic!("the example site does not load: {d:?}"));
        Site { root, cfg, data }
    })
}

/// Every problem names the file staff gave (`shown`, or `shown › sheet › cell`), once, or a
/// data file of the site, and has no English in it (outside what it quotes).
pub fn check_places(input: &dyn std::fmt::Debug, diags: &[Diagnostic], shown: &str) {
    if std::env::var_os("FUZZ_SHOW").is_some() {
        diags.iter().for_each(|d| eprintln!("{d}"));
    }
    for d in diags {
        let file = d.file.as_deref().unwrap_or("");
        assert!(
            file.starts_with(shown) || file.starts_with("content/data/"),
            "{input:?}: a diagnostic that names no file: {d}"
        );
        assert!(
            file.matches(shown).count() <= 1,
            "{input:?}: a place that names the file twice: {d}"
        );
        let said = format!("{} {}", d.message, d.hint.as_deref().unwrap_or(""));
        if let Some(word) = crate::english::english_in(&said, &format!("{input:?}")) {
            panic!("{input:?}: English ({word:?}) in a message: {d}");
        }
    }
}

/// Plans the reports of `sheets` as `bantin import --force --dry-run` does. Properties: every
/// problem names its place, and a report the importer generates always parses (what staff
/// typed is refused at its cell or written as a TOML value, never spliced into TOML that
/// breaks: the TOML parser's messages are about files staff never wrote).
pub fn check_plan(input: &dyn std::fmt::Debug, sheets: &[Sheet], shown: &str) {
    let s = site();
    let planned = plan(&s.root, &s.cfg, &s.data, sheets, shown, true);
    if std::env::var_os("FUZZ_SHOW").is_some() {
        match &planned {
            Ok(p) => p.iter().for_each(|p| eprintln!("{}:\n{}", p.file, p.text)),
            Err(d) => d.iter().for_each(|d| eprintln!("{d}")),
        }
    }
    match planned {
        Ok(planned) => {
            for p in &planned {
                if let Err(e) = p.text.parse::<toml::Table>() {
                    panic!("{input:?}: {} does not parse: {e}\n{}", p.file, p.text);
                }
            }
        }
        Err(diags) => {
            check_places(input, &diags, shown);
            for d in &diags {
                let generated = d.file.as_deref().is_some_and(|f| f.starts_with(shown));
                assert!(
                    !(generated && d.message.starts_with("Báo cáo số liệu không hợp lệ")),
                    "{input:?}: the importer generated a report that does not parse: {d}"
                );
            }
        }
    }
}
