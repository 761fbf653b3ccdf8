//! `nbdiff resolve [PATH…] [--add] [--force] [--from-markers]`: finds the
//! files to resolve, merges each ([`crate::resolve::merge_stages`] or
//! [`crate::resolve::merge_markers`]), writes the results atomically, stages clean
//! ones with `--add`, and reports.

use super::merge::merge_options;
use super::settings::{Env, MergeFlags};
use crate::exit::Exit;
use crate::git::stages;
use crate::merge::options::{ConflictPolicy, Labels, Options, OutputsPolicy};
use crate::notebook::Notebook;
use crate::resolve::outcome::{self, FileReport, From, Outcome};
use crate::resolve::{
    first_dropped, hand_edits, markers, merge_markers, merge_stages, HandLine, Merged, ResolveError,
};
use crate::write::{write_atomic, What};
use gix::bstr::{BString, ByteSlice};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `nbdiff resolve`.
#[derive(Debug, clap::Args)]
pub struct ResolveArgs {
    /// Notebooks to resolve. Without any: every unmerged notebook of the
    /// repository. A named file that git does not list as unmerged (markers
    /// saved or committed) is rebuilt from its conflict markers, with --force.
    pub paths: Vec<PathBuf>,
    /// Stage (`git add`) the files that merged cleanly, so that `git merge
    /// --continue`, `git rebase --continue` … can go on.
    #[arg(long)]
    pub add: bool,
    /// Also write named files that are not unmerged (rebuilt from their
    /// conflict markers), and unmerged files whose working-tree copy is
    /// already a valid notebook (edited by hand since git wrote it).
    #[arg(long)]
    pub force: bool,
    /// Rebuild unmerged files from the conflict markers git wrote into them,
    /// ignoring the index stages.
    #[arg(long)]
    pub from_markers: bool,
    /// Outputs both sides changed differently [env: NBDIFF_MERGE_OUTPUTS; git
    /// config nbdiff.merge.outputs; project file merge.outputs] [default: auto].
    #[arg(long, value_enum)]
    pub outputs: Option<OutputsPolicy>,
    /// Conflicts: leave them marked, or resolve them to one side or both
    /// [env: NBDIFF_MERGE_CONFLICTS; git config nbdiff.merge.conflicts;
    /// project file merge.conflicts] [default: mark].
    #[arg(long, value_enum)]
    pub conflicts: Option<ConflictPolicy>,
    /// Say each setting and where it came from [env: NBDIFF_VERBOSE=1].
    #[arg(short, long)]
    pub verbose: bool,
}

/// Why `nbdiff resolve` could not start.
#[derive(Debug, thiserror::Error)]
enum StartError {
    #[error("{0}")]
    Setting(#[from] crate::merge::options::SettingError),
    #[error("cannot read the current directory: {0}")]
    Cwd(std::io::Error),
    #[error("not inside a git repository with a working tree: name the notebooks to rebuild from their conflict markers (`nbdiff resolve --force FILE`)")]
    NoRepository,
    #[error(transparent)]
    Git(#[from] stages::GitError),
}

/// A file to resolve.
enum Job {
    /// An unmerged path: repository-relative path and its stages.
    Index(stages::Unmerged),
    /// A named file git does not list as unmerged.
    Named {
        file: PathBuf,
        repo_path: Option<BString>,
    },
}

/// Runs `nbdiff resolve`.
pub fn run(args: ResolveArgs, env: Env, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    match run_inner(&args, env, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "nbdiff resolve: {e}");
            Exit::Error
        }
    }
}

