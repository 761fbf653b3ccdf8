//! nbdiff: semantic diff and merge for Jupyter notebooks.
//!
//! See `ARCHITECTURE.md` for the map of modules.

pub mod text;
