//! Graduation, programs, certificates and warnings of the bundled demo university ruleset,
//! judged against standings written by hand.

use creditbank_dsl::SourceFile;
use creditbank_engine::expr::Value;
use creditbank_engine::plan::{CatalogPlan, CategoryId, CourseId, KindId, KindsPlan, TagId};
use creditbank_engine::record::{Exception, ExceptionAction};
use creditbank_engine::requirements::{
    judge, Eligibility, Figure, GpaOutlook, RequirementsPlan, Shortfall, Status,
};
use creditbank_engine::standing::{ApprovedOutcome, Standing};
use creditbank_engine::warnings::{warn, WarningFigures, WarningsPlan};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

const DEMO: &str = include_str!("../../rulesets/demo-university/undergraduate/2026.1.cbr");

struct Demo {
    catalog: CatalogPlan,
    kinds: KindsPlan,
    requirements: RequirementsPlan,
    warnings: WarningsPlan,
}

fn demo() -> Demo {
    let checked = creditbank_dsl::check(&SourceFile::new("2026.1.cbr", DEMO));
    assert!(!checked.has_errors(), "{:#?}", checked.diagnostics);
    let catalog = CatalogPlan::compile(&checked.file).unwrap();
    let kinds = KindsPlan::compile(&checked.file).unwrap();
    let requirements = RequirementsPlan::compile(&checked.file, &catalog, &kinds).unwrap();
    let warnings = WarningsPlan::compile(&checked.file).unwrap();
    Demo {
        catalog,
        kinds,
        requirements,
        warnings,
    }
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A standing by hand: category credits are set directly; passed courses count for
/// `passed` and, with the catalog's credits and tags, for `tagged_credits`.
struct Hand<'a> {
    catalog: &'a CatalogPlan,
    term: u32,
    categories: BTreeMap<CategoryId, Decimal>,
    passed: Vec<CourseId>,
    kinds: BTreeMap<KindId, Decimal>,
    gpa: Option<Decimal>,
    tag_gpa: Option<Decimal>,
    failed: Decimal,
    outcomes: Vec<ApprovedOutcome<'static>>,
}

impl Standing for Hand<'_> {
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
            .map(|c| self.catalog.course_plan(*c).unwrap())
            .filter(|c| c.tags.iter().any(|t| tags.contains(t)))
            .map(|c| c.credits)
            .sum()
    }
    fn kind_credits(&self, kind: KindId) -> Decimal {
        self.kinds.get(&kind).copied().unwrap_or_default()
    }
    fn passed(&self, course: CourseId) -> bool {
        self.passed.contains(&course)
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

const REQUIRED: &[&str] = &[
    "MAR101", "MAR102", "MAR201", "MAR202", "MAR301", "MAR100", "MIL101", "MIL102", "ENG101",
    "ENG102", "MTH101", "MTH102", "MTH103", "CS101", "CS102", "CS201", "CS202", "CS204", "CS205",
    "CS206", "CS301", "CS302", "CSP401", "CSP402", "LAB101", "INN101",
];

impl<'a> Hand<'a> {
    /// A learner in term 8 who meets every graduation requirement: 160 credits (52 general,
    /// 80 major, 24 practice, 4 innovation), every required course, four electives, GPA 3.2.
    fn graduate(demo: &'a Demo) -> Hand<'a> {
        let mut h = Hand {
            catalog: &demo.catalog,
            term: 8,
            categories: BTreeMap::new(),
            passed: Vec::new(),
            kinds: BTreeMap::new(),
            gpa: Some(d("3.2")),
            tag_gpa: None,
            failed: Decimal::ZERO,
            outcomes: Vec::new(),
        };
        h.set("general", "52");
        h.set("major", "80");
        h.set("practice", "24");
        h.set("innovation", "4");
        h.pass(REQUIRED);
        h.pass(&["CS304", "CS305", "CS306", "CS307"]);
        h
    }

    fn set(&mut self, category: &str, credits: &str) {
        let id = self.catalog.category(category).unwrap();
        self.categories.insert(id, d(credits));
    }

    fn pass(&mut self, codes: &[&str]) {
        for code in codes {
            self.passed.push(self.catalog.course(code).unwrap());
        }
    }

    fn unpass(&mut self, code: &str) {
        let id = self.catalog.course(code).unwrap();
        self.passed.retain(|c| *c != id);
    }
}

fn graduation<'a>(e: &'a Eligibility<'a>) -> &'a creditbank_engine::requirements::BlockResult<'a> {
    e.graduation.as_ref().unwrap()
}

fn requirement<'a>(
    e: &'a Eligibility<'a>,
    id: &str,
) -> &'a creditbank_engine::requirements::RequirementResult<'a> {
    graduation(e)
        .requirements
        .iter()
        .find(|r| r.requirement.id == id)
        .unwrap()
}

