//! The name analysis of `check` ([`super::names`]) as a small library for
//! other parts of nbdiff: what each code cell binds and reads at module
//! level. The diff's stale-output flags (`diff/stale.rs`) use it; nothing
//! here renders or reports.

use super::python::{analyse_cell, PARSE_STACK};
use crate::notebook::Notebook;

/// What one code cell binds and reads at module level.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellDeps {
    /// Names the cell binds (assignments, imports, `def`, `class`, `global`).
    pub binds: Vec<String>,
    /// Names the cell reads when it runs from what cells above bound, each
    /// once, in order of first read: not bound by the cell, or read before
    /// it binds them (`df = df.dropna()` reads `df` from above).
    pub reads: Vec<String>,
    /// `from m import *`, `exec` or a dynamic magic: it may bind anything.
    pub binds_unknown: bool,
}

/// Whether the notebook's cells are Python (by its kernel's language; true
/// when it says nothing), so that [`cell_deps`] means something.
pub fn is_python(nb: &Notebook) -> bool {
    super::is_python(nb)
}

/// What one source binds and reads: `None` when it is not Python, does
/// not parse or nests too deeply. Must run on a thread with a stack of
/// [`PARSE_STACK`] bytes (see [`with_parser`]).
fn deps_of(source: &str) -> Option<CellDeps> {
    analyse_cell(source).names().map(|n| {
        let mut seen = std::collections::HashSet::new();
        let reads = n
            .reads
            .into_iter()
            .map(|(name, _)| name)
            .filter(|name| !n.binds.contains(name) || n.read_first.contains(name))
            .filter(|name| seen.insert(name.clone()))
            .collect();
        let mut binds: Vec<String> = n.binds.into_iter().collect();
        binds.sort_unstable();
        CellDeps {
            binds,
            reads,
            binds_unknown: n.star_import || n.dynamic,
        }
    })
}

/// Runs `f` on a thread with a large stack (like `check`'s), handing it a
/// function that parses one source as [`cell_deps`] does, so that a caller
/// can choose which sources to parse as it goes. Without such a thread,
/// `f` runs here and its parser parses nothing (always `None`).
pub fn with_parser<R, F>(f: F) -> R
where
    R: Send,
    F: FnOnce(&dyn Fn(&str) -> Option<CellDeps>) -> R + Send,
{
    let mut f = Some(f);
    let spawned = std::thread::scope(|s| {
        let f = &mut f;
        let run = move || f.take().map(|f| f(&deps_of));
        match std::thread::Builder::new()
            .name("nbdiff-deps-parse".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(s, run)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => None,
        }
    });
    match (spawned, f) {
        (Some(r), _) => r,
        (None, Some(f)) => f(&|_| None),
        // The thread ran `f` (it took it) yet returned nothing: cannot be.
        (None, None) => unreachable!("with_parser: f ran without a result"),
    }
}

/// Parses each source (code cells' sources, IPython syntax allowed); `None`
/// for one that is not Python, does not parse or nests too deeply. The
/// parsing runs on a thread with a large stack, like `check`'s; without
/// one, nothing is parsed (every entry `None`). Linear in the sources' size.
pub fn cell_deps(sources: &[&str]) -> Vec<Option<CellDeps>> {
    with_parser(|parse| sources.iter().map(|s| parse(s)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binds_and_reads() {
        let deps = cell_deps(&[
            "import pandas as pd\ndf = pd.read_csv('x')",
            "df.head()\ndf",
            "%%bash\nls",
            "def (",
        ]);
        let d0 = deps[0].as_ref().expect("parsed");
        assert_eq!(d0.binds, ["df", "pd"]);
        let d1 = deps[1].as_ref().expect("parsed");
        assert_eq!(d1.reads, ["df"]);
        let own = cell_deps(&[
            "x = 1\nprint(x)",
            "df = df.dropna()\nfor i in r:\n    t = t + i",
        ]);
        assert_eq!(own[0].as_ref().expect("parsed").reads, ["print"]);
        assert_eq!(own[1].as_ref().expect("parsed").reads, ["df", "r", "t"]);
        assert!(deps[3].is_none());
    }
}
