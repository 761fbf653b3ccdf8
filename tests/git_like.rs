//! nbdiff behaves like git in real repositories: pathspecs,
//! unmerged paths, renames, error messages, hidden changes, re-encoded
//! images, difftool, the textconv cache, file headers, moved cells.

use crate::git_util::{notebook, stderr, stdout, Sandbox};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The files of an nbdiff or git output, from its `diff --git a/X b/Y` lines
/// (the new side's path).
fn files_of(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| l.strip_prefix("diff --git "))
        .filter_map(|l| l.split_once(" b/").map(|(_, b)| b.to_string()))
        .collect()
}

/// A notebook without cell ids (the norm in real repositories), one markdown
/// or code cell per source.
fn notebook_without_ids(sources: &[&str]) -> String {
    let cells: Vec<String> = sources
        .iter()
        .map(|src| {
            let src = serde_json::to_string(src).expect("json");
            format!(
                r#"  {{"cell_type": "code", "execution_count": null, "metadata": {{}}, "outputs": [], "source": {src}}}"#
            )
        })
        .collect();
    format!(
        "{{\n \"cells\": [\n{}\n ],\n \"metadata\": {{}},\n \"nbformat\": 4,\n \"nbformat_minor\": 4\n}}\n",
        cells.join(",\n")
    )
}

/// Notebooks in several directories, all changed by a second commit.
fn tree_history(sb: &Sandbox) -> PathBuf {
    let repo = sb.repo("r");
    let files = [
        "top.ipynb",
        "sub/b.ipynb",
        "sub/deep/c.ipynb",
        "sub/skip/e.ipynb",
        "other/d.ipynb",
        "notes.txt",
    ];
    for (round, n) in [(1, 1), (2, 2)] {
        for f in files {
            let p = repo.join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            let src = format!("{f} = {n}");
            std::fs::write(&p, notebook(&[&src], n)).expect("write");
        }
        sb.commit_all(&repo, &format!("round {round}"));
    }
    repo
}

