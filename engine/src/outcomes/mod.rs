//! Non-course outcomes: their review, their conversion to credit, and the caps on it.
//!
//! [`OutcomesPlan::compile`] turns a checked ruleset's `review`, `convert` and `cap` items into
//! indices once: conditions and formulas into slot-indexed [`CompiledCondition`]s and
//! [`CompiledExpr`]s, table keys into enum indices, names of categories, kinds, rules and
//! institutions into their ids, percentage caps into credits (against the graduation
//! requirements). Evaluating a learner then reads everything by index.
//!
//! - [`OutcomesPlan::review`] decides one outcome (docs/LANGUAGE.md, section 12);
//! - [`OutcomesPlan::convert`] converts a learner's outcomes and applies the caps (sections 10,
//!   11 and 17); every figure is exact and unrounded.
//!
//! Choices the language reference leaves open, made here and tested:
//! - an expired outcome is set aside before `highest only per` picks the highest, so an old
//!   award never hides a newer one that still counts;
//! - outcomes with no value for the `highest only per` attribute are not grouped: each counts;
//! - an outcome without an institution belongs to the ruleset's first `in-school` institution
//!   (for `from`) and converts at 100%;
//! - course credit is never cut: [`OutcomesPlan::convert`] counts converted credit only
//!   against category caps, [`OutcomesPlan::convert_after_courses`] counts the learner's
//!   course credit (by category and term) against them first;
//! - the term of an outcome, for `per term` caps, is `2 × (academic years since the enrolment's
//!   academic year) + 1` in the first half of an academic year and `+ 2` in the second, the
//!   second half starting six months after `year starts`; terms before enrolment are zero or
//!   negative and are still counted, each on its own.

mod allocate;
mod caps;
mod convert;
mod review;
#[cfg(test)]
mod tests;

pub use caps::{academic_year, expiry_date, term_of};
pub use convert::{Clip, Conversion, Converted, CourseCredit, NotRecognised, OutcomeResult};
pub use review::{Basis, Decision, Verdict};

use crate::expr::{CompileError, CompiledCondition, CompiledExpr, EvalError, SlotType};
use crate::plan::{CatalogPlan, CategoryId, InstitutionId, KindId, KindsPlan, ValueError};
use creditbank_dsl::ast::{
    CapAmount, CapPeriod, CapScope, CreditAmount, InstitutionType, Item, MonthDay, RequirementBody,
    RulesetFile, Span,
};
pub use creditbank_dsl::caps::Family;
use creditbank_dsl::caps::{CapShape, Window};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

/// A conversion rule, by its position among the ruleset's `convert` items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(pub u16);

/// A cap, by its position among the ruleset's `cap` items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CapId(pub u16);

/// A review block, by its position among the ruleset's `review` items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReviewId(pub u16);

