//! Arguments and entry points of the git commands: `config-git`,
//! `diff-driver` and `show`.

use crate::compare::Request;
use crate::exit::Exit;
use crate::git::config::{self, AttributesTarget, Git, Plan, Scope};
use crate::render::color::{use_color, ColorChoice, ColorEnv};
use crate::render::RenderOptions;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
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
///
/// Taken as they come, not parsed as flags: git passes 1, 7 or 9 positional
/// arguments whose first is a path, and a path may start with `-` (`-h`,
/// `--color`) whether or not the command was configured with `--`. Options
/// (`--color WHEN`, `--color=WHEN`, `--`) are only recognised before those
/// positional arguments ([`split_driver_args`]).
#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct DiffDriverArgs {
    /// `[--color WHEN] [--] path old-file old-hex old-mode new-file new-hex new-mode [new-path info]`
    /// (`--color`: `auto` follows git's color.diff, color.ui, its pager).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, num_args = 0..)]
    pub args: Vec<OsString>,
}

/// Splits the driver's raw arguments into the `--color` choice and git's
/// positional arguments: the last 9, 7 or 1 of them such that what comes
/// before is only options and, for 7 or 9, the modes and hashes have git's
/// shape. Otherwise every argument after the leading options is positional
/// (the driver then reports their count). A bad `--color` value is an error.
pub fn split_driver_args(raw: &[OsString]) -> Result<(ColorChoice, Vec<OsString>), String> {
    let options = |lead: &[OsString]| -> Option<Result<ColorChoice, String>> {
        let mut color = Ok(ColorChoice::Auto);
        let mut k = 0;
        while k < lead.len() {
            let t = lead[k].to_str()?;
            let value = if t == "--" {
                (k + 1 == lead.len()).then_some(())?;
                k += 1;
                continue;
            } else if let Some(v) = t.strip_prefix("--color=") {
                v.to_string()
            } else if t == "--color" {
                k += 1;
                lead.get(k)?.to_str()?.to_string()
            } else {
                return None;
            };
            color = ColorChoice::ALL
                .into_iter()
                .find(|c| c.name() == value)
                .ok_or_else(|| {
                    format!("nbdiff diff-driver: --color: expected auto, always or never, got {value:?}")
                });
            k += 1;
        }
        Some(color)
    };
    let mode = |a: &OsString| {
        a == "."
            || (a.len() == 6
                && a.to_str()
                    .is_some_and(|s| s.bytes().all(|b| (b'0'..=b'7').contains(&b))))
    };
    let hex = |a: &OsString| {
        a == "."
            || a.to_str()
                .is_some_and(|s| s.len() >= 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    };
    let shaped = |p: &[OsString]| match p.len() {
        7 | 9 => hex(&p[2]) && mode(&p[3]) && hex(&p[5]) && mode(&p[6]),
        _ => true,
    };
    for k in [9, 7, 1] {
        if raw.len() < k {
            continue;
        }
        let (lead, pos) = raw.split_at(raw.len() - k);
        if let Some(color) = options(lead) {
            if shaped(pos) {
                return Ok((color?, pos.to_vec()));
            }
        }
    }
    // Not git's form: the longest run of leading options, the rest positional.
    for cut in (0..=raw.len()).rev() {
        if let Some(color) = options(&raw[..cut]) {
            return Ok((color?, raw[cut..].to_vec()));
        }
    }
    Ok((ColorChoice::Auto, raw.to_vec()))
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
        let action = if args.enable { "--enable" } else { "--disable" };
        if args.dry_run {
            writeln!(out, "# dry run, nothing changed: {action} would run")?;
        }
        if args.enable {
            config::enable(&git, &plan, args.dry_run, out)?;
        } else {
            config::disable(&git, &plan, args.dry_run, out)?;
        }
        if !args.dry_run {
            let what = match (args.enable, args.filter) {
                (true, true) => "git uses nbdiff for *.ipynb (diff, merge, textconv, clean filter)",
                (true, false) => "git uses nbdiff for *.ipynb (diff, merge, textconv)",
                (false, _) => "nbdiff's git settings are removed",
            };
            let scope = match scope {
                Scope::Local => "in this repository",
                Scope::Global => "for this user",
                Scope::System => "on this machine",
            };
            writeln!(out, "# done: {what} {scope}")?;
        }
        if args.enable && args.filter {
            // Notebooks committed before the filter: git now lists them as
            // modified; say how to commit them cleaned.
            let pending = crate::git::renormalize::pending(
                &git.cwd,
                args.dry_run,
                &super::clean::filter_cleaner,
                err,
            );
            crate::git::renormalize::write_steps(&pending.unwrap_or_default(), !args.dry_run, out)?;
        }
        Ok(())
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
    let (color, args) = match split_driver_args(&args.args) {
        Ok(split) => split,
        Err(e) => {
            // git's contract: the driver exits 0 whatever happens.
            let _ = writeln!(err, "{e}");
            return Exit::Ok;
        }
    };
    let external = std::env::var_os("GIT_EXTERNAL_DIFF");
    if let Some(helper) = crate::git::difftool::helper_from_env(external.as_deref()) {
        let _ = out.flush();
        match crate::git::difftool::run_helper(&helper, &args) {
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
    let env = ColorEnv::read(
        std::io::stdout().is_terminal(),
        &super::settings::process_env,
    );
    // git's `color.diff`, as git would decide it (mostly in-process).
    let git_env = crate::git::settings::ColorboolEnv {
        term: super::settings::process_env("TERM"),
        pager_in_use: super::settings::process_env("GIT_PAGER_IN_USE"),
        parameters: super::settings::process_env(super::settings::ENV_GIT_PARAMETERS),
    };
    let git_color = |tty: bool| crate::git::settings::diff_colorbool(Path::new("."), tty, &git_env);
    // Each notebook's folder's settings (`Request::in_folder`).
    let opts = Request {
        policy_for: Some(super::settings::policy_for()),
        diff: crate::diff::DiffOptions::default(),
        render: RenderOptions {
            color: use_color(color, &env, Some(&git_color)),
            ..RenderOptions::default()
        },
        one_of_many: true,
    };
    let written = crate::git::driver::run(&args, &opts, &super::clean::filter_cleaner, out, err)
        .and_then(|()| out.flush());
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

#[cfg(test)]
mod tests {
    use super::*;

    fn split(args: &[&str]) -> (ColorChoice, Vec<String>) {
        let raw: Vec<OsString> = args.iter().map(OsString::from).collect();
        let (c, pos) = split_driver_args(&raw).expect("valid");
        (
            c,
            pos.iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
        )
    }

    const HEX: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn git_arguments_are_positional_even_when_they_look_like_flags() {
        for path in ["-h", "--color", "--help", "--", "-x.ipynb", "--color=never"] {
            let git = [path, "/tmp/a", HEX, "100644", "/tmp/b", HEX, "100644"];
            for lead in [
                &[][..],
                &["--"],
                &["--color", "always", "--"],
                &["--color=never"],
            ] {
                let mut all: Vec<&str> = lead.to_vec();
                all.extend(git);
                let (_, pos) = split(&all);
                assert_eq!(pos, git, "{all:?}");
            }
            assert_eq!(split(&["--color=always", "--", path]).1, [path]);
            assert_eq!(split(&[path]).1, [path]);
        }
        assert_eq!(split(&["--color", "always", "x"]).0, ColorChoice::Always);
        let nine = [
            "a",
            "/dev/null",
            ".",
            ".",
            "/tmp/b",
            HEX,
            "100755",
            "b",
            "similarity index 90%\n",
        ];
        assert_eq!(split(&nine).1, nine);
        // Not git's form: leading options removed, the rest counted by the driver.
        assert_eq!(
            split(&["--", "only", "three", "args"]).1,
            ["only", "three", "args"]
        );
        let raw: Vec<OsString> = ["--color=sometimes", "x"]
            .iter()
            .map(OsString::from)
            .collect();
        assert!(split_driver_args(&raw).is_err());
    }
}
