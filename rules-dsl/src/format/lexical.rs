//! Tokens: strings, numbers, dates, lists.

use crate::ast::{Date, Ident, MonthDay, Text};
use rust_decimal::Decimal;
use std::fmt::Write as _;

/// A string literal, quoted and escaped so that the parser reads back the same text.
pub(super) fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A string literal from a [`Text`] node.
pub(super) fn text(text: &Text) -> String {
    string(&text.value)
}

/// ` "name"` when there is a display name, else nothing: for `id "name"?` headers.
pub(super) fn opt_name(name: &Option<Text>) -> String {
    match name {
        Some(name) => format!(" {}", text(name)),
        None => String::new(),
    }
}

/// A decimal as written: `Decimal`'s Display keeps the scale (`4.0` stays `4.0`).
pub(super) fn number(n: &Decimal) -> String {
    n.to_string()
}

/// A percentage: `35%`.
pub(super) fn percent(n: &Decimal) -> String {
    format!("{n}%")
}

/// `2026-09-01`.
pub(super) fn date(d: &Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// `09-01`.
pub(super) fn month_day(d: &MonthDay) -> String {
    format!("{:02}-{:02}", d.month, d.day)
}

/// `#d0021b`; the parser may keep the colour with or without its `#`, and a hex colour never
/// holds one otherwise.
pub(super) fn colour(c: &Text) -> String {
    if c.value.starts_with('#') {
        c.value.clone()
    } else {
        format!("#{}", c.value)
    }
}

/// `a, b, c` for identifiers (or course codes).
pub(super) fn idents(list: &[Ident]) -> String {
    join(list.iter().map(|i| i.value.clone()))
}

/// `"a", "b"` for strings.
pub(super) fn strings(list: &[Text]) -> String {
    join(list.iter().map(text))
}

/// Joins with `, `.
pub(super) fn join(parts: impl IntoIterator<Item = String>) -> String {
    parts.into_iter().collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Span;
    use std::str::FromStr;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(string("line\nnext\tcol"), r#""line\nnext\tcol""#);
        assert_eq!(string("bell\u{7}del\u{7f}"), r#""bell\u{7}del\u{7f}""#);
        assert_eq!(string("示范大学 〔2026〕"), "\"示范大学 〔2026〕\"");
    }

    #[test]
    fn numbers_keep_their_scale() {
        assert_eq!(number(&Decimal::from_str("4.0").unwrap()), "4.0");
        assert_eq!(number(&Decimal::from_str("0.50").unwrap()), "0.50");
        assert_eq!(number(&Decimal::from_str("-12.5").unwrap()), "-12.5");
        assert_eq!(percent(&Decimal::from_str("35").unwrap()), "35%");
        assert_eq!(percent(&Decimal::from_str("12.5").unwrap()), "12.5%");
    }

    #[test]
    fn dates_are_zero_padded() {
        let d = Date {
            year: 2026,
            month: 9,
            day: 1,
        };
        assert_eq!(date(&d), "2026-09-01");
        assert_eq!(month_day(&MonthDay { month: 2, day: 29 }), "02-29");
    }

    #[test]
    fn colours_get_one_hash() {
        let span = Span::default();
        assert_eq!(colour(&Text::new("#D0021b".into(), span)), "#D0021b");
        assert_eq!(colour(&Text::new("d0021b".into(), span)), "#d0021b");
    }
}
