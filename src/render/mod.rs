//! Renderers of a [`crate::diff::NotebookDiff`]: terminal text, `--stat`,
//! nbdime-format JSON, and the `--html` / `--markdown` reports ([`report`]).
//! Each writes to an `impl Write`; colour is decided once ([`color`]) and
//! untrusted text is made visible ([`sanitize`]).

pub mod color;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pager;
pub mod report;
pub mod sanitize;
pub mod stat;
pub mod terminal;

/// A byte count for people, in decimal units (as file managers and `du -h
/// --si` show them): `812 B`, `12.3 KB`, `1.5 MB`. The one formatter of the
/// terminal diff and the textconv rendering, so both say the same size.
pub fn human_size(n: usize) -> String {
    if n < 1000 {
        format!("{n} B")
    } else if n < 1_000_000 {
        format!("{:.1} KB", n as f64 / 1000.0)
    } else {
        format!("{:.1} MB", n as f64 / 1_000_000.0)
    }
}
