//! One learner under two versions: whether its result differs, how, and why.

use super::DryRun;
use crate::batch::warning_level;
use crate::input::ItemError;
use creditbank_dsl::diff::{ItemDiff, Version};
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::record::LearnerRecord;
use creditbank_engine::report::{BlockLine, CourseLine, Explain, Report, RuleRef};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// One figure of a learner's result that differs between the versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "what", rename_all = "kebab-case")]
pub enum Difference {
    /// Graduation: `met`, `unmet` or `none` (no graduation block).
    Graduation {
        /// Under the old version.
        old: &'static str,
        /// Under the new version.
        new: &'static str,
    },
    /// A program's eligibility: `met`, `unmet` or `none` (no such program).
    Program {
        /// The program.
        id: String,
        /// Under the old version.
        old: &'static str,
        /// Under the new version.
        new: &'static str,
    },
    /// A certificate: `met`, `unmet` or `none`.
    Certificate {
        /// The certificate.
        id: String,
        /// Under the old version.
        old: &'static str,
        /// Under the new version.
        new: &'static str,
    },
    /// One requirement's status: `met`, `unmet`, `waived` or `none`.
    Requirement {
        /// The requirement.
        id: String,
        /// Under the old version.
        old: &'static str,
        /// Under the new version.
        new: &'static str,
    },
    /// The most severe warning level across warnings (`none` when none is reached).
    WarningLevel {
        /// Under the old version.
        old: String,
        /// Under the new version.
        new: String,
    },
    /// One warning's level (`none` when not reached).
    Warning {
        /// The warning.
        id: String,
        /// Under the old version.
        old: String,
        /// Under the new version.
        new: String,
    },
    /// Credits in a category (none when the version has no such category).
    Category {
        /// The category.
        id: String,
        /// Under the old version.
        old: Option<Decimal>,
        /// Under the new version.
        new: Option<Decimal>,
    },
    /// Credits in all categories.
    Total {
        /// Under the old version.
        old: Decimal,
        /// Under the new version.
        new: Decimal,
    },
    /// The GPA (rounded as each version declares).
    Gpa {
        /// Under the old version.
        old: Option<Decimal>,
        /// Under the new version.
        new: Option<Decimal>,
    },
    /// Failed credits.
    FailedCredits {
        /// Under the old version.
        old: Decimal,
        /// Under the new version.
        new: Decimal,
    },
    /// A non-course outcome's decision and credits (`approved 4.0`).
    Outcome {
        /// The learner's id for it.
        id: String,
        /// Under the old version.
        old: String,
        /// Under the new version.
        new: String,
    },
    /// A course the report lists (unrecognised ones without explanations).
    Course {
        /// The course code.
        id: String,
        /// Under the old version (`none` when not listed).
        old: String,
        /// Under the new version.
        new: String,
    },
    /// Another part of the report (an exception applied or not, a warning's figures).
    Other {
        /// The report field.
        field: &'static str,
    },
}

impl Difference {
    /// True for graduation, program, certificate eligibility.
    fn is_status(&self) -> bool {
        matches!(
            self,
            Difference::Graduation { .. }
                | Difference::Program { .. }
                | Difference::Certificate { .. }
        )
    }
}

