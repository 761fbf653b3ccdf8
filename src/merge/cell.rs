//! Merging the three versions of one cell: source by lines, outputs and
//! execution count as derived data, everything else key by key.

use super::metadata::{merge_map, Decisions, Volatile};
use super::model::{FieldConflict, MergedCell, Sides, SourceConflict, SourceRegion};
use super::options::{ConflictPolicy, Options, OutputsPolicy};
use crate::notebook::{same_map, same_opt, Cell};
use crate::policy::{MergeRule, Policy, Scope};
use crate::text::lines::split_lines;
use crate::text::merge3::{self, Favor, MergeOptions, Region};
use serde_json::{Map, Value};

/// Merges a cell present on both sides. `base` is `None` for a cell both sides
/// inserted with the same source. Notes (resolutions) are pushed to `notes`.
pub fn merge_cell(
    base: Option<Cell<'_>>,
    local: Cell<'_>,
    remote: Cell<'_>,
    v3: bool,
    opts: &Options,
    notes: &mut Vec<String>,
) -> MergedCell {
    if same_map(local.map, remote.map) {
        return MergedCell::clean(local.map.clone(), local.source_key());
    }
    if let Some(b) = base {
        if same_map(b.map, local.map) {
            return MergedCell::clean(remote.map.clone(), remote.source_key());
        }
        if same_map(b.map, remote.map) {
            return MergedCell::clean(local.map.clone(), local.source_key());
        }
    }
    let exec_key = local.execution_count_key();
    let special = ["source", "input", "outputs", exec_key, "id"];
    let mut d = Decisions::default();
    let mut map = merge_map(
        base.map(|b| b.map),
        local.map,
        remote.map,
        "",
        &special,
        Volatile {
            policy: &opts.policy,
            scope: Scope::Cell,
        },
        opts.conflicts,
        &mut d,
    );
    // The cell type decides the source key (v3) and whether outputs exist.
    let cell_type = map
        .get("cell_type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let source_key = if v3 && cell_type == "code" {
        "input"
    } else {
        "source"
    };
    for k in ["source", "input"] {
        if k != source_key {
            map.remove(k);
        }
    }

    // Source.
    let (bs, ls, rs) = (
        base.map(|b| b.source()).unwrap_or_default(),
        local.source(),
        remote.source(),
    );
    let mut source_conflict = None;
    let merged_source: Option<String> = if ls == rs {
        Some(ls.to_string())
    } else if base.is_some() && bs == ls {
        Some(rs.to_string())
    } else if base.is_some() && bs == rs {
        Some(ls.to_string())
    } else {
        let favor = match opts.conflicts {
            ConflictPolicy::Mark => Favor::Mark,
            ConflictPolicy::Ours => Favor::Ours,
            ConflictPolicy::Theirs => Favor::Theirs,
            ConflictPolicy::Union => Favor::Union,
        };
        let m = opts.style.merge3(&bs, &ls, &rs, favor);
        if let Some(text) = m.clean_text() {
            if favor != Favor::Mark {
                let plain = merge3::merge3_with(&bs, &ls, &rs, &MergeOptions::default());
                let n = plain.conflict_count();
                if n > 0 {
                    notes.push(format!(
                        "{n} conflicting source region(s) resolved by --conflicts {}",
                        opts.conflicts.name()
                    ));
                }
            }
            Some(text)
        } else {
            let mut sc = owned_conflict(&m.regions);
            sc.sides = Some(Box::new(Sides {
                base_source: bs.to_string(),
                local: local.map.clone(),
                remote: remote.map.clone(),
            }));
            source_conflict = Some(sc);
            None
        }
    };
    let source_value = match &merged_source {
        Some(text) => {
            let base = base.map(|b| (b, bs.as_ref()));
            source_value(text, base, (local, &ls), (remote, &rs))
        }
        // Placeholder: the renderer writes the markers.
        None => local
            .map
            .get(local.source_key())
            .cloned()
            .unwrap_or_else(|| Value::String(String::new())),
    };
    put(&mut map, source_key, source_value);

    // Outputs and execution count.
    if cell_type == "code" {
        let sources = (merged_source.as_deref(), ls.as_ref(), rs.as_ref());
        // A conflicted source is written as two versions, each with its
        // side's outputs: no note about the merged cell's outputs then.
        let mut run_notes = Vec::new();
        let run = merge_run(base, local, remote, sources, opts, &mut run_notes);
        if source_conflict.is_none() {
            notes.append(&mut run_notes);
        }
        match run {
            Run::Take(cell) => {
                for k in ["outputs", exec_key] {
                    match cell.map.get(k) {
                        Some(v) => put(&mut map, k, v.clone()),
                        None => {
                            map.remove(k);
                        }
                    }
                }
            }
            Run::Clear => {
                put(&mut map, "outputs", Value::Array(Vec::new()));
                put(&mut map, exec_key, Value::Null);
            }
            Run::Conflict(outputs) => {
                put(&mut map, "outputs", Value::Array(outputs));
                // The execution count stays local's (remote's when local has none).
                match local.map.get(exec_key).or_else(|| remote.map.get(exec_key)) {
                    Some(v) => put(&mut map, exec_key, v.clone()),
                    None => {
                        map.remove(exec_key);
                    }
                }
                d.conflicts.push(FieldConflict {
                    path: "outputs".into(),
                    base: None,
                    local: None,
                    remote: None,
                });
            }
        }
    } else {
        map.remove("outputs");
        map.remove(exec_key);
    }

    // Id: local's (ids are how the cells were matched).
    if let Some(id) = local.map.get("id").or_else(|| remote.map.get("id")) {
        put(&mut map, "id", id.clone());
    }
    notes.extend(d.notes);
    MergedCell {
        cell: map,
        source_key,
        source_conflict,
        field_conflicts: d.conflicts,
        cell_conflict: None,
    }
}

