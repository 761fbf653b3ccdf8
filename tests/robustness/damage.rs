//! Random byte-level damage to every fixture notebook: no panic, errors are
//! one line naming the file.

use super::*;

// ---------------------------------------------------------------- byte damage

/// Every notebook under `fixtures/diff` and `fixtures/merge` (not `bad`).
fn fixture_notebooks() -> Vec<(PathBuf, Vec<u8>)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    for area in ["diff", "merge"] {
        let Ok(cases) = std::fs::read_dir(root.join(area)) else {
            continue;
        };
        let mut cases: Vec<PathBuf> = cases.filter_map(|e| e.ok().map(|e| e.path())).collect();
        cases.sort();
        for case in cases.iter().filter(|c| !c.ends_with("bad")) {
            for name in ["old", "new", "base", "local", "remote"] {
                let p = case.join(format!("{name}.ipynb"));
                if let Ok(bytes) = std::fs::read(&p) {
                    out.push((p, bytes));
                }
            }
        }
    }
    out
}

/// Snippets that stress a JSON reader or the model when spliced in.
const SPLICES: &[&str] = &[
    "1e999999",
    "-1e999999",
    "-0",
    "1.0",
    "123456789012345678901234567890",
    "\"\\ud800\"",
    "\"\\udc00\\ud800\"",
    "\"\\u0000\"",
    "null",
    "{}",
    "[]",
    "\"cells\": [], ",
    "\"nbformat\": 4, ",
    "\"source\": 5, ",
    "\"outputs\": {}, ",
    "\"outputs\": [1], ",
    "\"metadata\": [], ",
    "\"cell_type\": null, ",
    "\"id\": \"\", ",
    "\"id\": 7, ",
    "\"worksheets\": [{}], ",
    "\"execution_count\": 1e999999, ",
    "\"execution_count\": -1, ",
    "\"nbformat_minor\": -1, ",
    "\"nbformat_minor\": 1e999999, ",
    "\"data\": {\"image/png\": 5}, ",
    "\"data\": {\"image/png\": \"%%%\"}, ",
    "\"text\": [1, 2], ",
    "\"traceback\": \"x\", ",
    "\"tags\": \"x\", ",
    "\u{feff}",
    "\r",
    "\u{2028}",
    "<<<<<<< HEAD\n",
];

/// One random mutation of `bytes`; returns its name.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) -> String {
    let len = bytes.len();
    let at = rng.below(len + 1);
    match rng.below(9) {
        0 => {
            bytes.truncate(at);
            format!("truncate at {at}")
        }
        1 if len > 0 => {
            let at = at.min(len - 1);
            let bit = 1u8 << rng.below(8);
            bytes[at] ^= bit;
            format!("flip bit {bit:#x} at {at}")
        }
        2 => {
            bytes.insert(at, 0);
            format!("insert NUL at {at}")
        }
        3 => {
            let bad = *rng.pick(&[0xff_u8, 0xc0, 0x80, 0xed]);
            // Inside a string when possible.
            let at = bytes
                .iter()
                .enumerate()
                .skip(at)
                .find(|(_, &b)| b == b'"')
                .map_or(at, |(i, _)| i + 1);
            bytes.insert(at, bad);
            format!("insert byte {bad:#x} at {at}")
        }
        4 => {
            bytes.splice(0..0, "\u{feff}".bytes());
            "BOM".into()
        }
        5 => {
            // Replace a number with a strange one.
            let digits: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|(i, b)| {
                    b.is_ascii_digit() && *i > 0 && !bytes[i - 1].is_ascii_alphanumeric()
                })
                .map(|(i, _)| i)
                .collect();
            if digits.is_empty() {
                return "no number".into();
            }
            let i = *rng.pick(&digits);
            let mut end = i;
            while end < len && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
                end += 1;
            }
            let with = *rng.pick(&[
                "1e999999",
                "-0",
                "1.0",
                "4.0",
                "-1",
                "99999999999999999999999",
            ]);
            bytes.splice(i..end, with.bytes());
            format!("number at {i} -> {with}")
        }
        6 => {
            // Splice after an opening brace or bracket, or anywhere.
            let s = *rng.pick(SPLICES);
            let at = bytes
                .iter()
                .enumerate()
                .skip(at)
                .find(|(_, &b)| b == b'{' || b == b'[')
                .map_or(at, |(i, _)| i + 1);
            bytes.splice(at..at, s.bytes());
            format!("insert {s:?} at {at}")
        }
        7 => {
            // Replace a value after a key with a strange one.
            let colons: Vec<usize> = bytes
                .windows(2)
                .enumerate()
                .filter(|(_, w)| w == b"\":")
                .map(|(i, _)| i + 2)
                .collect();
            if colons.is_empty() {
                return "no key".into();
            }
            let i = *rng.pick(&colons);
            let s = *rng.pick(&["null", "5", "\"x\"", "[]", "{}", "[1]", "true", "1e999999"]);
            let mut end = i;
            while end < len && bytes[end] == b' ' {
                end += 1;
            }
            // Only scalars and empty containers are replaced whole; else insert.
            let stop = bytes[end..]
                .iter()
                .position(|&b| matches!(b, b',' | b'}' | b']' | b'\n'))
                .map_or(len, |p| end + p);
            let simple = !bytes[end..stop].contains(&b'"') || bytes.get(end) == Some(&b'"');
            if simple && !bytes[end..stop].contains(&b'[') && !bytes[end..stop].contains(&b'{') {
                bytes.splice(end..stop, s.bytes());
            } else {
                bytes.splice(end..end, format!("{s}, \"x\": ").bytes());
            }
            format!("value at {end} -> {s}")
        }
        _ => {
            let n = 1 + rng.below(40);
            let start = rng.below(len.max(1));
            let end = (start + n).min(len);
            bytes.drain(start..end);
            format!("delete {start}..{end}")
        }
    }
}

