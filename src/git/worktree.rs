//! The working tree as git sees it: a notebook under the `filter=nbdiff`
//! attribute, with the filter configured, is compared *cleaned* — through
//! the very functions the filter runs (the cleaner the command layer
//! resolves per folder, `cli::clean::filter_cleaner`, handed down as a
//! [`CleanerFor`], and [`crate::clean::process::clean_or_pass`]) — because that is what `git status`, `git diff` and `git add`
//! compare with the index. Without this, `nbdiff` would list every notebook
//! whose execution counts the filter strips, while `git status` is empty.
//!
//! Which paths the attribute applies to is asked of git itself
//! ([`check_attr`]: `git check-attr --stdin -z`, one process for all paths;
//! gix's `attributes` feature is left out for its dependencies), so that
//! every attributes file, macro and negation counts exactly as git counts it.

use crate::clean::process::{clean_or_pass, CleanerFor};
use crate::clean::{dir_of, Cleaner};
use gix::bstr::{BStr, BString, ByteSlice};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The filter driver's name in git's config and attributes.
pub const FILTER: &str = "nbdiff";

/// True when git's config defines the `nbdiff` filter (`filter.nbdiff.process`
/// or `filter.nbdiff.clean`): without it the attribute does nothing.
pub fn filter_configured(repo: &gix::Repository) -> bool {
    let config = repo.config_snapshot();
    ["filter.nbdiff.process", "filter.nbdiff.clean"]
        .iter()
        .any(|k| config.string(*k).is_some_and(|v| !v.trim().is_empty()))
}

/// The paths among `paths` (repository-relative) whose `filter` attribute is
/// `nbdiff`, asked of `git check-attr` run in `workdir`. When git cannot be
/// run, none (the files are then compared as they are on disk).
pub fn filtered_paths(workdir: &Path, paths: &[&BStr]) -> HashSet<BString> {
    let values = check_attr(workdir, "filter", paths).unwrap_or_default();
    paths
        .iter()
        .zip(values)
        .filter(|(_, value)| value == FILTER.as_bytes())
        .map(|(path, _)| BString::from(*path))
        .collect()
}

/// The value of the attribute `attr` for each of `paths` (repository-relative),
/// in their order, from one `git check-attr --stdin -z` run in `workdir`
/// (`unspecified`, `set`, `unset` or the value, as git prints them), so that
/// every attributes file, macro and negation counts exactly as git counts it.
/// `None` when git cannot be run or fails.
pub fn check_attr(workdir: &Path, attr: &str, paths: &[&BStr]) -> Option<Vec<BString>> {
    if paths.is_empty() {
        return Some(Vec::new());
    }
    let mut input = Vec::new();
    for p in paths {
        input.extend_from_slice(p.as_bytes());
        input.push(0);
    }
    let output = super::run::git(&["check-attr", "--stdin", "-z", attr])
        .in_dir(workdir)
        .stdin(input)
        .stdout()
        .ok()?;
    // NUL-separated triples, in the order given: path, attribute, value.
    let fields: Vec<&[u8]> = output.split(|&b| b == 0).collect();
    Some(
        fields
            .chunks_exact(3)
            .map(|t| BString::from(t[2]))
            .collect(),
    )
}

/// Working-tree files as git hashes them: cleaned ([`GitClean`]) where the
/// `nbdiff` filter is configured ([`filter_configured`]) and its attribute
/// applies ([`filtered_paths`]); the one road for `nbdiff` and the driver.
pub struct AsGitSees<'a> {
    filtered: HashSet<BString>,
    clean: Option<GitClean<'a>>,
}

impl<'a> AsGitSees<'a> {
    /// For the working-tree files at `paths` (repository-relative) of `repo`:
    /// one `git check-attr` for all of them, none when the filter is not
    /// configured or there is no working tree. `cleaner_for` gives the
    /// filter's cleaner for a folder (the command layer's resolution).
    pub fn new(
        repo: &gix::Repository,
        paths: &[&BStr],
        cleaner_for: &'a CleanerFor<'a>,
    ) -> AsGitSees<'a> {
        match repo.workdir().filter(|_| filter_configured(repo)) {
            Some(root) => AsGitSees {
                filtered: filtered_paths(root, paths),
                clean: Some(GitClean::new(root, cleaner_for)),
            },
            None => AsGitSees {
                filtered: HashSet::new(),
                clean: None,
            },
        }
    }

    /// The content git would hash for the file at `path` (one of the paths
    /// given to [`AsGitSees::new`]), read as `bytes`. Warnings go to `warn`.
    pub fn apply(&mut self, path: &BStr, bytes: Vec<u8>, warn: &mut dyn Write) -> Vec<u8> {
        match &mut self.clean {
            Some(clean) if self.filtered.contains(path) => clean.clean(path, bytes, warn),
            _ => bytes,
        }
    }
}

/// Cleans working-tree notebooks as git's clean filter would, one cleaner
/// per directory (each directory may have its own project file), each
/// from `cleaner_for` (the command layer's resolution of its settings).
pub struct GitClean<'a> {
    root: PathBuf,
    cleaner_for: &'a CleanerFor<'a>,
    cleaners: HashMap<PathBuf, Result<Cleaner, String>>,
}

impl<'a> GitClean<'a> {
    /// For the working tree at `root`.
    pub fn new(root: &Path, cleaner_for: &'a CleanerFor<'a>) -> GitClean<'a> {
        GitClean {
            root: root.to_path_buf(),
            cleaner_for,
            cleaners: HashMap::new(),
        }
    }

    /// `bytes` of the file at repository-relative `path` as the filter
    /// would hand them to git: cleaned, or unchanged when there is nothing
    /// to strip, the file is not a notebook, or the settings cannot be read
    /// (then the filter fails and git keeps the file as it is: said on
    /// `warn`, once per directory).
    pub fn clean(&mut self, path: &BStr, bytes: Vec<u8>, warn: &mut dyn Write) -> Vec<u8> {
        let Ok(rel) = gix::path::from_bstr(path) else {
            return bytes;
        };
        let dir = self.root.join(dir_of(&rel));
        let cleaner_for = self.cleaner_for;
        let cleaner = self.cleaners.entry(dir).or_insert_with_key(|dir| {
            let cleaner = cleaner_for(dir);
            if let Err(e) = &cleaner {
                let _ = writeln!(
                    warn,
                    "nbdiff: {}: the clean filter's settings cannot be read ({}); \
                         notebooks here are compared uncleaned, as git stages them",
                    crate::render::sanitize::visible_name(&dir.to_string_lossy()),
                    crate::render::sanitize::visible(e)
                );
            }
            cleaner
        });
        let Ok(cleaner) = cleaner else { return bytes };
        let mut sink = Vec::new();
        clean_or_pass(cleaner, &bytes, &path.to_str_lossy(), &mut sink).unwrap_or(bytes)
    }
}