fn certificate<'a>(
    e: &'a Eligibility<'a>,
    id: &str,
) -> &'a creditbank_engine::requirements::BlockResult<'a> {
    e.certificates.iter().find(|c| c.block.id == id).unwrap()
}

#[test]
fn the_demo_graduation_block_compiles_with_its_ids_and_citations() {
    let demo = demo();
    let g = demo.requirements.graduation.as_ref().unwrap();
    assert_eq!(g.requirements.len(), 9);
    assert_eq!(g.requirements[4].id, "graduation/5");
    assert_eq!(
        g.requirements[4].source.as_deref(),
        Some("示范大学本科生创新创业学分认定办法 第三条")
    );
    assert_eq!(g.requirements[5].id, "required-courses");
    assert_eq!(g.requirements[6].id, "cs-electives");
    assert_eq!(demo.requirements.total_needed, Some(d("160")));
    assert_eq!(demo.requirements.max_points, d("4"));
    let programs: Vec<&str> = demo
        .requirements
        .programs
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(programs, ["econ-minor", "ai-micro", "econ-double"]);
}

#[test]
fn a_learner_meeting_everything_graduates() {
    let demo = demo();
    let h = Hand::graduate(&demo);
    let e = judge(&demo.requirements, &h, &[]);
    let g = graduation(&e);
    assert!(g.met, "{:#?}", g.requirements);
    assert!(g.requirements.iter().all(|r| r.status == Status::Met));
    assert_eq!(
        requirement(&e, "graduation/1").have,
        Figure::Credits(d("160"))
    );
    // No economics courses: the minor is not met, and so not its certificate.
    let minor = &e.programs[0];
    assert!(!minor.met);
    assert_eq!(
        minor.requirements[1].missing().unwrap(),
        "missing ECO101, ECO102"
    );
    assert!(!certificate(&e, "minor-certificate").met);
}

#[test]
fn one_short_of_innovation_credits() {
    let demo = demo();
    let mut h = Hand::graduate(&demo);
    h.set("innovation", "3");
    let e = judge(&demo.requirements, &h, &[]);
    assert!(!graduation(&e).met);
    let innovation = requirement(&e, "graduation/5");
    assert_eq!(innovation.status, Status::Unmet);
    assert_eq!(innovation.have, Figure::Credits(d("3")));
    assert_eq!(innovation.need, Figure::Credits(d("4")));
    assert_eq!(
        innovation.missing().unwrap(),
        "needs 1.0 more innovation credits"
    );
    // The total is now 159: short by one too.
    assert_eq!(
        requirement(&e, "graduation/1").missing().unwrap(),
        "needs 1.0 more credits"
    );
}

#[test]
fn a_low_gpa_gives_the_average_needed() {
    let demo = demo();
    let mut h = Hand::graduate(&demo);
    // 120 credits earned at 1.87: to reach 2.00 over 160 the remaining 40 need
    // (2.00 × 160 − 1.87 × 120) / 40 = (320 − 224.4) / 40 = 95.6 / 40 = 2.39.
    h.set("general", "40");
    h.set("major", "60");
    h.set("practice", "16");
    h.gpa = Some(d("1.87"));
    let e = judge(&demo.requirements, &h, &[]);
    let gpa = requirement(&e, "graduation/8");
    assert_eq!(gpa.status, Status::Unmet);
    assert_eq!(
        gpa.shortfall,
        Some(Shortfall::Gpa {
            have: Some(d("1.87")),
            need: d("2.0"),
            outlook: GpaOutlook::Reachable {
                average: d("2.39"),
                remaining: d("40"),
            },
        })
    );
    assert_eq!(
        gpa.missing().unwrap(),
        "GPA 1.87 < 2.00: an average of 2.39 over the remaining 40.0 credits would reach it"
    );
    // With 150 earned at 1.00 the remaining 10 would need (320 − 150) / 10 = 17.
    h.set("general", "50");
    h.set("major", "80");
    h.set("practice", "16");
    h.gpa = Some(d("1.00"));
    let e = judge(&demo.requirements, &h, &[]);
    assert_eq!(
        requirement(&e, "graduation/8").missing().unwrap(),
        "GPA 1.00 < 2.00: the remaining 10.0 credits would need an average of 17.00, above the \
         maximum 4.00: cannot reach it"
    );
}

