//! Histogram bins: equal widths of 1, 2, 2.5 or 5 times a power of ten, so that edges read as
//! round numbers.

use rust_decimal::Decimal;
use serde::Serialize;

/// Equal-width bins: `[start, start + width)`, ..., the last one closed on the right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bins {
    /// The lower edge of the first bin.
    pub start: Decimal,
    /// The width of every bin.
    pub width: Decimal,
    /// How many bins.
    pub count: usize,
}

/// One bin of a histogram, counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bin {
    /// The lower edge, included.
    pub from: Decimal,
    /// The upper edge, excluded (included for the last bin).
    pub to: Decimal,
    /// Learners in the bin.
    pub learners: u64,
}

/// The widths tried, smallest first: 1, 2, 2.5, 5 times 10^-2 ... 10^27.
fn widths() -> impl Iterator<Item = Decimal> {
    (-2i32..=27).flat_map(|exponent| {
        let unit = if exponent < 0 {
            Decimal::new(1, exponent.unsigned_abs())
        } else {
            Decimal::from_i128_with_scale(10_i128.pow(exponent.unsigned_abs()), 0)
        };
        [
            Decimal::ONE,
            Decimal::TWO,
            Decimal::new(25, 1),
            Decimal::new(5, 0),
        ]
        .into_iter()
        .filter_map(move |m| unit.checked_mul(m))
    })
}

/// How many bins of `width` from `start` cover `high` (at least one).
fn bins_needed(start: Decimal, high: Decimal, width: Decimal) -> Option<u64> {
    let span = high.checked_sub(start)?;
    let n = span.checked_div(width)?.ceil();
    let n: u64 = n.try_into().ok()?;
    Some(n.max(1))
}

impl Bins {
    /// The narrowest round bins, at most `max_bins` of them and none narrower than
    /// `min_width`, that cover `[low, high]`. When the values were floored to `step`, the
    /// width is a multiple of it, so that no floored value straddles two bins.
    pub fn covering(
        low: Decimal,
        high: Decimal,
        max_bins: usize,
        min_width: Decimal,
        step: Option<Decimal>,
    ) -> Bins {
        let (low, high) = (low.min(high), low.max(high));
        for width in widths() {
            if width < min_width {
                continue;
            }
            if let Some(step) = step {
                let aligned = width
                    .checked_rem(step)
                    .is_some_and(|r| r.is_zero() && width >= step);
                if !aligned {
                    continue;
                }
            }
            let Some(start) = low
                .checked_div(width)
                .and_then(|q| q.floor().checked_mul(width))
            else {
                continue;
            };
            let Some(count) = bins_needed(start, high, width) else {
                continue;
            };
            if count <= max_bins as u64 {
                return Bins {
                    start: start.normalize(),
                    width: width.normalize(),
                    count: count as usize,
                };
            }
        }
        // Only for spans beyond any decimal: one bin holding everything.
        Bins {
            start: low,
            width: high - low + Decimal::ONE,
            count: 1,
        }
    }

    /// The edges of bin `index`: `(from, to)`.
    pub fn edges(&self, index: usize) -> (Decimal, Decimal) {
        let from = self.start + self.width * Decimal::from(index);
        (from.normalize(), (from + self.width).normalize())
    }

    /// `counts` (one per bin) as counted bins.
    pub fn label(&self, counts: &[u64]) -> Vec<Bin> {
        counts
            .iter()
            .enumerate()
            .map(|(i, &learners)| {
                let (from, to) = self.edges(i);
                Bin { from, to, learners }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[test]
    fn a_four_point_gpa_scale_gets_half_point_bins() {
        let bins = Bins::covering(d("0"), d("4"), 10, d("0.1"), None);
        assert_eq!((bins.start, bins.width, bins.count), (d("0"), d("0.5"), 8));
        assert_eq!(bins.edges(7), (d("3.5"), d("4")));
    }

    #[test]
    fn a_five_point_scale_gets_ten_bins() {
        let bins = Bins::covering(d("0"), d("5"), 10, d("0.1"), None);
        assert_eq!((bins.width, bins.count), (d("0.5"), 10));
    }

    #[test]
    fn credits_up_to_52_get_round_bins() {
        let bins = Bins::covering(d("0"), d("52.5"), 12, d("1"), None);
        assert_eq!((bins.start, bins.width, bins.count), (d("0"), d("5"), 11));
    }

    #[test]
    fn a_single_value_gets_one_bin_of_the_minimum_width() {
        let bins = Bins::covering(d("0"), d("0"), 12, d("1"), None);
        assert_eq!((bins.start, bins.width, bins.count), (d("0"), d("1"), 1));
    }

    #[test]
    fn bins_are_multiples_of_the_flooring_step() {
        // 2.5 would be narrow enough, but values floored to 1 would straddle its edges.
        let bins = Bins::covering(d("0"), d("25"), 10, d("1"), Some(d("1")));
        assert_eq!(bins.width, d("5"));
    }

    #[test]
    fn the_start_is_a_multiple_of_the_width_below_the_lowest_value() {
        let bins = Bins::covering(d("13"), d("31"), 10, d("1"), None);
        assert_eq!((bins.start, bins.width, bins.count), (d("12"), d("2"), 10));
    }
}
