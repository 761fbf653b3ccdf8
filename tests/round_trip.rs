//! Parsing then writing every fixture notebook gives back the same bytes.

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

#[test]
fn parse_then_write_is_byte_identical_for_every_fixture() {
    let mut files = Vec::new();
    notebooks(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &mut files,
    );
    assert!(files.len() > 20, "found {}", files.len());
    let mut failed = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let nb = Notebook::parse(&bytes, &f.display().to_string()).unwrap();
        if nb.to_bytes() != bytes {
            failed.push(f.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{} of {} differ: {failed:#?}",
        failed.len(),
        files.len()
    );
}
