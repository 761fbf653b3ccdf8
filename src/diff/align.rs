//! Cell alignment: which cell of one notebook is which cell of the other.
//!
//! Near-linear by construction; there is no N×M grid over cells:
//! 1. cells with the same id on both sides (ids unique on each side) match;
//! 2. the remaining cells are diffed as a sequence of content hashes
//!    ([`crate::text::line_diff`], git's Myers), so identical cells in the same
//!    order match; lists with hundreds of cells out of order are first
//!    anchored on the cells that occur once on each side (a patience diff,
//!    `shuffled_pairs`), since Myers costs more than linear time there;
//! 3. leftover cells with identical content match anywhere (a move);
//! 4. leftover cells inside each gap between matched cells are paired by
//!    similarity ([`super::similarity`]), looking only a few
//!    positions ahead (edited in place);
//! 5. leftover cells anywhere are paired by shared distinctive lines and then
//!    similarity (moved and edited), with a cap on candidates per line.
//!
//! Matched pairs outside the longest in-order chain are moves.

use super::similarity::similarity;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// What alignment needs to know about a cell.
#[derive(Debug, Clone, Copy)]
pub struct CellKey<'a> {
    /// The cell id, when the notebook has ids.
    pub id: Option<&'a str>,
    /// `code`, `markdown`, …
    pub cell_type: &'a str,
    /// The joined source text.
    pub source: &'a str,
}

/// The result of aligning two cell lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Alignment {
    /// For each old cell, the new cell it became.
    pub old_to_new: Vec<Option<usize>>,
    /// For each new cell, the old cell it came from.
    pub new_to_old: Vec<Option<usize>>,
    /// For each old cell: it is matched but out of order (moved).
    pub moved: Vec<bool>,
}

/// One step of walking both cell lists in the new notebook's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Matched, in order.
    Pair(usize, usize),
    /// Matched, but moved: shown at its new position.
    Moved(usize, usize),
    /// Only in the old notebook.
    Deleted(usize),
    /// Only in the new notebook.
    Inserted(usize),
}

/// Similarity at or above which two different cells count as one edited cell.
pub const MIN_SIMILARITY: f32 = 0.5;
/// Gaps between matched cells up to this many old×new pairs are paired
/// optimally; larger ones greedily within [`WINDOW`].
const MAX_GAP_GRID: usize = 256;
/// How far ahead (cells) the in-gap similarity search looks.
const WINDOW: usize = 8;
/// Lines shared by more cells than this are not used to find moved cells.
const MAX_LINE_FANOUT: usize = 8;
/// Lists with more cells than this out of order, among those that occur once
/// on each side, are aligned as shuffled lists (see [`shuffled_pairs`]).
const SHUFFLED_MIN_MOVES: usize = 256;

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Aligns two cell lists.
pub fn align(old: &[CellKey<'_>], new: &[CellKey<'_>]) -> Alignment {
    let mut a = Alignment {
        old_to_new: vec![None; old.len()],
        new_to_old: vec![None; new.len()],
        moved: vec![false; old.len()],
    };
    match_ids(old, new, &mut a);
    // Content hashes of the cells ids left unmatched, computed once for the
    // two content stages.
    let old_hashes = unmatched_hashes(old, &a.old_to_new);
    let new_hashes = unmatched_hashes(new, &a.new_to_old);
    match_in_order(old, &old_hashes, &new_hashes, &mut a);
    match_identical_anywhere(old, &old_hashes, &new_hashes, &mut a);
    match_similar_in_gaps(old, new, &mut a);
    match_similar_anywhere(old, new, &mut a);
    mark_moves(&mut a);
    a
}

fn link(a: &mut Alignment, i: usize, j: usize) {
    a.old_to_new[i] = Some(j);
    a.new_to_old[j] = Some(i);
}

