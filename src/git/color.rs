//! Whether the diff driver colours its output, following git's own decision.
//!
//! git runs an external diff driver with stdout connected to its pager (or the
//! terminal), and tells it nothing about `--color`. What it does tell:
//! `GIT_PAGER_IN_USE=true` when it is paging. The driver therefore decides:
//!
//! 1. `--color=always|never` (put it in `diff.nbdiff.command` to force it);
//! 2. `NO_COLOR` set and non-empty, or `TERM=dumb` → no colour;
//! 3. otherwise ask git itself: `git config --get-colorbool color.diff
//!    <stdout-is-tty>`, which applies `color.diff`, `color.ui`, their `auto`
//!    value and `GIT_PAGER_IN_USE` exactly as git does.
//!
//! Known limit: `git diff --color=always | cat` and `git diff --no-color` are
//! not visible to the driver; the config and the pager are.

use std::process::{Command, Stdio};

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Follow git's configuration, the pager and the terminal.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// What the decision depends on, gathered once (and replaceable in tests).
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// `TERM=dumb`.
    pub term_dumb: bool,
    /// stdout is a terminal.
    pub stdout_tty: bool,
}

impl Env {
    /// Reads the process environment.
    pub fn from_process() -> Env {
        use std::io::IsTerminal;
        Env {
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            term_dumb: std::env::var_os("TERM").is_some_and(|v| v == "dumb"),
            stdout_tty: std::io::stdout().is_terminal(),
        }
    }
}

/// Decides whether to colour. `ask_git` is called only for `auto` when the
/// environment does not already say no.
pub fn decide(choice: ColorChoice, env: &Env, ask_git: impl FnOnce(bool) -> bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if env.no_color || env.term_dumb => false,
        ColorChoice::Auto => ask_git(env.stdout_tty),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_choice_wins() {
        let env = Env {
            no_color: true,
            ..Env::default()
        };
        assert!(decide(ColorChoice::Always, &env, |_| false));
        assert!(!decide(ColorChoice::Never, &Env::default(), |_| true));
    }

    #[test]
    fn auto_asks_git_unless_env_says_no() {
        assert!(decide(ColorChoice::Auto, &Env::default(), |_| true));
        let dumb = Env {
            term_dumb: true,
            ..Env::default()
        };
        assert!(!decide(ColorChoice::Auto, &dumb, |_| panic!("not asked")));
        let tty = Env {
            stdout_tty: true,
            ..Env::default()
        };
        assert!(decide(ColorChoice::Auto, &tty, |t| t));
    }
}
