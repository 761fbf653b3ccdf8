//! `nbdiff resolve`: rescue notebooks that git's line merge broke.
//!
//! Two roads to the same cell-level merge ([`crate::merge::merge_bytes`]):
//!
//! - **From the index** ([`merge_stages`]): during a merge, rebase,
//!   cherry-pick, revert or stash pop, an unmerged notebook has its three
//!   versions in the index (stages 1, 2, 3; [`stages`]). They are merged
//!   exactly as the merge driver would merge them, with the labels git wrote
//!   into the file, `merge.conflictStyle` and `conflict-marker-size`. Without
//!   a stage 1 (both sides added the file), the base is what both versions
//!   have in common ([`base`]).
//! - **From the markers** ([`merge_markers`]): a file saved or committed with
//!   git's conflict blocks is split into the versions they were made from
//!   ([`markers`]); a diff3/zdiff3 file gives the base too, otherwise the two
//!   versions are merged against their common part ([`base`]). A file whose
//!   versions are not notebooks is refused with the line of the block to
//!   look at.
//!
//! Both return a [`Merged`] value; the command (`crate::cli::resolve`)
//! writes it to the working tree (atomically) and [`outcome`] renders what
//! happened to each file.

pub mod base;
pub mod markers;
pub mod outcome;

use crate::git::stages;
use crate::merge::options::ConflictStyle;
use crate::merge::{merge_bytes, ConflictPolicy, Inputs, Options};
use crate::notebook::{LoadError, Notebook};
use markers::{MarkerError, Split};
use serde_json::Value;

/// Where the base of a merge came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseKind {
    /// Stage 1 of the index.
    Index,
    /// The `|||||||` sections of the file's diff3/zdiff3 conflict blocks.
    Diff3,
    /// The part both versions have in common (no base was available, or the
    /// one rebuilt from the blocks was not a notebook).
    Common,
}

/// A conflict left in a merged notebook, found in its `nbdiff` records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// 1-based cell number; `None` for the notebook's own fields.
    pub cell: Option<usize>,
    /// What conflicts there: `source`, `deleted-edited`, `moved`, a field
    /// path, or `inserted on both sides` (marker cells).
    pub what: Vec<String>,
}

/// A merge ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged notebook.
    pub bytes: Vec<u8>,
    /// Conflicts left (0: clean).
    pub conflicts: usize,
    /// Where they are.
    pub places: Vec<Place>,
    /// The merge's automatic resolutions, one line each.
    pub notes: Vec<String>,
    /// Where the base came from.
    pub base: BaseKind,
}

/// Why a file could not be resolved. The file is left untouched.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// The conflict blocks do not fit together.
    #[error("{path}: {source}; cannot rebuild the two versions from the conflict blocks")]
    Markers {
        /// The file.
        path: String,
        /// What is wrong, with the line.
        source: MarkerError,
    },
    /// A version rebuilt from the blocks is not a notebook.
    #[error("{path}: line {line}: the {side} version rebuilt from the conflict blocks is not a notebook ({why}){block}")]
    Version {
        /// The file.
        path: String,
        /// `local` or `remote`.
        side: &'static str,
        /// The file line the problem comes from.
        line: usize,
        /// The parser's complaint.
        why: String,
        /// Which conflict block holds that line, if one does.
        block: String,
    },
    /// A stage of the index is not a notebook.
    #[error("{path}: {why}; git's line merge is left as it was (resolve it by hand, or pick a side with `git checkout --ours/--theirs`)")]
    NotNotebooks {
        /// The file.
        path: String,
        /// The parse error of the stage.
        why: String,
    },
    /// The two versions are of different nbformat versions.
    #[error("{path}: the two versions have different nbformat versions ({local} and {remote}); cannot merge them as notebooks")]
    Versions {
        /// The file.
        path: String,
        /// Local's major version.
        local: u64,
        /// Remote's major version.
        remote: u64,
    },
    /// The merge would drop lines that both versions have.
    #[error(
        "{path}: the merge would drop {count} line(s) that both versions have; left untouched"
    )]
    Lost {
        /// The file.
        path: String,
        /// How many lines.
        count: usize,
    },
}

