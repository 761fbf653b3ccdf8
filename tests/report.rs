//! `--html` and `--markdown` (their pinned outputs are columns of
//! `tests/golden.rs`): what keeps notebook content inert, the Markdown cap,
//! `-o`, the revision form in a real repository, and the GitHub review
//! script.

use crate::diff_cli::bin;
use crate::git_util::{notebook, stderr, Sandbox};
use std::path::{Path, PathBuf};
use std::process::Output;

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/diff")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("old.ipynb").exists())
        .collect();
    v.sort();
    v
}

/// Runs nbdiff inside the case folder so the report names `old.ipynb → new.ipynb`.
fn report(case: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(case)
        .args(args)
        .args(["old.ipynb", "new.ipynb"])
        .output()
        .expect("run nbdiff")
}

fn text(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).expect("utf-8 output")
}

#[path = "support/inert.rs"]
pub(crate) mod inert;
use inert::assert_html_inert as assert_inert;

#[test]
fn every_report_is_inert_and_the_hostile_fixture_is_shown_as_text() {
    for case in cases() {
        let html = text(&report(&case, &["--html"]));
        assert_inert(&html, &case.display().to_string());
    }
    let hostile = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/hostile-html");
    let html = text(&report(&hostile, &["--html"]));
    // The hostile source is there, escaped, for the reviewer to read.
    assert!(
        html.contains("&lt;script&gt;document.body.setAttribute"),
        "{html}"
    );
    // The DataFrame-shaped table is rendered (sanitised), before and after.
    assert!(html.matches("<td>tea</td>").count() >= 2, "{html}");
    // The markdown cell is rendered: its heading survives, its script does not.
    assert!(html.contains("<h1>Results</h1>"), "{html}");
    // The SVG output is an image (scripts in an <img> never run).
    assert!(html.contains("src=\"data:image/svg+xml;base64,"), "{html}");
    // JavaScript output is shown as text with a note.
    assert!(
        html.contains("application/javascript is not run or rendered here"),
        "{html}"
    );
}

#[test]
fn controls_and_bidi_overrides_are_visible_in_html() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/terminal-escapes");
    let html = text(&report(&case, &["--html"]));
    assert!(!html.contains('\x1b'), "no raw ESC");
    assert!(!html.contains('\x07'), "no raw BEL");
    let clean = nbdiff::render::html::sanitize_html("a\u{202e}b<b onclick=\"x\">c</b>\x07");
    assert_eq!(clean, "a&lt;U+202E&gt;b<b>c</b>␇");
    let md = nbdiff::render::html::render_markdown(
        "x <img src=\"http://e/p.gif\"> [l](javascript:x) ![t](http://e/t.gif)",
    );
    assert!(!md.contains("http://"), "{md}");
    assert!(!md.contains("javascript:"), "{md}");
    assert!(md.contains("alt=\"t\""), "alt text kept: {md}");
}

#[test]
fn markdown_keeps_notebook_text_in_its_code_blocks() {
    let hostile = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/hostile-html");
    let md = text(&report(&hostile, &["--markdown"]));
    let mut fence: Option<String> = None;
    for line in md.lines() {
        if let Some(f) = &fence {
            if line == f {
                fence = None;
            }
            continue;
        }
        if line.starts_with("```") {
            fence = Some(line.chars().take_while(|&c| c == '`').collect());
            continue;
        }
        // Outside code blocks: only our own tags, no mention, no issue link.
        for (k, _) in line.match_indices('<') {
            let tag = &line[k..];
            assert!(
                ["<details>", "<summary>", "</summary>", "</details>"]
                    .iter()
                    .any(|t| tag.starts_with(t)),
                "{line}"
            );
        }
        assert!(!line.contains("@e"), "{line}");
    }
    assert!(fence.is_none(), "every code block is closed");
    assert!(
        md.contains("@everyone"),
        "inside the code block, text is kept as is"
    );
}

#[test]
fn every_markdown_report_renders_to_only_its_own_tags() {
    for case in cases() {
        let md = text(&report(&case, &["--markdown"]));
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(&md));
        if let Err(e) = inert::check_markdown_report(&html) {
            panic!("{}: {e}\n{html}", case.display());
        }
    }
}

