//! Pinned output: for every `fixtures/diff/<case>/`, what each renderer
//! prints, byte for byte, in `fixtures/diff/<case>/expected/<column>`.
//!
//! One test discovers the cases and runs the real binary once per column,
//! in a clean environment (no user or system git config, no repository or
//! project file above the case), from inside the case folder so headers
//! name `old.ipynb` and `new.ipynb`. Every case and column is checked
//! before the test fails; the failure lists each one, with a unified diff
//! of the pinned file against the output (which is also written to
//! `target/golden-actual/<case>/<column>`). A file under `expected/` that
//! no column writes, or an `expected/` folder without its pair, fails too
//! (a renamed column or case leaves nothing stale behind).
//!
//! Re-bless after an intended change with `NBDIFF_BLESS=1 cargo test
//! golden`, then review the changed files like code (`git diff
//! fixtures/diff`). A new renderer adds its column: one entry in [`COLUMNS`].

use crate::git_util::{nbdiff_exe, Sandbox};
use std::path::{Path, PathBuf};

/// `(file name under expected/, nbdiff arguments)`. A column is one way of
/// looking at a pair; add a renderer here and bless.
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "terminal.txt",
        &["--no-pager", "--color=never", "old.ipynb", "new.ipynb"],
    ),
    (
        "terminal-color.txt",
        &["--no-pager", "--color=always", "old.ipynb", "new.ipynb"],
    ),
    (
        "stat.txt",
        &["--no-pager", "--stat", "old.ipynb", "new.ipynb"],
    ),
    (
        "json.json",
        &["--no-pager", "--json", "old.ipynb", "new.ipynb"],
    ),
    (
        "report.html",
        &["--no-pager", "--html", "old.ipynb", "new.ipynb"],
    ),
    (
        "report.md",
        &["--no-pager", "--markdown", "old.ipynb", "new.ipynb"],
    ),
    ("show-old.txt", &["show", "old.ipynb"]),
    ("show-new.txt", &["show", "new.ipynb"]),
];

/// The HTML report's stylesheet, embedded whole in every report: pinned by
/// its own file, so each `report.html` holds this one line in its place
/// (and the test checks that the report embeds the stylesheet exactly once).
const STYLESHEET: &str = include_str!("../src/render/html.css");
const STYLESHEET_LINE: &str = "/* src/render/html.css, embedded whole */\n";

/// What is pinned of one column's output.
fn pinned(name: &str, file: &str, out: Vec<u8>) -> Vec<u8> {
    if file != "report.html" {
        return out;
    }
    let text = String::from_utf8(out).expect("the report is UTF-8");
    assert_eq!(
        text.matches(STYLESHEET).count(),
        1,
        "{name}: the report embeds src/render/html.css once"
    );
    text.replacen(STYLESHEET, STYLESHEET_LINE, 1).into_bytes()
}

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/diff exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.join("old.ipynb").is_file() && p.join("new.ipynb").is_file())
        .collect();
    cases.sort();
    cases
}

/// A unified diff of two outputs, at most `MAX_DIFF_LINES` lines.
fn unified_diff(want: &[u8], got: &[u8]) -> String {
    const MAX_DIFF_LINES: usize = 80;
    let (want, got) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    let input = imara_diff::intern::InternedInput::new(&*want, &*got);
    let diff = imara_diff::diff(
        imara_diff::Algorithm::Histogram,
        &input,
        imara_diff::UnifiedDiffBuilder::new(&input),
    );
    let lines: Vec<&str> = diff.lines().collect();
    let mut out = lines
        .iter()
        .take(MAX_DIFF_LINES)
        .map(|l| format!("    {}\n", l.escape_debug()))
        .collect::<String>();
    if lines.len() > MAX_DIFF_LINES {
        out.push_str(&format!(
            "    ... {} more lines\n",
            lines.len() - MAX_DIFF_LINES
        ));
    }
    out
}

/// Files under some `expected/` folder of fixtures/diff that no column of a
/// case writes.
fn orphans(cases: &[PathBuf]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&root).expect("fixtures/diff exists") {
        let dir = entry.expect("readable entry").path();
        let expected = dir.join("expected");
        if !expected.is_dir() {
            continue;
        }
        let name = dir
            .file_name()
            .expect("a name")
            .to_string_lossy()
            .into_owned();
        if !cases.contains(&dir) {
            out.push(format!(
                "{name}/expected/ has no old.ipynb and new.ipynb beside it"
            ));
            continue;
        }
        for file in std::fs::read_dir(&expected).expect("read expected/") {
            let file = file.expect("readable entry").file_name();
            let file = file.to_string_lossy();
            if !COLUMNS.iter().any(|(f, _)| *f == file) {
                out.push(format!("{name}/expected/{file} is written by no column"));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_diff_fixture_renders_as_pinned() {
    let bless = std::env::var_os("NBDIFF_BLESS").is_some();
    let sb = Sandbox::new();
    let ceiling = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let actual_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/golden-actual");
    let cases = cases();
    assert!(cases.len() >= 20, "found only {} cases", cases.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in &cases {
        let name = case.file_name().expect("a name").to_string_lossy();
        for (file, args) in COLUMNS {
            checked += 1;
            let out = sb
                .cmd(nbdiff_exe(), case)
                .env("GIT_CEILING_DIRECTORIES", &ceiling)
                .args(*args)
                .output()
                .expect("run nbdiff");
            if out.status.code() != Some(0) || !out.stderr.is_empty() {
                failures.push(format!(
                    "{name}/expected/{file}: nbdiff {} exited {:?}: {}",
                    args.join(" "),
                    out.status.code(),
                    String::from_utf8_lossy(&out.stderr).trim_end()
                ));
                continue;
            }
            let got = pinned(&name, file, out.stdout);
            let path = case.join("expected").join(file);
            match std::fs::read(&path) {
                Ok(want) if want == got => {}
                _ if bless => {
                    std::fs::create_dir_all(case.join("expected")).expect("mkdir expected");
                    std::fs::write(&path, &got).expect("write expected");
                }
                found => {
                    let actual = actual_dir.join(&*name).join(file);
                    let _ = std::fs::create_dir_all(actual.parent().expect("a parent"));
                    let _ = std::fs::write(&actual, &got);
                    failures.push(match found {
                        Ok(want) => format!(
                            "{name}/expected/{file} differs (output in {}):\n{}",
                            actual.display(),
                            unified_diff(&want, &got)
                        ),
                        Err(_) => format!(
                            "{name}/expected/{file} is missing (output in {})",
                            actual.display()
                        ),
                    });
                }
            }
        }
    }
    failures.extend(orphans(&cases));
    assert!(
        failures.is_empty(),
        "{} of {checked} pinned outputs fail (review, then NBDIFF_BLESS=1 cargo test golden; \
         remove what no column writes):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
