//! `nbdiff clean`: idempotence and byte fidelity on every fixture, the
//! command's modes (filter, in place, --check, project configuration, bad
//! input), and the clean filter through real git (one-shot and the
//! long-running process).

use crate::git_util::{stderr, stdout, Sandbox};
use nbdiff::clean::{CleanOptions, Cleaned, Cleaner, Keep};
use nbdiff::notebook::LoadError;
use nbdiff::policy::{CleanRule, Scope, DEFAULT_FIELDS};
use nbdiff::text::line_diff::OpKind;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn clean(bytes: &[u8], name: &str, opts: &CleanOptions) -> Result<Cleaned, LoadError> {
    Cleaner::with_defaults(*opts).clean(bytes, name)
}

const STRIP_OUTPUTS: CleanOptions = CleanOptions {
    outputs: Keep::Strip,
    execution_counts: Keep::Strip,
};

/// True when a difference at `path` (JSON path, `/`-separated, array
/// indices as numbers) is one clean may make: the policy table's `clean`
/// column, matched here independently of the cleaner's own walk.
fn strippable(path: &str, outputs: bool) -> bool {
    // The path relative to its cell (v4 `/cells/N`, v3 `/worksheets/N/cells/M`)
    // or to the notebook.
    let segs: Vec<&str> = path.split('/').skip(1).collect();
    let rel_start = match segs.as_slice() {
        ["cells", _, ..] => 2,
        ["worksheets", _, "cells", _, ..] => 4,
        _ => 0,
    };
    let rel = format!("/{}", segs[rel_start..].join("/"));
    if rel.ends_with("/execution_count") || rel.ends_with("/prompt_number") {
        return true;
    }
    if outputs && (rel == "/outputs" || rel.starts_with("/outputs/")) {
        return true;
    }
    if rel == "/metadata" {
        return false;
    }
    let scope = match rel_start {
        0 => Scope::Notebook,
        _ if rel.starts_with("/outputs/") => Scope::Output,
        _ => Scope::Cell,
    };
    let rel = match scope {
        // `/outputs/N/execution_count` → `/execution_count` in the output.
        Scope::Output => format!("/{}", rel.splitn(4, '/').nth(3).unwrap_or("")),
        _ => rel,
    };
    DEFAULT_FIELDS
        .iter()
        .filter(|f| f.scope == scope && f.clean == CleanRule::Strip)
        .map(|f| format!("/{}", f.path.replace('.', "/")))
        .any(|v| {
            // The path itself, something below it, or an object on the way
            // that held nothing else.
            v == rel || rel.starts_with(&format!("{v}/")) || v.starts_with(&format!("{rel}/"))
        })
}

/// Every path where `a` and `b` differ (a key missing on one side counts).
fn differences(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => differences(va, vb, &format!("{path}/{k}"), out),
                    None => out.push(format!("{path}/{k}")),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(format!("{path}/{k}"));
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                differences(va, vb, &format!("{path}/{i}"), out);
            }
        }
        _ if a == b => {}
        _ => out.push(path.to_string()),
    }
}

/// Lines of `after` that are not lines of `before` must be the few a
/// strip writes (`"execution_count": null`, `[]`, `{}`) or an untouched
/// line that only lost its trailing comma.
fn changed_lines_are_only_strips(before: &str, after: &str) -> Result<(), String> {
    let diff = nbdiff::text::line_diff::diff_texts(before, after);
    let norm = |l: &str| l.trim().trim_end_matches(',').to_string();
    let mut deleted: HashMap<String, usize> = HashMap::new();
    let mut inserted = Vec::new();
    for op in &diff.ops {
        match op.kind {
            OpKind::Delete => {
                for l in &diff.old_lines[op.old.clone()] {
                    *deleted.entry(norm(l)).or_default() += 1;
                }
            }
            OpKind::Insert => {
                inserted.extend(diff.new_lines[op.new.clone()].iter().map(|l| norm(l)))
            }
            OpKind::Equal => {}
        }
    }
    let written = [
        "\"execution_count\": null",
        "\"outputs\": []",
        "\"metadata\": {}",
    ];
    for line in inserted {
        if written.contains(&line.as_str()) {
            continue;
        }
        match deleted.get_mut(&line) {
            Some(n) if *n > 0 => *n -= 1,
            _ => {
                return Err(format!(
                    "line written that the input did not have: {line:?}"
                ))
            }
        }
    }
    Ok(())
}

