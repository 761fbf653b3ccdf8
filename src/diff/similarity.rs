//! How alike two cell texts are: a cheap, symmetric 0..1 score that cell
//! alignment ([`super::align`]) uses to pair up cells whose content changed.
//! A matching heuristic, not a text algorithm: it reads at most
//! [`SIMILARITY_PREFIX_BYTES`] of each text, so its cost is bounded.

/// How many bytes of each text [`similarity`] and [`Profile`] look at.
pub const SIMILARITY_PREFIX_BYTES: usize = 16 * 1024;

/// A precomputed summary of a text for repeated [`Profile::similarity`] calls.
///
/// It holds the sorted byte bigrams of the first [`SIMILARITY_PREFIX_BYTES`] of the
/// text, with a start and an end marker so that one-character texts compare too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    bigrams: Vec<u32>,
}

impl Profile {
    /// Builds the profile of `text`.
    pub fn new(text: &str) -> Profile {
        let bytes = text.as_bytes();
        let bytes = &bytes[..bytes.len().min(SIMILARITY_PREFIX_BYTES)];
        let mut bigrams = Vec::with_capacity(bytes.len() + 1);
        if !bytes.is_empty() {
            let mut prev: u32 = 0x100; // start marker
            for &b in bytes {
                bigrams.push((prev << 9) | u32::from(b));
                prev = u32::from(b);
            }
            bigrams.push((prev << 9) | 0x100); // end marker
        }
        bigrams.sort_unstable();
        Profile { bigrams }
    }

    /// Dice coefficient of the two bigram multisets: 1.0 for equal profiles,
    /// 0.0 when nothing is shared (or exactly one side is empty). Symmetric.
    pub fn similarity(&self, other: &Profile) -> f32 {
        if self.bigrams.is_empty() && other.bigrams.is_empty() {
            return 1.0;
        }
        dice(&self.bigrams, &other.bigrams)
    }
}

/// Texts shorter than this (bytes, both sides) are compared on tokens: a
/// few shared characters are no evidence that two one-line cells are one
/// edited cell (`BASE - no ID` and `LOCAL - with unique ID` share only `-`
/// and `ID`).
pub const SHORT_TEXT_BYTES: usize = 60;

/// Share of lines in common at or above which the line score is taken as is.
const LINE_EVIDENCE: f32 = 0.5;

/// How alike two texts are (typically two cell sources), in `0.0..=1.0`;
/// symmetric, and 1.0 for equal texts.
///
/// - Short texts (both under [`SHORT_TEXT_BYTES`]) score the Dice coefficient
///   of their tokens (words, numbers and single punctuation characters),
///   weighted by length.
/// - Otherwise, when both have several lines, the Dice coefficient of their
///   line multisets (trailing spaces ignored) when at least half the lines
///   are shared;
/// - else (lines lightly edited, or a single line) the larger of that and the
///   byte-bigram [`Profile`] similarity.
///
/// Cost is `O(n log n)` in at most [`SIMILARITY_PREFIX_BYTES`] per text; for many
/// comparisons against the same text build a [`Profile`] once.
///
/// ```
/// use nbdiff::text::diff::similarity;
/// assert_eq!(similarity("print(x)\n", "print(x)\n"), 1.0);
/// assert!(similarity("print(x)\n", "print(y)\n") > 0.6);
/// assert!(similarity("import numpy as np\n", "# Title\n") < 0.3);
/// assert!(similarity("BASE - no ID", "LOCAL - with unique ID") < 0.5);
/// ```
pub fn similarity(a: &str, b: &str) -> f32 {
    if a == b {
        return 1.0;
    }
    let (a, b) = (prefix(a), prefix(b));
    if a.len() < SHORT_TEXT_BYTES && b.len() < SHORT_TEXT_BYTES {
        return token_similarity(a, b);
    }
    let bigrams = || Profile::new(a).similarity(&Profile::new(b));
    match line_similarity(a, b) {
        Some(s) if s >= LINE_EVIDENCE => s,
        Some(s) => s.max(bigrams()),
        None => bigrams(),
    }
}

