//! Draws a share card ([`Card`], decided by `plan::share`) as a PNG: an SVG rendered with
//! `resvg`, in the Noto Sans subset shipped in the default theme (`fonts/`), embedded in the
//! binary and never the system's fonts, so a card is the same bytes on every machine.

use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use crate::plan::share::{Bar, Card, HEIGHT, MAX_BARS, WIDTH};

static REGULAR: &[u8] = include_bytes!("../../themes/cong-thong-tin/fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../../themes/cong-thong-tin/fonts/NotoSans-Bold.ttf");
const FAMILY: &str = "Noto Sans";

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(FAMILY);
        usvg::Options {
            font_family: FAMILY.to_string(),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        }
    })
}

/// Bumped when the drawing changes, so cards kept from an earlier build are drawn again.
const STYLE: u32 = 1;

/// PNG text chunk keyword under which a card carries its [`card_key`].
pub const KEY_CHUNK: &str = "bantin-the";

/// What a card was drawn from, written into the PNG: the next `build` copies the previous
/// output's card when the key is the same instead of drawing it again (~17 ms a card).
pub fn card_key(site_name: &str, card: &Card) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (STYLE, env!("CARGO_PKG_VERSION"), site_name, card).hash(&mut h);
    format!("{STYLE}-{:016x}", h.finish())
}

/// The card as PNG bytes.
pub fn render_png(site_name: &str, card: &Card) -> Result<Vec<u8>, String> {
    let key = card_key(site_name, card);
    let svg = card_svg(site_name, card);
    let tree = usvg::Tree::from_str(&svg, options()).map_err(|e| e.to_string())?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("kích thước ảnh không hợp lệ")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode_rgb(&pixmap, &key).map_err(|e| e.to_string())
}

/// Whether the PNG `head` (its first bytes: the key chunk comes right after the header) was
/// drawn from `key`.
pub fn has_key(head: &[u8], key: &str) -> bool {
    let mut needle = Vec::with_capacity(64);
    needle.extend_from_slice(b"tEXt");
    needle.extend_from_slice(KEY_CHUNK.as_bytes());
    needle.push(0);
    needle.extend_from_slice(key.as_bytes());
    head.starts_with(b"\x89PNG") && head.windows(needle.len()).any(|w| w == needle)
}

/// RGB PNG without alpha (the card is opaque: a third smaller than tiny-skia's RGBA), with no
/// time or other chunk that would differ between two builds.
fn encode_rgb(pixmap: &tiny_skia::Pixmap, key: &str) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|px| [px[0], px[1], px[2]])
        .collect();
    let mut out = Vec::with_capacity(64 * 1024);
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        // High takes 55 ms a card against 17 for 10% fewer bytes (benches/share_card.rs)
        enc.set_compression(png::Compression::Balanced);
        enc.add_text_chunk(KEY_CHUNK.to_string(), key.to_string())?;
        let mut w = enc.write_header()?;
        w.write_image_data(&rgb)?;
        w.finish()?;
    }
    Ok(out)
}

/// Measures text in the shipped fonts (without kerning, which only narrows a line), for
/// wrapping: SVG text does not wrap by itself.
struct Measure {
    regular: skrifa::FontRef<'static>,
    bold: skrifa::FontRef<'static>,
}

fn measure() -> &'static Measure {
    static M: OnceLock<Measure> = OnceLock::new();
    M.get_or_init(|| Measure {
        regular: skrifa::FontRef::new(REGULAR).expect("the shipped font parses"),
        bold: skrifa::FontRef::new(BOLD).expect("the shipped font parses"),
    })
}

fn text_width(text: &str, size: f32, bold: bool) -> f32 {
    use skrifa::instance::{LocationRef, Size};
    use skrifa::MetadataProvider;
    let m = measure();
    let font = if bold { &m.bold } else { &m.regular };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.6)
        })
        .sum()
}

