//! Conversion of a learner's outcomes to credit, and the caps (docs/LANGUAGE.md, sections 10,
//! 11 and 17).

use super::caps::{academic_year, expiry_date, term_of, Addition, CapState};
use super::review::Prepared;
use super::{CapId, CreditsPlan, Decision, OutcomesPlan, RuleId, RulePlan, Unrecognised, Verdict};
// Credits are bounded by the caps and the rules; they saturate rather than panic on absurd input.
use crate::exact_sum::saturating_add as add;
use crate::exact_sum::{at_least_zero, not_positive};
use crate::expr::{EvalError, Value};
use crate::few::Few;
use crate::plan::{CategoryId, KindId};
use crate::record::Outcome;
use crate::standing::ApprovedOutcome;
use creditbank_dsl::ast::{CapPeriod, Date};
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// How much a cap cut from one conversion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Clip {
    /// The cap.
    pub cap: CapId,
    /// The credits it cut.
    pub by: Decimal,
    /// For a periodic cap, the period it counted in: the academic year (named by the calendar
    /// year it starts in) or the term.
    pub period: Option<(CapPeriod, i32)>,
}

/// One rule's conversion of one outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Converted<'a> {
    /// The rule.
    pub rule: RuleId,
    /// The category credited.
    pub category: CategoryId,
    /// The base credits, after `rounded down to`.
    pub raw: Decimal,
    /// After the split and the institution share, before caps.
    pub credited: Decimal,
    /// What counts, after `highest only per` and caps; zero for a pending outcome.
    pub recognised: Decimal,
    /// The caps that cut it, in the order they clipped.
    pub clips: Vec<Clip>,
    /// The outcome that counts instead of this one under `highest only per`.
    pub superseded_by: Option<&'a str>,
}

/// Why an outcome, or part of it, is not recognised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotRecognised<'a> {
    /// The outcome cannot be read against the ruleset (boxed, as is `Evaluation`'s error:
    /// the common reasons stay a few words long, so that one is kept inline).
    Unrecognised(Box<Unrecognised>),
    /// The review rejected it.
    Rejected,
    /// It waits for a reviewer.
    Pending,
    /// No conversion rule applies to it (kind, `from` and `when`).
    NoRuleApplies,
    /// A rule would apply but the outcome is too old.
    Expired {
        /// The rule.
        rule: RuleId,
        /// The first day it was expired, `(year, month, day)`.
        since: (u32, u8, u8),
    },
    /// A rule's `highest only per` counts another outcome instead.
    Superseded {
        /// The rule.
        rule: RuleId,
        /// The outcome that counts.
        by: &'a str,
    },
    /// The outcome's rank is not listed in the rule's split.
    RankNotListed {
        /// The rule.
        rule: RuleId,
        /// The rank.
        rank: Decimal,
    },
    /// A rule's credits could not be computed from the outcome's values.
    Evaluation {
        /// The rule.
        rule: RuleId,
        /// What went wrong.
        error: Box<EvalError>,
    },
}

/// The conversions of one outcome. An outcome is nearly always converted by one rule, so one
/// is kept inline: converting an outcome allocates nothing for it.
pub type Conversions<'a> = Few<Converted<'a>>;

/// The result for one outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeResult<'a> {
    /// The learner's id for the outcome.
    pub id: &'a str,
    /// Its kind, when the ruleset knows it.
    pub kind: Option<KindId>,
    /// Its kind as the record writes it (known to the ruleset or not).
    pub kind_text: &'a str,
    /// Its date.
    pub date: Date,
    /// The review decision; `None` when the outcome is unrecognised.
    pub decision: Option<Decision>,
    /// Every rule that converted it, in rule order: nearly always one, kept inline.
    pub conversions: Conversions<'a>,
    /// Credits recognised, after caps.
    pub recognised: Decimal,
    /// For a pending outcome, what it would earn once approved (before `highest only per`
    /// and caps, which depend on the other outcomes); zero otherwise.
    pub would_earn: Decimal,
    /// Why anything was not recognised: most outcomes have no reason or one, kept inline.
    pub reasons: Few<NotRecognised<'a>>,
}

