//! Details of the command line a user trips over, through the real binary:
//! which MIME part `--outputs full` prints, singular wording, `--stat --json`
//! refused, `--json` image payloads replaced whole, the help's cell
//! numbering, and `config-git --disable --global` removing what `--enable`
//! created.

use crate::git_util::{stderr, stdout, Sandbox};

/// A notebook with one code cell and one execute_result output holding `data`.
fn with_output(data: serde_json::Value) -> String {
    let nb = serde_json::json!({
        "cells": [{
            "cell_type": "code", "execution_count": 1, "id": "c1", "metadata": {},
            "outputs": [{"data": data, "execution_count": 1, "metadata": {}, "output_type": "execute_result"}],
            "source": ["x"]
        }],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5
    });
    serde_json::to_string_pretty(&nb).expect("json")
}

fn write_pair(sb: &Sandbox, a: &str, b: &str) {
    std::fs::write(sb.path().join("a.ipynb"), a).expect("write");
    std::fs::write(sb.path().join("b.ipynb"), b).expect("write");
}

/// `--outputs full` names the part it prints when it is not the one the
/// output's header names (`(text/plain)` with a changed `text/markdown`).
#[test]
fn full_outputs_name_the_mime_type_they_print() {
    let sb = Sandbox::new();
    write_pair(
        &sb,
        &with_output(
            serde_json::json!({"text/plain": ["<Markdown>"], "text/markdown": ["**old**"]}),
        ),
        &with_output(
            serde_json::json!({"text/plain": ["<Markdown>"], "text/markdown": ["**new**"]}),
        ),
    );
    let out = sb.nbdiff(
        sb.path(),
        &[
            "--outputs",
            "full",
            "--color",
            "never",
            "a.ipynb",
            "b.ipynb",
        ],
    );
    let text = stdout(&out);
    let label = text.find("text/markdown:").expect(&text);
    let line = text.find("-**old**").expect(&text);
    assert!(label < line, "the part is named before its lines:\n{text}");
}

/// textconv says "1 more line", not "1 more lines".
#[test]
fn one_more_line_is_singular() {
    let sb = Sandbox::new();
    let lines: Vec<String> = (0..13).map(|i| format!("l{i}\n")).collect();
    let nb = serde_json::json!({
        "cells": [{"cell_type": "code", "execution_count": 1, "id": "c", "metadata": {},
                   "outputs": [{"name": "stdout", "output_type": "stream", "text": lines}],
                   "source": "x"}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5
    });
    std::fs::write(sb.path().join("a.ipynb"), nb.to_string()).expect("write");
    let out = sb.nbdiff(sb.path(), &["show", "a.ipynb"]);
    let text = stdout(&out);
    assert!(text.contains("… 1 more line\n"), "{text}");
}

/// `--stat --json` is refused, not one of them silently dropped.
#[test]
fn stat_with_json_is_an_error() {
    let sb = Sandbox::new();
    let nb = with_output(serde_json::json!({"text/plain": ["1"]}));
    write_pair(&sb, &nb, &nb.replace("\"1\"", "\"2\""));
    let out = sb.nbdiff(sb.path(), &["--stat", "--json", "a.ipynb", "b.ipynb"]);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("--json"), "{}", stderr(&out));
}

/// `config-git --disable --global` removes the `git/` directory its
/// `--enable` created for the attributes file (and leaves no record behind).
#[test]
fn disable_global_removes_the_directory_enable_created() {
    let sb = Sandbox::new();
    let git_dir = sb.xdg().join("git");
    assert!(!git_dir.exists());
    let on = sb.nbdiff(sb.path(), &["config-git", "--enable", "--global"]);
    assert!(on.status.success(), "{}", stderr(&on));
    assert!(git_dir.join("attributes").is_file());
    let off = sb.nbdiff(sb.path(), &["config-git", "--disable", "--global"]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert!(!git_dir.exists(), "{}", stdout(&off));
    assert!(sb.xdg().exists(), "a directory that existed before stays");
    let config = std::fs::read_to_string(sb.global_config()).unwrap_or_default();
    assert!(!config.contains("nbdiff"), "{config}");
}

/// `--json` replaces a changed image payload whole: one operation per
/// changed image (as nbdime), not one per base64 line.
#[test]
fn json_replaces_a_changed_image_payload_whole() {
    let sb = Sandbox::new();
    let payload = |seed: u8| -> Vec<String> {
        (0..50)
            .map(|i| {
                format!(
                    "{}\n",
                    ((b'A' + (i as u8 + seed) % 26) as char)
                        .to_string()
                        .repeat(76)
                )
            })
            .collect()
    };
    write_pair(
        &sb,
        &with_output(serde_json::json!({"image/png": payload(0), "text/plain": ["<Figure>"]})),
        &with_output(serde_json::json!({"image/png": payload(1), "text/plain": ["<Figure>"]})),
    );
    let out = sb.nbdiff(sb.path(), &["--json", "a.ipynb", "b.ipynb"]);
    let diff: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let text = diff.to_string();
    let ops = text.matches("\"op\":").count();
    assert!(
        text.contains(r#""key":"image/png","op":"replace""#)
            || text.contains(r#""op":"replace","key":"image/png""#),
        "{text}"
    );
    // cells → cell 0 → outputs → output 0 → data → image/png: 6 operations.
    assert_eq!(ops, 6, "{text}");
}

/// The help says which cell numbering each format uses.
#[test]
fn help_says_json_indices_are_zero_based() {
    let sb = Sandbox::new();
    let out = sb.nbdiff(sb.path(), &["--help"]);
    assert!(stdout(&out).contains("0-based"), "{}", stdout(&out));
}
