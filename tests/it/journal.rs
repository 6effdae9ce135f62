//! The editor's history (src/journal): a site with a journal and leftovers of a crashed save
//! builds exactly the same `public/` as without them.

use crate::common::{tree, Fixture};
use bantin::journal::{self, Base, Version};

#[test]
fn a_journal_and_stale_temporary_files_change_nothing_in_public() {
    let f = Fixture::example();
    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let without = tree(&f.path("public"));
    assert!(without.len() > 100, "{} files", without.len());

    // Edit an article and a report through the journal, then restore both, so the content is
    // as it was and only the journal (and its lock) is new.
    let article = first_file(&f, "content/tin-tuc", ".md");
    let report = first_file(&f, "content/data/reports", ".toml");
    for rel in [&article, &report] {
        let (bytes, base) = journal::current(&f.root, rel).unwrap();
        let original = Version::of(&bytes.unwrap());
        let edited = journal::save(&f.root, rel, b"+++\n", "lan", &base).unwrap();
        journal::restore(&f.root, rel, &original, "lan", &Base::Version(edited)).unwrap();
        assert_eq!(journal::history(&f.root, rel).unwrap().versions.len(), 3);
    }
    assert!(f.exists(journal::LOG_FILE));
    // What a save cut by a crash leaves: a temporary file beside the article and the report.
    let stale = format!("{}bai.md-999-0", journal::TEMP_PREFIX);
    f.write(
        &format!("content/tin-tuc/{stale}"),
        "+++\ntitle = \"Không được đăng\"\n+++\nx\n",
    );
    f.write(&format!("content/data/reports/{stale}"), "khong phai toml");

    let out = f.bantin(&["build"]);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
    let with = tree(&f.path("public"));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&without), names(&with));
    for ((name, a), (_, b)) in without.iter().zip(&with) {
        assert!(a == b, "{name} differs");
    }
    // Nor does `bantin check` see them.
    let check = f.bantin(&["check"]);
    assert!(check.status.success(), "{}", crate::common::stderr(&check));
    assert!(!crate::common::stderr(&check).contains("bantin-tam"));
}

/// The first file (by name) in a folder of the site, as a `content/…` path.
fn first_file(f: &Fixture, dir: &str, ext: &str) -> String {
    let mut names: Vec<String> = std::fs::read_dir(f.path(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext) && !n.starts_with('_'))
        .collect();
    names.sort();
    format!("{dir}/{}", names[0])
}
