//! Expressions and conditions, with the fewest parentheses that parse back to the same tree.
//!
//! Binding, loosest first: `+ -`, `* /`, `^` (right-associative), unary `-`. In the grammar a
//! unary minus binds tighter than `^` (`-a ^ 2` is `(-a) ^ 2`); both readings are spelled out
//! with parentheses so that a reader need not know that.

use super::lexical;
use crate::ast::{AttrValue, BinaryOp, CompareOp, Condition, Expr, ExprKind, Function, Operand};

/// How tightly an expression binds; higher binds tighter.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Sum,
    Product,
    Power,
    Neg,
    Atom,
}

fn prec(e: &Expr) -> Prec {
    match &e.kind {
        ExprKind::Binary(op, _, _) => op_prec(*op),
        ExprKind::Neg(_) => Prec::Neg,
        ExprKind::Number(_) | ExprKind::Var(_) | ExprKind::Call(_, _) => Prec::Atom,
    }
}

fn op_prec(op: BinaryOp) -> Prec {
    match op {
        BinaryOp::Add | BinaryOp::Sub => Prec::Sum,
        BinaryOp::Mul | BinaryOp::Div => Prec::Product,
        BinaryOp::Pow => Prec::Power,
    }
}

fn op_str(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        BinaryOp::Pow => "^",
    }
}

fn function_name(f: Function) -> &'static str {
    match f {
        Function::Min => "min",
        Function::Max => "max",
        Function::Floor => "floor",
        Function::Ceil => "ceil",
    }
}

/// An expression: `4 - 3 * (100 - score) ^ 2 / 1600`.
pub(super) fn expr(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, e);
    out
}

fn write_expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Number(n) => out.push_str(&lexical::number(n)),
        ExprKind::Var(name) => out.push_str(name),
        ExprKind::Neg(inner) => {
            out.push('-');
            // `--x` parses, but `-(-x)` is what a reader expects to see.
            let paren = matches!(inner.kind, ExprKind::Binary(..) | ExprKind::Neg(_));
            write_child(out, inner, paren);
        }
        ExprKind::Binary(op, lhs, rhs) => {
            let own = op_prec(*op);
            let (left_paren, right_paren) = if *op == BinaryOp::Pow {
                (
                    matches!(lhs.kind, ExprKind::Binary(..) | ExprKind::Neg(_)),
                    prec(rhs) < own,
                )
            } else {
                (prec(lhs) < own, prec(rhs) <= own)
            };
            write_child(out, lhs, left_paren);
            out.push(' ');
            out.push_str(op_str(*op));
            out.push(' ');
            write_child(out, rhs, right_paren);
        }
        ExprKind::Call(f, args) => {
            out.push_str(function_name(*f));
            out.push('(');
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, arg);
            }
            out.push(')');
        }
    }
}

fn write_child(out: &mut String, e: &Expr, paren: bool) {
    if paren {
        out.push('(');
        write_expr(out, e);
        out.push(')');
    } else {
        write_expr(out, e);
    }
}

fn compare_op(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "=",
        CompareOp::Ne => "!=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
    }
}

/// A condition: `level = national and not (award in (special, first))`.
pub(super) fn condition(c: &Condition) -> String {
    let mut out = String::new();
    write_condition(&mut out, c);
    out
}

fn write_condition(out: &mut String, c: &Condition) {
    match c {
        Condition::Or(parts) => write_junction(out, parts, " or "),
        Condition::And(parts) => write_junction(out, parts, " and "),
        Condition::Not(inner) => {
            out.push_str("not ");
            // `not a = b` parses the same, but reads as if `not` applied to `a` alone; only a
            // nested `not` or `has evidence` reads unambiguously without parentheses.
            let paren = !matches!(**inner, Condition::Not(_) | Condition::HasEvidence(_));
            write_sub_condition(out, inner, paren);
        }
        Condition::Compare { lhs, op, rhs, .. } => {
            write_expr(out, lhs);
            out.push(' ');
            out.push_str(compare_op(op.value));
            out.push(' ');
            match rhs {
                Operand::Expr(e) => write_expr(out, e),
                Operand::Text(t) => out.push_str(&lexical::text(t)),
            }
        }
        Condition::In { attr, values, .. } => {
            out.push_str(&attr.value);
            out.push_str(" in (");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                match v {
                    AttrValue::Ident(id) => out.push_str(&id.value),
                    AttrValue::Text(t) => out.push_str(&lexical::text(t)),
                    AttrValue::Number(n) => out.push_str(&lexical::number(&n.value)),
                }
            }
            out.push(')');
        }
        Condition::HasEvidence(id) => {
            out.push_str("has evidence ");
            out.push_str(&id.value);
        }
    }
}

