//! Requirements against the credit that can flow in: a requirement above the most credit the
//! catalog and the conversion rules can give (E031), or above what remains once caps apply
//! (E032).
//!
//! Every bound is an upper bound: course credits add up exactly, a conversion rule without a
//! cap is unbounded, and a cap with a period (`per year`) is ignored because years add up.

use super::symbols::Symbols;
use crate::ast::{
    CapAmount, CapScope, ConversionRule, Ident, Node, Number, Requirement, RequirementBody, Span,
};
use crate::diagnostic::{Code, Diagnostic};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Reports requirements no learner can meet.
pub fn check(symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    let flow = Flow::new(symbols);
    if let Some(g) = symbols.graduation {
        flow.requirements(&g.requirements, out);
    }
    for (_, program) in symbols.programs.iter() {
        flow.requirements(&program.requirements, out);
    }
    for item in symbols.certificates.iter() {
        flow.requirements(&item.requirements, out);
    }
}

/// The most credit that can flow somewhere: `None` is unbounded. `caps` are the caps that
/// brought it down.
#[derive(Clone, Debug, Default)]
struct Most {
    credits: Option<Decimal>,
    caps: Vec<Span>,
}

impl Most {
    fn exactly(v: Decimal) -> Self {
        Most {
            credits: Some(v),
            caps: Vec::new(),
        }
    }

    fn unbounded() -> Self {
        Most {
            credits: None,
            caps: Vec::new(),
        }
    }

    fn plus(mut self, other: Most) -> Most {
        self.credits = match (self.credits, other.credits) {
            (Some(a), Some(b)) => a.checked_add(b),
            _ => None,
        };
        self.caps.extend(other.caps);
        self
    }

    /// The smaller of the two; a cap only counts when it actually lowers the bound.
    fn min(self, cap: Option<&(Decimal, Span)>) -> Most {
        match cap {
            Some((limit, span)) if self.credits.is_none_or(|c| *limit < c) => Most {
                credits: Some(*limit),
                caps: vec![*span],
            },
            _ => self,
        }
    }

    fn min_most(self, other: Most) -> Most {
        match (self.credits, other.credits) {
            (_, None) => self,
            (None, Some(_)) => other,
            (Some(a), Some(b)) if b < a => other,
            _ => self,
        }
    }
}

/// Credit sources and caps, indexed once.
struct Flow<'a> {
    symbols: &'a Symbols<'a>,
    course_credits: HashMap<&'a str, Decimal>,
    tag_credits: HashMap<&'a str, Decimal>,
    total_courses: Decimal,
    rules_into: HashMap<&'a str, Vec<&'a ConversionRule>>,
    rules_of_kind: HashMap<&'a str, Vec<&'a ConversionRule>>,
    category_caps: HashMap<&'a str, (Decimal, Span)>,
    kind_caps: HashMap<&'a str, (Decimal, Span)>,
    rule_caps: HashMap<&'a str, (Decimal, Span)>,
    conversions_cap: Option<(Decimal, Span)>,
}

fn add(map: &mut HashMap<&str, Decimal>, key: &str, v: Decimal) {
    if let Some(sum) = map.get_mut(key) {
        *sum = sum.checked_add(v).unwrap_or(Decimal::MAX);
    }
}

fn tighten<'a>(map: &mut HashMap<&'a str, (Decimal, Span)>, key: &'a str, cap: (Decimal, Span)) {
    let entry = map.entry(key).or_insert(cap);
    if cap.0 < entry.0 {
        *entry = cap;
    }
}

