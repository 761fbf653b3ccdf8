//! The `nbdiff` binary: parses arguments, runs the library, exits once.

use clap::Parser;

// A parsed notebook is millions of small allocations (one per JSON string,
// array and object); mimalloc makes them and their freeing markedly cheaper
// than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = nbdiff::cli::Cli::parse();
    let code = nbdiff::cli::run_stdio(cli);
    std::process::exit(code.code());
}
