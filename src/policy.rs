//! The volatile-data policy: one table naming every field nbdiff treats as
//! noise (or deliberately does not), and what each consumer does with it.
//!
//! Each row is a field path relative to its [`Scope`] (the notebook, a cell or
//! an output), written with dots (`metadata.jupyter.outputs_hidden`), and one
//! column per consumer:
//!
//! - [`DiffRule`]: hidden by the diff by default (shown with `--show-all`);
//! - [`MergeRule`]: how the merge settles the field when both sides changed
//!   it differently (local's value with a note, or with the outputs, or an
//!   ordinary key-by-key merge with conflicts);
//! - [`CleanRule`]: whether the `clean` filter strips it;
//!
//! plus a reason a person can read. [`DEFAULT_FIELDS`] is the table;
//! `docs/volatile.md` and the `--help` text are generated from it (and tested
//! against it). A [`Policy`] is the table plus the user's own paths (git
//! config `nbdiff.ignore`, the project file's `ignore = [...]`, found by the
//! command layer and handed here as plain [`UserPaths`]: this module reads no
//! configuration), each of which is hidden, settled to local's and stripped.
//!
//! A path is decided by the most specific row that covers it (the row's path
//! or an ancestor of it): `metadata.language_info.version` is hidden while the
//! rest of `metadata.language_info` is shown. Consumers ask with the path
//! syntax they already build: the diff with dots (`[...]` for unusual keys),
//! the merge with slashes; matching allocates nothing.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Which object a field path is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The notebook's top-level object (`metadata`, `nbformat`...).
    Notebook,
    /// A cell object.
    Cell,
    /// An output object.
    Output,
}

impl Scope {
    /// The prefix naming this scope in user-written paths (`cell.metadata.x`);
    /// notebook paths have none (`metadata.x`), as in nbstripout's `extra_keys`.
    pub fn prefix(self) -> &'static str {
        match self {
            Scope::Notebook => "",
            Scope::Cell => "cell.",
            Scope::Output => "output.",
        }
    }
}

/// What the diff does with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffRule {
    /// Not compared unless `--show-all` is given.
    Hidden,
    /// Compared and shown.
    Shown,
}

/// What the merge does with a field both sides changed differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeRule {
    /// Resolved automatically to local's value, with a note.
    TakeLocal,
    /// Derived from the run: settled with the outputs, by the outputs policy
    /// (`--outputs`), never a conflict of its own.
    WithOutputs,
    /// Merged key by key like any content; a conflict when both sides
    /// changed the same value differently.
    Merge,
}

/// What the `clean` filter does with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CleanRule {
    /// Stripped by default (a required field, such as an execution count, is
    /// set to `null` instead of removed).
    Strip,
    /// Stripped only when asked (outputs).
    StripWhenAsked,
    /// Kept.
    Keep,
}

/// The kind of data a row describes (groups the `--help` text and the docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Counters of how often the kernel ran.
    ExecutionCounts,
    /// Outputs of code cells.
    Outputs,
    /// When and how long cells ran.
    Timings,
    /// How the notebook was being looked at (collapsed, scrolled, hidden).
    ViewState,
    /// Stamps of the kernel that ran the notebook.
    KernelStamps,
    /// Saved state of interactive widgets.
    WidgetState,
    /// Stamps an editor or notebook service writes on save.
    EditorStamps,
    /// Listed by the user (git config `nbdiff.ignore`, the project file).
    User,
}

