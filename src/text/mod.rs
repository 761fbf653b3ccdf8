//! Text algorithms over `&str`: lines, line diff, word diff, three-way merge.
//!
//! Everything here works on plain text and returns values; the notebook diff and
//! merge build on it, and renderers turn the values into output.
//!
//! - [`lines`]: split text into lines that keep their endings (zero-copy).
//! - [`line_diff`]: line diff as a list of steps, hunks with context.
//! - [`words`]: which words of a changed line differ, for inline highlighting.
//! - [`merge3`]: three-way line merge with git's (`git merge-file`) semantics,
//!   and a renderer for conflict markers.

#![deny(missing_docs)]

pub mod line_diff;
pub mod lines;
pub mod merge3;
mod myers;
pub mod words;

#[cfg(test)]
mod git_tests;
