//! The `nbdiff check [PATH…]` command: arguments, project configuration
//! (`[tool.nbdiff.check]`), the files, the parallel run over them, the
//! report. The rules and renderers are the library's (`crate::check`).

use crate::check::files::{self, Input};
use crate::check::render::{self, Format};
use crate::check::{check_notebook_noting, Finding, Options, Rule};
use crate::exit::Exit;
use crate::notebook::Notebook;
use crate::project::ProjectConfig;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `nbdiff check`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Rules (code, name): NB101 out-of-order, NB102 partial-run, \
NB103 use-before-define, NB104 undefined-name, NB201 absolute-path, NB202 missing-data-file, \
NB301 secret, NB401 large-output, NB402 error-output, NB403 outputs-present (opt-in), \
NB501 conflict-leftover. See docs/check.md.\n\nA cell tagged `nbdiff-ignore-<rule>` (or with \
metadata nbdiff.check.ignore = [\"<rule>\"]) is exempt from that rule.\n\n\
Exit status: 0 nothing found; 1 findings; 2 error (an unreadable notebook, bad usage or \
configuration; the other notebooks are still checked)."
)]
pub struct CheckArgs {
    /// Notebooks or folders (recursively, honouring .gitignore). Default: the
    /// notebooks git tracks under the current directory.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Check the notebooks staged for commit, as they are in the index.
    #[arg(long, visible_alias = "cached")]
    pub staged: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Only these rules (codes or names, comma-separated); replaces the
    /// configured and default selection.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Rules to add to the selection (e.g. outputs-present).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Rules to skip (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// The large-output (NB401) threshold in bytes (default 1000000).
    #[arg(long, value_name = "BYTES")]
    pub max_output_bytes: Option<usize>,
    /// Do not read pyproject.toml / nbdiff.toml.
    #[arg(long)]
    pub no_config: bool,
}

/// `[tool.nbdiff.check]` in `pyproject.toml` (or `[check]` in `nbdiff.toml`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckConfig {
    /// Replaces the default rule selection.
    pub select: Option<Vec<String>>,
    /// Added to the selection.
    #[serde(default)]
    pub extend_select: Vec<String>,
    /// Removed from the selection.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// `large-output` threshold in bytes.
    pub max_output_bytes: Option<usize>,
    /// Notebooks not checked: glob patterns relative to the configuration
    /// file's folder (`*` within a path part, `**` across parts; a pattern
    /// without `/` matches the file name anywhere).
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// A bad rule name in the arguments or the configuration.
fn parse_rules(list: &[String], whence: &str) -> Result<Vec<Rule>, String> {
    list.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            Rule::parse(s).ok_or_else(|| {
                format!(
                    "{whence}: unknown rule `{}` (rules: {})",
                    s.trim(),
                    Rule::ALL.map(Rule::name).join(", ")
                )
            })
        })
        .collect()
}

/// The rules that run: the configuration's selection (or the defaults),
/// then the command line's.
fn selection(cfg: &CheckConfig, args: &CheckArgs, cfg_name: &str) -> Result<Vec<Rule>, String> {
    let mut rules: Vec<Rule> = match &cfg.select {
        Some(list) => parse_rules(list, cfg_name)?,
        None => Options::default().rules,
    };
    rules.extend(parse_rules(&cfg.extend_select, cfg_name)?);
    for r in parse_rules(&cfg.ignore, cfg_name)? {
        rules.retain(|x| *x != r);
    }
    if !args.select.is_empty() {
        rules = parse_rules(&args.select, "--select")?;
    }
    rules.extend(parse_rules(&args.extend_select, "--extend-select")?);
    for r in parse_rules(&args.ignore, "--ignore")? {
        rules.retain(|x| *x != r);
    }
    rules.sort();
    rules.dedup();
    Ok(rules)
}

