//! nbdiff's own settings in git config, read in-process with gix: starting a
//! `git` process costs about 1.5 ms, most of a small diff.
//!
//! The repository's configuration (local, global, system, `GIT_CONFIG_*`
//! overrides) when `cwd` is inside one; otherwise the global and system files
//! (`GIT_CONFIG_GLOBAL`, `GIT_CONFIG_NOSYSTEM` honoured).

use gix::config::{File, Source};
use std::path::Path;

/// The multi-valued key naming the user's volatile paths.
pub const IGNORE_KEY: &str = "nbdiff.ignore";

/// Every value of `nbdiff.ignore`, lowest precedence first.
pub fn ignore_paths(cwd: &Path) -> Vec<String> {
    let values = match gix::discover_with_environment_overrides(cwd) {
        Ok(repo) => repo.config_snapshot().strings(IGNORE_KEY),
        Err(_) => globals().and_then(|f| f.strings(IGNORE_KEY)),
    };
    values
        .unwrap_or_default()
        .iter()
        .map(|v| v.to_string())
        .filter(|v| !v.trim().is_empty())
        .collect()
}

/// The system and global config files, without asking a `git` binary where
/// its installation's file is.
fn globals() -> Option<File> {
    let metas = [Source::System, Source::Git, Source::User]
        .into_iter()
        .filter_map(|source| {
            let path = source.storage_location(&mut gix::path::env::var)?;
            path.is_file()
                .then(|| gix::config::file::Metadata::from(source).at(path))
        });
    File::from_paths_metadata(metas, Default::default())
        .ok()
        .flatten()
}
