//! The impact of a rule change on a cohort: how many learners changed, and how, as transition
//! counts and credit deltas. Counts only: memory does not grow with the cohort.

use super::compare::{Compared, LearnerChange};
use super::Only;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Learners that moved from one state to another (`yellow -> red: 1,204`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// The state under the old version.
    pub from: String,
    /// The state under the new version.
    pub to: String,
    /// How many learners.
    pub learners: u64,
}

/// The counts of a dry-run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Impact {
    /// Learners read.
    pub learners: u64,
    /// Learners of the ruleset compared.
    pub compared: u64,
    /// Learners of other programs, which the change does not concern.
    pub not_concerned: u64,
    /// Learners that could not be read or evaluated.
    pub errors: u64,
    /// Learners whose result differs.
    pub changed: u64,
    /// Of which graduation, program or certificate eligibility changed.
    pub status_changed: u64,
    /// Of which the most severe warning level changed.
    pub warning_changed: u64,
    /// Of which credits (in a category, in total, failed) changed.
    pub credits_changed: u64,
    /// Of which the GPA changed.
    pub gpa_changed: u64,
    graduation: BTreeMap<(&'static str, &'static str), u64>,
    programs: BTreeMap<(String, &'static str, &'static str), u64>,
    warning_levels: BTreeMap<(String, String), u64>,
    credit_delta: BTreeMap<String, Decimal>,
}

impl Impact {
    /// Counts one learner's comparison.
    pub fn add(&mut self, compared: &Compared) {
        self.learners += 1;
        match compared {
            Compared::NotConcerned => self.not_concerned += 1,
            Compared::Same => self.compared += 1,
            Compared::Changed(change) => {
                self.compared += 1;
                self.add_change(change);
            }
        }
    }

    /// Counts a learner that could not be read or evaluated.
    pub fn add_error(&mut self) {
        self.learners += 1;
        self.errors += 1;
    }

    fn add_change(&mut self, change: &LearnerChange) {
        self.changed += 1;
        self.status_changed += u64::from(Only::StatusChanges.lists(change));
        self.warning_changed += u64::from(Only::WarningChanges.lists(change));
        self.credits_changed += u64::from(Only::CreditChanges.lists(change));
        self.gpa_changed += u64::from(Only::GpaChanges.lists(change));
        let (old, new) = &change.figures;
        if old.graduation != new.graduation {
            *self
                .graduation
                .entry((old.graduation, new.graduation))
                .or_default() += 1;
        }
        let mut ids: Vec<&String> = old.programs.keys().chain(new.programs.keys()).collect();
        ids.sort();
        ids.dedup();
        for id in ids {
            let from = old.programs.get(id).copied().unwrap_or("none");
            let to = new.programs.get(id).copied().unwrap_or("none");
            if from != to {
                *self.programs.entry((id.clone(), from, to)).or_default() += 1;
            }
        }
        if old.warning_level != new.warning_level {
            *self
                .warning_levels
                .entry((old.warning_level.clone(), new.warning_level.clone()))
                .or_default() += 1;
        }
        let mut categories: Vec<&String> =
            old.categories.keys().chain(new.categories.keys()).collect();
        categories.sort();
        categories.dedup();
        for c in categories {
            let from = old.categories.get(c).copied().unwrap_or_default();
            let to = new.categories.get(c).copied().unwrap_or_default();
            if from != to {
                let sum = self.credit_delta.entry(c.clone()).or_default();
                *sum = sum.saturating_add(to - from);
            }
        }
    }

    /// Graduation transitions, most learners first.
    pub fn graduation(&self) -> Vec<Transition> {
        sorted(
            self.graduation
                .iter()
                .map(|((f, t), n)| (f.to_string(), t.to_string(), *n)),
        )
    }

    /// Each program's eligibility transitions.
    pub fn programs(&self) -> BTreeMap<String, Vec<Transition>> {
        let mut out: BTreeMap<String, Vec<(String, String, u64)>> = BTreeMap::new();
        for ((id, f, t), n) in &self.programs {
            out.entry(id.clone())
                .or_default()
                .push((f.to_string(), t.to_string(), *n));
        }
        out.into_iter().map(|(k, v)| (k, sorted(v))).collect()
    }

