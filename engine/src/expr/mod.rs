//! Arithmetic expressions and conditions, compiled once and evaluated many times.
//!
//! A ruleset's formulas (`hours / 16`, `4 - 3 * (100 - score) ^ 2 / 1600`) and conditions
//! (`level = national and has evidence certificate`) are compiled into a flat arena of nodes
//! whose variables are *slots*: the caller decides, once per ruleset, which index of a value
//! slice holds each attribute ([`Slot`]), and which index of an evidence slice stands for each
//! evidence field. Evaluation then reads `&[Value]` and `&[bool]` by index: no name lookup, no
//! string comparison except for text attributes, and no allocation.
//!
//! Semantics (docs/LANGUAGE.md, section 15):
//! - arithmetic is exact decimal arithmetic; overflow and division by zero are errors, never
//!   wrapped or rounded away; `^` takes a whole exponent (a negative one divides: `2 ^ -2` is
//!   `1 / (2 * 2)`), and its magnitude is at most [`MAX_EXPONENT`] unless the base is 0, 1 or -1;
//! - **a comparison (`=`, `!=`, `<`, ..., `in`) that reads a missing attribute is false**, even
//!   `!=`: an outcome that does not state its level is neither national nor "not national".
//!   `not` negates the result, so `not (level = national)` holds for a missing level;
//! - an expression evaluated on its own (a credit formula) that reads a missing attribute is an
//!   error ([`EvalError::Missing`]): there is no number to give.

mod eval;
#[cfg(test)]
mod tests;

use creditbank_dsl::ast::{self, AttrValue, BinaryOp, CompareOp, Condition, ExprKind, Function};
use rust_decimal::Decimal;

/// The largest exponent magnitude `^` accepts (for a base other than 0, 1 and -1): powers are
/// computed by repeated multiplication, and no credit rule needs more.
pub const MAX_EXPONENT: i64 = 1024;

/// What kind of value an attribute slot holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotType {
    /// A number or an integer.
    Number,
    /// One of the listed values; [`Value::Enum`] holds the index into `values`.
    Enum {
        /// The value ids, in declaration order.
        values: Vec<String>,
    },
    /// A string.
    Text,
    /// A date (shown only: a condition cannot test it).
    Date,
}

/// Where an attribute lives in the value slice, and its type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    /// The index into the `&[Value]` given to evaluation.
    pub index: usize,
    /// The type of the values held there.
    pub ty: SlotType,
}

/// The value of one attribute of one outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Value<'a> {
    /// A number (or integer).
    Number(Decimal),
    /// The index of an enumerated attribute's value (see [`SlotType::Enum`]).
    Enum(u16),
    /// A string, borrowed from the record.
    Text(&'a str),
    /// A date.
    Date(ast::Date),
    /// The attribute was not given.
    #[default]
    Missing,
}

/// Why an expression or condition could not be compiled.
///
/// A ruleset that passed the checker compiles; these errors mean the slot resolver does not
/// match the ruleset.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// A variable the resolver does not know.
    #[error("unknown attribute `{0}`")]
    UnknownAttribute(String),
    /// A value an enumerated attribute does not have.
    #[error("attribute `{attribute}` has no value `{value}`")]
    UnknownValue {
        /// The attribute.
        attribute: String,
        /// The value written.
        value: String,
    },
    /// An evidence field the resolver does not know.
    #[error("unknown evidence `{0}`")]
    UnknownEvidence(String),
    /// An attribute used as the wrong type.
    #[error("attribute `{attribute}` cannot be used as {used_as}")]
    WrongType {
        /// The attribute.
        attribute: String,
        /// How it was used: "a number", "text", ...
        used_as: &'static str,
    },
    /// A comparison whose sides do not fit together.
    #[error("cannot compare {0}")]
    BadComparison(&'static str),
    /// A function called with the wrong number of arguments.
    #[error("`{0}` takes {1}")]
    Arity(&'static str, &'static str),
    /// An enumerated attribute with more values than an index holds.
    #[error("attribute `{0}` has more values than can be indexed")]
    TooManyValues(String),
    /// A slot index too large to store.
    #[error("attribute `{0}` has a slot index out of range")]
    SlotOutOfRange(String),
}

