//! The `nbdiff merge` and `nbdiff merge-driver` commands: read the three
//! files, merge, write the result atomically, report on stderr, exit as git
//! expects (0 clean, 1 conflicts, 2 error).

use super::settings::{Env, MergeFlags, MergeSettings, Project};
use crate::exit::Exit;
use crate::merge::options::{ConflictPolicy, ConflictStyle, Labels, Options, OutputsPolicy};
use crate::merge::{merge_bytes, Inputs, Outcome};
use crate::project::ProjectConfig;
use crate::write::{write_atomic, write_with, Durability, What};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Policies and marker options shared by both commands.
#[derive(Debug, Clone, clap::Args)]
pub struct PolicyArgs {
    /// Outputs both sides changed differently [env: NBDIFF_MERGE_OUTPUTS; git
    /// config nbdiff.merge.outputs for the driver; project file
    /// merge.outputs] [default: auto].
    #[arg(long, value_enum)]
    pub outputs: Option<OutputsPolicy>,
    /// Conflicts: leave them marked, or resolve them to one side or both
    /// [env: NBDIFF_MERGE_CONFLICTS; git config nbdiff.merge.conflicts for the
    /// driver; project file merge.conflicts] [default: mark].
    #[arg(long, value_enum)]
    pub conflicts: Option<ConflictPolicy>,
    /// How conflicts are written, as git's merge.conflictStyle [merge-driver:
    /// git config merge.conflictStyle; project file merge.conflict-style]
    /// [default: merge].
    #[arg(long, value_enum, value_name = "STYLE")]
    pub conflict_style: Option<ConflictStyle>,
    /// Same as --conflict-style diff3.
    #[arg(long, conflicts_with = "conflict_style")]
    pub diff3: bool,
    /// List every rule-based resolution on stderr, not a summary per kind,
    /// and say each setting and where it came from [env: NBDIFF_VERBOSE=1].
    #[arg(short, long)]
    pub verbose: bool,
    /// Label after `<<<<<<<`.
    #[arg(long, value_name = "LABEL")]
    pub label_local: Option<String>,
    /// Label after `|||||||` (with --diff3).
    #[arg(long, value_name = "LABEL")]
    pub label_base: Option<String>,
    /// Label after `>>>>>>>`.
    #[arg(long, value_name = "LABEL")]
    pub label_remote: Option<String>,
}

