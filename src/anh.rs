//! Photos (ảnh): every JPEG, PNG and WebP of a page bundle or of `static/` is decoded, turned
//! upright (EXIF orientation), resized and encoded again before it is published. Encoding
//! again is what strips the metadata a phone writes (GPS position, camera serial, XMP): no
//! original's bytes ever reach the output.
//!
//! A bundle photo `anh.jpg` gives `anh-480.jpg`, `anh-960.jpg`, `anh-1600.jpg` and the same
//! in WebP (widths above the original's are skipped, the original width taken instead), and
//! `anh.jpg` itself as a copy of the largest variant, so a plain link to it still works. A
//! `static/` picture is encoded again at its own size under its own name.
//!
//! The results live in `.bantin/cache/anh/KEY/` under the site root, KEY being a hash of the
//! source bytes and of [`SETTINGS`]: a rebuild with the photos unchanged decodes nothing, and
//! the output jobs copy the cached files.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use rayon::prelude::*;

use crate::diag::{display_path, Diagnostic};

/// The widths of a bundle photo's variants.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// The width whose size an `<img>` states (the browser scales it to the layout).
pub const DEFAULT_WIDTH: u32 = 960;
/// Pictures above this many pixels are refused before decoding (a 12 MP phone photo is far
/// below; a 100 000 × 100 000 PNG header is a decompression bomb).
pub const MAX_PIXELS: u64 = 40_000_000;
/// What the decoder may allocate in all (40 MP in RGBA is 160 MB).
const MAX_ALLOC: u64 = 512 * 1024 * 1024;
const JPEG_QUALITY: u8 = 80;
const WEBP_QUALITY: f32 = 75.0;
/// libwebp's effort (0 fastest … 6 smallest). Its default, 4, spent about three quarters of a
/// phone photo's time; 1 is several times faster for files a few per cent larger (the figures
/// are in issue 16's note and `cargo bench --bench photo_speed`).
const WEBP_METHOD: i32 = 1;
/// Part of every cache key: a change of widths, qualities or encoders makes new entries.
pub const SETTINGS: &str = "anh-v2;480,960,1600;jpeg80-opt;webp75-m1;lanczos3";
/// The cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".bantin/cache/anh";

/// The `sizes` attribute of a photo in an article's column.
pub const SIZES: &str = "(max-width: 60rem) 100vw, 60rem";

/// Where a picture comes from, which decides what is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Beside an article (or a section's `_index.md`): responsive variants.
    Bundle,
    /// `static/`: the same picture, stripped, under its own name.
    Static,
    /// An SVG drawing (bundle or `static/`): published as it is (the SVG checks vet it), only
    /// its size is read, for the `<img>`.
    Svg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    fn of_extension(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }
    fn of_image(f: ImageFormat) -> Option<Format> {
        match f {
            ImageFormat::Jpeg => Some(Format::Jpeg),
            ImageFormat::Png => Some(Format::Png),
            ImageFormat::WebP => Some(Format::WebP),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
        }
    }
    fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::WebP => "WebP",
        }
    }
}

/// Whether a file name is one of the pictures bantin processes.
pub fn is_photo(name: &str) -> bool {
    Format::of_extension(name).is_some()
}

/// Whether a file name is an SVG drawing (published as it is; its size is read).
pub fn is_svg(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, e)| e.eq_ignore_ascii_case("svg"))
}

/// One published file of a photo.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// Output path (site path, no base path).
    pub output: String,
    /// The cached file it is copied from.
    pub cached: PathBuf,
}

/// A processed picture.
#[derive(Debug, Clone)]
pub struct Photo {
    /// Site path of the original's name (`tin-tuc/a/anh.jpg`).
    pub path: String,
    /// Upright size of the original.
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub origin: Origin,
    /// Smallest first; both formats of a width side by side. A static picture has one.
    pub variants: Vec<Variant>,
    /// The file published under the original's name.
    pub main: Variant,
}