impl<'a> Flow<'a> {
    fn new(symbols: &'a Symbols<'a>) -> Self {
        let mut course_credits: HashMap<&str, Decimal> = HashMap::new();
        let mut tag_credits: HashMap<&str, Decimal> = HashMap::new();
        let mut total_courses = Decimal::ZERO;
        for (_, course) in symbols.courses.iter() {
            let credits = course.credits.value;
            total_courses = total_courses.checked_add(credits).unwrap_or(Decimal::MAX);
            course_credits.entry(&course.category.value).or_default();
            add(&mut course_credits, &course.category.value, credits);
            for tag in &course.tags {
                tag_credits.entry(&tag.value).or_default();
                add(&mut tag_credits, &tag.value, credits);
            }
        }
        let mut rules_into: HashMap<&str, Vec<&ConversionRule>> = HashMap::new();
        let mut rules_of_kind: HashMap<&str, Vec<&ConversionRule>> = HashMap::new();
        for rule in &symbols.converts {
            rules_into
                .entry(&rule.into.value.value)
                .or_default()
                .push(rule);
            rules_of_kind
                .entry(&rule.kind.value.value)
                .or_default()
                .push(rule);
        }
        let mut flow = Flow {
            symbols,
            course_credits,
            tag_credits,
            total_courses,
            rules_into,
            rules_of_kind,
            category_caps: HashMap::new(),
            kind_caps: HashMap::new(),
            rule_caps: HashMap::new(),
            conversions_cap: None,
        };
        for cap in &symbols.caps {
            if cap.limit.value.period.is_some() {
                continue;
            }
            let Some(limit) = flow.cap_amount(&cap.limit.value.amount) else {
                continue;
            };
            let entry = (limit, cap.id.span);
            match &cap.on.value {
                CapScope::Category(c) => tighten(&mut flow.category_caps, &c.value, entry),
                CapScope::Kind(k) => tighten(&mut flow.kind_caps, &k.value, entry),
                CapScope::Rule(r) => tighten(&mut flow.rule_caps, &r.value, entry),
                CapScope::Conversions => {
                    if flow.conversions_cap.is_none_or(|(l, _)| limit < l) {
                        flow.conversions_cap = Some(entry);
                    }
                }
            }
        }
        flow
    }

    /// A cap's limit in credits, when it can be known from the graduation requirements.
    fn cap_amount(&self, amount: &CapAmount) -> Option<Decimal> {
        match amount {
            CapAmount::Credits(n) => Some(n.value),
            CapAmount::ShareOfRequired { percent, category } => {
                let required = self
                    .symbols
                    .graduation?
                    .requirements
                    .iter()
                    .filter_map(|r| match (&r.value.body, category) {
                        (RequirementBody::Total(n), None) => Some(n.value),
                        (RequirementBody::Category(c, n), Some(want)) if c.value == want.value => {
                            Some(n.value)
                        }
                        _ => None,
                    });
                let required = required.max()?;
                required
                    .checked_mul(percent.value)?
                    .checked_div(Decimal::ONE_HUNDRED)
            }
        }
    }

    /// The most one conversion rule can give, with caps on it or on its kind.
    fn rule(&self, rule: &ConversionRule, capped: bool) -> Most {
        if !capped {
            return Most::unbounded();
        }
        Most::unbounded()
            .min(self.rule_caps.get(rule.id.value.as_str()))
            .min(self.kind_caps.get(rule.kind.value.value.as_str()))
    }

    fn conversions(&self, rules: &[&ConversionRule], capped: bool) -> Most {
        let sum = rules.iter().fold(Most::exactly(Decimal::ZERO), |acc, r| {
            acc.plus(self.rule(r, capped))
        });
        if capped && !rules.is_empty() {
            sum.min(self.conversions_cap.as_ref())
        } else {
            sum
        }
    }

    fn category(&self, category: &str, capped: bool) -> Most {
        let courses = self
            .course_credits
            .get(category)
            .copied()
            .unwrap_or_default();
        let rules = self.rules_into.get(category).map_or(&[][..], Vec::as_slice);
        let most = Most::exactly(courses).plus(self.conversions(rules, capped));
        if capped {
            most.min(self.category_caps.get(category))
        } else {
            most
        }
    }

