//! Exact sums of decimals, fast: the sums of credits and grade points a transcript adds up.
//!
//! `rust_decimal` addition and multiplication align scales and check for overflow on every
//! operation. A transcript adds a few hundred small figures with one or two decimal places, so
//! [`ExactSum`] adds them as integers at a fixed scale instead, and gives back exactly the
//! `Decimal` that adding them one by one with `rust_decimal` would: the same digits and the
//! same scale (the largest scale of the terms). A term that does not fit the fast path (more
//! than ten places, or a sum beyond `i128`) moves the sum to `Decimal` arithmetic
//! from there on. A sum too large for `Decimal` at that scale (past 7.9 × 10^28 units) is
//! reported as an overflow (`None`), where adding one by one would have dropped places.

use rust_decimal::Decimal;

/// The scale the fast path adds at: grade points like 3.953125 times credits like 2.5 have
/// seven places.
const FIXED_SCALE: u32 = 10;

/// 10^0 ..= 10^FIXED_SCALE (also the powers `rounding` pads figures with).
pub(crate) const POWERS: [i128; FIXED_SCALE as usize + 1] = {
    let mut p = [1i128; FIXED_SCALE as usize + 1];
    let mut i = 1;
    while i < p.len() {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// Mantissas below this multiply in the fast path without checks.
const SMALL: u128 = 1 << 48;

/// A running exact sum.
#[derive(Clone, Copy, Debug)]
pub struct ExactSum {
    state: State,
}

#[derive(Clone, Copy, Debug)]
enum State {
    /// `units` at [`FIXED_SCALE`]; `scale` is the largest scale of the terms so far.
    Fast { units: i128, scale: u32 },
    /// Decimal arithmetic; `None` once it overflowed.
    Slow(Option<Decimal>),
}

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum::new()
    }
}

impl ExactSum {
    /// Zero (of scale 0, as `Decimal::ZERO`).
    pub const fn new() -> Self {
        ExactSum {
            state: State::Fast { units: 0, scale: 0 },
        }
    }

    /// Adds `term`.
    pub fn add(&mut self, term: Decimal) {
        self.add_units(term.mantissa(), term.scale(), || Some(term));
    }

    /// Adds `a × b`, exactly as `a.checked_mul(b)` then added.
    pub fn add_product(&mut self, a: Decimal, b: Decimal) {
        let (ma, mb) = (a.mantissa(), b.mantissa());
        // Two mantissas under 2^48 multiply without overflow and stay under the 96 bits past
        // which `Decimal` would round the product; others go the long way.
        if ma.unsigned_abs() < SMALL && mb.unsigned_abs() < SMALL {
            self.add_units(ma * mb, a.scale() + b.scale(), || a.checked_mul(b));
        } else {
            let product = ma
                .checked_mul(mb)
                .filter(|m| m.unsigned_abs() < 1u128 << 96);
            match product {
                Some(m) => self.add_units(m, a.scale() + b.scale(), || a.checked_mul(b)),
                None => self.add_slow(a.checked_mul(b)),
            }
        }
    }

    fn add_units(&mut self, mantissa: i128, scale: u32, exact: impl FnOnce() -> Option<Decimal>) {
        if let State::Fast { units, scale: max } = &mut self.state {
            // Under 2^93 times at most 10^10 (< 2^33.3) stays under 2^127: no overflow.
            if scale <= FIXED_SCALE && mantissa.unsigned_abs() < 1u128 << 93 {
                let shifted = mantissa * POWERS[(FIXED_SCALE - scale) as usize];
                if let Some(sum) = units.checked_add(shifted) {
                    *units = sum;
                    *max = (*max).max(scale);
                    return;
                }
            }
        }
        self.add_slow(exact());
    }

    fn add_slow(&mut self, term: Option<Decimal>) {
        let sum = self.value();
        self.state = State::Slow(sum.zip(term).and_then(|(s, t)| s.checked_add(t)));
    }

    /// The sum; `None` when it overflowed `Decimal`.
    pub fn value(&self) -> Option<Decimal> {
        match self.state {
            State::Fast { units, scale } => {
                let p = POWERS.get((FIXED_SCALE - scale) as usize)?;
                // Every term had at most `scale` places, so the division is exact.
                Decimal::try_from_i128_with_scale(units / p, scale).ok()
            }
            State::Slow(sum) => sum,
        }
    }
}

/// `a + b` for credits, which are never negative: past the largest decimal, the largest
/// decimal. An absurd record (a transfer course of 10^28 credits) then reports absurd
/// figures rather than stopping the evaluation.
pub fn saturating_add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(Decimal::MAX)
}