fn run_inner(
    args: &ResolveArgs,
    env: Env,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Exit, StartError> {
    let cwd = std::env::current_dir().map_err(StartError::Cwd)?;
    let repo = gix::discover_with_environment_overrides(&cwd)
        .ok()
        .filter(|r| r.workdir().is_some());
    let workdir = repo
        .as_ref()
        .and_then(|r| r.workdir())
        .map(Path::to_path_buf);
    // Policies and `merge.conflictStyle` as the merge driver reads them:
    // from the folder each notebook is in (the project file found from
    // there), found once per folder; the driver's default labels.
    let flags = MergeFlags {
        outputs: args.outputs,
        conflicts: args.conflicts,
        style: None,
        verbose: args.verbose,
    };
    let mut folders: HashMap<PathBuf, Options> = HashMap::new();
    let mut options_for = |dir: &Path, err: &mut dyn Write| -> Result<Options, StartError> {
        if let Some(opts) = folders.get(dir) {
            return Ok(opts.clone());
        }
        let project = crate::project::ProjectConfig::discover(dir);
        let settings = super::settings::merge(flags, env, true, dir, &project)?;
        if settings.verbose.value {
            settings.say(err);
        }
        let labels = Labels {
            local: "ours".into(),
            base: "base".into(),
            remote: "theirs".into(),
        };
        let opts = merge_options(
            &settings,
            crate::text::merge3::DEFAULT_MARKER_SIZE,
            labels,
            dir,
            &project,
            err,
        );
        folders.insert(dir.to_path_buf(), opts.clone());
        Ok(opts)
    };
    let unmerged = match &repo {
        Some(r) => stages::unmerged(r)?,
        None => Vec::new(),
    };
    let jobs = jobs(args, repo.as_ref(), unmerged)?;
    if jobs.is_empty() {
        let _ = writeln!(out, "nothing to resolve: no unmerged notebooks");
        return Ok(Exit::Ok);
    }
    // Repository-wide settings, read once.
    let (labels, sizes) = match (&repo, &workdir) {
        (Some(r), Some(w)) => {
            let paths: Vec<BString> = jobs
                .iter()
                .filter_map(|j| match j {
                    Job::Index(u) => Some(u.path.clone()),
                    Job::Named { .. } => None,
                })
                .collect();
            let sizes: HashMap<BString, usize> = paths
                .iter()
                .cloned()
                .zip(stages::marker_sizes(w, &paths))
                .collect();
            (stages::state_labels(r), sizes)
        }
        _ => (Default::default(), HashMap::new()),
    };
    let mut reports = Vec::new();
    let mut to_add: Vec<BString> = Vec::new();
    for job in jobs {
        let (report, add) = match job {
            Job::Index(u) => {
                let (Some(repo), Some(workdir)) = (&repo, &workdir) else {
                    continue;
                };
                let folder = match gix::path::from_bstr(&u.path) {
                    Ok(path) => workdir.join(crate::clean::dir_of(&path)),
                    Err(_) => workdir.clone(),
                };
                let mut opts = match options_for(&folder, err) {
                    Ok(opts) => opts,
                    Err(e) => {
                        reports.push(not_resolved(u.path.to_str_lossy().into_owned(), &e));
                        continue;
                    }
                };
                opts.marker_size = sizes.get(&u.path).copied().unwrap_or(opts.marker_size);
                opts.labels.take_found(&labels);
                let r = resolve_unmerged(repo, workdir, &u, &opts, args);
                let add = clean_written(&r).then(|| u.path.clone());
                (r, add)
            }
            Job::Named { file, repo_path } => {
                let folder = crate::clean::dir_of(&file);
                let opts = match options_for(&folder, err) {
                    Ok(opts) => opts,
                    Err(e) => {
                        reports.push(not_resolved(file.display().to_string(), &e));
                        continue;
                    }
                };
                let r = resolve_named(&file, &opts, args);
                let add = repo_path.filter(|_| clean_written(&r));
                (r, add)
            }
        };
        reports.push(report);
        to_add.extend(add);
    }
    if args.add && !to_add.is_empty() {
        if let Some(w) = &workdir {
            match git_add(w, &to_add) {
                Ok(()) => mark_staged(&mut reports),
                Err(message) => reports.push(FileReport {
                    path: String::from("git add"),
                    outcome: Outcome::Failed(message),
                }),
            }
        }
    }
    let _ = outcome::render(&reports, out, err);
    Ok(outcome::exit_code(&reports))
}

/// The report of a file whose folder's settings cannot be read (a value
/// nbdiff does not know in its project file): the file is left as it is,
/// and the other files are still resolved.
fn not_resolved(path: String, e: &StartError) -> FileReport {
    let outcome = Outcome::Failed(format!("{path}: not resolved: {e}"));
    FileReport { path, outcome }
}

/// Marks every cleanly written file as staged (after a successful `git add`).
fn mark_staged(reports: &mut [FileReport]) {
    for r in reports {
        if let Outcome::Written {
            conflicts: 0,
            staged,
            ..
        } = &mut r.outcome
        {
            *staged = true;
        }
    }
}

fn clean_written(r: &FileReport) -> bool {
    matches!(r.outcome, Outcome::Written { conflicts: 0, .. })
}

/// The files to resolve: every unmerged notebook without paths; otherwise
/// the named ones, unmerged or not.
fn jobs(
    args: &ResolveArgs,
    repo: Option<&gix::Repository>,
    unmerged: Vec<stages::Unmerged>,
) -> Result<Vec<Job>, StartError> {
    if args.paths.is_empty() {
        if repo.is_none() {
            return Err(StartError::NoRepository);
        }
        return Ok(unmerged
            .into_iter()
            .filter(|u| u.path.ends_with(b".ipynb"))
            .map(Job::Index)
            .collect());
    }
    let prefix = repo
        .and_then(|r| r.prefix().ok().flatten())
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut by_path: HashMap<BString, stages::Unmerged> =
        unmerged.into_iter().map(|u| (u.path.clone(), u)).collect();
    let mut out = Vec::new();
    for p in &args.paths {
        let repo_path = repo.and_then(|r| repo_relative(r, &prefix, p));
        match repo_path.as_ref().and_then(|rp| by_path.remove(rp)) {
            Some(u) => out.push(Job::Index(u)),
            None => out.push(Job::Named {
                file: p.clone(),
                repo_path,
            }),
        }
    }
    Ok(out)
}

/// `path` (relative to the current directory) as a repository path, when it
/// is inside the working tree.
fn repo_relative(repo: &gix::Repository, prefix: &Path, path: &Path) -> Option<BString> {
    if path.is_absolute() {
        let workdir = repo.workdir()?.canonicalize().ok()?;
        let parent = path.parent()?.canonicalize().ok()?;
        let rel = parent.strip_prefix(&workdir).ok()?.join(path.file_name()?);
        return crate::git::revs::to_repo_path(Path::new(""), &rel).ok();
    }
    crate::git::revs::to_repo_path(prefix, path).ok()
}

fn written(from: From, m: Merged) -> Outcome {
    Outcome::Written {
        from,
        base: m.base,
        conflicts: m.conflicts,
        places: m.places,
        notes: m.notes,
        staged: false,
    }
}

/// Merges an unmerged path from its index stages (or, with
/// `--from-markers`, from the working-tree file's markers) into the
/// working tree.
fn resolve_unmerged(
    repo: &gix::Repository,
    workdir: &Path,
    u: &stages::Unmerged,
    opts: &Options,
    args: &ResolveArgs,
) -> FileReport {
    let shown = u.path.to_str_lossy().into_owned();
    let file = workdir.join(stages::os_path(u.path.as_bstr()));
    let report = |outcome| FileReport {
        path: shown.clone(),
        outcome,
    };
    let (Some(ours), Some(theirs)) = (u.ours, u.theirs) else {
        let who = if u.ours.is_none() { "us" } else { "them" };
        return report(Outcome::Skipped(format!(
            "deleted by {who} and changed on the other side; keep it with `git add` or delete it with `git rm`"
        )));
    };
    let current = match std::fs::symlink_metadata(&file) {
        Ok(m) if m.file_type().is_symlink() => {
            return report(Outcome::Failed(format!(
                "{shown}: is a symbolic link in the working tree; left as it is"
            )))
        }
        _ => std::fs::read(&file).ok(),
    };
    let text = current.as_deref().and_then(|b| std::str::from_utf8(b).ok());
    let split = text.and_then(|t| markers::parse(t).ok());
    let read = |id| stages::blob(repo, id, u.path.as_bstr());
    let blobs = (|| -> Result<_, stages::GitError> {
        Ok((u.base.map(read).transpose()?, read(ours)?, read(theirs)?))
    })();
    let (base, ours, theirs) = match blobs {
        Ok(b) => b,
        Err(e) => return report(Outcome::Failed(e.to_string())),
    };
    // Lines the file has that no stage has: edits made by hand since git
    // wrote it. Merging the stages would lose them.
    let hand = current.as_deref().map_or_else(Vec::new, |c| {
        hand_edits(c, &[base.as_deref().unwrap_or_default(), &ours, &theirs])
    });
    let valid = current
        .as_deref()
        .is_some_and(|b| Notebook::parse(b, &shown).is_ok());
    if valid && !args.force {
        if let Some(bytes) = &current {
            return report(already_valid(&file, &shown, bytes));
        }
    }
    let refuse = |h: &HandLine, why: &str| {
        let mut shown_line: String = crate::render::sanitize::visible(h.text.trim()).into_owned();
        if shown_line.chars().count() > 60 {
            shown_line = shown_line.chars().take(57).collect::<String>() + "...";
        }
        report(Outcome::Failed(format!(
            "{shown}: line {}: `{shown_line}` ({} line(s) in all) is in none of the versions git recorded: it was edited by hand since the merge, and {why}. File left untouched. Finish resolving it by hand (a valid notebook), then `git add {shown}`; or `nbdiff resolve --force {shown}` merges the index stages over it (keeping the file as {})",
            h.line,
            hand.len(),
            backup_name(&file, current.as_deref().unwrap_or_default()).display(),
        )))
    };
    let from_markers = args.from_markers || (!hand.is_empty() && !args.force);
    let merged = if from_markers {
        let Some(bytes) = &current else {
            return report(Outcome::Failed(format!(
                "{shown}: cannot read the working-tree file"
            )));
        };
        match merge_markers(bytes, &shown, opts) {
            Ok(mut m) => {
                if let Some(h) = first_dropped(&hand, &m.bytes) {
                    return refuse(h, "merging from its conflict markers would drop it");
                }
                if !hand.is_empty() && !args.from_markers {
                    m.notes.push(format!(
                        "merged from the conflict markers, not the index stages, to keep {} line(s) edited by hand",
                        hand.len()
                    ));
                }
                Ok((From::Markers, m))
            }
            Err(e) => match hand.first() {
                Some(h) => {
                    return refuse(h, &format!("its conflict markers cannot be merged ({e})"))
                }
                None => Err(e),
            },
        }
    } else {
        // The labels git wrote into the file's markers (they are the ones
        // git passes a merge driver), over those of the repository state.
        let mut opts = opts.clone();
        if let Some(s) = &split {
            opts.labels.take_found(&s.labels);
        }
        merge_stages(base.as_deref(), &ours, &theirs, &shown, &opts).map(|m| (From::Index, m))
    };
    // What is replaced and not in the index (hand edits, a valid notebook
    // written over with --force) is kept beside the file.
    let backup = match (&current, hand.is_empty() && !valid) {
        (Some(bytes), false) => match &merged {
            Ok((_, m)) if m.bytes != *bytes => Some(bytes.as_slice()),
            _ => None,
        },
        _ => None,
    };
    finish_keeping(&file, merged, backup, report)
}

/// Where `resolve` keeps `bytes`, the file it replaces: `FILE.resolve-backup`,
/// or `FILE.resolve-backup.N` (N = 2, 3, …) when that already holds something
/// else: an earlier backup is never written over.
fn backup_name(file: &Path, bytes: &[u8]) -> PathBuf {
    let mut n = 1usize;
    loop {
        let mut name = file.as_os_str().to_os_string();
        name.push(".resolve-backup");
        if n > 1 {
            name.push(format!(".{n}"));
        }
        let path = PathBuf::from(name);
        let free = std::fs::symlink_metadata(&path).is_err()
            || std::fs::read(&path).is_ok_and(|old| old == bytes);
        if free {
            return path;
        }
        n += 1;
    }
}

/// An unmerged path whose working file is already a valid notebook (the
/// merge driver's result, or resolved by hand): records of conflicts that
/// are gone are dropped; the hint says what is left to do.
fn already_valid(file: &Path, shown: &str, bytes: &[u8]) -> Outcome {
    let (bytes, dropped) = match crate::merge::stale::without_stale(bytes, shown) {
        Some((new, d)) => match write_atomic(file, &new, What::ResolvedNotebook) {
            Ok(()) => (new, d.cells + usize::from(d.notebook)),
            Err(e) => return Outcome::Failed(e.to_string()),
        },
        None => (bytes.to_vec(), 0),
    };
    let dropped = if dropped > 0 {
        format!("dropped {dropped} record(s) of conflicts already resolved; ")
    } else {
        String::new()
    };
    let left = Notebook::parse(&bytes, shown)
        .map(|nb| crate::merge::leftover::find(&nb))
        .unwrap_or_default();
    if left.no_conflict() {
        Outcome::Skipped(format!(
            "{dropped}already a valid notebook with no conflict left: `git add {shown}` to mark it resolved"
        ))
    } else {
        Outcome::Skipped(format!(
            "{dropped}already a valid notebook (the merge driver's result), with conflicts left: open it in Jupyter, keep one version of each conflict and delete its notice cells (or edit the markers), then `git add {shown}`"
        ))
    }
}

/// Rebuilds a named file that is not unmerged from its conflict markers.
fn resolve_named(file: &Path, policy: &Options, args: &ResolveArgs) -> FileReport {
    let shown = file.display().to_string();
    let report = |outcome| FileReport {
        path: shown.clone(),
        outcome,
    };
    let bytes = match crate::notebook::read_bounded(file) {
        Ok(b) => b,
        Err(e) => return report(Outcome::Failed(format!("{shown}: cannot read: {e}"))),
    };
    // Lossy: a file that is not UTF-8 but holds markers goes on to
    // `merge_markers`, which says where the bad bytes are.
    let marker_line = markers::first_marker_line(&String::from_utf8_lossy(&bytes));
    let Some(line) = marker_line else {
        let why = match Notebook::parse(&bytes, &shown) {
            Ok(_) => format!("{shown}: not unmerged, and no conflict markers: nothing to resolve"),
            Err(e) => format!("{e}; and no conflict markers to rebuild it from"),
        };
        return report(Outcome::Failed(why));
    };
    if !args.force {
        return report(Outcome::Failed(format!(
            "{shown}: line {line}: holds conflict markers but git does not list it as unmerged (saved or committed after a merge); `nbdiff resolve --force {shown}` rebuilds it from them"
        )));
    }
    let merged = merge_markers(&bytes, &shown, policy).map(|m| (From::Markers, m));
    finish(file, merged, report)
}

fn finish(
    file: &Path,
    merged: Result<(From, Merged), ResolveError>,
    report: impl Fn(Outcome) -> FileReport,
) -> FileReport {
    finish_keeping(file, merged, None, report)
}

/// Writes the merge over `file`, first keeping `backup` (the bytes
/// replaced) beside it when given.
fn finish_keeping(
    file: &Path,
    merged: Result<(From, Merged), ResolveError>,
    backup: Option<&[u8]>,
    report: impl Fn(Outcome) -> FileReport,
) -> FileReport {
    match merged {
        Ok((from, mut m)) => {
            if let Some(old) = backup {
                let to = backup_name(file, old);
                if let Err(e) = write_atomic(&to, old, What::Backup) {
                    return report(Outcome::Failed(format!(
                        "{e}; cannot keep a backup, so the file is left untouched"
                    )));
                }
                m.notes.push(format!(
                    "the file it replaced is kept as {}",
                    crate::render::sanitize::visible_name(&to.display().to_string())
                ));
            }
            match write_atomic(file, &m.bytes, What::ResolvedNotebook) {
                Ok(()) => report(written(from, m)),
                Err(e) => report(Outcome::Failed(e.to_string())),
            }
        }
        Err(e) => report(Outcome::Failed(format!("{e} (file left untouched)"))),
    }
}

/// `git add -- PATHS` in the working tree.
fn git_add(workdir: &Path, paths: &[BString]) -> Result<(), String> {
    crate::git::run::git(&["add", "--"])
        .in_dir(workdir)
        .paths(paths.iter().map(|p| stages::os_path(p.as_bstr())))
        .stdout()
        .map(drop)
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_never_writes_over_an_earlier_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("nb.ipynb");
        let first = dir.path().join("nb.ipynb.resolve-backup");
        assert_eq!(backup_name(&file, b"a"), first);
        std::fs::write(&first, b"a").expect("write");
        // The same bytes: the same backup; other bytes: the next free name.
        assert_eq!(backup_name(&file, b"a"), first);
        let second = dir.path().join("nb.ipynb.resolve-backup.2");
        assert_eq!(backup_name(&file, b"b"), second);
        let merged = || {
            Ok((
                From::Index,
                Merged {
                    bytes: b"merged".to_vec(),
                    conflicts: 0,
                    places: Vec::new(),
                    notes: Vec::new(),
                    base: crate::resolve::BaseKind::Index,
                },
            ))
        };
        let report = |outcome| FileReport {
            path: "nb.ipynb".into(),
            outcome,
        };
        let _ = finish_keeping(&file, merged(), Some(b"b"), report);
        assert_eq!(std::fs::read(&first).expect("first"), b"a");
        assert_eq!(std::fs::read(&second).expect("second"), b"b");
        assert_eq!(std::fs::read(&file).expect("file"), b"merged");
    }
}
