//! A broken configuration and the clean filter: a typo in
//! `pyproject.toml`, a refused `ignore` entry, or a bad `nbdiff.ignore`
//! never yields a partially cleaned notebook. The filter refuses the file
//! and says, naming the notebook, the file and the entry, that the notebook
//! was NOT cleaned and what git does with it: with `filter.nbdiff.required`
//! unset git stages it as it is; set, `git add` fails and the index keeps
//! what it had. The diff goes on with a warning. Real git, clean
//! environment.

use crate::git_util::{stderr, stdout, Sandbox};
use std::path::{Path, PathBuf};

/// An executed one-cell notebook: an execution count, a timing stamp and a
/// view-state key clean strips.
fn executed(source: &str, count: u32) -> String {
    format!(
        "{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n   \"execution_count\": {count},\n   \"id\": \"c1\",\n   \"metadata\": {{\n    \"execution\": {{\n     \"shell.execute_reply\": \"2026-01-0{count}T00:00:00Z\"\n    }},\n    \"jupyter\": {{\n     \"outputs_hidden\": false\n    }}\n   }},\n   \"outputs\": [\n    {{\n     \"name\": \"stdout\",\n     \"output_type\": \"stream\",\n     \"text\": [\n      \"out\\n\"\n     ]\n    }}\n   ],\n   \"source\": [\n    \"{source}\"\n   ]\n  }}\n ],\n \"metadata\": {{}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n"
    )
}

/// A repository with the filter on and `a.ipynb` committed (cleaned).
fn filtered(sb: &Sandbox) -> PathBuf {
    let repo = sb.repo("r");
    let on = sb.nbdiff(&repo, &["config-git", "--enable", "--filter"]);
    assert!(on.status.success(), "{}", stderr(&on));
    std::fs::write(repo.join("a.ipynb"), executed("print(1)", 1)).expect("write");
    sb.commit_all(&repo, "a");
    let stored = sb.git(&repo, &["show", "HEAD:a.ipynb"]);
    assert!(stored.contains("\"execution_count\": null"), "{stored}");
    repo
}

fn add(sb: &Sandbox, repo: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["add"];
    all.extend_from_slice(args);
    sb.git_output(repo, &all)
}

/// The staged file is byte for byte the working tree's: not cleaned.
fn staged_as_is(sb: &Sandbox, repo: &Path, file: &str) -> bool {
    let staged = sb.git(repo, &["show", &format!(":{file}")]);
    staged == std::fs::read_to_string(repo.join(file)).expect("read")
}

