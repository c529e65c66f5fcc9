//! The grade point average: exact, under a retake policy and a weight.

use super::{Graded, GradingError, GradingPolicy};
use crate::exact_sum::ExactSum;
use creditbank_dsl::ast::{GpaWeight, RetakePolicy};
use rust_decimal::Decimal;

/// One attempt at a course, graded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GpaAttempt {
    /// The course (attempts with the same key are retakes of one course).
    pub course: u32,
    /// The term of the attempt.
    pub term: u32,
    /// The order of the attempt within its term.
    pub sequence: u32,
    /// The course's credits.
    pub credits: Decimal,
    /// What the attempt is worth.
    pub graded: Graded,
    /// True when the policy leaves the attempt out (its course or its grade is excluded).
    pub excluded: bool,
}

/// One term of the GPA: an attempt, or under `retake average` a course's averaged attempts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountedAttempt {
    /// The index of the attempt in the slice given to [`gpa`]; under `retake average`, the last
    /// of the course's attempts.
    pub attempt: usize,
    /// The course.
    pub course: u32,
    /// How many attempts were averaged into it (1 but under `retake average`).
    pub averaged: u32,
    /// The grade points counted (under `retake average`, the mean, for display).
    pub points: Decimal,
    /// Its weight: the credits, or 1 under `weight equal`.
    pub weight: Decimal,
}

/// The GPA and the two sums it divides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GpaResult {
    /// Σ points × weight / Σ weight, exactly; `None` when nothing counts (or every counted
    /// weight is zero).
    pub value: Option<Decimal>,
    /// Σ points × weight.
    pub points_sum: Decimal,
    /// Σ weight.
    pub weight_sum: Decimal,
}

/// The GPA of `attempts` under `policy`'s retake policy and weight.
///
/// An attempt counts only when it is not `excluded` and has grade points (pass-fail grades have
/// none); the retake policy chooses among the attempts of a course that count. Nothing is
/// rounded: the caller rounds `value` once, with [`crate::rounding::round`].
pub fn gpa(attempts: &[GpaAttempt], policy: &GradingPolicy) -> Result<GpaResult, GradingError> {
    gpa_with(attempts, policy.retake(), policy.weight())
}

fn checked(value: Option<Decimal>) -> Result<Decimal, GradingError> {
    value.ok_or(GradingError::Overflow)
}

/// The GPA of `attempts` under `retake` and `weight` (see [`gpa`]).
pub fn gpa_with(
    attempts: &[GpaAttempt],
    retake: RetakePolicy,
    weight: GpaWeight,
) -> Result<GpaResult, GradingError> {
    tally(sorted(attempts).into_iter(), retake, weight, |_| {})
}

/// [`gpa_with`], and what counted: by course, then by term and sequence.
pub fn gpa_counted(
    attempts: &[GpaAttempt],
    retake: RetakePolicy,
    weight: GpaWeight,
) -> Result<(GpaResult, Vec<CountedAttempt>), GradingError> {
    let mut counted = Vec::new();
    let result = tally(sorted(attempts).into_iter(), retake, weight, |c| {
        counted.push(c)
    })?;
    Ok((result, counted))
}

/// [`gpa`] of attempts already grouped: each course's attempts next to each other, in time
/// order (a graded transcript's order). The same figures as [`gpa`], without sorting or
/// allocating.
pub fn gpa_grouped(
    attempts: &[GpaAttempt],
    policy: &GradingPolicy,
) -> Result<GpaResult, GradingError> {
    gpa_of_counting(counting(attempts), policy)
}

/// [`gpa_grouped`] of the attempts the caller chose to count, each with its index and points,
/// grouped as there.
pub fn gpa_of_counting<'a>(
    order: impl Iterator<Item = (usize, &'a GpaAttempt, Decimal)>,
    policy: &GradingPolicy,
) -> Result<GpaResult, GradingError> {
    tally(order, policy.retake(), policy.weight(), |_| {})
}

/// The attempts that count (not excluded, with grade points), with their index and points.
fn counting(attempts: &[GpaAttempt]) -> impl Iterator<Item = (usize, &GpaAttempt, Decimal)> {
    attempts
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.excluded)
        .filter_map(|(i, a)| a.graded.points.map(|p| (i, a, p)))
}

