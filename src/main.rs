fn main() {
    println!("nbdiff");
}
