//! The cell-list merge: which cells the result has, in which order.
//!
//! Base↔local and base↔remote are aligned with [`crate::diff::align`]. Each
//! side's cells that are matched to base and in order are *anchors*; every
//! other cell of a side (inserted, or moved) *floats* after the last anchor
//! before it. The result walks base in order: a base cell kept in order on
//! both sides stays where it is, then come the floating cells of both sides
//! attached after it. So insertions, deletions and moves on different cells
//! combine, and a cell moved on one side lands where that side put it.
//!
//! Where both sides have floating cells after the same anchor, the two lists
//! are merged by identity (the same base cell, or a new cell with the same
//! type and source): common cells once, one-sided runs as they are, and runs
//! of *new* cells inserted by both sides between the same neighbours become an
//! insert/insert conflict with both runs kept, local's first.

use super::cell::{edited, merge_cell};
use super::model::{
    CellConflict, Item, MergedCell, Notice, Places, Resolution, Side, SourceConflict, SourceRegion,
};
use super::options::{ConflictPolicy, Options};
use crate::diff::align::{align, content_hash, Alignment, CellKey};
use crate::notebook::{same_map, Cell};
use std::borrow::Cow;

/// A planned cell of the result, before its content is merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Base cell `b`, present on both sides.
    Both { b: usize, l: usize, r: usize },
    /// Base cell `b`, moved to different places on both sides (shown at local's).
    MovedBoth { b: usize, l: usize, r: usize },
    /// A cell only one side has (inserted there).
    Only { side: Side, idx: usize },
    /// A new cell both sides inserted with the same type and source.
    NewBoth { l: usize, r: usize },
    /// Base cell `b` deleted on `side.other()`, kept by `side` at `idx`.
    Kept { b: usize, side: Side, idx: usize },
    /// A structural marker.
    Start,
    /// A structural marker.
    Middle,
    /// A structural marker.
    End,
}

/// An entry of a side's floating list, identified across sides.
#[derive(Debug, Clone, Copy)]
struct Float {
    side: Side,
    idx: usize,
    base: Option<usize>,
    content: u64,
}

/// What makes two floats the same entry: the base cell they stand for, or,
/// for new cells, their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum FloatKey {
    Base(usize),
    New(u64),
}

impl Float {
    fn key(&self) -> FloatKey {
        match self.base {
            Some(b) => FloatKey::Base(b),
            None => FloatKey::New(self.content),
        }
    }
}

struct Sides<'c, 'a> {
    base: &'c [Cell<'a>],
    local: &'c [Cell<'a>],
    remote: &'c [Cell<'a>],
    al: Alignment,
    ar: Alignment,
}

impl<'c, 'a> Sides<'c, 'a> {
    fn cells(&self, side: Side) -> &'c [Cell<'a>] {
        match side {
            Side::Local => self.local,
            Side::Remote => self.remote,
        }
    }
    fn alignment(&self, side: Side) -> &Alignment {
        match side {
            Side::Local => &self.al,
            Side::Remote => &self.ar,
        }
    }
    /// Where `side` has base cell `b`, and whether it moved it.
    fn has(&self, side: Side, b: usize) -> Option<(usize, bool)> {
        let a = self.alignment(side);
        let j = a.old_to_new.get(b).copied().flatten()?;
        Some((j, a.moved.get(b).copied().unwrap_or(false)))
    }
}

/// The alignment keys of `cells`, whose joined sources are `texts`.
pub(crate) fn keys<'k>(cells: &[Cell<'k>], texts: &'k [Cow<'_, str>]) -> Vec<CellKey<'k>> {
    cells
        .iter()
        .zip(texts)
        .map(|(c, t)| CellKey {
            id: c.id(),
            cell_type: c.cell_type(),
            source: t,
        })
        .collect()
}

