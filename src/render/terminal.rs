//! The human-readable diff: cell headers, unified source hunks with
//! word-level highlights, one-line output summaries (or full output diffs),
//! and metadata as JSON paths.

use super::sanitize::{visible, visible_name};
use super::style::{Style, RESET};
use crate::diff::image::{ImageInfo, PixelChange};
use crate::diff::json_paths::JsonChange;
use crate::diff::lines::{DiffLine, LineTag, TextDiff};
use crate::diff::output::{OutputChange, OutputPart};
use crate::diff::{AttachmentChange, CellDiff, CellStatus, NotebookDiff};
use std::io::{self, Write};

/// How much of the outputs to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputMode {
    /// One line per changed output.
    #[default]
    Summary,
    /// Line diffs of changed text outputs.
    Full,
    /// Nothing about outputs (they still count as differences).
    None,
}

impl OutputMode {
    /// Every value, in the order the help lists them.
    pub const ALL: [OutputMode; 3] = [OutputMode::Summary, OutputMode::Full, OutputMode::None];

    /// The value's name on the command line and in settings.
    pub fn name(self) -> &'static str {
        match self {
            OutputMode::Summary => "summary",
            OutputMode::Full => "full",
            OutputMode::None => "none",
        }
    }
}

/// Options of the terminal renderer.
#[derive(Debug, Clone)]
pub struct TerminalOptions {
    /// Emit ANSI colours.
    pub color: bool,
    /// Lines of context around changes (`-U`).
    pub context: usize,
    /// How outputs are shown.
    pub outputs: OutputMode,
    /// Name of the old notebook, for the header.
    pub old_name: String,
    /// Name of the new notebook, for the header.
    pub new_name: String,
}

struct Painter<'o, W: Write + ?Sized> {
    out: &'o mut W,
    color: bool,
}

impl<W: Write + ?Sized> Painter<'_, W> {
    fn paint(&mut self, style: Style, text: &str) -> io::Result<()> {
        if self.color && !text.is_empty() {
            write!(self.out, "{}{text}{RESET}", style.on())
        } else {
            self.out.write_all(text.as_bytes())
        }
    }

    fn line(&mut self, style: Style, text: &str) -> io::Result<()> {
        self.paint(style, text)?;
        self.out.write_all(b"\n")
    }
}

/// Renders the diff; writes nothing when it is empty.
pub fn render<W: Write + ?Sized>(
    diff: &NotebookDiff<'_>,
    opts: &TerminalOptions,
    out: &mut W,
) -> io::Result<()> {
    if diff.is_empty() && diff.verdict().is_unchanged() {
        return Ok(());
    }
    let header = format!(
        "nbdiff {} {}",
        visible_name(&opts.old_name),
        visible_name(&opts.new_name)
    );
    Painter {
        out: &mut *out,
        color: opts.color,
    }
    .line(Style::FileHeader, &header)?;
    render_body(diff, opts, out)
}

/// Renders the diff without its first line (`nbdiff OLD NEW`), for callers
/// that write their own file header (git's `diff --git a/… b/…`); writes
/// nothing when it is empty.
pub fn render_body<W: Write + ?Sized>(
    diff: &NotebookDiff<'_>,
    opts: &TerminalOptions,
    out: &mut W,
) -> io::Result<()> {
    let verdict = diff.verdict();
    if diff.is_empty() && verdict.is_unchanged() {
        return Ok(());
    }
    let mut p = Painter {
        out,
        color: opts.color,
    };
    if !diff.is_empty() {
        p.line(
            Style::FileHeader,
            &format!("--- {}", visible_name(&opts.old_name)),
        )?;
        p.line(
            Style::FileHeader,
            &format!("+++ {}", visible_name(&opts.new_name)),
        )?;
    }
    summary_lines(&mut p, diff, &verdict)?;
    if let Some(((a, b), (c, d))) = diff.format {
        p.line(Style::Meta, &format!("nbformat: {a}.{b} → {c}.{d}"))?;
    }
    for change in &diff.metadata {
        p.line(Style::Meta, &field_line(change))?;
    }
    for cell in diff.cells.iter().filter(|c| c.is_interesting()) {
        render_cell(&mut p, cell, opts)?;
    }
    Ok(())
}