impl Photo {
    /// The variant an `<img>` names: the [`DEFAULT_WIDTH`] one in the original format, or the
    /// largest below it.
    pub fn default_variant(&self) -> &Variant {
        self.in_format(self.format)
            .filter(|v| v.width <= DEFAULT_WIDTH)
            .last()
            .or_else(|| self.in_format(self.format).next())
            .unwrap_or(&self.main)
    }
    pub fn in_format(&self, f: Format) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.format == f)
    }
    /// `srcset` of one format, URLs made by `url` from output paths.
    pub fn srcset(&self, f: Format, url: &dyn Fn(&str) -> String) -> String {
        self.in_format(f)
            .map(|v| format!("{} {}w", url(&v.output), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Every processed picture of a site, by site path.
#[derive(Debug, Default)]
pub struct Photos {
    pub by_path: HashMap<String, Photo>,
    /// Site paths of the pictures that could not be processed (their errors are reported;
    /// links to them are not reported again as missing files).
    pub failed: Vec<String>,
    /// Output path of every variant → site path of its photo.
    pub by_output: HashMap<String, String>,
    /// Pictures decoded and encoded by this run.
    pub encoded: usize,
    /// Pictures taken from the cache.
    pub cached: usize,
}

/// Site path of the picture `src` names from the page at `page_path`: relative to the page's
/// folder, or `/…` from the site root; `None` when it leaves the site.
pub fn resolve(page_path: &str, src: &str) -> Option<String> {
    match src.strip_prefix('/') {
        Some(abs) => crate::paths::normalize_path(abs),
        None => crate::paths::normalize_path(&format!("{page_path}{src}")),
    }
}

impl Photos {
    /// Names of the pictures beside the page at `page_path` that `keep` accepts, sorted (what
    /// an error about a missing picture suggests instead).
    pub fn beside(&self, page_path: &str, keep: impl Fn(&Photo) -> bool) -> Vec<&str> {
        let mut near: Vec<&str> = self
            .by_path
            .iter()
            .filter(|(_, ph)| keep(ph))
            .filter_map(|(k, _)| k.strip_prefix(page_path))
            .filter(|k| !k.contains('/'))
            .collect();
        near.sort();
        near
    }

    /// Adds the pictures a second [`process`] gave under other paths (a translation's copies
    /// of its twin's: not counted again as encoded or cached).
    pub fn merge(&mut self, other: Photos) {
        self.by_path.extend(other.by_path);
        self.by_output.extend(other.by_output);
        self.failed.extend(other.failed);
    }

    pub fn get(&self, site_path: &str) -> Option<&Photo> {
        self.by_path.get(site_path)
    }

    /// The photo one of whose published files is at `output` (`tin-tuc/a/anh-960.jpg`).
    pub fn of_output(&self, output: &str) -> Option<&Photo> {
        self.get(output)
            .or_else(|| self.by_output.get(output).and_then(|p| self.by_path.get(p)))
    }

    /// `<picture>` (or `<img>` for a static picture) with width, height, alt and, unless it is
    /// the first picture of the page, lazy loading. `alt` is escaped here.
    pub fn picture_html(
        &self,
        photo: &Photo,
        alt: &str,
        first: bool,
        url: &dyn Fn(&str) -> String,
        written: &Written<'_>,
    ) -> String {
        let esc = crate::escape::html;
        let title = match written.title {
            Some(t) if !t.is_empty() => format!(" title=\"{}\"", esc(t)),
            _ => String::new(),
        };
        let v = photo.default_variant();
        let load = if first {
            ""
        } else {
            " loading=\"lazy\" decoding=\"async\""
        };
        if photo.origin != Origin::Bundle {
            let src = match written.src {
                Some(s) => s.to_string(),
                None => url(&photo.main.output),
            };
            return format!(
                "<img src=\"{}\" alt=\"{}\"{title} width=\"{}\" height=\"{}\"{load}>",
                esc(&src),
                esc(alt),
                photo.main.width,
                photo.main.height
            );
        }
        let mut s = String::from("<picture>");
        if photo.format != Format::WebP {
            s.push_str(&format!(
                "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\">",
                esc(&photo.srcset(Format::WebP, url))
            ));
        }
        s.push_str(&format!(
            "<img src=\"{}\" srcset=\"{}\" sizes=\"{SIZES}\" alt=\"{}\"{title} width=\"{}\" height=\"{}\"{load}></picture>",
            esc(&url(&v.output)),
            esc(&photo.srcset(photo.format, url)),
            esc(alt),
            v.width,
            v.height
        ));
        s
    }
}

/// What the author wrote for a Markdown image, kept on its `<img>`.
#[derive(Default)]
pub struct Written<'a> {
    /// The image's title (`![alt](anh.jpg "title")`).
    pub title: Option<&'a str>,
    /// The URL as written (made root-relative), for a picture published under its own name.
    pub src: Option<&'a str>,
}

/// The URL of an output path under the site's base path (`/bantin/`), safe inside `srcset`
/// (spaces and commas separate its entries).
pub fn url(base_path: &str, output: &str) -> String {
    format!(
        "{base_path}{}",
        output.replace(' ', "%20").replace(',', "%2C")
    )
}

/// What a shortcode call needs to find its photos: the page's site path and the site's base
/// path.
pub struct Place<'a> {
    pub page_path: &'a str,
    pub base_path: &'a str,
}

type Args = std::collections::BTreeMap<String, crate::shortcodes::Arg>;

fn arg(args: &Args, key: &str) -> Option<String> {
    args.get(key).map(|a| a.as_text())
}

fn only_keys(args: &Args, name: &str, allowed: &[&str], example: &str) -> Result<(), String> {
    match args.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(crate::diag::with_fix(
            format!("{name} không có tham số {k}; dùng: {}", allowed.join(", ")),
            example,
        )),
        None => Ok(()),
    }
}

