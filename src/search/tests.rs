use unicode_normalization::UnicodeNormalization;

use super::*;

fn doc(url: &str, title: &str, section_id: &str, text: &str) -> SearchDoc {
    SearchDoc {
        url: url.into(),
        title: title.into(),
        date: Some("12/12/2022".into()),
        section: match section_id {
            "tin-tuc" => "Tin tức",
            "hoat-dong" => "Hoạt động",
            _ => "Khác",
        }
        .into(),
        section_id: section_id.into(),
        kind: "bai-viet".into(),
        text: text.into(),
        ..SearchDoc::default()
    }
}

fn corpus() -> Vec<SearchDoc> {
    let mut seed = doc(
        "/tin-tuc/du-an-8/",
        "Dự án 8 năm 2022: kết quả thực hiện bình đẳng giới",
        "tin-tuc",
        "Hội Liên hiệp Phụ nữ tỉnh đã giải ngân 1.393 triệu đồng, bằng 36,38% vốn.",
    );
    seed.areas = vec!["Kon Tum".into()];
    seed.projects = vec!["Dự án 8".into()];
    let mut plong = doc(
        "/hoat-dong/kon-plong/",
        "Măng Đen đón khách du lịch",
        "hoat-dong",
        "Huyện Kon Plông phát triển du lịch cộng đồng gắn với rừng thông.",
    );
    plong.areas = vec!["Kon Plông".into()];
    let mut duong = doc(
        "/tin-tuc/duong/",
        "Trồng cây dương liễu ven biển",
        "tin-tuc",
        "Mô hình trồng cây dương cho thu nhập ổn định.",
    );
    duong.areas = vec!["Kon Plông".into()];
    let duong_sac = doc(
        "/hoat-dong/lam-duong/",
        "Hoàn thành công trình giao thông",
        "hoat-dong",
        "Xã đã làm xong con đường bê tông dài 2 km.",
    );
    let partial = doc(
        "/tin-tuc/binh-dang/",
        "Bình đẳng, bình đẳng và bình đẳng",
        "tin-tuc",
        "Bình đẳng trong tiếp cận dịch vụ.",
    );
    let body_only = doc(
        "/tin-tuc/nuoc-sach-than/",
        "Tin vắn",
        "tin-tuc",
        "nước sạch nước sạch nước sạch nước sạch nước sạch",
    );
    let in_title = doc(
        "/tin-tuc/nuoc-sach/",
        "Nước sạch cho bản làng",
        "tin-tuc",
        "Tin vắn.",
    );
    let script = doc(
        "/tin-tuc/script/",
        "Thử </script><script>alert(1)</script> tiêu đề",
        "khac",
        "<!-- không phải chú thích --> văn bản",
    );
    vec![
        seed, plong, duong, duong_sac, partial, body_only, in_title, script,
    ]
}

fn file<'a>(files: &'a [(String, Vec<u8>)], path: &str) -> &'a [u8] {
    &files.iter().find(|(p, _)| p == path).expect(path).1
}

#[test]
fn fold_table() {
    let cases = [
        ("đ", "d"),
        ("Đ", "d"),
        ("ð Ð", "d d"),
        ("BÌNH ĐẲNG GIỚI", "binh dang gioi"),
        ("Bình đẳng giới", "binh dang gioi"),
        ("Kon Plông", "kon plong"),
        ("Ia H'Drai", "ia h'drai"),
        ("Đắk Tô", "dak to"),
        ("36,38%", "36,38%"),
        ("", ""),
    ];
    for (input, want) in cases {
        assert_eq!(fold(input), want, "{input}");
        let nfd: String = input.nfd().collect();
        assert_eq!(fold(&nfd), want, "NFD {input}");
    }
    // Every vowel with every tone, both cases and both normal forms.
    let rows = [
        ("a", "aáàảãạ"),
        ("a", "ăắằẳẵặ"),
        ("a", "âấầẩẫậ"),
        ("e", "eéèẻẽẹ"),
        ("e", "êếềểễệ"),
        ("i", "iíìỉĩị"),
        ("o", "oóòỏõọ"),
        ("o", "ôốồổỗộ"),
        ("o", "ơớờởỡợ"),
        ("u", "uúùủũụ"),
        ("u", "ưứừửữự"),
        ("y", "yýỳỷỹỵ"),
    ];
    for (base, letters) in rows {
        for c in letters.chars() {
            for s in [c.to_string(), c.to_uppercase().collect()] {
                assert_eq!(fold(&s), base, "{s}");
                assert_eq!(fold(&s.nfd().collect::<String>()), base, "NFD {s}");
            }
        }
    }
}

