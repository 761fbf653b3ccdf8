//! Reading notebook files, with errors that name the file and the place.

use super::{Notebook, Style};
use serde_json::{Map, Value};
use std::path::Path;

/// Why a file could not be read as a notebook.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The path names a directory.
    #[error("{path}: is a directory, not a notebook file")]
    IsDirectory {
        /// The path.
        path: String,
    },
    /// The file is empty.
    #[error("{path}: file is empty, not a notebook")]
    Empty {
        /// The file.
        path: String,
    },
    /// The bytes are not UTF-8.
    #[error("{path}: line {line}, column {column}: not valid UTF-8 (notebooks are UTF-8 JSON)")]
    NotUtf8 {
        /// The file.
        path: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in bytes) of the first bad byte.
        column: usize,
    },
    /// The file holds git conflict markers from an unfinished merge.
    #[error("{path}: line {line}: contains git conflict markers (an unresolved merge); `nbdiff resolve` on the file merges it at cell level")]
    ConflictMarkers {
        /// The file.
        path: String,
        /// 1-based line of the first marker.
        line: usize,
    },
    /// The file is not valid JSON.
    #[error("{path}: line {line}, column {column}: invalid JSON: {message}")]
    Json {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// Valid JSON, but not a notebook.
    #[error("{path}: not a Jupyter notebook: {reason}")]
    NotNotebook {
        /// The file.
        path: String,
        /// What is missing or wrong.
        reason: String,
    },
    /// A notebook format this tool does not read.
    #[error("{path}: unsupported nbformat {major} (nbdiff reads nbformat 3 and 4)")]
    UnsupportedVersion {
        /// The file.
        path: String,
        /// The `nbformat` value found.
        major: String,
    },
    /// A cell that is not shaped like a cell.
    #[error("{path}: cell {cell}: {reason}")]
    BadCell {
        /// The file.
        path: String,
        /// 1-based cell number.
        cell: usize,
        /// What is wrong.
        reason: String,
    },
}

pub(super) fn read(path: &Path) -> Result<Notebook, LoadError> {
    let name = path.display().to_string();
    if path.is_dir() {
        return Err(LoadError::IsDirectory { path: name });
    }
    // A large file is parsed cell by cell as it is read (the same notebook,
    // without its bytes and its tree in memory at once); anything that path
    // does not take, including every error, is read whole below.
    if let Some(nb) = super::stream::read(path, &name) {
        return Ok(nb);
    }
    let bytes = super::read_bounded(path).map_err(|source| LoadError::Io {
        path: name.clone(),
        source,
    })?;
    parse(&bytes, &name)
}

pub(super) fn parse(bytes: &[u8], name: &str) -> Result<Notebook, LoadError> {
    let path = || name.to_string();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(LoadError::Empty { path: path() });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (line, column) = line_col(bytes, e.valid_up_to());
            return Err(LoadError::NotUtf8 {
                path: path(),
                line,
                column,
            });
        }
    };
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            if let Some(line) = conflict_marker_line(body) {
                return Err(LoadError::ConflictMarkers { path: path(), line });
            }
            let message = e.to_string();
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_string(),
                None => message,
            };
            return Err(LoadError::Json {
                path: path(),
                line: e.line(),
                column: e.column(),
                message,
            });
        }
    };
    finish(value, Style::detect(bytes), name)
}

/// The notebook of a parsed document, or why it is not one.
pub(super) fn finish(value: Value, style: Style, name: &str) -> Result<Notebook, LoadError> {
    let path = || name.to_string();
    let root = match value {
        Value::Object(map) => map,
        other => {
            return Err(LoadError::NotNotebook {
                path: path(),
                reason: format!("the top level is {}, not an object", kind_of(&other)),
            })
        }
    };
    let major = match root.get("nbformat") {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(m @ (3 | 4)) => m,
            _ => {
                return Err(LoadError::UnsupportedVersion {
                    path: path(),
                    major: n.to_string(),
                })
            }
        },
        Some(other) => {
            return Err(LoadError::NotNotebook {
                path: path(),
                reason: format!("\"nbformat\" is {}, not a number", kind_of(other)),
            })
        }
        None => {
            return Err(LoadError::NotNotebook {
                path: path(),
                reason: "no \"nbformat\" key".into(),
            })
        }
    };
    let minor = root
        .get("nbformat_minor")
        .and_then(Value::as_u64)
        .unwrap_or(0);
    check_cells(&root, major, name)?;
    Ok(Notebook {
        root,
        style,
        major,
        minor,
        raw: None,
    })
}

fn check_cells(root: &Map<String, Value>, major: u64, name: &str) -> Result<(), LoadError> {
    let not_nb = |reason: &str| LoadError::NotNotebook {
        path: name.to_string(),
        reason: reason.to_string(),
    };
    let lists: Vec<&Vec<Value>> = if major == 3 {
        let ws = match root.get("worksheets") {
            Some(Value::Array(ws)) => ws,
            _ => return Err(not_nb("nbformat 3 without a \"worksheets\" list")),
        };
        let mut lists = Vec::new();
        for w in ws {
            match w.get("cells") {
                Some(Value::Array(cells)) => lists.push(cells),
                None => {}
                _ => return Err(not_nb("a worksheet's \"cells\" is not a list")),
            }
        }
        lists
    } else {
        match root.get("cells") {
            Some(Value::Array(cells)) => vec![cells],
            Some(_) => return Err(not_nb("\"cells\" is not a list")),
            None => return Err(not_nb("no \"cells\" list")),
        }
    };
    let mut n = 0;
    for list in lists {
        for cell in list {
            n += 1;
            let bad = |reason: String| LoadError::BadCell {
                path: name.to_string(),
                cell: n,
                reason,
            };
            let map = cell
                .as_object()
                .ok_or_else(|| bad(format!("is {}, not an object", kind_of(cell))))?;
            match map.get("cell_type") {
                Some(Value::String(_)) => {}
                Some(other) => return Err(bad(format!("\"cell_type\" is {}", kind_of(other)))),
                None => return Err(bad("has no \"cell_type\"".into())),
            }
            let src_key =
                if major == 3 && map.get("cell_type").and_then(Value::as_str) == Some("code") {
                    "input"
                } else {
                    "source"
                };
            match map.get(src_key) {
                None | Some(Value::String(_)) => {}
                Some(Value::Array(items)) if items.iter().all(Value::is_string) => {}
                Some(_) => {
                    return Err(bad(format!(
                        "\"{src_key}\" must be a string or a list of strings"
                    )))
                }
            }
            if let Some(outputs) = map.get("outputs") {
                if !outputs
                    .as_array()
                    .is_some_and(|o| o.iter().all(Value::is_object))
                {
                    return Err(bad("\"outputs\" must be a list of objects".into()));
                }
            }
        }
    }
    Ok(())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_col(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => offset - nl,
        None => offset + 1,
    };
    (line, col)
}

/// The first line that starts with a git conflict marker, if any. Valid JSON
/// never has a line starting with `<`, so this only runs after a parse failure.
pub(crate) fn conflict_marker_line(text: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
        .map(|i| i + 1)
}
