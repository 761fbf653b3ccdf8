//! Every setting, resolved once, here, with where it came from.
//!
//! A setting is taken from the first of these that gives it:
//!
//! 1. the command-line flag (`--outputs local`);
//! 2. the environment (`NBDIFF_MERGE_OUTPUTS=local`);
//! 3. git config (`git config nbdiff.merge.outputs local`; read in-process
//!    by [`crate::git::settings::values`], `git -c` included), for the
//!    commands git runs or that work on a repository: `merge-driver` and
//!    `resolve`, not `nbdiff merge` on three files;
//! 4. the project file (`[tool.nbdiff.merge] outputs = "local"` in
//!    `pyproject.toml`, or `[merge]` in `nbdiff.toml`; see
//!    [`crate::project`]);
//! 5. the default.
//!
//! | setting | flag | environment | git config | project file | default |
//! |---|---|---|---|---|---|
//! | `merge.outputs` | `--outputs` | `NBDIFF_MERGE_OUTPUTS` | `nbdiff.merge.outputs` | `merge.outputs` | `auto` |
//! | `merge.conflicts` | `--conflicts` | `NBDIFF_MERGE_CONFLICTS` | `nbdiff.merge.conflicts` | `merge.conflicts` | `mark` |
//! | `merge.conflict-style` | `--conflict-style`, `--diff3` | | `merge.conflictStyle` | `merge.conflict-style` | `merge` |
//! | `merge.verbose` | `-v` | `NBDIFF_VERBOSE=1` | | | off |
//! | `max-file-size` | | `NBDIFF_MAX_FILE_SIZE` | | | 1G |
//! | `ignore` (add up) | | | `nbdiff.ignore` (every value) | `ignore` | none |
//!
//! The values handed to the library are plain ([`crate::merge::options::Settings`],
//! [`crate::policy::Policy`] built from [`IgnoreSettings`],
//! [`crate::notebook::set_read_limit`]); library modules read no environment,
//! no git config and no project file, and start no process. Each [`Setting`]
//! remembers its [`Origin`], and `-v` says them: `nbdiff: setting
//! merge.outputs = local (git config nbdiff.merge.outputs)`.
//!
//! The user's volatile paths ([`ignore`]: git config `nbdiff.ignore`, then
//! the project file's `ignore`) add up rather than override: `-v` says one
//! line per source that gave some. The read limit is only read from the
//! environment: it bounds the read of the project file itself. It is the one
//! setting kept process-wide ([`apply_read_limit`] is its only writer) rather
//! than passed down, because every reader of a user's file (some thirty
//! calls across the library) checks it; ARCHITECTURE.md says more. Only
//! the command layer reads the environment, through [`process_env`] (or an
//! injected lookup of the same shape) save for a path it must keep as bytes
//! (`GIT_EXTERNAL_DIFF`); `tests/settings.rs` fails when a library module
//! reads it, or reads git config or the project file.

use crate::merge::options::{
    parse_conflict_style, parse_conflicts, parse_outputs, ConflictPolicy, ConflictStyle,
    OutputsPolicy, SettingError, Settings,
};
use crate::policy::{PathError, Policy, UserPaths};
use crate::project::{ProjectConfig, ProjectError};
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A lookup of environment variables: [`process_env`], or a fake in tests.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment: the one place nbdiff reads it.
pub fn process_env(key: &str) -> Option<String> {
    std::env::var_os(key).map(|v| v.to_string_lossy().into_owned())
}

