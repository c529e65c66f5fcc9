//! A learner's course attempts, graded: which courses are passed, the credits they earn per
//! category, the failed credits, and the GPA.
//!
//! Semantics (docs/LANGUAGE.md): a course's credits are earned once, when any attempt passes;
//! a course attempted and not (yet) passed counts as failed credits, and stops counting once a
//! retake passes; a withdrawal (`W`) is neither. A course the catalog does not list is a transfer
//! course when the attempt states its credits and category, and is otherwise unrecognised (shown
//! with the reason, never an error for the whole record). Credits from another institution are
//! multiplied by its share. Attempts are taken in order of course code, then term, so the result
//! does not depend on the order of the record.

use crate::exact_sum::{saturating_add, saturating_sum};
use crate::grading::{
    gpa_grouped, gpa_of_counting, CourseFacts, GpaAttempt, GpaResult, GradeInput, GradingPolicy,
    PolicyGrade,
};
use crate::plan::{CatalogPlan, CategoryId, CourseId, TagId};
use crate::record::{CourseAttempt, Mark};
use rust_decimal::Decimal;

/// How one attempt was graded.
#[derive(Clone, Debug, PartialEq)]
pub struct AttemptResult<'r> {
    /// The term of the attempt.
    pub term: u32,
    /// The mark as recorded; [`AttemptResult::mark_text`] writes it (`92.5`, `良好`, `W`).
    /// Kept unformatted so that a report without attempts formats no score.
    pub mark: &'r Mark,
    /// Grade points, when the grade has any.
    pub points: Option<Decimal>,
    /// True when the attempt passed.
    pub passed: bool,
    /// True when the attempt is a withdrawal.
    pub withdrawn: bool,
    /// Why the attempt could not be graded (a score outside the scale, an unknown grade).
    pub problem: Option<String>,
}

impl AttemptResult<'_> {
    /// The mark as written: `92.5`, `良好`, `W`.
    pub fn mark_text(&self) -> String {
        match self.mark {
            Mark::Score(s) => s.to_string(),
            Mark::Grade(g) => g.clone(),
            Mark::Withdrawn => "W".to_string(),
        }
    }
}

/// Where a course's credits come from.
#[derive(Clone, Debug, PartialEq)]
pub enum CourseSource {
    /// A course of the catalog.
    Catalog(CourseId),
    /// A transfer course: credits and category stated by the attempt.
    Transfer,
    /// Neither: the reason it is not recognised.
    Unrecognised(String),
}

/// One course of the transcript, all its attempts together.
#[derive(Clone, Debug, PartialEq)]
pub struct CourseResult<'r> {
    /// The course code.
    pub code: &'r str,
    /// Where it comes from.
    pub source: CourseSource,
    /// The category its credits go into (none when unrecognised).
    pub category: Option<CategoryId>,
    /// The credits the course is worth, after the institution's share.
    pub credits: Decimal,
    /// True when any attempt passed.
    pub passed: bool,
    /// The term of the first attempt that passed.
    pub passed_term: Option<u32>,
    /// True when it was attempted, graded, and not passed: its credits are failed credits.
    pub failed: bool,
    /// Its attempts, by term, in [`Transcript::attempts`] (one list for all courses, so that
    /// a transcript costs no allocation per course).
    attempts: std::ops::Range<usize>,
}