const ANH_EXAMPLE: &str = "viết {{ anh(src=\"anh.jpg\", alt=\"Mô tả ảnh\", chu_thich=\"…\", tac_gia=\"…\") }}; ảnh đặt cạnh bài (thư mục bài/index.md)";

impl Photos {
    /// The photo `src` names from an article at `place` (relative to its folder, or `/…` from
    /// the site root), or why there is none.
    fn find(&self, place: &Place<'_>, src: &str) -> Result<&Photo, String> {
        let joined = resolve(place.page_path, src);
        if let Some(p) = joined.as_deref().and_then(|j| self.get(j)) {
            return Ok(p);
        }
        let near = self.beside(place.page_path, |_| true);
        let fix = if near.is_empty() {
            "bài này chưa có ảnh: chuyển bài thành thư mục (ten-bai/index.md) và đặt tệp ảnh JPEG, PNG hoặc WebP cạnh index.md".to_string()
        } else {
            format!("các ảnh cạnh bài: {}", near.join(", "))
        };
        Err(crate::diag::with_fix(
            format!("không có ảnh \"{src}\""),
            fix,
        ))
    }

    /// `{{ anh(src="anh.jpg", alt="…", chu_thich="…", tac_gia="…") }}`: a figure with its
    /// caption and credit; `trang_tri=true` instead of `alt` for a decorative picture.
    pub fn shortcode_anh(
        &self,
        place: &Place<'_>,
        args: &Args,
        first: bool,
    ) -> Result<String, String> {
        only_keys(
            args,
            "anh",
            &["src", "alt", "chu_thich", "tac_gia", "trang_tri"],
            ANH_EXAMPLE,
        )?;
        let src = arg(args, "src")
            .ok_or_else(|| crate::diag::with_fix("thiếu tham số src", ANH_EXAMPLE))?;
        let photo = self.find(place, &src)?;
        let decorative = matches!(
            args.get("trang_tri"),
            Some(crate::shortcodes::Arg::Bool(true))
        );
        let alt = arg(args, "alt").unwrap_or_default();
        let alt = match (decorative, alt.trim().is_empty()) {
            (true, true) => String::new(),
            (true, false) => return Err(crate::diag::with_fix(
                "ảnh trang trí (trang_tri=true) không có mô tả",
                "bỏ alt=\"…\" nếu ảnh chỉ để trang trí, hoặc bỏ trang_tri=true nếu ảnh mang nội dung",
            )),
            (false, true) => return Err(crate::diag::with_fix(
                "ảnh thiếu mô tả (alt): người khiếm thị và máy tìm kiếm không biết ảnh có gì",
                "thêm alt=\"mô tả điều ảnh cho thấy\"; ảnh chỉ để trang trí thì thêm trang_tri=true",
            )),
            (false, false) => alt.trim().to_string(),
        };
        let url = |out: &str| url(place.base_path, out);
        let picture = self.picture_html(photo, &alt, first, &url, &Written::default());
        let caption = caption(arg(args, "chu_thich"), arg(args, "tac_gia"));
        Ok(format!("<figure class=\"anh\">{picture}{caption}</figure>"))
    }

