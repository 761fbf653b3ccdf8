//! `nbdiff clean`: strip the data that changes on every run (timings, view
//! state, kernel stamps, widget state, execution counts; outputs only when
//! asked) and keep every other byte.
//!
//! What is stripped is the `clean` column of the volatile-data policy table
//! ([`crate::policy`]): every row marked [`crate::policy::CleanRule::Strip`], plus
//! [`crate::policy::CleanRule::StripWhenAsked`] (outputs) with `--outputs strip`, plus the
//! user's own paths (git config `nbdiff.ignore`, the project's `ignore`).
//!
//! Value first: [`Cleaner::plan`] says what would be stripped (a [`Plan`] of
//! [`Strip`]s, empty for a clean notebook), [`apply`] strips it from the
//! parsed value, and [`Cleaner::clean`] writes the result with the notebook's
//! own style, copying every cell it did not touch verbatim from the input
//! bytes ([`Notebook::to_bytes_keeping_cells`]). A notebook with nothing to
//! strip comes back as the very input bytes, so cleaning is idempotent: clean
//! of clean is byte-identical.
//!
//! A required field (nbformat 4's `execution_count`) becomes `null` instead
//! of being removed; outputs become `[]`; a metadata object that only held
//! stripped keys (`jupyter`) is removed with them. The command lives in
//! `cli::clean`; [`process`] serves git's long-running filter protocol so
//! that one process cleans every file.

mod lean;
pub mod process;

use crate::notebook::{LoadError, Notebook};
use crate::policy::{Field, Kind, Policy, Scope};
use crate::project::{ProjectConfig, ProjectError};
use serde_json::{Map, Value};
use std::fmt;
use std::path::{Path, PathBuf};

/// Whether something (outputs, execution counts) is kept or stripped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Keep {
    /// Keep them as they are.
    Keep,
    /// Strip them.
    Strip,
}

impl Keep {
    /// The value's name on the command line and in the project file.
    pub fn name(self) -> &'static str {
        match self {
            Keep::Keep => "keep",
            Keep::Strip => "strip",
        }
    }
}

/// What [`Cleaner`] strips beyond the rows always stripped.
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

/// Settings given on the command line; `None` leaves them to the project file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// `--outputs`.
    pub outputs: Option<Keep>,
    /// `--execution-counts`.
    pub execution_counts: Option<Keep>,
}

/// `[tool.nbdiff.clean]`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CleanSection {
    outputs: Option<Keep>,
    execution_counts: Option<Keep>,
}

/// The options for notebooks under `project` (the project file found for
/// their directory, [`ProjectConfig::discover`]): the command line's, else
/// its `[tool.nbdiff.clean]`, else the defaults. A project file that cannot
/// be read, or a bad value in it, is an error naming the file (and key),
/// unless the command line settles every option.
pub fn options_for(
    overrides: &Overrides,
    project: &Result<Option<ProjectConfig>, ProjectError>,
) -> Result<CleanOptions, String> {
    let mut opts = CleanOptions::default();
    if overrides.outputs.is_none() || overrides.execution_counts.is_none() {
        if let Some(cfg) = project.as_ref().map_err(|e| e.to_string())? {
            let section: CleanSection = cfg
                .section_as("clean")
                .map_err(|e| e.to_string())?
                .unwrap_or_default();
            opts.outputs = section.outputs.unwrap_or(opts.outputs);
            opts.execution_counts = section.execution_counts.unwrap_or(opts.execution_counts);
        }
    }
    opts.outputs = overrides.outputs.unwrap_or(opts.outputs);
    opts.execution_counts = overrides.execution_counts.unwrap_or(opts.execution_counts);
    Ok(opts)
}

/// The directory whose project file and policy apply to the notebook at
/// `path` (`.` for a bare file name).
pub fn dir_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Cleans notebooks: the policy's rows to strip, chosen once.
#[derive(Debug, Clone)]
pub struct Cleaner {
    rows: Vec<Field>,
}

