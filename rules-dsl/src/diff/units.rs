//! A file as the units a diff compares: every item with an identity of its own.
//!
//! Most top-level items are one unit each. Blocks that only group entries (`categories`,
//! `institutions`, and a catalog's courses) are split into their entries, so that a course
//! moved from one catalog block to another, or two `categories` blocks merged, is no change,
//! while a catalog block itself remains a unit for its name.

use super::lines::{parse_lines, Line};
use super::{ItemKind, RuleKey};
use crate::ast::{Catalog, Item, Node, RulesetFile, Span};
use crate::format::format;

/// One item or entry of a file, rendered canonically.
#[derive(Clone, Debug)]
pub(super) struct Unit {
    /// What sort of item.
    pub kind: ItemKind,
    /// What names it within its kind (the course code for a course).
    pub id: String,
    /// Its display name, unescaped.
    pub name: Option<String>,
    /// Where it is written.
    pub span: Span,
    /// How a report cites it, if reports cite it.
    pub rule: Option<RuleKey>,
    /// Its head line; the lines of its block are the head's children.
    pub line: Line,
}

impl Unit {
    /// The unit reads the same as `other`, comments and layout aside.
    pub fn same_as(&self, other: &Unit) -> bool {
        self.line.same_as(&other.line)
    }

    /// The id under which the requirements of a graduation, program or certificate block are
    /// cited (`graduation/3`, `econ-minor/econ-core`).
    pub fn block_id(&self) -> Option<&str> {
        matches!(
            self.kind,
            ItemKind::Graduation | ItemKind::Program | ItemKind::Certificate
        )
        .then_some(self.id.as_str())
    }
}

/// The units of a file, in source order.
pub(super) fn units(file: &RulesetFile) -> Vec<Unit> {
    let mut out = Vec::new();
    for node in &file.items {
        item_units(node, &mut out);
    }
    out
}

