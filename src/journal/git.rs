//! History as git commits, when the site root is inside a git repository: each save commits
//! the one saved file on top of `HEAD` (a tree built from `HEAD`'s with that entry replaced,
//! not from the index), so whatever the user has staged or changed elsewhere stays as it is;
//! only that file's index entry is set to the saved content, as `git commit -- FILE` does.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, TimeZone};
use git2::{ErrorCode, FileMode, ObjectType, Oid, Repository, Signature, Sort};

use super::{atomic, Action, History, Save, SaveError, Version, VersionInfo};

/// The line every commit of the editor ends with, naming the [`Action`]: a commit without it
/// (made with git by hand) is [`Action::Other`].
const TRAILER: &str = "bantin: ";

/// Git wants an e-mail address; accounts have none. A reserved domain (RFC 2606) makes plain
/// that it is not a real address.
const EMAIL_HOST: &str = "bantin.invalid";

fn email(account: &str) -> String {
    format!("{}@{EMAIL_HOST}", crate::locale::slugify(account))
}

pub(super) struct Store {
    repo: Repository,
    /// The site root relative to the work tree, `/`-separated, empty or ending with `/`.
    prefix: String,
}

fn git_err(e: git2::Error) -> SaveError {
    SaveError::Git(e.message().to_string())
}

impl Store {
    /// The repository the site root is in, if any (and not bare).
    pub fn open(root: &Path) -> Result<Option<Store>, SaveError> {
        let repo = match Repository::discover(root) {
            Ok(r) => r,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(git_err(e)),
        };
        let Some(workdir) = repo.workdir() else {
            return Ok(None);
        };
        let canon = |p: &Path| {
            std::fs::canonicalize(p).map_err(|e| SaveError::io("không đọc được thư mục", p, e))
        };
        let (root, workdir) = (canon(root)?, canon(workdir)?);
        let Ok(inside) = root.strip_prefix(&workdir) else {
            return Ok(None);
        };
        let mut prefix = String::new();
        for c in inside.components() {
            prefix.push_str(&c.as_os_str().to_string_lossy());
            prefix.push('/');
        }
        Ok(Some(Store { repo, prefix }))
    }

    /// The `.git` folder.
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    fn in_repo(&self, rel: &str) -> PathBuf {
        PathBuf::from(format!("{}{rel}", self.prefix))
    }

