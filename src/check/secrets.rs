//! `secret`: credentials in sources and text outputs.
//!
//! Two kinds of evidence, both read from the decoded text (so JSON escaping
//! cannot hide a key) and never from image or other binary payloads
//! (`base64,` runs inside HTML are skipped too):
//!
//! - known token formats: AWS access key ids, GitHub, GitLab, Slack (tokens
//!   and webhooks), OpenAI, Anthropic, Hugging Face, Google API and Stripe
//!   keys, private key blocks, JWTs, and URLs with a password
//!   (`postgres://user:pw@host`);
//! - a high-entropy string literal assigned to a secret-sounding name
//!   (`api_key = "…"`, `"password": "…"`, `token="…"`).
//!
//! A finding carries a redacted form only ([`redact`]): never the secret.

use super::{output_texts, source_lines, Hit, Rule};
use crate::notebook::Cell;

/// One secret found in a line: what kind, and its redacted form.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub kind: &'static str,
    pub redacted: String,
    /// The text found, as it stands in the scanned text: only to locate
    /// the finding's line in the file, never shown.
    pub evidence: String,
}

/// The first 4 characters (fewer for short secrets), an ellipsis and the
/// length: enough to recognise one's own key, useless to anyone else.
pub(crate) fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    let keep = if n >= 16 { 4 } else { 1 };
    let head: String = secret.chars().take(keep).collect();
    format!("{head}…({n} chars)")
}

pub(crate) fn check(cells: &[Cell<'_>], hits: &mut Vec<Hit>) {
    for (i, cell) in cells.iter().enumerate() {
        let src = cell.source();
        let key = private_key_at(&src);
        if let Some((at, f)) = &key {
            let at = *at;
            hits.push(Hit::cell(
                Rule::Secret,
                i,
                Some(src[..at].matches('\n').count() + 1),
                format!(
                    "{} in the source: {} — revoke it and remove it from the notebook",
                    f.kind, f.redacted
                ),
            ));
        }
        for (n, line) in source_lines(&src).enumerate() {
            // A key on one line is already reported, once, above.
            let f = scan_line(line).filter(|f| key.is_none() || f.kind != "a private key");
            if let Some(f) = f {
                hits.push(Hit::cell(
                    Rule::Secret,
                    i,
                    Some(n + 1),
                    format!("{} in the source: {} — revoke it, then read it from the environment or a secrets manager", f.kind, f.redacted),
                ));
            }
        }
        for (k, text) in output_texts(cell) {
            if let Some(f) = scan_text(&text) {
                hits.push(
                    Hit::output(
                        Rule::Secret,
                        i,
                        k,
                        format!(
                            "{} printed in an output: {} — revoke it and clear the output",
                            f.kind, f.redacted
                        ),
                    )
                    .at(&f.evidence),
                );
            }
        }
    }
}

/// The first secret in a multi-line text (an output), skipping base64 runs.
pub(crate) fn scan_text(text: &str) -> Option<Found> {
    if let Some(f) = private_key(text) {
        return Some(f);
    }
    let mut rest = text;
    loop {
        let (scan, next) = match rest.find("base64,") {
            Some(at) => {
                let after = &rest[at + 7..];
                let len = after
                    .find(|c: char| {
                        !(c.is_ascii_alphanumeric()
                            || matches!(c, '+' | '/' | '=' | '\n' | '\r' | ' '))
                    })
                    .unwrap_or(after.len());
                (&rest[..at], Some(&after[len..]))
            }
            None => (rest, None),
        };
        if let Some(f) = source_lines(scan).find_map(scan_line) {
            return Some(f);
        }
        match next {
            Some(n) => rest = n,
            None => return None,
        }
    }
}

/// The first secret in one line of text.
pub(crate) fn scan_line(line: &str) -> Option<Found> {
    if line.len() < 8 {
        return None;
    }
    token_format(line)
        .or_else(|| private_key(line))
        .or_else(|| url_password(line))
        .or_else(|| assignment(line))
}

/// (prefix, kind, allowed tail characters, minimum tail, maximum tail).
type Format = (&'static str, &'static str, fn(u8) -> bool, usize, usize);

fn alnum(c: u8) -> bool {
    c.is_ascii_alphanumeric()
}
fn upper_digit(c: u8) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}
fn alnum_dash(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
}
fn alnum_under(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}
fn slack(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-'
}
fn webhook(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'/' || c == b'_'
}

