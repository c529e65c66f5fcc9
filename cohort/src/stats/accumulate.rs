//! The accumulator: counts gathered learner by learner, one per worker, then merged.
//!
//! Everything here is a count or a [`ValueCounts`], so adding learners in any order, or merging
//! the accumulators of any partition of a cohort in any order, gives equal [`Stats`]; and the
//! memory does not grow with the number of learners, only with the number of groups, warning
//! levels, categories and blocks. Display names are kept per ruleset version, as its reports
//! give them, since two rulesets may name the same id differently.

use super::grouping::GroupBy;
use super::value_counts::ValueCounts;
use creditbank_engine::record::LearnerRecord;
use creditbank_engine::report::{BlockLine, Report};
use std::collections::BTreeMap;

/// How many learners a requirement block was judged for, and how many met it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rate {
    /// Learners whose ruleset has the block.
    pub learners: u64,
    /// Of which met (every requirement met or waived).
    pub met: u64,
}

impl Rate {
    fn add(&mut self, block: &BlockLine) {
        self.learners += 1;
        self.met += u64::from(block.met);
    }

    fn merge(&mut self, other: Rate) {
        self.learners += other.learners;
        self.met += other.met;
    }
}

/// The counts of one group of learners (or of all of them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupStats {
    learners: u64,
    /// Learners per ruleset id, then version.
    rulesets: BTreeMap<String, BTreeMap<String, u64>>,
    /// Learners per warning id, then level reached.
    warnings: BTreeMap<String, BTreeMap<String, u64>>,
    /// Credits per category id.
    credits: BTreeMap<String, ValueCounts>,
    total_credits: ValueCounts,
    /// The GPA as reported (rounded as the ruleset declares), of learners who have one.
    gpa: ValueCounts,
    graduation: Rate,
    programs: BTreeMap<String, Rate>,
    certificates: BTreeMap<String, Rate>,
}

/// The entry for `key`, allocating the key only when it is new.
fn entry<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_string(), V::default());
    }
    // INVARIANT: inserted just above when missing.
    map.get_mut(key).unwrap_or_else(|| unreachable!())
}

fn merge_maps<V: Default>(
    into: &mut BTreeMap<String, V>,
    from: &BTreeMap<String, V>,
    merge: impl Fn(&mut V, &V),
) {
    for (key, value) in from {
        merge(entry(into, key), value);
    }
}

impl GroupStats {
    fn add(&mut self, report: &Report) {
        self.learners += 1;
        *entry(
            entry(&mut self.rulesets, report.ruleset.id),
            report.ruleset.version,
        ) += 1;
        for w in &report.warnings {
            *entry(entry(&mut self.warnings, w.warning), w.level) += 1;
        }
        for c in &report.categories {
            entry(&mut self.credits, c.category).add(c.credits);
        }
        self.total_credits.add(report.total_credits);
        if let Some(gpa) = &report.gpa {
            self.gpa.add(gpa.value);
        }
        if let Some(g) = &report.graduation {
            self.graduation.add(g);
        }
        for p in &report.programs {
            entry(&mut self.programs, p.id).add(p);
        }
        for c in &report.certificates {
            entry(&mut self.certificates, c.id).add(c);
        }
    }

    fn merge(&mut self, other: &GroupStats) {
        self.learners += other.learners;
        merge_maps(&mut self.rulesets, &other.rulesets, |a, b| {
            merge_maps(a, b, |x, y| *x += y)
        });
        merge_maps(&mut self.warnings, &other.warnings, |a, b| {
            merge_maps(a, b, |x, y| *x += y)
        });
        merge_maps(&mut self.credits, &other.credits, ValueCounts::merge);
        self.total_credits.merge(&other.total_credits);
        self.gpa.merge(&other.gpa);
        self.graduation.merge(other.graduation);
        merge_maps(&mut self.programs, &other.programs, |a, b| a.merge(*b));
        merge_maps(&mut self.certificates, &other.certificates, |a, b| {
            a.merge(*b)
        });
    }

