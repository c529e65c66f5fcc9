//! Syntax and clause errors: messages, spans, recovery.

use super::*;
use crate::ast::*;

#[test]
fn syntax_error_names_what_was_expected() {
    let text = format!(
        "{HEADER}convert x {{\n  kind competition\n  credits by award {{\n    first 4\n  }}\n}}\n"
    );
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [(
            "E001",
            "expected `=>`, found `4`".to_string(),
            "expected `=>`".to_string()
        )]
    );
    let d = &parsed.diagnostics[0];
    assert_eq!(slice(&text, d.span), "4");
    assert_eq!(
        d.help.as_deref(),
        Some("a credit table lists values and credits like `first => 4`")
    );
    assert_eq!(parsed.file.items.len(), 1);
}

#[test]
fn a_misspelt_keyword_is_reported_whole() {
    let text = format!("{HEADER}convert x {{\n  kind competition\n  intox innovation\n}}\n");
    let parsed = parse_text(&text);
    let d = &parsed.diagnostics[0];
    assert_eq!(
        d.message,
        "expected `}`, `credits`, `expires`, `from`, `highest`, `into`, `kind` or `source`, found `intox`"
    );
    assert_eq!(slice(&text, d.span), "intox");
    assert_eq!(d.label, "did you mean `into`?");
    assert_eq!(
        d.help.as_deref(),
        Some("a conversion rule takes: kind, when, from, into, credits, split by, highest only per, expires after, source")
    );
}

#[test]
fn missing_brace_and_end_of_file() {
    let text = format!(
        "{HEADER}convert x \"n\"\n  kind competition\n}}\ncap y {{ on conversions at most 4 per\n"
    );
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [
            (
                "E001",
                "expected `{`, found `kind`".to_string(),
                "expected `{`".to_string()
            ),
            (
                "E001",
                "expected `term` or `year`, found end of file".to_string(),
                "expected `term` or `year`".to_string()
            ),
        ]
    );
    assert_eq!(
        parsed.diagnostics[0].help.as_deref(),
        Some("a conversion rule reads `convert ID \"name\" { ... }`")
    );
    assert_eq!(parsed.diagnostics[1].span.range(), text.len()..text.len());
}

#[test]
fn expected_conditions_are_named_as_such() {
    let text = format!("{HEADER}convert x {{ kind k when }}\n");
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(
        parsed.diagnostics[0].message,
        "expected a condition, found `}`"
    );
    let text = format!("{HEADER}convert x {{ kind k into i credits }}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        parsed.diagnostics[0].message,
        "expected an expression or `by`, found `}`"
    );
}

#[test]
fn lexical_errors_have_their_own_codes() {
    let text = format!(
        "{HEADER}categories {{\n  a \"x\\qy\"\n  b \"open\n  c \"ok\"\n}}\nkind k {{ attribute d date }}\n"
    );
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [
            (
                "E005",
                "invalid escape `\\q` in string".to_string(),
                "not a valid escape".to_string()
            ),
            (
                "E002",
                "unterminated string".to_string(),
                "this string is never closed".to_string()
            ),
        ]
    );
    assert_eq!(slice(&text, parsed.diagnostics[0].span), "\\q");
    assert_eq!(slice(&text, parsed.diagnostics[1].span), "\"open");
    assert_eq!(
        parsed.diagnostics[1].help.as_deref(),
        Some("close the string with `\"`")
    );
    // The categories are left out; the kind after them is kept.
    assert_eq!(parsed.file.items.len(), 2);
    assert!(matches!(parsed.file.items[1].value, Item::Kind(_)));
}

#[test]
fn invalid_dates_and_numbers() {
    let text = "ruleset \"a\" version \"1\" {\n  title \"t\"\n  effective 2026-02-30\n  year starts 13-01\n  rounding gpa half-up 4294967296\n}\nconvert c { kind k into i credits 99999999999999999999999999999 }\n";
    let parsed = parse_text(text);
    assert_eq!(
        messages(&parsed),
        [
            (
                "E003",
                "invalid date `2026-02-30`".to_string(),
                "february 2026 has 28 days".to_string()
            ),
            (
                "E003",
                "invalid date `13-01`".to_string(),
                "there is no month 13".to_string()
            ),
            (
                "E004",
                "number `4294967296` is out of range".to_string(),
                "larger than 4294967295".to_string()
            ),
            (
                "E004",
                "number `99999999999999999999999999999` is out of range".to_string(),
                "more than 28 significant digits".to_string()
            ),
        ]
    );
    assert_eq!(slice(text, parsed.diagnostics[0].span), "2026-02-30");
    assert!(parsed.file.items.is_empty());
}

