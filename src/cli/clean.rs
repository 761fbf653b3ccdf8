//! The `nbdiff clean` command: a git clean filter (stdin → stdout), an
//! in-place cleaner (`nbdiff clean FILE…`, each file replaced atomically), and
//! a check (`--check` exits 1 when a file would change); and `nbdiff
//! filter-process`, git's long-running filter (`crate::clean::process`).
//!
//! Settings: `--outputs` and `--execution-counts` on the command line, else
//! `[tool.nbdiff.clean]` in the project file (`outputs = "strip"`,
//! `execution-counts = "keep"`), else outputs kept and counts stripped. What
//! is stripped besides is the policy table's `clean` column plus the user's
//! own paths (git config `nbdiff.ignore`, then the project file's `ignore`:
//! `super::settings::ignore`). [`cleaner_for`] resolves them once per folder,
//! here in the command layer, for `clean`, `filter-process` and the git
//! layer's view of the working tree alike.
//!
//! As a filter, input that is not a notebook (invalid JSON, conflict markers,
//! not UTF-8) is passed through unchanged with a warning on stderr and exit 0:
//! a clean filter must never lose what the user is adding. A configuration
//! that cannot be read whole (see [`cleaner_for`]) is
//! refused: exit 2, saying the notebook was NOT cleaned (git then stages it
//! as it is, or with `filter.nbdiff.required` refuses it); in place, the
//! file is left alone.

use crate::clean::process::{clean_or_pass, not_cleaned};
use crate::clean::{dir_of, options_for, Cleaner, Keep, Overrides};
use crate::exit::Exit;
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `nbdiff clean`.
#[derive(Debug, Clone, clap::Args)]
pub struct CleanArgs {
    /// Notebooks to clean in place. None: read a notebook on stdin and write
    /// it cleaned to stdout (a git clean filter).
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Change nothing; exit 1 when a notebook would change, naming it and
    /// what would be stripped.
    #[arg(long)]
    pub check: bool,
    /// Keep or strip outputs (default: keep, or `[tool.nbdiff.clean] outputs`).
    #[arg(long, value_enum, value_name = "keep|strip")]
    pub outputs: Option<Keep>,
    /// Keep or strip execution counts (default: strip, or
    /// `[tool.nbdiff.clean] execution-counts`).
    #[arg(long, value_enum, value_name = "keep|strip")]
    pub execution_counts: Option<Keep>,
    /// With stdin: the notebook's path (git's `%f`), for messages and to find
    /// the project configuration.
    #[arg(long, value_name = "PATH")]
    pub stdin_path: Option<PathBuf>,
}

impl CleanArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            outputs: self.outputs,
            execution_counts: self.execution_counts,
        }
    }
}

/// Arguments of `nbdiff filter-process` (git's `filter.nbdiff.process`).
#[derive(Debug, Clone, clap::Args)]
pub struct FilterProcessArgs {
    /// Keep or strip outputs (default: keep, or `[tool.nbdiff.clean] outputs`).
    #[arg(long, value_enum, value_name = "keep|strip")]
    pub outputs: Option<Keep>,
    /// Keep or strip execution counts (default: strip, or
    /// `[tool.nbdiff.clean] execution-counts`).
    #[arg(long, value_enum, value_name = "keep|strip")]
    pub execution_counts: Option<Keep>,
}

/// The cleaner for notebooks in `dir`: `overrides` (the command line's
/// `--outputs`, `--execution-counts`), else the project file found from
/// `dir`, else the defaults; the policy with the user's volatile paths (git
/// config `nbdiff.ignore`, then the project file's `ignore`). A
/// configuration that cannot be read whole is an error naming the file and
/// the entry (`clean` never strips less, or other, than the user asked): a
/// project file that is not valid TOML, a bad `[tool.nbdiff.clean]` value,
/// an `ignore` entry that cannot be ignored (there or in git config).
pub fn cleaner_for(overrides: &Overrides, dir: &Path) -> Result<Cleaner, String> {
    let project = crate::project::ProjectConfig::discover(dir);
    let options = options_for(overrides, &project)?;
    let policy = super::settings::ignore(dir, &project).policy_checked()?;
    Ok(Cleaner::new(&policy, options))
}

/// [`cleaner_for`] with the project file's clean options (no command line
/// overrides): as git's filter, configured by `config-git`, cleans. Handed
/// to the git layer, which compares working-tree notebooks cleaned.
pub fn filter_cleaner(dir: &Path) -> Result<Cleaner, String> {
    cleaner_for(&Overrides::default(), dir)
}

/// Runs `nbdiff clean`.
pub fn run(args: CleanArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    if args.files.is_empty() {
        let input = match crate::notebook::read_stream_bounded(&mut std::io::stdin().lock()) {
            Ok(input) => input,
            Err(e) => {
                let _ = writeln!(err, "nbdiff clean: cannot read stdin: {e}");
                return Exit::Error;
            }
        };
        return run_filter(&args, &input, out, err);
    }
    run_files(&args, out, err)
}

