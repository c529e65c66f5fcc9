//! The splitters on good and deliberately broken cohorts: every good learner read, every bad
//! one reported with its line.

use super::*;
use creditbank_engine::record::{self, LearnerRecord};

/// Each learner read: its first line, and the learner id or the error.
fn read(text: &str, format: InputFormat) -> Vec<(usize, Result<String, String>)> {
    // A small buffer, so that learners straddle refills.
    let reader = io::BufReader::with_capacity(7, text.as_bytes());
    learners(reader, format)
        .map(|raw| {
            let raw = raw.expect("reading from memory cannot fail");
            let line = raw.line;
            (
                line,
                raw.parse().map(|r| r.learner).map_err(|e| e.to_string()),
            )
        })
        .collect()
}

fn ok(line: usize, id: &str) -> (usize, Result<String, String>) {
    (line, Ok(id.to_owned()))
}

/// Asserts that the learner at `line` failed with a message containing each of `parts`.
fn assert_err(got: &(usize, Result<String, String>), line: usize, parts: &[&str]) {
    assert_eq!(got.0, line, "{got:?}");
    let message = got.1.as_ref().expect_err("an error");
    for part in parts {
        assert!(message.contains(part), "`{part}` not in `{message}`");
    }
}

fn json(id: &str) -> String {
    format!(
        r#"{{"learner": "{id}", "program": "demo-university/undergraduate", "enrolled": "2026-09-01", "as_of": "2027-07-01", "term": 2, "courses": [{{"course": "CS101", "term": 1, "score": 88}}]}}"#
    )
}

#[test]
fn ndjson_reads_good_lines_and_reports_bad_ones() {
    let text = format!(
        "{}\n\n   \n{}\n{{\"learner\": \"b1\", \"term\": }}\n{}\n{{\"learner\": \"b2\", \"program\": \"p\", \"enrolled\": \"2026-09-01\", \"term\": 0}}\n{}",
        json("g1"),
        json("g2"),
        json("g3"),
        json("g4"),
    );
    let got = read(&text, InputFormat::Ndjson);
    assert_eq!(got.len(), 6, "{got:?}");
    assert_eq!(got[0], ok(1, "g1"));
    assert_eq!(got[1], ok(4, "g2"));
    assert_err(&got[2], 5, &["line 5 (learner b1): syntax error at column"]);
    assert_eq!(got[3], ok(6, "g3"));
    assert_err(
        &got[4],
        7,
        &["line 7 (learner b2): term: terms count from 1, not 0"],
    );
    assert_eq!(got[5], ok(8, "g4"));
}

#[test]
fn ndjson_reports_invalid_utf8_on_its_line_only() {
    let mut bytes = format!("{}\n", json("g1")).into_bytes();
    bytes.extend_from_slice(b"{\"learner\": \"bad\", \"program\": \"\xff\xfe\"}\n");
    bytes.extend_from_slice(format!("{}\n", json("g2")).as_bytes());
    let got: Vec<_> = learners(&bytes[..], InputFormat::Ndjson)
        .map(|r| {
            r.unwrap()
                .parse()
                .map(|r| r.learner)
                .map_err(|e| e.to_string())
        })
        .collect();
    assert_eq!(got[0], Ok("g1".to_owned()));
    assert_eq!(
        got[1],
        Err("line 2 (learner bad): invalid UTF-8 at column 32".to_owned())
    );
    assert_eq!(got[2], Ok("g2".to_owned()));
}

#[test]
fn a_json_array_is_cut_at_its_elements() {
    let text = format!(
        "[\n  {},\n  {}\n,{}  ]\n",
        json("a"),
        json("b[\\\"}]"),
        json("c")
    );
    let got = read(&text, InputFormat::Json);
    assert_eq!(
        got,
        vec![ok(2, "a"), ok(3, "b[\"}]"), ok(4, "c")],
        "brackets and escaped quotes in strings do not end an element"
    );
}

