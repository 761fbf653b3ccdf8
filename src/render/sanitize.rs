//! Making untrusted text (sources, outputs, metadata) safe for a terminal.
//!
//! Notebook content comes from anywhere; printed raw it could move the cursor,
//! retitle the terminal, overwrite a line with `\r`, or hide code behind
//! bidirectional overrides. This is the one sanitizer, used by the terminal
//! renderer ([`visible`], one line at a time) and by git's textconv
//! (`nbdiff show`) and the driver's line-diff fallback ([`visible_lines`],
//! whole texts):
//!
//! - escape sequences (CSI such as colours and cursor movement; OSC, DCS, SOS,
//!   PM and APC strings up to their terminator; two-character `ESC x`) are
//!   removed: colour codes are common in tracebacks and only noise in a diff.
//!   A string sequence with no terminator before the end of the line is not
//!   removed (that would hide the rest of the text): its ESC is shown as `␛`;
//! - other C0 controls → Unicode control pictures (`\u{7}` → `␇`, a lone `\r`
//!   → `␍`); DEL → `␡`;
//! - C1 controls (including the 8-bit CSI `\u{9b}`), bidirectional
//!   formatting characters (the "Trojan Source" set) and invisible characters
//!   that make two different lines look the same (zero-width spaces and
//!   joiners, word joiner, BOM, line and paragraph separators, soft hyphen,
//!   invisible operators, Unicode tags) → `<U+202E>`, `<U+200B>`;
//! - tabs are kept; newlines are kept by [`visible_lines`] (with `\r\n` read as
//!   `\n`) and shown as `␊` by [`visible`], whose input is one rendered line.

use std::borrow::Cow;
use std::io::{self, Write};
use std::iter::Peekable;
use std::str::Chars;

/// One line made safe: escape sequences removed, every other control
/// (newlines included) made visible. Tabs are kept. Borrows when nothing
/// needs changing.
///
/// ```
/// use nbdiff::render::sanitize::visible;
/// assert_eq!(visible("\x1b[31mred\x1b[0m\x07"), "red␇");
/// assert_eq!(visible("a\r\nb"), "a␍␊b");
/// assert_eq!(visible("plain\ttext"), "plain\ttext");
/// ```
pub fn visible(line: &str) -> Cow<'_, str> {
    clean(line, false)
}

/// A multi-line text made safe: like [`visible`], but newlines are kept and
/// `\r\n` becomes `\n`.
///
/// ```
/// use nbdiff::render::sanitize::visible_lines;
/// assert_eq!(visible_lines("\x1b]0;title\x07a\r\nb\rc\n"), "a\nb␍c\n");
/// ```
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    clean(text, true)
}

/// A writer that passes every line through [`visible_name`] (bytes that are
/// not UTF-8 become `\u{fffd}`; nothing is removed): put in front of stderr,
/// no message can carry raw bytes from a file name or file content to the
/// terminal. Lines
/// are written whole; a last line without newline is written on flush or
/// drop.
pub struct LineSanitizer<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> LineSanitizer<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        LineSanitizer {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes the first `upto` pending bytes, each line made visible on its
    /// own (its newline kept), in one write: a merge that reports 40,000
    /// moved cells makes 40,000 lines, and stderr is unbuffered.
    fn emit(&mut self, upto: usize) -> io::Result<()> {
        let lines: Vec<u8> = self.pending.drain(..upto).collect();
        let mut out = String::with_capacity(lines.len());
        for line in lines.split_inclusive(|&b| b == b'\n') {
            let text = String::from_utf8_lossy(line);
            let (body, nl) = match text.strip_suffix('\n') {
                Some(body) => (body, "\n"),
                None => (&*text, ""),
            };
            out.push_str(&visible_name(body));
            out.push_str(nl);
        }
        self.inner.write_all(out.as_bytes())
    }
}

impl<W: Write> Write for LineSanitizer<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        if let Some(last) = memchr::memrchr(b'\n', &self.pending) {
            self.emit(last + 1)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.emit(self.pending.len())?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for LineSanitizer<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// A name (a file name, a path from git) made safe without removing
/// anything: every control is shown (ESC as `␛`, newlines as `␊`), as are C1,
/// bidirectional and invisible characters. Unlike [`visible`], escape
/// sequences are not stripped: a name must not look like another name.
///
/// ```
/// use nbdiff::render::sanitize::visible_name;
/// assert_eq!(visible_name("\x1b[2Jx.ipynb"), "␛[2Jx.ipynb");
/// ```
pub fn visible_name(name: &str) -> Cow<'_, str> {
    clean_with(name, false, false)
}

fn clean(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    clean_with(text, keep_newlines, true)
}

