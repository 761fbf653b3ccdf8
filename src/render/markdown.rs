//! GitHub-flavoured Markdown for a pull-request comment: a table of changed
//! notebooks with their counts, then each changed cell in a `<details>`
//! block holding a ```` ```diff ```` code block and one summary line per
//! changed output, the terminal's ([`output_summary`]).
//!
//! # Notebook text stays text
//! - Inside code blocks the fence is longer than any backtick run in the
//!   content, so no line can close it; HTML and `@mentions` are inert there.
//! - Outside code blocks (cell types, output labels, metadata, paths) text is
//!   escaped for where it lands: in Markdown (table cells) every character
//!   with a meaning (emphasis, code, links, tables, math, lists) is
//!   backslash-escaped; in HTML (`<summary>`) `&`,
//!   `<`, `>` are entities. In both, `@` and `#` are followed by a zero-width
//!   space so no user, team or issue is mentioned or cross-referenced, and
//!   one goes inside `www.` and `://` so that GFM's autolink extension
//!   links no path or text (e-mail addresses need the `@`).
//! - Controls and bidi overrides are made visible first ([`visible`]).
//!
//! The output is deterministic and capped by [`MarkdownOptions::max_bytes`]
//! (GitHub's comment limit is 65,536 characters); what does not fit is
//! counted in a closing line.

use super::sanitize::{visible, visible_lines};
use super::terminal::{
    attachment_line, cell_header, field_line, hunk_ranges, inline_text, output_summary,
};
use crate::diff::lines::{LineTag, TextDiff};
use crate::diff::{CellDiff, CellStatus, DiffStats, NotebookDiff};
use std::fmt::Write as _;
use std::io::{self, Write};

/// The default cap: under GitHub's 65,536-character comment limit with room
/// for a caller's header (bytes ≥ characters, so the cap holds for both).
pub const DEFAULT_MAX_BYTES: usize = 60_000;

/// Options of the Markdown summary.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// Lines of context around source changes.
    pub context: usize,
    /// The most bytes written (at least enough for the closing line).
    pub max_bytes: usize,
    /// Volatile data is shown (`-a`); the summary says which.
    pub show_all: bool,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            context: 3,
            max_bytes: DEFAULT_MAX_BYTES,
            show_all: false,
        }
    }
}

#[derive(Debug)]
struct FileEntry {
    path: String,
    stats: DiffStats,
    notebook_changed: bool,
    /// The notebook-level block (metadata) and one block per changed cell.
    blocks: Vec<String>,
    /// For a notebook without a notebook diff ([`MarkdownReport::add_other`]):
    /// its verdict, shown instead of the counts.
    verdict: Option<String>,
    /// What changed: the verdict ([`crate::diff::Verdict`]), first in the
    /// table and under the notebook's title.
    what: String,
    /// Cells whose outputs may be stale: one line each.
    stale: Vec<String>,
}

/// The summary being built; [`MarkdownReport::finish`] writes it.
#[derive(Debug)]
pub struct MarkdownReport {
    opts: MarkdownOptions,
    files: Vec<FileEntry>,
    notes: Vec<String>,
}

/// Zero-width space: breaks `@user` and `#123` so GitHub links neither.
const ZWSP: char = '\u{200b}';

/// Whether a zero-width space goes before the character at `i` of `s` to
/// keep GFM's autolink extension off it: the `.` of `www.` (case
/// insensitive) and the `//` of `scheme://`. (E-mail addresses, `mailto:`
/// and `xmpp:` need an `@`, which is broken up anyway.)
fn breaks_autolink(s: &str, i: usize) -> bool {
    let (before, at) = s.split_at(i);
    (at.starts_with('.')
        && before.len() >= 3
        && before.as_bytes()[before.len() - 3..].eq_ignore_ascii_case(b"www"))
        || (at.starts_with("//") && before.ends_with(':'))
}

/// Text for a Markdown context (a table cell, a paragraph).
fn md_text(s: &str) -> String {
    escaped(s, false)
}

/// Text inside an HTML block (`<summary>`), where Markdown is not parsed
/// (autolinks broken up all the same: a renderer may link text anywhere).
fn html_text(s: &str) -> String {
    escaped(s, true)
}

