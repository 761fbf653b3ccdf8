//! The one way nbdiff runs the `git` binary.
//!
//! Most git access is in-process with gix (revisions, the index, blobs,
//! config reads: [`super::revs`], [`super::settings`], [`super::stages`]).
//! The binary is run only where git's own answer is the point or gix has no
//! equivalent in the features we build: `config-git` writing config
//! ([`super::config`]), `check-attr` (every attributes file, macro and
//! negation as git counts them, [`super::worktree`]), `ls-files` with
//! `.gitignore` (`check`'s file list), `--get-colorbool`, `nbdiff.merge.*`
//! and `git add` (`resolve --add`). Every such run goes through [`Git`]:
//!
//! - **environment**: the caller's, so that what git set for a driver or a
//!   filter (`GIT_DIR`, `GIT_INDEX_FILE`, `GIT_PAGER_IN_USE`, …) still
//!   applies, with [`CLEANED`] on top: git never prompts (nbdiff's stdin may
//!   be git's protocol pipe) and never takes an optional lock (the git that
//!   started nbdiff may hold the index);
//! - **errors** name the command (`git check-attr --stdin -z filter`) and
//!   carry what git said on stderr; stderr never reaches the terminal;
//! - **output** is bounded: stdout at most [`read_limit`] bytes unless the
//!   caller asks for less ([`Git::max_output`]), stderr at most
//!   [`MAX_STDERR`]; more is an error, and the process is killed.
//!
//! stdin is null unless the caller gives bytes ([`Git::stdin`]); they are
//! written from a thread while stdout is read, so a large request cannot
//! fill both pipes.

use crate::notebook::read_limit;
use std::ffi::{OsStr, OsString};
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Variables set for every git run: no prompts, no optional locks.
pub const CLEANED: [(&str, &str); 2] = [("GIT_TERMINAL_PROMPT", "0"), ("GIT_OPTIONAL_LOCKS", "0")];

/// The most bytes of git's stderr kept (the rest is read and dropped).
pub const MAX_STDERR: usize = 64 * 1024;

/// A git run that did not give an answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The binary could not be started.
    #[error("cannot run `{command}` ({source}); is git installed and on PATH?")]
    CannotRun {
        /// The command, e.g. `git check-attr --stdin -z filter`.
        command: String,
        /// The OS error.
        source: io::Error,
    },
    /// git exited with an error.
    #[error("`{command}` failed: {message}")]
    Failed {
        /// The command.
        command: String,
        /// What git said on stderr (or its exit status when it said nothing).
        message: String,
    },
    /// git printed more than the caller reads.
    #[error("`{command}` printed more than {limit} bytes; not read")]
    TooMuchOutput {
        /// The command.
        command: String,
        /// The limit.
        limit: u64,
    },
    /// Reading git's output or writing its input failed.
    #[error("`{command}`: {source}")]
    Io {
        /// The command.
        command: String,
        /// The OS error.
        source: io::Error,
    },
}

/// What a finished git run gave: its exit code, stdout and stderr.
#[derive(Debug)]
pub struct GitOutput {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    /// stdout, at most the run's output limit.
    pub stdout: Vec<u8>,
    /// stderr as text, trimmed, at most [`MAX_STDERR`] bytes.
    pub stderr: String,
}

