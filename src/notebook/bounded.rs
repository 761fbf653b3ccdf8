//! Every read of a user's file goes through here: notebooks (`check`, the
//! reports, the diff driver, `show`, `clean`, git's filter), the project
//! file. A file is read only when it is a regular file, and for at most the
//! read limit: a FIFO or device would block or never end, and a pseudo-file
//! (`/proc/self/pagemap` reports size 0 and reads as endless zeros) is
//! refused when a file of size 0 has content. The limit is one knob, `NBDIFF_MAX_FILE_SIZE`
//! (bytes, or with a `K`, `M` or `G` suffix; default 1G), read once by the
//! command layer ([`set_read_limit`]).
//!
//! Configuration is read more carefully still ([`read_config`]): a project
//! file that is a symbolic link is read only when it points inside the
//! repository (or folder) holding it, so a committed link to `/proc`, `/dev`
//! or another user's file is refused.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The default read limit: 1 GiB, above any notebook seen in practice.
pub const DEFAULT_READ_LIMIT: u64 = 1 << 30;

/// The environment variable that sets the read limit.
pub const READ_LIMIT_ENV: &str = "NBDIFF_MAX_FILE_SIZE";

static READ_LIMIT: AtomicU64 = AtomicU64::new(DEFAULT_READ_LIMIT);

/// Sets the most bytes read from one file or stream (the command layer
/// calls it once, from [`READ_LIMIT_ENV`]).
pub fn set_read_limit(bytes: u64) {
    READ_LIMIT.store(bytes, Ordering::Relaxed);
}

/// The most bytes read from one file or stream.
pub fn read_limit() -> u64 {
    READ_LIMIT.load(Ordering::Relaxed)
}

/// Parses a size: bytes, or a number with `K`, `M` or `G` (powers of 1024,
/// an optional `B`/`iB` after them).
pub fn parse_size(s: &str) -> Option<u64> {
    let t = s.trim();
    let t = t
        .strip_suffix("iB")
        .or_else(|| t.strip_suffix('B'))
        .unwrap_or(t);
    let (num, shift) = match t.chars().last()?.to_ascii_uppercase() {
        'K' => (&t[..t.len() - 1], 10),
        'M' => (&t[..t.len() - 1], 20),
        'G' => (&t[..t.len() - 1], 30),
        _ => (t, 0),
    };
    let n: u64 = num.trim().parse().ok()?;
    n.checked_mul(1 << shift)
}

/// The error for input over the limit.
pub fn too_large() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "larger than the read limit of {} bytes (set {READ_LIMIT_ENV} to raise it)",
            read_limit()
        ),
    )
}

/// Reads all of `r`, at most [`read_limit`] bytes (more is an error).
pub fn read_stream_bounded(r: &mut impl Read) -> io::Result<Vec<u8>> {
    read_capped(r, Vec::new())
}

/// Reads all of `r` into `buf` (allocated by the caller, ideally to the
/// expected size), at most [`read_limit`] bytes.
fn read_capped(r: &mut impl Read, mut buf: Vec<u8>) -> io::Result<Vec<u8>> {
    let limit = read_limit();
    r.take(limit.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(buf)
}

/// Reads the regular file at `path` (a symbolic link is followed), at most
/// [`read_limit`] bytes. A FIFO, device, socket or directory is refused
/// without being read.
pub fn read_bounded(path: &Path) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    read_bounded_into(path, &mut buf)?;
    Ok(buf)
}

/// [`read_bounded`] into `buf` (its contents replaced, its capacity
/// kept), so that a command reading many files one after another holds
/// one buffer of the largest size instead of a fresh one per file.
pub fn read_bounded_into(path: &Path, buf: &mut Vec<u8>) -> io::Result<()> {
    buf.clear();
    let (mut file, len) = open_regular(path)?;
    if len == 0 {
        // Empty, or a pseudo-file (`/proc`, `/sys`) whose size says nothing
        // of what it reads as: a read tells them apart.
        // (Eight bytes or more: `/proc/self/pagemap` reads in whole words.)
        let mut one = [0u8; 64];
        if file.read(&mut one)? > 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "reports size 0 but has content (a /proc or /sys file?); not read",
            ));
        }
        return Ok(());
    }
    // Sized from the file's length (and one byte more for the read that
    // finds the end): growing from empty moves and re-faults the bytes at
    // every doubling, a fifth of `clean --check` over many notebooks.
    let expected = usize::try_from(len).unwrap_or(0);
    buf.reserve(expected.saturating_add(1));
    *buf = read_capped(&mut file, std::mem::take(buf))?;
    Ok(())
}

