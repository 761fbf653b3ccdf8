//! Merges as a person meets them, through the real
//! binary and real git in temporary repositories (clean environment): every
//! conflict visible in the notebook, messages naming the user's file, a few
//! lines per merge rather than one per cell, git's `merge.conflictStyle`.

use crate::git_util::{notebook, stderr, Sandbox};
use nbdiff::notebook::Notebook;
use std::path::{Path, PathBuf};

fn fixture(case: &str, side: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/merge")
        .join(case)
        .join(format!("{side}.ipynb"))
}

/// A repository with the driver enabled, `nb.ipynb` committed as `base` on
/// main, `remote` on branch `other` and `local` on main (not yet merged).
fn diverged(sb: &Sandbox, base: &[u8], local: &[u8], remote: &[u8]) -> PathBuf {
    let repo = sb.repo("r");
    sb.enable(&repo);
    let nb = repo.join("nb.ipynb");
    std::fs::write(&nb, base).expect("write");
    sb.commit_all(&repo, "base");
    sb.git(&repo, &["checkout", "-q", "-b", "other"]);
    std::fs::write(&nb, remote).expect("write");
    sb.commit_all(&repo, "remote");
    sb.git(&repo, &["checkout", "-q", "main"]);
    std::fs::write(&nb, local).expect("write");
    sb.commit_all(&repo, "local");
    repo
}

fn diverged_case(sb: &Sandbox, case: &str) -> PathBuf {
    let read = |side| std::fs::read(fixture(case, side)).expect("read fixture");
    diverged(sb, &read("base"), &read("local"), &read("remote"))
}

/// The cells of `bytes` as (cell type, source).
fn cells(bytes: &[u8]) -> Vec<(String, String)> {
    let nb = Notebook::parse(bytes, "merged").expect("a notebook");
    nb.cells()
        .iter()
        .map(|c| (c.cell_type().to_string(), c.source().into_owned()))
        .collect()
}

/// What Jupyter shows of a notebook: every cell's source and every text output.
fn shown_in_jupyter(bytes: &[u8]) -> String {
    let nb = Notebook::parse(bytes, "merged").expect("a notebook");
    let mut s = String::new();
    for c in nb.cells().iter() {
        s.push_str(&c.source());
        s.push('\n');
        for o in c.outputs() {
            s.push_str(&o.text());
        }
    }
    s
}

/// Item 11: conflicts that have no source markers (a cell moved to different
/// places on both sides, metadata of a cell or of the notebook changed
/// differently) get a visible marker cell, not only a metadata record.
#[test]
fn every_conflict_kind_is_visible_where_jupyter_shows_the_notebook() {
    for case in [
        "rule-both-moved-different-places",
        "rule-metadata-conflict",
        "rule-notebook-metadata-conflict",
    ] {
        let sb = Sandbox::new();
        let repo = diverged_case(&sb, case);
        let out = sb.git_output(&repo, &["merge", "--no-edit", "other"]);
        assert!(!out.status.success(), "{case}: the merge conflicts");
        let merged = std::fs::read(repo.join("nb.ipynb")).expect("read");
        let shown = shown_in_jupyter(&merged);
        assert!(
            shown.lines().any(|l| l.starts_with("<<<<<<<"))
                && shown.lines().any(|l| l.starts_with(">>>>>>>")),
            "{case}: no conflict marker where Jupyter shows the notebook:\n{shown}"
        );
        assert!(
            shown.contains("Merge conflict"),
            "{case}: the marker says what conflicts:\n{shown}"
        );
    }
}

/// Item 11: a notebook whose markers were edited away but whose conflict
/// records were left behind is not committed unnoticed: the diff and
/// textconv show the records and `nbdiff` warns on stderr, once per notebook.
#[test]
fn conflict_records_left_after_resolving_by_hand_are_shown_and_warned_about() {
    let sb = Sandbox::new();
    let repo = diverged_case(&sb, "rule-metadata-conflict");
    let out = sb.git_output(&repo, &["merge", "--no-edit", "other"]);
    assert!(!out.status.success());
    // The user deletes the notice cell (the visible part) and keeps the rest.
    let path = repo.join("nb.ipynb");
    let mut v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("json");
    let cells = v["cells"].as_array_mut().expect("cells");
    cells.retain(|c| c["metadata"]["nbdiff"]["marker"].is_null());
    std::fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("write");

    // The working-tree diff against HEAD (the driver's `git diff`).
    let diff = sb.git_output(&repo, &["diff", "HEAD", "--", "nb.ipynb"]);
    let text = String::from_utf8_lossy(&diff.stdout);
    assert!(
        text.contains("metadata.nbdiff: added"),
        "the record shows in git diff:\n{text}"
    );
    let warn = stderr(&diff);
    assert_eq!(
        warn.lines().filter(|l| l.contains("conflict")).count(),
        1,
        "one warning line for the notebook:\n{warn}"
    );
    assert!(warn.contains("nb.ipynb"), "{warn}");

    // nbdiff OLD NEW warns too.
    let head = repo.join("head.ipynb");
    let shown = sb.git(&repo, &["show", "HEAD:nb.ipynb"]);
    std::fs::write(&head, shown).expect("write");
    let out = sb.nbdiff(&repo, &["head.ipynb", "nb.ipynb"]);
    let warn = stderr(&out);
    assert_eq!(warn.lines().count(), 1, "{warn}");
    assert!(
        warn.contains("nb.ipynb") && warn.contains("conflict record"),
        "{warn}"
    );

    // textconv shows the record.
    let show = sb.nbdiff(&repo, &["show", "nb.ipynb"]);
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(
        text.contains("nbdiff conflict record") && text.contains("metadata/trusted"),
        "{text}"
    );
}

