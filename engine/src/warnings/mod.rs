//! Staged academic warnings (学业预警): compiled once per ruleset, applied to a standing.
//!
//! Semantics (docs/LANGUAGE.md, section 13): a warning's levels are listed mildest first and
//! the learner gets the most severe level reached, or none.
//! - `on credits`: the stage that applies is the latest whose term is at or before the
//!   learner's current term (none before the first stage); a level `below P%` is reached when
//!   the credits earned are below P% of the stage's expectation. The comparison multiplies
//!   (`earned < expected × P / 100`) so it stays exact whatever the share's decimals.
//! - `on failed-credits`: a level `at least N` is reached when failed credits are N or more.
//! - `on gpa`: a level `below N` is reached when the GPA is below N; no GPA yet, no warning.

#[cfg(test)]
mod tests;

use crate::standing::Standing;
use creditbank_dsl::ast::{Item, RulesetFile, Span, Threshold, WarningMeasure};
use rust_decimal::Decimal;

/// Why warnings could not be compiled (only for files that did not pass the checker).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WarningsError {
    /// A threshold that does not fit what the warning watches (the checker's E030).
    #[error("level `{level}` of warning `{warning}` has a threshold that does not fit what the warning watches")]
    Threshold {
        /// The warning.
        warning: String,
        /// The level.
        level: String,
    },
}

/// When a level is reached, for the measure its warning watches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LevelThreshold {
    /// Credits earned below this fraction of the stage's expectation (`below 90%` is 0.9).
    BelowShare(Decimal),
    /// The GPA below this.
    Below(Decimal),
    /// Failed credits at or above this.
    AtLeast(Decimal),
}

/// One level of a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelPlan {
    /// Its id (`yellow`).
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// `#rrggbb`.
    pub colour: String,
    /// When it is reached.
    pub threshold: LevelThreshold,
    /// The message shown to the learner.
    pub message: String,
}

/// One `warning` compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningPlan {
    /// Its id.
    pub id: String,
    /// Its display name.
    pub name: Option<String>,
    /// What it watches.
    pub measure: WarningMeasure,
    /// `(term, credits expected)`, terms strictly increasing (`on credits` only).
    pub stages: Vec<(u32, Decimal)>,
    /// The levels, mildest first.
    pub levels: Vec<LevelPlan>,
    /// Its citation.
    pub source: Option<String>,
    /// Where the warning is written.
    pub span: Span,
}

/// Every warning of a ruleset, in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WarningsPlan {
    /// The warnings.
    pub warnings: Vec<WarningPlan>,
}

impl WarningsPlan {
    /// Compiles the `warning` items of a checked file.
    pub fn compile(file: &RulesetFile) -> Result<WarningsPlan, WarningsError> {
        let mut warnings = Vec::new();
        for item in &file.items {
            let Item::Warning(w) = &item.value else {
                continue;
            };
            let measure = w.on.value.value;
            let mut stages: Vec<(u32, Decimal)> = w
                .stages
                .iter()
                .map(|s| (s.value.term.value, s.value.expect.value))
                .collect();
            // The checker requires increasing terms (E029); sorting keeps the lookup right
            // even for a file that was not checked.
            stages.sort_by_key(|s| s.0);
            let levels = w
                .levels
                .iter()
                .map(|l| {
                    let l = &l.value;
                    let threshold = match (measure, &l.threshold.value) {
                        (WarningMeasure::Credits, Threshold::BelowPercent(p)) => {
                            LevelThreshold::BelowShare(*p / Decimal::ONE_HUNDRED)
                        }
                        (WarningMeasure::Gpa, Threshold::Below(n)) => LevelThreshold::Below(*n),
                        (WarningMeasure::FailedCredits, Threshold::AtLeast(n)) => {
                            LevelThreshold::AtLeast(*n)
                        }
                        _ => {
                            return Err(WarningsError::Threshold {
                                warning: w.id.value.clone(),
                                level: l.id.value.clone(),
                            })
                        }
                    };
                    Ok(LevelPlan {
                        id: l.id.value.clone(),
                        name: l.name.as_ref().map(|n| n.value.clone()),
                        colour: l.colour.value.clone(),
                        threshold,
                        message: l.message.value.clone(),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            warnings.push(WarningPlan {
                id: w.id.value.clone(),
                name: w.name.as_ref().map(|n| n.value.clone()),
                measure,
                stages,
                levels,
                source: w.source.as_ref().map(|s| s.value.value.clone()),
                span: item.span,
            });
        }
        Ok(WarningsPlan { warnings })
    }
}

/// The figures a warning judged, exact and unrounded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarningFigures {
    /// `on credits`.
    Credits {
        /// The learner's current term.
        current_term: u32,
        /// The term of the stage that applies.
        stage_term: u32,
        /// Credits earned.
        earned: Decimal,
        /// Credits expected by the stage.
        expected: Decimal,
        /// `earned / expected` as a fraction (0.725 for 72.5%); `None` when nothing is
        /// expected.
        share: Option<Decimal>,
    },
    /// `on failed-credits`.
    FailedCredits {
        /// The failed credits.
        failed: Decimal,
    },
    /// `on gpa`.
    Gpa {
        /// The GPA.
        gpa: Decimal,
    },
}

/// A warning the learner has reached.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WarningResult<'a> {
    /// The warning (id, name, span, citation).
    pub warning: &'a WarningPlan,
    /// The most severe level reached (id, name, colour, message).
    pub level: &'a LevelPlan,
    /// Its rank among the warning's levels, from 1 (the mildest).
    pub rank: usize,
    /// The figures behind it.
    pub figures: WarningFigures,
}

/// The warnings `standing` reaches, in the ruleset's order, each at its most severe level.
pub fn warn<'a>(plan: &'a WarningsPlan, standing: &dyn Standing) -> Vec<WarningResult<'a>> {
    let mut out = Vec::new();
    for warning in &plan.warnings {
        let figures = match warning.measure {
            WarningMeasure::Credits => {
                let current_term = standing.current_term();
                let Some(&(stage_term, expected)) = warning
                    .stages
                    .iter()
                    .rev()
                    .find(|(t, _)| *t <= current_term)
                else {
                    continue;
                };
                let earned = standing.total_credits();
                WarningFigures::Credits {
                    current_term,
                    stage_term,
                    earned,
                    expected,
                    share: (!expected.is_zero()).then(|| earned / expected),
                }
            }
            WarningMeasure::FailedCredits => WarningFigures::FailedCredits {
                failed: standing.failed_credits(),
            },
            WarningMeasure::Gpa => match standing.gpa() {
                Some(gpa) => WarningFigures::Gpa { gpa },
                None => continue,
            },
        };
        // Levels go mildest first: the last one reached is the most severe.
        let reached = warning
            .levels
            .iter()
            .enumerate()
            .rev()
            .find(|(_, level)| reaches(level.threshold, &figures));
        if let Some((index, level)) = reached {
            out.push(WarningResult {
                warning,
                level,
                rank: index + 1,
                figures,
            });
        }
    }
    out
}

fn reaches(threshold: LevelThreshold, figures: &WarningFigures) -> bool {
    match (threshold, *figures) {
        (
            LevelThreshold::BelowShare(share),
            WarningFigures::Credits {
                earned, expected, ..
            },
        ) => expected.checked_mul(share).is_some_and(|bar| earned < bar),
        (LevelThreshold::AtLeast(n), WarningFigures::FailedCredits { failed }) => failed >= n,
        (LevelThreshold::Below(n), WarningFigures::Gpa { gpa }) => gpa < n,
        _ => false,
    }
}
