//! `nbdiff diff-driver`: git's external diff contract (`diff.nbdiff.command`).
//!
//! git calls the command with
//!
//! - 7 arguments: `path old-file old-hex old-mode new-file new-hex new-mode`;
//! - 9 for a rename or copy: the same plus `new-path` and git's header text
//!   (`similarity index …\nrename from …\nrename to …`);
//! - 1 for an unmerged path: just `path`.
//!
//! A side that does not exist (added or deleted file) is `/dev/null` with hex
//! and mode `.`. The driver must exit 0 whatever happens — a non-zero exit
//! aborts the user's `git diff` — so every problem becomes a line of output or
//! stderr, never an exit code.
//!
//! Files that are not notebooks (not JSON, not UTF-8, a symlink, a corrupt
//! revision) get a plain unified line diff, introduced by one line saying why.
//! Binary content gets git's `Binary files … differ`.

use super::header::FileHeader;
use crate::compare::{compare_with_header, Request, Side};
use crate::notebook::Notebook;
use std::ffi::OsString;
use std::io::{self, Write};
use std::path::Path;

/// One side of a pair to diff: a label and the bytes.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// How to name this side in the output (`a/path`).
    pub label: &'a str,
    /// The file content.
    pub bytes: &'a [u8],
}

/// Why the driver arguments could not be used.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// Not git's argument form.
    #[error("nbdiff diff-driver: expected 1, 7 or 9 arguments (git's GIT_EXTERNAL_DIFF form: path old-file old-hex old-mode new-file new-hex new-mode [new-path info]), got {count}; set it up with `nbdiff config-git --enable`")]
    Arguments {
        /// How many arguments arrived.
        count: usize,
    },
    /// A temporary file git gave us could not be read.
    #[error("nbdiff diff-driver: {path}: cannot read the {side} side: {source}")]
    Read {
        /// The file git passed.
        path: String,
        /// `old` or `new`.
        side: &'static str,
        /// The OS error.
        source: io::Error,
    },
}

/// Runs the driver on git's arguments. Problems with the arguments or the
/// files go to `err` (the caller still exits 0); the result is whether the
/// output could be written.
pub fn run(
    args: &[OsString],
    opts: &Request,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match run_inner(args, opts, out, err) {
        Ok(written) => written,
        Err(e) => {
            let _ = writeln!(err, "{e}");
            Ok(())
        }
    }
}

