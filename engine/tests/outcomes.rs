//! Review, conversion and caps of non-course outcomes under the bundled demo university
//! ruleset (rulesets/demo-university/undergraduate/2026.1.cbr): golden figures, and
//! properties over generated records.

use creditbank_dsl::ast::{CapPeriod, Date};
use creditbank_dsl::SourceFile;
use creditbank_engine::outcomes::{
    academic_year, term_of, CapScopePlan, Conversion, NotRecognised, OutcomeResult, OutcomesPlan,
    Verdict,
};
use creditbank_engine::plan::{CatalogPlan, KindsPlan};
use creditbank_engine::record::{parse_date, AttributeValue, Outcome, ReviewStatus};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DEMO: &str = include_str!("../../rulesets/demo-university/undergraduate/2026.1.cbr");

/// The demo's plan, compiled once for all tests and property cases.
fn plan() -> &'static OutcomesPlan {
    static PLAN: OnceLock<OutcomesPlan> = OnceLock::new();
    PLAN.get_or_init(compile)
}

fn compile() -> OutcomesPlan {
    let checked = creditbank_dsl::check(&SourceFile::new("2026.1.cbr", DEMO));
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let catalog = CatalogPlan::compile(&checked.file).unwrap();
    let kinds = KindsPlan::compile(&checked.file).unwrap();
    OutcomesPlan::compile(&checked.file, &catalog, &kinds).unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(s: &str) -> Date {
    parse_date(s).unwrap()
}

const ENROLLED: &str = "2026-09-01";

/// An outcome; attribute values that read as numbers are numbers.
fn outcome(
    id: &str,
    kind: &str,
    on: &str,
    attributes: &[(&str, &str)],
    evidence: &[&str],
) -> Outcome {
    Outcome {
        id: id.into(),
        kind: kind.into(),
        attributes: attributes
            .iter()
            .map(|(k, v)| {
                let value = match v.parse::<Decimal>() {
                    Ok(n) => AttributeValue::Number(n),
                    Err(_) => AttributeValue::Text(v.to_string()),
                };
                (k.to_string(), value)
            })
            .collect::<BTreeMap<_, _>>(),
        date: date(on),
        evidence: evidence.iter().map(|e| e.to_string()).collect(),
        institution: None,
        review: None,
    }
}

/// A national competition award on the ranking list, with certificate and notice: approved
/// automatically by `competition-review`.
fn national(id: &str, on: &str, name: &str, award: &str) -> Outcome {
    outcome(
        id,
        "competition",
        on,
        &[
            ("name", name),
            ("level", "national"),
            ("award", award),
            ("listed", "yes"),
        ],
        &["certificate", "notice"],
    )
}

/// Converts `outcomes`; the conversion borrows them, so a test's outcomes live as long as the
/// test process (leaked: a few bytes per test).
fn convert(plan: &OutcomesPlan, outcomes: &[Outcome], as_of: &str) -> Conversion<'static> {
    let outcomes: &'static [Outcome] = Box::leak(outcomes.to_vec().into_boxed_slice());
    plan.convert(outcomes, date(ENROLLED), date(as_of))
}

fn result<'c>(c: &'c Conversion<'c>, id: &str) -> &'c OutcomeResult<'c> {
    c.outcomes.iter().find(|o| o.id == id).unwrap()
}

#[test]
fn golden_national_first_prize_earns_4_innovation_credits() {
    let p = plan();
    let c = convert(
        p,
        &[national("a", "2026-11-20", "挑战杯", "first")],
        "2027-01-10",
    );
    let a = result(&c, "a");
    let decision = a.decision.as_ref().unwrap();
    assert_eq!(decision.verdict, Verdict::Approved);
    assert_eq!(
        p.reason(decision),
        Some("列入竞赛排行榜的国家级竞赛，证书与公示齐全，自动认定")
    );
    assert_eq!(a.recognised, d("4"));
    let rule = p.rule_plan(a.conversions[0].rule).unwrap();
    assert_eq!(rule.id, "competition-national");
    assert_eq!(
        rule.source.as_deref(),
        Some("示范大学本科生创新创业学分认定办法 附表一")
    );
    assert!(DEMO[rule.span.range()].starts_with("convert competition-national"));
    assert_eq!(c.total, d("4"));
}

