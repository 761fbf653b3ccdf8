//! Lines of the `.ipynb` file for findings, so that annotations land on the
//! right line of a pull request's diff.
//!
//! [`crate::notebook::raw`] finds each cell's byte span; a small scanner
//! inside the span finds the `source` strings (one per line as Jupyter
//! writes them, counting `\n` escapes otherwise), the `outputs` items and the
//! `execution_count`. Linear, and run only for notebooks with findings.

use std::ops::Range;

pub(crate) struct LineMap<'a> {
    raw: &'a [u8],
    spans: Vec<Range<usize>>,
    newlines: Vec<usize>,
}

/// Where things are inside one cell's span.
#[derive(Default)]
struct CellSpots {
    open: usize,
    /// (offset of each source string, the number of `\n` escapes in it).
    source: Vec<(usize, usize)>,
    outputs: Vec<usize>,
    execution_count: Option<usize>,
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
        let spots = scan_cell(self.raw, span.clone());
        let at = if let Some(k) = output {
            spots.outputs.get(k).copied()
        } else if let Some(l) = line {
            // Find the string holding line `l` (1-based).
            let mut first_line = 1;
            let mut found = None;
            for &(offset, newlines) in &spots.source {
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

fn scan_cell(raw: &[u8], span: Range<usize>) -> CellSpots {
    let mut s = Scan {
        b: &raw[..span.end.min(raw.len())],
        pos: span.start,
    };
    let mut spots = CellSpots::default();
    s.ws();
    spots.open = s.pos;
    if s.peek() != Some(b'{') {
        return spots;
    }
    s.pos += 1;
    loop {
        s.ws();
        match s.peek() {
            Some(b'"') => {}
            Some(b',') => {
                s.pos += 1;
                continue;
            }
            _ => return spots,
        }
        let key_start = s.pos;
        s.string();
        let key = &s.b[key_start..s.pos];
        s.ws();
        if s.peek() != Some(b':') {
            return spots;
        }
        s.pos += 1;
        s.ws();
        match key {
            b"\"source\"" | b"\"input\"" => {
                if s.peek() == Some(b'[') {
                    s.items(|s, at| {
                        let n = s.string();
                        spots.source.push((at, n));
                    });
                } else {
                    let at = s.pos;
                    let n = s.string();
                    spots.source.push((at, n));
                }
            }
            b"\"outputs\"" if s.peek() == Some(b'[') => {
                s.items(|s, at| {
                    spots.outputs.push(at);
                    s.value();
                });
            }
            b"\"execution_count\"" | b"\"prompt_number\"" => {
                spots.execution_count = Some(key_start);
                s.value();
            }
            _ => s.value(),
        }
        if s.pos >= s.b.len() {
            return spots;
        }
    }
}

struct Scan<'a> {
    b: &'a [u8],
    pos: usize,
}

impl Scan<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.pos += 1;
        }
    }

    /// Skips a string (at its opening quote); returns its `\n` escapes.
    fn string(&mut self) -> usize {
        if self.peek() != Some(b'"') {
            self.value();
            return 0;
        }
        self.pos += 1;
        let mut newlines = 0;
        while let Some(i) = memchr::memchr2(b'"', b'\\', &self.b[self.pos..]) {
            self.pos += i;
            if self.b[self.pos] == b'"' {
                self.pos += 1;
                return newlines;
            }
            if self.b.get(self.pos + 1) == Some(&b'n') {
                newlines += 1;
            }
            self.pos += 2;
        }
        self.pos = self.b.len();
        newlines
    }

    /// Calls `f` at each item of an array (at its opening bracket).
    fn items(&mut self, mut f: impl FnMut(&mut Self, usize)) {
        self.pos += 1;
        loop {
            self.ws();
            match self.peek() {
                None => return,
                Some(b']') => {
                    self.pos += 1;
                    return;
                }
                Some(b',') => self.pos += 1,
                Some(_) => {
                    let at = self.pos;
                    f(self, at);
                    if self.pos == at {
                        self.pos += 1;
                    }
                }
            }
        }
    }

    /// Skips any value.
    fn value(&mut self) {
        self.ws();
        match self.peek() {
            Some(b'"') => {
                self.string();
            }
            Some(b'[' | b'{') => {
                let mut depth = 0usize;
                while let Some(c) = self.peek() {
                    match c {
                        b'"' => {
                            self.string();
                            continue;
                        }
                        b'[' | b'{' => depth += 1,
                        b']' | b'}' => {
                            depth -= 1;
                            if depth == 0 {
                                self.pos += 1;
                                return;
                            }
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
            }
            _ => {
                while let Some(c) = self.peek() {
                    if matches!(c, b',' | b'}' | b']') || c.is_ascii_whitespace() {
                        return;
                    }
                    self.pos += 1;
                }
            }
        }
    }
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
