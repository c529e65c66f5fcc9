//! Conditions and arithmetic.
//!
//! Chains that pest nests (`not not x`, `- - x`, `a ^ b ^ c`) are walked in loops, and every
//! tree built here is at most [`MAX_DEPTH`] deep, so that neither lowering nor whoever walks
//! the tree later (checker, formatter, evaluator, `Drop`) can run out of stack.

use super::{keyword_of, next, parts, Bad, Lowered, Lowerer, P};
use crate::ast::*;
use crate::diagnostic::{Code, Diagnostic};
use crate::parse::Rule;

/// The deepest condition or expression tree accepted.
const MAX_DEPTH: usize = 128;

impl Lowerer<'_, '_> {
    /// A `condition` pair.
    pub(super) fn condition(&mut self, p: P<'_>) -> Lowered<Condition> {
        Ok(self.cond(p)?.0)
    }

    /// An `expr` pair.
    pub(super) fn expr(&mut self, p: P<'_>) -> Lowered<Expr> {
        Ok(self.expr_depth(p)?.0)
    }

    fn deep(&mut self, depth: usize, span: Span) -> Lowered<()> {
        if depth <= MAX_DEPTH {
            return Ok(());
        }
        self.refuse(
            Diagnostic::new(Code::Syntax, span, "nesting too deep")
                .with_label(format!("nested more than {MAX_DEPTH} levels deep"))
                .with_help("split the expression, or drop redundant parentheses and operators"),
        );
        Err(Bad)
    }

    /// `condition`, `cond_or` or `cond_and`: one operand is itself, several are Or/And.
    fn cond(&mut self, p: P<'_>) -> Lowered<(Condition, usize)> {
        match p.as_rule() {
            Rule::condition => self.cond(next(&mut p.into_inner())?),
            Rule::cond_or | Rule::cond_and => {
                let rule = p.as_rule();
                let span = self.span(&p);
                let mut operands = Vec::new();
                let mut depth = 0;
                for c in parts(p) {
                    let (operand, d) = self.cond(c)?;
                    depth = depth.max(d);
                    operands.push(operand);
                }
                if operands.len() == 1 {
                    return operands.pop().map(|c| (c, depth)).ok_or(Bad);
                }
                self.deep(depth + 1, span)?;
                let condition = if rule == Rule::cond_or {
                    Condition::Or(operands)
                } else {
                    Condition::And(operands)
                };
                Ok((condition, depth + 1))
            }
            Rule::cond_not => self.cond_not(p),
            _ => Err(Bad),
        }
    }

    /// `not not ... atom`, walked in a loop.
    fn cond_not(&mut self, mut p: P<'_>) -> Lowered<(Condition, usize)> {
        let span = self.span(&p);
        let mut nots = 0;
        let atom = loop {
            let mut inner = p.into_inner();
            let first = next(&mut inner)?;
            if first.as_rule() != Rule::k_not {
                break first;
            }
            nots += 1;
            p = next(&mut inner)?;
        };
        let (mut condition, mut depth) = self.atom(atom)?;
        self.deep(depth + nots, span)?;
        for _ in 0..nots {
            condition = Condition::Not(Box::new(condition));
            depth += 1;
        }
        Ok((condition, depth))
    }

