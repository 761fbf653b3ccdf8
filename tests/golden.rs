//! Pinned output: for every `fixtures/diff/<case>/`, what each renderer
//! prints, byte for byte, in `fixtures/diff/<case>/expected/<column>`.
//!
//! One test discovers the cases and runs the real binary once per column,
//! in a clean environment (no user or system git config, no repository or
//! project file above the case), from inside the case folder so headers
//! name `old.ipynb` and `new.ipynb`.
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

#[test]
fn every_diff_fixture_renders_as_pinned() {
    let bless = std::env::var_os("NBDIFF_BLESS").is_some();
    let sb = Sandbox::new();
    let ceiling = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let cases = cases();
    assert!(cases.len() >= 20, "found only {} cases", cases.len());
    let mut stale = Vec::new();
    for case in &cases {
        let name = case.file_name().expect("a name").to_string_lossy();
        for (file, args) in COLUMNS {
            let out = sb
                .cmd(nbdiff_exe(), case)
                .env("GIT_CEILING_DIRECTORIES", &ceiling)
                .args(*args)
                .output()
                .expect("run nbdiff");
            assert_eq!(out.status.code(), Some(0), "{name} {file}");
            assert!(
                out.stderr.is_empty(),
                "{name} {file}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let got = pinned(&name, file, out.stdout);
            let path = case.join("expected").join(file);
            match std::fs::read(&path) {
                Ok(want) if want == got => {}
                _ if bless => {
                    std::fs::create_dir_all(case.join("expected")).expect("mkdir expected");
                    std::fs::write(&path, &got).expect("write expected");
                }
                Ok(_) => stale.push(format!("{name}/expected/{file} differs")),
                Err(_) => stale.push(format!("{name}/expected/{file} is missing")),
            }
        }
    }
    assert!(
        stale.is_empty(),
        "pinned output changed (review, then NBDIFF_BLESS=1 cargo test golden):\n{}",
        stale.join("\n")
    );
}
