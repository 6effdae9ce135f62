//! Draws the example site's illustrations (content/…/*.jpg): highland landscapes with a house,
//! made here so the repository carries no photo of a real person or place and no licence
//! question. Each is labelled "Ảnh minh hoạ" where it is used.
//!
//! cargo run --release --example anh-mau -- OUT.jpg SEED [house]

use image::{Rgb, RgbImage};

const W: u32 = 1600;
const H: u32 = 1000;

fn mix(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    let t = t.clamp(0.0, 1.0);
    [
        a[0] + (b[0] - a[0]) * t,
        a[1] + (b[1] - a[1]) * t,
        a[2] + (b[2] - a[2]) * t,
    ]
}

/// A ridge line: the height (0 = top) of mountain range `k` at x, from a few sines.
fn ridge(x: f32, k: usize, seed: f32) -> f32 {
    let base = [0.42, 0.52, 0.62][k];
    let f = (k as f32 + 1.0) * 1.7;
    base - 0.07 * (x * f * 3.1 + seed).sin()
        - 0.04 * (x * f * 7.3 + seed * 2.0).sin()
        - 0.015 * (x * f * 17.0 + seed * 3.0).sin()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = args.first().expect("OUT.jpg");
    let seed: f32 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1.0);
    let house = args.iter().any(|a| a == "house");
    let sky_top = mix(
        [70.0, 130.0, 200.0],
        [120.0, 90.0, 160.0],
        (seed * 0.37).fract() * 0.5,
    );
    let sky_low = [235.0, 220.0, 190.0];
    let ranges = [
        [96.0, 120.0, 150.0],
        [60.0, 105.0, 90.0],
        [40.0, 90.0, 55.0],
    ];
    let field_hi = [120.0, 170.0, 70.0];
    let field_lo = [70.0, 125.0, 45.0];
    let mut img = RgbImage::new(W, H);
    for (px, py, p) in img.enumerate_pixels_mut() {
        let (x, y) = (px as f32 / W as f32, py as f32 / H as f32);
        let mut c = mix(sky_top, sky_low, y / 0.6);
        // the sun, soft-edged
        let (sx, sy) = (0.2 + (seed * 0.13).fract() * 0.6, 0.18);
        let d = ((x - sx).powi(2) * 2.56 + (y - sy).powi(2)).sqrt();
        c = mix(c, [255.0, 240.0, 200.0], (0.06 - d) / 0.01);
        for (k, col) in ranges.iter().enumerate() {
            let r = ridge(x, k, seed);
            if y > r {
                // haze: farther ranges fade into the sky
                c = mix(*col, sky_low, 0.25 - 0.1 * k as f32 + (y - r) * 0.2);
            }
        }
        if y > 0.72 {
            let rows = ((y - 0.72) * 60.0 + x * 4.0).sin() * 0.5 + 0.5;
            c = mix(field_hi, field_lo, (y - 0.72) / 0.28 * 0.6 + rows * 0.25);
        }
        if house {
            c = draw_house(c, x, y, (seed * 0.29).fract());
        }
        // a little grain, so it compresses like a photo and not like a drawing
        let n = ((px.wrapping_mul(73_856_093) ^ py.wrapping_mul(19_349_663)) % 17) as f32 - 8.0;
        *p = Rgb(c.map(|v| (v + n * 0.35).clamp(0.0, 255.0) as u8));
    }
    if out.ends_with(".png") {
        // to look at (the file viewer here shows PNG only)
        img.save(out).expect("save");
        return;
    }
    let file = std::fs::File::create(out).expect("create");
    let mut w = std::io::BufWriter::new(file);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut w, 82)
        .encode_image(&img)
        .expect("encode");
}

/// A stilt house (nhà sàn): posts, a wooden body, a tall roof.
fn draw_house(c: [f32; 3], x: f32, y: f32, at: f32) -> [f32; 3] {
    let cx = 0.3 + at * 0.4;
    let (left, right) = (cx - 0.11, cx + 0.11);
    let (floor, eave, top) = (0.80, 0.66, 0.50);
    let wood = [140.0, 90.0, 55.0];
    let roof = [110.0, 60.0, 40.0];
    if (left..right).contains(&x) && (eave..floor).contains(&y) {
        let door = (x - cx).abs() < 0.02 && y > 0.70;
        return if door { [60.0, 40.0, 30.0] } else { wood };
    }
    // posts under the floor
    if (floor..0.88).contains(&y)
        && [left + 0.01, cx, right - 0.01]
            .iter()
            .any(|p| (x - p).abs() < 0.006)
    {
        return [90.0, 60.0, 40.0];
    }
    // the roof: a trapezoid wider than the body, its ridge short
    let t = (y - top) / (eave - top);
    if (0.0..=1.0).contains(&t) {
        let half = 0.05 + t * 0.09;
        if (x - cx).abs() < half {
            return mix(
                roof,
                [80.0, 45.0, 30.0],
                ((x - cx) * 40.0).sin().abs() * 0.3,
            );
        }
    }
    c
}
