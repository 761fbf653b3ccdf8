//! What a notebook's change *means*, in one line: the verdict every renderer
//! prints first (the terminal's `summary:` line, `--stat`'s row, the
//! reports' summary tables and sections).
//!
//! ```text
//! source changed (3 cells), outputs changed (5)
//! re-run only: 12 outputs changed, no source
//! outputs only: 2 outputs changed
//! metadata only
//! only ignored changes (execution counts); nbdiff -a shows them
//! formatting only (indentation, key order or base64 line wrapping)
//! added (4 cells)        deleted, no cells        renamed, source changed (1 cell)
//! not parsed (…): line diff +3 -1
//! ```
//!
//! A [`Verdict`] is a value, built once here from a [`NotebookDiff`]
//! ([`NotebookDiff::verdict`]) or, for a notebook without a notebook diff,
//! from what the git layer found (hidden-only changes, a file that does not
//! parse); renderers only print it ([`std::fmt::Display`]). Every number in
//! it is ASCII, every separator `-` is ASCII, so it can be grepped.
//! Stale outputs ([`super::stale`]) are counted after a `;`.

use super::{CellDiff, CellStatus, NotebookDiff};
use serde_json::Value;
use std::fmt;

/// What happened to the file itself (git's view: the header's lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileChange {
    /// On both sides under one name.
    #[default]
    Modified,
    /// Only on the new side.
    Added,
    /// Only on the old side.
    Deleted,
    /// Renamed (or copied): a different name on each side.
    Renamed,
}

/// The counts behind a notebook diff's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Cells whose source changed: edited, added, deleted, or their type changed.
    pub source_cells: usize,
    /// Source lines added over those cells.
    pub lines_added: usize,
    /// Source lines removed over those cells.
    pub lines_removed: usize,
    /// Cells that moved.
    pub moved: usize,
    /// Changed outputs (each added, removed or changed output once).
    pub outputs: usize,
    /// Changed attachments.
    pub attachments: usize,
    /// Cells whose metadata or other fields changed (not counting
    /// execution counts), plus one when the notebook's metadata or format did.
    pub metadata: usize,
    /// Some cell whose outputs changed has a new execution count: it was run.
    pub rerun: bool,
    /// Cells whose outputs may be stale ([`super::stale`]).
    pub stale: usize,
    /// Cells in the notebook that exists (for an added or deleted notebook).
    pub cells: usize,
}

/// A notebook's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A notebook diff (possibly empty, for a rename or a mode change).
    Diff {
        /// What happened to the file.
        file: FileChange,
        /// Only the file's mode changed (git's `old mode`/`new mode`).
        mode_changed: bool,
        /// The counts.
        counts: Counts,
    },
    /// The bytes changed but only in data the diff hides: the names of the
    /// hidden changes and whether `nbdiff -a` shows them.
    OnlyIgnored {
        /// Names of the hidden kinds (`execution counts`, `metadata.widgets`).
        kinds: Vec<String>,
        /// `-a` shows at least one of them.
        shown_by_all: bool,
    },
    /// The bytes changed, nothing in the notebook did (indentation, key
    /// order, base64 line wrapping).
    FormattingOnly,
    /// A side is not a notebook nbdiff can read: shown as a line diff.
    NotParsed {
        /// Why (already made visible by the caller).
        reason: String,
        /// Lines added and removed, `None` for binary content.
        lines: Option<(usize, usize)>,
    },
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Counts {
    /// Counts of a diff.
    pub fn of(diff: &NotebookDiff<'_>) -> Counts {
        let mut c = Counts {
            metadata: usize::from(diff.notebook_changed()),
            stale: diff.stale.len(),
            ..Counts::default()
        };
        for cell in &diff.cells {
            if cell.status != CellStatus::Deleted {
                c.cells += 1;
            }
            if cell.moved {
                c.moved += 1;
            }
            let source_changed = matches!(cell.status, CellStatus::Added | CellStatus::Deleted)
                || cell.source.is_some()
                || cell.cell_type.is_some();
            if source_changed {
                c.source_cells += 1;
                if let Some(s) = &cell.source {
                    c.lines_added += s.added();
                    c.lines_removed += s.removed();
                }
            }
            c.outputs += cell.outputs.len();
            c.attachments += cell.attachments.len();
            if cell.fields.iter().any(|f| !is_count_path(cell, &f.path)) {
                c.metadata += 1;
            }
            if !cell.outputs.is_empty() && ran(cell) {
                c.rerun = true;
            }
        }
        c
    }
}

/// The field path of an execution count (shown with `-a`): evidence of a
/// run, not a metadata change.
fn is_count_path(cell: &CellDiff<'_>, path: &str) -> bool {
    let key = cell
        .new
        .or(cell.old)
        .map_or("execution_count", |c| c.execution_count_key());
    path == key
}

/// The cell's execution count on one side.
pub(crate) fn count_of(cell: Option<crate::notebook::Cell<'_>>) -> Option<u64> {
    let c = cell?;
    c.map.get(c.execution_count_key()).and_then(Value::as_u64)
}

