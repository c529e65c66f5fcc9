//! Categories, courses, tags and institutions, by index.

use super::PlanError;
use creditbank_dsl::ast::{InstitutionType, Item, RulesetFile, Span};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

/// A credit category, by its position in the ruleset's `categories` blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CategoryId(pub u16);

/// A course, by its position in the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CourseId(pub u32);

/// A course tag, interned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TagId(pub u16);

/// An institution, by its position in the `institutions` blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct InstitutionId(pub u16);

/// A course as evaluation needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct CoursePlan {
    /// The course code.
    pub code: String,
    /// The course name.
    pub name: String,
    /// Credits.
    pub credits: Decimal,
    /// The category its credits go into.
    pub category: CategoryId,
    /// Its tags, sorted.
    pub tags: Vec<TagId>,
    /// The planned term, if any.
    pub term: Option<u32>,
    /// Where the course is declared, for explanations.
    pub span: Span,
}

/// An institution as evaluation needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct InstitutionPlan {
    /// The institution's id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// What sort of institution.
    pub ty: InstitutionType,
    /// The share of credit its outcomes convert at, as a fraction (1 = full credit).
    pub share: Decimal,
}

/// The catalog compiled: every name resolved to an index once.
#[derive(Clone, Debug, Default)]
pub struct CatalogPlan {
    /// Category ids, in declaration order; a [`CategoryId`] indexes this.
    pub categories: Vec<String>,
    /// Category display names, parallel to `categories`.
    pub category_names: Vec<String>,
    /// Courses, in declaration order; a [`CourseId`] indexes this.
    pub courses: Vec<CoursePlan>,
    /// Tag names; a [`TagId`] indexes this.
    pub tags: Vec<String>,
    /// Institutions; an [`InstitutionId`] indexes this.
    pub institutions: Vec<InstitutionPlan>,
    category_index: HashMap<String, CategoryId>,
    course_index: HashMap<String, CourseId>,
    tag_index: HashMap<String, TagId>,
    institution_index: HashMap<String, InstitutionId>,
    /// Indexed by [`CourseId`]: the rank of the course's code in code order, so that sorting
    /// a transcript by code compares integers for catalog courses.
    code_rank: Vec<u32>,
    /// The course ids in code order (for the place of a code the catalog does not know).
    by_code: Vec<CourseId>,
}

impl CatalogPlan {
    /// Compiles the catalog of a checked ruleset file.
    pub fn compile(file: &RulesetFile) -> Result<CatalogPlan, PlanError> {
        let mut plan = CatalogPlan::default();
        for item in &file.items {
            match &item.value {
                Item::Categories(entries) => {
                    for entry in entries {
                        let id = CategoryId(
                            u16::try_from(plan.categories.len())
                                .map_err(|_| PlanError::TooMany("categories"))?,
                        );
                        plan.category_index.insert(entry.value.id.value.clone(), id);
                        plan.categories.push(entry.value.id.value.clone());
                        plan.category_names.push(entry.value.name.value.clone());
                    }
                }
                Item::Institutions(entries) => {
                    for entry in entries {
                        let e = &entry.value;
                        let id = InstitutionId(
                            u16::try_from(plan.institutions.len())
                                .map_err(|_| PlanError::TooMany("institutions"))?,
                        );
                        plan.institution_index.insert(e.id.value.clone(), id);
                        plan.institutions.push(InstitutionPlan {
                            id: e.id.value.clone(),
                            name: e.name.value.clone(),
                            ty: e.ty.value,
                            share: e.share.value / Decimal::ONE_HUNDRED,
                        });
                    }
                }
                _ => {}
            }
        }
        // Courses after categories, wherever the blocks stand in the file.
        for item in &file.items {
            let Item::Catalog(catalog) = &item.value else {
                continue;
            };
            for course in &catalog.courses {
                let c = &course.value;
                let category =
                    plan.category(&c.category.value)
                        .ok_or_else(|| PlanError::Unresolved {
                            what: "category",
                            name: c.category.value.clone(),
                        })?;
                let mut tags = c
                    .tags
                    .iter()
                    .map(|t| plan.intern_tag(&t.value))
                    .collect::<Result<Vec<_>, _>>()?;
                tags.sort_unstable();
                tags.dedup();
                let id = CourseId(
                    u32::try_from(plan.courses.len()).map_err(|_| PlanError::TooMany("courses"))?,
                );
                plan.course_index.insert(c.code.value.clone(), id);
                plan.courses.push(CoursePlan {
                    code: c.code.value.clone(),
                    name: c.name.value.clone(),
                    credits: c.credits.value,
                    category,
                    tags,
                    term: c.term.as_ref().map(|t| t.value),
                    span: course.span,
                });
            }
        }
        let mut by_code: Vec<usize> = (0..plan.courses.len()).collect();
        by_code.sort_by(|&a, &b| plan.courses[a].code.cmp(&plan.courses[b].code));
        plan.code_rank = vec![0; plan.courses.len()];
        for (rank, &course) in by_code.iter().enumerate() {
            plan.code_rank[course] =
                u32::try_from(rank).map_err(|_| PlanError::TooMany("courses"))?;
        }
        plan.by_code = by_code
            .iter()
            .filter_map(|&c| u32::try_from(c).ok().map(CourseId))
            .collect();
        Ok(plan)
    }