/// A learner's outcomes converted: each outcome's result and the totals.
#[derive(Clone, Debug, PartialEq)]
pub struct Conversion<'a> {
    /// Per outcome, in the order caps serve them: by date, then kind id, then outcome id.
    pub outcomes: Vec<OutcomeResult<'a>>,
    /// Recognised credits per category, by [`CategoryId`].
    pub category_credits: Vec<Decimal>,
    /// Recognised credits per kind, by [`KindId`].
    pub kind_credits: Vec<Decimal>,
    /// All recognised converted credit.
    pub total: Decimal,
    /// The approved outcomes (for `count` requirements), in the order of `outcomes`.
    pub approved: Vec<ApprovedOutcome<'a>>,
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, EvalError> {
    a.checked_mul(b).ok_or(EvalError::Overflow)
}

/// Base credits and credited credits of one rule on one outcome.
enum Amount {
    Credits { raw: Decimal, credited: Decimal },
    RankNotListed { raw: Decimal, rank: Decimal },
}

fn amount(rule: &RulePlan, p: &Prepared) -> Result<Amount, EvalError> {
    let raw = match &rule.credits {
        CreditsPlan::Table {
            slot,
            attribute,
            credits,
        } => match p.values.get(*slot) {
            Some(Value::Enum(v)) => credits
                .get(usize::from(*v))
                .copied()
                .flatten()
                .unwrap_or(Decimal::ZERO),
            Some(Value::Missing) => return Err(EvalError::Missing(attribute.clone())),
            Some(_) => return Err(EvalError::WrongType(attribute.clone())),
            None => return Err(EvalError::NotSupplied(attribute.clone())),
        },
        CreditsPlan::Formula { expr, step } => {
            let value = expr.eval(&p.values)?;
            match step {
                Some(step) => {
                    let steps = value.checked_div(*step).ok_or(EvalError::Overflow)?;
                    mul(steps.floor(), *step)?
                }
                None => value,
            }
        }
    };
    let split = match &rule.split {
        None => None,
        Some(split) => {
            let rank = match p.values.get(split.slot) {
                Some(Value::Number(n)) => *n,
                Some(Value::Missing) => return Err(EvalError::Missing(split.attribute.clone())),
                Some(_) => return Err(EvalError::WrongType(split.attribute.clone())),
                None => return Err(EvalError::NotSupplied(split.attribute.clone())),
            };
            match split.shares.iter().find(|(r, _)| *r == rank) {
                Some((_, share)) => Some(*share),
                None => return Ok(Amount::RankNotListed { raw, rank }),
            }
        }
    };
    let split = match split {
        Some(share) => mul(raw, share)?,
        None => raw,
    };
    // A whole share (the learner's own school) is written `1`: multiplying by it would give
    // the same digits, at the cost of a multiplication.
    let whole = p.share.scale() == 0 && p.share.mantissa() == 1;
    let credited = if whole { split } else { mul(split, p.share)? };
    Ok(Amount::Credits { raw, credited })
}

/// Credit a learner earned from passed courses in one category in one term. Category caps
/// count it before any converted credit (docs/LANGUAGE.md, section 11).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CourseCredit {
    /// The category.
    pub category: CategoryId,
    /// The term the course was passed in, from 1.
    pub term: u32,
    /// The credits.
    pub credits: Decimal,
}

/// Working state of a learner's outcomes during conversion, one entry per outcome in serving
/// order in each list. Kept as three lists so that the results become the conversion's
/// without being moved again.
struct Work<'o> {
    outcome: Vec<&'o Outcome>,
    prepared: Vec<Option<Prepared<'o>>>,
    result: Vec<OutcomeResult<'o>>,
}

