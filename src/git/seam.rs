//! The one call from the git integration into the notebook diff renderer.
//!
//! Everything git-specific (argument contracts, revisions, fallbacks) lives in
//! this module's siblings; how a notebook diff *looks* belongs to `src/diff/`
//! (the [`NotebookDiff`](crate::diff::NotebookDiff) model) and `src/render/`
//! (terminal and `--stat` renderers). [`render_notebook_diff`] is the seam.

use crate::notebook::Notebook;
use crate::render;
use std::io::{self, Write};

/// One side of a notebook diff.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// How to name this side (`a/path`, a file name).
    pub label: &'a str,
    /// The parsed notebook.
    pub notebook: &'a Notebook,
}

/// Options that reach the renderer.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Colour the output (ANSI escapes).
    pub color: bool,
    /// What the semantic diff compares.
    pub diff: crate::diff::DiffOptions,
    /// Lines of context around source changes.
    pub context: usize,
    /// How outputs are shown.
    pub outputs: render::terminal::OutputMode,
    /// A `--stat` summary instead of the diff.
    pub stat: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            color: false,
            diff: crate::diff::DiffOptions::default(),
            context: 3,
            outputs: render::terminal::OutputMode::Summary,
            stat: false,
        }
    }
}

/// The notebook with no cells: stands for the missing side of an added or
/// deleted file, so that only the cells show as added or deleted. Copies
/// everything but the cells (cloning the whole notebook only to drop its
/// cells would copy every source and output).
fn empty_like(nb: &Notebook) -> Notebook {
    let root = nb
        .root
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "cells" | "worksheets"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut empty = Notebook {
        root,
        style: nb.style.clone(),
        major: nb.major,
        minor: nb.minor,
        raw: None,
    };
    empty.set_cells(Vec::new());
    empty
}

/// Renders the diff of two notebooks; `None` is a side that does not exist
/// (an added or deleted file). Returns whether they differ.
pub fn render_notebook_diff(
    old: Option<Side<'_>>,
    new: Option<Side<'_>>,
    opts: &DiffOptions,
    out: &mut dyn Write,
) -> io::Result<bool> {
    let filler = match (old, new) {
        (None, Some(s)) | (Some(s), None) => Some(empty_like(s.notebook)),
        _ => None,
    };
    let (Some(old_nb), Some(new_nb)) = (
        old.map(|s| s.notebook).or(filler.as_ref()),
        new.map(|s| s.notebook).or(filler.as_ref()),
    ) else {
        return Ok(false);
    };
    let diff = crate::diff::diff_notebooks(old_nb, new_nb, &opts.diff);
    if diff.is_empty() {
        return Ok(false);
    }
    let old_name = old.map_or("/dev/null", |s| s.label).to_string();
    let new_name = new.map_or("/dev/null", |s| s.label).to_string();
    if opts.stat {
        let name = if new.is_some() { &new_name } else { &old_name };
        let path = name.strip_prefix("a/").or_else(|| name.strip_prefix("b/"));
        writeln!(out, "{}", path.unwrap_or(name))?;
        render::stat::render(&diff, out)?;
    } else {
        let topts = render::terminal::TerminalOptions {
            color: opts.color,
            context: opts.context,
            outputs: opts.outputs,
            old_name,
            new_name,
        };
        render::terminal::render(&diff, &topts, out)?;
    }
    Ok(true)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_like_keeps_everything_but_the_cells() {
        for json in [
            r#"{"cells": [{"cell_type": "code", "metadata": {}, "source": "x", "outputs": []}], "metadata": {"k": 1}, "nbformat": 4, "nbformat_minor": 5}"#,
            r#"{"worksheets": [{"cells": [{"cell_type": "markdown", "source": "x"}]}], "metadata": {"k": 1}, "nbformat": 3, "nbformat_minor": 0}"#,
        ] {
            let nb = Notebook::parse(json.as_bytes(), "t.ipynb").expect("valid notebook");
            let empty = empty_like(&nb);
            assert!(empty.cells().is_empty());
            assert_eq!(empty.metadata(), nb.metadata());
            assert_eq!((empty.major, empty.minor), (nb.major, nb.minor));
            let old = Side {
                label: "a/t.ipynb",
                notebook: &nb,
            };
            let mut out = Vec::new();
            let differs = render_notebook_diff(Some(old), None, &DiffOptions::default(), &mut out)
                .expect("write to a Vec");
            assert!(differs);
            let text = String::from_utf8(out).expect("utf-8");
            assert!(text.contains("deleted"), "{text}");
            assert!(!text.contains("metadata"), "only the cells differ: {text}");
        }
    }
}