    fn atom(&mut self, p: P<'_>) -> Lowered<(Condition, usize)> {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::condition => self.cond(p),
            Rule::comparison => {
                let mut it = p.into_inner();
                let (lhs, left) = self.expr_depth(next(&mut it)?)?;
                let op_pair = next(&mut it)?;
                let op = match op_pair.as_str() {
                    ">=" => CompareOp::Ge,
                    "<=" => CompareOp::Le,
                    "!=" => CompareOp::Ne,
                    "=" => CompareOp::Eq,
                    ">" => CompareOp::Gt,
                    _ => CompareOp::Lt,
                };
                let op = Spanned::new(op, self.span(&op_pair));
                let rhs_pair = next(&mut it)?;
                let (rhs, right) = if rhs_pair.as_rule() == Rule::string {
                    (Operand::Text(self.text(rhs_pair)?), 0)
                } else {
                    let (e, d) = self.expr_depth(rhs_pair)?;
                    (Operand::Expr(e), d)
                };
                let depth = left.max(right) + 1;
                self.deep(depth, span)?;
                Ok((Condition::Compare { lhs, op, rhs, span }, depth))
            }
            Rule::membership => {
                let mut it = parts(p);
                let attr = self.ident(&next(&mut it)?);
                let mut values = Vec::new();
                for v in it {
                    let v = next(&mut v.into_inner())?;
                    values.push(match v.as_rule() {
                        Rule::string => AttrValue::Text(self.text(v)?),
                        Rule::number => AttrValue::Number(self.number(&v)),
                        _ => AttrValue::Ident(self.ident(&v)),
                    });
                }
                Ok((Condition::In { attr, values, span }, 1))
            }
            Rule::has_evidence => {
                let id = self.ident(&next(&mut parts(p))?);
                Ok((Condition::HasEvidence(id), 1))
            }
            _ => Err(Bad),
        }
    }

    /// `expr`, `sum` or `product`: operands joined left to right.
    fn expr_depth(&mut self, p: P<'_>) -> Lowered<(Expr, usize)> {
        match p.as_rule() {
            Rule::expr => self.expr_depth(next(&mut p.into_inner())?),
            Rule::sum | Rule::product => {
                let mut it = p.into_inner();
                let (mut acc, mut depth) = self.expr_depth(next(&mut it)?)?;
                while let Some(op) = it.next() {
                    let (rhs, d) = self.expr_depth(next(&mut it)?)?;
                    let op = match op.as_str() {
                        "+" => BinaryOp::Add,
                        "-" => BinaryOp::Sub,
                        "*" => BinaryOp::Mul,
                        _ => BinaryOp::Div,
                    };
                    let span = acc.span.to(rhs.span);
                    depth = depth.max(d) + 1;
                    self.deep(depth, span)?;
                    acc = Expr {
                        kind: ExprKind::Binary(op, Box::new(acc), Box::new(rhs)),
                        span,
                    };
                }
                Ok((acc, depth))
            }
            Rule::power => self.power(p),
            _ => Err(Bad),
        }
    }

    /// `a ^ b ^ c` is `a ^ (b ^ c)`; pest nests the chain, walked here in a loop.
    fn power(&mut self, mut p: P<'_>) -> Lowered<(Expr, usize)> {
        let mut operands = Vec::new();
        loop {
            let mut inner = p.into_inner();
            operands.push(self.unary(next(&mut inner)?)?);
            match inner.next() {
                Some(rest) => p = rest,
                None => break,
            }
        }
        let (mut acc, mut depth) = operands.pop().ok_or(Bad)?;
        while let Some((lhs, d)) = operands.pop() {
            let span = lhs.span.to(acc.span);
            depth = depth.max(d) + 1;
            self.deep(depth, span)?;
            acc = Expr {
                kind: ExprKind::Binary(BinaryOp::Pow, Box::new(lhs), Box::new(acc)),
                span,
            };
        }
        Ok((acc, depth))
    }

    /// `- - x`, walked in a loop; a parenthesised expression takes the span of its parentheses.
    fn unary(&mut self, mut p: P<'_>) -> Lowered<(Expr, usize)> {
        let mut negs = Vec::new();
        let primary = loop {
            let span = self.span(&p);
            let mut inner = p.into_inner();
            let first = next(&mut inner)?;
            if first.as_rule() != Rule::neg {
                break (first, span);
            }
            negs.push(span);
            p = next(&mut inner)?;
        };
        let (first, span) = primary;
        let (mut acc, mut depth) = match first.as_rule() {
            Rule::expr => {
                let (mut e, d) = self.expr_depth(first)?;
                e.span = span;
                (e, d)
            }
            Rule::number => {
                let n = self.number(&first);
                (
                    Expr {
                        kind: ExprKind::Number(n.value),
                        span: n.span,
                    },
                    1,
                )
            }
            Rule::variable => (
                Expr {
                    kind: ExprKind::Var(first.as_str().to_string()),
                    span: self.span(&first),
                },
                1,
            ),
            Rule::call => self.call(first)?,
            _ => return Err(Bad),
        };
        if let Some(outer) = negs.first() {
            self.deep(depth + negs.len(), *outer)?;
        }
        while let Some(span) = negs.pop() {
            acc = Expr {
                kind: ExprKind::Neg(Box::new(acc)),
                span,
            };
            depth += 1;
        }
        Ok((acc, depth))
    }

    fn call(&mut self, p: P<'_>) -> Lowered<(Expr, usize)> {
        let span = self.span(&p);
        let mut it = p.into_inner();
        let function = match keyword_of(&next(&mut it)?)? {
            Rule::k_min => Function::Min,
            Rule::k_max => Function::Max,
            Rule::k_floor => Function::Floor,
            _ => Function::Ceil,
        };
        let mut args = Vec::new();
        let mut depth = 0;
        for arg in it {
            let (e, d) = self.expr_depth(arg)?;
            depth = depth.max(d);
            args.push(e);
        }
        self.deep(depth + 1, span)?;
        Ok((
            Expr {
                kind: ExprKind::Call(function, args),
                span,
            },
            depth + 1,
        ))
    }
}
