//! Line diff with word-level highlights inside changed lines.
//!
//! This is the one place the diff engine turns two texts into changed lines;
//! it is an interim implementation until the shared `crate::text` module lands,
//! at which point only this file changes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// What happened to one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineTag {
    /// On both sides.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// One line of a unified diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    /// Equal, deleted or inserted.
    pub tag: LineTag,
    /// 0-based line in the old text (equal and deleted lines).
    pub old: Option<usize>,
    /// 0-based line in the new text (equal and inserted lines).
    pub new: Option<usize>,
    /// Byte ranges inside the line that changed (word level); empty when the
    /// whole line is new or no pairing line was found.
    pub highlights: Vec<Range<usize>>,
}

/// The line diff of two texts, owning (or borrowing) both texts.
#[derive(Debug, Clone)]
pub struct TextDiff<'a> {
    /// The old text.
    pub old: Cow<'a, str>,
    /// The new text.
    pub new: Cow<'a, str>,
    old_lines: Vec<Range<usize>>,
    new_lines: Vec<Range<usize>>,
    /// Every line of both texts in unified order.
    pub lines: Vec<DiffLine>,
}

/// Changed byte ranges inside one line.
pub type Highlights = Vec<Range<usize>>;

/// Lines longer than this get no word-level highlights.
const MAX_WORD_LINE: usize = 4000;
/// Changed blocks with more lines than this get no word-level highlights.
const MAX_WORD_BLOCK: usize = 200;

/// Byte ranges of the lines of `text`, without their endings (`\n`, `\r\n`).
pub fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
        let end = if nl > start && text.as_bytes()[nl - 1] == b'\r' {
            nl - 1
        } else {
            nl
        };
        out.push(start..end);
        start = nl + 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

fn intern_lines<'s>(
    text: &'s str,
    lines: &[Range<usize>],
    ignore_whitespace: bool,
    interner: &mut HashMap<Cow<'s, str>, u32>,
) -> Vec<imara_diff::intern::Token> {
    lines
        .iter()
        .map(|r| {
            let line = &text[r.clone()];
            let key = if ignore_whitespace {
                squash_whitespace(line)
            } else {
                Cow::Borrowed(line)
            };
            let n = interner.len() as u32;
            imara_diff::intern::Token(*interner.entry(key).or_insert(n))
        })
        .collect()
}

fn squash_whitespace(s: &str) -> Cow<'_, str> {
    if s.contains(char::is_whitespace) {
        Cow::Owned(s.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(s)
    }
}

impl<'a> TextDiff<'a> {
    /// Diffs two texts line by line. With `ignore_whitespace`, lines that
    /// differ only in whitespace compare equal.
    pub fn new(old: Cow<'a, str>, new: Cow<'a, str>, ignore_whitespace: bool) -> TextDiff<'a> {
        let old_lines = line_ranges(&old);
        let new_lines = line_ranges(&new);
        let mut interner: HashMap<Cow<'_, str>, u32> = HashMap::new();
        let before = intern_lines(&old, &old_lines, ignore_whitespace, &mut interner);
        let after = intern_lines(&new, &new_lines, ignore_whitespace, &mut interner);
        let num_tokens = interner.len() as u32;
        drop(interner);
        let mut changes: Vec<(Range<u32>, Range<u32>)> = Vec::new();
        imara_diff::diff_with_tokens(
            imara_diff::Algorithm::Histogram,
            &before,
            &after,
            num_tokens,
            |b: Range<u32>, c: Range<u32>| changes.push((b, c)),
        );
        let mut diff = TextDiff {
            old,
            new,
            old_lines,
            new_lines,
            lines: Vec::new(),
        };
        let (mut x, mut y) = (0usize, 0usize);
        for (b, c) in changes {
            diff.push_equal(x, b.start as usize, y);
            diff.push_change(
                b.start as usize..b.end as usize,
                c.start as usize..c.end as usize,
            );
            x = b.end as usize;
            y = c.end as usize;
        }
        let n = diff.old_lines.len();
        diff.push_equal(x, n, y);
        diff
    }

    fn push_equal(&mut self, from: usize, to: usize, new_from: usize) {
        for k in 0..to.saturating_sub(from) {
            self.lines.push(DiffLine {
                tag: LineTag::Equal,
                old: Some(from + k),
                new: Some(new_from + k),
                highlights: Vec::new(),
            });
        }
    }

    fn push_change(&mut self, old: Range<usize>, new: Range<usize>) {
        let pair = old.len() <= MAX_WORD_BLOCK && new.len() <= MAX_WORD_BLOCK;
        let mut new_hl: Vec<Vec<Range<usize>>> = vec![Vec::new(); new.len()];
        for (k, i) in old.clone().enumerate() {
            let mut hl = Vec::new();
            if pair && k < new.len() {
                let (a, b) = (self.old_line(i), self.new_line(new.start + k));
                if let Some((ha, hb)) = word_ranges(a, b) {
                    hl = ha;
                    new_hl[k] = hb;
                }
            }
            self.lines.push(DiffLine {
                tag: LineTag::Delete,
                old: Some(i),
                new: None,
                highlights: hl,
            });
        }
        for (k, j) in new.enumerate() {
            self.lines.push(DiffLine {
                tag: LineTag::Insert,
                old: None,
                new: Some(j),
                highlights: std::mem::take(&mut new_hl[k]),
            });
        }
    }

    /// Line `i` of the old text (without its ending).
    pub fn old_line(&self, i: usize) -> &str {
        self.old_lines.get(i).map_or("", |r| &self.old[r.clone()])
    }

    /// Line `j` of the new text (without its ending).
    pub fn new_line(&self, j: usize) -> &str {
        self.new_lines.get(j).map_or("", |r| &self.new[r.clone()])
    }

    /// The text of a diff line (from the side it belongs to).
    pub fn text_of(&self, line: &DiffLine) -> &str {
        match (line.old, line.new) {
            (Some(i), _) => self.old_line(i),
            (None, Some(j)) => self.new_line(j),
            (None, None) => "",
        }
    }

    /// Number of inserted lines.
    pub fn added(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.tag == LineTag::Insert)
            .count()
    }

    /// Number of deleted lines.
    pub fn removed(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| l.tag == LineTag::Delete)
            .count()
    }

    /// True when no line changed.
    pub fn is_unchanged(&self) -> bool {
        self.lines.iter().all(|l| l.tag == LineTag::Equal)
    }
}

