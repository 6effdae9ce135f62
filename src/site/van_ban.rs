//! Legal documents (văn bản): the articles of a section with `van_ban = true`. Their keys are
//! read and checked here, where the section and the bundle's files are known; the result is
//! the registry the `van_ban` shortcode, the document table and its filter pages read.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use toml::Spanned;

use super::SectionNode;
use crate::content::Page;
use crate::diag::{did_you_mean, Diagnostic};
use crate::locale::{format_date, slugify, vi_cmp, DateStyle};

/// Document types (Law on legal documents, Decree 30/2020/NĐ-CP on administrative ones). A
/// fixed list so that "Quyết Định" and "Quyet dinh" do not become two filter pages.
pub const LOAI: [&str; 16] = [
    "Luật",
    "Nghị định",
    "Nghị quyết",
    "Quyết định",
    "Chỉ thị",
    "Thông tư",
    "Kế hoạch",
    "Công văn",
    "Thông báo",
    "Báo cáo",
    "Hướng dẫn",
    "Tờ trình",
    "Công điện",
    "Chương trình",
    "Đề án",
    "Quy chế",
];

/// Extensions an attached file may have: what portals publish and readers can open.
pub const FILE_EXTENSIONS: [&str; 7] = ["pdf", "docx", "doc", "xlsx", "xls", "odt", "ods"];

/// One document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Index into `Site::pages`.
    pub page: usize,
    /// Index into `Site::sections`.
    pub section: usize,
    /// One of [`LOAI`].
    pub loai: &'static str,
    pub so_ky_hieu: String,
    pub co_quan: String,
    pub ngay_ban_hanh: NaiveDate,
    pub ngay_hieu_luc: NaiveDate,
    pub het_hieu_luc: Option<NaiveDate>,
    pub trich_yeu: String,
    pub nguoi_ky: String,
    /// File names in the bundle.
    pub files: Vec<String>,
}

impl Document {
    /// Whether the document has stopped having effect by `today`.
    pub fn expired(&self, today: NaiveDate) -> bool {
        self.het_hieu_luc.is_some_and(|d| d <= today)
    }

    pub fn year(&self) -> i32 {
        use chrono::Datelike;
        self.ngay_ban_hanh.year()
    }
}

/// How a document table is filtered: by type, year of issue or issuer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    Loai,
    Nam,
    CoQuan,
}

impl Facet {
    pub const ALL: [Facet; 3] = [Facet::Loai, Facet::Nam, Facet::CoQuan];

    /// The URL segment under the section (`van-ban/loai/quyet-dinh/`).
    pub fn segment(self) -> &'static str {
        match self {
            Facet::Loai => "loai",
            Facet::Nam => "nam",
            Facet::CoQuan => "co-quan",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Facet::Loai => "Loại văn bản",
            Facet::Nam => "Năm ban hành",
            Facet::CoQuan => "Cơ quan ban hành",
        }
    }

    /// The value a document has for this facet (shown), and its slug.
    pub fn value_of(self, d: &Document) -> (String, String) {
        let v = match self {
            Facet::Loai => d.loai.to_string(),
            Facet::Nam => d.year().to_string(),
            Facet::CoQuan => d.co_quan.clone(),
        };
        let slug = slugify(&v);
        (v, slug)
    }
}

/// One value of a facet in one section: its filter page lists `docs`.
#[derive(Debug, Clone)]
pub struct FacetValue {
    pub name: String,
    pub slug: String,
    /// Indices into `Documents::docs`, in table order.
    pub docs: Vec<usize>,
}

/// A document section's table: its documents and filter values.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Indices into `Documents::docs`: newest issue date first, then by number.
    pub docs: Vec<usize>,
    /// Per facet, its values in display order (types as in [`LOAI`], years newest first,
    /// issuers in Vietnamese order).
    pub facets: BTreeMap<Facet, Vec<FacetValue>>,
}

/// Every document of the site.
#[derive(Debug, Clone, Default)]
pub struct Documents {
    pub docs: Vec<Document>,
    /// Page index → index into `docs`.
    pub by_page: HashMap<usize, usize>,
    /// Section index → its table (document sections only).
    pub tables: BTreeMap<usize, Table>,
    /// Number (`123/QĐ-UBND`) → documents with it (several issuers may use one number).
    by_number: HashMap<String, Vec<usize>>,
    /// Numbers of documents left out for their own errors: citing them is not reported again.
    broken: std::collections::HashSet<String>,
}

