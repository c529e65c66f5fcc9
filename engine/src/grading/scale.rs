//! One compiled grade scale.

use super::GradingError;
use crate::expr::{no_evidence, CompiledCondition, CompiledExpr, Slot, SlotType, Value};
use creditbank_dsl::ast::{self, Bound, ScaleBody};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A transcript entry to grade: a numeric score or a text grade.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GradeInput<'a> {
    /// A numeric score, for `bands` and `formula` scales.
    Score(Decimal),
    /// A grade label, for `text` and `pass-fail` scales; matched exactly.
    Label(&'a str),
}

/// What a grade is worth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Graded {
    /// Grade points; `None` for a pass-fail grade, which stays out of the GPA.
    pub points: Option<Decimal>,
    /// True when the grade passes (earns the course's credit).
    pub passed: bool,
}

/// The shape of a scale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScaleShape {
    /// `bands`: a table of score bands.
    Bands,
    /// `formula`: cases over the score.
    Formula,
    /// `text`: labels with grade points.
    Text,
    /// `pass-fail`: labels that pass or fail, without points.
    PassFail,
}

impl ScaleShape {
    /// True for the shapes that grade numeric scores.
    pub fn grades_scores(self) -> bool {
        matches!(self, ScaleShape::Bands | ScaleShape::Formula)
    }
}

/// A grade scale compiled for lookups: bands sorted for a binary search, formulas compiled,
/// labels in a map.
#[derive(Clone, Debug)]
pub struct CompiledScale {
    id: String,
    body: Body,
}

// A ruleset has a handful of scales: boxing the numeric variant would only add an indirection
// to every lookup.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
enum Body {
    Numeric {
        min: Decimal,
        max: Decimal,
        pass: Decimal,
        rule: NumericRule,
        /// What every score with at most one decimal place is worth, graded once when the
        /// scale is compiled: transcripts hold such scores almost always, and a band search
        /// or a formula in exact decimals costs far more than a lookup. Other scores are
        /// graded as they come.
        memo: ScoreMemo,
    },
    Text(BTreeMap<String, Graded>),
    PassFail(BTreeMap<String, Graded>),
}

// A ruleset has a handful of scales, read on every attempt: boxing the formula variant would
// add an indirection to each lookup to save a few bytes per scale.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
enum NumericRule {
    /// Sorted by lower bound, a closed lower bound before an open one at the same score.
    Bands(Vec<CompiledBand>),
    Formula {
        cases: Vec<(CompiledCondition, CompiledExpr)>,
        otherwise: Option<CompiledExpr>,
    },
}

/// Grades by score in tenths from the scale's minimum; no grade where the scale gives none
/// (no band or case applies, or a formula fails), so that such a score is graded again and
/// its error reported as it would be without the memo.
///
/// Each score holds a two-byte index into the scale's distinct grades rather than the grade
/// itself: a percent scale's 1,001 scores then take 2 KB instead of 24 KB, and stay in the
/// cache beside the rest of an evaluation.
#[derive(Clone, Debug, Default)]
struct ScoreMemo {
    /// The scale's minimum in tenths.
    min_tenths: i64,
    /// By score in tenths from the minimum: 0 for no grade, else `i + 1` for `distinct[i]`.
    index: Vec<u16>,
    /// The distinct grades, each with the digits its first score gave it.
    distinct: Vec<Graded>,
}

/// A memo larger than this many scores is not kept (a scale over [0, 10000] would need a
/// hundred thousand entries); such scales are evaluated per score.
const MEMO_LIMIT: i64 = 10_000;

