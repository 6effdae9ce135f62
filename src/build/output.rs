//! Where the pipeline puts what it renders: a staging directory swapped into place (`build`),
//! nowhere (`check`), or memory (`serve`, which implements [`Output`] itself).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::output::Staging;

/// One output file.
pub enum File<'a> {
    /// Bytes rendered for this file.
    Rendered(Vec<u8>),
    /// Bytes made before rendering (the search index).
    Shared(&'a Arc<Vec<u8>>),
    /// A source file copied as it is (static files, bundle assets).
    Copy(&'a Path),
    /// A file that is never changed in place (a photo cache entry): hard-linked where the file
    /// system allows, so a rebuild finds it unchanged without reading it.
    Link(&'a Path),
}

/// A destination for output files: opened once the checks passed, then `put` is called from
/// many threads at once for each file rendered (not for files kept from the previous run), and
/// `commit` once every file is in.
pub trait Output: Sync {
    fn open(&mut self) -> Result<(), Diagnostic> {
        Ok(())
    }
    /// Before the files of `paths` are put (creates their folders).
    fn prepare(&self, _paths: &mut dyn Iterator<Item = &str>) -> Result<(), Diagnostic> {
        Ok(())
    }
    fn put(&self, path: &str, file: File<'_>) -> Result<(), Diagnostic>;
    /// Whether the share card at `path`, drawn from `key`, needs no drawing: the previous
    /// output's card was drawn from the same key and is put in place, or nothing is written.
    fn reuse_card(&self, _path: &str, _key: &str) -> bool {
        false
    }
    fn commit(&mut self) -> Result<(), Diagnostic> {
        Ok(())
    }
    /// The staging folder, once opened, for a thread that writes files while the pages render
    /// (the search index); `None` where nothing is written to disk.
    fn staging(&self) -> Option<Arc<Staging>> {
        None
    }
    /// `check`: after errors, every page is still rendered so template errors are listed too.
    fn lists_render_errors(&self) -> bool {
        false
    }
}

/// `check`: nothing is written; a copied file must still be readable.
pub struct Discard;

impl Output for Discard {
    fn put(&self, _path: &str, file: File<'_>) -> Result<(), Diagnostic> {
        match file {
            File::Copy(src) | File::Link(src) if !src.is_file() => Err(unreadable(src)),
            _ => Ok(()),
        }
    }
    fn lists_render_errors(&self) -> bool {
        true
    }
    /// `check` does not draw cards: ~17 ms each, and drawing one cannot fail on any input
    /// (the title is escaped, the font is built in).
    fn reuse_card(&self, _path: &str, _key: &str) -> bool {
        true
    }
}

/// The message for a source file that cannot be copied.
pub fn unreadable(src: &Path) -> Diagnostic {
    Diagnostic::error(format!("không đọc được tệp \"{}\"", src.display()))
}

/// `build`: a staging directory beside `target`, swapped into its place on commit (dropped,
/// with everything in it, when the run fails).
pub struct Directory {
    target: PathBuf,
    staging: Option<Arc<Staging>>,
    list_changes: bool,
    /// What an interrupted earlier run left and this one repaired (a warning).
    pub recovered: Option<Diagnostic>,
    /// Set on a successful commit.
    pub written: Option<Written>,
}

/// What a build did to its output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written with new bytes.
    pub written: usize,
    /// Files left as they were (same bytes and modification time as before the build).
    pub unchanged: usize,
    /// With `build --changes`: the files added, modified and deleted.
    pub changes: Option<crate::output::Changes>,
}

impl Directory {
    pub fn new(target: PathBuf, list_changes: bool) -> Directory {
        Directory {
            target,
            staging: None,
            list_changes,
            recovered: None,
            written: None,
        }
    }

    fn opened(&self) -> Result<&Staging, Diagnostic> {
        self.staging
            .as_deref()
            .ok_or_else(|| Diagnostic::error("lỗi nội bộ: thư mục tạm chưa được tạo"))
    }
}

impl Output for Directory {
    /// Opened once: `build` opens it before the search index starts, the pipeline again later.
    fn open(&mut self) -> Result<(), Diagnostic> {
        if self.staging.is_some() {
            return Ok(());
        }
        let mut staging = Staging::new(&self.target)?;
        self.recovered = staging.recovered.take();
        self.staging = Some(Arc::new(staging));
        Ok(())
    }
    fn prepare(&self, paths: &mut dyn Iterator<Item = &str>) -> Result<(), Diagnostic> {
        self.opened()?.prepare_dirs(paths)
    }
    fn put(&self, path: &str, file: File<'_>) -> Result<(), Diagnostic> {
        let staging = self.opened()?;
        match file {
            File::Rendered(bytes) => staging.write(path, &bytes),
            File::Shared(bytes) => staging.write(path, bytes),
            File::Copy(src) => staging.copy(src, path),
            File::Link(src) => staging.link(src, path),
        }
    }
    fn staging(&self) -> Option<Arc<Staging>> {
        self.staging.clone()
    }
    fn reuse_card(&self, path: &str, key: &str) -> bool {
        self.staging
            .as_ref()
            .is_some_and(|s| s.reuse_if(path, |head| crate::render::card::has_key(head, key)))
    }
    fn commit(&mut self) -> Result<(), Diagnostic> {
        let Some(s) = self.staging.take() else {
            return Ok(());
        };
        // every writer (the search index's thread) is done with it by now
        let s = Arc::try_unwrap(s).map_err(|_| {
            Diagnostic::error("lỗi nội bộ: thư mục tạm còn đang được ghi (xin báo lỗi cho nhóm phát triển bantin)")
        })?;
        let (written, unchanged) = s.counts();
        let changes = self.list_changes.then(|| s.changes());
        s.commit()?;
        self.written = Some(Written {
            written,
            unchanged,
            changes,
        });
        Ok(())
    }
}
