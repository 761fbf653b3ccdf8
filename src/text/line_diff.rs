//! Line diff of two texts, as a value.
//!
//! [`diff_texts`] splits two texts into lines (see [`crate::text::lines`]), interns
//! each distinct line once (imara-diff's interner) and runs a port of git's own
//! Myers diff over the interned ids, then slides each changed block to a canonical
//! place (git's `xdl_change_compact`), so the diff lines up as `git diff` does.
//! The result is a list of [`DiffOp`]s over line indices; [`hunks`] groups them
//! with context lines for unified display. Rendering lives elsewhere.
//!
//! git's cost heuristics keep the diff near-linear on large, very different texts
//! (100k lines of few distinct values: about 0.1 s in release builds, where
//! imara-diff 0.1's Histogram and Myers both took about 5 s).

use std::hash::Hash;
use std::ops::Range;

use imara_diff::intern::{Interner, Token};

use super::lines::split_lines;

/// What a [`DiffOp`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OpKind {
    /// The lines are the same on both sides.
    Equal,
    /// The old lines were removed (the new range is empty and marks the position).
    Delete,
    /// The new lines were added (the old range is empty and marks the position).
    Insert,
}

/// One step of a line diff: a range of old lines and a range of new lines.
///
/// For [`OpKind::Equal`] both ranges have the same length; for [`OpKind::Delete`]
/// `new` is empty, for [`OpKind::Insert`] `old` is empty — the empty range still
/// tells where, on that side, the change sits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DiffOp {
    /// Kind of step.
    pub kind: OpKind,
    /// Line indices in the old text.
    pub old: Range<usize>,
    /// Line indices in the new text.
    pub new: Range<usize>,
}

/// A changed block: old lines `old` are replaced by new lines `new`.
///
/// Either range may be empty (a pure insertion or deletion), not both.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Change {
    /// Removed line indices in the old text.
    pub old: Range<usize>,
    /// Added line indices in the new text.
    pub new: Range<usize>,
}

/// Changes grouped with surrounding context, as in a unified diff's `@@` hunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hunk {
    /// Old line indices covered by the hunk (context included).
    pub old: Range<usize>,
    /// New line indices covered by the hunk (context included).
    pub new: Range<usize>,
    /// The steps inside the hunk, starting and ending with at most `context`
    /// equal lines.
    pub ops: Vec<DiffOp>,
}

/// Line diff of two texts: the lines of each side and the steps between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDiff<'a> {
    /// Lines of the old text, with their line endings.
    pub old_lines: Vec<&'a str>,
    /// Lines of the new text, with their line endings.
    pub new_lines: Vec<&'a str>,
    /// Steps covering both texts from start to end, in order.
    pub ops: Vec<DiffOp>,
}

impl LineDiff<'_> {
    /// Whether the two texts are identical.
    pub fn is_identical(&self) -> bool {
        self.ops.iter().all(|op| op.kind == OpKind::Equal)
    }

    /// The changed blocks (each a deletion, an insertion, or both).
    pub fn changes(&self) -> Vec<Change> {
        changes_of(&self.ops)
    }

    /// Groups the steps into hunks with `context` equal lines around each change.
    pub fn hunks(&self, context: usize) -> Vec<Hunk> {
        hunks(&self.ops, context)
    }

    /// Numbers of deleted and inserted lines.
    pub fn counts(&self) -> (usize, usize) {
        let mut del = 0;
        let mut ins = 0;
        for op in &self.ops {
            match op.kind {
                OpKind::Delete => del += op.old.len(),
                OpKind::Insert => ins += op.new.len(),
                OpKind::Equal => {}
            }
        }
        (del, ins)
    }
}

/// Diffs two texts line by line (line endings are part of each line).
///
/// ```
/// use nbdiff::text::line_diff::{diff_texts, OpKind};
/// let d = diff_texts("a\nb\nc\n", "a\nB\nc\n");
/// let kinds: Vec<OpKind> = d.ops.iter().map(|op| op.kind).collect();
/// assert_eq!(kinds, [OpKind::Equal, OpKind::Delete, OpKind::Insert, OpKind::Equal]);
/// assert_eq!(d.hunks(1).len(), 1);
/// ```
pub fn diff_texts<'a>(old: &'a str, new: &'a str) -> LineDiff<'a> {
    let old_lines = split_lines(old);
    let new_lines = split_lines(new);
    let ops = diff_lines(&old_lines, &new_lines);
    LineDiff {
        old_lines,
        new_lines,
        ops,
    }
}

/// Diffs two sequences of lines (or any comparable items, such as notebook
/// source lines) into steps covering both sequences.
pub fn diff_lines<T: Eq + Hash>(old: &[T], new: &[T]) -> Vec<DiffOp> {
    ops_from_changes(&changes(old, new), old.len(), new.len())
}

