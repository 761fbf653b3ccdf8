//! The one road from a notebook pair to rendered output.
//!
//! Every diff takes it: two files (`nbdiff OLD NEW`), revisions and the
//! working tree (`git/revs.rs`), git's external diff driver (`git/driver.rs`).
//! [`compare`] fills a missing side (an added or deleted file) with an empty
//! notebook, builds the value — a [`NotebookDiff`] for people, or nbdime's
//! complete patch for `--json` — and hands it to the [`Sink`] the command
//! built once from its format: a per-pair renderer writes it at once, a
//! whole report collects it. A new output format is a module in `render/`
//! and a [`Format`] variant; no command changes.

use crate::diff::{diff_notebooks, DiffOptions, FileChange};
use crate::git::header::FileHeader;
use crate::notebook::Notebook;
use crate::policy::Policy;
use crate::render::review::Report;
use crate::render::sanitize::visible_name;
use crate::render::{self, DiffFormat, PairFormat, RenderOptions};
use std::borrow::Cow;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

#[cfg(doc)]
use crate::diff::NotebookDiff;
#[cfg(doc)]
use crate::render::Format;

/// Where each compared pair goes, chosen once per command from its
/// [`Format`] ([`render::Output`]).
pub enum Sink<'a> {
    /// A per-pair renderer: each pair is written to the stream as it is
    /// compared (so are git's headers and the notes of the git layer).
    Pairs(PairFormat, &'a mut dyn Write),
    /// A whole-report renderer (`--html`, `--markdown`): each pair is added
    /// to the report, which the command writes once at the end.
    Report(&'a mut Report),
}

impl Sink<'_> {
    /// The semantic diff's renderer, when pairs are written one by one with it.
    pub fn diff_format(&self) -> Option<DiffFormat> {
        match self {
            Sink::Pairs(PairFormat::Diff(f), _) => Some(*f),
            _ => None,
        }
    }
}

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

/// What to compare and the renderer's switches (where the output goes and
/// in which format is the [`Sink`]).
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// What the semantic diff compares.
    pub diff: DiffOptions,
    /// The renderer's switches.
    pub render: RenderOptions,
    /// One of several files (a revision diff, git's driver): `--stat=cells`
    /// names the file above its summary.
    pub one_of_many: bool,
    /// The volatile-field table of the folder a notebook is in (the user's
    /// paths from its project file), given by the command layer: the git
    /// layer asks it for each pair's folder ([`Request::in_folder`]), as
    /// `clean` and git's filter clean each notebook with its own folder's
    /// table. `None`: `diff.policy` for every pair.
    pub policy_for: Option<PolicyFor>,
}

/// The policy for a folder, with the warnings of its project file written to
/// the given stream the first time the folder is asked for.
pub type PolicyForFn = dyn Fn(&Path, &mut dyn Write) -> Arc<Policy> + Send + Sync;

/// A shared [`PolicyForFn`].
#[derive(Clone)]
pub struct PolicyFor(pub Arc<PolicyForFn>);

impl std::fmt::Debug for PolicyFor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PolicyFor(..)")
    }
}

