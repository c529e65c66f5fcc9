//! Dry-run of a rule change: every learner of a cohort evaluated under the old and the new
//! version of a ruleset, the learners whose results differ, what differs, and which changed
//! rules made the difference.
//!
//! A learner's result differs when any figure of its report does (credits per category and in
//! total, GPA, failed credits, warnings, each requirement of graduation, programs and
//! certificates, each outcome's decision and credits, unrecognised courses, exceptions); only
//! which version produced it is left out of the comparison. Reports are compared without
//! explanations, the cheap way; a learner whose result differs is evaluated again with the rules
//! cited (`Explain::Rules`: the rules without the sentences, which attribution does not read)
//! so that they can be joined with the rules the diff says changed. Once most learners of a run
//! have differed, each is evaluated with the rules cited straight away and compared on those
//! reports with their explanations dropped (see [`ChangeRate`]): the same answer for two
//! evaluations fewer per learner.

mod compare;
mod impact;

#[cfg(test)]
mod tests;

pub use compare::{compare, Attribution, Compared, Difference, LearnerChange};
pub use impact::{Impact, ImpactDocument, Transition};

use creditbank_dsl::ast::Date;
use creditbank_dsl::diff::RulesetDiff;
use creditbank_engine::evaluate::Plan;
use std::sync::atomic::{AtomicU64, Ordering};

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
    /// How many learners have differed so far.
    pub rate: ChangeRate,
}

/// How many of the learners compared so far differed, which decides how the next is compared:
/// while most are the same, on reports without explanations (two cheap evaluations, two more
/// citing rules for a learner that differs); once most differ, on reports citing rules, their
/// explanations dropped (two evaluations in all). Both ways give the same answer; only the
/// time differs. Shared by the threads of a run.
#[derive(Debug, Default)]
pub struct ChangeRate {
    compared: AtomicU64,
    changed: AtomicU64,
    /// Set by [`ChangeRate::fixed`]: always one way.
    fixed: Option<bool>,
}

impl ChangeRate {
    /// Learners compared the cheap way before the rate is trusted.
    const WARM_UP: u64 = 32;

    /// Always compare on reports citing rules (`true`) or without explanations (`false`),
    /// whatever the rate: for tests and benchmarks of either way.
    pub fn fixed(with_rules: bool) -> ChangeRate {
        ChangeRate {
            fixed: Some(with_rules),
            ..ChangeRate::default()
        }
    }

    /// True when the next learner is best compared on reports citing rules.
    pub fn mostly_changed(&self) -> bool {
        if let Some(fixed) = self.fixed {
            return fixed;
        }
        let compared = self.compared.load(Ordering::Relaxed);
        let changed = self.changed.load(Ordering::Relaxed);
        compared >= Self::WARM_UP && changed.saturating_mul(2) > compared
    }

    fn record(&self, changed: bool) {
        self.compared.fetch_add(1, Ordering::Relaxed);
        if changed {
            self.changed.fetch_add(1, Ordering::Relaxed);
        }
    }
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
