//! The Python a code cell holds, read once for the rules that need it
//! (`names.rs`, `paths.rs`): what each cell binds and reads at module level,
//! and the literal paths it gives to readers.
//!
//! Each code cell is parsed with `rustpython-parser` after [`magics`]
//! blanks IPython syntax. Scopes: function and lambda bodies run later, so
//! their reads are not recorded (their `global` declarations do bind module
//! names); class bodies and comprehensions have their own locals; a walrus
//! in a comprehension binds in the enclosing scope. Reads are not recorded
//! inside a `try` whose handlers catch `NameError` (or everything), or in
//! the branches of a test that looks at `globals()`/`locals()`/`dir()`/`vars()`.
//! A cell that does not parse yields no [`CellNames`]; [`identifiers`] lists
//! the words it might bind. Annotations are not read (they may be strings or
//! postponed).

use super::magics::{self, is_identifier};
use crate::notebook::Cell;
use rustpython_parser::ast::{self, Expr, Stmt};
use rustpython_parser::Parse;
use std::collections::HashSet;

/// What one parsed cell binds and reads at module level.
#[derive(Debug, Default)]
pub(crate) struct CellNames {
    /// Module-level names bound anywhere in the cell.
    pub binds: HashSet<String>,
    /// Top-level reads not resolved in a local scope: (name, 1-based line).
    pub reads: Vec<(String, usize)>,
    /// `from m import *`.
    pub star_import: bool,
    /// `exec`, writes through `globals()`, or a dynamic magic.
    pub dynamic: bool,
    /// Names read before the cell (in the order it runs) binds them: they
    /// come from above (`df = df.dropna()`), for the diff's stale outputs.
    pub read_first: HashSet<String>,
    /// Literal paths given to readers at the top level (`pd.read_csv("a.csv")`):
    /// (path, 1-based line), for `missing-data-file`.
    pub data_paths: Vec<(String, usize)>,
}

/// Calls whose first argument is a file the cell reads.
const READERS: &[&str] = &[
    "open",
    "read_csv",
    "read_table",
    "read_excel",
    "read_json",
    "read_parquet",
    "read_feather",
    "read_pickle",
    "read_hdf",
    "read_stata",
    "read_sas",
    "read_spss",
    "read_orc",
    "read_fwf",
    "read_xml",
    "load",
    "loadtxt",
    "genfromtxt",
    "fromfile",
    "imread",
    "read_file",
    "load_workbook",
    "open_dataset",
    "loadmat",
];

/// The literal path a call reads, if it is one of [`READERS`] given a
/// string literal first argument (and, for `open`, no writing mode).
pub(crate) fn data_path_arg(call: &ast::ExprCall) -> Option<&str> {
    let name = match call.func.as_ref() {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return None,
    };
    if !READERS.contains(&name) {
        return None;
    }
    let Expr::Constant(c) = call.args.first()? else {
        return None;
    };
    let ast::Constant::Str(path) = &c.value else {
        return None;
    };
    let mode = call.args.get(1).or_else(|| {
        call.keywords
            .iter()
            .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "mode"))
            .map(|k| &k.value)
    });
    if let Some(Expr::Constant(m)) = mode {
        if let ast::Constant::Str(m) = &m.value {
            if m.contains(['w', 'a', 'x', '+']) {
                return None;
            }
        }
    }
    Some(path)
}

/// What came of parsing one code cell.
#[derive(Debug)]
pub(crate) enum Analysis {
    /// Parsed: what it binds and reads.
    Names(CellNames),
    /// Not Python, or it does not parse.
    Unparsed,
    /// It nests deeper than [`MAX_NESTING`]: not parsed (the parser's tree
    /// and every walk over it recurse), reported to the user.
    TooDeep,
}

impl Analysis {
    pub(crate) fn names(self) -> Option<CellNames> {
        match self {
            Analysis::Names(n) => Some(n),
            _ => None,
        }
    }
}

/// The deepest a cell may nest (by `nesting_bound`) and still be parsed.
/// CPython itself gives up near here (`RecursionError` during compilation).
pub const MAX_NESTING: usize = 1000;

