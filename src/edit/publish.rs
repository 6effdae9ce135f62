//! Publishing from the editor: `POST /dang` runs the real build ([`crate::build::build`], the
//! function `bantin build` runs: staged output swapped into `public/` at once, a failed build
//! leaves `public/` as it was) on a thread of its own, one at a time: a second request while
//! one runs joins it. `GET /dang` shows the progress and the outcome ([`Outcome`]), kept in
//! memory and in `.bantin/dang-gan-nhat.json` (so the list page still says how the last
//! publish went after a restart), never in `public/`.
//!
//! Scheduled articles (a `date` still to come, left out by the build) are published by
//! [`keep_schedule`]: a thread that runs a publish once the earliest such date has passed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::build::{BuildOptions, BuildReport, Sink};
use crate::content::load::publish_now;
use crate::diag::Diagnostic;

/// One problem of a failed publish, with where to fix it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Problem {
    /// The whole message, as `bantin build` prints it.
    pub text: String,
    /// An editor page to fix it on (`/bai/tin-tuc/a.md#tieu_de`, `/so-lieu/x.toml`), if any.
    pub link: Option<String>,
}

/// How a publish ended.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outcome {
    pub ok: bool,
    /// When it ended (RFC 3339).
    pub finished: String,
    /// Who started it (an account, or `hẹn giờ` for the scheduler).
    pub by: String,
    /// "Đã dựng 12 trang (40 tệp) trong 1,20 giây." or the count of errors.
    pub summary: String,
    pub problems: Vec<Problem>,
    /// The article approved with this publish: (title, live URL), when it is on the site.
    pub article: Option<(String, String)>,
    /// "1 bài hẹn giờ đăng: …", when some are waiting.
    pub scheduled: Option<String>,
}

#[derive(Debug, Default)]
struct State {
    running: Option<Running>,
    last: Option<Outcome>,
}

#[derive(Debug, Clone)]
struct Running {
    by: String,
    /// The article whose live page the outcome links (`content/tin-tuc/a.md`).
    article: Option<String>,
}

/// What `/dang` shows.
#[derive(Debug, Clone)]
pub enum Progress {
    Running { by: String },
    Done(Outcome),
    Never,
}

/// The editor's publisher (one per editor).
#[derive(Debug)]
pub struct Publisher {
    root: PathBuf,
    state: Mutex<State>,
}

const OUTCOME_FILE: &str = "dang-gan-nhat.json";

