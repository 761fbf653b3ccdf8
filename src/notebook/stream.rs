//! Reading a large notebook cell by cell as its bytes come in.
//!
//! Reading a file whole and then parsing it holds the file's bytes and the
//! tree parsed from them at once: for a large notebook the bytes are a
//! quarter to a half of a diff's peak memory (issue 22). Here the file is
//! read in pieces; each cell is parsed on its own as soon as its bytes are
//! in, and its bytes let go. The rest of the document (the top-level object
//! with an empty `cells` list: the skeleton) is parsed at the end and the
//! cells put in. The notebook is the one [`super::load::parse`] gives for the
//! whole file: a cell parsed alone is the same value as in its document,
//! and the style is worked out from the same bytes ([`Style::detect_split`]).
//!
//! A file this path does not take — small, without a line end before its
//! `cells`, without a top-level `cells` list, invalid in any way, unreadable —
//! gives `None`, and `load::read` reads it whole, which also writes every
//! error message.

use super::style::MiddleScan;
use super::{load, Notebook, Style};
use serde_json::Value;
use std::fs::File;
use std::io::Read;
use std::path::Path;

/// Files smaller than this are read whole: their bytes are little memory,
/// and one read and one parse is the quickest.
pub(super) const STREAM_MIN_BYTES: u64 = 4 << 20;

/// Bytes read at a time (more when one cell is larger).
const CHUNK: usize = 1 << 20;

/// Nesting allowed inside one cell: serde_json refuses a document nested
/// 128 deep, and a cell parsed alone is two levels shallower than in its
/// document. Deeper cells are left to the whole-file path.
const MAX_CELL_DEPTH: usize = 100;

const BOM: &[u8] = b"\xef\xbb\xbf";

/// The notebook at `path` when it is large and regular enough to be read
/// cell by cell, else `None` (the caller reads it whole).
pub(super) fn read(path: &Path, name: &str) -> Option<Notebook> {
    read_from(path, name, STREAM_MIN_BYTES)
}

/// [`read`] of files of at least `min_bytes`.
fn read_from(path: &Path, name: &str, min_bytes: u64) -> Option<Notebook> {
    let (file, len) = super::bounded::open_regular(path).ok()?;
    if len < min_bytes {
        return None;
    }
    let mut r = Reader {
        file,
        buf: Vec::new(),
        pos: 0,
        eof: false,
        total: 0,
        limit: super::read_limit(),
        skeleton: Vec::new(),
        gap: Vec::new(),
        middle: MiddleScan::default(),
        stack: Stack::default(),
    };
    let (cells, head_len) = r.document()?;
    let body = r.skeleton.strip_prefix(BOM).unwrap_or(&r.skeleton);
    let Value::Object(mut root) = serde_json::from_slice(body).ok()? else {
        return None;
    };
    match root.get_mut("cells") {
        Some(Value::Array(list)) if list.is_empty() => *list = cells,
        _ => return None,
    }
    let style = Style::detect_split(&r.skeleton, &r.skeleton[..head_len], &r.middle);
    load::finish(Value::Object(root), style, name).ok()
}

/// Where consumed bytes go.
#[derive(Clone, Copy)]
enum To {
    /// Outside the cells list: kept, parsed at the end.
    Skeleton,
    /// Between two cells: looked at for the style, then dropped.
    Gap,
}

struct Reader {
    file: File,
    /// Bytes read and not yet consumed start at `pos`.
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    total: u64,
    limit: u64,
    skeleton: Vec<u8>,
    gap: Vec<u8>,
    middle: MiddleScan,
    stack: Stack,
}

/// How far a value that starts a buffer reaches.
enum Scan {
    /// Its length.
    End(usize),
    /// The buffer ends first.
    More,
    /// Not a value this path reads.
    Bad,
}

impl Reader {
    /// Reads more bytes after those not yet consumed: at least as many as
    /// are buffered, so a cell larger than a chunk is scanned a logarithmic
    /// number of times. `Some(false)` at the end of the file, `None` on an
    /// error or past the read limit.
    fn more(&mut self) -> Option<bool> {
        if self.eof {
            return Some(false);
        }
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let want = self.buf.len().max(CHUNK);
        self.buf.reserve(want);
        let n = (&mut self.file)
            .take(want as u64)
            .read_to_end(&mut self.buf)
            .ok()?;
        if n < want {
            self.eof = true;
        }
        self.total += n as u64;
        if self.total > self.limit {
            return None;
        }
        Some(n > 0)
    }

    /// Consumes `n` buffered bytes into `to`.
    fn take(&mut self, n: usize, to: To) {
        let bytes = &self.buf[self.pos..self.pos + n];
        match to {
            To::Skeleton => self.skeleton.extend_from_slice(bytes),
            To::Gap => self.gap.extend_from_slice(bytes),
        }
        self.pos += n;
    }