/// The cell was run between the two versions: it has a new execution
/// count, or, where counts are stripped (no count on either side, as the
/// clean filter leaves them), new outputs that differ from the old ones.
pub(crate) fn ran(cell: &CellDiff<'_>) -> bool {
    let (old, new) = (count_of(cell.old), count_of(cell.new));
    match new {
        Some(_) => new != old,
        None => old.is_none() && !cell.outputs.is_empty() && has_outputs(cell.new),
    }
}

/// The cell holds at least one output.
pub(crate) fn has_outputs(cell: Option<crate::notebook::Cell<'_>>) -> bool {
    cell.is_some_and(|c| {
        c.map
            .get("outputs")
            .and_then(Value::as_array)
            .is_some_and(|o| !o.is_empty())
    })
}

impl NotebookDiff<'_> {
    /// This diff's verdict (the file facts come from [`NotebookDiff::file`]
    /// and [`NotebookDiff::mode_changed`], set by whoever knows them).
    pub fn verdict(&self) -> Verdict {
        Verdict::Diff {
            file: self.file,
            mode_changed: self.mode_changed,
            counts: Counts::of(self),
        }
    }
}

impl Verdict {
    /// The counts of a notebook diff's verdict (`None` for the others).
    pub fn counts(&self) -> Option<&Counts> {
        match self {
            Verdict::Diff { counts, .. } => Some(counts),
            _ => None,
        }
    }

    /// Source lines added and removed (a line diff's for a file that does
    /// not parse), for `--stat`'s column.
    pub fn lines(&self) -> Option<(usize, usize)> {
        match self {
            Verdict::Diff { counts, .. } => Some((counts.lines_added, counts.lines_removed)),
            Verdict::NotParsed { lines, .. } => *lines,
            _ => None,
        }
    }

    /// True when there is nothing to say (an unchanged notebook).
    pub fn is_unchanged(&self) -> bool {
        matches!(self, Verdict::Diff { file: FileChange::Modified, mode_changed: false, counts }
            if body(counts).is_empty() && counts.stale == 0)
    }
}

