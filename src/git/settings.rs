//! Every read of git configuration, in one place.
//!
//! - [`ignore_paths`]: `nbdiff.ignore`, read in-process with gix (starting a
//!   `git` process costs about 1.5 ms, most of a small diff): the
//!   repository's configuration (local, global, system, `GIT_CONFIG_*`
//!   overrides) when `cwd` is inside one; otherwise the global and system
//!   files (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_NOSYSTEM` honoured).
//! - [`values`]: the settings the command layer resolves
//!   (`crate::cli::settings`: `nbdiff.merge.*`, `merge.conflictStyle`), read
//!   in-process with gix, with the `git -c` parameters git passes on.
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

/// The last value of each of `keys` (`section.name` or
/// `section.subsection.name`) that is set, as `git config --get` gives it,
/// read in-process with gix (a `git config` process cost about 1.5 ms, half
/// of a small merge driver run): the repository's configuration when `cwd`
/// is inside one (local, global, system, `GIT_CONFIG_COUNT` overrides),
/// otherwise the global and system files; then `parameters`, the `git -c`
/// settings git hands the programs it starts (`GIT_CONFIG_PARAMETERS`, read
/// by the command layer), which win over every file. Keys compare as git's
/// do: section and name in any case, the subsection exactly.
pub fn values(cwd: &Path, keys: &[&str], parameters: Option<&str>) -> Vec<(String, String)> {
    let from_files = |get: &dyn Fn(&str) -> Option<String>| -> Vec<(String, String)> {
        keys.iter()
            .filter_map(|k| get(k).map(|v| (k.to_string(), v)))
            .collect()
    };
    let mut found = match gix::discover_with_environment_overrides(cwd) {
        Ok(repo) => {
            let snapshot = repo.config_snapshot();
            from_files(&|k| snapshot.string(k).map(|v| v.to_string()))
        }
        Err(_) => match globals() {
            Some(file) => from_files(&|k| file.string(k).map(|v| v.to_string())),
            None => Vec::new(),
        },
    };
    let given = parameters.map(command_line_parameters).unwrap_or_default();
    for key in keys {
        if let Some((_, v)) = given.iter().rev().find(|(k, _)| same_key(k, key)) {
            found.retain(|(k, _)| k != key);
            found.push((key.to_string(), v.clone()));
        }
    }
    found
}

/// Whether two config keys name the same setting: section and name in any
/// case, the subsection exactly.
fn same_key(a: &str, b: &str) -> bool {
    let split = |k: &str| -> Option<(String, String, String)> {
        let (section, rest) = k.split_once('.')?;
        let (sub, name) = rest.rsplit_once('.').unwrap_or(("", rest));
        Some((
            section.to_ascii_lowercase(),
            sub.to_string(),
            name.to_ascii_lowercase(),
        ))
    };
    split(a).is_some_and(|a| split(b).is_some_and(|b| a == b))
}

/// The `(key, value)` pairs of `GIT_CONFIG_PARAMETERS`, as git writes it for
/// `git -c key=value`: shell-quoted words, `'key'='value'` (git 2.31 and
/// later) or `'key=value'`; a key without a value is `""`. Parsing stops at
/// the first malformed word.
pub fn command_line_parameters(text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let Some((word, after)) = single_quoted(rest) else {
            break;
        };
        rest = match after.strip_prefix('=') {
            Some(value_on) => {
                let Some((value, after)) = single_quoted(value_on) else {
                    break;
                };
                pairs.push((word, value));
                after
            }
            None => {
                let (k, v) = word.split_once('=').unwrap_or((&word, ""));
                pairs.push((k.to_string(), v.to_string()));
                after
            }
        };
        rest = rest.trim_start();
    }
    pairs
}

/// One word quoted as git's `sq_quote` writes it (`'a'\''b'` for `a'b`),
/// unquoted, and what follows it.
fn single_quoted(text: &str) -> Option<(String, &str)> {
    let mut rest = text.strip_prefix('\'')?;
    let mut word = String::new();
    loop {
        let end = rest.find('\'')?;
        word.push_str(&rest[..end]);
        rest = &rest[end + 1..];
        // `'\''` and `'\!'`: a quoted character between two quoted runs.
        let mut chars = rest.chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some('\\'), Some(c), Some('\'')) => {
                word.push(c);
                rest = &rest[2 + c.len_utf8()..];
            }
            _ => return Some((word, rest)),
        }
    }
}

/// git's own answer for `color.diff` (`git config --get-colorbool`); false if
/// git cannot be run.
pub fn git_colorbool(stdout_tty: bool) -> bool {
    let tty = if stdout_tty { "true" } else { "false" };
    super::run::git(&["config", "--get-colorbool", "color.diff", tty])
        .stdout()
        .is_ok_and(|o| o.trim_ascii() == b"true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_c_parameters_in_both_of_gits_spellings() {
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        assert_eq!(
            command_line_parameters("'merge.conflictstyle'='diff3' 'nbdiff.merge.outputs'='local'"),
            pairs(&[
                ("merge.conflictstyle", "diff3"),
                ("nbdiff.merge.outputs", "local")
            ])
        );
        assert_eq!(
            command_line_parameters(" 'merge.conflictstyle=zdiff3' 'core.bare'"),
            pairs(&[("merge.conflictstyle", "zdiff3"), ("core.bare", "")])
        );
        // git's quoting of `'` and `!` inside a value.
        assert_eq!(
            command_line_parameters(r"'a.b'='it'\''s'\!''"),
            pairs(&[("a.b", "it's!")])
        );
        // Malformed: what came before is kept.
        assert_eq!(
            command_line_parameters("'a.b'='1' oops"),
            pairs(&[("a.b", "1")])
        );
    }

    #[test]
    fn keys_compare_as_gits_do() {
        assert!(same_key("merge.conflictStyle", "merge.conflictstyle"));
        assert!(same_key("NBDIFF.merge.Outputs", "nbdiff.merge.outputs"));
        assert!(!same_key("nbdiff.Merge.outputs", "nbdiff.merge.outputs"));
        assert!(!same_key("merge.conflictstyle", "merge.other"));
    }
}
