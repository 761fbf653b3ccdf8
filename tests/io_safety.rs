//! What nbdiff does at the edges of its input and output, each through the
//! real binary: write errors are never silent; `-o` and `%A` never replace a
//! link or a device; git's positional arguments are never flags; sizes from
//! input are bounded; every byte to a terminal is sanitised, invisible
//! characters included; nbdiff reads back what its merges write; `show`'s
//! exit codes are the documented ones. Crashes the fuzz targets found are
//! replayed at the end.

use crate::git_util::{notebook, Sandbox};
use nbdiff::notebook::Notebook;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test, in a clean environment. `NBDIFF_TEST_BIN=PATH`
/// runs these tests against another build (to see each of them fail on a
/// build from before the fixes).
fn exe() -> std::ffi::OsString {
    std::env::var_os("NBDIFF_TEST_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_nbdiff").into())
}

fn bin() -> Command {
    let mut c = Command::new(exe());
    crate::git_util::without_terminal_env(&mut c);
    c
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

fn merge_case(case: &str) -> [PathBuf; 3] {
    ["base", "local", "remote"].map(|s| fixture(&format!("merge/{case}/{s}.ipynb")))
}

fn err_text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `cmd` with stdout on `/dev/full` (every write fails with ENOSPC).
fn to_dev_full(mut cmd: Command) -> Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full (Linux)");
    cmd.stdout(Stdio::from(full)).output().expect("run nbdiff")
}

/// Runs `cmd`, killing it (and failing) after `limit`.
fn output_within(mut cmd: Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    let out = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut out = out;
        let mut buf = Vec::new();
        let _ = std::io::Read::read_to_end(&mut out, &mut buf);
        buf
    });
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut stderr = Vec::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = std::io::Read::read_to_end(&mut e, &mut stderr);
            }
            return Output {
                status,
                stdout: reader.join().expect("reader"),
                stderr,
            };
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

// ------------------------------------------------ write errors are loud

#[test]
fn a_failed_write_is_exit_2_with_a_message_in_every_command() {
    let (old, new) = (
        fixture("diff/word-change/old.ipynb"),
        fixture("diff/word-change/new.ipynb"),
    );
    let [b, l, r] = merge_case("different-cells-edited");
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let mut cases: Vec<(&str, Command)> = Vec::new();
    let mut c = |name, args: &[&std::ffi::OsStr]| {
        let mut cmd = bin();
        cmd.args(args).current_dir(&repo);
        cases.push((name, cmd));
    };
    let (o, n) = (old.as_os_str(), new.as_os_str());
    c("diff", &[o, n]);
    c("diff --stat", &["--stat".as_ref(), o, n]);
    c("diff --json", &["--json".as_ref(), o, n]);
    c(
        "merge",
        &["merge".as_ref(), b.as_ref(), l.as_ref(), r.as_ref()],
    );
    c("show", &["show".as_ref(), o]);
    c(
        "diff-driver",
        &[
            "diff-driver".as_ref(),
            "--".as_ref(),
            "x.ipynb".as_ref(),
            o,
            "1".as_ref(),
            "100644".as_ref(),
            n,
            "2".as_ref(),
            "100644".as_ref(),
        ],
    );
    c(
        "config-git --dry-run",
        &[
            "config-git".as_ref(),
            "--enable".as_ref(),
            "--dry-run".as_ref(),
        ],
    );
    c("--help", &["--help".as_ref()]);
    c("--version", &["--version".as_ref()]);
    for (name, mut cmd) in cases {
        cmd.env("HOME", sb.home())
            .env("GIT_CONFIG_GLOBAL", sb.global_config())
            .env("GIT_CONFIG_NOSYSTEM", "1");
        let out = to_dev_full(cmd);
        let err = err_text(&out);
        assert_eq!(out.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains("No space left on device") && err.starts_with("nbdiff"),
            "{name}: says why: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn a_closed_pipe_is_still_not_an_error() {
    let [b, l, r] = merge_case("different-cells-edited");
    for args in [
        vec![
            "merge".to_string(),
            b.display().to_string(),
            l.display().to_string(),
            r.display().to_string(),
        ],
        vec!["show".to_string(), l.display().to_string()],
    ] {
        let mut child = bin()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(child.stdout.take()); // the reader goes away at once
        let o = child.wait_with_output().expect("wait");
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", err_text(&o));
        assert!(!err_text(&o).contains("cannot write"), "{}", err_text(&o));
    }
}

// ------------------------------------- links and special files survive

fn clean_merge(dir: &Path) -> ([PathBuf; 3], Vec<u8>) {
    let files = merge_case("different-cells-edited");
    let o = bin()
        .arg("merge")
        .args(&files)
        .output()
        .expect("run nbdiff");
    assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
    let _ = dir;
    (files, o.stdout)
}

#[cfg(unix)]
#[test]
fn output_through_a_symlink_writes_its_target_and_keeps_the_link_and_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let ([b, l, r], expected) = clean_merge(dir.path());
    let target = dir.path().join("real.ipynb");
    std::fs::write(&target, "old").expect("write");
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let link = dir.path().join("link.ipynb");
    std::os::unix::fs::symlink("real.ipynb", &link).expect("symlink");
    let o = bin()
        .arg("merge")
        .args([&b, &l, &r])
        .arg("-o")
        .arg(&link)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
    let meta = std::fs::symlink_metadata(&link).expect("link");
    assert!(meta.file_type().is_symlink(), "the link was replaced");
    assert_eq!(std::fs::read(&target).expect("target"), expected);
    let mode = std::fs::metadata(&target)
        .expect("target")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "mode kept");
}

