//! The self-contained HTML review report: one file with inline CSS, no
//! JavaScript and no external URL, that opens from disk or as a CI artifact.
//!
//! [`HtmlReport`] collects one section per notebook ([`HtmlReport::add`]),
//! then [`HtmlReport::finish`] writes the page: a summary table, an index
//! linking to every changed cell, and the sections. Per changed cell: the
//! source diff with word highlights in two views (unified and side by side,
//! switched by two radio buttons and CSS, no script), markdown rendered
//! before/after, images before/after as `data:` URIs, text outputs diffed,
//! HTML outputs sanitised and rendered before/after, everything else as the
//! terminal's summary line. Unchanged cells are collapsed in `<details>`
//! with their count; a moved cell links to a marker where it used to stand.
//!
//! # Untrusted content stays inert
//! - All text is HTML-escaped after [`visible`] made controls and bidi
//!   overrides visible, as in the terminal.
//! - Notebook HTML (HTML outputs, markdown cells rendered by
//!   `pulldown-cmark`) passes [`ammonia`] with an allow-list: no script,
//!   no event handlers, no styles, no forms, frames or objects, no `id`s, no
//!   links (their text is kept), images only as `data:image/…` URIs.
//! - Images are embedded only for a fixed list of image MIME types, only when
//!   the payload is plain base64 (SVG text is base64-encoded here); an SVG in
//!   an `<img>` never runs its scripts.
//! - Defence in depth: the first element of `<head>` is a
//!   Content-Security-Policy (`default-src 'none'; img-src data:;
//!   style-src 'unsafe-inline'`), so a sanitiser miss still runs nothing and
//!   fetches nothing.
//!
//! # Images embedded once
//! A `data:` URI cannot be referenced from elsewhere in a page without
//! script, so a payload is embedded at its first occurrence in the report
//! and every later occurrence of the same bytes (same MIME type and SHA-1 of
//! the payload) is a link to that first `<img>`. Unchanged images are not
//! shown at all (the diff only carries changed outputs).

use super::sanitize::visible;
use super::terminal::{
    attachment_line, binary_summary, cell_header, field_line, hunk_ranges, output_number,
};
use crate::diff::image::ImageInfo;
use crate::diff::lines::{DiffLine, LineTag, TextDiff};
use crate::diff::output::{OutputChange, OutputPart};
use crate::diff::{CellDiff, CellStatus, DiffStats, NotebookDiff};
use crate::notebook::Cell;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The stylesheet, inlined into every report.
const CSS: &str = include_str!("html.css");

/// The Content-Security-Policy of every report: nothing runs, nothing is
/// fetched, images only from `data:`, styles only inline.
const CSP: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/// Options of the HTML report.
#[derive(Debug, Clone)]
pub struct HtmlOptions {
    /// The page title (`<title>` and `<h1>`).
    pub title: String,
    /// Lines of context around source changes.
    pub context: usize,
    /// Volatile data is shown (`-a`); the report says which.
    pub show_all: bool,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            title: "nbdiff review".into(),
            context: 3,
            show_all: false,
        }
    }
}

/// (MIME type, short hash, decoded size) of an embedded image.
type ImageKey = (String, String, usize);

/// One notebook's line in the summary and index.
#[derive(Debug)]
struct FileEntry {
    path: String,
    anchor: String,
    stats: DiffStats,
    notebook_changed: bool,
    /// `(anchor, header text)` of each changed cell.
    cells: Vec<(String, String)>,
    /// For a notebook without a notebook diff ([`HtmlReport::add_other`]):
    /// its verdict, shown instead of the counts.
    verdict: Option<String>,
    /// What changed: the verdict ([`crate::diff::Verdict`]), first in the
    /// summary table and in the notebook's section.
    what: String,
}

/// The report being built: sections are rendered as notebooks are added;
/// the summary, which needs every notebook's counts, is written by
/// [`HtmlReport::finish`].
#[derive(Debug)]
pub struct HtmlReport {
    opts: HtmlOptions,
    files: Vec<FileEntry>,
    notes: Vec<String>,
    body: String,
    /// Embedded payloads by (MIME type, short hash, size) from the diff's
    /// summary: the `id` of each `<img>` and where its base64 text is in `body`.
    images: HashMap<ImageKey, Vec<(String, std::ops::Range<usize>)>>,
    image_count: usize,
    /// Image comparisons written (`render/image_view.rs`), for unique names.
    compare_count: usize,
}

/// HTML-escapes text for element content and quoted attribute values.
pub(super) fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Untrusted text for HTML: controls and bidi overrides made visible, then escaped.
fn text(s: &str) -> String {
    escape(&visible(s)).into_owned()
}

impl HtmlReport {
    /// An empty report.
    pub fn new(opts: HtmlOptions) -> Self {
        HtmlReport {
            opts,
            files: Vec::new(),
            notes: Vec::new(),
            body: String::new(),
            images: HashMap::new(),
            image_count: 0,
            compare_count: 0,
        }
    }