/// Options derived from a file's own conflict blocks: their labels, marker
/// size and style, over `policy` (outputs and conflict policies, volatile
/// fields; its conflict style when the blocks show a base).
pub fn options_from_split(split: &Split, policy: &Options) -> Options {
    let mut opts = policy.clone();
    opts.labels.take_found(&split.labels);
    opts.marker_size = split.blocks.first().map_or(opts.marker_size, |b| b.size);
    // Blocks with a base section were written in diff3 or zdiff3 style (the
    // blocks cannot tell which: `policy`'s style decides when it shows a base).
    opts.style = match (split.blocks.iter().any(|b| b.has_base), policy.style) {
        (false, _) => ConflictStyle::Merge,
        (true, style) if style.shows_base() => style,
        (true, _) => ConflictStyle::Diff3,
    };
    opts
}

/// Merges the three stages of an unmerged notebook as the merge driver does
/// (same function, same options); `base` is `None` when both sides added it.
pub fn merge_stages(
    base: Option<&[u8]>,
    ours: &[u8],
    theirs: &[u8],
    path: &str,
    opts: &Options,
) -> Result<Merged, ResolveError> {
    let names = [
        format!("{path} (base)"),
        format!("{path} (ours)"),
        format!("{path} (theirs)"),
    ];
    let (base_bytes, kind) = match base {
        Some(b) => (b.to_vec(), BaseKind::Index),
        None => {
            let l = parse_stage(ours, &names[1])?;
            let r = parse_stage(theirs, &names[2])?;
            same_major(path, &l, &r)?;
            (base::common_base(&l, &r).to_bytes(), BaseKind::Common)
        }
    };
    // A built base has no lines of its own to show in conflicts.
    let mut opts = opts.clone();
    if kind != BaseKind::Index {
        opts.style = ConflictStyle::Merge;
    }
    let opts = &opts;
    let outcome = merge_bytes(
        Inputs {
            base: (&base_bytes, &names[0]),
            local: (ours, &names[1]),
            remote: (theirs, &names[2]),
        },
        opts,
    );
    if let Some(why) = outcome.fallback {
        return Err(ResolveError::NotNotebooks {
            path: path.to_string(),
            why,
        });
    }
    let places = Notebook::parse(&outcome.bytes, path)
        .map(|nb| places(&nb))
        .unwrap_or_default();
    Ok(Merged {
        places,
        bytes: outcome.bytes,
        conflicts: outcome.conflicts,
        notes: outcome.notes,
        base: kind,
    })
}

/// Refuses two versions of different nbformat major versions.
fn same_major(path: &str, local: &Notebook, remote: &Notebook) -> Result<(), ResolveError> {
    if local.major == remote.major {
        return Ok(());
    }
    Err(ResolveError::Versions {
        path: path.to_string(),
        local: local.major,
        remote: remote.major,
    })
}

fn parse_stage(bytes: &[u8], name: &str) -> Result<Notebook, ResolveError> {
    Notebook::parse(bytes, name).map_err(|e| ResolveError::NotNotebooks {
        path: name.to_string(),
        why: e.to_string(),
    })
}