#[cfg(unix)]
#[test]
fn merge_driver_writes_through_a_symlinked_a() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ([b, l, r], expected) = clean_merge(dir.path());
    let target = dir.path().join("ours.ipynb");
    std::fs::copy(&l, &target).expect("copy");
    let link = dir.path().join("A");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let o = bin()
        .args(["merge-driver", "--"])
        .args([b.as_os_str(), link.as_os_str(), r.as_os_str()])
        .args(["7", "nb.ipynb"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
    assert!(std::fs::symlink_metadata(&link)
        .expect("link")
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read(&target).expect("target"), expected);
}

#[cfg(unix)]
#[test]
fn output_into_a_fifo_is_written_into_it_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let ([b, l, r], expected) = clean_merge(dir.path());
    let fifo = dir.path().join("pipe.ipynb");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(&fifo).expect("read fifo"))
    };
    let o = output_within(
        {
            let mut c = bin();
            c.arg("merge").args([&b, &l, &r]).arg("-o").arg(&fifo);
            c
        },
        Duration::from_secs(60),
    );
    // Checked before joining the reader: if the FIFO was replaced, the
    // reader waits forever (it is left behind, the test fails).
    assert!(
        std::fs::symlink_metadata(&fifo)
            .expect("fifo")
            .file_type()
            .is_fifo(),
        "the FIFO was replaced by a file"
    );
    if o.status.code() != Some(0) {
        // Unblock the reader, then fail.
        let _ = std::fs::OpenOptions::new().write(true).open(&fifo);
        panic!("exit {:?}: {}", o.status.code(), err_text(&o));
    }
    assert_eq!(reader.join().expect("reader"), expected);
}

#[cfg(target_os = "linux")]
#[test]
fn output_to_dev_stdout_and_dev_null_through_links_writes_into_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ([b, l, r], expected) = clean_merge(dir.path());
    // Links of our own to what `/dev/stdout` and `/dev/null` are, so that a
    // regression replaces a file in the temp folder, not the machine's /dev.
    let stdout_link = dir.path().join("stdout.ipynb");
    std::os::unix::fs::symlink("/proc/self/fd/1", &stdout_link).expect("symlink");
    let o = bin()
        .arg("merge")
        .args([&b, &l, &r])
        .arg("-o")
        .arg(&stdout_link)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
    assert_eq!(o.stdout, expected, "-o /dev/stdout reaches stdout");
    assert!(std::fs::symlink_metadata(&stdout_link)
        .expect("link")
        .file_type()
        .is_symlink());
    let null_link = dir.path().join("null.ipynb");
    std::os::unix::fs::symlink("/dev/null", &null_link).expect("symlink");
    let o = bin()
        .arg("merge")
        .args([&b, &l, &r])
        .arg("-o")
        .arg(&null_link)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
    assert!(std::fs::symlink_metadata(&null_link)
        .expect("link")
        .file_type()
        .is_symlink());
}

#[cfg(unix)]
#[test]
fn output_to_a_directory_or_a_dangling_link_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ([b, l, r], _) = clean_merge(dir.path());
    let dangling = dir.path().join("dangling.ipynb");
    std::os::unix::fs::symlink("missing/x.ipynb", &dangling).expect("symlink");
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    for target in [&dangling, &sub] {
        let o = bin()
            .arg("merge")
            .args([&b, &l, &r])
            .arg("-o")
            .arg(target)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(2), "{}", err_text(&o));
        assert!(err_text(&o).contains(&target.display().to_string()));
    }
    assert!(std::fs::symlink_metadata(&dangling)
        .expect("link")
        .file_type()
        .is_symlink());
    assert!(sub.is_dir());
}

// ------------------------------------ git's arguments are never flags

#[test]
fn files_named_like_flags_diff_and_merge_through_real_git() {
    let sb = Sandbox::new();
    let repo = sb.repo("repo");
    let exe = exe();
    let enabled = sb
        .cmd(exe.to_str().expect("UTF-8 path"), &repo)
        .args(["config-git", "--enable"])
        .output()
        .expect("config-git");
    assert!(enabled.status.success(), "{}", err_text(&enabled));
    let names = ["-x.ipynb", "--color=x.ipynb"];
    for name in names {
        std::fs::write(repo.join(name), notebook(&["a = 1", "b = 2", "c = 3"], 1)).expect("write");
    }
    sb.commit_all(&repo, "base");
    // diff: the semantic diff, not "external diff died".
    for name in names {
        std::fs::write(repo.join(name), notebook(&["a = 1", "b = 20", "c = 3"], 1)).expect("write");
    }
    let out = sb.git_output(&repo, &["diff"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "git diff: {}", err_text(&out));
    for name in names {
        assert!(
            text.contains(&format!("diff --git a/{name} b/{name}\n--- a/{name}")),
            "semantic diff of {name}: {text}"
        );
    }
    sb.git(&repo, &["checkout", "--", "."]);
    // merge: both sides edit different cells of `-x.ipynb`: clean.
    let name = "-x.ipynb";
    sb.diverge(
        &repo,
        "theirs",
        name,
        &notebook(&["a = 1", "b = 2", "c = 30"], 1),
        &notebook(&["a = 10", "b = 2", "c = 3"], 1),
    );
    let out = sb.git_output(&repo, &["merge", "-q", "--no-edit", "theirs"]);
    assert!(
        out.status.success(),
        "clean merge: {}{}",
        err_text(&out),
        String::from_utf8_lossy(&out.stdout)
    );
    let merged = std::fs::read_to_string(repo.join(name)).expect("read");
    assert!(
        merged.contains("a = 10") && merged.contains("c = 30"),
        "{merged}"
    );
    assert!(!merged.contains("<<<<<<<"), "{merged}");
}

#[test]
fn merge_driver_takes_a_path_like_a_flag_as_the_path_even_without_dashdash() {
    // An older `config-git` wrote `merge-driver %O %A %B %L %P --label…`.
    let dir = tempfile::tempdir().expect("tempdir");
    let ([b, l, r], expected) = clean_merge(dir.path());
    for path in ["-x.ipynb", "--help.ipynb"] {
        let a = dir.path().join("A");
        std::fs::copy(&l, &a).expect("copy");
        let o = bin()
            .arg("merge-driver")
            .args([b.as_os_str(), a.as_os_str(), r.as_os_str()])
            .args(["7", path, "--label-base", "base"])
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(0), "{path}: {}", err_text(&o));
        assert_eq!(std::fs::read(&a).expect("A"), expected);
    }
}

