//! Test helpers: chart output is well-formed XML (XHTML-compatible HTML),
//! so tests parse it with `roxmltree` and query it by class like a reader
//! would look at it.

use roxmltree::{Document, Node};

/// Parses chart HTML with its wide drawing left out (a chart drawn twice has the same
/// content in both, see `both_drawings_say_the_same`), so tests look at one drawing as a
/// reader does; panics with the markup when it is not well-formed.
pub fn parse(html: &str) -> Document<'static> {
    let narrow = without_wide_drawing(html);
    let all = parse_all(Box::leak(narrow.into_boxed_str()));
    // a chart drawn twice is well-formed as a whole too
    drop(parse_all(html));
    all
}

/// Parses chart HTML as it is (both drawings of a chart drawn twice).
pub fn parse_all(html: &str) -> Document<'_> {
    Document::parse(html).unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"))
}

/// `html` without the `<svg>` of the wide drawing.
pub fn without_wide_drawing(html: &str) -> String {
    let Some(class) = html.find("bieu-do__hinh--rong") else {
        return html.to_string();
    };
    let start = html[..class].rfind("<svg").expect("<svg before its class");
    let end = class + html[class..].find("</svg>").expect("</svg>") + "</svg>".len();
    format!("{}{}", &html[..start], &html[end..])
}

/// All elements (document order) whose `class` contains `class`.
pub fn by_class<'a, 'i>(doc: &'a Document<'i>, class: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split_whitespace().any(|x| x == class))
        })
        .collect()
}

/// All elements (document order) with this tag name.
pub fn by_tag<'a, 'i>(doc: &'a Document<'i>, tag: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == tag)
        .collect()
}

/// The concatenated text of a node and its descendants.
pub fn text_of(n: Node) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

/// The direct text of an element, without its child elements' text
/// (a value label's number without its rate `<tspan>`).
pub fn own_text(n: Node) -> String {
    n.children()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

/// The only `<svg>` of the document.
pub fn svg<'a, 'i>(doc: &'a Document<'i>) -> Node<'a, 'i> {
    let all = by_tag(doc, "svg");
    assert_eq!(all.len(), 1, "expected exactly one <svg>");
    all[0]
}

/// The viewBox of an `<svg>` as numbers.
pub fn view_box(svg: Node) -> [f64; 4] {
    let parts: Vec<f64> = svg
        .attribute("viewBox")
        .expect("viewBox")
        .split_whitespace()
        .map(|p| p.parse().expect("number"))
        .collect();
    [parts[0], parts[1], parts[2], parts[3]]
}

/// The body rows of the first table: each row as its cells' texts
/// (header cell first).
pub fn table_rows(doc: &Document) -> Vec<Vec<String>> {
    let tbody = by_tag(doc, "tbody");
    let Some(tbody) = tbody.first() else {
        return Vec::new();
    };
    tbody
        .children()
        .filter(|r| r.is_element() && r.tag_name().name() == "tr")
        .map(|r| {
            r.children()
                .filter(|c| c.is_element())
                .map(|c| text_of(c).trim().to_owned())
                .collect()
        })
        .collect()
}

/// Asserts the accessibility contract shared by every chart figure:
/// figure with the id, figcaption, SVG with role/title/desc wired by id,
/// responsive sizing, table in a `.bang` region with caption and scoped
/// headers, unique ids all starting with the chart id, no script, no style.
pub fn assert_figure_contract(html: &str, id: &str) {
    figure_contract(html, id, true);
}

/// [`assert_figure_contract`] for a figure without a table (the progress figure: the page's
/// cards give its two numbers).
pub fn assert_figure_contract_without_table(html: &str, id: &str) {
    figure_contract(html, id, false);
}

fn figure_contract(html: &str, id: &str, with_table: bool) {
    let doc = parse(html);
    let figure = doc.root_element();
    assert_eq!(figure.tag_name().name(), "figure");
    assert_eq!(figure.attribute("id"), Some(id));
    assert!(figure
        .attribute("class")
        .unwrap()
        .split_whitespace()
        .any(|c| c == "bieu-do"));
    assert_eq!(by_tag(&doc, "figcaption").len(), 1);

    let s = svg(&doc);
    assert_svg_contract(s, id, true);

    let tables = by_tag(&doc, "table");
    if !with_table {
        assert!(tables.is_empty(), "no table");
        return;
    }
    assert_eq!(tables.len(), 1);
    let region = tables[0].parent_element().unwrap();
    assert_eq!(region.tag_name().name(), "div");
    assert_eq!(region.attribute("class"), Some("bang"));
    assert_eq!(by_tag(&doc, "caption").len(), 1);
    let ths = by_tag(&doc, "th");
    assert!(!ths.is_empty());
    for th in ths {
        let scope = th.attribute("scope");
        assert!(
            matches!(scope, Some("col") | Some("row")),
            "th without scope"
        );
    }

    assert_ids_prefixed(&doc, id);
    assert!(!html.contains("<script"));
    assert!(!html.contains("<style"));
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in n.attributes() {
            assert!(!a.name().starts_with("on"), "event handler {}", a.name());
        }
    }
    assert!(!html.contains("xlink"));
}

