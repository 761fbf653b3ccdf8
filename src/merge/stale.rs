//! Conflict records that outlived their conflict.
//!
//! A merge writes `metadata.nbdiff` records beside its notice cells (see
//! [`super::to_notebook`]). A person resolves in Jupyter by deleting notice cells
//! and versions, and Jupyter keeps the records of the cells left: without
//! this module they would be committed. [`drop_stale`] removes every record
//! whose conflict is gone; the clean filter, `nbdiff clean` and
//! `nbdiff resolve` call it. A conflict still present keeps its records (and
//! `nbdiff check`'s conflict-leftover rule reports it).
//!
//! When is a conflict gone? Each conflict has a number (`"conflict": N`)
//! in its notice cells and in the records of its cells:
//! - a record with a number stays while a notice cell with that number is
//!   in the notebook, or another cell holds a record with that number (both
//!   versions of a cell were kept);
//! - a record without a number (written by an older nbdiff) stays while the
//!   notebook holds any notice cell;
//! - any record stays while its cell still holds conflict markers in its
//!   source (`<<<<<<<` … `>>>>>>>`); a record of an outputs conflict
//!   (`--outputs conflict`, marked in the outputs, which `clean` may strip)
//!   stays until deleted by hand.
//!
//! Notice cells themselves are never removed: they are the user's to
//! delete, and `check` reports them.

use super::leftover::has_markers;
use super::to_notebook::{GROUP_KEY, RECORD_KEY};
use crate::notebook::Notebook;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// What [`drop_stale`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dropped {
    /// Cells whose record was removed.
    pub cells: usize,
    /// The notebook's own record was removed.
    pub notebook: bool,
}

impl Dropped {
    /// Nothing was removed.
    pub fn is_empty(&self) -> bool {
        self.cells == 0 && !self.notebook
    }
}

/// The merge's part of `metadata.nbdiff`: an object with `conflicts` or a
/// `marker` (the key also holds other tools' settings, e.g. `check`'s).
pub(crate) fn record(meta: Option<&Map<String, Value>>) -> Option<&Map<String, Value>> {
    meta?
        .get(RECORD_KEY)?
        .as_object()
        .filter(|r| r.contains_key("conflicts") || r.contains_key("marker"))
}

/// Removes the merge's keys from `metadata.nbdiff`, and the key itself when
/// nothing else is left in it.
fn remove_record(meta: &mut Map<String, Value>) {
    let empty = match meta.get_mut(RECORD_KEY) {
        Some(Value::Object(r)) => {
            r.remove("conflicts");
            r.remove(GROUP_KEY);
            r.is_empty()
        }
        _ => false,
    };
    if empty {
        meta.remove(RECORD_KEY);
    }
}

fn group_of(rec: &Map<String, Value>) -> Option<u64> {
    rec.get(GROUP_KEY).and_then(Value::as_u64)
}

fn is_notice(rec: &Map<String, Value>) -> bool {
    rec.contains_key("marker")
}

/// True when the record lists an outputs conflict.
fn records_outputs_conflict(rec: &Map<String, Value>) -> bool {
    rec.get("conflicts")
        .and_then(Value::as_array)
        .is_some_and(|l| {
            l.iter()
                .any(|c| c.get("path").and_then(Value::as_str) == Some("outputs"))
        })
}

/// The cells (0-based) whose records are stale, and whether the notebook's
/// is, without changing anything (`check` leaves them to `clean`).
pub fn stale_records(nb: &Notebook) -> (Vec<usize>, bool) {
    if record(nb.metadata()).is_none() && !nb.cells().iter().any(|c| record(c.metadata()).is_some())
    {
        return (Vec::new(), false);
    }
    plan(nb)
}