/// `a or b or c`: a nested `and`/`or` operand is parenthesised, so that mixing the two never
/// relies on the reader knowing that `and` binds tighter, and a nested `or` is not flattened.
fn write_junction(out: &mut String, parts: &[Condition], sep: &str) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        let paren = matches!(part, Condition::Or(_) | Condition::And(_));
        write_sub_condition(out, part, paren);
    }
}

fn write_sub_condition(out: &mut String, c: &Condition, paren: bool) {
    if paren {
        out.push('(');
        write_condition(out, c);
        out.push(')');
    } else {
        write_condition(out, c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::{Ident, Span, Spanned};
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn e(kind: ExprKind) -> Expr {
        Expr {
            kind,
            span: Span::default(),
        }
    }
    fn var(name: &str) -> Expr {
        e(ExprKind::Var(name.into()))
    }
    fn num(n: &str) -> Expr {
        e(ExprKind::Number(Decimal::from_str(n).unwrap()))
    }
    fn bin(op: BinaryOp, a: Expr, b: Expr) -> Expr {
        e(ExprKind::Binary(op, Box::new(a), Box::new(b)))
    }
    fn neg(a: Expr) -> Expr {
        e(ExprKind::Neg(Box::new(a)))
    }
    fn id(name: &str) -> Ident {
        Spanned::new(name.into(), Span::default())
    }
    fn cmp(lhs: Expr, op: CompareOp, rhs: Expr) -> Condition {
        Condition::Compare {
            lhs,
            op: Spanned::new(op, Span::default()),
            rhs: Operand::Expr(rhs),
            span: Span::default(),
        }
    }
    fn has(name: &str) -> Condition {
        Condition::HasEvidence(id(name))
    }

    use BinaryOp::{Add, Div, Mul, Pow, Sub};

    #[test]
    fn left_associative_operators() {
        let a_minus_bc = bin(Sub, var("a"), bin(Sub, var("b"), var("c")));
        assert_eq!(expr(&a_minus_bc), "a - (b - c)");
        let ab_minus_c = bin(Sub, bin(Sub, var("a"), var("b")), var("c"));
        assert_eq!(expr(&ab_minus_c), "a - b - c");
        let mixed = bin(
            Div,
            bin(Mul, var("a"), var("b")),
            bin(Mul, var("c"), var("d")),
        );
        assert_eq!(expr(&mixed), "a * b / (c * d)");
        let sum_times = bin(Mul, bin(Add, var("a"), var("b")), var("c"));
        assert_eq!(expr(&sum_times), "(a + b) * c");
        let plus_product = bin(Add, var("a"), bin(Mul, var("b"), var("c")));
        assert_eq!(expr(&plus_product), "a + b * c");
    }

    #[test]
    fn power_and_negation() {
        assert_eq!(expr(&neg(bin(Pow, var("a"), num("2")))), "-(a ^ 2)");
        assert_eq!(expr(&bin(Pow, neg(var("a")), num("2"))), "(-a) ^ 2");
        let right = bin(Pow, num("2"), bin(Pow, num("3"), num("2")));
        assert_eq!(expr(&right), "2 ^ 3 ^ 2");
        let left = bin(Pow, bin(Pow, var("a"), var("b")), var("c"));
        assert_eq!(expr(&left), "(a ^ b) ^ c");
        assert_eq!(expr(&bin(Pow, var("a"), neg(var("b")))), "a ^ -b");
        let sum_exp = bin(Pow, var("a"), bin(Add, var("b"), num("1")));
        assert_eq!(expr(&sum_exp), "a ^ (b + 1)");
        assert_eq!(expr(&neg(neg(num("3")))), "-(-3)");
        assert_eq!(expr(&bin(Sub, var("a"), neg(var("b")))), "a - -b");
        assert_eq!(expr(&neg(bin(Add, var("a"), var("b")))), "-(a + b)");
    }

    #[test]
    fn the_sample_formula() {
        // 4 - 3 * (100 - score) ^ 2 / 1600
        let inner = bin(Sub, num("100"), var("score"));
        let power = bin(Pow, inner, num("2"));
        let product = bin(Div, bin(Mul, num("3"), power), num("1600"));
        let whole = bin(Sub, num("4"), product);
        assert_eq!(expr(&whole), "4 - 3 * (100 - score) ^ 2 / 1600");
    }

    #[test]
    fn calls() {
        let call = e(ExprKind::Call(
            Function::Min,
            vec![bin(Div, var("hours"), num("16")), num("4.0")],
        ));
        assert_eq!(expr(&call), "min(hours / 16, 4.0)");
        let floor = e(ExprKind::Call(Function::Floor, vec![var("x")]));
        assert_eq!(expr(&bin(Pow, floor, num("2"))), "floor(x) ^ 2");
        let ceil = e(ExprKind::Call(Function::Ceil, vec![var("x")]));
        assert_eq!(expr(&neg(ceil)), "-ceil(x)");
    }

    #[test]
    fn junctions_parenthesise_nested_junctions() {
        let nested_or = Condition::Or(vec![has("a"), Condition::Or(vec![has("b"), has("c")])]);
        assert_eq!(
            condition(&nested_or),
            "has evidence a or (has evidence b or has evidence c)"
        );
        let and_in_or = Condition::Or(vec![Condition::And(vec![has("a"), has("b")]), has("c")]);
        assert_eq!(
            condition(&and_in_or),
            "(has evidence a and has evidence b) or has evidence c"
        );
        let not_and = Condition::Not(Box::new(Condition::And(vec![has("a"), has("b")])));
        assert_eq!(
            condition(&not_and),
            "not (has evidence a and has evidence b)"
        );
        let not_not = Condition::Not(Box::new(Condition::Not(Box::new(has("a")))));
        assert_eq!(condition(&not_not), "not not has evidence a");
    }

    #[test]
    fn comparisons_and_membership() {
        let ge = cmp(var("score"), CompareOp::Ge, num("60"));
        assert_eq!(condition(&ge), "score >= 60");
        for (op, s) in [
            (CompareOp::Eq, "="),
            (CompareOp::Ne, "!="),
            (CompareOp::Lt, "<"),
            (CompareOp::Le, "<="),
            (CompareOp::Gt, ">"),
        ] {
            assert_eq!(
                condition(&cmp(var("a"), op, neg(num("1")))),
                format!("a {s} -1")
            );
        }
        let text = Condition::Compare {
            lhs: var("name"),
            op: Spanned::new(CompareOp::Eq, Span::default()),
            rhs: Operand::Text(Spanned::new("挑战\"杯\"".into(), Span::default())),
            span: Span::default(),
        };
        assert_eq!(condition(&text), r#"name = "挑战\"杯\"""#);
        let member = Condition::In {
            attr: id("level"),
            values: vec![
                AttrValue::Ident(id("national")),
                AttrValue::Text(Spanned::new("省级".into(), Span::default())),
                AttrValue::Number(Spanned::new(
                    Decimal::from_str("2.5").unwrap(),
                    Span::default(),
                )),
            ],
            span: Span::default(),
        };
        assert_eq!(condition(&member), "level in (national, \"省级\", 2.5)");
        let not_member = Condition::Not(Box::new(member));
        assert_eq!(
            condition(&not_member),
            "not (level in (national, \"省级\", 2.5))"
        );
        assert_eq!(
            condition(&Condition::Not(Box::new(ge))),
            "not (score >= 60)"
        );
    }
}