impl Kind {
    /// How the kind is named in `--help` and the docs.
    pub fn name(self) -> &'static str {
        match self {
            Kind::ExecutionCounts => "execution counts",
            Kind::Outputs => "outputs",
            Kind::Timings => "timings",
            Kind::ViewState => "view state",
            Kind::KernelStamps => "kernel stamps",
            Kind::WidgetState => "widget state",
            Kind::EditorStamps => "editor stamps",
            Kind::User => "your own paths",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The object the path is relative to.
    pub scope: Scope,
    /// The path with dots, e.g. `metadata.jupyter.outputs_hidden` (a key
    /// holding a dot cannot be named).
    pub path: Cow<'static, str>,
    /// What kind of data it is.
    pub kind: Kind,
    /// What the diff does.
    pub diff: DiffRule,
    /// What the merge does.
    pub merge: MergeRule,
    /// What `clean` does.
    pub clean: CleanRule,
    /// Why, in a sentence.
    pub reason: Cow<'static, str>,
}

impl Field {
    /// The path as a user writes it: `cell.metadata.execution`,
    /// `metadata.widgets` (notebook), `output.execution_count`.
    pub fn qualified_path(&self) -> String {
        format!("{}{}", self.scope.prefix(), self.path)
    }
}

const fn row(
    scope: Scope,
    path: &'static str,
    kind: Kind,
    (diff, merge, clean): (DiffRule, MergeRule, CleanRule),
    reason: &'static str,
) -> Field {
    Field {
        scope,
        path: Cow::Borrowed(path),
        kind,
        diff,
        merge,
        clean,
        reason: Cow::Borrowed(reason),
    }
}

/// Noise: hidden by the diff, local's in a merge, stripped by `clean`.
const NOISE: (DiffRule, MergeRule, CleanRule) =
    (DiffRule::Hidden, MergeRule::TakeLocal, CleanRule::Strip);
/// Noise `clean` keeps (editor stamps: harmless, and some editors want them back).
const NOISE_KEPT: (DiffRule, MergeRule, CleanRule) =
    (DiffRule::Hidden, MergeRule::TakeLocal, CleanRule::Keep);
/// Derived from running: hidden, settled with the outputs, stripped.
const RUN_COUNTER: (DiffRule, MergeRule, CleanRule) =
    (DiffRule::Hidden, MergeRule::WithOutputs, CleanRule::Strip);
/// Content the diff shows but the merge settles to local's (see the rows).
const SHOWN_LOCAL: (DiffRule, MergeRule, CleanRule) =
    (DiffRule::Shown, MergeRule::TakeLocal, CleanRule::Keep);
/// Considered and deliberately treated as content.
const CONTENT: (DiffRule, MergeRule, CleanRule) =
    (DiffRule::Shown, MergeRule::Merge, CleanRule::Keep);

use Kind::*;
use Scope::{Cell, Notebook, Output};

/// The built-in table, each field once.
pub const DEFAULT_FIELDS: &[Field] = &[
    // Execution counts and outputs.
    row(
        Cell,
        "execution_count",
        ExecutionCounts,
        RUN_COUNTER,
        "counts kernel runs; changes every time the cell runs",
    ),
    row(
        Cell,
        "prompt_number",
        ExecutionCounts,
        RUN_COUNTER,
        "nbformat 3's execution count",
    ),
    row(
        Output,
        "execution_count",
        ExecutionCounts,
        RUN_COUNTER,
        "the execution count repeated in an execute_result output",
    ),
    row(
        Output,
        "prompt_number",
        ExecutionCounts,
        RUN_COUNTER,
        "nbformat 3's execution count in a pyout output",
    ),
    row(
        Cell,
        "outputs",
        Outputs,
        (
            DiffRule::Shown,
            MergeRule::WithOutputs,
            CleanRule::StripWhenAsked,
        ),
        "what running the cell produced: the diff shows it (--ignore-outputs hides it), \
         the merge follows the outputs policy, clean strips it only when asked",
    ),
    // Timings.
    row(
        Cell,
        "metadata.execution",
        Timings,
        NOISE,
        "JupyterLab's record-timing stamps (iopub.execute_input, shell.execute_reply...)",
    ),
    row(
        Cell,
        "metadata.ExecuteTime",
        Timings,
        NOISE,
        "the ExecuteTime extension's start and end times",
    ),
    row(
        Cell,
        "metadata.papermill",
        Timings,
        NOISE,
        "papermill's record of one run of the cell (start, end, duration, status, exception)",
    ),
    row(
        Cell,
        "metadata.executionInfo",
        Timings,
        NOISE,
        "Google Colab's record of the last run (user, time, elapsed)",
    ),
    row(
        Notebook,
        "metadata.papermill.start_time",
        Timings,
        NOISE,
        "when papermill started the run",
    ),
    row(
        Notebook,
        "metadata.papermill.end_time",
        Timings,
        NOISE,
        "when papermill ended the run",
    ),
    row(
        Notebook,
        "metadata.papermill.duration",
        Timings,
        NOISE,
        "how long papermill's run took",
    ),
    row(
        Notebook,
        "metadata.papermill.exception",
        Timings,
        NOISE,
        "whether papermill's run raised",
    ),
    // View state.
    row(
        Cell,
        "metadata.collapsed",
        ViewState,
        NOISE,
        "outputs collapsed in the classic notebook",
    ),
    row(
        Cell,
        "metadata.scrolled",
        ViewState,
        NOISE,
        "outputs scrolled in the classic notebook",
    ),
    row(
        Cell,
        "metadata.jupyter.outputs_hidden",
        ViewState,
        NOISE,
        "outputs collapsed in JupyterLab",
    ),
    row(
        Cell,
        "metadata.jupyter.source_hidden",
        ViewState,
        NOISE,
        "source collapsed in JupyterLab",
    ),
    row(
        Cell,
        "metadata.colab",
        ViewState,
        NOISE,
        "Google Colab's display state of the cell",
    ),
    row(
        Notebook,
        "metadata.toc",
        ViewState,
        NOISE,
        "the Table of Contents extension's panel state",
    ),
    row(
        Notebook,
        "metadata.varInspector",
        ViewState,
        NOISE,
        "the Variable Inspector extension's panel state",
    ),
    // Kernel stamps.
    row(
        Notebook,
        "metadata.language_info.version",
        KernelStamps,
        NOISE,
        "the interpreter version of the machine that last ran the notebook",
    ),
    row(
        Notebook,
        "metadata.language_info",
        KernelStamps,
        SHOWN_LOCAL,
        "written by the kernel on every run: the diff shows a change of language, \
         the merge keeps local's (the kernel of the machine merging)",
    ),
    row(
        Notebook,
        "metadata.kernelspec",
        KernelStamps,
        SHOWN_LOCAL,
        "the kernel the notebook asks for: the diff shows a change, the merge keeps \
         local's (two people with different kernels must still merge), clean keeps it",
    ),
    // Widget state.
    row(
        Notebook,
        "metadata.widgets",
        WidgetState,
        NOISE,
        "saved widget state, rewritten on every run that displays a widget",
    ),
    // Editor stamps.
    row(
        Cell,
        "metadata.outputId",
        EditorStamps,
        NOISE_KEPT,
        "Google Colab's id of the last output",
    ),
    row(
        Cell,
        "metadata.pycharm",
        EditorStamps,
        NOISE_KEPT,
        "PyCharm's cell stamps (is_executing)",
    ),
    row(
        Notebook,
        "metadata.vscode",
        EditorStamps,
        NOISE_KEPT,
        "VS Code's hash of the interpreter that last ran the notebook",
    ),
    row(
        Notebook,
        "metadata.interpreter",
        EditorStamps,
        NOISE_KEPT,
        "the interpreter hash some editors save",
    ),
    row(
        Notebook,
        "metadata.colab",
        EditorStamps,
        NOISE_KEPT,
        "Google Colab's provenance, name and display stamps",
    ),
    row(
        Notebook,
        "metadata.accelerator",
        EditorStamps,
        NOISE_KEPT,
        "the Colab runtime of the last session",
    ),
    row(
        Notebook,
        "metadata.gpuClass",
        EditorStamps,
        NOISE_KEPT,
        "the Colab GPU class of the last session",
    ),
    // Considered, and content.
    row(
        Cell,
        "metadata.vscode",
        EditorStamps,
        CONTENT,
        "VS Code's cell language (languageId): changing it changes what the cell is",
    ),
    row(
        Notebook,
        "metadata.papermill",
        Timings,
        CONTENT,
        "papermill's parameters and paths are content; only the run stamps above are noise",
    ),
];

/// Where matching a user path failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: cannot ignore {path:?}: {why}")]
pub struct PathError {
    /// Where the path came from (`git config nbdiff.ignore`, a file).
    pub origin: String,
    /// The path as written.
    pub path: String,
    /// What is wrong with it.
    pub why: &'static str,
}

/// The table plus the user's paths: what every consumer asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    fields: Vec<Field>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            fields: DEFAULT_FIELDS.to_vec(),
        }
    }
}

