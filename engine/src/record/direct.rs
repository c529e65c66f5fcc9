//! A direct reader for JSON records of the usual shape, cheaper than reading them through
//! serde's generic machinery.
//!
//! It reads only what it can read exactly as the serde reader does: strings without escapes,
//! numbers without sign or exponent and of at most 15 digits, no `null`, no field given twice,
//! no field it does not know. Given anything else, or a record that is wrong in any way, it
//! gives up, and the serde reader reads the text: that reader decides every error and explains
//! it. Whenever this reader reads a record, the serde reader reads an equal one (the tests
//! check it on every small change to sample records).

use std::collections::btree_map::{BTreeMap, Entry};

use creditbank_dsl::ast::Date;
use rust_decimal::Decimal;

use super::serde_impl::{looks_like_date, parse_date, RawException, FLOAT_DIGITS, WITHDRAWN};
use super::{AttributeValue, CourseAttempt, Exception, LearnerRecord, Mark, Outcome, ReviewStatus};

/// The record JSON text holds; `None` when the text is not of the shape this reader reads (or
/// not a valid record).
pub(super) fn read(text: &str) -> Option<LearnerRecord> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
    };
    let record = r.record()?;
    r.skip_blanks();
    (r.pos == r.bytes.len()).then_some(record)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

/// `0x0101..01`: a byte repeated over a word by multiplying it.
const ONES: u64 = u64::MAX / 255;

/// The high bit of each byte of `chunk` (eight bytes of text, first byte lowest) that ends or
/// interrupts a string without escapes: a quote, a backslash, or a byte below 0x20 (which
/// JSON refuses in a string). Only the lowest mark is exact: the bytes after it may be marked
/// wrongly.
fn stops(chunk: u64) -> u64 {
    let below_space = chunk.wrapping_sub(ONES * 0x20) & !chunk;
    let quote = chunk ^ (ONES * u64::from(b'"'));
    let quote = quote.wrapping_sub(ONES) & !quote;
    let backslash = chunk ^ (ONES * u64::from(b'\\'));
    let backslash = backslash.wrapping_sub(ONES) & !backslash;
    (below_space | quote | backslash) & (ONES << 7)
}

/// An unquoted number as written: whole (serde's `u64`), or with a fraction.
enum Number {
    Whole(u64),
    Fraction(Decimal),
}

impl Number {
    fn decimal(self) -> Decimal {
        match self {
            Number::Whole(v) => Decimal::from(v),
            Number::Fraction(v) => v,
        }
    }
}

/// How many course attempts and outcomes a record's lists are first made for: a learner in
/// mid-course has a few dozen of each (the generated cohorts average 42 and 18), and a list
/// that starts small is moved three or four times as it grows to that.
const COURSES: usize = 32;
const OUTCOMES: usize = 16;

/// Stores a field's value, or gives up on a field given twice.
fn once<T>(slot: &mut Option<T>, value: T) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value);
    Some(())
}

impl<'a> Reader<'a> {
    /// Skips JSON's blanks: space, tab, line feed, carriage return.
    fn skip_blanks(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The next byte after blanks, taken. Most JSON is written without blanks between
    /// tokens: a byte above the space is taken at once.
    fn next(&mut self) -> Option<u8> {
        let mut b = *self.bytes.get(self.pos)?;
        if b <= b' ' {
            self.skip_blanks();
            b = *self.bytes.get(self.pos)?;
        }
        self.pos += 1;
        Some(b)
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.next()? == byte).then_some(())
    }

