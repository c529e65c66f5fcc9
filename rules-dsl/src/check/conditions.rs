//! Satisfiability of conditions over an outcome kind's attributes: conversion rules that can
//! never fire (E033) and review cases that can never apply (W005).
//!
//! A condition is brought to disjunctive normal form with negations pushed into the atoms;
//! each conjunction is then solved exactly per attribute (a set of allowed values for an
//! enumerated attribute, an interval with excluded points for a numeric one, equalities for
//! text). Atoms the solver does not understand (arithmetic over several attributes,
//! `has evidence`) are assumed satisfiable, and so is a condition whose normal form would be
//! too large, so E033 is never reported on a rule that might fire.

use super::arithmetic::fold;
use super::symbols::{KindInfo, Symbols};
use crate::ast::{
    AttrValue, AttributeType, CompareOp, Condition, ConversionRule, CreditAmount, ExprKind, Node,
    Operand, ReviewCase, ReviewCriteria, Span,
};
use crate::diagnostic::{Code, Diagnostic};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Conjunctions beyond this many are not explored.
const MAX_CONJUNCTIONS: usize = 256;

/// Reports conversion rules that can never fire and review cases that can never apply.
pub fn check(symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    for rule in &symbols.converts {
        convert(rule, symbols, out);
    }
    for review in &symbols.reviews {
        if let Some(kind) = symbols.kinds.get(&review.kind.value.value) {
            review_cases(review, kind, out);
        }
    }
}

fn convert(rule: &ConversionRule, symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    let never = |span: Span, label: String, help: &str| {
        Diagnostic::new(
            Code::RuleNeverFires,
            span,
            format!("conversion rule `{}` can never fire", rule.id.value),
        )
        .with_label(label)
        .with_help(help.to_string())
    };
    if let (Some(when), Some(kind)) = (&rule.when, symbols.kinds.get(&rule.kind.value.value)) {
        if let Some(why) = unsatisfiable(&when.value, kind) {
            let mut d = match why.conflict {
                Some(c) => {
                    let mut d = never(c.span, c.reason, "");
                    if let Some((span, label)) = c.related {
                        d = d.with_related(span, label);
                    }
                    d
                }
                None => never(
                    when.span,
                    "no alternative of this condition can hold".into(),
                    "",
                ),
            };
            d.help = Some(format!(
                "fix or remove the condition: as written, no `{}` outcome ever matches it",
                rule.kind.value.value
            ));
            out.push(d);
        }
    }
    if let Some(from) = &rule.from {
        let shares: Vec<Option<Decimal>> = from
            .value
            .iter()
            .map(|i| symbols.institutions.get(&i.value).map(|i| i.share.value))
            .collect();
        if !shares.is_empty() && shares.iter().all(|s| *s == Some(Decimal::ZERO)) {
            out.push(never(
                from.span,
                "every institution listed converts at share 0%".into(),
                "list an institution with a share above 0%, or change the shares",
            ));
        }
    }
    let zero = match &rule.credits.value {
        CreditAmount::Table { rows, .. } => {
            !rows.is_empty() && rows.iter().all(|r| r.value.credits.value.is_zero())
        }
        CreditAmount::Formula { expr, .. } => fold(expr) == Some(Decimal::ZERO),
    };
    if zero {
        out.push(never(
            rule.credits.span,
            "this always grants 0 credits".into(),
            "grant a positive number of credits, or remove the rule",
        ));
    }
}

fn review_cases(review: &ReviewCriteria, kind: &KindInfo, out: &mut Vec<Diagnostic>) {
    for (list, word) in [(&review.reject, "reject"), (&review.approve, "approve")] {
        for (i, case) in list.iter().enumerate() {
            let earlier = list.get(..i).unwrap_or_default();
            let same = earlier.iter().find(|e| e.value.when == case.value.when);
            let always = || earlier.iter().find(|e| always_holds(&e.value.when, kind));
            let d = if let Some(first) = same {
                unreachable_case(case, word, "has the same condition as an earlier case")
                    .with_related(first.span, "this case applies first")
            } else if let Some(first) = always() {
                unreachable_case(case, word, "comes after a case that always applies")
                    .with_related(first.span, "this case always applies")
            } else if unsatisfiable(&case.value.when, kind).is_some() {
                unreachable_case(case, word, "has a condition that never holds")
            } else {
                continue;
            };
            out.push(d);
        }
    }
}

