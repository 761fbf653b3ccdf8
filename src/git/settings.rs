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
//! - [`diff_colorbool`]: git's answer for `color.diff`, for the diff driver,
//!   decided in-process where git's rules can be reproduced, else asked of
//!   git ([`git_colorbool`]).
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
//! 3. otherwise git's answer for `color.diff` ([`diff_colorbool`]): what
//!    `git config --get-colorbool color.diff <stdout-is-tty>` says, decided
//!    in-process from `color.diff`, `diff.color`, `color.ui` (their last
//!    values, `git -c` included) with git's rules: `never`/`always`/`auto`,
//!    booleans (true means `auto`), `auto` = stdout is a terminal or
//!    `GIT_PAGER_IN_USE`, and `TERM` set and not `dumb`. Where a value could
//!    be read differently by git (a number, a word git refuses, `color.pager`
//!    set), git itself is asked (one process, [`git_colorbool`]); a test
//!    compares the two over the combinations.
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
/// git cannot be run. The fallback of [`diff_colorbool`].
pub fn git_colorbool(stdout_tty: bool) -> bool {
    let tty = if stdout_tty { "true" } else { "false" };
    super::run::git(&["config", "--get-colorbool", "color.diff", tty])
        .stdout()
        .is_ok_and(|o| o.trim_ascii() == b"true")
}

/// What git's colour decision reads from its environment, read by the
/// command layer (`cli/git.rs`) and handed here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColorboolEnv {
    /// `TERM`: unset or `dumb` is a dumb terminal, where `auto` means no.
    pub term: Option<String>,
    /// `GIT_PAGER_IN_USE`: git is paging the output.
    pub pager_in_use: Option<String>,
    /// `GIT_CONFIG_PARAMETERS`: the `git -c` settings.
    pub parameters: Option<String>,
}

/// The keys `git config --get-colorbool color.diff` reads, the first set
/// one deciding (`diff.color` is `color.diff`'s old name); and `color.pager`,
/// which git's `auto` may read under its pager.
const COLOR_KEYS: [&str; 4] = ["color.diff", "diff.color", "color.ui", "color.pager"];

/// git's answer for `color.diff` as `git config --get-colorbool color.diff
/// <stdout_tty>` gives it (see the module docs), decided in-process from git
/// config (read with gix, `git -c` included) where git's rules can be
/// reproduced; otherwise ([`colorbool_in`] says `None`) git is asked
/// ([`git_colorbool`]).
pub fn diff_colorbool(cwd: &Path, stdout_tty: bool, env: &ColorboolEnv) -> bool {
    let decided = match gix::discover_with_environment_overrides(cwd) {
        Ok(repo) => colorbool_in(repo.config_snapshot().plumbing(), stdout_tty, env),
        Err(_) => globals().and_then(|file| colorbool_in(&file, stdout_tty, env)),
    };
    decided.unwrap_or_else(|| git_colorbool(stdout_tty))
}

/// A colour setting as git reads one (`git_config_colorbool`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Colorbool {
    Never,
    Always,
    Auto,
}