/// Environment variable for the outputs policy.
pub const ENV_OUTPUTS: &str = "NBDIFF_MERGE_OUTPUTS";
/// Environment variable for the conflict policy.
pub const ENV_CONFLICTS: &str = "NBDIFF_MERGE_CONFLICTS";
/// Environment variable that turns on the merge's `--verbose` (for the merge
/// driver, whose command line is in git config).
pub const ENV_VERBOSE: &str = "NBDIFF_VERBOSE";
/// The `git -c` settings git passes to the programs it starts.
pub const ENV_GIT_PARAMETERS: &str = "GIT_CONFIG_PARAMETERS";
/// git config key for the outputs policy.
pub const GIT_OUTPUTS: &str = "nbdiff.merge.outputs";
/// git config key for the conflict policy.
pub const GIT_CONFLICTS: &str = "nbdiff.merge.conflicts";
/// git's own conflict style setting, honoured as `git merge-file` honours it.
pub const GIT_CONFLICT_STYLE: &str = "merge.conflictStyle";
/// The project file's merge table (`[tool.nbdiff.merge]`).
pub const PROJECT_MERGE: &str = "merge";
/// The project file's list of volatile paths (`[tool.nbdiff] ignore`).
pub const PROJECT_IGNORE: &str = "ignore";

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// A git config key.
    GitConfig(&'static str),
    /// A key of the project file.
    Project {
        /// The file.
        file: PathBuf,
        /// The key as the user wrote it (`tool.nbdiff.merge.outputs`).
        key: String,
    },
    /// Nothing gave it.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => f.write_str(flag),
            Origin::Env(var) => write!(f, "${var}"),
            Origin::GitConfig(key) => write!(f, "git config {key}"),
            Origin::Project { file, key } => write!(f, "{} {key}", file.display()),
            Origin::Default => f.write_str("default"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub origin: Origin,
}

/// What the merge commands and `resolve` decide: policies, conflict style,
/// verbosity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSettings {
    /// Outputs both sides changed differently.
    pub outputs: Setting<OutputsPolicy>,
    /// Conflicts.
    pub conflicts: Setting<ConflictPolicy>,
    /// How conflicts are written.
    pub style: Setting<ConflictStyle>,
    /// List every resolution.
    pub verbose: Setting<bool>,
    /// The most bytes read from one file (`NBDIFF_MAX_FILE_SIZE`), said by
    /// `-v` beside the others (the readers have it from
    /// [`apply_read_limit`]).
    pub read_limit: Setting<u64>,
}

impl MergeSettings {
    /// The plain values the merge takes.
    pub fn plain(&self) -> Settings {
        Settings {
            outputs: self.outputs.value,
            conflicts: self.conflicts.value,
            style: self.style.value,
        }
    }

    /// One line per setting with its origin, for `-v`.
    pub fn say(&self, err: &mut dyn Write) {
        say(
            err,
            "merge.outputs",
            self.outputs.value.name(),
            &self.outputs.origin,
        );
        say(
            err,
            "merge.conflicts",
            self.conflicts.value.name(),
            &self.conflicts.origin,
        );
        say(
            err,
            "merge.conflict-style",
            self.style.value.name(),
            &self.style.origin,
        );
        let verbose = if self.verbose.value { "on" } else { "off" };
        say(err, "merge.verbose", verbose, &self.verbose.origin);
        say_read_limit(&self.read_limit, err);
    }
}

fn say(err: &mut dyn Write, name: &str, value: &str, origin: &Origin) {
    let _ = writeln!(err, "nbdiff: setting {name} = {value} ({origin})");
}

/// The merge settings given on the command line.
#[derive(Debug, Clone, Copy, Default)]
pub struct MergeFlags {
    /// `--outputs`.
    pub outputs: Option<OutputsPolicy>,
    /// `--conflicts`.
    pub conflicts: Option<ConflictPolicy>,
    /// `--conflict-style` (or `--diff3`).
    pub style: Option<ConflictStyle>,
    /// `-v`.
    pub verbose: bool,
}

