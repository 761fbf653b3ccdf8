//! The default command, `nbdiff [OPTIONS] OLD NEW` or `nbdiff [REV [REV]]
//! [-- PATH…]`: decides files or revisions, builds one [`Request`] and one
//! output (`Collect`: pairs written one by one, or one whole report) from
//! the arguments, and sends every notebook pair down
//! [`crate::compare::compare`].

use super::DiffArgs;
use crate::compare::{compare, Request, Side, Sink};
use crate::diff::DiffOptions;
use crate::exit::Exit;
use crate::git::revs::RevError;
use crate::notebook::free_later;
use crate::notebook::read_many;
use crate::notebook::LoadError;
use crate::render::review::Report;
use crate::render::{self, Format, Output, PairFormat, RenderOptions};
use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// The two files to compare: `OLD NEW`, or git's 7 external-diff arguments.
fn diff_paths(paths: &[PathBuf]) -> Option<(&PathBuf, &PathBuf)> {
    match paths {
        [a, b] => Some((a, b)),
        [_, a, _, _, b, _, _] => Some((a, b)),
        _ => None,
    }
}

/// The output format asked for, decided once.
pub fn format(args: &DiffArgs) -> Format {
    if args.json {
        Format::Json
    } else if args.html {
        Format::Html
    } else if args.markdown {
        Format::Markdown
    } else if args.stat == Some(render::stat::StatMode::Notebooks) {
        // Collected like a report so that its columns line up.
        Format::Stat
    } else if args.stat == Some(render::stat::StatMode::Cells) {
        Format::StatCells
    } else {
        Format::Terminal
    }
}

/// Where this command's notebook pairs go: written one by one by a
/// per-pair renderer, or collected into one report written at the end.
enum Collect {
    /// Terminal, `--stat`, `--json`.
    Pairs(PairFormat),
    /// `--html`, `--markdown`.
    Report(Report),
}

impl Collect {
    fn new(args: &DiffArgs) -> Collect {
        match format(args).output() {
            Output::Pairs(f) => Collect::Pairs(f),
            Output::Report(f) => {
                Collect::Report(Report::new(f, args.context, args.show_all, args.max_bytes))
            }
        }
    }

    /// The sink the pairs are handed to.
    fn sink<'a>(&'a mut self, out: &'a mut dyn Write) -> Sink<'a> {
        match self {
            Collect::Pairs(f) => Sink::Pairs(*f, out),
            Collect::Report(r) => Sink::Report(r),
        }
    }

    /// Writes the report, once every pair is in it.
    fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Collect::Pairs(_) => Ok(()),
            Collect::Report(r) => r.finish(out),
        }
    }
}

/// `-o FILE`: runs the diff into memory, then writes FILE with
/// [`crate::write::write_atomic`] (a temporary file renamed over it, links
/// followed); a failed run leaves FILE untouched.
fn run_diff_to_file(
    args: &DiffArgs,
    path: &Path,
    env: &dyn Fn(&str) -> Option<String>,
    err: &mut dyn Write,
) -> Exit {
    let mut buf = Vec::new();
    let code = run_diff(args, false, env, &mut buf, err);
    if code == Exit::Error {
        return code;
    }
    match crate::write::write_atomic(path, &buf, crate::write::What::DiffOutput) {
        Ok(()) => code,
        Err(e) => {
            let _ = writeln!(err, "nbdiff: {e}");
            Exit::Error
        }
    }
}

/// The request every notebook pair of this command is compared with:
/// the semantic diff's switches (the policy adds the user's paths, see
/// [`super::settings::policy`]; warnings go to `err`) and the renderer's
/// switches. `color` was decided by the caller.
///
/// The policy is `dir`'s (the folder of the one notebook compared); without
/// `dir` (several notebooks, possibly in several folders) the git layer asks
/// for each pair's folder through [`Request::in_folder`].
pub fn request(args: &DiffArgs, color: bool, dir: Option<&Path>, err: &mut dyn Write) -> Request {
    let defaults = DiffOptions::default();
    // nbdime's patch is complete: it reads no policy.
    let (policy, policy_for) = match dir {
        _ if args.json => (defaults.policy, None),
        Some(dir) => (Arc::new(super::settings::policy(dir, err)), None),
        None => (defaults.policy, Some(super::settings::policy_for())),
    };
    Request {
        diff: DiffOptions {
            ignore_outputs: args.ignore_outputs,
            ignore_metadata: args.ignore_metadata,
            ignore_ids: args.ignore_ids,
            ignore_whitespace: args.ignore_whitespace,
            show_all: args.show_all,
            policy,
        },
        render: RenderOptions {
            color,
            context: args.context,
            outputs: args.outputs,
        },
        one_of_many: false,
        policy_for,
    }
}

