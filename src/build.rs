//! The pipeline in one place: config → load → validate → model → plan → render → write.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::checks;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::{check_output_dir, Staging};
use crate::plan::{self, Job, JobKind};
use crate::render::Renderer;
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
}

#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// Warnings (and errors, when the build failed).
    pub diagnostics: Diagnostics,
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

/// One build in progress: options, clock and the report collected so far.
struct Run<'o> {
    opts: &'o BuildOptions,
    teardown: Teardown,
    clock: Clock,
    report: BuildReport,
}

/// Build start, and whether to print stage times (`BANTIN_TIMINGS`).
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

impl Run<'_> {
    fn fail(mut self) -> Result<BuildReport, BuildReport> {
        if self.opts.strict {
            self.report.diagnostics.make_strict();
        }
        self.report.diagnostics.finish();
        self.report.elapsed = self.clock.start.elapsed();
        Err(self.report)
    }

    /// Fails with one more problem (an output directory that cannot be used or written).
    fn fail_with(mut self, d: Diagnostic) -> Result<BuildReport, BuildReport> {
        self.report.diagnostics.push(d);
        self.fail()
    }

    fn lap(&self, what: &str) {
        self.clock.lap(what);
    }

    fn blocking(&self) -> bool {
        let d = &self.report.diagnostics;
        d.has_errors() || (self.opts.strict && !d.is_empty())
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

/// Runs the whole pipeline. `Err` carries every problem found; on `Err` nothing was written.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildReport> {
    build_with(opts, Teardown::Free)
}

/// [`build`] for a process that exits right after it (the `build` and `check` commands).
pub fn build_then_exit(opts: &BuildOptions) -> Result<BuildReport, BuildReport> {
    build_with(opts, Teardown::Leak)
}

fn build_with(opts: &BuildOptions, teardown: Teardown) -> Result<BuildReport, BuildReport> {
    let mut run = Run {
        teardown,
        opts,
        clock: Clock {
            start: Instant::now(),
            print: std::env::var_os("BANTIN_TIMINGS").is_some(),
        },
        report: BuildReport::default(),
    };
    let target = match &opts.sink {
        Sink::Directory(out) => match check_output_dir(&opts.root, out) {
            Ok(p) => Some(p),
            Err(d) => return run.fail_with(d),
        },
        Sink::Discard => None,
    };
    let (site, diags) = Site::load(
        &opts.root,
        &SiteOptions {
            include_drafts: opts.include_drafts,
            base_url: opts.base_url.clone(),
        },
    );
    run.report.diagnostics.extend(diags);
    let Some(site) = site else {
        return run.fail();
    };
    run.lap("load + model");
    // The search index depends only on the model: it is built on its own thread while the
    // pages are planned, checked and rendered, and written last.
    let result = std::thread::scope(|scope| {
        let clock = run.clock;
        let site = &site;
        let index = scope.spawn(move || {
            // The parallel parts first: they run while `plan` below keeps one thread.
            let docs = crate::output::search_index::documents(site);
            let postings = crate::search::postings(&docs);
            clock.lap("search: documents and words");
            let files = crate::search::build_index_from(&docs, postings);
            clock.lap("search: index");
            files
        });
        render_site(run, site, target.as_deref(), index)
    });
    if teardown == Teardown::Leak {
        std::mem::forget(site);
    }
    result
}

