//! A distribution of decimal figures kept as counts per distinct value, in bounded memory.
//!
//! Credits and GPAs in reports are rounded (to 0.1 or 0.01), so a cohort of any size has few
//! distinct values: counting each one gives exact quartiles and histograms from a map that
//! does not grow with the number of learners. Should a cohort ever hold more than
//! [`DISTINCT_LIMIT`] distinct values, the values are floored to 0.01, then 0.1, 1, 10, ...
//! until they fit; the quartiles are then exact to that step (the figure is the lower edge of
//! the step holding the true quartile) and say so, while the count, sum, mean, minimum and
//! maximum stay exact.
//!
//! Flooring is what keeps the result independent of input order: flooring to 0.01 then to 0.1
//! is flooring to 0.1, and the step reached is the finest at which the whole cohort fits, so
//! any partition of a cohort, merged in any order, ends with the same counts.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::collections::BTreeMap;

/// The most distinct values a distribution keeps before flooring them to a coarser step.
///
/// Credits up to 204.7 at one decimal place, or GPAs at two, fit exactly; 2,048 entries are
/// about 100 KB.
pub const DISTINCT_LIMIT: usize = 2048;

/// The first coarsening step is 10^-2.
const FIRST_STEP_EXPONENT: i32 = -2;

/// The largest power of ten a decimal holds; flooring to it leaves at most a few values.
const LAST_STEP_EXPONENT: i32 = 28;

/// A multiset of decimal figures: counts per distinct value, with the exact count, sum,
/// minimum and maximum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueCounts {
    counts: BTreeMap<Decimal, u64>,
    limit: usize,
    /// `None` while values are kept exactly; else `e` when values are floored to 10^e.
    step_exponent: Option<i32>,
    count: u64,
    /// `None` once the sum no longer fits a decimal.
    sum: Option<Decimal>,
    min: Option<Decimal>,
    max: Option<Decimal>,
}

impl Default for ValueCounts {
    fn default() -> Self {
        Self::with_limit(DISTINCT_LIMIT)
    }
}

/// Floors `value` to a multiple of 10^`exponent`.
fn floor_to(value: Decimal, exponent: i32) -> Decimal {
    let floored = if exponent <= 0 {
        value.round_dp_with_strategy(
            exponent.unsigned_abs(),
            RoundingStrategy::ToNegativeInfinity,
        )
    } else {
        let step = Decimal::from_i128_with_scale(10_i128.pow(exponent.unsigned_abs()), 0);
        // INVARIANT: `step` is at least 10, so the quotient and its floor times `step` are no
        // larger in magnitude than `value`; should that ever fail, 0 keeps the map bounded.
        value
            .checked_div(step)
            .and_then(|q| q.floor().checked_mul(step))
            .unwrap_or(Decimal::ZERO)
    };
    floored.normalize()
}

impl ValueCounts {
    /// An empty distribution that keeps at most `limit` distinct values (at least 16, so that
    /// flooring to the coarsest step always fits).
    pub fn with_limit(limit: usize) -> Self {
        ValueCounts {
            counts: BTreeMap::new(),
            limit: limit.max(16),
            step_exponent: None,
            count: 0,
            sum: Some(Decimal::ZERO),
            min: None,
            max: None,
        }
    }

    /// Counts one value.
    pub fn add(&mut self, value: Decimal) {
        self.add_many(value, 1);
    }

