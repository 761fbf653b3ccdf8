//! Three-way notebook merge and the git merge driver.
//!
//! # Pipeline
//! [`merge_bytes`] is the whole merge on raw file contents:
//! 1. byte shortcuts: LOCAL == REMOTE gives LOCAL; a side equal to BASE gives
//!    the other side, byte for byte;
//! 2. parse the three notebooks; if one is not a notebook we can merge (not
//!    JSON, not UTF-8, conflict markers, unknown or mixed nbformat), fall back
//!    to a plain line merge ([`fallback`]) and say why;
//! 3. [`merge_notebooks`] builds a [`MergeResult`] value: cells aligned
//!    three-way ([`cells`]), each cell merged ([`cell`]), metadata merged key by
//!    key ([`metadata`]);
//! 4. [`to_notebook::render`] writes the value as a notebook in local's style.
//!
//! # Rules
//! - Changes to different cells combine: edits, insertions, deletions, moves.
//!   The same change on both sides is taken once.
//! - A cell edited on both sides has its source merged by lines (diff3, as
//!   git); only overlapping edits conflict, and the cell is then written as
//!   two *versions* (local's, remote's) between markdown notice cells.
//! - A cell deleted on one side and edited on the other is kept as edited,
//!   after a notice cell. A cell that the other side only re-ran (outputs,
//!   timings) is deleted, with a note.
//! - A cell moved to different places on both sides is shown once, at local's
//!   place, and recorded as a conflict.
//! - Different cells inserted at the same place on both sides are all kept,
//!   local's first, between three notice cells (`<<<<<<<`, `=======`,
//!   `>>>>>>>`).
//! - Outputs and execution counts are derived: a side that changed them alone
//!   brings them; when both did, see [`OutputsPolicy`].
//! - Volatile metadata (timings, kernel and language stamps, view state)
//!   resolves to local's; `tags` merge as sets; other metadata conflicts keep
//!   local's value and are recorded.
//!
//! # Where conflicts are recorded
//! - Markdown *notice cells* ([`to_notebook`]) begin with git's marker written as
//!   an inline code span (length from `%L`): searchable, inert in Jupyter.
//!   Two versions of a cell sit between a `versions` and a `versions-middle`
//!   notice; insert/insert blocks between `start`/`middle`/`end` notices.
//! - Every other conflict (a cell moved to different places on both sides, a
//!   field changed differently) gets a *notice cell* before its cell (or
//!   first, for the notebook's own fields): what conflicts, each side's value
//!   between markers, how to resolve (`metadata.nbdiff.marker` = `conflict`);
//!   so that every conflict shows where Jupyter shows the notebook.
//! - `metadata.nbdiff.conflicts` of each conflicted cell: a list of
//!   `{"kind": "source", "hunks": N, "version": "local"|"remote"}`, `{"kind": "deleted-edited",
//!   "deleted_by": "local"|"remote"}`, `{"kind": "moved", "shown_at":
//!   "local"}`, or `{"kind": "field", "path":
//!   "metadata/…", "base": …, "local": …, "remote": …}` (absent values are
//!   left out; `outputs` conflicts carry only the path; values nested deeper
//!   than [`to_notebook::MAX_RECORDED_DEPTH`] are left out with an `"omitted"`
//!   note, so that the result stays within the JSON reader's depth limit).
//! - `metadata.nbdiff.conflicts` of the notebook for notebook-level fields.
//! - Notice cells carry `metadata.nbdiff.marker` (their role) and every
//!   record the conflict's number (`conflict`), so that records outliving
//!   their conflict are found and dropped ([`stale`]).
//!
//! Resolving a conflict means deleting the unwanted version and the notices;
//! the records left go with the clean filter, `clean` or `resolve`.

pub mod cell;
pub mod cells;
pub mod fallback;
pub mod leftover;
pub mod metadata;
pub mod model;
pub mod options;
pub mod order;
pub mod stale;
pub mod summary;
pub mod to_notebook;

pub use model::{MergeResult, Resolution, Side};
pub use options::{ConflictPolicy, ConflictStyle, Labels, Options, OutputsPolicy, MAX_MARKER_SIZE};

use crate::notebook::{free_later, parse_many, Notebook};
use crate::policy::Scope;
use metadata::{merge_map, Decisions, Volatile};
use serde_json::Value;

/// The outcome of [`merge_bytes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The merged file.
    pub bytes: Vec<u8>,
    /// Conflicts left for a person (0: clean).
    pub conflicts: usize,
    /// Lines for stderr, without a prefix: rule-based resolutions summarised
    /// per kind (see [`summary::summarize`]), then each conflict that has no
    /// markers in a source, one by one.
    pub notes: Vec<String>,
    /// The same, with every rule-based resolution on its own line (for
    /// `--verbose`).
    pub details: Vec<String>,
    /// Number of rule-based resolutions.
    pub resolved: usize,
    /// Why the notebook merge was not used, when the line merge ran instead.
    pub fallback: Option<String>,
}

/// The three inputs of a merge, with names for messages.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// BASE bytes and name.
    pub base: (&'a [u8], &'a str),
    /// LOCAL bytes and name.
    pub local: (&'a [u8], &'a str),
    /// REMOTE bytes and name.
    pub remote: (&'a [u8], &'a str),
}

