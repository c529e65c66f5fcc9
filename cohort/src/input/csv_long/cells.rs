//! The two cells that hold several values: `attributes` (`level=national; hours=40;
//! name="挑战杯"`) and `evidence` (`certificate; notice`).
//!
//! Entries are separated by `;`. A value without quotes that is a plain number (`40`,
//! `-1.5`) is a number; any other value is text, and text of the shape `YYYY-MM-DD` is a date,
//! as in the JSON and YAML records. A value in double quotes is always text (`"40"` is the
//! text 40), and is how a value holding `;`, `=`, `"`, `\` or blanks at its ends is written,
//! with `\"` and `\\` inside. Keys and evidence ids are quoted by the same rule.

use std::collections::BTreeMap;

use creditbank_engine::record::{parse_date, AttributeValue};
use rust_decimal::Decimal;

/// Characters that a value without quotes cannot hold.
const SPECIAL: &[char] = &[';', '=', '"', '\\'];

/// One token: its text and whether it was quoted.
struct Token {
    text: String,
    quoted: bool,
}

/// Reads the cell as `;`-separated entries, each `key=value` when `pairs`.
struct Reader<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str) -> Self {
        Reader {
            chars: text.char_indices().peekable(),
            text,
        }
    }

    fn skip_blanks(&mut self) {
        while self
            .chars
            .next_if(|(_, c)| *c == ' ' || *c == '\t')
            .is_some()
        {}
    }

    fn at_end(&mut self) -> bool {
        self.chars.peek().is_none()
    }

    /// The next char, if it is `c`.
    fn eat(&mut self, c: char) -> bool {
        self.chars.next_if(|(_, x)| *x == c).is_some()
    }

    /// A token ending before one of `stops` (or the end); `None` when there is nothing.
    fn token(&mut self, stops: &[char]) -> Result<Option<Token>, String> {
        self.skip_blanks();
        if self.eat('"') {
            let mut text = String::new();
            loop {
                match self.chars.next() {
                    None => return Err("a quote is not closed".to_owned()),
                    Some((_, '"')) => break,
                    Some((_, '\\')) => match self.chars.next() {
                        Some((_, c @ ('"' | '\\'))) => text.push(c),
                        _ => return Err("`\\` in quotes must come before `\"` or `\\`".to_owned()),
                    },
                    Some((_, c)) => text.push(c),
                }
            }
            self.skip_blanks();
            if let Some((_, c)) = self.chars.peek() {
                if !stops.contains(c) {
                    return Err(format!("`{c}` after a closing quote"));
                }
            }
            return Ok(Some(Token { text, quoted: true }));
        }
        let start = self.chars.peek().map_or(self.text.len(), |(i, _)| *i);
        let mut end = start;
        while let Some((i, c)) = self.chars.next_if(|(_, c)| !stops.contains(c)) {
            if c == '"' || c == '\\' {
                return Err(format!("`{c}` in a value without quotes: quote the value"));
            }
            end = i + c.len_utf8();
        }
        let text = self.text[start..end].trim_end_matches([' ', '\t']);
        if text.is_empty() {
            return Ok(None);
        }
        Ok(Some(Token {
            text: text.to_owned(),
            quoted: false,
        }))
    }
}

/// Reads an `attributes` cell.
pub(crate) fn parse_attributes(cell: &str) -> Result<BTreeMap<String, AttributeValue>, String> {
    let mut out = BTreeMap::new();
    let mut r = Reader::new(cell);
    loop {
        r.skip_blanks();
        if r.at_end() {
            return Ok(out);
        }
        if r.eat(';') {
            continue;
        }
        let key = r.token(&['=', ';'])?.ok_or("an attribute without a name")?;
        if !r.eat('=') {
            return Err(format!(
                "attribute `{}` has no value: write `{}=VALUE`",
                key.text, key.text
            ));
        }
        let value = r.token(&[';'])?.ok_or_else(|| {
            format!(
                "attribute `{}` has no value after `=` (write `\"\"` for empty text)",
                key.text
            )
        })?;
        let value = attribute_value(value)?;
        if out.insert(key.text.clone(), value).is_some() {
            return Err(format!("attribute `{}` is given twice", key.text));
        }
        r.skip_blanks();
        if !(r.at_end() || r.eat(';')) {
            return Err(format!("expected `;` after attribute `{}`", key.text));
        }
    }
}