// --------------------------------------------------- bounded sizes

#[test]
fn huge_marker_sizes_from_git_are_clamped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [b, l, r] = merge_case("same-lines-conflict");
    for size in [
        "18446744073709551615",
        "2147483647",
        "99999999999999999999999",
    ] {
        let a = dir.path().join("A");
        std::fs::copy(&l, &a).expect("copy");
        let o = output_within(
            {
                let mut c = bin();
                c.args(["merge-driver", "--"])
                    .args([b.as_os_str(), a.as_os_str(), r.as_os_str()])
                    .args([size, "nb.ipynb"]);
                c
            },
            Duration::from_secs(60),
        );
        assert_eq!(o.status.code(), Some(1), "{size}: {}", err_text(&o));
        let bytes = std::fs::read(&a).expect("A");
        let nb = Notebook::parse(&bytes, "A").expect("a notebook");
        let longest = nb
            .cells()
            .iter()
            .flat_map(|c| {
                c.source()
                    .lines()
                    // Markers are written inert in notice cells: `<<<<<<< label`.
                    .map(|l| {
                        let l = l.trim_start_matches('`');
                        l.chars().take_while(|&c| c == '<').count()
                    })
                    .collect::<Vec<_>>()
            })
            .max()
            .unwrap_or(0);
        assert_eq!(longest, nbdiff::merge::MAX_MARKER_SIZE, "{size}");
    }
}

#[test]
fn a_huge_marker_size_option_is_a_usage_error() {
    let [b, l, r] = merge_case("same-lines-conflict");
    let o = bin()
        .args(["merge", "--marker-size", "18446744073709551615"])
        .args([&b, &l, &r])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2), "{}", err_text(&o));
    assert!(!err_text(&o).contains("panicked"));
    assert!(err_text(&o).contains("--marker-size"), "{}", err_text(&o));
}

#[test]
fn a_huge_context_is_all_the_context() {
    let (old, new) = (
        fixture("diff/source-line-edit/old.ipynb"),
        fixture("diff/source-line-edit/new.ipynb"),
    );
    let small = bin()
        .args(["-U", "100000"])
        .arg(&old)
        .arg(&new)
        .output()
        .expect("run");
    let o = output_within(
        {
            let mut c = bin();
            c.args(["-U", "18446744073709551615"]).arg(&old).arg(&new);
            c
        },
        Duration::from_secs(60),
    );
    assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
    assert_eq!(o.stdout, small.stdout);
}

// ------------------------------------------- one sanitiser for all

fn assert_no_escape(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.contains('\x1b') && !text.contains('\u{9b}') && !text.contains('\x07'),
        "{what}: raw control bytes: {text:?}"
    );
}

const HOSTILE: &str = "\x1b]0;pwned\x07\x1b]52;c;aGk=\x07\x1b[2J.ipynb";

#[test]
fn paths_in_diff_driver_output_are_sanitised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let nb = fixture("diff/word-change/old.ipynb");
    let other = fixture("diff/word-change/new.ipynb");
    let copy = dir.path().join("copy.ipynb");
    std::fs::copy(&nb, &copy).expect("copy");
    let runs: [Vec<&std::ffi::OsStr>; 3] = [
        // unmerged path
        vec![HOSTILE.as_ref()],
        // rename
        vec![
            "a.ipynb".as_ref(),
            nb.as_os_str(),
            "1".as_ref(),
            "100644".as_ref(),
            other.as_os_str(),
            "2".as_ref(),
            "100644".as_ref(),
            HOSTILE.as_ref(),
            "similarity index 90%".as_ref(),
        ],
        // mode change only
        vec![
            HOSTILE.as_ref(),
            nb.as_os_str(),
            "1".as_ref(),
            "100644".as_ref(),
            copy.as_os_str(),
            "1".as_ref(),
            "100755".as_ref(),
        ],
    ];
    for args in runs {
        let o = bin()
            .args(["diff-driver", "--"])
            .args(&args)
            .output()
            .expect("run");
        assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
        assert!(!o.stdout.is_empty());
        assert_no_escape("diff-driver stdout", &o.stdout);
        assert!(
            String::from_utf8_lossy(&o.stdout).contains("␛"),
            "shown visibly"
        );
    }
}

#[test]
fn paths_in_messages_are_sanitised() {
    let dir = tempfile::tempdir().expect("tempdir");
    let [b, l, r] = merge_case("same-lines-conflict");
    // The merge driver's %P in its conflict message.
    let a = dir.path().join("A");
    std::fs::copy(&l, &a).expect("copy");
    let o = bin()
        .args(["merge-driver", "--"])
        .args([b.as_os_str(), a.as_os_str(), r.as_os_str()])
        .args(["7", HOSTILE])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1));
    assert!(err_text(&o).contains("conflict"), "{}", err_text(&o));
    assert_no_escape("merge-driver stderr", &o.stderr);
    // "cannot read" errors of every command.
    let missing = dir.path().join(HOSTILE);
    let missing = missing.as_os_str();
    let runs: Vec<Vec<&std::ffi::OsStr>> = vec![
        vec!["merge".as_ref(), missing, l.as_os_str(), r.as_os_str()],
        vec![
            "merge-driver".as_ref(),
            "--".as_ref(),
            missing,
            a.as_os_str(),
            r.as_os_str(),
        ],
        vec!["show".as_ref(), missing],
        vec![l.as_os_str(), missing],
        vec![
            "diff-driver".as_ref(),
            "--".as_ref(),
            "x.ipynb".as_ref(),
            missing,
            "1".as_ref(),
            "100644".as_ref(),
            l.as_os_str(),
            "2".as_ref(),
            "100644".as_ref(),
        ],
    ];
    for args in runs {
        let o = bin().args(&args).output().expect("run");
        let err = err_text(&o);
        assert!(err.contains("pwned"), "{args:?}: names the file: {err}");
        assert_no_escape("stderr", &o.stderr);
    }
}

