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

use serde_json::Value;
use tera::{Context, Tera};

/// Deepest nesting of cached partials (a partial that includes itself would never end).
const MAX_DEPTH: u32 = 8;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// Owner of the Tera instance cached partials are rendered with. Keep it alive as long as the
/// templates are used: the registered function only holds a weak reference (the Tera inside
/// holds the function, and a strong one would never be freed).
pub struct Partials {
    _tera: Arc<OnceLock<Tera>>,
}

/// Registers `partial_cached` on `tera`, rendering with `context`. Call last, after every other
/// filter and function is registered: partials are rendered by a copy of `tera` as it is now.
pub fn install(tera: &mut Tera, context: Context) -> Partials {
    let cell: Arc<OnceLock<Tera>> = Arc::new(OnceLock::new());
    tera.register_function(
        "partial_cached",
        PartialCached {
            tera: Arc::downgrade(&cell),
            context,
            done: Mutex::new(HashMap::new()),
        },
    );
    let _ = cell.set(tera.clone());
    Partials { _tera: cell }
}

struct PartialCached {
    tera: Weak<OnceLock<Tera>>,
    context: Context,
    /// name → rendered output, or the error message
    done: Mutex<HashMap<String, Result<String, String>>>,
}

impl tera::Function for PartialCached {
    fn call(&self, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let Some(name) = args.get("name").and_then(Value::as_str) else {
            return Err(tera::Error::msg(
                "partial_cached cần tham số name, ví dụ partial_cached(name=\"partials/chan-trang.html\")",
            ));
        };
        let cached = self.done.lock().ok().and_then(|d| d.get(name).cloned());
        let result = match cached {
            Some(r) => r,
            None => {
                // Rendered without holding the lock: a partial may call another one. Two
                // threads may both render it the first time; the output is the same.
                let r = self.render(name);
                if let Ok(mut d) = self.done.lock() {
                    d.insert(name.to_string(), r.clone());
                }
                r
            }
        };
        result.map(Value::String).map_err(tera::Error::msg)
    }

    fn is_safe(&self) -> bool {
        // The output is a rendered template, escaped where it printed values.
        true
    }
}

impl PartialCached {
    fn render(&self, name: &str) -> Result<String, String> {
        let cell = self
            .tera
            .upgrade()
            .ok_or_else(|| "partial_cached: bộ mẫu đã được giải phóng".to_string())?;
        let tera = cell
            .get()
            .ok_or_else(|| "partial_cached: bộ mẫu chưa sẵn sàng".to_string())?;
        let depth = DEPTH.with(|d| {
            d.set(d.get() + 1);
            d.get()
        });
        let out = if depth > MAX_DEPTH {
            Err(format!(
                "partial_cached(name=\"{name}\") lồng nhau quá {MAX_DEPTH} cấp (mẫu gọi lại chính nó?)"
            ))
        } else {
            tera.render(name, &self.context).map_err(|e| {
                format!(
                    "partial_cached(name=\"{name}\"): {}",
                    super::tera_error_text(&e)
                )
            })
        };
        DEPTH.with(|d| d.set(d.get() - 1));
        out
    }
}
