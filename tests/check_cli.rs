//! `nbdiff check` through the real binary: the fixture cases in
//! `fixtures/check/<case>/` (and `fixtures/check/bad/<case>/`), each run as
//! `nbdiff check <args>` in the case folder (`args` defaults to `.`),
//! stdout compared with `expected.txt` and the exit code with
//! `expected-exit`. `NBDIFF_BLESS=1 cargo test check_cli` rewrites both,
//! to be read by eye. Also: docs/check.md lists exactly the rules, and
//! `--staged`, the default file list and .gitignore against real git.

use super::git_util::{nbdiff_exe, Sandbox};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check")
}

fn cases() -> Vec<PathBuf> {
    let list = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    };
    let mut out: Vec<PathBuf> = list(&root())
        .into_iter()
        .chain(list(&root().join("bad")))
        .filter(|p| p.is_dir() && p.file_name().is_some_and(|n| n != "bad"))
        .collect();
    out.sort();
    out
}

#[test]
fn check_fixture_cases() {
    let bless = std::env::var_os("NBDIFF_BLESS").is_some();
    let cases = cases();
    assert!(cases.len() >= 10, "fixture cases not found");
    let mut failures = Vec::new();
    for case in &cases {
        let args: Vec<String> = std::fs::read_to_string(case.join("args"))
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .unwrap_or_else(|_| vec![".".into()]);
        let out = Command::new(nbdiff_exe())
            .arg("check")
            .args(&args)
            .current_dir(case)
            .env("NO_COLOR", "1")
            .output()
            .expect("run nbdiff");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        let code = out.status.code().unwrap_or(-1);
        if bless {
            std::fs::write(case.join("expected.txt"), &stdout).unwrap();
            std::fs::write(case.join("expected-exit"), format!("{code}\n")).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(case.join("expected.txt")).unwrap_or_default();
        let want_code: i32 = std::fs::read_to_string(case.join("expected-exit"))
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0);
        if stdout != want || code != want_code {
            failures.push(format!(
                "{}: exit {code} (want {want_code})\n--- got\n{stdout}--- want\n{want}--- stderr\n{stderr}",
                case.display()
            ));
        }
        // Exit 2 always comes with a message naming the file.
        if code == 2 && !stderr.contains(".ipynb") {
            failures.push(format!(
                "{}: exit 2 without naming a file: {stderr}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn check_docs_list_every_rule_and_only_rules() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/check.md"))
        .unwrap();
    // Every rule has a heading `## NBxxx name`.
    let headings: Vec<&str> = docs
        .lines()
        .filter_map(|l| l.strip_prefix("## NB"))
        .collect();
    for rule in nbdiff::check::Rule::ALL {
        let heading = format!("{} {}", &rule.code()[2..], rule.name());
        assert!(
            headings.iter().any(|h| h.trim() == heading),
            "docs/check.md has no `## {} {}`",
            rule.code(),
            rule.name()
        );
    }
    for h in &headings {
        let code = format!("NB{}", h.split_whitespace().next().unwrap_or(""));
        assert!(
            nbdiff::check::Rule::parse(&code).is_some(),
            "docs/check.md documents `{code}`, which is not a rule"
        );
    }
    assert_eq!(headings.len(), nbdiff::check::Rule::ALL.len());
}

fn notebook(source: &str) -> String {
    let cell = serde_json::json!({
        "cell_type": "code", "execution_count": null, "id": "a", "metadata": {},
        "outputs": [], "source": source,
    });
    serde_json::to_string_pretty(&serde_json::json!({
        "cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }))
    .unwrap()
}

fn run(sb: &Sandbox, dir: &Path, args: &[&str]) -> (i32, String) {
    let out = sb
        .cmd(nbdiff_exe(), dir)
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn git(sb: &Sandbox, dir: &Path, args: &[&str]) {
    let st = sb.cmd("git", dir).args(args).status().unwrap();
    assert!(st.success(), "git {args:?}");
}

#[test]
fn check_staged_reads_the_index_and_defaults_to_tracked_notebooks() {
    let sb = Sandbox::new();
    let repo = sb.path().join("repo");
    std::fs::create_dir_all(repo.join("sub")).unwrap();
    git(&sb, &repo, &["init", "-q"]);
    std::fs::write(repo.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir_all(repo.join("ignored")).unwrap();
    std::fs::write(repo.join("ignored/x.ipynb"), notebook("print(nope1)")).unwrap();
    std::fs::write(repo.join("sub/a.ipynb"), notebook("print(nope2)")).unwrap();
    std::fs::write(repo.join("untracked.ipynb"), notebook("print(nope3)")).unwrap();
    git(&sb, &repo, &["add", ".gitignore", "sub/a.ipynb"]);

    // Default: tracked notebooks under the current directory only.
    let (code, out) = run(&sb, &repo, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("sub/a.ipynb:cell 1:line 1: NB104"), "{out}");
    assert!(
        !out.contains("untracked") && !out.contains("ignored"),
        "{out}"
    );

    // A folder: tracked and untracked, .gitignore honoured.
    let (_, out) = run(&sb, &repo, &["."]);
    assert!(
        out.contains("untracked.ipynb") && out.contains("sub/a.ipynb"),
        "{out}"
    );
    assert!(!out.contains("ignored/x.ipynb"), "{out}");

    // --staged reads the index: a clean working copy does not hide it.
    std::fs::write(repo.join("sub/a.ipynb"), notebook("print(1)")).unwrap();
    let (code, out) = run(&sb, &repo, &["--staged"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("sub/a.ipynb:cell 1:line 1: NB104"), "{out}");
    let (code, out) = run(&sb, &repo, &["sub/a.ipynb"]);
    assert_eq!(code, 0, "{out}");
    // From a subdirectory, paths are relative to it.
    let (_, out) = run(&sb, &repo.join("sub"), &["--staged"]);
    assert!(out.starts_with("a.ipynb:cell 1"), "{out}");
    // Nothing staged: clean.
    git(&sb, &repo, &["add", "sub/a.ipynb"]);
    git(&sb, &repo, &["commit", "-qm", "x"]);
    let (code, out) = run(&sb, &repo, &["--staged"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "0 notebooks checked, no findings\n")
    );
}

#[test]
fn check_never_prints_a_secret() {
    let sb = Sandbox::new();
    let secret = format!("ghp_{}", "Q7mZ2xK9pL4vN8rT1wY6bH3jF5sD0aGcEu2I");
    std::fs::write(
        sb.path().join("s.ipynb"),
        notebook(&format!("token = '{secret}'")),
    )
    .unwrap();
    for format in ["text", "json", "github", "sarif"] {
        let (code, out) = run(&sb, sb.path(), &["s.ipynb", "--format", format]);
        assert_eq!(code, 1);
        assert!(out.contains("NB301"), "{format}: {out}");
        assert!(!out.contains(&secret[4..12]), "{format} leaks: {out}");
    }
}

#[test]
fn check_bad_usage_is_exit_2() {
    let sb = Sandbox::new();
    std::fs::write(sb.path().join("a.ipynb"), notebook("x = 1")).unwrap();
    let (code, _) = run(&sb, sb.path(), &["a.ipynb", "--select", "no-such-rule"]);
    assert_eq!(code, 2);
    let (code, _) = run(&sb, sb.path(), &["missing.ipynb", "a.ipynb"]);
    assert_eq!(code, 2);
    std::fs::write(sb.path().join("nbdiff.toml"), "[check]\nbogus = 1\n").unwrap();
    let out = sb
        .cmd(nbdiff_exe(), sb.path())
        .args(["check", "a.ipynb"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nbdiff.toml"));
}

#[test]
fn check_staged_outside_a_repository_says_so_in_one_line() {
    let sb = Sandbox::new();
    let dir = sb.path().join("plain");
    std::fs::create_dir_all(&dir).unwrap();
    let out = sb
        .cmd(nbdiff_exe(), &dir)
        .env("GIT_CEILING_DIRECTORIES", sb.path())
        .args(["check", "--staged"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not in a git work tree"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

/// A cell nesting 100k levels (`a+a+…`, `f(1)(1)…`,
/// `a[0][0]…`) overflowed the stack and aborted the whole run (exit 134,
/// nothing printed). Now the file gets an error line naming the cell, and
/// the other files on the command line are still checked and reported.
#[test]
fn check_deep_python_is_an_error_for_that_file_only() {
    let sb = Sandbox::new();
    let n = 100_000;
    let deep = [
        format!("x = {}a", "a+".repeat(n)),
        format!("x = f{}", "(1)".repeat(n)),
        format!("x = a{}", "[0]".repeat(n)),
    ];
    for (k, src) in deep.iter().enumerate() {
        std::fs::write(sb.path().join(format!("deep{k}.ipynb")), notebook(src)).unwrap();
    }
    std::fs::write(sb.path().join("other.ipynb"), notebook("print(nope)")).unwrap();
    let out = sb
        .cmd(nbdiff_exe(), sb.path())
        .args([
            "check",
            "deep0.ipynb",
            "other.ipynb",
            "deep1.ipynb",
            "deep2.ipynb",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains("other.ipynb:cell 1:line 1: NB104"),
        "{stdout}"
    );
    assert!(stdout.contains("4 notebooks checked"), "{stdout}");
    for k in 0..3 {
        assert!(
            stderr.contains(&format!("deep{k}.ipynb: cell 1: nested more than")),
            "{stderr}"
        );
    }
    assert!(
        !stderr.contains("overflow") && !stderr.contains("panicked"),
        "{stderr}"
    );
}

/// A notebook whose one code cell printed `lines` in a stream output.
fn notebook_with_output(source: &str, lines: &[&str]) -> String {
    let cell = serde_json::json!({
        "cell_type": "code", "execution_count": 1, "id": "a", "metadata": {},
        "outputs": [{"name": "stdout", "output_type": "stream", "text": lines}],
        "source": source,
    });
    serde_json::to_string_pretty(&serde_json::json!({
        "cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }))
    .unwrap()
}

/// The annotation for a token printed in an output
/// landed on the output object's `{`, lines above the token.
#[test]
fn check_github_annotates_the_line_holding_the_secret() {
    let sb = Sandbox::new();
    let token = format!("ghp_{}", "Q7mZ2xK9pL4vN8rT1wY6bH3jF5sD0aGcEu2I");
    let printed = format!("token: {token}\n");
    let text = notebook_with_output("print(1)", &["one\n", "two\n", &printed]);
    std::fs::write(sb.path().join("o.ipynb"), &text).unwrap();
    let want = 1 + text
        .lines()
        .position(|l| l.contains(&token))
        .expect("the token is in the file");
    let (code, out) = run(&sb, sb.path(), &["o.ipynb", "--format", "github"]);
    assert_eq!(code, 1, "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("NB301"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains(&format!(",line={want},")),
        "want line {want}: {out}"
    );
}

/// Secrets are shown redacted in every format — the
/// user part of a credential URL too — and a multi-line PEM key with a
/// short body is found.
#[test]
fn check_secrets_redacted_in_every_format_and_short_pem_found() {
    let sb = Sandbox::new();
    let user = "Zx81kQ0pLm22vBn7Rt5Wq9Yb";
    let url = format!("!git clone https://{user}:x-oauth-basic@github.com/o/r.git");
    std::fs::write(sb.path().join("u.ipynb"), notebook(&url)).unwrap();
    let pem = "k = '''-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAK\n-----END RSA PRIVATE KEY-----'''\n";
    std::fs::write(sb.path().join("k.ipynb"), notebook(pem)).unwrap();
    for format in ["text", "json", "github", "sarif"] {
        let (code, out) = run(&sb, sb.path(), &["u.ipynb", "k.ipynb", "--format", format]);
        assert_eq!(code, 1, "{format}: {out}");
        assert!(
            !out.contains(&user[4..]),
            "{format} leaks the user part: {out}"
        );
        assert!(!out.contains("MIIBOg"), "{format} leaks the key: {out}");
        assert!(
            out.contains("u.ipynb") && out.contains("k.ipynb"),
            "{format}: {out}"
        );
        assert_eq!(
            out.matches("NB301").count(),
            2 + (format == "sarif") as usize,
            "{format}: {out}"
        );
    }
}

/// `%time z = 1` defines `z`.
#[test]
fn check_time_magic_defines_its_target() {
    let sb = Sandbox::new();
    std::fs::write(sb.path().join("t.ipynb"), notebook("%time z = 1\nprint(z)")).unwrap();
    let (code, out) = run(&sb, sb.path(), &["t.ipynb"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "1 notebook checked, no findings\n")
    );
}
