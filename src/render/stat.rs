//! `--stat`: one line per notebook, like git's `--stat`: the path, the
//! source lines added and removed, and the notebook's verdict
//! ([`crate::diff::Verdict`]), in aligned `|` columns, then a total line:
//!
//! ```text
//!  analysis.ipynb | +12 -4 | source changed (3 cells), outputs changed (5)
//!  data/load.ipynb |       | re-run only: 12 outputs changed, no source
//!  2 notebooks changed, 12 source lines added, 4 removed, 17 outputs changed
//! ```
//!
//! The rows are collected ([`StatReport`], one of [`super::review::Report`]'s
//! kinds) and written once, so the columns line up over every notebook;
//! widths are measured on the text as shown (controls made visible, wide
//! characters two columns, zero-width ones none). Every sign is ASCII.
//!
//! `--stat=cells` keeps the per-cell detail: [`render_cells`], one block per
//! notebook.

use super::sanitize::{visible, visible_name};
use crate::diff::{CellStatus, NotebookDiff, Verdict};
use std::io::{self, Write};

/// How `--stat` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatMode {
    /// One line per notebook (the default).
    #[default]
    Notebooks,
    /// One line per changed cell, under each notebook's verdict.
    Cells,
}

impl StatMode {
    /// Every value, in the order the help lists them.
    pub const ALL: [StatMode; 2] = [StatMode::Notebooks, StatMode::Cells];

    /// The value's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            StatMode::Notebooks => "notebooks",
            StatMode::Cells => "cells",
        }
    }
}

/// The width of `s` in terminal columns (East Asian wide characters two,
/// combining and zero-width characters none).
pub fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// A report's name for a notebook as `--stat` shows it: git's `OLD => NEW`
/// for a rename (ASCII, as everything `--stat` prints), controls visible.
fn stat_name(path: &str) -> String {
    visible_name(&path.replace(" \u{2192} ", " => ")).into_owned()
}

/// One notebook's row.
#[derive(Debug)]
struct Row {
    name: String,
    lines: String,
    verdict: String,
    outputs: usize,
    stale: usize,
    added: usize,
    removed: usize,
}

/// `--stat`'s rows, collected so that the columns line up.
#[derive(Debug, Default)]
pub struct StatReport {
    rows: Vec<Row>,
    notes: Vec<String>,
}

impl StatReport {
    /// An empty table.
    pub fn new() -> Self {
        StatReport::default()
    }

    /// Adds a notebook (nothing for an unchanged one).
    pub fn add(&mut self, path: &str, diff: &NotebookDiff<'_>) {
        let verdict = diff.verdict();
        if verdict.is_unchanged() {
            return;
        }
        self.add_verdict(path, &verdict);
    }

    /// Adds a notebook by its verdict.
    pub fn add_verdict(&mut self, path: &str, verdict: &Verdict) {
        let (added, removed) = verdict.lines().unwrap_or((0, 0));
        let counts = verdict.counts();
        self.rows.push(Row {
            name: stat_name(path),
            lines: match verdict.lines() {
                Some((a, r)) if a + r > 0 => format!("+{a} -{r}"),
                _ => String::new(),
            },
            verdict: visible(&verdict.to_string()).into_owned(),
            outputs: counts.map_or(0, |c| c.outputs),
            stale: counts.map_or(0, |c| c.stale),
            added,
            removed,
        });
    }

    /// Adds a notebook without a notebook diff by its one-line verdict.
    pub fn add_other(&mut self, path: &str, verdict: &str) {
        self.rows.push(Row {
            name: stat_name(path),
            lines: String::new(),
            verdict: visible(verdict).into_owned(),
            outputs: 0,
            stale: 0,
            added: 0,
            removed: 0,
        });
    }

    /// A line written after the table.
    pub fn note(&mut self, note: &str) {
        self.notes.push(visible(note).into_owned());
    }

    /// Writes the table and its total line; nothing when no notebook changed.
    pub fn finish<W: Write + ?Sized>(self, out: &mut W) -> io::Result<()> {
        let name_w = self
            .rows
            .iter()
            .map(|r| display_width(&r.name))
            .max()
            .unwrap_or(0);
        let lines_w = self.rows.iter().map(|r| r.lines.len()).max().unwrap_or(0);
        for r in &self.rows {
            let pad = " ".repeat(name_w - display_width(&r.name));
            let mut line = format!(" {}{pad} | ", r.name);
            if lines_w > 0 {
                line.push_str(&format!("{:<lines_w$} | ", r.lines));
            }
            line.push_str(&r.verdict);
            writeln!(out, "{line}")?;
        }
        if !self.rows.is_empty() {
            let n = self.rows.len();
            let (added, removed, outputs, stale) = self.rows.iter().fold((0, 0, 0, 0), |t, r| {
                (
                    t.0 + r.added,
                    t.1 + r.removed,
                    t.2 + r.outputs,
                    t.3 + r.stale,
                )
            });
            let mut total = format!(
                " {n} notebook{} changed, {added} source line{} added, {removed} removed, {outputs} output{} changed",
                if n == 1 { "" } else { "s" },
                if added == 1 { "" } else { "s" },
                if outputs == 1 { "" } else { "s" },
            );
            if stale > 0 {
                total.push_str(&format!(
                    ", {stale} cell{} with outputs that may be stale",
                    if stale == 1 { "" } else { "s" }
                ));
            }
            writeln!(out, "{total}")?;
        }
        for note in &self.notes {
            writeln!(out, "{note}")?;
        }
        Ok(())
    }
}

