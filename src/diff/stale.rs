//! Outputs that may be stale: a code cell whose stored outputs were produced
//! before a change to code it depends on.
//!
//! A cell depends on the cell that last bound, above it, a name it reads
//! (module level, by `check`'s name analysis, [`crate::check::deps`]). Its
//! outputs may be stale when
//! - that cell's source changed in this diff (or it was deleted) and this
//!   cell was not run again (its execution count did not change), or
//! - that cell was run in this diff and this cell's execution count is
//!   lower than its: this cell's outputs come from before it ran.
//!
//! A cell flagged, or one that binds names from a stale read, passes the
//! cause on to the cells that read what it binds (`df2 = df.dropna()`
//! carries a change of `df` to `df2.plot()`), so one sweep down the
//! notebook finds every case: linear in the cells' names, with one hash
//! map from name to the cell that last bound it. A name the cell binds
//! before reading it is its own (`x = 1; print(x)`); one it reads first
//! comes from above (`df = df.dropna()`). Cells that do not parse are left
//! alone (precision over recall, as `check` does).
//!
//! Nothing is parsed unless some cell could be flagged (a changed or
//! deleted code cell above a cell with outputs that did not run again, or
//! counts out of order below a cell that ran).

use super::verdict::{count_of, ran};
use super::{CellDiff, CellStatus};
use std::collections::HashMap;
use std::fmt;

/// One cell whose outputs may be stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleOutput {
    /// The cell's entry in [`super::NotebookDiff::cells`].
    pub entry: usize,
    /// The cell's 0-based position in the new notebook.
    pub cell: usize,
    /// Why.
    pub cause: Cause,
}

/// Why a cell's outputs may be stale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// The cell that changed: 0-based position in the new notebook (in the
    /// old one when `deleted`).
    pub cell: usize,
    /// That cell was deleted.
    pub deleted: bool,
    /// A name it binds that the flagged cell depends on.
    pub name: String,
    /// Rule two: that cell ran after this one, `(its count, this count)`.
    pub ran_later: Option<(u64, u64)>,
    /// When the dependency is indirect: the name this cell reads and the
    /// 0-based position of the cell that bound it from the changed one.
    pub via: Option<(String, usize)>,
}

impl fmt::Display for StaleOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.cause;
        let name = crate::render::sanitize::visible(&c.name);
        f.write_str("outputs may be stale: ")?;
        match (c.deleted, c.ran_later) {
            (true, _) => write!(f, "old cell {} (defined {name}) deleted", c.cell + 1)?,
            (false, Some((then, now))) => {
                write!(
                    f,
                    "cell {} (defines {name}) ran later ([{then}]",
                    c.cell + 1
                )?;
                match &c.via {
                    Some(_) => f.write_str(")")?,
                    None => write!(f, ", this cell [{now}])")?,
                }
            }
            (false, None) => write!(f, "cell {} (defines {name}) changed", c.cell + 1)?,
        }
        if let Some((read, at)) = &c.via {
            write!(
                f,
                ", read here through {} from cell {}",
                crate::render::sanitize::visible(read),
                at + 1
            )?;
        }
        Ok(())
    }
}

/// What a cell's source changed in this diff means for the cells below.
fn source_changed(c: &CellDiff<'_>) -> bool {
    matches!(c.status, CellStatus::Added | CellStatus::Deleted)
        || c.source.is_some()
        || c.cell_type.is_some()
}

/// The cell changed or ran with new outputs in this diff: cells below it
/// with a lower execution count hold outputs from before it.
fn touched(c: &CellDiff<'_>) -> bool {
    source_changed(c) || (ran(c) && !c.outputs.is_empty())
}

fn has_outputs(c: &CellDiff<'_>) -> bool {
    super::verdict::has_outputs(c.new)
}

fn is_code(c: &CellDiff<'_>) -> bool {
    c.new.or(c.old).is_some_and(|x| x.cell_type() == "code")
}