/// Cleans `input` (a notebook read from stdin) onto `out`. Bad input is
/// written back unchanged, with a warning; with `--check` it is an error.
pub fn run_filter(
    args: &CleanArgs,
    input: &[u8],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Exit {
    let path = args
        .stdin_path
        .clone()
        .unwrap_or_else(|| PathBuf::from("<stdin>"));
    let name = path.display().to_string();
    let dir = match &args.stdin_path {
        Some(p) => dir_of(p),
        None => PathBuf::from("."),
    };
    let cleaner = match cleaner_for(&args.overrides(), &dir) {
        Ok(c) => c,
        Err(e) if args.check => {
            let shown = format!("{name}: not checked: {e}");
            let shown = crate::render::sanitize::visible(&shown);
            let _ = writeln!(err, "nbdiff clean: {shown}");
            return Exit::Error;
        }
        Err(e) => {
            // As git's filter: git stages the input as it is (unless
            // filter.nbdiff.required), so say so.
            let _ = writeln!(err, "{}", not_cleaned(&name, &e));
            return Exit::Error;
        }
    };
    if args.check {
        return match cleaner.check(input, &name) {
            Ok(cleaned) if cleaned.plan.is_empty() => Exit::Ok,
            Ok(cleaned) => {
                let _ = writeln!(err, "{name}: would strip {}", cleaned.plan.summary());
                Exit::Differences
            }
            Err(e) => {
                let _ = writeln!(err, "nbdiff clean: {e}");
                Exit::Error
            }
        };
    }
    let cleaned = clean_or_pass(&cleaner, input, &name, err);
    let written = out
        .write_all(cleaned.as_deref().unwrap_or(input))
        .and_then(|()| out.flush());
    crate::exit::after_write(written, Exit::Ok, err)
}

/// What happened to one file.
enum Outcome {
    Clean,
    Cleaned(String),
    WouldClean(String),
    Failed(String),
}

fn clean_file(args: &CleanArgs, cleaner: &Result<Cleaner, String>, path: &Path) -> Outcome {
    let name = path.display().to_string();
    let cleaner = match cleaner {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(format!("{name}: not cleaned: {e}")),
    };
    if args.check {
        // --check writes nothing: the cleaned bytes are not made, and each
        // worker reads every file into one buffer it keeps.
        thread_local! {
            static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        return BUFFER.with_borrow_mut(|bytes| {
            match crate::notebook::read_bounded_into(path, bytes) {
                Ok(()) => outcome(args, cleaner, bytes, &name, path),
                Err(e) => Outcome::Failed(format!("{name}: cannot read: {e}")),
            }
        });
    }
    let bytes = match crate::notebook::read_bounded(path) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(format!("{name}: cannot read: {e}")),
    };
    outcome(args, cleaner, &bytes, &name, path)
}

fn outcome(args: &CleanArgs, cleaner: &Cleaner, bytes: &[u8], name: &str, path: &Path) -> Outcome {
    let run = if args.check {
        Cleaner::check
    } else {
        Cleaner::clean
    };
    let cleaned = match run(cleaner, bytes, name) {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    if !cleaned.would_change() {
        return Outcome::Clean;
    }
    let mut summary = cleaned.plan.summary();
    if !cleaned.stale.is_empty() {
        let what = "the records of resolved merge conflicts (metadata.nbdiff)";
        summary = if summary.is_empty() {
            what.to_string()
        } else {
            format!("{summary}, {what}")
        };
    }
    let Some(new) = cleaned.bytes.filter(|_| !args.check) else {
        return Outcome::WouldClean(summary);
    };
    match crate::write::write_atomic(path, &new, crate::write::What::CleanedNotebook) {
        Ok(()) => Outcome::Cleaned(summary),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

fn run_files(args: &CleanArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    // One policy and set of options per directory, found once.
    let mut cleaners: HashMap<PathBuf, Result<Cleaner, String>> = HashMap::new();
    for path in &args.files {
        cleaners
            .entry(dir_of(path))
            .or_insert_with_key(|dir| cleaner_for(&args.overrides(), dir));
    }
    let outcomes = crate::par::map(args.files.len() > 1, &args.files, |p| {
        let cleaner = &cleaners[&dir_of(p)];
        clean_file(args, cleaner, p)
    });
    let mut code = Exit::Ok;
    for (path, outcome) in args.files.iter().zip(outcomes) {
        let name = path.display().to_string();
        let name = crate::render::sanitize::visible_name(&name);
        let written = match outcome {
            Outcome::Clean => Ok(()),
            Outcome::Cleaned(s) => writeln!(out, "cleaned {name}: stripped {s}"),
            Outcome::WouldClean(s) => {
                if code == Exit::Ok {
                    code = Exit::Differences;
                }
                writeln!(out, "would clean {name}: {s}")
            }
            Outcome::Failed(e) => {
                code = Exit::Error;
                writeln!(err, "nbdiff clean: {e}")
            }
        };
        if written.is_err() {
            return crate::exit::after_write(written, code, err);
        }
    }
    code
}

/// Runs `nbdiff filter-process` on stdin and `out` until git closes the pipe.
pub fn run_process(args: FilterProcessArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let overrides = Overrides {
        outputs: args.outputs,
        execution_counts: args.execution_counts,
    };
    let stdin = std::io::stdin();
    let mut input = std::io::BufReader::with_capacity(1 << 16, stdin.lock());
    let mut output = std::io::BufWriter::with_capacity(1 << 16, out);
    let cleaner = |dir: &Path| cleaner_for(&overrides, dir);
    match crate::clean::process::serve(&cleaner, &mut input, &mut output, err) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            let _ = writeln!(err, "nbdiff {e}");
            Exit::Error
        }
    }
}
