//! Three-way line merge (diff3) with the semantics of `git merge-file`.
//!
//! [`merge3`] diffs base→local and base→remote (Myers, then git's slider
//! compaction), walks the two change lists together and produces a [`Merge3`]: a
//! sequence of [`Region`]s, each either resolved text or a [`Conflict`]. The
//! algorithm is a port of git's `xdl_merge` at its default level
//! (`XDL_MERGE_ZEALOUS_ALNUM`):
//!
//! - changes on one side only are taken;
//! - changes that overlap **or touch** (one ends on the line where the other
//!   starts, or both insert at the same place) conflict, except identical changes,
//!   which are taken once;
//! - with [`MergeOptions::refine`] (the default) each conflict is narrowed by
//!   diffing its two sides, so lines both sides agree on become resolved, and
//!   conflicts separated by at most three lines, or by lines without any ASCII
//!   letter or digit, are joined again.
//!
//! [`Favor`] resolves conflicts to one side or both, like `--ours`, `--theirs` and
//! `--union`. [`render_with_markers`] writes git-style conflict markers;
//! [`marker_size_for`] picks a marker length that content cannot be mistaken for.

use std::borrow::Cow;

use imara_diff::intern::{Interner, Token};

use super::line_diff::{token_changes, Change};
use super::lines::split_lines;

/// Conflict marker length used by git unless configured otherwise.
pub const DEFAULT_MARKER_SIZE: usize = 7;

/// How conflicts are resolved, as `git merge-file` options do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Favor {
    /// Keep conflicts as [`Region::Conflict`] (the default).
    #[default]
    Mark,
    /// Take the local side of each conflict (`--ours`).
    Ours,
    /// Take the remote side of each conflict (`--theirs`).
    Theirs,
    /// Take local then remote lines of each conflict (`--union`); a local side
    /// without a final newline gets one so the remote lines start on a new line.
    Union,
}

/// Options for [`merge3_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MergeOptions {
    /// What to do with conflicts.
    pub favor: Favor,
    /// Narrow conflicts to the lines the two sides disagree on (git's default,
    /// "zealous" level). Turn it off for diff3-style output: git's `--diff3` does
    /// the same, since a narrowed conflict has no matching base lines to show.
    pub refine: bool,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            favor: Favor::Mark,
            refine: true,
        }
    }
}

/// A conflicting region: the lines of each version (with their line endings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict<'a> {
    /// Base lines the two sides changed. For a conflict narrowed by
    /// [`MergeOptions::refine`] this is the base of the whole overlapping change
    /// it was cut from, since the narrowed part has no base lines of its own.
    pub base: Vec<&'a str>,
    /// Local ("ours") lines.
    pub local: Vec<&'a str>,
    /// Remote ("theirs") lines.
    pub remote: Vec<&'a str>,
    /// Whether marker lines should end in `\r\n`, decided as git does from the
    /// line endings around the conflict (local and remote lines before it, then
    /// the first base line; LF when undecided).
    pub crlf: bool,
}

/// One piece of a merge result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Region<'a> {
    /// Merged lines, ready to use. Borrowed from the inputs, except a line that got
    /// a newline added by [`Favor::Union`].
    Resolved(Vec<Cow<'a, str>>),
    /// Lines both sides changed differently.
    Conflict(Conflict<'a>),
}

/// Result of a three-way merge: regions in order, covering the whole output.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Merge3<'a> {
    /// The regions; adjacent resolved lines are always gathered in one region.
    pub regions: Vec<Region<'a>>,
}

impl Merge3<'_> {
    /// Whether the merge has no conflicts.
    pub fn is_clean(&self) -> bool {
        self.conflict_count() == 0
    }

    /// Number of conflict regions (what `git merge-file` returns as exit status,
    /// before capping at 127).
    pub fn conflict_count(&self) -> usize {
        self.regions
            .iter()
            .filter(|r| matches!(r, Region::Conflict(_)))
            .count()
    }

    /// The merged text if the merge is clean.
    pub fn clean_text(&self) -> Option<String> {
        if !self.is_clean() {
            return None;
        }
        let mut s = String::new();
        for r in &self.regions {
            if let Region::Resolved(lines) = r {
                s.extend(lines.iter().map(|l| l.as_ref()));
            }
        }
        Some(s)
    }

    /// Renders the merge with conflict markers; see [`render_with_markers`].
    pub fn render(&self, style: &MarkerStyle) -> String {
        render_with_markers(&self.regions, style)
    }
}

