//! Review of one outcome (docs/LANGUAGE.md, section 12).

use super::{OutcomesPlan, ReviewId, Unrecognised};
use crate::plan::{Evidence, InstitutionId, KindId, Values};
use crate::record::{Outcome, ReviewStatus};
use creditbank_dsl::ast::Span;
use rust_decimal::Decimal;

/// The outcome of a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Converted to credit.
    Approved,
    /// Never converted.
    Rejected,
    /// Waiting for a reviewer (manual review): not converted yet.
    Pending,
}

/// What decided a review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Basis {
    /// The record carries a decision already taken.
    Recorded,
    /// A `require evidence` clause: evidence is missing.
    MissingEvidence {
        /// The review block.
        review: ReviewId,
        /// The clause's position among the block's `require evidence` clauses.
        clause: usize,
        /// The evidence ids missing.
        missing: Vec<String>,
    },
    /// A `reject when` case held.
    RejectCase {
        /// The review block.
        review: ReviewId,
        /// The case's position among the `reject when` cases.
        case: usize,
    },
    /// An `approve when` case held.
    ApproveCase {
        /// The review block.
        review: ReviewId,
        /// The case's position among the `approve when` cases.
        case: usize,
    },
    /// No case held: `otherwise manual`.
    Manual {
        /// The review block.
        review: ReviewId,
    },
    /// The kind has no review block: every outcome goes to manual review.
    NoCriteria,
}

/// A review decision and what decided it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Approved, rejected or pending.
    pub verdict: Verdict,
    /// The rule and case that decided.
    pub basis: Basis,
}

/// An outcome read against its kind: values in slots, evidence by index, institution by id.
#[derive(Clone, Debug)]
pub(super) struct Prepared<'o> {
    pub kind: KindId,
    pub values: Values<'o>,
    pub evidence: Evidence,
    pub institution: Option<InstitutionId>,
    /// The institution's share, as a fraction.
    pub share: Decimal,
}

