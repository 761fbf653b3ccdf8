//! `nbdiff [--cached] [REV [REV]] [PATH…] [-- PATH…]`: the changed notebooks
//! of a repository, like `git diff` but notebook-aware.
//!
//! | arguments | compares |
//! |-----------|----------|
//! | (none) | the index → the working tree |
//! | `--cached [REV]` | `REV` (default `HEAD`) → the index |
//! | `REV` | `REV` → the working tree |
//! | `REV1 REV2`, `REV1..REV2` | two commits (or trees) |
//!
//! Objects are read in-process with gix (one process, no `git` per file).
//! The two trees are walked side by side and subtrees with equal ids are skipped, so
//! the cost follows the size of the change, not of the repository. Only paths
//! ending in `.ipynb` are diffed. Paths are repository-relative in the output,
//! pathspecs are relative to the current directory (so it works from a
//! subdirectory), and a bare repository accepts two revisions.
//!
//! The working tree is compared as git compares it: where the `filter=nbdiff`
//! attribute applies and the filter is configured, a notebook is cleaned by
//! the filter's own code first ([`super::worktree`]), so that a notebook
//! `git status` calls unchanged is unchanged here too. Other clean filters
//! (`filter=…` of other tools, `core.autocrlf`) are not applied.

use super::driver;
use super::header::FileHeader;
use super::pathspec::{looks_like_pathspec, Pathspec};
use super::worktree::AsGitSees;
use crate::clean::process::CleanerFor;
use crate::compare::{Request, Sink};
use gix::bstr::{BStr, BString, ByteVec};
use gix::ObjectId;
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Why a revision diff could not run.
#[derive(Debug, thiserror::Error)]
pub enum RevError {
    /// Not inside a repository.
    #[error("{dir}: not a git repository (to diff two files, give two existing paths): {message}")]
    NotARepository {
        /// Where the search started.
        dir: String,
        /// gix's explanation.
        message: String,
    },
    /// An argument that is neither a revision nor an existing path.
    #[error("{arg}: neither a revision nor an existing path (use `--` before paths that no longer exist)")]
    Ambiguous {
        /// The argument.
        arg: String,
    },
    /// An argument after a revision that is neither an existing path nor a
    /// revision (a typo in a file name, usually).
    #[error("{arg}: no such path in the working tree, and not a revision (use `--` before paths that no longer exist)")]
    MissingPath {
        /// The argument.
        arg: String,
    },
    /// A pathspec git would reject.
    #[error(transparent)]
    Pathspec(#[from] super::pathspec::PathspecError),
    /// More than two revisions.
    #[error("at most two revisions can be compared, got {count}")]
    TooManyRevisions {
        /// How many were given.
        count: usize,
    },
    /// A revision that does not name a tree.
    #[error("{spec}: cannot be used as a revision: {message}")]
    BadRevision {
        /// The revision as given.
        spec: String,
        /// Why.
        message: String,
    },
    /// The working tree is needed but the repository is bare.
    #[error("{git_dir}: bare repository has no working tree or index; give two revisions (e.g. `nbdiff HEAD~1 HEAD`)")]
    Bare {
        /// The repository.
        git_dir: String,
    },
    /// A path that leaves the working tree.
    #[error("{path}: outside the repository")]
    OutsideRepository {
        /// The path as given.
        path: String,
    },
    /// The diff could not be written (a full disk; not a closed pipe).
    #[error("cannot write output: {source}")]
    Write {
        /// The OS error.
        source: std::io::Error,
    },
    /// The repository could not be read.
    #[error("{what}: {message}")]
    Read {
        /// What was being read (an object, the index, a file).
        what: String,
        /// Why it failed.
        message: String,
    },
}

fn read_err(what: impl std::fmt::Display, e: impl std::fmt::Display) -> RevError {
    RevError::Read {
        what: what.to_string(),
        message: e.to_string(),
    }
}

/// Where one side of a change lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A blob in the object database.
    Blob(ObjectId),
    /// A file in the working tree (repository-relative path).
    Worktree,
    /// Content already read (for rename detection), so that it is read once.
    Read(Vec<u8>),
}