    /// `{{ bo_anh(danh_sach="a.jpg=Mô tả a | b.jpg=Mô tả b", tac_gia="…") }}`: a grid of
    /// figures (plain HTML and CSS, no script), each with its alt text as caption.
    pub fn shortcode_bo_anh(
        &self,
        place: &Place<'_>,
        args: &Args,
        first: bool,
    ) -> Result<String, String> {
        let example = "viết {{ bo_anh(danh_sach=\"anh-1.jpg=Mô tả ảnh 1 | anh-2.jpg=Mô tả ảnh 2\", tac_gia=\"…\") }}";
        only_keys(args, "bo_anh", &["danh_sach", "tac_gia"], example)?;
        let list = arg(args, "danh_sach")
            .ok_or_else(|| crate::diag::with_fix("thiếu tham số danh_sach", example))?;
        let credit = arg(args, "tac_gia");
        let url = |out: &str| url(place.base_path, out);
        let mut out = String::from("<div class=\"bo-anh\">");
        for (k, entry) in list
            .split('|')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .enumerate()
        {
            let (src, alt) = entry
                .split_once('=')
                .map(|(a, b)| (a.trim(), b.trim()))
                .unwrap_or((entry, ""));
            if alt.is_empty() {
                return Err(crate::diag::with_fix(
                    format!("ảnh \"{src}\" trong bộ ảnh thiếu mô tả"),
                    format!("viết {src}=mô tả điều ảnh cho thấy; các ảnh cách nhau bởi dấu |"),
                ));
            }
            let photo = self.find(place, src)?;
            out.push_str("<figure class=\"anh\">");
            out.push_str(&self.picture_html(
                photo,
                alt,
                first && k == 0,
                &url,
                &Written::default(),
            ));
            out.push_str(&caption(Some(alt.to_string()), credit.clone()));
            out.push_str("</figure>");
        }
        out.push_str("</div>");
        Ok(out)
    }
}

/// `<figcaption>caption — Ảnh: credit</figcaption>`, or nothing.
fn caption(text: Option<String>, credit: Option<String>) -> String {
    let esc = crate::escape::html;
    let text = text.filter(|t| !t.trim().is_empty());
    let credit = credit.filter(|t| !t.trim().is_empty());
    let inner = match (text, credit) {
        (None, None) => return String::new(),
        (Some(t), None) => esc(t.trim()),
        (None, Some(c)) => format!("Ảnh: {}", esc(c.trim())),
        (Some(t), Some(c)) => format!("{} — Ảnh: {}", esc(t.trim()), esc(c.trim())),
    };
    format!("<figcaption>{inner}</figcaption>")
}

/// One picture to process: its file, site path (the original's name), origin.
pub struct Source {
    pub file: PathBuf,
    pub path: String,
    pub origin: Origin,
}

impl Source {
    /// The picture at `file` published as `path`: an SVG drawing, or else a picture of
    /// `origin` (bundle or static); `None` when the name is neither.
    pub fn of(file: &Path, path: String, origin: Origin) -> Option<Source> {
        let origin = if is_svg(&path) {
            Origin::Svg
        } else if is_photo(&path) {
            origin
        } else {
            return None;
        };
        Some(Source {
            file: file.to_path_buf(),
            path,
            origin,
        })
    }
}

/// Processes every picture in parallel; a picture that cannot be processed is an error naming
/// its file, and is left out.
pub fn process(root: &Path, sources: Vec<Source>) -> (Photos, Vec<Diagnostic>) {
    let cache = root.join(CACHE_DIR);
    let results: Vec<Result<(Photo, bool), Diagnostic>> = sources
        .par_iter()
        .map(|s| {
            process_one(&cache, s).map_err(|(msg, hint)| {
                Diagnostic::error(msg)
                    .in_file(display_path(root, &s.file))
                    .hint(hint)
            })
        })
        .collect();
    let mut photos = Photos::default();
    let mut diags = Vec::new();
    for (r, s) in results.into_iter().zip(&sources) {
        match r {
            // an SVG without a size is published as before, its `<img>` without one
            Err(_) if s.origin == Origin::Svg => {}
            Err(d) => {
                photos.failed.push(s.path.clone());
                diags.push(d);
            }
            Ok((p, hit)) => {
                if p.origin == Origin::Svg {
                    // nothing decoded or cached: not counted
                } else if hit {
                    photos.cached += 1;
                } else {
                    photos.encoded += 1;
                }
                for v in &p.variants {
                    photos.by_output.insert(v.output.clone(), p.path.clone());
                }
                photos.by_path.insert(p.path.clone(), p);
            }
        }
    }
    (photos, diags)
}

