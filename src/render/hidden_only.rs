//! One line for a notebook whose bytes changed but whose diff is empty:
//! what changed that nbdiff does not show, and how to see it, so that a file
//! git lists as modified is never silently skipped:
//!
//! ```text
//! notebook.ipynb: only ignored changes (execution counts, metadata.widgets); nbdiff -a shows them
//! notebook.ipynb: formatting only (indentation, key order or base64 line wrapping)
//! ```
//!
//! The kinds come from a second diff with everything compared
//! (`--show-all`, no `--ignore-*`), named by the row of the volatile-data
//! table that hides them ([`crate::policy`]).

use crate::diff::output::OutputPart;
use crate::diff::{diff_notebooks, DiffOptions, NotebookDiff, Verdict};
use crate::notebook::{read_bounded, Notebook};
use crate::policy::{DiffRule, Kind, Scope};
use crate::render::sanitize::visible_name;
use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::Path;

/// The kinds of hidden change between two notebooks whose diff under `opts`
/// is empty, in a stable order; empty when even the complete diff is empty
/// (only the JSON text changed).
pub fn hidden_kinds(old: &Notebook, new: &Notebook, opts: &DiffOptions) -> Vec<(String, bool)> {
    let all = DiffOptions {
        show_all: true,
        policy: opts.policy.clone(),
        ..DiffOptions::default()
    };
    let diff = diff_notebooks(old, new, &all);
    kinds(&diff, opts)
}

/// The name of a hidden change at `path` of an object in `scope`: the
/// policy row that hides it (`execution counts`, `metadata.widgets`), or
/// `None` when the policy does not hide it.
fn hidden_name(opts: &DiffOptions, scope: Scope, path: &str) -> Option<String> {
    let field = opts.policy.classify(scope, path)?;
    if field.diff != DiffRule::Hidden {
        return None;
    }
    Some(match field.kind {
        Kind::ExecutionCounts => Kind::ExecutionCounts.name().to_string(),
        _ => field.path.to_string(),
    })
}

/// Images whose base64 text changed but not their bytes.
const REENCODED: &str = "re-encoded images";

/// A hidden change: its name, and whether `-a` shows it.
type Hidden = (String, bool);

fn kinds(diff: &NotebookDiff<'_>, opts: &DiffOptions) -> Vec<Hidden> {
    let mut set: BTreeSet<(u8, String, bool)> = BTreeSet::new();
    let mut add = |order: u8, name: &str, by_all: bool| {
        set.insert((order, name.to_string(), by_all));
    };
    let mut field = |scope: Scope, path: &str, fallback: &str| match hidden_name(opts, scope, path)
    {
        Some(name) if name == Kind::ExecutionCounts.name() => add(0, &name, true),
        Some(name) => add(1, &name, true),
        None => add(3, fallback, false),
    };
    let mut other: BTreeSet<(u8, &'static str)> = BTreeSet::new();
    for c in &diff.metadata {
        field(Scope::Notebook, &c.path, "notebook metadata");
    }
    for cell in &diff.cells {
        if cell.source.is_some() {
            other.insert((5, "whitespace"));
        }
        for f in &cell.fields {
            if f.path == "id" || f.path.starts_with("id.") {
                other.insert((6, "cell ids"));
            } else {
                field(Scope::Cell, &f.path, "cell metadata");
            }
        }
        if !cell.attachments.is_empty() {
            other.insert((4, REENCODED));
        }
        for o in &cell.outputs {
            if opts.ignore_outputs {
                other.insert((7, "outputs"));
                continue;
            }
            for part in &o.parts {
                match part {
                    OutputPart::Field(f) => field(Scope::Output, &f.path, "output metadata"),
                    // Tracebacks differing only in execution counts.
                    OutputPart::Text { what, .. } if what == "traceback" => {
                        field(Scope::Output, "execution_count", "tracebacks")
                    }
                    OutputPart::Binary {
                        old, new, pixels, ..
                    } if old == new
                        || pixels.is_some_and(|p| p == crate::diff::image::PixelChange::Same) =>
                    {
                        other.insert((4, REENCODED));
                    }
                    OutputPart::Text { .. } => {
                        other.insert((5, "whitespace"));
                    }
                    OutputPart::Binary { .. } => {
                        other.insert((7, "outputs"));
                    }
                }
            }
        }
    }
    if diff.format.is_some() {
        other.insert((9, "nbformat"));
    }
    let mut out: Vec<(u8, String, bool)> = set.into_iter().collect();
    // Re-encoded images are hidden by the diff itself; -a shows them.
    out.extend(
        other
            .into_iter()
            .map(|(o, n)| (o, n.to_string(), n == REENCODED)),
    );
    out.sort();
    out.dedup_by(|a, b| a.1 == b.1);
    out.into_iter().map(|(_, n, all)| (n, all)).collect()
}

/// The verdict for a file whose only changes are hidden: what they are and
/// how to see them (the line [`write_note`] writes after the path, and what
/// the reports and `--stat` show for it).
pub fn verdict(kinds: &[(String, bool)]) -> String {
    if kinds.is_empty() {
        return Verdict::FormattingOnly.to_string();
    }
    Verdict::OnlyIgnored {
        kinds: kinds.iter().map(|k| k.0.clone()).collect(),
        shown_by_all: kinds.iter().any(|k| k.1),
    }
    .to_string()
}

/// Writes the line for `path`: its hidden changes and how to see them.
pub fn write_note(path: &str, kinds: &[(String, bool)], out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}: {}", visible_name(path), verdict(kinds))
}

/// For two files on disk whose diff is empty: the verdict when their bytes
/// differ anyway (`None` when they are the same bytes).
pub fn verdict_for_files(
    (old_path, old): (&Path, &Notebook),
    (new_path, new): (&Path, &Notebook),
    opts: &DiffOptions,
) -> Option<String> {
    match (read_bounded(old_path), read_bounded(new_path)) {
        (Ok(a), Ok(b)) if a != b => Some(verdict(&hidden_kinds(old, new, opts))),
        _ => None,
    }
}

/// For two files on disk whose diff is empty: writes the line when their
/// bytes differ anyway (named by the new file).
pub fn note_for_files(
    old: (&Path, &Notebook),
    new: (&Path, &Notebook),
    opts: &DiffOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match verdict_for_files(old, new, opts) {
        Some(v) => writeln!(out, "{}: {v}", visible_name(&new.0.display().to_string())),
        None => Ok(()),
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
        let names: Vec<&str> = kinds.iter().map(|k| k.0.as_str()).collect();
        assert_eq!(names, ["execution counts", "metadata.widgets"]);
        let mut out = Vec::new();
        write_note("n.ipynb", &kinds, &mut out).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "n.ipynb: only ignored changes (execution counts, metadata.widgets); nbdiff -a shows them\n"
        );
        assert!(hidden_kinds(&nb(1, false, " "), &nb(1, false, "  "), &opts).is_empty());
    }
}
