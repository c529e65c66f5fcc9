//! Evaluation of compiled nodes: exact, checked, and without allocation.

use super::{Arena, Cond, Fault, Node, Value, MAX_EXPONENT};
use creditbank_dsl::ast::{BinaryOp, CompareOp};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The whole number `e` is, when it is one and fits an `i64`.
pub(super) fn whole(e: Decimal) -> Option<i64> {
    if e.fract().is_zero() {
        e.to_i64()
    } else {
        None
    }
}

/// `base ^ n` by repeated multiplication; a negative `n` divides one by `base ^ -n`.
pub(super) fn pow(base: Decimal, n: i64) -> Result<Decimal, Fault> {
    let magnitude = n.unsigned_abs();
    let power = if base.is_zero() || base == Decimal::ONE {
        if n == 0 {
            Decimal::ONE
        } else {
            base
        }
    } else if base == Decimal::NEGATIVE_ONE {
        if magnitude % 2 == 0 {
            Decimal::ONE
        } else {
            Decimal::NEGATIVE_ONE
        }
    } else {
        if magnitude > MAX_EXPONENT.unsigned_abs() {
            return Err(Fault::ExponentTooLarge(Decimal::from(n)));
        }
        let mut acc = Decimal::ONE;
        for _ in 0..magnitude {
            acc = acc.checked_mul(base).ok_or(Fault::Overflow)?;
            if acc.is_zero() {
                break;
            }
        }
        acc
    };
    if n >= 0 {
        Ok(power)
    } else {
        divide(Decimal::ONE, power)
    }
}

fn divide(a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    if b.is_zero() {
        return Err(Fault::DivisionByZero);
    }
    a.checked_div(b).ok_or(Fault::Overflow)
}

fn binary(op: BinaryOp, a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    match op {
        BinaryOp::Add => a.checked_add(b).ok_or(Fault::Overflow),
        BinaryOp::Sub => a.checked_sub(b).ok_or(Fault::Overflow),
        BinaryOp::Mul => a.checked_mul(b).ok_or(Fault::Overflow),
        BinaryOp::Div => divide(a, b),
        BinaryOp::Pow => match whole(b) {
            Some(n) => pow(a, n),
            None if b.fract().is_zero() => Err(Fault::ExponentTooLarge(b)),
            None => Err(Fault::NonIntegerExponent(b)),
        },
    }
}

fn compare(op: CompareOp, a: Decimal, b: Decimal) -> bool {
    match op {
        CompareOp::Eq => a == b,
        CompareOp::Ne => a != b,
        CompareOp::Lt => a < b,
        CompareOp::Le => a <= b,
        CompareOp::Gt => a > b,
        CompareOp::Ge => a >= b,
    }
}

/// A fault that makes a comparison false rather than the evaluation fail.
fn is_missing(fault: &Fault) -> bool {
    matches!(fault, Fault::Missing(_))
}

impl Arena {
    fn value<'v, 'a>(&self, slot: u32, values: &'v [Value<'a>]) -> Result<&'v Value<'a>, Fault> {
        match values.get(slot as usize) {
            Some(Value::Missing) => Err(Fault::Missing(slot)),
            Some(value) => Ok(value),
            None => Err(Fault::NotSupplied(slot)),
        }
    }

    fn list(&self, start: u32, len: u32) -> &[u32] {
        // Ranges are built by the compiler over the arena it fills: always in bounds.
        self.args
            .get(start as usize..start as usize + len as usize)
            .unwrap_or(&[])
    }

    /// Evaluates numeric node `id`.
    pub(super) fn num(&self, id: u32, values: &[Value]) -> Result<Decimal, Fault> {
        let Some(node) = self.nodes.get(id as usize) else {
            return Err(Fault::Overflow);
        };
        match *node {
            Node::Const(value) => Ok(value),
            Node::Slot(slot) => match self.value(slot, values)? {
                Value::Number(value) => Ok(*value),
                _ => Err(Fault::WrongType(slot)),
            },
            Node::Neg(a) => Ok(-self.num(a, values)?),
            Node::Bin(op, a, b) => binary(op, self.num(a, values)?, self.num(b, values)?),
            Node::PowInt(a, n) => pow(self.num(a, values)?, n),
            Node::Floor(a) => Ok(self.num(a, values)?.floor()),
            Node::Ceil(a) => Ok(self.num(a, values)?.ceil()),
            Node::Min(start, len) | Node::Max(start, len) => {
                let is_min = matches!(node, Node::Min(..));
                let mut best: Option<Decimal> = None;
                for &arg in self.list(start, len) {
                    let value = self.num(arg, values)?;
                    best = Some(match best {
                        Some(b) if (is_min && b <= value) || (!is_min && b >= value) => b,
                        _ => value,
                    });
                }
                best.ok_or(Fault::Overflow)
            }
        }
    }

    /// Evaluates condition node `id`.
    pub(super) fn cond(&self, id: u32, values: &[Value], evidence: &[bool]) -> Result<bool, Fault> {
        let Some(cond) = self.conds.get(id as usize) else {
            return Ok(false);
        };
        // A missing attribute makes the comparison false (module docs).
        let held = |result: Result<bool, Fault>| match result {
            Err(fault) if is_missing(&fault) => Ok(false),
            other => other,
        };
        match *cond {
            Cond::Const(value) => Ok(value),
            Cond::Or(start, len) => {
                for &item in self.list(start, len) {
                    if self.cond(item, values, evidence)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Cond::And(start, len) => {
                for &item in self.list(start, len) {
                    if !self.cond(item, values, evidence)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Cond::Not(inner) => Ok(!self.cond(inner, values, evidence)?),
            Cond::Compare(op, a, b) => held(
                self.num(a, values)
                    .and_then(|x| self.num(b, values).map(|y| compare(op, x, y))),
            ),
            Cond::EnumIs {
                slot,
                value,
                negate,
            } => held(match self.value(slot, values) {
                Ok(Value::Enum(v)) => Ok((*v == value) != negate),
                Ok(_) => Err(Fault::WrongType(slot)),
                Err(fault) => Err(fault),
            }),
            Cond::EnumIn { slot, start, len } => held(match self.value(slot, values) {
                Ok(Value::Enum(v)) => Ok(self
                    .enum_values
                    .get(start as usize..start as usize + len as usize)
                    .is_some_and(|set| set.contains(v))),
                Ok(_) => Err(Fault::WrongType(slot)),
                Err(fault) => Err(fault),
            }),
            Cond::TextIs { slot, text, negate } => held(match self.value(slot, values) {
                Ok(Value::Text(v)) => {
                    Ok(self.texts.get(text as usize).is_some_and(|t| t == v) != negate)
                }
                Ok(_) => Err(Fault::WrongType(slot)),
                Err(fault) => Err(fault),
            }),
            Cond::TextIn { slot, start, len } => held(match self.value(slot, values) {
                Ok(Value::Text(v)) => Ok(self
                    .texts
                    .get(start as usize..start as usize + len as usize)
                    .is_some_and(|set| set.iter().any(|t| t == v))),
                Ok(_) => Err(Fault::WrongType(slot)),
                Err(fault) => Err(fault),
            }),
            Cond::NumberIn { expr, start, len } => held(self.num(expr, values).map(|v| {
                self.numbers
                    .get(start as usize..start as usize + len as usize)
                    .is_some_and(|set| set.contains(&v))
            })),
            Cond::HasEvidence(index) => Ok(evidence.get(index as usize).copied().unwrap_or(false)),
        }
    }
}
