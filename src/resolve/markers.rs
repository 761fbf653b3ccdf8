//! git's conflict blocks, parsed out of a file's text.
//!
//! git's line merge writes, for each conflict,
//!
//! ```text
//! <<<<<<< ours-label
//! local lines
//! ||||||| base-label      (diff3 and zdiff3 styles only)
//! base lines
//! =======
//! remote lines
//! >>>>>>> theirs-label
//! ```
//!
//! with markers of 7 characters or of the `conflict-marker-size` attribute.
//! [`parse`] splits a text into the three versions it was built from:
//! lines outside blocks belong to every version, lines inside a block to its
//! section's version. Each rebuilt version remembers, for every line, the
//! line of the file it came from, so a later error can point back there.
//!
//! A line of a notebook (JSON) never starts with `<`, `|`, `=` or `>`: JSON
//! text outside strings holds only brackets, punctuation, literals and
//! whitespace, and strings cannot span lines. So every line that starts with
//! seven or more of one of those characters is taken to be a marker, and one
//! that does not fit the block structure is an error: a separator or closing
//! marker outside a block, an opening marker inside one (nested), a marker
//! whose length differs from its block's opening marker, a block without its
//! `=======` or never closed. Marker-like text inside JSON strings (a cell
//! explaining git conflicts: `"<<<<<<< HEAD\n"`) does not start a line and
//! is content.

use crate::text::lines::{lines, strip_eol};

/// Shortest marker git writes (`conflict-marker-size` below 7 is ignored here:
/// a shorter run is too likely to be content).
pub const MIN_MARKER: usize = 7;

/// One version of the file rebuilt from the blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Version {
    /// The text.
    pub text: String,
    /// For each line of `text`, the 1-based line of the file it came from.
    pub origin: Vec<usize>,
}

impl Version {
    fn push(&mut self, line: &str, at: usize) {
        self.text.push_str(line);
        self.origin.push(at);
    }

    /// The file line that the rebuilt text's 1-based `line` came from (the
    /// last line when past the end, 0 for an empty text).
    pub fn file_line(&self, line: usize) -> usize {
        let k = line
            .saturating_sub(1)
            .min(self.origin.len().saturating_sub(1));
        self.origin.get(k).copied().unwrap_or(0)
    }
}

/// A conflict block as found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 1-based line of the opening marker.
    pub start: usize,
    /// 1-based line of the closing marker.
    pub end: usize,
    /// Length of the block's markers.
    pub size: usize,
    /// Whether the block has a `|||||||` base section.
    pub has_base: bool,
}

/// A text split into its versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Lines outside blocks plus each block's first section.
    pub local: Version,
    /// Lines outside blocks plus each block's last section.
    pub remote: Version,
    /// Lines outside blocks plus each block's base section, when every block
    /// has one (diff3 and zdiff3 styles).
    pub base: Option<Version>,
    /// The blocks, in order (at least one).
    pub blocks: Vec<Block>,
    /// Labels after the first block's markers: local, base, remote (empty
    /// when a marker has none).
    pub labels: [String; 3],
}

/// Why a text could not be split into versions.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    /// No line starts with a conflict marker.
    #[error("no git conflict markers")]
    NoMarkers,
    /// A marker where no block is open, or of the wrong kind inside one.
    #[error("line {line}: `{marker}` {why}")]
    Unexpected {
        /// 1-based line of the marker.
        line: usize,
        /// The marker run (e.g. `=======`).
        marker: String,
        /// What is wrong with it here.
        why: String,
    },
    /// A block that is never closed.
    #[error("line {line}: conflict block opened here is never closed (no `{closing}`)")]
    Unclosed {
        /// 1-based line of the opening marker.
        line: usize,
        /// The closing marker expected.
        closing: String,
    },
}

/// Which marker a line is, if it starts with one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Open,
    Base,
    Separator,
    Close,
}

/// A marker line: kind, run length, label (text after the run and a space).
fn marker(line: &str) -> Option<(Kind, usize, &str)> {
    let body = strip_eol(line);
    let first = body.chars().next()?;
    let kind = match first {
        '<' => Kind::Open,
        '|' => Kind::Base,
        '=' => Kind::Separator,
        '>' => Kind::Close,
        _ => return None,
    };
    let run = body.bytes().take_while(|&b| b == first as u8).count();
    if run < MIN_MARKER {
        return None;
    }
    let rest = &body[run..];
    let label = rest.strip_prefix(' ').unwrap_or(rest);
    Some((kind, run, label))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Outside,
    Local,
    Base,
    Remote,
}

