//! Unit tests of review, conversion and caps on small rulesets.

use super::*;
use crate::record::{AttributeValue, Outcome, ReviewStatus};
use creditbank_dsl::ast::Date;
use creditbank_dsl::SourceFile;
use std::collections::BTreeMap;

const TEXT: &str = r#"
ruleset "t/x" version "1" {
  title "t"
  effective 2026-09-01
}
categories {
  innovation "创新"
  general "通识"
}
catalog {
  course C1 "课程" credits 100 category general
}
institutions {
  home "本校" in-school share 100%
  half "他校" university share 50%
}
kind competition {
  attribute name text
  attribute level one of national, provincial
  attribute award one of first, second
  evidence certificate "证书", notice "公示"
}
kind paper {
  attribute tier one of core, general
  attribute rank integer [1, 20]
}
kind mooc {
  attribute hours number [1, 200]
}
convert comp {
  kind competition
  into innovation
  credits by award {
    first => 4
    second => 3
  }
  highest only per name
  expires after 2 years
  source "附表一"
}
convert paper {
  kind paper
  into innovation
  credits by tier {
    core => 3
    general => 1
  }
  split by rank {
    1 => 100%
    2 => 50%
  }
}
convert mooc {
  kind mooc
  from home, half
  into general
  credits hours / 16 rounded down to 0.5
}
cap paper-total {
  on rule paper
  at most 2
}
cap comp-year {
  on kind competition
  at most 5 per year
}
cap mooc-term {
  on kind mooc
  at most 3 per term
}
cap all {
  on conversions
  at most 10% of required total
}
review comp-review {
  for competition
  require evidence certificate because "须提交证书"
  reject when level = provincial and award = second because "省二不认定"
  approve when has evidence notice because "公示齐全"
  otherwise manual because "人工认定"
}
graduation {
  requires total at least 100
  requires category innovation at least 2
}
"#;

fn plan_of(text: &str) -> OutcomesPlan {
    let checked = creditbank_dsl::check(&SourceFile::new("t.cbr", text));
    let errors: Vec<_> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let catalog = CatalogPlan::compile(&checked.file).unwrap();
    let kinds = KindsPlan::compile(&checked.file).unwrap();
    OutcomesPlan::compile(&checked.file, &catalog, &kinds).unwrap()
}

fn plan() -> OutcomesPlan {
    plan_of(TEXT)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date(s: &str) -> Date {
    crate::record::parse_date(s).unwrap()
}

/// An outcome; attribute values that read as numbers are numbers.
fn outcome(
    id: &str,
    kind: &str,
    on: &str,
    attributes: &[(&str, &str)],
    evidence: &[&str],
) -> Outcome {
    let attributes: BTreeMap<String, AttributeValue> = attributes
        .iter()
        .map(|(k, v)| {
            let value = match v.parse::<Decimal>() {
                Ok(n) => AttributeValue::Number(n),
                Err(_) => AttributeValue::Text(v.to_string()),
            };
            (k.to_string(), value)
        })
        .collect();
    Outcome {
        id: id.into(),
        kind: kind.into(),
        attributes,
        date: date(on),
        evidence: evidence.iter().map(|e| e.to_string()).collect(),
        institution: None,
        review: None,
    }
}

fn comp(id: &str, on: &str, name: &str, award: &str) -> Outcome {
    outcome(
        id,
        "competition",
        on,
        &[("name", name), ("level", "national"), ("award", award)],
        &["certificate", "notice"],
    )
}

fn approved(mut o: Outcome) -> Outcome {
    o.review = Some(ReviewStatus::Approved);
    o
}

const ENROLLED: &str = "2026-09-01";

fn convert<'a>(plan: &OutcomesPlan, outcomes: &'a [Outcome], as_of: &str) -> Conversion<'a> {
    plan.convert(outcomes, date(ENROLLED), date(as_of))
}

fn result<'c>(c: &'c Conversion<'c>, id: &str) -> &'c OutcomeResult<'c> {
    c.outcomes.iter().find(|o| o.id == id).unwrap()
}

#[test]
fn missing_evidence_rejects_with_the_clause_reason() {
    let p = plan();
    let o = outcome(
        "a",
        "competition",
        "2026-10-01",
        &[("level", "national")],
        &["notice"],
    );
    let decision = p.review(&o).unwrap();
    assert_eq!(decision.verdict, Verdict::Rejected);
    assert!(
        matches!(&decision.basis, Basis::MissingEvidence { missing, .. } if missing == &["certificate"])
    );
    assert_eq!(p.reason(&decision), Some("须提交证书"));
    let span = p.decided_at(&decision).unwrap();
    assert!(TEXT[span.range()].starts_with("require evidence certificate"));
}

