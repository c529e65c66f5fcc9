//! Checks on a record that hold under every ruleset. The ruleset-dependent checks (known
//! course codes, grades on a scale, attribute values allowed) belong to the engine.

use rustc_hash::FxHashMap as HashMap;

use creditbank_dsl::ast::Date;
use rust_decimal::Decimal;

use super::serde_impl::{format_date, quote};
use super::{AttributeValue, ExceptionAction, LearnerRecord, Mark, RecordError};

impl LearnerRecord {
    /// Checks the record; the first problem found, in document order, is the error.
    /// `from_json` and `from_yaml` call this (`from_json` through `validate_read`, which
    /// finds the same problems).
    pub fn validate(&self) -> Result<(), RecordError> {
        self.validate_read(false)
    }

    /// [`LearnerRecord::validate`] for a record just read from text that is known to put no
    /// control character in any string (`control_free`): the per-string search for one is
    /// then skipped, with the same result.
    pub(super) fn validate_read(&self, control_free: bool) -> Result<(), RecordError> {
        match self.problems_in(None, control_free).into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Like [`LearnerRecord::validate`], and when the record has no `as_of`, also checks that
    /// no date lies after `today`, the date the caller will evaluate it on.
    pub fn validate_on(&self, today: Date) -> Result<(), RecordError> {
        match self.problems(Some(today)).into_iter().next() {
            Some(problem) => Err(problem),
            None => Ok(()),
        }
    }

    /// Every problem of the record, in document order (for a form that shows them all).
    /// `today` stands in for `as_of` when the record has none.
    pub fn problems(&self, today: Option<Date>) -> Vec<RecordError> {
        self.problems_in(today, false)
    }

    fn problems_in(&self, today: Option<Date>, control_free: bool) -> Vec<RecordError> {
        let mut c = Checker {
            learner: &self.learner,
            control_free,
            problems: Vec::new(),
        };
        let as_of = self.as_of.or(today);
        // The `as_of` the record wrote itself is named as such; a caller's date as "today".
        let as_of_name = if self.as_of.is_some() {
            "`as_of`"
        } else {
            "the evaluation date"
        };

        c.id(|| "learner".into(), &self.learner);
        c.id(|| "program".into(), &self.program);
        if let Some(as_of) = as_of {
            if self.enrolled > as_of {
                c.report(
                    "enrolled".into(),
                    format!(
                        "`{}` is after {as_of_name} `{}`",
                        format_date(self.enrolled),
                        format_date(as_of)
                    ),
                );
            }
        }
        if self.term == 0 {
            c.report("term".into(), "terms count from 1, not 0".into());
        }

        let mut attempts: HashMap<(&str, u32), usize> = HashMap::default();
        attempts.reserve(self.courses.len());
        for (i, a) in self.courses.iter().enumerate() {
            let at = |field: &str| format!("courses[{i}].{field}");
            c.id(|| at("course"), &a.course);
            if a.term == 0 {
                c.report(at("term"), "terms count from 1, not 0".into());
            } else if a.term > self.term {
                c.report(
                    at("term"),
                    format!("term {} is after the current term {}", a.term, self.term),
                );
            }
            match &a.mark {
                Mark::Score(score) => {
                    if !is_percentage(*score) {
                        c.report(
                            at("score"),
                            format!("`{score}` is not a percentage score (0 to 100)"),
                        );
                    }
                }
                Mark::Grade(grade) => c.text(|| at("grade"), grade),
                Mark::Withdrawn => {}
            }
            if let Some(credits) = a.credits {
                if credits < Decimal::ZERO {
                    c.report(at("credits"), format!("`{credits}` credits is negative"));
                }
            }
            if let Some(institution) = &a.institution {
                c.id(|| at("institution"), institution);
            }
            if let Some(category) = &a.category {
                c.id(|| at("category"), category);
            }
            if let Some(first) = attempts.insert((a.course.as_str(), a.term), i) {
                c.report(
                    format!("courses[{i}]"),
                    format!(
                        "`{}` is attempted twice in term {} (also courses[{first}])",
                        quote(&a.course),
                        a.term
                    ),
                );
            }
        }

        let mut outcome_ids: HashMap<&str, usize> = HashMap::default();
        outcome_ids.reserve(self.outcomes.len());
        for (i, o) in self.outcomes.iter().enumerate() {
            let at = |field: &str| format!("outcomes[{i}].{field}");
            c.id(|| at("id"), &o.id);
            if let Some(first) = outcome_ids.insert(o.id.as_str(), i) {
                c.report(
                    at("id"),
                    format!(
                        "`{}` is the id of outcomes[{first}] too: outcome ids must be unique",
                        quote(&o.id)
                    ),
                );
            }
            c.id(|| at("kind"), &o.kind);
            for (name, value) in &o.attributes {
                c.id(|| format!("outcomes[{i}].attributes"), name);
                if let AttributeValue::Text(text) = value {
                    c.text(|| format!("outcomes[{i}].attributes.{name}"), text);
                }
            }
            if let Some(as_of) = as_of {
                if o.date > as_of {
                    c.report(
                        at("date"),
                        format!(
                            "`{}` is after {as_of_name} `{}`",
                            format_date(o.date),
                            format_date(as_of)
                        ),
                    );
                }
            }
            for (j, evidence) in o.evidence.iter().enumerate() {
                let path = || format!("outcomes[{i}].evidence[{j}]");
                c.id(path, evidence);
                if o.evidence[..j].contains(evidence) {
                    c.report(path(), format!("`{}` is listed twice", quote(evidence)));
                }
            }
            if let Some(institution) = &o.institution {
                c.id(|| at("institution"), institution);
            }
        }

        // Exceptions that would contradict each other, by what they act on.
        let mut waived: HashMap<&str, usize> = HashMap::default();
        let mut substituted: HashMap<&str, usize> = HashMap::default();
        let mut version: Option<usize> = None;
        for (i, e) in self.exceptions.iter().enumerate() {
            let at = |field: &str| format!("exceptions[{i}].{field}");
            match &e.action {
                ExceptionAction::Waive { requirement } => {
                    c.id(|| at("waive"), requirement);
                    if let Some(first) = waived.insert(requirement, i) {
                        c.report(
                            at("waive"),
                            format!(
                                "`{}` is waived by exceptions[{first}] already",
                                quote(requirement)
                            ),
                        );
                    }
                }
                ExceptionAction::Substitute { course, replaces } => {
                    c.id(|| at("substitute"), course);
                    c.id(|| at("for"), replaces);
                    if course == replaces {
                        c.report(
                            at("for"),
                            format!("`{}` cannot stand in for itself", quote(course)),
                        );
                    }
                    if let Some(first) = substituted.insert(replaces, i) {
                        c.report(
                            at("for"),
                            format!(
                                "`{}` has a substitute in exceptions[{first}] already",
                                quote(replaces)
                            ),
                        );
                    }
                }
                ExceptionAction::Force { category, credits } => {
                    c.id(|| at("force"), category);
                    if *credits <= Decimal::ZERO {
                        c.report(
                            at("credits"),
                            format!("`{credits}`: forced credits must be more than 0"),
                        );
                    }
                }
                ExceptionAction::Version { version: v } => {
                    c.id(|| at("version"), v);
                    if let Some(first) = version.replace(i) {
                        c.report(
                            at("version"),
                            format!("exceptions[{first}] overrides the version already"),
                        );
                    }
                }
            }
            if e.by.trim().is_empty() {
                c.report(at("by"), "say who granted the exception".into());
            }
            if e.reason.trim().is_empty() {
                c.report(at("reason"), "say why the exception was granted".into());
            }
        }
        c.problems
    }
}

struct Checker<'a> {
    learner: &'a str,
    /// No string of the record holds a control character: `text` need not look for one.
    control_free: bool,
    problems: Vec<RecordError>,
}