/// Why the outcome rules of a ruleset could not be compiled (only for files that did not pass
/// `check`).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum OutcomesError {
    /// A name that the checker would have reported as unknown.
    #[error("unknown {what} `{name}`: check the ruleset before compiling it")]
    Unresolved {
        /// What sort of name (`category`, `kind`, ...).
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A condition or formula that does not fit its kind's attributes.
    #[error("`{rule}` cannot be compiled: {error}")]
    Compile {
        /// The rule, cap or review id.
        rule: String,
        /// What went wrong.
        error: CompileError,
    },
    /// A percentage cap whose base the graduation requirements do not state.
    #[error("cap `{cap}` is a share of {required}, which graduation does not require")]
    NoRequirement {
        /// The cap's id.
        cap: String,
        /// `the total` or `category `C``.
        required: String,
    },
    /// More entries than an index can hold.
    #[error("too many {0} in one ruleset")]
    TooMany(&'static str),
    /// A cap whose limit is too large to compute.
    #[error("the limit of cap `{0}` is too large to compute")]
    TooLarge(String),
    /// Caps that cross one another in an odd cycle (the checker's E044).
    #[error("caps {0} cross one another in a cycle: check the ruleset before compiling it")]
    CapsCross(String),
}

/// Why one outcome cannot be evaluated at all. It is reported against the outcome; the rest of
/// the record is evaluated as usual.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Unrecognised {
    /// A kind the ruleset does not declare.
    #[error("`{0}` is not an outcome kind of this ruleset")]
    UnknownKind(String),
    /// An attribute or evidence the kind does not have, or a value it does not allow.
    #[error("{0}")]
    Value(#[from] ValueError),
    /// An institution the ruleset does not list.
    #[error("`{0}` is not an institution of this ruleset")]
    UnknownInstitution(String),
    /// A review condition that could not be evaluated on the outcome's values.
    #[error("review `{review}` could not be applied: {error}")]
    Review {
        /// The review's id.
        review: String,
        /// What went wrong.
        error: EvalError,
    },
}

/// How a rule computes its base credits.
#[derive(Clone, Debug)]
pub enum CreditsPlan {
    /// `credits by ATTR { ... }`: credits by the enum index of the attribute's value; `None`
    /// for a value without a row (it earns nothing).
    Table {
        /// The attribute's slot.
        slot: usize,
        /// The attribute's id, for messages.
        attribute: String,
        /// Credits by value index.
        credits: Vec<Option<Decimal>>,
    },
    /// `credits EXPR [rounded down to STEP]`.
    Formula {
        /// The formula.
        expr: CompiledExpr,
        /// The step to round down to.
        step: Option<Decimal>,
    },
}

/// `split by ATTR { RANK => P% ... }`, compiled.
#[derive(Clone, Debug, PartialEq)]
pub struct SplitPlan {
    /// The rank attribute's slot.
    pub slot: usize,
    /// The attribute's id, for messages.
    pub attribute: String,
    /// `(rank, share as a fraction)`; ranks not listed get nothing.
    pub shares: Vec<(Decimal, Decimal)>,
}

/// A conversion rule compiled.
#[derive(Clone, Debug)]
pub struct RulePlan {
    /// The rule's id.
    pub id: String,
    /// Its display name (the id when none is given).
    pub name: String,
    /// Where the rule is written.
    pub span: Span,
    /// Its citation.
    pub source: Option<String>,
    /// The kind it converts.
    pub kind: KindId,
    /// `when`: `None` when the rule has none.
    pub when: Option<CompiledCondition>,
    /// `from`: the institutions it accepts; `None` accepts all.
    pub from: Option<Vec<InstitutionId>>,
    /// The category credited.
    pub into: CategoryId,
    /// The base credits.
    pub credits: CreditsPlan,
    /// The split by rank.
    pub split: Option<SplitPlan>,
    /// `highest only per ATTR`: the attribute's slot.
    pub highest_only_per: Option<usize>,
    /// `expires after N years`.
    pub expires_after_years: Option<u32>,
}

/// What a cap counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CapScopePlan {
    /// Credit converted by one rule.
    Rule(RuleId),
    /// Credit converted from one kind.
    Kind(KindId),
    /// Converted credit in one category.
    Category(CategoryId),
    /// All converted credit.
    Conversions,
}

impl CapScopePlan {
    /// The group a cap clips in: rules, then kinds, then categories, then all conversions.
    fn group(self) -> u8 {
        match self {
            CapScopePlan::Rule(_) => 0,
            CapScopePlan::Kind(_) => 1,
            CapScopePlan::Category(_) => 2,
            CapScopePlan::Conversions => 3,
        }
    }

    /// Whether a cap of this scope counts the conversions of `rule`, the rule at `index`.
    fn counts(self, index: usize, rule: &RulePlan) -> bool {
        match self {
            CapScopePlan::Rule(r) => usize::from(r.0) == index,
            CapScopePlan::Kind(k) => rule.kind == k,
            CapScopePlan::Category(c) => rule.into == c,
            CapScopePlan::Conversions => true,
        }
    }
}

