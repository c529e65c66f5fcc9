//! What the statistics learn from the rulesets rather than from the reports.
//!
//! A report lists only the warnings a learner reached, not the levels a warning has or their
//! order, and no report gives the range of the GPA. The facts of each ruleset version the
//! cohort is evaluated under supply them: every level in the ruleset's order (mildest first,
//! each with its colour, even when no learner reached it), which learners could reach a
//! warning at all (those under a version that declares it), and the GPA scale's range for the
//! GPA histogram. Without facts, the statistics fall back on what the reports show.

use creditbank_engine::evaluate::Plan;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A warning level of a ruleset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelFacts {
    /// The level id (`yellow`).
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// `#rrggbb`.
    pub colour: String,
}

/// A staged warning of a ruleset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningFacts {
    /// The warning id.
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// Its levels, mildest first.
    pub levels: Vec<LevelFacts>,
}

/// What one ruleset version says that reports do not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionFacts {
    /// The ruleset id.
    pub id: String,
    /// The version.
    pub version: String,
    /// The title.
    pub title: String,
    /// Category ids and names, in the ruleset's order.
    pub categories: Vec<(String, String)>,
    /// The warnings, in the ruleset's order.
    pub warnings: Vec<WarningFacts>,
    /// The lowest and highest GPA the ruleset's scales can give, when it has a GPA policy.
    pub gpa_range: Option<(Decimal, Decimal)>,
}

impl VersionFacts {
    /// The facts of a compiled version.
    pub fn from_plan(plan: &Plan) -> Self {
        let categories = plan
            .catalog
            .categories
            .iter()
            .zip(&plan.catalog.category_names)
            .map(|(id, name)| (id.clone(), name.clone()))
            .collect();
        let warnings = plan
            .warnings
            .warnings
            .iter()
            .map(|w| WarningFacts {
                id: w.id.clone(),
                name: w.name.clone(),
                levels: w
                    .levels
                    .iter()
                    .map(|l| LevelFacts {
                        id: l.id.clone(),
                        name: l.name.clone(),
                        colour: l.colour.clone(),
                    })
                    .collect(),
            })
            .collect();
        // Grade points are never negative, so a GPA lies between 0 and the most points a
        // course can earn.
        let gpa_range = plan
            .grading
            .as_ref()
            .map(|_| (Decimal::ZERO, plan.requirements.max_points));
        VersionFacts {
            id: plan.version.id.clone(),
            version: plan.version.version.clone(),
            title: plan.version.title.clone(),
            categories,
            warnings,
            gpa_range,
        }
    }

    /// The warning `id`, if this version declares it.
    pub fn warning(&self, id: &str) -> Option<&WarningFacts> {
        self.warnings.iter().find(|w| w.id == id)
    }
}

/// The facts of every ruleset version a cohort may be evaluated under.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RulesetFacts {
    /// By ruleset id, then version: sorted, so that orders taken from them are stable.
    versions: BTreeMap<String, BTreeMap<String, VersionFacts>>,
}

impl RulesetFacts {
    /// No facts: statistics then rely on the reports alone.
    pub fn new() -> Self {
        Self::default()
    }

    /// The facts of each compiled version.
    pub fn from_plans<'p>(plans: impl IntoIterator<Item = &'p Plan>) -> Self {
        let mut facts = Self::new();
        for plan in plans {
            facts.add(VersionFacts::from_plan(plan));
        }
        facts
    }

    /// Adds (or replaces) the facts of one version.
    pub fn add(&mut self, version: VersionFacts) {
        self.versions
            .entry(version.id.clone())
            .or_default()
            .insert(version.version.clone(), version);
    }

    /// The facts of a version, if known.
    pub fn get(&self, id: &str, version: &str) -> Option<&VersionFacts> {
        self.versions.get(id)?.get(version)
    }

    /// Every version's facts, sorted by ruleset id, then version.
    pub fn all(&self) -> impl Iterator<Item = &VersionFacts> {
        self.versions.values().flat_map(BTreeMap::values)
    }
}
