//! `nbdiff clean`: strip the data that changes on every run (timings, view
//! state, kernel stamps, widget state, execution counts; outputs only when
//! asked) and keep every other byte.
//!
//! Value first: [`plan`] says what would be stripped (a [`Plan`] of
//! [`Strip`]s, empty for a clean notebook), [`apply`] strips it from the
//! parsed value, and [`clean`] writes the result with the notebook's own
//! style, copying every cell it did not touch verbatim from the input bytes
//! ([`Notebook::to_bytes_keeping_cells`]). A notebook with nothing to strip
//! comes back as the very input bytes, so cleaning is idempotent: clean of
//! clean is byte-identical.
//!
//! What is stripped comes from [`policy`]. Execution counts become `null`
//! (nbformat 4 requires the key; nbformat 3's optional `prompt_number` is
//! removed); outputs become `[]`; a metadata object that only held stripped
//! keys (`jupyter`, `papermill`) is removed with them.
//!
//! The command ([`cli`]) runs as a git clean filter (stdin → stdout), on
//! files in place, or as a check; [`process`] serves git's long-running
//! filter protocol so that one process cleans every file.

pub mod cli;
pub mod policy;
pub mod process;

use crate::notebook::{LoadError, Notebook};
use serde_json::{Map, Value};
use std::fmt;

/// Whether something (outputs, execution counts) is kept or stripped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    /// Keep them as they are.
    Keep,
    /// Strip them.
    Strip,
}

/// What [`clean`] strips beyond the volatile metadata of [`policy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CleanOptions {
    /// Outputs (`[]`): kept by default.
    pub outputs: Keep,
    /// Execution counts (cell and `execute_result`): stripped by default.
    pub execution_counts: Keep,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            outputs: Keep::Keep,
            execution_counts: Keep::Strip,
        }
    }
}

/// Where a [`Strip`] happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The notebook itself (its metadata).
    Notebook,
    /// A cell, by 0-based index in document order (nbformat 3: all worksheets).
    Cell(usize),
    /// An output of a cell.
    Output {
        /// The cell's index.
        cell: usize,
        /// The output's 0-based index.
        output: usize,
    },
}

/// What happens at a [`Place`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Remove the dotted path (`metadata.execution`).
    Remove(&'static str),
    /// Set the key to `null` (`execution_count`).
    Null(&'static str),
    /// Set the key to an empty list (`outputs`).
    Empty(&'static str),
}

/// One thing [`clean`] strips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strip {
    /// Where.
    pub place: Place,
    /// What.
    pub change: Change,
}

impl fmt::Display for Strip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::Notebook => write!(f, "notebook ")?,
            Place::Cell(c) => write!(f, "cell {} ", c + 1)?,
            Place::Output { cell, output } => {
                write!(f, "cell {} output {} ", cell + 1, output + 1)?
            }
        }
        match self.change {
            Change::Remove(p) | Change::Null(p) | Change::Empty(p) => f.write_str(p),
        }
    }
}

/// Everything [`clean`] would strip from one notebook, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The strips; empty when the notebook is clean.
    pub strips: Vec<Strip>,
}

impl Plan {
    /// True when there is nothing to strip.
    pub fn is_empty(&self) -> bool {
        self.strips.is_empty()
    }

    /// A short summary for messages: the count and the first few strips.
    pub fn summary(&self) -> String {
        const SHOWN: usize = 3;
        let first: Vec<String> = self
            .strips
            .iter()
            .take(SHOWN)
            .map(|s| s.to_string())
            .collect();
        let more = self.strips.len().saturating_sub(SHOWN);
        let tail = if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        };
        format!("{}{tail}", first.join(", "))
    }
}

/// The result of cleaning one notebook.
#[derive(Debug, Clone)]
pub struct Cleaned {
    /// What was stripped.
    pub plan: Plan,
    /// The cleaned bytes; `None` when nothing was stripped (the input is the output).
    pub bytes: Option<Vec<u8>>,
}