/// A cap compiled, its limit in credits.
#[derive(Clone, Debug, PartialEq)]
pub struct CapPlan {
    /// The cap's id.
    pub id: String,
    /// Its display name (the id when none is given).
    pub name: String,
    /// Where the cap is written.
    pub span: Span,
    /// Its citation.
    pub source: Option<String>,
    /// What it counts.
    pub scope: CapScopePlan,
    /// The most credit it lets through (per period), percentages resolved.
    pub limit: Decimal,
    /// Per year, per term, or in total (`None`).
    pub period: Option<CapPeriod>,
    /// Which of the two nesting families the cap is in, for finding the largest total when
    /// caps cross (see [`creditbank_dsl::caps`]).
    pub family: Family,
}

/// `require evidence E, ... because "..."`, compiled.
#[derive(Clone, Debug, PartialEq)]
pub struct RequirePlan {
    /// The evidence indices of the kind.
    pub evidence: Vec<usize>,
    /// The reason shown when evidence is missing.
    pub because: String,
    /// Where the clause is written.
    pub span: Span,
}

/// A `reject when` or `approve when` case, compiled.
#[derive(Clone, Debug)]
pub struct CasePlan {
    /// When the case applies.
    pub when: CompiledCondition,
    /// Why.
    pub because: String,
    /// Where the case is written.
    pub span: Span,
}

/// A review block compiled.
#[derive(Clone, Debug)]
pub struct ReviewPlan {
    /// The review's id.
    pub id: String,
    /// Its display name (the id when none is given).
    pub name: String,
    /// Where the block is written.
    pub span: Span,
    /// Its citation.
    pub source: Option<String>,
    /// The kind it reviews.
    pub kind: KindId,
    /// Evidence requirements, in order.
    pub require: Vec<RequirePlan>,
    /// Reject cases, in order.
    pub reject: Vec<CasePlan>,
    /// Approve cases, in order.
    pub approve: Vec<CasePlan>,
    /// The reason for manual review.
    pub otherwise: String,
    /// Where `otherwise manual` is written.
    pub otherwise_span: Span,
}

/// The review, conversion and cap rules of one ruleset, compiled once.
#[derive(Clone, Debug)]
pub struct OutcomesPlan {
    /// Conversion rules in declaration order; a [`RuleId`] indexes this.
    pub rules: Vec<RulePlan>,
    /// Caps in declaration order; a [`CapId`] indexes this.
    pub caps: Vec<CapPlan>,
    /// Review blocks in declaration order; a [`ReviewId`] indexes this.
    pub reviews: Vec<ReviewPlan>,
    /// Where the academic year starts (`year starts`, default 09-01).
    pub year_start: MonthDay,
    kinds: KindsPlan,
    /// The rules of each kind, by [`KindId`].
    rules_of_kind: Vec<Vec<RuleId>>,
    /// The review of each kind, by [`KindId`].
    review_of_kind: Vec<Option<ReviewId>>,
    /// Every cap, in the order caps clip (group, then declaration).
    cap_order: Vec<CapId>,
    /// The caps on each category, by [`CategoryId`], in clipping order: the caps that count
    /// course credit.
    category_caps: Vec<Vec<CapId>>,
    /// The caps that count each rule's conversions, by [`RuleId`], in clipping order: a cap
    /// on the rule, its kind, its category, or all conversions.
    rule_caps: Vec<Vec<CapId>>,
    /// Whether any two caps cross: only then can serving outcomes in order fall short of the
    /// largest total, and the allocation is improved by a maximum flow.
    caps_cross: bool,
    institutions: HashMap<String, InstitutionId>,
    institution_shares: Vec<Decimal>,
    /// The institution of an outcome that names none.
    home: Option<InstitutionId>,
    category_count: usize,
}

fn text(t: &Option<creditbank_dsl::ast::Text>) -> Option<String> {
    t.as_ref().map(|t| t.value.clone())
}