#[test]
fn show_of_a_broken_file_prints_no_raw_bytes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let f = dir.path().join("broken.ipynb");
    std::fs::write(
        &f,
        b"{ \"cells\": [ \x1b]52;c;aGVsbG8=\x07 \x1b[2J\x1b]0;title\x07\x9b31m \xc2\x9b1m\n\xe2\x80\xae rest",
    )
    .expect("write");
    let o = bin().arg("show").arg(&f).output().expect("run");
    assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
    assert_no_escape("show stdout", &o.stdout);
    let text = String::from_utf8(o.stdout).expect("UTF-8");
    assert!(text.contains("{ \"cells\": ["), "{text}");
    assert!(text.contains("<U+202E> rest"), "{text}");
}

// ---------------------------------------------- invisible characters

fn one_cell(source: &str) -> String {
    let src = serde_json::to_string(source).expect("json");
    format!(
        "{{\"cells\": [{{\"cell_type\": \"code\", \"execution_count\": null, \"id\": \"c\", \"metadata\": {{}}, \"outputs\": [], \"source\": {src}}}], \"metadata\": {{}}, \"nbformat\": 4, \"nbformat_minor\": 5}}\n"
    )
}

#[test]
fn invisible_characters_show_in_the_terminal_diff_and_show() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("old.ipynb");
    let new = dir.path().join("new.ipynb");
    std::fs::write(&old, one_cell("x = 1\n")).expect("write");
    for (invisible, shown) in [
        ('\u{200b}', "<U+200B>"),
        ('\u{200d}', "<U+200D>"),
        ('\u{2060}', "<U+2060>"),
        ('\u{feff}', "<U+FEFF>"),
        ('\u{2028}', "<U+2028>"),
        ('\u{2029}', "<U+2029>"),
    ] {
        std::fs::write(&new, one_cell(&format!("x{invisible} = 1\n"))).expect("write");
        let o = bin()
            .args(["--color", "never"])
            .arg(&old)
            .arg(&new)
            .output()
            .expect("run");
        let text = String::from_utf8(o.stdout).expect("UTF-8");
        assert!(text.contains(&format!("+x{shown} = 1")), "{shown}: {text}");
        assert!(!text.contains(invisible), "{shown}: raw: {text}");
        let o = bin().arg("show").arg(&new).output().expect("run");
        let text = String::from_utf8(o.stdout).expect("UTF-8");
        assert!(text.contains(&format!("x{shown} = 1")), "{shown}: {text}");
        assert!(!text.contains(invisible), "{shown}: raw: {text}");
    }
}

#[test]
fn json_escapes_c1_controls_and_bidi_overrides() {
    let dir = tempfile::tempdir().expect("tempdir");
    let old = dir.path().join("old.ipynb");
    let new = dir.path().join("new.ipynb");
    std::fs::write(&old, one_cell("x = 1\n")).expect("write");
    std::fs::write(&new, one_cell("x = '\u{9b}31m\u{202e}\u{200b}'\n")).expect("write");
    let o = bin()
        .arg("--json")
        .arg(&old)
        .arg(&new)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(0));
    let text = String::from_utf8(o.stdout).expect("UTF-8");
    for raw in ['\u{9b}', '\u{202e}', '\u{200b}'] {
        assert!(!text.contains(raw), "raw U+{:04X}: {text}", raw as u32);
    }
    assert!(
        text.contains("\\u009b") && text.contains("\\u202e"),
        "{text}"
    );
    let v: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert!(v.to_string().contains('\u{202e}'), "same value once read");
}

// ------------------------------ nbdiff reads back what a merge writes

/// A value nested `depth` arrays deep with `leaf` inside.
fn nested(depth: usize, leaf: &str) -> String {
    format!("{}{leaf}{}", "[".repeat(depth), "]".repeat(depth))
}

fn nb_with_cell_meta(value: &str) -> String {
    format!(
        "{{\"cells\": [{{\"cell_type\": \"code\", \"execution_count\": null, \"id\": \"c\", \"metadata\": {{\"deep\": {value}}}, \"outputs\": [], \"source\": \"x = 1\"}}], \"metadata\": {{\"deep\": {value}}}, \"nbformat\": 4, \"nbformat_minor\": 5}}\n"
    )
}

#[test]
fn a_conflict_record_of_a_deeply_nested_value_reads_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Each input reads (as deep as the parser allows); both sides change the
    // deep value differently: a conflict recorded with both values.
    let mut depth = 100;
    while Notebook::parse(nb_with_cell_meta(&nested(depth + 1, "0")).as_bytes(), "x").is_ok() {
        depth += 1;
    }
    let files = ["base", "local", "remote"].map(|s| dir.path().join(format!("{s}.ipynb")));
    for (f, leaf) in files.iter().zip(["0", "1", "2"]) {
        std::fs::write(f, nb_with_cell_meta(&nested(depth, leaf))).expect("write");
        Notebook::parse(&std::fs::read(f).expect("read"), "input").expect("inputs read");
    }
    let out = dir.path().join("out.ipynb");
    let o = bin()
        .arg("merge")
        .args(&files)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(1), "{}", err_text(&o));
    let bytes = std::fs::read(&out).expect("out");
    let merged = Notebook::parse(&bytes, "out.ipynb").expect("nbdiff reads what it wrote");
    assert!(merged.cells()[0]
        .metadata()
        .is_some_and(|m| m.contains_key("nbdiff")));
    let o = bin().arg("show").arg(&out).output().expect("run");
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("notebook"));
}

