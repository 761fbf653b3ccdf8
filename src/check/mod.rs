//! `nbdiff check`: rules that catch what makes a notebook fail for the next
//! person — hidden execution-order dependencies, machine-bound paths, leaked
//! secrets, heavy or error outputs, and merge leftovers.
//!
//! The rules are values: [`check_notebook`] turns one parsed notebook into a
//! list of [`Finding`]s; [`render`] writes them as text, JSON, GitHub
//! workflow annotations or SARIF; `files.rs` lists the notebooks (git's
//! index, `.gitignore`); the command (`crate::cli::check`) reads the project
//! configuration and runs the rules in parallel over files. One file per rule family:
//!
//! | file | rules |
//! |---|---|
//! | `order.rs` | `out-of-order`, `partial-run` |
//! | `names.rs` (+ `python.rs`, `magics.rs`) | `use-before-define`, `undefined-name` (Python parsed with `rustpython-parser` in `python.rs`) |
//! | `paths.rs` | `absolute-path`, `missing-data-file` |
//! | `secrets.rs` | `secret` |
//! | `outputs.rs` | `large-output`, `error-output`, `outputs-present`, `conflict-leftover` |
//!
//! Every rule is listed in `docs/check.md` (a test keeps the two in step).
//! Findings never carry a secret: the `secret` rule stores a redacted form only.

pub mod deps;
pub(crate) mod files;
mod locate;
mod magics;
mod names;
mod order;
mod outputs;
mod paths;
mod python;
pub mod render;
mod secrets;

use crate::notebook::{Cell, Notebook};
pub use python::MAX_NESTING;
use serde_json::Value;
use std::path::Path;

/// How serious a finding is (GitHub annotation level, SARIF level).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The notebook is broken or leaks something.
    Error,
    /// Probably a problem; worth a look.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A rule: a stable code and name, and what it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// Execution counts not increasing down the notebook.
    OutOfOrder,
    /// Code cells without an execution count among cells with one.
    PartialRun,
    /// A name read at the top level of a cell is first bound in a later cell.
    UseBeforeDefine,
    /// A name read at the top level is bound nowhere in the notebook.
    UndefinedName,
    /// An absolute path into a user's home or one machine's layout.
    AbsolutePath,
    /// A relative data path that a cell reads does not exist.
    MissingDataFile,
    /// A token, key, password or private key in a source or output.
    Secret,
    /// An output larger than the threshold.
    LargeOutput,
    /// An error output (traceback) committed.
    ErrorOutput,
    /// Outputs present at all (opt-in).
    OutputsPresent,
    /// Conflict markers or nbdiff conflict records left in the notebook.
    ConflictLeftover,
}

impl Rule {
    /// Every rule, in code order.
    pub const ALL: [Rule; 11] = [
        Rule::OutOfOrder,
        Rule::PartialRun,
        Rule::UseBeforeDefine,
        Rule::UndefinedName,
        Rule::AbsolutePath,
        Rule::MissingDataFile,
        Rule::Secret,
        Rule::LargeOutput,
        Rule::ErrorOutput,
        Rule::OutputsPresent,
        Rule::ConflictLeftover,
    ];

