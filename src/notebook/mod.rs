//! The notebook model: a parsed `.ipynb` file that remembers how it was written.
//!
//! A [`Notebook`] keeps the whole JSON document (key order and number spelling
//! preserved) plus the [`Style`] it was serialized with, so that writing it back
//! reproduces the input byte for byte. [`Cell`] and [`Output`] are borrowed views
//! that hide the differences between nbformat 3 and 4 from the diff and merge code.

mod bounded;
mod cell;
mod load;
mod many;
pub(crate) mod raw;
mod stream;
mod style;

pub use bounded::{
    parse_size, read_bounded, read_bounded_into, read_config, read_first_line, read_limit,
    read_stream_bounded, set_read_limit, too_large, DEFAULT_READ_LIMIT, READ_LIMIT_ENV,
};
pub use cell::{Cell, Output, OutputKind};
pub use load::LoadError;
pub use many::{free_later, parse_many, read_many, PARALLEL_MIN_BYTES};
pub use style::Style;

use serde_json::{Map, Value};

/// A parsed notebook (nbformat 3 or 4).
#[derive(Debug, Clone)]
pub struct Notebook {
    /// The top-level JSON object, exactly as read (key order kept).
    pub root: Map<String, Value>,
    /// How the file was serialized; used when writing it back.
    pub style: Style,
    /// `nbformat` (major version: 3 or 4).
    pub major: u64,
    /// `nbformat_minor`, 0 when absent.
    pub minor: u64,
    /// The original bytes, kept only by [`Notebook::parse_keeping_raw`] (for
    /// writers that copy untouched cells verbatim).
    pub raw: Option<std::sync::Arc<[u8]>>,
}

impl Notebook {
    /// Parses notebook bytes. `name` is used in error messages only.
    pub fn parse(bytes: &[u8], name: &str) -> Result<Notebook, LoadError> {
        load::parse(bytes, name)
    }

    /// Parses notebook bytes and keeps them, so that [`Notebook::to_bytes_reusing`]
    /// can copy untouched cells verbatim.
    pub fn parse_keeping_raw(bytes: &[u8], name: &str) -> Result<Notebook, LoadError> {
        let mut nb = load::parse(bytes, name)?;
        nb.raw = Some(bytes.into());
        Ok(nb)
    }

    /// Reads and parses a notebook file.
    pub fn read(path: &std::path::Path) -> Result<Notebook, LoadError> {
        load::read(path)
    }

    /// True for nbformat 3 (worksheets, `input`, `prompt_number`).
    pub fn is_v3(&self) -> bool {
        self.major == 3
    }

