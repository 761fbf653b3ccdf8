//! Arguments and entry points of the git commands: `config-git`,
//! `diff-driver` and `show`.

use crate::compare::Request;
use crate::exit::Exit;
use crate::git::config::{self, AttributesTarget, Git, Plan, Scope};
use crate::render::color::{use_color, ColorChoice, ColorEnv};
use crate::render::RenderOptions;
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
    /// With --enable: also clean notebooks as git stages them (`nbdiff clean`
    /// as the `filter.nbdiff` clean filter, one long-running process) and add
    /// `filter=nbdiff` to the attribute line. --disable always removes it.
    #[arg(long)]
    pub filter: bool,
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
    /// The text format git's config asks for (`config-git` writes it, so
    /// that git's textconv cache is keyed on it); a mismatch is reported.
    #[arg(long, hide = true)]
    pub format_version: Option<u32>,
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
        let plan = if args.filter || args.disable {
            plan.with_filter(&exe)
        } else {
            plan
        };
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
/// Under `git difftool`, hands over to difftool's helper instead
/// ([`crate::git::difftool`]) and exits as it does.
pub fn run_diff_driver(args: DiffDriverArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let external = std::env::var_os("GIT_EXTERNAL_DIFF");
    if let Some(helper) = crate::git::difftool::helper_from_env(external.as_deref()) {
        let _ = out.flush();
        match crate::git::difftool::run_helper(&helper, &args.args) {
            Ok(0) => return Exit::Ok,
            Ok(_) => return Exit::Error,
            Err(e) => {
                let _ = writeln!(
                    err,
                    "nbdiff diff-driver: cannot run {} for git difftool: {e}; showing nbdiff's diff",
                    crate::render::sanitize::visible_name(&helper.to_string_lossy())
                );
            }
        }
    }
    let env = ColorEnv::from_process();
    let opts = Request {
        diff: crate::diff::DiffOptions {
            policy: std::sync::Arc::new(crate::policy::load(Path::new("."), err)),
            ..crate::diff::DiffOptions::default()
        },
        render: RenderOptions {
            color: use_color(args.color, &env, Some(&crate::git::settings::git_colorbool)),
            ..RenderOptions::default()
        },
        one_of_many: true,
        report: None,
    };
    let written = crate::git::driver::run(&args.args, &opts, out, err).and_then(|()| out.flush());
    crate::exit::after_write(written, Exit::Ok, err)
}

/// Runs `nbdiff show`: the notebook as text, or the file unchanged when it is
/// not a notebook (so `git log -p` never breaks). Exits 0 unless the file
/// cannot be read.
pub fn run_show(args: ShowArgs, out: &mut dyn Write, err: &mut dyn Write) -> Exit {
    let bytes = match crate::notebook::read_bounded(&args.notebook) {
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
    if let Some(v) = args
        .format_version
        .filter(|&v| v != crate::git::show::FORMAT_VERSION)
    {
        let _ = writeln!(
            err,
            "nbdiff show: git's textconv asks for text format {v}, this nbdiff writes format {}; \
             run `nbdiff config-git --enable` again so that git's textconv cache is refreshed",
            crate::git::show::FORMAT_VERSION
        );
    }
    let name = args.notebook.display().to_string();
    let written = out
        .write_all(crate::git::show::render_bytes(&bytes, &name).as_bytes())
        .and_then(|()| out.flush());
    crate::exit::after_write(written, Exit::Ok, err)
}
