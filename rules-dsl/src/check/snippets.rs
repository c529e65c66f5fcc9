//! Checks run on parsed source text: what an author sees for small rulesets.

use crate::{check, Code, Diagnostic, SourceFile};

const HEADER: &str = r#"
ruleset "demo/undergraduate" version "2026.1" {
  title "示范"
  effective 2026-09-01
}
categories {
  general "通识教育"
  innovation "创新创业"
}
catalog "2026级" {
  course GE101 "大学英语" credits 4 category general tags core
  course GE102 "思想道德与法治" credits 3 category general
}
kind competition "学科竞赛" {
  attribute level one of national "国家级", provincial "省级"
  attribute award one of special, first, second
  attribute author-rank integer [1, 10]
  attribute hours number
  evidence certificate, list
}
review comp-review {
  for competition
  require evidence certificate because "缺少证书"
  otherwise manual because "人工"
}
"#;

/// The diagnostics of `HEADER` followed by `rest`, with the text each points at.
fn diagnostics(rest: &str) -> (String, Vec<Diagnostic>) {
    let text = format!("{HEADER}{rest}");
    let checked = check(&SourceFile::new("t.cbr", text.clone()));
    (text, checked.diagnostics)
}

fn codes(rest: &str) -> Vec<&'static str> {
    diagnostics(rest)
        .1
        .iter()
        .map(|d| d.code.as_str())
        .collect()
}

/// The one diagnostic `rest` produces, and the source text under its span.
fn one(rest: &str, code: Code) -> (Diagnostic, String) {
    let (text, found) = diagnostics(rest);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = found.into_iter().next().unwrap();
    assert_eq!(d.code, code, "{d:#?}");
    let under = text[d.span.range()].to_string();
    (d, under)
}

const CONVERT: &str = r#"
convert comp {
  kind competition
  when level = national
  into innovation
  credits 2
}
"#;

#[test]
fn a_valid_ruleset_has_no_diagnostics() {
    assert_eq!(codes(CONVERT), Vec::<&str>::new());
}

#[test]
fn unknown_category_points_at_the_name() {
    let (text, found) = diagnostics(&CONVERT.replace("into innovation", "into inovation"));
    // Nothing goes into `innovation` any more, so it is also reported as never credited.
    let got: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(got, vec!["W001", "E011"]);
    let d = &found[1];
    assert_eq!(&text[d.span.range()], "inovation");
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `innovation`? declared categories: general, innovation")
    );
}

#[test]
fn hyphenated_variable_suggests_spaces() {
    let (d, under) = one(
        &CONVERT.replace("credits 2", "credits (hours-16) / 16 rounded down to 0.5"),
        Code::UnknownAttribute,
    );
    // The parser may include the parentheses around a lone variable in its span.
    assert!(under.contains("hours-16"), "{under}");
    assert_eq!(
        d.help.as_deref(),
        Some("write `hours - 16` with spaces to subtract")
    );
}

#[test]
fn contradictions_point_at_the_second_test() {
    let (d, under) = one(
        &CONVERT.replace(
            "level = national",
            "level = national and level = provincial",
        ),
        Code::RuleNeverFires,
    );
    assert_eq!(under, "level = provincial");
    assert_eq!(d.related.len(), 1);
    let (_, under) = one(
        &CONVERT.replace("level = national", "author-rank > 10"),
        Code::RuleNeverFires,
    );
    assert_eq!(under, "author-rank > 10");
    // Integers: nothing lies strictly between 2 and 3.
    let (_, under) = one(
        &CONVERT.replace("level = national", "author-rank > 2 and author-rank < 3"),
        Code::RuleNeverFires,
    );
    assert_eq!(under, "author-rank < 3");
}

#[test]
fn divisions() {
    let (_, under) = one(
        &CONVERT.replace("credits 2", "credits hours / (2 - 2)"),
        Code::DivisionByZero,
    );
    assert_eq!(under, "(2 - 2)");
    let (d, under) = one(
        &CONVERT.replace("credits 2", "credits 8 / hours"),
        Code::MaybeDivisionByZero,
    );
    assert_eq!(under, "hours");
    assert!(d.label.contains("(-inf, +inf)"), "{}", d.label);
    assert_eq!(
        codes(&CONVERT.replace("credits 2", "credits 8 / author-rank")),
        Vec::<&str>::new()
    );
}

#[test]
fn caps_that_block_a_requirement() {
    let rest = format!(
        "{CONVERT}
cap innov {{ on category innovation at most 4 }}
graduation {{ requires category innovation at least 6 }}
"
    );
    let (d, under) = one(&rest, Code::CapBlocksRequirement);
    assert_eq!(under, "6");
    assert_eq!(d.related.len(), 1);
    // A per-year cap adds up over the years: no error.
    let per_year = rest.replace("at most 4 }", "at most 4 per year }");
    assert_eq!(codes(&per_year), Vec::<&str>::new());
}

#[test]
fn review_case_after_one_that_always_applies() {
    let rest = CONVERT.to_string()
        + r#"
review second {
  for competition
  approve when level in (national, provincial) because "all"
  approve when award = first because "never reached"
  otherwise manual because "人工"
}
"#;
    let found = codes(&rest);
    // The second review of one kind is a duplicate, and its second case is unreachable.
    assert_eq!(found, vec!["E010", "W005"]);
}

#[test]
fn scale_gap_at_a_single_score() {
    let rest = format!(
        "{CONVERT}
scale std bands over [0, 100] pass 60 {{
  [80, 90) => 3
  (90, 100] => 4
  [0, 80) => 0
}}
gpa {{ scores use std retake best }}
"
    );
    let (d, under) = one(&rest, Code::BandGap);
    assert_eq!(under, "(90, 100] => 4");
    assert_eq!(
        d.message,
        "grade bands leave a gap: score `90` is not covered by any band"
    );
}

#[test]
fn syntax_errors_skip_whole_file_checks() {
    let rest = "institutions { x \"X\" other share 150% }\n".to_string()
        + &CONVERT.replace("into innovation", "into inovation")
        + "convert broken { kind competition into ; }\n";
    let found = codes(&rest);
    assert!(found.contains(&"E001"), "{found:?}");
    assert!(found.contains(&"E034"), "{found:?}");
    assert!(!found.contains(&"E011"), "{found:?}");
}

#[test]
fn requirements_on_each_other() {
    let rest = format!(
        "{CONVERT}
program a {{ type minor courses tagged core requires program b }}
program b {{ type minor courses tagged core requires program a }}
"
    );
    let (d, under) = one(&rest, Code::RequirementCycle);
    assert_eq!(under, "a");
    assert!(
        d.message
            .ends_with("program `a` -> program `b` -> program `a`"),
        "{}",
        d.message
    );
}