#[test]
fn a_reject_case_wins_over_an_approve_case() {
    let p = plan();
    let o = outcome(
        "a",
        "competition",
        "2026-10-01",
        &[("level", "provincial"), ("award", "second")],
        &["certificate", "notice"],
    );
    let decision = p.review(&o).unwrap();
    assert_eq!(decision.verdict, Verdict::Rejected);
    assert_eq!(p.reason(&decision), Some("省二不认定"));
}

#[test]
fn approve_cases_approve_and_the_rest_goes_to_manual_review() {
    let p = plan();
    let o = comp("a", "2026-10-01", "挑战杯", "first");
    let decision = p.review(&o).unwrap();
    assert_eq!(decision.verdict, Verdict::Approved);
    assert_eq!(p.reason(&decision), Some("公示齐全"));
    let mut o = o;
    o.evidence = vec!["certificate".into()];
    let decision = p.review(&o).unwrap();
    assert_eq!(decision.verdict, Verdict::Pending);
    assert_eq!(p.reason(&decision), Some("人工认定"));
    assert!(TEXT[p.decided_at(&decision).unwrap().range()].contains("otherwise manual"));
}

#[test]
fn a_recorded_decision_wins_and_a_kind_without_criteria_is_manual() {
    let p = plan();
    let mut o = outcome("a", "competition", "2026-10-01", &[], &[]);
    o.review = Some(ReviewStatus::Approved);
    assert_eq!(
        p.review(&o).unwrap(),
        Decision {
            verdict: Verdict::Approved,
            basis: Basis::Recorded
        }
    );
    let paper = outcome("b", "paper", "2026-10-01", &[("tier", "core")], &[]);
    assert_eq!(
        p.review(&paper).unwrap(),
        Decision {
            verdict: Verdict::Pending,
            basis: Basis::NoCriteria
        }
    );
}

#[test]
fn an_unknown_kind_or_a_bad_value_is_unrecognised_not_an_error() {
    let p = plan();
    let outcomes = [
        outcome("a", "hackathon", "2026-10-01", &[], &[]),
        outcome(
            "b",
            "competition",
            "2026-10-01",
            &[("level", "world")],
            &["certificate"],
        ),
        approved(comp("c", "2026-10-01", "挑战杯", "first")),
    ];
    let c = convert(&p, &outcomes, "2027-01-01");
    let a = result(&c, "a");
    assert_eq!(
        a.reasons[..],
        [NotRecognised::Unrecognised(Box::new(
            Unrecognised::UnknownKind("hackathon".into())
        ))]
    );
    assert_eq!(
        a.reasons[0].clone(),
        NotRecognised::Unrecognised(Box::new(Unrecognised::UnknownKind("hackathon".into())))
    );
    let NotRecognised::Unrecognised(e) = &result(&c, "b").reasons[0] else {
        panic!("not unrecognised")
    };
    assert_eq!(
        e.to_string(),
        "`level` of `competition` cannot be `world`: one of national, provincial"
    );
    assert_eq!(c.total, d("4"));
}

#[test]
fn table_credits_split_shares_and_unlisted_ranks() {
    let p = plan();
    let outcomes = [
        approved(outcome(
            "p1",
            "paper",
            "2026-10-01",
            &[("tier", "core"), ("rank", "2")],
            &[],
        )),
        approved(outcome(
            "p2",
            "paper",
            "2026-11-01",
            &[("tier", "core"), ("rank", "3")],
            &[],
        )),
    ];
    let c = convert(&p, &outcomes, "2027-01-01");
    let p1 = result(&c, "p1");
    assert_eq!(p1.conversions[0].raw, d("3"));
    assert_eq!(p1.conversions[0].credited, d("1.5"));
    assert_eq!(p1.recognised, d("1.5"));
    let p2 = result(&c, "p2");
    assert_eq!(p2.recognised, Decimal::ZERO);
    assert!(p2.reasons.contains(&NotRecognised::RankNotListed {
        rule: RuleId(1),
        rank: d("3")
    }));
}

#[test]
fn formula_credits_round_down_then_take_the_institution_share() {
    let p = plan();
    let mut other = approved(outcome("m1", "mooc", "2026-10-01", &[("hours", "45")], &[]));
    other.institution = Some("half".into());
    let home = approved(outcome("m2", "mooc", "2027-03-01", &[("hours", "7")], &[]));
    let outcomes = [other, home];
    let c = convert(&p, &outcomes, "2027-06-01");
    let m1 = result(&c, "m1");
    assert_eq!(m1.conversions[0].raw, d("2.5"));
    assert_eq!(m1.recognised, d("1.25"));
    // 7 hours round down to nothing; an outcome without institution is the in-school one's.
    let m2 = result(&c, "m2");
    assert_eq!(m2.conversions[0].raw, Decimal::ZERO);
    let mut unknown = approved(outcome("m3", "mooc", "2026-10-01", &[("hours", "45")], &[]));
    unknown.institution = Some("nowhere".into());
    assert_eq!(
        p.review(&unknown),
        Err(Unrecognised::UnknownInstitution("nowhere".into()))
    );
}

