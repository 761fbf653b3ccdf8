//! The directory `config-git --enable` created for an attributes file (for
//! `--global`, usually `~/.config/git/`): recorded in git config under
//! [`KEY`] so that `--disable` removes it again, only if it is then empty,
//! leaving the user's home as it was. A directory that existed before is
//! never recorded, so never removed.

use super::{ConfigError, Git};
use std::io::Write;
use std::path::{Path, PathBuf};

/// git config key recording the top-most directory `--enable` created.
pub const KEY: &str = "nbdiff.configgit.createddir";

/// The top-most missing directory on the way to `dir` (`None`: `dir` exists).
pub fn missing_top(dir: &Path) -> Option<PathBuf> {
    let mut top = None;
    for d in dir.ancestors() {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        top = Some(d.to_path_buf());
    }
    top
}

/// Records `top` (just created by `--enable`) in the scope `flag`.
pub fn record(git: &Git, flag: &str, top: &Path) -> Result<(), ConfigError> {
    match top.to_str() {
        Some(p) => git.run(&["config", flag, KEY, p]),
        None => Ok(()), // not UTF-8: left in place rather than guessed
    }
}

/// After `--disable` removed the attributes file in `dir`: removes `dir` and
/// its parents up to the recorded directory, each only while empty, and the
/// record. Prints what it does as commands.
pub fn remove(
    git: &Git,
    flag: &str,
    dir: Option<&Path>,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<(), ConfigError> {
    let Some(recorded) = git.query(&["config", flag, "--get", KEY])? else {
        return Ok(());
    };
    writeln!(out, "git config {flag} --unset {KEY}")?;
    if !dry_run {
        git.run(&["config", flag, "--unset-all", KEY])?;
        if git
            .query(&["config", flag, "--get-regexp", r"^nbdiff\.configgit\."])?
            .is_none()
        {
            let _ = git.run(&["config", flag, "--remove-section", "nbdiff.configgit"]);
        }
    }
    let top = PathBuf::from(recorded);
    let Some(dir) = dir.filter(|d| d.starts_with(&top)) else {
        return Ok(());
    };
    for d in dir.ancestors() {
        let empty = std::fs::read_dir(d).is_ok_and(|mut it| it.next().is_none());
        if !empty && !dry_run {
            break;
        }
        writeln!(out, "rmdir {}   # created by --enable", d.display())?;
        if !dry_run {
            // remove_dir refuses a directory that is not empty: never more.
            if std::fs::remove_dir(d).is_err() {
                break;
            }
        }
        if d == top {
            break;
        }
    }
    Ok(())
}
