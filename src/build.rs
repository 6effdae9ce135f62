//! The pipeline, one function ([`run`]) for every caller: config → load → validate → model →
//! plan → render → output. `build` and `check` run it once. `serve` (and the editor to come)
//! run it again after each save with what they [`Kept`] of the last good run: the jobs whose
//! inputs did not change are filtered out (every job's inputs are hashed by
//! [`inputs::Inputs::job`]), and when only article bodies changed the kept model is reused with
//! just those articles read again ([`kept`]).

mod inputs;
pub mod kept;
pub mod output;
mod photos;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::ScopedJoinHandle;
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use inputs::{bytes_job, Fp};
use kept::Edit;
pub use kept::Kept;
pub use output::{File, Output};

use crate::checks;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::check_output_dir;
use crate::plan::{self, Job, JobKind};
use crate::render::Renderer;
use crate::search::SearchDoc;
use crate::site::{Site, SiteOptions};

/// What to do with rendered output.
#[derive(Debug, Clone)]
pub enum Sink {
    /// `check`: render everything in memory, write nothing.
    Discard,
    /// Build into this directory (replaced atomically on success).
    Directory(PathBuf),
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub sink: Sink,
    pub include_drafts: bool,
    pub base_url: Option<String>,
    /// Warnings fail the build.
    pub strict: bool,
    /// `build --changes`: list the files added, modified and deleted in the output.
    pub list_changes: bool,
    /// Unsaved texts read instead of their files: the editor's preview (never a build that
    /// writes `public/`).
    pub overlay: Option<std::sync::Arc<crate::source::Overlay>>,
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// The drafts left out (without `include_drafts`): their files, sorted.
    pub drafts: Vec<String>,
    /// Articles left out until their date comes (without `include_drafts`): (file, date).
    /// Boxed: the report is the error type of the build, kept small.
    pub scheduled: Box<Vec<(String, chrono::DateTime<chrono::FixedOffset>)>>,
    /// Warnings (and errors, when the build failed).
    pub diagnostics: Diagnostics,
    /// Photos decoded and encoded by this run, and photos taken from the cache.
    pub photos_encoded: usize,
    pub photos_cached: usize,
    /// `build` into a folder: how many files it wrote and kept, and with `list_changes`, which.
    pub output: Option<Box<crate::build::output::Written>>,
}

impl BuildReport {
    /// "1 bài hẹn giờ đăng: content/a.md lúc 09:30 01/01/2027, …": the articles the build left
    /// out because their date is still to come (`None` when there are none). Printed by `build`
    /// and `check`, shown by the editor's publish page.
    pub fn scheduled_note(&self) -> Option<String> {
        const SHOWN: usize = 10;
        let scheduled = &self.scheduled[..];
        if scheduled.is_empty() {
            return None;
        }
        let mut list = scheduled[..scheduled.len().min(SHOWN)]
            .iter()
            .map(|(f, d)| format!("{f} lúc {}", d.format("%H:%M %d/%m/%Y")))
            .collect::<Vec<_>>()
            .join(", ");
        if scheduled.len() > SHOWN {
            list.push_str(&format!(" và {} bài khác", scheduled.len() - SHOWN));
        }
        Some(format!(
            "{} bài hẹn giờ đăng (ngày đăng chưa tới, chưa đưa lên trang): {list}",
            scheduled.len()
        ))
    }
}

/// Where the search index comes from.
pub enum SearchIndex<'a> {
    /// Made from the model on a thread of its own while the pages render.
    Make,
    /// These files, made earlier (serve makes a new index in the background and installs it).
    Given(&'a [(String, Arc<Vec<u8>>)]),
}

/// The search index a rebuild made: its documents and files.
pub type MadeSearch = (Vec<SearchDoc>, IndexFiles);

/// Search index files: output path and bytes.
pub type IndexFiles = Vec<(String, Arc<Vec<u8>>)>;

/// What a rebuild adds to a run: the last good run (replaced or updated on success, as it was
/// on failure), and the sources changed since (relative, `/`-separated; `None`: not known).
pub struct Rebuild<'a> {
    pub kept: &'a mut Option<Kept>,
    pub changed: Option<&'a BTreeSet<String>>,
}