/// Sets `key`; an existing key keeps its place (local's key order).
fn put(map: &mut Map<String, Value>, key: &str, value: Value) {
    map.insert(key.to_string(), value);
}

fn owned_conflict(regions: &[Region<'_>]) -> SourceConflict {
    let mut out = Vec::with_capacity(regions.len());
    let mut hunks = 0;
    for r in regions {
        match r {
            Region::Resolved(lines) => out.push(SourceRegion::Resolved(
                lines.iter().map(|l| l.as_ref()).collect(),
            )),
            Region::Conflict(c) => {
                hunks += 1;
                out.push(SourceRegion::Conflict {
                    base: c.base.concat(),
                    local: c.local.concat(),
                    remote: c.remote.concat(),
                    crlf: c.crlf,
                })
            }
        }
    }
    SourceConflict {
        regions: out,
        hunks,
        sides: None,
    }
}

/// The JSON value for a merged source: the very value of a side whose text it
/// equals (byte fidelity), else local's representation (list of lines or string).
/// Each cell comes with its source as [`merge_cell`] joined it.
fn source_value(
    text: &str,
    base: Option<(Cell<'_>, &str)>,
    local: (Cell<'_>, &str),
    remote: (Cell<'_>, &str),
) -> Value {
    for (c, source) in [Some(local), Some(remote), base].into_iter().flatten() {
        if source == text {
            if let Some(v) = c.map.get(c.source_key()) {
                return v.clone();
            }
        }
    }
    text_value(text, local.0.map.get(local.0.source_key()))
}

/// `text` as a JSON multiline string shaped like `like` (a list of lines when
/// `like` is a list, else a string).
pub fn text_value(text: &str, like: Option<&Value>) -> Value {
    match like {
        Some(Value::String(_)) => Value::String(text.to_string()),
        _ => Value::Array(
            split_lines(text)
                .into_iter()
                .map(|l| Value::String(l.to_string()))
                .collect(),
        ),
    }
}

enum Run<'a> {
    Take(Cell<'a>),
    Clear,
    Conflict(Vec<Value>),
}

/// Decides the outputs and execution count of a merged code cell.
/// `(merged_source, ls, rs)`: the merged source (`None` when it conflicts)
/// and local's and remote's sources, as joined by [`merge_cell`].
fn merge_run<'a>(
    base: Option<Cell<'a>>,
    local: Cell<'a>,
    remote: Cell<'a>,
    (merged_source, ls, rs): (Option<&str>, &str, &str),
    opts: &Options,
    notes: &mut Vec<String>,
) -> Run<'a> {
    let exec_key = local.execution_count_key();
    let run_of = |c: Cell<'a>| (c.map.get("outputs"), c.map.get(exec_key));
    let same_run = |x: (Option<&Value>, Option<&Value>), y: (Option<&Value>, Option<&Value>)| {
        same_opt(x.0, y.0) && same_opt(x.1, y.1)
    };
    let (lr, rr) = (run_of(local), run_of(remote));
    if same_run(lr, rr) {
        return Run::Take(local);
    }
    if let Some(b) = base {
        let br = run_of(b);
        if same_run(br, lr) {
            return Run::Take(remote);
        }
        if same_run(br, rr) {
            return Run::Take(local);
        }
    }
    // Both sides changed the run result, differently.
    let outputs_equal = same_opt(lr.0, rr.0);
    if outputs_equal {
        let side = if opts.outputs == OutputsPolicy::Remote {
            "remote"
        } else {
            "local"
        };
        notes.push(format!(
            "execution counts differ on both sides; kept {side}'s"
        ));
        return if side == "remote" {
            Run::Take(remote)
        } else {
            Run::Take(local)
        };
    }
    match opts.outputs {
        OutputsPolicy::Local => {
            notes.push("outputs differ on both sides; kept local's (--outputs local)".into());
            Run::Take(local)
        }
        OutputsPolicy::Remote => {
            notes.push("outputs differ on both sides; kept remote's (--outputs remote)".into());
            Run::Take(remote)
        }
        OutputsPolicy::Clear => {
            notes.push("outputs differ on both sides; cleared (--outputs clear)".into());
            Run::Clear
        }
        OutputsPolicy::Conflict => Run::Conflict(conflict_outputs(local, remote, opts)),
        OutputsPolicy::Auto => match merged_source {
            Some(m) if m == ls && m == rs => {
                notes.push(
                    "outputs differ on both sides, both ran the same source; kept local's".into(),
                );
                Run::Take(local)
            }
            Some(m) if m == ls => {
                notes.push(
                    "outputs differ on both sides; kept local's (matches merged source)".into(),
                );
                Run::Take(local)
            }
            Some(m) if m == rs => {
                notes.push(
                    "outputs differ on both sides; kept remote's (matches merged source)".into(),
                );
                Run::Take(remote)
            }
            _ => {
                notes.push(
                    "outputs differ on both sides; cleared (merged source matches neither side)"
                        .into(),
                );
                Run::Clear
            }
        },
    }
}

/// Local's outputs and remote's between stream outputs holding markers.
fn conflict_outputs(local: Cell<'_>, remote: Cell<'_>, opts: &Options) -> Vec<Value> {
    let v3 = local.execution_count_key() == "prompt_number";
    let size = opts.marker_size.max(1);
    let marker = |ch: char, label: &str| {
        let mut text: String = std::iter::repeat_n(ch, size).collect();
        if !label.is_empty() {
            text.push(' ');
            text.push_str(label);
        }
        text.push('\n');
        let mut m = Map::new();
        m.insert("output_type".into(), Value::String("stream".into()));
        m.insert(
            if v3 { "stream" } else { "name" }.into(),
            Value::String("stdout".into()),
        );
        m.insert("text".into(), Value::String(text));
        Value::Object(m)
    };
    let outputs = |c: Cell<'_>| match c.map.get("outputs") {
        Some(Value::Array(items)) => items.clone(),
        _ => Vec::new(),
    };
    let mut out = vec![marker('<', &opts.labels.local)];
    out.extend(outputs(local));
    out.push(marker('=', ""));
    out.extend(outputs(remote));
    out.push(marker('>', &opts.labels.remote));
    out
}

/// True when `side` changed the cell in a way that is not derived data:
/// type, source, metadata the policy does not call volatile, attachments or
/// other fields.
pub fn edited(base: Cell<'_>, side: Cell<'_>, policy: &Policy) -> bool {
    if same_map(base.map, side.map) {
        return false;
    }
    // Derived fields are left out before copying: outputs can be megabytes.
    let derived = |key: &str| {
        key == "id"
            || policy
                .classify_with(Scope::Cell, key, '/')
                .is_some_and(|f| f.merge != MergeRule::Merge)
    };
    let strip = |c: Cell<'_>| {
        let mut m: Map<String, Value> = c
            .map
            .iter()
            .filter(|(k, _)| !derived(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        m.insert(
            c.source_key().to_string(),
            Value::String(c.source().into_owned()),
        );
        if let Some(Value::Object(meta)) = m.get_mut("metadata") {
            let keys: Vec<String> = meta
                .keys()
                .filter(|k| policy.merge_takes_local(Scope::Cell, &format!("metadata/{k}")))
                .cloned()
                .collect();
            for k in keys {
                meta.remove(&k);
            }
        }
        m
    };
    strip(base) != strip(side)
}
