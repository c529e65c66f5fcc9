//! Records with absurd but valid figures (a transfer course or a forced grant of 10^28
//! credits) are evaluated, explained and written without a panic: the figures saturate at
//! the largest decimal, or the GPA reports its overflow as an error.

mod bundled;

use creditbank_engine::evaluate::evaluate;
use creditbank_engine::record::{CourseAttempt, Exception, ExceptionAction, Mark};
use creditbank_engine::report::Explain;
use rust_decimal::Decimal;

#[test]
fn the_largest_credits_a_record_can_state_never_stop_an_evaluation() {
    let mut evaluated = 0;
    let mut saturated = 0;
    let files = bundled::each_learner(20, |l| {
        let (id, version, i, plan) = (l.id, l.version, l.index, l.plan);
        let mut record = l.record;
        // Odd learners also take transfer courses of the largest credits, whose GPA
        // overflows; even ones are only granted credits, which saturate.
        let transfers = i % 2 == 1;
        for (n, category) in plan.catalog.categories.iter().enumerate() {
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
            // An overflowing GPA is an error the caller reports; anything else is a report
            // that must also be written.
            match evaluate(plan, &record, None, explain, "x") {
                Ok(report) => {
                    let mut out = Vec::new();
                    creditbank_engine::json::to_vec(&report, &mut out).unwrap();
                    // The direct writer writes the saturated figures as the serde one does.
                    let mut direct = Vec::new();
                    creditbank_engine::json::report::write(&report, &mut direct);
                    assert!(out == direct, "{id} {version} {i}, {explain:?}");
                    assert_eq!(report.total_credits, Decimal::MAX, "{id} {version} {i}");
                    saturated += 1;
                }
                Err(e) => {
                    assert!(transfers, "{id} {version} {i}: {e}");
                    assert!(e.to_string().contains("overflow"), "{e}");
                }
            }
            evaluated += 1;
        }
    });
    assert_eq!(evaluated, 3 * 20 * files);
    assert_eq!(
        saturated,
        3 * 10 * files,
        "every learner only granted credits"
    );
}
