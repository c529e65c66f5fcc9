//! Evaluating a learner record against a ruleset version.
//!
//! A [`Plan`] is compiled once per ruleset version; [`evaluate`] then runs per learner and
//! reads only indices. "Today" is an input: the record's `as_of`, else the caller's.

use crate::exact_sum::{saturating_add, saturating_sum};
use crate::grading::GradingPolicy;
use crate::library::{date_text, RulesetVersion};
use crate::outcomes::{
    Basis, Conversion, CourseCredit, NotRecognised, OutcomeResult, OutcomesPlan, Verdict,
};
use crate::plan::{CatalogPlan, KindsPlan, PlanError};
use crate::plan::{CategoryId, CourseId, KindId, TagId};
use crate::record::ExceptionAction;
use crate::record::LearnerRecord;
use crate::report::{
    AttemptLine, BlockLine, CategoryCredits, CourseLine, ExceptionLine, Explain, GpaFigure,
    OutcomeLine, Report, RequirementLine, RuleRef, RulesetRef, WarningLine,
};
use crate::requirements::{judge_listing, BlockPlan, BlockResult, RequirementsPlan, Status};
use crate::rounding::round;
use crate::standing::{ApprovedOutcome, Standing};
use crate::text::Text;
use crate::transcript::{CourseSource, Transcript};
use crate::warnings::{warn, WarningFigures, WarningsPlan};
use creditbank_dsl::ast::{Date, Header, Item, Rounding, RoundingMode, Span};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::Arc;

/// A ruleset version compiled for evaluation.
#[derive(Debug)]
pub struct Plan {
    /// The version it was compiled from.
    pub version: RulesetVersion,
    /// Every rule a report can cite, by its span's start, with its position
    /// (`file:line:column`) and its citation as JSON: written once here, for a report with
    /// reasons cites a rule for every figure.
    citations: FxHashMap<u32, Citation>,
    /// The same, for the rules cited most, by their index: no lookup, no comparison.
    indexed: IndexedCitations,
    /// Categories, courses, tags, institutions.
    pub catalog: CatalogPlan,
    /// Outcome kinds.
    pub kinds: KindsPlan,
    /// The GPA policy, if the ruleset has one.
    pub grading: Option<GradingPolicy>,
    /// Review, conversion and caps of non-course outcomes.
    pub outcomes: OutcomesPlan,
    /// Graduation, programs and certificates.
    pub requirements: RequirementsPlan,
    /// Staged warnings.
    pub warnings: WarningsPlan,
    gpa_rounding: (RoundingMode, u32),
    credit_rounding: (RoundingMode, u32),
    gpa_rule: Option<(Span, Option<String>)>,
}

/// The kinds of rule cited by index.
const COURSE: &str = "catalog course";
const CONVERSION: &str = "conversion rule";
const CAP: &str = "cap";
const BLOCK: &str = "requirement block";
const REQUIREMENT: &str = "requirement";

/// The citations of the rules a report cites most often, by the index the evaluation holds:
/// every catalog course (a line per course), conversion rule and cap (lines per outcome),
/// requirement block and requirement. `None` where a citation could not be rendered in
/// advance (cited field by field).
#[derive(Debug, Default)]
struct IndexedCitations {
    courses: Vec<Option<Citation>>,
    rules: Vec<Option<Citation>>,
    caps: Vec<Option<Citation>>,
    /// Graduation, then the programs, then the certificates, as a report lists them.
    blocks: Vec<Option<Citation>>,
    /// The requirements of those blocks, block after block.
    requirements: Vec<Option<Citation>>,
    /// Where each block's requirements begin in `requirements`.
    requirements_from: Vec<usize>,
}

/// A rule as reports cite it, with the citation as the JSON writer writes it.
#[derive(Debug)]
struct Citation {
    kind: &'static str,
    id: Box<str>,
    citation: Option<Box<str>>,
    /// Where the plan keeps the id and the regulation (their addresses): a report citing the
    /// rule by the plan's own strings is known to cite these without comparing the text.
    kept_at: (usize, Option<usize>),
    at: Box<str>,
    json: Box<str>,
}

impl Citation {
    /// Whether `id` is the plan's own string this citation was rendered from: the same
    /// address and length, so the same text without reading it.
    fn rendered_from(&self, id: &str) -> bool {
        self.kept_at.0 == id.as_ptr() as usize && self.id.len() == id.len()
    }

    /// Whether a report citing `kind`, `id` and `citation` cites this.
    fn is(&self, kind: &'static str, id: &str, citation: Option<&str>) -> bool {
        let same_citation = match (&self.citation, citation, self.kept_at.1) {
            (Some(ours), Some(theirs), Some(at)) => same(ours, theirs, at),
            (None, None, _) => true,
            _ => false,
        };
        same_citation
            && same(&self.id, id, self.kept_at.0)
            && same(self.kind, kind, self.kind.as_ptr() as usize)
    }
}

/// Whether `theirs` is `ours`, which the plan keeps at `kept_at`: by address and length when
/// `theirs` is the plan's own string, else by text.
fn same(ours: &str, theirs: &str, kept_at: usize) -> bool {
    (theirs.as_ptr() as usize == kept_at && theirs.len() == ours.len()) || ours == theirs
}

/// Why a record could not be evaluated at all (problems inside it are reported in the report).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvaluateError {
    /// Neither the record nor the caller gave an evaluation date.
    #[error("learner `{0}`: no evaluation date: give `as_of` in the record or on the command")]
    NoDate(String),
    /// The GPA could not be computed (an overflow).
    #[error("learner `{learner}`: {reason}")]
    Gpa {
        /// The learner.
        learner: String,
        /// Why.
        reason: String,
    },
}

/// Errors compiling a plan.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompileError {
    /// The catalog or kinds did not resolve.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// The GPA policy did not compile.
    #[error("{0}")]
    Grading(String),
    /// The requirements or warnings did not compile.
    #[error("{0}")]
    Rules(String),
}

fn rounding(r: &Option<creditbank_dsl::ast::Node<Rounding>>) -> (RoundingMode, u32) {
    // Without a declaration, figures are shown to two places, rounding half up, as on most
    // Chinese transcripts.
    r.as_ref().map_or((RoundingMode::HalfUp, 2), |n| {
        (n.value.mode.value, n.value.places.value)
    })
}

