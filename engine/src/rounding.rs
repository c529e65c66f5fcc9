//! Rounding of reported figures: the one place it happens.
//!
//! Credits and grade points are computed exactly with `rust_decimal` and rounded only when
//! reported, with the mode and places the ruleset header declares (`rounding gpa half-up 2`).

use crate::exact_sum::POWERS;
use creditbank_dsl::ast::RoundingMode;
use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds `value` to `places` decimal places with `mode`.
///
/// ```
/// use creditbank_dsl::ast::RoundingMode;
/// use creditbank_engine::round;
/// use rust_decimal::Decimal;
/// let gpa: Decimal = "3.425".parse().unwrap();
/// assert_eq!(round(gpa, RoundingMode::HalfUp, 2).to_string(), "3.43");
/// assert_eq!(round(gpa, RoundingMode::HalfEven, 2).to_string(), "3.42");
/// assert_eq!(round(gpa, RoundingMode::Truncate, 2).to_string(), "3.42");
/// ```
#[inline]
pub fn round(value: Decimal, mode: RoundingMode, places: u32) -> Decimal {
    // Credits usually have no more places than reported: nothing to round, only to show.
    if value.scale() <= places {
        return pad(value, places);
    }
    let strategy = match mode {
        RoundingMode::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        RoundingMode::HalfEven => RoundingStrategy::MidpointNearestEven,
        RoundingMode::Truncate => RoundingStrategy::ToZero,
    };
    // Always show the declared number of places (2.0 -> "2.00"), as a transcript does.
    let mut rounded = value.round_dp_with_strategy(places, strategy);
    rounded.rescale(places);
    rounded
}

/// `value` shown with `places` decimal places, which are at least its own: its mantissa times
/// a power of ten. Reports pad most figures (`3` credits shown as `3.0`), so the usual ones
/// take a short path; others go through `rescale`. A `Decimal` holds at most 28 places, so
/// no more are given: asked for more, `rescale` can leave a scale past 28 that `Decimal`
/// cannot even write (rust_decimal 1.43 panics formatting it). The checker bounds declared
/// places at 10; this keeps any caller safe.
#[inline]
fn pad(value: Decimal, places: u32) -> Decimal {
    let places = places.min(Decimal::MAX_SCALE);
    let parts = value.unpack();
    if parts.scale == places {
        return value;
    }
    let more = places.saturating_sub(parts.scale);
    if parts.hi == 0 && more <= 9 && places <= Decimal::MAX_SCALE {
        // Under 2^64 times at most 10^9 (< 2^30): inside the 96 bits of a mantissa.
        let low = i128::from(parts.lo) | (i128::from(parts.mid) << 32);
        let mantissa = low * POWERS[more as usize];
        // Each 32-bit word of the mantissa (the casts keep the low 32 bits).
        let word = |shift: u32| (mantissa >> shift) as u32;
        return Decimal::from_parts(word(0), word(32), word(64), parts.negative, places);
    }
    let mut shown = value;
    shown.rescale(places);
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn padding_gives_rescales_digits(m in any::<i128>(), scale in 0u32..=28, more in 0u32..=30) {
            padding_matches_rescale(m % (1i128 << 96), scale, more)?;
        }
    }

    /// `pad(value, scale + more)` is `rescale` to as many places, up to the 28 a `Decimal`
    /// holds, and writes as it does.
    fn padding_matches_rescale(m: i128, scale: u32, more: u32) -> Result<(), TestCaseError> {
        let value = Decimal::from_i128_with_scale(m, scale);
        let places = scale + more;
        let mut expected = value;
        expected.rescale(places.min(Decimal::MAX_SCALE));
        let padded = pad(value, places);
        prop_assert_eq!(padded, expected);
        prop_assert_eq!(padded.scale(), expected.scale());
        prop_assert!(padded.scale() <= Decimal::MAX_SCALE);
        prop_assert_eq!(padded.to_string(), expected.to_string());
        Ok(())
    }

    #[test]
    fn padding_past_28_places_stops_at_28() {
        // Found by the proptest: rescaling -0.00000000000000000001 to 31 places leaves scale
        // 31, which rust_decimal then panics writing.
        padding_matches_rescale(-1, 20, 11).unwrap();
        assert_eq!(pad(Decimal::new(-1, 20), 31).scale(), 28);
        assert_eq!(
            pad(Decimal::new(5, 0), 40).to_string(),
            "5.0000000000000000000000000000"
        );
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn the_three_modes_differ_on_a_tie() {
        // Four 1-credit courses A, A-, B+, B- average exactly 3.425.
        let gpa = (d("4.0") + d("3.7") + d("3.3") + d("2.7")) / d("4");
        assert_eq!(gpa, d("3.425"));
        assert_eq!(round(gpa, RoundingMode::HalfUp, 2), d("3.43"));
        assert_eq!(round(gpa, RoundingMode::HalfEven, 2), d("3.42"));
        assert_eq!(round(gpa, RoundingMode::Truncate, 2), d("3.42"));
    }

    #[test]
    fn half_even_rounds_ties_to_even_digit() {
        assert_eq!(round(d("2.435"), RoundingMode::HalfEven, 2), d("2.44"));
        assert_eq!(round(d("2.445"), RoundingMode::HalfEven, 2), d("2.44"));
    }

    #[test]
    fn truncate_goes_towards_zero_and_pads() {
        assert_eq!(round(d("3.429"), RoundingMode::Truncate, 2), d("3.42"));
        assert_eq!(round(d("2"), RoundingMode::HalfUp, 2).to_string(), "2.00");
        assert_eq!(round(d("-1.005"), RoundingMode::Truncate, 2), d("-1.00"));
    }

    #[test]
    fn non_terminating_quotients_round_exactly() {
        // US scale: A/3, A-/3, B+/4, B/3 credits = 45.3 / 13.
        let gpa = d("45.3") / d("13");
        assert_eq!(round(gpa, RoundingMode::HalfUp, 2), d("3.48"));
        assert_eq!(round(gpa, RoundingMode::Truncate, 3), d("3.484"));
    }

    #[test]
    fn figures_with_fewer_places_are_only_padded() {
        for mode in [
            RoundingMode::HalfUp,
            RoundingMode::HalfEven,
            RoundingMode::Truncate,
        ] {
            assert_eq!(round(d("2.5"), mode, 2).to_string(), "2.50");
            assert_eq!(round(d("-0.5"), mode, 1).to_string(), "-0.5");
            assert_eq!(round(d("7"), mode, 0).to_string(), "7");
        }
    }
}