/// Merges three files. Never fails: inputs that are not notebooks are merged
/// as text (see the module docs).
pub fn merge_bytes(inputs: Inputs<'_>, opts: &Options) -> Outcome {
    let bounded;
    let opts = if (1..=options::MAX_MARKER_SIZE).contains(&opts.marker_size) {
        opts
    } else {
        bounded = Options {
            marker_size: opts.marker_size.clamp(1, options::MAX_MARKER_SIZE),
            ..opts.clone()
        };
        &bounded
    };
    let (base, local, remote) = (inputs.base.0, inputs.local.0, inputs.remote.0);
    let take = |bytes: &[u8]| Outcome {
        bytes: bytes.to_vec(),
        conflicts: 0,
        notes: Vec::new(),
        details: Vec::new(),
        resolved: 0,
        fallback: None,
    };
    if local == remote || base == remote {
        return take(local);
    }
    if base == local {
        return take(remote);
    }
    let parsed = parse_many([inputs.base, inputs.local, inputs.remote], true);
    let reason = match parsed {
        [Ok(b), Ok(l), Ok(r)] if b.major == l.major && l.major == r.major => {
            let outcome = merge_parsed(&b, &l, &r, opts);
            let size = [base, local, remote].iter().map(|x| x.len() as u64).sum();
            free_later((b, l, r), size);
            return outcome;
        }
        [Ok(b), Ok(l), Ok(r)] => format!(
            "nbformat versions differ (base {}, local {}, remote {})",
            b.major, l.major, r.major
        ),
        [Err(e), _, _] | [_, Err(e), _] | [_, _, Err(e)] => e.to_string(),
    };
    let m = fallback::line_merge(base, local, remote, opts);
    Outcome {
        bytes: m.bytes,
        conflicts: m.conflicts,
        notes: Vec::new(),
        details: Vec::new(),
        resolved: 0,
        fallback: Some(reason),
    }
}

fn merge_parsed(b: &Notebook, l: &Notebook, r: &Notebook, opts: &Options) -> Outcome {
    let result = merge_notebooks(b, l, r, opts);
    let unmarked = unmarked_conflicts(&result);
    let mut notes = summary::summarize(&result.resolutions);
    notes.extend(unmarked.iter().cloned());
    let mut details: Vec<String> = result.resolutions.iter().map(Resolution::line).collect();
    details.extend(unmarked);
    let conflicts = result.conflict_count();
    let resolved = result.resolutions.len();
    // The result is consumed: its cells move into the notebook, uncopied.
    let nb = to_notebook::render(result, l, opts);
    Outcome {
        bytes: nb.to_bytes_reusing(&[l, r, b]),
        conflicts,
        notes,
        details,
        resolved,
        fallback: None,
    }
}

/// One line for each conflict that has no markers in a source, so that the
/// user hears of it (it is also recorded under the `nbdiff` metadata key).
fn unmarked_conflicts(result: &MergeResult) -> Vec<String> {
    let mut out: Vec<String> = result
        .root_conflicts
        .iter()
        .map(|c| {
            format!(
                "notebook: conflict: {} changed differently on both sides; kept local's",
                c.path
            )
        })
        .collect();
    for (k, item) in result.items.iter().enumerate() {
        let model::Item::Cell(c) = item else { continue };
        for f in &c.field_conflicts {
            out.push(format!(
                "cell {}: conflict: {} changed differently on both sides; kept local's",
                k + 1,
                f.path
            ));
        }
        if c.cell_conflict == Some(model::CellConflict::Moved) {
            out.push(format!(
                "cell {}: conflict: moved to different places on both sides; shown at local's place",
                k + 1
            ));
        }
    }
    out
}

/// Merges three parsed notebooks of the same major version into a value.
pub fn merge_notebooks(
    base: &Notebook,
    local: &Notebook,
    remote: &Notebook,
    opts: &Options,
) -> MergeResult {
    let mut resolutions = Vec::new();
    let mut d = Decisions::default();
    let mut root = merge_map(
        Some(&base.root),
        &local.root,
        &remote.root,
        "",
        &["cells", "worksheets"],
        Volatile {
            policy: &opts.policy,
            scope: Scope::Notebook,
        },
        opts.conflicts,
        &mut d,
    );
    // A newer minor version on one side is an upgrade both can take.
    if let Some(pos) = d.conflicts.iter().position(|c| c.path == "nbformat_minor") {
        let c = d.conflicts.remove(pos);
        let max = [&c.local, &c.remote]
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
            .max();
        if let Some(max) = max {
            root.insert("nbformat_minor".into(), Value::from(max));
            d.notes
                .push(format!("nbformat_minor differs on both sides; took {max}"));
        }
    }
    resolutions.extend(d.notes.into_iter().map(|message| Resolution {
        cell: None,
        base_cell: None,
        message: format!("notebook {message}"),
    }));
    let mut notes = Vec::new();
    let mut items = cells::merge_cells(
        &base.cells(),
        &local.cells(),
        &remote.cells(),
        local.is_v3(),
        opts,
        &mut notes,
    );
    if !d.conflicts.is_empty() {
        // The notebook's own conflicts are shown by a notice cell on top.
        items.insert(
            0,
            model::Item::Notice(model::Notice::Notebook(d.conflicts.clone())),
        );
        for n in &mut notes {
            n.cell = n.cell.map(|c| c + 1);
        }
    }
    resolutions.extend(notes);
    let mut result = MergeResult {
        root,
        root_conflicts: d.conflicts,
        items,
        resolutions,
    };
    // No out-of-order execution counts that neither side had.
    if let Some(note) = order::keep_in_order(&mut result, local, remote, local.is_v3()) {
        result.resolutions.push(note);
    }
    result
}