    /// The cells in document order (v3: all worksheets, flattened).
    pub fn cells(&self) -> Vec<Cell<'_>> {
        let v3 = self.is_v3();
        let mut out = Vec::new();
        for list in self.cell_lists() {
            for value in list {
                if let Value::Object(map) = value {
                    out.push(Cell::new(map, v3));
                }
            }
        }
        out
    }

    fn cell_lists(&self) -> Vec<&Vec<Value>> {
        if self.is_v3() {
            match self.root.get("worksheets") {
                Some(Value::Array(ws)) => ws
                    .iter()
                    .filter_map(|w| match w.get("cells") {
                        Some(Value::Array(cells)) => Some(cells),
                        _ => None,
                    })
                    .collect(),
                _ => Vec::new(),
            }
        } else {
            match self.root.get("cells") {
                Some(Value::Array(cells)) => vec![cells],
                _ => Vec::new(),
            }
        }
    }

    /// Replaces the cells (v3: they all go into the first worksheet, which is
    /// created when missing; other worksheets are dropped).
    pub fn set_cells(&mut self, cells: Vec<Value>) {
        if self.is_v3() {
            let ws = self
                .root
                .entry("worksheets")
                .or_insert_with(|| Value::Array(Vec::new()));
            if !ws.is_array() {
                *ws = Value::Array(Vec::new());
            }
            if let Value::Array(list) = ws {
                if list.is_empty() {
                    list.push(Value::Object(Map::new()));
                }
                list.truncate(1);
                if let Value::Object(first) = &mut list[0] {
                    first.insert("cells".into(), Value::Array(cells));
                }
            }
        } else {
            self.root.insert("cells".into(), Value::Array(cells));
        }
    }

    /// The notebook-level metadata object, if any.
    pub fn metadata(&self) -> Option<&Map<String, Value>> {
        self.root.get("metadata").and_then(Value::as_object)
    }

    /// Serializes the notebook with its own [`Style`]. A notebook parsed with
    /// [`Notebook::parse_keeping_raw`] also gets its number spellings back
    /// (the parser reads `1e5` as `1e+5`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut originals = match self.raw.as_deref() {
            Some(raw) => {
                let numbers = spellings_map([raw::scan(raw, self.is_v3()).numbers]);
                style::Originals::with_numbers(numbers, true)
            }
            None => style::Originals::default(),
        };
        self.style.write_document_with(&self.root, &mut originals)
    }

    /// Serializes the notebook with its own [`Style`], copying every cell
    /// for which `unchanged(index)` holds verbatim from the notebook's own
    /// original bytes (kept by [`Notebook::parse_keeping_raw`]; index in
    /// [`Notebook::cells`] order). For writers that edit some cells in place
    /// (`nbdiff clean`): untouched cells keep their exact bytes. Without the
    /// original bytes, or when their layout is unexpected, this is
    /// [`Notebook::to_bytes`].
    pub fn to_bytes_keeping_cells(&self, unchanged: impl Fn(usize) -> bool) -> Vec<u8> {
        let Some(raw) = self.raw.as_deref() else {
            return self.to_bytes();
        };
        let found = raw::scan(raw, self.is_v3());
        let mut originals = style::Originals::with_numbers(spellings_map([found.numbers]), false);
        let cells = self.cells();
        if let Some(spans) = found.spans.filter(|s| s.len() == cells.len()) {
            for (i, (cell, span)) in cells.iter().zip(spans).enumerate() {
                if unchanged(i) {
                    originals
                        .splice
                        .insert(cell.map as *const Map<String, Value>, &raw[span]);
                }
            }
        }
        self.style
            .write_document_sized(&self.root, &mut originals, raw.len())
    }

    /// Serializes the notebook with its own [`Style`], but copies every cell
    /// that equals a cell of one of `sources` (parsed with
    /// [`Notebook::parse_keeping_raw`], same style and nbformat) verbatim from
    /// that source's bytes: untouched cells keep their exact formatting even
    /// where no single style describes the file. Numbers elsewhere get the
    /// sources' spellings back.
    pub fn to_bytes_reusing(&self, sources: &[&Notebook]) -> Vec<u8> {
        use std::collections::HashMap;
        type CellMap = Map<String, Value>;
        // A bucket key: the hash of the whole cell (every key, in order, and
        // every value), so that a bucket holds only equal cells (but for hash
        // collisions, which the full comparison below settles). A key of the
        // source alone made notebooks with many same-source cells (empty
        // cells, repeated code) quadratic: every lookup scanned them all.
        // foldhash, seeded at random per call: several times faster than
        // SipHash over whole cells, and a notebook cannot be written to make
        // many different cells share a key (each shared key would make every
        // lookup of it compare them all).
        let seeded = foldhash::quality::RandomState::default();
        let key = |c: &Cell<'_>| {
            let mut h = std::hash::BuildHasher::build_hasher(&seeded);
            hash_map_deep(c.map, &mut h);
            std::hash::Hasher::finish(&h)
        };
        let mut index: HashMap<u64, Vec<(&CellMap, &[u8])>> = HashMap::new();
        let mut numbers = Vec::with_capacity(sources.len());
        let mut capacity = 4096;
        for src in sources {
            let Some(raw) = src.raw.as_deref() else {
                continue;
            };
            capacity = capacity.max(raw.len());
            let found = raw::scan(raw, src.is_v3());
            numbers.push(found.numbers);
            if src.style != self.style || src.major != self.major {
                continue;
            }
            let cells = src.cells();
            let Some(spans) = found.spans else {
                continue;
            };
            if spans.len() != cells.len() {
                continue;
            }
            for (cell, span) in cells.iter().zip(spans) {
                index
                    .entry(key(cell))
                    .or_default()
                    .push((cell.map, &raw[span]));
            }
        }
        let mut originals = style::Originals::with_numbers(spellings_map(numbers), false);
        let splice = &mut originals.splice;
        if !index.is_empty() {
            for cell in self.cells() {
                let found = index.get(&key(&cell)).and_then(|candidates| {
                    candidates
                        .iter()
                        .find(|(map, _)| *map == cell.map && map.keys().eq(cell.map.keys()))
                });
                if let Some((_, raw)) = found {
                    splice.insert(cell.map as *const CellMap, raw);
                }
            }
        }
        self.style
            .write_document_sized(&self.root, &mut originals, capacity)
    }
}

