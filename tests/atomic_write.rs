//! Every command that writes a user's file goes through the one atomic
//! writer (`nbdiff::write`): when the write fails, the message names the
//! file and what was being written, the exit code is 2, the file is left as
//! it was and no temporary file stays behind.
//!
//! The failure is made with a file-size limit of 0 (`ulimit -f 0`, with
//! SIGXFSZ ignored so the write returns EFBIG), which stops even root, while
//! the commands can still read their inputs and write to their pipes.
#![cfg(unix)]

use crate::git_util::nbdiff_exe;
use std::path::Path;
use std::process::{Command, Output};

fn fixture(rel: &str) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    std::fs::read(root.join(rel)).expect("fixture")
}

/// Runs nbdiff in `dir` with `args`, unable to write any file.
fn run_unable_to_write(dir: &Path, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 0; exec "$0" "$@""#)
        .arg(nbdiff_exe())
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("run nbdiff")
}

/// Asserts the one failure line and that `dir` holds exactly `files`.
fn assert_failed(out: &Output, want: &str, dir: &Path, files: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(want), "wanted {want:?} in: {err}");
    assert!(err.contains("(the file was left as it was)"), "{err}");
    assert!(
        !err.contains("merge result") || want.contains("merge result"),
        "{err}"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != ".git")
        .collect();
    names.sort();
    let mut files: Vec<String> = files.iter().map(|s| s.to_string()).collect();
    files.sort();
    assert_eq!(names, files, "a temporary file was left behind");
}

#[test]
fn clean_in_place_names_the_cleaned_notebook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let before = fixture("diff/cell-deleted/new.ipynb");
    std::fs::write(dir.path().join("a.ipynb"), &before).expect("write");
    let out = run_unable_to_write(dir.path(), &["clean", "--outputs", "strip", "a.ipynb"]);
    assert_failed(
        &out,
        "nbdiff clean: a.ipynb: cannot write the cleaned notebook: ",
        dir.path(),
        &["a.ipynb"],
    );
    assert_eq!(
        std::fs::read(dir.path().join("a.ipynb")).expect("read"),
        before
    );
}

#[test]
fn diff_output_file_names_the_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("old.ipynb"),
        fixture("diff/cell-deleted/old.ipynb"),
    )
    .expect("w");
    std::fs::write(
        dir.path().join("new.ipynb"),
        fixture("diff/cell-deleted/new.ipynb"),
    )
    .expect("w");
    std::fs::write(dir.path().join("out.html"), "kept").expect("w");
    let out = run_unable_to_write(
        dir.path(),
        &["--html", "old.ipynb", "new.ipynb", "-o", "out.html"],
    );
    assert_failed(
        &out,
        "nbdiff: out.html: cannot write the output: ",
        dir.path(),
        &["new.ipynb", "old.ipynb", "out.html"],
    );
    assert_eq!(
        std::fs::read(dir.path().join("out.html")).expect("read"),
        b"kept"
    );
}

#[test]
fn merge_output_file_names_the_merge_result() {
    let dir = tempfile::tempdir().expect("tempdir");
    for side in ["base", "local", "remote"] {
        let bytes = fixture(&format!("merge/rule-same-lines-conflict/{side}.ipynb"));
        std::fs::write(dir.path().join(format!("{side}.ipynb")), bytes).expect("write");
    }
    let out = run_unable_to_write(
        dir.path(),
        &[
            "merge",
            "base.ipynb",
            "local.ipynb",
            "remote.ipynb",
            "-o",
            "out.ipynb",
        ],
    );
    assert_failed(
        &out,
        "nbdiff: out.ipynb: cannot write the merge result: ",
        dir.path(),
        &["base.ipynb", "local.ipynb", "remote.ipynb"],
    );
}

