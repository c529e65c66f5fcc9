//! Statistics of a small cohort whose every figure was worked out by hand from the eight
//! learners' reports (see tests/stats_golden/learners.yaml):
//!
//! | learner | ruleset | total | GPA | warnings | graduation |
//! | --- | --- | --- | --- | --- | --- |
//! | 2026010001 | undergraduate 2026.1 | 105.0 | 3.74 | | no |
//! | 2025010042 | undergraduate 2026.1 (exception) | 49.0 | 3.74 | progress red | no |
//! | 2026010137 | undergraduate 2026.1 | 24.5 | 0.85 | progress orange, failed orange, GPA red | no |
//! | 2025010007 | undergraduate 2025.1 | 20.0 | 4.00 | progress red | no |
//! | 2026010099 | undergraduate 2026.1 | 0.0 | none | | no |
//! | OU26-101 | open university 2026.1 | 22.0 | 3.18 | | no |
//! | OU25-102 | open university 2025.1 | 6.0 | 0.60 | progress red, failed yellow | no |
//! | OU26-103 | open university 2026.1 | 76.0 | none | | yes |

mod stats_support;

use creditbank_cohort::stats::{
    self, GroupBy, GroupSummary, RulesetFacts, Summary, WarningSummary,
};
use rust_decimal::Decimal;
use stats_support::{fixed_cohort, Rulesets};

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn summary(grouping: Option<GroupBy>) -> Summary {
    let rulesets = Rulesets::bundled();
    let stats = rulesets.stats(&fixed_cohort(), grouping);
    Summary::new(&stats, &rulesets.facts())
}

fn warning<'s>(g: &'s GroupSummary, id: &str) -> &'s WarningSummary {
    g.warnings
        .iter()
        .find(|w| w.warning == id)
        .unwrap_or_else(|| panic!("no warning `{id}` in {:?}", g.group))
}

/// `(level, learners)` of a warning, mildest first, and the learners at no level.
fn levels(w: &WarningSummary) -> (Vec<(&str, u64)>, u64) {
    (
        w.levels
            .iter()
            .map(|l| (l.level.as_str(), l.learners))
            .collect(),
        w.none,
    )
}

#[test]
fn warning_levels_are_counted_in_the_rulesets_order_with_their_colours() {
    let s = summary(None);
    let all = &s.overall;
    assert_eq!(all.learners, 8);
    let progress = warning(all, "credit-progress");
    assert_eq!(progress.learners, 8);
    // The open university has no orange level: it still goes between yellow and red.
    assert_eq!(
        levels(progress),
        (vec![("yellow", 0), ("orange", 1), ("red", 3)], 4)
    );
    let colours: Vec<&str> = progress.levels.iter().map(|l| l.colour.as_str()).collect();
    assert_eq!(colours, ["#f5c518", "#f5a623", "#d0021b"]);
    assert_eq!(
        levels(warning(all, "failed-credits")),
        (vec![("yellow", 1), ("orange", 1), ("red", 0)], 6)
    );
    // Only the undergraduate rulesets watch the GPA: the three open university learners could
    // not reach it and are not counted among those without a warning.
    let gpa = warning(all, "low-gpa");
    assert_eq!(gpa.learners, 5);
    assert_eq!(levels(gpa), (vec![("yellow", 0), ("red", 1)], 4));
    assert_eq!(gpa.name.as_deref(), Some("绩点预警"));
    // Names are those of the ruleset most learners are under.
    assert_eq!(progress.name.as_deref(), Some("学分进度预警"));
    assert_eq!(progress.levels[2].name.as_deref(), Some("红色预警"));
}

#[test]
fn credit_quartiles_interpolate_between_learners() {
    let s = summary(None);
    let total = &s.overall.total_credits;
    // 0, 6, 20, 22, 24.5, 49, 76, 105.
    assert_eq!(total.learners, 8);
    assert_eq!(total.min, Some(d("0")));
    assert_eq!(total.q1, Some(d("16.5")));
    assert_eq!(total.median, Some(d("23.25")));
    assert_eq!(total.q3, Some(d("55.75")));
    assert_eq!(total.max, Some(d("105")));
    assert_eq!(total.sum, Some(d("302.5")));
    assert_eq!(total.mean, Some(d("37.8125")));
    assert_eq!(total.approximate_to, None);
    let counted: u64 = total.histogram.iter().map(|b| b.learners).sum();
    assert_eq!(counted, 8);
    assert_eq!(total.histogram.first().map(|b| b.from), Some(d("0")));
    assert!(total.histogram.last().is_some_and(|b| b.to >= d("105")));
}