/// A successful run.
#[derive(Default)]
pub struct Ran {
    pub report: BuildReport,
    /// Output paths of the files rendered (on a rebuild, the others kept their bytes), sorted.
    pub rendered: Vec<String>,
    /// Output files whose inputs changed, appeared or disappeared.
    pub changed: usize,
    /// On a rebuild: `Ok(articles read again)` when the kept model was reused, else why not.
    pub reused: Option<Result<Vec<usize>, String>>,
    /// On a rebuild that made the search index: its documents and files.
    pub search: Option<MadeSearch>,
    /// Time per stage.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Runs the whole pipeline into the options' sink. `Err` carries every problem found; on `Err`
/// nothing was written.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildReport> {
    build_with(opts, Teardown::Free)
}

/// [`build`] for a process that exits right after it (the `build` and `check` commands).
pub fn build_then_exit(opts: &BuildOptions) -> Result<BuildReport, BuildReport> {
    build_with(opts, Teardown::Leak)
}

fn build_with(opts: &BuildOptions, teardown: Teardown) -> Result<BuildReport, BuildReport> {
    let ran = match &opts.sink {
        Sink::Directory(out) => match check_output_dir(&opts.root, out) {
            Ok(target) => {
                let mut out = output::Directory::new(target, opts.list_changes);
                let mut ran = run_with(opts, &mut out, None, SearchIndex::Make, teardown);
                let (Ok(r) | Err(r)) = ran.as_mut().map(|r| &mut r.report);
                r.diagnostics.0.splice(0..0, out.recovered.take());
                r.output = out.written.take().map(Box::new);
                ran
            }
            Err(d) => Run::new(opts, teardown).fail_with(d),
        },
        Sink::Discard => run_with(
            opts,
            &mut output::Discard,
            None,
            SearchIndex::Make,
            teardown,
        ),
    };
    ran.map(|r| r.report)
}

/// The pipeline (the options' `sink` is not read: the files go to `out`). With `rebuild`, the
/// jobs whose inputs did not change since the kept run are not rendered again, and the kept
/// run is updated.
pub fn run(
    opts: &BuildOptions,
    out: &mut dyn Output,
    rebuild: Option<Rebuild<'_>>,
    search: SearchIndex<'_>,
) -> Result<Ran, BuildReport> {
    run_with(opts, out, rebuild, search, Teardown::Free)
}

fn run_with(
    opts: &BuildOptions,
    out: &mut dyn Output,
    rebuild: Option<Rebuild<'_>>,
    search: SearchIndex<'_>,
    teardown: Teardown,
) -> Result<Ran, BuildReport> {
    let mut run = Run::new(opts, teardown);
    let Some(rebuild) = rebuild else {
        return load_and_render(run, out, None, search);
    };
    // The model: the kept one with the edited articles read again, when only their bodies
    // changed; else loaded whole.
    let mut why = None;
    if let (Some(kept), Some(changed), SearchIndex::Given(_)) =
        (rebuild.kept.as_mut(), rebuild.changed, &search)
    {
        match reuse(&mut run, kept, changed, out) {
            Ok(done) => return done,
            Err(w) => why = Some(w),
        }
    }
    run.why = why;
    load_and_render(run, out, Some(rebuild.kept), search)
}

/// The search index made on its own thread.
#[derive(Default)]
struct MadeIndex {
    /// Its documents, when kept (`serve`).
    docs: Option<Vec<SearchDoc>>,
    /// Its files, when held (`serve`).
    files: Vec<(String, Vec<u8>)>,
    /// Else (`build`, `check`): the paths of the files written to the staging folder as they
    /// were made, and what failed.
    streamed: Vec<String>,
    errors: Vec<Diagnostic>,
}

