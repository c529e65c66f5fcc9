//! `creditbank eval`

use super::*;

/// The JSON report of the good-standing example, evaluated with `more` arguments.
fn good_standing_json(more: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "eval",
        "--learner",
        "examples/learner-good-standing.yaml",
        "--format",
        "json",
    ];
    args.extend_from_slice(more);
    let out = creditbank(&args, None);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("valid JSON")
}

#[test]
fn evaluates_an_example_learner_as_json_with_the_version_and_hash() {
    let report = good_standing_json(&[]);
    assert_eq!(report["ruleset"]["id"], "demo-university/undergraduate");
    assert!(report["ruleset"]["content_hash"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));
    assert!(report["categories"].as_array().unwrap().len() >= 4);
    assert!(report["gpa"]["value"].is_string(), "{report}");
}

/// `--explain rules` cites every rule `reasons` does, without the sentences.
#[test]
fn explain_rules_cites_the_rules_without_the_words() {
    let (rules, reasons) = (
        good_standing_json(&["--explain", "rules"]),
        good_standing_json(&["--explain", "reasons"]),
    );
    let requirements = |r: &serde_json::Value| r["graduation"]["requirements"].clone();
    let (with, without) = (requirements(&reasons), requirements(&rules));
    assert_eq!(
        with.as_array().unwrap().len(),
        without.as_array().unwrap().len()
    );
    for (a, b) in with
        .as_array()
        .unwrap()
        .iter()
        .zip(without.as_array().unwrap())
    {
        assert_eq!(a["rule"], b["rule"]);
        assert!(
            b["rule"]["at"]
                .as_str()
                .is_some_and(|at| at.contains(".cbr:")),
            "{b}"
        );
        assert!(b.get("missing").is_none(), "{b}");
    }
    assert!(
        with.as_array()
            .unwrap()
            .iter()
            .any(|q| q.get("missing").is_some()),
        "the example has an unmet requirement, told in words with reasons"
    );
    assert_eq!(rules["courses"], reasons["courses"]);
    assert_eq!(rules["gpa"], reasons["gpa"]);
}

#[test]
fn the_table_names_the_ruleset_and_the_gpa() {
    let out = creditbank(
        &["eval", "--learner", "examples/learner-good-standing.yaml"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("demo-university/undergraduate"), "{text}");
    assert!(text.contains("GPA"), "{text}");
    assert!(text.contains("total"), "{text}");
}

#[test]
fn a_bad_record_names_the_field_and_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(
        &path,
        "learner: \"x1\"\nprogram: demo-university/undergraduate\nenrolled: 2026-09-01\nterm: 1\ncourses:\n  - { course: CS101, term: one, score: 90 }\n",
    )
    .unwrap();
    let out = creditbank(&["eval", "--learner", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("x1") && err.contains("courses[0].term"),
        "{err}"
    );
}

#[test]
fn an_unknown_program_lists_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.yaml");
    std::fs::write(
        &path,
        "learner: \"x2\"\nprogram: no/such\nenrolled: 2026-09-01\nas_of: 2027-01-01\nterm: 1\n",
    )
    .unwrap();
    let out = creditbank(&["eval", "--learner", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no ruleset `no/such`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn warnings_and_graduation_show_in_the_table() {
    let out = creditbank(
        &["eval", "--learner", "examples/learner-warning.json"],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("warning   red"), "{text}");
    assert!(text.contains("graduation"), "{text}");
    assert!(text.contains("needs 4.0 more innovation credits"), "{text}");
    // Not a terminal: no colour codes in the output.
    assert!(!text.contains('\x1b'), "{text}");
}

#[test]
fn what_if_evaluates_the_same_record_under_another_version() {
    let out = creditbank(
        &[
            "what-if",
            "--learner",
            "examples/learner-good-standing.yaml",
            "--program",
            "demo-university/undergraduate@2025.1",
            "--format",
            "json",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["ruleset"]["version"], "2025.1");
    assert_eq!(report["ruleset"]["selected"], "what-if: named version");
}

#[test]
fn review_sorts_applications_into_decisions_with_reasons() {
    let out = creditbank(
        &[
            "review",
            "--applications",
            "examples/applications.yaml",
            "--format",
            "json",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let decisions: Vec<&str> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["decision"].as_str().unwrap())
        .collect();
    assert_eq!(
        decisions,
        ["approved", "rejected", "approved", "unrecognised"]
    );
    assert_eq!(lines[1]["reason"], "须提交获奖证书");
    let csv = stdout(&creditbank(
        &[
            "review",
            "--applications",
            "examples/applications.yaml",
            "--format",
            "csv",
        ],
        None,
    ));
    assert!(
        csv.starts_with("learner,outcome,kind,decision,reason,at\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 5);
}