#[test]
fn clean_is_idempotent_and_keeps_every_other_byte_for_every_fixture() {
    let mut failed = Vec::new();
    let mut cleaned_some = 0;
    for f in crate::round_trip::fixture_notebooks() {
        let name = f.display().to_string();
        let bytes = std::fs::read(&f).unwrap();
        for opts in [CleanOptions::default(), STRIP_OUTPUTS] {
            let outputs = opts.outputs == Keep::Strip;
            let first = clean(&bytes, &name, &opts).unwrap();
            let Some(out) = first.bytes else {
                assert!(first.plan.is_empty());
                continue;
            };
            cleaned_some += 1;
            let second = clean(&out, &name, &opts).unwrap();
            if second.bytes.is_some() {
                failed.push(format!(
                    "{name}: clean of clean changed ({:?})",
                    second.plan
                ));
            }
            let a: Value = serde_json::from_slice(&bytes).unwrap();
            let b: Value = serde_json::from_slice(&out).unwrap();
            let mut diffs = Vec::new();
            differences(&a, &b, "", &mut diffs);
            for d in diffs.iter().filter(|d| !strippable(d, outputs)) {
                failed.push(format!("{name}: changed {d}, which clean must keep"));
            }
            if diffs.is_empty() {
                failed.push(format!("{name}: bytes changed but no value did"));
            }
            let (before, after) = (
                String::from_utf8(bytes.clone()).unwrap(),
                String::from_utf8(out.clone()).unwrap(),
            );
            // A cell something is stripped from is rewritten in the file's
            // style; files formatted by hand on purpose (no single style)
            // get that cell's layout normalized, so only their values count.
            let hand_formatted = name.contains("hand-formatted");
            let lines = changed_lines_are_only_strips(&before, &after);
            if let (Err(e), false) = (lines, hand_formatted) {
                failed.push(format!("{name}: {e}"));
            }
        }
    }
    assert!(
        cleaned_some > 20,
        "only {cleaned_some} fixtures had anything to strip"
    );
    assert!(failed.is_empty(), "{failed:#?}");
}

#[test]
fn a_clean_notebook_comes_back_as_the_same_bytes_even_when_hand_formatted() {
    // Odd spacing no single style describes: nothing to strip, so the very
    // input comes back.
    let text = "{\"cells\": [ {\"cell_type\":\"markdown\", \"metadata\" : {}, \"source\": \"# hi\"}],\n  \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 4}";
    let c = clean(text.as_bytes(), "x.ipynb", &CleanOptions::default()).unwrap();
    assert!(c.plan.is_empty() && c.bytes.is_none());
}

#[test]
fn an_untouched_hand_formatted_cell_is_copied_verbatim_beside_a_cleaned_one() {
    let text = concat!(
        "{\n \"cells\": [\n",
        "  {\"cell_type\":   \"markdown\",  \"metadata\": {}, \"source\": \"# kept as typed\"},\n",
        "  {\n   \"cell_type\": \"code\",\n   \"execution_count\": 4,\n   \"metadata\": {},\n   \"outputs\": [],\n   \"source\": \"x\"\n  }\n",
        " ],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 4\n}\n"
    );
    let c = clean(text.as_bytes(), "x.ipynb", &CleanOptions::default()).unwrap();
    let out = String::from_utf8(c.bytes.unwrap()).unwrap();
    assert_eq!(
        out,
        text.replace("\"execution_count\": 4", "\"execution_count\": null")
    );
}

