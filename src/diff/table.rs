//! HTML DataFrame outputs compared as tables.
//!
//! pandas shows a DataFrame as `text/html` holding a `<table
//! class="dataframe">`. When such an output changed, comparing its HTML as
//! text says `+40 −38 lines`; comparing it as a table says what a reader
//! wants: `table 10×4 → 12×4: 2 rows added, 3 cells changed`.
//!
//! The HTML is read with `html5ever`'s tokenizer (the HTML parser `ammonia`
//! already brings in: entities, comments, attributes and raw text are read
//! as browsers read them). A table is its header rows (giving the column
//! labels, `colspan` expanded) and its body rows (`<th>` cells are the row's
//! index, `<td>` cells its values). Columns are paired by label (by
//! position when labels repeat); rows are paired by a sequence diff of their
//! values in the shared columns (`text::diff`, as lines are), so a row
//! inserted under a renumbered default index is one row added, not every
//! row below it changed; rows in a replaced run are paired in order and
//! their differing cells counted.
//!
//! Everything is linear in the size of the tables (the sequence diff is
//! git's Myers with its cost limits); a table of more than [`MAX_CELLS`]
//! cells, or HTML holding something other than one plain table, is not
//! compared as a table (the output's text diff stays).

use crate::text::line_diff::{diff_lines, OpKind};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;
use std::collections::HashMap;

/// Tables with more cells than this (on either side) are not compared as tables.
pub const MAX_CELLS: usize = 200_000;

/// Rows of the comparison kept for display (changed, added and removed
/// rows, in order); the counts always cover the whole table.
pub const MAX_SHOWN_ROWS: usize = 50;

/// A DataFrame as its HTML shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// The label of each value column (header rows joined with ` / `).
    pub columns: Vec<String>,
    /// The body rows.
    pub rows: Vec<Row>,
}

/// One body row.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    /// The row's index labels (its `<th>` cells).
    pub index: Vec<String>,
    /// Its values (its `<td>` cells).
    pub cells: Vec<String>,
}

/// How two versions of a table differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChange {
    /// (rows, columns) of the old table.
    pub old_shape: (usize, usize),
    /// (rows, columns) of the new table.
    pub new_shape: (usize, usize),
    /// Labels of the columns only the new table has.
    pub columns_added: Vec<String>,
    /// Labels of the columns only the old table has.
    pub columns_removed: Vec<String>,
    /// Rows only in the new table.
    pub rows_added: usize,
    /// Rows only in the old table.
    pub rows_removed: usize,
    /// Cells of paired rows and shared columns whose text differs.
    pub cells_changed: usize,
    /// The comparison for display: the columns (the new table's, then the
    /// removed ones) and the rows that changed, at most [`MAX_SHOWN_ROWS`].
    pub view: TableView,
}

/// The changed part of a table, ready for a renderer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TableView {
    /// Column labels and whether each was added, removed or is shared.
    pub columns: Vec<(String, Mark)>,
    /// The rows shown, with the number of unchanged rows skipped before each.
    pub rows: Vec<ViewRow>,
    /// Changed rows not shown (over [`MAX_SHOWN_ROWS`]).
    pub more_rows: usize,
    /// Unchanged rows after the last row shown.
    pub unchanged_after: usize,
}

/// One row of the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewRow {
    /// Unchanged rows skipped before this one.
    pub unchanged_before: usize,
    /// Added, removed or changed (a paired row with differing cells).
    pub mark: Mark,
    /// The index labels (the new row's, the old one's when removed).
    pub index: Vec<String>,
    /// One entry per view column: the text, and the old text when it changed.
    pub cells: Vec<ViewCell>,
}

/// One cell of a view row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewCell {
    /// The cell's text (the old text in a removed row or column).
    pub text: String,
    /// The old text, when a shared cell of a paired row changed.
    pub old: Option<String>,
}

/// What happened to a row or column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The same on both sides (a column), or paired with changed cells (a row).
    Changed,
    /// Only in the new table.
    Added,
    /// Only in the old table.
    Removed,
}

