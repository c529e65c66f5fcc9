//! Outcome kinds: their attributes as value slots, their evidence fields by index.

use super::slots::Slots;
use super::PlanError;
use crate::expr::{Slot, SlotType, Value};
use crate::record::AttributeValue;
use creditbank_dsl::ast::{AttributeType, Item, RulesetFile};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

/// An outcome kind, by its position among the ruleset's `kind` items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KindId(pub u16);

/// One attribute of a kind, and the slot its values go to.
#[derive(Clone, Debug, PartialEq)]
pub struct AttributePlan {
    /// The attribute's id.
    pub id: String,
    /// Its slot: the index in an outcome's value slice, and the type of the values.
    pub slot: Slot,
    /// The declared range of a number or integer attribute, both ends included.
    pub range: Option<(Decimal, Decimal)>,
    /// True for an `integer` attribute: a value must be whole.
    pub integer: bool,
}

/// Up to this many names, a kind finds an attribute or evidence field by comparing names.
const LINEAR_LOOKUP: usize = 8;

/// `a == b` for the short names of attributes, their values and evidence, compared a word at
/// a time in place: `==` on strings calls `memcmp`, which costs more than the comparison for
/// names of a few bytes, and reading an outcome compares one or more per value.
#[inline]
fn same_name(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let n = x.len();
    if n != y.len() {
        return false;
    }
    // The `w`-byte word at `i` of both (slices of exactly `w` bytes: the conversions hold).
    let word8 = |s: &[u8], i: usize| s.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok());
    let word4 = |s: &[u8], i: usize| s.get(i..i + 4).and_then(|w| <[u8; 4]>::try_from(w).ok());
    match n {
        0..=3 => x == y,
        4..=8 => word4(x, 0) == word4(y, 0) && word4(x, n - 4) == word4(y, n - 4),
        9..=16 => word8(x, 0) == word8(y, 0) && word8(x, n - 8) == word8(y, n - 8),
        _ => x == y,
    }
}

/// An outcome's attribute values by slot. A kind has a handful of attributes: they are kept
/// inline, so reading an outcome allocates nothing.
pub type Values<'a> = Slots<Value<'a>, 8>;

/// Whether each evidence field of a kind was supplied, by evidence index.
pub type Evidence = Slots<bool, 8>;

/// A kind compiled: attribute names to slots, evidence names to indices.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KindPlan {
    /// The kind's id.
    pub id: String,
    /// Its display name (the id when none is given).
    pub name: String,
    /// Attributes in declaration order; attribute `i` lives in slot `i`.
    pub attributes: Vec<AttributePlan>,
    /// Evidence field ids in declaration order; field `i` is index `i` of an evidence slice.
    pub evidence: Vec<String>,
    attribute_index: HashMap<String, usize>,
    evidence_index: HashMap<String, usize>,
}

/// Why an outcome's attributes could not be read into slots.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    /// An attribute the kind does not declare.
    #[error("`{attribute}` is not an attribute of `{kind}`")]
    UnknownAttribute {
        /// The kind.
        kind: String,
        /// The attribute.
        attribute: String,
    },
    /// A value of the wrong type, or not among an enumeration's values.
    #[error("`{attribute}` of `{kind}` cannot be `{value}`: {expected}")]
    BadValue {
        /// The kind.
        kind: String,
        /// The attribute.
        attribute: String,
        /// The value given.
        value: String,
        /// What it should be.
        expected: String,
    },
    /// Evidence the kind does not declare.
    #[error("`{evidence}` is not an evidence field of `{kind}`")]
    UnknownEvidence {
        /// The kind.
        kind: String,
        /// The evidence id.
        evidence: String,
    },
}

impl KindPlan {
    /// The slot of an attribute.
    pub fn slot(&self, name: &str) -> Option<Slot> {
        self.attribute_index
            .get(name)
            .and_then(|&i| self.attributes.get(i))
            .map(|a| a.slot.clone())
    }

    /// The index of an evidence field.
    pub fn evidence_index(&self, name: &str) -> Option<usize> {
        self.evidence_index.get(name).copied()
    }

    // A kind has a handful of attributes and evidence fields: comparing a few short names is
    // cheaper than hashing one, and reading outcomes does it for every value.
    fn attribute_position(&self, name: &str) -> Option<usize> {
        if self.attributes.len() <= LINEAR_LOOKUP {
            self.attributes.iter().position(|a| same_name(&a.id, name))
        } else {
            self.attribute_index.get(name).copied()
        }
    }

    fn evidence_position(&self, name: &str) -> Option<usize> {
        if self.evidence.len() <= LINEAR_LOOKUP {
            self.evidence.iter().position(|e| same_name(e, name))
        } else {
            self.evidence_index(name)
        }
    }