/// `text` in at most `max_lines` lines of at most `width` pixels, broken at spaces; the last
/// line ends with "…" when the text is longer.
fn wrap(text: &str, size: f32, bold: bool, width: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, bold) <= width || line.is_empty() {
            line = candidate;
            // a single word wider than the line: cut it
            while text_width(&line, size, bold) > width && line.chars().count() > 1 {
                line.pop();
            }
            continue;
        }
        lines.push(std::mem::take(&mut line));
        if lines.len() == max_lines {
            let last = lines.last_mut().expect("one line at least");
            ellipsis(last, size, bold, width);
            return lines;
        }
        line = word.to_string();
        while text_width(&line, size, bold) > width && line.chars().count() > 1 {
            line.pop();
        }
        if words.peek().is_none() {
            break;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn ellipsis(line: &mut String, size: f32, bold: bool, width: f32) {
    while !line.is_empty() && text_width(&format!("{line}…"), size, bold) > width {
        line.pop();
    }
    let trimmed = line.trim_end().len();
    line.truncate(trimmed);
    line.push('…');
}

const RED: &str = "#8f1d1d";
const BLUE: &str = "#0b3a6b";
const INK: &str = "#1b1d21";
const GREY: &str = "#4a4f57";
const MARGIN: f32 = 64.0;

/// The card's SVG: a red band with the site's name, the kicker, the title (up to three lines,
/// two when there are figures), then the headline figure on the left and the bars on the right.
fn card_svg(site_name: &str, card: &Card) -> String {
    let w = WIDTH as f32;
    let mut s = String::with_capacity(4096);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FAMILY}" text-rendering="geometricPrecision">"##
    );
    let _ = write!(
        s,
        r##"<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><rect width="{WIDTH}" height="96" fill="{RED}"/><rect y="{}" width="{WIDTH}" height="12" fill="{BLUE}"/>"##,
        HEIGHT - 12
    );
    let name = wrap(site_name, 34.0, true, w - 2.0 * MARGIN, 1);
    let _ = write!(
        s,
        r##"<text x="{MARGIN}" y="60" font-size="34" font-weight="700" fill="#ffffff">{}</text>"##,
        crate::escape::xml(name.first().map_or("", String::as_str))
    );
    let mut y = 160.0;
    if !card.kicker.is_empty() {
        let kicker = wrap(&card.kicker, 30.0, false, w - 2.0 * MARGIN, 1);
        let _ = write!(
            s,
            r##"<text x="{MARGIN}" y="{y}" font-size="30" fill="{RED}">{}</text>"##,
            crate::escape::xml(kicker.first().map_or("", String::as_str))
        );
        y += 70.0;
    } else {
        y += 20.0;
    }
    let has_figures = card.figure.is_some() || !card.bars.is_empty();
    let (size, max_lines) = if has_figures { (52.0, 2) } else { (62.0, 4) };
    for line in wrap(&card.title, size, true, w - 2.0 * MARGIN, max_lines) {
        let _ = write!(
            s,
            r##"<text x="{MARGIN}" y="{y}" font-size="{size}" font-weight="700" fill="{INK}">{}</text>"##,
            crate::escape::xml(&line)
        );
        y += size * 1.25;
    }
    if let Some(f) = &card.figure {
        let label = wrap(&f.label, 26.0, false, 440.0, 1);
        let _ = write!(
            s,
            r##"<text x="{MARGIN}" y="440" font-size="26" fill="{GREY}">{}</text><text x="{MARGIN}" y="530" font-size="88" font-weight="700" fill="{RED}">{}</text>"##,
            crate::escape::xml(label.first().map_or("", String::as_str)),
            crate::escape::xml(&f.value)
        );
    }
    if !card.bars.is_empty() {
        bars_svg(
            &mut s,
            &card.bars,
            if card.figure.is_some() { 560.0 } else { MARGIN },
        );
    }
    if !card.footer.is_empty() {
        let footer = wrap(&card.footer, 24.0, false, w - 2.0 * MARGIN, 1);
        let _ = write!(
            s,
            r##"<text x="{MARGIN}" y="{}" font-size="24" fill="{GREY}">{}</text>"##,
            HEIGHT - 36,
            crate::escape::xml(footer.first().map_or("", String::as_str))
        );
    }
    s.push_str("</svg>");
    s
}

