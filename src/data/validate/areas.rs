//! Areas: ids and validity dates, then (every id known) parents and successors, then children.

use super::{area_hint, date_or_err, run, Ctx, Flow};
use crate::data::load::Src;
use crate::data::model::AreaRaw;
use crate::data::Area;
use crate::locale::{slugify, vi_cmp};
use crate::paths::is_safe_slug;

/// A rule on one `[[area]]`, filling in the area it becomes.
type AreaRule = fn(&mut Ctx, &Src, &AreaRaw, &mut Area) -> Flow;

const AREA_RULES: &[(&str, AreaRule)] = &[
    ("area id is a slug", id_is_slug),
    ("area id is unique", id_is_unique),
    ("area validity dates are dates", validity_dates),
    ("area valid_to is not before valid_from", validity_in_order),
];

/// A rule on one `[[area]]` whose id resolved to the area at the index given.
type LinkRule = fn(&mut Ctx, &Src, &AreaRaw, usize);

const LINK_RULES: &[(&str, LinkRule)] = &[
    ("area parent exists", parent_exists),
    ("area is not its own parent", parent_is_another_area),
    ("area parent is of a higher level", parent_is_higher),
    ("area successor exists", successor_exists),
];

#[cfg(test)]
pub(super) fn rule_names() -> impl Iterator<Item = &'static str> {
    super::names(AREA_RULES).chain(super::names(LINK_RULES))
}

/// Runs [`AREA_RULES`] on every `[[area]]`, keeping the areas they accept.
pub(super) fn declare(ctx: &mut Ctx) {
    let raw = ctx.raw;
    let Some((src, file)) = &raw.areas else {
        return;
    };
    for a in &file.area {
        let mut area = new_area(a);
        if run(AREA_RULES, |rule| rule(ctx, src, a, &mut area)) == Flow::Keep {
            let data = &mut ctx.data;
            data.area_index.insert(area.id.clone(), data.areas.len());
            data.areas.push(area);
        }
    }
}

fn new_area(a: &AreaRaw) -> Area {
    Area {
        id: a.id.get_ref().clone(),
        name: a.name.trim().to_string(),
        short_name: a
            .short_name
            .clone()
            .unwrap_or_else(|| a.name.clone())
            .trim()
            .to_string(),
        level: *a.level.get_ref(),
        parent: None,
        children: Vec::new(),
        aliases: a.aliases.clone(),
        valid_from: None,
        valid_to: None,
        successor: None,
    }
}

fn id_is_slug(ctx: &mut Ctx, src: &Src, a: &AreaRaw, _: &mut Area) -> Flow {
    let id = a.id.get_ref();
    if is_safe_slug(id) {
        return Flow::Keep;
    }
    ctx.diags.push(
        src.error(a.id.span(), format!("mã địa bàn \"{id}\" không hợp lệ"))
            .hint(format!(
                "mã viết thường không dấu, nối bằng gạch ngang, ví dụ \"{}\"",
                slugify(id)
            )),
    );
    Flow::Drop
}

fn id_is_unique(ctx: &mut Ctx, src: &Src, a: &AreaRaw, _: &mut Area) -> Flow {
    let id = a.id.get_ref();
    if !ctx.data.area_index.contains_key(id) {
        return Flow::Keep;
    }
    ctx.diags.push(
        src.error(a.id.span(), format!("mã địa bàn \"{id}\" bị trùng"))
            .hint("mỗi [[area]] cần một id riêng"),
    );
    Flow::Drop
}

fn validity_dates(ctx: &mut Ctx, src: &Src, a: &AreaRaw, area: &mut Area) -> Flow {
    area.valid_from = a
        .valid_from
        .as_ref()
        .and_then(|d| date_or_err(src, d, "valid_from", ctx.diags));
    area.valid_to = a
        .valid_to
        .as_ref()
        .and_then(|d| date_or_err(src, d, "valid_to", ctx.diags));
    Flow::Keep
}

fn validity_in_order(ctx: &mut Ctx, src: &Src, a: &AreaRaw, area: &mut Area) -> Flow {
    if let (Some(f), Some(t), Some(span)) = (
        area.valid_from,
        area.valid_to,
        a.valid_to.as_ref().map(|s| s.span()),
    ) {
        if f > t {
            ctx.diags.push(
                src.error(span, format!("valid_to ({t}) trước valid_from ({f})"))
                    .hint("kiểm tra lại ngày bắt đầu và ngày hết hiệu lực của địa bàn"),
            );
        }
    }
    Flow::Keep
}

/// Runs [`LINK_RULES`] on every `[[area]]` that was kept, now that every id is known. A
/// repeated id was dropped (and reported): its `parent` and `successor` must not change the
/// first area with that id.
pub(super) fn link(ctx: &mut Ctx) {
    let raw = ctx.raw;
    let Some((src, file)) = &raw.areas else {
        return;
    };
    let mut linked = std::collections::HashSet::new();
    for a in &file.area {
        let Some(&i) = ctx.data.area_index.get(a.id.get_ref()) else {
            continue;
        };
        if !linked.insert(i) {
            continue;
        }
        for (_, rule) in LINK_RULES {
            rule(ctx, src, a, i);
        }
    }
}