#[test]
fn the_inertness_checks_catch_what_they_look_for() {
    let page = |body: &str| {
        format!(
            "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\"><style>a > b {{}}</style></head><body>{body}</body></html>"
        )
    };
    assert_eq!(
        inert::check_html_report(&page("<p title=\"a>b\">x</p>")),
        Ok(())
    );
    for bad in [
        "<script>x</script>",
        "<img src=\"x\" onerror=\"y\">",
        "<p title=\"a>b\" onclick=\"y\">",
        "<a href=\"javascript:x\">",
        "<img src=\"http://e/p.gif\">",
        "<meta http-equiv=\"refresh\" content=\"0\">",
        "<svg></svg>",
        "<p style=\"x\">",
        "<p>1 < 2</p>",
        // Inputs other than the report's own tabs.
        "<input type=\"text\" name=\"cmp1\" id=\"cmp1-side\" class=\"m-side\">",
        "<input type=\"radio\" name=\"cmp1\" id=\"cmp1-side\" class=\"m-side\" formaction=\"x\">",
        "<input type=\"radio\" name=\"cmp1\" id=\"cmp2-side\" class=\"m-side\">",
        "<input type=\"radio\" name=\"x\" id=\"x-side\" class=\"m-side\">",
    ] {
        assert!(inert::check_html_report(&page(bad)).is_err(), "{bad}");
    }
    assert_eq!(
        inert::check_html_report(&page(
            "<input type=\"radio\" name=\"cmp3\" id=\"cmp3-diff\" class=\"m-diff\" checked>"
        )),
        Ok(())
    );
    assert!(inert::check_html_report("<html><head><style></style></head></html>").is_err());
    assert_eq!(
        inert::check_markdown_report("<details open=\"\"><summary><b>x</b></summary><pre><code class=\"language-python\">1</code></pre></details>"),
        Ok(())
    );
    for bad in [
        "<img src=\"x\">",
        "<a href=\"http://e\">x</a>",
        "<details onclick=\"x\">",
    ] {
        assert!(inert::check_markdown_report(bad).is_err(), "{bad}");
    }
}

#[test]
fn markdown_is_capped_and_says_what_was_left_out() {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/hostile-html");
    let full = text(&report(&case, &["--markdown"]));
    assert!(!full.contains("Left out"), "{full}");
    assert!(full.len() > 1500);
    let capped = text(&report(&case, &["--markdown", "--max-bytes", "1700"]));
    assert!(capped.len() <= 1700, "{} bytes", capped.len());
    assert!(
        capped.contains("cell 1 [markdown] modified"),
        "what fits is shown: {capped}"
    );
    assert!(
        capped.contains(
            "**Left out:** 2 changes in 1 notebook: this summary is capped at 1700 bytes."
        ),
        "{capped}"
    );
    // Deterministic.
    assert_eq!(
        capped,
        text(&report(&case, &["--markdown", "--max-bytes", "1700"]))
    );
}

#[test]
fn a_huge_context_shows_every_line_in_every_format() {
    // `-U` is the user's number: the hunk cutter saturates instead of
    // overflowing (the reports panicked on it).
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/cell-moved-edited");
    let huge = usize::MAX.to_string();
    for format in [&[][..], &["--html"], &["--markdown"]] {
        let mut args = format.to_vec();
        args.extend(["-U", huge.as_str()]);
        let o = report(&case, &args);
        assert!(o.status.success(), "{format:?}: {}", stderr(&o));
        assert!(!o.stdout.is_empty(), "{format:?}");
    }
}

#[test]
fn out_file_is_written_whole_and_an_error_leaves_it_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("review.html");
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/image-changed");
    let o = report(&case, &["--html", "-o", target.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(o.stdout.is_empty());
    let html = std::fs::read_to_string(&target).expect("report written");
    assert!(html.ends_with("</html>\n"));
    assert!(
        html.contains("<img id=\"img1\""),
        "the changed image is embedded"
    );
    // A failing run (a missing input) keeps the previous report.
    let o = bin()
        .args([
            "--html",
            "-o",
            target.to_str().expect("utf-8"),
            "nope.ipynb",
            "nope2.ipynb",
        ])
        .current_dir(dir.path())
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&target).expect("still there"), html);
    let leftovers = std::fs::read_dir(dir.path()).expect("dir").count();
    assert_eq!(leftovers, 1, "no temporary file left behind");
}