impl Cleaner {
    /// A cleaner stripping what `policy` marks for `clean`, with `options`.
    pub fn new(policy: &Policy, options: CleanOptions) -> Cleaner {
        let rows = policy
            .fields_to_clean(options.outputs == Keep::Strip)
            .filter(|f| {
                !(options.execution_counts == Keep::Keep && f.kind == Kind::ExecutionCounts)
            })
            .cloned()
            .collect();
        Cleaner { rows }
    }

    /// The built-in table with `options`.
    pub fn with_defaults(options: CleanOptions) -> Cleaner {
        Cleaner::new(&Policy::defaults(), options)
    }

    /// Cleans notebook bytes. `name` is used in error messages only.
    pub fn clean(&self, bytes: &[u8], name: &str) -> Result<Cleaned, LoadError> {
        self.run(bytes, name, true, false)
    }

    /// What [`Cleaner::clean`] would do, without writing the cleaned bytes
    /// (`clean --check`): the same plan, stale records and refusals, but
    /// `bytes` is always `None`; the notebook would change when
    /// [`Cleaned::would_change`].
    pub fn check(&self, bytes: &[u8], name: &str) -> Result<Cleaned, LoadError> {
        self.run(bytes, name, false, true)
    }

    /// `lean`: a check may answer from [`lean`]'s pass over the bytes
    /// (the tests turn it off to compare the two).
    fn run(&self, bytes: &[u8], name: &str, write: bool, lean: bool) -> Result<Cleaned, LoadError> {
        // Merge conflict records whose conflict is gone go first (merge/stale.rs).
        let (unstale, stale) = match crate::merge::stale::without_stale(bytes, name) {
            Some((b, d)) => (Some(b), d),
            None => (None, Default::default()),
        };
        let bytes = unstale.as_deref().unwrap_or(bytes);
        // A check needs only the plan: one lean pass over the bytes, no
        // tree, when it can answer exactly (lean.rs); else the full parse.
        if !write && lean {
            if let Some(plan) = lean::Lean::new(&self.rows).and_then(|l| l.plan(bytes)) {
                return Ok(Cleaned {
                    plan,
                    bytes: None,
                    stale,
                });
            }
        }
        // The input bytes are kept (copied) only when a cleaned notebook is
        // written: a clean one, or a check, never needs them.
        let mut nb = Notebook::parse(bytes, name)?;
        let plan = self.plan(&nb);
        if plan.is_empty() {
            return Ok(Cleaned {
                plan,
                bytes: unstale.filter(|_| write),
                stale,
            });
        }
        let required = Required::before(&nb, &plan);
        apply(&mut nb, &plan);
        required.still_there(&nb, name)?;
        if !write {
            return Ok(Cleaned {
                plan,
                bytes: None,
                stale,
            });
        }
        nb.raw = Some(bytes.into());
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
            stale,
        })
    }

    /// What [`Cleaner::clean`] would strip from a parsed notebook.
    pub fn plan(&self, nb: &Notebook) -> Plan {
        let v3 = nb.is_v3();
        let rows = |scope: Scope| self.rows.iter().filter(move |f| f.scope == scope);
        let mut strips = Vec::new();
        for row in rows(Scope::Notebook) {
            if has_path(&nb.root, &row.path) {
                strips.push(Strip {
                    place: Place::Notebook,
                    change: Change::Remove(row.path.to_string()),
                });
            }
        }
        for (i, cell) in nb.cells().iter().enumerate() {
            let mut outputs_emptied = false;
            for row in rows(Scope::Cell) {
                if let Some(change) = change_for(cell.map, &row.path, v3) {
                    outputs_emptied |= matches!(&change, Change::Empty(k) if k == "outputs");
                    strips.push(Strip {
                        place: Place::Cell(i),
                        change,
                    });
                }
            }
            if outputs_emptied {
                continue;
            }
            let Some(Value::Array(outputs)) = cell.map.get("outputs") else {
                continue;
            };
            for (o, output) in outputs.iter().enumerate() {
                let Value::Object(out) = output else { continue };
                for row in rows(Scope::Output) {
                    if let Some(change) = change_for(out, &row.path, v3) {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Remove the dotted path (`metadata.execution`).
    Remove(String),
    /// Set the key to `null` (`execution_count`, required by nbformat 4).
    Null(String),
    /// Set the key to an empty list (`outputs`).
    Empty(String),
}

/// One thing a [`Cleaner`] strips.
#[derive(Debug, Clone, PartialEq, Eq)]
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
        match &self.change {
            Change::Remove(p) | Change::Null(p) | Change::Empty(p) => f.write_str(p),
        }
    }
}

/// Everything a [`Cleaner`] would strip from one notebook, in document order.
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

    /// A short summary for messages: the first few strips and how many more.
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
    /// Merge conflict records dropped because their conflict is gone.
    pub stale: crate::merge::stale::Dropped,
}

impl Cleaned {
    /// True when cleaning changes the notebook: something to strip, or
    /// stale conflict records to drop (also after [`Cleaner::check`]).
    pub fn would_change(&self) -> bool {
        !self.plan.is_empty() || !self.stale.is_empty()
    }
}

/// Fields nbformat (3 or 4) requires of the notebook, dotted; a nested one
/// only while its parent object is there.
const NOTEBOOK_REQUIRED: &[&str] = &[
    "metadata",
    "nbformat",
    "nbformat_minor",
    "cells",
    "worksheets",
    "metadata.kernelspec.name",
    "metadata.kernelspec.display_name",
    "metadata.language_info.name",
];
/// Fields a cell requires (by its type and format version).
const CELL_REQUIRED: &[&str] = &[
    "cell_type",
    "metadata",
    "source",
    "input",
    "outputs",
    "id",
    "execution_count",
];
/// Fields an output requires (by its type and format version).
const OUTPUT_REQUIRED: &[&str] = &[
    "output_type",
    "name",
    "text",
    "data",
    "metadata",
    "ename",
    "evalue",
    "traceback",
    "execution_count",
];

/// The required fields present, before cleaning, in every place a plan
/// touches: [`Required::still_there`] checks the cleaned notebook still has
/// each, so that no configuration can make `clean` write a notebook
/// nbformat rejects (the policy refuses such paths up front:
/// [`crate::policy::refusal`]; this is the check on the result).
struct Required {
    /// (place, dotted field) pairs.
    fields: Vec<(Place, &'static str)>,
}

impl Required {
    fn before(nb: &Notebook, plan: &Plan) -> Required {
        let cells = nb.cells();
        let mut fields = Vec::new();
        let mut places: Vec<Place> = plan.strips.iter().map(|s| s.place).collect();
        places.dedup();
        for place in places {
            if let Some((map, list)) = place_map(nb, &cells, place) {
                fields.extend(
                    list.iter()
                        .filter(|f| has_path(map, f))
                        .map(|f| (place, *f)),
                );
            }
        }
        Required { fields }
    }

    /// An error naming the place and the field when the cleaned notebook
    /// lost a required field it had (a nested one may go with its parent).
    fn still_there(&self, nb: &Notebook, name: &str) -> Result<(), LoadError> {
        let cells = nb.cells();
        for (place, field) in &self.fields {
            let Some((map, _)) = place_map(nb, &cells, *place) else {
                continue;
            };
            let parent_gone = field
                .rsplit_once('.')
                .is_some_and(|(parent, _)| !has_path(map, parent));
            if has_path(map, field) || parent_gone {
                continue;
            }
            let reason = format!(
                "cleaning would remove the required field {field}{}; refused, the notebook \
                 is left as it is",
                match place {
                    Place::Output { output, .. } => format!(" of output {}", output + 1),
                    _ => String::new(),
                }
            );
            return Err(match place {
                Place::Notebook => LoadError::NotNotebook {
                    path: name.to_string(),
                    reason,
                },
                Place::Cell(c) | Place::Output { cell: c, .. } => LoadError::BadCell {
                    path: name.to_string(),
                    cell: c + 1,
                    reason,
                },
            });
        }
        Ok(())
    }
}

/// The object at `place` and the fields it requires.
fn place_map<'n>(
    nb: &'n Notebook,
    cells: &[crate::notebook::Cell<'n>],
    place: Place,
) -> Option<(&'n Map<String, Value>, &'static [&'static str])> {
    match place {
        Place::Notebook => Some((&nb.root, NOTEBOOK_REQUIRED)),
        Place::Cell(c) => cells.get(c).map(|cell| (cell.map, CELL_REQUIRED)),
        Place::Output { cell, output } => {
            let out = cells.get(cell)?.map.get("outputs")?.get(output)?;
            out.as_object().map(|o| (o, OUTPUT_REQUIRED))
        }
    }
}

/// The change that strips the row `path` from a cell or output object, if
/// it holds something to strip: outputs are emptied, nbformat 4's required
/// `execution_count` is set to `null`, anything else is removed.
fn change_for(map: &Map<String, Value>, path: &str, v3: bool) -> Option<Change> {
    match (path, map.get(path)) {
        ("outputs", Some(Value::Array(list))) => {
            (!list.is_empty()).then(|| Change::Empty(path.into()))
        }
        ("outputs", _) => None,
        ("execution_count", Some(v)) if !v3 => (!v.is_null()).then(|| Change::Null(path.into())),
        _ => has_path(map, path).then(|| Change::Remove(path.into())),
    }
}

/// Strips a [`Plan`] (made by [`Cleaner::plan`] for this notebook) from the value.
pub fn apply(nb: &mut Notebook, plan: &Plan) {
    let v3 = nb.is_v3();
    let mut cells = cells_mut(&mut nb.root, v3);
    for strip in &plan.strips {
        match strip.place {
            Place::Notebook => {}
            Place::Cell(c) => {
                if let Some(cell) = cells.get_mut(c) {
                    change(cell, &strip.change);
                }
            }
            Place::Output { cell, output } => {
                let out = cells
                    .get_mut(cell)
                    .and_then(|c| c.get_mut("outputs"))
                    .and_then(|o| o.get_mut(output))
                    .and_then(Value::as_object_mut);
                if let Some(out) = out {
                    change(out, &strip.change);
                }
            }
        }
    }
    drop(cells);
    for strip in &plan.strips {
        if strip.place == Place::Notebook {
            change(&mut nb.root, &strip.change);
        }
    }
}

fn change(map: &mut Map<String, Value>, change: &Change) {
    match change {
        Change::Remove(path) => remove_path(map, path),
        Change::Null(key) => {
            map.insert(key.clone(), Value::Null);
        }
        Change::Empty(key) => {
            map.insert(key.clone(), Value::Array(Vec::new()));
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
    remove_and_prune(map, path, false);
}

/// Removes the dotted `path` from `map`, and each object on the way that it
/// left empty (deepest first); `map`'s own key on the way too when
/// `prune_here`.
fn remove_and_prune(map: &mut Map<String, Value>, path: &str, prune_here: bool) {
    match path.split_once('.') {
        None => {
            map.shift_remove(path);
        }
        Some((head, rest)) => {
            if let Some(Value::Object(inner)) = map.get_mut(head) {
                remove_and_prune(inner, rest, true);
                if prune_here && inner.is_empty() {
                    map.shift_remove(head);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{CleanRule, DEFAULT_FIELDS};

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

    /// Removing a stripped row removes everything below it: the table must
    /// not keep something below a row clean strips.
    #[test]
    fn no_row_clean_strips_holds_a_row_clean_keeps() {
        for strip in DEFAULT_FIELDS.iter().filter(|f| f.clean != CleanRule::Keep) {
            let below = format!("{}.", strip.path);
            for kept in DEFAULT_FIELDS.iter().filter(|f| f.clean == CleanRule::Keep) {
                assert!(
                    !(kept.scope == strip.scope && kept.path.starts_with(&below)),
                    "{} is kept below the stripped {}",
                    kept.path,
                    strip.path
                );
            }
        }
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
        let p = Cleaner::with_defaults(CleanOptions::default()).plan(&n);
        let shown: Vec<String> = p.strips.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            shown,
            [
                "notebook metadata.language_info.version",
                "cell 1 execution_count",
                "cell 1 metadata.execution",
                "cell 1 output 1 execution_count",
            ]
        );
        let strip_outputs = CleanOptions {
            outputs: Keep::Strip,
            ..CleanOptions::default()
        };
        let p = Cleaner::with_defaults(strip_outputs).plan(&n);
        let shown: Vec<String> = p.strips.iter().map(|s| s.to_string()).collect();
        assert!(shown.contains(&"cell 1 outputs".to_string()), "{shown:?}");
        assert!(!shown.iter().any(|s| s.contains("output 1")), "{shown:?}");
        let keep_counts = CleanOptions {
            execution_counts: Keep::Keep,
            ..CleanOptions::default()
        };
        assert_eq!(Cleaner::with_defaults(keep_counts).plan(&n).strips.len(), 2);
    }

    #[test]
    fn the_users_own_paths_are_stripped_too() {
        let n = nb(
            r#"{"cells": [{"cell_type": "markdown", "metadata": {"slideshow": {"x": 1}}, "source": ""}],
            "metadata": {"mine": 1}, "nbformat": 4, "nbformat_minor": 4}"#,
        );
        let policy = Policy::defaults()
            .with_user_paths("test", ["metadata.mine", "cell.metadata.slideshow"])
            .unwrap();
        let p = Cleaner::new(&policy, CleanOptions::default()).plan(&n);
        let shown: Vec<String> = p.strips.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            shown,
            ["notebook metadata.mine", "cell 1 metadata.slideshow"]
        );
    }

    #[test]
    fn v3_prompt_numbers_are_removed() {
        let text = r#"{"metadata": {}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{"cells": [
            {"cell_type": "code", "input": "1", "language": "python", "metadata": {},
             "outputs": [{"output_type": "pyout", "prompt_number": 1, "text": "1"}], "prompt_number": 1}],
            "metadata": {}}]}"#;
        let cleaned = Cleaner::with_defaults(CleanOptions::default())
            .clean(text.as_bytes(), "t.ipynb")
            .unwrap();
        assert_eq!(cleaned.plan.strips.len(), 2);
        let out = String::from_utf8(cleaned.bytes.unwrap()).unwrap();
        assert!(!out.contains("prompt_number"), "{out}");
    }

    /// A cleaner with rows the policy would refuse (built here directly):
    /// the result check still stops it writing an invalid notebook.
    fn forced(scope: Scope, path: &'static str) -> Cleaner {
        use crate::policy::{DiffRule, MergeRule};
        Cleaner {
            rows: vec![Field {
                scope,
                path: std::borrow::Cow::Borrowed(path),
                kind: Kind::User,
                diff: DiffRule::Hidden,
                merge: MergeRule::TakeLocal,
                clean: CleanRule::Strip,
                reason: std::borrow::Cow::Borrowed("test"),
            }],
        }
    }

    #[test]
    fn clean_refuses_to_remove_a_required_field_whatever_its_rows_say() {
        let text = r#"{"cells": [{"attachments": {"a.png": {"image/png": "iVBO"}},
            "cell_type": "markdown", "id": "m", "metadata": {"tags": []}, "source": "![](attachment:a.png)"},
            {"cell_type": "code", "execution_count": 1, "id": "c", "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": "x"},
            {"data": {"text/plain": "1"}, "execution_count": 1, "metadata": {}, "output_type": "execute_result"}],
            "source": "1"}],
            "metadata": {"kernelspec": {"display_name": "P", "name": "p"}, "language_info": {"name": "python", "version": "3"}},
            "nbformat": 4, "nbformat_minor": 5}"#;
        for (scope, path, names) in [
            (
                Scope::Output,
                "text",
                "cell 2: cleaning would remove the required field text of output 1",
            ),
            (
                Scope::Output,
                "output_type",
                "field output_type of output 1",
            ),
            (Scope::Output, "data", "field data of output 2"),
            (Scope::Output, "metadata", "field metadata of output 2"),
            (
                Scope::Cell,
                "source",
                "cell 1: cleaning would remove the required field source",
            ),
            (
                Scope::Cell,
                "metadata",
                "cell 1: cleaning would remove the required field metadata",
            ),
            (Scope::Cell, "id", "required field id"),
            (Scope::Notebook, "metadata", "required field metadata"),
            (
                Scope::Notebook,
                "nbformat_minor",
                "required field nbformat_minor",
            ),
            (
                Scope::Notebook,
                "metadata.kernelspec.name",
                "required field metadata.kernelspec.name",
            ),
            (
                Scope::Notebook,
                "metadata.language_info.name",
                "metadata.language_info.name",
            ),
        ] {
            let e = forced(scope, path)
                .clean(text.as_bytes(), "t.ipynb")
                .expect_err(path)
                .to_string();
            assert!(e.starts_with("t.ipynb: "), "{e}");
            assert!(e.contains(names), "{path}: {e}");
        }
        // Optional fields may go: attachments (the policy refuses them as
        // content, not as shape), a metadata key, an object emptied whole.
        for (scope, path) in [
            (Scope::Cell, "attachments"),
            (Scope::Cell, "metadata.tags"),
            (Scope::Notebook, "metadata.kernelspec"),
        ] {
            let cleaned = forced(scope, path).clean(text.as_bytes(), "t.ipynb");
            assert!(cleaned.is_ok_and(|c| c.bytes.is_some()), "{path}");
        }
        // A required field inside an object the strip removes whole goes
        // with it: language_info holding only its name.
        let lone = r#"{"cells": [], "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}"#;
        let out = forced(Scope::Notebook, "metadata.language_info.name")
            .clean(lone.as_bytes(), "t.ipynb")
            .expect("the emptied object goes whole");
        assert!(!String::from_utf8(out.bytes.unwrap())
            .unwrap()
            .contains("language_info"));
    }

    /// `clean --check` asks [`Cleaner::check`], which writes nothing: it must
    /// still say exactly what [`Cleaner::clean`] does, refusals included.
    #[test]
    fn check_says_what_clean_does_without_writing_bytes() {
        let dirty = r#"{"cells": [{"cell_type": "code", "execution_count": 3, "id": "a",
            "metadata": {"execution": {"x": 1}}, "outputs": [{"name": "stdout",
            "output_type": "stream", "text": "x"}], "source": "1"}],
            "metadata": {"language_info": {"name": "python", "version": "3.11"}},
            "nbformat": 4, "nbformat_minor": 5}"#;
        for outputs in [Keep::Keep, Keep::Strip] {
            let cleaner = Cleaner::with_defaults(CleanOptions {
                outputs,
                ..CleanOptions::default()
            });
            let cleaned = cleaner.clean(dirty.as_bytes(), "t.ipynb").unwrap();
            let checked = cleaner.check(dirty.as_bytes(), "t.ipynb").unwrap();
            assert!(!cleaned.plan.is_empty());
            assert_eq!(checked.plan, cleaned.plan);
            assert!(checked.would_change() && cleaned.would_change());
            assert!(checked.bytes.is_none() && cleaned.bytes.is_some());
            // Once cleaned, neither finds anything.
            let again = cleaned.bytes.unwrap();
            assert!(!cleaner.check(&again, "t.ipynb").unwrap().would_change());
            assert!(!cleaner.clean(&again, "t.ipynb").unwrap().would_change());
        }
        let refused = forced(Scope::Cell, "source");
        let e_clean = refused.clean(dirty.as_bytes(), "t.ipynb").unwrap_err();
        let e_check = refused.check(dirty.as_bytes(), "t.ipynb").unwrap_err();
        assert_eq!(e_check.to_string(), e_clean.to_string());
    }
}