/// The stack of the thread that parses and walks cells: enough for
/// [`MAX_NESTING`] levels many times over, in debug builds too.
pub(crate) const PARSE_STACK: usize = 64 << 20;

/// Parses one cell; `None` when it is not Python or does not parse.
#[cfg(test)]
pub(crate) fn analyse(source: &str) -> Option<CellNames> {
    analyse_cell(source).names()
}

pub(crate) fn analyse_cell(source: &str) -> Analysis {
    let prepared = magics::prepare(source);
    let Some(python) = prepared.python else {
        return Analysis::Unparsed;
    };
    match nesting_bound(&python) {
        Some(depth) if depth > MAX_NESTING => return Analysis::TooDeep,
        Some(_) => {}
        None => return Analysis::Unparsed,
    }
    let Ok(suite) = ast::Suite::parse(&python, "<cell>") else {
        return Analysis::Unparsed;
    };
    let mut w = Walker {
        out: CellNames {
            dynamic: prepared.dynamic,
            ..CellNames::default()
        },
        scopes: Vec::new(),
        quiet: 0,
        line_starts: line_starts(&python),
    };
    w.out.binds.extend(prepared.binds);
    w.stmts(&suite);
    Analysis::Names(w.out)
}

/// An upper bound on how deeply the syntax tree of `python` nests, read
/// from its tokens in one pass (`None` when it does not lex, so would not
/// parse). Every node that holds another consumes at least one token that
/// is not a name, number or plain string (an operator, `.`, a keyword, a
/// bracket pair), so within one comma-separated item the depth is at most
/// the count of such tokens plus the depth of its deepest bracketed group;
/// blocks add their indentation. `a + a + … + a`, `f(1)(1)…`, `a[0][0]…`
/// and `not not …` all count one per step; a long list of short items
/// counts only its longest item. f-strings count the punctuation inside
/// their `{…}` fields, which are parsed as expressions.
pub(crate) fn nesting_bound(python: &str) -> Option<usize> {
    use rustpython_parser::{lexer, Mode, StringKind, Tok};
    #[derive(Default)]
    struct Level {
        /// Operator-like tokens in the current item.
        ops: usize,
        /// The deepest bracketed group in the current item.
        child: usize,
        /// The deepest item closed at this level.
        best: usize,
    }
    impl Level {
        fn close_item(&mut self) {
            self.best = self.best.max(self.ops + self.child);
            self.ops = 0;
            self.child = 0;
        }
    }
    let mut levels = vec![Level::default()];
    let mut indent = 0usize;
    let mut deepest = 0usize;
    for tok in lexer::lex(python, Mode::Module) {
        let (tok, _) = tok.ok()?;
        let top = levels.len() - 1;
        match tok {
            Tok::Lpar | Tok::Lsqb | Tok::Lbrace => levels.push(Level::default()),
            Tok::Rpar | Tok::Rsqb | Tok::Rbrace if top > 0 => {
                let mut inner = levels.pop().unwrap_or_default();
                inner.close_item();
                let parent = &mut levels[top - 1];
                parent.child = parent.child.max(inner.best + 2);
                parent.ops += 1;
            }
            Tok::Comma => levels[top].close_item(),
            Tok::Newline | Tok::Semi if top == 0 => {
                levels[0].close_item();
                deepest = deepest.max(indent + levels[0].best);
                levels[0].best = 0;
            }
            Tok::Indent => indent += 1,
            Tok::Dedent => indent = indent.saturating_sub(1),
            Tok::EndOfFile | Tok::Newline | Tok::Semi => {}
            Tok::Name { .. } | Tok::Int { .. } | Tok::Float { .. } | Tok::Complex { .. } => {}
            Tok::String { value, kind, .. } => {
                if matches!(kind, StringKind::FString | StringKind::RawFString) {
                    levels[top].ops += fstring_field_punctuation(&value);
                }
            }
            _ => levels[top].ops += 1,
        }
    }
    while let Some(mut level) = levels.pop() {
        level.close_item();
        deepest = deepest.max(indent + level.best + 2 * levels.len());
    }
    Some(deepest)
}

