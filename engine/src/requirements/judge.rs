//! Judging a learner's standing against the compiled requirements.

use super::{BlockKind, BlockPlan, BlockRef, Check, Reporting, RequirementPlan, RequirementsPlan};
use crate::plan::TagId;
use crate::record::{Exception, ExceptionAction};
use crate::round;
use crate::standing::Standing;
use crate::text::Text;
use rust_decimal::{Decimal, RoundingStrategy};

/// Whether a requirement is met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status<'a> {
    /// The learner's figures meet it.
    Met,
    /// They do not.
    Unmet,
    /// An exception waives it: it counts as met whatever the figures.
    Waived {
        /// Who granted the exception.
        by: &'a str,
        /// Why.
        reason: &'a str,
    },
}

impl Status<'_> {
    /// True when the requirement counts as met (met or waived).
    pub fn counts_as_met(self) -> bool {
        !matches!(self, Status::Unmet)
    }
}

/// A figure a requirement compares, exact and unrounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// Credits.
    Credits(Decimal),
    /// A GPA; `None` when no course counts yet.
    Gpa(Option<Decimal>),
    /// A number of courses or outcomes.
    Count(u32),
    /// Whether another block is met.
    Met(bool),
}

/// How a GPA below its minimum could still reach it.
///
/// The average needed is `(minimum × total needed − GPA × credits earned) / remaining`, where
/// the total needed is the graduation `total at least` minimum and the remaining credits are that
/// minimum less the credits earned. This treats every credit, earned or to come, as weighing in
/// the GPA alike: a standing does not say which earned credits the GPA counts, so the figure is
/// a guide, not a promise. It is not computed for a program's GPA, which has no total to go by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GpaOutlook {
    /// An average of `average` over the `remaining` credits would reach the minimum.
    Reachable {
        /// The average needed (exact).
        average: Decimal,
        /// The credits still to earn.
        remaining: Decimal,
    },
    /// The average needed is above the most points a course can earn.
    Unreachable {
        /// The average needed (exact).
        average: Decimal,
        /// The credits still to earn.
        remaining: Decimal,
        /// The most points a course can earn.
        max_points: Decimal,
    },
    /// The learner has earned the total already: there are no remaining credits to average.
    NoCreditsRemain,
    /// No total to count the remaining credits against (a program, or no `total` requirement).
    NotComputable,
}

/// What an unmet requirement lacks, in numbers; [`Shortfall::describe`] puts it in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shortfall<'a> {
    /// `more` credits, of a category, tag or kind (`None`: credits in all).
    Credits {
        /// The credits lacking (exact).
        more: Decimal,
        /// Which credits.
        of: Option<&'a str>,
    },
    /// Failed credits above the maximum.
    FailedCredits {
        /// The failed credits.
        have: Decimal,
        /// The maximum.
        at_most: Decimal,
    },
    /// A GPA below its minimum, or none yet.
    Gpa {
        /// The GPA.
        have: Option<Decimal>,
        /// The minimum.
        need: Decimal,
        /// What average over the remaining credits would reach it.
        outlook: GpaOutlook,
    },
    /// Required courses not passed, in the order the requirement lists them.
    Courses {
        /// Their codes.
        missing: Vec<&'a str>,
    },
    /// An `N of` group short of `more` courses.
    NOf {
        /// How many more must be passed.
        more: u32,
        /// The listed courses not passed yet.
        candidates: Vec<&'a str>,
    },
    /// Fewer qualifying approved outcomes than required.
    Count {
        /// How many more.
        more: u32,
        /// Of which kind.
        kind: &'a str,
    },
    /// A required program, or graduation, not met.
    Block {
        /// `graduation` or the program's id.
        id: &'a str,
    },
}

/// One requirement judged.
#[derive(Clone, Debug)]
pub struct RequirementResult<'a> {
    /// The requirement (id, label, span, citation).
    pub requirement: &'a RequirementPlan,
    /// Met, unmet or waived.
    pub status: Status<'a>,
    /// What the learner has.
    pub have: Figure,
    /// What the requirement asks for.
    pub need: Figure,
    /// What is missing, when the figures fall short (kept for a waived requirement too, so an
    /// explanation can say what the waiver covers).
    pub shortfall: Option<Shortfall<'a>>,
    reporting: Reporting,
}

impl RequirementResult<'_> {
    /// What is missing, in words and numbers ("needs 6.0 more innovation credits").
    pub fn missing(&self) -> Option<String> {
        self.shortfall.as_ref().map(|s| s.describe(self.reporting))
    }
}

/// A graduation, program or certificate block judged.
#[derive(Clone, Debug)]
pub struct BlockResult<'a> {
    /// The block.
    pub block: &'a BlockPlan,
    /// True when every requirement counts as met.
    pub met: bool,
    /// Each requirement, in source order.
    pub requirements: Vec<RequirementResult<'a>>,
}