/// Item 11: unresolved markers in a source are warned about too.
#[test]
fn nbdiff_warns_about_conflict_markers_left_in_sources() {
    let sb = Sandbox::new();
    let dir = sb.path();
    std::fs::write(dir.join("a.ipynb"), notebook(&["x = 1"], 1)).expect("write");
    std::fs::write(
        dir.join("b.ipynb"),
        notebook(
            &["<<<<<<< ours\nx = 2\n=======\nx = 3\n>>>>>>> theirs\n"],
            1,
        ),
    )
    .expect("write");
    let out = sb.nbdiff(dir, &["a.ipynb", "b.ipynb"]);
    let warn = stderr(&out);
    assert_eq!(warn.lines().count(), 1, "{warn}");
    assert!(
        warn.contains("b.ipynb") && warn.contains("conflict markers"),
        "{warn}"
    );
    // A clean notebook gets no warning.
    let out = sb.nbdiff(dir, &["b.ipynb", "a.ipynb"]);
    assert_eq!(stderr(&out), "");
}

/// `nbdiff merge base.ipynb local.ipynb remote.ipynb -o OUTPUT` in the
/// sandbox, on copies of the sides of `fixtures/merge/CASE`.
fn merge_copies(sb: &Sandbox, case: &str, output: &str) -> std::process::Output {
    let dir = sb.path();
    for side in ["base", "local", "remote"] {
        std::fs::copy(fixture(case, side), dir.join(format!("{side}.ipynb"))).expect("copy");
    }
    let args = [
        "merge",
        "base.ipynb",
        "local.ipynb",
        "remote.ipynb",
        "-o",
        output,
    ];
    sb.nbdiff(dir, &args)
}

/// Item 12: `nbdiff merge … -o OUT` names OUT (under `git mergetool`, LOCAL
/// is a temporary file deleted afterwards).
#[test]
fn merge_messages_name_the_output_file() {
    let sb = Sandbox::new();
    let out = merge_copies(&sb, "rule-same-lines-conflict", "out.ipynb");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("out.ipynb: 1 conflict(s) left"), "{err}");
    assert!(!err.contains("local.ipynb"), "{err}");
}

/// Item 12: with an unwritable `-o`, the write error is the first and only message.
#[test]
fn unwritable_output_is_the_only_message() {
    let sb = Sandbox::new();
    let out = merge_copies(
        &sb,
        "rule-outputs-both-reran-same-source",
        "no/such/dir/out.ipynb",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("nbdiff: no/such/dir/out.ipynb: cannot write the merge result"),
        "{err}"
    );
}

/// Item 12: inside `git merge`, the driver names the path in the repository
/// (`%P`), not git's temporary file.
#[test]
fn merge_driver_messages_name_the_repository_path() {
    let sb = Sandbox::new();
    let repo = diverged_case(&sb, "rule-same-lines-conflict");
    let out = sb.git_output(&repo, &["merge", "--no-edit", "other"]);
    let err = String::from_utf8_lossy(&out.stdout).into_owned() + &stderr(&out);
    assert!(
        err.contains("nbdiff: nb.ipynb: 1 conflict(s) left"),
        "{err}"
    );
    assert!(!err.contains(".merge_file"), "{err}");
}

/// `n` code cells, each re-run with execution count `count` (same outputs).
fn reexecuted(n: usize, count: u32) -> String {
    let sources: Vec<String> = (0..n).map(|i| format!("x{i} = {i}")).collect();
    let refs: Vec<&str> = sources.iter().map(String::as_str).collect();
    notebook(&refs, count)
}