/// The attempts that count, grouped by course in time order; the index breaks ties so that
/// the order never depends on the sort's stability.
fn sorted(attempts: &[GpaAttempt]) -> Vec<(usize, &GpaAttempt, Decimal)> {
    let mut order = Vec::with_capacity(attempts.len());
    order.extend(counting(attempts));
    order.sort_unstable_by_key(|(i, a, _)| (a.course, a.term, a.sequence, *i));
    order
}

/// One counting attempt: its index, the attempt, its points.
type Counting<'a> = (usize, &'a GpaAttempt, Decimal);

/// The course being read: the attempts a retake policy may choose, and the sum and number
/// of their points.
struct Course<'a> {
    first: Counting<'a>,
    best: Counting<'a>,
    last: Counting<'a>,
    sum: Decimal,
    n: u32,
}

/// The two running sums of a GPA.
struct Sums {
    /// Σ points × weight, exactly (see `ExactSum`).
    points: ExactSum,
    /// Σ weight.
    weight: ExactSum,
}

/// The GPA of the counting attempts in `order`, grouped by course and in time order within
/// each course; `count` sees each line that counted.
fn tally<'a>(
    order: impl Iterator<Item = Counting<'a>>,
    retake: RetakePolicy,
    weight: GpaWeight,
    mut count: impl FnMut(CountedAttempt),
) -> Result<GpaResult, GradingError> {
    let weight_of = |a: &GpaAttempt| match weight {
        GpaWeight::Credits => a.credits,
        GpaWeight::Equal => Decimal::ONE,
    };
    let single = |(i, a, points): Counting<'_>| CountedAttempt {
        attempt: i,
        course: a.course,
        averaged: 1,
        points,
        weight: weight_of(a),
    };
    let mut sums = Sums {
        points: ExactSum::new(),
        weight: ExactSum::new(),
    };
    // Counts a whole course's attempts under `retake` (not `all`, which counts each as read).
    let close = |course: &Course<'_>, sums: &mut Sums| -> Result<CountedAttempt, GradingError> {
        Ok(match retake {
            RetakePolicy::Average => {
                let n = Decimal::from(course.n);
                let line = CountedAttempt {
                    averaged: course.n,
                    points: checked(course.sum.checked_div(n))?,
                    ..single(course.last)
                };
                // Σp × w / n rather than (Σp / n) × w: one division, so that averaging 4, 3, 3
                // over 3 credits adds exactly 10.
                let contribution = checked(course.sum.checked_mul(line.weight))?;
                sums.points.add(checked(contribution.checked_div(n))?);
                sums.weight.add(line.weight);
                line
            }
            _ => {
                let chosen = match retake {
                    RetakePolicy::First => course.first,
                    RetakePolicy::Latest => course.last,
                    // The most points, the earliest among equals.
                    _ => course.best,
                };
                let line = single(chosen);
                sums.points.add_product(line.points, line.weight);
                sums.weight.add(line.weight);
                line
            }
        })
    };
    let mut open: Option<Course<'a>> = None;
    for attempt in order {
        let (_, a, points) = attempt;
        if retake == RetakePolicy::All {
            let line = single(attempt);
            sums.points.add_product(points, line.weight);
            sums.weight.add(line.weight);
            count(line);
            continue;
        }
        match &mut open {
            Some(course) if course.last.1.course == a.course => {
                if points > course.best.2 {
                    course.best = attempt;
                }
                course.last = attempt;
                if retake == RetakePolicy::Average {
                    course.sum = checked(course.sum.checked_add(points))?;
                }
                course.n = course.n.saturating_add(1);
            }
            _ => {
                if let Some(done) = open.take() {
                    count(close(&done, &mut sums)?);
                }
                open = Some(Course {
                    first: attempt,
                    best: attempt,
                    last: attempt,
                    sum: points,
                    n: 1,
                });
            }
        }
    }
    if let Some(done) = open {
        count(close(&done, &mut sums)?);
    }
    let mut result = GpaResult {
        value: None,
        points_sum: checked(sums.points.value())?,
        weight_sum: checked(sums.weight.value())?,
    };
    if !result.weight_sum.is_zero() {
        result.value = Some(checked(result.points_sum.checked_div(result.weight_sum))?);
    }
    Ok(result)
}