/// The notebook's verdict (`summary: source changed (1 cell)`), then one
/// line per cell whose outputs may be stale: the first lines of a notebook's
/// diff, after its file header.
fn summary_lines<W: Write + ?Sized>(
    p: &mut Painter<'_, W>,
    diff: &NotebookDiff<'_>,
    verdict: &crate::diff::Verdict,
) -> io::Result<()> {
    p.line(
        Style::Meta,
        &format!("summary: {}", visible(&verdict.to_string())),
    )?;
    for s in &diff.stale {
        p.line(Style::Meta, &format!("cell {}: {s}", s.cell + 1))?;
    }
    Ok(())
}

/// The header text of a cell entry, e.g. `── cell 3 [code] modified (moved from 5) ──`.
pub fn cell_header(cell: &CellDiff<'_>) -> String {
    let kind = match cell.cell_type {
        Some((a, b)) => format!("{a} → {b}"),
        None => cell.cell_type_name().to_string(),
    };
    let what = cell.status.name();
    let number = match cell.status {
        CellStatus::Deleted => cell.old_index,
        _ => cell.new_index,
    };
    let n = number.map_or(0, |n| n + 1);
    let mut s = if cell.status == CellStatus::Deleted {
        format!("── old cell {n} [{}] {what}", visible(&kind))
    } else {
        format!("── cell {n} [{}] {what}", visible(&kind))
    };
    if cell.moved {
        if let Some(old) = cell.old_index {
            s.push_str(&format!(" (moved from {})", old + 1));
        }
    }
    // Every cell is named by its first line (most cells have no id; cell
    // numbers shift with every insertion).
    if let Some(line) = cell_headline(cell) {
        s.push_str(" · ");
        s.push_str(&line);
    }
    s.push_str(" ──");
    s
}

/// The first non-blank line of the cell's source (the new side's, the old
/// side's for a deleted cell), made visible and cut to a display width
/// ([`super::sanitize::headline`]); what [`cell_header`] and the HTML index
/// name a cell by.
pub fn cell_headline(cell: &CellDiff<'_>) -> Option<String> {
    let source = cell.new.or(cell.old).map(|c| c.source());
    source.as_deref().and_then(super::sanitize::headline)
}

fn render_cell<W: Write + ?Sized>(
    p: &mut Painter<'_, W>,
    cell: &CellDiff<'_>,
    opts: &TerminalOptions,
) -> io::Result<()> {
    p.line(Style::CellHeader, &cell_header(cell))?;
    if let Some(source) = &cell.source {
        match cell.status {
            CellStatus::Added | CellStatus::Deleted => {
                for line in &source.lines {
                    diff_line(p, source, line, "")?;
                }
            }
            _ => hunks(p, source, opts.context, "")?,
        }
    }
    for change in &cell.fields {
        p.line(Style::Meta, &field_line(change))?;
    }
    for a in &cell.attachments {
        p.line(Style::Meta, &visible(&attachment_line(a)))?;
    }
    if opts.outputs != OutputMode::None {
        for o in &cell.outputs {
            render_output(p, o, opts)?;
        }
    }
    Ok(())
}

