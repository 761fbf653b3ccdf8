//! Arguments and entry points of the git commands: `config-git`,
//! `diff-driver`, `show`, and the revision form of the default diff.

use crate::exit::Exit;
use crate::git::config::{self, AttributesTarget, Git, Plan, Scope};
use crate::git::revs::RevError;
use crate::git::seam::DiffOptions;
use crate::render::color::{use_color, ColorChoice, ColorEnv};
use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `nbdiff config-git`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("action").required(true).args(["enable", "disable"])))]
#[command(group(clap::ArgGroup::new("scope").args(["local", "global", "system"])))]
pub struct ConfigGitArgs {
    /// Make git use nbdiff for *.ipynb (diff, textconv, merge, difftool, mergetool).
    #[arg(long)]
    pub enable: bool,
    /// Remove exactly what --enable added.
    #[arg(long)]
    pub disable: bool,
    /// This repository only (the default).
    #[arg(long)]
    pub local: bool,
    /// All repositories of this user.
    #[arg(long)]
    pub global: bool,
    /// All users of this machine.
    #[arg(long)]
    pub system: bool,
    /// With --local: `private` writes .git/info/attributes, `shared` the
    /// repository's .gitattributes (to commit, so others get the attributes).
    #[arg(long, value_enum, default_value_t = AttributesTarget::Private)]
    pub attributes: AttributesTarget,
    /// Print the commands that would run, change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `nbdiff diff-driver` (git's external diff, `diff.nbdiff.command`).
#[derive(Debug, clap::Args)]
pub struct DiffDriverArgs {
    /// Colour: `auto` follows git (color.diff, color.ui, its pager).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// What git passes: path old-file old-hex old-mode new-file new-hex new-mode [new-path info].
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<OsString>,
}

/// Arguments of `nbdiff show` (git's textconv, `diff.nbdiff.textconv`).
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The notebook to render as text.
    pub notebook: PathBuf,
}

/// Runs `nbdiff config-git`.
pub fn run_config_git(args: ConfigGitArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let scope = if args.global {
        Scope::Global
    } else if args.system {
        Scope::System
    } else {
        Scope::Local
    };
    let result = (|| -> Result<(), config::ConfigError> {
        let git = Git {
            cwd: std::env::current_dir()?,
        };
        let exe = config::exe_reference()?;
        let plan = Plan::new(&git, scope, args.attributes, &exe)?;
        if args.enable {
            config::enable(&git, &plan, args.dry_run, out)
        } else {
            config::disable(&git, &plan, args.dry_run, out)
        }
    })();
    match result {
        Ok(()) => Exit::Ok,
        Err(e) => {
            let _ = writeln!(err, "nbdiff config-git: {e}");
            Exit::Error
        }
    }
}

/// Runs `nbdiff diff-driver`: always [`Exit::Ok`], as git requires.
pub fn run_diff_driver(args: DiffDriverArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let env = ColorEnv::from_process();
    let opts = DiffOptions {
        color: use_color(args.color, &env, Some(&crate::git::color::git_colorbool)),
        diff: crate::diff::DiffOptions {
            policy: std::sync::Arc::new(crate::policy::load(Path::new("."), err)),
            ..crate::diff::DiffOptions::default()
        },
        ..DiffOptions::default()
    };
    let written = crate::git::driver::run(&args.args, &opts, out, err).and_then(|()| out.flush());
    crate::exit::after_write(written, Exit::Ok, err)
}

/// Runs `nbdiff show`: the notebook as text, or the file unchanged when it is
/// not a notebook (so `git log -p` never breaks). Exits 0 unless the file
/// cannot be read.
pub fn run_show(args: ShowArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let bytes = match std::fs::read(&args.notebook) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(
                err,
                "nbdiff show: {}: cannot read: {e}",
                args.notebook.display()
            );
            return Exit::Error;
        }
    };
    let name = args.notebook.display().to_string();
    let written = out
        .write_all(crate::git::show::render_bytes(&bytes, &name).as_bytes())
        .and_then(|()| out.flush());
    crate::exit::after_write(written, Exit::Ok, err)
}

/// True when the default command's arguments may name revisions rather than
/// files: anything but two existing paths or git's 7 external-diff arguments
/// (or whenever `--cached` is given).
pub fn wants_revisions(paths: &[PathBuf], cached: bool) -> bool {
    let files = |ps: &[&PathBuf]| {
        ps.iter()
            .all(|p| p.exists() || p.as_os_str() == "/dev/null")
    };
    cached
        || match paths {
            [a, b] => !files(&[a, b]),
            [_, a, _, _, b, _, _] => !files(&[a, b]),
            _ => true,
        }
}

/// True when the current directory is inside a git repository (or
/// `GIT_DIR` names one).
pub fn inside_repository() -> bool {
    gix::discover_with_environment_overrides(".").is_ok()
}

/// Runs the revision form of the default command with the diff's options;
/// `color` was decided by the caller. `None` when the arguments are not
/// revisions after all (outside a repository, or a missing `*.ipynb` that is
/// neither a revision nor a path): the caller then treats them as files,
/// whose errors name the file.
pub fn run_revisions(
    args: &crate::cli::DiffArgs,
    color: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Option<Exit> {
    if args.json {
        let _ = writeln!(err, "nbdiff: --json compares two files (nbdiff --json OLD NEW); it is not available for revisions");
        return Some(Exit::Error);
    }
    let opts = DiffOptions {
        color,
        diff: super::diff::diff_options(args, err),
        context: args.context,
        outputs: args.outputs,
        stat: args.stat,
    };
    let revs: Vec<OsString> = args
        .paths
        .iter()
        .map(|p| p.as_os_str().to_owned())
        .collect();
    let cwd = match std::env::current_dir() {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "nbdiff: cannot read the current directory: {e}");
            return Some(Exit::Error);
        }
    };
    Some(
        match crate::git::revs::run(&cwd, &revs, &args.pathspec, args.cached, &opts, out) {
            Ok(true) if args.exit_code => Exit::Differences,
            Ok(_) => Exit::Ok,
            Err(RevError::NotARepository { .. }) if !args.cached => return None,
            // A missing `x.ipynb` is a file the user meant, not a revision.
            Err(RevError::Ambiguous { arg }) if !args.cached && arg.ends_with(".ipynb") => {
                return None
            }
            Err(e) => {
                let _ = writeln!(err, "nbdiff: {e}");
                Exit::Error
            }
        },
    )
}