    /// A line for the report's notes (e.g. a file that is not a notebook).
    pub fn note(&mut self, note: &str) {
        self.notes.push(note.to_string());
    }

    /// Adds a section for a notebook without a notebook diff: its verdict
    /// and, for a line diff, the lines.
    pub fn add_other(&mut self, path: &str, verdict: &str, lines: Option<&str>) {
        let anchor = format!("nb{}", self.files.len() + 1);
        let b = &mut self.body;
        let _ = write!(
            b,
            "<section class=\"nb\" id=\"{anchor}\" aria-labelledby=\"{anchor}-h\">\n\
             <h2 id=\"{anchor}-h\">{}</h2>\n<p class=\"verdict\">{}</p>\n",
            text(path),
            text(verdict)
        );
        if let Some(lines) = lines {
            let _ = writeln!(b, "<pre class=\"lines\">{}</pre>", text(lines));
        }
        b.push_str("</section>\n");
        self.files.push(FileEntry {
            path: path.to_string(),
            anchor,
            stats: DiffStats::default(),
            notebook_changed: false,
            cells: Vec::new(),
            verdict: Some(verdict.to_string()),
            what: verdict.to_string(),
        });
    }

    /// Adds a section rendered elsewhere and already inert (the merge
    /// conflicts view, `render/conflict_html.rs`).
    pub fn add_section(&mut self, html: &str) {
        self.body.push_str(html);
    }

