//! Write stage: every build goes into a temporary directory beside the output and replaces it
//! only when everything succeeded, so a failed build leaves the previous site exactly as it was.

pub mod search_index;
pub mod swap;

use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::fsutil;

/// Refuses output directories whose replacement would destroy the site's sources or a
/// system/home directory. Returns the absolute output path. A relative `output` is relative
/// to the current directory, like `root` (`--root site` writes `site/public`, which the command
/// line passes as `site/public`, not `public` inside the root).
pub fn check_output_dir(root: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let root = absolute(root);
    let out = absolute(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "không thể dùng \"{}\" làm thư mục xuất: {why}",
            out.display()
        ))
        .hint("chọn một thư mục riêng cho trang đã dựng, ví dụ --output public"))
    };
    if out.parent().is_none() {
        return refuse("đó là thư mục gốc của hệ thống");
    }
    if root.starts_with(&out) {
        return refuse("nó chứa mã nguồn của trang (sẽ bị xoá khi ghi đè)");
    }
    for src in ["content", "templates", "themes", "static", ".git"] {
        if out.starts_with(root.join(src)) {
            return refuse(&format!("nó nằm trong thư mục nguồn {src}/"));
        }
    }
    if out.join(".git").exists()
        || out.join("config.toml").exists()
        || out.join("Cargo.toml").exists()
    {
        return refuse("thư mục đó chứa mã nguồn (có .git, config.toml hoặc Cargo.toml)");
    }
    if let Ok(meta) = std::fs::symlink_metadata(&out) {
        if meta.file_type().is_symlink() {
            return refuse(
                "đó là một liên kết tượng trưng (symlink); bantin không ghi qua liên kết",
            );
        }
        if !meta.is_dir() {
            return refuse("đó là một tệp, không phải thư mục");
        }
        // A folder that is not empty and was not built by bantin would be wiped by the swap.
        let mut entries = std::fs::read_dir(&out).into_iter().flatten().flatten();
        let non_empty = entries.next().is_some();
        if non_empty && !out.join("index.html").is_file() && !out.join("sitemap.xml").is_file() {
            return refuse(
                "thư mục đó đã có tệp khác, không phải trang do bantin dựng (sẽ bị xoá khi ghi đè)",
            );
        }
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if absolute(&home) == out {
            return refuse("đó là thư mục nhà của người dùng");
        }
    }
    if out.components().count() <= 2 {
        return refuse("đó là một thư mục hệ thống");
    }
    Ok(out)
}

/// Lexically absolute path (without requiring it to exist).
pub fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// A directory being filled, replaced into place on `commit`.
pub struct Staging {
    dir: tempfile::TempDir,
    target: PathBuf,
    /// The target directory existed when the build started: only then can a file be unchanged
    /// (a first or clean build skips one failing `stat` per file).
    previous: bool,
    /// Files written with new bytes (the others are hard links to the previous tree's).
    written: std::sync::Mutex<Vec<String>>,
    /// Files kept byte for byte from the previous tree.
    kept: std::sync::atomic::AtomicUsize,
    /// What an interrupted earlier run left, repaired before this one started.
    pub recovered: Option<Diagnostic>,
    _lock: swap::Lock,
}

/// What a build changed in the output tree, against the previous one.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub modified: Vec<String>,
    pub deleted: Vec<String>,
    /// Files left as they were (same bytes, same modification time).
    pub unchanged: usize,
}

