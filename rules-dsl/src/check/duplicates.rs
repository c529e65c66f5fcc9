//! Ids declared twice inside one item (E010): attributes and evidence of a kind, values of an
//! enumerated attribute, requirement ids of one block, levels of one warning. These need no
//! other item, so they run even when the file has syntax errors. Also two reviews `for` the
//! same kind, which needs the whole file.

use super::symbols::duplicate;
use crate::ast::{AttributeType, Ident, Item, Node, Requirement, ReviewCriteria, RulesetFile};
use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashMap;

/// Reports ids repeated within one item.
pub fn check_local(file: &RulesetFile, out: &mut Vec<Diagnostic>) {
    for item in &file.items {
        match &item.value {
            Item::Kind(kind) => {
                let mut attributes = Seen::default();
                for a in &kind.attributes {
                    attributes.add(&a.value.id, "attribute", out);
                    if let AttributeType::Enum(values) = &a.value.ty {
                        let mut seen = Seen::default();
                        for v in values {
                            seen.add(&v.id, "value", out);
                        }
                    }
                }
                let mut evidence = Seen::default();
                for clause in &kind.evidence {
                    for e in &clause.value {
                        evidence.add(&e.id, "evidence field", out);
                    }
                }
            }
            Item::Warning(w) => {
                let mut levels = Seen::default();
                for level in &w.levels {
                    levels.add(&level.value.id, "level", out);
                }
            }
            Item::Graduation(g) => requirement_ids(&g.requirements, out),
            Item::Program(p) => requirement_ids(&p.requirements, out),
            Item::Certificate(c) => requirement_ids(&c.requirements, out),
            _ => {}
        }
    }
}

/// Reports two review blocks for the same outcome kind.
pub fn check_reviews(reviews: &[&ReviewCriteria], out: &mut Vec<Diagnostic>) {
    let mut seen = Seen::default();
    for review in reviews {
        let kind = &review.kind.value;
        if let Some(first) = seen.first(kind) {
            out.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    kind.span,
                    format!("kind `{}` has two review blocks", kind.value),
                )
                .with_label(format!("second review for `{}`", kind.value))
                .with_related(first.span, "first defined here")
                .with_help(format!(
                    "merge the criteria for `{}` into one review block",
                    kind.value
                )),
            );
        }
    }
}

fn requirement_ids(requirements: &[Node<Requirement>], out: &mut Vec<Diagnostic>) {
    let mut seen = Seen::default();
    for r in requirements {
        if let Some(id) = &r.value.id {
            seen.add(id, "requirement", out);
        }
    }
}

/// First definitions seen so far in one namespace.
#[derive(Default)]
struct Seen<'a> {
    first: HashMap<&'a str, &'a Ident>,
}

impl<'a> Seen<'a> {
    /// Records `id`, returning its first definition when it was seen before.
    fn first(&mut self, id: &'a Ident) -> Option<&'a Ident> {
        match self.first.get(id.value.as_str()) {
            Some(first) => Some(*first),
            None => {
                self.first.insert(id.value.as_str(), id);
                None
            }
        }
    }

    fn add(&mut self, id: &'a Ident, what: &str, out: &mut Vec<Diagnostic>) {
        if let Some(first) = self.first(id) {
            out.push(duplicate(id, first.span, what));
        }
    }
}
