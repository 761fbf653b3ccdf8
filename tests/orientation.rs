//! Finding one's way in a diff: cells named by their first line in every
//! renderer, and `--html --open` / `--web` handing the report to a browser.

use crate::git_util::{notebook, stdout, Sandbox};
use std::path::Path;

fn write_pair(dir: &Path, old: &[&str], new: &[&str]) {
    std::fs::write(dir.join("old.ipynb"), notebook(old, 1)).expect("write old");
    std::fs::write(dir.join("new.ipynb"), notebook(new, 1)).expect("write new");
}

#[test]
fn cell_headers_and_the_html_index_carry_the_first_line_made_safe() {
    let sb = Sandbox::new();
    let dir = sb.path();
    // A hostile first line: an escape sequence, HTML, Markdown and a wide
    // script longer than a header's width.
    let line = format!("\x1b[31m<b>x</b> *y* {}", "表".repeat(40));
    let old = format!("\n{line}\nprint(1)");
    let new = format!("\n{line}\nprint(2)");
    write_pair(dir, &[&old], &[&new]);

    let term = stdout(&sb.nbdiff(
        dir,
        &["--no-pager", "--color=never", "old.ipynb", "new.ipynb"],
    ));
    let header = term
        .lines()
        .find(|l| l.starts_with("── cell 1 [code] modified"))
        .unwrap_or_else(|| panic!("no cell header in {term}"));
    assert!(!term.contains('\x1b'), "{term:?}");
    assert!(header.contains(" · <b>x</b> *y* 表表"), "{header}");
    assert!(header.ends_with("… ──"), "cut by width: {header}");

    let md = stdout(&sb.nbdiff(dir, &["--no-pager", "--markdown", "old.ipynb", "new.ipynb"]));
    assert!(
        md.contains("<summary>cell 1 [code] modified · &lt;b&gt;x&lt;/b&gt; *y* 表"),
        "{md}"
    );

    let html = stdout(&sb.nbdiff(dir, &["--no-pager", "--html", "old.ipynb", "new.ipynb"]));
    assert!(
        html.contains(
            "<li><a href=\"#nb1-c1\">cell 1 [code] modified · &lt;b&gt;x&lt;/b&gt; *y* 表"
        ),
        "the index names the cell by its first line: {html}"
    );
    assert!(!html.contains("<b>x</b>"), "{html}");
}

/// A fake browser: a script that writes its arguments into `seen`.
#[cfg(unix)]
fn fake_browser(dir: &Path, seen: &Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("fake-browser");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}.tmp'\nmv '{0}.tmp' '{0}'\n",
            seen.display()
        ),
    )
    .expect("write script");
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    script.display().to_string()
}

