//! The generator's own pseudo-random numbers: xoshiro256** seeded through splitmix64.
//!
//! Written out here rather than taken from a crate so that a cohort generated from a seed is
//! the same bytes forever: a dependency update cannot change it.

/// splitmix64: one step, used to spread a seed over xoshiro's state.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** (Blackman and Vigna), small, fast and good enough for synthetic data.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// The stream for one learner: depends on the seed and the learner's index only, so that
    /// learners can be generated in any order, on any thread.
    pub fn for_learner(seed: u64, index: u64) -> Rng {
        let mut sm = seed ^ splitmix64(&mut index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-shift: no modulo bias worth the name
    /// for the small ranges used here.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        // The span of two i64 fits in u64.
        let span = high.abs_diff(low) + 1;
        low.wrapping_add(self.below(span) as i64)
    }

    /// True with probability `per_mille` / 1000.
    pub fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One element of a slice that is not empty.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len() as u64) as usize)
    }

    /// An index chosen with the given weights (the first when they are all 0).
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut roll = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if roll < *w {
                return i;
            }
            roll -= w;
        }
        0
    }

    /// A roughly normal deviation around 0 with about `spread` as standard deviation: the sum
    /// of three uniform numbers, in whole units (no floating point).
    pub fn bell(&mut self, spread: i64) -> i64 {
        (0..3).map(|_| self.between(-spread, spread)).sum::<i64>() / 2
    }

    /// Shuffles a slice (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_fixed_by_seed_and_index() {
        // Pinned: a change here changes every generated cohort.
        let mut rng = Rng::for_learner(42, 7);
        let first: Vec<u64> = (0..3).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                3730264176589652990,
                3144962417373217070,
                1453545561171520658
            ]
        );
        let mut again = Rng::for_learner(42, 7);
        assert_eq!(first, (0..3).map(|_| again.next_u64()).collect::<Vec<_>>());
        assert_ne!(
            Rng::for_learner(42, 8).next_u64(),
            first[0],
            "another learner, another stream"
        );
        assert_ne!(Rng::for_learner(43, 7).next_u64(), first[0]);
    }

    #[test]
    fn ranges_hold_and_are_all_reached() {
        let mut rng = Rng::for_learner(1, 1);
        let mut seen = [false; 7];
        for _ in 0..1000 {
            let v = rng.between(-3, 3);
            assert!((-3..=3).contains(&v));
            seen[(v + 3) as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
        assert_eq!(rng.between(5, 5), 5);
        assert_eq!(rng.below(0), 0);
        for _ in 0..1000 {
            assert!(rng.bell(10).abs() <= 15);
        }
    }

    #[test]
    fn weights_are_followed() {
        let mut rng = Rng::for_learner(3, 3);
        let mut counts = [0u32; 3];
        for _ in 0..10_000 {
            counts[rng.weighted(&[1, 0, 3])] += 1;
        }
        assert_eq!(counts[1], 0);
        assert!(counts[2] > counts[0] * 2, "{counts:?}");
    }
}