#[test]
fn highest_only_per_name_keeps_the_highest_and_names_it() {
    let p = plan();
    let outcomes = [
        approved(comp("early", "2026-10-01", "挑战杯", "second")),
        approved(comp("late", "2026-12-01", "挑战杯", "first")),
        approved(comp("other", "2026-11-01", "数学建模", "second")),
    ];
    let c = convert(&p, &outcomes, "2027-01-01");
    let early = result(&c, "early");
    assert_eq!(early.recognised, Decimal::ZERO);
    assert_eq!(early.conversions[0].superseded_by, Some("late"));
    assert!(early.reasons.contains(&NotRecognised::Superseded {
        rule: RuleId(0),
        by: "late"
    }));
    assert_eq!(result(&c, "late").conversions[0].credited, d("4"));
    assert_eq!(result(&c, "other").conversions[0].credited, d("3"));
}

#[test]
fn among_equals_the_earliest_counts() {
    let p = plan();
    let outcomes = [
        approved(comp("b", "2026-10-01", "挑战杯", "first")),
        approved(comp("a", "2026-10-02", "挑战杯", "first")),
    ];
    let c = convert(&p, &outcomes, "2027-01-01");
    assert_eq!(result(&c, "b").recognised, d("4"));
    assert_eq!(result(&c, "a").conversions[0].superseded_by, Some("b"));
}

#[test]
fn expiry_counts_from_the_evaluation_date() {
    let p = plan();
    let outcomes = [approved(comp("a", "2024-06-15", "挑战杯", "first"))];
    assert_eq!(convert(&p, &outcomes, "2026-06-14").total, d("4"));
    let c = convert(&p, &outcomes, "2026-06-15");
    assert_eq!(c.total, Decimal::ZERO);
    assert_eq!(
        result(&c, "a").reasons[..],
        [NotRecognised::Expired {
            rule: RuleId(0),
            since: (2026, 6, 15)
        }]
    );
}

#[test]
fn an_expired_award_does_not_hide_a_current_one() {
    let p = plan();
    let outcomes = [
        approved(comp("old", "2023-10-01", "挑战杯", "first")),
        approved(comp("new", "2026-10-01", "挑战杯", "second")),
    ];
    let c = convert(&p, &outcomes, "2026-11-01");
    assert_eq!(result(&c, "new").recognised, d("3"));
}

#[test]
fn a_per_year_cap_clips_the_outcome_that_exceeds_it() {
    let p = plan();
    let outcomes = [
        approved(comp("c1", "2026-10-01", "甲", "first")),
        approved(comp("c2", "2026-11-01", "乙", "second")),
        approved(comp("c3", "2027-03-01", "丙", "second")),
        // The next academic year has its own allowance.
        approved(comp("c4", "2027-09-01", "丁", "first")),
    ];
    let c = convert(&p, &outcomes, "2027-10-01");
    assert_eq!(result(&c, "c1").recognised, d("4"));
    let c2 = result(&c, "c2");
    assert_eq!(c2.recognised, d("1"));
    let year_cap = p.cap("comp-year").unwrap();
    assert_eq!(
        c2.conversions[0].clips,
        vec![Clip {
            cap: year_cap,
            by: d("2"),
            period: Some((CapPeriod::Year, 2026))
        }]
    );
    assert_eq!(result(&c, "c3").recognised, Decimal::ZERO);
    assert_eq!(result(&c, "c4").recognised, d("4"));
}

#[test]
fn a_per_term_cap_counts_half_years_from_enrolment() {
    let p = plan();
    let mooc = |id: &str, on: &str| approved(outcome(id, "mooc", on, &[("hours", "32")], &[]));
    let outcomes = [
        mooc("m1", "2026-10-01"),
        mooc("m2", "2027-02-01"),
        mooc("m3", "2027-03-01"),
    ];
    let c = convert(&p, &outcomes, "2027-06-01");
    assert_eq!(result(&c, "m1").recognised, d("2"));
    assert_eq!(result(&c, "m2").recognised, d("1"));
    assert_eq!(
        result(&c, "m2").conversions[0].clips[0].period,
        Some((CapPeriod::Term, 1))
    );
    assert_eq!(result(&c, "m3").recognised, d("2"));
}

