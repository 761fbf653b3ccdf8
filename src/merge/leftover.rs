//! Conflicts left in a notebook after a merge: marker lines in cell sources,
//! and the merge's records (`metadata.nbdiff` of cells and of the notebook,
//! notice and marker cells). A person who edits the markers away by hand can
//! easily leave the records behind, and textconv hides metadata, so the
//! diff commands warn about both: one line per notebook on stderr.

use super::stale::record;
use super::to_notebook::RECORD_KEY;
use crate::notebook::Notebook;
use serde_json::Value;
use std::io::Write;

/// What is left of a merge's conflicts in one notebook.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Leftovers {
    /// Cells whose source holds conflict marker lines (`<<<<<<<` … `>>>>>>>`).
    pub marked_cells: usize,
    /// Cells holding a conflict record, or being a marker or notice cell.
    pub record_cells: usize,
    /// The notebook's own metadata holds a conflict record.
    pub notebook_record: bool,
    /// Records (of cells, and of the notebook) whose conflict is gone
    /// ([`super::stale`]); not counted above.
    pub stale_records: usize,
}

impl Leftovers {
    /// No conflict left (stale records aside).
    pub fn no_conflict(&self) -> bool {
        self.marked_cells == 0 && self.record_cells == 0 && !self.notebook_record
    }

    /// Nothing left, not even stale records.
    pub fn is_empty(&self) -> bool {
        self.no_conflict() && self.stale_records == 0
    }
}

/// Whether `bytes` may hold leftovers: a cheap test, so that only such files
/// are looked at closely (`"nbdiff"` for a record, 7 `<` for a marker).
pub fn may_hold(bytes: &[u8]) -> bool {
    memchr::memmem::find(bytes, b"\"nbdiff\"").is_some()
        || memchr::memmem::find(bytes, b"<<<<<<<").is_some()
}

/// The leftovers of `nb`.
pub fn find(nb: &Notebook) -> Leftovers {
    let (stale_cells, stale_notebook) = super::stale::stale_records(nb);
    let notebook_record = record(nb.metadata()).is_some();
    let mut found = Leftovers {
        notebook_record: notebook_record && !stale_notebook,
        stale_records: stale_cells.len() + usize::from(notebook_record && stale_notebook),
        ..Leftovers::default()
    };
    // `stale_cells` is in cell order: walk it alongside the cells.
    let mut stale = stale_cells.iter().peekable();
    for (i, cell) in nb.cells().iter().enumerate() {
        if has_markers(&cell.source()) {
            found.marked_cells += 1;
        }
        let is_stale = stale.next_if_eq(&&i).is_some();
        if record(cell.metadata()).is_some() && !is_stale {
            found.record_cells += 1;
        }
    }
    found
}

/// A line starting with 7 `<` and a later one starting with 7 `>`: git's
/// conflict block (any marker size from 7, as `git diff --check` finds them).
pub fn has_markers(text: &str) -> bool {
    if memchr::memmem::find(text.as_bytes(), b"<<<<<<<").is_none() {
        return false;
    }
    let mut open = false;
    for line in text.lines() {
        if line.starts_with("<<<<<<<") {
            open = true;
        } else if open && line.starts_with(">>>>>>>") {
            return true;
        }
    }
    false
}