    /// Reads an outcome's attributes into a value slice (one slot per attribute, missing ones
    /// `Value::Missing`) and its evidence into a flag slice. Done once per outcome, so rules
    /// then read values by index.
    pub fn values<'a>(
        &self,
        attributes: &'a std::collections::BTreeMap<String, AttributeValue>,
        evidence: &[String],
    ) -> Result<(Values<'a>, Evidence), ValueError> {
        let mut values = self.no_values();
        let mut flags = self.no_evidence();
        self.read_into(attributes, evidence, &mut values, &mut flags)?;
        Ok((values, flags))
    }

    /// Every attribute missing: the slots [`KindPlan::read_into`] fills.
    pub fn no_values<'a>(&self) -> Values<'a> {
        Slots::filled(Value::Missing, self.attributes.len())
    }

    /// No evidence supplied: the flags [`KindPlan::read_into`] sets.
    pub fn no_evidence(&self) -> Evidence {
        Slots::filled(false, self.evidence.len())
    }

    /// [`KindPlan::values`] into slots the caller holds (from [`KindPlan::no_values`] and
    /// [`KindPlan::no_evidence`]), so that an outcome is read where it stays rather than
    /// read and then moved there.
    pub fn read_into<'a>(
        &self,
        attributes: &'a std::collections::BTreeMap<String, AttributeValue>,
        evidence: &[String],
        values: &mut Values<'a>,
        flags: &mut Evidence,
    ) -> Result<(), ValueError> {
        for (name, given) in attributes {
            let index =
                self.attribute_position(name)
                    .ok_or_else(|| ValueError::UnknownAttribute {
                        kind: self.id.clone(),
                        attribute: name.clone(),
                    })?;
            let plan = &self.attributes[index];
            let bad = |expected: String| ValueError::BadValue {
                kind: self.id.clone(),
                attribute: name.clone(),
                value: describe(given),
                expected,
            };
            let value = match (&plan.slot.ty, given) {
                (SlotType::Number, AttributeValue::Number(n)) => {
                    if plan.integer && n.scale() > 0 && !n.fract().is_zero() {
                        return Err(bad("a whole number".into()));
                    }
                    if let Some((min, max)) = plan.range {
                        if *n < min || *n > max {
                            return Err(bad(format!("a number from {min} to {max}")));
                        }
                    }
                    Value::Number(*n)
                }
                (SlotType::Enum { values }, AttributeValue::Text(t)) => {
                    let at = values
                        .iter()
                        .position(|v| same_name(v, t))
                        .ok_or_else(|| bad(format!("one of {}", values.join(", "))))?;
                    Value::Enum(u16::try_from(at).map_err(|_| bad("a known value".into()))?)
                }
                (SlotType::Enum { values }, _) => {
                    return Err(bad(format!("one of {}", values.join(", "))))
                }
                (SlotType::Text, AttributeValue::Text(t)) => Value::Text(t),
                (SlotType::Date, AttributeValue::Date(d)) => Value::Date(*d),
                (SlotType::Number, _) => return Err(bad("a number".into())),
                (SlotType::Text, _) => return Err(bad("text".into())),
                (SlotType::Date, _) => return Err(bad("a date".into())),
            };
            if let Some(slot) = values.get_mut(index) {
                *slot = value;
            }
        }
        for e in evidence {
            let index = self
                .evidence_position(e)
                .ok_or_else(|| ValueError::UnknownEvidence {
                    kind: self.id.clone(),
                    evidence: e.clone(),
                })?;
            if let Some(flag) = flags.get_mut(index) {
                *flag = true;
            }
        }
        Ok(())
    }
}

/// A value as the learner wrote it, for messages.
fn describe(value: &AttributeValue) -> String {
    match value {
        AttributeValue::Text(t) => t.clone(),
        AttributeValue::Number(n) => n.to_string(),
        AttributeValue::Date(d) => crate::library::date_text(*d),
    }
}

/// Every outcome kind of a ruleset, by index.
#[derive(Clone, Debug, Default)]
pub struct KindsPlan {
    /// The kinds in declaration order; a [`KindId`] indexes this.
    pub kinds: Vec<KindPlan>,
    index: HashMap<String, KindId>,
}

impl KindsPlan {
    /// Compiles the `kind` items of a checked file.
    pub fn compile(file: &RulesetFile) -> Result<KindsPlan, PlanError> {
        let mut plan = KindsPlan::default();
        for item in &file.items {
            let Item::Kind(kind) = &item.value else {
                continue;
            };
            let id = KindId(
                u16::try_from(plan.kinds.len()).map_err(|_| PlanError::TooMany("outcome kinds"))?,
            );
            let mut k = KindPlan {
                id: kind.id.value.clone(),
                name: kind
                    .name
                    .as_ref()
                    .map_or_else(|| kind.id.value.clone(), |n| n.value.clone()),
                ..KindPlan::default()
            };
            for (index, attribute) in kind.attributes.iter().enumerate() {
                let a = &attribute.value;
                let (range, integer) = match &a.ty {
                    AttributeType::Number(r) => (r.as_ref(), false),
                    AttributeType::Integer(r) => (r.as_ref(), true),
                    _ => (None, false),
                };
                let range = range.map(|r| (r.min.value, r.max.value));
                let ty = match &a.ty {
                    AttributeType::Enum(values) => SlotType::Enum {
                        values: values.iter().map(|v| v.id.value.clone()).collect(),
                    },
                    AttributeType::Number(_) | AttributeType::Integer(_) => SlotType::Number,
                    AttributeType::Text => SlotType::Text,
                    AttributeType::Date => SlotType::Date,
                };
                k.attribute_index.insert(a.id.value.clone(), index);
                k.attributes.push(AttributePlan {
                    id: a.id.value.clone(),
                    slot: Slot { index, ty },
                    range,
                    integer,
                });
            }
            for item in kind.evidence.iter().flat_map(|e| &e.value) {
                k.evidence_index
                    .insert(item.id.value.clone(), k.evidence.len());
                k.evidence.push(item.id.value.clone());
            }
            plan.index.insert(k.id.clone(), id);
            plan.kinds.push(k);
        }
        Ok(plan)
    }

