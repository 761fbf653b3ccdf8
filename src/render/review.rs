//! The whole-report renderers (`--html`, `--markdown`) behind one type: they
//! collect every notebook's diff first (their summary comes before the
//! sections), then write once.

use super::html::{HtmlOptions, HtmlReport};
use super::markdown::{MarkdownOptions, MarkdownReport};
use super::stat::StatReport;
use crate::diff::NotebookDiff;
use std::io::{self, Write};

/// The path a side's label names: without git's `a/` or `b/`.
pub fn path_of(label: &str) -> &str {
    label
        .strip_prefix("a/")
        .or_else(|| label.strip_prefix("b/"))
        .unwrap_or(label)
}

/// How a report names a notebook from the two sides' labels: the path
/// ([`path_of`]), or `old → new` when they differ.
pub fn display_name(old: &str, new: &str) -> String {
    let (o, n) = (path_of(old).to_string(), path_of(new).to_string());
    if o == n || o == "/dev/null" {
        n
    } else if n == "/dev/null" {
        o
    } else {
        format!("{o} → {n}")
    }
}

/// Which report to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// The self-contained HTML review report.
    Html,
    /// The Markdown pull-request summary.
    Markdown,
    /// `--stat`: one aligned line per notebook.
    Stat,
}

/// A report being collected.
#[derive(Debug)]
pub enum Report {
    /// `--html`.
    Html(HtmlReport),
    /// `--markdown`.
    Markdown(MarkdownReport),
    /// `--stat`.
    Stat(StatReport),
}

impl Report {
    /// An empty report of the given format.
    pub fn new(
        format: ReportFormat,
        context: usize,
        show_all: bool,
        max_bytes: Option<usize>,
    ) -> Report {
        match format {
            ReportFormat::Html => Report::Html(HtmlReport::new(HtmlOptions {
                context,
                show_all,
                ..HtmlOptions::default()
            })),
            ReportFormat::Markdown => Report::Markdown(MarkdownReport::new(MarkdownOptions {
                context,
                show_all,
                max_bytes: max_bytes.unwrap_or(super::markdown::DEFAULT_MAX_BYTES),
            })),
            ReportFormat::Stat => Report::Stat(StatReport::new()),
        }
    }

    /// Adds one notebook's diff under its path.
    pub fn add(&mut self, path: &str, diff: &NotebookDiff<'_>) {
        match self {
            Report::Html(r) => r.add(path, diff),
            Report::Markdown(r) => r.add(path, diff),
            Report::Stat(r) => r.add(path, diff),
        }
    }

    /// Adds a notebook that has no notebook diff to show, with its one-line
    /// verdict (`only ignored changes (…)`, `not parsed (…): line diff +1 -1`,
    /// `added, no cells`) and, for a line diff, its text (a unified
    /// diff, no colour): so that every notebook git lists is in the report.
    pub fn add_other(&mut self, path: &str, verdict: &str, lines: Option<&str>) {
        match self {
            Report::Html(r) => r.add_other(path, verdict, lines),
            Report::Markdown(r) => r.add_other(path, verdict, lines),
            Report::Stat(r) => r.add_other(path, verdict),
        }
    }

    /// Adds the merge conflicts of `nb` (a notebook as nbdiff's merge writes
    /// it) under `path`, each with base (when given), local and remote side
    /// by side; the Markdown summary gets a note. Nothing without conflicts.
    pub fn add_conflicts(
        &mut self,
        path: &str,
        nb: &crate::notebook::Notebook,
        base: Option<&crate::notebook::Notebook>,
    ) {
        let Some(html) = super::conflict_html::section(path, nb, base) else {
            return;
        };
        match self {
            Report::Html(r) => {
                r.note(&format!(
                    "{path}: merge conflicts, shown side by side below"
                ));
                r.add_section(&html);
            }
            Report::Markdown(r) => r.note(&format!(
                "{path}: merge conflicts left (`nbdiff --html` shows them side by side)"
            )),
            Report::Stat(r) => r.note(&format!(
                "{path}: merge conflicts left (`nbdiff --html` shows them side by side)"
            )),
        }
    }

    /// Adds a note (shown near the top).
    pub fn note(&mut self, note: &str) {
        match self {
            Report::Html(r) => r.note(note),
            Report::Markdown(r) => r.note(note),
            Report::Stat(r) => r.note(note),
        }
    }

    /// Writes the report.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Report::Html(r) => r.finish(out),
            Report::Markdown(r) => r.finish(out),
            Report::Stat(r) => r.finish(out),
        }
    }
}