/// What a cell's or the notebook's `nbdiff` record holds, for textconv:
/// `conflicts: source (1 hunk), moved, metadata/tags` or `marker cell: start`.
/// `None` when `metadata` has no record.
pub fn describe_record(metadata: Option<&serde_json::Map<String, Value>>) -> Option<String> {
    let record = metadata?.get(RECORD_KEY)?;
    let mut parts: Vec<String> = Vec::new();
    if let Some(role) = record.get("marker").and_then(Value::as_str) {
        parts.push(format!(
            "marker cell: {}",
            crate::render::sanitize::visible(role)
        ));
    }
    if let Some(list) = record.get("conflicts").and_then(Value::as_array) {
        let kinds: Vec<String> = list
            .iter()
            .map(|c| {
                let kind = c.get("kind").and_then(Value::as_str).unwrap_or("?");
                match kind {
                    "field" => c
                        .get("path")
                        .and_then(Value::as_str)
                        .unwrap_or("field")
                        .to_string(),
                    "source" => match c.get("hunks").and_then(Value::as_u64) {
                        Some(1) => "source (1 hunk)".to_string(),
                        Some(n) => format!("source ({n} hunks)"),
                        None => "source".to_string(),
                    },
                    other => other.to_string(),
                }
            })
            .map(|k| crate::render::sanitize::visible(&k).into_owned())
            .collect();
        parts.push(format!("conflicts: {}", kinds.join(", ")));
    }
    if parts.is_empty() {
        parts.push("record".to_string());
    }
    Some(parts.join("; "))
}

/// The one warning line for `name`, or `None` when nothing is left.
pub fn warning(name: &str, left: &Leftovers) -> Option<String> {
    if left.is_empty() {
        return None;
    }
    let cells = |n: usize| {
        if n == 1 {
            "1 cell".to_string()
        } else {
            format!("{n} cells")
        }
    };
    let mut what = Vec::new();
    if left.marked_cells > 0 {
        what.push(format!("conflict markers ({})", cells(left.marked_cells)));
    }
    match (left.record_cells, left.notebook_record) {
        (0, false) => {}
        (0, true) => what.push("a conflict record (notebook metadata \"nbdiff\")".to_string()),
        (n, nb) => what.push(format!(
            "conflict records (\"nbdiff\" metadata of {}{})",
            cells(n),
            if nb { " and of the notebook" } else { "" }
        )),
    }
    if what.is_empty() {
        return Some(format!(
            "nbdiff: warning: {} still holds conflict records of resolved merge conflicts (\"nbdiff\" metadata, {}); `nbdiff clean` drops them, and so does `git add` with the clean filter",
            crate::render::sanitize::visible_name(name),
            if left.stale_records == 1 { "1 place".to_string() } else { format!("{} places", left.stale_records) }
        ));
    }
    Some(format!(
        "nbdiff: warning: {} still holds {} from a merge; keep one version of each conflict and delete its notice cells (or edit the markers away) before committing",
        crate::render::sanitize::visible_name(name),
        what.join(" and ")
    ))
}

/// Writes the warning for the notebook in `bytes` named `name`, if it has
/// leftovers (files that are not notebooks are left alone: the diff says so).
pub fn warn_bytes(name: &str, bytes: &[u8], err: &mut dyn Write) {
    if !may_hold(bytes) {
        return;
    }
    if let Ok(nb) = Notebook::parse(bytes, name) {
        warn(name, &nb, err);
    }
}

/// Writes the warning for the parsed notebook `nb` named `name`, if it has leftovers.
pub fn warn(name: &str, nb: &Notebook, err: &mut dyn Write) {
    if let Some(line) = warning(name, &find(nb)) {
        let _ = writeln!(err, "{line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_need_an_opening_and_a_closing_line() {
        assert!(has_markers("<<<<<<< a\nx\n=======\ny\n>>>>>>> b\n"));
        assert!(has_markers("<<<<<<<<<\nx\n>>>>>>>>>"));
        assert!(!has_markers(">>>>>>> b\n<<<<<<< a\n"));
        assert!(!has_markers("a <<<<<<< b\n>>>>>>>\n"));
        assert!(!has_markers("Title\n=======\n"));
    }

    #[test]
    fn one_line_names_the_file_and_what_is_left() {
        let left = Leftovers {
            marked_cells: 2,
            record_cells: 1,
            notebook_record: true,
            stale_records: 0,
        };
        let line = warning("nb.ipynb", &left).expect("a warning");
        assert!(line.contains("nb.ipynb still holds conflict markers (2 cells) and conflict records (\"nbdiff\" metadata of 1 cell and of the notebook)"), "{line}");
        assert_eq!(warning("nb.ipynb", &Leftovers::default()), None);
    }
}
