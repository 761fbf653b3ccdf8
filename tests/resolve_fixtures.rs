//! `nbdiff resolve` on files saved with git's conflict markers, from fixture
//! folders: `fixtures/resolve/<case>/conflicted.ipynb.txt` (made by `git
//! merge-file` from the merge fixtures, see `fixtures/resolve/README.md`),
//! `expected-exit`, and either `expected.ipynb` (the rescued notebook) or
//! `expected-error` (a piece of the refusal; the file must stay untouched).
//! `same-as-merge` holds `nbdiff merge` arguments whose output the rescue
//! must equal. Adding a case is adding a folder.

use crate::git_util::nbdiff_exe;
use nbdiff::notebook::Notebook;
use nbdiff::resolve::{lost_lines, markers};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/resolve")
}

fn cases() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root())
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    out.retain(|p| p.join("conflicted.ipynb.txt").is_file());
    out.sort();
    out
}

/// `nbdiff resolve ARGS` in `dir`, which is outside any repository.
fn resolve(dir: &Path, args: &[&str]) -> Output {
    Command::new(nbdiff_exe())
        .current_dir(dir)
        .env("GIT_CEILING_DIRECTORIES", dir.parent().expect("parent"))
        // No user or system git config (merge.conflictStyle) leaks in.
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("NBDIFF_MERGE_OUTPUTS")
        .env_remove("NBDIFF_MERGE_CONFLICTS")
        .arg("resolve")
        .args(args)
        .output()
        .expect("run nbdiff")
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

#[test]
fn resolve_fixture_cases() {
    let cases = cases();
    assert!(
        cases.len() >= 15,
        "fixtures/resolve has {} cases",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let input = std::fs::read(case.join("conflicted.ipynb.txt")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("nb.ipynb");
        std::fs::write(&file, &input).unwrap();
        let out = resolve(tmp.path(), &["--force", "nb.ipynb"]);
        let code = out.status.code();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let want: i32 = read(&case.join("expected-exit"))
            .trim()
            .parse()
            .unwrap_or(0);
        if code != Some(want) {
            failures.push(format!("{name}: exit {code:?}, expected {want}: {stderr}"));
            continue;
        }
        let now = std::fs::read(&file).unwrap();
        if case.join("expected-error").exists() {
            let piece = read(&case.join("expected-error"));
            if !stderr.contains(piece.trim()) || !stderr.contains("nb.ipynb") {
                failures.push(format!(
                    "{name}: stderr lacks {piece:?} or the file name: {stderr}"
                ));
            }
            if now != input {
                failures.push(format!("{name}: a refused file was modified"));
            }
            assert!(!stderr.contains("panicked"), "{name}: {stderr}");
            continue;
        }
        let expected = std::fs::read(case.join("expected.ipynb")).unwrap();
        if now != expected {
            failures.push(format!(
                "{name}: output differs from expected.ipynb (regenerate with fixtures/resolve/make.sh and review)"
            ));
        }
        // Properties that hold whatever the golden file says.
        let text = String::from_utf8(input.clone()).unwrap();
        let split = markers::parse(&text).unwrap();
        let local = Notebook::parse(split.local.text.as_bytes(), "local").unwrap();
        let remote = Notebook::parse(split.remote.text.as_bytes(), "remote").unwrap();
        if String::from_utf8_lossy(&now).contains("\\u0000") {
            failures.push(format!(
                "{name}: the base's placeholder line leaked into the result"
            ));
        }
        match Notebook::parse(&now, "result") {
            Ok(result) => {
                assert_eq!(result.major, local.major, "{name}: nbformat version kept");
                let lost = lost_lines(&local, &remote, &result);
                if lost > 0 {
                    failures.push(format!(
                        "{name}: {lost} line(s) both versions have were lost"
                    ));
                }
            }
            Err(e) => failures.push(format!("{name}: result is not a notebook: {e}")),
        }
        let same = case.join("same-as-merge");
        if same.exists() {
            let args: Vec<String> = read(&same).split_whitespace().map(str::to_string).collect();
            let merged = Command::new(nbdiff_exe())
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .arg("merge")
                .args(&args)
                .output()
                .unwrap();
            if merged.stdout != now {
                failures.push(format!(
                    "{name}: differs from `nbdiff merge {}`",
                    args.join(" ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_file_git_does_not_list_as_unmerged_is_only_rewritten_with_force() {
    let case = root().join("default-same-lines");
    let input = std::fs::read(case.join("conflicted.ipynb.txt")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("nb.ipynb"), &input).unwrap();
    let out = resolve(tmp.path(), &["nb.ipynb"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--force") && err.contains("line "), "{err}");
    assert_eq!(std::fs::read(tmp.path().join("nb.ipynb")).unwrap(), input);
}

#[test]
fn a_valid_notebook_with_marker_text_in_its_strings_is_left_alone() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/merge/marker-like-markdown");
    let input = std::fs::read(case.join("expected.ipynb")).unwrap();
    assert!(String::from_utf8_lossy(&input).contains("<<<<<<<"));
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("nb.ipynb"), &input).unwrap();
    let out = resolve(tmp.path(), &["--force", "nb.ipynb"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("nothing to resolve"), "{err}");
    assert_eq!(std::fs::read(tmp.path().join("nb.ipynb")).unwrap(), input);
}

#[test]
fn without_paths_outside_a_repository_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let out = resolve(tmp.path(), &[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("not inside a git repository"), "{err}");
}

#[test]
fn a_file_with_markers_that_is_not_utf8_is_refused_with_its_line_and_left_untouched() {
    let input = b"[\n<<<<<<< a\n1\n=======\n\"\xff\"\n>>>>>>> b\n]\n".to_vec();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("nb.ipynb"), &input).unwrap();
    let out = resolve(tmp.path(), &["--force", "nb.ipynb"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("nb.ipynb: line 5: the remote version") && err.contains("not valid UTF-8"),
        "{err}"
    );
    assert_eq!(std::fs::read(tmp.path().join("nb.ipynb")).unwrap(), input);
}
