//! Golden GPA values from public sources: the Peking University formula (北京大学绩点公式, 2012
//! edition), the common US 4.0 letter scale, and the standard Chinese 4.0 band table.
//!
//! Every figure is computed exactly and rounded once, as a transcript would report it.

use creditbank_dsl::ast::{GpaWeight, Item, RetakePolicy, RoundingMode, RulesetFile};
use creditbank_dsl::{parse, SourceFile};
use creditbank_engine::grading::{
    gpa, gpa_counted, gpa_with, CompiledScale, CourseFacts, GpaAttempt, GradeInput, Graded,
    GradingPolicy,
};
use creditbank_engine::plan::CatalogPlan;
use creditbank_engine::round;
use rust_decimal::Decimal;

const RULESET: &str = r#"
ruleset "anchors/gpa" version "1" {
  title "GPA anchors"
  effective 2026-09-01
  rounding gpa half-up 2
}

categories {
  general "通识教育"
  major "专业教育"
  practice "实践教学"
}

scale pku "北大绩点公式" formula over [0, 100] pass 60 {
  when score >= 60 => 4 - 3 * (100 - score) ^ 2 / 1600
  else => 0
}

scale standard "标准4.0绩点" bands over [0, 100] pass 60 {
  [90, 100] => 4.0
  [85, 90) => 3.7
  [82, 85) => 3.3
  [78, 82) => 3.0
  [75, 78) => 2.7
  [72, 75) => 2.3
  [68, 72) => 2.0
  [64, 68) => 1.5
  [60, 64) => 1.0
  [0, 60) => 0
}

scale us "US 4.0" text {
  "A" => 4.0
  "A-" => 3.7
  "B+" => 3.3
  "B" => 3.0
  "B-" => 2.7
  "F" => 0 fail
}

scale pass-fail "两级制" pass-fail {
  pass "通过"
  fail "不通过"
}

gpa "平均学分绩点" {
  scores use standard
  grades use us, pass-fail
  weight credits
  retake best
  include categories general, major
  exclude tags pe
  exclude grades "免修", "B-"
}

catalog "anchors" {
  course MATH101 "高等数学" credits 4 category general
  course CS101 "程序设计基础" credits 3 category major tags core
  course PE101 "体育" credits 1 category general tags pe
  course LAB1 "实验" credits 2 category practice
}
"#;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn file() -> RulesetFile {
    let parsed = parse(&SourceFile::new("anchors.cbr", RULESET));
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.file
}

fn scale(id: &str) -> CompiledScale {
    let file = file();
    let scale = file
        .items
        .iter()
        .find_map(|item| match &item.value {
            Item::Scale(s) if s.id.value == id => Some(s),
            _ => None,
        })
        .unwrap();
    CompiledScale::compile(scale).unwrap()
}

fn points(scale: &CompiledScale, score: &str) -> Decimal {
    scale
        .points(&GradeInput::Score(d(score)))
        .unwrap()
        .points
        .unwrap()
}

fn policy() -> (GradingPolicy, CatalogPlan) {
    let file = file();
    let ids = CatalogPlan::compile(&file).unwrap();
    (GradingPolicy::from_file(&file, &ids).unwrap().unwrap(), ids)
}

/// An attempt at `course` with `points`, in `term`.
fn attempt(course: u32, term: u32, credits: u32, points: &str) -> GpaAttempt {
    GpaAttempt {
        course,
        term,
        sequence: 0,
        credits: Decimal::from(credits),
        graded: Graded {
            points: Some(d(points)),
            passed: true,
        },
        excluded: false,
    }
}

/// Letter grades on the US scale, each an attempt at its own course.
fn letters(grades: &[(&str, u32)]) -> Vec<GpaAttempt> {
    let us = scale("us");
    grades
        .iter()
        .enumerate()
        .map(|(i, (letter, credits))| {
            let graded = us.points(&GradeInput::Label(letter)).unwrap();
            GpaAttempt {
                graded,
                ..attempt(i as u32, 1, *credits, "0")
            }
        })
        .collect()
}

