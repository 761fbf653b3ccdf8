//! A base for two versions that have none: what both sides have in common.
//!
//! When a file's conflict blocks give no base (git's default conflict style)
//! or both sides added the notebook (no stage 1), the two versions are merged
//! against a notebook built from what they agree on:
//!
//! - cells are paired as the diff pairs them ([`crate::diff::align`]: ids,
//!   then content, then similarity); a pair of equal cells is a base cell as
//!   it is; a pair that differs gives a base cell holding only what the two
//!   agree on: the source lines common to both (in order), equal fields, the
//!   metadata keys with equal values, and no outputs or execution count where
//!   those differ;
//! - cells of one side only are not in the base (each side inserted them);
//! - notebook fields and metadata keep only what is equal on both sides.
//!
//! So where a cell's two sources differ, both sides changed the base there:
//! each run of lines that the two versions do not share stands in the base
//! as a placeholder line ([`GAP`]) that both sides replaced, so the merge
//! marks it as a conflict inside the cell (without a base, lines one side
//! lacks may have been added by that side or deleted by the other: only a
//! person can tell). Lines both sides have are in the base, unchanged, hence
//! in the result; cells of one side only are kept (inserted). Fields that
//! differ fall to the merge's usual rules (volatile metadata resolves to
//! local's, outputs follow the source, other values conflict).

use crate::diff::align::align;
use crate::merge::cell::text_value;
use crate::merge::cells::keys;
use crate::notebook::{same_value, Cell, Notebook};
use crate::text::line_diff::equal_pairs;
use crate::text::lines::split_lines;
use serde_json::{Map, Value};

/// The base of `local` and `remote` (same major version): their common part,
/// with local's style and key order.
pub fn common_base(local: &Notebook, remote: &Notebook) -> Notebook {
    let mut root = common_map(&local.root, &remote.root);
    for key in ["nbformat", "nbformat_minor"] {
        if let Some(v) = local.root.get(key) {
            root.insert(key.to_string(), v.clone());
        }
    }
    let mut base = Notebook {
        root,
        style: local.style.clone(),
        major: local.major,
        minor: local.minor,
        raw: None,
    };
    base.set_cells(common_cells(local, remote));
    base
}

/// The cells both sides have, in local's order; differing pairs reduced to
/// what they share.
fn common_cells(local: &Notebook, remote: &Notebook) -> Vec<Value> {
    let (lc, rc) = (local.cells(), remote.cells());
    let ls: Vec<_> = lc.iter().map(Cell::source).collect();
    let rs: Vec<_> = rc.iter().map(Cell::source).collect();
    let (kl, kr) = (keys(&lc, &ls), keys(&rc, &rs));
    let alignment = align(&kl, &kr);
    let mut out = Vec::new();
    for (i, pair) in alignment.old_to_new.iter().enumerate() {
        let Some(j) = *pair else { continue };
        let (l, r) = (lc[i], rc[j]);
        if l.cell_type() != r.cell_type() {
            continue;
        }
        out.push(Value::Object(common_cell(l, r, &ls[i], &rs[j])));
    }
    out
}

/// What two versions of one cell agree on.
fn common_cell(l: Cell<'_>, r: Cell<'_>, ls: &str, rs: &str) -> Map<String, Value> {
    let mut out = Map::new();
    let source_key = l.source_key();
    let count_key = l.execution_count_key();
    for (key, lv) in l.map {
        let rv = r.map.get(key);
        if rv.is_some_and(|rv| same_value(lv, rv)) {
            out.insert(key.clone(), lv.clone());
            continue;
        }
        let k = key.as_str();
        if k == source_key {
            out.insert(key.clone(), text_value(&common_lines(ls, rs), Some(lv)));
        } else if k == "outputs" {
            out.insert(key.clone(), Value::Array(Vec::new()));
        } else if k == count_key {
            out.insert(key.clone(), Value::Null);
        } else if k == "id" || k == "cell_type" {
            // Pairs are matched by content, so ids may differ; local's stands.
            out.insert(key.clone(), lv.clone());
        } else if let (Value::Object(a), Some(Value::Object(b))) = (lv, rv) {
            out.insert(key.clone(), Value::Object(common_map(a, b)));
        }
    }
    out
}

