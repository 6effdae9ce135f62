//! Which top-level keys a front matter may have. Checked on the parsed TOML table before serde
//! sees it, so that every key bantin does not take is reported in one run, each at its own
//! line (serde's `deny_unknown_fields` stops at the first one).
//!
//! The keys a file takes are read from its struct ([`fields_of`]): there is one list, the
//! struct. Keys Zola has and bantin does not are refused with what to use instead
//! ([`ZOLA_KEYS`], [`ZOLA_VALUES`]), except with the value that asks for what bantin does
//! anyway (Zola's defaults, e.g. `render = true`), which is accepted and ignored.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use toml::de::{DeTable, DeValue};

use super::page::{PageFrontMatter, SectionFrontMatter};
use crate::diag::{did_you_mean, Diagnostic};

/// The two kinds of content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// An article: `bai.md`, `bai/index.md`.
    Page,
    /// A section: `_index.md`.
    Section,
}

impl FileKind {
    /// The keys bantin takes in this kind of file (aliases included).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            FileKind::Page => fields_of::<PageFrontMatter>(),
            FileKind::Section => fields_of::<SectionFrontMatter>(),
        }
    }

    fn other(self) -> FileKind {
        match self {
            FileKind::Page => FileKind::Section,
            FileKind::Section => FileKind::Page,
        }
    }

    fn name(self) -> &'static str {
        match self {
            FileKind::Page => "bài viết",
            FileKind::Section => "chuyên mục (_index.md)",
        }
    }
}

/// The keys, aliases included, serde's derive accepts for the struct `T`. The derive hands
/// them to `deserialize_struct`; this deserializer records them there and stops.
pub fn fields_of<T: DeserializeOwned>() -> &'static [&'static str] {
    let probe = FieldProbe(Cell::new(&[]));
    let _ = T::deserialize(&probe);
    probe.0.get()
}

struct FieldProbe(Cell<&'static [&'static str]>);

