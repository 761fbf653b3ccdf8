//! `--json`: the nbdime-format diff (see [`crate::diff::nbdime`]), one JSON document.
//!
//! serde_json escapes C0 controls; this writer also escapes every other
//! character the terminal sanitizer would not print as it is (C1 controls
//! such as the 8-bit CSI U+009B, bidirectional overrides such as U+202E,
//! invisible characters such as U+200B): `\u009b`. The document means the
//! same to every JSON reader, and printing it cannot drive a terminal.

use crate::render::sanitize::is_unsafe;
use std::io::{self, Write};

/// Writes the nbdime diff as compact JSON followed by a newline.
pub fn render<W: Write + ?Sized>(diff: &serde_json::Value, out: &mut W) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut *out, Escaping);
    serde::Serialize::serialize(diff, &mut ser)?;
    out.write_all(b"\n")
}

/// serde_json's compact formatter, escaping unsafe characters as `\uXXXX`
/// (UTF-16 surrogate pairs above the BMP).
struct Escaping;

impl serde_json::ser::Formatter for Escaping {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn c1_bidi_and_invisible_characters_are_escaped() {
        let v = json!(["a\u{9b}31m", "x\u{202e}y", "z\u{200b}", "t\u{e0041}", "é\n"]);
        let mut out = Vec::new();
        super::render(&v, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "[\"a\\u009b31m\",\"x\\u202ey\",\"z\\u200b\",\"t\\udb40\\udc41\",\"é\\n\"]\n"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
