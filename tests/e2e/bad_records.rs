//! Bad learner records through `creditbank eval`: refused with exit code 2 and a message naming
//! the learner and the field, or evaluated with the bad item unrecognised in the JSON report.

use super::*;

const BASE: &str = "learner: \"2026010777\"\nprogram: demo-university/undergraduate\nenrolled: 2026-09-01\nas_of: 2028-07-01\nterm: 4\n";

/// Writes `text` to a temporary file named `name` and evaluates it as JSON.
fn eval_file(name: &str, text: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    creditbank(
        &[
            "eval",
            "--learner",
            path.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    )
}

fn refused(name: &str, text: &str, field: &str) {
    let out = eval_file(name, text);
    assert_eq!(out.status.code(), Some(2), "{name}: {}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("2026010777") && err.contains(field),
        "{name}: expected the learner and `{field}` in: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(stdout(&out).is_empty(), "{name}: no report on error");
}

#[test]
fn records_with_bad_fields_exit_2_naming_the_learner_and_the_field() {
    refused(
        "score.yaml",
        &format!("{BASE}courses: [{{ course: CS101, term: 1, score: 100.5 }}]\n"),
        "courses[0].score",
    );
    refused(
        "misspelt.yaml",
        &format!("{BASE}courses: [{{ course: CS101, term: 1, scroe: 80 }}]\n"),
        "scroe",
    );
    refused(
        "date.yaml",
        &format!("{BASE}outcomes: [{{ id: a, kind: mooc, date: 2027-02-29 }}]\n"),
        "outcomes[0].date",
    );
    refused(
        "duplicate.yaml",
        &format!(
            "{BASE}outcomes:\n  - {{ id: x, kind: mooc, date: 2027-01-01 }}\n  - {{ id: x, kind: mooc, date: 2027-01-02 }}\n"
        ),
        "outcomes[1].id",
    );
    refused(
        "credits.json",
        r#"{"learner": "2026010777", "program": "demo-university/undergraduate", "enrolled": "2026-09-01", "term": 4, "courses": [{"course": "X1", "term": 1, "score": 80, "credits": -2, "category": "general"}]}"#,
        "courses[0].credits",
    );
}

#[test]
fn malformed_and_deeply_nested_records_exit_2_without_a_panic() {
    refused(
        "deep.yaml",
        &format!("{BASE}courses: {}", "[".repeat(10_000)),
        "line",
    );
    refused(
        "comma.json",
        r#"{"learner": "2026010777", "program": "p", "term": 4,, }"#,
        "line 1",
    );
}

fn report(name: &str, text: &str) -> serde_json::Value {
    let out = eval_file(name, text);
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("valid JSON")
}

#[test]
fn unknown_ids_are_evaluated_and_reported_unrecognised_with_a_reason() {
    let r = report(
        "unknown.yaml",
        &format!(
            "{BASE}courses:\n  - {{ course: CS101, term: 1, score: 90 }}\n  - {{ course: ＣＳ１０１, term: 1, score: 90 }}\noutcomes:\n  - {{ id: h, kind: hackathon, date: 2027-01-01 }}\n  - {{ id: c, kind: competition, date: 2027-01-01, attributes: {{ level: international }}, review: approved }}\n"
        ),
    );
    let courses = r["courses"].as_array().unwrap();
    let full_width = courses
        .iter()
        .find(|c| c["course"] == "ＣＳ１０１")
        .expect("the full-width code is reported");
    assert_eq!(full_width["status"], "unrecognised");
    assert!(full_width["reasons"][0]
        .as_str()
        .unwrap()
        .contains("not in the catalog"));
    let outcomes = r["outcomes"].as_array().unwrap();
    for (id, says) in [
        ("h", "`hackathon` is not an outcome kind"),
        ("c", "cannot be `international`"),
    ] {
        let line = outcomes
            .iter()
            .find(|o| o["id"] == id)
            .unwrap_or_else(|| panic!("outcome `{id}` is reported: {r}"));
        assert_eq!(line["decision"], "unrecognised", "{line}");
        assert_eq!(line["credits"], "0.0", "{line}");
        assert!(
            line["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|reason| reason.as_str().unwrap().contains(says)),
            "{line}"
        );
    }
    // The rest of the record still counts: CS101 earns its 3 major credits.
    let major = r["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "major")
        .unwrap();
    assert_eq!(major["credits"], "3.0");
}

#[test]
fn an_unrecognised_course_is_shown_even_without_explanations() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("transfer.yaml");
    std::fs::write(
        &path,
        format!("{BASE}courses: [{{ course: XFER1, term: 1, score: 80, category: general }}]\n"),
    )
    .unwrap();
    let out = creditbank(
        &[
            "eval",
            "--learner",
            path.to_str().unwrap(),
            "--format",
            "json",
            "--explain",
            "none",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let line = &r["courses"][0];
    assert_eq!(line["course"], "XFER1");
    assert_eq!(line["status"], "unrecognised");
    assert!(line["reasons"][0]
        .as_str()
        .unwrap()
        .contains("needs `credits` and `category`"));
}
