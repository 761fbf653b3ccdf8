//! `--stat`: one line per changed cell and a summary line.

use crate::diff::{CellStatus, NotebookDiff};
use std::io::{self, Write};

/// Writes the `--stat` summary; nothing when the diff is empty.
pub fn render<W: Write + ?Sized>(diff: &NotebookDiff<'_>, out: &mut W) -> io::Result<()> {
    if diff.is_empty() {
        return Ok(());
    }
    for cell in diff.cells.iter().filter(|c| c.is_interesting()) {
        let n = match cell.status {
            CellStatus::Deleted => format!("old cell {}", cell.old_index.map_or(0, |i| i + 1)),
            _ => format!("cell {}", cell.new_index.map_or(0, |i| i + 1)),
        };
        let (add, del) = cell
            .source
            .as_ref()
            .map_or((0, 0), |s| (s.added(), s.removed()));
        let mut what = cell.status.name().to_string();
        if cell.moved {
            what.push_str(", moved");
        }
        let mut line = format!(" {n:<12} [{}] {what}", cell.cell_type_name());
        if add + del > 0 {
            line.push_str(&format!(" | +{add} −{del}"));
        }
        if !cell.outputs.is_empty() {
            line.push_str(&format!(" | {} output(s)", cell.outputs.len()));
        }
        writeln!(out, "{}", super::sanitize::visible(&line))?;
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