/// Merges `local` and `remote`, two edits of `base`, with default options
/// (conflicts marked, refined like git).
///
/// ```
/// use nbdiff::text::merge3::{merge3, MarkerStyle};
/// let m = merge3("a\nb\nc\n", "A\nb\nc\n", "a\nb\nC\n");
/// assert_eq!(m.clean_text().as_deref(), Some("A\nb\nC\n"));
///
/// let m = merge3("x\n", "local\n", "remote\n");
/// assert_eq!(m.conflict_count(), 1);
/// assert_eq!(
///     m.render(&MarkerStyle::default()),
///     "<<<<<<< local\nlocal\n=======\nremote\n>>>>>>> remote\n"
/// );
/// ```
pub fn merge3<'a>(base: &'a str, local: &'a str, remote: &'a str) -> Merge3<'a> {
    merge3_with(base, local, remote, &MergeOptions::default())
}

/// Merges three texts with the given options.
pub fn merge3_with<'a>(
    base: &'a str,
    local: &'a str,
    remote: &'a str,
    options: &MergeOptions,
) -> Merge3<'a> {
    merge3_lines(
        &split_lines(base),
        &split_lines(local),
        &split_lines(remote),
        options,
    )
}

/// Merges three texts already split into lines (each line keeping its ending, as
/// [`split_lines`] gives them, e.g. a notebook cell's `source` list).
pub fn merge3_lines<'a>(
    base: &[&'a str],
    local: &[&'a str],
    remote: &[&'a str],
    options: &MergeOptions,
) -> Merge3<'a> {
    merge3_lines_impl(base, local, remote, options, false)
}

/// Merges three texts as `git merge-file --zdiff3` does (git's
/// `XDL_MERGE_ZEALOUS_DIFF3` style): conflicts are not refined (their base
/// lines are shown), but lines both sides agree on at the start and the end
/// of a conflict are moved out of it, before and after the markers.
///
/// ```
/// use nbdiff::text::merge3::{merge3_zdiff3, Favor, MarkerStyle};
/// let m = merge3_zdiff3("a\nb\nc\n", "a\nX\nL\nc\n", "a\nX\nR\nc\n", Favor::Mark);
/// let style = MarkerStyle { diff3: true, ..MarkerStyle::default() };
/// assert_eq!(
///     m.render(&style),
///     "a\nX\n<<<<<<< local\nL\n||||||| base\nb\n=======\nR\n>>>>>>> remote\nc\n"
/// );
/// ```
pub fn merge3_zdiff3<'a>(
    base: &'a str,
    local: &'a str,
    remote: &'a str,
    favor: Favor,
) -> Merge3<'a> {
    let options = MergeOptions {
        favor,
        refine: false,
    };
    merge3_lines_impl(
        &split_lines(base),
        &split_lines(local),
        &split_lines(remote),
        &options,
        true,
    )
}

fn merge3_lines_impl<'a>(
    base: &[&'a str],
    local: &[&'a str],
    remote: &[&'a str],
    options: &MergeOptions,
    trim: bool,
) -> Merge3<'a> {
    let mut interner: Interner<&str> = Interner::new(base.len() + local.len() + remote.len());
    let mut intern =
        |lines: &[&'a str]| -> Vec<Token> { lines.iter().map(|l| interner.intern(*l)).collect() };
    let (tb, tl, tr) = (intern(base), intern(local), intern(remote));
    let ntok = interner.num_tokens();
    let ch1 = token_changes(&tb, &tl, ntok);
    let ch2 = token_changes(&tb, &tr, ntok);

    // As git: if one side did not change anything, the other side is the result.
    if ch1.is_empty() {
        return resolved_only(remote);
    }
    if ch2.is_empty() {
        return resolved_only(local);
    }

    let sides = Sides {
        base_len: base.len(),
        local: &tl,
        remote: &tr,
    };
    let mut hunks = combine(&ch1, &ch2, &sides);
    if trim {
        trim_conflicts(&mut hunks, &sides);
    } else if options.refine {
        hunks = refine_conflicts(hunks, &sides, ntok);
        hunks = simplify_non_conflicts(hunks, local);
    }
    build_regions(&hunks, base, local, remote, options.favor)
}

fn resolved_only<'a>(lines: &[&'a str]) -> Merge3<'a> {
    let regions = if lines.is_empty() {
        Vec::new()
    } else {
        vec![Region::Resolved(
            lines.iter().map(|l| Cow::Borrowed(*l)).collect(),
        )]
    };
    Merge3 { regions }
}

