//! `out-of-order` and `partial-run`: what the execution counts say about how
//! the notebook was run. Each rule reports once per notebook, at the first
//! cell concerned, with the count of the others.

use super::{Hit, Options, Rule};
use crate::notebook::Cell;
use serde_json::Value;

pub(crate) fn check(cells: &[Cell<'_>], opts: &Options, hits: &mut Vec<Hit>) {
    // (cell index, execution count or None) for code cells with a source.
    let code: Vec<(usize, Option<u64>)> = cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.cell_type() == "code" && !c.source().trim().is_empty())
        .map(|(i, c)| {
            let count = c.map.get(c.execution_count_key()).and_then(Value::as_u64);
            (i, count)
        })
        .collect();

    if opts.on(Rule::OutOfOrder) {
        let mut last: Option<(usize, u64)> = None;
        let mut first_bad: Option<(usize, u64, usize, u64)> = None;
        let mut bad = 0;
        for &(i, count) in &code {
            let Some(n) = count else { continue };
            if let Some((pi, pn)) = last {
                if n <= pn {
                    bad += 1;
                    first_bad.get_or_insert((i, n, pi, pn));
                }
            }
            if last.is_none_or(|(_, pn)| n > pn) {
                last = Some((i, n));
            }
        }
        if let Some((i, n, pi, pn)) = first_bad {
            let more = if bad > 1 {
                format!(" ({} cells out of order in all)", bad)
            } else {
                String::new()
            };
            hits.push(Hit::cell(
                Rule::OutOfOrder,
                i,
                None,
                format!(
                    "ran as [{n}] after cell {} ran as [{pn}]: cells were run out of order{more}",
                    pi + 1
                ),
            ));
        }
    }

    if opts.on(Rule::PartialRun) {
        let ran = code.iter().filter(|(_, c)| c.is_some()).count();
        let never: Vec<usize> = code
            .iter()
            .filter(|(_, c)| c.is_none())
            .map(|(i, _)| *i)
            .collect();
        if ran > 0 && !never.is_empty() {
            let list: Vec<String> = never.iter().take(5).map(|i| (i + 1).to_string()).collect();
            let etc = if never.len() > 5 { ", …" } else { "" };
            hits.push(Hit::cell(
                Rule::PartialRun,
                never[0],
                None,
                format!(
                    "{} code cell(s) never ran while {ran} did (cells {}{etc}): \
                     the outputs may not match the code",
                    never.len(),
                    list.join(", ")
                ),
            ));
        }
    }
}
