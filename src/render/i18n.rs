//! The theme's translation tables (`themes/THEME/i18n/vi.toml`, `en.toml`: one label a line,
//! `skip_link = "Chuyển đến nội dung chính"`) and the `t(key="…")` template function that
//! reads them in the language of the page being rendered.
//!
//! Vietnamese is the reference: every key of `vi.toml` must be in the table of each
//! configured language, checked before anything is rendered, so a label forgotten in
//! `en.toml` is a build error naming the key and the file, never an empty string or a
//! Vietnamese word on an English page.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use tera::{Kwargs, State, TeraResult};

use crate::diag::{display_path, toml_diagnostic, Diagnostic};
use crate::site::Site;

/// Language code → (label key → text).
#[derive(Debug, Default, Clone)]
pub struct Labels {
    tables: HashMap<String, BTreeMap<String, String>>,
}

impl Labels {
    /// The label `key` in `lang`, if the table has it.
    pub fn get(&self, lang: &str, key: &str) -> Option<&str> {
        self.tables.get(lang)?.get(key).map(String::as_str)
    }

    /// The table of `lang` as the template variable `labels`: `{{ labels.skip_link }}` reads
    /// what `t(key="skip_link")` returns with one lookup, where a function call has tera build
    /// and hash its arguments (about 5 000 instructions, ten times a page). Empty when the
    /// theme has no table.
    pub fn value(&self, lang: &str) -> serde_json::Value {
        serde_json::json!(self.tables.get(lang).cloned().unwrap_or_default())
    }
}

/// Reads `vi.toml` (when the theme has one: a theme that calls no `t` needs none) and the
/// table of every language of `[languages]` (required), and checks that each of those has
/// every Vietnamese key.
pub fn load(site: &Site) -> Result<Labels, Vec<Diagnostic>> {
    let dir = site.theme_dir.join("i18n");
    let mut labels = Labels::default();
    let mut diags = Vec::new();
    let vi_path = dir.join("vi.toml");
    if vi_path.is_file() {
        match read_table(&site.root, &vi_path) {
            Ok(t) => {
                labels.tables.insert("vi".into(), t);
            }
            Err(d) => diags.push(d),
        }
    }
    for code in site.config.raw.languages.keys() {
        let path = dir.join(format!("{code}.toml"));
        let display = display_path(&site.root, &path);
        if !path.is_file() {
            diags.push(
                Diagnostic::error(format!(
                    "thiếu bảng nhãn giao diện cho ngôn ngữ `{code}` ([languages.{code}] trong config.toml)"
                ))
                .in_file(display)
                .hint(format!(
                    "tạo tệp này với mọi khoá của {}, dịch từng nhãn",
                    display_path(&site.root, &vi_path)
                )),
            );
            continue;
        }
        let table = match read_table(&site.root, &path) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if let Some(vi) = labels.tables.get("vi") {
            for (key, text) in vi {
                if !table.contains_key(key) {
                    diags.push(
                        Diagnostic::error(format!(
                            "thiếu nhãn `{key}` (tiếng Việt: \"{text}\") trong bảng nhãn `{code}`"
                        ))
                        .in_file(display.clone())
                        .hint(format!("thêm dòng {key} = \"…\" với nhãn đã dịch")),
                    );
                }
            }
        }
        labels.tables.insert(code.clone(), table);
    }
    if diags.is_empty() {
        Ok(labels)
    } else {
        Err(diags)
    }
}

/// One table: a flat TOML table of strings; anything else is an error at its line.
fn read_table(root: &Path, path: &Path) -> Result<BTreeMap<String, String>, Diagnostic> {
    let display = display_path(root, path);
    let text = crate::source::read_text(path, &display, u64::MAX)?;
    toml::from_str::<BTreeMap<String, String>>(&text)
        .map_err(|e| toml_diagnostic(&e, &text, &display, 0, "Bảng nhãn giao diện"))
}

/// `{{ t(key="skip_link") }}`: the label in the language of the page (its `lang` variable).
pub struct T {
    pub labels: Arc<Labels>,
}

impl tera::Function<TeraResult<String>> for T {
    fn call(&self, args: Kwargs, state: &State) -> TeraResult<String> {
        let key = args
            .must_get::<&str>("key")
            .map_err(|_| tera::Error::message("t cần tham số key, ví dụ t(key=\"skip_link\")"))?;
        let lang = super::filters::page_lang(state).code();
        self.labels
            .get(lang, key)
            .map(str::to_string)
            .ok_or_else(|| {
                tera::Error::message(format!(
                    "t: không có nhãn `{key}` trong bảng nhãn i18n/{lang}.toml của giao diện"
                ))
            })
    }
}
