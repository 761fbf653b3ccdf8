//! git's side of the diff driver's colour decision.
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

use std::process::{Command, Stdio};

/// git's own answer for `color.diff` (`git config --get-colorbool`); false if
/// git cannot be run.
pub fn git_colorbool(stdout_tty: bool) -> bool {
    Command::new("git")
        .args(["config", "--get-colorbool", "color.diff"])
        .arg(if stdout_tty { "true" } else { "false" })
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map(|o| o.status.success() && o.stdout.trim_ascii() == b"true")
        .unwrap_or(false)
}
