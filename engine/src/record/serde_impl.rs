//! Hand-written (de)serialisation for the record's dates, numbers, terms and attribute values,
//! and the flat shapes that course attempts and exceptions are read through.
//!
//! Numbers are the delicate part. JSON and YAML parsers hand unquoted numbers over as binary
//! floating point, so a number written without quotes is taken at the shortest decimal that
//! reads back to the same float: exact for every number of at most 15 significant digits.
//! Longer ones are refused rather than silently changed; quoted numbers (`"92.5"`) are read
//! as decimals directly, exact to the 28 digits a decimal holds.

use std::collections::BTreeMap;
use std::fmt;

use creditbank_dsl::ast::Date;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{AttributeValue, CourseAttempt, Exception, ExceptionAction, Mark};

/// The grade that marks a withdrawal rather than a result.
pub(super) const WITHDRAWN: &str = "W";

/// The most significant digits an unquoted number keeps exactly through a binary float.
pub(super) const FLOAT_DIGITS: usize = 15;

/// Longest piece of user input quoted back in a message, so that one huge value does not
/// make a huge message.
const QUOTE_LIMIT: usize = 40;

/// `text` shortened for quoting in a message.
pub(super) fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_LIMIT {
        text.to_owned()
    } else {
        let head: String = text.chars().take(QUOTE_LIMIT).collect();
        format!("{head}…")
    }
}

// ---------------------------------------------------------------------------------------------
// Dates

/// Reads a `YYYY-MM-DD` date of the proleptic Gregorian calendar: four-digit year from 0001,
/// two-digit month and day, and a day that exists in that month.
pub fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u16> {
        let part = bytes.get(range)?;
        part.iter().try_fold(0u16, |acc, b| {
            b.is_ascii_digit().then(|| acc * 10 + u16::from(b - b'0'))
        })
    };
    let year = number(0..4)?;
    let month = u8::try_from(number(5..7)?).ok()?;
    let day = u8::try_from(number(8..10)?).ok()?;
    if year == 0 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(Date { year, month, day })
}

/// Whether `text` has the shape of a date (`dddd-dd-dd`), valid or not: such text in an
/// attribute is meant as a date, so an impossible one is an error rather than free text.
pub(super) fn looks_like_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// A date written back as `YYYY-MM-DD`.
pub fn format_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year, date.month, date.day)
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
        parse_date(v).ok_or_else(|| E::custom(format_args!("`{}` is not a date", quote(v))))
    }
}

/// `#[serde(with = "date")]` for a required date.
pub(super) mod date {
    use super::*;

    pub fn serialize<S: Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        d.deserialize_str(DateVisitor)
    }
}

/// `#[serde(with = "opt_date")]` for an optional date (`null` or absent is none).
pub(super) mod opt_date {
    use super::*;

    // Option<&T> is what skip_serializing_if leaves us to serialise.
    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => s.serialize_some(&format_date(*date)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Option::<Dated>::deserialize(d).map(|o| o.map(|Dated(date)| date))
    }

    struct Dated(Date);

