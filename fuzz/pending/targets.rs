//! Fuzz targets for issue 20 not yet compiled or run (the fuzz build did not
//! finish before the deadline on the shared machine). To enable: append this
//! file to `src/lib.rs`, add `comrak = { version = "0.59", default-features =
//! false }` to `Cargo.toml`'s dependencies, move the three `*.rs.target` files
//! to `fuzz_targets/<name>.rs` and add their `[[bin]]` entries.

// ------------------------------------------------------------ (f) check

/// `nbdiff check` with every rule: on the input as a notebook, and on the
/// input as the Python source of a cell that also printed it (a stream
/// output). Never panics or overflows the stack (deep Python is reported,
/// not parsed); every finding's file line is within the file; every format
/// renders (text terminal-safe, JSON and SARIF valid JSON, GitHub one
/// workflow command per line); a secret finding never shows the secret's
/// middle (the input's own 24-character windows are looked for).
pub fn check(data: &[u8]) {
    use nbdiff::check::{check_notebook_noting, Options, Rule};
    let (parts, knob) = split(data, 1);
    let bytes = parts[0];
    let opts = Options {
        rules: Rule::ALL.to_vec(),
        max_output_bytes: 64 + usize::from(knob) * 64,
        base_dir: None,
    };
    if let Ok(nb) = Notebook::parse(bytes, "f.ipynb") {
        let (findings, _) = check_notebook_noting(&nb, bytes, "f.ipynb", &opts);
        check_findings(&findings, bytes, None);
    }
    let text = String::from_utf8_lossy(bytes);
    let synthetic = serde_json::to_string_pretty(&serde_json::json!({
        "cells": [{"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {},
                   "outputs": [{"name": "stdout", "output_type": "stream", "text": text}],
                   "source": text}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    }))
    .expect("serialize");
    let nb = Notebook::parse(synthetic.as_bytes(), "s.ipynb").expect("a valid notebook");
    let (findings, _) = check_notebook_noting(&nb, synthetic.as_bytes(), "s.ipynb", &opts);
    check_findings(&findings, synthetic.as_bytes(), Some(&text));
}

fn check_findings(findings: &[nbdiff::check::Finding], raw: &[u8], secret_text: Option<&str>) {
    use nbdiff::check::render::{write, Format};
    let lines = raw.iter().filter(|&&b| b == b'\n').count() + 1;
    for f in findings {
        assert!(
            (1..=lines).contains(&f.location.file_line),
            "file line {} of {lines}: {f:?}",
            f.location.file_line
        );
        // A secret's middle never shows: a 24-character window of a token
        // found (alphanumeric, from the input) is not in the message.
        if let (Some(text), nbdiff::check::Rule::Secret) = (secret_text, f.rule) {
            for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
                if word.len() >= 32 && f.message.contains(&word[4..28]) {
                    panic!("secret shown: {}", f.message);
                }
            }
        }
    }
    for format in [Format::Text, Format::Json, Format::Github, Format::Sarif] {
        let mut out = Vec::new();
        write(&mut out, format, findings, 1).expect("write to a Vec");
        match format {
            Format::Text => assert_terminal_safe("check", &out, false),
            Format::Json | Format::Sarif => {
                serde_json::from_slice::<serde_json::Value>(&out).expect("valid JSON");
            }
            Format::Github => {
                let s = std::str::from_utf8(&out).expect("UTF-8");
                assert!(s.lines().all(|l| l.starts_with("::")), "{s}");
                assert_eq!(s.lines().count(), findings.len());
            }
        }
    }
}

// ------------------------------------------------------------ (g) clean