/// git's `--get-colorbool color.diff` from `config` and `env`, or `None`
/// where this could differ from git: a value that is not one of git's words
/// (`never`, `always`, `auto`, `true`/`yes`/`on`, `false`/`no`/`off`, `1`,
/// `0`, empty, or a key without `=`; git would parse other numbers or stop
/// with an error), in any file or `git -c` (git reads them all), an empty
/// `git -c` value (git's two spellings of
/// "empty" and "no value" look alike there), `color.pager` set (newer git
/// may read it under its pager), or a `GIT_PAGER_IN_USE` that is not a
/// boolean word.
fn colorbool_in(config: &gix::config::File, stdout_tty: bool, env: &ColorboolEnv) -> Option<bool> {
    let given = env
        .parameters
        .as_deref()
        .map(command_line_parameters)
        .unwrap_or_default();
    // The last value of each key: `git -c` over the files; `None` unset,
    // `Some(None)` set without `=` (true).
    let value = |key: &str| -> Option<Option<Option<String>>> {
        if let Some((_, v)) = given.iter().rev().find(|(k, _)| same_key(k, key)) {
            return Some((!v.is_empty()).then(|| Some(v.clone())));
        }
        Some(
            config
                .string_implicit(key)
                .map(|v| v.map(|v| v.to_string())),
        )
    };
    if value(COLOR_KEYS[3])?.is_some() {
        return None;
    }
    // git reads every value of the three keys, in every file and `git -c`,
    // and stops at one it cannot read, even when a later one decides.
    for key in &COLOR_KEYS[..3] {
        let in_files = config.raw_values(*key).unwrap_or_default();
        let files = in_files.iter().map(|v| v.to_string());
        let params = given
            .iter()
            .filter(|(k, _)| same_key(k, key))
            .map(|(_, v)| v.clone());
        for v in files.chain(params) {
            parse_colorbool(Some(&v))?;
        }
    }
    let mut setting = Colorbool::Auto;
    for key in &COLOR_KEYS[..3] {
        if let Some(found) = value(key)? {
            setting = parse_colorbool(found.as_deref())?;
            break;
        }
    }
    match setting {
        Colorbool::Never => Some(false),
        Colorbool::Always => Some(true),
        Colorbool::Auto => {
            let pager = match env.pager_in_use.as_deref() {
                None => false,
                Some(v) => parse_bool_word(v)?,
            };
            let dumb = env.term.as_deref().is_none_or(|t| t == "dumb");
            Some((stdout_tty || pager) && !dumb)
        }
    }
}

/// git's `git_config_colorbool` for a value (`None`: a key without `=`),
/// where it is one of the words git's rules settle without parsing a number.
fn parse_colorbool(value: Option<&str>) -> Option<Colorbool> {
    let Some(value) = value else {
        return Some(Colorbool::Auto);
    };
    match value.to_ascii_lowercase().as_str() {
        "never" => Some(Colorbool::Never),
        "always" => Some(Colorbool::Always),
        "auto" => Some(Colorbool::Auto),
        other => Some(if parse_bool_word(other)? {
            Colorbool::Auto
        } else {
            Colorbool::Never
        }),
    }
}

