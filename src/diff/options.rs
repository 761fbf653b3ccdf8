//! What the diff compares, and the volatile data it ignores by default.
//!
//! # Ignored by default (shown with `--show-all`)
//!
//! Data that changes every time a notebook is run, or when it is merely
//! viewed, and says nothing about what the notebook does:
//!
//! - execution counts: cell `execution_count` (nbformat 3: `prompt_number`)
//!   and the `execution_count` of `execute_result` outputs;
//! - execution timing in cell metadata: `metadata.execution` (JupyterLab),
//!   `metadata.ExecuteTime` (jupyter_contrib "ExecuteTime"),
//!   `metadata.papermill.{start_time,end_time,duration,status}`, and in the
//!   notebook metadata `metadata.papermill.{start_time,end_time,duration}`;
//! - view state in cell metadata: `metadata.collapsed`, `metadata.scrolled`,
//!   `metadata.jupyter.outputs_hidden`, `metadata.jupyter.source_hidden`;
//! - Google Colab's per-run stamps in cell metadata: `metadata.executionInfo`,
//!   `metadata.outputId`, and its view state `metadata.colab`;
//! - stamps of the kernel that last ran the notebook, in the notebook
//!   metadata: `metadata.language_info.version`, and the saved widget state
//!   `metadata.widgets` (rewritten on every run that displays a widget).
//!
//! The lists below are the single source of truth; `--help` repeats them.

/// Cell-metadata paths ignored by default (a path and everything below it).
pub const VOLATILE_CELL_METADATA: &[&str] = &[
    "metadata.execution",
    "metadata.ExecuteTime",
    "metadata.papermill.start_time",
    "metadata.papermill.end_time",
    "metadata.papermill.duration",
    "metadata.papermill.status",
    "metadata.collapsed",
    "metadata.scrolled",
    "metadata.jupyter.outputs_hidden",
    "metadata.jupyter.source_hidden",
    "metadata.executionInfo",
    "metadata.outputId",
    "metadata.colab",
];

/// Notebook-metadata paths ignored by default.
pub const VOLATILE_NOTEBOOK_METADATA: &[&str] = &[
    "metadata.papermill.start_time",
    "metadata.papermill.end_time",
    "metadata.papermill.duration",
    "metadata.language_info.version",
    "metadata.widgets",
];

/// The `--help` text describing what is ignored by default.
pub const VOLATILE_HELP: &str = "Ignored by default (use --show-all to see): execution counts \
(execution_count, v3 prompt_number, output execution_count); timing metadata \
(metadata.execution, ExecuteTime, papermill start_time/end_time/duration/status); \
view state (metadata.collapsed, scrolled, jupyter.outputs_hidden, jupyter.source_hidden); \
Colab stamps (metadata.executionInfo, outputId, colab); kernel version stamp \
(notebook metadata.language_info.version) and saved widget state (metadata.widgets).";

/// Switches of the semantic diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffOptions {
    /// Do not compare outputs at all.
    pub ignore_outputs: bool,
    /// Do not compare notebook, cell or output metadata.
    pub ignore_metadata: bool,
    /// Do not compare cell ids (and do not align cells by id).
    pub ignore_ids: bool,
    /// Lines that differ only in whitespace are equal.
    pub ignore_whitespace: bool,
    /// Also compare the volatile data ignored by default.
    pub show_all: bool,
}

impl DiffOptions {
    /// True when `path` (e.g. `metadata.jupyter.outputs_hidden`) is ignored in
    /// a cell's metadata.
    pub fn ignores_cell_path(&self, path: &str) -> bool {
        !self.show_all && VOLATILE_CELL_METADATA.iter().any(|p| covers(p, path))
    }

    /// True when `path` is ignored in the notebook metadata.
    pub fn ignores_notebook_path(&self, path: &str) -> bool {
        !self.show_all && VOLATILE_NOTEBOOK_METADATA.iter().any(|p| covers(p, path))
    }
}

/// True when `prefix` is `path` or an ancestor of it.
fn covers(prefix: &str, path: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volatile_paths_cover_their_children_only() {
        let o = DiffOptions::default();
        assert!(o.ignores_cell_path("metadata.execution.iopub.status.busy"));
        assert!(o.ignores_cell_path("metadata.collapsed"));
        assert!(!o.ignores_cell_path("metadata.collapsedx"));
        assert!(!o.ignores_cell_path("metadata.tags"));
        let all = DiffOptions {
            show_all: true,
            ..o
        };
        assert!(!all.ignores_cell_path("metadata.execution"));
    }

    #[test]
    fn kernel_version_stamp_is_volatile_but_the_language_is_not() {
        let o = DiffOptions::default();
        assert!(o.ignores_notebook_path("metadata.language_info.version"));
        assert!(!o.ignores_notebook_path("metadata.language_info.name"));
        assert!(
            o.ignores_notebook_path("metadata.widgets.application/vnd.jupyter.widget-state+json")
        );
        assert!(o.ignores_cell_path("metadata.executionInfo.elapsed"));
    }
}