    /// Consumes whitespace into `to`; the next byte (not consumed), `None`
    /// at the end of the file or on an error.
    fn ws(&mut self, to: To) -> Option<u8> {
        loop {
            if self.pos == self.buf.len() && !self.more()? {
                return None;
            }
            let rest = &self.buf[self.pos..];
            let n = rest
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .unwrap_or(rest.len());
            self.take(n, to);
            if self.pos < self.buf.len() {
                return Some(self.buf[self.pos]);
            }
        }
    }

    /// The length of the value that starts at `pos`, reading until it is
    /// all buffered.
    fn value(&mut self, max_depth: usize) -> Option<usize> {
        loop {
            match value_len(&self.buf[self.pos..], max_depth) {
                Scan::End(n) => return Some(n),
                Scan::Bad => return None,
                Scan::More => {
                    if !self.more()? {
                        return None;
                    }
                }
            }
        }
    }

    /// Consumes `byte` into `to` when it is next (after whitespace).
    fn expect(&mut self, byte: u8, to: To) -> Option<()> {
        (self.ws(to)? == byte).then(|| self.take(1, to))
    }

    /// Reads the whole document: its cells, and the rest into the skeleton
    /// (with `"cells": []`). Also returns the length of the skeleton's head,
    /// up to and with the cells list's `[`.
    fn document(&mut self) -> Option<(Vec<Value>, usize)> {
        if !self.more()? {
            return None;
        }
        if self.buf.starts_with(BOM) {
            self.take(BOM.len(), To::Skeleton);
        }
        self.expect(b'{', To::Skeleton)?;
        let open = self.skeleton.len();
        let mut found = None;
        loop {
            if self.ws(To::Skeleton)? != b'"' {
                return None;
            }
            let n = self.value(usize::MAX)?;
            let key = &self.buf[self.pos..self.pos + n];
            // An escaped key could spell `cells` unseen.
            if key.contains(&b'\\') {
                return None;
            }
            let is_cells = key == b"\"cells\"";
            self.take(n, To::Skeleton);
            self.expect(b':', To::Skeleton)?;
            if is_cells {
                if found.is_some() {
                    return None;
                }
                self.expect(b'[', To::Skeleton)?;
                // `Style::detect` reads the first line end after the brace:
                // it must come before the cells.
                memchr::memchr(b'\n', &self.skeleton[open..])?;
                let head_len = self.skeleton.len();
                found = Some((self.cells()?, head_len));
                self.expect(b']', To::Skeleton)?;
            } else {
                self.ws(To::Skeleton)?;
                let n = self.value(usize::MAX)?;
                self.take(n, To::Skeleton);
            }
            match self.ws(To::Skeleton)? {
                b',' => self.take(1, To::Skeleton),
                b'}' => {
                    self.take(1, To::Skeleton);
                    break;
                }
                _ => return None,
            }
        }
        // What follows is parsed with the skeleton (whitespace, or an error).
        loop {
            let n = self.buf.len() - self.pos;
            self.take(n, To::Skeleton);
            if !self.more()? {
                break;
            }
        }
        found
    }

    /// Parses the cells, up to the list's closing `]` (not consumed).
    fn cells(&mut self) -> Option<Vec<Value>> {
        let mut cells = Vec::new();
        loop {
            match self.ws(To::Gap)? {
                b']' if cells.is_empty() => break,
                b'{' => {}
                _ => return None,
            }
            self.middle.feed(&self.gap);
            self.gap.clear();
            let n = self.value(MAX_CELL_DEPTH)?;
            let bytes = &self.buf[self.pos..self.pos + n];
            cells.push(parse_exact(bytes, &mut self.stack)?);
            self.middle.feed(bytes);
            self.pos += n;
            match self.ws(To::Gap)? {
                b',' => self.take(1, To::Gap),
                b']' => break,
                _ => return None,
            }
        }
        self.middle.feed(&self.gap);
        self.gap.clear();
        cells.shrink_to_fit();
        Some(cells)
    }
}

/// How far the JSON value at the start of `s` reaches (checking only what
/// finding its end needs: serde_json parses it afterwards).
fn value_len(s: &[u8], max_depth: usize) -> Scan {
    let Some(&first) = s.first() else {
        return Scan::More;
    };
    match first {
        b'"' => string_end(s, 0).map_or(Scan::More, Scan::End),
        b'{' | b'[' => container_len(s, max_depth),
        _ => match s
            .iter()
            .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
        {
            Some(0) => Scan::Bad,
            Some(n) => Scan::End(n),
            None => Scan::More,
        },
    }
}

/// The index just past the string whose opening quote is `s[start]`.
fn string_end(s: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        i += memchr::memchr2(b'"', b'\\', s.get(i..)?)?;
        if s[i] == b'"' {
            return Some(i + 1);
        }
        // An escape: the byte after the backslash is not a quote that ends.
        i += 2;
    }
}

