//! Turning the clean filter on in a repository whose notebooks were
//! committed without it: the committed notebooks the filter would change.
//!
//! Right after `config-git --enable --filter`, git compares each notebook's
//! *cleaned* content with its committed blob, so `git status` lists every
//! notebook committed with execution counts or view state as modified,
//! while `git diff` and `nbdiff` show only hidden changes. The way out is
//! git's: `git add --renormalize .` (stage each tracked file cleaned afresh)
//! and a commit. [`pending`] counts the notebooks concerned, by cleaning
//! each committed (index) blob with the filter's own code
//! ([`super::worktree::GitClean`]); [`write_steps`] says what to do.

use super::worktree::{filtered_paths, GitClean};
use crate::clean::process::CleanerFor;
use gix::bstr::{BStr, BString};
use std::io::{self, Write};
use std::path::Path;

/// The tracked notebooks (stage 0 of the index) the filter would change,
/// repository-relative, sorted. `assume_attribute`: count every `*.ipynb`
/// (before the attribute line is written, for `--dry-run`); otherwise only
/// those git gives `filter=nbdiff`. `cleaner_for` gives the filter's
/// cleaner for a folder (resolved by the command layer). `None` outside a
/// working tree.
pub fn pending(
    cwd: &Path,
    assume_attribute: bool,
    cleaner_for: &CleanerFor,
    warn: &mut dyn Write,
) -> Option<Vec<BString>> {
    let repo = gix::discover_with_environment_overrides(cwd).ok()?;
    let root = repo.workdir()?.to_path_buf();
    let index = repo.index_or_empty().ok()?;
    let notebooks: Vec<(BString, gix::ObjectId)> = index
        .entries()
        .iter()
        .filter(|e| {
            use gix::index::entry::Mode;
            e.stage_raw() == 0 && matches!(e.mode, Mode::FILE | Mode::FILE_EXECUTABLE)
        })
        .filter(|e| e.path(&index).ends_with(b".ipynb"))
        .map(|e| (e.path(&index).to_owned(), e.id))
        .collect();
    let filtered = (!assume_attribute).then(|| {
        let paths: Vec<&BStr> = notebooks.iter().map(|(p, _)| p.as_ref()).collect();
        filtered_paths(&root, &paths)
    });
    let mut clean = GitClean::new(&root, cleaner_for);
    let mut out = Vec::new();
    for (path, id) in notebooks {
        if filtered.as_ref().is_some_and(|f| !f.contains(&path)) {
            continue;
        }
        let Ok(bytes) = super::read_blob(&repo, id) else {
            continue;
        };
        let cleaned = clean.clean(path.as_ref(), bytes.clone(), warn);
        if cleaned != bytes {
            out.push(path);
        }
    }
    out.sort();
    Some(out)
}

/// Says what to do about `paths` (from [`pending`]): nothing when empty;
/// otherwise the count, a few names and git's two steps. `done`: the filter
/// is on now (`--enable`); otherwise it would be (`--dry-run`).
pub fn write_steps(paths: &[BString], done: bool, out: &mut dyn Write) -> io::Result<()> {
    if paths.is_empty() {
        return Ok(());
    }
    let n = paths.len();
    let (nb, them, they) = if n == 1 {
        ("notebook", "it", "it is")
    } else {
        ("notebooks", "them", "they are")
    };
    const SHOWN: usize = 3;
    let mut names: Vec<String> = paths
        .iter()
        .take(SHOWN)
        .map(|p| crate::render::sanitize::visible_name(&p.to_string()).into_owned())
        .collect();
    if n > SHOWN {
        names.push(format!("and {} more", n - SHOWN));
    }
    let when = if done { "now" } else { "once the filter is on" };
    writeln!(
        out,
        "# {n} committed {nb} ({}) would change under the filter: \
         {when} git lists {them} as modified until {they} committed cleaned; to do that:",
        names.join(", ")
    )?;
    writeln!(out, "git add --renormalize .   # stages the working-tree files, cleaned (commit or stash other edits first)")?;
    writeln!(out, "git commit -m 'Clean notebooks (nbdiff filter)'")
}