/// Rebuilds the versions of a file from its conflict blocks and merges them
/// at cell level. `policy` gives the outputs and conflict policies; labels,
/// marker size and style come from the file's blocks.
pub fn merge_markers(text: &[u8], path: &str, policy: &Options) -> Result<Merged, ResolveError> {
    // Not UTF-8: the versions cannot be notebooks; say where, and in which.
    let text = std::str::from_utf8(text).map_err(|e| {
        let line = text[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        let split = markers::parse(&String::from_utf8_lossy(text)).ok();
        let only_remote = split
            .as_ref()
            .is_some_and(|s| !s.local.origin.contains(&line) && s.remote.origin.contains(&line));
        ResolveError::Version {
            path: path.to_string(),
            side: if only_remote { "remote" } else { "local" },
            line,
            why: "not valid UTF-8".into(),
            block: String::new(),
        }
    })?;
    let split = markers::parse(text).map_err(|source| ResolveError::Markers {
        path: path.to_string(),
        source,
    })?;
    let opts = options_from_split(&split, policy);
    let version = |side: &'static str, v: &markers::Version| {
        let name = format!("{path} ({side})");
        Notebook::parse_keeping_raw(v.text.as_bytes(), &name)
            .map_err(|e| version_error(path, side, v, &split, &e))
    };
    let local = version("local", &split.local)?;
    let remote = version("remote", &split.remote)?;
    same_major(path, &local, &remote)?;
    let (lb, rb) = (split.local.text.as_bytes(), split.remote.text.as_bytes());
    let diff3_base = split.base.as_ref().and_then(|b| {
        Notebook::parse(b.text.as_bytes(), path)
            .ok()
            .filter(|nb| nb.major == local.major)
            .map(|_| b.text.as_bytes().to_vec())
    });
    let keep_all = matches!(opts.conflicts, ConflictPolicy::Mark | ConflictPolicy::Union);
    let mut tries = Vec::new();
    if let Some(b) = diff3_base {
        tries.push((b, BaseKind::Diff3));
    }
    tries.push((
        base::common_base(&local, &remote).to_bytes(),
        BaseKind::Common,
    ));
    let mut lost = 0;
    let mut fallback_note = None;
    // Why the last try gave no notebook, if one did not.
    let mut failure = None;
    for (base_bytes, kind) in tries {
        let mut opts = opts.clone();
        if kind != BaseKind::Diff3 {
            opts.style = ConflictStyle::Merge;
        }
        let outcome = merge_bytes(
            Inputs {
                base: (&base_bytes, path),
                local: (lb, path),
                remote: (rb, path),
            },
            &opts,
        );
        if let Some(why) = outcome.fallback {
            failure = Some(why);
            continue;
        }
        let result = match Notebook::parse(&outcome.bytes, path) {
            Ok(nb) => nb,
            Err(e) => {
                failure = Some(e.to_string());
                continue;
            }
        };
        lost = if keep_all {
            lost_lines(&local, &remote, &result)
        } else {
            0
        };
        if lost > 0 {
            fallback_note = Some(format!(
                "merging against the diff3 base would drop {lost} line(s) both versions have; merged against their common part instead"
            ));
            continue;
        }
        let mut notes = outcome.notes;
        notes.extend(fallback_note);
        return Ok(Merged {
            places: places(&result),
            bytes: outcome.bytes,
            conflicts: outcome.conflicts,
            notes,
            base: kind,
        });
    }
    // No try lost lines: they failed to give a notebook; say why rather
    // than claim a lost line.
    Err(match failure.filter(|_| lost == 0) {
        Some(why) => ResolveError::NotNotebooks {
            path: path.to_string(),
            why,
        },
        None => ResolveError::Lost {
            path: path.to_string(),
            count: lost,
        },
    })
}

/// The error for a rebuilt version that does not parse, pointing at the
/// line of the file it came from and the block around it.
fn version_error(
    path: &str,
    side: &'static str,
    v: &markers::Version,
    split: &Split,
    e: &LoadError,
) -> ResolveError {
    let (line, why) = match e {
        LoadError::Json { line, message, .. } => {
            (v.file_line(*line), format!("invalid JSON: {message}"))
        }
        LoadError::BadCell { cell, reason, .. } => (
            split.blocks.first().map_or(0, |b| b.start),
            format!("cell {cell}: {reason}"),
        ),
        other => {
            // Drop the name prefix the loader puts first.
            let text = other.to_string();
            let why = text
                .split_once(": ")
                .map_or(text.clone(), |(_, rest)| rest.to_string());
            (split.blocks.first().map_or(0, |b| b.start), why)
        }
    };
    let block = split
        .blocks
        .iter()
        .find(|b| b.start <= line && line <= b.end)
        .or_else(|| split.blocks.iter().rev().find(|b| b.end < line))
        .map(|b| {
            if b.start <= line && line <= b.end {
                format!("; in the conflict block at lines {}-{}", b.start, b.end)
            } else {
                format!("; after the conflict block at lines {}-{}", b.start, b.end)
            }
        })
        .unwrap_or_default();
    ResolveError::Version {
        path: path.to_string(),
        side,
        line,
        why,
        block,
    }
}