fn render_output<W: Write + ?Sized>(
    p: &mut Painter<'_, W>,
    o: &OutputChange<'_>,
    opts: &TerminalOptions,
) -> io::Result<()> {
    if opts.outputs == OutputMode::Summary {
        p.line(Style::Meta, &visible(&output_summary(o)))?;
        if let Some(diff) = inline_text(o) {
            for line in diff.lines.iter().filter(|l| l.tag != LineTag::Equal) {
                diff_line(p, diff, line, "  ")?;
            }
        }
        return Ok(());
    }
    let (n, whole) = output_number(o);
    let head = format!("output {n} ({})", visible(&o.label));
    p.line(
        Style::Meta,
        &format!(
            "{head}:{}",
            whole.map(|w| format!(" {w}")).unwrap_or_default()
        ),
    )?;
    // One representation per output: the main text part in full, any
    // other text representation of the same output as a one-line count.
    let main = main_text(o);
    for part in &o.parts {
        match part {
            OutputPart::Text { what, diff } if main.is_some_and(|m| !std::ptr::eq(m, diff)) => {
                let s = format!(
                    "  {what}: +{} -{} lines (another representation of this output)",
                    diff.added(),
                    diff.removed()
                );
                p.line(Style::Meta, &visible(&s))?;
            }
            OutputPart::Text { what, diff } => {
                if what == "text/html" {
                    if let Some(t) = &o.table {
                        p.line(Style::Meta, &visible(&format!("  {}", t.summary())))?;
                    }
                }
                // Name the part unless it is the output's only one and what
                // the header names (an output labelled `text/plain` whose
                // `text/markdown` changed says so).
                let named = matches!(what.as_str(), "text" | "traceback") || *what == o.label;
                if o.parts.len() > 1 || !named {
                    p.line(Style::Meta, &format!("  {}:", visible(what)))?;
                }
                if whole.is_some() {
                    for line in &diff.lines {
                        diff_line(p, diff, line, "  ")?;
                    }
                } else {
                    hunks(p, diff, opts.context, "  ")?;
                }
            }
            OutputPart::Binary {
                mime,
                old,
                new,
                pixels,
            } => {
                let summary = binary_summary(old.as_ref(), new.as_ref(), pixels.as_ref());
                let s = format!("  {mime}: {summary}");
                p.line(Style::Meta, &visible(&s))?;
            }
            OutputPart::Field(c) => p.line(Style::Meta, &format!("  {}", field_line(c)))?,
        }
    }
    Ok(())
}

/// Small output changes are shown inline under the summary line (terminal
/// and Markdown): the changed lines of a stream, an error or a `text/plain`
/// output when there are at most this many of them…
pub const INLINE_MAX_LINES: usize = 8;
/// …and none is longer than this many characters.
pub const INLINE_MAX_CHARS: usize = 200;

/// The text part the output's label names (`text/plain`, stream text,
/// traceback), with its name.
fn named_text<'d, 'a>(o: &'d OutputChange<'a>) -> Option<(&'d str, &'d TextDiff<'a>)> {
    o.parts.iter().find_map(|p| match p {
        OutputPart::Text { what, diff }
            if matches!(what.as_str(), "text" | "traceback") || *what == o.label =>
        {
            Some((what.as_str(), diff))
        }
        _ => None,
    })
}

/// The output's main text part: the one its label names ([`named_text`]),
/// else its first text part. `None` when it has no text part.
fn main_text<'d, 'a>(o: &'d OutputChange<'a>) -> Option<&'d TextDiff<'a>> {
    named_text(o).map(|(_, d)| d).or_else(|| {
        o.parts.iter().find_map(|p| match p {
            OutputPart::Text { diff, .. } => Some(diff),
            _ => None,
        })
    })
}

/// The line diff to show inline under an output's summary line: a stream,
/// error or `text/plain` output whose change is small
/// ([`INLINE_MAX_LINES`], [`INLINE_MAX_CHARS`]). Only its changed lines are
/// shown (`-old`, `+new`).
pub fn inline_text<'d, 'a>(o: &'d OutputChange<'a>) -> Option<&'d TextDiff<'a>> {
    let (what, diff) = named_text(o)?;
    if !matches!(what, "text" | "traceback" | "text/plain") {
        return None;
    }
    let changed: Vec<_> = diff
        .lines
        .iter()
        .filter(|l| l.tag != LineTag::Equal)
        .collect();
    let short = changed
        .iter()
        .all(|l| diff.text_of(l).chars().count() <= INLINE_MAX_CHARS);
    (!changed.is_empty() && changed.len() <= INLINE_MAX_LINES && short).then_some(diff)
}

/// The output's 1-based number (new side first) and `added`/`removed` when
/// it is only on one side.
pub fn output_number(o: &OutputChange<'_>) -> (usize, Option<&'static str>) {
    let n = o.new_index.or(o.old_index).map_or(0, |n| n + 1);
    let whole = match (o.old_index, o.new_index) {
        (None, _) => Some("added"),
        (_, None) => Some("removed"),
        _ => None,
    };
    (n, whole)
}