/// Why an evaluation failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// An expression read an attribute that has no value.
    #[error("attribute `{0}` has no value")]
    Missing(String),
    /// The value given for an attribute is of another type than the ruleset declares.
    #[error("attribute `{0}` has a value of the wrong type")]
    WrongType(String),
    /// The value slice is shorter than the attribute's slot.
    #[error("attribute `{0}` was not supplied")]
    NotSupplied(String),
    /// A division by zero.
    #[error("division by zero")]
    DivisionByZero,
    /// A result too large for a decimal.
    #[error("arithmetic overflow")]
    Overflow,
    /// `^` with an exponent that is not a whole number.
    #[error("exponent `{0}` is not a whole number")]
    NonIntegerExponent(Decimal),
    /// `^` with an exponent too large to compute.
    #[error("exponent `{0}` is too large")]
    ExponentTooLarge(Decimal),
}

/// A compiled arithmetic expression.
#[derive(Clone, Debug)]
pub struct CompiledExpr {
    arena: Arena,
    root: u32,
}

/// A compiled condition.
#[derive(Clone, Debug)]
pub struct CompiledCondition {
    arena: Arena,
    root: u32,
}

/// Resolves a variable name to its slot.
pub trait SlotResolver {
    /// The slot of `name`, or `None` when it is not an attribute.
    fn slot(&self, name: &str) -> Option<Slot>;
}

impl<F: Fn(&str) -> Option<Slot>> SlotResolver for F {
    fn slot(&self, name: &str) -> Option<Slot> {
        self(name)
    }
}

/// Resolves an evidence id to its index in the evidence slice.
pub trait EvidenceResolver {
    /// The index of evidence field `id`, or `None` when the kind has no such field.
    fn evidence(&self, id: &str) -> Option<usize>;
}

impl<F: Fn(&str) -> Option<usize>> EvidenceResolver for F {
    fn evidence(&self, id: &str) -> Option<usize> {
        self(id)
    }
}

/// An evidence resolver for places where evidence cannot be tested (formula scales).
pub fn no_evidence(_: &str) -> Option<usize> {
    None
}

impl CompiledExpr {
    /// Compiles `expr`, resolving its variables with `slots`.
    pub fn compile(expr: &ast::Expr, slots: &impl SlotResolver) -> Result<Self, CompileError> {
        let mut builder = Builder::new(slots, &no_evidence);
        let root = builder.expr(expr)?;
        Ok(CompiledExpr {
            arena: builder.arena,
            root,
        })
    }

    /// A constant expression (for `credits 2`, or a default).
    pub fn constant(value: Decimal) -> Self {
        let mut arena = Arena::default();
        arena.nodes.push(Node::Const(value));
        CompiledExpr { arena, root: 0 }
    }

    /// The value, when the expression does not depend on any attribute.
    pub fn as_constant(&self) -> Option<Decimal> {
        match self.arena.nodes.get(self.root as usize) {
            Some(Node::Const(value)) => Some(*value),
            _ => None,
        }
    }

    /// Evaluates the expression; a missing attribute is an error.
    pub fn eval(&self, values: &[Value]) -> Result<Decimal, EvalError> {
        self.arena
            .num(self.root, values)
            .map_err(|fault| self.arena.error(fault))
    }
}

impl CompiledCondition {
    /// Compiles `condition`, resolving attributes with `slots` and evidence with `evidence`.
    pub fn compile(
        condition: &Condition,
        slots: &impl SlotResolver,
        evidence: &impl EvidenceResolver,
    ) -> Result<Self, CompileError> {
        let mut builder = Builder::new(slots, evidence);
        let root = builder.condition(condition)?;
        Ok(CompiledCondition {
            arena: builder.arena,
            root,
        })
    }

    /// A condition that always holds (a rule without `when`).
    pub fn always() -> Self {
        let mut arena = Arena::default();
        arena.conds.push(Cond::Const(true));
        CompiledCondition { arena, root: 0 }
    }

    /// Evaluates the condition; `evidence[i]` says whether evidence field `i` was supplied (an
    /// index past the end counts as not supplied).
    pub fn eval(&self, values: &[Value], evidence: &[bool]) -> Result<bool, EvalError> {
        self.arena
            .cond(self.root, values, evidence)
            .map_err(|fault| self.arena.error(fault))
    }
}