/// Punctuation inside the `{…}` fields of an f-string's text (`{{` and
/// `}}` are literal braces): an upper bound on the nesting of the
/// expressions the parser reads from them.
fn fstring_field_punctuation(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut depth, mut count, mut i) = (0usize, 0usize, 0usize);
    while i < b.len() {
        let c = b[i];
        if depth == 0 {
            if c == b'{' && b.get(i + 1) == Some(&b'{') {
                i += 2;
                continue;
            }
            if c == b'{' {
                depth = 1;
                count += 1;
            }
        } else {
            match c {
                b'{' => depth += 1,
                b'}' => depth -= 1,
                _ => {}
            }
            if !(c.is_ascii_alphanumeric() || c == b'_' || c.is_ascii_whitespace()) {
                count += 1;
            }
        }
        i += 1;
    }
    count
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
        .collect()
}

struct Walker {
    out: CellNames,
    /// Local scopes inside the module: class bodies and comprehensions.
    scopes: Vec<Local>,
    /// > 0 inside code whose reads are not checked.
    quiet: usize,
    line_starts: Vec<usize>,
}

struct Local {
    names: HashSet<String>,
    comprehension: bool,
}

impl Walker {
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    fn read(&mut self, name: &str, offset: usize) {
        if self.quiet > 0 || self.scopes.iter().any(|s| s.names.contains(name)) {
            return;
        }
        let line = self.line_of(offset);
        if !self.out.binds.contains(name) {
            self.out.read_first.insert(name.to_string());
        }
        self.out.reads.push((name.to_string(), line));
    }

    /// Binds in the innermost scope (comprehension scopes are skipped for
    /// walrus targets, `skip_comprehensions`).
    fn bind(&mut self, name: &str, skip_comprehensions: bool) {
        let scope = self
            .scopes
            .iter_mut()
            .rev()
            .find(|s| !(skip_comprehensions && s.comprehension));
        match scope {
            Some(s) => {
                s.names.insert(name.to_string());
            }
            None => {
                self.out.binds.insert(name.to_string());
            }
        }
    }

    /// Runs `f` with reads unchecked when `quiet`.
    fn quietly_if(&mut self, quiet: bool, f: impl FnOnce(&mut Self)) {
        let q = usize::from(quiet);
        self.quiet += q;
        f(self);
        self.quiet -= q;
    }

