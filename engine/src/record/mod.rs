//! Learner records: what the engine evaluates, read from JSON or YAML (one schema for both,
//! documented in docs/RECORDS.md) and validated before evaluation.
//!
//! Reading and validating a record checks what can be checked without a ruleset: shapes,
//! types, dates, ranges that hold under every ruleset, duplicates. What depends on the
//! ruleset (whether a course code is in the catalog, whether a grade is on a scale, whether an
//! attribute's value is allowed) is the engine's to report, as unrecognised, not rejected.

mod direct;
mod error;
mod parse;
mod serde_impl;
mod validate;

use std::collections::BTreeMap;

use creditbank_dsl::ast::Date;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use error::RecordError;
pub use parse::{from_json, from_json_value, from_yaml};
pub use serde_impl::{format_date, parse_date};

/// One learner's record: identity, the ruleset it is evaluated under, and everything the
/// learner has done that may earn credit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a learner record")]
pub struct LearnerRecord {
    /// The learner's id, e.g. a student number `"2026010001"`.
    pub learner: String,
    /// The ruleset's id, e.g. `"demo-university/undergraduate"`.
    pub program: String,
    /// The enrolment date: selects the version of the ruleset in force for the learner.
    #[serde(with = "serde_impl::date")]
    pub enrolled: Date,
    /// The date the record is evaluated on; when absent the caller supplies "today" (the
    /// engine reads no clock).
    #[serde(
        default,
        with = "serde_impl::opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub as_of: Option<Date>,
    /// The current term, counted from 1.
    #[serde(with = "serde_impl::term")]
    pub term: u32,
    /// Course attempts, in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<CourseAttempt>,
    /// Non-course outcomes deposited in the credit bank.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<Outcome>,
    /// Exceptions granted to this learner by an administrator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
}

impl LearnerRecord {
    /// The date to evaluate on: the record's `as_of` if it has one, else `today`.
    pub fn evaluation_date(&self, today: Date) -> Date {
        self.as_of.unwrap_or(today)
    }

    /// The ruleset version an administrator's exception names for this learner, if any.
    pub fn named_version(&self) -> Option<&str> {
        self.exceptions.iter().find_map(|e| match &e.action {
            ExceptionAction::Version { version } => Some(version.as_str()),
            _ => None,
        })
    }
}

/// One attempt at a course: a course taken in a term, with its result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    try_from = "serde_impl::RawAttempt",
    into = "serde_impl::RawAttempt",
    expecting = "a course attempt"
)]
pub struct CourseAttempt {
    /// The course code, normally one of the ruleset's catalog codes; a code the catalog does
    /// not know (a transfer course) is reported by the engine as unrecognised.
    pub course: String,
    /// The term of the attempt, from 1.
    pub term: u32,
    /// The result: a score, a grade, or a withdrawal.
    pub mark: Mark,
    /// Credits, overriding the catalog's (transfer courses).
    pub credits: Option<Decimal>,
    /// Where the course was taken, an institution id of the ruleset; absent means the
    /// ruleset's own institution.
    pub institution: Option<String>,
    /// The category the credits go to, overriding the catalog's (transfer courses).
    pub category: Option<String>,
}

/// The result of a course attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// A percentage score, written `score: 92.5`.
    Score(Decimal),
    /// A text or pass/fail grade, written `grade: "良好"`: graded by the GPA policy's scales.
    Grade(String),
    /// Withdrawn from the course, written `grade: "W"`: neither passed nor failed.
    Withdrawn,
}

/// A non-course learning outcome (a competition award, a certificate, an internship, ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, expecting = "an outcome")]
pub struct Outcome {
    /// The learner's own id for the outcome, unique in the record.
    pub id: String,
    /// The outcome kind, an id declared by the ruleset's `kind`.
    pub kind: String,
    /// The attribute values, by attribute id.
    #[serde(
        default,
        deserialize_with = "serde_impl::attributes",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub attributes: BTreeMap<String, AttributeValue>,
    /// When the outcome was achieved: the date on the certificate, the end of the internship.
    #[serde(with = "serde_impl::date")]
    pub date: Date,
    /// The evidence supplied, by evidence id of the kind.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The institution the outcome comes from, an institution id of the ruleset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    /// A review already decided; absent means the ruleset's review criteria decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewStatus>,
}

/// An attribute value of an outcome. Text of the shape `YYYY-MM-DD` is read as a date.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeValue {
    /// Text: an enumerated value's id or free text.
    Text(String),
    /// An exact number.
    Number(Decimal),
    /// A calendar date.
    Date(Date),
}

/// A review decision already taken on an outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(
    rename_all = "lowercase",
    expecting = "`approved`, `rejected` or `pending`"
)]
pub enum ReviewStatus {
    /// Approved: converted to credit without applying the review criteria.
    Approved,
    /// Rejected: never converted.
    Rejected,
    /// Awaiting a reviewer: not converted yet.
    Pending,
}

/// An exception granted to one learner, with who granted it and why.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    try_from = "serde_impl::RawException",
    into = "serde_impl::RawException",
    expecting = "an exception"
)]
pub struct Exception {
    /// What the exception does.
    pub action: ExceptionAction,
    /// Who granted it (an office or a person).
    pub by: String,
    /// Why it was granted.
    pub reason: String,
}

/// What an exception does.
#[derive(Clone, Debug, PartialEq)]
pub enum ExceptionAction {
    /// `waive: ID`: a requirement, by its id, counts as met.
    Waive {
        /// The requirement's id.
        requirement: String,
    },
    /// `substitute: A, for: B`: passing course A counts as passing course B.
    Substitute {
        /// The course taken.
        course: String,
        /// The course it stands in for.
        replaces: String,
    },
    /// `force: CATEGORY, credits: N`: N credits added to a category.
    Force {
        /// The category's id.
        category: String,
        /// The credits, more than zero.
        credits: Decimal,
    },
    /// `version: V`: evaluate under ruleset version V instead of the enrolment's.
    Version {
        /// The version, e.g. `"2025.1"`.
        version: String,
    },
}
