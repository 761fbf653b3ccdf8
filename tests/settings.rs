//! Settings are resolved once, in the command layer (`src/cli/settings.rs`),
//! with a documented precedence — flag > environment > git config > project
//! file > default — and `-v` says where each came from. Library modules
//! read no environment and start no process.

use crate::git_util::{stderr, stdout, Sandbox};
use std::path::{Path, PathBuf};

const CASE: &str = "rule-same-lines-conflict";
/// Local's and remote's versions of the conflicting line.
const LOCAL_LINE: &str = "range(20)";
const REMOTE_LINE: &str = "range(30)";

fn fixture(side: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/merge")
        .join(CASE)
        .join(format!("{side}.ipynb"));
    std::fs::read(path).expect("fixture")
}

/// A repository holding the three versions as files, and a project file
/// asking for `conflicts = "union"`.
fn repo_with_project_file(sb: &Sandbox) -> PathBuf {
    let repo = sb.repo("r");
    for side in ["base", "local", "remote"] {
        std::fs::write(repo.join(format!("{side}.ipynb")), fixture(side)).expect("write");
    }
    std::fs::write(
        repo.join("pyproject.toml"),
        "[project]\nname = \"x\"\n\n[tool.nbdiff.merge]\nconflicts = \"union\"\n",
    )
    .expect("write");
    repo
}