impl ScoreMemo {
    fn build(min: Decimal, max: Decimal, grade: impl Fn(Decimal) -> Option<Graded>) -> Self {
        let (Some(lo), Some(hi)) = (tenths(min), tenths(max)) else {
            return ScoreMemo::default();
        };
        if hi < lo || hi - lo >= MEMO_LIMIT {
            return ScoreMemo::default();
        }
        // Two grades are the same entry only when their points have the same digits and the
        // same scale (`4` and `4.0` are equal decimals, written differently).
        let mut seen: std::collections::HashMap<(Option<[u8; 16]>, bool), u16> =
            std::collections::HashMap::new();
        let mut memo = ScoreMemo {
            min_tenths: lo,
            index: Vec::new(),
            distinct: Vec::new(),
        };
        for t in lo..=hi {
            let entry = match score_of_tenths(t).and_then(&grade) {
                None => 0,
                Some(graded) => {
                    let key = (graded.points.map(|p| p.serialize()), graded.passed);
                    match seen.get(&key) {
                        Some(&i) => i,
                        None => {
                            memo.distinct.push(graded);
                            // At most MEMO_LIMIT + 1 scores: the count fits a u16.
                            let Ok(i) = u16::try_from(memo.distinct.len()) else {
                                return ScoreMemo::default();
                            };
                            seen.insert(key, i);
                            i
                        }
                    }
                }
            };
            memo.index.push(entry);
        }
        memo
    }

    fn get(&self, score: Decimal) -> Option<Graded> {
        let t = tenths(score)?;
        let at = usize::try_from(t.checked_sub(self.min_tenths)?).ok()?;
        let entry = *self.index.get(at)?;
        self.distinct
            .get(usize::from(entry).checked_sub(1)?)
            .copied()
    }
}

/// `score` in tenths, when written as the memo's entry for it is: a whole number without
/// decimals (`95`), or one decimal place that is not zero (`71.5`). Other spellings (`95.0`,
/// `92.50`) are evaluated as they come, so that the points keep the digits the formula gives
/// them for that spelling. Reads the mantissa as an `i64` (a remainder of `i128` is a call).
fn tenths(score: Decimal) -> Option<i64> {
    let mantissa = i64::try_from(score.mantissa()).ok()?;
    match score.scale() {
        0 => mantissa.checked_mul(10),
        1 if mantissa % 10 != 0 => Some(mantissa),
        _ => None,
    }
}

/// The score whose spelling [`tenths`] maps to `t`.
fn score_of_tenths(t: i64) -> Option<Decimal> {
    Some(if t % 10 == 0 {
        Decimal::new(t / 10, 0)
    } else {
        Decimal::new(t, 1)
    })
}

#[derive(Clone, Debug)]
struct CompiledBand {
    lower: Decimal,
    lower_closed: bool,
    upper: Decimal,
    upper_closed: bool,
    points: Decimal,
}

impl CompiledBand {
    fn admits_from_below(&self, score: Decimal) -> bool {
        self.lower < score || (self.lower_closed && self.lower == score)
    }

    fn admits_from_above(&self, score: Decimal) -> bool {
        score < self.upper || (self.upper_closed && self.upper == score)
    }
}

/// In a formula scale the only variable is `score`, in slot 0.
fn score_slot(name: &str) -> Option<Slot> {
    (name == "score").then_some(Slot {
        index: 0,
        ty: SlotType::Number,
    })
}

fn bound(b: &Bound) -> (Decimal, bool) {
    (b.value.value, b.closed)
}

