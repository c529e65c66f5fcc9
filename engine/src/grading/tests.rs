use super::*;
use crate::plan::CatalogPlan;
use creditbank_dsl::ast::{GpaWeight, Item, RetakePolicy, RulesetFile};
use creditbank_dsl::{parse, Code, SourceFile};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn file(text: &str) -> RulesetFile {
    let parsed = parse(&SourceFile::new("t.cbr", text));
    // A fragment has no header; anything else is a mistake in the test.
    let others: Vec<_> = parsed
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.code != Code::MissingHeader)
        .collect();
    assert!(others.is_empty(), "{others:?}");
    parsed.file
}

fn scale(text: &str) -> CompiledScale {
    let file = file(text);
    let scale = file
        .items
        .iter()
        .find_map(|item| match &item.value {
            Item::Scale(scale) => Some(scale),
            _ => None,
        })
        .unwrap();
    CompiledScale::compile(scale).unwrap()
}

fn score(s: &str) -> GradeInput<'static> {
    GradeInput::Score(d(s))
}

const ODD_BANDS: &str = "scale odd bands over [0, 10] pass 5 {
  (5, 10] => 3
  [0, 5) => 1
  [5, 5] => 2
}";

#[test]
fn bands_honour_open_and_closed_bounds_whatever_the_source_order() {
    let s = scale(ODD_BANDS);
    assert_eq!(s.shape(), ScaleShape::Bands);
    let points = |x: &str| s.points(&score(x)).unwrap().points.unwrap();
    assert_eq!(points("0"), d("1"));
    assert_eq!(points("4.999"), d("1"));
    assert_eq!(points("5"), d("2"));
    assert_eq!(points("5.001"), d("3"));
    assert_eq!(points("10"), d("3"));
    assert!(!s.points(&score("4.9")).unwrap().passed);
    assert!(s.points(&score("5")).unwrap().passed);
}

#[test]
fn a_score_outside_the_range_is_an_error() {
    let s = scale(ODD_BANDS);
    let err = s.points(&score("10.5")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "score `10.5` is outside the range of scale `odd`"
    );
    assert!(s.points(&score("-1")).is_err());
    let err = s.points(&GradeInput::Label("A")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "scale `odd` grades scores, not a grade like `A`"
    );
}

#[test]
fn a_gap_in_the_bands_is_an_error_not_a_panic() {
    let s = scale("scale gap bands over [0, 10] pass 5 { [0, 4) => 1  (4, 10] => 2 }");
    assert!(matches!(
        s.points(&score("4")),
        Err(GradingError::NoBand { .. })
    ));
}

#[test]
fn a_formula_takes_the_first_case_that_holds_else_the_else() {
    let s = scale(
        "scale f formula over [0, 100] pass 60 {
          when score >= 90 => 4
          when score >= 80 => 3
          else => score / 100
        }",
    );
    assert_eq!(s.shape(), ScaleShape::Formula);
    assert_eq!(s.points(&score("95")).unwrap().points, Some(d("4")));
    assert_eq!(s.points(&score("85")).unwrap().points, Some(d("3")));
    assert_eq!(s.points(&score("50")).unwrap().points, Some(d("0.5")));
    let s = scale("scale f formula over [0, 100] pass 60 { when score >= 60 => 1 }");
    assert!(matches!(
        s.points(&score("50")),
        Err(GradingError::NoCase { .. })
    ));
}

