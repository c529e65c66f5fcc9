//! Graduation, program and certificate requirements: compiled once per ruleset, judged against
//! a learner's [`Standing`](crate::standing::Standing).
//!
//! [`RequirementsPlan::compile`] resolves every name of every `requires` clause to an index
//! (categories, courses, tags, kinds; `count ... where` conditions into slot-indexed
//! conditions) and orders the blocks so that a block comes after every block it requires.
//! [`judge`] then walks that order once per learner without a name lookup.
//!
//! Requirement ids: a requirement written `requires ID: ...` has the id `ID`; one without gets a
//! stable derived id, its block and its 1-based position in the block (`graduation/3`,
//! `econ-minor/2`). An exception waives a requirement by its id; since explicit ids are unique
//! only within a block, a waiver may also qualify it with the block (`econ-double/econ-core`),
//! and an unqualified id waives it in every block that has it.
//!
//! Scope of a program's requirements (docs/LANGUAGE.md, section 14): `total` counts the credits
//! of the program's courses ([`crate::standing::Standing::tagged_credits`] over its tags), `gpa` is the GPA over
//! them ([`crate::standing::Standing::gpa_over_tags`]), `tagged T` the credits of courses tagged `T`. A standing
//! has no per-tag category or failed-credit figures, so in a program `category C` and
//! `failed-credits` read the learner's whole record; no bundled ruleset uses them in a program.

mod judge;
#[cfg(test)]
pub(crate) mod tests;

pub use judge::{
    judge, judge_listing, BlockResult, Eligibility, Figure, GpaOutlook, RequirementResult,
    Shortfall, Status,
};

use crate::expr::{CompileError, CompiledCondition};
use crate::grading::{CompiledScale, GradeInput};
use crate::plan::{CatalogPlan, CategoryId, CourseId, KindId, KindsPlan, TagId};
use creditbank_dsl::ast::{
    self, Item, ProgramType, RequirementBody, RoundingMode, RulesetFile, ScaleBody, Span,
};
use rust_decimal::Decimal;

/// Why requirements could not be compiled (only for files that did not pass the checker).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequirementsError {
    /// A name the checker would have reported as unknown.
    #[error("unknown {what} `{name}` in requirements: check the ruleset before compiling it")]
    Unresolved {
        /// What sort of name (`category`, `course`, ...).
        what: &'static str,
        /// The name.
        name: String,
    },
    /// A `count ... where` condition that does not fit its kind.
    #[error("the condition of requirement `{requirement}` does not compile: {source}")]
    Condition {
        /// The requirement's id.
        requirement: String,
        /// Why.
        source: CompileError,
    },
    /// Blocks requiring each other in a cycle (the checker's E039).
    #[error("requirements of `{0}` refer back to it in a cycle")]
    Cycle(String),
    /// More blocks than an index holds.
    #[error("too many programs or certificates in one ruleset")]
    TooMany,
}

/// Which block a requirement belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BlockRef {
    /// The graduation block.
    Graduation,
    /// A program, by its position among the ruleset's programs.
    Program(u16),
    /// A certificate, by its position among the ruleset's certificates.
    Certificate(u16),
}

/// What sort of block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// `graduation`: over the whole record.
    Graduation,
    /// `program`: over the courses carrying any of `tags`.
    Program {
        /// minor, double degree or micro-major.
        ty: ProgramType,
        /// The program's course tags, sorted (the ones no course carries are left out).
        tags: Vec<TagId>,
    },
    /// `certificate`: over the whole record.
    Certificate,
}

/// A graduation, program or certificate block compiled.
#[derive(Clone, Debug)]
pub struct BlockPlan {
    /// `graduation`, or the program's or certificate's id.
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// What sort of block, and for a program its courses.
    pub kind: BlockKind,
    /// The block's citation.
    pub source: Option<String>,
    /// Where the block is written.
    pub span: Span,
    /// Its requirements, in source order.
    pub requirements: Vec<RequirementPlan>,
}

