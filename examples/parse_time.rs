//! Times parsing of the notebooks given as arguments (a floor for any diff):
//! `cargo run --release --example parse_time -- A.ipynb B.ipynb`.
fn main() {
    let t = std::time::Instant::now();
    let mut total = 0;
    for arg in std::env::args().skip(1) {
        let bytes = std::fs::read(&arg).unwrap_or_default();
        total += bytes.len();
        match nbdiff::notebook::Notebook::parse(&bytes, &arg) {
            Ok(nb) => std::hint::black_box(nb.cells().len()),
            Err(e) => {
                eprintln!("{e}");
                0
            }
        };
    }
    println!("parsed {total} bytes in {:?}", t.elapsed());
}