fn run_inner(
    args: &[OsString],
    opts: &Request,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<io::Result<()>, DriverError> {
    // Paths come from the repository; every writer of a path or header line
    // (FileHeader, unmerged, ignored, leftover) makes its controls visible.
    let lossy = |a: &OsString| a.to_string_lossy().into_owned();
    match args.len() {
        1 => Ok(super::unmerged::write(&lossy(&args[0]), out)),
        7 | 9 => {
            let path = lossy(&args[0]);
            let mut header = if args.len() == 9 {
                // git's header text: lines, each sanitised when written.
                FileHeader::from_git_info(&path, &lossy(&args[7]), &args[8].to_string_lossy())
            } else {
                FileHeader::same(&path)
            };
            let old = read_side(&args[1], &args[3], "old")?;
            let new = read_side(&args[4], &args[6], "new")?;
            if let Some(bytes) = &new {
                crate::merge::leftover::warn_bytes(header.path(), bytes, err);
            }
            let (old_mode, new_mode) = (lossy(&args[3]), lossy(&args[6]));
            match (&old, &new) {
                (None, Some(_)) => header.extended.push(format!("new file mode {new_mode}")),
                (Some(_), None) => header
                    .extended
                    .push(format!("deleted file mode {old_mode}")),
                _ if old_mode != new_mode => {
                    header.extended.push(format!("old mode {old_mode}"));
                    header.extended.push(format!("new mode {new_mode}"));
                }
                _ => {}
            }
            if let (Some(a), Some(b)) = (&old, &new) {
                if a == b {
                    return Ok(match header.is_notable() {
                        true => header.write(opts.render.color, out),
                        false => Ok(()),
                    });
                }
            }
            Ok(diff_paths(&header, old.as_deref(), new.as_deref(), opts, out).map(|_| ()))
        }
        count => Err(DriverError::Arguments { count }),
    }
}

fn read_side(
    file: &OsString,
    mode: &OsString,
    side: &'static str,
) -> Result<Option<Vec<u8>>, DriverError> {
    if mode == "." || file == "/dev/null" {
        return Ok(None);
    }
    crate::notebook::read_bounded(Path::new(file))
        .map(Some)
        .map_err(|source| DriverError::Read {
            path: file.to_string_lossy().into_owned(),
            side,
            source,
        })
}

/// Diffs the contents of a path on two sides (`None`: the side does not
/// exist), labelled `a/OLD_PATH` and `b/NEW_PATH` under git's `diff --git`
/// header. Returns whether the sides differ.
pub fn diff_paths(
    header: &FileHeader,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    opts: &Request,
    out: &mut dyn Write,
) -> io::Result<bool> {
    // The one place paths become labels: every later line shows them safely.
    let old_label = header.old_label();
    let new_label = header.new_label();
    diff_pair(
        old.map(|bytes| Input {
            label: &old_label,
            bytes,
        }),
        new.map(|bytes| Input {
            label: &new_label,
            bytes,
        }),
        Some(header),
        opts,
        out,
    )
}

/// Diffs two sides: a notebook diff when every present side is a notebook,
/// otherwise a line diff (or `Binary files … differ`) after a one-line note.
/// A notebook whose bytes changed but whose diff is empty gets one line
/// saying what nbdiff hid ([`super::ignored`]). Returns whether the sides
/// differ as shown (a rename counts; only ignored changes do not).
pub fn diff_pair(
    old: Option<Input<'_>>,
    new: Option<Input<'_>>,
    header: Option<&FileHeader>,
    opts: &Request,
    out: &mut dyn Write,
) -> io::Result<bool> {
    let parse = |side: Option<Input<'_>>| side.map(|s| Notebook::parse(s.bytes, s.label));
    let (mut old_nb, mut new_nb) = (parse(old), parse(new));
    let notable = header.is_some_and(FileHeader::is_notable);
    match (&mut old_nb, &mut new_nb) {
        (None | Some(Ok(_)), None | Some(Ok(_))) => {
            let o = old.zip(old_nb.as_mut().and_then(|r| r.as_mut().ok()));
            let n = new.zip(new_nb.as_mut().and_then(|r| r.as_mut().ok()));
            let differs = compare_with_header(
                o.map(|(i, notebook)| Side {
                    label: i.label,
                    notebook,
                }),
                n.map(|(i, notebook)| Side {
                    label: i.label,
                    notebook,
                }),
                header,
                opts,
                out,
                &mut |_| {},
            )?;
            if let (false, Some(a), Some(b)) = (differs, old, new) {
                let parsed = (
                    old_nb.as_ref().and_then(|r| r.as_ref().ok()),
                    new_nb.as_ref().and_then(|r| r.as_ref().ok()),
                );
                if let (true, (Some(x), Some(y))) = (a.bytes != b.bytes, parsed) {
                    let path = match header {
                        Some(h) => h.path().to_string(),
                        None => b.label.to_string(),
                    };
                    let kinds = super::ignored::hidden_kinds(x, y, &opts.diff);
                    super::ignored::write_note(&path, &kinds, out)?;
                }
            }
            Ok(differs || notable)
        }
        _ => {
            let reason = [old_nb, new_nb]
                .into_iter()
                .flatten()
                .find_map(Result::err)
                .map(|e| e.to_string())
                .unwrap_or_default();
            let reason = crate::render::sanitize::visible(&reason).into_owned();
            if let Some(h) = header {
                h.write(opts.render.color, out)?;
            }
            writeln!(out, "nbdiff: {reason}; showing a line diff")?;
            line_diff(old, new, opts.render.color, out)?;
            Ok(old.map(|s| s.bytes) != new.map(|s| s.bytes))
        }
    }
}

/// A plain unified line diff, or git's `Binary files … differ` line.
pub fn line_diff(
    old: Option<Input<'_>>,
    new: Option<Input<'_>>,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    let old_label = old.map_or("/dev/null", |s| s.label);
    let new_label = new.map_or("/dev/null", |s| s.label);
    let text = |side: Option<Input<'_>>| -> Option<String> {
        match side {
            None => Some(String::new()),
            Some(s) if is_binary(s.bytes) => None,
            Some(s) => std::str::from_utf8(s.bytes)
                .ok()
                .map(|t| crate::render::sanitize::visible_lines(t).into_owned()),
        }
    };
    match (text(old), text(new)) {
        (Some(a), Some(b)) => {
            crate::render::unified::render(&a, &b, old_label, new_label, color, out)
        }
        _ => writeln!(out, "Binary files {old_label} and {new_label} differ"),
    }
}

