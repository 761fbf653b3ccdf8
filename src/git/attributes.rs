//! Adding and removing one line of a gitattributes file, touching no other byte.
//!
//! [`add_line`] appends the line (using the file's own line ending) unless an
//! identical line is already there; [`remove_line`] removes every identical
//! line. They are inverses: `remove_line(add_line(x)) == x` byte for byte,
//! including a file whose last line had no newline (the separator `add_line`
//! had to insert is removed again) and a file that did not exist (removing the
//! last line of a file leaves it empty, and the caller deletes an empty file).

/// Splits into lines, each with its terminator.
fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split_inclusive(|&b| b == b'\n')
}

fn content(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// True when `text` has a line equal to `line` (ignoring its line ending).
pub fn has_line(text: &[u8], line: &str) -> bool {
    lines(text).any(|l| content(l) == line.as_bytes())
}

/// Returns `text` with `line` appended, or `None` when it is already present.
pub fn add_line(text: &[u8], line: &str) -> Option<Vec<u8>> {
    if has_line(text, line) {
        return None;
    }
    let eol: &[u8] = if text.windows(2).any(|w| w == b"\r\n") {
        b"\r\n"
    } else {
        b"\n"
    };
    let mut out = text.to_vec();
    if out.is_empty() || out.ends_with(b"\n") {
        out.extend_from_slice(line.as_bytes());
        out.extend_from_slice(eol);
    } else {
        // No final newline: separate, and keep the file's habit of not ending with one.
        out.extend_from_slice(eol);
        out.extend_from_slice(line.as_bytes());
    }
    Some(out)
}

/// Returns `text` without any line equal to `line`, or `None` when absent.
pub fn remove_line(text: &[u8], line: &str) -> Option<Vec<u8>> {
    if !has_line(text, line) {
        return None;
    }
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    for l in lines(text) {
        if content(l) != line.as_bytes() {
            out.extend_from_slice(l);
        } else if !l.ends_with(b"\n") {
            // The last line, without a newline: drop the separator before it.
            if out.ends_with(b"\r\n") {
                out.truncate(out.len() - 2);
            } else if out.ends_with(b"\n") {
                out.truncate(out.len() - 1);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: &str = "*.ipynb diff=nbdiff merge=nbdiff";

    fn round_trip(before: &[u8]) {
        let added = add_line(before, L).expect("added");
        assert!(has_line(&added, L));
        assert_eq!(add_line(&added, L), None, "idempotent");
        assert_eq!(
            remove_line(&added, L).as_deref(),
            Some(before),
            "{before:?}"
        );
    }

    #[test]
    fn add_then_remove_is_identity() {
        round_trip(b"");
        round_trip(b"*.png binary\n");
        round_trip(b"*.png binary");
        round_trip(b"*.png binary\r\n# comment\r\n");
        round_trip(b"*.png binary\r\n# no final newline");
        round_trip(b"\n\n");
    }

    #[test]
    fn remove_keeps_other_lines() {
        let text = format!("a\n{L}\nb\n{L} extra\n");
        assert_eq!(
            remove_line(text.as_bytes(), L).as_deref(),
            Some(format!("a\nb\n{L} extra\n").as_bytes())
        );
        assert_eq!(remove_line(b"a\n", L), None);
    }
}