impl Documents {
    /// The document a `van_ban(so=…, co_quan=…)` citation names, or a message saying why none.
    /// `Ok(None)`: a document with this number has errors of its own, reported there.
    pub fn cite(&self, so: &str, co_quan: Option<&str>) -> Result<Option<&Document>, String> {
        let so = so.trim();
        let Some(found) = self.by_number.get(so) else {
            if self.broken.contains(so) {
                return Ok(None);
            }
            let known = self.docs.iter().map(|d| d.so_ky_hieu.as_str());
            let fix = match did_you_mean(so, known) {
                Some(s) => format!("có phải là \"{s}\"? Số ký hiệu phải khớp đúng số trong so_ky_hieu của văn bản"),
                None if self.docs.is_empty() => "trang chưa có văn bản nào: tạo chuyên mục có van_ban = true (ví dụ content/van-ban/_index.md) rồi thêm văn bản vào đó".to_string(),
                None => "kiểm tra số ký hiệu; xem danh sách ở trang chuyên mục văn bản".to_string(),
            };
            return Err(crate::diag::with_fix(
                format!("không có văn bản số \"{so}\""),
                fix,
            ));
        };
        match (found.as_slice(), co_quan) {
            ([one], None) => Ok(Some(&self.docs[*one])),
            (_, Some(c)) => found
                .iter()
                .map(|&k| &self.docs[k])
                .find(|d| d.co_quan.trim() == c.trim())
                .map(Some)
                .ok_or_else(|| {
                    let issuers: Vec<&str> = found
                        .iter()
                        .map(|&k| self.docs[k].co_quan.as_str())
                        .collect();
                    crate::diag::with_fix(
                        format!("văn bản số \"{so}\" không do \"{c}\" ban hành"),
                        format!("co_quan là một trong: {}", issuers.join("; ")),
                    )
                }),
            (_, None) => {
                let issuers: Vec<&str> = found
                    .iter()
                    .map(|&k| self.docs[k].co_quan.as_str())
                    .collect();
                Err(crate::diag::with_fix(
                    format!(
                        "có {} văn bản cùng số \"{so}\" của các cơ quan khác nhau",
                        found.len()
                    ),
                    format!(
                        "thêm co_quan=\"…\" vào lệnh, là một trong: {}",
                        issuers.join("; ")
                    ),
                ))
            }
        }
    }
}

/// Reads and checks the documents of every `van_ban = true` section; reports document keys
/// in other articles. A document with a problem is left out (its errors stop the build).
pub fn collect(
    pages: &[Page],
    sections: &[SectionNode],
    page_section: &[usize],
    diags: &mut Vec<Diagnostic>,
) -> Documents {
    let mut out = Documents::default();
    for (i, p) in pages.iter().enumerate() {
        let si = page_section[i];
        if !sections[si].section.meta.van_ban {
            not_a_document(p, diags);
            continue;
        }
        match read(p, i, si, diags) {
            Some(d) => {
                out.by_page.insert(i, out.docs.len());
                out.docs.push(d);
            }
            None => {
                if let Some(s) = &p.meta.so_ky_hieu {
                    out.broken.insert(s.get_ref().trim().to_string());
                }
            }
        }
    }
    // Same number from the same issuer twice: the second (in file order) is reported.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (k, d) in out.docs.iter().enumerate() {
        let key = (d.co_quan.to_lowercase(), d.so_ky_hieu.clone());
        if let Some(&first) = seen.get(&key) {
            let p = &pages[d.page];
            let at = p.meta.so_ky_hieu.as_ref().map(|s| s.span().start);
            diags.push(
                Diagnostic::error(format!(
                    "số ký hiệu \"{}\" của {} đã dùng cho văn bản {}",
                    d.so_ky_hieu, d.co_quan, pages[out.docs[first].page].source.display
                ))
                .in_file(&p.source.display)
                .at_opt(at.and_then(|o| p.fm_position(o)))
                .hint(
                    "mỗi văn bản của một cơ quan có số riêng: sửa số ký hiệu, hoặc xoá bản trùng",
                ),
            );
            // cited by number, it is the first one (no second "two documents" message)
            continue;
        }
        seen.insert(key, k);
        out.by_number
            .entry(d.so_ky_hieu.clone())
            .or_default()
            .push(k);
    }
    for (si, s) in sections.iter().enumerate() {
        if s.section.meta.van_ban {
            out.tables.insert(si, table(&out.docs, si));
        }
    }
    out
}