#[test]
fn tokens_split_and_normalise() {
    let t = tokens("Tỷ lệ 36,38% ở Ia H'Drai — ĐƯỜNG");
    let exact: Vec<&str> = t.iter().map(|t| t.exact.as_str()).collect();
    let folded: Vec<&str> = t.iter().map(|t| t.folded.as_str()).collect();
    assert_eq!(
        exact,
        ["tỷ", "lệ", "36", "38", "ở", "ia", "h", "drai", "đường"]
    );
    assert_eq!(
        folded,
        ["ty", "le", "36", "38", "o", "ia", "h", "drai", "duong"]
    );
    let nfd: String = "Bình đẳng giới".nfd().collect();
    assert_eq!(tokens(&nfd), tokens("Bình đẳng giới"));
    assert_eq!(tokens(&nfd)[0].exact, "bình");
    assert!(tokens(" ,.;– ").is_empty());
}

#[test]
fn shard_names() {
    assert_eq!(shard_key("gioi"), "gio");
    assert_eq!(shard_key("o"), "o");
    assert_eq!(shard_file_name("bin"), "bin");
    assert_eq!(shard_file_name("中文"), "_4e2d__6587_");
    assert_eq!(shard_file_name("ñ1"), "_f1_1");
    assert_eq!(shard_file_name("con"), "con_");
    assert_eq!(shard_file_name("aux"), "aux_");
    assert_eq!(shard_file_name("cons"), "cons");
}

#[test]
fn index_is_deterministic_and_sorted() {
    let a = build_index(&corpus());
    let b = build_index(&corpus());
    assert_eq!(a, b);
    let paths: Vec<&str> = a.iter().map(|(p, _)| p.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(paths, sorted);
    assert!(paths.iter().all(|p| p.starts_with("tim-kiem/chi-muc/")));
    assert!(paths.contains(&"tim-kiem/chi-muc/meta.json"));
    assert!(paths.contains(&"tim-kiem/chi-muc/tu/bin.json"));
    assert!(paths.contains(&"tim-kiem/chi-muc/bai/0.json"));
    assert!(paths.contains(&"tim-kiem/chi-muc/loc.json"));
    // Another input gives another cache-busting hash.
    let mut other = corpus();
    other[0].text.push_str(" thêm");
    let meta = |f: &[(String, Vec<u8>)]| {
        serde_json::from_slice::<serde_json::Value>(file(f, "tim-kiem/chi-muc/meta.json")).unwrap()
            ["hash"]
            .clone()
    };
    assert_ne!(meta(&a), meta(&build_index(&other)));
    // No documents: a meta file and an empty loc.json, and searching them finds nothing.
    let empty = build_index(&[]);
    assert_eq!(empty.len(), 2);
    assert!(search(&empty, "bình").is_empty());
}

/// Words are counted in parallel, in ranges of documents merged afterwards: the files must
/// not depend on how the documents were split (one thread against several, uneven ranges and
/// vocabularies so that both merge directions run).
#[test]
fn index_does_not_depend_on_the_thread_count() {
    let words = [
        "bình", "đẳng", "giới", "Kon", "Tum", "nước", "sạch", "dự", "án", "vốn",
    ];
    let docs: Vec<SearchDoc> = (0..300)
        .map(|i| {
            let n = 1 + (i * 7) % 23;
            let text: Vec<String> = (0..n)
                .map(|k| format!("{}{}", words[(i + k) % words.len()], (i * k) % (1 + i % 40)))
                .collect();
            doc(
                &format!("/d/{i}/"),
                words[i % words.len()],
                "tin-tuc",
                &text.join(" "),
            )
        })
        .collect();
    let with = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| build_index(&docs))
    };
    let one = with(1);
    assert_eq!(one, with(2));
    assert_eq!(one, with(7));
}

#[test]
fn accent_insensitive_queries_find_the_seed() {
    let files = build_index(&corpus());
    for q in [
        "binh dang gioi",
        "BÌNH ĐẲNG GIỚI",
        "bình đẳng giới",
        &"Bình đẳng giới".nfd().collect::<String>(),
        "  Binh   Dang, Gioi  ",
    ] {
        assert_eq!(
            search(&files, q).first().map(String::as_str),
            Some("/tin-tuc/du-an-8/"),
            "{q}"
        );
    }
    assert_eq!(search(&files, "kon plong")[0], "/hoat-dong/kon-plong/");
    assert_eq!(search(&files, "1.393")[0], "/tin-tuc/du-an-8/");
    assert!(search(&files, "").is_empty());
    assert!(search(&files, "khongcotu").is_empty());
}

#[test]
fn documents_matching_all_words_come_first() {
    let files = build_index(&corpus());
    // "/tin-tuc/binh-dang/" has "bình đẳng" in its title three times but no "giới".
    let r = search(&files, "bình đẳng giới");
    assert_eq!(r[..2], ["/tin-tuc/du-an-8/", "/tin-tuc/binh-dang/"]);
}