    fn stmts(&mut self, stmts: &[Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::FunctionDef(f) => {
                self.function(&f.name, &f.args, &f.body, &f.decorator_list);
            }
            Stmt::AsyncFunctionDef(f) => {
                self.function(&f.name, &f.args, &f.body, &f.decorator_list);
            }
            Stmt::ClassDef(c) => {
                self.exprs(&c.decorator_list);
                self.exprs(&c.bases);
                for k in &c.keywords {
                    self.expr(&k.value);
                }
                let mut names = HashSet::new();
                shallow_binds(&c.body, &mut names);
                self.scopes.push(Local {
                    names,
                    comprehension: false,
                });
                self.stmts(&c.body);
                self.scopes.pop();
                self.bind(c.name.as_str(), false);
            }
            Stmt::Return(r) => self.opt(r.value.as_deref()),
            Stmt::Delete(_) | Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
            Stmt::Assign(a) => {
                self.expr(&a.value);
                for t in &a.targets {
                    self.target(t);
                }
            }
            Stmt::TypeAlias(t) => self.target(&t.name),
            Stmt::AugAssign(a) => {
                self.expr(&a.value);
                self.expr_as_read(&a.target);
                self.target(&a.target);
            }
            Stmt::AnnAssign(a) => {
                self.opt(a.value.as_deref());
                self.target(&a.target);
            }
            Stmt::For(f) => {
                self.expr(&f.iter);
                self.target(&f.target);
                self.stmts(&f.body);
                self.stmts(&f.orelse);
            }
            Stmt::AsyncFor(f) => {
                self.expr(&f.iter);
                self.target(&f.target);
                self.stmts(&f.body);
                self.stmts(&f.orelse);
            }
            Stmt::While(w) => {
                self.expr(&w.test);
                self.stmts(&w.body);
                self.stmts(&w.orelse);
            }
            Stmt::If(i) => self.quietly_if(looks_at_namespace(&i.test), |w| {
                w.expr(&i.test);
                w.stmts(&i.body);
                w.stmts(&i.orelse);
            }),
            Stmt::With(w) => self.with(&w.items, &w.body),
            Stmt::AsyncWith(w) => self.with(&w.items, &w.body),
            Stmt::Match(m) => {
                self.expr(&m.subject);
                for case in &m.cases {
                    self.pattern(&case.pattern);
                    self.opt(case.guard.as_deref());
                    self.stmts(&case.body);
                }
            }
            Stmt::Raise(r) => {
                self.opt(r.exc.as_deref());
                self.opt(r.cause.as_deref());
            }
            Stmt::Try(t) => self.try_(&t.body, &t.handlers, &t.orelse, &t.finalbody),
            Stmt::TryStar(t) => self.try_(&t.body, &t.handlers, &t.orelse, &t.finalbody),
            Stmt::Assert(a) => {
                self.expr(&a.test);
                self.opt(a.msg.as_deref());
            }
            Stmt::Import(i) => {
                for alias in &i.names {
                    let bound = match &alias.asname {
                        Some(a) => a.as_str(),
                        None => alias.name.as_str().split('.').next().unwrap_or(""),
                    };
                    self.bind(bound, false);
                }
            }
            Stmt::ImportFrom(i) => {
                for alias in &i.names {
                    if alias.name.as_str() == "*" {
                        self.out.star_import = true;
                    } else {
                        let bound = alias.asname.as_ref().unwrap_or(&alias.name);
                        self.bind(bound.as_str(), false);
                    }
                }
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) => {}
            Stmt::Expr(e) => self.expr(&e.value),
        }
    }

    fn function(
        &mut self,
        name: &ast::Identifier,
        args: &ast::Arguments,
        body: &[Stmt],
        decorators: &[Expr],
    ) {
        self.exprs(decorators);
        self.defaults(args);
        // The body runs later; only its `global` declarations bind here.
        let mut globals = Vec::new();
        declared_globals(body, &mut globals);
        for g in globals {
            self.bind(&g, false);
        }
        self.bind(name.as_str(), false);
    }

