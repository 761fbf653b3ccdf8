//! Comparing the outputs of two versions of a cell.
//!
//! Outputs are aligned by index when the counts match, otherwise by a diff
//! of output hashes; then each changed pair is compared by kind: text-like
//! content as a line diff, images and other binary data as summaries.

use super::image::{
    compare_pixels, is_base64_mime, is_binary_mime, same_payload, summarize, ImageInfo, PixelChange,
};
use super::json_paths::{changes, JsonChange};
use super::lines::TextDiff;
use super::options::DiffOptions;
use crate::notebook::{join_text, Output, OutputKind};
use crate::policy::Scope;
use crate::text::line_diff::OpKind;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::hash::Hasher;

/// What changed in one output position.
#[derive(Debug, Clone)]
pub struct OutputChange<'a> {
    /// 0-based index in the old cell's outputs (`None`: added).
    pub old_index: Option<usize>,
    /// 0-based index in the new cell's outputs (`None`: removed).
    pub new_index: Option<usize>,
    /// A short description of the output: `stream stdout`, `error`, a MIME type.
    pub label: String,
    /// The changed parts.
    pub parts: Vec<OutputPart<'a>>,
    /// A DataFrame (`text/html` holding a pandas table) on both sides whose
    /// HTML changed: the two tables compared ([`super::table`]).
    pub table: Option<super::table::TableChange>,
}

/// One changed part of an output.
#[derive(Debug, Clone)]
pub enum OutputPart<'a> {
    /// Text content (stream text, traceback, a text MIME type) as a line diff.
    Text {
        /// What the text is: `text`, `traceback`, or the MIME type.
        what: String,
        /// The line diff.
        diff: TextDiff<'a>,
    },
    /// Binary content (images, PDF): summaries of both sides.
    Binary {
        /// The MIME type.
        mime: String,
        /// The old data, if any.
        old: Option<ImageInfo>,
        /// The new data, if any.
        new: Option<ImageInfo>,
        /// Both sides decoded to images of one size: what their pixels say.
        pixels: Option<PixelChange>,
    },
    /// Any other field (metadata, stream name, execution count).
    Field(JsonChange<'a>),
}

/// Removes ANSI colour sequences (SGR: `ESC [ … m`) from output text; they
/// style a terminal and are not content. Other escape sequences are kept for
/// the renderer to show visibly. Borrows when there are none.
pub fn strip_ansi(text: &str) -> Cow<'_, str> {
    if !text.contains('\x1b') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        let seq = &rest[at..];
        let sgr_len = seq.strip_prefix("\x1b[").and_then(|body| {
            let end = body.find(|c: char| !(c.is_ascii_digit() || c == ';' || c == ':'))?;
            (body.as_bytes()[end] == b'm').then_some(2 + end + 1)
        });
        match sgr_len {
            Some(n) => rest = &seq[n..],
            None => {
                out.push('\x1b');
                rest = &seq[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Keys of an output object ignored under `opts`.
fn ignored_key(key: &str, opts: &DiffOptions) -> bool {
    (opts.ignore_metadata && key == "metadata") || opts.hides(Scope::Output, key)
}

/// Equality of two outputs modulo the ignored fields.
pub fn outputs_equal(a: &Map<String, Value>, b: &Map<String, Value>, opts: &DiffOptions) -> bool {
    if a == b {
        return true;
    }
    let keys_a = a.iter().filter(|(k, _)| !ignored_key(k, opts));
    let keys_b = b.iter().filter(|(k, _)| !ignored_key(k, opts)).count();
    let mut n = 0;
    for (k, v) in keys_a {
        n += 1;
        if b.get(k) != Some(v) {
            return false;
        }
    }
    n == keys_b
}

fn output_hash(o: &Output<'_>, opts: &DiffOptions) -> u64 {
    let mut h = crate::hash::FastHasher::default();
    for (k, v) in o.map {
        if !ignored_key(k, opts) {
            h.write(k.as_bytes());
            crate::hash::hash_value(v, &mut h);
        }
    }
    h.finish()
}

/// Compares two output lists; only changed positions are returned.
pub fn compare<'a>(
    old: &[Output<'a>],
    new: &[Output<'a>],
    opts: &DiffOptions,
) -> Vec<OutputChange<'a>> {
    let mut out = Vec::new();
    let pair = |i: Option<usize>, j: Option<usize>, out: &mut Vec<OutputChange<'a>>| {
        let a = i.map(|i| old[i]);
        let b = j.map(|j| new[j]);
        if let (Some(a), Some(b)) = (a, b) {
            if outputs_equal(a.map, b.map, opts) {
                return;
            }
        }
        let change = describe(a, b, opts, i, j);
        if !change.parts.is_empty() {
            out.push(change);
        }
    };
    if old.len() == new.len() {
        for k in 0..old.len() {
            pair(Some(k), Some(k), &mut out);
        }
        return out;
    }
    let hashes_a: Vec<u64> = old.iter().map(|o| output_hash(o, opts)).collect();
    let hashes_b: Vec<u64> = new.iter().map(|o| output_hash(o, opts)).collect();
    // The same sequence diff (git's Myers) pairs outputs for `--json`
    // (`nbdime::diff_lists`), so both formats pair them alike.
    for op in crate::text::line_diff::diff_lines(&hashes_a, &hashes_b) {
        if op.kind == OpKind::Equal {
            continue;
        }
        let (ra, rb) = (op.old, op.new);
        let (mut i, mut j) = (ra.start, rb.start);
        while i < ra.end || j < rb.end {
            let same_type =
                i < ra.end && j < rb.end && old[i].output_type() == new[j].output_type();
            if same_type {
                pair(Some(i), Some(j), &mut out);
                i += 1;
                j += 1;
            } else if i < ra.end {
                pair(Some(i), None, &mut out);
                i += 1;
            } else {
                pair(None, Some(j), &mut out);
                j += 1;
            }
        }
    }
    out
}

/// A short description of an output: `stream stdout`, `error`, or the main MIME type.
pub fn label(o: &Output<'_>) -> String {
    match o.kind() {
        OutputKind::Stream => format!("stream {}", o.stream_name().unwrap_or("")),
        OutputKind::Error => "error".into(),
        OutputKind::ExecuteResult | OutputKind::DisplayData => {
            let data = o.data();
            let pick = |pred: &dyn Fn(&str) -> bool| {
                data.iter()
                    .find(|(m, _)| pred(m))
                    .map(|(m, _)| m.to_string())
            };
            pick(&|m| m.starts_with("image/"))
                .or_else(|| pick(&|m| m == "text/html"))
                .or_else(|| pick(&|m| m == "text/plain"))
                .or_else(|| data.first().map(|(m, _)| m.to_string()))
                .unwrap_or_else(|| o.output_type().to_string())
        }
        OutputKind::Other => o.output_type().to_string(),
    }
}

fn error_text<'a>(o: &Output<'a>) -> Cow<'a, str> {
    match o.error() {
        Some((head, tb)) => {
            let mut s = head;
            for line in tb {
                s.push('\n');
                s.push_str(line);
            }
            Cow::Owned(strip_ansi(&s).into_owned())
        }
        None => Cow::Borrowed(""),
    }
}

