//! One truth about a notebook: what `clean` strips
//! is exactly what the diff hides, so `nbdiff --exit-code X clean(X)` is 0
//! for every notebook, `-a` shows what was stripped, and clean is
//! idempotent. Each class of notebook that once broke this has a
//! project-made case here; every fixture is checked in-process too.

use crate::git_util::{stderr, stdout, Sandbox};
use nbdiff::clean::{CleanOptions, Cleaner, Keep};
use nbdiff::diff::{diff_notebooks, DiffOptions};
use nbdiff::notebook::Notebook;
use std::path::Path;

/// A notebook of code cells with the given cell metadata (JSON objects),
/// each cell run once, and the given notebook metadata.
fn notebook(meta: &str, cell_metas: &[&str]) -> String {
    let cells: Vec<String> = cell_metas
        .iter()
        .enumerate()
        .map(|(i, m)| {
            format!(
                r#"  {{"cell_type": "code", "execution_count": {n}, "id": "c{i}", "metadata": {m}, "outputs": [{{"name": "stdout", "output_type": "stream", "text": ["{i}\n"]}}], "source": ["print({i})"]}}"#,
                n = i + 1
            )
        })
        .collect();
    format!(
        "{{\n \"cells\": [\n{}\n ],\n \"metadata\": {meta},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n",
        cells.join(",\n")
    )
}

/// The classes of strip that once showed in the diff: an object the
/// stripping empties (cell or notebook metadata), at any depth, beside
/// plain strips. Each: (name, notebook, a path `-a` shows).
fn cases() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "jupyterlab-outputs-hidden",
            notebook("{}", &[r#"{"jupyter": {"outputs_hidden": false}}"#, "{}"]),
            "metadata.jupyter.outputs_hidden",
        ),
        (
            "jupyterlab-both-hidden",
            notebook(
                "{}",
                &[
                    r#"{"jupyter": {"source_hidden": true, "outputs_hidden": true}, "tags": ["keep"]}"#,
                ],
            ),
            "metadata.jupyter.source_hidden",
        ),
        (
            "jupyter-object-with-other-keys",
            notebook(
                "{}",
                &[r#"{"jupyter": {"outputs_hidden": true, "mine": 1}}"#],
            ),
            "metadata.jupyter.outputs_hidden",
        ),
        (
            "language-info-only-version",
            notebook(r#"{"language_info": {"version": "3.11.4"}}"#, &["{}"]),
            "metadata.language_info.version",
        ),
        (
            "papermill-only-run-stamps",
            notebook(
                r#"{"papermill": {"duration": 1.5, "end_time": "b", "exception": null, "start_time": "a"}}"#,
                &["{}"],
            ),
            "metadata.papermill.duration",
        ),
        (
            "timings-and-view-state",
            notebook(
                r#"{"widgets": {"state": {}}}"#,
                &[
                    r#"{"collapsed": false, "execution": {"iopub.status.busy": "t"}, "ExecuteTime": {"end_time": "t"}}"#,
                ],
            ),
            "metadata.execution",
        ),
    ]
}

fn parse(bytes: &[u8], name: &str) -> Notebook {
    Notebook::parse(bytes, name).expect("a notebook")
}

/// `nbdiff clean` of every case through the binary, then `nbdiff X C` in
/// every format: nothing shown, exit 0; `-a` shows the stripped path; a
/// second clean changes nothing.
#[test]
fn nbdiff_of_a_notebook_and_its_cleaned_self_is_empty_in_every_format() {
    let sb = Sandbox::new();
    let dir = sb.path().join("plain");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for (name, text, stripped) in cases() {
        let x = format!("{name}.ipynb");
        let c = format!("{name}.clean.ipynb");
        std::fs::write(dir.join(&x), &text).expect("write");
        let cleaned = clean_stdin(&sb, &dir, text.as_bytes(), &[]);
        assert_ne!(cleaned, text.as_bytes(), "{name}: clean stripped something");
        std::fs::write(dir.join(&c), &cleaned).expect("write");
        for format in [&[][..], &["--stat"], &["--markdown"], &["--html"]] {
            let mut args = vec!["--no-pager", "--color", "never", "--exit-code"];
            args.extend_from_slice(format);
            args.extend([x.as_str(), c.as_str()]);
            let out = sb.nbdiff(&dir, &args);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{name} {format:?}: {}{}",
                stdout(&out),
                stderr(&out)
            );
            // The parent of a hidden key is not shown as a change.
            for parent in [
                "{\"outputs_hidden\"",
                "{&quot;outputs_hidden",
                "{\"version\"",
            ] {
                assert!(
                    !stdout(&out).contains(parent),
                    "{name} {format:?}: {}",
                    stdout(&out)
                );
            }
        }
        let all = sb.nbdiff(&dir, &["--no-pager", "--color", "never", "-a", &x, &c]);
        assert!(
            stdout(&all).contains(stripped),
            "{name}: -a shows {stripped}: {}",
            stdout(&all)
        );
        let again = clean_stdin(&sb, &dir, &cleaned, &[]);
        assert_eq!(again, cleaned, "{name}: clean of clean is clean");
    }
}