fn node_text(t: &Option<creditbank_dsl::ast::Node<creditbank_dsl::ast::Text>>) -> Option<String> {
    t.as_ref().map(|t| t.value.value.clone())
}

fn display(id: &str, name: &Option<creditbank_dsl::ast::Text>) -> String {
    text(name).unwrap_or_else(|| id.to_string())
}

impl OutcomesPlan {
    /// Compiles every `convert`, `cap` and `review` item of a checked ruleset file.
    pub fn compile(
        file: &RulesetFile,
        catalog: &CatalogPlan,
        kinds: &KindsPlan,
    ) -> Result<OutcomesPlan, OutcomesError> {
        let unresolved = |what: &'static str, name: &str| OutcomesError::Unresolved {
            what,
            name: name.to_string(),
        };
        let kind_of = |name: &str| kinds.kind(name).ok_or_else(|| unresolved("kind", name));
        let category_of = |name: &str| {
            catalog
                .category(name)
                .ok_or_else(|| unresolved("category", name))
        };
        let mut plan = OutcomesPlan {
            rules: Vec::new(),
            caps: Vec::new(),
            reviews: Vec::new(),
            year_start: MonthDay { month: 9, day: 1 },
            kinds: kinds.clone(),
            rules_of_kind: vec![Vec::new(); kinds.kinds.len()],
            review_of_kind: vec![None; kinds.kinds.len()],
            cap_order: Vec::new(),
            caps_cross: false,
            category_caps: vec![Vec::new(); catalog.categories.len()],
            rule_caps: Vec::new(),
            institutions: HashMap::default(),
            institution_shares: catalog.institutions.iter().map(|i| i.share).collect(),
            home: None,
            category_count: catalog.categories.len(),
        };
        for (index, institution) in catalog.institutions.iter().enumerate() {
            let id = InstitutionId(
                u16::try_from(index).map_err(|_| OutcomesError::TooMany("institutions"))?,
            );
            plan.institutions.insert(institution.id.clone(), id);
            if plan.home.is_none() && institution.ty == InstitutionType::InSchool {
                plan.home = Some(id);
            }
        }
        let mut required_total = None;
        let mut required_category: Vec<(String, Decimal)> = Vec::new();
        for item in &file.items {
            match &item.value {
                Item::Header(header) => {
                    if let Some(start) = &header.year_start {
                        plan.year_start = start.value.value;
                    }
                }
                Item::Graduation(graduation) => {
                    // The first statement of a requirement is the one a cap refers to.
                    for requirement in &graduation.requirements {
                        match &requirement.value.body {
                            RequirementBody::Total(n) => {
                                required_total.get_or_insert(n.value);
                            }
                            RequirementBody::Category(c, n)
                                if !required_category.iter().any(|(id, _)| *id == c.value) =>
                            {
                                required_category.push((c.value.clone(), n.value));
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        for item in &file.items {
            let Item::Convert(rule) = &item.value else {
                continue;
            };
            let id = RuleId(
                u16::try_from(plan.rules.len())
                    .map_err(|_| OutcomesError::TooMany("conversion rules"))?,
            );
            let kind_id = kind_of(&rule.kind.value.value)?;
            let kind = kinds
                .get(kind_id)
                .ok_or_else(|| unresolved("kind", &rule.kind.value.value))?;
            let compile_error = |error| OutcomesError::Compile {
                rule: rule.id.value.clone(),
                error,
            };
            let slots = |name: &str| kind.slot(name);
            let evidence = |name: &str| kind.evidence_index(name);
            let when = rule
                .when
                .as_ref()
                .map(|w| CompiledCondition::compile(&w.value, &slots, &evidence))
                .transpose()
                .map_err(compile_error)?;
            let from = rule
                .from
                .as_ref()
                .map(|list| {
                    list.value
                        .iter()
                        .map(|i| {
                            plan.institutions
                                .get(&i.value)
                                .copied()
                                .ok_or_else(|| unresolved("institution", &i.value))
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .transpose()?;
            let credits = match &rule.credits.value {
                CreditAmount::Table { by, rows } => {
                    let slot = kind
                        .slot(&by.value)
                        .ok_or_else(|| unresolved("attribute", &by.value))?;
                    let SlotType::Enum { values } = &slot.ty else {
                        return Err(compile_error(CompileError::WrongType {
                            attribute: by.value.clone(),
                            used_as: "a table key",
                        }));
                    };
                    let mut credits = vec![None; values.len()];
                    for row in rows {
                        let at = values
                            .iter()
                            .position(|v| *v == row.value.key.value)
                            .ok_or_else(|| {
                                compile_error(CompileError::UnknownValue {
                                    attribute: by.value.clone(),
                                    value: row.value.key.value.clone(),
                                })
                            })?;
                        if let Some(cell) = credits.get_mut(at) {
                            // The checker reports a repeated key (E038); the first is kept.
                            cell.get_or_insert(row.value.credits.value);
                        }
                    }
                    CreditsPlan::Table {
                        slot: slot.index,
                        attribute: by.value.clone(),
                        credits,
                    }
                }
                CreditAmount::Formula {
                    expr,
                    rounded_down_to,
                } => CreditsPlan::Formula {
                    expr: CompiledExpr::compile(expr, &slots).map_err(compile_error)?,
                    step: rounded_down_to
                        .as_ref()
                        .map(|s| s.value)
                        .filter(|s| *s > Decimal::ZERO),
                },
            };
            let split = match &rule.split {
                None => None,
                Some(split) => {
                    let by = &split.value.by.value;
                    let slot = kind.slot(by).ok_or_else(|| unresolved("attribute", by))?;
                    Some(SplitPlan {
                        slot: slot.index,
                        attribute: by.clone(),
                        shares: split
                            .value
                            .rows
                            .iter()
                            .map(|r| {
                                (
                                    Decimal::from(r.value.rank.value),
                                    r.value.share.value / Decimal::ONE_HUNDRED,
                                )
                            })
                            .collect(),
                    })
                }
            };
            let highest_only_per = match &rule.highest_only_per {
                None => None,
                Some(attr) => Some(
                    kind.slot(&attr.value.value)
                        .ok_or_else(|| unresolved("attribute", &attr.value.value))?
                        .index,
                ),
            };
            if let Some(list) = plan.rules_of_kind.get_mut(kind_id.0 as usize) {
                list.push(id);
            }
            plan.rules.push(RulePlan {
                id: rule.id.value.clone(),
                name: display(&rule.id.value, &rule.name),
                span: item.span,
                source: node_text(&rule.source),
                kind: kind_id,
                when,
                from,
                into: category_of(&rule.into.value.value)?,
                credits,
                split,
                highest_only_per,
                expires_after_years: rule.expires_after_years.as_ref().map(|y| y.value.value),
            });
        }
        for item in &file.items {
            match &item.value {
                Item::Cap(cap) => {
                    let scope = match &cap.on.value {
                        CapScope::Category(c) => CapScopePlan::Category(category_of(&c.value)?),
                        CapScope::Kind(k) => CapScopePlan::Kind(kind_of(&k.value)?),
                        CapScope::Rule(r) => CapScopePlan::Rule(
                            plan.rule(&r.value)
                                .ok_or_else(|| unresolved("conversion rule", &r.value))?,
                        ),
                        CapScope::Conversions => CapScopePlan::Conversions,
                    };
                    let limit = match &cap.limit.value.amount {
                        CapAmount::Credits(n) => n.value,
                        CapAmount::ShareOfRequired { percent, category } => {
                            let base = match category {
                                None => {
                                    required_total.ok_or_else(|| OutcomesError::NoRequirement {
                                        cap: cap.id.value.clone(),
                                        required: "the total".into(),
                                    })?
                                }
                                Some(c) => required_category
                                    .iter()
                                    .find(|(id, _)| *id == c.value)
                                    .map(|(_, n)| *n)
                                    .ok_or_else(|| OutcomesError::NoRequirement {
                                        cap: cap.id.value.clone(),
                                        required: format!("category `{}`", c.value),
                                    })?,
                            };
                            // A share of at most 100%: the product only overflows when
                            // the requirement itself is near the largest decimal.
                            base.checked_mul(percent.value / Decimal::ONE_HUNDRED)
                                .ok_or_else(|| OutcomesError::TooLarge(cap.id.value.clone()))?
                        }
                    };
                    plan.caps.push(CapPlan {
                        id: cap.id.value.clone(),
                        name: display(&cap.id.value, &cap.name),
                        span: item.span,
                        source: node_text(&cap.source),
                        scope,
                        limit,
                        period: cap.limit.value.period.as_ref().map(|p| p.value),
                        family: Family::Outer,
                    });
                }
                Item::Review(review) => {
                    let id = ReviewId(
                        u16::try_from(plan.reviews.len())
                            .map_err(|_| OutcomesError::TooMany("review blocks"))?,
                    );
                    let kind_id = kind_of(&review.kind.value.value)?;
                    let kind = kinds
                        .get(kind_id)
                        .ok_or_else(|| unresolved("kind", &review.kind.value.value))?;
                    let slots = |name: &str| kind.slot(name);
                    let evidence = |name: &str| kind.evidence_index(name);
                    let compile_error = |error| OutcomesError::Compile {
                        rule: review.id.value.clone(),
                        error,
                    };
                    let require = review
                        .require
                        .iter()
                        .map(|r| {
                            Ok(RequirePlan {
                                evidence: r
                                    .value
                                    .evidence
                                    .iter()
                                    .map(|e| {
                                        kind.evidence_index(&e.value)
                                            .ok_or_else(|| unresolved("evidence", &e.value))
                                    })
                                    .collect::<Result<Vec<_>, _>>()?,
                                because: r.value.because.value.clone(),
                                span: r.span,
                            })
                        })
                        .collect::<Result<Vec<_>, OutcomesError>>()?;
                    let cases =
                        |list: &[creditbank_dsl::ast::Node<creditbank_dsl::ast::ReviewCase>]| {
                            list.iter()
                                .map(|c| {
                                    Ok(CasePlan {
                                        when: CompiledCondition::compile(
                                            &c.value.when,
                                            &slots,
                                            &evidence,
                                        )
                                        .map_err(compile_error)?,
                                        because: c.value.because.value.clone(),
                                        span: c.span,
                                    })
                                })
                                .collect::<Result<Vec<_>, OutcomesError>>()
                        };
                    let reject = cases(&review.reject)?;
                    let approve = cases(&review.approve)?;
                    // The checker reports a second review of a kind (E010); the first decides.
                    if let Some(slot) = plan.review_of_kind.get_mut(kind_id.0 as usize) {
                        slot.get_or_insert(id);
                    }
                    plan.reviews.push(ReviewPlan {
                        id: review.id.value.clone(),
                        name: display(&review.id.value, &review.name),
                        span: item.span,
                        source: node_text(&review.source),
                        kind: kind_id,
                        require,
                        reject,
                        approve,
                        otherwise: review.otherwise.value.value.clone(),
                        otherwise_span: review.otherwise.span,
                    });
                }
                _ => {}
            }
        }
        let mut order = (0..plan.caps.len())
            .map(|i| u16::try_from(i).map(CapId))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| OutcomesError::TooMany("caps"))?;
        // Stable: within a group, caps clip in declaration order.
        order.sort_by_key(|c| {
            plan.caps
                .get(c.0 as usize)
                .map_or(4, |cap| cap.scope.group())
        });
        for &cap_id in &order {
            if let Some(CapScopePlan::Category(c)) =
                plan.caps.get(cap_id.0 as usize).map(|c| c.scope)
            {
                if let Some(list) = plan.category_caps.get_mut(c.0 as usize) {
                    list.push(cap_id);
                }
            }
        }
        plan.rule_caps = plan
            .rules
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                order
                    .iter()
                    .copied()
                    .filter(|&cap_id| {
                        plan.caps
                            .get(cap_id.0 as usize)
                            .is_some_and(|cap| cap.scope.counts(i, rule))
                    })
                    .collect()
            })
            .collect();
        plan.cap_order = order;
        plan.assign_families()?;
        Ok(plan)
    }

    /// Splits the caps into the two nesting families (the checker refuses a ruleset where
    /// that is impossible, E044).
    fn assign_families(&mut self) -> Result<(), OutcomesError> {
        let shapes: Vec<CapShape> = self
            .caps
            .iter()
            .map(|cap| CapShape {
                rules: self
                    .rules
                    .iter()
                    .enumerate()
                    .filter(|(i, rule)| cap.scope.counts(*i, rule))
                    .map(|(i, _)| i)
                    .collect(),
                period: match cap.period {
                    None => Window::Total,
                    Some(CapPeriod::Year) => Window::Year,
                    Some(CapPeriod::Term) => Window::Term,
                },
            })
            .collect();
        let families = creditbank_dsl::caps::families(&shapes).map_err(|cycle| {
            let names: Vec<String> = cycle
                .caps
                .iter()
                .filter_map(|&i| self.caps.get(i))
                .map(|c| format!("`{}`", c.id))
                .collect();
            OutcomesError::CapsCross(names.join(", "))
        })?;
        for (cap, family) in self.caps.iter_mut().zip(families) {
            cap.family = family;
        }
        self.caps_cross = self.caps.iter().any(|c| c.family == Family::Inner);
        Ok(())
    }

    /// The caps on category `c`, in clipping order.
    pub(crate) fn caps_on_category(&self, c: CategoryId) -> &[CapId] {
        self.category_caps
            .get(c.0 as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    /// The caps that count rule `r`'s conversions, in clipping order.
    pub(crate) fn caps_of_rule(&self, r: RuleId) -> &[CapId] {
        self.rule_caps
            .get(r.0 as usize)
            .map_or(&[][..], Vec::as_slice)
    }

    /// Whether any two caps cross (see [`creditbank_dsl::caps`]).
    pub fn caps_cross(&self) -> bool {
        self.caps_cross
    }

    /// The conversion rule with this id.
    pub fn rule(&self, id: &str) -> Option<RuleId> {
        self.rules
            .iter()
            .position(|r| r.id == id)
            .and_then(|i| u16::try_from(i).ok())
            .map(RuleId)
    }

    /// The cap with this id.
    pub fn cap(&self, id: &str) -> Option<CapId> {
        self.caps
            .iter()
            .position(|c| c.id == id)
            .and_then(|i| u16::try_from(i).ok())
            .map(CapId)
    }

    /// The plan of a rule.
    pub fn rule_plan(&self, id: RuleId) -> Option<&RulePlan> {
        self.rules.get(id.0 as usize)
    }

    /// The plan of a cap.
    pub fn cap_plan(&self, id: CapId) -> Option<&CapPlan> {
        self.caps.get(id.0 as usize)
    }

    /// The review block of a kind, if it has one.
    pub fn review_of(&self, kind: KindId) -> Option<&ReviewPlan> {
        self.review_of_kind
            .get(kind.0 as usize)
            .copied()
            .flatten()
            .and_then(|r| self.reviews.get(r.0 as usize))
    }

    /// The caps in the order they clip: per-rule, per-kind, per-category, then on all
    /// conversions, each group in declaration order.
    pub fn cap_order(&self) -> &[CapId] {
        &self.cap_order
    }

    /// The kinds the plan was compiled against.
    pub fn kinds(&self) -> &KindsPlan {
        &self.kinds
    }
}
