//! Whether to use colour, decided once per run, by one function for every
//! command ([`use_color`]).
//!
//! Inputs: the `--color` choice; whether stdout is a terminal; `NO_COLOR`
//! (non-empty) and `TERM=dumb`, which turn `auto` off; `GIT_PAGER_IN_USE`
//! (git is paging our output), which turns it on; and, for git's external
//! diff driver, git's own `color.diff` answer (see [`crate::git::settings::diff_colorbool`]),
//! which replaces the terminal/pager test because git already applies both.

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Colour when writing to a terminal or git's pager (for the diff driver:
    /// follow git's `color.diff`).
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Every value, in the order the help lists them.
    pub const ALL: [ColorChoice; 3] = [ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never];

    /// The value's name on the command line and in settings.
    pub fn name(self) -> &'static str {
        match self {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        }
    }
}

/// What the decision depends on, gathered once (and built by hand in tests).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColorEnv {
    /// stdout is a terminal.
    pub stdout_tty: bool,
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// `TERM=dumb`.
    pub term_dumb: bool,
    /// `GIT_PAGER_IN_USE` is true: git is paging our output.
    pub git_pager: bool,
}

impl ColorEnv {
    /// Reads the variables through `var` (the process environment, or a fake).
    pub fn read(stdout_tty: bool, var: &dyn Fn(&str) -> Option<String>) -> ColorEnv {
        ColorEnv {
            stdout_tty,
            no_color: var("NO_COLOR").is_some_and(|v| !v.is_empty()),
            term_dumb: var("TERM").as_deref() == Some("dumb"),
            git_pager: var("GIT_PAGER_IN_USE")
                .is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | "on")),
        }
    }
}

/// Decides colour. `git_colorbool`, given for git's diff driver, is git's
/// answer for `color.diff` given whether stdout is a terminal; it is asked
/// only for `auto` when the environment does not already say no, and
/// replaces the terminal/`GIT_PAGER_IN_USE` test.
pub fn use_color(
    choice: ColorChoice,
    env: &ColorEnv,
    git_colorbool: Option<&dyn Fn(bool) -> bool>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if env.no_color || env.term_dumb => false,
        ColorChoice::Auto => match git_colorbool {
            Some(ask_git) => ask_git(env.stdout_tty),
            None => env.stdout_tty || env.git_pager,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    fn decide(choice: ColorChoice, tty: bool, pairs: &[(&str, &str)]) -> bool {
        use_color(choice, &ColorEnv::read(tty, &env(pairs)), None)
    }

    #[test]
    fn auto_follows_terminal_and_environment() {
        use ColorChoice::*;
        assert!(decide(Auto, true, &[]));
        assert!(!decide(Auto, false, &[]));
        assert!(!decide(Auto, true, &[("NO_COLOR", "1")]));
        assert!(!decide(Auto, true, &[("TERM", "dumb")]));
        assert!(decide(Auto, false, &[("GIT_PAGER_IN_USE", "true")]));
        assert!(decide(Always, false, &[("NO_COLOR", "1")]));
        assert!(!decide(Never, true, &[]));
    }

    #[test]
    fn explicit_choice_wins_over_git() {
        let env = ColorEnv {
            no_color: true,
            ..ColorEnv::default()
        };
        assert!(use_color(ColorChoice::Always, &env, Some(&|_| false)));
        assert!(!use_color(
            ColorChoice::Never,
            &ColorEnv::default(),
            Some(&|_| true)
        ));
    }

    #[test]
    fn auto_asks_git_unless_env_says_no() {
        assert!(use_color(
            ColorChoice::Auto,
            &ColorEnv::default(),
            Some(&|_| true)
        ));
        let dumb = ColorEnv {
            term_dumb: true,
            ..ColorEnv::default()
        };
        assert!(!use_color(
            ColorChoice::Auto,
            &dumb,
            Some(&|_| panic!("not asked"))
        ));
        let tty = ColorEnv {
            stdout_tty: true,
            ..ColorEnv::default()
        };
        assert!(use_color(ColorChoice::Auto, &tty, Some(&|t| t)));
        let paged = ColorEnv {
            git_pager: true,
            ..ColorEnv::default()
        };
        assert!(
            !use_color(ColorChoice::Auto, &paged, Some(&|_| false)),
            "git's colorbool already weighed the pager"
        );
    }
}