#[test]
fn a_proportion_cap_is_a_share_of_the_required_total() {
    let p = plan();
    let all = p.cap_plan(p.cap("all").unwrap()).unwrap();
    assert_eq!(all.limit, d("10"));
    let p2 = plan_of(&TEXT.replace(
        "at most 10% of required total",
        "at most 100% of required innovation",
    ));
    assert_eq!(p2.cap_plan(p2.cap("all").unwrap()).unwrap().limit, d("2"));
}

#[test]
fn a_proportion_cap_without_its_requirement_does_not_compile() {
    let text = TEXT.replace("requires total at least 100", "");
    let checked = creditbank_dsl::check(&SourceFile::new("t.cbr", text));
    let catalog = CatalogPlan::compile(&checked.file).unwrap();
    let kinds = KindsPlan::compile(&checked.file).unwrap();
    let err = OutcomesPlan::compile(&checked.file, &catalog, &kinds).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cap `all` is a share of the total, which graduation does not require"
    );
}

#[test]
fn caps_clip_by_rule_then_kind_then_category_then_conversions() {
    let p = plan();
    let order: Vec<&str> = p
        .cap_order()
        .iter()
        .map(|c| p.cap_plan(*c).unwrap().id.as_str())
        .collect();
    assert_eq!(order, vec!["paper-total", "comp-year", "mooc-term", "all"]);
    // 3 + 3 papers: the rule cap lets 2 through, then nothing; then the conversions cap.
    let outcomes = [
        approved(outcome(
            "p1",
            "paper",
            "2026-10-01",
            &[("tier", "core"), ("rank", "1")],
            &[],
        )),
        approved(outcome(
            "p2",
            "paper",
            "2026-10-02",
            &[("tier", "core"), ("rank", "1")],
            &[],
        )),
    ];
    let c = convert(&p, &outcomes, "2027-01-01");
    assert_eq!(result(&c, "p1").recognised, d("2"));
    assert_eq!(result(&c, "p1").conversions[0].clips[0].by, d("1"));
    assert_eq!(result(&c, "p2").recognised, Decimal::ZERO);
    assert_eq!(c.total, d("2"));
}

#[test]
fn pending_outcomes_show_what_they_would_earn() {
    let p = plan();
    let mut o = comp("a", "2026-10-01", "挑战杯", "first");
    o.evidence = vec!["certificate".into()];
    let outcomes = [o];
    let c = convert(&p, &outcomes, "2027-01-01");
    let a = result(&c, "a");
    assert_eq!(a.decision.as_ref().unwrap().verdict, Verdict::Pending);
    assert_eq!(a.would_earn, d("4"));
    assert_eq!(a.recognised, Decimal::ZERO);
    assert_eq!(c.total, Decimal::ZERO);
    assert!(c.approved.is_empty());
}

#[test]
fn totals_by_category_and_kind_and_the_approved_list() {
    let p = plan();
    let outcomes = [
        approved(comp("c1", "2026-10-01", "甲", "first")),
        approved(outcome("m1", "mooc", "2026-10-01", &[("hours", "16")], &[])),
    ];
    let c = convert(&p, &outcomes, "2027-01-01");
    assert_eq!(c.category_credits, vec![d("4"), d("1")]);
    assert_eq!(c.kind_credits, vec![d("4"), Decimal::ZERO, d("1")]);
    assert_eq!(c.total, d("5"));
    let ids: Vec<&str> = c.approved.iter().map(|a| a.id).collect();
    assert_eq!(ids, vec!["c1", "m1"]);
}

#[test]
fn course_credit_counts_against_category_caps_first() {
    let text = TEXT.replace(
        "cap all {",
        "cap innovation-year {\n  on category innovation\n  at most 6 per year\n}\ncap all {",
    );
    let p = plan_of(&text);
    let outcomes = [approved(comp("c1", "2026-10-01", "甲", "first"))];
    let innovation = CategoryId(0);
    let course = |term| CourseCredit {
        category: innovation,
        term,
        credits: d("3"),
    };
    let c = p.convert_after_courses(&outcomes, date(ENROLLED), date("2027-01-01"), &[course(2)]);
    assert_eq!(c.total, d("3"));
    let clip = &result(&c, "c1").conversions[0].clips[0];
    assert_eq!(p.cap_plan(clip.cap).unwrap().id, "innovation-year");
    // Term 3 is the next academic year: it leaves this year's room alone.
    let c = p.convert_after_courses(&outcomes, date(ENROLLED), date("2027-01-01"), &[course(3)]);
    assert_eq!(c.total, d("4"));
}
