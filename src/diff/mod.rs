//! The semantic diff of two notebooks, as a value.
//!
//! [`diff_notebooks`] aligns the cells ([`align`]) and compares each pair
//! field by field: source as a line diff with word ranges ([`lines`]),
//! outputs by kind ([`output`], [`image`]), metadata as JSON paths
//! ([`json_paths`]), skipping the volatile data the [`crate::policy`] table hides. Nothing
//! here renders: see `crate::render`. [`nbdime`] builds the complete
//! machine diff in nbdime's format instead.

pub mod align;
pub mod image;
pub mod json_paths;
pub mod lines;
pub mod nbdime;
pub mod options;
pub mod output;
pub mod similarity;
pub mod stale;
pub mod table;
pub mod verdict;

use crate::notebook::{same_map, same_opt, Cell, Notebook};
use crate::policy::Scope;
use align::{CellKey, Step};
use image::ImageInfo;
use json_paths::JsonChange;
use lines::TextDiff;
pub use options::DiffOptions;
use output::OutputChange;
use serde_json::Value;
pub use stale::StaleOutput;
use std::borrow::Cow;
pub use verdict::{FileChange, Verdict};

/// The differences between two notebooks. Borrows from both.
#[derive(Debug, Clone)]
pub struct NotebookDiff<'a> {
    /// `(nbformat, nbformat_minor)` before and after, when they differ.
    pub format: Option<((u64, u64), (u64, u64))>,
    /// Notebook metadata changes (paths start with `metadata`).
    pub metadata: Vec<JsonChange<'a>>,
    /// Every cell of both notebooks, in display order (new notebook's order,
    /// deleted cells where they stood).
    pub cells: Vec<CellDiff<'a>>,
    /// Cells whose outputs may be stale ([`stale`]), in order.
    pub stale: Vec<StaleOutput>,
    /// What happened to the file (set by the caller that knows: an added or
    /// deleted file, a rename); [`FileChange::Modified`] from [`diff_notebooks`].
    pub file: FileChange,
    /// The file's mode changed (set by the caller that knows).
    pub mode_changed: bool,
}

/// What happened to a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellStatus {
    /// Same on both sides (modulo ignored data); may still have moved.
    Unchanged,
    /// Changed in place or moved and changed.
    Modified,
    /// Only in the new notebook.
    Added,
    /// Only in the old notebook.
    Deleted,
}

impl CellStatus {
    /// The word renderers show: `added`, `deleted`, `modified`, `unchanged`.
    pub fn name(self) -> &'static str {
        match self {
            CellStatus::Unchanged => "unchanged",
            CellStatus::Modified => "modified",
            CellStatus::Added => "added",
            CellStatus::Deleted => "deleted",
        }
    }
}

/// A changed attachment (`attachments.<name>.<mime>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentChange {
    /// The attachment name (e.g. `image.png`).
    pub name: String,
    /// The MIME type.
    pub mime: String,
    /// The old data.
    pub old: Option<ImageInfo>,
    /// The new data.
    pub new: Option<ImageInfo>,
}

/// One cell's entry in the diff.
#[derive(Debug, Clone)]
pub struct CellDiff<'a> {
    /// What happened.
    pub status: CellStatus,
    /// 0-based position in the old notebook.
    pub old_index: Option<usize>,
    /// 0-based position in the new notebook.
    pub new_index: Option<usize>,
    /// The cell changed position relative to the others.
    pub moved: bool,
    /// The old cell.
    pub old: Option<Cell<'a>>,
    /// The new cell.
    pub new: Option<Cell<'a>>,
    /// `(old, new)` cell type when it changed.
    pub cell_type: Option<(&'a str, &'a str)>,
    /// The source diff when the source changed (whole source for added/deleted cells).
    pub source: Option<TextDiff<'a>>,
    /// Changed outputs.
    pub outputs: Vec<OutputChange<'a>>,
    /// Changed metadata, id, execution count and other fields.
    pub fields: Vec<JsonChange<'a>>,
    /// Changed attachments.
    pub attachments: Vec<AttachmentChange>,
}

impl CellDiff<'_> {
    /// True when the entry is worth showing (changed, added, deleted or moved).
    pub fn is_interesting(&self) -> bool {
        self.status != CellStatus::Unchanged || self.moved
    }

    /// The cell type (new side first).
    pub fn cell_type_name(&self) -> &str {
        self.new.or(self.old).map_or("", |c| c.cell_type())
    }
}

/// Summary counts of a diff.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffStats {
    /// Cells only in the new notebook.
    pub added: usize,
    /// Cells only in the old notebook.
    pub deleted: usize,
    /// Cells changed (moved or not).
    pub modified: usize,
    /// Cells that moved (changed or not).
    pub moved: usize,
    /// Changed outputs over all modified cells.
    pub outputs_changed: usize,
}

