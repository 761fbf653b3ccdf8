//! nbdiff: semantic diff and merge for Jupyter notebooks.
//!
//! See `ARCHITECTURE.md` for the map of modules.
#![deny(missing_docs)]

pub mod check;
pub mod clean;
pub mod cli;
pub mod compare;
pub mod diff;
pub mod exit;
pub mod git;
pub mod hash;
mod lis;
pub mod merge;
pub mod notebook;
pub mod par;
pub mod policy;
pub mod project;
pub mod render;
pub mod resolve;
pub mod text;
pub mod write;
