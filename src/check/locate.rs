//! Lines of the `.ipynb` file for findings, so that annotations land on the
//! right line of a pull request's diff.
//!
//! [`crate::notebook::raw`] finds each cell's byte span and, inside it, the
//! `source` strings (one per line as Jupyter writes them; `\n` escapes are
//! counted here otherwise), the `outputs` items and the `execution_count`.
//! Linear, and run only for notebooks with findings.

use crate::notebook::raw::CellParts;
use std::ops::Range;

pub(crate) struct LineMap<'a> {
    raw: &'a [u8],
    spans: Vec<Range<usize>>,
    newlines: Vec<usize>,
    /// The last cell looked at (findings come in cell order): its parts
    /// and where each source string's line range ends, so that many
    /// findings in one cell cost one scan of it.
    cache: Option<(usize, CellParts<'a>, Vec<usize>)>,
}

impl<'a> LineMap<'a> {
    pub(crate) fn new(raw: &'a [u8], v3: bool) -> LineMap<'a> {
        let spans = crate::notebook::raw::scan(raw, v3)
            .spans
            .unwrap_or_default();
        let newlines = memchr::memchr_iter(b'\n', raw).collect();
        LineMap {
            raw,
            spans,
            newlines,
            cache: None,
        }
    }

    fn line_at(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }

    /// The 1-based file line of a cell's source line, output, or (neither)
    /// execution count; 1 when not found. In an output, `evidence` (text
    /// the finding is about, as the output holds it) moves the line from
    /// the output's opening brace to the first line holding it.
    pub(crate) fn file_line(
        &mut self,
        cell: Option<usize>,
        line: Option<usize>,
        output: Option<usize>,
        evidence: Option<&str>,
    ) -> usize {
        let Some(c) = cell else {
            return 1;
        };
        let Some(span) = self.spans.get(c).cloned() else {
            return 1;
        };
        if self
            .cache
            .as_ref()
            .is_none_or(|(cached, _, _)| *cached != c)
        {
            let parts = crate::notebook::raw::cell_parts(self.raw, span.clone());
            // String j holds lines [first_j, ends_j): its last line (after
            // its last `\n`) goes on in the next string, unless it has no
            // newline at all. The ends never decrease.
            let mut first_line = 1;
            let ends = parts
                .source
                .iter()
                .map(|&(_, text)| {
                    let newlines = newline_escapes(text);
                    let end = first_line + newlines.max(1);
                    first_line += newlines;
                    end
                })
                .collect();
            self.cache = Some((c, parts, ends));
        }
        let Some((_, spots, ends)) = &self.cache else {
            return 1;
        };
        let at = if let Some(k) = output {
            spots.outputs.get(k).map(|&open| {
                // Searched within this output only (up to the next output,
                // or the source or count after it): a later output holding
                // the same text is not this one, and many findings in one
                // cell do not each search the rest of it.
                let end = spots
                    .outputs
                    .get(k + 1)
                    .copied()
                    .into_iter()
                    .chain(spots.source.iter().map(|s| s.0))
                    .chain(spots.execution_count)
                    .filter(|&p| p > open)
                    .fold(span.end, usize::min)
                    .min(self.raw.len());
                evidence
                    .filter(|e| !e.is_empty() && open < end)
                    .and_then(|e| memchr::memmem::find(&self.raw[open..end], e.as_bytes()))
                    .map_or(open, |rel| open + rel)
            })
        } else if let Some(l) = line {
            let j = ends.partition_point(|&e| e <= l);
            spots.source.get(j).or(spots.source.last()).map(|s| s.0)
        } else {
            spots.execution_count
        };
        let open = spots.open;
        self.line_at(at.unwrap_or(open))
    }
}

/// The `\n` escapes in a string's raw contents.
fn newline_escapes(escaped: &[u8]) -> usize {
    let mut n = 0;
    let mut i = 0;
    while let Some(at) = escaped.get(i..).and_then(|r| memchr::memchr(b'\\', r)) {
        i += at;
        if escaped.get(i + 1) == Some(&b'n') {
            n += 1;
        }
        i += 2;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_sources_outputs_and_counts() {
        let raw = br#"{
 "cells": [
  {
   "cell_type": "code",
   "execution_count": 3,
   "metadata": {},
   "outputs": [
    {
     "name": "stdout",
     "output_type": "stream",
     "text": ["a\n"]
    }
   ],
   "source": [
    "x = 1\n",
    "y = \"}\"\n",
    "z"
   ]
  },
  {"cell_type": "markdown", "metadata": {}, "source": "one\ntwo\nthree"}
 ],
 "metadata": {},
 "nbformat": 4,
 "nbformat_minor": 5
}
"#;
        let mut map = LineMap::new(raw, false);
        assert_eq!(map.file_line(Some(0), Some(1), None, None), 15);
        assert_eq!(map.file_line(Some(0), Some(2), None, None), 16);
        assert_eq!(map.file_line(Some(0), Some(3), None, None), 17);
        assert_eq!(map.file_line(Some(0), Some(9), None, None), 17);
        assert_eq!(map.file_line(Some(0), None, Some(0), None), 8);
        assert_eq!(map.file_line(Some(0), None, Some(0), Some("a\\n")), 11);
        assert_eq!(map.file_line(Some(0), None, Some(0), Some("absent")), 8);
        // Text of the cell's source is not in its output.
        assert_eq!(map.file_line(Some(0), None, Some(0), Some("x = 1")), 8);
        assert_eq!(map.file_line(Some(0), None, None, None), 5);
        assert_eq!(map.file_line(Some(1), Some(3), None, None), 20);
        assert_eq!(map.file_line(Some(1), Some(1), None, None), 20);
        assert_eq!(map.file_line(None, None, None, None), 1);
    }
}
