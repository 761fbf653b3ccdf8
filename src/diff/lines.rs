//! Line diff with word-level highlights inside changed lines.
//!
//! This is the one place the diff engine turns two texts into changed lines;
//! the line diff (git's Myers with slider compaction) and the word diff come
//! from [`crate::text`]; this file adapts them to the notebook diff model
//! (byte ranges of lines, `--ignore-whitespace` keys).

use crate::text::line_diff::OpKind;
use crate::text::words::InlineDiff;
use std::borrow::Cow;
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

/// The comparison key of a line: itself, or without whitespace (`-w`).
fn line_key<'s>(text: &'s str, r: &Range<usize>, ignore_whitespace: bool) -> Cow<'s, str> {
    let line = &text[r.clone()];
    if ignore_whitespace {
        squash_whitespace(line)
    } else {
        Cow::Borrowed(line)
    }
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
        let ops = {
            let keys_old: Vec<Cow<'_, str>> = old_lines
                .iter()
                .map(|r| line_key(&old, r, ignore_whitespace))
                .collect();
            let keys_new: Vec<Cow<'_, str>> = new_lines
                .iter()
                .map(|r| line_key(&new, r, ignore_whitespace))
                .collect();
            crate::text::line_diff::diff_lines(&keys_old, &keys_new)
        };
        let mut diff = TextDiff {
            old,
            new,
            old_lines,
            new_lines,
            lines: Vec::new(),
        };
        // Consecutive deletions and insertions form one changed block.
        let mut block: Option<(Range<usize>, Range<usize>)> = None;
        for op in ops {
            match op.kind {
                OpKind::Equal => {
                    if let Some((o, n)) = block.take() {
                        diff.push_change(o, n);
                    }
                    diff.push_equal(op.old.start, op.old.end, op.new.start);
                }
                OpKind::Delete | OpKind::Insert => {
                    let (o, n) = block
                        .get_or_insert((op.old.start..op.old.start, op.new.start..op.new.start));
                    o.end = o.end.max(op.old.end);
                    n.end = n.end.max(op.new.end);
                }
            }
        }
        if let Some((o, n)) = block.take() {
            diff.push_change(o, n);
        }
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

/// Word-level changed byte ranges of a deleted line `a` paired with an
/// inserted line `b`; `None` when the lines have too little in common for
/// highlights to help.
pub fn word_ranges(a: &str, b: &str) -> Option<(Highlights, Highlights)> {
    if a.len() > MAX_WORD_LINE || b.len() > MAX_WORD_LINE {
        return None;
    }
    match crate::text::words::word_diff(a, b) {
        InlineDiff::Words { old, new } => Some((old, new)),
        InlineDiff::WholeLine => None,
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