/// Resolves the merge settings for work in `dir`: `flags`, then `env`, then
/// git config (only `with_git_config`), then `project`, then the defaults.
/// git config is read once, and only when a setting is not given before it.
/// A value nbdiff does not know is an error naming where it came from; a
/// project file that cannot be read is skipped (the policy, [`ignore`],
/// warns about it).
pub fn merge(
    flags: MergeFlags,
    env: Env,
    with_git_config: bool,
    dir: &Path,
    project: &Result<Option<ProjectConfig>, ProjectError>,
) -> Result<MergeSettings, SettingError> {
    let mut git = GitValues::new(with_git_config, dir, env);
    let project = project.as_ref().ok().and_then(Option::as_ref);
    let outputs = resolve(
        flags.outputs.map(|v| (v, "--outputs")),
        Some(ENV_OUTPUTS),
        Some(GIT_OUTPUTS),
        "outputs",
        env,
        &mut git,
        project,
        parse_outputs,
    )?;
    let conflicts = resolve(
        flags.conflicts.map(|v| (v, "--conflicts")),
        Some(ENV_CONFLICTS),
        Some(GIT_CONFLICTS),
        "conflicts",
        env,
        &mut git,
        project,
        parse_conflicts,
    )?;
    let style = resolve(
        flags.style.map(|v| (v, "--conflict-style")),
        None,
        Some(GIT_CONFLICT_STYLE),
        "conflict-style",
        env,
        &mut git,
        project,
        parse_conflict_style,
    )?;
    let verbose = if flags.verbose {
        Setting {
            value: true,
            origin: Origin::Flag("--verbose"),
        }
    } else {
        match given(env, ENV_VERBOSE) {
            Some(v) => Setting {
                value: v != "0",
                origin: Origin::Env(ENV_VERBOSE),
            },
            None => Setting {
                value: false,
                origin: Origin::Default,
            },
        }
    };
    let read_limit = read_limit(env).map_err(|_| {
        let var = crate::notebook::READ_LIMIT_ENV;
        SettingError {
            origin: Origin::Env(var).to_string(),
            value: env(var).unwrap_or_default(),
            expected: "a size (bytes, or a number with K, M or G)",
        }
    })?;
    Ok(MergeSettings {
        outputs,
        conflicts,
        style,
        verbose,
        read_limit,
    })
}

/// One setting through the five levels; `parse` turns a text value (from
/// the environment, git config or the project file) into the value, naming
/// its origin on error.
#[allow(clippy::too_many_arguments)]
fn resolve<T: Default>(
    flag: Option<(T, &'static str)>,
    env_var: Option<&'static str>,
    git_key: Option<&'static str>,
    project_key: &str,
    env: Env,
    git: &mut GitValues,
    project: Option<&ProjectConfig>,
    parse: fn(&str, &str) -> Result<T, SettingError>,
) -> Result<Setting<T>, SettingError> {
    if let Some((value, name)) = flag {
        return Ok(Setting {
            value,
            origin: Origin::Flag(name),
        });
    }
    let with = |origin: Origin, text: &str| -> Result<Setting<T>, SettingError> {
        Ok(Setting {
            value: parse(&origin.to_string(), text)?,
            origin,
        })
    };
    if let Some(var) = env_var {
        if let Some(text) = given(env, var) {
            return with(Origin::Env(var), &text);
        }
    }
    if let Some(key) = git_key {
        if let Some(text) = git.get(key) {
            return with(Origin::GitConfig(key), &text);
        }
    }
    if let Some(cfg) = project {
        let table = cfg.section(PROJECT_MERGE);
        if let Some(value) = table.and_then(|t| t.get(project_key)) {
            let origin = Origin::Project {
                file: cfg.path.clone(),
                key: format!("{}{PROJECT_MERGE}.{project_key}", cfg.key_prefix()),
            };
            let Some(text) = value.as_str() else {
                return Err(SettingError {
                    origin: origin.to_string(),
                    value: format!("a value of type {}", value.type_str()),
                    expected: "a string",
                });
            };
            return with(origin, text);
        }
    }
    Ok(Setting {
        value: T::default(),
        origin: Origin::Default,
    })
}

/// An environment variable that is set and not blank, trimmed.
fn given(env: Env, var: &str) -> Option<String> {
    env(var)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The git config keys the settings read, read together the first time one
/// is needed.
struct GitValues<'a> {
    enabled: bool,
    dir: &'a Path,
    env: Env<'a>,
    values: Option<Vec<(String, String)>>,
}

impl<'a> GitValues<'a> {
    fn new(enabled: bool, dir: &'a Path, env: Env<'a>) -> Self {
        GitValues {
            enabled,
            dir,
            env,
            values: None,
        }
    }

    /// The value of `key` (one of the keys above), trimmed; `None` when
    /// unset or blank.
    fn get(&mut self, key: &str) -> Option<String> {
        if !self.enabled {
            return None;
        }
        let (dir, env) = (self.dir, self.env);
        let values = self.values.get_or_insert_with(|| {
            crate::git::settings::values(
                dir,
                &[GIT_OUTPUTS, GIT_CONFLICTS, GIT_CONFLICT_STYLE],
                env(ENV_GIT_PARAMETERS).as_deref(),
            )
        });
        values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }
}

/// The project file as [`ProjectConfig::discover`] found it for a folder.
pub type Project = Result<Option<ProjectConfig>, ProjectError>;

/// The user's volatile paths for work in a folder: each source that gave
/// some, in the order they add up (git config `nbdiff.ignore`, then the
/// project file's `ignore = [...]`), and what could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreSettings {
    /// One per source that gave paths, with its origin.
    pub sources: Vec<Setting<Vec<String>>>,
    /// The project file (or its `ignore` key) that could not be read.
    pub unreadable: Option<String>,
}

