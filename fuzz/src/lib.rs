//! The properties the fuzz targets assert, one function per target, so that
//! a crash input can be replayed outside libFuzzer (`tests/io_safety.rs`
//! reads the inputs kept in `tests/fuzz_crashes/`) and every target shares
//! one input format.
//!
//! Input format: the files of a case separated by NUL bytes (a NUL never
//! occurs in a notebook's JSON text): `OLD\0NEW` for a diff, `BASE\0LOCAL\0REMOTE`
//! for a merge, optionally followed by `\0` and one byte choosing options.
//! `fuzz/seed` builds the seed corpora from `fixtures/` in this format.

use nbdiff::diff::{diff_notebooks, DiffOptions};
use nbdiff::merge::{merge_bytes, ConflictPolicy, Inputs, Options, OutputsPolicy};
use nbdiff::notebook::{parse_many, Notebook};
use std::collections::HashMap;

/// Splits `data` at NUL bytes into `n` parts (missing parts are empty) and
/// the byte after the `n`-th NUL (0 when absent), which chooses options.
pub fn split(data: &[u8], n: usize) -> (Vec<&[u8]>, u8) {
    let mut parts: Vec<&[u8]> = data.splitn(n + 1, |&b| b == 0).collect();
    let knob = if parts.len() > n {
        parts
            .pop()
            .and_then(|rest| rest.first().copied())
            .unwrap_or(0)
    } else {
        0
    };
    parts.resize(n, &[]);
    (parts, knob)
}

// ------------------------------------------------------------ (a) round trip

/// Parse → write → parse: when a file parses, what nbdiff writes parses too,
/// to the same value, and writing that again gives the same bytes (the
/// writer's output is a fixed point). Both writers (style, cell-reusing).
pub fn roundtrip(data: &[u8]) {
    let Ok(nb) = Notebook::parse_keeping_raw(data, "fuzz.ipynb") else {
        return;
    };
    let style = |n: &Notebook| n.to_bytes();
    let reusing = |n: &Notebook| n.to_bytes_reusing(&[n]);
    let writers: [(&str, &dyn Fn(&Notebook) -> Vec<u8>); 2] =
        [("style", &style), ("cell-reusing", &reusing)];
    for (writer, write) in writers {
        let bytes = write(&nb);
        let again = match Notebook::parse_keeping_raw(&bytes, "written.ipynb") {
            Ok(a) => a,
            Err(e) => panic!("{writer} writer wrote a file that does not parse: {e}"),
        };
        assert!(
            again.root == nb.root,
            "{writer} writer changed the notebook's value"
        );
        assert_eq!(again.major, nb.major);
        // The same writer again: a hand-formatted cell the cell-reusing
        // writer copied verbatim is not something the style writer makes.
        assert!(
            write(&again) == bytes,
            "{writer} writer's output is not a fixed point of parse → write"
        );
    }
}

// ------------------------------------------------------- (b) diff + renderers

/// True for a character that must never reach a terminal raw: C0 controls
/// (but `\n` and `\t`), DEL, C1 controls, bidirectional formatting
/// characters, and invisible characters that make two different lines look
/// the same (zero-width spaces and joiners, word joiner, BOM, line and
/// paragraph separators, soft hyphen, invisible operators).
pub fn unsafe_char(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n' && c != '\t')
        || (0x7f..=0x9f).contains(&u)
        || matches!(
            c,
            '\u{061c}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{feff}'
                | '\u{00ad}'
        )
}

/// Removes the renderer's own SGR colour codes (`ESC [ digits;… m`).
fn strip_sgr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let params = after
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(after.len());
        if after[params..].starts_with('m') {
            rest = &after[params + 1..];
        } else {
            // Not SGR: keep the ESC so that the check below reports it.
            out.push('\x1b');
            rest = &rest[at + 1..];
        }
    }
    out.push_str(rest);
    out
}

/// Panics when `bytes` (what `what` wrote) holds anything a terminal would
/// interpret: every output is UTF-8 with no control byte but newline and tab
/// (and, when `color`, SGR colour codes).
pub fn assert_terminal_safe(what: &str, bytes: &[u8], color: bool) {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => panic!("{what}: output is not UTF-8: {e}"),
    };
    let text = if color {
        strip_sgr(text)
    } else {
        text.to_string()
    };
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| unsafe_char(c)) {
        let context: String = text[at..].chars().take(30).collect();
        panic!("{what}: raw U+{:04X} at byte {at}: {context:?}", c as u32);
    }
}

