//! What the generator reads from a ruleset version's checked syntax tree: the catalog with each
//! course's role in the plan, the grades the GPA policy takes, the outcome kinds with the
//! values their rules test, the institutions, and what exceptions can name.

use std::collections::{BTreeMap, BTreeSet};

use creditbank_dsl::ast::{
    AttrValue, AttributeType, Condition, Date, ExprKind, InstitutionType, Item, Operand,
    RequirementBody, RulesetFile, ScaleBody,
};
use creditbank_engine::library::RulesetVersion;

use super::names::pool;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// One ruleset (a program), every version.
#[derive(Debug)]
pub(crate) struct ProgramModel {
    pub id: String,
    /// Oldest first.
    pub versions: Vec<VersionModel>,
}

impl ProgramModel {
    /// The model of a ruleset from its versions (`Library::versions`, oldest first).
    pub fn new(id: &str, versions: &[RulesetVersion]) -> ProgramModel {
        let mut versions: Vec<VersionModel> = versions.iter().map(VersionModel::new).collect();
        versions.sort_by_key(|v| v.effective);
        ProgramModel {
            id: id.to_owned(),
            versions,
        }
    }

    /// The version in force for a learner enrolled on `enrolled`.
    pub fn version_at(&self, enrolled: Date) -> Option<&VersionModel> {
        self.versions.iter().rev().find(|v| v.effective <= enrolled)
    }
}

/// How a course's result is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GradeStyle {
    Score,
    Text,
    PassFail,
}

/// Why a learner takes a course.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// Graduation requires it.
    Required,
    /// One of a graduation requirement's `N of (...)`; the group's index.
    Choice(usize),
    /// Counts for a program (minor, double degree, micro-major); the program's index.
    Track(usize),
    /// In the plan for a term, not required.
    Planned,
    /// No term in the plan: an elective taken by some.
    Elective,
}

#[derive(Debug)]
pub(crate) struct CourseModel {
    pub code: String,
    pub term: Option<u32>,
    pub role: Role,
    pub style: GradeStyle,
}

/// `N of (...)`.
#[derive(Debug)]
pub(crate) struct ChoiceGroup {
    pub n: u32,
    /// Indices into the version's courses.
    pub courses: Vec<usize>,
}

/// An attribute and the values to draw for it.
#[derive(Debug)]
pub(crate) enum AttributeModel {
    Enum(Vec<String>),
    Number {
        min: Decimal,
        max: Decimal,
        /// The range in tenths, as values are drawn.
        tenths: (i64, i64),
        integer: bool,
        /// Numbers the ruleset's conditions compare the attribute with, in tenths: values
        /// are drawn around them, so that rules both pass and fail.
        thresholds: Vec<i64>,
        /// Ranks of a `split by` on this attribute.
        ranks: Vec<u32>,
        /// A score out of 100: drawn like the learner's course scores.
        score: bool,
    },
    Text {
        /// Text the conditions compare the attribute with.
        literals: Vec<String>,
        /// Names to draw otherwise.
        pool: &'static [&'static str],
    },
    Date,
}

#[derive(Debug)]
pub(crate) struct KindModel {
    pub id: String,
    /// How common the kind is, relative to the others.
    pub weight: u64,
    pub attributes: Vec<(String, AttributeModel)>,
    /// The kind's evidence, each with whether a review requires it.
    pub evidence: Vec<(String, bool)>,
    /// Institutions the kind's conversion rules accept outcomes `from`.
    pub from: Vec<String>,
}

#[derive(Debug)]
pub(crate) struct VersionModel {
    pub version: String,
    pub effective: Date,
    pub courses: Vec<CourseModel>,
    pub choices: Vec<ChoiceGroup>,
    /// Program ids, by index (for `Role::Track`).
    pub tracks: Vec<String>,
    /// The passing score of the scale that grades scores, in tenths of a point.
    pass_tenths: i64,
    /// Passing text grades, best first.
    pub passing_grades: Vec<String>,
    /// Failing text grades.
    pub failing_grades: Vec<String>,
    pub pass_labels: Vec<String>,
    pub fail_labels: Vec<String>,
    pub kinds: Vec<KindModel>,
    /// Each kind's weight, to draw kinds by.
    pub kind_weights: Vec<u64>,
    /// Institutions other than the ruleset's own (where transfer courses come from).
    pub outside: Vec<String>,
    pub categories: Vec<String>,
    /// Ids of graduation and program requirements (what a waiver names).
    pub requirement_ids: Vec<String>,
}