    fn total(&self, capped: bool) -> Most {
        let direct = Most::exactly(self.total_courses)
            .plus(self.conversions(&self.symbols.converts, capped));
        if !capped {
            return direct;
        }
        // Category caps bound the total too: sum the capped categories, plus what flows into
        // categories that are not declared (already reported elsewhere).
        let mut by_category = Most::exactly(Decimal::ZERO);
        for (id, _) in self.symbols.categories.iter() {
            by_category = by_category.plus(self.category(&id.value, true));
        }
        for (category, credits) in &self.course_credits {
            if !self.symbols.categories.contains(category) {
                by_category = by_category.plus(Most::exactly(*credits));
            }
        }
        if self
            .rules_into
            .keys()
            .any(|c| !self.symbols.categories.contains(c))
        {
            by_category = by_category.plus(Most::unbounded());
        }
        direct.min_most(by_category)
    }

    fn kind(&self, kind: &str, capped: bool) -> Most {
        let rules = self.rules_of_kind.get(kind).map_or(&[][..], Vec::as_slice);
        let most = self.conversions(rules, capped);
        if capped && !rules.is_empty() {
            most.min(self.kind_caps.get(kind))
        } else {
            most
        }
    }

    fn requirements(&self, list: &[Node<Requirement>], out: &mut Vec<Diagnostic>) {
        for r in list {
            let (what, at_least, source): (String, &Number, Source) = match &r.value.body {
                RequirementBody::Total(n) => ("total".into(), n, Source::Total),
                RequirementBody::Category(c, n) => {
                    if !self.symbols.categories.contains(&c.value) {
                        continue;
                    }
                    (format!("category {}", c.value), n, Source::Category(c))
                }
                RequirementBody::Tagged(t, n) => {
                    (format!("tagged {}", t.value), n, Source::Tagged(t))
                }
                RequirementBody::Kind(k, n) => {
                    if !self.symbols.kinds.contains(&k.value) {
                        continue;
                    }
                    (format!("kind {}", k.value), n, Source::Kind(k))
                }
                _ => continue,
            };
            let most = |capped| match &source {
                Source::Total => self.total(capped),
                Source::Category(c) => self.category(&c.value, capped),
                Source::Tagged(t) => Most::exactly(
                    self.tag_credits
                        .get(t.value.as_str())
                        .copied()
                        .unwrap_or_default(),
                ),
                Source::Kind(k) => self.kind(&k.value, capped),
            };
            let need = at_least.value;
            let requirement = format!("`{what} at least {need}`");
            let uncapped = most(false);
            if let Some(max) = uncapped.credits.filter(|m| need > *m) {
                let max = max.normalize();
                let (label, help) = match &source {
                    Source::Total => (
                        format!("the catalog offers {max} credits and nothing is converted"),
                        "lower the requirement, add courses, or add conversion rules".to_string(),
                    ),
                    Source::Category(c) => (
                        format!("at most {max} credits can be earned in `{}`", c.value),
                        format!(
                            "lower the requirement to at most {max}, or add courses or a conversion rule into `{}`",
                            c.value
                        ),
                    ),
                    Source::Tagged(t) => (
                        format!("courses tagged `{}` offer {max} credits", t.value),
                        format!("lower the requirement to at most {max}, or tag more courses `{}`", t.value),
                    ),
                    Source::Kind(k) => (
                        format!("no conversion rule converts `{}`", k.value),
                        format!("add a `convert` rule for kind `{}`, or remove the requirement", k.value),
                    ),
                };
                out.push(
                    Diagnostic::new(
                        Code::UnreachableRequirement,
                        at_least.span,
                        format!("requirement {requirement} can never be met"),
                    )
                    .with_label(label)
                    .with_help(help),
                );
                continue;
            }
            let capped = most(true);
            if let Some(max) = capped.credits.filter(|m| need > *m) {
                let max = max.normalize();
                let mut d = Diagnostic::new(
                    Code::CapBlocksRequirement,
                    at_least.span,
                    format!("caps make requirement {requirement} impossible"),
                )
                .with_label(format!(
                    "with caps applied, at most {max} credits can count"
                ))
                .with_help(format!(
                    "raise the cap, or lower the requirement to at most {max}"
                ));
                for span in capped.caps {
                    d = d.with_related(span, "this cap limits the credit");
                }
                out.push(d);
            }
        }
    }
}

/// Where a requirement's credit comes from.
enum Source<'r> {
    Total,
    Category(&'r Ident),
    Tagged(&'r Ident),
    Kind(&'r Ident),
}