/// Replaces the execution count IPython writes into tracebacks
/// (`Cell In[7], line 4`; older `<ipython-input-7-…>`) by `_`: it changes on
/// every run, like the cell's own execution count.
pub fn forget_execution_counts(text: &str) -> Cow<'_, str> {
    const MARKS: [&str; 2] = ["Cell In[", "<ipython-input-"];
    if !MARKS.iter().any(|m| text.contains(m)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, mark)) = MARKS
        .iter()
        .filter_map(|m| rest.find(m).map(|i| (i, *m)))
        .min_by_key(|(i, _)| *i)
    {
        let after = at + mark.len();
        out.push_str(&rest[..after]);
        let digits = rest[after..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - after);
        if digits > 0 {
            out.push('_');
        }
        rest = &rest[after + digits..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn text_cow(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => strip_ansi(s),
        Cow::Owned(s) => Cow::Owned(strip_ansi(&s).into_owned()),
    }
}

/// The text form of a MIME value: joined lines, or pretty JSON.
fn mime_text(value: Option<&Value>) -> Cow<'_, str> {
    match value {
        None | Some(Value::String(_)) => join_text(value),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => join_text(value),
        Some(other) => Cow::Owned(serde_json::to_string_pretty(other).unwrap_or_default()),
    }
}