    /// The stable code (`NB103`).
    pub fn code(self) -> &'static str {
        match self {
            Rule::OutOfOrder => "NB101",
            Rule::PartialRun => "NB102",
            Rule::UseBeforeDefine => "NB103",
            Rule::UndefinedName => "NB104",
            Rule::AbsolutePath => "NB201",
            Rule::MissingDataFile => "NB202",
            Rule::Secret => "NB301",
            Rule::LargeOutput => "NB401",
            Rule::ErrorOutput => "NB402",
            Rule::OutputsPresent => "NB403",
            Rule::ConflictLeftover => "NB501",
        }
    }

    /// The stable name (`use-before-define`).
    pub fn name(self) -> &'static str {
        match self {
            Rule::OutOfOrder => "out-of-order",
            Rule::PartialRun => "partial-run",
            Rule::UseBeforeDefine => "use-before-define",
            Rule::UndefinedName => "undefined-name",
            Rule::AbsolutePath => "absolute-path",
            Rule::MissingDataFile => "missing-data-file",
            Rule::Secret => "secret",
            Rule::LargeOutput => "large-output",
            Rule::ErrorOutput => "error-output",
            Rule::OutputsPresent => "outputs-present",
            Rule::ConflictLeftover => "conflict-leftover",
        }
    }

    /// One line on what the rule finds.
    pub fn summary(self) -> &'static str {
        match self {
            Rule::OutOfOrder => "execution counts do not increase down the notebook",
            Rule::PartialRun => "code cells without an execution count among cells with one",
            Rule::UseBeforeDefine => "a name is read before the cell that defines it",
            Rule::UndefinedName => "a name is read but defined nowhere in the notebook",
            Rule::AbsolutePath => "an absolute path into one user's home or machine",
            Rule::MissingDataFile => "a data file the notebook reads is not there",
            Rule::Secret => "a token, key or password in a source or output",
            Rule::LargeOutput => "an output larger than the threshold",
            Rule::ErrorOutput => "an error (traceback) output is committed",
            Rule::OutputsPresent => "outputs are committed (for teams that strip them)",
            Rule::ConflictLeftover => "merge conflict markers or records left in the notebook",
        }
    }

    /// The severity of its findings.
    pub fn severity(self) -> Severity {
        match self {
            Rule::PartialRun | Rule::MissingDataFile | Rule::LargeOutput | Rule::OutputsPresent => {
                Severity::Warning
            }
            _ => Severity::Error,
        }
    }

    /// On unless selected otherwise (`outputs-present` is opt-in).
    pub fn default_enabled(self) -> bool {
        self != Rule::OutputsPresent
    }

    /// The rule with this code or name (case-insensitive).
    pub fn parse(s: &str) -> Option<Rule> {
        let s = s.trim();
        Rule::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(s) || r.name().eq_ignore_ascii_case(s))
    }
}

/// Where in the notebook a finding is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// 0-based cell index (`None`: the notebook as a whole).
    pub cell: Option<usize>,
    /// 1-based line within the cell's source (`None`: not in the source).
    pub line: Option<usize>,
    /// 0-based output index within the cell, for findings in an output.
    pub output: Option<usize>,
    /// 1-based line in the `.ipynb` file (for annotations on a diff); filled
    /// in by [`check_notebook`] from the file's bytes, 1 when unknown.
    pub file_line: usize,
}

/// One problem found in one notebook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// The notebook, as given or found (relative to the working directory).
    pub path: String,
    /// Where.
    pub location: Location,
    /// What, for a human. Never holds a secret (redacted forms only); may
    /// hold notebook text, so renderers sanitize it.
    pub message: String,
}

/// Which rules run and their settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// The rules that run.
    pub rules: Vec<Rule>,
    /// `large-output` threshold in bytes (decoded text of one output).
    pub max_output_bytes: usize,
    /// The notebook's directory, to resolve relative data paths
    /// (`missing-data-file` is skipped when `None`).
    pub base_dir: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            rules: Rule::ALL
                .into_iter()
                .filter(|r| r.default_enabled())
                .collect(),
            max_output_bytes: DEFAULT_MAX_OUTPUT_BYTES,
            base_dir: None,
        }
    }
}

/// The default `large-output` threshold: 1 MB.
pub const DEFAULT_MAX_OUTPUT_BYTES: usize = 1_000_000;

impl Options {
    fn on(&self, rule: Rule) -> bool {
        self.rules.contains(&rule)
    }
}

/// A finding before it knows its file and file line (what rule modules return).
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub rule: Rule,
    pub cell: Option<usize>,
    pub line: Option<usize>,
    pub output: Option<usize>,
    pub message: String,
    /// Text of the finding as its output holds it, to find the file line
    /// (never rendered: for a secret, this is the secret).
    pub evidence: Option<String>,
}

