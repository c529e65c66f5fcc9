//! `creditbank stats`: hand-written records with known answers, a cohort with bad lines, and
//! the HTML report opened in headless Chromium.

use super::*;
use std::time::{Duration, Instant};

/// The three example learners (all under demo-university/undergraduate 2026.1) as NDJSON.
fn example_cohort() -> String {
    example_lines().join("\n") + "\n"
}

fn write_cohort(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("cohort.ndjson");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn json_statistics_of_the_example_learners_have_the_known_figures() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = write_cohort(dir.path(), &example_cohort());
    let out = creditbank(
        &[
            "stats",
            "--cohort",
            cohort.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let all = &json["overall"];
    assert_eq!(all["learners"], 3);
    // 2026010001 has 105.0 credits, 2025010042 49.0, 2026010137 24.5.
    assert_eq!(all["total_credits"]["median"], "49");
    assert_eq!(all["total_credits"]["sum"], "178.5");
    let progress = &all["warnings"][0];
    assert_eq!(progress["warning"], "credit-progress");
    let levels: Vec<(String, u64)> = progress["levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["level"].as_str().unwrap().to_string(),
                l["learners"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        levels,
        [
            ("yellow".to_string(), 0),
            ("orange".to_string(), 1),
            ("red".to_string(), 1)
        ]
    );
    assert_eq!(progress["none"], 1);
    assert_eq!(all["graduation"]["met"], 0);
    assert_eq!(all["graduation"]["learners"], 3);
    let err = stderr(&out);
    assert!(err.contains("stats: 3 learners, 0 errors"), "{err}");
}

#[test]
fn bad_lines_are_reported_by_line_and_the_rest_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = example_cohort();
    text.push_str("{\"learner\": \"b1\", \"program\": \"demo-university/undergraduate\", \"enrolled\": \"2026-09-01\", \"term\": 0}\n");
    text.push_str("this is not a learner\n");
    text.push_str("{\"learner\": \"b3\", \"program\": \"no/such-program\", \"enrolled\": \"2026-09-01\", \"as_of\": \"2027-01-01\", \"term\": 1}\n");
    let cohort = write_cohort(dir.path(), &text);
    let errors = dir.path().join("errors.txt");
    let out = creditbank(
        &[
            "stats",
            "--cohort",
            cohort.to_str().unwrap(),
            "--format",
            "csv",
            "--errors",
            errors.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let reported = std::fs::read_to_string(&errors).unwrap();
    let lines: Vec<&str> = reported.lines().collect();
    assert_eq!(lines.len(), 3, "{reported}");
    assert!(
        lines[0].starts_with("line 4 (learner b1): term"),
        "{reported}"
    );
    assert!(lines[1].starts_with("line 5"), "{reported}");
    assert!(lines[2].starts_with("line 6 (learner b3)") && lines[2].contains("no/such-program"));
    assert!(
        stdout(&out).contains(",learners,,count,3\n"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("stats: 6 learners, 3 errors"));
}

#[test]
fn the_table_groups_by_class_and_goes_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = write_cohort(dir.path(), &example_cohort());
    let table = dir.path().join("stats.txt");
    let out = creditbank(
        &[
            "stats",
            "--cohort",
            cohort.to_str().unwrap(),
            "--group-by",
            "class",
            "--out",
            table.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let text = std::fs::read_to_string(&table).unwrap();
    assert!(
        text.starts_with("cohort statistics: 3 learners, 2 groups by class"),
        "{text}"
    );
    assert!(
        text.contains("== 2025 demo-university/undergraduate (1 learner)"),
        "{text}"
    );
    assert!(
        text.contains("== 2026 demo-university/undergraduate (2 learners)"),
        "{text}"
    );
}

/// What the batch CSV says of a set of learners, to compare with the statistics.
#[derive(Debug, Default, PartialEq)]
struct Expected {
    learners: u64,
    graduated: u64,
    with_gpa: u64,
    total_credits: rust_decimal::Decimal,
    /// `(warning, level)` to learners.
    levels: std::collections::BTreeMap<(String, String), u64>,
}

impl Expected {
    fn add(&mut self, row: &std::collections::HashMap<&str, &str>) {
        self.learners += 1;
        self.graduated += u64::from(row["graduation"] == "met");
        self.with_gpa += u64::from(!row["gpa"].is_empty());
        self.total_credits += row["total_credits"]
            .parse::<rust_decimal::Decimal>()
            .unwrap();
        for reached in row["warnings"].split(';').filter(|w| !w.is_empty()) {
            let (warning, level) = reached.split_once(':').unwrap();
            *self
                .levels
                .entry((warning.to_string(), level.to_string()))
                .or_default() += 1;
        }
    }

    /// The same figures read from a group of the statistics.
    fn of(group: &serde_json::Value) -> Expected {
        let mut levels = std::collections::BTreeMap::new();
        for w in group["warnings"].as_array().unwrap() {
            for l in w["levels"].as_array().unwrap() {
                let n = l["learners"].as_u64().unwrap();
                if n > 0 {
                    levels.insert(
                        (
                            w["warning"].as_str().unwrap().to_string(),
                            l["level"].as_str().unwrap().to_string(),
                        ),
                        n,
                    );
                }
            }
        }
        Expected {
            learners: group["learners"].as_u64().unwrap(),
            graduated: group["graduation"]["met"].as_u64().unwrap_or(0),
            with_gpa: group["gpa"]["learners"].as_u64().unwrap(),
            total_credits: group["total_credits"]["sum"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
            levels,
        }
    }
}

#[test]
fn statistics_of_a_generated_cohort_agree_with_batch_learner_by_learner() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = dir.path().join("cohort.ndjson");
    let cohort = cohort.to_str().unwrap();
    let generated = creditbank(
        &[
            "gen-cohort",
            "--learners",
            "400",
            "--seed",
            "11",
            "--out",
            cohort,
        ],
        None,
    );
    assert!(generated.status.success(), "{}", stderr(&generated));
    let csv = dir.path().join("batch.csv");
    let batch = creditbank(
        &[
            "batch",
            "--cohort",
            cohort,
            "--format",
            "csv",
            "--out",
            csv.to_str().unwrap(),
        ],
        None,
    );
    assert!(batch.status.success(), "{}", stderr(&batch));
    let out = creditbank(
        &[
            "stats",
            "--cohort",
            cohort,
            "--group-by",
            "program",
            "--format",
            "json",
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();

    // The summary columns hold no commas: ids, numbers, `warning:level;...`.
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut overall = Expected::default();
    let mut by_program: std::collections::BTreeMap<String, Expected> = Default::default();
    for line in lines {
        let row: std::collections::HashMap<&str, &str> =
            header.iter().copied().zip(line.split(',')).collect();
        overall.add(&row);
        by_program
            .entry(row["program"].to_string())
            .or_default()
            .add(&row);
    }
    assert_eq!(overall.learners, 400);
    assert!(
        overall.graduated > 0 && !overall.levels.is_empty(),
        "{overall:?}"
    );
    assert_eq!(Expected::of(&json["overall"]), overall);
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), by_program.len());
    for (group, (program, expected)) in groups.iter().zip(&by_program) {
        assert_eq!(group["group"].as_str(), Some(program.as_str()));
        assert_eq!(&Expected::of(group), expected, "{program}");
    }
}

/// The Chromium binary, or a failure saying how to install it.
fn chromium() -> &'static str {
    for name in ["chromium", "chromium-browser"] {
        let found = Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if found {
            return name;
        }
    }
    panic!(
        "headless Chromium is needed to check the HTML stats report: run \
         `apt-get install -y chromium` (the CI script installs it)"
    );
}

/// Runs headless Chromium on `page` with `args`, killing it after a minute.
fn headless(page: &Path, profile: &Path, args: &[&str]) -> Output {
    let child = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let id = child.id();
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    let started = Instant::now();
    loop {
        if let Ok(output) = wait.recv_timeout(Duration::from_secs(1)) {
            return output.expect("chromium finishes");
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = Command::new("kill").arg(id.to_string()).status();
            panic!("headless chromium did not finish within a minute");
        }
    }
}

/// Console messages the page caused (a script error, a resource that failed to load).
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

#[test]
fn the_html_report_opens_in_headless_chromium_with_its_charts() {
    let dir = tempfile::tempdir().unwrap();
    let cohort = write_cohort(dir.path(), &example_cohort());
    let page = dir.path().join("stats.html");
    let out = creditbank(
        &[
            "stats",
            "--cohort",
            cohort.to_str().unwrap(),
            "--group-by",
            "enrolment-year",
            "--format",
            "html",
            "--out",
            page.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let written = std::fs::read_to_string(&page).unwrap();

    let dom = headless(&page, &dir.path().join("profile-dom"), &["--dump-dom"]);
    assert!(dom.status.success(), "{}", stderr(&dom));
    let dom_text = stdout(&dom);
    // Three warnings, four categories and the total, the GPA, eligibility.
    let charts = dom_text.matches("<svg ").count();
    assert_eq!(charts, 3 + 5 + 1 + 1, "{dom_text}");
    assert_eq!(charts, written.matches("<svg ").count());
    assert_eq!(dom_text.matches("</svg>").count(), charts);
    assert!(dom_text.contains("<title>Warning levels: credit-progress 学分进度预警</title>"));
    assert!(dom_text.contains("<title>GPA histogram</title>"));
    // The red level in its configured colour, the legend naming it, one bar per year.
    assert!(dom_text.contains("fill=\"#d0021b\""), "{dom_text}");
    assert!(dom_text.contains(">red 红色预警</text>"));
    assert!(dom_text.contains(">2025</text>") && dom_text.contains(">2026</text>"));
    let log = stderr(&dom);
    let messages = console_messages(&log);
    assert!(messages.is_empty(), "console messages: {messages:?}");

    let shot = dir.path().join("stats.png");
    let screenshot = headless(
        &page,
        &dir.path().join("profile-shot"),
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,3000",
            "--hide-scrollbars",
        ],
    );
    assert!(screenshot.status.success(), "{}", stderr(&screenshot));
    let png = std::fs::read(&shot).expect("a screenshot was written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(
        png.len() > 10_000,
        "a {}-byte screenshot is blank",
        png.len()
    );
    let log = stderr(&screenshot);
    let messages = console_messages(&log);
    assert!(messages.is_empty(), "console messages: {messages:?}");
}

#[test]
fn the_console_check_sees_a_script_error() {
    // The check above passes only because the page is clean: a page with a failing script is
    // caught.
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><script>no_such_function();</script></body></html>",
    )
    .unwrap();
    let out = headless(&page, &dir.path().join("profile"), &["--dump-dom"]);
    let err = stderr(&out);
    let messages = console_messages(&err);
    assert!(
        messages.iter().any(|m| m.contains("no_such_function")),
        "{err}"
    );
}