impl OutcomesPlan {
    /// Converts a learner's outcomes, evaluated on `as_of`, for a learner enrolled on
    /// `enrolled` (which numbers the terms of `per term` caps).
    ///
    /// Approved outcomes are converted by every rule that applies, `highest only per` keeps
    /// the highest of each group, and the caps clip in their fixed order; pending outcomes
    /// show what they would earn; rejected and unrecognised ones say why. The result does
    /// not depend on the order of `outcomes`.
    ///
    /// Category caps count converted credit only; [`OutcomesPlan::convert_after_courses`]
    /// counts course credit against them first.
    pub fn convert<'a>(
        &self,
        outcomes: &'a [Outcome],
        enrolled: Date,
        as_of: Date,
    ) -> Conversion<'a> {
        self.convert_after_courses(outcomes, enrolled, as_of, &[])
    }

    /// [`OutcomesPlan::convert`], with the credit of passed courses counted against the caps
    /// on their categories first. A course of term `t` falls in academic year
    /// `(t - 1) / 2` after the enrolment's, the inverse of [`super::term_of`].
    pub fn convert_after_courses<'a>(
        &self,
        outcomes: &'a [Outcome],
        enrolled: Date,
        as_of: Date,
        courses: &[CourseCredit],
    ) -> Conversion<'a> {
        let mut state = CapState::new();
        let first_year = academic_year(enrolled, self.year_start);
        for course in courses {
            if self.caps_on_category(course.category).is_empty() {
                continue;
            }
            let term = course.term.max(1);
            let year = first_year.saturating_add(i32::try_from((term - 1) / 2).unwrap_or(i32::MAX));
            let term = i32::try_from(term).unwrap_or(i32::MAX);
            state.seed(self, course.category, year, term, course.credits);
        }
        // Caps serve outcomes by date, then kind id, then outcome id. The outcomes are sorted
        // before they are read: a reference moves cheaply, a read outcome does not.
        let mut order: Vec<&'a Outcome> = outcomes.iter().collect();
        order.sort_by(|a, b| (a.date, &a.kind, &a.id).cmp(&(b.date, &b.kind, &b.id)));
        let mut work = Work {
            prepared: Vec::with_capacity(order.len()),
            result: Vec::with_capacity(order.len()),
            outcome: order,
        };
        for &outcome in &work.outcome {
            // Each result is filled where it stays, rather than moved there.
            work.result.push(OutcomeResult {
                id: &outcome.id,
                kind: None,
                kind_text: &outcome.kind,
                date: outcome.date,
                decision: None,
                conversions: Conversions::new(),
                recognised: Decimal::ZERO,
                would_earn: Decimal::ZERO,
                reasons: Few::new(),
            });
            work.prepared.push(None);
            if let (Some(result), Some(prepared)) =
                (work.result.last_mut(), work.prepared.last_mut())
            {
                self.start(outcome, as_of, result, prepared);
            }
        }
        self.highest_only(&mut work);
        // Serve the approved conversions in date order, each taking what the caps leave.
        let room = if self.caps_cross {
            work.result.len()
        } else {
            0
        };
        let mut claims: Vec<super::allocate::Claim> = Vec::with_capacity(room);
        let mut at: Vec<(usize, usize)> = Vec::with_capacity(room);
        let mut clipped = false;
        let served = work
            .outcome
            .iter()
            .zip(&work.prepared)
            .zip(&mut work.result);
        for (i, ((outcome, p), result)) in served.enumerate() {
            let Some(p) = p else { continue };
            let approved = result
                .decision
                .as_ref()
                .is_some_and(|d| d.verdict == Verdict::Approved);
            if !approved {
                continue;
            }
            let year = academic_year(outcome.date, self.year_start);
            let term = term_of(outcome.date, enrolled, self.year_start);
            for (j, c) in result.conversions.iter_mut().enumerate() {
                if c.superseded_by.is_some() || not_positive(c.credited) {
                    continue;
                }
                let addition = Addition {
                    rule: c.rule,
                    kind: p.kind,
                    category: c.category,
                    year,
                    term,
                };
                c.recognised = state.add(self, &addition, c.credited, &mut c.clips);
                clipped |= c.recognised < c.credited;
                if self.caps_cross {
                    claims.push(super::allocate::Claim {
                        addition,
                        credited: c.credited,
                        recognised: c.recognised,
                        last_cut: c
                            .clips
                            .last()
                            .map(|clip| (clip.cap, clip.period.map_or(0, |(_, period)| period))),
                        clip: None,
                    });
                    at.push((i, j));
                }
            }
        }
        // When caps cross, serving in order can fall short of the largest total the caps
        // allow; move credit to where it reaches it (see `allocate`).
        if clipped
            && self.caps_cross
            && !super::allocate::served_is_best(self, &claims)
            && super::allocate::improve(self, &state, &mut claims)
        {
            for (claim, &(i, j)) in claims.iter_mut().zip(&at) {
                if let Some(c) = work
                    .result
                    .get_mut(i)
                    .and_then(|r| r.conversions.get_mut(j))
                {
                    c.recognised = claim.recognised;
                    c.clips.clear();
                    c.clips.extend(claim.clip.take());
                }
            }
        }
        let mut category_credits = vec![Decimal::ZERO; self.category_count];
        let mut kind_credits = vec![Decimal::ZERO; self.kinds.kinds.len()];
        let mut total = Decimal::ZERO;
        let mut approved = Vec::with_capacity(work.result.len());
        let counted = work
            .outcome
            .iter()
            .zip(&mut work.prepared)
            .zip(&mut work.result);
        for ((outcome, p), result) in counted {
            let Some(p) = p else { continue };
            let Some(decision) = &result.decision else {
                continue;
            };
            if decision.verdict != Verdict::Approved {
                continue;
            }
            for c in &result.conversions {
                if c.superseded_by.is_some() || not_positive(c.credited) {
                    continue;
                }
                result.recognised = add(result.recognised, c.recognised);
                if let Some(sum) = category_credits.get_mut(c.category.0 as usize) {
                    *sum = add(*sum, c.recognised);
                }
                if let Some(sum) = kind_credits.get_mut(p.kind.0 as usize) {
                    *sum = add(*sum, c.recognised);
                }
                total = add(total, c.recognised);
            }
            // The values are not read again once converted: move them rather than copy.
            approved.push(ApprovedOutcome {
                kind: p.kind,
                id: &outcome.id,
                values: std::mem::take(&mut p.values),
                evidence: std::mem::take(&mut p.evidence),
            });
        }
        Conversion {
            outcomes: work.result,
            category_credits,
            kind_credits,
            total,
            approved,
        }
    }

    /// Reads, reviews and converts one outcome on its own (before `highest only per` and the
    /// caps, which depend on the others), read into `prepared` (`None` when it cannot be).
    fn start<'o>(
        &self,
        outcome: &'o Outcome,
        as_of: Date,
        result: &mut OutcomeResult<'o>,
        prepared: &mut Option<Prepared<'o>>,
    ) {
        if let Err(e) = self.prepare_into(outcome, prepared) {
            result
                .reasons
                .push(NotRecognised::Unrecognised(Box::new(e)));
            return;
        }
        let Some(prepared) = prepared else { return };
        result.kind = Some(prepared.kind);
        let decision = match self.decide(prepared, outcome.review) {
            Ok(d) => d,
            Err(e) => {
                result
                    .reasons
                    .push(NotRecognised::Unrecognised(Box::new(e)));
                return;
            }
        };
        let verdict = decision.verdict;
        result.decision = Some(decision);
        match verdict {
            Verdict::Rejected => {
                result.reasons.push(NotRecognised::Rejected);
                return;
            }
            Verdict::Pending => result.reasons.push(NotRecognised::Pending),
            Verdict::Approved => {}
        }
        self.apply_rules(outcome, prepared, as_of, result);
        if verdict == Verdict::Pending {
            result.would_earn = result
                .conversions
                .iter()
                .fold(Decimal::ZERO, |sum, c| add(sum, at_least_zero(c.credited)));
        }
    }

    /// Every rule of the outcome's kind whose `from` and `when` accept it: expired, or its
    /// credits computed.
    fn apply_rules(
        &self,
        outcome: &Outcome,
        p: &Prepared,
        as_of: Date,
        result: &mut OutcomeResult<'_>,
    ) {
        let mut any = false;
        let rules = self
            .rules_of_kind
            .get(p.kind.0 as usize)
            .map_or(&[][..], Vec::as_slice);
        for &rule_id in rules {
            let Some(rule) = self.rule_plan(rule_id) else {
                continue;
            };
            if let Some(from) = &rule.from {
                if !p.institution.is_some_and(|i| from.contains(&i)) {
                    continue;
                }
            }
            if let Some(when) = &rule.when {
                match when.eval(&p.values, &p.evidence) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(error) => {
                        any = true;
                        result.reasons.push(NotRecognised::Evaluation {
                            rule: rule_id,
                            error: Box::new(error),
                        });
                        continue;
                    }
                }
            }
            any = true;
            if let Some(years) = rule.expires_after_years {
                let since = expiry_date(outcome.date, years);
                let today = (u32::from(as_of.year), as_of.month, as_of.day);
                if today >= since {
                    result.reasons.push(NotRecognised::Expired {
                        rule: rule_id,
                        since,
                    });
                    continue;
                }
            }
            match amount(rule, p) {
                Ok(Amount::Credits { raw, credited }) => result.conversions.push(Converted {
                    rule: rule_id,
                    category: rule.into,
                    raw,
                    credited,
                    recognised: Decimal::ZERO,
                    clips: Vec::new(),
                    superseded_by: None,
                }),
                Ok(Amount::RankNotListed { raw, rank }) => {
                    result.conversions.push(Converted {
                        rule: rule_id,
                        category: rule.into,
                        raw,
                        credited: Decimal::ZERO,
                        recognised: Decimal::ZERO,
                        clips: Vec::new(),
                        superseded_by: None,
                    });
                    result.reasons.push(NotRecognised::RankNotListed {
                        rule: rule_id,
                        rank,
                    });
                }
                Err(error) => result.reasons.push(NotRecognised::Evaluation {
                    rule: rule_id,
                    error: Box::new(error),
                }),
            }
        }
        if !any {
            result.reasons.push(NotRecognised::NoRuleApplies);
        }
    }

    /// `highest only per ATTR`: among approved outcomes converted by the same rule with the
    /// same value of ATTR, the one with the most credits counts (the earliest, then the
    /// smallest id, among equals); the others are superseded by it.
    fn highest_only<'o>(&self, work: &mut Work<'o>) {
        // (work index, conversion index) of each candidate, in cap order; one list for all
        // the rules, emptied for each.
        let mut candidates: Vec<(usize, usize)> = Vec::new();
        for (rule_index, rule) in self.rules.iter().enumerate() {
            let Some(slot) = rule.highest_only_per else {
                continue;
            };
            let Ok(rule_id) = u16::try_from(rule_index).map(RuleId) else {
                continue;
            };
            candidates.clear();
            for (wi, result) in work.result.iter().enumerate() {
                // A rule converts one kind.
                if result.kind != Some(rule.kind) {
                    continue;
                }
                let approved = result
                    .decision
                    .as_ref()
                    .is_some_and(|d| d.verdict == Verdict::Approved);
                if !approved {
                    continue;
                }
                if let Some(ci) = result.conversions.iter().position(|c| c.rule == rule_id) {
                    candidates.push((wi, ci));
                }
            }
            let key = |wi: usize| -> Option<&Value<'o>> {
                work.prepared
                    .get(wi)
                    .and_then(Option::as_ref)
                    .and_then(|p| p.values.get(slot))
                    .filter(|v| !matches!(v, Value::Missing))
            };
            let credited = |(wi, ci): (usize, usize)| {
                work.result
                    .get(wi)
                    .and_then(|r| r.conversions.get(ci))
                    .map_or(Decimal::ZERO, |c| c.credited)
            };
            let mut superseded: Vec<((usize, usize), &'o str)> = Vec::new();
            for &candidate in &candidates {
                let Some(value) = key(candidate.0) else {
                    continue;
                };
                // Candidates are in cap order (date, kind, id), so the first with the most
                // credits is the earliest among equals.
                let winner = candidates
                    .iter()
                    .copied()
                    .filter(|c| key(c.0) == Some(value))
                    .fold(None::<(usize, usize)>, |best, c| match best {
                        Some(b) if credited(c).cmp(&credited(b)) != Ordering::Greater => Some(b),
                        _ => Some(c),
                    });
                if let Some(winner) = winner {
                    if winner != candidate {
                        let id = work.outcome.get(winner.0).map_or("", |o| o.id.as_str());
                        superseded.push((candidate, id));
                    }
                }
            }
            for ((wi, ci), by) in superseded {
                if let Some(result) = work.result.get_mut(wi) {
                    if let Some(c) = result.conversions.get_mut(ci) {
                        c.superseded_by = Some(by);
                    }
                    result
                        .reasons
                        .push(NotRecognised::Superseded { rule: rule_id, by });
                }
            }
        }
    }
}