/// Loads the whole site, then plans, checks and renders it.
fn load_and_render(
    mut run: Run<'_>,
    out: &mut dyn Output,
    kept: Option<&mut Option<Kept>>,
    search: SearchIndex<'_>,
) -> Result<Ran, BuildReport> {
    let opts = run.opts;
    let (site, diags) = Site::load(
        &opts.root,
        &SiteOptions {
            include_drafts: opts.include_drafts,
            base_url: opts.base_url.clone(),
            overlay: opts.overlay.clone(),
        },
    );
    run.report.diagnostics.extend(diags);
    let Some(site) = site else {
        return run.fail();
    };
    if matches!(search, SearchIndex::Make) {
        run.report.diagnostics.extend(search_client_warning(&site));
    }
    run.report.drafts = site.drafts.clone();
    run.report.scheduled = Box::new(site.scheduled.clone());
    run.report.photos_encoded = site.photos.encoded;
    run.report.photos_cached = site.photos.cached;
    run.lap("tải nội dung");
    let teardown = run.teardown;
    let keep = kept.is_some();
    let previous = kept
        .as_ref()
        .and_then(|k| k.as_ref())
        .map(|k| &k.fingerprints);
    // `build` writes the search index as it is made, so the staging folder opens first.
    let staging = match search {
        SearchIndex::Make if !keep => match out.open() {
            Ok(()) => out.staging(),
            Err(d) => return run.fail_with(d),
        },
        _ => None,
    };
    // The search index depends only on the model: it is made on its own thread while the
    // pages are planned, checked and rendered, and written last.
    let result = std::thread::scope(|scope| {
        let clock = run.clock;
        let site = &site;
        let index = match search {
            SearchIndex::Make => Indexed::Making(
                scope.spawn(move || make_index(site, keep, staging.as_deref(), clock)),
            ),
            SearchIndex::Given(files) => Indexed::Given(files),
        };
        render_site(run, site, out, index, keep.then_some(previous))
    });
    let (ran, full) = result?;
    match (kept, full) {
        (Some(kept), Some(full)) => {
            let builder = kept::KeptBuilder::new(Arc::new(site), full.jobs, full.parts);
            let new = builder.finish(
                full.inputs,
                full.readers,
                ran.report.diagnostics.0.clone(),
                full.fingerprints,
            );
            // The previous model takes a tenth of a second to free at 10 000 articles: not on
            // the way to the reload.
            drop_later(kept.replace(new));
        }
        _ if teardown == Teardown::Leak => std::mem::forget(site),
        _ => {}
    }
    Ok(ran)
}

/// The search index of `site`, made on a thread of its own (the parallel parts first: they
/// run while `plan` keeps one thread). Without `keep` (`build`), the documents' texts are cut
/// once counted and the files written into `staging` as they are made; with it (`serve`), the
/// documents and files are returned.
fn make_index(
    site: &Site,
    keep: bool,
    staging: Option<&crate::output::Staging>,
    clock: Clock,
) -> MadeIndex {
    if !keep {
        let mut to = Streamed::new(staging);
        let c = crate::output::search_index::compact_documents(
            site,
            Some(&mut |path, bytes| to.put(path, bytes)),
        );
        clock.lap("tìm kiếm: tài liệu và từ");
        crate::search::build_index_into(&c.docs, c.postings, c.written, &mut |path, bytes| {
            to.put(path, bytes)
        });
        clock.lap("tìm kiếm: chỉ mục");
        return to.made;
    }
    let docs = crate::output::search_index::documents(site);
    let postings = crate::search::postings(&docs);
    clock.lap("tìm kiếm: tài liệu và từ");
    let files = crate::search::build_index_from(&docs, postings);
    clock.lap("tìm kiếm: chỉ mục");
    MadeIndex {
        docs: Some(docs),
        files,
        ..MadeIndex::default()
    }
}

/// Search index files written into the staging folder as they are made (nothing is written
/// without one: `check`), and what was written.
struct Streamed<'s> {
    staging: Option<&'s crate::output::Staging>,
    /// Folders made so far.
    dirs: std::collections::HashSet<String>,
    made: MadeIndex,
}

impl<'s> Streamed<'s> {
    fn new(staging: Option<&'s crate::output::Staging>) -> Self {
        Streamed {
            staging,
            dirs: std::collections::HashSet::new(),
            made: MadeIndex::default(),
        }
    }

