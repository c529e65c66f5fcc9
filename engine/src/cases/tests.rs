use super::*;
use creditbank_dsl::SourceFile;

const RULESET: &str = r#"ruleset "t/ug" version "1.0" {
  title "t"
  effective 2026-09-01
  rounding credits half-up 1
}
categories { major "专业" }
scale pct bands over [0, 100] pass 60 { [60, 100] => 4 [0, 60) => 0 }
gpa { retake best scores use pct }
catalog { course A1 "课程一" category major credits 2 course B2 "课程二" category major credits 3 }
graduation {
  requires total at least 5
  requires courses A1, B2
}
"#;

fn library() -> Library {
    let sources = [SourceFile::new("t.cbr", RULESET)];
    Library::build(&sources, creditbank_dsl::check_set(&sources)).expect("the ruleset builds")
}

fn case(expect: &str) -> CaseFile {
    CaseFile {
        name: "t.yaml".into(),
        text: format!(
            r#"- name: one course
  learner:
    learner: "1"
    program: t/ug
    enrolled: 2026-09-01
    as_of: 2027-01-31
    term: 1
    courses: [{{ course: A1, term: 1, score: 90 }}]
  expect:
{expect}
"#
        ),
    }
}

#[test]
fn a_matching_case_passes_and_covers_what_its_report_cites() {
    let result = run(
        &library(),
        &[case(
            "    total_credits: \"2.0\"\n    graduation: { met: false }",
        )],
    );
    assert_eq!(result.cases.len(), 1);
    assert!(result.cases[0].passed(), "{:?}", result.cases[0]);
    assert_eq!(result.cases[0].ruleset.as_deref(), Some("t/ug 1.0"));
    // Both graduation requirements were judged.
    assert_eq!(result.coverage_total(), (2, 2));
}

#[test]
fn a_wrong_expectation_fails_with_its_path() {
    let result = run(
        &library(),
        &[case(
            "    graduation:\n      requirements:\n        - { id: graduation/2, status: met }",
        )],
    );
    let Verdict::Failed { differences } = &result.cases[0].verdict else {
        panic!("expected a failure: {:?}", result.cases[0]);
    };
    assert_eq!(
        differences[0].to_string(),
        r#"graduation.requirements[1].status: expected "met", got "unmet""#
    );
}

#[test]
fn an_unknown_version_is_an_error_not_a_panic() {
    let mut file = case("    term: 1");
    file.text = file
        .text
        .replace("- name: one course", "- name: x\n  ruleset: \"9.9\"");
    let result = run(&library(), &[file]);
    assert!(matches!(result.cases[0].verdict, Verdict::Error { .. }));
    assert_eq!(result.failed(), 1);
}

#[test]
fn a_malformed_document_is_an_error() {
    let file = CaseFile {
        name: "bad.yaml".into(),
        text: "name: x\nlearner: {}\n".into(),
    };
    let result = run(&library(), &[file]);
    assert!(matches!(result.cases[0].verdict, Verdict::Error { .. }));
}

#[test]
fn a_known_defect_is_reported_without_failing_and_a_fixed_one_fails() {
    let wrong = "    graduation:\n      requirements:\n        - { id: graduation/2, status: met }";
    let mut file = case(wrong);
    file.text = file
        .text
        .replace("- name: one course", "- name: x\n  known_defect: \"d\"");
    let result = run(&library(), &[file]);
    assert!(matches!(
        result.cases[0].verdict,
        Verdict::KnownDefect { .. }
    ));
    assert_eq!((result.failed(), result.known_defects()), (0, 1));

    let mut file = case("    term: 1");
    file.text = file
        .text
        .replace("- name: one course", "- name: x\n  known_defect: \"d\"");
    let result = run(&library(), &[file]);
    assert!(matches!(result.cases[0].verdict, Verdict::Fixed { .. }));
    assert_eq!(result.failed(), 1);
}

#[test]
fn a_misspelt_field_is_named_and_an_empty_file_has_no_cases() {
    let file = CaseFile {
        name: "bad.yaml".into(),
        text: "- name: x\n  learner: {}\n  expect: {}\n  expected: {}\n".into(),
    };
    let result = run(&library(), &[file]);
    let Verdict::Error { message } = &result.cases[0].verdict else {
        panic!("expected an error: {:?}", result.cases[0]);
    };
    assert_eq!(result.cases[0].name, "x");
    assert!(message.contains("expected"), "{message}");

    let empty = CaseFile {
        name: "empty.yaml".into(),
        text: "# nothing yet\n".into(),
    };
    assert!(run(&library(), &[empty]).cases.is_empty());
}