// ------------------------------------------- show's documented exits

#[test]
fn show_exit_codes_are_the_documented_ones() {
    let o = bin()
        .arg("show")
        .arg("/nonexistent/nb.ipynb")
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    assert!(err_text(&o).contains("/nonexistent/nb.ipynb"));
    let o = bin()
        .arg("show")
        .arg(fixture("bad/not-json.ipynb"))
        .output()
        .expect("run");
    assert_eq!(
        o.status.code(),
        Some(0),
        "a readable file that is not a notebook"
    );
    let help = bin().arg("--help").output().expect("run");
    let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let help = words(&String::from_utf8_lossy(&help.stdout));
    let readme = words(&std::fs::read_to_string(fixture("../README.md")).expect("README"));
    for (name, text) in [("--help", &help), ("README", &readme)] {
        assert!(
            !text.contains("show always exit 0") && !text.contains("(`nbdiff show`) always exit 0"),
            "{name} claims show always exits 0"
        );
        assert!(
            text.contains("2 when it cannot read it")
                || text.contains("2 when the file cannot be read"),
            "{name} documents show's exit 2"
        );
    }
}

// ------------------------------- crashes the fuzz targets found (fuzz/)

/// A `merge3` crash input (BASE, LOCAL, REMOTE separated by NUL), after
/// checking that each side merged with an unchanged base comes back byte
/// for byte (merge(B, X, B) == X).
fn merge3_crash_merges_back(file: &str) -> Vec<u8> {
    let data = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_crashes")
            .join(file),
    )
    .expect("crash input");
    let [b, l, r] = split3(&data);
    for x in [l, r] {
        let inputs = nbdiff::merge::Inputs {
            base: (b, "base"),
            local: (x, "local"),
            remote: (b, "remote"),
        };
        let opts = nbdiff::merge::Options::default();
        assert!(
            nbdiff::merge::merge_bytes(inputs, &opts).bytes == x,
            "{file}"
        );
    }
    data
}

/// BASE, LOCAL, REMOTE of a `merge3` crash input.
fn split3(data: &[u8]) -> [&[u8]; 3] {
    let parts: Vec<&[u8]> = data.splitn(4, |&b| b == 0).collect();
    [parts[0], parts[1], parts[2]]
}

/// `fuzz/artifacts/merge3/crash-72ac…`: BASE, LOCAL, REMOTE separated by
/// NUL; a side of nbformat 4.5 has a cell without the required id. The
/// merge of a side with an unchanged base gives that side back byte for byte
/// (merge(B, X, B) == X); the notebook merge itself, which the byte shortcut
/// skips, repairs the missing id (so the fuzz property for the notebook merge
/// holds only for sides whose ids are valid).
#[test]
fn fuzz_merge3_a_side_with_a_missing_id_merges_back_unchanged_or_repaired() {
    let data = merge3_crash_merges_back("merge3-b-x-b.bin");
    let [b, l, r] = split3(&data);
    let opts = nbdiff::merge::Options::default();
    let parsed = nbdiff::notebook::parse_many([(b, "b"), (l, "l"), (r, "r")], true);
    let [Ok(nb), Ok(nl), Ok(_)] = parsed else {
        panic!("the crash input parses");
    };
    let result = nbdiff::merge::merge_notebooks(&nb, &nl, &nb, &opts);
    let written =
        nbdiff::merge::to_notebook::render(result, &nl, &opts).to_bytes_reusing(&[&nl, &nb]);
    let merged = Notebook::parse(&written, "merged").expect("reads back");
    assert!(
        merged.cells().iter().all(|c| c.id().is_some()),
        "ids repaired"
    );
}

/// `fuzz/artifacts/merge3/crash-bde1…` (the "merge(B, X, B) != X" crash of
/// the first campaign, found again): remote has a cell id nbformat rejects
/// (`c1,`; ids match `[A-Za-z0-9_-]{1,64}`). The merge still gives each side
/// back byte for byte when the other is unchanged; the notebook merge itself
/// replaces the invalid id with a valid one, by design (so the fuzz property
/// holds only for sides whose ids are valid).
#[test]
fn fuzz_merge3_an_invalid_cell_id_merges_back_unchanged_or_repaired() {
    let data = merge3_crash_merges_back("merge3-invalid-id.bin");
    let [b, l, r] = split3(&data);
    let opts = nbdiff::merge::Options::default();
    let parsed = nbdiff::notebook::parse_many([(b, "b"), (l, "l"), (r, "r")], true);
    let [Ok(nb), Ok(_), Ok(nr)] = parsed else {
        panic!("the crash input parses");
    };
    assert!(
        nr.cells().iter().any(|c| c.id() == Some("c1,")),
        "the input has the invalid id"
    );
    let result = nbdiff::merge::merge_notebooks(&nb, &nr, &nb, &opts);
    let written =
        nbdiff::merge::to_notebook::render(result, &nr, &opts).to_bytes_reusing(&[&nr, &nb]);
    let merged = Notebook::parse(&written, "merged").expect("reads back");
    let ids: Vec<&str> = merged.cells().iter().filter_map(|c| c.id()).collect();
    assert_eq!(ids.len(), merged.cells().len(), "every cell keeps an id");
    assert!(
        ids.iter().all(|id| !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')),
        "ids repaired: {ids:?}"
    );
}

/// `fuzz/artifacts/roundtrip/crash-b3dd…`: a notebook whose JSON starts with
/// blank lines (`\n\r\r\r{`), which JSON allows. Reading its style looked
/// for the first line end before the opening brace and panicked (slice
/// index out of order) in every command. Now it reads, writes back to the
/// same value, and every command handles it.
#[test]
fn fuzz_roundtrip_blank_lines_before_the_opening_brace() {
    let crash = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_crashes/roundtrip-leading-newline.bin"),
    )
    .expect("crash input");
    assert!(crash.starts_with(b"\n\r\r\r{"), "the input of the crash");
    let nb = Notebook::parse_keeping_raw(&crash, "crash.ipynb").expect("parses");
    for written in [nb.to_bytes(), nb.to_bytes_reusing(&[&nb])] {
        let again = Notebook::parse(&written, "written.ipynb").expect("reads back");
        assert!(again.root == nb.root, "same value");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lead.ipynb");
    std::fs::write(&file, &crash).unwrap();
    let plain = fixture("diff/identical/old.ipynb");
    let f = file.to_str().unwrap();
    let p = plain.to_str().unwrap();
    for args in [
        vec!["show", f],
        vec![f, p],
        vec!["--json", f, p],
        vec!["--html", f, p],
        vec!["merge", f, f, f],
        vec!["clean", "--check", f],
        vec!["check", "--no-config", f],
    ] {
        let o = bin().args(&args).output().expect("run nbdiff");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            matches!(o.status.code(), Some(0 | 1)) && !err.contains("panicked"),
            "{args:?}: {:?} {err}",
            o.status
        );
    }
    let o = bin().args(["merge", f, f, f]).output().unwrap();
    assert!(
        o.stdout == crash,
        "merge(X, X, X) gives X back byte for byte"
    );
}

