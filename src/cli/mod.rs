//! The command layer: clap's argument types and the dispatch of each
//! subcommand live here and only here. Library modules take plain option
//! structs; `main` parses with [`Cli`] and calls [`run_stdio`].
//!
//! - [`diff`]: the default command (two files, or revisions);
//! - [`merge`]: `merge` and `merge-driver`;
//! - [`git`]: `config-git`, `diff-driver`, `show`;
//! - the `check` command: [`check`];
//! - [`values`]: the command line's names for library enums;
//! - [`settings`]: every setting resolved once (flag > environment > git
//!   config > project file > default), with where it came from; the one
//!   reader of the process environment;
//! - [`pager`]: paging like git.
//!
//! A new command is a module here, a [`Command`] variant and its arm in [`run`].

use crate::exit::Exit;
use crate::render;
use crate::render::color::ColorChoice;
use crate::render::terminal::OutputMode;
use clap::{Parser, Subcommand};

pub mod check;
pub mod clean;
pub mod diff;
pub mod git;
pub mod merge;
pub mod open;
pub mod pager;
pub mod resolve;
pub mod settings;
pub mod values;

use std::io::{self, IsTerminal, Write};
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
    /// git's external diff entry point (diff.nbdiff.command); exits 0 on any input (2 only when its output cannot be written).
    DiffDriver(git::DiffDriverArgs),
    /// Print a notebook as stable text (git's textconv, diff.nbdiff.textconv).
    Show(git::ShowArgs),
    /// Merge notebooks that git's line merge left unmerged (or saved with
    /// conflict markers) at cell level, in the working tree.
    Resolve(resolve::ResolveArgs),
    /// Strip volatile data (timings, view state, kernel stamps, widget state,
    /// execution counts; outputs with --outputs strip) from notebooks in
    /// place, or stdin to stdout (git's clean filter).
    Clean(clean::CleanArgs),
    /// git's long-running filter process (filter.nbdiff.process): cleans
    /// every notebook of a git command in one process.
    FilterProcess(clean::FilterProcessArgs),
    /// Check notebooks for execution-order dependencies, machine-bound paths,
    /// secrets, heavy or error outputs and conflict leftovers.
    Check(check::CheckArgs),
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
    /// Print the diff in nbdime's JSON diff format (complete: nothing
    /// ignored). Its cell and output indices are 0-based, as nbdime's; the
    /// text output numbers cells and outputs from 1.
    #[arg(long)]
    pub json: bool,
    /// Print one line per notebook: its path, source lines added and
    /// removed, and what changed (`source changed (2 cells), outputs changed
    /// (3)`, `re-run only: …`, `metadata only`, …). `--stat=cells` adds one
    /// line per changed cell. Not with --json.
    #[arg(
        long,
        value_name = "WHAT",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "notebooks",
        conflicts_with = "json"
    )]
    pub stat: Option<crate::render::stat::StatMode>,
    /// Write a self-contained HTML review report (inline CSS, no script, no
    /// external URL); notebook HTML and markdown are sanitised.
    #[arg(long, conflicts_with_all = ["json", "stat", "markdown"])]
    pub html: bool,
    /// With --html: write the report to a temporary file (nbdiff-*.html in
    /// the system's temporary directory, kept), or to FILE with -o, and open
    /// it in the browser ($BROWSER, else the platform's opener); when none
    /// starts, print the file's path.
    #[arg(long, requires = "html")]
    pub open: bool,
    /// The same as --html --open.
    #[arg(long, conflicts_with_all = ["json", "stat", "markdown", "html"])]
    pub web: bool,
    /// Write a GitHub-flavoured Markdown summary for a pull-request comment.
    #[arg(long, conflicts_with_all = ["json", "stat"])]
    pub markdown: bool,
    /// Write the output to FILE (replaced atomically) instead of stdout.
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out_file: Option<PathBuf>,
    /// With --markdown: the most bytes written (default 60000, under
    /// GitHub's 65,536-character comment limit); a closing line says what
    /// was left out (below 200, only that line is written).
    #[arg(long, value_name = "N", requires = "markdown")]
    pub max_bytes: Option<usize>,
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
    /// Show everything hidden by default (execution counts, timings, view
    /// state, kernel and editor stamps, widget state: listed below).
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

/// Runs the command line (no terminal: no pager, colour only if forced).
/// Errors are written to `err`; the exit code is returned.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    // Messages name files and quote git's arguments: no byte of them
    // reaches the terminal raw.
    let err = &mut render::sanitize::LineSanitizer::new(err);
    let env = &settings::process_env;
    match cli.command {
        Some(Command::Merge(args)) => merge::run(args, env, out, err),
        Some(Command::ConfigGit(args)) => git::run_config_git(args, out, err),
        Some(Command::DiffDriver(args)) => git::run_diff_driver(args, out, err),
        Some(Command::Show(args)) => git::run_show(args, out, err),
        Some(Command::MergeDriver(args)) => merge::run_driver(args, env, err),
        Some(Command::Clean(args)) => clean::run(args, out, err),
        Some(Command::FilterProcess(args)) => clean::run_process(args, out, err),
        Some(Command::Resolve(args)) => resolve::run(args, env, out, err),
        Some(Command::Check(args)) => check::run(args, out, err),
        None => diff::run_diff(&cli.diff, false, env, out, err),
    }
}

/// Runs the command line on the process's stdout and stderr: decides colour
/// from the terminal and pages like git when stdout is a terminal.
pub fn run_stdio(cli: Cli) -> Exit {
    let stderr = io::stderr();
    let mut err = render::sanitize::LineSanitizer::new(stderr.lock());
    let stdout = io::stdout();
    let tty = stdout.is_terminal();
    let env = &settings::process_env;
    if let Err(e) = settings::apply_read_limit(env) {
        let _ = writeln!(err, "nbdiff: {e}");
        return Exit::Error;
    }
    if cli.command.is_some() {
        return run(cli, &mut stdout.lock(), &mut err);
    }
    let args = cli.diff;
    let pager = if tty && !args.no_pager && args.out_file.is_none() && !args.html && !args.web {
        pager::pager_command(env)
    } else {
        None
    };
    if let Some(cmd) = pager {
        if let Ok(mut child) = pager::spawn(&cmd, env) {
            let code = match child.stdin.take() {
                Some(stdin) => {
                    let mut w = io::BufWriter::with_capacity(1 << 16, stdin);
                    let code = diff::run_diff(&args, true, env, &mut w, &mut err);
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
    let code = diff::run_diff(&args, tty, env, &mut out, &mut err);
    let flushed = out.flush();
    if code == Exit::Error {
        return code;
    }
    crate::exit::after_write(flushed, code, &mut err)
}
