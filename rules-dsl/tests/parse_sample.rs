//! The sample ruleset, which uses most of the language, parses cleanly into the expected
//! items through the public API.

use creditbank_dsl::ast::Item;
use creditbank_dsl::{parse, SourceFile};

const SAMPLE: &str = include_str!("fixtures/valid/sample.cbr");

#[test]
fn sample_parses_into_its_items() {
    let parsed = parse(&SourceFile::new("sample.cbr", SAMPLE));
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let items = &parsed.file.items;
    assert_eq!(items.len(), 19);
    let Item::Header(header) = &items[0].value else {
        panic!("the first item is the header");
    };
    assert_eq!(header.id.value, "demo-university/undergraduate");
    assert_eq!(header.version.value, "2026.1");
    let converts: Vec<&str> = items
        .iter()
        .filter_map(|i| match &i.value {
            Item::Convert(rule) => Some(rule.id.value.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(converts, ["comp-national", "mooc"]);
    let Some(Item::Graduation(graduation)) = items
        .iter()
        .map(|i| &i.value)
        .find(|i| matches!(i, Item::Graduation(_)))
    else {
        panic!("no graduation block");
    };
    assert_eq!(graduation.requirements.len(), 7);
    assert!(parsed.file.end_comments.is_empty());
    // Every span lies on the text.
    for item in items {
        assert!(SAMPLE.get(item.span.range()).is_some());
        assert!(SAMPLE[item.span.range()].ends_with('}'));
    }
}
