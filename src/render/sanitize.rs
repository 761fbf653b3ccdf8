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
//! - C1 controls (including the 8-bit CSI `\u{9b}`) and bidirectional
//!   formatting characters (the "Trojan Source" set) → `<U+202E>`;
//! - tabs are kept; newlines are kept by [`visible_lines`] (with `\r\n` read as
//!   `\n`) and shown as `␊` by [`visible`], whose input is one rendered line.

use std::borrow::Cow;
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

fn clean(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| needs_care(c, keep_newlines)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                if !skip_escape(&mut chars) {
                    out.push('␛');
                }
            }
            '\r' if keep_newlines && chars.peek() == Some(&'\n') => {}
            '\n' if keep_newlines => out.push(c),
            '\t' => out.push(c),
            c if (c as u32) < 0x20 => out.push(control_picture(c)),
            '\x7f' => out.push('␡'),
            c if is_c1(c) || is_bidi(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_care(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && c != '\t' && !(keep_newlines && c == '\n')) || is_bidi(c)
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
