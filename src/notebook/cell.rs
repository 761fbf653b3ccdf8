//! Borrowed views of cells and outputs that read nbformat 3 and 4 alike.

use super::{field, join_text};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A cell of a notebook, borrowed from the JSON document.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    /// The cell's JSON object.
    pub map: &'a Map<String, Value>,
    v3: bool,
}

impl<'a> Cell<'a> {
    /// Wraps a cell object; `v3` selects nbformat 3 field names.
    pub fn new(map: &'a Map<String, Value>, v3: bool) -> Self {
        Cell { map, v3 }
    }

    /// `code`, `markdown`, `raw` (v3 also `heading`).
    pub fn cell_type(&self) -> &'a str {
        field(self.map, "cell_type")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The cell id (nbformat 4.5+), if present.
    pub fn id(&self) -> Option<&'a str> {
        field(self.map, "id").and_then(Value::as_str)
    }

    /// Name of the source field: `source`, or `input` for v3 code cells.
    pub fn source_key(&self) -> &'static str {
        if self.v3 && self.cell_type() == "code" {
            "input"
        } else {
            "source"
        }
    }

    /// The source text, lines joined.
    pub fn source(&self) -> Cow<'a, str> {
        join_text(field(self.map, self.source_key()))
    }

    /// Name of the execution count field: `execution_count`, v3 `prompt_number`.
    pub fn execution_count_key(&self) -> &'static str {
        if self.v3 {
            "prompt_number"
        } else {
            "execution_count"
        }
    }

    /// The outputs of a code cell (empty otherwise).
    pub fn outputs(&self) -> Vec<Output<'a>> {
        match field(self.map, "outputs") {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(Value::as_object)
                .map(|map| Output { map, v3: self.v3 })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The cell metadata object, if any.
    pub fn metadata(&self) -> Option<&'a Map<String, Value>> {
        field(self.map, "metadata").and_then(Value::as_object)
    }

    /// Markdown/raw cell attachments (`name -> {mime: base64}`), if any.
    pub fn attachments(&self) -> Option<&'a Map<String, Value>> {
        field(self.map, "attachments").and_then(Value::as_object)
    }
}

/// The normalized kind of an output (v3 names mapped to v4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// `stream` (stdout/stderr).
    Stream,
    /// `execute_result` (v3 `pyout`).
    ExecuteResult,
    /// `display_data`.
    DisplayData,
    /// `error` (v3 `pyerr`).
    Error,
    /// Anything else.
    Other,
}

/// An output of a code cell, borrowed from the JSON document.
#[derive(Debug, Clone, Copy)]
pub struct Output<'a> {
    /// The output's JSON object.
    pub map: &'a Map<String, Value>,
    v3: bool,
}

/// v3 stores mime bundles at the top level of an output under short names.
const V3_MIME: &[(&str, &str)] = &[
    ("text", "text/plain"),
    ("html", "text/html"),
    ("svg", "image/svg+xml"),
    ("png", "image/png"),
    ("jpeg", "image/jpeg"),
    ("latex", "text/latex"),
    ("json", "application/json"),
    ("javascript", "application/javascript"),
    ("markdown", "text/markdown"),
    ("pdf", "application/pdf"),
];

impl<'a> Output<'a> {
    /// The raw `output_type` string.
    pub fn output_type(&self) -> &'a str {
        field(self.map, "output_type")
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// The normalized kind.
    pub fn kind(&self) -> OutputKind {
        match self.output_type() {
            "stream" => OutputKind::Stream,
            "execute_result" | "pyout" => OutputKind::ExecuteResult,
            "display_data" => OutputKind::DisplayData,
            "error" | "pyerr" => OutputKind::Error,
            _ => OutputKind::Other,
        }
    }

    /// Stream name (`stdout`/`stderr`) for stream outputs.
    pub fn stream_name(&self) -> Option<&'a str> {
        field(self.map, "name")
            .or_else(|| field(self.map, "stream"))
            .and_then(Value::as_str)
    }

    /// Stream text (joined).
    pub fn text(&self) -> Cow<'a, str> {
        join_text(field(self.map, "text"))
    }

    /// The mime bundle as `(mime type, value)` pairs, v3 short names mapped.
    pub fn data(&self) -> Vec<(Cow<'a, str>, &'a Value)> {
        if self.v3 {
            if self.kind() == OutputKind::Stream {
                return Vec::new();
            }
            let mut out = Vec::new();
            for (key, value) in self.map {
                if let Some((_, mime)) = V3_MIME.iter().find(|(k, _)| k == key) {
                    out.push((Cow::Borrowed(*mime), value));
                }
            }
            out
        } else {
            match field(self.map, "data") {
                Some(Value::Object(map)) => map
                    .iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), v))
                    .collect(),
                _ => Vec::new(),
            }
        }
    }

    /// For errors: `ename: evalue` and the traceback lines.
    pub fn error(&self) -> Option<(String, Vec<&'a str>)> {
        if self.kind() != OutputKind::Error {
            return None;
        }
        let ename = field(self.map, "ename")
            .and_then(Value::as_str)
            .unwrap_or("");
        let evalue = field(self.map, "evalue")
            .and_then(Value::as_str)
            .unwrap_or("");
        let tb = match field(self.map, "traceback") {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        Some((format!("{ename}: {evalue}"), tb))
    }
}