fn parent_exists(ctx: &mut Ctx, src: &Src, a: &AreaRaw, _: usize) {
    let Some(p) = &a.parent else { return };
    if ctx.data.area_index.contains_key(p.get_ref()) {
        return;
    }
    let hint = area_hint(&ctx.data, p.get_ref());
    ctx.diags.push(
        src.error(
            p.span(),
            format!("không có địa bàn cấp trên \"{}\"", p.get_ref()),
        )
        .hint(hint),
    );
}

fn parent_is_another_area(ctx: &mut Ctx, src: &Src, a: &AreaRaw, i: usize) {
    let Some(p) = &a.parent else { return };
    if ctx.data.area_index.get(p.get_ref()) == Some(&i) {
        ctx.diags
            .push(src.error(p.span(), "địa bàn không thể là cấp trên của chính nó"));
    }
}

/// Sets the parent when it is of a higher level than the area.
fn parent_is_higher(ctx: &mut Ctx, src: &Src, a: &AreaRaw, i: usize) {
    let Some(p) = &a.parent else { return };
    let areas = &mut ctx.data.areas;
    match ctx.data.area_index.get(p.get_ref()) {
        Some(&pi) if pi != i && areas[pi].level >= areas[i].level => ctx.diags.push(
            src.error(
                p.span(),
                format!(
                    "cấp trên \"{}\" ({}) không cao hơn \"{}\" ({})",
                    areas[pi].id,
                    areas[pi].level.label(),
                    areas[i].id,
                    areas[i].level.label()
                ),
            )
            .hint("tỉnh chứa huyện, huyện chứa xã: sửa level hoặc parent"),
        ),
        Some(&pi) if pi != i => areas[i].parent = Some(pi),
        _ => {}
    }
}

fn successor_exists(ctx: &mut Ctx, src: &Src, a: &AreaRaw, i: usize) {
    let Some(s) = &a.successor else { return };
    if let Some(&si) = ctx.data.area_index.get(s.get_ref()) {
        ctx.data.areas[i].successor = Some(si);
        return;
    }
    let hint = area_hint(&ctx.data, s.get_ref());
    ctx.diags.push(
        src.error(
            s.span(),
            format!("không có địa bàn kế thừa \"{}\"", s.get_ref()),
        )
        .hint(hint),
    );
}

/// Each area's children, in Vietnamese alphabetical order of their short names.
pub(super) fn children(ctx: &mut Ctx) {
    let areas = &mut ctx.data.areas;
    for i in 0..areas.len() {
        if let Some(p) = areas[i].parent {
            areas[p].children.push(i);
        }
    }
    let names: Vec<String> = areas.iter().map(|a| a.short_name.clone()).collect();
    for a in areas.iter_mut() {
        a.children.sort_by(|&x, &y| vi_cmp(&names[x], &names[y]));
    }
}

#[cfg(test)]
mod tests {
    use crate::data::validate::testing::*;

    const TINH: &str = "[[area]]\nid = \"tinh\"\nname = \"Tỉnh Một\"\nlevel = \"tinh\"\n";

    fn areas(text: &str) -> (crate::data::Data, Vec<String>) {
        check(raw(text, "", &[]))
    }

    fn ids(data: &crate::data::Data, list: &[usize]) -> Vec<String> {
        list.iter().map(|&i| data.areas[i].id.clone()).collect()
    }

    #[test]
    fn area_id_is_a_slug() {
        let (data, diags) =
            areas("[[area]]\nid = \"Kon Tum\"\nname = \"Tỉnh Kon Tum\"\nlevel = \"tinh\"\n");
        assert_eq!(
            diags,
            [err(
                "content/data/areas.toml:2:6: mã địa bàn \"Kon Tum\" không hợp lệ",
                "mã viết thường không dấu, nối bằng gạch ngang, ví dụ \"kon-tum\""
            )]
        );
        assert!(data.areas.is_empty());
    }

    #[test]
    fn area_id_is_unique() {
        let (data, diags) = areas(&format!("{TINH}{}", TINH.replace("Một", "Hai")));
        assert_eq!(
            diags,
            [err(
                "content/data/areas.toml:6:6: mã địa bàn \"tinh\" bị trùng",
                "mỗi [[area]] cần một id riêng"
            )]
        );
        assert_eq!(data.areas.len(), 1);
        assert_eq!(data.areas[0].name, "Tỉnh Một");
        // the dropped duplicate's links do not reach the area kept under that id
        let huyen =
            "[[area]]\nid = \"huyen\"\nname = \"Huyện\"\nlevel = \"huyen\"\nparent = \"tinh\"\n";
        let dup = "[[area]]\nid = \"huyen\"\nname = \"Huyện 2\"\nlevel = \"huyen\"\nparent = \"khong-co\"\n";
        let (data, diags) = areas(&format!("{TINH}{huyen}{dup}"));
        assert_eq!(diags.len(), 1, "only the repeat is reported: {diags:?}");
        assert_eq!(data.areas[1].parent, Some(0));
    }

