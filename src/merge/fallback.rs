//! The plain whole-file line merge used when an input is not a notebook we can
//! merge: the same result as `git merge-file` with the same labels and marker
//! size, on the raw bytes.

use super::options::{ConflictPolicy, Options};
use crate::text::merge3::{Favor, MarkerStyle};

/// The result of a line merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMerge {
    /// The merged file, with conflict markers where conflicts remain.
    pub bytes: Vec<u8>,
    /// Number of conflict regions left.
    pub conflicts: usize,
}

/// Merges three files line by line, as `git merge-file` does.
pub fn line_merge(base: &[u8], local: &[u8], remote: &[u8], opts: &Options) -> LineMerge {
    let all_utf8 = [base, local, remote]
        .iter()
        .all(|b| std::str::from_utf8(b).is_ok());
    // Without loss: UTF-8 when all three are, otherwise each byte as one
    // char (Latin-1), so that line splitting and equality work on any bytes.
    let decode = |b: &[u8]| -> String {
        match std::str::from_utf8(b) {
            Ok(s) if all_utf8 => s.to_string(),
            _ => b.iter().map(|&x| char::from(x)).collect(),
        }
    };
    let (b, l, r) = (decode(base), decode(local), decode(remote));
    let favor = match opts.conflicts {
        ConflictPolicy::Mark => Favor::Mark,
        ConflictPolicy::Ours => Favor::Ours,
        ConflictPolicy::Theirs => Favor::Theirs,
        ConflictPolicy::Union => Favor::Union,
    };
    let m = opts.style.merge3(&b, &l, &r, favor);
    let style = MarkerStyle {
        size: opts.marker_size,
        local_label: &opts.labels.local,
        base_label: Some(&opts.labels.base),
        remote_label: &opts.labels.remote,
        diff3: opts.style.shows_base(),
    };
    let text = m.render(&style);
    let bytes = if all_utf8 {
        text.into_bytes()
    } else {
        // Every char is below 256 (bytes and ASCII markers/labels); labels
        // outside Latin-1 are written as '?'.
        text.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
            .collect()
    };
    LineMerge {
        bytes,
        conflicts: m.conflict_count(),
    }
}