    /// A string without escapes, as it stands in the text; eight bytes at a time.
    fn str(&mut self) -> Option<&'a str> {
        self.expect(b'"')?;
        let start = self.pos;
        let mut end = start;
        while let Some(chunk) = self.bytes.get(end..end + 8) {
            let marks = stops(u64::from_le_bytes(chunk.try_into().ok()?));
            if marks != 0 {
                end += (marks.trailing_zeros() / 8) as usize;
                return self.close_str(start, end);
            }
            end += 8;
        }
        while self
            .bytes
            .get(end)
            .is_some_and(|&b| b != b'"' && b != b'\\' && b >= 0x20)
        {
            end += 1;
        }
        self.close_str(start, end)
    }

    /// The string from `start` to `end`, if a quote closes it there.
    fn close_str(&mut self, start: usize, end: usize) -> Option<&'a str> {
        if self.bytes.get(end) != Some(&b'"') {
            return None;
        }
        self.pos = end + 1;
        self.text.get(start..end)
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    fn date(&mut self) -> Option<Date> {
        parse_date(self.str()?)
    }

    /// An unquoted number.
    fn number(&mut self) -> Option<Number> {
        self.skip_blanks();
        let start = self.pos;
        let (whole, value) = self.digits();
        // JSON writes no leading zero; a sign is left to serde.
        if whole == 0 || (whole > 1 && self.bytes.get(start) == Some(&b'0')) {
            return None;
        }
        match self.bytes.get(self.pos) {
            Some(b'.' | b'e' | b'E') => self.fraction(whole, value),
            // 18 digits never overflow a u64, which serde would read as a float instead.
            _ => (whole <= 18).then_some(Number::Whole(value)),
        }
    }

    /// The rest of a number whose `whole` digits have the value `value`: a fraction, read as
    /// serde reads it, through a float. With at most 15 digits and no exponent, that float is
    /// the nearest to the number written, and the shortest text that reads back to it (from
    /// which serde takes the decimal) is the number written without the zeros that end its
    /// fraction: so that is the decimal, taken here from the digits without the float.
    fn fraction(&mut self, whole: usize, value: u64) -> Option<Number> {
        if self.bytes.get(self.pos) != Some(&b'.') {
            return None;
        }
        self.pos += 1;
        let (fraction, fraction_value) = self.digits();
        if fraction == 0
            || whole + fraction > FLOAT_DIGITS
            || matches!(self.bytes.get(self.pos), Some(b'e' | b'E'))
        {
            return None;
        }
        // At most 15 digits in all: the mantissa cannot overflow.
        let mut mantissa = value * 10u64.pow(fraction as u32) + fraction_value;
        let mut scale = fraction as u32;
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        Some(Number::Fraction(Decimal::from_i128_with_scale(
            i128::from(mantissa),
            scale,
        )))
    }

    /// How many digits come next, and their value (exact up to 19 digits).
    fn digits(&mut self) -> (usize, u64) {
        let start = self.pos;
        let mut value = 0u64;
        while let Some(&b) = self.bytes.get(self.pos) {
            let digit = b.wrapping_sub(b'0');
            if digit > 9 {
                break;
            }
            value = value.wrapping_mul(10).wrapping_add(u64::from(digit));
            self.pos += 1;
        }
        (self.pos - start, value)
    }

    fn decimal(&mut self) -> Option<Decimal> {
        self.number().map(Number::decimal)
    }

    fn term(&mut self) -> Option<u32> {
        match self.number()? {
            Number::Whole(v) => u32::try_from(v).ok(),
            Number::Fraction(_) => None,
        }
    }

    /// `{ "key": value, ... }`, each value read by `field` given its key.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.expect(b'{')?;
        self.skip_blanks();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Some(());
        }
        loop {
            let key = self.str()?;
            self.expect(b':')?;
            field(self, key)?;
            match self.next()? {
                b',' => {}
                b'}' => return Some(()),
                _ => return None,
            }
        }
    }

    /// `[ item, ... ]`, in a list made for `expected` items at first.
    fn list<T>(
        &mut self,
        expected: usize,
        mut item: impl FnMut(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        let mut out = Vec::with_capacity(expected);
        self.expect(b'[')?;
        self.skip_blanks();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Some(out);
        }
        loop {
            out.push(item(self)?);
            match self.next()? {
                b',' => {}
                b']' => return Some(out),
                _ => return None,
            }
        }
    }

    fn record(&mut self) -> Option<LearnerRecord> {
        let (mut learner, mut program, mut enrolled, mut as_of, mut term) =
            (None, None, None, None, None);
        let (mut courses, mut outcomes, mut exceptions) = (None, None, None);
        self.object(|r, key| match key {
            "learner" => once(&mut learner, r.string()?),
            "program" => once(&mut program, r.string()?),
            "enrolled" => once(&mut enrolled, r.date()?),
            "as_of" => once(&mut as_of, r.date()?),
            "term" => once(&mut term, r.term()?),
            "courses" => once(&mut courses, r.list(COURSES, Reader::attempt)?),
            "outcomes" => once(&mut outcomes, r.list(OUTCOMES, Reader::outcome)?),
            "exceptions" => once(&mut exceptions, r.list(0, Reader::exception)?),
            _ => None,
        })?;
        Some(LearnerRecord {
            learner: learner?,
            program: program?,
            enrolled: enrolled?,
            as_of,
            term: term?,
            courses: courses.unwrap_or_default(),
            outcomes: outcomes.unwrap_or_default(),
            exceptions: exceptions.unwrap_or_default(),
        })
    }

    fn attempt(&mut self) -> Option<CourseAttempt> {
        let (mut course, mut term, mut mark) = (None, None, None);
        let (mut credits, mut institution, mut category) = (None, None, None);
        self.object(|r, key| match key {
            "course" => once(&mut course, r.string()?),
            "term" => once(&mut term, r.term()?),
            // A second result, score or grade, is an error: left to serde.
            "score" => once(&mut mark, Mark::Score(r.decimal()?)),
            "grade" => once(&mut mark, r.grade()?),
            "credits" => once(&mut credits, r.decimal()?),
            "institution" => once(&mut institution, r.string()?),
            "category" => once(&mut category, r.string()?),
            _ => None,
        })?;
        Some(CourseAttempt {
            course: course?,
            term: term?,
            mark: mark?,
            credits,
            institution,
            category,
        })
    }

    /// A grade, as `RawAttempt` turns it into a mark.
    fn grade(&mut self) -> Option<Mark> {
        let grade = self.str()?;
        Some(if grade == WITHDRAWN {
            Mark::Withdrawn
        } else {
            Mark::Grade(grade.to_owned())
        })
    }

    fn outcome(&mut self) -> Option<Outcome> {
        let (mut id, mut kind, mut attributes, mut date) = (None, None, None, None);
        let (mut evidence, mut institution, mut review) = (None, None, None);
        self.object(|r, key| match key {
            "id" => once(&mut id, r.string()?),
            "kind" => once(&mut kind, r.string()?),
            "attributes" => once(&mut attributes, r.attributes()?),
            "date" => once(&mut date, r.date()?),
            "evidence" => once(&mut evidence, r.list(0, Reader::string)?),
            "institution" => once(&mut institution, r.string()?),
            "review" => once(&mut review, r.review()?),
            _ => None,
        })?;
        Some(Outcome {
            id: id?,
            kind: kind?,
            attributes: attributes.unwrap_or_default(),
            date: date?,
            evidence: evidence.unwrap_or_default(),
            institution,
            review,
        })
    }

    fn attributes(&mut self) -> Option<BTreeMap<String, AttributeValue>> {
        let mut out = BTreeMap::new();
        self.object(|r, key| {
            let value = r.attribute()?;
            match out.entry(key.to_owned()) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                    Some(())
                }
                Entry::Occupied(_) => None,
            }
        })?;
        Some(out)
    }

    fn attribute(&mut self) -> Option<AttributeValue> {
        self.skip_blanks();
        if self.bytes.get(self.pos) == Some(&b'"') {
            let text = self.str()?;
            if looks_like_date(text) {
                parse_date(text).map(AttributeValue::Date)
            } else {
                Some(AttributeValue::Text(text.to_owned()))
            }
        } else {
            self.decimal().map(AttributeValue::Number)
        }
    }

    fn review(&mut self) -> Option<ReviewStatus> {
        match self.str()? {
            "approved" => Some(ReviewStatus::Approved),
            "rejected" => Some(ReviewStatus::Rejected),
            "pending" => Some(ReviewStatus::Pending),
            _ => None,
        }
    }

    fn exception(&mut self) -> Option<Exception> {
        let (mut waive, mut substitute, mut replaces, mut force) = (None, None, None, None);
        let (mut credits, mut version, mut by, mut reason) = (None, None, None, None);
        self.object(|r, key| match key {
            "waive" => once(&mut waive, r.string()?),
            "substitute" => once(&mut substitute, r.string()?),
            "for" => once(&mut replaces, r.string()?),
            "force" => once(&mut force, r.string()?),
            "credits" => once(&mut credits, r.decimal()?),
            "version" => once(&mut version, r.string()?),
            "by" => once(&mut by, r.string()?),
            "reason" => once(&mut reason, r.string()?),
            _ => None,
        })?;
        Exception::try_from(RawException {
            waive,
            substitute,
            replaces,
            force,
            credits,
            version,
            by: by?,
            reason: reason?,
        })
        .ok()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::parse::json_control_free;
    use super::*;

    /// A record with every field and every kind of value the reader reads.
    const SAMPLE: &str = r#"{"learner":"2026010001","program":"demo/ug","enrolled":"2026-09-01",
"as_of":"2029-07-01","term":6,
"courses":[{"course":"CS101","term":1,"score":81},
{"course":"MTH101","term":2,"score":71.5,"credits":2.50,"institution":"x","category":"general"},
{"course":"ENG101","term":1,"grade":"良好"},{"course":"CS205","term":4,"grade":"W"}],
"outcomes":[{"id":"o1","kind":"competition","attributes":{"name":"中国 ·","level":"national",
"on":"2027-08-20","rank":2,"hours":1.25,"x":0},"date":"2027-08-20","evidence":["certificate",
"notice"],"institution":"icourse","review":"approved"},{"id":"o2","kind":"mooc",
"date":"2028-01-01","attributes":{},"evidence":[]}],
"exceptions":[{"waive":"r1","by":"office","reason":"why"},{"substitute":"A","for":"B","by":"o",
"reason":"r"},{"force":"general","credits":2,"by":"o","reason":"r"},{"version":"2025.1",
"by":"o","reason":"r"}]}"#;

    /// What the direct reader reads from `text` is what serde reads, to the digits and scale of
    /// every number; and when the text cannot hold a control character in a string, validation
    /// without looking for one agrees.
    fn agrees_with_serde(text: &str) -> bool {
        let Some(record) = read(text) else {
            return false;
        };
        let expected = serde_json::from_str::<LearnerRecord>(text)
            .unwrap_or_else(|e| panic!("read directly, refused by serde ({e}): {text}"));
        assert_eq!(format!("{record:?}"), format!("{expected:?}"), "{text}");
        if json_control_free(text) {
            assert_eq!(record.validate_read(true), record.validate(), "{text}");
        }
        true
    }

    #[test]
    fn reads_the_sample_as_serde_does() {
        assert!(agrees_with_serde(SAMPLE));
        let record = serde_json::from_str::<LearnerRecord>(SAMPLE).unwrap();
        assert!(agrees_with_serde(&serde_json::to_string(&record).unwrap()));
        assert!(agrees_with_serde(
            &serde_json::to_string_pretty(&record).unwrap()
        ));
        assert!(agrees_with_serde(&format!(" \t\r\n{SAMPLE}\n ")));
        assert!(agrees_with_serde(&with_number("1", "0.05")));
        // A result given twice or not at all is serde's to explain.
        for attempt in [
            r#"{"course":"c","term":1,"score":1,"grade":"A"}"#,
            r#"{"course":"c","term":1,"grade":"W","score":1}"#,
            r#"{"course":"c","term":1,"grade":"A","grade":"B"}"#,
            r#"{"course":"c","term":1}"#,
        ] {
            let text = SAMPLE.replace(r#"{"course":"CS101","term":1,"score":81}"#, attempt);
            assert_ne!(text, SAMPLE);
            assert!(!agrees_with_serde(&text), "{text}");
            assert!(serde_json::from_str::<LearnerRecord>(&text).is_err());
        }
        assert!(agrees_with_serde(&with_number("4294967295", "100.0")));
        assert!(!agrees_with_serde(&with_number("4294967296", "1")));
        // Strings of every length around a word's, ending at the end of the text or not.
        for n in 0..20 {
            let name = "名".repeat(n % 3) + &"x".repeat(n);
            assert!(agrees_with_serde(&SAMPLE.replace("2026010001", &name)));
        }
    }

    #[test]
    fn reads_the_bench_learner_as_serde_does() {
        let record =
            super::super::from_yaml(include_str!("../../benches/learner-60.yaml")).unwrap();
        assert!(agrees_with_serde(&serde_json::to_string(&record).unwrap()));
        assert!(agrees_with_serde(
            &serde_json::to_string_pretty(&record).unwrap()
        ));
    }

    /// Every text one edit away from the sample (a character inserted, deleted or replaced) is
    /// either left to serde or read as serde reads it.
    #[test]
    fn every_small_change_is_left_to_serde_or_read_as_serde_does() {
        const PIECES: [&str; 24] = [
            " ", "\n", "\t", "\"", ",", ":", "{", "}", "[", "]", "0", "1", "9", ".", "-", "e", "E",
            "\\", "x", "W", "\u{7f}", "\u{85}", "\u{1}", "null",
        ];
        let mut read_directly = 0;
        let cuts: Vec<usize> = SAMPLE
            .char_indices()
            .map(|(i, _)| i)
            .chain([SAMPLE.len()])
            .collect();
        for pair in cuts.windows(2) {
            let (at, next) = (pair[0], pair[1]);
            let (head, tail) = (&SAMPLE[..at], &SAMPLE[next..]);
            let here = &SAMPLE[at..next];
            read_directly += usize::from(agrees_with_serde(&format!("{head}{tail}")));
            for piece in PIECES {
                read_directly +=
                    usize::from(agrees_with_serde(&format!("{head}{piece}{here}{tail}")));
                read_directly += usize::from(agrees_with_serde(&format!("{head}{piece}{tail}")));
            }
        }
        // Blanks between tokens and changed digits and letters still read directly.
        assert!(read_directly > 1000, "{read_directly}");
    }

    fn with_number(term: &str, number: &str) -> String {
        format!(
            r#"{{"learner":"x","program":"p","enrolled":"2026-09-01","term":{term},
            "courses":[{{"course":"c","term":1,"score":{number},"credits":{number}}}],
            "outcomes":[{{"id":"o","kind":"k","date":"2027-01-01","attributes":{{"n":{number}}}}}]}}"#
        )
    }

    proptest! {
        #[test]
        fn numbers_read_as_serde_reads_them(
            whole in "0|[1-9][0-9]{0,19}",
            fraction in proptest::option::of("[0-9]{1,17}"),
        ) {
            let number = match fraction {
                Some(fraction) => format!("{whole}.{fraction}"),
                None => whole,
            };
            agrees_with_serde(&with_number("1", &number));
            agrees_with_serde(&with_number(&number, "1"));
        }
    }
}