impl Changes {
    /// One line a file, `A`dded, `M`odified or `D`eleted, a tab, its path (`/`-separated,
    /// relative to the output folder), sorted by path: what an upload script sends or removes.
    pub fn to_lines(&self) -> String {
        let mut all: Vec<(&str, char)> = Vec::new();
        all.extend(self.added.iter().map(|p| (p.as_str(), 'A')));
        all.extend(self.modified.iter().map(|p| (p.as_str(), 'M')));
        all.extend(self.deleted.iter().map(|p| (p.as_str(), 'D')));
        all.sort();
        let mut out = String::new();
        for (path, what) in all {
            out.push(what);
            out.push('\t');
            out.push_str(path);
            out.push('\n');
        }
        out
    }
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging, Diagnostic> {
        let parent = target.parent().unwrap_or(Path::new("."));
        fsutil::create_dir_all(parent).map_err(|e| Diagnostic::error(e.to_string()))?;
        let lock = swap::lock(parent)?;
        let recovered = swap::recover(target)?;
        let name = target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy());
        let dir = tempfile::Builder::new()
            .prefix(&swap::build_prefix(&name))
            .tempdir_in(parent)
            .map_err(|e| {
                Diagnostic::error(format!(
                    "không tạo được thư mục tạm trong \"{}\": {e}",
                    parent.display()
                ))
            })?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            previous: target.is_dir(),
            written: Default::default(),
            kept: Default::default(),
            recovered,
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The staged path of a relative `/`-separated output path; refuses anything that could
    /// leave the staging directory (absolute, `..`, a drive or root component).
    fn inside(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        let p = Path::new(rel);
        if rel.is_empty()
            || rel.contains('\0')
            || !p.components().all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(Diagnostic::error(format!(
                "từ chối ghi \"{rel}\": đường dẫn ra ngoài thư mục xuất"
            )));
        }
        Ok(self.dir.path().join(p))
    }

    /// Creates every directory the given relative file paths need, once, before the parallel
    /// writes (so each write is a single `open`+`write`, not a walk of `create_dir_all`).
    /// Level by level, each level in parallel: one folder per article means tens of thousands
    /// of `mkdir`s, a second of serial work on a disk.
    pub fn prepare_dirs<'a>(&self, files: impl Iterator<Item = &'a str>) -> Result<(), Diagnostic> {
        let mut dirs: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        for f in files {
            let mut d = f;
            while let Some((parent, _)) = d.rsplit_once('/') {
                if !dirs.insert(parent) {
                    break; // its ancestors are in already
                }
                d = parent;
            }
        }
        let mut levels: Vec<Vec<&str>> = Vec::new();
        for d in dirs {
            let depth = d.matches('/').count();
            if levels.len() <= depth {
                levels.resize(depth + 1, Vec::new());
            }
            levels[depth].push(d);
        }
        for level in levels {
            let paths = level
                .iter()
                .map(|d| self.inside(d))
                .collect::<Result<Vec<_>, _>>()?;
            paths.par_iter().try_for_each(|p| {
                fsutil::create_dir(p).map_err(|e| Diagnostic::error(e.to_string()))
            })?;
        }
        Ok(())
    }

    /// Writes `bytes` at the relative `/`-separated path (its directory must exist). When the
    /// previous output has the same file with the same bytes, it is hard-linked instead: no
    /// new data to write, the unchanged file keeps its modification time (deploy tools such as
    /// rsync skip it), and deleting the old tree later frees nothing but names.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let dest = self.inside(rel)?;
        if self.previous {
            let old = self.target.join(rel);
            if unchanged(&old, bytes) && self.link_old(&old, &dest) {
                return Ok(());
            }
        }
        fsutil::write(&dest, bytes).map_err(|e| Diagnostic::error(e.to_string()))?;
        self.note_written(rel);
        Ok(())
    }

    fn link_old(&self, old: &Path, dest: &Path) -> bool {
        let linked = std::fs::hard_link(old, dest).is_ok();
        if linked {
            self.kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        linked
    }

    fn note_written(&self, rel: &str) {
        if let Ok(mut w) = self.written.lock() {
            w.push(rel.to_string());
        }
    }

    /// Hard-links (or copies) the previous output's file at `rel` into the staging directory
    /// when its first 256 bytes pass `check`; whether it did.
    pub fn reuse_if(&self, rel: &str, check: impl Fn(&[u8]) -> bool) -> bool {
        use std::io::Read;
        if !self.previous {
            return false;
        }
        let (Ok(dest), old) = (self.inside(rel), self.target.join(rel)) else {
            return false;
        };
        match std::fs::symlink_metadata(&old) {
            Ok(m) if m.is_file() => {}
            _ => return false,
        }
        let mut head = [0u8; 256];
        let n = match std::fs::File::open(&old).and_then(|mut f| f.read(&mut head)) {
            Ok(n) => n,
            Err(_) => return false,
        };
        check(&head[..n]) && self.link_old(&old, &dest)
    }

    /// Copies a source file (a static file, a bundle's attachment); one whose bytes equal the
    /// previous output's file is hard-linked to it instead, like [`Staging::write`].
    pub fn copy(&self, src: &Path, rel: &str) -> Result<(), Diagnostic> {
        let dest = self.inside(rel)?;
        if self.previous {
            let old = self.target.join(rel);
            if same_file_bytes(src, &old) && self.link_old(&old, &dest) {
                return Ok(());
            }
        }
        fsutil::copy(src, &dest).map_err(|e| Diagnostic::error(e.to_string()))?;
        self.note_written(rel);
        Ok(())
    }

    /// [`Staging::copy`] of a file never changed in place (a photo cache entry): the output is a
    /// hard link to it, and a previous output that is already one is kept without reading
    /// either file (a rebuild of a site with 10 000 photos read every variant twice). Across
    /// file systems, a copy.
    pub fn link(&self, src: &Path, rel: &str) -> Result<(), Diagnostic> {
        let dest = self.inside(rel)?;
        if self.previous {
            let old = self.target.join(rel);
            if (same_inode(src, &old) || same_file_bytes(src, &old)) && self.link_old(&old, &dest) {
                return Ok(());
            }
        }
        if std::fs::hard_link(src, &dest).is_err() {
            fsutil::copy(src, &dest).map_err(|e| Diagnostic::error(e.to_string()))?;
        }
        self.note_written(rel);
        Ok(())
    }

    /// Files written with new bytes and files kept, so far.
    pub fn counts(&self) -> (usize, usize) {
        let written = self.written.lock().map_or(0, |w| w.len());
        (
            written,
            self.kept.load(std::sync::atomic::Ordering::Relaxed),
        )
    }

    /// What this build changes against the previous tree (read before [`Staging::commit`]):
    /// the files written, each added or modified, and the previous tree's files it lacks.
    pub fn changes(&self) -> Changes {
        let mut c = Changes {
            unchanged: self.kept.load(std::sync::atomic::Ordering::Relaxed),
            ..Changes::default()
        };
        let written = self.written.lock().map(|w| w.clone()).unwrap_or_default();
        for rel in written {
            if self.previous && self.target.join(&rel).is_file() {
                c.modified.push(rel);
            } else {
                c.added.push(rel);
            }
        }
        if self.previous {
            let staged = self.dir.path();
            c.deleted = files_under(&self.target)
                .into_iter()
                .filter(|rel| !staged.join(rel).is_file())
                .collect();
        }
        c.added.sort();
        c.modified.sort();
        c
    }

    /// Swaps the staged tree into place ([`swap::swap`]).
    pub fn commit(self) -> Result<(), Diagnostic> {
        let staged = self.dir.keep();
        swap::swap(&staged, &self.target)
    }
}

