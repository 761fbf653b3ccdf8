//! Outputs by what they show: images compared by
//! their pixels, small text output changes inline, one representation per
//! output under `--outputs full`. Through the real binary, on project-made
//! fixtures (`fixtures/diff/image-*`, `fixtures/diff/output-inline`).

use crate::diff_cli::bin;
use std::path::{Path, PathBuf};

fn pair(case: &str) -> (PathBuf, PathBuf) {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/diff")
        .join(case);
    (d.join("old.ipynb"), d.join("new.ipynb"))
}

fn run(case: &str, args: &[&str]) -> String {
    let (a, b) = pair(case);
    let out = bin()
        .args(["--color", "never"])
        .args(args)
        .arg(&a)
        .arg(&b)
        .output()
        .expect("run nbdiff");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The PNG payload of the first output of the first cell.
fn png_of(path: &Path) -> String {
    let nb: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let v = &nb["cells"][0]["outputs"][0]["data"]["image/png"];
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect(),
    }
}

#[test]
fn reencoded_image_with_identical_pixels_is_no_change() {
    let (a, b) = pair("image-reencoded");
    // The fixture is only a test if the bytes really differ: a byte or
    // base64 comparison would call this a change.
    let (pa, pb) = (png_of(&a), png_of(&b));
    assert_ne!(pa.trim(), pb.trim());
    assert_ne!(pa.len(), pb.len());
    for args in [&[][..], &["--stat"], &["--markdown"], &["--html"]] {
        let out = run("image-reencoded", args);
        assert!(!out.contains("image/png"), "{args:?}: {out}");
    }
    let note = run("image-reencoded", &[]);
    assert!(
        note.contains("re-encoded images); nbdiff -a shows them"),
        "{note}"
    );
    let all = run("image-reencoded", &["-a"]);
    assert!(
        all.contains("output 1 (image/png): 40×24 re-encoded, same pixels"),
        "{all}"
    );
}

#[test]
fn changed_image_says_how_much_and_where() {
    let want = "40×24 1.8% of pixels, region 6×3 at (20,10)";
    let out = run("image-pixels-changed", &[]);
    assert!(
        out.contains(&format!("output 1 (image/png): {want}")),
        "{out}"
    );
    let md = run("image-pixels-changed", &["--markdown"]);
    assert!(md.contains(want), "{md}");
    let html = run("image-pixels-changed", &["--html"]);
    assert!(html.contains(want), "{html}");
    let stat = run("image-pixels-changed", &["--stat"]);
    assert!(stat.contains("1 output changed"), "{stat}");
}

#[test]
fn small_text_output_changes_are_shown_inline() {
    for args in [&[][..], &["--markdown"]] {
        let out = run("output-inline", args);
        for line in [
            "  -[30, 15, 9]",
            "  +[25, 15, 9]",
            "  -54 in total",
            "  +49 in total",
            "  -ValueError: too many: 30",
            "  +ValueError: too many: 25",
        ] {
            assert!(
                out.lines().any(|l| l == line),
                "{args:?} lacks {line:?}:\n{out}"
            );
        }
    }
    // `--outputs none` still says nothing about outputs.
    let none = run("output-inline", &["--outputs", "none"]);
    assert!(!none.contains("in total"), "{none}");
}

#[test]
fn full_outputs_show_one_representation_per_output() {
    let out = run("output-inline", &["--outputs", "full"]);
    // text/plain and text/markdown both say "54 in total": the diff is
    // printed once, the other representation counted on one line.
    assert_eq!(out.matches("-54 in total").count(), 1, "{out}");
    assert_eq!(out.matches("+49 in total").count(), 1, "{out}");
    assert!(
        out.contains("text/markdown: +1 -1 lines (another representation of this output)"),
        "{out}"
    );
}

#[test]
fn long_output_changes_stay_summarized() {
    // Over the inline threshold (8 changed lines): the summary line only.
    let old = r#"{"cells": [{"cell_type": "code", "id": "a", "metadata": {}, "execution_count": 1, "source": "x", "outputs": [{"output_type": "stream", "name": "stdout", "text": "OLD\n"}]}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#;
    let many: String = (0..9).map(|i| format!("line {i}\\n")).collect();
    let new = old.replace("OLD\\n", &many);
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.ipynb"), dir.path().join("b.ipynb"));
    std::fs::write(&a, old).unwrap();
    std::fs::write(&b, new).unwrap();
    let out = bin()
        .args(["--color", "never"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.contains("output 1 (stream stdout): +9 -1 lines"),
        "{out}"
    );
    assert!(!out.contains("line 3"), "{out}");
}

/// The user's sequence: a notebook whose image was only re-encoded and one
/// whose small outputs changed are committed; `git diff` through the driver,
/// `nbdiff` on the revisions, its `--stat` and its Markdown comment agree:
/// the image is no change anywhere, the small outputs are shown inline.
#[test]
fn git_diff_and_nbdiff_agree_on_pixels_and_inline_outputs() {
    use crate::git_util::{stdout, Sandbox};
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    let (img_old, img_new) = pair("image-reencoded");
    let (out_old, out_new) = pair("output-inline");
    std::fs::copy(&img_old, repo.join("chart.ipynb")).unwrap();
    std::fs::copy(&out_old, repo.join("counts.ipynb")).unwrap();
    sb.commit_all(&repo, "first");
    std::fs::copy(&img_new, repo.join("chart.ipynb")).unwrap();
    std::fs::copy(&out_new, repo.join("counts.ipynb")).unwrap();
    // git sees both files change (the PNG bytes differ)…
    let names = sb.git(&repo, &["diff", "--name-only"]);
    assert_eq!(names, "chart.ipynb\ncounts.ipynb\n");
    sb.commit_all(&repo, "second");
    let git = sb.git(&repo, &["diff", "--color=never", "HEAD~1", "HEAD"]);
    let nb = stdout(&sb.nbdiff(&repo, &["--color", "never", "HEAD~1", "HEAD"]));
    let stat = stdout(&sb.nbdiff(&repo, &["--stat", "HEAD~1", "HEAD"]));
    let md = stdout(&sb.nbdiff(&repo, &["--markdown", "HEAD~1", "HEAD"]));
    for (what, text) in [("git diff", &git), ("nbdiff", &nb), ("--markdown", &md)] {
        // …but the picture is the same: no image line anywhere.
        assert!(!text.contains("image/png"), "{what}: {text}");
        for line in ["  -[30, 15, 9]", "  +[25, 15, 9]"] {
            assert!(
                text.lines().any(|l| l == line),
                "{what} lacks {line:?}: {text}"
            );
        }
    }
    assert!(!stat.contains("image/png"), "{stat}");
    assert!(
        stat.lines().any(|l| l.starts_with(" chart.ipynb ")
            && l.ends_with("| only ignored changes (execution counts, metadata.execution, re-encoded images); nbdiff -a shows them")),
        "{stat}"
    );
    assert!(stat.contains(" counts.ipynb "), "{stat}");
}