/// `--json`: valid JSON, and no raw C1 control or bidi/invisible character
/// (serde escapes C0; nbdiff must escape the rest as `\u009b`).
pub fn assert_json_safe(bytes: &[u8]) {
    if let Err(e) = serde_json::from_slice::<serde_json::Value>(bytes) {
        panic!("--json wrote invalid JSON: {e}");
    }
    assert_terminal_safe("--json", bytes, false);
}

/// Diffs two inputs through every renderer: the terminal diff with and
/// without colour (several option sets), `--stat`, `--json`, `show` of each
/// side, and the git driver (which falls back to a line diff for files that
/// are not notebooks). Nothing may reach the output raw.
pub fn diff_render(data: &[u8]) {
    let (parts, knob) = split(data, 2);
    let (a_bytes, b_bytes) = (parts[0], parts[1]);
    for (side, bytes) in [("old", a_bytes), ("new", b_bytes)] {
        let shown = nbdiff::git::show::render_bytes(bytes, side);
        assert_terminal_safe("show", shown.as_bytes(), false);
    }
    for color in [false, true] {
        let mut out = Vec::new();
        let opts = nbdiff::compare::Request {
            render: nbdiff::render::RenderOptions {
                color,
                ..Default::default()
            },
            one_of_many: true,
            ..Default::default()
        };
        let format = if knob & 1 != 0 {
            nbdiff::render::DiffFormat::StatCells
        } else {
            nbdiff::render::DiffFormat::Terminal
        };
        let header = nbdiff::git::header::FileHeader {
            old_path: "x\x1b]0;t\x07.ipynb".into(),
            new_path: "y\u{202e}.ipynb".into(),
            extended: Vec::new(),
        };
        let mut sink =
            nbdiff::compare::Sink::Pairs(nbdiff::render::PairFormat::Diff(format), &mut out);
        let _ = nbdiff::git::driver::diff_paths(
            &header,
            Some(a_bytes),
            Some(b_bytes),
            &opts,
            &mut sink,
        );
        assert_terminal_safe("diff-driver", &out, color);
    }
    let (Ok(a), Ok(b)) = (
        Notebook::parse(a_bytes, "old.ipynb"),
        Notebook::parse(b_bytes, "new.ipynb"),
    ) else {
        return;
    };
    let option_sets = [
        DiffOptions::default(),
        DiffOptions {
            ignore_whitespace: true,
            ignore_ids: knob & 2 != 0,
            show_all: true,
            ignore_outputs: knob & 4 != 0,
            ignore_metadata: knob & 8 != 0,
            ..DiffOptions::default()
        },
    ];
    for opts in option_sets {
        let d = diff_notebooks(&a, &b, &opts);
        for (color, outputs, context) in [
            (false, nbdiff::render::terminal::OutputMode::Summary, 3),
            (true, nbdiff::render::terminal::OutputMode::Full, 0),
            (false, nbdiff::render::terminal::OutputMode::Full, 1),
        ] {
            let topts = nbdiff::render::terminal::TerminalOptions {
                color,
                context,
                outputs,
                old_name: "a\x1b[2J.ipynb".into(),
                new_name: "b\u{9b}.ipynb".into(),
            };
            let mut out = Vec::new();
            nbdiff::render::terminal::render(&d, &topts, &mut out).expect("write to a Vec");
            assert_terminal_safe("terminal", &out, color);
        }
        let mut out = Vec::new();
        nbdiff::render::stat::render(&d, &mut out).expect("write to a Vec");
        assert_terminal_safe("--stat", &out, false);
        report_render(&d, knob);
        if a.root == b.root {
            assert!(d.is_empty(), "diff of equal notebooks is not empty");
        }
    }
    let j = nbdiff::diff::nbdime::diff(&a, &b);
    let mut out = Vec::new();
    nbdiff::render::nbdime_json::render(&j, &mut out).expect("write to a Vec");
    assert_json_safe(&out);
}

#[path = "../../tests/support/inert.rs"]
mod inert;