const FORMATS: &[Format] = &[
    ("AKIA", "an AWS access key id", upper_digit, 16, 16),
    ("ASIA", "an AWS access key id", upper_digit, 16, 16),
    ("ghp_", "a GitHub token", alnum, 36, 255),
    ("gho_", "a GitHub token", alnum, 36, 255),
    ("ghu_", "a GitHub token", alnum, 36, 255),
    ("ghs_", "a GitHub token", alnum, 36, 255),
    ("ghr_", "a GitHub token", alnum, 36, 255),
    ("github_pat_", "a GitHub token", alnum_under, 60, 255),
    ("glpat-", "a GitLab token", alnum_dash, 20, 255),
    ("xoxb-", "a Slack token", slack, 20, 255),
    ("xoxp-", "a Slack token", slack, 20, 255),
    ("xoxa-", "a Slack token", slack, 20, 255),
    ("xoxr-", "a Slack token", slack, 20, 255),
    ("xoxs-", "a Slack token", slack, 20, 255),
    (
        "hooks.slack.com/services/T",
        "a Slack webhook",
        webhook,
        20,
        255,
    ),
    ("sk-ant-", "an Anthropic API key", alnum_dash, 32, 255),
    ("sk-proj-", "an OpenAI API key", alnum_dash, 40, 255),
    ("sk-", "an OpenAI API key", alnum, 40, 255),
    ("hf_", "a Hugging Face token", alnum, 34, 40),
    ("AIza", "a Google API key", alnum_dash, 35, 35),
    ("sk_live_", "a Stripe secret key", alnum, 24, 255),
    ("rk_live_", "a Stripe restricted key", alnum, 24, 255),
];

fn token_format(line: &str) -> Option<Found> {
    let b = line.as_bytes();
    for &(prefix, kind, tail_ok, min, max) in FORMATS {
        for at in memchr::memmem::find_iter(b, prefix.as_bytes()) {
            if at > 0 && alnum_dash(b[at - 1]) && !prefix.starts_with("hooks") {
                continue;
            }
            let tail_start = at + prefix.len();
            // At most `max + 1` bytes: longer is not this format, and the
            // scan stays linear however long the run.
            let tail_len = b[tail_start..]
                .iter()
                .take(max + 1)
                .take_while(|&&c| tail_ok(c))
                .count();
            if tail_len < min || tail_len > max {
                continue;
            }
            let end = tail_start + tail_len;
            if end < b.len() && alnum(b[end]) {
                continue;
            }
            let token = &line[at..end];
            let tail = &line[tail_start..end];
            if looks_fake(token) || !mixed(tail, prefix) {
                continue;
            }
            return Some(Found {
                kind,
                redacted: redact(token),
                evidence: token.to_string(),
            });
        }
    }
    jwt(line)
}

/// Random keys mix character classes; a run of one letter or an all-letters
/// word is a name, not a key.
fn mixed(tail: &str, prefix: &str) -> bool {
    let digits = tail.bytes().any(|c| c.is_ascii_digit());
    let upper = tail.bytes().any(|c| c.is_ascii_uppercase());
    let lower = tail.bytes().any(|c| c.is_ascii_lowercase());
    match prefix {
        "AKIA" | "ASIA" => {
            digits || tail.bytes().collect::<std::collections::HashSet<_>>().len() > 8
        }
        "hf_" => upper && lower,
        _ => (digits as u8 + upper as u8 + lower as u8) >= 2 && entropy(tail) >= 3.0,
    }
}

fn looks_fake(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    [
        "example",
        "xxxxxxxx",
        "your",
        "placeholder",
        "dummy",
        "fake",
        "0000000000",
        "1234567890",
        "abcdef",
    ]
    .iter()
    .any(|p| l.contains(p))
}

