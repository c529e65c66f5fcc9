//! The figures computed from the counts: what every renderer shows, and the JSON schema
//! (docs/STATS.md).

use super::accumulate::{GroupStats, LevelLook, Rate, Stats, Totals, VersionStats};
use super::facts::RulesetFacts;
use super::histogram::{Bin, Bins};
use super::value_counts::ValueCounts;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::BTreeMap;

/// The `schema` field of the JSON output; changes only when a field changes meaning or goes.
pub const SCHEMA: &str = "creditbank-stats/1";

/// At most this many bins in a credit histogram.
const CREDIT_BINS: usize = 12;
/// At most this many bins in the GPA histogram.
const GPA_BINS: usize = 10;

/// Statistics of a cohort, computed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// `program`, `enrolment-year` or `class`; absent when not grouped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by: Option<&'static str>,
    /// The ruleset versions the learners were evaluated under.
    pub rulesets: Vec<RulesetLine>,
    /// Every learner.
    pub overall: GroupSummary,
    /// Each group, sorted by key (empty when not grouped).
    pub groups: Vec<GroupSummary>,
}

/// A ruleset version, and how many learners were evaluated under it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RulesetLine {
    /// The ruleset id.
    pub id: String,
    /// The version.
    pub version: String,
    /// Its title, when the facts of the version are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Learners.
    pub learners: u64,
}

/// The figures of one group (or of every learner).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    /// The group's key; absent for the overall figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Learners in the group.
    pub learners: u64,
    /// Each staged warning, in the rulesets' order.
    pub warnings: Vec<WarningSummary>,
    /// Credits per category, in the rulesets' order.
    pub credits: Vec<CategorySummary>,
    /// Recognised credits in all categories.
    pub total_credits: Distribution,
    /// The GPA, as reported, of the learners who have one.
    pub gpa: Distribution,
    /// Learners without a GPA yet (no graded course counts).
    pub without_gpa: u64,
    /// Graduation eligibility, when any learner's ruleset has a graduation block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graduation: Option<RateSummary>,
    /// Eligibility for each program, by id.
    pub programs: Vec<RateSummary>,
    /// Eligibility for each certificate, by id.
    pub certificates: Vec<RateSummary>,
}

/// One staged warning: how many learners are at each level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WarningSummary {
    /// The warning id.
    pub warning: String,
    /// Its display name, when the facts of a ruleset declaring it are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Learners evaluated under a ruleset that declares the warning (all of the group's
    /// learners when the facts of their ruleset are unknown).
    pub learners: u64,
    /// Each level, mildest first, with the learners whose most severe level it is.
    pub levels: Vec<LevelSummary>,
    /// Learners who reached no level.
    pub none: u64,
}

/// One warning level, counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LevelSummary {
    /// The level id.
    pub level: String,
    /// Its display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `#rrggbb`, as the ruleset configures it.
    pub colour: String,
    /// Learners at this level.
    pub learners: u64,
}

/// The credits of one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CategorySummary {
    /// The category id.
    pub category: String,
    /// Its display name.
    pub name: String,
    /// The distribution.
    #[serde(flatten)]
    pub credits: Distribution,
}

/// A distribution of figures.
///
/// `sum`, `min` and `max` are exact; `mean` is `sum / learners` rounded half-up to four
/// places; the quartiles are interpolated between the two closest ranks and exact unless
/// `approximate_to` is given (see [`ValueCounts`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Distribution {
    /// How many figures (learners).
    pub learners: u64,
    /// The smallest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Decimal>,
    /// The first quartile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q1: Option<Decimal>,
    /// The median.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median: Option<Decimal>,
    /// The third quartile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q3: Option<Decimal>,
    /// The largest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Decimal>,
    /// The mean, rounded half-up to four places.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean: Option<Decimal>,
    /// The exact sum (absent if it exceeds 28 significant digits).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sum: Option<Decimal>,
    /// When the cohort had too many distinct values to keep, the step the quartiles were
    /// floored to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approximate_to: Option<Decimal>,
    /// Learners per bin; the same bins in every group.
    pub histogram: Vec<Bin>,
}

/// How many learners a graduation, program or certificate block was judged for, and met it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RateSummary {
    /// The block id (`graduation` for graduation).
    pub id: String,
    /// Its display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Learners whose ruleset has the block.
    pub learners: u64,
    /// Of which eligible.
    pub met: u64,
    /// `met / learners` as a percentage, rounded half-up to one place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<Decimal>,
}