/// The items two sequences have in common, in order, as `(old, new)` index
/// pairs (the equal runs of [`diff_lines`]).
pub fn equal_pairs<T: Eq + Hash>(old: &[T], new: &[T]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::with_capacity(old.len().min(new.len()));
    let (mut i, mut j) = (0, 0);
    for c in changes(old, new) {
        while i < c.old.start {
            pairs.push((i, j));
            i += 1;
            j += 1;
        }
        i = c.old.end;
        j = c.new.end;
    }
    while i < old.len() {
        pairs.push((i, j));
        i += 1;
        j += 1;
    }
    pairs
}

/// Turns changed blocks into steps that cover `old_len` and `new_len` items.
pub(crate) fn ops_from_changes(changes: &[Change], old_len: usize, new_len: usize) -> Vec<DiffOp> {
    let mut ops = Vec::with_capacity(changes.len() * 3 + 1);
    let (mut i, mut j) = (0, 0);
    for c in changes {
        if c.old.start > i {
            ops.push(DiffOp {
                kind: OpKind::Equal,
                old: i..c.old.start,
                new: j..c.new.start,
            });
        }
        if !c.old.is_empty() {
            ops.push(DiffOp {
                kind: OpKind::Delete,
                old: c.old.clone(),
                new: c.new.start..c.new.start,
            });
        }
        if !c.new.is_empty() {
            ops.push(DiffOp {
                kind: OpKind::Insert,
                old: c.old.end..c.old.end,
                new: c.new.clone(),
            });
        }
        i = c.old.end;
        j = c.new.end;
    }
    if i < old_len || j < new_len {
        ops.push(DiffOp {
            kind: OpKind::Equal,
            old: i..old_len,
            new: j..new_len,
        });
    }
    ops
}

/// Collects the changed blocks of a list of steps (adjacent deletes and inserts
/// are joined into one block).
pub fn changes_of(ops: &[DiffOp]) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    let mut last_equal = true;
    for op in ops {
        if op.kind == OpKind::Equal {
            last_equal = true;
            continue;
        }
        match out.last_mut() {
            Some(c) if !last_equal => {
                c.old.end = op.old.end;
                c.new.end = op.new.end;
            }
            _ => out.push(Change {
                old: op.old.clone(),
                new: op.new.clone(),
            }),
        }
        last_equal = false;
    }
    out
}

/// Groups steps into hunks with up to `context` equal lines before and after each
/// change; changes separated by at most `2 * context` equal lines share a hunk.
///
/// Identical inputs give no hunks.
pub fn hunks(ops: &[DiffOp], context: usize) -> Vec<Hunk> {
    let mut out: Vec<Hunk> = Vec::new();
    let mut cur: Option<Hunk> = None;
    for (idx, op) in ops.iter().enumerate() {
        if op.kind != OpKind::Equal {
            let h = cur.get_or_insert_with(|| Hunk {
                old: op.old.start..op.old.start,
                new: op.new.start..op.new.start,
                ops: Vec::new(),
            });
            h.ops.push(op.clone());
            h.old.end = op.old.end;
            h.new.end = op.new.end;
            continue;
        }
        let len = op.old.len();
        let is_last = idx + 1 == ops.len();
        match cur.take() {
            None => {
                // Leading context for the next change.
                if !is_last {
                    let n = len.min(context);
                    if n > 0 {
                        cur = Some(Hunk {
                            old: op.old.end - n..op.old.end,
                            new: op.new.end - n..op.new.end,
                            ops: vec![DiffOp {
                                kind: OpKind::Equal,
                                old: op.old.end - n..op.old.end,
                                new: op.new.end - n..op.new.end,
                            }],
                        });
                    }
                }
            }
            Some(mut h) if h.ops.iter().any(|o| o.kind != OpKind::Equal) => {
                if !is_last && len <= 2 * context {
                    // Bridge to the next change.
                    h.ops.push(op.clone());
                    h.old.end = op.old.end;
                    h.new.end = op.new.end;
                    cur = Some(h);
                    continue;
                }
                let n = len.min(context);
                if n > 0 {
                    let r = DiffOp {
                        kind: OpKind::Equal,
                        old: op.old.start..op.old.start + n,
                        new: op.new.start..op.new.start + n,
                    };
                    h.old.end = r.old.end;
                    h.new.end = r.new.end;
                    h.ops.push(r);
                }
                out.push(h);
                if !is_last {
                    let n = len.min(context);
                    if n > 0 {
                        let r = DiffOp {
                            kind: OpKind::Equal,
                            old: op.old.end - n..op.old.end,
                            new: op.new.end - n..op.new.end,
                        };
                        cur = Some(Hunk {
                            old: r.old.clone(),
                            new: r.new.clone(),
                            ops: vec![r],
                        });
                    }
                }
            }
            Some(_) => {}
        }
    }
    if let Some(h) = cur {
        if h.ops.iter().any(|o| o.kind != OpKind::Equal) {
            out.push(h);
        }
    }
    out
}

