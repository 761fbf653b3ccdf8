//! The diff driver and textconv through real git: `git diff`, `--cached`,
//! `git show`, `git log -p`, `--stat`, `git difftool`, colour, fallbacks.

use crate::git_util::{notebook, stderr, stdout, Sandbox};
use std::path::PathBuf;

/// A repository with nbdiff enabled, a notebook and a text file committed.
fn setup(sb: &Sandbox) -> PathBuf {
    let repo = sb.repo("r");
    sb.enable(&repo);
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 1", "print(x)"], 1)).expect("write");
    std::fs::write(repo.join("notes.txt"), "one\n").expect("write");
    sb.commit_all(&repo, "first");
    repo
}

#[test]
fn git_diff_shows_the_notebook_diff_and_leaves_other_files_to_git() {
    let sb = Sandbox::new();
    let repo = setup(&sb);
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 2", "print(x)"], 5)).expect("write");
    std::fs::write(repo.join("notes.txt"), "two\n").expect("write");
    let out = sb.git(&repo, &["diff"]);
    assert!(out.contains("-x = 1\n+x = 2\n"), "{out}");
    assert!(!out.contains("execution_count"), "{out}");
    assert!(
        out.contains("diff --git a/nb.ipynb b/nb.ipynb\n--- a/nb.ipynb\n+++ b/nb.ipynb\nsummary: source changed (1 cell)")
            && out.contains("\n── cell 1"),
        "the driver, not git, shows notebooks (no `index` line): {out}"
    );
    assert!(
        out.contains("diff --git a/notes.txt b/notes.txt\n"),
        "{out}"
    );
    assert!(out.contains("-one\n+two\n"), "{out}");
}

#[test]
fn git_diff_cached_and_added_and_deleted_notebooks() {
    let sb = Sandbox::new();
    let repo = setup(&sb);
    std::fs::write(repo.join("new.ipynb"), notebook(&["fresh()"], 1)).expect("write");
    sb.git(&repo, &["add", "new.ipynb"]);
    sb.git(&repo, &["rm", "-q", "nb.ipynb"]);
    let out = sb.git(&repo, &["diff", "--cached", "--no-renames"]);
    assert!(out.contains("+fresh()"), "{out}");
    assert!(out.contains("-print(x)"), "{out}");
    assert!(out.contains("/dev/null"), "{out}");
}

#[test]
fn git_show_and_log_p_use_textconv() {
    let sb = Sandbox::new();
    let repo = setup(&sb);
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 2", "print(x)"], 9)).expect("write");
    sb.commit_all(&repo, "second");
    let show = sb.git(&repo, &["show", "HEAD"]);
    assert!(show.contains("diff --git a/nb.ipynb b/nb.ipynb"), "{show}");
    // The cell header carries the first line, so it changes with it.
    let edit = "-=== code · id=cell0 · x = 1\n-x = 1\n+=== code · id=cell0 · x = 2\n+x = 2\n";
    assert!(show.contains(edit), "{show}");
    assert!(!show.contains("execution_count"), "{show}");
    let log = sb.git(&repo, &["log", "-p"]);
    assert!(log.contains(edit), "{log}");
    let blame = sb.git(&repo, &["blame", "nb.ipynb"]);
    assert!(blame.contains("x = 2"), "{blame}");
    assert!(
        !blame.contains("execution_count"),
        "blame uses textconv: {blame}"
    );
}

/// A notebook whose cells carry the given ids (sources derived from them).
fn notebook_with_ids(ids: &[&str]) -> String {
    let cells: Vec<String> = ids
        .iter()
        .map(|id| {
            format!(
                r#"  {{"cell_type": "code", "execution_count": null, "id": "{id}", "metadata": {{}}, "outputs": [], "source": ["run_{id}()"]}}"#
            )
        })
        .collect();
    format!(
        "{{\n \"cells\": [\n{}\n ],\n \"metadata\": {{}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n",
        cells.join(",\n")
    )
}

