//! What the diff compares. The volatile data it hides by default (shown with
//! `--show-all`) is not listed here: [`crate::policy`] holds the one table
//! the diff, the merge and `clean` share.

use super::json_paths::Hide;
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

    /// What [`crate::diff::json_paths::changes`] leaves out of objects in `scope`.
    pub fn hide_in(&self, scope: Scope) -> Hides<'_> {
        Hides { opts: self, scope }
    }
}

/// The paths hidden in one [`Scope`] under some [`DiffOptions`]
/// ([`DiffOptions::hide_in`]).
#[derive(Debug, Clone, Copy)]
pub struct Hides<'o> {
    opts: &'o DiffOptions,
    scope: Scope,
}

impl Hide for Hides<'_> {
    fn prunes(&self, path: &str) -> bool {
        self.opts.hides(self.scope, path)
    }

    fn holds_hidden(&self, path: &str, value: &serde_json::Value) -> bool {
        self.opts.policy.holds_hidden(self.scope, path, value)
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
        let opts = ignoring("cell.metadata.slideshow");
        assert!(crate::diff::diff_notebooks(&a, &b, &opts).is_empty());
    }

    fn cell_fields(a: &str, b: &str, opts: &DiffOptions) -> Vec<String> {
        let (a, b) = (notebook("{}", a), notebook("{}", b));
        let d = crate::diff::diff_notebooks(&a, &b, opts);
        let fields = d.cells.iter().flat_map(|c| c.fields.iter());
        fields.map(|f| f.path.clone()).collect()
    }

    /// The default options with the user path `path` ignored.
    fn ignoring(path: &str) -> DiffOptions {
        let policy = Policy::defaults()
            .with_user_paths("test", [path])
            .expect("valid path");
        DiffOptions {
            policy: Arc::new(policy),
            ..DiffOptions::default()
        }
    }

    fn show_all() -> DiffOptions {
        DiffOptions {
            show_all: true,
            ..DiffOptions::default()
        }
    }

    /// Issue 18: a hidden key must not show through the object holding it
    /// when that object is added, removed or replaced; `-a` names the hidden
    /// key itself.
    #[test]
    fn hidden_keys_do_not_show_through_their_parent() {
        let cases: &[(&str, &str, &[&str], &[&str])] = &[
            (
                "{}",
                r#"{"jupyter": {"outputs_hidden": false}}"#,
                &[],
                &["metadata.jupyter.outputs_hidden"],
            ),
            (
                r#"{"jupyter": {"source_hidden": true, "outputs_hidden": true}}"#,
                "{}",
                &[],
                &[
                    "metadata.jupyter.source_hidden",
                    "metadata.jupyter.outputs_hidden",
                ],
            ),
            // What is not hidden beside it is still shown, by its own path.
            (
                "{}",
                r#"{"jupyter": {"outputs_hidden": true, "mine": 1}}"#,
                &["metadata.jupyter.mine"],
                &["metadata.jupyter.outputs_hidden", "metadata.jupyter.mine"],
            ),
            // A value replaced by an object of hidden keys: the old value
            // was removed.
            (
                r#"{"jupyter": 5}"#,
                r#"{"jupyter": {"outputs_hidden": true}}"#,
                &["metadata.jupyter"],
                &["metadata.jupyter", "metadata.jupyter.outputs_hidden"],
            ),
            // An object that was empty to begin with is content.
            (
                "{}",
                r#"{"jupyter": {}}"#,
                &["metadata.jupyter"],
                &["metadata.jupyter"],
            ),
            // An object with nothing hidden is one change, as before.
            (
                "{}",
                r#"{"slideshow": {"slide_type": "slide"}}"#,
                &["metadata.slideshow"],
                &["metadata.slideshow"],
            ),
        ];
        for (a, b, default, all) in cases {
            let got = cell_fields(a, b, &DiffOptions::default());
            assert_eq!(got, *default, "{a} -> {b}");
            assert_eq!(cell_fields(a, b, &show_all()), *all, "-a: {a} -> {b}");
        }
    }

    /// An object emptied by the hiding, at any depth, is no change; so are
    /// objects of the notebook's metadata that held only hidden stamps.
    #[test]
    fn objects_holding_only_hidden_keys_are_no_change_at_any_depth() {
        let opts = ignoring("cell.metadata.a.b.c");
        let deep = r#"{"a": {"b": {"c": 1}}}"#;
        assert_eq!(cell_fields("{}", deep, &opts), Vec::<String>::new());
        let kept = r#"{"a": {"b": {"c": 1}, "d": 2}}"#;
        assert_eq!(cell_fields("{}", kept, &opts), ["metadata.a.d"]);

        let a = notebook("{}", "{}");
        for meta in [
            r#"{"language_info": {"version": "3.11.4"}}"#,
            r#"{"papermill": {"duration": 1.5, "start_time": "t", "end_time": "u", "exception": null}}"#,
        ] {
            let b = notebook(meta, "{}");
            let d = crate::diff::diff_notebooks(&a, &b, &DiffOptions::default());
            assert!(d.is_empty(), "{meta}: {:?}", d.metadata);
            assert!(!crate::diff::diff_notebooks(&a, &b, &show_all()).is_empty());
        }
    }
}
