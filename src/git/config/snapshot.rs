//! What `config-git --enable` found, so that `--disable` gives it back byte
//! for byte: the repository's config file and the attributes file as they
//! were before the first `--enable` (absent files noted as absent) and as
//! `--enable` left them, kept in the git directory (`.git/nbdiff-config-git/`).
//! `--disable` restores the earlier bytes when both files are still as
//! `--enable` left them — a user's own `diff.nbdiff.command`, an attribute
//! line they already had, an empty tracked `.gitattributes`, comments in
//! sections all come back — and otherwise (the user changed them since)
//! removes nbdiff's keys and line one by one. Local scope only: the user and
//! system scopes have no git directory to keep this in.

use super::{attr_err, read_file, ConfigError, Git, Plan, Scope};
use crate::write::What;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The snapshot of one repository's setup.
pub(super) struct Snapshot {
    dir: PathBuf,
    config: PathBuf,
    attributes: PathBuf,
}

/// Writes `bytes` to `path` through the one atomic writer
/// ([`crate::write`], `what` naming it in errors), or removes `path` for
/// `None`.
fn put(path: &Path, bytes: Option<&[u8]>, what: What) -> Result<(), ConfigError> {
    match bytes {
        None => match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(attr_err(path)(e)),
            _ => Ok(()),
        },
        Some(b) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(attr_err(path))?;
            }
            crate::write::write_atomic(path, b, what)?;
            Ok(())
        }
    }
}

impl Snapshot {
    /// The snapshot place of a local-scope plan (`None` for other scopes).
    pub(super) fn for_plan(git: &Git, plan: &Plan) -> Result<Option<Snapshot>, ConfigError> {
        if plan.scope != Scope::Local {
            return Ok(None);
        }
        let path = |p: &str| -> Result<Option<PathBuf>, ConfigError> {
            Ok(git
                .query(&["rev-parse", "--git-path", p])?
                .map(|s| git.cwd.join(s)))
        };
        let (Some(dir), Some(config)) = (path("nbdiff-config-git")?, path("config")?) else {
            return Ok(None);
        };
        Ok(Some(Snapshot {
            dir,
            config,
            attributes: plan.attributes_file.clone(),
        }))
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn current(&self) -> Result<[Option<Vec<u8>>; 2], ConfigError> {
        Ok([read_file(&self.config)?, read_file(&self.attributes)?])
    }

    fn stored(&self, when: &str) -> Result<[Option<Vec<u8>>; 2], ConfigError> {
        Ok([
            read_file(&self.file(&format!("config.{when}")))?,
            read_file(&self.file(&format!("attributes.{when}")))?,
        ])
    }

    fn same_attributes_file(&self) -> Result<bool, ConfigError> {
        Ok(read_file(&self.file("attributes.path"))?.as_deref()
            == Some(self.attributes.to_string_lossy().as_bytes()))
    }

    /// Whether the files are as the last `--enable` left them.
    fn unchanged_since_enable(&self) -> Result<bool, ConfigError> {
        Ok(self.file("config.after").exists()
            && self.same_attributes_file()?
            && self.current()? == self.stored("after")?)
    }

    fn store(&self, when: &str, state: [Option<Vec<u8>>; 2]) -> Result<(), ConfigError> {
        let [config, attributes] = state;
        put(
            &self.file(&format!("config.{when}")),
            config.as_deref(),
            What::ConfigSnapshot,
        )?;
        put(
            &self.file(&format!("attributes.{when}")),
            attributes.as_deref(),
            What::ConfigSnapshot,
        )
    }

    /// Before `--enable` changes anything: the files as they are, unless
    /// they are still as an earlier `--enable` left them (then what was
    /// there before that one is kept).
    pub(super) fn before_enable(&self) -> Result<(), ConfigError> {
        if self.unchanged_since_enable()? {
            return Ok(());
        }
        self.store("before", self.current()?)?;
        put(
            &self.file("attributes.path"),
            Some(self.attributes.to_string_lossy().as_bytes()),
            What::ConfigSnapshot,
        )
    }

    /// After `--enable`: the files as it left them.
    pub(super) fn after_enable(&self) -> Result<(), ConfigError> {
        self.store("after", self.current()?)
    }

    /// `--disable`: when the files are as `--enable` left them, writes back
    /// what was there before and returns true.
    pub(super) fn restore(&self, dry_run: bool, out: &mut dyn Write) -> Result<bool, ConfigError> {
        if !self.unchanged_since_enable()? || !self.file("config.before").exists() {
            if self.dir.exists() {
                writeln!(
                    out,
                    "# the files changed since `config-git --enable`: removing nbdiff's settings one by one"
                )?;
            }
            return Ok(false);
        }
        let [config, attributes] = self.stored("before")?;
        writeln!(
            out,
            "# restore {} and {} as they were before `config-git --enable`",
            self.config.display(),
            self.attributes.display()
        )?;
        if !dry_run {
            put(&self.attributes, attributes.as_deref(), What::Attributes)?;
            put(&self.config, config.as_deref(), What::GitConfig)?;
            std::fs::remove_dir_all(&self.dir).map_err(attr_err(&self.dir))?;
        }
        Ok(true)
    }
}