/// The orders and bins every group shares, worked out once from the overall counts.
struct Layout<'a> {
    facts: &'a RulesetFacts,
    /// Every learner's counts, per version: where names are looked up.
    overall: &'a GroupStats,
    /// The versions of every learner, most learners first.
    versions: Vec<(&'a str, &'a str)>,
    categories: Vec<String>,
    warnings: Vec<WarningLayout>,
    credit_bins: BTreeMap<String, Bins>,
    total_bins: Bins,
    gpa_bins: Option<Bins>,
}

struct WarningLayout {
    id: String,
    /// Level ids, mildest first.
    levels: Vec<String>,
}

/// The ruleset versions of a group's learners, most learners first (then by id and version):
/// where rulesets name an id differently, the name most of the group's learners see wins.
fn ranked(group: &GroupStats) -> Vec<(&str, &str)> {
    let mut versions: Vec<(&str, &str, u64)> = group.rulesets().collect();
    versions.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(b.0)).then(a.1.cmp(b.1)));
    versions.into_iter().map(|(id, v, _)| (id, v)).collect()
}

/// Adds the levels of one version's warning to those of the versions before it: a level not
/// yet known goes right after the level it follows in this version (first if it is first), so
/// that `yellow, red` and `yellow, orange, red` make `yellow, orange, red`.
fn merge_levels<'l>(known: &mut Vec<String>, levels: impl IntoIterator<Item = &'l str>) {
    let mut after: Option<usize> = None;
    for level in levels {
        match known.iter().position(|id| id == level) {
            Some(i) => after = Some(i),
            None => {
                let at = after.map_or(0, |i| i + 1);
                known.insert(at, level.to_string());
                after = Some(at);
            }
        }
    }
}

/// A colour for levels whose colour no ruleset gives (cannot happen for checked rulesets).
const NO_COLOUR: &str = "#888888";

fn credit_bins(counts: &ValueCounts) -> Bins {
    let low = counts.min().unwrap_or(Decimal::ZERO).min(Decimal::ZERO);
    let high = counts.max().unwrap_or(Decimal::ZERO);
    Bins::covering(low, high, CREDIT_BINS, Decimal::ONE, counts.step())
}

impl<'a> Layout<'a> {
    fn new(all: &'a GroupStats, overall: &Totals, facts: &'a RulesetFacts) -> Self {
        let versions = ranked(all);
        let mut layout = Layout {
            facts,
            overall: all,
            versions,
            categories: Vec::new(),
            warnings: Vec::new(),
            credit_bins: BTreeMap::new(),
            total_bins: credit_bins(overall.total_credits()),
            gpa_bins: None,
        };

        let mut categories: Vec<String> = Vec::new();
        let mut warnings: Vec<WarningLayout> = Vec::new();
        for &(id, version) in &layout.versions {
            let declared: Vec<&str> = match facts.get(id, version) {
                Some(v) => v.categories.iter().map(|(c, _)| c.as_str()).collect(),
                None => all
                    .version(id, version)
                    .map(|v| v.categories().iter().map(|c| c.id.as_str()).collect())
                    .unwrap_or_default(),
            };
            for c in declared {
                if overall.category(c).is_some() && !categories.iter().any(|k| k == c) {
                    categories.push(c.to_string());
                }
            }
            for w in facts.get(id, version).map_or(&[][..], |v| &v.warnings) {
                let i = match warnings.iter().position(|known| known.id == w.id) {
                    Some(i) => i,
                    None => {
                        warnings.push(WarningLayout {
                            id: w.id.clone(),
                            levels: Vec::new(),
                        });
                        warnings.len() - 1
                    }
                };
                merge_levels(
                    &mut warnings[i].levels,
                    w.levels.iter().map(|l| l.id.as_str()),
                );
            }
        }
        for (c, _) in overall.credits() {
            if !categories.iter().any(|k| k == c) {
                categories.push(c.to_string());
            }
        }
        for id in overall.warnings() {
            if !warnings.iter().any(|known| known.id == id) {
                warnings.push(WarningLayout {
                    id: id.to_string(),
                    levels: Vec::new(),
                });
            }
        }
        for w in &mut warnings {
            for (level, _) in overall.levels(&w.id) {
                if !w.levels.iter().any(|l| l == level) {
                    w.levels.push(level.to_string());
                }
            }
        }
        layout.categories = categories;
        layout.warnings = warnings;

        layout.credit_bins = overall
            .credits()
            .map(|(id, counts)| (id.to_string(), credit_bins(counts)))
            .collect();
        let gpa = overall.gpa();
        let ranges = || {
            layout
                .versions
                .iter()
                .filter_map(|&(id, v)| facts.get(id, v)?.gpa_range)
        };
        let low = [ranges().map(|r| r.0).min(), gpa.min()]
            .into_iter()
            .flatten()
            .min();
        let high = [ranges().map(|r| r.1).max(), gpa.max()]
            .into_iter()
            .flatten()
            .max();
        layout.gpa_bins = match (low, high) {
            (Some(low), Some(high)) => Some(Bins::covering(
                low,
                high,
                GPA_BINS,
                Decimal::new(1, 1),
                gpa.step(),
            )),
            _ => None,
        };
        layout
    }