impl GitOutput {
    /// Whether git exited 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// One git command to run: `git(&["config", "--get", key]).output()`.
#[derive(Debug)]
pub struct Git {
    args: Vec<OsString>,
    /// How errors name the command: `git` and the arguments given to
    /// [`git`] (paths added with [`Git::paths`] are left out).
    shown: String,
    dir: Option<std::path::PathBuf>,
    input: Option<Vec<u8>>,
    limit: u64,
}

/// A git command with `args` (see [`Git`]).
pub fn git<S: AsRef<OsStr>>(args: &[S]) -> Git {
    let args: Vec<OsString> = args.iter().map(|a| a.as_ref().to_owned()).collect();
    let shown = std::iter::once("git".to_string())
        .chain(args.iter().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ");
    Git {
        args,
        shown,
        dir: None,
        input: None,
        limit: read_limit(),
    }
}

impl Git {
    /// Runs git in `dir` (its working directory).
    pub fn in_dir(mut self, dir: &Path) -> Git {
        self.dir = Some(dir.to_path_buf());
        self
    }

    /// Appends paths (or other arguments) that error messages leave out.
    pub fn paths<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, paths: I) -> Git {
        self.args
            .extend(paths.into_iter().map(|p| p.as_ref().to_owned()));
        self
    }

    /// Gives git `bytes` on stdin.
    pub fn stdin(mut self, bytes: Vec<u8>) -> Git {
        self.input = Some(bytes);
        self
    }

    /// Reads at most `bytes` of stdout (more is [`GitError::TooMuchOutput`]).
    pub fn max_output(mut self, bytes: u64) -> Git {
        self.limit = bytes;
        self
    }

    /// The command as errors name it.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// Runs git to the end; any exit code is an answer.
    pub fn output(self) -> Result<GitOutput, GitError> {
        let mut cmd = Command::new("git");
        cmd.args(&self.args)
            .stdin(if self.input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in CLEANED {
            cmd.env(key, value);
        }
        if let Some(dir) = &self.dir {
            cmd.current_dir(dir);
        }
        let io_err = |source| GitError::Io {
            command: self.shown.clone(),
            source,
        };
        let mut child = cmd.spawn().map_err(|source| GitError::CannotRun {
            command: self.shown.clone(),
            source,
        })?;
        let writer = match (child.stdin.take(), self.input) {
            (Some(mut stdin), Some(input)) => Some(std::thread::spawn(move || {
                // git may stop reading early (it failed): its exit says why.
                let _ = stdin.write_all(&input);
            })),
            _ => None,
        };
        let stderr = child.stderr.take().map(|mut e| {
            std::thread::spawn(move || {
                let mut kept = Vec::new();
                let _ = (&mut e).take(MAX_STDERR as u64).read_to_end(&mut kept);
                // Drain the rest so that git never blocks on a full pipe.
                let _ = io::copy(&mut e, &mut io::sink());
                kept
            })
        });
        let stdout = read_stdout(&mut child, self.limit);
        let too_much = matches!(&stdout, Ok(None));
        if too_much {
            let _ = child.kill();
        }
        let status = child.wait();
        if let Some(w) = writer {
            let _ = w.join();
        }
        let stderr = stderr
            .and_then(|t| t.join().ok())
            .map(|b| String::from_utf8_lossy(&b).trim().to_string())
            .unwrap_or_default();
        let stdout = stdout.map_err(io_err)?.ok_or(GitError::TooMuchOutput {
            command: self.shown.clone(),
            limit: self.limit,
        })?;
        let status = status.map_err(io_err)?;
        Ok(GitOutput {
            code: status.code(),
            stdout,
            stderr,
        })
    }

    /// Runs git and returns its stdout; an exit code other than 0 is
    /// [`GitError::Failed`] with what git said.
    pub fn stdout(self) -> Result<Vec<u8>, GitError> {
        let shown = self.shown.clone();
        let out = self.output()?;
        if out.success() {
            return Ok(out.stdout);
        }
        Err(failed(shown, &out))
    }
}

/// The error for a run that exited with `out.code` other than 0.
pub fn failed(command: String, out: &GitOutput) -> GitError {
    let message = if out.stderr.is_empty() {
        match out.code {
            Some(c) => format!("exit code {c}"),
            None => "killed by a signal".to_string(),
        }
    } else {
        out.stderr.clone()
    };
    GitError::Failed { command, message }
}

/// stdout of `child`, at most `limit` bytes; `Ok(None)` when there is more.
fn read_stdout(child: &mut Child, limit: u64) -> io::Result<Option<Vec<u8>>> {
    let Some(stdout) = child.stdout.take() else {
        return Ok(Some(Vec::new()));
    };
    let mut buf = Vec::new();
    stdout.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    Ok((buf.len() as u64 <= limit).then_some(buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_command_without_its_paths() {
        let run = git(&["definitely-not-a-git-command", "--x"]).paths(["secret/path"]);
        assert_eq!(run.shown(), "git definitely-not-a-git-command --x");
        match run.stdout() {
            Err(GitError::Failed { command, message }) => {
                assert_eq!(command, "git definitely-not-a-git-command --x");
                assert!(!message.is_empty());
            }
            // No git on this machine: the error still names the command.
            Err(GitError::CannotRun { command, .. }) => {
                assert_eq!(command, "git definitely-not-a-git-command --x");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn output_over_the_limit_is_an_error_not_a_truncation() {
        let Ok(version) = git(&["--version"]).stdout() else {
            return; // no git on this machine
        };
        assert!(version.starts_with(b"git version"));
        match git(&["--version"]).max_output(4).output() {
            Err(GitError::TooMuchOutput { command, limit }) => {
                assert_eq!((command.as_str(), limit), ("git --version", 4));
            }
            other => panic!("{other:?}"),
        }
        let exact = git(&["--version"])
            .max_output(version.len() as u64)
            .stdout()
            .expect("exactly the limit is read");
        assert_eq!(exact, version);
    }

    #[test]
    fn stdin_is_given_and_the_environment_cleaned() {
        // `git config --file -` reads the configuration from stdin.
        let Ok(got) = git(&["config", "--file", "-", "--get", "a.b"])
            .stdin(b"[a]\n\tb = from stdin\n".to_vec())
            .stdout()
        else {
            return; // no git, or one without `--file -`
        };
        assert_eq!(got, b"from stdin\n");
        // A shell alias prints the environment git's children get.
        let env = git(&["-c", "alias.showenv=!env", "showenv"])
            .stdout()
            .expect("git runs a shell alias");
        let env = String::from_utf8_lossy(&env);
        for (key, value) in CLEANED {
            assert!(env.lines().any(|l| l == format!("{key}={value}")), "{key}");
        }
    }
}
