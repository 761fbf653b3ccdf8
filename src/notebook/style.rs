//! How a notebook file was serialized, and a writer that reproduces it.
//!
//! Jupyter writes `json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False)`
//! plus a final newline. Other tools indent by two spaces, keep insertion order,
//! escape non-ASCII characters or use CRLF line endings. [`Style::detect`] reads
//! those choices off the input so that [`Style::write_document`] gives back the
//! same bytes; key order and number spelling are kept by the parsed value itself.

use serde_json::{Map, Value};
use std::collections::HashMap;

/// Objects to write verbatim: the address of an object in the value being
/// written → the original bytes of an equal object (with the whitespace that
/// preceded it), used for array items only.
pub type Splice<'a> = HashMap<*const Map<String, Value>, &'a [u8]>;

/// What a writer restores from the original bytes beyond [`Style`].
#[derive(Debug, Default)]
pub struct Originals<'a> {
    /// Array items written verbatim.
    pub splice: Splice<'a>,
    /// Number spellings the JSON parser normalizes (`1e5` is read as `1e+5`):
    /// normalized → the original spellings in document order.
    pub numbers: HashMap<String, Vec<String>>,
    /// Take the spellings in order (the whole document is written in its
    /// original order); otherwise always the first one.
    pub numbers_in_order: bool,
    used: HashMap<String, usize>,
}

impl Originals<'_> {
    /// Originals restoring these number spellings (and splicing nothing yet).
    pub fn with_numbers(numbers: HashMap<String, Vec<String>>, numbers_in_order: bool) -> Self {
        Originals {
            splice: Splice::new(),
            numbers,
            numbers_in_order,
            used: HashMap::new(),
        }
    }

    fn number<'s>(&'s mut self, normalized: &'s str) -> &'s str {
        let Some(list) = self.numbers.get(normalized) else {
            return normalized;
        };
        let k = if self.numbers_in_order {
            let used = self.used.entry(normalized.to_string()).or_default();
            *used += 1;
            (*used - 1).min(list.len() - 1)
        } else {
            0
        };
        &list[k]
    }
}

/// Serialization choices read off an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Style {
    /// One level of indentation; `None` writes everything on one line.
    pub indent: Option<String>,
    /// Line ending between pretty-printed lines.
    pub newline: &'static str,
    /// Write non-ASCII characters as `\uXXXX` escapes.
    pub ensure_ascii: bool,
    /// Use upper-case hex digits in `\u` escapes.
    pub upper_hex: bool,
    /// Separator between a key and its value (`": "` or `":"`).
    pub key_sep: &'static str,
    /// Separator between items when written on one line (`", "` or `","`).
    pub item_sep: &'static str,
    /// The file ends with a line ending.
    pub final_newline: bool,
}

impl Default for Style {
    /// Jupyter's own serialization.
    fn default() -> Self {
        Style {
            indent: Some(" ".into()),
            newline: "\n",
            ensure_ascii: false,
            upper_hex: false,
            key_sep: ": ",
            item_sep: ", ",
            final_newline: true,
        }
    }
}