/// Something wrong with the user's volatile paths: a path that cannot be
/// ignored, or a project file whose `ignore` cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IgnoreProblem {
    /// One entry cannot be ignored.
    Path(PathError),
    /// The project file (or its `ignore` key) cannot be read.
    Project(String),
}

impl IgnoreProblem {
    /// The line the diff and the merge warn with: the problem and what was
    /// skipped.
    pub fn warning(&self) -> String {
        match self {
            IgnoreProblem::Path(e) => format!("{e}; skipped"),
            IgnoreProblem::Project(e) => format!("{e}; its ignore list was skipped"),
        }
    }
}

impl fmt::Display for IgnoreProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IgnoreProblem::Path(e) => e.fmt(f),
            IgnoreProblem::Project(e) => f.write_str(e),
        }
    }
}

/// The user's volatile paths for work in `dir`, with `project` the project
/// file found from there: git config `nbdiff.ignore` (every value, read
/// in-process by [`crate::git::settings::ignore_paths`]), then the project
/// file's `ignore`. They add up rather than override.
pub fn ignore(dir: &Path, project: &Project) -> IgnoreSettings {
    let mut sources = Vec::new();
    let git = crate::git::settings::ignore_paths(dir);
    if !git.is_empty() {
        sources.push(Setting {
            value: git,
            origin: Origin::GitConfig(crate::git::settings::IGNORE_KEY),
        });
    }
    let mut unreadable = None;
    match project {
        Err(e) => unreadable = Some(e.to_string()),
        Ok(None) => {}
        Ok(Some(cfg)) => match cfg.string_list(PROJECT_IGNORE) {
            Ok(paths) if paths.is_empty() => {}
            Ok(paths) => sources.push(Setting {
                value: paths,
                origin: Origin::Project {
                    file: cfg.path.clone(),
                    key: format!("{}{PROJECT_IGNORE}", cfg.key_prefix()),
                },
            }),
            Err(e) => unreadable = Some(e.to_string()),
        },
    }
    IgnoreSettings {
        sources,
        unreadable,
    }
}

/// The policy for the diff in `dir`: the user's volatile paths
/// ([`ignore`], with the project file found from `dir`), each problem
/// warned about on `warn` ([`IgnoreSettings::policy`]).
pub fn policy(dir: &Path, warn: &mut dyn Write) -> Policy {
    ignore(dir, &ProjectConfig::discover(dir)).policy(warn)
}

/// The diff's policy per folder ([`crate::compare::Request::in_folder`]):
/// [`policy`] of the folder a notebook is in, found once per folder, its
/// warnings written the first time. The folder's own project file rules its
/// notebooks, as `clean` and git's filter clean them
/// ([`super::clean::filter_cleaner`]).
pub fn policy_for() -> crate::compare::PolicyFor {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};
    let cache: Mutex<HashMap<std::path::PathBuf, Arc<Policy>>> = Mutex::new(HashMap::new());
    crate::compare::PolicyFor(Arc::new(move |dir: &Path, warn: &mut dyn Write| {
        let mut cache = cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache
            .entry(dir.to_path_buf())
            .or_insert_with(|| Arc::new(policy(dir, warn)))
            .clone()
    }))
}

