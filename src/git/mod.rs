//! Git integration: everything that makes `*.ipynb` files work with git.
//!
//! - [`config`] — `nbdiff config-git --enable/--disable`: writes (and removes,
//!   byte for byte) the git config entries and the `*.ipynb diff=nbdiff
//!   merge=nbdiff` attribute line for a scope.
//! - [`attributes`] — adding and removing one line of a gitattributes file
//!   without touching any other byte.
//! - [`driver`] — `nbdiff diff-driver`: git's external diff contract (7 or 9
//!   arguments, `/dev/null` for a missing side, always exit 0) with a line-diff
//!   fallback for files that are not notebooks.
//! - [`show`] — `nbdiff show NB`: the stable text rendering used as git's
//!   textconv (`git log -p`, `git show`, `git blame`).
//! - [`revs`] — `nbdiff [--cached] [REV [REV]] [-- PATH…]`: changed notebooks
//!   between revisions, the index and the working tree, read in-process with gix.
//!   Also the notebooks staged for commit that `check --staged` reads
//!   ([`revs::staged`]).
//! - [`stages`] — an unfinished merge for `resolve`: the index's conflict
//!   stages and blobs (gix), the operation's labels, marker sizes.
//! - [`run`] — the one way the `git` binary is started, where gix does not
//!   serve: a cleaned environment, errors naming the command, bounded output.
//!   No other module starts git. Every blob is read by [`read_blob`], within
//!   the read limit.
//! - [`settings`] — every read of git configuration: `nbdiff.ignore`,
//!   `nbdiff.merge.*`, and git's `color.diff` answer for the diff driver.
//! - [`pathspec`], [`rename`], [`unmerged`], [`header`] — git's
//!   pathspecs, rename detection, unmerged paths, `diff --git` file headers.
//! - [`worktree`] — the working tree as git compares it: cleaned by the
//!   `nbdiff` filter where its attribute applies.
//! - [`renormalize`] — after `config-git --enable --filter`: the committed
//!   notebooks the filter would change, and the two git commands to run.
//! - [`difftool`] — `git difftool` through the diff driver: hands git's
//!   arguments to difftool's helper, which git would have run.

pub mod attributes;
pub mod config;
pub mod difftool;
pub mod driver;
pub mod header;
pub mod pathspec;
pub mod rename;
pub mod renormalize;
pub mod revs;
pub mod run;
pub mod settings;
pub mod show;
pub mod stages;
pub mod unmerged;
pub mod worktree;

/// A blob's bytes, at most [`crate::notebook::read_limit`]: its size is
/// looked up in the object's header first, so a larger blob is never read
/// (or inflated). Every blob nbdiff reads goes through here.
pub fn read_blob(repo: &gix::Repository, id: gix::ObjectId) -> Result<Vec<u8>, String> {
    let header = repo.find_header(id).map_err(|e| e.to_string())?;
    if header.size() > crate::notebook::read_limit() {
        return Err(crate::notebook::too_large().to_string());
    }
    let blob = repo.find_blob(id).map_err(|e| e.to_string())?;
    Ok(blob.detach().data)
}
