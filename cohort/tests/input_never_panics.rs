//! Property tests of the splitters: arbitrary bytes, and valid cohorts with bytes changed,
//! never make splitting or parsing panic, and learners come out in input order.

use creditbank_cohort::input::{learners, InputFormat, MAX_LEARNER_BYTES};
use proptest::prelude::*;

/// Splits and parses everything; checks lines only go forward.
fn split_all(bytes: &[u8], format: InputFormat) -> usize {
    let mut last_line = 0;
    let mut count = 0;
    for raw in learners(bytes, format) {
        let raw = raw.expect("reading from memory cannot fail");
        assert!(raw.line >= 1, "lines count from 1");
        assert!(raw.line >= last_line, "learners come out in input order");
        last_line = raw.line;
        // Parsing may fail, never panic; an error names the learner's line.
        if let Err(e) = raw.parse() {
            assert_eq!(e.line, raw.line);
        }
        count += 1;
    }
    count
}

const SAMPLE: &str = r#"{"learner": "2026010001", "program": "demo-university/undergraduate", "enrolled": "2026-09-01", "as_of": "2027-07-01", "term": 2, "courses": [{"course": "CS101", "term": 1, "score": 88}, {"course": "ENG101", "term": 1, "grade": "良好"}], "outcomes": [{"id": "m1", "kind": "mooc", "attributes": {"hours": 40, "name": "a \"q\" [x]"}, "date": "2027-06-15", "evidence": ["certificate"]}]}"#;

/// A small valid cohort in each format.
fn samples() -> Vec<(InputFormat, Vec<u8>)> {
    let record = creditbank_engine::record::from_json(SAMPLE).unwrap();
    let cohort = vec![record.clone(), record.clone(), record];
    InputFormat::ALL
        .iter()
        .map(|f| {
            let bytes = creditbank_cohort::input::write_all(Vec::new(), *f, &cohort).unwrap();
            (*f, bytes)
        })
        .collect()
}

/// An edit of a byte string.
#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, u8),
    Delete(usize),
    Replace(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    let byte = prop_oneof![
        Just(b'"'),
        Just(b'\\'),
        Just(b'{'),
        Just(b'}'),
        Just(b'['),
        Just(b']'),
        Just(b','),
        Just(b'\n'),
        Just(b'-'),
        Just(b':'),
        Just(b';'),
        Just(b'='),
        Just(0xFF),
        any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Edit::Insert(i, b)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), byte).prop_map(|(i, b)| Edit::Replace(i, b)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edits: &[Edit]) {
    for e in edits {
        let len = bytes.len().max(1);
        match *e {
            Edit::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
            Edit::Delete(i) if !bytes.is_empty() => {
                bytes.remove(i % len);
            }
            Edit::Replace(i, b) if !bytes.is_empty() => bytes[i % len] = b,
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for format in InputFormat::ALL {
            split_all(&bytes, format);
        }
    }

    #[test]
    fn arbitrary_text_of_json_and_csv_characters_never_panics(
        text in "[\\[\\]{}\",:;=\\\\ \nabc0-9\r-]{0,400}"
    ) {
        for format in InputFormat::ALL {
            split_all(text.as_bytes(), format);
        }
    }

    #[test]
    fn edited_cohorts_never_panic(edits in proptest::collection::vec(edit(), 1..6)) {
        for (format, mut bytes) in samples() {
            apply(&mut bytes, &edits);
            split_all(&bytes, format);
        }
    }

    /// Garbage lines between NDJSON records cost only themselves.
    #[test]
    fn garbage_lines_do_not_hide_good_learners(
        garbage in proptest::collection::vec("[^\n]{0,60}", 0..8)
    ) {
        let mut text = String::new();
        for (i, g) in garbage.iter().enumerate() {
            text.push_str(&SAMPLE.replace("2026010001", &format!("good{i}")));
            text.push('\n');
            text.push_str(g);
            text.push('\n');
        }
        let good: Vec<String> = learners(text.as_bytes(), InputFormat::Ndjson)
            .filter_map(|raw| raw.unwrap().parse().ok())
            .map(|r| r.learner)
            .filter(|id| id.starts_with("good"))
            .collect();
        let expected: Vec<String> = (0..garbage.len()).map(|i| format!("good{i}")).collect();
        prop_assert_eq!(good, expected);
    }
}

#[test]
fn an_endless_line_is_refused_without_holding_it() {
    // Past the limit, the splitter reports the line and goes on to the next.
    let mut bytes = vec![b'x'; MAX_LEARNER_BYTES + 10];
    bytes.push(b'\n');
    bytes.extend_from_slice(SAMPLE.as_bytes());
    let got: Vec<_> = learners(&bytes[..], InputFormat::Ndjson)
        .map(|raw| {
            raw.unwrap()
                .parse()
                .map(|r| r.learner)
                .map_err(|e| e.to_string())
        })
        .collect();
    assert_eq!(got.len(), 2);
    assert!(got[0].as_ref().unwrap_err().contains("longer than 16 MiB"));
    assert_eq!(got[1], Ok("2026010001".to_owned()));
}