/// `--html` and `--markdown`: the HTML report passes the same inertness
/// check as `tests/report.rs` (no element, handler or URL that runs or
/// fetches anything); the Markdown report, rendered as CommonMark, has no
/// tag but its own, and no raw control or bidi character (the zero-width
/// space it puts after `@` and `#` on purpose aside).
fn report_render(d: &nbdiff::diff::NotebookDiff<'_>, knob: u8) {
    use nbdiff::render::review::{Report, ReportFormat};
    let context = usize::from(knob >> 4);
    let mut html = Report::new(ReportFormat::Html, context, knob & 2 != 0, None);
    html.add("a\u{202e}<b>.ipynb", d);
    html.note("note <script>x</script> \x1b]0;t\x07");
    let mut out = Vec::new();
    html.finish(&mut out).expect("write to a Vec");
    let page = std::str::from_utf8(&out).expect("the HTML report is UTF-8");
    inert::assert_html_inert(page, "--html");
    let max_bytes = if knob & 4 != 0 { Some(2000) } else { None };
    let mut md = Report::new(ReportFormat::Markdown, context, knob & 2 != 0, max_bytes);
    md.add("a\u{202e}<b>.ipynb", d);
    let mut out = Vec::new();
    md.finish(&mut out).expect("write to a Vec");
    let text = std::str::from_utf8(&out).expect("the Markdown report is UTF-8");
    if let Some((at, c)) = text
        .char_indices()
        .find(|&(_, c)| c != '\u{200b}' && unsafe_char(c))
    {
        panic!("--markdown: raw U+{:04X} at byte {at}", c as u32);
    }
    let mut rendered = String::new();
    pulldown_cmark::html::push_html(&mut rendered, pulldown_cmark::Parser::new(text));
    if let Err(e) = inert::check_markdown_report(&rendered) {
        panic!("--markdown renders to {e}");
    }
}

// ------------------------------------------------------------ (c) merge

fn options(knob: u8) -> Options {
    Options {
        outputs: [
            OutputsPolicy::Auto,
            OutputsPolicy::Local,
            OutputsPolicy::Remote,
            OutputsPolicy::Clear,
            OutputsPolicy::Conflict,
        ][usize::from(knob % 5)],
        conflicts: [
            ConflictPolicy::Mark,
            ConflictPolicy::Union,
            ConflictPolicy::Ours,
            ConflictPolicy::Theirs,
        ][usize::from((knob / 5) % 4)],
        style: [
            nbdiff::merge::ConflictStyle::Merge,
            nbdiff::merge::ConflictStyle::Diff3,
            nbdiff::merge::ConflictStyle::Zdiff3,
        ][usize::from((knob >> 6) % 3)],
        marker_size: 7 + usize::from((knob / 20) % 3),
        ..Options::default()
    }
}

fn merge(b: &[u8], l: &[u8], r: &[u8], opts: &Options) -> nbdiff::merge::Outcome {
    merge_bytes(
        Inputs {
            base: (b, "base.ipynb"),
            local: (l, "local.ipynb"),
            remote: (r, "remote.ipynb"),
        },
        opts,
    )
}

/// How often each line occurs in the cell sources (line endings dropped).
fn source_lines(nb: &Notebook) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for c in nb.cells() {
        for l in c.source().split_inclusive('\n') {
            let l = l.strip_suffix('\n').unwrap_or(l);
            *out.entry(l.strip_suffix('\r').unwrap_or(l).to_string())
                .or_default() += 1;
        }
    }
    out
}

/// How often each line occurs in a text (line endings kept).
fn text_lines(bytes: &[u8]) -> HashMap<&[u8], usize> {
    let mut out = HashMap::new();
    for l in bytes.split_inclusive(|&b| b == b'\n') {
        *out.entry(l).or_default() += 1;
    }
    out
}

/// Lines (keys of `l`) that both sides kept at least once more than the base
/// had, yet are missing from `out`: LOCAL deleted at most B − L of the base's
/// occurrences and REMOTE at most B − R, so when L + R > B one survives both.
fn lost<K: std::hash::Hash + Eq + Clone + Ord>(
    b: &HashMap<K, usize>,
    l: &HashMap<K, usize>,
    r: &HashMap<K, usize>,
    out: &HashMap<K, usize>,
) -> Vec<K> {
    let mut lost: Vec<K> = l
        .iter()
        .filter(|(line, &nl)| {
            let nr = r.get(*line).copied().unwrap_or(0);
            let nb = b.get(*line).copied().unwrap_or(0);
            nr > 0 && nl + nr > nb && !out.contains_key(*line)
        })
        .map(|(line, _)| line.clone())
        .collect();
    lost.sort();
    lost
}