/// What a [`Hunk3`] does; git's `xdmerge_t.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Conflict,
    Local,
    Remote,
    Union,
    /// A conflict whose sides turned out identical; its lines come from local.
    Same,
}

/// A merge hunk, git's `xdmerge_t`: base lines `i0..i0+chg0` became local lines
/// `i1..i1+chg1` and remote lines `i2..i2+chg2`. Signed, as in git, because the
/// offset arithmetic goes through negative intermediate values.
#[derive(Debug, Clone, Copy)]
struct Hunk3 {
    mode: Mode,
    i0: isize,
    chg0: isize,
    i1: isize,
    chg1: isize,
    i2: isize,
    chg2: isize,
}

/// git's `xdl_append_merge`: a hunk touching or overlapping the previous one is
/// folded into it (and becomes a conflict if the modes differ).
fn append(list: &mut Vec<Hunk3>, h: Hunk3) {
    if let Some(m) = list.last_mut() {
        if h.i1 <= m.i1 + m.chg1 || h.i2 <= m.i2 + m.chg2 {
            if h.mode != m.mode {
                m.mode = Mode::Conflict;
            }
            m.chg0 = h.i0 + h.chg0 - m.i0;
            m.chg1 = h.i1 + h.chg1 - m.i1;
            m.chg2 = h.i2 + h.chg2 - m.i2;
            return;
        }
    }
    list.push(h);
}

fn n(x: usize) -> isize {
    // Line counts come from slices, which never exceed isize::MAX elements.
    x as isize
}

/// Both sides of the merge, as interned lines.
struct Sides<'t> {
    base_len: usize,
    local: &'t [Token],
    remote: &'t [Token],
}

/// The main loop of git's `xdl_do_merge` (level zealous: identical changes are
/// taken once, not marked as conflicts).
fn combine(ch1: &[Change], ch2: &[Change], sides: &Sides) -> Vec<Hunk3> {
    // xdchange_t fields: i1 = base start, chg1 = base length, i2 = side start,
    // chg2 = side length.
    let f = |c: &Change| {
        (
            n(c.old.start),
            n(c.old.len()),
            n(c.new.start),
            n(c.new.len()),
        )
    };
    let mut out = Vec::new();
    let (mut a, mut b) = (0, 0);
    while a < ch1.len() && b < ch2.len() {
        let (x1_i1, x1_chg1, x1_i2, x1_chg2) = f(&ch1[a]);
        let (x2_i1, x2_chg1, x2_i2, x2_chg2) = f(&ch2[b]);
        if x1_i1 + x1_chg1 < x2_i1 {
            append(
                &mut out,
                Hunk3 {
                    mode: Mode::Local,
                    i0: x1_i1,
                    chg0: x1_chg1,
                    i1: x1_i2,
                    chg1: x1_chg2,
                    i2: x2_i2 - x2_i1 + x1_i1,
                    chg2: x1_chg1,
                },
            );
            a += 1;
            continue;
        }
        if x2_i1 + x2_chg1 < x1_i1 {
            append(
                &mut out,
                Hunk3 {
                    mode: Mode::Remote,
                    i0: x2_i1,
                    chg0: x2_chg1,
                    i1: x1_i2 - x1_i1 + x2_i1,
                    chg1: x2_chg1,
                    i2: x2_i2,
                    chg2: x2_chg2,
                },
            );
            b += 1;
            continue;
        }
        let identical = x1_i1 == x2_i1
            && x1_chg1 == x2_chg1
            && x1_chg2 == x2_chg2
            && sides.local[ch1[a].new.clone()] == sides.remote[ch2[b].new.clone()];
        if !identical {
            let off = x1_i1 - x2_i1;
            let ffo = off + x1_chg1 - x2_chg1;
            let (mut i0, mut i1, mut i2) = (x1_i1, x1_i2, x2_i2);
            if off > 0 {
                i0 -= off;
                i1 -= off;
            } else {
                i2 += off;
            }
            let mut chg0 = x1_i1 + x1_chg1 - i0;
            let mut chg1 = x1_i2 + x1_chg2 - i1;
            let mut chg2 = x2_i2 + x2_chg2 - i2;
            if ffo < 0 {
                chg0 -= ffo;
                chg1 -= ffo;
            } else {
                chg2 += ffo;
            }
            append(
                &mut out,
                Hunk3 {
                    mode: Mode::Conflict,
                    i0,
                    chg0,
                    i1,
                    chg1,
                    i2,
                    chg2,
                },
            );
        }
        let e1 = x1_i1 + x1_chg1;
        let e2 = x2_i1 + x2_chg1;
        if e1 >= e2 {
            b += 1;
        }
        if e2 >= e1 {
            a += 1;
        }
    }
    let base_len = n(sides.base_len);
    for c in &ch1[a..] {
        let (i1, chg1, i2, chg2) = f(c);
        append(
            &mut out,
            Hunk3 {
                mode: Mode::Local,
                i0: i1,
                chg0: chg1,
                i1: i2,
                chg1: chg2,
                i2: i1 + n(sides.remote.len()) - base_len,
                chg2: chg1,
            },
        );
    }
    for c in &ch2[b..] {
        let (i1, chg1, i2, chg2) = f(c);
        append(
            &mut out,
            Hunk3 {
                mode: Mode::Remote,
                i0: i1,
                chg0: chg1,
                i1: i1 + n(sides.local.len()) - base_len,
                chg1,
                i2,
                chg2,
            },
        );
    }
    out
}

