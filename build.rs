//! Embeds the default theme into the binary so `bantin init` works anywhere, and records the
//! commit it was built from for `bantin --version`.

use std::fmt::Write;
use std::path::Path;

fn main() {
    commit();
    let theme = Path::new("themes/cong-thong-tin");
    println!("cargo:rerun-if-changed=themes/cong-thong-tin");
    let mut files = Vec::new();
    walk(theme, theme, &mut files);
    files.sort();
    let mut out = String::from("pub static THEME: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={abs}");
        writeln!(out, "    ({rel:?}, include_bytes!({abs:?})),").unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("theme_files.rs");
    std::fs::write(dest, out).unwrap();
}

fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            println!("cargo:rerun-if-changed={}", p.display());
            walk(base, &p, out);
        } else if p.is_file() {
            let rel = p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let abs = std::fs::canonicalize(&p)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.push((rel, abs));
        }
    }
}

/// `BANTIN_COMMIT`: the short hash of the commit built, with `-sửa` when the work tree had
/// uncommitted changes; empty outside a git checkout (a crate from crates.io, a tarball).
fn commit() {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let hash = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_default();
    let dirty = !hash.is_empty()
        && git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let value = if dirty { format!("{hash}-sửa") } else { hash };
    println!("cargo:rustc-env=BANTIN_COMMIT={value}");
    // a new commit or checkout changes HEAD or the branch it points to
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        println!("cargo:rerun-if-changed={dir}/index");
        if let Some(head) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo:rerun-if-changed={dir}/{head}");
        }
    }
}