/// Arguments of `nbdiff merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The common ancestor.
    pub base: PathBuf,
    /// Our version.
    pub local: PathBuf,
    /// Their version.
    pub remote: PathBuf,
    /// Where to write the result (stdout when absent); written atomically.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Minimum conflict marker length (1 to 1024).
    #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u16).range(1..=crate::merge::MAX_MARKER_SIZE as i64))]
    pub marker_size: u16,
    /// Policies and labels.
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Arguments of `nbdiff merge-driver`, for git's `merge.<driver>.driver`:
/// `nbdiff merge-driver %O %A %B %L %P --label-base %S --label-local %X --label-remote %Y`.
#[derive(Debug, clap::Args)]
pub struct DriverArgs {
    /// `%O`: the common ancestor.
    pub base: PathBuf,
    /// `%A`: our version; the result is written here.
    pub local: PathBuf,
    /// `%B`: their version.
    pub remote: PathBuf,
    /// `%L`: conflict marker size (a repository's `conflict-marker-size`
    /// attribute: clamped to 1..=1024; not a number: 7).
    #[arg(allow_hyphen_values = true)]
    pub marker_size: Option<String>,
    /// `%P`: the path in the repository (for messages).
    #[arg(allow_hyphen_values = true)]
    pub path: Option<String>,
    /// Policies and labels.
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// Why a merge command could not run.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// An input file could not be read.
    #[error("{path}: cannot read the {side} version: {source}")]
    Read {
        /// Which input (base, local, remote).
        side: &'static str,
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The result could not be written.
    #[error(transparent)]
    Write(#[from] crate::write::WriteError),
    /// A policy setting had an unknown value.
    #[error(transparent)]
    Setting(#[from] crate::merge::options::SettingError),
}

/// Runs `nbdiff merge`.
pub fn run(args: MergeArgs, env: Env, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let result = (|| -> Result<Exit, CommandError> {
        let dir = Path::new(".");
        let (settings, project) = settings(&args.policy, false, dir, env, err)?;
        let names = [&args.base, &args.local, &args.remote].map(|p| p.display().to_string());
        let verbose = settings.verbose.value;
        let opts = options(
            &args.policy,
            &settings,
            dir,
            &project,
            usize::from(args.marker_size),
            [&names[0], &names[1], &names[2]],
            err,
        );
        let files = read_three(&args.base, &args.local, &args.remote)?;
        let outcome = merge_bytes(inputs(&files, &names), &opts);
        // The user's file is the output (under `git mergetool`, LOCAL is a
        // temporary file deleted afterwards). Written first: when it cannot
        // be written, that error is the only message.
        let shown = match &args.output {
            Some(path) => {
                write_atomic(path, &outcome.bytes, What::MergeResult)?;
                path.display().to_string()
            }
            None => {
                let written = out.write_all(&outcome.bytes).and_then(|()| out.flush());
                let code = crate::exit::after_write(written, exit_of(&outcome), err);
                if code != Exit::Error {
                    report(&outcome, &names[1], verbose, err);
                }
                return Ok(code);
            }
        };
        report(&outcome, &shown, verbose, err);
        Ok(exit_of(&outcome))
    })();
    finish(result, err)
}

/// Runs `nbdiff merge-driver`: writes the result into `%A`.
pub fn run_driver(args: DriverArgs, env: Env, err: &mut dyn Write) -> Exit {
    let result = (|| -> Result<Exit, CommandError> {
        // git runs the driver at the top of the working tree and names the
        // notebook by its path there (%P): its folder's settings, as the
        // filter cleans it and the diff shows it.
        let folder = args
            .path
            .as_deref()
            .map(|p| crate::clean::dir_of(Path::new(p)))
            .filter(|d| d.is_dir())
            .unwrap_or_else(|| PathBuf::from("."));
        let (settings, project) = settings(&args.policy, true, &folder, env, err)?;
        let verbose = settings.verbose.value;
        let shown = args
            .path
            .clone()
            .unwrap_or_else(|| args.local.display().to_string());
        let names = [
            format!("{shown} (base)"),
            shown.clone(),
            format!("{shown} (remote)"),
        ];
        let size = driver_marker_size(args.marker_size.as_deref());
        let opts = options(
            &args.policy,
            &settings,
            &folder,
            &project,
            size,
            ["base", "ours", "theirs"],
            err,
        );
        let files = read_three(&args.base, &args.local, &args.remote)?;
        let outcome = merge_bytes(inputs(&files, &names), &opts);
        if outcome.bytes != files[1] {
            // %A is git's own temporary file, read back as soon as we exit:
            // replaced atomically, but not fsynced.
            write_with(
                &args.local,
                &outcome.bytes,
                What::MergeResult,
                Durability::Unsynced,
            )?;
        }
        report(&outcome, &shown, verbose, err);
        Ok(exit_of(&outcome))
    })();
    finish(result, err)
}

/// The settings of a merge command ([`super::settings::merge`]; git config
/// only for the driver) and the project file they were read from, found
/// from `dir` (the notebook's folder for the driver); with `-v`, each
/// setting and its origin on `err`.
fn settings(
    p: &PolicyArgs,
    use_git_config: bool,
    dir: &Path,
    env: Env,
    err: &mut dyn Write,
) -> Result<(MergeSettings, Project), CommandError> {
    let style = match (p.conflict_style, p.diff3) {
        (Some(s), _) => Some(s),
        (None, true) => Some(ConflictStyle::Diff3),
        (None, false) => None,
    };
    let flags = MergeFlags {
        outputs: p.outputs,
        conflicts: p.conflicts,
        style,
        verbose: p.verbose,
    };
    let project = ProjectConfig::discover(dir);
    let settings = super::settings::merge(flags, env, use_git_config, dir, &project)?;
    if settings.verbose.value {
        settings.say(err);
    }
    Ok((settings, project))
}

fn options(
    p: &PolicyArgs,
    settings: &MergeSettings,
    dir: &Path,
    project: &Project,
    marker_size: usize,
    default_labels: [&str; 3],
    err: &mut dyn Write,
) -> Options {
    let labels = Labels {
        base: label(&p.label_base, default_labels[0]),
        local: label(&p.label_local, default_labels[1]),
        remote: label(&p.label_remote, default_labels[2]),
    };
    merge_options(settings, marker_size, labels, dir, project, err)
}

/// The options of a merge by the merge commands and `nbdiff resolve`:
/// `settings` ([`super::settings::merge`]), the volatile-field table found
/// from `dir` with its `project` file (git runs the driver at the top of
/// the working tree), marker size and labels.
pub(super) fn merge_options(
    settings: &MergeSettings,
    marker_size: usize,
    labels: Labels,
    dir: &Path,
    project: &Project,
    err: &mut dyn Write,
) -> Options {
    let plain = settings.plain();
    let ignore = super::settings::ignore(dir, project);
    if settings.verbose.value {
        ignore.say(err);
    }
    Options {
        outputs: plain.outputs,
        conflicts: plain.conflicts,
        marker_size: marker_size.clamp(1, crate::merge::MAX_MARKER_SIZE),
        labels,
        style: plain.style,
        policy: std::sync::Arc::new(ignore.policy(err)),
    }
}

/// git's `%L`: a number, clamped to `1..=`[`crate::merge::MAX_MARKER_SIZE`]
/// (however many digits); anything else (absent, empty, 0, not a number) is
/// the default 7.
fn driver_marker_size(given: Option<&str>) -> usize {
    let Some(digits) = given.map(str::trim).filter(|d| !d.is_empty()) else {
        return crate::text::merge3::DEFAULT_MARKER_SIZE;
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return crate::text::merge3::DEFAULT_MARKER_SIZE;
    }
    // Leading zeros aside, more than 4 digits is above the maximum.
    let significant = digits.trim_start_matches('0');
    if significant.len() > 4 {
        return crate::merge::MAX_MARKER_SIZE;
    }
    match significant.parse::<usize>() {
        Ok(n) if n > 0 => n.min(crate::merge::MAX_MARKER_SIZE),
        _ => crate::text::merge3::DEFAULT_MARKER_SIZE,
    }
}

/// A conflict label, or the default when absent, empty, or a placeholder git
/// left unexpanded (`%S`, `%X`, `%Y` are only expanded by git 2.44 and later).
fn label(given: &Option<String>, default: &str) -> String {
    match given.as_deref() {
        Some(l) if !l.is_empty() && !matches!(l, "%S" | "%X" | "%Y") => l.to_string(),
        _ => default.to_string(),
    }
}

fn read_three(base: &Path, local: &Path, remote: &Path) -> Result<[Vec<u8>; 3], CommandError> {
    let read = |side: &'static str, p: &Path| {
        crate::notebook::read_bounded(p).map_err(|source| CommandError::Read {
            side,
            path: p.display().to_string(),
            source,
        })
    };
    Ok([
        read("base", base)?,
        read("local", local)?,
        read("remote", remote)?,
    ])
}

fn inputs<'a>(files: &'a [Vec<u8>; 3], names: &'a [String; 3]) -> Inputs<'a> {
    Inputs {
        base: (&files[0], &names[0]),
        local: (&files[1], &names[1]),
        remote: (&files[2], &names[2]),
    }
}

fn report(outcome: &Outcome, shown: &str, verbose: bool, err: &mut dyn Write) {
    crate::merge::summary::write(outcome, shown, verbose, err);
}

fn exit_of(outcome: &Outcome) -> Exit {
    if outcome.conflicts > 0 {
        Exit::Conflicts
    } else {
        Exit::Ok
    }
}

fn finish(result: Result<Exit, CommandError>, err: &mut dyn Write) -> Exit {
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "nbdiff: {e}");
            Exit::Error
        }
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn git_marker_size_is_clamped_whatever_its_digits() {
        use super::driver_marker_size as size;
        assert_eq!(size(None), 7);
        assert_eq!(size(Some("")), 7);
        assert_eq!(size(Some("x")), 7);
        assert_eq!(size(Some("-3")), 7);
        assert_eq!(size(Some("0")), 7);
        assert_eq!(size(Some("12")), 12);
        assert_eq!(size(Some("0012")), 12);
        assert_eq!(size(Some("2147483647")), 1024);
        assert_eq!(size(Some("18446744073709551615999")), 1024);
    }

    #[test]
    fn unexpanded_git_placeholders_fall_back_to_default_labels() {
        for placeholder in ["%S", "%X", "%Y", ""] {
            assert_eq!(label(&Some(placeholder.into()), "ours"), "ours");
        }
        assert_eq!(label(&None, "ours"), "ours");
        assert_eq!(label(&Some("HEAD".into()), "ours"), "HEAD");
    }
}
