//! Dry-run of a rule change: every learner of a cohort evaluated under the old and the new
//! version of a ruleset, the learners whose results differ, what differs, and which changed
//! rules made the difference.
//!
//! A learner's result differs when any figure of its report does (credits per category and in
//! total, GPA, failed credits, warnings, each requirement of graduation, programs and
//! certificates, each outcome's decision and credits, unrecognised courses, exceptions); only
//! which version produced it is left out of the comparison. Reports are compared without
//! explanations, the cheap way; a learner whose result differs is evaluated again with reasons
//! so that the rules its reports cite can be joined with the rules the diff says changed.

mod compare;
mod impact;

#[cfg(test)]
mod tests;

pub use compare::{compare, Attribution, Compared, Difference, LearnerChange};
pub use impact::{Impact, ImpactDocument, Transition};

use creditbank_dsl::ast::Date;
use creditbank_dsl::diff::RulesetDiff;
use creditbank_engine::evaluate::Plan;

/// The two versions compared, and the rule changes between them.
pub struct DryRun<'p> {
    /// The version in force now.
    pub old: &'p Plan,
    /// The candidate version.
    pub new: &'p Plan,
    /// What changed between them.
    pub diff: &'p RulesetDiff,
    /// The evaluation date for records without `as_of`.
    pub today: Option<Date>,
}

/// Which changed learners to list (every changed learner is counted in the impact).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Only {
    /// Every learner whose result differs.
    #[default]
    All,
    /// Graduation, program or certificate eligibility changed.
    StatusChanges,
    /// The most severe warning level changed.
    WarningChanges,
    /// Credits in a category, in total, or failed credits changed.
    CreditChanges,
    /// The GPA changed.
    GpaChanges,
}

impl Only {
    /// True when `change` is listed under this filter.
    pub fn lists(self, change: &LearnerChange) -> bool {
        match self {
            Only::All => true,
            Only::StatusChanges => change.status_changed(),
            Only::WarningChanges => change
                .differences
                .iter()
                .any(|d| matches!(d, Difference::WarningLevel { .. })),
            Only::CreditChanges => change.differences.iter().any(|d| {
                matches!(
                    d,
                    Difference::Category { .. }
                        | Difference::Total { .. }
                        | Difference::FailedCredits { .. }
                )
            }),
            Only::GpaChanges => change
                .differences
                .iter()
                .any(|d| matches!(d, Difference::Gpa { .. })),
        }
    }
}
