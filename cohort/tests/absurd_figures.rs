//! Records with absurd but valid figures (a transfer course or a forced grant of 10^28
//! credits) are evaluated, explained and written without a panic: the figures saturate at
//! the largest decimal, or the GPA reports its overflow as an error.

use creditbank_cohort::generate::{CohortGenerator, GenerateOptions};
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::{CourseAttempt, Exception, ExceptionAction, Mark};
use creditbank_engine::report::Explain;
use rust_decimal::Decimal;

fn bundled() -> Vec<SourceFile> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rulesets");
    creditbank_dsl::files::ruleset_files(&root)
        .unwrap()
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            SourceFile::new(path.display().to_string(), text)
        })
        .collect()
}

#[test]
fn the_largest_credits_a_record_can_state_never_stop_an_evaluation() {
    let sources = bundled();
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
    let mut evaluated = 0;
    let mut saturated = 0;
    for id in library.ids() {
        let generator =
            CohortGenerator::new(&library, Some(id), GenerateOptions::default()).unwrap();
        for version in library.versions(id) {
            let plan = Plan::compile(version).unwrap();
            let categories = plan.catalog.categories.clone();
            for i in 0..20 {
                let mut record = generator.learner(i);
                // Odd learners also take transfer courses of the largest credits, whose GPA
                // overflows; even ones are only granted credits, which saturate.
                let transfers = i % 2 == 1;
                for (n, category) in categories.iter().enumerate() {
                    for (k, mark) in [
                        Mark::Score(Decimal::from(95)),
                        Mark::Score(Decimal::from(10)),
                    ]
                    .into_iter()
                    .enumerate()
                    .filter(|_| transfers)
                    {
                        record.courses.push(CourseAttempt {
                            course: format!("TRANSFER-{n}-{k}"),
                            term: 1,
                            mark,
                            credits: Some(Decimal::MAX),
                            institution: None,
                            category: Some(category.clone()),
                        });
                    }
                    record.exceptions.push(Exception {
                        action: ExceptionAction::Force {
                            category: category.clone(),
                            credits: Decimal::MAX,
                        },
                        by: "registrar".into(),
                        reason: "test".into(),
                    });
                }
                record.validate().unwrap();
                for explain in [Explain::None, Explain::Reasons, Explain::Full] {
                    // An overflowing GPA is an error the caller reports; anything else is a
                    // report that must also be written.
                    match evaluate(&plan, &record, None, explain, "x") {
                        Ok(report) => {
                            let mut out = Vec::new();
                            creditbank_engine::json::to_vec(&report, &mut out).unwrap();
                            assert_eq!(report.total_credits, Decimal::MAX, "{id} {i}");
                            saturated += 1;
                        }
                        Err(e) => {
                            assert!(transfers, "{id} {i}: {e}");
                            assert!(e.to_string().contains("overflow"), "{e}");
                        }
                    }
                    evaluated += 1;
                }
            }
        }
    }
    assert_eq!(evaluated, 3 * 20 * sources.len());
    assert_eq!(
        saturated,
        3 * 10 * sources.len(),
        "every learner only granted credits"
    );
}