fn opt(d: &Option<Decimal>) -> String {
    d.map_or_else(|| "none".to_string(), |d| d.to_string())
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Graduation { old, new } => write!(f, "graduation {old} -> {new}"),
            Difference::Program { id, old, new } => write!(f, "program {id} {old} -> {new}"),
            Difference::Certificate { id, old, new } => {
                write!(f, "certificate {id} {old} -> {new}")
            }
            Difference::Requirement { id, old, new } => {
                write!(f, "requirement {id} {old} -> {new}")
            }
            Difference::WarningLevel { old, new } => write!(f, "warning level {old} -> {new}"),
            Difference::Warning { id, old, new } => write!(f, "warning {id} {old} -> {new}"),
            Difference::Category { id, old, new } => {
                write!(f, "{id} credits {} -> {}", opt(old), opt(new))
            }
            Difference::Total { old, new } => write!(f, "total credits {old} -> {new}"),
            Difference::Gpa { old, new } => write!(f, "GPA {} -> {}", opt(old), opt(new)),
            Difference::FailedCredits { old, new } => {
                write!(f, "failed credits {old} -> {new}")
            }
            Difference::Outcome { id, old, new } => write!(f, "outcome {id} {old} -> {new}"),
            Difference::Course { id, old, new } => write!(f, "course {id} {old} -> {new}"),
            Difference::Other { field } => write!(f, "{field} differ"),
        }
    }
}

/// A changed rule that made a difference for a learner.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Attribution {
    /// The rule, as `kind id` (`cap innovation-per-year`).
    pub rule: String,
    /// What changed in it (`at most 4 per year -> 2 per year`; `added`, `removed`).
    pub change: String,
    /// What it did to this learner (`outcome comp-2028-01 approved 4.0 -> approved 2.0`).
    pub effects: Vec<String>,
}

impl fmt::Display for Attribution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.change)?;
        if !self.effects.is_empty() {
            write!(f, " ({})", self.effects.join("; "))?;
        }
        Ok(())
    }
}

/// A learner whose result differs between the versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LearnerChange {
    /// The learner's id.
    pub learner: String,
    /// The line of the cohort it was read from.
    pub line: usize,
    /// What differs, graduation first.
    pub differences: Vec<Difference>,
    /// The changed rules that made the difference.
    pub because: Vec<Attribution>,
    /// Old and new figures the impact counts.
    #[serde(skip)]
    pub(super) figures: (Figures, Figures),
}

impl LearnerChange {
    /// True when graduation, program or certificate eligibility changed.
    pub fn status_changed(&self) -> bool {
        self.differences.iter().any(Difference::is_status)
    }
}

/// What the impact table counts of one report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Figures {
    pub graduation: &'static str,
    pub programs: BTreeMap<String, &'static str>,
    pub warning_level: String,
    pub categories: BTreeMap<String, Decimal>,
    pub gpa: Option<Decimal>,
}

/// The result of comparing one learner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compared {
    /// The learner's program is not the ruleset compared: the change does not concern it.
    NotConcerned,
    /// The same result under both versions.
    Same,
    /// The result differs.
    Changed(Box<LearnerChange>),
}

fn block_status(b: Option<&BlockLine<'_>>) -> &'static str {
    match b {
        Some(b) if b.met => "met",
        Some(_) => "unmet",
        None => "none",
    }
}

fn figures(r: &Report<'_>) -> Figures {
    Figures {
        graduation: block_status(r.graduation.as_ref()),
        programs: r
            .programs
            .iter()
            .map(|p| (p.id.to_string(), block_status(Some(p))))
            .collect(),
        warning_level: warning_level(r).to_string(),
        categories: r
            .categories
            .iter()
            .map(|c| (c.category.to_string(), c.credits))
            .collect(),
        gpa: r.gpa.as_ref().map(|g| g.value),
    }
}

/// Evaluates `record` (read from `line`) under both versions and compares the results.
pub fn compare<'p>(
    line: usize,
    record: &'p LearnerRecord,
    dry: &DryRun<'p>,
) -> Result<Compared, ItemError> {
    if record.program != dry.old.version.id && record.program != dry.new.version.id {
        return Ok(Compared::NotConcerned);
    }
    let failed = |message: String| ItemError {
        line,
        learner: Some(record.learner.clone()),
        message,
    };
    let run = |plan: &'p Plan, explain: Explain, selected: &'static str| {
        evaluate(plan, record, dry.today, explain, selected).map_err(|e| failed(e.to_string()))
    };
    let (old, mut new, cited) = if dry.rate.mostly_changed() {
        // Most learners differ: evaluate with the rules cited once, and compare without them.
        let old_rules = run(dry.old, Explain::Rules, "dry-run: from")?;
        let new_rules = run(dry.new, Explain::Rules, "dry-run: to")?;
        let (old, new) = (
            old_rules.without_explanations(),
            new_rules.without_explanations(),
        );
        (old, new, Some((old_rules, new_rules)))
    } else {
        let old = run(dry.old, Explain::None, "dry-run: from")?;
        let new = run(dry.new, Explain::None, "dry-run: to")?;
        (old, new, None)
    };
    // Which version produced a report is not a difference.
    new.ruleset = old.ruleset.clone();
    let same = old == new;
    dry.rate.record(!same);
    if same {
        return Ok(Compared::Same);
    }
    let differences = differences(&old, &new);
    // Attribution reads the rules each report cites, not the words saying why.
    let (old_rules, new_rules) = match cited {
        Some(pair) => pair,
        None => (
            run(dry.old, Explain::Rules, "dry-run: from")?,
            run(dry.new, Explain::Rules, "dry-run: to")?,
        ),
    };
    let because = attribute(dry, &old_rules, &new_rules, &differences);
    Ok(Compared::Changed(Box::new(LearnerChange {
        learner: record.learner.clone(),
        line,
        differences,
        because,
        figures: (figures(&old), figures(&new)),
    })))
}