/// A message and its fix.
type Failure = (String, String);

/// The widths published for a bundle photo `width` pixels wide.
pub fn widths_for(width: u32) -> Vec<u32> {
    let mut ws: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
    if width <= WIDTHS[WIDTHS.len() - 1] {
        ws.push(width);
    }
    ws
}

fn process_one(cache: &Path, s: &Source) -> Result<(Photo, bool), Failure> {
    if s.origin == Origin::Svg {
        return Ok((svg_photo(s)?, true));
    }
    // A file whose size and modification time are those of the last run is not read again
    // (10 000 phone photos are tens of gigabytes to hash).
    let stamp = stamp_of(&s.file);
    let note = stamp.as_ref().map(|st| note_path(cache, s, st));
    if let Some(dir) = note.as_ref().and_then(|n| std::fs::read_to_string(n).ok()) {
        let dir = cache.join(dir.trim());
        if let Some(photo) = read_manifest(&dir.join("anh.txt"), &dir, s) {
            return Ok((photo, true));
        }
    }
    let bytes = std::fs::read(&s.file).map_err(|e| {
        (
            format!("không đọc được tệp ảnh: {e}"),
            "kiểm tra quyền đọc của tệp".to_string(),
        )
    })?;
    let done = |photo: Photo, hit: bool, key: &str| {
        if let Some(n) = &note {
            // best effort: without the note the next run reads and hashes the file
            let _ = std::fs::create_dir_all(cache.join("nhan"));
            let _ = write_new(n, key.as_bytes());
        }
        Ok((photo, hit))
    };
    let mut h = blake3::Hasher::new();
    h.update(SETTINGS.as_bytes());
    h.update(if s.origin == Origin::Static {
        b"s"
    } else {
        b"b"
    });
    h.update(&bytes);
    let key = h.finalize().to_hex();
    let dir = cache.join(&key.as_str()[..32]);
    let manifest = dir.join("anh.txt");
    if let Some(photo) = read_manifest(&manifest, &dir, s) {
        return done(photo, true, &key.as_str()[..32]);
    }
    let img = decode(&bytes, s)?;
    let format = Format::of_extension(&s.path).unwrap_or(Format::Jpeg);
    let (w, h) = (img.width(), img.height());
    std::fs::create_dir_all(&dir).map_err(|e| cache_failure(&dir, e))?;
    let widths = match s.origin {
        Origin::Bundle => widths_for(w),
        Origin::Static | Origin::Svg => vec![w],
    };
    let formats: Vec<Format> = match (s.origin, format) {
        (Origin::Static | Origin::Svg, f) | (Origin::Bundle, f @ Format::WebP) => vec![f],
        (Origin::Bundle, f) => vec![Format::WebP, f],
    };
    let mut lines = vec![format!("{w} {h}")];
    // Largest first, each from the one before: a 4000 px photo is read once at full size.
    let mut current = img;
    for &vw in widths.iter().rev() {
        if vw != current.width() {
            current = resize(&current, vw);
        }
        for &f in &formats {
            let data = encode(&current, f)?;
            write_new(&dir.join(format!("{vw}.{}", f.extension())), &data)?;
            lines.push(format!("{vw} {} {}", current.height(), f.extension()));
        }
    }
    // The manifest last: a run stopped half way leaves an entry that is not trusted.
    write_new(&manifest, lines.join("\n").as_bytes())?;
    let photo = read_manifest(&manifest, &dir, s).ok_or_else(|| {
        cache_failure(
            &manifest,
            std::io::Error::other("bộ đệm vừa ghi không đọc lại được"),
        )
    })?;
    done(photo, false, &key.as_str()[..32])
}