/// Merges three cell lists into the result's items. Resolutions are pushed
/// with their output cell number; those about cells that are not in the
/// output (deleted) name the base cell instead. A conflict without markers in
/// a source gets an [`Item::Notice`] before its cell.
pub fn merge_cells(
    base: &[Cell<'_>],
    local: &[Cell<'_>],
    remote: &[Cell<'_>],
    v3: bool,
    opts: &Options,
    notes: &mut Vec<Resolution>,
) -> Vec<Item> {
    // Sources joined once (alignment and the floats' identity borrow them);
    // a single-string source is borrowed, not copied.
    fn joined<'a>(cells: &[Cell<'a>]) -> Vec<Cow<'a, str>> {
        cells.iter().map(Cell::source).collect()
    }
    let (jb, jl, jr) = (joined(base), joined(local), joined(remote));
    let (kb, kl, kr) = (keys(base, &jb), keys(local, &jl), keys(remote, &jr));
    let sides = Sides {
        base,
        local,
        remote,
        al: align(&kb, &kl),
        ar: align(&kb, &kr),
    };
    let mut planner = Planner {
        sides: &sides,
        opts,
        plans: Vec::with_capacity(local.len().max(remote.len()) + 4),
        notes: Vec::new(),
    };
    let floats_l = floats(&sides.al, Side::Local, &kl, base.len());
    let floats_r = floats(&sides.ar, Side::Remote, &kr, base.len());
    for slot in 0..=base.len() {
        if slot > 0 {
            let b = slot - 1;
            match (sides.has(Side::Local, b), sides.has(Side::Remote, b)) {
                (Some((l, false)), Some((r, false))) => planner.plans.push(Plan::Both { b, l, r }),
                (None, Some((r, false))) => planner.one_deleted(b, Side::Remote, r),
                (Some((l, false)), None) => planner.one_deleted(b, Side::Local, l),
                _ => {} // deleted on both sides, or moved: placed with the floats
            }
        }
        planner.merge_floats(&floats_l[slot], &floats_r[slot]);
    }
    let Planner {
        plans,
        notes: pending,
        ..
    } = planner;
    // Content pass.
    let mut items = Vec::with_capacity(plans.len());
    let mut cell_notes: Vec<String> = Vec::new();
    for plan in plans {
        let mut moved = None;
        let item = match plan {
            Plan::Start => Item::InsertStart,
            Plan::Middle => Item::InsertMiddle,
            Plan::End => Item::InsertEnd,
            Plan::Both { b, l, r } => Item::Cell(merge_cell(
                Some(base[b]),
                local[l],
                remote[r],
                v3,
                opts,
                &mut cell_notes,
            )),
            Plan::MovedBoth { b, l, r } => {
                let mut m = merge_cell(
                    Some(base[b]),
                    local[l],
                    remote[r],
                    v3,
                    opts,
                    &mut cell_notes,
                );
                m.cell_conflict = Some(CellConflict::Moved);
                moved = Some(Places {
                    base: place(base, b),
                    local: place(local, l),
                    remote: place(remote, r),
                });
                Item::Cell(m)
            }
            Plan::NewBoth { l, r } => Item::Cell(merge_cell(
                None,
                local[l],
                remote[r],
                v3,
                opts,
                &mut cell_notes,
            )),
            Plan::Only { side, idx } => {
                let c = sides.cells(side)[idx];
                Item::Cell(MergedCell::clean(c.map.clone(), c.source_key()))
            }
            Plan::Kept { b, side, idx } => {
                let c = sides.cells(side)[idx];
                let mut m = MergedCell::clean(c.map.clone(), c.source_key());
                if opts.conflicts == ConflictPolicy::Mark {
                    let src = c.source().into_owned();
                    let (l, r) = match side {
                        Side::Local => (src, String::new()),
                        Side::Remote => (String::new(), src),
                    };
                    let crlf = l.contains("\r\n") || r.contains("\r\n");
                    m.source_conflict = Some(SourceConflict {
                        regions: vec![SourceRegion::Conflict {
                            base: base[b].source().into_owned(),
                            local: l,
                            remote: r,
                            crlf,
                        }],
                        hunks: 0,
                        sides: None,
                    });
                    m.cell_conflict = Some(CellConflict::DeletedEdited {
                        deleted_by: side.other(),
                    });
                }
                Item::Cell(m)
            }
        };
        if let Item::Cell(c) = &item {
            let fields: Vec<_> = c
                .field_conflicts
                .iter()
                .filter(|f| f.path != "outputs") // marked in the outputs themselves
                .cloned()
                .collect();
            if moved.is_some() || !fields.is_empty() {
                items.push(Item::Notice(Notice::Cell { moved, fields }));
            }
        }
        let number = items.len() + 1;
        notes.extend(cell_notes.drain(..).map(|message| Resolution {
            cell: Some(number),
            base_cell: None,
            message,
        }));
        items.push(item);
    }
    notes.extend(pending.into_iter().map(|(base_cell, message)| Resolution {
        cell: None,
        base_cell,
        message,
    }));
    items
}

