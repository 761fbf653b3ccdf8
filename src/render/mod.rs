//! Renderers of a [`crate::diff::NotebookDiff`]: terminal text, `--stat`,
//! nbdime-format JSON, and the `--html` / `--markdown` reports ([`report`]),
//! chosen once by [`Format`]; plus the plain line diff for files that are
//! not notebooks ([`unified`]). Each writes to an `impl Write`; colour is
//! decided once ([`color`]) and untrusted text is made visible
//! ([`sanitize`]).
//!
//! A new output format is a module here, a [`Format`] variant and its arm in
//! [`render`] (and its column in the pinned outputs, `tests/golden.rs`).

pub mod color;
pub mod conflict_html;
pub mod html;
mod image_view;
pub mod json;
pub mod markdown;
pub mod pager;
pub mod report;
pub mod sanitize;
pub mod stat;
pub mod style;
mod table_view;
pub mod terminal;
pub mod unified;

use crate::diff::NotebookDiff;
use std::io::{self, Write};
use terminal::OutputMode;

/// The output format, chosen once per command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The human-readable diff ([`terminal`]).
    #[default]
    Terminal,
    /// One line per changed cell and a summary ([`stat`]).
    Stat,
    /// nbdime's complete JSON patch ([`json`]): built from the notebooks,
    /// not from a `NotebookDiff`, because a patch must not skip anything.
    Json,
    /// The self-contained HTML review report ([`html`]): every notebook's
    /// diff is collected ([`report::Report`]), then written once.
    Html,
    /// The Markdown pull-request summary ([`markdown`]), collected like `Html`.
    Markdown,
}

/// The renderer and its switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderOptions {
    /// Which renderer.
    pub format: Format,
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
            format: Format::Terminal,
            color: false,
            context: 3,
            outputs: OutputMode::Summary,
        }
    }
}

/// Renders a semantic diff in `opts.format` (the terminal or `--stat`;
/// [`Format::Json`] renders nbdime's patch instead, see
/// [`crate::compare::compare`]).
pub fn render(
    diff: &NotebookDiff<'_>,
    opts: &RenderOptions,
    old_name: String,
    new_name: String,
    out: &mut dyn Write,
) -> io::Result<()> {
    match opts.format {
        Format::Stat => stat::render(diff, out),
        Format::Json => Err(io::Error::other(
            "--json renders nbdime's patch of the notebooks (compare::compare), not a NotebookDiff",
        )),
        // One notebook as a whole report (the commands collect several
        // into one `report::Report` instead, see `compare::Request::report`).
        Format::Html | Format::Markdown => {
            let format = if opts.format == Format::Html {
                report::ReportFormat::Html
            } else {
                report::ReportFormat::Markdown
            };
            let mut r = report::Report::new(format, opts.context, false, None);
            r.add(&report::display_name(&old_name, &new_name), diff);
            r.finish(out)
        }
        Format::Terminal => {
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
