//! Literal values: strings, decimals, integers, dates. Each returns the reason a literal is
//! refused, for the diagnostic; none panics on any text.

use crate::ast::{Date, MonthDay};
use rust_decimal::Decimal;

/// Unescapes the inside of a string literal. The scanner has already reported any escape
/// this cannot read; such an escape is kept as written.
pub(crate) fn unescape(inner: &str) -> String {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices();
    while let Some((at, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, 'u')) => {
                let rest = inner.get(at + 2..).unwrap_or("");
                let decoded = rest.strip_prefix('{').and_then(|r| {
                    let close = r.find('}')?;
                    let code = u32::from_str_radix(r.get(..close)?, 16).ok()?;
                    Some((char::from_u32(code)?, close + 2))
                });
                match decoded {
                    Some((ch, len)) => {
                        out.push(ch);
                        // Skip `{XXXX}`; `len` counts ASCII bytes, one char each.
                        for _ in 0..len {
                            chars.next();
                        }
                    }
                    None => out.push_str("\\u"),
                }
            }
            Some((_, other)) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// A decimal as written (`4.0` keeps scale 1), optionally signed. Refused when a decimal
/// cannot hold it exactly: more than 28 digits after the point, or more than
/// 79228162514264337593543950335 as a whole (about 28 significant digits).
pub(crate) fn decimal(text: &str) -> Result<Decimal, String> {
    Decimal::from_str_exact(text).map_err(|_| "more than 28 significant digits".to_string())
}

/// A percentage's number: `35%` is 35.
pub(crate) fn percent(text: &str) -> Result<Decimal, String> {
    decimal(text.strip_suffix('%').unwrap_or(text))
}

/// A non-negative whole number that fits in 32 bits.
pub(crate) fn integer(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .map_err(|_| format!("larger than {}", u32::MAX))
}

/// `YYYY-MM-DD`, a real day of the Gregorian calendar.
pub(crate) fn date(text: &str) -> Result<Date, String> {
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not written as `YYYY-MM-DD`".to_string());
    };
    let year: u16 = y
        .parse()
        .map_err(|_| "the year is not a number".to_string())?;
    if year == 0 {
        return Err("there is no year 0".to_string());
    }
    let (month, day) = month_and_day(m, d, Some(year))?;
    Ok(Date { year, month, day })
}

/// `MM-DD`, a day that exists in some year (29 February included).
pub(crate) fn month_day(text: &str) -> Result<MonthDay, String> {
    let (m, d) = text
        .split_once('-')
        .ok_or_else(|| "not written as `MM-DD`".to_string())?;
    let (month, day) = month_and_day(m, d, None)?;
    Ok(MonthDay { month, day })
}

fn month_and_day(m: &str, d: &str, year: Option<u16>) -> Result<(u8, u8), String> {
    let month: u8 = m
        .parse()
        .map_err(|_| "the month is not a number".to_string())?;
    let day: u8 = d
        .parse()
        .map_err(|_| "the day is not a number".to_string())?;
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month}"));
    }
    if day == 0 {
        return Err("there is no day 0".to_string());
    }
    let last = days_in_month(month, year);
    if day > last {
        let name = MONTHS
            .get(usize::from(month) - 1)
            .copied()
            .unwrap_or("the month");
        return Err(match year {
            Some(year) => format!("{name} {year} has {last} days"),
            None => format!("{name} has at most {last} days"),
        });
    }
    Ok((month, day))
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Days in `month`; without a year, February has 29 (a `MM-DD` may fall in a leap year).
fn days_in_month(month: u8, year: Option<u16>) -> u8 {
    match month {
        2 => match year {
            Some(y) if !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) => 28,
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_every_escape() {
        assert_eq!(unescape(r#"a\"b\\c\nd\te"#), "a\"b\\c\nd\te");
        assert_eq!(unescape(r"\u{5B66}分\u{41}"), "学分A");
        assert_eq!(unescape(r"\u{D800}x"), "\\u{D800}x");
        assert_eq!(unescape("x\\"), "x\\");
    }

    #[test]
    fn decimals_keep_their_scale() {
        assert_eq!(decimal("4.0").unwrap().scale(), 1);
        assert_eq!(decimal("4.0").unwrap().to_string(), "4.0");
        assert_eq!(decimal("-2.50").unwrap().to_string(), "-2.50");
        assert_eq!(percent("35%").unwrap().to_string(), "35");
        assert_eq!(percent("12.5%").unwrap().to_string(), "12.5");
    }

    #[test]
    fn decimals_with_too_many_digits_are_refused() {
        assert!(decimal(&"9".repeat(28)).is_ok());
        assert!(decimal("79228162514264337593543950335").is_ok());
        assert_eq!(
            decimal("79228162514264337593543950336").unwrap_err(),
            "more than 28 significant digits"
        );
        assert!(decimal(&"9".repeat(29)).is_err());
        assert!(decimal(&format!("0.{}1", "0".repeat(27))).is_ok());
        assert!(decimal(&format!("0.{}1", "0".repeat(28))).is_err());
        assert!(decimal("4.0000000000000000000000000001").is_ok());
        assert!(decimal("4.000000000000000000000000000001").is_err());
        assert!(decimal(&format!("{}1", "0".repeat(40))).is_ok());
    }

    #[test]
    fn integers_fit_in_32_bits() {
        assert_eq!(integer("4294967295"), Ok(u32::MAX));
        assert_eq!(integer("4294967296").unwrap_err(), "larger than 4294967295");
    }

    #[test]
    fn dates_know_leap_years() {
        assert_eq!(
            date("2024-02-29"),
            Ok(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        assert_eq!(date("2026-02-29").unwrap_err(), "february 2026 has 28 days");
        assert_eq!(date("1900-02-29").unwrap_err(), "february 1900 has 28 days");
        assert!(date("2000-02-29").is_ok());
        assert_eq!(date("2026-13-01").unwrap_err(), "there is no month 13");
        assert_eq!(date("2026-04-31").unwrap_err(), "april 2026 has 30 days");
        assert_eq!(date("2026-01-00").unwrap_err(), "there is no day 0");
        assert_eq!(date("0000-01-01").unwrap_err(), "there is no year 0");
    }

    #[test]
    fn month_days_allow_29_february() {
        assert_eq!(month_day("02-29"), Ok(MonthDay { month: 2, day: 29 }));
        assert_eq!(
            month_day("02-30").unwrap_err(),
            "february has at most 29 days"
        );
        assert_eq!(month_day("00-10").unwrap_err(), "there is no month 0");
    }
}