/// The SVG part of the contract (also used by the bare progress bar).
pub fn assert_svg_contract(s: Node, id: &str, with_desc: bool) {
    assert_eq!(s.attribute("role"), Some("img"));
    assert_eq!(s.attribute("width"), Some("100%"));
    assert_eq!(s.attribute("height"), None, "no fixed height");
    assert_eq!(s.attribute("preserveAspectRatio"), Some("xMinYMin meet"));
    let vb = view_box(s);
    assert!(vb[2] > 0.0 && vb[3] > 0.0);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled = s.attribute("aria-labelledby").unwrap();
    let want = if with_desc {
        format!("{title_id} {desc_id}")
    } else {
        title_id.clone()
    };
    assert_eq!(labelled, want);
    let first = s.children().find(|c| c.is_element()).unwrap();
    assert_eq!(first.tag_name().name(), "title", "<title> comes first");
    assert_eq!(first.attribute("id"), Some(title_id.as_str()));
    assert!(!text_of(first).trim().is_empty());
    if with_desc {
        let desc = s
            .children()
            .find(|c| c.is_element() && c.tag_name().name() == "desc")
            .expect("<desc>");
        assert_eq!(desc.attribute("id"), Some(desc_id.as_str()));
        assert!(!text_of(desc).trim().is_empty());
    }
}

/// Every id is unique and starts with the chart id.
pub fn assert_ids_prefixed(doc: &Document, id: &str) {
    let mut seen: Vec<&str> = Vec::new();
    for n in doc.descendants().filter(|n| n.is_element()) {
        if let Some(i) = n.attribute("id") {
            assert!(
                i == id || i.starts_with(&format!("{id}-")),
                "id {i} not prefixed"
            );
            assert!(!seen.contains(&i), "duplicate id {i}");
            seen.push(i);
        }
    }
    // Every url(#…) reference points at an id of this chart.
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in n.attributes() {
            if let Some(rest) = a.value().strip_prefix("url(#") {
                let target = rest.trim_end_matches(')');
                assert!(seen.contains(&target), "dangling reference {target}");
            }
        }
    }
}

/// A chart drawn twice: both drawings are there, with their own ids, the same title and
/// description, and the same text in each of `classes` (values, dates…); the wide one is wider.
pub fn assert_both_drawings_agree(html: &str, classes: &[&str]) {
    let doc = parse_all(html);
    let svgs = by_tag(&doc, "svg");
    assert_eq!(svgs.len(), 2, "a narrow and a wide drawing");
    let class = |n: Node| n.attribute("class").unwrap_or("").to_string();
    assert!(
        class(svgs[0]).contains("bieu-do__hinh--hep"),
        "{}",
        class(svgs[0])
    );
    assert!(
        class(svgs[1]).contains("bieu-do__hinh--rong"),
        "{}",
        class(svgs[1])
    );
    assert!(view_box(svgs[1])[2] > view_box(svgs[0])[2]);
    let texts = |svg: Node, tag: &str| -> Vec<String> {
        svg.descendants()
            .filter(|n| n.has_tag_name(tag))
            .map(text_of)
            .collect()
    };
    assert_eq!(texts(svgs[0], "title"), texts(svgs[1], "title"));
    assert_eq!(texts(svgs[0], "desc"), texts(svgs[1], "desc"));
    for c in classes {
        let of = |svg: Node| -> Vec<String> {
            svg.descendants()
                .filter(|n| {
                    n.attribute("class")
                        .is_some_and(|x| x.split(' ').any(|x| x == *c))
                })
                .map(text_of)
                .collect()
        };
        assert!(!of(svgs[0]).is_empty(), "some {c}");
        assert_eq!(of(svgs[0]), of(svgs[1]), "{c}");
    }
    let ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "ids unique on the page: {ids:?}");
}
