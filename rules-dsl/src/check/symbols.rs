//! The tables of declared ids, built once per check.
//!
//! Each namespace maps an id to its first definition; later definitions of the same id are
//! reported as duplicates (E010) with the first one as "first defined here".

use crate::ast::{
    Attribute, Category, Certificate, ConversionRule, Course, CreditCap, EvidenceItem, GpaPolicy,
    Graduation, Ident, Institution, Item, OutcomeKind, Program, ReviewCriteria, RulesetFile, Scale,
    Span,
};
use crate::diagnostic::{Code, Diagnostic};
use std::collections::HashMap;

/// One namespace: ids in source order, with a hash index for lookups.
#[derive(Debug)]
pub struct Table<'a, T> {
    index: HashMap<&'a str, usize>,
    entries: Vec<(&'a Ident, T)>,
}

impl<'a, T> Default for Table<'a, T> {
    fn default() -> Self {
        Table {
            index: HashMap::new(),
            entries: Vec::new(),
        }
    }
}

impl<'a, T> Table<'a, T> {
    /// Adds `id`; when it is already declared, returns the span of the first definition and
    /// keeps the first.
    pub fn insert(&mut self, id: &'a Ident, value: T) -> Result<(), Span> {
        if let Some(&i) = self.index.get(id.value.as_str()) {
            return Err(self.entries.get(i).map_or(id.span, |(first, _)| first.span));
        }
        self.index.insert(id.value.as_str(), self.entries.len());
        self.entries.push((id, value));
        Ok(())
    }

    /// The definition of `name`.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.index
            .get(name)
            .and_then(|&i| self.entries.get(i))
            .map(|(_, v)| v)
    }

    /// The id as declared (for its span).
    pub fn ident(&self, name: &str) -> Option<&'a Ident> {
        self.index
            .get(name)
            .and_then(|&i| self.entries.get(i))
            .map(|(id, _)| *id)
    }

    /// True when `name` is declared.
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// Declared names, in source order.
    pub fn names(&self) -> Vec<&'a str> {
        self.entries
            .iter()
            .map(|(id, _)| id.value.as_str())
            .collect()
    }

    /// Entries, in source order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a Ident, &T)> {
        self.entries.iter().map(|(id, v)| (*id, v))
    }
}

/// An outcome kind with its attributes and evidence fields indexed.
#[derive(Debug)]
pub struct KindInfo<'a> {
    /// The kind as written.
    pub kind: &'a OutcomeKind,
    /// Its attributes.
    pub attributes: Table<'a, &'a Attribute>,
    /// Its evidence fields.
    pub evidence: Table<'a, &'a EvidenceItem>,
}

/// What a rule id names: the rule namespace is shared by several item kinds.
#[derive(Clone, Copy, Debug)]
pub enum RuleRef {
    /// `convert`
    Convert,
    /// `cap`
    Cap,
    /// `review`
    Review,
    /// `warning`
    Warning,
    /// `program`
    Program,
    /// `certificate`
    Certificate,
}

impl RuleRef {
    /// The keyword of the item, for messages.
    pub fn keyword(self) -> &'static str {
        match self {
            RuleRef::Convert => "conversion rule",
            RuleRef::Cap => "cap",
            RuleRef::Review => "review",
            RuleRef::Warning => "warning",
            RuleRef::Program => "program",
            RuleRef::Certificate => "certificate",
        }
    }
}

/// Every declared id of a file.
#[derive(Debug, Default)]
pub struct Symbols<'a> {
    /// Credit categories.
    pub categories: Table<'a, &'a Category>,
    /// Grade scales.
    pub scales: Table<'a, &'a Scale>,
    /// Courses of every catalog block.
    pub courses: Table<'a, &'a Course>,
    /// Outcome kinds.
    pub kinds: Table<'a, KindInfo<'a>>,
    /// Institutions.
    pub institutions: Table<'a, &'a Institution>,
    /// Conversion rules, caps, reviews, warnings, programs and certificates.
    pub rules: Table<'a, RuleRef>,
    /// Programs (also in `rules`).
    pub programs: Table<'a, &'a Program>,
    /// Conversion rules (also in `rules`), in source order.
    pub converts: Vec<&'a ConversionRule>,
    /// Certificates, in source order.
    pub certificates: Vec<&'a Certificate>,
    /// Caps, in source order.
    pub caps: Vec<&'a CreditCap>,
    /// Review criteria, in source order.
    pub reviews: Vec<&'a ReviewCriteria>,
    /// The first gpa policy.
    pub gpa: Option<&'a GpaPolicy>,
    /// The first graduation block.
    pub graduation: Option<&'a Graduation>,
}

