//! `nbdiff --html --open` (alias `nbdiff --web`): the report written to a
//! file that outlives the process, then handed to the user's browser.
//!
//! The file is `-o FILE` when given, else a new `nbdiff-*.html` in the
//! system's temporary directory, created by `tempfile` (unique name, mode
//! 0600 on Unix) and kept: the browser reads it after nbdiff has exited.
//! The browser is the first of these that starts: each command listed in
//! `$BROWSER` (separated by `:`, `;` on Windows; `%s` stands for the file,
//! else the file is the last argument), then the platform's opener
//! (`xdg-open`, `open` on macOS, `explorer` on Windows). Commands are
//! started directly, never through a shell, with the words of `$BROWSER`
//! split on whitespace. When none starts, the report's path is printed on
//! stdout and the command still succeeds: the report is there to open.

use super::DiffArgs;
use crate::exit::Exit;
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// True when the arguments ask for the report to be opened.
pub fn wanted(args: &DiffArgs) -> bool {
    args.open || args.web
}

/// Runs the diff as an HTML report into a kept file and opens it.
pub fn run(
    args: &DiffArgs,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let html = DiffArgs {
        html: true,
        open: false,
        web: false,
        ..args.clone()
    };
    let path = match &args.out_file {
        Some(path) => {
            let code = super::diff::run_diff(&html, false, env, out, err);
            if code == Exit::Error {
                return code;
            }
            return open_report(path, code, env, out, err);
        }
        None => match kept_temp_file() {
            Ok(path) => path,
            Err(e) => {
                let _ = writeln!(
                    err,
                    "nbdiff: cannot create the report file in {}: {e}",
                    std::env::temp_dir().display()
                );
                return Exit::Error;
            }
        },
    };
    let html = DiffArgs {
        out_file: Some(path.clone()),
        ..html
    };
    let code = super::diff::run_diff(&html, false, env, out, err);
    if code == Exit::Error {
        // Nothing to open: the empty file goes.
        let _ = std::fs::remove_file(&path);
        return code;
    }
    open_report(&path, code, env, out, err)
}

/// An empty `nbdiff-XXXX.html` in the temporary directory, kept on disk.
fn kept_temp_file() -> std::io::Result<PathBuf> {
    let file = tempfile::Builder::new()
        .prefix("nbdiff-")
        .suffix(".html")
        .tempfile()?;
    let (_, path) = file.keep().map_err(|e| e.error)?;
    Ok(path)
}

fn open_report(
    path: &Path,
    code: Exit,
    env: &dyn Fn(&str) -> Option<String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    // The browser gets an absolute path: it may not share our directory.
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match open_with_browser(&path, env) {
        Some(how) => {
            let _ = writeln!(err, "nbdiff: opened {} with {how}", path.display());
        }
        None => {
            let _ = writeln!(
                err,
                "nbdiff: no browser could be started ($BROWSER, or the platform's opener); \
                 the report is at:"
            );
            let _ = writeln!(out, "{}", path.display());
        }
    }
    code
}

/// Tries each candidate; returns the name of the one that started.
fn open_with_browser(path: &Path, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let sep = if cfg!(windows) { ';' } else { ':' };
    if let Some(list) = env("BROWSER") {
        for entry in list.split(sep) {
            let words: Vec<&str> = entry.split_whitespace().collect();
            let Some((program, rest)) = words.split_first() else {
                continue;
            };
            let mut args: Vec<OsString> = Vec::new();
            let mut placed = false;
            for w in rest {
                if let Some((before, after)) = w.split_once("%s") {
                    // `%s` or `--url=%s`: the path in its place.
                    let mut a = OsString::from(before);
                    a.push(path.as_os_str());
                    a.push(after);
                    args.push(a);
                    placed = true;
                } else {
                    args.push(w.into());
                }
            }
            if !placed {
                args.push(path.as_os_str().to_owned());
            }
            // A browser may run until its window closes: started, not awaited.
            if spawn(program, &args).is_ok() {
                return Some(format!("$BROWSER ({program})"));
            }
        }
    }
    let (opener, wait) = if cfg!(target_os = "macos") {
        ("open", true)
    } else if cfg!(windows) {
        // explorer's exit status says nothing about success.
        ("explorer", false)
    } else {
        ("xdg-open", true)
    };
    let args = [path.as_os_str().to_owned()];
    let mut child = spawn(opener, &args).ok()?;
    if wait {
        // The opener hands the file over and exits: its status is the answer.
        let status = child.wait().ok()?;
        if !status.success() {
            return None;
        }
    }
    Some(opener.to_string())
}

fn spawn(program: &str, args: &[OsString]) -> std::io::Result<std::process::Child> {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
}
