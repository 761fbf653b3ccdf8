//! The one atomic writer: every file nbdiff writes for the user (a merge
//! result, a cleaned or resolved notebook, a backup, `-o FILE`, the
//! attributes and config files `config-git` changes, and its snapshot of
//! them) goes through [`write_atomic`].
//!
//! The bytes go to a temporary file in the target's directory, which takes
//! the target's permissions (a new file: `0644`), and is renamed over the
//! target, so the file is never seen half-written and a failure leaves it as
//! it was. A symbolic link is never replaced by a file (its target is); a
//! FIFO or a character device (`/dev/null`, `/dev/stdout`) is written into,
//! never replaced; anything else that is not a regular file is refused.
//!
//! Errors say what was being written and where ([`WriteError`]):
//! `a.ipynb: cannot write the cleaned notebook: Permission denied (os error 13)
//! (the file was left as it was)`.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What is being written, for the error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// `nbdiff merge -o`, `merge-driver`'s `%A`.
    MergeResult,
    /// `nbdiff clean FILE…`.
    CleanedNotebook,
    /// `nbdiff resolve`'s result.
    ResolvedNotebook,
    /// `nbdiff resolve --backup`'s copy of the file it replaces.
    Backup,
    /// `nbdiff -o FILE`: the diff or report.
    DiffOutput,
    /// `config-git`: the attributes file (`.gitattributes`,
    /// `.git/info/attributes`, the global one).
    Attributes,
    /// `config-git --disable`: the repository's git config file, given back
    /// as it was before `--enable`.
    GitConfig,
    /// `config-git`: the copy of the setup it keeps in the git directory so
    /// that `--disable` can give it back.
    ConfigSnapshot,
}

impl What {
    /// The words in the message.
    pub fn words(self) -> &'static str {
        match self {
            What::MergeResult => "the merge result",
            What::CleanedNotebook => "the cleaned notebook",
            What::ResolvedNotebook => "the resolved notebook",
            What::Backup => "the backup",
            What::DiffOutput => "the output",
            What::Attributes => "the attributes file",
            What::GitConfig => "the git config file",
            What::ConfigSnapshot => "config-git's copy of the setup",
        }
    }
}

/// Whether the data reaches the disk before the rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `fsync` before the rename: the user's own files.
    Synced,
    /// No `fsync`: a file git reads back at once and never keeps (the merge
    /// driver's `%A`; git does not fsync the files it writes into the work
    /// tree either, and it cost ~0.7 ms, a quarter of a small merge).
    Unsynced,
}

/// A file could not be written; it was left as it was.
#[derive(Debug, thiserror::Error)]
#[error("{path}: cannot write {}: {source} (the file was left as it was)", what.words())]
pub struct WriteError {
    /// What was being written.
    pub what: What,
    /// The file, as the user named it.
    pub path: String,
    /// The OS error.
    pub source: std::io::Error,
}

/// Writes `bytes` to `path` atomically (see the module docs), synced.
pub fn write_atomic(path: &Path, bytes: &[u8], what: What) -> Result<(), WriteError> {
    write_with(path, bytes, what, Durability::Synced)
}

/// [`write_atomic`] with the given durability.
pub fn write_with(
    path: &Path,
    bytes: &[u8],
    what: What,
    durability: Durability,
) -> Result<(), WriteError> {
    let fail = |source: std::io::Error| WriteError {
        what,
        path: path.display().to_string(),
        source,
    };
    let path = match resolve_target(path).map_err(fail)? {
        Target::File(real) => real,
        Target::Stream(real) => {
            // No create, no truncate: the device or FIFO stays what it is.
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(&real)
                .map_err(fail)?;
            return f.write_all(bytes).and_then(|()| f.flush()).map_err(fail);
        }
    };
    let path = path.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".nbdiff-")
        .tempfile_in(&dir)
        .map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    if durability == Durability::Synced {
        tmp.as_file().sync_all().map_err(fail)?;
    }
    let perms = match std::fs::metadata(path) {
        Ok(m) => Some(m.permissions()),
        Err(_) => default_permissions(),
    };
    if let Some(perms) = perms {
        tmp.as_file().set_permissions(perms).map_err(fail)?;
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Where a write goes, once the path is resolved.
enum Target {
    /// A regular file (or none yet) at this path: replaced atomically.
    File(PathBuf),
    /// A stream that cannot be replaced (a FIFO, a terminal, `/dev/null`,
    /// `/dev/stdout`): written in place, never replaced.
    Stream(PathBuf),
}

/// Follows `path` through symlinks to the file a write should change: a
/// symlink is never replaced by a file (its target is), a device or FIFO is
/// written into rather than replaced, and anything else that is not a
/// regular file (a directory, a socket, a block device, a link to nothing)
/// is refused.
fn resolve_target(path: &Path) -> Result<Target, std::io::Error> {
    use std::io::{Error, ErrorKind};
    let refuse = |what: &str| Error::new(ErrorKind::InvalidInput, what.to_string());
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Target::File(path.into())),
        Err(e) => return Err(e),
    };
    let (real, meta) = if meta.file_type().is_symlink() {
        let unresolved = |e: Error| {
            refuse(&format!(
                "is a symbolic link whose target cannot be resolved ({e}); not replaced"
            ))
        };
        let meta = std::fs::metadata(path).map_err(unresolved)?;
        if meta.is_file() {
            (std::fs::canonicalize(path).map_err(unresolved)?, meta)
        } else {
            // `/dev/stdout` → `/proc/self/fd/1` → a pipe: opened through
            // the link, as a shell redirection would.
            (path.to_path_buf(), meta)
        }
    } else {
        (path.to_path_buf(), meta)
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(Target::File(real));
    }
    if kind.is_dir() {
        return Err(refuse("is a directory"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() || kind.is_char_device() {
            return Ok(Target::Stream(real));
        }
    }
    Err(refuse(
        "is not a regular file (a socket or block device); not written",
    ))
}

#[cfg(unix)]
fn default_permissions() -> Option<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions() -> Option<std::fs::Permissions> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_keeps_its_permissions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("a.ipynb");
        std::fs::write(&f, b"old").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
        write_atomic(&f, b"new", What::CleanedNotebook).expect("written");
        assert_eq!(std::fs::read(&f).expect("read"), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&f).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("a.ipynb")]);
    }

    #[test]
    fn the_message_names_the_file_and_what_was_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("no").join("a.ipynb");
        let e = write_atomic(&f, b"x", What::CleanedNotebook).expect_err("no directory");
        let msg = e.to_string();
        assert!(
            msg.starts_with(&format!(
                "{}: cannot write the cleaned notebook: ",
                f.display()
            )),
            "{msg}"
        );
        assert!(msg.ends_with("(the file was left as it was)"), "{msg}");
    }

    #[test]
    fn a_directory_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = write_atomic(dir.path(), b"x", What::DiffOutput).expect_err("a directory");
        assert!(e.to_string().contains("is a directory"), "{e}");
    }
}
