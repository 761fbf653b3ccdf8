//! `out-of-order` and `partial-run`: what the execution counts say about how
//! the notebook was run. Each rule reports once per notebook, at the first
//! cell concerned, and words what a reader can see in the notebook: the
//! cells and their counts, not a guess at what happened.
//!
//! `out-of-order` names the fewest cells whose counts break the order: the
//! cells outside a longest strictly increasing run of counts (`crate::lis`),
//! so a notebook run top to bottom with two cells re-run afterwards names
//! those two cells, not every cell below them.

use super::{Hit, Options, Rule};
use crate::notebook::Cell;
use serde_json::Value;

/// How many cells a message names before `…`.
const NAMED: usize = 3;

pub(crate) fn check(cells: &[Cell<'_>], opts: &Options, hits: &mut Vec<Hit>) {
    // Code cells with a source: (cell index, execution count, has outputs).
    let code: Vec<(usize, Option<u64>, bool)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.cell_type() == "code" && !c.source().trim().is_empty())
        .map(|(i, c)| {
            let count = c.map.get(c.execution_count_key()).and_then(Value::as_u64);
            (i, count, !c.outputs().is_empty())
        })
        .collect();

    if opts.on(Rule::OutOfOrder) {
        let counted: Vec<(usize, u64)> = code
            .iter()
            .filter_map(|&(i, n, _)| n.map(|n| (i, n)))
            .collect();
        if let Some(hit) = out_of_order(&counted) {
            hits.push(hit);
        }
    }

    if opts.on(Rule::PartialRun) {
        if let Some(hit) = partial_run(&code) {
            hits.push(hit);
        }
    }
}

/// `counted`: (cell index, count) of the code cells with a count, in cell order.
fn out_of_order(counted: &[(usize, u64)]) -> Option<Hit> {
    let in_order = crate::lis::longest_increasing(counted, |&(_, n)| n);
    if in_order.len() == counted.len() {
        return None;
    }
    // Positions in `counted` outside the increasing run, each described
    // against its nearest in-order neighbour: a cell outside a longest run
    // cannot fit between them, so its count is at least the next one's
    // below it or at most the previous one's above it.
    let mut out = Vec::new();
    let mut next_in = 0; // index into `in_order`
    for (p, &(cell, n)) in counted.iter().enumerate() {
        while next_in < in_order.len() && in_order[next_in] < p {
            next_in += 1;
        }
        if in_order.get(next_in) == Some(&p) {
            continue;
        }
        let below = in_order.get(next_in).map(|&q| counted[q]);
        let above = next_in.checked_sub(1).map(|k| counted[in_order[k]]);
        out.push((cell, describe(cell, n, above, below)));
    }
    let total = counted.len();
    let first_cell = out.first()?.0;
    let k = out.len();
    let etc = if k > NAMED { "; …" } else { "" };
    let named: Vec<String> = out.into_iter().take(NAMED).map(|o| o.1).collect();
    Some(Hit::cell(
        Rule::OutOfOrder,
        first_cell,
        None,
        format!(
            "{k} of {total} code cells with a count ran out of order; {} down the \
             notebook: {}{etc}",
            if total - k == 1 {
                "the count of the other one increases".to_string()
            } else {
                format!("the counts of the other {} increase", total - k)
            },
            named.join("; ")
        ),
    ))
}

/// One out-of-order cell against its in-order neighbours (cells 1-based).
fn describe(
    cell: usize,
    n: u64,
    above: Option<(usize, u64)>,
    below: Option<(usize, u64)>,
) -> String {
    match (below, above) {
        (Some((b, bn)), _) if bn == n => {
            format!(
                "cell {} has the same count [{n}] as cell {}",
                cell + 1,
                b + 1
            )
        }
        (_, Some((a, an))) if an == n => {
            format!(
                "cell {} has the same count [{n}] as cell {}",
                cell + 1,
                a + 1
            )
        }
        (Some((b, bn)), _) if bn < n => format!(
            "cell {} ran as [{n}], after cell {} below it ran as [{bn}]",
            cell + 1,
            b + 1
        ),
        (_, Some((a, an))) => format!(
            "cell {} ran as [{n}], before cell {} above it ran as [{an}]",
            cell + 1,
            a + 1
        ),
        // Unreachable for a cell outside a longest increasing run; said
        // plainly rather than panicking.
        _ => format!("cell {} ran as [{n}]", cell + 1),
    }
}

/// `code`: (cell index, count, has outputs) of the code cells with a source.
fn partial_run(code: &[(usize, Option<u64>, bool)]) -> Option<Hit> {
    let ran = code.iter().filter(|(_, c, _)| c.is_some()).count();
    let uncounted: Vec<(usize, bool)> = code
        .iter()
        .filter(|(_, c, _)| c.is_none())
        .map(|&(i, _, outputs)| (i, outputs))
        .collect();
    if ran == 0 || uncounted.is_empty() {
        return None;
    }
    let bare: Vec<usize> = uncounted.iter().filter(|u| !u.1).map(|u| u.0).collect();
    let kept: Vec<usize> = uncounted.iter().filter(|u| u.1).map(|u| u.0).collect();
    let have = if ran == 1 {
        "1 has a count".to_string()
    } else {
        format!("{ran} have a count")
    };
    let message = match (bare.is_empty(), kept.is_empty()) {
        (false, true) => format!(
            "{} no execution count and no outputs ({}) while {have}: {} may never have run, so \
             the outputs may not match the code",
            cells_have(bare.len()),
            list(&bare),
            plural(bare.len(), "it", "they"),
        ),
        (true, false) => format!(
            "{} outputs but no execution count ({}) while {have}: {} removed, so the order \
             {} ran in cannot be checked",
            cells_have(kept.len()),
            list(&kept),
            plural(kept.len(), "its count was", "their counts were"),
            plural(kept.len(), "it", "they"),
        ),
        _ => format!(
            "{} no execution count ({}) while {have}: {} no outputs either (never run?), {} \
             outputs (count removed?)",
            cells_have(uncounted.len()),
            list(&uncounted.iter().map(|u| u.0).collect::<Vec<_>>()),
            with(&bare, "has", "have"),
            with(&kept, "has", "have"),
        ),
    };
    Some(Hit::cell(Rule::PartialRun, uncounted[0].0, None, message))
}

