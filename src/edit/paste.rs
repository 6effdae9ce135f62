//! Clipboard HTML (Word, Google Docs, a web page) → the Markdown bantin's pipeline reads
//! (CommonMark + GFM tables, see [`crate::markdown::options`]).
//!
//! The HTML is parsed by html5ever (through `scraper`), then walked into a small block model
//! (headings, paragraphs, lists, quotes, tables, code) that is written out as Markdown. Only
//! what a bulletin needs survives: styles, classes, Word's `<o:p>` and conditional comments,
//! `<head>`, `<style>`, `<script>` and images are dropped. Images are dropped without a trace
//! in the Markdown (photos go through the photo pipeline, with their alt text); their number
//! is returned in [`Pasted::images_dropped`] so the editor can tell the writer.
//!
//! Word and Google Docs express some structure through styles rather than tags; these are
//! read: Word's fake lists (`<p style='mso-list:l0 level2 lfo1'>` with the bullet in a
//! `mso-list:Ignore` span), `MsoTitle`/`MsoHeadingN` paragraphs, Docs' bold and italic spans
//! and its `<b style="font-weight:normal" id="docs-internal-guid-…">` wrapper (not bold).
//!
//! Text is escaped so that it reads back literally: what was text in the HTML never becomes
//! Markdown syntax.

use ego_tree::NodeRef;
use scraper::{Html, Node};
use unicode_normalization::UnicodeNormalization;

/// Elements deeper than this are read as plain text: pasted HTML can nest without end, and
/// the walk below is recursive.
const MAX_DEPTH: usize = 64;

/// The result of converting one paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pasted {
    /// Markdown, NFC, ending with a newline (empty when nothing was left).
    pub markdown: String,
    /// Images left out (`<img>`, Word's `<v:imagedata>`).
    pub images_dropped: usize,
}

/// Converts clipboard HTML to Markdown; see the module documentation.
pub fn html_to_markdown(html: &str) -> String {
    convert(html).markdown
}

/// [`html_to_markdown`], also counting the images left out.
pub fn convert(html: &str) -> Pasted {
    let doc = Html::parse_document(html);
    let mut walk = Walk::default();
    let blocks = walk.blocks(doc.tree.root(), 0);
    let body = write_blocks(&blocks);
    let markdown = if body.is_empty() {
        String::new()
    } else {
        format!("{body}\n")
    };
    Pasted {
        markdown: markdown.nfc().collect(),
        images_dropped: walk.images,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading(usize, Vec<Inline>),
    Para(Vec<Inline>),
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Table(Vec<Vec<Vec<Inline>>>),
    Code(String),
    Rule,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Marks {
    bold: bool,
    italic: bool,
}

#[derive(Debug, Clone, PartialEq)]
enum Inline {
    Text(String, Marks),
    Break,
    Link(String, Vec<Inline>),
    Code(String),
}

/// One paragraph of a Word fake list: its level (1-based), whether its marker is a number or
/// letter, and its content.
struct FakeItem {
    /// Word's list id (`l0`): another id is another list.
    list: String,
    level: usize,
    ordered: bool,
    content: Vec<Inline>,
}

#[derive(Default)]
struct Walk {
    images: usize,
}

fn element_name(node: NodeRef<'_, Node>) -> Option<&str> {
    match node.value() {
        Node::Element(e) => Some(e.name()),
        _ => None,
    }
}

fn attr<'a>(node: NodeRef<'a, Node>, name: &str) -> Option<&'a str> {
    match node.value() {
        Node::Element(e) => e.attr(name),
        _ => None,
    }
}

/// The value of one CSS property in a `style` attribute, lowercased, without spaces.
fn style_prop(node: NodeRef<'_, Node>, prop: &str) -> Option<String> {
    let style = attr(node, "style")?;
    style.split(';').find_map(|decl| {
        let (k, v) = decl.split_once(':')?;
        (k.trim().eq_ignore_ascii_case(prop))
            .then(|| v.trim().to_ascii_lowercase().replace(' ', ""))
    })
}

fn has_class_prefix(node: NodeRef<'_, Node>, prefix: &str) -> Option<String> {
    attr(node, "class")?
        .split_ascii_whitespace()
        .find(|c| c.starts_with(prefix))
        .map(str::to_string)
}

/// Never read: their text is not part of the document.
fn is_skipped(name: &str) -> bool {
    matches!(
        name,
        "head"
            | "style"
            | "script"
            | "meta"
            | "title"
            | "template"
            | "noscript"
            | "link"
            | "colgroup"
            | "col"
            | "button"
            | "select"
            | "textarea"
            | "svg"
            | "math"
            | "iframe"
            | "object"
    )
}

fn is_image(name: &str) -> bool {
    matches!(name, "img" | "v:imagedata" | "picture" | "figure-img")
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "li"
            | "blockquote"
            | "table"
            | "pre"
            | "hr"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "nav"
            | "aside"
            | "figure"
            | "figcaption"
            | "dl"
            | "dt"
            | "dd"
            | "address"
            | "body"
            | "html"
            | "center"
            | "details"
            | "summary"
            | "tr"
            | "td"
            | "th"
            | "tbody"
            | "thead"
            | "tfoot"
            | "caption"
    )
}

/// The heading level a paragraph or heading element stands for: `h1` and Word's title are
/// level 1 (written `##`: the article's title is the page's only `#`).
fn heading_level(node: NodeRef<'_, Node>, name: &str) -> Option<usize> {
    if let Some(d) = name.strip_prefix('h').and_then(|d| d.parse::<usize>().ok()) {
        return (1..=6).contains(&d).then_some(d);
    }
    if name != "p" {
        return None;
    }
    if has_class_prefix(node, "MsoTitle").is_some_and(|c| c == "MsoTitle") {
        return Some(1);
    }
    let class = has_class_prefix(node, "MsoHeading")?;
    class["MsoHeading".len()..]
        .parse::<usize>()
        .ok()
        .filter(|d| (1..=6).contains(d))
}