fn item_units(node: &Node<Item>, out: &mut Vec<Unit>) {
    let span = node.span;
    let whole = |kind, id: &str, name: Option<&crate::ast::Text>, rule: Option<RuleKey>| {
        render(node.value.clone()).map(|line| Unit {
            kind,
            id: id.to_string(),
            name: name.map(|n| n.value.clone()),
            span,
            rule,
            line,
        })
    };
    let unit = match &node.value {
        Item::Header(h) => whole(ItemKind::Ruleset, &h.id.value, None, None),
        Item::Categories(list) => {
            for c in list {
                let line = render(Item::Categories(vec![c.clone()])).and_then(first_child);
                out.extend(line.map(|line| Unit {
                    kind: ItemKind::Category,
                    id: c.value.id.value.clone(),
                    name: Some(c.value.name.value.clone()),
                    span: c.span,
                    rule: None,
                    line,
                }));
            }
            None
        }
        Item::Scale(s) => whole(ItemKind::Scale, &s.id.value, s.name.as_ref(), None),
        Item::Gpa(g) => whole(
            ItemKind::Gpa,
            "gpa",
            g.name.as_ref(),
            Some(RuleKey::new("gpa policy", "gpa")),
        ),
        Item::Catalog(c) => {
            for course in &c.courses {
                let alone = Catalog {
                    name: None,
                    courses: vec![course.clone()],
                };
                let line = render(Item::Catalog(alone)).and_then(first_child);
                let code = &course.value.code.value;
                out.extend(line.map(|line| Unit {
                    kind: ItemKind::Course,
                    id: code.clone(),
                    name: Some(course.value.name.value.clone()),
                    span: course.span,
                    rule: Some(RuleKey::new("catalog course", code)),
                    line,
                }));
            }
            let head = Catalog {
                name: c.name.clone(),
                courses: Vec::new(),
            };
            let name = c.name.as_ref().map(|n| n.value.clone());
            render(Item::Catalog(head)).map(|line| Unit {
                kind: ItemKind::Catalog,
                id: name.clone().unwrap_or_default(),
                name,
                span,
                rule: None,
                line,
            })
        }
        Item::Kind(k) => whole(ItemKind::Kind, &k.id.value, k.name.as_ref(), None),
        Item::Institutions(list) => {
            for i in list {
                let line = render(Item::Institutions(vec![i.clone()])).and_then(first_child);
                out.extend(line.map(|line| Unit {
                    kind: ItemKind::Institution,
                    id: i.value.id.value.clone(),
                    name: Some(i.value.name.value.clone()),
                    span: i.span,
                    rule: None,
                    line,
                }));
            }
            None
        }
        Item::Convert(c) => whole(
            ItemKind::Convert,
            &c.id.value,
            c.name.as_ref(),
            Some(RuleKey::new("conversion rule", &c.id.value)),
        ),
        Item::Cap(c) => whole(
            ItemKind::Cap,
            &c.id.value,
            c.name.as_ref(),
            Some(RuleKey::new("cap", &c.id.value)),
        ),
        // The engine cites the review of an outcome by the outcome's kind, which has one
        // review block at most (the checker reports a second one), not by the review's own id.
        Item::Review(r) => whole(
            ItemKind::Review,
            &r.id.value,
            r.name.as_ref(),
            Some(RuleKey::new("review", &r.kind.value.value)),
        ),
        Item::Warning(w) => whole(
            ItemKind::Warning,
            &w.id.value,
            w.name.as_ref(),
            Some(RuleKey::new("warning", &w.id.value)),
        ),
        Item::Graduation(g) => whole(
            ItemKind::Graduation,
            "graduation",
            g.name.as_ref(),
            Some(RuleKey::new("requirement block", "graduation")),
        ),
        Item::Program(p) => whole(
            ItemKind::Program,
            &p.id.value,
            p.name.as_ref(),
            Some(RuleKey::new("requirement block", &p.id.value)),
        ),
        Item::Certificate(c) => whole(
            ItemKind::Certificate,
            &c.id.value,
            c.name.as_ref(),
            Some(RuleKey::new("requirement block", &c.id.value)),
        ),
    };
    out.extend(unit);
}

/// One item alone in the canonical layout, as its head line. The item's own comments are
/// left out here; those of its clauses are dropped as the lines are read.
fn render(item: Item) -> Option<Line> {
    let file = RulesetFile {
        items: vec![Node::new(item, Span::default())],
        end_comments: Vec::new(),
    };
    parse_lines(&format(&file)).into_iter().next()
}

/// The one entry of a grouping block rendered alone.
fn first_child(block: Line) -> Option<Line> {
    block.children.into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::tests::units_of;

    #[test]
    fn grouping_blocks_split_into_entries() {
        let units = units_of(
            "categories {\n  a \"A\"\n  b \"B\" // why\n}\ncatalog \"plan\" {\n  course CS1 \"x\" credits 2 category a\n}\n",
        );
        let seen: Vec<(ItemKind, &str, &str)> = units
            .iter()
            .map(|u| (u.kind, u.id.as_str(), u.line.text.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (ItemKind::Category, "a", "a \"A\""),
                (ItemKind::Category, "b", "b \"B\""),
                (
                    ItemKind::Course,
                    "CS1",
                    "course CS1 \"x\" credits 2 category a"
                ),
                (ItemKind::Catalog, "plan", "catalog \"plan\""),
            ]
        );
        assert_eq!(units[2].rule, Some(RuleKey::new("catalog course", "CS1")));
    }

    #[test]
    fn a_review_is_cited_by_the_kind_it_reviews() {
        let units = units_of(
            "review comp-review {\n  for competition\n  otherwise manual because \"x\"\n}\n",
        );
        assert_eq!(units[0].id, "comp-review");
        assert_eq!(units[0].rule, Some(RuleKey::new("review", "competition")));
    }
}
