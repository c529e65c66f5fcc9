//! Writing a learner record as compact JSON, byte for byte what `serde_json::to_writer` writes
//! through the record's `Serialize` impls, without their cost.
//!
//! The record's serde shapes convert each course attempt and exception into a flat form
//! (cloning its strings), format dates with `format!` and write each fractional number by
//! formatting it twice: a fifth of a millisecond per generated learner, more than generating
//! it. A test checks the two writers agree on generated cohorts and on awkward values; a field
//! added to the record must be added here too, or that test fails.

use std::io::{self, Write};

use creditbank_dsl::ast::Date;
use creditbank_engine::record::{
    AttributeValue, ExceptionAction, LearnerRecord, Mark, Outcome, ReviewStatus,
};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Writes `record` as one line of compact JSON (without the line break).
pub(crate) fn write_record<W: Write>(out: &mut W, record: &LearnerRecord) -> io::Result<()> {
    let mut buf = Vec::with_capacity(8192);
    record_json(&mut buf, record);
    out.write_all(&buf)
}

fn record_json(b: &mut Vec<u8>, r: &LearnerRecord) {
    b.extend_from_slice(b"{\"learner\":");
    string(b, &r.learner);
    b.extend_from_slice(b",\"program\":");
    string(b, &r.program);
    b.extend_from_slice(b",\"enrolled\":");
    date(b, r.enrolled);
    if let Some(as_of) = r.as_of {
        b.extend_from_slice(b",\"as_of\":");
        date(b, as_of);
    }
    b.extend_from_slice(b",\"term\":");
    unsigned(b, u64::from(r.term));
    if !r.courses.is_empty() {
        b.extend_from_slice(b",\"courses\":[");
        for (i, a) in r.courses.iter().enumerate() {
            if i > 0 {
                b.push(b',');
            }
            b.extend_from_slice(b"{\"course\":");
            string(b, &a.course);
            b.extend_from_slice(b",\"term\":");
            unsigned(b, u64::from(a.term));
            match &a.mark {
                Mark::Score(score) => {
                    b.extend_from_slice(b",\"score\":");
                    decimal(b, *score);
                }
                Mark::Grade(grade) => {
                    b.extend_from_slice(b",\"grade\":");
                    string(b, grade);
                }
                Mark::Withdrawn => b.extend_from_slice(b",\"grade\":\"W\""),
            }
            if let Some(credits) = a.credits {
                b.extend_from_slice(b",\"credits\":");
                decimal(b, credits);
            }
            optional(b, "institution", a.institution.as_deref());
            optional(b, "category", a.category.as_deref());
            b.push(b'}');
        }
        b.push(b']');
    }
    if !r.outcomes.is_empty() {
        b.extend_from_slice(b",\"outcomes\":[");
        for (i, o) in r.outcomes.iter().enumerate() {
            if i > 0 {
                b.push(b',');
            }
            outcome(b, o);
        }
        b.push(b']');
    }
    if !r.exceptions.is_empty() {
        b.extend_from_slice(b",\"exceptions\":[");
        for (i, e) in r.exceptions.iter().enumerate() {
            if i > 0 {
                b.push(b',');
            }
            b.push(b'{');
            match &e.action {
                ExceptionAction::Waive { requirement } => field(b, "waive", requirement),
                ExceptionAction::Substitute { course, replaces } => {
                    field(b, "substitute", course);
                    b.push(b',');
                    field(b, "for", replaces);
                }
                ExceptionAction::Force { category, credits } => {
                    field(b, "force", category);
                    b.extend_from_slice(b",\"credits\":");
                    decimal(b, *credits);
                }
                ExceptionAction::Version { version } => field(b, "version", version),
            }
            b.push(b',');
            field(b, "by", &e.by);
            b.push(b',');
            field(b, "reason", &e.reason);
            b.push(b'}');
        }
        b.push(b']');
    }
    b.push(b'}');
}

