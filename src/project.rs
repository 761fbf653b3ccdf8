//! The project configuration file: `[tool.nbdiff]` in `pyproject.toml`, or a
//! `nbdiff.toml` whose top level is the same table.
//!
//! Discovery walks up from a starting directory and takes the first of, in each
//! directory: `nbdiff.toml`, then a `pyproject.toml` that has a `[tool.nbdiff]`
//! table (a `pyproject.toml` without one does not stop the search, as with
//! ruff). The walk stops after the directory that holds `.git` (the repository
//! root), so a configuration outside the repository never leaks in.
//!
//! Each consumer reads its own keys: the top level (`ignore = [...]`) and
//! sub-tables (`[tool.nbdiff.check]`, `[tool.nbdiff.clean]`). Deserialize a
//! section into a typed struct with [`ProjectConfig::section_as`], which turns
//! a type mismatch into an error naming the file and the key.
//!
//! ```
//! use nbdiff::project::ProjectConfig;
//! let cfg = ProjectConfig::from_str(
//!     "pyproject.toml".as_ref(),
//!     "[tool.nbdiff]\nignore = ['metadata.foo']\n[tool.nbdiff.check]\nmax-output-bytes = 10\n",
//! )
//! .unwrap()
//! .unwrap();
//! assert_eq!(cfg.string_list("ignore").unwrap(), vec!["metadata.foo".to_string()]);
//! assert!(cfg.section("check").is_some());
//! ```

use std::path::{Path, PathBuf};

/// Where the settings came from and what they are.
#[derive(Debug, Clone)]
pub struct ProjectConfig {
    /// The file the settings were read from.
    pub path: PathBuf,
    /// The `[tool.nbdiff]` table (or the whole of `nbdiff.toml`).
    pub table: toml::Table,
}

/// Reading or interpreting the project file failed.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// The file exists but could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML.
    #[error("{}:{line}:{column}: not valid TOML: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column (in characters) of the error.
        column: usize,
        /// What the TOML parser said.
        message: String,
    },
    /// A key holds a value of the wrong type.
    #[error("{}: {key}: {message}", path.display())]
    Value {
        /// The file.
        path: PathBuf,
        /// The dotted key, e.g. `tool.nbdiff.check.max-output-bytes`.
        key: String,
        /// What was expected.
        message: String,
    },
}

/// The file names looked for in each directory, in order.
const NBDIFF_TOML: &str = "nbdiff.toml";
const PYPROJECT: &str = "pyproject.toml";

impl ProjectConfig {
    /// Finds the project file for `start` (a directory, or a file whose
    /// directory is used) by walking up to the repository root. `Ok(None)`
    /// when there is none.
    pub fn discover(start: &Path) -> Result<Option<ProjectConfig>, ProjectError> {
        let start = if start.is_dir() {
            start.to_path_buf()
        } else {
            start.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let start = if start.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            start
        };
        let start = std::fs::canonicalize(&start).unwrap_or(start);
        for dir in start.ancestors() {
            for name in [NBDIFF_TOML, PYPROJECT] {
                let path = dir.join(name);
                if !path.is_file() {
                    continue;
                }
                if let Some(cfg) = Self::load(&path)? {
                    return Ok(Some(cfg));
                }
            }
            if dir.join(".git").exists() {
                break;
            }
        }
        Ok(None)
    }

    /// Reads one file: `nbdiff.toml` (any name not ending in
    /// `pyproject.toml`) is the table itself; a `pyproject.toml` gives its
    /// `[tool.nbdiff]` table, or `Ok(None)` when it has none.
    pub fn load(path: &Path) -> Result<Option<ProjectConfig>, ProjectError> {
        let text = crate::notebook::read_config(path).map_err(|source| ProjectError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_str(path, &text)
    }

    /// Interprets `text` as the contents of `path` (see [`ProjectConfig::load`]).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(path: &Path, text: &str) -> Result<Option<ProjectConfig>, ProjectError> {
        let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let (line, column) = e
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((1, 1));
            ProjectError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        let is_pyproject = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy() == PYPROJECT);
        if !is_pyproject {
            return Ok(Some(ProjectConfig {
                path: path.to_path_buf(),
                table: doc,
            }));
        }
        let Some(tool) = doc.get("tool") else {
            return Ok(None);
        };
        let Some(tool) = tool.as_table() else {
            return Err(value_error(path, "tool", "expected a table"));
        };
        match tool.get("nbdiff") {
            None => Ok(None),
            Some(toml::Value::Table(t)) => Ok(Some(ProjectConfig {
                path: path.to_path_buf(),
                table: t.clone(),
            })),
            Some(_) => Err(value_error(path, "tool.nbdiff", "expected a table")),
        }
    }

    /// The prefix of keys as the user wrote them (`tool.nbdiff.` in a
    /// pyproject, nothing in `nbdiff.toml`), for error messages.
    pub fn key_prefix(&self) -> &'static str {
        if self
            .path
            .file_name()
            .is_some_and(|n| n.to_string_lossy() == PYPROJECT)
        {
            "tool.nbdiff."
        } else {
            ""
        }
    }

    /// A top-level value.
    pub fn get(&self, key: &str) -> Option<&toml::Value> {
        self.table.get(key)
    }

    /// A sub-table such as `check` (`[tool.nbdiff.check]`).
    pub fn section(&self, name: &str) -> Option<&toml::Table> {
        self.table.get(name).and_then(toml::Value::as_table)
    }

    /// A sub-table deserialized into `T`; `Ok(None)` when absent. A wrong
    /// type or unknown shape is an error naming the file and key.
    pub fn section_as<T: serde::de::DeserializeOwned>(
        &self,
        name: &str,
    ) -> Result<Option<T>, ProjectError> {
        let Some(value) = self.table.get(name) else {
            return Ok(None);
        };
        value
            .clone()
            .try_into()
            .map(Some)
            .map_err(|e: toml::de::Error| {
                value_error(
                    &self.path,
                    &format!("{}{name}", self.key_prefix()),
                    e.message().trim(),
                )
            })
    }

    /// A top-level list of strings (`ignore = ["a", "b"]`); empty when absent.
    pub fn string_list(&self, key: &str) -> Result<Vec<String>, ProjectError> {
        let Some(value) = self.table.get(key) else {
            return Ok(Vec::new());
        };
        let bad = || {
            value_error(
                &self.path,
                &format!("{}{key}", self.key_prefix()),
                "expected a list of strings",
            )
        };
        let array = value.as_array().ok_or_else(bad)?;
        array
            .iter()
            .map(|v| v.as_str().map(str::to_string).ok_or_else(bad))
            .collect()
    }
}