impl Hit {
    pub(crate) fn cell(rule: Rule, cell: usize, line: Option<usize>, message: String) -> Hit {
        Hit {
            rule,
            cell: Some(cell),
            line,
            output: None,
            message,
            evidence: None,
        }
    }

    pub(crate) fn output(rule: Rule, cell: usize, output: usize, message: String) -> Hit {
        Hit {
            rule,
            cell: Some(cell),
            line: None,
            output: Some(output),
            message,
            evidence: None,
        }
    }

    /// The same finding, located by `evidence` within its output.
    pub(crate) fn at(mut self, evidence: &str) -> Hit {
        self.evidence = Some(evidence.to_string());
        self
    }
}

/// Runs the enabled rules on one notebook. `raw` is the file's bytes (for
/// `.ipynb` line numbers); `path` is how findings name the file. Findings
/// come back in cell order, suppressions (see [`suppressed`]) applied.
pub fn check_notebook(nb: &Notebook, raw: &[u8], path: &str, opts: &Options) -> Vec<Finding> {
    check_notebook_noting(nb, raw, path, opts).0
}

/// [`check_notebook`], and what could not be checked: one line per code
/// cell nested too deeply to parse (more than [`MAX_NESTING`] levels), whose
/// names the name rules then do not see. The command prints these as
/// errors for the file.
pub fn check_notebook_noting(
    nb: &Notebook,
    raw: &[u8],
    path: &str,
    opts: &Options,
) -> (Vec<Finding>, Vec<String>) {
    let cells = nb.cells();
    let mut hits = Vec::new();
    if opts.on(Rule::OutOfOrder) || opts.on(Rule::PartialRun) {
        order::check(&cells, opts, &mut hits);
    }
    let wants_names = opts.on(Rule::UseBeforeDefine)
        || opts.on(Rule::UndefinedName)
        || (opts.on(Rule::MissingDataFile) && opts.base_dir.is_some());
    let mut notes = Vec::new();
    let analysed = (wants_names && is_python(nb)).then(|| {
        let (analysed, too_deep) = python::analyse_cells(&cells);
        notes.extend(too_deep.into_iter().map(|i| {
            format!(
                "{path}: cell {}: nested more than {MAX_NESTING} levels deep, not parsed; \
                 names in it are not checked",
                i + 1
            )
        }));
        analysed
    });
    if let Some(analysed) = &analysed {
        names::check(&cells, analysed, opts, &mut hits);
    }
    if opts.on(Rule::AbsolutePath) || opts.on(Rule::MissingDataFile) {
        paths::check(&cells, analysed.as_deref(), opts, &mut hits);
    }
    if opts.on(Rule::Secret) {
        secrets::check(&cells, &mut hits);
    }
    outputs::check(nb, &cells, opts, &mut hits);

    let notebook_ignores = ignores(nb.metadata(), &[]);
    hits.retain(|h| opts.on(h.rule) && !notebook_ignores.matches(h.rule));
    hits.retain(|h| match h.cell.and_then(|i| cells.get(i)) {
        Some(cell) => !suppressed(cell, h.rule),
        None => true,
    });
    if hits.is_empty() {
        return (Vec::new(), notes);
    }
    hits.sort_by_key(|h| (h.cell.map_or(0, |c| c + 1), h.line, h.output, h.rule));
    let mut map = locate::LineMap::new(raw, nb.is_v3());
    let findings = hits
        .into_iter()
        .map(|h| Finding {
            location: Location {
                file_line: map.file_line(h.cell, h.line, h.output, h.evidence.as_deref()),
                cell: h.cell,
                line: h.line,
                output: h.output,
            },
            rule: h.rule,
            path: path.to_string(),
            message: h.message,
        })
        .collect();
    (findings, notes)
}