/// Runs the merge driver as git would (`%O %A %B %L %P`) on a fresh copy of
/// local's version, with `env` and `-v` by `NBDIFF_VERBOSE`; returns the exit
/// code, the merged text and stderr.
fn driver(
    sb: &Sandbox,
    repo: &Path,
    env: &[(&str, &str)],
    flags: &[&str],
) -> (Option<i32>, String, String) {
    let ours = repo.join("ours.ipynb");
    std::fs::write(&ours, fixture("local")).expect("write");
    let mut cmd = sb.cmd(crate::git_util::nbdiff_exe(), repo);
    cmd.args([
        "merge-driver",
        "base.ipynb",
        "ours.ipynb",
        "remote.ipynb",
        "7",
        "nb.ipynb",
    ])
    .args(flags)
    .env("NBDIFF_VERBOSE", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run nbdiff");
    let merged = std::fs::read_to_string(&ours).expect("read");
    (out.status.code(), merged, stderr(&out))
}

/// What the merged notebook took from each side.
fn took(merged: &str) -> (bool, bool) {
    (merged.contains(LOCAL_LINE), merged.contains(REMOTE_LINE))
}

#[test]
fn flag_beats_environment_beats_git_config_beats_project_file() {
    let sb = Sandbox::new();
    let repo = repo_with_project_file(&sb);
    let said = |err: &str, line: &str| {
        assert!(err.contains(line), "wanted {line:?} in:\n{err}");
    };

    // Project file only: union keeps both lines, no conflict left.
    let (code, merged, err) = driver(&sb, &repo, &[], &[]);
    let project = repo
        .canonicalize()
        .expect("canonical")
        .join("pyproject.toml");
    said(
        &err,
        &format!(
            "nbdiff: setting merge.conflicts = union ({} tool.nbdiff.merge.conflicts)",
            project.display()
        ),
    );
    said(&err, "nbdiff: setting merge.outputs = auto (default)");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(took(&merged), (true, true));

    // git config beats the project file.
    sb.git(&repo, &["config", "nbdiff.merge.conflicts", "ours"]);
    let (code, merged, err) = driver(&sb, &repo, &[], &[]);
    said(
        &err,
        "nbdiff: setting merge.conflicts = ours (git config nbdiff.merge.conflicts)",
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(took(&merged), (true, false));

    // The environment beats git config.
    let env = [("NBDIFF_MERGE_CONFLICTS", "theirs")];
    let (code, merged, err) = driver(&sb, &repo, &env, &[]);
    said(
        &err,
        "nbdiff: setting merge.conflicts = theirs ($NBDIFF_MERGE_CONFLICTS)",
    );
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(took(&merged), (false, true));

    // The flag beats the environment: the conflict stays marked.
    let (code, merged, err) = driver(&sb, &repo, &env, &["--conflicts", "mark"]);
    said(&err, "nbdiff: setting merge.conflicts = mark (--conflicts)");
    said(&err, "nbdiff: setting merge.verbose = on ($NBDIFF_VERBOSE)");
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(took(&merged), (true, true));
}

/// `-v` says the user's volatile paths, one line per source that gave some
/// (they add up: git config first, then the project file), and the read
/// limit with its origin.
#[test]
fn verbose_says_each_ignore_source_and_the_read_limit() {
    let sb = Sandbox::new();
    let repo = repo_with_project_file(&sb);
    let (code, _, err) = driver(&sb, &repo, &[], &[]);
    assert_eq!(code, Some(0), "{err}");
    let said = |err: &str, line: &str| {
        assert!(err.contains(line), "wanted {line:?} in:\n{err}");
    };
    said(&err, "nbdiff: setting ignore = none (default)\n");
    said(&err, "nbdiff: setting max-file-size = 1G (default)\n");

    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.nbdiff]\nignore = [\"metadata.authors\", \"cell.metadata.a\"]\n",
    )
    .expect("write");
    sb.git(
        &repo,
        &["config", "--add", "nbdiff.ignore", "cell.metadata.tags"],
    );
    sb.git(&repo, &["config", "--add", "nbdiff.ignore", "metadata.x"]);
    let (code, _, err) = driver(&sb, &repo, &[("NBDIFF_MAX_FILE_SIZE", "64M")], &[]);
    assert_eq!(code, Some(1), "{err}");
    let project = repo
        .canonicalize()
        .expect("canonical")
        .join("pyproject.toml");
    let git_line =
        "nbdiff: setting ignore = cell.metadata.tags, metadata.x (git config nbdiff.ignore)\n";
    let project_line = format!(
        "nbdiff: setting ignore = metadata.authors, cell.metadata.a ({} tool.nbdiff.ignore)\n",
        project.display()
    );
    said(&err, git_line);
    said(&err, &project_line);
    assert!(
        err.find(git_line) < err.find(&project_line),
        "git config first: {err}"
    );
    assert!(!err.contains("ignore = none"), "{err}");
    said(
        &err,
        "nbdiff: setting max-file-size = 64M ($NBDIFF_MAX_FILE_SIZE)\n",
    );
}

/// `nbdiff merge` on three files reads no git config (as its help says),
/// but the project file; without `-v` nothing is said.
#[test]
fn nbdiff_merge_skips_git_config_and_is_quiet_without_verbose() {
    let sb = Sandbox::new();
    let repo = repo_with_project_file(&sb);
    sb.git(&repo, &["config", "nbdiff.merge.conflicts", "ours"]);
    let files = ["merge", "base.ipynb", "local.ipynb", "remote.ipynb"];
    let out = sb.nbdiff(&repo, &files);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(took(&String::from_utf8_lossy(&out.stdout)), (true, true));
    assert!(!stderr(&out).contains("setting"), "{}", stderr(&out));
    let out = sb.nbdiff(&repo, &[&files[..], &["-v"]].concat());
    assert!(
        stderr(&out).contains("nbdiff: setting merge.verbose = on (--verbose)"),
        "{}",
        stderr(&out)
    );
}

/// Through real git: the driver reads git config in-process and still sees
/// `git -c` (which git hands on in `GIT_CONFIG_PARAMETERS`), above the
/// repository's own config.
#[test]
fn git_dash_c_reaches_the_driver_above_the_repository_config() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    let nb = repo.join("nb.ipynb");
    std::fs::write(&nb, fixture("base")).expect("write");
    sb.commit_all(&repo, "base");
    sb.git(&repo, &["checkout", "-q", "-b", "other"]);
    std::fs::write(&nb, fixture("remote")).expect("write");
    sb.commit_all(&repo, "remote");
    sb.git(&repo, &["checkout", "-q", "main"]);
    std::fs::write(&nb, fixture("local")).expect("write");
    sb.commit_all(&repo, "local");
    sb.git(&repo, &["config", "nbdiff.merge.conflicts", "ours"]);
    let out = sb.git_output(
        &repo,
        &[
            "-c",
            "nbdiff.merge.conflicts=theirs",
            "merge",
            "--no-edit",
            "other",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let merged = std::fs::read_to_string(&nb).expect("read");
    assert_eq!(took(&merged), (false, true));
}

/// A setting with a value nbdiff does not know is an error naming where it
/// came from, and the driver leaves `%A` alone.
#[test]
fn an_unknown_project_file_value_names_the_file_and_key() {
    let sb = Sandbox::new();
    let repo = repo_with_project_file(&sb);
    std::fs::write(
        repo.join("pyproject.toml"),
        "[tool.nbdiff.merge]\noutputs = \"newest\"\n",
    )
    .expect("write");
    let (code, merged, err) = driver(&sb, &repo, &[], &[]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("pyproject.toml tool.nbdiff.merge.outputs: unknown value \"newest\""),
        "{err}"
    );
    assert_eq!(merged.as_bytes(), fixture("local"));
}

/// `src/` of this crate.
pub(crate) fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every Rust file under `src/` with its text, for the scans that check
/// where the library does what (this module's, `atomic_write`'s).
pub(crate) fn src_files() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&src_dir(), &mut files);
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            (p, text)
        })
        .collect()
}