impl IgnoreSettings {
    /// The policy with the user's paths and every problem met, in order
    /// (git config's refused paths, then the project file's).
    fn build(&self) -> (Policy, Vec<IgnoreProblem>) {
        let lists: Vec<UserPaths> = self
            .sources
            .iter()
            .map(|s| UserPaths {
                origin: match &s.origin {
                    // As refusals have always named the file's list.
                    Origin::Project { file, key } => format!("{} ({key})", file.display()),
                    other => other.to_string(),
                },
                paths: s.value.clone(),
            })
            .collect();
        let (policy, refused) = Policy::defaults().with_user_lists(&lists);
        let mut problems: Vec<IgnoreProblem> =
            refused.into_iter().map(IgnoreProblem::Path).collect();
        problems.extend(self.unreadable.clone().map(IgnoreProblem::Project));
        (policy, problems)
    }

    /// The policy for the diff and the merge: a path that cannot be
    /// ignored, or a project file that cannot be read, is skipped with a
    /// warning on `warn` (a typo must not break `git diff` or a merge).
    pub fn policy(&self, warn: &mut dyn Write) -> Policy {
        let (policy, problems) = self.build();
        for problem in problems {
            let _ = writeln!(warn, "nbdiff: warning: {}", problem.warning());
        }
        policy
    }

    /// The policy for `clean`, which must not strip less (or other) than the
    /// user asked: every problem, each naming the file (or `git config
    /// nbdiff.ignore`) and the entry, joined with `; `.
    pub fn policy_checked(&self) -> Result<Policy, String> {
        let (policy, problems) = self.build();
        if problems.is_empty() {
            Ok(policy)
        } else {
            let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
            Err(all.join("; "))
        }
    }

    /// One line per source that gave paths, for `-v`: `nbdiff: setting
    /// ignore = cell.metadata.tags, metadata.authors (git config
    /// nbdiff.ignore)`; `none (default)` when no source gave any.
    pub fn say(&self, err: &mut dyn Write) {
        if self.sources.is_empty() {
            say(err, "ignore", "none", &Origin::Default);
        }
        for source in &self.sources {
            let paths: Vec<&str> = source.value.iter().map(|p| p.trim()).collect();
            let shown = crate::render::sanitize::visible(&paths.join(", ")).into_owned();
            say(err, "ignore", &shown, &source.origin);
        }
    }
}

/// `NBDIFF_MAX_FILE_SIZE` from `env`, or the default; an error message
/// when it is not a size. Only the environment gives it: the limit bounds
/// the reads of the configuration itself (the project file), so it must be
/// known before them.
pub fn read_limit(env: Env) -> Result<Setting<u64>, String> {
    let var = crate::notebook::READ_LIMIT_ENV;
    let Some(text) = env(var) else {
        return Ok(Setting {
            value: crate::notebook::DEFAULT_READ_LIMIT,
            origin: Origin::Default,
        });
    };
    match crate::notebook::parse_size(&text) {
        Some(n) => Ok(Setting {
            value: n,
            origin: Origin::Env(var),
        }),
        None => Err(format!(
            "{var}={text}: not a size (bytes, or a number with K, M or G)"
        )),
    }
}

/// [`read_limit`], handed to the readers: the process-wide
/// [`crate::notebook::set_read_limit`], written here and nowhere else
/// (`tests/settings.rs` checks it; ARCHITECTURE.md says why it is not a
/// value passed down).
pub fn apply_read_limit(env: Env) -> Result<Setting<u64>, String> {
    let limit = read_limit(env)?;
    crate::notebook::set_read_limit(limit.value);
    Ok(limit)
}

/// `-v`'s line for the read limit: `nbdiff: setting max-file-size = 1G
/// (default)`.
pub fn say_read_limit(limit: &Setting<u64>, err: &mut dyn Write) {
    say(err, "max-file-size", &size_name(limit.value), &limit.origin);
}