impl Plan {
    /// Compiles a version.
    pub fn compile(version: &RulesetVersion) -> Result<Plan, CompileError> {
        let file = &version.file;
        let catalog = CatalogPlan::compile(file)?;
        let kinds = KindsPlan::compile(file)?;
        let grading = GradingPolicy::from_file(file, &catalog)
            .map_err(|e| CompileError::Grading(e.to_string()))?;
        let outcomes = OutcomesPlan::compile(file, &catalog, &kinds)
            .map_err(|e| CompileError::Rules(e.to_string()))?;
        let requirements = RequirementsPlan::compile(file, &catalog, &kinds)
            .map_err(|e| CompileError::Rules(e.to_string()))?;
        let warnings =
            WarningsPlan::compile(file).map_err(|e| CompileError::Rules(e.to_string()))?;
        let header: Option<&Header> = file.items.iter().find_map(|i| match &i.value {
            Item::Header(h) => Some(h),
            _ => None,
        });
        let gpa_rule = file.items.iter().find_map(|i| match &i.value {
            Item::Gpa(g) => Some((i.span, g.source.as_ref().map(|s| s.value.value.clone()))),
            _ => None,
        });
        let mut plan = Plan {
            citations: FxHashMap::default(),
            indexed: IndexedCitations::default(),
            version: version.clone(),
            catalog,
            kinds,
            grading,
            outcomes,
            requirements,
            warnings,
            gpa_rounding: header.map_or((RoundingMode::HalfUp, 2), |h| rounding(&h.gpa_rounding)),
            credit_rounding: header
                .map_or((RoundingMode::HalfUp, 2), |h| rounding(&h.credit_rounding)),
            gpa_rule,
        };
        plan.citations = plan
            .citable_rules()
            .filter_map(|(kind, id, span, citation)| {
                Some((span.start, plan.render(kind, id, span, citation)?))
            })
            .collect();
        let blocks: Vec<&BlockPlan> = plan.requirements.blocks().map(|(_, b)| b).collect();
        let indexed = IndexedCitations {
            courses: (plan.catalog.courses.iter())
                .map(|c| plan.render(COURSE, &c.code, c.span, None))
                .collect(),
            rules: (plan.outcomes.rules.iter())
                .map(|r| plan.render(CONVERSION, &r.id, r.span, r.source.as_deref()))
                .collect(),
            caps: (plan.outcomes.caps.iter())
                .map(|c| plan.render(CAP, &c.id, c.span, c.source.as_deref()))
                .collect(),
            blocks: (blocks.iter())
                .map(|b| plan.render(BLOCK, &b.id, b.span, b.source.as_deref()))
                .collect(),
            requirements: (blocks.iter().flat_map(|b| &b.requirements))
                .map(|r| plan.render(REQUIREMENT, &r.qualified_id, r.span, r.source.as_deref()))
                .collect(),
            requirements_from: (blocks.iter())
                .scan(0, |next, b| {
                    let from = *next;
                    *next += b.requirements.len();
                    Some(from)
                })
                .collect(),
        };
        plan.indexed = indexed;
        Ok(plan)
    }

    /// A rule's citation rendered in advance: its position and its JSON.
    fn render(
        &self,
        kind: &'static str,
        id: &str,
        span: Span,
        citation: Option<&str>,
    ) -> Option<Citation> {
        let mut json = Vec::new();
        crate::json::to_vec(&self.cite(kind, id, span, citation), &mut json).ok()?;
        Some(Citation {
            kind,
            id: id.into(),
            citation: citation.map(Into::into),
            kept_at: (id.as_ptr() as usize, citation.map(|c| c.as_ptr() as usize)),
            at: self.at(span).into(),
            json: String::from_utf8(json).ok()?.into_boxed_str(),
        })
    }

    /// Every rule a report can cite (catalog courses, the GPA policy, conversion rules, caps,
    /// review clauses, warnings, requirement blocks and requirements), as each cites it: kind,
    /// id, span and regulation. A
    /// citation this misses, or gives otherwise than the report does, is written field by
    /// field (the same bytes, more slowly); a test checks that the bundled reports meet none.
    fn citable_rules(&self) -> impl Iterator<Item = (&'static str, &str, Span, Option<&str>)> {
        let courses = self
            .catalog
            .courses
            .iter()
            .map(|c| (COURSE, c.code.as_str(), c.span, None));
        let gpa = self
            .gpa_rule
            .iter()
            .map(|(span, citation)| ("gpa policy", "gpa", *span, citation.as_deref()));
        let rules = (self.outcomes.rules.iter())
            .map(|r| (CONVERSION, r.id.as_str(), r.span, r.source.as_deref()));
        let caps =
            (self.outcomes.caps.iter()).map(|c| (CAP, c.id.as_str(), c.span, c.source.as_deref()));
        let reviews = self.outcomes.reviews.iter().flat_map(|r| {
            let kind = self
                .kinds
                .kinds
                .get(r.kind.0 as usize)
                .map_or("", |k| k.id.as_str());
            r.require
                .iter()
                .map(|c| c.span)
                .chain(r.reject.iter().map(|c| c.span))
                .chain(r.approve.iter().map(|c| c.span))
                .chain([r.otherwise_span])
                .map(move |span| ("review", kind, span, None))
        });
        let warnings = self
            .warnings
            .warnings
            .iter()
            .map(|w| ("warning", w.id.as_str(), w.span, w.source.as_deref()));
        let blocks = self.requirements.blocks().flat_map(|(_, b)| {
            [(
                "requirement block",
                b.id.as_str(),
                b.span,
                b.source.as_deref(),
            )]
            .into_iter()
            .chain(b.requirements.iter().map(|r| {
                (
                    "requirement",
                    r.qualified_id.as_str(),
                    r.span,
                    r.source.as_deref(),
                )
            }))
        });
        courses
            .chain(gpa)
            .chain(rules)
            .chain(caps)
            .chain(reviews)
            .chain(warnings)
            .chain(blocks)
    }

