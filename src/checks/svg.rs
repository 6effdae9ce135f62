//! SVG pictures that staff put beside an article or in `static/` are published as they are, from
//! the portal's own address. Shown through `<img>` an SVG is inert, but opened directly (a link to
//! the picture, "open image in a new tab") it is a document: a `<script>`, an `onload=` attribute
//! or a `javascript:` link in it runs as the portal, with its cookies and pages. Drawing tools
//! never need them, and a picture downloaded from somewhere may carry them. So such a file is
//! refused, at the line where the active part starts, with what to do. Theme files are the
//! theme author's and are not checked.

use rayon::prelude::*;

use crate::diag::{display_path, line_col, Diagnostic};
use crate::plan::{Job, JobKind};
use crate::sanitize::{tags, Markup};
use crate::site::Site;

/// Elements that run script or embed a document able to. `<foreignObject>` is not one of them:
/// Illustrator writes its private data in one, and HTML inside it only runs through the
/// scripts, event attributes, frames and links that are looked for anyway.
const ACTIVE_ELEMENTS: [(&str, &str); 5] = [
    ("script", "thẻ <script>"),
    ("iframe", "thẻ <iframe>"),
    ("embed", "thẻ <embed>"),
    ("object", "thẻ <object>"),
    ("handler", "thẻ <handler>"),
];

/// Every SVG copied from `content/` or the site's `static/` that holds active content.
pub fn active_svgs(site: &Site, jobs: &[Job]) -> Vec<Diagnostic> {
    let content = site.root.join("content");
    let static_dir = site.root.join("static");
    let svgs: Vec<&std::path::Path> = jobs
        .iter()
        .filter_map(|j| match &j.kind {
            JobKind::Copy { src, .. } => Some(src.as_path()),
            _ => None,
        })
        .filter(|src| {
            src.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
                && (src.starts_with(&content) || src.starts_with(&static_dir))
        })
        .collect();
    let mut out: Vec<Diagnostic> = svgs
        .par_iter()
        .filter_map(|src| {
            // An unreadable file is reported when it is copied.
            let bytes = std::fs::read(src).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let (offset, what) = find_active(&text)?;
            let (line, column) = line_col(&text, offset);
            Some(
                Diagnostic::error(format!("tệp SVG có mã chạy được: {what}"))
                    .in_file(display_path(&site.root, src))
                    .at(line, column)
                    .hint(
                        "mở trực tiếp trên cổng thông tin, hình này sẽ chạy đoạn mã đó. Xuất lại \
                         hình từ phần mềm vẽ (không kèm script, sự kiện hay liên kết javascript:), \
                         xoá phần này, hoặc dùng ảnh PNG",
                    ),
            )
        })
        .collect();
    out.sort_by(|a, b| a.file.cmp(&b.file));
    out
}

/// The byte offset and a description of the first active part of an SVG document, if any.
pub fn find_active(text: &str) -> Option<(usize, &'static str)> {
    for tag in tags(text, Markup::Xml) {
        // `svg:script` is a script too
        let local = tag.name.rsplit(':').next().unwrap_or(tag.name);
        if let Some((_, what)) = ACTIVE_ELEMENTS
            .iter()
            .find(|(element, _)| local.eq_ignore_ascii_case(element))
        {
            return Some((tag.offset, what));
        }
        for a in &tag.attrs {
            if a.name.len() > 2 && a.name.as_bytes()[..2].eq_ignore_ascii_case(b"on") {
                return Some((a.offset, "thuộc tính sự kiện (onload, onclick, …)"));
            }
            if let Some((at, value)) = a.value {
                if has_active_scheme(value.as_bytes()) {
                    return Some((at, "liên kết javascript: hoặc tương tự"));
                }
            }
        }
    }
    None
}