/// A changed notebook: its repository-relative path and both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Repository-relative path, `/`-separated.
    pub path: BString,
    /// Where the old side is; `None` when the file was added.
    pub old: Option<Source>,
    /// Where the new side is; `None` when the file was deleted.
    pub new: Option<Source>,
    /// For a rename: the old path and git's similarity score in percent.
    pub renamed_from: Option<(BString, u32)>,
    /// The path is unmerged (conflicted) in the index.
    pub unmerged: bool,
}

impl Change {
    fn unmerged(path: BString) -> Change {
        Change {
            unmerged: true,
            ..Change::new(path, None, None)
        }
    }

    fn new(path: BString, old: Option<Source>, new: Option<Source>) -> Change {
        Change {
            path,
            old,
            new,
            renamed_from: None,
            unmerged: false,
        }
    }
}

/// What to compare, decided from the arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    IndexToWorktree,
    TreeToIndex(ObjectId),
    TreeToWorktree(ObjectId),
    TreeToTree(ObjectId, ObjectId),
}

fn is_notebook(path: &BStr) -> bool {
    path.ends_with(b".ipynb")
}

/// Runs a revision diff from `cwd` with the positional arguments `args`,
/// the paths after `--`, and `cached`. Hands each pair to `sink`.
/// `cleaner_for` gives the clean filter's cleaner for a folder (resolved by
/// the command layer), for working-tree notebooks under `filter=nbdiff`.
// The command's inputs, each plain: a struct would only rename them.
#[allow(clippy::too_many_arguments)]
pub fn run(
    cwd: &Path,
    args: &[OsString],
    paths_after_dashdash: &[PathBuf],
    cached: bool,
    opts: &Request,
    cleaner_for: &CleanerFor,
    sink: &mut Sink<'_>,
    err: &mut dyn Write,
) -> Result<bool, RevError> {
    let repo =
        gix::discover_with_environment_overrides(cwd).map_err(|e| RevError::NotARepository {
            dir: cwd.display().to_string(),
            message: e.to_string(),
        })?;
    let prefix = repo
        .prefix()
        .ok()
        .flatten()
        .map(Path::to_path_buf)
        .unwrap_or_default();

    let mut revs = Vec::new();
    let mut paths: Vec<OsString> = Vec::new();
    for arg in args {
        let as_str = arg.to_string_lossy();
        if paths.is_empty() {
            if let Ok(spec) = repo.rev_parse(as_str.as_ref()) {
                revs.push((as_str.to_string(), spec.detach()));
                continue;
            }
        }
        if cwd.join(arg).exists() || looks_like_pathspec(&as_str) {
            paths.push(arg.clone());
        } else if !revs.is_empty() {
            return Err(RevError::MissingPath { arg: as_str.into() });
        } else {
            return Err(RevError::Ambiguous { arg: as_str.into() });
        }
    }
    paths.extend(
        paths_after_dashdash
            .iter()
            .map(|p| p.as_os_str().to_owned()),
    );
    for p in &paths {
        // A plain path outside the working tree is an error, as in git.
        if !looks_like_pathspec(&p.to_string_lossy()) {
            to_repo_path(&prefix, Path::new(p))?;
        }
    }
    let root = repo
        .workdir()
        .unwrap_or_else(|| repo.git_dir())
        .to_path_buf();
    let pathspec = Pathspec::new(&paths, &prefix, &root)?;

    let tree_of = |spec: &str, id: ObjectId| -> Result<ObjectId, RevError> {
        let bad = |e: &dyn std::fmt::Display| RevError::BadRevision {
            spec: spec.to_string(),
            message: e.to_string(),
        };
        let object = repo.find_object(id).map_err(|e| bad(&e))?;
        Ok(object.peel_to_tree().map_err(|e| bad(&e))?.id)
    };
    use gix::revision::plumbing::Spec;
    let mut ids = Vec::new();
    for (text, spec) in &revs {
        match spec {
            Spec::Include(id) => ids.push(tree_of(text, *id)?),
            Spec::Range { from, to } => {
                ids.push(tree_of(text, *from)?);
                ids.push(tree_of(text, *to)?);
            }
            other => {
                return Err(RevError::BadRevision {
                    spec: text.clone(),
                    message: format!("{other:?} is not a single revision or A..B"),
                })
            }
        }
    }
    let head_tree = || -> Result<ObjectId, RevError> {
        repo.head_tree_id_or_empty()
            .map(|id| id.detach())
            .map_err(|e| read_err("HEAD", e))
    };
    let mode = match (ids.as_slice(), cached) {
        ([], false) => Mode::IndexToWorktree,
        ([], true) => Mode::TreeToIndex(head_tree()?),
        ([a], true) => Mode::TreeToIndex(*a),
        ([a], false) => Mode::TreeToWorktree(*a),
        ([a, b], false) => Mode::TreeToTree(*a, *b),
        _ => return Err(RevError::TooManyRevisions { count: ids.len() }),
    };
    if repo.workdir().is_none() && !matches!(mode, Mode::TreeToTree(..)) {
        return Err(RevError::Bare {
            git_dir: repo.git_dir().display().to_string(),
        });
    }
    let mut changes = changes(&repo, &mode, &pathspec, cleaner_for, err)?;
    detect_renames(&repo, &mut changes)?;
    let mut differs = false;
    for change in changes {
        let path = change.path.to_string();
        if change.unmerged {
            differs = true;
            match sink {
                // The report shows the conflicts side by side (resolve/mod.rs).
                Sink::Report(report) => {
                    if let Some((nb, base)) = crate::resolve::conflict_view(&repo, &path) {
                        report.add_conflicts(&path, &nb, base.as_ref());
                    }
                }
                Sink::Pairs(_, out) => {
                    let state = unmerged_state(&repo, &path);
                    if super::unmerged::write_for(&path, state, *out).is_err() {
                        return Ok(differs);
                    }
                }
            }
            continue;
        }
        let (old_path, mut header) = match &change.renamed_from {
            Some((from, score)) => (from, FileHeader::rename(&from.to_string(), &path, *score)),
            None => (&change.path, FileHeader::same(&path)),
        };
        // git's lines for an added or deleted file (an added notebook
        // without cells is then still listed).
        if change.renamed_from.is_none() {
            match (&change.old, &change.new) {
                (None, Some(_)) => header.extended.push(format!(
                    "new file mode {}",
                    mode_of(&repo, &mode, false, change.path.as_ref())
                )),
                (Some(_), None) => header.extended.push(format!(
                    "deleted file mode {}",
                    mode_of(&repo, &mode, true, change.path.as_ref())
                )),
                _ => {}
            }
        }
        let old = load(&repo, old_path.as_ref(), change.old)?;
        let new = load(&repo, change.path.as_ref(), change.new)?;
        if let Some(bytes) = &new {
            crate::merge::leftover::warn_bytes(&path, bytes, err);
        }
        // The notebook's own folder's settings, as the filter cleans it.
        // Without a working tree (a bare repository), the current directory's.
        let folder = match repo.workdir() {
            Some(top) => top.join(crate::clean::dir_of(Path::new(&path))),
            None => PathBuf::from("."),
        };
        let opts = opts.in_folder(&folder, err);
        let written = driver::diff_paths(&header, old.as_deref(), new.as_deref(), &opts, sink);
        match written {
            Ok(d) => differs |= d,
            // The reader went away (a closed pager): stop quietly.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(differs),
            Err(source) => return Err(RevError::Write { source }),
        }
    }
    Ok(differs)
}