/// Cleans notebook bytes. `name` is used in error messages only.
pub fn clean(bytes: &[u8], name: &str, opts: &CleanOptions) -> Result<Cleaned, LoadError> {
    let mut nb = Notebook::parse_keeping_raw(bytes, name)?;
    let plan = plan(&nb, opts);
    if plan.is_empty() {
        return Ok(Cleaned { plan, bytes: None });
    }
    apply(&mut nb, &plan);
    let touched: std::collections::HashSet<usize> = plan
        .strips
        .iter()
        .filter_map(|s| match s.place {
            Place::Cell(c) | Place::Output { cell: c, .. } => Some(c),
            Place::Notebook => None,
        })
        .collect();
    let mut out = nb.to_bytes_keeping_cells(|i| !touched.contains(&i));
    const BOM: &[u8] = b"\xef\xbb\xbf";
    if bytes.starts_with(BOM) && !out.starts_with(BOM) {
        out.splice(0..0, BOM.iter().copied());
    }
    Ok(Cleaned {
        plan,
        bytes: Some(out),
    })
}

/// What [`clean`] would strip from a parsed notebook.
pub fn plan(nb: &Notebook, opts: &CleanOptions) -> Plan {
    let mut strips = Vec::new();
    for &path in policy::notebook_metadata() {
        if has_path(&nb.root, path) {
            strips.push(Strip {
                place: Place::Notebook,
                change: Change::Remove(path),
            });
        }
    }
    let v3 = nb.is_v3();
    for (i, cell) in nb.cells().iter().enumerate() {
        let map = cell.map;
        for &path in policy::cell_metadata() {
            if has_path(map, path) {
                strips.push(Strip {
                    place: Place::Cell(i),
                    change: Change::Remove(path),
                });
            }
        }
        if cell.cell_type() != "code" {
            continue;
        }
        if opts.execution_counts == Keep::Strip {
            if let Some(change) = count_change(map, v3) {
                strips.push(Strip {
                    place: Place::Cell(i),
                    change,
                });
            }
        }
        let Some(Value::Array(outputs)) = map.get("outputs") else {
            continue;
        };
        if opts.outputs == Keep::Strip {
            if !outputs.is_empty() {
                strips.push(Strip {
                    place: Place::Cell(i),
                    change: Change::Empty("outputs"),
                });
            }
        } else if opts.execution_counts == Keep::Strip {
            for (o, output) in outputs.iter().enumerate() {
                let Value::Object(out) = output else { continue };
                if let Some(change) = count_change(out, v3) {
                    strips.push(Strip {
                        place: Place::Output { cell: i, output: o },
                        change,
                    });
                }
            }
        }
    }
    Plan { strips }
}

/// The change that strips an execution count from a cell or output object,
/// if it holds one.
fn count_change(map: &Map<String, Value>, v3: bool) -> Option<Change> {
    if v3 {
        map.contains_key("prompt_number")
            .then_some(Change::Remove("prompt_number"))
    } else {
        match map.get("execution_count") {
            Some(Value::Null) | None => None,
            Some(_) => Some(Change::Null("execution_count")),
        }
    }
}

/// Strips a [`Plan`] (made by [`plan`] for this notebook) from the value.
pub fn apply(nb: &mut Notebook, plan: &Plan) {
    let v3 = nb.is_v3();
    let mut cells = cells_mut(&mut nb.root, v3);
    for strip in &plan.strips {
        match strip.place {
            Place::Notebook => {}
            Place::Cell(c) => {
                if let Some(cell) = cells.get_mut(c) {
                    change(cell, strip.change);
                }
            }
            Place::Output { cell, output } => {
                let out = cells
                    .get_mut(cell)
                    .and_then(|c| c.get_mut("outputs"))
                    .and_then(|o| o.get_mut(output))
                    .and_then(Value::as_object_mut);
                if let Some(out) = out {
                    change(out, strip.change);
                }
            }
        }
    }
    drop(cells);
    for strip in &plan.strips {
        if strip.place == Place::Notebook {
            change(&mut nb.root, strip.change);
        }
    }
}

fn change(map: &mut Map<String, Value>, change: Change) {
    match change {
        Change::Remove(path) => remove_path(map, path),
        Change::Null(key) => {
            map.insert(key.to_string(), Value::Null);
        }
        Change::Empty(key) => {
            map.insert(key.to_string(), Value::Array(Vec::new()));
        }
    }
}

