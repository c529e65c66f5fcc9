//! The cohort examples in docs/COHORTS.md read as the page says: every learner of each
//! example, in its format.

use std::path::Path;

use creditbank_cohort::input::{learners, InputFormat};

/// The fenced code blocks of the page in a cohort format: their format and text.
fn examples() -> Vec<(InputFormat, String)> {
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/COHORTS.md");
    let text = std::fs::read_to_string(page).unwrap();
    let mut out = Vec::new();
    // Inside a block: its format (none for a console session or error text) and its text.
    let mut block: Option<(Option<InputFormat>, String)> = None;
    for line in text.lines() {
        match (&mut block, line.strip_prefix("```")) {
            (None, Some(info)) => {
                let format = match info {
                    "json" => Some(InputFormat::Ndjson),
                    "yaml" => Some(InputFormat::Yaml),
                    "csv" => Some(InputFormat::Csv),
                    _ => None,
                };
                block = Some((format, String::new()));
            }
            (Some(_), Some(_)) => {
                if let Some((Some(format), body)) = block.take() {
                    out.push((format, body));
                }
            }
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

#[test]
fn every_cohort_example_reads_without_errors() {
    let examples = examples();
    let count = |f: InputFormat| examples.iter().filter(|(g, _)| *g == f).count();
    assert_eq!(count(InputFormat::Ndjson), 1);
    assert_eq!(count(InputFormat::Yaml), 1);
    assert_eq!(count(InputFormat::Csv), 2);
    for (format, text) in &examples {
        let read: Vec<String> = learners(text.as_bytes(), *format)
            .map(|raw| {
                let raw = raw.unwrap();
                raw.parse()
                    .unwrap_or_else(|e| panic!("{format} example: {e}\n{text}"))
                    .learner
            })
            .collect();
        assert!(!read.is_empty(), "{format} example holds no learner");
        let mut unique = read.clone();
        unique.dedup();
        assert_eq!(unique, read, "each learner once");
    }
}