/// A size as `NBDIFF_MAX_FILE_SIZE` takes it: with the largest of `G`, `M`,
/// `K` that divides it, else in bytes.
fn size_name(bytes: u64) -> String {
    for (shift, unit) in [(30, "G"), (20, "M"), (10, "K")] {
        if bytes != 0 && bytes.is_multiple_of(1u64 << shift) {
            return format!("{}{unit}", bytes >> shift);
        }
    }
    bytes.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    fn project(text: &str) -> Result<Option<ProjectConfig>, ProjectError> {
        ProjectConfig::from_str(Path::new("nbdiff.toml"), text)
    }

    #[test]
    fn flag_beats_environment_beats_project_file_beats_default() {
        let none = env_of(&[]);
        let cfg = project("[merge]\noutputs = \"remote\"\n");
        let dir = Path::new(".");
        let s = merge(MergeFlags::default(), &none, false, dir, &project("")).expect("ok");
        assert_eq!(s.outputs.origin, Origin::Default);
        let s = merge(MergeFlags::default(), &none, false, dir, &cfg).expect("ok");
        assert_eq!(s.outputs.value, OutputsPolicy::Remote);
        assert_eq!(s.outputs.origin.to_string(), "nbdiff.toml merge.outputs");
        let env = env_of(&[(ENV_OUTPUTS, " clear ")]);
        let s = merge(MergeFlags::default(), &env, false, dir, &cfg).expect("ok");
        assert_eq!(s.outputs.value, OutputsPolicy::Clear);
        assert_eq!(s.outputs.origin, Origin::Env(ENV_OUTPUTS));
        let flags = MergeFlags {
            outputs: Some(OutputsPolicy::Local),
            ..MergeFlags::default()
        };
        let s = merge(flags, &env, false, dir, &cfg).expect("ok");
        assert_eq!(s.outputs.value, OutputsPolicy::Local);
        assert_eq!(s.outputs.origin, Origin::Flag("--outputs"));
    }

    #[test]
    fn unknown_values_name_their_origin() {
        let env = env_of(&[(ENV_CONFLICTS, "maybe")]);
        let e = merge(
            MergeFlags::default(),
            &env,
            false,
            Path::new("."),
            &project(""),
        )
        .expect_err("unknown");
        assert!(
            e.to_string()
                .starts_with("$NBDIFF_MERGE_CONFLICTS: unknown value \"maybe\""),
            "{e}"
        );
        let none = env_of(&[]);
        let e = merge(
            MergeFlags::default(),
            &none,
            false,
            Path::new("."),
            &project("[merge]\nconflict-style = 3\n"),
        )
        .expect_err("not a string");
        assert!(
            e.to_string()
                .starts_with("nbdiff.toml merge.conflict-style: "),
            "{e}"
        );
    }

    #[test]
    fn sizes_are_said_as_the_variable_takes_them() {
        for (bytes, said) in [
            (1 << 30, "1G"),
            (64 << 20, "64M"),
            (3 << 10, "3K"),
            (1536, "1536"),
            (0, "0"),
        ] {
            assert_eq!(size_name(bytes), said);
            assert_eq!(crate::notebook::parse_size(said), Some(bytes));
        }
        let env = env_of(&[(crate::notebook::READ_LIMIT_ENV, "12x")]);
        let e = read_limit(&env).expect_err("not a size");
        assert!(e.starts_with("NBDIFF_MAX_FILE_SIZE=12x: not a size"), "{e}");
    }

    #[test]
    fn verbose_from_the_environment_unless_zero() {
        let dir = Path::new(".");
        for (value, on) in [("1", true), ("0", false), ("yes", true)] {
            let pairs: &'static [(&str, &str)] = Box::leak(Box::new([(ENV_VERBOSE, value)]));
            let s = merge(
                MergeFlags::default(),
                &env_of(pairs),
                false,
                dir,
                &project(""),
            )
            .expect("ok");
            assert_eq!(s.verbose.value, on, "{value}");
        }
    }
}