    fn defaults(&mut self, args: &ast::Arguments) {
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            self.opt(a.default.as_deref());
        }
    }

    fn with(&mut self, items: &[ast::WithItem], body: &[Stmt]) {
        for item in items {
            self.expr(&item.context_expr);
            if let Some(v) = &item.optional_vars {
                self.target(v);
            }
        }
        self.stmts(body);
    }

    fn try_(
        &mut self,
        body: &[Stmt],
        handlers: &[ast::ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) {
        let catches_name_error = handlers.iter().any(|h| {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            match h.type_.as_deref() {
                None => true,
                Some(t) => catches(t),
            }
        });
        self.quietly_if(catches_name_error, |w| w.stmts(body));
        for h in handlers {
            let ast::ExceptHandler::ExceptHandler(h) = h;
            self.opt(h.type_.as_deref());
            if let Some(n) = &h.name {
                self.bind(n.as_str(), false);
            }
            self.stmts(&h.body);
        }
        self.stmts(orelse);
        self.stmts(finalbody);
    }

    fn pattern(&mut self, p: &ast::Pattern) {
        use ast::Pattern as P;
        match p {
            P::MatchValue(v) => self.expr(&v.value),
            P::MatchSingleton(_) => {}
            P::MatchSequence(s) => s.patterns.iter().for_each(|p| self.pattern(p)),
            P::MatchMapping(m) => {
                self.exprs(&m.keys);
                m.patterns.iter().for_each(|p| self.pattern(p));
                if let Some(r) = &m.rest {
                    self.bind(r.as_str(), false);
                }
            }
            P::MatchClass(c) => {
                self.expr(&c.cls);
                c.patterns.iter().for_each(|p| self.pattern(p));
                c.kwd_patterns.iter().for_each(|p| self.pattern(p));
            }
            P::MatchStar(s) => {
                if let Some(n) = &s.name {
                    self.bind(n.as_str(), false);
                }
            }
            P::MatchAs(a) => {
                if let Some(p) = &a.pattern {
                    self.pattern(p);
                }
                if let Some(n) = &a.name {
                    self.bind(n.as_str(), false);
                }
            }
            P::MatchOr(o) => o.patterns.iter().for_each(|p| self.pattern(p)),
        }
    }

    /// An assignment target: names are bound, the rest (`a.b`, `a[i]`) read.
    fn target(&mut self, t: &Expr) {
        match t {
            Expr::Name(n) => self.bind(n.id.as_str(), false),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.target(e)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.target(e)),
            Expr::Starred(s) => self.target(&s.value),
            other => self.expr(other),
        }
    }

    /// `x += 1` reads `x` first.
    fn expr_as_read(&mut self, t: &Expr) {
        if let Expr::Name(n) = t {
            self.read(n.id.as_str(), n.range.start().to_usize());
        }
    }

    fn opt(&mut self, e: Option<&Expr>) {
        if let Some(e) = e {
            self.expr(e);
        }
    }

    fn exprs(&mut self, es: &[Expr]) {
        for e in es {
            self.expr(e);
        }
    }

    fn comprehension(&mut self, generators: &[ast::Comprehension], parts: &[&Expr]) {
        // The first iterable is evaluated in the enclosing scope.
        let Some((first, rest)) = generators.split_first() else {
            return;
        };
        self.expr(&first.iter);
        let mut names = HashSet::new();
        for g in generators {
            target_names(&g.target, &mut names);
        }
        self.scopes.push(Local {
            names,
            comprehension: true,
        });
        self.exprs(&first.ifs);
        for g in rest {
            self.expr(&g.iter);
            self.exprs(&g.ifs);
        }
        for p in parts {
            self.expr(p);
        }
        self.scopes.pop();
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Name(n) => {
                if matches!(n.ctx, ast::ExprContext::Load) {
                    self.read(n.id.as_str(), n.range.start().to_usize());
                } else if matches!(n.ctx, ast::ExprContext::Store) {
                    self.bind(n.id.as_str(), false);
                }
            }
            Expr::BoolOp(b) => self.exprs(&b.values),
            Expr::NamedExpr(n) => {
                self.expr(&n.value);
                if let Expr::Name(t) = n.target.as_ref() {
                    self.bind(t.id.as_str(), true);
                }
            }
            Expr::BinOp(b) => {
                self.expr(&b.left);
                self.expr(&b.right);
            }
            Expr::UnaryOp(u) => self.expr(&u.operand),
            Expr::Lambda(l) => self.defaults(&l.args),
            Expr::IfExp(i) => self.quietly_if(looks_at_namespace(&i.test), |w| {
                w.expr(&i.test);
                w.expr(&i.body);
                w.expr(&i.orelse);
            }),
            Expr::Dict(d) => {
                for k in d.keys.iter().flatten() {
                    self.expr(k);
                }
                self.exprs(&d.values);
            }
            Expr::Set(s) => self.exprs(&s.elts),
            Expr::ListComp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::GeneratorExp(c) => self.comprehension(&c.generators, &[&c.elt]),
            Expr::DictComp(c) => self.comprehension(&c.generators, &[&c.key, &c.value]),
            Expr::Await(a) => self.expr(&a.value),
            Expr::Yield(y) => self.opt(y.value.as_deref()),
            Expr::YieldFrom(y) => self.expr(&y.value),
            Expr::Compare(c) => {
                self.expr(&c.left);
                self.exprs(&c.comparators);
            }
            Expr::Call(c) => {
                if writes_namespace(c) {
                    self.out.dynamic = true;
                }
                if let Some(p) = data_path_arg(c) {
                    let line = self.line_of(c.range.start().to_usize());
                    self.out.data_paths.push((p.to_string(), line));
                }
                self.expr(&c.func);
                self.exprs(&c.args);
                for k in &c.keywords {
                    self.expr(&k.value);
                }
            }
            Expr::FormattedValue(f) => {
                self.expr(&f.value);
                self.opt(f.format_spec.as_deref());
            }
            Expr::JoinedStr(j) => self.exprs(&j.values),
            Expr::Constant(_) => {}
            Expr::Attribute(a) => self.expr(&a.value),
            Expr::Subscript(s) => {
                if matches!(s.ctx, ast::ExprContext::Store) && is_namespace_call(&s.value) {
                    self.out.dynamic = true;
                }
                self.expr(&s.value);
                self.expr(&s.slice);
            }
            Expr::Starred(s) => self.expr(&s.value),
            Expr::List(l) => self.exprs(&l.elts),
            Expr::Tuple(t) => self.exprs(&t.elts),
            Expr::Slice(s) => {
                self.opt(s.lower.as_deref());
                self.opt(s.upper.as_deref());
                self.opt(s.step.as_deref());
            }
        }
    }
}

