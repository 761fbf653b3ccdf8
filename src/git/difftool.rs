//! `git difftool` with nbdiff's diff driver enabled.
//!
//! `git difftool` runs `git diff` with `GIT_EXTERNAL_DIFF=git-difftool--helper`
//! in the environment (and `GIT_DIFF_TOOL` / `GIT_DIFFTOOL_EXTCMD` for `-t` /
//! `-x`); the helper then launches the chosen tool on each file. But in git's
//! `diff.c`, a `diff.<driver>.command` from the attributes takes precedence
//! over `GIT_EXTERNAL_DIFF`, so with `*.ipynb diff=nbdiff` git runs
//! `nbdiff diff-driver` instead of the helper, and the chosen tool never runs.
//!
//! The driver therefore checks for difftool's helper in `GIT_EXTERNAL_DIFF`
//! and, when it is there, replaces itself with it, passing git's arguments
//! unchanged: exactly what git would have run without the driver. Any other
//! `GIT_EXTERNAL_DIFF` is left alone (git's own precedence stands).

use std::ffi::{OsStr, OsString};
use std::process::Command;

/// The external diff command difftool sets, if this process runs under
/// `git difftool`.
pub fn helper_from_env(value: Option<&OsStr>) -> Option<OsString> {
    let value = value?;
    let name = std::path::Path::new(value).file_name()?;
    (name == "git-difftool--helper").then(|| value.to_owned())
}

/// Runs difftool's `helper` with git's external-diff `args` and returns its
/// exit code (on Unix the process is replaced and this returns only when
/// the helper could not be started). `Err` names what failed.
pub fn run_helper(helper: &OsStr, args: &[OsString]) -> Result<i32, std::io::Error> {
    let mut cmd = Command::new(helper);
    cmd.args(args);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        Err(cmd.exec())
    }
    #[cfg(not(unix))]
    {
        let status = cmd.status()?;
        Ok(status.code().unwrap_or(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_difftools_helper_is_taken() {
        let h = |v: &str| helper_from_env(Some(OsStr::new(v)));
        assert!(h("git-difftool--helper").is_some());
        assert!(h("/usr/lib/git-core/git-difftool--helper").is_some());
        assert!(h("difft").is_none());
        assert!(helper_from_env(None).is_none());
    }
}