fn plan(nb: &Notebook) -> (Vec<usize>, bool) {
    let cells = nb.cells();
    // Per conflict number: notice cells, and cells with a record.
    let mut notices: HashMap<u64, usize> = HashMap::new();
    let mut holders: HashMap<u64, usize> = HashMap::new();
    let mut any_notice = false;
    for cell in cells.iter() {
        let Some(rec) = record(cell.metadata()) else {
            continue;
        };
        let g = group_of(rec);
        if is_notice(rec) {
            any_notice = true;
            if let Some(g) = g {
                *notices.entry(g).or_default() += 1;
            }
        } else if let Some(g) = g {
            *holders.entry(g).or_default() += 1;
        }
    }
    let live = |rec: &Map<String, Value>| match group_of(rec) {
        Some(g) => notices.contains_key(&g) || holders.get(&g).copied().unwrap_or(0) > 1,
        None => any_notice,
    };
    let mut stale = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let Some(rec) = record(cell.metadata()) else {
            continue;
        };
        if is_notice(rec) || live(rec) {
            continue;
        }
        // An outputs conflict (`--outputs conflict`) is marked in the outputs,
        // which `clean` may strip: its record stays until deleted by hand,
        // so that cleaning twice changes nothing more than cleaning once.
        if has_markers(&cell.source()) || records_outputs_conflict(rec) {
            continue;
        }
        stale.push(i);
    }
    let notebook = record(nb.metadata()).is_some_and(|rec| !live(rec));
    (stale, notebook)
}

/// What [`drop_stale`] would remove, without removing it.
pub fn find(nb: &Notebook) -> Dropped {
    let (cells, notebook) = plan(nb);
    Dropped {
        cells: cells.len(),
        notebook,
    }
}