impl Style {
    /// Reads the serialization style off the raw bytes of a JSON document.
    pub fn detect(bytes: &[u8]) -> Style {
        let mut style = Style::default();
        let text = trim_bom(bytes);
        let open = text.iter().position(|&b| b == b'{');
        // The first line end after the opening brace (blank lines may come
        // before it: JSON allows leading whitespace).
        let from = open.unwrap_or(0);
        let first_nl = text[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map(|i| from + i);
        let crlf = first_nl.is_some_and(|i| i > 0 && text[i - 1] == b'\r');
        style.newline = if crlf { "\r\n" } else { "\n" };
        // Indentation: the whitespace that starts the line after the brace.
        let pretty = match (open, first_nl) {
            (Some(o), Some(nl)) => text[o + 1..nl].iter().all(|b| b.is_ascii_whitespace()),
            _ => false,
        };
        if pretty {
            let nl = first_nl.unwrap_or(0);
            let rest = &text[nl + 1..];
            let n = rest
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count();
            style.indent = Some(String::from_utf8_lossy(&rest[..n]).into_owned());
        } else {
            style.indent = None;
        }
        // Separators: look at the first key.
        if let Some(o) = open {
            if let Some(colon) = first_key_colon(&text[o..]) {
                let after = text.get(o + colon + 1).copied();
                style.key_sep = if after == Some(b' ') { ": " } else { ":" };
            }
        }
        if style.indent.is_none() {
            style.item_sep = if memfind(text, b", \"").is_some() || memfind(text, b", ").is_some() {
                ", "
            } else {
                ","
            };
        }
        // Python's ensure_ascii also escapes DEL (0x7f): a raw DEL means it was off.
        style.ensure_ascii = text.is_ascii() && !text.contains(&0x7f);
        style.upper_hex = first_hex_escape_is_upper(text);
        let end = text
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .map(|i| text[i]);
        style.final_newline = end == Some(b'\n');
        style
    }

    /// Writes a whole document (top-level object) in this style.
    pub fn write_document(&self, root: &Map<String, Value>) -> Vec<u8> {
        self.write_document_with(root, &mut Originals::default())
    }

    /// Writes a whole document, restoring what `originals` holds: array items
    /// copied verbatim and number spellings.
    pub fn write_document_with(
        &self,
        root: &Map<String, Value>,
        originals: &mut Originals<'_>,
    ) -> Vec<u8> {
        self.write_document_sized(root, originals, 4096)
    }

    /// [`Style::write_document_with`] into a buffer of `capacity` bytes to
    /// begin with (the size of the bytes it was read from, when known: a
    /// buffer grown from small moves the document at every doubling).
    pub fn write_document_sized(
        &self,
        root: &Map<String, Value>,
        originals: &mut Originals<'_>,
        capacity: usize,
    ) -> Vec<u8> {
        let mut out = Vec::with_capacity(capacity);
        self.write_object(&mut out, root, 0, originals);
        if self.final_newline {
            out.extend_from_slice(self.newline.as_bytes());
        }
        out
    }

    fn write_value_with(
        &self,
        out: &mut Vec<u8>,
        value: &Value,
        depth: usize,
        originals: &mut Originals<'_>,
    ) {
        match value {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(true) => out.extend_from_slice(b"true"),
            Value::Bool(false) => out.extend_from_slice(b"false"),
            Value::Number(n) => {
                let n = n.to_string();
                if originals.numbers.is_empty() {
                    out.extend_from_slice(n.as_bytes());
                } else {
                    out.extend_from_slice(originals.number(&n).as_bytes());
                }
            }
            Value::String(s) => self.write_string(out, s),
            Value::Array(items) => {
                if items.is_empty() {
                    out.extend_from_slice(b"[]");
                    return;
                }
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    let raw = match item {
                        Value::Object(map) if !originals.splice.is_empty() => originals
                            .splice
                            .get(&(map as *const Map<String, Value>))
                            .copied(),
                        _ => None,
                    };
                    if let Some(raw) = raw {
                        // A copied cell brings the whitespace that stood
                        // before it; then only the comma is ours (else a
                        // one-line style's ", " would add a space each time
                        // the file is written again).
                        if i > 0 {
                            if raw.first().is_some_and(u8::is_ascii_whitespace) {
                                out.push(b',');
                            } else {
                                self.item_separator(out);
                            }
                        }
                        out.extend_from_slice(raw);
                        continue;
                    }
                    if i > 0 {
                        self.item_separator(out);
                    }
                    self.line_break(out, depth + 1);
                    self.write_value_with(out, item, depth + 1, originals);
                }
                self.line_break(out, depth);
                out.push(b']');
            }
            Value::Object(map) => self.write_object(out, map, depth, originals),
        }
    }