/// The graded transcript.
#[derive(Clone, Debug, PartialEq)]
pub struct Transcript<'r> {
    /// The courses, by code.
    pub courses: Vec<CourseResult<'r>>,
    /// Every attempt, by course code then term; [`Transcript::attempts_of`] gives a course's.
    pub attempts: Vec<AttemptResult<'r>>,
    /// Earned credits per category, indexed by [`CategoryId`].
    pub category_credits: Vec<Decimal>,
    /// Credits of courses attempted and not passed.
    pub failed_credits: Decimal,
    /// The GPA (unrounded), or `None` when the ruleset has no GPA policy.
    pub gpa: Option<GpaResult>,
    gpa_attempts: Vec<GpaAttempt>,
    /// For each GPA attempt, the range of `course_tags` holding its course's tags (for program
    /// GPAs): one copy of a course's tags serves all its attempts.
    gpa_tags: Vec<(u32, u32)>,
    /// For each GPA attempt, whether its grade counts in a GPA at all (a pass-fail or an
    /// excluded grade does not), whatever the policy's course exclusions say: a program's GPA
    /// counts the program's courses even when the major's GPA excludes them.
    grade_counts: Vec<bool>,
    /// The tags of each course with GPA attempts, end to end.
    course_tags: Vec<TagId>,
    /// Indexed by [`CourseId`]: true when the catalog course is passed, so that requirements
    /// ask in constant time.
    passed_catalog: Vec<bool>,
    /// Indexed by [`TagId`]: credits of passed catalog courses carrying the tag, so that a
    /// requirement on one tag (the usual program) is a lookup.
    tag_credits: Vec<Decimal>,
}

/// Why the GPA could not be computed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the GPA cannot be computed: {0}")]
pub struct TranscriptError(String);