/// The length of the object or list that starts `s`.
fn container_len(s: &[u8], max_depth: usize) -> Scan {
    let mut depth = 0usize;
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'"' => match string_end(s, i) {
                Some(end) => {
                    i = end;
                    continue;
                }
                None => return Scan::More,
            },
            b'{' | b'[' => {
                depth += 1;
                if depth > max_depth {
                    return Scan::Bad;
                }
            }
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Scan::End(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Scan::More
}

/// Parses one JSON value into the same [`Value`] `serde_json::from_slice`
/// gives, with every list and object allocated at its final size: serde_json
/// grows them as items come (up to twice the room they need, a fifth of a
/// large notebook's tree). Items are gathered on `stack`, shared by every
/// level, then moved into an allocation of their exact number.
fn parse_exact(bytes: &[u8], stack: &mut Stack) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde::de::DeserializeSeed::deserialize(Exact(stack), &mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

/// The items of the lists and objects being parsed, innermost last.
#[derive(Default)]
struct Stack {
    items: Vec<Value>,
    entries: Vec<(String, Value)>,
}

/// How serde_json hands over a number with `arbitrary_precision`: a map
/// with this one key and the number's spelling as its value.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

struct Exact<'s>(&'s mut Stack);

impl<'de> serde::de::DeserializeSeed<'de> for Exact<'_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Exact<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let stack = self.0;
        let start = stack.items.len();
        while let Some(item) = seq.next_element_seed(Exact(&mut *stack))? {
            stack.items.push(item);
        }
        Ok(Value::Array(stack.items.drain(start..).collect()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let stack = self.0;
        let Some(first) = map.next_key::<String>()? else {
            return Ok(Value::Object(serde_json::Map::new()));
        };
        if first == NUMBER_TOKEN {
            let spelling: String = map.next_value()?;
            return spelling
                .parse()
                .map(Value::Number)
                .map_err(serde::de::Error::custom);
        }
        let start = stack.entries.len();
        let value = map.next_value_seed(Exact(&mut *stack))?;
        stack.entries.push((first, value));
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Exact(&mut *stack))?;
            stack.entries.push((key, value));
        }
        let mut object = serde_json::Map::with_capacity(stack.entries.len() - start);
        for (key, value) in stack.entries.drain(start..) {
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A notebook with what the streamed path must reproduce: escapes in
    /// upper and lower case, non-ASCII text, DEL, number spellings, nested
    /// outputs, an empty source, a duplicate key, a string larger than
    /// a read chunk. `first_key` is a key before `cells` (or none).
    fn notebook(nl: &str, first_key: Option<&str>, tail: &str) -> String {
        let big = "A".repeat(CHUNK * 2 + 17);
        let cells = [
            r#"{"cell_type": "code", "execution_count": 1.50, "id": "a", "metadata": {"n": [1E+2, -0, 123456789012345678901234567890]}, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["caf\u00E9\n", "x"]}], "source": ["print(1)\n", "y = \"\\\""]}"#.to_string(),
            r#"{"cell_type": "raw", "metadata": {}, "source": ""}"#.to_string(),
            "{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": \"dup\", \"source\": \"kept é \\u00e9 \u{7f}\"}".to_string(),
            format!(r#"{{"cell_type": "code", "metadata": {{}}, "outputs": [{{"data": {{"image/png": "{big}"}}, "output_type": "display_data", "metadata": {{}}}}], "source": [], "execution_count": null}}"#),
        ];
        let first = first_key.map_or(String::new(), |k| {
            format!(r#" "{k}": {{"a": [true, false, null]}},{nl}"#)
        });
        format!(
            "{{{nl}{first} \"cells\": [{nl}  {}{nl} ],{nl} \"metadata\": {{\"kernelspec\": {{\"name\": \"python3\"}}}},{nl} \"nbformat\": 4,{nl} \"nbformat_minor\": 5{nl}}}{tail}",
            cells.join(&format!(",{nl}  "))
        )
    }

    /// Streams `text` from a file and checks the notebook against the
    /// whole-bytes parse; `None` when the streamed path does not take it.
    fn same_as_whole(text: &[u8]) -> Option<Notebook> {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("big.ipynb");
        std::fs::write(&path, text).expect("write");
        let whole = load::parse(text, "big.ipynb").expect("a valid notebook");
        let streamed = read_from(&path, "big.ipynb", 0)?;
        assert_eq!(streamed.root, whole.root);
        assert_eq!(
            serde_json::to_string(&streamed.root).expect("serializes"),
            serde_json::to_string(&whole.root).expect("serializes"),
            "same key order and number spellings"
        );
        assert_eq!(streamed.style, whole.style);
        assert_eq!((streamed.major, streamed.minor), (whole.major, whole.minor));
        Some(streamed)
    }

    #[test]
    fn a_streamed_notebook_is_the_whole_files_notebook() {
        for nl in ["\n", "\r\n"] {
            for first in [None, Some("metadata0")] {
                for tail in ["", "\n", "  \n\n"] {
                    let text = notebook(nl, first, tail);
                    let nb = same_as_whole(text.as_bytes()).expect("taken by the streamed path");
                    assert_eq!(nb.cells().len(), 4);
                    if first.is_none() && tail.is_empty() {
                        let mut bom = BOM.to_vec();
                        bom.extend_from_slice(text.as_bytes());
                        same_as_whole(&bom).expect("taken with a byte order mark");
                    }
                }
            }
        }
    }

    #[test]
    fn the_style_of_the_cells_counts() {
        // The only decisive escape (upper case) and the only non-ASCII bytes
        // are in the cells.
        let text = notebook("\n", None, "\n").replace("\\u00e9", "");
        let nb = same_as_whole(text.as_bytes()).expect("streamed");
        assert!(nb.style.upper_hex);
        assert!(!nb.style.ensure_ascii);
        let ascii = text.replace('é', "e").replace('\u{7f}', "");
        let nb = same_as_whole(ascii.as_bytes()).expect("streamed");
        assert!(nb.style.ensure_ascii);
    }

    #[test]
    fn files_it_does_not_take_are_left_to_the_whole_read() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let good = notebook("\n", None, "\n");
        let deep = format!(r#""n": [{}1{}, 1E+2"#, "[".repeat(120), "]".repeat(120));
        let cases = [
            ("one line before the cells", good.replace('\n', "") + "\n"),
            ("a bad cell", good.replace(r#""id": "a""#, r#""id": a"#)),
            ("a trailing comma", good.replace("\n ],", ",\n ],")),
            ("trailing garbage", good.clone() + "x"),
            (
                "a second cells key",
                good.replace(r#" "nbformat": 4"#, r#" "cells": [], "nbformat": 4"#),
            ),
            (
                "an escaped key",
                good.replace(
                    r#""metadata": {"kernelspec""#,
                    r#""m\u0065tadata": {"kernelspec""#,
                ),
            ),
            (
                "cells not a list",
                good.replacen(r#""cells": ["#, r#""cells": {"x": ["#, 1)
                    .replacen("\n ],", "\n ]},", 1),
            ),
            (
                "not a notebook",
                good.replace(r#""nbformat": 4"#, r#""nbformat": 9"#),
            ),
            (
                "a cell nested too deep",
                good.replace(r#""n": [1E+2"#, &deep),
            ),
            ("cut short", good[..good.len() / 2].to_string()),
        ];
        for (what, text) in cases {
            let path = dir.path().join("x.ipynb");
            std::fs::write(&path, &text).expect("write");
            assert!(read_from(&path, "x.ipynb", 0).is_none(), "{what}");
            // The whole read decides: a notebook, or the error parse gives.
            let name = path.display().to_string();
            let whole = load::parse(text.as_bytes(), &name).map(|nb| nb.root);
            let read = load::read(&path).map(|nb| nb.root);
            assert_eq!(
                read.as_ref().map_err(ToString::to_string),
                whole.as_ref().map_err(ToString::to_string),
                "{what}"
            );
        }
    }

    #[test]
    fn small_files_are_read_whole() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("x.ipynb");
        std::fs::write(&path, notebook("\n", None, "\n")).expect("write");
        assert!(read(&path, "x.ipynb").is_none(), "under STREAM_MIN_BYTES");
        assert!(read_from(&path, "x.ipynb", 0).is_some());
    }

    #[test]
    fn parse_exact_gives_serde_jsons_value() {
        let mut stack = Stack::default();
        for json in [
            r#"{"a": [1, 1.0, -0, 1e5, 1E+2, 0.1000, 123456789012345678901234567890, -9.5e-300], "b": {}, "c": [], "d": [[[]]], "e": null, "f": true, "g": "\u00e9\n\"", "a": "dup"}"#,
            r#"[{"x": {"y": [1, {"z": "w"}]}}, "s", 2, false]"#,
            r#""just a string""#,
            "  17  ",
        ] {
            let exact = parse_exact(json.as_bytes(), &mut stack).expect("valid JSON");
            let plain: Value = serde_json::from_str(json).expect("valid JSON");
            assert_eq!(exact, plain, "{json}");
            assert_eq!(exact.to_string(), plain.to_string(), "{json}");
            assert!(stack.items.is_empty() && stack.entries.is_empty());
        }
        for bad in ["[1,]", r#"{"a" 1}"#, "[1] x", r#""\x""#] {
            assert!(parse_exact(bad.as_bytes(), &mut stack).is_none(), "{bad}");
        }
    }
}
