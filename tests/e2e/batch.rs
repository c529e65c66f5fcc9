//! `creditbank batch` and `creditbank dry-run` on hand-written records with known answers and
//! on cohorts with bad lines.

use super::*;

fn write(dir: &Path, name: &str, lines: &[String]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

const DEMO: &str = "rulesets/demo-university/undergraduate";

#[test]
fn batch_writes_one_report_per_learner_in_input_order_with_the_known_figures() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = write(dir.path(), "cohort.ndjson", &example_lines());
    let out_path = dir.path().join("reports.ndjson");
    let out = creditbank(
        &[
            "batch",
            "--cohort",
            cohort.to_str().unwrap(),
            "--ruleset",
            DEMO,
            "--out",
            out_path.to_str().unwrap(),
            "--chunk",
            "2",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("batch: 3 learners, 0 errors"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(&out_path).unwrap();
    let reports: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is a JSON report"))
        .collect();
    let ids: Vec<&str> = reports
        .iter()
        .map(|r| r["learner"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["2026010001", "2025010042", "2026010137"]);
    // Known answers (see examples/): credits and GPA as the single-learner `eval` gives them.
    assert_eq!(reports[0]["total_credits"], "105.0");
    assert_eq!(reports[0]["gpa"]["value"], "3.74");
    assert_eq!(reports[2]["failed_credits"], "21.0");
    // Without explanations, no rule is cited.
    assert!(!text.contains("\"rule\""));
}

#[test]
fn batch_csv_summary_names_the_most_severe_warning_and_graduation() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = write(dir.path(), "cohort.ndjson", &example_lines());
    let out = creditbank(
        &[
            "batch",
            "--cohort",
            cohort.to_str().unwrap(),
            "--ruleset",
            DEMO,
            "--out",
            "-",
            "--format",
            "csv",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut rows = text.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rows: Vec<Vec<&str>> = rows.map(|r| r.split(',').collect()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][column("learner")], "2026010001");
    assert_eq!(rows[0][column("credits_innovation")], "5.0");
    assert_eq!(rows[0][column("warning_level")], "none");
    assert_eq!(rows[2][column("warning_level")], "red");
    assert_eq!(rows[2][column("graduation")], "unmet");
}

#[test]
fn a_cohort_with_bad_lines_writes_every_good_learner_and_reports_every_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = example_lines();
    let lines = vec![
        good[0].clone(),
        "{ this is not json".to_string(),
        good[1].clone(),
        good[2].replace("\"term\":2", "\"term\":0"),
        good[2].clone(),
        "[1, 2, 3]".to_string(),
    ];
    let cohort = write(dir.path(), "cohort.ndjson", &lines);
    let out_path = dir.path().join("reports.ndjson");
    let errors = dir.path().join("errors.txt");
    let out = creditbank(
        &[
            "batch",
            "--cohort",
            cohort.to_str().unwrap(),
            "--ruleset",
            DEMO,
            "--out",
            out_path.to_str().unwrap(),
            "--errors",
            errors.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "errors are said by the exit code"
    );
    assert!(
        stderr(&out).contains("6 learners, 3 errors"),
        "{}",
        stderr(&out)
    );
    let written: Vec<String> = std::fs::read_to_string(&out_path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["learner"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(written, ["2026010001", "2025010042", "2026010137"]);
    let errors = std::fs::read_to_string(&errors).unwrap();
    let lines: Vec<&str> = errors.lines().collect();
    assert_eq!(lines.len(), 3, "{errors}");
    assert!(lines[0].starts_with("line 2:"), "{errors}");
    assert!(
        lines[1].starts_with("line 4 (learner 2026010137): term"),
        "{errors}"
    );
    assert!(lines[2].starts_with("line 6"), "{errors}");
}

#[test]
fn dry_run_between_the_bundled_versions_lists_the_diff_and_the_changed_learners() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = write(dir.path(), "cohort.ndjson", &example_lines());
    let out = creditbank(
        &[
            "dry-run",
            "--from",
            &format!("{DEMO}/2025.1.cbr"),
            "--to",
            &format!("{DEMO}/2026.1.cbr"),
            "--cohort",
            cohort.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    assert!(
        json["diff"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == "innovation-per-year"),
        "the cap raised in 2026.1 is in the diff"
    );
    let impact = &json["impact"];
    assert_eq!(impact["learners"], 3);
    assert_eq!(impact["compared"], 3);
    let changed = json["changed"].as_array().unwrap();
    assert_eq!(impact["changed"].as_u64().unwrap(), changed.len() as u64);
    for learner in changed {
        assert!(!learner["differences"].as_array().unwrap().is_empty());
    }

    // --fail-on-change turns a change into exit 1, for the CI of a rules repository.
    let strict = creditbank(
        &[
            "dry-run",
            "--from",
            &format!("{DEMO}/2025.1.cbr"),
            "--to",
            &format!("{DEMO}/2026.1.cbr"),
            "--cohort",
            cohort.to_str().unwrap(),
            "--fail-on-change",
        ],
        None,
    );
    let expected = if changed.is_empty() { 0 } else { 1 };
    assert_eq!(strict.status.code(), Some(expected), "{}", stderr(&strict));
}

#[test]
fn dry_run_of_a_version_against_itself_changes_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = write(dir.path(), "cohort.ndjson", &example_lines());
    let v = format!("{DEMO}/2026.1.cbr");
    let out = creditbank(
        &[
            "dry-run",
            "--from",
            &v,
            "--to",
            &v,
            "--cohort",
            cohort.to_str().unwrap(),
            "--fail-on-change",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("learners changed:\n  none"), "{text}");
    assert!(text.contains("changed: 0"), "{text}");
}

#[test]
fn dry_run_refuses_a_ruleset_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = write(dir.path(), "cohort.ndjson", &example_lines());
    let broken = dir.path().join("broken.cbr");
    std::fs::write(&broken, "ruleset \"x\" version {\n").unwrap();
    let out = creditbank(
        &[
            "dry-run",
            "--from",
            &format!("{DEMO}/2026.1.cbr"),
            "--to",
            broken.to_str().unwrap(),
            "--cohort",
            cohort.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("has errors"), "{}", stderr(&out));
}