/// Converts a hunk position back to an index. Positions are never negative once
/// a hunk is built (git relies on the same invariant); clamp defensively.
fn u(x: isize) -> usize {
    usize::try_from(x).unwrap_or(0)
}

/// git's `xdl_refine_conflicts`: diff the two sides of each conflict and keep only
/// the parts that differ; a conflict whose sides are equal becomes [`Mode::Same`].
fn refine_conflicts(hunks: Vec<Hunk3>, sides: &Sides, ntok: u32) -> Vec<Hunk3> {
    let mut out = Vec::with_capacity(hunks.len());
    for mut m in hunks {
        if m.mode != Mode::Conflict || m.chg1 == 0 || m.chg2 == 0 {
            out.push(m);
            continue;
        }
        let l = sides.local.get(u(m.i1)..u(m.i1 + m.chg1)).unwrap_or(&[]);
        let r = sides.remote.get(u(m.i2)..u(m.i2 + m.chg2)).unwrap_or(&[]);
        let ch = token_changes(l, r, ntok);
        if ch.is_empty() {
            m.mode = Mode::Same;
            out.push(m);
            continue;
        }
        for c in ch {
            out.push(Hunk3 {
                mode: Mode::Conflict,
                i0: m.i0,
                chg0: m.chg0,
                i1: m.i1 + n(c.old.start),
                chg1: n(c.old.len()),
                i2: m.i2 + n(c.new.start),
                chg2: n(c.new.len()),
            });
        }
    }
    out
}

/// git's `xdl_refine_zdiff3_conflicts`: lines both sides agree on at the
/// start and at the end of each conflict move out of it (its base stays whole).
fn trim_conflicts(hunks: &mut [Hunk3], sides: &Sides) {
    let same = |i1: isize, i2: isize| {
        let (l, r) = (sides.local.get(u(i1)), sides.remote.get(u(i2)));
        l.is_some() && l == r
    };
    for m in hunks.iter_mut().filter(|m| m.mode == Mode::Conflict) {
        while m.chg1 > 0 && m.chg2 > 0 && same(m.i1, m.i2) {
            m.chg1 -= 1;
            m.chg2 -= 1;
            m.i1 += 1;
            m.i2 += 1;
        }
        while m.chg1 > 0 && m.chg2 > 0 && same(m.i1 + m.chg1 - 1, m.i2 + m.chg2 - 1) {
            m.chg1 -= 1;
            m.chg2 -= 1;
        }
    }
}

/// git's `xdl_simplify_non_conflicts` at level "zealous alnum": two conflicts
/// separated by at most three lines, or by lines with no ASCII letter or digit,
/// are joined into one, with the lines between on both sides.
fn simplify_non_conflicts(hunks: Vec<Hunk3>, local: &[&str]) -> Vec<Hunk3> {
    let mut out: Vec<Hunk3> = Vec::with_capacity(hunks.len());
    for next in hunks {
        if let Some(m) = out.last_mut() {
            let (begin, end) = (m.i1 + m.chg1, next.i1);
            let keep_apart = m.mode != Mode::Conflict
                || next.mode != Mode::Conflict
                || (end - begin > 3
                    && local
                        .get(u(begin)..u(end))
                        .unwrap_or(&[])
                        .iter()
                        .any(|l| l.bytes().any(|b| b.is_ascii_alphanumeric())));
            if !keep_apart {
                m.chg1 = next.i1 + next.chg1 - m.i1;
                m.chg2 = next.i2 + next.chg2 - m.i2;
                let base_end = (m.i0 + m.chg0).max(next.i0 + next.chg0);
                m.i0 = m.i0.min(next.i0);
                m.chg0 = base_end - m.i0;
                continue;
            }
        }
        out.push(next);
    }
    out
}