/// Runs `nbdiff check`.
pub fn run(args: CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let cwd = PathBuf::from(".");
    let (cfg, cfg_path) = if args.no_config {
        (CheckConfig::default(), None)
    } else {
        match ProjectConfig::discover(&cwd) {
            Ok(Some(p)) => match p.section_as::<CheckConfig>("check") {
                Ok(c) => (c.unwrap_or_default(), Some(p.path.clone())),
                Err(e) => {
                    let _ = writeln!(err, "nbdiff check: {e}");
                    return Exit::Error;
                }
            },
            Ok(None) => (CheckConfig::default(), None),
            Err(e) => {
                let _ = writeln!(err, "nbdiff check: {e}");
                return Exit::Error;
            }
        }
    };
    let cfg_name = cfg_path
        .as_ref()
        .map_or("configuration".to_string(), |p| p.display().to_string());
    let rules = match selection(&cfg, &args, &cfg_name) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "nbdiff check: {e}");
            return Exit::Error;
        }
    };
    let opts = Options {
        rules,
        max_output_bytes: args
            .max_output_bytes
            .or(cfg.max_output_bytes)
            .unwrap_or(crate::check::DEFAULT_MAX_OUTPUT_BYTES),
        base_dir: None,
    };

    let mut failed = false;
    let inputs = match list_inputs(&args, err, &mut failed) {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(err, "nbdiff check: {e}");
            return Exit::Error;
        }
    };
    let inputs: Vec<Input> = match &cfg_path {
        Some(p) if !cfg.exclude.is_empty() => {
            let root = p.parent().unwrap_or(Path::new("."));
            inputs
                .into_iter()
                .filter(|i| !excluded(&i.path, root, &cfg.exclude))
                .collect()
        }
        _ => inputs,
    };

    let results = run_all(&inputs, &opts);
    let mut findings: Vec<Finding> = Vec::new();
    let mut checked = 0;
    let mut unchecked = Vec::new();
    for r in results {
        match r {
            Ok((f, notes)) => {
                checked += 1;
                findings.extend(f);
                for note in notes {
                    failed = true;
                    let _ = writeln!(err, "nbdiff check: {note}");
                }
            }
            Err(e) => {
                failed = true;
                unchecked.push(e.to_string());
            }
        }
    }
    if let Err(e) = render::write(out, args.format, &findings, checked).and_then(|()| out.flush()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            let _ = writeln!(err, "nbdiff check: cannot write: {e}");
            return Exit::Error;
        }
    }
    // After the summary, so that "0 notebooks checked" is followed by the
    // files that were not, each named with why (a conflicted file: its
    // markers and the way out).
    for e in &unchecked {
        let _ = writeln!(err, "nbdiff check: not checked: {e}");
    }
    if !unchecked.is_empty() {
        let n = unchecked.len();
        let s = if n == 1 { "" } else { "s" };
        let _ = writeln!(
            err,
            "nbdiff check: {n} file{s} could not be checked (above); exit 2"
        );
    }
    if failed {
        Exit::Error
    } else if findings.is_empty() {
        Exit::Ok
    } else {
        Exit::Differences
    }
}

fn list_inputs(
    args: &CheckArgs,
    err: &mut dyn Write,
    failed: &mut bool,
) -> Result<Vec<Input>, files::FilesError> {
    if args.staged {
        return files::staged(&args.paths);
    }
    if args.paths.is_empty() {
        return files::under(Path::new("."), true);
    }
    let mut out = Vec::new();
    for p in &args.paths {
        if p.is_dir() {
            out.extend(files::under(p, false)?);
        } else if p.exists() {
            out.push(Input {
                name: p.display().to_string(),
                path: p.clone(),
                staged: None,
            });
        } else {
            *failed = true;
            let _ = writeln!(
                err,
                "nbdiff check: {}: no such file or directory",
                p.display()
            );
        }
    }
    Ok(out)
}

/// One notebook's findings and what in it could not be checked, or why it
/// could not be read.
type Outcome = Result<(Vec<Finding>, Vec<String>), String>;

/// Reads, parses and checks every input, in parallel over the machine's
/// cores (each thread takes the next file), results in input order.
fn run_all(inputs: &[Input], opts: &Options) -> Vec<Outcome> {
    run_all_split(inputs, opts, LARGE_BYTES)
}

/// [`run_all`], with notebooks of `large` bytes or more on the first worker.
fn run_all_split(inputs: &[Input], opts: &Options, large: u64) -> Vec<Outcome> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len());
    if threads <= 1 {
        return inputs.iter().map(|i| check_input(i, opts)).collect();
    }
    // Large notebooks go to the first worker only, one after another; the
    // small ones to every worker (the first after its large ones).
    let (large, small): (Vec<usize>, Vec<usize>) =
        (0..inputs.len()).partition(|&i| input_size(&inputs[i]) >= large);
    let next_small = AtomicUsize::new(0);
    let worker = |first: bool| {
        let mut done = Vec::new();
        if first {
            done.extend(large.iter().map(|&i| (i, check_input(&inputs[i], opts))));
        }
        loop {
            let k = next_small.fetch_add(1, Ordering::Relaxed);
            let Some(&i) = small.get(k) else {
                return done;
            };
            done.push((i, check_input(&inputs[i], opts)));
        }
    };
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                let worker = &worker;
                s.spawn(move || worker(t == 0))
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// A notebook this large is checked by one worker, after the other large
/// ones. Its tree and analysis weigh several times its bytes, and the
/// allocator keeps what a thread freed for a while before handing it back:
/// two workers each taking large notebooks held two such high-water marks
/// (check's peak memory over the corpus 71–96 MB, against 52 MB on one
/// thread) for no gain in CPU time.
const LARGE_BYTES: u64 = 1_000_000;

/// The size of an input's bytes (0 when unknown).
fn input_size(input: &Input) -> u64 {
    match &input.staged {
        Some(Ok(b)) => b.len() as u64,
        Some(Err(_)) => 0,
        None => std::fs::metadata(&input.path).map_or(0, |m| m.len()),
    }
}

/// [`check_one`], with a panic (a bug) reported as an error for this file
/// so that the other files' findings are still reported.
fn check_input(input: &Input, opts: &Options) -> Outcome {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_one(input, opts)))
        .unwrap_or_else(|_| {
            Err(format!(
                "{}: internal error while checking (please report it)",
                input.name
            ))
        })
}