/// Splits a line into words, runs of whitespace and single other characters.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<u8> = None; // 0 word, 1 space
    for (i, c) in line.char_indices() {
        let class = if c.is_alphanumeric() || c == '_' {
            Some(0)
        } else if c.is_whitespace() {
            Some(1)
        } else {
            None
        };
        let joins = class.is_some() && class == prev;
        if i > start && !joins {
            out.push(&line[start..i]);
            start = i;
        }
        prev = class;
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

/// Word-level changed byte ranges of a deleted line `a` paired with an
/// inserted line `b`; `None` when the lines have too little in common for
/// highlights to help.
pub fn word_ranges(a: &str, b: &str) -> Option<(Highlights, Highlights)> {
    if a.len() > MAX_WORD_LINE || b.len() > MAX_WORD_LINE {
        return None;
    }
    let ta = tokens(a);
    let tb = tokens(b);
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &ta, &tb);
    let offsets = |toks: &[&str]| -> Vec<usize> {
        let mut acc = 0;
        let mut v = Vec::with_capacity(toks.len() + 1);
        v.push(0);
        for t in toks {
            acc += t.len();
            v.push(acc);
        }
        v
    };
    let (oa, ob) = (offsets(&ta), offsets(&tb));
    let (mut ha, mut hb) = (Vec::new(), Vec::new());
    let mut equal_bytes = 0;
    for op in ops {
        let (_, old_r, new_r) = op.as_tag_tuple();
        if matches!(op, similar::DiffOp::Equal { .. }) {
            equal_bytes += oa[old_r.end] - oa[old_r.start];
            continue;
        }
        if !old_r.is_empty() {
            push_merged(&mut ha, oa[old_r.start]..oa[old_r.end]);
        }
        if !new_r.is_empty() {
            push_merged(&mut hb, ob[new_r.start]..ob[new_r.end]);
        }
    }
    let longest = a.len().max(b.len()).max(1);
    if equal_bytes * 10 < longest * 3 {
        return None;
    }
    Some((ha, hb))
}

fn push_merged(v: &mut Vec<Range<usize>>, r: Range<usize>) {
    match v.last_mut() {
        Some(last) if last.end == r.start => last.end = r.end,
        _ => v.push(r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_line_gets_word_highlights() {
        let d = TextDiff::new(
            "a = 1\nprint(a)\n".into(),
            "a = 2\nprint(a)\n".into(),
            false,
        );
        assert_eq!((d.added(), d.removed()), (1, 1));
        let del = &d.lines[0];
        assert_eq!(del.tag, LineTag::Delete);
        assert_eq!(del.highlights, vec![4..5]);
        assert_eq!(d.lines[1].highlights, vec![4..5]);
    }

    #[test]
    fn whitespace_can_be_ignored() {
        let d = TextDiff::new("if x:\n  y\n".into(), "if x:\n    y\n".into(), true);
        assert!(d.is_unchanged());
        let d = TextDiff::new("if x:\n  y\n".into(), "if x:\n    y\n".into(), false);
        assert!(!d.is_unchanged());
    }

    #[test]
    fn crlf_endings_are_not_part_of_lines() {
        assert_eq!(line_ranges("a\r\nb"), vec![0..1, 3..4]);
    }
}