/// Size and modification time (ns) of a file, when the file system gives them.
fn stamp_of(file: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(file).ok()?;
    let t = m
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some((m.len(), t.as_nanos()))
}

/// The note naming the cache entry of `s` as it was at `stamp`: a file under `nhan/` whose
/// name hashes the file's path, size, time and origin; it holds the entry's key.
fn note_path(cache: &Path, s: &Source, stamp: &(u64, u128)) -> PathBuf {
    let mut h = blake3::Hasher::new();
    h.update(SETTINGS.as_bytes());
    h.update(s.file.to_string_lossy().as_bytes());
    h.update(format!("\0{}\0{}\0{:?}", stamp.0, stamp.1, s.origin).as_bytes());
    cache
        .join("nhan")
        .join(&h.finalize().to_hex().as_str()[..32])
}

/// Writes a cache file whole or not at all: through a file of its own name, renamed (two
/// copies of one picture, or two bantin processes, may write the same entry at once; both
/// write the same bytes).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp-{}-{n}", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(|e| cache_failure(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| cache_failure(path, e))
}

fn cache_failure(p: &Path, e: std::io::Error) -> Failure {
    (
        format!("không ghi được bộ đệm ảnh \"{}\": {e}", p.display()),
        format!("kiểm tra quyền ghi và chỗ trống của thư mục {CACHE_DIR}; có thể xoá thư mục đó, lần dựng sau sẽ tạo lại"),
    )
}

/// An SVG drawing's size from its root's `width`/`height` (plain numbers or `px`), else its
/// `viewBox`; an error when it has neither (its `<img>` could not be sized).
fn svg_photo(s: &Source) -> Result<Photo, Failure> {
    let text = std::fs::read_to_string(&s.file).map_err(|e| {
        (
            format!("không đọc được tệp SVG: {e}"),
            "lưu tệp SVG ở dạng văn bản UTF-8".to_string(),
        )
    })?;
    let root = crate::sanitize::tags(&text, crate::sanitize::Markup::Xml)
        .find(|t| t.name.eq_ignore_ascii_case("svg"));
    let attr = |name: &str| {
        root.as_ref()?
            .attrs
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))?
            .value
            .map(|v| v.1.trim().to_string())
    };
    let px = |v: Option<String>| -> Option<u32> {
        let v = v?;
        let n: f64 = v.strip_suffix("px").unwrap_or(&v).trim().parse().ok()?;
        (1.0..100_000.0).contains(&n).then(|| n.round() as u32)
    };
    let size = match (px(attr("width")), px(attr("height"))) {
        (Some(w), Some(h)) => Some((w, h)),
        _ => attr("viewBox").and_then(|vb| {
            let n: Vec<f64> = vb
                .split(|c: char| c == ',' || c.is_whitespace())
                .filter(|x| !x.is_empty())
                .filter_map(|x| x.parse().ok())
                .collect();
            (n.len() == 4 && (1.0..100_000.0).contains(&n[2]) && (1.0..100_000.0).contains(&n[3]))
                .then(|| (n[2].round() as u32, n[3].round() as u32))
        }),
    };
    let Some((width, height)) = size else {
        return Err((
            "hình SVG không ghi kích thước (width và height, hoặc viewBox)".into(),
            "thêm viewBox=\"0 0 RỘNG CAO\" vào thẻ <svg> để trang biết chừa chỗ cho hình".into(),
        ));
    };
    let main = Variant {
        width,
        height,
        format: Format::Png, // not read for an SVG
        output: s.path.clone(),
        cached: s.file.clone(),
    };
    Ok(Photo {
        path: s.path.clone(),
        width,
        height,
        format: Format::Png,
        origin: Origin::Svg,
        variants: Vec::new(),
        main,
    })
}