/// `fuzz/artifacts/roundtrip/crash-b24f…`: a notebook written on one line
/// at the top (`{"cells": [`, so its style has no indentation) with each
/// cell on lines of its own. A copied cell brings the whitespace before it,
/// and the writer still put its `", "` separator in front: every write added
/// a space after the comma, so untouched cells did not come back
/// byte-identical in a merge, and writing again was not a fixed point.
#[test]
fn fuzz_roundtrip_copied_cells_keep_their_separators_in_a_one_line_style() {
    let crash = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz_crashes/roundtrip-one-line-style.bin"),
    )
    .expect("crash input");
    let nb = Notebook::parse_keeping_raw(&crash, "crash.ipynb").expect("parses");
    let once = nb.to_bytes_reusing(&[&nb]);
    let again = Notebook::parse_keeping_raw(&once, "once.ipynb").expect("reads back");
    assert!(
        again.to_bytes_reusing(&[&again]) == once,
        "writing again gives the same bytes"
    );

    let base = "{\"cells\": [\n {\"cell_type\": \"code\", \"execution_count\": null, \"id\": \"a\", \"metadata\": {}, \"outputs\": [], \"source\": [\"x = 1\"]},\n {\"cell_type\": \"markdown\", \"id\": \"b\", \"metadata\": {}, \"source\": [\"hi\"]}\n], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}\n";
    let local = base.replace("x = 1", "x = 2");
    let remote = base.replace("[\"hi\"]", "[\"hello\"]");
    // Known limit: in a one-line style the writer closes the cells array
    // itself, so the line end before `]` (no cell's span holds it) is not kept.
    let expected = local
        .replace("[\"hi\"]", "[\"hello\"]")
        .replace("}\n],", "}],");
    let dir = tempfile::tempdir().unwrap();
    let path = |n: &str, text: &str| {
        let p = dir.path().join(n);
        std::fs::write(&p, text).unwrap();
        p
    };
    let (b, l, r) = (
        path("b.ipynb", base),
        path("l.ipynb", &local),
        path("r.ipynb", &remote),
    );
    let o = bin()
        .arg("merge")
        .args([&b, &l, &r])
        .output()
        .expect("run nbdiff");
    assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        expected,
        "both edits; the separator between the copied cells as it was"
    );
}

/// `fuzz/artifacts/merge3/crash-e55f…`: local is an nbformat 3 notebook whose
/// worksheet has no `cells` list (the key is misspelt `gells`). The merge
/// gives each side back byte for byte when the other is unchanged; the
/// notebook merge itself writes the cell list nbformat requires
/// (`"cells": []`) and keeps every other key, the misspelt one too (so the
/// fuzz property holds only for sides that have their cell list).
#[test]
fn fuzz_merge3_a_side_without_a_cell_list_merges_back_unchanged_or_repaired() {
    let data = merge3_crash_merges_back("merge3-no-cell-list.bin");
    let [b, l, r] = split3(&data);
    let opts = nbdiff::merge::Options::default();
    let parsed = nbdiff::notebook::parse_many([(b, "b"), (l, "l"), (r, "r")], true);
    let [Ok(nb), Ok(nl), Ok(_)] = parsed else {
        panic!("the crash input parses");
    };
    let worksheet = |n: &Notebook| n.root["worksheets"][0].as_object().unwrap().clone();
    assert!(
        !worksheet(&nl).contains_key("cells"),
        "local has no cell list"
    );
    let result = nbdiff::merge::merge_notebooks(&nb, &nl, &nb, &opts);
    let written =
        nbdiff::merge::to_notebook::render(result, &nl, &opts).to_bytes_reusing(&[&nl, &nb]);
    let merged = Notebook::parse(&written, "merged").expect("reads back");
    let ws = worksheet(&merged);
    assert_eq!(
        ws.get("cells"),
        Some(&serde_json::json!([])),
        "the cell list is written"
    );
    let mut rest = ws.clone();
    rest.shift_remove("cells");
    let mut local_ws = worksheet(&nl);
    local_ws.shift_remove("cells");
    assert_eq!(
        rest, local_ws,
        "every other key of local's worksheet is kept"
    );
}

