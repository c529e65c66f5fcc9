//! Conditions and arithmetic: grouping, associativity, spans.

use super::*;
use crate::ast::*;

#[test]
fn arithmetic_associates_and_binds_as_usual() {
    use BinaryOp::*;
    assert_eq!(
        formula("a - b - c"),
        bin(Sub, bin(Sub, var("a"), var("b")), var("c"))
    );
    assert_eq!(
        formula("2 ^ 3 ^ 2"),
        bin(Pow, num("2"), bin(Pow, num("3"), num("2")))
    );
    assert_eq!(
        formula("1 + 2 * 3"),
        bin(Add, num("1"), bin(Mul, num("2"), num("3")))
    );
    assert_eq!(
        formula("(1 + 2) * 3"),
        bin(Mul, bin(Add, num("1"), num("2")), num("3"))
    );
    assert_eq!(
        formula("-x ^ 2"),
        bin(
            Pow,
            Expr {
                kind: ExprKind::Neg(Box::new(var("x"))),
                span: Span::default()
            },
            num("2")
        )
    );
    let call = formula("min(a, max(b, 1), floor(c))");
    let ExprKind::Call(Function::Min, args) = call.kind else {
        panic!()
    };
    assert_eq!(args.len(), 3);
    assert!(matches!(args[1].kind, ExprKind::Call(Function::Max, _)));
}

#[test]
fn expression_spans_cover_what_was_written() {
    let text =
        format!("{HEADER}convert c {{ kind k into i credits 4 - 3 * (100 - score) ^ 2 / 1600 }}");
    let parsed = parse_text(&text);
    let Item::Convert(r) = &parsed.file.items[1].value else {
        panic!()
    };
    let CreditAmount::Formula { expr, .. } = &r.credits.value else {
        panic!()
    };
    assert_eq!(slice(&text, expr.span), "4 - 3 * (100 - score) ^ 2 / 1600");
    let ExprKind::Binary(_, _, rhs) = &expr.kind else {
        panic!()
    };
    assert_eq!(slice(&text, rhs.span), "3 * (100 - score) ^ 2 / 1600");
    assert_eq!(
        slice(&text, r.credits.span),
        "credits 4 - 3 * (100 - score) ^ 2 / 1600"
    );
}

#[test]
fn conditions_keep_their_grouping() {
    let c = condition("a = 1 or (b = 2 or c = 3)");
    let Condition::Or(operands) = c else { panic!() };
    assert_eq!(operands.len(), 2);
    assert!(matches!(&operands[1], Condition::Or(inner) if inner.len() == 2));
    let c = condition("a = 1 or b = 2 or c = 3");
    assert!(matches!(c, Condition::Or(v) if v.len() == 3));
    let c = condition("(a = 1)");
    assert!(matches!(c, Condition::Compare { .. }));
    let c = condition("not not has evidence x and y in (p, \"q\", 3)");
    let Condition::And(parts) = c else { panic!() };
    assert!(matches!(&parts[0], Condition::Not(inner) if matches!(**inner, Condition::Not(_))));
    let Condition::In { values, .. } = &parts[1] else {
        panic!()
    };
    assert!(matches!(values[0], AttrValue::Ident(_)));
    assert!(matches!(values[1], AttrValue::Text(_)));
    assert!(matches!(values[2], AttrValue::Number(_)));
}

#[test]
fn comparison_right_sides() {
    let Condition::Compare { rhs, op, .. } = condition("level = national") else {
        panic!()
    };
    assert_eq!(op.value, CompareOp::Eq);
    assert_eq!(rhs, Operand::Expr(var("national")));
    let Condition::Compare { rhs, .. } = condition("name != \"x\"") else {
        panic!()
    };
    assert!(matches!(rhs, Operand::Text(t) if t.value == "x"));
    let Condition::Compare { op, .. } = condition("a <= b + 1") else {
        panic!()
    };
    assert_eq!(op.value, CompareOp::Le);
}