    fn put(&mut self, path: String, bytes: Vec<u8>) {
        if let Some(staging) = self.staging {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            let mut write = || {
                if !self.dirs.contains(dir) {
                    staging.prepare_dirs(std::iter::once(path.as_str()))?;
                    self.dirs.insert(dir.to_string());
                }
                staging.write(&path, &bytes)
            };
            if let Err(d) = write() {
                self.made.errors.push(d);
            }
        }
        self.made.streamed.push(path);
    }
}

/// The search index of a run.
enum Indexed<'s, 'g> {
    Making(ScopedJoinHandle<'s, MadeIndex>),
    Given(&'g [(String, Arc<Vec<u8>>)]),
}

/// What a full run leaves for [`Kept`].
struct Full {
    jobs: Vec<Job>,
    parts: crate::render::RendererParts,
    inputs: inputs::Inputs,
    readers: Vec<Vec<u32>>,
    fingerprints: HashMap<String, u64>,
}

/// Everything after the model: plan, checks, render and write, search index, commit. With
/// `rebuild` (what is kept of the last run, if any), only the jobs whose fingerprint differs
/// from the kept one are rendered, and what the next run needs is returned.
fn render_site(
    mut run: Run<'_>,
    site: &Site,
    out: &mut dyn Output,
    index: Indexed<'_, '_>,
    rebuild: Option<Option<&HashMap<String, u64>>>,
) -> Result<(Ran, Option<Full>), BuildReport> {
    let previous = rebuild.flatten();
    let (jobs, mut renderer) = plan_and_check(&mut run, site, out)?;
    // On a rebuild: what every job reads, and the jobs whose inputs changed.
    let fingerprinted = rebuild.map(|_| {
        let inputs = inputs::Inputs::new(site, renderer.summaries(), &jobs);
        let (fps, readers) = inputs.fingerprints(site, &jobs);
        (inputs, fps, readers)
    });
    let selected = changed_jobs(&jobs, fingerprinted.as_ref().map(|f| &f.1[..]), previous);
    run.lap("so sánh");
    if let Err(d) = out.open() {
        return run.fail_with(d);
    }
    let errors = render_jobs(&renderer, &selected, out);
    run.lap("dựng trang");
    if !errors.is_empty() {
        run.add_render_errors(site, errors);
        return run.fail();
    }
    // The page values are freed for the search index's thread, if it still runs: its peak
    // comes after theirs. Once it is done and the process exits right after, freeing them
    // would be a serial tail of the build for nothing.
    let index_done = matches!(&index, Indexed::Making(h) if h.is_finished());
    if rebuild.is_none() && !(index_done && run.teardown == Teardown::Leak) {
        renderer.free_page_values();
    }
    let mut rendered: Vec<String> = match rebuild {
        Some(_) => selected.iter().map(|j| j.output.clone()).collect(),
        None => Vec::new(),
    };
    drop(selected);
    let index = write_index(&mut run, &jobs, index, previous, &renderer, out)?;
    if rebuild.is_some() {
        rendered.extend(index.rendered.iter().cloned());
    }
    run.lap("chỉ mục tìm kiếm");
    if run.blocking() {
        return run.fail(); // the output is dropped uncommitted
    }
    if let Err(d) = out.commit() {
        return run.fail_with(d);
    }
    run.lap("hoàn tất");
    rendered.sort();
    let leak = run.teardown == Teardown::Leak;
    let files = jobs.len() + index.jobs.len() + index.streamed;
    let mut ran = run.finish(jobs.iter().filter(|j| j.is_html_page()).count(), files);
    ran.rendered = rendered;
    ran.changed = files;
    let Some((inputs, fps, readers)) = fingerprinted else {
        if leak {
            std::mem::forget((renderer, jobs, index));
        }
        return Ok((ran, None));
    };
    let fingerprints: HashMap<String, u64> = jobs
        .iter()
        .chain(&index.jobs)
        .zip(fps.into_iter().chain(index.fps))
        .map(|(j, fp)| (j.output.clone(), fp))
        .collect();
    if let Some(prev) = previous {
        ran.changed = changed_count(prev, &fingerprints);
    }
    ran.search = index.docs.map(|d| (d, search_files(&index.jobs)));
    let full = Full {
        jobs,
        parts: renderer.into_parts(),
        inputs,
        readers,
        fingerprints,
    };
    Ok((ran, Some(full)))
}

/// Plans the jobs, runs the checks and prepares the templates. After errors, `check` renders
/// every page anyway so template errors are listed too.
fn plan_and_check<'s>(
    run: &mut Run<'_>,
    site: &'s Site,
    out: &dyn Output,
) -> Result<(Vec<Job>, Renderer<'s>), BuildReport> {
    let report = &mut run.report;
    let (jobs, diags) = plan::plan(site);
    report.diagnostics.extend(diags);
    checks::planned_site(site, &jobs, &mut report.diagnostics.0);
    let renderer = match Renderer::new(site, &jobs) {
        Ok(r) => {
            let d = checks::loaded_templates(site, &r.tera);
            report.diagnostics.extend(d);
            r
        }
        Err(d) => {
            report.diagnostics.extend(d);
            checks::locate_template_errors(site, &mut report.diagnostics.0);
            return run.fail();
        }
    };
    run.lap("lập kế hoạch, kiểm tra, chuẩn bị mẫu");
    if run.blocking() {
        if out.lists_render_errors() {
            let all: Vec<&Job> = jobs.iter().collect();
            let errors = render_jobs(&renderer, &all, out);
            run.add_render_errors(site, errors);
        }
        return run.fail();
    }
    Ok((jobs, renderer))
}

/// The search index of a run, written.
struct WrittenIndex {
    jobs: Vec<Job>,
    fps: Vec<u64>,
    /// Output paths of the files written (the others were unchanged since `previous`).
    rendered: Vec<String>,
    docs: Option<Vec<SearchDoc>>,
    /// Files written while they were made (`build`), not among `jobs`.
    streamed: usize,
}

/// Writes the search index files (those that changed since `previous`, on a rebuild).
fn write_index(
    run: &mut Run<'_>,
    jobs: &[Job],
    index: Indexed<'_, '_>,
    previous: Option<&HashMap<String, u64>>,
    renderer: &Renderer<'_>,
    out: &dyn Output,
) -> Result<WrittenIndex, BuildReport> {
    let (index_jobs, docs, streamed) = index_jobs(run, jobs, index)?;
    let fps: Vec<u64> = index_jobs
        .iter()
        .map(|j| match &j.kind {
            JobKind::Bytes(b) => inputs::bytes_job(&j.output, b),
            _ => 0,
        })
        .collect();
    let selected = changed_jobs(&index_jobs, Some(&fps), previous);
    let errors = render_jobs(renderer, &selected, out);
    run.report.diagnostics.extend(errors);
    let rendered = selected.iter().map(|j| j.output.clone()).collect();
    drop(selected);
    Ok(WrittenIndex {
        jobs: index_jobs,
        fps,
        rendered,
        docs,
        streamed,
    })
}

/// The search index files to write as jobs, its documents when kept, and how many files were
/// written already (streamed).
type IndexJobs = (Vec<Job>, Option<Vec<SearchDoc>>, usize);

/// The search index files as jobs (joined when made on their own thread).
fn index_jobs(
    run: &mut Run<'_>,
    jobs: &[Job],
    index: Indexed<'_, '_>,
) -> Result<IndexJobs, BuildReport> {
    let (files, docs, streamed): (IndexFiles, _, _) = match index {
        Indexed::Making(handle) => {
            let Ok(made) = handle.join() else {
                return run.fail_with(Diagnostic::error(
                    "lỗi nội bộ khi dựng chỉ mục tìm kiếm (xin báo lỗi cho nhóm phát triển bantin)",
                ));
            };
            run.report.diagnostics.extend(made.errors);
            let clashes = plan::index_collisions(jobs, &made.streamed);
            run.report.diagnostics.extend(clashes);
            let files = made.files.into_iter().map(|(p, b)| (p, Arc::new(b)));
            (files.collect(), made.docs, made.streamed.len())
        }
        Indexed::Given(files) => (files.to_vec(), None, 0),
    };
    let (index_jobs, diags) = plan::index_jobs(jobs, files);
    run.report.diagnostics.extend(diags);
    Ok((index_jobs, docs, streamed))
}

/// The files of the search index jobs.
fn search_files(jobs: &[Job]) -> IndexFiles {
    jobs.iter()
        .filter_map(|j| match &j.kind {
            JobKind::Bytes(b) => Some((j.output.clone(), b.clone())),
            _ => None,
        })
        .collect()
}

/// The jobs whose fingerprint differs from the previous run's (or that are new); all of them
/// without fingerprints or a previous run.
fn changed_jobs<'j>(
    jobs: &'j [Job],
    fps: Option<&[u64]>,
    previous: Option<&HashMap<String, u64>>,
) -> Vec<&'j Job> {
    let (Some(fps), Some(previous)) = (fps, previous) else {
        return jobs.iter().collect();
    };
    jobs.iter()
        .zip(fps)
        .filter(|(j, fp)| previous.get(&j.output) != Some(fp))
        .map(|(j, _)| j)
        .collect()
}