/// Everything a learner is or is not eligible for.
#[derive(Clone, Debug)]
pub struct Eligibility<'a> {
    /// Graduation, when the ruleset has a graduation block.
    pub graduation: Option<BlockResult<'a>>,
    /// Each program, in source order.
    pub programs: Vec<BlockResult<'a>>,
    /// Each certificate, in source order.
    pub certificates: Vec<BlockResult<'a>>,
    /// Waived requirement ids that name no requirement of the ruleset.
    pub unmatched_waivers: Vec<&'a str>,
}

/// Judges `standing` against every block of `plan`, in dependency order.
///
/// `exceptions` are the learner's exceptions; the `waive` ones make the requirement they name
/// (by id, or `block/id`) count as met, shown as waived with who granted it and why. The
/// others (substitutions, forced credits) are already applied to the standing.
pub fn judge<'a>(
    plan: &'a RequirementsPlan,
    standing: &dyn Standing,
    exceptions: &'a [Exception],
) -> Eligibility<'a> {
    judge_listing(plan, standing, exceptions, true)
}

/// [`judge`]; with `lists` false, a shortfall of courses does not list them (nor the
/// candidates of an N-of group): the statuses and counts are the same, only the words of
/// [`RequirementResult::missing`] lack the codes. For reports without explanations.
pub fn judge_listing<'a>(
    plan: &'a RequirementsPlan,
    standing: &dyn Standing,
    exceptions: &'a [Exception],
    lists: bool,
) -> Eligibility<'a> {
    let waivers: Vec<(&'a str, &'a str, &'a str)> = exceptions
        .iter()
        .filter_map(|e| match &e.action {
            ExceptionAction::Waive { requirement } => {
                Some((requirement.as_str(), e.by.as_str(), e.reason.as_str()))
            }
            _ => None,
        })
        .collect();
    let mut used = vec![false; waivers.len()];
    let count =
        usize::from(plan.graduation.is_some()) + plan.programs.len() + plan.certificates.len();
    let mut results: Vec<Option<BlockResult<'a>>> = vec![None; count];
    let judge = Judge {
        plan,
        standing,
        reporting: plan.reporting,
        lists,
    };
    for &at in plan.order() {
        let (Some(block), Some(slot)) = (plan.block(at), plan.position(at)) else {
            continue;
        };
        let met_of = |r: BlockRef| {
            plan.position(r)
                .and_then(|i| results.get(i))
                .and_then(|b| b.as_ref())
                .is_some_and(|b| b.met)
        };
        let requirements: Vec<RequirementResult<'a>> = block
            .requirements
            .iter()
            .map(|r| {
                let mut result = judge.requirement(block, r, &met_of);
                let waiver = waivers
                    .iter()
                    .position(|(id, _, _)| *id == r.id || *id == r.qualified_id);
                if let Some(w) = waiver {
                    if let (Some(flag), Some(&(_, by, reason))) = (used.get_mut(w), waivers.get(w))
                    {
                        *flag = true;
                        result.status = Status::Waived { by, reason };
                    }
                }
                result
            })
            .collect();
        let met = requirements.iter().all(|r| r.status.counts_as_met());
        if let Some(place) = results.get_mut(slot) {
            *place = Some(BlockResult {
                block,
                met,
                requirements,
            });
        }
    }
    let mut blocks = results.into_iter();
    let graduation = if plan.graduation.is_some() {
        blocks.next().flatten()
    } else {
        None
    };
    let programs = blocks
        .by_ref()
        .take(plan.programs.len())
        .flatten()
        .collect();
    let certificates = blocks.flatten().collect();
    let unmatched_waivers = waivers
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|((id, _, _), _)| *id)
        .collect();
    Eligibility {
        graduation,
        programs,
        certificates,
        unmatched_waivers,
    }
}

struct Judge<'p, 's> {
    plan: &'p RequirementsPlan,
    standing: &'s dyn Standing,
    reporting: Reporting,
    lists: bool,
}

