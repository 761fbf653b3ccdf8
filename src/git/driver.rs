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
use crate::clean::process::CleanerFor;
use crate::compare::{compare_with_header, Request, Side, Sink};
use crate::notebook::Notebook;
use crate::render::{DiffFormat, PairFormat};
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
    cleaner_for: &CleanerFor,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<()> {
    match run_inner(args, opts, cleaner_for, out, err) {
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
    cleaner_for: &CleanerFor,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<io::Result<()>, DriverError> {
    // Paths come from the repository; every writer of a path or header line
    // (FileHeader, unmerged, ignored, leftover) makes its controls visible.
    let lossy = |a: &OsString| a.to_string_lossy().into_owned();
    match args.len() {
        1 => {
            // git runs an external diff at the top of the working tree.
            let state = gix::discover(".").ok().map(|repo| {
                let file = Path::new(&args[0]);
                super::revs::unmerged_file_state(&repo, Some(file), &lossy(&args[0]))
            });
            Ok(super::unmerged::write_for(
                &lossy(&args[0]),
                state.unwrap_or_default(),
                out,
            ))
        }
        7 | 9 => {
            let path = lossy(&args[0]);
            let mut header = if args.len() == 9 {
                // git's header text: lines, each sanitised when written.
                FileHeader::from_git_info(&path, &lossy(&args[7]), &args[8].to_string_lossy())
            } else {
                FileHeader::same(&path)
            };
            let mut repo = RepoOnce::default();
            let new_path = if args.len() == 9 { &args[7] } else { &args[0] };
            // git runs the driver at the top of the working tree: the
            // notebook's folder's settings, as the filter cleans it.
            let folder = crate::clean::dir_of(Path::new(new_path));
            let opts = &*opts.in_folder(&folder, err);
            let old = read_side(
                [&args[0], &args[1], &args[2], &args[3]],
                "old",
                &mut repo,
                cleaner_for,
                err,
            )?;
            let new = read_side(
                [new_path, &args[4], &args[5], &args[6]],
                "new",
                &mut repo,
                cleaner_for,
                err,
            )?;
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
            // git's external diff: the terminal diff, pair by pair.
            let mut sink = Sink::Pairs(PairFormat::Diff(DiffFormat::Terminal), out);
            Ok(diff_paths(&header, old.as_deref(), new.as_deref(), opts, &mut sink).map(|_| ()))
        }
        count => Err(DriverError::Arguments { count }),
    }
}

/// The repository the driver runs in, opened the first time it is needed.
#[derive(Default)]
struct RepoOnce {
    repo: Option<Option<gix::Repository>>,
}

impl RepoOnce {
    fn get(&mut self) -> Option<&gix::Repository> {
        self.repo
            .get_or_insert_with(|| gix::discover_with_environment_overrides(".").ok())
            .as_ref()
    }
}

/// One side's content as git names it: `[path, file, hex, mode]`.
///
/// git may hand over a file in the working tree for a side it names by a
/// blob's hash (`git diff --cached` does when the file is up to date in the
/// index), but with a clean filter the file is not that blob: the file is
/// checked against the hash and the blob read when they differ. A side with
/// the null hash *is* the working tree: under the `filter=nbdiff` attribute it
/// is cleaned as git compares it ([`super::worktree`]).
fn read_side(
    [path, file, hex, mode]: [&OsString; 4],
    side: &'static str,
    repo: &mut RepoOnce,
    cleaner_for: &CleanerFor,
    err: &mut dyn Write,
) -> Result<Option<Vec<u8>>, DriverError> {
    if mode == "." || file == "/dev/null" {
        return Ok(None);
    }
    let bytes =
        crate::notebook::read_bounded(Path::new(file)).map_err(|source| DriverError::Read {
            path: file.to_string_lossy().into_owned(),
            side,
            source,
        })?;
    let hex = hex.to_string_lossy();
    let path = gix::path::os_str_into_bstr(path).ok();
    if hex.bytes().all(|b| b == b'0') {
        // The working tree.
        let (Some(path), Some(repo)) = (path, repo.get()) else {
            return Ok(Some(bytes));
        };
        let mut as_git_sees = super::worktree::AsGitSees::new(repo, &[path], cleaner_for);
        return Ok(Some(as_git_sees.apply(path, bytes, err)));
    }
    let Ok(id) = gix::ObjectId::from_hex(hex.as_bytes()) else {
        return Ok(Some(bytes));
    };
    let hashed = gix::objs::compute_hash(id.kind(), gix::objs::Kind::Blob, &bytes).ok();
    if hashed == Some(id) {
        return Ok(Some(bytes));
    }
    let blob = repo.get().map(|r| super::read_blob(r, id));
    match blob {
        Some(Ok(data)) => Ok(Some(data)),
        failed => {
            let why = match failed {
                Some(Err(e)) => e,
                _ => "not inside its repository".to_string(),
            };
            let _ = writeln!(
                err,
                "nbdiff diff-driver: {}: the file git passed is not blob {hex} and the blob cannot be read ({}); showing the file",
                crate::render::sanitize::visible_name(&file.to_string_lossy()),
                crate::render::sanitize::visible(&why)
            );
            Ok(Some(bytes))
        }
    }
}

/// Diffs the contents of a path on two sides (`None`: the side does not
/// exist), labelled `a/OLD_PATH` and `b/NEW_PATH` under git's `diff --git`
/// header. Returns whether the sides differ.
pub fn diff_paths(
    header: &FileHeader,
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    opts: &Request,
    sink: &mut Sink<'_>,
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
        sink,
    )
}

/// Diffs two sides: a notebook diff when every present side is a notebook,
/// otherwise a line diff (or `Binary files … differ`) after a one-line note.
/// A notebook whose bytes changed but whose diff is empty gets one line
/// saying what nbdiff hid ([`crate::render::hidden_only`]). Returns whether the sides
/// differ as shown (a rename counts; only ignored changes do not).
pub fn diff_pair(
    old: Option<Input<'_>>,
    new: Option<Input<'_>>,
    header: Option<&FileHeader>,
    opts: &Request,
    sink: &mut Sink<'_>,
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
                sink,
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
                    let kinds = crate::render::hidden_only::hidden_kinds(x, y, &opts.diff);
                    match sink {
                        // Notable headers were added to the report already.
                        Sink::Report(report) if !notable => report.add_other(
                            &crate::render::review::display_name(a.label, b.label),
                            &crate::render::hidden_only::verdict(&kinds),
                            None,
                        ),
                        Sink::Report(_) => {}
                        Sink::Pairs(_, out) => {
                            crate::render::hidden_only::write_note(&path, &kinds, *out)?
                        }
                    }
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
            let differs = old.map(|s| s.bytes) != new.map(|s| s.bytes);
            // In a report or `--stat`, the file is listed like every other
            // notebook: one verdict line (and, in a report, the lines).
            let listed = || -> io::Result<(String, String, String)> {
                let mut lines = Vec::new();
                line_diff(old, new, false, &mut lines)?;
                let lines = String::from_utf8_lossy(&lines).into_owned();
                let verdict = line_diff_verdict(&reason, &lines);
                let name = crate::render::review::display_name(
                    old.map_or("/dev/null", |s| s.label),
                    new.map_or("/dev/null", |s| s.label),
                );
                Ok((name, verdict, lines))
            };
            let out: &mut dyn Write = match sink {
                Sink::Report(report) => {
                    let (name, verdict, lines) = listed()?;
                    report.add_other(&name, &verdict, Some(&lines));
                    return Ok(differs);
                }
                Sink::Pairs(PairFormat::Diff(DiffFormat::StatCells), out) => {
                    let (name, verdict, _) = listed()?;
                    let title = header.map_or(name.as_str(), FileHeader::path);
                    writeln!(out, "{}", crate::render::sanitize::visible_name(title))?;
                    writeln!(out, " {verdict}")?;
                    return Ok(differs);
                }
                Sink::Pairs(_, out) => *out,
            };
            if let Some(h) = header {
                h.write(opts.render.color, out)?;
            }
            writeln!(out, "nbdiff: {reason}; showing a line diff")?;
            let mut plain = Vec::new();
            line_diff(old, new, false, &mut plain)?;
            let verdict = line_diff_verdict(&reason, &String::from_utf8_lossy(&plain));
            writeln!(out, "summary: {verdict}")?;
            if opts.render.color {
                line_diff(old, new, true, out)?;
            } else {
                out.write_all(&plain)?;
            }
            Ok(differs)
        }
    }
}