#[test]
fn golden_second_author_core_paper_earns_half_of_3() {
    let p = plan();
    let mut paper = outcome(
        "p",
        "paper",
        "2027-03-01",
        &[("tier", "core"), ("author-rank", "2")],
        &["offprint", "affiliation"],
    );
    // A core-journal paper goes to manual review; a reviewer approved it.
    assert_eq!(p.review(&paper).unwrap().verdict, Verdict::Pending);
    paper.review = Some(ReviewStatus::Approved);
    let c = convert(p, &[paper], "2027-06-01");
    let r = result(&c, "p");
    assert_eq!(r.conversions[0].raw, d("3"));
    assert_eq!(r.recognised, d("1.5"));
}

#[test]
fn golden_highest_only_per_competition_name() {
    let p = plan();
    let provincial = |id: &str, on: &str, award: &str| {
        outcome(
            id,
            "competition",
            on,
            &[
                ("name", "数学建模"),
                ("level", "provincial"),
                ("award", award),
            ],
            &["certificate", "notice"],
        )
    };
    // A provincial second prize and then a first prize in the same competition: 2, not 3.5.
    let c = convert(
        p,
        &[
            provincial("second", "2026-10-10", "second"),
            provincial("first", "2027-04-10", "first"),
        ],
        "2027-06-01",
    );
    assert_eq!(c.total, d("2"));
    assert_eq!(
        result(&c, "second").conversions[0].superseded_by,
        Some("first")
    );
}

#[test]
fn golden_competitions_expire_after_4_years() {
    let p = plan();
    let award = [national("a", "2026-11-20", "挑战杯", "first")];
    assert_eq!(convert(p, &award, "2030-11-19").total, d("4"));
    let c = convert(p, &award, "2030-11-20");
    assert_eq!(c.total, Decimal::ZERO);
    assert!(matches!(
        result(&c, "a").reasons[..],
        [NotRecognised::Expired {
            since: (2030, 11, 20),
            ..
        }]
    ));
}

#[test]
fn golden_the_innovation_cap_clips_the_third_competition_of_a_year() {
    let p = plan();
    let outcomes = [
        national("a", "2026-10-01", "甲", "first"),
        national("b", "2026-12-01", "乙", "second"),
        national("c", "2027-05-01", "丙", "third"),
    ];
    let c = convert(p, &outcomes, "2027-08-01");
    assert_eq!(result(&c, "a").recognised, d("4"));
    // 4 + 3 exceeds 6: the second keeps 2, the third nothing.
    assert_eq!(result(&c, "b").recognised, d("2"));
    let third = result(&c, "c");
    assert_eq!(third.recognised, Decimal::ZERO);
    let clip = &third.conversions[0].clips[0];
    assert_eq!(p.cap_plan(clip.cap).unwrap().id, "innovation-per-year");
    assert_eq!(clip.by, d("2"));
    assert_eq!(clip.period, Some((CapPeriod::Year, 2026)));
    assert_eq!(c.total, d("6"));
}

#[test]
fn golden_proportion_caps_resolve_against_graduation() {
    let p = plan();
    let limit = |id: &str| p.cap_plan(p.cap(id).unwrap()).unwrap().limit;
    // 20% of the 160 credits required, 25% of the 52 general credits required.
    assert_eq!(limit("conversions-share"), d("32"));
    assert_eq!(limit("mooc-share"), d("13"));
}

#[test]
fn golden_review_missing_evidence_auto_approve_and_manual() {
    let p = plan();
    let no_certificate = outcome(
        "a",
        "competition",
        "2026-11-20",
        &[("level", "national"), ("award", "first"), ("listed", "yes")],
        &["notice"],
    );
    let decision = p.review(&no_certificate).unwrap();
    assert_eq!(decision.verdict, Verdict::Rejected);
    assert_eq!(p.reason(&decision), Some("须提交获奖证书"));

    let volunteering = outcome(
        "v",
        "volunteering",
        "2027-01-01",
        &[("hours", "80"), ("system", "全国志愿服务信息系统")],
        &["record"],
    );
    let decision = p.review(&volunteering).unwrap();
    assert_eq!(decision.verdict, Verdict::Approved);

    let unlisted = outcome(
        "u",
        "competition",
        "2026-11-20",
        &[("level", "national"), ("award", "first"), ("listed", "no")],
        &["certificate", "notice"],
    );
    let decision = p.review(&unlisted).unwrap();
    assert_eq!(decision.verdict, Verdict::Pending);
    assert_eq!(
        p.reason(&decision),
        Some("未列入排行榜的竞赛由学院学术委员会认定级别")
    );
    let c = convert(p, &[unlisted], "2027-01-01");
    assert_eq!(result(&c, "u").would_earn, d("4"));
    assert_eq!(c.total, Decimal::ZERO);
}

