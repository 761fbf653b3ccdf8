//! The complete machine diff in nbdime's documented diff format.
//!
//! A diff is a list of operations on a JSON value: on objects `add`,
//! `remove`, `replace`, `patch` (with `key`, `value`, `diff`); on lists
//! `addrange`, `removerange`, `patch` (with `key` = index into the old list,
//! `valuelist`, `length`, `diff`), sorted by key. Strings with more than one
//! line are patched as lists of lines split like Python's
//! `str.splitlines(True)`; single-line strings and base64 payloads (images,
//! PDF: one operation per changed image, as nbdime) are replaced.
//!
//! The diff is relative to the notebook as `nbformat.read(…, NO_CONVERT)`
//! holds it in memory: multi-line fields joined (`rejoin_lines`) and, for
//! nbformat 4, transient fields stripped (`strip_transient`). Nothing is
//! ignored: `nbdime.patch(old, diff) == new`. Cells are matched with
//! [`super::align`]; moved cells become a removal and an insertion.

use super::align::{self, CellKey};
use crate::notebook::{join_text, Notebook};
use serde_json::{json, Map, Value};
use std::hash::Hasher;

/// The nbdime diff taking `old` to `new`, as a JSON list of operations.
pub fn diff(old: &Notebook, new: &Notebook) -> Value {
    diff_in_place(&mut old.clone(), &mut new.clone())
}

/// [`diff`] without copying the notebooks: both are first turned, in place,
/// into the form nbformat holds in memory (see the module docs), which is how
/// the caller finds them afterwards. (Copying two large notebooks, and freeing
/// the copies, cost more than the diff itself.)
pub fn diff_in_place(old: &mut Notebook, new: &mut Notebook) -> Value {
    let big = old.cells().len() + new.cells().len() >= 4000;
    crate::par::join(big, || normalize(old), || normalize(new));
    let cx = Cx {
        old_ids_invented: old.major == 4 && old.minor >= 5,
    };
    Value::Array(diff_maps(&old.root, &new.root, 0, &cx))
}

/// What the diff needs to know about how nbformat read the old notebook.
struct Cx {
    /// nbformat ≥ 4.5: `nbformat.read` gives cells without an id a random one,
    /// so an id that appears in the new file must `replace`, not `add`.
    old_ids_invented: bool,
}

/// Turns `nb` into the form nbformat holds in memory (see the module docs),
/// in place.
fn normalize(nb: &mut Notebook) {
    let v3 = nb.is_v3();
    let root = &mut nb.root;
    if v3 {
        if let Some(Value::Array(sheets)) = root.get_mut("worksheets") {
            for ws in sheets {
                if let Some(Value::Array(cells)) = ws.get_mut("cells") {
                    cells.iter_mut().for_each(rejoin_v3_cell);
                }
            }
        }
    } else {
        if let Some(Value::Object(meta)) = root.get_mut("metadata") {
            for key in ["orig_nbformat", "orig_nbformat_minor", "signature"] {
                meta.shift_remove(key);
            }
        }
        if let Some(Value::Array(cells)) = root.get_mut("cells") {
            cells.iter_mut().for_each(rejoin_v4_cell);
        }
    }
}

fn join_in_place(value: &mut Value) {
    if let Value::Array(items) = value {
        if items.iter().all(Value::is_string) {
            *value = Value::String(join_text(Some(value)).into_owned());
        }
    }
}

fn is_json_mime(mime: &str) -> bool {
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

fn rejoin_bundle(bundle: &mut Value) {
    if let Value::Object(map) = bundle {
        for (mime, value) in map.iter_mut() {
            if !is_json_mime(mime) {
                join_in_place(value);
            }
        }
    }
}

fn rejoin_v4_cell(cell: &mut Value) {
    let Value::Object(cell) = cell else { return };
    if let Some(source) = cell.get_mut("source") {
        if source.is_array() {
            // nbformat joins any list here ("".join); non-strings would fail there.
            join_in_place(source);
        }
    }
    if let Some(Value::Object(atts)) = cell.get_mut("attachments") {
        atts.values_mut().for_each(rejoin_bundle);
    }
    if let Some(Value::Object(meta)) = cell.get_mut("metadata") {
        meta.shift_remove("trusted");
    }
    if cell.get("cell_type").and_then(Value::as_str) != Some("code") {
        return;
    }
    if let Some(Value::Array(outputs)) = cell.get_mut("outputs") {
        for out in outputs {
            let Value::Object(out) = out else { continue };
            let otype = out.get("output_type").and_then(Value::as_str).unwrap_or("");
            if otype == "execute_result" || otype == "display_data" {
                if let Some(data) = out.get_mut("data") {
                    rejoin_bundle(data);
                }
            } else if !otype.is_empty() {
                if let Some(text) = out.get_mut("text") {
                    join_in_place(text);
                }
            }
        }
    }
}

/// nbformat 3's `_join_lines`: lines from `splitlines(True)` are
/// concatenated, lines from `splitlines()` are joined with `\n`.
fn join_v3(value: &mut Value) {
    let Value::Array(items) = value else { return };
    if !items.iter().all(Value::is_string) {
        return;
    }
    let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    let joined = match parts.first() {
        Some(first) if first.ends_with('\n') || first.ends_with('\r') => parts.concat(),
        _ => parts.join("\n"),
    };
    *value = Value::String(joined);
}

fn rejoin_v3_cell(cell: &mut Value) {
    let Value::Object(cell) = cell else { return };
    if cell.get("cell_type").and_then(Value::as_str) == Some("code") {
        if let Some(input) = cell.get_mut("input") {
            join_v3(input);
        }
        if let Some(Value::Array(outputs)) = cell.get_mut("outputs") {
            for out in outputs.iter_mut().filter_map(Value::as_object_mut) {
                for key in ["text", "html", "svg", "latex", "javascript", "json"] {
                    if let Some(v) = out.get_mut(key) {
                        join_v3(v);
                    }
                }
            }
        }
    } else {
        for key in ["source", "rendered"] {
            if let Some(v) = cell.get_mut(key) {
                join_v3(v);
            }
        }
    }
}

/// Lines of `s` with their endings, split exactly like Python's
/// `str.splitlines(True)` (which nbdime uses to patch strings).
pub fn py_lines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let end = match c {
            '\r' => match chars.peek() {
                Some(&(j, '\n')) => {
                    chars.next();
                    j + 1
                }
                _ => i + 1,
            },
            '\n' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}'
            | '\u{2029}' => i + c.len_utf8(),
            _ => continue,
        };
        out.push(&s[start..end]);
        start = end;
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