/// One `requires` clause compiled.
#[derive(Clone, Debug)]
pub struct RequirementPlan {
    /// Its id: the explicit `ID:` or the derived `block/N` (N from 1).
    pub id: String,
    /// `block/id`, which a waiver may use to name it in one block only.
    pub qualified_id: String,
    /// The label shown in explanations.
    pub label: Option<String>,
    /// Its citation.
    pub source: Option<String>,
    /// Where it is written.
    pub span: Span,
    /// What it asks for, with names resolved.
    pub check: Check,
}

/// What a requirement asks for, with names resolved to indices.
#[derive(Clone, Debug)]
pub enum Check {
    /// `total at least N`.
    Total(Decimal),
    /// `category C at least N`.
    Category {
        /// The category.
        category: CategoryId,
        /// Its id, for messages.
        name: String,
        /// The minimum.
        at_least: Decimal,
    },
    /// `tagged T at least N`; `tag` is `None` when no course carries the tag (nothing counts).
    Tagged {
        /// The tag.
        tag: Option<TagId>,
        /// Its name, for messages.
        name: String,
        /// The minimum.
        at_least: Decimal,
    },
    /// `kind K at least N`.
    Kind {
        /// The kind.
        kind: KindId,
        /// Its id, for messages.
        name: String,
        /// The minimum.
        at_least: Decimal,
    },
    /// `count K [where C] at least N`.
    Count {
        /// The kind.
        kind: KindId,
        /// Its id, for messages.
        name: String,
        /// Which outcomes count; `None` for all.
        filter: Option<CompiledCondition>,
        /// How many.
        at_least: u32,
    },
    /// `gpa at least N`.
    Gpa(Decimal),
    /// `failed-credits at most N`.
    FailedCredits(Decimal),
    /// `courses A, B`: all passed. Codes are parallel to the ids, for messages.
    Courses {
        /// The courses, duplicates removed, in source order.
        courses: Vec<CourseId>,
        /// Their codes.
        codes: Vec<String>,
    },
    /// `N of (A, B, ...)`.
    NOf {
        /// How many must be passed.
        n: u32,
        /// The courses, duplicates removed, in source order.
        courses: Vec<CourseId>,
        /// Their codes.
        codes: Vec<String>,
    },
    /// `program P`: another block met.
    Program(u16),
    /// `graduation`.
    Graduation,
}

/// How reported figures in messages are rounded (the header's `rounding` clauses).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reporting {
    /// Credits: the header's `rounding credits`, half-up to 1 place when not declared.
    pub credits: (RoundingMode, u32),
    /// GPA: the header's `rounding gpa`, half-up to 2 places when not declared.
    pub gpa: (RoundingMode, u32),
}

impl Default for Reporting {
    fn default() -> Self {
        Reporting {
            credits: (RoundingMode::HalfUp, 1),
            gpa: (RoundingMode::HalfUp, 2),
        }
    }
}

/// Every requirement of a ruleset, compiled.
#[derive(Clone, Debug)]
pub struct RequirementsPlan {
    /// The graduation block, if the ruleset has one.
    pub graduation: Option<BlockPlan>,
    /// The programs, in source order; [`BlockRef::Program`] indexes this.
    pub programs: Vec<BlockPlan>,
    /// The certificates, in source order; [`BlockRef::Certificate`] indexes this.
    pub certificates: Vec<BlockPlan>,
    /// How figures in messages are rounded.
    pub reporting: Reporting,
    /// The graduation `total at least` minimum (the largest, if several): the credits a learner
    /// needs in all, against which the credits still to earn are counted for the GPA outlook.
    pub total_needed: Option<Decimal>,
    /// The most grade points one course can earn under the GPA policy's scales (4.0 when the
    /// ruleset has no GPA policy).
    pub max_points: Decimal,
    /// The blocks in an order where every block comes after the blocks it requires.
    order: Vec<BlockRef>,
}