impl Checker<'_> {
    fn report(&mut self, path: String, message: String) {
        self.problems
            .push(RecordError::invalid(self.learner, path, message));
    }

    /// An id (of the learner, a course, a kind, ...): not blank, no blanks around it (they
    /// would make it silently differ from the id it means), no control characters.
    /// Paths are built only for a problem: a valid record formats none.
    #[inline]
    fn id(&mut self, path: impl FnOnce() -> String, id: &str) {
        // Only the first and last characters decide whether there are blanks around it: no
        // need to trim a valid id (most of a record's strings) to find out. Most ids begin
        // and end in ASCII, where every blank is at most a space: such an id is neither
        // empty nor blank at the ends, and only control characters are left to look for.
        if let [first, .., last] | [first @ last] = id.as_bytes() {
            if is_ascii_non_blank(*first) && is_ascii_non_blank(*last) {
                if !self.control_free {
                    self.text(path, id);
                }
                return;
            }
        }
        let blank_end = id.chars().next().is_none_or(char::is_whitespace)
            || id.chars().next_back().is_some_and(char::is_whitespace);
        if !blank_end {
            self.text(path, id);
        } else if id.trim().is_empty() {
            self.report(path(), "is empty".into());
        } else if id.trim() != id {
            self.report(
                path(),
                format!("`{}` has blanks before or after it", quote(id)),
            );
        } else {
            self.text(path, id);
        }
    }

    /// Free text: no control characters, which no form of the record means to carry.
    // Always inlined: for most text of most records the first test is all there is to do.
    #[allow(clippy::inline_always)]
    #[inline(always)]
    fn text(&mut self, path: impl FnOnce() -> String, text: &str) {
        if self.control_free && !text.is_empty() {
            return;
        }
        self.text_problem(path, text);
    }

    fn text_problem(&mut self, path: impl FnOnce() -> String, text: &str) {
        if !self.control_free && has_control(text) {
            self.report(
                path(),
                format!(
                    "`{}` contains a control character",
                    quote(&text.escape_debug().to_string())
                ),
            );
        } else if text.is_empty() {
            self.report(path(), "is empty".into());
        }
    }
}