#[test]
fn log_p_after_inserting_a_cell_changes_no_other_header_and_hunks_name_the_cell() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    let ids: Vec<String> = (0..12).map(|i| format!("c{i}")).collect();
    let mut ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    std::fs::write(repo.join("nb.ipynb"), notebook_with_ids(&ids)).expect("write");
    sb.commit_all(&repo, "first");
    ids.insert(6, "fresh");
    std::fs::write(repo.join("nb.ipynb"), notebook_with_ids(&ids)).expect("write");
    sb.commit_all(&repo, "second");
    let log = sb.git(&repo, &["log", "-p", "-1"]);
    assert!(
        log.contains("+=== code · id=fresh · run_fresh()\n+run_fresh()\n"),
        "{log}"
    );
    assert!(
        !log.contains("\n-=== ") && !log.contains("\n-run_"),
        "nothing removed: {log}"
    );
    assert_eq!(log.matches("\n+=== ").count(), 1, "one header added: {log}");
    assert!(
        log.contains("@@ === code · id=c"),
        "hunk header names a cell: {log}"
    );
}

#[test]
fn git_diff_stat_counts_raw_json_lines_not_textconv_lines() {
    let sb = Sandbox::new();
    let repo = setup(&sb);
    // Re-executed: only the execution counts change, on both cells' lines
    // (one JSON line per cell); the textconv text does not change at all.
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 1", "print(x)"], 9)).expect("write");
    let stat = sb.git(&repo, &["diff", "--stat"]);
    let raw = sb.git(&repo, &["diff", "--stat", "--no-textconv"]);
    assert_eq!(stat, raw, "git counts raw lines whatever the textconv");
    assert!(stat.contains("nb.ipynb | 4 ++--"), "{stat}");
    let text = sb.git(&repo, &["diff", "--no-ext-diff"]);
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with('+') && !l.starts_with("+++")),
        "the textconv text is unchanged: {text}"
    );
}

#[test]
fn corrupt_notebook_in_history_does_not_break_log_p() {
    let sb = Sandbox::new();
    let repo = setup(&sb);
    std::fs::write(repo.join("nb.ipynb"), "{ \"cells\": [ broken\n").expect("write");
    sb.commit_all(&repo, "corrupt");
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 3"], 1)).expect("write");
    sb.commit_all(&repo, "fixed");
    let log = sb.git(&repo, &["log", "-p"]);
    assert!(log.contains("+{ \"cells\": [ broken"), "{log}");
    assert!(log.contains("+x = 3"), "{log}");
    // The external driver falls back to a line diff and says why.
    let diff = sb.git_output(&repo, &["diff", "HEAD~2", "HEAD~1"]);
    assert!(diff.status.success());
    let text = stdout(&diff);
    assert!(text.contains("invalid JSON"), "{text}");
    assert!(text.contains("showing a line diff"), "{text}");
    assert!(text.contains("+{ \"cells\": [ broken"), "{text}");
}

#[test]
fn renamed_notebook_gets_nine_arguments() {
    let sb = Sandbox::new();
    let repo = setup(&sb);
    sb.git(&repo, &["mv", "nb.ipynb", "moved nb.ipynb"]);
    let out = sb.git(&repo, &["diff", "--cached", "-M", "HEAD"]);
    // Identical content: only git's rename header (nothing else to show).
    assert_eq!(
        out,
        "diff --git a/nb.ipynb b/moved nb.ipynb\nsimilarity index 100%\nrename from nb.ipynb\nrename to moved nb.ipynb\n"
    );
}

#[test]
fn colour_follows_git_config() {
    let sb = Sandbox::new();
    let repo = setup(&sb);
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 2", "print(x)"], 1)).expect("write");
    let on = sb.git(
        &repo,
        &["-c", "color.diff=always", "diff", "--", "nb.ipynb"],
    );
    assert!(on.contains("\x1b["), "{on}");
    let off = sb.git(&repo, &["-c", "color.diff=never", "diff", "--", "nb.ipynb"]);
    assert!(!off.contains("\x1b["), "{off}");
    // auto without a terminal or pager: no colour.
    let auto = sb.git(&repo, &["-c", "color.ui=auto", "diff", "--", "nb.ipynb"]);
    assert!(!auto.contains("\x1b["), "{auto}");
}

