use super::*;
use crate::expr::Value;
use crate::record::{Exception, ExceptionAction};
use crate::standing::{ApprovedOutcome, Standing};
use creditbank_dsl::SourceFile;
use std::collections::BTreeMap;

/// A standing written by hand: passing a course credits its category and its tags.
#[derive(Default)]
pub(crate) struct HandStanding {
    pub term: u32,
    pub categories: BTreeMap<CategoryId, Decimal>,
    pub passed: Vec<(CourseId, Decimal, Vec<TagId>)>,
    pub kinds: BTreeMap<KindId, Decimal>,
    pub gpa: Option<Decimal>,
    pub tag_gpa: Option<Decimal>,
    pub failed: Decimal,
    pub outcomes: Vec<ApprovedOutcome<'static>>,
}

impl HandStanding {
    /// Passes courses by code.
    pub fn pass(&mut self, catalog: &CatalogPlan, codes: &[&str]) {
        for code in codes {
            let id = catalog.course(code).unwrap();
            let c = catalog.course_plan(id).unwrap();
            *self.categories.entry(c.category).or_default() += c.credits;
            self.passed.push((id, c.credits, c.tags.clone()));
        }
    }

    /// Adds credits to a category without a course (a conversion).
    pub fn add(&mut self, catalog: &CatalogPlan, category: &str, credits: Decimal) {
        *self
            .categories
            .entry(catalog.category(category).unwrap())
            .or_default() += credits;
    }
}

impl Standing for HandStanding {
    fn current_term(&self) -> u32 {
        self.term
    }
    fn category_credits(&self, category: CategoryId) -> Decimal {
        self.categories.get(&category).copied().unwrap_or_default()
    }
    fn total_credits(&self) -> Decimal {
        self.categories.values().sum()
    }
    fn tagged_credits(&self, tags: &[TagId]) -> Decimal {
        self.passed
            .iter()
            .filter(|(_, _, t)| t.iter().any(|x| tags.contains(x)))
            .map(|(_, c, _)| *c)
            .sum()
    }
    fn kind_credits(&self, kind: KindId) -> Decimal {
        self.kinds.get(&kind).copied().unwrap_or_default()
    }
    fn passed(&self, course: CourseId) -> bool {
        self.passed.iter().any(|(c, _, _)| *c == course)
    }
    fn gpa(&self) -> Option<Decimal> {
        self.gpa
    }
    fn gpa_over_tags(&self, _tags: &[TagId]) -> Option<Decimal> {
        self.tag_gpa
    }
    fn failed_credits(&self) -> Decimal {
        self.failed
    }
    fn approved(&self) -> &[ApprovedOutcome<'_>] {
        &self.outcomes
    }
}

pub(crate) fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

const TEXT: &str = r#"
ruleset "t/req" version "1" {
  title "t"
  effective 2026-09-01
  rounding gpa half-up 2
  rounding credits half-up 1
}
categories {
  general "通识"
  major "专业"
  innovation "创新"
}
scale std "std" bands over [0, 100] pass 60 {
  [90, 100] => 4.0
  [60, 90) => 2.0
  [0, 60) => 0
}
gpa "g" {
  scores use std
  retake best
}
catalog "c" {
  course G1 "g1" credits 10 category general
  course G2 "g2" credits 10 category general
  course M1 "m1" credits 4 category major tags core
  course M2 "m2" credits 4 category major tags core
  course E1 "e1" credits 3 category major tags elective, minor
  course E2 "e2" credits 3 category major tags elective
  course E3 "e3" credits 3 category major tags elective
  course N1 "n1" credits 2 category innovation tags minor
}
kind competition "竞赛" {
  attribute level one of national "国家级", school "校级"
}
convert comp "c" {
  kind competition
  credits 2
  into innovation
}
review comp-review "r" {
  for competition
  approve when level = national because "国家级"
  otherwise manual because "看看"
}
graduation "毕业" {
  requires total at least 40 "总学分"
  requires category innovation at least 2 "创新学分"
  requires core: courses M1, M2
  requires electives: 2 of (E1, E2, E3) "选修"
  requires gpa at least 2.0
  requires failed-credits at most 10
}
program minor "辅修" {
  type minor
  courses tagged minor
  requires total at least 5
  requires gpa at least 2.5
  requires graduation
}
certificate star "明星" {
  requires program minor
  requires count competition where level = national at least 1 "国家级竞赛"
}
"#;

pub(crate) fn compiled(text: &str) -> (RulesetFile, CatalogPlan, KindsPlan) {
    let checked = creditbank_dsl::check(&SourceFile::new("t.cbr", text));
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let catalog = CatalogPlan::compile(&checked.file).unwrap();
    let kinds = KindsPlan::compile(&checked.file).unwrap();
    (checked.file, catalog, kinds)
}