/// The first [`SIMILARITY_PREFIX_BYTES`] of `text`, cut at a character boundary.
fn prefix(text: &str) -> &str {
    let mut end = text.len().min(SIMILARITY_PREFIX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Dice coefficient of the two sorted multisets.
fn dice<T: Ord>(a: &[T], b: &[T]) -> f32 {
    weighted_dice(a, b, |_| 1)
}

/// Dice coefficient of the two sorted multisets, each item counting `weight`.
fn weighted_dice<T: Ord>(a: &[T], b: &[T], weight: impl Fn(&T) -> usize) -> f32 {
    let total: usize = a.iter().chain(b).map(&weight).sum();
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += weight(&a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    (2 * common) as f32 / total as f32
}

/// Dice of the line multisets; `None` when either text has at most one line.
fn line_similarity(a: &str, b: &str) -> Option<f32> {
    fn lines(t: &str) -> Vec<&str> {
        let mut l: Vec<&str> = t.lines().map(str::trim_end).collect();
        l.sort_unstable();
        l
    }
    let (la, lb) = (lines(a), lines(b));
    (la.len() > 1 && lb.len() > 1).then(|| dice(&la, &lb))
}

/// Dice of the token multisets, each token weighing its length (so `(` and
/// `)` shared by `gone()` and `new()` count for little): tokens are runs of
/// alphanumerics (and `_`), and each other non-space character alone.
fn token_similarity(a: &str, b: &str) -> f32 {
    fn tokens(t: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest = t.trim_start();
        while let Some(c) = rest.chars().next() {
            let word = |c: char| c.is_alphanumeric() || c == '_';
            let len = if word(c) {
                rest.find(|c| !word(c)).unwrap_or(rest.len())
            } else {
                c.len_utf8()
            };
            out.push(&rest[..len]);
            rest = rest[len..].trim_start();
        }
        out.sort_unstable();
        out
    }
    let (ta, tb) = (tokens(a), tokens(b));
    if ta.is_empty() && tb.is_empty() {
        return if a.trim() == b.trim() { 1.0 } else { 0.0 };
    }
    weighted_dice(&ta, &tb, |t| t.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_properties() {
        let texts = [
            "",
            "a",
            "b",
            "import numpy as np\nimport pandas as pd\n",
            "import numpy as np\nimport polars as pl\n",
            "# Heading\n\nSome text.",
            "日本語のテキスト",
        ];
        for a in texts {
            assert_eq!(similarity(a, a), 1.0);
            for b in texts {
                let s = similarity(a, b);
                assert!((0.0..=1.0).contains(&s));
                assert_eq!(s, similarity(b, a));
            }
        }
        assert_eq!(similarity("", "x"), 0.0);
        assert!(similarity(texts[3], texts[4]) > 0.7);
        assert!(similarity(texts[3], texts[5]) < 0.3);
        // Bounded cost: only the prefix is read.
        let big_a = "x".repeat(10_000_000);
        let big_b = format!("{big_a}y");
        assert_eq!(similarity(&big_a, &big_b), 1.0);
    }

    #[test]
    fn short_texts_need_shared_words() {
        assert!(similarity("BASE - no ID", "LOCAL - with unique ID") < 0.5);
        assert!(similarity("x = 1", "x = 2") >= 0.5);
        assert!(similarity("BASE - no ID", "REMOTE - no ID") >= 0.5);
        assert!(similarity("gone()", "new()") < 0.5);
        assert_eq!(similarity(" ", ""), 1.0, "blank cells are alike");
    }

    #[test]
    fn many_shared_lines_or_light_edits_are_similar() {
        let a = "import numpy as np\nimport pandas as pd\n\ndf = pd.read_csv('data.csv')\nprint(df.head())\n";
        let b = "import numpy as np\nimport pandas as pd\n\ndf = pd.read_csv('other.csv')\nprint(df.head())\n";
        assert!(similarity(a, b) >= 0.5);
        let c = "# Results\n\nThe table below shows the mean of each column.\n";
        assert!(similarity(a, c) < 0.3);
    }
}
