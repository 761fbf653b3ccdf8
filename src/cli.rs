//! Command-line arguments (clap). Only parsing lives here; `app` runs them.

use clap::{Parser, Subcommand};

/// Semantic diff and merge for Jupyter notebooks.
#[derive(Debug, Parser)]
#[command(
    name = "nbdiff",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// A subcommand; without one, `nbdiff OLD NEW` diffs two notebooks.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of the diff (the default command).
    #[command(flatten)]
    pub diff: crate::app::DiffArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Three-way merge of notebooks: BASE LOCAL REMOTE.
    Merge(crate::merge::cli::MergeArgs),
    /// git merge driver: BASE(%O) LOCAL(%A) REMOTE(%B) [MARKER_SIZE(%L)] [PATH(%P)];
    /// writes the result into LOCAL.
    MergeDriver(crate::merge::cli::DriverArgs),
}