    /// The kind with this id.
    pub fn kind(&self, name: &str) -> Option<KindId> {
        // A ruleset declares a handful of kinds: comparing names beats hashing one.
        if self.kinds.len() <= LINEAR_LOOKUP * 2 {
            let at = self.kinds.iter().position(|k| same_name(&k.id, name))?;
            return u16::try_from(at).ok().map(KindId);
        }
        self.index.get(name).copied()
    }

    /// The plan of a kind.
    pub fn get(&self, id: KindId) -> Option<&KindPlan> {
        self.kinds.get(id.0 as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use creditbank_dsl::SourceFile;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn names_compare_as_strings_do(a in "[a-c-]{0,20}", b in "[a-c-]{0,20}") {
            prop_assert_eq!(same_name(&a, &b), a == b);
            prop_assert!(same_name(&a, &a.clone()));
        }
    }

    #[test]
    fn names_that_differ_in_one_byte_anywhere_differ() {
        for n in 0..=24 {
            let a = "x".repeat(n);
            for i in 0..n {
                let mut b = a.clone().into_bytes();
                b[i] = b'y';
                let b = String::from_utf8(b).unwrap();
                assert!(!same_name(&a, &b), "{a} / {b}");
            }
            assert!(same_name(&a, &a.clone()));
        }
        assert!(!same_name("级别", "奖项"));
    }

    const TEXT: &str = r#"
ruleset "t/x" version "1" {
  title "t"
  effective 2026-09-01
}
kind competition "学科竞赛" {
  attribute level one of national "国家级", provincial "省级"
  attribute rank integer [1, 10]
  attribute name text
  evidence certificate "获奖证书", list "公示名单"
}
"#;

    fn kinds() -> KindsPlan {
        let file = creditbank_dsl::parse(&SourceFile::new("t.cbr", TEXT)).file;
        KindsPlan::compile(&file).unwrap()
    }

    #[test]
    fn attributes_become_slots_and_values_become_indices() {
        let plan = kinds();
        let k = plan.get(plan.kind("competition").unwrap()).unwrap();
        assert_eq!(k.slot("rank").unwrap().index, 1);
        let attributes = [
            (
                "level".to_string(),
                AttributeValue::Text("provincial".into()),
            ),
            ("rank".to_string(), AttributeValue::Number(Decimal::TWO)),
        ]
        .into_iter()
        .collect();
        let (values, evidence) = k.values(&attributes, &["list".to_string()]).unwrap();
        assert_eq!(
            &*values,
            &[Value::Enum(1), Value::Number(Decimal::TWO), Value::Missing]
        );
        assert_eq!(&*evidence, &[false, true]);
    }

    #[test]
    fn numbers_must_lie_in_the_declared_range_and_integers_be_whole() {
        let plan = kinds();
        let k = plan.get(plan.kind("competition").unwrap()).unwrap();
        let rank = |n: &str| {
            let attributes = [(
                "rank".to_string(),
                AttributeValue::Number(n.parse().unwrap()),
            )]
            .into_iter()
            .collect();
            k.values(&attributes, &[])
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        assert_eq!(rank("10"), Ok(()));
        assert_eq!(
            rank("11"),
            Err("`rank` of `competition` cannot be `11`: a number from 1 to 10".into())
        );
        assert_eq!(
            rank("2.5"),
            Err("`rank` of `competition` cannot be `2.5`: a whole number".into())
        );
    }

    #[test]
    fn a_bad_value_names_the_attribute_and_what_it_should_be() {
        let plan = kinds();
        let k = plan.get(plan.kind("competition").unwrap()).unwrap();
        let attributes = [("level".to_string(), AttributeValue::Text("world".into()))]
            .into_iter()
            .collect();
        let err = k.values(&attributes, &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`level` of `competition` cannot be `world`: one of national, provincial"
        );
        let attributes = [("colour".to_string(), AttributeValue::Text("red".into()))]
            .into_iter()
            .collect();
        assert!(matches!(
            k.values(&attributes, &[]),
            Err(ValueError::UnknownAttribute { .. })
        ));
    }
}