/// Computes changed blocks between two item sequences with git's Myers (see
/// [`super::myers`]), then slides them as git's `xdl_change_compact` does
/// (without the indent heuristic).
pub(crate) fn changes<T: Eq + Hash>(old: &[T], new: &[T]) -> Vec<Change> {
    let mut interner: Interner<&T> = Interner::new(old.len() + new.len());
    let before: Vec<Token> = old.iter().map(|t| interner.intern(t)).collect();
    let after: Vec<Token> = new.iter().map(|t| interner.intern(t)).collect();
    token_changes(&before, &after, interner.num_tokens())
}

/// As [`changes`], over already interned tokens.
pub(crate) fn token_changes(old: &[Token], new: &[Token], num_tokens: u32) -> Vec<Change> {
    let (a, b) = super::myers::diff(old, new, num_tokens);
    let (mut rc_old, mut rc_new) = (ChangeMarks::from_flags(a), ChangeMarks::from_flags(b));
    compact(old, &mut rc_old, &mut rc_new);
    compact(new, &mut rc_new, &mut rc_old);
    build_changes(&rc_old, &rc_new)
}

/// Per-line "changed" flags with a false sentinel on each end (index -1 and n).
struct ChangeMarks {
    flags: Vec<bool>,
}

impl ChangeMarks {
    fn from_flags(f: Vec<bool>) -> Self {
        let mut flags = Vec::with_capacity(f.len() + 2);
        flags.push(false);
        flags.extend(f);
        flags.push(false);
        ChangeMarks { flags }
    }
    fn len(&self) -> usize {
        self.flags.len() - 2
    }
    /// Flag of line `i`; `i` may be one past the end (the sentinel, always false).
    fn get(&self, i: usize) -> bool {
        self.flags[i + 1]
    }
    /// Flag of line `i - 1`; for `i == 0` the leading sentinel.
    fn get_before(&self, i: usize) -> bool {
        self.flags[i]
    }
    fn set(&mut self, i: usize, v: bool) {
        self.flags[i + 1] = v;
    }
}

/// A run of changed lines `start..end` (possibly empty) in one file.
#[derive(Clone, Copy)]
struct Group {
    start: usize,
    end: usize,
}

impl Group {
    fn first(m: &ChangeMarks) -> Group {
        let mut end = 0;
        while m.get(end) {
            end += 1;
        }
        Group { start: 0, end }
    }
    fn next(&mut self, m: &ChangeMarks) -> bool {
        if self.end == m.len() {
            return false;
        }
        self.start = self.end + 1;
        self.end = self.start;
        while m.get(self.end) {
            self.end += 1;
        }
        true
    }
    fn previous(&mut self, m: &ChangeMarks) -> bool {
        if self.start == 0 {
            return false;
        }
        self.end = self.start - 1;
        self.start = self.end;
        while m.get_before(self.start) {
            self.start -= 1;
        }
        true
    }
    fn slide_down(&mut self, toks: &[Token], m: &mut ChangeMarks) -> bool {
        if self.end < m.len() && toks[self.start] == toks[self.end] {
            m.set(self.start, false);
            m.set(self.end, true);
            self.start += 1;
            self.end += 1;
            while m.get(self.end) {
                self.end += 1;
            }
            true
        } else {
            false
        }
    }
    fn slide_up(&mut self, toks: &[Token], m: &mut ChangeMarks) -> bool {
        if self.start > 0 && toks[self.start - 1] == toks[self.end - 1] {
            self.start -= 1;
            self.end -= 1;
            m.set(self.start, true);
            m.set(self.end, false);
            while m.get_before(self.start) {
                self.start -= 1;
            }
            true
        } else {
            false
        }
    }
}

/// Port of git's `xdl_change_compact` without the indent heuristic: each group of
/// changes in `m` is slid as far down as possible (merging with groups it meets),
/// then back up to line up with a change in the other file if it can.
fn compact(toks: &[Token], m: &mut ChangeMarks, other: &mut ChangeMarks) {
    let mut g = Group::first(m);
    let mut go = Group::first(other);
    loop {
        if g.end != g.start {
            let mut earliest_end;
            let mut end_matching_other;
            loop {
                let size = g.end - g.start;
                end_matching_other = None;
                while g.slide_up(toks, m) {
                    // The groups move in lockstep; the other file always has one.
                    go.previous(other);
                }
                earliest_end = g.end;
                if go.end > go.start {
                    end_matching_other = Some(g.end);
                }
                while g.slide_down(toks, m) {
                    go.next(other);
                    if go.end > go.start {
                        end_matching_other = Some(g.end);
                    }
                }
                if size == g.end - g.start {
                    break;
                }
            }
            if g.end != earliest_end && end_matching_other.is_some() {
                while go.end == go.start {
                    if !g.slide_up(toks, m) || !go.previous(other) {
                        break;
                    }
                }
            }
        }
        if !g.next(m) || !go.next(other) {
            break;
        }
    }
}

