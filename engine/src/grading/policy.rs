//! The GPA policy: which scale grades what, and which courses count.

use super::{CompiledScale, GradeInput, Graded, GradingError, ScaleShape};
use creditbank_dsl::ast::{self, GpaExclusion, GpaPolicy, GpaWeight, Item, RetakePolicy};

/// The caller's numbering of categories, tags and courses, used to compile the policy's
/// `include`/`exclude` clauses into integers.
pub trait PolicyIds {
    /// The number of category `id`.
    fn category(&self, id: &str) -> Option<u16>;
    /// The number of tag `id`; `None` when no course carries it.
    fn tag(&self, id: &str) -> Option<u16>;
    /// The number of course `code`.
    fn course(&self, code: &str) -> Option<u32>;
    /// Calls `each` with the facts of every course the numbering knows, so that the policy
    /// decides once, when compiled, which of them count in the GPA. A numbering without a
    /// course list keeps the default, and the policy decides for each course as it is graded.
    fn each_course(&self, each: &mut dyn FnMut(CourseFacts<'_>)) {
        let _ = each;
    }
}

/// What the policy needs to know of a course: its number, category and tags, numbered as the
/// [`PolicyIds`] the policy was compiled with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CourseFacts<'a> {
    /// The course's number.
    pub course: u32,
    /// Its category's number.
    pub category: u16,
    /// Its tags' numbers.
    pub tags: &'a [u16],
}

/// Which of the policy's scales graded an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScaleUsed {
    /// The `scores use` scale.
    Scores,
    /// The n-th scale of `grades use` (from 0).
    Grades(usize),
}

/// A transcript entry graded under the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PolicyGrade {
    /// What it is worth; `None` for a label that only `exclude grades` names (such as `"免修"`,
    /// an exemption): no scale says whether it passes, so the caller decides.
    pub graded: Option<Graded>,
    /// The scale that graded it.
    pub scale: Option<ScaleUsed>,
    /// True when it has grade points and `exclude grades` does not leave it out. Whether the
    /// course counts is the other half ([`GradingPolicy::course_counts`]).
    pub counts_in_gpa: bool,
}

#[derive(Clone, Copy, Debug)]
struct LabelEntry {
    graded: Option<Graded>,
    scale: Option<usize>,
    excluded: bool,
}

/// The `gpa` block compiled with the scales it uses.
#[derive(Clone, Debug)]
pub struct GradingPolicy {
    scores: CompiledScale,
    grades: Vec<CompiledScale>,
    labels: rustc_hash::FxHashMap<String, LabelEntry>,
    weight: GpaWeight,
    retake: RetakePolicy,
    /// Sorted; `None` when every category counts.
    include_categories: Option<Vec<u16>>,
    exclude_categories: Vec<u16>,
    exclude_courses: Vec<u32>,
    exclude_tags: Vec<u16>,
    /// Indexed by course number: [`GradingPolicy::course_counts`] of each course
    /// [`PolicyIds::each_course`] listed, decided once rather than for every attempt.
    counts_by_course: Vec<bool>,
}

fn find_scale<'s>(scales: &'s [ast::Scale], id: &str) -> Result<&'s ast::Scale, GradingError> {
    scales
        .iter()
        .find(|s| s.id.value == id)
        .ok_or_else(|| GradingError::UnknownScale(id.to_string()))
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v.dedup();
    v
}

impl GradingPolicy {
    /// Compiles the file's `gpa` block with its scales; `Ok(None)` when the file has none.
    pub fn from_file(
        file: &ast::RulesetFile,
        ids: &impl PolicyIds,
    ) -> Result<Option<Self>, GradingError> {
        let scales: Vec<ast::Scale> = file
            .items
            .iter()
            .filter_map(|item| match &item.value {
                Item::Scale(scale) => Some(scale.clone()),
                _ => None,
            })
            .collect();
        let policy = file.items.iter().find_map(|item| match &item.value {
            Item::Gpa(policy) => Some(policy),
            _ => None,
        });
        policy
            .map(|policy| GradingPolicy::compile(policy, &scales, ids))
            .transpose()
    }