impl Policy {
    /// The built-in table only.
    pub fn defaults() -> Policy {
        Policy::default()
    }

    /// Adds the user's paths, written as `metadata.KEY…` (a key of the
    /// notebook's metadata) or `cell.metadata.KEY…` (a key of a cell's
    /// metadata): each is hidden by the diff, resolved to local's by the
    /// merge and stripped by `clean`. A user path equal to a built-in one
    /// overrides it. `origin` names where the paths came from, for errors
    /// and for the reason column.
    ///
    /// Refused, so that no configuration can hide content from a review or
    /// make `clean` write a notebook nbformat rejects ([`refusal`]): whole
    /// metadata objects, anything outside metadata (sources, outputs,
    /// attachments, ids, the notebook's structure), anything inside an
    /// output, the fields nbformat requires inside metadata
    /// (`metadata.kernelspec.name`…), and keys the diff cannot name (other
    /// characters than letters, digits, `_`, `-`, `/`).
    pub fn with_user_paths<'p>(
        mut self,
        origin: &str,
        paths: impl IntoIterator<Item = &'p str>,
    ) -> Result<Policy, PathError> {
        for written in paths {
            self.add_user_path(origin, written)?;
        }
        Ok(self)
    }

    /// The table plus every list's paths, in the order given (git config
    /// `nbdiff.ignore` first, then the project file's `ignore`: they add
    /// up), each path as [`Policy::with_user_paths`] takes it; a path that
    /// cannot be ignored is skipped and returned, naming its list's origin.
    /// The lists are resolved by the command layer (`cli::settings::ignore`):
    /// this module reads no git config and no project file.
    pub fn with_user_lists(mut self, lists: &[UserPaths]) -> (Policy, Vec<PathError>) {
        let mut refused = Vec::new();
        for list in lists {
            for path in &list.paths {
                if let Err(e) = self.add_user_path(&list.origin, path) {
                    refused.push(e);
                }
            }
        }
        (self, refused)
    }

    /// Adds one user path, or says why it cannot be ignored (nothing added).
    fn add_user_path(&mut self, origin: &str, written: &str) -> Result<(), PathError> {
        let written = written.trim();
        let err = |why| PathError {
            origin: origin.to_string(),
            path: written.to_string(),
            why,
        };
        let (scope, path) = if let Some(p) = written.strip_prefix("cell.") {
            (Scope::Cell, p)
        } else if let Some(p) = written.strip_prefix("output.") {
            (Scope::Output, p)
        } else {
            (Scope::Notebook, written)
        };
        if let Some(why) = refusal(scope, path) {
            return Err(err(why));
        }
        self.fields.push(Field {
            scope,
            path: Cow::Owned(path.to_string()),
            kind: Kind::User,
            diff: DiffRule::Hidden,
            merge: MergeRule::TakeLocal,
            clean: CleanRule::Strip,
            reason: Cow::Owned(format!("listed in {origin}")),
        });
        Ok(())
    }

    /// Every row, built-in first, then the user's.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The rows `clean` strips: [`CleanRule::Strip`], plus
    /// [`CleanRule::StripWhenAsked`] when `outputs_too`.
    pub fn fields_to_clean(&self, outputs_too: bool) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(move |f| match f.clean {
            CleanRule::Strip => true,
            CleanRule::StripWhenAsked => outputs_too,
            CleanRule::Keep => false,
        })
    }

    /// The row deciding `path` (dot syntax, as the diff builds it: keys
    /// joined by `.`, unusual keys and indexes as `[...]`): the most specific
    /// row of `scope` whose path is `path` or an ancestor of it.
    pub fn classify(&self, scope: Scope, path: &str) -> Option<&Field> {
        self.classify_with(scope, path, '.')
    }

    /// [`classify`](Self::classify) for paths joined by `sep` (the merge
    /// joins keys with `/`).
    pub fn classify_with(&self, scope: Scope, path: &str, sep: char) -> Option<&Field> {
        let mut best: Option<&Field> = None;
        for f in &self.fields {
            if f.scope == scope
                && covers(&f.path, path, sep)
                && best.is_none_or(|b| f.path.len() >= b.path.len())
            {
                best = Some(f);
            }
        }
        best
    }

    /// True when the diff hides `path` (dot syntax) by default.
    pub fn diff_hides(&self, scope: Scope, path: &str) -> bool {
        self.classify(scope, path)
            .is_some_and(|f| f.diff == DiffRule::Hidden)
    }

    /// True when `value`, found at `path` (dot syntax) of an object in
    /// `scope`, holds a path strictly below `path` that the diff hides by
    /// default: `{"outputs_hidden": false}` at a cell's `metadata.jupyter`.
    /// The diff then compares `value` key by key, so that a hidden key never
    /// shows through its parent (see `diff::json_paths::changes`).
    pub fn holds_hidden(&self, scope: Scope, path: &str, value: &serde_json::Value) -> bool {
        self.fields.iter().any(|f| {
            f.scope == scope
                && f.diff == DiffRule::Hidden
                && f.path
                    .strip_prefix(path)
                    .and_then(|rest| rest.strip_prefix('.'))
                    .is_some_and(|rest| holds_keys(value, rest))
                && self.diff_hides(scope, &f.path)
        })
    }

    /// True when the merge resolves `path` (slash syntax) to local's value
    /// when both sides changed it differently.
    pub fn merge_takes_local(&self, scope: Scope, path: &str) -> bool {
        self.classify_with(scope, path, '/')
            .is_some_and(|f| f.merge == MergeRule::TakeLocal)
    }
}

