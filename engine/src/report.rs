//! The evaluation report: what a learner has, each figure with the rule that produced it.
//!
//! The schema is serialised with serde and documented in docs/REPORT.md. Figures are strings of
//! exact decimals, rounded once as the ruleset's header declares (`rounding credits ...`,
//! `rounding gpa ...`), so that a front end shows exactly what a registrar would compute.

use rust_decimal::Decimal;
use serde::Serialize;
use std::borrow::Cow;

/// How much explanation a report carries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Explain {
    /// Figures only: the cheapest report, for batches.
    None,
    /// Figures, and for each the rule that produced it, without the words saying how: what
    /// a comparison of two versions needs to name the rules behind a difference.
    Rules,
    /// Figures, and for each the rule that produced it and why.
    #[default]
    Reasons,
    /// Everything, including each course attempt and how it was graded.
    Full,
}

impl Explain {
    /// Every level, from the least explanation to the most.
    pub const ALL: [Explain; 4] = [
        Explain::None,
        Explain::Rules,
        Explain::Reasons,
        Explain::Full,
    ];
}

/// A rule of the ruleset, as an explanation cites it.
///
/// Serialised as an object of its first four fields (`citation` left out when `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleRef<'a> {
    /// What sort of rule (`catalog course`, `gpa policy`, `conversion rule`, ...).
    pub kind: &'static str,
    /// Its id (the course code for a course).
    pub id: &'a str,
    /// Where it is written: `file:line:column` (borrowed from the plan, which renders each
    /// rule's position once).
    pub at: Cow<'a, str>,
    /// The regulation it cites (`source "..."`), if any.
    pub citation: Option<&'a str>,
    /// The object above as compact JSON, rendered once when the plan was compiled, for the
    /// engine's JSON writer to copy whole (see [`crate::json::PRERENDERED`]); `None` when the
    /// plan has none for this rule. It is the same data, not more of it: a report with reasons
    /// cites about a hundred rules, and writing their fields one by one was two fifths of
    /// writing the report.
    pub json: Option<&'a str>,
}

impl Serialize for RuleRef<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.json {
            // Offered only to a human-readable serializer, so that a compact binary one never
            // meets the text; any serializer but the engine's JSON writer treats the newtype as
            // what it wraps, the object.
            Some(json) if serializer.is_human_readable() => serializer.serialize_newtype_struct(
                crate::json::PRERENDERED,
                &Prerendered {
                    json,
                    fields: RuleFields(self),
                },
            ),
            _ => RuleFields(self).serialize(serializer),
        }
    }
}

/// A [`RuleRef`]'s fields, as an object.
struct RuleFields<'r, 'a>(&'r RuleRef<'a>);

impl Serialize for RuleFields<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = self.0;
        let mut object =
            serializer.serialize_struct("RuleRef", 3 + usize::from(r.citation.is_some()))?;
        object.serialize_field("kind", r.kind)?;
        object.serialize_field("id", r.id)?;
        object.serialize_field("at", &r.at)?;
        match r.citation {
            Some(citation) => object.serialize_field("citation", citation)?,
            None => object.skip_field("citation")?,
        }
        object.end()
    }
}

/// A [`RuleRef`] with its JSON: the JSON writer asks for it by turning not human-readable
/// inside [`crate::json::PRERENDERED`] (and takes the string as it is); every other serializer
/// gets the object.
struct Prerendered<'r, 'a> {
    json: &'r str,
    fields: RuleFields<'r, 'a>,
}

impl Serialize for Prerendered<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            self.fields.serialize(serializer)
        } else {
            serializer.serialize_str(self.json)
        }
    }
}

/// Which ruleset version produced the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RulesetRef<'a> {
    /// The ruleset id.
    pub id: &'a str,
    /// The version.
    pub version: &'a str,
    /// The version's title.
    pub title: &'a str,
    /// `sha256:` and the hex digest of its source.
    pub content_hash: &'a str,
    /// Why this version: `in force at enrolment` or `named by an exception`.
    pub selected: &'a str,
}

/// Credits in one category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CategoryCredits<'a> {
    /// The category id.
    pub category: &'a str,
    /// Its display name.
    pub name: &'a str,
    /// Recognised credits, rounded.
    #[serde(serialize_with = "crate::json::figure")]
    pub credits: Decimal,
    /// Of which from courses.
    #[serde(serialize_with = "crate::json::figure")]
    pub from_courses: Decimal,
    /// Of which converted from non-course outcomes (after caps).
    #[serde(serialize_with = "crate::json::figure")]
    pub from_outcomes: Decimal,
}