    fn write_object(
        &self,
        out: &mut Vec<u8>,
        map: &Map<String, Value>,
        depth: usize,
        originals: &mut Originals<'_>,
    ) {
        if map.is_empty() {
            out.extend_from_slice(b"{}");
            return;
        }
        out.push(b'{');
        for (i, (key, value)) in map.iter().enumerate() {
            if i > 0 {
                self.item_separator(out);
            }
            self.line_break(out, depth + 1);
            self.write_string(out, key);
            out.extend_from_slice(self.key_sep.as_bytes());
            self.write_value_with(out, value, depth + 1, originals);
        }
        self.line_break(out, depth);
        out.push(b'}');
    }

    fn item_separator(&self, out: &mut Vec<u8>) {
        if self.indent.is_some() {
            out.push(b',');
        } else {
            out.extend_from_slice(self.item_sep.as_bytes());
        }
    }

    fn line_break(&self, out: &mut Vec<u8>, depth: usize) {
        if let Some(indent) = &self.indent {
            out.extend_from_slice(self.newline.as_bytes());
            for _ in 0..depth {
                out.extend_from_slice(indent.as_bytes());
            }
        }
    }

    /// Writes a JSON string literal with Python's `json` escaping rules.
    pub fn write_string(&self, out: &mut Vec<u8>, s: &str) {
        out.push(b'"');
        let bytes = s.as_bytes();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            // Runs of bytes that are written as they are (most of any text,
            // all of base64) are skipped eight at a time.
            i = plain_run_end(bytes, i, self.ensure_ascii);
            let Some(&b) = bytes.get(i) else { break };
            let escape: Option<&[u8]> = match b {
                b'"' => Some(b"\\\""),
                b'\\' => Some(b"\\\\"),
                b'\n' => Some(b"\\n"),
                b'\r' => Some(b"\\r"),
                b'\t' => Some(b"\\t"),
                0x08 => Some(b"\\b"),
                0x0c => Some(b"\\f"),
                _ => None,
            };
            let needs_unicode =
                b < 0x20 && escape.is_none() || (self.ensure_ascii && (b == 0x7f || b >= 0x80));
            if escape.is_none() && !needs_unicode {
                i += 1;
                continue;
            }
            if self.ensure_ascii && b >= 0x80 && !is_char_start(b) {
                i += 1;
                continue; // continuation byte, handled with its start byte
            }
            out.extend_from_slice(&bytes[start..i]);
            if let Some(e) = escape {
                out.extend_from_slice(e);
                start = i + 1;
            } else if b < 0x80 {
                self.unicode_escape(out, b as u16);
                start = i + 1;
            } else {
                let len = utf8_len(b);
                let ch = s[i..i + len].chars().next().unwrap_or('\u{fffd}');
                let mut buf = [0u16; 2];
                for unit in ch.encode_utf16(&mut buf) {
                    self.unicode_escape(out, *unit);
                }
                start = i + len;
            }
            i += 1;
        }
        out.extend_from_slice(&bytes[start..]);
        out.push(b'"');
    }

    fn unicode_escape(&self, out: &mut Vec<u8>, unit: u16) {
        let digits: &[u8; 16] = if self.upper_hex {
            b"0123456789ABCDEF"
        } else {
            b"0123456789abcdef"
        };
        out.extend_from_slice(b"\\u");
        for shift in [12, 8, 4, 0] {
            out.push(digits[((unit >> shift) & 0xf) as usize]);
        }
    }
}

