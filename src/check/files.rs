//! Which notebooks `nbdiff check` reads: file arguments as given;
//! directories recursively (through `git ls-files` inside a repository, so
//! `.gitignore` is honoured; a plain walk skipping hidden folders outside
//! one); by default the notebooks git tracks under the current directory;
//! with `--staged`, the notebooks staged for commit, read from the index
//! in-process ([`crate::git::revs::staged`], the same gix reading as
//! `nbdiff --cached`). git itself runs through [`crate::git::run`].

use crate::git::run::GitError;
use std::path::{Path, PathBuf};

/// A notebook to check: how to name it, where it lives on disk (its folder
/// resolves relative data paths), and its bytes when they come from the
/// index rather than the file (or why the index's version cannot be read).
#[derive(Debug)]
pub(crate) struct Input {
    pub name: String,
    pub path: PathBuf,
    pub staged: Option<Result<Vec<u8>, String>>,
}

/// Listing the inputs failed (git missing or failing, unreadable folder).
#[derive(Debug, thiserror::Error)]
pub(crate) enum FilesError {
    #[error("{}: cannot list: {source}", path.display())]
    List {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("{0}")]
    Index(String),
    #[error("--staged reads git's index, but {} is not in a git work tree", .0.display())]
    NotARepo(PathBuf),
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, FilesError> {
    Ok(crate::git::run::git(args).in_dir(dir).stdout()?)
}

/// Whether `dir` is inside a git work tree (false when git cannot run).
fn inside_work_tree(dir: &Path) -> bool {
    git(dir, &["rev-parse", "--is-inside-work-tree"]).is_ok_and(|o| o.starts_with(b"true"))
}

fn nul_list(bytes: &[u8]) -> impl Iterator<Item = String> + '_ {
    bytes
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
}

fn display(dir: &Path, rel: &str) -> String {
    if dir == Path::new(".") {
        rel.to_string()
    } else {
        dir.join(rel).display().to_string()
    }
}

/// Notebooks under `dir`: git's tracked and untracked-not-ignored files when
/// `dir` is in a work tree, else a walk.
pub(crate) fn under(dir: &Path, tracked_only: bool) -> Result<Vec<Input>, FilesError> {
    let mut args = vec!["ls-files", "-z", "--cached"];
    if !tracked_only {
        args.extend(["--others", "--exclude-standard"]);
    }
    args.extend(["--", "*.ipynb"]);
    if inside_work_tree(dir) {
        let listed = git(dir, &args)?;
        let mut names: Vec<String> = nul_list(&listed).collect();
        names.sort();
        names.dedup();
        return Ok(names
            .into_iter()
            .map(|rel| Input {
                name: display(dir, &rel),
                path: dir.join(&rel),
                staged: None,
            })
            .filter(|i| i.path.is_file())
            .collect());
    }
    let mut out = Vec::new();
    walk(dir, &mut out)?;
    out.sort();
    Ok(out
        .into_iter()
        .map(|p| Input {
            name: p.display().to_string(),
            path: p,
            staged: None,
        })
        .collect())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), FilesError> {
    let entries = std::fs::read_dir(dir).map_err(|source| FilesError::List {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = if dir == Path::new(".") {
            PathBuf::from(&name)
        } else {
            entry.path()
        };
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, out)?;
        } else if kind.is_file() && super::is_notebook_path(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// Notebooks staged for commit (added, modified, renamed) under the
/// current directory or `paths`, with their bytes from the index.
pub(crate) fn staged(paths: &[PathBuf]) -> Result<Vec<Input>, FilesError> {
    use crate::git::revs::RevError;
    let here = Path::new(".");
    let listed = crate::git::revs::staged(here, paths).map_err(|e| match e {
        RevError::NotARepository { .. } | RevError::Bare { .. } => {
            FilesError::NotARepo(std::env::current_dir().unwrap_or_else(|_| here.into()))
        }
        other => FilesError::Index(other.to_string()),
    })?;
    Ok(listed
        .into_iter()
        .map(|s| Input {
            path: PathBuf::from(&s.path),
            name: s.path,
            staged: Some(s.bytes),
        })
        .collect())
}
