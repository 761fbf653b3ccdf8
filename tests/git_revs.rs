//! `nbdiff [--cached] [REV [REV]] [-- PATH…]` on real repositories.

use crate::git_util::{notebook, stderr, stdout, Sandbox};
use std::path::PathBuf;

/// Two commits changing `dir/ünï cödé/my nb.ipynb` and `top.ipynb`, plus a text file.
fn history(sb: &Sandbox) -> (PathBuf, PathBuf) {
    let repo = sb.repo("r");
    let deep = repo.join("dir/ünï cödé");
    std::fs::create_dir_all(&deep).expect("mkdir");
    std::fs::write(deep.join("my nb.ipynb"), notebook(&["a = 1"], 1)).expect("write");
    std::fs::write(repo.join("top.ipynb"), notebook(&["t = 1"], 1)).expect("write");
    std::fs::write(repo.join("data.txt"), "1\n").expect("write");
    sb.commit_all(&repo, "one");
    std::fs::write(deep.join("my nb.ipynb"), notebook(&["a = 2"], 2)).expect("write");
    std::fs::write(repo.join("top.ipynb"), notebook(&["t = 2"], 2)).expect("write");
    std::fs::write(repo.join("data.txt"), "2\n").expect("write");
    sb.commit_all(&repo, "two");
    (repo, deep)
}