/// The three-way merge: never panics; a valid notebook when all three inputs
/// are notebooks it merges (and nbdiff reads back what it wrote); no line
/// both sides kept is lost; merge(B, L, B) == L and merge(B, X, X) == X byte
/// for byte — also through the notebook merge itself, which `merge_bytes`'s
/// byte shortcuts would otherwise hide.
pub fn merge3(data: &[u8]) {
    let (parts, knob) = split(data, 3);
    let (b, l, r) = (parts[0], parts[1], parts[2]);
    let opts = options(knob);
    let out = merge(b, l, r, &opts);
    assert!(merge(b, l, b, &opts).bytes == l, "merge(B, L, B) != L");
    assert!(merge(b, r, r, &opts).bytes == r, "merge(B, X, X) != X");
    let keeps_both = matches!(opts.conflicts, ConflictPolicy::Mark | ConflictPolicy::Union);
    let parsed = parse_many([(b, "b"), (l, "l"), (r, "r")], true);
    let [Ok(nb), Ok(nl), Ok(nr)] = parsed else {
        // A line merge: no line both sides kept is lost.
        assert!(out.fallback.is_some() || b == l || b == r || l == r);
        if keeps_both && out.fallback.is_some() {
            let missing = lost(
                &text_lines(b),
                &text_lines(l),
                &text_lines(r),
                &text_lines(&out.bytes),
            );
            // A last line without newline may come back with one added
            // before a marker; compare those without their endings.
            let missing: Vec<_> = missing
                .into_iter()
                .filter(|m| {
                    m.last() == Some(&b'\n') || !out.bytes.windows(m.len()).any(|w| w == *m)
                })
                .collect();
            assert!(
                missing.is_empty(),
                "line merge lost lines: {:?}",
                missing
                    .iter()
                    .map(|m| String::from_utf8_lossy(m))
                    .collect::<Vec<_>>()
            );
        }
        return;
    };
    if !(nb.major == nl.major && nl.major == nr.major) {
        return;
    }
    if b != l && b != r && l != r {
        assert!(
            out.fallback.is_none(),
            "three notebooks fell back to a line merge: {:?}",
            out.fallback
        );
    }
    let merged = match Notebook::parse(&out.bytes, "merged.ipynb") {
        Ok(m) => m,
        Err(e) => panic!("the merge of three notebooks does not parse: {e}"),
    };
    assert_eq!(merged.major, nl.major, "the merge changed nbformat");
    if keeps_both {
        let missing = lost(
            &source_lines(&nb),
            &source_lines(&nl),
            &source_lines(&nr),
            &source_lines(&merged),
        );
        assert!(missing.is_empty(), "merge lost source lines: {missing:?}");
    }
    // The notebook merge itself, without the byte shortcuts: merging a side
    // with an unchanged side gives that side's bytes back wherever the
    // writer's round trip is byte-identical.
    // (Only for sides with valid ids: the notebook merge adds the ids
    // nbformat 4.5 requires, replaces ids nbformat rejects and makes
    // duplicates unique; see tests/io_safety.rs, fuzz_merge3_a_side_with_a_missing_id…
    // and fuzz_merge3_an_invalid_cell_id….)
    // Ids are checked in every version: the merge makes any ids present
    // unique and valid, also where nbformat does not require them (< 4.5).
    let ids_valid = |n: &Notebook| {
        let mut seen = std::collections::HashSet::new();
        let required = (n.major, n.minor) >= (4, 5);
        n.cells().iter().all(|c| match c.id() {
            None => !required,
            Some(id) => {
                !id.is_empty()
                    && id.len() <= 64
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                    && seen.insert(id.to_string())
            }
        })
    };
    // And only for sides that have the one cell list nbformat requires: the
    // notebook merge writes one (`"cells": []` where a side had none; a v3
    // notebook's cells in its one worksheet; see tests/io_safety.rs,
    // fuzz_merge3_a_side_without_a_cell_list….)
    let one_cell_list = |n: &Notebook| {
        let has_cells = |m: &serde_json::Map<String, serde_json::Value>| {
            m.get("cells").is_some_and(serde_json::Value::is_array)
        };
        if n.is_v3() {
            n.root
                .get("worksheets")
                .and_then(serde_json::Value::as_array)
                .is_some_and(|ws| ws.len() == 1 && ws[0].as_object().is_some_and(|w| has_cells(w)))
        } else {
            has_cells(&n.root)
        }
    };
    for (x, nx) in [(l, &nl), (r, &nr)] {
        if nx.to_bytes_reusing(&[nx]) != x
            || !ids_valid(nx)
            || !ids_valid(&nb)
            || !one_cell_list(nx)
            || !one_cell_list(&nb)
        {
            continue;
        }
        let result = nbdiff::merge::merge_notebooks(&nb, nx, &nb, &opts);
        assert_eq!(result.conflict_count(), 0, "merge(B, X, B) has conflicts");
        let written =
            nbdiff::merge::to_notebook::render(result, nx, &opts).to_bytes_reusing(&[nx, &nb, &nb]);
        assert!(written == x, "notebook merge(B, X, B) != X");
        let result = nbdiff::merge::merge_notebooks(&nb, nx, nx, &opts);
        assert_eq!(result.conflict_count(), 0, "merge(B, X, X) has conflicts");
        let written =
            nbdiff::merge::to_notebook::render(result, nx, &opts).to_bytes_reusing(&[nx, nx, &nb]);
        assert!(written == x, "notebook merge(B, X, X) != X");
    }
}

// ------------------------------------------------------- (d) line merge