/// git's test: a NUL byte in the first 8000 bytes.
fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8000)]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_str(args: &[&str]) -> (String, String) {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        run(&args, &Request::default(), &mut out, &mut err).expect("write to a Vec");
        (
            String::from_utf8_lossy(&out).into(),
            String::from_utf8_lossy(&err).into(),
        )
    }

    #[test]
    fn wrong_argument_count_is_reported_not_fatal() {
        let (out, err) = run_str(&["a", "b"]);
        assert!(out.is_empty());
        assert!(err.contains("got 2"), "{err}");
    }

    #[test]
    fn unmerged_path() {
        assert!(run_str(&["x.ipynb"])
            .0
            .starts_with("* Unmerged path x.ipynb\n"));
    }

    #[test]
    fn invalid_notebook_falls_back_to_line_diff() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::fs::write(&a, "not json\n").expect("write");
        std::fs::write(&b, "still not json\n").expect("write");
        let (a, b) = (
            a.to_string_lossy().into_owned(),
            b.to_string_lossy().into_owned(),
        );
        let (out, err) = run_str(&["x.ipynb", &a, "1", "100644", &b, "2", "100644"]);
        assert!(err.is_empty(), "{err}");
        assert!(
            out.starts_with("diff --git a/x.ipynb b/x.ipynb\nnbdiff: a/x.ipynb: line 1"),
            "{out}"
        );
        assert!(out.contains("-not json\n+still not json\n"), "{out}");
    }

    #[test]
    fn new_side_with_a_conflict_record_is_warned_about_by_its_new_path() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let nb = |meta: &str| {
            format!(
                r#"{{"cells": [], "metadata": {{{meta}}}, "nbformat": 4, "nbformat_minor": 5}}"#
            )
        };
        std::fs::write(&a, nb("")).expect("write");
        std::fs::write(&b, nb(r#""nbdiff": {"conflicts": 1}"#)).expect("write");
        let (a, b) = (
            a.to_string_lossy().into_owned(),
            b.to_string_lossy().into_owned(),
        );
        let (_, err) = run_str(&["x.ipynb", &a, "1", "100644", &b, "2", "100644"]);
        assert!(err.contains("warning: x.ipynb still holds"), "{err}");
        let info = "similarity index 90%\nrename from x.ipynb\nrename to y.ipynb\n";
        let (_, err) = run_str(&[
            "x.ipynb", &a, "1", "100644", &b, "2", "100644", "y.ipynb", info,
        ]);
        assert!(err.contains("warning: y.ipynb still holds"), "{err}");
        let (_, err) = run_str(&["x.ipynb", &b, "1", "100644", "/dev/null", ".", "."]);
        assert!(err.is_empty(), "the old side is not warned about: {err}");
        // A path with an escape sequence: shown, never sent, in every line.
        let (out, err) = run_str(&["\x1b[2Jx.ipynb", &a, "1", "100644", &b, "2", "100644"]);
        assert!(
            out.starts_with("diff --git a/␛[2Jx.ipynb b/␛[2Jx.ipynb\n"),
            "{out}"
        );
        assert!(err.contains("warning: ␛[2Jx.ipynb still holds"), "{err}");
        assert!(!out.contains('\x1b') && !err.contains('\x1b'), "{out}{err}");
    }

    #[test]
    fn binary_content() {
        let mut out = Vec::new();
        let old = Input {
            label: "a/x",
            bytes: b"\0\x01",
        };
        line_diff(Some(old), None, false, &mut out).expect("write");
        assert_eq!(out, b"Binary files a/x and /dev/null differ\n");
    }
}