/// Feeds a JSON object into `h`, keys in order, values recursively; equal
/// objects with equal key order hash equally (numbers by their spelling, as
/// they compare).
fn hash_map_deep(map: &Map<String, Value>, h: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    map.len().hash(h);
    for (k, v) in map {
        k.hash(h);
        hash_value_deep(v, h);
    }
}

fn hash_value_deep(v: &Value, h: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    match v {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Number(n) => {
            2u8.hash(h);
            // Hashes the spelling without allocating it.
            struct Feed<'a, H>(&'a mut H);
            impl<H: std::hash::Hasher> std::fmt::Write for Feed<'_, H> {
                fn write_str(&mut self, s: &str) -> std::fmt::Result {
                    self.0.write(s.as_bytes());
                    Ok(())
                }
            }
            let _ = std::fmt::Write::write_fmt(&mut Feed(h), format_args!("{n}"));
        }
        Value::String(s) => (3u8, s).hash(h),
        Value::Array(items) => {
            (4u8, items.len()).hash(h);
            for x in items {
                hash_value_deep(x, h);
            }
        }
        Value::Object(map) => {
            5u8.hash(h);
            hash_map_deep(map, h);
        }
    }
}

/// Normalized → original spellings, from the scans of the sources in order.
fn spellings_map(
    scans: impl IntoIterator<Item = Vec<(String, String)>>,
) -> std::collections::HashMap<String, Vec<String>> {
    let mut map: std::collections::HashMap<String, Vec<String>> = Default::default();
    for (normalized, original) in scans.into_iter().flatten() {
        map.entry(normalized).or_default().push(original);
    }
    map
}

/// Joins a multiline string field as nbformat does in memory: a list of
/// strings is concatenated, a string is taken as is, anything else is empty.
pub fn join_text(value: Option<&Value>) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    match value {
        Some(Value::String(s)) => Cow::Borrowed(s.as_str()),
        Some(Value::Array(items)) => {
            if items.len() == 1 {
                if let Value::String(s) = &items[0] {
                    return Cow::Borrowed(s.as_str());
                }
            }
            let len = items
                .iter()
                .map(|item| item.as_str().map_or(0, str::len))
                .sum();
            let mut s = String::with_capacity(len);
            for item in items {
                if let Value::String(part) = item {
                    s.push_str(part);
                }
            }
            Cow::Owned(s)
        }
        _ => Cow::Borrowed(""),
    }
}

/// Deep equality of two JSON values with the meaning of `==` (object key order
/// does not matter), but without hashing when both objects list their keys in
/// the same order, which two versions of a notebook almost always do.
pub fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => same_map(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        _ => a == b,
    }
}

/// [`same_value`] for objects.
pub fn same_map(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    if a.len() != b.len() {
        return false;
    }
    for ((ka, va), (kb, vb)) in a.iter().zip(b) {
        if ka != kb {
            // Keys in another order: compare by key.
            return a == b;
        }
        if !same_value(va, vb) {
            return false;
        }
    }
    true
}

/// [`same_value`] for optional values (absent equals only absent).
pub fn same_opt(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_value(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// `map.get(key)` for the small objects of a notebook (cells, outputs): a
/// scan of a few keys is cheaper than hashing the key with SipHash.
pub fn field<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if map.len() <= 12 {
        map.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        map.get(key)
    }
}