/// Item 13: a merge of two re-executed notebooks reports a few lines, not one
/// per cell; `-v` and `NBDIFF_VERBOSE=1` (for the driver) list every cell.
#[test]
fn rule_based_resolutions_are_summarised_per_kind() {
    let n = 500;
    let sb = Sandbox::new();
    let (b, l, r) = (reexecuted(n, 1), reexecuted(n, 2), reexecuted(n, 3));
    let repo = diverged(&sb, b.as_bytes(), l.as_bytes(), r.as_bytes());
    let out = sb.git_output(&repo, &["merge", "--no-edit", "other"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let ours: Vec<&str> = err.lines().filter(|l| l.starts_with("nbdiff:")).collect();
    assert!(
        ours.len() <= 3,
        "at most a few lines per file, got {}:\n{err}",
        ours.len()
    );
    assert!(
        err.contains(
            "nbdiff: nb.ipynb: 500 cells: execution counts differ on both sides; kept local's"
        ),
        "{err}"
    );

    // The driver lists each with NBDIFF_VERBOSE=1.
    sb.git(&repo, &["reset", "-q", "--hard", "HEAD~1"]);
    let out = sb
        .cmd("git", &repo)
        .args(["merge", "--no-edit", "other"])
        .env("NBDIFF_VERBOSE", "1")
        .output()
        .expect("git merge");
    assert!(out.status.success());
    let err = stderr(&out);
    assert_eq!(
        err.lines()
            .filter(|l| l.contains(": execution counts differ on both sides"))
            .count(),
        n,
        "{err}"
    );

    // nbdiff merge -v lists each.
    let dir = sb.path();
    for (name, text) in [("b.ipynb", &b), ("l.ipynb", &l), ("r.ipynb", &r)] {
        std::fs::write(dir.join(name), text).expect("write");
    }
    let out = sb.nbdiff(
        dir,
        &["merge", "b.ipynb", "l.ipynb", "r.ipynb", "-o", "o.ipynb"],
    );
    assert!(stderr(&out).lines().count() <= 3, "{}", stderr(&out));
    let out = sb.nbdiff(
        dir,
        &[
            "merge", "-v", "b.ipynb", "l.ipynb", "r.ipynb", "-o", "o.ipynb",
        ],
    );
    // Besides, `-v` says each setting and where it came from.
    let err = stderr(&out);
    let settings = err
        .lines()
        .filter(|l| l.starts_with("nbdiff: setting "))
        .count();
    // The four merge settings, the read limit and the user's volatile paths.
    assert_eq!(settings, 6, "{err}");
    assert!(
        err.contains("nbdiff: setting merge.outputs = auto (default)"),
        "{err}"
    );
    assert!(
        err.contains("nbdiff: setting ignore = none (default)"),
        "{err}"
    );
    assert_eq!(err.lines().count() - settings, n, "{err}");
}

/// Item 14: the driver honours `merge.conflictStyle` (`diff3`, `zdiff3`)
/// from git config: the conflict's notice shows the base version, labelled
/// as git labels it, and the two versions are local's and remote's texts.
#[test]
fn merge_driver_honours_merge_conflict_style() {
    let base = "import math\nxs = list(range(10))\nprint(xs)\n";
    let local = "import math\nimport numpy as np\nxs = np.arange(20)\nprint(xs)\n";
    let remote = "import math\nimport numpy as np\nxs = np.arange(30)\nprint(xs)\n";
    let check = |what: &str, merged: &[u8], base_shown: bool| {
        let got = cells(merged);
        let sources: Vec<&str> = got.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            sources.len(),
            4,
            "{what}: notice, local, notice, remote: {sources:?}"
        );
        assert_eq!(sources[1], local, "{what}: local's version");
        assert_eq!(sources[3], remote, "{what}: remote's version");
        assert_eq!(
            sources[0].contains(&format!("\n{base}")),
            base_shown,
            "{what}: base version in the notice:\n{}",
            sources[0]
        );
    };
    for style in ["diff3", "zdiff3"] {
        let sb = Sandbox::new();
        let repo = diverged(
            &sb,
            notebook(&[base], 1).as_bytes(),
            notebook(&[local], 1).as_bytes(),
            notebook(&[remote], 1).as_bytes(),
        );
        let setting = format!("merge.conflictStyle={style}");
        let out = sb.git_output(&repo, &["-c", &setting, "merge", "--no-edit", "other"]);
        assert!(!out.status.success(), "{style}: conflicts");
        let merged = std::fs::read(repo.join("nb.ipynb")).expect("read");
        check(style, &merged, true);
    }
    // Without the setting, no base; `nbdiff merge --conflict-style` by hand.
    let sb = Sandbox::new();
    let dir = sb.path();
    for (name, t) in [("b.ipynb", base), ("l.ipynb", local), ("r.ipynb", remote)] {
        std::fs::write(dir.join(name), notebook(&[t], 1)).expect("write");
    }
    for (args, shown) in [
        (&["--conflict-style", "zdiff3"][..], true),
        (&["--conflict-style", "merge"][..], false),
    ] {
        let mut all = vec!["merge"];
        all.extend_from_slice(args);
        all.extend(["b.ipynb", "l.ipynb", "r.ipynb"]);
        let out = sb.nbdiff(dir, &all);
        assert_eq!(out.status.code(), Some(1));
        check(&args.join(" "), &out.stdout, shown);
    }
}