    fn version_stats(&self, id: &str, version: &str) -> Option<&'a VersionStats> {
        self.overall.version(id, version)
    }

    /// The group's versions, then every learner's: where to look a name up.
    fn lookup<'g>(
        &'g self,
        group: &'g [(&'g str, &'g str)],
    ) -> impl Iterator<Item = (&'g str, &'g str)> {
        group.iter().chain(&self.versions).copied()
    }

    fn category_name(&self, group: &[(&str, &str)], category: &str) -> String {
        self.lookup(group)
            .find_map(|(id, version)| {
                let from_facts = self.facts.get(id, version).and_then(|v| {
                    v.categories
                        .iter()
                        .find(|(c, _)| c == category)
                        .map(|(_, n)| n.clone())
                });
                from_facts.or_else(|| {
                    self.version_stats(id, version)?
                        .categories()
                        .iter()
                        .find(|c| c.id == category)
                        .map(|c| c.name.clone())
                })
            })
            .unwrap_or_default()
    }

    fn warning_name(&self, group: &[(&str, &str)], warning: &str) -> Option<String> {
        self.lookup(group)
            .find_map(|(id, version)| self.facts.get(id, version)?.warning(warning)?.name.clone())
    }

    /// A level's name and colour.
    fn level_look(&self, group: &[(&str, &str)], warning: &str, level: &str) -> LevelLook {
        self.lookup(group)
            .find_map(|(id, version)| {
                let from_facts = self.facts.get(id, version).and_then(|v| {
                    let l = v.warning(warning)?.levels.iter().find(|l| l.id == level)?;
                    Some(LevelLook {
                        name: l.name.clone(),
                        colour: l.colour.clone(),
                    })
                });
                from_facts.or_else(|| {
                    let counts = self.version_stats(id, version)?.warnings().get(warning)?;
                    Some(counts.get(level)?.look.clone())
                })
            })
            .unwrap_or_else(|| LevelLook {
                name: None,
                colour: NO_COLOUR.to_string(),
            })
    }

    fn block_name(&self, group: &[(&str, &str)], block: &str) -> Option<String> {
        self.lookup(group).find_map(|(id, version)| {
            self.version_stats(id, version)?
                .blocks()
                .find(|b| b.id == block)?
                .name
                .clone()
        })
    }

    fn group(&self, key: Option<&str>, group: &GroupStats) -> GroupSummary {
        let versions = ranked(group);
        let totals = group.totals();
        let warnings = self
            .warnings
            .iter()
            .filter_map(|w| self.warning(w, group, &totals, &versions))
            .collect();
        let credits = self
            .categories
            .iter()
            .filter_map(|id| {
                let counts = totals.category(id)?;
                let bins = self.credit_bins.get(id).copied();
                Some(CategorySummary {
                    category: id.clone(),
                    name: self.category_name(&versions, id),
                    credits: distribution(counts, bins),
                })
            })
            .collect();
        let graduation = totals.graduation();
        let rate = |id: &str, r: Rate| RateSummary {
            id: id.to_string(),
            name: self.block_name(&versions, id),
            learners: r.learners,
            met: r.met,
            rate: percent(r.met, r.learners),
        };
        GroupSummary {
            group: key.map(str::to_string),
            learners: totals.learners(),
            warnings,
            credits,
            total_credits: distribution(totals.total_credits(), Some(self.total_bins)),
            gpa: distribution(totals.gpa(), self.gpa_bins),
            without_gpa: totals.learners().saturating_sub(totals.gpa().count()),
            graduation: (graduation.learners > 0).then(|| rate("graduation", graduation)),
            programs: totals.programs().map(|(id, r)| rate(id, r)).collect(),
            certificates: totals.certificates().map(|(id, r)| rate(id, r)).collect(),
        }
    }

    fn warning(
        &self,
        w: &WarningLayout,
        group: &GroupStats,
        totals: &Totals,
        versions: &[(&str, &str)],
    ) -> Option<WarningSummary> {
        // Learners under a version without the warning could never reach it: they are not
        // counted among those at no level.
        let learners: u64 = group
            .rulesets()
            .filter(|(id, version, _)| {
                self.facts
                    .get(id, version)
                    .is_none_or(|v| v.warning(&w.id).is_some())
            })
            .map(|(_, _, n)| n)
            .sum();
        let reached = totals.reached_any(&w.id);
        if learners == 0 && reached == 0 {
            return None;
        }
        // A group shows the levels its learners' rulesets declare, and any level reached.
        let declared = |level: &str| {
            versions.iter().any(|&(id, version)| {
                self.facts.get(id, version).is_none_or(|v| {
                    v.warning(&w.id)
                        .is_some_and(|wf| wf.levels.iter().any(|l| l.id == level))
                })
            })
        };
        let levels = w
            .levels
            .iter()
            .filter(|level| declared(level) || totals.reached(&w.id, level) > 0)
            .map(|level| {
                let look = self.level_look(versions, &w.id, level);
                LevelSummary {
                    level: level.clone(),
                    name: look.name,
                    colour: look.colour,
                    learners: totals.reached(&w.id, level),
                }
            })
            .collect();
        Some(WarningSummary {
            warning: w.id.clone(),
            name: self.warning_name(versions, &w.id),
            learners: learners.max(reached),
            levels,
            none: learners.saturating_sub(reached),
        })
    }
}