/// The plain-text fallback against `git merge-file`'s semantics:
/// merge(B, L, B) == L, merge(B, B, R) == R, merge(B, X, X) == X, no line
/// both sides kept is lost, a clean merge has no markers it did not get.
/// With `NBDIFF_FUZZ_GIT=1`, also byte-identical to `git merge-file -p`
/// (slow: one git process per input).
pub fn line_merge(data: &[u8]) {
    let (parts, knob) = split(data, 3);
    let (b, l, r) = (parts[0], parts[1], parts[2]);
    let opts = Options {
        conflicts: if knob & 1 != 0 {
            ConflictPolicy::Union
        } else {
            ConflictPolicy::Mark
        },
        ..Options::default()
    };
    let lm = |b: &[u8], l: &[u8], r: &[u8]| nbdiff::merge::fallback::line_merge(b, l, r, &opts);
    let same = lm(b, l, b);
    assert!(
        same.bytes == l && same.conflicts == 0,
        "line merge(B, L, B) != L"
    );
    let same = lm(b, b, r);
    assert!(
        same.bytes == r && same.conflicts == 0,
        "line merge(B, B, R) != R"
    );
    let same = lm(b, r, r);
    assert!(
        same.bytes == r && same.conflicts == 0,
        "line merge(B, X, X) != X"
    );
    let out = lm(b, l, r);
    let missing = lost(
        &text_lines(b),
        &text_lines(l),
        &text_lines(r),
        &text_lines(&out.bytes),
    );
    let missing: Vec<_> = missing
        .into_iter()
        .filter(|m| m.last() == Some(&b'\n') || !out.bytes.windows(m.len()).any(|w| w == *m))
        .collect();
    assert!(
        missing.is_empty(),
        "line merge lost lines: {:?}",
        missing
            .iter()
            .map(|m| String::from_utf8_lossy(m))
            .collect::<Vec<_>>()
    );
    if out.conflicts == 0 && opts.conflicts == ConflictPolicy::Mark {
        let markers = |t: &[u8]| {
            t.split(|&c| c == b'\n')
                .filter(|line| line.starts_with(b"<<<<<<<") || line.starts_with(b">>>>>>>"))
                .count()
        };
        assert!(
            markers(&out.bytes) <= markers(l) + markers(r) + markers(b),
            "a clean line merge wrote markers"
        );
    }
    if std::env::var_os("NBDIFF_FUZZ_GIT").is_some() && opts.conflicts == ConflictPolicy::Mark {
        if let Some((git_bytes, git_conflicts)) = git_merge_file(b, l, r) {
            assert_eq!(
                out.conflicts.min(127),
                git_conflicts,
                "conflict count differs from git"
            );
            assert!(
                out.bytes == git_bytes,
                "line merge differs from git merge-file:\nours: {:?}\ngit:  {:?}",
                String::from_utf8_lossy(&out.bytes),
                String::from_utf8_lossy(&git_bytes)
            );
        }
    }
}

/// `git merge-file -p -L local -L base -L remote` on the three texts: the
/// result and the conflict count (git's exit code), or `None` when git
/// cannot run.
fn git_merge_file(b: &[u8], l: &[u8], r: &[u8]) -> Option<(Vec<u8>, usize)> {
    let dir = std::env::temp_dir().join(format!("nbdiff-fuzz-git-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let files = [("l", l), ("b", b), ("r", r)];
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).ok()?;
    }
    let out = std::process::Command::new("git")
        .current_dir(&dir)
        .args([
            "merge-file",
            "-p",
            "-L",
            "local",
            "-L",
            "base",
            "-L",
            "remote",
            "l",
            "b",
            "r",
        ])
        .env_clear()
        .env("PATH", std::env::var_os("PATH")?)
        .output()
        .ok()?;
    let code = out.status.code()?;
    if code < 0 || code > 127 {
        return None;
    }
    Some((out.stdout, code as usize))
}

// ------------------------------------------------------ (e) resolve's marker parser

/// True when some line of `text` starts with seven of one marker character:
/// such a line is content the marker parser would take for a marker (the
/// parser relies on JSON never starting a line that way).
fn has_marker_like_line(text: &str) -> bool {
    text.split('\n').any(|line| {
        ['<', '|', '=', '>']
            .iter()
            .any(|&c| line.chars().take(7).filter(|&x| x == c).count() == 7)
    })
}

/// `rebuilt` is `text`, or `text` with a line end added at the end: git's
/// markers each sit on their own line, so a conflict side that ended the
/// file without a newline gets one.
fn same_but_added_eol(rebuilt: &str, text: &str) -> bool {
    rebuilt == text
        || (!text.ends_with('\n')
            && rebuilt
                .strip_prefix(text)
                .is_some_and(|end| end == "\n" || end == "\r\n"))
}

