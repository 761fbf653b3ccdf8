//! The one road from a notebook pair to rendered output.
//!
//! Every diff takes it: two files (`nbdiff OLD NEW`), revisions and the
//! working tree (`git/revs.rs`), git's external diff driver (`git/driver.rs`).
//! [`compare`] fills a missing side (an added or deleted file) with an empty
//! notebook, builds the value — a [`NotebookDiff`] for people, or nbdime's
//! complete patch for `--json` — and hands it to the renderer chosen once in
//! [`RenderOptions::format`]. A new output format is a module in `render/`
//! and a [`Format`] variant; no command changes.

use crate::diff::{diff_notebooks, DiffOptions, FileChange};
use crate::git::header::FileHeader;
use crate::notebook::Notebook;
use crate::render::sanitize::visible_name;
use crate::render::{self, Format, RenderOptions};
use std::io::{self, Write};

#[cfg(doc)]
use crate::diff::NotebookDiff;

/// One side of a notebook diff. Mutable because `--json` normalises the
/// notebooks in place rather than copying them (see
/// [`crate::diff::nbdime::diff_in_place`]).
#[derive(Debug)]
pub struct Side<'a> {
    /// How to name this side (`a/path`, a file name).
    pub label: &'a str,
    /// The parsed notebook.
    pub notebook: &'a mut Notebook,
}

/// What to compare and how to show it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// What the semantic diff compares.
    pub diff: DiffOptions,
    /// The renderer and its switches.
    pub render: RenderOptions,
    /// One of several files (a revision diff, git's driver): `--stat=cells`
    /// names the file above its summary.
    pub one_of_many: bool,
    /// `--html` / `--markdown`: each pair's diff is added to this report
    /// (written once by the command at the end) instead of rendered.
    pub report: Option<std::rc::Rc<std::cell::RefCell<render::review::Report>>>,
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

/// Compares two notebooks and renders the result; `None` is a side that
/// does not exist (an added or deleted file). Equal notebooks render nothing
/// (`--json` prints its empty patch, `[]`). `stage` is told when the diff
/// is computed (for `NBDIFF_TIMING`). Returns whether they differ.
pub fn compare(
    old: Option<Side<'_>>,
    new: Option<Side<'_>>,
    req: &Request,
    out: &mut dyn Write,
    stage: &mut dyn FnMut(&str),
) -> io::Result<bool> {
    compare_with_header(old, new, None, req, out, stage)
}

/// [`compare`] inside git: with a `header`, the terminal diff opens with
/// git's `diff --git a/… b/…` and extended lines instead of `nbdiff OLD NEW`
/// (`--stat` names the file, `OLD => NEW` for a rename), and a notable
/// header (a rename) is written even when the notebooks are equal. Returns
/// whether the notebooks differ (modulo ignored data).
pub fn compare_with_header(
    old: Option<Side<'_>>,
    new: Option<Side<'_>>,
    header: Option<&FileHeader>,
    req: &Request,
    out: &mut dyn Write,
    stage: &mut dyn FnMut(&str),
) -> io::Result<bool> {
    let old_name = old.as_ref().map_or("/dev/null", |s| s.label).to_string();
    let new_name = new.as_ref().map_or("/dev/null", |s| s.label).to_string();
    let (old_exists, new_exists) = (old.is_some(), new.is_some());
    let mut filler = match (&old, &new) {
        (None, Some(s)) | (Some(s), None) => Some(empty_like(s.notebook)),
        _ => None,
    };
    let (old_nb, new_nb) = match (old, new) {
        (Some(o), Some(n)) => (o.notebook, n.notebook),
        (Some(o), None) => (o.notebook, filler.as_mut().expect("filled above")),
        (None, Some(n)) => (filler.as_mut().expect("filled above"), n.notebook),
        (None, None) => return Ok(false),
    };
    if req.render.format == Format::Json {
        let patch = crate::diff::nbdime::diff_in_place(old_nb, new_nb);
        stage("diff");
        render::nbdime_json::render(&patch, out)?;
        return Ok(patch.as_array().is_some_and(|d| !d.is_empty()));
    }
    let mut diff = diff_notebooks(old_nb, new_nb, &req.diff);
    stage("diff");
    // The file facts of the verdict: the header's, else the missing side.
    let (file, mode_changed) = match header {
        Some(h) => h.file_change(),
        None => (FileChange::Modified, false),
    };
    diff.file = match (old_exists, new_exists) {
        (false, true) => FileChange::Added,
        (true, false) => FileChange::Deleted,
        _ => file,
    };
    diff.mode_changed = mode_changed;
    let notable = header.is_some_and(FileHeader::is_notable) || diff.file != FileChange::Modified;
    if let Some(report) = &req.report {
        let mut report = report.borrow_mut();
        let name = render::review::display_name(&old_name, &new_name);
        if diff.is_empty() {
            // An added or deleted notebook without cells, a rename: listed
            // by its verdict.
            let verdict = diff.verdict();
            if !verdict.is_unchanged() {
                report.add_other(&name, &verdict.to_string(), None);
            }
        } else {
            report.add(&name, &diff);
        }
        // A notebook merged with conflicts left: each shown side by side.
        if new_exists {
            report.add_conflicts(render::review::path_of(&new_name), new_nb, None);
        }
        return Ok(!diff.is_empty());
    }
    if diff.is_empty() && !notable {
        return Ok(false);
    }
    if let Some(h) = header {
        match req.render.format {
            Format::StatCells if h.old_path != h.new_path => writeln!(
                out,
                "{} => {}",
                visible_name(&h.old_path),
                visible_name(&h.new_path)
            )?,
            Format::StatCells => writeln!(out, "{}", visible_name(h.path()))?,
            _ => h.write(req.render.color, out)?,
        }
        if req.render.format == Format::Terminal {
            let topts = render::terminal::TerminalOptions {
                color: req.render.color,
                context: req.render.context,
                outputs: req.render.outputs,
                old_name,
                new_name,
            };
            render::terminal::render_body(&diff, &topts, out)?;
        } else {
            render::render(&diff, &req.render, old_name, new_name, out)?;
        }
        return Ok(!diff.is_empty());
    }
    let title = (req.one_of_many && req.render.format == Format::StatCells).then(|| {
        let name = if new_exists { &new_name } else { &old_name };
        render::review::path_of(name).to_string()
    });
    if let Some(title) = title {
        writeln!(out, "{title}")?;
    }
    render::render(&diff, &req.render, old_name, new_name, out)?;
    Ok(true)
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
            let mut nb = Notebook::parse(json.as_bytes(), "t.ipynb").expect("valid notebook");
            let empty = empty_like(&nb);
            assert!(empty.cells().is_empty());
            assert_eq!(empty.metadata(), nb.metadata());
            assert_eq!((empty.major, empty.minor), (nb.major, nb.minor));
            let old = Side {
                label: "a/t.ipynb",
                notebook: &mut nb,
            };
            let mut out = Vec::new();
            let differs = compare(Some(old), None, &Request::default(), &mut out, &mut |_| {})
                .expect("write to a Vec");
            assert!(differs);
            let text = String::from_utf8(out).expect("utf-8");
            assert!(text.contains("deleted"), "{text}");
            assert!(!text.contains("metadata"), "only the cells differ: {text}");
        }
    }
}
