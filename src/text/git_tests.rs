//! Checks [`merge3`](super::merge3) against the real `git merge-file`.
//!
//! Random small texts from a fixed seed (tiny built-in PRNG), edited at random on
//! each side, are merged by both, in every style (markers, diff3, ours, theirs,
//! union); the merged output and the number of conflicts must match byte for byte.
//! git runs with a clean environment (no system or global config), so a user's
//! `merge.conflictStyle` cannot leak in. When `git` is missing the test says so
//! and passes.

use std::path::Path;
use std::process::Command;

use super::merge3::{merge3_with, merge3_zdiff3, Favor, MarkerStyle, MergeOptions};

/// The seeded PRNG shared with the integration tests.
#[path = "../../tests/support/rng.rs"]
mod rng;
use rng::Rng;

/// Styles compared: (git arguments, our options, our marker style, zdiff3).
fn styles() -> Vec<(&'static [&'static str], MergeOptions, bool, bool)> {
    let opt = |favor, refine| MergeOptions { favor, refine };
    vec![
        (&[], opt(Favor::Mark, true), false, false),
        (&["--diff3"], opt(Favor::Mark, false), true, false),
        (&["--zdiff3"], opt(Favor::Mark, false), true, true),
        (&["--ours"], opt(Favor::Ours, true), false, false),
        (&["--theirs"], opt(Favor::Theirs, true), false, false),
        (&["--union"], opt(Favor::Union, true), false, false),
    ]
}

/// These tests compare with git itself: without git they fail (CI has git),
/// rather than pass having checked nothing.
fn require_git() {
    let found = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "git not found on PATH: these tests compare with git");
}

/// Writes the three versions where [`git_merge_file`] reads them.
fn write_inputs(dir: &Path, base: &str, local: &str, remote: &str) {
    std::fs::write(dir.join("local"), local).expect("write local");
    std::fs::write(dir.join("base"), base).expect("write base");
    std::fs::write(dir.join("remote"), remote).expect("write remote");
}

