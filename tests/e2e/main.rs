//! End-to-end tests: the real `creditbank` binary on the bundled rulesets and on bad input.

mod bad_records;
mod batch;
mod check;
mod eval;
mod explain_code;
mod fmt;
mod gen_cohort;
mod serve;
mod stats;
mod test_verb;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (the tests run from cli/).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cli/ has a parent")
        .to_path_buf()
}

/// Runs the binary from the repository root with `args`, feeding `stdin`.
fn creditbank(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_creditbank"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    if let Some(text) = stdin {
        pipe.write_all(text.as_bytes())
            .expect("stdin accepts input");
    }
    drop(pipe);
    child.wait_with_output().expect("the binary finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A small valid ruleset, deliberately laid out badly.
const MESSY: &str = r#"// 测试规则
ruleset "e2e/test" version "1.0" { effective 2026-09-01   title "端到端测试"
}
categories { major "专业教育"  general "通识教育" }
scale five "五级制" text { "优秀" => 4.0 "不及格" => 0 fail }
scale pf pass-fail { pass "通过" fail "不通过" }
gpa { retake best scores use pct  grades use five, pf }
scale pct bands over [0, 100] pass 60 { [60, 100] => 4 [0, 60) => 0 }
catalog { course A1 "课程一" category major credits 2  course B2 "课程二" credits 3 category general }
graduation { requires total at least 5 // 全部课程
  requires courses A1, B2 }
"#;

/// The example learners as NDJSON lines, in a fixed order.
pub(crate) fn example_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for name in ["learner-good-standing.yaml", "learner-exceptions.yaml"] {
        let text = std::fs::read_to_string(root().join("examples").join(name)).unwrap();
        let value: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        lines.push(serde_json::to_string(&value).unwrap());
    }
    let text = std::fs::read_to_string(root().join("examples/learner-warning.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    lines.push(serde_json::to_string(&value).unwrap());
    lines
}
