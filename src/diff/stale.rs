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
//!
//! ## Parsing only what can matter
//!
//! The sweep parses a cell only if it changed, was deleted or ran with new
//! outputs (it starts or refreshes a cause), or its source may name an
//! *interesting* binding: one that is touched (changed or ran, rule two)
//! or carries a taint (rule one and its `via` chains). Any other cell is
//! passed over as if it bound and read nothing, with identical results:
//! - its reads: a read flags the cell or taints its binds only through a
//!   binding that is touched (rule two, `ran_later`) or tainted (rule one,
//!   carried with `via`); a name not in the source is not read, so such a
//!   cell finds no cause, is not flagged and taints nothing;
//! - its binds: not changed and not touched, and finding no cause, the cell
//!   would bind each name to a binding that is neither touched nor tainted;
//!   such a binding is never looked at (both rules need one or the other),
//!   so it is the same as no binding at all, and the sweep keeps only the
//!   interesting ones. A name it binds that is interesting is in its source
//!   and makes it parsed.
//!
//! "May name" is a scan of the source for `[A-Za-z0-9_]` words (strings,
//! comments and attributes included: over-approximate), each looked up
//! whole; a word that starts with a digit is a number that may run into a
//! name or keyword (`1if x else y`), so each of its suffixes from a letter
//! or `_` is looked up as well (more than eight: parsed). Names the
//! analysis yields that are not spelt as ASCII words are covered: a source
//! with any non-ASCII byte is always parsed (the scan reads ASCII words
//! only; the parser keeps `ｘ` as spelt, where Python would NFKC-normalise
//! it to `x`, and either way the name is read from a parsed cell); IPython magics ([`crate::check::magics`]) only blank a
//! line (`pass`) or keep a part of it (`%time z = 1`, `files = !ls`,
//! `%%capture out`), so every name they yield is spelt in the source; a
//! star import or `exec` may bind anything (`binds_unknown`) but the sweep
//! never used that (it binds only the names it sees), parsed or not. A
//! cell that does not parse counts for nothing either way. The test
//! `the_sweep_equals_the_full_parse_on_random_notebooks` checks all of this
//! against the sweep that parses every cell.

use super::verdict::{count_of, ran};
use super::{CellDiff, CellStatus};
use crate::check::deps::CellDeps;
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

/// Whether `source` may spell a name bound in `defs` (see the module's
/// docs): every source with a non-ASCII byte may; otherwise its words are
/// looked up. Linear in the source's length.
fn may_name(source: &str, defs: &HashMap<String, Def>) -> bool {
    if defs.is_empty() {
        return false;
    }
    if !source.is_ascii() {
        return true;
    }
    let word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !word_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && word_byte(bytes[i]) {
            i += 1;
        }
        let word = &source[start..i];
        if !word.as_bytes()[0].is_ascii_digit() {
            if defs.contains_key(word) {
                return true;
            }
            continue;
        }
        // A number may run into a name (`0x1for`, `1if`): every suffix
        // from a letter or `_`, at most eight of them.
        let mut suffixes = 0;
        for (at, b) in word.bytes().enumerate() {
            if b.is_ascii_alphabetic() || b == b'_' {
                suffixes += 1;
                if suffixes > 8 || defs.contains_key(&word[at..]) {
                    return true;
                }
            }
        }
    }
    false
}