#[test]
fn a_waived_requirement_counts_as_met() {
    let demo = demo();
    let mut h = Hand::graduate(&demo);
    h.unpass("CS307");
    let before = judge(&demo.requirements, &h, &[]);
    assert!(!graduation(&before).met);
    let exceptions = [Exception {
        action: ExceptionAction::Waive {
            requirement: "cs-electives".into(),
        },
        by: "教务处".into(),
        reason: "交换学期所修课程经学院认定".into(),
    }];
    let e = judge(&demo.requirements, &h, &exceptions);
    assert!(graduation(&e).met);
    let electives = requirement(&e, "cs-electives");
    assert_eq!(
        electives.status,
        Status::Waived {
            by: "教务处",
            reason: "交换学期所修课程经学院认定"
        }
    );
    assert!(e.unmatched_waivers.is_empty());
}

#[test]
fn an_n_of_group_counts_the_listed_courses_passed() {
    let demo = demo();
    let mut h = Hand::graduate(&demo);
    h.unpass("CS306");
    h.unpass("CS307");
    let e = judge(&demo.requirements, &h, &[]);
    let electives = requirement(&e, "cs-electives");
    assert_eq!(electives.have, Figure::Count(2));
    assert_eq!(electives.need, Figure::Count(4));
    assert_eq!(
        electives.missing().unwrap(),
        "needs 2 more of CS306, CS307, CS308, CS309, CS310, CS311, CS312, CS313, CS316, CS317"
    );
    // The AI micro-major: 3 of its 5 core courses and 10 ai-micro credits.
    let mut h = Hand::graduate(&demo);
    h.pass(&["CS309"]);
    let e = judge(&demo.requirements, &h, &[]);
    let ai = e
        .programs
        .iter()
        .find(|p| p.block.id == "ai-micro")
        .unwrap();
    assert_eq!(ai.requirements[1].have, Figure::Count(3));
    assert_eq!(ai.requirements[1].status, Status::Met);
    assert!(!ai.met, "{:#?}", ai.requirements);
    assert!(!certificate(&e, "ai-micro-certificate").met);
    h.pass(&["CS310"]);
    let e = judge(&demo.requirements, &h, &[]);
    let ai = e
        .programs
        .iter()
        .find(|p| p.block.id == "ai-micro")
        .unwrap();
    assert!(ai.met, "{:#?}", ai.requirements);
    assert!(certificate(&e, "ai-micro-certificate").met);
}

fn competition(demo: &Demo, level: u16, award: u16) -> ApprovedOutcome<'static> {
    ApprovedOutcome {
        kind: demo.kinds.kind("competition").unwrap(),
        id: Box::leak(format!("c-{level}-{award}").into_boxed_str()),
        values: vec![
            Value::Text("挑战杯"),
            Value::Enum(level),
            Value::Enum(award),
            Value::Enum(0),
            Value::Missing,
        ]
        .into(),
        evidence: vec![true, true].into(),
    }
}

#[test]
fn the_innovation_certificate_counts_qualifying_awards() {
    let demo = demo();
    let mut h = Hand::graduate(&demo);
    h.set("innovation", "8");
    // A provincial participation award does not qualify; a school first prize neither.
    h.outcomes.push(competition(&demo, 1, 4));
    h.outcomes.push(competition(&demo, 2, 1));
    let e = judge(&demo.requirements, &h, &[]);
    let cert = certificate(&e, "innovation-excellence");
    assert!(!cert.met);
    assert_eq!(
        cert.requirements[1].missing().unwrap(),
        "needs 1 more approved competition outcome"
    );
    h.outcomes.push(competition(&demo, 1, 3));
    let e = judge(&demo.requirements, &h, &[]);
    assert!(certificate(&e, "innovation-excellence").met);
}

