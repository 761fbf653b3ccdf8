//! Rename detection between deleted and added files, as `git diff` does it
//! by default (`diff.renames=true`):
//!
//! 1. exact renames first: a deleted and an added file with the same content
//!    (preferring the same file name when several match);
//! 2. then, among what is left, pairs whose similarity is at least 50%,
//!    best score first, each file used once.
//!
//! Similarity is git's estimate (`diffcore-delta.c`): each side is cut into
//! chunks ending at a newline or after 64 bytes, chunks are hashed, and the
//! bytes of the chunks both sides share (counted per hash, the smaller count)
//! are divided by the larger file's size. Pairs whose sizes differ too much to
//! reach the threshold are skipped without hashing. Like git's
//! `diff.renameLimit`, inexact detection is skipped when there are more than
//! `limit × limit` pairs to score, so the cost stays bounded.

use std::collections::HashMap;

/// git's default `diff.renameLimit` for `git diff`.
pub const DEFAULT_LIMIT: usize = 1000;

/// git's default minimum similarity, in percent.
pub const MIN_SCORE: u32 = 50;

/// A detected rename: indexes into the deleted and added lists, and the
/// similarity in percent (100 for an exact rename).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rename {
    /// Index of the deleted file.
    pub old: usize,
    /// Index of the added file.
    pub new: usize,
    /// Similarity in percent.
    pub score: u32,
}

/// One file to pair: its path (for the same-name preference) and content.
#[derive(Debug, Clone, Copy)]
pub struct File<'a> {
    /// The path, `/`-separated.
    pub path: &'a [u8],
    /// The content.
    pub bytes: &'a [u8],
}

fn basename(path: &[u8]) -> &[u8] {
    path.rsplit(|&b| b == b'/').next().unwrap_or(path)
}

/// Pairs deleted with added files; at most `limit × limit` inexact scores.
pub fn detect(deleted: &[File<'_>], added: &[File<'_>], limit: usize) -> Vec<Rename> {
    let mut out = Vec::new();
    let mut old_used = vec![false; deleted.len()];
    let mut new_used = vec![false; added.len()];

    // 1. Exact: same bytes.
    let mut by_content: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, f) in deleted.iter().enumerate() {
        by_content.entry(f.bytes).or_default().push(i);
    }
    for (j, f) in added.iter().enumerate() {
        let Some(candidates) = by_content.get_mut(f.bytes) else {
            continue;
        };
        let free = candidates.iter().position(|&i| !old_used[i]);
        let same_name = candidates
            .iter()
            .position(|&i| !old_used[i] && basename(deleted[i].path) == basename(f.path));
        if let Some(k) = same_name.or(free) {
            let i = candidates[k];
            old_used[i] = true;
            new_used[j] = true;
            out.push(Rename {
                old: i,
                new: j,
                score: 100,
            });
        }
    }

    // 2. Inexact, bounded like git's rename limit.
    let olds: Vec<usize> = (0..deleted.len()).filter(|&i| !old_used[i]).collect();
    let news: Vec<usize> = (0..added.len()).filter(|&j| !new_used[j]).collect();
    if olds.is_empty()
        || news.is_empty()
        || olds.len().saturating_mul(news.len()) > limit.saturating_mul(limit)
    {
        return out;
    }
    let old_chunks: Vec<Option<Chunks>> = olds.iter().map(|_| None).collect();
    let mut old_chunks = old_chunks;
    let mut scored = Vec::new();
    for &j in &news {
        let dst = added[j].bytes;
        let mut dst_chunks = None;
        for (k, &i) in olds.iter().enumerate() {
            let src = deleted[i].bytes;
            let (small, big) = (src.len().min(dst.len()), src.len().max(dst.len()));
            // The score is at most small / big: skip pairs that cannot reach it.
            if big == 0 || (small as u64) * 100 < u64::from(MIN_SCORE) * big as u64 {
                continue;
            }
            let a = old_chunks[k].get_or_insert_with(|| Chunks::of(src));
            let b = dst_chunks.get_or_insert_with(|| Chunks::of(dst));
            let score = a.shared_bytes(b) * 100 / big as u64;
            if score >= u64::from(MIN_SCORE) {
                scored.push((score as u32, i, j));
            }
        }
    }
    // Best score first; ties in path order (stable).
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
    for (score, i, j) in scored {
        if old_used[i] || new_used[j] {
            continue;
        }
        old_used[i] = true;
        new_used[j] = true;
        out.push(Rename {
            old: i,
            new: j,
            score: score.min(99),
        });
    }
    out
}

/// Bytes per chunk hash.
struct Chunks(HashMap<u64, u64>);

impl Chunks {
    fn of(bytes: &[u8]) -> Chunks {
        let mut map: HashMap<u64, u64> = HashMap::new();
        let mut start = 0;
        for (k, &b) in bytes.iter().enumerate() {
            if b == b'\n' || k + 1 - start == 64 {
                let chunk = &bytes[start..=k];
                *map.entry(crate::hash::fast_hash(0, chunk)).or_default() += chunk.len() as u64;
                start = k + 1;
            }
        }
        if start < bytes.len() {
            let chunk = &bytes[start..];
            *map.entry(crate::hash::fast_hash(0, chunk)).or_default() += chunk.len() as u64;
        }
        Chunks(map)
    }

    fn shared_bytes(&self, other: &Chunks) -> u64 {
        let (small, big) = if self.0.len() <= other.0.len() {
            (self, other)
        } else {
            (other, self)
        };
        small
            .0
            .iter()
            .map(|(h, n)| big.0.get(h).map_or(0, |m| (*n).min(*m)))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f<'a>(path: &'a str, bytes: &'a str) -> File<'a> {
        File {
            path: path.as_bytes(),
            bytes: bytes.as_bytes(),
        }
    }

    #[test]
    fn exact_then_similar_then_nothing() {
        let body: String = (0..20).map(|i| format!("line {i}\n")).collect();
        let edited = body.replace("line 3\n", "changed\n");
        let other: String = (0..20).map(|i| format!("other {i}\n")).collect();
        let deleted = [
            f("a/x.ipynb", &body),
            f("b.ipynb", &edited),
            f("c.ipynb", &other),
        ];
        let added = [
            f("new/y.ipynb", &edited),
            f("z/x.ipynb", &body),
            f("q.ipynb", "tiny\n"),
        ];
        let r = detect(&deleted, &added, DEFAULT_LIMIT);
        assert!(
            r.contains(&Rename {
                old: 0,
                new: 1,
                score: 100
            }),
            "{r:?}"
        );
        assert!(
            r.contains(&Rename {
                old: 1,
                new: 0,
                score: 100
            }),
            "{r:?}"
        );
        assert_eq!(r.len(), 2, "{r:?}");

        let similar = [f("s.ipynb", &body)];
        let r = detect(&similar, &[f("t.ipynb", &edited)], DEFAULT_LIMIT);
        assert_eq!(r.len(), 1);
        assert!((90..100).contains(&r[0].score), "{r:?}");
        assert!(detect(&similar, &[f("t.ipynb", &other)], DEFAULT_LIMIT).is_empty());
        // Over the limit: only exact renames.
        assert!(detect(&similar, &[f("t.ipynb", &edited)], 0).is_empty());
    }
}