fn value_error(path: &Path, key: &str, message: &str) -> ProjectError {
    ProjectError::Value {
        path: path.to_path_buf(),
        key: key.to_string(),
        message: message.to_string(),
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = text.get(..at).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn pyproject_without_tool_nbdiff_is_skipped_and_search_continues() {
        let tmp = tempfile::tempdir().unwrap();
        let sub = tmp.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::create_dir(tmp.path().join(".git")).unwrap();
        write(&sub, PYPROJECT, "[tool.ruff]\nline-length = 80\n");
        write(
            tmp.path(),
            PYPROJECT,
            "[tool.nbdiff]\nignore = ['metadata.x']\n",
        );
        let cfg = ProjectConfig::discover(&sub).unwrap().unwrap();
        assert_eq!(
            cfg.path,
            std::fs::canonicalize(tmp.path()).unwrap().join(PYPROJECT)
        );
        assert_eq!(cfg.string_list("ignore").unwrap(), ["metadata.x"]);
    }

    #[test]
    fn nbdiff_toml_wins_over_pyproject_in_the_same_directory() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir(tmp.path().join(".git")).unwrap();
        write(tmp.path(), PYPROJECT, "[tool.nbdiff]\nignore = ['a']\n");
        write(tmp.path(), NBDIFF_TOML, "ignore = ['b']\n");
        let cfg = ProjectConfig::discover(tmp.path()).unwrap().unwrap();
        assert_eq!(cfg.string_list("ignore").unwrap(), ["b"]);
        assert_eq!(cfg.key_prefix(), "");
    }

    #[test]
    fn search_stops_at_the_repository_root() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        write(tmp.path(), NBDIFF_TOML, "ignore = ['outside']\n");
        assert!(ProjectConfig::discover(&repo).unwrap().is_none());
    }

    #[test]
    fn invalid_toml_names_file_line_and_column() {
        let err = ProjectConfig::from_str(
            Path::new("pyproject.toml"),
            "[tool.nbdiff]\nignore = [\n  'a',\n  = \n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("pyproject.toml:4:"), "{text}");
        assert!(text.contains("not valid TOML"), "{text}");
    }

    #[test]
    fn wrong_types_name_the_key() {
        let cfg =
            ProjectConfig::from_str(Path::new("pyproject.toml"), "[tool.nbdiff]\nignore = 3\n")
                .unwrap()
                .unwrap();
        let err = cfg.string_list("ignore").unwrap_err().to_string();
        assert_eq!(
            err,
            "pyproject.toml: tool.nbdiff.ignore: expected a list of strings"
        );
        let cfg = ProjectConfig::from_str(Path::new("pyproject.toml"), "[tool]\nnbdiff = 1\n")
            .unwrap_err();
        assert!(cfg.to_string().contains("tool.nbdiff: expected a table"));
    }

    #[test]
    fn section_as_deserializes_and_reports_mismatches() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        struct Clean {
            outputs: String,
        }
        let cfg = ProjectConfig::from_str(
            Path::new("nbdiff.toml"),
            "[clean]\noutputs = 'strip'\n[check]\nbogus = 1\n",
        )
        .unwrap()
        .unwrap();
        let clean: Clean = cfg.section_as("clean").unwrap().unwrap();
        assert_eq!(clean.outputs, "strip");
        let err = cfg.section_as::<Clean>("check").unwrap_err().to_string();
        assert!(err.starts_with("nbdiff.toml: check: "), "{err}");
        assert!(cfg.section_as::<Clean>("absent").unwrap().is_none());
    }
}