/// Shannon entropy in bits per character.
pub(crate) fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    if n == 0.0 {
        return 0.0;
    }
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// `eyJ….eyJ….sig`, the well-known jwt.io sample excepted. Linear: a
/// candidate starts a run of token characters, and each run is read by at
/// most the three candidates whose parts it can be.
fn jwt(line: &str) -> Option<Found> {
    let b = line.as_bytes();
    for at in memchr::memmem::find_iter(b, b"eyJ") {
        if at > 0 && alnum_dash(b[at - 1]) {
            continue;
        }
        let mut end = at;
        let mut parts = 0;
        loop {
            let len = b[end..].iter().take_while(|&&c| alnum_dash(c)).count();
            if len < 10 {
                break;
            }
            end += len;
            parts += 1;
            if parts == 3 || b.get(end) != Some(&b'.') {
                break;
            }
            end += 1;
        }
        // The payload (inside the token, never the rest of the line: one
        // search per candidate would make the scan quadratic) is JSON too.
        let token = &line[at..end];
        if parts == 3 && token.contains(".eyJ") {
            if token.ends_with("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c") {
                continue;
            }
            return Some(Found {
                kind: "a JSON Web Token",
                redacted: redact(token),
                evidence: token.to_string(),
            });
        }
    }
    None
}

/// `-----BEGIN … PRIVATE KEY-----` opening a key block: the first such
/// header in `text` and its offset. The header closes at the first `-----`
/// after `-----BEGIN ` (at most [`MAX_PEM_HEADER`] bytes on), so a key written
/// on one line (a string literal with `\n` escapes) is found too. The header
/// alone is a finding when a line break (real or a `\n` escape), key
/// material or the end of the text follows it: a short or truncated body
/// still reveals a key. The material counted runs to the next `-----`.
///
/// Linear: `memmem` finds every `-----BEGIN ` once; each header is read for at
/// most [`MAX_PEM_HEADER`] bytes, and each body stops at the next `-----`,
/// which comes no later than the next header, so bodies never overlap.
fn private_key_at(text: &str) -> Option<(usize, Found)> {
    for at in memchr::memmem::find_iter(text.as_bytes(), b"-----BEGIN ") {
        if let Some(found) = private_key_block(&text[at..]) {
            return Some((at, found));
        }
    }
    None
}

fn private_key(text: &str) -> Option<Found> {
    private_key_at(text).map(|(_, found)| found)
}

/// How far past `-----BEGIN ` the header's closing `-----` is looked for.
const MAX_PEM_HEADER: usize = 128;

/// The private key whose block `block` starts with (at `-----BEGIN `).
fn private_key_block(block: &str) -> Option<Found> {
    const BEGIN: usize = "-----BEGIN ".len();
    let b = block.as_bytes();
    let window = &b[BEGIN..b.len().min(BEGIN + MAX_PEM_HEADER)];
    let head_end = BEGIN + memchr::memmem::find(window, b"-----")?;
    let header = &block[..head_end];
    if !header.ends_with("PRIVATE KEY") && !header.ends_with("PRIVATE KEY BLOCK") {
        return None;
    }
    let body_start = head_end + 5;
    let after = &b[body_start..];
    let opens_block = match after.first() {
        None => true,
        Some(b'\n' | b'\r') => true,
        Some(b'\\') => after.get(1) == Some(&b'n'),
        Some(&c) => c.is_ascii_alphanumeric() || c == b'+' || c == b'/',
    };
    if !opens_block {
        return None;
    }
    let body_len = memchr::memmem::find(after, b"-----").unwrap_or(after.len());
    let material = after[..body_len]
        .iter()
        .filter(|c| c.is_ascii_alphanumeric() || **c == b'+' || **c == b'/')
        .count();
    let shown: String = header.chars().take(40).collect();
    Some(Found {
        evidence: header.to_string(),
        kind: "a private key",
        redacted: if material > 0 {
            format!("{shown}-----…({material} chars)")
        } else {
            format!("{shown}-----…")
        },
    })
}

/// Schemes whose URLs carry credentials as `user:password@host`.
const URL_SCHEMES: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mongodb",
    "mongodb+srv",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "mssql",
    "oracle",
    "snowflake",
    "sqlserver",
    "ftp",
    "sftp",
    "smtp",
    "http",
    "https",
    "clickhouse",
    "cockroachdb",
    "neo4j",
    "bolt",
];