impl VersionModel {
    /// The passing score in tenths of a point, as the generator draws scores.
    pub fn pass_tenths(&self) -> i64 {
        self.pass_tenths
    }

    fn new(version: &RulesetVersion) -> VersionModel {
        let file: &RulesetFile = &version.file;
        let mut model = VersionModel {
            version: version.version.clone(),
            effective: version.effective,
            courses: Vec::new(),
            choices: Vec::new(),
            tracks: Vec::new(),
            pass_tenths: 600,
            passing_grades: Vec::new(),
            failing_grades: Vec::new(),
            pass_labels: Vec::new(),
            fail_labels: Vec::new(),
            kinds: Vec::new(),
            kind_weights: Vec::new(),
            outside: Vec::new(),
            categories: Vec::new(),
            requirement_ids: Vec::new(),
        };
        model.read_grading(file);
        model.read_catalog(file);
        model.read_kinds(file);
        for item in &file.items {
            match &item.value {
                Item::Categories(categories) => model
                    .categories
                    .extend(categories.iter().map(|c| c.value.id.value.clone())),
                Item::Institutions(institutions) => model.outside.extend(
                    institutions
                        .iter()
                        .filter(|i| i.value.ty.value != InstitutionType::InSchool)
                        .map(|i| i.value.id.value.clone()),
                ),
                _ => {}
            }
        }
        model
    }

    /// The scales the GPA policy uses: the pass mark of the score scale, the text and
    /// pass-fail labels.
    fn read_grading(&mut self, file: &RulesetFile) {
        let Some(gpa) = file.items.iter().find_map(|i| match &i.value {
            Item::Gpa(g) => Some(g),
            _ => None,
        }) else {
            return;
        };
        let scale = |id: &str| {
            file.items.iter().find_map(|i| match &i.value {
                Item::Scale(s) if s.id.value == id => Some(s),
                _ => None,
            })
        };
        let pass = scale(&gpa.scores.value.value).and_then(|s| match &s.body {
            ScaleBody::Bands(b) => Some(b.pass.value),
            ScaleBody::Formula(f) => Some(f.pass.value),
            _ => None,
        });
        if let Some(pass) = pass {
            // Scores are drawn in tenths: a pass mark between two tenths passes at the next.
            self.pass_tenths = (pass * Decimal::TEN).ceil().to_i64().unwrap_or(600);
        }
        for id in gpa.grades.iter().flat_map(|g| &g.value) {
            match scale(&id.value).map(|s| &s.body) {
                Some(ScaleBody::Text(grades)) if self.passing_grades.is_empty() => {
                    let mut grades: Vec<_> = grades
                        .iter()
                        .map(|g| {
                            (
                                g.value.points.value,
                                g.value.label.value.clone(),
                                g.value.fail,
                            )
                        })
                        .collect();
                    grades.sort_by_key(|g| std::cmp::Reverse(g.0));
                    for (_, label, fail) in grades {
                        if fail {
                            self.failing_grades.push(label);
                        } else {
                            self.passing_grades.push(label);
                        }
                    }
                }
                Some(ScaleBody::PassFail(pf)) if self.pass_labels.is_empty() => {
                    let labels = |lists: &Vec<creditbank_dsl::ast::Node<Vec<_>>>| {
                        lists
                            .iter()
                            .flat_map(|n| &n.value)
                            .map(|t: &creditbank_dsl::ast::Text| t.value.clone())
                            .collect::<Vec<String>>()
                    };
                    self.pass_labels = labels(&pf.pass);
                    self.fail_labels = labels(&pf.fail);
                }
                _ => {}
            }
        }
    }