/// `except NameError`, `except (NameError, …)`, `except Exception`,
/// `except BaseException`.
fn catches(t: &Expr) -> bool {
    match t {
        Expr::Name(n) => matches!(
            n.id.as_str(),
            "NameError" | "Exception" | "BaseException" | "UnboundLocalError"
        ),
        Expr::Tuple(t) => t.elts.iter().any(catches),
        _ => false,
    }
}

/// `globals()`, `locals()`, `vars()`, `dir()` (no arguments).
fn is_namespace_call(e: &Expr) -> bool {
    match e {
        Expr::Call(c) => {
            c.args.is_empty()
                && matches!(c.func.as_ref(), Expr::Name(n)
                    if matches!(n.id.as_str(), "globals" | "locals" | "vars" | "dir"))
        }
        _ => false,
    }
}

/// A test such as `'x' in globals()`: the branches may read names that exist
/// only sometimes.
fn looks_at_namespace(e: &Expr) -> bool {
    match e {
        _ if is_namespace_call(e) => true,
        Expr::Compare(c) => {
            looks_at_namespace(&c.left) || c.comparators.iter().any(looks_at_namespace)
        }
        Expr::BoolOp(b) => b.values.iter().any(looks_at_namespace),
        Expr::UnaryOp(u) => looks_at_namespace(&u.operand),
        Expr::Call(c) => {
            matches!(c.func.as_ref(), Expr::Name(n) if n.id.as_str() == "hasattr")
                || looks_at_namespace(&c.func)
                || c.args.iter().any(looks_at_namespace)
        }
        Expr::Attribute(a) => looks_at_namespace(&a.value),
        _ => false,
    }
}

/// `exec(…)`, `globals().update(…)`, `globals().setdefault(…)`, `vars()…`.
fn writes_namespace(c: &ast::ExprCall) -> bool {
    match c.func.as_ref() {
        Expr::Name(n) => matches!(n.id.as_str(), "exec" | "execfile"),
        Expr::Attribute(a) => {
            is_namespace_call(&a.value)
                && matches!(a.attr.as_str(), "update" | "setdefault" | "__setitem__")
        }
        _ => false,
    }
}

