//! Photos (issue 16, item 1): fixture pictures are made here, with EXIF carrying a GPS
//! position, a camera serial and an orientation, then built; the output is checked by parsing
//! its bytes: no metadata in any published picture, the variants' real widths, every `<img>`
//! sized and described, the picture turned upright, a cached rebuild encoding nothing.

use std::io::Cursor;
use std::path::Path;

use crate::common::*;

/// A JPEG `w`×`h` of smooth colours (like a photo, not noise), with an EXIF APP1 segment
/// (orientation, camera serial, GPS IFD) and an XMP APP1 after SOI.
pub fn jpeg_with_exif(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            (x * 255 / w.max(1)) as u8,
            (y * 255 / h.max(1)) as u8,
            (((x + y) / 7) % 256) as u8,
        ])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&img)
        .unwrap();
    let mut out = jpeg[..2].to_vec(); // SOI
    for payload in [exif(orientation), xmp()] {
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(&payload);
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// `Exif\0\0` and a little-endian TIFF: IFD0 with Orientation, BodySerialNumber and a GPS IFD
/// pointer; the GPS IFD with GPSLatitudeRef "N".
fn exif(orientation: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&typ.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    // IFD0 at 8: 3 entries (2 + 36 + 4 bytes), then the serial's text at 50, GPS IFD at 62
    t.extend_from_slice(&3u16.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, 62u32.to_le_bytes());
    entry(&mut t, 0xA431, 2, 12, 50u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), 50);
    t.extend_from_slice(b"SERIAL12345\0");
    assert_eq!(t.len(), 62);
    t.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    t.extend_from_slice(&0u32.to_le_bytes());
    let mut p = b"Exif\0\0".to_vec();
    p.extend_from_slice(&t);
    p
}

fn xmp() -> Vec<u8> {
    let mut p = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    p.extend_from_slice(b"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><exif:GPSLatitude>14,21N</exif:GPSLatitude></x:xmpmeta>");
    p
}

pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A PNG `w`×`h` with a tEXt chunk and an eXIf chunk (with GPS) before IEND.
pub fn png_with_text(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 255])
    });
    let mut png = Vec::new();
    img.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let iend = png.len() - 12;
    let mut out = png[..iend].to_vec();
    out.extend(png_chunk(b"tEXt", b"Comment\0GPS 14.35N 108.00E"));
    out.extend(png_chunk(b"eXIf", &exif(1)[6..]));
    out.extend_from_slice(&png[iend..]);
    out
}

/// A PNG whose header says 100 000 × 100 000 (40 GB of pixels), with nothing behind it.
pub fn png_bomb() -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 100_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend(png_chunk(b"IHDR", &ihdr));
    out.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(png_chunk(b"IEND", &[]));
    out
}

/// The metadata containers found in a picture's bytes: JPEG APP1…APP15 segments, PNG
/// eXIf/tEXt/iTXt/zTXt chunks, WebP EXIF/XMP chunks.
pub fn metadata_in(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    if bytes.starts_with(&[0xFF, 0xD8]) {
        let mut i = 2;
        while i + 4 <= bytes.len() && bytes[i] == 0xFF {
            let marker = bytes[i + 1];
            if marker == 0xDA {
                break; // start of scan: no more segments before the image data
            }
            let len = u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]) as usize;
            if (0xE1..=0xEF).contains(&marker) {
                found.push(format!("JPEG APP{}", marker - 0xE0));
            }
            i += 2 + len;
        }
    } else if bytes.starts_with(b"\x89PNG") {
        let mut i = 8;
        while i + 8 <= bytes.len() {
            let len = u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
            let kind = String::from_utf8_lossy(&bytes[i + 4..i + 8]).into_owned();
            if ["eXIf", "tEXt", "iTXt", "zTXt"].contains(&kind.as_str()) {
                found.push(format!("PNG {kind}"));
            }
            i += 12 + len;
        }
    } else if bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        let mut i = 12;
        while i + 8 <= bytes.len() {
            let kind = String::from_utf8_lossy(&bytes[i..i + 4]).into_owned();
            let len = u32::from_le_bytes(bytes[i + 4..i + 8].try_into().unwrap()) as usize;
            if kind == "EXIF" || kind == "XMP " {
                found.push(format!("WebP {kind}"));
            }
            i += 8 + len + (len & 1);
        }
    } else {
        found.push("not a picture".into());
    }
    found
}