/// The photo described by a cache entry, when it is whole.
fn read_manifest(manifest: &Path, dir: &Path, s: &Source) -> Option<Photo> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let mut lines = text.lines();
    let mut first = lines.next()?.split(' ');
    let width: u32 = first.next()?.parse().ok()?;
    let height: u32 = first.next()?.parse().ok()?;
    let format = Format::of_extension(&s.path)?;
    let (stem, ext) = s.path.rsplit_once('.')?;
    let mut variants = Vec::new();
    for line in lines {
        let mut f = line.split(' ');
        let vw: u32 = f.next()?.parse().ok()?;
        let vh: u32 = f.next()?.parse().ok()?;
        let vf = Format::of_extension(&format!("x.{}", f.next()?))?;
        let cached = dir.join(format!("{vw}.{}", vf.extension()));
        if !cached.is_file() {
            return None;
        }
        // The original format keeps the original's extension (`.JPG`, `.jpeg`).
        let vext = if vf == format { ext } else { vf.extension() };
        let output = match s.origin {
            Origin::Static | Origin::Svg => s.path.clone(),
            Origin::Bundle => format!("{stem}-{vw}.{vext}"),
        };
        variants.push(Variant {
            width: vw,
            height: vh,
            format: vf,
            output,
            cached,
        });
    }
    variants.sort_by_key(|v| (v.width, v.format != Format::WebP));
    let largest = variants.iter().rev().find(|v| v.format == format)?;
    let main = Variant {
        output: s.path.clone(),
        ..largest.clone()
    };
    Some(Photo {
        path: s.path.clone(),
        width,
        height,
        format,
        origin: s.origin,
        variants,
        main,
    })
}

/// The photo format of `bytes` by their content (never by a name): `None` when they are not a
/// JPEG, PNG or WebP picture. The editor's upload asks this first.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    let guessed = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    guessed.format().and_then(Format::of_image)
}

/// Whether `bytes`, a picture of `format`, decodes as the build will decode it (whole, not
/// too large): the editor refuses at upload what the build would refuse later. The error is
/// the build's message and its fix, in one sentence.
pub fn check_decodes(bytes: &[u8], format: Format) -> Result<(), String> {
    let s = Source {
        file: PathBuf::new(),
        path: format!("anh.{}", format.extension()),
        origin: Origin::Bundle,
    };
    decode(bytes, &s)
        .map(|_| ())
        .map_err(|(msg, fix)| format!("{msg}: {fix}"))
}

/// Decodes `bytes` upright, refusing what is not the picture its name says, truncated files
/// and pictures too large to decode safely.
fn decode(bytes: &[u8], s: &Source) -> Result<DynamicImage, Failure> {
    let named = Format::of_extension(&s.path).unwrap_or(Format::Jpeg);
    let guessed = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| (format!("không đọc được ảnh: {e}"), String::new()))?;
    let Some(found) = guessed.format() else {
        return Err((
            format!(
                "tệp có đuôi .{} nhưng nội dung không phải ảnh",
                s.path.rsplit_once('.').map_or("", |x| x.1)
            ),
            "thay bằng ảnh JPEG, PNG hoặc WebP thật (mở được bằng trình xem ảnh), hoặc đổi tên nếu đây là tệp tải về".into(),
        ));
    };
    let Some(format) = Format::of_image(found) else {
        return Err((
            format!("định dạng ảnh {found:?} không được hỗ trợ"),
            "chuyển ảnh sang JPEG (ảnh chụp) hoặc PNG (hình vẽ, ảnh chụp màn hình)".into(),
        ));
    };
    if format != named {
        return Err((
            format!(
                "tệp có đuôi .{} nhưng nội dung là ảnh {}",
                s.path.rsplit_once('.').map_or("", |x| x.1),
                format.name()
            ),
            format!(
                "đổi đuôi tệp thành .{} (và sửa các liên kết tới nó)",
                format.extension()
            ),
        ));
    }
    // (the decoder's own words are English: not shown)
    let truncated = |_: image::ImageError| {
        (
            format!("ảnh {} hỏng hoặc bị cắt cụt", format.name()),
            "chép lại ảnh từ máy chụp hoặc điện thoại; mở thử bằng trình xem ảnh trước khi đăng"
                .to_string(),
        )
    };
    // The JPEG decoder fills a cut-off picture with grey rather than fail: its end is looked
    // for here.
    if format == Format::Jpeg && !jpeg_complete(bytes) {
        let (msg, fix) = truncated(image::ImageError::IoError(
            std::io::ErrorKind::UnexpectedEof.into(),
        ));
        return Err((format!("{msg}: thiếu phần cuối ảnh"), fix));
    }
    // The header alone first: a bomb is refused before any pixel memory is asked for.
    let (w, h) = ImageReader::with_format(Cursor::new(bytes), found)
        .into_dimensions()
        .map_err(truncated)?;
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err((
            format!(
                "ảnh quá lớn: {w} × {h} điểm ảnh (giới hạn {} triệu điểm ảnh)",
                MAX_PIXELS / 1_000_000
            ),
            "thu nhỏ ảnh trước khi đăng (ảnh điện thoại 12 triệu điểm ảnh là đủ); ảnh lớn như vậy có thể là tệp độc hại".into(),
        ));
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), found);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(truncated)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(truncated)?;
    img.apply_orientation(orientation);
    // 8 bits per channel, RGB or RGBA: what the encoders take.
    Ok(if img.color().has_alpha() {
        DynamicImage::ImageRgba8(img.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.into_rgb8())
    })
}

