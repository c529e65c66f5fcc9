//! The HTML report: a golden file for the fixed cohort grouped by program (reviewing a change
//! to the page is reviewing a diff of `tests/stats_golden/by-program.html`; run with
//! `UPDATE_GOLDEN=1` to rewrite it after an intended change), and checks that hold for any
//! page: self-contained, balanced, names escaped.

mod stats_support;

use creditbank_cohort::stats::{html, GroupBy, Summary};
use stats_support::{fixed_cohort, Rulesets};
use std::path::Path;

const GOLDEN: &str = "tests/stats_golden/by-program.html";
const UPDATE_COMMAND: &str = "UPDATE_GOLDEN=1 cargo test -p creditbank-cohort --test stats_html";

fn page(grouping: Option<GroupBy>) -> String {
    let rulesets = Rulesets::bundled();
    let stats = rulesets.stats(&fixed_cohort(), grouping);
    html::render(&Summary::new(&stats, &rulesets.facts()))
}

#[test]
fn the_page_of_the_fixed_cohort_matches_its_golden_file() {
    let actual = page(Some(GroupBy::Program));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(GOLDEN);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{GOLDEN} is missing: run `{UPDATE_COMMAND}`"));
    if actual != expected {
        let line = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, e)| a != e)
            .unwrap_or_else(|| actual.lines().count().min(expected.lines().count()));
        panic!(
            "the HTML report differs from {GOLDEN} from line {}:\n  actual:   {:?}\n  expected: {:?}\n\
             if the change is intended, run `{UPDATE_COMMAND}` and review the diff",
            line + 1,
            actual.lines().nth(line),
            expected.lines().nth(line)
        );
    }
}

fn count(text: &str, needle: &str) -> usize {
    text.matches(needle).count()
}

#[test]
fn the_page_fetches_nothing_and_runs_nothing() {
    for grouping in [None, Some(GroupBy::Class)] {
        let html = page(grouping);
        let lower = html.to_lowercase();
        for forbidden in [
            "<script", "http:", "https:", "src=", "href=", "@import", "url(",
        ] {
            assert!(
                !lower.contains(forbidden),
                "the page contains `{forbidden}`"
            );
        }
        assert!(html.starts_with("<!DOCTYPE html>\n"));
        assert!(html.contains("<meta charset=\"utf-8\">"));
    }
}

#[test]
fn every_element_that_opens_closes() {
    let html = page(Some(GroupBy::Class));
    for tag in [
        "svg", "table", "section", "figure", "text", "title", "tr", "td", "th",
    ] {
        let opened = count(&html, &format!("<{tag} ")) + count(&html, &format!("<{tag}>"));
        let closed = count(&html, &format!("</{tag}>"));
        assert_eq!(
            opened, closed,
            "<{tag}> opened {opened} times, closed {closed}"
        );
    }
}

#[test]
fn charts_show_warnings_credits_gpa_and_eligibility() {
    let html = page(Some(GroupBy::Program));
    // Three warnings, eight categories and the total, the GPA, eligibility.
    assert_eq!(count(&html, "<svg "), 3 + 9 + 1 + 1);
    assert_eq!(count(&html, "<svg class=\"chart warning-chart\""), 3);
    assert_eq!(count(&html, "<svg class=\"chart histogram\""), 10);
    assert_eq!(count(&html, "<svg class=\"chart rates-chart\""), 1);
    assert!(html.contains("<title>Warning levels: credit-progress 学分进度预警</title>"));
    assert!(html.contains("<title>GPA histogram</title>"));
    // The levels in their configured colours, with a legend naming them.
    for colour in ["#f5c518", "#f5a623", "#d0021b"] {
        assert!(html.contains(&format!("fill=\"{colour}\"")), "{colour}");
    }
    assert!(html.contains(">red 红色预警</text>"));
    // A bar for each group, with its share as a tooltip.
    assert!(html.contains(
        "<title>demo-open-university/lifelong-learning: red 学习进度预警: 1 of 3 learners (33.3%)</title>"
    ));
    assert!(html.contains(">share of learners</text>"));
    assert!(html.contains(">learners</text>"));
}

#[test]
fn names_from_rulesets_are_escaped() {
    let source = r#"ruleset "escape/test" version "1.0" {
  title "<script>alert(1)</script> & 'quotes'"
  effective 2026-09-01
}
categories { core "<b>专业</b> & \"核心\"" }
scale pct bands over [0, 100] pass 60 { [60, 100] => 4 [0, 60) => 0 }
gpa { scores use pct retake best }
catalog { course A1 "课程" credits 2 category core }
warning w "<i>预警</i>" {
  on failed-credits
  level red "<u>红</u>" colour #d0021b at least 1 message "m"
}
graduation "<em>毕业</em>" { requires total at least 2 }
"#;
    let files = vec![creditbank_dsl::SourceFile::new("escape.cbr", source)];
    let checked = creditbank_dsl::check_set(&files);
    assert!(
        checked.iter().all(|c| !c.has_errors()),
        "{:?}",
        checked[0].diagnostics
    );
    let library = creditbank_engine::library::Library::build(&files, checked).unwrap();
    let plans: Vec<_> = library
        .all()
        .map(|v| creditbank_engine::evaluate::Plan::compile(v).unwrap())
        .collect();
    let learner = creditbank_engine::record::from_yaml(
        "learner: \"1\"\nprogram: \"escape/test\"\nenrolled: 2026-09-01\nas_of: 2027-01-10\nterm: 1\n\
         courses:\n  - { course: A1, term: 1, score: 40 }\n",
    )
    .unwrap();
    let report = creditbank_engine::evaluate::evaluate(
        &plans[0],
        &learner,
        None,
        creditbank_engine::report::Explain::None,
        "in force at enrolment",
    )
    .unwrap();
    let mut stats = creditbank_cohort::stats::Stats::new(Some(GroupBy::Program));
    stats.add(&learner, &report);
    let facts = creditbank_cohort::stats::RulesetFacts::from_plans(&plans);
    let html = html::render(&Summary::new(&stats, &facts));
    for raw in ["<script>", "<b>专业", "<i>预警", "<u>红", "<em>毕业"] {
        assert!(!html.contains(raw), "`{raw}` is not escaped");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;quotes&#39;"));
    assert!(html.contains("core &lt;b&gt;专业&lt;/b&gt; &amp; &quot;核心&quot;"));
    assert!(html.contains("red &lt;u&gt;红&lt;/u&gt;"));
}

#[test]
fn an_empty_cohort_still_makes_a_page() {
    let stats = creditbank_cohort::stats::Stats::new(Some(GroupBy::Class));
    let html = html::render(&Summary::new(
        &stats,
        &creditbank_cohort::stats::RulesetFacts::new(),
    ));
    assert!(html.contains("<p class=\"lead\">0 learners in 0 groups"));
    assert!(html.contains("No ruleset of these learners has staged warnings."));
    assert!(html.contains("No learner has a GPA yet."));
    assert_eq!(count(&html, "<svg "), count(&html, "</svg>"));
    assert!(html.ends_with("</html>\n"));
}