/// Why the user path `path` (relative to `scope`, prefix removed) cannot be
/// ignored, or `None` when it can. Only keys inside the metadata of the
/// notebook or of a cell can: the rest is content a review must show, or
/// a field nbformat requires, which `clean` would then remove.
pub fn refusal(scope: Scope, path: &str) -> Option<&'static str> {
    let keys: Vec<&str> = path.split('.').collect();
    if keys.iter().any(|k| k.is_empty()) {
        return Some("expected keys separated by dots, e.g. cell.metadata.tags");
    }
    if scope == Scope::Output {
        return Some(
            "outputs are content: nothing inside an output can be ignored \
             (--ignore-outputs hides outputs from the diff; `clean --outputs strip` strips them)",
        );
    }
    match (scope, keys.as_slice()) {
        (_, ["metadata"]) => {
            return Some(
                "a whole metadata object cannot be ignored: it is required; \
                 name a key in it (metadata.KEY, cell.metadata.KEY)",
            )
        }
        (Scope::Cell, ["source" | "input", ..]) => {
            return Some("cell sources are content and cannot be ignored")
        }
        (Scope::Cell, ["outputs", ..]) => {
            return Some(
                "outputs are content: --ignore-outputs hides them from the diff; \
                 `clean --outputs strip` strips them",
            )
        }
        (Scope::Cell, ["attachments", ..]) => {
            return Some(
                "attachments are content (the images a markdown cell shows) and cannot be ignored",
            )
        }
        (Scope::Cell, [first, ..]) if *first != "metadata" => {
            return Some(
                "only keys of a cell's metadata can be ignored (cell.metadata.KEY); \
                 the cell's other fields are its content or required by nbformat",
            )
        }
        (Scope::Notebook, [first, ..]) if *first != "metadata" => {
            return Some(
                "only keys of the notebook's metadata can be ignored (metadata.KEY, or \
                 cell.metadata.KEY for cells); the rest is the notebook's structure",
            )
        }
        (
            Scope::Notebook,
            ["metadata", "kernelspec", "name" | "display_name"]
            | ["metadata", "language_info", "name"],
        ) => {
            return Some(
                "nbformat requires this field while its object is there; \
                 ignore the whole object (metadata.kernelspec, metadata.language_info) instead",
            )
        }
        _ => {}
    }
    if !keys.iter().all(|k| plain_key(k)) {
        return Some(
            "keys are letters, digits, `_`, `-` or `/`: a key holding other characters, \
             or a list index, cannot be named",
        );
    }
    None
}

