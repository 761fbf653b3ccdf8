//! What git knows about an unfinished merge: the unmerged entries of the
//! index (stages 1 base, 2 ours, 3 theirs), the labels of the operation in
//! progress, `merge.conflictStyle` and the `conflict-marker-size` attribute.
//!
//! The index and objects are read in-process with gix; the attribute comes
//! from one `git check-attr` run (gix's attribute stack is not compiled in).

use gix::bstr::{BStr, BString, ByteSlice};
use gix::ObjectId;
use std::path::Path;

/// Why the repository could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{what}: {message}")]
pub struct GitError {
    /// What was being read.
    pub what: String,
    /// Why it failed.
    pub message: String,
}

fn git_err(what: impl std::fmt::Display, e: impl std::fmt::Display) -> GitError {
    GitError {
        what: what.to_string(),
        message: e.to_string(),
    }
}

/// One unmerged path and the blobs of its stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmerged {
    /// Repository-relative path, `/`-separated.
    pub path: BString,
    /// Stage 1 (common ancestor); `None` when both sides added the file.
    pub base: Option<ObjectId>,
    /// Stage 2 (ours); `None` when we deleted it.
    pub ours: Option<ObjectId>,
    /// Stage 3 (theirs); `None` when they deleted it.
    pub theirs: Option<ObjectId>,
}

/// The unmerged paths of the index (regular files only), in index order.
pub fn unmerged(repo: &gix::Repository) -> Result<Vec<Unmerged>, GitError> {
    let index = repo.index_or_empty().map_err(|e| git_err("the index", e))?;
    let mut out: Vec<Unmerged> = Vec::new();
    for entry in index.entries() {
        let stage = entry.stage_raw();
        if stage == 0 {
            continue;
        }
        let is_file = matches!(
            entry.mode,
            gix::index::entry::Mode::FILE | gix::index::entry::Mode::FILE_EXECUTABLE
        );
        let path = entry.path(&index);
        if out.last().is_none_or(|u| u.path != path) {
            out.push(Unmerged {
                path: path.to_owned(),
                base: None,
                ours: None,
                theirs: None,
            });
        }
        let Some(u) = out.last_mut() else { continue };
        if !is_file {
            continue;
        }
        match stage {
            1 => u.base = Some(entry.id),
            2 => u.ours = Some(entry.id),
            3 => u.theirs = Some(entry.id),
            _ => {}
        }
    }
    Ok(out)
}

/// A blob's bytes ([`super::read_blob`]: within the read limit).
pub fn blob(repo: &gix::Repository, id: ObjectId, path: &BStr) -> Result<Vec<u8>, GitError> {
    super::read_blob(repo, id).map_err(|e| git_err(format!("{path} ({id})"), e))
}

/// Marker labels of the operation in progress, as git writes them:
/// `[ours, base, theirs]`. Used when the working-tree file holds no markers
/// to read them from.
pub fn state_labels(repo: &gix::Repository) -> [String; 3] {
    let git_dir = repo.git_dir();
    let head_file = |name: &str| -> Option<ObjectId> {
        let line = crate::notebook::read_first_line(&git_dir.join(name)).ok()?;
        ObjectId::from_hex(line.trim().as_bytes()).ok()
    };
    let described = |id: ObjectId| -> String {
        use gix::prelude::ObjectIdExt;
        let short = id
            .attach(repo)
            .shorten()
            .map(|p| p.to_string())
            .unwrap_or_else(|_| id.to_hex_with_len(7).to_string());
        let subject = repo.find_commit(id).ok().and_then(|c| {
            c.message()
                .ok()
                .map(|m| m.summary().to_str_lossy().into_owned())
        });
        match subject {
            Some(s) => format!("{short} ({s})"),
            None => short,
        }
    };
    let own = |a: &str, b: &str, c: &str| [a.to_string(), b.to_string(), c.to_string()];
    if let Some(id) = head_file("MERGE_HEAD") {
        let name = merge_branch_name(git_dir).unwrap_or_else(|| id.to_hex_with_len(7).to_string());
        return own("HEAD", "base", &name);
    }
    for (file, revert) in [
        ("REBASE_HEAD", false),
        ("CHERRY_PICK_HEAD", false),
        ("REVERT_HEAD", true),
    ] {
        if let Some(id) = head_file(file) {
            let commit = described(id);
            let parent = format!("parent of {commit}");
            return if revert {
                own("HEAD", &commit, &parent)
            } else {
                own("HEAD", &parent, &commit)
            };
        }
    }
    own("ours", "base", "theirs")
}

/// The branch named in `MERGE_MSG` (`Merge branch 'x'`, `Merge
/// remote-tracking branch 'origin/x'`, `Merge tag 'v1'`, `Merge commit 'c'`):
/// its first line only, read within a bound (the rest, the user's message and
/// git's list of conflicts, may be long and need not be UTF-8).
fn merge_branch_name(git_dir: &Path) -> Option<String> {
    let first = crate::notebook::read_first_line(&git_dir.join("MERGE_MSG")).ok()?;
    let start = first.find('\'')? + 1;
    let len = first[start..].find('\'')?;
    Some(first[start..start + len].to_string())
}

/// The `conflict-marker-size` attribute of each path (repository-relative),
/// from one `git check-attr` run in `workdir`; 7 where unset or unreadable.
pub fn marker_sizes(workdir: &Path, paths: &[BString]) -> Vec<usize> {
    let paths: Vec<&BStr> = paths.iter().map(|p| p.as_bstr()).collect();
    let values = crate::git::worktree::check_attr(workdir, "conflict-marker-size", &paths);
    let mut sizes = vec![crate::text::merge3::DEFAULT_MARKER_SIZE; paths.len()];
    for (slot, value) in sizes.iter_mut().zip(values.unwrap_or_default()) {
        if let Some(n) = std::str::from_utf8(&value)
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
        {
            *slot = n;
        }
    }
    sizes
}

/// A repository path as a filesystem path (lossless on Unix).
pub fn os_path(p: &BStr) -> std::path::PathBuf {
    gix::path::from_bstr(p)
        .map(std::borrow::Cow::into_owned)
        .unwrap_or_else(|_| std::path::PathBuf::from(p.to_str_lossy().as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_branch_is_read_from_the_first_line_whatever_follows() {
        let dir = tempfile::tempdir().expect("tempdir");
        // git lists the conflicted paths as they are: not always UTF-8.
        std::fs::write(
            dir.path().join("MERGE_MSG"),
            b"Merge branch 'feature'\n\n# Conflicts:\n#\tcaf\xe9.ipynb\n",
        )
        .expect("write");
        assert_eq!(merge_branch_name(dir.path()).as_deref(), Some("feature"));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_not_opened() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("MERGE_MSG");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        // Opening it would wait for a writer that never comes.
        assert_eq!(merge_branch_name(dir.path()), None);
    }
}
