//! `nbdiff config-git --enable|--disable [--local|--global|--system]`.
//!
//! Enabling writes, in the chosen scope, with `git config` (setup, not a hot
//! path — and git keeps its own file format and locking):
//!
//! ```text
//! diff.nbdiff.command         = NBDIFF diff-driver --
//! diff.nbdiff.textconv        = NBDIFF show --format-version=N --
//! diff.nbdiff.cachetextconv   = true
//! diff.nbdiff.xfuncname       = ^=== .*
//! merge.nbdiff.name           = nbdiff notebook merge
//! merge.nbdiff.driver         = NBDIFF merge-driver --label-base=%S --label-local=%X --label-remote=%Y -- %O %A %B %L %P
//! difftool.nbdiff.cmd         = NBDIFF "$LOCAL" "$REMOTE"
//! mergetool.nbdiff.cmd        = NBDIFF merge --output="$MERGED" -- "$BASE" "$LOCAL" "$REMOTE"
//! mergetool.nbdiff.trustExitCode = false
//! ```
//!
//! and appends `*.ipynb diff=nbdiff merge=nbdiff` ([`ATTRIBUTE_LINE`]) to the
//! scope's attributes file ([`attributes_path`]). `NBDIFF` is
//! [`exe_reference`]: an absolute path, quoted for the shell, so git runs this
//! nbdiff even where another `nbdiff` (nbdime's) comes first on `PATH`.
//!
//! `--filter` ([`Plan::with_filter`]) also sets the clean filter
//! ([`filter_entries`]) and writes [`FILTER_ATTRIBUTE_LINE`] instead:
//!
//! ```text
//! filter.nbdiff.process = NBDIFF filter-process        # one process for all files (git ≥ 2.11)
//! filter.nbdiff.clean   = NBDIFF clean --stdin-path %f # one-shot form, for tools without `process`
//! ```
//!
//! `filter.nbdiff.required` is left unset (false): if nbdiff is missing or
//! fails, git stages the file as it is rather than refusing to add it.
//!
//! The textconv cache (`git log -p` runs the textconv once per blob, then
//! reads git's notes under [`TEXTCONV_NOTES_REF`]) is keyed by git on the
//! textconv command, which holds the text format version, so a new format
//! after `--enable` starts a new cache.
//!
//! Enabling says which of the user's own values it replaces. In a
//! repository (`--local`), `--disable` gives back the config file and the
//! attributes file byte for byte as they were before `--enable` when they
//! are still as `--enable` left them (`snapshot.rs`). Otherwise (the files
//! changed since, or `--global`/`--system`): enabling twice changes nothing. Disabling removes exactly those keys and
//! that line: a section is removed only when nothing else is left in it, other
//! lines of the attributes file stay byte-identical, and an attributes file
//! left empty is deleted. It also deletes the textconv cache of the current
//! repository (`refs/notes/textconv/nbdiff`), if there is one. `--dry-run` prints the commands without running them.

mod created_dir;
mod snapshot;
use super::attributes;
use super::run::GitOutput;
use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The line added to the attributes file.
pub const ATTRIBUTE_LINE: &str = "*.ipynb diff=nbdiff merge=nbdiff";

/// Where git keeps the textconv cache of the `nbdiff` diff driver.
pub const TEXTCONV_NOTES_REF: &str = "refs/notes/textconv/nbdiff";

/// The line added to the attributes file with `--filter`.
pub const FILTER_ATTRIBUTE_LINE: &str = "*.ipynb diff=nbdiff merge=nbdiff filter=nbdiff";

/// The config subsections nbdiff owns.
pub const SECTIONS: &[&str] = &[
    "diff.nbdiff",
    "merge.nbdiff",
    "difftool.nbdiff",
    "mergetool.nbdiff",
    "filter.nbdiff",
];

/// Which git configuration to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    /// The repository (`.git/config`).
    #[default]
    Local,
    /// The user (`~/.gitconfig`, `$XDG_CONFIG_HOME/git/config`, `GIT_CONFIG_GLOBAL`).
    Global,
    /// The machine (`$(prefix)/etc/gitconfig`).
    System,
}

impl Scope {
    /// The `git config` flag.
    pub fn flag(self) -> &'static str {
        match self {
            Scope::Local => "--local",
            Scope::Global => "--global",
            Scope::System => "--system",
        }
    }
}