    /// Adds a notebook's section; an empty diff adds nothing.
    pub fn add(&mut self, path: &str, diff: &NotebookDiff<'_>) {
        if diff.is_empty() {
            return;
        }
        let f = self.files.len() + 1;
        let anchor = format!("nb{f}");
        let mut entry = FileEntry {
            path: path.to_string(),
            anchor: anchor.clone(),
            stats: diff.stats(),
            notebook_changed: diff.notebook_changed(),
            cells: Vec::new(),
            verdict: None,
            what: diff.verdict().to_string(),
        };
        let b = &mut self.body;
        let _ = write!(
            b,
            "<section class=\"nb\" id=\"{anchor}\" aria-labelledby=\"{anchor}-h\">\n\
             <h2 id=\"{anchor}-h\">{}</h2>\n<p class=\"verdict\">{}</p>\n<p class=\"counts\">{}</p>\n",
            text(path),
            text(&entry.what),
            counts_text(&entry.stats, entry.notebook_changed)
        );
        if !diff.stale.is_empty() {
            b.push_str("<ul class=\"stale\">\n");
            for s in &diff.stale {
                let _ = writeln!(b, "<li>{}</li>", text(&format!("cell {}: {s}", s.cell + 1)));
            }
            b.push_str("</ul>\n");
        }
        if entry.notebook_changed {
            b.push_str("<h3>Notebook</h3>\n<ul class=\"fields\">\n");
            if let Some(((a, x), (c, d))) = diff.format {
                let _ = writeln!(b, "<li><code>nbformat: {a}.{x} → {c}.{d}</code></li>");
            }
            for change in &diff.metadata {
                let _ = writeln!(b, "<li><code>{}</code></li>", escape(&field_line(change)));
            }
            b.push_str("</ul>\n");
        }
        // Where moved cells used to stand: before the first non-moved entry
        // whose old position is after theirs.
        let mut moved: Vec<(usize, usize)> = diff
            .cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.moved)
            .filter_map(|(k, c)| c.old_index.map(|o| (o, k)))
            .collect();
        moved.sort_unstable();
        let mut next_moved = 0;
        let mut unchanged: Vec<&CellDiff<'_>> = Vec::new();
        for cell in &diff.cells {
            if !cell.moved {
                if let Some(o) = cell.old_index {
                    while next_moved < moved.len() && moved[next_moved].0 < o {
                        flush_unchanged(&mut self.body, &mut unchanged);
                        let (old, at) = moved[next_moved];
                        moved_from_marker(&mut self.body, &anchor, old, &diff.cells[at]);
                        next_moved += 1;
                    }
                }
            }
            if !cell.is_interesting() {
                unchanged.push(cell);
                continue;
            }
            flush_unchanged(&mut self.body, &mut unchanged);
            let id = cell_anchor(&anchor, cell);
            let header = cell_header(cell);
            let header = header.trim_matches(|c| c == '─' || c == ' ');
            self.cell(&anchor, &id, header, cell);
            entry.cells.push((id, header.to_string()));
        }
        flush_unchanged(&mut self.body, &mut unchanged);
        while next_moved < moved.len() {
            let (old, at) = moved[next_moved];
            moved_from_marker(&mut self.body, &anchor, old, &diff.cells[at]);
            next_moved += 1;
        }
        self.body.push_str("</section>\n");
        self.files.push(entry);
    }

    /// One changed cell's `<article>` under its (trimmed) header text.
    fn cell(&mut self, nb: &str, id: &str, header: &str, cell: &CellDiff<'_>) {
        let b = &mut self.body;
        let _ = write!(
            b,
            "<article class=\"cell {}\" id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h3 id=\"{id}-h\">",
            cell.status.name()
        );
        match (cell.moved, cell.old_index) {
            (true, Some(old)) => {
                let (before, rest) = header.split_once(" (moved from").unwrap_or((header, ""));
                // What follows `(moved from N)`: ` · ` and the first line.
                let after = rest.split_once(')').map_or("", |(_, a)| a);
                let _ = write!(
                    b,
                    "{} <a href=\"#{nb}-was{}\">(moved from old cell {})</a>{}",
                    escape(before),
                    old + 1,
                    old + 1,
                    escape(after)
                );
            }
            _ => b.push_str(&escape(header)),
        }
        b.push_str("</h3>\n");
        if let Some(source) = &cell.source {
            let whole = matches!(cell.status, CellStatus::Added | CellStatus::Deleted);
            diff_views(b, source, self.opts.context, whole, "source");
            let markdown = |c: Option<Cell<'_>>| c.is_some_and(|c| c.cell_type() == "markdown");
            if markdown(cell.old) || markdown(cell.new) {
                let side = |c: Option<Cell<'_>>, s: &str| {
                    if markdown(c) {
                        render_markdown(s)
                    } else {
                        String::new()
                    }
                };
                let old = side(cell.old, &source.old);
                let new = side(cell.new, &source.new);
                pair(b, "Rendered markdown", &old, &new, cell.status, "md");
            }
        }
        if !cell.fields.is_empty() {
            let b = &mut self.body;
            b.push_str("<ul class=\"fields\">\n");
            for change in &cell.fields {
                let _ = writeln!(b, "<li><code>{}</code></li>", escape(&field_line(change)));
            }
            b.push_str("</ul>\n");
        }
        for a in &cell.attachments {
            let _ = writeln!(
                self.body,
                "<p class=\"out-head\">{}</p>",
                text(&attachment_line(a))
            );
            let (old, new) = (
                attachment_value(cell.old, &a.name, &a.mime).zip(a.old.as_ref()),
                attachment_value(cell.new, &a.name, &a.mime).zip(a.new.as_ref()),
            );
            self.images_pair(&a.mime, old, new, &format!("attachment {}", a.name));
        }
        for o in &cell.outputs {
            self.output(cell, o);
        }
        self.body.push_str("</article>\n");
    }

    fn output(&mut self, cell: &CellDiff<'_>, o: &OutputChange<'_>) {
        let (n, whole) = output_number(o);
        let _ = writeln!(
            self.body,
            "<section class=\"output\">\n<h4>output {n} ({}){}</h4>",
            text(&o.label),
            whole.map(|w| format!(" {w}")).unwrap_or_default()
        );
        for part in &o.parts {
            match part {
                OutputPart::Text { what, diff } => {
                    // A changed DataFrame: its cells compared, then the
                    // rendered tables and their HTML as for any HTML output.
                    let table = o.table.as_ref().filter(|_| what == "text/html");
                    if let Some(t) = table {
                        let head = format!("{what}: {}", t.summary());
                        let _ = writeln!(self.body, "<p class=\"out-head\">{}</p>", text(&head));
                        super::table_view::write(&mut self.body, t);
                    }
                    let shown = !matches!(what.as_str(), "text" | "traceback");
                    let head = format!(
                        "{}+{} -{} lines",
                        if shown {
                            format!("{what}: ")
                        } else {
                            String::new()
                        },
                        diff.added(),
                        diff.removed()
                    );
                    let _ = writeln!(self.body, "<p class=\"out-head\">{}</p>", text(&head));
                    // HTML and Markdown are rendered (sanitised), their
                    // source diffed below; other text is only diffed.
                    let rendered = what == "text/html" || what == "text/markdown";
                    if rendered {
                        let render = |s: &str| {
                            if what == "text/html" {
                                sanitize_html(s)
                            } else {
                                render_markdown(s)
                            }
                        };
                        let (old, new) = (
                            o.old_index.map(|_| render(&diff.old)).unwrap_or_default(),
                            o.new_index.map(|_| render(&diff.new)).unwrap_or_default(),
                        );
                        let label = if what == "text/html" {
                            "Rendered HTML (sanitised)"
                        } else {
                            "Rendered markdown"
                        };
                        let status = side_status(o);
                        pair(&mut self.body, label, &old, &new, status, "html");
                        self.body.push_str(
                            "<details class=\"raw\"><summary>Source of the output</summary>\n",
                        );
                    } else if !is_inert_text(what) {
                        let _ = writeln!(
                            self.body,
                            "<p class=\"note\">{} is not run or rendered here; its text:</p>",
                            text(what)
                        );
                    }
                    diff_views(
                        &mut self.body,
                        diff,
                        self.opts.context,
                        whole.is_some(),
                        "output",
                    );
                    if rendered {
                        self.body.push_str("</details>\n");
                    }
                }
                OutputPart::Binary {
                    mime,
                    old,
                    new,
                    pixels,
                } => {
                    let summary = binary_summary(old.as_ref(), new.as_ref(), pixels.as_ref());
                    let line = format!("{mime}: {summary}");
                    let _ = writeln!(self.body, "<p class=\"out-head\">{}</p>", text(&line));
                    let (a, b) = (
                        output_value(cell.old, o.old_index, mime).zip(old.as_ref()),
                        output_value(cell.new, o.new_index, mime).zip(new.as_ref()),
                    );
                    self.images_pair(mime, a, b, &format!("output {n}"));
                }
                OutputPart::Field(c) => {
                    let _ = writeln!(
                        self.body,
                        "<p class=\"out-head\"><code>{}</code></p>",
                        escape(&field_line(c))
                    );
                }
            }
        }
        self.body.push_str("</section>\n");
    }

    /// Old and new image side by side (either may be missing), with the
    /// diff's summaries of them.
    fn images_pair(&mut self, mime: &str, old: Option<Img<'_>>, new: Option<Img<'_>>, what: &str) {
        if old.is_none() && new.is_none() {
            return;
        }
        // Two decoded images: compared beyond side by side.
        if let (Some(a), Some(b)) = (old, new) {
            if a.1.pixels.is_some() && b.1.pixels.is_some() {
                self.compare_count += 1;
                super::image_view::start(&mut self.body, self.compare_count, what);
                for (after, label, (value, info)) in [(false, "before", a), (true, "after", b)] {
                    super::image_view::figure_start(&mut self.body, after);
                    let alt = format!("{what}, {label}: {}", describe_image(mime, info));
                    self.image(mime, value, info, &alt);
                    super::image_view::figure_end(&mut self.body, after);
                }
                super::image_view::end(&mut self.body);
                return;
            }
        }
        self.body.push_str("<div class=\"pair images\">\n");
        for (label, side) in [("Before", old), ("After", new)] {
            let _ = write!(self.body, "<figure><figcaption>{label}</figcaption>");
            match side {
                Some((value, info)) => {
                    let alt = format!(
                        "{what}, {}: {}",
                        label.to_lowercase(),
                        describe_image(mime, info)
                    );
                    self.image(mime, value, info, &alt);
                }
                None => self.body.push_str("<p class=\"none\">(none)</p>"),
            }
            self.body.push_str("</figure>\n");
        }
        self.body.push_str("</div>\n");
    }

    /// Appends an `<img>` embedding the payload, or a link to the `<img>`
    /// that already embeds the same bytes, or a note why it is not shown.
    fn image(&mut self, mime: &str, value: &Value, info: &ImageInfo, alt: &str) {
        let Some(payload) = Payload::of(mime, value) else {
            let _ = write!(
                self.body,
                "<p class=\"none\">{} is not embedded (not a plain base64 image)</p>",
                text(mime)
            );
            return;
        };
        // The summary's short hash finds candidates; the bytes decide.
        let key = (mime.to_string(), info.hash.clone(), info.bytes);
        let seen = self.images.get(&key).and_then(|list| {
            list.iter()
                .find(|(_, range)| payload.equals(&self.body[range.clone()]))
                .map(|(id, _)| id.clone())
        });
        if let Some(id) = seen {
            let _ = write!(
                self.body,
                "<p class=\"same\"><a href=\"#{id}\">the same image as shown above</a> ({})</p>",
                text(alt)
            );
            return;
        }
        self.image_count += 1;
        let id = format!("img{}", self.image_count);
        let dims = info
            .pixels
            .map(|(w, h)| format!(" width=\"{w}\" height=\"{h}\""))
            .unwrap_or_default();
        let _ = write!(
            self.body,
            "<img id=\"{id}\" alt=\"{}\"{dims} src=\"data:{mime};base64,",
            text(alt)
        );
        let start = self.body.len();
        payload.write_to(&mut self.body);
        let range = start..self.body.len();
        self.body.push_str("\">");
        self.images.entry(key).or_default().push((id, range));
    }

    /// Writes the page: head with the CSP first, summary, index, sections.
    pub fn finish<W: Write + ?Sized>(self, out: &mut W) -> io::Result<()> {
        let mut h = String::with_capacity(8192);
        let title = text(&self.opts.title);
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n\
             <meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"referrer\" content=\"no-referrer\">\n\
             <meta name=\"generator\" content=\"nbdiff\">\n\
             <title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n\
             <input type=\"radio\" name=\"view\" id=\"view-unified\" class=\"view-switch\" checked>\n\
             <input type=\"radio\" name=\"view\" id=\"view-split\" class=\"view-switch\">\n\
             <header>\n<h1>{title}</h1>\n"
        );
        let mut total = DiffStats::default();
        for f in &self.files {
            total.added += f.stats.added;
            total.deleted += f.stats.deleted;
            total.modified += f.stats.modified;
            total.moved += f.stats.moved;
            total.outputs_changed += f.stats.outputs_changed;
        }
        let files = self.files.len();
        let _ = writeln!(
            h,
            "<p class=\"summary\">{files} notebook{} changed: {}.</p>",
            if files == 1 { "" } else { "s" },
            counts_text(&total, false)
        );
        let _ = writeln!(
            h,
            "<p class=\"volatile\">{}</p>",
            if self.opts.show_all {
                "Volatile data (execution counts, timing, view state) is shown."
            } else {
                "Volatile data (execution counts, timing, view state) is hidden; <code>nbdiff -a</code> shows it."
            }
        );
        h.push_str(
            "<nav class=\"views\" aria-label=\"Source diff view\">View: \
             <label for=\"view-unified\">unified</label> \
             <label for=\"view-split\">side by side</label></nav>\n</header>\n<main>\n",
        );
        for note in &self.notes {
            let _ = writeln!(h, "<p class=\"note\">{}</p>", text(note));
        }
        if !self.files.is_empty() {
            h.push_str(
                "<section class=\"index\" aria-labelledby=\"summary-h\">\n<h2 id=\"summary-h\">Summary</h2>\n\
                 <table>\n<thead><tr><th scope=\"col\">Notebook</th><th scope=\"col\">what changed</th><th scope=\"col\">added</th>\
                 <th scope=\"col\">deleted</th><th scope=\"col\">modified</th><th scope=\"col\">moved</th>\
                 <th scope=\"col\">outputs changed</th><th scope=\"col\">notebook metadata</th></tr></thead>\n<tbody>\n",
            );
            for f in &self.files {
                if let Some(verdict) = &f.verdict {
                    let _ = writeln!(
                        h,
                        "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th><td class=\"what\">{}</td><td colspan=\"6\"></td></tr>",
                        f.anchor,
                        text(&f.path),
                        text(verdict)
                    );
                    continue;
                }
                let s = f.stats;
                let _ = writeln!(
                    h,
                    "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th><td class=\"what\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    f.anchor,
                    text(&f.path),
                    text(&f.what),
                    s.added,
                    s.deleted,
                    s.modified,
                    s.moved,
                    s.outputs_changed,
                    if f.notebook_changed { "changed" } else { "" }
                );
            }
            h.push_str("</tbody>\n</table>\n<nav aria-label=\"Changed cells\">\n<ul>\n");
            for f in &self.files {
                let _ = write!(h, "<li><a href=\"#{}\">{}</a>", f.anchor, text(&f.path));
                if !f.cells.is_empty() {
                    h.push_str("\n<ul>\n");
                    for (id, header) in &f.cells {
                        let _ = writeln!(h, "<li><a href=\"#{id}\">{}</a></li>", escape(header));
                    }
                    h.push_str("</ul>\n");
                }
                h.push_str("</li>\n");
            }
            h.push_str("</ul>\n</nav>\n</section>\n");
        } else {
            h.push_str("<p>No differences.</p>\n");
        }
        out.write_all(h.as_bytes())?;
        out.write_all(self.body.as_bytes())?;
        out.write_all(b"</main>\n</body>\n</html>\n")
    }
}