    /// A key that sorts course codes in code order using integers for catalog courses:
    /// `2 × rank + 1` for a catalog course, `2 × p` for a code the catalog does not know, `p`
    /// being the number of catalog codes before it. Two unknown codes with the same key still
    /// need comparing as text.
    pub fn code_key(&self, code: &str, course: Option<CourseId>) -> u32 {
        match course {
            Some(id) => self.code_rank(id).saturating_mul(2).saturating_add(1),
            None => {
                let before = self.by_code.partition_point(|&id| {
                    self.course_plan(id).is_some_and(|p| p.code.as_str() < code)
                });
                u32::try_from(before)
                    .unwrap_or(u32::MAX / 2)
                    .saturating_mul(2)
            }
        }
    }

    /// The rank of a catalog course's code in code order: for two catalog courses, comparing
    /// ranks is comparing codes.
    pub fn code_rank(&self, course: CourseId) -> u32 {
        self.code_rank
            .get(course.0 as usize)
            .copied()
            .unwrap_or(u32::MAX)
    }

    fn intern_tag(&mut self, name: &str) -> Result<TagId, PlanError> {
        if let Some(id) = self.tag_index.get(name) {
            return Ok(*id);
        }
        let id = TagId(u16::try_from(self.tags.len()).map_err(|_| PlanError::TooMany("tags"))?);
        self.tag_index.insert(name.to_string(), id);
        self.tags.push(name.to_string());
        Ok(id)
    }

    /// The category with this id.
    pub fn category(&self, name: &str) -> Option<CategoryId> {
        self.category_index.get(name).copied()
    }

    /// The course with this code.
    pub fn course(&self, code: &str) -> Option<CourseId> {
        self.course_index.get(code).copied()
    }

    /// The tag with this name (`None` if no course carries it).
    pub fn tag(&self, name: &str) -> Option<TagId> {
        self.tag_index.get(name).copied()
    }

    /// The institution with this id.
    pub fn institution(&self, name: &str) -> Option<InstitutionId> {
        self.institution_index.get(name).copied()
    }

    /// The course behind an id.
    pub fn course_plan(&self, id: CourseId) -> Option<&CoursePlan> {
        self.courses.get(id.0 as usize)
    }
}

/// The grading policy numbers courses, categories and tags the way the plan does.
impl crate::grading::PolicyIds for CatalogPlan {
    fn category(&self, id: &str) -> Option<u16> {
        CatalogPlan::category(self, id).map(|c| c.0)
    }

    fn tag(&self, id: &str) -> Option<u16> {
        CatalogPlan::tag(self, id).map(|t| t.0)
    }

    fn course(&self, code: &str) -> Option<u32> {
        CatalogPlan::course(self, code).map(|c| c.0)
    }

    fn each_course(&self, each: &mut dyn FnMut(crate::grading::CourseFacts<'_>)) {
        let mut tags = Vec::new();
        for (number, course) in (0u32..).zip(&self.courses) {
            tags.clear();
            tags.extend(course.tags.iter().map(|t| t.0));
            each(crate::grading::CourseFacts {
                course: number,
                category: course.category.0,
                tags: &tags,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use creditbank_dsl::SourceFile;

    const TEXT: &str = r#"
ruleset "t/x" version "1" {
  title "t"
  effective 2026-09-01
}
catalog {
  course CS101 "程序设计" credits 3 category major tags core, programming term 1
  course PE101 "体育" credits 1.5 category general tags pe
}
categories {
  general "通识"
  major "专业"
}
institutions {
  pku "北京大学" partner share 100%
  other "其他高校" university share 50%
}
"#;

    fn plan() -> CatalogPlan {
        let checked = creditbank_dsl::check(&SourceFile::new("t.cbr", TEXT));
        assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
        CatalogPlan::compile(&checked.file).unwrap()
    }

    #[test]
    fn code_keys_sort_known_and_unknown_codes_in_text_order() {
        let p = plan();
        let mut codes = vec![
            "PE101", "ZZ9", "CS101", "A1", "CS2", "PE", "CS101X", "PE101",
        ];
        let mut by_key = codes.clone();
        by_key.sort_by(|a, b| {
            let (ka, kb) = (p.course(a), p.course(b));
            p.code_key(a, ka)
                .cmp(&p.code_key(b, kb))
                .then_with(|| match (ka, kb) {
                    (None, None) => a.cmp(b),
                    _ => std::cmp::Ordering::Equal,
                })
        });
        codes.sort();
        assert_eq!(by_key, codes);
    }

    #[test]
    fn names_resolve_to_indices_wherever_the_blocks_stand() {
        let p = plan();
        let cs = p.course("CS101").unwrap();
        let course = p.course_plan(cs).unwrap();
        assert_eq!(course.category, p.category("major").unwrap());
        assert_eq!(course.credits, Decimal::new(3, 0));
        assert_eq!(course.term, Some(1));
        assert!(course.tags.contains(&p.tag("core").unwrap()));
        assert_eq!(p.course("MA101"), None);
    }

    #[test]
    fn institution_shares_become_fractions() {
        let p = plan();
        let other = p.institution("other").unwrap();
        assert_eq!(p.institutions[other.0 as usize].share, Decimal::new(5, 1));
    }
}