impl RequirementsPlan {
    /// Compiles the graduation, program and certificate blocks of a checked file.
    pub fn compile(
        file: &RulesetFile,
        catalog: &CatalogPlan,
        kinds: &KindsPlan,
    ) -> Result<RequirementsPlan, RequirementsError> {
        let program_ids: Vec<&str> = file
            .items
            .iter()
            .filter_map(|item| match &item.value {
                Item::Program(p) => Some(p.id.value.as_str()),
                _ => None,
            })
            .collect();
        let cx = Context {
            catalog,
            kinds,
            program_ids: &program_ids,
        };
        let mut plan = RequirementsPlan {
            graduation: None,
            programs: Vec::new(),
            certificates: Vec::new(),
            reporting: Reporting::default(),
            total_needed: None,
            max_points: max_points(file),
            order: Vec::new(),
        };
        for item in &file.items {
            match &item.value {
                Item::Header(header) => {
                    if let Some(r) = &header.credit_rounding {
                        plan.reporting.credits = (r.value.mode.value, r.value.places.value);
                    }
                    if let Some(r) = &header.gpa_rounding {
                        plan.reporting.gpa = (r.value.mode.value, r.value.places.value);
                    }
                }
                Item::Graduation(g) => {
                    plan.graduation = Some(cx.block(
                        "graduation",
                        g.name.as_ref(),
                        BlockKind::Graduation,
                        g.source.as_ref().map(|s| &s.value),
                        item.span,
                        &g.requirements,
                    )?);
                }
                Item::Program(p) => {
                    let mut tags: Vec<TagId> = p
                        .courses_tagged
                        .value
                        .iter()
                        .filter_map(|t| catalog.tag(&t.value))
                        .collect();
                    tags.sort_unstable();
                    tags.dedup();
                    plan.programs.push(cx.block(
                        &p.id.value,
                        p.name.as_ref(),
                        BlockKind::Program {
                            ty: p.ty.value.value,
                            tags,
                        },
                        p.source.as_ref().map(|s| &s.value),
                        item.span,
                        &p.requirements,
                    )?);
                }
                Item::Certificate(c) => {
                    plan.certificates.push(cx.block(
                        &c.id.value,
                        c.name.as_ref(),
                        BlockKind::Certificate,
                        c.source.as_ref().map(|s| &s.value),
                        item.span,
                        &c.requirements,
                    )?);
                }
                _ => {}
            }
        }
        if u16::try_from(plan.certificates.len()).is_err() {
            return Err(RequirementsError::TooMany);
        }
        plan.total_needed = plan
            .graduation
            .iter()
            .flat_map(|g| &g.requirements)
            .filter_map(|r| match r.check {
                Check::Total(n) => Some(n),
                _ => None,
            })
            .max();
        plan.order = plan.dependency_order()?;
        Ok(plan)
    }

    /// The block behind a reference.
    pub fn block(&self, at: BlockRef) -> Option<&BlockPlan> {
        match at {
            BlockRef::Graduation => self.graduation.as_ref(),
            BlockRef::Program(i) => self.programs.get(usize::from(i)),
            BlockRef::Certificate(i) => self.certificates.get(usize::from(i)),
        }
    }

    /// Every block, graduation first, then programs, then certificates.
    pub(crate) fn blocks(&self) -> impl Iterator<Item = (BlockRef, &BlockPlan)> {
        let graduation = self.graduation.iter().map(|b| (BlockRef::Graduation, b));
        let programs = (0u16..)
            .zip(&self.programs)
            .map(|(i, b)| (BlockRef::Program(i), b));
        let certificates = (0u16..)
            .zip(&self.certificates)
            .map(|(i, b)| (BlockRef::Certificate(i), b));
        graduation.chain(programs).chain(certificates)
    }

    /// The position of a block in [`RequirementsPlan::blocks`] order.
    fn position(&self, at: BlockRef) -> Option<usize> {
        let g = usize::from(self.graduation.is_some());
        match at {
            BlockRef::Graduation => self.graduation.as_ref().map(|_| 0),
            BlockRef::Program(i) => {
                let i = usize::from(i);
                (i < self.programs.len()).then_some(g + i)
            }
            BlockRef::Certificate(i) => {
                let i = usize::from(i);
                (i < self.certificates.len()).then_some(g + self.programs.len() + i)
            }
        }
    }