#[test]
fn categories_of_both_programs_are_listed_with_their_names() {
    let s = summary(None);
    let general = s
        .overall
        .credits
        .iter()
        .find(|c| c.category == "general")
        .expect("general credits");
    assert_eq!(general.name, "通识教育");
    // Only the five undergraduates have the category: 58, 7, 16.5, 13, 0.
    assert_eq!(general.credits.learners, 5);
    assert_eq!(general.credits.median, Some(d("13")));
    assert_eq!(general.credits.max, Some(d("58")));
    let ids: Vec<&str> = s
        .overall
        .credits
        .iter()
        .map(|c| c.category.as_str())
        .collect();
    // The rulesets of most learners first: the undergraduate categories, then the open
    // university's that are not among them.
    assert_eq!(
        ids,
        [
            "general",
            "major",
            "practice",
            "innovation",
            "public",
            "foundation",
            "major-core",
            "elective"
        ]
    );
}

#[test]
fn the_gpa_histogram_spans_the_widest_scale() {
    let s = summary(None);
    let gpa = &s.overall.gpa;
    assert_eq!((gpa.learners, s.overall.without_gpa), (6, 2));
    assert_eq!(gpa.median, Some(d("3.46")));
    // The open university's formula gives up to 5.0, the undergraduate scales 4.0.
    let bins: Vec<(String, u64)> = gpa
        .histogram
        .iter()
        .filter(|b| b.learners > 0)
        .map(|b| (format!("[{}, {})", b.from, b.to), b.learners))
        .collect();
    assert_eq!(gpa.histogram.len(), 10);
    assert_eq!(gpa.histogram.last().map(|b| b.to), Some(d("5")));
    assert_eq!(
        bins,
        [
            ("[0.5, 1)".to_string(), 2),
            ("[3, 3.5)".to_string(), 1),
            ("[3.5, 4)".to_string(), 2),
            ("[4, 4.5)".to_string(), 1)
        ]
    );
}

#[test]
fn eligibility_rates_count_only_learners_whose_ruleset_has_the_block() {
    let s = summary(None);
    let graduation = s.overall.graduation.as_ref().expect("graduation");
    assert_eq!((graduation.met, graduation.learners), (1, 8));
    assert_eq!(graduation.rate, Some(d("12.5")));
    let volunteer = s
        .overall
        .certificates
        .iter()
        .find(|c| c.id == "volunteer")
        .expect("volunteer certificate");
    assert_eq!((volunteer.met, volunteer.learners), (1, 5));
    assert_eq!(
        volunteer.rate.map(|r| r.to_string()),
        Some("20.0".to_string())
    );
    assert_eq!(volunteer.name.as_deref(), Some("志愿服务证书"));
    let ops = s
        .overall
        .programs
        .iter()
        .find(|p| p.id == "ops-micro")
        .expect("ops micro-major");
    assert_eq!((ops.met, ops.learners), (0, 3));
}

#[test]
fn groups_by_program_split_every_figure() {
    let s = summary(Some(GroupBy::Program));
    assert_eq!(s.group_by, Some("program"));
    let keys: Vec<&str> = s.groups.iter().filter_map(|g| g.group.as_deref()).collect();
    assert_eq!(
        keys,
        [
            "demo-open-university/lifelong-learning",
            "demo-university/undergraduate"
        ]
    );
    let open = &s.groups[0];
    assert_eq!(open.learners, 3);
    // The open university has yellow and red only; it never sees the GPA warning.
    assert_eq!(
        levels(warning(open, "credit-progress")),
        (vec![("yellow", 0), ("red", 1)], 2)
    );
    assert!(open.warnings.iter().all(|w| w.warning != "low-gpa"));
    // In a group, the names are those of the group's ruleset.
    let progress = warning(open, "credit-progress");
    assert_eq!(progress.name.as_deref(), Some("学习进度提醒"));
    assert_eq!(progress.levels[1].name.as_deref(), Some("学习进度预警"));
    let practice = open
        .credits
        .iter()
        .find(|c| c.category == "practice")
        .unwrap();
    assert_eq!(practice.name, "综合实践");
    let graduation = open.graduation.as_ref().unwrap();
    assert_eq!(graduation.name.as_deref(), Some("毕业要求"));
    assert_eq!(open.graduation.as_ref().map(|g| g.met), Some(1));
    let undergraduate = &s.groups[1];
    assert_eq!(undergraduate.learners, 5);
    assert_eq!(undergraduate.total_credits.median, Some(d("24.5")));
    // Groups share the overall bins, so their histograms line up.
    assert_eq!(open.gpa.histogram.len(), s.overall.gpa.histogram.len());
    let per_bin: Vec<u64> = (0..s.overall.gpa.histogram.len())
        .map(|i| open.gpa.histogram[i].learners + undergraduate.gpa.histogram[i].learners)
        .collect();
    let overall: Vec<u64> = s.overall.gpa.histogram.iter().map(|b| b.learners).collect();
    assert_eq!(per_bin, overall);
}

