//! "Did you mean …?" hints for unknown area and project ids, also used by articles and
//! shortcodes naming ids.

use crate::data::Data;
use crate::diag::did_you_mean;
use crate::locale::slugify;

/// "có phải ý bạn là …?" over ids, names and aliases.
fn suggest<'a>(
    value: &str,
    candidates: impl Iterator<Item = (&'a str, Vec<&'a str>)>,
) -> Option<String> {
    let wanted = slugify(value);
    let mut ids = Vec::new();
    for (id, names) in candidates {
        if names.iter().any(|n| slugify(n) == wanted) || id == wanted {
            return Some(id.to_string());
        }
        ids.push(id);
    }
    did_you_mean(value, ids.iter().copied()).map(str::to_string)
}

/// Builds the area suggestion hint.
pub fn area_hint(data: &Data, value: &str) -> String {
    let cands = data.areas.iter().map(|a| {
        let mut names: Vec<&str> = vec![a.name.as_str(), a.short_name.as_str()];
        names.extend(a.aliases.iter().map(String::as_str));
        (a.id.as_str(), names)
    });
    match suggest(value, cands) {
        Some(id) => format!("có phải ý bạn là `{id}` ({})? mã địa bàn khai báo trong content/data/areas.toml", data.area(&id).map(|a| a.name.as_str()).unwrap_or("")),
        None => "dùng mã (id) của một địa bàn trong content/data/areas.toml, hoặc khai báo thêm địa bàn đó".to_string(),
    }
}

pub fn project_hint(data: &Data, value: &str) -> String {
    let cands = data
        .projects
        .iter()
        .map(|p| (p.id.as_str(), vec![p.name.as_str()]));
    match suggest(value, cands) {
        Some(id) => {
            format!("có phải ý bạn là `{id}`? mã dự án khai báo trong content/data/programs.toml")
        }
        None => "dùng mã (id) của một [[project]] trong content/data/programs.toml".to_string(),
    }
}