/// "binh dang gioi" in a site where "đang" is everywhere: the articles with all three words
/// come first, the one with "bình đẳng giới" as a phrase in its title before one that has the
/// three syllables apart and "đang" ten times; an article with "bình đẳng" but no "giới" is a
/// partial match; those with only "đang" or "Xơ Đăng" (one word of three) are no result.
fn noisy_corpus() -> Vec<SearchDoc> {
    let mut docs = vec![
        doc(
            "/tin-tuc/rai-rac/",
            "Đang giới thiệu mô hình bình ổn giá",
            "tin-tuc",
            &"đang ".repeat(10),
        ),
        doc(
            "/tin-tuc/cum-tu/",
            "Bình đẳng giới ở vùng cao",
            "tin-tuc",
            "Hội phụ nữ tập huấn.",
        ),
        doc(
            "/tin-tuc/thieu-gioi/",
            "Bình đẳng trong tiếp cận dịch vụ",
            "tin-tuc",
            "Văn bản.",
        ),
        doc(
            "/tin-tuc/xo-dang/",
            "Lễ hội của đồng bào Xơ Đăng",
            "tin-tuc",
            "Người Xơ Đăng đang chuẩn bị.",
        ),
    ];
    for i in 0..12 {
        docs.push(doc(
            &format!("/tin-tuc/dang-{i}/"),
            &format!("Tin {i}"),
            "hoat-dong",
            "Công trình đang thi công.",
        ));
    }
    docs
}

#[test]
fn full_matches_come_apart_and_noise_is_dropped() {
    let files = build_index(&noisy_corpus());
    for q in ["binh dang gioi", "bình đẳng giới", "binh dang gioi "] {
        let r = rank(&files, q, &Filters::default());
        assert_eq!(r.full, ["/tin-tuc/cum-tu/", "/tin-tuc/rai-rac/"], "{q}");
        assert_eq!(r.partial, ["/tin-tuc/thieu-gioi/"], "{q}");
        assert_eq!(search(&files, q), [r.full, r.partial].concat(), "{q}");
    }
    // Two words: one of them is half, enough for a partial match.
    let r = rank(&files, "xo dang", &Filters::default());
    assert_eq!(r.full, ["/tin-tuc/xo-dang/"]);
    assert!(r.partial.len() > 10, "{r:?}");
    // One word: every result is a full match.
    assert!(rank(&files, "dang", &Filters::default()).partial.is_empty());
}

/// Two articles with both words, each once in the title and ten times one of them in the body:
/// the one repeating the rare word wins, though it comes later in document order.
#[test]
fn rare_words_outweigh_common_ones() {
    let mut docs = vec![
        doc(
            "/a/",
            "Tin a",
            "tin-tuc",
            &format!("giới {}", "đang ".repeat(10)),
        ),
        doc(
            "/b/",
            "Tin b",
            "tin-tuc",
            &format!("đang {}", "giới ".repeat(10)),
        ),
    ];
    for i in 0..12 {
        docs.push(doc(&format!("/d{i}/"), "Khác", "tin-tuc", "đang"));
    }
    let files = build_index(&docs);
    assert_eq!(search(&files, "dang gioi")[..2], ["/b/", "/a/"]);
    assert_eq!(search(&files, "gioi dang")[..2], ["/b/", "/a/"]);
}

#[test]
fn word_weights() {
    assert_eq!(word_weight(10, 10), 1);
    assert_eq!(word_weight(10, 8), 1);
    assert_eq!(word_weight(10, 6), 2);
    assert_eq!(word_weight(0, 0), 1);
    assert_eq!(word_weight(10_000, 1), 22);
    for n in [1u64, 7, 100, 10_000] {
        let w: Vec<u32> = (1..=n).map(|df| word_weight(n, df)).collect();
        assert!(w.windows(2).all(|p| p[0] >= p[1]), "{n}: {w:?}");
        assert_eq!(w[n as usize - 1], 1);
    }
}

#[test]
fn exact_diacritics_rank_first() {
    let files = build_index(&corpus());
    // "dương" is even in a title, "đường" only in a body: exact spelling still wins.
    assert_eq!(
        search(&files, "đường"),
        ["/hoat-dong/lam-duong/", "/tin-tuc/duong/"]
    );
    assert_eq!(
        search(&files, "dương"),
        ["/tin-tuc/duong/", "/hoat-dong/lam-duong/"]
    );
    // Without diacritics both match equally and the title decides.
    assert_eq!(
        search(&files, "duong"),
        ["/tin-tuc/duong/", "/hoat-dong/lam-duong/"]
    );
}

#[test]
fn title_outweighs_body() {
    let files = build_index(&corpus());
    assert_eq!(
        search(&files, "nuoc sach")[..2],
        ["/tin-tuc/nuoc-sach/", "/tin-tuc/nuoc-sach-than/"]
    );
}