/// `d <= 0`, read off the sign and the digits: `Decimal`'s comparison aligns the scales of
/// its two sides first, and caps compare credits with zero for every conversion.
#[inline]
pub fn not_positive(d: Decimal) -> bool {
    d.is_zero() || d.is_sign_negative()
}

/// `d.max(Decimal::ZERO)`, as cheaply: a negative figure gives `Decimal::ZERO`, and any
/// other, a zero of any scale included, itself (as `max` does).
#[inline]
pub fn at_least_zero(d: Decimal) -> Decimal {
    if d.is_sign_negative() && !d.is_zero() {
        Decimal::ZERO
    } else {
        d
    }
}

/// The sum of credits, saturating as [`saturating_add`] does.
pub fn saturating_sum(terms: impl IntoIterator<Item = Decimal>) -> Decimal {
    terms.into_iter().fold(Decimal::ZERO, saturating_add)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_sum_keeps_the_largest_scale_of_its_terms() {
        let mut sum = ExactSum::new();
        for t in ["1", "2.5", "0.25", "3"] {
            sum.add(d(t));
        }
        assert_eq!(sum.value().unwrap().to_string(), "6.75");
        let mut sum = ExactSum::new();
        sum.add(d("1.50"));
        sum.add(d("2.50"));
        assert_eq!(sum.value().unwrap().to_string(), "4.00");
        assert_eq!(ExactSum::new().value().unwrap().to_string(), "0");
    }

    #[test]
    fn products_are_exact() {
        let mut sum = ExactSum::new();
        sum.add_product(d("3.953125"), d("2.5"));
        sum.add_product(d("4.0"), d("3"));
        assert_eq!(
            sum.value(),
            d("3.953125").checked_mul(d("2.5")).map(|p| p + d("12.0"))
        );
    }

    #[test]
    fn the_largest_decimals_do_not_overflow_the_fast_path() {
        let mut sum = ExactSum::new();
        sum.add(Decimal::MAX);
        sum.add(Decimal::MAX);
        assert_eq!(sum.value(), None);
        let mut sum = ExactSum::new();
        sum.add_product(Decimal::MAX, Decimal::ONE);
        sum.add(Decimal::MIN);
        assert_eq!(sum.value(), Some(Decimal::ZERO));
    }

    #[test]
    fn a_term_with_many_places_moves_the_sum_to_decimal_arithmetic() {
        let mut sum = ExactSum::new();
        sum.add(d("1.5"));
        sum.add(d("0.000000000001"));
        sum.add(d("2"));
        assert_eq!(sum.value().unwrap(), d("3.500000000001"));
    }

    fn arb_decimal() -> impl Strategy<Value = Decimal> {
        // Figures a transcript can hold, and then some: nine digits, up to twelve places.
        (-999_999_999i64..=999_999_999, 0u32..=12).prop_map(|(m, s)| Decimal::new(m, s))
    }

    #[test]
    fn comparisons_with_zero_agree_with_decimal_comparison_to_the_digit() {
        let mut values: Vec<Decimal> = ["0", "0.00", "-0", "-0.0", "1", "0.001", "-0.001"]
            .iter()
            .map(|s| d(s))
            .collect();
        let mut negative_zero = Decimal::new(0, 3);
        negative_zero.set_sign_negative(true);
        values.extend([negative_zero, Decimal::MAX, Decimal::MIN]);
        for v in values {
            assert_eq!(not_positive(v), v <= Decimal::ZERO, "{v}");
            let max = v.max(Decimal::ZERO);
            assert_eq!(at_least_zero(v).to_string(), max.to_string(), "{v}");
        }
    }

    proptest! {
        #[test]
        fn zero_comparisons_agree_with_decimal(v in arb_decimal(), negative in any::<bool>()) {
            let mut v = v;
            v.set_sign_negative(negative ^ v.is_sign_negative());
            prop_assert_eq!(not_positive(v), v <= Decimal::ZERO);
            prop_assert_eq!(at_least_zero(v).to_string(), v.max(Decimal::ZERO).to_string());
        }

        #[test]
        fn the_same_decimal_as_adding_one_by_one(
            terms in prop::collection::vec((arb_decimal(), arb_decimal(), any::<bool>()), 0..40)
        ) {
            let mut fast = ExactSum::new();
            let mut slow = Some(Decimal::ZERO);
            for (a, b, product) in terms {
                if product {
                    fast.add_product(a, b);
                    slow = slow.zip(a.checked_mul(b)).and_then(|(s, p)| s.checked_add(p));
                } else {
                    fast.add(a);
                    slow = slow.and_then(|s| s.checked_add(a));
                }
            }
            if let Some(expected) = slow {
                let got = fast.value();
                prop_assert_eq!(got.map(|v| v.to_string()), Some(expected.to_string()));
            }
        }
    }
}
