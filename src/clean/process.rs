//! `nbdiff filter-process`: git's long-running filter protocol
//! (`filter.<driver>.process`, version 2, pkt-line over stdin/stdout, as
//! git-lfs uses), so that one nbdiff process cleans every notebook of a git
//! command instead of one process per file.
//!
//! The conversation (see gitattributes(5), "Long Running Filter Process"):
//!
//! ```text
//! git> git-filter-client  version=2  0000      git< git-filter-server  version=2  0000
//! git> capability=clean  capability=smudge … 0000
//!                                              git< capability=clean  0000
//! git> command=clean  pathname=a.ipynb  0000  <content>  0000
//!                                              git< status=success  0000  <content>  0000  0000
//! ```
//!
//! Only `clean` is asked for: smudge would be a pass-through, and asking for
//! it would make git send every checked-out notebook through this process
//! for nothing. A `smudge` request is still answered (unchanged content).
//!
//! Each file is independent: a notebook that does not parse goes back
//! unchanged with a warning on stderr (as the one-shot `nbdiff clean` filter
//! does), and a file that cannot be handled at all gets `status=error` for
//! that file alone; the process keeps serving. Only a broken conversation
//! (EOF mid-request, a malformed packet) ends it.
//!
//! A configuration that cannot be read whole (a project file that is not
//! TOML, a bad `[tool.nbdiff.clean]` value, an `ignore` entry that cannot be
//! ignored) is such a file: cleaning with part of it would stage something
//! the user did not ask for, so the filter refuses and says on stderr that
//! the notebook was NOT cleaned ([`not_cleaned`]). Git itself says nothing
//! of a process filter's failure: with `filter.nbdiff.required` unset it
//! stages the file as it is; set, it fails `git add` and keeps the index.
//!
//! ## Why the pkt-lines are read and written here, not with `gix-packetline`
//!
//! `gix-packetline` is in the dependency tree (through gix's transport) and
//! was weighed against this protocol (its 0.24 source); it does not fit it cleanly:
//!
//! - its blocking reader reads each header with `read_exact`, so git closing
//!   the pipe between two requests (the normal end of a session) and a
//!   header cut short (a broken conversation, reported) are the same
//!   `UnexpectedEof`; telling them apart would mean peeking at the stream
//!   around it, which is most of what `read_packet` does;
//! - it refuses `0004` (an empty data packet), which git's own reader
//!   (`pkt-line.c`) accepts as an empty line;
//! - its reader and writer sit behind its `blocking-io` feature, which no
//!   crate in our tree enables, and it is built around fetch and push
//!   (delimiters that end a read until reset, side bands, `ERR` lines).
//!
//! What the protocol needs is four functions of a few lines each (a header
//! of four hex digits, `0000`, data split at [`MAX_PACKET_DATA`]), tested
//! below and by the `clean_filter` fuzz target.

use super::{dir_of, Cleaner};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The largest payload of one pkt-line (65520 minus the 4-byte header).
pub const MAX_PACKET_DATA: usize = 65516;