/// Whether some cell could be flagged, and from which entry the sweep must
/// start: cheap, no parsing.
fn first_candidate_origin(cells: &[CellDiff<'_>]) -> Option<usize> {
    let mut origin: Option<usize> = None;
    let mut ran_max: Option<(usize, u64)> = None;
    let mut found = false;
    for (k, c) in cells.iter().enumerate() {
        if !is_code(c) {
            continue;
        }
        let present = c.status != CellStatus::Deleted;
        if present && has_outputs(c) {
            let this = count_of(c.new);
            if origin.is_some() && !ran(c) {
                found = true;
            }
            if let (Some((_, max)), Some(n)) = (ran_max, this) {
                if n < max {
                    found = true;
                }
            }
        }
        if source_changed(c) {
            origin.get_or_insert(k);
        }
        if present && touched(c) {
            if let Some(n) = count_of(c.new) {
                if ran_max.is_none_or(|(_, m)| n > m) {
                    ran_max = Some((k, n));
                }
            }
        }
    }
    let start = match (origin, ran_max) {
        (Some(a), Some((b, _))) => a.min(b),
        (Some(a), None) => a,
        (None, Some((b, _))) => b,
        (None, None) => return None,
    };
    // The earliest cell that ran may sit above the origin: start at the
    // first cell that changed or ran.
    let first_ran = cells
        .iter()
        .position(|c| is_code(c) && c.status != CellStatus::Deleted && touched(c));
    found.then(|| first_ran.map_or(start, |r| r.min(start)))
}

/// A binding as the sweep knows it.
#[derive(Clone)]
struct Def {
    /// Entry of the cell that bound the name.
    entry: usize,
    /// Its new execution count.
    count: Option<u64>,
    /// It changed or ran in this diff.
    touched: bool,
    /// The change it carries down, if any (without `via`).
    taint: Option<Cause>,
    /// The change is this cell's own (not carried from above).
    direct: bool,
}

/// The cells of `cells` (a diff's entries) whose outputs may be stale, in
/// order. `python` says whether the new notebook is Python (otherwise
/// nothing is flagged).
pub fn stale_outputs(cells: &[CellDiff<'_>], python: bool) -> Vec<StaleOutput> {
    if !python {
        return Vec::new();
    }
    let Some(start) = first_candidate_origin(cells) else {
        return Vec::new();
    };
    let entries: Vec<usize> = (start..cells.len())
        .filter(|&k| is_code(&cells[k]))
        .collect();
    let sources: Vec<std::borrow::Cow<'_, str>> = entries
        .iter()
        .map(|&k| {
            let c = &cells[k];
            c.new.or(c.old).map(|x| x.source()).unwrap_or_default()
        })
        .collect();
    let refs: Vec<&str> = sources.iter().map(|s| s.as_ref()).collect();
    let deps = crate::check::deps::cell_deps(&refs);
    let position = |c: &CellDiff<'_>| c.new_index.or(c.old_index).unwrap_or(0);
    let mut defs: HashMap<String, Def> = HashMap::new();
    let mut out = Vec::new();
    for (&k, d) in entries.iter().zip(deps) {
        let Some(d) = d else { continue };
        let c = &cells[k];
        if c.status == CellStatus::Deleted {
            for b in &d.binds {
                let root = Cause {
                    cell: position(c),
                    deleted: true,
                    name: b.clone(),
                    ran_later: None,
                    via: None,
                };
                let def = Def {
                    entry: k,
                    count: None,
                    touched: true,
                    taint: Some(root),
                    direct: true,
                };
                defs.insert(b.clone(), def);
            }
            continue;
        }
        let this_count = count_of(c.new);
        let this_ran = ran(c);
        // (the root cause, the cause as this cell reads it)
        let mut found: Option<(Cause, Cause)> = None;
        for r in &d.reads {
            let Some(def) = defs.get(r) else { continue };
            if let (Some(root), false) = (&def.taint, this_ran) {
                let mut here = root.clone();
                if !def.direct {
                    here.via = Some((r.clone(), position(&cells[def.entry])));
                }
                found = Some((root.clone(), here));
                break;
            }
            if let (true, Some(then), Some(now)) = (def.touched, def.count, this_count) {
                if now < then {
                    let root = Cause {
                        cell: position(&cells[def.entry]),
                        deleted: false,
                        name: r.clone(),
                        ran_later: Some((then, now)),
                        via: None,
                    };
                    found = Some((root.clone(), root));
                    break;
                }
            }
        }
        if let Some((_, here)) = &found {
            if has_outputs(c) {
                out.push(StaleOutput {
                    entry: k,
                    cell: position(c),
                    cause: here.clone(),
                });
            }
        }
        let changed = source_changed(c);
        for b in &d.binds {
            let (taint, direct) = match &found {
                // Its own change comes first: readers below depend on it.
                _ if changed => (
                    Some(Cause {
                        cell: position(c),
                        deleted: false,
                        name: b.clone(),
                        ran_later: None,
                        via: None,
                    }),
                    true,
                ),
                // What it binds came from stale values: carried on.
                Some((root, _)) => (Some(root.clone()), false),
                None => (None, false),
            };
            let def = Def {
                entry: k,
                count: this_count,
                touched: touched(c),
                taint,
                direct,
            };
            defs.insert(b.clone(), def);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::diff::{diff_notebooks, DiffOptions};
    use crate::notebook::Notebook;

    /// Code cells `(source, count, output)`; `None` output: no outputs.
    fn nb(cells: &[(&str, Option<u64>, Option<&str>)]) -> Notebook {
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
            r#"{{"cells": [{}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 4}}"#,
            cells.join(", ")
        );
        Notebook::parse(json.as_bytes(), "t.ipynb").expect("valid notebook")
    }

    fn flags(a: &Notebook, b: &Notebook) -> Vec<String> {
        diff_notebooks(a, b, &DiffOptions::default())
            .stale
            .iter()
            .map(|s| format!("cell {}: {s}", s.cell + 1))
            .collect()
    }

    #[test]
    fn an_edited_cell_above_a_reader_that_did_not_run_again() {
        let old = nb(&[
            ("df = [1, 2]", Some(1), None),
            ("print(df)", Some(2), Some("[1, 2]")),
            ("other = 3\nprint(other)", Some(3), Some("3")),
        ]);
        let new = nb(&[
            ("df = [1, 2, 3]", Some(1), None),
            ("print(df)", Some(2), Some("[1, 2]")),
            ("other = 3\nprint(other)", Some(3), Some("3")),
        ]);
        assert_eq!(
            flags(&old, &new),
            ["cell 2: outputs may be stale: cell 1 (defines df) changed"]
        );
        // Re-run after the edit: nothing is stale.
        let rerun = nb(&[
            ("df = [1, 2, 3]", Some(4), None),
            ("print(df)", Some(5), Some("[1, 2, 3]")),
            ("other = 3\nprint(other)", Some(3), Some("3")),
        ]);
        assert!(flags(&old, &rerun).is_empty());
        // Without the edit nothing is parsed or flagged.
        assert!(flags(&old, &old).is_empty());
    }

    #[test]
    fn a_cell_that_ran_after_its_reader_and_changes_carried_down() {
        let old = nb(&[
            ("df = [1, 2]\ndf", Some(1), Some("[1, 2]")),
            ("df2 = [x * 2 for x in df]", Some(2), None),
            ("print(df2)", Some(3), Some("[2, 4]")),
        ]);
        // The first cell re-ran with new output after the others ran.
        let new = nb(&[
            ("df = [1, 2]\ndf", Some(7), Some("[1, 2, 5]")),
            ("df2 = [x * 2 for x in df]", Some(2), None),
            ("print(df2)", Some(3), Some("[2, 4]")),
        ]);
        assert_eq!(
            flags(&old, &new),
            ["cell 3: outputs may be stale: cell 1 (defines df) ran later ([7]), read here through df2 from cell 2"]
        );
        let edited = nb(&[
            ("df = [1, 2, 5]\ndf", Some(1), Some("[1, 2]")),
            ("df2 = [x * 2 for x in df]", Some(2), None),
            ("print(df2)", Some(3), Some("[2, 4]")),
        ]);
        assert_eq!(
            flags(&old, &edited),
            ["cell 3: outputs may be stale: cell 1 (defines df) changed, read here through df2 from cell 2"]
        );
    }

    #[test]
    fn a_cell_that_rebinds_what_it_reads_carries_the_change() {
        let old = nb(&[
            ("model = 1", Some(1), None),
            ("model = model + 1\nprint(model)", Some(2), Some("2")),
            ("print(model)", Some(3), Some("2")),
        ]);
        let new = nb(&[
            ("model = 5", Some(1), None),
            ("model = model + 1\nprint(model)", Some(2), Some("2")),
            ("print(model)", Some(3), Some("2")),
        ]);
        assert_eq!(
            flags(&old, &new),
            [
                "cell 2: outputs may be stale: cell 1 (defines model) changed",
                "cell 3: outputs may be stale: cell 1 (defines model) changed, read here through model from cell 2"
            ]
        );
    }

    #[test]
    fn a_deleted_definition() {
        let old = nb(&[
            ("x = 1", Some(1), None),
            ("x = 2", Some(2), None),
            ("print(x)", Some(3), Some("2")),
        ]);
        let new = nb(&[("x = 1", Some(1), None), ("print(x)", Some(3), Some("2"))]);
        assert_eq!(
            flags(&old, &new),
            ["cell 2: outputs may be stale: old cell 2 (defined x) deleted"]
        );
    }
}