impl CompiledScale {
    /// Compiles `scale`.
    pub fn compile(scale: &ast::Scale) -> Result<Self, GradingError> {
        let id = scale.id.value.clone();
        let compile_error = |source| GradingError::Compile {
            scale: id.clone(),
            source,
        };
        let body = match &scale.body {
            ScaleBody::Bands(bands) => {
                let mut compiled: Vec<CompiledBand> = bands
                    .bands
                    .iter()
                    .map(|band| {
                        let (lower, lower_closed) = bound(&band.value.lower);
                        let (upper, upper_closed) = bound(&band.value.upper);
                        CompiledBand {
                            lower,
                            lower_closed,
                            upper,
                            upper_closed,
                            points: band.value.points.value,
                        }
                    })
                    .collect();
                compiled.sort_by(|a, b| {
                    a.lower
                        .cmp(&b.lower)
                        .then(b.lower_closed.cmp(&a.lower_closed))
                });
                Body::Numeric {
                    min: bands.range.min.value,
                    max: bands.range.max.value,
                    pass: bands.pass.value,
                    rule: NumericRule::Bands(compiled),
                    memo: ScoreMemo::default(),
                }
            }
            ScaleBody::Formula(formula) => {
                let mut cases = Vec::with_capacity(formula.cases.len());
                for case in &formula.cases {
                    let when =
                        CompiledCondition::compile(&case.value.when, &score_slot, &no_evidence)
                            .map_err(compile_error)?;
                    let points = CompiledExpr::compile(&case.value.points, &score_slot)
                        .map_err(compile_error)?;
                    cases.push((when, points));
                }
                let otherwise = match &formula.otherwise {
                    Some(expr) => Some(
                        CompiledExpr::compile(&expr.value, &score_slot).map_err(compile_error)?,
                    ),
                    None => None,
                };
                Body::Numeric {
                    min: formula.range.min.value,
                    max: formula.range.max.value,
                    pass: formula.pass.value,
                    rule: NumericRule::Formula { cases, otherwise },
                    memo: ScoreMemo::default(),
                }
            }
            ScaleBody::Text(grades) => Body::Text(
                grades
                    .iter()
                    .rev() // so that the first definition of a label wins, as in the checker
                    .map(|g| {
                        let graded = Graded {
                            points: Some(g.value.points.value),
                            passed: !g.value.fail,
                        };
                        (g.value.label.value.clone(), graded)
                    })
                    .collect(),
            ),
            ScaleBody::PassFail(pf) => {
                let mut labels = BTreeMap::new();
                let clauses = pf.fail.iter().map(|c| (c, false));
                for (clause, passed) in pf.pass.iter().map(|c| (c, true)).chain(clauses) {
                    for label in &clause.value {
                        labels.entry(label.value.clone()).or_insert(Graded {
                            points: None,
                            passed,
                        });
                    }
                }
                Body::PassFail(labels)
            }
        };
        let mut scale = CompiledScale { id, body };
        if let Body::Numeric { min, max, .. } = scale.body {
            let memo = ScoreMemo::build(min, max, |score| scale.grade_score(score).ok());
            if let Body::Numeric { memo: slot, .. } = &mut scale.body {
                *slot = memo;
            }
        }
        Ok(scale)
    }

    /// The scale's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The scale's shape.
    pub fn shape(&self) -> ScaleShape {
        match &self.body {
            Body::Numeric {
                rule: NumericRule::Bands(_),
                ..
            } => ScaleShape::Bands,
            Body::Numeric { .. } => ScaleShape::Formula,
            Body::Text(_) => ScaleShape::Text,
            Body::PassFail(_) => ScaleShape::PassFail,
        }
    }

    /// The labels a text or pass-fail scale defines, with what each is worth (none for a
    /// numeric scale), in label order.
    pub fn labels(&self) -> impl Iterator<Item = (&str, Graded)> {
        let map = match &self.body {
            Body::Text(map) | Body::PassFail(map) => Some(map),
            Body::Numeric { .. } => None,
        };
        map.into_iter()
            .flat_map(|m| m.iter().map(|(label, graded)| (label.as_str(), *graded)))
    }

    /// What `grade` is worth on this scale.
    pub fn points(&self, grade: &GradeInput<'_>) -> Result<Graded, GradingError> {
        match (&self.body, *grade) {
            (Body::Numeric { memo, .. }, GradeInput::Score(score)) => match memo.get(score) {
                Some(graded) => Ok(graded),
                None => self.grade_score(score),
            },
            (Body::Numeric { .. }, GradeInput::Label(label)) => Err(GradingError::NotAScore {
                scale: self.id.clone(),
                label: label.to_string(),
            }),
            (Body::Text(_) | Body::PassFail(_), GradeInput::Score(score)) => {
                Err(GradingError::NotALabel {
                    scale: self.id.clone(),
                    score,
                })
            }
            (Body::Text(labels) | Body::PassFail(labels), GradeInput::Label(label)) => labels
                .get(label)
                .copied()
                .ok_or_else(|| GradingError::UnknownGrade {
                    label: label.to_string(),
                    scales: format!("scale `{}`", self.id),
                }),
        }
    }