impl<'a> Symbols<'a> {
    /// Indexes `file`; every id declared twice in one namespace goes to `duplicates`.
    pub fn build(file: &'a RulesetFile, duplicates: &mut Vec<Diagnostic>) -> Self {
        let mut s = Symbols::default();
        for item in &file.items {
            match &item.value {
                Item::Categories(list) => {
                    for c in list {
                        note(
                            s.categories.insert(&c.value.id, &c.value),
                            &c.value.id,
                            "category",
                            duplicates,
                        );
                    }
                }
                Item::Scale(scale) => note(
                    s.scales.insert(&scale.id, scale),
                    &scale.id,
                    "scale",
                    duplicates,
                ),
                Item::Gpa(gpa) => {
                    s.gpa.get_or_insert(gpa);
                }
                Item::Catalog(catalog) => {
                    for c in &catalog.courses {
                        note(
                            s.courses.insert(&c.value.code, &c.value),
                            &c.value.code,
                            "course",
                            duplicates,
                        );
                    }
                }
                Item::Kind(kind) => {
                    let info = kind_info(kind);
                    note(
                        s.kinds.insert(&kind.id, info),
                        &kind.id,
                        "outcome kind",
                        duplicates,
                    );
                }
                Item::Institutions(list) => {
                    for i in list {
                        note(
                            s.institutions.insert(&i.value.id, &i.value),
                            &i.value.id,
                            "institution",
                            duplicates,
                        );
                    }
                }
                Item::Convert(rule) => {
                    s.converts.push(rule);
                    add_rule(&mut s.rules, &rule.id, RuleRef::Convert, duplicates);
                }
                Item::Cap(cap) => {
                    s.caps.push(cap);
                    add_rule(&mut s.rules, &cap.id, RuleRef::Cap, duplicates)
                }
                Item::Review(review) => {
                    s.reviews.push(review);
                    add_rule(&mut s.rules, &review.id, RuleRef::Review, duplicates);
                }
                Item::Warning(w) => add_rule(&mut s.rules, &w.id, RuleRef::Warning, duplicates),
                Item::Program(p) => {
                    add_rule(&mut s.rules, &p.id, RuleRef::Program, duplicates);
                    // Already reported in the rule namespace; the program table keeps the first.
                    let _ = s.programs.insert(&p.id, p);
                }
                Item::Certificate(c) => {
                    s.certificates.push(c);
                    add_rule(&mut s.rules, &c.id, RuleRef::Certificate, duplicates);
                }
                Item::Graduation(g) => {
                    s.graduation.get_or_insert(g);
                }
                Item::Header(_) => {}
            }
        }
        s
    }
}

/// Indexes a kind's attributes and evidence; duplicates inside a kind are reported by the
/// local checks, so they are ignored here.
fn kind_info(kind: &OutcomeKind) -> KindInfo<'_> {
    let mut info = KindInfo {
        kind,
        attributes: Table::default(),
        evidence: Table::default(),
    };
    for a in &kind.attributes {
        let _ = info.attributes.insert(&a.value.id, &a.value);
    }
    for clause in &kind.evidence {
        for e in &clause.value {
            let _ = info.evidence.insert(&e.id, e);
        }
    }
    info
}

/// Adds a rule id; the namespace is shared, so the message names both kinds of block.
fn add_rule<'a>(
    table: &mut Table<'a, RuleRef>,
    id: &'a Ident,
    what: RuleRef,
    out: &mut Vec<Diagnostic>,
) {
    let Err(first) = table.insert(id, what) else {
        return;
    };
    let first_kind = table.get(&id.value).map_or("rule", |r| r.keyword());
    let message = if first_kind == what.keyword() {
        format!("{first_kind} `{}` is defined more than once", id.value)
    } else {
        format!(
            "`{}` names both a {first_kind} and a {}",
            id.value,
            what.keyword()
        )
    };
    out.push(
        Diagnostic::new(Code::DuplicateId, id.span, message)
            .with_label(format!("`{}` redefined here", id.value))
            .with_related(first, "first defined here")
            .with_help(
                "convert, cap, review, warning, program and certificate ids share one \
                 namespace; rename one of them",
            ),
    );
}

/// Records a duplicate definition found by [`Table::insert`].
fn note(result: Result<(), Span>, id: &Ident, what: &str, out: &mut Vec<Diagnostic>) {
    if let Err(first) = result {
        out.push(duplicate(id, first, what));
    }
}

/// E010 for `id`, first defined at `first`.
pub fn duplicate(id: &Ident, first: Span, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::DuplicateId,
        id.span,
        format!("{what} `{}` is defined more than once", id.value),
    )
    .with_label(format!("`{}` redefined here", id.value))
    .with_related(first, "first defined here")
    .with_help(format!(
        "rename one of them or remove the duplicate; every {what} id must be unique"
    ))
}