fn clean_with(text: &str, keep_newlines: bool, strip_escapes: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_care(c, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                if !strip_escapes || !skip_escape(&mut chars) {
                    out.push('␛');
                }
            }
            '\r' if keep_newlines && chars.peek() == Some(&'\n') => {}
            '\n' if keep_newlines => out.push(c),
            '\t' => out.push(c),
            c if (c as u32) < 0x20 => out.push(control_picture(c)),
            '\x7f' => out.push('␡'),
            c if is_c1(c) || is_bidi(c) || is_invisible(c) => {
                out.push_str(&format!("<U+{:04X}>", c as u32))
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_care(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && c != '\t' && !(keep_newlines && c == '\n')) || is_bidi(c) || is_invisible(c)
}

/// True for every character [`visible`] does not print as it is: controls
/// (but tab and newline), C1, bidirectional formatting and invisible
/// characters. Other writers (the `--json` escaper) use the same set.
pub fn is_unsafe(c: char) -> bool {
    needs_care(c, true)
}

/// `␀`..`␟` for the C0 controls.
fn control_picture(c: char) -> char {
    char::from_u32(0x2400 + c as u32).unwrap_or('?')
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// Bidirectional formatting characters (the "Trojan Source" set).
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Characters that render as nothing (or as plain whitespace) and so make
/// two different lines look identical: zero-width space, non-joiner and
/// joiner, word joiner and invisible operators, BOM / zero-width no-break
/// space, line and paragraph separators, soft hyphen, combining grapheme
/// joiner, Mongolian vowel separator, Hangul fillers, Khmer inherent vowels,
/// and the Unicode tag characters (invisible ASCII look-alikes).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{034f}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200d}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{e0000}'..='\u{e007f}'
    )
}

/// Skips the rest of an escape sequence that started with ESC. Returns false,
/// consuming nothing, for a string sequence with no terminator on this line.
fn skip_escape(chars: &mut Peekable<Chars<'_>>) -> bool {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        // OSC, DCS, SOS, PM, APC: up to BEL or ST (`ESC \` or `\u{9c}`).
        Some(']' | 'P' | 'X' | '^' | '_') => {
            let mut ahead = chars.clone();
            ahead.next();
            loop {
                match ahead.next() {
                    Some('\x07' | '\u{9c}') => break,
                    Some('\x1b') => {
                        ahead.next_if_eq(&'\\');
                        break;
                    }
                    Some('\n') | None => return false,
                    Some(_) => {}
                }
            }
            *chars = ahead;
        }
        // Two-character sequences (ESC ( B …).
        Some('(' | ')' | '*' | '+') => {
            chars.next();
            chars.next();
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
    true
}

/// Skips CSI parameters and intermediates up to the final byte (`@`..`~`);
/// stops before any character that cannot be part of the sequence.
fn skip_csi(chars: &mut Peekable<Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            chars.next();
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            break;
        }
        chars.next();
    }
}

/// Longest [`first_line`] shown, in characters (then `…`).
pub const FIRST_LINE_CHARS: usize = 60;

/// A cell's identity for headers: the first line of `source` with
/// something on it, trimmed, made visible, cut to [`FIRST_LINE_CHARS`]
/// characters; `None` for a blank source.
pub fn first_line(source: &str) -> Option<String> {
    let line = source.lines().map(str::trim).find(|l| !l.is_empty())?;
    let shown = visible(line);
    if shown.chars().count() > FIRST_LINE_CHARS {
        let cut: String = shown.chars().take(FIRST_LINE_CHARS - 1).collect();
        Some(format!("{}…", cut.trim_end()))
    } else {
        Some(shown.into_owned())
    }
}

/// Widest [`headline`] shown, in terminal columns (then `…`).
pub const HEADLINE_COLUMNS: usize = 60;

