//! Command-line arguments (clap). Only parsing lives here; `app` runs them.

use crate::render::color::ColorChoice;
use crate::render::terminal::OutputMode;
use clap::{Parser, Subcommand};

pub mod diff;
pub mod git;
pub mod merge;
pub mod values;

pub use diff::{run, run_stdio};
use std::path::PathBuf;

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
    pub diff: DiffArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Three-way merge of notebooks: BASE LOCAL REMOTE.
    Merge(merge::MergeArgs),
    /// git merge driver: BASE(%O) LOCAL(%A) REMOTE(%B) [MARKER_SIZE(%L)] [PATH(%P)];
    /// writes the result into LOCAL.
    MergeDriver(merge::DriverArgs),
    /// Set up (--enable) or remove (--disable) nbdiff as git's driver for *.ipynb.
    ConfigGit(git::ConfigGitArgs),
    /// git's external diff entry point (diff.nbdiff.command); always exits 0.
    DiffDriver(git::DiffDriverArgs),
    /// Print a notebook as stable text (git's textconv, diff.nbdiff.textconv).
    Show(git::ShowArgs),
}

/// The text after the options in `nbdiff --help`: what is ignored by
/// default, and the exit codes.
fn after_help() -> String {
    format!(
        "{}\n\n{}",
        crate::policy::diff_help(&crate::policy::Policy::defaults()),
        crate::exit::EXIT_HELP
    )
}

/// Arguments of the diff command (`nbdiff OLD NEW`).
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = after_help())]
pub struct DiffArgs {
    /// The two notebooks to compare: OLD NEW (or the 7 arguments git passes
    /// to an external diff driver: PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE).
    /// Otherwise revisions and paths, diffing every changed notebook like
    /// `git diff`: none (working tree vs index), REV (vs working tree),
    /// REV1 REV2 or REV1..REV2.
    #[arg(value_name = "OLD NEW")]
    pub paths: Vec<PathBuf>,
    /// Compare the index with HEAD (or with REV), like `git diff --cached`.
    #[arg(long, visible_alias = "staged")]
    pub cached: bool,
    /// Paths after `--`, limiting a revision diff.
    #[arg(last = true, value_name = "PATH")]
    pub pathspec: Vec<PathBuf>,
    /// Print the diff in nbdime's JSON diff format (complete: nothing ignored).
    #[arg(long)]
    pub json: bool,
    /// Print a summary of changed cells and outputs.
    #[arg(long)]
    pub stat: bool,
    /// Exit with 1 when the notebooks differ, 0 when equal.
    #[arg(long)]
    pub exit_code: bool,
    /// Lines of context around source changes.
    #[arg(short = 'U', long = "unified", value_name = "N", default_value_t = 3)]
    pub context: usize,
    /// Do not compare outputs.
    #[arg(long)]
    pub ignore_outputs: bool,
    /// Do not compare notebook, cell or output metadata.
    #[arg(long)]
    pub ignore_metadata: bool,
    /// Do not compare cell ids (and align cells by content only).
    #[arg(long)]
    pub ignore_ids: bool,
    /// Ignore whitespace when comparing lines.
    #[arg(short = 'w', long)]
    pub ignore_whitespace: bool,
    /// Show everything ignored by default (execution counts, timing, view state).
    #[arg(short = 'a', long)]
    pub show_all: bool,
    /// How to show changed outputs.
    #[arg(long, value_enum, default_value_t = OutputMode::Summary)]
    pub outputs: OutputMode,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Do not page the output.
    #[arg(long)]
    pub no_pager: bool,
    /// Only read and parse the given notebooks (OLD NEW, or BASE LOCAL REMOTE)
    /// as a diff or merge would, then exit 0 (2 if one does not parse): the
    /// parse floor, for benchmarks. Hidden; `NBDIFF_TIMING=1` prints stage times.
    #[arg(long, hide = true)]
    pub parse_only: bool,
}