/// Splits `text` into the versions git's conflict blocks were made from.
pub fn parse(text: &str) -> Result<Split, MarkerError> {
    let mut local = Version::default();
    let mut remote = Version::default();
    let mut base = Version::default();
    let mut blocks: Vec<Block> = Vec::new();
    let mut labels: Option<[String; 3]> = None;
    let mut current = [String::new(), String::new(), String::new()];
    let mut state = State::Outside;
    let mut open = Block {
        start: 0,
        end: 0,
        size: 0,
        has_base: false,
    };
    let unexpected = |line: usize, run: usize, kind: Kind, why: &str| {
        let ch = match kind {
            Kind::Open => '<',
            Kind::Base => '|',
            Kind::Separator => '=',
            Kind::Close => '>',
        };
        MarkerError::Unexpected {
            line,
            marker: std::iter::repeat_n(ch, run).collect(),
            why: why.to_string(),
        }
    };
    for (k, line) in lines(text).enumerate() {
        let at = k + 1;
        let Some((kind, run, label)) = marker(line) else {
            match state {
                State::Outside => {
                    local.push(line, at);
                    remote.push(line, at);
                    base.push(line, at);
                }
                State::Local => local.push(line, at),
                State::Base => base.push(line, at),
                State::Remote => remote.push(line, at),
            }
            continue;
        };
        if state != State::Outside && run != open.size {
            return Err(unexpected(
                at,
                run,
                kind,
                &format!(
                    "inside the conflict block opened at line {} with {}-character markers (nested or mismatched markers)",
                    open.start, open.size
                ),
            ));
        }
        state = match (state, kind) {
            (State::Outside, Kind::Open) => {
                open = Block {
                    start: at,
                    end: 0,
                    size: run,
                    has_base: false,
                };
                current[0] = label.to_string();
                State::Local
            }
            (State::Outside, _) => {
                return Err(unexpected(at, run, kind, "outside any conflict block"))
            }
            (State::Remote, Kind::Open) => {
                return Err(unexpected(
                    at,
                    run,
                    kind,
                    &format!(
                        "opens a conflict block while the one opened at line {} is never closed (no `{}` before it)",
                        open.start,
                        ">".repeat(open.size)
                    ),
                ))
            }
            (_, Kind::Open) => {
                return Err(unexpected(
                    at,
                    run,
                    kind,
                    &format!(
                        "inside the conflict block opened at line {} (nested conflict)",
                        open.start
                    ),
                ))
            }
            (State::Local, Kind::Base) => {
                open.has_base = true;
                current[1] = label.to_string();
                State::Base
            }
            (State::Local | State::Base, Kind::Separator) => State::Remote,
            (State::Remote, Kind::Close) => {
                open.end = at;
                current[2] = label.to_string();
                if labels.is_none() {
                    labels = Some(current.clone());
                }
                blocks.push(open.clone());
                State::Outside
            }
            (_, kind) => {
                let why = match (state, kind) {
                    (State::Local | State::Base, Kind::Close) => format!(
                        "closes the conflict block opened at line {} before its `{}` separator",
                        open.start,
                        "=".repeat(open.size)
                    ),
                    (State::Base, Kind::Base) | (State::Remote, Kind::Base) => format!(
                        "repeats or misplaces the base section of the block opened at line {}",
                        open.start
                    ),
                    _ => format!(
                        "appears twice in the conflict block opened at line {}",
                        open.start
                    ),
                };
                return Err(unexpected(at, run, kind, &why));
            }
        };
    }
    if state != State::Outside {
        return Err(MarkerError::Unclosed {
            line: open.start,
            closing: ">".repeat(open.size),
        });
    }
    if blocks.is_empty() {
        return Err(MarkerError::NoMarkers);
    }
    let all_base = blocks.iter().all(|b| b.has_base);
    Ok(Split {
        local,
        remote,
        base: all_base.then_some(base),
        blocks,
        labels: labels.unwrap_or_default(),
    })
}

