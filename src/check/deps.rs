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

/// Parses each source (code cells' sources, IPython syntax allowed); `None`
/// for one that is not Python, does not parse or nests too deeply. The
/// parsing runs on a thread with a large stack, like `check`'s; without
/// one, nothing is parsed (every entry `None`). Linear in the sources' size.
pub fn cell_deps(sources: &[&str]) -> Vec<Option<CellDeps>> {
    let run = || {
        sources
            .iter()
            .map(|s| {
                analyse_cell(s).names().map(|n| {
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
            })
            .collect::<Vec<_>>()
    };
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .name("nbdiff-deps-parse".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(s, run)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            Err(_) => vec![None; sources.len()],
        }
    })
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