/// Whether a JPEG has its end marker after the start of its image data. The segments before
/// it are skipped by their lengths (an EXIF thumbnail inside APP1 has an end marker of its
/// own); inside entropy-coded data a 0xFF byte is followed by 0x00 or a restart marker, so
/// 0xFF 0xD9 there is the end.
fn jpeg_complete(b: &[u8]) -> bool {
    let mut i = 2;
    while i + 4 <= b.len() && b[i] == 0xFF {
        let marker = b[i + 1];
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([b[i + 2], b[i + 3]]));
        if marker == 0xDA {
            return memchr::memmem::find(&b[i + 2..], &[0xFF, 0xD9]).is_some();
        }
        i += 2 + len;
    }
    false
}

fn resize(img: &DynamicImage, width: u32) -> DynamicImage {
    use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
    let height = ((u64::from(img.height()) * u64::from(width) + u64::from(img.width()) / 2)
        / u64::from(img.width()))
    .max(1) as u32;
    let mut dst = DynamicImage::new(width, height, img.color());
    let opts = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    match Resizer::new().resize(img, &mut dst, &opts) {
        Ok(()) => dst,
        // Only on a pixel type the resizer does not take (never, after decode()): the slower
        // resizer of `image` then.
        Err(_) => img.resize_exact(width, height, image::imageops::FilterType::Lanczos3),
    }
}

fn encode(img: &DynamicImage, f: Format) -> Result<Vec<u8>, Failure> {
    let failed = |e: String| {
        (
            format!("không mã hoá được ảnh {}: {e}", f.name()),
            "báo lỗi này cho người phát triển bantin kèm tệp ảnh".to_string(),
        )
    };
    let mut out = Vec::new();
    match f {
        Format::Jpeg => {
            // jpeg-encoder (SIMD) rather than image's own encoder: several times faster, and
            // optimised Huffman tables make the file smaller still.
            let rgb = img.to_rgb8();
            let (Ok(w), Ok(h)) = (u16::try_from(rgb.width()), u16::try_from(rgb.height())) else {
                return Err(failed(
                    "JPEG không chứa được ảnh rộng hoặc cao quá 65 535 điểm".into(),
                ));
            };
            let mut enc = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
            enc.set_optimized_huffman_tables(true);
            enc.encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| failed(e.to_string()))?;
        }
        Format::Png => {
            img.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
                .map_err(|e| failed(e.to_string()))?;
        }
        Format::WebP => {
            let (w, h) = (img.width(), img.height());
            let encoder = match img {
                DynamicImage::ImageRgba8(b) => webp::Encoder::from_rgba(b.as_raw(), w, h),
                DynamicImage::ImageRgb8(b) => webp::Encoder::from_rgb(b.as_raw(), w, h),
                _ => return Err(failed("kiểu điểm ảnh lạ".into())),
            };
            let mut config = webp::WebPConfig::new().map_err(|()| failed("libwebp".into()))?;
            config.quality = WEBP_QUALITY;
            config.method = WEBP_METHOD;
            let mem = encoder
                .encode_advanced(&config)
                .map_err(|e| failed(format!("{e:?}")))?;
            out.extend_from_slice(&mem);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths_for(4000), vec![480, 960, 1600]);
        assert_eq!(widths_for(1600), vec![480, 960, 1600]);
        assert_eq!(widths_for(1200), vec![480, 960, 1200]);
        assert_eq!(widths_for(300), vec![300]);
        assert_eq!(widths_for(480), vec![480]);
    }
}
