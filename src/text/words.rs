//! Word-level differences inside a pair of changed lines, for inline highlighting.
//!
//! A line is cut into tokens: runs of word characters (alphanumeric or `_`), runs
//! of whitespace, and single other characters. The token sequences are diffed and
//! the byte ranges of the tokens that differ are returned for each side. When
//! lines are very long or have too little in common, highlighting words would be
//! noise, and [`InlineDiff::WholeLine`] says so instead.

use std::ops::Range;

use super::line_diff::changes;
use super::lines::strip_eol;

/// Lines longer than this many characters are not word-diffed.
pub const MAX_LINE_CHARS: usize = 1000;

/// Below this share of common (non-whitespace) bytes, a line pair counts as
/// entirely changed.
pub const MIN_COMMON_RATIO: f32 = 0.35;

/// Word-level result for one pair of lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InlineDiff {
    /// Byte ranges, in the old and the new line, of the parts that differ. Ranges
    /// are sorted, disjoint and never cover the line ending. Both are empty when the
    /// lines are equal apart from their endings.
    Words {
        /// Changed byte ranges of the old line.
        old: Vec<Range<usize>>,
        /// Changed byte ranges of the new line.
        new: Vec<Range<usize>>,
    },
    /// The lines are too long or too different: treat each as changed as a whole.
    WholeLine,
}

/// Splits `line` into tokens: runs of word characters, runs of whitespace, and
/// single other characters. The tokens concatenate back to `line`.
///
/// ```
/// use nbdiff::text::words::tokenize;
/// assert_eq!(tokenize("x  = f(a_1)"), ["x", "  ", "=", " ", "f", "(", "a_1", ")"]);
/// ```
pub fn tokenize(line: &str) -> Vec<&str> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    fn class(c: char) -> Class {
        if c.is_alphanumeric() || c == '_' {
            Class::Word
        } else if c.is_whitespace() {
            Class::Space
        } else {
            Class::Other
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<Class> = None;
    for (i, c) in line.char_indices() {
        let cl = class(c);
        if let Some(p) = prev {
            if p != cl || cl == Class::Other {
                out.push(&line[start..i]);
                start = i;
            }
        }
        prev = Some(cl);
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

/// Finds the parts of `old` and `new` (one line each, line ending allowed) that
/// differ, word by word.
///
/// ```
/// use nbdiff::text::words::{word_diff, InlineDiff};
/// let d = word_diff("x = compute(a, b)\n", "x = compute(a, c)\n");
/// assert_eq!(d, InlineDiff::Words { old: vec![15..16], new: vec![15..16] });
/// assert_eq!(word_diff("alpha beta", "gamma delta"), InlineDiff::WholeLine);
/// ```
pub fn word_diff(old: &str, new: &str) -> InlineDiff {
    let (old, new) = (strip_eol(old), strip_eol(new));
    if old == new {
        return InlineDiff::Words {
            old: Vec::new(),
            new: Vec::new(),
        };
    }
    let too_long = |s: &str| s.len() > MAX_LINE_CHARS && s.chars().count() > MAX_LINE_CHARS;
    if too_long(old) || too_long(new) {
        return InlineDiff::WholeLine;
    }
    let (ta, tb) = (tokenize(old), tokenize(new));
    let (oa, ob) = (offsets(&ta), offsets(&tb));
    let ch = changes(&ta, &tb);

    // Share of common non-whitespace bytes.
    let solid = |t: &[&str]| -> usize {
        t.iter()
            .filter(|s| !s.starts_with(char::is_whitespace))
            .map(|s| s.len())
            .sum()
    };
    let (total_a, total_b) = (solid(&ta), solid(&tb));
    let changed_a: usize = ch.iter().map(|c| solid(&ta[c.old.clone()])).sum();
    let changed_b: usize = ch.iter().map(|c| solid(&tb[c.new.clone()])).sum();
    let common = (total_a - changed_a) + (total_b - changed_b);
    let total = total_a + total_b;
    if total > 0 && (common as f32) < MIN_COMMON_RATIO * total as f32 {
        return InlineDiff::WholeLine;
    }

    let old_ranges = ch.iter().map(|c| oa[c.old.start]..oa[c.old.end]);
    let new_ranges = ch.iter().map(|c| ob[c.new.start]..ob[c.new.end]);
    InlineDiff::Words {
        old: coalesce(old, old_ranges),
        new: coalesce(new, new_ranges),
    }
}

/// Byte offset of each token start, plus the end.
fn offsets(tokens: &[&str]) -> Vec<usize> {
    let mut v = Vec::with_capacity(tokens.len() + 1);
    let mut at = 0;
    v.push(0);
    for t in tokens {
        at += t.len();
        v.push(at);
    }
    v
}

/// Drops empty ranges and joins ranges separated only by whitespace.
fn coalesce(line: &str, ranges: impl Iterator<Item = Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges.filter(|r| !r.is_empty()) {
        if let Some(last) = out.last_mut() {
            if line[last.end..r.start].chars().all(char::is_whitespace) {
                last.end = r.end;
                continue;
            }
        }
        out.push(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        for s in [
            "",
            "a",
            "  x\t= y__z+1 ",
            "héllo wörld!!",
            "日本 語",
            "a\r\n",
        ] {
            assert_eq!(tokenize(s).concat(), s);
        }
        assert_eq!(tokenize("a+=b"), ["a", "+", "=", "b"]);
    }

    #[test]
    fn equal_lines_have_no_ranges() {
        let d = word_diff("same\n", "same\r\n");
        assert_eq!(
            d,
            InlineDiff::Words {
                old: vec![],
                new: vec![]
            }
        );
    }

    #[test]
    fn finds_changed_words() {
        let d = word_diff(
            "df = pd.read_csv('a.csv')\n",
            "df = pd.read_parquet('a.parquet')\n",
        );
        let InlineDiff::Words { old, new } = d else {
            panic!("expected words")
        };
        let o = "df = pd.read_csv('a.csv')";
        let n = "df = pd.read_parquet('a.parquet')";
        let os: Vec<&str> = old.iter().map(|r| &o[r.clone()]).collect();
        let ns: Vec<&str> = new.iter().map(|r| &n[r.clone()]).collect();
        assert_eq!(os, ["read_csv", "csv"]);
        assert_eq!(ns, ["read_parquet", "parquet"]);
    }

    #[test]
    fn insertion_only() {
        let d = word_diff("print(x)", "print(x, y)");
        assert_eq!(
            d,
            InlineDiff::Words {
                old: vec![],
                new: std::iter::once(7..10).collect()
            }
        );
    }

    #[test]
    fn unicode_ranges_are_char_boundaries() {
        let (a, b) = ("naïve café au lait", "naïve thé au lait");
        let InlineDiff::Words { old, new } = word_diff(a, b) else {
            panic!("expected words")
        };
        assert_eq!(
            old.iter().map(|r| &a[r.clone()]).collect::<Vec<_>>(),
            ["café"]
        );
        assert_eq!(
            new.iter().map(|r| &b[r.clone()]).collect::<Vec<_>>(),
            ["thé"]
        );
    }

    #[test]
    fn skips_long_or_dissimilar_lines() {
        let long_a = "a ".repeat(600);
        let long_b = format!("{long_a}b");
        assert_eq!(word_diff(&long_a, &long_b), InlineDiff::WholeLine);
        assert_eq!(word_diff("foo(bar)", "baz(qux)"), InlineDiff::WholeLine);
        // Whitespace-only lines: no solid content, still word-diffed.
        assert!(matches!(word_diff("  ", "\t"), InlineDiff::Words { .. }));
    }
}