fn setup() -> (RequirementsPlan, CatalogPlan, KindsPlan) {
    let (file, catalog, kinds) = compiled(TEXT);
    let plan = RequirementsPlan::compile(&file, &catalog, &kinds).unwrap();
    (plan, catalog, kinds)
}

/// Everything met: 20 general + 8 core + 6 electives + 2 innovation (N1) + 4 more = 40.
fn good(catalog: &CatalogPlan) -> HandStanding {
    let mut s = HandStanding {
        term: 8,
        gpa: Some(d("3.1")),
        tag_gpa: Some(d("3.0")),
        ..HandStanding::default()
    };
    s.pass(catalog, &["G1", "G2", "M1", "M2", "E1", "E2", "N1"]);
    s.add(catalog, "general", d("4"));
    s
}

fn national(kinds: &KindsPlan) -> ApprovedOutcome<'static> {
    ApprovedOutcome {
        kind: kinds.kind("competition").unwrap(),
        id: "c1",
        values: vec![Value::Enum(0)].into(),
        evidence: vec![].into(),
    }
}

fn waive(id: &str) -> Exception {
    Exception {
        action: ExceptionAction::Waive {
            requirement: id.into(),
        },
        by: "教务处".into(),
        reason: "交换学期".into(),
    }
}

#[test]
fn ids_are_explicit_or_derived_from_the_block_and_position() {
    let (plan, _, _) = setup();
    let g = plan.graduation.as_ref().unwrap();
    let ids: Vec<&str> = g.requirements.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "graduation/1",
            "graduation/2",
            "core",
            "electives",
            "graduation/5",
            "graduation/6"
        ]
    );
    assert_eq!(g.requirements[2].qualified_id, "graduation/core");
    assert_eq!(g.requirements[0].label.as_deref(), Some("总学分"));
    assert_eq!(plan.programs[0].requirements[0].id, "minor/1");
    assert_eq!(plan.total_needed, Some(d("40")));
    assert_eq!(plan.max_points, d("4.0"));
}

#[test]
fn blocks_come_after_the_blocks_they_require() {
    let (plan, _, _) = setup();
    assert_eq!(
        plan.order(),
        [
            BlockRef::Graduation,
            BlockRef::Program(0),
            BlockRef::Certificate(0)
        ]
    );
}

#[test]
fn a_learner_meeting_everything() {
    let (plan, catalog, kinds) = setup();
    let mut s = good(&catalog);
    s.outcomes.push(national(&kinds));
    let e = judge(&plan, &s, &[]);
    let g = e.graduation.as_ref().unwrap();
    assert!(g.met, "{:#?}", g.requirements);
    assert!(g.requirements.iter().all(|r| r.status == Status::Met));
    assert!(e.programs[0].met);
    assert!(e.certificates[0].met);
    assert_eq!(g.requirements[0].have, Figure::Credits(d("40")));
    assert!(e.unmatched_waivers.is_empty());
}

#[test]
fn short_credits_say_how_many_more() {
    let (plan, catalog, _) = setup();
    let mut s = HandStanding {
        gpa: Some(d("3")),
        ..HandStanding::default()
    };
    s.pass(&catalog, &["G1", "M1", "M2", "E1", "E2"]);
    let e = judge(&plan, &s, &[]);
    let g = e.graduation.unwrap();
    assert!(!g.met);
    assert_eq!(
        g.requirements[0].missing().unwrap(),
        "needs 16.0 more credits"
    );
    assert_eq!(
        g.requirements[1].missing().unwrap(),
        "needs 2.0 more innovation credits"
    );
    // Graduation unmet: the program requiring it is unmet, and so the certificate.
    assert!(!e.programs[0].met);
    assert_eq!(
        e.programs[0].requirements[2].missing().unwrap(),
        "the graduation requirements are not met"
    );
    assert_eq!(
        e.certificates[0].requirements[0].missing().unwrap(),
        "program `minor` is not met"
    );
    assert_eq!(
        e.certificates[0].requirements[1].missing().unwrap(),
        "needs 1 more approved competition outcome"
    );
}

#[test]
fn a_shortfall_is_rounded_up_never_to_zero() {
    let (plan, catalog, _) = setup();
    let mut s = good(&catalog);
    s.add(&catalog, "general", d("-0.04"));
    let e = judge(&plan, &s, &[]);
    let g = e.graduation.unwrap();
    assert_eq!(
        g.requirements[0].missing().unwrap(),
        "needs 0.1 more credits"
    );
}

