//! Pure evaluation of learner records against checked rulesets.
//!
//! This crate does no IO and reads no clock: everything it needs, "today" included, is an
//! input. Evaluation (recognised credits, caps, GPA, warnings, review decisions, eligibility,
//! each with its explanation) is built on top of the modules here; so far the crate holds the
//! one place where reported figures are rounded.

pub mod expr;
pub mod grading;
pub mod library;
pub mod plan;
pub mod record;
pub mod rounding;
pub mod standing;
pub mod transcript;

pub use rounding::round;