/// The folder whose settings rule a diff of two files: the new file's (its
/// path as git names it when git hands over seven arguments), as `clean` of
/// that file uses; the current directory's when that folder is in neither a
/// repository nor a project (a temporary copy, as `git difftool` hands over).
fn policy_dir(new: &Path) -> std::path::PathBuf {
    let dir = crate::clean::dir_of(new);
    let known = !matches!(crate::project::ProjectConfig::discover(&dir), Ok(None))
        || gix::discover(&dir).is_ok();
    if known {
        dir
    } else {
        ".".into()
    }
}

/// Runs the default command: the revision form when the arguments are not
/// two files, else the two files.
pub fn run_diff(
    args: &DiffArgs,
    tty: bool,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    if args.parse_only {
        return parse_only(&args.paths, err);
    }
    if super::open::wanted(args) {
        return super::open::run(args, env, out, err);
    }
    if let Some(path) = &args.out_file {
        let args = DiffArgs {
            out_file: None,
            ..args.clone()
        };
        return run_diff_to_file(&args, path, env, err);
    }
    let color =
        render::color::use_color(args.color, &render::color::ColorEnv::read(tty, env), None);
    let tried_revisions = wants_revisions(&args.paths, args.cached);
    if tried_revisions {
        if let Some(exit) = run_revisions(args, color, out, err) {
            return exit;
        }
    }
    let Some((old_path, new_path)) = diff_paths(&args.paths) else {
        let _ = writeln!(
            err,
            "nbdiff: expected two notebooks (OLD NEW), got {} argument(s); see `nbdiff --help`",
            args.paths.len()
        );
        return Exit::Error;
    };
    let mut timer = StageTimer::from_env(env);
    let (mut old, mut new) = match read_many([old_path.as_path(), new_path.as_path()]) {
        [Ok(a), Ok(b)] => (a, b),
        [Err(e), _] | [_, Err(e)] => {
            // A missing "file" that was meant as a revision, outside a repository.
            let hint = match &e {
                LoadError::Io { path, source }
                    if tried_revisions
                        && source.kind() == io::ErrorKind::NotFound
                        && !path.ends_with(".ipynb")
                        && !inside_repository() =>
                {
                    " (nor a revision: not inside a git repository)"
                }
                _ => "",
            };
            let _ = writeln!(err, "nbdiff: {e}{hint}");
            return Exit::Error;
        }
    };
    timer.stage("read+parse", err);
    let new_name = match args.paths.as_slice() {
        [path, _, _, _, _, _, _] => path.display().to_string(),
        _ => new_path.display().to_string(),
    };
    crate::merge::leftover::warn(&new_name, &new, err);
    // Both inputs' sizes, to decide whether freeing the trees is worth a thread.
    let input_bytes = [old_path, new_path]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let named = match args.paths.as_slice() {
        [path, _, _, _, _, _, _] => path.as_path(),
        _ => new_path.as_path(),
    };
    let req = request(args, color, Some(&policy_dir(named)), err);
    let mut collect = Collect::new(args);
    let (old_label, new_label) = (
        old_path.display().to_string(),
        new_path.display().to_string(),
    );
    let result = compare(
        Some(Side {
            label: &old_label,
            notebook: &mut old,
        }),
        Some(Side {
            label: &new_label,
            notebook: &mut new,
        }),
        &req,
        &mut collect.sink(out),
        &mut |stage| timer.stage(stage, err),
    );
    // Equal modulo ignored data, but not the same file: said under the
    // semantic diff's renderers, and in a report as the notebook's verdict.
    let result = result.and_then(|differs| {
        let (o, n) = ((old_path.as_path(), &old), (new_path.as_path(), &new));
        match (differs, &mut collect) {
            (true, _) | (false, Collect::Pairs(PairFormat::Json)) => Ok(differs),
            (false, Collect::Report(report)) => {
                if let Some(v) = crate::render::hidden_only::verdict_for_files(o, n, &req.diff) {
                    report.add_other(
                        &render::review::display_name(&old_label, &new_label),
                        &v,
                        None,
                    );
                }
                Ok(false)
            }
            (false, Collect::Pairs(PairFormat::Diff(_))) => {
                crate::render::hidden_only::note_for_files(
                    (old_path, &old),
                    (new_path, &new),
                    &req.diff,
                    out,
                )
                .map(|()| false)
            }
        }
    });
    let result = result.and_then(|d| collect.finish(out).map(|()| d));
    let result = result.and_then(|d| out.flush().map(|()| d));
    timer.stage("render", err);
    free_later((old, new), input_bytes);
    let code = match result {
        Ok(true) if args.exit_code => Exit::Differences,
        _ => Exit::Ok,
    };
    crate::exit::after_write(result.map(|_| ()), code, err)
}

/// True when the default command's arguments may name revisions rather than
/// files: anything but two existing paths or git's 7 external-diff arguments
/// (or whenever `--cached` is given).
fn wants_revisions(paths: &[PathBuf], cached: bool) -> bool {
    let files = |ps: &[&PathBuf]| {
        ps.iter()
            .all(|p| p.exists() || p.as_os_str() == "/dev/null")
    };
    cached
        || match paths {
            [a, b] => !files(&[a, b]),
            [_, a, _, _, b, _, _] => !files(&[a, b]),
            _ => true,
        }
}

