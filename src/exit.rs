//! The exit codes of every `nbdiff` command, in one place.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success: no differences (with `--exit-code`), differences shown, or a clean merge |
//! | 1 | differences found (only with `--exit-code`), a merge or `resolve` left conflicts, `check` found problems, or `clean --check` found a notebook that would change |
//! | 2 | error: bad input (unreadable, not a notebook), bad usage, or I/O failure |
//!
//! The git diff driver exits 0 on any input, as git requires (2 only when its
//! output cannot be written); `show` exits 0 on any readable file, 2 when it
//! cannot read it. A closed pipe is never an error ([`after_write`]).

/// The exit codes as `--help` states them.
pub const EXIT_HELP: &str =
    "Exit status: 0 success (no differences with --exit-code, or a clean merge); \
1 differences found with --exit-code, a merge or resolve left conflicts, check found problems, \
or clean --check found a notebook that would change; 2 error (unreadable file, not a \
notebook, bad usage, output that cannot be written). diff-driver exits 0 on any input, as git \
requires; show exits 0 on any readable file and 2 when it cannot read it.";

/// A process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Success (no differences with `--exit-code`, or a clean merge).
    Ok,
    /// Differences found with `--exit-code`; `clean --check`: a notebook would change.
    Differences,
    /// The merge left conflicts (marked in a still-valid notebook).
    Conflicts,
    /// Bad input, bad usage or I/O failure.
    Error,
}

impl Exit {
    /// The numeric code.
    pub fn code(self) -> i32 {
        match self {
            Exit::Ok => 0,
            Exit::Differences | Exit::Conflicts => 1,
            Exit::Error => 2,
        }
    }
}

/// The exit code once a command's output is written: `code` when the write
/// succeeded or the reader went away (a closed pipe, `nbdiff … | head`, is
/// not an error); otherwise [`Exit::Error`] after one line on `err` (a full
/// disk, `> /dev/full`, an I/O error must never pass as success).
pub fn after_write(written: std::io::Result<()>, code: Exit, err: &mut dyn std::io::Write) -> Exit {
    match written {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            let _ = writeln!(err, "nbdiff: cannot write output: {e}");
            Exit::Error
        }
    }
}