/// Where a local scope's attribute line goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AttributesTarget {
    /// `.git/info/attributes`: this clone only, never committed.
    #[default]
    Private,
    /// The repository's `.gitattributes`: shared with everyone (commit it).
    Shared,
}

impl AttributesTarget {
    /// Every value, in the order the help lists them.
    pub const ALL: [AttributesTarget; 2] = [AttributesTarget::Private, AttributesTarget::Shared];

    /// The value's name on the command line and in settings.
    pub fn name(self) -> &'static str {
        match self {
            AttributesTarget::Private => "private",
            AttributesTarget::Shared => "shared",
        }
    }
}

/// Why setup failed.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// `git` could not be started, or its output not read.
    #[error(transparent)]
    Run(#[from] super::run::GitError),
    /// A git command failed.
    #[error("`git {args}` failed: {stderr}")]
    Git {
        /// The arguments.
        args: String,
        /// What git said.
        stderr: String,
    },
    /// `--local` outside a repository.
    #[error("not inside a git repository: run this in your repository, or use --global to enable nbdiff for all repositories")]
    NotInRepository,
    /// `--attributes shared` where there is no working tree or not local.
    #[error("--attributes shared needs --local in a repository with a working tree (it writes the repository's .gitattributes)")]
    SharedNeedsWorktree,
    /// The path of this executable is unknown or not UTF-8.
    #[error("cannot tell where the nbdiff executable is ({reason}); git needs its path")]
    Exe {
        /// Why.
        reason: String,
    },
    /// The attributes file could not be read or written.
    #[error("{path}: {source}")]
    Attributes {
        /// The attributes file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// A file could not be written (it was left as it was); the error names
    /// it and what was being written.
    #[error(transparent)]
    Write(#[from] crate::write::WriteError),
    /// Output could not be written.
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

/// One config key and the value nbdiff gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `section.subsection.key`.
    pub key: &'static str,
    /// The value.
    pub value: String,
}

/// The config entries for an executable reference (already shell-quoted).
pub fn entries(exe: &str) -> Vec<Entry> {
    let e = |key, value: String| Entry { key, value };
    vec![
        e("diff.nbdiff.command", format!("{exe} diff-driver --")),
        e(
            "diff.nbdiff.textconv",
            format!(
                "{exe} show --format-version={} --",
                super::show::FORMAT_VERSION
            ),
        ),
        e("diff.nbdiff.cachetextconv", "true".into()),
        e("diff.nbdiff.xfuncname", "^=== .*".into()),
        e("merge.nbdiff.name", "nbdiff notebook merge".into()),
        e(
            "merge.nbdiff.driver",
            format!("{exe} merge-driver --label-base=%S --label-local=%X --label-remote=%Y -- %O %A %B %L %P"),
        ),
        e(
            "difftool.nbdiff.cmd",
            format!("{exe} \"$LOCAL\" \"$REMOTE\""),
        ),
        e(
            "mergetool.nbdiff.cmd",
            format!("{exe} merge --output=\"$MERGED\" -- \"$BASE\" \"$LOCAL\" \"$REMOTE\""),
        ),
        // Not trusted: with `true`, git restores its line-merged file when
        // nbdiff exits 1 (conflicts left), discarding the valid notebook with
        // its marked conflicts. Untrusted, git keeps what nbdiff wrote.
        e("mergetool.nbdiff.trustExitCode", "false".into()),
    ]
}

/// The clean filter's config entries (`--filter`).
pub fn filter_entries(exe: &str) -> Vec<Entry> {
    vec![
        Entry {
            key: "filter.nbdiff.process",
            value: format!("{exe} filter-process"),
        },
        Entry {
            key: "filter.nbdiff.clean",
            value: format!("{exe} clean --stdin-path %f"),
        },
    ]
}

/// Quotes `s` for `sh` when it holds anything but safe characters.
///
/// ```
/// use nbdiff::git::config::shell_quote;
/// assert_eq!(shell_quote("/usr/bin/nbdiff"), "/usr/bin/nbdiff");
/// assert_eq!(shell_quote("/My Tools/it's"), r"'/My Tools/it'\''s'");
/// ```
pub fn shell_quote(s: &str) -> Cow<'_, str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+:@%,=".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("'{}'", s.replace('\'', r"'\''")))
    }
}

