//! Every colour and text style nbdiff writes, in one place.
//!
//! Styles are [`anstyle::Style`] values (anstyle is clap's own style crate,
//! already in the tree). anstyle renders one escape sequence per attribute
//! (`ESC[1m ESC[97m ESC[41m`); we render each style as the single combined
//! SGR sequence git and our earlier output use (`ESC[1;97;41m`), once, into
//! a table, so painting costs no formatting. No other module writes escape
//! codes (the sanitizer only *detects* incoming ones).

use anstyle::{AnsiColor, Color, Effects};
use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::LazyLock;

/// What a piece of output is; each has one style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `--- old` / `+++ new` and the notebook title line.
    FileHeader,
    /// A cell's header line.
    CellHeader,
    /// An `@@ … @@` hunk header.
    HunkHeader,
    /// Metadata, output summaries and other notes.
    Meta,
    /// A removed line.
    Removed,
    /// An added line.
    Added,
    /// The changed words inside a removed line.
    RemovedWord,
    /// The changed words inside an added line.
    AddedWord,
    /// A context line: no style switched on, but the terminal diff still
    /// resets after it (as it always has).
    Context,
}

impl Style {
    const ALL: [Style; 9] = [
        Style::FileHeader,
        Style::CellHeader,
        Style::HunkHeader,
        Style::Meta,
        Style::Removed,
        Style::Added,
        Style::RemovedWord,
        Style::AddedWord,
        Style::Context,
    ];

    /// The style's definition.
    pub fn anstyle(self) -> anstyle::Style {
        let fg = |c: AnsiColor| anstyle::Style::new().fg_color(Some(Color::Ansi(c)));
        let word = |bg: AnsiColor| {
            anstyle::Style::new()
                .bold()
                .fg_color(Some(Color::Ansi(AnsiColor::BrightWhite)))
                .bg_color(Some(Color::Ansi(bg)))
        };
        match self {
            Style::FileHeader => anstyle::Style::new().bold(),
            Style::CellHeader => fg(AnsiColor::Cyan).bold(),
            Style::HunkHeader => fg(AnsiColor::Cyan),
            Style::Meta => fg(AnsiColor::Yellow),
            Style::Removed => fg(AnsiColor::Red),
            Style::Added => fg(AnsiColor::Green),
            Style::RemovedWord => word(AnsiColor::Red),
            Style::AddedWord => word(AnsiColor::Green),
            Style::Context => anstyle::Style::new(),
        }
    }

    /// The combined SGR sequence that switches the style on.
    pub fn on(self) -> &'static str {
        &SEQUENCES[self as usize]
    }
}

/// The sequence that switches every style off (`ESC[0m`).
pub const RESET: &str = "\x1b[0m";
/// git's shorter form of [`RESET`] (`ESC[m`), which git's own diff writes;
/// the plain line diff uses it to match `git diff` byte for byte.
pub const GIT_RESET: &str = "\x1b[m";

static SEQUENCES: LazyLock<Vec<String>> =
    LazyLock::new(|| Style::ALL.iter().map(|s| sgr(s.anstyle())).collect());

/// Renders a style as one SGR sequence: effects, then foreground, then
/// background parameters, joined by `;` (nothing for the plain style).
fn sgr(style: anstyle::Style) -> String {
    if style == anstyle::Style::new() {
        return String::new();
    }
    let mut params: Vec<String> = Vec::new();
    let effects = style.get_effects();
    for (effect, code) in [
        (Effects::BOLD, 1),
        (Effects::DIMMED, 2),
        (Effects::ITALIC, 3),
        (Effects::UNDERLINE, 4),
        (Effects::INVERT, 7),
    ] {
        if effects.contains(effect) {
            params.push(code.to_string());
        }
    }
    let ansi = |c: Option<Color>, base: u8| match c {
        Some(Color::Ansi(a)) => {
            let n = a as u8;
            // Bright colours have their own codes: 90-97 and 100-107.
            Some(if n >= 8 { base + 60 + n - 8 } else { base + n })
        }
        _ => None,
    };
    params.extend(ansi(style.get_fg_color(), 30).map(|n| n.to_string()));
    params.extend(ansi(style.get_bg_color(), 40).map(|n| n.to_string()));
    let mut s = String::from("\x1b[");
    let _ = write!(s, "{}m", params.join(";"));
    s
}

/// Paints text when colour is on; the text unchanged otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    color: bool,
    reset: &'static str,
}

impl Paint {
    /// A painter for nbdiff's own output (reset with `ESC[0m`).
    pub fn new(color: bool) -> Paint {
        Paint {
            color,
            reset: RESET,
        }
    }

    /// A painter for output that imitates `git diff` (reset with `ESC[m`).
    pub fn git(color: bool) -> Paint {
        Paint {
            color,
            reset: GIT_RESET,
        }
    }

    /// Whether colour is on.
    pub fn color(self) -> bool {
        self.color
    }

    /// `text` in `style` (unchanged without colour, or when empty).
    pub fn paint(self, style: Style, text: &str) -> Cow<'_, str> {
        if self.color && !text.is_empty() {
            Cow::Owned(format!("{}{text}{}", style.on(), self.reset))
        } else {
            Cow::Borrowed(text)
        }
    }

    /// The sequences around a styled run, for writers that stream the text
    /// themselves: `("", "")` without colour.
    pub fn around(self, style: Style) -> (&'static str, &'static str) {
        if self.color {
            (style.on(), self.reset)
        } else {
            ("", "")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_render_as_the_sequences_nbdiff_has_always_written() {
        let want = [
            (Style::FileHeader, "\x1b[1m"),
            (Style::CellHeader, "\x1b[1;36m"),
            (Style::HunkHeader, "\x1b[36m"),
            (Style::Meta, "\x1b[33m"),
            (Style::Removed, "\x1b[31m"),
            (Style::Added, "\x1b[32m"),
            (Style::RemovedWord, "\x1b[1;97;41m"),
            (Style::AddedWord, "\x1b[1;97;42m"),
            (Style::Context, ""),
        ];
        for (style, seq) in want {
            assert_eq!(style.on(), seq, "{style:?}");
        }
    }

    #[test]
    fn no_colour_leaves_text_alone() {
        assert_eq!(Paint::new(false).paint(Style::Added, "+x"), "+x");
        assert_eq!(Paint::new(true).paint(Style::Added, ""), "");
        assert_eq!(
            Paint::git(true).paint(Style::Added, "+x"),
            "\x1b[32m+x\x1b[m"
        );
    }
}
