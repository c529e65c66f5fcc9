//! The accumulator: counts gathered learner by learner, one per worker, then merged.
//!
//! Everything here is a count or a [`ValueCounts`], so adding learners in any order, or merging
//! the accumulators of any partition of a cohort in any order, gives equal [`Stats`]; and the
//! memory does not grow with the number of learners, only with the number of groups, ruleset
//! versions, warning levels, categories and blocks.
//!
//! Counts are kept per group, then per ruleset version ([`VersionStats`]): every report of a
//! version lists the same categories and blocks in the same order, so a learner is counted by
//! position, with one comparison per category instead of a search, and the display names come
//! with them (two rulesets may name one id differently). [`GroupStats::totals`] adds the
//! versions up by id when the figures are computed. When learners are grouped, only the groups
//! are counted; every learner's counts are the groups' merged ([`Stats::overall`]).

use super::grouping::GroupBy;
use super::value_counts::ValueCounts;
use creditbank_engine::record::LearnerRecord;
use creditbank_engine::report::{BlockLine, Report};
use std::borrow::Cow;
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
    fn merge(&mut self, other: Rate) {
        self.learners += other.learners;
        self.met += other.met;
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

/// Learners at one warning level under one version, and how the level looks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelCounts {
    /// Name and colour, as the version's reports give them.
    pub look: LevelLook,
    /// Learners whose most severe level of the warning this is.
    pub learners: u64,
}

/// Credits of one category under one version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryCounts {
    /// The category id.
    pub id: String,
    /// Its name in this version.
    pub name: String,
    /// The learners' credits.
    pub credits: ValueCounts,
}

/// One graduation, program or certificate block under one version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockCounts {
    /// The block id.
    pub id: String,
    /// Its name in this version.
    pub name: Option<String>,
    /// Learners judged, and eligible.
    pub rate: Rate,
}

/// The counts of the learners of one group evaluated under one ruleset version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionStats {
    learners: u64,
    /// In the ruleset's order.
    categories: Vec<CategoryCounts>,
    total_credits: ValueCounts,
    /// The GPA as reported (rounded as the ruleset declares), of learners who have one.
    gpa: ValueCounts,
    /// By warning id, then level id: only the levels reached are known from reports.
    warnings: BTreeMap<String, BTreeMap<String, LevelCounts>>,
    graduation: Option<BlockCounts>,
    programs: Vec<BlockCounts>,
    certificates: Vec<BlockCounts>,
}

/// The index of the entry with `id`: `hint` when it is there (every report of a version has
/// the same order), else wherever it is, else a new entry made by `make`.
fn slot<T>(
    entries: &mut Vec<T>,
    hint: usize,
    id: &str,
    key: impl Fn(&T) -> &str,
    make: impl FnOnce() -> T,
) -> usize {
    if entries.get(hint).is_some_and(|e| key(e) == id) {
        return hint;
    }
    match entries.iter().position(|e| key(e) == id) {
        Some(i) => i,
        None => {
            entries.push(make());
            entries.len() - 1
        }
    }
}

fn block_counts(b: &BlockLine) -> BlockCounts {
    BlockCounts {
        id: b.id.to_string(),
        name: b.name.map(str::to_string),
        rate: Rate::default(),
    }
}

fn count_blocks(into: &mut Vec<BlockCounts>, blocks: &[BlockLine]) {
    for (i, b) in blocks.iter().enumerate() {
        let at = slot(into, i, b.id, |e| &e.id, || block_counts(b));
        if let Some(entry) = into.get_mut(at) {
            entry.rate.learners += 1;
            entry.rate.met += u64::from(b.met);
        }
    }
}

fn merge_blocks(into: &mut Vec<BlockCounts>, from: &[BlockCounts]) {
    for (i, b) in from.iter().enumerate() {
        let at = slot(
            into,
            i,
            &b.id,
            |e| &e.id,
            || BlockCounts {
                rate: Rate::default(),
                ..b.clone()
            },
        );
        if let Some(entry) = into.get_mut(at) {
            entry.rate.merge(b.rate);
            if b.name < entry.name {
                entry.name.clone_from(&b.name);
            }
        }
    }
}