/// How git should call this executable, shell-quoted.
///
/// The absolute path, so that git finds it whatever `PATH` a GUI client or
/// hook runs with. When an `nbdiff` on `PATH` is this same file (for example
/// a symlink `/opt/homebrew/bin/nbdiff` into a versioned directory), that
/// `PATH` entry is used instead of the resolved file, so that upgrades which
/// move the real file keep working.
pub fn exe_reference() -> Result<String, ConfigError> {
    let exe = std::env::current_exe().map_err(|e| ConfigError::Exe {
        reason: e.to_string(),
    })?;
    let real = std::fs::canonicalize(&exe).unwrap_or_else(|_| exe.clone());
    let name = real
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "nbdiff".into());
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(&name))
            .find(|c| c.is_absolute() && std::fs::canonicalize(c).ok().as_ref() == Some(&real))
    });
    let chosen = on_path.unwrap_or(real);
    let s = chosen.to_str().ok_or_else(|| ConfigError::Exe {
        reason: format!("{} is not UTF-8", chosen.display()),
    })?;
    Ok(shell_quote(s).into_owned())
}

/// Runs `git` in a directory.
#[derive(Debug, Clone)]
pub struct Git {
    /// The working directory of the git commands.
    pub cwd: PathBuf,
}

impl Git {
    fn output(&self, args: &[&str]) -> Result<GitOutput, ConfigError> {
        Ok(super::run::git(args).in_dir(&self.cwd).output()?)
    }

    /// Runs git; its trimmed stdout when it succeeds, `None` when it exits 1
    /// (git config's "not found").
    fn query(&self, args: &[&str]) -> Result<Option<String>, ConfigError> {
        let out = self.output(args)?;
        match out.code {
            Some(0) => Ok(Some(
                String::from_utf8_lossy(&out.stdout)
                    .trim_end_matches('\n')
                    .to_string(),
            )),
            Some(1) => Ok(None),
            _ => Err(self.failed(args, &out)),
        }
    }

    /// Every value of `key` in the scope `flag`, newline-separated; `None`
    /// when it is not set.
    fn get_all(&self, flag: &str, key: &str) -> Result<Option<String>, ConfigError> {
        self.query(&["config", flag, "--get-all", key])
    }

    fn run(&self, args: &[&str]) -> Result<(), ConfigError> {
        let out = self.output(args)?;
        if out.success() {
            Ok(())
        } else {
            Err(self.failed(args, &out))
        }
    }

    fn failed(&self, args: &[&str], out: &GitOutput) -> ConfigError {
        ConfigError::Git {
            args: args.join(" "),
            stderr: out.stderr.clone(),
        }
    }
}

/// The attributes file for a scope, as git would read it.
pub fn attributes_path(
    git: &Git,
    scope: Scope,
    target: AttributesTarget,
) -> Result<PathBuf, ConfigError> {
    match (scope, target) {
        (Scope::Local, AttributesTarget::Private) => {
            let p = git
                .query(&["rev-parse", "--git-path", "info/attributes"])?
                .ok_or(ConfigError::NotInRepository)?;
            Ok(git.cwd.join(p))
        }
        (Scope::Local, AttributesTarget::Shared) => {
            let top = git
                .query(&["rev-parse", "--show-toplevel"])
                .ok()
                .flatten()
                .filter(|t| !t.is_empty())
                .ok_or(ConfigError::SharedNeedsWorktree)?;
            Ok(PathBuf::from(top).join(".gitattributes"))
        }
        (_, AttributesTarget::Shared) => Err(ConfigError::SharedNeedsWorktree),
        (Scope::Global, _) => {
            if let Ok(Some(p)) = git.query(&["var", "GIT_ATTR_GLOBAL"]) {
                if !p.is_empty() {
                    return Ok(PathBuf::from(p));
                }
            }
            if let Some(p) = git.query(&["config", "--path", "--get", "core.attributesFile"])? {
                return Ok(PathBuf::from(p));
            }
            let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
                Some(x) => PathBuf::from(x),
                None => home().join(".config"),
            };
            Ok(base.join("git").join("attributes"))
        }
        (Scope::System, _) => match git.query(&["var", "GIT_ATTR_SYSTEM"]) {
            Ok(Some(p)) if !p.is_empty() => Ok(PathBuf::from(p)),
            _ => Ok(PathBuf::from("/etc/gitattributes")),
        },
    }
}

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// What `--enable` or `--disable` acts on.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The config scope.
    pub scope: Scope,
    /// The attributes file of that scope.
    pub attributes_file: PathBuf,
    /// The config entries.
    pub entries: Vec<Entry>,
    /// The attribute line `--enable` writes ([`ATTRIBUTE_LINE`], or
    /// [`FILTER_ATTRIBUTE_LINE`] with the filter). `--disable` removes either.
    pub attribute_line: &'static str,
}

