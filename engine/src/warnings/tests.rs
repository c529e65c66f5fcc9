use super::*;
use crate::requirements::tests::{compiled, d, HandStanding};

const TEXT: &str = r#"
ruleset "t/warn" version "1" {
  title "t"
  effective 2026-09-01
}
categories {
  general "通识"
}
catalog "c" {
  course G1 "g1" credits 10 category general
}
warning progress "进度" {
  on credits
  after term 2 expect 40
  after term 4 expect 80
  level yellow "黄" colour #f5c518 below 90% message "y"
  level orange "橙" colour #f5a623 below 75% message "o"
  level red "红" colour #d0021b below 60% message "r"
  source "第六条"
}
warning failed "不及格" {
  on failed-credits
  level yellow colour #f5c518 at least 10 message "y"
  level red colour #d0021b at least 25 message "r"
}
warning low-gpa "绩点" {
  on gpa
  level yellow colour #f5c518 below 2.0 message "y"
  level red colour #d0021b below 1.5 message "r"
}
"#;

fn plan() -> WarningsPlan {
    let (file, _, _) = compiled(TEXT);
    WarningsPlan::compile(&file).unwrap()
}

fn standing(term: u32, earned: &str) -> HandStanding {
    let (_, catalog, _) = compiled(TEXT);
    let mut s = HandStanding {
        term,
        ..HandStanding::default()
    };
    s.add(&catalog, "general", d(earned));
    s
}

fn level<'a>(results: &'a [WarningResult<'a>], warning: &str) -> Option<&'a str> {
    results
        .iter()
        .find(|r| r.warning.id == warning)
        .map(|r| r.level.id.as_str())
}

#[test]
fn the_documented_example_is_orange() {
    // Term 5 with 58 credits is measured against term 4's 80: 72.5%.
    let plan = plan();
    let s = standing(5, "58");
    let results = warn(&plan, &s);
    let r = results.iter().find(|r| r.warning.id == "progress").unwrap();
    assert_eq!(r.level.id, "orange");
    assert_eq!(r.level.colour, "#f5a623");
    assert_eq!(
        r.figures,
        WarningFigures::Credits {
            current_term: 5,
            stage_term: 4,
            earned: d("58"),
            expected: d("80"),
            share: Some(d("0.725")),
        }
    );
    assert_eq!(r.warning.source.as_deref(), Some("第六条"));
}

#[test]
fn no_stage_applies_before_the_first() {
    let plan = plan();
    assert_eq!(level(&warn(&plan, &standing(1, "0")), "progress"), None);
    assert_eq!(
        level(&warn(&plan, &standing(2, "0")), "progress"),
        Some("red")
    );
}

#[test]
fn credit_levels_at_their_boundaries() {
    // Term 2 expects 40: 90% is 36, 75% is 30, 60% is 24; "below" is strict.
    let plan = plan();
    let at =
        |earned: &str| level(&warn(&plan, &standing(3, earned)), "progress").map(str::to_owned);
    assert_eq!(at("36"), None);
    assert_eq!(at("35.9").as_deref(), Some("yellow"));
    assert_eq!(at("30").as_deref(), Some("yellow"));
    assert_eq!(at("29.9").as_deref(), Some("orange"));
    assert_eq!(at("24").as_deref(), Some("orange"));
    assert_eq!(at("23.9").as_deref(), Some("red"));
}

#[test]
fn failed_credits_take_the_most_severe_level_reached() {
    let plan = plan();
    let mut s = standing(3, "40");
    s.failed = d("9.5");
    assert_eq!(level(&warn(&plan, &s), "failed"), None);
    s.failed = d("10");
    assert_eq!(level(&warn(&plan, &s), "failed"), Some("yellow"));
    s.failed = d("25");
    assert_eq!(level(&warn(&plan, &s), "failed"), Some("red"));
}

#[test]
fn gpa_levels_and_no_gpa_yet() {
    let plan = plan();
    let mut s = standing(3, "40");
    assert_eq!(level(&warn(&plan, &s), "low-gpa"), None);
    s.gpa = Some(d("2.0"));
    assert_eq!(level(&warn(&plan, &s), "low-gpa"), None);
    s.gpa = Some(d("1.99"));
    assert_eq!(level(&warn(&plan, &s), "low-gpa"), Some("yellow"));
    s.gpa = Some(d("1.2"));
    let results = warn(&plan, &s);
    assert_eq!(level(&results, "low-gpa"), Some("red"));
    let r = results.iter().find(|r| r.warning.id == "low-gpa").unwrap();
    assert_eq!(r.figures, WarningFigures::Gpa { gpa: d("1.2") });
}