    fn add_many(&mut self, value: Decimal, times: u64) {
        if times == 0 {
            return;
        }
        self.count += times;
        self.sum = self.sum.and_then(|s| {
            if times == 1 {
                s.checked_add(value)
            } else {
                s.checked_add(Decimal::from(times).checked_mul(value)?)
            }
        });
        self.min = Some(self.min.map_or(value, |m| m.min(value)));
        self.max = Some(self.max.map_or(value, |m| m.max(value)));
        let key = match self.step_exponent {
            Some(e) => floor_to(value, e),
            None => value,
        };
        // Keys compare by value (`2.0` is `2.00`); a new one is stored normalised, so that it
        // prints the same whichever learner came first.
        match self.counts.get_mut(&key) {
            Some(n) => *n += times,
            None => {
                self.counts.insert(key.normalize(), times);
                self.fit();
            }
        }
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &ValueCounts) {
        if other.count == 0 {
            return;
        }
        self.count += other.count;
        self.sum = match (self.sum, other.sum) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        };
        self.min = [self.min, other.min].into_iter().flatten().min();
        self.max = [self.max, other.max].into_iter().flatten().max();
        self.limit = self.limit.min(other.limit);
        if other.step_exponent > self.step_exponent {
            if let Some(e) = other.step_exponent {
                self.coarsen_to(e);
            }
        }
        for (&value, &times) in &other.counts {
            let key = match self.step_exponent {
                Some(e) => floor_to(value, e),
                None => value,
            };
            *self.counts.entry(key).or_insert(0) += times;
        }
        self.fit();
    }

    /// Floors to coarser steps until the distinct values fit the limit.
    fn fit(&mut self) {
        while self.counts.len() > self.limit {
            let next = self
                .step_exponent
                .map_or(FIRST_STEP_EXPONENT, |e| (e + 1).min(LAST_STEP_EXPONENT));
            if Some(next) == self.step_exponent {
                // Cannot happen: at 10^28 every decimal floors to one of a handful of values.
                break;
            }
            self.coarsen_to(next);
        }
    }

    fn coarsen_to(&mut self, exponent: i32) {
        let old = std::mem::take(&mut self.counts);
        for (value, times) in old {
            *self.counts.entry(floor_to(value, exponent)).or_insert(0) += times;
        }
        self.step_exponent = Some(exponent);
    }

    /// How many values were counted.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Their exact sum, unless it no longer fits a decimal (28 significant digits).
    pub fn sum(&self) -> Option<Decimal> {
        self.sum
    }

    /// The smallest value, exact.
    pub fn min(&self) -> Option<Decimal> {
        self.min
    }

    /// The largest value, exact.
    pub fn max(&self) -> Option<Decimal> {
        self.max
    }

    /// The step values are floored to, when there were too many distinct ones to keep exactly.
    pub fn step(&self) -> Option<Decimal> {
        self.step_exponent.map(|e| {
            if e < 0 {
                Decimal::new(1, e.unsigned_abs())
            } else {
                Decimal::from_i128_with_scale(10_i128.pow(e.unsigned_abs()), 0)
            }
        })
    }

    /// The distinct values kept (floored when [`step`](Self::step) says so), ascending, each
    /// with how many times it was counted.
    pub fn values(&self) -> impl Iterator<Item = (Decimal, u64)> + '_ {
        self.counts.iter().map(|(&v, &n)| (v, n))
    }

    /// The mean, `sum / count`, unrounded (28 significant digits).
    pub fn mean(&self) -> Option<Decimal> {
        self.sum?.checked_div(Decimal::from(self.count))
    }

    /// The value of rank `k` (0-based) in ascending order.
    fn ranked(&self, k: u64) -> Option<Decimal> {
        let mut seen = 0u64;
        for (&value, &times) in &self.counts {
            seen += times;
            if k < seen {
                return Some(value);
            }
        }
        None
    }

    /// The `quarter`-th quartile (1, 2 or 3; 0 and 4 give the extremes), interpolated
    /// linearly between the two closest ranks, as spreadsheets' `QUARTILE.INC` and numpy's
    /// default do. Exact, since the weights are multiples of a quarter.
    pub fn quartile(&self, quarter: u8) -> Option<Decimal> {
        if self.count == 0 {
            return None;
        }
        let quarter = u128::from(quarter.min(4));
        let position = u128::from(self.count - 1) * quarter;
        let rank = u64::try_from(position / 4).ok()?;
        let remainder = position % 4;
        let low = self.ranked(rank)?;
        if remainder == 0 {
            return Some(low);
        }
        let high = self.ranked(rank + 1)?;
        let weight = Decimal::new(i64::try_from(remainder).ok()? * 25, 2);
        let spread = high.checked_sub(low)?;
        low.checked_add(spread.checked_mul(weight)?)
            .map(|q| q.normalize())
    }

    /// Counts in `bins` of width `width` starting at `start`, `count` of them: a value goes to
    /// bin `floor((value - start) / width)`, the last bin also taking its upper edge (and, like
    /// the first, anything beyond).
    pub fn histogram(&self, start: Decimal, width: Decimal, count: usize) -> Vec<u64> {
        let mut bins = vec![0u64; count];
        if count == 0 || width <= Decimal::ZERO {
            return bins;
        }
        for (&value, &times) in &self.counts {
            let index = value
                .checked_sub(start)
                .and_then(|offset| offset.checked_div(width))
                .and_then(|q| q.floor().to_usize());
            let index = match index {
                Some(i) => i.min(count - 1),
                // Below the start: the first bin; too large to index: the last.
                None if value < start => 0,
                None => count - 1,
            };
            bins[index] += times;
        }
        bins
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn of(values: &[&str]) -> ValueCounts {
        let mut counts = ValueCounts::default();
        for v in values {
            counts.add(d(v));
        }
        counts
    }

    #[test]
    fn quartiles_interpolate_between_ranks_like_spreadsheets() {
        // QUARTILE.INC({1,2,3,4}, k) = 1, 1.75, 2.5, 3.25, 4.
        let c = of(&["4", "1", "3", "2"]);
        let q: Vec<Decimal> = (0..=4).map(|k| c.quartile(k).unwrap()).collect();
        assert_eq!(q, [d("1"), d("1.75"), d("2.5"), d("3.25"), d("4")]);
    }

    #[test]
    fn repeated_values_count_once_per_learner() {
        let c = of(&["2.0", "2.00", "2", "5.5"]);
        assert_eq!(c.values().collect::<Vec<_>>(), [(d("2"), 3), (d("5.5"), 1)]);
        assert_eq!(c.quartile(2), Some(d("2")));
        assert_eq!(c.count(), 4);
        assert_eq!(c.sum(), Some(d("11.5")));
        assert_eq!(c.mean(), Some(d("2.875")));
    }

    #[test]
    fn an_empty_distribution_has_no_figures() {
        let c = ValueCounts::default();
        assert_eq!(c.quartile(2), None);
        assert_eq!(c.mean(), None);
        assert_eq!(c.min(), None);
        assert_eq!(c.histogram(Decimal::ZERO, Decimal::ONE, 3), [0, 0, 0]);
    }

    #[test]
    fn many_distinct_values_are_floored_and_memory_stays_bounded() {
        let mut c = ValueCounts::with_limit(128);
        // 0.001 .. 10.000: ten thousand distinct values; 101 once floored to 0.1.
        for i in 1..=10_000i64 {
            c.add(Decimal::new(i, 3));
        }
        assert_eq!(c.values().count(), 101);
        assert_eq!(c.step(), Some(d("0.1")));
        assert_eq!(c.count(), 10_000);
        assert_eq!(c.min(), Some(d("0.001")));
        assert_eq!(c.max(), Some(d("10.000")));
        assert_eq!(c.sum(), Some(d("50005.000")));
        // The true median is 5.0005: floored to 0.1 it reads 5.0.
        assert_eq!(c.quartile(2), Some(d("5")));
    }

    #[test]
    fn a_million_distinct_values_keep_the_default_limit() {
        let mut c = ValueCounts::default();
        for i in 0..1_000_000i64 {
            c.add(Decimal::new(i, 2));
        }
        assert!(c.values().count() <= DISTINCT_LIMIT);
        assert_eq!(c.count(), 1_000_000);
        assert_eq!(c.max(), Some(d("9999.99")));
    }

    #[test]
    fn flooring_in_two_steps_is_flooring_once() {
        for v in ["-1.234", "0.05", "9.99", "123.456", "1e3"] {
            let v: Decimal = v
                .parse()
                .unwrap_or_else(|_| Decimal::from_scientific(v).unwrap());
            assert_eq!(floor_to(floor_to(v, -2), -1), floor_to(v, -1), "{v}");
            assert_eq!(floor_to(floor_to(v, 0), 2), floor_to(v, 2), "{v}");
        }
        assert_eq!(floor_to(d("-1.25"), -1), d("-1.3"));
        assert_eq!(floor_to(d("1234"), 2), d("1200"));
    }

    #[test]
    fn histogram_puts_the_upper_edge_in_the_last_bin() {
        let c = of(&["0", "0.4", "0.5", "3.9", "4.0"]);
        let bins = c.histogram(Decimal::ZERO, d("0.5"), 8);
        assert_eq!(bins, [2, 1, 0, 0, 0, 0, 0, 2]);
    }

    #[test]
    fn merging_a_floored_distribution_floors_the_other() {
        let mut fine = ValueCounts::with_limit(16);
        fine.add(d("1.23"));
        let mut coarse = ValueCounts::with_limit(16);
        for i in 0..20i64 {
            coarse.add(Decimal::new(i, 1));
        }
        assert_eq!(coarse.step(), Some(d("1")));
        fine.merge(&coarse);
        assert_eq!(fine.step(), Some(d("1")));
        assert_eq!(fine.count(), 21);
        assert!(fine.values().all(|(v, _)| v.fract().is_zero()));
    }

    #[test]
    fn a_sum_too_large_for_a_decimal_is_dropped_not_wrapped() {
        let mut c = ValueCounts::default();
        c.add(Decimal::MAX);
        c.add(Decimal::MAX);
        assert_eq!(c.sum(), None);
        assert_eq!(c.mean(), None);
        assert_eq!(c.quartile(2), Some(Decimal::MAX));
    }
}