/// Pairs the entries of two keyed lists: every key of either, in first-seen order.
fn paired<'k, T>(
    old: impl IntoIterator<Item = (&'k str, T)>,
    new: impl IntoIterator<Item = (&'k str, T)>,
) -> Vec<(&'k str, Option<T>, Option<T>)> {
    let mut out: Vec<(&'k str, Option<T>, Option<T>)> =
        old.into_iter().map(|(k, v)| (k, Some(v), None)).collect();
    // Every entry before `paired_to` has its new value. Both lists most often hold the same
    // keys in the same order: then the entry there is the first without a new value, the one
    // a search from the start would find, and no search is needed.
    let mut paired_to = 0;
    for (k, v) in new {
        match out.get_mut(paired_to) {
            Some(entry) if entry.0 == k && entry.2.is_none() => entry.2 = Some(v),
            _ => match out.iter_mut().find(|(key, _, n)| *key == k && n.is_none()) {
                Some(entry) => entry.2 = Some(v),
                None => out.push((k, None, Some(v))),
            },
        }
        while out.get(paired_to).is_some_and(|entry| entry.2.is_some()) {
            paired_to += 1;
        }
    }
    out
}

fn differences<'r, 'a>(old: &'r Report<'a>, new: &'r Report<'a>) -> Vec<Difference> {
    let mut out = Vec::new();
    let (og, ng) = (
        block_status(old.graduation.as_ref()),
        block_status(new.graduation.as_ref()),
    );
    if og != ng {
        out.push(Difference::Graduation { old: og, new: ng });
    }
    let blocks = |r: &'r Report<'a>, programs: bool| {
        let list = if programs {
            &r.programs
        } else {
            &r.certificates
        };
        list.iter().map(|b| (b.id, block_status(Some(b))))
    };
    for programs in [true, false] {
        for (id, a, b) in paired(blocks(old, programs), blocks(new, programs)) {
            let (a, b) = (a.unwrap_or("none"), b.unwrap_or("none"));
            if a != b {
                let id = id.to_string();
                out.push(if programs {
                    Difference::Program { id, old: a, new: b }
                } else {
                    Difference::Certificate { id, old: a, new: b }
                });
            }
        }
    }
    // Requirements of a block only one version has are told by the block's own difference.
    let blocks_of = |r: &'r Report<'a>| -> BTreeSet<&'a str> { r.blocks().map(|b| b.id).collect() };
    let both: BTreeSet<&str> = blocks_of(old)
        .intersection(&blocks_of(new))
        .copied()
        .collect();
    let requirements = |r: &'r Report<'a>| {
        r.blocks()
            .filter(|b| both.contains(b.id))
            .flat_map(|b| b.requirements.iter())
            .map(|q| (q.id, q.status))
    };
    for (id, a, b) in paired(requirements(old), requirements(new)) {
        let (a, b) = (a.unwrap_or("none"), b.unwrap_or("none"));
        if a != b {
            out.push(Difference::Requirement {
                id: id.to_string(),
                old: a,
                new: b,
            });
        }
    }
    let (ol, nl) = (warning_level(old), warning_level(new));
    if ol != nl {
        out.push(Difference::WarningLevel {
            old: ol.to_string(),
            new: nl.to_string(),
        });
    }
    for (id, a, b) in paired(
        old.warnings.iter().map(|w| (w.warning, w.level)),
        new.warnings.iter().map(|w| (w.warning, w.level)),
    ) {
        let (a, b) = (a.unwrap_or("none"), b.unwrap_or("none"));
        if a != b {
            out.push(Difference::Warning {
                id: id.to_string(),
                old: a.to_string(),
                new: b.to_string(),
            });
        }
    }
    for (id, a, b) in paired(
        old.categories.iter().map(|c| (c.category, c.credits)),
        new.categories.iter().map(|c| (c.category, c.credits)),
    ) {
        if a != b {
            out.push(Difference::Category {
                id: id.to_string(),
                old: a,
                new: b,
            });
        }
    }
    if old.total_credits != new.total_credits {
        out.push(Difference::Total {
            old: old.total_credits,
            new: new.total_credits,
        });
    }
    let (ogpa, ngpa) = (
        old.gpa.as_ref().map(|g| g.value),
        new.gpa.as_ref().map(|g| g.value),
    );
    if ogpa != ngpa {
        out.push(Difference::Gpa {
            old: ogpa,
            new: ngpa,
        });
    }
    if old.failed_credits != new.failed_credits {
        out.push(Difference::FailedCredits {
            old: old.failed_credits,
            new: new.failed_credits,
        });
    }
    // Each item as `decision credits` (`none` when not listed), written only for the items
    // that differ: most of a changed learner's items do not.
    let said = |item: Option<(&str, Decimal)>| match item {
        Some((word, credits)) => format!("{word} {credits}"),
        None => "none".to_owned(),
    };
    for (id, a, b) in paired(
        old.outcomes.iter().map(|o| (o.id, (o.decision, o.credits))),
        new.outcomes.iter().map(|o| (o.id, (o.decision, o.credits))),
    ) {
        if a != b {
            out.push(Difference::Outcome {
                id: id.to_string(),
                old: said(a),
                new: said(b),
            });
        }
    }
    for (id, a, b) in paired(
        old.courses
            .iter()
            .map(|c| (c.course, (c.status, c.credits))),
        new.courses
            .iter()
            .map(|c| (c.course, (c.status, c.credits))),
    ) {
        if a != b {
            out.push(Difference::Course {
                id: id.to_string(),
                old: said(a),
                new: said(b),
            });
        }
    }
    // Whatever else differs is named by its field, so that no changed learner goes without
    // a difference.
    if out.is_empty() {
        let others: [(&'static str, bool); 6] = [
            ("exceptions", old.exceptions != new.exceptions),
            ("warnings", old.warnings != new.warnings),
            ("gpa", old.gpa != new.gpa),
            ("outcomes", old.outcomes != new.outcomes),
            ("courses", old.courses != new.courses),
            (
                "requirements",
                old.graduation != new.graduation
                    || old.programs != new.programs
                    || old.certificates != new.certificates,
            ),
        ];
        for (field, differs) in others {
            if differs {
                out.push(Difference::Other { field });
            }
        }
    }
    if out.is_empty() {
        out.push(Difference::Other { field: "report" });
    }
    out
}

/// The rules each report cites for the figures that differ, joined with the rules the diff
/// says changed.
fn attribute<'r, 'a>(
    dry: &DryRun<'_>,
    old: &'r Report<'a>,
    new: &'r Report<'a>,
    differences: &[Difference],
) -> Vec<Attribution> {
    // Each effect once, put in words only if a changed rule is cited for it; (version, cited
    // rule, effect) by the effect's index.
    let mut effects: Vec<Effect<'_, '_>> = Vec::new();
    let mut cited: Vec<(Version, &'r RuleRef<'a>, usize)> = Vec::new();
    // The effects of the outcomes, requirements and warnings that differ, by their id, for
    // each report to be read once (the order rules are cited in makes no difference).
    let mut outcomes: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut requirements: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut warnings: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for d in differences {
        let effect = effects.len();
        effects.push(Effect::Difference(d));
        let (by_id, id) = match d {
            Difference::Outcome { id, .. } => (&mut outcomes, id),
            Difference::Requirement { id, .. } => (&mut requirements, id),
            Difference::Warning { id, .. } => (&mut warnings, id),
            Difference::Gpa { .. } => {
                for (version, report) in [(Version::Old, old), (Version::New, new)] {
                    if let Some(rule) = report.gpa.as_ref().and_then(|g| g.rule.as_ref()) {
                        cited.push((version, rule, effect));
                    }
                }
                continue;
            }
            _ => continue,
        };
        by_id.entry(id.as_str()).or_default().push(effect);
    }
    for (version, report) in [(Version::Old, old), (Version::New, new)] {
        let mut cite = |by_id: &FxHashMap<&str, Vec<usize>>, id: &str, rule: &'r RuleRef<'a>| {
            for &effect in by_id.get(id).into_iter().flatten() {
                cited.push((version, rule, effect));
            }
        };
        if !outcomes.is_empty() {
            for o in &report.outcomes {
                for rule in &o.rules {
                    cite(&outcomes, o.id, rule);
                }
            }
        }
        if !requirements.is_empty() {
            for q in report.blocks().flat_map(|b| &b.requirements) {
                if let Some(rule) = &q.rule {
                    cite(&requirements, q.id, rule);
                }
            }
        }
        if !warnings.is_empty() {
            for w in &report.warnings {
                if let Some(rule) = &w.rule {
                    cite(&warnings, w.warning, rule);
                }
            }
        }
    }
    // Courses whose line differs (status, credits, category) cite their entry.
    for (version, report, other) in [(Version::Old, old, new), (Version::New, new, old)] {
        // The other report's course lines sorted by code, for a code's lines to be found by
        // search: made only when a line is not at the same place in both, alike.
        let mut sorted: Option<Vec<&CourseLine<'_>>> = None;
        for (i, c) in report.courses.iter().enumerate() {
            let alike = |o: &CourseLine<'_>| {
                o.course == c.course
                    && o.status == c.status
                    && o.credits == c.credits
                    && o.category == c.category
            };
            let same = other.courses.get(i).is_some_and(alike) || {
                let others = sorted.get_or_insert_with(|| {
                    let mut lines: Vec<&CourseLine<'_>> = other.courses.iter().collect();
                    lines.sort_by_key(|o| o.course);
                    lines
                });
                let from = others.partition_point(|o| o.course < c.course);
                others[from..]
                    .iter()
                    .take_while(|o| o.course == c.course)
                    .any(|o| alike(o))
            };
            if !same {
                if let Some(rule) = &c.rule {
                    cited.push((version, rule, effects.len()));
                    effects.push(Effect::Course(c));
                }
            }
        }
    }
    // Each changed item a cited rule is, with the effect it is cited for, in citing order.
    let hits: Vec<(&ItemDiff, usize)> = cited
        .iter()
        .flat_map(|&(version, rule, effect)| {
            dry.citing(version, rule.kind, rule.id)
                .map(move |item| (item, effect))
        })
        .collect();
    let mut words: Vec<Option<String>> = vec![None; effects.len()];
    for &(_, effect) in &hits {
        if let (Some(slot @ None), Some(e)) = (words.get_mut(effect), effects.get(effect)) {
            *slot = Some(e.to_string());
        }
    }
    // The changed items cited, by kind and id, with the effects of each in order.
    let mut by_item: BTreeMap<(&str, &str), (&ItemDiff, BTreeSet<&str>)> = BTreeMap::new();
    for (item, effect) in hits {
        let entry = by_item
            .entry((item.kind.keyword(), item.id.as_str()))
            .or_insert_with(|| (item, BTreeSet::new()));
        entry.0 = item;
        entry
            .1
            .insert(words.get(effect).and_then(Option::as_deref).unwrap_or(""));
    }
    let mut out: Vec<Attribution> = by_item
        .into_iter()
        .map(|((kind, id), (item, effects))| Attribution {
            rule: format!("{kind} {id}"),
            change: change_text(item),
            effects: effects.into_iter().map(str::to_owned).collect(),
        })
        .collect();
    if out.is_empty() {
        // No cited rule changed: what changed is something reports do not cite (the header's
        // rounding, a category, a scale, a kind, an institution).
        out = dry
            .diff
            .items
            .iter()
            .filter(|i| i.old_rule.is_none() && i.new_rule.is_none())
            .map(|item| Attribution {
                rule: format!("{} {}", item.kind.keyword(), item.id),
                change: change_text(item),
                effects: Vec::new(),
            })
            .collect();
    }
    out
}

/// What a difference did to a learner, put in words only when a changed rule is cited for it.
enum Effect<'d, 'r> {
    /// A difference of the reports.
    Difference(&'d Difference),
    /// A course line that the other report does not have alike.
    Course(&'d CourseLine<'r>),
}

impl fmt::Display for Effect<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Effect::Difference(d) => d.fmt(f),
            Effect::Course(c) => write!(f, "course {} {} {}", c.course, c.status, c.credits),
        }
    }
}