/// A cell's first line for the renderers' cell headers and the HTML index:
/// the line [`first_line`] picks (trimmed, made visible), cut to
/// [`HEADLINE_COLUMNS`] display columns (a wide character counts two; a
/// tab is shown as a space); `None` for a blank source.
pub fn headline(source: &str) -> Option<String> {
    use unicode_width::UnicodeWidthChar;
    let line = source.lines().map(str::trim).find(|l| !l.is_empty())?;
    let shown = visible(line).replace('\t', " ");
    let width = |c: char| c.width().unwrap_or(0);
    if shown.chars().map(width).sum::<usize>() <= HEADLINE_COLUMNS {
        return Some(shown);
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in shown.chars() {
        // Room for the `…` (one column).
        if used + width(c) > HEADLINE_COLUMNS - 1 {
            break;
        }
        used += width(c);
        cut.push(c);
    }
    Some(format!("{}…", cut.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_controls_are_visible() {
        assert_eq!(visible("plain\ttext"), "plain\ttext");
        assert_eq!(visible("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(visible("\x1b]0;pwned\x07x"), "x");
        assert_eq!(visible("\x1b[2J"), "");
        assert_eq!(visible("a\rb"), "a␍b");
        assert_eq!(visible("\u{9b}31m"), "<U+009B>31m");
        assert_eq!(visible("x\u{202E}y"), "x<U+202E>y");
    }

    #[test]
    fn strips_colour_and_osc() {
        assert_eq!(
            visible_lines("\x1b[1;31mError\x1b[0m: x\x1b]0;title\x07!"),
            "Error: x!"
        );
        assert_eq!(
            visible_lines("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"),
            "link"
        );
    }

    #[test]
    fn shows_controls_and_bidi() {
        assert_eq!(visible_lines("a\x00b\x08c\x7f"), "a␀b␈c␡");
        assert_eq!(visible_lines("x\u{202e}y\u{85}"), "x<U+202E>y<U+0085>");
        assert_eq!(visible_lines("x\u{061c}y"), "x<U+061C>y");
        assert_eq!(visible_lines("tab\tkept\n"), "tab\tkept\n");
        assert_eq!(visible("line\n"), "line␊");
    }

    #[test]
    fn truncated_escape_does_not_panic_or_hide_text() {
        assert_eq!(visible_lines("end\x1b"), "end");
        assert_eq!(visible_lines("end\x1b["), "end");
        assert_eq!(visible_lines("\x1b]never terminated"), "␛]never terminated");
        assert_eq!(visible_lines("\x1b]0;a\nb\x07c"), "␛]0;a\nb␇c");
        assert_eq!(visible_lines("\x1b[é"), "é");
    }

    #[test]
    fn invisible_characters_are_shown() {
        assert_eq!(visible("x\u{200b} = 1"), "x<U+200B> = 1");
        assert_eq!(
            visible_lines("a\u{200d}b\u{2060}c\u{feff}d\u{2028}e\u{2029}\n"),
            "a<U+200D>b<U+2060>c<U+FEFF>d<U+2028>e<U+2029>\n"
        );
        assert_eq!(visible("tag\u{e0041}"), "tag<U+E0041>");
        assert_eq!(visible("naïve café ✓"), "naïve café ✓");
    }

    #[test]
    fn line_sanitizer_cleans_each_line_written_in_pieces() {
        let mut out = Vec::new();
        {
            let mut w = LineSanitizer::new(&mut out);
            w.write_all(b"nbdiff: \x1b]0;t").unwrap();
            w.write_all(b"\x07x.ipynb: \xff bad\nnext \x1b[2J").unwrap();
            w.flush().unwrap();
        }
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "nbdiff: ␛]0;t␇x.ipynb: \u{fffd} bad\nnext ␛[2J"
        );
    }

    #[test]
    fn line_sanitizer_keeps_lines_written_together_apart() {
        let mut out = Vec::new();
        {
            let mut w = LineSanitizer::new(&mut out);
            w.write_all(b"one \x1b[2J\ntwo\nthree").unwrap();
        }
        assert_eq!(String::from_utf8(out).unwrap(), "one ␛[2J\ntwo\nthree");
    }

    #[test]
    fn headline_is_cut_by_display_width() {
        use unicode_width::UnicodeWidthStr;
        assert_eq!(
            headline("\n  df = load()  \nx").as_deref(),
            Some("df = load()")
        );
        assert_eq!(headline(" \n\t\n"), None);
        assert_eq!(headline("a\tb\u{1b}[31mc").as_deref(), Some("a bc"));
        // 40 wide characters are 80 columns: cut to 59 columns and `…`.
        let wide = "表".repeat(40);
        let cut = headline(&wide).expect("a line");
        assert!(cut.ends_with('…'), "{cut}");
        assert!(cut.width() <= HEADLINE_COLUMNS, "{cut}");
        assert_eq!(cut.chars().count(), 30, "{cut}");
        // 60 narrow characters fit as they are.
        let narrow = "x".repeat(60);
        assert_eq!(headline(&narrow).as_deref(), Some(narrow.as_str()));
    }

    #[test]
    fn first_line_is_trimmed_visible_and_cut() {
        assert_eq!(
            first_line("\n  import numpy as np  \nx").as_deref(),
            Some("import numpy as np")
        );
        assert_eq!(first_line(" \n\t\n"), None);
        assert_eq!(
            first_line("a\u{1b}[31mb")
                .as_deref()
                .map(|s| s.contains('\u{1b}')),
            Some(false)
        );
        let long = "x".repeat(100);
        let cut = first_line(&long).expect("a line");
        assert_eq!(cut.chars().count(), FIRST_LINE_CHARS);
        assert!(cut.ends_with('…'));
    }
}
