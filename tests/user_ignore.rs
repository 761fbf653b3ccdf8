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
    // Hidden, but not silent: one line names it.
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

/// A one-cell notebook whose cell printed `printed`, with a cell tag and an
/// attachment.
fn printed(printed: &str, tag: &str) -> String {
    format!(
        "{{\"cells\": [{{\"cell_type\": \"code\", \"execution_count\": 1, \"id\": \"c1\", \"metadata\": {{\"tags\": [\"{tag}\"]}}, \"outputs\": [{{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": [\"{printed}\\n\"]}}, {{\"data\": {{\"text/plain\": [\"'{printed}'\"]}}, \"execution_count\": 1, \"metadata\": {{}}, \"output_type\": \"execute_result\"}}], \"source\": [\"show()\"]}}, {{\"attachments\": {{\"a.png\": {{\"image/png\": \"iVBORw0KGgo=\"}}}}, \"cell_type\": \"markdown\", \"id\": \"m1\", \"metadata\": {{}}, \"source\": [\"![](attachment:a.png)\"]}}], \"metadata\": {{\"kernelspec\": {{\"display_name\": \"Python 3\", \"name\": \"python3\"}}}}, \"nbformat\": 4, \"nbformat_minor\": 5}}\n"
    )
}

/// Issue 18, item 7: a pull request adding an ignore list that names
/// outputs, attachments, whole metadata objects or required fields cannot
/// hide an output change from the review, and cannot make `clean` write an
/// invalid notebook: each entry is refused, named with its file.
#[test]
fn an_ignore_list_cannot_hide_outputs_attachments_or_required_fields() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(repo.join("a.ipynb"), printed("hello", "x")).expect("write");
    std::fs::write(repo.join("b.ipynb"), printed("s3cr3t-key", "x")).expect("write");
    let refused = [
        "output.text",
        "output.data",
        "output.output_type",
        "output.metadata",
        "cell.outputs",
        "cell.attachments",
        "cell.metadata",
        "metadata",
        "cell.source",
        "metadata.kernelspec.name",
    ];
    let list: Vec<String> = refused.iter().map(|p| format!("\"{p}\"")).collect();
    std::fs::write(
        repo.join("pyproject.toml"),
        format!("[tool.nbdiff]\nignore = [{}]\n", list.join(", ")),
    )
    .expect("write");
    let md = sb.nbdiff(&repo, &["--markdown", "--exit-code", "a.ipynb", "b.ipynb"]);
    assert_eq!(md.status.code(), Some(1), "{}", stdout(&md));
    assert!(
        stdout(&md).contains("output 1 (stream stdout)")
            && stdout(&md).contains("output 2 (text/plain)"),
        "the output change is in the review: {}",
        stdout(&md)
    );
    let warned = stderr(&md);
    for p in refused {
        assert!(
            warned.contains(&format!(
                "pyproject.toml (tool.nbdiff.ignore): cannot ignore \"{p}\""
            )),
            "{p}: {warned}"
        );
    }
    // clean refuses the whole configuration: the file is left as it is.
    let before = std::fs::read(repo.join("b.ipynb")).expect("read");
    let clean = sb.nbdiff(&repo, &["clean", "b.ipynb"]);
    assert_eq!(clean.status.code(), Some(2), "{}", stderr(&clean));
    assert!(
        stderr(&clean).contains("b.ipynb: not cleaned: ")
            && stderr(&clean).contains("cannot ignore \"output.text\""),
        "{}",
        stderr(&clean)
    );
    assert_eq!(std::fs::read(repo.join("b.ipynb")).expect("read"), before);
}

/// What stays allowed: keys inside metadata, such as cell tags. The diff
/// hides them, clean strips them, and the two agree.
#[test]
fn ignored_cell_tags_are_hidden_and_stripped_alike() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.nbdiff]\nignore = [\"cell.metadata.tags\"]\n",
    )
    .expect("write");
    std::fs::write(repo.join("a.ipynb"), printed("hello", "x")).expect("write");
    std::fs::write(repo.join("b.ipynb"), printed("hello", "y")).expect("write");
    let out = sb.nbdiff(&repo, &["--no-pager", "--exit-code", "a.ipynb", "b.ipynb"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stderr(&out), "");
    let clean = sb.nbdiff(&repo, &["clean", "a.ipynb"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    let cleaned = std::fs::read_to_string(repo.join("a.ipynb")).expect("read");
    assert!(!cleaned.contains("tags"), "{cleaned}");
    assert!(cleaned.contains("attachment"), "{cleaned}");
    let out = sb.nbdiff(&repo, &["--no-pager", "--exit-code", "a.ipynb", "b.ipynb"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}