impl Plan {
    /// Works out the plan for a scope (checks that `--local` is in a repository).
    pub fn new(
        git: &Git,
        scope: Scope,
        target: AttributesTarget,
        exe: &str,
    ) -> Result<Plan, ConfigError> {
        if scope == Scope::Local && !git.output(&["rev-parse", "--git-dir"])?.success() {
            return Err(ConfigError::NotInRepository);
        }
        Ok(Plan {
            scope,
            attributes_file: attributes_path(git, scope, target)?,
            entries: entries(exe),
            attribute_line: ATTRIBUTE_LINE,
        })
    }

    /// The plan with the clean filter too: its entries and the attribute
    /// line with `filter=nbdiff`. `--disable` always uses it, so that it
    /// removes the filter whether or not it was enabled.
    pub fn with_filter(mut self, exe: &str) -> Plan {
        self.entries.extend(filter_entries(exe));
        self.attribute_line = FILTER_ATTRIBUTE_LINE;
        self
    }
}

/// The bytes of a file `config-git` changes or keeps, `None` when absent.
fn read_file(path: &Path) -> Result<Option<Vec<u8>>, ConfigError> {
    match crate::notebook::read_bounded(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(attr_err(path)(source)),
    }
}

fn read_attributes(path: &Path) -> Result<Vec<u8>, ConfigError> {
    Ok(read_file(path)?.unwrap_or_default())
}

/// Writes the attributes file through the one atomic writer.
fn write_attributes(path: &Path, bytes: &[u8]) -> Result<(), ConfigError> {
    crate::write::write_atomic(path, bytes, crate::write::What::Attributes)?;
    Ok(())
}

fn attr_err(path: &Path) -> impl FnOnce(std::io::Error) -> ConfigError + '_ {
    move |source| ConfigError::Attributes {
        path: path.display().to_string(),
        source,
    }
}

