//! IPython syntax blanked out of a cell before parsing it as Python, line
//! numbers kept: line magics (`%time f()`), shell escapes (`!ls`), help
//! (`?obj`, `obj?`), and cell magics (`%%time` keeps its Python body;
//! `%%bash` and other non-Python bodies make the cell not Python).
//!
//! A magic is only recognised at the start of a logical line: not inside a
//! bracket, a triple-quoted string or after a backslash continuation, so
//! `a = (b\n  % c)` and `x = (y\n != z)` stay Python.

/// A cell's source made parseable, and what its magics imply.
#[derive(Debug, Default)]
pub(crate) struct Prepared {
    /// The Python text (same number of lines as the source), `None` when the
    /// cell's body is not Python (`%%bash`, `%%html`, …).
    pub python: Option<String>,
    /// Names bound by magics: `files = !ls`, `t = %timeit -o f()`,
    /// `%%capture out`.
    pub binds: Vec<String>,
    /// A magic that binds names we cannot see (`%run`, `%load`, `%store -r`,
    /// `%R -o x`, `<<` outputs): undefined names cannot be told apart.
    pub dynamic: bool,
}

/// Cell magics whose body is Python run in the user namespace.
const PYTHON_CELL_MAGICS: &[&str] = &["time", "timeit", "capture", "prun", "debug"];

/// Line magics after which any name may exist.
const DYNAMIC_MAGICS: &[&str] = &["run", "load", "store", "loadpy", "macro", "recall"];

pub(crate) fn prepare(source: &str) -> Prepared {
    let mut out = Prepared::default();
    let mut text = String::with_capacity(source.len() + 16);
    let mut lines = source.split('\n').peekable();
    let mut state = LexState::default();
    let mut first = true;
    while let Some(line) = lines.next() {
        let last = lines.peek().is_none();
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if first && trimmed.starts_with("%%") {
            first = false;
            let words: Vec<&str> = trimmed[2..].split_whitespace().collect();
            let name = words.first().copied().unwrap_or("");
            if words.iter().any(|w| *w == "-o" || w.starts_with("<<")) {
                out.dynamic = true;
            }
            if !PYTHON_CELL_MAGICS.contains(&name) {
                return out;
            }
            if name == "capture" {
                if let Some(var) = words[1..].iter().find(|w| !w.starts_with('-')) {
                    if is_identifier(var) {
                        out.binds.push(var.to_string());
                    }
                }
            }
            push_line(&mut text, "", last);
            continue;
        }
        if !trimmed.trim().is_empty() && !trimmed.starts_with('#') {
            first = false;
        }
        if state.at_statement_start() {
            if let Some(replacement) = magic_line(trimmed, &mut out) {
                text.push_str(indent);
                push_line(&mut text, &replacement, last);
                continue;
            }
        }
        state.scan(line);
        push_line(&mut text, line, last);
    }
    out.python = Some(text);
    out
}

fn push_line(text: &mut String, line: &str, last: bool) {
    text.push_str(line);
    if !last {
        text.push('\n');
    }
}

/// The Python standing in for a magic line, or `None` when it is Python.
fn magic_line(trimmed: &str, out: &mut Prepared) -> Option<String> {
    let magic = |body: &str, out: &mut Prepared| {
        let body = body.trim_start_matches('%');
        let name = body.split_whitespace().next().unwrap_or("");
        if DYNAMIC_MAGICS.contains(&name) || body.split_whitespace().any(|w| w == "-o" || w == "<<")
        {
            out.dynamic = true;
        }
    };
    if let Some(rest) = trimmed.strip_prefix('%') {
        magic(rest, out);
        // `%time STATEMENT` runs the statement in the user's namespace: what
        // it binds is bound (`%time z = 1` defines `z`).
        if let Some(stmt) = rest
            .strip_prefix("time")
            .filter(|s| s.starts_with([' ', '\t']))
        {
            let stmt = stmt.trim();
            if !stmt.is_empty() {
                return Some(stmt.to_string());
            }
        }
        return Some("pass".into());
    }
    if trimmed.starts_with('!') && !trimmed.starts_with("!=") {
        return Some("pass".into());
    }
    if trimmed.starts_with('?') {
        return Some("pass".into());
    }
    let t = trimmed.trim_end();
    if let Some(head) = t.strip_suffix('?') {
        let head = head.strip_suffix('?').unwrap_or(head);
        if !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            return Some("pass".into());
        }
    }
    // `files = !ls`, `t = %timeit -o f()`: the targets are bound.
    if let Some((lhs, rhs)) = t.split_once('=') {
        let rhs = rhs.trim_start();
        if (rhs.starts_with('%') || (rhs.starts_with('!') && !rhs.starts_with("!=")))
            && !lhs.ends_with(['=', '!', '<', '>'])
        {
            let names: Vec<&str> = lhs.split(',').map(str::trim).collect();
            if names.iter().all(|n| is_identifier(n)) {
                if let Some(body) = rhs.strip_prefix('%') {
                    magic(body, out);
                }
                out.binds.extend(names.iter().map(|n| n.to_string()));
                return Some(format!("{} = None", lhs.trim_end()));
            }
        }
    }
    None
}

pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// Just enough of Python's lexer to know whether a line starts a statement:
/// open brackets, an open triple-quoted string, a backslash continuation.
#[derive(Debug, Default)]
struct LexState {
    depth: i32,
    /// The quote of an open triple-quoted string.
    in_triple: Option<u8>,
    continued: bool,
}

impl LexState {
    fn at_statement_start(&self) -> bool {
        self.depth <= 0 && self.in_triple.is_none() && !self.continued
    }

    fn scan(&mut self, line: &str) {
        let b = line.as_bytes();
        let mut i = 0;
        self.continued = false;
        while i < b.len() {
            if let Some(q) = self.in_triple {
                if b[i] == b'\\' {
                    i += 2;
                    continue;
                }
                if b[i] == q && b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                    self.in_triple = None;
                    i += 3;
                } else {
                    i += 1;
                }
                continue;
            }
            match b[i] {
                b'#' => break,
                b'(' | b'[' | b'{' => self.depth += 1,
                b')' | b']' | b'}' => self.depth -= 1,
                b'\\' if i + 1 == b.len() || (i + 2 == b.len() && b[i + 1] == b'\r') => {
                    self.continued = true;
                    break;
                }
                q @ (b'"' | b'\'') => {
                    if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                        self.in_triple = Some(q);
                        i += 3;
                        continue;
                    }
                    // A one-line string: skip to its closing quote.
                    i += 1;
                    while i < b.len() && b[i] != q {
                        if b[i] == b'\\' {
                            i += 1;
                        }
                        i += 1;
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn py(src: &str) -> String {
        prepare(src).python.unwrap()
    }

    #[test]
    fn magics_become_pass_and_lines_are_kept() {
        let src = "%matplotlib inline\n!pip install x\nx = 1\n  %time f()\nobj?\n?obj\nx";
        assert_eq!(py(src), "pass\npass\nx = 1\n  f()\npass\npass\nx");
    }

    #[test]
    fn time_runs_its_statement() {
        assert_eq!(py("%time z = 1\nz"), "z = 1\nz");
        assert_eq!(py("  %time  f(x)"), "  f(x)");
        assert_eq!(py("%time\n%timeit y = 2"), "pass\npass");
    }

    #[test]
    fn continuation_lines_are_python() {
        let src = "a = (b\n  % c)\nx = (y\n != z)\ns = '''\n%not magic\n'''";
        assert_eq!(py(src), src);
    }

    #[test]
    fn magic_assignments_bind() {
        let p = prepare("files = !ls\na, b = %sx echo\n");
        assert_eq!(p.python.unwrap(), "files = None\na, b = None\n");
        assert_eq!(p.binds, ["files", "a", "b"]);
        assert!(!p.dynamic);
    }

    #[test]
    fn cell_magics() {
        assert!(prepare("%%bash\necho hi").python.is_none());
        let p = prepare("%%capture out\nx = 1");
        assert_eq!(p.python.unwrap(), "\nx = 1");
        assert_eq!(p.binds, ["out"]);
        assert!(prepare("%run other.ipynb").dynamic);
        assert!(prepare("%%R -o df\ndf <- 1").dynamic);
    }
}