#[test]
fn between_commits_from_a_subdirectory_with_spaces_and_unicode() {
    let sb = Sandbox::new();
    let (repo, deep) = history(&sb);
    let out = sb.nbdiff(&deep, &["HEAD~1", "HEAD"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("a/dir/ünï cödé/my nb.ipynb"), "{text}");
    assert!(text.contains("-a = 1\n+a = 2\n"), "{text}");
    assert!(
        text.contains("-t = 1\n+t = 2\n"),
        "the whole repository, like git diff: {text}"
    );
    assert!(!text.contains("data.txt"), "only notebooks: {text}");

    // A pathspec relative to the subdirectory.
    let limited = stdout(&sb.nbdiff(&deep, &["HEAD~1", "HEAD", "--", "my nb.ipynb"]));
    assert!(limited.contains("+a = 2"), "{limited}");
    assert!(!limited.contains("t = 2"), "{limited}");
    // An existing path without `--`, and A..B.
    let by_path = stdout(&sb.nbdiff(&repo, &["HEAD~1..HEAD", "top.ipynb"]));
    assert!(
        by_path.contains("+t = 2") && !by_path.contains("a = 2"),
        "{by_path}"
    );
}

#[test]
fn worktree_index_and_cached() {
    let sb = Sandbox::new();
    let (repo, _) = history(&sb);
    std::fs::write(repo.join("top.ipynb"), notebook(&["t = 3"], 3)).expect("write");
    sb.git(&repo, &["add", "top.ipynb"]);
    std::fs::write(repo.join("top.ipynb"), notebook(&["t = 4"], 4)).expect("write");

    let unstaged = stdout(&sb.nbdiff(&repo, &[]));
    assert!(unstaged.contains("-t = 3\n+t = 4\n"), "{unstaged}");
    let staged = stdout(&sb.nbdiff(&repo, &["--cached"]));
    assert!(staged.contains("-t = 2\n+t = 3\n"), "{staged}");
    let vs_head = stdout(&sb.nbdiff(&repo, &["HEAD"]));
    assert!(vs_head.contains("-t = 2\n+t = 4\n"), "{vs_head}");
    let staged_vs_old = stdout(&sb.nbdiff(&repo, &["--cached", "HEAD~1"]));
    assert!(
        staged_vs_old.contains("-t = 1\n+t = 3\n"),
        "{staged_vs_old}"
    );

    // --exit-code: 1 with differences, 0 without.
    assert_eq!(sb.nbdiff(&repo, &["--exit-code"]).status.code(), Some(1));
    sb.git(&repo, &["checkout", "--", "top.ipynb"]);
    let clean = sb.nbdiff(&repo, &["--exit-code"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    assert!(clean.stdout.is_empty());
}

#[test]
fn added_and_deleted_in_the_working_tree() {
    let sb = Sandbox::new();
    let (repo, _) = history(&sb);
    std::fs::remove_file(repo.join("top.ipynb")).expect("rm");
    std::fs::write(repo.join("untracked.ipynb"), notebook(&["u"], 1)).expect("write");
    let text = stdout(&sb.nbdiff(&repo, &["HEAD"]));
    assert!(text.contains("-t = 2"), "{text}");
    assert!(
        !text.contains("untracked"),
        "untracked files are not shown, like git diff: {text}"
    );
}

#[test]
fn bare_repository_and_linked_worktree() {
    let sb = Sandbox::new();
    let (repo, _) = history(&sb);
    let bare = sb.path().join("bare.git");
    sb.git(
        sb.path(),
        &[
            "clone",
            "-q",
            "--bare",
            repo.to_str().expect("utf-8"),
            bare.to_str().expect("utf-8"),
        ],
    );
    let out = sb.nbdiff(&bare, &["HEAD~1", "HEAD"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("+t = 2"), "{}", stdout(&out));
    let no_worktree = sb.nbdiff(&bare, &[]);
    assert_eq!(no_worktree.status.code(), Some(2));
    assert!(
        stderr(&no_worktree).contains("bare repository"),
        "{}",
        stderr(&no_worktree)
    );

    let wt = sb.path().join("linked wt");
    sb.git(
        &repo,
        &[
            "worktree",
            "add",
            "-q",
            wt.to_str().expect("utf-8"),
            "HEAD~1",
        ],
    );
    std::fs::write(wt.join("top.ipynb"), notebook(&["t = 9"], 1)).expect("write");
    let in_wt = stdout(&sb.nbdiff(&wt, &[]));
    assert!(in_wt.contains("-t = 1\n+t = 9\n"), "{in_wt}");
}

#[test]
fn two_existing_files_are_a_file_diff_and_bad_arguments_are_explained() {
    let sb = Sandbox::new();
    let (repo, _) = history(&sb);
    std::fs::write(repo.join("other.ipynb"), notebook(&["t = 5"], 1)).expect("write");
    let files = stdout(&sb.nbdiff(&repo, &["top.ipynb", "other.ipynb"]));
    assert!(files.contains("-t = 2\n+t = 5\n"), "{files}");
    let bad = sb.nbdiff(&repo, &["no-such-rev"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("neither a revision nor an existing path"),
        "{}",
        stderr(&bad)
    );
    let outside = sb.nbdiff(sb.path(), &["HEAD"]);
    assert_eq!(outside.status.code(), Some(2));
}

/// A tracked notebook replaced by a FIFO in the working tree: `nbdiff` says
/// it cannot read it instead of waiting forever for a writer.
#[test]
fn a_tracked_notebook_replaced_by_a_fifo_is_refused_not_waited_on() {
    let sb = Sandbox::new();
    let (repo, _) = history(&sb);
    std::fs::remove_file(repo.join("top.ipynb")).expect("rm");
    let made = std::process::Command::new("mkfifo")
        .arg(repo.join("top.ipynb"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let sb = std::sync::Arc::new(sb);
    let (sb2, repo2) = (sb.clone(), repo.clone());
    std::thread::spawn(move || {
        let _ = tx.send(sb2.nbdiff(&repo2, &[]));
    });
    let out = rx
        .recv_timeout(std::time::Duration::from_secs(20))
        .expect("nbdiff finished instead of blocking on the FIFO");
    let err = stderr(&out);
    assert!(err.contains("top.ipynb"), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
}

/// A committed notebook that still holds a merge's conflicts: the reports
/// name it by its path, as their summary does, not by git's `b/` label.
#[test]
fn reports_name_committed_conflicts_by_the_path() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let side = sb.path().join("sides");
    std::fs::create_dir_all(&side).expect("mkdir");
    for (name, src) in [("base", "x = 1"), ("local", "x = 2"), ("remote", "x = 3")] {
        std::fs::write(side.join(format!("{name}.ipynb")), notebook(&[src], 1)).expect("write");
    }
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 1"], 1)).expect("write");
    sb.commit_all(&repo, "one");
    let s = |n: &str| side.join(n).to_string_lossy().into_owned();
    let merged = repo.join("nb.ipynb").to_string_lossy().into_owned();
    let args = [
        "merge",
        &s("base.ipynb"),
        &s("local.ipynb"),
        &s("remote.ipynb"),
    ];
    let out = sb.nbdiff(&repo, &[&args[..], &["-o", &merged]].concat());
    assert_eq!(out.status.code(), Some(1), "a conflict: {}", stderr(&out));
    sb.commit_all(&repo, "two");
    let md = stdout(&sb.nbdiff(&repo, &["--markdown", "HEAD~1", "HEAD"]));
    assert!(md.contains("\nnb.ipynb\\: merge conflicts left"), "{md}");
    assert!(!md.contains("b/nb.ipynb"), "{md}");
    let html = stdout(&sb.nbdiff(&repo, &["--html", "HEAD~1", "HEAD"]));
    assert!(html.contains("nb.ipynb: merge conflicts, shown"), "{html}");
    assert!(!html.contains("b/nb.ipynb"), "{html}");
}