/// A notebook staged for commit: its path relative to the directory the
/// listing started from (`/`-separated) and the index's bytes, or why they
/// could not be read (an object over the read limit, a missing object).
#[derive(Debug)]
pub struct Staged {
    /// The path relative to the starting directory.
    pub path: String,
    /// The index's version (no filter, no textconv).
    pub bytes: Result<Vec<u8>, String>,
}

/// The notebooks staged for commit under `cwd`, as `git diff --cached
/// --relative --diff-filter=ACMR -- PATHS` lists them (added, modified in
/// content or mode, renamed; not deleted, unmerged, or changed in type),
/// sorted, with their bytes from the index read in-process — each at most
/// [`crate::notebook::read_limit`] bytes. `paths` are pathspecs relative
/// to `cwd`; none means everything under `cwd`.
pub fn staged(cwd: &Path, paths: &[PathBuf]) -> Result<Vec<Staged>, RevError> {
    let not_a_repo = |message: String| RevError::NotARepository {
        dir: cwd.display().to_string(),
        message,
    };
    let repo =
        gix::discover_with_environment_overrides(cwd).map_err(|e| not_a_repo(e.to_string()))?;
    let Some(root) = repo.workdir().map(Path::to_path_buf) else {
        return Err(RevError::Bare {
            git_dir: repo.git_dir().display().to_string(),
        });
    };
    let prefix = repo
        .prefix()
        .ok()
        .flatten()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let specs: Vec<OsString> = paths.iter().map(|p| p.as_os_str().to_owned()).collect();
    let spec = Pathspec::new(&specs, &prefix, &root)?;
    let mut under = to_repo_path(Path::new(""), &prefix)?;
    if !under.is_empty() {
        under.push(b'/');
    }
    let head = repo
        .head_tree_id_or_empty()
        .map_err(|e| read_err("HEAD", e))?
        .detach();
    let old = flatten(&repo, head, &spec)?;
    let index = repo
        .index_or_empty()
        .map_err(|e| read_err("the index", e))?;
    let unmerged = unmerged_paths(&repo, &spec)?;
    let mut out = Vec::new();
    for entry in index.entries() {
        let path = entry.path(&index);
        let is_file = !matches!(
            entry.mode,
            gix::index::entry::Mode::COMMIT | gix::index::entry::Mode::DIR
        );
        if entry.stage_raw() != 0
            || !is_file
            || !is_notebook(path)
            || !path.starts_with(&under)
            || !spec.matches(path)
            || unmerged.contains(path)
        {
            continue;
        }
        let mode = entry.mode.bits();
        let listed = match old.get(path) {
            None => true,
            Some(id) => {
                let old_mode = tree_mode(&repo, head, path);
                let symlink = |m: u32| m & 0o170000 == 0o120000;
                let same_type = old_mode.is_none_or(|m| symlink(m) == symlink(mode));
                same_type && (*id != entry.id || old_mode.is_some_and(|m| m != mode))
            }
        };
        if listed {
            out.push(Staged {
                path: path[under.len()..].to_string(),
                bytes: super::read_blob(&repo, entry.id),
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// The mode of `path` in `tree` as git writes it (`0o100644`, …).
fn tree_mode(repo: &gix::Repository, tree: ObjectId, path: &BStr) -> Option<u32> {
    let tree = repo.find_tree(tree).ok()?;
    let entry = tree.lookup_entry(path.split(|b| *b == b'/')).ok()??;
    Some(u32::from(entry.mode().value()))
}

/// The file mode of one side of `path` as git writes it (`100644`,
/// `100755`, `120000`); `100644` when it cannot be read.
fn mode_of(repo: &gix::Repository, mode: &Mode, old: bool, path: &BStr) -> String {
    let from_tree = |tree: ObjectId| -> Option<u32> {
        let tree = repo.find_tree(tree).ok()?;
        let entry = tree.lookup_entry(path.split(|b| *b == b'/')).ok()??;
        Some(u32::from(entry.mode().value()))
    };
    let from_index = || -> Option<u32> {
        let index = repo.index_or_empty().ok()?;
        Some(index.entry_by_path(path)?.mode.bits())
    };
    let from_worktree = || -> Option<u32> {
        let meta = std::fs::symlink_metadata(repo.workdir_path(path)?).ok()?;
        #[cfg(unix)]
        let exec = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o111 != 0;
        #[cfg(not(unix))]
        let exec = false;
        Some(match (meta.file_type().is_symlink(), exec) {
            (true, _) => 0o120000,
            (false, true) => 0o100755,
            (false, false) => 0o100644,
        })
    };
    let found = match (mode, old) {
        (Mode::IndexToWorktree, true) => from_index(),
        (Mode::TreeToIndex(t) | Mode::TreeToWorktree(t) | Mode::TreeToTree(t, _), true) => {
            from_tree(*t)
        }
        (Mode::IndexToWorktree | Mode::TreeToWorktree(_), false) => from_worktree(),
        (Mode::TreeToIndex(_), false) => from_index(),
        (Mode::TreeToTree(_, t), false) => from_tree(*t),
    };
    format!("{:06o}", found.unwrap_or(0o100644))
}

/// Pairs deleted with added notebooks as git does by default
/// ([`super::rename`]), honouring `diff.renames` and `diff.renameLimit`.
fn detect_renames(repo: &gix::Repository, changes: &mut Vec<Change>) -> Result<(), RevError> {
    let config = repo.config_snapshot();
    // `diff.renames` is a boolean or `copies`: only an explicit false disables.
    let enabled = config.string("diff.renames").is_none_or(|v| {
        !matches!(
            v.to_string().to_ascii_lowercase().as_str(),
            "false" | "no" | "off" | "0"
        )
    });
    if !enabled {
        return Ok(());
    }
    let limit = config
        .integer("diff.renameLimit")
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n > 0)
        .unwrap_or(super::rename::DEFAULT_LIMIT);
    let plain = |c: &Change| !c.unmerged && c.renamed_from.is_none();
    let deleted: Vec<usize> = (0..changes.len())
        .filter(|&k| plain(&changes[k]) && changes[k].new.is_none())
        .collect();
    let added: Vec<usize> = (0..changes.len())
        .filter(|&k| plain(&changes[k]) && changes[k].old.is_none())
        .collect();
    if deleted.is_empty() || added.is_empty() {
        return Ok(());
    }
    // Each candidate's content is read here and kept in its change, so that
    // the diff does not read it again.
    for &k in deleted.iter().chain(&added) {
        let c = &mut changes[k];
        let side = if c.old.is_some() {
            &mut c.old
        } else {
            &mut c.new
        };
        let bytes = load(repo, c.path.as_ref(), side.take())?.unwrap_or_default();
        *side = Some(Source::Read(bytes));
    }
    let files = |ks: &[usize]| -> Vec<super::rename::File<'_>> {
        ks.iter()
            .map(|&k| {
                let c = &changes[k];
                match c.old.as_ref().or(c.new.as_ref()) {
                    Some(Source::Read(bytes)) => super::rename::File {
                        path: c.path.as_slice(),
                        bytes,
                    },
                    _ => unreachable!("read above"),
                }
            })
            .collect()
    };
    let pairs = super::rename::detect(&files(&deleted), &files(&added), limit);
    let mut drop = vec![false; changes.len()];
    for r in pairs {
        let (d, a) = (deleted[r.old], added[r.new]);
        let from = changes[d].path.clone();
        let old = changes[d].old.take();
        let target = &mut changes[a];
        target.old = old;
        target.renamed_from = Some((from, r.score));
        drop[d] = true;
    }
    let mut k = 0;
    changes.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
    Ok(())
}

/// Turns a path relative to the current directory into a repository-relative one.
pub(crate) fn to_repo_path(prefix: &Path, path: &Path) -> Result<BString, RevError> {
    let joined = prefix.join(path);
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in joined.components() {
        match c {
            Component::Normal(p) => parts.push(p),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.pop().is_none() {
                    return Err(RevError::OutsideRepository {
                        path: path.display().to_string(),
                    });
                }
            }
            Component::RootDir | Component::Prefix(_) => {
                return Err(RevError::OutsideRepository {
                    path: path.display().to_string(),
                })
            }
        }
    }
    let mut out = BString::default();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push(b'/');
        }
        out.push_str(gix::path::os_str_into_bstr(p).map_err(|e| read_err(path.display(), e))?);
    }
    Ok(out)
}

