//! `nbdiff show NB`: a notebook as stable, readable text (git's textconv).
//!
//! git runs the textconv command on each side of a diff in `git log -p`,
//! `git show` and `git blame`, then line-diffs the text (`git diff --stat` and
//! `--numstat` do not use it: they count raw JSON lines). So
//! the rendering must be *stable* (the same notebook always gives the same
//! text) and must leave out what changes on every run (execution counts,
//! timings, widget state), so that a diff shows what a person changed:
//!
//! ```text
//! notebook · nbformat 4.5 · kernel python3 · language python
//! === markdown · id=intro · # Title
//! # Title
//! === code · id=c2 · tags: parameters · print("hi")
//! print("hi")
//! --- output 1 · stream stdout
//!     hi
//! --- output 2 · display_data
//!     [image/png 640×480 12.3 KB sha 1a2b3c4d]
//! ```
//!
//! Cell headers carry no cell number: inserting one cell must not change the
//! header of every cell below it in `git log -p`. They end with the cell's
//! first line, and `config-git` sets `diff.nbdiff.xfuncname` to match them,
//! so git's hunk headers name the cell (`@@ -3,7 +3,7 @@ === code · def f(x):`).
//!
//! Sources are shown whole; outputs are summarized: text shows its first
//! [`MAX_OUTPUT_LINES`] lines, anything else is one line with its type, size
//! and a short hash (images also with their pixel size). All text is passed
//! through [`crate::render::sanitize`].
//!
//! A file that is not a notebook is printed as sanitized text
//! ([`render_bytes`]), so `git log -p` never breaks on a corrupt revision.

use crate::diff::image;
use crate::notebook::{Cell, Notebook, Output, OutputKind};
use crate::render::sanitize::{first_line, visible, visible_lines};
use serde_json::Value;
use std::fmt::Write as _;

/// The version of this text format. git caches textconv output keyed on the
/// textconv command (`diff.nbdiff.cachetextconv`), and `config-git` puts
/// this number in that command (`show --format-version=N`), so bump it
/// whenever the rendering changes: re-running `nbdiff config-git --enable`
/// then changes the key and git drops the stale cache.
///
/// 2: cell headers carry the cell's first line.
pub const FORMAT_VERSION: u32 = 2;

/// Text outputs show at most this many lines; the rest is counted.
pub const MAX_OUTPUT_LINES: usize = 12;

/// What `nbdiff show` prints for a file's bytes: the notebook as text, or,
/// when the file is not a notebook, its text with every control character
/// and escape sequence made visible (invalid UTF-8 shown as `\u{fffd}`), so
/// that `git log -p` never breaks on a corrupt revision and never sends raw
/// bytes to the terminal.
pub fn render_bytes(bytes: &[u8], name: &str) -> String {
    match Notebook::parse(bytes, name) {
        Ok(nb) => render(&nb),
        // A file git's line merge broke: one line saying how to rescue it.
        Err(crate::notebook::LoadError::ConflictMarkers { line, .. }) => format!(
            "nbdiff: git conflict markers from line {line}: not a notebook until resolved; `nbdiff resolve` merges it at cell level\n{}",
            visible_lines(&String::from_utf8_lossy(bytes))
        ),
        Err(_) => visible_lines(&String::from_utf8_lossy(bytes)).into_owned(),
    }
}

/// Renders a notebook as text.
pub fn render(nb: &Notebook) -> String {
    let mut s = String::new();
    header(nb, &mut s);
    if let Some(record) = crate::merge::leftover::describe_record(nb.metadata()) {
        let _ = writeln!(s, "--- nbdiff conflict record (notebook) · {record}");
    }
    for cell in nb.cells().iter() {
        render_cell(cell, &mut s);
    }
    s
}

fn header(nb: &Notebook, s: &mut String) {
    let _ = write!(s, "notebook · nbformat {}.{}", nb.major, nb.minor);
    if let Some(meta) = nb.metadata() {
        for (key, label) in [("kernelspec", "kernel"), ("language_info", "language")] {
            let name = meta
                .get(key)
                .and_then(|v| v.get("name"))
                .and_then(Value::as_str);
            if let Some(name) = name {
                let _ = write!(s, " · {label} {}", visible(name));
            }
        }
    }
    s.push('\n');
}

fn render_cell(cell: &Cell<'_>, s: &mut String) {
    let _ = write!(s, "=== {}", visible(cell.cell_type()));
    if let Some(level) = cell.map.get("level").and_then(Value::as_u64) {
        let _ = write!(s, " {level}");
    }
    if let Some(id) = cell.id() {
        let _ = write!(s, " · id={}", visible(id));
    }
    if let Some(tags) = cell
        .metadata()
        .and_then(|m| m.get("tags"))
        .and_then(Value::as_array)
    {
        let tags: Vec<_> = tags.iter().filter_map(Value::as_str).map(visible).collect();
        if !tags.is_empty() {
            let _ = write!(s, " · tags: {}", tags.join(", "));
        }
    }
    let source = cell.source();
    if let Some(line) = first_line(&source) {
        let _ = write!(s, " · {line}");
    }
    s.push('\n');
    if let Some(record) = crate::merge::leftover::describe_record(cell.metadata()) {
        // Merge leftovers are metadata, which textconv hides otherwise: a
        // record committed by mistake must show in `git log -p`.
        let _ = writeln!(s, "--- nbdiff conflict record · {record}");
    }
    push_text(s, "", &visible_lines(&source), usize::MAX);
    if let Some(attachments) = cell.attachments() {
        for (name, bundle) in attachments {
            let _ = writeln!(s, "--- attachment {}", visible(name));
            if let Some(bundle) = bundle.as_object() {
                for (mime, value) in bundle {
                    let _ = writeln!(s, "    {}", summarize_data(mime, value));
                }
            }
        }
    }
    for (i, output) in cell.outputs().iter().enumerate() {
        render_output(i + 1, output, s);
    }
}