/// `1 added, 0 deleted, 2 modified, 0 moved cells; 3 outputs changed`.
fn counts_text(s: &DiffStats, notebook: bool) -> String {
    let mut t = format!(
        "{} added, {} deleted, {} modified, {} moved cells; {} output{} changed",
        s.added,
        s.deleted,
        s.modified,
        s.moved,
        s.outputs_changed,
        if s.outputs_changed == 1 { "" } else { "s" }
    );
    if notebook {
        t.push_str("; notebook metadata changed");
    }
    t
}

fn cell_anchor(nb: &str, cell: &CellDiff<'_>) -> String {
    match (cell.status, cell.new_index, cell.old_index) {
        (CellStatus::Deleted, _, Some(o)) => format!("{nb}-old{}", o + 1),
        (_, Some(n), _) => format!("{nb}-c{}", n + 1),
        (_, None, Some(o)) => format!("{nb}-old{}", o + 1),
        _ => format!("{nb}-x"),
    }
}

fn moved_from_marker(b: &mut String, nb: &str, old: usize, cell: &CellDiff<'_>) {
    let _ = writeln!(
        b,
        "<p class=\"moved-from\" id=\"{nb}-was{}\">Old cell {} stood here; it moved to <a href=\"#{}\">cell {}</a>.</p>",
        old + 1,
        old + 1,
        cell_anchor(nb, cell),
        cell.new_index.map_or(0, |n| n + 1)
    );
}