#[test]
fn a_pretty_printed_array_with_broken_elements_loses_only_those() {
    let records: Vec<LearnerRecord> = ["p1", "p2", "p3", "p4", "p5"]
        .iter()
        .map(|id| record::from_json(&json(id)).unwrap())
        .collect();
    let mut text = serde_json::to_string_pretty(&records).unwrap();
    // p2: a string broken by a line break; p4: the closing brace lost.
    text = text.replacen("\"p2\"", "\"p2\n\"", 1);
    let p4 = text.find("\"p4\"").unwrap();
    let close = p4 + text[p4..].find("\n  },").unwrap();
    text.replace_range(close..close + 5, "\n  ,");
    let got = read(&text, InputFormat::Json);
    let ids: Vec<_> = got.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(ids.len(), 5, "{got:#?}");
    assert_eq!(ids[0], Ok("p1".to_owned()));
    assert_err(
        &got[1],
        got[1].0,
        &["(learner p2", "not closed before the end of its line"],
    );
    assert_eq!(ids[2], Ok("p3".to_owned()));
    assert_err(
        &got[3],
        got[3].0,
        &["(learner p4)", "the record is not closed before line"],
    );
    assert_eq!(ids[4], Ok("p5".to_owned()));
    // Each learner's line is where its `{` stands.
    let line_of = |id: &str| {
        let at = text.find(&format!("\"{id}\"")).unwrap();
        text[..text[..at].rfind('{').unwrap()].matches('\n').count() + 1
    };
    assert_eq!(got[2].0, line_of("p3"));
    assert_eq!(got[4].0, line_of("p5"));
}

#[test]
fn a_json_array_reports_its_own_breakage() {
    let got = read(&format!("[{}, {}", json("a"), json("b")), InputFormat::Json);
    assert_eq!(got.len(), 3);
    assert_err(&got[2], 1, &["ends before the `]`"]);

    let got = read(&format!("[{}] trailing", json("a")), InputFormat::Json);
    assert_eq!(got[0], ok(1, "a"));
    assert_err(&got[1], 1, &["text after the `]`"]);

    let got = read(
        &format!("[\n{}\n}},\n{}\n]", json("a"), json("b")),
        InputFormat::Json,
    );
    assert_eq!(got[0], ok(2, "a"));
    assert_err(&got[1], 3, &["`}` at line 3 closes no bracket"]);
    assert_eq!(got[2], ok(4, "b"));

    let got = read("[1, \"x\", null]", InputFormat::Json);
    assert_eq!(got.len(), 3);
    for item in &got {
        assert_err(item, 1, &["a learner record"]);
    }

    let got = read("learner: x\n", InputFormat::Json);
    assert_eq!(got.len(), 1);
    assert_err(
        &got[0],
        1,
        &["a JSON cohort is an array", "starts with `l`"],
    );

    assert!(read("  \n", InputFormat::Json).is_empty());
    assert!(read("[]", InputFormat::Json).is_empty());
}

#[test]
fn json_records_one_after_another_are_read_without_an_array() {
    let text = format!("{}\n{}\n\n{}", json("a"), json("b"), json("c"));
    assert_eq!(
        read(&text, InputFormat::Json),
        vec![ok(1, "a"), ok(2, "b"), ok(4, "c")]
    );
}

#[test]
fn a_syntax_error_in_an_element_is_placed_in_the_file() {
    let text = "[\n  {\"learner\": \"x\",\n   \"term\": ,\n  \"program\": \"p\"}\n]";
    let got = read(text, InputFormat::Json);
    assert_err(&got[0], 2, &["(learner x): syntax error at line 3, column"]);
}

const YAML_GOOD: &str =
    "learner: \"{id}\"\nprogram: demo-university/undergraduate\nenrolled: 2026-09-01\nterm: 1\n";

fn yaml(id: &str) -> String {
    YAML_GOOD.replace("{id}", id)
}

#[test]
fn yaml_documents_are_learners() {
    let text = format!(
        "# a cohort\n%YAML 1.2\n---\n{}---\n# only a comment\n---\n\n{}...\n--- {{learner: \"c\", program: p, enrolled: 2026-09-01, term: 1}}\n",
        yaml("a"),
        yaml("b")
    );
    assert_eq!(
        read(&text, InputFormat::Yaml),
        vec![ok(4, "a"), ok(12, "b"), ok(17, "c")]
    );
    // Without a leading `---`, the first document starts at the first line.
    assert_eq!(
        read(
            &format!("{}---\n{}", yaml("a"), yaml("b")),
            InputFormat::Yaml
        ),
        vec![ok(1, "a"), ok(6, "b")]
    );
}