/// git's booleans as words (`true`/`yes`/`on`/`1`, `false`/`no`/`off`/`0`/
/// empty); `None` for anything else.
fn parse_bool_word(value: &str) -> Option<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Some(true),
        "false" | "no" | "off" | "0" | "" => Some(false),
        _ => None,
    }
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

    /// Real git's `--get-colorbool color.diff` in `repo` (no global or
    /// system config), with `env`'s variables only: `None` when git fails.
    fn real_git(repo: &Path, tty: bool, env: &ColorboolEnv) -> Option<bool> {
        let mut cmd = std::process::Command::new("git");
        cmd.current_dir(repo)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", repo)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .args(["config", "--get-colorbool", "color.diff"])
            .arg(if tty { "true" } else { "false" });
        for (k, v) in [
            ("TERM", &env.term),
            ("GIT_PAGER_IN_USE", &env.pager_in_use),
            ("GIT_CONFIG_PARAMETERS", &env.parameters),
        ] {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        let out = cmd.output().expect("run git");
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim() == "true")
    }

    /// The in-process answer is git's wherever it gives one, over the
    /// values git reads (every word, a key without `=`, case, numbers and
    /// words git refuses), the three keys' precedence, `git -c`, stdout a
    /// terminal or not, git's pager, and `TERM`; where it gives none, the
    /// value is one git itself must read.
    #[test]
    fn the_in_process_colorbool_is_gits() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = dir.path();
        let init = std::process::Command::new("git")
            .args(["init", "-q"])
            .current_dir(repo)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .status()
            .expect("git init");
        assert!(init.success());
        let base = std::fs::read_to_string(repo.join(".git/config")).expect("config");
        // (color.diff, diff.color, color.ui): `None` unset, `Some(None)` a
        // key without `=`.
        type Value = Option<Option<&'static str>>;
        let words: [Value; 13] = [
            None,
            Some(None),
            Some(Some("never")),
            Some(Some("always")),
            Some(Some("auto")),
            Some(Some("true")),
            Some(Some("false")),
            Some(Some("")),
            Some(Some("1")),
            Some(Some("0")),
            Some(Some("Always")),
            Some(Some("2")),
            Some(Some("sometimes")),
        ];
        let mut configs: Vec<[Value; 3]> = words.iter().map(|w| [*w, None, None]).collect();
        for diff_color in [None, Some(Some("always")), Some(Some("off"))] {
            for ui in [
                None,
                Some(Some("never")),
                Some(Some("always")),
                Some(Some("auto")),
                Some(Some("no")),
            ] {
                configs.push([None, diff_color, ui]);
            }
        }
        configs.push([Some(None), None, Some(Some("never"))]);
        configs.push([
            Some(Some("auto")),
            Some(Some("never")),
            Some(Some("always")),
        ]);
        configs.push([Some(Some("never")), Some(Some("always")), None]);
        let mut compared = 0;
        let mut asked_git = 0;
        for config in &configs {
            let mut text = base.clone();
            for ((section, name), value) in [("color", "diff"), ("diff", "color"), ("color", "ui")]
                .iter()
                .zip(config)
            {
                match value {
                    None => {}
                    Some(None) => text.push_str(&format!("[{section}]\n\t{name}\n")),
                    Some(Some(v)) => text.push_str(&format!("[{section}]\n\t{name} = {v}\n")),
                }
            }
            std::fs::write(repo.join(".git/config"), &text).expect("write config");
            let opened = gix::open_opts(repo, gix::open::Options::isolated()).expect("open");
            let snapshot = opened.config_snapshot();
            let file = snapshot.plumbing();
            for tty in [false, true] {
                for pager in [None, Some("1"), Some("maybe")] {
                    for term in [None, Some("xterm"), Some("dumb")] {
                        // `git -c` with a terminal that takes colour.
                        let all: &[Option<&str>] = if term == Some("xterm") {
                            &[
                                None,
                                Some("'color.diff'='never'"),
                                Some("'color.ui'='always'"),
                            ]
                        } else {
                            &[None]
                        };
                        for parameters in all.iter().copied() {
                            let env = ColorboolEnv {
                                term: term.map(str::to_string),
                                pager_in_use: pager.map(str::to_string),
                                parameters: parameters.map(str::to_string),
                            };
                            let ours = colorbool_in(file, tty, &env);
                            let git = real_git(repo, tty, &env);
                            match ours {
                                Some(ours) => {
                                    compared += 1;
                                    assert_eq!(
                                        Some(ours),
                                        git,
                                        "{config:?} tty={tty} {env:?}\n{text}"
                                    );
                                }
                                None => asked_git += 1,
                            }
                        }
                    }
                }
            }
        }
        // Most combinations are decided in-process; the rest are the values
        // git must read itself.
        eprintln!("{compared} decided in-process, {asked_git} left to git");
        assert!(
            compared > asked_git * 3,
            "{compared} decided, {asked_git} asked"
        );
        // `2`, `sometimes` and `GIT_PAGER_IN_USE=maybe` are left to git.
        let file = gix::config::File::from_bytes_owned(
            &mut b"[color]\n\tdiff = sometimes\n".to_vec(),
            gix::config::file::Metadata::api(),
            Default::default(),
        )
        .expect("parse");
        assert_eq!(colorbool_in(&file, true, &ColorboolEnv::default()), None);
    }

    #[test]
    fn keys_compare_as_gits_do() {
        assert!(same_key("merge.conflictStyle", "merge.conflictstyle"));
        assert!(same_key("NBDIFF.merge.Outputs", "nbdiff.merge.outputs"));
        assert!(!same_key("nbdiff.Merge.outputs", "nbdiff.merge.outputs"));
        assert!(!same_key("merge.conflictstyle", "merge.other"));
    }
}