#[test]
fn pathspecs_select_what_gits_select() {
    let sb = Sandbox::new();
    let repo = tree_history(&sb);
    let cases: &[(&str, &[&str])] = &[
        ("", &["*.ipynb"]),
        ("", &[":(glob)**/*.ipynb"]),
        ("", &[":(glob)sub/*.ipynb"]),
        ("", &["sub"]),
        ("", &["sub/", ":(exclude)sub/skip"]),
        ("", &["*.ipynb", ":!other"]),
        ("", &[":^sub"]),
        ("", &["sub/*/c.ipynb"]),
        ("", &[":(icase)SUB/B.ipynb"]),
        ("sub", &["*.ipynb"]),
        ("sub", &["deep"]),
        ("sub", &["../other"]),
        ("sub", &[":(top)top.ipynb"]),
        ("sub", &[":!skip"]),
        // `.` with an exclude: the exclude removes paths from what `.` names;
        // `.`/`..` naming the top.
        ("", &[".", ":(exclude)sub/skip"]),
        ("", &[".", ":!sub/skip/"]),
        ("", &[".", ":^other", ":!sub/deep"]),
        ("", &["."]),
        ("sub", &[".", ":(exclude)skip"]),
        ("sub", &["..", ":!other"]),
        ("sub", &["."]),
    ];
    for (dir, specs) in cases {
        let cwd = repo.join(dir);
        let mut git_args = vec!["diff", "--name-only", "HEAD~1", "HEAD", "--"];
        git_args.extend(specs.iter());
        let want: BTreeSet<String> = sb
            .git(&cwd, &git_args)
            .lines()
            .filter(|l| l.ends_with(".ipynb"))
            .map(str::to_string)
            .collect();
        assert!(
            !want.is_empty(),
            "{dir} {specs:?}: a case that selects something"
        );
        let mut args = vec!["HEAD~1", "HEAD", "--"];
        args.extend(specs.iter());
        let out = sb.nbdiff(&cwd, &args);
        assert!(out.status.success(), "{dir} {specs:?}: {}", stderr(&out));
        assert_eq!(files_of(&stdout(&out)), want, "{dir} {specs:?}");
    }
    // A glob without `--`, as git accepts it; and --exit-code sees the files.
    let out = sb.nbdiff(&repo, &["--exit-code", "HEAD~1", "HEAD", "*.ipynb"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(files_of(&stdout(&out)).len(), 5, "{}", stdout(&out));
}

/// A repository in the middle of a merge that conflicts on `nb.ipynb` (no
/// nbdiff merge driver: git's line merge conflicts).
fn conflicted(sb: &Sandbox) -> PathBuf {
    let repo = sb.repo("r");
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 1", "y = 1"], 1)).expect("write");
    sb.commit_all(&repo, "base");
    sb.diverge(
        &repo,
        "other",
        "nb.ipynb",
        &notebook(&["x = 'theirs'", "y = 1"], 2),
        &notebook(&["x = 'ours'", "y = 1"], 3),
    );
    let merge = sb.git_output(&repo, &["merge", "-q", "other"]);
    assert!(!merge.status.success(), "the merge must conflict");
    repo
}

#[test]
fn unmerged_notebook_is_named_with_the_way_out() {
    let sb = Sandbox::new();
    let repo = conflicted(&sb);
    let git_cached = sb.git(&repo, &["diff", "--cached"]);
    assert!(
        git_cached.contains("* Unmerged path nb.ipynb"),
        "{git_cached}"
    );
    for args in [&["--cached"][..], &[][..]] {
        let out = sb.nbdiff(&repo, args);
        let text = stdout(&out);
        assert!(
            text.starts_with("* Unmerged path nb.ipynb\n"),
            "{args:?}: {text}"
        );
        assert!(text.contains("nbdiff resolve nb.ipynb"), "{text}");
        assert!(text.contains("nbdiff config-git --enable"), "{text}");
        assert!(!text.contains("deleted"), "not a deleted notebook: {text}");
        let code = sb.nbdiff(&repo, &[args, &["--exit-code"][..]].concat());
        assert_eq!(code.status.code(), Some(1), "{args:?}");
    }
    // Through git with the driver enabled: git passes the path alone.
    sb.enable(&repo);
    let via_git = sb.git(&repo, &["diff", "--cached"]);
    assert!(via_git.contains("* Unmerged path nb.ipynb"), "{via_git}");
    assert!(via_git.contains("nbdiff resolve nb.ipynb"), "{via_git}");
}

#[test]
fn renames_are_detected_like_git() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let cells: Vec<String> = (0..12).map(|i| format!("step_{i}()")).collect();
    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
    std::fs::write(repo.join("a.ipynb"), notebook(&cells, 1)).expect("write");
    std::fs::write(repo.join("same.ipynb"), notebook(&["same()"], 1)).expect("write");
    let gone: Vec<String> = (0..12)
        .map(|i| format!("unrelated_{i} = {}", i * 7))
        .collect();
    let gone: Vec<&str> = gone.iter().map(String::as_str).collect();
    std::fs::write(repo.join("gone.ipynb"), notebook(&gone, 1)).expect("write");
    sb.commit_all(&repo, "one");
    sb.git(&repo, &["mv", "a.ipynb", "b.ipynb"]);
    std::fs::create_dir_all(repo.join("moved")).expect("mkdir");
    sb.git(&repo, &["mv", "same.ipynb", "moved/same.ipynb"]);
    let mut edited = cells.clone();
    edited[5] = "step_5(changed=True)";
    std::fs::write(repo.join("b.ipynb"), notebook(&edited, 1)).expect("write");
    sb.git(&repo, &["rm", "-q", "gone.ipynb"]);
    let fresh: Vec<String> = (0..12).map(|i| format!("something_else({i})")).collect();
    let fresh: Vec<&str> = fresh.iter().map(String::as_str).collect();
    std::fs::write(repo.join("fresh.ipynb"), notebook(&fresh, 2)).expect("write");
    sb.git(&repo, &["add", "-A"]);
    // What git finds: the same pairs, the same scores.
    let status = sb.git(&repo, &["diff", "--cached", "--name-status"]);
    let git_renames: BTreeSet<String> = status
        .lines()
        .filter(|l| l.starts_with('R'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            format!(
                "similarity index {}%\nrename from {}\nrename to {}\n",
                f[0][1..].trim_start_matches('0'),
                f[1],
                f[2]
            )
        })
        .collect();
    assert_eq!(git_renames.len(), 2, "{status}");
    assert!(
        status.contains("D\tgone.ipynb") && status.contains("A\tfresh.ipynb"),
        "{status}"
    );

    let check = |text: &str| {
        for r in &git_renames {
            assert!(text.contains(r.as_str()), "{r}: {text}");
        }
        assert!(
            text.contains("diff --git a/a.ipynb b/b.ipynb\nsimilarity index "),
            "{text}"
        );
        assert!(
            text.contains("rename from a.ipynb\nrename to b.ipynb\n--- a/a.ipynb\n+++ b/b.ipynb\n"),
            "{text}"
        );
        assert!(
            text.contains("-step_5()\n+step_5(changed=True)\n"),
            "{text}"
        );
        assert!(
            !text.contains("-step_0()"),
            "not every cell deleted: {text}"
        );
        assert!(
            text.contains("diff --git a/same.ipynb b/moved/same.ipynb\nsimilarity index 100%\nrename from same.ipynb\nrename to moved/same.ipynb\n"),
            "{text}"
        );
        // Unrelated files stay a deletion and an addition.
        assert!(
            text.contains("diff --git a/gone.ipynb b/gone.ipynb\n"),
            "{text}"
        );
        assert!(
            text.contains("diff --git a/fresh.ipynb b/fresh.ipynb\n"),
            "{text}"
        );
    };
    let cached = sb.nbdiff(&repo, &["--cached"]);
    check(&stdout(&cached));
    sb.commit_all(&repo, "two");
    check(&stdout(&sb.nbdiff(&repo, &["HEAD~1", "HEAD"])));
    // diff.renames=false turns it off, as in git.
    sb.git(&repo, &["config", "diff.renames", "false"]);
    let off = stdout(&sb.nbdiff(&repo, &["HEAD~1", "HEAD"]));
    assert!(!off.contains("rename from"), "{off}");
}

#[test]
fn error_messages_match_intent() {
    let sb = Sandbox::new();
    let repo = tree_history(&sb);
    std::fs::write(repo.join("top.ipynb"), notebook(&["top = 3"], 3)).expect("write");
    std::fs::write(repo.join("other/d.ipynb"), notebook(&["d = 3"], 3)).expect("write");
    // One path inside a repository: its working-tree diff, like `git diff PATH`.
    let one = sb.nbdiff(&repo, &["top.ipynb"]);
    assert!(one.status.success(), "{}", stderr(&one));
    assert_eq!(
        files_of(&stdout(&one)),
        BTreeSet::from(["top.ipynb".to_string()]),
        "{}",
        stdout(&one)
    );
    assert!(stdout(&one).contains("+top = 3"), "{}", stdout(&one));
    // A revision and a path with a typo.
    let typo = sb.nbdiff(&repo, &["HEAD~1", "typo.ipynb"]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(
        stderr(&typo).contains("typo.ipynb: no such path in the working tree, and not a revision"),
        "{}",
        stderr(&typo)
    );
    // Outside a repository, with nothing to compare.
    let outside = sb.path().join("plain");
    std::fs::create_dir_all(&outside).expect("mkdir");
    let bare = sb
        .cmd(crate::git_util::nbdiff_exe(), &outside)
        .env("GIT_CEILING_DIRECTORIES", sb.path())
        .output()
        .expect("run nbdiff");
    assert_eq!(bare.status.code(), Some(2));
    let err = stderr(&bare);
    assert!(err.contains("not in a git repository"), "{err}");
    assert!(
        err.contains("to diff two notebooks: nbdiff OLD.ipynb NEW.ipynb"),
        "{err}"
    );
}

/// `notebook(sources, count)` with saved widget state in its metadata.
fn with_widgets(json: &str) -> String {
    json.replace(
        "\"metadata\": {\"kernelspec\"",
        "\"metadata\": {\"widgets\": {\"application/vnd.jupyter.widget-state+json\": {\"state\": {}}}, \"kernelspec\"",
    )
}

#[test]
fn only_ignored_changes_are_one_line_not_silence() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 1"], 1)).expect("write");
    std::fs::write(repo.join("fmt.ipynb"), notebook(&["y = 1"], 1)).expect("write");
    sb.commit_all(&repo, "one");
    // Re-run: new execution counts and widget state.
    std::fs::write(
        repo.join("nb.ipynb"),
        with_widgets(&notebook(&["x = 1"], 7)),
    )
    .expect("write");
    // Re-indented JSON, nothing else.
    let reindented = notebook(&["y = 1"], 1).replace("\n \"", "\n  \"");
    std::fs::write(repo.join("fmt.ipynb"), reindented).expect("write");
    let line = "nb.ipynb: only ignored changes (execution counts, metadata.widgets); nbdiff -a shows them\n";
    let fmt = "fmt.ipynb: formatting only";
    let via_git = sb.git(&repo, &["diff"]);
    assert!(via_git.contains(line), "{via_git}");
    assert!(via_git.contains(fmt), "{via_git}");
    let own = sb.nbdiff(&repo, &["--exit-code"]);
    assert_eq!(own.status.code(), Some(0), "only ignored changes: exit 0");
    assert!(stdout(&own).contains(line), "{}", stdout(&own));
    assert!(stdout(&own).contains(fmt), "{}", stdout(&own));
    let all = sb.nbdiff(&repo, &["-a", "--exit-code", "--", "nb.ipynb"]);
    assert_eq!(all.status.code(), Some(1));
    assert!(stdout(&all).contains("execution_count"), "{}", stdout(&all));
}

/// A notebook with one PNG output whose base64 is `b64` (a JSON value).
fn with_png(b64: &serde_json::Value) -> String {
    format!(
        r#"{{"cells": [{{"cell_type": "code", "execution_count": 1, "metadata": {{}}, "outputs": [{{"data": {{"image/png": {b64}, "text/plain": ["<Figure>"]}}, "metadata": {{}}, "output_type": "display_data"}}], "source": "plot()"}}], "metadata": {{}}, "nbformat": 4, "nbformat_minor": 4}}
"#
    )
}

#[test]
fn reencoded_image_is_not_a_change() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    // A 2×3 PNG, as one string, then re-wrapped in 8-character lines with
    // a trailing newline, as some tools write it.
    let png = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAC0lEQVR4nGNgwAIAABUAAapll8QAAAAASUVORK5CYII=";
    let chunks: Vec<String> = png
        .as_bytes()
        .chunks(8)
        .map(|c| format!("{}\n", std::str::from_utf8(c).expect("ascii")))
        .collect();
    std::fs::write(repo.join("img.ipynb"), with_png(&serde_json::json!(png))).expect("write");
    sb.commit_all(&repo, "one");
    std::fs::write(repo.join("img.ipynb"), with_png(&serde_json::json!(chunks))).expect("write");
    let out = sb.nbdiff(&repo, &["--exit-code"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out)
            .contains("img.ipynb: only ignored changes (re-encoded images); nbdiff -a shows them"),
        "{}",
        stdout(&out)
    );
    let all = sb.nbdiff(&repo, &["-a", "--exit-code"]);
    assert_eq!(all.status.code(), Some(1));
    assert!(
        stdout(&all).contains("output 1 (image/png): 2×3 68 B same image, re-encoded"),
        "{}",
        stdout(&all)
    );
    // A real change of the image (one pixel of the 2×3) is still one.
    let other = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAIAAAA2iEnWAAAAD0lEQVR42mNgYGD4z4AGABEEAQC9fAEmAAAAAElFTkSuQmCC";
    std::fs::write(repo.join("img.ipynb"), with_png(&serde_json::json!(other))).expect("write");
    let changed = sb.nbdiff(&repo, &["--exit-code"]);
    assert_eq!(changed.status.code(), Some(1), "{}", stdout(&changed));
    assert!(
        stdout(&changed).contains("2×3 16% of pixels, region 1×1 at (1,0)"),
        "{}",
        stdout(&changed)
    );
}

