//! Constant folding and interval analysis of arithmetic, for division by zero.
//!
//! A divisor that folds to zero whatever its variables are is an error (E025); a divisor whose
//! range of values, from the declared ranges of its variables, contains zero is a warning
//! (W003). Intervals are closed and may be unbounded on either side; any overflow widens the
//! interval to unbounded, so the analysis never panics and never claims too much.

use super::symbols::{KindInfo, Symbols};
use super::visit;
use crate::ast::{
    AttributeType, BinaryOp, Certificate, CreditAmount, Expr, ExprKind, Function, Graduation, Item,
    Program, RequirementBody, RulesetFile,
};
use crate::diagnostic::{Code, Diagnostic};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// A closed interval of values; `None` is unbounded on that side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    /// Lowest value, if bounded below.
    pub lo: Option<Decimal>,
    /// Highest value, if bounded above.
    pub hi: Option<Decimal>,
}

impl Interval {
    /// Every value.
    pub const ANY: Interval = Interval { lo: None, hi: None };

    /// Exactly `v`.
    pub fn point(v: Decimal) -> Self {
        Interval {
            lo: Some(v),
            hi: Some(v),
        }
    }

    /// `[lo, hi]`.
    pub fn new(lo: Decimal, hi: Decimal) -> Self {
        Interval {
            lo: Some(lo),
            hi: Some(hi),
        }
    }

    /// The single value, when the interval holds only one.
    pub fn constant(self) -> Option<Decimal> {
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) if lo == hi => Some(lo),
            _ => None,
        }
    }

    /// True when `v` is in the interval.
    pub fn contains(self, v: Decimal) -> bool {
        self.lo.is_none_or(|lo| lo <= v) && self.hi.is_none_or(|hi| v <= hi)
    }

    fn neg(self) -> Self {
        Interval {
            lo: self.hi.map(|h| -h),
            hi: self.lo.map(|l| -l),
        }
    }

    fn add(self, o: Self) -> Self {
        Interval {
            lo: both(self.lo, o.lo, Decimal::checked_add),
            hi: both(self.hi, o.hi, Decimal::checked_add),
        }
    }

    fn sub(self, o: Self) -> Self {
        self.add(o.neg())
    }

    fn mul(self, o: Self) -> Self {
        if self.constant() == Some(Decimal::ZERO) || o.constant() == Some(Decimal::ZERO) {
            return Interval::point(Decimal::ZERO);
        }
        match (self.lo, self.hi, o.lo, o.hi) {
            (Some(a), Some(b), Some(c), Some(d)) => hull([
                a.checked_mul(c),
                a.checked_mul(d),
                b.checked_mul(c),
                b.checked_mul(d),
            ]),
            _ => Interval::ANY,
        }
    }

    fn div(self, o: Self) -> Self {
        if o.contains(Decimal::ZERO) {
            return Interval::ANY;
        }
        match (self.lo, self.hi, o.lo, o.hi) {
            (Some(a), Some(b), Some(c), Some(d)) => hull([
                a.checked_div(c),
                a.checked_div(d),
                b.checked_div(c),
                b.checked_div(d),
            ]),
            _ => Interval::ANY,
        }
    }

    fn pow(self, exponent: Self) -> Self {
        let Some(n) = exponent.constant() else {
            return Interval::ANY;
        };
        if n.fract() != Decimal::ZERO || n.is_sign_negative() || n > Decimal::from(64) {
            return Interval::ANY;
        }
        let Some(n) = n.to_u32() else {
            return Interval::ANY;
        };
        if n == 0 {
            return Interval::point(Decimal::ONE);
        }
        let even = n % 2 == 0;
        match (self.lo, self.hi) {
            (Some(lo), Some(hi)) => {
                let (Some(a), Some(b)) = (power(lo, n), power(hi, n)) else {
                    return Interval::ANY;
                };
                if even && self.contains(Decimal::ZERO) {
                    Interval::new(Decimal::ZERO, a.max(b))
                } else {
                    Interval::new(a.min(b), a.max(b))
                }
            }
            _ if even => Interval {
                lo: Some(Decimal::ZERO),
                hi: None,
            },
            _ => Interval::ANY,
        }
    }
}

fn both(
    a: Option<Decimal>,
    b: Option<Decimal>,
    f: fn(Decimal, Decimal) -> Option<Decimal>,
) -> Option<Decimal> {
    f(a?, b?)
}

fn hull(values: [Option<Decimal>; 4]) -> Interval {
    let mut lo: Option<Decimal> = None;
    let mut hi: Option<Decimal> = None;
    for v in values {
        let Some(v) = v else {
            return Interval::ANY;
        };
        lo = Some(lo.map_or(v, |l| l.min(v)));
        hi = Some(hi.map_or(v, |h| h.max(v)));
    }
    Interval { lo, hi }
}

