//! Every read of git configuration, in one place.
//!
//! - [`ignore_paths`]: `nbdiff.ignore`, read in-process with gix (starting a
//!   `git` process costs about 1.5 ms, most of a small diff): the
//!   repository's configuration (local, global, system, `GIT_CONFIG_*`
//!   overrides) when `cwd` is inside one; otherwise the global and system
//!   files (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_NOSYSTEM` honoured).
//! - [`merge_settings`]: `nbdiff.merge.*` for the merge driver, one `git
//!   config` process, only when a policy is not given otherwise.
//! - [`git_colorbool`]: git's own answer for `color.diff`, for the diff driver.
//!
//! Writing configuration (`config-git`) lives in [`super::config`].
//!
//! ## The diff driver's colour
//!
//! git runs an external diff driver with stdout connected to its pager (or the
//! terminal), and tells it nothing about `--color`. The driver decides with
//! the shared [`use_color`](crate::render::color::use_color):
//!
//! 1. `--color=always|never` (put it in `diff.nbdiff.command` to force it);
//! 2. `NO_COLOR` set and non-empty, or `TERM=dumb` → no colour;
//! 3. otherwise git itself is asked ([`git_colorbool`]): `git config
//!    --get-colorbool color.diff <stdout-is-tty>` applies `color.diff`,
//!    `color.ui`, their `auto` value and `GIT_PAGER_IN_USE` exactly as git does.
//!
//! Known limit: `git diff --color=always | cat` and `git diff --no-color` are
//! not visible to the driver; the config and the pager are.

use gix::config::{File, Source};
use std::path::Path;

/// The multi-valued key naming the user's volatile paths.
pub const IGNORE_KEY: &str = "nbdiff.ignore";

/// Every value of `nbdiff.ignore`, lowest precedence first.
pub fn ignore_paths(cwd: &Path) -> Vec<String> {
    let values = match gix::discover_with_environment_overrides(cwd) {
        Ok(repo) => repo.config_snapshot().strings(IGNORE_KEY),
        Err(_) => globals().and_then(|f| f.strings(IGNORE_KEY)),
    };
    values
        .unwrap_or_default()
        .iter()
        .map(|v| v.to_string())
        .filter(|v| !v.trim().is_empty())
        .collect()
}

/// The system and global config files, without asking a `git` binary where
/// its installation's file is.
fn globals() -> Option<File> {
    let metas = [Source::System, Source::Git, Source::User]
        .into_iter()
        .filter_map(|source| {
            let path = source.storage_location(&mut gix::path::env::var)?;
            path.is_file()
                .then(|| gix::config::file::Metadata::from(source).at(path))
        });
    File::from_paths_metadata(metas, Default::default())
        .ok()
        .flatten()
}

/// `git config --get-regexp ^nbdiff\.merge\.` as `(key, value)` pairs (git
/// prints keys with the section and name in lower case).
pub fn merge_settings() -> Vec<(String, String)> {
    let Ok(out) = super::run::git(&[
        "config",
        "--get-regexp",
        r"^nbdiff\.merge\.|^merge\.conflictstyle$",
    ])
    .stdout() else {
        return Vec::new();
    };
    String::from_utf8_lossy(&out)
        .lines()
        .map(|line| match line.split_once(' ') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (line.to_string(), String::new()),
        })
        .collect()
}

/// git's own answer for `color.diff` (`git config --get-colorbool`); false if
/// git cannot be run.
pub fn git_colorbool(stdout_tty: bool) -> bool {
    let tty = if stdout_tty { "true" } else { "false" };
    super::run::git(&["config", "--get-colorbool", "color.diff", tty])
        .stdout()
        .is_ok_and(|o| o.trim_ascii() == b"true")
}