#[test]
fn a_typo_in_the_clean_section_stages_the_notebook_uncleaned_and_says_so() {
    let sb = Sandbox::new();
    let repo = filtered(&sb);
    // `output` for `outputs`: an unknown key.
    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.nbdiff.clean]\noutput = \"strip\"\n",
    )
    .expect("write");
    std::fs::write(repo.join("a.ipynb"), executed("print(2)", 2)).expect("write");
    let out = add(&sb, &repo, &["a.ipynb"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("a.ipynb: NOT cleaned: "), "{said}");
    assert!(
        said.contains("pyproject.toml: tool.nbdiff.clean: unknown field `output`"),
        "{said}"
    );
    assert!(said.contains("git stages a.ipynb uncleaned"), "{said}");
    assert!(
        said.contains("git add --renormalize a.ipynb"),
        "what to do next: {said}"
    );
    assert!(
        staged_as_is(&sb, &repo, "a.ipynb"),
        "git staged it as it is"
    );
    // nbdiff compares the working tree as git would stage it (uncleaned)
    // and says why, once.
    std::fs::write(repo.join("a.ipynb"), executed("print(5)", 5)).expect("write");
    let out = sb.nbdiff(&repo, &["--no-pager"]);
    let said = stderr(&out);
    assert_eq!(
        said.matches("the clean filter's settings cannot be read")
            .count(),
        1,
        "{said}"
    );
    assert!(said.contains("unknown field `output`"), "{said}");
    assert!(
        said.contains("compared uncleaned, as git stages them"),
        "{said}"
    );
    assert!(stdout(&out).contains("print(5)"), "{}", stdout(&out));

    // Fixed, then renormalized: the staged notebook is cleaned.
    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.nbdiff.clean]\noutputs = \"strip\"\n",
    )
    .expect("write");
    let out = add(&sb, &repo, &["--renormalize", "a.ipynb"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let staged = sb.git(&repo, &["show", ":a.ipynb"]);
    assert!(
        staged.contains("\"execution_count\": null") && staged.contains("\"outputs\": []"),
        "{staged}"
    );
    assert!(!staged.contains("outputs_hidden"), "{staged}");
}

#[test]
fn with_the_filter_required_a_broken_configuration_stops_git_add() {
    let sb = Sandbox::new();
    let repo = filtered(&sb);
    sb.git(&repo, &["config", "filter.nbdiff.required", "true"]);
    // Not TOML at all: the error names the line and column.
    std::fs::write(repo.join("pyproject.toml"), "[tool.nbdiff]\nignore = [\n").expect("write");
    let before = sb.git(&repo, &["show", ":a.ipynb"]);
    std::fs::write(repo.join("a.ipynb"), executed("print(3)", 3)).expect("write");
    let out = add(&sb, &repo, &["a.ipynb"]);
    assert!(!out.status.success(), "git add must fail");
    let said = stderr(&out);
    assert!(said.contains("a.ipynb: NOT cleaned: "), "{said}");
    assert!(said.contains("pyproject.toml:2:11: "), "{said}");
    assert!(said.contains("not valid TOML"), "{said}");
    assert_eq!(
        sb.git(&repo, &["show", ":a.ipynb"]),
        before,
        "the index keeps what it had"
    );

    // The one-shot form says the same.
    sb.git(&repo, &["config", "--unset", "filter.nbdiff.process"]);
    let out = add(&sb, &repo, &["a.ipynb"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("a.ipynb: NOT cleaned: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(sb.git(&repo, &["show", ":a.ipynb"]), before);
}

#[test]
fn a_refused_ignore_entry_refuses_cleaning_but_not_the_diff() {
    let sb = Sandbox::new();
    let repo = filtered(&sb);
    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.nbdiff]\nignore = [\"cell.metadata.tags\", \"output.text\"]\n",
    )
    .expect("write");
    std::fs::write(repo.join("a.ipynb"), executed("print(4)", 4)).expect("write");
    std::fs::write(repo.join("b.ipynb"), executed("print(5)", 5)).expect("write");
    let out = add(&sb, &repo, &["a.ipynb", "b.ipynb"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("pyproject.toml (tool.nbdiff.ignore): cannot ignore \"output.text\": outputs are content"),
        "names the file and the entry: {said}"
    );
    // Each notebook is named; the error is explained once.
    assert!(said.contains("a.ipynb: NOT cleaned"), "{said}");
    assert!(said.contains("b.ipynb: NOT cleaned"), "{said}");
    // …and each gets its own way back, not only the first.
    for name in ["a.ipynb", "b.ipynb"] {
        let recover = format!("`git add --renormalize {name}`");
        assert!(said.contains(&recover), "{name}: {said}");
    }
    assert_eq!(said.matches("cannot ignore").count(), 1, "{said}");
    assert!(staged_as_is(&sb, &repo, "a.ipynb"));
    assert!(staged_as_is(&sb, &repo, "b.ipynb"));

    // The diff still runs, warning about the entry it skipped.
    let diff = sb.nbdiff(&repo, &["--no-pager", "--cached", "--stat"]);
    assert_eq!(diff.status.code(), Some(0), "{}", stderr(&diff));
    assert!(
        stderr(&diff).contains("cannot ignore \"output.text\"")
            && stderr(&diff).contains("skipped"),
        "{}",
        stderr(&diff)
    );
    assert!(stdout(&diff).contains("a.ipynb"), "{}", stdout(&diff));

    // `nbdiff clean` in place refuses too, and leaves the file alone.
    let before = std::fs::read(repo.join("a.ipynb")).expect("read");
    let clean = sb.nbdiff(&repo, &["clean", "a.ipynb"]);
    assert_eq!(clean.status.code(), Some(2));
    assert!(
        stderr(&clean).contains("a.ipynb: not cleaned: ")
            && stderr(&clean).contains("\"output.text\""),
        "{}",
        stderr(&clean)
    );
    assert_eq!(std::fs::read(repo.join("a.ipynb")).expect("read"), before);
}

#[test]
fn a_refused_git_config_ignore_entry_is_named_by_its_key() {
    let sb = Sandbox::new();
    let repo = filtered(&sb);
    sb.git(
        &repo,
        &["config", "--add", "nbdiff.ignore", "cell.metadata"],
    );
    std::fs::write(repo.join("a.ipynb"), executed("print(6)", 6)).expect("write");
    let out = add(&sb, &repo, &["a.ipynb"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(
        said.contains("a.ipynb: NOT cleaned: git config nbdiff.ignore: cannot ignore \"cell.metadata\": a whole metadata object"),
        "{said}"
    );
    assert!(staged_as_is(&sb, &repo, "a.ipynb"));
}
