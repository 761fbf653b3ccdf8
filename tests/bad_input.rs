//! Bad inputs: one clear line on stderr naming the file, exit 2, no panic.

use crate::diff_cli::bin;
use std::path::{Path, PathBuf};

fn bad(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/bad")
        .join(name)
}

fn good() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/identical/old.ipynb")
}

/// Runs `nbdiff GOOD BAD` and `nbdiff BAD GOOD`; returns the stderr line.
fn refuse(path: &Path, wanted: &str) -> String {
    let mut last = String::new();
    for args in [[good(), path.to_path_buf()], [path.to_path_buf(), good()]] {
        let o = bin().args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(o.stdout.is_empty());
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.contains(&path.display().to_string()),
            "names the file: {err}"
        );
        assert!(err.contains(wanted), "says {wanted:?}: {err}");
        assert!(!err.contains("panicked"));
        last = err;
    }
    last
}

#[test]
fn missing_file() {
    refuse(&bad("does-not-exist.ipynb"), "cannot read");
}

#[test]
fn directory() {
    refuse(&bad(""), "is a directory");
}

#[test]
fn empty_file() {
    refuse(&bad("empty.ipynb"), "empty");
}

#[test]
fn not_json_reports_line_and_column() {
    let err = refuse(&bad("not-json.ipynb"), "invalid JSON");
    assert!(err.contains("line ") && err.contains("column "), "{err}");
}

#[test]
fn truncated_json() {
    refuse(&bad("truncated.ipynb"), "invalid JSON");
}

#[test]
fn json_that_is_not_a_notebook() {
    refuse(&bad("not-notebook.ipynb"), "not a Jupyter notebook");
    refuse(&bad("array.ipynb"), "not a Jupyter notebook");
}

#[test]
fn unknown_nbformat_major() {
    refuse(&bad("unknown-major.ipynb"), "unsupported nbformat");
}

#[test]
fn non_utf8() {
    refuse(&bad("non-utf8.ipynb"), "not valid UTF-8");
}

#[test]
fn git_conflict_markers() {
    let err = refuse(&bad("conflict-markers.ipynb"), "conflict markers");
    assert!(
        err.contains("`nbdiff resolve`"),
        "points at the rescue: {err}"
    );
}

#[test]
fn enormous_single_line_is_read_or_refused_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(50 * 1024 * 1024);
    // Valid: a 50 MB one-line source diffs fine.
    let nb = |s: &str| {
        format!(
            "{{\"cells\": [{{\"cell_type\": \"code\", \"source\": \"{s}\", \"metadata\": {{}}, \"outputs\": [], \"execution_count\": null}}], \"metadata\": {{}}, \"nbformat\": 4, \"nbformat_minor\": 5}}"
        )
    };
    let a = dir.path().join("a.ipynb");
    let b = dir.path().join("b.ipynb");
    std::fs::write(&a, nb(&big)).unwrap();
    std::fs::write(&b, nb(&format!("{big}y"))).unwrap();
    let o = bin().args(["--stat"]).arg(&a).arg(&b).output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("source changed (1 cell)"));
    // Invalid: the same line, unterminated.
    let c = dir.path().join("c.ipynb");
    std::fs::write(&c, format!("{{\"cells\": [\"{big}")).unwrap();
    refuse(&c, "invalid JSON");
}

#[test]
fn revisions_outside_a_repository_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let o = bin()
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .env_remove("GIT_DIR")
        .args(["HEAD~1", "HEAD"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains("HEAD~1"), "names the argument: {err}");
    assert!(err.contains("not inside a git repository"), "{err}");
}