#[test]
fn last_word_matches_as_prefix() {
    let files = build_index(&corpus());
    assert_eq!(search(&files, "binh dang gi")[0], "/tin-tuc/du-an-8/");
    assert_eq!(search(&files, "bình đẳng gi")[0], "/tin-tuc/du-an-8/");
    assert_eq!(search(&files, "kon plo")[0], "/hoat-dong/kon-plong/");
    assert_eq!(search(&files, "mang de")[0], "/hoat-dong/kon-plong/");
    // Shorter than the shard key: every shard starting with it is read.
    assert_eq!(search(&files, "măng đe")[0], "/hoat-dong/kon-plong/");
    // A finished word (trailing space) and earlier words are not prefixes.
    assert!(!search(&files, "plo ").contains(&"/hoat-dong/kon-plong/".to_string()));
    assert!(!search(&files, "plo kon").is_empty()); // "kon" matches as a prefix
                                                    // One letter is too short to be a prefix.
    assert!(search(&files, "p").is_empty());
}

#[test]
fn filters() {
    let files = build_index(&corpus());
    let f = |section: Option<&str>, area: Option<&str>, project: Option<&str>| Filters {
        section: section.map(Into::into),
        area: area.map(Into::into),
        project: project.map(Into::into),
    };
    let q = "du";
    let all = search(&files, q);
    assert!(all.contains(&"/tin-tuc/du-an-8/".to_string()));
    assert!(all.contains(&"/hoat-dong/kon-plong/".to_string()));
    assert_eq!(
        search_with(&files, q, &f(Some("hoat-dong"), None, None)),
        ["/hoat-dong/kon-plong/", "/hoat-dong/lam-duong/"]
    );
    assert_eq!(
        search_with(&files, q, &f(None, None, Some("Dự án 8"))),
        ["/tin-tuc/du-an-8/"]
    );
    assert_eq!(
        search_with(&files, "cay", &f(None, Some("Kon Plông"), None)),
        ["/tin-tuc/duong/"]
    );
    assert!(search_with(&files, "binh", &f(Some("tin-tuc"), Some("Kon Plông"), None)).is_empty());
    assert!(search_with(&files, q, &f(None, Some("Không có"), None)).is_empty());
}

#[test]
fn meta_is_valid_json_without_raw_closing_tags() {
    let files = build_index(&corpus());
    for (path, bytes) in &files {
        let text = std::str::from_utf8(bytes).unwrap();
        assert!(!text.contains("</") && !text.contains("<!--"), "{path}");
        serde_json::from_str::<serde_json::Value>(text).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(file(&files, "tim-kiem/chi-muc/meta.json")).unwrap();
    let docs: Vec<serde_json::Value> = (0..corpus().len().div_ceil(DOCS_PER_CHUNK))
        .flat_map(|n| {
            serde_json::from_slice::<Vec<serde_json::Value>>(file(&files, &chunk_path(n))).unwrap()
        })
        .collect();
    assert_eq!(docs.len(), corpus().len());
    let titles: Vec<&str> = docs.iter().map(|d| d[0].as_str().unwrap()).collect();
    assert!(titles.contains(&"Thử </script><script>alert(1)</script> tiêu đề"));
    assert_eq!(meta["v"], FORMAT_VERSION);
    assert_eq!(meta["k"], SHARD_KEY_CHARS);
    assert_eq!(meta["n"], corpus().len());
    assert_eq!(
        meta["sections"][0],
        serde_json::json!(["hoat-dong", "Hoạt động"])
    );
    assert_eq!(meta["areas"], serde_json::json!(["Kon Plông", "Kon Tum"]));
    // [title, url, date, section#, text]
    assert_eq!(docs[0][1], "/tin-tuc/du-an-8/");
    assert_eq!(docs[0][2], "12/12/2022");
    assert_eq!(
        meta["sections"][docs[0][3].as_u64().unwrap() as usize][0],
        "tin-tuc"
    );
    assert!(docs[0][4].as_str().unwrap().starts_with("Hội Liên hiệp"));
    // [section#, kind#, [area#], [project#]]: the seed is in Kon Tum, project "Dự án 8"
    let loc: serde_json::Value = serde_json::from_slice(file(&files, &loc_path())).unwrap();
    assert_eq!(loc.as_array().unwrap().len(), corpus().len());
    assert_eq!(loc[0][2], serde_json::json!([1]));
    assert_eq!(loc[0][3], serde_json::json!([0]));
}

#[test]
fn postings_are_delta_coded_with_title_flag() {
    let files = build_index(&corpus());
    let shard: serde_json::Value =
        serde_json::from_slice(file(&files, "tim-kiem/chi-muc/tu/nuo.json")).unwrap();
    // docs 5 (body ×5) and 6 (title once, body 0: at position 0 of "Nước sạch cho bản làng")
    assert_eq!(
        shard["nuoc"]["nước"],
        serde_json::json!([5, 10, 1, 1, 1, 0])
    );
    // the seed's title "Dự án 8 năm 2022: kết quả thực hiện bình đẳng giới": "giới" is its 12th
    // token (from 0: dự án 8 năm 2022 kết quả thực hiện bình đẳng giới)
    let shard: serde_json::Value =
        serde_json::from_slice(file(&files, "tim-kiem/chi-muc/tu/gio.json")).unwrap();
    assert_eq!(shard["gioi"]["giới"], serde_json::json!([0, 1, 1, 11]));
}

/// A word found in many documents has its postings in a file of its own, named in its shard
/// by `0`; the shard keeps the other words of its key, and the results do not change.
#[test]
fn long_postings_get_a_file_of_their_own() {
    let docs: Vec<SearchDoc> = (0..400)
        .map(|i| {
            let text = if i % 2 == 0 {
                "giảm nghèo giao"
            } else {
                "giảm"
            };
            doc(&format!("/d/{i}/"), &format!("Bài {i}"), "tin-tuc", text)
        })
        .collect();
    let files = build_index(&docs);
    let shard: serde_json::Value =
        serde_json::from_slice(file(&files, "tim-kiem/chi-muc/tu/gia.json")).unwrap();
    assert_eq!(shard["giam"], 0);
    assert!(shard["giao"].is_object(), "{shard}");
    let own: serde_json::Value =
        serde_json::from_slice(file(&files, &word_path("gia", "giam"))).unwrap();
    assert_eq!(own["giảm"].as_array().unwrap().len(), 800);
    assert!(file(&files, &word_path("gia", "giam")).len() > SPLIT_BYTES);
    assert_eq!(search(&files, "giam")[..2], ["/d/0/", "/d/1/"]);
    assert_eq!(search(&files, "giảm nghèo")[..2], ["/d/0/", "/d/2/"]);
    assert_eq!(search(&files, "gi").len(), 400);
}

#[test]
fn long_text_is_cut_at_a_word() {
    let mut d = doc("/x/", "x", "x", &"chữ ".repeat(TEXT_CHARS));
    d.text.insert_str(0, "đầu\n\n  ");
    let files = build_index(&[d]);
    let chunk: Vec<DocEntry> = serde_json::from_slice(file(&files, &chunk_path(0))).unwrap();
    let text = &chunk[0].4;
    assert!(text.starts_with("đầu chữ chữ"));
    assert!(text.chars().count() <= TEXT_CHARS);
    assert!(text.ends_with("chữ"));
}

/// The JS client (`tim-kiem.js`, run under Node) must fold, split and rank exactly like
/// [`search`]. Node is one of the tools the tests need (`scripts/setup`): without it this
/// fails, saying so, rather than passing without having compared anything.
#[test]
fn js_client_matches_rust() {
    use std::process::Command;
    assert!(
        Command::new("node").arg("--version").output().is_ok(),
        "node not found: the JS/Rust ranking comparison needs Node.js (scripts/setup expects it)"
    );
    let js = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/cong-thong-tin/static/js/tim-kiem.js"
    );
    for (name, docs) in [("corpus", corpus()), ("noisy", noisy_corpus())] {
        js_client_matches_rust_on(js, name, &docs);
    }
}

