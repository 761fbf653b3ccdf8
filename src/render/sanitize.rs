//! Making untrusted text (sources, outputs, metadata) safe for a terminal.
//!
//! Notebook content can hold escape sequences (colours in tracebacks, OSC
//! window-title sequences, cursor movement), carriage returns and bells.
//! None of it reaches the terminal raw: colour sequences are removed and
//! every other control character is shown visibly (`^[`, `␍`, `^G`, …).

use std::borrow::Cow;

fn needs_work(c: char) -> bool {
    (c.is_control() && c != '\t') || is_bidi_control(c)
}

/// Unicode bidirectional controls can reorder what a reader sees.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// The text with colour sequences removed and other controls made visible.
/// Tabs are kept. Borrows when nothing needs changing.
pub fn visible(text: &str) -> Cow<'_, str> {
    let text = crate::diff::output::strip_ansi(text);
    if !text.chars().any(needs_work) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' => out.push('␍'),
            '\n' => out.push('␊'),
            '\x7f' => out.push_str("^?"),
            c if (c as u32) < 0x20 => {
                out.push('^');
                out.push(char::from(c as u8 + 0x40));
            }
            c if needs_work(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_controls_are_visible() {
        assert_eq!(visible("plain\ttext"), "plain\ttext");
        assert_eq!(visible("\x1b[31mred\x1b[0m"), "red");
        assert_eq!(visible("\x1b]0;pwned\x07x"), "^[]0;pwned^Gx");
        assert_eq!(visible("\x1b[2J"), "^[[2J");
        assert_eq!(visible("a\rb"), "a␍b");
        assert_eq!(visible("\u{9b}31m"), "<U+009B>31m");
        assert_eq!(visible("x\u{202E}y"), "x<U+202E>y");
    }
}