    /// What a score is worth on a numeric scale, graded without the memo.
    fn grade_score(&self, score: Decimal) -> Result<Graded, GradingError> {
        let Body::Numeric {
            min,
            max,
            pass,
            rule,
            ..
        } = &self.body
        else {
            return Err(GradingError::NotALabel {
                scale: self.id.clone(),
                score,
            });
        };
        if score < *min || score > *max {
            return Err(GradingError::ScoreOutOfRange {
                scale: self.id.clone(),
                score,
            });
        }
        let points = match rule {
            NumericRule::Bands(bands) => self.band_points(bands, score)?,
            NumericRule::Formula { cases, otherwise } => {
                formula_points(&self.id, cases, otherwise.as_ref(), score)?
            }
        };
        Ok(Graded {
            points: Some(points),
            passed: score >= *pass,
        })
    }

    fn band_points(&self, bands: &[CompiledBand], score: Decimal) -> Result<Decimal, GradingError> {
        // The bands whose lower bound admits the score form a prefix: the last of them is the
        // only one that can hold it.
        let admitted = bands.partition_point(|band| band.admits_from_below(score));
        admitted
            .checked_sub(1)
            .and_then(|i| bands.get(i))
            .filter(|band| band.admits_from_above(score))
            .map(|band| band.points)
            .ok_or_else(|| GradingError::NoBand {
                scale: self.id.clone(),
                score,
            })
    }
}

/// The points of `score` under a formula scale's cases, evaluated.
fn formula_points(
    scale: &str,
    cases: &[(CompiledCondition, CompiledExpr)],
    otherwise: Option<&CompiledExpr>,
    score: Decimal,
) -> Result<Decimal, GradingError> {
    let values = [Value::Number(score)];
    let eval_error = |source| GradingError::Eval {
        scale: scale.to_string(),
        source,
    };
    for (when, points) in cases {
        if when.eval(&values, &[]).map_err(eval_error)? {
            return points.eval(&values).map_err(eval_error);
        }
    }
    match otherwise {
        Some(points) => points.eval(&values).map_err(eval_error),
        None => Err(GradingError::NoCase {
            scale: scale.to_string(),
            score,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pku() -> CompiledScale {
        let text = "scale pku formula over [0, 100] pass 60 {
          when score >= 60 => 4 - 3 * (100 - score) ^ 2 / 1600
          else => 0
        }";
        let file = creditbank_dsl::parse(&creditbank_dsl::SourceFile::new("t.cbr", text)).file;
        let scale = file
            .items
            .iter()
            .find_map(|item| match &item.value {
                ast::Item::Scale(scale) => Some(scale),
                _ => None,
            })
            .unwrap();
        CompiledScale::compile(scale).unwrap()
    }

    fn direct(scale: &CompiledScale, score: Decimal) -> Result<Decimal, GradingError> {
        match &scale.body {
            Body::Numeric {
                rule:
                    NumericRule::Formula {
                        cases, otherwise, ..
                    },
                ..
            } => formula_points(&scale.id, cases, otherwise.as_ref(), score),
            _ => unreachable!("a formula scale"),
        }
    }

    #[test]
    fn the_memo_gives_the_formulas_points_with_the_same_digits_for_every_spelling() {
        let scale = pku();
        for tenths in 0..=1000 {
            for score in [
                Decimal::new(tenths, 1),
                Decimal::new(tenths * 10, 2),
                Decimal::new(tenths, 1).normalize(),
            ] {
                let memo = scale.points(&GradeInput::Score(score)).unwrap().points;
                let want = direct(&scale, score).unwrap();
                assert_eq!(
                    memo.map(|p| p.to_string()),
                    Some(want.to_string()),
                    "{score}"
                );
            }
        }
        assert_eq!(
            scale
                .points(&GradeInput::Score("59.5".parse().unwrap()))
                .unwrap()
                .points,
            Some(Decimal::ZERO)
        );
    }

    #[test]
    fn scores_between_tenths_are_evaluated_exactly() {
        let scale = pku();
        let score: Decimal = "85.25".parse().unwrap();
        assert_eq!(
            scale.points(&GradeInput::Score(score)).unwrap().points,
            Some(direct(&scale, score).unwrap())
        );
    }
}