fn target_names(t: &Expr, out: &mut HashSet<String>) {
    match t {
        Expr::Name(n) => {
            out.insert(n.id.to_string());
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        Expr::List(l) => l.elts.iter().for_each(|e| target_names(e, out)),
        Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}

/// Names a class body binds directly (not in nested functions or classes).
fn shallow_binds(body: &[Stmt], out: &mut HashSet<String>) {
    for s in body {
        match s {
            Stmt::FunctionDef(f) => {
                out.insert(f.name.to_string());
            }
            Stmt::AsyncFunctionDef(f) => {
                out.insert(f.name.to_string());
            }
            Stmt::ClassDef(c) => {
                out.insert(c.name.to_string());
            }
            Stmt::Assign(a) => a.targets.iter().for_each(|t| target_names(t, out)),
            Stmt::AugAssign(a) => target_names(&a.target, out),
            Stmt::AnnAssign(a) => target_names(&a.target, out),
            Stmt::For(f) => {
                target_names(&f.target, out);
                shallow_binds(&f.body, out);
                shallow_binds(&f.orelse, out);
            }
            Stmt::While(w) => {
                shallow_binds(&w.body, out);
                shallow_binds(&w.orelse, out);
            }
            Stmt::If(i) => {
                shallow_binds(&i.body, out);
                shallow_binds(&i.orelse, out);
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(v) = &item.optional_vars {
                        target_names(v, out);
                    }
                }
                shallow_binds(&w.body, out);
            }
            Stmt::Try(t) => {
                shallow_binds(&t.body, out);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    if let Some(n) = &h.name {
                        out.insert(n.to_string());
                    }
                    shallow_binds(&h.body, out);
                }
                shallow_binds(&t.orelse, out);
                shallow_binds(&t.finalbody, out);
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let bound = match &a.asname {
                        Some(n) => n.to_string(),
                        None => a.name.split('.').next().unwrap_or("").to_string(),
                    };
                    out.insert(bound);
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    out.insert(a.asname.as_ref().unwrap_or(&a.name).to_string());
                }
            }
            _ => {}
        }
    }
}

/// Names declared `global` anywhere inside a function body (nested
/// functions and classes included): assigning them binds module names.
fn declared_globals(body: &[Stmt], out: &mut Vec<String>) {
    for s in body {
        match s {
            Stmt::Global(g) => out.extend(g.names.iter().map(|n| n.to_string())),
            Stmt::FunctionDef(f) => declared_globals(&f.body, out),
            Stmt::AsyncFunctionDef(f) => declared_globals(&f.body, out),
            Stmt::ClassDef(c) => declared_globals(&c.body, out),
            Stmt::For(f) => {
                declared_globals(&f.body, out);
                declared_globals(&f.orelse, out);
            }
            Stmt::AsyncFor(f) => {
                declared_globals(&f.body, out);
                declared_globals(&f.orelse, out);
            }
            Stmt::While(w) => {
                declared_globals(&w.body, out);
                declared_globals(&w.orelse, out);
            }
            Stmt::If(i) => {
                declared_globals(&i.body, out);
                declared_globals(&i.orelse, out);
            }
            Stmt::With(w) => declared_globals(&w.body, out),
            Stmt::AsyncWith(w) => declared_globals(&w.body, out),
            Stmt::Try(t) => {
                declared_globals(&t.body, out);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    declared_globals(&h.body, out);
                }
                declared_globals(&t.orelse, out);
                declared_globals(&t.finalbody, out);
            }
            Stmt::Match(m) => m.cases.iter().for_each(|c| declared_globals(&c.body, out)),
            _ => {}
        }
    }
}

/// Identifiers in a text, a cell we could not parse: what it might bind.
pub(crate) fn identifiers(text: &str, out: &mut HashSet<String>) {
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if is_identifier(word) {
            out.insert(word.to_string());
        }
    }
}

