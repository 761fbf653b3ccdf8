//! Whether to use colour, decided once per run.

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal or git's pager.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Decides colour from `--color`, whether stdout is a terminal, and the
/// environment: `NO_COLOR` (non-empty) and `TERM=dumb` turn it off,
/// `GIT_PAGER_IN_USE` (git is paging our output) turns it on.
pub fn use_color(
    choice: ColorChoice,
    stdout_is_terminal: bool,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
                return false;
            }
            if env("TERM").as_deref() == Some("dumb") {
                return false;
            }
            let git_pager = env("GIT_PAGER_IN_USE")
                .is_some_and(|v| matches!(v.as_str(), "1" | "true" | "yes" | "on"));
            stdout_is_terminal || git_pager
        }
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

    #[test]
    fn auto_follows_terminal_and_environment() {
        use ColorChoice::*;
        assert!(use_color(Auto, true, &env(&[])));
        assert!(!use_color(Auto, false, &env(&[])));
        assert!(!use_color(Auto, true, &env(&[("NO_COLOR", "1")])));
        assert!(!use_color(Auto, true, &env(&[("TERM", "dumb")])));
        assert!(use_color(
            Auto,
            false,
            &env(&[("GIT_PAGER_IN_USE", "true")])
        ));
        assert!(use_color(Always, false, &env(&[("NO_COLOR", "1")])));
        assert!(!use_color(Never, true, &env(&[])));
    }
}
