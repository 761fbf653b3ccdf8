//! `clean --check` without the parsed tree: one pass of `serde_json` over the
//! bytes that keeps only what [`Cleaner::plan`](super::Cleaner::plan) asks —
//! which rows' paths are present (and whether the value is `null`), how many
//! outputs each cell has, and the shape checks `Notebook::parse` makes — and
//! materialises nothing else (strings stay in the input; no `Value`).
//!
//! It answers exactly what the full plan answers, or not at all: every value
//! goes through the same `serde_json` parser calls as a `Value` would
//! (`deserialize_any`, so the recursion limit, string escapes, surrogates
//! and numbers are checked the same way; under `arbitrary_precision` a
//! number is a one-key map, and a literal object whose first key is that
//! key is read as a number, as `Value` reads it), duplicate keys keep the
//! last value as `serde_json::Map` does, and anything it is unsure of — a
//! file the full parse would refuse, a row under a key the shape checks
//! read, a strip that could touch a required field — returns `None`, and
//! the caller parses in full, which gives the same error or answer.
//! `tests::lean_equals_full_*` compare the two on every fixture and on
//! generated variants.

use super::{Change, Place, Plan, Strip, CELL_REQUIRED, NOTEBOOK_REQUIRED, OUTPUT_REQUIRED};
use crate::policy::{Field, Scope};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The key `serde_json` (with `arbitrary_precision`) gives a number's
/// one-entry map (its private `TOKEN`).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// The rows of one scope as a tree of path segments.
#[derive(Debug, Default)]
struct Node {
    children: Vec<(String, Node)>,
    /// Rows (indexes into the cleaner's rows) whose path ends here.
    rows: Vec<usize>,
}

impl Node {
    fn insert(&mut self, path: &str, row: usize) {
        let mut at = self;
        for seg in path.split('.') {
            let i = match at.children.iter().position(|(n, _)| n == seg) {
                Some(i) => i,
                None => {
                    at.children.push((seg.to_string(), Node::default()));
                    at.children.len() - 1
                }
            };
            at = &mut at.children[i].1;
        }
        at.rows.push(row);
    }

    fn child(&self, key: &str) -> Option<usize> {
        self.children.iter().position(|(n, _)| n == key)
    }
}

/// The lean planner for one cleaner's rows.
#[derive(Debug)]
pub(super) struct Lean {
    paths: Vec<String>,
    notebook: Node,
    cell: Node,
    output: Node,
    /// Cell rows whose path is `outputs` (emptied, not removed).
    outputs_rows: Vec<usize>,
}

/// Keys whose values the shape checks read, per scope: a row below one of
/// them (or naming one, except a cell's `outputs`) is left to the full parse.
const NOTEBOOK_SHAPE: &[&str] = &["cells", "worksheets", "nbformat"];
const CELL_SHAPE: &[&str] = &["cell_type", "source", "input", "outputs"];

impl Lean {
    /// `None` when a row is one the lean pass does not answer for.
    pub(super) fn new(rows: &[Field]) -> Option<Lean> {
        let mut lean = Lean {
            paths: rows.iter().map(|f| f.path.to_string()).collect(),
            notebook: Node::default(),
            cell: Node::default(),
            output: Node::default(),
            outputs_rows: Vec::new(),
        };
        for (i, row) in rows.iter().enumerate() {
            let first = row.path.split('.').next().unwrap_or("");
            match row.scope {
                Scope::Notebook if NOTEBOOK_SHAPE.contains(&first) => return None,
                Scope::Notebook => lean.notebook.insert(&row.path, i),
                Scope::Cell if row.path == "outputs" => lean.outputs_rows.push(i),
                Scope::Cell if CELL_SHAPE.contains(&first) => return None,
                Scope::Cell => lean.cell.insert(&row.path, i),
                Scope::Output if first == "outputs" => return None,
                Scope::Output => lean.output.insert(&row.path, i),
            }
        }
        Some(lean)
    }

