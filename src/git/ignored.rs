//! One line for a notebook whose bytes changed but whose diff is empty:
//! what changed that nbdiff does not show, and how to see it, so that a file
//! git lists as modified is never silently skipped:
//!
//! ```text
//! notebook.ipynb: only ignored changes (execution counts, metadata.widgets); nbdiff -a shows them
//! notebook.ipynb: only the JSON formatting changed (indentation, key order or base64 line wrapping)
//! ```
//!
//! The kinds come from a second diff with everything compared
//! (`--show-all`, no `--ignore-*`), named by the entry of the volatile-data
//! table that hides them ([`crate::diff::options`]).

use crate::diff::options::{VOLATILE_CELL_METADATA, VOLATILE_NOTEBOOK_METADATA};
use crate::diff::output::OutputPart;
use crate::diff::{diff_notebooks, DiffOptions, NotebookDiff};
use crate::notebook::Notebook;
use crate::render::sanitize::visible;
use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::Path;

/// The kinds of hidden change between two notebooks whose diff under `opts`
/// is empty, in a stable order; empty when even the complete diff is empty
/// (only the JSON text changed).
pub fn hidden_kinds(old: &Notebook, new: &Notebook, opts: &DiffOptions) -> Vec<String> {
    let all = DiffOptions {
        show_all: true,
        ..DiffOptions::default()
    };
    let diff = diff_notebooks(old, new, &all);
    kinds(&diff, opts)
}

fn volatile_name(table: &[&'static str], path: &str) -> Option<&'static str> {
    table.iter().copied().find(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    })
}

fn kinds(diff: &NotebookDiff<'_>, opts: &DiffOptions) -> Vec<String> {
    let mut set: BTreeSet<(u8, String)> = BTreeSet::new();
    let mut add = |order: u8, s: &str| {
        set.insert((order, s.to_string()));
    };
    if diff.format.is_some() {
        add(9, "nbformat");
    }
    for c in &diff.metadata {
        match volatile_name(VOLATILE_NOTEBOOK_METADATA, &c.path) {
            Some(name) if !opts.ignore_metadata => add(2, name),
            _ => add(3, "notebook metadata"),
        }
    }
    for cell in &diff.cells {
        if cell.source.is_some() {
            add(5, "whitespace");
        }
        for f in &cell.fields {
            let path = f.path.as_str();
            if path == "execution_count" || path == "prompt_number" {
                add(0, "execution counts");
            } else if path == "id" || path.starts_with("id.") {
                add(6, "cell ids");
            } else if let Some(name) =
                volatile_name(VOLATILE_CELL_METADATA, path).filter(|_| !opts.ignore_metadata)
            {
                add(1, name);
            } else {
                add(3, "cell metadata");
            }
        }
        if !cell.attachments.is_empty() {
            add(4, "re-encoded images");
        }
        for o in &cell.outputs {
            if opts.ignore_outputs {
                add(7, "outputs");
                continue;
            }
            for part in &o.parts {
                match part {
                    OutputPart::Field(f) if f.path.starts_with("execution_count") => {
                        add(0, "execution counts")
                    }
                    OutputPart::Text { what, .. } if what == "traceback" => {
                        add(0, "execution counts")
                    }
                    OutputPart::Binary { old, new, .. } if old == new => {
                        add(4, "re-encoded images")
                    }
                    OutputPart::Field(_) if opts.ignore_metadata => add(3, "output metadata"),
                    OutputPart::Text { .. } => add(5, "whitespace"),
                    _ => add(7, "outputs"),
                }
            }
        }
    }
    set.into_iter().map(|(_, s)| s).collect()
}

/// True when `-a` (`--show-all`) reveals a kind.
fn shown_by_all(kind: &str) -> bool {
    kind == "execution counts"
        || kind == "re-encoded images"
        || VOLATILE_CELL_METADATA.contains(&kind)
        || VOLATILE_NOTEBOOK_METADATA.contains(&kind)
}

/// Writes the line for `path`: its hidden changes and how to see them.
pub fn write_note(path: &str, kinds: &[String], out: &mut dyn Write) -> io::Result<()> {
    let path = visible(path);
    if kinds.is_empty() {
        return writeln!(
            out,
            "{path}: only the JSON formatting changed (indentation, key order or base64 line wrapping)"
        );
    }
    let hint = if kinds.iter().any(|k| shown_by_all(k)) {
        "; nbdiff -a shows them"
    } else {
        ""
    };
    writeln!(
        out,
        "{path}: only ignored changes ({}){hint}",
        visible(&kinds.join(", "))
    )
}

/// For two files on disk whose diff is empty: writes the line when their
/// bytes differ anyway (named by the new file).
pub fn note_for_files(
    (old_path, old): (&Path, &Notebook),
    (new_path, new): (&Path, &Notebook),
    opts: &DiffOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match (std::fs::read(old_path), std::fs::read(new_path)) {
        (Ok(a), Ok(b)) if a != b => {
            let kinds = hidden_kinds(old, new, opts);
            write_note(&new_path.display().to_string(), &kinds, out)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb(count: u32, widgets: bool, indent: &str) -> Notebook {
        let w = if widgets {
            r#", "widgets": {"state": 1}"#
        } else {
            ""
        };
        let json = format!(
            "{{\n{indent}\"cells\": [{{\"cell_type\": \"code\", \"execution_count\": {count}, \"metadata\": {{}}, \"outputs\": [], \"source\": \"x\"}}],\n{indent}\"metadata\": {{\"k\": 1{w}}},\n{indent}\"nbformat\": 4,\n{indent}\"nbformat_minor\": 2\n}}\n"
        );
        Notebook::parse(json.as_bytes(), "t.ipynb").expect("valid notebook")
    }

    #[test]
    fn names_counts_and_widgets_and_formatting() {
        let opts = DiffOptions::default();
        let kinds = hidden_kinds(&nb(1, false, " "), &nb(2, true, " "), &opts);
        assert_eq!(kinds, ["execution counts", "metadata.widgets"]);
        let mut out = Vec::new();
        write_note("n.ipynb", &kinds, &mut out).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "n.ipynb: only ignored changes (execution counts, metadata.widgets); nbdiff -a shows them\n"
        );
        assert!(hidden_kinds(&nb(1, false, " "), &nb(1, false, "  "), &opts).is_empty());
    }
}