/// Whether a score lies from 0 to 100. Most scores are whole numbers, whose digits say so
/// without comparing decimals.
fn is_percentage(score: Decimal) -> bool {
    if score.scale() == 0 && !score.is_sign_negative() {
        return score.mantissa() <= 100;
    }
    score >= Decimal::ZERO && score <= Decimal::ONE_HUNDRED
}

/// An ASCII character that is not whitespace (`char::is_whitespace`): every ASCII blank is a
/// space or comes before it.
fn is_ascii_non_blank(b: u8) -> bool {
    b > b' ' && b.is_ascii()
}

/// True when `text` holds a control character (`char::is_control`: U+0000 to U+001F and
/// U+007F to U+009F), found byte by byte: U+0080 to U+009F are encoded `C2 80` to `C2 9F`,
/// and no other character's encoding holds those bytes after a `C2`.
fn has_control(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most text has none of the three bytes that can start one: look for those first, a
    // chunk at a time without branching per byte (which the compiler can vectorise).
    let mut suspect = 0u8;
    for &b in bytes {
        suspect |= u8::from(b < 0x20) | u8::from(b == 0x7f) | u8::from(b == 0xc2);
    }
    if suspect == 0 {
        return false;
    }
    bytes.iter().enumerate().any(|(i, &b)| {
        b < 0x20
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

#[cfg(test)]
mod tests {
    use super::{has_control, is_percentage};
    use rust_decimal::Decimal;

    #[test]
    fn percentages_are_from_0_to_100() {
        for (text, ok) in [
            ("0", true),
            ("-0", true),
            ("100", true),
            ("100.00", true),
            ("101", false),
            ("100.01", false),
            ("-1", false),
            ("-0.5", false),
            ("71.5", true),
            ("79228162514264337593543950335", false),
        ] {
            let d: Decimal = text.parse().unwrap();
            assert_eq!(
                is_percentage(d),
                d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED
            );
            assert_eq!(is_percentage(d), ok, "{text}");
        }
    }

    #[test]
    fn control_characters_are_found_byte_by_byte_as_char_is_control_finds_them() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let text = format!("a{c}中");
            assert_eq!(has_control(&text), c.is_control(), "U+{:04X}", c as u32);
        }
    }
}
