//! Random merges and damaged files through the real binary.

use super::*;

// ---------------------------------------------------------------- real binary

/// A handful of random merges and diffs through the real binary: the same
/// bytes as in-process, exit codes as documented, `-o` written whole.
#[test]
fn random_merges_through_the_binary_match_the_library() {
    use crate::diff_cli::bin;
    let dir = tempfile::tempdir().expect("temp dir");
    for seed in [5001_u64, 5007, 5013, 5021, 5034, 5042] {
        let case = Case::random(seed);
        let files = case.files();
        let paths: Vec<PathBuf> = ["base", "local", "remote"]
            .iter()
            .zip(&files)
            .map(|(name, bytes)| {
                let p = dir.path().join(format!("{name}.ipynb"));
                std::fs::write(&p, bytes).expect("write input");
                p
            })
            .collect();
        let opts = Options {
            labels: nbdiff::merge::Labels {
                local: "local.ipynb".into(),
                base: "base.ipynb".into(),
                remote: "remote.ipynb".into(),
            },
            ..Options::default()
        };
        let want = merge([&files[0], &files[1], &files[2]], &opts);
        let out = dir.path().join("out.ipynb");
        let o = bin()
            .arg("merge")
            .args(&paths)
            .args(["--label-base", "base.ipynb", "--label-local", "local.ipynb"])
            .args(["--label-remote", "remote.ipynb", "-o"])
            .arg(&out)
            .output()
            .expect("run nbdiff merge");
        let err = String::from_utf8_lossy(&o.stderr);
        let code = if want.conflicts > 0 { 1 } else { 0 };
        assert_eq!(o.status.code(), Some(code), "seed {seed}: {err}");
        assert!(!err.contains("panicked"), "seed {seed}: {err}");
        let got = std::fs::read(&out).expect("merge output");
        Notebook::parse(&got, "out.ipynb").expect("merge output is a notebook");
        assert!(got == want.bytes, "seed {seed}: binary and library differ");
        for args in [vec![], vec!["--json"], vec!["--stat"], vec!["--exit-code"]] {
            let o = bin()
                .args(&args)
                .arg(&paths[0])
                .arg(&paths[1])
                .output()
                .expect("run nbdiff");
            let ok = if args == ["--exit-code"] {
                &[0, 1][..]
            } else {
                &[0][..]
            };
            assert!(
                o.status.code().is_some_and(|c| ok.contains(&c)),
                "seed {seed} {args:?}: {:?} {}",
                o.status,
                String::from_utf8_lossy(&o.stderr)
            );
        }
        let o = bin()
            .arg("show")
            .arg(&paths[2])
            .output()
            .expect("run nbdiff show");
        assert_eq!(o.status.code(), Some(0), "seed {seed}: show");
    }
}

/// Damaged files through the real binary: the diff exits 2 with one line
/// naming the file (no panic, no backtrace, nothing on stdout); `show`
/// passes the bytes through; `merge` falls back to a line merge.
#[test]
fn damaged_files_through_the_binary_give_one_line_naming_the_file() {
    use crate::diff_cli::bin;
    let dir = tempfile::tempdir().expect("temp dir");
    let good =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/identical/old.ipynb");
    let good_bytes = std::fs::read(&good).expect("fixture");
    let mut deep = b"{\"nbformat\": 4, \"cells\": ".to_vec();
    deep.extend(std::iter::repeat_n(b'[', 100_000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good_bytes[..good_bytes.len() / 2].to_vec()),
        ("nul", [&good_bytes[..10], b"\0", &good_bytes[10..]].concat()),
        ("deep", deep),
        ("lone-surrogate", br#"{"nbformat": 4, "nbformat_minor": 4, "metadata": {}, "cells": [{"cell_type": "code", "source": "\ud800", "metadata": {}, "outputs": []}]}"#.to_vec()),
        ("bad-utf8", b"{\"nbformat\": 4, \"cells\": [], \"metadata\": {\"a\": \"\xff\"}}".to_vec()),
        ("huge-major", br#"{"nbformat": 1e999999, "cells": []}"#.to_vec()),
        ("negative-zero-major", br#"{"nbformat": -0, "cells": []}"#.to_vec()),
    ];
    for (name, bytes) in cases {
        let p = dir.path().join(format!("{name}.ipynb"));
        std::fs::write(&p, &bytes).expect("write");
        for args in [
            vec![good.clone(), p.clone()],
            vec![PathBuf::from("--json"), p.clone(), good.clone()],
        ] {
            let o = bin().args(&args).output().expect("run nbdiff");
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{name} {args:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
            assert!(
                err.contains(&p.display().to_string()),
                "{name}: names the file: {err}"
            );
            assert!(
                !err.contains("panicked") && !err.contains("backtrace"),
                "{name}: {err}"
            );
            assert!(o.stdout.is_empty(), "{name}: stdout");
        }
        // `show` is git's textconv: a file it cannot read is shown as it is,
        // but for controls and bytes that are not UTF-8, made visible.
        let o = bin().arg("show").arg(&p).output().expect("run nbdiff show");
        assert_eq!(o.status.code(), Some(0), "{name}: show");
        let shown =
            nbdiff::render::sanitize::visible_lines(&String::from_utf8_lossy(&bytes)).into_owned();
        assert_eq!(
            o.stdout,
            shown.as_bytes(),
            "{name}: show passes the text through"
        );
        let out = dir.path().join("out.ipynb");
        let o = bin()
            .arg("merge")
            .args([&good, &p, &good, &PathBuf::from("-o"), &out])
            .output()
            .expect("run nbdiff merge");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{name}: merge: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: merge: {err}");
    }
}

/// serde_json's `arbitrary_precision` normalizes exponents while parsing
/// (`1e5` and `1E5` become `1e+5`); the writer restores the spellings from
/// the original bytes, so such files round-trip and merge byte for byte.
/// (Found by this module; Jupyter itself writes `1e+16`/`1e-05`.)
#[test]
fn exponent_spellings_survive_round_trip_and_merge() {
    let text = "{\n \"cells\": [],\n \"metadata\": {\n  \"n\": [\n   1e5,\n   1E5,\n   2.50e05,\n   1e-5\n  ]\n },\n \"nbformat\": 4,\n \"nbformat_minor\": 4\n}\n";
    let nb = Notebook::parse_keeping_raw(text.as_bytes(), "n.ipynb").expect("parses");
    assert_eq!(String::from_utf8(nb.to_bytes()).expect("utf-8"), text);
    // A merge that rewrites the metadata keeps the spellings of the rest.
    let local = text.replace("\"n\": [", "\"local\": true,\n  \"n\": [");
    let remote = text.replace("\"metadata\": {", "\"metadata\": {\n  \"remote\": 2.5E+3,");
    let out = merge(
        [text.as_bytes(), local.as_bytes(), remote.as_bytes()],
        &Options::default(),
    );
    let merged = String::from_utf8(out.bytes).expect("utf-8");
    assert_eq!(out.conflicts, 0, "{merged}");
    for spelling in ["1e5", "2.50e05", "1e-5", "2.5E+3", "\"local\": true"] {
        assert!(merged.contains(spelling), "{spelling} in {merged}");
    }
}