/// Files whose fingerprint changed, appeared or disappeared.
fn changed_count(previous: &HashMap<String, u64>, now: &HashMap<String, u64>) -> usize {
    let gone = previous.keys().filter(|k| !now.contains_key(*k)).count();
    gone + now
        .iter()
        .filter(|(k, fp)| previous.get(*k) != Some(fp))
        .count()
}

/// The kept model with the edited articles at `changed` read again, and only the jobs that
/// read them fingerprinted and, when changed, rendered. `Err(why)` (the kept run and `run`
/// untouched) when the kept model cannot be reused: the whole site is loaded then.
fn reuse(
    run: &mut Run<'_>,
    kept: &mut Kept,
    changed: &BTreeSet<String>,
    out: &mut dyn Output,
) -> Result<Result<Ran, BuildReport>, String> {
    let (mut edit, diags) = kept::reread(kept, run.opts, changed)?;
    run.report.photos_encoded = edit.photos.encoded;
    run.report.photos_cached = edit.photos.cached;
    run.lap("đọc bài");
    if diags.iter().any(|d| d.is_error()) || (run.opts.strict && !diags.is_empty()) {
        run.report.diagnostics.extend(diags);
        return Ok(fail_edit(run, kept, edit));
    }
    if let Err(why) = kept::update_values(kept, &mut edit) {
        edit.undo(kept);
        return Err(why);
    }
    let Some(parts) = kept.parts.take() else {
        edit.undo(kept);
        return Err("thiếu phần chuẩn bị của mẫu".into());
    };
    run.report.diagnostics.extend(diags);
    let site: &Site = &kept.site;
    let selected: Vec<(usize, u64)> = edit
        .candidates(kept)
        .par_iter()
        .map(|&j| (j, kept.inputs.job(site, &kept.jobs[j], &mut Vec::new())))
        .filter(|(j, fp)| kept.fingerprints.get(&kept.jobs[*j].output) != Some(fp))
        .collect();
    run.lap("so sánh");
    let renderer = Renderer::from_parts(site, parts);
    let jobs: Vec<&Job> = selected.iter().map(|&(j, _)| &kept.jobs[j]).collect();
    let mut errors = match out.open() {
        Ok(()) => render_jobs(&renderer, &jobs, out),
        Err(d) => vec![d],
    };
    let mut rendered: Vec<String> = jobs.iter().map(|j| j.output.clone()).collect();
    drop(jobs);
    let parts = renderer.into_parts();
    kept.parts = Some(parts);
    run.lap("dựng trang");
    if errors.is_empty() {
        errors.extend(out.commit().err());
    }
    if !errors.is_empty() {
        run.add_render_errors(&kept.site, errors);
        return Ok(fail_edit(run, kept, edit));
    }
    for &(j, fp) in &selected {
        kept.fingerprints.insert(kept.jobs[j].output.clone(), fp);
    }
    rendered.sort();
    run.report.diagnostics.extend(kept.warnings.iter().cloned());
    let pages = kept.jobs.iter().filter(|j| j.is_html_page()).count();
    let mut ran = run.finish(pages, kept.fingerprints.len());
    ran.changed = rendered.len();
    ran.rendered = rendered;
    ran.reused = Some(Ok(edit.articles()));
    Ok(Ok(ran))
}

