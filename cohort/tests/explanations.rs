//! A report with explanations, its explanations dropped, is the report evaluated without
//! them: what lets a dry-run compare learners on the reports it explains them with.

mod bundled;

use creditbank_engine::evaluate::evaluate;
use creditbank_engine::report::Explain;

#[test]
fn dropping_explanations_gives_the_report_without_them_for_every_bundled_version() {
    let mut compared = 0;
    let files = bundled::each_learner(150, |l| {
        let (id, i) = (l.id, l.index);
        let none = evaluate(l.plan, &l.record, None, Explain::None, "x").unwrap();
        for explain in [Explain::Reasons, Explain::Full] {
            let mut explained = evaluate(l.plan, &l.record, None, explain, "x").unwrap();
            assert_ne!(explained, none, "{id} {i}: {explain:?} explains something");
            explained.drop_explanations();
            assert_eq!(
                explained, none,
                "{id} {} learner {i}, {explain:?}",
                l.version
            );
        }
        compared += 1;
    });
    assert_eq!(compared, 150 * files);
}
