//! Measures the parse → write round trip over notebooks given on the command
//! line: `cargo run --release --example roundtrip -- DIR_OR_FILES...`.
//! Prints each file the style writer does not give back byte-identical, and
//! a summary for the style writer and for the cell-reusing writer.

use std::path::{Path, PathBuf};

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
    } else if path.extension().is_some_and(|e| e == "ipynb") {
        out.push(path.to_path_buf());
    }
}

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        collect(Path::new(&arg), &mut files);
    }
    let (mut same, mut differ, mut unreadable, mut reusing_same) = (0, 0, 0, 0);
    for file in &files {
        let bytes = std::fs::read(file).unwrap_or_default();
        match nbdiff::notebook::Notebook::parse_keeping_raw(&bytes, &file.display().to_string()) {
            Ok(nb) => {
                if nb.to_bytes_reusing(&[&nb]) == bytes {
                    reusing_same += 1;
                }
                let out = nb.to_bytes();
                if out == bytes {
                    same += 1;
                } else {
                    differ += 1;
                    let at = out
                        .iter()
                        .zip(&bytes)
                        .position(|(a, b)| a != b)
                        .unwrap_or(0);
                    let lo = at.saturating_sub(40);
                    println!(
                        "differs: {} at byte {at}: wrote {:?} read {:?}",
                        file.display(),
                        String::from_utf8_lossy(&out[lo..(at + 40).min(out.len())]),
                        String::from_utf8_lossy(&bytes[lo..(at + 40).min(bytes.len())])
                    );
                }
            }
            Err(e) => {
                unreadable += 1;
                println!("unreadable: {e}");
            }
        }
    }
    println!(
        "roundtrip (style writer): {same} of {} identical, {differ} differ, {unreadable} unreadable",
        files.len()
    );
    println!(
        "roundtrip (cell-reusing writer, as merges write): {reusing_same} of {} identical",
        files.len()
    );
}