impl VersionStats {
    fn add(&mut self, report: &Report) {
        self.learners += 1;
        for (i, c) in report.categories.iter().enumerate() {
            let at = slot(
                &mut self.categories,
                i,
                c.category,
                |e| &e.id,
                || CategoryCounts {
                    id: c.category.to_string(),
                    name: c.name.to_string(),
                    credits: ValueCounts::default(),
                },
            );
            if let Some(entry) = self.categories.get_mut(at) {
                entry.credits.add(c.credits);
            }
        }
        self.total_credits.add(report.total_credits);
        if let Some(gpa) = &report.gpa {
            self.gpa.add(gpa.value);
        }
        for w in &report.warnings {
            let levels = entry(&mut self.warnings, w.warning);
            match levels.get_mut(w.level) {
                Some(level) => level.learners += 1,
                None => {
                    levels.insert(
                        w.level.to_string(),
                        LevelCounts {
                            look: LevelLook {
                                name: w.name.map(str::to_string),
                                colour: w.colour.to_string(),
                            },
                            learners: 1,
                        },
                    );
                }
            }
        }
        if let Some(g) = &report.graduation {
            let graduation = self.graduation.get_or_insert_with(|| block_counts(g));
            graduation.rate.learners += 1;
            graduation.rate.met += u64::from(g.met);
        }
        count_blocks(&mut self.programs, &report.programs);
        count_blocks(&mut self.certificates, &report.certificates);
    }

    fn merge(&mut self, other: &VersionStats) {
        self.learners += other.learners;
        for (i, c) in other.categories.iter().enumerate() {
            let at = slot(
                &mut self.categories,
                i,
                &c.id,
                |e| &e.id,
                || CategoryCounts {
                    credits: ValueCounts::default(),
                    ..c.clone()
                },
            );
            if let Some(entry) = self.categories.get_mut(at) {
                entry.credits.merge(&c.credits);
                if c.name < entry.name {
                    entry.name.clone_from(&c.name);
                }
            }
        }
        self.total_credits.merge(&other.total_credits);
        self.gpa.merge(&other.gpa);
        for (warning, levels) in &other.warnings {
            let mine = entry(&mut self.warnings, warning);
            for (level, counts) in levels {
                match mine.get_mut(level) {
                    Some(known) => {
                        known.learners += counts.learners;
                        if counts.look < known.look {
                            known.look = counts.look.clone();
                        }
                    }
                    None => {
                        mine.insert(level.clone(), counts.clone());
                    }
                }
            }
        }
        match (&mut self.graduation, &other.graduation) {
            (Some(mine), Some(theirs)) => {
                mine.rate.merge(theirs.rate);
                if theirs.name < mine.name {
                    mine.name.clone_from(&theirs.name);
                }
            }
            (None, Some(theirs)) => self.graduation = Some(theirs.clone()),
            _ => {}
        }
        merge_blocks(&mut self.programs, &other.programs);
        merge_blocks(&mut self.certificates, &other.certificates);
    }

    /// Learners counted.
    pub fn learners(&self) -> u64 {
        self.learners
    }

    /// Each category, in the ruleset's order, with its name and credits.
    pub fn categories(&self) -> &[CategoryCounts] {
        &self.categories
    }

    /// Each warning reached, by id, then each level reached, by id.
    pub fn warnings(&self) -> &BTreeMap<String, BTreeMap<String, LevelCounts>> {
        &self.warnings
    }

    /// Graduation, programs and certificates, with their names.
    pub fn blocks(&self) -> impl Iterator<Item = &BlockCounts> {
        self.graduation
            .iter()
            .chain(&self.programs)
            .chain(&self.certificates)
    }
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

/// The counts of one group of learners (or of all of them), per ruleset version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GroupStats {
    /// By ruleset id, then version.
    versions: BTreeMap<String, BTreeMap<String, VersionStats>>,
}

impl GroupStats {
    fn add(&mut self, report: &Report) {
        entry(
            entry(&mut self.versions, report.ruleset.id),
            report.ruleset.version,
        )
        .add(report);
    }