/// `--stat` of one notebook (named `notebook`): its row and the total line;
/// nothing when it did not change.
pub fn render<W: Write + ?Sized>(diff: &NotebookDiff<'_>, out: &mut W) -> io::Result<()> {
    let mut table = StatReport::new();
    table.add("notebook", diff);
    table.finish(out)
}

/// `--stat=cells`: the notebook's verdict, then one line per changed cell
/// and the counts; nothing when the diff is empty.
pub fn render_cells<W: Write + ?Sized>(diff: &NotebookDiff<'_>, out: &mut W) -> io::Result<()> {
    let verdict = diff.verdict();
    if diff.is_empty() && verdict.is_unchanged() {
        return Ok(());
    }
    writeln!(out, " summary: {}", visible(&verdict.to_string()))?;
    let rows: Vec<(String, String)> = diff
        .cells
        .iter()
        .filter(|c| c.is_interesting())
        .map(|cell| {
            let n = match cell.status {
                CellStatus::Deleted => format!("old cell {}", cell.old_index.map_or(0, |i| i + 1)),
                _ => format!("cell {}", cell.new_index.map_or(0, |i| i + 1)),
            };
            let (add, del) = cell
                .source
                .as_ref()
                .map_or((0, 0), |s| (s.added(), s.removed()));
            let mut what = format!("[{}] {}", cell.cell_type_name(), cell.status.name());
            if cell.moved {
                what.push_str(", moved");
            }
            let mut rest = String::new();
            if add + del > 0 {
                rest.push_str(&format!(" | +{add} -{del}"));
            }
            if !cell.outputs.is_empty() {
                let k = cell.outputs.len();
                rest.push_str(&format!(" | {k} output{}", if k == 1 { "" } else { "s" }));
            }
            (visible(&format!("{n} {what}")).into_owned(), rest)
        })
        .collect();
    let w = rows
        .iter()
        .map(|(a, _)| display_width(a))
        .max()
        .unwrap_or(0);
    for (head, rest) in &rows {
        let pad = " ".repeat(w - display_width(head));
        writeln!(out, " {head}{pad}{}", visible(rest))?;
    }
    for s in &diff.stale {
        writeln!(out, " cell {}: {s}", s.cell + 1)?;
    }
    let s = diff.stats();
    let mut summary = format!(
        " cells: {} added, {} deleted, {} modified, {} moved; outputs: {} changed",
        s.added, s.deleted, s.modified, s.moved, s.outputs_changed
    );
    if diff.notebook_changed() {
        summary.push_str("; notebook metadata changed");
    }
    writeln!(out, "{summary}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::verdict::Counts;
    use crate::diff::FileChange;

    fn changed(source_cells: usize, added: usize) -> Verdict {
        Verdict::Diff {
            file: FileChange::Modified,
            mode_changed: false,
            counts: Counts {
                source_cells,
                lines_added: added,
                lines_removed: 1,
                ..Counts::default()
            },
        }
    }

    #[test]
    fn columns_line_up_over_wide_zero_width_and_control_characters() {
        let mut t = StatReport::new();
        t.add_verdict("数据/分析.ipynb", &changed(1, 12));
        t.add_verdict("a\u{200b}b.ipynb", &changed(2, 3));
        t.add_verdict("x\x1b[31m.ipynb", &changed(1, 100));
        t.add_other(
            "plain.ipynb",
            "formatting only (indentation, key order or base64 line wrapping)",
        );
        let mut out = Vec::new();
        t.finish(&mut out).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        let rows: Vec<&str> = text.lines().take(4).collect();
        // Every `|` at the same terminal column on every row.
        let bars = |row: &str| -> Vec<usize> {
            let mut col = 0;
            let mut at = Vec::new();
            for ch in row.chars() {
                if ch == '|' {
                    at.push(col);
                }
                col += display_width(ch.encode_utf8(&mut [0; 4]));
            }
            at
        };
        for row in &rows {
            assert_eq!(bars(row), bars(rows[0]), "{text}");
            assert!(!row.contains('\x1b') && !row.contains('\u{200b}'), "{text}");
        }
        assert!(
            rows[0].contains("| +12 -1  | source changed (1 cell)"),
            "{text}"
        );
        assert!(
            text.lines().nth(4).is_some_and(
                |l| l.starts_with(" 4 notebooks changed, 115 source lines added, 3 removed")
            ),
            "{text}"
        );
        assert!(!text.contains('\u{2212}'), "{text}");
    }
}