/// The cells of `cells` (a diff's entries) whose outputs may be stale, in
/// order. `python` says whether the new notebook is Python (otherwise
/// nothing is flagged). Parses only the cells that can matter (see the
/// module's docs), on one thread with a large stack.
pub fn stale_outputs(cells: &[CellDiff<'_>], python: bool) -> Vec<StaleOutput> {
    if !python {
        return Vec::new();
    }
    let Some(start) = first_candidate_origin(cells) else {
        return Vec::new();
    };
    crate::check::deps::with_parser(|parse| sweep(cells, start, parse))
}

/// The sweep down from entry `start`.
fn sweep(
    cells: &[CellDiff<'_>],
    start: usize,
    parse: &dyn Fn(&str) -> Option<CellDeps>,
) -> Vec<StaleOutput> {
    let position = |c: &CellDiff<'_>| c.new_index.or(c.old_index).unwrap_or(0);
    // Only the interesting bindings: touched or tainted (module docs).
    let mut defs: HashMap<String, Def> = HashMap::new();
    let mut out = Vec::new();
    for (k, c) in cells.iter().enumerate().skip(start) {
        if !is_code(c) {
            continue;
        }
        let source = c.new.or(c.old).map(|x| x.source()).unwrap_or_default();
        if !touched(c) && !may_name(&source, &defs) {
            continue;
        }
        let Some(d) = parse(&source) else { continue };
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
        let this_touched = touched(c);
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
            if !this_touched && taint.is_none() {
                // Neither touched nor tainted: as good as unbound.
                defs.remove(b);
                continue;
            }
            let def = Def {
                entry: k,
                count: this_count,
                touched: this_touched,
                taint,
                direct,
            };
            defs.insert(b.clone(), def);
        }
    }
    out
}

#[cfg(test)]
mod oracle {
    use super::*;

    /// The sweep as it was before it skipped cells: parses every code cell
    /// from the start; the oracle of the differential test.
    pub(super) fn stale_outputs_full_parse(
        cells: &[CellDiff<'_>],
        python: bool,
    ) -> Vec<StaleOutput> {
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

    /// A small deterministic generator (xorshift64*): no crate, same cases
    /// on every run.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
        fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
            from[self.below(from.len())]
        }
    }

    const NAMES: &[&str] = &["a", "b", "df", "x1", "model", "f"];

    /// One random line of Python binding and reading a few names, with the
    /// cases where a name is not spelt as the analysis sees it.
    fn line(r: &mut Rng) -> String {
        let (n, m) = (r.pick(NAMES), r.pick(NAMES));
        match r.below(17) {
            0 | 1 => format!("{n} = {m} + 1"),
            2 | 3 => format!("print({n})"),
            4 => format!("{n} = {n}.copy()"),
            5 => format!("def {n}():\n    return {m}"),
            6 => format!("import os as {n}"),
            7 => format!("for {n} in {m}:\n    pass"),
            8 => format!("%time {n} = {m}"),
            9 => format!("{n} = !ls"),
            10 => format!("y = 1if {n} else 0x1for {m}"),
            // Non-ASCII names (fullwidth letters).
            11 => format!("{} = {m}", ["ａ", "ｂ", "ｆ"][r.below(3)]),
            12 => format!("print({})", ["ａ", "ｂ", "ｆ"][r.below(3)]),
            13 => "from m import *".to_string(),
            14 => m.to_string(),
            15 => "def (".to_string(),
            _ => format!("{n}.append({m})"),
        }
    }

    fn source(r: &mut Rng) -> String {
        let lines = 1 + r.below(3);
        (0..lines).map(|_| line(r)).collect::<Vec<_>>().join("\n")
    }

    type Cells = Vec<(String, Option<u64>, Option<String>)>;

    fn notebook(cells: &Cells) -> Notebook {
        let cells: Vec<(&str, Option<u64>, Option<&str>)> = cells
            .iter()
            .map(|(s, n, o)| (s.as_str(), *n, o.as_deref()))
            .collect();
        nb(&cells)
    }

    /// Random edits of `old`: sources changed, cells re-run (higher
    /// counts, new outputs), counts changed, cells deleted and added.
    fn edit(r: &mut Rng, old: &Cells, next_count: &mut u64) -> Cells {
        let mut new = Cells::new();
        for (src, count, out) in old {
            match r.below(10) {
                0 => continue,
                1 => new.push((source(r), *count, out.clone())),
                2 => {
                    *next_count += 1;
                    let out = out.as_ref().map(|o| format!("{o}!"));
                    new.push((src.clone(), Some(*next_count), out));
                }
                3 => new.push((src.clone(), count.map(|c| c + 1), out.clone())),
                4 => {
                    new.push((src.clone(), *count, out.clone()));
                    new.push((source(r), None, Some("new".into())));
                }
                _ => new.push((src.clone(), *count, out.clone())),
            }
        }
        new
    }

    #[test]
    fn the_sweep_equals_the_full_parse_on_random_notebooks() {
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut flagged, mut cases) = (0, 0);
        for _ in 0..400 {
            let len = 2 + r.below(10);
            let mut next_count = 0;
            let old: Cells = (0..len)
                .map(|i| {
                    let count = (r.below(5) > 0).then(|| {
                        next_count += 1;
                        next_count + (r.below(3) as u64)
                    });
                    let out = (r.below(3) > 0).then(|| format!("out {i}"));
                    (source(&mut r), count, out)
                })
                .collect();
            let new = edit(&mut r, &old, &mut next_count);
            let (a, b) = (notebook(&old), notebook(&new));
            let d = diff_notebooks(&a, &b, &DiffOptions::default());
            let full = super::oracle::stale_outputs_full_parse(&d.cells, true);
            let swept = super::stale_outputs(&d.cells, true);
            assert_eq!(swept, full, "old {old:?}\nnew {new:?}");
            assert_eq!(d.stale, full);
            cases += 1;
            flagged += usize::from(!full.is_empty());
        }
        // Not vacuous: a good share of the cases flag something.
        assert!(flagged * 5 > cases, "{flagged} of {cases} flagged");
    }

    #[test]
    fn a_non_ascii_name_carries_its_change() {
        // The reader spells no ASCII word that changed: it is parsed
        // because it is not ASCII, and its read of `ｄｆ` is found.
        let old = nb(&[
            ("ｄｆ = 1", Some(1), None),
            ("print(ｄｆ)", Some(2), Some("1")),
        ]);
        let new = nb(&[
            ("ｄｆ = 2", Some(1), None),
            ("print(ｄｆ)", Some(2), Some("1")),
        ]);
        assert_eq!(
            flags(&old, &new),
            ["cell 2: outputs may be stale: cell 1 (defines ｄｆ) changed"]
        );
    }

    #[test]
    fn cells_that_do_not_name_a_change_pass_it_on_unparsed() {
        // Cells 2 and 3 name nothing that changed and are passed over; the
        // chain through `df2` and the rebinding of `other` still hold.
        let old = nb(&[
            ("df = 1\nother = 1", Some(1), None),
            ("z = 3\nprint(z)", Some(2), Some("3")),
            ("other = 2", Some(3), None),
            ("df2 = df + 1", Some(4), None),
            ("print(df2, other)", Some(5), Some("2 2")),
        ]);
        let mut new_cells = vec![("df = 5\nother = 1", Some(1), None)];
        new_cells.extend([
            ("z = 3\nprint(z)", Some(2), Some("3")),
            ("other = 2", Some(3), None),
            ("df2 = df + 1", Some(4), None),
            ("print(df2, other)", Some(5), Some("2 2")),
        ]);
        let new = nb(&new_cells);
        assert_eq!(
            flags(&old, &new),
            ["cell 5: outputs may be stale: cell 1 (defines df) changed, read here through df2 from cell 4"]
        );
    }
}