fn unreachable_case(case: &Node<ReviewCase>, word: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnreachableCase,
        case.span,
        format!("this `{word} when` case can never apply: it {why}"),
    )
    .with_label("never applies")
    .with_help("remove the case, or change its condition or order")
}

/// True when no outcome of `kind` fails `c`.
pub fn always_holds(c: &Condition, kind: &KindInfo) -> bool {
    match dnf(c, true, kind) {
        Some(conjunctions) => conjunctions
            .iter()
            .all(|atoms| solve(atoms, kind).is_some()),
        None => false,
    }
}

/// Why a condition is unsatisfiable.
struct Unsatisfiable {
    /// For a single conjunction: the atom where it became contradictory.
    conflict: Option<Conflict>,
}

/// The atom that made a conjunction contradictory.
struct Conflict {
    span: Span,
    reason: String,
    related: Option<(Span, String)>,
}

/// `Some` when no outcome of `kind` satisfies `c`.
fn unsatisfiable(c: &Condition, kind: &KindInfo) -> Option<Unsatisfiable> {
    let conjunctions = dnf(c, false, kind)?;
    let mut conflicts = Vec::new();
    for atoms in &conjunctions {
        conflicts.push(solve(atoms, kind)?);
    }
    let conflict = if conflicts.len() == 1 {
        conflicts.pop()
    } else {
        None
    };
    Some(Unsatisfiable { conflict })
}

/// One atom of a conjunction, with negation already applied.
#[derive(Clone)]
enum Atom<'a> {
    /// The enumerated attribute's value is one of these.
    OneOf(&'a str, Vec<&'a str>, Span),
    /// The numeric attribute compared with a constant.
    Compare(&'a str, CompareOp, Decimal, Span),
    /// The numeric attribute is one of these (or, when `false`, none of them).
    Points(&'a str, Vec<Decimal>, bool, Span),
    /// The text attribute equals (or, when `false`, differs from) the string.
    Text(&'a str, &'a str, bool, Span),
    /// Something the solver does not reason about.
    Opaque,
}

fn negate(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Eq => CompareOp::Ne,
        CompareOp::Ne => CompareOp::Eq,
        CompareOp::Lt => CompareOp::Ge,
        CompareOp::Le => CompareOp::Gt,
        CompareOp::Gt => CompareOp::Le,
        CompareOp::Ge => CompareOp::Lt,
    }
}

/// `c op x` written as `x op' c`.
fn flip(op: CompareOp) -> CompareOp {
    match op {
        CompareOp::Lt => CompareOp::Gt,
        CompareOp::Le => CompareOp::Ge,
        CompareOp::Gt => CompareOp::Lt,
        CompareOp::Ge => CompareOp::Le,
        other => other,
    }
}

type Dnf<'a> = Vec<Vec<Atom<'a>>>;

/// The disjunctive normal form of `c` (negated when `negated`), or `None` when too large.
fn dnf<'a>(c: &'a Condition, negated: bool, kind: &KindInfo<'a>) -> Option<Dnf<'a>> {
    match (c, negated) {
        (Condition::Not(inner), _) => dnf(inner, !negated, kind),
        (Condition::Or(list), false) | (Condition::And(list), true) => {
            let mut all = Vec::new();
            for c in list {
                all.extend(dnf(c, negated, kind)?);
                if all.len() > MAX_CONJUNCTIONS {
                    return None;
                }
            }
            Some(all)
        }
        (Condition::And(list), false) | (Condition::Or(list), true) => {
            let mut acc: Dnf<'a> = vec![Vec::new()];
            for c in list {
                let part = dnf(c, negated, kind)?;
                if acc.len().saturating_mul(part.len()) > MAX_CONJUNCTIONS {
                    return None;
                }
                let mut next = Vec::with_capacity(acc.len() * part.len());
                for a in &acc {
                    for p in &part {
                        let mut joined = a.clone();
                        joined.extend(p.iter().cloned());
                        next.push(joined);
                    }
                }
                acc = next;
            }
            Some(acc)
        }
        (leaf, _) => Some(vec![vec![atom(leaf, negated, kind)]]),
    }
}