/// `1 code cell has` / `3 code cells have`.
fn cells_have(n: usize) -> String {
    if n == 1 {
        "1 code cell has".into()
    } else {
        format!("{n} code cells have")
    }
}

/// `cell 3` / `cells 3, 5, 7, …` (1-based).
fn list(cells: &[usize]) -> String {
    let named: Vec<String> = cells.iter().take(5).map(|i| (i + 1).to_string()).collect();
    let etc = if cells.len() > 5 { ", …" } else { "" };
    format!(
        "{} {}{etc}",
        plural(cells.len(), "cell", "cells"),
        named.join(", ")
    )
}

/// `cell 3 has` / `cells 3, 5 have`.
fn with(cells: &[usize], one: &str, many: &str) -> String {
    format!("{} {}", list(cells), plural(cells.len(), one, many))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn out_msg(counts: &[u64]) -> Option<(usize, String)> {
        let counted: Vec<(usize, u64)> = counts.iter().copied().enumerate().collect();
        out_of_order(&counted).map(|h| (h.cell.unwrap_or(usize::MAX), h.message))
    }

    #[test]
    fn two_cells_rerun_are_named_not_every_cell_below_them() {
        // Run 1..20 top to bottom, then cells 2 and 5 re-run as [21], [22].
        let mut counts: Vec<u64> = (1..=20).collect();
        counts[1] = 21;
        counts[4] = 22;
        let (cell, msg) = out_msg(&counts).expect("a finding");
        assert_eq!(cell, 1, "reported at the first re-run cell");
        assert_eq!(
            msg,
            "2 of 20 code cells with a count ran out of order; the counts of the other 18 \
             increase down the notebook: cell 2 ran as [21], after cell 3 below it ran as [3]; \
             cell 5 ran as [22], after cell 6 below it ran as [6]"
        );
    }

    #[test]
    fn a_cell_run_before_the_cells_above_it_is_said_so() {
        let (cell, msg) = out_msg(&[5, 6, 7, 1]).expect("a finding");
        assert_eq!(cell, 3);
        assert!(
            msg.contains("cell 4 ran as [1], before cell 3 above it ran as [7]"),
            "{msg}"
        );
        assert!(msg.starts_with("1 of 4 code cells"), "{msg}");
    }

    #[test]
    fn equal_counts_are_named_as_equal() {
        let (_, msg) = out_msg(&[1, 2, 2, 3]).expect("a finding");
        assert!(msg.contains("has the same count [2] as cell"), "{msg}");
    }

    #[test]
    fn increasing_counts_with_gaps_are_no_finding() {
        assert!(out_msg(&[1, 4, 9, 10]).is_none());
        assert!(out_msg(&[]).is_none());
    }

    #[test]
    fn many_out_of_order_cells_are_counted_and_the_list_is_capped() {
        let (_, msg) = out_msg(&[10, 11, 12, 13, 14, 1, 2]).expect("a finding");
        assert!(msg.starts_with("2 of 7"), "{msg}");
        let (_, msg) = out_msg(&[9, 8, 7, 6, 5, 4]).expect("a finding");
        assert!(msg.starts_with("5 of 6"), "{msg}");
        assert!(msg.ends_with("; …"), "{msg}");
    }

    fn partial(cells: &[(Option<u64>, bool)]) -> Option<String> {
        let code: Vec<(usize, Option<u64>, bool)> = cells
            .iter()
            .enumerate()
            .map(|(i, &(c, o))| (i, c, o))
            .collect();
        partial_run(&code).map(|h| h.message)
    }

    #[test]
    fn cells_with_outputs_and_no_count_are_not_said_to_have_never_run() {
        let msg = partial(&[
            (Some(1), true),
            (None, true),
            (None, true),
            (Some(4), false),
        ])
        .expect("a finding");
        assert_eq!(
            msg,
            "2 code cells have outputs but no execution count (cells 2, 3) while 2 have a count: \
             their counts were removed, so the order they ran in cannot be checked"
        );
        assert!(!msg.contains("never"), "{msg}");
    }

    #[test]
    fn cells_without_count_or_outputs_may_never_have_run() {
        let msg = partial(&[(Some(1), true), (None, false)]).expect("a finding");
        assert_eq!(
            msg,
            "1 code cell has no execution count and no outputs (cell 2) while 1 has a count: it may \
             never have run, so the outputs may not match the code"
        );
    }

    #[test]
    fn both_kinds_are_told_apart() {
        let msg = partial(&[(Some(1), true), (None, false), (None, true), (None, true)])
            .expect("a finding");
        assert_eq!(
            msg,
            "3 code cells have no execution count (cells 2, 3, 4) while 1 has a count: cell 2 has no \
             outputs either (never run?), cells 3, 4 have outputs (count removed?)"
        );
    }

    #[test]
    fn all_counted_or_none_counted_is_no_finding() {
        assert!(partial(&[(Some(1), true), (Some(2), false)]).is_none());
        assert!(partial(&[(None, true), (None, false)]).is_none());
    }
}
