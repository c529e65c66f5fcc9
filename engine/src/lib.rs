//! Pure evaluation of learner records against checked rulesets.
//!
//! This crate does no IO and reads no clock: everything it needs, "today" included, is an
//! input. A ruleset version is compiled once into a [`evaluate::Plan`]; [`evaluate::evaluate`]
//! then turns a learner record into a [`report::Report`]: credits per category, GPA and failed
//! credits, non-course outcomes (review, conversion, caps), warnings, and graduation,
//! program and certificate requirements, each figure with the rule that produced it.

pub mod applications;
pub mod cases;
pub mod evaluate;
pub mod exact_sum;
pub mod expr;
pub mod few;
pub mod grading;
pub mod json;
pub mod library;
pub mod outcomes;
pub mod plan;
pub mod record;
pub mod report;
pub mod requirements;
pub mod rounding;
pub mod standing;
pub mod text;
pub mod transcript;
pub mod warnings;

pub use rounding::round;
