//! What nbdiff reads from git, through the real binary and real git: the
//! notebooks `check --staged` reads from the index are exactly the ones
//! `git diff --cached` lists, and every read of the index or of a file
//! `config-git` edits stops at the read limit (`NBDIFF_MAX_FILE_SIZE`).

use crate::git_util::{notebook, stderr, stdout, Sandbox};
use std::collections::BTreeSet;
use std::path::Path;

/// The paths `check`'s text output names (every notebook here has a finding).
fn named(out: &str) -> BTreeSet<String> {
    out.lines()
        .filter_map(|l| l.split_once(":cell ").map(|(p, _)| p.to_string()))
        .collect()
}

fn git_lists(sb: &Sandbox, dir: &Path) -> BTreeSet<String> {
    sb.git(
        dir,
        &[
            "diff",
            "--cached",
            "--name-only",
            "--relative",
            "--diff-filter=ACMR",
        ],
    )
    .lines()
    .filter(|l| l.ends_with(".ipynb"))
    .map(str::to_string)
    .collect()
}

/// Added, modified, renamed, mode-only, deleted, unchanged and unstaged
/// notebooks, from the top and from a subdirectory: `check --staged` checks
/// what git lists, by the same relative names.
#[test]
fn check_staged_checks_what_git_diff_cached_lists() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::create_dir_all(repo.join("sub")).expect("mkdir");
    let nb = |name: &str| notebook(&[&format!("print({name})")], 1);
    for f in [
        "modified",
        "renamed",
        "chmod",
        "deleted",
        "same",
        "sub/inner",
    ] {
        let file = format!("{f}.ipynb");
        std::fs::write(repo.join(&file), nb(&f.replace('/', "_"))).expect("write");
    }
    sb.commit_all(&repo, "base");
    std::fs::write(repo.join("added.ipynb"), nb("added")).expect("write");
    std::fs::write(repo.join("sub/added_in_sub.ipynb"), nb("x")).expect("write");
    std::fs::write(repo.join("modified.ipynb"), nb("modified_now")).expect("write");
    sb.git(&repo, &["mv", "renamed.ipynb", "sub/moved.ipynb"]);
    sb.git(&repo, &["rm", "-q", "deleted.ipynb"]);
    sb.git(&repo, &["update-index", "--chmod=+x", "chmod.ipynb"]);
    sb.git(
        &repo,
        &[
            "add",
            "added.ipynb",
            "sub/added_in_sub.ipynb",
            "modified.ipynb",
        ],
    );
    // Changed in the working tree only: not staged.
    std::fs::write(repo.join("same.ipynb"), nb("unstaged")).expect("write");

    for dir in [repo.clone(), repo.join("sub")] {
        let want = git_lists(&sb, &dir);
        assert!(!want.is_empty(), "{}", dir.display());
        let out = sb.nbdiff(&dir, &["check", "--staged"]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(named(&stdout(&out)), want, "from {}", dir.display());
    }
    // With a pathspec, relative to the current directory.
    let out = sb.nbdiff(&repo.join("sub"), &["check", "--staged", "moved.ipynb"]);
    assert_eq!(
        named(&stdout(&out)),
        BTreeSet::from(["moved.ipynb".to_string()])
    );
}

/// The index's version of a notebook is read only within the read limit:
/// it used to be read whole whatever its size (`git cat-file --batch`).
#[test]
fn check_staged_reads_no_more_than_the_read_limit() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let big = notebook(&[&format!("print(undefined_{})", "x".repeat(4000))], 1);
    std::fs::write(repo.join("big.ipynb"), &big).expect("write");
    sb.git(&repo, &["add", "big.ipynb"]);
    // Within the limit: checked (an undefined name).
    let out = sb.nbdiff(&repo, &["check", "--staged"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Over it: an error naming the file, and the index's copy left unread.
    let out = sb
        .cmd(crate::git_util::nbdiff_exe(), &repo)
        .env("NBDIFF_MAX_FILE_SIZE", "1K")
        .args(["check", "--staged"])
        .output()
        .expect("run nbdiff");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("big.ipynb") && err.contains("read limit"),
        "{err}"
    );
    assert!(
        stdout(&out).is_empty() || !stdout(&out).contains("NB"),
        "{}",
        stdout(&out)
    );
}

/// `config-git` reads the attributes file it edits within the read limit:
/// it used to read it whole (and a FIFO there hung it).
#[test]
fn config_git_reads_the_attributes_file_within_the_read_limit() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let attrs = repo.join(".git/info/attributes");
    std::fs::create_dir_all(attrs.parent().expect("parent")).expect("mkdir");
    let big = format!("{}\n", "# a long comment ".repeat(200));
    std::fs::write(&attrs, &big).expect("write");
    let out = sb
        .cmd(crate::git_util::nbdiff_exe(), &repo)
        .env("NBDIFF_MAX_FILE_SIZE", "1K")
        .args(["config-git", "--enable"])
        .output()
        .expect("run nbdiff");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("attributes") && err.contains("read limit"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(&attrs).expect("read"),
        big,
        "left alone"
    );
    // Within the limit, the same file is edited as before.
    sb.enable(&repo);
    let text = std::fs::read_to_string(&attrs).expect("read");
    assert!(text.starts_with(&big) && text.contains("*.ipynb"), "{text}");
}

/// `nbdiff --cached` reads the index's blobs within the read limit, as it
/// reads working-tree files: it used to inflate any blob whole.
#[test]
fn diff_cached_reads_no_blob_over_the_read_limit() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(repo.join("a.ipynb"), notebook(&["x = 1"], 1)).expect("write");
    sb.commit_all(&repo, "base");
    let big = notebook(&[&format!("x = '{}'", "y".repeat(4000))], 1);
    std::fs::write(repo.join("a.ipynb"), big).expect("write");
    sb.git(&repo, &["add", "a.ipynb"]);
    let out = sb.nbdiff(&repo, &["--cached"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("a.ipynb"), "{}", stdout(&out));
    let out = sb
        .cmd(crate::git_util::nbdiff_exe(), &repo)
        .env("NBDIFF_MAX_FILE_SIZE", "1K")
        .args(["--cached"])
        .output()
        .expect("run nbdiff");
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("a.ipynb") && err.contains("read limit"),
        "{err}"
    );
}