/// Removes the records whose conflict is gone; returns the cells touched
/// (0-based) and what was removed.
pub fn drop_stale(nb: &mut Notebook) -> (Vec<usize>, Dropped) {
    let (cells, notebook) = plan(nb);
    let dropped = Dropped {
        cells: cells.len(),
        notebook,
    };
    if notebook {
        if let Some(Value::Object(meta)) = nb.root.get_mut("metadata") {
            remove_record(meta);
        }
    }
    if !cells.is_empty() {
        let list = if nb.is_v3() {
            nb.root
                .get_mut("worksheets")
                .and_then(Value::as_array_mut)
                .map(|ws| {
                    ws.iter_mut()
                        .filter_map(|w| w.get_mut("cells").and_then(Value::as_array_mut))
                        .flat_map(|c| c.iter_mut())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        } else {
            nb.root
                .get_mut("cells")
                .and_then(Value::as_array_mut)
                .map(|c| c.iter_mut().collect::<Vec<_>>())
                .unwrap_or_default()
        };
        let mut list = list;
        for &i in &cells {
            if let Some(Value::Object(cell)) = list.get_mut(i).map(|c| &mut **c) {
                if let Some(Value::Object(meta)) = cell.get_mut("metadata") {
                    remove_record(meta);
                }
            }
        }
    }
    (cells, dropped)
}

/// The notebook in `bytes` without its stale records, written back with
/// every other cell byte for byte; `None` when there is nothing to drop or
/// `bytes` is not a notebook (cheap for files without a record).
pub fn without_stale(bytes: &[u8], name: &str) -> Option<(Vec<u8>, Dropped)> {
    memchr::memmem::find(bytes, b"\"nbdiff\"")?;
    let mut nb = Notebook::parse_keeping_raw(bytes, name).ok()?;
    let (cells, dropped) = drop_stale(&mut nb);
    if dropped.is_empty() {
        return None;
    }
    let mut out = nb.to_bytes_keeping_cells(|i| !cells.contains(&i));
    const BOM: &[u8] = b"\xef\xbb\xbf";
    if bytes.starts_with(BOM) && !out.starts_with(BOM) {
        out.splice(0..0, BOM.iter().copied());
    }
    Some((out, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb(cells: &str, meta: &str) -> Vec<u8> {
        format!(
            "{{\n \"cells\": [{cells}],\n \"metadata\": {{{meta}}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n"
        )
        .into_bytes()
    }

    fn md(id: &str, source: &str, record: &str) -> String {
        format!(
            "\n  {{\n   \"cell_type\": \"markdown\",\n   \"id\": \"{id}\",\n   \"metadata\": {{{record}}},\n   \"source\": [\"{source}\"]\n  }}"
        )
    }

    const NOTICE: &str = "\"nbdiff\": {\"conflict\": 1, \"marker\": \"versions\"}";
    const LOCAL: &str = "\"nbdiff\": {\"conflict\": 1, \"conflicts\": [{\"kind\": \"source\", \"hunks\": 1, \"version\": \"local\"}]}";
    const REMOTE: &str = "\"nbdiff\": {\"conflict\": 1, \"conflicts\": [{\"kind\": \"source\", \"hunks\": 1, \"version\": \"remote\"}]}";

    #[test]
    fn a_record_whose_notices_and_other_version_are_gone_is_dropped_and_nothing_else_changes() {
        let untouched = md("a", "# Title", "");
        let bytes = nb(
            &[untouched.clone(), md("b", "kept version", LOCAL)].join(","),
            "",
        );
        let (out, dropped) = without_stale(&bytes, "nb.ipynb").expect("dropped");
        assert_eq!(dropped.cells, 1);
        let text = String::from_utf8(out).expect("utf-8");
        assert!(!text.contains("nbdiff"), "{text}");
        assert!(
            text.contains(&untouched),
            "untouched cell byte for byte:\n{text}"
        );
    }

    #[test]
    fn a_conflict_still_present_keeps_its_records() {
        // The notice is still there.
        let with_notice = nb(
            &[
                md("n", "`<<<<<<< HEAD` notice", NOTICE),
                md("b", "x", LOCAL),
            ]
            .join(","),
            "",
        );
        assert!(without_stale(&with_notice, "nb").is_none());
        // Both versions kept, notices deleted: not resolved.
        let both = nb(&[md("b", "x", LOCAL), md("c", "y", REMOTE)].join(","), "");
        assert!(without_stale(&both, "nb").is_none());
        // Markers still in the source (an older nbdiff's record, no number).
        let marked = nb(
            &md(
                "b",
                "<<<<<<< a\\n\",\"x\\n\",\"=======\\n\",\"y\\n\",\">>>>>>> b\\n",
                "\"nbdiff\": {\"conflicts\": [{\"kind\": \"source\", \"hunks\": 1}]}",
            ),
            "",
        );
        assert!(without_stale(&marked, "nb").is_none());
    }

    #[test]
    fn other_settings_under_the_key_are_kept() {
        // `check`'s per-cell settings live under metadata.nbdiff too.
        let settings = "\"nbdiff\": {\"check\": {\"ignore\": [\"NB301\"]}}";
        assert!(without_stale(&nb(&md("a", "x", settings), ""), "nb").is_none());
        let both = "\"nbdiff\": {\"check\": {\"ignore\": [\"NB301\"]}, \"conflict\": 1, \"conflicts\": [{\"kind\": \"source\", \"hunks\": 1, \"version\": \"local\"}]}";
        let (out, _) = without_stale(&nb(&md("a", "x", both), ""), "nb").expect("dropped");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.contains("NB301") && !text.contains("conflicts"),
            "{text}"
        );
    }

    #[test]
    fn the_notebook_record_goes_with_its_notice() {
        let meta = "\"nbdiff\": {\"conflict\": 2, \"conflicts\": [{\"kind\": \"field\", \"path\": \"metadata/x\"}]}";
        let notice = "\"nbdiff\": {\"conflict\": 2, \"marker\": \"conflict\"}";
        let present = nb(&md("n", "notice", notice), meta);
        assert!(without_stale(&present, "nb").is_none());
        let gone = nb(&md("a", "text", ""), meta);
        let (out, dropped) = without_stale(&gone, "nb").expect("dropped");
        assert!(dropped.notebook);
        assert!(!String::from_utf8_lossy(&out).contains("nbdiff"));
    }
}