fn write_nb(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

/// An executed notebook: counts, JupyterLab timings, a kernel version stamp.
fn executed(source: &str, count: u32, stamp: &str) -> String {
    format!(
        r#"{{
 "cells": [
  {{
   "cell_type": "code",
   "execution_count": {count},
   "id": "c1",
   "metadata": {{
    "execution": {{
     "iopub.execute_input": "{stamp}",
     "shell.execute_reply": "{stamp}"
    }},
    "tags": []
   }},
   "outputs": [
    {{
     "name": "stdout",
     "output_type": "stream",
     "text": [
      "out\n"
     ]
    }}
   ],
   "source": [
    "{source}"
   ]
  }}
 ],
 "metadata": {{
  "language_info": {{
   "name": "python",
   "version": "3.11.{count}"
  }}
 }},
 "nbformat": 4,
 "nbformat_minor": 5
}}
"#
    )
}

#[test]
fn clean_files_in_place_check_and_configuration() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let a = repo.join("a.ipynb");
    let b = repo.join("b.ipynb");
    write_nb(&a, &executed("print(1)", 3, "2026-01-01T00:00:00Z"));
    write_nb(&b, &executed("print(2)", 5, "2026-01-01T00:00:01Z"));

    let check = sb.nbdiff(&repo, &["clean", "--check", "a.ipynb", "b.ipynb"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let said = stdout(&check);
    assert!(
        said.contains("would clean a.ipynb:") && said.contains("would clean b.ipynb:"),
        "{said}"
    );
    assert!(said.contains("cell 1 metadata.execution"), "{said}");
    assert_eq!(
        std::fs::read_to_string(&a).unwrap(),
        executed("print(1)", 3, "2026-01-01T00:00:00Z")
    );

    let run = sb.nbdiff(&repo, &["clean", "a.ipynb", "b.ipynb"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let text = std::fs::read_to_string(&a).unwrap();
    assert!(text.contains("\"execution_count\": null"), "{text}");
    assert!(
        !text.contains("iopub") && !text.contains("3.11.3"),
        "{text}"
    );
    assert!(
        text.contains("\"tags\": []") && text.contains("out\\n"),
        "{text}"
    );
    let again = sb.nbdiff(&repo, &["clean", "--check", "a.ipynb", "b.ipynb"]);
    assert_eq!(again.status.code(), Some(0), "{}", stdout(&again));

    // The project file strips outputs; the command line wins over it.
    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.nbdiff.clean]\noutputs = \"strip\"\n",
    )
    .unwrap();
    let kept = sb.nbdiff(&repo, &["clean", "--check", "--outputs", "keep", "a.ipynb"]);
    assert_eq!(kept.status.code(), Some(0), "{}", stdout(&kept));
    let strip = sb.nbdiff(&repo, &["clean", "a.ipynb"]);
    assert_eq!(strip.status.code(), Some(0), "{}", stderr(&strip));
    assert!(std::fs::read_to_string(&a)
        .unwrap()
        .contains("\"outputs\": []"));

    // A bad value in the project file is an error naming file and key.
    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.nbdiff.clean]\noutputs = \"sometimes\"\n",
    )
    .unwrap();
    let bad = sb.nbdiff(&repo, &["clean", "b.ipynb"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("tool.nbdiff.clean"),
        "{}",
        stderr(&bad)
    );
}

#[test]
fn a_file_that_is_not_a_notebook_is_left_alone_in_place_and_passed_through_as_a_filter() {
    let sb = Sandbox::new();
    let dir = sb.path().to_path_buf();
    let bad = dir.join("bad.ipynb");
    let good = dir.join("good.ipynb");
    std::fs::write(&bad, "{\"cells\": [\n").unwrap();
    write_nb(&good, &executed("x", 1, "t"));
    let run = sb.nbdiff(&dir, &["clean", "bad.ipynb", "good.ipynb"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("bad.ipynb: line 2"),
        "{}",
        stderr(&run)
    );
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), "{\"cells\": [\n");
    assert!(
        std::fs::read_to_string(&good).unwrap().contains("null"),
        "the good file is still cleaned"
    );

    let mut child = sb
        .cmd(crate::git_util::nbdiff_exe(), &dir)
        .args(["clean", "--stdin-path", "bad.ipynb"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"<<<<<<< not json")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"<<<<<<< not json");
    assert!(
        stderr(&out).contains("bad.ipynb") && stderr(&out).contains("passed through unchanged")
    );
}