/// Source lines (without line endings; blank ones ignored) that both `local`
/// and `remote` have more often than `result` does.
pub fn lost_lines(local: &Notebook, remote: &Notebook, result: &Notebook) -> usize {
    use std::collections::HashMap;
    fn bag(nb: &Notebook) -> HashMap<String, usize> {
        let mut out = HashMap::new();
        for c in nb.cells() {
            for line in c.source().lines() {
                if !line.trim().is_empty() {
                    *out.entry(line.to_string()).or_insert(0) += 1;
                }
            }
        }
        out
    }
    let (l, r, have) = (bag(local), bag(remote), bag(result));
    l.iter()
        .map(|(line, &n)| {
            let both = n.min(r.get(line).copied().unwrap_or(0));
            both.saturating_sub(have.get(line).copied().unwrap_or(0))
        })
        .sum()
}

/// The conflicts recorded in a merged notebook (`metadata.nbdiff` of cells
/// and of the notebook), in order.
pub fn places(nb: &Notebook) -> Vec<Place> {
    let key = crate::merge::to_notebook::RECORD_KEY;
    let kinds = |record: Option<&Value>| -> Vec<String> {
        let list = record
            .and_then(|r| r.get("conflicts"))
            .and_then(Value::as_array);
        list.into_iter()
            .flatten()
            .filter_map(|c| match c.get("kind").and_then(Value::as_str)? {
                "field" => c.get("path").and_then(Value::as_str).map(str::to_string),
                kind => Some(kind.to_string()),
            })
            .collect()
    };
    let mut out = Vec::new();
    let root = kinds(nb.metadata().and_then(|m| m.get(key)));
    if !root.is_empty() {
        out.push(Place {
            cell: None,
            what: root,
        });
    }
    for (k, cell) in nb.cells().iter().enumerate() {
        let record = cell.metadata().and_then(|m| m.get(key));
        // Two versions of a cell are one conflict: named at local's version.
        let remote_version = record
            .and_then(|r| r.get("conflicts"))
            .and_then(Value::as_array)
            .is_some_and(|l| {
                l.iter()
                    .any(|c| c.get("version").and_then(Value::as_str) == Some("remote"))
            });
        if remote_version {
            continue;
        }
        let mut what = kinds(record);
        if record.and_then(|r| r.get("marker")).and_then(Value::as_str) == Some("start") {
            what.push("inserted on both sides".into());
        }
        if !what.is_empty() {
            out.push(Place {
                cell: Some(k + 1),
                what,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BROKEN: &str = include_str!("../../fixtures/bad/conflict-markers.ipynb");

    #[test]
    fn default_style_blocks_merge_against_the_common_part() {
        let m = merge_markers(BROKEN.as_bytes(), "nb.ipynb", &Options::default()).unwrap();
        assert_eq!(m.base, BaseKind::Common);
        // The source line both sides changed stays a conflict in its cell.
        assert_eq!(m.conflicts, 1);
        // Named at local's version, after the notice.
        assert_eq!(m.places.len(), 1);
        assert_eq!(m.places[0].cell, Some(4));
        let nb = Notebook::parse(&m.bytes, "out").unwrap();
        let notice = nb.cells()[2].source().into_owned();
        assert!(
            notice.contains("`<<<<<<< HEAD`") && notice.contains("`branch`"),
            "{notice}"
        );
        assert!(!String::from_utf8_lossy(&m.bytes).contains("\\u0000"));
    }

    #[test]
    fn a_diff3_base_that_is_not_a_notebook_falls_back_to_the_common_part() {
        let with_base = BROKEN.replace("=======\n", "||||||| base\n    not json {{\n=======\n");
        let split = markers::parse(&with_base).unwrap();
        assert!(split.base.is_some());
        let m = merge_markers(with_base.as_bytes(), "nb.ipynb", &Options::default()).unwrap();
        assert_eq!(m.base, BaseKind::Common);
        assert_eq!(m.conflicts, 1);
        let nb = Notebook::parse(&m.bytes, "out").unwrap();
        let source = nb.cells()[2].source().into_owned();
        assert!(
            !source.contains("|||||||"),
            "no base section from a built base: {source}"
        );
    }

    #[test]
    fn a_version_that_is_not_json_is_refused_with_the_file_line() {
        // Drop the local side's closing quote on the first block's last line.
        let broken = BROKEN.replacen("03.226156Z\"\n=======", "03.226156Z\n=======", 1);
        assert_ne!(broken, BROKEN);
        let e = merge_markers(broken.as_bytes(), "nb.ipynb", &Options::default()).unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("nb.ipynb: line "), "{text}");
        assert!(
            text.contains("local version") && text.contains("conflict block at lines 38-"),
            "{text}"
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_refused_with_their_line_and_side() {
        let text = b"[\n<<<<<<< a\n1\n=======\n\"\xff\"\n>>>>>>> b\n]\n";
        let e = merge_markers(text, "nb.ipynb", &Options::default()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "nb.ipynb: line 5: the remote version rebuilt from the conflict blocks is not a notebook (not valid UTF-8)"
        );
    }

    #[test]
    fn versions_of_different_nbformat_majors_are_refused() {
        let text = "{\n \"metadata\": {},\n<<<<<<< a\n \"cells\": [],\n \"nbformat\": 4,\n=======\n \"worksheets\": [{\"cells\": []}],\n \"nbformat\": 3,\n>>>>>>> b\n \"nbformat_minor\": 0\n}\n";
        let e = merge_markers(text.as_bytes(), "nb.ipynb", &Options::default()).unwrap_err();
        assert!(
            matches!(
                e,
                ResolveError::Versions {
                    local: 4,
                    remote: 3,
                    ..
                }
            ),
            "{e}"
        );
        assert!(
            e.to_string().starts_with(
                "nb.ipynb: the two versions have different nbformat versions (4 and 3)"
            ),
            "{e}"
        );
    }

    #[test]
    fn added_on_both_sides_merges_stages_without_a_base() {
        let split = markers::parse(BROKEN).unwrap();
        let (l, r) = (split.local.text.as_bytes(), split.remote.text.as_bytes());
        let m = merge_stages(None, l, r, "nb.ipynb", &Options::default()).unwrap();
        assert_eq!(m.base, BaseKind::Common);
        assert_eq!(m.conflicts, 1);
        let e = merge_stages(None, b"not json", r, "nb.ipynb", &Options::default()).unwrap_err();
        assert!(matches!(e, ResolveError::NotNotebooks { .. }), "{e}");
    }
}

/// A line of the working-tree file that none of the index stages has: the
/// user's own edit, made since git wrote the file (marker lines and blank
/// lines aside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandLine {
    /// 1-based line of the file.
    pub line: usize,
    /// The line, without its ending.
    pub text: String,
}

/// The lines of `current` that none of `stages` has (compared without line
/// endings and trailing blanks). git's line merge writes only lines of the
/// stages and markers, so these are edits made by hand. Linear in the bytes.
pub fn hand_edits(current: &[u8], stages: &[&[u8]]) -> Vec<HandLine> {
    use std::collections::HashSet;
    fn key(line: &[u8]) -> &[u8] {
        let end = line
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(0, |p| p + 1);
        &line[..end]
    }
    let known: HashSet<&[u8]> = stages
        .iter()
        .flat_map(|s| s.split(|&b| b == b'\n'))
        .map(key)
        .collect();
    let is_marker = |l: &[u8]| {
        [b'<', b'|', b'=', b'>'].iter().any(|&c| {
            l.len() >= markers::MIN_MARKER && l[..markers::MIN_MARKER].iter().all(|&b| b == c)
        })
    };
    current
        .split(|&b| b == b'\n')
        .enumerate()
        .filter_map(|(n, line)| {
            let k = key(line);
            (!k.is_empty() && !is_marker(k) && !known.contains(k)).then(|| HandLine {
                line: n + 1,
                text: String::from_utf8_lossy(k).into_owned(),
            })
        })
        .collect()
}

/// The first of `hand` that `result` (a merged notebook) does not keep: a
/// line holding a JSON string (a source or output line) must have its text
/// in one of the result's strings; any other line must appear as it is
/// (trimmed, without a trailing comma) in the result's text.
pub fn first_dropped<'a>(hand: &'a [HandLine], result: &[u8]) -> Option<&'a HandLine> {
    use std::collections::HashSet;
    let text = String::from_utf8_lossy(result);
    let Ok(value) = serde_json::from_slice::<Value>(result) else {
        return hand.first();
    };
    fn strings<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
        match v {
            Value::String(s) => out.push(s),
            Value::Array(items) => items.iter().for_each(|x| strings(x, out)),
            Value::Object(m) => m.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    strings(&value, &mut all);
    // Every line of every string, without its ending.
    let lines: HashSet<&str> = all
        .iter()
        .flat_map(|s| s.split('\n'))
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    hand.iter().find(|h| {
        let t = h.text.trim();
        let t = t.strip_suffix(',').unwrap_or(t).trim_end();
        if t.len() >= 2 && t.starts_with('"') && t.ends_with('"') {
            match serde_json::from_str::<String>(t) {
                Ok(s) => {
                    let s = s.strip_suffix('\n').unwrap_or(&s);
                    let s = s.strip_suffix('\r').unwrap_or(s);
                    !s.split('\n').all(|l| lines.contains(l))
                }
                Err(_) => !text.contains(t),
            }
        } else {
            !text.contains(t)
        }
    })
}

/// The conflicts of the unmerged notebook `path` for the HTML report: the
/// working-tree file when it is a notebook with conflicts (the merge
/// driver's result), else the merge of the index stages (as `resolve`
/// would write it); with the base (stage 1) for the base column. `None`
/// when the path is not unmerged or nothing is a notebook.
pub fn conflict_view(repo: &gix::Repository, path: &str) -> Option<(Notebook, Option<Notebook>)> {
    use gix::bstr::ByteSlice;
    let u = stages::unmerged(repo)
        .ok()?
        .into_iter()
        .find(|u| u.path.as_bstr() == path.as_bytes().as_bstr())?;
    let read = |id| stages::blob(repo, id, u.path.as_bstr()).ok();
    let base_bytes = u.base.and_then(read);
    let base = base_bytes
        .as_deref()
        .and_then(|b| Notebook::parse(b, path).ok());
    let working = repo
        .workdir()
        .and_then(|w| {
            crate::notebook::read_bounded(&w.join(stages::os_path(u.path.as_bstr()))).ok()
        })
        .and_then(|b| Notebook::parse(&b, path).ok())
        .filter(crate::render::conflict_html::has_conflicts);
    if let Some(nb) = working {
        return Some((nb, base));
    }
    let (ours, theirs) = (read(u.ours?)?, read(u.theirs?)?);
    let labels = stages::state_labels(repo);
    let mut opts = Options::default();
    opts.labels.take_found(&labels);
    let merged = merge_stages(base_bytes.as_deref(), &ours, &theirs, path, &opts).ok()?;
    Some((Notebook::parse(&merged.bytes, path).ok()?, base))
}
