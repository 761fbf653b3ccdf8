//! Lines of the `.ipynb` file for findings, so that annotations land on the
//! right line of a pull request's diff.
//!
//! [`crate::notebook::raw`] finds each cell's byte span and, inside it, the
//! `source` strings (one per line as Jupyter writes them; `\n` escapes are
//! counted here otherwise), the `outputs` items and the `execution_count`.
//! Linear, and run only for notebooks with findings.

use std::ops::Range;

pub(crate) struct LineMap<'a> {
    raw: &'a [u8],
    spans: Vec<Range<usize>>,
    newlines: Vec<usize>,
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
        }
    }

    fn line_at(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }

    /// The 1-based file line of a cell's source line, output, or (neither)
    /// execution count; 1 when not found.
    pub(crate) fn file_line(
        &self,
        cell: Option<usize>,
        line: Option<usize>,
        output: Option<usize>,
    ) -> usize {
        let Some(span) = cell.and_then(|c| self.spans.get(c)) else {
            return 1;
        };
        let spots = crate::notebook::raw::cell_parts(self.raw, span.clone());
        let at = if let Some(k) = output {
            spots.outputs.get(k).copied()
        } else if let Some(l) = line {
            // Find the string holding line `l` (1-based).
            let mut first_line = 1;
            let mut found = None;
            for &(offset, text) in &spots.source {
                let newlines = newline_escapes(text);
                // The string's last line (after its last `\n`) goes on in
                // the next string, unless it has no newline at all.
                if l < first_line + newlines || (newlines == 0 && l == first_line) {
                    found = Some(offset);
                    break;
                }
                first_line += newlines;
            }
            found.or(spots.source.last().map(|s| s.0))
        } else {
            spots.execution_count
        };
        self.line_at(at.unwrap_or(spots.open))
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
        let map = LineMap::new(raw, false);
        assert_eq!(map.file_line(Some(0), Some(1), None), 15);
        assert_eq!(map.file_line(Some(0), Some(3), None), 17);
        assert_eq!(map.file_line(Some(0), None, Some(0)), 8);
        assert_eq!(map.file_line(Some(0), None, None), 5);
        assert_eq!(map.file_line(Some(1), Some(3), None), 20);
        assert_eq!(map.file_line(None, None, None), 1);
    }
}