#[test]
fn a_broken_yaml_document_is_reported_at_its_lines() {
    let text = format!(
        "---\n{}---\nlearner: \"bad\"\nterm: [1\nprogram: x\n---\n{}---\n{}",
        yaml("a"),
        yaml("b"),
        yaml("c").replace("term: 1", "term: 0")
    );
    let got = read(&text, InputFormat::Yaml);
    assert_eq!(got.len(), 4, "{got:?}");
    assert_eq!(got[0], ok(2, "a"));
    assert_err(&got[1], 7, &["line 7 (learner bad): syntax error at line"]);
    assert_eq!(got[2], ok(11, "b"));
    assert_err(&got[3], 16, &["(learner c): term: terms count from 1"]);
}

const HEADER: &str = "learner,program,enrolled,as_of,term,type,course,attempt_term,score,grade,credits,institution,category,outcome,kind,date,attributes,evidence,review,waive,substitute,for,force,version,by,reason\n";

#[test]
fn csv_rows_group_into_learners() {
    let text = format!(
        "{HEADER}\
         a,demo-university/undergraduate,2026-09-01,2027-07-01,2,course,CS101,1,88,,,,,,,,,,,,,,,,,\n\
         a,demo-university/undergraduate,2026-09-01,2027-07-01,2,course,ENG101,1,,良好,,,,,,,,,,,,,,,,\n\
         a,demo-university/undergraduate,2026-09-01,2027-07-01,2,outcome,,,,,,icourse,,m1,mooc,2027-06-15,\"hours=40; score=81; certified=yes; course-name=\"\"Python; 语言\"\"\",certificate; transcript,approved,,,,,,,\n\
         a,demo-university/undergraduate,2026-09-01,2027-07-01,2,exception,,,,,2,,,,,,,,,,,,general,,教务处,\"转专业, 认定\"\n\
         \n\
         b,demo-university/undergraduate,2026-09-01,,1,learner,,,,,,,,,,,,,,,,,,,,\n"
    );
    let got = read(&text, InputFormat::Csv);
    assert_eq!(got, vec![ok(2, "a"), ok(7, "b")]);

    let records: Vec<LearnerRecord> = learners(text.as_bytes(), InputFormat::Csv)
        .map(|r| r.unwrap().parse().unwrap())
        .collect();
    let a = &records[0];
    assert_eq!(a.courses.len(), 2);
    assert_eq!(a.outcomes[0].attributes.len(), 4);
    assert_eq!(
        a.outcomes[0].attributes["course-name"],
        record::AttributeValue::Text("Python; 语言".into())
    );
    assert_eq!(a.outcomes[0].evidence, ["certificate", "transcript"]);
    assert_eq!(a.exceptions[0].reason, "转专业, 认定");
    assert!(records[1].courses.is_empty() && records[1].as_of.is_none());
}

#[test]
fn bad_csv_rows_cost_their_learner_only() {
    let row = |id: &str, rest: &str| {
        format!("{id},demo-university/undergraduate,2026-09-01,2027-07-01,2,{rest}\n")
    };
    let course = |code: &str, term: &str, score: &str| {
        format!("course,{code},{term},{score},,,,,,,,,,,,,,,,,")
    };
    let text = format!(
        "{HEADER}{}{}{}{}{}{}{}{}{}{}",
        row("g1", &course("CS101", "1", "88")),
        // Wrong width.
        row("b1", "course,CS101,1,88"),
        row("g2", &course("CS101", "1", "88")),
        // A score that is not a number.
        row("b2", &course("CS101", "1", "eighty")),
        // A term after the current one: found by validation, placed on its row.
        row("b3", &course("CS101", "1", "70")),
        row("b3", &course("CS102", "5", "70")),
        // A quote never closed.
        row("b4", "course,\"CS101,1,88,,,,,,,,,,,,,,,,,"),
        row("g3", &course("CS101", "1", "88")),
        // A cell that the row's type does not have.
        row("b5", "outcome,,,88,,,,,o1,mooc,2027-01-01,,,,,,,,,,"),
        row("g4", &course("CS101", "2", "W")),
    );
    let got = read(&text, InputFormat::Csv);
    let ids: Vec<_> = got.iter().map(|(line, r)| (*line, r.is_ok())).collect();
    assert_eq!(
        ids,
        [
            (2, true),
            (3, false),
            (4, true),
            (5, false),
            (6, false),
            (8, false),
            (9, true),
            (10, false),
            (11, false)
        ],
        "{got:#?}"
    );
    assert_err(
        &got[1],
        3,
        &["(learner b1): line 3 has 9 cells, but the header has 26"],
    );
    assert_err(
        &got[3],
        5,
        &["(learner b2): line 5, column `score`: `eighty` is not a number"],
    );
    assert_err(
        &got[4],
        6,
        &["(learner b3): line 7, column `attempt_term`: term 5 is after the current term 2"],
    );
    assert_err(
        &got[5],
        8,
        &["(learner b4)", "a quote opened on line 8 is not closed"],
    );
    assert_err(
        &got[7],
        10,
        &["line 10, column `score`: outcome rows leave this column empty"],
    );
    // `W` is a grade (a withdrawal), not a score.
    assert_err(&got[8], 11, &["`W` is not a number"]);
}

