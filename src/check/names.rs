//! `use-before-define` and `undefined-name`: names read at the top level of
//! a cell (code that runs when the cell runs) compared with the names the
//! notebook's cells bind at module level, in order. What each cell binds
//! and reads comes from [`super::python`].
//!
//! A cell that does not parse is skipped; its identifiers then count as
//! possibly bound, so it cannot cause a finding elsewhere.
//! A read counts as defined when an earlier cell or the same cell (in any
//! order: loops) binds the name. `del` is ignored: precision over recall.

use super::python::{identifiers, CellNames};
use super::{Hit, Options, Rule};
use crate::notebook::Cell;
use std::collections::{HashMap, HashSet};

/// Python's builtins (3.13, plus Python 2's, which old notebooks use), the
/// module attributes, IPython's and common hosted kernels' predefined names.
const BUILTINS: &[&str] = &[
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "Ellipsis",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "False",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "None",
    "NotADirectoryError",
    "NotImplemented",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "PythonFinalizationError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "True",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
    "__build_class__",
    "__debug__",
    "__doc__",
    "__import__",
    "__loader__",
    "__name__",
    "__package__",
    "__spec__",
    "__builtins__",
    "__builtin__",
    "__file__",
    "__annotations__",
    "__dict__",
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    // Python 2
    "apply",
    "basestring",
    "buffer",
    "cmp",
    "coerce",
    "execfile",
    "file",
    "intern",
    "long",
    "raw_input",
    "reduce",
    "reload",
    "unichr",
    "unicode",
    "xrange",
    "StandardError",
    // IPython / Jupyter
    "display",
    "get_ipython",
    "In",
    "Out",
    "_",
    "__",
    "___",
    "_i",
    "_ii",
    "_iii",
    "_ih",
    "_oh",
    "_dh",
    "_exit_code",
    "__session__",
    "__vsc_ipynb_file__",
    // Databricks / PySpark shells
    "spark",
    "sc",
    "sqlContext",
    "dbutils",
    "displayHTML",
];

fn is_builtin(name: &str) -> bool {
    if BUILTINS.contains(&name) {
        return true;
    }
    // IPython's output and input history: `_5`, `_i5`.
    let digits = name
        .strip_prefix("_i")
        .or_else(|| name.strip_prefix('_'))
        .unwrap_or("");
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Runs both name rules over the parsed code cells.
pub(crate) fn check(
    cells: &[Cell<'_>],
    analysed: &[(usize, Option<CellNames>)],
    opts: &Options,
    hits: &mut Vec<Hit>,
) {
    // Names an unparsed cell might bind (and the first such cell), and
    // where parsed cells first bind.
    let mut maybe: HashMap<String, usize> = HashMap::new();
    let mut first_bind: HashMap<&str, usize> = HashMap::new();
    let mut skip_undefined = false;
    for (i, names) in analysed {
        match names {
            Some(n) => {
                skip_undefined |= n.star_import || n.dynamic;
                for b in &n.binds {
                    first_bind.entry(b.as_str()).or_insert(*i);
                }
            }
            None => {
                let mut ids = HashSet::new();
                identifiers(&cells[*i].source(), &mut ids);
                for id in ids {
                    maybe.entry(id).or_insert(*i);
                }
            }
        }
    }
    let mut defined: HashSet<&str> = HashSet::new();
    let mut reported: HashSet<&str> = HashSet::new();
    // After `from m import *` or `exec`, any name may already exist.
    let mut anything_defined = false;
    for (i, names) in analysed {
        let Some(n) = names else {
            continue;
        };
        anything_defined |= n.star_import || n.dynamic;
        for (name, line) in &n.reads {
            let name = name.as_str();
            if defined.contains(name)
                || n.binds.contains(name)
                || is_builtin(name)
                || reported.contains(name)
            {
                continue;
            }
            match first_bind.get(name) {
                Some(&later) if later > *i => {
                    if opts.on(Rule::UseBeforeDefine)
                        && !anything_defined
                        && !earlier_unparsed(&maybe, *i, name)
                    {
                        reported.insert(name);
                        hits.push(Hit::cell(
                            Rule::UseBeforeDefine,
                            *i,
                            Some(*line),
                            format!(
                                "`{name}` is used here but first defined in cell {}: \
                                 run top to bottom, this cell fails",
                                later + 1
                            ),
                        ));
                    }
                }
                Some(_) => {}
                None => {
                    if opts.on(Rule::UndefinedName) && !skip_undefined && !maybe.contains_key(name)
                    {
                        reported.insert(name);
                        hits.push(Hit::cell(
                            Rule::UndefinedName,
                            *i,
                            Some(*line),
                            format!(
                                "`{name}` is not defined anywhere in the notebook \
                                 (a deleted cell?)"
                            ),
                        ));
                    }
                }
            }
        }
        defined.extend(n.binds.iter().map(String::as_str));
    }
}

/// True when a cell before `before` that did not parse mentions `name`.
fn earlier_unparsed(first_unparsed: &HashMap<String, usize>, before: usize, name: &str) -> bool {
    first_unparsed.get(name).is_some_and(|&i| i < before)
}
