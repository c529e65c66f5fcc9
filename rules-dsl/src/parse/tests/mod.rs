//! Tests of the whole parser: lowering, comments, errors and recovery.

mod comments;
mod errors;
mod expressions;
mod lowering;

use super::*;
use crate::ast::*;
use rust_decimal::Decimal;
use std::str::FromStr;

const SAMPLE: &str = include_str!("../../../tests/fixtures/valid/sample.cbr");

const HEADER: &str =
    "ruleset \"demo/u\" version \"2026.1\" {\n  title \"示范\"\n  effective 2026-09-01\n}\n";

fn parse_text(text: &str) -> Parsed {
    parse(&SourceFile::new("test.cbr", text))
}

/// Parses `HEADER` followed by `item`, asserts there are no diagnostics, returns the item.
fn item(item: &str) -> Item {
    let text = format!("{HEADER}{item}");
    let parsed = parse_text(&text);
    assert_eq!(parsed.diagnostics, vec![], "{item}");
    assert_eq!(parsed.file.items.len(), 2, "{item}");
    parsed.file.items[1].value.clone()
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn id(text: &str) -> Ident {
    Spanned::new(text.to_string(), Span::default())
}

fn var(name: &str) -> Expr {
    Expr {
        kind: ExprKind::Var(name.to_string()),
        span: Span::default(),
    }
}

fn num(text: &str) -> Expr {
    Expr {
        kind: ExprKind::Number(dec(text)),
        span: Span::default(),
    }
}

fn bin(op: BinaryOp, a: Expr, b: Expr) -> Expr {
    Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        span: Span::default(),
    }
}

/// The formula of `convert c { kind k into i credits EXPR }`.
fn formula(expr: &str) -> Expr {
    let Item::Convert(rule) = item(&format!("convert c {{ kind k into i credits {expr} }}")) else {
        panic!("not a conversion rule");
    };
    let CreditAmount::Formula { expr, .. } = rule.credits.value else {
        panic!("not a formula");
    };
    expr
}

/// The condition of `convert c { kind k when COND into i credits 1 }`.
fn condition(cond: &str) -> Condition {
    let Item::Convert(rule) = item(&format!(
        "convert c {{ kind k when {cond} into i credits 1 }}"
    )) else {
        panic!("not a conversion rule");
    };
    rule.when.unwrap().value
}

fn messages(parsed: &Parsed) -> Vec<(&'static str, String, String)> {
    parsed
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.message.clone(), d.label.clone()))
        .collect()
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.range()]
}

#[test]
fn sample_parses_cleanly_with_every_item() {
    let parsed = parse_text(SAMPLE);
    assert_eq!(parsed.diagnostics, vec![]);
    let kinds: Vec<&str> = parsed
        .file
        .items
        .iter()
        .map(|i| match &i.value {
            Item::Header(_) => "ruleset",
            Item::Categories(_) => "categories",
            Item::Scale(_) => "scale",
            Item::Gpa(_) => "gpa",
            Item::Catalog(_) => "catalog",
            Item::Kind(_) => "kind",
            Item::Institutions(_) => "institutions",
            Item::Convert(_) => "convert",
            Item::Cap(_) => "cap",
            Item::Review(_) => "review",
            Item::Warning(_) => "warning",
            Item::Graduation(_) => "graduation",
            Item::Program(_) => "program",
            Item::Certificate(_) => "certificate",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "ruleset",
            "categories",
            "scale",
            "scale",
            "scale",
            "scale",
            "gpa",
            "catalog",
            "kind",
            "institutions",
            "convert",
            "convert",
            "cap",
            "cap",
            "review",
            "warning",
            "graduation",
            "program",
            "certificate"
        ]
    );
    assert_eq!(parsed.file.items[0].comments.leading, [" 示范大学"]);
}

#[test]
fn crlf_line_ends_and_wide_spaces_read_the_same() {
    let lf = parse_text(SAMPLE);
    let crlf = parse_text(&SAMPLE.replace('\n', "\r\n"));
    assert_eq!(crlf.diagnostics, vec![]);
    assert_eq!(crlf.file, lf.file);
    let wide = parse_text(&format!("\u{feff}{}", SAMPLE.replace("  ", "\u{3000}")));
    assert_eq!(wide.diagnostics, vec![]);
    assert_eq!(wide.file, lf.file);
}
