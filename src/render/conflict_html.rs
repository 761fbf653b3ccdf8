//! The conflicts of a merged notebook in the HTML report: each conflict with
//! base, local and remote side by side, rendered as Jupyter renders them
//! (markdown rendered, code as code, text outputs, images, HTML outputs).
//!
//! Input is a notebook as the merge writes it (`merge/to_notebook.rs`): notice
//! cells, the two versions of each conflicted cell, records with the
//! conflict's number. The base of a version comes from `base` (the merge's
//! base notebook, matched by cell id), when the caller has it.
//!
//! Everything is made inert as in the rest of the report
//! (`render/html.rs`): text escaped after controls are made visible,
//! markdown and HTML outputs through the same `ammonia` allow-list, images
//! only as checked base64 `data:` URIs; the page's CSP applies.

use super::html::{render_markdown, sanitize_html, Payload, EMBEDDED};
use super::sanitize::visible;
use crate::merge::to_notebook::{GROUP_KEY, RECORD_KEY};
use crate::notebook::{Cell, Notebook};
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Text HTML-escaped after controls are made visible (line breaks and tabs
/// stay: they are laid out by `<pre>`).
fn escape(s: &str) -> String {
    let mut shown = String::with_capacity(s.len());
    for (k, line) in s.split('\n').enumerate() {
        if k > 0 {
            shown.push('\n');
        }
        for (j, part) in line
            .strip_suffix('\r')
            .unwrap_or(line)
            .split('\t')
            .enumerate()
        {
            if j > 0 {
                shown.push('\t');
            }
            shown.push_str(&visible(part));
        }
    }
    super::html::escape(&shown).into_owned()
}

/// One conflict: its notice, and each side's cells.
#[derive(Default)]
struct Conflict<'a> {
    notice: Option<Cell<'a>>,
    local: Vec<Cell<'a>>,
    remote: Vec<Cell<'a>>,
    /// Cells of a conflict without versions (field, moved, deleted/edited).
    cells: Vec<Cell<'a>>,
}

fn record<'a>(c: &Cell<'a>) -> Option<&'a serde_json::Map<String, Value>> {
    c.metadata()?.get(RECORD_KEY)?.as_object()
}

/// The conflicts of `nb`, in order of their numbers.
fn conflicts(nb: &Notebook) -> Vec<(u64, Conflict<'_>)> {
    let mut by: Vec<(u64, Conflict<'_>)> = Vec::new();
    let mut index: HashMap<u64, usize> = HashMap::new();
    for cell in nb.cells() {
        let Some(rec) = record(&cell) else { continue };
        let Some(g) = rec.get(GROUP_KEY).and_then(Value::as_u64) else {
            continue;
        };
        let k = *index.entry(g).or_insert_with(|| {
            by.push((g, Conflict::default()));
            by.len() - 1
        });
        let entry = &mut by[k].1;
        match rec.get("marker").and_then(Value::as_str) {
            Some("versions" | "deleted-edited" | "conflict" | "start") => entry.notice = Some(cell),
            Some(_) => {}
            None => {
                let version = rec
                    .get("conflicts")
                    .and_then(Value::as_array)
                    .and_then(|l| l.iter().find_map(|c| c.get("version")?.as_str()));
                match version {
                    Some("local") => entry.local.push(cell),
                    Some("remote") => entry.remote.push(cell),
                    _ => entry.cells.push(cell),
                }
            }
        }
    }
    by
}

/// True when `nb` holds conflicts this view can show.
pub fn has_conflicts(nb: &Notebook) -> bool {
    !conflicts(nb).is_empty()
}

/// The HTML section showing every conflict of `nb` (named `path`); `None`
/// when it has none. `base`: the merge's base, for the base column.
pub fn section(path: &str, nb: &Notebook, base: Option<&Notebook>) -> Option<String> {
    let list = conflicts(nb);
    if list.is_empty() {
        return None;
    }
    let base_cells: HashMap<&str, Cell<'_>> = base
        .map(|b| {
            b.cells()
                .into_iter()
                .filter_map(|c| Some((c.map.get("id")?.as_str()?, c)))
                .collect()
        })
        .unwrap_or_default();
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<section class=\"notebook conflicts\">\n<h2>{}: {} merge conflict{}</h2>",
        escape(path),
        list.len(),
        if list.len() == 1 { "" } else { "s" }
    );
    for (n, (_, c)) in list.iter().enumerate() {
        let _ = writeln!(
            h,
            "<section class=\"conflict\">\n<h3>Conflict {}</h3>",
            n + 1
        );
        if let Some(notice) = &c.notice {
            let _ = writeln!(
                h,
                "<div class=\"notice\">{}</div>",
                render_markdown(&notice.source())
            );
        }
        if c.local.is_empty() && c.remote.is_empty() {
            for cell in &c.cells {
                let _ = writeln!(h, "<div class=\"cell\">{}</div>", cell_html(cell));
            }
            h.push_str("</section>\n");
            continue;
        }
        let base_of = |cells: &[Cell<'_>]| {
            cells
                .iter()
                .find_map(|c| base_cells.get(c.map.get("id")?.as_str()?))
                .map(cell_html)
        };
        let base_html = base_of(&c.local).or_else(|| base_of(&c.remote));
        h.push_str("<table class=\"sides\">\n<thead><tr>");
        if base.is_some() {
            h.push_str("<th scope=\"col\">base</th>");
        }
        h.push_str(
            "<th scope=\"col\">local</th><th scope=\"col\">remote</th></tr></thead>\n<tbody><tr>",
        );
        if base.is_some() {
            let _ = write!(
                h,
                "<td>{}</td>",
                base_html.unwrap_or_else(|| "<p class=\"absent\">(not in base)</p>".into())
            );
        }
        for side in [&c.local, &c.remote] {
            h.push_str("<td>");
            for cell in side.iter() {
                h.push_str(&cell_html(cell));
            }
            h.push_str("</td>");
        }
        h.push_str("</tr></tbody>\n</table>\n</section>\n");
    }
    h.push_str("</section>\n");
    Some(h)
}

