//! `creditbank test`: the bundled cases pass; a wrong expectation fails with a readable diff.

use super::{creditbank, root, stdout};

#[test]
fn the_bundled_cases_pass() {
    let out = creditbank(&["test", "rulesets/"], None);
    let text = stdout(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains(" passed, 0 failed"), "{text}");
    assert!(text.contains("coverage: "), "{text}");
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
    let out = creditbank(&["test", "rulesets/", "--min-coverage", "100"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("error: coverage is below the minimum of 100%"));
}