    /// Learners counted.
    pub fn learners(&self) -> u64 {
        self.learners
    }

    /// Learners evaluated under each ruleset version: `(id, version, learners)`, sorted.
    pub fn rulesets(&self) -> impl Iterator<Item = (&str, &str, u64)> {
        self.rulesets.iter().flat_map(|(id, versions)| {
            versions
                .iter()
                .map(move |(version, &n)| (id.as_str(), version.as_str(), n))
        })
    }

    /// The warning ids reached by anyone, sorted.
    pub fn warnings(&self) -> impl Iterator<Item = &str> {
        self.warnings.keys().map(String::as_str)
    }

    /// The levels of `warning` reached, sorted by level id, with how many learners reached each.
    pub fn levels(&self, warning: &str) -> impl Iterator<Item = (&str, u64)> {
        self.warnings
            .get(warning)
            .into_iter()
            .flat_map(|levels| levels.iter().map(|(l, &n)| (l.as_str(), n)))
    }

    /// Learners whose most severe level of `warning` is `level`.
    pub fn reached(&self, warning: &str, level: &str) -> u64 {
        self.warnings
            .get(warning)
            .and_then(|levels| levels.get(level))
            .copied()
            .unwrap_or(0)
    }

    /// Learners who reached any level of `warning`.
    pub fn reached_any(&self, warning: &str) -> u64 {
        self.warnings
            .get(warning)
            .map_or(0, |levels| levels.values().sum())
    }

    /// The credit distribution of each category, by category id.
    pub fn credits(&self) -> impl Iterator<Item = (&str, &ValueCounts)> {
        self.credits.iter().map(|(c, v)| (c.as_str(), v))
    }

    /// The credit distribution of one category, if any learner's ruleset has it.
    pub fn category(&self, category: &str) -> Option<&ValueCounts> {
        self.credits.get(category)
    }

    /// The distribution of recognised credits in all categories.
    pub fn total_credits(&self) -> &ValueCounts {
        &self.total_credits
    }

    /// The distribution of GPAs, as reported, of the learners who have one.
    pub fn gpa(&self) -> &ValueCounts {
        &self.gpa
    }

    /// Graduation: learners judged and learners eligible.
    pub fn graduation(&self) -> Rate {
        self.graduation
    }

    /// Each program, by id.
    pub fn programs(&self) -> impl Iterator<Item = (&str, Rate)> {
        self.programs.iter().map(|(id, &r)| (id.as_str(), r))
    }

    /// Each certificate, by id.
    pub fn certificates(&self) -> impl Iterator<Item = (&str, Rate)> {
        self.certificates.iter().map(|(id, &r)| (id.as_str(), r))
    }
}

/// A warning level as reports show it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LevelLook {
    /// The level's display name.
    pub name: Option<String>,
    /// `#rrggbb`.
    pub colour: String,
}

/// The display names one ruleset version's reports give, for what the ruleset facts do not
/// name. Within a version an id has one name, so the names do not depend on which learner
/// came first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionNames {
    /// Category id to name.
    pub categories: BTreeMap<String, String>,
    /// Warning id, then level id, to how the level looks.
    pub levels: BTreeMap<String, BTreeMap<String, LevelLook>>,
    /// Program or certificate (or `graduation`) id to name.
    pub blocks: BTreeMap<String, Option<String>>,
}

/// Keeps the smaller of the known value and `offered` (made only if needed), should two
/// reports of one version ever disagree.
fn keep_least<V: Ord>(map: &mut BTreeMap<String, V>, key: &str, offered: impl FnOnce() -> V) {
    match map.get_mut(key) {
        Some(known) => {
            let offered = offered();
            if offered < *known {
                *known = offered;
            }
        }
        None => {
            map.insert(key.to_string(), offered());
        }
    }
}