    /// How a report cites a rule: with its position, and its JSON when the plan has it for
    /// exactly this kind, id and regulation.
    fn cite<'a>(
        &'a self,
        kind: &'static str,
        id: &'a str,
        span: Span,
        citation: Option<&'a str>,
    ) -> RuleRef<'a> {
        match self.citations.get(&span.start) {
            Some(c) if c.is(kind, id, citation) => RuleRef {
                kind,
                id,
                at: Cow::Borrowed(&c.at),
                citation,
                json: Some(&c.json),
            },
            _ => RuleRef {
                kind,
                id,
                at: self.at(span),
                citation,
                json: None,
            },
        }
    }

    /// A catalog course (`index` its [`CourseId`]), a conversion rule, a cap, a requirement
    /// block or a requirement as a report cites it: rendered in advance by index, else as
    /// [`Plan::cite`] finds it. The rendered citation is taken only when it was rendered from
    /// the plan's own `id` (the same string, by address), so an index that points elsewhere
    /// costs a lookup, never a wrong citation.
    fn cite_indexed<'a>(
        &'a self,
        rendered: &'a [Option<Citation>],
        index: usize,
        (kind, id, span, citation): (&'static str, &'a str, Span, Option<&'a str>),
    ) -> RuleRef<'a> {
        match rendered.get(index) {
            Some(Some(c)) if c.rendered_from(id) => RuleRef {
                kind,
                id,
                at: Cow::Borrowed(&c.at),
                citation,
                json: Some(&c.json),
            },
            _ => self.cite(kind, id, span, citation),
        }
    }

    /// `file:line:column` of a span of the ruleset.
    pub fn position(&self, span: Span) -> String {
        self.render_position(span)
    }

    /// `file:line:column` of a span, rendered when the plan was compiled (every span a report
    /// cites is), else now.
    fn at(&self, span: Span) -> Cow<'_, str> {
        match self.citations.get(&span.start) {
            Some(c) => Cow::Borrowed(&c.at),
            None => Cow::Owned(self.render_position(span)),
        }
    }

    fn render_position(&self, span: Span) -> String {
        let source: &Arc<creditbank_dsl::SourceFile> = &self.version.source;
        let at = source.line_col(span.start as usize);
        // Written by hand (see `text`): a report with reasons cites a rule for every figure.
        let name = source.name();
        Text::new(name.len() + 12)
            .str(name)
            .str(":")
            .number(at.line)
            .str(":")
            .number(at.column)
            .done()
    }

    fn credits(&self, value: rust_decimal::Decimal) -> rust_decimal::Decimal {
        round(value, self.credit_rounding.0, self.credit_rounding.1)
    }
}

/// Evaluates one learner. `today` is used when the record has no `as_of`; `selected` says why
/// this version applies (for the report).
pub fn evaluate<'a>(
    plan: &'a Plan,
    record: &'a LearnerRecord,
    today: Option<Date>,
    explain: Explain,
    selected: &'a str,
) -> Result<Report<'a>, EvaluateError> {
    let as_of = record
        .as_of
        .or(today)
        .ok_or_else(|| EvaluateError::NoDate(record.learner.clone()))?;
    let transcript = Transcript::grade(&plan.catalog, plan.grading.as_ref(), &record.courses)
        .map_err(|e| EvaluateError::Gpa {
            learner: record.learner.clone(),
            reason: e.to_string(),
        })?;
    let course_credits = passed_course_credits(&transcript);
    let conversion = plan.outcomes.convert_after_courses(
        &record.outcomes,
        record.enrolled,
        as_of,
        &course_credits,
    );
    let standing = EvalStanding::new(plan, &transcript, &conversion, record);
    let categories = plan
        .catalog
        .categories
        .iter()
        .enumerate()
        .zip(&plan.catalog.category_names)
        .map(|((i, id), name)| {
            let courses = transcript
                .category_credits
                .get(i)
                .copied()
                .unwrap_or_default();
            let converted = conversion
                .category_credits
                .get(i)
                .copied()
                .unwrap_or_default();
            CategoryCredits {
                category: id,
                name,
                credits: plan.credits(standing.category_credits(CategoryId(i as u16))),
                from_courses: plan.credits(courses),
                from_outcomes: plan.credits(converted),
            }
        })
        .collect();
    let gpa = transcript.gpa.as_ref().and_then(|g| {
        g.value.map(|exact| GpaFigure {
            value: round(exact, plan.gpa_rounding.0, plan.gpa_rounding.1),
            exact,
            points: g.points_sum,
            weight: g.weight_sum,
            rule: (explain > Explain::None)
                .then(|| {
                    plan.gpa_rule.as_ref().map(|(span, citation)| {
                        plan.cite("gpa policy", "gpa", *span, citation.as_deref())
                    })
                })
                .flatten(),
        })
    });
    let courses = course_lines(plan, &transcript, explain);
    let outcomes = conversion
        .outcomes
        .iter()
        .map(|o| outcome_line(plan, o, explain))
        .collect();
    let cite = explain > Explain::None;
    let warnings = warn(&plan.warnings, &standing)
        .into_iter()
        .map(|w| WarningLine {
            warning: &w.warning.id,
            level: &w.level.id,
            name: w.level.name.as_deref(),
            severity: u8::try_from(w.rank).unwrap_or(u8::MAX),
            of: u8::try_from(w.warning.levels.len()).unwrap_or(u8::MAX),
            colour: &w.level.colour,
            message: &w.level.message,
            figures: figures(plan, &w.figures),
            rule: cite.then(|| {
                plan.cite(
                    "warning",
                    &w.warning.id,
                    w.warning.span,
                    w.warning.source.as_deref(),
                )
            }),
        })
        .collect();
    let eligibility = judge_listing(&plan.requirements, &standing, &record.exceptions, cite);
    let words = explain >= Explain::Reasons;
    let block = |(b, position)| block_line(plan, b, position, cite, words);
    let exceptions = exception_lines(plan, record, &eligibility.unmatched_waivers);
    // Each block's place in the report's list of blocks: graduation, programs, certificates.
    let programs_from = usize::from(eligibility.graduation.is_some());
    let certificates_from = programs_from + eligibility.programs.len();
    let graduation = eligibility.graduation.as_ref().map(|b| block((b, 0)));
    let programs = (eligibility.programs.iter())
        .zip(programs_from..)
        .map(block)
        .collect();
    let certificates = (eligibility.certificates.iter())
        .zip(certificates_from..)
        .map(block)
        .collect();
    Ok(Report {
        learner: &record.learner,
        ruleset: RulesetRef {
            id: &plan.version.id,
            version: &plan.version.version,
            title: &plan.version.title,
            content_hash: &plan.version.content_hash,
            selected,
        },
        as_of: date_text(as_of),
        term: record.term,
        total_credits: plan.credits(standing.total_credits()),
        categories,
        gpa,
        failed_credits: plan.credits(standing.failed_credits()),
        warnings,
        graduation,
        programs,
        certificates,
        exceptions,
        outcomes,
        courses,
    })
}