    /// Transitions of the most severe warning level.
    pub fn warning_levels(&self) -> Vec<Transition> {
        sorted(
            self.warning_levels
                .iter()
                .map(|((f, t), n)| (f.clone(), t.clone(), *n)),
        )
    }

    /// The total credit delta per category, over every changed learner.
    pub fn credit_delta(&self) -> &BTreeMap<String, Decimal> {
        &self.credit_delta
    }

    /// The counts as a serialisable document.
    pub fn document(&self) -> ImpactDocument {
        ImpactDocument {
            learners: self.learners,
            compared: self.compared,
            not_concerned: self.not_concerned,
            errors: self.errors,
            changed: self.changed,
            status_changed: self.status_changed,
            warning_changed: self.warning_changed,
            credits_changed: self.credits_changed,
            gpa_changed: self.gpa_changed,
            graduation: self.graduation(),
            programs: self.programs(),
            warning_levels: self.warning_levels(),
            credit_delta: self.credit_delta.clone(),
        }
    }
}

/// [`Impact`] as JSON writes it.
#[derive(Clone, Debug, Serialize)]
pub struct ImpactDocument {
    /// Learners read.
    pub learners: u64,
    /// Learners of the ruleset compared.
    pub compared: u64,
    /// Learners of other programs.
    pub not_concerned: u64,
    /// Learners that could not be read or evaluated.
    pub errors: u64,
    /// Learners whose result differs.
    pub changed: u64,
    /// Of which eligibility changed.
    pub status_changed: u64,
    /// Of which the most severe warning level changed.
    pub warning_changed: u64,
    /// Of which credits changed.
    pub credits_changed: u64,
    /// Of which the GPA changed.
    pub gpa_changed: u64,
    /// Graduation transitions.
    pub graduation: Vec<Transition>,
    /// Program transitions, by program.
    pub programs: BTreeMap<String, Vec<Transition>>,
    /// Warning level transitions.
    pub warning_levels: Vec<Transition>,
    /// Total credit delta per category.
    pub credit_delta: BTreeMap<String, Decimal>,
}

fn sorted(list: impl IntoIterator<Item = (String, String, u64)>) -> Vec<Transition> {
    let mut v: Vec<Transition> = list
        .into_iter()
        .map(|(from, to, learners)| Transition { from, to, learners })
        .collect();
    v.sort_by(|a, b| {
        b.learners
            .cmp(&a.learners)
            .then_with(|| (&a.from, &a.to).cmp(&(&b.from, &b.to)))
    });
    v
}

/// Groups digits by thousands: `1,204`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "impact: {} learners read, {} of the ruleset compared, {} of other programs, {} errors",
            thousands(self.learners),
            thousands(self.compared),
            thousands(self.not_concerned),
            thousands(self.errors)
        )?;
        writeln!(
            f,
            "  changed: {} (eligibility {}, warning level {}, credits {}, GPA {})",
            thousands(self.changed),
            thousands(self.status_changed),
            thousands(self.warning_changed),
            thousands(self.credits_changed),
            thousands(self.gpa_changed)
        )?;
        let rows = |f: &mut fmt::Formatter<'_>, title: &str, list: Vec<Transition>| {
            if list.is_empty() {
                return Ok(());
            }
            writeln!(f, "  {title}:")?;
            for t in list {
                writeln!(f, "    {} -> {}: {}", t.from, t.to, thousands(t.learners))?;
            }
            Ok(())
        };
        rows(f, "graduation", self.graduation())?;
        for (id, list) in self.programs() {
            rows(f, &format!("program {id}"), list)?;
        }
        rows(f, "warning level", self.warning_levels())?;
        if !self.credit_delta.is_empty() {
            writeln!(f, "  credit delta:")?;
            for (c, d) in &self.credit_delta {
                let sign = if d.is_sign_negative() { "" } else { "+" };
                writeln!(f, "    {c}: {sign}{d}")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1204), "1,204");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