fn js_client_matches_rust_on(js: &str, name: &str, docs: &[SearchDoc]) {
    let dir = tempfile::tempdir().unwrap();
    let files = build_index(docs);
    for (p, b) in &files {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b).unwrap();
    }
    let texts = [
        "BÌNH ĐẲNG GIỚI",
        "Đắk Tô, Ia H'Drai: 36,38% — ĐƯỜNG",
        &"Kon Plông".nfd().collect::<String>(),
        "ð Ð Ǆ ǅ ﬁ İ",
    ];
    // (query, section id, area name)
    let queries = [
        ("binh dang gioi", "", ""),
        ("BÌNH ĐẲNG GIỚI", "", ""),
        ("bình đẳng gi", "", ""),
        ("đường", "", ""),
        ("dương", "", ""),
        ("duong", "", ""),
        ("nuoc sach", "", ""),
        ("kon plo", "", ""),
        ("măng đe", "", ""),
        ("plo ", "", ""),
        ("du", "hoat-dong", ""),
        ("cay", "", "Kon Plông"),
        ("du", "tin-tuc", "Kon Plông"),
        ("1.393", "", ""),
        ("script", "", ""),
        ("", "", ""),
        ("binh dang gioi ", "", ""),
        ("xo dang", "", ""),
        ("dang", "", ""),
        ("gioi dang", "tin-tuc", ""),
    ];
    let meta: serde_json::Value = serde_json::from_slice(file(&files, &meta_path())).unwrap();
    let areas = meta["areas"].as_array().unwrap();
    // an area the corpus does not have cannot be chosen in the page's filter
    let queries: Vec<_> = queries
        .into_iter()
        .filter(|(_, _, a)| a.is_empty() || areas.iter().any(|x| x == a))
        .collect();
    let js_queries: Vec<serde_json::Value> = queries
        .iter()
        .map(|(q, s, a)| {
            let a = areas
                .iter()
                .position(|x| x == a)
                .map(|i| i.to_string())
                .unwrap_or_default();
            serde_json::json!([q, s, a])
        })
        .collect();
    let script = r#"
