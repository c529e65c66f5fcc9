//! A learner's non-course outcomes (competitions, certificates, MOOCs, papers, ...) and the
//! rare exception an administrator granted.

use creditbank_dsl::ast::Date;
use creditbank_engine::record::ReviewStatus;
use rust_decimal::Decimal;

use super::calendar::{days, from_days};
use super::draft::{ActionDraft, ExceptionDraft, LearnerDraft, OutcomeDraft, ValueDraft};
use super::learner::{score_decimal, Profile, Timeline};
use super::model::{AttributeModel, KindModel, ProgramModel, Role, VersionModel};
use super::names::{GRANTORS, REASONS};
use super::rng::Rng;

/// `count` outcomes, of kinds weighted by how common they are, dated between enrolment and the
/// evaluation date.
pub(crate) fn outcomes<'m>(
    version: &'m VersionModel,
    profile: &Profile,
    timeline: &Timeline,
    rng: &mut Rng,
    count: u64,
    draft: &mut LearnerDraft<'m>,
) {
    if version.kinds.is_empty() {
        return;
    }
    let first = days(timeline.enrolled);
    let last = days(timeline.as_of).max(first);
    for n in 0..count {
        let Some(kind) = version.kinds.get(rng.weighted(&version.kind_weights)) else {
            continue;
        };
        let date = from_days(rng.between(first, last));
        outcome(version, kind, profile, rng, n as usize + 1, date, draft);
    }
}

fn outcome<'m>(
    version: &'m VersionModel,
    kind: &'m KindModel,
    profile: &Profile,
    rng: &mut Rng,
    number: usize,
    date: Date,
    draft: &mut LearnerDraft<'m>,
) {
    let attributes_start = draft.attributes.len();
    for (name, model) in &kind.attributes {
        if let Some(value) = value(model, profile, rng, date) {
            draft.attributes.push((name, value));
        }
    }
    let evidence_start = draft.evidence.len();
    for (e, required) in &kind.evidence {
        // Evidence a review requires is usually there; the rest less often.
        if rng.chance(if *required { 940 } else { 780 }) {
            draft.evidence.push(e);
        }
    }
    // Where the kind's rules only accept outcomes from some institutions, most come from one
    // of them and a few from elsewhere (which the rules then refuse).
    let institution = if kind.from.is_empty() {
        None
    } else if rng.chance(900) {
        rng.pick(&kind.from)
    } else {
        rng.pick(&version.outside)
    };
    let review = match rng.below(1000) {
        0..80 => Some(ReviewStatus::Approved),
        80..120 => Some(ReviewStatus::Pending),
        120..140 => Some(ReviewStatus::Rejected),
        _ => None,
    };
    draft.outcomes.push(OutcomeDraft {
        kind: &kind.id,
        number,
        date,
        attributes: attributes_start..draft.attributes.len(),
        evidence: evidence_start..draft.evidence.len(),
        institution: institution.map(String::as_str),
        review,
    });
}

/// A value of an attribute: valid for its type, and near the numbers and texts the rules
/// test it against, so that some outcomes pass each rule and some do not.
fn value<'m>(
    model: &'m AttributeModel,
    profile: &Profile,
    rng: &mut Rng,
    date: Date,
) -> Option<ValueDraft<'m>> {
    Some(match model {
        AttributeModel::Enum(values) => ValueDraft::Text(rng.pick(values)?),
        AttributeModel::Date => ValueDraft::Date(date),
        AttributeModel::Text { literals, pool } => {
            if !literals.is_empty() && rng.chance(600) {
                ValueDraft::Text(rng.pick(literals)?)
            } else {
                ValueDraft::Text(rng.pick(pool)?)
            }
        }
        AttributeModel::Number {
            min,
            max,
            tenths: (low, high),
            integer,
            thresholds,
            ranks,
            score,
        } => {
            let raw = if !ranks.is_empty() {
                // Most outcomes of a team or a paper list the learner first or second.
                let rank = match rng.below(100) {
                    0..55 => 1,
                    55..85 => 2,
                    _ => rng.between(3, 6),
                };
                rank * 10
            } else if *score {
                profile.score(rng, 4)
            } else if let Some(t) = rng.pick(thresholds).filter(|_| rng.chance(800)).copied() {
                // Around a threshold: from 70% to 150% of it.
                t * (70 + rng.below(81) as i64) / 100
            } else {
                // Low values are more common than high ones (hours, weeks, years).
                let u = rng.below(1001) as i64;
                low + (high - low) * u * u / 1_000_000
            };
            let step = if *integer || high - low > 200 { 10 } else { 5 };
            let rounded = (raw + step / 2).div_euclid(step) * step;
            ValueDraft::Number(score_decimal(rounded).clamp(*min, *max))
        }
    })
}

/// Now and then an exception: a waived requirement, a substituted course, forced credits,
/// or another version of the ruleset.
pub(crate) fn exceptions<'m>(
    program: &'m ProgramModel,
    version: &'m VersionModel,
    rng: &mut Rng,
    draft: &mut LearnerDraft<'m>,
) {
    if !rng.chance(30) {
        return;
    }
    let action = match rng.weighted(&[35, 30, 25, 10]) {
        0 => rng
            .pick(&version.requirement_ids)
            .map(|r| ActionDraft::Waive(r)),
        1 => {
            let course = rng.pick(&draft.courses).map(|c| c.course.clone());
            let required: Vec<&'m str> = version
                .courses
                .iter()
                .filter(|c| c.role == Role::Required)
                .map(|c| c.code.as_str())
                .collect();
            let replaces = rng.pick(&required).copied();
            match (course, replaces) {
                (Some(course), Some(replaces)) if course != replaces => {
                    Some(ActionDraft::Substitute(course, replaces))
                }
                _ => None,
            }
        }
        2 => rng
            .pick(&version.categories)
            .map(|c| ActionDraft::Force(c, Decimal::from(1 + rng.below(3)))),
        _ => {
            let others: Vec<&'m str> = program
                .versions
                .iter()
                .map(|v| v.version.as_str())
                .filter(|v| *v != version.version)
                .collect();
            rng.pick(&others).map(|v| ActionDraft::Version(v))
        }
    };
    let Some(action) = action else {
        return;
    };
    draft.exceptions.push(ExceptionDraft {
        action,
        by: rng.pick(GRANTORS).copied().unwrap_or("教务处"),
        reason: rng.pick(REASONS).copied().unwrap_or("经审批"),
    });
}