fn enum_values<'a>(kind: &KindInfo<'a>, attr: &str) -> Option<Vec<&'a str>> {
    match &kind.attributes.get(attr)?.ty {
        AttributeType::Enum(values) => Some(values.iter().map(|v| v.id.value.as_str()).collect()),
        _ => None,
    }
}

/// The enum value a string or name denotes.
fn enum_value<'a>(kind: &KindInfo<'a>, attr: &str, text: &str) -> Option<&'a str> {
    match &kind.attributes.get(attr)?.ty {
        AttributeType::Enum(values) => values
            .iter()
            .find(|v| v.id.value == text || v.name.as_ref().is_some_and(|n| n.value == text))
            .map(|v| v.id.value.as_str()),
        _ => None,
    }
}

fn attr_type<'a>(kind: &KindInfo<'a>, name: &str) -> Option<&'a AttributeType> {
    kind.attributes.get(name).map(|a| &a.ty)
}

fn atom<'a>(c: &'a Condition, negated: bool, kind: &KindInfo<'a>) -> Atom<'a> {
    match c {
        Condition::Compare { lhs, op, rhs, span } => {
            let op = if negated { negate(op.value) } else { op.value };
            let var = |e: &'a crate::ast::Expr| match &e.kind {
                ExprKind::Var(v) => Some(v.as_str()),
                _ => None,
            };
            let rhs_expr = match rhs {
                Operand::Expr(e) => Some(e),
                Operand::Text(_) => None,
            };
            let Some(name) = var(lhs).or_else(|| rhs_expr.and_then(var)) else {
                return Atom::Opaque;
            };
            let lhs_is_attr = var(lhs) == Some(name);
            match attr_type(kind, name) {
                Some(AttributeType::Enum(_)) if matches!(op, CompareOp::Eq | CompareOp::Ne) => {
                    let other = match (lhs_is_attr, rhs) {
                        (true, Operand::Text(t)) => enum_value(kind, name, &t.value),
                        (true, Operand::Expr(e)) => var(e).and_then(|v| enum_value(kind, name, v)),
                        (false, _) => var(lhs).and_then(|v| enum_value(kind, name, v)),
                    };
                    let (Some(value), Some(domain)) = (other, enum_values(kind, name)) else {
                        return Atom::Opaque;
                    };
                    let allowed = domain
                        .into_iter()
                        .filter(|v| (*v == value) == (op == CompareOp::Eq))
                        .collect();
                    Atom::OneOf(name, allowed, *span)
                }
                Some(AttributeType::Number(_) | AttributeType::Integer(_)) => {
                    let constant = if lhs_is_attr {
                        rhs_expr.and_then(fold)
                    } else {
                        fold(lhs)
                    };
                    match constant {
                        Some(v) if lhs_is_attr => Atom::Compare(name, op, v, *span),
                        Some(v) => Atom::Compare(name, flip(op), v, *span),
                        None => Atom::Opaque,
                    }
                }
                Some(AttributeType::Text) if matches!(op, CompareOp::Eq | CompareOp::Ne) => {
                    match (lhs_is_attr, rhs) {
                        (true, Operand::Text(t)) => {
                            Atom::Text(name, &t.value, op == CompareOp::Eq, *span)
                        }
                        _ => Atom::Opaque,
                    }
                }
                _ => Atom::Opaque,
            }
        }
        Condition::In { attr, values, span } => match attr_type(kind, &attr.value) {
            Some(AttributeType::Enum(_)) => {
                let Some(domain) = enum_values(kind, &attr.value) else {
                    return Atom::Opaque;
                };
                let mut listed = Vec::new();
                for v in values {
                    let text = match v {
                        AttrValue::Ident(i) => &i.value,
                        AttrValue::Text(t) => &t.value,
                        AttrValue::Number(_) => continue,
                    };
                    if let Some(value) = enum_value(kind, &attr.value, text) {
                        listed.push(value);
                    }
                }
                let allowed = domain
                    .into_iter()
                    .filter(|v| listed.contains(v) != negated)
                    .collect();
                Atom::OneOf(&attr.value, allowed, *span)
            }
            Some(AttributeType::Number(_) | AttributeType::Integer(_)) => {
                let points = values
                    .iter()
                    .filter_map(|v| match v {
                        AttrValue::Number(n) => Some(n.value),
                        _ => None,
                    })
                    .collect();
                Atom::Points(&attr.value, points, !negated, *span)
            }
            _ => Atom::Opaque,
        },
        _ => Atom::Opaque,
    }
}

