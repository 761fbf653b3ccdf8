//! The exit codes of every `nbdiff` command, in one place.
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success: no differences (with `--exit-code`), differences shown, or a clean merge |
//! | 1 | differences found (only with `--exit-code`), a merge left conflicts, or `clean --check` found a notebook that would change |
//! | 2 | error: bad input (unreadable, not a notebook), bad usage, or I/O failure |
//!
//! The git diff driver always exits 0, as git requires.

/// The exit codes as `--help` states them.
pub const EXIT_HELP: &str =
    "Exit status: 0 success (no differences with --exit-code, or a clean merge); \
1 differences found with --exit-code, a merge left conflicts, or clean --check found a notebook \
that would change; 2 error (unreadable file, not a \
notebook, bad usage). diff-driver and show always exit 0, as git requires.";

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