    /// Compiles `policy`, taking the scales it names from `scales`.
    pub fn compile(
        policy: &GpaPolicy,
        scales: &[ast::Scale],
        ids: &impl PolicyIds,
    ) -> Result<Self, GradingError> {
        let scores_id = &policy.scores.value.value;
        let scores = CompiledScale::compile(find_scale(scales, scores_id)?)?;
        if !scores.shape().grades_scores() {
            return Err(GradingError::WrongShape {
                scale: scores_id.clone(),
                expected: "scores",
            });
        }
        let mut grades = Vec::new();
        let mut labels = rustc_hash::FxHashMap::default();
        for id in policy.grades.iter().flat_map(|g| g.value.iter()) {
            let scale = CompiledScale::compile(find_scale(scales, &id.value)?)?;
            if scale.shape().grades_scores() {
                return Err(GradingError::WrongShape {
                    scale: id.value.clone(),
                    expected: "text grades",
                });
            }
            for (label, graded) in scale.labels() {
                // Labels are unambiguous across the listed scales (the checker's E026); should
                // one repeat, the first scale listed wins.
                labels.entry(label.to_string()).or_insert(LabelEntry {
                    graded: Some(graded),
                    scale: Some(grades.len()),
                    excluded: false,
                });
            }
            grades.push(scale);
        }

        let mut include_categories = None::<Vec<u16>>;
        let mut exclude_categories = Vec::new();
        let mut exclude_courses = Vec::new();
        let mut exclude_tags = Vec::new();
        let category = |id: &ast::Ident| {
            ids.category(&id.value)
                .ok_or_else(|| GradingError::UnknownCategory(id.value.clone()))
        };
        if let Some(include) = &policy.include {
            let mut list = Vec::new();
            for id in &include.value {
                list.push(category(id)?);
            }
            include_categories = Some(sorted(list));
        }
        for exclusion in &policy.exclude {
            match &exclusion.value {
                GpaExclusion::Categories(list) => {
                    for id in list {
                        exclude_categories.push(category(id)?);
                    }
                }
                GpaExclusion::Courses(list) => {
                    for code in list {
                        let n = ids
                            .course(&code.value)
                            .ok_or_else(|| GradingError::UnknownCourse(code.value.clone()))?;
                        exclude_courses.push(n);
                    }
                }
                // A tag no course carries excludes nothing: tags need no declaration.
                GpaExclusion::Tags(list) => {
                    exclude_tags.extend(list.iter().filter_map(|t| ids.tag(&t.value)));
                }
                GpaExclusion::Grades(list) => {
                    for label in list {
                        labels
                            .entry(label.value.clone())
                            .or_insert(LabelEntry {
                                graded: None,
                                scale: None,
                                excluded: true,
                            })
                            .excluded = true;
                    }
                }
            }
        }

        let mut compiled = GradingPolicy {
            scores,
            grades,
            labels,
            weight: policy
                .weight
                .as_ref()
                .map_or(GpaWeight::Credits, |w| w.value.value),
            retake: policy.retake.value.value,
            include_categories,
            exclude_categories: sorted(exclude_categories),
            exclude_courses: sorted(exclude_courses),
            exclude_tags: sorted(exclude_tags),
            counts_by_course: Vec::new(),
        };
        let mut counts = Vec::new();
        ids.each_course(&mut |course| {
            let i = course.course as usize;
            if counts.len() <= i {
                counts.resize(i + 1, false);
            }
            if let Some(slot) = counts.get_mut(i) {
                *slot = compiled.course_counts(&course);
            }
        });
        compiled.counts_by_course = counts;
        Ok(compiled)
    }

    /// The scale for numeric scores.
    pub fn scores_scale(&self) -> &CompiledScale {
        &self.scores
    }

    /// The scales for text grades, in `grades use` order.
    pub fn grade_scales(&self) -> &[CompiledScale] {
        &self.grades
    }

    /// How attempts are weighted.
    pub fn weight(&self) -> GpaWeight {
        self.weight
    }

    /// Which attempts of a retaken course count.
    pub fn retake(&self) -> RetakePolicy {
        self.retake
    }

    /// Grades a transcript entry: a score on the `scores use` scale, a label on the scale of
    /// `grades use` that defines it.
    pub fn grade(&self, input: &GradeInput<'_>) -> Result<PolicyGrade, GradingError> {
        match *input {
            GradeInput::Score(_) => {
                let graded = self.scores.points(input)?;
                Ok(PolicyGrade {
                    graded: Some(graded),
                    scale: Some(ScaleUsed::Scores),
                    counts_in_gpa: graded.points.is_some(),
                })
            }
            GradeInput::Label(label) => {
                let entry = self
                    .labels
                    .get(label)
                    .ok_or_else(|| GradingError::UnknownGrade {
                        label: label.to_string(),
                        scales: "the GPA policy's scales".to_string(),
                    })?;
                Ok(PolicyGrade {
                    graded: entry.graded,
                    scale: entry.scale.map(ScaleUsed::Grades),
                    counts_in_gpa: !entry.excluded
                        && entry.graded.is_some_and(|g| g.points.is_some()),
                })
            }
        }
    }

    /// True when the course counts in the GPA: its category is included (when the policy has
    /// an `include`), and no `exclude categories`, `exclude courses` or `exclude tags` names it.
    pub fn course_counts(&self, course: &CourseFacts<'_>) -> bool {
        let included = self
            .include_categories
            .as_ref()
            .is_none_or(|list| list.binary_search(&course.category).is_ok());
        included
            && self
                .exclude_categories
                .binary_search(&course.category)
                .is_err()
            && self.exclude_courses.binary_search(&course.course).is_err()
            && !course
                .tags
                .iter()
                .any(|tag| self.exclude_tags.binary_search(tag).is_ok())
    }

    /// [`GradingPolicy::course_counts`] of the course numbered `course` that
    /// [`PolicyIds::each_course`] listed when the policy was compiled; `None` for another.
    pub fn listed_course_counts(&self, course: u32) -> Option<bool> {
        self.counts_by_course.get(course as usize).copied()
    }

    /// True when an attempt at `course` graded `grade` counts in the GPA.
    pub fn attempt_counts(&self, course: &CourseFacts<'_>, grade: &PolicyGrade) -> bool {
        grade.counts_in_gpa && self.course_counts(course)
    }

    /// The shape of the scale that graded an entry.
    pub fn shape_of(&self, used: ScaleUsed) -> Option<ScaleShape> {
        match used {
            ScaleUsed::Scores => Some(self.scores.shape()),
            ScaleUsed::Grades(i) => self.grades.get(i).map(CompiledScale::shape),
        }
    }
}