    fn merge(&mut self, other: &GroupStats) {
        merge_maps(&mut self.versions, &other.versions, |a, b| {
            merge_maps(a, b, VersionStats::merge)
        });
    }

    /// Learners counted.
    pub fn learners(&self) -> u64 {
        self.versions().map(|(_, _, v)| v.learners).sum()
    }

    /// Learners evaluated under each ruleset version: `(id, version, learners)`, sorted.
    pub fn rulesets(&self) -> impl Iterator<Item = (&str, &str, u64)> {
        self.versions()
            .map(|(id, version, v)| (id, version, v.learners))
    }

    /// The counts of each ruleset version: `(id, version, counts)`, sorted.
    pub fn versions(&self) -> impl Iterator<Item = (&str, &str, &VersionStats)> {
        self.versions.iter().flat_map(|(id, versions)| {
            versions
                .iter()
                .map(move |(version, v)| (id.as_str(), version.as_str(), v))
        })
    }

    /// The counts of one version.
    pub fn version(&self, id: &str, version: &str) -> Option<&VersionStats> {
        self.versions.get(id)?.get(version)
    }

    /// The counts of every version added up by id.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals::default();
        for (_, _, v) in self.versions() {
            totals.learners += v.learners;
            for (warning, levels) in &v.warnings {
                let mine = entry(&mut totals.warnings, warning);
                for (level, counts) in levels {
                    *entry(mine, level) += counts.learners;
                }
            }
            for c in &v.categories {
                entry(&mut totals.credits, &c.id).merge(&c.credits);
            }
            totals.total_credits.merge(&v.total_credits);
            totals.gpa.merge(&v.gpa);
            if let Some(g) = &v.graduation {
                totals.graduation.merge(g.rate);
            }
            for b in &v.programs {
                entry(&mut totals.programs, &b.id).merge(b.rate);
            }
            for b in &v.certificates {
                entry(&mut totals.certificates, &b.id).merge(b.rate);
            }
        }
        totals
    }
}

/// A group's counts added up over its ruleset versions, by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    learners: u64,
    warnings: BTreeMap<String, BTreeMap<String, u64>>,
    credits: BTreeMap<String, ValueCounts>,
    total_credits: ValueCounts,
    gpa: ValueCounts,
    graduation: Rate,
    programs: BTreeMap<String, Rate>,
    certificates: BTreeMap<String, Rate>,
}

impl Totals {
    /// Learners counted.
    pub fn learners(&self) -> u64 {
        self.learners
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

/// Statistics of a cohort: counts over every learner, or per group when grouped.
///
/// Build one per worker with [`Stats::new`], [`add`](Stats::add) each learner's record and
/// report, then [`merge`](Stats::merge) them; then [`Summary::new`](super::Summary::new)
/// computes the figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    grouping: Option<GroupBy>,
    /// Every learner, when not grouped.
    all: GroupStats,
    /// Each group, when grouped.
    groups: BTreeMap<String, GroupStats>,
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
        match self.grouping {
            // The program is the most common grouping: no key to build.
            Some(GroupBy::Program) => entry(&mut self.groups, &record.program).add(report),
            Some(grouping) => entry(&mut self.groups, &grouping.key(record)).add(report),
            None => self.all.add(report),
        }
    }

    /// Adds the learners counted by `other`, which must have the same grouping.
    pub fn merge(&mut self, other: &Stats) {
        self.all.merge(&other.all);
        merge_maps(&mut self.groups, &other.groups, GroupStats::merge);
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

    /// The counts of every learner: when grouped, the groups' counts merged.
    pub fn overall(&self) -> Cow<'_, GroupStats> {
        if self.groups.is_empty() {
            return Cow::Borrowed(&self.all);
        }
        let mut all = self.all.clone();
        for group in self.groups.values() {
            all.merge(group);
        }
        Cow::Owned(all)
    }

    /// The counts of each group, by group key, sorted.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &GroupStats)> {
        self.groups.iter().map(|(k, g)| (k.as_str(), g))
    }
}
