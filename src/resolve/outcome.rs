//! What `nbdiff resolve` did to each file, as a value, and its rendering.

use super::{BaseKind, Place};
use crate::exit::Exit;
use crate::render::sanitize::visible;
use std::io::{self, Write};

/// Where a merge's versions came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// The index stages of an unmerged path.
    Index,
    /// The conflict blocks of the file.
    Markers,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Merged and written.
    Written {
        /// Where the versions came from.
        from: From,
        /// Where the base came from.
        base: BaseKind,
        /// Conflicts left (0: clean).
        conflicts: usize,
        /// Where they are.
        places: Vec<Place>,
        /// Automatic resolutions.
        notes: Vec<String>,
        /// Staged with `git add` (`--add`, clean merges only).
        staged: bool,
    },
    /// Left as it was, still unresolved, for a reason that is not an error
    /// (a modify/delete conflict, a file already resolved by hand).
    Skipped(String),
    /// Left as it was because of an error (the message names the file).
    Failed(String),
}

/// One file's line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    /// The path as shown to the user.
    pub path: String,
    /// What happened.
    pub outcome: Outcome,
}

/// The exit code for a set of reports: 2 when one failed, 1 when conflicts
/// or unresolved files remain, 0 when everything merged cleanly.
pub fn exit_code(reports: &[FileReport]) -> Exit {
    let mut code = Exit::Ok;
    for r in reports {
        match &r.outcome {
            Outcome::Failed(_) => return Exit::Error,
            Outcome::Skipped(_) => code = Exit::Conflicts,
            Outcome::Written { conflicts, .. } if *conflicts > 0 => code = Exit::Conflicts,
            Outcome::Written { .. } => {}
        }
    }
    code
}

fn describe_base(from: From, base: BaseKind) -> &'static str {
    match (from, base) {
        (From::Index, BaseKind::Index) => "from the index stages",
        (From::Index, _) => {
            "from the index stages; added on both sides, so against their common cells"
        }
        (From::Markers, BaseKind::Diff3) => "from the conflict markers, with their base",
        (From::Markers, _) => "from the conflict markers, against the cells both sides share",
    }
}

fn describe_place(p: &Place) -> String {
    let what = p.what.join(", ");
    match p.cell {
        Some(n) => format!("cell {n} ({what})"),
        None => format!("notebook ({what})"),
    }
}

/// Writes one line per file (plus its notes, indented) to `out`; failures
/// go to `err`. Everything from the notebook is sanitized.
pub fn render(reports: &[FileReport], out: &mut dyn Write, err: &mut dyn Write) -> io::Result<()> {
    for r in reports {
        let path = visible(&r.path);
        match &r.outcome {
            Outcome::Written {
                from,
                base,
                conflicts,
                places,
                notes,
                staged,
            } => {
                let how = describe_base(*from, *base);
                if *conflicts == 0 {
                    let staged = if *staged { "; staged" } else { "" };
                    writeln!(out, "{path}: merged cleanly ({how}){staged}")?;
                } else {
                    let at: Vec<String> = places.iter().map(describe_place).collect();
                    let at = if at.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", at.join("; "))
                    };
                    writeln!(
                        out,
                        "{path}: {conflicts} conflict(s) left ({how}){}, each after a notice cell (search for <<<<<<<); in Jupyter keep one version of each and delete its notice cells, then `git add`",
                        visible(&at)
                    )?;
                }
                for note in notes {
                    writeln!(out, "  {}", visible(note))?;
                }
            }
            Outcome::Skipped(why) => writeln!(out, "{path}: not resolved: {}", visible(why))?,
            Outcome::Failed(message) => writeln!(err, "nbdiff resolve: {}", visible(message))?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts_are_listed_with_their_cells_and_controls_are_neutralised() {
        let reports = [FileReport {
            path: "a\x1b[31m.ipynb".into(),
            outcome: Outcome::Written {
                from: From::Markers,
                base: BaseKind::Common,
                conflicts: 2,
                places: vec![
                    Place {
                        cell: Some(3),
                        what: vec!["source".into()],
                    },
                    Place {
                        cell: None,
                        what: vec!["metadata/x".into()],
                    },
                ],
                notes: vec![],
                staged: false,
            },
        }];
        let (mut out, mut err) = (Vec::new(), Vec::new());
        render(&reports, &mut out, &mut err).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(!out.contains('\x1b'), "{out}");
        assert!(out.contains("2 conflict(s) left"), "{out}");
        assert!(
            out.contains("cell 3 (source); notebook (metadata/x)"),
            "{out}"
        );
        assert_eq!(exit_code(&reports), Exit::Conflicts);
    }

    #[test]
    fn a_failure_wins_the_exit_code() {
        let reports = [
            FileReport {
                path: "a".into(),
                outcome: Outcome::Skipped("x".into()),
            },
            FileReport {
                path: "b".into(),
                outcome: Outcome::Failed("b: bad".into()),
            },
        ];
        assert_eq!(exit_code(&reports), Exit::Error);
        assert_eq!(exit_code(&reports[..1]), Exit::Conflicts);
        assert_eq!(exit_code(&[]), Exit::Ok);
    }
}