fn diff_maps(a: &Map<String, Value>, b: &Map<String, Value>, depth: usize, cx: &Cx) -> Vec<Value> {
    let mut ops = Vec::new();
    for (k, va) in a {
        match b.get(k) {
            None => ops.push(json!({"op": "remove", "key": k})),
            Some(vb) if vb == va => {}
            Some(vb) => ops.push(change_op(Value::String(k.clone()), k, va, vb, depth, cx)),
        }
    }
    for (k, vb) in b {
        if !a.contains_key(k) {
            ops.push(json!({"op": "add", "key": k, "value": vb}));
        }
    }
    ops
}

/// `patch` when the values can be patched, else `replace`.
fn change_op(key: Value, name: &str, a: &Value, b: &Value, depth: usize, cx: &Cx) -> Value {
    let sub = match (a, b) {
        (Value::Object(x), Value::Object(y)) => Some(diff_maps(x, y, depth + 1, cx)),
        (Value::Array(x), Value::Array(y)) if name == "cells" && depth <= 2 => {
            Some(diff_cells(x, y, cx))
        }
        (Value::Array(x), Value::Array(y)) => Some(diff_lists(x, y, depth + 1, cx)),
        // A base64 payload (an image) is replaced whole, as nbdime does: one
        // operation per changed image, not one per re-encoded line.
        (Value::String(_), Value::String(_)) if is_base64_mime(name) => None,
        (Value::String(x), Value::String(y)) => {
            let (lx, ly) = (py_lines(x), py_lines(y));
            (lx.len() > 1 || ly.len() > 1).then(|| diff_lines(&lx, &ly))
        }
        _ => None,
    };
    match sub {
        Some(diff) => json!({"op": "patch", "key": key, "diff": diff}),
        None => json!({"op": "replace", "key": key, "value": b}),
    }
}

/// MIME types whose values are base64 text (SVG is XML text, diffed by lines).
fn is_base64_mime(mime: &str) -> bool {
    super::image::is_binary_mime(mime) && !mime.starts_with("image/svg")
}

fn hash_of(v: &Value) -> u64 {
    let mut h = crate::hash::FastHasher::default();
    crate::hash::hash_value(v, &mut h);
    h.finish()
}

/// List ops from in-order matched pairs; gaps between pairs become
/// patches (for pairable items) or add/remove ranges.
fn ops_from_pairs(
    a: &[Value],
    b: &[Value],
    pairs: &[(usize, usize)],
    pairable: &dyn Fn(&Value, &Value) -> bool,
    patch: &dyn Fn(usize, &Value, &Value) -> Vec<Value>,
) -> Vec<Value> {
    let mut ops = Vec::new();
    let (mut i, mut j) = (0usize, 0usize);
    let end = [(a.len(), b.len())];
    for &(pi, pj) in pairs.iter().chain(end.iter()) {
        // Gap: a[i..pi] and b[j..pj].
        let (na, nb) = (pi - i, pj - j);
        let k = na.min(nb);
        for p in 0..k {
            let (x, y) = (&a[i + p], &b[j + p]);
            if pairable(x, y) {
                ops.extend(patch(i + p, x, y));
            } else {
                ops.push(json!({"op": "addrange", "key": i + p, "valuelist": [y]}));
                ops.push(json!({"op": "removerange", "key": i + p, "length": 1}));
            }
        }
        if na > k {
            ops.push(json!({"op": "removerange", "key": i + k, "length": na - k}));
        }
        if nb > k {
            let values: Vec<&Value> = b[j + k..pj].iter().collect();
            ops.push(json!({"op": "addrange", "key": pi, "valuelist": values}));
        }
        if pi < a.len() {
            ops.extend(patch(pi, &a[pi], &b[pj]));
        }
        i = pi + 1;
        j = pj + 1;
    }
    ops
}