fn power(base: Decimal, n: u32) -> Option<Decimal> {
    let mut acc = Decimal::ONE;
    for _ in 0..n {
        acc = acc.checked_mul(base)?;
    }
    Some(acc)
}

/// The values `expr` can take when each variable ranges over `env(name)`.
pub fn interval(expr: &Expr, env: &dyn Fn(&str) -> Interval) -> Interval {
    match &expr.kind {
        ExprKind::Number(n) => Interval::point(*n),
        ExprKind::Var(name) => env(name),
        ExprKind::Neg(e) => interval(e, env).neg(),
        ExprKind::Binary(op, a, b) => {
            let (a, b) = (interval(a, env), interval(b, env));
            match op {
                BinaryOp::Add => a.add(b),
                BinaryOp::Sub => a.sub(b),
                BinaryOp::Mul => a.mul(b),
                BinaryOp::Div => a.div(b),
                BinaryOp::Pow => a.pow(b),
            }
        }
        ExprKind::Call(f, args) => {
            let args: Vec<Interval> = args.iter().map(|a| interval(a, env)).collect();
            call(*f, &args)
        }
    }
}

fn call(f: Function, args: &[Interval]) -> Interval {
    match f {
        // min(a, b) is at most any argument's upper bound, and unbounded below as soon as
        // one argument is.
        Function::Min => Interval {
            lo: args
                .iter()
                .try_fold(None::<Decimal>, |acc, a| {
                    a.lo.map(|l| Some(acc.map_or(l, |x| x.min(l))))
                })
                .flatten(),
            hi: args.iter().filter_map(|a| a.hi).min(),
        },
        Function::Max => Interval {
            lo: args.iter().filter_map(|a| a.lo).max(),
            hi: args
                .iter()
                .try_fold(None::<Decimal>, |acc, a| {
                    a.hi.map(|h| Some(acc.map_or(h, |x| x.max(h))))
                })
                .flatten(),
        },
        Function::Floor | Function::Ceil => match args {
            [a] => {
                let round = |v: Decimal| {
                    if f == Function::Floor {
                        v.floor()
                    } else {
                        v.ceil()
                    }
                };
                Interval {
                    lo: a.lo.map(round),
                    hi: a.hi.map(round),
                }
            }
            _ => Interval::ANY,
        },
    }
}

/// The constant value of `expr`, when it has one whatever its variables are.
pub fn fold(expr: &Expr) -> Option<Decimal> {
    interval(expr, &|_| Interval::ANY).constant()
}

/// Reports every division in `expr` whose divisor is constantly zero (E025) and, when `env`
/// is given, every divisor whose values include zero (W003).
pub fn check_divisions(
    expr: &Expr,
    env: Option<&dyn Fn(&str) -> Interval>,
    out: &mut Vec<Diagnostic>,
) {
    match &expr.kind {
        ExprKind::Number(_) | ExprKind::Var(_) => {}
        ExprKind::Neg(e) => check_divisions(e, env, out),
        ExprKind::Binary(op, a, b) => {
            check_divisions(a, env, out);
            check_divisions(b, env, out);
            if *op == BinaryOp::Div {
                divisor(b, env, out);
            }
        }
        ExprKind::Call(_, args) => args.iter().for_each(|a| check_divisions(a, env, out)),
    }
}

fn divisor(b: &Expr, env: Option<&dyn Fn(&str) -> Interval>, out: &mut Vec<Diagnostic>) {
    if fold(b) == Some(Decimal::ZERO) {
        out.push(
            Diagnostic::new(Code::DivisionByZero, b.span, "division by zero")
                .with_label("this divisor is always 0")
                .with_help("divide by a non-zero number, or remove the division"),
        );
        return;
    }
    let Some(env) = env else {
        return;
    };
    let range = interval(b, env);
    if range.contains(Decimal::ZERO) {
        out.push(
            Diagnostic::new(Code::MaybeDivisionByZero, b.span, "division may be by zero")
                .with_label(format!("this divisor ranges over {}", describe(range)))
                .with_help(
                    "keep the divisor away from 0 over the values it can take: narrow the \
                     scale's range, declare an attribute range that excludes 0 \
                     (e.g. `number [1, 100]`), or divide by `max(1, ...)`",
                ),
        );
    }
}