/// A script that appends its arguments (one per line) to `log`.
fn recorder(sb: &Sandbox, log: &Path) -> PathBuf {
    let script = sb.path().join("record.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\" >> '{}'; done\necho recorded\n",
            log.display()
        ),
    )
    .expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    script
}

#[test]
fn difftool_runs_the_chosen_tool_with_the_driver_enabled() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 1"], 1)).expect("write");
    sb.commit_all(&repo, "one");
    std::fs::write(repo.join("nb.ipynb"), notebook(&["x = 2"], 1)).expect("write");
    let log = sb.path().join("args.log");
    let script = recorder(&sb, &log);
    let script_s = script.to_str().expect("utf-8");

    // -x CMD
    let out = sb.git_output(&repo, &["difftool", "--no-prompt", "-x", script_s]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !stdout(&out).contains("── cell"),
        "not nbdiff's diff: {}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("recorded"), "{}", stdout(&out));
    let args = std::fs::read_to_string(&log).expect("the tool ran");
    assert_eq!(args.lines().count(), 2, "LOCAL and REMOTE: {args}");
    assert!(
        args.lines().nth(1).is_some_and(|l| l.ends_with("nb.ipynb")),
        "{args}"
    );

    // -t TOOL (a configured tool, as vimdiff would be).
    std::fs::remove_file(&log).expect("rm");
    let cmd = format!("{script_s} \"$LOCAL\" \"$REMOTE\"");
    let out = sb.git_output(
        &repo,
        &[
            "-c",
            &format!("difftool.rec.cmd={cmd}"),
            "difftool",
            "--no-prompt",
            "-t",
            "rec",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stdout(&out).contains("── cell"), "{}", stdout(&out));
    assert_eq!(
        std::fs::read_to_string(&log)
            .expect("the tool ran")
            .lines()
            .count(),
        2
    );
    // git diff itself still shows nbdiff's diff.
    assert!(sb
        .git(&repo, &["diff"])
        .contains("── cell 1 [code] modified"));
}

#[test]
fn enable_caches_textconv_and_disable_removes_the_cache() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    assert_eq!(
        sb.git(&repo, &["config", "diff.nbdiff.cachetextconv"]),
        "true\n"
    );
    let textconv = sb.git(&repo, &["config", "diff.nbdiff.textconv"]);
    assert!(
        textconv.trim_end().ends_with(" show --format-version=2 --"),
        "{textconv}"
    );
    for n in 1..=3 {
        std::fs::write(repo.join("nb.ipynb"), notebook(&[&format!("x = {n}")], n)).expect("write");
        sb.commit_all(&repo, &format!("c{n}"));
    }
    let first = sb.git(&repo, &["log", "-p"]);
    assert!(first.contains("+x = 3"), "{first}");
    let notes = "refs/notes/textconv/nbdiff";
    sb.git(&repo, &["rev-parse", "--verify", "-q", notes]);
    // git keys the cache on the textconv command: its notes commit names it.
    let key = sb.git(&repo, &["log", "-1", "--format=%s", notes]);
    assert!(key.contains("--format-version=2"), "{key}");
    assert_eq!(
        sb.git(&repo, &["log", "-p"]),
        first,
        "the cached text is the same"
    );
    // Another command (a new format after an upgrade): a new cache key.
    let v1 = textconv.trim_end().replace("=2", "=1");
    sb.git(&repo, &["config", "diff.nbdiff.textconv", &v1]);
    let again = sb.git_output(&repo, &["log", "-p"]);
    let key = sb.git(&repo, &["log", "-1", "--format=%s", notes]);
    assert!(
        key.contains("--format-version=1"),
        "the cache was rebuilt: {key}"
    );
    assert!(
        stderr(&again).contains("run `nbdiff config-git --enable` again"),
        "an old format in the config is reported: {}",
        stderr(&again)
    );
    sb.enable(&repo);
    let off = sb.nbdiff(&repo, &["config-git", "--disable"]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert!(
        stdout(&off).contains("update-ref -d refs/notes/textconv/nbdiff"),
        "{}",
        stdout(&off)
    );
    let gone = sb.git_output(&repo, &["rev-parse", "--verify", "-q", notes]);
    assert!(!gone.status.success(), "the cache is removed");
    assert_eq!(sb.git(&repo, &["for-each-ref", "refs/notes"]), "");
}

#[test]
fn file_headers_are_gits_and_renames_are_not_stray_lines() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    let cells: Vec<String> = (0..8).map(|i| format!("cell_{i}()")).collect();
    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
    std::fs::write(repo.join("nb.ipynb"), notebook(&cells, 1)).expect("write");
    std::fs::write(repo.join("two.ipynb"), notebook(&["two()"], 1)).expect("write");
    sb.commit_all(&repo, "one");
    sb.git(&repo, &["mv", "nb.ipynb", "renamed.ipynb"]);
    let mut edited = cells.clone();
    edited[2] = "cell_2(edited)";
    std::fs::write(repo.join("renamed.ipynb"), notebook(&edited, 1)).expect("write");
    std::fs::write(repo.join("two.ipynb"), notebook(&["two(2)"], 1)).expect("write");
    sb.git(&repo, &["add", "-A"]);
    for text in [
        sb.git(&repo, &["diff", "--cached"]),
        stdout(&sb.nbdiff(&repo, &["--cached"])),
    ] {
        assert!(
            !text.lines().any(|l| l.starts_with("nbdiff")),
            "no stray nbdiff lines: {text}"
        );
        assert!(
            text.starts_with("diff --git a/nb.ipynb b/renamed.ipynb\nsimilarity index "),
            "{text}"
        );
        assert!(text.contains("\nrename from nb.ipynb\nrename to renamed.ipynb\n--- a/nb.ipynb\n+++ b/renamed.ipynb\n"), "{text}");
        assert!(text.contains("+cell_2(edited)"), "{text}");
        assert!(
            text.contains("\ndiff --git a/two.ipynb b/two.ipynb\n--- a/two.ipynb\n"),
            "{text}"
        );
        assert_eq!(text.matches("diff --git ").count(), 2, "{text}");
    }
}

