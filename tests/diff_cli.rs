//! `nbdiff OLD NEW` through the real binary, over the fixture pairs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_nbdiff"));
    // A clean environment: no user pager or colour settings leak in.
    crate::git_util::without_terminal_env(&mut c);
    c
}

fn pair(case: &str) -> (PathBuf, PathBuf) {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/diff")
        .join(case);
    (d.join("old.ipynb"), d.join("new.ipynb"))
}

fn run(case: &str, args: &[&str]) -> Output {
    let (a, b) = pair(case);
    bin()
        .args(args)
        .arg(&a)
        .arg(&b)
        .output()
        .expect("run nbdiff")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_fixture_pair_diffs_without_error() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff");
    let mut n = 0;
    for entry in std::fs::read_dir(root).unwrap() {
        let case = entry.unwrap().file_name().to_string_lossy().into_owned();
        for args in [
            &[][..],
            &["--stat"],
            &["--json"],
            &["-a", "--outputs", "full"],
        ] {
            let o = run(&case, args);
            assert!(
                o.status.code() == Some(0),
                "{case} {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        n += 1;
    }
    assert!(n >= 10, "expected the fixture pairs, found {n}");
}

#[test]
fn reexecuted_notebook_is_equal_by_default_and_not_with_show_all() {
    let o = run("reexecuted-only", &["--exit-code"]);
    assert_eq!(o.status.code(), Some(0));
    // Not silent: one line names what was hidden.
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.ends_with(
            "new.ipynb: only ignored changes (execution counts, metadata.ExecuteTime, metadata.execution); nbdiff -a shows them\n"
        ),
        "{text}"
    );
    let o = run("reexecuted-only", &["--exit-code", "--show-all"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("execution_count"));
}

#[test]
fn identical_notebooks_print_nothing_and_exit_zero() {
    let o = run("identical", &["--exit-code"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    let o = run("identical", &["--json"]);
    assert_eq!(stdout(&o).trim(), "[]");
}

#[test]
fn exit_code_is_one_on_differences() {
    assert_eq!(
        run("source-line-edit", &["--exit-code"]).status.code(),
        Some(1)
    );
    assert_eq!(run("source-line-edit", &[]).status.code(), Some(0));
}

#[test]
fn source_edit_shows_a_unified_hunk_with_cell_header() {
    let out = stdout(&run("source-line-edit", &["--color", "never"]));
    // The header names the cell by its first line.
    let expected = "\
── cell 3 [code] modified · sales = {\"mon\": 3, \"tue\": 5, \"wed\": 2, \"thu\": 8} ──
@@ -1,3 +1,3 @@
 sales = {\"mon\": 3, \"tue\": 5, \"wed\": 2, \"thu\": 8}
-total = sum(sales.values())
+total = sum(v for v in sales.values())
 print(f\"total: {total}\")
";
    assert!(out.ends_with(expected), "{out}");
    assert!(!out.contains('\x1b'), "no colour when piped");
}

#[test]
fn word_change_is_highlighted_in_colour() {
    let out = stdout(&run("word-change", &["--color", "always"]));
    assert!(out.contains("\x1b[1;97;41minvented"), "{out:?}");
    assert!(out.contains("\x1b[1;97;42mmade up"), "{out:?}");
}

#[test]
fn moved_cell_header_says_where_from() {
    let out = stdout(&run("cell-moved-edited", &[]));
    assert!(
        out.contains("── cell 5 [code] modified (moved from 4) · "),
        "{out}"
    );
    let out = stdout(&run("cell-moved-noids", &[]));
    assert!(out.contains("(moved from 6)"), "{out}");
}

#[test]
fn image_output_is_summarized_with_pixel_size() {
    let out = stdout(&run("image-changed", &[]));
    assert!(
        out.contains("output 1 (image/png): 83×64 1.8 KB → 114×64 1.9 KB"),
        "{out}"
    );
}

#[test]
fn metadata_changes_are_json_paths() {
    let out = stdout(&run("notebook-metadata-kernelspec", &[]));
    assert!(
        out.contains(
            "metadata.kernelspec.display_name: \"Python 3 (ipykernel)\" → \"Python 3.12 (venv)\""
        ),
        "{out}"
    );
    let out = stdout(&run(
        "cell-metadata-tags",
        &["--ignore-metadata", "--exit-code"],
    ));
    assert!(
        out.ends_with(": only ignored changes (cell metadata)\n"),
        "{out}"
    );
}

#[test]
fn output_modes_and_ignore_outputs() {
    let summary = stdout(&run("output-text-changed", &[]));
    assert!(
        summary.contains("output 1 (stream stdout): +1 -1 lines"),
        "{summary}"
    );
    let full = stdout(&run("output-text-changed", &["--outputs", "full"]));
    assert!(full.contains("  @@ "), "{full}");
    let none = run("output-text-changed", &["--outputs", "none", "--exit-code"]);
    assert!(!stdout(&none).contains("output 1"));
    assert_eq!(none.status.code(), Some(1), "outputs still differ");
    let ignored = run("output-text-changed", &["--ignore-outputs", "--exit-code"]);
    assert_eq!(ignored.status.code(), Some(0), "{}", stdout(&ignored));
}

#[test]
fn stat_is_one_line_per_notebook_and_cells_on_request() {
    let out = stdout(&run("cell-inserted", &["--stat"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "one row and the total: {out}");
    assert!(
        lines[0].contains("old.ipynb => ")
            && lines[0].contains("new.ipynb | +2 -0 | source changed (1 cell)"),
        "{out}"
    );
    assert!(
        lines[1].starts_with(" 1 notebook changed, 2 source lines added"),
        "{out}"
    );
    assert!(out.is_ascii(), "{out}");
    let cells = stdout(&run("cell-inserted", &["--stat=cells"]));
    assert!(
        cells.contains("cells: 1 added, 0 deleted, 0 modified, 0 moved"),
        "{cells}"
    );
    assert!(
        cells.starts_with(" summary: source changed (1 cell)"),
        "{cells}"
    );
}

#[test]
fn terminal_escapes_in_sources_and_outputs_never_reach_the_terminal() {
    for colour in ["never", "always"] {
        let out = run(
            "terminal-escapes",
            &["--outputs", "full", "-a", "--color", colour],
        );
        let text = stdout(&out);
        let raw_escapes = text.split("\x1b[").skip(1).filter(|s| !ours(s)).count();
        assert_eq!(raw_escapes, 0, "{text:?}");
        assert!(!text.contains('\x07') && !text.contains('\r'), "{text:?}");
        assert!(!text.contains("\x1b]"), "OSC must not pass: {text:?}");
        assert!(
            text.contains("^[]0;pwned^G") || text.contains("pwned"),
            "{text:?}"
        );
    }
}

/// Our own colour codes (SGR with the parameters the renderer uses).
fn ours(after_csi: &str) -> bool {
    [
        "0m", "1m", "1;36m", "36m", "33m", "31m", "32m", "1;97;41m", "1;97;42m",
    ]
    .iter()
    .any(|p| after_csi.starts_with(p))
}

#[test]
fn git_external_diff_arguments_are_accepted() {
    let (a, b) = pair("source-line-edit");
    let o = bin()
        .args(["nb.ipynb"])
        .arg(&a)
        .args(["abc", "100644"])
        .arg(&b)
        .args(["def", "100644"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("cell 3 [code] modified"));
}

#[test]
fn broken_pipe_is_not_an_error() {
    let (a, b) = pair("cell-deleted");
    let mut child = bin()
        .args(["--outputs", "full"])
        .arg(&a)
        .arg(&b)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once, like `| head -0`
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn wrong_argument_count_is_a_usage_error() {
    // Outside a repository: one notebook is not enough.
    let dir = tempfile::tempdir().unwrap();
    let o = bin()
        .arg("only-one.ipynb")
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("to diff two notebooks: nbdiff OLD.ipynb NEW.ipynb"),
        "{err}"
    );
    let o = bin()
        .args(["a", "b", "c"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("expected two notebooks"));
}
