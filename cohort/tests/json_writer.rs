//! Reports written by the engine's JSON writers (the serde one, `json::to_vec`, and the direct
//! one, `json::report::write`) are byte for byte what `serde_json` writes: batch output and
//! service answers do not change with the writer.

mod bundled;

use creditbank_engine::evaluate::evaluate;
use creditbank_engine::report::Explain;

#[test]
fn every_report_of_every_bundled_version_is_written_as_serde_json_writes_it() {
    let mut written = 0;
    let files = bundled::each_learner(60, |l| {
        for explain in Explain::ALL {
            let report = evaluate(l.plan, &l.record, None, explain, "in force").unwrap();
            let theirs = serde_json::to_vec(&report).unwrap();
            let mut serde_writer = Vec::new();
            creditbank_engine::json::to_vec(&report, &mut serde_writer).unwrap();
            let mut direct = Vec::new();
            creditbank_engine::json::report::write(&report, &mut direct);
            for (writer, ours) in [("by the serde writer", serde_writer), ("directly", direct)] {
                assert!(
                    ours == theirs,
                    "{} {} learner {}, {explain:?}, written {writer}:\n{}\n{}",
                    l.id,
                    l.version,
                    l.index,
                    String::from_utf8_lossy(&ours),
                    String::from_utf8_lossy(&theirs)
                );
            }
            written += 1;
        }
    });
    assert_eq!(written, 4 * 60 * files);
}
