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
//! - [`color`] — git's `color.diff` answer, fed to the shared decision in
//!   [`crate::render::color`].
//! - [`seam`] — the one call into the notebook diff renderer.

pub mod attributes;
pub mod color;
pub mod config;
pub mod driver;
pub mod revs;
pub mod seam;
pub mod settings;
pub mod show;
