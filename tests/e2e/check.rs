//! `creditbank check`

use super::*;

#[test]
fn bundled_rulesets_have_no_errors() {
    let out = creditbank(&["check", "rulesets/"], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stderr(&out);
    assert!(summary.contains(" 0 errors"), "{summary}");
    let files: usize = summary
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("checked "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("a summary line `checked N files: ...`");
    assert!(
        files >= 4,
        "at least two rulesets in two versions: {summary}"
    );
}

#[test]
fn an_error_is_shown_with_file_line_column_caret_and_hint() {
    let text = MESSY.replace("category major credits 2", "category majr credits 2");
    let out = creditbank(&["check", "-"], Some(&text));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[E011]: unknown category `majr`"),
        "{err}"
    );
    assert!(err.contains("--> <stdin>:9:"), "{err}");
    assert!(err.contains("^^^^"), "{err}");
    assert!(err.contains("help:") && err.contains("`major`"), "{err}");
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let text = MESSY
        .replace("category major credits 2", "category majr credits 2")
        .replace("requires courses A1, B2", "requires courses A1, B3")
        .replace("grades use five, pf", "grades use five, pff");
    let out = creditbank(&["check", "-"], Some(&text));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    for code in ["E011", "E012", "E013"] {
        assert!(
            err.contains(&format!("error[{code}]")),
            "{code} missing:\n{err}"
        );
    }
    assert!(err.contains("3 errors"), "{err}");
}

#[test]
fn syntax_errors_in_several_items_are_all_reported() {
    let text = MESSY
        .replace("categories { major", "categories { major major")
        .replace("[60, 100] => 4", "[60, 100] = 4");
    let out = creditbank(&["check", "-"], Some(&text));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.matches("error[E001]").count(), 2, "{err}");
}

#[test]
fn json_output_gives_editors_positions() {
    let text = MESSY.replace("category major credits 2", "category majr credits 2");
    let out = creditbank(&["check", "--format", "json", "-"], Some(&text));
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    assert_eq!(report["errors"], 1);
    let d = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "E011")
        .expect("an E011 diagnostic");
    assert_eq!(d["severity"], "error");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(9), Some(36))
    );
    assert_eq!(d["end_column"], 40);
    assert!(d["help"].as_str().unwrap().contains("major"));
}

#[test]
fn a_missing_file_is_a_usage_error_not_a_crash() {
    let out = creditbank(&["check", "no/such/file.cbr"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read `no/such/file.cbr`"));
}

#[test]
fn invalid_utf8_is_reported_where_it_stands() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.cbr");
    let mut bytes = MESSY.as_bytes().to_vec();
    bytes.extend_from_slice(b"\xff\xfe junk\n");
    std::fs::write(&path, bytes).unwrap();
    let out = creditbank(&["check", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[E001]"), "{}", stderr(&out));
}
