//! The one escaper for everything that reaches HTML, SVG or XML: templates (Tera's
//! auto-escaping and `escape_xml`), charts, Markdown's own markup, serve's pages. A leaf:
//! imports nothing of bantin's.
//!
//! `&`, `<`, `>`, `"` and `'` become character references, which is enough inside text and
//! quoted attributes (and defuses `]]>` and `</script>`); C0 control characters other than tab,
//! line feed and carriage return are dropped, because XML does not allow them (feeds and SVG
//! are parsed as XML) and HTML calls them parse errors. Runs without any of these are copied
//! in one piece: pages pass every title and teaser through here and feeds every article body,
//! so finding the next special byte is the hot loop ([`next_special`]).

/// Escaped for HTML text and attributes (`'` as `&#39;`).
pub fn html(input: &str) -> String {
    escape_with(input, "&#39;")
}

/// Escaped for XML (`'` as `&apos;`, as Tera's built-in `escape_xml` writes it).
pub fn xml(input: &str) -> String {
    escape_with(input, "&apos;")
}

/// [`html`] written into `out` (Tera's escape function): no `String` per escaped value.
pub fn write_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut last = 0;
    let mut i = next_special(bytes, 0);
    while i < bytes.len() {
        out.write_all(&bytes[last..i])?;
        out.write_all(match bytes[i] {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => b"", // a control character: dropped
        })?;
        last = i + 1;
        i = next_special(bytes, last);
    }
    out.write_all(&bytes[last..])
}

fn escape_with(input: &str, apos: &'static str) -> String {
    let bytes = input.as_bytes();
    let mut i = next_special(bytes, 0);
    if i == bytes.len() {
        return input.to_string();
    }
    let mut out = String::with_capacity(input.len() + input.len() / 16 + 8);
    let mut last = 0;
    while i < bytes.len() {
        out.push_str(&input[last..i]);
        out.push_str(match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => apos,
            _ => "", // a control character: dropped
        });
        last = i + 1;
        i = next_special(bytes, last);
    }
    out.push_str(&input[last..]);
    out
}

/// Which of the 16 bytes `b[i..i + 16]` are one of `needles`: bit k for byte `i + k`. The
/// block scan of the text scanners (escaping here, the search text). Panics unless
/// `i + 16 <= b.len()`.
///
/// Hand SSE2, measured (callgrind, 1 000-article build, 2026-12-05): a safe block test the
/// compiler vectorises, then the position found byte by byte, costs 36 M more instructions
/// (1.8 % of the build) in escaping alone; a safe 16-lane fold to a bit mask cost far more.
/// Below the 5 % a whole build must gain for `unsafe` to stay (issue 13): kept until that is
/// decided, see the session note.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
pub(crate) fn block_eq_any<const N: usize>(b: &[u8], i: usize, needles: [u8; N]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_setzero_si128,
    };
    assert!(i + 16 <= b.len());
    // SAFETY: SSE2 is part of the x86_64 baseline; the load reads the 16 bytes inside `b`
    // checked above, unaligned loads being allowed by `_mm_loadu_si128`.
    unsafe {
        let v = _mm_loadu_si128(b.as_ptr().add(i).cast::<__m128i>());
        let hit = needles.iter().fold(_mm_setzero_si128(), |acc, &c| {
            _mm_or_si128(acc, _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8)))
        });
        _mm_movemask_epi8(hit) as u32
    }
}

/// Which of the 16 bytes `b[i..i + 16]` are below `limit` (bit k for byte `i + k`). Panics
/// unless `i + 16 <= b.len()`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn block_below(b: &[u8], i: usize, limit: u8) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_set1_epi8,
    };
    assert!(i + 16 <= b.len() && limit > 0);
    // SAFETY: as in `block_eq_any`: SSE2 is baseline on x86_64, the 16 bytes are inside `b`.
    unsafe {
        let v = _mm_loadu_si128(b.as_ptr().add(i).cast::<__m128i>());
        // v <= limit - 1, unsigned: min(v, limit - 1) == v
        let top = _mm_set1_epi8((limit - 1) as i8);
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, top), v)) as u32
    }
}

/// `&<>"'` and the C0 controls other than `\t`, `\n`, `\r`: all below 0x40, so one shift of
/// a 64-bit mask classifies a byte.
const SPECIAL: u64 = (1 << b'&' | 1 << b'<' | 1 << b'>' | 1 << b'"' | 1 << b'\'')
    | (0xFFFF_FFFF & !(1 << b'\t' | 1 << b'\n' | 1 << b'\r'));

/// Index of the first byte [`SPECIAL`] names in `b[from..]`, or `b.len()`.
fn next_special(b: &[u8], from: usize) -> usize {
    let mut i = from;
    #[cfg(target_arch = "x86_64")]
    while i + 16 <= b.len() {
        let mask = block_eq_any(b, i, [b'&', b'<', b'>', b'"', b'\''])
            | (block_below(b, i, 0x20) & !block_eq_any(b, i, [b'\t', b'\n', b'\r']));
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    b[i..]
        .iter()
        .position(|&c| c < 64 && (SPECIAL >> c) & 1 == 1)
        .map_or(b.len(), |p| i + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, character by character.
    fn reference(s: &str, apos: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str(apos),
                '\t' | '\n' | '\r' => out.push(c),
                c if (c as u32) < 0x20 => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn agrees_with_the_definition_at_every_position() {
        let pieces = [
            "a",
            "ẫ",
            "&",
            "<",
            ">",
            "\"",
            "'",
            "\u{0}",
            "\u{1b}",
            "\t",
            "\n",
            "\r",
            "\u{7f}",
            "\u{85}",
            "Đăk Hà ",
        ];
        let mut rng = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..3000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let len = (rng % 60) as usize;
            let s: String = (0..len)
                .map(|k| pieces[((rng >> (k % 50)) as usize + k * 7) % pieces.len()])
                .collect();
            assert_eq!(html(&s), reference(&s, "&#39;"), "{s:?}");
            assert_eq!(xml(&s), reference(&s, "&apos;"), "{s:?}");
            let mut written = Vec::new();
            write_html(&s, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), html(&s), "{s:?}");
        }
    }

    #[test]
    fn examples() {
        assert_eq!(html("Ia H'Drai & <b>"), "Ia H&#39;Drai &amp; &lt;b&gt;");
        assert_eq!(xml("Ia H'Drai"), "Ia H&apos;Drai");
        assert_eq!(html("a\u{0}b\u{1b}c\nd"), "abc\nd");
        assert_eq!(html("Kon Rẫy"), "Kon Rẫy");
    }
}
