//! What a merge tells the user on stderr: rule-based resolutions summarised
//! per kind (one line per kind, not one per cell: a merge of two re-executed
//! 10,000-cell notebooks is a few lines, not 7,500), conflicts one by one.
//! `--verbose` (or `NBDIFF_VERBOSE=1`, which the merge driver reads; see
//! `crate::cli::settings`) lists every resolution.

use super::model::Resolution;
use super::Outcome;
use std::collections::HashMap;
use std::io::Write;

/// Resolutions grouped by what was decided, in order of first appearance:
/// a kind that happened once is its own line (`cell 4: …`); a kind that
/// happened to several cells is one line with the count (`7,412 cells: …`).
pub fn summarize(resolutions: &[Resolution]) -> Vec<String> {
    // (0: merged cells, 1: base cells, 2: the notebook; message) → group
    let mut groups: Vec<(usize, &Resolution)> = Vec::new();
    let mut index: HashMap<(u8, &str), usize> = HashMap::new();
    for r in resolutions {
        let kind = match (r.cell, r.base_cell) {
            (Some(_), _) => 0,
            (None, Some(_)) => 1,
            (None, None) => 2,
        };
        match index.get(&(kind, r.message.as_str())) {
            Some(&k) if kind != 2 => groups[k].0 += 1,
            _ => {
                index.insert((kind, r.message.as_str()), groups.len());
                groups.push((1, r));
            }
        }
    }
    groups
        .into_iter()
        .map(|(n, r)| {
            if n == 1 {
                r.line()
            } else {
                let what = if r.cell.is_some() {
                    "cells"
                } else {
                    "base cells"
                };
                format!("{} {what}: {}", thousands(n), r.message)
            }
        })
        .collect()
}

/// `7412` → `7,412`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Writes what the merge of `shown` (the user's file: `-o`, or git's `%P`)
/// did: why it fell back to a line merge, the resolutions (summarised unless
/// `verbose`), the conflicts left.
pub fn write(outcome: &Outcome, shown: &str, verbose: bool, err: &mut dyn Write) {
    let shown = crate::render::sanitize::visible(shown);
    if let Some(reason) = &outcome.fallback {
        let _ = writeln!(
            err,
            "nbdiff: {reason}; merged {shown} as plain text (line merge, like git merge-file)"
        );
    }
    let lines = if verbose {
        &outcome.details
    } else {
        &outcome.notes
    };
    for note in lines {
        let _ = writeln!(err, "nbdiff: {shown}: {note}");
    }
    if !verbose && outcome.details.len() > outcome.notes.len() {
        let _ = writeln!(
            err,
            "nbdiff: {shown}: {} resolutions by rule in all; --verbose or NBDIFF_VERBOSE=1 lists each",
            thousands(outcome.resolved)
        );
    }
    if outcome.conflicts > 0 {
        let _ = writeln!(
            err,
            "nbdiff: {shown}: {} conflict(s) left, each after a notice cell (search for <<<<<<<); in Jupyter keep one version of each and delete its notice cells, then `git add`",
            outcome.conflicts
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(cell: Option<usize>, base_cell: Option<usize>, message: &str) -> Resolution {
        Resolution {
            cell,
            base_cell,
            message: message.into(),
        }
    }

    #[test]
    fn same_kind_is_one_line_with_a_count() {
        let mut rs: Vec<Resolution> = (1..=7412)
            .map(|n| {
                r(
                    Some(n),
                    None,
                    "execution counts differ on both sides; kept local's",
                )
            })
            .collect();
        rs.push(r(Some(9000), None, "outputs differ on both sides; cleared"));
        rs.push(r(
            None,
            Some(3),
            "deleted on local; remote changed only derived data; deleted",
        ));
        rs.push(r(
            None,
            Some(5),
            "deleted on local; remote changed only derived data; deleted",
        ));
        rs.push(r(None, None, "notebook metadata/x differs"));
        assert_eq!(
            summarize(&rs),
            [
                "7,412 cells: execution counts differ on both sides; kept local's",
                "cell 9000: outputs differ on both sides; cleared",
                "2 base cells: deleted on local; remote changed only derived data; deleted",
                "notebook metadata/x differs",
            ]
        );
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
    }
}