#[test]
fn golden_volunteering_is_capped_at_2_by_its_rule_cap() {
    let p = plan();
    let v = |id: &str, on: &str| {
        outcome(
            id,
            "volunteering",
            on,
            &[("hours", "100"), ("system", "全国志愿服务信息系统")],
            &["record"],
        )
    };
    let c = convert(
        p,
        &[v("v1", "2026-12-01"), v("v2", "2027-12-01")],
        "2028-01-01",
    );
    assert_eq!(result(&c, "v1").recognised, d("2"));
    assert_eq!(result(&c, "v2").recognised, Decimal::ZERO);
    let clip = &result(&c, "v2").conversions[0].clips[0];
    assert_eq!(p.cap_plan(clip.cap).unwrap().id, "volunteering-total");
}

/// Outcomes are served in date order, each taking what every cap still allows. One served
/// first can take room in two caps that cross (innovation per year, competitions in total)
/// that the outcomes it pushes out of one would have used in the other; the engine then moves
/// credit to reach the largest total the caps allow, so adding the outcome keeps 12 instead of
/// falling to 10 (docs/LANGUAGE.md, section 11, has this example).
#[test]
fn an_outcome_served_first_does_not_lower_the_total_when_caps_cross() {
    let p = plan();
    assert!(
        p.caps_cross(),
        "innovation per year crosses competitions in total"
    );
    let approved = |mut o: Outcome| {
        o.review = Some(ReviewStatus::Approved);
        o.evidence = Vec::new();
        o
    };
    let paper = approved(outcome(
        "paper",
        "paper",
        "2027-10-01",
        &[("tier", "top"), ("author-rank", "1")],
        &[],
    ));
    let base = vec![
        approved(national("o1", "2027-09-01", "竞赛1", "first")),
        paper,
        approved(national("o2", "2029-01-01", "竞赛0", "special")),
    ];
    let before = convert(p, &base, AS_OF);
    assert_eq!(before.total, d("12"));
    let mut more = base.clone();
    more.push(approved(national("a0", "2027-09-01", "独有", "special")));
    let after = convert(p, &more, AS_OF);
    // Served in order, a0 would take 6 in 2027-28 and 6 of the 10 for competitions, leaving
    // o2 4: a total of 10. The best total keeps the paper's 2 in 2027-28 (the paper counts
    // under no competition cap) and gives o2 its 6 in 2028-29.
    assert_eq!(result(&after, "a0").recognised, d("4"));
    assert_eq!(result(&after, "o1").recognised, Decimal::ZERO);
    assert_eq!(result(&after, "paper").recognised, d("2"));
    assert_eq!(result(&after, "o2").recognised, d("6"));
    assert_eq!(after.total, d("12"));
    // Each outcome cut short names a cap that is full.
    let clip = &result(&after, "a0").conversions[0].clips[0];
    assert_eq!(p.cap_plan(clip.cap).unwrap().id, "competition-total");
    assert_eq!(clip.by, d("2"));
    let clip = &result(&after, "o1").conversions[0].clips[0];
    assert_eq!(p.cap_plan(clip.cap).unwrap().id, "competition-total");
}

/// `highest only per` picks the outcome earning the most credits before caps (the order of
/// evaluation puts it before the caps), so a better award that falls in a year whose cap is
/// already full supersedes an earlier one that counted, and the total falls. This pins the
/// behaviour: adding an approved outcome never lowers the total *unless* it supersedes one.
#[test]
fn highest_only_can_lower_the_total_across_periodic_caps() {
    let p = plan();
    let paper = |id: &str, on: &str| {
        let mut o = outcome(
            id,
            "paper",
            on,
            &[("tier", "top"), ("author-rank", "1")],
            &["offprint", "affiliation", "index-report"],
        );
        o.review = Some(ReviewStatus::Approved);
        o
    };
    let base = vec![
        national("first", "2026-10-01", "挑战杯", "first"),
        paper("p1", "2027-09-10"),
        paper("p2", "2027-10-10"),
    ];
    let before = convert(p, &base, "2028-08-01");
    assert_eq!(before.total, d("10"));
    let mut more = base.clone();
    more.push(national("special", "2028-05-01", "挑战杯", "special"));
    let after = convert(p, &more, "2028-08-01");
    // 2026-27: the first prize is superseded; 2027-28: the papers fill the year's 6.
    assert_eq!(result(&after, "first").recognised, Decimal::ZERO);
    assert_eq!(result(&after, "special").recognised, Decimal::ZERO);
    assert_eq!(after.total, d("6"));
}