/// `nbdiff resolve`'s marker parser and rebuild:
/// - on any text: parsing never panics; a split's versions keep, for each
///   line, a file line that is in the file and increasing; the cell-level
///   merge of the versions never panics and, when it succeeds, writes a
///   notebook nbdiff reads back;
/// - on a file the line merge wrote with markers (`BASE\0LOCAL\0REMOTE[\0K]`,
///   any marker size and conflict style): the parser finds exactly the
///   conflicts the merge reported, of the marker size and style written, and
///   rebuilds local's and remote's versions as the merge resolved with
///   `--ours` and `--theirs`.
pub fn resolve_markers(data: &[u8]) {
    use nbdiff::resolve::markers;
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(split) = markers::parse(text) {
            let file_lines = nbdiff::text::lines::split_lines(text).len();
            assert!(!split.blocks.is_empty(), "a split without blocks");
            for v in [Some(&split.local), Some(&split.remote), split.base.as_ref()]
                .into_iter()
                .flatten()
            {
                assert_eq!(
                    v.origin.len(),
                    nbdiff::text::lines::split_lines(&v.text).len(),
                    "one origin per rebuilt line"
                );
                assert!(v.origin.windows(2).all(|w| w[0] < w[1]), "origins increase");
                assert!(
                    v.origin.iter().all(|&o| o >= 1 && o <= file_lines),
                    "origins are lines of the file"
                );
            }
        }
        if let Ok(merged) = nbdiff::resolve::merge_markers(data, "fuzz.ipynb", &Options::default())
        {
            if let Err(e) = Notebook::parse(&merged.bytes, "resolved.ipynb") {
                panic!("resolve wrote a notebook nbdiff cannot read: {e}");
            }
        }
    }

    let (parts, knob) = split(data, 3);
    let (Ok(b), Ok(l), Ok(r)) = (
        std::str::from_utf8(parts[0]),
        std::str::from_utf8(parts[1]),
        std::str::from_utf8(parts[2]),
    ) else {
        return;
    };
    if [b, l, r].iter().any(|t| has_marker_like_line(t)) {
        return;
    }
    let style = [
        nbdiff::merge::ConflictStyle::Merge,
        nbdiff::merge::ConflictStyle::Diff3,
        nbdiff::merge::ConflictStyle::Zdiff3,
    ][usize::from(knob % 3)];
    let size = markers::MIN_MARKER + usize::from((knob / 3) % 4);
    let with = |conflicts| Options {
        conflicts,
        style,
        marker_size: size,
        ..Options::default()
    };
    let line_merge = |conflicts| {
        nbdiff::merge::fallback::line_merge(
            b.as_bytes(),
            l.as_bytes(),
            r.as_bytes(),
            &with(conflicts),
        )
    };
    let marked = line_merge(ConflictPolicy::Mark);
    let text = String::from_utf8(marked.bytes).expect("a merge of UTF-8 texts is UTF-8");
    match markers::parse(&text) {
        Err(markers::MarkerError::NoMarkers) if marked.conflicts == 0 => {}
        Err(e) => panic!(
            "the parser rejects what the line merge wrote ({} conflicts): {e}",
            marked.conflicts
        ),
        Ok(split) => {
            assert_eq!(
                split.blocks.len(),
                marked.conflicts,
                "the parser finds a different number of conflicts than the merge wrote"
            );
            for block in &split.blocks {
                assert_eq!(block.size, size, "marker size");
                assert_eq!(block.has_base, style.shows_base(), "base section");
            }
            let ours = String::from_utf8(line_merge(ConflictPolicy::Ours).bytes).unwrap();
            let theirs = String::from_utf8(line_merge(ConflictPolicy::Theirs).bytes).unwrap();
            assert!(
                same_but_added_eol(&split.local.text, &ours),
                "local's version is not the merge resolved --ours:\n{:?}\n{ours:?}",
                split.local.text
            );
            assert!(
                same_but_added_eol(&split.remote.text, &theirs),
                "remote's version is not the merge resolved --theirs:\n{:?}\n{theirs:?}",
                split.remote.text
            );
        }
    }
}
// Targets for `check`, the clean filter and the Markdown report as GFM renders it.

// ------------------------------------------------------------ (f) check