/// Writes the entries and the attribute line. Prints each change as the
/// command that makes it (`# …` for what is already in place).
pub fn enable(
    git: &Git,
    plan: &Plan,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<(), ConfigError> {
    let flag = plan.scope.flag();
    let snapshot = snapshot::Snapshot::for_plan(git, plan)?;
    if let (Some(s), false) = (&snapshot, dry_run) {
        s.before_enable()?;
    }
    for entry in &plan.entries {
        let current = git.get_all(flag, entry.key)?;
        if current.as_deref() == Some(entry.value.as_str()) {
            writeln!(out, "# {} already set", entry.key)?;
            continue;
        }
        if let Some(old) = &current {
            // The user's own value: said, and given back by `--disable`.
            writeln!(
                out,
                "# replaces {} = {}",
                entry.key,
                crate::render::sanitize::visible(old)
            )?;
        }
        writeln!(
            out,
            "git config {flag} {} {}",
            entry.key,
            shell_quote(&entry.value)
        )?;
        if !dry_run {
            git.run(&["config", flag, "--replace-all", entry.key, &entry.value])?;
        }
    }
    let path = &plan.attributes_file;
    let mut text = read_attributes(path)?;
    let line = plan.attribute_line;
    let already = attributes::has_line(&text, line)
        || (line == ATTRIBUTE_LINE && attributes::has_line(&text, FILTER_ATTRIBUTE_LINE));
    if line == FILTER_ATTRIBUTE_LINE {
        // Enabling the filter over a plain enable: the new line replaces the old.
        if let Some(without) = attributes::remove_line(&text, ATTRIBUTE_LINE) {
            writeln!(
                out,
                "# remove the line `{ATTRIBUTE_LINE}` from {}",
                shell_quote(&path.display().to_string())
            )?;
            text = without;
            if !dry_run {
                write_attributes(path, &text)?;
            }
        }
    }
    match attributes::add_line(&text, line).filter(|_| !already) {
        None => writeln!(out, "# {} already has `{line}`", path.display())?,
        Some(new) => {
            writeln!(
                out,
                "echo {} >> {}",
                shell_quote(line),
                shell_quote(&path.display().to_string())
            )?;
            if !dry_run {
                if let Some(dir) = path.parent() {
                    let created = created_dir::missing_top(dir);
                    std::fs::create_dir_all(dir).map_err(attr_err(path))?;
                    if let Some(top) = created {
                        created_dir::record(git, flag, &top)?;
                    }
                }
                write_attributes(path, &new)?;
            }
        }
    }
    if let (Some(s), false) = (&snapshot, dry_run) {
        s.after_enable()?;
    }
    Ok(())
}

/// Removes the entries, the sections left empty, and the attribute line.
pub fn disable(
    git: &Git,
    plan: &Plan,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<(), ConfigError> {
    let flag = plan.scope.flag();
    if let Some(s) = snapshot::Snapshot::for_plan(git, plan)? {
        if s.restore(dry_run, out)? {
            delete_textconv_cache(git, dry_run, out)?;
            return Ok(());
        }
    }
    let mut touched: Vec<&str> = Vec::new();
    for entry in &plan.entries {
        if git.get_all(flag, entry.key)?.is_none() {
            continue;
        }
        writeln!(out, "git config {flag} --unset-all {}", entry.key)?;
        if !dry_run {
            git.run(&["config", flag, "--unset-all", entry.key])?;
        }
        if let Some(section) = SECTIONS
            .iter()
            .find(|s| entry.key.starts_with(&format!("{s}.")))
        {
            if !touched.contains(section) {
                touched.push(section);
            }
        }
    }
    for section in touched {
        let pattern = format!("^{}\\.", section.replace('.', "\\."));
        let left = git.query(&["config", flag, "--get-regexp", &pattern])?;
        let left_when_run = left.filter(|text| {
            // In a dry run nothing was unset: only keys that are not ours count.
            !dry_run
                || text.lines().any(|l| {
                    let key = l.split(' ').next().unwrap_or("");
                    !plan.entries.iter().any(|e| e.key.eq_ignore_ascii_case(key))
                })
        });
        if left_when_run.is_none() {
            // git ≥ 2.46 drops a section with its last key; older git leaves an
            // empty `[diff "nbdiff"]` behind. Remove it if it is still there.
            writeln!(
                out,
                "git config {flag} --remove-section {section}   # if still there"
            )?;
            if !dry_run {
                let _ = git.run(&["config", flag, "--remove-section", section]);
            }
        }
    }
    delete_textconv_cache(git, dry_run, out)?;
    let path = &plan.attributes_file;
    let mut text = read_attributes(path)?;
    let mut removed = Vec::new();
    for line in [ATTRIBUTE_LINE, FILTER_ATTRIBUTE_LINE] {
        if let Some(new) = attributes::remove_line(&text, line) {
            text = new;
            removed.push(line);
        }
    }
    if !removed.is_empty() {
        let shown = shell_quote(&path.display().to_string()).into_owned();
        let lines = removed.join("`, `");
        if text.is_empty() {
            writeln!(out, "rm {shown}   # held only `{lines}`")?;
            if !dry_run {
                std::fs::remove_file(path).map_err(attr_err(path))?;
            }
            created_dir::remove(git, flag, path.parent(), dry_run, out)?;
        } else {
            writeln!(out, "# remove the line `{lines}` from {shown}")?;
            if !dry_run {
                write_attributes(path, &text)?;
            }
        }
    }
    Ok(())
}

/// Deletes the textconv cache `cachetextconv` made, in this repository.
fn delete_textconv_cache(git: &Git, dry_run: bool, out: &mut dyn Write) -> Result<(), ConfigError> {
    let cache = git.query(&["rev-parse", "--verify", "--quiet", TEXTCONV_NOTES_REF]);
    if let Ok(Some(id)) = cache.as_ref().map(|o| o.as_ref().filter(|s| !s.is_empty())) {
        writeln!(
            out,
            "git update-ref -d {TEXTCONV_NOTES_REF}   # git's textconv cache"
        )?;
        if !dry_run {
            git.run(&["update-ref", "-d", TEXTCONV_NOTES_REF, id])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_use_the_quoted_exe() {
        let e = entries("'/a b/nbdiff'");
        assert_eq!(e[0].value, "'/a b/nbdiff' diff-driver --");
        assert!(e
            .iter()
            .all(|e| SECTIONS.iter().any(|s| e.key.starts_with(s))));
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote(""), "''");
        assert_eq!(shell_quote("a$b"), "'a$b'");
    }
}