fn dimensions(path: &Path) -> (u32, u32) {
    image::ImageReader::open(path)
        .unwrap()
        .with_guessed_format()
        .unwrap()
        .into_dimensions()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn is_picture(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("jpg" | "jpeg" | "png" | "webp")
    )
}

const BUNDLE: &str = "content/tin-tuc/le-hoi/index.md";

/// The basic fixture with a bundle of photos (a 2000×1500 JPEG, an 800×600 PNG), a static
/// JPEG, and the article using them every way.
fn photo_site() -> Fixture {
    let f = Fixture::new("basic");
    f.write(
        "content/tin-tuc/le-hoi/anh.jpg",
        jpeg_with_exif(2000, 1500, 1),
    );
    f.write("content/tin-tuc/le-hoi/hinh.png", png_with_text(800, 600));
    f.write(
        "content/tin-tuc/le-hoi/dung.jpg",
        jpeg_with_exif(400, 300, 6),
    );
    f.write("static/logo.jpg", jpeg_with_exif(300, 200, 1));
    f.write(
        BUNDLE,
        "+++\ntitle = \"Lễ hội\"\ndate = 2024-03-01\n+++\n\n\
         ![Người dân dự lễ hội](anh.jpg)\n\n\
         Đoạn văn.\n\n\
         ![Sơ đồ khu lễ hội](hinh.png) và ![Biểu trưng](/logo.jpg)\n\n\
         {{ anh(src=\"anh.jpg\", alt=\"Sân khấu chính\", chu_thich=\"Đêm khai mạc\", tac_gia=\"Nguyễn Văn A\") }}\n\n\
         {{ anh(src=\"hinh.png\", trang_tri=true) }}\n\n\
         {{ bo_anh(danh_sach=\"anh.jpg=Toàn cảnh | dung.jpg=Ảnh dọc\", tac_gia=\"Ban Tổ chức\") }}\n",
    );
    f
}

#[test]
fn published_pictures_carry_no_metadata_and_have_their_variants() {
    let f = photo_site();
    let r = f.build_ok();
    assert_eq!((r.photos_encoded, r.photos_cached), (4, 0));
    let public = f.path("public");
    let mut pictures = 0;
    for e in walkdir::WalkDir::new(&public) {
        let e = e.unwrap();
        if e.file_type().is_file() && is_picture(e.path()) {
            pictures += 1;
            let bytes = std::fs::read(e.path()).unwrap();
            // a share card bantin drew carries one text chunk of its own: the hash of what it
            // was drawn from (reused by the next build), nothing about a camera or a place
            let own_key = e.path().starts_with(public.join("the-chia-se"))
                && bytes.windows(15).any(|w| w == b"tEXtbantin-the\0");
            let expected: Vec<String> = if own_key {
                vec!["PNG tEXt".into()]
            } else {
                Vec::new()
            };
            assert_eq!(metadata_in(&bytes), expected, "{}", e.path().display());
            assert!(
                !bytes.windows(6).any(|w| w == b"SERIAL"),
                "{}",
                e.path().display()
            );
        }
    }
    assert!(pictures >= 15, "{pictures}");
    let dir = public.join("tin-tuc/le-hoi");
    for (name, w, h) in [
        ("anh-480.jpg", 480, 360),
        ("anh-960.jpg", 960, 720),
        ("anh-1600.jpg", 1600, 1200),
        ("anh-480.webp", 480, 360),
        ("anh-960.webp", 960, 720),
        ("anh-1600.webp", 1600, 1200),
        ("anh.jpg", 1600, 1200),
        // 800 px wide: no upscaling to 960 or 1600, its own width instead
        ("hinh-480.png", 480, 360),
        ("hinh-800.png", 800, 600),
        ("hinh-800.webp", 800, 600),
        ("hinh.png", 800, 600),
    ] {
        assert_eq!(dimensions(&dir.join(name)), (w, h), "{name}");
    }
    assert!(!dir.join("hinh-960.png").exists());
    // the feed carries the article with absolute URLs, every srcset candidate included
    let rss = std::fs::read_to_string(public.join("rss.xml")).unwrap();
    let xml = roxmltree::Document::parse(&rss).unwrap();
    let html: String = xml
        .descendants()
        .filter(|n| n.has_tag_name("description"))
        .filter_map(|n| n.text())
        .collect();
    let doc = scraper::Html::parse_fragment(&html);
    let candidates: Vec<String> = select(&doc, "[srcset]")
        .iter()
        .flat_map(|e| {
            e.value()
                .attr("srcset")
                .unwrap()
                .split(',')
                .map(|c| c.trim().to_string())
        })
        .collect();
    assert!(candidates.len() >= 6, "{candidates:?}");
    for c in candidates {
        assert!(c.starts_with("http://") || c.starts_with("https://"), "{c}");
    }
    // a static picture: its own size, under its own name, stripped
    assert_eq!(dimensions(&public.join("logo.jpg")), (300, 200));
    assert!(!public.join("logo-480.jpg").exists());
}

