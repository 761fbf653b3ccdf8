//! Micro-benchmarks of nbdiff's stages, so that a regression shows up in the
//! stage where it happens: parse, align, diff, merge, serialize, and the text
//! algorithms on one enormous cell. Inputs are generated here (no corpus).
//!
//! `cargo bench --bench stages` (all), `cargo bench --bench stages -- align`
//! (names containing `align`). Whole-process timings are `bench/run`.

use nbdiff::diff::align::{self, CellKey};
use nbdiff::diff::{diff_notebooks, DiffOptions};
use nbdiff::merge::{self, Options};
use nbdiff::notebook::{Notebook, Style};
use serde_json::{json, Map, Value};
use std::borrow::Cow;

fn main() {
    divan::main();
}

// The binary's allocator, so stage times match what `nbdiff` does.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A small deterministic generator (xorshift), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn lines(text: &str) -> Value {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find('\n') {
        out.push(Value::String(rest[..=i].to_string()));
        rest = &rest[i + 1..];
    }
    if !rest.is_empty() {
        out.push(Value::String(rest.to_string()));
    }
    Value::Array(out)
}

/// Cell `i` of a synthetic notebook, shaped like Jupyter's: code cells (with
/// stream and execute_result outputs) and markdown cells, with ids.
fn cell(i: usize, rng: &mut Rng) -> Value {
    let n = 3 + rng.below(10);
    let mut src = String::new();
    if i % 4 == 3 {
        src.push_str(&format!("## Section {i}\n\n"));
        for k in 0..n {
            src.push_str(&format!(
                "Some prose about step {i}, point {k}: the model improves.\n"
            ));
        }
        return json!({"cell_type": "markdown", "id": format!("c{i:06}"), "metadata": {},
                      "source": lines(src.trim_end())});
    }
    for k in 0..n {
        src.push_str(&format!(
            "x_{i}_{k} = compute({i}, {k}) + offset  # step {k}\n"
        ));
    }
    src.push_str(&format!("print(x_{i}_0)"));
    let out_lines: String = (0..1 + rng.below(5))
        .map(|k| format!("result {i}.{k}: {}\n", rng.next() % 100_000))
        .collect();
    json!({"cell_type": "code", "execution_count": i + 1, "id": format!("c{i:06}"),
           "metadata": {"tags": []},
           "outputs": [
               {"name": "stdout", "output_type": "stream", "text": lines(&out_lines)},
               {"data": {"text/plain": [format!("{}", rng.next())]},
                "execution_count": i + 1, "metadata": {}, "output_type": "execute_result"}
           ],
           "source": lines(&src)})
}

fn notebook_bytes(cells: Vec<Value>) -> Vec<u8> {
    let mut root = Map::new();
    root.insert("cells".into(), Value::Array(cells));
    root.insert(
        "metadata".into(),
        json!({"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}),
    );
    root.insert("nbformat".into(), json!(4));
    root.insert("nbformat_minor".into(), json!(5));
    Style::default().write_document(&root)
}

/// Edits 1% of the cells (at least one): changed source, new cells, deleted
/// cells, and, when `shuffle`, every cell in a random order.
fn edited(cells: &[Value], seed: u64, shuffle: bool) -> Vec<Value> {
    let mut rng = Rng(seed);
    let mut out: Vec<Value> = cells.to_vec();
    let edits = (cells.len() / 100).max(1);
    for e in 0..edits {
        let k = rng.below(out.len());
        match e % 3 {
            0 => {
                if let Some(Value::Array(src)) = out[k].get_mut("source") {
                    src.push(Value::String("\nedited = True".into()));
                }
            }
            1 => out.insert(k, cell(1_000_000 + e, &mut rng)),
            _ => {
                out.remove(k);
            }
        }
    }
    if shuffle {
        for i in (1..out.len()).rev() {
            out.swap(i, rng.below(i + 1));
        }
    }
    out
}

fn base_cells(n: usize) -> Vec<Value> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    (0..n).map(|i| cell(i, &mut rng)).collect()
}

/// `(old, new)` notebook bytes: `n` cells, 1% edited, optionally shuffled.
fn pair(n: usize, shuffle: bool) -> (Vec<u8>, Vec<u8>) {
    let cells = base_cells(n);
    let new = edited(&cells, 7, shuffle);
    (notebook_bytes(cells), notebook_bytes(new))
}

fn parse(bytes: &[u8]) -> Notebook {
    Notebook::parse(bytes, "bench.ipynb").expect("generated notebooks parse")
}

const SIZES: [usize; 2] = [1_000, 10_000];

#[divan::bench(args = SIZES, sample_count = 20)]
fn parse_notebook(bencher: divan::Bencher, n: usize) {
    let (a, _) = pair(n, false);
    bencher
        .counter(divan::counter::BytesCount::of_slice(&a))
        .bench(|| parse(divan::black_box(&a)));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn serialize_notebook(bencher: divan::Bencher, n: usize) {
    let nb = parse(&pair(n, false).0);
    bencher.bench(|| nb.to_bytes());
}

fn keys<'a>(
    cells: &[nbdiff::notebook::Cell<'a>],
    src: &'a [Cow<'a, str>],
    ids: bool,
) -> Vec<CellKey<'a>> {
    cells
        .iter()
        .zip(src)
        .map(|(c, s)| CellKey {
            id: if ids { c.id() } else { None },
            cell_type: c.cell_type(),
            source: s,
        })
        .collect()
}