#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a struct")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for &FieldProbe {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0.set(fields);
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The value of a Zola key that asks for what bantin does anyway.
#[derive(Debug, Clone, Copy)]
pub enum Accept {
    /// Every value is refused.
    Never,
    Bool(bool),
    Str(&'static str),
}

impl Accept {
    fn matches(self, v: &DeValue<'_>) -> bool {
        match self {
            Accept::Never => false,
            Accept::Bool(b) => v.as_bool() == Some(b),
            Accept::Str(s) => v.as_str() == Some(s),
        }
    }
}

/// A Zola front-matter key bantin does not implement.
#[derive(Debug)]
pub struct ZolaKey {
    pub key: &'static str,
    pub kind: FileKind,
    pub accepted: Accept,
    /// What it does in Zola, for the message.
    pub what: &'static str,
    /// What to do in bantin instead.
    pub hint: &'static str,
}

const NO_SEARCH_HINT: &str =
    "xoá dòng này (mọi bài đều tìm được); nếu bài chưa được công khai, dùng draft = true";

/// Zola's page and section keys (Zola 0.19+ documentation: "Page", "Section") that bantin
/// does not take. Zola's other keys are bantin's own (`generate_feeds`/`generate_feed` are
/// read as `feed`). README.md's "Front matter" section lists the same.
pub const ZOLA_KEYS: &[ZolaKey] = &[
    ZolaKey {
        key: "path",
        kind: FileKind::Page,
        accepted: Accept::Never,
        what: "đặt cả đường dẫn của bài",
        hint: "bantin ghép đường dẫn từ thư mục chuyên mục và slug: dùng slug = \"ten-bai\" cho phần cuối, chuyển tệp sang thư mục khác để đổi chuyên mục; địa chỉ cũ cần giữ thì thêm aliases = [\"/dia-chi-cu/\"]",
    },
    ZolaKey {
        key: "render",
        kind: FileKind::Page,
        accepted: Accept::Bool(true),
        what: "render = false: bài không có trang riêng",
        hint: "xoá dòng này; nếu chưa muốn đăng bài, dùng draft = true",
    },
    ZolaKey {
        key: "in_search_index",
        kind: FileKind::Page,
        accepted: Accept::Bool(true),
        what: "in_search_index = false: bỏ bài khỏi ô tìm kiếm",
        hint: NO_SEARCH_HINT,
    },
    ZolaKey {
        key: "in_search_index",
        kind: FileKind::Section,
        accepted: Accept::Bool(true),
        what: "in_search_index = false: bỏ chuyên mục khỏi ô tìm kiếm",
        hint: NO_SEARCH_HINT,
    },
    ZolaKey {
        key: "draft",
        kind: FileKind::Section,
        accepted: Accept::Bool(false),
        what: "draft = true cho cả chuyên mục",
        hint: "đặt draft = true trong từng bài của chuyên mục, hoặc chuyển thư mục ra khỏi content/ cho tới khi đăng",
    },
    ZolaKey {
        key: "render",
        kind: FileKind::Section,
        accepted: Accept::Bool(true),
        what: "render = false: chuyên mục không có trang riêng",
        hint: "xoá dòng này: bantin luôn tạo trang chuyên mục liệt kê các bài bên trong",
    },
    ZolaKey {
        key: "redirect_to",
        kind: FileKind::Section,
        accepted: Accept::Never,
        what: "chuyển người xem sang địa chỉ khác",
        hint: "xoá dòng này; để địa chỉ cũ dẫn sang trang khác, thêm nó vào aliases = [\"/dia-chi-cu/\"] của trang đích (và bỏ chuyên mục này nếu nó không có bài)",
    },
    ZolaKey {
        key: "transparent",
        kind: FileKind::Section,
        accepted: Accept::Bool(false),
        what: "transparent = true: bài hiện ở chuyên mục cha",
        hint: "xoá dòng này; muốn bài hiện trong chuyên mục cha thì chuyển tệp bài lên thư mục đó",
    },
    ZolaKey {
        key: "paginate_reversed",
        kind: FileKind::Section,
        accepted: Accept::Bool(false),
        what: "paginate_reversed = true: đảo thứ tự khi chia trang",
        hint: "xoá dòng này; thứ tự bài theo sort_by: \"date\" (mới nhất trước), \"weight\" hoặc \"title\"",
    },
    ZolaKey {
        key: "paginate_path",
        kind: FileKind::Section,
        accepted: Accept::Str("trang"),
        what: "đổi đoạn /page/ trong địa chỉ trang 2, 3…",
        hint: "xoá dòng này; trang 2, 3… của chuyên mục luôn ở …/trang/2/, …/trang/3/",
    },
    ZolaKey {
        key: "insert_anchor_links",
        kind: FileKind::Section,
        accepted: Accept::Str("none"),
        what: "thêm liên kết # cạnh mỗi tiêu đề",
        hint: "xoá dòng này; tiêu đề vẫn có id để liên kết tới, ví dụ ## Kết quả → #ket-qua",
    },
];

/// A value of a bantin key that Zola has and bantin does not.
#[derive(Debug)]
pub struct ZolaValue {
    pub key: &'static str,
    pub value: &'static str,
    pub message: &'static str,
    pub hint: &'static str,
}

/// Zola's `sort_by` values bantin does not have (it has `date`, `weight`, `title`).
pub const ZOLA_VALUES: &[ZolaValue] = &[
    ZolaValue {
        key: "sort_by",
        value: "none",
        message: "sort_by = \"none\" (không sắp xếp) bantin không có: bài trong chuyên mục luôn được sắp xếp",
        hint: "xoá dòng này để sắp theo ngày (mới nhất trước), hoặc dùng sort_by = \"weight\" hay \"title\"",
    },
    ZolaValue {
        key: "sort_by",
        value: "update_date",
        message: "sort_by = \"update_date\" (theo ngày cập nhật) bantin chưa hỗ trợ",
        hint: "dùng sort_by = \"date\" (theo ngày đăng, mới nhất trước)",
    },
    ZolaValue {
        key: "sort_by",
        value: "title_bytes",
        message: "sort_by = \"title_bytes\" bantin không có",
        hint: "dùng sort_by = \"title\" (theo tiêu đề, thứ tự chữ cái tiếng Việt)",
    },
    ZolaValue {
        key: "sort_by",
        value: "slug",
        message: "sort_by = \"slug\" bantin không có",
        hint: "dùng sort_by = \"title\" (theo tiêu đề) hoặc sort_by = \"weight\"",
    },
];

/// What to do with one key.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Keep,
    /// A Zola key with the value bantin follows anyway: removed, nothing said.
    Ignore,
    /// Removed and reported, at the key or at its value.
    Refuse {
        at_value: bool,
        message: String,
        hint: String,
    },
}