/// A file's code before its inline test module (`#[cfg(test)]` before
/// `mod …`).
pub(crate) fn before_test_module(text: &str) -> &str {
    &text[..text.find("#[cfg(test)]\nmod ").unwrap_or(text.len())]
}

/// Source files of library modules: everything under `src/` but the command
/// layer (`cli/`, `main.rs`) and the git layer (`git/`, where git's own
/// variables are read for git's behaviour); test-only files and inline test
/// modules are left out.
fn library_sources() -> Vec<(PathBuf, String)> {
    let src = src_dir();
    let texts = src_files();
    // Modules declared `#[cfg(test)] mod name;` are test code.
    let test_only: Vec<String> = texts
        .iter()
        .flat_map(|(_, t)| {
            let lines: Vec<&str> = t.lines().map(str::trim).collect();
            lines
                .windows(2)
                .filter(|w| w[0] == "#[cfg(test)]")
                .filter_map(|w| w[1].strip_prefix("mod ")?.strip_suffix(';'))
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    texts
        .into_iter()
        .filter(|(p, _)| {
            let rel = p.strip_prefix(&src).expect("under src");
            let first = rel.components().next().expect("a component");
            let stem = p.file_stem().expect("stem").to_string_lossy().into_owned();
            !matches!(first.as_os_str().to_str(), Some("cli" | "git" | "main.rs"))
                && !test_only.contains(&stem)
        })
        .map(|(p, t)| {
            let code = before_test_module(&t).to_string();
            (p, code)
        })
        .collect()
}

#[test]
fn library_modules_read_no_environment() {
    let sources = library_sources();
    assert!(
        sources.iter().any(|(p, _)| p.ends_with("merge/options.rs")),
        "the scan must see the library"
    );
    let reads = ["env::var(", "env::var_os(", "env::vars(", "env::vars_os("];
    let found: Vec<String> = sources
        .iter()
        .flat_map(|(p, t)| {
            t.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim_start().starts_with("//"))
                .filter(|(_, l)| reads.iter().any(|r| l.contains(r)))
                .map(move |(i, l)| format!("{}:{}: {}", p.display(), i + 1, l.trim()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "read the environment in cli/settings.rs instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn library_modules_start_no_process() {
    // The git binary is started by `git/run.rs` only (git/ is the git
    // layer); every other library module asks it.
    let found: Vec<String> = library_sources()
        .iter()
        .flat_map(|(p, t)| {
            t.lines()
                .enumerate()
                .filter(|(_, l)| l.contains("Command::new("))
                .map(move |(i, l)| format!("{}:{}: {}", p.display(), i + 1, l.trim()))
        })
        .collect();
    assert!(
        found.is_empty(),
        "start processes from cli/ or git/:\n{}",
        found.join("\n")
    );
}

/// Lines of `sources` (comments left out) holding one of `calls`, as
/// `file:line: text`.
fn calls_in(sources: &[(PathBuf, String)], calls: &[&str]) -> Vec<String> {
    sources
        .iter()
        .flat_map(|(p, t)| {
            t.lines()
                .enumerate()
                .filter(|(_, l)| !l.trim_start().starts_with("//"))
                .filter(|(_, l)| calls.iter().any(|c| l.contains(c)))
                .map(move |(i, l)| format!("{}:{}: {}", p.display(), i + 1, l.trim()))
        })
        .collect()
}

/// The calls that read git config or the project file: the git layer's
/// readers and gix's config, the project file's finder and loader, and the
/// bounded reader of configuration files.
const CONFIG_READS: &[&str] = &[
    "git::settings::",
    "config_snapshot(",
    "gix::config::",
    "ProjectConfig::discover(",
    "ProjectConfig::load(",
    "read_config(",
];

#[test]
fn library_modules_read_no_git_config_and_no_project_file() {
    // `project.rs` is the project file's parser, which the command layer
    // calls; `notebook/bounded.rs` defines the bounded reader it uses.
    let sources: Vec<(PathBuf, String)> = library_sources()
        .into_iter()
        .filter(|(p, _)| !p.ends_with("src/project.rs") && !p.ends_with("notebook/bounded.rs"))
        .collect();
    assert!(
        sources.iter().any(|(p, _)| p.ends_with("src/policy.rs"))
            && sources.iter().any(|(p, _)| p.ends_with("clean/process.rs")),
        "the scan must see the policy and the filter"
    );
    let found = calls_in(&sources, CONFIG_READS);
    assert!(
        found.is_empty(),
        "resolve settings in cli/settings.rs and hand the library plain values:\n{}",
        found.join("\n")
    );
}

/// The scan above finds a read put back where the ignore list used to be
/// gathered (so that it cannot pass by seeing nothing).
#[test]
fn the_config_scan_finds_a_read_put_back() {
    let policy = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/policy.rs");
    let text = std::fs::read_to_string(&policy).expect("read policy.rs");
    for call in [
        "    let git = crate::git::settings::ignore_paths(cwd);",
        "    let project = crate::project::ProjectConfig::discover(cwd);",
    ] {
        let put_back = format!("{text}\nfn load(cwd: &Path) {{\n{call}\n}}\n");
        let found = calls_in(&[(policy.clone(), put_back)], CONFIG_READS);
        assert_eq!(found.len(), 1, "{call}: {found:?}");
    }
}

/// The read limit is kept process-wide (every reader of a user's file checks
/// it; ARCHITECTURE.md says why it is not passed down), so the command layer
/// must be its only writer: `cli/settings.rs::apply_read_limit`.
#[test]
fn only_the_command_layer_sets_the_read_limit() {
    // Inline test modules may set it for their own tests.
    let sources: Vec<(PathBuf, String)> = src_files()
        .into_iter()
        .map(|(p, text)| {
            let code = before_test_module(&text).to_string();
            (p, code)
        })
        .collect();
    let writers: Vec<String> = calls_in(&sources, &["set_read_limit("])
        .into_iter()
        .filter(|l| !l.contains("pub fn set_read_limit("))
        .collect();
    assert_eq!(
        writers.len(),
        1,
        "one writer of the read limit, in cli/settings.rs:\n{}",
        writers.join("\n")
    );
    assert!(
        writers[0].contains(&format!(
            "src{}cli{}settings.rs:",
            std::path::MAIN_SEPARATOR,
            std::path::MAIN_SEPARATOR
        )),
        "{}",
        writers[0]
    );
}

#[test]
fn in_the_git_layer_only_its_runner_starts_git() {
    let git = src_dir().join("git");
    let mut found = Vec::new();
    for (path, text) in src_files() {
        // run.rs is the runner (difftool.rs starts the user's tool, not git).
        if !path.starts_with(&git) || path.ends_with("git/run.rs") {
            continue;
        }
        found.extend(
            before_test_module(&text)
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains("Command::new(\"git\")"))
                .map(|(i, l)| format!("{}:{}: {}", path.display(), i + 1, l.trim())),
        );
    }
    assert!(
        found.is_empty(),
        "start git through git/run.rs:\n{}",
        found.join("\n")
    );
}

/// A notebook of one code cell `source`, executed as `count` with `output`,
/// the cell's metadata `cell_meta` and the notebook's `nb_meta` (JSON
/// object bodies).
fn folder_notebook(
    source: &str,
    count: u32,
    output: &str,
    cell_meta: &str,
    nb_meta: &str,
) -> String {
    format!(
        "{{\n \"cells\": [\n  {{\"cell_type\": \"code\", \"execution_count\": {count}, \"id\": \"c1\", \"metadata\": {{{cell_meta}}}, \"outputs\": [{{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\": [\"{output}\\n\"]}}], \"source\": [\"{source}\"]}}\n ],\n \"metadata\": {{{nb_meta}}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n"
    )
}

/// Two folders, two project files, one long-running filter: each notebook
/// is cleaned with its own folder's settings (the command layer resolves
/// them per folder and hands `filter-process` the resolver), and `nbdiff
/// clean --check`, what `git add` staged, `git diff --cached`, `nbdiff
/// --cached` and the working tree as `git diff` and `nbdiff` see it agree,
/// folder by folder. The user's paths add up: git config `nbdiff.ignore`
/// (both folders), then each project file's `ignore`.
#[test]
fn each_folder_is_cleaned_and_compared_with_its_own_project_file() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let write = |path: &str, text: &str| crate::workflow::write(&repo, path, text);
    // a/: counts kept, the slideshow ignored; b/: outputs stripped, the
    // authors ignored; both: the tags (git config).
    write(
        "a/nbdiff.toml",
        "ignore = [\"cell.metadata.slideshow\"]\n\n[clean]\nexecution-counts = \"keep\"\n",
    );
    write(
        "b/pyproject.toml",
        "[tool.nbdiff]\nignore = [\"metadata.authors\"]\n\n[tool.nbdiff.clean]\noutputs = \"strip\"\n",
    );
    sb.git(
        &repo,
        &["config", "--add", "nbdiff.ignore", "cell.metadata.tags"],
    );
    let on = sb.nbdiff(&repo, &["config-git", "--enable", "--filter"]);
    assert!(on.status.success(), "{}", stderr(&on));

    // Committed: the base, as each folder's filter stages it.
    let volatile_cell = "\"slideshow\": {\"slide_type\": \"slide\"}, \"tags\": [\"t\"]";
    let volatile_nb = "\"authors\": [{\"name\": \"A\"}]";
    for dir in ["a", "b"] {
        write(
            &format!("{dir}/nb.ipynb"),
            &folder_notebook("x = 1", 1, "one", volatile_cell, volatile_nb),
        );
    }
    sb.commit_all(&repo, "base");
    let staged = |path: &str| sb.git(&repo, &["show", &format!(":{path}")]);
    let a = staged("a/nb.ipynb");
    let b = staged("b/nb.ipynb");
    // a: the slideshow and the tags stripped; the count, outputs, authors kept.
    assert!(!a.contains("slideshow") && !a.contains("tags"), "{a}");
    assert!(
        a.contains("\"execution_count\": 1") && a.contains("one"),
        "{a}"
    );
    assert!(a.contains("authors"), "{a}");
    // b: the authors, the tags, the count and the outputs stripped; the
    // slideshow kept.
    assert!(!b.contains("authors") && !b.contains("tags"), "{b}");
    assert!(
        b.contains("\"execution_count\": null") && !b.contains("one"),
        "{b}"
    );
    assert!(b.contains("slideshow"), "{b}");

    // Edited and re-run: the source changes, and every volatile field.
    let volatile_cell = "\"slideshow\": {\"slide_type\": \"skip\"}, \"tags\": [\"u\"]";
    let volatile_nb = "\"authors\": [{\"name\": \"B\"}]";
    for dir in ["a", "b"] {
        write(
            &format!("{dir}/nb.ipynb"),
            &folder_notebook("x = 2", 7, "one", volatile_cell, volatile_nb),
        );
    }
    // `clean --check` names what each folder's settings strip (the first
    // three fields, and how many more).
    let check = sb.nbdiff(&repo, &["clean", "--check", "a/nb.ipynb", "b/nb.ipynb"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    let said = stdout(&check);
    let line = |name: &str| -> String {
        said.lines()
            .find(|l| l.starts_with(&format!("would clean {name}: ")))
            .unwrap_or_else(|| panic!("{name} in:\n{said}"))
            .to_string()
    };
    let (check_a, check_b) = (line("a/nb.ipynb"), line("b/nb.ipynb"));
    assert!(
        check_a.contains("slideshow") && check_a.contains("tags"),
        "{check_a}"
    );
    assert!(
        !check_a.contains("authors") && !check_a.contains("output"),
        "{check_a}"
    );
    assert!(
        check_b.contains("authors") && check_b.contains("execution_count"),
        "{check_b}"
    );
    assert!(
        check_b.contains("output") && !check_b.contains("slideshow"),
        "{check_b}"
    );

    // `git add` through one filter process for both folders.
    sb.git(&repo, &["add", "a/nb.ipynb", "b/nb.ipynb"]);
    for (path, other) in [("a/nb.ipynb", "b/nb.ipynb"), ("b/nb.ipynb", "a/nb.ipynb")] {
        let blob = staged(path);
        // What git staged is clean by its own folder's settings, not by the
        // other folder's.
        let check = |stdin_path: &str| {
            let mut cmd = sb.cmd(crate::git_util::nbdiff_exe(), &repo);
            cmd.args(["clean", "--check", "--stdin-path", stdin_path])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped());
            let mut child = cmd.spawn().expect("run nbdiff");
            std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), blob.as_bytes())
                .expect("feed");
            child.wait_with_output().expect("wait").status.code()
        };
        assert_eq!(
            check(path),
            Some(0),
            "{path} staged as its folder cleans it"
        );
        assert_eq!(
            check(other),
            Some(1),
            "{path}: the other folder would clean it more"
        );
    }
    let a = staged("a/nb.ipynb");
    assert!(
        a.contains("\"execution_count\": 7") && !a.contains("skip"),
        "{a}"
    );
    let b = staged("b/nb.ipynb");
    assert!(
        b.contains("\"execution_count\": null") && b.contains("skip"),
        "{b}"
    );
    assert!(!b.contains("\"name\": \"B\""), "{b}");

    // The staged change: the driver and nbdiff agree, and show the source
    // change of both notebooks and no stripped field.
    let cached = crate::workflow::agree(&sb, &repo, &["--cached"], "staged");
    assert_eq!(
        cached.keys().map(String::as_str).collect::<Vec<_>>(),
        ["a/nb.ipynb", "b/nb.ipynb"]
    );
    let git = sb.git(&repo, &["diff", "--cached"]);
    let (diff_a, diff_b) = git
        .split_once("diff --git a/b/nb.ipynb")
        .unwrap_or_else(|| panic!("both notebooks: {git}"));
    for diff in [diff_a, diff_b] {
        assert!(diff.contains("-x = 1\n+x = 2\n"), "{git}");
        assert!(!diff.contains("tags"), "stripped in both: {git}");
    }
    // a kept the authors (its project file does not ignore them) and
    // stripped the slideshow; b the other way round.
    assert!(
        diff_a.contains("authors") && !diff_a.contains("slide_type"),
        "{git}"
    );
    assert!(
        !diff_b.contains("authors") && diff_b.contains("slide_type"),
        "{git}"
    );

    // The working tree, compared cleaned folder by folder as git compares
    // it: nothing left to stage, in nbdiff's eyes and git's. (Touched first,
    // so that nbdiff does not take the index's stat data for an answer;
    // `git status` would refresh it.)
    for dir in ["a", "b"] {
        let file = std::fs::File::options()
            .append(true)
            .open(repo.join(dir).join("nb.ipynb"))
            .expect("open");
        let then = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
        file.set_modified(then).expect("touch");
    }
    let out = sb.nbdiff(&repo, &["--no-pager", "--exit-code"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(crate::workflow::agree(&sb, &repo, &[], "worktree").is_empty());
    let status = sb.git(&repo, &["status", "--porcelain"]);
    assert_eq!(status, "M  a/nb.ipynb\nM  b/nb.ipynb\n", "{status}");
}

/// A folder's project file rules its notebooks in every command, wherever
/// the command runs: git runs the diff and merge drivers at the top of the
/// working tree, `nbdiff` may run there or in the folder, and `clean` and
/// the filter have always used the notebook's own folder. Here `a/` ignores
/// the notebook's authors and `b/` does not: a change of the authors alone
/// is "only ignored changes" in `a/` and a metadata change in `b/` for
/// `git diff`, `nbdiff` at the top and inside the folder, `--stat`, the
/// reports and `clean --check`; and a merge where both sides changed the
/// authors takes local's in `a/` (the rule for ignored paths) and is a
/// conflict in `b/`, through git's merge driver and through `nbdiff resolve`.
#[test]
fn a_folders_project_file_rules_its_notebooks_wherever_the_command_runs() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let write = |path: &str, text: &str| crate::workflow::write(&repo, path, text);
    write("a/nbdiff.toml", "ignore = [\"metadata.authors\"]\n");
    let on = sb.nbdiff(&repo, &["config-git", "--enable"]);
    assert!(on.status.success(), "{}", stderr(&on));
    let nb = |source: &str, author: &str| {
        folder_notebook(
            source,
            1,
            "one",
            "",
            &format!("\"authors\": [{{\"name\": \"{author}\"}}]"),
        )
    };
    for dir in ["a", "b"] {
        write(&format!("{dir}/nb.ipynb"), &nb("x = 1", "A"));
    }
    sb.commit_all(&repo, "base");

    // Only the authors changed, in both folders.
    for dir in ["a", "b"] {
        write(&format!("{dir}/nb.ipynb"), &nb("x = 1", "B"));
    }
    let verdicts = crate::workflow::agree(&sb, &repo, &[], "authors changed");
    let said: Vec<String> = verdicts.values().map(|v| format!("{v:?}")).collect();
    assert_eq!(verdicts.len(), 2, "{said:?}");
    assert!(said[0].contains("only ignored changes"), "a/: {said:?}");
    assert!(said[1].contains("metadata only"), "b/: {said:?}");
    // Inside the folder, the same words for its notebook.
    let stat = |cwd: &Path, args: &[&str]| {
        let mut all = vec!["--no-pager", "--stat"];
        all.extend(args);
        let out = sb.nbdiff(cwd, &all);
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            stderr(&out)
        );
        stdout(&out)
    };
    let top = stat(&repo, &["--", "a/nb.ipynb"]);
    let inside = stat(&repo.join("a"), &["--", "nb.ipynb"]);
    let words = |s: &str| {
        s.lines()
            .next()
            .and_then(|l| l.rsplit(" | ").next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(words(&top).starts_with("only ignored changes"), "{top}");
    assert_eq!(
        words(&top),
        words(&inside),
        "top:\n{top}\ninside a/:\n{inside}"
    );
    // Two files: the folder of the new one.
    write("a/copy.ipynb", &nb("x = 1", "C"));
    let two = sb.nbdiff(&repo, &["--no-pager", "a/nb.ipynb", "a/copy.ipynb"]);
    assert_eq!(two.status.code(), Some(0), "{}", stdout(&two));
    std::fs::remove_file(repo.join("a/copy.ipynb")).expect("rm");
    // `clean --check` strips what the folder ignores.
    let check = sb.nbdiff(&repo, &["clean", "--check", "a/nb.ipynb", "b/nb.ipynb"]);
    let check = stdout(&check);
    let line = |name: &str| {
        check
            .lines()
            .find(|l| l.starts_with(&format!("would clean {name}:")))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("a/nb.ipynb").contains("authors"), "{check}");
    assert!(!line("b/nb.ipynb").contains("authors"), "{check}");
    sb.git(&repo, &["checkout", "--", "."]);

    // Both sides change the authors (and the source, so that git's line
    // merge would not settle it): a/ takes local's authors, b/ conflicts.
    sb.git(&repo, &["checkout", "-q", "-b", "other"]);
    for dir in ["a", "b"] {
        write(&format!("{dir}/nb.ipynb"), &nb("x = 1\\ny = 2", "Remote"));
    }
    sb.commit_all(&repo, "theirs");
    sb.git(&repo, &["checkout", "-q", "main"]);
    for dir in ["a", "b"] {
        write(&format!("{dir}/nb.ipynb"), &nb("x = 1", "Local"));
    }
    sb.commit_all(&repo, "ours");
    let merge = sb.git_output(&repo, &["merge", "-q", "other"]);
    assert!(!merge.status.success(), "b/ conflicts");
    let status = sb.git(&repo, &["status", "--porcelain"]);
    assert!(
        status.contains("M  a/nb.ipynb"),
        "a/ merged clean: {status}"
    );
    assert!(status.contains("UU b/nb.ipynb"), "b/ conflicted: {status}");
    let a = std::fs::read_to_string(repo.join("a/nb.ipynb")).expect("read");
    assert!(a.contains("Local") && !a.contains("Remote\""), "{a}");
    assert!(a.contains("y = 2"), "remote's source kept: {a}");
    // `nbdiff resolve` from the index stages decides as the driver did:
    // the same merge again, with git's line merge as the driver.
    sb.git(&repo, &["merge", "--abort"]);
    let merge = sb.git_output(
        &repo,
        &[
            "-c",
            "merge.nbdiff.driver=git merge-file %A %O %B",
            "merge",
            "-q",
            "other",
        ],
    );
    assert!(!merge.status.success());
    let status = sb.git(&repo, &["status", "--porcelain"]);
    assert!(status.contains("UU a/nb.ipynb"), "{status}");
    let resolved = sb.nbdiff(&repo, &["resolve"]);
    let said = format!("{}{}", stdout(&resolved), stderr(&resolved));
    assert_eq!(
        resolved.status.code(),
        Some(1),
        "b/ stays conflicted: {said}"
    );
    let a_again = std::fs::read_to_string(repo.join("a/nb.ipynb")).expect("read");
    assert_eq!(a_again, a, "resolve and the driver agree on a/: {said}");
    let b = std::fs::read_to_string(repo.join("b/nb.ipynb")).expect("read");
    assert!(
        b.contains("Local") && b.contains("Remote"),
        "b/ conflicted: {b}"
    );
}

/// A folder whose project file has a merge setting nbdiff does not know:
/// `nbdiff resolve` says so for that folder's notebook, leaves it as it is,
/// and still resolves the notebooks of the other folders (each with its own
/// folder's settings: `a/` settles the authors to local's), reporting all
/// of them.
#[test]
fn resolve_reports_a_folders_bad_setting_and_resolves_the_rest() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let write = |path: &str, text: &str| crate::workflow::write(&repo, path, text);
    let nb = |source: &str, author: &str| {
        folder_notebook(
            source,
            1,
            "one",
            "",
            &format!("\"authors\": [{{\"name\": \"{author}\"}}]"),
        )
    };
    for dir in ["a", "b"] {
        write(&format!("{dir}/nb.ipynb"), &nb("x = 1", "A"));
    }
    sb.commit_all(&repo, "base");
    sb.git(&repo, &["checkout", "-q", "-b", "other"]);
    for dir in ["a", "b"] {
        write(&format!("{dir}/nb.ipynb"), &nb("x = 1\\ny = 2", "Remote"));
    }
    sb.commit_all(&repo, "theirs");
    sb.git(&repo, &["checkout", "-q", "main"]);
    for dir in ["a", "b"] {
        write(&format!("{dir}/nb.ipynb"), &nb("x = 1", "Local"));
    }
    sb.commit_all(&repo, "ours");
    // git's line merge leaves both conflicted; then b/'s settings break.
    let merge = sb.git_output(&repo, &["merge", "-q", "other"]);
    assert!(!merge.status.success());
    write("a/nbdiff.toml", "ignore = [\"metadata.authors\"]\n");
    write("b/nbdiff.toml", "[merge]\noutputs = \"bogus\"\n");
    let b_before = std::fs::read(repo.join("b/nb.ipynb")).expect("read");
    let out = sb.nbdiff(&repo, &["resolve"]);
    let (said, errs) = (stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(2), "{said}{errs}");
    assert!(errs.contains("b/nb.ipynb: not resolved"), "{errs}");
    assert!(errs.contains("bogus"), "names the value: {errs}");
    assert!(said.contains("a/nb.ipynb"), "a/ is reported: {said}");
    let a = std::fs::read_to_string(repo.join("a/nb.ipynb")).expect("read");
    assert!(
        !a.contains("<<<<<<<") && a.contains("y = 2"),
        "a/ resolved: {a}"
    );
    assert_eq!(
        std::fs::read(repo.join("b/nb.ipynb")).expect("read"),
        b_before,
        "b/ left as it was"
    );
}