/// `part / whole` as a percentage, rounded half-up to one place.
pub(crate) fn percent(part: u64, whole: u64) -> Option<Decimal> {
    if whole == 0 {
        return None;
    }
    let share = Decimal::from(part)
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(Decimal::from(whole))?;
    let mut share = share.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero);
    // Always one place, so that rates line up: `50.0`, not `50`.
    share.rescale(1);
    Some(share)
}

fn distribution(counts: &ValueCounts, bins: Option<Bins>) -> Distribution {
    let histogram = match bins {
        Some(bins) => bins.label(&counts.histogram(bins.start, bins.width, bins.count)),
        None => Vec::new(),
    };
    Distribution {
        learners: counts.count(),
        min: counts.min().map(|v| v.normalize()),
        q1: counts.quartile(1),
        median: counts.quartile(2),
        q3: counts.quartile(3),
        max: counts.max().map(|v| v.normalize()),
        mean: counts.mean().map(|m| {
            m.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
                .normalize()
        }),
        sum: counts.sum().map(|s| s.normalize()),
        approximate_to: counts.step(),
        histogram,
    }
}

impl Summary {
    /// Computes the figures of `stats`, in the orders and with the names and colours of
    /// `facts` where known.
    pub fn new(stats: &Stats, facts: &RulesetFacts) -> Summary {
        let all = stats.overall();
        let layout = Layout::new(&all, &all.totals(), facts);
        let rulesets = all
            .rulesets()
            .map(|(id, version, learners)| RulesetLine {
                id: id.to_string(),
                version: version.to_string(),
                title: facts.get(id, version).map(|v| v.title.clone()),
                learners,
            })
            .collect();
        Summary {
            schema: SCHEMA,
            group_by: stats.grouping().map(|g| g.name()),
            rulesets,
            overall: layout.group(None, &all),
            groups: stats
                .groups()
                .map(|(key, group)| layout.group(Some(key), group))
                .collect(),
        }
    }

    /// Every group, the overall figures first.
    pub fn all_groups(&self) -> impl Iterator<Item = &GroupSummary> {
        std::iter::once(&self.overall).chain(&self.groups)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_of_two_rulesets_merge_in_order_of_severity() {
        let mut known = Vec::new();
        merge_levels(&mut known, ["yellow", "red"]);
        merge_levels(&mut known, ["yellow", "orange", "red"]);
        merge_levels(&mut known, ["blue", "yellow"]);
        assert_eq!(known, ["blue", "yellow", "orange", "red"]);
    }

    #[test]
    fn rates_are_percentages_rounded_half_up() {
        assert_eq!(percent(1, 3), Some("33.3".parse().unwrap()));
        assert_eq!(percent(2, 3), Some("66.7".parse().unwrap()));
        assert_eq!(percent(1, 8), Some("12.5".parse().unwrap()));
        assert_eq!(percent(1, 16), Some("6.3".parse().unwrap()));
        assert_eq!(percent(1, 2), Some("50.0".parse().unwrap()));
        assert_eq!(
            percent(1, 2).map(|p| p.to_string()),
            Some("50.0".to_string())
        );
        assert_eq!(percent(0, 0), None);
    }
}