/// Ops taking list item `x` at `index` to `y`: a `patch` when possible, else
/// `addrange` + `removerange` (nbdime lists have no `replace`).
fn item_ops(index: usize, x: &Value, y: &Value, depth: usize, cx: &Cx) -> Vec<Value> {
    if x == y {
        return Vec::new();
    }
    let op = change_op(json!(index), "", x, y, depth, cx);
    if op["op"] == "patch" {
        vec![op]
    } else {
        vec![
            json!({"op": "addrange", "key": index, "valuelist": [y]}),
            json!({"op": "removerange", "key": index, "length": 1}),
        ]
    }
}

fn diff_lists(a: &[Value], b: &[Value], depth: usize, cx: &Cx) -> Vec<Value> {
    let ha: Vec<u64> = a.iter().map(hash_of).collect();
    let hb: Vec<u64> = b.iter().map(hash_of).collect();
    let pairs = crate::text::line_diff::equal_pairs(&ha, &hb);
    let pairable = |x: &Value, y: &Value| match (x, y) {
        (Value::Object(p), Value::Object(q)) => p.get("output_type") == q.get("output_type"),
        (Value::Array(_), Value::Array(_)) => true,
        _ => false,
    };
    ops_from_pairs(a, b, &pairs, &pairable, &|k, x, y| {
        item_ops(k, x, y, depth, cx)
    })
}

fn diff_cells(a: &[Value], b: &[Value], cx: &Cx) -> Vec<Value> {
    let key = |c: &Value| -> OwnedKey {
        let source = c
            .get("source")
            .or_else(|| c.get("input"))
            .map(|s| join_text(Some(s)).into_owned())
            .unwrap_or_default();
        (
            c.get("id").and_then(Value::as_str).map(str::to_owned),
            c.get("cell_type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned(),
            source,
        )
    };
    let ka: Vec<_> = a.iter().map(key).collect();
    let kb: Vec<_> = b.iter().map(key).collect();
    let al = align::align(&cell_keys(&ka), &cell_keys(&kb));
    let pairs: Vec<(usize, usize)> = al
        .steps()
        .into_iter()
        .filter_map(|s| match s {
            align::Step::Pair(i, j) => Some((i, j)),
            _ => None,
        })
        .collect();
    ops_from_pairs(a, b, &pairs, &|_, _| false, &|k, x, y| {
        let mut ops = item_ops(k, x, y, 2, cx);
        if cx.old_ids_invented && x.get("id").is_none() {
            // nbformat gave the old cell a random id in memory: replace it.
            if let Some(Value::Array(sub)) = ops.first_mut().and_then(|op| op.get_mut("diff")) {
                for op in sub
                    .iter_mut()
                    .filter(|op| op["key"] == "id" && op["op"] == "add")
                {
                    op["op"] = json!("replace");
                }
            }
        }
        ops
    })
}

type OwnedKey = (Option<String>, String, String);

fn cell_keys(k: &[OwnedKey]) -> Vec<CellKey<'_>> {
    k.iter()
        .map(|(id, t, s)| CellKey {
            id: id.as_deref(),
            cell_type: t,
            source: s,
        })
        .collect()
}

fn diff_lines(a: &[&str], b: &[&str]) -> Vec<Value> {
    let hash = |s: &&str| {
        let mut h = crate::hash::FastHasher::default();
        h.write(s.as_bytes());
        h.finish()
    };
    let ha: Vec<u64> = a.iter().map(hash).collect();
    let hb: Vec<u64> = b.iter().map(hash).collect();
    let pairs = crate::text::line_diff::equal_pairs(&ha, &hb);
    let va: Vec<Value> = a.iter().map(|s| Value::String((*s).to_owned())).collect();
    let vb: Vec<Value> = b.iter().map(|s| Value::String((*s).to_owned())).collect();
    ops_from_pairs(&va, &vb, &pairs, &|_, _| false, &|_, _, _| Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_line_splitting() {
        assert_eq!(py_lines("a\nb"), vec!["a\n", "b"]);
        assert_eq!(
            py_lines("a\r\nb\rc\u{2028}d\x0ce"),
            vec!["a\r\n", "b\r", "c\u{2028}", "d\x0c", "e"]
        );
        assert_eq!(py_lines(""), Vec::<&str>::new());
    }

    #[test]
    fn list_gaps_become_ranges_sorted_by_key() {
        let a: Vec<Value> = vec![json!(1), json!(2), json!(3)];
        let b: Vec<Value> = vec![json!(1), json!(9), json!(8), json!(3)];
        let ops = diff_lists(
            &a,
            &b,
            0,
            &Cx {
                old_ids_invented: false,
            },
        );
        assert_eq!(
            ops,
            vec![
                json!({"op": "addrange", "key": 1, "valuelist": [9]}),
                json!({"op": "removerange", "key": 1, "length": 1}),
                json!({"op": "addrange", "key": 2, "valuelist": [8]}),
            ]
        );
    }
}
