//! SplitMix64, the deterministic generator shared by the tests and the
//! benchmark examples (`examples/common` includes this file): the same
//! numbers for the same seed on every platform, with no dependency.
#![allow(dead_code)]

pub struct Rng(u64);

impl Rng {
    /// A generator started at `seed` as given, so that a printed seed
    /// replays a test run.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A generator whose first output is already mixed from `seed`, for
    /// seeds that differ in a few low bits (one per corpus folder).
    pub fn mixed(seed: u64) -> Rng {
        let mut rng = Rng(seed ^ 0x9E37_79B9_7F4A_7C15);
        rng.next();
        rng
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}