#[test]
fn courses_and_n_of_name_what_is_missing() {
    let (plan, catalog, _) = setup();
    let mut s = good(&catalog);
    s.passed.retain(|(c, _, _)| {
        let code = &catalog.course_plan(*c).unwrap().code;
        code != "M2" && code != "E2"
    });
    let e = judge(&plan, &s, &[]);
    let g = e.graduation.unwrap();
    let core = &g.requirements[2];
    assert_eq!(core.status, Status::Unmet);
    assert_eq!(core.have, Figure::Count(1));
    assert_eq!(core.need, Figure::Count(2));
    assert_eq!(core.missing().unwrap(), "missing M2");
    let electives = &g.requirements[3];
    assert_eq!(electives.have, Figure::Count(1));
    assert_eq!(electives.missing().unwrap(), "needs 1 more of E2, E3");
}

#[test]
fn a_low_gpa_gives_the_average_needed_over_the_remaining_credits() {
    let (plan, catalog, _) = setup();
    let mut s = HandStanding {
        gpa: Some(d("1.5")),
        ..HandStanding::default()
    };
    // 30 credits earned at 1.5; 10 remain to 40: (2.0 × 40 − 1.5 × 30) / 10 = 3.5.
    s.pass(&catalog, &["G1", "G2", "M1", "M2"]);
    s.add(&catalog, "innovation", d("2"));
    let e = judge(&plan, &s, &[]);
    let gpa = &e.graduation.as_ref().unwrap().requirements[4];
    assert_eq!(
        gpa.shortfall,
        Some(Shortfall::Gpa {
            have: Some(d("1.5")),
            need: d("2.0"),
            outlook: GpaOutlook::Reachable {
                average: d("3.5"),
                remaining: d("10"),
            }
        })
    );
    assert_eq!(
        gpa.missing().unwrap(),
        "GPA 1.50 < 2.00: an average of 3.50 over the remaining 10.0 credits would reach it"
    );
    // At 1.0 the remaining 10 would need (80 − 30) / 10 = 5.0, above the scale's 4.0.
    s.gpa = Some(d("1.0"));
    let e = judge(&plan, &s, &[]);
    let gpa = &e.graduation.as_ref().unwrap().requirements[4];
    assert_eq!(
        gpa.missing().unwrap(),
        "GPA 1.00 < 2.00: the remaining 10.0 credits would need an average of 5.00, above the \
         maximum 4.00: cannot reach it"
    );
}

#[test]
fn no_gpa_yet_is_unmet() {
    let (plan, catalog, _) = setup();
    let mut s = good(&catalog);
    s.gpa = None;
    let e = judge(&plan, &s, &[]);
    let gpa = &e.graduation.as_ref().unwrap().requirements[4];
    assert_eq!(gpa.have, Figure::Gpa(None));
    assert_eq!(gpa.status, Status::Unmet);
}

#[test]
fn a_waived_requirement_counts_as_met_and_says_who_and_why() {
    let (plan, catalog, kinds) = setup();
    let mut s = good(&catalog);
    s.outcomes.push(national(&kinds));
    s.passed
        .retain(|(c, _, _)| catalog.course_plan(*c).unwrap().code != "M2");
    let unwaived = judge(&plan, &s, &[]);
    assert!(!unwaived.graduation.unwrap().met);
    let exceptions = [waive("graduation/core"), waive("nothing-here")];
    let e = judge(&plan, &s, &exceptions);
    let g = e.graduation.as_ref().unwrap();
    assert!(g.met);
    assert_eq!(
        g.requirements[2].status,
        Status::Waived {
            by: "教务处",
            reason: "交换学期"
        }
    );
    // The shortfall stays, so an explanation can say what the waiver covers.
    assert_eq!(g.requirements[2].missing().unwrap(), "missing M2");
    assert!(e.certificates[0].met);
    assert_eq!(e.unmatched_waivers, ["nothing-here"]);
}

#[test]
fn program_requirements_read_the_programs_courses() {
    let (plan, catalog, _) = setup();
    let mut s = good(&catalog);
    // Minor courses passed: E1 (3) and N1 (2) = 5.
    let e = judge(&plan, &s, &[]);
    assert_eq!(e.programs[0].requirements[0].have, Figure::Credits(d("5")));
    s.tag_gpa = Some(d("2.4"));
    let e = judge(&plan, &s, &[]);
    let gpa = &e.programs[0].requirements[1];
    assert_eq!(gpa.missing().unwrap(), "GPA 2.40 < 2.50");
}

#[test]
fn failed_credits_above_the_maximum() {
    let (plan, catalog, _) = setup();
    let mut s = good(&catalog);
    s.failed = d("10");
    assert!(judge(&plan, &s, &[]).graduation.unwrap().met);
    s.failed = d("10.5");
    let e = judge(&plan, &s, &[]);
    assert_eq!(
        e.graduation.unwrap().requirements[5].missing().unwrap(),
        "10.5 failed credits, more than the 10.0 allowed"
    );
}