/// The GPA.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GpaFigure<'a> {
    /// Rounded as the ruleset declares.
    #[serde(serialize_with = "crate::json::figure")]
    pub value: Decimal,
    /// The exact quotient before rounding.
    #[serde(serialize_with = "crate::json::figure")]
    pub exact: Decimal,
    /// Sum of grade points times weight.
    #[serde(serialize_with = "crate::json::figure")]
    pub points: Decimal,
    /// Sum of weights (credits, or courses under `weight equal`).
    #[serde(serialize_with = "crate::json::figure")]
    pub weight: Decimal,
    /// The policy that computed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRef<'a>>,
}

/// One course of the transcript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CourseLine<'a> {
    /// The course code.
    pub course: &'a str,
    /// `passed`, `failed`, `in progress` (only withdrawals), or `unrecognised`.
    pub status: &'static str,
    /// The category credited, if recognised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<&'a str>,
    /// Credits the course is worth (after an institution's share).
    #[serde(serialize_with = "crate::json::figure")]
    pub credits: Decimal,
    /// Why it is not recognised, or problems grading an attempt.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// Each attempt (with `explain: full`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<AttemptLine>,
    /// The catalog entry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRef<'a>>,
}

/// One attempt of a course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AttemptLine {
    /// The term.
    pub term: u32,
    /// The mark as written.
    pub mark: String,
    /// Grade points, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[serde(serialize_with = "crate::json::optional_figure")]
    pub points: Option<Decimal>,
    /// True when it passed.
    pub passed: bool,
}

/// The report of one learner under one ruleset version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report<'a> {
    /// The learner's id.
    pub learner: &'a str,
    /// The ruleset version.
    pub ruleset: RulesetRef<'a>,
    /// The evaluation date, `YYYY-MM-DD`.
    pub as_of: String,
    /// The learner's current term.
    pub term: u32,
    /// Recognised credits in all categories, rounded.
    #[serde(serialize_with = "crate::json::figure")]
    pub total_credits: Decimal,
    /// Credits per category, in the ruleset's order.
    pub categories: Vec<CategoryCredits<'a>>,
    /// The GPA, when any course counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gpa: Option<GpaFigure<'a>>,
    /// Credits of courses attempted and not passed, rounded.
    #[serde(serialize_with = "crate::json::figure")]
    pub failed_credits: Decimal,
    /// The staged warnings reached, each at its most severe level.
    pub warnings: Vec<WarningLine<'a>>,
    /// Graduation, when the ruleset has a graduation block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub graduation: Option<BlockLine<'a>>,
    /// Each program (minor, double degree, micro-major).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<BlockLine<'a>>,
    /// Each certificate.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<BlockLine<'a>>,
    /// Each exception granted to the learner, and whether it could be applied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<ExceptionLine<'a>>,
    /// Each non-course outcome: its review decision and the credits it earned.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<OutcomeLine<'a>>,
    /// The transcript (with `explain: reasons` or `full`; unrecognised courses always).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<CourseLine<'a>>,
}

