//! Stable 64-bit hashing of words and feature templates.
//!
//! Features are never materialised as strings: a feature id is a hash of a
//! template number and precomputed per-token hashes ("atoms"). The
//! functions here are fixed forever in the sense that a trained model
//! stores these hashes; changing them requires retraining, so the model
//! header carries a feature-set version.

/// FxHash multiplier (rustc's hasher): one multiply per 8 bytes.
const K: u64 = 0x517c_c1b7_2722_0a95;

/// Combines a running hash with one 64-bit word.
#[inline(always)]
pub(crate) fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(K)
}

/// splitmix64 finaliser: spreads entropy to all bits, because the weight
/// table takes slot bits from the low half and a fingerprint from the high.
#[inline(always)]
pub(crate) fn finish(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Hashes a byte string (length included, so prefixes differ).
#[inline]
pub(crate) fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = mix(seed, bytes.len() as u64);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(w));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(w));
    }
    finish(h)
}

/// Hashes a byte string with ASCII letters lower-cased, without allocating.
/// Non-ASCII bytes are kept: CoNLL and the news corpora are nearly all
/// ASCII, and a byte-level rule is deterministic everywhere.
#[inline]
pub(crate) fn hash_lower(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = mix(seed, bytes.len() as u64);
    for c in bytes.chunks(8) {
        let mut w = [0u8; 8];
        for (d, s) in w.iter_mut().zip(c) {
            *d = s.to_ascii_lowercase();
        }
        h = mix(h, u64::from_le_bytes(w));
    }
    finish(h)
}

/// Hashes a byte string lower-cased with every digit replaced by `0`, so
/// that "1996" and "2003" or "3-1" and "2-0" share a form.
#[inline]
pub(crate) fn hash_lower_digits(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = mix(seed, bytes.len() as u64);
    for c in bytes.chunks(8) {
        let mut w = [0u8; 8];
        for (d, s) in w.iter_mut().zip(c) {
            *d = if s.is_ascii_digit() {
                b'0'
            } else {
                s.to_ascii_lowercase()
            };
        }
        h = mix(h, u64::from_le_bytes(w));
    }
    finish(h)
}

/// Hashes a byte string title-cased (first byte upper, the rest lower), as
/// [`hash_bytes`] would hash the transformed bytes; used to look up words
/// of all-caps headlines ("BRUSSELS") in lists learned from running text.
#[inline]
pub(crate) fn hash_title(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = mix(seed, bytes.len() as u64);
    for (ci, c) in bytes.chunks(8).enumerate() {
        let mut w = [0u8; 8];
        for (k, (d, s)) in w.iter_mut().zip(c).enumerate() {
            *d = if ci == 0 && k == 0 {
                s.to_ascii_uppercase()
            } else {
                s.to_ascii_lowercase()
            };
        }
        h = mix(h, u64::from_le_bytes(w));
    }
    finish(h)
}

/// Small deterministic PRNG (splitmix64) for shuffling training data: the
/// model must rebuild bit-for-bit from a seed.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub(crate) fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        finish(self.0)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Fisher–Yates shuffle.
    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_matches_bytes_of_lowercase() {
        assert_eq!(
            hash_lower(1, b"Hello World!"),
            hash_bytes(1, b"hello world!")
        );
        assert_ne!(hash_bytes(1, b"ab"), hash_bytes(1, b"ab\0"));
        assert_ne!(hash_bytes(1, b"ab"), hash_bytes(2, b"ab"));
        assert_eq!(hash_title(1, b"BRUSSELS"), hash_bytes(1, b"Brussels"));
    }

    #[test]
    fn hashes_are_stable() {
        // Trained models store these values: they must never change.
        assert_eq!(hash_bytes(0, b"Reuters"), 0x8ba7_d3f5_2da8_2713);
    }

    #[test]
    fn shuffle_is_deterministic() {
        let mut a: Vec<u32> = (0..20).collect();
        let mut b = a.clone();
        SplitMix::new(7).shuffle(&mut a);
        SplitMix::new(7).shuffle(&mut b);
        assert_eq!(a, b);
        assert_ne!(a, (0..20).collect::<Vec<_>>());
    }
}
