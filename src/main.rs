//! The `nbdiff` binary: parses arguments, runs the library, exits once.

use clap::Parser;

fn main() {
    let cli = nbdiff::cli::Cli::parse();
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let code = nbdiff::app::run(cli, &mut stdout.lock(), &mut stderr.lock());
    std::process::exit(code.code());
}
