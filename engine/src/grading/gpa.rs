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

/// The GPA and what it was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GpaResult {
    /// Σ points × weight / Σ weight, exactly; `None` when nothing counts (or every counted
    /// weight is zero).
    pub value: Option<Decimal>,
    /// Σ points × weight.
    pub points_sum: Decimal,
    /// Σ weight.
    pub weight_sum: Decimal,
    /// What counted, by course and then by term and sequence.
    pub counted: Vec<CountedAttempt>,
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
    // The attempts that count, grouped by course in time order; the index breaks ties so that
    // the order never depends on the sort's stability.
    let mut order = counting(attempts);
    order.sort_unstable_by_key(|(i, a, _)| (a.course, a.term, a.sequence, *i));
    tally(&order, retake, weight)
}

/// [`gpa`] of attempts already grouped: each course's attempts next to each other, in time
/// order (a graded transcript's order). The same figures as [`gpa`], without sorting.
pub fn gpa_grouped(
    attempts: &[GpaAttempt],
    policy: &GradingPolicy,
) -> Result<GpaResult, GradingError> {
    let order = counting(attempts);
    tally(&order, policy.retake(), policy.weight())
}

/// The attempts that count (not excluded, with grade points), with their index and points.
fn counting(attempts: &[GpaAttempt]) -> Vec<(usize, &GpaAttempt, Decimal)> {
    // Sized for all of them, so that collecting never grows the vector.
    let mut order = Vec::with_capacity(attempts.len());
    order.extend(
        attempts
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.excluded)
            .filter_map(|(i, a)| a.graded.points.map(|p| (i, a, p))),
    );
    order
}

/// The GPA of the counting attempts in `order`, grouped by course and in time order within
/// each course.
fn tally(
    order: &[(usize, &GpaAttempt, Decimal)],
    retake: RetakePolicy,
    weight: GpaWeight,
) -> Result<GpaResult, GradingError> {
    let weight_of = |a: &GpaAttempt| match weight {
        GpaWeight::Credits => a.credits,
        GpaWeight::Equal => Decimal::ONE,
    };
    let mut counted = Vec::with_capacity(order.len());
    // Σ points × weight and Σ weight, exactly (see `ExactSum`).
    let mut points_sum = ExactSum::new();
    let mut weight_sum = ExactSum::new();
    let single = |i: usize, a: &GpaAttempt, points: Decimal| CountedAttempt {
        attempt: i,
        course: a.course,
        averaged: 1,
        points,
        weight: weight_of(a),
    };

    for course in order.chunk_by(|x, y| x.1.course == y.1.course) {
        let (Some(first), Some(last)) = (course.first(), course.last()) else {
            continue;
        };
        match retake {
            RetakePolicy::All => {
                for &(i, a, p) in course {
                    let line = single(i, a, p);
                    points_sum.add_product(p, line.weight);
                    weight_sum.add(line.weight);
                    counted.push(line);
                }
            }
            RetakePolicy::Average => {
                let mut sum = Decimal::ZERO;
                for &(_, _, p) in course {
                    sum = checked(sum.checked_add(p))?;
                }
                let n = Decimal::from(course.len());
                let line = CountedAttempt {
                    averaged: u32::try_from(course.len()).unwrap_or(u32::MAX),
                    points: checked(sum.checked_div(n))?,
                    ..single(last.0, last.1, sum)
                };
                // Σp × w / n rather than (Σp / n) × w: one division, so that averaging 4, 3, 3
                // over 3 credits adds exactly 10.
                let contribution = checked(sum.checked_mul(line.weight))?;
                points_sum.add(checked(contribution.checked_div(n))?);
                weight_sum.add(line.weight);
                counted.push(line);
            }
            RetakePolicy::Best | RetakePolicy::Latest | RetakePolicy::First => {
                let &(i, a, p) = match retake {
                    RetakePolicy::First => first,
                    RetakePolicy::Latest => last,
                    // The most points, the earliest among equals.
                    _ => course
                        .iter()
                        .fold(first, |best, x| if x.2 > best.2 { x } else { best }),
                };
                let line = single(i, a, p);
                points_sum.add_product(p, line.weight);
                weight_sum.add(line.weight);
                counted.push(line);
            }
        }
    }
    let mut result = GpaResult {
        value: None,
        points_sum: checked(points_sum.value())?,
        weight_sum: checked(weight_sum.value())?,
        counted,
    };
    if !result.weight_sum.is_zero() {
        result.value = Some(checked(result.points_sum.checked_div(result.weight_sum))?);
    }
    Ok(result)
}