#[test]
fn missing_header_and_duplicate_items() {
    let parsed = parse_text("gpa { scores use s retake best }\ngpa { scores use t retake all }\n");
    assert_eq!(
        messages(&parsed),
        [
            (
                "E006",
                "the file has no `ruleset` header".to_string(),
                "expected the ruleset header before this".to_string()
            ),
            (
                "E007",
                "a ruleset has one gpa policy; this is a second `gpa`".to_string(),
                "second `gpa`".to_string()
            ),
        ]
    );
    assert_eq!(parsed.diagnostics[1].related[0].label, "first given here");
    assert_eq!(parsed.diagnostics[1].related[0].span.range(), 0..3);
    assert_eq!(parsed.file.items.len(), 1);
    let Item::Gpa(g) = &parsed.file.items[0].value else {
        panic!()
    };
    assert_eq!(g.scores.value.value, "s");
    let empty = parse_text("");
    assert_eq!(empty.diagnostics.len(), 1);
    assert_eq!(empty.diagnostics[0].code, Code::MissingHeader);
    assert_eq!(empty.diagnostics[0].span.range(), 0..0);
}

#[test]
fn missing_and_repeated_clauses() {
    let text = format!("{HEADER}convert comp-national {{ kind k kind j credits 1 }}\ncap c {{ on conversions on conversions at most 1 }}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [
            (
                "E008",
                "conversion rule `comp-national` has no `into` clause".to_string(),
                "`into` missing".to_string()
            ),
            (
                "E009",
                "conversion rule `comp-national` gives `kind` more than once".to_string(),
                "given again here".to_string()
            ),
            (
                "E009",
                "cap `c` gives `on` more than once".to_string(),
                "given again here".to_string()
            ),
        ]
    );
    let e008 = &parsed.diagnostics[0];
    assert_eq!(slice(&text, e008.span), "comp-national");
    assert_eq!(e008.help.as_deref(), Some("add `into CATEGORY`"));
    let e009 = &parsed.diagnostics[1];
    assert_eq!(slice(&text, e009.span), "kind j");
    assert_eq!(slice(&text, e009.related[0].span), "kind k");
    // The rule without `into` is left out; the cap keeps its first `on`.
    assert_eq!(parsed.file.items.len(), 2);
    assert!(matches!(parsed.file.items[1].value, Item::Cap(_)));
}

#[test]
fn a_course_missing_a_clause_leaves_the_catalog() {
    let text = format!("{HEADER}catalog {{\n  course A \"a\" credits 1\n  course B \"b\" credits 2 category c\n}}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [(
            "E008",
            "course `A` has no `category` clause".to_string(),
            "`category` missing".to_string()
        )]
    );
    let Item::Catalog(c) = &parsed.file.items[1].value else {
        panic!()
    };
    assert_eq!(c.courses.len(), 1);
}