/// `clean` and git's long-running filter (`filter-process`). The input as
/// a raw packet stream never panics `serve`. The input as a file: a
/// notebook cleans into a notebook with the same cells, cell types and
/// sources (content never lost) and cleaning again changes nothing; what is
/// not a notebook passes through byte for byte. Through `serve` (a whole
/// protocol session, content split into packets), git gets exactly what
/// `clean` gives.
pub fn clean_filter(data: &[u8]) {
    use nbdiff::clean::{process, CleanOptions, Cleaner, Keep, Overrides};
    let overrides = Overrides::default();
    let _ = process::serve(&overrides, &mut &data[..], &mut Vec::new(), &mut Vec::new());

    let (parts, knob) = split(data, 1);
    let bytes = parts[0];
    let keep = |bit: u8| if knob & bit != 0 { Keep::Keep } else { Keep::Strip };
    let options = CleanOptions {
        outputs: keep(1),
        execution_counts: keep(2),
    };
    let cleaner = Cleaner::with_defaults(options);
    let expected: Vec<u8> = match cleaner.clean(bytes, "x.ipynb") {
        Err(_) => bytes.to_vec(),
        Ok(c) => match c.bytes {
            None => bytes.to_vec(),
            Some(out) => {
                let before = Notebook::parse(bytes, "before").expect("it cleaned, so it parses");
                let after = Notebook::parse(&out, "after").expect("clean writes a notebook");
                let (a, b) = (before.cells(), after.cells());
                assert_eq!(a.len(), b.len(), "cells lost");
                for (x, y) in a.iter().zip(b.iter()) {
                    assert_eq!(x.cell_type(), y.cell_type());
                    assert_eq!(x.source(), y.source(), "a source changed");
                }
                let again = cleaner.clean(&out, "again").expect("reads back");
                assert!(again.bytes.is_none(), "cleaning twice changes more");
                out
            }
        },
    };
    // A whole session, as git runs it.
    let opts = Overrides {
        outputs: Some(options.outputs),
        execution_counts: Some(options.execution_counts),
    };
    let mut session = Vec::new();
    for l in ["git-filter-client", "version=2"] {
        pkt(&mut session, format!("{l}\n").as_bytes());
    }
    session.extend_from_slice(b"0000");
    for l in ["capability=clean", "capability=smudge"] {
        pkt(&mut session, format!("{l}\n").as_bytes());
    }
    session.extend_from_slice(b"0000");
    for l in ["command=clean", "pathname=/nonexistent-nbdiff-fuzz/x.ipynb"] {
        pkt(&mut session, format!("{l}\n").as_bytes());
    }
    session.extend_from_slice(b"0000");
    for chunk in bytes.chunks(65516) {
        pkt(&mut session, chunk);
    }
    session.extend_from_slice(b"0000");
    let mut reply = Vec::new();
    process::serve(&opts, &mut &session[..], &mut reply, &mut Vec::new()).expect("a valid session");
    let packets = read_pkts(&reply);
    // Server hello, flush, capabilities, flush, status, flush, content, flush, flush.
    let mut groups = packets.split(|p| p.is_none());
    let _hello = groups.next();
    let _caps = groups.next();
    let status = groups.next().expect("a status");
    assert_eq!(status, [Some(b"status=success\n".to_vec())]);
    let content: Vec<u8> = groups
        .next()
        .expect("content")
        .iter()
        .flat_map(|p| p.clone().unwrap_or_default())
        .collect();
    assert!(content == expected, "filter-process and clean disagree");
}

fn pkt(out: &mut Vec<u8>, payload: &[u8]) {
    out.extend_from_slice(format!("{:04x}", payload.len() + 4).as_bytes());
    out.extend_from_slice(payload);
}

/// pkt-lines: `Some(payload)` or `None` for a flush.
fn read_pkts(mut b: &[u8]) -> Vec<Option<Vec<u8>>> {
    let mut out = Vec::new();
    while b.len() >= 4 {
        let len = usize::from_str_radix(std::str::from_utf8(&b[..4]).expect("hex"), 16).expect("hex");
        if len == 0 {
            out.push(None);
            b = &b[4..];
            continue;
        }
        out.push(Some(b[4..len].to_vec()));
        b = &b[len..];
    }
    out
}

// ------------------------------------------------------------ (h) Markdown as GitHub renders it

/// The `--markdown` report of `OLD\0NEW\0PATH`, rendered as GitHub renders
/// a comment (CommonMark with GFM's autolink, table and strikethrough
/// extensions, by comrak): no link, image or raw tag but the report's own,
/// and no `@mention` or `#reference` outside code blocks, whatever the
/// path, cell text, cell types and MIME labels hold.
pub fn markdown_gfm(data: &[u8]) {
    use nbdiff::render::report::{Report, ReportFormat};
    let (parts, knob) = split(data, 3);
    let (Ok(a), Ok(b)) = (
        Notebook::parse(parts[0], "old.ipynb"),
        Notebook::parse(parts[1], "new.ipynb"),
    ) else {
        return;
    };
    let path = String::from_utf8_lossy(parts[2]);
    let opts = DiffOptions {
        show_all: knob & 1 != 0,
        ..DiffOptions::default()
    };
    let d = diff_notebooks(&a, &b, &opts);
    let mut md = Report::new(ReportFormat::Markdown, usize::from(knob >> 4), knob & 1 != 0, None);
    md.add(&path, &d);
    md.note(&path);
    let mut out = Vec::new();
    md.finish(&mut out).expect("write to a Vec");
    let text = std::str::from_utf8(&out).expect("UTF-8");
    let mut o = comrak::Options::default();
    o.extension.autolink = true;
    o.extension.table = true;
    o.extension.strikethrough = true;
    o.render.r#unsafe = true;
    let html = comrak::markdown_to_html(text, &o);
    if let Err(e) = inert::check_markdown_report(&html) {
        panic!("--markdown renders (GFM) to {e}");
    }
    for bad in ["<a ", "<img", "href=", "src="] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }
    let mut outside = String::new();
    let mut rest = html.as_str();
    while let Some(at) = rest.find("<pre") {
        outside.push_str(&rest[..at]);
        rest = rest[at..].find("</pre>").map_or("", |e| &rest[at + e..]);
    }
    outside.push_str(rest);
    let b = outside.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if (c == b'@' || c == b'#') && b.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric()) {
            panic!(
                "a mention or reference: {:?}",
                String::from_utf8_lossy(&b[i.saturating_sub(20)..])
            );
        }
    }
}