/// Opens the regular file at `path` (a symbolic link is followed) and
/// returns it with its length, refusing what [`read_bounded`] refuses
/// without reading: a FIFO, device, socket or directory, a file over the
/// read limit.
pub(super) fn open_regular(path: &Path) -> io::Result<(std::fs::File, u64)> {
    let (file, meta) = open_file(path)?;
    if meta.len() > read_limit() {
        return Err(too_large());
    }
    Ok((file, meta.len()))
}

/// Opens the regular file at `path` (a symbolic link is followed); a FIFO,
/// device, socket or directory is refused without being opened.
fn open_file(path: &Path) -> io::Result<(std::fs::File, std::fs::Metadata)> {
    // Looked at before opening: opening a FIFO blocks until a writer comes.
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "not a regular file (a FIFO, device or socket)"
        };
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{what}; not read"),
        ));
    }
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file; not read",
        ));
    }
    Ok((file, meta))
}

/// The most bytes [`read_first_line`] reads.
pub const FIRST_LINE_MAX: u64 = 64 << 10;

/// The first line of the regular file at `path` (without its line ending),
/// reading at most [`FIRST_LINE_MAX`] bytes of it whatever its size, for
/// the files git leaves in its directory (`MERGE_HEAD`, `MERGE_MSG`) of
/// which only the first line is wanted. Bytes that are not UTF-8 are
/// replaced. A FIFO, device, socket or directory is refused unread.
pub fn read_first_line(path: &Path) -> io::Result<String> {
    let (file, _) = open_file(path)?;
    let mut head = Vec::new();
    file.take(FIRST_LINE_MAX).read_to_end(&mut head)?;
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    Ok(String::from_utf8_lossy(line).into_owned())
}

/// Reads a configuration file as text: [`read_bounded`], and when `path`
/// is a symbolic link, only if it resolves inside the repository that
/// holds it (the nearest folder up with a `.git`), or inside its own
/// folder outside a repository.
pub fn read_config(path: &Path) -> io::Result<String> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        let target = std::fs::canonicalize(path)?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let dir = std::fs::canonicalize(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })?;
        let root = repository_root(&dir).unwrap_or(dir);
        if !target.starts_with(&root) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "a symbolic link to {}, outside {}; configuration is not read through it",
                    target.display(),
                    root.display()
                ),
            ));
        }
    }
    let bytes = read_bounded(path)?;
    String::from_utf8(bytes)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not valid UTF-8"))
}

/// The nearest folder at or above `dir` holding `.git`.
fn repository_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10"), Some(10));
        assert_eq!(parse_size("4K"), Some(4096));
        assert_eq!(parse_size("2MiB"), Some(2 << 20));
        assert_eq!(parse_size("1g"), Some(1 << 30));
        assert_eq!(parse_size("x"), None);
        assert_eq!(parse_size(""), None);
    }

    #[test]
    fn the_first_line_only_and_at_most_its_bound() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("MERGE_MSG");
        let mut text = b"Merge branch 'x'\r\n\n# Conflicts:\n#\tcaf\xe9.ipynb\n".to_vec();
        std::fs::write(&f, &text).expect("write");
        assert_eq!(read_first_line(&f).expect("read"), "Merge branch 'x'");
        // A first line longer than the bound is cut at it.
        text = vec![b'a'; FIRST_LINE_MAX as usize * 2];
        std::fs::write(&f, &text).expect("write");
        assert_eq!(
            read_first_line(&f).expect("read").len(),
            FIRST_LINE_MAX as usize
        );
        assert!(read_first_line(dir.path()).is_err(), "a directory");
    }
}
