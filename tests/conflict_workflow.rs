//! The life of a conflict, from merge to commit, with real git: each path a
//! user takes, asserting at every step that the commands agree.
//!
//! - driver merge → fix in the notebook (as Jupyter saves it) → `git add`
//!   → commit: no record left, the `nbdiff check` hook passes;
//! - conflict left → `check` and the hook block the commit;
//! - line merge without the driver → `nbdiff resolve` → fix → commit;
//! - a hand-edited unmerged file → `resolve` keeps every line, or refuses
//!   with the file untouched (and `--add` stages nothing);
//! - `git mergetool -t nbdiff` → nbdiff's valid notebook is kept.

use crate::git_util::{nbdiff_exe, stderr, stdout, Sandbox};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(case: &str, side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/merge")
        .join(case)
        .join(format!("{side}.ipynb"))
}

/// A repository where `main` and `other` changed the same lines of one cell
/// of `nb.ipynb` (`fixtures/merge/same-lines-conflict`); `setup` runs first
/// (enabling nbdiff or not).
fn diverged(sb: &Sandbox, setup: &[&[&str]]) -> PathBuf {
    let repo = sb.repo("r");
    for args in setup {
        let out = sb.nbdiff(&repo, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    }
    let read = |side| std::fs::read(fixture("same-lines-conflict", side)).expect("fixture");
    let nb = repo.join("nb.ipynb");
    std::fs::write(&nb, read("base")).expect("write");
    sb.commit_all(&repo, "base");
    sb.git(&repo, &["checkout", "-q", "-b", "other"]);
    std::fs::write(&nb, read("remote")).expect("write");
    sb.commit_all(&repo, "remote");
    sb.git(&repo, &["checkout", "-q", "main"]);
    std::fs::write(&nb, read("local")).expect("write");
    sb.commit_all(&repo, "local");
    repo
}

/// [`diverged`], then `git merge other`, which conflicts.
fn conflicted(sb: &Sandbox, setup: &[&[&str]]) -> PathBuf {
    let repo = diverged(sb, setup);
    let out = sb.git_output(&repo, &["merge", "--no-edit", "other"]);
    assert!(
        !out.status.success(),
        "the merge conflicts: {}",
        stdout(&out)
    );
    repo
}

/// The pre-commit hook of `.pre-commit-hooks.yaml`'s `nbdiff-check`, as a
/// plain git hook: `nbdiff check` on the notebooks being committed.
fn install_check_hook(repo: &Path) {
    let hook = repo.join(".git/hooks/pre-commit");
    std::fs::create_dir_all(hook.parent().expect("hooks dir")).expect("mkdir");
    let script = format!(
        "#!/bin/sh\nfiles=$(git diff --cached --name-only --diff-filter=ACM -- '*.ipynb')\n[ -z \"$files\" ] && exit 0\nexec '{}' check $files\n",
        nbdiff_exe()
    );
    std::fs::write(&hook, script).expect("hook");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).expect("read")).expect("a JSON notebook")
}

fn role(cell: &Value) -> Option<&str> {
    cell["metadata"]["nbdiff"]["marker"].as_str()
}

/// What a person does in Jupyter to keep local's version of every conflict:
/// delete the notice cells and remote's versions. Jupyter keeps the other
/// cells' metadata (the records) and rewrites the whole file.
fn keep_local_in_jupyter(path: &Path) {
    let mut v = json(path);
    let cells = v["cells"].as_array_mut().expect("cells");
    let before = cells.len();
    cells.retain(|c| {
        role(c).is_none() && c["metadata"]["nbdiff"]["conflicts"][0]["version"] != "remote"
    });
    assert!(cells.len() < before, "there were notices to delete");
    let mut text = serde_json::to_string_pretty(&v).expect("serialize");
    text.push('\n');
    std::fs::write(path, text).expect("write");
}

fn committed(sb: &Sandbox, repo: &Path) -> String {
    sb.git(repo, &["show", "HEAD:nb.ipynb"])
}

fn unmerged(sb: &Sandbox, repo: &Path) -> String {
    sb.git(repo, &["diff", "--name-only", "--diff-filter=U"])
}