/// A failed run on the kept model: the model is put back, and the kept warnings join the errors.
fn fail_edit(run: &mut Run<'_>, kept: &mut Kept, edit: Edit) -> Result<Ran, BuildReport> {
    edit.undo(kept);
    run.report.diagnostics.extend(kept.warnings.iter().cloned());
    run.fail()
}

/// Drops `value` on another thread.
fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("bantin-drop".into())
        .spawn(move || drop(value));
}

/// Renders `jobs` in parallel into `out` (their folders made first); the problems found.
fn render_jobs(renderer: &Renderer<'_>, jobs: &[&Job], out: &dyn Output) -> Vec<Diagnostic> {
    if let Err(d) = out.prepare(&mut jobs.iter().map(|j| j.output.as_str())) {
        return vec![d];
    }
    jobs.par_iter()
        .filter_map(|job| {
            let result = match &job.kind {
                JobKind::Copy {
                    src,
                    immutable: false,
                } => out.put(&job.output, File::Copy(src)),
                JobKind::Copy {
                    src,
                    immutable: true,
                } => out.put(&job.output, File::Link(src)),
                // the search index, already bytes: written without a copy
                JobKind::Bytes(bytes) => out.put(&job.output, File::Shared(bytes)),
                // a card drawn by the previous build from the same values is kept as it is
                JobKind::ShareCard(card)
                    if out.reuse_card(
                        &job.output,
                        &crate::render::card::card_key(renderer.site_title(), card),
                    ) =>
                {
                    Ok(())
                }
                _ => match renderer.render(job) {
                    Ok(Some(bytes)) => out.put(&job.output, File::Rendered(bytes)),
                    Ok(None) => Ok(()),
                    Err(d) => Err(d),
                },
            };
            result.err()
        })
        .collect()
}