/// What changed inside the notebook, without the file's own change.
fn body(c: &Counts) -> String {
    let mut parts: Vec<String> = Vec::new();
    let content = c.source_cells + c.moved + c.attachments > 0;
    if !content && c.outputs > 0 && c.metadata == 0 {
        let n = plural(c.outputs, "output", "outputs");
        return if c.rerun {
            format!("re-run only: {n} changed, no source")
        } else {
            format!("outputs only: {n} changed")
        };
    }
    if !content && c.outputs == 0 && c.metadata > 0 {
        return "metadata only".to_string();
    }
    if c.source_cells > 0 {
        parts.push(format!(
            "source changed ({})",
            plural(c.source_cells, "cell", "cells")
        ));
    }
    if c.moved > 0 {
        parts.push(format!("cells moved ({})", c.moved));
    }
    if c.outputs > 0 {
        parts.push(format!("outputs changed ({})", c.outputs));
    }
    if c.attachments > 0 {
        parts.push(format!("attachments changed ({})", c.attachments));
    }
    if c.metadata > 0 {
        parts.push("metadata changed".to_string());
    }
    parts.join(", ")
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Diff {
                file,
                mode_changed,
                counts,
            } => {
                let inner = body(counts);
                let mut head = match file {
                    FileChange::Added | FileChange::Deleted => {
                        let word = if *file == FileChange::Added {
                            "added"
                        } else {
                            "deleted"
                        };
                        // The cells' own changes are the notebook's: only
                        // the count says more.
                        match counts.cells.max(counts.source_cells) {
                            0 => format!("{word}, no cells"),
                            _ if *file == FileChange::Added => {
                                format!("{word} ({})", plural(counts.cells, "cell", "cells"))
                            }
                            _ => {
                                format!("{word} ({})", plural(counts.source_cells, "cell", "cells"))
                            }
                        }
                    }
                    FileChange::Renamed if inner.is_empty() => "renamed".to_string(),
                    FileChange::Renamed => format!("renamed, {inner}"),
                    FileChange::Modified if inner.is_empty() && !mode_changed => {
                        "no changes".to_string()
                    }
                    FileChange::Modified => inner,
                };
                if *mode_changed {
                    if head.is_empty() {
                        head = "mode changed".to_string();
                    } else {
                        head.push_str(", mode changed");
                    }
                }
                f.write_str(&head)?;
                if counts.stale > 0 {
                    write!(
                        f,
                        "; outputs may be stale ({})",
                        plural(counts.stale, "cell", "cells")
                    )?;
                }
                Ok(())
            }
            Verdict::OnlyIgnored {
                kinds,
                shown_by_all,
            } => {
                write!(
                    f,
                    "only ignored changes ({})",
                    crate::render::sanitize::visible(&kinds.join(", "))
                )?;
                if *shown_by_all {
                    f.write_str("; nbdiff -a shows them")?;
                }
                Ok(())
            }
            Verdict::FormattingOnly => {
                f.write_str("formatting only (indentation, key order or base64 line wrapping)")
            }
            Verdict::NotParsed { reason, lines } => match lines {
                None => write!(f, "not parsed ({reason}): binary, differs"),
                Some((add, del)) => write!(f, "not parsed ({reason}): line diff +{add} -{del}"),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{diff_notebooks, DiffOptions};
    use crate::notebook::Notebook;

    /// A notebook of code cells `(source, count, output text)`.
    fn nb(cells: &[(&str, Option<u64>, Option<&str>)], kernel: &str) -> Notebook {
        let cells: Vec<String> = cells
            .iter()
            .map(|(src, n, out)| {
                let outputs = match out {
                    Some(t) => format!(
                        r#"[{{"output_type": "stream", "name": "stdout", "text": {}}}]"#,
                        serde_json::to_string(t).expect("json")
                    ),
                    None => "[]".to_string(),
                };
                format!(
                    r#"{{"cell_type": "code", "execution_count": {}, "metadata": {{}}, "outputs": {outputs}, "source": {}}}"#,
                    n.map_or("null".to_string(), |n| n.to_string()),
                    serde_json::to_string(src).expect("json")
                )
            })
            .collect();
        let json = format!(
            r#"{{"cells": [{}], "metadata": {{"kernelspec": {{"name": "{kernel}"}}}}, "nbformat": 4, "nbformat_minor": 4}}"#,
            cells.join(", ")
        );
        Notebook::parse(json.as_bytes(), "t.ipynb").expect("valid notebook")
    }

    fn verdict(a: &Notebook, b: &Notebook) -> String {
        diff_notebooks(a, b, &DiffOptions::default())
            .verdict()
            .to_string()
    }

    #[test]
    fn each_kind_of_change_has_its_words() {
        let base = nb(&[("x = 1", Some(1), None), ("x", Some(2), Some("1"))], "p");
        let edited = nb(&[("x = 2", Some(3), None), ("x", Some(4), Some("2"))], "p");
        assert_eq!(
            verdict(&base, &edited),
            "source changed (1 cell), outputs changed (1)"
        );
        let rerun = nb(&[("x = 1", Some(3), None), ("x", Some(4), Some("2"))], "p");
        assert_eq!(
            verdict(&base, &rerun),
            "re-run only: 1 output changed, no source"
        );
        let stripped = nb(&[("x = 1", None, None), ("x", None, Some("1"))], "p");
        let stripped_rerun = nb(&[("x = 1", None, None), ("x", None, Some("2"))], "p");
        assert_eq!(
            verdict(&stripped, &stripped_rerun),
            "re-run only: 1 output changed, no source"
        );
        let cleared = nb(&[("x = 1", Some(1), None), ("x", None, None)], "p");
        assert_eq!(verdict(&base, &cleared), "outputs only: 1 output changed");
        let kernel = nb(&[("x = 1", Some(1), None), ("x", Some(2), Some("1"))], "q");
        assert_eq!(verdict(&base, &kernel), "metadata only");
        assert_eq!(verdict(&base, &base), "no changes");
        assert!(diff_notebooks(&base, &base, &DiffOptions::default())
            .verdict()
            .is_unchanged());
    }

    #[test]
    fn file_changes_lead() {
        let base = nb(&[("x = 1", Some(1), None), ("x", Some(2), Some("1"))], "p");
        let empty = nb(&[], "p");
        let mut d = diff_notebooks(&empty, &base, &DiffOptions::default());
        d.file = FileChange::Added;
        assert_eq!(d.verdict().to_string(), "added (2 cells)");
        let mut d = diff_notebooks(&base, &empty, &DiffOptions::default());
        d.file = FileChange::Deleted;
        assert_eq!(d.verdict().to_string(), "deleted (2 cells)");
        let mut d = diff_notebooks(&empty, &empty, &DiffOptions::default());
        d.file = FileChange::Added;
        assert_eq!(d.verdict().to_string(), "added, no cells");
        let mut d = diff_notebooks(&base, &base, &DiffOptions::default());
        d.file = FileChange::Renamed;
        assert_eq!(d.verdict().to_string(), "renamed");
        d.file = FileChange::Modified;
        d.mode_changed = true;
        assert_eq!(d.verdict().to_string(), "mode changed");
    }

    #[test]
    fn the_other_verdicts_are_ascii() {
        let v = Verdict::NotParsed {
            reason: "not JSON".into(),
            lines: Some((3, 1)),
        };
        assert_eq!(v.to_string(), "not parsed (not JSON): line diff +3 -1");
        assert!(Verdict::FormattingOnly
            .to_string()
            .starts_with("formatting only"));
        let v = Verdict::OnlyIgnored {
            kinds: vec!["execution counts".into()],
            shown_by_all: true,
        };
        assert_eq!(
            v.to_string(),
            "only ignored changes (execution counts); nbdiff -a shows them"
        );
    }
}
