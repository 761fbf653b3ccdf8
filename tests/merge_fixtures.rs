//! Merge behaviour from fixture folders: `fixtures/merge/<case>/` holds
//! `base.ipynb`, `local.ipynb`, `remote.ipynb`, `expected.ipynb`, and
//! optionally `args` (extra `nbdiff merge` flags, whitespace-separated) and
//! `expected-exit` (default 0). Adding a case is adding a folder.
//!
//! `NBDIFF_BLESS=1 cargo test merge_fixtures` writes `expected.ipynb` from the
//! current output, to be checked by eye before committing.

use clap::Parser;
use nbdiff::notebook::Notebook;
use std::path::{Path, PathBuf};

/// Case folders: `fixtures/merge/<case>/` and `fixtures/merge/bad/<case>/`
/// (inputs that are not valid notebooks, kept out of nbformat validation).
fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/merge");
    let list = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default()
    };
    let mut out: Vec<PathBuf> = list(&root)
        .into_iter()
        .chain(list(&root.join("bad")))
        .filter(|p| p.join("base.ipynb").is_file())
        .collect();
    out.sort();
    out
}

/// Runs `nbdiff merge` in-process on three files; returns (exit code, stdout, stderr).
fn merge(base: &Path, local: &Path, remote: &Path, extra: &[String]) -> (i32, Vec<u8>, String) {
    let mut argv: Vec<String> = vec!["nbdiff".into(), "merge".into()];
    for p in [base, local, remote] {
        argv.push(p.display().to_string());
    }
    for (flag, label) in [
        ("--label-local", "local"),
        ("--label-base", "base"),
        ("--label-remote", "remote"),
    ] {
        argv.push(flag.into());
        argv.push(label.into());
    }
    argv.extend(extra.iter().cloned());
    let cli = nbdiff::cli::Cli::try_parse_from(&argv).expect("valid arguments");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = nbdiff::cli::run(cli, &mut out, &mut err);
    (code.code(), out, String::from_utf8_lossy(&err).into_owned())
}