/// `nbdiff check` with every rule: on the input as a notebook, and on the
/// input as the Python source of a cell that also printed it (a stream
/// output). Never panics or overflows the stack (deep Python is reported,
/// not parsed); every finding's file line is within the file; every format
/// renders (text terminal-safe, JSON and SARIF valid JSON, GitHub one
/// workflow command per line); a secret finding never shows the secret's
/// middle (the input's own 24-character windows are looked for).
pub fn check(data: &[u8]) {
    use nbdiff::check::{check_notebook_noting, Options, Rule};
    let (parts, knob) = split(data, 1);
    let bytes = parts[0];
    let opts = Options {
        rules: Rule::ALL.to_vec(),
        max_output_bytes: 64 + usize::from(knob) * 64,
        base_dir: None,
    };
    if let Ok(nb) = Notebook::parse(bytes, "f.ipynb") {
        let (findings, _) = check_notebook_noting(&nb, bytes, "f.ipynb", &opts);
        check_findings(&findings, bytes, None);
    }
    let text = String::from_utf8_lossy(bytes);
    let synthetic = serde_json::to_string_pretty(&serde_json::json!({
        "cells": [{"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {},
                   "outputs": [{"name": "stdout", "output_type": "stream", "text": text}],
                   "source": text}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }))
    .expect("serialize");
    let nb = Notebook::parse(synthetic.as_bytes(), "s.ipynb").expect("a valid notebook");
    let (findings, _) = check_notebook_noting(&nb, synthetic.as_bytes(), "s.ipynb", &opts);
    check_findings(&findings, synthetic.as_bytes(), Some(&text));
}

fn check_findings(findings: &[nbdiff::check::Finding], raw: &[u8], secret_text: Option<&str>) {
    use nbdiff::check::render::{write, Format};
    let lines = raw.iter().filter(|&&b| b == b'\n').count() + 1;
    for f in findings {
        assert!(
            (1..=lines).contains(&f.location.file_line),
            "file line {} of {lines}: {f:?}",
            f.location.file_line
        );
        // A secret's middle never shows: a 24-character window of a token
        // found (alphanumeric, from the input) is not in the message.
        if let (Some(text), nbdiff::check::Rule::Secret) = (secret_text, f.rule) {
            for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
                if word.len() >= 32 && f.message.contains(&word[4..28]) {
                    panic!("secret shown: {}", f.message);
                }
            }
        }
    }
    for format in [Format::Text, Format::Json, Format::Github, Format::Sarif] {
        let mut out = Vec::new();
        write(&mut out, format, findings, 1).expect("write to a Vec");
        match format {
            Format::Text => assert_terminal_safe("check", &out, false),
            Format::Json | Format::Sarif => {
                serde_json::from_slice::<serde_json::Value>(&out).expect("valid JSON");
            }
            Format::Github => {
                let s = std::str::from_utf8(&out).expect("UTF-8");
                assert!(s.lines().all(|l| l.starts_with("::")), "{s}");
                assert_eq!(s.lines().count(), findings.len());
            }
        }
    }
}

// ------------------------------------------------------------ (g) clean

/// `clean` and git's long-running filter (`filter-process`). The input as
/// a raw packet stream never panics `serve`. The input as a file: a
/// notebook cleans into a notebook with the same cells, cell types and
/// sources (content never lost) and cleaning again changes nothing; what is
/// not a notebook passes through byte for byte. Through `serve` (a whole
/// protocol session, content split into packets), git gets exactly what
/// `clean` gives.
pub fn clean_filter(data: &[u8]) {
    use nbdiff::clean::{process, CleanOptions, Cleaner, Keep};
    let defaults = |_: &std::path::Path| -> Result<Cleaner, String> {
        Ok(Cleaner::with_defaults(CleanOptions::default()))
    };
    let _ = process::serve(&defaults, &mut &data[..], &mut Vec::new(), &mut Vec::new());

    let (parts, knob) = split(data, 1);
    let bytes = parts[0];
    let keep = |bit: u8| {
        if knob & bit != 0 {
            Keep::Keep
        } else {
            Keep::Strip
        }
    };
    let options = CleanOptions {
        outputs: keep(1),
        execution_counts: keep(2),
    };
    let cleaner = Cleaner::with_defaults(options);
    let expected: Vec<u8> = match cleaner.clean(bytes, "x.ipynb") {
        Err(_) => bytes.to_vec(),
        Ok(c) => match c.bytes {
            None => bytes.to_vec(),
            Some(out) => {
                let before = Notebook::parse(bytes, "before").expect("it cleaned, so it parses");
                let after = Notebook::parse(&out, "after").expect("clean writes a notebook");
                let (a, b) = (before.cells(), after.cells());
                assert_eq!(a.len(), b.len(), "cells lost");
                for (x, y) in a.iter().zip(b.iter()) {
                    assert_eq!(x.cell_type(), y.cell_type());
                    assert_eq!(x.source(), y.source(), "a source changed");
                }
                let again = cleaner.clean(&out, "again").expect("reads back");
                assert!(again.bytes.is_none(), "cleaning twice changes more");
                out
            }
        },
    };
    // A whole session, as git runs it (the command layer would resolve
    // the folder's settings; here they are `options`).
    let opts = |_: &std::path::Path| -> Result<Cleaner, String> { Ok(Cleaner::with_defaults(options)) };
    let mut session = Vec::new();
    for l in ["git-filter-client", "version=2"] {
        pkt(&mut session, format!("{l}\n").as_bytes());
    }
    session.extend_from_slice(b"0000");
    for l in ["capability=clean", "capability=smudge"] {
        pkt(&mut session, format!("{l}\n").as_bytes());
    }
    session.extend_from_slice(b"0000");
    for l in ["command=clean", "pathname=/nonexistent-nbdiff-fuzz/x.ipynb"] {
        pkt(&mut session, format!("{l}\n").as_bytes());
    }
    session.extend_from_slice(b"0000");
    for chunk in bytes.chunks(65516) {
        pkt(&mut session, chunk);
    }
    session.extend_from_slice(b"0000");
    let mut reply = Vec::new();
    process::serve(&opts, &mut &session[..], &mut reply, &mut Vec::new()).expect("a valid session");
    let packets = read_pkts(&reply);
    // Server hello, flush, capabilities, flush, status, flush, content, flush, flush.
    let mut groups = packets.split(|p| p.is_none());
    let _hello = groups.next();
    let _caps = groups.next();
    let status = groups.next().expect("a status");
    assert_eq!(status, [Some(b"status=success\n".to_vec())]);
    let content: Vec<u8> = groups
        .next()
        .expect("content")
        .iter()
        .flat_map(|p| p.clone().unwrap_or_default())
        .collect();
    assert!(content == expected, "filter-process and clean disagree");
}

