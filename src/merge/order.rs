//! A merge creates no `out-of-order` finding (`nbdiff check` NB101) that
//! neither side had.
//!
//! Execution counts are derived data: each merged code cell takes the count
//! of the side its outputs come from, so a merge that keeps local's counts
//! for ten cells and remote's for one can put `[12]` between `[2]` and
//! `[4]`, although each side ran in order. When both sides are in order and
//! the merge is not, [`keep_in_order`] changes as few counts as it can: the
//! longest run of counts already in order stays; each other count becomes
//! the smallest value that fits after the one before it (its own value when
//! that fits). The two versions of a conflicted cell are one place, counted
//! at local's count; both versions get the place's count, so the notebook is
//! in order whichever version the person resolving keeps.
//!
//! The same cells as the rule: code cells with a source that is not blank,
//! and a count (`null` counts are skipped, as the rule skips them).

use super::model::{Item, MergeResult, Resolution};
use crate::notebook::Notebook;
use serde_json::Value;

/// True when the counts (in cell order) strictly increase, as NB101 wants.
fn in_order(counts: impl Iterator<Item = u64>) -> bool {
    let mut last = None;
    for n in counts {
        if last.is_some_and(|l| n <= l) {
            return false;
        }
        last = Some(n);
    }
    true
}

/// `join_text(value).trim().is_empty()`, without joining: a text is blank
/// when each of its lines is.
fn blank(value: Option<&Value>) -> bool {
    match value {
        Some(Value::String(s)) => s.trim().is_empty(),
        Some(Value::Array(items)) => items
            .iter()
            .all(|item| item.as_str().is_none_or(|s| s.trim().is_empty())),
        _ => true,
    }
}

fn side_counts(nb: &Notebook) -> impl Iterator<Item = u64> + '_ {
    nb.cells().into_iter().filter_map(|c| {
        let ran = c.cell_type() == "code" && !blank(crate::notebook::field(c.map, c.source_key()));
        ran.then(|| c.map.get(c.execution_count_key()).and_then(Value::as_u64))
            .flatten()
    })
}

/// Longest strictly increasing subsequence of `v`: a mask of the kept
/// positions.
fn longest_increasing(v: &[u64]) -> Vec<bool> {
    let mut keep = vec![false; v.len()];
    for i in crate::lis::longest_increasing(v, |&x| x) {
        keep[i] = true;
    }
    keep
}

/// New counts for `v`, strictly increasing, keeping the longest increasing
/// run and every other value that fits.
pub fn reorder(v: &[u64]) -> Vec<u64> {
    let keep = longest_increasing(v);
    // The next kept value after each position.
    let mut next_kept = vec![None; v.len()];
    let mut next = None;
    for i in (0..v.len()).rev() {
        next_kept[i] = next;
        if keep[i] {
            next = Some(v[i]);
        }
    }
    let mut out = Vec::with_capacity(v.len());
    let mut last: Option<u64> = None;
    for (i, &n) in v.iter().enumerate() {
        let above = |x: u64| last.is_none_or(|l| x > l);
        let below = |x: u64| next_kept[i].is_none_or(|h| x < h);
        let value = if above(n) && (keep[i] || below(n)) {
            n
        } else {
            last.map_or(1, |l| l + 1)
        };
        out.push(value);
        last = Some(value);
    }
    out
}

/// Sets a cell's count from `old` to `n`, and its execute_result's (v3:
/// pyout) that carried `old`.
fn set_count(cell: &mut serde_json::Map<String, Value>, key: &str, old: u64, n: u64) {
    cell.insert(key.into(), Value::from(n));
    if let Some(Value::Array(outputs)) = cell.get_mut("outputs") {
        for o in outputs.iter_mut().filter_map(Value::as_object_mut) {
            if o.get(key).and_then(Value::as_u64) == Some(old) {
                o.insert(key.into(), Value::from(n));
            }
        }
    }
}