fn verdict(key: &str, value: &DeValue<'_>, kind: FileKind, fields: &[&str]) -> Verdict {
    let refuse = |at_value, message: String, hint: String| Verdict::Refuse {
        at_value,
        message,
        hint,
    };
    if fields.contains(&key) {
        return match ZOLA_VALUES
            .iter()
            .find(|v| v.key == key && value.as_str() == Some(v.value))
        {
            Some(v) => refuse(true, v.message.into(), v.hint.into()),
            None => Verdict::Keep,
        };
    }
    if let Some(z) = ZOLA_KEYS.iter().find(|z| z.key == key && z.kind == kind) {
        if z.accepted.matches(value) {
            return Verdict::Ignore;
        }
        let message = format!("khoá Zola `{key}` ({}) bantin chưa hỗ trợ", z.what);
        return refuse(false, message, z.hint.into());
    }
    if kind.other().fields().contains(&key) {
        return wrong_kind(key, kind);
    }
    if let Some(z) = ZOLA_KEYS.iter().find(|z| z.key == key) {
        let message = format!(
            "khoá Zola `{key}` ({}) bantin chưa hỗ trợ; trong Zola nó chỉ dùng cho {}",
            z.what,
            z.kind.name()
        );
        return refuse(false, message, "xoá dòng này".into());
    }
    let mut hint = String::new();
    if let Some(s) = did_you_mean(key, fields.iter().copied()) {
        hint.push_str(&format!("có phải ý bạn là `{s}`? "));
    }
    // A legal document's keys are suggested for typos but not listed: most articles are
    // not documents, and nine more names would bury the ones they can use. The editor's own
    // keys (review status, owner) are not written by hand either.
    let listed: Vec<&str> = fields
        .iter()
        .copied()
        .filter(|f| !super::page::DOCUMENT_KEYS.contains(f))
        .filter(|f| !super::page::EDITOR_KEYS.contains(f))
        .collect();
    hint.push_str(&format!(
        "các khoá hợp lệ: {}; thông tin riêng cho giao diện đặt dưới [extra]",
        listed.join(", ")
    ));
    let message = format!(
        "Phần thông tin đầu bài không hợp lệ: khoá `{key}` không có trong danh sách khoá hợp lệ"
    );
    refuse(false, message, hint)
}

/// A key of the other kind of file: a section key in an article, or the reverse.
fn wrong_kind(key: &str, kind: FileKind) -> Verdict {
    let (message, hint) = match kind {
        FileKind::Page => (
            format!("khoá `{key}` dùng cho chuyên mục (_index.md), không dùng trong bài viết"),
            "xoá dòng này, hoặc chuyển nó vào _index.md của chuyên mục".to_string(),
        ),
        FileKind::Section => (
            format!("khoá `{key}` dùng cho bài viết, không dùng trong _index.md (trang chuyên mục)"),
            "xoá dòng này; nếu tệp này là một bài viết, đặt tên khác cho nó (ví dụ gioi-thieu.md) thay vì _index.md".to_string(),
        ),
    };
    Verdict::Refuse {
        at_value: false,
        message,
        hint,
    }
}

