//! How long evaluating one learner takes once the plan is compiled: the hot path of a batch.
//!
//! The learner is realistic: 45 course attempts over 6 terms (retakes, failures, a withdrawal,
//! a transfer course, one unrecognised code) and 15 non-course outcomes (competitions,
//! certificates, MOOCs, papers, a patent, an internship, volunteering), evaluated against
//! `rulesets/demo-university/undergraduate/2026.1.cbr` at each level of explanation. Plan
//! compilation and record parsing happen once, outside the measured loop. The acceptance bar is
//! a median under 20 µs with explanations off.

use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::{from_yaml, LearnerRecord};
use creditbank_engine::report::Explain;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const RULESET: &str = "rulesets/demo-university/undergraduate/2026.1.cbr";

/// A third-year learner with 60 outcomes in all.
const LEARNER: &str = r#"
learner: "2026010777"
program: "demo-university/undergraduate"
enrolled: 2026-09-01
as_of: 2029-07-01
term: 6
courses:
  # Term 1
  - { course: MAR101, term: 1, score: 81 }
  - { course: MIL101, term: 1, score: 88 }
  - { course: PSY101, term: 1, grade: "合格" }
  - { course: ENG101, term: 1, grade: "中等" }
  - { course: PE101, term: 1, score: 76 }
  - { course: MTH101, term: 1, score: 52 }
  - { course: CS101, term: 1, score: 91 }
  - { course: CS104, term: 1, score: 84 }
  - { course: MIL102, term: 1, grade: "通过" }
  # Term 2: a failure retaken, a new failure
  - { course: MTH101, term: 2, score: 71.5 }
  - { course: MAR102, term: 2, score: 79 }
  - { course: CAR101, term: 2, grade: "合格" }
  - { course: ENG102, term: 2, grade: "良好" }
  - { course: PE102, term: 2, score: 80 }
  - { course: MTH102, term: 2, score: 48 }
  - { course: MTH103, term: 2, score: 77 }
  - { course: PHY101, term: 2, score: 66 }
  - { course: CS102, term: 2, score: 85 }
  - { course: CSP101, term: 2, grade: "通过" }
  # Term 3
  - { course: MTH102, term: 3, score: 58 }
  - { course: MAR201, term: 3, score: 83 }
  - { course: ENG201, term: 3, grade: "良好" }
  - { course: MTH201, term: 3, score: 74 }
  - { course: PHY102, term: 3, score: 69 }
  - { course: CS201, term: 3, score: 90 }
  - { course: CS202, term: 3, score: 57 }
  - { course: GEH202, term: 3, grade: "优秀" }
  # Term 4: a withdrawal, retakes pass
  - { course: MTH102, term: 4, score: 64 }
  - { course: CS202, term: 4, score: 73 }
  - { course: MAR202, term: 4, score: 85 }
  - { course: ENG202, term: 4, grade: "优秀" }
  - { course: CS204, term: 4, score: 88 }
  - { course: CS205, term: 4, grade: "W" }
  - { course: CS206, term: 4, score: 92 }
  - { course: GES201, term: 4, score: 90 }
  # Term 5: a transfer course and a code the catalog does not know
  - { course: CS205, term: 5, score: 79 }
  - { course: CS301, term: 5, score: 86 }
  - { course: CS302, term: 5, score: 82 }
  - { course: CS304, term: 5, score: 93 }
  - { course: XT-DS101, term: 5, score: 87, credits: 2, institution: xuetangx, category: general }
  - { course: CS999, term: 5, score: 75 }
  # Term 6
  - { course: CS305, term: 6, score: 89 }
  - { course: CS306, term: 6, score: 45 }
  - { course: CSP301, term: 6, grade: "通过" }
  - { course: CS315, term: 6, score: 80 }