#[test]
fn count_where_filters_outcomes() {
    let (plan, catalog, kinds) = setup();
    let mut s = good(&catalog);
    let mut school = national(&kinds);
    school.values = vec![Value::Enum(1)].into();
    s.outcomes.push(school);
    let e = judge(&plan, &s, &[]);
    assert_eq!(e.certificates[0].requirements[1].have, Figure::Count(0));
    s.outcomes.push(national(&kinds));
    let e = judge(&plan, &s, &[]);
    assert_eq!(e.certificates[0].requirements[1].have, Figure::Count(1));
    assert!(e.certificates[0].met);
}

#[test]
fn the_gpa_maximum_follows_the_policys_scales() {
    let text = TEXT.replace("[90, 100] => 4.0", "[90, 100] => 5.0");
    let (file, catalog, kinds) = compiled(&text);
    let plan = RequirementsPlan::compile(&file, &catalog, &kinds).unwrap();
    assert_eq!(plan.max_points, d("5.0"));
}

#[test]
fn a_cycle_is_an_error_not_a_hang() {
    // The checker rejects this (E039); compiling the unchecked file must still stop.
    let text = r#"
ruleset "t/cycle" version "1" {
  title "t"
  effective 2026-09-01
}
catalog "c" {
  course A1 "a" credits 1 category general tags a
}
categories {
  general "通识"
}
program a "a" {
  type minor
  courses tagged a
  requires program b
}
program b "b" {
  type minor
  courses tagged a
  requires program a
}
"#;
    let file = creditbank_dsl::parse(&SourceFile::new("t.cbr", text)).file;
    let catalog = CatalogPlan::compile(&file).unwrap();
    let kinds = KindsPlan::compile(&file).unwrap();
    let err = RequirementsPlan::compile(&file, &catalog, &kinds).unwrap_err();
    assert_eq!(
        err.to_string(),
        "requirements of `a` refer back to it in a cycle"
    );
}

/// Every shortfall in words, each figure rounded as the ruleset reports it: credits half-up
/// to 1 place, the GPA half-up to 2, what is lacking and an average needed rounded up.
#[test]
fn every_shortfall_is_put_in_words() {
    use creditbank_dsl::ast::RoundingMode;
    let reporting = Reporting {
        credits: (RoundingMode::HalfUp, 1),
        gpa: (RoundingMode::HalfUp, 2),
    };
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let cases = [
        (
            Shortfall::Credits {
                more: d("40.01"),
                of: None,
            },
            "needs 40.1 more credits",
        ),
        (
            Shortfall::Credits {
                more: d("3"),
                of: Some("major"),
            },
            "needs 3.0 more major credits",
        ),
        (
            Shortfall::FailedCredits {
                have: d("12.25"),
                at_most: d("10"),
            },
            "12.3 failed credits, more than the 10.0 allowed",
        ),
        (
            Shortfall::Gpa {
                have: None,
                need: d("2"),
                outlook: GpaOutlook::NotComputable,
            },
            "no GPA yet; needs 2.00",
        ),
        (
            Shortfall::Gpa {
                have: Some(d("1.875")),
                need: d("2"),
                outlook: GpaOutlook::Reachable {
                    average: d("2.3333333"),
                    remaining: d("60"),
                },
            },
            "GPA 1.88 < 2.00: an average of 2.34 over the remaining 60.0 credits would reach it",
        ),
        (
            Shortfall::Gpa {
                have: Some(d("1.2")),
                need: d("2"),
                outlook: GpaOutlook::Unreachable {
                    average: d("4.21"),
                    remaining: d("10"),
                    max_points: d("4"),
                },
            },
            "GPA 1.20 < 2.00: the remaining 10.0 credits would need an average of 4.21, \
             above the maximum 4.00: cannot reach it",
        ),
        (
            Shortfall::Gpa {
                have: Some(d("1.5")),
                need: d("2"),
                outlook: GpaOutlook::NoCreditsRemain,
            },
            "GPA 1.50 < 2.00",
        ),
        (
            Shortfall::Courses {
                missing: vec!["MAR301", "LAB101"],
            },
            "missing MAR301, LAB101",
        ),
        (
            Shortfall::NOf {
                more: 2,
                candidates: vec!["CS306", "CS307", "CS308"],
            },
            "needs 2 more of CS306, CS307, CS308",
        ),
        (
            Shortfall::Count {
                more: 1,
                kind: "competition",
            },
            "needs 1 more approved competition outcome",
        ),
        (
            Shortfall::Count {
                more: 3,
                kind: "paper",
            },
            "needs 3 more approved paper outcomes",
        ),
        (
            Shortfall::Block { id: "graduation" },
            "the graduation requirements are not met",
        ),
        (
            Shortfall::Block { id: "minor-ai" },
            "program `minor-ai` is not met",
        ),
    ];
    for (shortfall, words) in cases {
        assert_eq!(shortfall.describe(reporting), words, "{shortfall:?}");
    }
}
