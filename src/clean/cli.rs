//! The `nbdiff clean` command: a git clean filter (stdin → stdout), an
//! in-place cleaner (`nbdiff clean FILE…`, each file replaced atomically), and
//! a check (`--check` exits 1 when a file would change).
//!
//! Settings: `--outputs` and `--execution-counts` on the command line, else
//! `[tool.nbdiff.clean]` in the project file (`outputs = "strip"`,
//! `execution-counts = "keep"`), else outputs kept and counts stripped.
//!
//! As a filter, input that is not a notebook (invalid JSON, conflict markers,
//! not UTF-8) is passed through unchanged with a warning on stderr and exit 0:
//! a clean filter must never lose what the user is adding.

use super::{clean, CleanOptions, Keep};
use crate::exit::Exit;
use crate::project::{ProjectConfig, ProjectError};
use std::io::{Read, Write};
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

/// `[tool.nbdiff.clean]`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct CleanSection {
    outputs: Option<Keep>,
    execution_counts: Option<Keep>,
}

/// The options for a notebook at `path` (its directory's project file
/// supplies what the command line leaves open).
pub fn options_for(args: &CleanArgs, path: &Path) -> Result<CleanOptions, ProjectError> {
    let mut opts = CleanOptions::default();
    if args.outputs.is_none() || args.execution_counts.is_none() {
        if let Some(cfg) = ProjectConfig::discover(path)? {
            let section: CleanSection = cfg.section_as("clean")?.unwrap_or_default();
            opts.outputs = section.outputs.unwrap_or(opts.outputs);
            opts.execution_counts = section.execution_counts.unwrap_or(opts.execution_counts);
        }
    }
    opts.outputs = args.outputs.unwrap_or(opts.outputs);
    opts.execution_counts = args.execution_counts.unwrap_or(opts.execution_counts);
    Ok(opts)
}

/// Runs `nbdiff clean`.
pub fn run(args: CleanArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    if args.files.is_empty() {
        let mut input = Vec::new();
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut input) {
            let _ = writeln!(err, "nbdiff clean: cannot read stdin: {e}");
            return Exit::Error;
        }
        return run_filter(&args, &input, out, err);
    }
    run_files(&args, out, err)
}

/// Cleans `input` (a notebook read from stdin) onto `out`. Never fails on
/// bad input: it is written back unchanged, with a warning.
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
    let dir = match args.stdin_path.as_deref().and_then(Path::parent) {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let opts = match options_for(args, &dir) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(err, "nbdiff clean: {e}");
            return Exit::Error;
        }
    };
    let (bytes, code): (&[u8], Exit) = match clean(input, &name, &opts) {
        Ok(cleaned) => {
            let would = !cleaned.plan.is_empty();
            if args.check {
                if would {
                    let _ = writeln!(
                        err,
                        "{name}: would strip {}",
                        crate::render::sanitize::visible(&cleaned.plan.summary())
                    );
                    return Exit::Differences;
                }
                return Exit::Ok;
            }
            match cleaned.bytes {
                Some(b) => return write_out(out, &b, err),
                None => (input, Exit::Ok),
            }
        }
        Err(e) => {
            if args.check {
                let _ = writeln!(err, "nbdiff clean: {e}");
                return Exit::Error;
            }
            let _ = writeln!(err, "nbdiff clean: warning: {e}; passed through unchanged");
            (input, Exit::Ok)
        }
    };
    match write_out(out, bytes, err) {
        Exit::Ok => code,
        other => other,
    }
}

fn write_out(out: &mut dyn Write, bytes: &[u8], err: &mut dyn Write) -> Exit {
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            let _ = writeln!(err, "nbdiff clean: cannot write output: {e}");
            Exit::Error
        }
    }
}

/// What happened to one file.
enum Outcome {
    Clean,
    Cleaned(String),
    WouldClean(String),
    Failed(String),
}

fn clean_file(args: &CleanArgs, path: &Path) -> Outcome {
    let name = path.display().to_string();
    let opts = match options_for(args, path) {
        Ok(o) => o,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(format!("{name}: cannot read: {e}")),
    };
    let cleaned = match clean(&bytes, &name, &opts) {
        Ok(c) => c,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let Some(new) = cleaned.bytes else {
        return Outcome::Clean;
    };
    let summary = cleaned.plan.summary();
    if args.check {
        return Outcome::WouldClean(summary);
    }
    match crate::merge::cli::write_atomic(path, &new) {
        Ok(()) => Outcome::Cleaned(summary),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

fn run_files(args: &CleanArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let outcomes = crate::par::map(args.files.len() > 1, &args.files, |p| clean_file(args, p));
    let mut code = Exit::Ok;
    for (path, outcome) in args.files.iter().zip(outcomes) {
        let name = path.display().to_string();
        let name = crate::render::sanitize::visible(&name);
        let shown = |s: &str| crate::render::sanitize::visible(s).into_owned();
        let written = match outcome {
            Outcome::Clean => Ok(()),
            Outcome::Cleaned(s) => writeln!(out, "cleaned {name}: stripped {}", shown(&s)),
            Outcome::WouldClean(s) => {
                if code == Exit::Ok {
                    code = Exit::Differences;
                }
                writeln!(out, "would clean {name}: {}", shown(&s))
            }
            Outcome::Failed(e) => {
                code = Exit::Error;
                writeln!(err, "nbdiff clean: {}", shown(&e))
            }
        };
        if let Err(e) = written {
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                return Exit::Error;
            }
        }
    }
    code
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

/// Runs `nbdiff filter-process` on stdin and `out` until git closes the pipe.
pub fn run_process(args: FilterProcessArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let args = CleanArgs {
        files: Vec::new(),
        check: false,
        outputs: args.outputs,
        execution_counts: args.execution_counts,
        stdin_path: None,
    };
    let stdin = std::io::stdin();
    let mut input = std::io::BufReader::with_capacity(1 << 16, stdin.lock());
    let mut output = std::io::BufWriter::with_capacity(1 << 16, out);
    match super::process::serve(&args, &mut input, &mut output, err) {
        Ok(()) => Exit::Ok,
        Err(e) => {
            let _ = writeln!(err, "nbdiff {e}");
            Exit::Error
        }
    }
}
