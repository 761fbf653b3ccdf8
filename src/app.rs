//! Runs a parsed command line against `impl Write` streams and returns the
//! exit code; `main` only wires in stdout/stderr and exits.

use crate::cli::{Cli, Command};
use crate::exit::Exit;
use std::io::Write;

/// Arguments of the diff command (`nbdiff OLD NEW`).
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The two notebooks to compare.
    pub paths: Vec<std::path::PathBuf>,
}

/// Runs the command line. Errors are written to `err`; the exit code is returned.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    match cli.command {
        Some(Command::Merge(args)) => crate::merge::cli::run(args, out, err),
        Some(Command::MergeDriver(args)) => crate::merge::cli::run_driver(args, err),
        None => run_diff(cli.diff, out, err),
    }
}

fn run_diff(args: DiffArgs, _out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let _ = writeln!(err, "nbdiff: diff of {:?} not implemented yet", args.paths);
    Exit::Error
}