/// Each exception of the record, and whether the ruleset has what it names: an exception that
/// names an unknown requirement, course or category changes nothing, and must say so.
fn exception_lines<'a>(
    plan: &Plan,
    record: &'a LearnerRecord,
    unmatched_waivers: &[&str],
) -> Vec<ExceptionLine<'a>> {
    record
        .exceptions
        .iter()
        .map(|e| {
            let (action, problem) = match &e.action {
                ExceptionAction::Waive { requirement } => (
                    format!("waive {requirement}"),
                    unmatched_waivers
                        .contains(&requirement.as_str())
                        .then(|| format!("no requirement `{requirement}` in this ruleset")),
                ),
                ExceptionAction::Substitute { course, replaces } => (
                    format!("substitute {course} for {replaces}"),
                    [course, replaces]
                        .into_iter()
                        .find(|c| plan.catalog.course(c).is_none())
                        .map(|c| format!("no course `{c}` in the catalog")),
                ),
                ExceptionAction::Force { category, credits } => (
                    format!("force {credits} {category}"),
                    plan.catalog
                        .category(category)
                        .is_none()
                        .then(|| format!("no category `{category}` in this ruleset")),
                ),
                ExceptionAction::Version { version } => (format!("version {version}"), None),
            };
            ExceptionLine {
                action,
                by: &e.by,
                reason: &e.reason,
                status: if problem.is_some() {
                    "not applied"
                } else {
                    "applied"
                },
                problem,
            }
        })
        .collect()
}

/// The credit of each passed course, by the term it was passed in (for category caps).
fn passed_course_credits(transcript: &Transcript) -> Vec<CourseCredit> {
    let mut credits = Vec::with_capacity(transcript.courses.len());
    credits.extend(
        transcript
            .courses
            .iter()
            .filter(|c| c.passed)
            .filter_map(|c| {
                Some(CourseCredit {
                    category: c.category?,
                    term: c.passed_term?,
                    credits: c.credits,
                })
            }),
    );
    credits
}

fn outcome_line<'a>(plan: &'a Plan, o: &OutcomeResult<'a>, explain: Explain) -> OutcomeLine<'a> {
    let kind = o.kind_text;
    let decision = match o.decision.as_ref().map(|d| d.verdict) {
        None => "unrecognised",
        Some(Verdict::Approved) => "approved",
        Some(Verdict::Rejected) => "rejected",
        Some(Verdict::Pending) => "pending",
    };
    let cite = explain > Explain::None;
    // Without explanations only an unrecognised outcome carries its reasons (the learner must
    // be told why); the others are not built at all.
    let words = explain >= Explain::Reasons || decision == "unrecognised";
    if !cite && !words {
        return OutcomeLine {
            id: o.id,
            kind,
            decision,
            credits: plan.credits(o.recognised),
            would_earn: plan.credits(o.would_earn),
            reasons: Vec::new(),
            rules: Vec::new(),
        };
    }
    let mut reasons = Vec::new();
    let mut rules = Vec::new();
    if let Some(d) = &o.decision {
        if words {
            if let Some(reason) = plan.outcomes.reason(d) {
                reasons.push(reason.to_string());
            } else if d.basis == Basis::Recorded {
                reasons.push(
                    Text::new(decision.len() + 14)
                        .str(decision)
                        .str(" in the record")
                        .done(),
                );
            }
        }
        if cite {
            if let Some(span) = plan.outcomes.decided_at(d) {
                rules.push(plan.cite("review", kind, span, None));
            }
        }
    }
    for c in &o.conversions {
        let Some(rule) = plan.outcomes.rules.get(c.rule.0 as usize) else {
            continue;
        };
        let category = plan
            .catalog
            .categories
            .get(c.category.0 as usize)
            .map_or("", String::as_str);
        if words {
            reasons.push(
                Text::new(rule.id.len() + category.len() + 48)
                    .str("`")
                    .str(&rule.id)
                    .str("` converts ")
                    .decimal(plan.credits(c.raw))
                    .str(" into ")
                    .str(category)
                    .str(", ")
                    .decimal(plan.credits(c.recognised))
                    .str(" recognised")
                    .done(),
            );
        }
        for clip in &c.clips {
            if let Some(cap) = plan.outcomes.caps.get(clip.cap.0 as usize) {
                if words {
                    reasons.push(
                        Text::new(cap.id.len() + 32)
                            .str("cap `")
                            .str(&cap.id)
                            .str("` clipped ")
                            .decimal(plan.credits(clip.by))
                            .done(),
                    );
                }
                if cite {
                    rules.push(plan.cite_indexed(
                        &plan.indexed.caps,
                        clip.cap.0 as usize,
                        (CAP, &cap.id, cap.span, cap.source.as_deref()),
                    ));
                }
            }
        }
        if cite {
            rules.push(plan.cite_indexed(
                &plan.indexed.rules,
                c.rule.0 as usize,
                (CONVERSION, &rule.id, rule.span, rule.source.as_deref()),
            ));
        }
    }
    if words {
        for r in &o.reasons {
            reasons.push(not_recognised(plan, r));
        }
    }
    OutcomeLine {
        id: o.id,
        kind,
        decision,
        credits: plan.credits(o.recognised),
        would_earn: plan.credits(o.would_earn),
        reasons,
        rules,
    }
}

fn rule_id(plan: &Plan, rule: crate::outcomes::RuleId) -> &str {
    plan.outcomes
        .rules
        .get(rule.0 as usize)
        .map_or("", |r| r.id.as_str())
}

fn not_recognised(plan: &Plan, r: &NotRecognised) -> String {
    match r {
        NotRecognised::Unrecognised(u) => u.to_string(),
        NotRecognised::Rejected => "rejected by review".into(),
        NotRecognised::Pending => "waiting for manual review".into(),
        NotRecognised::NoRuleApplies => "no conversion rule applies to it".into(),
        NotRecognised::Expired { rule, since } => {
            let id = rule_id(plan, *rule);
            Text::new(id.len() + 40)
                .str("expired under `")
                .str(id)
                .str("` since ")
                .padded(since.0, 4)
                .str("-")
                .padded(since.1, 2)
                .str("-")
                .padded(since.2, 2)
                .done()
        }
        NotRecognised::Superseded { rule, by } => {
            let id = rule_id(plan, *rule);
            Text::new(id.len() + by.len() + 64)
                .str("`")
                .str(id)
                .str("` counts only the highest of the same; `")
                .str(by)
                .str("` counts instead")
                .done()
        }
        NotRecognised::RankNotListed { rule, rank } => {
            let id = rule_id(plan, *rule);
            Text::new(id.len() + 40)
                .str("rank ")
                .decimal(*rank)
                .str(" earns nothing under `")
                .str(id)
                .str("`")
                .done()
        }
        NotRecognised::Evaluation { rule, error } => {
            format!(
                "`{}` could not compute credits: {error}",
                rule_id(plan, *rule)
            )
        }
    }
}