fn attribute_value(token: Token) -> Result<AttributeValue, String> {
    if !token.quoted && is_plain_number(&token.text) {
        return Decimal::from_str_exact(&token.text)
            .map(AttributeValue::Number)
            .map_err(|_| format!("`{}` has more digits than a number may have", token.text));
    }
    if looks_like_date(&token.text) {
        return parse_date(&token.text)
            .map(AttributeValue::Date)
            .ok_or_else(|| format!("`{}` is not a date", token.text));
    }
    Ok(AttributeValue::Text(token.text))
}

/// Reads an `evidence` cell.
pub(crate) fn parse_list(cell: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut r = Reader::new(cell);
    loop {
        r.skip_blanks();
        if r.at_end() {
            return Ok(out);
        }
        if r.eat(';') {
            continue;
        }
        if let Some(token) = r.token(&[';'])? {
            out.push(token.text);
        }
    }
}

/// `-?digits(.digits)?`: what a number without quotes looks like.
pub(crate) fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The shape `dddd-dd-dd`: meant as a date, as the record readers take it.
fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
}

/// Writes an `attributes` cell that [`parse_attributes`] reads back the same.
pub(crate) fn write_attributes(attributes: &BTreeMap<String, AttributeValue>, out: &mut String) {
    for (i, (key, value)) in attributes.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        write_token(key, needs_quotes(key), out);
        out.push('=');
        match value {
            AttributeValue::Text(text) => {
                let quote = needs_quotes(text) || is_plain_number(text);
                write_token(text, quote, out);
            }
            AttributeValue::Number(n) => out.push_str(&n.to_string()),
            AttributeValue::Date(d) => out.push_str(&creditbank_engine::record::format_date(*d)),
        }
    }
}

/// Writes an `evidence` cell that [`parse_list`] reads back the same.
pub(crate) fn write_list(items: &[String], out: &mut String) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        write_token(item, needs_quotes(item), out);
    }
}

fn needs_quotes(text: &str) -> bool {
    text.is_empty() || text.trim() != text || text.contains(SPECIAL)
}

fn write_token(text: &str, quote: bool, out: &mut String) {
    if !quote {
        out.push_str(text);
        return;
    }
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> AttributeValue {
        AttributeValue::Text(s.into())
    }

    #[test]
    fn attributes_read_numbers_text_and_dates() {
        let got = parse_attributes(
            "level=national; hours = 40 ;score=-1.5; name=\"挑战杯; 决赛\"; code=\"40\"; on=2027-05-20;",
        )
        .unwrap();
        assert_eq!(got["level"], text("national"));
        assert_eq!(got["hours"], AttributeValue::Number(Decimal::from(40)));
        assert_eq!(got["score"], AttributeValue::Number(Decimal::new(-15, 1)));
        assert_eq!(got["name"], text("挑战杯; 决赛"));
        assert_eq!(got["code"], text("40"));
        assert!(matches!(got["on"], AttributeValue::Date(_)));
        assert_eq!(got.len(), 6);
        assert!(parse_attributes("").unwrap().is_empty());
    }

    #[test]
    fn bad_attribute_cells_say_what_is_wrong() {
        for (cell, message) in [
            (
                "level",
                "attribute `level` has no value: write `level=VALUE`",
            ),
            ("level=", "attribute `level` has no value after `=`"),
            ("a=1; a=2", "attribute `a` is given twice"),
            ("on=2027-02-30", "`2027-02-30` is not a date"),
            ("name=\"open", "a quote is not closed"),
            ("name=\"x\" y", "`y` after a closing quote"),
            ("name=a\"b", "in a value without quotes"),
        ] {
            let e = parse_attributes(cell).unwrap_err();
            assert!(e.contains(message), "{cell}: {e}");
        }
    }

    #[test]
    fn written_cells_read_back_the_same() {
        let mut attributes = BTreeMap::new();
        attributes.insert("level".to_owned(), text("national"));
        attributes.insert("odd key=;".to_owned(), text(" spaced \"quoted\" \\ "));
        attributes.insert("digits".to_owned(), text("0042"));
        attributes.insert("empty".to_owned(), text(""));
        attributes.insert("n".to_owned(), AttributeValue::Number(Decimal::new(65, 1)));
        attributes.insert(
            "on".to_owned(),
            AttributeValue::Date(parse_date("2027-05-20").unwrap()),
        );
        let mut cell = String::new();
        write_attributes(&attributes, &mut cell);
        assert_eq!(parse_attributes(&cell).unwrap(), attributes, "{cell}");

        let items = vec![
            "certificate".to_owned(),
            "a;b".to_owned(),
            "通知".to_owned(),
        ];
        let mut cell = String::new();
        write_list(&items, &mut cell);
        assert_eq!(cell, "certificate; \"a;b\"; 通知");
        assert_eq!(parse_list(&cell).unwrap(), items);
    }
}