/// Where cell `idx` of `cells` is, for a person: the first line of the cell
/// before it (`None`: it is the first cell).
fn place(cells: &[Cell<'_>], idx: usize) -> Option<String> {
    let prev = cells.get(idx.checked_sub(1)?)?;
    let source = prev.source();
    let line = source.lines().map(str::trim).find(|l| !l.is_empty());
    Some(match line {
        Some(l) => {
            let mut short: String = l.chars().take(60).collect();
            if short.len() < l.len() {
                short.push('…');
            }
            format!("after the {} cell {short:?}", prev.cell_type())
        }
        None => format!("after an empty {} cell", prev.cell_type()),
    })
}

/// For each slot (0: before the first base cell; `b + 1`: after base cell
/// `b`), the cells of `side` (aligned to base by `a`, described by `keys`)
/// floating there, in that side's order.
fn floats(a: &Alignment, side: Side, keys: &[CellKey<'_>], n_base: usize) -> Vec<Vec<Float>> {
    let mut slots: Vec<Vec<Float>> = vec![Vec::new(); n_base + 1];
    let mut slot = 0;
    for (j, old) in a.new_to_old.iter().enumerate() {
        match *old {
            Some(i) if !a.moved.get(i).copied().unwrap_or(false) => slot = i + 1,
            base => slots[slot].push(Float {
                side,
                idx: j,
                base,
                content: content_hash(&keys[j]),
            }),
        }
    }
    slots
}

/// Decides where each cell goes (the structure pass of the merge): the
/// plans in output order, and the notes of rule-based resolutions.
struct Planner<'s, 'a, 'c> {
    sides: &'s Sides<'a, 'c>,
    opts: &'s Options,
    plans: Vec<Plan>,
    /// `(base cell number, message)`.
    notes: Vec<(Option<usize>, String)>,
}

impl Planner<'_, '_, '_> {
    /// Base cell `b` was deleted on `keeper.other()`; `keeper` has it at `idx`.
    fn one_deleted(&mut self, b: usize, keeper: Side, idx: usize) {
        let (sides, opts) = (self.sides, self.opts);
        let kept = sides.cells(keeper)[idx];
        let base = sides.base[b];
        let deleter = keeper.other().name();
        if !edited(base, kept, &opts.policy) {
            if !same_map(base.map, kept.map) {
                self.notes.push((
                    Some(b + 1),
                    format!(
                        "deleted on {deleter}; {} changed only derived data (outputs, counts, timings, id); deleted",
                        keeper.name()
                    ),
                ));
            }
            return;
        }
        let keep = match opts.conflicts {
            ConflictPolicy::Mark => {
                self.plans.push(Plan::Kept {
                    b,
                    side: keeper,
                    idx,
                });
                return;
            }
            ConflictPolicy::Union => true,
            ConflictPolicy::Ours => keeper == Side::Local,
            ConflictPolicy::Theirs => keeper == Side::Remote,
        };
        self.notes.push((
            Some(b + 1),
            format!(
                "deleted on {deleter} and edited on {}; {} (--conflicts {})",
                keeper.name(),
                if keep {
                    "kept the edited cell"
                } else {
                    "deleted"
                },
                opts.conflicts.name()
            ),
        ));
        if keep {
            self.plans.push(Plan::Only { side: keeper, idx });
        }
    }

    /// Plans one floating entry that is not shared with the other side.
    fn plan_float(&mut self, f: &Float, same_place: bool) {
        let (sides, opts) = (self.sides, self.opts);
        let Some(b) = f.base else {
            self.plans.push(Plan::Only {
                side: f.side,
                idx: f.idx,
            });
            return;
        };
        let other = f.side.other();
        match sides.has(other, b) {
            None => self.one_deleted(b, f.side, f.idx),
            Some((o, moved_there)) => {
                let (l, r) = match f.side {
                    Side::Local => (f.idx, o),
                    Side::Remote => (o, f.idx),
                };
                if moved_there && !same_place {
                    // Both moved it, to different places: shown once, at local's
                    // place (remote's with --conflicts theirs).
                    let winner = match opts.conflicts {
                        ConflictPolicy::Theirs => Side::Remote,
                        _ => Side::Local,
                    };
                    if f.side != winner {
                        return;
                    }
                    if opts.conflicts == ConflictPolicy::Mark {
                        self.plans.push(Plan::MovedBoth { b, l, r });
                        return;
                    }
                    self.notes.push((
                        Some(b + 1),
                        format!(
                            "moved to different places on both sides; kept {}'s place (--conflicts {})",
                            winner.name(),
                            opts.conflicts.name()
                        ),
                    ));
                }
                self.plans.push(Plan::Both { b, l, r });
            }
        }
    }

    /// Merges the floating lists of both sides at one slot.
    fn merge_floats(&mut self, fl: &[Float], fr: &[Float]) {
        if fl.is_empty() || fr.is_empty() {
            for f in fl.iter().chain(fr) {
                self.plan_float(f, false);
            }
            return;
        }
        // Common entries, in order (the line diff's algorithm: near-linear).
        let keys = |fs: &[Float]| fs.iter().map(Float::key).collect::<Vec<_>>();
        let pairs = crate::text::line_diff::equal_pairs(&keys(fl), &keys(fr));
        let (mut i, mut j) = (0, 0);
        for (pi, pj) in pairs
            .into_iter()
            .chain(std::iter::once((fl.len(), fr.len())))
        {
            self.gap(&fl[i..pi], &fr[j..pj]);
            if pi < fl.len() {
                let (a, b) = (&fl[pi], &fr[pj]);
                match a.base {
                    Some(_) => self.plan_float(a, true),
                    None => self.plans.push(Plan::NewBoth { l: a.idx, r: b.idx }),
                }
            }
            i = pi + 1;
            j = pj + 1;
        }
    }

    /// Entries between two common ones: one-sided runs are taken; new cells on
    /// both sides conflict.
    fn gap(&mut self, fl: &[Float], fr: &[Float]) {
        let opts = self.opts;
        let new_l = fl.iter().filter(|f| f.base.is_none()).count();
        let new_r = fr.iter().filter(|f| f.base.is_none()).count();
        if new_l == 0 || new_r == 0 {
            for f in interleave(fl, fr) {
                self.plan_float(f, false);
            }
            return;
        }
        let (keep_l, keep_r) = match opts.conflicts {
            ConflictPolicy::Mark => {
                self.plans.push(Plan::Start);
                for f in fl {
                    self.plan_float(f, false);
                }
                self.plans.push(Plan::Middle);
                for f in fr {
                    self.plan_float(f, false);
                }
                self.plans.push(Plan::End);
                return;
            }
            ConflictPolicy::Union => (true, true),
            ConflictPolicy::Ours => (true, false),
            ConflictPolicy::Theirs => (false, true),
        };
        self.notes.push((
            None,
            format!(
                "both sides inserted different cells at one place ({new_l} local, {new_r} remote); kept {} (--conflicts {})",
                match (keep_l, keep_r) {
                    (true, true) => "both, local's first",
                    (true, false) => "local's",
                    _ => "remote's",
                },
                opts.conflicts.name()
            ),
        ));
        for f in fl.iter().chain(fr) {
            let keep = f.base.is_some()
                || match f.side {
                    Side::Local => keep_l,
                    Side::Remote => keep_r,
                };
            if keep {
                self.plan_float(f, false);
            }
        }
    }
}

