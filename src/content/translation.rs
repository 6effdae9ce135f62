//! Zola's translation files (`bai.en.md`, `_index.es.md`, `goi/index.fr.md`). Those of a
//! language configured in `[languages.*]` are that language's pages (see `load`); any other
//! is refused with one message saying so, instead of being read as an article named `bai.en`
//! (or a section key list, or a clash with a file that does not exist).

use crate::diag::Diagnostic;

/// ISO 639-1 codes: a name's last dotted part is a language only when it is one of these
/// (`bao-cao.2022.md`, `ban-tin.so1.md` are articles).
const ISO_639_1: [&str; 184] = [
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// Three-letter codes (ISO 639-2/3) of languages without a two-letter one that Zola sites
/// use, Hmong among them (spoken in Vietnam).
const THREE_LETTER: [&str; 12] = [
    "ast", "ceb", "chr", "ckb", "fil", "gsw", "haw", "hmn", "kab", "nds", "sco", "yue",
];

/// Whether `code` reads as a language: `es`, `fil`, or with a region or script (`pt-br`,
/// `zh-Hans`).
fn is_language_code(code: &str) -> bool {
    let (lang, sub) = match code.split_once('-') {
        Some((l, s)) => (l, Some(s)),
        None => (code, None),
    };
    let known = ISO_639_1.contains(&lang) || THREE_LETTER.contains(&lang);
    let sub_ok =
        sub.is_none_or(|s| matches!(s.len(), 2 | 4) && s.bytes().all(|b| b.is_ascii_alphabetic()));
    known && sub_ok
}

/// The stem and language code of a Zola translation file name (`bai.en.md` → `bai`, `en`).
pub fn translation(file_name: &str) -> Option<(&str, &str)> {
    let (stem, code) = file_name.strip_suffix(".md")?.rsplit_once('.')?;
    (!stem.is_empty() && is_language_code(code)).then_some((stem, code))
}

/// The message for a translation file in a language the site has not configured
/// (`display`: its path for messages; `configured`: the codes of `[languages.*]`).
pub fn diagnostic(display: &str, stem: &str, code: &str, configured: &[String]) -> Diagnostic {
    let supported = crate::locale::Lang::TRANSLATIONS.contains(&code);
    let why = if supported {
        format!("config.toml chưa có [languages.{code}] nên bantin không dựng trang `{code}`")
    } else if configured.is_empty() {
        format!("bantin không dựng trang `{code}` (chỉ dựng trang tiếng Việt, và tiếng Anh khi config.toml có [languages.en])")
    } else {
        format!(
            "config.toml chỉ khai báo [languages.{}], bantin không dựng trang `{code}`",
            configured.join("], [languages.")
        )
    };
    let enable = if supported {
        format!("thêm [languages.{code}] (title, description) vào config.toml để dựng trang này dưới /{code}/; hoặc ")
    } else {
        String::new()
    };
    Diagnostic::error(format!("tệp bản dịch ngôn ngữ `{code}`: {why}"))
        .in_file(display)
        .at(1, 1)
        .hint(format!(
            "{enable}xoá tệp này hoặc chuyển nó ra khỏi content/; nếu đây là nội dung tiếng Việt, đổi tên thành {stem}.md (bỏ mã ngôn ngữ .{code})"
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translations_are_told_from_dotted_names() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            ("bai.en.md", Some(("bai", "en"))),
            ("_index.es.md", Some(("_index", "es"))),
            ("index.fr.md", Some(("index", "fr"))),
            ("ban-tin.vi.md", Some(("ban-tin", "vi"))),
            ("a.b.pt-br.md", Some(("a.b", "pt-br"))),
            ("bai.zh-Hans.md", Some(("bai", "zh-Hans"))),
            ("bai.fil.md", Some(("bai", "fil"))),
            ("bao-cao.2022.md", None),
            ("bai.xx.md", None),
            ("bai.abc.md", None),
            ("bai.EN.md", None),
            ("bai.en-.md", None),
            ("bai.en-x1.md", None),
            (".en.md", None),
            ("bai.md", None),
            ("bai.en.txt", None),
        ];
        for (name, want) in cases {
            assert_eq!(translation(name), *want, "{name}");
        }
    }

    #[test]
    fn the_message_says_what_the_file_is_and_what_to_do() {
        let d = diagnostic("content/tin-tuc/bai.en.md", "bai", "en", &[]);
        assert_eq!(
            d.to_string(),
            "lỗi: content/tin-tuc/bai.en.md:1:1: tệp bản dịch ngôn ngữ `en`: config.toml chưa có [languages.en] nên bantin không dựng trang `en`\n  → cách sửa: thêm [languages.en] (title, description) vào config.toml để dựng trang này dưới /en/; hoặc xoá tệp này hoặc chuyển nó ra khỏi content/; nếu đây là nội dung tiếng Việt, đổi tên thành bai.md (bỏ mã ngôn ngữ .en)"
        );
        let d = diagnostic("content/bai.fr.md", "bai", "fr", &["en".to_string()]);
        assert!(
            d.to_string().contains("bai.fr.md:1:1: tệp bản dịch ngôn ngữ `fr`: config.toml chỉ khai báo [languages.en], bantin không dựng trang `fr`"),
            "{d}"
        );
    }
}
