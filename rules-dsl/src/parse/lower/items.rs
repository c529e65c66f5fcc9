//! The header, categories, the GPA policy, the catalog, outcome kinds and institutions.

use super::clauses::Owner;
use super::{keyword_of, next, parts, Lowered, Lowerer, P};
use crate::ast::*;
use crate::parse::Rule;

impl Lowerer<'_, '_> {
    pub(super) fn header(&mut self, p: P<'_>) -> Lowered<Header> {
        let mut it = parts(p);
        let id = self.text(next(&mut it)?)?;
        let version = self.text(next(&mut it)?)?;
        let owner = Owner::unnamed("the ruleset header", id.span);
        let mut title = None;
        let mut effective = None;
        let mut supersedes = None;
        let mut gpa_rounding = None;
        let mut credit_rounding = None;
        let mut year_start = None;
        let mut source = None;
        for c in it {
            let open = self.open(&c);
            match c.as_rule() {
                Rule::title_clause => {
                    let node = self.text(c)?;
                    self.place(&mut title, open, node, "title", &owner);
                }
                Rule::effective_clause => {
                    let date = self.date(&next(&mut parts(c))?);
                    self.place(&mut effective, open, date, "effective", &owner);
                }
                Rule::supersedes_clause => {
                    let node = self.text(c)?;
                    self.place(&mut supersedes, open, node, "supersedes", &owner);
                }
                Rule::rounding_clause => {
                    let mut it = parts(c);
                    let target = keyword_of(&next(&mut it)?)?;
                    let mode_pair = next(&mut it)?;
                    let mode = match keyword_of(&mode_pair)? {
                        Rule::k_half_up => RoundingMode::HalfUp,
                        Rule::k_half_even => RoundingMode::HalfEven,
                        _ => RoundingMode::Truncate,
                    };
                    let mode = Spanned::new(mode, self.span(&mode_pair));
                    let places = self.integer(&next(&mut it)?);
                    let node = self.close(open, Rounding { mode, places });
                    if target == Rule::k_gpa {
                        self.once(&mut gpa_rounding, node, "rounding gpa", &owner);
                    } else {
                        self.once(&mut credit_rounding, node, "rounding credits", &owner);
                    }
                }
                Rule::year_start_clause => {
                    let day = self.month_day(&next(&mut parts(c))?);
                    self.place(&mut year_start, open, day, "year starts", &owner);
                }
                Rule::source_clause => self.source_clause(c, open, &mut source, &owner)?,
                _ => return Err(super::Bad),
            }
        }
        let title = self.required(title, "title", "title \"示范大学本科学分规则\"", &owner);
        let effective = self.required(effective, "effective", "effective 2026-09-01", &owner);
        let (Some(title), Some(effective)) = (title, effective) else {
            return Err(super::Bad);
        };
        Ok(Header {
            id,
            version,
            title,
            effective,
            supersedes,
            gpa_rounding,
            credit_rounding,
            year_start,
            source,
        })
    }

    pub(super) fn categories(&mut self, p: P<'_>) -> Lowered<Vec<Node<Category>>> {
        let mut out = Vec::new();
        for entry in parts(p) {
            let open = self.open(&entry);
            let mut it = parts(entry);
            let id = self.ident(&next(&mut it)?);
            let name = self.text(next(&mut it)?)?;
            let source = it.next().map(|s| self.text(s)).transpose()?;
            out.push(self.close(open, Category { id, name, source }));
        }
        Ok(out)
    }