/// Runs `git merge-file -p` on the files written by [`write_inputs`]; returns
/// (output, exit code).
fn git_merge_file(dir: &Path, args: &[&str]) -> (String, i32) {
    let out = Command::new("git")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CEILING_DIRECTORIES", dir)
        .args([
            "merge-file",
            "-p",
            "-L",
            "local",
            "-L",
            "base",
            "-L",
            "remote",
        ])
        .args(args)
        .args(["local", "base", "remote"])
        .output()
        .expect("run git merge-file");
    let code = out.status.code().expect("git exit code");
    assert!(
        code >= 0,
        "git merge-file failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (String::from_utf8(out.stdout).expect("utf-8 output"), code)
}

/// Compares one case in the given styles (indices into [`styles`]); returns a
/// description of each mismatch.
fn compare(dir: &Path, base: &str, local: &str, remote: &str, which: &[usize]) -> Vec<String> {
    let mut bad = Vec::new();
    write_inputs(dir, base, local, remote);
    let all = styles();
    for &(args, options, diff3, zdiff3) in which.iter().filter_map(|&i| all.get(i)) {
        let (want, want_code) = git_merge_file(dir, args);
        let m = if zdiff3 {
            merge3_zdiff3(base, local, remote, options.favor)
        } else {
            merge3_with(base, local, remote, &options)
        };
        let style = MarkerStyle {
            diff3,
            ..MarkerStyle::default()
        };
        let got = m.render(&style);
        let got_code = m.conflict_count().min(127) as i32;
        if got != want || got_code != want_code {
            bad.push(format!(
                "style {args:?}\nbase:   {base:?}\nlocal:  {local:?}\nremote: {remote:?}\n\
                 git ({want_code}):  {want:?}\nours ({got_code}): {got:?}\n"
            ));
        }
    }
    bad
}

/// A random text edit: insertions, deletions and replacements of lines drawn
/// from `vocab`, and sometimes a dropped or added final newline.
fn edit(rng: &mut Rng, base: &[String], vocab: &dyn Fn(&mut Rng) -> String) -> Vec<String> {
    let mut lines = base.to_vec();
    for _ in 0..rng.below(4) {
        let pos = rng.below(lines.len() + 1);
        match rng.below(3) {
            0 => lines.insert(pos, vocab(rng)),
            1 if pos < lines.len() => {
                lines.remove(pos);
            }
            _ if pos < lines.len() => lines[pos] = vocab(rng),
            _ => lines.push(vocab(rng)),
        }
    }
    lines
}

fn join(lines: &[String], eol: &str, final_newline: bool) -> String {
    let mut s = lines.join(eol);
    if final_newline && !lines.is_empty() {
        s.push_str(eol);
    }
    s
}

fn run_random(seed: u64, cases: usize, vocab: &dyn Fn(&mut Rng) -> String) {
    require_git();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    for case in 0..cases {
        let n = rng.below(9);
        let base: Vec<String> = (0..n).map(|_| vocab(&mut rng)).collect();
        let local = edit(&mut rng, &base, vocab);
        let remote = edit(&mut rng, &base, vocab);
        let eol = if rng.chance(15) { "\r\n" } else { "\n" };
        let mut nl = || !rng.chance(15);
        let (b, l, r) = (
            join(&base, eol, nl()),
            join(&local, eol, nl()),
            join(&remote, eol, nl()),
        );
        // Every case with markers, diff3 and zdiff3; the favour options in
        // turn (spawning git dominates the test's run time).
        let which = [0, 1, 2, 3 + case % 3];
        failures.extend(compare(dir.path(), &b, &l, &r, &which));
    }
    assert!(
        failures.is_empty(),
        "{} mismatches with git merge-file; first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}

#[test]
fn random_merges_match_git_with_repeated_lines() {
    // Few distinct lines: many equally good alignments, so this checks that the
    // diff (git's Myers and slider compaction) lines up exactly as git's does.
    const VOCAB: [&str; 8] = ["a", "b", "c", "", "}", "x = 1", "=======", "b"];
    run_random(0x5eed_0001, 500, &|rng| {
        VOCAB[rng.below(VOCAB.len())].to_string()
    });
}

#[test]
fn random_merges_match_git_with_distinct_lines() {
    run_random(0x5eed_0002, 200, &|rng| format!("line {}", rng.below(1000)));
}

#[test]
fn hand_written_cases_match_git() {
    require_git();
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: &[(&str, &str, &str)] = &[
        // Clean merges.
        ("a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n"),
        // Adjacent edits (touching lines) conflict in git.
        ("a\nb\nc\n", "A\nb\nc\n", "a\nB\nc\n"),
        ("a\nb\n", "a\nx\nb\n", "a\ny\nb\n"),
        // Identical changes on both sides are taken once.
        ("a\nb\nc\n", "a\nB\nc\n", "a\nB\nc\n"),
        ("a\nb\nc\n", "a\nB\nc\nd\n", "a\nB\nc\n"),
        // Partly identical changes: refinement keeps only the differing lines.
        (
            "1\n2\n3\n4\n5\n6\n7\n8\n",
            "1\nX\n3\nY\n5\nZ\n7\n8\n",
            "1\nX\n3\nW\n5\nZ\n7\n8\n",
        ),
        // Conflicts close together are joined.
        (
            "a\nb\nc\nd\ne\nf\ng\n",
            "A\nb\nc\nD\ne\nf\ng\n",
            "1\nb\nc\n4\ne\nf\ng\n",
        ),
        // ...unless the lines between them have letters or digits and are more than three.
        (
            "a\nb\nc\nd\ne\nf\ng\nh\n",
            "A\nb\nc\nd\ne\nF\ng\nh\n",
            "1\nb\nc\nd\ne\n6\ng\nh\n",
        ),
        (
            "a\n}\n}\n}\n}\nf\n",
            "A\n}\n}\n}\n}\nF\n",
            "1\n}\n}\n}\n}\n6\n",
        ),
        // Empty base / empty sides.
        ("", "local\n", "remote\n"),
        ("", "same\n", "same\n"),
        ("", "", "new\n"),
        ("gone\n", "", "changed\n"),
        ("gone\n", "", ""),
        ("a\n", "", "a\nb\n"),
        // No final newline.
        ("a\nb", "a\nB", "a\nC"),
        ("a\nb", "a\nb\n", "a\nb"),
        ("a\nb", "a\nb\n", "a\nb\nc"),
        ("a\nb\n", "a\nb", "a\nb\nc\n"),
        ("x", "y", "z"),
        ("a\nb", "x\nb", "a\nb\n"),
        // CRLF (markers follow the files' line endings).
        ("a\r\nb\r\nc\r\n", "a\r\nB\r\nc\r\n", "a\r\nC\r\nc\r\n"),
        ("a\r\nb\r\n", "a\r\nb\r\nX", "a\r\nb\r\nY"),
        ("a\r\nb\r\n", "a\nB\n", "a\r\nC\r\n"),
        ("", "x\r\n", "y\r\n"),
        // Unicode.
        ("naïve\ncafé\n", "naïve\nthé\n", "naïve\ncafé au lait\n"),
        ("日本\n語\n", "日本\n言語\n", "日本\nご\n"),
        // Marker-like content.
        (
            "Title\n=====\ntext\n",
            "Title\n=======\ntext\n",
            "Title\n=======\nmore\n",
        ),
        ("<<<<<<< x\n", ">>>>>>> y\n", "|||||||\n"),
    ];
    let mut failures = Vec::new();
    for (b, l, r) in cases {
        failures.extend(compare(dir.path(), b, l, r, &[0, 1, 2, 3, 4, 5]));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `@@` headers of `git diff --no-index` (without the indent heuristic, which
/// [`diff_texts`](super::line_diff::diff_texts) does not apply).
fn git_diff_headers(dir: &Path, old: &str, new: &str, context: usize) -> Vec<String> {
    std::fs::write(dir.join("old"), old).expect("write old");
    std::fs::write(dir.join("new"), new).expect("write new");
    let out = Command::new("git")
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(["diff", "--no-index", "--no-indent-heuristic", "--no-color"])
        .arg(format!("-U{context}"))
        .args(["old", "new"])
        .output()
        .expect("run git diff");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with("@@ "))
        .map(|l| l.split(" @@").next().unwrap_or(l).to_string() + " @@")
        .collect()
}

fn header(h: &super::line_diff::Hunk) -> String {
    let side = |sign: char, r: &std::ops::Range<usize>| {
        let start = if r.is_empty() { r.start } else { r.start + 1 };
        if r.len() == 1 {
            format!("{sign}{start}")
        } else {
            format!("{sign}{start},{}", r.len())
        }
    };
    format!("@@ {} {} @@", side('-', &h.old), side('+', &h.new))
}

#[test]
fn random_diff_hunks_match_git_diff() {
    require_git();
    const VOCAB: [&str; 6] = ["a", "b", "", "}", "x = 1", "b"];
    let vocab = |rng: &mut Rng| VOCAB[rng.below(VOCAB.len())].to_string();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rng = Rng(0x5eed_0003);
    let mut failures = Vec::new();
    for case in 0..150 {
        let n = rng.below(25);
        let old: Vec<String> = (0..n).map(|_| vocab(&mut rng)).collect();
        let mut new = edit(&mut rng, &old, &vocab);
        if rng.chance(50) {
            new = edit(&mut rng, &new, &vocab);
        }
        let (a, b) = (join(&old, "\n", true), join(&new, "\n", true));
        let context = case % 4;
        let want = git_diff_headers(dir.path(), &a, &b, context);
        let got: Vec<String> = super::line_diff::diff_texts(&a, &b)
            .hunks(context)
            .iter()
            .map(header)
            .collect();
        if got != want {
            failures.push(format!(
                "-U{context} {a:?} -> {b:?}\ngit:  {want:?}\nours: {got:?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches with git diff; first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(5)].join("\n")
    );
}