impl TableChange {
    /// `table 10×4 → 12×4: 2 rows added, 3 cells changed`.
    pub fn summary(&self) -> String {
        let shape = |(r, c): (usize, usize)| format!("{r}×{c}");
        let mut s = if self.old_shape == self.new_shape {
            format!("table {}", shape(self.new_shape))
        } else {
            format!(
                "table {} → {}",
                shape(self.old_shape),
                shape(self.new_shape)
            )
        };
        let mut bits = Vec::new();
        let count = |n: usize, what: &str, how: &str| {
            format!("{n} {what}{} {how}", if n == 1 { "" } else { "s" })
        };
        let names = |v: &[String]| {
            let shown: Vec<&str> = v.iter().take(3).map(String::as_str).collect();
            let etc = if v.len() > 3 { ", …" } else { "" };
            format!(" ({}{etc})", shown.join(", "))
        };
        if !self.columns_added.is_empty() {
            let n = self.columns_added.len();
            bits.push(count(n, "column", "added") + &names(&self.columns_added));
        }
        if !self.columns_removed.is_empty() {
            let n = self.columns_removed.len();
            bits.push(count(n, "column", "removed") + &names(&self.columns_removed));
        }
        if self.rows_added > 0 {
            bits.push(count(self.rows_added, "row", "added"));
        }
        if self.rows_removed > 0 {
            bits.push(count(self.rows_removed, "row", "removed"));
        }
        if self.cells_changed > 0 {
            bits.push(count(self.cells_changed, "cell", "changed"));
        }
        if bits.is_empty() {
            s.push_str(": same cells (only the HTML around them changed)");
        } else {
            s.push_str(": ");
            s.push_str(&bits.join(", "));
        }
        s
    }
}

/// Compares two DataFrame HTML outputs; `None` unless both are one plain
/// DataFrame table within [`MAX_CELLS`].
pub fn compare(old_html: &str, new_html: &str) -> Option<TableChange> {
    if !is_dataframe(old_html) || !is_dataframe(new_html) {
        return None;
    }
    let old = parse(old_html)?;
    let new = parse(new_html)?;
    Some(compare_tables(&old, &new))
}

/// A cheap test before parsing: the HTML names a DataFrame table.
fn is_dataframe(html: &str) -> bool {
    html.contains("dataframe") && html.contains("<table")
}

/// Positions of `b`'s columns in `a` (by label; by position when labels
/// repeat on either side and the counts match; else `None`).
fn pair_columns(a: &[String], b: &[String]) -> Option<Vec<Option<usize>>> {
    let unique = |v: &[String]| {
        let mut seen = HashMap::with_capacity(v.len());
        v.iter()
            .enumerate()
            .all(|(i, l)| seen.insert(l, i).is_none())
    };
    if unique(a) && unique(b) {
        let at: HashMap<&String, usize> = a.iter().enumerate().map(|(i, l)| (l, i)).collect();
        return Some(b.iter().map(|l| at.get(l).copied()).collect());
    }
    (a.len() == b.len()).then(|| (0..b.len()).map(Some).collect())
}