impl<'r> Transcript<'r> {
    /// Grades `attempts` under the catalog and the GPA policy.
    pub fn grade(
        catalog: &CatalogPlan,
        policy: Option<&GradingPolicy>,
        attempts: &'r [CourseAttempt],
    ) -> Result<Transcript<'r>, TranscriptError> {
        // Each attempt's course resolved once, and a sort key computed once: catalog courses
        // sort by the rank of their code (an integer), codes the catalog does not know fall
        // between them where their text puts them (see `CatalogPlan::code_key`).
        let mut keyed: Vec<(u32, u32, &CourseAttempt, Option<CourseId>)> = attempts
            .iter()
            .map(|a| {
                let course = catalog.course(&a.course);
                (catalog.code_key(&a.course, course), a.term, a, course)
            })
            .collect();
        // A course is attempted at most once per term (the record's validation), so no two
        // attempts compare equal and an unstable sort gives one order whatever the input's.
        keyed.sort_unstable_by(|x, y| {
            x.0.cmp(&y.0)
                .then_with(|| match (x.3, y.3) {
                    (None, None) => x.2.course.cmp(&y.2.course),
                    _ => std::cmp::Ordering::Equal,
                })
                .then(x.1.cmp(&y.1))
        });
        type Keyed<'a> = (u32, u32, &'a CourseAttempt, Option<CourseId>);
        let same_course = |(_, _, a, ka): &Keyed<'_>, (_, _, b, kb): &Keyed<'_>| match (ka, kb) {
            (Some(x), Some(y)) => x == y,
            (None, None) => a.course == b.course,
            _ => false,
        };
        let mut courses: Vec<CourseResult> = Vec::with_capacity(keyed.len());
        let mut graded_attempts: Vec<AttemptResult> = Vec::with_capacity(keyed.len());
        let mut gpa_attempts = Vec::with_capacity(keyed.len());
        let mut gpa_tags = Vec::with_capacity(keyed.len());
        let mut grade_counts = Vec::with_capacity(keyed.len());
        let mut course_tags = Vec::with_capacity(keyed.len());
        let mut passed_catalog = vec![false; catalog.courses.len()];
        // Transfer courses get GPA keys after the catalog's, in code order.
        let mut next_transfer_key = u32::try_from(catalog.courses.len()).unwrap_or(u32::MAX);
        for group in keyed.chunk_by(same_course) {
            let Some(&(_, _, first, known)) = group.first() else {
                continue;
            };
            let (source, category, credits, tags, key) = resolve(catalog, first, known);
            let key = key.unwrap_or_else(|| {
                next_transfer_key = next_transfer_key.saturating_add(1);
                next_transfer_key
            });
            let start = graded_attempts.len();
            let mut result = CourseResult {
                code: &first.course,
                source,
                category,
                credits,
                passed: false,
                passed_term: None,
                failed: false,
                attempts: start..start + group.len(),
            };
            let recognised = !matches!(result.source, CourseSource::Unrecognised(_));
            // Whether the course counts in the GPA, once for all its attempts: decided when
            // the policy was compiled for a catalog course in its own category; a transfer
            // course has no tags.
            let course_counts = match (policy, category) {
                (Some(policy), Some(category)) => known
                    .filter(|_| first.category.is_none())
                    .and_then(|id| policy.listed_course_counts(id.0))
                    .unwrap_or_else(|| {
                        let tags: Vec<u16> = tags.iter().map(|t| t.0).collect();
                        policy.course_counts(&CourseFacts {
                            course: key,
                            category: category.0,
                            tags: &tags,
                        })
                    }),
                _ => false,
            };
            let tag_start = u32::try_from(course_tags.len()).unwrap_or(u32::MAX);
            let mut tags_stored = false;
            let mut graded_any = false;
            for &(_, _, attempt, _) in group {
                let (graded, grade) = grade_attempt(policy, attempt);
                if recognised && !graded.withdrawn && graded.problem.is_none() {
                    graded_any = true;
                    if graded.passed && !result.passed {
                        // The group's attempts are in term order: the first pass is the earliest.
                        result.passed = true;
                        result.passed_term = Some(attempt.term);
                    }
                    if let (Some(_), Some(_), Some(grade)) = (policy, category, grade) {
                        if let Some(g) = grade.graded {
                            gpa_attempts.push(GpaAttempt {
                                course: key,
                                term: attempt.term,
                                sequence: 0,
                                credits,
                                graded: g,
                                excluded: !(grade.counts_in_gpa && course_counts),
                            });
                            grade_counts.push(grade.counts_in_gpa);
                            if !tags_stored {
                                course_tags.extend_from_slice(tags);
                                tags_stored = true;
                            }
                            let tag_end = u32::try_from(course_tags.len()).unwrap_or(u32::MAX);
                            gpa_tags.push((tag_start, tag_end));
                        }
                    }
                }
                graded_attempts.push(graded);
            }
            result.failed = graded_any && !result.passed;
            if let (CourseSource::Catalog(id), true) = (&result.source, result.passed) {
                if let Some(slot) = passed_catalog.get_mut(id.0 as usize) {
                    *slot = true;
                }
            }
            courses.push(result);
        }
        let mut category_credits = vec![Decimal::ZERO; catalog.categories.len()];
        let mut tag_credits = vec![Decimal::ZERO; catalog.tags.len()];
        let mut failed_credits = Decimal::ZERO;
        for c in &courses {
            if let (CourseSource::Catalog(id), true) = (&c.source, c.passed) {
                // A course's tags are sorted and distinct: each counts it once.
                for tag in catalog
                    .course_plan(*id)
                    .map_or(&[][..], |p| p.tags.as_slice())
                {
                    if let Some(slot) = tag_credits.get_mut(tag.0 as usize) {
                        *slot = saturating_add(*slot, c.credits);
                    }
                }
            }
            if c.passed {
                if let Some(slot) = c
                    .category
                    .and_then(|k| category_credits.get_mut(k.0 as usize))
                {
                    *slot = saturating_add(*slot, c.credits);
                }
            } else if c.failed {
                failed_credits = saturating_add(failed_credits, c.credits);
            }
        }
        let gpa = policy
            .map(|p| gpa_grouped(&gpa_attempts, p))
            .transpose()
            .map_err(|e| TranscriptError(e.to_string()))?;
        Ok(Transcript {
            courses,
            attempts: graded_attempts,
            category_credits,
            failed_credits,
            gpa,
            gpa_attempts,
            gpa_tags,
            grade_counts,
            course_tags,
            passed_catalog,
            tag_credits,
        })
    }

    /// The attempts of one of this transcript's courses, by term.
    pub fn attempts_of(&self, course: &CourseResult<'r>) -> &[AttemptResult<'r>] {
        self.attempts.get(course.attempts.clone()).unwrap_or(&[])
    }

    /// Earned credits in all categories.
    pub fn total_credits(&self) -> Decimal {
        saturating_sum(self.category_credits.iter().copied())
    }

    /// True when the catalog course is passed.
    pub fn passed(&self, course: CourseId) -> bool {
        self.passed_catalog
            .get(course.0 as usize)
            .copied()
            .unwrap_or(false)
    }

    /// Credits of passed catalog courses carrying any of `tags`.
    pub fn tagged_credits(&self, catalog: &CatalogPlan, tags: &[TagId]) -> Decimal {
        if let [tag] = tags {
            return self
                .tag_credits
                .get(tag.0 as usize)
                .copied()
                .unwrap_or_default();
        }
        saturating_sum(
            self.courses
                .iter()
                .filter(|c| c.passed)
                .filter_map(|c| match c.source {
                    CourseSource::Catalog(id) => catalog.course_plan(id).map(|p| (c, p)),
                    _ => None,
                })
                .filter(|(_, p)| p.tags.iter().any(|t| tags.contains(t)))
                .map(|(c, _)| c.credits),
        )
    }

    /// The GPA over the courses carrying any of `tags`, unrounded: the policy's scales, weight
    /// and retake policy, and its grade exclusions, but not its course exclusions (a minor's
    /// courses are usually excluded from the major's GPA, and are exactly what the minor's GPA
    /// is about).
    pub fn gpa_over_tags(&self, policy: &GradingPolicy, tags: &[TagId]) -> Option<Decimal> {
        let order = self
            .gpa_attempts
            .iter()
            .enumerate()
            .zip(&self.gpa_tags)
            .zip(&self.grade_counts)
            .filter(|((_, &(start, end)), &counts)| {
                counts
                    && self
                        .course_tags
                        .get(start as usize..end as usize)
                        .is_some_and(|course_tags| course_tags.iter().any(|t| tags.contains(t)))
            })
            .filter_map(|(((i, a), _), _)| a.graded.points.map(|p| (i, a, p)));
        gpa_of_counting(order, policy).ok().and_then(|r| r.value)
    }
}