fn describe<'a>(
    a: Option<Output<'a>>,
    b: Option<Output<'a>>,
    opts: &DiffOptions,
    old_index: Option<usize>,
    new_index: Option<usize>,
) -> OutputChange<'a> {
    let ws = opts.ignore_whitespace;
    let shown = b.or(a).map(|o| label(&o)).unwrap_or_default();
    let mut parts = Vec::new();
    let mut table = None;
    let kind = b.or(a).map(|o| o.kind()).unwrap_or(OutputKind::Other);
    let empty = Cow::Borrowed("");
    match kind {
        OutputKind::Stream => {
            let ta = a.map_or(empty.clone(), |o| text_cow(o.text()));
            let tb = b.map_or(empty.clone(), |o| text_cow(o.text()));
            if ta != tb {
                let diff = TextDiff::new(ta, tb, ws);
                if !diff.is_unchanged() {
                    parts.push(OutputPart::Text {
                        what: "text".into(),
                        diff,
                    });
                }
            }
        }
        OutputKind::Error => {
            let ta = a.map_or(empty.clone(), |o| error_text(&o));
            let tb = b.map_or(empty.clone(), |o| error_text(&o));
            let same_modulo_counts = opts.hides(Scope::Output, "execution_count")
                && forget_execution_counts(&ta) == forget_execution_counts(&tb);
            if ta != tb && !same_modulo_counts {
                let diff = TextDiff::new(ta, tb, ws);
                if !diff.is_unchanged() {
                    parts.push(OutputPart::Text {
                        what: "traceback".into(),
                        diff,
                    });
                }
            }
        }
        _ => {
            let da = a.map(|o| o.data()).unwrap_or_default();
            let db = b.map(|o| o.data()).unwrap_or_default();
            let mut mimes: Vec<&Cow<'a, str>> = da.iter().map(|(m, _)| m).collect();
            for (m, _) in &db {
                if !mimes.contains(&m) {
                    mimes.push(m);
                }
            }
            let get = |d: &[(Cow<'a, str>, &'a Value)], m: &str| {
                d.iter().find(|(k, _)| k == m).map(|(_, v)| *v)
            };
            for m in mimes {
                let (va, vb) = (get(&da, m), get(&db, m));
                if va == vb {
                    continue;
                }
                // Re-wrapped base64 of the same bytes is not a change; with
                // --show-all it shows as "same image, re-encoded".
                let reencoded = matches!((va, vb), (Some(x), Some(y)) if is_base64_mime(m) && same_payload(x, y));
                if reencoded && !opts.show_all {
                    continue;
                }
                if is_binary_mime(m) {
                    // Decoded, the same pixels are no change either (the
                    // encoder changed, not the picture): shown with -a.
                    let pixels = match (va, vb) {
                        (Some(x), Some(y)) if !reencoded => compare_pixels(m, x, y),
                        _ => None,
                    };
                    if pixels == Some(PixelChange::Same) && !opts.show_all {
                        continue;
                    }
                    parts.push(OutputPart::Binary {
                        mime: m.to_string(),
                        old: va.map(|v| summarize(m, v)),
                        new: vb.map(|v| summarize(m, v)),
                        pixels,
                    });
                } else {
                    let diff = TextDiff::new(text_cow(mime_text(va)), text_cow(mime_text(vb)), ws);
                    if !diff.is_unchanged() {
                        if m == "text/html" && va.is_some() && vb.is_some() {
                            table = super::table::compare(&diff.old, &diff.new);
                        }
                        parts.push(OutputPart::Text {
                            what: m.to_string(),
                            diff,
                        });
                    }
                }
            }
        }
    }
    // Other fields, only when both sides exist (a whole added output is its content).
    if let (Some(a), Some(b)) = (a, b) {
        let mut fields = Vec::new();
        let ignored = |path: &str| -> bool {
            let key = path.split(['.', '[']).next().unwrap_or("");
            ignored_key(key, opts)
        };
        for (k, va) in a.map {
            if is_content_key(k) {
                continue;
            }
            let mut path = String::new();
            super::json_paths::push_key(&mut path, k);
            changes(&mut path, Some(va), b.map.get(k), &ignored, &mut fields);
        }
        for (k, vb) in b.map {
            if !a.map.contains_key(k) && !is_content_key(k) {
                let mut path = String::new();
                super::json_paths::push_key(&mut path, k);
                changes(&mut path, None, Some(vb), &ignored, &mut fields);
            }
        }
        parts.extend(fields.into_iter().map(OutputPart::Field));
    }
    OutputChange {
        old_index,
        new_index,
        label: shown,
        parts,
        table,
    }
}

/// Keys whose content is compared as text or binary parts above.
fn is_content_key(k: &str) -> bool {
    matches!(
        k,
        "text"
            | "data"
            | "traceback"
            | "ename"
            | "evalue"
            | "html"
            | "svg"
            | "png"
            | "jpeg"
            | "latex"
            | "json"
            | "javascript"
            | "markdown"
            | "pdf"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_colours_are_stripped_other_escapes_kept() {
        assert_eq!(
            strip_ansi("\x1b[0;31mValueError\x1b[0m: x"),
            "ValueError: x"
        );
        assert_eq!(strip_ansi("\x1b]0;title\x07"), "\x1b]0;title\x07");
        assert_eq!(strip_ansi("a\x1b[2Jb\x1b["), "a\x1b[2Jb\x1b[");
    }

    #[test]
    fn traceback_execution_counts_are_forgotten() {
        assert_eq!(
            forget_execution_counts("Cell In[16], line 4\n<ipython-input-3-abc>"),
            "Cell In[_], line 4\n<ipython-input-_-abc>"
        );
    }
}
