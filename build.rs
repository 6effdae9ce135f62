//! Embeds the default theme into the binary so `bantin init` works anywhere.

use std::fmt::Write;
use std::path::Path;

fn main() {
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