/// A warning's figures in words.
fn figures(plan: &Plan, f: &WarningFigures) -> String {
    match *f {
        WarningFigures::Credits {
            stage_term,
            earned,
            expected,
            share,
            ..
        } => {
            let text = Text::new(72)
                .str("earned ")
                .decimal(plan.credits(earned))
                .str(" of ")
                .decimal(expected)
                .str(" credits expected after term ")
                .number(stage_term);
            match share {
                Some(s) => text
                    .str(" (")
                    .decimal(round(s * Decimal::ONE_HUNDRED, RoundingMode::HalfUp, 1))
                    .str("%)")
                    .done(),
                None => text.done(),
            }
        }
        WarningFigures::FailedCredits { failed } => Text::new(32)
            .decimal(plan.credits(failed))
            .str(" failed credits")
            .done(),
        WarningFigures::Gpa { gpa } => Text::new(16)
            .str("GPA ")
            .decimal(round(gpa, plan.gpa_rounding.0, plan.gpa_rounding.1))
            .done(),
    }
}

/// A judged block as the report writes it; `position` is its place among the report's blocks
/// (graduation, programs, certificates), by which its citations were rendered.
fn block_line<'a>(
    plan: &'a Plan,
    b: &BlockResult<'a>,
    position: usize,
    cite: bool,
    words: bool,
) -> BlockLine<'a> {
    let requirements_from =
        (plan.indexed.requirements_from.get(position)).map_or(usize::MAX, |&from| from);
    BlockLine {
        id: &b.block.id,
        name: b.block.name.as_deref(),
        met: b.met,
        requirements: (b.requirements.iter().enumerate())
            .map(|(j, r)| RequirementLine {
                id: &r.requirement.qualified_id,
                label: r.requirement.label.as_deref(),
                status: match r.status {
                    Status::Met => "met",
                    Status::Unmet => "unmet",
                    Status::Waived { .. } => "waived",
                },
                waived: match r.status {
                    Status::Waived { by, reason } => Some(
                        Text::new(by.len() + reason.len() + 5)
                            .str("by ")
                            .str(by)
                            .str(": ")
                            .str(reason)
                            .done(),
                    ),
                    _ => None,
                },
                // The shortfall in words is an explanation: a batch without explanations
                // reads the status and does not pay for the text.
                missing: if words { r.missing() } else { None },
                rule: cite.then(|| {
                    let q = r.requirement;
                    plan.cite_indexed(
                        &plan.indexed.requirements,
                        requirements_from.saturating_add(j),
                        (REQUIREMENT, &q.qualified_id, q.span, q.source.as_deref()),
                    )
                }),
            })
            .collect(),
        rule: cite.then(|| {
            plan.cite_indexed(
                &plan.indexed.blocks,
                position,
                (BLOCK, &b.block.id, b.block.span, b.block.source.as_deref()),
            )
        }),
    }
}

/// The learner's standing as requirements and warnings read it: the graded transcript, with
/// the exceptions that substitute courses and force credits applied.
struct EvalStanding<'a> {
    plan: &'a Plan,
    transcript: &'a Transcript<'a>,
    term: u32,
    category_credits: Vec<Decimal>,
    /// `(course replaced, course taken)` pairs from `substitute` exceptions.
    substitutes: Vec<(CourseId, CourseId)>,
    conversion: &'a Conversion<'a>,
}

impl<'a> EvalStanding<'a> {
    fn new(
        plan: &'a Plan,
        transcript: &'a Transcript<'a>,
        conversion: &'a Conversion<'a>,
        record: &LearnerRecord,
    ) -> Self {
        let mut category_credits = transcript.category_credits.clone();
        for (slot, converted) in category_credits
            .iter_mut()
            .zip(&conversion.category_credits)
        {
            *slot = saturating_add(*slot, *converted);
        }
        let mut substitutes = Vec::new();
        for exception in &record.exceptions {
            match &exception.action {
                ExceptionAction::Force { category, credits } => {
                    if let Some(slot) = plan
                        .catalog
                        .category(category)
                        .and_then(|c| category_credits.get_mut(c.0 as usize))
                    {
                        *slot = saturating_add(*slot, *credits);
                    }
                }
                ExceptionAction::Substitute { course, replaces } => {
                    if let (Some(taken), Some(replaced)) =
                        (plan.catalog.course(course), plan.catalog.course(replaces))
                    {
                        substitutes.push((replaced, taken));
                    }
                }
                _ => {}
            }
        }
        EvalStanding {
            plan,
            transcript,
            term: record.term,
            category_credits,
            substitutes,
            conversion,
        }
    }
}

impl Standing for EvalStanding<'_> {
    fn current_term(&self) -> u32 {
        self.term
    }

    fn category_credits(&self, category: CategoryId) -> Decimal {
        self.category_credits
            .get(category.0 as usize)
            .copied()
            .unwrap_or_default()
    }

    fn total_credits(&self) -> Decimal {
        saturating_sum(self.category_credits.iter().copied())
    }

    fn tagged_credits(&self, tags: &[TagId]) -> Decimal {
        self.transcript.tagged_credits(&self.plan.catalog, tags)
    }

    fn kind_credits(&self, kind: KindId) -> Decimal {
        self.conversion
            .kind_credits
            .get(kind.0 as usize)
            .copied()
            .unwrap_or_default()
    }

    fn passed(&self, course: CourseId) -> bool {
        self.transcript.passed(course)
            || self
                .substitutes
                .iter()
                .any(|&(replaced, taken)| replaced == course && self.transcript.passed(taken))
    }

    fn gpa(&self) -> Option<Decimal> {
        self.transcript.gpa.as_ref().and_then(|g| g.value)
    }

    fn gpa_over_tags(&self, tags: &[TagId]) -> Option<Decimal> {
        self.plan
            .grading
            .as_ref()
            .and_then(|p| self.transcript.gpa_over_tags(p, tags))
    }

    fn failed_credits(&self) -> Decimal {
        self.transcript.failed_credits
    }

    fn approved(&self) -> &[ApprovedOutcome<'_>] {
        &self.conversion.approved
    }
}

/// False for a course the catalog does not know, or whose every attempt has a mark no scale
/// of the GPA policy grades (a withdrawal is a recognised mark).
fn recognised(transcript: &Transcript<'_>, c: &crate::transcript::CourseResult<'_>) -> bool {
    !matches!(c.source, CourseSource::Unrecognised(_))
        && (c.passed
            || c.failed
            || transcript
                .attempts_of(c)
                .iter()
                .any(|a| a.problem.is_none()))
}