/// The one-line summary of a changed output, e.g. `output 1 (image/png):
/// 83×64 1.8 KB → 114×64 1.9 KB; text/plain +1 -1 lines` (not yet made
/// [`visible`]): the terminal's `--outputs summary` line and the Markdown
/// report's.
pub fn output_summary(o: &OutputChange<'_>) -> String {
    let (n, whole) = output_number(o);
    let mut bits: Vec<String> = Vec::new();
    for part in &o.parts {
        let bit = match part {
            // A DataFrame by its cells, not its HTML lines.
            OutputPart::Text { what, .. } if what == "text/html" && o.table.is_some() => {
                let t = o.table.as_ref().map(|t| t.summary()).unwrap_or_default();
                if *what == o.label {
                    t
                } else {
                    format!("{what} {t}")
                }
            }
            OutputPart::Text { what, diff } => {
                let n = match whole {
                    Some(_) => lines_word(diff.added().max(diff.removed())),
                    None => format!("+{} -{} lines", diff.added(), diff.removed()),
                };
                if matches!(what.as_str(), "text" | "traceback") || *what == o.label {
                    n
                } else {
                    format!("{what} {n}")
                }
            }
            OutputPart::Binary {
                mime,
                old,
                new,
                pixels,
            } => {
                let s = binary_summary(old.as_ref(), new.as_ref(), pixels.as_ref());
                let s = match whole {
                    Some(w) => s.trim_start_matches(w).trim_start().to_string(),
                    None => s,
                };
                if o.label == *mime {
                    s
                } else {
                    format!("{mime} {s}")
                }
            }
            OutputPart::Field(c) => format!("{} changed", c.path),
        };
        bits.push(bit);
    }
    // The output's main part first.
    if let Some(k) = o.parts.iter().position(|p| match p {
        OutputPart::Binary { mime, .. } => *mime == o.label,
        OutputPart::Text { what, .. } => *what == o.label,
        OutputPart::Field(_) => false,
    }) {
        let main = bits.remove(k);
        bits.insert(0, main);
    }
    let mut line = format!("output {n} ({}): ", o.label);
    if let Some(w) = whole {
        line.push_str(w);
        if !bits.is_empty() {
            line.push(' ');
        }
    }
    line.push_str(&bits.join("; "));
    line
}

/// `attachment image.png (image/png): 8×8 120 B → 16×16 300 B` (not yet
/// made [`visible`]).
pub fn attachment_line(a: &AttachmentChange) -> String {
    format!(
        "attachment {} ({}): {}",
        a.name,
        a.mime,
        binary_summary(a.old.as_ref(), a.new.as_ref(), None)
    )
}

/// `640×480 12.3 KB → 800×600 15.1 KB`, `added 3.0 KB`, `640×480 12% of
/// pixels, region 140×60 at (20,30) (12.3 KB → 12.5 KB)`, …
pub fn binary_summary(
    old: Option<&ImageInfo>,
    new: Option<&ImageInfo>,
    pixels: Option<&PixelChange>,
) -> String {
    let one = |i: &ImageInfo| match i.pixels {
        Some((w, h)) => format!("{w}×{h} {}", super::human_size(i.bytes)),
        None => super::human_size(i.bytes),
    };
    if let (Some(a), Some(b), Some(px)) = (old, new, pixels) {
        let size = match a.pixels {
            Some((w, h)) => format!("{w}×{h} "),
            None => String::new(),
        };
        let (ka, kb) = (super::human_size(a.bytes), super::human_size(b.bytes));
        let bytes = if ka == kb {
            format!("{ka}, content {} → {}", a.hash, b.hash)
        } else {
            format!("{ka} → {kb}")
        };
        return format!("{size}{} ({bytes})", px.describe());
    }
    match (old, new) {
        // Only the base64 text differs (re-wrapped), shown with --show-all.
        (Some(a), Some(b)) if a == b && a.pixels.is_some() => {
            format!("{} same image, re-encoded", one(a))
        }
        (Some(a), Some(b)) if a == b => format!("{} same data, re-encoded", one(a)),
        (Some(a), Some(b)) if one(a) == one(b) => {
            format!("{} (content {} → {})", one(a), a.hash, b.hash)
        }
        (Some(a), Some(b)) => format!("{} → {}", one(a), one(b)),
        (None, Some(b)) => format!("added {}", one(b)),
        (Some(a), None) => format!("removed {}", one(a)),
        (None, None) => String::new(),
    }
}

fn lines_word(n: usize) -> String {
    if n == 1 {
        "1 line".into()
    } else {
        format!("{n} lines")
    }
}

fn short_json(v: &serde_json::Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        let cut: String = s.chars().take(77).collect();
        format!("{cut}…")
    } else {
        s
    }
}

