//! A generated learner before it becomes a record: every text borrowed from the ruleset's
//! model or the name pools, every list a reusable buffer. Building a `LearnerRecord` costs
//! hundreds of small allocations (each attribute name, each evidence id); a cohort written as
//! JSON skips them by writing the draft directly, byte for byte as the record would be written.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use creditbank_dsl::ast::Date;
use creditbank_engine::record::{
    AttributeValue, CourseAttempt, Exception, ExceptionAction, LearnerRecord, Mark, Outcome,
    ReviewStatus,
};
use rust_decimal::Decimal;

use crate::input::json_out as json;

/// A course result.
#[derive(Clone, Copy, Debug)]
pub(crate) enum MarkDraft<'m> {
    Score(Decimal),
    Grade(&'m str),
    Withdrawn,
}

#[derive(Clone, Debug)]
pub(crate) struct AttemptDraft<'m> {
    pub course: Cow<'m, str>,
    pub term: u32,
    pub mark: MarkDraft<'m>,
    pub credits: Option<Decimal>,
    pub institution: Option<&'m str>,
    pub category: Option<&'m str>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum ValueDraft<'m> {
    Text(&'m str),
    Number(Decimal),
    Date(Date),
}

#[derive(Clone, Debug)]
pub(crate) struct OutcomeDraft<'m> {
    pub kind: &'m str,
    /// The outcome's number in the record, from 1: its id is `{kind}-{number}`.
    pub number: usize,
    pub date: Date,
    /// Into the draft's attributes, sorted by name (as a record's map keeps them).
    pub attributes: Range<usize>,
    /// Into the draft's evidence.
    pub evidence: Range<usize>,
    pub institution: Option<&'m str>,
    pub review: Option<ReviewStatus>,
}

#[derive(Clone, Debug)]
pub(crate) enum ActionDraft<'m> {
    Waive(&'m str),
    Substitute(Cow<'m, str>, &'m str),
    Force(&'m str, Decimal),
    Version(&'m str),
}

#[derive(Clone, Debug)]
pub(crate) struct ExceptionDraft<'m> {
    pub action: ActionDraft<'m>,
    pub by: &'m str,
    pub reason: &'m str,
}

/// One learner, drafted.
#[derive(Debug, Default)]
pub(crate) struct LearnerDraft<'m> {
    pub index: u64,
    pub program: &'m str,
    pub enrolled: Option<Date>,
    pub as_of: Option<Date>,
    pub term: u32,
    pub courses: Vec<AttemptDraft<'m>>,
    pub outcomes: Vec<OutcomeDraft<'m>>,
    pub attributes: Vec<(&'m str, ValueDraft<'m>)>,
    pub evidence: Vec<&'m str>,
    pub exceptions: Vec<ExceptionDraft<'m>>,
}

/// The 1970 placeholder of a draft not filled yet.
const NO_DATE: Date = Date {
    year: 1970,
    month: 1,
    day: 1,
};

impl<'m> LearnerDraft<'m> {
    /// Empties the draft for the next learner, keeping its buffers.
    pub fn clear(&mut self) {
        self.courses.clear();
        self.outcomes.clear();
        self.attributes.clear();
        self.evidence.clear();
        self.exceptions.clear();
        self.as_of = None;
    }

    /// `{enrolment year}{index + 1, six digits}`, e.g. `2026000042`.
    pub fn learner_id(&self) -> String {
        let year = self.enrolled.unwrap_or(NO_DATE).year;
        format!("{year:04}{:06}", self.index + 1)
    }

    /// The record.
    pub fn to_record(&self) -> LearnerRecord {
        let text = |s: &str| s.to_owned();
        LearnerRecord {
            learner: self.learner_id(),
            program: text(self.program),
            enrolled: self.enrolled.unwrap_or(NO_DATE),
            as_of: self.as_of,
            term: self.term,
            courses: self
                .courses
                .iter()
                .map(|a| CourseAttempt {
                    course: a.course.to_string(),
                    term: a.term,
                    mark: match a.mark {
                        MarkDraft::Score(s) => Mark::Score(s),
                        MarkDraft::Grade(g) => Mark::Grade(text(g)),
                        MarkDraft::Withdrawn => Mark::Withdrawn,
                    },
                    credits: a.credits,
                    institution: a.institution.map(text),
                    category: a.category.map(text),
                })
                .collect(),
            outcomes: self
                .outcomes
                .iter()
                .map(|o| Outcome {
                    id: format!("{}-{}", o.kind, o.number),
                    kind: text(o.kind),
                    attributes: self.attributes[o.attributes.clone()]
                        .iter()
                        .map(|(name, value)| {
                            let value = match *value {
                                ValueDraft::Text(t) => AttributeValue::Text(text(t)),
                                ValueDraft::Number(n) => AttributeValue::Number(n),
                                ValueDraft::Date(d) => AttributeValue::Date(d),
                            };
                            (text(name), value)
                        })
                        .collect::<BTreeMap<_, _>>(),
                    date: o.date,
                    evidence: self.evidence[o.evidence.clone()]
                        .iter()
                        .map(|e| text(e))
                        .collect(),
                    institution: o.institution.map(text),
                    review: o.review,
                })
                .collect(),
            exceptions: self
                .exceptions
                .iter()
                .map(|e| Exception {
                    action: match &e.action {
                        ActionDraft::Waive(r) => ExceptionAction::Waive {
                            requirement: text(r),
                        },
                        ActionDraft::Substitute(course, replaces) => ExceptionAction::Substitute {
                            course: course.to_string(),
                            replaces: text(replaces),
                        },
                        ActionDraft::Force(category, credits) => ExceptionAction::Force {
                            category: text(category),
                            credits: *credits,
                        },
                        ActionDraft::Version(v) => ExceptionAction::Version { version: text(v) },
                    },
                    by: text(e.by),
                    reason: text(e.reason),
                })
                .collect(),
        }
    }

