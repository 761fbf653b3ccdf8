//! The `nbdiff merge` command.

use crate::exit::Exit;
use std::io::Write;

/// Arguments of `nbdiff merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The common ancestor.
    pub base: std::path::PathBuf,
    /// Our version.
    pub local: std::path::PathBuf,
    /// Their version.
    pub remote: std::path::PathBuf,
    /// Where to write the result (stdout when absent).
    #[arg(short, long)]
    pub output: Option<std::path::PathBuf>,
}

/// Runs `nbdiff merge`.
pub fn run(_args: MergeArgs, _out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let _ = writeln!(err, "nbdiff merge: not implemented yet");
    Exit::Error
}