#[test]
fn golden_internship_weeks_and_mooc_hours() {
    let p = plan();
    let internship = |id: &str, weeks: &str| {
        let mut o = outcome(
            id,
            "internship",
            "2027-08-01",
            &[
                ("employer", "示范公司"),
                ("weeks", weeks),
                ("relevant", "yes"),
                ("appraisal", "good"),
            ],
            &["agreement", "report", "appraisal-form"],
        );
        o.review = Some(ReviewStatus::Approved);
        o
    };
    // min(floor(weeks / 2), 4): 9 weeks earn 4, 5 weeks 2.
    let c = convert(
        p,
        &[internship("i9", "9"), internship("i5", "5")],
        "2027-09-01",
    );
    assert_eq!(result(&c, "i9").recognised, d("4"));
    assert_eq!(result(&c, "i5").recognised, d("2"));

    let mooc = |id: &str, hours: &str, institution: Option<&str>| {
        let mut o = outcome(
            id,
            "mooc",
            "2027-01-10",
            &[
                ("course-name", id),
                ("hours", hours),
                ("score", "88"),
                ("certified", "yes"),
            ],
            &["certificate", "transcript"],
        );
        o.institution = institution.map(str::to_string);
        o
    };
    // 45 / 16 = 2.8125, rounded down to 2.5; a MOOC without a listed platform earns nothing.
    let c = convert(
        p,
        &[mooc("m1", "45", Some("icourse")), mooc("m2", "45", None)],
        "2027-02-01",
    );
    let m1 = result(&c, "m1");
    assert_eq!(m1.decision.as_ref().unwrap().verdict, Verdict::Approved);
    assert_eq!(m1.recognised, d("2.5"));
    assert_eq!(result(&c, "m2").reasons[..], [NotRecognised::NoRuleApplies]);
}

#[test]
fn golden_ielts_expires_on_its_second_anniversary() {
    let p = plan();
    let mut ielts = outcome(
        "ielts",
        "language-test",
        "2024-06-15",
        &[("exam", "ielts"), ("score", "7")],
        &["report"],
    );
    ielts.review = Some(ReviewStatus::Approved);
    let ielts = [ielts];
    assert_eq!(convert(p, &ielts, "2026-06-14").total, d("2"));
    assert_eq!(convert(p, &ielts, "2026-06-15").total, Decimal::ZERO);
}

// ---------------------------------------------------------------------------------------------
// Properties over generated records.

fn arb_date() -> impl Strategy<Value = Date> {
    (2026u16..2030, 1u8..=12, 1u8..=28).prop_map(|(year, month, day)| Date { year, month, day })
}