fn check_one(input: &Input, opts: &Options) -> Outcome {
    let owned;
    let bytes: &[u8] = match &input.staged {
        Some(Ok(b)) => b,
        Some(Err(e)) => {
            return Err(format!(
                "{}: cannot read the index's version: {e}",
                input.name
            ))
        }
        None => {
            owned = crate::notebook::read_bounded(&input.path)
                .map_err(|e| format!("{}: cannot read: {e}", input.name))?;
            &owned
        }
    };
    let nb = Notebook::parse(bytes, &input.name).map_err(|e| e.to_string())?;
    let base = input.path.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    });
    let opts = Options {
        base_dir: base.map(Path::to_path_buf),
        ..opts.clone()
    };
    // The tree is freed here, by the worker, before it takes the next file:
    // freeing it on a thread of its own (`free_later`) let several files'
    // trees live at once (peak memory) for no gain in CPU time.
    Ok(check_notebook_noting(&nb, bytes, &input.name, &opts))
}

/// Whether `path` matches one of the `exclude` patterns, relative to `root`.
fn excluded(path: &Path, root: &Path, patterns: &[String]) -> bool {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let rel = abs.strip_prefix(root).unwrap_or(&abs);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    patterns.iter().any(|p| {
        if p.contains('/') {
            glob(p.trim_start_matches("./").trim_end_matches('/'), &rel)
                || glob(&format!("{}/**", p.trim_end_matches('/')), &rel)
        } else {
            glob(p, name) || rel.split('/').any(|part| glob(p, part))
        }
    })
}

/// `*` matches within a path part, `**` across parts, `?` one character.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // Iterative matching with backtracking points for `*` and `**`; linear
    // enough for paths.
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') if p.get(1) == Some(&'*') => {
                let rest = p[2..].strip_prefix(&['/']).unwrap_or(&p[2..]);
                (0..=t.len()).any(|i| go(rest, &t[i..]))
            }
            Some('*') => {
                let mut i = 0;
                loop {
                    if go(&p[1..], &t[i..]) {
                        return true;
                    }
                    if i >= t.len() || t[i] == '/' {
                        return false;
                    }
                    i += 1;
                }
            }
            Some('?') => !t.is_empty() && t[0] != '/' && go(&p[1..], &t[1..]),
            Some(c) => t.first() == Some(c) && go(&p[1..], &t[1..]),
        }
    }
    go(&p, &t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("*.ipynb", "a.ipynb"));
        assert!(!glob("*.ipynb", "d/a.ipynb"));
        assert!(glob("drafts/**", "drafts/x/a.ipynb"));
        assert!(glob("**/scratch-*.ipynb", "a/b/scratch-1.ipynb"));
        assert!(excluded(
            Path::new("x/drafts/a.ipynb"),
            Path::new("x"),
            &["drafts".into()]
        ));
    }

    #[test]
    fn selection_order() {
        let cfg = CheckConfig {
            select: None,
            extend_select: vec!["outputs-present".into()],
            ignore: vec!["NB202".into()],
            ..CheckConfig::default()
        };
        let mut args = CheckArgs {
            paths: vec![],
            staged: false,
            format: Format::Text,
            select: vec![],
            extend_select: vec![],
            ignore: vec!["secret".into()],
            max_output_bytes: None,
            no_config: false,
        };
        let r = selection(&cfg, &args, "cfg").unwrap();
        assert!(r.contains(&Rule::OutputsPresent));
        assert!(!r.contains(&Rule::MissingDataFile));
        assert!(!r.contains(&Rule::Secret));
        args.select = vec!["NB101".into(), "partial-run".into()];
        assert_eq!(
            selection(&cfg, &args, "cfg").unwrap(),
            [Rule::OutOfOrder, Rule::PartialRun]
        );
        args.select = vec!["nope".into()];
        assert!(selection(&cfg, &args, "cfg")
            .unwrap_err()
            .contains("unknown rule `nope`"));
    }

    /// Results come back in input order and agree with a one-at-a-time
    /// run, whatever the budget held back.
    #[test]
    fn the_parallel_run_agrees_with_checking_each_file_alone() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/check");
        let mut paths: Vec<PathBuf> = Vec::new();
        let mut dirs = vec![dir];
        while let Some(d) = dirs.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let p = entry.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|e| e == "ipynb") {
                    paths.push(p);
                }
            }
        }
        paths.sort();
        assert!(paths.len() > 3, "{}", paths.len());
        let inputs: Vec<Input> = paths
            .iter()
            .map(|p| Input {
                name: p.display().to_string(),
                path: p.clone(),
                staged: None,
            })
            .collect();
        let opts = Options::default();
        // Every file small, every file large, and half of each.
        let mut sizes: Vec<u64> = inputs.iter().map(input_size).collect();
        sizes.sort_unstable();
        for large in [u64::MAX, 0, sizes[sizes.len() / 2]] {
            let together = run_all_split(&inputs, &opts, large);
            assert_eq!(together.len(), inputs.len());
            for (input, got) in inputs.iter().zip(together) {
                let alone = check_input(input, &opts);
                assert_eq!(format!("{got:?}"), format!("{alone:?}"), "{}", input.name);
            }
        }
    }
}
