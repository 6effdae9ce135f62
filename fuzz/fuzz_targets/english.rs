//! Whether a message staff read has English in it: the words of the TOML and serde parsers'
//! messages, outside the parts that quote what staff wrote (`…`, "…").

/// Words and phrases of the parsers' English messages.
const ENGLISH: &[&str] = &[
    "expected",
    "invalid",
    "unexpected",
    "missing",
    "unclosed",
    "unterminated",
    "unknown",
    "duplicate",
    "found",
    " or ",
    " as i128",
    " as u128",
    "digit",
    " between ",
    "key with",
    "a string",
    "an integer",
    "a float",
    "datetime",
    "sequence",
    "out of range",
];

/// The first English word of `text` outside its quoted parts, if any, apart from words that
/// staff wrote themselves (`staff`: the input): a message quotes what staff wrote, and a value
/// holding a quote mark of its own (`ng`aya , expected`) ends the quoted part early.
pub fn english_in(text: &str, staff: &str) -> Option<&'static str> {
    let mut plain = String::new();
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '`' | '"' | '“') => quote = Some(if c == '“' { '”' } else { c }),
            (Some(q), c) if c == q => quote = None,
            (None, c) => plain.push(c),
            _ => {}
        }
    }
    let plain = plain.to_lowercase();
    let staff = staff.to_lowercase();
    ENGLISH
        .iter()
        .copied()
        .find(|w| plain.contains(w) && !staff.contains(w.trim()))
}