/// Every code cell parsed: (cell index, what it binds and reads, `None`
/// when it is not Python or does not parse), and the cells too deeply
/// nested to parse. The parsing runs on a thread of its own with a stack
/// of [`PARSE_STACK`] bytes (reserved, touched only as deep as it goes), so
/// a cell within [`MAX_NESTING`] cannot overflow the caller's stack, which
/// may be a small worker thread's.
pub(crate) fn analyse_cells(cells: &[Cell<'_>]) -> (Vec<(usize, Option<CellNames>)>, Vec<usize>) {
    let code = || {
        cells
            .iter()
            .enumerate()
            .filter(|(_, c)| c.cell_type() == "code")
    };
    let run = || {
        let mut too_deep = Vec::new();
        let analysed = code()
            .map(|(i, c)| match analyse_cell(&c.source()) {
                Analysis::TooDeep => {
                    too_deep.push(i);
                    (i, None)
                }
                a => (i, a.names()),
            })
            .collect();
        (analysed, too_deep)
    };
    std::thread::scope(|s| {
        match std::thread::Builder::new()
            .name("nbdiff-check-parse".into())
            .stack_size(PARSE_STACK)
            .spawn_scoped(s, run)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p)),
            // No thread to be had: every cell counts as unparsed (no name
            // findings) rather than risking this thread's stack.
            Err(_) => (code().map(|(i, _)| (i, None)).collect(), Vec::new()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(src: &str) -> Vec<String> {
        let n = analyse(src).expect("parses");
        n.reads.into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn scopes() {
        assert_eq!(reads("def f(a=x):\n    return y\n"), ["x"]);
        assert_eq!(reads("[i for i in it if i > k]"), ["it", "k"]);
        assert_eq!(reads("class A:\n    z = 1\n    w = z + q\n"), ["q"]);
        assert_eq!(reads("f = lambda a: a + later"), Vec::<String>::new());
        assert_eq!(
            reads("try:\n    x\nexcept NameError:\n    x = 1\n"),
            ["NameError"]
        );
        assert_eq!(
            reads("if 'x' in globals():\n    print(x)\nelse:\n    x = 1\n"),
            Vec::<String>::new()
        );
        assert_eq!(reads("print(f'{a + b}')"), ["print", "a", "b"]);
        assert_eq!(reads("x: Foo = 1"), Vec::<String>::new());
    }

    #[test]
    fn bindings() {
        let n = analyse("import a.b\nfrom c import d as e\nfor i, (j, *k) in z: pass\nwith o as p: pass\n[y := 1 for _ in r]\ndef f():\n    global g\n    g = 1\n").unwrap();
        for name in ["a", "e", "i", "j", "k", "p", "y", "f", "g"] {
            assert!(n.binds.contains(name), "{name}");
        }
        assert!(!n.binds.contains("_"));
    }

    /// 100k-term chains nested the tree 100k deep and overflowed the stack
    /// (the walker, the tree's drop); now they are not parsed, and wide but
    /// shallow cells still are.
    #[test]
    fn deep_cells_are_not_parsed_and_wide_ones_are() {
        let n = 100_000;
        for src in [
            format!("x = {}a", "a+".repeat(n)),
            format!("x = f{}", "(1)".repeat(n)),
            format!("x = a{}", "[0]".repeat(n)),
            format!("x = {}a", "not ".repeat(n)),
            format!("x = {}a{}", "(".repeat(n), ")".repeat(n)),
            format!("x = f'{{{}}}'", "a+".repeat(n) + "a"),
        ] {
            assert!(
                matches!(analyse_cell(&src), Analysis::TooDeep),
                "{}",
                &src[..20]
            );
        }
        let wide = format!("x = [{}]\ny = x", "a + b[1] * f(2), ".repeat(n / 50));
        let names = analyse(&wide).expect("a wide list parses");
        assert!(names.binds.contains("y"));
        assert!(nesting_bound(&wide).unwrap() < 20);
        // The bound is at least the real depth.
        assert!(nesting_bound("x = a + a + a + a").unwrap() >= 4);
        assert!(nesting_bound("if a:\n    if b:\n        x = f(1)(2)").unwrap() >= 4);
    }

    #[test]
    fn time_magic_binds() {
        assert!(analyse("%time z = 1").unwrap().binds.contains("z"));
    }

    #[test]
    fn dynamic_and_star() {
        assert!(analyse("from m import *").unwrap().star_import);
        assert!(analyse("exec('x = 1')").unwrap().dynamic);
        assert!(analyse("globals()['x'] = 1").unwrap().dynamic);
        assert!(analyse("globals().update(d)").unwrap().dynamic);
        assert!(analyse("def (").is_none());
    }
}