/// Waits for the browser, which nbdiff starts and does not wait for.
#[cfg(unix)]
fn read_when_written(path: &Path) -> String {
    for _ in 0..500 {
        if let Ok(s) = std::fs::read_to_string(path) {
            return s;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the browser never ran: {} not written", path.display());
}

#[cfg(unix)]
#[test]
fn web_writes_a_kept_temporary_report_and_hands_it_to_browser() {
    let sb = Sandbox::new();
    let dir = sb.path();
    write_pair(dir, &["a = 1"], &["a = 2"]);
    let tmp = dir.join("tmp");
    std::fs::create_dir_all(&tmp).expect("tmp");
    let seen = dir.join("seen.txt");
    let browser = fake_browser(dir, &seen);
    for flags in [&["--web"][..], &["--html", "--open"][..]] {
        let _ = std::fs::remove_file(&seen);
        let mut args = flags.to_vec();
        args.extend(["old.ipynb", "new.ipynb"]);
        let out = sb
            .cmd(crate::git_util::nbdiff_exe(), dir)
            .env("TMPDIR", &tmp)
            .env("BROWSER", &browser)
            .args(&args)
            .output()
            .expect("run nbdiff");
        assert_eq!(out.status.code(), Some(0), "{flags:?}: {out:?}");
        assert!(out.stdout.is_empty(), "nothing on stdout: {out:?}");
        let arg = read_when_written(&seen);
        let report = Path::new(arg.trim_end());
        assert!(report.is_absolute(), "{arg}");
        assert_eq!(report.parent(), Some(tmp.as_path()), "{arg}");
        let name = report.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert!(
            name.starts_with("nbdiff-") && name.ends_with(".html"),
            "{name}"
        );
        let html = std::fs::read_to_string(report).expect("the report outlives nbdiff");
        assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
        assert!(html.contains("cell 1 [code] modified"), "{html}");
    }
}

#[cfg(unix)]
#[test]
fn browser_placeholder_and_the_out_file_are_honoured() {
    let sb = Sandbox::new();
    let dir = sb.path();
    write_pair(dir, &["a = 1"], &["a = 2"]);
    let seen = dir.join("seen.txt");
    let browser = format!("{} --new-tab --url=%s", fake_browser(dir, &seen));
    let out = sb
        .cmd(crate::git_util::nbdiff_exe(), dir)
        .env("BROWSER", format!("no-such-browser-xyz:{browser}"))
        .args([
            "--html",
            "--open",
            "-o",
            "review.html",
            "old.ipynb",
            "new.ipynb",
        ])
        .output()
        .expect("run nbdiff");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let seen = read_when_written(&seen);
    let expected = format!("--new-tab\n--url={}\n", dir.join("review.html").display());
    assert_eq!(seen, expected, "the second $BROWSER entry, %s replaced");
    assert!(std::fs::read_to_string(dir.join("review.html"))
        .expect("written")
        .contains("cell 1 [code] modified"));
}

/// Unix only: Windows finds `explorer` without PATH.
#[cfg(unix)]
#[test]
fn without_a_browser_the_path_is_printed_and_the_command_succeeds() {
    let sb = Sandbox::new();
    let dir = sb.path();
    write_pair(dir, &["a = 1"], &["a = 2"]);
    let tmp = dir.join("tmp");
    let empty = dir.join("empty-path");
    std::fs::create_dir_all(&tmp).expect("tmp");
    std::fs::create_dir_all(&empty).expect("empty");
    let out = sb
        .cmd(crate::git_util::nbdiff_exe(), dir)
        .env("TMPDIR", &tmp)
        .env("TEMP", &tmp)
        .env("TMP", &tmp)
        .env("PATH", &empty)
        .env("BROWSER", "no-such-browser-xyz")
        .args(["--web", "old.ipynb", "new.ipynb"])
        .output()
        .expect("run nbdiff");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let printed = stdout(&out);
    let report = Path::new(printed.trim_end());
    assert!(
        std::fs::read_to_string(report)
            .expect("the printed path is the report")
            .contains("cell 1 [code] modified"),
        "{printed}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no browser could be started"), "{err}");
}

#[test]
fn open_needs_html_and_web_excludes_other_formats() {
    let sb = Sandbox::new();
    let dir = sb.path();
    write_pair(dir, &["a = 1"], &["a = 2"]);
    for args in [
        &["--open", "old.ipynb", "new.ipynb"][..],
        &["--web", "--json", "old.ipynb", "new.ipynb"][..],
        &["--web", "--markdown", "old.ipynb", "new.ipynb"][..],
    ] {
        let out = sb.nbdiff(dir, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    }
}

#[test]
fn changed_images_get_css_only_comparison_views_under_the_same_csp() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/image-pixels-changed");
    let sb = Sandbox::new();
    let html = stdout(&sb.nbdiff(&dir, &["--no-pager", "--html", "old.ipynb", "new.ipynb"]));
    assert!(
        html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">"
        ),
        "the CSP is unchanged"
    );
    assert!(!html.contains("<script"), "no script");
    let widget = &html[html.find("<div class=\"imgcmp\"").expect("a comparison")..];
    for mode in ["side", "diff", "slide", "flip"] {
        assert!(
            widget.contains(&format!("id=\"cmp1-{mode}\" class=\"m-{mode}\"")),
            "{mode} tab"
        );
        assert!(
            widget.contains(&format!("<label for=\"cmp1-{mode}\"")),
            "{mode} label"
        );
    }
    // The two images, each embedded once, inside the one stage.
    assert_eq!(html.matches("<img ").count(), 2, "{html}");
    assert_eq!(html.matches("src=\"data:image/png;base64,").count(), 2);
    for rule in [
        "mix-blend-mode: difference",
        "resize: horizontal",
        ":hover .new",
    ] {
        assert!(html.contains(rule), "the stylesheet has {rule}");
    }

    // An image only on one side has nothing to compare with: side by side.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/output-added");
    let html = stdout(&sb.nbdiff(&dir, &["--no-pager", "--html", "old.ipynb", "new.ipynb"]));
    assert!(!html.contains("<div class=\"imgcmp\""), "{html}");
}