    #[test]
    fn area_validity_dates_are_dates() {
        let (data, diags) = areas(&format!(
            "{TINH}valid_from = 10:00:00\nvalid_to = 2025-06-30T08:00:00\n"
        ));
        assert_eq!(
            diags,
            [err(
                "content/data/areas.toml:5:14: valid_from phải là một ngày",
                "viết valid_from = 2025-06-30"
            )]
        );
        assert_eq!(data.areas[0].valid_from, None);
        assert_eq!(
            data.areas[0].valid_to,
            chrono::NaiveDate::from_ymd_opt(2025, 6, 30)
        );
        let (_, diags) = areas(&format!("{TINH}valid_to = 10:00:00\n"));
        assert_eq!(
            diags,
            [err(
                "content/data/areas.toml:5:12: valid_to phải là một ngày",
                "viết valid_to = 2025-06-30"
            )]
        );
    }

    #[test]
    fn area_valid_to_is_not_before_valid_from() {
        let (data, diags) = areas(&format!(
            "{TINH}valid_from = 2025-07-01\nvalid_to = 2025-06-30\n"
        ));
        assert_eq!(
            diags,
            [err(
                "content/data/areas.toml:6:12: valid_to (2025-06-30) trước valid_from (2025-07-01)",
                "kiểm tra lại ngày bắt đầu và ngày hết hiệu lực của địa bàn"
            )]
        );
        assert_eq!(data.areas.len(), 1, "the area is kept");
    }

    #[test]
    fn area_parent_exists() {
        let (data, diags) = areas(&format!(
            "{TINH}[[area]]\nid = \"huyen\"\nname = \"Huyện\"\nlevel = \"huyen\"\nparent = \"tinh-1\"\n"
        ));
        assert_eq!(
            diags,
            [err(
                "content/data/areas.toml:9:10: không có địa bàn cấp trên \"tinh-1\"",
                "có phải ý bạn là `tinh` (Tỉnh Một)? mã địa bàn khai báo trong content/data/areas.toml"
            )]
        );
        assert_eq!(data.areas[1].parent, None);
    }

    #[test]
    fn area_is_not_its_own_parent() {
        let (data, diags) = areas(&format!("{TINH}parent = \"tinh\"\n"));
        assert_eq!(
            diags,
            [err_no_hint(
                "content/data/areas.toml:5:10: địa bàn không thể là cấp trên của chính nó"
            )]
        );
        assert_eq!(data.areas[0].parent, None);
    }

    #[test]
    fn area_parent_is_of_a_higher_level() {
        let text = format!(
            "{TINH}[[area]]\nid = \"h1\"\nname = \"H1\"\nlevel = \"huyen\"\nparent = \"tinh\"\n\
             [[area]]\nid = \"h2\"\nname = \"H2\"\nlevel = \"huyen\"\nparent = \"h1\"\n"
        );
        let (data, diags) = areas(&text);
        assert_eq!(
            diags,
            [err(
                "content/data/areas.toml:14:10: cấp trên \"h1\" (Cấp huyện) không cao hơn \"h2\" (Cấp huyện)",
                "tỉnh chứa huyện, huyện chứa xã: sửa level hoặc parent"
            )]
        );
        assert_eq!(
            (data.areas[1].parent, data.areas[2].parent),
            (Some(0), None)
        );
    }

    #[test]
    fn area_successor_exists() {
        let text = format!(
            "{TINH}successor = \"moi\"\n[[area]]\nid = \"cu\"\nname = \"Cũ\"\nlevel = \"tinh\"\nsuccessor = \"tinh\"\n"
        );
        let (data, diags) = areas(&text);
        assert_eq!(
            diags,
            [err(
                "content/data/areas.toml:5:13: không có địa bàn kế thừa \"moi\"",
                "dùng mã (id) của một địa bàn trong content/data/areas.toml, hoặc khai báo thêm địa bàn đó"
            )]
        );
        assert_eq!(
            (data.areas[0].successor, data.areas[1].successor),
            (None, Some(0))
        );
    }

    #[test]
    fn areas_list_their_children_in_vietnamese_order() {
        let child = |id: &str, short: &str| {
            format!("[[area]]\nid = \"{id}\"\nname = \"Huyện {short}\"\nshort_name = \"{short}\"\nlevel = \"huyen\"\nparent = \"tinh\"\n")
        };
        let text = [
            TINH.to_string(),
            child("ea", "Ea Súp"),
            child("dak-to", "Đăk Tô"),
            child("ba", "Ba Tơ"),
            child("dak-glei", "Đăk Glei"),
            child("duc", "Dục"),
        ]
        .concat();
        let (data, diags) = areas(&text);
        assert_eq!(diags, Vec::<String>::new());
        assert_eq!(
            ids(&data, &data.areas[0].children),
            ["ba", "duc", "dak-glei", "dak-to", "ea"]
        );
        assert!(data.areas[1].children.is_empty());
    }
}
