//! The one call from the git integration into the notebook diff renderer.
//!
//! Everything git-specific (argument contracts, revisions, fallbacks) lives in
//! this module's siblings; how a notebook diff *looks* belongs to `src/diff/`
//! and `src/render/`. Until those land, [`render_notebook_diff`] is a
//! placeholder: a unified line diff of the two [`show`](super::show) renderings,
//! which is already cell-aware and omits volatile fields.

use super::show;
use crate::notebook::Notebook;
use std::io::{self, Write};

/// One side of a notebook diff.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// How to name this side (`a/path`, `HEAD~1:path`, a file name).
    pub label: &'a str,
    /// The parsed notebook.
    pub notebook: &'a Notebook,
}

/// Options that reach the renderer.
#[derive(Debug, Clone, Copy, Default)]
pub struct DiffOptions {
    /// Colour the output (ANSI escapes).
    pub color: bool,
}

/// Renders the diff of two notebooks; `None` is a side that does not exist
/// (an added or deleted file).
pub fn render_notebook_diff(
    old: Option<Side<'_>>,
    new: Option<Side<'_>>,
    opts: &DiffOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let old_text = old.map(|s| show::render(s.notebook)).unwrap_or_default();
    let new_text = new.map(|s| show::render(s.notebook)).unwrap_or_default();
    let old_label = old.map_or("/dev/null", |s| s.label);
    let new_label = new.map_or("/dev/null", |s| s.label);
    unified(&old_text, &new_text, old_label, new_label, opts.color, out)
}

/// Writes a unified line diff (3 lines of context) of two texts, with
/// `--- old` / `+++ new` headers, coloured like git when `color` is set.
/// Writes nothing when the texts are equal.
pub fn unified(
    old: &str,
    new: &str,
    old_label: &str,
    new_label: &str,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    if old == new {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(old, new);
    let (bold, red, green, cyan, reset) = if color {
        ("\x1b[1m", "\x1b[31m", "\x1b[32m", "\x1b[36m", "\x1b[m")
    } else {
        ("", "", "", "", "")
    };
    writeln!(out, "{bold}--- {old_label}{reset}")?;
    writeln!(out, "{bold}+++ {new_label}{reset}")?;
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        writeln!(out, "{cyan}{}{reset}", hunk.header())?;
        for change in hunk.iter_changes() {
            let (sign, col) = match change.tag() {
                similar::ChangeTag::Delete => ('-', red),
                similar::ChangeTag::Insert => ('+', green),
                similar::ChangeTag::Equal => (' ', ""),
            };
            let text = change.as_str().unwrap_or("");
            let line = text.strip_suffix('\n').unwrap_or(text);
            if col.is_empty() {
                writeln!(out, "{sign}{line}")?;
            } else {
                writeln!(out, "{col}{sign}{line}{reset}")?;
            }
            if !text.ends_with('\n') {
                writeln!(out, "\\ No newline at end of file")?;
            }
        }
    }
    Ok(())
}