fn url_password(line: &str) -> Option<Found> {
    for at in memchr::memmem::find_iter(line.as_bytes(), b"://") {
        let scheme_start = after_last(&line[..at], |c| !(c.is_ascii_alphanumeric() || c == '+'));
        if at - scheme_start > 16 {
            continue;
        }
        let scheme = line[scheme_start..at].to_ascii_lowercase();
        let base = scheme.split('+').next().unwrap_or("");
        if !URL_SCHEMES.contains(&base) && !URL_SCHEMES.contains(&scheme.as_str()) {
            continue;
        }
        let rest = &line[at + 3..];
        let auth_end = rest
            .find(['/', ' ', '"', '\'', '?', '#', '\t', ')', ','])
            .unwrap_or(rest.len());
        let Some(at_sign) = rest[..auth_end].rfind('@') else {
            continue;
        };
        let Some((user, password)) = rest[..at_sign].split_once(':') else {
            continue;
        };
        if user.is_empty() || password.len() < 4 || placeholder(password) {
            continue;
        }
        // The user part is redacted too: it is often the token itself
        // (`https://<token>:x-oauth-basic@github.com/…`).
        return Some(Found {
            kind: "a password in a URL",
            redacted: format!("{scheme}://{}:{}@…", redact(user), redact(password)),
            evidence: rest[..at_sign].to_string(),
        });
    }
    None
}

/// Values that stand for a secret in documentation.
fn placeholder(v: &str) -> bool {
    let l = v.to_ascii_lowercase();
    v.contains(['<', '>', '{', '}', '$', '*', '%', '[', ' '])
        || l.chars().all(|c| c == 'x' || c == '.' || c == '-')
        || [
            "password",
            "passwd",
            "pass",
            "pwd",
            "secret",
            "your",
            "xxx",
            "example",
            "changeme",
            "placeholder",
            "dummy",
            "fake",
            "test",
            "sample",
            "insert",
            "enter",
            "here",
            "redacted",
            "token",
            "api_key",
            "apikey",
            "...",
            "none",
            "null",
            "foo",
            "bar",
            "admin",
            "root",
            "user",
            "mypass",
            "hunter2",
        ]
        .iter()
        .any(|p| l.contains(p))
}

/// Name parts that make a string literal assigned to them a secret.
const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "accesskey",
    "access_key",
    "privatekey",
    "private_key",
    "auth",
    "credential",
    "bearer",
];

/// Name parts that make it something else (`tokenizer`, `max_tokens`).
const NOT_SECRET_NAMES: &[&str] = &[
    "tokenizer",
    "tokenize",
    "tokens",
    "token_type",
    "token_id",
    "tokenid",
    "_url",
    "_uri",
    "url",
    "uri",
    "path",
    "file",
    "dir",
    "name",
    "_id",
    "type",
    "length",
    "len",
    "count",
    "size",
    "endpoint",
    "header",
    "method",
    "author",
    "prompt",
    "field",
    "column",
    "env",
    "key_name",
    "secret_name",
    "mask",
    "pattern",
];

/// `NAME = "value"`, `NAME: "value"`, `"NAME": "value"`, `NAME="value"`
/// where NAME sounds secret and the value looks random.
fn assignment(line: &str) -> Option<Found> {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let q = b[i];
        if q != b'"' && q != b'\'' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let len = line[start..].find(q as char)?;
        let value = &line[start..start + len];
        let next = start + len + 1;
        if let Some(name) = name_before(&line[..i]) {
            let lname = name.to_ascii_lowercase();
            if SECRET_NAMES.iter().any(|s| lname.contains(s))
                && !NOT_SECRET_NAMES.iter().any(|s| lname.contains(s))
                && random_looking(value)
            {
                return Some(Found {
                    kind: "a secret assigned to a secret-named variable",
                    redacted: format!("{} = {}", sanitize_name(name), redact(value)),
                    evidence: value.to_string(),
                });
            }
        }
        i = next;
    }
    None
}