    pub(super) fn gpa(&mut self, p: P<'_>) -> Lowered<GpaPolicy> {
        let keyword = self.span(&next(&mut p.clone().into_inner())?);
        let owner = Owner::unnamed("the gpa policy", keyword);
        let mut name = None;
        let mut scores = None;
        let mut grades = None;
        let mut weight = None;
        let mut retake = None;
        let mut include = None;
        let mut exclude = Vec::new();
        let mut source = None;
        for c in parts(p) {
            if c.as_rule() == Rule::display_name {
                name = Some(self.text(c)?);
                continue;
            }
            let open = self.open(&c);
            match c.as_rule() {
                Rule::gpa_scores => {
                    let scale = self.ident(&next(&mut parts(c))?);
                    self.place(&mut scores, open, scale, "scores use", &owner);
                }
                Rule::gpa_grades => {
                    let list = self.idents(next(&mut parts(c))?);
                    self.place(&mut grades, open, list, "grades use", &owner);
                }
                Rule::gpa_weight => {
                    let token = c.into_inner().last().ok_or(super::Bad)?;
                    let value = match token.as_rule() {
                        Rule::k_equal => GpaWeight::Equal,
                        _ => GpaWeight::Credits,
                    };
                    self.place(
                        &mut weight,
                        open,
                        Spanned::new(value, self.span(&token)),
                        "weight",
                        &owner,
                    );
                }
                Rule::gpa_retake => {
                    let policy = next(&mut parts(c))?;
                    let value = match keyword_of(&policy)? {
                        Rule::k_best => RetakePolicy::Best,
                        Rule::k_latest => RetakePolicy::Latest,
                        Rule::k_first => RetakePolicy::First,
                        Rule::k_average => RetakePolicy::Average,
                        _ => RetakePolicy::All,
                    };
                    self.place(
                        &mut retake,
                        open,
                        Spanned::new(value, self.span(&policy)),
                        "retake",
                        &owner,
                    );
                }
                Rule::gpa_include => {
                    let list = self.idents(next(&mut parts(c))?);
                    self.place(&mut include, open, list, "include categories", &owner);
                }
                Rule::gpa_exclude => {
                    let what = next(&mut parts(c))?;
                    let rule = what.as_rule();
                    let list = next(&mut parts(what))?;
                    let value = match rule {
                        Rule::exclude_categories => GpaExclusion::Categories(self.idents(list)),
                        Rule::exclude_courses => GpaExclusion::Courses(self.idents(list)),
                        Rule::exclude_tags => GpaExclusion::Tags(self.idents(list)),
                        _ => GpaExclusion::Grades(self.texts(list)?),
                    };
                    exclude.push(self.close(open, value));
                }
                Rule::source_clause => self.source_clause(c, open, &mut source, &owner)?,
                _ => return Err(super::Bad),
            }
        }
        let scores = self.required(scores, "scores use", "scores use SCALE", &owner);
        let retake = self.required(retake, "retake", "retake best", &owner);
        let (Some(scores), Some(retake)) = (scores, retake) else {
            return Err(super::Bad);
        };
        Ok(GpaPolicy {
            name,
            scores,
            grades,
            weight,
            retake,
            include,
            exclude,
            source,
        })
    }

    pub(super) fn catalog(&mut self, p: P<'_>) -> Lowered<Catalog> {
        let mut name = None;
        let mut courses = Vec::new();
        for c in parts(p) {
            if c.as_rule() == Rule::display_name {
                name = Some(self.text(c)?);
                continue;
            }
            if let Some(course) = self.course(c)? {
                courses.push(course);
            }
        }
        Ok(Catalog { name, courses })
    }

    /// A course; `None` (reported) when a required clause is missing, so that one bad
    /// course does not hide the whole catalog.
    fn course(&mut self, p: P<'_>) -> Lowered<Option<Node<Course>>> {
        let open = self.open(&p);
        let mut it = parts(p);
        let code = self.ident(&next(&mut it)?);
        let name = self.text(next(&mut it)?)?;
        let owner = Owner::named("course", &code.value, code.span);
        let mut credits = None;
        let mut category = None;
        let mut tags = None;
        let mut term = None;
        for c in it {
            let span = self.span(&c);
            match c.as_rule() {
                Rule::course_credits => {
                    let value = self.number(&next(&mut parts(c))?);
                    self.once_value(&mut credits, value, span, "credits", &owner);
                }
                Rule::course_category => {
                    let value = self.ident(&next(&mut parts(c))?);
                    self.once_value(&mut category, value, span, "category", &owner);
                }
                Rule::course_tags => {
                    let value = self.idents(next(&mut parts(c))?);
                    self.once_value(&mut tags, value, span, "tags", &owner);
                }
                Rule::course_term => {
                    let value = self.integer(&next(&mut parts(c))?);
                    self.once_value(&mut term, value, span, "term", &owner);
                }
                _ => return Err(super::Bad),
            }
        }
        let credits = self.required(credits, "credits", "credits 3", &owner);
        let category = self.required(category, "category", "category CATEGORY", &owner);
        let (Some((credits, _)), Some((category, _))) = (credits, category) else {
            return Ok(None);
        };
        let course = Course {
            code,
            name,
            credits,
            category,
            tags: tags.map(|t| t.0).unwrap_or_default(),
            term: term.map(|t| t.0),
        };
        Ok(Some(self.close(open, course)))
    }