/// What a conjunction allows for one numeric attribute.
struct Numeric {
    lo: Option<(Decimal, bool)>,
    hi: Option<(Decimal, bool)>,
    excluded: Vec<Decimal>,
    points: Option<Vec<Decimal>>,
    integer: bool,
    /// The declared range, for the conflict's explanation.
    declared: Option<Span>,
}

impl Numeric {
    fn new(ty: &AttributeType) -> Self {
        let (range, integer) = match ty {
            AttributeType::Number(r) => (r.as_ref(), false),
            AttributeType::Integer(r) => (r.as_ref(), true),
            _ => (None, false),
        };
        Numeric {
            lo: range.map(|r| (r.min.value, true)),
            hi: range.map(|r| (r.max.value, true)),
            excluded: Vec::new(),
            points: None,
            integer,
            declared: range.map(|r| r.min.span.to(r.max.span)),
        }
    }

    fn lower(&mut self, v: Decimal, closed: bool) {
        let tighter = match self.lo {
            None => true,
            Some((l, c)) => v > l || (v == l && c && !closed),
        };
        if tighter {
            self.lo = Some((v, closed));
        }
    }

    fn upper(&mut self, v: Decimal, closed: bool) {
        let tighter = match self.hi {
            None => true,
            Some((h, c)) => v < h || (v == h && c && !closed),
        };
        if tighter {
            self.hi = Some((v, closed));
        }
    }

    fn apply(&mut self, op: CompareOp, v: Decimal) {
        match op {
            CompareOp::Eq => {
                self.lower(v, true);
                self.upper(v, true);
            }
            CompareOp::Ne => self.excluded.push(v),
            CompareOp::Lt => self.upper(v, false),
            CompareOp::Le => self.upper(v, true),
            CompareOp::Gt => self.lower(v, false),
            CompareOp::Ge => self.lower(v, true),
        }
    }

    fn admits(&self, v: Decimal) -> bool {
        let above = self.lo.is_none_or(|(l, c)| v > l || (c && v == l));
        let below = self.hi.is_none_or(|(h, c)| v < h || (c && v == h));
        above && below && !self.excluded.contains(&v) && (!self.integer || v.fract().is_zero())
    }

    fn satisfiable(&self) -> bool {
        if let Some(points) = &self.points {
            return points.iter().any(|p| self.admits(*p));
        }
        let mut lo = self.lo;
        let mut hi = self.hi;
        if self.integer {
            lo = lo.map(|(l, c)| {
                let v = if c {
                    l.ceil()
                } else {
                    l.floor().checked_add(Decimal::ONE).unwrap_or(l)
                };
                (v, true)
            });
            hi = hi.map(|(h, c)| {
                let v = if c {
                    h.floor()
                } else {
                    h.ceil().checked_sub(Decimal::ONE).unwrap_or(h)
                };
                (v, true)
            });
        }
        match (lo, hi) {
            (Some((l, lc)), Some((h, hc))) => {
                if l > h || (l == h && !(lc && hc)) {
                    return false;
                }
                if l == h {
                    return !self.excluded.contains(&l);
                }
                // A few integers, all excluded one by one.
                let few = h
                    .checked_sub(l)
                    .is_some_and(|width| width < Decimal::from(self.excluded.len()));
                if self.integer && few {
                    let mut v = l;
                    while v <= h {
                        if !self.excluded.contains(&v) {
                            return true;
                        }
                        match v.checked_add(Decimal::ONE) {
                            Some(next) => v = next,
                            None => break,
                        }
                    }
                    return false;
                }
                true
            }
            _ => true,
        }
    }
}

