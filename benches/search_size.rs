//! What a reader's phone downloads for a search: builds a site through the real pipeline, then
//! runs the theme's own `tim-kiem.js` under Node (its `fetch` reading the built files) for a
//! few queries and sums what it fetches for each: `meta.json`, the word files of the query's
//! words, the document files of the first page of results. Each query first on a fresh page
//! (nothing cached), then all of them one after another on one page (what each one adds).
//! Gzip is zlib's default level, the level of `flate2`'s default and of `gzip`.
//!
//! `cargo bench --bench search_size -- SITE [QUERY…]` (default: the example site and a few
//! queries). For the benchmark corpus, prepare a site as `scripts/bench` does, e.g.
//! `scripts/bench --articles 10000` leaves one under its scratch folder. Needs `node`.

use std::path::Path;
use std::process::Command;

use bantin::search::INDEX_DIR;

const QUERIES: [&str; 6] = [
    "binh dang gioi",
    "bình đẳng giới",
    "đường",
    "kon plong",
    "giai ngan du an 8",
    "ph",
];

/// Run by Node: `SCRIPT PUBLIC QUERY…`; prints one line per query.
const MEASURE: &str = r#"
const [script, pub, ...queries] = process.argv.slice(1);
const fs = require('fs'), zlib = require('zlib');
const c = require(script);
const dir = pub + '/tim-kiem/chi-muc/';
let log = [];
global.fetch = async (url) => {
  const p = url.split('?')[0].replace(/^.*\/tim-kiem\/chi-muc\//, '');
  const b = fs.readFileSync(dir + p);
  log.push([p, b.length, zlib.gzipSync(b).length]);
  return { ok: true, json: async () => JSON.parse(b) };
};
async function query(idx, q) {
  await idx.load();
  const r = await c.rank(idx, q, { section: '', area: '', project: '' });
  await idx.docs(r.hits.slice(0, 10));
  return r;
}
const kb = (n) => (n / 1000).toFixed(1) + ' KB';
const sum = (k) => log.reduce((a, x) => a + x[k], 0);
(async () => {
  console.log(`tim-kiem.js: ${kb(zlib.gzipSync(fs.readFileSync(script)).length)} gzip`);
  for (const q of queries) {
    log = [];
    const r = await query(new c.Index('/'), q);
    const by = {};
    for (const [p, , g] of log) { const k = p.replace(/\/.*|\.json$/g, ''); by[k] = (by[k] || 0) + g; }
    const parts = Object.entries(by).map(([k, g]) => `${k} ${kb(g)}`).join(', ');
    console.log(`query ${JSON.stringify(q)}: ${r.hits.length} results; fetches ${log.length} files, ` +
      `${kb(sum(1))} raw, ${kb(sum(2))} gzip (${parts})`);
  }
  const idx = new c.Index('/');
  for (const q of queries) {
    log = [];
    await query(idx, q);
    console.log(`then ${JSON.stringify(q)} on the same page: ${log.length} more files, ${kb(sum(2))} gzip`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
"#;

fn main() {
    // `cargo bench` passes `--bench`; the other arguments are the site, then queries.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let site = args.first().cloned().unwrap_or_else(|| ".".into());
    let queries: Vec<String> = if args.len() > 1 {
        args[1..].to_vec()
    } else {
        QUERIES.iter().map(|q| q.to_string()).collect()
    };
    let out = tempfile::tempdir().expect("temporary folder");
    let public = out.path().join("public");
    let t = std::time::Instant::now();
    if let Err(r) = bantin::build::build_to(Path::new(&site), &public) {
        eprintln!("{}", r.diagnostics);
        std::process::exit(1);
    }
    println!("built {site} in {:.2?}", t.elapsed());
    let (mut count, mut total) = (0, 0);
    for e in walkdir::WalkDir::new(public.join(INDEX_DIR)) {
        let e = e.expect("index folder");
        if e.file_type().is_file() {
            count += 1;
            total += e.metadata().expect("index file").len();
        }
    }
    println!("index: {count} files, {:.1} MB raw", total as f64 / 1e6);
    let script = public.join("js/tim-kiem.js");
    let status = Command::new("node")
        .arg("-e")
        .arg(MEASURE)
        .arg(&script)
        .arg(&public)
        .args(&queries)
        .status()
        .expect("node (the search script runs under Node)");
    assert!(status.success(), "the measurement script failed");
}
