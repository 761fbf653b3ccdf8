//! Unmerged (conflicted) paths during a merge, rebase or cherry-pick: git
//! prints `* Unmerged path X` for them in `git diff --cached` (and an external
//! diff gets only the path). nbdiff does the same and says how to get out,
//! fitting the state the file and the repository are in.

use crate::render::sanitize::visible_name;
use std::io::{self, Write};

/// What is known of an unmerged notebook for its hint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum State {
    /// Nothing known: the hint names every way out.
    #[default]
    Unknown,
    /// The working file is a valid notebook (nbdiff's merge driver wrote
    /// it, or the user resolved it) that still holds conflicts.
    MarkedByDriver,
    /// The working file is a valid notebook with no conflict left.
    Resolved,
    /// The working file is not a notebook (git's line merge); whether
    /// nbdiff's merge driver is enabled in the repository.
    LineMerged {
        /// `merge.nbdiff.driver` is set.
        driver_enabled: bool,
    },
}

impl State {
    /// The state of the working file `bytes` (`None`: unreadable).
    pub fn of(bytes: Option<&[u8]>, name: &str, driver_enabled: bool) -> State {
        let Some(bytes) = bytes else {
            return State::Unknown;
        };
        match crate::notebook::Notebook::parse(bytes, name) {
            Ok(nb) if crate::merge::leftover::find(&nb).no_conflict() => State::Resolved,
            Ok(_) => State::MarkedByDriver,
            Err(_) => State::LineMerged { driver_enabled },
        }
    }
}

/// Writes git's `* Unmerged path X` and one indented line naming the way
/// out that fits `state`.
pub fn write_for(path: &str, state: State, out: &mut dyn Write) -> io::Result<()> {
    let quoted = super::config::shell_quote(path).into_owned();
    let (path, quoted) = (visible_name(path), visible_name(&quoted));
    writeln!(out, "* Unmerged path {path}")?;
    let hint = match state {
        State::Unknown => format!(
            "conflicted notebook: resolve it with `nbdiff resolve {quoted}`, or let git merge notebooks \
             with nbdiff's merge driver (`nbdiff config-git --enable`, then redo the merge); \
             `git add` it when done"
        ),
        State::MarkedByDriver => format!(
            "conflicted notebook, merged by nbdiff with conflicts left: open it in Jupyter, keep one \
             version of each conflict and delete its notice cells (`nbdiff show {quoted}` lists them), \
             then `git add {quoted}`"
        ),
        State::Resolved => format!(
            "conflicted notebook, already a valid notebook with no conflict left: `git add {quoted}`"
        ),
        State::LineMerged {
            driver_enabled: false,
        } => format!(
            "conflicted notebook, broken by git's line merge: rebuild it with `nbdiff resolve {quoted}`, \
             then `git add` it (`nbdiff config-git --enable` lets git merge notebooks with nbdiff next time)"
        ),
        State::LineMerged {
            driver_enabled: true,
        } => format!(
            "conflicted notebook, line-merged (nbdiff's merge driver could not merge it as notebooks; \
             see the merge's messages): rebuild it with `nbdiff resolve {quoted}`, then `git add` it"
        ),
    };
    writeln!(out, "  {hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(state: State) -> String {
        let mut out = Vec::new();
        write_for("a b.ipynb", state, &mut out).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn names_the_path_and_the_way_out() {
        let text = text(State::Unknown);
        assert!(text.starts_with("* Unmerged path a b.ipynb\n"), "{text}");
        assert!(text.contains("nbdiff resolve 'a b.ipynb'"), "{text}");
        assert!(text.contains("nbdiff config-git --enable"), "{text}");
    }

    #[test]
    fn the_hint_fits_the_state() {
        let marked = text(State::MarkedByDriver);
        assert!(
            !marked.contains("config-git") && !marked.contains("nbdiff resolve"),
            "{marked}"
        );
        assert!(
            marked.contains("Jupyter") && marked.contains("git add 'a b.ipynb'"),
            "{marked}"
        );
        let enabled = text(State::LineMerged {
            driver_enabled: true,
        });
        assert!(!enabled.contains("config-git"), "{enabled}");
        let disabled = text(State::LineMerged {
            driver_enabled: false,
        });
        assert!(disabled.contains("config-git --enable"), "{disabled}");
        assert!(text(State::Resolved).contains("no conflict left"));
    }

    #[test]
    fn a_driver_result_and_a_line_merge_are_told_apart() {
        let nb = br#"{"cells": [{"cell_type": "markdown", "id": "a", "metadata": {"nbdiff": {"marker": "versions", "conflict": 1}}, "source": "x"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        assert_eq!(State::of(Some(nb), "n", true), State::MarkedByDriver);
        let clean = br#"{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        assert_eq!(State::of(Some(clean), "n", true), State::Resolved);
        // A stale record (conflict 2: no notice, one holder) does not hide
        // conflict 1, which is still there (leftover counts exclude stale).
        let live_and_stale = br#"{"cells": [{"cell_type": "markdown", "id": "a", "metadata": {"nbdiff": {"marker": "versions", "conflict": 1}}, "source": "x"}, {"cell_type": "markdown", "id": "b", "metadata": {"nbdiff": {"conflicts": [{"kind": "source"}], "conflict": 2}}, "source": "y"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
        assert_eq!(
            State::of(Some(live_and_stale), "n", true),
            State::MarkedByDriver
        );
        let broken = b"{\n<<<<<<< HEAD\n";
        assert_eq!(
            State::of(Some(broken), "n", false),
            State::LineMerged {
                driver_enabled: false
            }
        );
    }
}
