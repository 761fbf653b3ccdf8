//! Runs a parsed command line against `impl Write` streams and returns the
//! exit code; `main` only wires in stdout/stderr and exits.

use crate::cli::{Cli, Command, DiffArgs};
use crate::diff::{diff_notebooks, DiffOptions};
use crate::exit::Exit;
use crate::notebook::free_later;
use crate::notebook::read_many;
use crate::notebook::LoadError;
use crate::render;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Runs the command line (no terminal: no pager, colour only if forced).
/// Errors are written to `err`; the exit code is returned.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    // Messages name files and quote git's arguments: no byte of them
    // reaches the terminal raw.
    let err = &mut render::sanitize::LineSanitizer::new(err);
    let env = |k: &str| std::env::var(k).ok();
    match cli.command {
        Some(Command::Merge(args)) => super::merge::run(args, out, err),
        Some(Command::ConfigGit(args)) => super::git::run_config_git(args, out, err),
        Some(Command::DiffDriver(args)) => super::git::run_diff_driver(args, out, err),
        Some(Command::Show(args)) => super::git::run_show(args, out, err),
        Some(Command::MergeDriver(args)) => super::merge::run_driver(args, err),
        None => run_diff(&cli.diff, false, &env, out, err),
    }
}

/// Runs the command line on the process's stdout and stderr: decides colour
/// from the terminal and pages like git when stdout is a terminal.
pub fn run_stdio(cli: Cli) -> Exit {
    let stderr = io::stderr();
    let mut err = render::sanitize::LineSanitizer::new(stderr.lock());
    let stdout = io::stdout();
    let tty = stdout.is_terminal();
    let env = |k: &str| std::env::var(k).ok();
    if cli.command.is_some() {
        return run(cli, &mut stdout.lock(), &mut err);
    }
    let args = cli.diff;
    let pager = if tty && !args.no_pager {
        render::pager::pager_command(&env)
    } else {
        None
    };
    if let Some(cmd) = pager {
        if let Ok(mut child) = render::pager::spawn(&cmd) {
            let code = match child.stdin.take() {
                Some(stdin) => {
                    let mut w = io::BufWriter::with_capacity(1 << 16, stdin);
                    let code = run_diff(&args, true, &env, &mut w, &mut err);
                    let _ = w.flush();
                    code
                }
                None => Exit::Error,
            };
            let _ = child.wait();
            return code;
        }
    }
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let code = run_diff(&args, tty, &env, &mut out, &mut err);
    let flushed = out.flush();
    if code == Exit::Error {
        return code;
    }
    crate::exit::after_write(flushed, code, &mut err)
}

/// The two files to compare: `OLD NEW`, or git's 7 external-diff arguments.
fn diff_paths(paths: &[PathBuf]) -> Option<(&PathBuf, &PathBuf)> {
    match paths {
        [a, b] => Some((a, b)),
        [_, a, _, _, b, _, _] => Some((a, b)),
        _ => None,
    }
}

/// Options of the semantic diff from the command line; the policy adds the
/// paths of git config `nbdiff.ignore` (warnings on `err`).
pub fn diff_options(args: &DiffArgs, err: &mut dyn Write) -> DiffOptions {
    DiffOptions {
        policy: std::sync::Arc::new(crate::policy::load(Path::new("."), err)),
        ignore_outputs: args.ignore_outputs,
        ignore_metadata: args.ignore_metadata,
        ignore_ids: args.ignore_ids,
        ignore_whitespace: args.ignore_whitespace,
        show_all: args.show_all,
    }
}

fn run_diff(
    args: &DiffArgs,
    tty: bool,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    if args.parse_only {
        return parse_only(&args.paths, err);
    }
    let color =
        render::color::use_color(args.color, &render::color::ColorEnv::read(tty, env), None);
    let tried_revisions = super::git::wants_revisions(&args.paths, args.cached);
    if tried_revisions {
        if let Some(exit) = super::git::run_revisions(args, color, out, err) {
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
                        && !super::git::inside_repository() =>
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
    // Both inputs' sizes, to decide whether freeing the trees is worth a thread.
    let input_bytes = [old_path, new_path]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let result = if args.json {
        let diff = crate::diff::nbdime::diff_in_place(&mut old, &mut new);
        timer.stage("diff", err);
        let differs = diff.as_array().is_some_and(|d| !d.is_empty());
        render::json::render(&diff, out).map(|()| differs)
    } else {
        let opts = diff_options(args, err);
        let diff = diff_notebooks(&old, &new, &opts);
        timer.stage("diff", err);
        let r = if args.stat {
            render::stat::render(&diff, out)
        } else {
            let topts = render::terminal::TerminalOptions {
                color,
                context: args.context,
                outputs: args.outputs,
                old_name: old_path.display().to_string(),
                new_name: new_path.display().to_string(),
            };
            render::terminal::render(&diff, &topts, out)
        };
        r.map(|()| !diff.is_empty())
    };
    let result = result.and_then(|d| out.flush().map(|()| d));
    timer.stage("render", err);
    free_later((old, new), input_bytes);
    let code = match result {
        Ok(true) if args.exit_code => Exit::Differences,
        _ => Exit::Ok,
    };
    crate::exit::after_write(result.map(|_| ()), code, err)
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