/// Everything after the model: plan, checks, render and write, search index, commit.
fn render_site(
    mut run: Run<'_>,
    site: &Site,
    target: Option<&Path>,
    index: std::thread::ScopedJoinHandle<'_, Vec<(String, Vec<u8>)>>,
) -> Result<BuildReport, BuildReport> {
    let report = &mut run.report;
    let (jobs, diags) = plan::plan(site);
    report.diagnostics.extend(diags);
    checks::planned_site(site, &jobs, &mut report.diagnostics.0);
    let renderer = match Renderer::new(site, &jobs) {
        Ok(r) => {
            report
                .diagnostics
                .extend(checks::loaded_templates(site, &r.tera));
            r
        }
        Err(d) => {
            report.diagnostics.extend(d);
            checks::locate_template_errors(site, &mut report.diagnostics.0);
            return run.fail();
        }
    };
    run.lap("plan + checks + templates");
    if run.blocking() {
        // Render anyway in `check` mode so template errors are listed too.
        if target.is_none() {
            let mut errors = render_all(&renderer, &jobs, None);
            checks::locate_template_errors(site, &mut errors);
            // A place a check has already reported is not reported again by rendering. Nor is
            // a content file's rendering error without a place when a check has reported
            // that file: it is the same mistake (a template named in front matter that does
            // not exist, which `checks::content_templates` reports at its key).
            let reported = &run.report.diagnostics;
            let is_content =
                |f: &Option<String>| f.as_deref().is_some_and(|f| f.starts_with("content/"));
            errors.retain(|e| {
                let placeless = e.line.is_none() && is_content(&e.file);
                (e.line.is_none() && !placeless)
                    || !reported.iter().any(|d| {
                        d.is_error() && d.file == e.file && (placeless || d.line == e.line)
                    })
            });
            run.report.diagnostics.extend(errors);
        }
        return run.fail();
    }
    let staging = match target {
        Some(t) => match Staging::new(t) {
            Ok(s) => Some(s),
            Err(d) => return run.fail_with(d),
        },
        None => None,
    };
    if let Some(s) = &staging {
        if let Err(d) = s.prepare_dirs(jobs.iter().map(|j| j.output.as_str())) {
            return run.fail_with(d);
        }
    }
    let errors = render_all(&renderer, &jobs, staging.as_ref());
    run.lap("render + write");
    run.report.diagnostics.extend(errors);
    checks::locate_template_errors(site, &mut run.report.diagnostics.0);
    let Ok(index) = index.join() else {
        run.report.diagnostics.push(Diagnostic::error(
            "lỗi nội bộ khi dựng chỉ mục tìm kiếm (xin báo lỗi cho nhóm phát triển bantin)",
        ));
        return run.fail();
    };
    let (index_jobs, diags) = plan::index_jobs(
        &jobs,
        index.into_iter().map(|(p, b)| (p, std::sync::Arc::new(b))),
    );
    run.report.diagnostics.extend(diags);
    if let Some(s) = &staging {
        if let Err(d) = s.prepare_dirs(index_jobs.iter().map(|j| j.output.as_str())) {
            return run.fail_with(d);
        }
    }
    let errors = render_all(&renderer, &index_jobs, staging.as_ref());
    run.report.diagnostics.extend(errors);
    run.lap("search index");
    if run.blocking() {
        return run.fail(); // staging is dropped: the temp dir is removed
    }
    if let Some(s) = staging {
        if let Err(d) = s.commit() {
            return run.fail_with(d);
        }
    }
    run.lap("commit");
    let report = &mut run.report;
    report.pages = jobs.iter().filter(|j| j.is_html_page()).count();
    report.files = jobs.len() + index_jobs.len();
    if run.teardown == Teardown::Leak {
        std::mem::forget((renderer, jobs, index_jobs));
    }
    report.diagnostics.finish();
    report.elapsed = run.clock.start.elapsed();
    Ok(run.report)
}

fn render_all(renderer: &Renderer<'_>, jobs: &[Job], staging: Option<&Staging>) -> Vec<Diagnostic> {
    jobs.par_iter()
        .filter_map(|job| {
            let result = match (&job.kind, staging) {
                (JobKind::Copy { src }, Some(s)) => s.copy(src, &job.output),
                (JobKind::Copy { src }, None) => {
                    if src.is_file() {
                        Ok(())
                    } else {
                        Err(Diagnostic::error(format!(
                            "không đọc được tệp \"{}\"",
                            src.display()
                        )))
                    }
                }
                // the search index, already bytes: written without a copy
                (JobKind::Bytes(bytes), s) => s.map_or(Ok(()), |s| s.write(&job.output, bytes)),
                (_, s) => match renderer.render(job) {
                    Ok(Some(bytes)) => s.map_or(Ok(()), |s| s.write(&job.output, &bytes)),
                    Ok(None) => Ok(()),
                    Err(d) => Err(d),
                },
            };
            result.err()
        })
        .collect()
}

/// Convenience for tests and tools: builds `root` into `output`.
pub fn build_to(root: &Path, output: &Path) -> Result<BuildReport, BuildReport> {
    build(&BuildOptions {
        root: root.to_path_buf(),
        sink: Sink::Directory(output.to_path_buf()),
        include_drafts: false,
        base_url: None,
        strict: false,
    })
}
