//! Tests of the whole parser: lowering, comments, errors and recovery.

use super::*;
use crate::ast::*;

const SAMPLE: &str = include_str!("../../tests/fixtures/valid/sample.cbr");

fn parse_text(text: &str) -> Parsed {
    parse(&SourceFile::new("test.cbr", text))
}

#[test]
fn sample_parses_cleanly() {
    let parsed = parse_text(SAMPLE);
    for d in &parsed.diagnostics {
        eprintln!(
            "{}",
            crate::diagnostic::render(d, &SourceFile::new("s.cbr", SAMPLE))
        );
    }
    assert!(parsed.diagnostics.is_empty());
    eprintln!("{:#?}", parsed.file);
}
