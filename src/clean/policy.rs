//! What `nbdiff clean` strips: the boundary between the cleaner and the
//! project's volatile-data policy.
//!
//! TODO(policy table, issue 8): when the one volatile-data policy table lands,
//! these two functions read its `clean` column instead. Until then they read
//! the lists the diff ignores by default (`diff::options`), so that there is
//! exactly one list of volatile paths in the code base.

/// Cell-metadata paths (`metadata.…`, dotted) that clean removes: timings,
/// view state, Colab stamps.
pub fn cell_metadata() -> &'static [&'static str] {
    crate::diff::options::VOLATILE_CELL_METADATA
}

/// Notebook-metadata paths (`metadata.…`, dotted) that clean removes: kernel
/// version stamp, papermill timings, saved widget state.
pub fn notebook_metadata() -> &'static [&'static str] {
    crate::diff::options::VOLATILE_NOTEBOOK_METADATA
}