#[test]
fn a_class_is_an_enrolment_year_of_a_program() {
    let s = summary(Some(GroupBy::Class));
    let classes: Vec<(&str, u64)> = s
        .groups
        .iter()
        .map(|g| (g.group.as_deref().unwrap_or(""), g.learners))
        .collect();
    assert_eq!(
        classes,
        [
            ("2025 demo-open-university/lifelong-learning", 1),
            ("2025 demo-university/undergraduate", 2),
            ("2026 demo-open-university/lifelong-learning", 2),
            ("2026 demo-university/undergraduate", 3)
        ]
    );
    let years = summary(Some(GroupBy::EnrolmentYear));
    let years: Vec<(&str, u64)> = years
        .groups
        .iter()
        .map(|g| (g.group.as_deref().unwrap_or(""), g.learners))
        .collect();
    assert_eq!(years, [("2025", 3), ("2026", 5)]);
}

#[test]
fn without_ruleset_facts_the_reports_still_give_levels_and_colours() {
    let rulesets = Rulesets::bundled();
    let stats = rulesets.stats(&fixed_cohort(), None);
    let s = Summary::new(&stats, &RulesetFacts::new());
    let progress = warning(&s.overall, "credit-progress");
    // Only the levels reached are known, in id order, and everyone counts as able to reach it.
    assert_eq!(levels(progress), (vec![("orange", 1), ("red", 3)], 4));
    assert_eq!(progress.levels[1].colour, "#d0021b");
    assert_eq!(warning(&s.overall, "low-gpa").learners, 8);
    // The GPA bins then span what was observed.
    assert!(s
        .overall
        .gpa
        .histogram
        .last()
        .is_some_and(|b| b.to >= d("4")));
}

#[test]
fn json_follows_the_documented_schema() {
    let s = summary(Some(GroupBy::Program));
    let json: serde_json::Value =
        serde_json::from_str(&stats::json(&s).unwrap()).expect("valid JSON");
    assert_eq!(json["schema"], "creditbank-stats/1");
    assert_eq!(json["group_by"], "program");
    assert_eq!(json["overall"]["learners"], 8);
    assert!(json["overall"].get("group").is_none());
    assert_eq!(json["groups"][1]["group"], "demo-university/undergraduate");
    // Decimal figures are strings, exact.
    assert_eq!(json["overall"]["total_credits"]["median"], "23.25");
    assert_eq!(json["overall"]["graduation"]["rate"], "12.5");
    let level = &json["overall"]["warnings"][0]["levels"][2];
    assert_eq!(level["level"], "red");
    assert_eq!(level["colour"], "#d0021b");
    let bin = &json["overall"]["gpa"]["histogram"][1];
    assert_eq!(
        (
            bin["from"].as_str(),
            bin["to"].as_str(),
            bin["learners"].as_u64()
        ),
        (Some("0.5"), Some("1"), Some(2))
    );
}

#[test]
fn csv_has_one_figure_per_row() {
    let s = summary(Some(GroupBy::Program));
    let text = stats::csv::render(&s).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("group,section,item,measure,value"));
    let rows: Vec<&str> = lines.collect();
    assert!(rows.iter().all(|r| r.split(',').count() >= 5), "{text}");
    for expected in [
        "ruleset,demo-university/undergraduate@2026.1,learners,4",
        ",learners,,count,8",
        ",warning,credit-progress,red,3",
        ",warning,low-gpa,none,4",
        ",credits,total,median,23.25",
        ",gpa,,without_gpa,2",
        "\"[0.5,1)\"",
        ",graduation,graduation,rate,12.5",
        "demo-open-university/lifelong-learning,graduation,graduation,met,1",
    ] {
        assert!(
            rows.iter().any(|r| r.contains(expected)),
            "no row with {expected:?} in\n{text}"
        );
    }
}

#[test]
fn the_table_aligns_figures_and_names_each_group() {
    let s = summary(Some(GroupBy::Program));
    let text = stats::table::render(&s);
    assert!(
        text.starts_with("cohort statistics: 8 learners, 2 groups by program\n"),
        "{text}"
    );
    assert!(
        text.contains("ruleset demo-university/undergraduate 2025.1: 1 learner\n"),
        "{text}"
    );
    assert!(text.contains("== all learners (8 learners)"), "{text}");
    assert!(
        text.contains("== demo-university/undergraduate (5 learners)"),
        "{text}"
    );
    let total = text
        .lines()
        .find(|l| l.trim_start().starts_with("total "))
        .expect("a total row");
    for figure in ["8", "0", "16.5", "23.25", "55.75", "105", "37.81"] {
        assert!(
            total.split_whitespace().any(|w| w == figure),
            "{figure} missing in {total:?}"
        );
    }
    // Chinese names take two columns: the figures after them still line up.
    let general = text
        .lines()
        .find(|l| l.contains("general 通识教育"))
        .unwrap();
    let public = text
        .lines()
        .find(|l| l.contains("public 公共基础课"))
        .unwrap();
    let column = |line: &str| {
        line.split_whitespace().nth(2).map(|first| {
            let before = &line[..line.find(first).unwrap()];
            before
                .chars()
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum::<usize>()
        })
    };
    assert_eq!(column(general), column(public));
}
