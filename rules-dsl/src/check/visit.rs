//! Walks over conditions and expressions, shared by the checks.

use crate::ast::{Condition, Expr, ExprKind, Operand, Span};

/// Calls `f` on every leaf of `c`: comparisons, memberships and `has evidence`.
pub fn atoms<'a>(c: &'a Condition, f: &mut dyn FnMut(&'a Condition)) {
    match c {
        Condition::Or(list) | Condition::And(list) => list.iter().for_each(|c| atoms(c, f)),
        Condition::Not(inner) => atoms(inner, f),
        Condition::Compare { .. } | Condition::In { .. } | Condition::HasEvidence(_) => f(c),
    }
}

/// Calls `f` on both sides of every comparison in `c` (a text right side is skipped).
pub fn condition_exprs<'a>(c: &'a Condition, f: &mut dyn FnMut(&'a Expr)) {
    atoms(c, &mut |atom| {
        if let Condition::Compare { lhs, rhs, .. } = atom {
            f(lhs);
            if let Operand::Expr(rhs) = rhs {
                f(rhs);
            }
        }
    });
}

/// Calls `f` on every variable of `e`, with its span.
pub fn vars(e: &Expr, f: &mut dyn FnMut(&str, Span)) {
    match &e.kind {
        ExprKind::Number(_) => {}
        ExprKind::Var(name) => f(name, e.span),
        ExprKind::Neg(inner) => vars(inner, f),
        ExprKind::Binary(_, a, b) => {
            vars(a, f);
            vars(b, f);
        }
        ExprKind::Call(_, args) => args.iter().for_each(|a| vars(a, f)),
    }
}