/// Every file under `dir`, relative and `/`-separated, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    out.sort();
    out
}

/// Two regular files (not links) with the same bytes, compared a block at a time.
/// Whether `a` and `b` are one file (hard links of one inode); `b` not followed if a link.
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(ma), Ok(mb)) => mb.is_file() && ma.dev() == mb.dev() && ma.ino() == mb.ino(),
        _ => false,
    }
}

fn same_file_bytes(a: &Path, b: &Path) -> bool {
    use std::io::Read;
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::symlink_metadata(b)) else {
        return false;
    };
    if !ma.is_file() || !mb.is_file() || ma.len() != mb.len() {
        return false;
    }
    let (Ok(mut fa), Ok(mut fb)) = (std::fs::File::open(a), std::fs::File::open(b)) else {
        return false;
    };
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let n = match fa.read(&mut ba) {
            Ok(0) => return fb.read(&mut bb).is_ok_and(|m| m == 0),
            Ok(n) => n,
            Err(_) => return false,
        };
        if fb.read_exact(&mut bb[..n]).is_err() || ba[..n] != bb[..n] {
            return false;
        }
    }
}

/// `path` is a regular file (not a link) holding exactly `bytes`.
fn unchanged(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    let mut old = Vec::with_capacity(bytes.len());
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut old))
        .is_ok_and(|_| old == bytes)
}

/// Writes many files in parallel; returns every failure.
pub fn write_all<T: Sync>(
    items: &[T],
    f: impl Fn(&T) -> Result<(), Diagnostic> + Sync,
) -> Vec<Diagnostic> {
    items.par_iter().filter_map(|i| f(i).err()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_refuses_paths_that_leave_it() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::new(&tmp.path().join("public")).unwrap();
        for bad in ["../x", "/etc/x", "a/../../x", "", "a\0b"] {
            assert!(s.write(bad, b"x").is_err(), "{bad:?}");
        }
        assert!(s.prepare_dirs(["../d/x", "a/b.html"].into_iter()).is_err());
        assert!(s.prepare_dirs(["a/b.html"].into_iter()).is_ok());
        assert!(s.write("a/b.html", b"x").is_ok());
        assert!(!tmp.path().join("x").exists());
    }
}
