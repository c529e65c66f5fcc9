//! One synthetic learner: who they are (a profile of ability and diligence), when they
//! enrolled, and their course attempts term by term.

use std::borrow::Cow;

use creditbank_dsl::ast::Date;
use rust_decimal::Decimal;

use super::calendar::{term_end, term_of};
use super::draft::{AttemptDraft, LearnerDraft, MarkDraft};
use super::model::{GradeStyle, ProgramModel, Role, VersionModel};
use super::names::TRANSFER_CODES;
use super::outcomes::{exceptions, outcomes};
use super::rng::Rng;

/// The most terms a learner is in: four years of two terms.
pub(crate) const MAX_TERM: u32 = 8;

/// What kind of student a learner is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Profile {
    /// The mean of the learner's scores.
    pub mean: i64,
    /// How many of the planned courses the learner takes, per mille.
    pub diligence: u64,
    /// The program (minor, double degree, micro-major) the learner also follows, if any.
    pub track: Option<usize>,
    /// True for the few who struggle: failures, dropped courses, few outcomes.
    pub struggling: bool,
}

impl Profile {
    fn draw(rng: &mut Rng, tracks: usize) -> Profile {
        // Most learners do well; a tail does not, so that every warning level is reached.
        const CLASSES: [(u64, i64, u64); 4] =
            [(55, 84, 995), (28, 76, 985), (11, 67, 930), (6, 52, 650)];
        let weights: Vec<u64> = CLASSES.iter().map(|c| c.0).collect();
        let class = rng.weighted(&weights);
        let (_, mean, diligence) = CLASSES[class];
        let track = if tracks > 0 && rng.chance(250) {
            Some(rng.below(tracks as u64) as usize)
        } else {
            None
        };
        Profile {
            mean: mean + rng.bell(4),
            diligence,
            track,
            struggling: class == 3,
        }
    }

    /// A score in tenths of a point, 0 to 1000: mostly whole points, some halves.
    pub fn score(&self, rng: &mut Rng, bonus: i64) -> i64 {
        let points = (self.mean + bonus + rng.bell(12)).clamp(0, 100);
        let half = points < 100 && rng.chance(120);
        points * 10 + if half { 5 } else { 0 }
    }
}

/// When a learner enrolled, the term they are in, the date they are evaluated on, and the
/// last term with results.
pub(crate) struct Timeline {
    pub enrolled: Date,
    pub term: u32,
    pub as_of: Date,
    pub graded: u32,
}

impl Timeline {
    /// Without a common evaluation date, each learner is evaluated at the end of their
    /// current term; with one, the terms follow from the enrolment date.
    pub fn draw(rng: &mut Rng, intakes: &[Date], as_of: Option<Date>) -> Option<Timeline> {
        let enrolled = *rng.pick(intakes)?;
        Some(match as_of {
            None => {
                let term = 1 + rng.below(u64::from(MAX_TERM)) as u32;
                Timeline {
                    enrolled,
                    term,
                    as_of: term_end(enrolled, term),
                    graded: term,
                }
            }
            Some(as_of) => {
                let term = term_of(enrolled, as_of).min(MAX_TERM);
                let graded = if term_end(enrolled, term) <= as_of {
                    term
                } else {
                    term - 1
                };
                Timeline {
                    enrolled,
                    term,
                    as_of,
                    graded,
                }
            }
        })
    }
}

/// How many non-course outcomes a learner gathers per term, in thousandths: learners keep
/// adding outcomes term after term.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OutcomeRate(pub u64);

