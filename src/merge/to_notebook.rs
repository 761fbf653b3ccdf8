//! Renders a [`MergeResult`] into a notebook: conflict markers in sources,
//! marker cells around insert/insert conflicts, and the machine-readable
//! conflict record in metadata (see the module docs of [`crate::merge`]).

use super::cell::text_value;
use super::model::{
    CellConflict, FieldConflict, Item, MergeResult, MergedCell, Notice, Side, SourceRegion,
};
use super::options::Options;
use crate::notebook::Notebook;
use serde_json::{Map, Value};
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
    // Each conflict gets a number, written into its notice cells and into the
    // records of its cells, so that a record outliving its conflict can be
    // told apart ([`super::stale`]).
    let mut group = 0u64;
    // The group of a notice cell, for the cell that follows it.
    let mut pending: Option<u64> = None;
    let mut notebook_group = None;
    for item in items {
        match item {
            Item::Cell(c) => {
                let g = pending.take();
                for cell in render_cell(c, opts, g, &mut group, with_ids) {
                    cells.push(Value::Object(cell));
                }
            }
            Item::InsertStart => {
                group += 1;
                pending = None;
                cells.push(Value::Object(notice(
                    &insert_start_text(opts),
                    "start",
                    group,
                    with_ids,
                )));
            }
            Item::InsertMiddle => cells.push(Value::Object(notice(
                &format!(
                    "{} ⬆️ local's cells ({}) · ⬇️ **remote's cells** ({}), up to the `>>>>>>>` notice",
                    code_span(&"=".repeat(opts.marker_size.max(1))),
                    code_span(&opts.labels.local),
                    code_span(&opts.labels.remote),
                ),
                "middle",
                group,
                with_ids,
            ))),
            Item::InsertEnd => cells.push(Value::Object(notice(
                &format!(
                    "{} ⬆️ end of the conflict: remote's cells ({}) above",
                    code_span(&format!(
                        "{} {}",
                        ">".repeat(opts.marker_size.max(1)),
                        opts.labels.remote
                    )),
                    code_span(&opts.labels.remote),
                ),
                "end",
                group,
                with_ids,
            ))),
            Item::Notice(n) => {
                group += 1;
                if matches!(n, Notice::Notebook(_)) {
                    notebook_group = Some(group);
                } else {
                    pending = Some(group);
                }
                cells.push(Value::Object(notice_cell(&n, opts, group, with_ids)));
            }
        }
    }
    if let Some(g) = notebook_group {
        let record = nb
            .root
            .get_mut("metadata")
            .and_then(|m| m.get_mut(RECORD_KEY))
            .and_then(Value::as_object_mut);
        if let Some(record) = record {
            record.insert(GROUP_KEY.into(), Value::from(g));
        }
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
    // Most maps (every one the merge took from a sorted side) are in order
    // already; sorting one anyway rebuilds its hash index.
    if !map.keys().is_sorted() {
        map.sort_keys();
    }
    map.values_mut().for_each(value);
}

/// The key of a conflict's number in notice cells and records.
pub const GROUP_KEY: &str = "conflict";