    /// Courses, with their role from the graduation and program requirements.
    fn read_catalog(&mut self, file: &RulesetFile) {
        let mut required = BTreeSet::new();
        let mut choices: Vec<(u32, Vec<String>)> = Vec::new();
        let mut tracks: Vec<(String, Vec<String>)> = Vec::new();
        for item in &file.items {
            let requirements = match &item.value {
                Item::Graduation(g) => &g.requirements,
                Item::Program(p) => {
                    tracks.push((
                        p.id.value.clone(),
                        p.courses_tagged
                            .value
                            .iter()
                            .map(|t| t.value.clone())
                            .collect(),
                    ));
                    &p.requirements
                }
                _ => continue,
            };
            let graduation = matches!(item.value, Item::Graduation(_));
            for r in requirements {
                if let Some(id) = &r.value.id {
                    self.requirement_ids.push(id.value.clone());
                }
                if !graduation {
                    continue;
                }
                match &r.value.body {
                    RequirementBody::Courses(codes) => {
                        required.extend(codes.iter().map(|c| c.value.clone()));
                    }
                    RequirementBody::NOf { n, courses } => {
                        choices.push((n.value, courses.iter().map(|c| c.value.clone()).collect()))
                    }
                    _ => {}
                }
            }
        }
        self.tracks = tracks.iter().map(|(id, _)| id.clone()).collect();
        let text = !self.passing_grades.is_empty();
        let pass_fail = !self.pass_labels.is_empty() && !self.fail_labels.is_empty();
        let mut index_of = BTreeMap::new();
        for item in &file.items {
            let Item::Catalog(catalog) = &item.value else {
                continue;
            };
            for course in &catalog.courses {
                let c = &course.value;
                let code = c.code.value.clone();
                let role = if required.contains(&code) {
                    Role::Required
                } else if let Some(g) = choices.iter().position(|(_, cs)| cs.contains(&code)) {
                    Role::Choice(g)
                } else if let Some(t) = tracks
                    .iter()
                    .position(|(_, tags)| c.tags.iter().any(|tag| tags.contains(&tag.value)))
                {
                    Role::Track(t)
                } else if c.term.is_some() {
                    Role::Planned
                } else {
                    Role::Elective
                };
                // A course's way of grading is the course's, not the learner's: the same for
                // everyone, from its code.
                let style = match fnv(&code) % 100 {
                    78..=89 if text => GradeStyle::Text,
                    90.. if pass_fail => GradeStyle::PassFail,
                    _ => GradeStyle::Score,
                };
                index_of.insert(code.clone(), self.courses.len());
                self.courses.push(CourseModel {
                    code,
                    term: c.term.as_ref().map(|t| t.value),
                    role,
                    style,
                });
            }
        }
        self.choices = choices
            .into_iter()
            .map(|(n, codes)| ChoiceGroup {
                n,
                courses: codes
                    .iter()
                    .filter_map(|c| index_of.get(c).copied())
                    .collect(),
            })
            .collect();
    }

