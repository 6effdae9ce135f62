//! Write stage: every build goes into a temporary directory beside the output and replaces it
//! only when everything succeeded, so a failed build leaves the previous site exactly as it was.

pub mod search_index;

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
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging, Diagnostic> {
        let parent = target.parent().unwrap_or(Path::new("."));
        fsutil::create_dir_all(parent).map_err(|e| Diagnostic::error(e.to_string()))?;
        let dir = tempfile::Builder::new()
            .prefix(".bantin-build-")
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
            if unchanged(&old, bytes) && std::fs::hard_link(&old, &dest).is_ok() {
                return Ok(());
            }
        }
        fsutil::write(&dest, bytes).map_err(|e| Diagnostic::error(e.to_string()))
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
        check(&head[..n])
            && (std::fs::hard_link(&old, &dest).is_ok() || fsutil::copy(&old, &dest).is_ok())
    }

    pub fn copy(&self, src: &Path, rel: &str) -> Result<(), Diagnostic> {
        fsutil::copy(src, &self.inside(rel)?).map_err(|e| Diagnostic::error(e.to_string()))
    }

    /// Swaps the staged tree into place. The old tree is moved aside first and deleted last.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let target = self.target.clone();
        let staged = self.dir.keep();
        let err = |e: fsutil::FsError| Diagnostic::error(e.to_string());
        if target.exists() {
            let parent = target.parent().unwrap_or(Path::new("."));
            let old = tempfile::Builder::new()
                .prefix(".bantin-old-")
                .tempdir_in(parent)
                .map_err(|e| Diagnostic::error(format!("không tạo được thư mục tạm: {e}")))?
                .keep();
            let aside = old.join("public");
            if let Err(e) = fsutil::rename(&target, &aside) {
                let _ = std::fs::remove_dir_all(&staged);
                let _ = std::fs::remove_dir_all(&old);
                return Err(err(e));
            }
            if let Err(e) = fsutil::rename(&staged, &target) {
                // put the old site back
                let _ = std::fs::rename(&aside, &target);
                let _ = std::fs::remove_dir_all(&staged);
                let _ = std::fs::remove_dir_all(&old);
                return Err(err(e));
            }
            fsutil::remove_dir_all_parallel(&old).map_err(err)?;
        } else {
            fsutil::rename(&staged, &target).map_err(err)?;
        }
        Ok(())
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