fn input(mark: &Mark) -> GradeInput<'_> {
    match mark {
        Mark::Score(score) => GradeInput::Score(*score),
        Mark::Grade(label) => GradeInput::Label(label),
        Mark::Withdrawn => GradeInput::Label("W"),
    }
}

/// `credits × share`, where `share` is the share of the institution an attempt names; an
/// attempt that names none is the learner's own school's, whose credits count whole. A share
/// of exactly `1` would give the same digits.
fn times_share(credits: Decimal, share: Option<Decimal>) -> Decimal {
    match share {
        Some(share) if share.scale() != 0 || share.mantissa() != 1 => credits * share,
        _ => credits,
    }
}

/// Where a course's credits come from, its category, credits after the institution's share,
/// its tags, and its GPA key (`None` for a transfer course, numbered by the caller).
fn resolve<'c>(
    catalog: &'c CatalogPlan,
    attempt: &CourseAttempt,
    known: Option<CourseId>,
) -> (
    CourseSource,
    Option<CategoryId>,
    Decimal,
    &'c [TagId],
    Option<u32>,
) {
    let unrecognised = |reason: String| {
        (
            CourseSource::Unrecognised(reason),
            None,
            Decimal::ZERO,
            &[][..],
            None,
        )
    };
    let share = match attempt.institution.as_deref() {
        None => None,
        Some(name) => match catalog.institution(name) {
            Some(id) => catalog.institutions.get(id.0 as usize).map(|i| i.share),
            None => {
                return unrecognised(format!("`{name}` is not a recognised institution"));
            }
        },
    };
    let category_override = match attempt.category.as_deref() {
        None => None,
        Some(name) => match catalog.category(name) {
            Some(c) => Some(c),
            None => return unrecognised(format!("`{name}` is not a credit category")),
        },
    };
    match known {
        Some(id) => match catalog.course_plan(id) {
            Some(course) => (
                CourseSource::Catalog(id),
                Some(category_override.unwrap_or(course.category)),
                times_share(attempt.credits.unwrap_or(course.credits), share),
                course.tags.as_slice(),
                Some(id.0),
            ),
            None => unrecognised(format!("`{}` is not in the catalog", attempt.course)),
        },
        None => match (attempt.credits, category_override) {
            (Some(credits), Some(category)) => (
                CourseSource::Transfer,
                Some(category),
                times_share(credits, share),
                &[][..],
                None,
            ),
            _ => unrecognised(format!(
                "`{}` is not in the catalog; a transfer course needs `credits` and `category`",
                attempt.course
            )),
        },
    }
}

