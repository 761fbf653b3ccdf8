//! splitmix64: a tiny, deterministic PRNG for generating test cases, shared
//! by the unit tests (`src/text/git_tests.rs`) and the integration tests
//! (`tests/robustness/`) through `#[path]`. A failing case is reproduced by
//! its seed.

/// The generator's state; `Rng(seed)` and [`Rng::new`] both start a stream.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

#[allow(
    dead_code,
    reason = "shared by the unit and the integration tests; each uses a part"
)]
impl Rng {
    /// A generator for `seed` (mixed, so that small seeds differ at once).
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `1/n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items` (not empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}