impl Publisher {
    pub fn new(root: PathBuf) -> Publisher {
        let last = std::fs::read(root.join(super::accounts::DIR).join(OUTCOME_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        Publisher {
            root,
            state: Mutex::new(State {
                running: None,
                last,
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn progress(&self) -> Progress {
        let s = self.lock();
        match (&s.running, &s.last) {
            (Some(r), _) => Progress::Running { by: r.by.clone() },
            (None, Some(o)) => Progress::Done(o.clone()),
            (None, None) => Progress::Never,
        }
    }

    /// Starts a publish on a thread of its own, or joins the one running (whose outcome will
    /// link `article` when it names none). `locate` finds an article's (title, live URL) after
    /// the build.
    pub fn start(
        self: &Arc<Self>,
        by: &str,
        article: Option<String>,
        locate: impl Fn(&str) -> Option<(String, String)> + Send + 'static,
    ) {
        {
            let mut s = self.lock();
            if let Some(r) = s.running.as_mut() {
                if r.article.is_none() {
                    r.article = article;
                }
                return;
            }
            s.running = Some(Running {
                by: by.to_string(),
                article,
            });
        }
        let me = self.clone();
        let spawned = std::thread::Builder::new()
            .name("bantin-dang".into())
            .spawn(move || me.run(&locate));
        if let Err(e) = spawned {
            let by = by.to_string();
            self.finish(failed_to_start(&by, &e.to_string()));
        }
    }

    fn run(&self, locate: &dyn Fn(&str) -> Option<(String, String)>) {
        let result = publish(&self.root);
        let running = self.lock().running.clone().unwrap_or(Running {
            by: String::new(),
            article: None,
        });
        let mut outcome = outcome(&result, &running.by);
        if outcome.ok {
            outcome.article = running.article.as_deref().and_then(locate);
        }
        self.finish(outcome);
    }

    fn finish(&self, outcome: Outcome) {
        if let Ok(json) = serde_json::to_vec_pretty(&outcome) {
            let dir = self.root.join(super::accounts::DIR);
            let _ = std::fs::create_dir_all(&dir);
            let _ = crate::journal::atomic::write(&dir.join(OUTCOME_FILE), &json);
        }
        let mut s = self.lock();
        s.running = None;
        s.last = Some(outcome);
    }

    /// Waits (polling) until no publish runs; for tests and the scheduler.
    pub fn wait(&self, limit: Duration) -> bool {
        let start = std::time::Instant::now();
        while self.lock().running.is_some() {
            if start.elapsed() > limit {
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        true
    }
}

fn failed_to_start(by: &str, why: &str) -> Outcome {
    Outcome {
        ok: false,
        finished: publish_now().to_rfc3339(),
        by: by.to_string(),
        summary: "Không bắt đầu đăng được.".into(),
        problems: vec![Problem {
            text: format!("không tạo được luồng dựng trang: {why}"),
            link: None,
        }],
        article: None,
        scheduled: None,
    }
}

/// The real build of `root` into `root/public`, as `bantin build` runs it.
pub fn publish(root: &Path) -> Result<BuildReport, BuildReport> {
    crate::build::build(&BuildOptions {
        root: root.to_path_buf(),
        sink: Sink::Directory(root.join("public")),
        include_drafts: false,
        base_url: None,
        strict: false,
        list_changes: false,
        overlay: None,
    })
}

fn outcome(result: &Result<BuildReport, BuildReport>, by: &str) -> Outcome {
    let (Ok(report) | Err(report)) = result;
    let ok = result.is_ok();
    let summary = if ok {
        format!(
            "Đã dựng {} trang ({} tệp) vào public/ trong {} giây.",
            report.pages,
            report.files,
            crate::locale::number::seconds(report.elapsed)
        )
    } else {
        format!(
            "Dựng trang thất bại với {} lỗi; public/ được giữ nguyên như trước.",
            report.diagnostics.error_count()
        )
    };
    let problems = report
        .diagnostics
        .0
        .iter()
        .filter(|d| d.is_error())
        .map(|d| Problem {
            text: d.to_string(),
            link: fix_link(d),
        })
        .collect();
    Outcome {
        ok,
        finished: publish_now().to_rfc3339(),
        by: by.to_string(),
        summary,
        problems,
        article: None,
        scheduled: report.scheduled_note(),
    }
}

/// Where in the editor a problem is fixed: an article's form (at the field the message names,
/// else the body), a report's figures page; `None` for anything else (its text names the
/// file, line and column).
pub fn fix_link(d: &Diagnostic) -> Option<String> {
    let file = d.file.as_deref()?;
    let data_prefix = format!("content/{}/", crate::config::DATA_DIR);
    if let Some(data) = file.strip_prefix(&data_prefix) {
        // Reports have a figures page; areas and programmes are fixed by their file:line:col.
        let name = data.strip_prefix("reports/")?;
        return name.ends_with(".toml").then(|| format!("/so-lieu/{name}"));
    }
    let rel = file.strip_prefix("content/")?;
    let name = rel.rsplit('/').next().unwrap_or("");
    if !rel.ends_with(".md") || name.starts_with('_') {
        return None;
    }
    let m = &d.message;
    let field = [
        ("title", "tieu_de"),
        ("tiêu đề", "tieu_de"),
        ("description", "mo_ta"),
        ("areas", "dia_ban"),
        ("địa bàn", "dia_ban"),
        ("projects", "du_an"),
        ("dự án", "du_an"),
        ("date", "ngay"),
    ]
    .iter()
    .find(|(word, _)| m.contains(word))
    .map_or("noi_dung", |(_, id)| id);
    Some(format!("/bai/{rel}#{field}"))
}

/// The earliest date of a published (not draft) article after the given time, if any.
pub type NextDue = Option<DateTime<FixedOffset>>;

/// Runs a publish when the earliest scheduled date has passed: it looks at most every 30 s
/// (sooner when that date is nearer) at the catalog's dates, which are loaded again after
/// every save, so a newly scheduled article is seen within one look. Dates up to the last
/// publish (the last outcome's time, else the editor's start) count as published.
pub fn keep_schedule(
    publisher: Arc<Publisher>,
    next_due: impl Fn(DateTime<FixedOffset>) -> NextDue + Send + 'static,
    locate: impl Fn(&str) -> Option<(String, String)> + Send + Sync + Clone + 'static,
) {
    let mut after = match publisher.progress() {
        Progress::Done(o) => DateTime::parse_from_rfc3339(&o.finished).ok(),
        _ => None,
    }
    .unwrap_or_else(publish_now);
    let spawned = std::thread::Builder::new()
        .name("bantin-hen-gio".into())
        .spawn(move || loop {
            let now = publish_now();
            let wait = match next_due(after) {
                Some(due) if due <= now => {
                    after = now;
                    publisher.start("hẹn giờ", None, locate.clone());
                    publisher.wait(Duration::from_secs(3600));
                    Duration::from_secs(1)
                }
                Some(due) => (due - now)
                    .to_std()
                    .unwrap_or_default()
                    .min(Duration::from_secs(30)),
                None => Duration::from_secs(30),
            };
            std::thread::sleep(wait.max(Duration::from_millis(200)));
        });
    if let Err(e) = spawned {
        eprintln!("cảnh báo: không tạo được luồng hẹn giờ đăng bài: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_link_to_where_they_are_fixed() {
        let at = |file: &str, msg: &str| fix_link(&Diagnostic::error(msg).in_file(file));
        assert_eq!(
            at("content/tin-tuc/a.md", "bài viết thiếu tiêu đề (title)").as_deref(),
            Some("/bai/tin-tuc/a.md#tieu_de")
        );
        assert_eq!(
            at("content/tin-tuc/a/index.md", "shortcode lạ").as_deref(),
            Some("/bai/tin-tuc/a/index.md#noi_dung")
        );
        assert_eq!(
            at("content/data/reports/du-an-5-2023.toml", "số tiền sai").as_deref(),
            Some("/so-lieu/du-an-5-2023.toml")
        );
        assert_eq!(at("content/data/areas.toml", "x"), None);
        assert_eq!(at("content/tin-tuc/_index.md", "x"), None);
        assert_eq!(at("config.toml", "x"), None);
        assert_eq!(fix_link(&Diagnostic::error("x")), None);
    }
}
