//! Graduation, programs, certificates and their requirements.

use super::clauses::Owner;
use super::{next, parts, Bad, Lowered, Lowerer, P};
use crate::ast::*;
use crate::parse::Rule;

impl Lowerer<'_, '_> {
    pub(super) fn graduation(&mut self, p: P<'_>) -> Lowered<Graduation> {
        let keyword = self.span(&next(&mut p.clone().into_inner())?);
        let owner = Owner::unnamed("graduation", keyword);
        let (name, requirements, source) = self.requirement_block(parts(p), &owner)?;
        Ok(Graduation {
            name,
            requirements,
            source,
        })
    }

    pub(super) fn certificate(&mut self, p: P<'_>) -> Lowered<Certificate> {
        let mut it = parts(p);
        let id = self.ident(&next(&mut it)?);
        let owner = Owner::named("certificate", &id.value, id.span);
        let (name, requirements, source) = self.requirement_block(it, &owner)?;
        Ok(Certificate {
            id,
            name,
            requirements,
            source,
        })
    }

    /// The display name, requirements and citation of graduation or a certificate.
    #[allow(clippy::type_complexity)]
    fn requirement_block<'i>(
        &mut self,
        it: impl Iterator<Item = P<'i>>,
        owner: &Owner<'_>,
    ) -> Lowered<(Option<Text>, Vec<Node<Requirement>>, Option<Node<Text>>)> {
        let mut name = None;
        let mut requirements = Vec::new();
        let mut source = None;
        for c in it {
            match c.as_rule() {
                Rule::display_name => name = Some(self.text(c)?),
                Rule::requirement => requirements.push(self.requirement(c)?),
                Rule::source_clause => {
                    let open = self.open(&c);
                    self.source_clause(c, open, &mut source, owner)?;
                }
                _ => return Err(Bad),
            }
        }
        Ok((name, requirements, source))
    }

    pub(super) fn program(&mut self, p: P<'_>) -> Lowered<Program> {
        let mut it = parts(p);
        let id = self.ident(&next(&mut it)?);
        let owner = Owner::named("program", &id.value, id.span);
        let mut name = None;
        let mut ty = None;
        let mut courses = None;
        let mut requirements = Vec::new();
        let mut source = None;
        for c in it {
            match c.as_rule() {
                Rule::display_name => name = Some(self.text(c)?),
                Rule::requirement => requirements.push(self.requirement(c)?),
                Rule::program_type => {
                    let open = self.open(&c);
                    let token = c.into_inner().last().ok_or(Bad)?;
                    let value = match token.as_rule() {
                        Rule::k_minor => ProgramType::Minor,
                        Rule::k_double_degree => ProgramType::DoubleDegree,
                        _ => ProgramType::MicroMajor,
                    };
                    self.place(
                        &mut ty,
                        open,
                        Spanned::new(value, self.span(&token)),
                        "type",
                        &owner,
                    );
                }
                Rule::program_courses => {
                    let open = self.open(&c);
                    let tags = self.idents(next(&mut parts(c))?);
                    self.place(&mut courses, open, tags, "courses tagged", &owner);
                }
                Rule::source_clause => {
                    let open = self.open(&c);
                    let node = self.text(c)?;
                    self.place(&mut source, open, node, "source", &owner);
                }
                _ => return Err(Bad),
            }
        }
        let ty = self.required(ty, "type", "type minor", &owner);
        let courses = self.required(courses, "courses tagged", "courses tagged TAG", &owner);
        let (Some(ty), Some(courses_tagged)) = (ty, courses) else {
            return Err(Bad);
        };
        Ok(Program {
            id,
            name,
            ty,
            courses_tagged,
            requirements,
            source,
        })
    }

    fn requirement(&mut self, p: P<'_>) -> Lowered<Node<Requirement>> {
        let open = self.open(&p);
        let mut id = None;
        let mut body = None;
        let mut label = None;
        let mut source = None;
        for c in parts(p) {
            match c.as_rule() {
                Rule::requirement_id => id = Some(self.ident(&next(&mut parts(c))?)),
                Rule::display_name => label = Some(self.text(c)?),
                Rule::source_clause => source = Some(self.text(c)?),
                _ => body = Some(self.requirement_body(c)?),
            }
        }
        let requirement = Requirement {
            id,
            body: body.ok_or(Bad)?,
            label,
            source,
        };
        Ok(self.close(open, requirement))
    }

    fn requirement_body(&mut self, p: P<'_>) -> Lowered<RequirementBody> {
        let rule = p.as_rule();
        if rule == Rule::req_graduation {
            return Ok(RequirementBody::Graduation);
        }
        let mut it = parts(p);
        let first = next(&mut it)?;
        Ok(match rule {
            Rule::req_total => RequirementBody::Total(self.number(&first)),
            Rule::req_gpa => RequirementBody::Gpa(self.number(&first)),
            Rule::req_failed => RequirementBody::FailedCredits(self.number(&first)),
            Rule::req_category => {
                let id = self.ident(&first);
                RequirementBody::Category(id, self.number(&next(&mut it)?))
            }
            Rule::req_tagged => {
                let id = self.ident(&first);
                RequirementBody::Tagged(id, self.number(&next(&mut it)?))
            }
            Rule::req_kind => {
                let id = self.ident(&first);
                RequirementBody::Kind(id, self.number(&next(&mut it)?))
            }
            Rule::req_count => {
                let kind = self.ident(&first);
                let mut filter = None;
                let mut at_least = None;
                for c in it {
                    if c.as_rule() == Rule::condition {
                        filter = Some(self.condition(c)?);
                    } else {
                        at_least = Some(self.integer(&c));
                    }
                }
                RequirementBody::Count {
                    kind,
                    filter,
                    at_least: at_least.ok_or(Bad)?,
                }
            }
            Rule::req_courses => RequirementBody::Courses(self.idents(first)),
            Rule::req_n_of => {
                let n = self.integer(&first);
                RequirementBody::NOf {
                    n,
                    courses: self.idents(next(&mut it)?),
                }
            }
            Rule::req_program => RequirementBody::Program(self.ident(&first)),
            _ => return Err(Bad),
        })
    }
}
