//! `creditbank gen-cohort`: generate, then read back.

use super::*;
use creditbank_cohort::input::{open, InputFormat};
use creditbank_engine::record::LearnerRecord;

const PROGRAM: &str = "demo-university/undergraduate";

fn generate(extra: &[&str]) -> Output {
    let mut args = vec!["gen-cohort", "--program", PROGRAM];
    args.extend_from_slice(extra);
    creditbank(&args, None)
}

fn read_file(path: &Path) -> Vec<LearnerRecord> {
    open(path, None)
        .unwrap()
        .map(|raw| {
            let raw = raw.unwrap();
            raw.parse()
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect()
}

#[test]
fn the_same_seed_writes_the_same_bytes_and_a_smaller_cohort_is_a_prefix() {
    let a = generate(&["--learners", "60", "--seed", "42"]);
    assert!(a.status.success(), "{}", stderr(&a));
    let b = generate(&["--learners", "60", "--seed", "42"]);
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(stdout(&a).lines().count(), 60);
    let other = generate(&["--learners", "60", "--seed", "43"]);
    assert_ne!(a.stdout, other.stdout);
    let small = generate(&["--learners", "25", "--seed", "42"]);
    assert!(a.stdout.starts_with(&small.stdout));
}

#[test]
fn every_format_reads_back_and_the_out_extension_picks_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut cohorts = Vec::new();
    for format in InputFormat::ALL {
        let path = dir.path().join(format!("cohort.{}", format.extension()));
        let out = generate(&[
            "--learners",
            "40",
            "--seed",
            "5",
            "--out",
            path.to_str().unwrap(),
        ]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        cohorts.push(read_file(&path));
    }
    assert_eq!(cohorts[0].len(), 40);
    for cohort in &cohorts[1..] {
        assert!(
            *cohort == cohorts[0],
            "every format holds the same learners"
        );
    }
    // --format wins over the extension.
    let path = dir.path().join("cohort.txt");
    let out = generate(&[
        "--learners",
        "3",
        "--format",
        "csv",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("learner,program,enrolled,as_of,term,type,"),
        "{text}"
    );
}

#[test]
fn a_generated_cohort_goes_through_batch_without_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = dir.path().join("cohort.ndjson");
    let out = generate(&["--learners", "300", "--out", cohort.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let results = dir.path().join("results.csv");
    let out = creditbank(
        &[
            "batch",
            "--cohort",
            cohort.to_str().unwrap(),
            "--ruleset",
            "rulesets/demo-university/undergraduate",
            "--format",
            "csv",
            "--out",
            results.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&results).unwrap();
    assert_eq!(text.lines().count(), 301, "a header and a row per learner");
    // The cohort has learners in warning and learners without.
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let level = header.iter().position(|c| *c == "warning_level").unwrap();
    let levels: Vec<&str> = lines
        .map(|l| l.split(',').nth(level).unwrap_or(""))
        .collect();
    let without = levels
        .iter()
        .filter(|l| l.is_empty() || **l == "none")
        .count();
    assert!(levels.contains(&"red") && without > 0, "{levels:?}");
}

#[test]
fn a_common_evaluation_date_is_every_learners_as_of() {
    let out = generate(&["--learners", "30", "--as-of", "2027-07-01"]);
    assert!(out.status.success(), "{}", stderr(&out));
    for line in stdout(&out).lines() {
        let record = creditbank_engine::record::from_json(line).unwrap();
        assert_eq!(
            record.as_of.map(creditbank_engine::record::format_date),
            Some("2027-07-01".to_owned())
        );
        assert!(record.term == 2 || record.term == 4, "{line}");
    }
}

#[test]
fn bad_arguments_say_what_is_wrong() {
    let out = creditbank(
        &["gen-cohort", "--program", "no/such", "--learners", "1"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no ruleset `no/such`; known rulesets: "),
        "{}",
        stderr(&out)
    );

    let out = generate(&["--learners", "1", "--as-of", "2027-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`2027-02-30` is not a date"),
        "{}",
        stderr(&out)
    );

    let out = generate(&["--learners", "1", "--as-of", "2020-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is in force on 2020-01-01"),
        "{}",
        stderr(&out)
    );

    let out = generate(&["--learners", "1", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`xml` is not a cohort format"),
        "{}",
        stderr(&out)
    );
}