/// git's `is_eol_crlf`: `Some(true)` if line `i` ends in CRLF (for a last line
/// without ending, the line before it), `None` when it cannot tell.
fn is_eol_crlf(lines: &[&str], i: usize) -> Option<bool> {
    let crlf = |l: &str| l.ends_with("\r\n");
    if lines.is_empty() {
        return None;
    }
    if i + 1 < lines.len() {
        return Some(crlf(lines[i]));
    }
    let last = lines.get(i)?;
    if last.ends_with('\n') {
        return Some(crlf(last));
    }
    if i == 0 {
        return None;
    }
    Some(crlf(lines[i - 1]))
}

/// git's `is_cr_needed` for a hunk.
fn needs_cr(m: &Hunk3, base: &[&str], local: &[&str], remote: &[&str]) -> bool {
    let before = |i: isize| u(i).saturating_sub(1);
    let mut v = is_eol_crlf(local, before(m.i1));
    if v != Some(false) {
        v = is_eol_crlf(remote, before(m.i2));
    }
    if v != Some(false) {
        v = is_eol_crlf(base, 0);
    }
    v == Some(true)
}

/// git's `xdl_fill_merge_buffer`, producing regions instead of bytes.
fn build_regions<'a>(
    hunks: &[Hunk3],
    base: &[&'a str],
    local: &[&'a str],
    remote: &[&'a str],
    favor: Favor,
) -> Merge3<'a> {
    let mut regions: Vec<Region<'a>> = Vec::new();
    let mut resolved: Vec<Cow<'a, str>> = Vec::new();
    let slice = |lines: &[&'a str], start: isize, len: isize| -> Vec<&'a str> {
        let (s, e) = (u(start), u(start + len));
        lines.get(s..e).unwrap_or(&[]).to_vec()
    };
    let mut i: isize = 0;
    for m in hunks {
        let mode = match (m.mode, favor) {
            (Mode::Conflict, Favor::Ours) => Mode::Local,
            (Mode::Conflict, Favor::Theirs) => Mode::Remote,
            (Mode::Conflict, Favor::Union) => Mode::Union,
            (mode, _) => mode,
        };
        if mode == Mode::Same {
            continue;
        }
        resolved.extend(slice(local, i, m.i1 - i).into_iter().map(Cow::Borrowed));
        match mode {
            Mode::Conflict => {
                if !resolved.is_empty() {
                    regions.push(Region::Resolved(std::mem::take(&mut resolved)));
                }
                regions.push(Region::Conflict(Conflict {
                    base: slice(base, m.i0, m.chg0),
                    local: slice(local, m.i1, m.chg1),
                    remote: slice(remote, m.i2, m.chg2),
                    crlf: needs_cr(m, base, local, remote),
                }));
            }
            Mode::Local | Mode::Union => {
                let ours = slice(local, m.i1, m.chg1);
                let add_nl = mode == Mode::Union;
                let last = ours.len().wrapping_sub(1);
                for (k, l) in ours.into_iter().enumerate() {
                    if add_nl && k == last && !l.ends_with('\n') {
                        let nl = if needs_cr(m, base, local, remote) {
                            "\r\n"
                        } else {
                            "\n"
                        };
                        resolved.push(Cow::Owned(format!("{l}{nl}")));
                    } else {
                        resolved.push(Cow::Borrowed(l));
                    }
                }
                if mode == Mode::Union {
                    let theirs = slice(remote, m.i2, m.chg2);
                    resolved.extend(theirs.into_iter().map(Cow::Borrowed));
                }
            }
            Mode::Remote => {
                let theirs = slice(remote, m.i2, m.chg2);
                resolved.extend(theirs.into_iter().map(Cow::Borrowed));
            }
            Mode::Same => {}
        }
        i = m.i1 + m.chg1;
    }
    resolved.extend(
        slice(local, i, n(local.len()) - i)
            .into_iter()
            .map(Cow::Borrowed),
    );
    if !resolved.is_empty() {
        regions.push(Region::Resolved(resolved));
    }
    Merge3 { regions }
}

/// How [`render_with_markers`] writes conflicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerStyle<'l> {
    /// Length of each marker run (git's `conflict-marker-size`, default 7). Values
    /// below 1 are treated as 1.
    pub size: usize,
    /// Label after `<<<<<<<`; when empty, the marker stands alone.
    pub local_label: &'l str,
    /// Label after `|||||||` (diff3 only); `None` leaves the marker alone.
    pub base_label: Option<&'l str>,
    /// Label after `>>>>>>>`; when empty, the marker stands alone.
    pub remote_label: &'l str,
    /// Also write the base lines, after a `|||||||` marker (git's `--diff3`).
    pub diff3: bool,
}

impl Default for MarkerStyle<'_> {
    fn default() -> Self {
        MarkerStyle {
            size: DEFAULT_MARKER_SIZE,
            local_label: "local",
            base_label: Some("base"),
            remote_label: "remote",
            diff3: false,
        }
    }
}

