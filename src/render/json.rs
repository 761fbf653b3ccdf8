//! `--json`: the nbdime-format diff (see [`crate::diff::nbdime`]), one JSON document.

use std::io::{self, Write};

/// Writes the nbdime diff as compact JSON followed by a newline.
pub fn render<W: Write + ?Sized>(diff: &serde_json::Value, out: &mut W) -> io::Result<()> {
    serde_json::to_writer(&mut *out, diff)?;
    out.write_all(b"\n")
}
