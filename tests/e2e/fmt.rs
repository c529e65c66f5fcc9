//! `creditbank fmt`

use super::*;

#[test]
fn bundled_rulesets_are_formatted() {
    let out = creditbank(&["fmt", "--check", "rulesets/"], None);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
}

#[test]
fn fmt_rewrites_a_file_keeps_its_comments_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("messy.cbr");
    std::fs::write(&path, MESSY).unwrap();
    let path = path.to_str().unwrap();

    let check = creditbank(&["fmt", "--check", path], None);
    assert_eq!(check.status.code(), Some(1));
    assert!(stdout(&check).contains("would reformat"));
    assert!(
        stdout(&check).contains("+  title \"端到端测试\""),
        "{}",
        stdout(&check)
    );

    let out = creditbank(&["fmt", path], None);
    assert!(out.status.success(), "{}", stderr(&out));
    let formatted = std::fs::read_to_string(path).unwrap();
    assert!(formatted.contains("// 测试规则"));
    assert!(formatted.contains("// 全部课程"));
    assert!(formatted.contains("\n  title \"端到端测试\"\n  effective 2026-09-01\n"));

    let again = creditbank(&["fmt", "--check", path], None);
    assert!(again.status.success(), "{}", stdout(&again));

    // Formatting did not change the meaning: the file still checks the same.
    let before = creditbank(&["check", "--format", "json", "-"], Some(MESSY));
    let after = creditbank(&["check", "--format", "json", path], None);
    let count = |o: &Output| {
        let v: serde_json::Value = serde_json::from_str(&stdout(o)).unwrap();
        (v["errors"].clone(), v["warnings"].clone())
    };
    assert_eq!(count(&before), count(&after));
}

#[test]
fn fmt_reads_stdin_and_writes_stdout() {
    let out = creditbank(&["fmt", "-"], Some(MESSY));
    assert!(out.status.success(), "{}", stderr(&out));
    let once = stdout(&out);
    let twice = stdout(&creditbank(&["fmt", "-"], Some(&once)));
    assert_eq!(once, twice);
}

#[test]
fn fmt_refuses_a_file_with_syntax_errors_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.cbr");
    let broken = MESSY.replace("credits 3", "credits");
    std::fs::write(&path, &broken).unwrap();
    let out = creditbank(&["fmt", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error[E001]"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), broken);
}