#[test]
fn pku_formula_anchors() {
    let pku = scale("pku");
    assert_eq!(points(&pku, "100"), d("4"));
    assert_eq!(points(&pku, "95"), d("3.953125"));
    assert_eq!(points(&pku, "85"), d("3.578125"));
    assert_eq!(points(&pku, "60"), d("1.0"));
    assert_eq!(points(&pku, "59.5"), d("0"));
    assert!(!pku.points(&GradeInput::Score(d("59.5"))).unwrap().passed);
    assert!(pku.points(&GradeInput::Score(d("60"))).unwrap().passed);
}

#[test]
fn us_letters_credit_weighted_is_45_3_over_13() {
    let attempts = letters(&[("A", 3), ("A-", 3), ("B+", 4), ("B", 3)]);
    let r = gpa_with(&attempts, RetakePolicy::Best, GpaWeight::Credits).unwrap();
    assert_eq!(r.points_sum, d("45.3"));
    assert_eq!(r.weight_sum, d("13"));
    let value = r.value.unwrap();
    assert_eq!(value, d("45.3") / d("13"));
    assert!(value.to_string().starts_with("3.48461538"));
    assert_eq!(round(value, RoundingMode::HalfUp, 2).to_string(), "3.48");
}

#[test]
fn us_letters_tie_3_425_rounds_by_mode() {
    let attempts = letters(&[("A", 1), ("A-", 1), ("B+", 1), ("B-", 1)]);
    let value = gpa_with(&attempts, RetakePolicy::Best, GpaWeight::Credits)
        .unwrap()
        .value
        .unwrap();
    assert_eq!(value, d("3.425"));
    assert_eq!(round(value, RoundingMode::HalfUp, 2).to_string(), "3.43");
    assert_eq!(round(value, RoundingMode::HalfEven, 2).to_string(), "3.42");
    assert_eq!(round(value, RoundingMode::Truncate, 2).to_string(), "3.42");
}

/// Course 0 (3 credits) taken twice: 3.7 in term 1, 2.7 in term 2 (listed out of order);
/// course 1 (2 credits): 4.0 once.
fn retaken() -> Vec<GpaAttempt> {
    vec![
        attempt(0, 2, 3, "2.7"),
        attempt(1, 1, 2, "4.0"),
        attempt(0, 1, 3, "3.7"),
    ]
}

fn retake_gpa(retake: RetakePolicy, weight: GpaWeight) -> Decimal {
    gpa_with(&retaken(), retake, weight).unwrap().value.unwrap()
}

#[test]
fn retake_best() {
    // (3.7 × 3 + 4.0 × 2) / 5 = 19.1 / 5
    assert_eq!(
        retake_gpa(RetakePolicy::Best, GpaWeight::Credits),
        d("3.82")
    );
    let (_, counted) = gpa_counted(&retaken(), RetakePolicy::Best, GpaWeight::Credits).unwrap();
    assert_eq!(
        counted.iter().map(|c| c.attempt).collect::<Vec<_>>(),
        [2, 1]
    );
}

#[test]
fn retake_latest() {
    // (2.7 × 3 + 4.0 × 2) / 5 = 16.1 / 5
    assert_eq!(
        retake_gpa(RetakePolicy::Latest, GpaWeight::Credits),
        d("3.22")
    );
    // Within one term, the later sequence (a make-up exam) is the latest.
    let mut same_term = vec![attempt(0, 1, 3, "1.0"), attempt(0, 1, 3, "0")];
    same_term[0].sequence = 1;
    let r = gpa_with(&same_term, RetakePolicy::Latest, GpaWeight::Credits).unwrap();
    assert_eq!(r.value, Some(d("1.0")));
}

#[test]
fn retake_first() {
    assert_eq!(
        retake_gpa(RetakePolicy::First, GpaWeight::Credits),
        d("3.82")
    );
    let mut later_better = retaken();
    later_better[0].graded.points = Some(d("4.0"));
    let r = gpa_with(&later_better, RetakePolicy::First, GpaWeight::Credits).unwrap();
    assert_eq!(r.value, Some(d("3.82")));
}

#[test]
fn retake_average() {
    // ((3.7 + 2.7) / 2 × 3 + 4.0 × 2) / 5 = (9.6 + 8) / 5
    assert_eq!(
        retake_gpa(RetakePolicy::Average, GpaWeight::Credits),
        d("3.52")
    );
    let (r, counted) = gpa_counted(&retaken(), RetakePolicy::Average, GpaWeight::Credits).unwrap();
    assert_eq!(r.weight_sum, d("5"));
    assert_eq!(counted[0].points, d("3.2"));
    assert_eq!(counted[0].averaged, 2);
}