/// Whether an attribute value would run something when followed or animated to: the one URL
/// rule ([`crate::sanitize::is_unsafe_url`]), except that a raster picture inline
/// (`data:image/png;base64,…`, as drawing programs embed photos) is inert in an SVG.
fn has_active_scheme(value: &[u8]) -> bool {
    let value = String::from_utf8_lossy(value);
    crate::sanitize::is_unsafe_url(&value) && !crate::sanitize::is_inline_raster(&value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_parts_are_found_where_they_start() {
        let cases: &[(&str, Option<(&str, &str)>)] = &[
            // (svg, (text at the reported offset, description starts with))
            ("<svg><rect width=\"1\"/></svg>", None),
            (
                "<svg>\n<script>alert(1)</script></svg>",
                Some(("<script>", "thẻ <script>")),
            ),
            (
                "<svg><SCRIPT>x</SCRIPT></svg>",
                Some(("<SCRIPT>", "thẻ <script>")),
            ),
            (
                "<svg><svg:script>x</svg:script></svg>",
                Some(("<svg:script", "thẻ <script>")),
            ),
            (
                "<svg onload=\"alert(1)\"/>",
                Some(("onload", "thuộc tính sự kiện")),
            ),
            (
                "<svg><rect\n  ONCLICK='x'/></svg>",
                Some(("ONCLICK", "thuộc tính sự kiện")),
            ),
            (
                "<svg><a href=\"javascript:alert(1)\">",
                Some(("javascript:", "liên kết")),
            ),
            (
                "<svg><a xlink:href=' JaVaScRiPt:x'>",
                Some((" JaVaScRiPt", "liên kết")),
            ),
            (
                "<svg><a href=\"java&#x09;script:x\">",
                Some(("java&#x09;", "liên kết")),
            ),
            (
                "<svg><a href=\"&#106;avascript:x\">",
                Some(("&#106;", "liên kết")),
            ),
            (
                "<svg><a href=\"javascript&colon;x\">",
                Some(("javascript&colon;", "liên kết")),
            ),
            (
                "<svg><a href=javascript:x>",
                Some(("javascript:x", "liên kết")),
            ),
            (
                "<svg><set attributeName=\"href\" to=\"javascript:x\"/>",
                Some(("javascript:x", "liên kết")),
            ),
            (
                "<svg><foreignObject><div onclick='x'/></foreignObject>",
                Some(("onclick", "thuộc tính sự kiện")),
            ),
            // Illustrator's private data
            (
                "<svg><switch><foreignObject requiredExtensions=\"http://ns.adobe.com/AdobeIllustrator/10.0/\"><i:pgf id=\"adobe_illustrator_pgf\">eJzs</i:pgf></foreignObject></switch></svg>",
                None,
            ),
            ("<svg><iframe src=x>", Some(("<iframe", "thẻ <iframe>"))),
            // harmless look-alikes
            (
                "<svg><text>onload= javascript: &lt;script&gt;</text></svg>",
                None,
            ),
            ("<svg><!-- <script> onload= --><rect/></svg>", None),
            ("<svg><![CDATA[ <script> ]]></svg>", None),
            ("<?xml version=\"1.0\"?><!DOCTYPE svg><svg/>", None),
            (
                "<svg><rect id=\"one\" data-on=\"x\" class='online'/></svg>",
                None,
            ),
            ("<svg><a href=\"https://x.vn/javascript:\">", None),
            ("<svg><a href=\"data:image/png;base64,AA\">", None),
            ("a < b and <", None),
            ("<svg><rect width=\"1 />", None),
            ("", None),
        ];
        for (svg, expected) in cases {
            let found = find_active(svg);
            match (found, expected) {
                (None, None) => {}
                (Some((at, what)), Some((text, desc))) => {
                    assert!(
                        svg[at..].starts_with(text),
                        "{svg:?}: at {at}: {:?}",
                        &svg[at..]
                    );
                    assert!(what.starts_with(desc), "{svg:?}: {what}");
                }
                _ => panic!("{svg:?}: got {found:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn odd_bytes_never_panic() {
        let pieces = [
            "<", ">", "=", "\"", "'", "&#", "&#x", ";", "on", "a", " ", "ể", "!--", "/",
        ];
        let mut s = String::new();
        for i in 0..4000usize {
            s.push_str(pieces[(i * 7 + i / 3) % pieces.len()]);
            let _ = find_active(&s);
            let half: String = s.chars().skip(i / 2).collect();
            let _ = find_active(&half);
        }
    }
}