/// Unchanged cells, collapsed with their count; their sources inside.
fn flush_unchanged(b: &mut String, cells: &mut Vec<&CellDiff<'_>>) {
    if cells.is_empty() {
        return;
    }
    let n = cells.len();
    let _ = writeln!(
        b,
        "<details class=\"unchanged\"><summary>{n} unchanged cell{}</summary>",
        if n == 1 { "" } else { "s" }
    );
    for c in cells.iter() {
        let Some(cell) = c.new.or(c.old) else {
            continue;
        };
        let _ = writeln!(
            b,
            "<h3 class=\"plain\">cell {} [{}]</h3>\n<pre>{}</pre>",
            c.new_index.map_or(0, |n| n + 1),
            text(cell.cell_type()),
            escape(&super::sanitize::visible_lines(&cell.source()))
        );
    }
    b.push_str("</details>\n");
    cells.clear();
}

/// Before and after side by side (`old`/`new` are already safe HTML).
fn pair(b: &mut String, label: &str, old: &str, new: &str, status: CellStatus, class: &str) {
    let _ = writeln!(
        b,
        "<div class=\"pair {class}\" role=\"group\" aria-label=\"{label}\">"
    );
    let sides = [
        ("Before", old, status != CellStatus::Added),
        ("After", new, status != CellStatus::Deleted),
    ];
    for (side, html, present) in sides {
        let _ = write!(
            b,
            "<div class=\"side\"><p class=\"side-h\">{label}: {side}</p>"
        );
        if present {
            let _ = write!(b, "<div class=\"rendered\">{html}</div>");
        } else {
            b.push_str("<p class=\"none\">(none)</p>");
        }
        b.push_str("</div>\n");
    }
    b.push_str("</div>\n");
}