/// Everything a damaged file goes through: parse (an error names the file),
/// diff both ways with every renderer, show, and merge in every position.
fn survive(bytes: &[u8], good: &[u8]) -> Result<(), String> {
    let name = "damaged.ipynb";
    let good_nb = parse(good, "good.ipynb")?;
    match Notebook::parse(bytes, name) {
        Err(e) => {
            let msg = e.to_string();
            if !msg.starts_with(name) || msg.contains('\n') {
                return Err(format!("error is not one line naming the file: {msg:?}"));
            }
        }
        Ok(nb) => {
            diff_pair(&nb, &good_nb)?;
            diff_pair(&good_nb, &nb)?;
        }
    }
    let opts = Options::default();
    for files in [
        [bytes, good, good],
        [good, bytes, good],
        [good, good, bytes],
        [good, bytes, bytes],
        [bytes, good, bytes],
    ] {
        let out = merge(files, &opts);
        // (A side equal to another is taken byte for byte, damaged or not.)
        let copied = files.contains(&out.bytes.as_slice());
        if out.fallback.is_none() && !copied && Notebook::parse(&out.bytes, "merged").is_err() {
            return Err("a notebook merge wrote something that is not a notebook".into());
        }
    }
    Ok(())
}

#[test]
fn damaged_fixture_notebooks_never_panic_and_errors_name_the_file() {
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let files = fixture_notebooks();
    assert!(files.len() > 20, "fixtures found: {}", files.len());
    let mut failures = Vec::new();
    for seed in seeds(0, 1500) {
        let mut rng = Rng::new(seed);
        let (path, good) = &files[rng.below(files.len())];
        let mut bytes = good.clone();
        let mut what = Vec::new();
        for _ in 0..1 + rng.below(3) {
            what.push(mutate(&mut rng, &mut bytes));
        }
        if let Err(e) = guarded(|| survive(&bytes, good)) {
            let repro = std::env::temp_dir().join(format!("nbdiff-damaged-{seed}.ipynb"));
            let _ = std::fs::write(&repro, &bytes);
            failures.push(format!(
                "seed {seed}: {} with {what:?}: {e}\n  reproduce: nbdiff {} {}",
                path.display(),
                path.display(),
                repro.display()
            ));
        }
    }
    std::panic::set_hook(quiet);
    assert!(
        failures.is_empty(),
        "{} failing seeds\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}

/// serde_json's recursion limit stops deep nesting before the stack does,
/// in the parser and in every command that reads the file.
#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let good = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/diff/identical/old.ipynb"),
    )
    .expect("fixture");
    let deep = |open: &str, close: &str, n: usize| {
        let mut s = String::from(
            "{\"nbformat\": 4, \"nbformat_minor\": 4, \"cells\": [], \"metadata\": {\"x\": ",
        );
        s.push_str(&open.repeat(n));
        s.push_str(&close.repeat(n));
        s.push_str("}}\n");
        s.into_bytes()
    };
    for bytes in [
        deep("[", "]", 100_000),
        deep("{\"a\":", "}", 100_000),
        deep("[", "", 100_000), // unclosed
        b"[".repeat(1_000_000),
    ] {
        let err = Notebook::parse(&bytes, "deep.ipynb").expect_err("too deep to read");
        assert!(err.to_string().starts_with("deep.ipynb: "), "{err}");
        survive(&bytes, &good).unwrap();
    }
    // Just under the limit still reads, and everything copes with it.
    let ok = deep("[", "]", 100);
    Notebook::parse(&ok, "ok.ipynb").expect("100 levels read");
    survive(&ok, &good).unwrap();
}