/// Removes from `table` every key that `fields` (the struct's keys) does not take, and
/// reports each refused one, in file order. `at` turns a front-matter byte offset into the
/// file's line and column.
pub fn check(
    table: &mut DeTable<'_>,
    kind: FileKind,
    fields: &[&str],
    file: &str,
    at: &dyn Fn(usize) -> (usize, usize),
) -> Vec<Diagnostic> {
    let mut refused = Vec::new();
    let mut remove = Vec::new();
    for (key, value) in table.iter() {
        match verdict(key.get_ref(), value.get_ref(), kind, fields) {
            Verdict::Keep => continue,
            Verdict::Ignore => {}
            Verdict::Refuse {
                at_value,
                message,
                hint,
            } => {
                let offset = if at_value { value.span() } else { key.span() }.start;
                refused.push((offset, message, hint));
            }
        }
        remove.push(key.get_ref().to_string());
    }
    for key in remove {
        table.remove(key.as_str());
    }
    refused.sort_by_key(|r| r.0);
    refused
        .into_iter()
        .map(|(offset, message, hint)| {
            let (line, column) = at(offset);
            Diagnostic::error(message)
                .in_file(file)
                .at(line, column)
                .hint(hint)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn struct_keys_are_read_from_serde() {
        let page = FileKind::Page.fields();
        for k in ["title", "date", "slug", "areas", "extra", "taxonomies"] {
            assert!(page.contains(&k), "{k}: {page:?}");
        }
        let section = FileKind::Section.fields();
        for k in [
            "sort_by",
            "feed",
            "generate_feeds",
            "generate_feed",
            "page_template",
        ] {
            assert!(section.contains(&k), "{k}: {section:?}");
        }
        assert!(!page.contains(&"sort_by") && !section.contains(&"date"));
    }

    /// A Zola key bantin comes to implement goes into the struct and out of the table: both
    /// at once would leave a rule that never fires.
    #[test]
    fn zola_rules_name_keys_the_structs_do_not_take_and_values_they_do() {
        for z in ZOLA_KEYS {
            assert!(!z.kind.fields().contains(&z.key), "{z:?}");
        }
        for v in ZOLA_VALUES {
            assert!(FileKind::Section.fields().contains(&v.key), "{v:?}");
        }
    }

    /// README.md's table of Zola keys says what this table does.
    #[test]
    fn readme_lists_every_zola_rule() {
        let readme = include_str!("../../README.md");
        let rows: Vec<&str> = readme.lines().filter(|l| l.starts_with("| `")).collect();
        for z in ZOLA_KEYS {
            let kind = match z.kind {
                FileKind::Page => "article",
                FileKind::Section => "section",
            };
            let says = match z.accepted {
                Accept::Never => "refused".to_string(),
                Accept::Bool(b) => format!("`{b}` accepted"),
                Accept::Str(v) => format!("`\"{v}\"` accepted"),
            };
            let row = rows.iter().find(|r| {
                r.starts_with(&format!("| `{}` |", z.key))
                    && r.split('|').nth(2).is_some_and(|k| k.contains(kind))
            });
            assert!(row.is_some_and(|r| r.contains(&says)), "{z:?}: {row:?}");
        }
        let sort_by = rows
            .iter()
            .find(|r| r.starts_with("| `sort_by` |"))
            .unwrap();
        for v in ZOLA_VALUES {
            assert!(sort_by.contains(&format!("`{}` refused", v.value)), "{v:?}");
        }
    }

    fn verdicts(toml: &str, kind: FileKind) -> Vec<(usize, usize, String, String)> {
        let mut t = DeTable::parse(toml).unwrap().into_inner();
        let at = |o: usize| crate::diag::line_col(toml, o);
        check(&mut t, kind, kind.fields(), "a.md", &at)
            .into_iter()
            .map(|d| {
                let (l, c) = (d.line.unwrap(), d.column.unwrap());
                (l, c, d.message, d.hint.unwrap())
            })
            .collect()
    }

    /// Every refused Zola key and value, with its whole message.
    #[test]
    fn every_zola_key_bantin_refuses_says_what_to_use_instead() {
        use FileKind::{Page, Section};
        let cases: &[(&str, FileKind, &str, &str)] = &[
            ("path = \"blog/a\"", Page, "khoá Zola `path` (đặt cả đường dẫn của bài) bantin chưa hỗ trợ", "bantin ghép đường dẫn từ thư mục chuyên mục và slug: dùng slug = \"ten-bai\" cho phần cuối, chuyển tệp sang thư mục khác để đổi chuyên mục; địa chỉ cũ cần giữ thì thêm aliases = [\"/dia-chi-cu/\"]"),
            ("render = false", Page, "khoá Zola `render` (render = false: bài không có trang riêng) bantin chưa hỗ trợ", "xoá dòng này; nếu chưa muốn đăng bài, dùng draft = true"),
            ("in_search_index = false", Page, "khoá Zola `in_search_index` (in_search_index = false: bỏ bài khỏi ô tìm kiếm) bantin chưa hỗ trợ", NO_SEARCH_HINT),
            ("in_search_index = false", Section, "khoá Zola `in_search_index` (in_search_index = false: bỏ chuyên mục khỏi ô tìm kiếm) bantin chưa hỗ trợ", NO_SEARCH_HINT),
            ("draft = true", Section, "khoá Zola `draft` (draft = true cho cả chuyên mục) bantin chưa hỗ trợ", "đặt draft = true trong từng bài của chuyên mục, hoặc chuyển thư mục ra khỏi content/ cho tới khi đăng"),
            ("render = false", Section, "khoá Zola `render` (render = false: chuyên mục không có trang riêng) bantin chưa hỗ trợ", "xoá dòng này: bantin luôn tạo trang chuyên mục liệt kê các bài bên trong"),
            ("redirect_to = \"docs/a\"", Section, "khoá Zola `redirect_to` (chuyển người xem sang địa chỉ khác) bantin chưa hỗ trợ", "xoá dòng này; để địa chỉ cũ dẫn sang trang khác, thêm nó vào aliases = [\"/dia-chi-cu/\"] của trang đích (và bỏ chuyên mục này nếu nó không có bài)"),
            ("transparent = true", Section, "khoá Zola `transparent` (transparent = true: bài hiện ở chuyên mục cha) bantin chưa hỗ trợ", "xoá dòng này; muốn bài hiện trong chuyên mục cha thì chuyển tệp bài lên thư mục đó"),
            ("paginate_reversed = true", Section, "khoá Zola `paginate_reversed` (paginate_reversed = true: đảo thứ tự khi chia trang) bantin chưa hỗ trợ", "xoá dòng này; thứ tự bài theo sort_by: \"date\" (mới nhất trước), \"weight\" hoặc \"title\""),
            ("paginate_path = \"page\"", Section, "khoá Zola `paginate_path` (đổi đoạn /page/ trong địa chỉ trang 2, 3…) bantin chưa hỗ trợ", "xoá dòng này; trang 2, 3… của chuyên mục luôn ở …/trang/2/, …/trang/3/"),
            ("insert_anchor_links = \"left\"", Section, "khoá Zola `insert_anchor_links` (thêm liên kết # cạnh mỗi tiêu đề) bantin chưa hỗ trợ", "xoá dòng này; tiêu đề vẫn có id để liên kết tới, ví dụ ## Kết quả → #ket-qua"),
            ("sort_by = \"none\"", Section, "sort_by = \"none\" (không sắp xếp) bantin không có: bài trong chuyên mục luôn được sắp xếp", "xoá dòng này để sắp theo ngày (mới nhất trước), hoặc dùng sort_by = \"weight\" hay \"title\""),
            ("sort_by = \"update_date\"", Section, "sort_by = \"update_date\" (theo ngày cập nhật) bantin chưa hỗ trợ", "dùng sort_by = \"date\" (theo ngày đăng, mới nhất trước)"),
            ("sort_by = \"title_bytes\"", Section, "sort_by = \"title_bytes\" bantin không có", "dùng sort_by = \"title\" (theo tiêu đề, thứ tự chữ cái tiếng Việt)"),
            ("sort_by = \"slug\"", Section, "sort_by = \"slug\" bantin không có", "dùng sort_by = \"title\" (theo tiêu đề) hoặc sort_by = \"weight\""),
        ];
        for (toml, kind, message, hint) in cases {
            let text = format!("title = \"x\"\n{toml}\n");
            let col = if toml.starts_with("sort_by") { 11 } else { 1 };
            let expected = vec![(2, col, message.to_string(), hint.to_string())];
            assert_eq!(verdicts(&text, *kind), expected, "{toml}");
        }
        // every rule of the tables is in the cases above
        for z in ZOLA_KEYS {
            assert!(
                cases
                    .iter()
                    .any(|c| c.0.starts_with(z.key) && c.1 == z.kind),
                "{z:?}"
            );
        }
        for v in ZOLA_VALUES {
            assert!(
                cases
                    .iter()
                    .any(|c| c.0.contains(&format!("\"{}\"", v.value))),
                "{v:?}"
            );
        }
    }

    #[test]
    fn zola_defaults_are_accepted_and_dropped() {
        let text = "render = true\nin_search_index = true\ndraft = false\ntransparent = false\npaginate_reversed = false\npaginate_path = \"trang\"\ninsert_anchor_links = \"none\"\n";
        let mut t = DeTable::parse(text).unwrap().into_inner();
        let d = check(
            &mut t,
            FileKind::Section,
            FileKind::Section.fields(),
            "a",
            &|_| (1, 1),
        );
        assert!(d.is_empty(), "{d:?}");
        assert!(t.is_empty(), "{t:?}");
        assert!(verdicts("render = true\nin_search_index = true\n", FileKind::Page).is_empty());
    }

    #[test]
    fn every_unknown_key_is_reported_in_file_order() {
        let text = "title = \"x\"\nzeta = 1\ndescripton = \"y\"\n[alpha]\nb = 1\n";
        let got = verdicts(text, FileKind::Page);
        let at: Vec<(usize, usize)> = got.iter().map(|g| (g.0, g.1)).collect();
        assert_eq!(at, [(2, 1), (3, 1), (4, 2)]);
        assert!(got[1].2.contains("khoá `descripton`"), "{got:?}");
        assert!(
            got[1].3.starts_with(
                "có phải ý bạn là `description`? các khoá hợp lệ: title, description, date,"
            ),
            "{got:?}"
        );
        assert!(
            got[1]
                .3
                .ends_with("; thông tin riêng cho giao diện đặt dưới [extra]"),
            "{got:?}"
        );
    }

    #[test]
    fn keys_of_the_other_kind_of_file_say_where_they_belong() {
        let got = verdicts("sort_by = \"date\"\nredirect_to = \"a\"\n", FileKind::Page);
        assert_eq!(
            got[0].2,
            "khoá `sort_by` dùng cho chuyên mục (_index.md), không dùng trong bài viết"
        );
        assert_eq!(
            got[0].3,
            "xoá dòng này, hoặc chuyển nó vào _index.md của chuyên mục"
        );
        assert_eq!(got[1].2, "khoá Zola `redirect_to` (chuyển người xem sang địa chỉ khác) bantin chưa hỗ trợ; trong Zola nó chỉ dùng cho chuyên mục (_index.md)");
        assert_eq!(got[1].3, "xoá dòng này");
        let got = verdicts("date = 2024-01-01\npath = \"a\"\n", FileKind::Section);
        assert_eq!(
            got[0].2,
            "khoá `date` dùng cho bài viết, không dùng trong _index.md (trang chuyên mục)"
        );
        assert_eq!(got[0].3, "xoá dòng này; nếu tệp này là một bài viết, đặt tên khác cho nó (ví dụ gioi-thieu.md) thay vì _index.md");
        assert_eq!(got[1].2, "khoá Zola `path` (đặt cả đường dẫn của bài) bantin chưa hỗ trợ; trong Zola nó chỉ dùng cho bài viết");
    }
}