const [js, dir, texts, queries] = process.argv.slice(1);
const c = require(js), fs = require('fs');
const idx = new c.Index('/');
idx.get = p => Promise.resolve(JSON.parse(fs.readFileSync(dir + '/tim-kiem/chi-muc/' + p.split('?')[0], 'utf8')));
(async () => {
  await idx.load();
  const ranked = [];
  for (const [q, section, area] of JSON.parse(queries)) {
    const r = await c.rank(idx, q, { section, area, project: '' });
    const urls = (await idx.docs(r.hits)).map(d => d[1]);
    ranked.push([urls.slice(0, r.full), urls.slice(r.full)]);
  }
  const toks = JSON.parse(texts).map(t => [c.fold(t), c.tokens(t).map(x => [x.exact, x.folded])]);
  console.log(JSON.stringify([toks, ranked]));
})();
"#;
    let out = node(
        script,
        &[
            js.as_ref(),
            dir.path().as_os_str(),
            serde_json::to_string(&texts).unwrap().as_ref(),
            serde_json::to_string(&js_queries).unwrap().as_ref(),
        ],
    );
    type Folded = (String, Vec<(String, String)>);
    /// (full matches, partial ones)
    type Groups = (Vec<String>, Vec<String>);
    let (toks, ranked): (Vec<Folded>, Vec<Groups>) = serde_json::from_slice(&out.stdout).unwrap();
    for (t, (folded, words)) in texts.iter().zip(toks) {
        assert_eq!(folded, fold(t), "fold {t}");
        let rust: Vec<(String, String)> =
            tokens(t).into_iter().map(|x| (x.exact, x.folded)).collect();
        assert_eq!(words, rust, "tokens {t}");
    }
    for ((q, s, a), js) in queries.iter().zip(ranked) {
        let f = Filters {
            section: (!s.is_empty()).then(|| s.to_string()),
            area: (!a.is_empty()).then(|| a.to_string()),
            project: None,
        };
        let r = rank(&files, q, &f);
        assert_eq!(js, (r.full, r.partial), "{name}: query {q:?} {s:?} {a:?}");
    }
}

#[test]
fn lower_case_spelling_borrows_only_when_unchanged() {
    use super::text::{lower_nfc, lower_nfc_cow};
    use std::borrow::Cow;
    for w in [
        "đường",
        "Đường",
        "ĐƯỜNG",
        "abc",
        "ABC",
        "aBc",
        "ǅ",
        "ǆ",
        "Ǆ",
        "ﬁ",
        "ß",
        "İ",
        "36",
        "ᾈ",
    ] {
        let cow = lower_nfc_cow(w);
        assert_eq!(cow, lower_nfc(w), "{w}");
        assert_eq!(matches!(cow, Cow::Borrowed(_)), lower_nfc(w) == w, "{w}");
    }
}

#[test]
fn lower_case_fast_ranges_agree_with_the_case_tables() {
    use super::text::lower_nfc_cow;
    use std::borrow::Cow;
    for c in (0x20..0x250u32)
        .chain(0x1E00..0x1F00)
        .filter_map(char::from_u32)
    {
        let w = c.to_string();
        let mut l = c.to_lowercase();
        let unchanged = l.next() == Some(c) && l.next().is_none();
        assert_eq!(
            matches!(lower_nfc_cow(&w), Cow::Borrowed(_)),
            unchanged,
            "{c:?}"
        );
    }
}

proptest::proptest! {
    /// The byte-stepping word splitter agrees with splitting on `is_word_char` character by
    /// character, on any text.
    #[test]
    fn words_agree_with_a_char_split(text in "(\\PC|[ăâđêôơưáàảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩịýỳỷỹỵĐ×÷ɐʯ ,.%'\u{2000}-\u{2070}\u{20d0}ⁱⁿ-]){0,60}") {
        let nfc = super::text::nfc(&text);
        let reference: Vec<&str> = nfc
            .split(|c: char| !(c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c)))
            .filter(|w| !w.is_empty())
            .collect();
        proptest::prop_assert_eq!(super::text::words(&nfc).collect::<Vec<_>>(), reference);
    }

    /// Snippets are the words of the text joined by single spaces, as many as fit.
    #[test]
    fn snippets_keep_the_words_that_fit(words in proptest::collection::vec("[a-zđ]{1,9}|ữ{1,3}|[ \t\n\u{a0}\u{3000}]{1,3}", 0..40)) {
        let text = words.concat();
        let snippet = super::index::snippet_text_with(&text, 40);
        let all: Vec<&str> = text.split_whitespace().collect();
        let mut expect = String::new();
        for w in &all {
            let n = w.chars().count() + usize::from(!expect.is_empty());
            if expect.chars().count() + n > 40 {
                if expect.is_empty() {
                    expect = w.chars().take(40).collect();
                }
                break;
            }
            if !expect.is_empty() {
                expect.push(' ');
            }
            expect.push_str(w);
        }
        proptest::prop_assert_eq!(snippet, expect);
    }
}

