//! Pathspecs as git reads them (`'*.ipynb'`, `:(glob)**/*.ipynb`,
//! `:(exclude)dir`, `:!x`, `:(icase)`, directories), relative to the current
//! directory, matched with gix's implementation of git's rules
//! (`gix-pathspec`). `:(attr:…)` magic is parsed but matches nothing, since
//! attributes are not read here.

use gix::bstr::BStr;
use std::cell::RefCell;
use std::ffi::OsString;
use std::path::Path;

/// Why a pathspec could not be used.
#[derive(Debug, thiserror::Error)]
#[error("{spec}: not a valid pathspec: {message}")]
pub struct PathspecError {
    /// The pathspec as given.
    pub spec: String,
    /// gix's explanation.
    pub message: String,
}

/// A set of pathspecs; the empty set selects everything.
#[derive(Default)]
pub struct Pathspec {
    search: Option<RefCell<gix_pathspec::Search>>,
}

impl std::fmt::Debug for Pathspec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pathspec")
            .field("empty", &self.search.is_none())
            .finish()
    }
}

impl Pathspec {
    /// Parses `specs` as given on the command line in the repository-relative
    /// directory `prefix` of the working tree (or git dir) `root`. The
    /// environment's `GIT_*_PATHSPECS` switches apply, as in git.
    pub fn new(specs: &[OsString], prefix: &Path, root: &Path) -> Result<Pathspec, PathspecError> {
        if specs.is_empty() {
            return Ok(Pathspec::default());
        }
        let defaults = gix_pathspec::Defaults::from_environment(&mut |k| std::env::var_os(k))
            .unwrap_or_default();
        let mut patterns = Vec::with_capacity(specs.len());
        for spec in specs {
            let shown = spec.to_string_lossy().into_owned();
            let bad = |e: &dyn std::fmt::Display| PathspecError {
                spec: shown.clone(),
                message: e.to_string(),
            };
            let bytes = gix::path::os_str_into_bstr(spec).map_err(|e| bad(&e))?;
            let mut pattern = gix_pathspec::parse(bytes, defaults).map_err(|e| bad(&e))?;
            // A spec naming the top of the working tree (`.` there, `..`
            // one level down) selects everything. gix-pathspec keeps its
            // text `.` as a common prefix of all patterns, so that nothing
            // matches; `:/` (the top, everything) says the same without it.
            let mut normalized = pattern.clone();
            if !pattern.is_excluded()
                && normalized.normalize(prefix, root).is_ok()
                && normalized.is_nil()
            {
                pattern = gix_pathspec::parse(b":/", defaults).map_err(|e| bad(&e))?;
            }
            patterns.push(pattern);
        }
        let search =
            gix_pathspec::Search::from_specs(patterns, Some(prefix), root).map_err(|e| {
                PathspecError {
                    spec: specs
                        .iter()
                        .map(|s| s.to_string_lossy())
                        .collect::<Vec<_>>()
                        .join(" "),
                    message: e.to_string(),
                }
            })?;
        Ok(Pathspec {
            search: Some(RefCell::new(search)),
        })
    }

    /// True when the file at repository-relative `path` is selected.
    pub fn matches(&self, path: &BStr) -> bool {
        let Some(search) = &self.search else {
            return true;
        };
        let mut search = search.borrow_mut();
        search
            .pattern_matching_relative_path(path, Some(false), &mut |_, _, _, _| false)
            .is_some_and(|m| !m.is_excluded())
    }

    /// True when something under directory `dir` may be selected (a cheap
    /// test to skip whole subtrees).
    pub fn may_contain(&self, dir: &BStr) -> bool {
        self.search
            .as_ref()
            .is_none_or(|s| s.borrow().can_match_relative_path(dir, Some(true)))
    }
}

/// True when a command-line argument can only be a pathspec (git's
/// `looks_like_pathspec`): it holds a wildcard or starts with `:` magic.
pub fn looks_like_pathspec(arg: &str) -> bool {
    arg.contains(['*', '?', '['])
        || arg.starts_with(":(")
        || arg.starts_with(":!")
        || arg.starts_with(":^")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(prefix: &str, specs: &[&str]) -> Pathspec {
        let specs: Vec<OsString> = specs.iter().map(OsString::from).collect();
        Pathspec::new(&specs, Path::new(prefix), Path::new("/repo")).expect("valid pathspec")
    }

    #[test]
    fn globs_excludes_and_directories() {
        let s = spec("", &["*.ipynb"]);
        assert!(s.matches("a.ipynb".into()));
        assert!(s.matches("deep/dir/a.ipynb".into()), "git's * crosses /");
        assert!(!s.matches("a.txt".into()));
        let s = spec("", &[":(glob)dir/**/*.ipynb", ":!dir/skip"]);
        assert!(s.matches("dir/x/y.ipynb".into()));
        assert!(!s.matches("dir/skip/y.ipynb".into()));
        assert!(!s.matches("other/y.ipynb".into()));
        let s = spec("", &["dir"]);
        assert!(s.matches("dir/a.ipynb".into()));
        assert!(!s.matches("dirx/a.ipynb".into()));
        assert!(s.may_contain("dir".into()));
        assert!(!s.may_contain("other".into()));
        assert!(Pathspec::default().matches("anything".into()));
    }

    #[test]
    fn dot_with_an_exclude_selects_everything_else() {
        for (prefix, specs, inside, outside) in [
            (
                "",
                &[".", ":(exclude)nb/sub"][..],
                "nb/a.ipynb",
                "nb/sub/b.ipynb",
            ),
            ("", &[".", ":!nb/sub/"], "top.ipynb", "nb/sub/b.ipynb"),
            ("", &[":(exclude)nb/sub"], "nb/a.ipynb", "nb/sub/b.ipynb"),
            ("nb", &[".", ":!sub"], "nb/a.ipynb", "nb/sub/b.ipynb"),
        ] {
            let s = spec(prefix, specs);
            assert!(s.matches(inside.into()), "{specs:?} selects {inside}");
            assert!(!s.matches(outside.into()), "{specs:?} leaves out {outside}");
            assert!(s.may_contain("nb".into()), "{specs:?}");
        }
    }

    #[test]
    fn relative_to_a_subdirectory() {
        let s = spec("sub", &["*.ipynb"]);
        assert!(s.matches("sub/a.ipynb".into()));
        assert!(!s.matches("a.ipynb".into()));
        let s = spec("sub", &["../top.ipynb"]);
        assert!(s.matches("top.ipynb".into()));
    }

    #[test]
    fn what_looks_like_a_pathspec() {
        assert!(looks_like_pathspec("*.ipynb"));
        assert!(looks_like_pathspec(":(exclude)x"));
        assert!(looks_like_pathspec(":!x"));
        assert!(!looks_like_pathspec("HEAD~1"));
        assert!(!looks_like_pathspec("nb.ipynb"));
    }
}