/// `fuzz/artifacts/merge3/crash-6b03…`: remote is an nbformat 4.0 notebook
/// whose two cells carry the same id (4.0 does not require ids, but the
/// ones present must be unique). The merge gives each side back byte for
/// byte when the other is unchanged; the notebook merge itself makes the
/// duplicate unique in every version, by design.
#[test]
fn fuzz_merge3_duplicate_ids_before_4_5_merge_back_unchanged_or_made_unique() {
    let data = merge3_crash_merges_back("merge3-duplicate-ids-v4.0.bin");
    let [b, l, r] = split3(&data);
    let opts = nbdiff::merge::Options::default();
    let parsed = nbdiff::notebook::parse_many([(b, "b"), (l, "l"), (r, "r")], true);
    let [Ok(nb), Ok(_), Ok(nr)] = parsed else {
        panic!("the crash input parses");
    };
    let ids = |n: &Notebook| -> Vec<String> {
        n.cells()
            .iter()
            .filter_map(|c| c.id().map(str::to_string))
            .collect()
    };
    assert_eq!((nr.major, nr.minor), (4, 0));
    assert_eq!(ids(&nr), ["c0", "c0"], "the input repeats an id");
    let result = nbdiff::merge::merge_notebooks(&nb, &nr, &nb, &opts);
    let written =
        nbdiff::merge::to_notebook::render(result, &nr, &opts).to_bytes_reusing(&[&nr, &nb]);
    let merged = Notebook::parse(&written, "merged").expect("reads back");
    let got = ids(&merged);
    assert_eq!(got.len(), 2, "both cells keep an id");
    assert_ne!(got[0], got[1], "made unique: {got:?}");
    assert_eq!(got[0], "c0", "the first keeps its id");
}

/// Untrusted input in the newer surfaces (`check`, the Markdown report,
/// reads of users' files, `config-git`), each through the real binary
/// where it can be.
mod untrusted_input {
    use super::*;

    /// GitHub's renderer: CommonMark with the GFM extensions GitHub turns
    /// on (autolinks of `www.`, bare URLs and e-mail addresses; tables;
    /// strikethrough), raw HTML passed through so that any tag shows.
    fn gfm(markdown: &str) -> String {
        let mut o = comrak::Options::default();
        o.extension.autolink = true;
        o.extension.table = true;
        o.extension.strikethrough = true;
        o.render.r#unsafe = true;
        comrak::markdown_to_html(markdown, &o)
    }

    /// The rendered report's text outside code blocks, where GitHub turns
    /// `@name` into a mention and `#123` into a reference.
    fn outside_code(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(at) = rest.find("<pre") {
            out.push_str(&rest[..at]);
            rest = rest[at..].find("</pre>").map_or("", |e| &rest[at + e..]);
        }
        out.push_str(rest);
        out
    }