/// Lists the changed notebooks for `mode`, sorted by path.
fn changes(
    repo: &gix::Repository,
    mode: &Mode,
    spec: &Pathspec,
    cleaner_for: &CleanerFor,
    err: &mut dyn Write,
) -> Result<Vec<Change>, RevError> {
    let mut out = Vec::new();
    match *mode {
        Mode::TreeToTree(a, b) => {
            diff_trees(
                repo,
                Some(a),
                Some(b),
                &mut BString::default(),
                spec,
                &mut out,
            )?;
        }
        Mode::TreeToIndex(tree) => {
            let old = flatten(repo, tree, spec)?;
            let new = index_blobs(repo, spec)?;
            let unmerged = unmerged_paths(repo, spec)?;
            for (path, (old_id, new_id)) in pair_up(old, new) {
                if old_id != new_id && !unmerged.contains(&path) {
                    out.push(Change::new(
                        path,
                        old_id.map(Source::Blob),
                        new_id.map(Source::Blob),
                    ));
                }
            }
            out.extend(unmerged.into_iter().map(Change::unmerged));
        }
        Mode::IndexToWorktree => {
            out.extend(
                unmerged_paths(repo, spec)?
                    .into_iter()
                    .map(Change::unmerged),
            );
            let tracked = index_blobs(repo, spec)?;
            let unchanged = stat_unchanged(repo, spec)?;
            let mut wt = AsGitSees::new(
                repo,
                &tracked.keys().map(|p| p.as_ref()).collect::<Vec<_>>(),
                cleaner_for,
            );
            for (path, id) in tracked {
                if unchanged.contains(&path) {
                    continue;
                }
                if let Some(c) = against_worktree(repo, path, Some(id), &mut wt, err)? {
                    out.push(c);
                }
            }
        }
        Mode::TreeToWorktree(tree) => {
            let old = flatten(repo, tree, spec)?;
            let tracked = index_blobs(repo, spec)?;
            let unchanged = stat_unchanged(repo, spec)?;
            let mut wt = AsGitSees::new(
                repo,
                &tracked.keys().map(|p| p.as_ref()).collect::<Vec<_>>(),
                cleaner_for,
            );
            for (path, (old_id, in_index)) in pair_up(old, tracked) {
                if old_id.is_none() && in_index.is_none() {
                    continue;
                }
                if old_id == in_index && unchanged.contains(&path) {
                    continue;
                }
                if let Some(c) = against_worktree(repo, path, old_id, &mut wt, err)? {
                    out.push(c);
                }
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn pair_up(
    a: BTreeMap<BString, ObjectId>,
    mut b: BTreeMap<BString, ObjectId>,
) -> BTreeMap<BString, (Option<ObjectId>, Option<ObjectId>)> {
    let mut out = BTreeMap::new();
    for (path, id) in a {
        let other = b.remove(&path);
        out.insert(path, (Some(id), other));
    }
    for (path, id) in b {
        out.insert(path, (None, Some(id)));
    }
    out
}

/// Compares a blob (or nothing) with the working-tree file at `path`, as
/// git does: the file's content (cleaned where the filter applies) hashed
/// as a blob.
fn against_worktree(
    repo: &gix::Repository,
    path: BString,
    old: Option<ObjectId>,
    wt: &mut AsGitSees,
    err: &mut dyn Write,
) -> Result<Option<Change>, RevError> {
    let hash = |bytes: &[u8]| {
        gix::objs::compute_hash(repo.object_hash(), gix::objs::Kind::Blob, bytes)
            .map_err(|e| read_err(&path, e))
    };
    let current = read_worktree(repo, path.as_ref())?;
    let new = match current {
        None => None,
        Some(bytes) => {
            // Under the filter, even a file equal to its blob may not be
            // what git sees (a notebook committed before the filter).
            let bytes = wt.apply(path.as_ref(), bytes, err);
            if Some(hash(&bytes)?) == old {
                return Ok(None);
            }
            Some(Source::Read(bytes))
        }
    };
    if old.is_none() && new.is_none() {
        return Ok(None);
    }
    Ok(Some(Change::new(path, old.map(Source::Blob), new)))
}

/// The working-tree content at a repository-relative path (a symlink's
/// target for a symlink), or `None` when it is missing.
fn read_worktree(repo: &gix::Repository, path: &BStr) -> Result<Option<Vec<u8>>, RevError> {
    let Some(full) = repo.workdir_path(path) else {
        return Ok(None);
    };
    match std::fs::symlink_metadata(&full) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(read_err(full.display(), e)),
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = std::fs::read_link(&full).map_err(|e| read_err(full.display(), e))?;
            Ok(Some(
                gix::path::os_string_into_bstring(target.into_os_string())
                    .map_err(|e| read_err(full.display(), e))?
                    .into(),
            ))
        }
        Ok(meta) if meta.is_dir() => Ok(None),
        Ok(_) => crate::notebook::read_bounded(&full)
            .map(Some)
            .map_err(|e| read_err(full.display(), e)),
    }
}

fn load(
    repo: &gix::Repository,
    path: &BStr,
    source: Option<Source>,
) -> Result<Option<Vec<u8>>, RevError> {
    match source {
        None => Ok(None),
        Some(Source::Read(bytes)) => Ok(Some(bytes)),
        Some(Source::Blob(id)) => {
            let blob =
                super::read_blob(repo, id).map_err(|e| read_err(format!("{path} ({id})"), e))?;
            Ok(Some(blob))
        }
        Some(Source::Worktree) => read_worktree(repo, path),
    }
}

/// The notebooks of the index (stage 0), path → blob id.
fn index_blobs(
    repo: &gix::Repository,
    spec: &Pathspec,
) -> Result<BTreeMap<BString, ObjectId>, RevError> {
    let index = repo
        .index_or_empty()
        .map_err(|e| read_err("the index", e))?;
    let mut out = BTreeMap::new();
    for entry in index.entries() {
        let path = entry.path(&index);
        let is_file = !matches!(
            entry.mode,
            gix::index::entry::Mode::COMMIT | gix::index::entry::Mode::DIR
        );
        if entry.stage_raw() == 0 && is_file && is_notebook(path) && spec.matches(path) {
            out.insert(path.to_owned(), entry.id);
        }
    }
    Ok(out)
}

/// The tracked notebooks git takes as unchanged in the working tree without
/// reading them: the file's stat data match the index entry's and the entry
/// is not racily clean (or it is marked assume-valid / skip-worktree). git
/// compares the rest by content (cleaned under the filter), and so does
/// nbdiff: right after the filter is turned on, git lists a notebook
/// committed uncleaned only once its stat data change, and so does nbdiff.
fn stat_unchanged(repo: &gix::Repository, spec: &Pathspec) -> Result<BTreeSet<BString>, RevError> {
    use gix::index::entry::{Flags, Stat};
    let index = repo
        .index_or_empty()
        .map_err(|e| read_err("the index", e))?;
    let options = repo.stat_options().unwrap_or_default();
    let timestamp = index.timestamp();
    let mut out = BTreeSet::new();
    for entry in index.entries() {
        let path = entry.path(&index);
        if entry.stage_raw() != 0 || !is_notebook(path) || !spec.matches(path) {
            continue;
        }
        if entry
            .flags
            .intersects(Flags::ASSUME_VALID | Flags::SKIP_WORKTREE)
        {
            out.insert(path.to_owned());
            continue;
        }
        let Some(full) = repo.workdir_path(path) else {
            continue;
        };
        let Ok(meta) = gix::index::fs::Metadata::from_path_no_follow(&full) else {
            continue;
        };
        let Ok(stat) = Stat::from_fs(&meta) else {
            continue;
        };
        if entry.stat.matches(&stat, options) && !entry.stat.is_racy(timestamp, options) {
            out.insert(path.to_owned());
        }
    }
    Ok(out)
}

/// The notebooks with conflict stages (1–3) in the index.
fn unmerged_paths(repo: &gix::Repository, spec: &Pathspec) -> Result<BTreeSet<BString>, RevError> {
    let index = repo
        .index_or_empty()
        .map_err(|e| read_err("the index", e))?;
    Ok(index
        .entries()
        .iter()
        .filter(|e| e.stage_raw() != 0)
        .map(|e| e.path(&index))
        .filter(|p| is_notebook(p) && spec.matches(p))
        .map(|p| p.to_owned())
        .collect())
}

/// The notebooks of a tree, path → blob id.
fn flatten(
    repo: &gix::Repository,
    tree: ObjectId,
    spec: &Pathspec,
) -> Result<BTreeMap<BString, ObjectId>, RevError> {
    let mut changes = Vec::new();
    diff_trees(
        repo,
        Some(tree),
        None,
        &mut BString::default(),
        spec,
        &mut changes,
    )?;
    Ok(changes
        .into_iter()
        .filter_map(|c| match c.old {
            Some(Source::Blob(id)) => Some((c.path, id)),
            _ => None,
        })
        .collect())
}

/// A tree entry: (is a tree, id).
type Item = (bool, ObjectId);

/// One tree's entries: name → item; only trees and blob-like entries.
type Entries = BTreeMap<BString, Item>;

fn entries(
    repo: &gix::Repository,
    id: Option<ObjectId>,
    prefix: &BStr,
) -> Result<Entries, RevError> {
    let mut out = Entries::new();
    let Some(id) = id else { return Ok(out) };
    let tree = repo
        .find_tree(id)
        .map_err(|e| read_err(format!("tree {prefix}/ ({id})"), e))?;
    let decoded = tree
        .decode()
        .map_err(|e| read_err(format!("tree {prefix}/ ({id})"), e))?;
    for e in &decoded.entries {
        if e.mode.is_tree() {
            out.insert(e.filename.to_owned(), (true, e.oid.to_owned()));
        } else if e.mode.is_blob_or_symlink() {
            out.insert(e.filename.to_owned(), (false, e.oid.to_owned()));
        }
    }
    Ok(out)
}

/// Walks two trees together; equal subtrees are skipped.
fn diff_trees(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &mut BString,
    spec: &Pathspec,
    out: &mut Vec<Change>,
) -> Result<(), RevError> {
    if old == new {
        return Ok(());
    }
    let a = entries(repo, old, prefix.as_ref())?;
    let mut b = entries(repo, new, prefix.as_ref())?;
    let mut names: Vec<(BString, Option<Item>, Option<Item>)> = Vec::new();
    for (name, ea) in a {
        let eb = b.remove(&name);
        names.push((name, Some(ea), eb));
    }
    names.extend(b.into_iter().map(|(name, eb)| (name, None, Some(eb))));
    let len = prefix.len();
    for (name, ea, eb) in names {
        if ea == eb {
            continue;
        }
        if !prefix.is_empty() {
            prefix.push(b'/');
        }
        prefix.push_str(&name);
        let tree = |e: Option<Item>| e.filter(|e| e.0).map(|e| e.1);
        let blob = |e: Option<Item>| e.filter(|e| !e.0).map(|e| e.1);
        let (ta, tb) = (tree(ea), tree(eb));
        if (ta.is_some() || tb.is_some()) && spec.may_contain(prefix.as_ref()) {
            diff_trees(repo, ta, tb, prefix, spec, out)?;
        }
        let (ba, bb) = (blob(ea), blob(eb));
        if (ba.is_some() || bb.is_some())
            && ba != bb
            && is_notebook(prefix.as_ref())
            && spec.matches(prefix.as_ref())
        {
            out.push(Change::new(
                prefix.clone(),
                ba.map(Source::Blob),
                bb.map(Source::Blob),
            ));
        }
        prefix.truncate(len);
    }
    Ok(())
}

/// What the hint for the unmerged `path` (repository-relative) should fit
/// (git/unmerged.rs).
fn unmerged_state(repo: &gix::Repository, path: &str) -> super::unmerged::State {
    let file = repo.workdir().map(|w| w.join(path));
    unmerged_file_state(repo, file.as_deref(), path)
}

/// The unmerged `file` (named `name`; `None`: not in a working tree) as the
/// hint sees it, in `repo`: for `nbdiff` and the diff driver's one argument.
pub(crate) fn unmerged_file_state(
    repo: &gix::Repository,
    file: Option<&Path>,
    name: &str,
) -> super::unmerged::State {
    let enabled = repo
        .config_snapshot()
        .string("merge.nbdiff.driver")
        .is_some();
    let bytes = file.and_then(|f| crate::notebook::read_bounded(f).ok());
    super::unmerged::State::of(bytes.as_deref(), name, enabled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_paths_from_a_subdirectory() {
        let p = |prefix: &str, path: &str| {
            to_repo_path(Path::new(prefix), Path::new(path)).map(|b| b.to_string())
        };
        assert_eq!(p("sub", "a b.ipynb").ok().as_deref(), Some("sub/a b.ipynb"));
        assert_eq!(
            p("sub/deep", "../x.ipynb").ok().as_deref(),
            Some("sub/x.ipynb")
        );
        assert_eq!(p("", ".").ok().as_deref(), Some(""));
        assert!(p("", "../x").is_err());
    }
}
