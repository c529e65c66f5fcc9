//! Unknown references to declared ids: categories (E011), scales (E012), courses (E013),
//! outcome kinds (E014), programs (E015), institutions (E019) and conversion rules (E020).
//! Attributes, values and evidence fields are resolved with types, in `types.rs`.

use super::suggest::unknown_help;
use super::symbols::{RuleRef, Symbols, Table};
use crate::ast::{
    CapAmount, CapScope, GpaExclusion, Ident, Item, Node, Requirement, RequirementBody, RulesetFile,
};
use crate::diagnostic::{Code, Diagnostic};

/// Reports every reference to an id that is not declared.
pub fn check(file: &RulesetFile, symbols: &Symbols, out: &mut Vec<Diagnostic>) {
    let r = Resolver { symbols, out };
    r.run(file);
}

struct Resolver<'s, 'a, 'o> {
    symbols: &'s Symbols<'a>,
    out: &'o mut Vec<Diagnostic>,
}

impl Resolver<'_, '_, '_> {
    fn run(mut self, file: &RulesetFile) {
        for item in &file.items {
            match &item.value {
                Item::Catalog(catalog) => {
                    for course in &catalog.courses {
                        self.category(&course.value.category);
                    }
                }
                Item::Gpa(gpa) => {
                    self.scale(&gpa.scores.value);
                    if let Some(grades) = &gpa.grades {
                        for s in &grades.value {
                            self.scale(s);
                        }
                    }
                    if let Some(include) = &gpa.include {
                        for c in &include.value {
                            self.category(c);
                        }
                    }
                    for exclusion in &gpa.exclude {
                        match &exclusion.value {
                            GpaExclusion::Categories(list) => {
                                list.iter().for_each(|c| self.category(c))
                            }
                            GpaExclusion::Courses(list) => list.iter().for_each(|c| self.course(c)),
                            GpaExclusion::Tags(_) | GpaExclusion::Grades(_) => {}
                        }
                    }
                }
                Item::Convert(rule) => {
                    self.kind(&rule.kind.value);
                    self.category(&rule.into.value);
                    if let Some(from) = &rule.from {
                        for i in &from.value {
                            self.institution(i);
                        }
                    }
                }
                Item::Cap(cap) => {
                    match &cap.on.value {
                        CapScope::Category(c) => self.category(c),
                        CapScope::Kind(k) => self.kind(k),
                        CapScope::Rule(r) => self.rule(r),
                        CapScope::Conversions => {}
                    }
                    if let CapAmount::ShareOfRequired {
                        category: Some(c), ..
                    } = &cap.limit.value.amount
                    {
                        self.category(c);
                    }
                }
                Item::Review(review) => self.kind(&review.kind.value),
                Item::Graduation(g) => self.requirements(&g.requirements),
                Item::Program(p) => self.requirements(&p.requirements),
                Item::Certificate(c) => self.requirements(&c.requirements),
                Item::Header(_)
                | Item::Categories(_)
                | Item::Scale(_)
                | Item::Kind(_)
                | Item::Institutions(_)
                | Item::Warning(_) => {}
            }
        }
    }

    fn requirements(&mut self, requirements: &[Node<Requirement>]) {
        for r in requirements {
            match &r.value.body {
                RequirementBody::Category(c, _) => self.category(c),
                RequirementBody::Kind(k, _) => self.kind(k),
                RequirementBody::Count { kind, .. } => self.kind(kind),
                RequirementBody::Courses(list) | RequirementBody::NOf { courses: list, .. } => {
                    list.iter().for_each(|c| self.course(c))
                }
                RequirementBody::Program(p) => self.program(p),
                RequirementBody::Total(_)
                | RequirementBody::Tagged(..)
                | RequirementBody::Gpa(_)
                | RequirementBody::FailedCredits(_)
                | RequirementBody::Graduation => {}
            }
        }
    }

    fn category(&mut self, id: &Ident) {
        let t = &self.symbols.categories;
        self.resolve(id, t, Code::UnknownCategory, Names::CATEGORY);
    }

    fn scale(&mut self, id: &Ident) {
        let t = &self.symbols.scales;
        self.resolve(id, t, Code::UnknownScale, Names::SCALE);
    }

    fn course(&mut self, id: &Ident) {
        let t = &self.symbols.courses;
        self.resolve(id, t, Code::UnknownCourse, Names::COURSE);
    }

    fn kind(&mut self, id: &Ident) {
        let t = &self.symbols.kinds;
        self.resolve(id, t, Code::UnknownKind, Names::KIND);
    }

    fn institution(&mut self, id: &Ident) {
        let t = &self.symbols.institutions;
        self.resolve(id, t, Code::UnknownInstitution, Names::INSTITUTION);
    }

    fn program(&mut self, id: &Ident) {
        if self.symbols.programs.contains(&id.value) {
            return;
        }
        let mut d = unknown(
            id,
            &self.symbols.programs,
            Code::UnknownProgram,
            Names::PROGRAM,
        );
        if let Some(other) = self.symbols.rules.get(&id.value) {
            d = d.with_help(format!(
                "`{}` is a {}, not a program; `requires program` names a `program` block",
                id.value,
                other.keyword()
            ));
        }
        self.out.push(d);
    }

    /// `cap ... on rule X` must name a conversion rule.
    fn rule(&mut self, id: &Ident) {
        match self.symbols.rules.get(&id.value) {
            Some(RuleRef::Convert) => {}
            Some(other) => {
                let first = self.symbols.rules.ident(&id.value).map(|i| i.span);
                let mut d = Diagnostic::new(
                    Code::UnknownRule,
                    id.span,
                    format!(
                        "`{}` is a {}, not a conversion rule",
                        id.value,
                        other.keyword()
                    ),
                )
                .with_label("not a conversion rule")
                .with_help("`on rule` caps the credit of one `convert` rule; name a convert id");
                if let Some(first) = first {
                    d = d.with_related(first, "defined here");
                }
                self.out.push(d);
            }
            None => {
                let names: Vec<&str> = self
                    .symbols
                    .converts
                    .iter()
                    .map(|c| c.id.value.as_str())
                    .collect();
                self.out.push(
                    Diagnostic::new(
                        Code::UnknownRule,
                        id.span,
                        format!("unknown conversion rule `{}`", id.value),
                    )
                    .with_label("not a declared conversion rule")
                    .with_help(unknown_help(
                        &id.value,
                        &names,
                        "conversion rules",
                        "a `convert` block",
                    )),
                );
            }
        }
    }

    fn resolve<T>(&mut self, id: &Ident, table: &Table<T>, code: Code, names: Names) {
        if !table.contains(&id.value) {
            self.out.push(unknown(id, table, code, names));
        }
    }
}