/// Renumbers the merged cells' execution counts when both sides were in
/// order and the merge is not; returns the note to report, if it did.
pub fn keep_in_order(
    result: &mut MergeResult,
    local: &Notebook,
    remote: &Notebook,
    v3: bool,
) -> Option<Resolution> {
    let key = if v3 {
        "prompt_number"
    } else {
        "execution_count"
    };
    let cells: Vec<(usize, u64)> = result
        .items
        .iter()
        .enumerate()
        .filter_map(|(k, item)| {
            let Item::Cell(c) = item else { return None };
            if c.cell.get("cell_type").and_then(Value::as_str) != Some("code")
                || blank(c.cell.get(c.source_key))
            {
                return None;
            }
            // Two versions of a cell are one place: local's count stands
            // for it, and both get the place's count (whichever is kept).
            let cell = match c.source_conflict.as_ref().and_then(|s| s.sides.as_deref()) {
                Some(sides) => &sides.local,
                None if c.source_conflict.is_some() => return None,
                None => &c.cell,
            };
            cell.get(key).and_then(Value::as_u64).map(|n| (k, n))
        })
        .collect();
    let counts: Vec<u64> = cells.iter().map(|&(_, n)| n).collect();
    if !in_order(side_counts(local)) || !in_order(side_counts(remote)) {
        return None;
    }
    // Versions whose two counts differ need the place's count too.
    let versions_differ = cells.iter().any(|&(k, _)| match result.items.get(k) {
        Some(Item::Cell(c)) => c
            .source_conflict
            .as_ref()
            .and_then(|s| s.sides.as_deref())
            .is_some_and(|s| s.local.get(key) != s.remote.get(key)),
        _ => false,
    });
    let ordered = in_order(counts.iter().copied());
    if ordered && !versions_differ {
        return None;
    }
    let new = if ordered {
        counts.clone()
    } else {
        reorder(&counts)
    };
    let mut changed = 0;
    for (&(k, old), &n) in cells.iter().zip(&new) {
        let Some(Item::Cell(c)) = result.items.get_mut(k) else {
            continue;
        };
        match c
            .source_conflict
            .as_mut()
            .and_then(|s| s.sides.as_deref_mut())
        {
            Some(sides) => {
                let remote_old = sides.remote.get(key).and_then(Value::as_u64);
                if n != old {
                    set_count(&mut sides.local, key, old, n);
                    changed += 1;
                }
                if let Some(r) = remote_old.filter(|&r| r != n) {
                    set_count(&mut sides.remote, key, r, n);
                    changed += 1;
                }
            }
            None if n != old => {
                set_count(&mut c.cell, key, old, n);
                changed += 1;
            }
            None => {}
        }
    }
    (changed > 0).then(|| Resolution {
        cell: None,
        base_cell: None,
        message: format!(
            "execution counts of {changed} cell(s) renumbered so that they stay in order as on both sides, whichever version of a conflict is kept (nbdiff check NB101)"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_count_from_the_other_side_takes_the_free_place() {
        assert_eq!(reorder(&[1, 2, 12, 4, 5]), vec![1, 2, 3, 4, 5]);
        // No free place: the counts after it move up as little as needed.
        assert_eq!(reorder(&[1, 2, 12, 3, 4]), vec![1, 2, 3, 4, 5]);
        assert_eq!(reorder(&[5, 3]), vec![1, 3]);
        assert_eq!(reorder(&[1, 7, 8, 2, 9]), vec![1, 7, 8, 9, 10]);
        for v in [vec![3, 1, 2], vec![9, 9, 9], vec![1, 3, 2, 5, 4, 7, 6]] {
            let r = reorder(&v);
            assert!(in_order(r.iter().copied()), "{v:?} -> {r:?}");
        }
        assert_eq!(reorder(&[1, 2, 3]), vec![1, 2, 3]);
    }

    #[test]
    fn blank_agrees_with_the_joined_text() {
        use crate::notebook::join_text;
        let cases = [
            serde_json::json!(""),
            serde_json::json!(" \n\t"),
            serde_json::json!("x"),
            serde_json::json!([]),
            serde_json::json!(["\n", "  "]),
            serde_json::json!(["\n", " x"]),
            serde_json::json!([" ", 3, "\u{3000}"]),
            serde_json::json!(["", 3, "y"]),
            serde_json::json!(null),
            serde_json::json!(7),
        ];
        for v in &cases {
            assert_eq!(blank(Some(v)), join_text(Some(v)).trim().is_empty(), "{v}");
        }
        assert!(blank(None));
    }
}