/// The line standing, in a base source, for lines that only one side has.
/// It is in neither version, so both sides changed it: the merge marks each
/// such place as a conflict instead of silently taking one side's lines (with
/// no base, a line one side lacks may be one it deleted). It never reaches
/// the result: conflicts are written without base lines when the base is
/// built here.
pub const GAP: &str = "\u{0}\n";

/// The lines of `a` that are also in `b`, in order (their longest common
/// subsequence as the line diff finds it), with a [`GAP`] line wherever
/// either side has lines the other lacks.
fn common_lines(a: &str, b: &str) -> String {
    let (la, lb) = (split_lines(a), split_lines(b));
    let mut out = String::new();
    let (mut i, mut j) = (0, 0);
    let pairs = equal_pairs(&la, &lb);
    for &(pi, pj) in pairs.iter().chain(std::iter::once(&(la.len(), lb.len()))) {
        if pi > i || pj > j {
            out.push_str(GAP);
        }
        if let Some(line) = la.get(pi) {
            out.push_str(line);
        }
        (i, j) = (pi + 1, pj + 1);
    }
    out
}

/// The keys of two objects with equal values; objects under the same key on
/// both sides are reduced recursively.
fn common_map(a: &Map<String, Value>, b: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, av) in a {
        let Some(bv) = b.get(key) else { continue };
        if same_value(av, bv) {
            out.insert(key.clone(), av.clone());
        } else if let (Value::Object(x), Value::Object(y)) = (av, bv) {
            out.insert(key.clone(), Value::Object(common_map(x, y)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb(cells: &str, meta: &str) -> Notebook {
        let text = format!(
            "{{\"cells\": [{cells}], \"metadata\": {meta}, \"nbformat\": 4, \"nbformat_minor\": 5}}"
        );
        Notebook::parse(text.as_bytes(), "t").unwrap()
    }

    fn code(id: &str, src: &str, count: u32) -> String {
        format!(
            "{{\"cell_type\": \"code\", \"id\": \"{id}\", \"metadata\": {{}}, \"execution_count\": {count}, \"outputs\": [], \"source\": {}}}",
            serde_json::to_string(src).unwrap()
        )
    }

    #[test]
    fn differing_pair_keeps_common_lines_and_drops_differing_runs() {
        let l = nb(
            &code("a", "x = 1\ny = 2\nz = 3\n", 1),
            "{\"k\": 1, \"o\": {\"p\": 1, \"q\": 2}}",
        );
        let r = nb(
            &code("a", "x = 1\ny = 5\nz = 3\n", 2),
            "{\"k\": 2, \"o\": {\"p\": 1, \"q\": 3}}",
        );
        let b = common_base(&l, &r);
        let cells = b.cells();
        assert_eq!(cells.len(), 1);
        assert_eq!(cells[0].source(), format!("x = 1\n{GAP}z = 3\n"));
        assert_eq!(cells[0].map["execution_count"], Value::Null);
        assert_eq!(cells[0].id(), Some("a"));
        let meta = b.metadata().unwrap();
        assert!(meta.get("k").is_none());
        assert_eq!(meta["o"], serde_json::json!({"p": 1}));
        assert_eq!(b.root["nbformat"], Value::from(4));
    }

    #[test]
    fn gaps_stand_where_either_side_has_lines_of_its_own() {
        assert_eq!(common_lines("a\nb\n", "a\nb\n"), "a\nb\n");
        assert_eq!(common_lines("a\nx\nb\n", "a\nb\n"), format!("a\n{GAP}b\n"));
        assert_eq!(common_lines("a\n", "a\ny\nz\n"), format!("a\n{GAP}"));
        assert_eq!(common_lines("p\na\n", "q\na\n"), format!("{GAP}a\n"));
        assert_eq!(common_lines("", "z"), GAP);
    }

    #[test]
    fn cells_of_one_side_are_not_in_the_base() {
        let l = nb(
            &format!("{},{}", code("a", "a\n", 1), code("b", "b\n", 1)),
            "{}",
        );
        let r = nb(
            &format!("{},{}", code("a", "a\n", 1), code("c", "c\n", 1)),
            "{}",
        );
        let b = common_base(&l, &r);
        let ids: Vec<_> = b.cells().iter().map(|c| c.id()).collect();
        assert_eq!(ids, [Some("a")]);
    }
}