fn side_status(o: &OutputChange<'_>) -> CellStatus {
    match (o.old_index, o.new_index) {
        (None, _) => CellStatus::Added,
        (_, None) => CellStatus::Deleted,
        _ => CellStatus::Modified,
    }
}

/// Text MIME types shown as text without a note (anything else, such as
/// JavaScript or widget state, gets "not run or rendered here").
fn is_inert_text(what: &str) -> bool {
    matches!(what, "text" | "traceback" | "text/plain" | "text/latex")
}

fn attachment_value<'a>(c: Option<Cell<'a>>, name: &str, mime: &str) -> Option<&'a Value> {
    c?.attachments()?.get(name)?.get(mime)
}

fn output_value<'a>(c: Option<Cell<'a>>, i: Option<usize>, mime: &str) -> Option<&'a Value> {
    let outs = c?.outputs();
    let data = outs.get(i?)?.data();
    data.into_iter().find(|(m, _)| m == mime).map(|(_, v)| v)
}

/// The image MIME types embedded in reports.
pub(super) const EMBEDDED: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/bmp",
    "image/svg+xml",
];

/// An image's value and the diff's summary of it.
type Img<'v> = (&'v Value, &'v ImageInfo);

/// The base64 text of an embeddable image: the value's own lines (checked to
/// be plain base64, line breaks dropped), or SVG text encoded here.
pub(super) enum Payload<'a> {
    Chunks(Vec<&'a str>),
    Owned(String),
}

impl<'a> Payload<'a> {
    /// `None` when the MIME type is not embedded or the data is not plain base64.
    pub(super) fn of(mime: &str, value: &'a Value) -> Option<Payload<'a>> {
        if !EMBEDDED.contains(&mime) {
            return None;
        }
        let parts: Vec<&str> = match value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => return None,
        };
        if mime == "image/svg+xml" {
            use base64::Engine;
            let joined: String = parts.concat();
            return Some(Payload::Owned(
                base64::engine::general_purpose::STANDARD.encode(joined),
            ));
        }
        let mut chunks = Vec::with_capacity(parts.len());
        for p in parts {
            for chunk in p.split(['\n', '\r', ' ']) {
                let ok = chunk
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'='));
                if !ok {
                    return None;
                }
                if !chunk.is_empty() {
                    chunks.push(chunk);
                }
            }
        }
        (!chunks.is_empty()).then_some(Payload::Chunks(chunks))
    }

    pub(super) fn write_to(&self, out: &mut String) {
        match self {
            Payload::Chunks(c) => c.iter().for_each(|s| out.push_str(s)),
            Payload::Owned(s) => out.push_str(s),
        }
    }

    /// True when the payload is exactly `text`.
    fn equals(&self, mut text: &str) -> bool {
        match self {
            Payload::Owned(s) => s == text,
            Payload::Chunks(chunks) => {
                for c in chunks {
                    match text.strip_prefix(c) {
                        Some(rest) => text = rest,
                        None => return false,
                    }
                }
                text.is_empty()
            }
        }
    }
}

