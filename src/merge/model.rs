//! The merge as a value: merged cells, the conflicts left in them, and the
//! auto-resolutions made on the way. [`super::to_notebook`] turns it into a notebook.

use serde_json::{Map, Value};

/// One side of a three-way merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Ours (`%A`, the branch being merged into).
    Local,
    /// Theirs (`%B`, the branch being merged).
    Remote,
}

impl Side {
    /// `local` or `remote`.
    pub fn name(self) -> &'static str {
        match self {
            Side::Local => "local",
            Side::Remote => "remote",
        }
    }

    /// The other side.
    pub fn other(self) -> Side {
        match self {
            Side::Local => Side::Remote,
            Side::Remote => Side::Local,
        }
    }
}

/// A value-level conflict inside a cell or the notebook metadata: both sides
/// changed the same field differently. The merged document keeps local's value.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    /// JSON path of the field inside the cell or notebook, e.g. `metadata/tags`.
    pub path: String,
    /// The base value (`None`: absent).
    pub base: Option<Value>,
    /// Local's value (`None`: deleted).
    pub local: Option<Value>,
    /// Remote's value (`None`: deleted).
    pub remote: Option<Value>,
}

/// A piece of a cell source after the line merge (owned, so that the result
/// does not borrow from the inputs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceRegion {
    /// Merged text.
    Resolved(String),
    /// Lines both sides changed differently.
    Conflict {
        /// Base text of the conflicting lines.
        base: String,
        /// Local's text.
        local: String,
        /// Remote's text.
        remote: String,
        /// Markers end in CRLF.
        crlf: bool,
    },
}

/// A cell's source whose line merge left conflicts: the merged regions, to be
/// rendered with markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceConflict {
    /// The line-merge regions of the cell source.
    pub regions: Vec<SourceRegion>,
    /// Conflicting regions counted as source conflicts: the number of
    /// `Conflict` regions, except 0 for a deleted/edited cell, whose one
    /// region is counted once as its [`CellConflict::DeletedEdited`].
    pub hunks: usize,
    /// The base source and local's and remote's whole cells (outputs,
    /// execution count), for the two versions the renderer writes; `None`
    /// for a deleted/edited cell.
    pub sides: Option<Box<Sides>>,
}

/// What the renderer needs of each side to write a conflicted cell as two
/// versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sides {
    /// The base cell's source (empty when both sides added the cell).
    pub base_source: String,
    /// Local's cell.
    pub local: Map<String, Value>,
    /// Remote's cell.
    pub remote: Map<String, Value>,
}

/// Why a cell takes part in a structural conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellConflict {
    /// The cell was deleted on `deleted_by` and edited on the other side; the
    /// edited version is kept so that nothing is lost.
    DeletedEdited {
        /// The side that deleted the cell.
        deleted_by: Side,
    },
    /// Both sides moved the cell, to different places; it is shown at local's.
    Moved,
}

/// One merged cell.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedCell {
    /// The cell object. Its source is final unless `source_conflict` is set.
    pub cell: Map<String, Value>,
    /// The source key of this cell (`source`, or `input` for v3 code cells).
    pub source_key: &'static str,
    /// Conflicting source lines, rendered with markers.
    pub source_conflict: Option<SourceConflict>,
    /// Fields both sides changed differently (local's value kept).
    pub field_conflicts: Vec<FieldConflict>,
    /// A structural conflict this cell is part of.
    pub cell_conflict: Option<CellConflict>,
}

impl MergedCell {
    /// A cell taken as it is from one side.
    pub fn clean(cell: Map<String, Value>, source_key: &'static str) -> Self {
        MergedCell {
            cell,
            source_key,
            source_conflict: None,
            field_conflicts: Vec::new(),
            cell_conflict: None,
        }
    }
}

/// A conflict that has no markers in a source, shown by a raw *notice cell*
/// (so that every conflict is visible where Jupyter shows the notebook).
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The next cell's conflicts.
    Cell {
        /// It was moved to different places on both sides (and is shown at local's).
        moved: Option<Places>,
        /// Its fields both sides changed differently (local's values kept).
        fields: Vec<FieldConflict>,
    },
    /// Notebook-level fields both sides changed differently (local's values kept).
    Notebook(Vec<FieldConflict>),
}

/// Where each side has a cell, for a person: the first line of the cell
/// before it on that side (`None`: it is the first cell).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    /// In base.
    pub base: Option<String>,
    /// In local.
    pub local: Option<String>,
    /// In remote.
    pub remote: Option<String>,
}

/// An item of the merged cell list.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A merged cell.
    Cell(MergedCell),
    /// A notice cell making the conflict of the next cell (or of the notebook)
    /// visible.
    Notice(Notice),
    /// Both sides inserted different cells at the same place: the cells that
    /// follow up to [`Item::InsertEnd`] are local's, then remote's.
    InsertStart,
    /// Between local's and remote's inserted cells.
    InsertMiddle,
    /// After remote's inserted cells.
    InsertEnd,
}

/// Something a plain line merge would have conflicted on that the merge
/// resolved by a rule; reported on stderr, one line each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Merged cell number (1-based) the resolution is about.
    pub cell: Option<usize>,
    /// Base cell number (1-based), for a cell that is not in the result
    /// (deleted); `None` with `cell` also `None`: notebook-level.
    pub base_cell: Option<usize>,
    /// What was decided and why, without the cell.
    pub message: String,
}

impl Resolution {
    /// The resolution as one line: `cell 4: …`, `base cell 2: …` or the
    /// message alone.
    pub fn line(&self) -> String {
        match (self.cell, self.base_cell) {
            (Some(n), _) => format!("cell {n}: {}", self.message),
            (None, Some(b)) => format!("base cell {b}: {}", self.message),
            (None, None) => self.message.clone(),
        }
    }
}

/// The result of merging three notebooks, before rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeResult {
    /// The merged top-level object without the cells (local's key order).
    pub root: Map<String, Value>,
    /// Conflicts in notebook-level fields (metadata and others).
    pub root_conflicts: Vec<FieldConflict>,
    /// The merged cells in order, with structural conflict markers.
    pub items: Vec<Item>,
    /// Rule-based resolutions, for stderr.
    pub resolutions: Vec<Resolution>,
}

impl MergeResult {
    /// Number of conflicts left for a person (source hunks, field conflicts,
    /// deleted/edited cells, insert/insert blocks).
    pub fn conflict_count(&self) -> usize {
        let mut n = self.root_conflicts.len();
        for item in &self.items {
            match item {
                Item::Cell(c) => {
                    n += c.source_conflict.as_ref().map_or(0, |s| s.hunks);
                    n += c.field_conflicts.len();
                    n += usize::from(c.cell_conflict.is_some());
                }
                Item::InsertStart => n += 1,
                Item::InsertMiddle | Item::InsertEnd | Item::Notice(_) => {}
            }
        }
        n
    }
}