/// The 1-based line of the first line that starts with a conflict marker
/// (of any kind), if any.
pub fn first_marker_line(text: &str) -> Option<usize> {
    lines(text).position(|l| marker(l).is_some()).map(|k| k + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_style_block_splits_into_two_versions() {
        let text = "a\n<<<<<<< HEAD\nb\n=======\nc\n>>>>>>> feature\nd\n";
        let s = parse(text).unwrap();
        assert_eq!(s.local.text, "a\nb\nd\n");
        assert_eq!(s.local.origin, vec![1, 3, 7]);
        assert_eq!(s.remote.text, "a\nc\nd\n");
        assert_eq!(s.remote.origin, vec![1, 5, 7]);
        assert_eq!(s.base, None);
        assert_eq!(
            s.labels,
            ["HEAD".to_string(), String::new(), "feature".into()]
        );
        assert_eq!(s.blocks.len(), 1);
        assert_eq!((s.blocks[0].start, s.blocks[0].end), (2, 6));
    }

    #[test]
    fn diff3_block_gives_the_base() {
        let text = "a\n<<<<<<< ours\nb\n||||||| base\nx\n=======\nc\n>>>>>>> theirs\n";
        let s = parse(text).unwrap();
        assert_eq!(s.base.unwrap().text, "a\nx\n");
        assert_eq!(s.labels[1], "base");
    }

    #[test]
    fn longer_markers_and_crlf() {
        let text = "a\r\n<<<<<<<<< HEAD\r\nb\r\n=========\r\nc\r\n>>>>>>>>> x\r\n";
        let s = parse(text).unwrap();
        assert_eq!(s.local.text, "a\r\nb\r\n");
        assert_eq!(s.blocks[0].size, 9);
    }

    #[test]
    fn empty_sections() {
        let s = parse("<<<<<<< a\n=======\nc\n>>>>>>> b\n").unwrap();
        assert_eq!(s.local.text, "");
        assert_eq!(s.remote.text, "c\n");
        assert_eq!(s.local.file_line(1), 0);
    }

    #[test]
    fn marker_like_text_in_strings_is_content() {
        let text = "  \"<<<<<<< HEAD\\n\",\n  \"=======\\n\"\n";
        assert_eq!(parse(text), Err(MarkerError::NoMarkers));
        assert_eq!(first_marker_line(text), None);
    }

    #[test]
    fn hostile_structures_are_refused_with_their_line() {
        let err = |t: &str| parse(t).unwrap_err().to_string();
        assert!(err("a\n=======\n").starts_with("line 2: `=======` outside"));
        assert!(err(">>>>>>> x\n").contains("outside"));
        let nested = "<<<<<<< a\n<<<<<<< b\n=======\n>>>>>>> c\n";
        assert!(err(nested).contains("line 2") && err(nested).contains("nested"));
        let mismatched = "<<<<<<< a\nx\n=========\ny\n>>>>>>> b\n";
        assert!(err(mismatched).contains("line 3") && err(mismatched).contains("mismatched"));
        assert!(err("<<<<<<< a\nx\n>>>>>>> b\n").contains("before its `=======`"));
        assert!(err("<<<<<<< a\nx\n=======\n").contains("never closed"));
        assert!(err("<<<<<<< a\n=======\n=======\n>>>>>>> b\n").contains("twice"));
        let base_after_separator = "<<<<<<< a\n=======\n||||||| o\n>>>>>>> b\n";
        assert!(err(base_after_separator).contains("line 3: `|||||||` repeats or misplaces"));
        let reopened = "<<<<<<< a\n=======\nx\n<<<<<<< c\n";
        assert!(err(reopened).contains("line 4: `<<<<<<<` opens a conflict block while the one opened at line 1 is never closed"));
    }

    #[test]
    fn short_runs_are_not_markers() {
        assert_eq!(parse("<<<<<< a\n"), Err(MarkerError::NoMarkers));
    }

    #[test]
    fn mixed_styles_have_no_base() {
        let t = "<<<<<<< a\nb\n||||||| o\nx\n=======\nc\n>>>>>>> d\n<<<<<<< a\ne\n=======\nf\n>>>>>>> d\n";
        let s = parse(t).unwrap();
        assert_eq!(s.blocks.len(), 2);
        assert!(s.base.is_none());
    }
}