/// Writes merge regions as text with git-style conflict markers:
///
/// ```text
/// <<<<<<< local_label
/// local lines
/// ||||||| base_label      (diff3 only)
/// base lines              (diff3 only)
/// =======
/// remote lines
/// >>>>>>> remote_label
/// ```
///
/// As git does, every marker sits on its own line: a conflict side without a
/// final newline gets one, and markers use `\r\n` when [`Conflict::crlf`] says so.
pub fn render_with_markers(regions: &[Region], style: &MarkerStyle) -> String {
    let size = style.size.max(1);
    let mut out = String::new();
    for region in regions {
        match region {
            Region::Resolved(lines) => out.extend(lines.iter().map(|l| l.as_ref())),
            Region::Conflict(c) => {
                let nl = if c.crlf { "\r\n" } else { "\n" };
                let marker = |out: &mut String, ch: char, label: Option<&str>| {
                    out.extend(std::iter::repeat_n(ch, size));
                    if let Some(label) = label.filter(|l| !l.is_empty()) {
                        out.push(' ');
                        out.push_str(label);
                    }
                    out.push_str(nl);
                };
                let side = |out: &mut String, lines: &[&str]| {
                    out.extend(lines.iter().copied());
                    if lines.last().is_some_and(|l| !l.ends_with('\n')) {
                        out.push_str(nl);
                    }
                };
                marker(&mut out, '<', Some(style.local_label));
                side(&mut out, &c.local);
                if style.diff3 {
                    marker(&mut out, '|', style.base_label);
                    side(&mut out, &c.base);
                }
                marker(&mut out, '=', None);
                side(&mut out, &c.remote);
                marker(&mut out, '>', Some(style.remote_label));
            }
        }
    }
    out
}

