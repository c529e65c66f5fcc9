//! `creditbank test`: the bundled cases pass; a wrong expectation fails with a readable diff.

use super::{creditbank, root, stdout};

#[test]
fn the_bundled_cases_pass() {
    let out = creditbank(&["test", "rulesets/"], None);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(" passed, 0 failed"), "{text}");
    let line = text
        .lines()
        .find(|l| l.starts_with("coverage: "))
        .expect("a total coverage line");
    let percent: f64 = line["coverage: ".len()..]
        .split('%')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("a percentage");
    assert!(percent >= 90.0, "{line}");
}

#[test]
fn the_bundled_cases_meet_the_ci_minimum() {
    let out = creditbank(&["test", "rulesets/", "--min-coverage", "90"], None);
    assert!(out.status.success(), "{}", stdout(&out));
}

#[test]
fn json_output_lists_each_case_and_rule() {
    let out = creditbank(&["test", "rulesets/", "--format", "json"], None);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON output");
    assert_eq!(value["failed"], 0);
    assert!(value["cases"].as_array().is_some_and(|c| c.len() >= 60));
    assert!(value["coverage"][0]["units"][0]["at"].is_string());
}

#[test]
fn a_wrong_case_fails_with_a_diff_and_exit_1() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let rulesets = root().join("rulesets/demo-university/undergraduate");
    let target = dir.path().join("undergraduate");
    std::fs::create_dir_all(target.join("tests")).expect("the copy's dirs");
    for name in ["2025.1.cbr", "2026.1.cbr"] {
        std::fs::copy(rulesets.join(name), target.join(name)).expect("the ruleset copies");
    }
    std::fs::write(
        target.join("tests/wrong.yaml"),
        r#"- name: a national first prize wrongly expected to earn 5 credits
  learner:
    learner: "W-1"
    program: demo-university/undergraduate
    enrolled: 2026-09-01
    as_of: 2027-07-01
    term: 2
    outcomes:
      - id: c1
        kind: competition
        attributes: { name: "挑战杯", level: national, award: first, listed: "yes" }
        date: 2027-05-20
        evidence: [certificate, notice]
  expect:
    outcomes:
      - { id: c1, decision: approved, credits: "5.0" }
"#,
    )
    .expect("the case is written");
    let dir_arg = dir.path().to_string_lossy().into_owned();
    let out = creditbank(&["test", &dir_arg], None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("FAILED  a national first prize"), "{text}");
    assert!(
        text.contains(r#"outcomes[0].credits: expected "5.0", got "4.0""#),
        "{text}"
    );
    assert!(text.contains("0 passed, 1 failed"), "{text}");
}

#[test]
fn too_little_coverage_fails() {
    // The undergraduate rulesets with no cases of their own: nothing is exercised.
    let dir = tempfile::tempdir().expect("a temp dir");
    let rulesets = root().join("rulesets/demo-university/undergraduate");
    for name in ["2025.1.cbr", "2026.1.cbr"] {
        std::fs::copy(rulesets.join(name), dir.path().join(name)).expect("the ruleset copies");
    }
    let dir_arg = dir.path().to_string_lossy().into_owned();
    let out = creditbank(&["test", &dir_arg, "--min-coverage", "90"], None);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("coverage: 0.0% (0 of 178 rules)"), "{text}");
    assert!(
        text.contains("error: coverage is below the minimum of 90%"),
        "{text}"
    );
}
