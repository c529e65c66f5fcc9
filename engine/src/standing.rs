//! What a learner has earned, as requirements and warnings read it.
//!
//! The evaluator works out a learner's standing once (credits per category, tag and kind,
//! courses passed, GPA, failed credits, approved outcomes); graduation, program and certificate
//! requirements and the staged warnings are then judged against it. It is a trait so that
//! those judgements can be tested against a standing written by hand.

use crate::plan::{CategoryId, CourseId, Evidence, KindId, TagId, Values};
use rust_decimal::Decimal;

/// An approved non-course outcome, with its attributes read into slots (see
/// [`crate::plan::KindPlan::values`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ApprovedOutcome<'a> {
    /// Its kind.
    pub kind: KindId,
    /// The learner's id for it.
    pub id: &'a str,
    /// Attribute values by slot.
    pub values: Values<'a>,
    /// Evidence supplied, by evidence index.
    pub evidence: Evidence,
}

/// A learner's standing. Figures are exact (unrounded); credits are recognised credits, after
/// caps and institution shares.
pub trait Standing {
    /// The learner's current term, from 1.
    fn current_term(&self) -> u32;
    /// Recognised credits in a category (courses and conversions).
    fn category_credits(&self, category: CategoryId) -> Decimal;
    /// Recognised credits in all categories.
    fn total_credits(&self) -> Decimal;
    /// Credits of passed catalog courses that carry any of `tags`, each course counted once.
    fn tagged_credits(&self, tags: &[TagId]) -> Decimal;
    /// Recognised credits converted from outcomes of a kind.
    fn kind_credits(&self, kind: KindId) -> Decimal;
    /// True when the course is passed (or an exception substitutes a passed course for it).
    fn passed(&self, course: CourseId) -> bool;
    /// The GPA, unrounded; `None` when no course counts yet.
    fn gpa(&self) -> Option<Decimal>;
    /// The GPA over the courses that carry any of `tags` (a program's courses).
    fn gpa_over_tags(&self, tags: &[TagId]) -> Option<Decimal>;
    /// Credits of courses attempted and not (yet) passed.
    fn failed_credits(&self) -> Decimal;
    /// The approved outcomes, of every kind.
    fn approved(&self) -> &[ApprovedOutcome<'_>];
}
