//! Parsing then writing every fixture notebook gives back the same bytes:
//! through the style writer alone for every file one style describes, and
//! through the cell-reusing writer (what merges use) for every file.

use nbdiff::notebook::Notebook;
use std::path::{Path, PathBuf};

fn notebooks(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bad") {
                notebooks(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "ipynb") {
            out.push(path);
        }
    }
}

/// Fixture folders whose notebooks are formatted by hand on purpose: no
/// single style describes them, only the cell-reusing writer keeps them.
const HAND_FORMATTED: &[&str] = &["hand-formatted-cells"];

fn is_hand_formatted(path: &Path) -> bool {
    path.components()
        .any(|c| HAND_FORMATTED.iter().any(|h| c.as_os_str() == *h))
}

/// Every fixture notebook but the deliberately broken ones (`bad/`).
pub fn fixture_notebooks() -> Vec<PathBuf> {
    let mut files = Vec::new();
    notebooks(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    assert!(files.len() > 20, "found {}", files.len());
    files
}

#[test]
fn parse_then_write_is_byte_identical_for_every_fixture() {
    let files = fixture_notebooks();
    let mut failed = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let nb = Notebook::parse_keeping_raw(&bytes, &f.display().to_string()).unwrap();
        if !is_hand_formatted(f) && nb.to_bytes() != bytes {
            failed.push(format!("{} (style writer)", f.display()));
        }
        if nb.to_bytes_reusing(&[&nb]) != bytes {
            failed.push(format!("{} (cell-reusing writer)", f.display()));
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} differ: {failed:#?}",
        failed.len(),
        files.len()
    );
}

#[test]
fn hand_formatted_fixtures_need_the_cell_reusing_writer() {
    // Guards the test above: if the style writer ever reproduced these files,
    // they would no longer exercise verbatim cell copying.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/merge/hand-formatted-cells");
    let bytes = std::fs::read(dir.join("base.ipynb")).unwrap();
    let nb = Notebook::parse(&bytes, "base.ipynb").unwrap();
    assert_ne!(nb.to_bytes(), bytes);
}
