//! Paging like git: when stdout is a terminal, output goes through
//! `$NBDIFF_PAGER`, `$GIT_PAGER`, `$PAGER` or `less` (with `LESS=FRX` unless
//! `LESS` is set, so short output does not page and colours pass through).

use std::process::{Child, Command, Stdio};

/// The pager command from the environment; `None` when paging is off
/// (an empty value or `cat`).
pub fn pager_command(env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let cmd = ["NBDIFF_PAGER", "GIT_PAGER", "PAGER"]
        .iter()
        .find_map(|k| env(k))
        .unwrap_or_else(|| "less".to_string());
    let cmd = cmd.trim().to_string();
    (!cmd.is_empty() && cmd != "cat").then_some(cmd)
}

/// Starts the pager with a piped stdin (`env`: where `LESS` and `LV` are
/// looked up).
pub fn spawn(cmd: &str, env: &dyn Fn(&str) -> Option<String>) -> std::io::Result<Child> {
    let mut c = Command::new("sh");
    c.arg("-c").arg(cmd).stdin(Stdio::piped());
    if env("LESS").is_none() {
        c.env("LESS", "FRX");
    }
    if env("LV").is_none() {
        c.env("LV", "-c");
    }
    c.spawn()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pager_precedence_and_off_switches() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(pager_command(&env(&[])), Some("less".into()));
        assert_eq!(
            pager_command(&env(&[("PAGER", "more"), ("GIT_PAGER", "most")])),
            Some("most".into())
        );
        assert_eq!(
            pager_command(&env(&[("NBDIFF_PAGER", "cat"), ("PAGER", "more")])),
            None
        );
        assert_eq!(pager_command(&env(&[("PAGER", "")])), None);
    }
}