/// Sets up a repository with the filter enabled and one committed,
/// executed notebook.
fn filtered_repo(sb: &Sandbox) -> PathBuf {
    let repo = sb.repo("r");
    let on = sb.nbdiff(&repo, &["config-git", "--enable", "--filter"]);
    assert!(on.status.success(), "{}", stderr(&on));
    write_nb(
        &repo.join("a.ipynb"),
        &executed("print(1)", 1, "2026-01-01T00:00:00Z"),
    );
    sb.commit_all(&repo, "a");
    repo
}

#[test]
fn with_the_filter_git_stores_clean_notebooks_and_a_rerun_is_no_modification() {
    let sb = Sandbox::new();
    let repo = filtered_repo(&sb);
    let a = repo.join("a.ipynb");
    let stored = sb.git(&repo, &["show", "HEAD:a.ipynb"]);
    assert!(stored.contains("\"execution_count\": null"), "{stored}");
    assert!(
        !stored.contains("iopub") && !stored.contains("3.11.1"),
        "{stored}"
    );
    assert!(
        stored.contains("out\\n"),
        "outputs kept by default: {stored}"
    );

    // Re-executed: new counts, timings and kernel stamp, same code and
    // outputs, same size: git runs the filter and sees no modification.
    write_nb(&a, &executed("print(1)", 7, "2026-02-02T00:00:00Z"));
    let status = sb.git(&repo, &["status", "--porcelain"]);
    assert_eq!(status, "", "no phantom modification");
    // Re-executed to a different size: git's stat check lists it without
    // asking the filter (true of every clean filter), but there is nothing
    // to diff or stage, and `git add` clears it.
    write_nb(&a, &executed("print(1)", 12, "2026-02-02T00:00:00.5Z"));
    assert_eq!(sb.git(&repo, &["diff", "--name-only"]), "");
    sb.git(&repo, &["add", "a.ipynb"]);
    assert_eq!(sb.git(&repo, &["diff", "--cached", "--name-only"]), "");
    assert_eq!(sb.git(&repo, &["status", "--porcelain"]), "");

    // A real change, re-executed: only the source change is staged.
    write_nb(&a, &executed("print(2)", 9, "2026-03-03T00:00:00Z"));
    sb.git(&repo, &["add", "a.ipynb"]);
    let staged = sb.git(
        &repo,
        &["diff", "--cached", "--no-ext-diff", "--no-textconv", "-U0"],
    );
    let changed: Vec<&str> = staged
        .lines()
        .filter(|l| {
            (l.starts_with('+') || l.starts_with('-'))
                && !l.starts_with("+++")
                && !l.starts_with("---")
        })
        .collect();
    assert_eq!(
        changed,
        ["-    \"print(1)\"", "+    \"print(2)\""],
        "{staged}"
    );
    sb.git(&repo, &["commit", "-q", "-m", "b"]);

    // Checkout back and forth, then status: clean.
    sb.git(&repo, &["checkout", "-q", "HEAD~1"]);
    assert_eq!(sb.git(&repo, &["status", "--porcelain"]), "");
    sb.git(&repo, &["checkout", "-q", "main"]);
    assert_eq!(sb.git(&repo, &["status", "--porcelain"]), "");
    // The working tree keeps what git stored (no smudge): the cleaned file.
    assert_eq!(
        std::fs::read_to_string(&a).unwrap(),
        sb.git(&repo, &["show", "HEAD:a.ipynb"])
    );
}

