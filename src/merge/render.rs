//! Renders a [`MergeResult`] into a notebook: conflict markers in sources,
//! marker cells around insert/insert conflicts, and the machine-readable
//! conflict record in metadata (see the module docs of [`crate::merge`]).

use super::cell::text_value;
use super::model::{
    CellConflict, FieldConflict, Item, MergeResult, MergedCell, Notice, SourceRegion,
};
use super::options::Options;
use crate::notebook::Notebook;
use crate::text::lines::split_lines;
use crate::text::merge3::{marker_size_for, render_with_markers, Conflict, MarkerStyle, Region};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

/// The key under which conflicts are recorded in cell and notebook metadata.
pub const RECORD_KEY: &str = "nbdiff";

/// Builds the merged notebook: local's notebook (style, key order) with the
/// merged top level and cells.
/// Consumes the result: its cells move into the notebook without copies.
pub fn render(result: MergeResult, local: &Notebook, opts: &Options) -> Notebook {
    let MergeResult {
        root,
        root_conflicts,
        items,
        ..
    } = result;
    let mut nb = Notebook {
        root,
        style: local.style.clone(),
        major: local.major,
        minor: local.minor,
        raw: None,
    };
    if nb.is_v3() {
        // Keep local's worksheets (their metadata); cells are set below.
        // Their cells are left as `null` placeholders (not copied): the
        // merged cells replace them.
        if let Some(ws) = local.root.get("worksheets") {
            nb.root.insert("worksheets".into(), without_cells(ws));
        }
    }
    if !root_conflicts.is_empty() {
        let meta = nb
            .root
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(meta) = meta {
            meta.insert(
                RECORD_KEY.into(),
                record(root_conflicts.iter().map(field_record).collect()),
            );
        }
    }
    let minor = nb.root.get("nbformat_minor").and_then(Value::as_u64);
    let with_ids = !nb.is_v3() && minor.is_some_and(|m| m >= 5);
    let mut cells: Vec<Value> = Vec::with_capacity(items.len());
    let mut marker_size = opts.marker_size;
    // Marker sizes of insert/insert blocks first: rendering moves the cells out.
    let block_sizes: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| matches!(item, Item::InsertStart))
        .map(|(k, _)| block_marker_size(&items[k + 1..], opts.marker_size))
        .collect();
    let mut block_sizes = block_sizes.into_iter();
    for item in items {
        let cell = match item {
            Item::Cell(c) => render_cell(c, opts),
            Item::InsertStart => {
                // One marker size for the whole block, so the three marker cells match.
                marker_size = block_sizes.next().unwrap_or(opts.marker_size);
                marker_cell(
                    '<',
                    &format!("{} (cells inserted on both sides)", opts.labels.local),
                    "start",
                    marker_size,
                    with_ids,
                )
            }
            Item::InsertMiddle => marker_cell('=', "", "middle", marker_size, with_ids),
            Item::InsertEnd => marker_cell('>', &opts.labels.remote, "end", marker_size, with_ids),
            Item::Notice(notice) => notice_cell(&notice, opts, with_ids),
        };
        cells.push(Value::Object(cell));
    }
    fix_ids(&mut cells, with_ids);
    nb.set_cells(cells);
    if is_sorted_deep(&local.root) {
        // Jupyter writes sorted keys: place the keys the merge added likewise.
        sort_deep(&mut nb.root);
    }
    nb
}