/// True when the current directory is inside a git repository (or
/// `GIT_DIR` names one).
fn inside_repository() -> bool {
    gix::discover_with_environment_overrides(".").is_ok()
}

/// Runs the revision form of the default command with the diff's options;
/// `color` was decided by the caller. `None` when the arguments are not
/// revisions after all (outside a repository, or a missing `*.ipynb` that is
/// neither a revision nor a path): the caller then treats them as files,
/// whose errors name the file.
fn run_revisions(
    args: &DiffArgs,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Option<Exit> {
    if args.json {
        let _ = writeln!(err, "nbdiff: --json compares two files (nbdiff --json OLD NEW); it is not available for revisions");
        return Some(Exit::Error);
    }
    let opts = Request {
        one_of_many: true,
        ..request(args, color, None, err)
    };
    let mut collect = Collect::new(args);
    let revs: Vec<OsString> = args
        .paths
        .iter()
        .map(|p| p.as_os_str().to_owned())
        .collect();
    let cwd = match std::env::current_dir() {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "nbdiff: cannot read the current directory: {e}");
            return Some(Exit::Error);
        }
    };
    let result = crate::git::revs::run(
        &cwd,
        &revs,
        &args.pathspec,
        args.cached,
        &opts,
        &super::clean::filter_cleaner,
        &mut collect.sink(out),
        err,
    );
    if result.is_ok() {
        if let Err(e) = collect.finish(out) {
            let _ = writeln!(err, "nbdiff: cannot write output: {e}");
            return Some(Exit::Error);
        }
    }
    Some(match result {
        Ok(true) if args.exit_code => Exit::Differences,
        Ok(_) => Exit::Ok,
        // Two or more arguments outside a repository: files, whose errors name them.
        Err(RevError::NotARepository { .. }) if !args.cached && args.paths.len() >= 2 => {
            return None
        }
        Err(RevError::NotARepository { .. }) if !args.cached => {
            let what = match args.paths.first() {
                None => "not in a git repository, so there is no working tree to diff".to_string(),
                Some(p) => format!(
                    "{}: not in a git repository, so there is nothing to compare it with",
                    crate::render::sanitize::visible_name(&p.display().to_string())
                ),
            };
            let _ = writeln!(
                err,
                "nbdiff: {what}; to diff two notebooks: nbdiff OLD.ipynb NEW.ipynb"
            );
            Exit::Error
        }
        // A file outside the repository among two arguments: files.
        Err(RevError::OutsideRepository { .. }) if !args.cached && args.paths.len() >= 2 => {
            return None
        }
        // A missing `x.ipynb` among two arguments is a file the user meant.
        Err(RevError::Ambiguous { arg })
            if !args.cached && args.paths.len() >= 2 && arg.ends_with(".ipynb") =>
        {
            return None
        }
        Err(e) => {
            let _ = writeln!(err, "nbdiff: {e}");
            Exit::Error
        }
    })
}

/// `--parse-only FILE...`: reads and parses the files as a diff (2 files) or a
/// merge (3 files) does, in parallel, and exits: the parse floor for benchmarks.
fn parse_only(paths: &[PathBuf], err: &mut dyn Write) -> Exit {
    let p = |k: usize| paths[k].as_path();
    let results: Vec<Result<crate::notebook::Notebook, crate::notebook::LoadError>> =
        match paths.len() {
            2 => read_many([p(0), p(1)]).into(),
            3 => read_many([p(0), p(1), p(2)]).into(),
            _ => paths
                .iter()
                .map(|f| crate::notebook::Notebook::read(f))
                .collect(),
        };
    let size = paths
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let mut code = Exit::Ok;
    let mut parsed = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(nb) => parsed.push(nb),
            Err(e) => {
                let _ = writeln!(err, "nbdiff: {e}");
                code = Exit::Error;
            }
        }
    }
    free_later(parsed, size);
    code
}

/// Stage times on stderr when `NBDIFF_TIMING` is set (to anything but `0`),
/// for finding where a slow diff spends its time without a profiler.
struct StageTimer {
    last: Option<Instant>,
}

impl StageTimer {
    fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Self {
        let on = env("NBDIFF_TIMING").is_some_and(|v| !v.is_empty() && v != "0");
        StageTimer {
            last: on.then(Instant::now),
        }
    }

    fn stage(&mut self, name: &str, err: &mut dyn Write) {
        if let Some(last) = self.last {
            let now = Instant::now();
            let ms = (now - last).as_secs_f64() * 1e3;
            let _ = writeln!(err, "nbdiff: timing: {name}: {ms:.2} ms");
            self.last = Some(now);
        }
    }
}