    impl<'de> Deserialize<'de> for Dated {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(DateVisitor).map(Dated)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers

/// The decimal an unquoted number stands for, or why it cannot be taken exactly.
pub(super) fn decimal_from_f64(v: f64) -> Result<Decimal, String> {
    if !v.is_finite() {
        return Err(format!("`{v}` is not a number"));
    }
    // Display for f64 is the shortest text that reads back to the same float, never in
    // exponent form: exactly the number written when it had at most 15 significant digits.
    let text = format!("{v}");
    let digits = text
        .bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|b| *b == b'0')
        .collect::<Vec<u8>>();
    let significant = digits.len() - digits.iter().rev().take_while(|b| **b == b'0').count();
    if significant > FLOAT_DIGITS {
        // The float is all we have: the digits shown may already differ from those written.
        return Err(format!(
            "`{}` has more than {FLOAT_DIGITS} significant digits, more than a number without \
             quotes keeps exactly: write the number in quotes",
            quote(&text)
        ));
    }
    Decimal::from_str_exact(&text).map_err(|_| format!("`{v:e}` is too large a number"))
}

/// A quoted number: plain decimal notation, read exactly.
fn decimal_from_str(v: &str) -> Result<Decimal, String> {
    let plain = !v.is_empty()
        && v.bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+');
    if !plain {
        return Err(format!("`{}` is not a number", quote(v)));
    }
    Decimal::from_str_exact(v).map_err(|_| {
        // A decimal holds 28 significant digits; past that, say so rather than "not a number".
        if v.bytes().filter(u8::is_ascii_digit).count() > 28 {
            format!("`{}` has more digits than a number may have", quote(v))
        } else {
            format!("`{}` is not a number", quote(v))
        }
    })
}

struct DecimalVisitor;

impl Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Decimal, E> {
        Decimal::from_i128(v).ok_or_else(|| E::custom(format_args!("`{v}` is too large a number")))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Decimal, E> {
        i128::try_from(v)
            .ok()
            .and_then(Decimal::from_i128)
            .ok_or_else(|| E::custom(format_args!("`{v}` is too large a number")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        decimal_from_f64(v).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        decimal_from_str(v).map_err(E::custom)
    }
}

use rust_decimal::prelude::FromPrimitive;

/// Writes a decimal as a plain number when the number reads back exactly, else as a quoted
/// string (which the reader also takes exactly).
fn serialize_decimal<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    if v.fract().is_zero() {
        if let Some(i) = v.to_i64() {
            return s.serialize_i64(i);
        }
    }
    if let Some(f) = v.to_f64() {
        if decimal_from_f64(f).is_ok_and(|back| back == *v) {
            return s.serialize_f64(f);
        }
    }
    s.serialize_str(&v.to_string())
}

/// `#[serde(with = "opt_decimal")]` for an optional number.
pub(super) mod opt_decimal {
    use super::*;

    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_some(&Number(*v)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        Option::<Number>::deserialize(d).map(|o| o.map(|Number(v)| v))
    }
}

/// A decimal with the record's number (de)serialisation.
#[derive(Clone, Copy)]
struct Number(Decimal);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_decimal(&self.0, s)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DecimalVisitor).map(Number)
    }
}

// ---------------------------------------------------------------------------------------------
// Terms

struct TermVisitor;

impl Visitor<'_> for TermVisitor {
    type Value = u32;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a term number (1, 2, ...)")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u32, E> {
        u32::try_from(v).map_err(|_| E::custom(format_args!("`{v}` is too large for a term")))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u32, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom(format_args!(
                "`{v}` is not a term: terms count from 1"
            ))),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u32, E> {
        Err(E::custom(format_args!(
            "`{v}` is not a term: a term is a whole number from 1"
        )))
    }
}

/// `#[serde(with = "term")]` for a term number.
pub(super) mod term {
    use super::*;