fn render_output(number: usize, output: &Output<'_>, s: &mut String) {
    let _ = write!(s, "--- output {number} · {}", visible(output.output_type()));
    match output.kind() {
        OutputKind::Stream => {
            if let Some(name) = output.stream_name() {
                let _ = write!(s, " {}", visible(name));
            }
            s.push('\n');
            push_text(s, "    ", &visible_lines(&output.text()), MAX_OUTPUT_LINES);
        }
        OutputKind::Error => {
            s.push('\n');
            if let Some((what, traceback)) = output.error() {
                let _ = writeln!(s, "    {}", visible(&what));
                let _ = writeln!(s, "    [traceback {} entries]", traceback.len());
            }
        }
        OutputKind::ExecuteResult | OutputKind::DisplayData | OutputKind::Other => {
            s.push('\n');
            for (mime, value) in output.data() {
                if mime == "text/plain" {
                    let text = crate::notebook::join_text(Some(value));
                    push_text(s, "    ", &visible_lines(&text), MAX_OUTPUT_LINES);
                } else {
                    let _ = writeln!(s, "    {}", summarize_data(&mime, value));
                }
            }
        }
    }
}

/// Appends `text` line by line with `indent`, at most `max` lines, ending with
/// a newline; the lines left out are counted.
fn push_text(s: &mut String, indent: &str, text: &str, max: usize) {
    if text.is_empty() {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(max) {
        s.push_str(indent);
        s.push_str(line);
        s.push('\n');
    }
    if lines.len() > max {
        let more = lines.len() - max;
        let noun = if more == 1 { "line" } else { "lines" };
        let _ = writeln!(s, "{indent}… {more} more {noun}");
    }
}

/// One line for a non-text mime value: `[image/png 640×480 12.3 KB sha 1a2b3c4d]`
/// for binary data (summarized by [`crate::diff::image`]), `[MIME N lines SIZE
/// sha HASH]` for anything else.
pub fn summarize_data(mime: &str, value: &Value) -> String {
    let mime_s = visible(mime);
    let textual = mime.starts_with("image/svg") || !(value.is_string() || value.is_array());
    if image::is_binary_mime(mime) && !textual {
        let info = image::summarize(mime, value);
        let dims = info
            .pixels
            .map(|(w, h)| format!(" {w}×{h}"))
            .unwrap_or_default();
        return format!(
            "[{mime_s}{dims} {} sha {}]",
            crate::render::human_size(info.bytes),
            info.hash
        );
    }
    let text = crate::notebook::join_text(Some(value));
    let json_text;
    let raw: &str = if value.is_string() || value.is_array() {
        &text
    } else {
        json_text = value.to_string();
        &json_text
    };
    format!(
        "[{mime_s} {} lines {} sha {}]",
        raw.lines().count(),
        crate::render::human_size(raw.len()),
        image::short_hash(raw.as_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nb(json: &str) -> Notebook {
        Notebook::parse(json.as_bytes(), "t.ipynb").expect("valid notebook")
    }

    const NB: &str = r##"{
 "cells": [
  {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": ["# Title\n", "text"]},
  {"cell_type": "code", "execution_count": 7, "id": "c1", "metadata": {"tags": ["x"], "execution": {"iopub.execute_input": "2024-01-01"}},
   "outputs": [
     {"name": "stdout", "output_type": "stream", "text": ["\u001b[31mhi\u001b[0m\n"]},
     {"data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAC0lEQVR4nGNgwAIAABUAAapll8QAAAAASUVORK5CYII=", "text/plain": ["<Figure>"]}, "execution_count": 7, "metadata": {}, "output_type": "execute_result"},
     {"ename": "ZeroDivisionError", "evalue": "division by zero", "output_type": "error", "traceback": ["a", "b"]}
   ],
   "source": "1/0"}
 ],
 "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}, "language_info": {"name": "python"}},
 "nbformat": 4, "nbformat_minor": 5
}"##;

    #[test]
    fn renders_cells_outputs_and_omits_volatile_fields() {
        let text = render(&nb(NB));
        let expected = "notebook · nbformat 4.5 · kernel python3 · language python
=== markdown · id=m1 · # Title
# Title
text
=== code · id=c1 · tags: x · 1/0
1/0
--- output 1 · stream stdout
    hi
--- output 2 · execute_result
    [image/png 2×3 68 B sha a7a468f8]
    <Figure>
--- output 3 · error
    ZeroDivisionError: division by zero
    [traceback 2 entries]
";
        assert_eq!(text, expected);
        assert!(!text.contains("2024"), "timings must not show");
    }

    #[test]
    fn long_text_is_cut() {
        let lines: Vec<String> = (0..20).map(|i| format!("\"l{i}\\n\"")).collect();
        let json = format!(
            r#"{{"cells":[{{"cell_type":"code","metadata":{{}},"source":"","outputs":[{{"output_type":"stream","name":"stdout","text":[{}]}}]}}],"metadata":{{}},"nbformat":4,"nbformat_minor":2}}"#,
            lines.join(",")
        );
        let text = render(&nb(&json));
        assert!(text.contains("    l11\n    … 8 more lines\n"), "{text}");
        assert!(!text.contains("l12"));
    }

    #[test]
    fn sizes() {
        assert_eq!(crate::render::human_size(999), "999 B");
        assert_eq!(crate::render::human_size(12_345), "12.3 KB");
    }
}