fn describe_image(mime: &str, info: &ImageInfo) -> String {
    match info.pixels {
        Some((w, h)) => format!("{mime}, {w}×{h} pixels, {}", super::human_size(info.bytes)),
        None => format!("{mime}, {}", super::human_size(info.bytes)),
    }
}

/// The allow-list sanitiser for notebook HTML: ammonia's defaults (no
/// script, style, event handlers, forms, frames, objects) minus every URL
/// but `data:image/…` in an `<img src>`; no `id`/`class` (no anchors or
/// styles from the notebook).
fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.url_schemes(std::collections::HashSet::from(["data"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(None)
        .rm_tag_attributes("a", &["href", "hreflang"])
        .rm_generic_attributes(&["title"])
        .attribute_filter(|element, attribute, value| match (element, attribute) {
            ("img", "src") => {
                let lower = value.trim_start().to_ascii_lowercase();
                let ok = ["png", "jpeg", "gif", "webp", "bmp", "svg+xml"]
                    .iter()
                    .any(|t| lower.starts_with(&format!("data:image/{t};")));
                ok.then(|| value.into())
            }
            (_, "href" | "src" | "srcset" | "cite" | "longdesc" | "action" | "background") => None,
            _ => Some(value.into()),
        });
    b
}

/// Notebook HTML made inert: sanitised, then controls and bidi overrides
/// made visible.
pub fn sanitize_html(html: &str) -> String {
    static SANITIZER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    let clean = SANITIZER.get_or_init(sanitizer).clean(html).to_string();
    show_controls(&clean)
}

/// Markdown rendered (CommonMark + tables, strikethrough, task lists) and
/// sanitised like notebook HTML (raw HTML in markdown is untrusted too).
pub fn render_markdown(md: &str) -> String {
    use pulldown_cmark::{Options, Parser};
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut html = String::with_capacity(md.len() * 2);
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(md, opts));
    sanitize_html(&html)
}

/// Replaces control characters (but tabs, newlines, carriage returns) and
/// bidi overrides in (already sanitised) HTML by their escaped visible form.
fn show_controls(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut buf = [0u8; 4];
    for c in html.chars() {
        if matches!(c, '\n' | '\r' | '\t') {
            out.push(c);
            continue;
        }
        match visible(c.encode_utf8(&mut buf)) {
            Cow::Borrowed(_) => out.push(c),
            Cow::Owned(v) => out.push_str(&escape(&v)),
        }
    }
    out
}

/// The unified and the side-by-side view of a line diff; CSS shows the one
/// whose radio button is checked.
fn diff_views(b: &mut String, d: &TextDiff<'_>, context: usize, whole: bool, what: &str) {
    let ranges = if whole {
        vec![(0, d.lines.len())]
    } else {
        hunk_ranges(&d.lines, context)
    };
    let _ = writeln!(
        b,
        "<div class=\"diff v-unified\"><table class=\"u\" aria-label=\"{what} diff, unified\">"
    );
    for (k, &(start, end)) in ranges.iter().enumerate() {
        if !whole {
            hunk_header(b, &d.lines, start, end, 4);
        } else if k > 0 {
            continue;
        }
        for line in &d.lines[start..end] {
            let (class, sign) = tag_class(line.tag);
            let num = |n: Option<usize>| n.map(|n| (n + 1).to_string()).unwrap_or_default();
            let _ = write!(
                b,
                "<tr class=\"{class}\"><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"s\">{sign}</td><td class=\"t\">",
                num(line.old),
                num(line.new)
            );
            words(b, d.text_of(line), line);
            b.push_str("</td></tr>\n");
        }
    }
    b.push_str("</table></div>\n");
    let _ = writeln!(
        b,
        "<div class=\"diff v-split\"><table class=\"s\" aria-label=\"{what} diff, side by side\">"
    );
    for &(start, end) in &ranges {
        if !whole {
            hunk_header(b, &d.lines, start, end, 4);
        }
        let lines = &d.lines[start..end];
        let mut k = 0;
        while k < lines.len() {
            if lines[k].tag == LineTag::Equal {
                split_row(b, d, Some(&lines[k]), Some(&lines[k]));
                k += 1;
                continue;
            }
            let dels = k;
            while k < lines.len() && lines[k].tag == LineTag::Delete {
                k += 1;
            }
            let ins = k;
            while k < lines.len() && lines[k].tag == LineTag::Insert {
                k += 1;
            }
            let (nd, ni) = (ins - dels, k - ins);
            for r in 0..nd.max(ni) {
                let left = (r < nd).then(|| &lines[dels + r]);
                let right = (r < ni).then(|| &lines[ins + r]);
                split_row(b, d, left, right);
            }
        }
    }
    b.push_str("</table></div>\n");
}

fn tag_class(tag: LineTag) -> (&'static str, char) {
    match tag {
        LineTag::Equal => ("e", ' '),
        LineTag::Delete => ("d", '-'),
        LineTag::Insert => ("i", '+'),
    }
}

fn split_row(b: &mut String, d: &TextDiff<'_>, left: Option<&DiffLine>, right: Option<&DiffLine>) {
    b.push_str("<tr>");
    for (line, side_old) in [(left, true), (right, false)] {
        match line {
            Some(l) => {
                let (class, _) = tag_class(l.tag);
                let n = if side_old { l.old } else { l.new };
                let _ = write!(
                    b,
                    "<td class=\"n\">{}</td><td class=\"t {class}\">",
                    n.map(|n| (n + 1).to_string()).unwrap_or_default()
                );
                words(b, d.text_of(l), l);
                b.push_str("</td>");
            }
            None => b.push_str("<td class=\"n\"></td><td class=\"t x\"></td>"),
        }
    }
    b.push_str("</tr>\n");
}

/// A line's text with its changed words in `<del>`/`<ins>`.
fn words(b: &mut String, line_text: &str, line: &DiffLine) {
    let tag = match line.tag {
        LineTag::Equal => {
            b.push_str(&text(line_text));
            return;
        }
        LineTag::Delete => "del",
        LineTag::Insert => "ins",
    };
    let mut at = 0;
    for r in &line.highlights {
        let (start, end) = (r.start.min(line_text.len()), r.end.min(line_text.len()));
        if !line_text.is_char_boundary(start) || !line_text.is_char_boundary(end) || start < at {
            continue;
        }
        b.push_str(&text(&line_text[at..start]));
        let _ = write!(b, "<{tag}>{}</{tag}>", text(&line_text[start..end]));
        at = end;
    }
    b.push_str(&text(&line_text[at..]));
}

fn hunk_header(b: &mut String, lines: &[DiffLine], start: usize, end: usize, cols: usize) {
    let first = |side: fn(&DiffLine) -> Option<usize>| {
        lines[start..end]
            .iter()
            .find_map(side)
            .map_or(String::new(), |n| (n + 1).to_string())
    };
    let _ = writeln!(
        b,
        "<tr class=\"h\"><td colspan=\"{cols}\">lines {} → {}</td></tr>",
        first(|l| l.old),
        first(|l| l.new)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notebook::Notebook;

    /// A report of the given notebooks in one call.
    fn render<W: Write + ?Sized>(
        files: &[(&str, &NotebookDiff<'_>)],
        opts: &HtmlOptions,
        out: &mut W,
    ) -> io::Result<()> {
        let mut report = HtmlReport::new(opts.clone());
        for (path, diff) in files {
            report.add(path, diff);
        }
        report.finish(out)
    }

    fn nb(outputs: &[&str]) -> Notebook {
        let outs: Vec<String> = outputs
            .iter()
            .map(|p| {
                format!(
                    r#"{{"output_type": "display_data", "metadata": {{}}, "data": {{"image/png": "{p}\n"}}}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"cells": [{{"cell_type": "code", "id": "c1", "metadata": {{}}, "execution_count": 1, "source": "plot()", "outputs": [{}]}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 5}}"#,
            outs.join(", ")
        );
        Notebook::parse(json.as_bytes(), "t.ipynb").expect("valid notebook")
    }

    #[test]
    fn a_payload_on_both_sides_is_embedded_once() {
        // Output 1 changes X → Y and output 2 W → X: X is on both sides,
        // embedded once (old side of output 1); the second place links to it.
        let (x, y, w) = ("eGVsbG8gaW1hZ2U=", "eWVsbG93IGltYWdl", "d2hpdGUgaW1hZ2U=");
        let (old, new) = (nb(&[x, w]), nb(&[y, x]));
        let diff = crate::diff::diff_notebooks(&old, &new, &Default::default());
        let mut out = Vec::new();
        render(&[("t.ipynb", &diff)], &HtmlOptions::default(), &mut out).expect("render");
        let html = String::from_utf8(out).expect("utf-8");
        assert_eq!(html.matches(x).count(), 1, "{html}");
        assert_eq!(html.matches(y).count(), 1, "{html}");
        assert_eq!(html.matches(w).count(), 1, "{html}");
        assert_eq!(html.matches("<img ").count(), 3, "{html}");
        assert!(
            html.contains("<a href=\"#img1\">the same image as shown above</a>"),
            "{html}"
        );
    }

    #[test]
    fn only_plain_base64_images_of_known_types_are_embedded() {
        let v = Value::String("abc\"onerror=x".into());
        assert!(Payload::of("image/png", &v).is_none());
        let v = Value::String("aGVsbG8=\n".into());
        assert!(Payload::of("image/png", &v).is_some());
        assert!(Payload::of("text/html", &v).is_none());
        assert!(Payload::of("image/x-unknown\" onerror=\"x", &v).is_none());
    }
}
