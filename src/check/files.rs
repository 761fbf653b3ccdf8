//! Which notebooks `nbdiff check` reads: file arguments as given;
//! directories recursively (through `git ls-files` inside a repository, so
//! `.gitignore` is honoured; a plain walk skipping hidden folders outside
//! one); by default the notebooks git tracks under the current directory;
//! with `--staged`, the notebooks staged for commit, read from the index.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A notebook to check: how to name it, where it lives on disk (its folder
/// resolves relative data paths), and its bytes when they come from the
/// index rather than the file.
#[derive(Debug)]
pub(crate) struct Input {
    pub name: String,
    pub path: PathBuf,
    pub staged: Option<Vec<u8>>,
}

/// Listing the inputs failed (git missing or failing, unreadable folder).
#[derive(Debug, thiserror::Error)]
pub(crate) enum FilesError {
    #[error("{}: cannot list: {source}", path.display())]
    List {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("git {args}: {message}")]
    Git { args: String, message: String },
    #[error("cannot run git ({0}); --staged needs it")]
    NoGit(std::io::Error),
    #[error("--staged reads git's index, but {} is not in a git work tree", .0.display())]
    NotARepo(PathBuf),
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, FilesError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(FilesError::NoGit)?;
    if !out.status.success() {
        return Err(FilesError::Git {
            args: args.join(" "),
            message: String::from_utf8_lossy(&out.stderr).trim().to_string(),
        });
    }
    Ok(out.stdout)
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

/// Notebooks staged for commit (added, copied, modified, renamed) under the
/// current directory or `paths`, with their bytes from the index.
pub(crate) fn staged(paths: &[PathBuf]) -> Result<Vec<Input>, FilesError> {
    let mut args = vec![
        "diff",
        "--cached",
        "--name-only",
        "-z",
        "--relative",
        "--diff-filter=ACMR",
        "--",
    ];
    let specs: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    args.extend(specs.iter().map(String::as_str));
    let here = Path::new(".");
    if !inside_work_tree(here) {
        // Say why in one line rather than pass on git's usage text
        // (`git diff` outside a repository is `git diff --no-index`).
        return Err(match git(here, &["--version"]) {
            Err(e) => e,
            Ok(_) => FilesError::NotARepo(std::env::current_dir().unwrap_or_else(|_| here.into())),
        });
    }
    let listed = git(here, &args)?;
    let names: Vec<String> = nul_list(&listed)
        .filter(|n| super::is_notebook_path(Path::new(n)))
        .collect();
    let blobs = cat_index(&names)?;
    Ok(names
        .into_iter()
        .zip(blobs)
        .map(|(name, bytes)| Input {
            path: PathBuf::from(&name),
            name,
            staged: Some(bytes),
        })
        .collect())
}

/// The index's version of each path (relative to the current directory),
/// read with one `git cat-file --batch` (no textconv, no filters).
fn cat_index(names: &[String]) -> Result<Vec<Vec<u8>>, FilesError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let err = |message: String| FilesError::Git {
        args: "cat-file --batch".into(),
        message,
    };
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(FilesError::NoGit)?;
    let mut stdin = child.stdin.take().ok_or_else(|| err("no stdin".into()))?;
    let request: Vec<u8> = names
        .iter()
        .flat_map(|n| format!(":./{n}\n").into_bytes())
        .collect();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&request);
    });
    let stdout = child.stdout.take().ok_or_else(|| err("no stdout".into()))?;
    let mut reader = BufReader::new(stdout);
    let mut blobs = Vec::with_capacity(names.len());
    for name in names {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|e| err(e.to_string()))?;
        let size: usize = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| err(format!("{name}: not in the index ({})", header.trim())))?;
        let mut blob = vec![0; size + 1];
        reader
            .read_exact(&mut blob)
            .map_err(|e| err(e.to_string()))?;
        blob.pop();
        blobs.push(blob);
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(blobs)
}
