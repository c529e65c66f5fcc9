//! Building the texts of a report (reasons, figures in words, rule positions) without the
//! formatting machinery.
//!
//! A report with reasons writes a sentence for most figures, many with a number or two in
//! them. Through `format!` each cost over a thousand instructions: the arguments are walked
//! at run time, a `Decimal` is padded through `Formatter`, and the string, sized by a guess,
//! grows two or three times. [`Text`] is sized by its caller, appends pieces as they are
//! and writes a `Decimal` from its digits, exactly as `Decimal`'s `Display` writes it (the
//! tests hold it to that).

use rust_decimal::Decimal;

/// A text being built: `Text::new(capacity).str("...").decimal(d).done()`.
#[derive(Debug)]
pub struct Text(String);

impl Text {
    /// An empty text with room for `capacity` bytes.
    pub fn new(capacity: usize) -> Self {
        Text(String::with_capacity(capacity))
    }

    /// Appends `s`.
    #[must_use]
    pub fn str(mut self, s: &str) -> Self {
        self.0.push_str(s);
        self
    }

    /// Appends `d` as `Decimal`'s `Display` writes it: a `-` for a negative sign (zero
    /// included), the whole digits, and when the scale is not 0, a point and as many fraction
    /// digits as the scale.
    #[must_use]
    pub fn decimal(mut self, d: Decimal) -> Self {
        push_decimal(&mut self.0, d);
        self
    }

    /// Appends an integer in decimal.
    #[must_use]
    pub fn number(mut self, n: impl itoa::Integer) -> Self {
        self.0.push_str(itoa::Buffer::new().format(n));
        self
    }

    /// Appends an unsigned integer in decimal, with zeros before it up to `width` digits (as
    /// `{:0width$}` writes it).
    #[must_use]
    pub fn padded(mut self, n: impl itoa::Integer, width: usize) -> Self {
        let mut buffer = itoa::Buffer::new();
        let digits = buffer.format(n);
        for _ in digits.len()..width {
            self.0.push('0');
        }
        self.0.push_str(digits);
        self
    }

    /// The text.
    pub fn done(self) -> String {
        self.0
    }
}

/// Appends `d` as `Decimal`'s `Display` writes it (see [`Text::decimal`]).
pub fn push_decimal(out: &mut String, d: Decimal) {
    let mut buffer = itoa::Buffer::new();
    let text = DecimalText::of(d, &mut buffer);
    if text.negative {
        out.push('-');
    }
    out.push_str(text.whole);
    if text.point {
        out.push('.');
        for _ in 0..text.zeros {
            out.push('0');
        }
        out.push_str(text.fraction);
    }
}

/// A `Decimal`'s text as its `Display` writes it, in the pieces to append in order: a `-` if
/// `negative` (zero included), `whole`, and if `point` (the scale is not 0), a point, `zeros`
/// zeros and `fraction`. The digits are those of the mantissa, written by `itoa`; what
/// appends them is the caller's ([`push_decimal`] to a `String`, the JSON writer to bytes).
pub(crate) struct DecimalText<'b> {
    pub negative: bool,
    pub whole: &'b str,
    pub point: bool,
    pub zeros: usize,
    pub fraction: &'b str,
}

impl<'b> DecimalText<'b> {
    /// The pieces of `d`, its digits written into `buffer`.
    #[inline]
    pub fn of(d: Decimal, buffer: &'b mut itoa::Buffer) -> Self {
        let magnitude = d.mantissa().unsigned_abs();
        // Most mantissas fit in 64 bits, which itoa writes faster.
        let digits = match u64::try_from(magnitude) {
            Ok(small) => buffer.format(small),
            Err(_) => buffer.format(magnitude),
        };
        let scale = d.scale() as usize;
        let (whole, zeros, fraction) = if scale == 0 {
            (digits, 0, "")
        } else if digits.len() > scale {
            let (whole, fraction) = digits.split_at(digits.len() - scale);
            (whole, 0, fraction)
        } else {
            ("0", scale - digits.len(), digits)
        };
        DecimalText {
            negative: d.is_sign_negative(),
            whole,
            point: scale != 0,
            zeros,
            fraction,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimals_are_written_as_display_writes_them() {
        for text in [
            "0",
            "0.0",
            "0.00",
            "-0.0",
            "1",
            "2.0",
            "0.05",
            "-0.05",
            "12.345",
            "100",
            "-100.10",
            "0.0000000000000000000000000001",
        ] {
            let d: Decimal = text.parse().unwrap();
            assert_eq!(Text::new(0).decimal(d).done(), d.to_string(), "{text}");
        }
        for d in [Decimal::MAX, Decimal::MIN, -Decimal::ZERO] {
            assert_eq!(Text::new(0).decimal(d).done(), d.to_string());
        }
    }

    #[test]
    fn pieces_are_appended_in_order() {
        let text = Text::new(4)
            .str("`cap` clipped ")
            .decimal(Decimal::new(15, 1))
            .str(" in term ")
            .number(3u32)
            .str(", since ")
            .padded(2027u32, 4)
            .str("-")
            .padded(8u8, 2)
            .str("-")
            .padded(10u8, 2)
            .done();
        assert_eq!(text, "`cap` clipped 1.5 in term 3, since 2027-08-10");
        for (n, width) in [(0u32, 0), (0, 2), (7, 4), (12345, 2)] {
            assert_eq!(Text::new(0).padded(n, width).done(), format!("{n:0width$}"));
        }
    }

    proptest! {
        #[test]
        fn any_decimal_is_written_as_display_writes_it(
            lo: u32, mid: u32, hi: u32, negative: bool, scale in 0u32..=28,
        ) {
            let d = Decimal::from_parts(lo, mid, hi, negative, scale);
            prop_assert_eq!(Text::new(0).decimal(d).done(), d.to_string());
        }
    }
}
