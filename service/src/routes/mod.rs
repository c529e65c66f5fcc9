//! The handlers, one module per area; each is documented for the OpenAPI document.

pub mod admin;
pub mod check;
pub mod cohort;
pub mod evaluate;
pub mod health;
pub mod review;
pub mod rulesets;