outcomes:
  - id: comp-2027-01
    kind: competition
    attributes: { name: "中国大学生计算机设计大赛", level: national, award: second, listed: "yes", awarded-on: 2027-08-20 }
    date: 2027-08-20
    evidence: [certificate, notice]
  - id: comp-2028-01
    kind: competition
    attributes: { name: "中国大学生计算机设计大赛", level: national, award: first, listed: "yes", awarded-on: 2028-08-18 }
    date: 2028-08-18
    evidence: [certificate, notice]
  - id: comp-2027-02
    kind: competition
    attributes: { name: "省大学生程序设计竞赛", level: provincial, award: first, listed: "no", awarded-on: 2027-05-12 }
    date: 2027-05-12
    evidence: [certificate, notice]
  - id: comp-2028-02
    kind: competition
    attributes: { name: "校数学建模竞赛", level: school, award: third, listed: "no", awarded-on: 2028-04-02 }
    date: 2028-04-02
    evidence: [certificate]
  - id: cet6-2027
    kind: language-test
    attributes: { exam: cet6, score: 512, taken-on: 2027-12-16 }
    date: 2028-02-26
    evidence: [report, verification]
  - id: ncre2-2027
    kind: qualification
    attributes: { cert: ncre2, issued-on: 2027-06-30 }
    date: 2027-07-10
    evidence: [certificate, verification]
  - id: rk-2028
    kind: qualification
    attributes: { cert: rk-middle, issued-on: 2028-12-20 }
    date: 2029-01-05
    evidence: [certificate]
    review: pending
  - id: mooc-2027-01
    kind: mooc
    attributes: { course-name: "Python语言程序设计", hours: 48, score: 92, certified: "yes" }
    date: 2027-06-20
    evidence: [certificate]
    institution: icourse
  - id: mooc-2027-02
    kind: mooc
    attributes: { course-name: "数据科学导论", hours: 32, score: 55, certified: "no" }
    date: 2027-12-20
    evidence: [transcript]
    institution: xuetangx
  - id: mooc-2028-01
    kind: mooc
    attributes: { course-name: "机器学习初步", hours: 40, score: 88, certified: "yes" }
    date: 2028-06-15
    evidence: [certificate]
    institution: smartedu
  - id: paper-2028-01
    kind: paper
    attributes: { title-text: "基于图神经网络的课程推荐方法", tier: core, author-rank: 2, published-on: 2028-11-03 }
    date: 2028-11-03
    evidence: [offprint, affiliation]
  - id: paper-2029-01
    kind: paper
    attributes: { title-text: "学分银行中的规则引擎设计", tier: general, author-rank: 1, published-on: 2029-03-01 }
    date: 2029-03-01
    evidence: [offprint, affiliation]
    review: approved
  - id: patent-2028-sw
    kind: patent
    attributes: { patent-type: software, status: granted, inventor-rank: 1 }
    date: 2028-05-11
    evidence: [grant-certificate, ownership]
  - id: intern-2028-summer
    kind: internship
    attributes: { employer: "某科技有限公司", weeks: 9, relevant: "yes", appraisal: excellent }
    date: 2028-08-30
    evidence: [agreement, report, appraisal-form]
    review: approved
  - id: vol-2028
    kind: volunteering
    attributes: { hours: 136, system: "全国志愿服务信息系统" }
    date: 2028-06-30
    evidence: [record]
"#;

fn plan() -> Plan {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(RULESET);
    let text = std::fs::read_to_string(&path).expect("the demo ruleset is readable");
    let sources = vec![SourceFile::new(RULESET, text)];
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources))
        .expect("the demo ruleset checks");
    Plan::compile(&library.versions("demo-university/undergraduate")[0])
        .expect("the demo ruleset compiles")
}

fn learner() -> LearnerRecord {
    let record = from_yaml(LEARNER).expect("the bench learner is a valid record");
    assert_eq!(record.courses.len() + record.outcomes.len(), 60);
    record
}

fn bench_evaluate(c: &mut Criterion) {
    let plan = plan();
    let record = learner();
    // Fail loudly rather than time an error path.
    let report = evaluate(&plan, &record, None, Explain::Full, "in force at enrolment")
        .expect("the bench learner evaluates");
    eprintln!(
        "bench learner: {} course attempts, {} outcomes, {} course lines, {} outcome lines",
        record.courses.len(),
        record.outcomes.len(),
        report.courses.len(),
        report.outcomes.len()
    );
    let mut group = c.benchmark_group("evaluate");
    for (name, explain) in [
        ("none", Explain::None),
        ("reasons", Explain::Reasons),
        ("full", Explain::Full),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                evaluate(
                    black_box(&plan),
                    black_box(&record),
                    None,
                    explain,
                    "in force at enrolment",
                )
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_evaluate);
criterion_main!(benches);