impl<'p> Judge<'p, '_> {
    fn requirement(
        &self,
        block: &'p BlockPlan,
        r: &'p RequirementPlan,
        met_of: &dyn Fn(BlockRef) -> bool,
    ) -> RequirementResult<'p> {
        let s = self.standing;
        let program_tags: Option<&[TagId]> = match &block.kind {
            BlockKind::Program { tags, .. } => Some(tags),
            _ => None,
        };
        let credits = |have: Decimal, at_least: Decimal, of: Option<&'p str>| {
            let shortfall = (have < at_least).then(|| Shortfall::Credits {
                more: at_least - have,
                of,
            });
            (Figure::Credits(have), Figure::Credits(at_least), shortfall)
        };
        let (have, need, shortfall) = match &r.check {
            Check::Total(n) => {
                let have = match program_tags {
                    Some(tags) => s.tagged_credits(tags),
                    None => s.total_credits(),
                };
                credits(have, *n, None)
            }
            Check::Category {
                category,
                name,
                at_least,
            } => credits(s.category_credits(*category), *at_least, Some(name)),
            Check::Tagged {
                tag,
                name,
                at_least,
            } => {
                let have = match tag {
                    Some(t) => s.tagged_credits(std::slice::from_ref(t)),
                    None => Decimal::ZERO,
                };
                credits(have, *at_least, Some(name))
            }
            Check::Kind {
                kind,
                name,
                at_least,
            } => credits(s.kind_credits(*kind), *at_least, Some(name)),
            Check::Count {
                kind,
                name,
                filter,
                at_least,
            } => {
                // An outcome whose filter cannot be evaluated (a value of the wrong type) does
                // not qualify: the record validation reports such values.
                let qualifying = s
                    .approved()
                    .iter()
                    .filter(|o| o.kind == *kind)
                    .filter(|o| {
                        filter
                            .as_ref()
                            .is_none_or(|f| f.eval(&o.values, &o.evidence).unwrap_or(false))
                    })
                    .count();
                let have = u32::try_from(qualifying).unwrap_or(u32::MAX);
                let shortfall = (have < *at_least).then(|| Shortfall::Count {
                    more: at_least - have,
                    kind: name,
                });
                (Figure::Count(have), Figure::Count(*at_least), shortfall)
            }
            Check::Gpa(n) => {
                let have = match program_tags {
                    Some(tags) => s.gpa_over_tags(tags),
                    None => s.gpa(),
                };
                let short = have.is_none_or(|g| g < *n);
                let shortfall = short.then(|| Shortfall::Gpa {
                    have,
                    need: *n,
                    outlook: match program_tags {
                        Some(_) => GpaOutlook::NotComputable,
                        None => self.outlook(have, *n),
                    },
                });
                (Figure::Gpa(have), Figure::Gpa(Some(*n)), shortfall)
            }
            Check::FailedCredits(n) => {
                let have = s.failed_credits();
                let shortfall =
                    (have > *n).then_some(Shortfall::FailedCredits { have, at_most: *n });
                (Figure::Credits(have), Figure::Credits(*n), shortfall)
            }
            Check::Courses { courses, codes } => {
                let passed = courses.iter().filter(|c| s.passed(**c)).count();
                let missing: Vec<&'p str> = if self.lists && passed < courses.len() {
                    courses
                        .iter()
                        .zip(codes)
                        .filter(|(c, _)| !s.passed(**c))
                        .map(|(_, code)| code.as_str())
                        .collect()
                } else {
                    Vec::new()
                };
                let total = u32::try_from(courses.len()).unwrap_or(u32::MAX);
                let passed = u32::try_from(passed).unwrap_or(u32::MAX);
                let shortfall = (passed < total).then_some(Shortfall::Courses { missing });
                (Figure::Count(passed), Figure::Count(total), shortfall)
            }
            Check::NOf { n, courses, codes } => {
                let passed = courses.iter().filter(|c| s.passed(**c)).count();
                let passed = u32::try_from(passed).unwrap_or(u32::MAX);
                let shortfall = (passed < *n).then(|| Shortfall::NOf {
                    more: n - passed,
                    candidates: if self.lists {
                        courses
                            .iter()
                            .zip(codes)
                            .filter(|(c, _)| !s.passed(**c))
                            .map(|(_, code)| code.as_str())
                            .collect()
                    } else {
                        Vec::new()
                    },
                });
                (Figure::Count(passed), Figure::Count(*n), shortfall)
            }
            Check::Program(p) => {
                let at = BlockRef::Program(*p);
                let met = met_of(at);
                let id = self.plan.block(at).map_or("", |b| b.id.as_str());
                let shortfall = (!met).then_some(Shortfall::Block { id });
                (Figure::Met(met), Figure::Met(true), shortfall)
            }
            Check::Graduation => {
                let met = met_of(BlockRef::Graduation);
                let shortfall = (!met).then_some(Shortfall::Block { id: "graduation" });
                (Figure::Met(met), Figure::Met(true), shortfall)
            }
        };
        RequirementResult {
            requirement: r,
            status: if shortfall.is_some() {
                Status::Unmet
            } else {
                Status::Met
            },
            have,
            need,
            shortfall,
            reporting: self.reporting,
        }
    }

    /// The average needed over the remaining credits (see [`GpaOutlook`]).
    fn outlook(&self, have: Option<Decimal>, need: Decimal) -> GpaOutlook {
        let Some(total) = self.plan.total_needed else {
            return GpaOutlook::NotComputable;
        };
        let earned = self.standing.total_credits();
        let remaining = total - earned;
        if remaining <= Decimal::ZERO {
            return GpaOutlook::NoCreditsRemain;
        }
        // No GPA yet: nothing earned weighs in it, so the minimum itself is the average needed.
        let (gpa, weight) = match have {
            Some(g) => (g, earned),
            None => (Decimal::ZERO, Decimal::ZERO),
        };
        let average = need
            .checked_mul(weight + remaining)
            .and_then(|target| {
                gpa.checked_mul(weight)
                    .and_then(|now| target.checked_sub(now))
            })
            .and_then(|points| points.checked_div(remaining));
        match average {
            Some(average) if average <= self.plan.max_points => {
                GpaOutlook::Reachable { average, remaining }
            }
            Some(average) => GpaOutlook::Unreachable {
                average,
                remaining,
                max_points: self.plan.max_points,
            },
            None => GpaOutlook::NotComputable,
        }
    }
}

