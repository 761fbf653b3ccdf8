//! `nbdiff resolve` end to end with real git, the merge driver NOT
//! configured: git's line merge breaks the notebook (merge, multi-commit
//! rebase, cherry-pick, revert, stash pop), `nbdiff resolve` rescues it with
//! the very bytes `nbdiff merge` gives on the index's three stages, and
//! `--add` lets the operation continue.

use crate::git_util::{notebook, stderr, stdout, Sandbox};
use nbdiff::notebook::Notebook;
use std::path::{Path, PathBuf};
use std::process::Output;

fn fixture(case: &str, side: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/merge")
            .join(case)
            .join(format!("{side}.ipynb")),
    )
    .unwrap()
}

/// A repository with `nb.ipynb` at `base` on `main`, `remote` committed on
/// branch `feature` and `local` on `main`.
fn diverged(sb: &Sandbox, base: &[u8], local: &[u8], remote: &[u8]) -> PathBuf {
    let repo = sb.repo("r");
    std::fs::write(repo.join("nb.ipynb"), base).unwrap();
    sb.commit_all(&repo, "base");
    sb.git(&repo, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(repo.join("nb.ipynb"), remote).unwrap();
    sb.commit_all(&repo, "remote edit");
    sb.git(&repo, &["checkout", "-q", "main"]);
    std::fs::write(repo.join("nb.ipynb"), local).unwrap();
    sb.commit_all(&repo, "local edit");
    repo
}

/// [`diverged`] with the three sides of `fixtures/merge/CASE`.
fn diverged_case(sb: &Sandbox, case: &str) -> PathBuf {
    diverged(
        sb,
        &fixture(case, "base"),
        &fixture(case, "local"),
        &fixture(case, "remote"),
    )
}

/// Runs `git ARGS`, which must stop on a conflict.
fn git_conflicts(sb: &Sandbox, repo: &Path, args: &[&str]) {
    let out = sb.git_output(repo, args);
    assert!(
        !out.status.success(),
        "git's line merge conflicts: git {args:?}: {}",
        stdout(&out)
    );
}

/// `git OP --continue` (merge, rebase, cherry-pick, revert) without an editor.
fn git_continue(sb: &Sandbox, repo: &Path, op: &str) -> Output {
    sb.cmd("git", repo)
        .args([op, "--continue"])
        .env("GIT_EDITOR", "true")
        .output()
        .unwrap()
}

/// Writes `nb.ipynb` in `repo`: one code cell per source, run as `count`.
fn write_nb(repo: &Path, sources: &[&str], count: u32) {
    std::fs::write(repo.join("nb.ipynb"), notebook(sources, count)).unwrap();
}

/// The cell sources of `nb.ipynb` in `repo`.
fn sources(repo: &Path) -> Vec<String> {
    let nb = Notebook::read(&repo.join("nb.ipynb")).unwrap();
    nb.cells().iter().map(|c| c.source().into_owned()).collect()
}

fn unmerged_paths(sb: &Sandbox, repo: &Path) -> String {
    sb.git(repo, &["diff", "--name-only", "--diff-filter=U"])
}

/// The labels git wrote after `<<<<<<<`, `|||||||` and `>>>>>>>` in `text`.
fn labels_in(text: &str) -> [Option<String>; 3] {
    let find = |ch: char| {
        text.lines().find_map(|l| {
            let run = l.chars().take_while(|&c| c == ch).count();
            (run >= 7).then(|| l[run..].trim_start().to_string())
        })
    };
    [find('<'), find('|'), find('>')]
}

/// `nbdiff merge` on the three stages of `path`, with the labels git wrote
/// into the conflicted file and `extra` flags: (bytes, exit code).
fn merge_of_stages(
    sb: &Sandbox,
    repo: &Path,
    path: &str,
    conflicted: &str,
    extra: &[&str],
) -> (Vec<u8>, i32) {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for n in 1..=3 {
        let out = sb.git_output(repo, &["cat-file", "blob", &format!(":{n}:{path}")]);
        assert!(out.status.success(), "stage {n}: {}", stderr(&out));
        let f = dir.path().join(format!("{n}.ipynb"));
        std::fs::write(&f, &out.stdout).unwrap();
        files.push(f.display().to_string());
    }
    let mut args: Vec<String> = vec!["merge".into()];
    args.extend(files);
    for (flag, label) in ["--label-local", "--label-base", "--label-remote"]
        .iter()
        .zip(labels_in(conflicted))
    {
        if let Some(l) = label {
            args.push(flag.to_string());
            args.push(l);
        }
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = sb.nbdiff(repo, &refs);
    (out.stdout, out.status.code().unwrap_or(-1))
}

/// Runs `nbdiff resolve ARGS` and checks the rescued `path` equals `nbdiff
/// merge` of its stages; returns the output.
fn resolve_matches_merge(
    sb: &Sandbox,
    repo: &Path,
    path: &str,
    args: &[&str],
    extra: &[&str],
) -> Output {
    let conflicted = std::fs::read_to_string(repo.join(path)).unwrap();
    assert!(
        conflicted.contains("<<<<<<<"),
        "git left markers: {conflicted}"
    );
    assert!(Notebook::parse(conflicted.as_bytes(), path).is_err());
    let (want, want_code) = merge_of_stages(sb, repo, path, &conflicted, extra);
    let mut all = vec!["resolve"];
    all.extend_from_slice(args);
    let out = sb.nbdiff(repo, &all);
    assert_eq!(
        out.status.code(),
        Some(want_code),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let got = std::fs::read(repo.join(path)).unwrap();
    assert!(
        got == want,
        "resolve differs from nbdiff merge of the stages:\n{}\n---\n{}",
        String::from_utf8_lossy(&got),
        String::from_utf8_lossy(&want)
    );
    Notebook::parse(&got, path).expect("a valid notebook");
    out
}

#[test]
fn merge_conflict_is_resolved_like_nbdiff_merge_and_add_lets_merge_continue() {
    let sb = Sandbox::new();
    let c = "both-reexecuted";
    let repo = diverged_case(&sb, c);
    git_conflicts(&sb, &repo, &["merge", "feature"]);
    let out = resolve_matches_merge(&sb, &repo, "nb.ipynb", &["--add"], &[]);
    let report = stdout(&out);
    assert!(
        report.contains("nb.ipynb: merged cleanly") && report.contains("staged"),
        "{report}"
    );
    assert_eq!(unmerged_paths(&sb, &repo), "");
    let resolved = std::fs::read(repo.join("nb.ipynb")).unwrap();
    let cont = git_continue(&sb, &repo, "merge");
    assert!(cont.status.success(), "{}", stderr(&cont));
    let parents = sb.git(&repo, &["rev-list", "--parents", "-n", "1", "HEAD"]);
    assert_eq!(parents.split_whitespace().count(), 3, "a merge commit");
    let committed = sb
        .git_output(&repo, &["cat-file", "blob", "HEAD:nb.ipynb"])
        .stdout;
    assert_eq!(committed, resolved);
}

#[test]
fn conflicts_left_are_reported_by_cell_and_not_staged() {
    let sb = Sandbox::new();
    let c = "same-lines-conflict";
    let repo = diverged_case(&sb, c);
    git_conflicts(&sb, &repo, &["merge", "feature"]);
    let out = resolve_matches_merge(&sb, &repo, "nb.ipynb", &["--add"], &[]);
    let report = stdout(&out);
    assert!(
        report.contains("conflict(s) left") && report.contains("cell "),
        "{report}"
    );
    assert_eq!(unmerged_paths(&sb, &repo).trim(), "nb.ipynb", "not staged");
}

#[test]
fn diff3_style_and_conflict_marker_size_follow_git() {
    let sb = Sandbox::new();
    let c = "same-lines-conflict";
    let repo = diverged_case(&sb, c);
    sb.git(&repo, &["config", "merge.conflictStyle", "zdiff3"]);
    std::fs::write(
        repo.join(".git/info/attributes"),
        "*.ipynb conflict-marker-size=10\n",
    )
    .unwrap();
    git_conflicts(&sb, &repo, &["merge", "feature"]);
    let text = std::fs::read_to_string(repo.join("nb.ipynb")).unwrap();
    assert!(
        text.contains("\n<<<<<<<<<< HEAD") && text.contains("\n||||||||||"),
        "{text}"
    );
    resolve_matches_merge(
        &sb,
        &repo,
        "nb.ipynb",
        &[],
        &["--conflict-style", "zdiff3", "--marker-size", "10"],
    );
    let text = std::fs::read_to_string(repo.join("nb.ipynb")).unwrap();
    assert!(
        text.contains("\"`<<<<<<<<<< HEAD`"),
        "markers of git's size in the conflict's notice: {text}"
    );
}

#[test]
fn multi_commit_rebase_is_resolved_at_each_stop() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    write_nb(&repo, &["a = 1", "b = 2", "c = 3"], 1);
    sb.commit_all(&repo, "base");
    sb.git(&repo, &["checkout", "-q", "-b", "feature"]);
    write_nb(&repo, &["a = 1", "b = 20", "c = 3"], 3);
    sb.commit_all(&repo, "feature one");
    write_nb(&repo, &["a = 1", "b = 20", "c = 30"], 4);
    sb.commit_all(&repo, "feature two");
    sb.git(&repo, &["checkout", "-q", "main"]);
    write_nb(&repo, &["a = 10", "b = 2", "c = 3"], 2);
    sb.commit_all(&repo, "main edit");
    sb.git(&repo, &["checkout", "-q", "feature"]);
    let mut rebase = sb.git_output(&repo, &["rebase", "main"]);
    let mut stops = 0;
    while !rebase.status.success() {
        stops += 1;
        assert!(stops <= 2, "rebase keeps stopping: {}", stderr(&rebase));
        assert_eq!(
            unmerged_paths(&sb, &repo).trim(),
            "nb.ipynb",
            "{}",
            stderr(&rebase)
        );
        resolve_matches_merge(&sb, &repo, "nb.ipynb", &["--add"], &[]);
        rebase = git_continue(&sb, &repo, "rebase");
    }
    assert_eq!(stops, 2, "both feature commits conflicted");
    assert_eq!(sources(&repo), ["a = 10", "b = 20", "c = 30"]);
    assert_eq!(sb.git(&repo, &["rev-list", "--count", "HEAD"]).trim(), "4");
}

#[test]
fn cherry_pick_and_revert_conflicts_are_resolved() {
    let sb = Sandbox::new();
    let c = "edit-vs-reexecute";
    let repo = diverged_case(&sb, c);
    git_conflicts(&sb, &repo, &["cherry-pick", "feature"]);
    let conflicted = std::fs::read_to_string(repo.join("nb.ipynb")).unwrap();
    assert!(labels_in(&conflicted)[2]
        .as_deref()
        .is_some_and(|l| l.contains("(remote edit)")));
    resolve_matches_merge(&sb, &repo, "nb.ipynb", &["--add"], &[]);
    let cont = git_continue(&sb, &repo, "cherry-pick");
    assert!(cont.status.success(), "{}", stderr(&cont));

    // Revert an edit that a later commit re-ran (every cell's line changed).
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    write_nb(&repo, &["a = 1", "b = 2"], 1);
    sb.commit_all(&repo, "base");
    write_nb(&repo, &["a = 1", "b = 20"], 1);
    sb.commit_all(&repo, "edit");
    write_nb(&repo, &["a = 1", "b = 20"], 2);
    sb.commit_all(&repo, "re-run");
    git_conflicts(&sb, &repo, &["revert", "--no-edit", "HEAD~1"]);
    let conflicted = std::fs::read_to_string(repo.join("nb.ipynb")).unwrap();
    assert!(labels_in(&conflicted)[2]
        .as_deref()
        .is_some_and(|l| l.starts_with("parent of")));
    resolve_matches_merge(&sb, &repo, "nb.ipynb", &["--add"], &[]);
    let cont = git_continue(&sb, &repo, "revert");
    assert!(cont.status.success(), "{}", stderr(&cont));
    assert_eq!(sources(&repo), ["a = 1", "b = 2"]);
}

#[test]
fn stash_pop_conflict_is_resolved() {
    let sb = Sandbox::new();
    let c = "same-cell-different-lines";
    let repo = sb.repo("r");
    std::fs::write(repo.join("nb.ipynb"), fixture(c, "base")).unwrap();
    sb.commit_all(&repo, "base");
    std::fs::write(repo.join("nb.ipynb"), fixture(c, "remote")).unwrap();
    sb.git(&repo, &["stash", "-q"]);
    std::fs::write(repo.join("nb.ipynb"), fixture(c, "local")).unwrap();
    sb.commit_all(&repo, "upstream edit");
    git_conflicts(&sb, &repo, &["stash", "pop"]);
    let conflicted = std::fs::read_to_string(repo.join("nb.ipynb")).unwrap();
    assert_eq!(
        labels_in(&conflicted)[0].as_deref(),
        Some("Updated upstream")
    );
    resolve_matches_merge(&sb, &repo, "nb.ipynb", &["--add"], &[]);
    assert_eq!(unmerged_paths(&sb, &repo), "");
}

#[test]
fn added_on_both_sides_merges_against_their_common_cells() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(repo.join("README"), "x\n").unwrap();
    sb.commit_all(&repo, "start");
    sb.git(&repo, &["checkout", "-q", "-b", "feature"]);
    write_nb(&repo, &["a = 1", "shared = 0", "c = 3"], 1);
    sb.commit_all(&repo, "feature adds");
    sb.git(&repo, &["checkout", "-q", "main"]);
    write_nb(&repo, &["a = 2", "shared = 0", "d = 4"], 1);
    sb.commit_all(&repo, "main adds");
    git_conflicts(&sb, &repo, &["merge", "feature"]);
    let local = Notebook::parse(
        notebook(&["a = 2", "shared = 0", "d = 4"], 1).as_bytes(),
        "l",
    )
    .unwrap();
    let remote = Notebook::parse(
        notebook(&["a = 1", "shared = 0", "c = 3"], 1).as_bytes(),
        "r",
    )
    .unwrap();
    let out = sb.nbdiff(&repo, &["resolve"]);
    assert!(
        out.status.code() == Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("added on both sides"),
        "{}",
        stdout(&out)
    );
    let result = Notebook::read(&repo.join("nb.ipynb")).expect("a valid notebook");
    assert_eq!(nbdiff::resolve::lost_lines(&local, &remote, &result), 0);
    let text = std::fs::read_to_string(repo.join("nb.ipynb")).unwrap();
    assert_eq!(
        text.matches(r#""source": ["shared = 0"]"#).count(),
        1,
        "the common cell once: {text}"
    );
    assert!(text.contains("d = 4") && text.contains("c = 3"));
}

#[test]
fn files_not_to_touch_are_left_alone() {
    let sb = Sandbox::new();
    let c = "same-lines-conflict";
    let repo = diverged_case(&sb, c);
    // An unmerged text file beside the notebook, and a clean notebook.
    std::fs::write(repo.join("other.ipynb"), fixture(c, "base")).unwrap();
    std::fs::write(repo.join("notes.txt"), "base\n").unwrap();
    sb.commit_all(&repo, "more");
    sb.git(&repo, &["checkout", "-q", "feature"]);
    std::fs::write(repo.join("notes.txt"), "theirs\n").unwrap();
    sb.commit_all(&repo, "theirs");
    sb.git(&repo, &["checkout", "-q", "main"]);
    git_conflicts(&sb, &repo, &["merge", "feature"]);
    let notes = std::fs::read(repo.join("notes.txt")).unwrap();
    let other = std::fs::read(repo.join("other.ipynb")).unwrap();
    // A notebook already fixed by hand (a valid notebook) is not overwritten.
    std::fs::write(repo.join("nb.ipynb"), fixture(c, "local")).unwrap();
    let out = sb.nbdiff(&repo, &["resolve"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("already a valid notebook"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        std::fs::read(repo.join("nb.ipynb")).unwrap(),
        fixture(c, "local")
    );
    assert_eq!(std::fs::read(repo.join("notes.txt")).unwrap(), notes);
    // A named notebook that is not unmerged (and holds no markers).
    let out = sb.nbdiff(&repo, &["resolve", "other.ipynb"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing to resolve"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(repo.join("other.ipynb")).unwrap(), other);
    // --force merges the stages over the hand-edited file.
    let out = sb.nbdiff(&repo, &["resolve", "--force", "nb.ipynb"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_ne!(
        std::fs::read(repo.join("nb.ipynb")).unwrap(),
        fixture(c, "local")
    );
}

#[test]
fn modify_delete_is_reported_not_touched() {
    let sb = Sandbox::new();
    let c = "same-lines-conflict";
    let repo = diverged_case(&sb, c);
    sb.git(&repo, &["checkout", "-q", "feature"]);
    sb.git(&repo, &["rm", "-q", "nb.ipynb"]);
    sb.git(&repo, &["commit", "-q", "-m", "delete"]);
    sb.git(&repo, &["checkout", "-q", "main"]);
    git_conflicts(&sb, &repo, &["merge", "feature"]);
    let before = std::fs::read(repo.join("nb.ipynb")).unwrap();
    let out = sb.nbdiff(&repo, &["resolve"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("deleted by them"), "{}", stdout(&out));
    assert_eq!(std::fs::read(repo.join("nb.ipynb")).unwrap(), before);
}

#[test]
fn from_markers_rebuilds_the_file_git_wrote() {
    let sb = Sandbox::new();
    let c = "both-reexecuted";
    let repo = diverged_case(&sb, c);
    sb.git(&repo, &["config", "merge.conflictStyle", "diff3"]);
    git_conflicts(&sb, &repo, &["merge", "feature"]);
    let out = sb.nbdiff(&repo, &["resolve", "--from-markers", "nb.ipynb"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("from the conflict markers, with their base"),
        "{}",
        stdout(&out)
    );
    Notebook::read(&repo.join("nb.ipynb")).expect("a valid notebook");
}

#[test]
fn nothing_unmerged_is_nothing_to_do() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    write_nb(&repo, &["a"], 1);
    sb.commit_all(&repo, "one");
    let out = sb.nbdiff(&repo, &["resolve"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("nothing to resolve"));
}

#[test]
fn diff_in_a_conflicted_repository_points_at_resolve() {
    let sb = Sandbox::new();
    let c = "same-lines-conflict";
    let repo = diverged_case(&sb, c);
    git_conflicts(&sb, &repo, &["merge", "feature"]);
    // Revision mode: the unmerged notebook is named with the way out.
    let out = sb.nbdiff(&repo, &["--no-pager"]);
    assert!(
        stdout(&out).contains("nbdiff resolve nb.ipynb"),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    // git's combined diff of the conflict, through the textconv.
    sb.enable(&repo);
    let out = sb.git_output(&repo, &["diff"]);
    assert!(stdout(&out).contains("nbdiff resolve"), "{}", stdout(&out));
    // A notebook committed with its markers, diffed later: through the
    // external diff driver, and through the textconv (`git show`).
    sb.git(&repo, &["add", "nb.ipynb"]);
    sb.git(&repo, &["commit", "-q", "-m", "broken merge"]);
    let out = sb.git_output(&repo, &["diff", "HEAD~1", "HEAD"]);
    assert!(
        stdout(&out).contains("conflict markers") && stdout(&out).contains("nbdiff resolve"),
        "{}",
        stdout(&out)
    );
    let out = sb.git_output(&repo, &["show", "HEAD", "--", "nb.ipynb"]);
    assert!(stdout(&out).contains("nbdiff resolve"), "{}", stdout(&out));
}