    // serde's `with` passes the field by reference.
    #[allow(clippy::trivially_copy_pass_by_ref)]
    pub fn serialize<S: Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(*v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        // Any, not u64: serde_yaml refuses a negative number for u64 before our visitor can
        // explain.
        d.deserialize_any(TermVisitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Attribute values

struct AttributeVisitor;

impl Visitor<'_> for AttributeVisitor {
    type Value = AttributeValue;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("text, a number or a date")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<AttributeValue, E> {
        Ok(AttributeValue::Number(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<AttributeValue, E> {
        Ok(AttributeValue::Number(Decimal::from(v)))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<AttributeValue, E> {
        DecimalVisitor.visit_i128(v).map(AttributeValue::Number)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<AttributeValue, E> {
        DecimalVisitor.visit_u128(v).map(AttributeValue::Number)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<AttributeValue, E> {
        DecimalVisitor.visit_f64(v).map(AttributeValue::Number)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<AttributeValue, E> {
        if looks_like_date(v) {
            DateVisitor.visit_str(v).map(AttributeValue::Date)
        } else {
            Ok(AttributeValue::Text(v.to_owned()))
        }
    }
}

impl<'de> Deserialize<'de> for AttributeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AttributeVisitor)
    }
}

impl Serialize for AttributeValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AttributeValue::Text(text) => s.serialize_str(text),
            AttributeValue::Number(v) => serialize_decimal(v, s),
            AttributeValue::Date(date) => s.serialize_str(&format_date(*date)),
        }
    }
}

/// `#[serde(deserialize_with = "attributes")]`: an attribute map that refuses a key given
/// twice (a map type would silently keep the last).
pub(super) fn attributes<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, AttributeValue>, D::Error> {
    struct MapVisitor;

    impl<'de> Visitor<'de> for MapVisitor {
        type Value = BTreeMap<String, AttributeValue>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a map of attribute names to values")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some(key) = map.next_key::<String>()? {
                match out.entry(key) {
                    std::collections::btree_map::Entry::Occupied(given) => {
                        return Err(de::Error::custom(format_args!(
                            "attribute `{}` is given twice",
                            quote(given.key())
                        )));
                    }
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(map.next_value::<AttributeValue>()?);
                    }
                }
            }
            Ok(out)
        }
    }

    d.deserialize_map(MapVisitor)
}

// ---------------------------------------------------------------------------------------------
// Course attempts

/// A course attempt as written: score and grade both optional, so that a missing or doubled
/// result gets a message of its own.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a course attempt")]
pub(super) struct RawAttempt {
    course: String,
    #[serde(with = "term")]
    term: u32,
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    score: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grade: Option<String>,
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    credits: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    institution: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
}

impl TryFrom<RawAttempt> for CourseAttempt {
    type Error = String;

    fn try_from(raw: RawAttempt) -> Result<Self, String> {
        let mark = match (raw.score, raw.grade) {
            (Some(score), None) => Mark::Score(score),
            (None, Some(grade)) if grade == WITHDRAWN => Mark::Withdrawn,
            (None, Some(grade)) => Mark::Grade(grade),
            (Some(_), Some(_)) => {
                return Err(format!(
                    "course `{}` has both a `score` and a `grade`: give one",
                    quote(&raw.course)
                ))
            }
            (None, None) => {
                return Err(format!(
                    "course `{}` has neither a `score` nor a `grade` (\"W\" if withdrawn)",
                    quote(&raw.course)
                ))
            }
        };
        Ok(CourseAttempt {
            course: raw.course,
            term: raw.term,
            mark,
            credits: raw.credits,
            institution: raw.institution,
            category: raw.category,
        })
    }
}

impl From<CourseAttempt> for RawAttempt {
    fn from(a: CourseAttempt) -> Self {
        let (score, grade) = match a.mark {
            Mark::Score(score) => (Some(score), None),
            Mark::Grade(grade) => (None, Some(grade)),
            Mark::Withdrawn => (None, Some(WITHDRAWN.to_owned())),
        };
        RawAttempt {
            course: a.course,
            term: a.term,
            score,
            grade,
            credits: a.credits,
            institution: a.institution,
            category: a.category,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Exceptions

/// An exception as written: one of `waive`, `substitute` (with `for`), `force` (with
/// `credits`) or `version`, plus who granted it and why.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an exception")]
pub(super) struct RawException {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) waive: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) substitute: Option<String>,
    #[serde(default, rename = "for", skip_serializing_if = "Option::is_none")]
    pub(super) replaces: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) force: Option<String>,
    #[serde(default, with = "opt_decimal", skip_serializing_if = "Option::is_none")]
    pub(super) credits: Option<Decimal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) version: Option<String>,
    pub(super) by: String,
    pub(super) reason: String,
}

impl TryFrom<RawException> for Exception {
    type Error = String;