fn build_changes(a: &ChangeMarks, b: &ChangeMarks) -> Vec<Change> {
    let (n, m) = (a.len(), b.len());
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    loop {
        let ca = i < n && a.get(i);
        let cb = j < m && b.get(j);
        if ca || cb {
            let (si, sj) = (i, j);
            while i < n && a.get(i) {
                i += 1;
            }
            while j < m && b.get(j) {
                j += 1;
            }
            out.push(Change {
                old: si..i,
                new: sj..j,
            });
        } else if i < n && j < m {
            i += 1;
            j += 1;
        } else {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(d: &LineDiff) -> String {
        let mut s = String::new();
        for op in &d.ops {
            match op.kind {
                OpKind::Equal => {
                    assert_eq!(d.old_lines[op.old.clone()], d.new_lines[op.new.clone()]);
                    s.extend(d.old_lines[op.old.clone()].iter().copied());
                }
                OpKind::Insert => s.extend(d.new_lines[op.new.clone()].iter().copied()),
                OpKind::Delete => {}
            }
        }
        s
    }

    #[test]
    fn ops_cover_both_sides() {
        let cases = [
            ("", ""),
            ("", "a\n"),
            ("a\n", ""),
            ("a\nb\nc\n", "a\nc\n"),
            ("a\nb\nc", "a\nb\nc\n"),
            ("x\ny\n", "p\nq\nr\n"),
            ("a\r\nb\r\n", "a\nb\n"),
        ];
        for (a, b) in cases {
            let d = diff_texts(a, b);
            assert_eq!(apply(&d), b, "{a:?} -> {b:?}");
            let (mut i, mut j) = (0, 0);
            for op in &d.ops {
                assert_eq!(op.old.start, i);
                assert_eq!(op.new.start, j);
                i = op.old.end;
                j = op.new.end;
            }
            assert_eq!((i, j), (d.old_lines.len(), d.new_lines.len()));
            assert_eq!(d.is_identical(), a == b);
        }
    }

    #[test]
    fn slides_insertions_like_git() {
        // An inserted block inside repeated lines is slid to its last position.
        let d = diff_texts("a\nb\n\nb\n\nc\n", "a\nb\n\nb\n\nb\n\nc\n");
        assert_eq!(
            d.changes(),
            [Change {
                old: 5..5,
                new: 5..7
            }]
        );
    }

    #[test]
    fn hunks_group_with_context() {
        let old: String = (0..30).map(|i| format!("{i}\n")).collect();
        let mut new_lines: Vec<String> = (0..30).map(|i| format!("{i}\n")).collect();
        new_lines[5] = "five\n".into();
        new_lines[9] = "nine\n".into();
        new_lines[25] = "x\n".into();
        let new: String = new_lines.concat();
        let d = diff_texts(&old, &new);
        let h = d.hunks(3);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].old, 2..13);
        assert_eq!(h[0].new, 2..13);
        assert_eq!(h[1].old, 22..29);
        let h0 = d.hunks(0);
        assert_eq!(h0.len(), 3);
        assert_eq!(h0[0].old, 5..6);
        assert!(diff_texts("a\n", "a\n").hunks(3).is_empty());
        // Change at the very start and end.
        let d = diff_texts("a\nb\nc\n", "x\nb\ny\n");
        let h = d.hunks(5);
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].old, 0..3);
        assert_eq!(h[0].ops.first().map(|o| o.kind), Some(OpKind::Delete));
    }

    #[test]
    fn large_repetitive_inputs_diff_correctly() {
        let n = 100_000;
        let old: String = (0..n).map(|i| format!("line {i}\n")).collect();
        // Scattered edits.
        let new: String = (0..n)
            .map(|i| {
                if i % 97 == 0 {
                    format!("changed {i}\n")
                } else {
                    format!("line {i}\n")
                }
            })
            .collect();
        // Highly repetitive content (few distinct lines).
        let rep_old: String = (0..n).map(|i| format!("{}\n", i % 3)).collect();
        let rep_new: String = (0..n).map(|i| format!("{}\n", (i * 7) % 5)).collect();
        // Completely different.
        let other: String = (0..n).map(|i| format!("other {i}\n")).collect();
        let d = diff_texts(&old, &new);
        assert_eq!(apply(&d), new);
        let d = diff_texts(&rep_old, &rep_new);
        assert_eq!(apply(&d), rep_new);
        let d = diff_texts(&old, &other);
        assert_eq!(d.counts(), (n, n));
    }
}
