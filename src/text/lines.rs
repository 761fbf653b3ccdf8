//! Splitting text into lines that keep their line endings.
//!
//! A line ends after `\n` (so a `\r\n` ending stays whole); a lone `\r` is ordinary
//! content, as in git. The last line may lack a terminator. Concatenating the lines
//! gives back the input byte for byte, and no allocation is made for the lines
//! themselves: each is a `&str` slice of the input.

/// Iterator over the lines of a text, each including its line ending.
///
/// Created by [`lines`]. An empty text has no lines; a text ending in `\n` has no
/// empty line after it.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    rest: &'a str,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let end = match self.rest.find('\n') {
            Some(i) => i + 1,
            None => self.rest.len(),
        };
        let (line, rest) = self.rest.split_at(end);
        self.rest = rest;
        Some(line)
    }
}

/// Iterates over the lines of `text`, each keeping its `\n` or `\r\n` ending.
///
/// ```
/// use nbdiff::text::lines::lines;
/// let v: Vec<&str> = lines("a\r\nb\nc").collect();
/// assert_eq!(v, ["a\r\n", "b\n", "c"]);
/// ```
pub fn lines(text: &str) -> Lines<'_> {
    Lines { rest: text }
}

/// Collects the lines of `text` (see [`lines`]) into a vector of slices.
pub fn split_lines(text: &str) -> Vec<&str> {
    // One line per newline, plus maybe a last unterminated one.
    let mut out = Vec::with_capacity(memchr_count(text) + 1);
    out.extend(lines(text));
    out
}

fn memchr_count(text: &str) -> usize {
    text.bytes().filter(|&b| b == b'\n').count()
}

/// Returns `line` without its line ending (`\r\n` or `\n`), if it has one.
///
/// ```
/// use nbdiff::text::lines::strip_eol;
/// assert_eq!(strip_eol("x\r\n"), "x");
/// assert_eq!(strip_eol("x"), "x");
/// ```
pub fn strip_eol(line: &str) -> &str {
    let s = line.strip_suffix('\n').unwrap_or(line);
    if s.len() < line.len() {
        s.strip_suffix('\r').unwrap_or(s)
    } else {
        line
    }
}

/// Returns the line ending of `line`: `"\r\n"`, `"\n"`, or `""` when it has none.
pub fn eol(line: &str) -> &str {
    &line[strip_eol(line).len()..]
}

/// Whether `line` ends with a line terminator.
pub fn has_eol(line: &str) -> bool {
    line.ends_with('\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_round_trips() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\nb",
            "a\r\nb\r\n",
            "\r\n\r\n",
            "x\ry\n",
            "é\nü\r\n日本",
        ] {
            let ls = split_lines(text);
            assert_eq!(ls.concat(), text);
            for (i, l) in ls.iter().enumerate() {
                assert!(!l.is_empty());
                if i + 1 < ls.len() {
                    assert!(has_eol(l));
                }
            }
        }
        assert_eq!(split_lines("a\n\nb"), ["a\n", "\n", "b"]);
        assert!(split_lines("").is_empty());
        assert_eq!(split_lines("x\ry\n"), ["x\ry\n"]);
    }

    #[test]
    fn eol_helpers() {
        assert_eq!(strip_eol("a\r\n"), "a");
        assert_eq!(strip_eol("a\n"), "a");
        assert_eq!(strip_eol("a\r"), "a\r");
        assert_eq!(strip_eol("\n"), "");
        assert_eq!(eol("a\r\n"), "\r\n");
        assert_eq!(eol("a\n"), "\n");
        assert_eq!(eol("a"), "");
        assert!(!has_eol("a"));
    }
}