#[test]
fn merge_driver_names_the_merge_result() {
    let dir = tempfile::tempdir().expect("tempdir");
    for side in ["base", "local", "remote"] {
        let bytes = fixture(&format!("merge/rule-same-lines-conflict/{side}.ipynb"));
        std::fs::write(dir.path().join(format!("{side}.ipynb")), bytes).expect("write");
    }
    let local = fixture("merge/rule-same-lines-conflict/local.ipynb");
    let out = run_unable_to_write(
        dir.path(),
        &[
            "merge-driver",
            "base.ipynb",
            "local.ipynb",
            "remote.ipynb",
            "7",
            "nb.ipynb",
        ],
    );
    assert_failed(
        &out,
        "nbdiff: local.ipynb: cannot write the merge result: ",
        dir.path(),
        &["base.ipynb", "local.ipynb", "remote.ipynb"],
    );
    assert_eq!(
        std::fs::read(dir.path().join("local.ipynb")).expect("read"),
        local
    );
}

#[test]
fn resolve_names_the_resolved_notebook() {
    let dir = tempfile::tempdir().expect("tempdir");
    let conflicted = fixture("resolve/default-crlf/conflicted.ipynb.txt");
    std::fs::write(dir.path().join("c.ipynb"), &conflicted).expect("write");
    let out = run_unable_to_write(dir.path(), &["resolve", "--force", "c.ipynb"]);
    assert_failed(
        &out,
        "nbdiff resolve: c.ipynb: cannot write the resolved notebook: ",
        dir.path(),
        &["c.ipynb"],
    );
    assert_eq!(
        std::fs::read(dir.path().join("c.ipynb")).expect("read"),
        conflicted
    );
}

/// `config-git` writes the attributes file through the one writer too: when
/// the write fails, the file keeps its lines (a plain write would have
/// truncated it first) and the message names it and what was being written.
#[test]
fn config_git_names_the_attributes_file_and_keeps_it() {
    let sb = crate::git_util::Sandbox::new();
    let repo = sb.repo("r");
    let attrs = sb.xdg().join("git/attributes");
    std::fs::create_dir_all(attrs.parent().expect("parent")).expect("mkdir");
    let on = sb.nbdiff(&repo, &["config-git", "--enable", "--global"]);
    assert!(on.status.success(), "{}", crate::git_util::stderr(&on));
    // The keys are in place; only the attribute line is to be written again.
    std::fs::write(&attrs, "*.bin binary\n").expect("write");
    let out = sb
        .cmd("sh", &repo)
        .arg("-c")
        .arg(r#"trap "" XFSZ; ulimit -f 0; exec "$0" "$@""#)
        .arg(nbdiff_exe())
        .args(["config-git", "--enable", "--global"])
        .output()
        .expect("run nbdiff");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    let want = format!("{}: cannot write the attributes file: ", attrs.display());
    assert!(err.contains(&want), "wanted {want:?} in: {err}");
    assert!(err.contains("(the file was left as it was)"), "{err}");
    assert_eq!(
        std::fs::read(&attrs).expect("read"),
        b"*.bin binary\n",
        "the attributes file keeps its lines"
    );
    let left: Vec<String> = std::fs::read_dir(attrs.parent().expect("parent"))
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["attributes"], "a temporary file was left behind");
}

/// Only `src/write.rs` writes files: no other module of the library writes,
/// renames or creates one itself (test code aside).
#[test]
fn only_the_one_writer_writes_files() {
    let writes = ["fs::write(", "fs::rename(", "File::create(", "fs::copy("];
    let mut found = Vec::new();
    for (path, text) in crate::settings::src_files() {
        // The writer itself; git's own tests of the line diff and merge
        // write their inputs for git (a test-only module).
        if path.ends_with("src/write.rs") || path.ends_with("text/git_tests.rs") {
            continue;
        }
        let code = crate::settings::before_test_module(&text);
        found.extend(
            code.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim_start().starts_with("//"))
                .filter(|(_, l)| writes.iter().any(|w| l.contains(w)))
                .map(|(i, l)| format!("{}:{}: {}", path.display(), i + 1, l.trim())),
        );
    }
    assert!(
        found.is_empty(),
        "write files through crate::write::write_atomic:\n{}",
        found.join("\n")
    );
}