#[test]
fn html_and_markdown_between_revisions() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(repo.join("a.ipynb"), notebook(&["x = 1", "y = 2"], 1)).expect("write");
    std::fs::write(repo.join("b.ipynb"), notebook(&["b = 1"], 1)).expect("write");
    std::fs::write(repo.join("broken.ipynb"), "{}").expect("write");
    sb.commit_all(&repo, "one");
    std::fs::write(repo.join("a.ipynb"), notebook(&["x = 10", "y = 2"], 2)).expect("write");
    std::fs::write(repo.join("broken.ipynb"), "{not json").expect("write");
    sb.commit_all(&repo, "two");
    let out = sb.nbdiff(&repo, &["--html", "-o", "review.html", "HEAD~1", "HEAD"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(repo.join("review.html")).expect("report");
    assert_inert(&html, "revision report");
    // Every notebook git lists is in the report, as in `git diff`: the one
    // that does not parse with its line diff.
    assert!(html.contains("2 notebooks changed"), "{html}");
    assert!(
        html.contains(">a.ipynb</a>"),
        "repository-relative path: {html}"
    );
    assert!(
        !html.contains(">b.ipynb<"),
        "unchanged notebooks are not listed"
    );
    assert!(
        html.contains(">broken.ipynb</a>"),
        "a file that is not a notebook is listed"
    );
    assert!(html.contains("line diff +1 -1"), "{html}");
    assert!(html.contains("+{not json"), "its lines are shown: {html}");
    let out = sb.nbdiff(&repo, &["--markdown", "HEAD~1", "HEAD"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let md = String::from_utf8(out.stdout).expect("utf-8");
    assert!(md.starts_with("### nbdiff: 2 notebooks changed"), "{md}");
    assert!(md.contains("| broken.ipynb | not parsed \\("), "{md}");
    assert!(md.contains("+{not json\n"), "{md}");
    assert!(
        md.contains("| a.ipynb | source changed \\(1 cell\\)"),
        "{md}"
    );
    assert!(md.contains(" | 0 | 0 | 1 |"), "{md}");
    assert!(md.contains("-x = 1\n+x = 10\n"), "{md}");
}

/// `git-integration/github/review.sh` as the workflow runs it, with the
/// comment written to a file instead of posted.
#[test]
fn github_review_script_writes_the_report_and_one_comment_body() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(repo.join("a.ipynb"), notebook(&["x = 1", "y = 2"], 1)).expect("write");
    std::fs::write(repo.join("m.ipynb"), notebook(&["m = 1"], 1)).expect("write");
    sb.commit_all(&repo, "one");
    let base = sb.git(&repo, &["rev-parse", "HEAD"]).trim().to_string();
    sb.git(&repo, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(
        repo.join("a.ipynb"),
        notebook(&["x = 10  # @someone", "y = 2"], 2),
    )
    .expect("write");
    sb.commit_all(&repo, "feature");
    // The base branch moves on after the pull request branched off: not the
    // pull request's change, so not in its review.
    sb.git(&repo, &["checkout", "-q", &base]);
    std::fs::write(repo.join("m.ipynb"), notebook(&["m = 2"], 2)).expect("write");
    sb.commit_all(&repo, "base moves on");
    let base_tip = sb.git(&repo, &["rev-parse", "HEAD"]).trim().to_string();

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("git-integration/github/review.sh");
    let comment = sb.path().join("comment.md");
    let run = |extra: &[(&str, &str)]| {
        let mut c = sb.cmd("bash", &repo);
        c.arg(&script)
            .env("BASE", &base_tip)
            .env("HEAD", "feature")
            .env("NBDIFF", crate::git_util::nbdiff_exe())
            .env("NBDIFF_OUT_DIR", sb.path().join("out"));
        for (k, v) in extra {
            c.env(k, v);
        }
        c.output().expect("run review.sh")
    };
    let o = run(&[("NBDIFF_COMMENT_FILE", comment.to_str().expect("utf-8"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let body = std::fs::read_to_string(&comment).expect("comment body");
    assert!(
        body.starts_with("<!-- nbdiff-review -->\n### nbdiff: 1 notebook changed"),
        "{body}"
    );
    assert!(
        body.contains("| a.ipynb | source changed \\(1 cell\\)"),
        "{body}"
    );
    assert!(body.contains(" | 0 | 0 | 1 |"), "{body}");
    assert!(body.contains("+x = 10  # @someone"), "{body}");
    assert!(
        !body.contains("m.ipynb"),
        "only the pull request's own changes: {body}"
    );
    let html = std::fs::read_to_string(sb.path().join("out/review.html")).expect("report");
    assert_inert(&html, "review.sh report");
    assert!(html.contains(">a.ipynb</a>"), "{html}");

    // Not on GitHub and no comment file: nothing is posted, the body is kept.
    let o = run(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("comment not posted"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let again = std::fs::read_to_string(sb.path().join("out/comment.md")).expect("comment.md");
    assert_eq!(again, body, "deterministic");
}