/// One approved outcome of a kind the demo converts, with values from small pools so that
/// names repeat (for `highest only per`) and caps are reached.
fn arb_outcome() -> impl Strategy<Value = Outcome> {
    let competition = (
        0usize..3,
        prop::sample::select(vec!["national", "provincial", "school"]),
        prop::sample::select(vec!["special", "first", "second", "third", "participation"]),
    )
        .prop_map(|(name, level, award)| {
            (
                "competition",
                vec![
                    ("name", format!("竞赛{name}")),
                    ("level", level.to_string()),
                    ("award", award.to_string()),
                ],
            )
        });
    let paper = (
        prop::sample::select(vec!["top", "core", "general"]),
        1u32..4,
    )
        .prop_map(|(tier, rank)| {
            (
                "paper",
                vec![
                    ("tier", tier.to_string()),
                    ("author-rank", rank.to_string()),
                ],
            )
        });
    let mooc = (0usize..3, 1u32..120).prop_map(|(name, hours)| {
        (
            "mooc",
            vec![
                ("course-name", format!("课程{name}")),
                ("hours", hours.to_string()),
                ("score", "90".to_string()),
                ("certified", "yes".to_string()),
            ],
        )
    });
    let volunteering = (40u32..300).prop_map(|hours| {
        (
            "volunteering",
            vec![("hours", hours.to_string()), ("system", "其他".to_string())],
        )
    });
    (
        prop_oneof![competition, paper, mooc, volunteering],
        arb_date(),
        prop::sample::select(vec![None, Some("icourse"), Some("xuetangx")]),
    )
        .prop_map(|((kind, attributes), date, institution)| Outcome {
            id: String::new(),
            kind: kind.to_string(),
            attributes: attributes
                .into_iter()
                .map(|(k, v)| {
                    let value = match v.parse::<Decimal>() {
                        Ok(n) => AttributeValue::Number(n),
                        Err(_) => AttributeValue::Text(v),
                    };
                    (k.to_string(), value)
                })
                .collect(),
            date,
            evidence: Vec::new(),
            institution: institution.map(str::to_string),
            review: Some(ReviewStatus::Approved),
        })
}

fn arb_outcomes() -> impl Strategy<Value = Vec<Outcome>> {
    prop::collection::vec(arb_outcome(), 0..16).prop_map(|mut list| {
        for (i, o) in list.iter_mut().enumerate() {
            o.id = format!("o{i:02}");
        }
        list
    })
}

const AS_OF: &str = "2030-06-01";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn shuffling_the_outcomes_does_not_change_the_result(
        outcomes in arb_outcomes(),
        seed in any::<u64>(),
    ) {
        let p = plan();
        let mut shuffled = outcomes.clone();
        // A deterministic shuffle from the seed (no RNG dependency needed).
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(convert(p, &outcomes, AS_OF), convert(p, &shuffled, AS_OF));
    }

    #[test]
    fn no_cap_is_ever_exceeded(outcomes in arb_outcomes()) {
        let p = plan();
        let c = convert(p, &outcomes, AS_OF);
        for (index, cap) in p.caps.iter().enumerate() {
            let mut used: BTreeMap<i32, Decimal> = BTreeMap::new();
            for o in &c.outcomes {
                for conv in &o.conversions {
                    let rule = p.rule_plan(conv.rule).unwrap();
                    let counts = match cap.scope {
                        CapScopePlan::Rule(r) => r == conv.rule,
                        CapScopePlan::Kind(k) => k == rule.kind,
                        CapScopePlan::Category(cat) => cat == conv.category,
                        CapScopePlan::Conversions => true,
                    };
                    if !counts {
                        continue;
                    }
                    let period = match cap.period {
                        None => 0,
                        Some(CapPeriod::Year) => academic_year(o.date, p.year_start),
                        Some(CapPeriod::Term) => term_of(o.date, date(ENROLLED), p.year_start),
                    };
                    *used.entry(period).or_default() += conv.recognised;
                }
            }
            for (period, sum) in used {
                prop_assert!(
                    sum <= cap.limit,
                    "cap #{} `{}` lets {} through in period {}, limit {}",
                    index, cap.id, sum, period, cap.limit
                );
            }
        }
    }

    /// Wherever the new outcome falls among the others (earlier, later, the same day), the
    /// total does not fall: the caps are allocated for the largest total they allow
    /// (docs/LANGUAGE.md, section 11), and a larger set of outcomes can only allow more.
    #[test]
    fn adding_an_approved_outcome_never_lowers_the_total(
        outcomes in arb_outcomes(),
        extra in arb_outcome(),
        first_on_its_day in any::<bool>(),
    ) {
        let p = plan();
        let before = convert(p, &outcomes, AS_OF).total;
        let mut more = outcomes.clone();
        let mut extra = extra;
        // Same-day outcomes are served by kind, then id: `a` before and `z` after the others.
        extra.id = if first_on_its_day { "a-extra" } else { "z-extra" }.into();
        // A name of its own: see `highest_only_can_lower_the_total_across_periodic_caps`.
        for attribute in ["name", "course-name"] {
            if let Some(value) = extra.attributes.get_mut(attribute) {
                *value = AttributeValue::Text("独有".into());
            }
        }
        more.push(extra);
        let after = convert(p, &more, AS_OF).total;
        prop_assert!(after >= before, "total fell from {} to {}", before, after);
    }
}