/// What a judgement says, as plain values, to compare two judgements.
fn summary(e: &Eligibility<'_>) -> Vec<(String, String, Figure, Option<String>)> {
    e.graduation
        .iter()
        .chain(&e.programs)
        .chain(&e.certificates)
        .flat_map(|b| {
            b.requirements.iter().map(|r| {
                (
                    r.requirement.qualified_id.clone(),
                    format!("{:?}", r.status),
                    r.have,
                    r.missing(),
                )
            })
        })
        .collect()
}

#[test]
fn results_do_not_depend_on_the_order_of_the_standing() {
    let demo = demo();
    let mut h = Hand::graduate(&demo);
    h.unpass("CS306");
    h.pass(&["ECO101", "CS309"]);
    h.outcomes.push(competition(&demo, 1, 4));
    h.outcomes.push(competition(&demo, 0, 1));
    let forward = summary(&judge(&demo.requirements, &h, &[]));
    h.passed.reverse();
    h.outcomes.reverse();
    let backward = summary(&judge(&demo.requirements, &h, &[]));
    assert_eq!(forward, backward);
    let warnings_forward = warn(&demo.warnings, &h);
    h.passed.reverse();
    assert_eq!(warn(&demo.warnings, &h), warnings_forward);
}

fn credit_level(demo: &Demo, term: u32, earned: &str) -> Option<String> {
    let mut h = Hand::graduate(demo);
    h.categories.clear();
    h.set("general", earned);
    h.term = term;
    warn(&demo.warnings, &h)
        .iter()
        .find(|w| w.warning.id == "credit-progress")
        .map(|w| w.level.id.clone())
}

#[test]
fn credit_warnings_at_their_boundaries() {
    let demo = demo();
    // Terms 4 and 5 are measured against term 4's 80: 90% is 72, 75% is 60, 60% is 48.
    assert_eq!(credit_level(&demo, 4, "72"), None);
    assert_eq!(credit_level(&demo, 4, "71.9").as_deref(), Some("yellow"));
    assert_eq!(credit_level(&demo, 5, "60").as_deref(), Some("yellow"));
    assert_eq!(credit_level(&demo, 5, "59.9").as_deref(), Some("orange"));
    assert_eq!(credit_level(&demo, 5, "48").as_deref(), Some("orange"));
    assert_eq!(credit_level(&demo, 5, "47.9").as_deref(), Some("red"));
    // Before term 2 no stage applies.
    assert_eq!(credit_level(&demo, 1, "0"), None);
    // The documented example: term 5 with 58 credits is 72.5% of 80, orange.
    let mut h = Hand::graduate(&demo);
    h.categories.clear();
    h.set("general", "58");
    h.term = 5;
    let results = warn(&demo.warnings, &h);
    let w = results
        .iter()
        .find(|w| w.warning.id == "credit-progress")
        .unwrap();
    assert_eq!(w.level.id, "orange");
    assert_eq!(w.level.colour, "#f5a623");
    assert_eq!(w.level.name.as_deref(), Some("橙色预警"));
    assert_eq!(
        w.figures,
        WarningFigures::Credits {
            current_term: 5,
            stage_term: 4,
            earned: d("58"),
            expected: d("80"),
            share: Some(d("0.725")),
        }
    );
    assert_eq!(
        w.warning.source.as_deref(),
        Some("示范大学本科生学业预警管理办法 第六条")
    );
}

#[test]
fn failed_credit_warnings() {
    let demo = demo();
    let mut h = Hand::graduate(&demo);
    let level = |h: &Hand<'_>| {
        warn(&demo.warnings, h)
            .iter()
            .find(|w| w.warning.id == "failed-credits")
            .map(|w| w.level.id.clone())
    };
    h.failed = d("9.5");
    assert_eq!(level(&h), None);
    h.failed = d("10");
    assert_eq!(level(&h).as_deref(), Some("yellow"));
    h.failed = d("15");
    assert_eq!(level(&h).as_deref(), Some("orange"));
    h.failed = d("25");
    assert_eq!(level(&h).as_deref(), Some("red"));
    // 25 failed credits are also more than the 20 graduation allows.
    let e = judge(&demo.requirements, &h, &[]);
    assert_eq!(
        requirement(&e, "graduation/9").missing().unwrap(),
        "25.0 failed credits, more than the 20.0 allowed"
    );
}

#[test]
fn a_graduate_has_no_warning() {
    let demo = demo();
    let h = Hand::graduate(&demo);
    assert!(warn(&demo.warnings, &h).is_empty());
}