#[test]
fn moved_cells_are_named_by_their_first_line() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    let mut cells: Vec<String> = (0..10)
        .map(|i| format!("def step_{i}():\n    return {i}"))
        .collect();
    cells.push("import numpy as np  # the imports".into());
    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
    std::fs::write(repo.join("nb.ipynb"), notebook_without_ids(&refs)).expect("write");
    sb.commit_all(&repo, "one");
    let imports = cells.pop().expect("last");
    cells.insert(0, imports);
    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
    std::fs::write(repo.join("nb.ipynb"), notebook_without_ids(&refs)).expect("write");
    let text = stdout(&sb.nbdiff(&repo, &[]));
    assert!(
        text.contains(
            "── cell 1 [code] unchanged (moved from 11) · import numpy as np  # the imports ──"
        ),
        "{text}"
    );
    // textconv: cell headers carry the first line, so git's hunk headers do.
    sb.commit_all(&repo, "two");
    std::fs::write(
        repo.join("nb.ipynb"),
        notebook_without_ids(&refs).replace("return 7", "return 70"),
    )
    .expect("write");
    sb.commit_all(&repo, "three");
    // One line of context: the hunk starts inside step_7's cell.
    let log = sb.git(&repo, &["log", "-p", "-1", "-U1"]);
    assert!(log.contains(" @@ === code · def step_7():\n"), "{log}");
}