/// `text` as an inline code span: inert in markdown whatever it holds
/// (labels are the user's branch names), on one line.
pub fn code_span(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// `text` as a fenced code block: inert in markdown whatever it holds.
pub fn fenced(text: &str) -> String {
    let fence = "`".repeat((longest_run(text, '`') + 1).max(3));
    let text = text.strip_suffix('\n').unwrap_or(text);
    format!("{fence}text\n{text}\n{fence}\n")
}

fn longest_run(text: &str, ch: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in text.chars() {
        if c == ch {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// git's opening marker with local's label, inert.
fn opening(opts: &Options) -> String {
    code_span(&format!(
        "{} {}",
        "<".repeat(opts.marker_size.max(1)),
        opts.labels.local
    ))
}

fn insert_start_text(opts: &Options) -> String {
    format!(
        "{} ⚠️ **Merge conflict** (nbdiff): different cells were inserted here on both sides. \
         Below: **local's cells** ({}) up to the `=======` notice, then remote's ({}) up to the \
         `>>>>>>>` notice. To resolve: delete the cells you do not want (keeping both is fine) \
         and these three notice cells.",
        opening(opts),
        code_span(&opts.labels.local),
        code_span(&opts.labels.remote),
    )
}

/// A markdown *notice cell*: what conflicts and how to resolve it, with the
/// git marker of its place written inert (an inline code span), so that a
/// search for `<<<<<<<` finds it and Jupyter renders it as plain text.
/// `metadata.nbdiff` holds its `marker` role and its conflict number.
fn notice(text: &str, role: &str, group: u64, id: bool) -> Map<String, Value> {
    let mut meta = Map::new();
    let mut rec = Map::new();
    rec.insert("marker".into(), Value::String(role.into()));
    rec.insert(GROUP_KEY.into(), Value::from(group));
    meta.insert(RECORD_KEY.into(), Value::Object(rec));
    let mut cell = Map::new();
    cell.insert("cell_type".into(), Value::String("markdown".into()));
    if id {
        // A placeholder that `fix_ids` replaces with a unique id.
        cell.insert("id".into(), Value::String(String::new()));
    }
    cell.insert("metadata".into(), Value::Object(meta));
    cell.insert("source".into(), text_value(text, None));
    cell
}

/// The notice of a conflict without two versions of a cell (see
/// [`Notice`]): what conflicts, each side's value between git-style markers
/// (with the base under `|||||||` in the diff3 styles) in a code block, and
/// how to resolve it. `metadata.nbdiff.marker` is `conflict`.
fn notice_cell(notice_of: &Notice, opts: &Options, group: u64, id: bool) -> Map<String, Value> {
    let size = opts.marker_size.max(1);
    let mut text = String::new();
    let _ = write!(text, "{} ⚠️ **Merge conflict** (nbdiff)", opening(opts));
    let block = |text: &mut String, base: &str, local: &str, remote: &str| {
        let mut inner = String::new();
        let marker = |inner: &mut String, ch: char, label: &str| {
            inner.extend(std::iter::repeat_n(ch, size));
            if !label.is_empty() {
                inner.push(' ');
                inner.push_str(label);
            }
            inner.push('\n');
        };
        marker(&mut inner, '<', &opts.labels.local);
        inner.push_str(local);
        inner.push('\n');
        if opts.style.shows_base() {
            marker(&mut inner, '|', &opts.labels.base);
            inner.push_str(base);
            inner.push('\n');
        }
        marker(&mut inner, '=', "");
        inner.push_str(remote);
        inner.push('\n');
        marker(&mut inner, '>', &opts.labels.remote);
        text.push_str("\n\n");
        text.push_str(&fenced(&inner));
    };
    let value = |v: &Option<Value>| match v {
        Some(v) => v.to_string(),
        None => "(absent)".to_string(),
    };
    let place = |p: &Option<String>| p.clone().unwrap_or_else(|| "first".to_string());
    let (what, fields, how) = match notice_of {
        Notice::Cell { moved, fields } => {
            if let Some(p) = moved {
                text.push_str("\n\nThe next cell was moved to different places on both sides; it is shown at local's place. Each side's place (the first line of the cell before it):");
                block(
                    &mut text,
                    &place(&p.base),
                    &place(&p.local),
                    &place(&p.remote),
                );
            }
            let how = if moved.is_some() && fields.is_empty() {
                "move the next cell where it belongs, then delete this notice cell"
            } else if moved.is_some() {
                "move the next cell where it belongs and set its values, then delete this notice cell"
            } else {
                "set the value in the next cell (JupyterLab: the property inspector), then delete this notice cell"
            };
            ("the next cell", fields.as_slice(), how)
        }
        Notice::Notebook(fields) => (
            "the notebook",
            fields.as_slice(),
            "set the value in the notebook's metadata, then delete this notice cell",
        ),
    };
    for f in fields {
        let _ = write!(
            text,
            "\n\n{} of {what} changed differently on both sides; {what} keeps local's value.",
            code_span(&f.path)
        );
        block(
            &mut text,
            &value(&f.base),
            &value(&f.local),
            &value(&f.remote),
        );
    }
    let _ = write!(text, "\n\nTo resolve: {how}.");
    notice(&text, "conflict", group, id)
}

/// The text of a source with each conflict taken from one side (`None`: base).
fn side_text(regions: &[SourceRegion], side: Option<Side>) -> String {
    let mut text = String::new();
    for r in regions {
        match r {
            SourceRegion::Resolved(t) => text.push_str(t),
            SourceRegion::Conflict {
                base,
                local,
                remote,
                ..
            } => text.push_str(match side {
                Some(Side::Local) => local,
                Some(Side::Remote) => remote,
                None => base,
            }),
        }
    }
    text
}

fn source_record(hunks: usize, version: Side) -> Value {
    let mut r = Map::new();
    r.insert("kind".into(), Value::String("source".into()));
    r.insert("hunks".into(), Value::from(hunks));
    r.insert("version".into(), Value::String(version.name().into()));
    Value::Object(r)
}

/// Renders one merged cell: as it is, or, when its source conflicts, as
/// two *versions* — a notice cell, local's version (the source with every
/// conflict taken from local, local's outputs), a second notice cell,
/// remote's version (likewise) — so that each renders as its cell type
/// renders and resolving is deleting the version not wanted and the two
/// notices. A cell deleted on one side and edited on the other is kept as
/// edited, after a notice.
fn render_cell(
    c: MergedCell,
    opts: &Options,
    pending: Option<u64>,
    group: &mut u64,
    id: bool,
) -> Vec<Map<String, Value>> {
    let mut cell = c.cell;
    let mut records: Vec<Value> = Vec::new();
    let mut out = Vec::new();
    let mut cell_group = pending;
    let mut remote_version = None;
    if let Some(sc) = c.source_conflict {
        let g = pending.unwrap_or_else(|| {
            *group += 1;
            *group
        });
        cell_group = Some(g);
        if let Some(CellConflict::DeletedEdited { deleted_by }) = c.cell_conflict {
            let (by_label, kept_label) = match deleted_by {
                Side::Local => (&opts.labels.local, &opts.labels.remote),
                Side::Remote => (&opts.labels.remote, &opts.labels.local),
            };
            let (by, kept) = (deleted_by.name(), deleted_by.other().name());
            let text = format!(
                "{} ⚠️ **Merge conflict** (nbdiff): the next cell was deleted on {by} ({}) and edited on {kept} ({}); it is kept as {kept} edited it. To resolve: delete the next cell to accept the deletion, or keep it; then delete this notice cell.",
                opening(opts),
                code_span(by_label),
                code_span(kept_label),
            );
            out.push(notice(&text, "deleted-edited", g, id));
        } else {
            let mut text = format!(
                "{} ⚠️ **Merge conflict** (nbdiff): two versions of this cell follow, **local's** ({}) first, then **remote's** ({}). To resolve: delete the version you do not want (or edit one) and both notice cells.",
                opening(opts),
                code_span(&opts.labels.local),
                code_span(&opts.labels.remote),
            );
            if opts.style.shows_base() {
                let _ =
                    write!(
                        text,
                        "\n\nThe base version ({}):\n\n{}",
                        code_span(&opts.labels.base),
                        fenced(&sc.sides.as_ref().map_or_else(
                            || side_text(&sc.regions, None),
                            |s| s.base_source.clone()
                        ))
                    );
            }
            out.push(notice(&text, "versions", g, id));
            let like = cell.get(c.source_key).cloned();
            let mut remote = cell.clone();
            let sides = sc.sides.as_deref();
            for (side, target) in [(Side::Local, &mut cell), (Side::Remote, &mut remote)] {
                let text = side_text(&sc.regions, Some(side));
                target.insert(c.source_key.to_string(), text_value(&text, like.as_ref()));
                let from = sides.map(|s| match side {
                    Side::Local => &s.local,
                    Side::Remote => &s.remote,
                });
                let Some(from) = from else { continue };
                // That side's outputs and count: they belong to its source.
                if from.get("cell_type") == target.get("cell_type") {
                    for k in ["outputs", "execution_count", "prompt_number"] {
                        if let (Some(v), true) = (from.get(k), target.contains_key(k)) {
                            target.insert(k.to_string(), v.clone());
                        }
                    }
                }
                if side == Side::Remote {
                    if let Some(v) = from.get("id") {
                        target.insert("id".into(), v.clone());
                    }
                }
            }
            records.push(source_record(sc.hunks, Side::Local));
            remote_version = Some((remote, source_record(sc.hunks, Side::Remote)));
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
    let fields: Vec<Value> = c.field_conflicts.iter().map(field_record).collect();
    records.extend(fields.iter().cloned());
    put_record(&mut cell, records, cell_group);
    out.push(cell);
    if let Some((mut remote, record)) = remote_version {
        let text = format!(
            "{} ⬆️ local's version ({}) · ⬇️ **remote's version** ({})",
            code_span(&"=".repeat(opts.marker_size.max(1))),
            code_span(&opts.labels.local),
            code_span(&opts.labels.remote),
        );
        out.push(notice(
            &text,
            "versions-middle",
            cell_group.unwrap_or(0),
            id,
        ));
        let mut records = vec![record];
        records.extend(fields);
        put_record(&mut remote, records, cell_group);
        out.push(remote);
    }
    out
}

fn put_record(cell: &mut Map<String, Value>, records: Vec<Value>, group: Option<u64>) {
    if records.is_empty() {
        return;
    }
    let meta = cell
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()));
    if !meta.is_object() {
        *meta = Value::Object(Map::new());
    }
    if let Value::Object(meta) = meta {
        let mut rec = record(records);
        if let (Some(g), Value::Object(m)) = (group, &mut rec) {
            m.insert(GROUP_KEY.into(), Value::from(g));
        }
        meta.insert(RECORD_KEY.into(), rec);
    }
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
