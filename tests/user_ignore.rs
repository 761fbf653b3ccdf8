//! `git config nbdiff.ignore`: the user's own volatile paths reach the diff
//! (two files, revisions, git's diff driver) and the merge.

use crate::git_util::{stderr, stdout, Sandbox};

/// A one-cell notebook whose cell has `slideshow` metadata `slide`.
fn slides(slide: &str, source: &str) -> String {
    format!(
        "{{\"cells\": [{{\"cell_type\": \"markdown\", \"id\": \"c1\", \"metadata\": {{\"slideshow\": {{\"slide_type\": \"{slide}\"}}}}, \"source\": \"{source}\"}}], \"metadata\": {{}}, \"nbformat\": 4, \"nbformat_minor\": 5}}\n"
    )
}

#[test]
fn ignored_cell_metadata_is_hidden_from_file_and_revision_diffs() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(repo.join("a.ipynb"), slides("slide", "x")).expect("write");
    std::fs::write(repo.join("b.ipynb"), slides("skip", "x")).expect("write");
    let shown = sb.nbdiff(&repo, &["--no-pager", "a.ipynb", "b.ipynb"]);
    assert!(stdout(&shown).contains("slideshow"), "{}", stdout(&shown));

    sb.git(
        &repo,
        &[
            "config",
            "--add",
            "nbdiff.ignore",
            "cell.metadata.slideshow",
        ],
    );
    let hidden = sb.nbdiff(&repo, &["--no-pager", "--exit-code", "a.ipynb", "b.ipynb"]);
    assert_eq!(hidden.status.code(), Some(0), "{}", stdout(&hidden));
    // Hidden, but not silent (issue 9): one line names it.
    assert_eq!(
        stdout(&hidden),
        "b.ipynb: only ignored changes (metadata.slideshow); nbdiff -a shows them\n"
    );
    let all = sb.nbdiff(&repo, &["--no-pager", "-a", "a.ipynb", "b.ipynb"]);
    assert!(
        stdout(&all).contains("slideshow"),
        "-a shows it: {}",
        stdout(&all)
    );

    // A revision diff and git's diff driver read the same setting.
    sb.enable(&repo);
    sb.commit_all(&repo, "one");
    std::fs::write(repo.join("a.ipynb"), slides("skip", "x")).expect("write");
    let revs = sb.nbdiff(&repo, &["--no-pager", "--exit-code"]);
    assert_eq!(revs.status.code(), Some(0), "{}", stdout(&revs));
    let git_diff = sb.git(&repo, &["diff"]);
    assert_eq!(
        git_diff, "a.ipynb: only ignored changes (metadata.slideshow); nbdiff -a shows them\n",
        "hidden from the diff, named in one line"
    );
}

#[test]
fn a_path_that_cannot_be_ignored_is_skipped_with_a_warning() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(repo.join("a.ipynb"), slides("slide", "x")).expect("write");
    std::fs::write(repo.join("b.ipynb"), slides("slide", "y")).expect("write");
    sb.git(&repo, &["config", "--add", "nbdiff.ignore", "cell.source"]);
    let out = sb.nbdiff(&repo, &["--no-pager", "a.ipynb", "b.ipynb"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("git config nbdiff.ignore: cannot ignore \"cell.source\""),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("-x"), "{}", stdout(&out));
}

#[test]
fn the_merge_settles_ignored_paths_to_locals() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    for (name, slide) in [("base", "slide"), ("local", "skip"), ("remote", "fragment")] {
        std::fs::write(repo.join(format!("{name}.ipynb")), slides(slide, "x")).expect("write");
    }
    let args = ["merge", "base.ipynb", "local.ipynb", "remote.ipynb"];
    let conflicted = sb.nbdiff(&repo, &args);
    assert_eq!(conflicted.status.code(), Some(1), "{}", stderr(&conflicted));
    sb.git(
        &repo,
        &[
            "config",
            "--add",
            "nbdiff.ignore",
            "cell.metadata.slideshow",
        ],
    );
    let settled = sb.nbdiff(&repo, &args);
    assert_eq!(settled.status.code(), Some(0), "{}", stderr(&settled));
    assert!(
        stdout(&settled).contains("\"skip\""),
        "{}",
        stdout(&settled)
    );
    assert!(
        stderr(&settled).contains("volatile"),
        "{}",
        stderr(&settled)
    );
}

#[test]
fn global_config_applies_outside_a_repository() {
    let sb = Sandbox::new();
    let dir = sb.path().join("plain");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("a.ipynb"), slides("slide", "x")).expect("write");
    std::fs::write(dir.join("b.ipynb"), slides("skip", "x")).expect("write");
    let args = ["--no-pager", "--exit-code", "a.ipynb", "b.ipynb"];
    assert_eq!(sb.nbdiff(&dir, &args).status.code(), Some(1));
    sb.git(
        &dir,
        &[
            "config",
            "--global",
            "--add",
            "nbdiff.ignore",
            "cell.metadata.slideshow",
        ],
    );
    let out = sb.nbdiff(&dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn the_project_file_adds_paths_too() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(repo.join("a.ipynb"), slides("slide", "x")).expect("write");
    std::fs::write(repo.join("b.ipynb"), slides("skip", "x")).expect("write");
    let args = ["--no-pager", "--exit-code", "a.ipynb", "b.ipynb"];
    assert_eq!(sb.nbdiff(&repo, &args).status.code(), Some(1));
    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.nbdiff]\nignore = [\"cell.metadata.slideshow\", \"cells\"]\n",
    )
    .expect("write");
    let out = sb.nbdiff(&repo, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("pyproject.toml (tool.nbdiff.ignore): cannot ignore \"cells\""),
        "{}",
        stderr(&out)
    );
    std::fs::write(repo.join("pyproject.toml"), "[tool.nbdiff]\nignore = 3\n").expect("write");
    let out = sb.nbdiff(&repo, &args);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the paths are skipped, the diff runs"
    );
    assert!(
        stderr(&out).contains("expected a list of strings"),
        "{}",
        stderr(&out)
    );
}