#[test]
fn driver_merge_fixed_in_jupyter_commits_without_records_and_the_hook_passes() {
    let sb = Sandbox::new();
    let repo = diverged(&sb, &[&["config-git", "--enable", "--filter"]]);
    install_check_hook(&repo);
    let out = sb.git_output(&repo, &["merge", "--no-edit", "other"]);
    assert!(!out.status.success(), "the merge conflicts");
    let path = repo.join("nb.ipynb");
    let merged = json(&path);
    let cells = merged["cells"].as_array().expect("cells");
    // Two versions between notices; the notice holds git's marker, inert.
    let roles: Vec<Option<&str>> = cells.iter().map(role).collect();
    assert!(roles.contains(&Some("versions")) && roles.contains(&Some("versions-middle")));
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("`<<<<<<< HEAD`"), "searchable marker: {text}");
    // nbdiff's hint fits: the driver wrote it, resolve it in Jupyter.
    let diff = stdout(&sb.nbdiff(&repo, &[]));
    assert!(
        diff.contains("merged by nbdiff with conflicts left") && !diff.contains("config-git"),
        "{diff}"
    );

    keep_local_in_jupyter(&path);
    // The kept version still carries its record; its conflict is gone, so
    // check does not report it (the hook checks the working file)...
    let check = sb.nbdiff(&repo, &["check", "nb.ipynb"]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    assert!(text.contains("\"nbdiff\""));
    // ...and the clean filter drops it when staging.
    sb.git(&repo, &["add", "nb.ipynb"]);
    let commit = sb.git_output(&repo, &["commit", "--no-edit"]);
    assert!(commit.status.success(), "hook passes: {}", stderr(&commit));
    let head = committed(&sb, &repo);
    assert!(!head.contains("nbdiff"), "no record committed:\n{head}");
    assert!(!head.contains("<<<<<<<"), "{head}");
    // The committed notebook is local's version of the cell.
    let local = std::fs::read_to_string(fixture("same-lines-conflict", "local")).expect("read");
    let local: Value = serde_json::from_str(&local).expect("json");
    let head: Value = serde_json::from_str(&head).expect("json");
    let sources = |v: &Value| -> Vec<Value> {
        v["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .map(|c| c["source"].clone())
            .collect()
    };
    assert_eq!(sources(&head), sources(&local));
    // git and nbdiff agree that nothing is left to commit.
    assert_eq!(sb.git(&repo, &["status", "--porcelain"]), "");
}

#[test]
fn a_conflict_left_is_blocked_by_check_and_the_hook() {
    let sb = Sandbox::new();
    let repo = diverged(&sb, &[&["config-git", "--enable", "--filter"]]);
    install_check_hook(&repo);
    let out = sb.git_output(&repo, &["merge", "--no-edit", "other"]);
    assert!(!out.status.success());
    let check = sb.nbdiff(&repo, &["check", "nb.ipynb"]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    assert!(stdout(&check).contains("conflict"), "{}", stdout(&check));
    // The filter keeps the records of a conflict still present.
    sb.git(&repo, &["add", "nb.ipynb"]);
    let staged = sb.git(&repo, &["show", ":nb.ipynb"]);
    assert!(staged.contains("\"nbdiff\""), "{staged}");
    let commit = sb.git_output(&repo, &["commit", "--no-edit"]);
    assert!(!commit.status.success(), "the hook blocks the commit");
    assert_eq!(
        sb.git(&repo, &["rev-parse", "HEAD"]),
        sb.git(&repo, &["rev-parse", "main"])
    );
    assert!(
        sb.git_output(&repo, &["rev-parse", "-q", "--verify", "MERGE_HEAD"])
            .status
            .success(),
        "still merging"
    );
}

#[test]
fn line_merge_without_the_driver_then_resolve_then_commit() {
    let sb = Sandbox::new();
    let repo = conflicted(&sb, &[]);
    let path = repo.join("nb.ipynb");
    assert!(json_fails(&path), "git's line merge broke the JSON");
    // The hint fits: no driver here.
    let diff = stdout(&sb.nbdiff(&repo, &[]));
    assert!(
        diff.contains("broken by git's line merge") && diff.contains("config-git --enable"),
        "{diff}"
    );
    let out = sb.nbdiff(&repo, &["resolve"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "conflicts left: {}",
        stdout(&out)
    );
    assert!(
        !path.with_extension("ipynb.resolve-backup").exists(),
        "nothing of the user's replaced"
    );
    keep_local_in_jupyter(&path);
    // resolve on the fixed notebook drops the records of resolved conflicts
    // and says what is left to do.
    let out = sb.nbdiff(&repo, &["resolve"]);
    let said = stdout(&out);
    assert!(
        said.contains("dropped") && said.contains("no conflict left") && said.contains("git add"),
        "{said}"
    );
    assert!(!std::fs::read_to_string(&path)
        .expect("read")
        .contains("nbdiff"));
    assert_eq!(
        sb.nbdiff(&repo, &["check", "nb.ipynb"]).status.code(),
        Some(0)
    );
    sb.git(&repo, &["add", "nb.ipynb"]);
    sb.git(&repo, &["commit", "-q", "--no-edit"]);
    assert!(!committed(&sb, &repo).contains("nbdiff"));
    assert_eq!(unmerged(&sb, &repo), "");
}

fn json_fails(path: &Path) -> bool {
    serde_json::from_slice::<Value>(&std::fs::read(path).expect("read")).is_err()
}

/// The line-merged file with one source line outside the conflict block
/// edited by hand (the JSON structure kept).
fn edit_by_hand(path: &Path, from: &str, to: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{from} in:\n{text}");
    let edited = text.replacen(from, to, 1);
    std::fs::write(path, &edited).expect("write");
    edited.into_bytes()
}

#[test]
fn a_hand_edited_unmerged_file_keeps_every_line_or_is_refused_untouched() {
    let sb = Sandbox::new();
    let repo = conflicted(&sb, &[]);
    let path = repo.join("nb.ipynb");
    let line_merged = std::fs::read(&path).expect("read");
    let backup = path.with_extension("ipynb.resolve-backup");

    // 1. A line typed by hand outside the conflict block: merged from the
    // markers, the line is kept, the replaced file is kept as a backup.
    let edited = edit_by_hand(
        &path,
        "\"total = sum(sales.values())\\n\",",
        "\"total = sum(sales.values())  # checked by hand\\n\",",
    );
    let out = sb.nbdiff(&repo, &["resolve", "--add"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let result = std::fs::read_to_string(&path).expect("read");
    assert!(
        result.contains("total = sum(sales.values())  # checked by hand"),
        "{result}"
    );
    assert!(stdout(&out).contains("edited by hand"), "{}", stdout(&out));
    assert_eq!(std::fs::read(&backup).expect("backup"), edited);
    assert_eq!(
        unmerged(&sb, &repo).trim(),
        "nb.ipynb",
        "conflicts left: not staged"
    );

    // 2. A block half resolved by hand (its closing marker deleted) with a
    // new line: the markers cannot be merged, the stages would lose the
    // line: refused, exit 2, the file byte for byte as it was, nothing staged.
    std::fs::write(&path, &line_merged).expect("restore");
    std::fs::remove_file(&backup).expect("rm backup");
    let text = String::from_utf8(line_merged.clone()).expect("utf-8");
    let close = text
        .lines()
        .find(|l| l.starts_with(">>>>>>>"))
        .expect("a closing marker")
        .to_string();
    let half = text.replacen(&format!("{close}\n"), "   \"z = 99\\n\",\n", 1);
    std::fs::write(&path, &half).expect("write");
    for args in [&["resolve"][..], &["resolve", "--add"][..]] {
        let out = sb.nbdiff(&repo, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stdout(&out));
        let said = format!("{}{}", stdout(&out), stderr(&out));
        assert!(
            said.contains("edited by hand")
                && said.contains("untouched")
                && said.contains("--force"),
            "{said}"
        );
        assert_eq!(std::fs::read_to_string(&path).expect("read"), half);
        assert!(!backup.exists());
        assert_eq!(unmerged(&sb, &repo).trim(), "nb.ipynb");
    }

    // 3. --force merges the stages over it, keeping the file as a backup.
    let out = sb.nbdiff(&repo, &["resolve", "--force"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(std::fs::read_to_string(&backup).expect("backup"), half);
    assert!(!json_fails(&path));
}

#[test]
fn git_mergetool_keeps_nbdiffs_valid_notebook() {
    let sb = Sandbox::new();
    // No merge driver for this merge: git's line merge conflicts, then the
    // user sets nbdiff up and runs the merge tool.
    let repo = conflicted(&sb, &[]);
    let on = sb.nbdiff(&repo, &["config-git", "--enable"]);
    assert!(on.status.success(), "{}", stderr(&on));
    let path = repo.join("nb.ipynb");
    assert!(json_fails(&path));
    let out = sb
        .cmd("git", &repo)
        .args(["mergetool", "-t", "nbdiff", "--no-prompt", "nb.ipynb"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("git mergetool");
    let said = format!("{}{}", stdout(&out), stderr(&out));
    assert!(
        !json_fails(&path),
        "nbdiff's notebook is kept, not git's line merge: {said}"
    );
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("`<<<<<<<"), "conflicts marked: {text}");
    assert!(said.contains("conflict(s) left"), "{said}");
    // The conflict left is still caught before commit.
    assert_eq!(
        sb.nbdiff(&repo, &["check", "nb.ipynb"]).status.code(),
        Some(1)
    );
}

#[test]
fn a_merge_creates_no_out_of_order_finding_that_neither_side_had() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.nbdiff(&repo, &["config-git", "--enable"]);
    let case = "rule-execution-order";
    let read = |side| std::fs::read(fixture(case, side)).expect("fixture");
    let nb = repo.join("nb.ipynb");
    std::fs::write(&nb, read("base")).expect("write");
    sb.commit_all(&repo, "base");
    sb.git(&repo, &["checkout", "-q", "-b", "other"]);
    std::fs::write(&nb, read("remote")).expect("write");
    sb.commit_all(&repo, "remote");
    let check = |what: &str| {
        let out = sb.nbdiff(&repo, &["check", "--select", "NB101", "nb.ipynb"]);
        assert_eq!(out.status.code(), Some(0), "{what}: {}", stdout(&out));
    };
    check("remote");
    sb.git(&repo, &["checkout", "-q", "main"]);
    std::fs::write(&nb, read("local")).expect("write");
    sb.commit_all(&repo, "local");
    check("local");
    let out = sb.git_output(&repo, &["merge", "--no-edit", "other"]);
    assert!(out.status.success(), "a clean merge: {}", stderr(&out));
    check("the merge");
    assert!(stderr(&out).contains("renumbered"), "{}", stderr(&out));
}

use crate::report::inert;

#[test]
fn the_html_report_shows_each_conflict_side_by_side_inert() {
    for driver in [true, false] {
        let sb = Sandbox::new();
        let setup: &[&[&str]] = if driver {
            &[&["config-git", "--enable"]]
        } else {
            &[]
        };
        let repo = conflicted(&sb, setup);
        // An unmerged path: from the driver's notebook, or merged from the
        // index stages when git's line merge broke the file.
        let out = sb.nbdiff(&repo, &["--html"]);
        let html = stdout(&out);
        inert::assert_html_inert(&html, "conflict report");
        assert!(html.contains("1 merge conflict"), "driver {driver}: {html}");
        // Base, local and remote of the conflicting line, side by side.
        for want in [
            "&quot;thu&quot;: 9",
            "&quot;thu&quot;: 7",
            "<th scope=\"col\">base</th>",
        ] {
            assert!(html.contains(want), "driver {driver}: {want} in {html}");
        }
    }
    // A conflicted notebook compared as a file: its conflicts are shown too.
    let sb = Sandbox::new();
    let repo = conflicted(&sb, &[&["config-git", "--enable"]]);
    std::fs::copy(
        fixture("same-lines-conflict", "local"),
        repo.join("old.ipynb"),
    )
    .expect("copy");
    let html = stdout(&sb.nbdiff(&repo, &["--html", "old.ipynb", "nb.ipynb"]));
    inert::assert_html_inert(&html, "conflict report");
    assert!(html.contains("1 merge conflict"), "{html}");
}

#[test]
fn whichever_version_is_kept_the_counts_stay_in_order() {
    // rule-execution-order, with local also editing the line remote edited:
    // local ran 5..8 (its version of cell 3 ran as [7]), remote's version of
    // cell 3 ran as [5]; kept next to local's [5] [6], remote's [5] would be
    // out of order.
    let sb = Sandbox::new();
    let dir = sb.path();
    let case = "rule-execution-order";
    let mut local = json(&fixture(case, "local"));
    local["cells"][2]["source"] = Value::from("c = b * 20\nprint(c)");
    std::fs::write(dir.join("local.ipynb"), local.to_string()).expect("write");
    let out = dir.join("out.ipynb");
    let merge = sb.nbdiff(
        dir,
        &[
            "merge",
            fixture(case, "base").to_str().expect("utf-8"),
            "local.ipynb",
            fixture(case, "remote").to_str().expect("utf-8"),
            "-o",
            "out.ipynb",
        ],
    );
    assert_eq!(merge.status.code(), Some(1), "{}", stderr(&merge));
    let merged = json(&out);
    for other in ["remote", "local"] {
        let mut v = merged.clone();
        v["cells"].as_array_mut().expect("cells").retain(|c| {
            role(c).is_none() && c["metadata"]["nbdiff"]["conflicts"][0]["version"] != other
        });
        std::fs::write(dir.join("kept.ipynb"), v.to_string()).expect("write");
        let out = sb.nbdiff(dir, &["check", "--select", "NB101", "kept.ipynb"]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{other}'s deleted: {}",
            stdout(&out)
        );
    }
}
