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
use creditbank_dsl::diff::{ItemDiff, RuleKey, RulesetDiff, Version};
use creditbank_engine::evaluate::Plan;
use rustc_hash::FxHashMap;
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
    /// The changed items that may cite a rule, by the rule's id (an item, or a clause of it,
    /// cites it under the old version, the new or both): attribution looks up each rule a
    /// changed learner's reports cite, and most are in no changed item.
    by_rule_id: FxHashMap<&'p str, Vec<&'p ItemDiff>>,
}

impl<'p> DryRun<'p> {
    /// Compares `old` and `new`, whose changes are `diff`.
    pub fn new(
        old: &'p Plan,
        new: &'p Plan,
        diff: &'p RulesetDiff,
        today: Option<Date>,
        rate: ChangeRate,
    ) -> DryRun<'p> {
        let mut by_rule_id: FxHashMap<&str, Vec<&ItemDiff>> = FxHashMap::default();
        for item in &diff.items {
            for rule in rules_named(item) {
                let items = by_rule_id.entry(rule.id.as_str()).or_default();
                if !items.last().is_some_and(|last| std::ptr::eq(*last, item)) {
                    items.push(item);
                }
            }
        }
        DryRun {
            old,
            new,
            diff,
            today,
            rate,
            by_rule_id,
        }
    }

    /// The changed items that cite the rule `kind id` under `version`, in the diff's order:
    /// [`RulesetDiff::citing`], found by the rule's id.
    pub fn citing<'a>(
        &'a self,
        version: Version,
        kind: &'a str,
        id: &'a str,
    ) -> impl Iterator<Item = &'p ItemDiff> + 'a {
        self.by_rule_id
            .get(id)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |item| item.cites(version, kind, id))
    }
}

/// Every rule a changed item names, under either version: its own, and its clauses'.
fn rules_named(item: &ItemDiff) -> impl Iterator<Item = &RuleKey> {
    let clauses = item.clauses.iter().map(|c| (&c.old_rule, &c.new_rule));
    [(&item.old_rule, &item.new_rule)]
        .into_iter()
        .chain(clauses)
        .flat_map(|(old, new)| [old, new].into_iter().flatten())
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