    /// The plan for `bytes`, exactly as the full parse would make it, or
    /// `None` (not sure: parse in full).
    pub(super) fn plan(&self, bytes: &[u8]) -> Option<Plan> {
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return None;
        }
        let text = std::str::from_utf8(bytes).ok()?;
        let body = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut de = serde_json::Deserializer::from_str(body);
        let root = RootSeed(self, plain(body.as_bytes()))
            .deserialize(&mut de)
            .ok()?;
        de.end().ok()?;
        self.finish(root?)
    }

    fn finish(&self, root: RootFacts) -> Option<Plan> {
        let major = match &root.nbformat {
            Some(serde_json::Value::Number(n)) => match n.as_u64() {
                Some(m @ (3 | 4)) => m,
                _ => return None,
            },
            _ => return None,
        };
        let v3 = major == 3;
        let lists: Vec<Vec<CellFacts>> = if v3 {
            let mut lists = Vec::new();
            for ws in root.worksheets? {
                match ws {
                    List::Absent => {}
                    List::Bad => return None,
                    List::Items(cells) => lists.push(cells),
                }
            }
            lists
        } else {
            match root.cells {
                List::Items(cells) => vec![cells],
                _ => return None,
            }
        };
        let mut strips = Vec::new();
        let mut hits = root.hits;
        hits.sort_unstable();
        for (row, _) in hits {
            strips.push(Strip {
                place: Place::Notebook,
                change: Change::Remove(self.paths[row].clone()),
            });
        }
        for (i, cell) in lists.into_iter().flatten().enumerate() {
            let cell = cell.valid(v3)?;
            let mut changes: Vec<(usize, Change)> = Vec::new();
            for (row, nonnull) in cell.hits {
                changes.extend(self.change(row, nonnull, v3).map(|c| (row, c)));
            }
            let emptied = cell.outputs.as_ref().is_some_and(|o| o.len > 0);
            if emptied {
                changes.extend(
                    self.outputs_rows
                        .iter()
                        .map(|&r| (r, Change::Empty(self.paths[r].clone()))),
                );
            }
            changes.sort_by_key(|(row, _)| *row);
            let outputs_emptied = emptied && !self.outputs_rows.is_empty();
            strips.extend(changes.into_iter().map(|(_, change)| Strip {
                place: Place::Cell(i),
                change,
            }));
            if outputs_emptied {
                continue;
            }
            let Some(mut outputs) = cell.outputs else {
                continue;
            };
            outputs.hits.sort_unstable();
            for (output, row, nonnull) in outputs.hits {
                if let Some(change) = self.change(row, nonnull, v3) {
                    strips.push(Strip {
                        place: Place::Output { cell: i, output },
                        change,
                    });
                }
            }
        }
        // A removal of a required field, or below a nested one (whose
        // object it may leave empty and pruned), could make the cleaned
        // notebook invalid: the full path decides (and refuses) those. A
        // first segment (`metadata`) is never pruned.
        let required = |place: Place| match place {
            Place::Notebook => NOTEBOOK_REQUIRED,
            Place::Cell(_) => CELL_REQUIRED,
            Place::Output { .. } => OUTPUT_REQUIRED,
        };
        let risky = strips.iter().any(|s| match &s.change {
            Change::Remove(p) => required(s.place).iter().any(|r| {
                p == r
                    || (r.contains('.')
                        && p.strip_prefix(r).is_some_and(|rest| rest.starts_with('.')))
            }),
            _ => false,
        });
        (!risky).then_some(Plan { strips })
    }

    /// What `change_for` makes of a present row (not `outputs`).
    fn change(&self, row: usize, nonnull: bool, v3: bool) -> Option<Change> {
        let path = &self.paths[row];
        if path == "execution_count" && !v3 {
            return nonnull.then(|| Change::Null(path.clone()));
        }
        Some(Change::Remove(path.clone()))
    }
}

/// What a value was, as far as the shape checks care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Null,
    Other,
    Str,
    /// An array; `strings` when every item is a string.
    Array {
        strings: bool,
    },
    Object,
}

/// A list the notebook's shape depends on (`cells`, a worksheet's `cells`).
#[derive(Debug, Default)]
enum List<T> {
    #[default]
    Absent,
    Bad,
    Items(Vec<T>),
}