fn outcome(b: &mut Vec<u8>, o: &Outcome) {
    b.push(b'{');
    field(b, "id", &o.id);
    b.push(b',');
    field(b, "kind", &o.kind);
    if !o.attributes.is_empty() {
        b.extend_from_slice(b",\"attributes\":{");
        for (i, (name, value)) in o.attributes.iter().enumerate() {
            if i > 0 {
                b.push(b',');
            }
            string(b, name);
            b.push(b':');
            match value {
                AttributeValue::Text(text) => string(b, text),
                AttributeValue::Number(n) => decimal(b, *n),
                AttributeValue::Date(d) => date(b, *d),
            }
        }
        b.push(b'}');
    }
    b.extend_from_slice(b",\"date\":");
    date(b, o.date);
    if !o.evidence.is_empty() {
        b.extend_from_slice(b",\"evidence\":[");
        for (i, e) in o.evidence.iter().enumerate() {
            if i > 0 {
                b.push(b',');
            }
            string(b, e);
        }
        b.push(b']');
    }
    optional(b, "institution", o.institution.as_deref());
    if let Some(review) = o.review {
        self::review(b, review);
    }
    b.push(b'}');
}

/// `,"review":"approved"`
pub(crate) fn review(b: &mut Vec<u8>, review: ReviewStatus) {
    b.extend_from_slice(match review {
        ReviewStatus::Approved => b",\"review\":\"approved\"",
        ReviewStatus::Rejected => b",\"review\":\"rejected\"",
        ReviewStatus::Pending => b",\"review\":\"pending\"",
    });
}

/// `n` in decimal, with zeros before it to `width` digits.
pub(crate) fn padded(b: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for _ in (digits.len() - at)..width {
        b.push(b'0');
    }
    b.extend_from_slice(&digits[at..]);
}

/// `"name":"value"`
pub(crate) fn field(b: &mut Vec<u8>, name: &str, value: &str) {
    b.push(b'"');
    b.extend_from_slice(name.as_bytes());
    b.extend_from_slice(b"\":");
    string(b, value);
}

/// `,"name":"value"` when there is a value.
pub(crate) fn optional(b: &mut Vec<u8>, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        b.push(b',');
        field(b, name, value);
    }
}

/// A JSON string, escaped as serde_json escapes: the engine's report writer's.
pub(crate) use creditbank_engine::json::string;

/// `"YYYY-MM-DD"`
pub(crate) fn date(b: &mut Vec<u8>, d: Date) {
    let digit = |n: u16| b'0' + (n % 10) as u8;
    let (y, m, day) = (d.year, u16::from(d.month), u16::from(d.day));
    b.extend_from_slice(&[
        b'"',
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
        b'"',
    ]);
}

pub(crate) fn unsigned(b: &mut Vec<u8>, n: u64) {
    padded(b, n, 0);
}

/// The most significant digits a number written unquoted keeps exactly through a float, as
/// the record format reads numbers.
const FLOAT_DIGITS: u32 = 15;

/// A number as the record's serialisation writes it: an integer as such; a fraction as the
/// float it converts to when that float reads back to the same number within 15 digits; else
/// (rare) through the record's own serialisation, which quotes it.
pub(crate) fn decimal(b: &mut Vec<u8>, n: Decimal) {
    if plain_decimal(b, n) {
        return;
    }
    if n.fract().is_zero() {
        if let Some(i) = n.to_i64() {
            if i < 0 {
                b.push(b'-');
            }
            unsigned(b, i.unsigned_abs());
            return;
        }
    }
    if let Some(f) = n.to_f64() {
        let mut text = [0u8; 32];
        let mut cursor = io::Cursor::new(&mut text[..]);
        if serde_json::to_writer(&mut cursor, &f).is_ok() {
            let len = usize::try_from(cursor.position()).unwrap_or(0);
            let written = &text[..len];
            let exact = std::str::from_utf8(written)
                .ok()
                .and_then(|t| Decimal::from_str_exact(t).ok())
                .is_some_and(|back| back == n && significant_digits(back) <= FLOAT_DIGITS);
            if exact {
                b.extend_from_slice(written);
                return;
            }
        }
    }
    // The record's own serialisation never fails on a number.
    let _ = serde_json::to_writer(&mut *b, &AttributeValue::Number(n));
}

