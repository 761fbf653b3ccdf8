//! Where each cell sits in the original bytes, so that a writer can copy
//! untouched cells verbatim (byte fidelity even for files whose formatting
//! no single [`Style`](super::Style) describes, e.g. hand-edited indentation).
//!
//! A small structural scanner: it runs only on text `serde_json` has already
//! accepted, skips strings with `memchr`, and is linear in the input size.

use std::ops::Range;

/// What one pass over a document's bytes finds.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// The byte span of every cell object, in document order (v3: all
    /// worksheets), each including the whitespace before it. `None` when the
    /// layout is not the expected one (then nothing is copied verbatim).
    pub spans: Option<Vec<Range<usize>>>,
    /// Numbers whose spelling the JSON parser normalizes (an exponent: `1e5`
    /// and `1E5` are read as `1e+5`), as (normalized, original) in document
    /// order. Only numbers outside strings are looked at.
    pub numbers: Vec<(String, String)>,
}

/// Scans a document once for its cell spans and number spellings. Linear.
pub(crate) fn scan(raw: &[u8], v3: bool) -> Scan {
    let mut s = Scanner {
        raw,
        pos: 0,
        key_at: 0,
        numbers: Vec::new(),
    };
    s.ws();
    if raw.get(s.pos..s.pos + 3) == Some(b"\xef\xbb\xbf") {
        s.pos += 3;
        s.ws();
    }
    let mut spans = Vec::new();
    let found = s.object(|s, key| {
        if !v3 && key == b"cells" {
            s.array_items(|s, start| {
                s.value()?;
                spans.push(start..s.pos);
                Some(())
            })
        } else if v3 && key == b"worksheets" {
            s.array_items(|s, _| {
                s.ws();
                if s.peek()? != b'{' {
                    return s.value();
                }
                s.object(|s, key| {
                    if key == b"cells" {
                        s.array_items(|s, start| {
                            s.value()?;
                            spans.push(start..s.pos);
                            Some(())
                        })
                    } else {
                        s.value()
                    }
                })
            })
        } else {
            s.value()
        }
    });
    Scan {
        spans: found.map(|()| spans),
        numbers: s.numbers,
    }
}

/// Where the parts of one cell object sit, as byte offsets into the
/// document (for `nbdiff check`'s `.ipynb` line numbers).
#[derive(Debug, Default)]
pub(crate) struct CellParts<'a> {
    /// The cell's opening brace.
    pub open: usize,
    /// Each string of `source` (`input` in v3): its offset (the opening
    /// quote) and raw, still escaped, contents.
    pub source: Vec<(usize, &'a [u8])>,
    /// The offset of each output.
    pub outputs: Vec<usize>,
    /// The offset of the `execution_count` (v3 `prompt_number`) key.
    pub execution_count: Option<usize>,
}

/// The parts of the cell at `span` (one of [`Scan::spans`]); what is found
/// before anything unexpected. Linear in the span.
pub(crate) fn cell_parts(raw: &[u8], span: Range<usize>) -> CellParts<'_> {
    let mut s = Scanner {
        raw: &raw[..span.end.min(raw.len())],
        pos: span.start,
        key_at: span.start,
        numbers: Vec::new(),
    };
    let mut parts = CellParts::default();
    s.ws();
    parts.open = s.pos;
    fn source_string<'a>(s: &mut Scanner<'a>, parts: &mut CellParts<'a>) -> Option<()> {
        s.ws();
        let at = s.pos;
        parts.source.push((at, s.string()?));
        Some(())
    }
    let _ = s.object(|s, key| match key {
        b"source" | b"input" => {
            s.ws();
            if s.peek()? == b'[' {
                s.array_items(|s, _| source_string(s, &mut parts))
            } else {
                source_string(s, &mut parts)
            }
        }
        b"outputs" => {
            s.ws();
            if s.peek()? != b'[' {
                return s.value();
            }
            s.array_items(|s, _| {
                s.ws();
                parts.outputs.push(s.pos);
                s.value()
            })
        }
        b"execution_count" | b"prompt_number" => {
            parts.execution_count = Some(s.key_at);
            s.value()
        }
        _ => s.value(),
    });
    parts
}