fn table(docs: &[Document], si: usize) -> Table {
    let mut rows: Vec<usize> = (0..docs.len()).filter(|&k| docs[k].section == si).collect();
    rows.sort_by(|&a, &b| {
        let (x, y) = (&docs[a], &docs[b]);
        y.ngay_ban_hanh
            .cmp(&x.ngay_ban_hanh)
            .then_with(|| vi_cmp(&x.so_ky_hieu, &y.so_ky_hieu))
            .then_with(|| x.page.cmp(&y.page))
    });
    let mut facets = BTreeMap::new();
    for f in Facet::ALL {
        let mut values: Vec<FacetValue> = Vec::new();
        for &k in &rows {
            let (name, slug) = f.value_of(&docs[k]);
            match values.iter_mut().find(|v| v.slug == slug) {
                Some(v) => v.docs.push(k),
                None => values.push(FacetValue {
                    name,
                    slug,
                    docs: vec![k],
                }),
            }
        }
        match f {
            Facet::Loai => values.sort_by_key(|v| LOAI.iter().position(|l| *l == v.name)),
            Facet::Nam => values.sort_by(|a, b| b.name.cmp(&a.name)),
            Facet::CoQuan => values.sort_by(|a, b| vi_cmp(&a.name, &b.name)),
        }
        facets.insert(f, values);
    }
    Table { docs: rows, facets }
}

/// An article outside a document section with document keys: each is reported.
fn not_a_document(p: &Page, diags: &mut Vec<Diagnostic>) {
    let m = &p.meta;
    let spans = [
        m.loai.as_ref().map(Spanned::span),
        m.so_ky_hieu.as_ref().map(Spanned::span),
        m.co_quan_ban_hanh.as_ref().map(Spanned::span),
        m.ngay_ban_hanh.as_ref().map(Spanned::span),
        m.ngay_hieu_luc.as_ref().map(Spanned::span),
        m.het_hieu_luc.as_ref().map(Spanned::span),
        m.trich_yeu.as_ref().map(Spanned::span),
        m.nguoi_ky.as_ref().map(Spanned::span),
        m.tep.first().map(Spanned::span),
    ];
    for (key, span) in crate::content::page::DOCUMENT_KEYS.iter().zip(spans) {
        let Some(span) = span else { continue };
        diags.push(
            Diagnostic::error(format!(
                "{key} chỉ dùng cho văn bản, mà chuyên mục \"{}\" không phải chuyên mục văn bản",
                p.section
            ))
            .in_file(&p.source.display)
            .at_opt(p.fm_position(span.start))
            .hint("chuyển bài vào chuyên mục văn bản (có van_ban = true trong _index.md), hoặc thêm van_ban = true vào _index.md của chuyên mục này, hoặc xoá dòng này"),
        );
    }
}

/// An error at a key of `p`'s front matter.
fn key_error(p: &Page, span: &std::ops::Range<usize>, msg: String, hint: String) -> Diagnostic {
    Diagnostic::error(msg)
        .in_file(&p.source.display)
        .at_opt(p.fm_position(span.start))
        .hint(hint)
}