    /// Outcome kinds, with what their conversion rules and reviews test.
    fn read_kinds(&mut self, file: &RulesetFile) {
        let mut conditions: BTreeMap<&str, Vec<&Condition>> = BTreeMap::new();
        let mut from: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut ranks: BTreeMap<(&str, &str), Vec<u32>> = BTreeMap::new();
        let mut required: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for item in &file.items {
            match &item.value {
                Item::Convert(rule) => {
                    let kind = rule.kind.value.value.as_str();
                    conditions
                        .entry(kind)
                        .or_default()
                        .extend(rule.when.as_ref().map(|w| &w.value));
                    if let Some(f) = &rule.from {
                        from.entry(kind)
                            .or_default()
                            .extend(f.value.iter().map(|i| i.value.clone()));
                    }
                    if let Some(split) = &rule.split {
                        ranks
                            .entry((kind, split.value.by.value.as_str()))
                            .or_default()
                            .extend(split.value.rows.iter().map(|r| r.value.rank.value));
                    }
                }
                Item::Review(review) => {
                    let kind = review.kind.value.value.as_str();
                    let list = conditions.entry(kind).or_default();
                    list.extend(review.reject.iter().map(|c| &c.value.when));
                    list.extend(review.approve.iter().map(|c| &c.value.when));
                    required.entry(kind).or_default().extend(
                        review
                            .require
                            .iter()
                            .flat_map(|r| &r.value.evidence)
                            .map(|e| e.value.clone()),
                    );
                }
                _ => {}
            }
        }
        for item in &file.items {
            let Item::Kind(kind) = &item.value else {
                continue;
            };
            let id = kind.id.value.as_str();
            let mut literals: BTreeMap<String, (Vec<Decimal>, Vec<String>)> = BTreeMap::new();
            for condition in conditions.get(id).into_iter().flatten() {
                walk(condition, &mut |attribute, literal| {
                    let entry = literals.entry(attribute.to_owned()).or_default();
                    match literal {
                        Literal::Number(n) => entry.0.push(n),
                        Literal::Text(t) => entry.1.push(t),
                    }
                });
            }
            let mut attributes: Vec<(String, AttributeModel)> = kind
                .attributes
                .iter()
                .map(|a| {
                    let a = &a.value;
                    let name = a.id.value.as_str();
                    let (numbers, texts) = literals.remove(name).unwrap_or_default();
                    let number = |range: &Option<creditbank_dsl::ast::ScoreRange>, integer| {
                        let (min, max) = range
                            .as_ref()
                            .map_or((Decimal::ZERO, Decimal::ONE_HUNDRED), |r| {
                                (r.min.value, r.max.value)
                            });
                        AttributeModel::Number {
                            min,
                            max,
                            tenths: (tenths(min), tenths(max)),
                            integer,
                            thresholds: numbers.iter().map(|n| tenths(*n)).collect(),
                            ranks: ranks.get(&(id, name)).cloned().unwrap_or_default(),
                            score: name.contains("score")
                                && (min, max) == (Decimal::ZERO, Decimal::ONE_HUNDRED),
                        }
                    };
                    let model = match &a.ty {
                        AttributeType::Enum(values) => AttributeModel::Enum(
                            values.iter().map(|v| v.id.value.clone()).collect(),
                        ),
                        AttributeType::Number(range) => number(range, false),
                        AttributeType::Integer(range) => number(range, true),
                        AttributeType::Text => AttributeModel::Text {
                            literals: texts,
                            pool: pool(name),
                        },
                        AttributeType::Date => AttributeModel::Date,
                    };
                    (name.to_owned(), model)
                })
                .collect();
            // In the order a record's attribute map keeps them, so that a drafted outcome is
            // written as its record is.
            attributes.sort_by(|a, b| a.0.cmp(&b.0));
            self.kinds.push(KindModel {
                id: id.to_owned(),
                weight: kind_weight(id),
                attributes,
                evidence: {
                    let required = required.remove(id).unwrap_or_default();
                    kind.evidence
                        .iter()
                        .flat_map(|e| &e.value)
                        .map(|e| (e.id.value.clone(), required.contains(&e.id.value)))
                        .collect()
                },
                from: from.remove(id).unwrap_or_default(),
            });
        }
        self.kind_weights = self.kinds.iter().map(|k| k.weight).collect();
    }
}

/// How common a kind of outcome is, guessed from its id: patents and papers are rare among
/// students, online courses and volunteering common. A kind the guess does not know gets the
/// middle weight.
fn kind_weight(id: &str) -> u64 {
    const WEIGHTS: [(&str, u64); 8] = [
        ("patent", 1),
        ("paper", 2),
        ("mooc", 6),
        ("volunteer", 4),
        ("competition", 4),
        ("contest", 4),
        ("training", 4),
        ("work", 3),
    ];
    WEIGHTS
        .iter()
        .find(|(key, _)| id.contains(key))
        .map_or(3, |(_, w)| *w)
}

/// A literal a condition compares an attribute with.
enum Literal {
    Number(Decimal),
    Text(String),
}

/// Calls `f` with each attribute and literal the condition compares.
fn walk(condition: &Condition, f: &mut impl FnMut(&str, Literal)) {
    match condition {
        Condition::Or(cs) | Condition::And(cs) => cs.iter().for_each(|c| walk(c, f)),
        Condition::Not(c) => walk(c, f),
        Condition::Compare { lhs, rhs, .. } => {
            if let ExprKind::Var(attribute) = &lhs.kind {
                match rhs {
                    Operand::Expr(e) => {
                        if let ExprKind::Number(n) = e.kind {
                            f(attribute, Literal::Number(n));
                        }
                    }
                    Operand::Text(t) => f(attribute, Literal::Text(t.value.clone())),
                }
            }
        }
        Condition::In { attr, values, .. } => {
            for v in values {
                match v {
                    AttrValue::Number(n) => f(&attr.value, Literal::Number(n.value)),
                    AttrValue::Text(t) => f(&attr.value, Literal::Text(t.value.clone())),
                    AttrValue::Ident(_) => {}
                }
            }
        }
        Condition::HasEvidence(_) => {}
    }
}

/// A number in tenths, rounded.
fn tenths(n: Decimal) -> i64 {
    (n * Decimal::TEN).round().to_i64().unwrap_or(0)
}

/// FNV-1a: a fixed hash of a course code (std's hasher may change between releases).
fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