    /// The blocks a block requires, in source order.
    fn dependencies(&self, at: BlockRef) -> impl Iterator<Item = BlockRef> + '_ {
        self.block(at)
            .into_iter()
            .flat_map(|b| &b.requirements)
            .filter_map(|r| match r.check {
                Check::Program(p) => Some(BlockRef::Program(p)),
                Check::Graduation => Some(BlockRef::Graduation),
                _ => None,
            })
    }

    /// The blocks in dependency order: depth first, each after what it requires.
    fn dependency_order(&self) -> Result<Vec<BlockRef>, RequirementsError> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let refs: Vec<BlockRef> = self.blocks().map(|(r, _)| r).collect();
        let mut marks = vec![Mark::New; refs.len()];
        let mut order = Vec::with_capacity(refs.len());
        let cycle = |at: BlockRef| {
            RequirementsError::Cycle(self.block(at).map_or_else(String::new, |b| b.id.clone()))
        };
        // An explicit stack rather than recursion, so that no ruleset can exhaust the stack.
        for (start, &root) in refs.iter().enumerate() {
            if marks[start] != Mark::New {
                continue;
            }
            marks[start] = Mark::Open;
            let mut stack: Vec<(BlockRef, usize)> = vec![(root, 0)];
            while let Some(top) = stack.last_mut() {
                let (at, next) = *top;
                match self.dependencies(at).nth(next) {
                    Some(dep) => {
                        top.1 += 1;
                        // A reference to a block the file lacks (no graduation) is judged unmet.
                        let Some(j) = self.position(dep) else {
                            continue;
                        };
                        match marks[j] {
                            Mark::Done => {}
                            Mark::Open => return Err(cycle(dep)),
                            Mark::New => {
                                marks[j] = Mark::Open;
                                stack.push((dep, 0));
                            }
                        }
                    }
                    None => {
                        if let Some(i) = self.position(at) {
                            marks[i] = Mark::Done;
                        }
                        order.push(at);
                        stack.pop();
                    }
                }
            }
        }
        Ok(order)
    }

    /// The blocks in the order [`judge`] evaluates them.
    pub fn order(&self) -> &[BlockRef] {
        &self.order
    }
}

/// What compiling a block needs to resolve names.
struct Context<'a> {
    catalog: &'a CatalogPlan,
    kinds: &'a KindsPlan,
    program_ids: &'a [&'a str],
}