/// A numeric node. Children are indices into [`Arena::nodes`], lists are ranges of
/// [`Arena::args`].
#[derive(Clone, Copy, Debug)]
enum Node {
    Const(Decimal),
    Slot(u32),
    Neg(u32),
    Bin(BinaryOp, u32, u32),
    /// `base ^ n` with a constant whole exponent, checked at compile time.
    PowInt(u32, i64),
    Min(u32, u32),
    Max(u32, u32),
    Floor(u32),
    Ceil(u32),
}

/// A condition node. Children are indices into [`Arena::conds`] (through [`Arena::args`] for
/// `and`/`or`); sets are ranges of the typed pools.
#[derive(Clone, Copy, Debug)]
enum Cond {
    Const(bool),
    Or(u32, u32),
    And(u32, u32),
    Not(u32),
    Compare(CompareOp, u32, u32),
    EnumIs { slot: u32, value: u16, negate: bool },
    EnumIn { slot: u32, start: u32, len: u32 },
    TextIs { slot: u32, text: u32, negate: bool },
    TextIn { slot: u32, start: u32, len: u32 },
    NumberIn { expr: u32, start: u32, len: u32 },
    HasEvidence(u32),
}

/// The nodes of one compiled expression or condition, and the names of the attributes it
/// reads (for error messages only).
#[derive(Clone, Debug, Default)]
struct Arena {
    nodes: Vec<Node>,
    conds: Vec<Cond>,
    args: Vec<u32>,
    enum_values: Vec<u16>,
    texts: Vec<String>,
    numbers: Vec<Decimal>,
    names: Vec<(u32, String)>,
}

/// What went wrong, without allocating: turned into an [`EvalError`] only when reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    Missing(u32),
    WrongType(u32),
    NotSupplied(u32),
    DivisionByZero,
    Overflow,
    NonIntegerExponent(Decimal),
    ExponentTooLarge(Decimal),
}

impl Arena {
    fn name(&self, slot: u32) -> String {
        self.names
            .iter()
            .find(|(s, _)| *s == slot)
            .map_or_else(|| format!("#{slot}"), |(_, name)| name.clone())
    }

    fn error(&self, fault: Fault) -> EvalError {
        match fault {
            Fault::Missing(slot) => EvalError::Missing(self.name(slot)),
            Fault::WrongType(slot) => EvalError::WrongType(self.name(slot)),
            Fault::NotSupplied(slot) => EvalError::NotSupplied(self.name(slot)),
            Fault::DivisionByZero => EvalError::DivisionByZero,
            Fault::Overflow => EvalError::Overflow,
            Fault::NonIntegerExponent(e) => EvalError::NonIntegerExponent(e),
            Fault::ExponentTooLarge(e) => EvalError::ExponentTooLarge(e),
        }
    }
}

fn index(n: usize) -> u32 {
    // An arena is built from one ruleset expression: never near 4 billion nodes.
    u32::try_from(n).unwrap_or(u32::MAX)
}

struct Builder<'r, S, E> {
    slots: &'r S,
    evidence: &'r E,
    arena: Arena,
}

impl<'r, S: SlotResolver, E: EvidenceResolver> Builder<'r, S, E> {
    fn new(slots: &'r S, evidence: &'r E) -> Self {
        Builder {
            slots,
            evidence,
            arena: Arena::default(),
        }
    }

    fn resolve(&mut self, name: &str) -> Result<(u32, SlotType), CompileError> {
        let slot = self
            .slots
            .slot(name)
            .ok_or_else(|| CompileError::UnknownAttribute(name.to_string()))?;
        let index =
            u32::try_from(slot.index).map_err(|_| CompileError::SlotOutOfRange(name.into()))?;
        if !self.arena.names.iter().any(|(s, _)| *s == index) {
            self.arena.names.push((index, name.to_string()));
        }
        Ok((index, slot.ty))
    }

    fn push(&mut self, node: Node) -> u32 {
        let id = index(self.arena.nodes.len());
        self.arena.nodes.push(node);
        // Fold a node whose operands are all constants, so that `3 / 1600` or `2 ^ 2` is
        // computed once; one that fails (`1 / 0`) stays, to fail when evaluated.
        if self.constant_operands(node) {
            if let Ok(value) = self.arena.num(id, &[]) {
                if let Some(slot) = self.arena.nodes.last_mut() {
                    *slot = Node::Const(value);
                }
            }
        }
        id
    }