/// Picks a conflict marker length: at least `min_size`, and longer than any run
/// of `<`, `=`, `>` or `|` that starts a line of `texts`, so markers cannot be
/// confused with content (markdown `=======` underlines, for instance).
///
/// ```
/// use nbdiff::text::merge3::marker_size_for;
/// assert_eq!(marker_size_for(7, &["Title\n=====\n"]), 7);
/// assert_eq!(marker_size_for(7, &["Title\n==========\n"]), 11);
/// ```
pub fn marker_size_for(min_size: usize, texts: &[&str]) -> usize {
    let mut size = min_size;
    for text in texts {
        for line in text.split('\n') {
            let Some(first) = line.chars().next() else {
                continue;
            };
            if matches!(first, '<' | '=' | '>' | '|') {
                let run = line.chars().take_while(|&c| c == first).count();
                size = size.max(run + 1);
            }
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &Merge3) -> String {
        m.render(&MarkerStyle::default())
    }

    #[test]
    fn one_sided_changes_come_back_byte_for_byte() {
        let samples = [
            "",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "x\n=======\ny\n",
            "é\n",
            "\n\n\n",
        ];
        for b in samples {
            for x in samples {
                // merge(B, X, B) == X, merge(B, B, X) == X, merge(B, X, X) == X.
                for (l, r) in [(x, b), (b, x), (x, x)] {
                    let m = merge3(b, l, r);
                    assert!(m.is_clean(), "{b:?} {l:?} {r:?}");
                    assert_eq!(m.clean_text().as_deref(), Some(x));
                    assert_eq!(text(&m), x);
                }
            }
        }
    }

    #[test]
    fn conflicts_are_values() {
        let m = merge3("a\nb\nc\n", "a\nL\nc\n", "a\nR\nc\n");
        assert_eq!(m.conflict_count(), 1);
        assert_eq!(m.clean_text(), None);
        assert_eq!(
            m.regions,
            [
                Region::Resolved(vec![Cow::Borrowed("a\n")]),
                Region::Conflict(Conflict {
                    base: vec!["b\n"],
                    local: vec!["L\n"],
                    remote: vec!["R\n"],
                    crlf: false,
                }),
                Region::Resolved(vec![Cow::Borrowed("c\n")]),
            ]
        );
    }

    #[test]
    fn renders_diff3_and_labels() {
        let m = merge3_with(
            "a\nb\nc\n",
            "a\nL\nc\n",
            "a\nR\nc\n",
            &MergeOptions {
                refine: false,
                ..MergeOptions::default()
            },
        );
        let style = MarkerStyle {
            size: 3,
            local_label: "HEAD",
            base_label: None,
            remote_label: "",
            diff3: true,
        };
        assert_eq!(m.render(&style), "a\n<<< HEAD\nL\n|||\nb\n===\nR\n>>>\nc\n");
    }

    #[test]
    fn missing_final_newline_gets_markers_on_their_own_lines() {
        let m = merge3("a\nb", "a\nL", "a\nR");
        assert_eq!(
            text(&m),
            "a\n<<<<<<< local\nL\n=======\nR\n>>>>>>> remote\n"
        );
        let union = merge3_with(
            "a\nb",
            "a\nL",
            "a\nR",
            &MergeOptions {
                favor: Favor::Union,
                refine: true,
            },
        );
        assert_eq!(union.clean_text().as_deref(), Some("a\nL\nR"));
    }

    #[test]
    fn crlf_markers() {
        let m = merge3("a\r\nb\r\n", "a\r\nL\r\n", "a\r\nR\r\n");
        assert_eq!(
            text(&m),
            "a\r\n<<<<<<< local\r\nL\r\n=======\r\nR\r\n>>>>>>> remote\r\n"
        );
    }

    #[test]
    fn favor_options() {
        let (b, l, r) = ("a\nb\nc\n", "a\nL\nc\n", "a\nR\nc\n");
        let with = |favor| {
            merge3_with(
                b,
                l,
                r,
                &MergeOptions {
                    favor,
                    refine: true,
                },
            )
            .clean_text()
        };
        assert_eq!(with(Favor::Ours).as_deref(), Some(l));
        assert_eq!(with(Favor::Theirs).as_deref(), Some(r));
        assert_eq!(with(Favor::Union).as_deref(), Some("a\nL\nR\nc\n"));
        assert_eq!(with(Favor::Mark), None);
    }

    #[test]
    fn marker_size_grows_past_marker_like_lines() {
        assert_eq!(marker_size_for(7, &[]), 7);
        assert_eq!(marker_size_for(7, &["a\n<<<<<<<\n"]), 8);
        assert_eq!(marker_size_for(7, &["x", "  =========\n"]), 7);
        assert_eq!(marker_size_for(7, &["x", "|||||||||| y\r\n"]), 11);
        assert_eq!(marker_size_for(7, &["<<<<>>>>>>>>>>>\n"]), 7);
        assert_eq!(marker_size_for(3, &["====\n"]), 5);
        let content = "Title\n=======\n";
        let (l, r) = (format!("{content}L\n"), format!("{content}R\n"));
        let m = merge3(content, &l, &r);
        let size = marker_size_for(DEFAULT_MARKER_SIZE, &[content]);
        let out = m.render(&MarkerStyle {
            size,
            ..MarkerStyle::default()
        });
        assert_eq!(out.lines().filter(|l| *l == "========").count(), 1);
    }

    #[test]
    fn large_repetitive_merge_completes_with_conflicts() {
        let n = 100_000;
        let base: String = (0..n).map(|i| format!("{}\n", i % 7)).collect();
        let local: String = (0..n).map(|i| format!("{}\n", (i * 3) % 7)).collect();
        let remote: String = (0..n).map(|i| format!("{}\n", (i * 5) % 11)).collect();
        let m = merge3(&base, &local, &remote);
        assert!(!m.is_clean());
    }
}