/// CPU time of the whole process so far (user + system), to see which stages keep both cores
/// busy. (Only for `BANTIN_TIMES`; elsewhere than on Unix it reads 0.)
#[cfg(not(unix))]
fn cpu_seconds() -> f64 {
    0.0
}

/// CPU time of the whole process so far (user + system), to see which stages keep both cores
/// busy.
#[cfg(unix)]
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage fills the struct it is given; an all-zero rusage is a valid value.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return 0.0;
    }
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

/// One run in progress: options, clock and the report collected so far.
struct Run<'o> {
    opts: &'o BuildOptions,
    teardown: Teardown,
    clock: Clock,
    report: BuildReport,
    /// Why the kept model was not reused (a rebuild only).
    why: Option<String>,
    stages: Vec<(&'static str, Duration)>,
}

/// Run start, and whether to print stage times (`BANTIN_TIMINGS`).
#[derive(Clone, Copy)]
struct Clock {
    start: Instant,
    print: bool,
}

impl Clock {
    /// With `BANTIN_TIMINGS` set: time so far and peak resident memory (Linux), to see which
    /// stage costs what.
    fn lap(&self, what: &str) {
        if !self.print {
            return;
        }
        let hwm = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM"))
                    .map(|l| l.split_whitespace().nth(1).unwrap_or("").to_string())
            })
            .unwrap_or_default();
        eprintln!(
            "[{:>8.3} s, cpu {:>6.3} s, peak {hwm} kB] {what}",
            self.start.elapsed().as_secs_f64(),
            cpu_seconds()
        );
    }
}