fn change_text(item: &ItemDiff) -> String {
    match item.change {
        creditbank_dsl::diff::Change::Added => "added".to_string(),
        creditbank_dsl::diff::Change::Removed => "removed".to_string(),
        _ => item.summary(),
    }
}

#[cfg(test)]
mod tests {
    use super::paired;
    use proptest::prelude::*;

    /// `paired` as it reads: each new entry joins the first old entry of its key that has no
    /// new value yet, else comes after.
    fn searched<'k>(
        old: &[(&'k str, u8)],
        new: &[(&'k str, u8)],
    ) -> Vec<(&'k str, Option<u8>, Option<u8>)> {
        let mut out: Vec<_> = old.iter().map(|&(k, v)| (k, Some(v), None)).collect();
        for &(k, v) in new {
            match out.iter_mut().find(|(key, _, n)| *key == k && n.is_none()) {
                Some(entry) => entry.2 = Some(v),
                None => out.push((k, None, Some(v))),
            }
        }
        out
    }

    const KEYS: [&str; 4] = ["a", "b", "c", "d"];

    proptest! {
        /// Keys repeated, missing on either side, in the same order or not: the same pairs.
        #[test]
        fn pairs_as_a_search_from_the_start_would(
            old in proptest::collection::vec((0..4usize, any::<u8>()), 0..8),
            new in proptest::collection::vec((0..4usize, any::<u8>()), 0..8),
            same_order in any::<bool>(),
        ) {
            let old: Vec<(&str, u8)> = old.iter().map(|&(k, v)| (KEYS[k], v)).collect();
            let mut new: Vec<(&str, u8)> = new.iter().map(|&(k, v)| (KEYS[k], v)).collect();
            if same_order {
                new = old.iter().map(|&(k, v)| (k, v.wrapping_add(1))).collect();
            }
            prop_assert_eq!(paired(old.clone(), new.clone()), searched(&old, &new));
        }
    }
}
