//! `partial_cached(name="…")`: a template rendered once per build and pasted into every page,
//! like Hugo's `partialCached`.
//!
//! The header, sidebar and footer of a portal are the same on every page, and rendering them
//! through Tera on each of 10 000 articles was a large share of the build. A cached partial sees
//! only the site-wide variables (`config`, `build_date`, `notices`) — never `page`, `section` or
//! loop variables — so its output cannot differ between pages.

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, Weak};

use tera::{Context, Kwargs, State, Tera, TeraResult, Value};

/// Deepest nesting of cached partials (a partial that includes itself would never end).
const MAX_DEPTH: u32 = 8;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Owner of the Tera instance cached partials are rendered with. Keep it alive as long as the
/// templates are used: the registered function only holds a weak reference (the Tera inside
/// holds the function, and a strong one would never be freed).
pub struct Partials {
    cell: Arc<OnceLock<(Tera, Contexts)>>,
}

/// The site-wide context of each language (`vi`, `en`): an English page's header and footer
/// are cached apart from the Vietnamese ones.
pub type Contexts = HashMap<&'static str, Context>;

/// Registers `partial_cached` on `tera`. tera 2 checks at load that every function a template
/// calls exists, so this comes before the templates; [`Partials::ready`] gives it the loaded
/// templates and the site-wide context afterwards.
pub fn register(tera: &mut Tera) -> Partials {
    let cell: Arc<OnceLock<(Tera, Contexts)>> = Arc::new(OnceLock::new());
    tera.register_function(
        "partial_cached",
        PartialCached {
            tera: Arc::downgrade(&cell),
            done: Mutex::new(HashMap::new()),
        },
    );
    Partials { cell }
}

impl Partials {
    /// Partials are rendered by a copy of `tera` as it is now, with the context of the
    /// calling page's language (`contexts` has `vi` at least).
    pub fn ready(&self, tera: &Tera, contexts: Contexts) {
        let _ = self.cell.set((tera.clone(), contexts));
    }
}

/// A cached partial's output, or the message of its error.
type Rendered = Result<Value, String>;

struct PartialCached {
    tera: Weak<OnceLock<(Tera, Contexts)>>,
    /// (language, name) → rendered output, or the error message
    done: Mutex<HashMap<(&'static str, String), Rendered>>,
}

impl tera::Function<TeraResult<Value>> for PartialCached {
    fn call(&self, args: Kwargs, state: &State) -> TeraResult<Value> {
        let Some(name) = args.get::<&str>("name").ok().flatten() else {
            return Err(tera::Error::message(
                "partial_cached cần tham số name, ví dụ partial_cached(name=\"partials/chan-trang.html\")",
            ));
        };
        let lang = super::filters::page_lang(state).code();
        let key = (lang, name.to_string());
        let cached = self.done.lock().ok().and_then(|d| d.get(&key).cloned());
        let result = match cached {
            Some(r) => r,
            None => {
                // Rendered without holding the lock: a partial may call another one. Two
                // threads may both render it the first time; the output is the same.
                let r = self.render(name, lang).map(Value::from);
                if let Ok(mut d) = self.done.lock() {
                    d.insert(key, r.clone());
                }
                r
            }
        };
        result.map_err(tera::Error::message)
    }

    fn is_safe(&self) -> bool {
        // The output is a rendered template, escaped where it printed values.
        true
    }
}

impl PartialCached {
    fn render(&self, name: &str, lang: &str) -> Result<String, String> {
        let cell = self
            .tera
            .upgrade()
            .ok_or_else(|| "partial_cached: bộ mẫu đã được giải phóng".to_string())?;
        let (tera, contexts) = cell
            .get()
            .ok_or_else(|| "partial_cached: bộ mẫu chưa sẵn sàng".to_string())?;
        let context = contexts
            .get(lang)
            .or_else(|| contexts.get("vi"))
            .ok_or_else(|| "partial_cached: chưa có ngữ cảnh chung".to_string())?;
        let depth = DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get()
        });
        let out = if depth > MAX_DEPTH {
            Err(format!(
                "partial_cached(name=\"{name}\") lồng nhau quá {MAX_DEPTH} cấp (mẫu gọi lại chính nó?)"
            ))
        } else {
            tera.render(name, context).map_err(|e| {
                // one line per problem, placed (tera's report would paste its source excerpt
                // into the message of the page that calls the partial)
                let problems: Vec<String> = super::errors::problems(&e)
                    .iter()
                    .map(|p| match (&p.template, p.pos) {
                        (Some(t), Some((l, c))) => format!("{t}:{l}:{c}: {}", p.message),
                        _ => p.message.clone(),
                    })
                    .collect();
                format!("partial_cached(name=\"{name}\"): {}", problems.join("; "))
            })
        };
        DEPTH.with(|d| d.set(d.get() - 1));
        out
    }
}