/// `path: old → new`, `path: added new`, `path: removed (was old)`.
pub fn field_line(c: &JsonChange<'_>) -> String {
    let s = match (c.old, c.new) {
        (Some(a), Some(b)) => format!("{}: {} → {}", c.path, short_json(a), short_json(b)),
        (None, Some(b)) => format!("{}: added {}", c.path, short_json(b)),
        (Some(a), None) => format!("{}: removed (was {})", c.path, short_json(a)),
        (None, None) => c.path.clone(),
    };
    visible(&s).into_owned()
}

fn diff_line<W: Write + ?Sized>(
    p: &mut Painter<'_, W>,
    d: &TextDiff<'_>,
    line: &DiffLine,
    indent: &str,
) -> io::Result<()> {
    let text = d.text_of(line);
    let (sign, style, word) = match line.tag {
        LineTag::Equal => (' ', Style::Context, Style::Context),
        LineTag::Delete => ('-', Style::Removed, Style::RemovedWord),
        LineTag::Insert => ('+', Style::Added, Style::AddedWord),
    };
    p.out.write_all(indent.as_bytes())?;
    if line.tag == LineTag::Equal || line.highlights.is_empty() || !p.color {
        p.paint(style, &format!("{sign}{}", visible(text)))?;
        return p.out.write_all(b"\n");
    }
    p.paint(style, &sign.to_string())?;
    let mut at = 0;
    for r in &line.highlights {
        let (start, end) = (r.start.min(text.len()), r.end.min(text.len()));
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) || start < at {
            continue;
        }
        p.paint(style, &visible(&text[at..start]))?;
        p.paint(word, &visible(&text[start..end]))?;
        at = end;
    }
    p.paint(style, &visible(&text[at..]))?;
    p.out.write_all(b"\n")
}

/// `(start, end)` index ranges of the hunks of a line diff: each change with
/// `context` lines around it, hunks closer than that merged. The one hunk
/// cutter of the terminal, HTML and Markdown renderers. `-U` comes from the
/// user: the arithmetic saturates, so a huge value means "all".
pub fn hunk_ranges(lines: &[DiffLine], context: usize) -> Vec<(usize, usize)> {
    let changed: Vec<usize> = (0..lines.len())
        .filter(|&k| lines[k].tag != LineTag::Equal)
        .collect();
    let gap = context.saturating_mul(2).saturating_add(1);
    let mut out = Vec::new();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(context);
        let mut end = changed[k];
        while k < changed.len() && changed[k] <= end.saturating_add(gap) {
            end = changed[k];
            k += 1;
        }
        let end = end
            .saturating_add(context)
            .saturating_add(1)
            .min(lines.len());
        out.push((start, end));
    }
    out
}

/// Writes unified hunks with `context` lines around changes.
fn hunks<W: Write + ?Sized>(
    p: &mut Painter<'_, W>,
    d: &TextDiff<'_>,
    context: usize,
    indent: &str,
) -> io::Result<()> {
    let lines = &d.lines;
    for (start, end) in hunk_ranges(lines, context) {
        let slice = &lines[start..end];
        let old_start = first_number(lines, start, |l| l.old);
        let new_start = first_number(lines, start, |l| l.new);
        let old_count = slice.iter().filter(|l| l.old.is_some()).count();
        let new_count = slice.iter().filter(|l| l.new.is_some()).count();
        let header = format!(
            "{indent}@@ -{} +{} @@",
            range_text(old_start, old_count),
            range_text(new_start, new_count)
        );
        p.line(Style::HunkHeader, &header)?;
        for line in slice {
            diff_line(p, d, line, indent)?;
        }
    }
    Ok(())
}

/// The 0-based line number the hunk starts at on one side.
fn first_number(lines: &[DiffLine], from: usize, side: fn(&DiffLine) -> Option<usize>) -> usize {
    lines[from..]
        .iter()
        .find_map(side)
        .or_else(|| lines[..from].iter().rev().find_map(side).map(|n| n + 1))
        .unwrap_or(0)
}

fn range_text(start0: usize, count: usize) -> String {
    if count == 0 {
        format!("{start0},0")
    } else if count == 1 {
        format!("{}", start0 + 1)
    } else {
        format!("{},{count}", start0 + 1)
    }
}