/// Both sides' entries of a gap in one order that does not depend on which
/// side is which (so swapping LOCAL and REMOTE gives the same cells): each
/// side's own order is kept; between the sides, cells moved here come before
/// new cells, and moved cells in base order. (Within one gap the two lists
/// never share a base cell, and at most one of them has new cells.)
fn interleave<'f>(fl: &'f [Float], fr: &'f [Float]) -> Vec<&'f Float> {
    let rank = |f: &Float| f.base.map_or((1, 0), |b| (0, b));
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(fl.len() + fr.len());
    while i < fl.len() && j < fr.len() {
        if rank(&fr[j]) < rank(&fl[i]) {
            out.push(&fr[j]);
            j += 1;
        } else {
            out.push(&fl[i]);
            i += 1;
        }
    }
    out.extend(&fl[i..]);
    out.extend(&fr[j..]);
    out
}

#[cfg(test)]
mod tests {
    use crate::merge::{merge_bytes, Inputs, Options};
    use serde_json::{json, Value};

    /// A notebook without cell ids (nbformat 4.4) of code cells `x_i = i`, in
    /// the order of `order`.
    fn notebook(order: &[usize]) -> Vec<u8> {
        let cells: Vec<Value> = order
            .iter()
            .map(|i| {
                json!({"cell_type": "code", "execution_count": null, "metadata": {},
                       "outputs": [], "source": [format!("x_{i} = {i}\n"), format!("print(x_{i})")]})
            })
            .collect();
        let nb = json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4});
        serde_json::to_vec_pretty(&nb).unwrap_or_default()
    }

    fn shuffled(n: usize, mut seed: u64) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            v.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        v
    }

    #[test]
    fn both_sides_shuffled_without_ids_keep_every_cell_once() {
        // Each side in its own order: far more cells out of order than the
        // alignment's threshold for shuffled lists.
        let n = 800;
        let base = notebook(&(0..n).collect::<Vec<_>>());
        let local = notebook(&shuffled(n, 0x2545_f491_4f6c_dd1d));
        let remote = notebook(&shuffled(n, 0x9e37_79b9_7f4a_7c15));
        let out = merge_bytes(
            Inputs {
                base: (&base, "base"),
                local: (&local, "local"),
                remote: (&remote, "remote"),
            },
            &Options::default(),
        );
        assert!(out.fallback.is_none());
        let merged: Value = serde_json::from_slice(&out.bytes).unwrap_or(Value::Null);
        let cells = merged["cells"].as_array().cloned().unwrap_or_default();
        let mut code: Vec<String> = cells
            .iter()
            .filter(|c| c["cell_type"] == "code")
            .map(|c| {
                c["source"]
                    .as_array()
                    .map(|l| l.iter().filter_map(Value::as_str).collect::<String>())
                    .unwrap_or_default()
            })
            .collect();
        code.sort();
        let mut want: Vec<String> = (0..n)
            .map(|i| format!("x_{i} = {i}\nprint(x_{i})"))
            .collect();
        want.sort();
        assert_eq!(code, want, "every cell exactly once");
        // Each cell moved to different places on both sides is one conflict,
        // after one notice cell.
        let notices = cells
            .iter()
            .filter(|c| c["cell_type"] == "markdown")
            .count();
        assert!(out.conflicts > n / 2, "{} conflicts", out.conflicts);
        assert_eq!(notices, out.conflicts);
    }
}