fn pkt(out: &mut Vec<u8>, payload: &[u8]) {
    out.extend_from_slice(format!("{:04x}", payload.len() + 4).as_bytes());
    out.extend_from_slice(payload);
}

/// pkt-lines: `Some(payload)` or `None` for a flush.
fn read_pkts(mut b: &[u8]) -> Vec<Option<Vec<u8>>> {
    let mut out = Vec::new();
    while b.len() >= 4 {
        let len =
            usize::from_str_radix(std::str::from_utf8(&b[..4]).expect("hex"), 16).expect("hex");
        if len == 0 {
            out.push(None);
            b = &b[4..];
            continue;
        }
        out.push(Some(b[4..len].to_vec()));
        b = &b[len..];
    }
    out
}

// ------------------------------------------------------------ (h) Markdown as GitHub renders it

/// The `--markdown` report of `OLD\0NEW\0PATH`, rendered as GitHub renders
/// a comment (CommonMark with GFM's autolink, table and strikethrough
/// extensions, by comrak): no link, image or raw tag but the report's own,
/// and no `@mention` or `#reference` outside code blocks, whatever the
/// path, cell text, cell types and MIME labels hold.
pub fn markdown_gfm(data: &[u8]) {
    use nbdiff::render::review::{Report, ReportFormat};
    let (parts, knob) = split(data, 3);
    let (Ok(a), Ok(b)) = (
        Notebook::parse(parts[0], "old.ipynb"),
        Notebook::parse(parts[1], "new.ipynb"),
    ) else {
        return;
    };
    let path = String::from_utf8_lossy(parts[2]);
    let opts = DiffOptions {
        show_all: knob & 1 != 0,
        ..DiffOptions::default()
    };
    let d = diff_notebooks(&a, &b, &opts);
    let mut md = Report::new(
        ReportFormat::Markdown,
        usize::from(knob >> 4),
        knob & 1 != 0,
        None,
    );
    md.add(&path, &d);
    md.note(&path);
    let mut out = Vec::new();
    md.finish(&mut out).expect("write to a Vec");
    let text = std::str::from_utf8(&out).expect("UTF-8");
    let mut o = comrak::Options::default();
    o.extension.autolink = true;
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.render.r#unsafe = true;
    let html = comrak::markdown_to_html(text, &o);
    if let Err(e) = inert::check_markdown_report(&html) {
        panic!("--markdown renders (GFM) to {e}");
    }
    // Real tags only: `href=` as escaped text inside a code block is inert
    // (and the inertness check above reads every tag's attributes).
    for bad in ["<a ", "<img"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    let mut outside = String::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<pre") {
        outside.push_str(&rest[..at]);
        rest = rest[at..].find("</pre>").map_or("", |e| &rest[at + e..]);
    }
    outside.push_str(rest);
    let b = outside.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if (c == b'@' || c == b'#') && b.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric()) {
            panic!(
                "a mention or reference: {:?}",
                String::from_utf8_lossy(&b[i.saturating_sub(20)..])
            );
        }
    }
}
