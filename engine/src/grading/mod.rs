//! Grade scales, the GPA policy, and the GPA.
//!
//! Each `scale` of a ruleset compiles once into a [`CompiledScale`] that turns a score or a
//! grade into [`Graded`] (grade points and whether it passes); the `gpa` block compiles, with
//! the scales it uses, into a [`GradingPolicy`] that grades any transcript entry and says which
//! courses count; [`gpa`] then averages the attempts that count under the retake policy and the
//! weight, exactly: the caller rounds the result once, with [`crate::rounding::round`].
//!
//! Courses, categories and tags are numbered by the caller (see [`PolicyIds`];
//! [`crate::plan::CatalogPlan`] numbers them in the order the ruleset declares them), so that evaluation compares small
//! integers, not strings.

mod gpa;
mod policy;
mod scale;
#[cfg(test)]
mod tests;

pub use gpa::{
    gpa, gpa_counted, gpa_grouped, gpa_of_counting, gpa_with, CountedAttempt, GpaAttempt, GpaResult,
};
pub use policy::{CourseFacts, GradingPolicy, PolicyGrade, PolicyIds, ScaleUsed};
pub use scale::{CompiledScale, GradeInput, Graded, ScaleShape};

use crate::expr::{CompileError, EvalError};
use rust_decimal::Decimal;

/// Why a scale or policy could not be compiled, or a grade could not be graded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GradingError {
    /// A score outside the scale's `over [MIN, MAX]`: not a grade, the record is rejected.
    #[error("score `{score}` is outside the range of scale `{scale}`")]
    ScoreOutOfRange {
        /// The scale.
        scale: String,
        /// The score.
        score: Decimal,
    },
    /// A score that no band of the scale covers.
    #[error("score `{score}` falls in no band of scale `{scale}`")]
    NoBand {
        /// The scale.
        scale: String,
        /// The score.
        score: Decimal,
    },
    /// A score that no case of a formula scale matches, in a scale without `else`.
    #[error("score `{score}` matches no case of scale `{scale}`")]
    NoCase {
        /// The scale.
        scale: String,
        /// The score.
        score: Decimal,
    },
    /// A grade label that the scales do not define.
    #[error("grade `{label}` is not defined by {scales}")]
    UnknownGrade {
        /// The label as given.
        label: String,
        /// Which scales were searched, for the message: "scale `x`" or "the GPA policy's scales".
        scales: String,
    },
    /// A text grade given to a scale of scores.
    #[error("scale `{scale}` grades scores, not a grade like `{label}`")]
    NotAScore {
        /// The scale.
        scale: String,
        /// The label given.
        label: String,
    },
    /// A score given to a scale of text grades.
    #[error("scale `{scale}` grades text grades, not a score like `{score}`")]
    NotALabel {
        /// The scale.
        scale: String,
        /// The score given.
        score: Decimal,
    },
    /// A formula's arithmetic failed.
    #[error("grade points of scale `{scale}`: {source}")]
    Eval {
        /// The scale.
        scale: String,
        /// What failed.
        source: EvalError,
    },
    /// A formula does not compile.
    #[error("scale `{scale}`: {source}")]
    Compile {
        /// The scale.
        scale: String,
        /// What failed.
        source: CompileError,
    },
    /// The policy names a scale the ruleset does not define.
    #[error("unknown grade scale `{0}`")]
    UnknownScale(String),
    /// The policy uses a scale of the wrong shape (`scores use` a text scale, ...).
    #[error("scale `{scale}` cannot grade {expected}")]
    WrongShape {
        /// The scale.
        scale: String,
        /// What it was asked to grade.
        expected: &'static str,
    },
    /// The policy names a category the caller's numbering does not know.
    #[error("unknown category `{0}`")]
    UnknownCategory(String),
    /// The policy names a course the caller's numbering does not know.
    #[error("unknown course `{0}`")]
    UnknownCourse(String),
    /// A sum too large for a decimal.
    #[error("the grade point sum overflows")]
    Overflow,
}