/// Name rules only apply to Python notebooks: a kernel or language that says
/// otherwise (R, Julia, …) turns them off; no information means Python.
pub(crate) fn is_python(nb: &Notebook) -> bool {
    let Some(meta) = nb.metadata() else {
        return true;
    };
    let lang = meta
        .get("kernelspec")
        .and_then(|k| k.get("language"))
        .or_else(|| meta.get("language_info").and_then(|l| l.get("name")))
        .and_then(Value::as_str);
    match lang {
        Some(l) => l.to_ascii_lowercase().starts_with("python"),
        None => true,
    }
}

/// The tag prefix that suppresses a rule in one cell: `nbdiff-ignore` (all
/// rules) or `nbdiff-ignore-<name or code>` (`nbdiff-ignore-secret`).
pub const IGNORE_TAG: &str = "nbdiff-ignore";

/// True when the cell suppresses `rule`: a tag `nbdiff-ignore` /
/// `nbdiff-ignore-<rule>`, or metadata `nbdiff.check.ignore` listing the
/// rule's name or code (or `"all"`).
pub fn suppressed(cell: &Cell<'_>, rule: Rule) -> bool {
    let tags: Vec<&str> = cell
        .metadata()
        .and_then(|m| m.get("tags"))
        .and_then(Value::as_array)
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    ignores(cell.metadata(), &tags).matches(rule)
}

struct Ignores {
    all: bool,
    rules: Vec<Rule>,
}

impl Ignores {
    fn matches(&self, rule: Rule) -> bool {
        self.all || self.rules.contains(&rule)
    }
}

fn ignores(meta: Option<&serde_json::Map<String, Value>>, tags: &[&str]) -> Ignores {
    let mut out = Ignores {
        all: false,
        rules: Vec::new(),
    };
    for tag in tags {
        if *tag == IGNORE_TAG {
            out.all = true;
        } else if let Some(rule) = tag
            .strip_prefix(IGNORE_TAG)
            .and_then(|r| r.strip_prefix('-'))
            .and_then(Rule::parse)
        {
            out.rules.push(rule);
        }
    }
    let listed = meta
        .and_then(|m| m.get("nbdiff"))
        .and_then(|n| n.get("check"))
        .and_then(|c| c.get("ignore"));
    match listed {
        Some(Value::Array(list)) => {
            for s in list.iter().filter_map(Value::as_str) {
                if s.eq_ignore_ascii_case("all") {
                    out.all = true;
                } else if let Some(rule) = Rule::parse(s) {
                    out.rules.push(rule);
                }
            }
        }
        Some(Value::String(s)) if s.eq_ignore_ascii_case("all") => out.all = true,
        Some(Value::String(s)) => out.rules.extend(Rule::parse(s)),
        _ => {}
    }
    out
}

/// The source of a cell split into lines (without their endings), as the
/// rules number them (1-based in findings).
pub(crate) fn source_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l))
}

/// Text outputs as (output index, decoded text) — stream text, `text/*` and
/// JSON data, error tracebacks — never images or other binary payloads.
pub(crate) fn output_texts<'a>(cell: &Cell<'a>) -> Vec<(usize, std::borrow::Cow<'a, str>)> {
    use crate::notebook::OutputKind;
    let mut out = Vec::new();
    for (i, o) in cell.outputs().iter().enumerate() {
        match o.kind() {
            OutputKind::Stream => out.push((i, o.text())),
            OutputKind::Error => {
                if let Some((head, tb)) = o.error() {
                    let mut s = head;
                    for line in tb {
                        s.push('\n');
                        s.push_str(line);
                    }
                    out.push((i, std::borrow::Cow::Owned(s)));
                }
            }
            _ => {
                for (mime, value) in o.data() {
                    if is_text_mime(&mime) {
                        let text = crate::notebook::join_text(Some(value));
                        out.push((i, text));
                    }
                }
            }
        }
    }
    out
}

/// `text/*` (HTML and SVG included: their embedded base64 payloads are
/// skipped by the scanners) and plain JSON; not images, not widget or
/// vendor bundles.
fn is_text_mime(mime: &str) -> bool {
    mime.starts_with("text/") || mime == "application/json"
}

/// Whether `path` names a notebook by its extension.
pub fn is_notebook_path(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "ipynb")
}