impl VersionNames {
    fn add(&mut self, report: &Report) {
        // Every learner of a version repeats the same names: compare before allocating.
        for c in &report.categories {
            if self.categories.get(c.category).map(String::as_str) != Some(c.name) {
                keep_least(&mut self.categories, c.category, || c.name.to_string());
            }
        }
        for w in &report.warnings {
            let levels = entry(&mut self.levels, w.warning);
            let name = w.name;
            let same = levels
                .get(w.level)
                .is_some_and(|l| l.colour == w.colour && l.name.as_deref() == name);
            if !same {
                keep_least(levels, w.level, || LevelLook {
                    name: name.map(str::to_string),
                    colour: w.colour.to_string(),
                });
            }
        }
        let blocks = report
            .graduation
            .iter()
            .chain(&report.programs)
            .chain(&report.certificates);
        for b in blocks {
            let name = b.name;
            let known = self.blocks.get(b.id).map(|n| n.as_deref());
            if known != Some(name) {
                keep_least(&mut self.blocks, b.id, || name.map(str::to_string));
            }
        }
    }

    fn merge(&mut self, other: &VersionNames) {
        for (id, name) in &other.categories {
            keep_least(&mut self.categories, id, || name.clone());
        }
        for (warning, levels) in &other.levels {
            let mine = entry(&mut self.levels, warning);
            for (level, look) in levels {
                keep_least(mine, level, || look.clone());
            }
        }
        for (id, name) in &other.blocks {
            keep_least(&mut self.blocks, id, || name.clone());
        }
    }
}

/// The names seen in reports, per ruleset id, then version.
pub type Names = BTreeMap<String, BTreeMap<String, VersionNames>>;

/// Statistics of a cohort: counts over every learner, and per group when grouped.
///
/// Build one per worker with [`Stats::new`], [`add`](Stats::add) each learner's record and
/// report, then [`merge`](Stats::merge) them; then [`Summary::new`](super::Summary::new)
/// computes the figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    grouping: Option<GroupBy>,
    all: GroupStats,
    groups: BTreeMap<String, GroupStats>,
    names: Names,
}

impl Stats {
    /// Empty statistics, grouped by `grouping` if given.
    pub fn new(grouping: Option<GroupBy>) -> Self {
        Stats {
            grouping,
            ..Stats::default()
        }
    }

    /// Counts one learner.
    pub fn add(&mut self, record: &LearnerRecord, report: &Report) {
        self.all.add(report);
        if let Some(grouping) = self.grouping {
            let key = grouping.key(record);
            entry(&mut self.groups, &key).add(report);
        }
        entry(
            entry(&mut self.names, report.ruleset.id),
            report.ruleset.version,
        )
        .add(report);
    }

    /// Adds the learners counted by `other`, which must have the same grouping (the groups of
    /// both are kept as they are).
    pub fn merge(&mut self, other: &Stats) {
        self.all.merge(&other.all);
        merge_maps(&mut self.groups, &other.groups, GroupStats::merge);
        merge_maps(&mut self.names, &other.names, |a, b| {
            merge_maps(a, b, VersionNames::merge)
        });
        if self.grouping.is_none() {
            self.grouping = other.grouping;
        }
    }

    /// [`merge`](Stats::merge), by value, for folds and reductions.
    pub fn merged(mut self, other: Stats) -> Stats {
        self.merge(&other);
        self
    }

    /// What learners are grouped by.
    pub fn grouping(&self) -> Option<GroupBy> {
        self.grouping
    }

    /// The counts of every learner.
    pub fn overall(&self) -> &GroupStats {
        &self.all
    }

    /// The counts of each group, by group key, sorted.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &GroupStats)> {
        self.groups.iter().map(|(k, g)| (k.as_str(), g))
    }

    /// The display names seen in the reports, per ruleset version.
    pub fn names(&self) -> &Names {
        &self.names
    }
}