impl Context<'_> {
    fn block(
        &self,
        id: &str,
        name: Option<&ast::Text>,
        kind: BlockKind,
        source: Option<&ast::Text>,
        span: Span,
        requirements: &[ast::Node<ast::Requirement>],
    ) -> Result<BlockPlan, RequirementsError> {
        let requirements = requirements
            .iter()
            .enumerate()
            .map(|(i, r)| self.requirement(id, i + 1, r))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BlockPlan {
            id: id.to_string(),
            name: name.map(|n| n.value.clone()),
            kind,
            source: source.map(|s| s.value.clone()),
            span,
            requirements,
        })
    }

    fn requirement(
        &self,
        block: &str,
        position: usize,
        node: &ast::Node<ast::Requirement>,
    ) -> Result<RequirementPlan, RequirementsError> {
        let r = &node.value;
        let (id, qualified_id) = match &r.id {
            Some(id) => (id.value.clone(), format!("{block}/{}", id.value)),
            None => {
                let derived = format!("{block}/{position}");
                (derived.clone(), derived)
            }
        };
        let unresolved = |what: &'static str, name: &str| RequirementsError::Unresolved {
            what,
            name: name.to_string(),
        };
        let check = match &r.body {
            RequirementBody::Total(n) => Check::Total(n.value),
            RequirementBody::Category(c, n) => Check::Category {
                category: self
                    .catalog
                    .category(&c.value)
                    .ok_or_else(|| unresolved("category", &c.value))?,
                name: c.value.clone(),
                at_least: n.value,
            },
            RequirementBody::Tagged(t, n) => Check::Tagged {
                tag: self.catalog.tag(&t.value),
                name: t.value.clone(),
                at_least: n.value,
            },
            RequirementBody::Kind(k, n) => Check::Kind {
                kind: self
                    .kinds
                    .kind(&k.value)
                    .ok_or_else(|| unresolved("outcome kind", &k.value))?,
                name: k.value.clone(),
                at_least: n.value,
            },
            RequirementBody::Count {
                kind,
                filter,
                at_least,
            } => {
                let id_of_kind = self
                    .kinds
                    .kind(&kind.value)
                    .ok_or_else(|| unresolved("outcome kind", &kind.value))?;
                let filter = match (filter, self.kinds.get(id_of_kind)) {
                    (Some(condition), Some(k)) => Some(
                        CompiledCondition::compile(
                            condition,
                            &|name: &str| k.slot(name),
                            &|name: &str| k.evidence_index(name),
                        )
                        .map_err(|source| {
                            RequirementsError::Condition {
                                requirement: qualified_id.clone(),
                                source,
                            }
                        })?,
                    ),
                    (Some(_), None) => return Err(unresolved("outcome kind", &kind.value)),
                    (None, _) => None,
                };
                Check::Count {
                    kind: id_of_kind,
                    name: kind.value.clone(),
                    filter,
                    at_least: at_least.value,
                }
            }
            RequirementBody::Gpa(n) => Check::Gpa(n.value),
            RequirementBody::FailedCredits(n) => Check::FailedCredits(n.value),
            RequirementBody::Courses(list) => {
                let (courses, codes) = self.courses(list)?;
                Check::Courses { courses, codes }
            }
            RequirementBody::NOf { n, courses } => {
                let (courses, codes) = self.courses(courses)?;
                Check::NOf {
                    n: n.value,
                    courses,
                    codes,
                }
            }
            RequirementBody::Program(p) => {
                let at = self
                    .program_ids
                    .iter()
                    .position(|x| *x == p.value)
                    .ok_or_else(|| unresolved("program", &p.value))?;
                Check::Program(u16::try_from(at).map_err(|_| RequirementsError::TooMany)?)
            }
            RequirementBody::Graduation => Check::Graduation,
        };
        Ok(RequirementPlan {
            id,
            qualified_id,
            label: r.label.as_ref().map(|l| l.value.clone()),
            source: r.source.as_ref().map(|s| s.value.clone()),
            span: node.span,
            check,
        })
    }

    /// Resolves a course list, dropping repeats (the checker warns of them, W008).
    fn courses(
        &self,
        list: &[ast::Ident],
    ) -> Result<(Vec<CourseId>, Vec<String>), RequirementsError> {
        let mut courses = Vec::with_capacity(list.len());
        let mut codes = Vec::with_capacity(list.len());
        for code in list {
            let id =
                self.catalog
                    .course(&code.value)
                    .ok_or_else(|| RequirementsError::Unresolved {
                        what: "course",
                        name: code.value.clone(),
                    })?;
            if !courses.contains(&id) {
                courses.push(id);
                codes.push(code.value.clone());
            }
        }
        Ok((courses, codes))
    }
}

/// The most grade points one course can earn under the GPA policy's scales: the largest band
/// or text grade, and for a formula scale its points at the top of its range (assuming, as
/// every published formula does, that a higher score never earns fewer points). 4.0 when the
/// ruleset has no GPA policy or its scales give nothing.
fn max_points(file: &RulesetFile) -> Decimal {
    let Some(policy) = file.items.iter().find_map(|item| match &item.value {
        Item::Gpa(policy) => Some(policy),
        _ => None,
    }) else {
        return Decimal::new(40, 1);
    };
    let mut used: Vec<&str> = vec![policy.scores.value.value.as_str()];
    if let Some(grades) = &policy.grades {
        used.extend(grades.value.iter().map(|g| g.value.as_str()));
    }
    let mut best: Option<Decimal> = None;
    for item in &file.items {
        let Item::Scale(scale) = &item.value else {
            continue;
        };
        if !used.contains(&scale.id.value.as_str()) {
            continue;
        }
        let top = match &scale.body {
            ScaleBody::Bands(b) => b.bands.iter().map(|band| band.value.points.value).max(),
            ScaleBody::Text(grades) => grades.iter().map(|g| g.value.points.value).max(),
            ScaleBody::Formula(f) => CompiledScale::compile(scale)
                .ok()
                .and_then(|s| s.points(&GradeInput::Score(f.range.max.value)).ok())
                .and_then(|graded| graded.points),
            ScaleBody::PassFail(_) => None,
        };
        best = best.max(top);
    }
    best.unwrap_or(Decimal::new(40, 1))
}