    /// The record as compact JSON, exactly as `to_record` would be written.
    pub fn write_json(&self, b: &mut Vec<u8>) {
        b.extend_from_slice(b"{\"learner\":\"");
        let year = self.enrolled.unwrap_or(NO_DATE).year;
        json::padded(b, u64::from(year), 4);
        json::padded(b, self.index + 1, 6);
        b.extend_from_slice(b"\",\"program\":");
        json::string(b, self.program);
        b.extend_from_slice(b",\"enrolled\":");
        json::date(b, self.enrolled.unwrap_or(NO_DATE));
        if let Some(as_of) = self.as_of {
            b.extend_from_slice(b",\"as_of\":");
            json::date(b, as_of);
        }
        b.extend_from_slice(b",\"term\":");
        json::unsigned(b, u64::from(self.term));
        if !self.courses.is_empty() {
            b.extend_from_slice(b",\"courses\":[");
            for (i, a) in self.courses.iter().enumerate() {
                if i > 0 {
                    b.push(b',');
                }
                b.extend_from_slice(b"{\"course\":");
                json::string(b, &a.course);
                b.extend_from_slice(b",\"term\":");
                json::unsigned(b, u64::from(a.term));
                match a.mark {
                    MarkDraft::Score(s) => {
                        b.extend_from_slice(b",\"score\":");
                        json::decimal(b, s);
                    }
                    MarkDraft::Grade(g) => {
                        b.extend_from_slice(b",\"grade\":");
                        json::string(b, g);
                    }
                    MarkDraft::Withdrawn => b.extend_from_slice(b",\"grade\":\"W\""),
                }
                if let Some(c) = a.credits {
                    b.extend_from_slice(b",\"credits\":");
                    json::decimal(b, c);
                }
                json::optional(b, "institution", a.institution);
                json::optional(b, "category", a.category);
                b.push(b'}');
            }
            b.push(b']');
        }
        if !self.outcomes.is_empty() {
            b.extend_from_slice(b",\"outcomes\":[");
            for (i, o) in self.outcomes.iter().enumerate() {
                if i > 0 {
                    b.push(b',');
                }
                self.outcome_json(b, o);
            }
            b.push(b']');
        }
        if !self.exceptions.is_empty() {
            b.extend_from_slice(b",\"exceptions\":[");
            for (i, e) in self.exceptions.iter().enumerate() {
                if i > 0 {
                    b.push(b',');
                }
                b.push(b'{');
                match &e.action {
                    ActionDraft::Waive(r) => json::field(b, "waive", r),
                    ActionDraft::Substitute(course, replaces) => {
                        json::field(b, "substitute", course);
                        b.push(b',');
                        json::field(b, "for", replaces);
                    }
                    ActionDraft::Force(category, credits) => {
                        json::field(b, "force", category);
                        b.extend_from_slice(b",\"credits\":");
                        json::decimal(b, *credits);
                    }
                    ActionDraft::Version(v) => json::field(b, "version", v),
                }
                b.push(b',');
                json::field(b, "by", e.by);
                b.push(b',');
                json::field(b, "reason", e.reason);
                b.push(b'}');
            }
            b.push(b']');
        }
        b.push(b'}');
    }

    fn outcome_json(&self, b: &mut Vec<u8>, o: &OutcomeDraft) {
        b.extend_from_slice(b"{\"id\":");
        json::string(b, o.kind);
        // The id is `{kind}-{number}`: the kind's string, reopened.
        b.pop();
        b.push(b'-');
        json::unsigned(b, o.number as u64);
        b.extend_from_slice(b"\",\"kind\":");
        json::string(b, o.kind);
        let attributes = &self.attributes[o.attributes.clone()];
        if !attributes.is_empty() {
            b.extend_from_slice(b",\"attributes\":{");
            for (i, (name, value)) in attributes.iter().enumerate() {
                if i > 0 {
                    b.push(b',');
                }
                json::string(b, name);
                b.push(b':');
                match *value {
                    ValueDraft::Text(t) => json::string(b, t),
                    ValueDraft::Number(n) => json::decimal(b, n),
                    ValueDraft::Date(d) => json::date(b, d),
                }
            }
            b.push(b'}');
        }
        b.extend_from_slice(b",\"date\":");
        json::date(b, o.date);
        let evidence = &self.evidence[o.evidence.clone()];
        if !evidence.is_empty() {
            b.extend_from_slice(b",\"evidence\":[");
            for (i, e) in evidence.iter().enumerate() {
                if i > 0 {
                    b.push(b',');
                }
                json::string(b, e);
            }
            b.push(b']');
        }
        json::optional(b, "institution", o.institution);
        if let Some(review) = o.review {
            json::review(b, review);
        }
        b.push(b'}');
    }
}