    pub(super) fn kind(&mut self, p: P<'_>) -> Lowered<OutcomeKind> {
        let mut it = parts(p);
        let id = self.ident(&next(&mut it)?);
        let owner = Owner::named("kind", &id.value, id.span);
        let mut name = None;
        let mut attributes = Vec::new();
        let mut evidence = Vec::new();
        let mut source = None;
        for c in it {
            if c.as_rule() == Rule::display_name {
                name = Some(self.text(c)?);
                continue;
            }
            let open = self.open(&c);
            match c.as_rule() {
                Rule::attribute => {
                    let attribute = self.attribute(c)?;
                    attributes.push(self.close(open, attribute));
                }
                Rule::evidence => {
                    let items = parts(c)
                        .map(|item| {
                            let (id, name) = self.id_and_name(item)?;
                            Ok(EvidenceItem { id, name })
                        })
                        .collect::<Lowered<Vec<_>>>()?;
                    evidence.push(self.close(open, items));
                }
                Rule::source_clause => self.source_clause(c, open, &mut source, &owner)?,
                _ => return Err(super::Bad),
            }
        }
        Ok(OutcomeKind {
            id,
            name,
            attributes,
            evidence,
            source,
        })
    }

    fn attribute(&mut self, p: P<'_>) -> Lowered<Attribute> {
        let mut id = None;
        let mut name = None;
        let mut ty = None;
        for c in parts(p) {
            match c.as_rule() {
                Rule::ident => id = Some(self.ident(&c)),
                Rule::display_name => name = Some(self.text(c)?),
                Rule::enum_type => {
                    let values = parts(c)
                        .map(|v| {
                            let (id, name) = self.id_and_name(v)?;
                            Ok(EnumValue { id, name })
                        })
                        .collect::<Lowered<Vec<_>>>()?;
                    ty = Some(AttributeType::Enum(values));
                }
                Rule::number_type => {
                    let range = parts(c).next().map(|r| self.range(r)).transpose()?;
                    ty = Some(AttributeType::Number(range));
                }
                Rule::integer_type => {
                    let range = parts(c).next().map(|r| self.range(r)).transpose()?;
                    ty = Some(AttributeType::Integer(range));
                }
                Rule::text_type => ty = Some(AttributeType::Text),
                Rule::date_type => ty = Some(AttributeType::Date),
                _ => return Err(super::Bad),
            }
        }
        Ok(Attribute {
            id: id.ok_or(super::Bad)?,
            name,
            ty: ty.ok_or(super::Bad)?,
        })
    }

    /// `ident display_name?`
    fn id_and_name(&mut self, p: P<'_>) -> Lowered<(Ident, Option<Text>)> {
        let mut it = parts(p);
        let id = self.ident(&next(&mut it)?);
        let name = it.next().map(|n| self.text(n)).transpose()?;
        Ok((id, name))
    }

    /// `[min, max]` of a scale or an attribute.
    pub(super) fn range(&mut self, p: P<'_>) -> Lowered<ScoreRange> {
        let mut it = parts(p);
        let min = self.number(&next(&mut it)?);
        let max = self.number(&next(&mut it)?);
        Ok(ScoreRange { min, max })
    }

    pub(super) fn institutions(&mut self, p: P<'_>) -> Lowered<Vec<Node<Institution>>> {
        let mut out = Vec::new();
        for entry in parts(p) {
            let open = self.open(&entry);
            let mut it = parts(entry);
            let id = self.ident(&next(&mut it)?);
            let name = self.text(next(&mut it)?)?;
            let ty_pair = next(&mut it)?;
            let ty = match keyword_of(&ty_pair)? {
                Rule::k_in_school => InstitutionType::InSchool,
                Rule::k_partner => InstitutionType::Partner,
                Rule::k_university => InstitutionType::University,
                Rule::k_mooc_platform => InstitutionType::MoocPlatform,
                Rule::k_certifying_body => InstitutionType::CertifyingBody,
                Rule::k_enterprise => InstitutionType::Enterprise,
                _ => InstitutionType::Other,
            };
            let ty = Spanned::new(ty, self.span(&ty_pair));
            let share = self.percent(&next(&mut it)?);
            let source = it.next().map(|s| self.text(s)).transpose()?;
            let institution = Institution {
                id,
                name,
                ty,
                share,
                source,
            };
            out.push(self.close(open, institution));
        }
        Ok(out)
    }
}
