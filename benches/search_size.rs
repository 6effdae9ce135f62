//! What a reader's phone downloads for a search: builds a site through the real pipeline and,
//! for a few queries, sums the index files the search page fetches (the metadata, the shards
//! of the query's words, the text chunks of the first ten results), raw and gzipped.
//!
//! `cargo bench --bench search_size -- SITE` (default: the example site). For the benchmark
//! corpus, prepare a site as `scripts/bench` does, e.g. `scripts/bench --articles 10000` leaves
//! one under its scratch folder. Gzip sizes use the `gzip` command.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use bantin::search::{
    chunk_path, meta_path, search, shard_key, shard_path, tokens, DOCS_PER_CHUNK, INDEX_DIR,
    MIN_PREFIX, SHARD_KEY_CHARS,
};

const QUERIES: [&str; 6] = [
    "binh dang gioi",
    "bình đẳng giới",
    "đường",
    "kon plong",
    "giai ngan du an 8",
    "ph",
];

fn main() {
    // `cargo bench` passes `--bench`; the first other argument is the site.
    let site = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .unwrap_or_else(|| ".".into());
    let out = tempfile::tempdir().expect("temporary folder");
    let public = out.path().join("public");
    let t = std::time::Instant::now();
    if let Err(r) = bantin::build::build_to(Path::new(&site), &public) {
        eprintln!("{}", r.diagnostics);
        std::process::exit(1);
    }
    println!("built {site} in {:.2?}", t.elapsed());
    let files = index_files(&public);
    let total: usize = files.iter().map(|f| f.1.len()).sum();
    let shards = files.iter().filter(|f| f.0.contains("/tu/")).count();
    let chunks = files.iter().filter(|f| f.0.contains("/van-ban/")).count();
    println!(
        "index: {} files ({shards} shards, {chunks} text chunks), {:.1} MB raw",
        files.len(),
        total as f64 / 1e6
    );
    for q in QUERIES {
        measure(&files, q);
    }
}

/// The index files under `public`, as (output path, bytes), sorted.
fn index_files(public: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(public.join(INDEX_DIR))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(public).expect("inside public");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("readable index file"))
        })
        .collect();
    files.sort();
    files
}

fn file<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> &'a [u8] {
    &files.iter().find(|(p, _)| p == path).expect(path).1
}

fn gzip_len(b: &[u8]) -> usize {
    let mut c = Command::new("gzip")
        .arg("-c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the gzip command");
    c.stdin
        .take()
        .expect("stdin")
        .write_all(b)
        .expect("gzip input");
    c.wait_with_output().expect("gzip output").stdout.len()
}

/// Prints what the search page fetches for query `q`.
fn measure(files: &[(String, Vec<u8>)], q: &str) {
    let meta: serde_json::Value = serde_json::from_slice(file(files, &meta_path())).unwrap();
    let shard_list: Vec<&str> = meta["shards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let urls: Vec<&str> = meta["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d[1].as_str().unwrap())
        .collect();
    let mut need = vec![meta_path()];
    let words = tokens(q);
    for (i, w) in words.iter().enumerate() {
        let short = w.folded.chars().count() < SHARD_KEY_CHARS;
        if i + 1 == words.len() && short && w.folded.chars().count() >= MIN_PREFIX {
            let prefixed = shard_list.iter().filter(|s| s.starts_with(&w.folded));
            need.extend(prefixed.map(|s| shard_path(s)));
        } else {
            need.push(shard_path(shard_key(&w.folded)));
        }
    }
    let results = search(files, q);
    for u in results.iter().take(10) {
        let n = urls.iter().position(|x| x == u).unwrap();
        need.push(chunk_path(n / DOCS_PER_CHUNK));
    }
    need.sort();
    need.dedup();
    let fetched: Vec<&[u8]> = need
        .iter()
        .filter_map(|p| files.iter().find(|f| &f.0 == p).map(|f| f.1.as_slice()))
        .collect();
    let raw: usize = fetched.iter().map(|b| b.len()).sum();
    let zipped: usize = fetched.iter().map(|b| gzip_len(b)).sum();
    println!(
        "query {q:?}: {} results; fetches {} files, {:.0} KB raw, {:.0} KB gzip (meta {:.0} KB gzip)",
        results.len(),
        fetched.len(),
        raw as f64 / 1e3,
        zipped as f64 / 1e3,
        gzip_len(file(files, &meta_path())) as f64 / 1e3
    );
}