struct Scanner<'a> {
    raw: &'a [u8],
    pos: usize,
    /// Where the key of the member [`Scanner::object`] is on starts.
    key_at: usize,
    /// Exponent numbers whose spelling serde_json would change (see
    /// [`Scan::numbers`]).
    numbers: Vec<(String, String)>,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.raw.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.ws();
        (self.peek()? == b).then(|| self.pos += 1)
    }

    /// Skips a string starting at `pos` (the opening quote); returns its
    /// raw contents.
    fn string(&mut self) -> Option<&'a [u8]> {
        self.expect(b'"')?;
        let start = self.pos;
        loop {
            let at = memchr::memchr2(b'"', b'\\', &self.raw[self.pos..])?;
            self.pos += at;
            if self.raw[self.pos] == b'\\' {
                self.pos += 2;
            } else {
                self.pos += 1;
                return Some(&self.raw[start..self.pos - 1]);
            }
        }
    }

    fn value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => self.object(|s, _| s.value()),
            b'[' => self.array_items(|s, _| s.value()),
            _ => {
                let start = self.pos;
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
                let token = &self.raw[start..self.pos];
                if token.iter().any(|&b| b == b'e' || b == b'E') {
                    if let Ok(n) = serde_json::from_slice::<serde_json::Number>(token) {
                        let normalized = n.to_string();
                        if normalized.as_bytes() != token {
                            let original = String::from_utf8_lossy(token).into_owned();
                            self.numbers.push((normalized, original));
                        }
                    }
                }

                (self.pos > start).then_some(())
            }
        }
    }

    /// Walks an object; `member` is called with the scanner on the value of
    /// each key and must consume it.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &[u8]) -> Option<()>) -> Option<()> {
        self.expect(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        loop {
            self.ws();
            self.key_at = self.pos;
            let key = self.string()?;
            self.expect(b':')?;
            member(self, key)?;
            self.ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// Walks an array; `item` is called with the position right after the
    /// opening bracket or comma (so the span includes leading whitespace).
    fn array_items(&mut self, mut item: impl FnMut(&mut Self, usize) -> Option<()>) -> Option<()> {
        self.expect(b'[')?;
        let mut start = self.pos;
        self.ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        loop {
            item(self, start)?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.pos += 1;
                    start = self.pos;
                }
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scan;

    fn cell_spans(text: &[u8], v3: bool) -> Option<Vec<std::ops::Range<usize>>> {
        scan(text, v3).spans
    }

    #[test]
    fn spans_cover_each_cell_with_its_leading_whitespace() {
        let text = b"{\n \"cells\": [\n  {\"a\": \"x]\\\"}\"},\n    {\"b\": [1, {}]}\n ],\n \"nbformat\": 4\n}\n";
        let spans = cell_spans(text, false).unwrap();
        let got: Vec<&str> = spans
            .iter()
            .map(|r| std::str::from_utf8(&text[r.clone()]).unwrap())
            .collect();
        assert_eq!(
            got,
            vec!["\n  {\"a\": \"x]\\\"}\"}", "\n    {\"b\": [1, {}]}"]
        );
    }

    #[test]
    fn exponent_spellings_are_collected_outside_strings_only() {
        let text = br#"{"a": [1e5, 2.5E-3, 1e+5, 7, "3e4"], "b": {"c": 1E5}}"#;
        let got = scan(text, false).numbers;
        assert_eq!(
            got,
            vec![
                ("1e+5".to_string(), "1e5".to_string()),
                ("2.5e-3".to_string(), "2.5E-3".to_string()),
                ("1e+5".to_string(), "1E5".to_string()),
            ]
        );
    }

    #[test]
    fn v3_spans_are_found_in_every_worksheet() {
        let text = br#"{"worksheets": [{"cells": [{"x": 1}]}, {"metadata": {}, "cells": [{"y": 2}, {"z": 3}]}], "nbformat": 3}"#;
        assert_eq!(cell_spans(text, true).unwrap().len(), 3);
    }
}