/// The cell objects in document order, mutable (nbformat 3: all worksheets).
fn cells_mut(root: &mut Map<String, Value>, v3: bool) -> Vec<&mut Map<String, Value>> {
    let lists: Vec<&mut Vec<Value>> = if v3 {
        match root.get_mut("worksheets") {
            Some(Value::Array(ws)) => ws
                .iter_mut()
                .filter_map(|w| match w.get_mut("cells") {
                    Some(Value::Array(cells)) => Some(cells),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    } else {
        match root.get_mut("cells") {
            Some(Value::Array(cells)) => vec![cells],
            _ => Vec::new(),
        }
    };
    lists
        .into_iter()
        .flat_map(|l| l.iter_mut())
        .filter_map(Value::as_object_mut)
        .collect()
}

/// True when the dotted `path` names a value in `map`.
fn has_path(map: &Map<String, Value>, path: &str) -> bool {
    let mut segments = path.split('.');
    let Some(mut key) = segments.next() else {
        return false;
    };
    let mut at = map;
    for next in segments {
        match at.get(key) {
            Some(Value::Object(inner)) => at = inner,
            _ => return false,
        }
        key = next;
    }
    at.contains_key(key)
}

/// Removes the dotted `path`, and with it every object below the first
/// segment that the removal left empty (`metadata.jupyter` once its last
/// key is gone; `metadata` itself stays).
fn remove_path(map: &mut Map<String, Value>, path: &str) {
    match path.split_once('.') {
        None => {
            map.shift_remove(path);
        }
        Some((head, rest)) => {
            if let Some(Value::Object(inner)) = map.get_mut(head) {
                remove_and_prune(inner, rest);
            }
        }
    }
}

/// Removes the dotted `path` from `map`, and each object on the way that it
/// left empty (deepest first); `map` itself stays.
fn remove_and_prune(map: &mut Map<String, Value>, path: &str) {
    match path.split_once('.') {
        None => {
            map.shift_remove(path);
        }
        Some((head, rest)) => {
            if let Some(Value::Object(inner)) = map.get_mut(head) {
                remove_and_prune(inner, rest);
                if inner.is_empty() {
                    map.shift_remove(head);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb(text: &str) -> Notebook {
        Notebook::parse(text.as_bytes(), "t.ipynb").unwrap()
    }

    #[test]
    fn removing_a_path_drops_the_objects_it_emptied_but_not_metadata() {
        let mut m: Map<String, Value> = serde_json::from_str(
            r#"{"metadata": {"jupyter": {"outputs_hidden": true}, "papermill": {"duration": 1, "exception": false}}}"#,
        )
        .unwrap();
        remove_path(&mut m, "metadata.jupyter.outputs_hidden");
        remove_path(&mut m, "metadata.papermill.duration");
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"metadata":{"papermill":{"exception":false}}}"#
        );
        let mut m: Map<String, Value> =
            serde_json::from_str(r#"{"metadata": {"collapsed": true}}"#).unwrap();
        remove_path(&mut m, "metadata.collapsed");
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"metadata":{}}"#);
    }

    #[test]
    fn plan_names_what_would_be_stripped_and_keeps_outputs_by_default() {
        let n = nb(
            r#"{"cells": [{"cell_type": "code", "execution_count": 3, "id": "a",
            "metadata": {"execution": {"x": 1}, "tags": ["t"]}, "outputs": [
            {"output_type": "execute_result", "execution_count": 3, "data": {}, "metadata": {}}],
            "source": "1"}], "metadata": {"language_info": {"name": "python", "version": "3.11"}},
            "nbformat": 4, "nbformat_minor": 5}"#,
        );
        let p = plan(&n, &CleanOptions::default());
        let shown: Vec<String> = p.strips.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            shown,
            [
                "notebook metadata.language_info.version",
                "cell 1 metadata.execution",
                "cell 1 execution_count",
                "cell 1 output 1 execution_count",
            ]
        );
        let strip_outputs = CleanOptions {
            outputs: Keep::Strip,
            ..CleanOptions::default()
        };
        let p = plan(&n, &strip_outputs);
        assert_eq!(p.strips.last().unwrap().to_string(), "cell 1 outputs");
        let keep_counts = CleanOptions {
            execution_counts: Keep::Keep,
            ..CleanOptions::default()
        };
        assert_eq!(plan(&n, &keep_counts).strips.len(), 2);
    }

    #[test]
    fn v3_prompt_numbers_are_removed() {
        let text = r#"{"metadata": {}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": [
            {"cell_type": "code", "input": "1", "language": "python", "metadata": {},
             "outputs": [{"output_type": "pyout", "prompt_number": 1, "text": "1"}], "prompt_number": 1}],
            "metadata": {}}]}"#;
        let cleaned = clean(text.as_bytes(), "t.ipynb", &CleanOptions::default()).unwrap();
        assert_eq!(cleaned.plan.strips.len(), 2);
        let out = String::from_utf8(cleaned.bytes.unwrap()).unwrap();
        assert!(!out.contains("prompt_number"), "{out}");
    }
}