/// The common case written directly: at most four decimal places and fewer than 15 digits.
/// An integer is written as one; for a fraction, such a number converts to the float nearest
/// it, whose shortest form (what the float writer prints) is its own digits. False, and
/// nothing written, for any other number.
fn plain_decimal(b: &mut Vec<u8>, n: Decimal) -> bool {
    const LIMIT: u128 = 100_000_000_000_000;
    let scale = n.scale();
    let mantissa = n.mantissa().unsigned_abs();
    if scale > 4 || mantissa >= LIMIT {
        return false;
    }
    let unit = 10u128.pow(scale);
    let (whole, fraction) = (mantissa / unit, mantissa % unit);
    if n.is_sign_negative() && mantissa != 0 {
        b.push(b'-');
    }
    // INVARIANT: below LIMIT, both fit in u64.
    unsigned(b, whole as u64);
    if fraction != 0 {
        b.push(b'.');
        let mut digits = [b'0'; 4];
        let mut f = fraction;
        for d in digits[..scale as usize].iter_mut().rev() {
            *d = b'0' + (f % 10) as u8;
            f /= 10;
        }
        let used = digits[..scale as usize]
            .iter()
            .rposition(|d| *d != b'0')
            .map_or(0, |i| i + 1);
        b.extend_from_slice(&digits[..used]);
    }
    true
}

fn significant_digits(n: Decimal) -> u32 {
    let mantissa = n.normalize().mantissa().unsigned_abs();
    let mut digits = 0;
    let mut m = mantissa;
    while m > 0 {
        digits += 1;
        m /= 10;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;
    use creditbank_engine::record::from_json;

    fn same_as_serde(record: &LearnerRecord) {
        let mut fast = Vec::new();
        write_record(&mut fast, record).unwrap();
        let serde = serde_json::to_vec(record).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&serde)
        );
    }

    #[test]
    fn awkward_values_are_written_as_serde_writes_them() {
        let text = r#"{"learner": "a\"b\\c 学", "program": "p", "enrolled": "0999-01-02", "as_of": "2027-07-01", "term": 4,
          "courses": [
            {"course": "C1", "term": 1, "score": 92.5},
            {"course": "C2", "term": 1, "score": "89.1234567890123456"},
            {"course": "C3", "term": 2, "score": 0.1, "credits": 2.25, "institution": "i", "category": "c"},
            {"course": "C4", "term": 2, "grade": "W"},
            {"course": "C5", "term": 3, "grade": "良好", "credits": "0.333333333333333333"},
            {"course": "C6", "term": 3, "score": 100, "credits": 0}
          ],
          "outcomes": [
            {"id": "o1", "kind": "k", "attributes": {"z": 1e3, "a": "text", "d": "2027-05-20", "n": -7.125, "big": 123456789012345},
             "date": "2027-05-20", "evidence": ["x", "y"], "institution": "i", "review": "pending"},
            {"id": "o2", "kind": "k", "date": "2027-05-21"}
          ],
          "exceptions": [
            {"waive": "r", "by": "b", "reason": "line\nbreak\ttab\u0001\u001f\b\f\r\u007f"},
            {"substitute": "C1", "for": "C2", "by": "b", "reason": "r"},
            {"force": "c", "credits": 1.5, "by": "b", "reason": "r"},
            {"version": "2025.1", "by": "b", "reason": "r"}
          ]}"#;
        let record = from_json(text).unwrap();
        same_as_serde(&record);
        let bare =
            from_json(r#"{"learner": "x", "program": "p", "enrolled": "2026-09-01", "term": 1}"#)
                .unwrap();
        same_as_serde(&bare);
    }

    #[test]
    fn numbers_are_written_as_serde_writes_them() {
        let mut record = from_json(
            r#"{"learner": "x", "program": "p", "enrolled": "2026-09-01", "term": 1, "courses": [{"course": "C", "term": 1, "score": 1}]}"#,
        )
        .unwrap();
        let mut values = Vec::new();
        for mantissa in [
            0i64,
            1,
            5,
            10,
            25,
            120,
            125,
            333,
            1000,
            999_999,
            1_000_005,
            99_999_999_999_999,
            100_000_000_000_000,
            123_456_789_012_345,
            1_234_567_890_123_456,
        ] {
            for scale in 0..=20 {
                values.push(Decimal::new(mantissa, scale));
                values.push(Decimal::new(-mantissa, scale));
            }
        }
        values.push(Decimal::MAX);
        values.push(Decimal::MIN);
        for v in values {
            record.courses[0].mark = Mark::Score(v);
            same_as_serde(&record);
        }
    }
}