impl OutcomesPlan {
    /// Reads an outcome against its kind, once, so that every rule reads it by index.
    pub(super) fn prepare<'o>(&self, outcome: &'o Outcome) -> Result<Prepared<'o>, Unrecognised> {
        let mut slot = None;
        self.prepare_into(outcome, &mut slot)?;
        slot.ok_or_else(|| Unrecognised::UnknownKind(outcome.kind.clone()))
    }

    /// [`OutcomesPlan::prepare`] into `slot`, where the outcome then stays (its values are a
    /// few hundred bytes, read once and moved never); `slot` is `None` after an error.
    pub(super) fn prepare_into<'o>(
        &self,
        outcome: &'o Outcome,
        slot: &mut Option<Prepared<'o>>,
    ) -> Result<(), Unrecognised> {
        *slot = None;
        let kind_id = self
            .kinds
            .kind(&outcome.kind)
            .ok_or_else(|| Unrecognised::UnknownKind(outcome.kind.clone()))?;
        let kind = self
            .kinds
            .get(kind_id)
            .ok_or_else(|| Unrecognised::UnknownKind(outcome.kind.clone()))?;
        let p = slot.insert(Prepared {
            kind: kind_id,
            values: kind.no_values(),
            evidence: kind.no_evidence(),
            institution: self.home,
            share: Decimal::ONE,
        });
        // The values are read before the institution, so that an outcome wrong in both is
        // told about its values.
        let read = kind
            .read_into(
                &outcome.attributes,
                &outcome.evidence,
                &mut p.values,
                &mut p.evidence,
            )
            .map_err(Unrecognised::from)
            .and_then(|()| self.institution_of(outcome));
        match read {
            Ok((institution, share)) => {
                p.institution = institution;
                p.share = share;
                Ok(())
            }
            Err(e) => {
                *slot = None;
                Err(e)
            }
        }
    }

    /// The outcome's institution and its share: the learner's own school unless it names
    /// another.
    fn institution_of(
        &self,
        outcome: &Outcome,
    ) -> Result<(Option<InstitutionId>, Decimal), Unrecognised> {
        let Some(name) = &outcome.institution else {
            return Ok((self.home, Decimal::ONE));
        };
        let id = self
            .institutions
            .get(name)
            .copied()
            .ok_or_else(|| Unrecognised::UnknownInstitution(name.clone()))?;
        let share = self
            .institution_shares
            .get(id.0 as usize)
            .copied()
            .unwrap_or(Decimal::ONE);
        Ok((Some(id), share))
    }

    /// Decides one outcome: a decision in the record wins; else its kind's review criteria
    /// (missing evidence, then reject cases, then approve cases, first match deciding), else
    /// manual review. An outcome that cannot be read against the ruleset is unrecognised.
    pub fn review(&self, outcome: &Outcome) -> Result<Decision, Unrecognised> {
        let prepared = self.prepare(outcome)?;
        self.decide(&prepared, outcome.review)
    }

    pub(super) fn decide(
        &self,
        prepared: &Prepared,
        recorded: Option<ReviewStatus>,
    ) -> Result<Decision, Unrecognised> {
        if let Some(status) = recorded {
            let verdict = match status {
                ReviewStatus::Approved => Verdict::Approved,
                ReviewStatus::Rejected => Verdict::Rejected,
                ReviewStatus::Pending => Verdict::Pending,
            };
            return Ok(Decision {
                verdict,
                basis: Basis::Recorded,
            });
        }
        let Some(review_id) = self
            .review_of_kind
            .get(prepared.kind.0 as usize)
            .copied()
            .flatten()
        else {
            return Ok(Decision {
                verdict: Verdict::Pending,
                basis: Basis::NoCriteria,
            });
        };
        let Some(review) = self.reviews.get(review_id.0 as usize) else {
            return Ok(Decision {
                verdict: Verdict::Pending,
                basis: Basis::NoCriteria,
            });
        };
        let supplied = |i: &usize| prepared.evidence.get(*i).copied().unwrap_or(false);
        for (clause, require) in review.require.iter().enumerate() {
            if !require.evidence.iter().all(supplied) {
                let kind = self.kinds.get(prepared.kind);
                let missing = require
                    .evidence
                    .iter()
                    .filter(|i| !supplied(i))
                    .filter_map(|i| kind.and_then(|k| k.evidence.get(*i)).cloned())
                    .collect();
                return Ok(Decision {
                    verdict: Verdict::Rejected,
                    basis: Basis::MissingEvidence {
                        review: review_id,
                        clause,
                        missing,
                    },
                });
            }
        }
        let error = |error| Unrecognised::Review {
            review: review.id.clone(),
            error,
        };
        for (case, c) in review.reject.iter().enumerate() {
            if c.when
                .eval(&prepared.values, &prepared.evidence)
                .map_err(error)?
            {
                return Ok(Decision {
                    verdict: Verdict::Rejected,
                    basis: Basis::RejectCase {
                        review: review_id,
                        case,
                    },
                });
            }
        }
        for (case, c) in review.approve.iter().enumerate() {
            if c.when
                .eval(&prepared.values, &prepared.evidence)
                .map_err(error)?
            {
                return Ok(Decision {
                    verdict: Verdict::Approved,
                    basis: Basis::ApproveCase {
                        review: review_id,
                        case,
                    },
                });
            }
        }
        Ok(Decision {
            verdict: Verdict::Pending,
            basis: Basis::Manual { review: review_id },
        })
    }

    /// The clause that decided: its `because` text and where it is written; `None` for a
    /// decision taken in the record or a kind without criteria.
    fn deciding_clause(&self, decision: &Decision) -> Option<(&str, Span)> {
        let review = |r: &ReviewId| self.reviews.get(r.0 as usize);
        match &decision.basis {
            Basis::Recorded | Basis::NoCriteria => None,
            Basis::MissingEvidence {
                review: r, clause, ..
            } => review(r)
                .and_then(|r| r.require.get(*clause))
                .map(|c| (c.because.as_str(), c.span)),
            Basis::RejectCase { review: r, case } => review(r)
                .and_then(|r| r.reject.get(*case))
                .map(|c| (c.because.as_str(), c.span)),
            Basis::ApproveCase { review: r, case } => review(r)
                .and_then(|r| r.approve.get(*case))
                .map(|c| (c.because.as_str(), c.span)),
            Basis::Manual { review: r } => {
                review(r).map(|r| (r.otherwise.as_str(), r.otherwise_span))
            }
        }
    }

    /// The reason a decision gives (the `because` text of the clause that decided); `None`
    /// for a decision taken in the record or a kind without criteria.
    pub fn reason(&self, decision: &Decision) -> Option<&str> {
        self.deciding_clause(decision).map(|(because, _)| because)
    }

    /// Where the clause that decided is written, for explanations.
    pub fn decided_at(&self, decision: &Decision) -> Option<Span> {
        self.deciding_clause(decision).map(|(_, span)| span)
    }
}