/// The transcript lines: every course with `reasons` or `full`, only the unrecognised ones
/// with `none` (a learner must always be told what was not recognised).
fn course_lines<'a>(
    plan: &'a Plan,
    transcript: &Transcript<'a>,
    explain: Explain,
) -> Vec<CourseLine<'a>> {
    transcript
        .courses
        .iter()
        .filter(|c| explain > Explain::None || !recognised(transcript, c))
        .map(|c| {
            let mut reasons: Vec<String> = transcript
                .attempts_of(c)
                .iter()
                .filter_map(|a| {
                    let p = a.problem.as_ref()?;
                    Some(
                        Text::new(p.len() + 12)
                            .str("term ")
                            .number(a.term)
                            .str(": ")
                            .str(p)
                            .done(),
                    )
                })
                .collect();
            let (status, rule) = match &c.source {
                CourseSource::Unrecognised(reason) => {
                    reasons.insert(0, reason.clone());
                    ("unrecognised", None)
                }
                source => {
                    let status = if c.passed {
                        "passed"
                    } else if c.failed {
                        "failed"
                    } else if !recognised(transcript, c) {
                        // Every attempt has a mark no scale defines: nothing can be counted.
                        "unrecognised"
                    } else {
                        "in progress"
                    };
                    let rule = match source {
                        CourseSource::Catalog(id) => plan.catalog.course_plan(*id).map(|p| {
                            plan.cite_indexed(
                                &plan.indexed.courses,
                                id.0 as usize,
                                (COURSE, &p.code, p.span, None),
                            )
                        }),
                        _ => None,
                    };
                    (status, rule)
                }
            };
            CourseLine {
                course: c.code,
                status,
                category: c
                    .category
                    .and_then(|k| plan.catalog.categories.get(k.0 as usize))
                    .map(String::as_str),
                credits: plan.credits(c.credits),
                reasons,
                attempts: if explain == Explain::Full {
                    transcript
                        .attempts_of(c)
                        .iter()
                        .map(|a| AttemptLine {
                            term: a.term,
                            mark: a.mark_text(),
                            points: a.points,
                            passed: a.passed,
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                rule,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;
    use creditbank_dsl::SourceFile;

    fn demo() -> Plan {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rulesets/demo-university/undergraduate/2026.1.cbr");
        let source = SourceFile::new(
            "rulesets/demo-university/undergraduate/2026.1.cbr",
            std::fs::read_to_string(path).unwrap(),
        );
        let sources = vec![source];
        let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
        Plan::compile(&library.versions("demo-university/undergraduate")[0]).unwrap()
    }

    fn record(yaml: &str) -> LearnerRecord {
        crate::record::from_yaml(yaml).unwrap()
    }

    /// The bench learner, this module's learner and the examples'.
    fn examples() -> Vec<LearnerRecord> {
        [
            include_str!("../benches/learner-60.yaml"),
            LEARNER,
            include_str!("../../examples/learner-exceptions.yaml"),
            include_str!("../../examples/learner-good-standing.yaml"),
        ]
        .into_iter()
        .map(record)
        .collect()
    }

    const LEARNER: &str = r#"
learner: "2026010001"
program: demo-university/undergraduate
enrolled: 2026-09-01
as_of: 2027-07-01
term: 2
courses:
  - { course: CS101, term: 1, score: 95 }
  - { course: MTH101, term: 1, score: 55 }
  - { course: MTH101, term: 2, score: 75 }
  - { course: CS102, term: 2, score: 40 }
  - { course: NOPE1, term: 2, score: 80 }
"#;

    /// Every `at` in a JSON report, wherever it stands.
    fn positions_cited(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("at", serde_json::Value::String(at)) => out.push(at.clone()),
                        _ => positions_cited(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for v in items {
                    positions_cited(v, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_position_a_full_report_cites_was_rendered_when_the_plan_was_compiled() {
        let plan = demo();
        let rendered: std::collections::HashSet<&str> =
            plan.citations.values().map(|c| &*c.at).collect();
        let bench = include_str!("../benches/learner-60.yaml");
        let examples = [
            bench,
            LEARNER,
            include_str!("../../examples/learner-exceptions.yaml"),
            include_str!("../../examples/learner-good-standing.yaml"),
        ];
        let mut cited = Vec::new();
        for yaml in examples {
            let learner = record(yaml);
            let report = evaluate(
                &plan,
                &learner,
                None,
                Explain::Full,
                "in force at enrolment",
            )
            .unwrap();
            positions_cited(&serde_json::to_value(&report).unwrap(), &mut cited);
        }
        assert!(cited.len() > 100, "only {} citations", cited.len());
        let missing: Vec<&String> = cited
            .iter()
            .filter(|at| !rendered.contains(at.as_str()))
            .collect();
        assert!(missing.is_empty(), "rendered per report: {missing:?}");
    }

    /// A report without its explanations, built afresh, is the report with them dropped in
    /// place, for every example at every level of explanation.
    #[test]
    fn a_report_built_without_explanations_is_the_report_with_them_dropped() {
        let plan = demo();
        for learner in examples() {
            for explain in Explain::ALL {
                let report = evaluate(&plan, &learner, None, explain, "x").unwrap();
                let mut dropped = report.clone();
                dropped.drop_explanations();
                assert_eq!(report.without_explanations(), dropped);
            }
        }
    }

    /// The citations rendered by index are found where a report's lines look for them: the
    /// course, rule, cap, block and requirement at each index is the one the line cites
    /// (the same string of the plan), so no citation falls back to the lookup by position.
    #[test]
    fn citations_by_index_are_those_the_lines_cite() {
        let plan = demo();
        let rendered = |list: &[Option<Citation>], at: usize, id: &str| {
            list.get(at)
                .and_then(Option::as_ref)
                .is_some_and(|c| c.rendered_from(id))
        };
        let mut checked = 0;
        for learner in examples() {
            let report = evaluate(&plan, &learner, None, Explain::Rules, "x").unwrap();
            for (position, block) in report.blocks().enumerate() {
                assert!(
                    rendered(&plan.indexed.blocks, position, block.id),
                    "{}",
                    block.id
                );
                let from = plan.indexed.requirements_from[position];
                for (j, q) in block.requirements.iter().enumerate() {
                    assert!(
                        rendered(&plan.indexed.requirements, from + j, q.id),
                        "{}",
                        q.id
                    );
                    checked += 1;
                }
            }
            for c in &report.courses {
                if let Some(id) = plan.catalog.course(c.course) {
                    let code = plan.catalog.course_plan(id).map_or("", |p| p.code.as_str());
                    assert!(
                        rendered(&plan.indexed.courses, id.0 as usize, code),
                        "{}",
                        c.course
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    /// A report citing rules is the report with reasons without its words: the same rules
    /// cited, the same lines, and of the sentences only what a learner must always be told
    /// (why an outcome is not recognised).
    #[test]
    fn a_report_citing_rules_is_the_report_with_reasons_without_its_words() {
        let plan = demo();
        for learner in examples() {
            let rules = evaluate(&plan, &learner, None, Explain::Rules, "x").unwrap();
            let mut reasons = evaluate(&plan, &learner, None, Explain::Reasons, "x").unwrap();
            assert!(!rules_cited(&rules).is_empty());
            let said = |r: &Report| {
                let missing = r
                    .blocks()
                    .flat_map(|b| &b.requirements)
                    .filter(|q| q.missing.is_some())
                    .count();
                r.outcomes.iter().map(|o| o.reasons.len()).sum::<usize>() + missing
            };
            let words = said(&reasons);
            for outcome in &mut reasons.outcomes {
                if outcome.decision != "unrecognised" {
                    outcome.reasons.clear();
                }
            }
            for block in reasons.blocks_mut() {
                for requirement in &mut block.requirements {
                    requirement.missing = None;
                }
            }
            assert!(said(&reasons) < words, "the reasons report says more");
            assert_eq!(rules, reasons);
        }
    }

    /// Every rule a report cites.
    fn rules_cited<'r, 'a>(report: &'r Report<'a>) -> Vec<&'r RuleRef<'a>> {
        let mut rules: Vec<&RuleRef> = report.gpa.iter().filter_map(|g| g.rule.as_ref()).collect();
        rules.extend(report.warnings.iter().filter_map(|w| w.rule.as_ref()));
        for b in report.blocks() {
            rules.extend(b.rule.as_ref());
            rules.extend(b.requirements.iter().filter_map(|r| r.rule.as_ref()));
        }
        rules.extend(report.outcomes.iter().flat_map(|o| &o.rules));
        rules.extend(report.courses.iter().filter_map(|c| c.rule.as_ref()));
        rules
    }

    /// Every rule a full report of the examples cites comes with its JSON, rendered when the
    /// plan was compiled; that JSON is the object written field by field; and the report
    /// written with it is the report `serde_json` writes.
    #[test]
    fn every_rule_a_report_cites_comes_with_its_json_as_serde_json_writes_it() {
        let plan = demo();
        let mut kinds = std::collections::BTreeSet::new();
        let mut cited = 0;
        for learner in examples() {
            let report = evaluate(&plan, &learner, None, Explain::Full, "x").unwrap();
            for rule in rules_cited(&report) {
                let json = rule.json.unwrap_or_else(|| panic!("no JSON for {rule:?}"));
                let fields = RuleRef {
                    json: None,
                    ..rule.clone()
                };
                let mut written = Vec::new();
                crate::json::to_vec(&fields, &mut written).unwrap();
                assert_eq!(json.as_bytes(), written, "{rule:?}");
                assert_eq!(json, serde_json::to_string(rule).unwrap());
                kinds.insert(rule.kind);
                cited += 1;
            }
            let mut ours = Vec::new();
            crate::json::to_vec(&report, &mut ours).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(&report).unwrap()
            );
            let yaml = serde_yaml::to_string(&report).unwrap();
            assert!(!yaml.contains("Prerendered") && yaml.contains("kind: catalog course"));
        }
        assert!(cited > 100, "only {cited} citations");
        let expected = [
            "catalog course",
            "conversion rule",
            "gpa policy",
            "requirement",
        ];
        for kind in expected
            .into_iter()
            .chain(["requirement block", "review", "warning"])
        {
            assert!(kinds.contains(kind), "no {kind} cited: {kinds:?}");
        }
    }

    /// The direct writer (`json::report::write`) writes every report of the examples, at every
    /// level of explanation, as `serde_json` does; also with its rules written field by field
    /// (as for a rule the plan has no JSON for) and with text that needs escapes everywhere.
    #[test]
    fn the_direct_writer_writes_what_serde_json_writes() {
        let plan = demo();
        let same = |report: &Report<'_>, what: &str| {
            let mut direct = Vec::new();
            crate::json::report::write(report, &mut direct);
            assert_eq!(
                String::from_utf8(direct).unwrap(),
                serde_json::to_string(report).unwrap(),
                "{what}"
            );
        };
        let mut exceptions = 0;
        let mut attempts = 0;
        for learner in examples() {
            for explain in Explain::ALL {
                let mut report = evaluate(&plan, &learner, None, explain, "x").unwrap();
                same(&report, &format!("{} {explain:?}", learner.learner));
                exceptions += report.exceptions.len();
                attempts += report
                    .courses
                    .iter()
                    .map(|c| c.attempts.len())
                    .sum::<usize>();
                // Rules without their JSON, and a quote, a backslash and a control character
                // in every string a record or a ruleset can put in a report.
                let odd = |text: &str| format!("{text}\"\\\u{1}\n");
                let learner_id = odd(report.learner);
                report.learner = &learner_id;
                let mut rules = 0;
                for outcome in &mut report.outcomes {
                    for rule in &mut outcome.rules {
                        rule.json = None;
                        rules += 1;
                    }
                    for reason in &mut outcome.reasons {
                        *reason = odd(reason);
                    }
                }
                for course in &mut report.courses {
                    if let Some(rule) = &mut course.rule {
                        rule.json = None;
                        rules += 1;
                    }
                    for attempt in &mut course.attempts {
                        attempt.mark = odd(&attempt.mark);
                    }
                }
                for block in report.blocks_mut() {
                    for requirement in &mut block.requirements {
                        requirement.missing = requirement.missing.as_deref().map(odd);
                        if let Some(rule) = &mut requirement.rule {
                            rule.json = None;
                            rules += 1;
                        }
                    }
                }
                for exception in &mut report.exceptions {
                    exception.action = odd(&exception.action);
                    exception.problem = Some(odd("problem"));
                }
                for warning in &mut report.warnings {
                    warning.figures = odd(&warning.figures);
                }
                report.as_of = odd(&report.as_of);
                same(&report, &format!("{} {explain:?}, odd", learner.learner));
                assert!(explain == Explain::None || rules > 0);
            }
        }
        assert!(exceptions > 0 && attempts > 0, "{exceptions} {attempts}");
    }

    #[test]
    fn credits_gpa_and_failures_are_reported_with_their_rules() {
        let plan = demo();
        let learner = record(LEARNER);
        let report = evaluate(
            &plan,
            &learner,
            None,
            Explain::Reasons,
            "in force at enrolment",
        )
        .unwrap();
        assert_eq!(report.ruleset.version, "2026.1");
        assert!(report.ruleset.content_hash.starts_with("sha256:"));
        // CS101 (3, major) and MTH101 (5, general) passed; CS102 (4) failed; NOPE1 unrecognised.
        assert_eq!(report.failed_credits.to_string(), "4.0");
        let major = report
            .categories
            .iter()
            .find(|c| c.category == "major")
            .unwrap();
        assert_eq!(major.credits.to_string(), "3.0");
        let gpa = report.gpa.as_ref().unwrap();
        assert!(gpa.rule.as_ref().unwrap().at.contains("2026.1.cbr:"));
        let nope = report.courses.iter().find(|c| c.course == "NOPE1").unwrap();
        assert_eq!(nope.status, "unrecognised");
        assert!(nope.reasons[0].contains("not in the catalog"));
    }

    #[test]
    fn warnings_and_graduation_are_judged_with_their_rules() {
        let plan = demo();
        let learner = record(LEARNER);
        let report = evaluate(&plan, &learner, None, Explain::Reasons, "x").unwrap();
        // Term 2 with 12 credits earned is far below the stage's expectation.
        let progress = report
            .warnings
            .iter()
            .find(|w| w.figures.starts_with("earned"))
            .expect("a credit warning");
        assert!(progress.colour.starts_with('#'));
        assert!(progress.rule.as_ref().unwrap().at.contains("2026.1.cbr:"));
        let graduation = report.graduation.as_ref().unwrap();
        assert!(!graduation.met);
        let total = &graduation.requirements[0];
        assert_eq!(total.status, "unmet");
        assert!(
            total.missing.as_deref().unwrap().contains("more"),
            "{total:?}"
        );
    }

    #[test]
    fn outcomes_are_reviewed_converted_and_credited_whatever_their_order() {
        let plan = demo();
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../examples/learner-good-standing.yaml"),
        )
        .unwrap();
        let r = record(&text);
        let a = evaluate(&plan, &r, None, Explain::Full, "x").unwrap();
        let approved: Vec<_> = a
            .outcomes
            .iter()
            .filter(|o| o.decision == "approved")
            .collect();
        assert!(!approved.is_empty());
        let innovation = a
            .categories
            .iter()
            .find(|c| c.category == "innovation")
            .unwrap();
        assert_eq!(
            innovation.credits,
            innovation.from_courses + innovation.from_outcomes,
            "{innovation:?}"
        );
        assert!(approved[0]
            .rules
            .iter()
            .any(|rule| rule.kind == "conversion rule"));
        let mut shuffled = r.clone();
        shuffled.outcomes.reverse();
        shuffled.courses.reverse();
        let b = evaluate(&plan, &shuffled, None, Explain::Full, "x").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn a_waiver_is_shown_as_such() {
        let plan = demo();
        let mut text = LEARNER.to_string();
        text.push_str(
            "exceptions:\n  - { waive: cs-electives, by: \"教务处\", reason: \"交换学习已修同类课程\" }\n",
        );
        let learner = record(&text);
        let report = evaluate(&plan, &learner, None, Explain::Reasons, "x").unwrap();
        let waived = report
            .graduation
            .as_ref()
            .unwrap()
            .requirements
            .iter()
            .find(|r| r.status == "waived")
            .expect("a waived requirement");
        assert!(waived.waived.as_deref().unwrap().contains("教务处"));
        assert_eq!(report.exceptions[0].status, "applied");

        let text = text.replace("waive: cs-electives", "waive: cs-electivs");
        let learner = record(&text);
        let report = evaluate(&plan, &learner, None, Explain::Reasons, "x").unwrap();
        let line = &report.exceptions[0];
        assert_eq!(line.status, "not applied");
        assert_eq!(
            line.problem.as_deref(),
            Some("no requirement `cs-electivs` in this ruleset")
        );
    }

    #[test]
    fn explain_none_keeps_only_what_the_learner_must_see() {
        let plan = demo();
        let learner = record(LEARNER);
        let report = evaluate(&plan, &learner, None, Explain::None, "x").unwrap();
        assert!(report.gpa.as_ref().unwrap().rule.is_none());
        assert_eq!(report.courses.len(), 1, "only the unrecognised course");
    }

    #[test]
    fn the_report_does_not_depend_on_the_order_of_the_record() {
        let plan = demo();
        let r = record(LEARNER);
        let a = evaluate(&plan, &r, None, Explain::Full, "x").unwrap();
        let mut reversed = r.clone();
        reversed.courses.reverse();
        let b = evaluate(&plan, &reversed, None, Explain::Full, "x").unwrap();
        assert_eq!(a, b);
    }

    /// Why an outcome is not recognised, in words: the rule named by its id, a date in full.
    #[test]
    fn reasons_an_outcome_is_not_recognised_are_put_in_words() {
        use crate::outcomes::RuleId;
        let plan = demo();
        let rule = RuleId(1);
        let id = rule_id(&plan, rule);
        assert!(!id.is_empty());
        let cases = [
            (
                NotRecognised::Expired {
                    rule,
                    since: (2027, 3, 9),
                },
                format!("expired under `{id}` since 2027-03-09"),
            ),
            (
                NotRecognised::Superseded { rule, by: "comp-2" },
                format!("`{id}` counts only the highest of the same; `comp-2` counts instead"),
            ),
            (
                NotRecognised::RankNotListed {
                    rule,
                    rank: Decimal::new(40, 1),
                },
                format!("rank 4.0 earns nothing under `{id}`"),
            ),
            (NotRecognised::Rejected, "rejected by review".to_owned()),
        ];
        for (reason, words) in cases {
            assert_eq!(not_recognised(&plan, &reason), words);
        }
    }

    #[test]
    fn rules_are_cited_at_their_line_and_column() {
        let plan = demo();
        let learner = record(LEARNER);
        let report = evaluate(&plan, &learner, None, Explain::Reasons, "x").unwrap();
        let at = &report.gpa.unwrap().rule.unwrap().at;
        let (span, _) = plan.gpa_rule.as_ref().unwrap();
        let position = plan.version.source.line_col(span.start as usize);
        assert_eq!(
            *at,
            format!(
                "rulesets/demo-university/undergraduate/2026.1.cbr:{}:{}",
                position.line, position.column
            )
        );
    }

    #[test]
    fn a_record_without_a_date_needs_one_from_the_caller() {
        let plan = demo();
        let mut r = record(LEARNER);
        r.as_of = None;
        assert!(matches!(
            evaluate(&plan, &r, None, Explain::None, "x"),
            Err(EvaluateError::NoDate(_))
        ));
        let today = Date {
            year: 2027,
            month: 7,
            day: 1,
        };
        assert_eq!(
            evaluate(&plan, &r, Some(today), Explain::None, "x")
                .unwrap()
                .as_of,
            "2027-07-01"
        );
    }
}
