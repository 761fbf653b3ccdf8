//! The `nbdiff` binary: parses arguments, runs the library, exits once.

use clap::Parser;

fn main() {
    let cli = nbdiff::cli::Cli::parse();
    let code = nbdiff::app::run_stdio(cli);
    std::process::exit(code.code());
}
