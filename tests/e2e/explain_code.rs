//! `creditbank explain-code`

use super::*;

#[test]
fn explains_a_code_with_an_example() {
    let out = creditbank(&["explain-code", "E011"], None);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("# E011: unknown category"), "{text}");
    assert!(text.contains("```"), "{text}");
}

#[test]
fn lists_every_code() {
    let out = creditbank(&["explain-code", "--list"], None);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.lines().count() >= 30, "{text}");
    assert!(text.contains("E001  syntax error"));
    assert!(text.contains("W003"));
}

#[test]
fn an_unknown_code_is_a_usage_error() {
    let out = creditbank(&["explain-code", "E999"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`E999` is not a diagnostic code"));
}