fn extra_args(case: &Path) -> Vec<String> {
    std::fs::read_to_string(case.join("args"))
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

fn expected_exit(case: &Path) -> i32 {
    std::fs::read_to_string(case.join("expected-exit"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
}

fn is_fallback(stderr: &str) -> bool {
    stderr.contains("as plain text")
}

#[test]
fn merge_fixtures_match_expected() {
    let bless = std::env::var_os("NBDIFF_BLESS").is_some();
    let cases = cases();
    assert!(!cases.is_empty(), "no fixtures/merge cases found");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap_or_default().to_string_lossy();
        let (code, out, err) = merge(
            &case.join("base.ipynb"),
            &case.join("local.ipynb"),
            &case.join("remote.ipynb"),
            &extra_args(case),
        );
        let want_code = expected_exit(case);
        if code != want_code {
            failures.push(format!(
                "{name}: exit {code}, expected {want_code}; stderr:\n{err}"
            ));
        }
        if !is_fallback(&err) {
            if let Err(e) = Notebook::parse(&out, "merged") {
                failures.push(format!("{name}: output is not a notebook: {e}"));
            }
        }
        let expected_path = case.join("expected.ipynb");
        if bless {
            std::fs::write(&expected_path, &out).expect("write expected.ipynb");
            continue;
        }
        match std::fs::read(&expected_path) {
            Ok(want) if want == out => {}
            Ok(_) => {
                let actual = std::env::temp_dir().join(format!("nbdiff-merge-{name}.ipynb"));
                let _ = std::fs::write(&actual, &out);
                failures.push(format!(
                    "{name}: output differs from expected.ipynb (actual: {})",
                    actual.display()
                ));
            }
            Err(_) => failures.push(format!(
                "{name}: no expected.ipynb; check the output by eye, then NBDIFF_BLESS=1"
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// merge(B, L, B) == L, merge(B, B, R) == R and merge(B, X, X) == X, byte for byte.
#[test]
fn merge_with_an_unchanged_side_gives_the_other_side_byte_for_byte() {
    for case in cases() {
        let [b, l, r] = ["base", "local", "remote"].map(|n| case.join(format!("{n}.ipynb")));
        for (x, y, want) in [(&l, &b, &l), (&b, &r, &r), (&l, &l, &l), (&r, &r, &r)] {
            let (code, out, err) = merge(&b, x, y, &[]);
            assert_eq!(code, 0, "{}: {err}", case.display());
            assert_eq!(
                out,
                std::fs::read(want).expect("read"),
                "{}: merge(B, {}, {}) is not {}",
                case.display(),
                x.display(),
                y.display(),
                want.display()
            );
        }
    }
}

/// The same notebook in other bytes: `how` 0 indents by two spaces with no
/// final newline (serde_json's pretty printer, where Jupyter writes one
/// space), 1 writes every object's keys in reverse order on one line. `None`
/// for a file that is not JSON (`fixtures/merge/bad`).
fn reformatted(bytes: &[u8], how: usize) -> Option<Vec<u8>> {
    fn reverse_keys(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(map) => {
                let mut pairs: Vec<_> = map.into_iter().collect();
                pairs.reverse();
                serde_json::Value::Object(
                    pairs
                        .into_iter()
                        .map(|(k, v)| (k, reverse_keys(v)))
                        .collect(),
                )
            }
            serde_json::Value::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(reverse_keys).collect())
            }
            other => other,
        }
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let out = match how {
        0 => serde_json::to_vec_pretty(&value),
        _ => serde_json::to_vec(&reverse_keys(value)),
    }
    .expect("a JSON value serializes");
    (out != bytes).then_some(out)
}

/// The identities above through the notebook merge itself: a side that is
/// BASE *written differently* (re-indented, keys re-ordered) is not
/// byte-identical to BASE, so `merge_bytes`'s byte shortcuts do not apply and
/// the cells are aligned and merged. An unchanged side still gives the other
/// side back byte for byte: merge(B', L, B) == L, merge(B, L, B') == L,
/// merge(B', B, R) == R, and merge(B, X, X') == X (the same change on both
/// sides, written differently, is taken once, in local's bytes).
#[test]
fn merge_with_a_reformatted_unchanged_side_gives_the_other_side_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut checked = 0;
    for case in cases() {
        let [b, l, r] = ["base", "local", "remote"].map(|n| case.join(format!("{n}.ipynb")));
        let read = |p: &Path| std::fs::read(p).expect("read");
        if is_fallback(&merge(&b, &l, &r, &[]).2) {
            continue; // not notebooks: the line merge (fixtures/merge/bad)
        }
        for how in 0..2 {
            let write = |name: &str, bytes: Vec<u8>| {
                let p = dir.path().join(format!("{name}-{how}.ipynb"));
                std::fs::write(&p, bytes).expect("write");
                p
            };
            let Some(b2) = reformatted(&read(&b), how).map(|x| write("base", x)) else {
                continue;
            };
            let l2 = write("local", reformatted(&read(&l), how).expect("local is JSON"));
            for (base, x, y, want) in [
                (&b2, &l, &b, &l),
                (&b, &l, &b2, &l),
                (&b2, &b, &r, &r),
                (&b, &l, &l2, &l),
            ] {
                let [bb, xb, yb] = [base, x, y].map(|p| read(p));
                if bb == xb || bb == yb || xb == yb {
                    continue; // a byte shortcut (local-equals-base and the like)
                }
                let (code, out, err) = merge(base, x, y, &[]);
                assert!(
                    !is_fallback(&err),
                    "{}: merged as text: {err}",
                    case.display()
                );
                assert_eq!(code, 0, "{}: {err}", case.display());
                assert!(
                    out == read(want),
                    "{}: merge({}, {}, {}) is not {} byte for byte",
                    case.display(),
                    base.display(),
                    x.display(),
                    y.display(),
                    want.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no case took the notebook merge");
}

fn cell_sources(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    let nb = Notebook::parse(bytes, "merged").ok()?;
    Some(
        nb.cells()
            .iter()
            // Notice cells name the sides, so they differ when swapped.
            .filter(|c| {
                c.metadata()
                    .and_then(|m| m.get("nbdiff"))
                    .and_then(|r| r.get("marker"))
                    .is_none()
            })
            .map(|c| (c.cell_type().to_string(), c.source().into_owned()))
            .collect(),
    )
}

/// Lines of all cell sources that are not conflict markers, sorted.
fn content_lines(cells: &[(String, String)]) -> Vec<String> {
    let mut v: Vec<String> = cells
        .iter()
        .flat_map(|(_, s)| s.lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| {
            let t = l.trim_start_matches(['<', '=', '>', '|']);
            t.len() + 7 > l.len() || l.len() < 7
        })
        .collect();
    v.sort();
    v
}

/// Swapping LOCAL and REMOTE gives the same cells, up to the order of
/// conflicting versions.
#[test]
fn swapping_local_and_remote_gives_the_same_cells() {
    for case in cases() {
        let [b, l, r] = ["base", "local", "remote"].map(|n| case.join(format!("{n}.ipynb")));
        let extra = extra_args(&case);
        if extra
            .iter()
            .any(|a| ["ours", "theirs", "local", "remote"].contains(&a.as_str()))
        {
            continue; // one-sided policies are not symmetric by design
        }
        let (c1, o1, e1) = merge(&b, &l, &r, &extra);
        let (c2, o2, _) = merge(&b, &r, &l, &extra);
        assert_eq!(c1, c2, "{}: exit codes differ when swapped", case.display());
        if is_fallback(&e1) {
            continue;
        }
        let (s1, s2) = (cell_sources(&o1), cell_sources(&o2));
        let (Some(s1), Some(s2)) = (s1, s2) else {
            panic!("{}: output is not a notebook", case.display());
        };
        if c1 == 0 && !extra.iter().any(|a| a == "union") {
            assert_eq!(s1, s2, "{}: cells differ when swapped", case.display());
        } else {
            assert_eq!(
                content_lines(&s1),
                content_lines(&s2),
                "{}: content differs when swapped",
                case.display()
            );
        }
    }
}

/// Every broken file of `fixtures/bad`, in every position, merges as text:
/// exit 0 or 1 (never 2, never a panic), and the reason is on stderr.
#[test]
fn broken_inputs_fall_back_to_a_line_merge_in_any_position() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let good = root.join("fixtures/merge/rule-edits-different-cells");
    let [b, l, r] = ["base", "local", "remote"].map(|n| good.join(format!("{n}.ipynb")));
    let bad: Vec<PathBuf> = std::fs::read_dir(root.join("fixtures/bad"))
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    assert!(!bad.is_empty(), "fixtures/bad is empty");
    for x in &bad {
        for (base, local, remote) in [(x, &l, &r), (&b, x, &r), (&b, &l, x)] {
            let (code, _, err) = merge(base, local, remote, &[]);
            assert!(
                code == 0 || code == 1,
                "{}: exit {code}: {err}",
                x.display()
            );
            assert!(is_fallback(&err), "{}: says why: {err}", x.display());
        }
    }
}
