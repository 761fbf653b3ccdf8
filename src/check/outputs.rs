//! `large-output`, `error-output`, `outputs-present` and `conflict-leftover`:
//! what the outputs weigh and say, and what a merge left behind.

use super::{source_lines, Hit, Options, Rule};
use crate::merge::to_notebook::RECORD_KEY;
use crate::notebook::{Cell, Notebook, OutputKind};
use serde_json::Value;

pub(crate) fn check(nb: &Notebook, cells: &[Cell<'_>], opts: &Options, hits: &mut Vec<Hit>) {
    let mut with_outputs = Vec::new();
    // In cell order: looked up by binary search (one scan of the list per
    // cell was quadratic when every cell holds a stale record).
    let stale = crate::merge::stale::stale_records(nb);
    for (i, cell) in cells.iter().enumerate() {
        let outputs = cell.outputs();
        if !outputs.is_empty() {
            with_outputs.push(i);
        }
        for (k, o) in outputs.iter().enumerate() {
            if opts.on(Rule::LargeOutput) {
                let size: usize = ["text", "data", "traceback", "evalue"]
                    .iter()
                    .filter_map(|k| o.map.get(*k))
                    .map(text_bytes)
                    .sum::<usize>()
                    + if o.map.contains_key("data") {
                        0
                    } else {
                        v3_data_bytes(o.map)
                    };
                if size > opts.max_output_bytes {
                    hits.push(Hit::output(
                        Rule::LargeOutput,
                        i,
                        k,
                        format!(
                            "{} output of {} (limit {})",
                            o.output_type(),
                            human(size),
                            human(opts.max_output_bytes)
                        ),
                    ));
                }
            }
            if opts.on(Rule::ErrorOutput) && o.kind() == OutputKind::Error {
                // The exception's name only: its value may hold anything.
                let ename = o
                    .map
                    .get("ename")
                    .and_then(Value::as_str)
                    .unwrap_or("error");
                hits.push(Hit::output(
                    Rule::ErrorOutput,
                    i,
                    k,
                    format!(
                        "the committed output is an error ({ename}): the cell failed when last run"
                    ),
                ));
            }
        }
        if opts.on(Rule::ConflictLeftover) {
            conflicts_in_cell(cell, i, stale.0.binary_search(&i).is_ok(), hits);
        }
    }
    if opts.on(Rule::OutputsPresent) {
        if let Some(&first) = with_outputs.first() {
            hits.push(Hit::cell(
                Rule::OutputsPresent,
                first,
                None,
                format!(
                    "{} code cell(s) have outputs; this project commits notebooks without them \
                     (`nbdiff clean --outputs strip` or `jupyter nbconvert --clear-output`)",
                    with_outputs.len()
                ),
            ));
        }
    }
    if opts.on(Rule::ConflictLeftover) {
        if let Some(kinds) = conflict_record(nb.metadata()).filter(|_| !stale.1) {
            hits.push(Hit {
                rule: Rule::ConflictLeftover,
                cell: None,
                line: None,
                output: None,
                message: format!("the notebook's metadata holds nbdiff conflict records ({kinds})"),
                evidence: None,
            });
        }
    }
}

/// The bytes of an output's decoded strings (what a reader loads), without
/// serializing it: linear in the output.
fn text_bytes(v: &Value) -> usize {
    match v {
        Value::String(s) => s.len(),
        Value::Array(a) => a.iter().map(text_bytes).sum(),
        Value::Object(m) => m.values().map(text_bytes).sum(),
        _ => 0,
    }
}

/// nbformat 3 keeps mime data at the top level of an output.
fn v3_data_bytes(map: &serde_json::Map<String, Value>) -> usize {
    map.iter()
        .filter(|(k, _)| {
            matches!(
                k.as_str(),
                "html" | "png" | "jpeg" | "svg" | "latex" | "json" | "javascript" | "pdf"
            )
        })
        .map(|(_, v)| text_bytes(v))
        .sum()
}

fn human(n: usize) -> String {
    if n >= 1_000_000 {
        format!("{:.1} MB", n as f64 / 1e6)
    } else if n >= 1_000 {
        format!("{:.1} kB", n as f64 / 1e3)
    } else {
        format!("{n} bytes")
    }
}

/// `stale`: the cell's record outlived its conflict (merge/stale.rs); the
/// clean filter and `nbdiff clean` drop it, so it is not reported here.
fn conflicts_in_cell(cell: &Cell<'_>, i: usize, stale: bool, hits: &mut Vec<Hit>) {
    let meta = cell.metadata();
    let nbdiff = meta.and_then(|m| m.get(RECORD_KEY));
    if let Some(marker) = nbdiff.and_then(|n| n.get("marker")).and_then(Value::as_str) {
        // The first notice of a conflict (merge/to_notebook.rs): cells inserted on
        // both sides, two versions of a cell, a cell deleted on one side.
        if matches!(marker, "start" | "versions" | "deleted-edited") {
            hits.push(Hit::cell(
                Rule::ConflictLeftover,
                i,
                None,
                "a conflict marker cell from `nbdiff merge` is still here: keep one side's cells \
                 and delete the marker cells"
                    .into(),
            ));
        }
        return;
    }
    if let Some(kinds) = conflict_record(meta).filter(|_| !stale) {
        hits.push(Hit::cell(
            Rule::ConflictLeftover,
            i,
            None,
            format!("the cell's metadata holds nbdiff conflict records ({kinds}): resolve, then delete `metadata.nbdiff`"),
        ));
    }
    // Markers in the source: a start marker with an end marker after it.
    let src = cell.source();
    let mut start = None;
    for (n, line) in source_lines(&src).enumerate() {
        if is_marker(line, '<') && start.is_none() {
            start = Some(n + 1);
        } else if is_marker(line, '>') {
            if let Some(s) = start.take() {
                hits.push(Hit::cell(
                    Rule::ConflictLeftover,
                    i,
                    Some(s),
                    "merge conflict markers (<<<<<<< … >>>>>>>) left in the source".into(),
                ));
                return;
            }
        }
    }
}

/// `<<<<<<<` or `>>>>>>>` (7 or more), alone or followed by a space and a label.
fn is_marker(line: &str, c: char) -> bool {
    let n = line.chars().take_while(|&x| x == c).count();
    n >= 7 && line[n..].chars().next().is_none_or(|x| x == ' ')
}

/// The kinds listed in `nbdiff.conflicts`, when the list is not empty.
fn conflict_record(meta: Option<&serde_json::Map<String, Value>>) -> Option<String> {
    let list = meta?.get(RECORD_KEY)?.get("conflicts")?.as_array()?;
    if list.is_empty() {
        return None;
    }
    let kinds: Vec<&str> = list
        .iter()
        .map(|c| c.get("kind").and_then(Value::as_str).unwrap_or("?"))
        .collect();
    Some(kinds.join(", "))
}