/// Grades one attempt; the policy's grade comes back too, so that the GPA reuses it rather
/// than grading the mark a second time.
fn grade_attempt<'r>(
    policy: Option<&GradingPolicy>,
    attempt: &'r CourseAttempt,
) -> (AttemptResult<'r>, Option<PolicyGrade>) {
    let mut result = AttemptResult {
        term: attempt.term,
        mark: &attempt.mark,
        points: None,
        passed: false,
        withdrawn: matches!(attempt.mark, Mark::Withdrawn),
        problem: None,
    };
    if result.withdrawn {
        return (result, None);
    }
    let Some(policy) = policy else {
        result.problem = Some("the ruleset has no GPA policy to grade it".to_string());
        return (result, None);
    };
    match policy.grade(&input(&attempt.mark)) {
        Ok(grade) => {
            match grade.graded {
                Some(g) => {
                    result.points = g.points;
                    result.passed = g.passed;
                }
                None => {
                    result.problem = Some(format!("grade `{}` earns nothing", result.mark_text()))
                }
            }
            (result, Some(grade))
        }
        Err(e) => {
            result.problem = Some(e.to_string());
            (result, None)
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
categories {
  general "通识"
  major "专业"
}
scale pct "百分制" bands over [0, 100] pass 60 {
  [90, 100] => 4.0
  [60, 90) => 2.0
  [0, 60) => 0
}
scale pf "两级制" pass-fail {
  pass "通过"
  fail "不通过"
}
gpa {
  scores use pct
  grades use pf
  retake best
}
institutions {
  self "本校" in-school share 100%
  other "其他高校" university share 50%
}
catalog {
  course CS101 "程序设计" credits 3 category major tags core
  course MA101 "高数" credits 5 category general
  course PE101 "体育" credits 1 category general
}
"#;

    fn setup() -> (CatalogPlan, GradingPolicy) {
        let file = creditbank_dsl::parse(&SourceFile::new("t.cbr", TEXT)).file;
        let catalog = CatalogPlan::compile(&file).unwrap();
        let policy = GradingPolicy::from_file(&file, &catalog).unwrap().unwrap();
        (catalog, policy)
    }

    fn attempt(course: &str, term: u32, mark: Mark) -> CourseAttempt {
        CourseAttempt {
            course: course.into(),
            term,
            mark,
            credits: None,
            institution: None,
            category: None,
        }
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn credits_are_earned_once_and_a_passed_retake_clears_the_failure() {
        let (catalog, policy) = setup();
        let attempts = [
            attempt("MA101", 1, Mark::Score(d("45"))),
            attempt("CS101", 1, Mark::Score(d("95"))),
            attempt("MA101", 2, Mark::Score(d("70"))),
            attempt("MA101", 4, Mark::Score(d("95"))),
            attempt("PE101", 1, Mark::Grade("不通过".into())),
        ];
        let t = Transcript::grade(&catalog, Some(&policy), &attempts).unwrap();
        let passed_term = |code: &str| {
            t.courses
                .iter()
                .find(|c| c.code == code)
                .unwrap()
                .passed_term
        };
        // A course is passed in the term of its first passing attempt.
        assert_eq!(passed_term("MA101"), Some(2));
        assert_eq!(passed_term("CS101"), Some(1));
        assert_eq!(passed_term("PE101"), None);
        let general = catalog.category("general").unwrap().0 as usize;
        let major = catalog.category("major").unwrap().0 as usize;
        assert_eq!(t.category_credits[general], d("5"));
        assert_eq!(t.category_credits[major], d("3"));
        assert_eq!(t.failed_credits, d("1"));
        // best retake: CS101 4.0 x 3, MA101 4.0 x 5 (the 0 and the 2.0 are not counted); PE101
        // has no points.
        assert_eq!(t.gpa.unwrap().value, Some(d("4")));
    }

    #[test]
    fn absurd_transfer_credits_saturate_rather_than_panic() {
        let (catalog, policy) = setup();
        // Pass-fail grades, which stay out of the GPA (whose sums report their own overflow).
        let huge = |code: &str, term: u32, grade: &str| {
            let mut a = attempt(code, term, Mark::Grade(grade.into()));
            a.credits = Some(Decimal::MAX);
            a.category = Some("major".into());
            a
        };
        // Two passed and two failed: each sum would overflow `Decimal`.
        let attempts = [
            huge("X-1", 1, "通过"),
            huge("X-2", 1, "通过"),
            huge("X-3", 1, "不通过"),
            huge("X-4", 1, "不通过"),
        ];
        let t = Transcript::grade(&catalog, Some(&policy), &attempts);
        let major = catalog.category("major").unwrap().0 as usize;
        let t = t.unwrap();
        assert_eq!(t.category_credits[major], Decimal::MAX);
        assert_eq!(t.failed_credits, Decimal::MAX);
        assert_eq!(t.total_credits(), Decimal::MAX);
    }

    #[test]
    fn the_order_of_attempts_does_not_matter() {
        let (catalog, policy) = setup();
        let attempts = vec![
            attempt("MA101", 1, Mark::Score(d("45"))),
            attempt("CS101", 1, Mark::Score(d("95"))),
            attempt("MA101", 2, Mark::Score(d("70"))),
        ];
        let a = Transcript::grade(&catalog, Some(&policy), &attempts).unwrap();
        let mut reversed = attempts.clone();
        reversed.reverse();
        let b = Transcript::grade(&catalog, Some(&policy), &reversed).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn transfer_courses_need_credits_and_category_and_take_the_institution_share() {
        let (catalog, policy) = setup();
        let mut transfer = attempt("X-1", 1, Mark::Score(d("88")));
        transfer.credits = Some(d("4"));
        transfer.category = Some("major".into());
        transfer.institution = Some("other".into());
        let unknown = attempt("Y-2", 1, Mark::Score(d("88")));
        let attempts = [transfer, unknown];
        let t = Transcript::grade(&catalog, Some(&policy), &attempts).unwrap();
        let major = catalog.category("major").unwrap().0 as usize;
        assert_eq!(t.category_credits[major], d("2.0"));
        let y = t.courses.iter().find(|c| c.code == "Y-2").unwrap();
        assert!(
            matches!(&y.source, CourseSource::Unrecognised(r) if r.contains("needs `credits`"))
        );
        assert!(!y.failed);
    }

    #[test]
    fn withdrawals_and_bad_marks_neither_pass_nor_fail() {
        let (catalog, policy) = setup();
        let attempts = [
            attempt("CS101", 1, Mark::Withdrawn),
            attempt("MA101", 1, Mark::Grade("优秀".into())),
        ];
        let t = Transcript::grade(&catalog, Some(&policy), &attempts).unwrap();
        assert_eq!(t.failed_credits, Decimal::ZERO);
        let ma = t.courses.iter().find(|c| c.code == "MA101").unwrap();
        assert!(t.attempts_of(ma)[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("`优秀`"));
    }

    #[test]
    fn a_program_gpa_counts_courses_the_main_gpa_excludes() {
        let text = TEXT.replace("  retake best\n", "  retake best\n  exclude tags core\n");
        let file = creditbank_dsl::parse(&SourceFile::new("t.cbr", text)).file;
        let catalog = CatalogPlan::compile(&file).unwrap();
        let policy = GradingPolicy::from_file(&file, &catalog).unwrap().unwrap();
        let attempts = [
            attempt("CS101", 1, Mark::Score(d("95"))),
            attempt("MA101", 1, Mark::Score(d("70"))),
        ];
        let t = Transcript::grade(&catalog, Some(&policy), &attempts).unwrap();
        // The main GPA leaves CS101 (tagged core) out; the core program's GPA is CS101's.
        assert_eq!(t.gpa.as_ref().unwrap().value, Some(d("2.0")));
        let core = catalog.tag("core").unwrap();
        assert_eq!(t.gpa_over_tags(&policy, &[core]), Some(d("4.0")));
    }

    #[test]
    fn gpa_exclusions_follow_the_category_an_attempt_puts_a_course_in() {
        let text = TEXT.replace(
            "  retake best\n",
            "  retake best\n  exclude categories general\n",
        );
        let file = creditbank_dsl::parse(&SourceFile::new("t.cbr", text)).file;
        let catalog = CatalogPlan::compile(&file).unwrap();
        let policy = GradingPolicy::from_file(&file, &catalog).unwrap().unwrap();
        let gpa = |attempts: &[CourseAttempt]| {
            Transcript::grade(&catalog, Some(&policy), attempts)
                .unwrap()
                .gpa
                .unwrap()
                .value
        };
        let cs = attempt("CS101", 1, Mark::Score(d("95")));
        let ma = attempt("MA101", 1, Mark::Score(d("70")));
        // MA101 is a general course: only CS101 (major) counts.
        assert_eq!(gpa(&[cs.clone(), ma.clone()]), Some(d("4.0")));
        // Put in the major category by the record, MA101 counts; put in general, CS101 does not.
        let ma_major = CourseAttempt {
            category: Some("major".into()),
            ..ma.clone()
        };
        let cs_general = CourseAttempt {
            category: Some("general".into()),
            ..cs.clone()
        };
        assert_eq!(gpa(&[cs.clone(), ma_major]), Some(d("2.75")));
        assert_eq!(gpa(&[cs_general, ma]), None);
        // A transfer course is judged by the category its attempt states.
        let transfer = |category: &str| CourseAttempt {
            credits: Some(d("2")),
            category: Some(category.into()),
            ..attempt("X-1", 1, Mark::Score(d("70")))
        };
        assert_eq!(gpa(&[cs.clone(), transfer("general")]), Some(d("4.0")));
        assert_eq!(gpa(&[cs, transfer("major")]), Some(d("3.2")));
    }

    #[test]
    fn one_tag_is_looked_up_and_several_are_counted_the_same_way() {
        let (catalog, policy) = setup();
        let attempts = [
            attempt("CS101", 1, Mark::Score(d("95"))),
            attempt("MA101", 1, Mark::Score(d("70"))),
            attempt("PE101", 1, Mark::Score(d("40"))),
        ];
        let t = Transcript::grade(&catalog, Some(&policy), &attempts).unwrap();
        for tag in (0..catalog.tags.len()).map(|i| TagId(i as u16)) {
            // Two copies of a tag take the scanning path; one, the lookup.
            assert_eq!(
                t.tagged_credits(&catalog, &[tag]),
                t.tagged_credits(&catalog, &[tag, tag]),
                "{}",
                catalog.tags[tag.0 as usize]
            );
        }
    }

    #[test]
    fn program_gpa_covers_only_tagged_courses() {
        let (catalog, policy) = setup();
        let attempts = [
            attempt("CS101", 1, Mark::Score(d("95"))),
            attempt("MA101", 1, Mark::Score(d("70"))),
        ];
        let t = Transcript::grade(&catalog, Some(&policy), &attempts).unwrap();
        let core = catalog.tag("core").unwrap();
        assert_eq!(t.gpa_over_tags(&policy, &[core]), Some(d("4.0")));
        assert_eq!(t.tagged_credits(&catalog, &[core]), d("3"));
    }
}