#[test]
fn retake_all() {
    // (3.7 × 3 + 2.7 × 3 + 4.0 × 2) / 8 = 27.2 / 8
    assert_eq!(retake_gpa(RetakePolicy::All, GpaWeight::Credits), d("3.4"));
}

#[test]
fn weight_equal() {
    // Best attempts 3.7 and 4.0, each counted once: 7.7 / 2.
    assert_eq!(retake_gpa(RetakePolicy::Best, GpaWeight::Equal), d("3.85"));
}

#[test]
fn standard_bands_open_and_closed_bounds() {
    let standard = scale("standard");
    assert_eq!(points(&standard, "89.99"), d("3.7"));
    assert_eq!(points(&standard, "90"), d("4.0"));
    assert_eq!(points(&standard, "60"), d("1.0"));
    assert_eq!(points(&standard, "59.99"), d("0"));
    assert_eq!(points(&standard, "100"), d("4.0"));
    assert_eq!(points(&standard, "0"), d("0"));
    assert!(standard.points(&GradeInput::Score(d("100.01"))).is_err());
}

/// Grades one transcript entry of `code` under the policy, as the evaluator will.
fn policy_attempt(
    policy: &GradingPolicy,
    ids: &CatalogPlan,
    code: &str,
    category: &str,
    tags: &[&str],
    grade: GradeInput<'_>,
) -> GpaAttempt {
    let tags: Vec<u16> = tags.iter().map(|t| ids.tag(t).unwrap().0).collect();
    let facts = CourseFacts {
        course: ids.course(code).unwrap().0,
        category: ids.category(category).unwrap().0,
        tags: &tags,
    };
    let graded = policy.grade(&grade).unwrap();
    GpaAttempt {
        course: facts.course,
        term: 1,
        sequence: 0,
        credits: Decimal::from(3),
        graded: graded.graded.unwrap_or(Graded {
            points: None,
            passed: true,
        }),
        excluded: !policy.attempt_counts(&facts, &graded),
    }
}

#[test]
fn pass_fail_earns_credit_but_stays_out_of_the_gpa() {
    let (policy, ids) = policy();
    let a = policy_attempt(
        &policy,
        &ids,
        "MATH101",
        "general",
        &[],
        GradeInput::Label("A"),
    );
    let pf = policy_attempt(
        &policy,
        &ids,
        "CS101",
        "major",
        &["core"],
        GradeInput::Label("通过"),
    );
    assert!(
        pf.graded.passed,
        "a passed pass-fail grade earns the credit"
    );
    assert_eq!(pf.graded.points, None);
    let (r, lines) = gpa_counted(&[a, pf], policy.retake(), policy.weight()).unwrap();
    assert_eq!(r, gpa(&[a, pf], &policy).unwrap());
    assert_eq!(r.value, Some(d("4.0")));
    assert_eq!(lines.len(), 1);
    assert_eq!(r.weight_sum, d("3"));
}

#[test]
fn excluded_tag_category_and_grade_stay_out() {
    let (policy, ids) = policy();
    let counted = policy_attempt(
        &policy,
        &ids,
        "CS101",
        "major",
        &["core"],
        GradeInput::Score(d("95")),
    );
    let tag = policy_attempt(
        &policy,
        &ids,
        "PE101",
        "general",
        &["pe"],
        GradeInput::Score(d("50")),
    );
    let category = policy_attempt(
        &policy,
        &ids,
        "LAB1",
        "practice",
        &[],
        GradeInput::Score(d("50")),
    );
    let grade = policy_attempt(
        &policy,
        &ids,
        "MATH101",
        "general",
        &[],
        GradeInput::Label("B-"),
    );
    let exempt = policy_attempt(
        &policy,
        &ids,
        "MATH101",
        "general",
        &[],
        GradeInput::Label("免修"),
    );
    assert!(!counted.excluded);
    assert!(tag.excluded && category.excluded && grade.excluded && exempt.excluded);
    let all = [counted, tag, category, grade, exempt];
    let (r, lines) = gpa_counted(&all, policy.retake(), policy.weight()).unwrap();
    assert_eq!(r, gpa(&all, &policy).unwrap());
    assert_eq!(r.value, Some(d("4.0")));
    assert_eq!(lines.len(), 1);
}