/// Horizontal bars from `x` to the right margin, between the title and the footer.
fn bars_svg(s: &mut String, bars: &[Bar], x: f32) {
    let right = WIDTH as f32 - MARGIN;
    let label_w = 200.0;
    let value_w = 130.0;
    let track = right - x - label_w - value_w;
    let n = bars.len().min(MAX_BARS);
    let row = 40.0;
    let top = 548.0 - row * n as f32;
    for (k, b) in bars.iter().take(n).enumerate() {
        let y = top + row * k as f32;
        let len = track * (b.permille.min(1000) as f32) / 1000.0;
        let label = wrap(&b.label, 22.0, false, label_w - 12.0, 1);
        let _ = write!(
            s,
            r##"<text x="{x}" y="{}" font-size="22" fill="{INK}">{}</text><rect x="{}" y="{}" width="{track}" height="22" fill="#e6e8eb"/><rect x="{}" y="{}" width="{len:.1}" height="22" fill="{BLUE}"/><text x="{right}" y="{}" font-size="22" font-weight="700" fill="{INK}" text-anchor="end">{}</text>"##,
            y + 19.0,
            crate::escape::xml(label.first().map_or("", String::as_str)),
            x + label_w,
            y + 1.0,
            x + label_w,
            y + 1.0,
            y + 19.0,
            crate::escape::xml(&b.value)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::share::Figure;
    use rust_decimal::Decimal;

    fn card() -> Card {
        Card {
            kicker: "Địa bàn".into(),
            title: "Huyện Đăk Hà – tiến độ giải ngân vốn sự nghiệp năm 2024 của các dự án".into(),
            figure: Some(Figure {
                label: "Tỷ lệ giải ngân năm 2024".into(),
                value: "78,50%".into(),
            }),
            bars: vec![
                Bar::new("Dự án 1".into(), Decimal::new(7850, 2), 2),
                Bar::new("Dự án 4".into(), Decimal::new(12010, 2), 2),
            ],
            footer: "Số liệu đến 30/09/2024".into(),
        }
    }

    #[test]
    fn card_is_a_1200_by_630_png_and_the_same_bytes_twice() {
        let a = render_png("Cổng thông tin <Kon Tum> & \"Đăk Hà\"", &card()).unwrap();
        let b = render_png("Cổng thông tin <Kon Tum> & \"Đăk Hà\"", &card()).unwrap();
        assert_eq!(a, b);
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&a[12..16], b"IHDR");
        assert_eq!(u32::from_be_bytes(a[16..20].try_into().unwrap()), WIDTH);
        assert_eq!(u32::from_be_bytes(a[20..24].try_into().unwrap()), HEIGHT);
        let key = card_key("Cổng thông tin <Kon Tum> & \"Đăk Hà\"", &card());
        assert!(has_key(&a[..256], &key));
        let mut other = card();
        other.title.push('!');
        assert!(!has_key(
            &a[..256],
            &card_key("Cổng thông tin <Kon Tum> & \"Đăk Hà\"", &other)
        ));
    }

    #[test]
    fn long_titles_wrap_within_the_card_and_end_with_an_ellipsis() {
        let title = "Nghiệm thu công trình nước sạch ".repeat(10);
        let lines = wrap(&title, 62.0, true, 1072.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'), "{lines:?}");
        for l in &lines {
            assert!(text_width(l, 62.0, true) <= 1072.0, "{l}");
        }
        assert_eq!(wrap("Ngắn", 62.0, true, 1072.0, 3), ["Ngắn"]);
    }

    #[test]
    fn every_vietnamese_letter_is_in_the_shipped_fonts() {
        use skrifa::MetadataProvider;
        let letters = "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ";
        let all: String = letters
            .chars()
            .chain(letters.to_uppercase().chars())
            .collect();
        for font in [&measure().regular, &measure().bold] {
            let cm = font.charmap();
            let missing: String = all.chars().filter(|&c| cm.map(c).is_none()).collect();
            assert!(missing.is_empty(), "missing: {missing}");
        }
    }
}
