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
    /// Set up (--enable) or remove (--disable) nbdiff as git's driver for *.ipynb.
    ConfigGit(crate::git::cli::ConfigGitArgs),
    /// git's external diff entry point (diff.nbdiff.command); always exits 0.
    DiffDriver(crate::git::cli::DiffDriverArgs),
    /// Print a notebook as stable text (git's textconv, diff.nbdiff.textconv).
    Show(crate::git::cli::ShowArgs),
}
