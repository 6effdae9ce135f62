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

/// Runs the whole pipeline. `Err` carries every problem found; on `Err` nothing was written.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, BuildReport> {
    let start = Instant::now();
    let mut report = BuildReport::default();
    let fail = |mut report: BuildReport, strict: bool| {
        if strict {
            report.diagnostics.make_strict();
        }
        report.diagnostics.finish();
        report.elapsed = start.elapsed();
        Err(report)
    };
    let target = match &opts.sink {
        Sink::Directory(out) => match check_output_dir(&opts.root, out) {
            Ok(p) => Some(p),
            Err(d) => {
                report.diagnostics.push(d);
                return fail(report, opts.strict);
            }
        },
        Sink::Discard => None,
    };
    let timings = std::env::var_os("BANTIN_TIMINGS").is_some();
    let lap = |what: &str| {
        if timings {
            // peak resident memory so far (Linux), to see which stage sets it
            let hwm = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find(|l| l.starts_with("VmHWM"))
                        .map(|l| l.split_whitespace().nth(1).unwrap_or("").to_string())
                })
                .unwrap_or_default();
            eprintln!(
                "[{:>8.3} s, peak {hwm} kB] {what}",
                start.elapsed().as_secs_f64()
            );
        }
    };
    let (site, diags) = Site::load(
        &opts.root,
        &SiteOptions {
            include_drafts: opts.include_drafts,
            base_url: opts.base_url.clone(),
        },
    );
    report.diagnostics.extend(diags);
    let Some(site) = site else {
        return fail(report, opts.strict);
    };
    lap("load + model");
    let (jobs, diags) = plan::plan(&site);
    lap("plan");
    report.diagnostics.extend(diags);
    report.diagnostics.extend(plan::check_links(&site, &jobs));
    checks::hide_cascades(&site, &mut report.diagnostics.0);
    // a file that already has an error (an invalid slug, a device name) is not reported twice
    let path_problems: Vec<Diagnostic> = checks::job_paths(&site, &jobs)
        .into_iter()
        .filter(|d| {
            !report
                .diagnostics
                .iter()
                .any(|e| e.is_error() && e.file.is_some() && e.file == d.file)
        })
        .collect();
    report.diagnostics.extend(path_problems);
    report.diagnostics.extend(checks::markdown_problems(&site));
    report.diagnostics.extend(checks::template_symlinks(&site));
    let renderer = match Renderer::new(&site, &jobs) {
        Ok(r) => {
            report
                .diagnostics
                .extend(checks::content_templates(&site, &r.tera));
            report
                .diagnostics
                .extend(checks::template_names(&site, &r.tera));
            Some(r)
        }
        Err(d) => {
            report.diagnostics.extend(d);
            checks::locate_template_errors(&site, &mut report.diagnostics.0);
            None
        }
    };
    lap("renderer");
    let blocking = |d: &Diagnostics| d.has_errors() || (opts.strict && !d.is_empty());
    let Some(renderer) = renderer else {
        return fail(report, opts.strict);
    };
    if blocking(&report.diagnostics) {
        // Render anyway in `check` mode so template errors are listed too.
        if target.is_none() {
            report
                .diagnostics
                .extend(render_all(&renderer, &jobs, None));
            checks::locate_template_errors(&site, &mut report.diagnostics.0);
        }
        return fail(report, opts.strict);
    }
    let staging = match &target {
        Some(t) => match Staging::new(t) {
            Ok(s) => Some(s),
            Err(d) => {
                report.diagnostics.push(d);
                return fail(report, opts.strict);
            }
        },
        None => None,
    };
    if let Some(s) = &staging {
        if let Err(d) = s.prepare_dirs(jobs.iter().map(|j| j.output.as_str())) {
            report.diagnostics.push(d);
            return fail(report, opts.strict);
        }
    }
    let errors = render_all(&renderer, &jobs, staging.as_ref());
    lap("render + write");
    report.diagnostics.extend(errors);
    checks::locate_template_errors(&site, &mut report.diagnostics.0);
    if blocking(&report.diagnostics) {
        return fail(report, opts.strict); // staging is dropped: the temp dir is removed
    }
    if let Some(s) = staging {
        if let Err(d) = s.commit() {
            report.diagnostics.push(d);
            return fail(report, opts.strict);
        }
    }
    report.pages = jobs.iter().filter(|j| j.is_html_page()).count();
    report.files = jobs.len();
    report.diagnostics.finish();
    report.elapsed = start.elapsed();
    Ok(report)
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