#[test]
fn git_runs_one_filter_process_for_every_notebook() {
    let sb = Sandbox::new();
    let repo = filtered_repo(&sb);
    for i in 0..5 {
        write_nb(
            &repo.join(format!("n{i}.ipynb")),
            &executed(&format!("print({i})"), 2, "t"),
        );
    }
    std::fs::write(repo.join("broken.ipynb"), "{ not json").unwrap();
    let trace = sb.path().join("trace");
    let out = sb
        .cmd("git", &repo)
        .args(["add", "-A"])
        .env("GIT_TRACE", &trace)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let trace = std::fs::read_to_string(&trace).unwrap();
    let starts = trace
        .lines()
        .filter(|l| l.contains("run_command:") && l.contains("filter-process"))
        .count();
    assert_eq!(starts, 1, "{trace}");
    assert!(
        !trace.contains("clean --stdin-path"),
        "the one-shot form was not used: {trace}"
    );
    for i in 0..5 {
        let staged = sb.git(&repo, &["show", &format!(":n{i}.ipynb")]);
        assert!(staged.contains("\"execution_count\": null"), "{staged}");
    }
    // The broken file is staged as it was, with a warning; the rest went on.
    assert_eq!(sb.git(&repo, &["show", ":broken.ipynb"]), "{ not json");
    assert!(stderr(&out).contains("broken.ipynb"), "{}", stderr(&out));
}

#[test]
fn the_one_shot_clean_filter_works_alone() {
    let sb = Sandbox::new();
    let repo = filtered_repo(&sb);
    sb.git(&repo, &["config", "--unset", "filter.nbdiff.process"]);
    write_nb(&repo.join("b.ipynb"), &executed("print(3)", 4, "t"));
    sb.git(&repo, &["add", "b.ipynb"]);
    let staged = sb.git(&repo, &["show", ":b.ipynb"]);
    assert!(staged.contains("\"execution_count\": null"), "{staged}");
}

#[test]
fn enable_filter_then_disable_leaves_config_and_attributes_byte_identical() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let config = repo.join(".git/config");
    let attrs = repo.join(".git/info/attributes");
    std::fs::write(&attrs, "*.png binary\n").unwrap();
    let before = (std::fs::read(&config).ok(), std::fs::read(&attrs).ok());

    // A plain enable, then the filter on top: one attribute line, replaced.
    sb.enable(&repo);
    let on = sb.nbdiff(&repo, &["config-git", "--enable", "--filter"]);
    assert!(on.status.success(), "{}", stderr(&on));
    assert_eq!(
        std::fs::read_to_string(&attrs).unwrap(),
        "*.png binary\n*.ipynb diff=nbdiff merge=nbdiff filter=nbdiff\n"
    );
    let cfg = sb.git(&repo, &["config", "--local", "--list"]);
    assert!(
        cfg.contains("filter.nbdiff.process=") && cfg.contains(" filter-process\n"),
        "{cfg}"
    );
    assert!(
        cfg.contains("filter.nbdiff.clean=") && cfg.contains(" clean --stdin-path %f\n"),
        "{cfg}"
    );
    assert!(!cfg.contains("filter.nbdiff.required"), "{cfg}");
    let exe = cfg
        .lines()
        .find_map(|l| l.strip_prefix("filter.nbdiff.process="))
        .unwrap();
    assert!(
        exe.starts_with('/') || exe.starts_with("'/"),
        "absolute path: {exe}"
    );
    let check = sb.git(&repo, &["check-attr", "filter", "--", "x.ipynb"]);
    assert_eq!(check, "x.ipynb: filter: nbdiff\n");
    // Enabling again changes nothing; a plain enable keeps the filter line.
    let again = sb.nbdiff(&repo, &["config-git", "--enable"]);
    assert!(
        stdout(&again).lines().all(|l| l.starts_with('#')),
        "{}",
        stdout(&again)
    );

    let off = sb.nbdiff(&repo, &["config-git", "--disable"]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert_eq!(
        (std::fs::read(&config).ok(), std::fs::read(&attrs).ok()),
        before
    );
}
