//! Runs a parsed command line against `impl Write` streams and returns the
//! exit code; `main` only wires in stdout/stderr and exits.

use crate::cli::{Cli, Command};
use crate::exit::Exit;
use std::io::Write;

/// Arguments of the diff command (`nbdiff OLD NEW`).
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The two notebooks to compare; or revisions and paths (`nbdiff`,
    /// `nbdiff REV`, `nbdiff REV1 REV2 [-- PATH…]`), diffing every changed
    /// notebook like `git diff`.
    pub paths: Vec<std::path::PathBuf>,
    /// Compare the index with HEAD (or with REV), like `git diff --cached`.
    #[arg(long, visible_alias = "staged")]
    pub cached: bool,
    /// Paths after `--`, limiting a revision diff.
    #[arg(last = true)]
    pub pathspec: Vec<std::path::PathBuf>,
}

/// Runs the command line. Errors are written to `err`; the exit code is returned.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    match cli.command {
        Some(Command::Merge(args)) => crate::merge::cli::run(args, out, err),
        Some(Command::ConfigGit(args)) => crate::git::cli::run_config_git(args, out, err),
        Some(Command::DiffDriver(args)) => crate::git::cli::run_diff_driver(args, out, err),
        Some(Command::Show(args)) => crate::git::cli::run_show(args, out, err),
        None if crate::git::cli::wants_revisions(&cli.diff.paths, cli.diff.cached) => {
            let d = &cli.diff;
            crate::git::cli::run_revisions(&d.paths, &d.pathspec, d.cached, out, err)
        }
        None => run_diff(cli.diff, out, err),
    }
}

fn run_diff(args: DiffArgs, _out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let _ = writeln!(err, "nbdiff: diff of {:?} not implemented yet", args.paths);
    Exit::Error
}
