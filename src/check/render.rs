//! Findings written for people and machines: `text` (like a compiler),
//! `json`, `github` (workflow annotations at the `.ipynb` line) and `sarif`
//! (2.1.0, for code-scanning dashboards). Every writer takes `impl Write`;
//! notebook text in messages and paths is sanitized for terminals in `text`
//! and escaped by the other formats.

use super::{Finding, Rule};
use crate::render::sanitize::visible;
use serde_json::{json, Value};
use std::io::{self, Write};

/// An output format of `nbdiff check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `path:cell N:line L: CODE name: message`, one per line.
    Text,
    /// A JSON array of findings.
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::…`).
    Github,
    /// SARIF 2.1.0.
    Sarif,
}

impl Format {
    /// The format's name on the command line (`--format sarif`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
        }
    }
}

/// Writes `findings` in `format`. `checked` is the number of notebooks read
/// (for the text summary).
pub fn write(
    out: &mut dyn Write,
    format: Format,
    findings: &[Finding],
    checked: usize,
) -> io::Result<()> {
    match format {
        Format::Text => text(out, findings, checked),
        Format::Json => {
            let list: Vec<Value> = findings.iter().map(finding_json).collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)
        }
        Format::Github => github(out, findings),
        Format::Sarif => {
            serde_json::to_writer_pretty(&mut *out, &sarif(findings))?;
            writeln!(out)
        }
    }
}

/// `path:cell N:line L` / `path:cell N:output K` / `path:cell N` / `path`
/// (1-based numbers).
pub fn where_(f: &Finding) -> String {
    let mut s = f.path.clone();
    if let Some(c) = f.location.cell {
        s.push_str(&format!(":cell {}", c + 1));
        if let Some(l) = f.location.line {
            s.push_str(&format!(":line {l}"));
        } else if let Some(o) = f.location.output {
            s.push_str(&format!(":output {}", o + 1));
        }
    }
    s
}

fn text(out: &mut dyn Write, findings: &[Finding], checked: usize) -> io::Result<()> {
    for f in findings {
        writeln!(
            out,
            "{}: {} {}: {}",
            visible(&where_(f)),
            f.rule.code(),
            f.rule.name(),
            visible(&f.message)
        )?;
    }
    let files = {
        let mut paths: Vec<&str> = findings.iter().map(|f| f.path.as_str()).collect();
        paths.dedup();
        paths.len()
    };
    let nb = |n: usize| if n == 1 { "notebook" } else { "notebooks" };
    if findings.is_empty() {
        writeln!(out, "{checked} {} checked, no findings", nb(checked))
    } else {
        writeln!(
            out,
            "{} finding{} in {files} of {checked} {} checked",
            findings.len(),
            if findings.len() == 1 { "" } else { "s" },
            nb(checked)
        )
    }
}

fn finding_json(f: &Finding) -> Value {
    let loc = &f.location;
    json!({
        "code": f.rule.code(),
        "name": f.rule.name(),
        "severity": f.rule.severity().as_str(),
        "path": f.path,
        "cell": loc.cell.map(|c| c + 1),
        "line": loc.line,
        "output": loc.output.map(|o| o + 1),
        "file_line": loc.file_line,
        "message": f.message,
    })
}

/// Workflow-command escaping: data escapes `%`, CR and LF; property values
/// also `:` and `,`.
fn gh_escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

fn github(out: &mut dyn Write, findings: &[Finding]) -> io::Result<()> {
    for f in findings {
        let title = format!("{} {}", f.rule.code(), f.rule.name());
        writeln!(
            out,
            "::{} file={},line={},title={}::{}",
            f.rule.severity().as_str(),
            gh_escape(&f.path, true),
            f.location.file_line,
            gh_escape(&title, true),
            gh_escape(&format!("{}: {}", where_(f), f.message), false)
        )?;
    }
    Ok(())
}

fn sarif(findings: &[Finding]) -> Value {
    let rules: Vec<Value> = Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.code(),
                "name": r.name(),
                "shortDescription": {"text": r.summary()},
                "helpUri": format!("docs/check.md#{}-{}", r.code().to_ascii_lowercase(), r.name()),
                "defaultConfiguration": {"level": r.severity().as_str()},
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .iter()
        .map(|f| {
            let rule_index = Rule::ALL.iter().position(|r| *r == f.rule).unwrap_or(0);
            json!({
                "ruleId": f.rule.code(),
                "ruleIndex": rule_index,
                "level": f.rule.severity().as_str(),
                "message": {"text": format!("{}: {}", where_(f), f.message)},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": f.path.replace('\\', "/")},
                        "region": {"startLine": f.location.file_line},
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "nbdiff check",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Location;

    fn finding() -> Finding {
        Finding {
            rule: Rule::Secret,
            path: "a,b:c.ipynb".into(),
            location: Location {
                cell: Some(2),
                line: Some(4),
                output: None,
                file_line: 40,
            },
            message: "100% a\nb \x1b[31m".into(),
        }
    }

    #[test]
    fn github_escapes_properties_and_data() {
        let mut out = Vec::new();
        write(&mut out, Format::Github, &[finding()], 1).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=a%2Cb%3Ac.ipynb,line=40,title=NB301 secret::a,b:c.ipynb:cell 3:line 4: 100%25 a␊b \n"
        );
    }

    #[test]
    fn text_sanitizes() {
        let mut out = Vec::new();
        write(&mut out, Format::Text, &[finding()], 1).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.starts_with("a,b:c.ipynb:cell 3:line 4: NB301 secret: 100% a␊b \n"),
            "{s}"
        );
        assert!(!s.contains('\x1b'));
    }
}