/// Solves one conjunction: `Some(conflict)` when it is unsatisfiable.
fn solve(atoms: &[Atom], kind: &KindInfo) -> Option<Conflict> {
    let mut enums: HashMap<&str, (Vec<&str>, Span)> = HashMap::new();
    let mut numbers: HashMap<&str, (Numeric, Span)> = HashMap::new();
    let mut texts: HashMap<&str, (Option<&str>, Vec<&str>, Span)> = HashMap::new();
    for atom in atoms {
        match atom {
            Atom::Opaque => {}
            Atom::OneOf(attr, allowed, span) => {
                let entry = enums
                    .entry(attr)
                    .or_insert_with(|| (enum_values(kind, attr).unwrap_or_default(), *span));
                let first = entry.1;
                entry.0.retain(|v| allowed.contains(v));
                if entry.0.is_empty() {
                    let related =
                        (!same(first, *span)).then(|| (first, "contradicts this test".to_string()));
                    return Some(Conflict {
                        span: *span,
                        reason: format!(
                            "no value of `{attr}` satisfies this together with the rest"
                        ),
                        related,
                    });
                }
            }
            Atom::Compare(attr, _, _, span) | Atom::Points(attr, _, _, span) => {
                let Some(ty) = attr_type(kind, attr) else {
                    continue;
                };
                let entry = numbers
                    .entry(attr)
                    .or_insert_with(|| (Numeric::new(ty), *span));
                match atom {
                    Atom::Compare(_, op, v, _) => entry.0.apply(*op, *v),
                    Atom::Points(_, points, true, _) => {
                        let kept = match entry.0.points.take() {
                            Some(old) => old.into_iter().filter(|p| points.contains(p)).collect(),
                            None => points.clone(),
                        };
                        entry.0.points = Some(kept);
                    }
                    Atom::Points(_, points, false, _) => {
                        entry.0.excluded.extend(points.iter().copied())
                    }
                    _ => {}
                }
                if !entry.0.satisfiable() {
                    let first = entry.1;
                    let (reason, related) = if !same(first, *span) {
                        (
                            format!("no value of `{attr}` satisfies this together with the rest"),
                            Some((first, "contradicts this test".to_string())),
                        )
                    } else {
                        (
                            format!("`{attr}` never has such a value"),
                            entry.0.declared.map(|s| (s, "declared range".to_string())),
                        )
                    };
                    return Some(Conflict {
                        span: *span,
                        reason,
                        related,
                    });
                }
            }
            Atom::Text(attr, value, eq, span) => {
                let entry = texts.entry(attr).or_insert((None, Vec::new(), *span));
                if *eq {
                    if entry.0.is_some_and(|e| e != *value) {
                        entry.0 = Some(value);
                        let first = entry.2;
                        return Some(text_conflict(attr, *span, first));
                    }
                    entry.0 = Some(value);
                } else {
                    entry.1.push(value);
                }
                if entry.0.is_some_and(|e| entry.1.contains(&e)) {
                    let first = entry.2;
                    return Some(text_conflict(attr, *span, first));
                }
            }
        }
    }
    None
}

fn text_conflict(attr: &str, span: Span, first: Span) -> Conflict {
    Conflict {
        span,
        reason: format!("no value of `{attr}` satisfies this together with the rest"),
        related: (!same(first, span)).then(|| (first, "contradicts this test".to_string())),
    }
}

/// True when two spans are the same place (span equality ignores places).
fn same(a: Span, b: Span) -> bool {
    (a.start, a.end) == (b.start, b.end)
}
