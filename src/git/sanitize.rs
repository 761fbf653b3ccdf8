//! Makes untrusted notebook text safe to print on a terminal.
//!
//! Notebook sources and outputs come from anywhere; printed raw they could move
//! the cursor, retitle the terminal, or hide code behind bidirectional
//! overrides. [`sanitize`] removes ANSI escape sequences (colour codes are
//! common in tracebacks and are only noise in a diff) and replaces every other
//! control character with a visible stand-in:
//!
//! - C0 controls other than tab and newline → Unicode control pictures
//!   (`\u{7}` → `␇`, a lone `\r` → `␍`); `\r\n` becomes `\n`;
//! - DEL → `␡`;
//! - C1 controls and bidirectional formatting characters → `<U+202E>`.

use std::borrow::Cow;

/// Returns `text` with escape sequences removed and other controls made visible.
///
/// ```
/// use nbdiff::git::sanitize::sanitize;
/// assert_eq!(sanitize("\x1b[31mred\x1b[0m\x07"), "red␇");
/// assert_eq!(sanitize("a\r\nb\rc"), "a\nb␍c");
/// assert_eq!(sanitize("plain"), "plain");
/// ```
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_care) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\t' => out.push(c),
            c if (c as u32) < 0x20 => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?'));
            }
            '\x7f' => out.push('␡'),
            c if is_c1(c) || is_bidi(c) => {
                out.push_str(&format!("<U+{:04X}>", c as u32));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_care(c: char) -> bool {
    ((c as u32) < 0x20 && c != '\n' && c != '\t') || c == '\x7f' || is_c1(c) || is_bidi(c)
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// Bidirectional formatting characters (the "Trojan Source" set).
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Skips the rest of an escape sequence that started with ESC.
fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        // OSC, DCS, SOS, PM, APC: up to BEL or ESC \ (string terminator).
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '\x07' || c == '\u{9c}' {
                    break;
                }
                if c == '\x1b' {
                    if chars.peek() == Some(&'\\') {
                        chars.next();
                    }
                    break;
                }
            }
        }
        // Two-character sequences (ESC 7, ESC c, ESC ( B …).
        Some('(' | ')' | '*' | '+') => {
            chars.next();
            chars.next();
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

/// Skips CSI parameters and intermediates up to the final byte (`@`..`~`).
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            // Not part of a CSI sequence: stop without eating more text.
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn strips_colour_and_osc() {
        assert_eq!(
            sanitize("\x1b[1;31mError\x1b[0m: x\x1b]0;title\x07!"),
            "Error: x!"
        );
        assert_eq!(sanitize("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "link");
    }

    #[test]
    fn shows_controls_and_bidi() {
        assert_eq!(sanitize("a\x00b\x08c\x7f"), "a␀b␈c␡");
        assert_eq!(sanitize("x\u{202e}y\u{85}"), "x<U+202E>y<U+0085>");
        assert_eq!(sanitize("tab\tkept\n"), "tab\tkept\n");
    }

    #[test]
    fn truncated_escape_does_not_panic() {
        assert_eq!(sanitize("end\x1b"), "end");
        assert_eq!(sanitize("end\x1b["), "end");
        assert_eq!(sanitize("\x1b]never terminated"), "");
    }
}