    fn is_const(&self, id: u32) -> bool {
        matches!(self.arena.nodes.get(id as usize), Some(Node::Const(_)))
    }

    fn constant_operands(&self, node: Node) -> bool {
        match node {
            Node::Const(_) | Node::Slot(_) => false,
            Node::Neg(a) | Node::PowInt(a, _) | Node::Floor(a) | Node::Ceil(a) => self.is_const(a),
            Node::Bin(_, a, b) => self.is_const(a) && self.is_const(b),
            Node::Min(start, len) | Node::Max(start, len) => self
                .arena
                .args
                .get(start as usize..(start + len) as usize)
                .is_some_and(|args| args.iter().all(|&a| self.is_const(a))),
        }
    }

    fn expr(&mut self, expr: &ast::Expr) -> Result<u32, CompileError> {
        let node = match &expr.kind {
            ExprKind::Number(value) => Node::Const(*value),
            ExprKind::Var(name) => match self.resolve(name)? {
                (slot, SlotType::Number) => Node::Slot(slot),
                _ => {
                    return Err(CompileError::WrongType {
                        attribute: name.clone(),
                        used_as: "a number",
                    })
                }
            },
            ExprKind::Neg(inner) => Node::Neg(self.expr(inner)?),
            ExprKind::Binary(op, lhs, rhs) => {
                let lhs = self.expr(lhs)?;
                let rhs = self.expr(rhs)?;
                match (op, self.arena.nodes.get(rhs as usize)) {
                    // A constant whole exponent is checked now, once.
                    (BinaryOp::Pow, Some(Node::Const(e))) if e.fract().is_zero() => {
                        match eval::whole(*e) {
                            Some(n) => Node::PowInt(lhs, n),
                            None => Node::Bin(*op, lhs, rhs),
                        }
                    }
                    _ => Node::Bin(*op, lhs, rhs),
                }
            }
            ExprKind::Call(function, args) => {
                let (name, unary) = match function {
                    Function::Min => ("min", false),
                    Function::Max => ("max", false),
                    Function::Floor => ("floor", true),
                    Function::Ceil => ("ceil", true),
                };
                if unary {
                    let [arg] = args.as_slice() else {
                        return Err(CompileError::Arity(name, "one argument"));
                    };
                    let arg = self.expr(arg)?;
                    if *function == Function::Floor {
                        Node::Floor(arg)
                    } else {
                        Node::Ceil(arg)
                    }
                } else {
                    if args.is_empty() {
                        return Err(CompileError::Arity(name, "at least one argument"));
                    }
                    let mut ids = Vec::with_capacity(args.len());
                    for arg in args {
                        ids.push(self.expr(arg)?);
                    }
                    let start = index(self.arena.args.len());
                    let len = index(ids.len());
                    self.arena.args.extend(ids);
                    if *function == Function::Min {
                        Node::Min(start, len)
                    } else {
                        Node::Max(start, len)
                    }
                }
            }
        };
        Ok(self.push(node))
    }

    fn push_cond(&mut self, cond: Cond) -> u32 {
        let id = index(self.arena.conds.len());
        self.arena.conds.push(cond);
        id
    }

    fn condition(&mut self, condition: &Condition) -> Result<u32, CompileError> {
        let cond = match condition {
            Condition::Or(items) | Condition::And(items) => {
                let mut ids = Vec::with_capacity(items.len());
                for item in items {
                    ids.push(self.condition(item)?);
                }
                let start = index(self.arena.args.len());
                let len = index(ids.len());
                self.arena.args.extend(ids);
                if matches!(condition, Condition::Or(_)) {
                    Cond::Or(start, len)
                } else {
                    Cond::And(start, len)
                }
            }
            Condition::Not(inner) => Cond::Not(self.condition(inner)?),
            Condition::Compare { lhs, op, rhs, .. } => self.compare(lhs, op.value, rhs)?,
            Condition::In { attr, values, .. } => self.membership(&attr.value, values)?,
            Condition::HasEvidence(id) => {
                let index = self
                    .evidence
                    .evidence(&id.value)
                    .ok_or_else(|| CompileError::UnknownEvidence(id.value.clone()))?;
                let index = u32::try_from(index)
                    .map_err(|_| CompileError::UnknownEvidence(id.value.clone()))?;
                Cond::HasEvidence(index)
            }
        };
        Ok(self.push_cond(cond))
    }

