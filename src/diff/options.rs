//! What the diff compares. The volatile data it hides by default (shown with
//! `--show-all`) is not listed here: [`crate::policy`] holds the one table
//! the diff, the merge and `clean` share.

use crate::policy::{Policy, Scope};
use std::sync::{Arc, LazyLock};

/// The built-in policy, shared by every default [`DiffOptions`].
static DEFAULT_POLICY: LazyLock<Arc<Policy>> = LazyLock::new(|| Arc::new(Policy::defaults()));

/// Switches of the semantic diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffOptions {
    /// Do not compare outputs at all.
    pub ignore_outputs: bool,
    /// Do not compare notebook, cell or output metadata.
    pub ignore_metadata: bool,
    /// Do not compare cell ids (and do not align cells by id).
    pub ignore_ids: bool,
    /// Lines that differ only in whitespace are equal.
    pub ignore_whitespace: bool,
    /// Also compare the data the policy hides by default.
    pub show_all: bool,
    /// Which fields are volatile (the built-in table plus the user's paths).
    pub policy: Arc<Policy>,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            ignore_outputs: false,
            ignore_metadata: false,
            ignore_ids: false,
            ignore_whitespace: false,
            show_all: false,
            policy: Arc::clone(&DEFAULT_POLICY),
        }
    }
}

impl DiffOptions {
    /// True when `path` (dot syntax, e.g. `metadata.jupyter.outputs_hidden`)
    /// of an object in `scope` is not compared.
    pub fn hides(&self, scope: Scope, path: &str) -> bool {
        !self.show_all && self.policy.diff_hides(scope, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_all_hides_nothing() {
        let o = DiffOptions::default();
        assert!(o.hides(Scope::Cell, "metadata.execution"));
        let all = DiffOptions {
            show_all: true,
            ..o
        };
        assert!(!all.hides(Scope::Cell, "metadata.execution"));
    }

    fn notebook(meta: &str, cell_meta: &str) -> crate::notebook::Notebook {
        let json = format!(
            r#"{{"cells": [{{"cell_type": "code", "execution_count": 1, "metadata": {cell_meta}, "outputs": [], "source": "x"}}], "metadata": {meta}, "nbformat": 4, "nbformat_minor": 4}}"#
        );
        crate::notebook::Notebook::parse(json.as_bytes(), "t.ipynb").expect("valid notebook")
    }

    #[test]
    fn editor_stamps_the_merge_resolves_are_hidden_by_the_diff_too() {
        let a = notebook(r#"{"vscode": {"interpreter": {"hash": "a"}}}"#, "{}");
        let b = notebook(r#"{"vscode": {"interpreter": {"hash": "b"}}}"#, "{}");
        let opts = DiffOptions::default();
        assert!(crate::diff::diff_notebooks(&a, &b, &opts).is_empty());
        let all = DiffOptions {
            show_all: true,
            ..DiffOptions::default()
        };
        assert!(!crate::diff::diff_notebooks(&a, &b, &all).is_empty());
    }

    #[test]
    fn user_paths_hide_cell_metadata() {
        let a = notebook("{}", r#"{"slideshow": {"slide_type": "slide"}}"#);
        let b = notebook("{}", r#"{"slideshow": {"slide_type": "skip"}}"#);
        assert!(!crate::diff::diff_notebooks(&a, &b, &DiffOptions::default()).is_empty());
        let policy = Policy::defaults()
            .with_user_paths("test", ["cell.metadata.slideshow"])
            .expect("valid path");
        let opts = DiffOptions {
            policy: Arc::new(policy),
            ..DiffOptions::default()
        };
        assert!(crate::diff::diff_notebooks(&a, &b, &opts).is_empty());
    }
}
