//! Date arithmetic for terms: a term is half a year from the enrolment date.

use creditbank_dsl::ast::Date;

/// Days since 1970-01-01 (negative before), by Howard Hinnant's civil calendar algorithm.
pub(crate) fn days(date: Date) -> i64 {
    let (y, m, d) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date `days` after 1970-01-01: the inverse of [`days`].
pub(crate) fn from_days(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // The generator stays within years 1..9999, where these conversions are exact.
    Date {
        year: year.clamp(1, 9999) as u16,
        month: month as u8,
        day: day as u8,
    }
}

/// The date `months` months after `date`, the day kept where the month has it (else its last).
pub(crate) fn add_months(date: Date, months: u32) -> Date {
    let index = u32::from(date.month) - 1 + months;
    let year = u32::from(date.year) + index / 12;
    let month = (index % 12) as u8 + 1;
    let year = year.min(9999) as u16;
    let last = days_in_month(year, month);
    Date {
        year,
        month,
        day: date.day.min(last),
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The last day of term `term`.
pub(crate) fn term_end(enrolled: Date, term: u32) -> Date {
    from_days(days(add_months(enrolled, 6 * term.max(1))) - 1)
}

/// The term `date` falls in (from 1; 1 before enrolment).
pub(crate) fn term_of(enrolled: Date, date: Date) -> u32 {
    let mut term = 1;
    while term < 64 && term_end(enrolled, term) < date {
        term += 1;
    }
    term
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: u16, m: u8, day: u8) -> Date {
        Date {
            year: y,
            month: m,
            day,
        }
    }

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(days(d(1970, 1, 1)), 0);
        assert_eq!(days(d(2000, 3, 1)) - days(d(2000, 2, 28)), 2);
        for n in (-719_000..2_900_000).step_by(997) {
            assert_eq!(days(from_days(n)), n);
        }
    }

    #[test]
    fn terms_are_half_years() {
        let enrolled = d(2026, 9, 1);
        assert_eq!(term_end(enrolled, 1), d(2027, 2, 28));
        assert_eq!(term_end(enrolled, 2), d(2027, 8, 31));
        assert_eq!(term_end(enrolled, 8), d(2030, 8, 31));
        assert_eq!(term_of(enrolled, d(2027, 7, 1)), 2);
        assert_eq!(term_of(enrolled, d(2027, 2, 28)), 1);
        assert_eq!(add_months(d(2027, 8, 31), 6), d(2028, 2, 29));
    }
}