impl<'a> Report<'a> {
    /// The judged blocks as the report lists them: graduation, then the programs, then the
    /// certificates.
    pub fn blocks(&self) -> impl Iterator<Item = &BlockLine<'a>> {
        self.graduation
            .iter()
            .chain(&self.programs)
            .chain(&self.certificates)
    }

    /// [`Report::blocks`], to change.
    pub fn blocks_mut(&mut self) -> impl Iterator<Item = &mut BlockLine<'a>> {
        self.graduation
            .iter_mut()
            .chain(&mut self.programs)
            .chain(&mut self.certificates)
    }

    /// Drops what only explains: the report becomes the one the same evaluation gives with
    /// [`Explain::None`]. Rules cited, the shortfall in words, the transcript but for its
    /// unrecognised courses, the attempts, and the reasons of every outcome but an
    /// unrecognised one. A dry-run that must explain most learners compares reports with
    /// reasons this way (through [`Report::without_explanations`]) rather than evaluating each
    /// learner twice more (a test holds the equality over generated cohorts of every bundled
    /// ruleset).
    pub fn drop_explanations(&mut self) {
        if let Some(gpa) = &mut self.gpa {
            gpa.rule = None;
        }
        for warning in &mut self.warnings {
            warning.rule = None;
        }
        for block in self.blocks_mut() {
            block.rule = None;
            for requirement in &mut block.requirements {
                requirement.missing = None;
                requirement.rule = None;
            }
        }
        for outcome in &mut self.outcomes {
            outcome.rules.clear();
            if outcome.decision != "unrecognised" {
                outcome.reasons.clear();
            }
        }
        self.courses.retain(|c| c.status == "unrecognised");
        for course in &mut self.courses {
            course.attempts.clear();
        }
    }

    /// This report as [`Report::drop_explanations`] leaves it, built without copying the
    /// explanations first (a dry-run compares most learners' reports this way; a test holds
    /// the two to the same report).
    pub fn without_explanations(&self) -> Report<'a> {
        let block = |b: &BlockLine<'a>| BlockLine {
            id: b.id,
            name: b.name,
            met: b.met,
            requirements: b
                .requirements
                .iter()
                .map(|r| RequirementLine {
                    id: r.id,
                    label: r.label,
                    status: r.status,
                    waived: r.waived.clone(),
                    missing: None,
                    rule: None,
                })
                .collect(),
            rule: None,
        };
        Report {
            learner: self.learner,
            ruleset: self.ruleset.clone(),
            as_of: self.as_of.clone(),
            term: self.term,
            total_credits: self.total_credits,
            categories: self.categories.clone(),
            gpa: self.gpa.as_ref().map(|g| GpaFigure {
                value: g.value,
                exact: g.exact,
                points: g.points,
                weight: g.weight,
                rule: None,
            }),
            failed_credits: self.failed_credits,
            warnings: self
                .warnings
                .iter()
                .map(|w| WarningLine {
                    rule: None,
                    figures: w.figures.clone(),
                    ..*w
                })
                .collect(),
            graduation: self.graduation.as_ref().map(block),
            programs: self.programs.iter().map(block).collect(),
            certificates: self.certificates.iter().map(block).collect(),
            exceptions: self.exceptions.clone(),
            outcomes: self
                .outcomes
                .iter()
                .map(|o| OutcomeLine {
                    id: o.id,
                    kind: o.kind,
                    decision: o.decision,
                    credits: o.credits,
                    would_earn: o.would_earn,
                    reasons: if o.decision == "unrecognised" {
                        o.reasons.clone()
                    } else {
                        Vec::new()
                    },
                    rules: Vec::new(),
                })
                .collect(),
            courses: self
                .courses
                .iter()
                .filter(|c| c.status == "unrecognised")
                .map(|c| CourseLine {
                    course: c.course,
                    status: c.status,
                    category: c.category,
                    credits: c.credits,
                    reasons: c.reasons.clone(),
                    attempts: Vec::new(),
                    rule: c.rule.clone(),
                })
                .collect(),
        }
    }
}

/// A warning the learner has reached.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WarningLine<'a> {
    /// The warning's id.
    pub warning: &'a str,
    /// The level reached (`yellow`).
    pub level: &'a str,
    /// The level's display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// The level's rank among the warning's levels, from 1 (the mildest) to `of`.
    pub severity: u8,
    /// How many levels the warning has.
    pub of: u8,
    /// `#rrggbb`, for the front end.
    pub colour: &'a str,
    /// The message for the learner.
    pub message: &'a str,
    /// The figures, in words: "earned 40.0 of 72 credits expected after term 4 (55.6%)".
    pub figures: String,
    /// The warning rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRef<'a>>,
}

/// A graduation, program or certificate block judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BlockLine<'a> {
    /// The block's id (`graduation` for graduation).
    pub id: &'a str,
    /// Its display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    /// True when every requirement is met or waived.
    pub met: bool,
    /// Each requirement.
    pub requirements: Vec<RequirementLine<'a>>,
    /// The block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRef<'a>>,
}

/// One requirement judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequirementLine<'a> {
    /// Its id (`graduation/3`, or the id the ruleset gives).
    pub id: &'a str,
    /// Its label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<&'a str>,
    /// `met`, `unmet` or `waived`.
    pub status: &'static str,
    /// Who waived it and why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<String>,
    /// What is missing, in words and numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<String>,
    /// The requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<RuleRef<'a>>,
}

/// One non-course outcome: reviewed, converted, capped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutcomeLine<'a> {
    /// The learner's id for it.
    pub id: &'a str,
    /// Its kind.
    pub kind: &'a str,
    /// `approved`, `rejected`, `pending` (manual review) or `unrecognised`.
    pub decision: &'static str,
    /// Credits recognised, after caps.
    #[serde(serialize_with = "crate::json::figure")]
    pub credits: Decimal,
    /// For a pending outcome, what it would earn once approved.
    #[serde(skip_serializing_if = "Decimal::is_zero")]
    #[serde(serialize_with = "crate::json::figure")]
    pub would_earn: Decimal,
    /// Why: the review reason, each conversion and cap, anything not recognised.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// The rules that converted it (and the review that decided), with their positions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleRef<'a>>,
}

/// An exception granted to the learner, as applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExceptionLine<'a> {
    /// What it does: `waive cs-electives`, `substitute CS305 for CS304`, `force 2 innovation`,
    /// `version 2025.1`.
    pub action: String,
    /// Who granted it.
    pub by: &'a str,
    /// Why.
    pub reason: &'a str,
    /// `applied`, or `not applied` when it names something the ruleset does not have.
    pub status: &'static str,
    /// Why it could not be applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}