    /// Paths, cell text, cell types and MIME labels in
    /// the Markdown report never become links, images or mentions as
    /// GitHub renders the comment (`www.example.com/x.ipynb` was a link).
    #[test]
    fn markdown_report_makes_no_link_image_or_mention_as_gfm_renders_it() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("www.example.com");
        std::fs::create_dir_all(&sub).unwrap();
        let text = "see https://evil.example/x www.evil.com me@evil.com @org/team #12 \
                    mailto:a@b.co xmpp:a@b.co ![i](https://evil.example/i.png)\nx=1";
        let cell = |id: &str, src: &str, ct: &str, outputs: serde_json::Value| {
            serde_json::json!({"cell_type": ct, "execution_count": null, "id": id,
                "metadata": {}, "outputs": outputs, "source": src})
        };
        let out = serde_json::json!([{"output_type": "display_data", "metadata": {},
            "data": {"text/www.evil.com": "x", "text/plain": "https://evil.example www.evil.com"}}]);
        let nb = |cells: Vec<serde_json::Value>| {
            serde_json::to_string_pretty(&serde_json::json!({"cells": cells, "metadata": {},
                "nbformat": 4, "nbformat_minor": 5}))
            .unwrap()
        };
        let old = nb(vec![
            cell("a", text, "code", serde_json::json!([])),
            cell("b", "y=2", "code", serde_json::json!([])),
            cell("c", "z", "www.evil.com", serde_json::json!([])),
        ]);
        let new = nb(vec![
            cell("b", "y=2", "code", serde_json::json!([])),
            cell("a", text, "code", serde_json::json!([])),
            cell("c", "z2", "https://evil.example/t", out),
        ]);
        std::fs::write(sub.join("x.ipynb"), old).unwrap();
        std::fs::write(sub.join("me@example.com.ipynb"), &new).unwrap();
        std::fs::create_dir_all(dir.path().join("http:/evil.example")).unwrap();
        std::fs::write(dir.path().join("http:/evil.example/@team #1.ipynb"), &new).unwrap();
        for (a, b) in [
            (
                "www.example.com/x.ipynb",
                "www.example.com/me@example.com.ipynb",
            ),
            (
                "www.example.com/x.ipynb",
                "http:/evil.example/@team #1.ipynb",
            ),
        ] {
            let o = bin()
                .current_dir(dir.path())
                .args(["--markdown", a, b])
                .output()
                .unwrap();
            let md = String::from_utf8(o.stdout).unwrap();
            assert!(md.contains("example.com/x.ipynb"), "{md}");
            let html = gfm(&md);
            for bad in ["<a ", "<img", "href", "src="] {
                assert!(!html.contains(bad), "{bad} in\n{html}\nfrom\n{md}");
            }
            let text = outside_code(&html);
            let bytes = text.as_bytes();
            for (i, &c) in bytes.iter().enumerate() {
                if c == b'@' || c == b'#' {
                    let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                    assert!(
                        !next.is_ascii_alphanumeric(),
                        "a mention or reference at {i}: {}",
                        &text[i.saturating_sub(20)..(i + 20).min(text.len())]
                    );
                }
            }
        }
    }

    /// A notebook that is a symbolic link to a pseudo-file
    /// (size 0, endless content) or a FIFO is refused at once by every
    /// reader — `check`, the diff and its reports, the diff driver, `show`,
    /// `clean` — with an error naming it; `check` still checks the others.
    #[test]
    fn special_files_are_refused_by_every_reader() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::os::unix::fs::symlink("/proc/self/pagemap", d.join("proc.ipynb")).unwrap();
        let fifo = d.join("fifo.ipynb");
        let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let good = fixture("diff/word-change/new.ipynb");
        let good = good.to_str().unwrap();
        for bad in ["proc.ipynb", "fifo.ipynb"] {
            let runs: Vec<Vec<&str>> = vec![
                vec!["check", bad, good],
                vec![bad, good],
                vec!["--markdown", good, bad],
                vec!["--html", good, bad],
                vec![
                    "diff-driver",
                    "x.ipynb",
                    bad,
                    "1111111",
                    "100644",
                    good,
                    "2222222",
                    "100644",
                ],
                vec!["show", bad],
                vec!["clean", bad],
                vec!["resolve", bad],
            ];
            for args in runs {
                let mut cmd = bin();
                cmd.current_dir(d).args(&args);
                let o = output_within(cmd, Duration::from_secs(60));
                let err = err_text(&o);
                assert!(
                    err.contains(bad)
                        && (err.contains("not a regular file") || err.contains("size 0")),
                    "{args:?}: {err}"
                );
                assert!(!err.contains("panicked"), "{args:?}: {err}");
                if args[0] == "check" {
                    assert_eq!(o.status.code(), Some(2), "{args:?}");
                    assert!(String::from_utf8_lossy(&o.stdout).contains("1 notebook checked"));
                }
            }
        }
    }

    /// `NBDIFF_MAX_FILE_SIZE` caps what is read from a
    /// file, from `clean`'s standard input and from git's filter packets.
    #[test]
    fn the_read_limit_caps_files_stdin_and_filter_packets() {
        let big = fixture("diff/word-change/new.ipynb");
        let size = std::fs::metadata(&big).unwrap().len();
        let limit = (size / 2).to_string();
        let o = bin()
            .env("NBDIFF_MAX_FILE_SIZE", &limit)
            .args(["check"])
            .arg(&big)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert!(err_text(&o).contains("read limit"), "{}", err_text(&o));
        let o = bin()
            .env("NBDIFF_MAX_FILE_SIZE", &limit)
            .arg("clean")
            .stdin(std::fs::File::open(&big).unwrap())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert!(err_text(&o).contains("read limit"), "{}", err_text(&o));
        // Under the limit all is as before.
        let o = bin()
            .env("NBDIFF_MAX_FILE_SIZE", "1G")
            .arg("check")
            .arg(&big)
            .output()
            .unwrap();
        assert_ne!(o.status.code(), Some(2), "{}", err_text(&o));
        let o = bin()
            .env("NBDIFF_MAX_FILE_SIZE", "lots")
            .arg("check")
            .arg(&big)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2));
        assert!(
            err_text(&o).contains("NBDIFF_MAX_FILE_SIZE=lots"),
            "{}",
            err_text(&o)
        );
        // A filter session whose content goes past the limit.
        let pkt = |out: &mut Vec<u8>, p: &[u8]| {
            out.extend_from_slice(format!("{:04x}", p.len() + 4).as_bytes());
            out.extend_from_slice(p);
        };
        let mut s = Vec::new();
        pkt(&mut s, b"git-filter-client\n");
        pkt(&mut s, b"version=2\n");
        s.extend_from_slice(b"0000");
        pkt(&mut s, b"capability=clean\n");
        s.extend_from_slice(b"0000");
        pkt(&mut s, b"command=clean\n");
        pkt(&mut s, b"pathname=x.ipynb\n");
        s.extend_from_slice(b"0000");
        for _ in 0..64 {
            pkt(&mut s, &[b' '; 1000]);
        }
        s.extend_from_slice(b"0000");
        let mut child = bin()
            .env("NBDIFF_MAX_FILE_SIZE", "16K")
            .arg("filter-process")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let _ = std::io::Write::write_all(&mut stdin, &s);
        drop(stdin);
        let o = child.wait_with_output().unwrap();
        assert_ne!(o.status.code(), Some(0));
        assert!(err_text(&o).contains("read limit"), "{}", err_text(&o));
    }

    /// A committed `nbdiff.toml` (or `pyproject.toml`)
    /// that links out of the repository is not read; one inside is.
    #[test]
    fn project_file_links_out_of_the_repository_are_not_followed() {
        let sb = Sandbox::new();
        let repo = sb.repo("repo");
        std::fs::write(repo.join("a.ipynb"), notebook(&["print(undefined_x)"], 1)).unwrap();
        std::os::unix::fs::symlink("/proc/self/pagemap", repo.join("nbdiff.toml")).unwrap();
        let check_a = || {
            bin()
                .current_dir(&repo)
                .args(["check", "a.ipynb"])
                .output()
                .unwrap()
        };
        let mut cmd = bin();
        cmd.current_dir(&repo).args(["check", "a.ipynb"]);
        let o = output_within(cmd, Duration::from_secs(60));
        let err = err_text(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            err.contains("nbdiff.toml") && err.contains("outside"),
            "{err}"
        );
        // A link to a file elsewhere on the machine: refused too.
        let outside = sb.path().join("elsewhere.toml");
        std::fs::write(&outside, "[check]\nignore = [\"NB104\"]\n").unwrap();
        std::fs::remove_file(repo.join("nbdiff.toml")).unwrap();
        std::os::unix::fs::symlink(&outside, repo.join("nbdiff.toml")).unwrap();
        let o = check_a();
        assert_eq!(o.status.code(), Some(2), "{}", err_text(&o));
        // Inside the repository: read.
        std::fs::create_dir_all(repo.join("conf")).unwrap();
        std::fs::write(
            repo.join("conf/nbdiff.toml"),
            "[check]\nignore = [\"NB104\"]\n",
        )
        .unwrap();
        std::fs::remove_file(repo.join("nbdiff.toml")).unwrap();
        std::os::unix::fs::symlink("conf/nbdiff.toml", repo.join("nbdiff.toml")).unwrap();
        let o = check_a();
        assert_eq!(o.status.code(), Some(0), "{}", err_text(&o));
    }
}