fn sanitize_name(name: &str) -> String {
    name.chars().take(64).collect()
}

/// The byte index just after the last character of `s` matching `stop`
/// (0 when none does): where a trailing run of other characters starts.
fn after_last(s: &str, stop: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .rev()
        .find(|&(_, c)| stop(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The identifier before `=`/`:` that precedes a string literal, if any.
fn name_before(before: &str) -> Option<&str> {
    let t = before.trim_end();
    let t = t
        .strip_suffix(['=', ':'])
        .filter(|t| !t.ends_with(['=', '!', '<', '>', ':']))?;
    let t = t.trim_end();
    let t = t.strip_suffix(['"', '\'']).unwrap_or(t);
    let t = t
        .strip_suffix(']')
        .map(|t| t.strip_suffix(['"', '\'']).unwrap_or(t))
        .unwrap_or(t);
    let start = after_last(t, |c| {
        !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
    });
    let name = &t[start..];
    (!name.is_empty()).then_some(name)
}

/// At least 16 characters (8 for passwords), no spaces, several character
/// classes, high entropy, no placeholder words.
fn random_looking(v: &str) -> bool {
    if v.len() < 16 || v.len() > 512 || placeholder(v) || v.contains("://") {
        return false;
    }
    let digits = v.bytes().any(|c| c.is_ascii_digit());
    let upper = v.bytes().any(|c| c.is_ascii_uppercase());
    let lower = v.bytes().any(|c| c.is_ascii_lowercase());
    (digits as u8 + upper as u8 + lower as u8) >= 2 && digits && entropy(v) >= 3.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_found_and_redacted() {
        let gh = format!("token = 'ghp_{}'", "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5");
        let f = scan_line(&gh).unwrap();
        assert_eq!(f.kind, "a GitHub token");
        assert_eq!(f.redacted, "ghp_…(40 chars)");
        assert!(!f.redacted.contains("aB3d"));
        let aws = "key = 'AKIAZ7QW3ER5TY7UI9OP'";
        assert_eq!(scan_line(aws).unwrap().kind, "an AWS access key id");
        assert!(scan_line("key = 'AKIAIOSFODNN7EXAMPLE'").is_none());
        let pg = "engine = create_engine('postgresql://alice:S3cr3tPw@db.local/x')";
        assert_eq!(
            scan_line(pg).unwrap().redacted,
            "postgresql://a…(5 chars):S…(8 chars)@…"
        );
        assert!(scan_line("url = 'postgresql://user:password@localhost/db'").is_none());
    }

    #[test]
    fn assignments_need_secret_names_and_random_values() {
        assert!(scan_line("api_key = 'Zx81kQ0pLm22vBn7Rt5Wq9'").is_some());
        assert!(scan_line("tokenizer = 'bert-base-uncased-Zx81kQ0p'").is_none());
        assert!(scan_line("api_key = 'your-api-key-here'").is_none());
        assert!(scan_line("api_key = os.environ['API_KEY']").is_none());
        assert!(scan_line("name = 'Zx81kQ0pLm22vBn7Rt5Wq9'").is_none());
    }

    #[test]
    fn multibyte_text_does_not_panic() {
        let key = format!(
            "-----BEGIN {} PRIVATE KEY-----\n{}\n-----END",
            "é".repeat(30),
            "A".repeat(80)
        );
        assert!(scan_text(&key)
            .unwrap()
            .redacted
            .starts_with("-----BEGIN é"));
        for s in ["pässword = 'ö'", "ghp_é", "postgres://ü:ö@x", "eyJé.eyJ"] {
            let _ = scan_line(s);
        }
    }

    #[test]
    fn a_key_on_one_line_is_found_and_reported_once() {
        let key = format!(
            "k = '-----BEGIN RSA PRIVATE KEY-----\\n{}\\n-----END RSA PRIVATE KEY-----'",
            "Ab3dEf5h".repeat(10)
        );
        let f = scan_text(&key).unwrap();
        assert_eq!(f.kind, "a private key");
        assert_eq!(f.redacted, "-----BEGIN RSA PRIVATE KEY-----…(82 chars)");
        // After a certificate, too.
        let both = format!("-----BEGIN CERTIFICATE-----\nxyz\n-----END CERTIFICATE-----\n{key}");
        assert_eq!(scan_text(&both).unwrap().kind, "a private key");

        let nb = serde_json::json!({
            "cells": [{"cell_type": "code", "execution_count": null, "id": "a",
                       "metadata": {}, "outputs": [], "source": both}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
        })
        .to_string();
        let parsed = crate::notebook::Notebook::parse(nb.as_bytes(), "k.ipynb").unwrap();
        let found = crate::check::check_notebook(
            &parsed,
            nb.as_bytes(),
            "k.ipynb",
            &crate::check::Options::default(),
        );
        let secrets: Vec<_> = found.iter().filter(|f| f.rule == Rule::Secret).collect();
        assert_eq!(secrets.len(), 1, "{found:?}");
        assert_eq!(secrets[0].location.line, Some(4));
    }

    #[test]
    fn a_credential_url_shows_its_user_part_redacted() {
        let token = "Zx81kQ0pLm22vBn7Rt5Wq9Yb";
        let line = format!("git clone https://{token}:x-oauth-basic@github.com/o/r.git");
        let f = scan_line(&line).unwrap();
        assert_eq!(f.kind, "a password in a URL");
        assert!(!f.redacted.contains(&token[..5]), "{}", f.redacted);
        assert_eq!(f.redacted, "https://Zx81…(24 chars):x…(13 chars)@…");
    }

    #[test]
    fn a_private_key_header_alone_is_found() {
        // Across source lines, with a body too short to count as material.
        let src =
            "k = '''-----BEGIN RSA PRIVATE KEY-----\nMIIBOg\n-----END RSA PRIVATE KEY-----'''";
        let (at, f) = private_key_at(src).unwrap();
        assert_eq!(at, 7);
        assert_eq!(f.redacted, "-----BEGIN RSA PRIVATE KEY-----…(6 chars)");
        // Truncated: the header at the end of the text.
        assert!(private_key("-----BEGIN OPENSSH PRIVATE KEY-----").is_some());
        // A header compared against in code is not a key.
        assert!(private_key("if s.startswith('-----BEGIN RSA PRIVATE KEY-----'):").is_none());
        assert!(private_key("-----BEGIN CERTIFICATE-----\nMIIB\n-----END").is_none());
    }

    /// Inputs that made the scan quadratic (every header searched the rest
    /// of the text for `-----END`; every JWT shape the rest of the line for
    /// `.eyJ`): 1 MB of each now scans in one pass. Before the fix these
    /// took minutes in a debug build.
    #[test]
    fn repeated_headers_and_token_shapes_scan_in_one_pass() {
        let keys = "-----BEGIN PRIVATE KEY-----x".repeat(1 << 20 >> 5);
        let f = scan_text(&keys).unwrap();
        assert_eq!(f.redacted, "-----BEGIN PRIVATE KEY-----…(1 chars)");
        let no_end = "-----BEGIN X PRIVATE KEY-----\n".repeat(1 << 15);
        assert!(scan_line(&no_end).is_some());
        let jwts = "eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.".repeat(1 << 20 >> 5);
        assert_eq!(scan_line(&jwts).unwrap().kind, "a JSON Web Token");
        let shapes = "eyJhbGciOiJIUzI1.aaaaaaaaaaaa.bbbbbbbbbbbb ".repeat(1 << 20 >> 5);
        assert!(scan_line(&shapes).is_none());
        let runs = format!("{}{}", "ghp_".repeat(1 << 18), "a".repeat(1 << 20));
        assert!(scan_line(&runs).is_none());
        let urls = "https://".repeat(1 << 17);
        assert!(scan_line(&urls).is_none());
        let quotes = "token = '".repeat(1 << 17);
        assert!(scan_line(&quotes).is_none());
    }

    #[test]
    fn base64_payloads_are_skipped() {
        let html = format!(
            "<img src=\"data:image/png;base64,{}AKIAZ7QW3ER5TY7UI9OP\">",
            "iVBOR+/"
        );
        assert!(scan_text(&html).is_none());
    }
}