/// How a namespace is named in messages.
#[derive(Clone, Copy)]
pub struct Names {
    /// `category`
    pub singular: &'static str,
    /// `categories`
    pub plural: &'static str,
    /// Where one is declared.
    pub declare: &'static str,
}

impl Names {
    const CATEGORY: Names = Names {
        singular: "category",
        plural: "categories",
        declare: "a `categories` block",
    };
    const SCALE: Names = Names {
        singular: "grade scale",
        plural: "scales",
        declare: "a `scale` block",
    };
    const COURSE: Names = Names {
        singular: "course",
        plural: "courses",
        declare: "a `catalog` block",
    };
    const KIND: Names = Names {
        singular: "outcome kind",
        plural: "outcome kinds",
        declare: "a `kind` block",
    };
    const INSTITUTION: Names = Names {
        singular: "institution",
        plural: "institutions",
        declare: "the `institutions` block",
    };
    const PROGRAM: Names = Names {
        singular: "program",
        plural: "programs",
        declare: "a `program` block",
    };
}

fn unknown<T>(id: &Ident, table: &Table<T>, code: Code, names: Names) -> Diagnostic {
    Diagnostic::new(
        code,
        id.span,
        format!("unknown {} `{}`", names.singular, id.value),
    )
    .with_label(format!("not a declared {}", names.singular))
    .with_help(unknown_help(
        &id.value,
        &table.names(),
        names.plural,
        names.declare,
    ))
}
