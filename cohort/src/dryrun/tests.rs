use super::*;
use crate::dryrun::compare::Compared;
use creditbank_dsl::SourceFile;
use creditbank_engine::evaluate::{evaluate, Plan};
use creditbank_engine::library::Library;
use creditbank_engine::record::{from_json, from_yaml, LearnerRecord};
use creditbank_engine::report::Explain;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn source(name: &str, text: String) -> SourceFile {
    SourceFile::new(name, text)
}

fn demo_text(version: &str) -> String {
    std::fs::read_to_string(root().join(format!(
        "rulesets/demo-university/undergraduate/{version}.cbr"
    )))
    .unwrap()
}

/// A bundled version of the demo ruleset, as a source named after its version.
fn demo_source(version: &str) -> SourceFile {
    source(&format!("{version}.cbr"), demo_text(version))
}

fn plan(source: &SourceFile) -> Plan {
    let sources = vec![source.clone()];
    let library = Library::build(&sources, creditbank_dsl::check_set(&sources)).unwrap();
    let version = library.all().next().unwrap().clone();
    Plan::compile(&version).unwrap()
}

/// What changed from `old` to `new`.
fn diff_of(old: &SourceFile, new: &SourceFile) -> RulesetDiff {
    creditbank_dsl::diff::diff(
        &creditbank_dsl::parse(old).file,
        &creditbank_dsl::parse(new).file,
    )
}

fn learners() -> Vec<LearnerRecord> {
    let mut out = Vec::new();
    for name in ["learner-good-standing.yaml", "learner-exceptions.yaml"] {
        let text = std::fs::read_to_string(root().join("examples").join(name)).unwrap();
        out.push(from_yaml(&text).unwrap());
    }
    let text = std::fs::read_to_string(root().join("examples/learner-warning.json")).unwrap();
    out.push(from_json(&text).unwrap());
    out
}

fn differs(old: &Plan, new: &Plan, record: &LearnerRecord) -> bool {
    let a = evaluate(old, record, None, Explain::None, "x").unwrap();
    let mut b = evaluate(new, record, None, Explain::None, "x").unwrap();
    b.ruleset = a.ruleset.clone();
    a != b
}

#[test]
fn a_learner_is_changed_exactly_when_its_two_reports_differ() {
    let (old_src, new_src) = (demo_source("2025.1"), demo_source("2026.1"));
    let (old, new) = (plan(&old_src), plan(&new_src));
    let diff = diff_of(&old_src, &new_src);
    let dry = DryRun::new(&old, &new, &diff, None, ChangeRate::default());
    for record in learners() {
        let compared = compare(1, &record, &dry).unwrap();
        let changed = matches!(compared, Compared::Changed(_));
        assert_eq!(changed, differs(&old, &new, &record), "{}", record.learner);
        if let Compared::Changed(change) = compared {
            assert!(!change.differences.is_empty());
        }
    }
}

#[test]
fn a_tightened_cap_is_named_with_what_it_clipped() {
    let text = demo_text("2026.1");
    let tightened = text.replace(
        "  on category innovation\n  at most 6 per year",
        "  on category innovation\n  at most 1 per year",
    );
    assert_ne!(
        text, tightened,
        "the demo ruleset has the cap this test tightens"
    );
    let (old_src, new_src) = (source("old.cbr", text), source("new.cbr", tightened));
    let (old, new) = (plan(&old_src), plan(&new_src));
    let diff = diff_of(&old_src, &new_src);
    let dry = DryRun::new(&old, &new, &diff, None, ChangeRate::default());
    let mut impact = Impact::default();
    let mut named = false;
    for record in learners() {
        let compared = compare(1, &record, &dry).unwrap();
        impact.add(&compared);
        if let Compared::Changed(change) = compared {
            let because: Vec<String> = change.because.iter().map(|a| a.to_string()).collect();
            assert!(
                because
                    .iter()
                    .any(|b| b
                        .starts_with("cap innovation-per-year: at most 6 per year -> 1 per year")),
                "{because:?}"
            );
            named = true;
        }
    }
    assert!(
        named,
        "some example learner earns innovation credit over 1 a year"
    );
    assert!(impact.changed >= 1);
    assert!(impact
        .credit_delta()
        .get("innovation")
        .is_some_and(|d| d.is_sign_negative()));
}

#[test]
fn learners_of_other_programs_are_not_concerned() {
    let src = demo_source("2026.1");
    let p = plan(&src);
    let diff = diff_of(&src, &src);
    let dry = DryRun::new(&p, &p, &diff, None, ChangeRate::default());
    let mut record = learners().remove(0);
    assert_eq!(compare(1, &record, &dry).unwrap(), Compared::Same);
    record.program = "elsewhere/other".into();
    assert_eq!(compare(1, &record, &dry).unwrap(), Compared::NotConcerned);
}

/// The changed items a rule is cited by, found by the rule's id, are those the diff's own
/// search finds, in its order: for every rule an item or a clause cites, in both directions
/// between the bundled versions, and for rules no item cites.
#[test]
fn items_citing_a_rule_are_found_by_its_id_as_the_diff_finds_them() {
    let (a, b) = (demo_source("2025.1"), demo_source("2026.1"));
    let (pa, pb) = (plan(&a), plan(&b));
    for (old, new, po, pn) in [(&a, &b, &pa, &pb), (&b, &a, &pb, &pa)] {
        let diff = diff_of(old, new);
        let dry = DryRun::new(po, pn, &diff, None, ChangeRate::default());
        let mut keys: Vec<(&'static str, String)> = vec![
            ("cap", "no-such-cap".into()),
            ("catalog course", "CS101".into()),
        ];
        for rule in diff.items.iter().flat_map(rules_named) {
            keys.push((rule.kind, rule.id.clone()));
            // The same id under another kind is another rule.
            keys.push(("warning", rule.id.clone()));
        }
        assert!(keys.len() > 10, "{keys:?}");
        let mut found = 0;
        for (kind, id) in &keys {
            for version in [Version::Old, Version::New] {
                let by_id: Vec<*const ItemDiff> = dry
                    .citing(version, kind, id)
                    .map(std::ptr::from_ref)
                    .collect();
                let searched: Vec<*const ItemDiff> = diff
                    .citing(version, kind, id)
                    .map(std::ptr::from_ref)
                    .collect();
                assert_eq!(by_id, searched, "{version:?} {kind} {id}");
                found += by_id.len();
            }
        }
        assert!(found > 10, "{found}");
    }
}
