//! The evaluation plan: a checked ruleset compiled once into indices, so that evaluating a
//! learner looks things up by number, not by name.
//!
//! INVARIANT: a plan is only compiled from a file without error diagnostics; the compiler
//! still returns an error rather than panicking if a reference does not resolve.

mod catalog;
mod kinds;
mod slots;

pub use catalog::{
    CatalogPlan, CategoryId, CourseId, CoursePlan, InstitutionId, InstitutionPlan, TagId,
};
pub use kinds::{AttributePlan, Evidence, KindId, KindPlan, KindsPlan, ValueError, Values};
pub use slots::Slots;

/// Why a ruleset could not be compiled into a plan (only for files that did not pass `check`).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// A name that the checker would have reported as unknown.
    #[error("unknown {what} `{name}`: check the ruleset before compiling it")]
    Unresolved {
        /// What sort of name (`category`, `course`, ...).
        what: &'static str,
        /// The name.
        name: String,
    },
    /// More entries than an index can hold.
    #[error("too many {0} in one ruleset")]
    TooMany(&'static str),
}