fn match_ids(old: &[CellKey<'_>], new: &[CellKey<'_>], a: &mut Alignment) {
    fn unique_ids<'a>(cells: &[CellKey<'a>]) -> HashMap<&'a str, Option<usize>> {
        let mut map: HashMap<&str, Option<usize>> = HashMap::with_capacity(cells.len());
        for (i, c) in cells.iter().enumerate() {
            if let Some(id) = c.id {
                map.entry(id)
                    .and_modify(|slot| *slot = None)
                    .or_insert(Some(i));
            }
        }
        map
    }
    if !old.iter().any(|c| c.id.is_some()) || !new.iter().any(|c| c.id.is_some()) {
        return;
    }
    let old_ids = unique_ids(old);
    for (id, j) in unique_ids(new) {
        if let (Some(j), Some(Some(i))) = (j, old_ids.get(id)) {
            link(a, *i, j);
        }
    }
}

/// The hash of a cell's type and source: equal for identical cells (the
/// identity the merge also uses for new cells both sides inserted).
pub fn content_hash(c: &CellKey<'_>) -> u64 {
    hash_of(&(c.cell_type, c.source))
}

/// [`content_hash`] of each cell not matched yet (`None` for matched ones).
fn unmatched_hashes(cells: &[CellKey<'_>], matched: &[Option<usize>]) -> Vec<Option<u64>> {
    cells
        .iter()
        .zip(matched)
        .map(|(c, m)| m.is_none().then(|| content_hash(c)))
        .collect()
}

fn match_in_order(
    old: &[CellKey<'_>],
    old_hashes: &[Option<u64>],
    new_hashes: &[Option<u64>],
    a: &mut Alignment,
) {
    let unmatched = |hashes: &[Option<u64>]| -> (Vec<usize>, Vec<u64>) {
        hashes
            .iter()
            .enumerate()
            .filter_map(|(i, h)| Some((i, (*h)?)))
            .unzip()
    };
    let (old_idx, before) = unmatched(old_hashes);
    let (new_idx, after) = unmatched(new_hashes);
    if old_idx.is_empty() || new_idx.is_empty() {
        return;
    }
    let blank = |x: usize| old[old_idx[x]].source.trim().is_empty();
    let pairs = shuffled_pairs(&before, &after, blank)
        .unwrap_or_else(|| crate::text::line_diff::equal_pairs(&before, &after));
    for (x, y) in pairs {
        link(a, old_idx[x], new_idx[y]);
    }
}

/// The in-order stage for lists whose cells were shuffled (more than
/// [`SHUFFLED_MIN_MOVES`] cells out of order): `None` otherwise, and the
/// stage is one line diff over the whole lists, as for any other pair.
///
/// One Myers diff over two shuffled lists costs far more than linear time:
/// every cell out of order is an edit, and git's heuristics only cap the
/// cost at about the square root of the length per split. Instead the
/// cells that occur exactly once on each side (and are not blank) pair up
/// directly: they are paired to each other whatever the line diff does
/// (those it leaves out, [`match_identical_anywhere`] pairs). Their longest
/// in-order chain anchors the lists (patience diff); only the other cells
/// (repeated or blank) are diffed, gap by gap between anchors, so that the
/// cost stays near-linear however the cells were shuffled.
fn shuffled_pairs(
    before: &[u64],
    after: &[u64],
    blank: impl Fn(usize) -> bool,
) -> Option<Vec<(usize, usize)>> {
    if before.len().min(after.len()) <= SHUFFLED_MIN_MOVES {
        return None;
    }
    // hash → (count in before, count in after, first position in before).
    let mut seen: HashMap<u64, (u32, u32, usize)> = HashMap::with_capacity(before.len());
    for (x, h) in before.iter().enumerate() {
        let e = seen.entry(*h).or_insert((0, 0, x));
        e.0 = e.0.saturating_add(1);
    }
    for h in after {
        if let Some(e) = seen.get_mut(h) {
            e.1 = e.1.saturating_add(1);
        }
    }
    let unique: Vec<(usize, usize)> = after
        .iter()
        .enumerate()
        .filter_map(|(y, h)| match seen.get(h) {
            Some(&(1, 1, x)) if !blank(x) => Some((x, y)),
            _ => None,
        })
        .collect();
    let chain = crate::lis::longest_increasing(&unique, |&(x, _)| x);
    if unique.len() - chain.len() <= SHUFFLED_MIN_MOVES {
        return None;
    }
    let mut paired_old = vec![false; before.len()];
    let mut paired_new = vec![false; after.len()];
    for &(x, y) in &unique {
        paired_old[x] = true;
        paired_new[y] = true;
    }
    let mut pairs = unique.clone();
    // The gaps between anchors (and before the first, after the last).
    let anchors = chain.iter().map(|&k| unique[k]);
    let mut from = (0, 0);
    for (x1, y1) in anchors.chain(std::iter::once((before.len(), after.len()))) {
        let olds: Vec<usize> = (from.0..x1).filter(|&x| !paired_old[x]).collect();
        let news: Vec<usize> = (from.1..y1).filter(|&y| !paired_new[y]).collect();
        if !olds.is_empty() && !news.is_empty() {
            let gap_before: Vec<u64> = olds.iter().map(|&x| before[x]).collect();
            let gap_after: Vec<u64> = news.iter().map(|&y| after[y]).collect();
            for (i, j) in crate::text::line_diff::equal_pairs(&gap_before, &gap_after) {
                pairs.push((olds[i], news[j]));
            }
        }
        from = (x1 + 1, y1 + 1);
    }
    Some(pairs)
}

fn match_identical_anywhere(
    old: &[CellKey<'_>],
    old_hashes: &[Option<u64>],
    new_hashes: &[Option<u64>],
    a: &mut Alignment,
) {
    let mut pending: HashMap<u64, std::collections::VecDeque<usize>> = HashMap::new();
    for (i, (c, h)) in old.iter().zip(old_hashes).enumerate() {
        if let Some(h) = h {
            if a.old_to_new[i].is_none() && !c.source.trim().is_empty() {
                pending.entry(*h).or_default().push_back(i);
            }
        }
    }
    if pending.is_empty() {
        return;
    }
    for (j, h) in new_hashes.iter().enumerate() {
        let Some(h) = h else { continue };
        if a.new_to_old[j].is_some() {
            continue;
        }
        if let Some(queue) = pending.get_mut(h) {
            if let Some(i) = queue.pop_front() {
                link(a, i, j);
            }
        }
    }
}

/// The in-order chain of matched pairs, as old indices (longest increasing
/// subsequence of new indices, O(n log n)).
fn in_order_chain(a: &Alignment) -> Vec<usize> {
    let pairs: Vec<(usize, usize)> = a
        .old_to_new
        .iter()
        .enumerate()
        .filter_map(|(i, j)| Some((i, (*j)?)))
        .collect();
    let mut chain = crate::lis::longest_increasing(&pairs, |&(_, j)| j);
    for k in &mut chain {
        *k = pairs[*k].0;
    }
    chain
}

fn match_similar_in_gaps(old: &[CellKey<'_>], new: &[CellKey<'_>], a: &mut Alignment) {
    let chain = in_order_chain(a);
    let mut bounds: Vec<(usize, usize)> = Vec::with_capacity(chain.len() + 2);
    bounds.push((0, 0));
    for &i in &chain {
        let j = a.old_to_new[i].unwrap_or(0);
        bounds.push((i, j));
        bounds.push((i + 1, j + 1));
    }
    bounds.push((old.len(), new.len()));
    for w in bounds.chunks(2) {
        let [(i0, j0), (i1, j1)] = [w[0], *w.get(1).unwrap_or(&(old.len(), new.len()))];
        if i1 <= i0 || j1 <= j0 {
            continue;
        }
        let olds: Vec<usize> = (i0..i1).filter(|&i| a.old_to_new[i].is_none()).collect();
        let news: Vec<usize> = (j0..j1).filter(|&j| a.new_to_old[j].is_none()).collect();
        if olds.is_empty() || news.is_empty() {
            continue;
        }
        if olds.len() * news.len() <= MAX_GAP_GRID {
            pair_gap_optimally(old, new, &olds, &news, a);
        } else {
            pair_gap_greedily(old, new, &olds, &news, a);
        }
    }
}

/// The similarity of two cells when they may be paired, else `None`.
fn pair_score(old: &CellKey<'_>, new: &CellKey<'_>) -> Option<f32> {
    if old.cell_type != new.cell_type {
        return None;
    }
    let s = similarity(old.source, new.source);
    (s >= MIN_SIMILARITY).then_some(s)
}

/// Small gaps: the in-order pairing with the highest total similarity (a
/// bounded grid: at most [`MAX_GAP_GRID`] scores), so that a cell is not
/// taken by a weaker look-alike that happens to come first.
fn pair_gap_optimally(
    old: &[CellKey<'_>],
    new: &[CellKey<'_>],
    olds: &[usize],
    news: &[usize],
    a: &mut Alignment,
) {
    let (n, m) = (olds.len(), news.len());
    let score: Vec<Option<f32>> = olds
        .iter()
        .flat_map(|&i| news.iter().map(move |&j| (i, j)))
        .map(|(i, j)| pair_score(&old[i], &new[j]))
        .collect();
    // best[k][l]: best total over olds[k..] and news[l..].
    let mut best = vec![0f32; (n + 1) * (m + 1)];
    let at = |k: usize, l: usize| k * (m + 1) + l;
    for k in (0..n).rev() {
        for l in (0..m).rev() {
            let skip = best[at(k + 1, l)].max(best[at(k, l + 1)]);
            let take = score[k * m + l].map_or(f32::MIN, |s| s + best[at(k + 1, l + 1)]);
            best[at(k, l)] = skip.max(take);
        }
    }
    let (mut k, mut l) = (0, 0);
    while k < n && l < m {
        if let Some(s) = score[k * m + l] {
            if best[at(k, l)] == s + best[at(k + 1, l + 1)] {
                link(a, olds[k], news[l]);
                k += 1;
                l += 1;
                continue;
            }
        }
        if best[at(k, l)] == best[at(k + 1, l)] {
            k += 1;
        } else {
            l += 1;
        }
    }
}

/// Large gaps: each new cell takes the most similar old cell among the next
/// few ([`WINDOW`]) after the last one taken.
fn pair_gap_greedily(
    old: &[CellKey<'_>],
    new: &[CellKey<'_>],
    olds: &[usize],
    news: &[usize],
    a: &mut Alignment,
) {
    let mut start = 0;
    for &j in news {
        let mut best: Option<(f32, usize)> = None;
        for (k, &i) in olds.iter().enumerate().skip(start).take(WINDOW) {
            if a.old_to_new[i].is_some() {
                continue;
            }
            if let Some(s) = pair_score(&old[i], &new[j]) {
                if best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, k));
                }
            }
        }
        if let Some((_, k)) = best {
            link(a, olds[k], j);
            start = k + 1;
        }
    }
}

fn match_similar_anywhere(old: &[CellKey<'_>], new: &[CellKey<'_>], a: &mut Alignment) {
    let mut by_line: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, c) in old.iter().enumerate() {
        if a.old_to_new[i].is_none() {
            for h in distinctive_lines(c.source) {
                by_line.entry(h).or_default().push(i);
            }
        }
    }
    if by_line.is_empty() {
        return;
    }
    for (j, c) in new.iter().enumerate() {
        if a.new_to_old[j].is_some() {
            continue;
        }
        let mut votes: HashMap<usize, usize> = HashMap::new();
        for h in distinctive_lines(c.source) {
            if let Some(list) = by_line.get(&h) {
                if list.len() <= MAX_LINE_FANOUT {
                    for &i in list {
                        *votes.entry(i).or_default() += 1;
                    }
                }
            }
        }
        let mut candidates: Vec<(usize, usize)> = votes.into_iter().collect();
        candidates.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let mut best: Option<(f32, usize)> = None;
        for &(i, _) in candidates.iter().take(4) {
            if a.old_to_new[i].is_some() || old[i].cell_type != c.cell_type {
                continue;
            }
            let s = similarity(old[i].source, c.source);
            if s >= MIN_SIMILARITY && best.is_none_or(|(b, _)| s > b) {
                best = Some((s, i));
            }
        }
        if let Some((_, i)) = best {
            link(a, i, j);
        }
    }
}

/// Hashes of up to 16 non-trivial distinct lines of a source.
fn distinctive_lines(source: &str) -> Vec<u64> {
    let mut out: Vec<u64> = source
        .lines()
        .map(str::trim)
        .filter(|l| l.len() >= 4)
        .take(64)
        .map(hash_of)
        .collect();
    out.sort_unstable();
    out.dedup();
    out.truncate(16);
    out
}

fn mark_moves(a: &mut Alignment) {
    let chain = in_order_chain(a);
    let mut in_chain = vec![false; a.old_to_new.len()];
    for i in chain {
        in_chain[i] = true;
    }
    for (i, j) in a.old_to_new.iter().enumerate() {
        a.moved[i] = j.is_some() && !in_chain[i];
    }
}

impl Alignment {
    /// Walks both lists in the new notebook's order: deleted old cells appear
    /// where they stood, moved cells at their new position.
    pub fn steps(&self) -> Vec<Step> {
        let mut steps = Vec::with_capacity(self.new_to_old.len() + self.old_to_new.len());
        let mut i = 0;
        let n_old = self.old_to_new.len();
        let emit_old_until = |steps: &mut Vec<Step>, i: &mut usize, stop: usize| {
            while *i < stop {
                if self.old_to_new[*i].is_none() {
                    steps.push(Step::Deleted(*i));
                }
                *i += 1;
            }
        };
        for (j, old) in self.new_to_old.iter().enumerate() {
            match *old {
                None => steps.push(Step::Inserted(j)),
                Some(o) if self.moved[o] => steps.push(Step::Moved(o, j)),
                Some(o) => {
                    emit_old_until(&mut steps, &mut i, o);
                    steps.push(Step::Pair(o, j));
                    i = o + 1;
                }
            }
        }
        emit_old_until(&mut steps, &mut i, n_old);
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<'a>(sources: &[&'a str]) -> Vec<CellKey<'a>> {
        sources
            .iter()
            .map(|s| CellKey {
                id: None,
                cell_type: "code",
                source: s,
            })
            .collect()
    }

    #[test]
    fn identical_lists_pair_in_order() {
        let a = keys(&["a", "b", "c"]);
        let al = align(&a, &a);
        assert_eq!(
            al.steps(),
            vec![Step::Pair(0, 0), Step::Pair(1, 1), Step::Pair(2, 2)]
        );
    }

    #[test]
    fn insert_delete_and_edit_are_found() {
        let old = keys(&["import os\nimport sys", "x = 1\ny = 2\nz = 3", "gone()"]);
        let new = keys(&["import os\nimport sys", "new()", "x = 1\ny = 20\nz = 3"]);
        let al = align(&old, &new);
        assert_eq!(al.old_to_new, vec![Some(0), Some(2), None]);
        assert_eq!(
            al.steps(),
            vec![
                Step::Pair(0, 0),
                Step::Inserted(1),
                Step::Pair(1, 2),
                Step::Deleted(2)
            ]
        );
    }

    #[test]
    fn moved_cell_is_a_move_not_delete_insert() {
        let old = keys(&["a = 1", "b = 2", "c = 3", "d = 4"]);
        let new = keys(&["b = 2", "c = 3", "d = 4", "a = 1"]);
        let al = align(&old, &new);
        assert!(al.moved[0]);
        assert_eq!(al.steps().last(), Some(&Step::Moved(0, 3)));
    }

    #[test]
    fn moved_and_edited_cell_is_found_by_its_lines() {
        let old = keys(&[
            "def f(x):\n    return x + 1\n\nprint(f(2))",
            "b = 2",
            "c = 3",
        ]);
        let new = keys(&[
            "b = 2",
            "c = 3",
            "def f(x):\n    return x + 2\n\nprint(f(2))",
        ]);
        let al = align(&old, &new);
        assert_eq!(al.old_to_new[0], Some(2));
        assert!(al.moved[0] || al.moved[1]);
    }

    #[test]
    fn short_unrelated_cells_are_not_paired() {
        // Each side inserted its own one-line cell where the base had another:
        // two cells sharing `-` and `ID` are not one edited cell.
        let old = keys(&["x = 1", "BASE - no ID", "y = 2"]);
        let new = keys(&["x = 1", "LOCAL - with unique ID", "y = 2"]);
        let al = align(&old, &new);
        assert_eq!(al.old_to_new, vec![Some(0), None, Some(2)]);
        let edited = keys(&["x = 1", "BASE - with ID", "y = 2"]);
        assert_eq!(align(&old, &edited).old_to_new[1], Some(1));
    }

    #[test]
    fn a_weaker_look_alike_does_not_take_the_better_partner() {
        // "LOCAL - with unique ID" comes first and resembles the old cell,
        // but "LOCAL #2 - with unique ID" resembles it more.
        let old = keys(&[
            "head()",
            "BASE - no ID",
            "BASE #2 - with unique ID",
            "tail()",
        ]);
        let new = keys(&[
            "head()",
            "LOCAL - with unique ID",
            "LOCAL #2 - with unique ID",
            "tail()",
        ]);
        let al = align(&old, &new);
        assert_eq!(al.old_to_new[2], Some(2));
        assert_eq!(al.new_to_old[1], None);
    }

    #[test]
    fn ids_take_precedence_over_content() {
        let mk = |id, s| CellKey {
            id: Some(id),
            cell_type: "code",
            source: s,
        };
        let old = vec![mk("x", "same"), mk("y", "other")];
        let new = vec![mk("y", "same"), mk("x", "other")];
        let al = align(&old, &new);
        assert_eq!(al.old_to_new, vec![Some(1), Some(0)]);
    }

    #[test]
    fn duplicate_empty_cells_do_not_create_moves() {
        let old = keys(&["a", "", "b", ""]);
        let new = keys(&["a", "b", ""]);
        let al = align(&old, &new);
        assert!(al.moved.iter().all(|m| !m));
    }

    /// A deterministic shuffle (xorshift), so that the test needs no crate.
    fn shuffled<T>(mut v: Vec<T>, mut seed: u64) -> Vec<T> {
        for i in (1..v.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            v.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        v
    }

    #[test]
    fn shuffled_large_input_pairs_every_cell_with_an_equal_one() {
        // Unique cells, repeated cells and blank cells, shuffled: far more
        // moves than SHUFFLED_MIN_MOVES, so the patience stage runs.
        let mut sources: Vec<String> = (0..3000)
            .map(|i| format!("x_{i} = {i}\nprint(x_{i})"))
            .collect();
        sources.extend((0..200).map(|i| format!("repeated({})", i % 7)));
        sources.extend((0..50).map(|_| String::new()));
        let old: Vec<&str> = sources.iter().map(String::as_str).collect();
        let new = shuffled(old.clone(), 0x9e37_79b9_7f4a_7c15);
        let al = align(&keys(&old), &keys(&new));
        let before: Vec<u64> = keys(&old).iter().map(content_hash).collect();
        let after: Vec<u64> = keys(&new).iter().map(content_hash).collect();
        assert!(shuffled_pairs(&before, &after, |x| old[x].is_empty()).is_some());
        for (i, j) in al.old_to_new.iter().enumerate() {
            match j {
                Some(j) => assert_eq!(old[i], new[*j], "old cell {i} paired with a different cell"),
                // Blank cells pair only where they stay in order.
                None => assert!(old[i].is_empty(), "old cell {i} ({:?}) unmatched", old[i]),
            }
        }
        // Every unique cell is paired with its own copy (whatever stage paired it).
        for (i, s) in old.iter().enumerate().take(3000) {
            assert_eq!(new[al.old_to_new[i].unwrap_or(usize::MAX)], *s);
        }
    }

    #[test]
    fn a_few_moves_keep_the_plain_line_diff() {
        // 300 cells, 10 of them moved: the whole-list line diff decides, as before.
        let sources: Vec<String> = (0..300).map(|i| format!("cell {i}")).collect();
        let old: Vec<&str> = sources.iter().map(String::as_str).collect();
        let mut new = old.clone();
        new[..20].reverse();
        let h = |v: &[&str]| keys(v).iter().map(content_hash).collect::<Vec<_>>();
        assert!(shuffled_pairs(&h(&old), &h(&new), |_| false).is_none());
        let many: Vec<String> = (0..2000).map(|i| format!("cell {i}")).collect();
        let old: Vec<&str> = many.iter().map(String::as_str).collect();
        let mut new = old.clone();
        new.reverse();
        assert!(shuffled_pairs(&h(&old), &h(&new), |_| false).is_some());
    }

    #[test]
    fn reversed_large_input_matches_every_cell() {
        let sources: Vec<String> = (0..20000).map(|i| format!("cell {i}\nline")).collect();
        let old: Vec<&str> = sources.iter().map(String::as_str).collect();
        let mut new = old.clone();
        new.reverse();
        let al = align(&keys(&old), &keys(&new));
        assert!(al.old_to_new.iter().all(Option::is_some));
    }
}