/// Documents drawn from a small pool of syllables in several spellings (accents, capitals, a
/// word over the index's length limit, words repeated in a title), so that queries meet ties,
/// phrases in titles, prefixes, partial matches and filters.
fn random_corpus(seed: u64, n: usize) -> Vec<SearchDoc> {
    let pool = [
        "dân",
        "Dân",
        "dẫn",
        "dan",
        "tộc",
        "TỘC",
        "toc",
        "giảm",
        "giám",
        "nghèo",
        "Nghèo",
        "kon",
        "Kon",
        "tum",
        "đường",
        "dương",
        "duong",
        "bình",
        "đẳng",
        "giới",
        "đang",
        "nước",
        "sạch",
        "xã",
        "Xã",
        "2022",
        "36,38%",
        "H'Drai",
        "plông",
        "măng",
        "đen",
        "thôn",
        "thông",
    ];
    let long = "dàidài".repeat(8); // 64 bytes: not indexed
    let mut next = crate::testutil::numbers(seed);
    let pick = |k: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
        (0..k)
            .map(|_| {
                if next(60) == 0 {
                    long.as_str()
                } else {
                    pool[next(pool.len())]
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let sections = ["tin-tuc", "hoat-dong", "khac"];
    let areas = ["Kon Tum", "Kon Plông", "Đăk Hà"];
    (0..n)
        .map(|i| {
            let title_len = 1 + next(7);
            let body_len = next(30);
            let mut d = doc(
                &format!("/d/{i}/"),
                &pick(title_len, &mut next),
                sections[next(3)],
                &pick(body_len, &mut next),
            );
            d.areas = (0..next(3)).map(|_| areas[next(3)].to_string()).collect();
            if next(4) == 0 {
                d.projects = vec![format!("Dự án {}", next(3))];
            }
            d
        })
        .collect()
}

/// Queries for [`random_corpus`]: one to three words of the pool, accented or folded, the last
/// one sometimes cut short (a prefix) or followed by a space, some with a filter.
fn random_queries(seed: u64, n: usize) -> Vec<(String, Filters)> {
    let pool = [
        "dân",
        "dan",
        "tộc",
        "toc",
        "giảm",
        "giam",
        "nghèo",
        "ngheo",
        "kon",
        "tum",
        "đường",
        "duong",
        "dương",
        "bình đẳng",
        "binh",
        "giới",
        "gioi",
        "đang",
        "nước",
        "nuoc",
        "sạch",
        "xã",
        "2022",
        "36",
        "h",
        "drai",
        "plô",
        "mă",
        "đe",
        "thô",
        "tho",
        "th",
        "gi",
        "dàidài",
    ];
    let mut next = crate::testutil::numbers(seed);
    (0..n)
        .map(|_| {
            let mut q = (0..1 + next(3))
                .map(|_| pool[next(pool.len())])
                .collect::<Vec<_>>()
                .join(" ");
            if next(4) == 0 {
                q.push(' ');
            }
            let f = match next(8) {
                0 => Filters {
                    section: Some("tin-tuc".into()),
                    ..Filters::default()
                },
                1 => Filters {
                    area: Some("Kon Plông".into()),
                    ..Filters::default()
                },
                2 => Filters {
                    project: Some("Dự án 1".into()),
                    section: Some("hoat-dong".into()),
                    ..Filters::default()
                },
                _ => Filters::default(),
            };
            (q, f)
        })
        .collect()
}

/// The results of many queries on three corpora, against `golden.json`, written by the
/// ranking as it was before the index was split into per-word and per-document files (format
/// version 1): the new files must give the very same results, in the same order.
/// `BANTIN_GOLDEN=write` rewrites the file.
#[test]
fn results_match_the_golden_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/search/golden.json");
    let mut got: Vec<(String, String, Ranked)> = Vec::new();
    let corpora = [
        ("corpus", corpus(), random_queries(1, 60)),
        ("noisy", noisy_corpus(), random_queries(2, 60)),
        ("random", random_corpus(3, 400), random_queries(4, 400)),
    ];
    for (name, docs, queries) in corpora {
        let files = build_index(&docs);
        for (q, f) in queries {
            let r = rank(&files, &q, &f);
            got.push((name.into(), format!("{q:?} {f:?}"), r));
        }
    }
    // per group: the first 10 URLs, the count and a hash of the whole list (the file stays small)
    let digest = |urls: &[String]| {
        let h = urls
            .iter()
            .flat_map(|u| u.bytes().chain([0]))
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        serde_json::json!([urls.len(), format!("{h:016x}"), urls[..urls.len().min(10)]])
    };
    let json: Vec<serde_json::Value> = got
        .iter()
        .map(|(c, q, r)| serde_json::json!([c, q, digest(&r.full), digest(&r.partial)]))
        .collect();
    let text = json
        .iter()
        .map(|v| v.to_string() + "\n")
        .collect::<String>();
    if std::env::var("BANTIN_GOLDEN").as_deref() == Ok("write") {
        std::fs::write(path, &text).unwrap();
        return;
    }
    let want: Vec<serde_json::Value> = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(want.len(), json.len());
    let mut nonempty = 0;
    for (w, g) in want.iter().zip(&json) {
        assert_eq!(w, g);
        nonempty += usize::from(g[2][0] != 0);
    }
    // the queries find something, most of the time
    assert!(nonempty > json.len() / 2, "{nonempty} of {}", json.len());
}

/// What the JS client fetches, query after query on one page (Node, its `fetch` reading the
/// files): the first query `meta.json`, its words' shards and the document files of the
/// results it shows (never `loc.json`, never every document); a query on words already
/// fetched only the documents it shows that were not shown yet; a filter `loc.json`, once.
#[test]
fn js_client_fetches_only_what_a_query_needs() {
    let docs = random_corpus(5, 300);
    let files = build_index(&docs);
    let dir = tempfile::tempdir().unwrap();
    for (p, b) in &files {
        let p = dir.path().join(p);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b).unwrap();
    }
    let js = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/cong-thong-tin/static/js/tim-kiem.js"
    );
    let script = r#"
const [js, dir] = process.argv.slice(1);
const c = require(js), fs = require('fs');
let log = [];
global.fetch = async (url) => {
  const p = url.split('?')[0].replace(/^\/tim-kiem\/chi-muc\//, '');
  log.push(p);
  const b = fs.readFileSync(dir + '/tim-kiem/chi-muc/' + p, 'utf8');
  return { ok: true, json: async () => JSON.parse(b) };
};
(async () => {
  const idx = new c.Index('/');
  const out = [];
  for (const [q, area] of [['dân tộc', ''], ['dan toc', ''], ['tộc dân ', ''], ['dân ', '0'], ['giảm nghèo', '']]) {
    log = [];
    await idx.load();
    const r = await c.rank(idx, q, { section: '', area, project: '' });
    await idx.docs(r.hits.slice(0, 10));
    const files = [...new Set(r.hits.slice(0, 10).map((d) => 'bai/' + Math.floor(d / idx.meta.chunk) + '.json'))];
    out.push([q, r.hits.length, log, files]);
  }
  console.log(JSON.stringify(out));
})();
"#;
    let out = node(script, &[js.as_ref(), dir.path().as_os_str()]);
    let runs: Vec<(String, usize, Vec<String>, Vec<String>)> =
        serde_json::from_slice(&out.stdout).unwrap();
    let docs_of = |l: &[String]| l.iter().filter(|p| p.starts_with("bai/")).count();
    let (q, hits, first, files) = &runs[0];
    assert!(*hits > 10, "{q}: {hits}");
    assert_eq!(first[0], "meta.json");
    // the files of the first ten results, each once (results can share a file)
    let fetched: Vec<&String> = first.iter().filter(|p| p.starts_with("bai/")).collect();
    let mut wanted: Vec<&String> = files.iter().collect();
    let mut got = fetched.clone();
    wanted.sort();
    got.sort();
    assert_eq!(got, wanted, "{first:?}");
    assert_eq!(fetched.len(), files.len(), "{first:?}");
    assert!(
        files.len() <= 10 && files.len() >= 10 / DOCS_PER_CHUNK,
        "{files:?}"
    );
    for p in first
        .iter()
        .filter(|p| !p.starts_with("bai/") && *p != "meta.json")
    {
        assert!(
            p.starts_with("tu/dan") || p.starts_with("tu/toc"),
            "{q}: {p}"
        );
    }
    // the same words unaccented, then in another order (a space after "dân": not a prefix of
    // "dang", whose file is not fetched yet): no word file again, only documents
    // that rank into the first ten now (accents rank exact spellings first)
    for run in &runs[1..3] {
        assert!(run.2.iter().all(|p| p.starts_with("bai/")), "{run:?}");
        assert!(docs_of(&run.2) < 10, "{run:?}");
    }
    // a filter: loc.json, and no word file (dân was fetched)
    assert_eq!(
        runs[3].2.iter().filter(|p| *p == "loc.json").count(),
        1,
        "{:?}",
        runs[3]
    );
    assert!(runs[3].2.iter().all(|p| !p.starts_with("tu/")));
    // new words: their shards (or own files), no loc.json again
    assert!(runs[4].2.iter().any(|p| p.starts_with("tu/gia")));
    assert!(!runs[4].2.contains(&"loc.json".to_string()));
}

/// `node -e script args…`: its output, after asserting it succeeded (stderr shown otherwise).
fn node(script: &str, args: &[&std::ffi::OsStr]) -> std::process::Output {
    let out = std::process::Command::new("node")
        .arg("-e")
        .arg(script)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
