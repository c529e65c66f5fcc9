//! Writing a cohort in each format and reading it back gives the same records: a record that
//! uses every field, one full of characters each format must quote, and generated cohorts.

use std::path::{Path, PathBuf};

use creditbank_cohort::generate::{CohortGenerator, GenerateOptions};
use creditbank_cohort::input::{
    learners, open, write_all, write_csv_long, write_ndjson, write_yaml_docs, InputFormat,
};
use creditbank_dsl::SourceFile;
use creditbank_engine::library::Library;
use creditbank_engine::record::{from_yaml, LearnerRecord};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every field a record holds: scores, text and pass/fail grades, a withdrawal, a transfer
/// course with credits, institution and category, outcomes with text, number and date
/// attributes, evidence, institutions and review statuses, and the four kinds of exception.
fn everything() -> LearnerRecord {
    let text = std::fs::read_to_string(root().join("examples/learner-exceptions.yaml")).unwrap();
    let mut record = from_yaml(&text).unwrap();
    let more = from_yaml(
        r#"
learner: "x"
program: "p"
enrolled: 2025-09-01
term: 8
courses:
  - { course: "A,1", term: 1, score: "89.125" }
  - { course: "B\"2", term: 2, grade: "通过" }
outcomes:
  - id: "o;1"
    kind: mooc
    attributes: { "course-name": "a=b; c=\"d\" \\ e", hours: 40, score: 6.5, "text-number": "40", on: 2027-05-20 }
    date: 2027-05-20
    evidence: ["certificate", "a;b", "x=y"]
    review: rejected
  - { id: o2, kind: paper, date: 2027-06-01, review: pending }
exceptions:
  - { force: innovation, credits: 1.5, by: "教务处, 二处", reason: "line one\nline two, with \"quotes\"\r\n---\nnot a new document\r" }
"#,
    )
    .unwrap();
    record.courses.extend(more.courses);
    record.outcomes.extend(more.outcomes);
    record.exceptions.extend(more.exceptions);
    record
}

fn read_back(bytes: &[u8], format: InputFormat) -> Vec<LearnerRecord> {
    learners(bytes, format)
        .map(|raw| {
            let raw = raw.unwrap();
            raw.parse()
                .unwrap_or_else(|e| panic!("{format}: {e}\n{}", String::from_utf8_lossy(bytes)))
        })
        .collect()
}

#[test]
fn a_record_with_every_field_reads_back_the_same_in_every_format() {
    let record = everything();
    record.validate().unwrap();
    let empty = LearnerRecord {
        learner: "empty".into(),
        courses: Vec::new(),
        outcomes: Vec::new(),
        exceptions: Vec::new(),
        as_of: None,
        ..record.clone()
    };
    let other = LearnerRecord {
        learner: "empty-2".into(),
        ..empty.clone()
    };
    let cohort = vec![record, empty, other];
    for format in InputFormat::ALL {
        let bytes = write_all(Vec::new(), format, &cohort).unwrap();
        assert_eq!(read_back(&bytes, format), cohort, "{format}");
    }
}

#[test]
fn the_named_writers_write_their_formats() {
    let cohort = vec![everything()];
    let ndjson = write_ndjson(Vec::new(), &cohort).unwrap();
    assert_eq!(ndjson.iter().filter(|b| **b == b'\n').count(), 1);
    assert_eq!(read_back(&ndjson, InputFormat::Ndjson), cohort);
    let yaml = write_yaml_docs(Vec::new(), &cohort).unwrap();
    assert!(yaml.starts_with(b"---\n"));
    assert_eq!(read_back(&yaml, InputFormat::Yaml), cohort);
    let csv = write_csv_long(Vec::new(), &cohort).unwrap();
    assert!(csv.starts_with(b"learner,program,enrolled,as_of,term,type,"));
    assert_eq!(read_back(&csv, InputFormat::Csv), cohort);
    // One row per course attempt, outcome and exception, after the header.
    let rows = csv.iter().filter(|b| **b == b'\n').count()
        - cohort[0]
            .exceptions
            .iter()
            .map(|e| e.reason.matches('\n').count())
            .sum::<usize>();
    let items = cohort[0].courses.len() + cohort[0].outcomes.len() + cohort[0].exceptions.len();
    assert_eq!(rows, 1 + items);
}

fn library() -> Library {
    let mut sources = Vec::new();
    for ruleset in [
        "demo-university/undergraduate",
        "demo-open-university/lifelong-learning",
    ] {
        for version in ["2025.1", "2026.1"] {
            let path = root().join(format!("rulesets/{ruleset}/{version}.cbr"));
            let text = std::fs::read_to_string(&path).unwrap();
            sources.push(SourceFile::new(path.display().to_string(), text));
        }
    }
    let checked = creditbank_dsl::check_set(&sources);
    Library::build(&sources, checked).unwrap()
}

#[test]
fn generated_cohorts_read_back_from_files_of_every_format() {
    let library = library();
    let generator = CohortGenerator::new(&library, None, GenerateOptions::default()).unwrap();
    let expected: Vec<LearnerRecord> = (0..120).map(|i| generator.learner(i)).collect();
    let dir = std::env::temp_dir().join(format!("creditbank-roundtrip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for format in InputFormat::ALL {
        let path = dir.join(format!("cohort.{}", format.extension()));
        let file = std::fs::File::create(&path).unwrap();
        generator
            .write(120, format, std::io::BufWriter::new(file))
            .unwrap();
        let back: Vec<LearnerRecord> = open(&path, None)
            .unwrap()
            .map(|raw| raw.unwrap().parse().unwrap())
            .collect();
        assert!(back == expected, "{format}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
