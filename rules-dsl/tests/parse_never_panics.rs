//! The parser never panics and every diagnostic and item points inside the text, whatever the input:
//! arbitrary bytes, soups of the language's own tokens, and a valid file cut and pasted.

use creditbank_dsl::{parse, SourceFile};
use proptest::prelude::*;

const SAMPLE: &str = include_str!("fixtures/valid/sample.cbr");

/// Tokens of the language, so that random input gets past the first token now and then.
const TOKENS: &[&str] = &[
    "ruleset",
    "convert",
    "cap",
    "scale",
    "gpa",
    "graduation",
    "kind",
    "catalog",
    "review",
    "warning",
    "program",
    "certificate",
    "categories",
    "institutions",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    "=>",
    ":",
    "=",
    ">=",
    "+",
    "-",
    "*",
    "/",
    "^",
    "not",
    "and",
    "or",
    "when",
    "into",
    "credits",
    "by",
    "at",
    "least",
    "most",
    "requires",
    "\"s\"",
    "\"",
    "\"\\q\"",
    "\\",
    "x",
    "1",
    "4.0",
    "35%",
    "2026-02-30",
    "09-01",
    "#d0021b",
    "// c",
    "\n",
    " ",
    "学分",
    "\u{3000}",
    "99999999999999999999999999999",
    "4294967296",
];

/// Parses `text` and checks that every span lies within it, on character boundaries.
fn parses_with_sound_spans(text: &str) -> Result<(), TestCaseError> {
    let parsed = parse(&SourceFile::new("fuzz.cbr", text));
    for diagnostic in &parsed.diagnostics {
        let spans =
            std::iter::once(diagnostic.span).chain(diagnostic.related.iter().map(|r| r.span));
        for span in spans {
            let range = span.range();
            prop_assert!(range.start <= range.end, "{diagnostic:?}");
            prop_assert!(range.end <= text.len(), "{diagnostic:?}");
            prop_assert!(text.is_char_boundary(range.start), "{diagnostic:?}");
            prop_assert!(text.is_char_boundary(range.end), "{diagnostic:?}");
        }
    }
    for item in &parsed.file.items {
        prop_assert!(text.get(item.span.range()).is_some(), "{:?}", item.span);
    }
    Ok(())
}

/// One edit of the sample's bytes.
#[derive(Clone, Debug)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, from: usize, len: usize },
    Duplicate { at: usize, len: usize },
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = SAMPLE.len();
    prop_oneof![
        (0..n, 1usize..40).prop_map(|(at, len)| Edit::Delete { at, len }),
        (0..n, 0..n, 1usize..40).prop_map(|(at, from, len)| Edit::Insert { at, from, len }),
        (0..n, 1usize..200).prop_map(|(at, len)| Edit::Duplicate { at, len }),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let clamp = |i: usize, bytes: &Vec<u8>| i.min(bytes.len());
    match *edit {
        Edit::Delete { at, len } => {
            let at = clamp(at, bytes);
            let end = clamp(at + len, bytes);
            bytes.drain(at..end);
        }
        Edit::Insert { at, from, len } => {
            let source = SAMPLE.as_bytes();
            let from = from.min(source.len());
            let piece = source[from..(from + len).min(source.len())].to_vec();
            let at = clamp(at, bytes);
            bytes.splice(at..at, piece);
        }
        Edit::Duplicate { at, len } => {
            let at = clamp(at, bytes);
            let piece = bytes[at..clamp(at + len, bytes)].to_vec();
            bytes.splice(at..at, piece);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        parses_with_sound_spans(&String::from_utf8_lossy(&bytes))?;
    }

    #[test]
    fn token_soup(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..80)) {
        parses_with_sound_spans(&tokens.join(" "))?;
    }

    #[test]
    fn edited_sample(edits in proptest::collection::vec(edit(), 1..6)) {
        let mut bytes = SAMPLE.as_bytes().to_vec();
        for e in &edits {
            apply(&mut bytes, e);
        }
        parses_with_sound_spans(&String::from_utf8_lossy(&bytes))?;
    }
}

#[test]
fn the_sample_itself_is_clean() {
    let parsed = parse(&SourceFile::new("sample.cbr", SAMPLE));
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
}
