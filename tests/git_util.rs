//! A sandbox for end-to-end tests with real git: a temporary HOME, global
//! config and XDG directory, no system config, no inherited `GIT_*`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The nbdiff binary under test.
pub fn nbdiff_exe() -> &'static str {
    env!("CARGO_BIN_EXE_nbdiff")
}

/// A clean environment for git and nbdiff.
pub struct Sandbox {
    /// Holds everything; removed on drop.
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("home")).expect("home");
        std::fs::create_dir_all(dir.path().join("xdg")).expect("xdg");
        Sandbox { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn home(&self) -> PathBuf {
        self.path().join("home")
    }

    pub fn global_config(&self) -> PathBuf {
        self.home().join("gitconfig")
    }

    pub fn xdg(&self) -> PathBuf {
        self.path().join("xdg")
    }

    /// A command with the clean environment.
    pub fn cmd(&self, program: &str, cwd: &Path) -> Command {
        let mut c = Command::new(program);
        c.current_dir(cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.xdg())
            .env("GIT_CONFIG_GLOBAL", self.global_config())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .env("GIT_PAGER", "cat")
            .env("LANG", "C")
            .env("TERM", "xterm");
        c
    }

    /// Runs git; panics with its output when it fails.
    pub fn git(&self, cwd: &Path, args: &[&str]) -> String {
        let out = self.git_output(cwd, args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    pub fn git_output(&self, cwd: &Path, args: &[&str]) -> Output {
        self.cmd("git", cwd).args(args).output().expect("run git")
    }

    /// Runs nbdiff.
    pub fn nbdiff(&self, cwd: &Path, args: &[&str]) -> Output {
        self.cmd(nbdiff_exe(), cwd)
            .args(args)
            .output()
            .expect("run nbdiff")
    }

    /// A new repository `name` with one commit-ready identity.
    pub fn repo(&self, name: &str) -> PathBuf {
        let dir = self.path().join(name);
        std::fs::create_dir_all(&dir).expect("mkdir");
        self.git(&dir, &["init", "-q", "-b", "main"]);
        dir
    }

    /// Commits everything in `repo` with `message`.
    pub fn commit_all(&self, repo: &Path, message: &str) {
        self.git(repo, &["add", "-A"]);
        self.git(repo, &["commit", "-q", "-m", message]);
    }

    /// Two lines of history for a merge: on a new `branch` from the current
    /// commit, `file` written as `theirs` and committed ("theirs"); then,
    /// back on `main`, written as `ours` and committed ("ours").
    pub fn diverge(&self, repo: &Path, branch: &str, file: &str, theirs: &str, ours: &str) {
        self.git(repo, &["checkout", "-q", "-b", branch]);
        std::fs::write(repo.join(file), theirs).expect("write theirs");
        self.commit_all(repo, "theirs");
        self.git(repo, &["checkout", "-q", "main"]);
        std::fs::write(repo.join(file), ours).expect("write ours");
        self.commit_all(repo, "ours");
    }

    /// `nbdiff config-git --enable` in `repo` (local scope).
    pub fn enable(&self, repo: &Path) {
        let out = self.nbdiff(repo, &["config-git", "--enable"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A small valid nbformat 4.5 notebook: one code cell per source, each with a
/// stdout stream output `out:<source>` and an execution count.
pub fn notebook(sources: &[&str], execution_count: u32) -> String {
    let cells: Vec<String> = sources
        .iter()
        .enumerate()
        .map(|(i, src)| {
            let src = serde_json::to_string(src).expect("json");
            let text = serde_json::to_string(&format!("out:{}\n", src.trim_matches('"'))).expect("json");
            format!(
                r#"  {{"cell_type": "code", "execution_count": {execution_count}, "id": "cell{i}", "metadata": {{}}, "outputs": [{{"name": "stdout", "output_type": "stream", "text": [{text}]}}], "source": [{src}]}}"#
            )
        })
        .collect();
    format!(
        "{{\n \"cells\": [\n{}\n ],\n \"metadata\": {{\"kernelspec\": {{\"name\": \"python3\", \"display_name\": \"Python 3\", \"language\": \"python\"}}}},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}}\n",
        cells.join(",\n")
    )
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Removes what a user's terminal and pager settings could bring into a
/// test of the binary (colour, pagers).
pub fn without_terminal_env(c: &mut Command) -> &mut Command {
    for k in [
        "NO_COLOR",
        "TERM",
        "GIT_PAGER_IN_USE",
        "PAGER",
        "GIT_PAGER",
        "NBDIFF_PAGER",
    ] {
        c.env_remove(k);
    }
    c
}