impl OutcomeRate {
    /// The rate that brings the learners of a program to `per_learner` items (course attempts
    /// and outcomes) on average, from the course attempts and terms of a fixed sample of them.
    pub fn for_program(
        program: &ProgramModel,
        intakes: &[Date],
        as_of: Option<Date>,
        per_learner: u32,
    ) -> OutcomeRate {
        const SAMPLE: u64 = 400;
        let (mut attempts, mut terms) = (0u64, 0u64);
        let mut draft = LearnerDraft::default();
        for i in 0..SAMPLE {
            // A stream of its own, so that the rate does not depend on the cohort's seed.
            let mut rng = Rng::for_learner(0x5EED_0F5A_3F1E, i);
            let Some(timeline) = Timeline::draw(&mut rng, intakes, as_of) else {
                continue;
            };
            let Some(version) = program.version_at(timeline.enrolled) else {
                continue;
            };
            let profile = Profile::draw(&mut rng, version.tracks.len());
            draft.clear();
            course_attempts(
                version,
                &profile,
                timeline.graded,
                &mut rng,
                &mut draft.courses,
            );
            attempts += draft.courses.len() as u64;
            terms += u64::from(timeline.term);
        }
        let wanted = u64::from(per_learner) * SAMPLE;
        // At least one outcome every two terms, however many courses there are.
        let rate = (wanted.saturating_sub(attempts) * 1000 / terms.max(1)).max(500);
        OutcomeRate(rate)
    }
}

/// Drafts learner `index` of a program into `draft` (emptied first); false when no version of
/// the program is in force at any of the intakes.
pub(crate) fn learner<'m>(
    program: &'m ProgramModel,
    intakes: &[Date],
    as_of: Option<Date>,
    rate: OutcomeRate,
    rng: &mut Rng,
    index: u64,
    draft: &mut LearnerDraft<'m>,
) -> bool {
    draft.clear();
    let Some(timeline) = Timeline::draw(rng, intakes, as_of) else {
        return false;
    };
    let Some(version) = program.version_at(timeline.enrolled) else {
        return false;
    };
    let profile = Profile::draw(rng, version.tracks.len());
    draft.index = index;
    draft.program = &program.id;
    draft.enrolled = Some(timeline.enrolled);
    draft.as_of = Some(timeline.as_of);
    draft.term = timeline.term;
    course_attempts(version, &profile, timeline.graded, rng, &mut draft.courses);
    extra_attempts(version, &profile, timeline.graded, rng, &mut draft.courses);
    // Results are listed term by term, as a transcript is.
    draft.courses.sort_by_key(|a| a.term);
    // Outcomes gather term by term, some learners more active than others; those who
    // struggle with their courses have fewer.
    let mut count = rate.0 * u64::from(timeline.term) * (500 + rng.below(1001)) / 1_000_000;
    if profile.struggling {
        count /= 2;
    }
    outcomes(version, &profile, &timeline, rng, count, draft);
    exceptions(program, version, rng, draft);
    true
}

/// The catalog courses a learner took, with failures, retakes and withdrawals.
fn course_attempts<'m>(
    version: &'m VersionModel,
    profile: &Profile,
    graded: u32,
    rng: &mut Rng,
    attempts: &mut Vec<AttemptDraft<'m>>,
) {
    if graded == 0 {
        return;
    }
    // Of each `N of (...)`, the learner picks N or a few more.
    let mut chosen = Vec::new();
    for group in &version.choices {
        let mut courses = group.courses.clone();
        rng.shuffle(&mut courses);
        // More than the minimum: the credits a category needs usually take more.
        let n = group.n as usize + 2 + rng.below(5) as usize;
        chosen.extend(courses.into_iter().take(n));
    }
    let late = graded.min(3);
    for (i, course) in version.courses.iter().enumerate() {
        let any_term =
            |rng: &mut Rng, from: u32| rng.between(i64::from(from), i64::from(graded)) as u32;
        let (take, term) = match course.role {
            Role::Required => {
                let planned = course.term.unwrap_or_else(|| any_term(rng, 1));
                // A required course put off is mostly caught up a year later.
                if rng.chance(profile.diligence) {
                    (true, planned)
                } else {
                    (rng.chance(850), planned + 2)
                }
            }
            Role::Choice(_) => (
                chosen.contains(&i) && rng.chance(profile.diligence),
                course.term.unwrap_or_else(|| any_term(rng, late)),
            ),
            Role::Track(t) => (
                profile.track == Some(t) && rng.chance(850),
                course.term.unwrap_or_else(|| any_term(rng, late)),
            ),
            Role::Planned => (
                rng.chance(profile.diligence * 96 / 100),
                course.term.unwrap_or(1),
            ),
            Role::Elective => (rng.chance(300), any_term(rng, 1)),
        };
        if !take || term == 0 || term > graded {
            continue;
        }
        let mut term = term;
        for retake in 0..3 {
            let withdrawn = rng.chance(20);
            let score = profile.score(rng, 6 * retake);
            let mark = if withdrawn {
                MarkDraft::Withdrawn
            } else {
                mark(version, course.style, score, rng)
            };
            attempts.push(AttemptDraft {
                course: Cow::Borrowed(&course.code),
                term,
                mark,
                credits: None,
                institution: None,
                category: None,
            });
            let failed = withdrawn || score < version.pass_tenths();
            let next = term + 1 + rng.below(2) as u32;
            if !failed || next > graded || !rng.chance(850) {
                break;
            }
            term = next;
        }
    }
}