impl<'o> Run<'o> {
    fn new(opts: &'o BuildOptions, teardown: Teardown) -> Run<'o> {
        Run {
            opts,
            teardown,
            clock: Clock {
                start: Instant::now(),
                print: std::env::var_os("BANTIN_TIMINGS").is_some(),
            },
            report: BuildReport::default(),
            why: None,
            stages: Vec::new(),
        }
    }

    fn fail<T>(&mut self) -> Result<T, BuildReport> {
        if self.opts.strict {
            self.report.diagnostics.make_strict();
        }
        self.report.diagnostics.finish();
        self.report.elapsed = self.clock.start.elapsed();
        Err(std::mem::take(&mut self.report))
    }

    /// Fails with one more problem (an output directory that cannot be used or written).
    fn fail_with<T>(&mut self, d: Diagnostic) -> Result<T, BuildReport> {
        self.report.diagnostics.push(d);
        self.fail()
    }

    fn lap(&mut self, what: &'static str) {
        self.clock.lap(what);
        let now = self.clock.start.elapsed();
        let before: Duration = self.stages.iter().map(|(_, d)| *d).sum();
        self.stages.push((what, now.saturating_sub(before)));
    }

    fn blocking(&self) -> bool {
        let d = &self.report.diagnostics;
        d.has_errors() || (self.opts.strict && !d.is_empty())
    }

    /// Rendering errors, placed in their templates. In `check` (after other errors), a place a
    /// check has already reported is not reported again by rendering. Nor is a content file's
    /// rendering error without a place when a check has reported that file: it is the same
    /// mistake (a template named in front matter that does not exist, which
    /// `checks::content_templates` reports at its key).
    fn add_render_errors(&mut self, site: &Site, mut errors: Vec<Diagnostic>) {
        checks::locate_template_errors(site, &mut errors);
        let reported = &self.report.diagnostics;
        let is_content =
            |f: &Option<String>| f.as_deref().is_some_and(|f| f.starts_with("content/"));
        errors.retain(|e| {
            let placeless = e.line.is_none() && is_content(&e.file);
            (e.line.is_none() && !placeless)
                || !reported
                    .iter()
                    .any(|d| d.is_error() && d.file == e.file && (placeless || d.line == e.line))
        });
        self.report.diagnostics.extend(errors);
    }

    fn finish(&mut self, pages: usize, files: usize) -> Ran {
        self.report.pages = pages;
        self.report.files = files;
        self.report.diagnostics.finish();
        self.report.elapsed = self.clock.start.elapsed();
        Ran {
            report: std::mem::take(&mut self.report),
            reused: self.why.take().map(Err),
            stages: std::mem::take(&mut self.stages),
            ..Ran::default()
        }
    }
}

/// What happens to the site model and rendered values after a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Teardown {
    /// Freed as usual (library use, tests, `serve`).
    Free,
    /// Left to the operating system: the process exits right after, and freeing hundreds of
    /// thousands of strings one by one took a tenth of a second at 10 000 articles.
    Leak,
}

/// Convenience for tests and tools: builds `root` into `output`.
pub fn build_to(root: &Path, output: &Path) -> Result<BuildReport, BuildReport> {
    build(&BuildOptions {
        root: root.to_path_buf(),
        sink: Sink::Directory(output.to_path_buf()),
        include_drafts: false,
        base_url: None,
        strict: false,
        list_changes: false,
        overlay: None,
    })
}

/// A search script that reads another index format than this bantin writes (a theme copied by
/// an older `bantin init`): see [`crate::search::check_client`].
fn search_client_warning(site: &Site) -> Option<Diagnostic> {
    let (src, _) = site
        .static_files
        .iter()
        .find(|(_, rel)| rel == "js/tim-kiem.js")?;
    let script = std::fs::read_to_string(src).ok()?;
    let message = crate::search::check_client(&script).err()?;
    Some(
        Diagnostic::warning(message)
            .in_file(crate::diag::display_path(&site.root, src))
            .hint("thay tệp này bằng tệp cùng tên của giao diện mặc định trong bản bantin đang dùng: chạy `bantin init /tmp/giao-dien-moi` rồi chép themes/cong-thong-tin/static/js/tim-kiem.js từ đó sang"),
    )
}
