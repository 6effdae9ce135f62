//! Helpers for unit tests.

/// A small deterministic generator (xorshift64) for randomised tests with fixed seeds:
/// `next(m)` is in `0..m`.
pub fn numbers(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    }
}
