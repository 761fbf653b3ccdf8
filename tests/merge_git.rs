//! The merge driver end to end with real git in temporary repositories, in a
//! clean environment (no system or global config, HOME in the temp dir).

use nbdiff::notebook::Notebook;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    fn new(driver_args: &str) -> Repo {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repo { dir };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Test"]);
        repo.git(&["config", "user.email", "test@example.com"]);
        let driver = format!(
            "{} merge-driver %O %A %B %L %P{driver_args}",
            env!("CARGO_BIN_EXE_nbdiff")
        );
        repo.git(&["config", "merge.nbdiff.name", "nbdiff notebook merge"]);
        repo.git(&["config", "merge.nbdiff.driver", &driver]);
        std::fs::write(repo.path().join(".gitattributes"), "*.ipynb merge=nbdiff\n")
            .expect("write");
        repo
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new("git");
        c.args(args)
            .current_dir(self.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
            .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z");
        c
    }

    fn git(&self, args: &[&str]) -> String {
        let out = self.command(args).output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn commit_file(&self, from: &Path, message: &str) {
        std::fs::copy(from, self.path().join("nb.ipynb")).expect("copy");
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
    }

    /// base on main, local on main, remote on branch `other`; then `git merge other`.
    fn setup(&self, case: &Path) {
        self.commit_file(&case.join("base.ipynb"), "base");
        self.git(&["checkout", "-q", "-b", "other"]);
        self.commit_file(&case.join("remote.ipynb"), "remote");
        self.git(&["checkout", "-q", "main"]);
        self.commit_file(&case.join("local.ipynb"), "local");
    }

    fn merge(&self, envs: &[(&str, &str)]) -> (bool, String) {
        let mut c = self.command(&["merge", "--no-edit", "other"]);
        for (k, v) in envs {
            c.env(k, v);
        }
        let out = c.output().expect("run git merge");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn read(&self) -> Vec<u8> {
        std::fs::read(self.path().join("nb.ipynb")).expect("read nb.ipynb")
    }
}

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/merge")
        .join(name)
}

#[test]
fn git_merge_with_driver_commits_a_clean_notebook_merge() {
    let repo = Repo::new("");
    let c = case("rule-edits-different-cells");
    repo.setup(&c);
    let (ok, err) = repo.merge(&[]);
    assert!(ok, "clean merge failed: {err}");
    assert_eq!(
        repo.read(),
        std::fs::read(c.join("expected.ipynb")).expect("read")
    );
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    let parents = repo.git(&["rev-list", "--parents", "-n", "1", "HEAD"]);
    assert_eq!(parents.split_whitespace().count(), 3, "a merge commit");
}

#[test]
fn git_merge_with_driver_resolves_what_a_line_merge_cannot() {
    // git's own line merge conflicts here (the outputs and counts of one cell
    // changed on both sides); outputs are derived, so the driver resolves it.
    let repo = Repo::new("");
    let c = case("rule-outputs-both-reran-same-source");
    repo.setup(&c);
    let (ok, err) = repo.merge(&[]);
    assert!(ok, "merge failed: {err}");
    assert!(err.contains("kept local's"), "resolution reported: {err}");
    assert_eq!(
        repo.read(),
        std::fs::read(c.join("expected.ipynb")).expect("read")
    );
}

/// Whether the `git` on PATH expands the merge driver's `%S %X %Y` (2.44+).
fn git_expands_labels() -> bool {
    let out = std::process::Command::new("git")
        .arg("--version")
        .output()
        .expect("git runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let version: Vec<u32> = text
        .split_whitespace()
        .nth(2)
        .unwrap_or("0")
        .split('.')
        .map_while(|p| p.parse().ok())
        .collect();
    version.as_slice() >= [2, 44].as_slice()
}

#[test]
fn git_merge_with_conflicts_leaves_a_valid_unmerged_notebook_and_aborts_cleanly() {
    let repo = Repo::new(" --label-local %X --label-remote %Y --label-base %S");
    let c = case("rule-same-lines-conflict");
    repo.setup(&c);
    let before = repo.read();
    let (ok, _) = repo.merge(&[]);
    assert!(!ok, "merge must stop on conflicts");
    let status = repo.git(&["status", "--porcelain"]);
    assert!(status.contains("UU nb.ipynb"), "unmerged: {status}");
    let merged = repo.read();
    let nb = Notebook::parse(&merged, "nb.ipynb").expect("still a valid notebook");
    let sources: String = nb.cells().iter().map(|c| c.source().into_owned()).collect();
    // git expands %S %X %Y since 2.44; an older git passes them literally and
    // the driver falls back to its own labels.
    let (ours, theirs) = if git_expands_labels() {
        ("HEAD", "other")
    } else {
        ("ours", "theirs")
    };
    assert!(
        sources.contains(&format!("`<<<<<<< {ours}`")),
        "labels from git: {sources}"
    );
    assert!(
        sources.contains(&format!("**remote's version** (`{theirs}`)")),
        "labels from git: {sources}"
    );
    repo.git(&["merge", "--abort"]);
    assert_eq!(repo.read(), before);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn git_merge_driver_reads_the_conflict_policy_from_env_and_git_config() {
    let c = case("rule-same-lines-conflict");
    let repo = Repo::new("");
    repo.setup(&c);
    let (ok, err) = repo.merge(&[("NBDIFF_MERGE_CONFLICTS", "theirs")]);
    assert!(ok, "resolved by policy: {err}");
    assert_eq!(
        repo.read(),
        std::fs::read(case("rule-same-lines-theirs").join("expected.ipynb")).expect("read")
    );

    let repo = Repo::new("");
    repo.setup(&c);
    repo.git(&["config", "nbdiff.merge.conflicts", "ours"]);
    let (ok, err) = repo.merge(&[]);
    assert!(ok, "resolved by git config: {err}");
    assert_eq!(
        repo.read(),
        std::fs::read(case("rule-same-lines-ours").join("expected.ipynb")).expect("read")
    );
}

#[test]
fn git_merge_driver_falls_back_to_a_line_merge_for_broken_notebooks() {
    let repo = Repo::new("");
    let c = case("bad/fallback-conflicting");
    repo.setup(&c);
    let (ok, err) = repo.merge(&[]);
    assert!(!ok);
    assert!(err.contains("as plain text"), "says why: {err}");
    assert!(repo.git(&["status", "--porcelain"]).contains("UU nb.ipynb"));
    repo.git(&["merge", "--abort"]);
    assert_eq!(
        repo.read(),
        std::fs::read(c.join("local.ipynb")).expect("read")
    );
}

#[test]
fn merge_command_exit_codes_through_the_binary() {
    let bin = env!("CARGO_BIN_EXE_nbdiff");
    let c = case("rule-same-lines-conflict");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.ipynb");
    let run = |args: &[&Path]| {
        Command::new(bin)
            .arg("merge")
            .args(args)
            .arg("-o")
            .arg(&out)
            .status()
            .expect("run")
            .code()
    };
    let [b, l, r] = ["base", "local", "remote"].map(|n| c.join(format!("{n}.ipynb")));
    assert_eq!(run(&[&b, &l, &r]), Some(1));
    assert!(Notebook::parse(&std::fs::read(&out).expect("read"), "out").is_ok());
    assert_eq!(run(&[&b, &l, &b]), Some(0));
    assert_eq!(
        std::fs::read(&out).expect("read"),
        std::fs::read(&l).expect("read")
    );
    std::fs::remove_file(&out).expect("rm");
    let missing = dir.path().join("missing.ipynb");
    assert_eq!(run(&[&b, &missing, &r]), Some(2));
    assert!(!out.exists(), "no output written on error");
}