fn clean_stdin(sb: &Sandbox, dir: &Path, input: &[u8], args: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut child = sb
        .cmd(crate::git_util::nbdiff_exe(), dir)
        .arg("clean")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run nbdiff clean");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    out.stdout
}

/// The user's own nested path: clean removes it and the objects it
/// emptied; the diff hides all of that.
#[test]
fn a_users_nested_path_emptied_by_clean_is_hidden_too() {
    let sb = Sandbox::new();
    let dir = sb.repo("r");
    std::fs::write(
        dir.join("pyproject.toml"),
        "[tool.nbdiff]\nignore = [\"cell.metadata.review.state.done\"]\n",
    )
    .expect("write");
    let text = notebook(
        "{}",
        &[
            r#"{"review": {"state": {"done": true}}}"#,
            r#"{"review": {"state": {"done": false}, "by": "me"}}"#,
        ],
    );
    std::fs::write(dir.join("x.ipynb"), &text).expect("write");
    let cleaned = clean_stdin(&sb, &dir, text.as_bytes(), &[]);
    let cleaned_text = String::from_utf8(cleaned.clone()).expect("utf-8");
    assert!(!cleaned_text.contains("done"), "{cleaned_text}");
    assert!(cleaned_text.contains("\"by\": \"me\""), "{cleaned_text}");
    std::fs::write(dir.join("c.ipynb"), &cleaned).expect("write");
    let out = sb.nbdiff(&dir, &["--no-pager", "--exit-code", "x.ipynb", "c.ipynb"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let all = sb.nbdiff(&dir, &["--no-pager", "-a", "x.ipynb", "c.ipynb"]);
    assert!(
        stdout(&all).contains("metadata.review.state.done"),
        "{}",
        stdout(&all)
    );
}

/// A real change beside hidden-only ones: only the real one counts, in
/// every renderer.
#[test]
fn only_the_real_change_counts_beside_hidden_keys_added_to_other_cells() {
    let sb = Sandbox::new();
    let dir = sb.path().join("plain");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let old = notebook("{}", &["{}", "{}", "{}"]);
    let new = notebook(
        "{}",
        &[
            r#"{"jupyter": {"outputs_hidden": false}}"#,
            r#"{"jupyter": {"source_hidden": true}}"#,
            r#"{"tags": ["real"]}"#,
        ],
    );
    std::fs::write(dir.join("a.ipynb"), old).expect("write");
    std::fs::write(dir.join("b.ipynb"), new).expect("write");
    let stat = sb.nbdiff(
        &dir,
        &[
            "--no-pager",
            "--stat=cells",
            "--exit-code",
            "a.ipynb",
            "b.ipynb",
        ],
    );
    assert_eq!(stat.status.code(), Some(1));
    assert!(
        stdout(&stat).contains("0 added, 0 deleted, 1 modified"),
        "{}",
        stdout(&stat)
    );
    let md = sb.nbdiff(&dir, &["--markdown", "a.ipynb", "b.ipynb"]);
    assert!(stdout(&md).contains("| 0 | 0 | 1 | 0 |"), "{}", stdout(&md));
    let html = sb.nbdiff(&dir, &["--html", "a.ipynb", "b.ipynb"]);
    assert!(
        stdout(&html).contains("0 added, 0 deleted, 1 modified"),
        "{}",
        stdout(&html)
    );
    let term = sb.nbdiff(
        &dir,
        &["--no-pager", "--color", "never", "a.ipynb", "b.ipynb"],
    );
    assert_eq!(
        stdout(&term).matches("modified").count(),
        1,
        "{}",
        stdout(&term)
    );
    assert!(stdout(&term).contains("metadata.tags"), "{}", stdout(&term));
}

/// The invariant over every fixture, in-process: default settings, and
/// outputs stripped (compared with `--ignore-outputs`, the outputs being a
/// change the user asked for).
#[test]
fn diff_of_every_fixture_and_its_cleaned_self_is_empty_and_clean_is_idempotent() {
    let mut failed = Vec::new();
    let mut cleaned_some = 0;
    for f in crate::round_trip::fixture_notebooks() {
        let name = f.display().to_string();
        let bytes = std::fs::read(&f).expect("read");
        for outputs in [Keep::Keep, Keep::Strip] {
            let cleaner = Cleaner::with_defaults(CleanOptions {
                outputs,
                ..CleanOptions::default()
            });
            let Some(out) = cleaner.clean(&bytes, &name).expect("cleans").bytes else {
                continue;
            };
            cleaned_some += 1;
            if cleaner.clean(&out, &name).expect("cleans").bytes.is_some() {
                failed.push(format!("{name}: clean of clean changed"));
            }
            let (x, c) = (parse(&bytes, &name), parse(&out, &name));
            let opts = DiffOptions {
                ignore_outputs: outputs == Keep::Strip,
                ..DiffOptions::default()
            };
            let d = diff_notebooks(&x, &c, &opts);
            if !d.is_empty() {
                failed.push(format!("{name} ({outputs:?}): {:?}", d.stats()));
            }
            let all = DiffOptions {
                show_all: true,
                ..opts
            };
            if diff_notebooks(&x, &c, &all).is_empty() {
                failed.push(format!("{name}: -a shows nothing of what clean stripped"));
            }
        }
    }
    assert!(
        cleaned_some > 20,
        "only {cleaned_some} fixtures were cleaned"
    );
    assert!(failed.is_empty(), "{failed:#?}");
}

/// The table itself: `clean` strips by default only what the diff hides.
#[test]
fn clean_strips_by_default_only_what_the_diff_hides() {
    use nbdiff::policy::{DiffRule, Policy};
    let policy = Policy::defaults();
    for f in policy.fields_to_clean(false) {
        assert_eq!(f.diff, DiffRule::Hidden, "{}", f.qualified_path());
    }
}

/// The issue's sequence through git: a collaborator's JupyterLab adds
/// `jupyter.outputs_hidden` to many cells beside one real output change.
/// `git diff` (the driver), `nbdiff`, `--stat` and the reports show the one
/// change; with only view state left, none shows a cell; with the filter
/// on, `git add` stores the notebook without it and nothing is staged.
#[test]
fn view_state_added_by_jupyterlab_is_no_change_for_git_diff_nbdiff_and_the_filter() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    let plain = notebook("{}", &["{}", "{}", "{}"]);
    std::fs::write(repo.join("a.ipynb"), &plain).expect("write");
    sb.commit_all(&repo, "a");

    let viewed = notebook(
        "{}",
        &[
            r#"{"jupyter": {"outputs_hidden": false}}"#,
            r#"{"jupyter": {"outputs_hidden": true, "source_hidden": true}}"#,
            r#"{"jupyter": {"outputs_hidden": false}}"#,
        ],
    );
    // One real change too: the third cell printed something else.
    let changed = viewed.replacen("[\"2\\n\"]", "[\"two\\n\"]", 1);
    assert_ne!(changed, viewed);
    std::fs::write(repo.join("a.ipynb"), &changed).expect("write");
    let git_diff = sb.git(&repo, &["diff"]);
    assert_eq!(git_diff.matches("── cell").count(), 1, "{git_diff}");
    assert!(git_diff.contains("── cell 3"), "{git_diff}");
    assert!(!git_diff.contains("metadata.jupyter"), "{git_diff}");
    let stat = sb.nbdiff(&repo, &["--no-pager", "--stat=cells"]);
    assert!(
        stdout(&stat).contains("0 added, 0 deleted, 1 modified"),
        "{}",
        stdout(&stat)
    );
    let md = sb.nbdiff(&repo, &["--markdown"]);
    assert!(stdout(&md).contains("| 0 | 0 | 1 | 0 |"), "{}", stdout(&md));

    // Only the view state left: nothing to see anywhere, exit code 0.
    std::fs::write(repo.join("a.ipynb"), &viewed).expect("write");
    for args in [
        &["--no-pager", "--exit-code"][..],
        &["--no-pager", "--exit-code", "--stat"],
        &["--exit-code", "--markdown"],
        &["--exit-code", "--html"],
    ] {
        let out = sb.nbdiff(&repo, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stdout(&out));
        assert!(!stdout(&out).contains("── cell"), "{}", stdout(&out));
    }
    let git_diff = sb.git(&repo, &["diff"]);
    assert!(!git_diff.contains("── cell"), "{git_diff}");

    // The filter stores the notebook without the view state (and counts):
    // what is staged differs from HEAD only in hidden data.
    let on = sb.nbdiff(&repo, &["config-git", "--enable", "--filter"]);
    assert!(on.status.success(), "{}", stderr(&on));
    sb.git(&repo, &["add", "a.ipynb"]);
    let staged = sb.git(&repo, &["show", ":a.ipynb"]);
    assert!(!staged.contains("jupyter"), "{staged}");
    let cached = sb.nbdiff(&repo, &["--no-pager", "--exit-code", "--cached"]);
    assert_eq!(cached.status.code(), Some(0), "{}", stdout(&cached));
    let git_cached = sb.git(&repo, &["diff", "--cached"]);
    assert!(!git_cached.contains("── cell"), "{git_cached}");
}
