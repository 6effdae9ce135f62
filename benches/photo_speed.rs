//! What one phone photo costs (issue 16): a 4000 × 3000 JPEG with EXIF (GPS, orientation)
//! through `bantin::anh::process` in a temporary site: the time to decode, resize and encode
//! its variants (median of 3, cache emptied each time), the time of a cached run, and the
//! bytes of every variant.
//!
//! The picture is `$BANTIN_PHOTO` scaled to 4000 × 3000 when set (a real photo gives real
//! file sizes), else a generated one: shaded shapes with fine texture and sensor-like noise.
//!
//! `cargo bench --bench photo_speed`
//! `cargo bench --bench photo_speed -- --write DIR N WIDTH HEIGHT` writes N different
//! generated JPEGs with EXIF (`anh-0.jpg` …) for `scripts/bench-photos`.

use std::path::Path;
use std::time::{Duration, Instant};

use bantin::anh::{process, Origin, Source};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--write") {
        let dir = Path::new(&args[i + 1]);
        let n: u32 = args[i + 2].parse().expect("N");
        let w: u32 = args[i + 3].parse().expect("WIDTH");
        let h: u32 = args[i + 4].parse().expect("HEIGHT");
        std::fs::create_dir_all(dir).expect("folder");
        for k in 0..n {
            std::fs::write(dir.join(format!("anh-{k}.jpg")), phone_jpeg(w, h, k)).expect("write");
        }
        return;
    }
    let (jpeg, what) = match std::env::var_os("BANTIN_PHOTO") {
        Some(p) => {
            let img = image::open(&p).expect("BANTIN_PHOTO is a picture");
            let img = img.resize_exact(4000, 3000, image::imageops::FilterType::CatmullRom);
            (
                with_exif(&encode(&img.to_rgb8(), 92)),
                format!("{} scaled to 4000×3000", Path::new(&p).display()),
            )
        }
        None => (phone_jpeg(4000, 3000, 1), "generated 4000×3000".to_string()),
    };
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = dir.path();
    let file = root.join("anh.jpg");
    std::fs::write(&file, &jpeg).expect("write");
    println!(
        "photo: {what}, {} bytes (JPEG quality 92 + EXIF)",
        jpeg.len()
    );
    let source = || {
        vec![Source {
            file: file.clone(),
            path: "tin-tuc/a/anh.jpg".into(),
            origin: Origin::Bundle,
        }]
    };
    let mut cold = Vec::new();
    for _ in 0..3 {
        let _ = std::fs::remove_dir_all(root.join(".bantin"));
        let t = Instant::now();
        let (photos, diags) = process(root, source());
        cold.push(t.elapsed());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(photos.encoded, 1);
    }
    let t = Instant::now();
    let (photos, _) = process(root, source());
    let warm = t.elapsed();
    assert_eq!(photos.cached, 1);
    cold.sort();
    println!(
        "cold (decode, orientation, 3 widths × WebP + JPEG): median {} ms (runs: {})",
        ms(cold[1]),
        cold.iter().map(|d| ms(*d)).collect::<Vec<_>>().join(", ")
    );
    println!("cached: {} ms", ms(warm));
    let photo = photos.get("tin-tuc/a/anh.jpg").expect("processed");
    for v in &photo.variants {
        let bytes = std::fs::metadata(&v.cached).expect("cached file").len();
        println!(
            "  {:<22} {:>4}×{:<4} {:>8} bytes ({:.0} KB)",
            v.output.rsplit('/').next().unwrap_or(""),
            v.width,
            v.height,
            bytes,
            bytes as f64 / 1024.0
        );
    }
}

fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

fn encode(img: &image::RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(img)
        .expect("encode");
    out
}

/// A phone-like picture: large shaded shapes (sky, ground, objects), fine texture and
/// per-pixel noise, different for each `seed`; JPEG quality 92 as phones write, with EXIF.
fn phone_jpeg(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut state = 0x9E37_79B9u32 ^ seed.wrapping_mul(0x85EB_CA6B);
    let mut rnd = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    };
    let shapes: Vec<(f32, f32, f32, [f32; 3])> = (0..12)
        .map(|_| {
            let cx = (rnd() % w) as f32;
            let cy = (rnd() % h) as f32;
            let r = (w / 20 + rnd() % (w / 5)) as f32;
            let c = [
                (rnd() % 256) as f32,
                (rnd() % 256) as f32,
                (rnd() % 256) as f32,
            ];
            (cx, cy, r, c)
        })
        .collect();
    let phase = (seed % 97) as f32 * 0.37;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        let t = fy / h as f32;
        let mut c = [
            120.0 + 100.0 * (1.0 - t),
            150.0 + 60.0 * (1.0 - t),
            200.0 * (1.0 - t) + 60.0,
        ];
        for (cx, cy, r, col) in &shapes {
            let d = ((fx - cx).powi(2) + (fy - cy).powi(2)).sqrt();
            if d < *r {
                let shade = 0.6 + 0.4 * (d / r);
                for k in 0..3 {
                    c[k] = col[k] * shade;
                }
            }
        }
        // texture (leaves, bricks, fabric) at a few pixels' scale, and sensor noise
        let tex = 10.0 * ((fx * 0.21 + phase).sin() * (fy * 0.17).cos())
            + 6.0 * ((fx * 0.05 + fy * 0.07).sin());
        let noise = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ seed)
            .wrapping_mul(2_654_435_761)
            >> 27) as f32
            - 16.0;
        let px = |v: f32| (v + tex + noise * 0.4).clamp(0.0, 255.0) as u8;
        image::Rgb([px(c[0]), px(c[1]), px(c[2])])
    });
    with_exif(&encode(&img, 92))
}

/// `jpeg` with an EXIF APP1 segment after SOI: orientation 1, a camera serial, a GPS IFD.
fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let mut t: Vec<u8> = b"II*\0".to_vec();
    t.extend_from_slice(&8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&typ.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    t.extend_from_slice(&3u16.to_le_bytes());
    entry(&mut t, 0x0112, 3, 1, [1, 0, 0, 0]);
    entry(&mut t, 0x8825, 4, 1, 62u32.to_le_bytes());
    entry(&mut t, 0xA431, 2, 12, 50u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    t.extend_from_slice(b"SERIAL12345\0");
    t.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    t.extend_from_slice(&0u32.to_le_bytes());
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&t);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}