#[test]
fn a_csv_without_a_usable_header_is_one_error() {
    let got = read(
        "learner,program,enrolled,term,tpye\nx,p,2026-09-01,1,learner\n",
        InputFormat::Csv,
    );
    assert_eq!(got.len(), 1);
    assert_err(&got[0], 1, &["unknown column `tpye`"]);
    let got = read("learner,program\n", InputFormat::Csv);
    assert_err(&got[0], 1, &["lacks the columns enrolled, term, type"]);
}

#[test]
fn a_learners_columns_must_agree_on_every_row() {
    let text = format!(
        "{HEADER}a,demo-university/undergraduate,2026-09-01,,2,learner,,,,,,,,,,,,,,,,,,,,\n\
         a,demo-university/undergraduate,2026-09-01,,3,learner,,,,,,,,,,,,,,,,,,,,\n"
    );
    let got = read(&text, InputFormat::Csv);
    assert_err(
        &got[0],
        2,
        &["line 3, column `term`: `3` differs from `2` on line 2"],
    );
}

#[test]
fn csv_columns_may_come_in_any_order_and_the_optional_ones_be_left_out() {
    let text = "type,term,enrolled,program,learner,course,attempt_term,grade\n\
                course,1,2026-09-01,p,x,CS101,1,通过\n";
    let records: Vec<_> = learners(text.as_bytes(), InputFormat::Csv)
        .map(|r| r.unwrap().parse().unwrap())
        .collect();
    assert_eq!(records[0].courses[0].course, "CS101");
}

#[test]
fn an_unreadable_stream_ends_with_an_error() {
    struct Failing;
    impl io::Read for Failing {
        fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
            Err(io::Error::other("disk on fire"))
        }
    }
    let mut it = learners(io::BufReader::new(Failing), InputFormat::Ndjson);
    let e = it.next().unwrap().unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot read the cohort after line 0: disk on fire"
    );
    assert!(it.next().is_none());
}

#[test]
fn open_tells_the_format_from_the_extension_or_the_content() {
    let dir = std::env::temp_dir().join(format!("creditbank-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ndjson = dir.join("cohort.data");
    std::fs::write(&ndjson, format!("{}\n{}\n", json("a"), json("b"))).unwrap();
    let ids: Vec<String> = open(&ndjson, None)
        .unwrap()
        .map(|r| r.unwrap().parse().unwrap().learner)
        .collect();
    assert_eq!(ids, ["a", "b"]);

    let yaml_file = dir.join("cohort.yml");
    std::fs::write(&yaml_file, format!("---\n{}", yaml("y"))).unwrap();
    assert_eq!(open(&yaml_file, None).unwrap().count(), 1);

    let unknown = dir.join("cohort.txt");
    std::fs::write(&unknown, "hello\n").unwrap();
    assert!(matches!(
        open(&unknown, None),
        Err(InputError::UnknownFormat { .. })
    ));
    assert!(matches!(
        open(&dir.join("missing.ndjson"), None),
        Err(InputError::Open { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}