/// Rounds up, away from zero: a shortfall or an average needed must never read lower than it
/// is ("needs 0.0 more" for 0.04). `rounding.rs` rounds reported figures with the header's
/// mode; this is the one figure where the mode would mislead.
/// `text` with `items` appended, separated by `, `.
fn joined(mut text: Text, items: &[&str]) -> String {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            text = text.str(", ");
        }
        text = text.str(item);
    }
    text.done()
}

fn round_up(value: Decimal, places: u32) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(places, RoundingStrategy::AwayFromZero);
    rounded.rescale(places);
    rounded
}

impl Shortfall<'_> {
    /// The shortfall in words and numbers, figures rounded as the ruleset reports them (what
    /// is lacking and an average needed rounded up, so that they are enough).
    pub fn describe(&self, reporting: Reporting) -> String {
        let (cmode, cplaces) = reporting.credits;
        let (gmode, gplaces) = reporting.gpa;
        let credits = |x: Decimal| round(x, cmode, cplaces);
        let gpa = |x: Decimal| round(x, gmode, gplaces);
        // Written by hand (see `text`): a report has a shortfall for most requirements.
        match self {
            Shortfall::Credits { more, of } => {
                let text = Text::new(40)
                    .str("needs ")
                    .decimal(round_up(*more, cplaces))
                    .str(" more ");
                match of {
                    Some(of) => text.str(of).str(" credits").done(),
                    None => text.str("credits").done(),
                }
            }
            Shortfall::FailedCredits { have, at_most } => Text::new(56)
                .decimal(credits(*have))
                .str(" failed credits, more than the ")
                .decimal(credits(*at_most))
                .str(" allowed")
                .done(),
            Shortfall::Gpa {
                have: None, need, ..
            } => Text::new(24)
                .str("no GPA yet; needs ")
                .decimal(gpa(*need))
                .done(),
            Shortfall::Gpa {
                have: Some(have),
                need,
                outlook,
            } => {
                let text = Text::new(128)
                    .str("GPA ")
                    .decimal(gpa(*have))
                    .str(" < ")
                    .decimal(gpa(*need));
                match outlook {
                    GpaOutlook::Reachable { average, remaining } => text
                        .str(": an average of ")
                        .decimal(round_up(*average, gplaces))
                        .str(" over the remaining ")
                        .decimal(credits(*remaining))
                        .str(" credits would reach it")
                        .done(),
                    GpaOutlook::Unreachable {
                        average,
                        remaining,
                        max_points,
                    } => text
                        .str(": the remaining ")
                        .decimal(credits(*remaining))
                        .str(" credits would need an average of ")
                        .decimal(round_up(*average, gplaces))
                        .str(", above the maximum ")
                        .decimal(gpa(*max_points))
                        .str(": cannot reach it")
                        .done(),
                    GpaOutlook::NoCreditsRemain | GpaOutlook::NotComputable => text.done(),
                }
            }
            Shortfall::Courses { missing } => {
                joined(Text::new(8 + 10 * missing.len()).str("missing "), missing)
            }
            Shortfall::NOf { more, candidates } => {
                let text = Text::new(24 + 10 * candidates.len())
                    .str("needs ")
                    .number(*more)
                    .str(" more of ");
                joined(text, candidates)
            }
            Shortfall::Count { more, kind } => Text::new(kind.len() + 40)
                .str("needs ")
                .number(*more)
                .str(" more approved ")
                .str(kind)
                .str(if *more == 1 { " outcome" } else { " outcomes" })
                .done(),
            Shortfall::Block { id: "graduation" } => {
                "the graduation requirements are not met".to_owned()
            }
            Shortfall::Block { id } => Text::new(id.len() + 20)
                .str("program `")
                .str(id)
                .str("` is not met")
                .done(),
        }
    }
}