/// Checks the divisions of conversion credits, review conditions and count filters. With
/// `symbols` (the whole file parsed), divisors are also bounded by their kind's attribute
/// ranges; without, only constant zero divisors are reported.
pub fn check_file(file: &RulesetFile, symbols: Option<&Symbols>, out: &mut Vec<Diagnostic>) {
    let visit_kind = |kind: &str, exprs: Vec<&Expr>, out: &mut Vec<Diagnostic>| {
        let info = symbols.and_then(|s| s.kinds.get(kind));
        let env = |name: &str| info.map_or(Interval::ANY, |k| attribute_interval(k, name));
        for e in exprs {
            check_divisions(e, info.map(|_| &env as &dyn Fn(&str) -> Interval), out);
        }
    };
    for item in &file.items {
        match &item.value {
            Item::Convert(rule) => {
                let mut exprs = Vec::new();
                if let Some(when) = &rule.when {
                    visit::condition_exprs(&when.value, &mut |e| exprs.push(e));
                }
                if let CreditAmount::Formula { expr, .. } = &rule.credits.value {
                    exprs.push(expr);
                }
                visit_kind(&rule.kind.value.value, exprs, out);
            }
            Item::Review(review) => {
                let mut exprs = Vec::new();
                for case in review.reject.iter().chain(&review.approve) {
                    visit::condition_exprs(&case.value.when, &mut |e| exprs.push(e));
                }
                visit_kind(&review.kind.value.value, exprs, out);
            }
            Item::Graduation(Graduation { requirements, .. })
            | Item::Program(Program { requirements, .. })
            | Item::Certificate(Certificate { requirements, .. }) => {
                for r in requirements {
                    if let RequirementBody::Count {
                        kind,
                        filter: Some(filter),
                        ..
                    } = &r.value.body
                    {
                        let mut exprs = Vec::new();
                        visit::condition_exprs(filter, &mut |e| exprs.push(e));
                        visit_kind(&kind.value, exprs, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The declared range of a numeric attribute; anything else is unbounded.
pub fn attribute_interval(kind: &KindInfo, name: &str) -> Interval {
    match kind.attributes.get(name).map(|a| &a.ty) {
        Some(AttributeType::Number(Some(r)) | AttributeType::Integer(Some(r)))
            if r.min.value <= r.max.value =>
        {
            Interval::new(r.min.value, r.max.value)
        }
        _ => Interval::ANY,
    }
}

/// `[0, 100]`, `(-inf, 5]`: an interval for messages.
pub fn describe(i: Interval) -> String {
    let lo = i.lo.map_or("(-inf".to_string(), |l| format!("[{l}"));
    let hi = i.hi.map_or("+inf)".to_string(), |h| format!("{h}]"));
    format!("`{lo}, {hi}`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Span;

    fn n(v: i64) -> Expr {
        Expr {
            kind: ExprKind::Number(Decimal::from(v)),
            span: Span::default(),
        }
    }
    fn var(name: &str) -> Expr {
        Expr {
            kind: ExprKind::Var(name.into()),
            span: Span::default(),
        }
    }
    fn bin(op: BinaryOp, a: Expr, b: Expr) -> Expr {
        Expr {
            kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
            span: Span::default(),
        }
    }

    #[test]
    fn folds_constants() {
        let e = bin(BinaryOp::Sub, n(2), n(2));
        assert_eq!(fold(&e), Some(Decimal::ZERO));
        let e = bin(BinaryOp::Mul, var("x"), n(0));
        assert_eq!(fold(&e), Some(Decimal::ZERO));
        assert_eq!(fold(&var("x")), None);
        let e = bin(BinaryOp::Pow, n(2), n(10));
        assert_eq!(fold(&e), Some(Decimal::from(1024)));
    }

    #[test]
    fn constant_zero_divisor_is_an_error() {
        let mut out = Vec::new();
        let e = bin(BinaryOp::Div, var("hours"), bin(BinaryOp::Sub, n(2), n(2)));
        check_divisions(&e, None, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::DivisionByZero);
    }

    #[test]
    fn divisor_range_including_zero_warns() {
        let env = |name: &str| {
            if name == "x" {
                Interval::new(Decimal::ZERO, Decimal::from(10))
            } else {
                Interval::ANY
            }
        };
        let mut out = Vec::new();
        let e = bin(BinaryOp::Div, n(1), bin(BinaryOp::Sub, var("x"), n(5)));
        check_divisions(&e, Some(&env), &mut out);
        assert_eq!(out[0].code, Code::MaybeDivisionByZero);
        out.clear();
        let e = bin(BinaryOp::Div, n(1), bin(BinaryOp::Add, var("x"), n(1)));
        check_divisions(&e, Some(&env), &mut out);
        assert!(out.is_empty());
        let e = bin(BinaryOp::Div, n(1), var("y"));
        check_divisions(&e, Some(&env), &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn powers_and_calls_stay_sound() {
        let env = |_: &str| Interval::new(Decimal::from(-2), Decimal::from(3));
        let sq = bin(BinaryOp::Pow, var("x"), n(2));
        assert_eq!(
            interval(&sq, &env),
            Interval::new(Decimal::ZERO, Decimal::from(9))
        );
        let min = Expr {
            kind: ExprKind::Call(Function::Min, vec![var("x"), n(1)]),
            span: Span::default(),
        };
        assert_eq!(
            interval(&min, &env),
            Interval::new(Decimal::from(-2), Decimal::ONE)
        );
        let huge = bin(BinaryOp::Pow, n(10), n(60));
        assert_eq!(interval(&huge, &env), Interval::ANY);
    }
}
