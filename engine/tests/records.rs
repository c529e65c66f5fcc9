//! Learner records: the bundled examples, round trips, and every kind of bad input.

use std::path::PathBuf;

use creditbank_dsl::ast::Date;
use creditbank_engine::record::{
    from_json, from_json_value, from_yaml, AttributeValue, ExceptionAction, LearnerRecord, Mark,
    RecordError, ReviewStatus,
};
use rust_decimal::Decimal;

/// The example learner records (`examples/learner-*`; other examples, such as a batch of
/// applications for review, have their own schema).
fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("learner-"))
                && matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("json" | "yaml" | "yml")
                )
        })
        .collect();
    files.sort();
    files
}

fn read(path: &PathBuf) -> LearnerRecord {
    let text = std::fs::read_to_string(path).unwrap();
    let parsed = if path.extension().is_some_and(|e| e == "json") {
        from_json(&text)
    } else {
        from_yaml(&text)
    };
    parsed.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn date(text: &str) -> Date {
    creditbank_engine::record::parse_date(text).unwrap()
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn every_example_parses() {
    let files = examples();
    assert!(files.len() >= 3, "{files:?}");
    for path in &files {
        let record = read(path);
        assert_eq!(record.program, "demo-university/undergraduate");
        assert!(!record.courses.is_empty());
    }
}

#[test]
fn every_example_round_trips_through_json_and_yaml() {
    for path in examples() {
        let record = read(&path);
        let json = serde_json::to_string_pretty(&record).unwrap();
        let from_json_text = from_json(&json).unwrap();
        assert_eq!(from_json_text, record, "{}", path.display());
        let yaml = serde_yaml::to_string(&from_json_text).unwrap();
        let back = from_yaml(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
        assert_eq!(back, record, "{}", path.display());
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(from_json_value(value).unwrap(), record);
    }
}

#[test]
fn golden_good_standing_example() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/learner-good-standing.yaml");
    let r = read(&path);
    assert_eq!(r.learner, "2026010001");
    assert_eq!(r.enrolled, date("2026-09-01"));
    assert_eq!(r.as_of, Some(date("2028-07-01")));
    assert_eq!(r.term, 4);
    assert_eq!(r.courses.len(), 39);
    let mth101 = r.courses.iter().find(|c| c.course == "MTH101").unwrap();
    assert_eq!(mth101.mark, Mark::Score(dec("92.5")));
    assert_eq!(r.courses[3].mark, Mark::Grade("良好".into()));
    let comp = &r.outcomes[0];
    assert_eq!(comp.kind, "competition");
    assert_eq!(
        comp.attributes["level"],
        AttributeValue::Text("national".into())
    );
    assert_eq!(
        comp.attributes["awarded-on"],
        AttributeValue::Date(date("2027-08-20"))
    );
    assert_eq!(comp.evidence, ["certificate", "notice"]);
    assert_eq!(
        r.outcomes[1].attributes["score"],
        AttributeValue::Number(dec("568"))
    );
    assert_eq!(r.outcomes[0].review, None);
}

#[test]
fn golden_exceptions_example() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/learner-exceptions.yaml");
    let r = read(&path);
    let actions: Vec<&ExceptionAction> = r.exceptions.iter().map(|e| &e.action).collect();
    assert_eq!(
        actions,
        [
            &ExceptionAction::Waive {
                requirement: "cs-electives".into()
            },
            &ExceptionAction::Substitute {
                course: "CS305".into(),
                replaces: "CS304".into()
            },
            &ExceptionAction::Force {
                category: "innovation".into(),
                credits: dec("2")
            },
            &ExceptionAction::Version {
                version: "2026.1".into()
            },
        ]
    );
    assert_eq!(r.exceptions[0].by, "教务处");
    let withdrawn = r.courses.iter().find(|c| c.course == "CS307").unwrap();
    assert_eq!(withdrawn.mark, Mark::Withdrawn);
    let transfer = r.courses.last().unwrap();
    assert_eq!(transfer.credits, Some(dec("2")));
    assert_eq!(transfer.institution.as_deref(), Some("xuetangx"));
    assert_eq!(transfer.category.as_deref(), Some("general"));
    let reviews: Vec<Option<ReviewStatus>> = r.outcomes.iter().map(|o| o.review).collect();
    assert_eq!(
        reviews,
        [
            None,
            Some(ReviewStatus::Pending),
            Some(ReviewStatus::Approved),
            Some(ReviewStatus::Rejected)
        ]
    );
    assert_eq!(
        r.outcomes[3].attributes["score"],
        AttributeValue::Number(dec("7.0"))
    );
}

// ---------------------------------------------------------------------------------------------
// Errors

const BASE: &str = r#"learner: "2026010001"
program: "demo-university/undergraduate"
enrolled: 2026-09-01
as_of: 2028-07-01
term: 4
"#;

fn yaml_err(extra: &str) -> RecordError {
    let text = format!("{BASE}{extra}");
    from_yaml(&text).expect_err(&text)
}

fn yaml_msg(extra: &str) -> String {
    yaml_err(extra).to_string()
}

#[test]
fn golden_bad_date_names_learner_path_and_value() {
    let e = yaml_msg(
        "outcomes:\n  - { id: a, kind: mooc, date: 2027-01-01 }\n  - { id: b, kind: mooc, date: 2027-01-02 }\n  - { id: c, kind: mooc, date: 2027-02-30 }\n",
    );
    assert_eq!(
        e,
        "learner `2026010001`: outcomes[2].date: `2027-02-30` is not a date"
    );
}

#[test]
fn bad_dates() {
    assert!(
        yaml_msg("courses: []\noutcomes: [{ id: a, kind: k, date: 2027-13-01 }]\n")
            .contains("outcomes[0].date: `2027-13-01` is not a date")
    );
    let e = from_yaml(&BASE.replace("2026-09-01", "2026/09/01")).unwrap_err();
    assert_eq!(e.path(), "enrolled");
    let e = from_json(r#"{"learner":"x","program":"p","enrolled":20260901,"term":1}"#).unwrap_err();
    assert_eq!(e.path(), "enrolled");
    assert!(
        e.message().contains("expected a date written YYYY-MM-DD"),
        "{e}"
    );
    let e = from_yaml(&BASE.replace("as_of: 2028-07-01", "as_of: 2029-02-29")).unwrap_err();
    assert_eq!(e.path(), "as_of");
}

#[test]
fn dates_out_of_order() {
    let e = from_yaml(&BASE.replace("as_of: 2028-07-01", "as_of: 2026-08-31")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "learner `2026010001`: enrolled: `2026-09-01` is after `as_of` `2026-08-31`"
    );
    let e = yaml_msg("outcomes: [{ id: a, kind: mooc, date: 2028-07-02 }]\n");
    assert!(
        e.contains("outcomes[0].date: `2028-07-02` is after `as_of` `2028-07-01`"),
        "{e}"
    );
    // Without as_of, the caller's date takes its place.
    let text = BASE.replace("as_of: 2028-07-01\n", "")
        + "outcomes: [{ id: a, kind: mooc, date: 2028-07-02 }]\n";
    let r = from_yaml(&text).unwrap();
    assert!(r.validate_on(date("2028-07-02")).is_ok());
    let e = r.validate_on(date("2028-07-01")).unwrap_err();
    assert!(e.message().contains("after the evaluation date"), "{e}");
    assert_eq!(r.evaluation_date(date("2030-01-01")), date("2030-01-01"));
}

#[test]
fn scores_and_credits_out_of_range() {
    let e = yaml_err("courses:\n  - { course: CS101, term: 1, score: 100.5 }\n");
    assert_eq!(e.path(), "courses[0].score");
    assert_eq!(e.message(), "`100.5` is not a percentage score (0 to 100)");
    let e = yaml_err("courses:\n  - { course: CS101, term: 1, score: -1 }\n");
    assert_eq!(e.path(), "courses[0].score");
    for edge in ["0", "100", "\"100.000\""] {
        let text = format!("{BASE}courses: [{{ course: CS101, term: 1, score: {edge} }}]\n");
        assert!(from_yaml(&text).is_ok(), "{edge}");
    }
    let e = yaml_err("courses:\n  - { course: T-1, term: 1, score: 80, credits: -2 }\n");
    assert_eq!(e.path(), "courses[0].credits");
    assert!(e.message().contains("negative"));
    let e = yaml_err("exceptions:\n  - { force: innovation, credits: 0, by: a, reason: b }\n");
    assert_eq!(e.path(), "exceptions[0].credits");
}

#[test]
fn terms() {
    let e = from_yaml(&BASE.replace("term: 4", "term: 0")).unwrap_err();
    assert_eq!(e.path(), "term");
    let e = from_yaml(&BASE.replace("term: 4", "term: -1")).unwrap_err();
    assert_eq!(e.path(), "term");
    assert!(e.message().contains("terms count from 1"), "{e}");
    let e = from_yaml(&BASE.replace("term: 4", "term: 2.5")).unwrap_err();
    assert_eq!(e.path(), "term");
    let e = from_yaml(&BASE.replace("term: 4", "term: 99999999999999")).unwrap_err();
    assert!(e.message().contains("too large"), "{e}");
    let e = from_yaml(&BASE.replace("term: 4", "term: four")).unwrap_err();
    assert_eq!(e.path(), "term");
    assert!(e.message().contains("a term number"), "{e}");
    let e = yaml_err("courses: [{ course: CS101, term: 5, score: 80 }]\n");
    assert_eq!(e.message(), "term 5 is after the current term 4");
    let e = yaml_err("courses: [{ course: CS101, term: 0, score: 80 }]\n");
    assert_eq!(e.path(), "courses[0].term");
}

#[test]
fn score_or_grade_not_both() {
    let e = yaml_err("courses: [{ course: CS101, term: 1, score: 80, grade: 良好 }]\n");
    assert_eq!(e.path(), "courses[0]");
    assert!(e.message().contains("both a `score` and a `grade`"), "{e}");
    let e = yaml_err("courses: [{ course: CS101, term: 1 }]\n");
    assert!(e.message().contains("neither"), "{e}");
}

#[test]
fn duplicates() {
    let e = yaml_err(
        "courses:\n  - { course: CS101, term: 1, score: 50 }\n  - { course: CS101, term: 2, score: 70 }\n  - { course: CS101, term: 1, score: 80 }\n",
    );
    assert_eq!(
        e.to_string(),
        "learner `2026010001`: courses[2]: `CS101` is attempted twice in term 1 (also courses[0])"
    );
    let e = yaml_err(
        "outcomes:\n  - { id: x, kind: mooc, date: 2027-01-01 }\n  - { id: x, kind: paper, date: 2027-01-01 }\n",
    );
    assert_eq!(e.path(), "outcomes[1].id");
    let e = yaml_err("outcomes:\n  - { id: x, kind: mooc, date: 2027-01-01, evidence: [a, a] }\n");
    assert_eq!(e.path(), "outcomes[0].evidence[1]");
    let e = from_json(
        r#"{"learner":"x","program":"p","enrolled":"2026-09-01","term":1,
            "outcomes":[{"id":"a","kind":"k","date":"2026-10-01","attributes":{"level":"n","level":"m"}}]}"#,
    )
    .unwrap_err();
    assert!(
        e.message().contains("attribute `level` is given twice"),
        "{e}"
    );
    assert!(e.path().starts_with("outcomes[0].attributes"), "{e}");
    let e = from_json(
        r#"{"learner":"x","learner":"y","program":"p","enrolled":"2026-09-01","term":1}"#,
    )
    .unwrap_err();
    assert!(e.message().contains("duplicate field `learner`"), "{e}");
    let e = yaml_err(
        "exceptions:\n  - { version: \"2025.1\", by: a, reason: b }\n  - { version: \"2026.1\", by: a, reason: b }\n",
    );
    assert_eq!(e.path(), "exceptions[1].version");
    let e = yaml_err(
        "exceptions:\n  - { waive: x, by: a, reason: b }\n  - { waive: x, by: c, reason: d }\n",
    );
    assert_eq!(e.path(), "exceptions[1].waive");
    let e = yaml_err("exceptions:\n  - { substitute: A, for: A, by: a, reason: b }\n");
    assert_eq!(e.path(), "exceptions[0].for");
}

#[test]
fn exceptions_shapes() {
    let e = yaml_err("exceptions:\n  - { waive: x, by: \" \", reason: b }\n");
    assert_eq!(e.path(), "exceptions[0].by");
    let e = yaml_err("exceptions:\n  - { waive: x, by: a, reason: \"\" }\n");
    assert_eq!(e.path(), "exceptions[0].reason");
    let e = yaml_err("exceptions:\n  - { waive: x, reason: b }\n");
    assert_eq!(e.path(), "exceptions[0]");
    assert!(e.message().contains("missing field `by`"), "{e}");
    let e = yaml_err("exceptions:\n  - { waive: x, force: y, credits: 1, by: a, reason: b }\n");
    assert!(e.message().contains("both `waive` and `force`"), "{e}");
    let e = yaml_err("exceptions:\n  - { substitute: A, by: a, reason: b }\n");
    assert!(e.message().contains("needs `for`"), "{e}");
    let e = yaml_err("exceptions:\n  - { force: innovation, by: a, reason: b }\n");
    assert!(e.message().contains("needs `credits`"), "{e}");
    let e = yaml_err("exceptions:\n  - { by: a, reason: b }\n");
    assert!(e.message().contains("needs one of"), "{e}");
    let e = yaml_err("exceptions:\n  - { waive: x, for: y, by: a, reason: b }\n");
    assert!(
        e.message().contains("`for` belongs with `substitute`"),
        "{e}"
    );
}

#[test]
fn unknown_and_missing_fields() {
    let e = yaml_err("courses: [{ course: CS101, term: 1, scroe: 80 }]\n");
    assert!(e.path().starts_with("courses[0]"), "{e}");
    assert!(e.message().contains("unknown field `scroe`"), "{e}");
    let e = yaml_err("outcome: []\n");
    assert!(e.message().contains("unknown field `outcome`"), "{e}");
    assert_eq!(e.learner(), Some("2026010001"));
    let e = yaml_err("outcomes: [{ id: a, kind: k, date: 2027-01-01, reveiw: approved }]\n");
    assert!(e.message().contains("unknown field `reveiw`"), "{e}");
    let e = yaml_err("outcomes: [{ id: a, kind: k, date: 2027-01-01, review: aproved }]\n");
    assert_eq!(e.path(), "outcomes[0].review");
    assert!(e.message().contains("`approved`, `rejected`"), "{e}");
    let e = from_yaml(&BASE.replace("term: 4\n", "")).unwrap_err();
    assert_eq!(e.to_string(), "learner `2026010001`: missing field `term`");
    let e = yaml_err("outcomes: [{ id: a, kind: k }]\n");
    assert!(e.message().contains("missing field `date`"), "{e}");
}

#[test]
fn wrong_types() {
    let e = yaml_err("courses: { course: CS101 }\n");
    assert_eq!(e.path(), "courses");
    let e = yaml_err("courses: [CS101]\n");
    assert_eq!(e.path(), "courses[0]");
    assert!(e.message().contains("a course attempt"), "{e}");
    let e = yaml_err("courses: [{ course: CS101, term: 1, score: ninety }]\n");
    assert_eq!(e.path(), "courses[0].score");
    assert!(e.message().contains("`ninety` is not a number"), "{e}");
    let e = yaml_err("outcomes: [{ id: a, kind: k, date: 2027-01-01, attributes: { x: [1] } }]\n");
    assert_eq!(e.path(), "outcomes[0].attributes.x");
    assert!(e.message().contains("text, a number or a date"), "{e}");
    let e = yaml_err("outcomes: [{ id: a, kind: k, date: 2027-01-01, attributes: { x: true } }]\n");
    assert!(e.message().contains("text, a number or a date"), "{e}");
    let e = from_json(r#"{"learner":2026010001,"program":"p","enrolled":"2026-09-01","term":1}"#)
        .unwrap_err();
    assert_eq!(e.path(), "learner");
    assert_eq!(e.learner(), None);
    let e = from_json("[]").unwrap_err();
    assert!(e.message().contains("a learner record"), "{e}");
    for text in ["", "null", "42", "\"text\"", "[1, 2]"] {
        assert!(from_yaml(text).is_err(), "{text:?}");
        assert!(from_json(text).is_err(), "{text:?}");
    }
}

#[test]
fn syntax_errors_still_name_the_learner() {
    let e = from_json(r#"{"learner": "2026010001", "program": "p", "term": 4,, }"#).unwrap_err();
    assert!(matches!(e, RecordError::Syntax { line: 1, .. }), "{e:?}");
    assert_eq!(e.learner(), Some("2026010001"));
    assert!(
        e.to_string()
            .starts_with("learner `2026010001`: syntax error at line 1"),
        "{e}"
    );
    let e = from_yaml(&format!("{BASE}courses:\n  - {{ course: CS101, term: 1\n")).unwrap_err();
    assert!(matches!(e, RecordError::Syntax { .. }), "{e:?}");
    assert_eq!(e.learner(), Some("2026010001"));
    let e = from_yaml("learner: 2026010009 # id\nprogram: [unclosed\n").unwrap_err();
    assert_eq!(e.learner(), Some("2026010009"));
    // Trailing text after the JSON record.
    let e = from_json(r#"{"learner":"x","program":"p","enrolled":"2026-09-01","term":1} extra"#)
        .unwrap_err();
    assert!(matches!(e, RecordError::Syntax { .. }), "{e:?}");
    assert_eq!(e.learner(), Some("x"));
    let e = from_yaml(&format!("{BASE}---\n{BASE}")).unwrap_err();
    assert!(e.message().contains("more than one YAML document"), "{e}");
}

#[test]
fn numbers_exact_and_huge() {
    let text = format!(
        "{BASE}courses: [{{ course: CS101, term: 1, score: \"89.123456789012345678\" }}]\n"
    );
    let r = from_yaml(&text).unwrap();
    assert_eq!(r.courses[0].mark, Mark::Score(dec("89.123456789012345678")));
    let e = yaml_err("courses: [{ course: CS101, term: 1, score: 89.12345678901234567 }]\n");
    assert!(
        e.message().contains("more than 15 significant digits"),
        "{e}"
    );
    let e = yaml_err("courses: [{ course: T, term: 1, score: 1, credits: 1e300 }]\n");
    assert!(e.message().contains("too large"), "{e}");
    let big = "9".repeat(400);
    let e = from_json(&format!(
        r#"{{"learner":"x","program":"p","enrolled":"2026-09-01","term":1,"courses":[{{"course":"T","term":1,"score":1,"credits":{big}}}]}}"#
    ))
    .unwrap_err();
    // serde_json refuses a number that large while reading the text.
    assert!(matches!(e, RecordError::Syntax { .. }), "{e:?}");
    assert_eq!(e.learner(), Some("x"));
    assert!(e.to_string().len() < 300, "{e}");
    let e = yaml_err("courses: [{ course: T, term: 1, score: .nan }]\n");
    assert_eq!(e.path(), "courses[0].score");
    let e = yaml_err(&format!(
        "courses: [{{ course: T, term: 1, score: \"{big}\" }}]\n"
    ));
    assert!(e.message().contains("more digits"), "{e}");
    let json = r#"{"learner":"x","program":"p","enrolled":"2026-09-01","term":1,"courses":[{"course":"T","term":1,"score":0.1,"credits":1e2}]}"#;
    let r = from_json(json).unwrap();
    assert_eq!(r.courses[0].mark, Mark::Score(dec("0.1")));
    assert_eq!(r.courses[0].credits, Some(dec("100")));
}

#[test]
fn deep_nesting_and_aliases_do_not_panic() {
    let deep = "[".repeat(100_000);
    let e = from_json(&format!(r#"{{"learner":"x","courses":{deep}"#)).unwrap_err();
    assert_eq!(e.learner(), Some("x"));
    let e = from_json(&format!(r#"{{"learner":"x","extra":{deep}"#)).unwrap_err();
    assert_eq!(e.learner(), Some("x"));
    let e = from_yaml(&format!("learner: x\ncourses: {deep}")).unwrap_err();
    assert!(
        matches!(
            e,
            RecordError::Syntax {
                line: 2,
                column: 74,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(e.learner(), Some("x"));
    // Brackets in quotes and comments do not count.
    let quoted = "[".repeat(200);
    let text = format!(
        "{BASE}# {quoted}\ncourses: [{{ course: \"{quoted}\", term: 1, grade: 'O''{quoted}' }}]\n"
    );
    from_yaml(&text).unwrap();
    let text = format!("{BASE}courses: [{{ course: O'Brien, term: 1, grade: {deep} }}]\n");
    assert!(matches!(
        from_yaml(&text).unwrap_err(),
        RecordError::Syntax { .. }
    ));
    let nested = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(from_yaml(&format!("{BASE}extra: {nested}\n")).is_err());
    assert!(from_json(&format!(
        r#"{{"learner":"x","program":"p","enrolled":"2026-09-01","term":1,"x":{nested}}}"#
    ))
    .is_err());
    // A "billion laughs" document: aliases that would expand exponentially.
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, name) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().enumerate() {
        let prev = ["a", "b", "c", "d", "e", "f", "g", "h"][i];
        laughs.push_str(&format!("{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    assert!(from_yaml(&laughs).is_err());
}

#[test]
fn odd_unicode() {
    // Ideographic and zero-width characters are text like any other...
    let text = BASE.replace("\"2026010001\"", "\"学号　２０２６🎓\u{200b}\"");
    let r = from_yaml(&text).unwrap();
    assert_eq!(r.learner, "学号　２０２６🎓\u{200b}");
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(from_json(&json).unwrap(), r);
    // ...but blanks around an id, control characters, and empty ids are refused.
    let e = from_yaml(&BASE.replace("\"2026010001\"", "\"2026010001 \"")).unwrap_err();
    assert_eq!(e.path(), "learner");
    let e = from_yaml(&BASE.replace("\"2026010001\"", "\"a\\u0007b\"")).unwrap_err();
    assert!(e.message().contains("control character"), "{e}");
    let e = from_yaml(&BASE.replace("\"2026010001\"", "\"\"")).unwrap_err();
    assert_eq!(e.to_string(), "learner ``: learner: is empty");
    let e = yaml_err("courses: [{ course: \"ＣＳ１０１\u{3000}\", term: 1, score: 80 }]\n");
    assert_eq!(e.path(), "courses[0].course");
    // A right-to-left mark inside a grade is kept as written: the engine will not find it on
    // a scale and say so.
    let text = format!("{BASE}courses: [{{ course: CS101, term: 1, grade: \"\u{200f}良好\" }}]\n");
    assert!(from_yaml(&text).is_ok());
    // Long ids are shortened in messages.
    let long = "长".repeat(500);
    let e = from_yaml(
        &BASE
            .replace("as_of: 2028-07-01", "as_of: 2026-01-01")
            .replace("2026010001", &long),
    )
    .unwrap_err();
    assert!(e.to_string().chars().count() < 150, "{e}");
}

#[test]
fn json_and_yaml_read_the_same_record() {
    let yaml = format!(
        "{BASE}courses:\n  - {{ course: CS101, term: 1, score: 92.5 }}\n  - {{ course: ENG101, term: 1, grade: \"良好\" }}\n  - {{ course: T-001, term: 2, score: 85, credits: 2, institution: pku, category: general }}\noutcomes:\n  - id: comp-2027-01\n    kind: competition\n    attributes: {{ level: national, award: first, name: \"挑战杯\", on: 2027-05-20, rank: 1 }}\n    date: 2027-05-20\n    evidence: [certificate, list]\n    institution: self\n    review: approved\nexceptions:\n  - {{ waive: core-electives, by: 教务处, reason: r }}\n"
    );
    let json = r#"{"learner":"2026010001","program":"demo-university/undergraduate","enrolled":"2026-09-01","as_of":"2028-07-01","term":4,
      "courses":[{"course":"CS101","term":1,"score":92.5},{"course":"ENG101","term":1,"grade":"良好"},
                 {"course":"T-001","term":2,"score":85,"credits":2,"institution":"pku","category":"general"}],
      "outcomes":[{"id":"comp-2027-01","kind":"competition","attributes":{"level":"national","award":"first","name":"挑战杯","on":"2027-05-20","rank":1},
                   "date":"2027-05-20","evidence":["certificate","list"],"institution":"self","review":"approved"}],
      "exceptions":[{"waive":"core-electives","by":"教务处","reason":"r"}]}"#;
    let a = from_yaml(&yaml).unwrap();
    let b = from_json(json).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        a.outcomes[0].attributes["on"],
        AttributeValue::Date(date("2027-05-20"))
    );
    assert_eq!(
        a.outcomes[0].attributes["rank"],
        AttributeValue::Number(dec("1"))
    );
}

#[test]
fn all_problems_are_listed_in_order() {
    let text = format!(
        "{}courses: [{{ course: CS101, term: 1, score: 101 }}, {{ course: \" \", term: 1, score: 5 }}]\n",
        BASE.replace("term: 4", "term: 0")
    );
    // `term: 0` makes every attempt's term "after the current term" too.
    let e = from_yaml(&text).unwrap_err();
    assert_eq!(e.path(), "term");
    let r: LearnerRecord = serde_yaml::from_str(&text).unwrap();
    let paths: Vec<String> = r
        .problems(None)
        .iter()
        .map(|p| p.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "term",
            "courses[0].term",
            "courses[0].score",
            "courses[1].course",
            "courses[1].term"
        ]
    );
}

/// The messages docs/RECORDS.md shows, word for word.
#[test]
fn golden_documented_messages() {
    let e = yaml_msg("courses: [{ course: CS101, term: 1, score: 89.12345678901234567 }]\n");
    assert_eq!(
        e,
        "learner `2026010001`: courses[0].score: `89.12345678901235` has more than 15 \
         significant digits, more than a number without quotes keeps exactly: write the number \
         in quotes"
    );
    let e = yaml_msg("outcomes: [{ id: a, kind: k, date: 2027-01-01, review: aproved }]\n");
    assert_eq!(
        e,
        "learner `2026010001`: outcomes[0].review: unknown variant `aproved`, expected one of \
         `approved`, `rejected`, `pending`"
    );
    let e = yaml_msg("courses: [{ course: CS101, term: 1, score: 80, grade: 良好 }]\n");
    assert_eq!(
        e,
        "learner `2026010001`: courses[0]: course `CS101` has both a `score` and a `grade`: give one"
    );
    let e = yaml_msg("courses: [{ course: T-1, term: 1, score: 80, credits: -2 }]\n");
    assert_eq!(
        e,
        "learner `2026010001`: courses[0].credits: `-2` credits is negative"
    );
    let e = yaml_msg("exceptions:\n  - { waive: x, by: \" \", reason: b }\n");
    assert_eq!(
        e,
        "learner `2026010001`: exceptions[0].by: say who granted the exception"
    );
    let e = yaml_msg("exceptions:\n  - { substitute: A, by: a, reason: b }\n");
    assert_eq!(
        e,
        "learner `2026010001`: exceptions[0]: `substitute` needs `for`, the course it stands in for"
    );
    let e = yaml_msg(
        "outcomes:\n  - { id: x, kind: mooc, date: 2027-01-01 }\n  - { id: x, kind: paper, date: 2027-01-01 }\n",
    );
    assert_eq!(
        e,
        "learner `2026010001`: outcomes[1].id: `x` is the id of outcomes[0] too: outcome ids must be unique"
    );
    let e = from_json(r#"{"learner": "2026010001", "program": "p", "term": 4,, }"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "learner `2026010001`: syntax error at line 1, column 53: key must be a string"
    );
    let e = yaml_err("courses: [{ course: CS101, term: 1, scroe: 80 }]\n");
    assert_eq!(
        e.to_string(),
        "learner `2026010001`: courses[0].scroe: unknown field `scroe`, expected one of `course`, \
         `term`, `score`, `grade`, `credits`, `institution`, `category`"
    );
}