    fn compare(
        &mut self,
        lhs: &ast::Expr,
        op: CompareOp,
        rhs: &ast::Operand,
    ) -> Result<Cond, CompileError> {
        // `level = national` and `system = "..."`: the left side is a bare attribute of a
        // non-numeric type. Everything else is a numeric comparison.
        if let ExprKind::Var(name) = &lhs.kind {
            let (slot, ty) = self.resolve(name)?;
            let negate = match op {
                CompareOp::Eq => false,
                CompareOp::Ne => true,
                _ if ty == SlotType::Number => return self.numeric(lhs, op, rhs),
                _ => {
                    return Err(CompileError::BadComparison(
                        "a non-numeric attribute by order",
                    ))
                }
            };
            match (ty, rhs) {
                (SlotType::Number, _) => return self.numeric(lhs, op, rhs),
                (SlotType::Enum { values }, ast::Operand::Expr(rhs)) => {
                    let ExprKind::Var(value) = &rhs.kind else {
                        return Err(CompileError::BadComparison(
                            "an enumerated attribute with a number",
                        ));
                    };
                    let value = enum_index(name, &values, value)?;
                    return Ok(Cond::EnumIs {
                        slot,
                        value,
                        negate,
                    });
                }
                (SlotType::Text, ast::Operand::Text(text)) => {
                    let text_id = index(self.arena.texts.len());
                    self.arena.texts.push(text.value.clone());
                    return Ok(Cond::TextIs {
                        slot,
                        text: text_id,
                        negate,
                    });
                }
                (SlotType::Date, _) => {
                    return Err(CompileError::WrongType {
                        attribute: name.clone(),
                        used_as: "a comparable value",
                    })
                }
                _ => return Err(CompileError::BadComparison("values of different types")),
            }
        }
        self.numeric(lhs, op, rhs)
    }

    fn numeric(
        &mut self,
        lhs: &ast::Expr,
        op: CompareOp,
        rhs: &ast::Operand,
    ) -> Result<Cond, CompileError> {
        let ast::Operand::Expr(rhs) = rhs else {
            return Err(CompileError::BadComparison("a number with text"));
        };
        let lhs = self.expr(lhs)?;
        let rhs = self.expr(rhs)?;
        Ok(Cond::Compare(op, lhs, rhs))
    }

    fn membership(&mut self, attr: &str, values: &[AttrValue]) -> Result<Cond, CompileError> {
        let (slot, ty) = self.resolve(attr)?;
        let wrong = |used_as| CompileError::WrongType {
            attribute: attr.to_string(),
            used_as,
        };
        let len = index(values.len());
        match ty {
            SlotType::Enum { values: known } => {
                let start = index(self.arena.enum_values.len());
                for value in values {
                    let AttrValue::Ident(value) = value else {
                        return Err(wrong("a number or text"));
                    };
                    let value = enum_index(attr, &known, &value.value)?;
                    self.arena.enum_values.push(value);
                }
                Ok(Cond::EnumIn { slot, start, len })
            }
            SlotType::Text => {
                let start = index(self.arena.texts.len());
                for value in values {
                    let AttrValue::Text(text) = value else {
                        return Err(wrong("an enumerated value or a number"));
                    };
                    self.arena.texts.push(text.value.clone());
                }
                Ok(Cond::TextIn { slot, start, len })
            }
            SlotType::Number => {
                let start = index(self.arena.numbers.len());
                for value in values {
                    let AttrValue::Number(number) = value else {
                        return Err(wrong("an enumerated value or text"));
                    };
                    self.arena.numbers.push(number.value);
                }
                let expr = self.push(Node::Slot(slot));
                Ok(Cond::NumberIn { expr, start, len })
            }
            SlotType::Date => Err(wrong("a comparable value")),
        }
    }
}

fn enum_index(attribute: &str, values: &[String], value: &str) -> Result<u16, CompileError> {
    let position =
        values
            .iter()
            .position(|v| v == value)
            .ok_or_else(|| CompileError::UnknownValue {
                attribute: attribute.to_string(),
                value: value.to_string(),
            })?;
    u16::try_from(position).map_err(|_| CompileError::TooManyValues(attribute.to_string()))
}