/// The verdict for a file shown as a line diff: why, and how many lines
/// changed (from the unified diff `lines`).
pub fn line_diff_verdict(reason: &str, lines: &str) -> String {
    let (mut add, mut del) = (0, 0);
    for l in lines.lines() {
        if l.starts_with('+') && !l.starts_with("+++ ") {
            add += 1;
        } else if l.starts_with('-') && !l.starts_with("--- ") {
            del += 1;
        }
    }
    crate::diff::Verdict::NotParsed {
        reason: reason.to_string(),
        lines: (!lines.starts_with("Binary files")).then_some((add, del)),
    }
    .to_string()
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
        let unconfigured = |_: &Path| -> Result<crate::clean::Cleaner, String> {
            Ok(crate::clean::Cleaner::with_defaults(Default::default()))
        };
        run(
            &args,
            &Request::default(),
            &unconfigured,
            &mut out,
            &mut err,
        )
        .expect("write to a Vec");
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
    fn a_file_that_is_not_the_blob_git_names_is_said_and_shown() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::write(&a, "old\n").expect("write");
        std::fs::write(&b, "new\n").expect("write");
        let (a, b) = (
            a.to_string_lossy().into_owned(),
            b.to_string_lossy().into_owned(),
        );
        // `old\n` is blob 3367afdb…; the new side names a blob nobody has.
        let old_hex = "3367afdbbf91e638efe983616377c60477cc6612";
        let missing = "0123456789abcdef0123456789abcdef01234567";
        let (out, err) = run_str(&["x.txt", &a, old_hex, "100644", &b, missing, "100644"]);
        assert!(!err.contains(&a), "the old file is that blob: {err}");
        assert!(
            err.contains("is not blob 0123456789abcdef") && err.contains("showing the file"),
            "{err}"
        );
        assert!(out.contains("-old\n+new\n"), "{out}");
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
