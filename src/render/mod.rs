//! Renderers of a [`crate::diff::NotebookDiff`]: terminal text, `--stat`,
//! nbdime-format JSON, and the `--html` / `--markdown` reports ([`review`]),
//! chosen once by [`Format`] and told apart by type ([`Output`]: per-pair
//! renderers write each pair as it comes, whole-report renderers collect
//! every pair first); plus the plain line diff for files that are not
//! notebooks ([`unified`]). Each writes to an `impl Write`; colour is
//! decided once ([`color`]) and untrusted text is made visible
//! ([`sanitize`]).
//!
//! A new output format is a module here, a [`Format`] variant and its
//! [`Output`] (a [`DiffFormat`] arm in [`render`], or a
//! [`review::ReportFormat`]), and its column in the pinned outputs
//! (`tests/golden.rs`).

pub mod color;
pub mod conflict_html;
pub mod hidden_only;
pub mod html;
mod image_view;
pub mod markdown;
pub mod nbdime_json;
pub mod review;
pub mod sanitize;
pub mod stat;
pub mod style;
mod table_view;
pub mod terminal;
pub mod unified;

use crate::diff::NotebookDiff;
use std::io::{self, Write};
use terminal::OutputMode;

/// The output format the user chose (`--stat`, `--json`, `--html`,
/// `--markdown`, or none). Decided once per command and turned into an
/// [`Output`], which says how the output is produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The human-readable diff ([`terminal`]).
    #[default]
    Terminal,
    /// One line per notebook: its verdict and counts ([`stat`]); collected
    /// like `Html` so that the columns line up.
    Stat,
    /// `--stat=cells`: each notebook's verdict, then one line per changed
    /// cell ([`stat::render_cells`]).
    StatCells,
    /// nbdime's complete JSON patch ([`nbdime_json`]): built from the notebooks,
    /// not from a `NotebookDiff`, because a patch must not skip anything.
    Json,
    /// The self-contained HTML review report ([`html`]): every notebook's
    /// diff is collected ([`review::Report`]), then written once.
    Html,
    /// The Markdown pull-request summary ([`markdown`]), collected like `Html`.
    Markdown,
}

impl Format {
    /// How this format produces its output.
    pub fn output(self) -> Output {
        match self {
            Format::Terminal => Output::Pairs(PairFormat::Diff(DiffFormat::Terminal)),
            Format::Stat => Output::Report(review::ReportFormat::Stat),
            Format::StatCells => Output::Pairs(PairFormat::Diff(DiffFormat::StatCells)),
            Format::Json => Output::Pairs(PairFormat::Json),
            Format::Html => Output::Report(review::ReportFormat::Html),
            Format::Markdown => Output::Report(review::ReportFormat::Markdown),
        }
    }
}

/// How a command's output is produced: pair by pair, or one whole report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Each notebook pair is written as it is compared.
    Pairs(PairFormat),
    /// Every pair is added to one [`review::Report`], written once at the end.
    Report(review::ReportFormat),
}

/// The per-pair renderers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairFormat {
    /// A renderer of the semantic diff ([`render`]).
    Diff(DiffFormat),
    /// nbdime's patch of the two notebooks ([`nbdime_json`]; not a `NotebookDiff`).
    Json,
}

/// The renderers of one [`NotebookDiff`] ([`render`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiffFormat {
    /// The human-readable diff ([`terminal`]).
    #[default]
    Terminal,
    /// `--stat=cells`: the verdict, then one line per changed cell
    /// ([`stat::render_cells`]).
    StatCells,
}

/// The renderer's switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Emit ANSI colours (terminal).
    pub color: bool,
    /// Lines of context around source changes (terminal).
    pub context: usize,
    /// How changed outputs are shown (terminal).
    pub outputs: OutputMode,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            color: false,
            context: 3,
            outputs: OutputMode::Summary,
        }
    }
}

/// Renders a semantic diff in `format` (the whole-report renderers and
/// nbdime's patch are not renderers of one `NotebookDiff`: see
/// [`crate::compare::Sink`]).
pub fn render(
    diff: &NotebookDiff<'_>,
    format: DiffFormat,
    opts: &RenderOptions,
    old_name: String,
    new_name: String,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        DiffFormat::StatCells => stat::render_cells(diff, out),
        DiffFormat::Terminal => {
            let topts = terminal::TerminalOptions {
                color: opts.color,
                context: opts.context,
                outputs: opts.outputs,
                old_name,
                new_name,
            };
            terminal::render(diff, &topts, out)
        }
    }
}

/// A byte count for people, in decimal units (as file managers and `du -h
/// --si` show them): `812 B`, `12.3 KB`, `1.5 MB`. The one formatter of the
/// terminal diff and the textconv rendering, so both say the same size.
pub fn human_size(n: usize) -> String {
    if n < 1000 {
        format!("{n} B")
    } else if n < 1_000_000 {
        format!("{:.1} KB", n as f64 / 1000.0)
    } else {
        format!("{:.1} MB", n as f64 / 1_000_000.0)
    }
}