    /// The tip of the current branch; `None` before the first commit.
    fn head(&self) -> Result<Option<git2::Commit<'_>>, SaveError> {
        match self.repo.head() {
            Ok(h) => h.peel_to_commit().map(Some).map_err(git_err),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(git_err(e)),
        }
    }

    /// The blob of `path` in `commit` and its file mode, if there.
    fn entry(commit: &git2::Commit<'_>, path: &Path) -> Option<(Oid, i32)> {
        let e = commit.tree().ok()?.get_path(path).ok()?;
        (e.kind() == Some(ObjectType::Blob)).then(|| (e.id(), e.filemode()))
    }

    /// Writes the file and commits it. Content on disk that `HEAD` lacks (changed by hand since
    /// the last commit) is committed first, so the save does not lose it.
    pub fn save(&self, s: &Save) -> Result<(), SaveError> {
        let path = self.in_repo(s.rel);
        if let Some(cur) = s.current {
            let head = self.head()?;
            let in_head = head
                .as_ref()
                .and_then(|c| Self::entry(c, &path))
                .map(|e| e.0);
            if in_head != Some(Oid::hash_object(ObjectType::Blob, cur).map_err(git_err)?) {
                let sig = self
                    .repo
                    .signature()
                    .or_else(|_| Signature::now("bantin", EMAIL_HOST));
                let sig = sig.map_err(git_err)?;
                let msg = format!("Lưu bản có sẵn của {} trước khi sửa", s.rel);
                self.commit(&path, cur, &sig, &msg, Action::Existing, None)?;
            }
        }
        atomic::write(s.target, s.bytes)?;
        let offset = s.time.offset().local_minus_utc() / 60;
        let when = git2::Time::new(s.time.timestamp(), offset);
        let sig = Signature::new(s.author, &email(s.author), &when).map_err(git_err)?;
        self.commit(&path, s.bytes, &sig, &s.message(), s.action, None)?;
        self.stage(&path)
    }

    /// Writes `s` (a new file) and commits it with `from` removed, in one commit: a checkout
    /// of any commit never has the article twice. The caller removes `from` from the disk.
    pub fn save_moved(&self, s: &Save, from: &str) -> Result<(), SaveError> {
        let (path, old) = (self.in_repo(s.rel), self.in_repo(from));
        atomic::write(s.target, s.bytes)?;
        let offset = s.time.offset().local_minus_utc() / 60;
        let when = git2::Time::new(s.time.timestamp(), offset);
        let sig = Signature::new(s.author, &email(s.author), &when).map_err(git_err)?;
        let msg = format!("Chuyển bài {from} thành {} (bài có ảnh)", s.rel);
        self.commit(&path, s.bytes, &sig, &msg, s.action, Some(&old))?;
        let mut index = self.repo.index().map_err(git_err)?;
        // Not in the index (never committed) is fine: nothing to unstage.
        let _ = index.remove_path(&old);
        index.add_path(&path).map_err(git_err)?;
        index.write().map_err(git_err)
    }

    /// One commit on `HEAD` whose tree is `HEAD`'s with `path` set to `bytes`. `HEAD` is
    /// updated only if it has not moved meanwhile (libgit2 checks the first parent).
    fn commit(
        &self,
        path: &Path,
        bytes: &[u8],
        sig: &Signature<'_>,
        message: &str,
        action: Action,
        remove: Option<&Path>,
    ) -> Result<(), SaveError> {
        let repo = &self.repo;
        let head = self.head()?;
        let base_tree = match &head {
            Some(c) => c.tree().map_err(git_err)?,
            None => {
                let empty = repo
                    .treebuilder(None)
                    .and_then(|b| b.write())
                    .map_err(git_err)?;
                repo.find_tree(empty).map_err(git_err)?
            }
        };
        let mode = match head.as_ref().and_then(|c| Self::entry(c, path)) {
            Some((_, m)) if m == i32::from(FileMode::BlobExecutable) => FileMode::BlobExecutable,
            _ => FileMode::Blob,
        };
        let blob = repo.blob(bytes).map_err(git_err)?;
        let mut update = git2::build::TreeUpdateBuilder::new();
        update.upsert(path.to_string_lossy().as_ref(), blob, mode);
        if let Some(old) = remove {
            update.remove(old.to_string_lossy().as_ref());
        }
        let tree = update.create_updated(repo, &base_tree).map_err(git_err)?;
        let tree = repo.find_tree(tree).map_err(git_err)?;
        let message = format!("{message}\n\n{TRAILER}{}\n", action.label());
        let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
        repo.commit(Some("HEAD"), sig, sig, &message, &tree, &parents)
            .map_err(git_err)?;
        Ok(())
    }

    /// Sets the index entry of `path` to the file on disk (just committed), leaving every
    /// other entry as the user staged it.
    fn stage(&self, path: &Path) -> Result<(), SaveError> {
        let mut index = self.repo.index().map_err(git_err)?;
        index.add_path(path).map_err(git_err)?;
        index.write().map_err(git_err)
    }

    /// Every commit that changed `rel` (compared with its first parent), newest first.
    fn changes(&self, rel: &str) -> Result<Vec<(git2::Commit<'_>, Oid)>, SaveError> {
        let path = self.in_repo(rel);
        let Some(_) = self.head()? else {
            return Ok(Vec::new());
        };
        let mut walk = self.repo.revwalk().map_err(git_err)?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(git_err)?;
        walk.push_head().map_err(git_err)?;
        let mut out = Vec::new();
        for oid in walk {
            let commit = self
                .repo
                .find_commit(oid.map_err(git_err)?)
                .map_err(git_err)?;
            let Some((blob, _)) = Self::entry(&commit, &path) else {
                continue;
            };
            let before = commit.parent(0).ok().and_then(|p| Self::entry(&p, &path));
            if before.map(|e| e.0) != Some(blob) {
                out.push((commit, blob));
            }
        }
        Ok(out)
    }

    fn info(
        &self,
        commit: &git2::Commit<'_>,
        blob: Oid,
    ) -> Result<(Vec<u8>, VersionInfo), SaveError> {
        let bytes = self
            .repo
            .find_blob(blob)
            .map_err(git_err)?
            .content()
            .to_vec();
        let author = commit.author();
        let when = author.when();
        let time = FixedOffset::east_opt(when.offset_minutes() * 60)
            .and_then(|o| o.timestamp_opt(when.seconds(), 0).single())
            .unwrap_or_else(|| DateTime::UNIX_EPOCH.fixed_offset());
        let info = VersionInfo {
            version: Version::of(&bytes),
            author: author.name().unwrap_or_default().to_string(),
            time,
            action: action_of(commit.message().unwrap_or_default()),
            commit: Some(commit.id().to_string()),
        };
        Ok((bytes, info))
    }

    pub fn history(&self, rel: &str) -> Result<History, SaveError> {
        let versions = self
            .changes(rel)?
            .iter()
            .map(|(c, b)| self.info(c, *b).map(|(_, i)| i))
            .collect::<Result<_, _>>()?;
        Ok(History {
            versions,
            warnings: Vec::new(),
        })
    }

    pub fn read(
        &self,
        rel: &str,
        v: &Version,
    ) -> Result<Option<(Vec<u8>, VersionInfo)>, SaveError> {
        for (c, b) in self.changes(rel)? {
            let found = self.info(&c, b)?;
            if &found.1.version == v {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }
}

/// The action an editor commit names in its last line; any other commit is [`Action::Other`].
fn action_of(message: &str) -> Action {
    let last = message.trim_end().lines().last().unwrap_or_default();
    let label = last.strip_prefix(TRAILER).unwrap_or_default();
    [
        Action::Create,
        Action::Edit,
        Action::Restore,
        Action::Existing,
    ]
    .into_iter()
    .find(|a| a.label() == label)
    .unwrap_or(Action::Other)
}