/// One document's keys, checked; `None` when something is missing or wrong.
fn read(p: &Page, page: usize, section: usize, diags: &mut Vec<Diagnostic>) -> Option<Document> {
    let m = &p.meta;
    let before = diags.len();
    let missing: Vec<&str> = [
        ("loai", m.loai.is_none()),
        ("so_ky_hieu", m.so_ky_hieu.is_none()),
        ("co_quan_ban_hanh", m.co_quan_ban_hanh.is_none()),
        ("ngay_ban_hanh", m.ngay_ban_hanh.is_none()),
        ("ngay_hieu_luc", m.ngay_hieu_luc.is_none()),
        ("trich_yeu", m.trich_yeu.is_none()),
        ("nguoi_ky", m.nguoi_ky.is_none()),
        ("tep", m.tep.is_empty()),
    ]
    .into_iter()
    .filter_map(|(k, miss)| miss.then_some(k))
    .collect();
    if !missing.is_empty() {
        diags.push(
            Diagnostic::error(format!("văn bản thiếu {}", missing.join(", ")))
                .in_file(&p.source.display)
                .at(1 + p.front_matter_line_offset, 1)
                .hint("mỗi văn bản ghi đủ: loai = \"Quyết định\", so_ky_hieu = \"123/QĐ-UBND\", co_quan_ban_hanh = \"UBND tỉnh Kon Tum\", ngay_ban_hanh = 2023-03-15, ngay_hieu_luc = 2023-03-15, trich_yeu = \"…\", nguoi_ky = \"…\", tep = [\"qd-123.pdf\"] (het_hieu_luc nếu có)"),
        );
    }
    let loai = m.loai.as_ref().and_then(|l| {
        let v = l.get_ref().trim();
        let found = LOAI
            .iter()
            .find(|k| k.to_lowercase() == v.to_lowercase())
            .copied();
        if found.is_none() {
            let fix = match did_you_mean(v, LOAI) {
                Some(s) => format!("có phải là \"{s}\"? Các loại: {}", LOAI.join(", ")),
                None => format!("loai là một trong: {}", LOAI.join(", ")),
            };
            diags.push(key_error(
                p,
                &l.span(),
                format!("loại văn bản \"{v}\" không có trong danh sách"),
                fix,
            ));
        }
        found
    });
    let so = m.so_ky_hieu.as_ref().and_then(|s| {
        let v = s.get_ref().trim();
        if is_number_symbol(v) {
            Some(v.to_string())
        } else {
            diags.push(key_error(
                p,
                &s.span(),
                format!("số ký hiệu \"{v}\" không đúng dạng"),
                "viết số, dấu /, rồi ký hiệu viết hoa nối bằng gạch ngang: \"123/QĐ-UBND\", \"45/KH-UBND\", \"1520/UBND-KGVX\" hoặc có năm \"42/2022/NĐ-CP\"".to_string(),
            ));
            None
        }
    });
    let mut empties = Vec::new();
    let mut nonempty = |v: &Option<Spanned<String>>, key: &str| -> Option<String> {
        let s = v.as_ref()?;
        let t = s.get_ref().trim();
        if t.is_empty() {
            empties.push((s.span(), key.to_string()));
            None
        } else {
            Some(t.to_string())
        }
    };
    let co_quan = nonempty(&m.co_quan_ban_hanh, "co_quan_ban_hanh");
    let trich_yeu = nonempty(&m.trich_yeu, "trich_yeu");
    let nguoi_ky = nonempty(&m.nguoi_ky, "nguoi_ky");
    for (span, key) in empties {
        diags.push(key_error(
            p,
            &span,
            format!("{key} để trống"),
            format!("ghi nội dung cho {key} như trên văn bản gốc"),
        ));
    }
    let (ban_hanh, hieu_luc, het) = dates(p, diags);
    let files = attached_files(p, diags);
    if diags.len() > before {
        return None;
    }
    Some(Document {
        page,
        section,
        loai: loai?,
        so_ky_hieu: so?,
        co_quan: co_quan?,
        ngay_ban_hanh: ban_hanh?,
        ngay_hieu_luc: hieu_luc?,
        het_hieu_luc: het,
        trich_yeu: trich_yeu?,
        nguoi_ky: nguoi_ky?,
        files,
    })
}

/// A document's dates, each a date, in order (issued ≤ in force < expired).
fn dates(
    p: &Page,
    diags: &mut Vec<Diagnostic>,
) -> (Option<NaiveDate>, Option<NaiveDate>, Option<NaiveDate>) {
    let m = &p.meta;
    let mut date = |v: &Option<Spanned<toml::Value>>, key: &str| -> Option<NaiveDate> {
        let s = v.as_ref()?;
        let text = match s.get_ref() {
            toml::Value::Datetime(d) => d.to_string(),
            toml::Value::String(t) => t.clone(),
            other => other.to_string(),
        };
        match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                diags.push(key_error(
                    p,
                    &s.span(),
                    format!("{key} = {text} không phải ngày hợp lệ"),
                    format!("viết {key} = 2023-03-15 (năm-tháng-ngày, không có giờ)"),
                ));
                None
            }
        }
    };
    let ban_hanh = date(&m.ngay_ban_hanh, "ngay_ban_hanh");
    let hieu_luc = date(&m.ngay_hieu_luc, "ngay_hieu_luc");
    let het = date(&m.het_hieu_luc, "het_hieu_luc");
    let short = |d: NaiveDate| format_date(d, DateStyle::Short);
    if let (Some(b), Some(h), Some(s)) = (ban_hanh, hieu_luc, &m.ngay_hieu_luc) {
        if h < b {
            diags.push(key_error(
                p,
                &s.span(),
                format!(
                    "ngày hiệu lực {} trước ngày ban hành {}",
                    short(h),
                    short(b)
                ),
                "văn bản có hiệu lực từ ngày ban hành trở đi: kiểm tra lại hai ngày với văn bản gốc".into(),
            ));
        }
    }
    if let (Some(h), Some(e), Some(s)) = (hieu_luc.or(ban_hanh), het, &m.het_hieu_luc) {
        if e <= h {
            diags.push(key_error(
                p,
                &s.span(),
                format!(
                    "ngày hết hiệu lực {} không sau ngày có hiệu lực {}",
                    short(e),
                    short(h)
                ),
                "kiểm tra lại het_hieu_luc; bỏ dòng này nếu văn bản còn hiệu lực".into(),
            ));
        }
    }
    (ban_hanh, hieu_luc, het)
}