impl Request {
    /// The request for a notebook in `dir` (its folder in the working tree):
    /// with that folder's policy when the command gave a [`PolicyFor`],
    /// else this request. Warnings about the folder's project file go to `err`.
    pub fn in_folder(&self, dir: &Path, err: &mut dyn Write) -> Cow<'_, Request> {
        match &self.policy_for {
            None => Cow::Borrowed(self),
            Some(PolicyFor(f)) => {
                let policy = f(dir, err);
                if Arc::ptr_eq(&policy, &self.diff.policy) {
                    return Cow::Borrowed(self);
                }
                let mut req = self.clone();
                req.diff.policy = policy;
                Cow::Owned(req)
            }
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

/// Compares two notebooks and renders the result; `None` is a side that
/// does not exist (an added or deleted file). Equal notebooks render nothing
/// (`--json` prints its empty patch, `[]`). `stage` is told when the diff
/// is computed (for `NBDIFF_TIMING`). Returns whether they differ.
pub fn compare(
    old: Option<Side<'_>>,
    new: Option<Side<'_>>,
    req: &Request,
    sink: &mut Sink<'_>,
    stage: &mut dyn FnMut(&str),
) -> io::Result<bool> {
    compare_with_header(old, new, None, req, sink, stage)
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
    sink: &mut Sink<'_>,
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
    let (format, out) = match sink {
        Sink::Pairs(PairFormat::Json, out) => {
            let patch = crate::diff::nbdime::diff_in_place(old_nb, new_nb);
            stage("diff");
            render::nbdime_json::render(&patch, *out)?;
            return Ok(patch.as_array().is_some_and(|d| !d.is_empty()));
        }
        Sink::Report(report) => {
            let diff = diff_notebooks(old_nb, new_nb, &req.diff);
            let diff = with_file_facts(diff, header, old_exists, new_exists);
            stage("diff");
            let name = render::review::display_name(&old_name, &new_name);
            if diff.is_empty() {
                // An added or deleted notebook without cells, a rename:
                // listed by its verdict.
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
        Sink::Pairs(PairFormat::Diff(format), out) => (*format, &mut **out),
    };
    let diff = diff_notebooks(old_nb, new_nb, &req.diff);
    let diff = with_file_facts(diff, header, old_exists, new_exists);
    stage("diff");
    let notable = header.is_some_and(FileHeader::is_notable) || diff.file != FileChange::Modified;
    if diff.is_empty() && !notable {
        return Ok(false);
    }
    if let Some(h) = header {
        match format {
            DiffFormat::StatCells if h.old_path != h.new_path => writeln!(
                out,
                "{} => {}",
                visible_name(&h.old_path),
                visible_name(&h.new_path)
            )?,
            DiffFormat::StatCells => writeln!(out, "{}", visible_name(h.path()))?,
            DiffFormat::Terminal => h.write(req.render.color, out)?,
        }
        match format {
            DiffFormat::StatCells => {
                render::render(&diff, format, &req.render, old_name, new_name, out)?;
            }
            DiffFormat::Terminal => {
                let topts = render::terminal::TerminalOptions {
                    color: req.render.color,
                    context: req.render.context,
                    outputs: req.render.outputs,
                    old_name,
                    new_name,
                };
                render::terminal::render_body(&diff, &topts, out)?;
            }
        }
        return Ok(!diff.is_empty());
    }
    let title = (req.one_of_many && format == DiffFormat::StatCells).then(|| {
        let name = if new_exists { &new_name } else { &old_name };
        render::review::path_of(name).to_string()
    });
    if let Some(title) = title {
        writeln!(out, "{title}")?;
    }
    render::render(&diff, format, &req.render, old_name, new_name, out)?;
    Ok(true)
}

/// Sets the verdict's file facts on `diff`: the header's (a rename, a mode
/// change), else what a missing side says (added, deleted).
fn with_file_facts<'a>(
    mut diff: crate::diff::NotebookDiff<'a>,
    header: Option<&FileHeader>,
    old_exists: bool,
    new_exists: bool,
) -> crate::diff::NotebookDiff<'a> {
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
    diff
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
            let mut sink = Sink::Pairs(PairFormat::Diff(DiffFormat::Terminal), &mut out);
            let differs = compare(Some(old), None, &Request::default(), &mut sink, &mut |_| {})
                .expect("write to a Vec");
            assert!(differs);
            let text = String::from_utf8(out).expect("utf-8");
            assert!(text.contains("deleted"), "{text}");
            assert!(!text.contains("metadata"), "only the cells differ: {text}");
        }
    }

    #[test]
    fn a_report_sink_collects_each_pair_and_a_pair_sink_writes_it() {
        let json = |src: &str| {
            format!(
                r#"{{"cells": [{{"cell_type": "code", "metadata": {{}}, "source": "{src}", "outputs": [], "execution_count": null}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 4}}"#
            )
        };
        let mut a = Notebook::parse(json("x = 1").as_bytes(), "a.ipynb").expect("valid");
        let mut b = Notebook::parse(json("x = 2").as_bytes(), "b.ipynb").expect("valid");
        let mut report = Report::new(render::review::ReportFormat::Markdown, 3, false, None);
        let differs = compare(
            Some(Side {
                label: "a.ipynb",
                notebook: &mut a,
            }),
            Some(Side {
                label: "b.ipynb",
                notebook: &mut b,
            }),
            &Request::default(),
            &mut Sink::Report(&mut report),
            &mut |_| {},
        )
        .expect("no stream to fail");
        assert!(differs);
        let mut page = Vec::new();
        report.finish(&mut page).expect("write to a Vec");
        let page = String::from_utf8(page).expect("utf-8");
        assert!(page.contains("x = 2"), "{page}");

        let mut out = Vec::new();
        let mut sink = Sink::Pairs(PairFormat::Diff(DiffFormat::StatCells), &mut out);
        assert_eq!(sink.diff_format(), Some(DiffFormat::StatCells));
        compare(
            Some(Side {
                label: "a.ipynb",
                notebook: &mut a,
            }),
            Some(Side {
                label: "b.ipynb",
                notebook: &mut b,
            }),
            &Request::default(),
            &mut sink,
            &mut |_| {},
        )
        .expect("write to a Vec");
        assert!(!out.is_empty());
        assert!(Sink::Pairs(PairFormat::Json, &mut Vec::new())
            .diff_format()
            .is_none());
    }
}