/// A key the diff writes as itself in a path (`diff::json_paths::push_key`;
/// others are written `["…"]`), so that a path the user writes is the path
/// the diff builds.
pub fn plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '/')
}

/// The user's paths from one source, as the command layer found them
/// (`cli::settings::ignore`: git config `nbdiff.ignore`, the project file's
/// `ignore = [...]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPaths {
    /// The source, as refusals and the reason column name it
    /// (`git config nbdiff.ignore`, `pyproject.toml (tool.nbdiff.ignore)`).
    pub origin: String,
    /// The paths as written.
    pub paths: Vec<String>,
}

/// True when `value` holds the dotted chain of object keys `keys`.
fn holds_keys(value: &serde_json::Value, keys: &str) -> bool {
    let mut at = value;
    for key in keys.split('.') {
        match at.get(key) {
            Some(inner) if at.is_object() => at = inner,
            _ => return false,
        }
    }
    true
}

/// True when `prefix` (dot syntax) is `path` or an ancestor of it, `path`
/// joining keys with `sep` (and, with `.`, writing unusual keys as `[...]`).
fn covers(prefix: &str, path: &str, sep: char) -> bool {
    let mut rest = path;
    for (i, key) in prefix.split('.').enumerate() {
        if i > 0 {
            match rest.strip_prefix(sep) {
                Some(r) => rest = r,
                None => return false,
            }
        }
        match rest.strip_prefix(key) {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty() || rest.starts_with(sep) || (sep == '.' && rest.starts_with('['))
}

/// The `--help` paragraph on what the diff hides by default, from the table.
pub fn diff_help(policy: &Policy) -> String {
    let mut text = String::from("Hidden by default (--show-all shows them):");
    let mut kinds: Vec<Kind> = Vec::new();
    for f in policy.fields() {
        if f.diff == DiffRule::Hidden && !kinds.contains(&f.kind) {
            kinds.push(f.kind);
        }
    }
    for (i, kind) in kinds.iter().enumerate() {
        let paths: Vec<String> = policy
            .fields()
            .iter()
            .filter(|f| f.kind == *kind && f.diff == DiffRule::Hidden)
            .map(Field::qualified_path)
            .collect();
        let sep = if i == 0 { " " } else { "; " };
        let _ = write!(text, "{sep}{} ({})", kind.name(), paths.join(", "));
    }
    text.push_str(
        ". A hidden key never shows through its parent (an object holding only hidden \
         keys is no change), and whatever `clean` strips is hidden. Add your own keys inside \
         metadata with `git config --add nbdiff.ignore cell.metadata.KEY` or \
         `ignore = [...]` in [tool.nbdiff] (docs/volatile.md).",
    );
    text
}

/// The table as Markdown (`docs/volatile.md` holds it; a test keeps them equal).
pub fn markdown_table(policy: &Policy) -> String {
    let mut md = String::from(
        "| path | kind | diff | merge (both sides changed it) | clean | why |\n\
         |---|---|---|---|---|---|\n",
    );
    for f in policy.fields() {
        let diff = match f.diff {
            DiffRule::Hidden => "hidden (`-a` shows)",
            DiffRule::Shown => "shown",
        };
        let merge = match f.merge {
            MergeRule::TakeLocal => "local's, noted",
            MergeRule::WithOutputs => "with the outputs (`--outputs`)",
            MergeRule::Merge => "merged; may conflict",
        };
        let clean = match f.clean {
            CleanRule::Strip => "stripped",
            CleanRule::StripWhenAsked => "stripped when asked",
            CleanRule::Keep => "kept",
        };
        let _ = writeln!(
            md,
            "| `{}` | {} | {diff} | {merge} | {clean} | {} |",
            f.qualified_path(),
            f.kind.name(),
            f.reason
        );
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_path_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for f in DEFAULT_FIELDS {
            assert!(
                seen.insert((f.scope, &f.path)),
                "{} twice",
                f.qualified_path()
            );
        }
    }

    #[test]
    fn paths_cover_their_children_only() {
        let p = Policy::defaults();
        assert!(p.diff_hides(Scope::Cell, "metadata.execution.iopub.status.busy"));
        assert!(p.diff_hides(Scope::Cell, "metadata.collapsed"));
        assert!(!p.diff_hides(Scope::Cell, "metadata.collapsedx"));
        assert!(!p.diff_hides(Scope::Cell, "metadata.tags"));
        assert!(p.diff_hides(Scope::Cell, "metadata.execution[\"odd key\"]"));
        assert!(p.merge_takes_local(Scope::Cell, "metadata/execution/iopub"));
        assert!(!p.merge_takes_local(Scope::Cell, "metadata/executionx"));
        assert!(!p.merge_takes_local(Scope::Cell, "metadata.execution"));
    }

    #[test]
    fn the_most_specific_row_decides() {
        let p = Policy::defaults();
        assert!(p.diff_hides(Scope::Notebook, "metadata.language_info.version"));
        assert!(!p.diff_hides(Scope::Notebook, "metadata.language_info.name"));
        assert!(!p.diff_hides(Scope::Notebook, "metadata.language_info"));
        assert!(p.merge_takes_local(Scope::Notebook, "metadata/language_info/name"));
        assert!(p.diff_hides(Scope::Notebook, "metadata.papermill.duration"));
        assert!(!p.diff_hides(Scope::Notebook, "metadata.papermill.parameters"));
        assert!(!p.merge_takes_local(Scope::Notebook, "metadata/papermill/parameters"));
    }

    #[test]
    fn scopes_are_separate() {
        let p = Policy::defaults();
        assert!(p.diff_hides(Scope::Cell, "metadata.papermill.exception"));
        assert!(!p.diff_hides(Scope::Notebook, "metadata.papermill.parameters"));
        assert!(!p.diff_hides(Scope::Cell, "metadata.widgets"));
        assert!(p.diff_hides(Scope::Output, "execution_count"));
        assert!(!p.diff_hides(Scope::Cell, "outputs"));
    }

    #[test]
    fn user_paths_are_hidden_resolved_and_stripped() {
        let p = Policy::defaults()
            .with_user_paths(
                "git config nbdiff.ignore",
                ["cell.metadata.slideshow", "metadata.authors"],
            )
            .expect("valid paths");
        assert!(p.diff_hides(Scope::Cell, "metadata.slideshow.slide_type"));
        assert!(!p.diff_hides(Scope::Notebook, "metadata.slideshow"));
        assert!(p.merge_takes_local(Scope::Notebook, "metadata/authors"));
        assert!(p
            .fields_to_clean(false)
            .any(|f| f.qualified_path() == "cell.metadata.slideshow"));
        // A user path overrides the built-in row it repeats.
        let p = Policy::defaults()
            .with_user_paths("x", ["metadata.kernelspec"])
            .expect("valid");
        assert!(p.diff_hides(Scope::Notebook, "metadata.kernelspec.name"));
    }

    #[test]
    fn bad_user_paths_are_refused_with_their_origin() {
        // Each class the issue names, and why.
        for (bad, why) in [
            ("", "keys separated by dots"),
            ("cell.", "keys separated by dots"),
            ("metadata..x", "keys separated by dots"),
            ("output.text", "outputs are content"),
            ("output.data", "outputs are content"),
            ("output.output_type", "outputs are content"),
            ("output.metadata", "outputs are content"),
            ("output.metadata.isolated", "outputs are content"),
            ("cell.outputs", "outputs are content"),
            ("cell.attachments", "attachments are content"),
            ("cell.attachments.a.png", "attachments are content"),
            ("metadata", "whole metadata object"),
            ("cell.metadata", "whole metadata object"),
            ("cell.source", "sources are content"),
            ("cell.input", "sources are content"),
            ("cell.cell_type", "only keys of a cell's metadata"),
            ("cell.id", "only keys of a cell's metadata"),
            ("cell.execution_count", "only keys of a cell's metadata"),
            ("cells", "only keys of the notebook's metadata"),
            ("nbformat", "only keys of the notebook's metadata"),
            ("worksheets", "only keys of the notebook's metadata"),
            ("authors", "only keys of the notebook's metadata"),
            ("metadata.kernelspec.name", "nbformat requires"),
            ("metadata.kernelspec.display_name", "nbformat requires"),
            ("metadata.language_info.name", "nbformat requires"),
            ("cell.metadata.tags[0]", "cannot be named"),
            ("cell.metadata.my key", "cannot be named"),
        ] {
            let e = Policy::defaults()
                .with_user_paths("pyproject.toml (tool.nbdiff.ignore)", [bad])
                .expect_err(bad);
            let text = e.to_string();
            assert!(
                text.starts_with(&format!(
                    "pyproject.toml (tool.nbdiff.ignore): cannot ignore {bad:?}: "
                )),
                "{text}"
            );
            assert!(text.contains(why), "{bad}: {text}");
        }
    }

    #[test]
    fn user_lists_add_up_in_order_and_skip_what_is_refused() {
        let lists = [
            UserPaths {
                origin: "git config nbdiff.ignore".into(),
                paths: vec!["cell.metadata.tags".into(), "cell.source".into()],
            },
            UserPaths {
                origin: "nbdiff.toml (ignore)".into(),
                paths: vec!["metadata.authors".into(), "cells".into()],
            },
        ];
        let (p, refused) = Policy::defaults().with_user_lists(&lists);
        assert!(p.diff_hides(Scope::Cell, "metadata.tags"));
        assert!(p.diff_hides(Scope::Notebook, "metadata.authors"));
        assert!(!p.diff_hides(Scope::Cell, "source"));
        let user: Vec<String> = p
            .fields()
            .iter()
            .filter(|f| f.kind == Kind::User)
            .map(|f| format!("{} {}", f.qualified_path(), f.reason))
            .collect();
        assert_eq!(
            user,
            [
                "cell.metadata.tags listed in git config nbdiff.ignore",
                "metadata.authors listed in nbdiff.toml (ignore)"
            ]
        );
        let refused: Vec<String> = refused.iter().map(|e| e.to_string()).collect();
        assert_eq!(refused.len(), 2, "{refused:?}");
        assert!(refused[0].starts_with("git config nbdiff.ignore: cannot ignore \"cell.source\""));
        assert!(refused[1].starts_with("nbdiff.toml (ignore): cannot ignore \"cells\""));
    }

    #[test]
    fn keys_inside_metadata_can_be_ignored() {
        let allowed = [
            "cell.metadata.tags",
            "cell.metadata.jupyter",
            "cell.metadata.slideshow.slide_type",
            "cell.metadata.my-tool/state",
            "metadata.kernelspec",
            "metadata.language_info",
            "metadata.authors",
            "metadata.kernelspec.language",
        ];
        let p = Policy::defaults()
            .with_user_paths("nbdiff.toml", allowed)
            .expect("allowed");
        assert!(p.diff_hides(Scope::Cell, "metadata.tags"));
        assert!(p.diff_hides(Scope::Notebook, "metadata.kernelspec.name"));
    }

    #[test]
    fn clean_strips_outputs_only_when_asked() {
        let p = Policy::defaults();
        let names = |asked| -> Vec<String> {
            p.fields_to_clean(asked)
                .map(Field::qualified_path)
                .collect()
        };
        assert!(!names(false).contains(&"cell.outputs".to_string()));
        assert!(names(true).contains(&"cell.outputs".to_string()));
        assert!(names(false).contains(&"cell.execution_count".to_string()));
        assert!(names(false).contains(&"metadata.widgets".to_string()));
        assert!(!names(false).contains(&"metadata.kernelspec".to_string()));
    }

    #[test]
    fn help_names_every_hidden_path_and_no_shown_one() {
        let p = Policy::defaults();
        let help = diff_help(&p);
        for f in p.fields().iter().filter(|f| f.diff == DiffRule::Hidden) {
            assert!(help.contains(&f.qualified_path()), "{}", f.qualified_path());
        }
        assert!(!help.contains("kernelspec"), "{help}");
        assert!(!help.contains("cell.outputs"), "{help}");
    }

    #[test]
    fn docs_volatile_md_holds_the_table() {
        const BEGIN: &str = "<!-- BEGIN generated by src/policy.rs -->\n";
        const END: &str = "<!-- END generated by src/policy.rs -->";
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/volatile.md");
        let doc = std::fs::read_to_string(&path).expect("docs/volatile.md exists");
        let (head, rest) = doc.split_once(BEGIN).expect("BEGIN marker");
        let (table, tail) = rest.split_once(END).expect("END marker");
        let want = markdown_table(&Policy::defaults());
        if table != want {
            if std::env::var_os("NBDIFF_BLESS").is_some() {
                std::fs::write(&path, format!("{head}{BEGIN}{want}{END}{tail}"))
                    .expect("write docs/volatile.md");
            } else {
                panic!("docs/volatile.md is stale; run NBDIFF_BLESS=1 cargo test");
            }
        }
    }
}