/// Word's fake list paragraph: the list id and level from `mso-list:l0 level2 lfo1`.
fn fake_list_level(node: NodeRef<'_, Node>) -> Option<(String, usize)> {
    let v = style_prop(node, "mso-list")?;
    let at = v.find("level")?;
    let digits: String = v[at + 5..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let level = digits.parse().ok().filter(|l| *l >= 1)?;
    Some((v[..at].to_string(), level))
}

fn is_mso_ignore(node: NodeRef<'_, Node>) -> bool {
    style_prop(node, "mso-list").is_some_and(|v| v == "ignore")
}

/// The emphasis an element adds to (or removes from) what its parent had: tags, and the
/// `font-weight`/`font-style` of Google Docs' spans (its `docs-internal-guid` wrapper is a
/// `<b>` with `font-weight:normal`, which is not bold).
fn marks_of(node: NodeRef<'_, Node>, name: &str, parent: Marks) -> Marks {
    let mut m = parent;
    match name {
        "b" | "strong" => m.bold = true,
        "i" | "em" | "cite" | "dfn" => m.italic = true,
        _ => {}
    }
    if let Some(w) = style_prop(node, "font-weight") {
        m.bold = match w.as_str() {
            "bold" | "bolder" => true,
            "normal" | "lighter" => false,
            n => n.parse::<u32>().map_or(m.bold, |n| n >= 600),
        };
    }
    if let Some(s) = style_prop(node, "font-style") {
        m.italic = s == "italic" || s == "oblique";
    }
    m
}

/// Blocks and inline content being collected from the children of one container.
#[derive(Default)]
struct Flow {
    out: Vec<Block>,
    inl: Vec<Inline>,
    fake: Vec<FakeItem>,
}

impl Flow {
    fn flush_inline(&mut self) {
        let inl = std::mem::take(&mut self.inl);
        if has_content(&inl) {
            self.out.push(Block::Para(inl));
        }
    }

    fn flush_fake(&mut self) {
        if self.fake.is_empty() {
            return;
        }
        let items = std::mem::take(&mut self.fake);
        let mut at = 0;
        while at < items.len() {
            let level = items[at].level;
            self.out.push(build_fake_list(&items, &mut at, level));
        }
    }

    fn flush(&mut self) {
        self.flush_fake();
        self.flush_inline();
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.out
    }
}

/// Word's flat run of list paragraphs as nested lists: items of `level`, a deeper item opening
/// a list inside the previous one, a shallower one ending this list.
fn build_fake_list(items: &[FakeItem], at: &mut usize, level: usize) -> Block {
    let (ordered, list) = (items[*at].ordered, &items[*at].list);
    let mut out: Vec<Vec<Block>> = Vec::new();
    while *at < items.len() && items[*at].level >= level {
        let item = &items[*at];
        if item.level == level {
            if !out.is_empty() && (item.ordered != ordered || item.list != *list) {
                break;
            }
            out.push(vec![Block::Para(item.content.clone())]);
            *at += 1;
        } else {
            let nested = build_fake_list(items, at, item.level);
            match out.last_mut() {
                Some(last) => last.push(nested),
                None => out.push(vec![nested]),
            }
        }
    }
    Block::List {
        ordered,
        start: 1,
        items: out,
    }
}

fn has_content(inl: &[Inline]) -> bool {
    inl.iter().any(|i| match i {
        Inline::Text(t, _) => t.chars().any(|c| !c.is_whitespace()),
        Inline::Break => false,
        Inline::Link(..) | Inline::Code(_) => true,
    })
}

fn has_block_descendant(node: NodeRef<'_, Node>) -> bool {
    node.descendants()
        .skip(1)
        .any(|d| element_name(d).is_some_and(is_block))
}

/// All the text under `node`, for what is too deep to walk or meant literally (`<pre>`).
fn text_of(node: NodeRef<'_, Node>) -> String {
    node.descendants()
        .filter_map(|d| match d.value() {
            Node::Text(t) => Some(&**t),
            _ => None,
        })
        .collect()
}

impl Walk {
    fn blocks(&mut self, node: NodeRef<'_, Node>, depth: usize) -> Vec<Block> {
        self.blocks_marked(node, Marks::default(), depth)
    }

    fn blocks_marked(&mut self, node: NodeRef<'_, Node>, marks: Marks, depth: usize) -> Vec<Block> {
        let mut flow = Flow::default();
        for child in node.children() {
            self.visit(child, marks, depth + 1, &mut flow);
        }
        flow.finish()
    }

    /// One child of a container: text and inline elements join the current paragraph, blocks
    /// end it, Word's list paragraphs gather until something else comes.
    fn visit(&mut self, child: NodeRef<'_, Node>, marks: Marks, depth: usize, flow: &mut Flow) {
        let name = match child.value() {
            Node::Text(t) => {
                if !(flow.fake.is_empty() || t.trim().is_empty()) {
                    flow.flush_fake();
                }
                if flow.fake.is_empty() {
                    flow.inl.push(Inline::Text(t.to_string(), marks));
                }
                return;
            }
            Node::Element(e) => e.name(),
            _ => return,
        };
        if is_skipped(name) {
            return;
        }
        if name == "p" {
            if let Some((list, level)) = fake_list_level(child) {
                flow.flush_inline();
                let item = self.fake_item(child, list, level, marks, depth);
                flow.fake.push(item);
                return;
            }
        }
        if depth > MAX_DEPTH {
            flow.flush_fake();
            flow.inl
                .push(Inline::Text(format!(" {} ", text_of(child)), marks));
        } else if is_block(name) {
            flow.flush();
            self.block(child, name, marks, depth, &mut flow.out);
        } else if has_block_descendant(child) {
            // An inline element around blocks (Docs' `<b id="docs-internal-guid-…">`):
            // transparent, but its emphasis applies to what it holds.
            let m = marks_of(child, name, marks);
            for c in child.children() {
                self.visit(c, m, depth + 1, flow);
            }
        } else {
            flow.flush_fake();
            self.inline(child, marks, depth, &mut flow.inl);
        }
    }

    fn block(
        &mut self,
        node: NodeRef<'_, Node>,
        name: &str,
        marks: Marks,
        depth: usize,
        out: &mut Vec<Block>,
    ) {
        if let Some(level) = heading_level(node, name) {
            let mut inl = Vec::new();
            self.inline_children(node, marks, depth, &mut inl);
            if has_content(&inl) {
                out.push(Block::Heading(level, inl));
            }
            return;
        }
        match name {
            "ul" | "ol" => {
                let list = self.list(node, name == "ol", marks, depth);
                out.push(list);
            }
            "blockquote" => {
                let inner = self.blocks_marked(node, marks, depth);
                if !inner.is_empty() {
                    out.push(Block::Quote(inner));
                }
            }
            "table" => out.extend(self.table(node, depth)),
            "pre" => out.push(Block::Code(text_of(node))),
            "hr" => out.push(Block::Rule),
            _ => out.extend(self.blocks_marked(node, marks, depth)),
        }
    }

    fn fake_item(
        &mut self,
        node: NodeRef<'_, Node>,
        list: String,
        level: usize,
        marks: Marks,
        depth: usize,
    ) -> FakeItem {
        let marker = node
            .descendants()
            .find(|d| is_mso_ignore(*d))
            .map(text_of)
            .unwrap_or_default();
        let marker: String = marker.chars().filter(|c| !c.is_whitespace()).collect();
        let ordered = marker.len() > 1
            && marker.ends_with(['.', ')'])
            && marker[..marker.len() - 1]
                .chars()
                .all(|c| c.is_ascii_alphanumeric());
        let mut content = Vec::new();
        self.inline_children(node, marks, depth, &mut content);
        FakeItem {
            list,
            level: level.min(MAX_DEPTH),
            ordered,
            content,
        }
    }
}

/// A link target kept in the Markdown: web and mail addresses only (no `javascript:`,
/// `data:`, Word's `#_Toc…` anchors or `file:` paths), with the characters that would end
/// or break a Markdown destination percent-encoded.
fn link_dest(href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    if !["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return None;
    }
    let mut out = String::with_capacity(href.len());
    for c in href.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    Some(out)
}

impl Walk {
    fn inline_children(
        &mut self,
        node: NodeRef<'_, Node>,
        marks: Marks,
        depth: usize,
        out: &mut Vec<Inline>,
    ) {
        for c in node.children() {
            self.inline(c, marks, depth + 1, out);
        }
    }

    /// Inline content of one node. Blocks met here (a paragraph in a table cell, a heading in
    /// a link) are flattened to their text, separated by spaces.
    fn inline(
        &mut self,
        node: NodeRef<'_, Node>,
        marks: Marks,
        depth: usize,
        out: &mut Vec<Inline>,
    ) {
        let name = match node.value() {
            Node::Text(t) => return out.push(Inline::Text(t.to_string(), marks)),
            Node::Element(e) => e.name(),
            _ => return,
        };
        if is_skipped(name) || is_mso_ignore(node) {
            return;
        }
        if is_image(name) {
            self.images += 1;
            return;
        }
        if depth > MAX_DEPTH {
            return out.push(Inline::Text(format!(" {} ", text_of(node)), marks));
        }
        match name {
            "br" => out.push(Inline::Break),
            "code" | "kbd" | "samp" | "tt" => out.push(Inline::Code(text_of(node))),
            "a" => {
                let mut inner = Vec::new();
                self.inline_children(node, marks_of(node, name, marks), depth, &mut inner);
                match attr(node, "href").and_then(link_dest) {
                    Some(dest) if has_content(&inner) => out.push(Inline::Link(dest, inner)),
                    _ => out.extend(inner),
                }
            }
            _ => {
                let block = is_block(name);
                if block {
                    out.push(Inline::Text(" ".into(), marks));
                }
                self.inline_children(node, marks_of(node, name, marks), depth, out);
                if block {
                    out.push(Inline::Text(" ".into(), marks));
                }
            }
        }
    }

    /// A list; Google Docs puts a nested `<ul>` straight inside its parent `<ul>`, after the
    /// `<li>` it belongs to.
    fn list(
        &mut self,
        node: NodeRef<'_, Node>,
        ordered: bool,
        marks: Marks,
        depth: usize,
    ) -> Block {
        let start = attr(node, "start")
            .and_then(|s| s.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .min(999_999_999);
        let mut items: Vec<Vec<Block>> = Vec::new();
        for child in node.children() {
            let name = element_name(child);
            if name == Some("li") {
                items.push(self.blocks_marked(child, marks, depth));
                continue;
            }
            let mut flow = Flow::default();
            self.visit(child, marks, depth + 1, &mut flow);
            let blocks = flow.finish();
            if blocks.is_empty() {
                continue;
            }
            match (name, items.last_mut()) {
                (Some("ul" | "ol"), Some(last)) => last.extend(blocks),
                _ => items.push(blocks),
            }
        }
        items.retain(|i| !i.is_empty());
        Block::List {
            ordered,
            start,
            items,
        }
    }
}

/// Rows of a table: its `<tr>`s, through `<thead>`/`<tbody>`/`<tfoot>` but not into tables in
/// its cells.
fn table_rows<'a>(node: NodeRef<'a, Node>, rows: &mut Vec<NodeRef<'a, Node>>) {
    for c in node.children() {
        match element_name(c) {
            Some("tr") => rows.push(c),
            Some("thead" | "tbody" | "tfoot") => table_rows(c, rows),
            _ => {}
        }
    }
}

fn span(node: NodeRef<'_, Node>, name: &str) -> usize {
    attr(node, name)
        .and_then(|s| s.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 50)
}

impl Walk {
    /// A GFM table: the first row is the header; merged cells are flattened (the text in the
    /// first cell of the merge, the others empty) so the columns stay in line.
    fn table(&mut self, node: NodeRef<'_, Node>, depth: usize) -> Option<Block> {
        let mut trs = Vec::new();
        table_rows(node, &mut trs);
        let mut rows: Vec<Vec<Vec<Inline>>> = Vec::new();
        // Per column: how many more rows a cell above still covers.
        let mut carry: Vec<usize> = Vec::new();
        for tr in trs {
            let mut row = Vec::new();
            let fill = |row: &mut Vec<Vec<Inline>>, carry: &mut Vec<usize>| {
                while carry.get(row.len()).is_some_and(|n| *n > 0) {
                    carry[row.len()] -= 1;
                    row.push(Vec::new());
                }
            };
            for cell in tr.children() {
                if !matches!(element_name(cell), Some("td" | "th")) {
                    continue;
                }
                fill(&mut row, &mut carry);
                let mut inl = Vec::new();
                self.inline_children(cell, Marks::default(), depth, &mut inl);
                let (cols, down) = (span(cell, "colspan"), span(cell, "rowspan"));
                for i in 0..cols {
                    let col = row.len();
                    if carry.len() <= col {
                        carry.resize(col + 1, 0);
                    }
                    carry[col] = down - 1;
                    row.push(if i == 0 {
                        std::mem::take(&mut inl)
                    } else {
                        Vec::new()
                    });
                }
            }
            fill(&mut row, &mut carry);
            rows.push(row);
        }
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return None;
        }
        for r in &mut rows {
            r.resize(width, Vec::new());
        }
        Some(Block::Table(rows))
    }
}