/// Alignment alone (cell keys prepared outside the timing).
fn bench_align(bencher: divan::Bencher, n: usize, shuffle: bool, ids: bool) {
    let (a, b) = pair(n, shuffle);
    let (a, b) = (parse(&a), parse(&b));
    let (ca, cb) = (a.cells(), b.cells());
    let sa: Vec<Cow<'_, str>> = ca.iter().map(|c| c.source()).collect();
    let sb: Vec<Cow<'_, str>> = cb.iter().map(|c| c.source()).collect();
    let (ka, kb) = (keys(&ca, &sa, ids), keys(&cb, &sb, ids));
    bencher.bench(|| align::align(divan::black_box(&ka), divan::black_box(&kb)));
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn align_in_order(bencher: divan::Bencher, n: usize) {
    bench_align(bencher, n, false, true);
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn align_shuffled_no_ids(bencher: divan::Bencher, n: usize) {
    bench_align(bencher, n, true, false);
}

/// The semantic diff of two parsed notebooks (alignment and cell comparison).
#[divan::bench(args = SIZES, sample_count = 20)]
fn diff_parsed(bencher: divan::Bencher, n: usize) {
    let (a, b) = pair(n, false);
    let (a, b) = (parse(&a), parse(&b));
    let opts = DiffOptions::default();
    bencher.bench(|| diff_notebooks(&a, &b, &opts).cells.len());
}

#[divan::bench(args = SIZES, sample_count = 20)]
fn diff_parsed_shuffled(bencher: divan::Bencher, n: usize) {
    let (a, b) = pair(n, true);
    let (a, b) = (parse(&a), parse(&b));
    let opts = DiffOptions::default();
    bencher.bench(|| diff_notebooks(&a, &b, &opts).cells.len());
}

/// A merge triplet: local and remote edit disjoint cells of base.
fn triplet(n: usize) -> [Vec<u8>; 3] {
    let cells = base_cells(n);
    let mut local = cells.clone();
    let mut remote = cells.clone();
    for k in (0..n).step_by(100) {
        let side = if k % 200 == 0 {
            &mut local
        } else {
            &mut remote
        };
        if let Some(Value::Array(src)) = side[k].get_mut("source") {
            src.push(Value::String("\nmerged = True".into()));
        }
    }
    local.insert(n / 2, cell(2_000_000, &mut Rng(3)));
    remote.remove(n / 3);
    [
        notebook_bytes(cells),
        notebook_bytes(local),
        notebook_bytes(remote),
    ]
}

/// The merge of three parsed notebooks, as a value (alignment twice, cells).
#[divan::bench(args = SIZES, sample_count = 20)]
fn merge_parsed(bencher: divan::Bencher, n: usize) {
    let [b, l, r] = triplet(n).map(|x| parse(&x));
    let opts = Options::default();
    bencher.bench(|| merge::merge_notebooks(&b, &l, &r, &opts).items.len());
}

/// Both sides shuffled every cell, each in its own order (and edited 1%),
/// no ids: the alignment of two sides full of moves (issue 22's shuffled
/// merge), then every cell's merge.
#[divan::bench(args = SIZES, sample_count = 10)]
fn merge_parsed_shuffled_no_ids(bencher: divan::Bencher, n: usize) {
    let no_ids = |cells: Vec<Value>| {
        let mut cells = cells;
        for c in &mut cells {
            if let Some(m) = c.as_object_mut() {
                m.remove("id");
            }
        }
        notebook_bytes(cells)
    };
    let base = base_cells(n);
    let (l, r) = (edited(&base, 7, true), edited(&base, 11, true));
    let [b, l, r] = [no_ids(base), no_ids(l), no_ids(r)].map(|x| parse(&x));
    let opts = Options::default();
    bencher.bench(|| merge::merge_notebooks(&b, &l, &r, &opts).items.len());
}

/// The whole merge on bytes: parse, merge, render, serialize.
#[divan::bench(args = SIZES, sample_count = 10)]
fn merge_bytes(bencher: divan::Bencher, n: usize) {
    let [b, l, r] = triplet(n);
    let opts = Options::default();
    let inputs = merge::Inputs {
        base: (&b, "base"),
        local: (&l, "local"),
        remote: (&r, "remote"),
    };
    bencher.bench(|| merge::merge_bytes(inputs, &opts).bytes.len());
}

/// One enormous cell: 100k lines, and a version with 1% of them changed
/// (which ones depends on `seed`).
fn big_text(seed: u64) -> (String, String) {
    let mut rng = Rng(1);
    let old: Vec<String> = (0..100_000)
        .map(|i| format!("row_{i} = value({i}) * {}\n", rng.next() % 1000))
        .collect();
    let mut new = old.clone();
    let mut rng = Rng(seed);
    for _ in 0..1000 {
        let k = rng.below(new.len());
        new[k] = format!("changed_{k} = other({k})\n");
    }
    (old.concat(), new.concat())
}

#[divan::bench(sample_count = 10)]
fn text_diff_100k_lines(bencher: divan::Bencher) {
    let (a, b) = big_text(11);
    bencher.bench(|| {
        nbdiff::diff::lines::TextDiff::new(Cow::Borrowed(&a), Cow::Borrowed(&b), false)
            .lines
            .len()
    });
}

#[divan::bench(sample_count = 10)]
fn text_merge3_100k_lines(bencher: divan::Bencher) {
    let (base, local) = big_text(11);
    let (_, remote) = big_text(13);
    bencher.bench(|| nbdiff::text::merge3::merge3(&base, &local, &remote).conflict_count());
}