/// The attached files named in `tep`, each an office file found beside the document.
fn attached_files(p: &Page, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let m = &p.meta;
    let mut files = Vec::new();
    let names: Vec<&str> = p.assets.iter().map(|(_, n)| n.as_str()).collect();
    for t in &m.tep {
        let name = t.get_ref().trim();
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_lowercase());
        if !ext.as_deref().is_some_and(|e| FILE_EXTENSIONS.contains(&e)) {
            diags.push(key_error(
                p,
                &t.span(),
                format!("tệp đính kèm \"{name}\" không phải PDF hay tệp văn phòng"),
                format!("đính kèm tệp có đuôi {}", FILE_EXTENSIONS.join(", ")),
            ));
        } else if !names.contains(&name) {
            let hint = if !p.source.relative.ends_with("/index.md") {
                format!("đặt văn bản vào thư mục riêng: chuyển {} thành …/{}/index.md và để tệp \"{name}\" bên cạnh", p.source.display, p.slug)
            } else {
                match did_you_mean(name, names.iter().copied()) {
                    Some(s) => {
                        format!("có phải là \"{s}\"? Tên tệp phải khớp đúng, kể cả chữ hoa/thường")
                    }
                    None => format!("chép tệp \"{name}\" vào thư mục của văn bản, cạnh index.md"),
                }
            };
            diags.push(key_error(
                p,
                &t.span(),
                format!("không có tệp đính kèm \"{name}\" cạnh văn bản"),
                hint,
            ));
        } else {
            files.push(name.to_string());
        }
    }
    files
}

/// "123/QĐ-UBND", "42/2022/NĐ-CP", "1520/UBND-KGVX": a number, an optional four-digit year,
/// then a symbol of upper-case groups joined by hyphens (Decree 30/2020/NĐ-CP, Annex I).
pub fn is_number_symbol(s: &str) -> bool {
    let parts: Vec<&str> = s.split('/').collect();
    let (num, year, symbol) = match parts.as_slice() {
        [n, sym] => (*n, None, *sym),
        [n, y, sym] => (*n, Some(*y), *sym),
        _ => return false,
    };
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    if !digits(num) || year.is_some_and(|y| !(y.len() == 4 && digits(y))) {
        return false;
    }
    // A group starts with a capital; later letters may be small ("CT-TTg", Thủ tướng).
    let group = |g: &str| {
        g.chars().next().is_some_and(char::is_uppercase)
            && g.chars().all(|c| c.is_alphabetic() || c.is_ascii_digit())
    };
    symbol.split('-').all(group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_symbols_as_decree_30_writes_them() {
        for ok in [
            "123/QĐ-UBND",
            "45/KH-UBND",
            "42/2022/NĐ-CP",
            "1520/UBND-KGVX",
            "07/CT-TTg",
            "15/TB-VP",
        ] {
            assert!(is_number_symbol(ok), "{ok}");
        }
        for bad in [
            "123-QĐ-UBND",
            "QĐ/123",
            "123/",
            "/QĐ",
            "12/22/NĐ-CP",
            "123/qđ-ubnd",
            "123/QĐ--UBND",
            "123/2023",
        ] {
            assert!(!is_number_symbol(bad), "{bad}");
        }
    }
}