impl NotebookDiff<'_> {
    /// True when the notebooks are equal (modulo ignored data).
    pub fn is_empty(&self) -> bool {
        !self.notebook_changed()
            && self.stale.is_empty()
            && !self.cells.iter().any(CellDiff::is_interesting)
    }

    /// True when the notebook itself changed: its format version or metadata.
    pub fn notebook_changed(&self) -> bool {
        self.format.is_some() || !self.metadata.is_empty()
    }

    /// Counts of added, deleted, modified and moved cells and changed outputs.
    pub fn stats(&self) -> DiffStats {
        let mut s = DiffStats::default();
        for c in &self.cells {
            match c.status {
                CellStatus::Added => s.added += 1,
                CellStatus::Deleted => s.deleted += 1,
                CellStatus::Modified => s.modified += 1,
                CellStatus::Unchanged => {}
            }
            if c.moved {
                s.moved += 1;
            }
            s.outputs_changed += c.outputs.len();
        }
        s
    }
}

/// Diffs two notebooks.
pub fn diff_notebooks<'a>(
    old: &'a Notebook,
    new: &'a Notebook,
    opts: &DiffOptions,
) -> NotebookDiff<'a> {
    let format = ((old.major, old.minor) != (new.major, new.minor))
        .then_some(((old.major, old.minor), (new.major, new.minor)));
    let mut metadata = Vec::new();
    if !opts.ignore_metadata {
        json_paths::changes(
            &mut "metadata".to_string(),
            old.root.get("metadata"),
            new.root.get("metadata"),
            &opts.hide_in(Scope::Notebook),
            &mut metadata,
        );
    }
    let old_cells = old.cells();
    let new_cells = new.cells();
    let cells = diff_cells(&old_cells, &new_cells, opts);
    let stale = if opts.ignore_outputs {
        Vec::new()
    } else {
        stale::stale_outputs(&cells, crate::check::deps::is_python(new))
    };
    NotebookDiff {
        format,
        metadata,
        cells,
        stale,
        file: FileChange::Modified,
        mode_changed: false,
    }
}

/// Cell lists at least this long (both sides together) are prepared and
/// compared on two threads.
const PARALLEL_MIN_CELLS: usize = 4000;

/// Aligns and compares two cell lists.
pub fn diff_cells<'a>(old: &[Cell<'a>], new: &[Cell<'a>], opts: &DiffOptions) -> Vec<CellDiff<'a>> {
    let parallel = old.len() + new.len() >= PARALLEL_MIN_CELLS;
    let sources =
        |cells: &[Cell<'a>]| -> Vec<Cow<'a, str>> { cells.iter().map(Cell::source).collect() };
    let (old_src, new_src) = crate::par::join(parallel, || sources(old), || sources(new));
    let alignment = align::align(
        &cell_keys(old, &old_src, opts.ignore_ids),
        &cell_keys(new, &new_src, opts.ignore_ids),
    );
    crate::par::map(parallel, &alignment.steps(), |step| match *step {
        Step::Pair(i, j) => diff_pair(
            old[i],
            new[j],
            (&old_src[i], &new_src[j]),
            i,
            j,
            false,
            opts,
        ),
        Step::Moved(i, j) => {
            diff_pair(old[i], new[j], (&old_src[i], &new_src[j]), i, j, true, opts)
        }
        Step::Deleted(i) => one_sided(old[i], &old_src[i], i, false, opts),
        Step::Inserted(j) => one_sided(new[j], &new_src[j], j, true, opts),
    })
}

fn cell_keys<'s>(cells: &[Cell<'s>], src: &'s [Cow<'_, str>], no_ids: bool) -> Vec<CellKey<'s>> {
    cells
        .iter()
        .zip(src)
        .map(|(c, s)| CellKey {
            id: if no_ids { None } else { c.id() },
            cell_type: c.cell_type(),
            source: s,
        })
        .collect()
}

/// An added or deleted cell; `source` is its joined source.
fn one_sided<'a>(
    cell: Cell<'a>,
    source: &Cow<'a, str>,
    index: usize,
    added: bool,
    opts: &DiffOptions,
) -> CellDiff<'a> {
    let empty = Cow::Borrowed("");
    let source = if added {
        TextDiff::new(empty, source.clone(), false)
    } else {
        TextDiff::new(source.clone(), empty, false)
    };
    let outputs = if opts.ignore_outputs {
        Vec::new()
    } else if added {
        output::compare(&[], &cell.outputs(), opts)
    } else {
        output::compare(&cell.outputs(), &[], opts)
    };
    CellDiff {
        status: if added {
            CellStatus::Added
        } else {
            CellStatus::Deleted
        },
        old_index: (!added).then_some(index),
        new_index: added.then_some(index),
        moved: false,
        old: (!added).then_some(cell),
        new: added.then_some(cell),
        cell_type: None,
        source: Some(source),
        outputs,
        fields: Vec::new(),
        attachments: Vec::new(),
    }
}