#[test]
fn every_img_has_width_height_and_alt_and_only_the_first_loads_eagerly() {
    let f = photo_site();
    f.build_ok();
    let public = f.path("public");
    let mut imgs = 0;
    for e in walkdir::WalkDir::new(&public) {
        let e = e.unwrap();
        if e.path().extension().and_then(|x| x.to_str()) != Some("html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(e.path()).unwrap());
        for img in select(&doc, "img") {
            imgs += 1;
            for a in ["width", "height", "alt"] {
                assert!(
                    img.value().attr(a).is_some(),
                    "{}: {} without {a}",
                    e.path().display(),
                    img.html()
                );
            }
        }
    }
    assert!(imgs > 5);
    let doc = f.html("public/tin-tuc/le-hoi/index.html");
    let imgs = select(&doc, "main img");
    let first = imgs[0].value();
    assert_eq!(first.attr("alt"), Some("Người dân dự lễ hội"));
    assert_eq!(first.attr("width"), Some("960"));
    assert_eq!(first.attr("height"), Some("720"));
    assert_eq!(
        first.attr("loading"),
        None,
        "the first picture is on the first screen"
    );
    assert!(first
        .attr("src")
        .unwrap()
        .ends_with("/bantin/tin-tuc/le-hoi/anh-960.jpg"));
    let srcset = first.attr("srcset").unwrap();
    for w in ["480w", "960w", "1600w"] {
        assert!(srcset.contains(w), "{srcset}");
    }
    assert!(imgs[1..]
        .iter()
        .all(|i| i.value().attr("loading") == Some("lazy")));
    let sources = select(&doc, "main picture source[type=\"image/webp\"]");
    assert!(sources[0]
        .value()
        .attr("srcset")
        .unwrap()
        .contains("anh-1600.webp 1600w"));
    // the static picture: a plain img at its own size
    let logo = imgs
        .iter()
        .find(|i| i.value().attr("alt") == Some("Biểu trưng"))
        .unwrap();
    assert_eq!(
        (logo.value().attr("width"), logo.value().attr("height")),
        (Some("300"), Some("200"))
    );
    // figures: caption and credit, decorative with an empty alt, the gallery
    let captions: Vec<String> = select(&doc, "main figcaption").iter().map(text).collect();
    assert!(
        captions.contains(&"Đêm khai mạc — Ảnh: Nguyễn Văn A".to_string()),
        "{captions:?}"
    );
    assert!(
        captions.contains(&"Ảnh dọc — Ảnh: Ban Tổ chức".to_string()),
        "{captions:?}"
    );
    assert!(imgs.iter().any(|i| i.value().attr("alt") == Some("")));
    assert_eq!(select(&doc, "main .bo-anh figure").len(), 2);
}

#[test]
fn orientation_is_applied() {
    let f = photo_site();
    f.build_ok();
    // 400×300 stored, orientation 6 (rotate 90°): published portrait
    let dir = f.path("public/tin-tuc/le-hoi");
    assert_eq!(dimensions(&dir.join("dung.jpg")), (300, 400));
    assert_eq!(dimensions(&dir.join("dung-300.webp")), (300, 400));
    let doc = f.html("public/tin-tuc/le-hoi/index.html");
    let img = select(&doc, "img[alt=\"Ảnh dọc\"]");
    assert_eq!(
        (img[0].value().attr("width"), img[0].value().attr("height")),
        (Some("300"), Some("400"))
    );
}

#[test]
fn a_rebuild_with_photos_unchanged_encodes_nothing() {
    let f = photo_site();
    let first = f.build_ok();
    assert_eq!((first.photos_encoded, first.photos_cached), (4, 0));
    let before = tree(&f.path("public"));
    // Every published variant is a hard link of its cache entry (no copy of the bytes), and a
    // rebuild keeps that same file without reading it.
    let inode = |rel: &str| {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(f.path(rel)).unwrap();
        (m.ino(), m.nlink())
    };
    let variants = [
        "public/tin-tuc/le-hoi/anh-960.webp",
        "public/tin-tuc/le-hoi/anh-480.jpg",
        "public/tin-tuc/le-hoi/anh.jpg",
        "public/tin-tuc/le-hoi/hinh-480.webp",
        "public/logo.jpg",
    ];
    let linked: Vec<(u64, u64)> = variants.iter().map(|v| inode(v)).collect();
    for (v, (_, links)) in variants.iter().zip(&linked) {
        assert!(*links >= 2, "{v} is not a link of the cache ({links} link)");
    }
    let second = f.build_ok();
    assert_eq!((second.photos_encoded, second.photos_cached), (0, 4));
    let kept = second.output.as_ref().expect("a directory build");
    assert_eq!(
        kept.written, 0,
        "a rebuild with nothing changed writes nothing"
    );
    for (v, (ino, _)) in variants.iter().zip(&linked) {
        assert_eq!(inode(v).0, *ino, "{v} was written again");
    }
    assert!(
        before == tree(&f.path("public")),
        "a cached rebuild gives the same bytes"
    );
    // a photo saved again unchanged (new modification time): read and hashed, not encoded
    let same = std::fs::read(f.path("content/tin-tuc/le-hoi/anh.jpg")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    f.write("content/tin-tuc/le-hoi/anh.jpg", same);
    let again = f.build_ok();
    assert_eq!((again.photos_encoded, again.photos_cached), (0, 4));
    // one photo changed: only it is encoded again
    f.write(
        "content/tin-tuc/le-hoi/dung.jpg",
        jpeg_with_exif(420, 300, 1),
    );
    let third = f.build_ok();
    assert_eq!((third.photos_encoded, third.photos_cached), (1, 3));
    // the binary says so in its summary
    let out = f.bantin(&["build"]);
    assert!(
        stdout(&out).contains("0 ảnh xử lý mới, 4 ảnh lấy từ bộ đệm"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn listings_show_the_first_photo_or_the_image_key_small_and_sized() {
    let f = photo_site();
    // a second article whose `image` key names its picture (not its body's first)
    f.write(
        "content/tin-tuc/hoi-nghi/anh-a.jpg",
        jpeg_with_exif(1200, 800, 1),
    );
    f.write(
        "content/tin-tuc/hoi-nghi/anh-b.png",
        png_with_text(600, 400),
    );
    f.write(
        "content/tin-tuc/hoi-nghi/index.md",
        "+++\ntitle = \"Hội nghị\"\ndate = 2024-03-02\nimage = \"anh-b.png\"\n+++\n\n![Phòng họp](anh-a.jpg)\n",
    );
    f.build_ok();
    let check = |doc: &scraper::Html, page: &str| {
        let cards = select(doc, "article.the-bai");
        let card = cards
            .iter()
            .find(|c| {
                select_in(c, "a")
                    .iter()
                    .any(|a| a.value().attr("href") == Some(page))
            })
            .unwrap_or_else(|| panic!("no card for {page}"));
        let img = select_in(card, "img.the-bai__anh");
        let img = img[0].value();
        assert_eq!(img.attr("alt"), Some(""));
        assert_eq!(img.attr("loading"), Some("lazy"));
        (
            img.attr("src").unwrap().to_string(),
            img.attr("width").unwrap().to_string(),
            img.attr("height").unwrap().to_string(),
        )
    };
    for listing in ["public/tin-tuc/index.html", "public/index.html"] {
        let doc = f.html(listing);
        let (src, w, h) = check(&doc, "/bantin/tin-tuc/le-hoi/");
        assert_eq!(
            (src.as_str(), w.as_str(), h.as_str()),
            ("/bantin/tin-tuc/le-hoi/anh-480.jpg", "480", "360"),
            "{listing}"
        );
        let (src, w, h) = check(&doc, "/bantin/tin-tuc/hoi-nghi/");
        assert_eq!(
            (src.as_str(), w.as_str(), h.as_str()),
            ("/bantin/tin-tuc/hoi-nghi/anh-b-480.png", "480", "320"),
            "{listing}"
        );
    }
    // an article without a photo has no picture on its card (page 2: two per page)
    let doc = f.html("public/tin-tuc/trang/2/index.html");
    assert!(select(&doc, "article.the-bai")
        .iter()
        .any(|c| select_in(c, "img").is_empty()));
}

/// An English twin of a bundle (`index.en.md`) shares its files: its pictures are published
/// under `/en/…` processed like the twin's (variants, no metadata, from the cache), never as
/// the original bytes, and its `<img>` has the size and `srcset`.
#[test]
fn an_english_bundle_publishes_its_pictures_processed() {
    let f = photo_site();
    f.write(
        "config.toml",
        f.read("config.toml")
            + "\n[languages.en]\ntitle = \"Test board\"\ndescription = \"English pages.\"\n",
    );
    f.write(
        "content/tin-tuc/le-hoi/index.en.md",
        "+++\ntitle = \"Festival\"\ndate = 2024-03-01\n+++\n\n![People at the festival](anh.jpg)\n",
    );
    let r = f.build_ok();
    // the twin's copies are not counted again
    assert_eq!((r.photos_encoded, r.photos_cached), (4, 0));
    let dir = f.path("public/en/tin-tuc/le-hoi");
    let original = std::fs::read(f.path("content/tin-tuc/le-hoi/anh.jpg")).unwrap();
    for name in [
        "anh.jpg",
        "anh-480.jpg",
        "anh-960.webp",
        "anh-1600.jpg",
        "dung.jpg",
    ] {
        let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_ne!(bytes, original, "{name}");
        assert_eq!(metadata_in(&bytes), Vec::<String>::new(), "{name}");
    }
    assert_eq!(dimensions(&dir.join("anh-960.jpg")), (960, 720));
    let doc = f.html("public/en/tin-tuc/le-hoi/index.html");
    let img = select(&doc, "main img[alt='People at the festival']");
    assert_eq!(img.len(), 1);
    let a = |k: &str| img[0].value().attr(k).unwrap_or_default().to_string();
    assert_eq!((a("width"), a("height")), ("960".into(), "720".into()));
    assert!(
        a("srcset").contains("/en/tin-tuc/le-hoi/anh-1600.jpg 1600w"),
        "{}",
        a("srcset")
    );
}

/// A JPEG without metadata, `w`×`h`, of other colours than [`jpeg_with_exif`]'s.
fn other_jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(y % 256) as u8, 200, (x * 255 / w.max(1)) as u8])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&img)
        .unwrap();
    jpeg
}

/// `serve`: a photo dropped into (or replaced in) an article's bundle is processed alone and
/// patched into the kept site (no full reload: `fast`), its article read again; what the
/// patch cannot vouch for (a new size, a photo outside a bundle) takes the full way; a bad
/// photo keeps the last good build. After each step the served files equal a clean build's.
#[test]
fn serve_processes_a_dropped_in_photo() {
    use crate::serve::{assert_same, clean_build, snapshot_files};
    use bantin::serve::incremental::{Engine, Outcome};
    use std::collections::BTreeMap;
    let f = photo_site();
    let mut engine = Engine::new(f.root.clone(), false, "http://127.0.0.1:1".into());
    engine.rebuild().unwrap();
    let moi = "content/tin-tuc/le-hoi/moi.jpg";
    fn step(
        f: &Fixture,
        engine: &mut Engine,
        name: &str,
        paths: &[&str],
        fast: bool,
    ) -> (Outcome, BTreeMap<String, Vec<u8>>) {
        let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        let o = engine
            .rebuild_changed(&paths)
            .unwrap_or_else(|d| panic!("{name}: {d}"));
        assert_eq!(o.fast, fast, "{name}: fast way? ({:?})", o.why_full);
        engine.poll_search(true);
        let served = snapshot_files(&engine.snapshot().unwrap());
        assert_same(name, &served, &clean_build(f, &engine.base_url().unwrap()));
        (o, served)
    }

    // dropped in and shown by the same save
    f.write(moi, jpeg_with_exif(1000, 750, 1));
    f.write(BUNDLE, f.read(BUNDLE) + "\n![Ảnh mới gửi về](moi.jpg)\n");
    let (o, served) = step(&f, &mut engine, "dropped in", &[moi, BUNDLE], true);
    for p in ["tin-tuc/le-hoi/moi-960.jpg", "tin-tuc/le-hoi/moi-1000.webp"] {
        assert!(o.rendered.contains(&p.to_string()), "{p}: {:?}", o.rendered);
    }
    assert_eq!(
        metadata_in(&served["tin-tuc/le-hoi/moi-960.jpg"]),
        Vec::<String>::new()
    );
    let page = String::from_utf8(served["tin-tuc/le-hoi/index.html"].clone()).unwrap();
    assert!(page.contains("moi-960.jpg"), "the page shows the new photo");
    assert!(!served.contains_key("tin-tuc/le-hoi/moi-480.png"));
    assert!(o.rendered.len() < 20, "{:?}", o.rendered);

    // dropped in alone (not shown yet): published all the same, as a build would
    let them = "content/tin-tuc/le-hoi/hinh/them.jpg";
    f.write(them, jpeg_with_exif(600, 400, 1));
    let (o, _) = step(&f, &mut engine, "dropped in alone", &[them], true);
    assert!(o
        .rendered
        .contains(&"tin-tuc/le-hoi/hinh/them-600.webp".to_string()));

    // replaced by another picture of the same size: only its files change
    let before = served["tin-tuc/le-hoi/moi-960.jpg"].clone();
    f.write(moi, other_jpeg(1000, 750));
    let (o, served) = step(&f, &mut engine, "replaced", &[moi], true);
    assert_ne!(served["tin-tuc/le-hoi/moi-960.jpg"], before);
    assert!(o.rendered.contains(&"tin-tuc/le-hoi/moi.jpg".to_string()));

    // a new size changes every `<img>` showing it: the full way
    f.write(moi, other_jpeg(800, 600));
    let (o, _) = step(&f, &mut engine, "new size", &[moi], false);
    assert!(o.why_full.unwrap().contains("đổi kích thước"));

    // a picture outside any article's folder: the full way
    let loose = "content/tin-tuc/rieng.jpg";
    f.write(loose, other_jpeg(300, 200));
    step(&f, &mut engine, "outside a bundle", &[loose], false);

    // a file that is not a picture: the error, and the last good build kept
    let last = snapshot_files(&engine.snapshot().unwrap());
    let bad = "content/tin-tuc/le-hoi/hong.jpg";
    f.write(bad, b"not a jpeg at all");
    let err = engine.rebuild_changed(&[bad.to_string()]).unwrap_err();
    assert!(err.to_string().contains(bad), "{err}");
    assert_same(
        "after a bad photo",
        &snapshot_files(&engine.snapshot().unwrap()),
        &last,
    );
    f.remove(bad);
    step(&f, &mut engine, "bad photo removed", &[bad], false);
}