    fn try_from(raw: RawException) -> Result<Self, String> {
        let given: Vec<&str> = [
            ("waive", raw.waive.is_some()),
            ("substitute", raw.substitute.is_some()),
            ("force", raw.force.is_some()),
            ("version", raw.version.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect();
        if given.len() > 1 {
            return Err(format!(
                "an exception gives both `{}` and `{}`: write one exception each",
                given[0], given[1]
            ));
        }
        if raw.replaces.is_some() && raw.substitute.is_none() {
            return Err("`for` belongs with `substitute`".to_owned());
        }
        if raw.credits.is_some() && raw.force.is_none() {
            return Err("`credits` belongs with `force`".to_owned());
        }
        let action = if let Some(requirement) = raw.waive {
            ExceptionAction::Waive { requirement }
        } else if let Some(course) = raw.substitute {
            let replaces = raw
                .replaces
                .ok_or("`substitute` needs `for`, the course it stands in for")?;
            ExceptionAction::Substitute { course, replaces }
        } else if let Some(category) = raw.force {
            let credits = raw
                .credits
                .ok_or("`force` needs `credits`, how many credits to force")?;
            ExceptionAction::Force { category, credits }
        } else if let Some(version) = raw.version {
            ExceptionAction::Version { version }
        } else {
            return Err(
                "an exception needs one of `waive`, `substitute`, `force` or `version`".to_owned(),
            );
        };
        Ok(Exception {
            action,
            by: raw.by,
            reason: raw.reason,
        })
    }
}

impl From<Exception> for RawException {
    fn from(e: Exception) -> Self {
        let mut raw = RawException {
            waive: None,
            substitute: None,
            replaces: None,
            force: None,
            credits: None,
            version: None,
            by: e.by,
            reason: e.reason,
        };
        match e.action {
            ExceptionAction::Waive { requirement } => raw.waive = Some(requirement),
            ExceptionAction::Substitute { course, replaces } => {
                raw.substitute = Some(course);
                raw.replaces = Some(replaces);
            }
            ExceptionAction::Force { category, credits } => {
                raw.force = Some(category);
                raw.credits = Some(credits);
            }
            ExceptionAction::Version { version } => raw.version = Some(version),
        }
        raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2028-02-29"),
            Some(Date {
                year: 2028,
                month: 2,
                day: 29
            })
        );
        for bad in [
            "2027-02-29",
            "2100-02-29",
            "2027-02-30",
            "2027-13-01",
            "2027-00-10",
            "2027-04-31",
            "0000-01-01",
            "2027-1-01",
            "2027/01/01",
            "２０２７-01-01",
            "",
            "20270101",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert!(parse_date("2000-02-29").is_some());
        assert_eq!(format_date(parse_date("0999-12-31").unwrap()), "0999-12-31");
    }

    #[test]
    fn floats_keep_fifteen_digits_exactly() {
        assert_eq!(decimal_from_f64(92.5).unwrap().to_string(), "92.5");
        assert_eq!(decimal_from_f64(0.1).unwrap().to_string(), "0.1");
        assert_eq!(
            decimal_from_f64(1e20).unwrap().to_string(),
            "100000000000000000000"
        );
        assert!(decimal_from_f64(123_456_789.012_345_67).is_err());
        assert!(decimal_from_f64(1e300).unwrap_err().contains("too large"));
        assert!(decimal_from_f64(f64::NAN).is_err());
    }

    #[test]
    fn quoted_numbers_are_exact() {
        assert_eq!(
            decimal_from_str("0.1234567890123456789")
                .unwrap()
                .to_string(),
            "0.1234567890123456789"
        );
        assert!(decimal_from_str("1e3").is_err());
        assert!(decimal_from_str("").is_err());
        assert!(decimal_from_str("-").is_err());
        assert!(decimal_from_str(&"9".repeat(40))
            .unwrap_err()
            .contains("more digits"));
    }
}