#[test]
fn text_and_pass_fail_grades() {
    let s = scale(r#"scale t text { "优秀" => 4.0  "不及格" => 0 fail }"#);
    assert_eq!(
        s.points(&GradeInput::Label("优秀")).unwrap(),
        Graded {
            points: Some(d("4.0")),
            passed: true
        }
    );
    assert!(!s.points(&GradeInput::Label("不及格")).unwrap().passed);
    let err = s.points(&GradeInput::Label("优秀 ")).unwrap_err();
    assert_eq!(err.to_string(), "grade `优秀 ` is not defined by scale `t`");
    assert!(matches!(
        s.points(&score("90")),
        Err(GradingError::NotALabel { .. })
    ));
    let s = scale(r#"scale pf pass-fail { pass "通过", "合格"  fail "不通过" }"#);
    assert_eq!(
        s.points(&GradeInput::Label("合格")).unwrap(),
        Graded {
            points: None,
            passed: true
        }
    );
    assert!(!s.points(&GradeInput::Label("不通过")).unwrap().passed);
}

const POLICY: &str = r#"
categories { general "通识" major "专业" practice "实践" }
scale standard bands over [0, 100] pass 60 { [60, 100] => 4  [0, 60) => 0 }
scale five text { "优秀" => 4.0  "不及格" => 0 fail }
scale pf pass-fail { pass "通过" fail "不通过" }
gpa {
  scores use standard
  grades use five, pf
  weight equal
  retake latest
  include categories general, major
  exclude courses PE101
  exclude tags pe, never-carried
  exclude grades "免修", "优秀"
}
catalog {
  course CS101 "a" credits 3 category major tags core
  course PE101 "b" credits 1 category general tags pe
  course PE102 "c" credits 1 category general tags pe
  course SP1 "d" credits 2 category practice
}
"#;

fn policy() -> (GradingPolicy, CatalogPlan) {
    let file = file(POLICY);
    let ids = CatalogPlan::compile(&file).unwrap();
    (GradingPolicy::from_file(&file, &ids).unwrap().unwrap(), ids)
}

#[test]
fn the_policy_grades_with_its_scales() {
    let (p, _) = policy();
    assert_eq!(p.weight(), GpaWeight::Equal);
    assert_eq!(p.retake(), RetakePolicy::Latest);
    let g = p.grade(&score("70")).unwrap();
    assert_eq!(g.scale, Some(ScaleUsed::Scores));
    assert!(g.counts_in_gpa);
    let g = p.grade(&GradeInput::Label("不及格")).unwrap();
    assert_eq!(g.scale, Some(ScaleUsed::Grades(0)));
    assert!(g.counts_in_gpa && !g.graded.unwrap().passed);
    let g = p.grade(&GradeInput::Label("通过")).unwrap();
    assert_eq!(p.shape_of(g.scale.unwrap()), Some(ScaleShape::PassFail));
    assert!(!g.counts_in_gpa, "pass-fail grades stay out of the GPA");
    // An excluded label a scale defines keeps its grade but leaves the GPA.
    let g = p.grade(&GradeInput::Label("优秀")).unwrap();
    assert!(g.graded.is_some() && !g.counts_in_gpa);
    // An excluded label no scale defines has no grade at all.
    let g = p.grade(&GradeInput::Label("免修")).unwrap();
    assert_eq!((g.graded, g.scale, g.counts_in_gpa), (None, None, false));
    let err = p.grade(&GradeInput::Label("W")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "grade `W` is not defined by the GPA policy's scales"
    );
}

#[test]
fn the_policy_includes_and_excludes_courses() {
    let (p, ids) = policy();
    let facts = |code: &str, category: &str, tags: &[u16]| -> bool {
        p.course_counts(&CourseFacts {
            course: ids.course(code).unwrap().0,
            category: ids.category(category).unwrap().0,
            tags,
        })
    };
    let core = [ids.tag("core").unwrap().0];
    let pe = [ids.tag("pe").unwrap().0];
    assert!(facts("CS101", "major", &core));
    assert!(!facts("PE101", "general", &[]), "excluded course");
    assert!(!facts("PE102", "general", &pe), "excluded tag");
    assert!(!facts("SP1", "practice", &[]), "category not included");
    assert_eq!(ids.tag("never-carried"), None);
}

#[test]
fn the_policy_decides_once_for_each_catalog_course_what_it_decides_per_course() {
    let (p, ids) = policy();
    let listed: Vec<(String, Option<bool>)> = ids
        .courses
        .iter()
        .zip(0u32..)
        .map(|(c, i)| (c.code.clone(), p.listed_course_counts(i)))
        .collect();
    let expected = [
        ("CS101", true),
        ("PE101", false),
        ("PE102", false),
        ("SP1", false),
    ];
    for (code, counts) in expected {
        assert!(
            listed.contains(&(code.to_string(), Some(counts))),
            "{code}: {listed:?}"
        );
    }
    assert_eq!(p.listed_course_counts(ids.courses.len() as u32), None);
}

#[test]
fn the_policy_rejects_scales_of_the_wrong_shape() {
    let text = POLICY.replace("scores use standard", "scores use five");
    let f = file(&text);
    let err = GradingPolicy::from_file(&f, &CatalogPlan::compile(&f).unwrap()).unwrap_err();
    assert_eq!(err.to_string(), "scale `five` cannot grade scores");
    let text = POLICY.replace("grades use five, pf", "grades use five, nope");
    let f = file(&text);
    let err = GradingPolicy::from_file(&f, &CatalogPlan::compile(&f).unwrap()).unwrap_err();
    assert_eq!(err, GradingError::UnknownScale("nope".into()));
}

fn attempt(course: u32, term: u32, credits: &str, points: Option<&str>) -> GpaAttempt {
    GpaAttempt {
        course,
        term,
        sequence: 0,
        credits: d(credits),
        graded: Graded {
            points: points.map(d),
            passed: true,
        },
        excluded: false,
    }
}

#[test]
fn nothing_counted_has_no_gpa() {
    let r = gpa_with(&[], RetakePolicy::Best, GpaWeight::Credits).unwrap();
    assert_eq!(r.value, None);
    let only_pass_fail = [attempt(0, 1, "2", None)];
    let (r, counted) = gpa_counted(&only_pass_fail, RetakePolicy::All, GpaWeight::Credits).unwrap();
    assert_eq!((r.value, counted.len()), (None, 0));
    let zero_credits = [attempt(0, 1, "0", Some("4"))];
    let (r, counted) = gpa_counted(&zero_credits, RetakePolicy::All, GpaWeight::Credits).unwrap();
    assert_eq!((r.value, counted.len()), (None, 1));
}

#[test]
fn best_takes_the_earliest_among_equal_points() {
    let a = [
        attempt(7, 3, "2", Some("3")),
        attempt(7, 1, "2", Some("3")),
        attempt(7, 2, "2", Some("1")),
    ];
    let (_, counted) = gpa_counted(&a, RetakePolicy::Best, GpaWeight::Credits).unwrap();
    assert_eq!(counted[0].attempt, 1);
}

#[test]
fn average_adds_one_exact_share() {
    let a = [
        attempt(1, 1, "3", Some("4")),
        attempt(1, 2, "3", Some("3")),
        attempt(1, 3, "3", Some("3")),
    ];
    let (r, counted) = gpa_counted(&a, RetakePolicy::Average, GpaWeight::Credits).unwrap();
    assert_eq!(r.points_sum, d("10"));
    assert_eq!(r.weight_sum, d("3"));
    assert_eq!(counted.len(), 1);
    assert_eq!(counted[0].averaged, 3);
    assert_eq!(counted[0].attempt, 2);
}

#[test]
fn sums_that_overflow_are_errors() {
    let big = "79228162514264337593543950335";
    let a = [attempt(1, 1, big, Some("4"))];
    assert_eq!(
        gpa_with(&a, RetakePolicy::All, GpaWeight::Credits),
        Err(GradingError::Overflow)
    );
}

#[test]
fn grouped_attempts_give_the_same_gpa_under_every_retake_policy() {
    // Grouped by course (in code order, not key order) and by term within a course.
    let grouped = [
        attempt(9, 1, "3", Some("1")),
        attempt(9, 2, "3", Some("3.5")),
        attempt(2, 1, "2", Some("4")),
        attempt(5, 1, "4", Some("0")),
        attempt(5, 3, "4", Some("2.7")),
        attempt(5, 4, "4", Some("2.7")),
        attempt(1, 2, "1", None),
    ];
    for retake in ["best", "latest", "first", "average", "all"] {
        let text = POLICY.replace("retake latest", &format!("retake {retake}"));
        let file = file(&text);
        let ids = CatalogPlan::compile(&file).unwrap();
        let p = GradingPolicy::from_file(&file, &ids).unwrap().unwrap();
        let sorted = gpa(&grouped, &p).unwrap();
        let fast = gpa_grouped(&grouped, &p).unwrap();
        assert_eq!(
            (fast.value, fast.points_sum, fast.weight_sum),
            (sorted.value, sorted.points_sum, sorted.weight_sum),
            "retake {retake}"
        );
    }
}