/// The conversation with git broke down.
#[derive(Debug, thiserror::Error)]
pub enum ProtocolError {
    /// Reading or writing the pipes failed.
    #[error("filter-process: {0}")]
    Io(#[from] io::Error),
    /// Git sent something this protocol does not allow.
    #[error("filter-process: protocol error: {0}")]
    Protocol(String),
}

/// The cleaner for the notebooks of one folder, or why there is none (a
/// configuration that cannot be read whole, named: `clean` never strips
/// less, or other, than the user asked). The command layer builds it from
/// the folder's settings (`cli::clean::cleaner_for`: the command line's
/// options, the project file, the user's volatile paths); the filter and
/// the git layer ask it once per folder. This module reads no
/// configuration.
pub type CleanerFor<'a> = dyn Fn(&Path) -> Result<Cleaner, String> + 'a;

/// One packet read.
#[derive(Debug, PartialEq, Eq)]
enum Packet {
    /// `0000`.
    Flush,
    /// Data (appended to the caller's buffer).
    Data,
    /// End of input before any byte of a packet.
    Eof,
}

/// Reads one pkt-line, appending its data to `buf`.
fn read_packet(r: &mut impl Read, buf: &mut Vec<u8>) -> Result<Packet, ProtocolError> {
    let mut header = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut header[got..]) {
            Ok(0) if got == 0 => return Ok(Packet::Eof),
            Ok(0) => {
                return Err(ProtocolError::Protocol(
                    "end of input inside a packet header".into(),
                ))
            }
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    let len = std::str::from_utf8(&header)
        .ok()
        .and_then(|h| usize::from_str_radix(h, 16).ok())
        .ok_or_else(|| ProtocolError::Protocol(format!("bad packet header {header:?}")))?;
    match len {
        0 => Ok(Packet::Flush),
        1..=3 => Err(ProtocolError::Protocol(format!(
            "unexpected special packet {len:04x}"
        ))),
        _ => {
            let start = buf.len();
            buf.resize(start + len - 4, 0);
            r.read_exact(&mut buf[start..])?;
            Ok(Packet::Data)
        }
    }
}

/// Reads text packets up to a flush: `None` at a clean end of input.
fn read_list(r: &mut impl Read) -> Result<Option<Vec<String>>, ProtocolError> {
    let mut items = Vec::new();
    loop {
        let mut buf = Vec::new();
        match read_packet(r, &mut buf)? {
            Packet::Flush => return Ok(Some(items)),
            Packet::Eof if items.is_empty() => return Ok(None),
            Packet::Eof => {
                return Err(ProtocolError::Protocol("end of input inside a list".into()))
            }
            Packet::Data => {
                let text = String::from_utf8_lossy(&buf);
                items.push(text.strip_suffix('\n').unwrap_or(&text).to_string());
            }
        }
    }
}

/// Reads content packets up to a flush into `buf` (emptied first; one
/// buffer serves every file, so it stops growing after the largest).
fn read_content(r: &mut impl Read, buf: &mut Vec<u8>) -> Result<(), ProtocolError> {
    buf.clear();
    loop {
        match read_packet(r, buf)? {
            Packet::Flush => return Ok(()),
            Packet::Data if buf.len() as u64 > crate::notebook::read_limit() => {
                return Err(ProtocolError::Io(crate::notebook::too_large()));
            }
            Packet::Data => {}
            Packet::Eof => {
                return Err(ProtocolError::Protocol(
                    "end of input inside a file's content".into(),
                ))
            }
        }
    }
}

fn write_flush(w: &mut impl Write) -> io::Result<()> {
    w.write_all(b"0000")
}

fn write_data(w: &mut impl Write, data: &[u8]) -> io::Result<()> {
    for chunk in data.chunks(MAX_PACKET_DATA) {
        write!(w, "{:04x}", chunk.len() + 4)?;
        w.write_all(chunk)?;
    }
    Ok(())
}

fn write_text(w: &mut impl Write, line: &str) -> io::Result<()> {
    // A text packet: the line and its LF (git strips it on reading).
    writeln!(w, "{:04x}{line}", line.len() + 5)
}

/// Serves git until it closes the pipe, cleaning each notebook with the
/// cleaner `cleaner_for` gives for its folder (asked once per folder).
/// Warnings go to `err`.
pub fn serve(
    cleaner_for: &CleanerFor,
    input: &mut impl Read,
    output: &mut impl Write,
    err: &mut dyn Write,
) -> Result<(), ProtocolError> {
    let hello = read_list(input)?.unwrap_or_default();
    if hello.first().map(String::as_str) != Some("git-filter-client") {
        return Err(ProtocolError::Protocol(format!(
            "expected git-filter-client, got {:?}",
            hello.first()
        )));
    }
    if !hello.iter().any(|l| l == "version=2") {
        return Err(ProtocolError::Protocol(
            "git does not offer protocol version 2".into(),
        ));
    }
    write_text(output, "git-filter-server")?;
    write_text(output, "version=2")?;
    write_flush(output)?;
    output.flush()?;
    let offered = read_list(input)?.unwrap_or_default();
    if offered.iter().any(|c| c == "capability=clean") {
        write_text(output, "capability=clean")?;
    }
    write_flush(output)?;
    output.flush()?;

    let mut cleaners: HashMap<PathBuf, Result<Cleaner, String>> = HashMap::new();
    // Configuration errors already explained in full (one per project).
    let mut explained: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut content = Vec::new();
    while let Some(header) = read_list(input)? {
        let value = |key: &str| {
            header
                .iter()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
                .map(str::to_string)
        };
        let command = value("command").unwrap_or_default();
        let pathname = value("pathname").unwrap_or_default();
        read_content(input, &mut content)?;
        let answer = match command.as_str() {
            "clean" => {
                let cleaner = cleaners
                    .entry(dir_of(Path::new(&pathname)))
                    .or_insert_with_key(|dir| cleaner_for(dir));
                match cleaner {
                    Ok(cleaner) => Ok(clean_or_pass(cleaner, &content, &pathname, err)),
                    Err(e) if explained.contains(e.as_str()) => {
                        let path = crate::render::sanitize::visible(&pathname);
                        Err(format!(
                            "nbdiff: {path}: NOT cleaned (the configuration error above); \
                             once it is fixed, `git add --renormalize {path}`"
                        ))
                    }
                    Err(e) => {
                        explained.insert(e.clone());
                        Err(not_cleaned(&pathname, e))
                    }
                }
            }
            "smudge" => Ok(None),
            other => Err(format!(
                "nbdiff filter-process: {}: unknown command {:?}",
                crate::render::sanitize::visible(&pathname),
                crate::render::sanitize::visible(other)
            )),
        };
        match answer {
            Ok(cleaned) => {
                write_text(output, "status=success")?;
                write_flush(output)?;
                write_data(output, cleaned.as_deref().unwrap_or(&content))?;
                write_flush(output)?;
                write_flush(output)?;
            }
            Err(message) => {
                let _ = writeln!(err, "{message}");
                write_text(output, "status=error")?;
                write_flush(output)?;
            }
        }
        output.flush()?;
    }
    Ok(())
}

/// What the filter says when it could not clean `pathname` because of
/// `error` (the configuration): that the notebook was NOT cleaned, what git
/// does with it, and how to recover. One line per sentence, every byte
/// from the user's files made visible.
pub fn not_cleaned(pathname: &str, error: &str) -> String {
    let path = crate::render::sanitize::visible(pathname);
    format!(
        "nbdiff: {path}: NOT cleaned: {}\n\
         nbdiff: git stages {path} uncleaned, as it is (or, with filter.nbdiff.required set, refuses it); \
         fix the configuration, then run `git add --renormalize {path}`",
        crate::render::sanitize::visible(error)
    )
}

/// The cleaned bytes, or `None` to send the content back unchanged (nothing
/// to strip, or not a notebook: then with a warning).
pub fn clean_or_pass(
    cleaner: &Cleaner,
    content: &[u8],
    pathname: &str,
    err: &mut dyn Write,
) -> Option<Vec<u8>> {
    match cleaner.clean(content, pathname) {
        Ok(cleaned) => cleaned.bytes,
        Err(e) => {
            let _ = writeln!(
                err,
                "nbdiff clean: warning: {}; passed through unchanged",
                crate::render::sanitize::visible(&e.to_string())
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(text: &str) -> Vec<u8> {
        let mut v = Vec::new();
        write_text(&mut v, text).unwrap();
        v
    }

    fn args() -> impl Fn(&Path) -> Result<Cleaner, String> {
        |_| {
            Ok(Cleaner::with_defaults(super::super::CleanOptions {
                outputs: super::super::Keep::Keep,
                execution_counts: super::super::Keep::Strip,
            }))
        }
    }

    /// Splits a response stream into packets (`None` = flush).
    fn packets(mut bytes: &[u8]) -> Vec<Option<Vec<u8>>> {
        let mut out = Vec::new();
        loop {
            let mut buf = Vec::new();
            match read_packet(&mut bytes, &mut buf).unwrap() {
                Packet::Eof => return out,
                Packet::Flush => out.push(None),
                Packet::Data => out.push(Some(buf)),
            }
        }
    }

    #[test]
    fn large_content_is_split_into_packets_and_read_back_whole() {
        let data = vec![b'x'; MAX_PACKET_DATA * 2 + 10];
        let mut wire = Vec::new();
        write_data(&mut wire, &data).unwrap();
        write_flush(&mut wire).unwrap();
        assert_eq!(packets(&wire).len(), 4);
        // The buffer is emptied first: what a previous file left goes.
        let mut buf = b"left over".to_vec();
        read_content(&mut wire.as_slice(), &mut buf).unwrap();
        assert_eq!(buf, data);
    }

    #[test]
    fn a_session_negotiates_clean_only_and_answers_each_file() {
        let notebook = br#"{"cells": [{"cell_type": "code", "execution_count": 7, "metadata": {}, "outputs": [], "source": ""}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}"#;
        let mut wire = Vec::new();
        for l in ["git-filter-client", "version=2"] {
            wire.extend(pkt(l));
        }
        wire.extend(b"0000");
        for l in ["capability=clean", "capability=smudge", "capability=delay"] {
            wire.extend(pkt(l));
        }
        wire.extend(b"0000");
        // A notebook, a file that is not one, and an unknown command.
        for (cmd, path, body) in [
            ("clean", "a.ipynb", &notebook[..]),
            ("clean", "b.ipynb", b"not json" as &[u8]),
            ("frobnicate", "c.ipynb", b"x"),
        ] {
            wire.extend(pkt(&format!("command={cmd}")));
            wire.extend(pkt(&format!("pathname={path}")));
            wire.extend(b"0000");
            write_data(&mut wire, body).unwrap();
            wire.extend(b"0000");
        }
        let mut out = Vec::new();
        let mut err = Vec::new();
        serve(&args(), &mut wire.as_slice(), &mut out, &mut err).unwrap();
        let p = packets(&out);
        let text = |i: usize| String::from_utf8_lossy(p[i].as_deref().unwrap()).into_owned();
        assert_eq!(text(0), "git-filter-server\n");
        assert_eq!(text(1), "version=2\n");
        assert_eq!(p[2], None);
        assert_eq!(text(3), "capability=clean\n");
        assert_eq!(p[4], None);
        // a.ipynb: cleaned.
        assert_eq!(text(5), "status=success\n");
        assert_eq!(p[6], None);
        assert!(text(7).contains("\"execution_count\": null"), "{}", text(7));
        assert_eq!((p[8].clone(), p[9].clone()), (None, None));
        // b.ipynb: passed through, with a warning.
        assert_eq!(text(10), "status=success\n");
        assert_eq!(text(12), "not json");
        // c.ipynb: an error for that file only.
        assert_eq!(text(15), "status=error\n");
        assert_eq!(p[16], None);
        assert_eq!(p.len(), 17);
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.contains("b.ipynb") && err.contains("passed through unchanged"),
            "{err}"
        );
        assert!(err.contains("c.ipynb: unknown command"), "{err}");
    }

    #[test]
    fn a_client_that_is_not_git_is_refused() {
        let mut wire = pkt("hello");
        wire.extend(b"0000");
        let e = serve(
            &args(),
            &mut wire.as_slice(),
            &mut Vec::new(),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("expected git-filter-client"), "{e}");
    }
}