fn compare_tables(old: &Table, new: &Table) -> TableChange {
    let width = |t: &Table| {
        t.rows
            .iter()
            .map(|r| r.cells.len())
            .max()
            .unwrap_or(0)
            .max(t.columns.len())
    };
    let (old_cols, new_cols) = (width(old), width(new));
    let label = |t: &Table, k: usize| t.columns.get(k).cloned().unwrap_or_default();
    let old_labels: Vec<String> = (0..old_cols).map(|k| label(old, k)).collect();
    let new_labels: Vec<String> = (0..new_cols).map(|k| label(new, k)).collect();
    // For each new column, its old column; the old columns nobody took.
    let paired = pair_columns(&old_labels, &new_labels)
        .unwrap_or_else(|| (0..new_cols).map(|k| (k < old_cols).then_some(k)).collect());
    let mut taken = vec![false; old_cols];
    for &o in paired.iter().flatten() {
        taken[o] = true;
    }
    let removed: Vec<usize> = (0..old_cols).filter(|&k| !taken[k]).collect();
    let shared: Vec<(usize, usize)> = paired
        .iter()
        .enumerate()
        .filter_map(|(n, o)| o.map(|o| (o, n)))
        .collect();

    // Rows by their values in the shared columns.
    fn cell(r: &Row, k: usize) -> &str {
        r.cells.get(k).map_or("", String::as_str)
    }
    let key = |r: &Row, old_side: bool| -> u64 {
        use std::hash::Hasher;
        let mut h = crate::hash::FastHasher::default();
        for &(o, n) in &shared {
            h.write(cell(r, if old_side { o } else { n }).as_bytes());
            h.write_u8(0xff);
        }
        h.finish()
    };
    let old_keys: Vec<u64> = old.rows.iter().map(|r| key(r, true)).collect();
    let new_keys: Vec<u64> = new.rows.iter().map(|r| key(r, false)).collect();

    let mut change = TableChange {
        old_shape: (old.rows.len(), old_cols),
        new_shape: (new.rows.len(), new_cols),
        columns_added: paired
            .iter()
            .enumerate()
            .filter(|(_, o)| o.is_none())
            .map(|(n, _)| new_labels[n].clone())
            .collect(),
        columns_removed: removed.iter().map(|&k| old_labels[k].clone()).collect(),
        rows_added: 0,
        rows_removed: 0,
        cells_changed: 0,
        view: TableView::default(),
    };
    let mut view = TableView {
        columns: (0..new_cols)
            .map(|n| {
                let mark = if paired[n].is_some() {
                    Mark::Changed
                } else {
                    Mark::Added
                };
                (new_labels[n].clone(), mark)
            })
            .chain(
                removed
                    .iter()
                    .map(|&k| (old_labels[k].clone(), Mark::Removed)),
            )
            .collect(),
        ..TableView::default()
    };
    let columns_changed = !change.columns_added.is_empty() || !change.columns_removed.is_empty();
    let mut unchanged = 0;
    let show = |view: &mut TableView, unchanged: &mut usize, row: ViewRow| {
        if view.rows.len() < MAX_SHOWN_ROWS {
            view.rows.push(ViewRow {
                unchanged_before: std::mem::take(unchanged),
                ..row
            });
        } else {
            view.more_rows += 1;
        }
    };
    // One row of the view: new cells (old text where changed), then the
    // removed columns' old cells.
    let view_row = |o: Option<&Row>, n: Option<&Row>, mark: Mark| -> (ViewRow, usize) {
        let mut changed = 0;
        let mut cells = Vec::with_capacity(paired.len() + removed.len());
        for (k, p) in paired.iter().enumerate() {
            let text = n.map_or("", |r| cell(r, k));
            let old_text = match (o, p) {
                (Some(o), Some(p)) => Some(cell(o, *p)),
                _ => None,
            };
            let old = match (n, old_text) {
                (None, Some(t)) => {
                    cells.push(ViewCell {
                        text: t.to_string(),
                        old: None,
                    });
                    continue;
                }
                (Some(_), Some(t)) if t != text => {
                    changed += 1;
                    Some(t.to_string())
                }
                _ => None,
            };
            cells.push(ViewCell {
                text: text.to_string(),
                old,
            });
        }
        for &k in &removed {
            cells.push(ViewCell {
                text: o.map_or("", |r| cell(r, k)).to_string(),
                old: None,
            });
        }
        let index = n.or(o).map(|r| r.index.clone()).unwrap_or_default();
        (
            ViewRow {
                unchanged_before: 0,
                mark,
                index,
                cells,
            },
            changed,
        )
    };
    // Runs of changed rows: a deletion next to an insertion is one run,
    // whose rows are paired in order.
    let mut runs: Vec<(bool, std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    for op in diff_lines(&old_keys, &new_keys) {
        let equal = op.kind == OpKind::Equal;
        match runs.last_mut() {
            Some((false, ra, rb)) if !equal => {
                ra.end = ra.end.max(op.old.end);
                rb.end = rb.end.max(op.new.end);
            }
            _ => runs.push((equal, op.old, op.new)),
        }
    }
    for (equal, ra, rb) in runs {
        if equal {
            if columns_changed {
                // Shared cells are equal; the row still shows its new or
                // removed columns.
                for (i, j) in ra.zip(rb) {
                    let (row, _) = view_row(Some(&old.rows[i]), Some(&new.rows[j]), Mark::Changed);
                    show(&mut view, &mut unchanged, row);
                }
            } else {
                unchanged += ra.len();
            }
            continue;
        }
        let pairs = ra.len().min(rb.len());
        for k in 0..pairs {
            let (o, n) = (&old.rows[ra.start + k], &new.rows[rb.start + k]);
            let (row, changed) = view_row(Some(o), Some(n), Mark::Changed);
            change.cells_changed += changed;
            show(&mut view, &mut unchanged, row);
        }
        for i in ra.start + pairs..ra.end {
            change.rows_removed += 1;
            let (row, _) = view_row(Some(&old.rows[i]), None, Mark::Removed);
            show(&mut view, &mut unchanged, row);
        }
        for j in rb.start + pairs..rb.end {
            change.rows_added += 1;
            let (row, _) = view_row(None, Some(&new.rows[j]), Mark::Added);
            show(&mut view, &mut unchanged, row);
        }
    }
    view.unchanged_after = unchanged;
    change.view = view;
    change
}

/// Reads the one DataFrame table of `html`; `None` when there is none, more
/// than one table, a nested table, or more than [`MAX_CELLS`] cells.
pub fn parse(html: &str) -> Option<Table> {
    let sink = Sink::default();
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    let mut state = tok.sink.state.into_inner();
    // An unclosed table ends with the input.
    state.close_row();
    if state.failed || state.tables != 1 {
        return None;
    }
    let mut table = Table::default();
    // Header rows, colspan expanded; labels join the non-empty texts at
    // each position (index-name rows hold empty value cells).
    let width = state.header.iter().map(|r| r.len()).max().unwrap_or(0);
    let labels: Vec<String> = (0..width)
        .map(|k| {
            let parts: Vec<&str> = state
                .header
                .iter()
                .filter_map(|r| r.get(k).map(String::as_str))
                .filter(|t| !t.is_empty())
                .collect();
            parts.join(" / ")
        })
        .collect();
    let values = state.body.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    // The value columns are the header's last ones.
    table.columns = labels[width.saturating_sub(values)..].to_vec();
    table.rows = state.body;
    Some(table)
}

#[derive(Default)]
struct State {
    /// Tables seen (a DataFrame's and any other).
    tables: usize,
    /// Nesting of `<table>` elements now open.
    depth: usize,
    /// The DataFrame table ended.
    done: bool,
    in_head: bool,
    /// Inside a `<th>` (true) or `<td>` (false).
    cell: Option<bool>,
    text: String,
    colspan: usize,
    header: Vec<Vec<String>>,
    head_row: Option<Vec<String>>,
    body: Vec<Row>,
    body_row: Option<Row>,
    cells: usize,
    failed: bool,
}

#[derive(Default)]
struct Sink {
    state: RefCell<State>,
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

impl State {
    fn close_cell(&mut self) {
        let Some(th) = self.cell.take() else {
            return;
        };
        let text = collapse(&std::mem::take(&mut self.text));
        self.cells += 1;
        if self.cells > MAX_CELLS {
            self.failed = true;
            return;
        }
        if let Some(row) = &mut self.head_row {
            // colspan is capped by the cell budget.
            let n = self.colspan.clamp(1, 1000);
            self.cells += n - 1;
            row.extend(std::iter::repeat_n(text, n));
        } else if let Some(row) = &mut self.body_row {
            if th && row.cells.is_empty() {
                row.index.push(text);
            } else {
                row.cells.push(text);
            }
        }
    }

    fn close_row(&mut self) {
        self.close_cell();
        if let Some(r) = self.head_row.take() {
            self.header.push(r);
        }
        if let Some(r) = self.body_row.take() {
            self.body.push(r);
        }
    }

    fn tag(&mut self, tag: &Tag) {
        let name = &*tag.name;
        let start = tag.kind == TagKind::StartTag;
        match (name, start) {
            ("table", true) => {
                self.tables += 1;
                self.depth += 1;
                let dataframe = attr(tag, "class")
                    .is_some_and(|c| c.split_ascii_whitespace().any(|w| w == "dataframe"));
                if self.depth > 1 || self.tables > 1 || !dataframe {
                    self.failed = true;
                }
            }
            ("table", false) => {
                self.close_row();
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.done = true;
                }
            }
            _ if self.depth == 0 || self.done => {}
            ("thead", true) => self.in_head = true,
            ("thead", false) => {
                self.close_row();
                self.in_head = false;
            }
            ("tbody" | "tfoot", true) => {
                self.close_row();
                self.in_head = false;
            }
            ("tr", true) => {
                self.close_row();
                if self.in_head {
                    self.head_row = Some(Vec::new());
                } else {
                    self.body_row = Some(Row::default());
                }
            }
            ("tr", false) => self.close_row(),
            ("th" | "td", true) => {
                self.close_cell();
                if self.head_row.is_none() && self.body_row.is_none() {
                    // A cell outside a row: a row of its own, as browsers do.
                    if self.in_head {
                        self.head_row = Some(Vec::new());
                    } else {
                        self.body_row = Some(Row::default());
                    }
                }
                self.cell = Some(name == "th");
                self.colspan = attr(tag, "colspan")
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(1);
            }
            ("th" | "td", false) => self.close_cell(),
            ("br", _) if self.cell.is_some() => self.text.push(' '),
            _ => {}
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut s = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                s.tag(&tag);
                // Raw text elements as a browser reads them (a `<td>` inside
                // a `<script>` or `<style>` is text, not a cell).
                if tag.kind == TagKind::StartTag {
                    let raw = match &*tag.name {
                        "script" => Some(RawKind::ScriptData),
                        "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                            Some(RawKind::Rawtext)
                        }
                        "textarea" | "title" => Some(RawKind::Rcdata),
                        _ => None,
                    };
                    if let Some(kind) = raw {
                        // Script or style inside the table: not a plain table.
                        if s.depth > 0 && !s.done {
                            s.failed = true;
                        }
                        return TokenSinkResult::RawData(kind);
                    }
                }
            }
            Token::CharacterTokens(t) if s.cell.is_some() => s.text.push_str(&t),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Whitespace runs as one space, trimmed (as a browser shows cell text).
fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The HTML pandas writes for a DataFrame (`df.to_html()` in a notebook).
    fn frame(columns: &[&str], rows: &[(&str, &[&str])]) -> String {
        let mut s = String::from(
            "<div>\n<style scoped>\n    .dataframe tbody tr th:only-of-type {\n        vertical-align: middle;\n    }\n</style>\n\
             <table border=\"1\" class=\"dataframe\">\n  <thead>\n    <tr style=\"text-align: right;\">\n      <th></th>\n",
        );
        for c in columns {
            s.push_str(&format!("      <th>{c}</th>\n"));
        }
        s.push_str("    </tr>\n  </thead>\n  <tbody>\n");
        for (index, cells) in rows {
            s.push_str(&format!("    <tr>\n      <th>{index}</th>\n"));
            for c in *cells {
                s.push_str(&format!("      <td>{c}</td>\n"));
            }
            s.push_str("    </tr>\n");
        }
        s.push_str("  </tbody>\n</table>\n</div>");
        s
    }

    #[test]
    fn a_pandas_table_is_read_with_its_index_and_entities() {
        let html = frame(
            &["a", "b &amp; c"],
            &[("0", &["1", "x&lt;y"]), ("1", &["2", "z"])],
        );
        let t = parse(&html).expect("a table");
        assert_eq!(t.columns, vec!["a", "b & c"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].index, vec!["0"]);
        assert_eq!(t.rows[0].cells, vec!["1", "x<y"]);
    }

    #[test]
    fn rows_added_and_cells_changed_are_counted() {
        let old = frame(
            &["a", "b"],
            &[("0", &["1", "2"]), ("1", &["3", "4"]), ("2", &["5", "6"])],
        );
        // A row inserted at the top (the default index renumbers) and one
        // cell of the last row changed.
        let new = frame(
            &["a", "b"],
            &[
                ("0", &["9", "9"]),
                ("1", &["1", "2"]),
                ("2", &["3", "4"]),
                ("3", &["5", "7"]),
            ],
        );
        let c = compare(&old, &new).expect("tables");
        assert_eq!(c.summary(), "table 3×2 → 4×2: 1 row added, 1 cell changed");
        assert_eq!(c.view.rows.len(), 2);
        assert_eq!(c.view.rows[0].mark, Mark::Added);
        assert_eq!(c.view.rows[1].unchanged_before, 2);
        assert_eq!(
            c.view.rows[1].cells[1],
            ViewCell {
                text: "7".into(),
                old: Some("6".into())
            }
        );
    }

    #[test]
    fn columns_are_paired_by_label() {
        let old = frame(&["a", "b"], &[("0", &["1", "2"])]);
        let new = frame(&["b", "c"], &[("0", &["2", "3"])]);
        let c = compare(&old, &new).expect("tables");
        assert_eq!(
            c.summary(),
            "table 1×2: 1 column added (c), 1 column removed (a)"
        );
        let labels: Vec<(&str, Mark)> = c
            .view
            .columns
            .iter()
            .map(|(l, m)| (l.as_str(), *m))
            .collect();
        assert_eq!(
            labels,
            vec![
                ("b", Mark::Changed),
                ("c", Mark::Added),
                ("a", Mark::Removed)
            ]
        );
    }

    #[test]
    fn only_the_markup_changed_is_said_so() {
        let old = frame(&["a"], &[("0", &["1"])]);
        let new = old.replace("border=\"1\"", "border=\"0\"");
        let c = compare(&old, &new).expect("tables");
        assert_eq!(
            c.summary(),
            "table 1×1: same cells (only the HTML around them changed)"
        );
    }

    #[test]
    fn not_a_plain_dataframe_is_not_compared_as_a_table() {
        let df = frame(&["a"], &[("0", &["1"])]);
        assert!(compare("<p>no table</p>", &df).is_none());
        assert!(compare("<table><tr><td>1</td></tr></table>", &df).is_none());
        let two = format!("{df}{df}");
        assert!(compare(&two, &df).is_none());
        let nested = df.replace("<td>1</td>", "<td><table class=\"dataframe\"></table></td>");
        assert!(compare(&nested, &df).is_none());
        let script = df.replace("<td>1</td>", "<td><script>x</script></td>");
        assert!(compare(&script, &df).is_none());
    }

    #[test]
    fn a_table_over_the_cell_cap_is_not_compared() {
        let row: Vec<&str> = vec!["1"; 1000];
        let rows: Vec<(&str, &[&str])> =
            (0..MAX_CELLS / 1000 + 1).map(|_| ("i", &row[..])).collect();
        let big = frame(&["a"], &rows);
        assert!(parse(&big).is_none());
    }

    #[test]
    fn the_view_is_capped_and_counts_stay_whole() {
        let old_rows: Vec<[String; 1]> = (0..200).map(|i| [i.to_string()]).collect();
        let new_rows: Vec<[String; 1]> = (0..200).map(|i| [(i * 2 + 1000).to_string()]).collect();
        let table = |rows: &[[String; 1]]| {
            let cells: Vec<Vec<&str>> = rows.iter().map(|r| vec![r[0].as_str()]).collect();
            let rows: Vec<(&str, &[&str])> = cells.iter().map(|c| ("i", &c[..])).collect();
            frame(&["a"], &rows)
        };
        let c = compare(&table(&old_rows), &table(&new_rows)).expect("tables");
        assert_eq!(c.cells_changed, 200);
        assert_eq!(c.view.rows.len(), MAX_SHOWN_ROWS);
        assert_eq!(c.view.more_rows, 200 - MAX_SHOWN_ROWS);
    }
}