/// `s` made visible, HTML's `<`, `>`, `&` escaped, autolinks broken up and
/// `@`/`#` followed by a zero-width space (no mention, no issue link); in
/// HTML also `"`, else Markdown's punctuation backslash-escaped and tabs as
/// spaces.
fn escaped(s: &str, html: bool) -> String {
    let s = visible(s);
    let mut out = String::with_capacity(s.len() + 8);
    for (i, c) in s.char_indices() {
        if breaks_autolink(&s, i) {
            out.push(ZWSP);
        }
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' if html => out.push_str("&quot;"),
            '@' | '#' => {
                if !html {
                    out.push('\\');
                }
                out.push(c);
                out.push(ZWSP);
            }
            '\t' if !html => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '{' | '}' | '|' | '~' | '!' | '$'
            | ':' | '=' | '+' | '-'
                if !html =>
            {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A fenced code block whose fence is longer than any backtick run inside.
fn fenced(info: &str, content: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in content.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let mut s = format!("{fence}{info}\n{content}");
    if !content.is_empty() && !content.ends_with('\n') {
        s.push('\n');
    }
    s.push_str(&fence);
    s.push('\n');
    s
}

impl MarkdownReport {
    /// An empty summary.
    pub fn new(opts: MarkdownOptions) -> Self {
        MarkdownReport {
            opts,
            files: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A line for the summary's notes (e.g. a file that is not a notebook).
    pub fn note(&mut self, note: &str) {
        self.notes.push(note.to_string());
    }

    /// Adds a notebook without a notebook diff: its verdict and, for a line
    /// diff, the lines.
    pub fn add_other(&mut self, path: &str, verdict: &str, lines: Option<&str>) {
        let blocks = match lines {
            Some(lines) => vec![details(verdict, &fenced("diff", &visible_lines(lines)))],
            None => Vec::new(),
        };
        self.files.push(FileEntry {
            path: path.to_string(),
            stats: crate::diff::DiffStats::default(),
            notebook_changed: false,
            blocks,
            verdict: Some(verdict.to_string()),
            what: verdict.to_string(),
            stale: Vec::new(),
        });
    }

    /// Adds a notebook; an empty diff adds nothing.
    pub fn add(&mut self, path: &str, diff: &NotebookDiff<'_>) {
        if diff.is_empty() {
            return;
        }
        let mut blocks = Vec::new();
        if diff.notebook_changed() {
            let mut lines = String::new();
            if let Some(((a, b), (c, d))) = diff.format {
                let _ = writeln!(lines, "nbformat: {a}.{b} → {c}.{d}");
            }
            for change in &diff.metadata {
                let _ = writeln!(lines, "{}", field_line(change));
            }
            blocks.push(details(
                "notebook metadata",
                &fenced("", &visible_lines(&lines)),
            ));
        }
        for cell in diff.cells.iter().filter(|c| c.is_interesting()) {
            blocks.push(self.cell(cell));
        }
        self.files.push(FileEntry {
            path: path.to_string(),
            stats: diff.stats(),
            notebook_changed: diff.notebook_changed(),
            blocks,
            verdict: None,
            what: diff.verdict().to_string(),
            stale: diff
                .stale
                .iter()
                .map(|s| format!("cell {}: {s}", s.cell + 1))
                .collect(),
        });
    }

    fn cell(&self, cell: &CellDiff<'_>) -> String {
        let header = cell_header(cell);
        let header = header.trim_matches(|c| c == '─' || c == ' ');
        let mut body = String::new();
        if let Some(source) = &cell.source {
            let whole = matches!(cell.status, CellStatus::Added | CellStatus::Deleted);
            body.push_str(&fenced("diff", &unified(source, self.opts.context, whole)));
        }
        let mut lines = Vec::new();
        for change in &cell.fields {
            lines.push(field_line(change));
        }
        lines.extend(cell.attachments.iter().map(attachment_line));
        for o in &cell.outputs {
            lines.push(output_summary(o));
            // A small text change inline, its changed lines only.
            if let Some(diff) = inline_text(o) {
                for l in diff.lines.iter().filter(|l| l.tag != LineTag::Equal) {
                    let sign = if l.tag == LineTag::Delete { '-' } else { '+' };
                    lines.push(format!("  {sign}{}", diff.text_of(l)));
                }
            }
        }
        if !lines.is_empty() {
            let mut text = String::new();
            for l in lines {
                text.push_str(&visible(&l));
                text.push('\n');
            }
            body.push_str(&fenced("", &text));
        }
        details(header, &body)
    }

    /// Writes the summary within `max_bytes`.
    pub fn finish<W: Write + ?Sized>(self, out: &mut W) -> io::Result<()> {
        let mut head = String::new();
        let n = self.files.len();
        if n == 0 {
            head.push_str("### nbdiff: no notebook changes\n");
        } else {
            let _ = writeln!(
                head,
                "### nbdiff: {n} notebook{} changed\n",
                if n == 1 { "" } else { "s" }
            );
        }
        for note in &self.notes {
            let _ = writeln!(head, "{}\n", md_text(note));
        }
        let mut table = String::new();
        if n > 0 {
            table.push_str(
                "| Notebook | what changed | added | deleted | modified | moved | outputs | metadata |\n",
            );
            table.push_str("|---|---|--:|--:|--:|--:|--:|---|\n");
            for f in &self.files {
                if let Some(verdict) = &f.verdict {
                    let _ = writeln!(
                        table,
                        "| {} | {} |  |  |  |  |  |  |",
                        md_text(&f.path),
                        md_text(verdict)
                    );
                    continue;
                }
                let s = f.stats;
                let _ = writeln!(
                    table,
                    "| {} | {} | {} | {} | {} | {} | {} | {} |",
                    md_text(&f.path),
                    md_text(&f.what),
                    s.added,
                    s.deleted,
                    s.modified,
                    s.moved,
                    s.outputs_changed,
                    if f.notebook_changed { "changed" } else { "" }
                );
            }
            let _ = writeln!(
                table,
                "\n{}\n",
                if self.opts.show_all {
                    "Volatile data (execution counts, timing, view state) is shown."
                } else {
                    "Volatile data (execution counts, timing, view state) is hidden."
                }
            );
        }
        // Reserve room for the closing line.
        const RESERVE: usize = 200;
        let budget = self.opts.max_bytes.saturating_sub(RESERVE);
        let mut used = 0;
        let mut text = String::new();
        let push = |s: &str, used: &mut usize, text: &mut String| -> bool {
            if *used + s.len() > budget {
                return false;
            }
            *used += s.len();
            text.push_str(s);
            true
        };
        let mut full = push(&head, &mut used, &mut text) && push(&table, &mut used, &mut text);
        let (mut left_cells, mut left_files) = (0usize, 0usize);
        for f in &self.files {
            let mut title = format!("#### {}\n\n{}\n\n", md_text(&f.path), md_text(&f.what));
            for line in &f.stale {
                let _ = writeln!(title, "- {}", md_text(line));
            }
            if !f.stale.is_empty() {
                title.push('\n');
            }
            let mut left_here = 0;
            if full {
                full = push(&title, &mut used, &mut text);
            }
            for block in &f.blocks {
                if !(full && push(block, &mut used, &mut text)) {
                    full = false;
                    left_here += 1;
                }
            }
            left_cells += left_here;
            left_files += usize::from(left_here > 0);
        }
        if left_cells > 0 {
            let _ = writeln!(
                text,
                "\n**Left out:** {left_cells} change{} in {left_files} notebook{}: this summary is capped at {} bytes. The HTML report shows everything.",
                if left_cells == 1 { "" } else { "s" },
                if left_files == 1 { "" } else { "s" },
                self.opts.max_bytes
            );
        }
        out.write_all(text.as_bytes())
    }
}

/// A `<details>` block: the summary line (escaped for HTML), a blank line,
/// then Markdown content.
fn details(summary: &str, content: &str) -> String {
    format!(
        "<details><summary>{}</summary>\n\n{content}\n</details>\n\n",
        html_text(summary)
    )
}

/// A unified diff (`-`/`+`/` ` lines; `@@` hunk headers) of a text diff,
/// controls made visible.
fn unified(d: &TextDiff<'_>, context: usize, whole: bool) -> String {
    let mut s = String::new();
    let lines = &d.lines;
    let ranges: Vec<(usize, usize)> = if whole {
        vec![(0, lines.len())]
    } else {
        hunk_ranges(lines, context)
    };
    for (start, end) in ranges {
        if !whole {
            let first = |side: fn(&crate::diff::lines::DiffLine) -> Option<usize>| {
                lines[start..end].iter().find_map(side).map_or(0, |n| n + 1)
            };
            let _ = writeln!(s, "@@ -{} +{} @@", first(|l| l.old), first(|l| l.new));
        }
        for line in &lines[start..end] {
            let sign = match line.tag {
                LineTag::Equal => ' ',
                LineTag::Delete => '-',
                LineTag::Insert => '+',
            };
            let _ = writeln!(s, "{sign}{}", visible(d.text_of(line)));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fence_is_longer_than_any_backtick_run() {
        let block = fenced("diff", "a ````` b\n```\n");
        assert!(block.starts_with("``````diff\n"), "{block}");
        assert!(block.ends_with("\n``````\n"), "{block}");
        assert!(fenced("", "plain").starts_with("```\n"));
    }

    #[test]
    fn multibyte_text_before_a_dot_or_slashes_does_not_panic() {
        // `→` ends one byte before the `.`: the `www` look-back must not
        // slice inside it (a panic every report with a rename hit).
        for s in ["a → b.ipynb", "→.x", "é.", "日本.ipynb", "ab→://x", "wwé.x"] {
            let t = md_text(s);
            assert!(t.contains('.') || t.contains(':'), "{t}");
            let h = html_text(s);
            assert!(h.contains('.') || h.contains(':'), "{h}");
        }
        assert!(md_text("WWW.example.com").contains('\u{200b}'));
    }

    #[test]
    fn text_outside_code_cannot_mention_or_inject() {
        let t = md_text("@team <script>|x| #12");
        assert!(!t.contains("@t"), "{t}");
        assert!(!t.contains('<'), "{t}");
        assert!(!t.contains("#1"), "{t}");
        assert!(t.contains("\\|x\\|"), "{t}");
        let h = html_text("<b>@user</b> #3");
        assert_eq!(h, "&lt;b&gt;@\u{200b}user&lt;/b&gt; #\u{200b}3");
    }
}
