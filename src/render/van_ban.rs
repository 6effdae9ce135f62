//! Template values of legal documents (văn bản): one document's fields (in every summary of
//! it, so listings, feeds and its own page read the same), and a document table with its
//! filter links.

use serde_json::{json, Value};

use crate::locale::{format_date, DateStyle};
use crate::site::van_ban::Facet;
use crate::site::Site;

/// The `van_ban` value of article `i`: null when it is not a document.
pub fn document_value(site: &Site, i: usize) -> Value {
    let Some(&k) = site.documents.by_page.get(&i) else {
        return Value::Null;
    };
    let d = &site.documents.docs[k];
    let p = &site.pages[i];
    let cfg = &site.config;
    let today = site.build_date.date_naive();
    let files: Vec<Value> = d
        .files
        .iter()
        .map(|name| {
            let size = p
                .assets
                .iter()
                .find(|(_, n)| n == name)
                .and_then(|(src, _)| std::fs::metadata(src).ok())
                .map_or(0, |m| m.len());
            let ext = name.rsplit_once('.').map_or("", |(_, e)| e).to_uppercase();
            json!({
                "name": name,
                "url": cfg.url(&format!("{}{}", p.path, name)),
                "format": ext,
                "size": size,
                "size_text": size_text(size),
            })
        })
        .collect();
    let day = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    json!({
        "loai": d.loai,
        "so_ky_hieu": d.so_ky_hieu,
        "co_quan_ban_hanh": d.co_quan,
        "ngay_ban_hanh": day(d.ngay_ban_hanh),
        "ngay_hieu_luc": day(d.ngay_hieu_luc),
        "het_hieu_luc": d.het_hieu_luc.map(day),
        "ngay_ban_hanh_text": format_date(d.ngay_ban_hanh, DateStyle::Short),
        "ngay_hieu_luc_text": format_date(d.ngay_hieu_luc, DateStyle::Short),
        "het_hieu_luc_text": d.het_hieu_luc.map(|x| format_date(x, DateStyle::Short)),
        "nam": d.year(),
        "het_hieu_luc_roi": d.expired(today),
        "trich_yeu": d.trich_yeu,
        "nguoi_ky": d.nguoi_ky,
        "files": files,
        "filters": Facet::ALL.iter().map(|f| {
            let (name, slug) = f.value_of(d);
            json!({"key": f.segment(), "name": name, "slug": slug})
        }).collect::<Vec<_>>(),
    })
}

/// "245 KB", "1,2 MB": the size a download link shows.
fn size_text(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", bytes.div_ceil(1024))
    } else {
        let tenths = (bytes * 10).div_ceil(1024 * 1024);
        format!("{},{} MB", tenths / 10, tenths % 10)
    }
}

/// The `van_ban_table` value of a document section's page (`filter` = the facet and value
/// index of a filter page): the rows' article indices come back beside it.
pub fn table_value(site: &Site, si: usize, filter: Option<(Facet, usize)>) -> (Value, Vec<usize>) {
    let Some(table) = site.documents.tables.get(&si) else {
        return (Value::Null, Vec::new());
    };
    let s = &site.sections[si].section;
    let cfg = &site.config;
    let rows: &[usize] = match filter {
        Some((f, v)) => table
            .facets
            .get(&f)
            .and_then(|l| l.get(v))
            .map_or(&[], |v| &v.docs[..]),
        None => &table.docs,
    };
    let facets: Vec<Value> = table
        .facets
        .iter()
        .map(|(f, values)| {
            let values: Vec<Value> = values
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    let path = crate::paths::doc_filter_path(&s.path, f.segment(), &v.slug);
                    json!({
                        "name": v.name,
                        "slug": v.slug,
                        "url": cfg.url(&path),
                        "count": v.docs.len(),
                        "active": filter == Some((*f, k)),
                    })
                })
                .collect();
            json!({"key": f.segment(), "label": f.label(), "values": values})
        })
        .collect();
    let current = filter.and_then(|(f, v)| {
        let value = table.facets.get(&f)?.get(v)?;
        Some(json!({"key": f.segment(), "label": f.label(), "name": value.name}))
    });
    let pages: Vec<usize> = rows.iter().map(|&k| site.documents.docs[k].page).collect();
    let v = json!({
        "facets": facets,
        "filter": current,
        "all_url": cfg.url(&s.path),
        "total": table.docs.len(),
        "count": rows.len(),
    });
    (v, pages)
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_the_vietnamese_way() {
        assert_eq!(super::size_text(900), "900 B");
        assert_eq!(super::size_text(2048), "2 KB");
        assert_eq!(super::size_text(1_300_000), "1,3 MB");
    }
}