/// One cell as Jupyter shows it, inert.
fn cell_html(cell: &Cell<'_>) -> String {
    let mut h = String::new();
    let src = cell.source();
    match cell.cell_type() {
        "markdown" => {
            let _ = write!(h, "<div class=\"md\">{}</div>", render_markdown(&src));
        }
        kind => {
            let count = cell
                .map
                .get(cell.execution_count_key())
                .and_then(Value::as_u64)
                .map(|n| format!("[{n}]"))
                .unwrap_or_else(|| "[ ]".into());
            let label = if kind == "code" { count } else { escape(kind) };
            let _ = write!(
                h,
                "<p class=\"prompt\">{label}</p><pre class=\"src\">{}</pre>",
                escape(&src)
            );
        }
    }
    for o in cell.outputs() {
        let data = o.data();
        let pick = |mime: &str| data.iter().find(|(m, _)| m == mime).map(|(_, v)| *v);
        let image = EMBEDDED
            .iter()
            .find_map(|m| pick(m).and_then(|v| image_html(m, v)));
        if let Some(img) = image {
            h.push_str(&img);
        } else if let Some(v) = pick("text/html") {
            let _ = write!(
                h,
                "<div class=\"out-html\">{}</div>",
                sanitize_html(&crate::notebook::join_text(Some(v)))
            );
        } else if let Some(v) = pick("text/markdown") {
            let _ = write!(
                h,
                "<div class=\"md\">{}</div>",
                render_markdown(&crate::notebook::join_text(Some(v)))
            );
        } else {
            let t = o.text();
            if !t.is_empty() {
                let _ = write!(h, "<pre class=\"out\">{}</pre>", escape(&t));
            }
        }
    }
    h
}

/// An `<img>` with a `data:` URI, only for the report's image types and
/// plain base64 payloads (SVG text encoded), as in the report.
fn image_html(mime: &str, v: &Value) -> Option<String> {
    let payload = Payload::of(mime, v)?;
    let mut h = format!("<img alt=\"{mime} output\" src=\"data:{mime};base64,");
    payload.write_to(&mut h);
    h.push_str("\">");
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_conflict_shows_both_versions_rendered_and_inert() {
        let base = br#"{"cells": [{"cell_type": "markdown", "id": "m", "metadata": {}, "source": "Mean over all."}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        let local = br#"{"cells": [{"cell_type": "markdown", "id": "m", "metadata": {}, "source": "Mean over **EU** <script>alert(1)</script>"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        let remote = br#"{"cells": [{"cell_type": "markdown", "id": "m", "metadata": {}, "source": "Median over all."}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        let opts = crate::merge::Options::default();
        let out = crate::merge::merge_bytes(
            crate::merge::Inputs {
                base: (base, "b"),
                local: (local, "l"),
                remote: (remote, "r"),
            },
            &opts,
        );
        assert_eq!(out.conflicts, 1);
        let nb = Notebook::parse(&out.bytes, "m").expect("notebook");
        let b = Notebook::parse(base, "b").expect("notebook");
        let html = section("nb.ipynb", &nb, Some(&b)).expect("a section");
        assert!(
            html.contains("<strong>EU</strong>"),
            "markdown rendered: {html}"
        );
        assert!(html.contains("Median over all."), "{html}");
        assert!(html.contains("Mean over all."), "base column: {html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("Conflict 1"), "{html}");
    }

    #[test]
    fn images_are_the_reports_images() {
        // An SVG plot (text in the notebook) and a PNG are shown; a payload
        // that is not plain base64 is not.
        let nb = br#"{"cells": [{"cell_type": "code", "execution_count": 1, "id": "c", "metadata": {}, "source": "plot()", "outputs": [
            {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": ["<svg/>"]}},
            {"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBORw0K\nGgo=\n"}},
            {"output_type": "display_data", "metadata": {}, "data": {"image/gif": "R0lG\"><script>"}}]}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        let nb = Notebook::parse(nb, "n").expect("notebook");
        let html = cell_html(&nb.cells()[0]);
        assert!(
            html.contains("src=\"data:image/svg+xml;base64,PHN2Zy8+\""),
            "{html}"
        );
        assert!(
            html.contains("src=\"data:image/png;base64,iVBORw0KGgo=\""),
            "{html}"
        );
        assert!(
            !html.contains("image/gif") && !html.contains("<script"),
            "{html}"
        );
    }
}