#[derive(Debug, Default)]
struct RootFacts {
    nbformat: Option<serde_json::Value>,
    cells: List<CellFacts>,
    /// `None`: absent or not a list.
    worksheets: Option<Vec<List<CellFacts>>>,
    hits: Vec<(usize, bool)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum CellType {
    #[default]
    Absent,
    NotString,
    Code,
    Other,
}

#[derive(Debug, Default)]
struct OutputsFacts {
    len: usize,
    /// (output, row, value not null).
    hits: Vec<(usize, usize, bool)>,
}

#[derive(Debug, Default)]
struct CellFacts {
    object: bool,
    cell_type: CellType,
    source: Option<Shape>,
    input: Option<Shape>,
    /// `None`: absent; `Some(Err)`: not a list of objects.
    outputs: Option<Result<OutputsFacts, ()>>,
    hits: Vec<(usize, bool)>,
}

/// A cell that passed `Notebook::parse`'s checks.
struct ValidCell {
    outputs: Option<OutputsFacts>,
    hits: Vec<(usize, bool)>,
}

impl CellFacts {
    /// The cell as `check_cells` (notebook/load.rs) accepts it, or `None`.
    fn valid(self, v3: bool) -> Option<ValidCell> {
        if !self.object || matches!(self.cell_type, CellType::Absent | CellType::NotString) {
            return None;
        }
        let src = if v3 && self.cell_type == CellType::Code {
            self.input
        } else {
            self.source
        };
        match src {
            None | Some(Shape::Str) | Some(Shape::Array { strings: true }) => {}
            Some(_) => return None,
        }
        let outputs = match self.outputs {
            None => None,
            Some(Ok(o)) => Some(o),
            Some(Err(())) => return None,
        };
        Some(ValidCell {
            outputs,
            hits: self.hits,
        })
    }
}

/// A key, matched without copying it.
enum KeyHit {
    /// The first key of a number (or of an object `Value` reads as one).
    Token,
    At(usize),
    Other,
}

struct KeySeed<F>(F);

impl<'de, F: FnOnce(&str) -> Option<usize>> DeserializeSeed<'de> for KeySeed<F> {
    type Value = KeyHit;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<KeyHit, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, F: FnOnce(&str) -> Option<usize>> Visitor<'de> for KeySeed<F> {
    type Value = KeyHit;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<KeyHit, E> {
        if s == NUMBER_TOKEN {
            return Ok(KeyHit::Token);
        }
        Ok((self.0)(s).map_or(KeyHit::Other, KeyHit::At))
    }
}

/// The value after a number's key: a string holding a valid number, as
/// `serde_json`'s `NumberFromString` requires.
struct NumberText;

impl<'de> DeserializeSeed<'de> for NumberText {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for NumberText {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("string containing a number")
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<(), E> {
        s.parse::<serde_json::Number>()
            .map(drop)
            .map_err(de::Error::custom)
    }
}

/// Reads a value nothing is asked of: as `Value` reads it ([`Skip`]), or,
/// in a document [`plain`] found free of what `IgnoredAny` reads
/// differently (deep nesting, surrogate escapes, the number key), with
/// `IgnoredAny`, which copies no string (an escaped string is otherwise
/// copied whole: a base64 image ending in `\n`, megabytes).
fn ignore<'de, A: MapAccess<'de>>(m: &mut A, plain: bool) -> Result<(), A::Error> {
    if plain {
        m.next_value::<de::IgnoredAny>()?;
    } else {
        m.next_value_seed(Skip(false))?;
    }
    Ok(())
}

/// True when `IgnoredAny` reads `bytes` (valid UTF-8 JSON or not) as a
/// `Value` would: nesting at most [`PLAIN_DEPTH`] deep (`IgnoredAny` has
/// no recursion limit), no `\uD800`–`\uDFFF` escape (it lets a lone
/// surrogate pass), no key spelled with `\u` escapes and no literal
/// number key (`Value` reads `{"$serde_json::private::Number": …}` as a
/// number). One pass; strings skipped with `memchr`.
fn plain(bytes: &[u8]) -> bool {
    if memchr::memmem::find(bytes, NUMBER_TOKEN.as_bytes()).is_some() {
        return false;
    }
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => {
                let mut unicode = false;
                loop {
                    let Some(at) = bytes.get(i..).and_then(|r| memchr::memchr2(b'"', b'\\', r))
                    else {
                        return false;
                    };
                    i += at + 1;
                    if bytes[i - 1] == b'"' {
                        break;
                    }
                    if bytes.get(i) == Some(&b'u') {
                        unicode = true;
                        if matches!(bytes.get(i + 1), Some(b'd' | b'D'))
                            && matches!(
                                bytes.get(i + 2),
                                Some(b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F')
                            )
                        {
                            return false;
                        }
                    }
                    i += 1;
                }
                if unicode {
                    let next = bytes[i..].iter().find(|c| !c.is_ascii_whitespace());
                    if next == Some(&b':') {
                        return false;
                    }
                }
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > PLAIN_DEPTH {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// Well below `serde_json`'s recursion limit (128).
const PLAIN_DEPTH: usize = 100;

/// Reads the first key of a map; `Ok(Err(shape))` when the map is a number
/// (its value read as `Value` reads it), else the key.
fn first_key<'de, A: MapAccess<'de>>(
    m: &mut A,
    find: impl FnOnce(&str) -> Option<usize>,
) -> Result<Result<Option<KeyHit>, Shape>, A::Error> {
    match m.next_key_seed(KeySeed(find))? {
        Some(KeyHit::Token) => {
            m.next_value_seed(NumberText)?;
            Ok(Err(Shape::Other))
        }
        k => Ok(Ok(k)),
    }
}

/// The scalar visits every value visitor shares: anything but an object or
/// array is [`Shape::Null`], [`Shape::Str`] or [`Shape::Other`].
macro_rules! scalars {
    ($t:ty, $wrap:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<$t, E> {
            Ok($wrap(Shape::Null))
        }
        fn visit_none<E: de::Error>(self) -> Result<$t, E> {
            Ok($wrap(Shape::Null))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<$t, E> {
            Ok($wrap(Shape::Other))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<$t, E> {
            Ok($wrap(Shape::Other))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<$t, E> {
            Ok($wrap(Shape::Other))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<$t, E> {
            Ok($wrap(Shape::Other))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<$t, E> {
            Ok($wrap(Shape::Str))
        }
    };
}

/// Any value, read and checked as `Value` reads it, kept as its [`Shape`].
struct Skip(bool);

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = Shape;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = Shape;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    scalars!(Shape, |s| s);
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Shape, A::Error> {
        let mut strings = true;
        while let Some(item) = s.next_element_seed(Skip(self.0))? {
            strings &= item == Shape::Str;
        }
        Ok(Shape::Array { strings })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Shape, A::Error> {
        match first_key(&mut m, |_: &str| None)? {
            Err(number) => return Ok(number),
            Ok(None) => return Ok(Shape::Object),
            Ok(Some(_)) => ignore(&mut m, self.0)?,
        }
        while m.next_key_seed(KeySeed(|_: &str| None))?.is_some() {
            ignore(&mut m, self.0)?;
        }
        Ok(Shape::Object)
    }
}

/// A value at a node of a scope's row tree: its shape, and the rows below
/// it that are present, each with whether its value is not `null`.
struct AtNode<'t>(&'t Node, bool);

type Found = (Shape, Vec<(usize, bool)>);

impl<'de> DeserializeSeed<'de> for AtNode<'_> {
    type Value = Found;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Found, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AtNode<'_> {
    type Value = Found;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    scalars!(Found, |s| (s, Vec::new()));
    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<Found, A::Error> {
        Ok((Skip(self.1).visit_seq(s)?, Vec::new()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Found, A::Error> {
        let plain = self.1;
        let node = self.0;
        // One slot per child: a repeated key keeps its last value.
        let mut slots: Vec<Option<Vec<(usize, bool)>>> = Vec::new();
        let mut key = match first_key(&mut m, |k: &str| node.child(k))? {
            Err(number) => return Ok((number, Vec::new())),
            Ok(k) => k,
        };
        while let Some(k) = key {
            match k {
                KeyHit::At(c) => {
                    let child = &node.children[c].1;
                    let (shape, mut hits) = if child.children.is_empty() {
                        (m.next_value_seed(Skip(plain))?, Vec::new())
                    } else {
                        m.next_value_seed(AtNode(child, plain))?
                    };
                    let nonnull = shape != Shape::Null;
                    hits.extend(child.rows.iter().map(|&r| (r, nonnull)));
                    if slots.len() < node.children.len() {
                        slots.resize_with(node.children.len(), || None);
                    }
                    slots[c] = Some(hits);
                }
                _ => ignore(&mut m, plain)?,
            }
            key = m.next_key_seed(KeySeed(|k: &str| node.child(k)))?;
        }
        let hits = slots.into_iter().flatten().flatten().collect();
        Ok((Shape::Object, hits))
    }
}

/// The whole document.
struct RootSeed<'l>(&'l Lean, bool);

impl<'de> DeserializeSeed<'de> for RootSeed<'_> {
    type Value = Option<RootFacts>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

const ROOT_CELLS: usize = usize::MAX;
const ROOT_WORKSHEETS: usize = usize::MAX - 1;
const ROOT_NBFORMAT: usize = usize::MAX - 2;

impl<'de> Visitor<'de> for RootSeed<'_> {
    type Value = Option<RootFacts>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a notebook")
    }
    scalars!(Option<RootFacts>, |_| None);
    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<Self::Value, A::Error> {
        Skip(self.1).visit_seq(s).map(|_| None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
        let plain = self.1;
        let lean = self.0;
        let find = |k: &str| match k {
            "cells" => Some(ROOT_CELLS),
            "worksheets" => Some(ROOT_WORKSHEETS),
            "nbformat" => Some(ROOT_NBFORMAT),
            _ => lean.notebook.child(k),
        };
        let mut facts = RootFacts::default();
        let mut slots: Vec<Option<Vec<(usize, bool)>>> = Vec::new();
        let mut key = match first_key(&mut m, find)? {
            Err(_) => return Ok(None),
            Ok(k) => k,
        };
        while let Some(k) = key {
            match k {
                KeyHit::At(ROOT_CELLS) => {
                    facts.cells = m.next_value_seed(ListSeed(CellSeed(lean, plain), plain))?
                }
                KeyHit::At(ROOT_WORKSHEETS) => {
                    facts.worksheets =
                        match m.next_value_seed(ListSeed(WorksheetSeed(lean, plain), plain))? {
                            List::Items(ws) => Some(ws),
                            _ => None,
                        }
                }
                KeyHit::At(ROOT_NBFORMAT) => facts.nbformat = Some(m.next_value()?),
                KeyHit::At(c) => {
                    let child = &lean.notebook.children[c].1;
                    let (shape, mut hits) = m.next_value_seed(AtNode(child, plain))?;
                    let nonnull = shape != Shape::Null;
                    hits.extend(child.rows.iter().map(|&r| (r, nonnull)));
                    if slots.len() < lean.notebook.children.len() {
                        slots.resize_with(lean.notebook.children.len(), || None);
                    }
                    slots[c] = Some(hits);
                }
                _ => ignore(&mut m, plain)?,
            }
            key = m.next_key_seed(KeySeed(find))?;
        }
        facts.hits = slots.into_iter().flatten().flatten().collect();
        Ok(Some(facts))
    }
}

/// A list of items read by `S`; anything else is [`List::Bad`].
struct ListSeed<S>(S, bool);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for ListSeed<S> {
    type Value = List<S::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for ListSeed<S> {
    type Value = List<S::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    scalars!(List<S::Value>, |_| List::Bad);
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = s.next_element_seed(self.0)? {
            items.push(item);
        }
        Ok(List::Items(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<Self::Value, A::Error> {
        Skip(self.1).visit_map(m).map(|_| List::Bad)
    }
}

/// An nbformat 3 worksheet: its `cells` (`Absent` when it is not an object,
/// as `Value::get` finds nothing there).
#[derive(Clone, Copy)]
struct WorksheetSeed<'l>(&'l Lean, bool);

impl<'de> DeserializeSeed<'de> for WorksheetSeed<'_> {
    type Value = List<CellFacts>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for WorksheetSeed<'_> {
    type Value = List<CellFacts>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a worksheet")
    }
    scalars!(List<CellFacts>, |_| List::Absent);
    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<Self::Value, A::Error> {
        Skip(self.1).visit_seq(s).map(|_| List::Absent)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
        let plain = self.1;
        let find = |k: &str| (k == "cells").then_some(0);
        let mut cells = List::Absent;
        let mut key = match first_key(&mut m, find)? {
            Err(_) => return Ok(List::Absent),
            Ok(k) => k,
        };
        while let Some(k) = key {
            match k {
                KeyHit::At(_) => {
                    cells = m.next_value_seed(ListSeed(CellSeed(self.0, plain), plain))?
                }
                _ => ignore(&mut m, plain)?,
            }
            key = m.next_key_seed(KeySeed(find))?;
        }
        Ok(cells)
    }
}

/// One cell.
#[derive(Clone, Copy)]
struct CellSeed<'l>(&'l Lean, bool);

impl<'de> DeserializeSeed<'de> for CellSeed<'_> {
    type Value = CellFacts;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<CellFacts, D::Error> {
        d.deserialize_any(self)
    }
}

const CELL_TYPE: usize = usize::MAX;
const CELL_SOURCE: usize = usize::MAX - 1;
const CELL_INPUT: usize = usize::MAX - 2;
const CELL_OUTPUTS: usize = usize::MAX - 3;

impl<'de> Visitor<'de> for CellSeed<'_> {
    type Value = CellFacts;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a cell")
    }
    scalars!(CellFacts, |_| CellFacts::default());
    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<CellFacts, A::Error> {
        Skip(self.1).visit_seq(s).map(|_| CellFacts::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<CellFacts, A::Error> {
        let plain = self.1;
        let lean = self.0;
        let node = &lean.cell;
        let find = |k: &str| match k {
            "cell_type" => Some(CELL_TYPE),
            "source" => Some(CELL_SOURCE),
            "input" => Some(CELL_INPUT),
            "outputs" => Some(CELL_OUTPUTS),
            _ => node.child(k),
        };
        let mut facts = CellFacts::default();
        let mut slots: Vec<Option<Vec<(usize, bool)>>> = Vec::new();
        let mut key = match first_key(&mut m, find)? {
            Err(_) => return Ok(facts),
            Ok(k) => k,
        };
        facts.object = true;
        while let Some(k) = key {
            match k {
                KeyHit::At(CELL_TYPE) => {
                    facts.cell_type = m.next_value_seed(CellTypeSeed(plain))?
                }
                KeyHit::At(CELL_SOURCE) => facts.source = Some(m.next_value_seed(Skip(plain))?),
                KeyHit::At(CELL_INPUT) => facts.input = Some(m.next_value_seed(Skip(plain))?),
                KeyHit::At(CELL_OUTPUTS) => {
                    facts.outputs = Some(
                        match m
                            .next_value_seed(ListSeed(AtNodeOwned(&lean.output, plain), plain))?
                        {
                            List::Items(items) => {
                                let mut out = OutputsFacts {
                                    len: items.len(),
                                    hits: Vec::new(),
                                };
                                let mut ok = true;
                                for (o, (shape, hits)) in items.into_iter().enumerate() {
                                    ok &= shape == Shape::Object;
                                    out.hits.extend(hits.into_iter().map(|(r, n)| (o, r, n)));
                                }
                                if ok {
                                    Ok(out)
                                } else {
                                    Err(())
                                }
                            }
                            _ => Err(()),
                        },
                    )
                }
                KeyHit::At(c) => {
                    let child = &node.children[c].1;
                    let (shape, mut hits) = if child.children.is_empty() {
                        (m.next_value_seed(Skip(plain))?, Vec::new())
                    } else {
                        m.next_value_seed(AtNode(child, plain))?
                    };
                    let nonnull = shape != Shape::Null;
                    hits.extend(child.rows.iter().map(|&r| (r, nonnull)));
                    if slots.len() < node.children.len() {
                        slots.resize_with(node.children.len(), || None);
                    }
                    slots[c] = Some(hits);
                }
                _ => ignore(&mut m, plain)?,
            }
            key = m.next_key_seed(KeySeed(find))?;
        }
        facts.hits = slots.into_iter().flatten().flatten().collect();
        Ok(facts)
    }
}

/// [`AtNode`] as a `Copy` seed for [`ListSeed`].
#[derive(Clone, Copy)]
struct AtNodeOwned<'t>(&'t Node, bool);

impl<'de> DeserializeSeed<'de> for AtNodeOwned<'_> {
    type Value = Found;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Found, D::Error> {
        AtNode(self.0, self.1).deserialize(d)
    }
}

/// `cell_type`: a string (`code` or not) or something else.
struct CellTypeSeed(bool);

impl<'de> DeserializeSeed<'de> for CellTypeSeed {
    type Value = CellType;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<CellType, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CellTypeSeed {
    type Value = CellType;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a cell type")
    }
    fn visit_unit<E: de::Error>(self) -> Result<CellType, E> {
        Ok(CellType::NotString)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<CellType, E> {
        Ok(CellType::NotString)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<CellType, E> {
        Ok(CellType::NotString)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<CellType, E> {
        Ok(CellType::NotString)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<CellType, E> {
        Ok(CellType::NotString)
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<CellType, E> {
        Ok(if s == "code" {
            CellType::Code
        } else {
            CellType::Other
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, s: A) -> Result<CellType, A::Error> {
        Skip(self.0).visit_seq(s).map(|_| CellType::NotString)
    }
    fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<CellType, A::Error> {
        Skip(self.0).visit_map(m).map(|_| CellType::NotString)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clean::{CleanOptions, Cleaner, Keep};
    use crate::policy::{CleanRule, DiffRule, Kind, MergeRule, Policy};
    use std::borrow::Cow;

    /// The cleaners compared: the defaults, outputs stripped, counts kept,
    /// the user's own paths (nested, below a stripped row, repeated), and
    /// rows the policy refuses (built directly) that touch required fields.
    fn cleaners() -> Vec<(String, Cleaner)> {
        let strip = CleanOptions {
            outputs: Keep::Strip,
            ..CleanOptions::default()
        };
        let keep_counts = CleanOptions {
            execution_counts: Keep::Keep,
            ..CleanOptions::default()
        };
        let users = Policy::defaults()
            .with_user_paths(
                "test",
                [
                    "metadata.mine",
                    "metadata.deep.er.still",
                    "metadata.widgets",
                    "cell.metadata.slideshow",
                    "cell.metadata.a.b",
                ],
            )
            .expect("allowed paths");
        let mut out = vec![
            (
                "defaults".into(),
                Cleaner::with_defaults(CleanOptions::default()),
            ),
            ("outputs strip".into(), Cleaner::with_defaults(strip)),
            ("counts kept".into(), Cleaner::with_defaults(keep_counts)),
            ("user paths".into(), Cleaner::new(&users, strip)),
        ];
        for (scope, path) in [
            (Scope::Cell, "id"),
            (Scope::Cell, "metadata"),
            (Scope::Cell, "source"),
            (Scope::Output, "text"),
            (Scope::Output, "metadata"),
            (Scope::Output, "metadata.isolated"),
            (Scope::Output, "data.text/plain"),
            (Scope::Notebook, "metadata"),
            (Scope::Notebook, "metadata.kernelspec"),
            (Scope::Notebook, "metadata.kernelspec.name"),
            (Scope::Notebook, "metadata.kernelspec.name.x"),
            (Scope::Notebook, "nbformat_minor"),
        ] {
            let mut rows = Cleaner::with_defaults(strip).rows;
            rows.push(Field {
                scope,
                path: Cow::Borrowed(path),
                kind: Kind::User,
                diff: DiffRule::Hidden,
                merge: MergeRule::TakeLocal,
                clean: CleanRule::Strip,
                reason: Cow::Borrowed("test"),
            });
            out.push((format!("forced {path}"), Cleaner { rows }));
        }
        out
    }

    /// Compares the lean answer with the full one for every cleaner;
    /// returns how many times the lean pass answered.
    fn compare(cleaners: &[(String, Cleaner)], what: &str, bytes: &[u8]) -> usize {
        let mut answered = 0;
        for (name, cleaner) in cleaners {
            let full = cleaner.run(bytes, "t.ipynb", false, false);
            let lean = Lean::new(&cleaner.rows).and_then(|l| l.plan(bytes));
            if let Some(plan) = &lean {
                answered += 1;
                match &full {
                    Ok(full) => assert_eq!(plan, &full.plan, "{what}, {name}"),
                    Err(e) => {
                        panic!("{what}, {name}: the lean pass answered, the full one says {e}")
                    }
                }
            }
            // And what `check` says is the full answer, errors included.
            let checked = cleaner.check(bytes, "t.ipynb");
            match (&checked, &full) {
                (Ok(c), Ok(f)) => {
                    assert_eq!(c.plan, f.plan, "{what}, {name}");
                    assert_eq!(c.would_change(), f.would_change(), "{what}, {name}");
                }
                (Err(c), Err(f)) => assert_eq!(c.to_string(), f.to_string(), "{what}, {name}"),
                _ => panic!("{what}, {name}: check {checked:?} vs full {full:?}"),
            }
        }
        answered
    }

    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "ipynb") {
                out.push(path);
            }
        }
    }

    #[test]
    fn lean_equals_full_on_every_fixture() {
        let mut paths = Vec::new();
        files(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
            &mut paths,
        );
        assert!(paths.len() > 100, "{} fixtures", paths.len());
        let mut answered = 0;
        let cleaners = cleaners();
        for path in &paths {
            let bytes = std::fs::read(path).expect("read");
            answered += compare(&cleaners, &path.display().to_string(), &bytes);
        }
        // The lean pass answers for (nearly) every well-formed fixture with
        // the default-like cleaners: the comparison reaches it.
        assert!(answered > paths.len() * 3, "lean answered {answered} times");
    }

    /// A v4 notebook with each strippable field present or not.
    fn v4(bits: u32) -> String {
        let on = |b: u32| bits & (1 << b) != 0;
        let count = match bits % 3 {
            0 => r#""execution_count": 3,"#,
            1 => r#""execution_count": null,"#,
            _ => "",
        };
        let mut cell_meta = Vec::new();
        if on(2) {
            cell_meta.push(r#""execution": {"iopub.status.busy": "2024"}"#);
        }
        if on(3) {
            cell_meta.push(r#""collapsed": true"#);
        }
        if on(4) {
            cell_meta.push(r#""jupyter": {"outputs_hidden": false}"#);
        }
        if on(5) {
            cell_meta.push(r#""slideshow": {"x": 1}, "a": {"b": null}"#);
        }
        let outputs = match (on(6), on(7)) {
            (false, false) => r#""outputs": [],"#,
            (true, false) => {
                r#""outputs": [{"name": "stdout", "output_type": "stream", "text": ["a\n"]}],"#
            }
            (false, true) => {
                r#""outputs": [{"data": {"text/plain": ["1"]}, "execution_count": 3, "metadata": {"isolated": true}, "output_type": "execute_result"}, {"output_type": "error", "ename": "E", "evalue": "v", "traceback": []}],"#
            }
            (true, true) => {
                r#""outputs": [{"data": {"image/png": "iVBO\n"}, "execution_count": null, "metadata": {}, "output_type": "display_data"}],"#
            }
        };
        let mut nb_meta = vec![r#""kernelspec": {"display_name": "P", "name": "p"}"#];
        if on(8) {
            nb_meta.push(r#""language_info": {"name": "python", "version": "3.11"}"#);
        }
        if on(9) {
            nb_meta.push(r#""widgets": {"application/vnd.jupyter.widget-state+json": {}}"#);
        }
        if on(10) {
            nb_meta.push(r#""mine": 1, "deep": {"er": {"still": [1]}}"#);
        }
        format!(
            r##"{{"cells": [{{"cell_type": "code", {count} "id": "c", "metadata": {{{}}}, {outputs} "source": ["x = 1\n", "y"]}},
            {{"cell_type": "markdown", "id": "m", "metadata": {{}}, "source": "# t"}}],
            "metadata": {{{}}}, "nbformat": 4, "nbformat_minor": 5}}"##,
            cell_meta.join(", "),
            nb_meta.join(", ")
        )
    }

    #[test]
    fn lean_equals_full_with_each_field_present_or_absent() {
        let mut answered = 0;
        let cleaners = cleaners();
        // Each field alone, each left out, and a spread of the mixtures
        // (all 2048 take minutes in a debug build).
        let variants: Vec<u32> = (0..1u32 << 11)
            .filter(|b| b % 7 == 0 || b.count_ones() <= 1 || b.count_ones() >= 10)
            .collect();
        for &bits in &variants {
            answered += compare(
                &cleaners,
                &format!("v4 variant {bits}"),
                v4(bits).as_bytes(),
            );
        }
        assert!(
            answered > variants.len() * 4,
            "lean answered {answered} times"
        );
    }

    #[test]
    fn lean_equals_full_on_nbformat_3() {
        for (count, out_count, input) in [
            ("", "", r#""input": "1""#),
            (
                r#""prompt_number": 1,"#,
                r#""prompt_number": 1,"#,
                r#""input": ["1\n", "2"]"#,
            ),
            (r#""execution_count": 1,"#, "", r#""input": "1""#),
            ("", r#""execution_count": 2,"#, r#""input": "1""#),
            ("", "", r#""input": 5"#),
            ("", "", r#""input": "1", "source": 5"#),
        ] {
            let text = format!(
                r#"{{"metadata": {{"name": ""}}, "nbformat": 3, "nbformat_minor": 0, "worksheets": [{{"cells": [
                {{"cell_type": "code", {count} "collapsed": false, {input}, "language": "python", "metadata": {{}},
                 "outputs": [{{"output_type": "pyout", {out_count} "text": "1", "metadata": {{}}}}]}},
                {{"cell_type": "markdown", "metadata": {{}}, "source": "x", "input": 7}}],
                "metadata": {{}}}}, 7, {{"metadata": {{}}}}, {{"cells": []}}]}}"#
            );
            compare(&cleaners(), &text, text.as_bytes());
        }
    }

    /// JSON the full parse reads in its own way, or refuses: the lean pass
    /// agrees or steps aside.
    #[test]
    fn lean_equals_full_on_odd_spellings_and_bad_input() {
        let good = v4(0b111_1111_1111);
        let mut cases: Vec<(&str, Vec<u8>)> = vec![
            ("escaped keys", good.replace("\"execution_count\"", "\"\\u0065xecution_count\"").into_bytes()),
            ("escaped values", good.replace("\"code\"", "\"c\\u006fde\"").into_bytes()),
            ("BOM", [b"\xef\xbb\xbf".as_slice(), good.as_bytes()].concat()),
            ("CRLF and indentation", good.replace('\n', "\r\n  ").into_bytes()),
            ("trailing garbage", format!("{good} x").into_bytes()),
            ("trailing whitespace", format!("{good}\n\n").into_bytes()),
            ("not UTF-8", good.replace("# t", "# \u{e9}").into_bytes().into_iter().map(|b| if b == 0xa9 { 0xff } else { b }).collect()),
            ("empty", b"  \n".to_vec()),
            ("top-level list", b"[1, 2]".to_vec()),
            ("top-level number", b"4".to_vec()),
            ("lone surrogate", good.replace("\"iVBO\\n\"", "\"\\ud800\"").into_bytes()),
            ("deep nesting", good.replace("\"mine\": 1", &format!("\"mine\": {}1{}", "[".repeat(130), "]".repeat(130))).into_bytes()),
            ("nesting at the limit", good.replace("\"mine\": 1", &format!("\"mine\": {}1{}", "[".repeat(120), "]".repeat(120))).into_bytes()),
            ("deep nesting in ignored data", good.replace("\"iVBO\\n\"", &format!("{}1{}", "[".repeat(130), "]".repeat(130))).into_bytes()),
            ("nesting between the lean limit and serde's", good.replace("\"iVBO\\n\"", &format!("{}1{}", "[".repeat(110), "]".repeat(110))).into_bytes()),
            ("a surrogate pair", good.replace("\"iVBO\\n\"", "\"\\ud83d\\ude00\"").into_bytes()),
            ("a lone trailing surrogate", good.replace("\"iVBO\\n\"", "\"\\uDC00 x\"").into_bytes()),
            ("an escaped backslash before u", good.replace("\"iVBO\\n\"", "\"\\\\ud800\"").into_bytes()),
            ("a control character in a string", good.replace("iVBO", "iV\u{1}BO").into_bytes()),
            ("a bad escape", good.replace("iVBO", "iV\\qBO").into_bytes()),
            ("odd numbers", good.replace("\"iVBO\\n\"", "[-0, 1E5, 1.5e-3, 0.0, 12345678901234567890123]").into_bytes()),
            ("leading zero", good.replace("\"iVBO\\n\"", "01").into_bytes()),
            ("bare minus", good.replace("\"iVBO\\n\"", "-").into_bytes()),
            ("dangling exponent", good.replace("\"iVBO\\n\"", "1e+").into_bytes()),
            ("dangling point", good.replace("\"iVBO\\n\"", "1.").into_bytes()),
            ("trailing comma", good.replace("\"iVBO\\n\"", "[1,]").into_bytes()),
            ("number key in ignored data", good.replace("\"iVBO\\n\"", "{\"$serde_json::private::Number\": \"x\"}").into_bytes()),
            ("escaped number key in ignored data", good.replace("\"iVBO\\n\"", "{\"$serde_json::private::N\\u0075mber\": \"x\"}").into_bytes()),
            ("huge number", good.replace("\"mine\": 1", "\"mine\": 1e400").into_bytes()),
            ("nbformat 4.0", good.replace("\"nbformat\": 4", "\"nbformat\": 4.0").into_bytes()),
            ("nbformat 4e0", good.replace("\"nbformat\": 4", "\"nbformat\": 4e0").into_bytes()),
            ("nbformat string", good.replace("\"nbformat\": 4", "\"nbformat\": \"4\"").into_bytes()),
            ("nbformat 5", good.replace("\"nbformat\": 4", "\"nbformat\": 5").into_bytes()),
            ("nbformat twice", good.replace("\"nbformat\": 4", "\"nbformat\": 3, \"nbformat\": 4").into_bytes()),
            ("nbformat last wins", good.replace("\"nbformat\": 4", "\"nbformat\": 4, \"nbformat\": 3").into_bytes()),
            ("no nbformat", good.replace("\"nbformat\": 4,", "").into_bytes()),
            ("nbformat first", good.replace("\"nbformat\": 4,", "").replacen('{', "{\"nbformat\": 4, ", 1).into_bytes()),
            ("v4 with worksheets", good.replace("\"nbformat\": 4", "\"nbformat\": 4, \"worksheets\": 7").into_bytes()),
            ("cells twice", good.replace("\"nbformat\": 4", "\"nbformat\": 4, \"cells\": []").into_bytes()),
            ("cells not a list", good.replace("\"nbformat\": 4", "\"nbformat\": 4, \"cells\": {}").into_bytes()),
            ("outputs twice", good.replace("\"source\": [\"x", "\"outputs\": [], \"source\": [\"x").into_bytes()),
            ("metadata twice", good.replace("\"source\": [\"x", "\"metadata\": {}, \"source\": [\"x").into_bytes()),
            ("a key twice inside metadata", good.replace("\"collapsed\": true", "\"collapsed\": true, \"x\": 1, \"collapsed\": null").into_bytes()),
            ("an object key twice inside metadata", good.replace("\"a\": {\"b\": null}", "\"a\": {\"b\": null}, \"a\": 5").into_bytes()),
            ("stripped value null", good.replace("\"collapsed\": true", "\"collapsed\": null").into_bytes()),
            ("path through a non-object", good.replace("\"jupyter\": {\"outputs_hidden\": false}", "\"jupyter\": [1]").into_bytes()),
            ("number as first key", good.replace("\"mine\": 1", "\"mine\": {\"$serde_json::private::Number\": \"1\"}").into_bytes()),
            ("bad number as first key", good.replace("\"mine\": 1", "\"mine\": {\"$serde_json::private::Number\": \"x\"}").into_bytes()),
            ("number key later", good.replace("\"mine\": 1", "\"mine\": {\"a\": 1, \"$serde_json::private::Number\": \"x\"}").into_bytes()),
            ("number key with more keys", good.replace("\"mine\": 1", "\"mine\": {\"$serde_json::private::Number\": \"1\", \"b\": 2}").into_bytes()),
            ("a cell that is a number-map", good.replace("{\"cell_type\": \"markdown\"", "{\"$serde_json::private::Number\": \"1\"}, {\"cell_type\": \"markdown\"").into_bytes()),
            ("metadata a number-map", good.replace("\"metadata\": {\"execution\"", "\"metadata\": {\"$serde_json::private::Number\": \"2\"}, \"m2\": {\"execution\"").into_bytes()),
            ("cell not an object", good.replace("{\"cell_type\": \"markdown\"", "3, {\"cell_type\": \"markdown\"").into_bytes()),
            ("cell_type a number", good.replace("\"cell_type\": \"markdown\"", "\"cell_type\": 1").into_bytes()),
            ("no cell_type", good.replace("\"cell_type\": \"markdown\",", "").into_bytes()),
            ("source with a number", good.replace("[\"x = 1\\n\", \"y\"]", "[\"x = 1\\n\", 2]").into_bytes()),
            ("source an object", good.replace("\"source\": \"# t\"", "\"source\": {}").into_bytes()),
            ("input ignored in v4", good.replace("\"source\": \"# t\"", "\"source\": \"# t\", \"input\": 5").into_bytes()),
            ("outputs with a string", good.replace("\"outputs\": [{", "\"outputs\": [\"s\", {").into_bytes()),
            ("outputs an object", good.replace("\"outputs\": [{\"data\": {\"image/png\": \"iVBO\\n\"}, \"execution_count\": null, \"metadata\": {}, \"output_type\": \"display_data\"}]", "\"outputs\": {}").into_bytes()),
            ("outputs null", good.replace("\"outputs\": [{\"data\": {\"image/png\": \"iVBO\\n\"}, \"execution_count\": null, \"metadata\": {}, \"output_type\": \"display_data\"}]", "\"outputs\": null").into_bytes()),
            ("conflict markers", format!("<<<<<<< HEAD\n{good}\n=======\n{good}\n>>>>>>> x\n").into_bytes()),
            ("merge records", good.replace("\"mine\": 1", "\"nbdiff\": {\"conflict\": 1}").into_bytes()),
        ];
        cases.push(("good", good.into_bytes()));
        let mut answered = 0;
        let cleaners = cleaners();
        for (what, bytes) in &cases {
            answered += compare(&cleaners, what, bytes);
        }
        assert!(answered > cases.len(), "lean answered {answered} times");
    }
}
