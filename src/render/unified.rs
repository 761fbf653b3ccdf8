//! A plain unified line diff in git's format, for files that are not
//! notebooks (the diff driver's fallback): the project's own line diff
//! ([`crate::text::line_diff`], git's Myers), grouped into hunks with 3 lines of
//! context, with `--- old` / `+++ new` headers and git's colours.

use super::style::{Paint, Style};
use crate::text::line_diff::{diff_texts, OpKind};
use std::io::{self, Write};

/// Lines of context around each change, as `git diff` shows by default.
const CONTEXT: usize = 3;

/// Writes the unified diff of two texts; nothing when they are equal.
pub fn render(
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
    let p = Paint::git(color);
    let diff = diff_texts(old, new);
    writeln!(
        out,
        "{}",
        p.paint(Style::FileHeader, &format!("--- {old_label}"))
    )?;
    writeln!(
        out,
        "{}",
        p.paint(Style::FileHeader, &format!("+++ {new_label}"))
    )?;
    for hunk in diff.hunks(CONTEXT) {
        let header = format!(
            "@@ -{} +{} @@",
            range(hunk.old.start, hunk.old.len()),
            range(hunk.new.start, hunk.new.len())
        );
        writeln!(out, "{}", p.paint(Style::HunkHeader, &header))?;
        for op in &hunk.ops {
            let (sign, style, lines) = match op.kind {
                OpKind::Equal => (' ', None, &diff.old_lines[op.old.clone()]),
                OpKind::Delete => ('-', Some(Style::Removed), &diff.old_lines[op.old.clone()]),
                OpKind::Insert => ('+', Some(Style::Added), &diff.new_lines[op.new.clone()]),
            };
            for text in lines {
                let line = text.strip_suffix('\n').unwrap_or(text);
                let line = format!("{sign}{line}");
                match style {
                    Some(s) => writeln!(out, "{}", p.paint(s, &line))?,
                    None => writeln!(out, "{line}")?,
                }
                if !text.ends_with('\n') {
                    writeln!(out, "\\ No newline at end of file")?;
                }
            }
        }
    }
    Ok(())
}

/// A hunk range as git writes it: `start,len`, or `start` alone for one line
/// (`start` is 1-based; an empty range names the line before it).
fn range(start: usize, len: usize) -> String {
    match len {
        1 => format!("{}", start + 1),
        0 => format!("{start},0"),
        _ => format!("{},{len}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(old: &str, new: &str) -> String {
        let mut out = Vec::new();
        render(old, new, "a/x", "b/x", false, &mut out).expect("write to a Vec");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn hunks_have_gits_headers_and_context() {
        let old: String = (1..=10).map(|i| format!("{i}\n")).collect();
        let new = old.replace("5\n", "five\n");
        assert_eq!(
            text(&old, &new),
            "--- a/x\n+++ b/x\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn a_missing_final_newline_is_marked() {
        assert_eq!(
            text("a\n", "a\nb"),
            "--- a/x\n+++ b/x\n@@ -1 +1,2 @@\n a\n+b\n\\ No newline at end of file\n"
        );
        assert_eq!(text("", "x\n"), "--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+x\n");
    }

    #[test]
    fn equal_texts_write_nothing() {
        assert_eq!(text("a\n", "a\n"), "");
    }
}