/// The first index at or after `i` that may need escaping, found eight
/// bytes at a time: a quote, a backslash, a control byte, and with
/// `ascii_only` also DEL and every non-ASCII byte. It may stop early (at the
/// start of a word holding such a byte), never late: the caller looks at
/// each byte from there.
fn plain_run_end(bytes: &[u8], mut i: usize, ascii_only: bool) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    // A high bit set where a byte of `x` is below `n` (`n` ≤ 0x80; exact
    // as to whether any byte is, which is all that is asked).
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH;
    let zero = |x: u64| below(x, 1);
    while let Some(word) = bytes.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let x = u64::from_ne_bytes(w);
        let mut special = below(x, 0x20)
            | zero(x ^ (ONES * u64::from(b'"')))
            | zero(x ^ (ONES * u64::from(b'\\')));
        if ascii_only {
            special |= (x & HIGH) | zero(x ^ (ONES * 0x7f));
        }
        if special != 0 {
            break;
        }
        i += 8;
    }
    i
}

fn is_char_start(b: u8) -> bool {
    !(0x80..0xc0).contains(&b)
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

fn trim_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Offset of the colon after the first key of the object starting at `text[0]`.
fn first_key_colon(text: &[u8]) -> Option<usize> {
    let q = text.iter().position(|&b| b == b'"')?;
    let mut i = q + 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'"' => break,
            _ => i += 1,
        }
    }
    let colon = text[i..].iter().position(|&b| b == b':')?;
    Some(i + colon)
}

fn first_hex_escape_is_upper(text: &[u8]) -> bool {
    first_hex_escape(text).unwrap_or(false)
}

/// Whether the first `\uXXXX` escape with a letter among its digits spells
/// them in upper case; `None` when no escape decides.
fn first_hex_escape(text: &[u8]) -> Option<bool> {
    let mut i = 0;
    while let Some(at) = memchr::memchr(b'\\', &text[i..]) {
        i += at;
        if i + 6 > text.len() {
            break;
        }
        {
            if text[i + 1] == b'u' {
                let hex = &text[i + 2..i + 6];
                if hex.iter().any(|b| b.is_ascii_uppercase()) {
                    return Some(true);
                }
                if hex.iter().any(|b| b.is_ascii_lowercase()) {
                    return Some(false);
                }
            }
            i += 2;
        }
    }
    None
}

/// What [`Style::detect`] learns from the middle of a document read in
/// pieces (`notebook/stream.rs`: the cells, each parsed on its own). Each
/// piece starts and ends outside any string, so no pattern looked for here
/// spans two pieces.
#[derive(Debug, Default)]
pub(super) struct MiddleScan {
    non_ascii: bool,
    spaced_sep: bool,
    hex: Option<bool>,
}

impl MiddleScan {
    /// Takes in the next piece of the middle, in document order.
    pub(super) fn feed(&mut self, piece: &[u8]) {
        if !self.non_ascii {
            self.non_ascii = !piece.is_ascii() || memchr::memchr(0x7f, piece).is_some();
        }
        if !self.spaced_sep {
            self.spaced_sep = memchr::memmem::find(piece, b", ").is_some();
        }
        if self.hex.is_none() {
            self.hex = first_hex_escape(piece);
        }
    }
}