// ---- Writing Markdown ----

/// Where inline content is written: headings escape `#` and `{` (closing hashes, attribute
/// blocks), table cells turn line breaks into spaces.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Para,
    Heading,
    Cell,
}

fn write_blocks(blocks: &[Block]) -> String {
    let alts = list_alts(blocks);
    let parts: Vec<String> = blocks
        .iter()
        .zip(alts)
        .map(|(b, alt)| write_block(b, alt))
        .filter(|s| !s.is_empty())
        .collect();
    parts.join("\n\n")
}

/// Two lists of one kind in a row would read as one list: every second one is written with
/// the other marker (`*`, `1)`), which CommonMark takes as a new list.
fn list_alts(blocks: &[Block]) -> Vec<bool> {
    let mut prev: Option<(bool, bool)> = None;
    blocks
        .iter()
        .map(|b| match b {
            Block::List { ordered, .. } => {
                let alt = prev.is_some_and(|(o, a)| o == *ordered && !a);
                prev = Some((*ordered, alt));
                alt
            }
            _ => {
                prev = None;
                false
            }
        })
        .collect()
}

fn write_block(b: &Block, alt: bool) -> String {
    match b {
        Block::Heading(level, inl) => {
            let text = write_inline(inl, Place::Heading);
            if text.is_empty() {
                return text;
            }
            format!("{} {text}", "#".repeat((level + 1).min(6)))
        }
        Block::Para(inl) => write_inline(inl, Place::Para),
        Block::List {
            ordered,
            start,
            items,
        } => write_list(*ordered, *start, items, alt),
        Block::Quote(inner) => write_blocks(inner)
            .lines()
            .map(|l| {
                if l.is_empty() {
                    ">".to_string()
                } else {
                    format!("> {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Table(rows) => write_table(rows),
        Block::Code(text) => {
            let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
            format!("{fence}\n{}\n{fence}", text.trim_matches('\n'))
        }
        Block::Rule => "---".into(),
    }
}

fn write_list(ordered: bool, start: u64, items: &[Vec<Block>], alt: bool) -> String {
    let mut written = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let marker = match (ordered, alt) {
            (true, false) => format!("{}. ", start + i as u64),
            (true, true) => format!("{}) ", start + i as u64),
            (false, false) => "- ".to_string(),
            (false, true) => "* ".to_string(),
        };
        let body = write_item(item);
        if body.is_empty() {
            continue;
        }
        let pad = " ".repeat(marker.len());
        let mut lines = body.lines();
        let mut s = format!("{marker}{}", lines.next().unwrap_or(""));
        for l in lines {
            s.push('\n');
            if !l.is_empty() {
                s.push_str(&pad);
                s.push_str(l);
            }
        }
        written.push(s);
    }
    let loose = written.iter().any(|s| s.contains("\n\n"));
    written.join(if loose { "\n\n" } else { "\n" })
}

/// An item's blocks; a nested list follows its paragraph on the next line (a tight list), but
/// after a blank line when it could not interrupt the paragraph (an ordered list not from 1).
fn write_item(blocks: &[Block]) -> String {
    let mut s = String::new();
    let alts = list_alts(blocks);
    for (i, b) in blocks.iter().enumerate() {
        let text = write_block(b, alts[i]);
        if text.is_empty() {
            continue;
        }
        if !s.is_empty() {
            let tight = i > 0
                && matches!(blocks[i - 1], Block::Para(_))
                && matches!(b, Block::List { ordered, start, .. } if !ordered || *start == 1);
            s.push_str(if tight { "\n" } else { "\n\n" });
        }
        s.push_str(&text);
    }
    s
}

fn write_table(rows: &[Vec<Vec<Inline>>]) -> String {
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        out.push(line(
            row.iter().map(|c| write_inline(c, Place::Cell)).collect(),
        ));
        if i == 0 {
            out.push(line(vec!["---".to_string(); row.len()]));
        }
    }
    out.join("\n")
}

fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for ch in s.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// What a line of a paragraph must not start with: `#` (heading), `-`/`+` (list, setext
/// underline, rule), `=` (setext underline), `1.`/`1)` (ordered list).
fn escape_line_start(line: &str) -> String {
    if line.starts_with(['#', '-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

fn escape_text(s: &str, place: Place, out: &mut String) {
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        // `&` only where it could start an entity (`&amp;`), so "A & B" stays readable.
        let entity = c == '&'
            && chars
                .peek()
                .is_some_and(|n| n.is_alphanumeric() || *n == '#');
        let special = entity
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|'
            )
            || (place == Place::Heading && matches!(c, '#' | '{' | '}'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Inline content with HTML's whitespace rules applied: runs of spaces, newlines and `&nbsp;`
/// become one space, none at the start, the end or around a line break.
fn normalize(inls: &[Inline], place: Place) -> Vec<Inline> {
    fn walk(inls: &[Inline], place: Place, space: &mut bool, out: &mut Vec<Inline>) {
        for i in inls {
            match i {
                Inline::Text(t, m) => {
                    let mut s = String::new();
                    for c in t.chars() {
                        if !c.is_whitespace() {
                            s.push(c);
                            *space = false;
                        } else if !*space {
                            s.push(' ');
                            *space = true;
                        }
                    }
                    if !s.is_empty() {
                        out.push(Inline::Text(s, *m));
                    }
                }
                Inline::Break if place != Place::Para => walk(
                    &[Inline::Text(" ".into(), Marks::default())],
                    place,
                    space,
                    out,
                ),
                Inline::Break => {
                    trim_end(out);
                    out.push(Inline::Break);
                    *space = true;
                }
                Inline::Link(dest, inner) => {
                    let mut v = Vec::new();
                    walk(inner, place, space, &mut v);
                    if has_content(&v) {
                        out.push(Inline::Link(dest.clone(), v));
                    } else {
                        out.extend(v);
                    }
                }
                Inline::Code(t) => {
                    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !t.is_empty() {
                        out.push(Inline::Code(t));
                        *space = false;
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(inls, place, &mut true, &mut out);
    trim_end(&mut out);
    let lead = out.iter().take_while(|i| **i == Inline::Break).count();
    out.drain(..lead);
    out
}

/// Drops trailing spaces and line breaks.
fn trim_end(out: &mut Vec<Inline>) {
    loop {
        match out.last_mut() {
            Some(Inline::Break) => {
                out.pop();
            }
            Some(Inline::Text(t, _)) => {
                let n = t.trim_end_matches(' ').len();
                if n == t.len() {
                    return;
                }
                t.truncate(n);
                if t.is_empty() {
                    out.pop();
                }
            }
            _ => return,
        }
    }
}

/// Inline content as Markdown; a paragraph's lines escaped at their start. Emphasis that
/// CommonMark would not read as such (`**!**a`: a closing `**` after punctuation before a
/// letter) would show its asterisks, so the result is parsed back and, if its text differs,
/// written again without bold and italic: the words matter more than their weight.
fn write_inline(inls: &[Inline], place: Place) -> String {
    let inls = normalize(inls, place);
    let written = |inls: &[Inline]| {
        let mut out = String::new();
        render_inline(inls, place, &mut out);
        if place == Place::Para {
            out = out
                .lines()
                .map(escape_line_start)
                .collect::<Vec<_>>()
                .join("\n");
        }
        out
    };
    let out = written(&inls);
    let mut want = String::new();
    plain_text(&inls, &mut want);
    if collapse_ws(&markdown_text(&out)) == collapse_ws(&want) {
        return out;
    }
    written(&unmarked(&inls))
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn plain_text(inls: &[Inline], out: &mut String) {
    for i in inls {
        match i {
            Inline::Text(t, _) | Inline::Code(t) => out.push_str(t),
            Inline::Break => out.push(' '),
            Inline::Link(_, inner) => plain_text(inner, out),
        }
    }
}

fn unmarked(inls: &[Inline]) -> Vec<Inline> {
    inls.iter()
        .map(|i| match i {
            Inline::Text(t, _) => Inline::Text(t.clone(), Marks::default()),
            Inline::Link(d, inner) => Inline::Link(d.clone(), unmarked(inner)),
            other => other.clone(),
        })
        .collect()
}

/// The text a reader would see of `md` (the pipeline's parser and options).
fn markdown_text(md: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut out = String::new();
    for e in Parser::new_ext(md, crate::markdown::options(false)) {
        match e {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

fn render_inline(inls: &[Inline], place: Place, out: &mut String) {
    let mut open: Vec<&str> = Vec::new();
    for i in inls {
        match i {
            Inline::Text(t, m) if !t.trim().is_empty() => {
                let core = t.trim_matches(' ');
                let lead = t.len() - t.trim_start_matches(' ').len();
                let bold = m.bold && place != Place::Heading;
                emphasis(out, &mut open, bold, m.italic, &t[..lead]);
                escape_text(core, place, out);
                out.push_str(&t[lead + core.len()..]);
            }
            Inline::Text(t, _) => out.push_str(t),
            Inline::Break => {
                emphasis(out, &mut open, false, false, "");
                out.push_str("\\\n");
            }
            Inline::Code(t) => {
                emphasis(out, &mut open, false, false, "");
                let ticks = "`".repeat(longest_run(t, '`') + 1);
                let pad = if t.starts_with('`') || t.ends_with('`') {
                    " "
                } else {
                    ""
                };
                out.push_str(&format!("{ticks}{pad}{t}{pad}{ticks}"));
            }
            Inline::Link(dest, inner) => {
                emphasis(out, &mut open, false, false, "");
                out.push('[');
                render_inline(inner, place, out);
                out.push_str(&format!("]({dest})"));
            }
        }
    }
    emphasis(out, &mut open, false, false, "");
}

/// Closes the open `**`/`*` not wanted any more (and those opened inside them), then opens
/// the wanted ones. Spaces stay outside the delimiters: CommonMark's emphasis must not start
/// or end with a space.
fn emphasis(out: &mut String, open: &mut Vec<&'static str>, bold: bool, italic: bool, lead: &str) {
    let wanted = |d: &str| if d == "**" { bold } else { italic };
    if let Some(cut) = open.iter().position(|d| !wanted(d)) {
        let text_end = out.trim_end_matches(' ').len();
        let trail = out[text_end..].to_string();
        out.truncate(text_end);
        while open.len() > cut {
            out.push_str(open.pop().unwrap_or_default());
        }
        out.push_str(&trail);
    }
    out.push_str(lead);
    for (on, d) in [(bold, "**"), (italic, "*")] {
        if on && !open.contains(&d) {
            out.push_str(d);
            open.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What Word 2016 puts on the clipboard (trimmed, structure as Word writes it).
    const WORD: &str = r#"<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8"><meta name=Generator content="Microsoft Word 15 (filtered)">
<title>Báo cáo</title>
<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt;} --></style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings></xml><![endif]-->
</head>
<body lang=VI style='tab-interval:36.0pt'>
<!--StartFragment-->
<p class=MsoTitle>Báo cáo tiến độ <span style='mso-spacerun:yes'>&nbsp;</span>quý III<o:p></o:p></p>
<h1>Kết quả chính<o:p></o:p></h1>
<p class=MsoNormal><span lang=VI>Xã Tân&nbsp;&nbsp; Phú đã hoàn thành <b>85%</b> kế hoạch,
theo “Nghị quyết số 12” và <i>chỉ&nbsp;đạo</i> của tỉnh.<o:p></o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span lang=VI>Đường giao thông nông thôn<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-add-space:auto;text-indent:-18.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span lang=VI>Thôn 1: 2,5 km<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-list:l0 level2 lfo1'><![if !supportLists]><span style='font-family:"Courier New"'><span style='mso-list:Ignore'>o<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span lang=VI>Thôn 2: 1,8 km<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='font-family:Symbol'><span style='mso-list:Ignore'>·<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]><span lang=VI>Trường học<o:p></o:p></span></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Khảo sát<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span><span style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Thi công<o:p></o:p></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=200 valign=top style='width:150pt'><p class=MsoNormal><b><span lang=VI>Hạng mục<o:p></o:p></span></b></p></td>
  <td width=200 valign=top style='width:150pt'><p class=MsoNormal><b><span lang=VI>Vốn (triệu đồng)<o:p></o:p></span></b></p></td>
 </tr>
 <tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'>
  <td width=200 valign=top><p class=MsoNormal><span lang=VI>Đường | cầu<o:p></o:p></span></p><p class=MsoNormal>giai đoạn 2<o:p></o:p></p></td>
  <td width=200 valign=top><p class=MsoNormal><span lang=VI>1.250<o:p></o:p></span></p></td>
 </tr>
</table>
<p class=MsoNormal><img width=320 height=240 src="file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/01/clip_image001.jpg"><o:p></o:p></p>
<!--EndFragment-->
</body></html>"#;

    const WORD_MD: &str = "## Báo cáo tiến độ quý III

## Kết quả chính

Xã Tân Phú đã hoàn thành **85%** kế hoạch, theo “Nghị quyết số 12” và *chỉ đạo* của tỉnh.

- Đường giao thông nông thôn
  - Thôn 1: 2,5 km
  - Thôn 2: 1,8 km
- Trường học

1. Khảo sát
2. Thi công

| **Hạng mục** | **Vốn (triệu đồng)** |
| --- | --- |
| Đường \\| cầu giai đoạn 2 | 1.250 |
";

    /// What Google Docs puts on the clipboard.
    const DOCS: &str = r#"<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-3f0a1c2e-7fff-1b2c-9d3e-0123456789ab"><h2 dir="ltr" style="line-height:1.38;margin-top:18pt;margin-bottom:6pt;"><span style="font-size:16pt;font-family:Arial,sans-serif;color:#000000;background-color:transparent;font-weight:400;font-style:normal;">Kế hoạch năm 2026</span></h2><p dir="ltr" style="line-height:1.38;margin-top:0pt;margin-bottom:0pt;"><span style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;font-style:normal;">Mục tiêu </span><span style="font-size:11pt;font-family:Arial,sans-serif;font-weight:700;font-style:normal;">quan trọng nhất</span><span style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;font-style:normal;"> là </span><span style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;font-style:italic;">nước sạch</span><span style="font-size:11pt;font-family:Arial,sans-serif;font-weight:400;font-style:normal;"> cho mọi nhà (xem </span><a href="https://example.gov.vn/ke-hoach?nam=2026" style="text-decoration:none;"><span style="font-size:11pt;font-family:Arial,sans-serif;color:#1155cc;font-weight:400;text-decoration:underline;">kế hoạch</span></a><span style="font-size:11pt;">).</span></p><br><ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1"><p dir="ltr" role="presentation" style="line-height:1.38;"><span style="font-size:11pt;font-weight:400;">Cấp nước</span></p></li><ul style="margin-top:0;margin-bottom:0;padding-inline-start:48px;"><li dir="ltr" style="list-style-type:circle;font-size:11pt;" aria-level="2"><p dir="ltr" role="presentation"><span style="font-size:11pt;font-weight:400;">Trạm bơm *số 3*</span></p></li></ul><li dir="ltr" style="list-style-type:disc;font-size:11pt;" aria-level="1"><p dir="ltr" role="presentation"><span style="font-size:11pt;font-weight:400;">Vệ sinh môi trường</span></p></li></ul><br><div dir="ltr" style="margin-left:0pt;" align="left"><table style="border:none;border-collapse:collapse;"><colgroup><col width="200"><col width="200"></colgroup><tbody><tr style="height:0pt"><td style="border-left:solid #000000 1pt;padding:5pt;"><p dir="ltr"><span style="font-size:11pt;font-weight:400;">Xã</span></p></td><td style="padding:5pt;"><p dir="ltr"><span style="font-size:11pt;font-weight:400;">Tỷ lệ</span></p></td></tr><tr style="height:0pt"><td><p dir="ltr"><span style="font-size:11pt;font-weight:400;">Hoà Bình</span></p></td><td><p dir="ltr"><span style="font-size:11pt;font-weight:400;">92%</span></p></td></tr></tbody></table></div></b><br class="Apple-interchange-newline">"#;

    const DOCS_MD: &str = "### Kế hoạch năm 2026

Mục tiêu **quan trọng nhất** là *nước sạch* cho mọi nhà (xem [kế hoạch](https://example.gov.vn/ke-hoach?nam=2026)).

- Cấp nước
  - Trạm bơm \\*số 3\\*
- Vệ sinh môi trường

| Xã | Tỷ lệ |
| --- | --- |
| Hoà Bình | 92% |
";

    /// A fragment of a web page, as a browser copies it.
    const WEB: &str = r#"<h2 class="title" style="color:red">Tin <em>nổi bật</em></h2>
<p>Đọc <a href="https://baochinhphu.vn/a.htm" title="Báo">bài gốc</a>, <a href="javascript:alert(1)">bấm vào đây</a>, <a href="data:text/html,x">tải</a> hoặc <a href="mailto:vanphong@example.gov.vn">viết thư</a>.</p>
<script>document.write("x")</script>
<blockquote><p>Dân biết, dân bàn, dân làm, dân kiểm tra.</p><p>— Chỉ thị 30</p></blockquote>
<ol start="3"><li>Bước ba</li><li>Bước bốn<br>chi tiết</li></ol>
<p># không phải tiêu đề<br>2024. năm bản lề<br>- không phải danh sách <code>a`b</code> [x] &lt;b&gt; _y_</p>
<p>&nbsp;</p>
<table><tr><th colspan="2">Chỉ tiêu</th><th>Ghi chú</th></tr><tr><td rowspan="2">A</td><td>1</td><td>x</td></tr><tr><td>2</td><td>y</td></tr></table>"#;

    const WEB_MD: &str = "### Tin *nổi bật*

Đọc [bài gốc](https://baochinhphu.vn/a.htm), bấm vào đây, tải hoặc [viết thư](mailto:vanphong@example.gov.vn).

> Dân biết, dân bàn, dân làm, dân kiểm tra.
>
> — Chỉ thị 30

3. Bước ba
4. Bước bốn\\
   chi tiết

\\# không phải tiêu đề\\
2024\\. năm bản lề\\
\\- không phải danh sách ``a`b`` \\[x\\] \\<b\\> \\_y\\_

| Chỉ tiêu |  | Ghi chú |
| --- | --- | --- |
| A | 1 | x |
|  | 2 | y |
";

    #[test]
    fn realistic_pastes_become_exact_markdown() {
        for (name, html, want, images) in [
            ("word", WORD, WORD_MD, 1),
            ("docs", DOCS, DOCS_MD, 0),
            ("web", WEB, WEB_MD, 0),
        ] {
            let got = convert(html);
            assert_eq!(got.markdown, want, "{name}");
            assert_eq!(got.images_dropped, images, "{name}");
        }
    }

    /// `md` rendered by the site's own renderer.
    fn rendered(md: &str) -> String {
        let resolve = |_: &str| None;
        let reserved = std::collections::HashSet::new();
        let photos = crate::anh::Photos::default();
        let ctx = crate::markdown::Context {
            smart_punctuation: false,
            source_dir: "tin-tuc",
            site_path: "tin-tuc/a/",
            base_path: "/",
            resolve: &resolve,
            line_offset: 0,
            safe: true,
            embeds: &[],
            reserved_ids: &reserved,
            photos: &photos,
        };
        crate::markdown::render(md, &ctx).html.text().to_string()
    }

    /// The text a reader sees of `md` rendered by the site's renderer, whitespace collapsed.
    fn rendered_text(md: &str) -> String {
        let html = rendered(md);
        let text: String = Html::parse_fragment(&html).root_element().text().collect();
        collapse(&text)
    }

    fn collapse(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn html_escape(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    }

    /// The Markdown of the realistic pastes has, through the site's renderer, the structure
    /// of the paste: counts of elements (selector, count).
    #[test]
    fn realistic_markdown_renders_to_the_pasted_structure() {
        for (name, md, want) in [
            (
                "word",
                WORD_MD,
                &[
                    ("h2", 2),
                    ("ul", 2),
                    ("ul ul li", 2),
                    ("ol li", 2),
                    ("table", 1),
                    ("th strong", 2),
                    ("tbody td", 2),
                    ("p em", 1),
                ][..],
            ),
            (
                "docs",
                DOCS_MD,
                &[
                    ("h3", 1),
                    ("p strong", 1),
                    ("p em", 1),
                    ("a[href]", 1),
                    ("ul ul li", 1),
                    ("ul > li", 3),
                    ("th", 2),
                ],
            ),
            (
                "web",
                WEB_MD,
                &[
                    ("h3 em", 1),
                    ("a[href]", 2),
                    ("blockquote p", 2),
                    ("ol[start=\"3\"] li", 2),
                    ("br", 3),
                    ("code", 1),
                    ("tbody tr", 2),
                    ("h1, h2, h4, ul", 0),
                ],
            ),
            // The alternating markers of lists in a row (see `rules`).
            (
                "lists",
                "- a\n\n* b\n\n- c\n\n1. d\n\n1) e\n",
                &[("ul", 3), ("ol", 2), ("li", 5)],
            ),
        ] {
            let html = Html::parse_fragment(&rendered(md));
            for (sel, n) in want {
                let found = html.select(&scraper::Selector::parse(sel).unwrap()).count();
                assert_eq!(found, *n, "{name}: {sel}");
            }
        }
    }

    /// Small cases, each for one rule.
    #[test]
    fn rules() {
        for (html, want) in [
            // Docs' wrapper is not bold; its bold span is.
            (
                r#"<b style="font-weight:normal" id="docs-internal-guid-1"><span style="font-weight:700">a</span> b</b>"#,
                "**a** b\n",
            ),
            (
                "<p><b>đậm <i>cả hai</i></b> <i>nghiêng</i></p>",
                "**đậm *cả hai*** *nghiêng*\n",
            ),
            ("<p>a<b> b </b>c</p>", "a **b** c\n"),
            // `**!**a` would show its asterisks: the paragraph loses its bold, not its text.
            ("<p><b>!</b>a <i>b</i></p>", "!a b\n"),
            (
                "<p><a href='javascript:alert(1)'>x</a> <a href=' HTTPS://a.vn/a b(1)'>y</a></p>",
                "x [y](HTTPS://a.vn/a%20b%281%29)\n",
            ),
            (
                "<p><a href='#_Toc1'>mục lục</a><a href='https://a.vn'><img src=x></a></p>",
                "mục lục\n",
            ),
            ("<p>&nbsp;</p><p><o:p>&nbsp;</o:p></p><p> </p>", ""),
            (
                "<h6>Sáu</h6><h3>A #1 {x}</h3>",
                "###### Sáu\n\n#### A \\#1 \\{x\\}\n",
            ),
            ("<p class=MsoHeading2>Mục</p>", "### Mục\n"),
            // Two line breaks in a row are one: Markdown has no empty line inside a paragraph.
            (
                "<p>1) một<br><br>+ hai<br>=</p>",
                "1\\) một\\\n\\+ hai\\\n\\=\n",
            ),
            (
                "<p>A & B &amp;amp; ~x~ `c` | d</p>",
                "A & B \\&amp; \\~x\\~ \\`c\\` \\| d\n",
            ),
            (
                "<ul><li>a<ol start=0><li>b</li></ol></li></ul>",
                "- a\n\n  0. b\n",
            ),
            (
                "<ul><li><p>a</p><p>b</p></li><li>c</li></ul>",
                "- a\n\n  b\n\n- c\n",
            ),
            (
                "<pre>fn main() {\n  ```\n}</pre>",
                "````\nfn main() {\n  ```\n}\n````\n",
            ),
            ("Tiếng Vie\u{0302}\u{0323}t", "Tiếng Việt\n"),
            // Word with its conditionals as real comments, letters as numbers, a jump of two levels.
            (
                "<p class=MsoListParagraph style='mso-list:l3 level1 lfo4'><!--[if !supportLists]--><span style='mso-list:Ignore'>a)<span>&nbsp; </span></span><!--[endif]-->Một</p>\n<p class=MsoListParagraph style='mso-list:l3 level3 lfo4'><!--[if !supportLists]--><span style='mso-list:Ignore'>§<span>&nbsp; </span></span><!--[endif]-->Ba</p>\n<p class=MsoListParagraph style='mso-list:l3 level1 lfo4'><!--[if !supportLists]--><span style='mso-list:Ignore'>b)<span>&nbsp; </span></span><!--[endif]-->Hai</p>\n<p class=MsoNormal>Hết.</p>",
                "1. Một\n   - Ba\n2. Hai\n\nHết.\n",
            ),
            // Lists in a row stay apart.
            (
                "<ul><li>a</li></ul><ul><li>b</li></ul><ul><li>c</li></ul><ol><li>d</li></ol><ol><li>e</li></ol>",
                "- a\n\n* b\n\n- c\n\n1. d\n\n1) e\n",
            ),
            (
                "<p><a href='https://a.vn/x'><span style='font-weight:bold'>Đọc [thêm]</span></a></p>",
                "[**Đọc \\[thêm\\]**](https://a.vn/x)\n",
            ),
            // A table in a cell is flattened to its text; an image in a cell is dropped.
            (
                "<table><tr><td>a<table><tr><td>b</td><td>c</td></tr></table></td></tr><tr><td><img src=x>d<br>e</td></tr></table>",
                "| a b c |\n| --- |\n| d e |\n",
            ),
            (
                "<div><span>dòng một<br>dòng hai</span></div><custom-el>khác</custom-el>",
                "dòng một\\\ndòng hai\n\nkhác\n",
            ),
        ] {
            assert_eq!(html_to_markdown(html), want, "{html}");
        }
    }

    #[test]
    fn deep_nesting_is_read_as_text() {
        let html = format!(
            "{}chữ{}",
            "<div><span>".repeat(5000),
            "</span></div>".repeat(5000)
        );
        assert_eq!(html_to_markdown(&html), "chữ\n");
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Text without markup comes back as the same text through the site's renderer: every
        /// Markdown-significant character was escaped.
        #[test]
        fn plain_text_reads_back_the_same(
            text in "[a-zA-Z0-9 \n\u{a0}*_#\\[\\]<>`~|\\\\!&;.():{}'\"=+\\-^$@/ăâđêôơưạấầẩẫậếềệờởụữỳ]{0,60}"
        ) {
            let md = html_to_markdown(&format!("<p>{}</p>", html_escape(&text)));
            let want: String = collapse(&text).nfc().collect();
            prop_assert_eq!(rendered_text(&md), want, "markdown: {:?}", md);
        }

        /// Runs of bold, italic and plain text, with line breaks, read back as the same text:
        /// no emphasis delimiter is left over or eaten.
        #[test]
        fn emphasis_reads_back_the_same(
            runs in proptest::collection::vec(
                ("[a-zA-Zđệ ,.!?*_()\"]{1,8}", any::<bool>(), any::<bool>(), any::<bool>()),
                1..8,
            )
        ) {
            let mut html = String::from("<p>");
            let mut text = String::new();
            for (t, b, i, br) in &runs {
                let mut piece = html_escape(t);
                if *i { piece = format!("<i>{piece}</i>"); }
                if *b { piece = format!("<b>{piece}</b>"); }
                html.push_str(&piece);
                text.push_str(t);
                if *br { html.push_str("<br>"); text.push(' '); }
            }
            let md = html_to_markdown(&html);
            prop_assert_eq!(rendered_text(&md), collapse(&text), "markdown: {:?}", md);
        }
    }
}
