//! Reading several notebooks at once, and letting go of them cheaply.
//!
//! Parsing is the largest single cost of a diff or merge of big notebooks
//! (JSON into a tree of `Value`s), and the two or three inputs are
//! independent: above [`PARALLEL_MIN_BYTES`] they are parsed on scoped threads.
//! Freeing those trees costs a fifth of a run on large inputs; [`free_later`]
//! moves that off the critical path.

use super::{LoadError, Notebook};
use crate::par::each;
use std::path::Path;

/// Inputs smaller than this in total are parsed on the calling thread: a
/// thread costs tens of microseconds, parsing 256 KB about a millisecond.
pub const PARALLEL_MIN_BYTES: u64 = 256 * 1024;

/// Values whose inputs were smaller than this are dropped in place.
const FREE_LATER_MIN_BYTES: u64 = 1 << 20;

/// Parses notebooks from bytes (`(bytes, name)` each), in parallel when they
/// are big enough for it to pay. Same results as [`Notebook::parse`] on each
/// (or [`Notebook::parse_keeping_raw`] with `keep_raw`).
pub fn parse_many<const N: usize>(
    inputs: [(&[u8], &str); N],
    keep_raw: bool,
) -> [Result<Notebook, LoadError>; N] {
    let total: u64 = inputs.iter().map(|(b, _)| b.len() as u64).sum();
    each(inputs, total >= PARALLEL_MIN_BYTES, |(bytes, name)| {
        if keep_raw {
            Notebook::parse_keeping_raw(bytes, name)
        } else {
            Notebook::parse(bytes, name)
        }
    })
}

/// Reads and parses notebook files, in parallel when they are big enough for
/// it to pay. Same results as [`Notebook::read`] on each.
pub fn read_many<const N: usize>(paths: [&Path; N]) -> [Result<Notebook, LoadError>; N] {
    let total: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    each(paths, total >= PARALLEL_MIN_BYTES, Notebook::read)
}

/// Drops `value` on a background thread when the inputs it came from were
/// large (`input_bytes`), else right here. Freeing millions of JSON nodes
/// takes as long as a fifth of the run; the caller usually exits right after,
/// and the OS then reclaims the memory wholesale.
pub fn free_later<T: Send + 'static>(value: T, input_bytes: u64) {
    if input_bytes < FREE_LATER_MIN_BYTES {
        return;
    }
    // If no thread can be started, the value is dropped here as usual.
    let _ = std::thread::Builder::new()
        .name("nbdiff-free".into())
        .spawn(move || drop(value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_many_matches_parse() {
        let good = br#"{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        let big = {
            let cell = r#"{"cell_type": "markdown", "metadata": {}, "source": "x"}"#;
            let cells = vec![cell; 8000].join(", ");
            format!(
                r#"{{"cells": [{cells}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}"#
            )
        };
        assert!(big.len() as u64 >= PARALLEL_MIN_BYTES);
        let [a, b, c] = parse_many(
            [
                (good.as_slice(), "a"),
                (b"not json".as_slice(), "b"),
                (big.as_bytes(), "c"),
            ],
            false,
        );
        assert_eq!(a.map(|n| n.cells().len()).ok(), Some(0));
        assert!(b.is_err_and(|e| e.to_string().starts_with("b:")));
        assert_eq!(c.map(|n| n.cells().len()).ok(), Some(8000));
    }
}