/// A few learners bring a course from elsewhere (credits, category and institution given) or
/// a code the catalog does not know.
fn extra_attempts<'m>(
    version: &'m VersionModel,
    profile: &Profile,
    graded: u32,
    rng: &mut Rng,
    attempts: &mut Vec<AttemptDraft<'m>>,
) {
    if graded == 0 {
        return;
    }
    if rng.chance(40) {
        let code = rng.pick(TRANSFER_CODES).copied().unwrap_or("XT-DS101");
        attempts.push(AttemptDraft {
            course: Cow::Borrowed(code),
            term: rng.between(1, i64::from(graded)) as u32,
            mark: MarkDraft::Score(score_decimal(profile.score(rng, 5))),
            credits: Some(Decimal::from(2 + rng.below(2))),
            institution: rng.pick(&version.outside).map(String::as_str),
            category: rng.pick(&version.categories).map(String::as_str),
        });
    }
    if rng.chance(20) {
        if let Some(course) = rng.pick(&version.courses) {
            // A typo in a code, or a course of another year's plan.
            attempts.push(AttemptDraft {
                course: Cow::Owned(format!("{}X", course.code)),
                term: rng.between(1, i64::from(graded)) as u32,
                mark: MarkDraft::Score(score_decimal(profile.score(rng, 0))),
                credits: None,
                institution: None,
                category: None,
            });
        }
    }
}

/// A score in tenths as the number a record holds (`88`, `92.5`).
pub(crate) fn score_decimal(tenths: i64) -> Decimal {
    if tenths % 10 == 0 {
        Decimal::from(tenths / 10)
    } else {
        Decimal::new(tenths, 1)
    }
}

/// A score written the way the course grades: the score itself, the text grade of its band,
/// or pass/fail.
fn mark<'m>(
    version: &'m VersionModel,
    style: GradeStyle,
    score: i64,
    rng: &mut Rng,
) -> MarkDraft<'m> {
    let pass = version.pass_tenths();
    let passed = score >= pass;
    let as_score = MarkDraft::Score(score_decimal(score));
    match style {
        GradeStyle::Score => as_score,
        GradeStyle::Text => {
            let passing = &version.passing_grades;
            let label = if passed || version.failing_grades.is_empty() {
                // Equal bands between the pass mark and 100, best first.
                let width = ((1000 - pass) / passing.len().max(1) as i64).max(1);
                let band = usize::try_from((1000 - score) / width).unwrap_or(0);
                passing.get(band.min(passing.len().saturating_sub(1)))
            } else {
                version.failing_grades.first()
            };
            label.map_or(as_score, |l| MarkDraft::Grade(l))
        }
        GradeStyle::PassFail => {
            let labels = if passed {
                &version.pass_labels
            } else {
                &version.fail_labels
            };
            rng.pick(labels).map_or(as_score, |l| MarkDraft::Grade(l))
        }
    }
}