/// Keys compared specially (not as plain fields).
const SPECIAL_KEYS: &[&str] = &[
    "cell_type",
    "source",
    "input",
    "outputs",
    "metadata",
    "id",
    "execution_count",
    "prompt_number",
    "attachments",
];

/// A matched pair of cells; `(sa, sb)` are their sources, joined once by
/// [`diff_cells`] for the alignment.
fn diff_pair<'a>(
    a: Cell<'a>,
    b: Cell<'a>,
    (sa, sb): (&Cow<'a, str>, &Cow<'a, str>),
    i: usize,
    j: usize,
    moved: bool,
    opts: &DiffOptions,
) -> CellDiff<'a> {
    let mut d = CellDiff {
        status: CellStatus::Unchanged,
        old_index: Some(i),
        new_index: Some(j),
        moved,
        old: Some(a),
        new: Some(b),
        cell_type: None,
        source: None,
        outputs: Vec::new(),
        fields: Vec::new(),
        attachments: Vec::new(),
    };
    // Byte-identical cells (the common case) cost one comparison.
    if same_map(a.map, b.map) {
        return d;
    }
    if a.cell_type() != b.cell_type() {
        d.cell_type = Some((a.cell_type(), b.cell_type()));
    }
    if sa != sb {
        let diff = TextDiff::new(sa.clone(), sb.clone(), opts.ignore_whitespace);
        if !diff.is_unchanged() {
            d.source = Some(diff);
        }
    }
    if !opts.ignore_outputs && !same_opt(a.map.get("outputs"), b.map.get("outputs")) {
        d.outputs = output::compare(&a.outputs(), &b.outputs(), opts);
    }
    if !opts.ignore_metadata {
        json_paths::changes(
            &mut "metadata".to_string(),
            a.map.get("metadata"),
            b.map.get("metadata"),
            &opts.hide_in(Scope::Cell),
            &mut d.fields,
        );
    }
    let field = |key: &str, d: &mut CellDiff<'a>| {
        json_paths::changes(
            &mut key.to_string(),
            a.map.get(key),
            b.map.get(key),
            &opts.hide_in(Scope::Cell),
            &mut d.fields,
        );
    };
    if !opts.ignore_ids {
        field("id", &mut d);
    }
    // Hidden by the policy unless --show-all.
    field(a.execution_count_key(), &mut d);
    for key in a
        .map
        .keys()
        .chain(b.map.keys().filter(|k| !a.map.contains_key(*k)))
    {
        if !SPECIAL_KEYS.contains(&key.as_str()) {
            field(key, &mut d);
        }
    }
    if !same_opt(a.map.get("attachments"), b.map.get("attachments")) {
        d.attachments = diff_attachments(a.attachments(), b.attachments());
    }
    let changed = d.cell_type.is_some()
        || d.source.is_some()
        || !d.outputs.is_empty()
        || !d.fields.is_empty()
        || !d.attachments.is_empty();
    if changed {
        d.status = CellStatus::Modified;
    }
    d
}

fn diff_attachments(
    a: Option<&serde_json::Map<String, Value>>,
    b: Option<&serde_json::Map<String, Value>>,
) -> Vec<AttachmentChange> {
    let empty = serde_json::Map::new();
    let (a, b) = (a.unwrap_or(&empty), b.unwrap_or(&empty));
    let mut out = Vec::new();
    let names = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k)));
    for name in names {
        let (ba, bb) = (
            a.get(name).and_then(Value::as_object),
            b.get(name).and_then(Value::as_object),
        );
        let (ba, bb) = (ba.unwrap_or(&empty), bb.unwrap_or(&empty));
        for mime in ba.keys().chain(bb.keys().filter(|k| !ba.contains_key(*k))) {
            let (va, vb) = (ba.get(mime), bb.get(mime));
            let reencoded = matches!((va, vb), (Some(x), Some(y)) if image::is_base64_mime(mime) && image::same_payload(x, y));
            if va != vb && !reencoded {
                out.push(AttachmentChange {
                    name: name.clone(),
                    mime: mime.clone(),
                    old: va.map(|v| image::summarize(mime, v)),
                    new: vb.map(|v| image::summarize(mime, v)),
                });
            }
        }
    }
    out
}