impl Style {
    /// [`Style::detect`] of `head`, the middle seen by `middle`, then `tail`,
    /// from the style of `head` followed by `tail` (`skeleton`). Everything
    /// `detect` reads from the document's start (the opening brace, the first
    /// line end, the indentation, the first key) must lie in `head`, and its
    /// end in `tail`.
    pub(super) fn detect_split(skeleton: &[u8], head: &[u8], middle: &MiddleScan) -> Style {
        let mut style = Style::detect(skeleton);
        style.ensure_ascii &= !middle.non_ascii;
        if style.indent.is_none() && middle.spaced_sep {
            style.item_sep = ", ";
        }
        if first_hex_escape(head).is_none() {
            if let Some(upper) = middle.hex {
                style.upper_hex = upper;
            }
        }
        style
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `write_string` as it was before the eight-byte skip: one byte at a
    /// time, every byte looked at.
    fn write_string_bytewise(style: &Style, s: &str) -> Vec<u8> {
        let mut out = vec![b'"'];
        for ch in s.chars() {
            match ch {
                '"' => out.extend_from_slice(b"\\\""),
                '\\' => out.extend_from_slice(b"\\\\"),
                '\n' => out.extend_from_slice(b"\\n"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\t' => out.extend_from_slice(b"\\t"),
                '\u{8}' => out.extend_from_slice(b"\\b"),
                '\u{c}' => out.extend_from_slice(b"\\f"),
                c if (c as u32) < 0x20 || (style.ensure_ascii && (c as u32) >= 0x7f) => {
                    let mut buf = [0u16; 2];
                    for unit in c.encode_utf16(&mut buf) {
                        style.unicode_escape(&mut out, *unit);
                    }
                }
                c => out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
            }
        }
        out.push(b'"');
        out
    }

    #[test]
    fn write_string_escapes_every_byte_the_bytewise_writer_does() {
        // Every special byte at every offset of a word, runs longer than a
        // word, and characters of 2, 3 and 4 bytes across word boundaries.
        let specials = [
            "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{1}", "\u{1f}", "\u{7f}", "é", "€",
            "😀", "\u{80}", "\u{2028}",
        ];
        let mut cases = vec![String::new(), "a".repeat(37)];
        for sp in specials {
            for pad in 0..17 {
                let p = "x".repeat(pad);
                cases.push(format!("{p}{sp}"));
                cases.push(format!("{p}{sp}{p}{sp}abcdefghijklmnopq"));
                cases.push(format!("{sp}{sp}{p}"));
            }
        }
        cases.push(specials.concat().repeat(5));
        for ensure_ascii in [false, true] {
            for upper_hex in [false, true] {
                let style = Style {
                    ensure_ascii,
                    upper_hex,
                    ..Style::default()
                };
                for case in &cases {
                    let mut got = Vec::new();
                    style.write_string(&mut got, case);
                    assert_eq!(
                        String::from_utf8_lossy(&got),
                        String::from_utf8_lossy(&write_string_bytewise(&style, case)),
                        "{case:?} ensure_ascii={ensure_ascii}"
                    );
                    let back: String = serde_json::from_slice(&got).unwrap();
                    assert_eq!(&back, case);
                }
            }
        }
    }

    fn roundtrip(text: &str) -> String {
        let style = Style::detect(text.as_bytes());
        let value: Map<String, Value> = serde_json::from_str(text).unwrap();
        String::from_utf8(style.write_document(&value)).unwrap()
    }

    #[test]
    fn jupyter_style_roundtrips() {
        let text = "{\n \"a\": [\n  \"x\\n\",\n  \"é\"\n ],\n \"b\": {},\n \"c\": 1.50\n}\n";
        assert_eq!(roundtrip(text), text);
    }

    #[test]
    fn two_space_crlf_no_final_newline_roundtrips() {
        let text = "{\r\n  \"z\": [],\r\n  \"a\": {\r\n    \"k\": null\r\n  }\r\n}";
        assert_eq!(roundtrip(text), text);
    }

    #[test]
    fn ascii_escapes_roundtrip_with_surrogates() {
        let text = "{\n \"s\": \"caf\\u00e9 \\ud83d\\ude00 \\u007f\"\n}\n";
        assert_eq!(roundtrip(text), text);
    }

    #[test]
    fn raw_del_in_an_ascii_file_roundtrips() {
        // Jupyter (ensure_ascii=False) writes DEL raw; Python's ensure_ascii=True escapes it.
        let text = "{\n \"s\": \"ctrl \u{7f} end\"\n}\n";
        assert_eq!(roundtrip(text), text);
    }

    #[test]
    fn compact_document_roundtrips() {
        let text = "{\"a\":[1,2],\"b\":{\"c\":\"\\u001b[0m\"}}";
        assert_eq!(roundtrip(text), text);
        let text = "{\"a\": [1, 2], \"b\": true}";
        assert_eq!(roundtrip(text), text);
    }
}