#[test]
fn difftool_runs_nbdiff_on_both_sides() {
    let sb = Sandbox::new();
    let repo = setup(&sb);
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 2", "print(x)"], 1)).expect("write");
    let out = sb.git_output(
        &repo,
        &["difftool", "--no-prompt", "--tool=nbdiff", "--", "nb.ipynb"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("-x = 1\n+x = 2\n"), "{text}");
}

#[test]
fn driver_always_exits_zero() {
    let sb = Sandbox::new();
    let out = sb.nbdiff(sb.path(), &["diff-driver", "only", "three", "args"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("got 3"), "{}", stderr(&out));
    let missing = sb.nbdiff(
        sb.path(),
        &[
            "diff-driver",
            "x.ipynb",
            "/nonexistent",
            "1",
            "100644",
            "/dev/null",
            ".",
            ".",
        ],
    );
    assert_eq!(missing.status.code(), Some(0));
    assert!(
        stderr(&missing).contains("/nonexistent"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn show_renders_stably_and_sanitizes() {
    let sb = Sandbox::new();
    let nb = sb.path().join("evil.ipynb");
    std::fs::write(
        &nb,
        notebook(&["print('\u{1b}]0;pwned\u{7}\u{1b}[31mred\u{202e}')"], 1),
    )
    .expect("write");
    let a = sb.nbdiff(sb.path(), &["show", nb.to_str().expect("utf-8")]);
    let b = sb.nbdiff(sb.path(), &["show", nb.to_str().expect("utf-8")]);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout, "same notebook, same text");
    let text = stdout(&a);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains("print('red<U+202E>')"), "{text}");
}

#[test]
fn show_prints_an_invalid_notebook_as_sanitized_text() {
    let sb = Sandbox::new();
    let f = sb.path().join("bad.ipynb");
    std::fs::write(&f, b"not a notebook \xff\x1b[2J\n").expect("write");
    let out = sb.nbdiff(sb.path(), &["show", f.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(0));
    // Unchanged but for bytes that are not UTF-8 (shown as U+FFFD: no raw
    // bytes reach a terminal; see io_safety::show_of_a_broken_file_prints_no_raw_bytes).
    assert_eq!(out.stdout, "not a notebook \u{fffd}\n".as_bytes());
}

#[test]
fn git_merge_uses_the_notebook_merge_driver() {
    let sb = Sandbox::new();
    let repo = setup(&sb);
    sb.diverge(
        &repo,
        "other",
        "nb.ipynb",
        &notebook(&["x = 1", "print(x, 'theirs')"], 7),
        &notebook(&["x = 'ours'", "print(x)"], 3),
    );
    // A line merge conflicts here (adjacent lines and both execution counts);
    // the notebook merge takes each side's cell.
    let out = sb.git_output(&repo, &["merge", "-q", "--no-edit", "other"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let merged = std::fs::read_to_string(repo.join("nb.ipynb")).expect("read");
    assert!(
        merged.contains("x = 'ours'") && merged.contains("print(x, 'theirs')"),
        "{merged}"
    );
}

/// git passes 7 positional arguments; a driver configured without `--` (as
/// other tools' instructions say) must still take a path starting with `-`
/// as a path, so a file named `-h.ipynb` is diffed, not taken for `-h`.
#[test]
fn driver_configured_without_dashdash_takes_paths_that_look_like_flags() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    let command = format!("{} diff-driver", crate::git_util::nbdiff_exe());
    sb.git(&repo, &["config", "diff.nbdiff.command", &command]);
    let names = ["-h.ipynb", "--color.ipynb", "--help.ipynb", "-x.ipynb"];
    for name in names {
        std::fs::write(repo.join(name), notebook(&["x = 1"], 1)).expect("write");
    }
    sb.commit_all(&repo, "first");
    for name in names {
        std::fs::write(repo.join(name), notebook(&["x = 2"], 1)).expect("write");
    }
    let out = sb.git_output(&repo, &["diff"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    for name in names {
        assert!(
            text.contains(&format!("diff --git a/{name} b/{name}\n")),
            "{name}: {text}\n{}",
            stderr(&out)
        );
    }
    assert_eq!(
        text.matches("-x = 1\n+x = 2\n").count(),
        names.len(),
        "{text}"
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}
