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

/// A notebook of `cells` code cells (about 1.5 KB each), the cell at
/// `edit` changed, as a JSON value.
fn many_cells(cells: usize, edit: usize) -> serde_json::Value {
    let cells: Vec<serde_json::Value> = (0..cells)
        .map(|i| {
            let mut lines: Vec<String> = (0..24)
                .map(|k| format!("x_{i}_{k} = {k} * 2  # é {}\n", "-".repeat(k * 24)))
                .collect();
            if i == edit {
                lines[3] = "changed = True\n".into();
            }
            serde_json::json!({
                "cell_type": "code",
                "execution_count": 1.50,
                "id": format!("c{i}"),
                "metadata": {},
                "outputs": [{"name": "stdout", "output_type": "stream", "text": ["ok\u{1b}\n"]}],
                "source": lines,
            })
        })
        .collect();
    serde_json::json!({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
}

#[test]
fn large_notebooks_read_cell_by_cell_diff_and_fail_as_when_read_whole() {
    // Pretty-printed files over 4 MB are read cell by cell; the same
    // notebooks on one line are read whole: the diffs must be the same.
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (many_cells(600, usize::MAX), many_cells(600, 170));
    let write = |name: &str, v: &serde_json::Value, pretty: bool| {
        let path = dir.path().join(name);
        let text = if pretty {
            serde_json::to_string_pretty(v).unwrap()
        } else {
            serde_json::to_string(v).unwrap()
        };
        std::fs::write(&path, text).unwrap();
        path
    };
    let (a, b) = (write("a.ipynb", &old, true), write("b.ipynb", &new, true));
    assert!(std::fs::metadata(&a).unwrap().len() > 4 << 20);
    let (a1, b1) = (
        write("a1.ipynb", &old, false),
        write("b1.ipynb", &new, false),
    );
    let streamed = bin().arg(&a).arg(&b).output().unwrap();
    let whole = bin().arg(&a1).arg(&b1).output().unwrap();
    assert_eq!(streamed.status.code(), Some(0));
    let text = String::from_utf8_lossy(&streamed.stdout);
    assert!(text.contains("changed = True"), "{text}");
    assert_eq!(
        text.replace("a.ipynb", "a1.ipynb")
            .replace("b.ipynb", "b1.ipynb"),
        String::from_utf8_lossy(&whole.stdout)
    );
    // A bad cell deep in a large file: the error names the file and the cell.
    let mut bad = new.clone();
    bad["cells"][450]["outputs"] = serde_json::json!([1]);
    let c = write("c.ipynb", &bad, true);
    let err = refuse(&c, "cell 451: \"outputs\" must be a list of objects");
    assert!(!err.contains("panicked"));
    // Invalid JSON in the middle of a cell: line and column as for a whole read.
    let text = std::fs::read_to_string(&b).unwrap();
    let at = text.find("changed = True").unwrap();
    let broken = format!("{}{}", &text[..at - 1], &text[at..]);
    std::fs::write(&c, &broken).unwrap();
    let line = broken[..at].matches('\n').count() + 1;
    refuse(&c, &format!("line {line}, column"));
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