#[test]
fn several_errors_are_reported_together_and_good_items_kept() {
    let text = format!(
        "{HEADER}foo bar\ncap a {{ on conversions at most }}\ncap b {{ on conversions at most 4 }}\nscale s bands over [0, 100] pass 60 {{\n  [90, 100] 4\n}}\ncap c {{ on category x at most 2 }}\n}}\n"
    );
    let parsed = parse_text(&text);
    let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E001", "E001", "E001", "E001"]);
    assert_eq!(
        parsed.diagnostics[0].message,
        "expected an item, found `foo`"
    );
    assert_eq!(parsed.diagnostics[2].message, "expected `=>`, found `4`");
    assert_eq!(parsed.diagnostics[3].message, "expected an item, found `}`");
    let ids: Vec<String> = parsed
        .file
        .items
        .iter()
        .filter_map(|i| match &i.value {
            Item::Cap(c) => Some(c.id.value.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["b", "c"]);
}

#[test]
fn an_unclosed_block_ends_at_the_next_item() {
    let text = format!("{HEADER}convert x {{\n  kind k\n  credits by a {{ p => 1\ncap c {{ on conversions at most 2 }}\n");
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
    assert!(
        parsed.diagnostics[0].message.ends_with("found `cap`"),
        "{}",
        parsed.diagnostics[0].message
    );
    assert_eq!(parsed.file.items.len(), 2);
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    let deep = format!("{}a = 1{}", "(".repeat(100), ")".repeat(100));
    let text = format!("{HEADER}convert x {{ kind k when {deep} into i credits 1 }}\n");
    let parsed = parse_text(&text);
    assert_eq!(messages(&parsed)[0].1, "nesting too deep");
    let nots = "not ".repeat(10_000);
    let text = format!("{HEADER}convert x {{ kind k when {nots} a = 1 into i credits 1 }}\n");
    assert_eq!(messages(&parse_text(&text))[0].1, "nesting too deep");
    let long = vec!["1"; 5_000].join(" + ");
    let text = format!("{HEADER}convert x {{ kind k into i credits {long} }}\n");
    let parsed = parse_text(&text);
    assert_eq!(messages(&parsed)[0].1, "nesting too deep");
    assert_eq!(parsed.file.items.len(), 1);
    // As deep as allowed: parses, even on a test thread's small stack in a debug build.
    let deepest = format!("{}a = 1{}", "(".repeat(63), ")".repeat(63));
    let text = format!("{HEADER}convert x {{ kind k when {deepest} into i credits 1 }}\n");
    assert_eq!(parse_text(&text).diagnostics, vec![]);
    let deepest = format!("{}1{}", "(-".repeat(63), ")".repeat(63));
    let text = format!("{HEADER}convert x {{ kind k into i credits {deepest} }}\n");
    assert_eq!(parse_text(&text).diagnostics, vec![]);
    let ok = vec!["1"; 100].join(" + ");
    let text = format!("{HEADER}convert x {{ kind k into i credits {ok} }}\n");
    assert_eq!(parse_text(&text).diagnostics, vec![]);
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "\"",
        "ruleset \"",
        "ruleset \"a\\",
        "convert x { when \"\\u{110000}\" }",
        "\u{feff}ruleset \"a\" version \"1\" { title \"t\" effective 2026-09-01 }",
        "cap\u{3000}x { on conversions at most 1 }",
        "}}}}",
        "scale 学分 text { \"优\" => 4 }",
        "ruleset \"a\" version \"1\" {\r\n title \"t\r\n}",
    ] {
        let parsed = parse_text(text);
        for d in &parsed.diagnostics {
            assert!(text.get(d.span.range()).is_some(), "{text:?}: {d:?}");
        }
    }
}

#[test]
fn a_word_cut_short_is_reported_whole() {
    let text =
        format!("{HEADER}convert x {{ kind k into i credits 2 split by rank {{ 1 => 50 }} }}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [(
            "E001",
            "expected a percentage like `35%`, found `50`".to_string(),
            "expected a percentage like `35%`".to_string()
        )]
    );
    assert_eq!(
        parsed.diagnostics[0].help.as_deref(),
        Some("a split lists ranks and shares like `1 => 100%`")
    );
    // Right after a word, but what is missing is punctuation: the error is after the word.
    let text = format!("{HEADER}convert x {{ kind k into i credits by a {{ first=4 }} }}\n");
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics[0].message, "expected `=>`, found `=`");
}

#[test]
fn full_width_punctuation_is_named() {
    let text = format!("{HEADER}graduation {{ requires courses CS101，CS102 }}\n");
    let parsed = parse_text(&text);
    let d = &parsed.diagnostics[0];
    assert!(d.message.ends_with("found `，`"), "{}", d.message);
    assert_eq!(d.label, "full-width `，`: write `,`");
    assert_eq!(slice(&text, d.span), "，");
}

#[test]
fn a_misspelt_item_keyword_is_suggested() {
    let text = format!("{HEADER}convrt x {{ kind k into i credits 1 }}\n");
    let parsed = parse_text(&text);
    assert_eq!(
        messages(&parsed),
        [(
            "E001",
            "expected an item, found `convrt`".to_string(),
            "did you mean `convert`?".to_string()
        )]
    );
    // Far from every keyword, or too short to tell: no guess.
    let parsed = parse_text(&format!("{HEADER}xyzzy\n"));
    assert_eq!(parsed.diagnostics[0].label, "not part of any item");
}

#[test]
fn a_second_single_item_is_still_checked() {
    let text =
        format!("{HEADER}ruleset \"b\" version \"2\" {{ title \"t\" effective 2026-9-1 }}\n");
    let parsed = parse_text(&text);
    let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E007", "E001"]);
    assert_eq!(
        parsed.diagnostics[1].message,
        "expected a date like `2026-09-01`, found `2026-9-1`"
    );
    assert_eq!(parsed.file.items.len(), 1);
}
