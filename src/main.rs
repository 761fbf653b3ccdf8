//! The `nbdiff` binary: parses arguments, runs the library, exits once.

use clap::Parser;
use std::io::Write;

// A parsed notebook is millions of small allocations (one per JSON string,
// array and object); mimalloc makes them and their freeing markedly cheaper
// than the system allocator (see BENCHMARKS.md). Its transparent huge pages
// cost memory on the largest diffs (2 MB pages faulted whole) but save a
// sixth of the CPU time of 10k-cell diffs (`no_thp` was measured: issue 22).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = match nbdiff::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => std::process::exit(usage(e)),
    };
    let code = nbdiff::cli::run_stdio(cli);
    std::process::exit(code.code());
}

/// `--help`, `--version` (exit 0, 2 when stdout cannot be written) or a
/// usage error (exit 2).
fn usage(e: clap::Error) -> i32 {
    if e.use_stderr() {
        let _ = e.print();
        return nbdiff::exit::Exit::Error.code();
    }
    let mut out = std::io::stdout().lock();
    let text = if std::io::IsTerminal::is_terminal(&out) {
        e.render().ansi().to_string()
    } else {
        e.render().to_string()
    };
    let written = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    let mut err = std::io::stderr().lock();
    nbdiff::exit::after_write(written, nbdiff::exit::Exit::Ok, &mut err).code()
}