/// A copy of a v3 `worksheets` list whose `cells` are `null` placeholders.
fn without_cells(worksheets: &Value) -> Value {
    match worksheets {
        Value::Array(list) => Value::Array(
            list.iter()
                .map(|w| match w {
                    Value::Object(m) => Value::Object(
                        m.iter()
                            .map(|(k, v)| {
                                let v = if k == "cells" { Value::Null } else { v.clone() };
                                (k.clone(), v)
                            })
                            .collect(),
                    ),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn is_sorted_deep(map: &Map<String, Value>) -> bool {
    fn value(v: &Value) -> bool {
        match v {
            Value::Object(m) => is_sorted_deep(m),
            Value::Array(items) => items.iter().all(value),
            _ => true,
        }
    }
    let mut keys = map.keys();
    let mut prev = keys.next();
    for k in keys {
        if prev.is_some_and(|p| p > k) {
            return false;
        }
        prev = Some(k);
    }
    map.values().all(value)
}

fn sort_deep(map: &mut Map<String, Value>) {
    fn value(v: &mut Value) {
        match v {
            Value::Object(m) => sort_deep(m),
            Value::Array(items) => items.iter_mut().for_each(value),
            _ => {}
        }
    }
    map.sort_keys();
    map.values_mut().for_each(value);
}

fn block_marker_size(rest: &[Item], min: usize) -> usize {
    let mut texts: Vec<Cow<'_, str>> = Vec::new();
    for item in rest {
        match item {
            Item::Cell(c) => texts.push(crate::notebook::join_text(c.cell.get(c.source_key))),
            Item::InsertEnd => break,
            _ => {}
        }
    }
    let refs: Vec<&str> = texts.iter().map(Cow::as_ref).collect();
    marker_size_for(min, &refs)
}

fn marker_cell(ch: char, label: &str, role: &str, size: usize, id: bool) -> Map<String, Value> {
    let mut text: String = std::iter::repeat_n(ch, size.max(1)).collect();
    if !label.is_empty() {
        text.push(' ');
        text.push_str(label);
    }
    raw_cell(Value::String(text), role, id)
}

/// A raw cell that shows a conflict without markers in a source (see
/// [`Notice`]): what conflicts, each side's version between git-style
/// markers (with the base under `|||||||` in the diff3 styles), and how to
/// resolve it. `metadata.nbdiff.marker` is `conflict`.
fn notice_cell(notice: &Notice, opts: &Options, id: bool) -> Map<String, Value> {
    let size = opts.marker_size.max(1);
    let mut text = String::new();
    let block = |text: &mut String, base: &str, local: &str, remote: &str| {
        let marker = |text: &mut String, ch: char, label: &str| {
            text.extend(std::iter::repeat_n(ch, size));
            if !label.is_empty() {
                text.push(' ');
                text.push_str(label);
            }
            text.push('\n');
        };
        marker(text, '<', &opts.labels.local);
        text.push_str(local);
        text.push('\n');
        if opts.style.shows_base() {
            marker(text, '|', &opts.labels.base);
            text.push_str(base);
            text.push('\n');
        }
        marker(text, '=', "");
        text.push_str(remote);
        text.push('\n');
        marker(text, '>', &opts.labels.remote);
    };
    let value = |v: &Option<Value>| match v {
        Some(v) => v.to_string(),
        None => "(absent)".to_string(),
    };
    let place = |p: &Option<String>| p.clone().unwrap_or_else(|| "first".to_string());
    let (what, fields, how) = match notice {
        Notice::Cell { moved, fields } => {
            if let Some(p) = moved {
                text.push_str("nbdiff conflict: the next cell was moved to different places on both sides; it is shown at local's place.\n");
                block(&mut text, &place(&p.base), &place(&p.local), &place(&p.remote));
            }
            let how = if moved.is_some() && fields.is_empty() {
                "move the next cell where it belongs, then delete this cell and the \"nbdiff\" key of the next cell's metadata"
            } else if moved.is_some() {
                "move the next cell where it belongs and set its values, then delete this cell and the \"nbdiff\" key of the next cell's metadata"
            } else {
                "set the value in the next cell, then delete this cell and the \"nbdiff\" key of the next cell's metadata"
            };
            ("the next cell", fields.as_slice(), how)
        }
        Notice::Notebook(fields) => ("the notebook", fields.as_slice(), "set the value in the notebook's metadata, then delete this cell and the \"nbdiff\" key of the notebook's metadata"),
    };
    for f in fields {
        let _ = writeln!(
            text,
            "nbdiff conflict: {} of {what} changed differently on both sides; {what} keeps local's value.",
            f.path
        );
        block(
            &mut text,
            &value(&f.base),
            &value(&f.local),
            &value(&f.remote),
        );
    }
    let _ = write!(text, "To resolve: {how}.");
    raw_cell(text_value(&text, None), "conflict", id)
}

/// A raw cell holding `text`, with `metadata.nbdiff.marker` = `role`.
fn raw_cell(source: Value, role: &str, id: bool) -> Map<String, Value> {
    let mut meta = Map::new();
    let mut rec = Map::new();
    rec.insert("marker".into(), Value::String(role.into()));
    meta.insert(RECORD_KEY.into(), Value::Object(rec));
    let mut cell = Map::new();
    cell.insert("cell_type".into(), Value::String("raw".into()));
    if id {
        // A placeholder that `fix_ids` replaces with a unique id.
        cell.insert("id".into(), Value::String(String::new()));
    }
    cell.insert("metadata".into(), Value::Object(meta));
    cell.insert("source".into(), source);
    cell
}

fn render_cell(c: MergedCell, opts: &Options) -> Map<String, Value> {
    let mut cell = c.cell;
    let mut records: Vec<Value> = Vec::new();
    if let Some(sc) = &c.source_conflict {
        let texts: Vec<&str> = sc
            .regions
            .iter()
            .flat_map(|r| match r {
                SourceRegion::Resolved(t) => vec![t.as_str()],
                SourceRegion::Conflict {
                    base,
                    local,
                    remote,
                    ..
                } => vec![base.as_str(), local.as_str(), remote.as_str()],
            })
            .collect();
        let size = marker_size_for(opts.marker_size, &texts);
        let regions: Vec<Region<'_>> = sc
            .regions
            .iter()
            .map(|r| match r {
                SourceRegion::Resolved(t) => {
                    Region::Resolved(split_lines(t).into_iter().map(Cow::Borrowed).collect())
                }
                SourceRegion::Conflict {
                    base,
                    local,
                    remote,
                    crlf,
                } => Region::Conflict(Conflict {
                    base: split_lines(base),
                    local: split_lines(local),
                    remote: split_lines(remote),
                    crlf: *crlf,
                }),
            })
            .collect();
        let style = MarkerStyle {
            size,
            local_label: &opts.labels.local,
            base_label: Some(&opts.labels.base),
            remote_label: &opts.labels.remote,
            diff3: opts.style.shows_base(),
        };
        let mut text = render_with_markers(&regions, &style);
        // Markers end their lines, as git writes them; but a cell whose
        // sources end without a newline (Jupyter's habit) keeps that habit.
        if let Some(SourceRegion::Conflict { local, remote, .. }) = sc.regions.last() {
            let open_end = [local, remote]
                .iter()
                .filter(|t| !t.is_empty())
                .all(|t| !t.ends_with('\n'));
            if open_end {
                let trimmed = text.strip_suffix('\n').unwrap_or(&text);
                let trimmed = trimmed.strip_suffix('\r').unwrap_or(trimmed);
                text.truncate(trimmed.len());
            }
        }
        let value = text_value(&text, cell.get(c.source_key));
        cell.insert(c.source_key.to_string(), value);
        if !matches!(c.cell_conflict, Some(CellConflict::DeletedEdited { .. })) {
            let mut r = Map::new();
            r.insert("kind".into(), Value::String("source".into()));
            r.insert("hunks".into(), Value::from(sc.hunks));
            records.push(Value::Object(r));
        }
    }
    match c.cell_conflict {
        Some(CellConflict::DeletedEdited { deleted_by }) => {
            let mut r = Map::new();
            r.insert("kind".into(), Value::String("deleted-edited".into()));
            r.insert("deleted_by".into(), Value::String(deleted_by.name().into()));
            records.push(Value::Object(r));
        }
        Some(CellConflict::Moved) => {
            let mut r = Map::new();
            r.insert("kind".into(), Value::String("moved".into()));
            r.insert("shown_at".into(), Value::String("local".into()));
            records.push(Value::Object(r));
        }
        None => {}
    }
    records.extend(c.field_conflicts.iter().map(field_record));
    if !records.is_empty() {
        let meta = cell
            .entry("metadata")
            .or_insert_with(|| Value::Object(Map::new()));
        if !meta.is_object() {
            *meta = Value::Object(Map::new());
        }
        if let Value::Object(meta) = meta {
            meta.insert(RECORD_KEY.into(), record(records));
        }
    }
    cell
}

fn record(conflicts: Vec<Value>) -> Value {
    let mut m = Map::new();
    m.insert("conflicts".into(), Value::Array(conflicts));
    Value::Object(m)
}

/// The deepest value a conflict record copies. A record sits at most 10
/// levels deep (an nbformat 3 cell's `metadata.nbdiff.conflicts[k]`), so
/// with this bound every record stays within the 128 levels the JSON reader
/// accepts: whatever a merge writes, nbdiff reads back. A deeper value is
/// left out of the record (`"omitted"` says so); the notebook keeps it.
pub const MAX_RECORDED_DEPTH: usize = 100;

/// True when `v` nests no more than `limit` arrays and objects.
fn depth_within(v: &Value, limit: usize) -> bool {
    match v {
        Value::Array(items) => limit > 0 && items.iter().all(|x| depth_within(x, limit - 1)),
        Value::Object(map) => limit > 0 && map.values().all(|x| depth_within(x, limit - 1)),
        _ => true,
    }
}

fn field_record(f: &FieldConflict) -> Value {
    let mut m = Map::new();
    m.insert("kind".into(), Value::String("field".into()));
    m.insert("path".into(), Value::String(f.path.clone()));
    let mut omitted = false;
    for (k, v) in [
        ("base", &f.base),
        ("local", &f.local),
        ("remote", &f.remote),
    ] {
        if let Some(v) = v {
            if depth_within(v, MAX_RECORDED_DEPTH) {
                m.insert(k.into(), v.clone());
            } else {
                omitted = true;
            }
        }
    }
    if omitted {
        m.insert(
            "omitted".into(),
            Value::String(format!(
                "values nested deeper than {MAX_RECORDED_DEPTH} levels are not copied here"
            )),
        );
    }
    Value::Object(m)
}

/// Makes cell ids unique (nbformat requires it) and present where the format
/// requires them (4.5+); ids are left alone otherwise.
fn fix_ids(cells: &mut [Value], required: bool) {
    let mut seen: HashSet<String> = HashSet::new();
    for (k, cell) in cells.iter_mut().enumerate() {
        let Value::Object(map) = cell else { continue };
        let current = map.get("id").and_then(Value::as_str).map(str::to_string);
        let valid = current.as_deref().is_some_and(|id| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
        if let (Some(id), true) = (&current, valid) {
            if seen.insert(id.clone()) {
                continue;
            }
        }
        if current.is_none() && !required {
            continue;
        }
        let stem = match (&current, valid) {
            (Some(id), true) => format!("{}-", &id[..id.len().min(50)]),
            _ => "nbdiff-".to_string(),
        };
        let mut n = k + 1;
        let mut id = format!("{stem}{n}");
        while seen.contains(&id) {
            n += 1;
            id = format!("{stem}{n}");
        }
        seen.insert(id.clone());
        map.insert("id".into(), Value::String(id));
    }
}
