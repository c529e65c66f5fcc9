//! The canonical text of one item as a tree of lines, without comments.
//!
//! The formatter writes every clause on a line of its own and every block as `head {`, its
//! lines, `}`; it writes comments only as whole lines or at the end of a line. So dropping
//! comment text and nesting lines by braces gives the clauses of an item, each as the text a
//! user would write, whatever the layout and comments of the file it came from.

/// One line of an item's canonical text, with the lines of the block it opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Line {
    /// The line as the formatter wrote it, without indentation, comment or ` {`.
    pub text: String,
    /// The text compared across versions: [`compared`] of `text`.
    pub compared: String,
    /// The lines of the block the line opens, if it opens one.
    pub children: Vec<Line>,
}

impl Line {
    fn new(text: &str) -> Line {
        Line {
            text: text.to_string(),
            compared: compared(text),
            children: Vec::new(),
        }
    }

    /// The line and its block as canonical text, two spaces deeper per block.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_to(&mut out, 0);
        out
    }

    fn write_to(&self, out: &mut String, depth: usize) {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&"  ".repeat(depth));
        out.push_str(&self.text);
        if !self.children.is_empty() {
            out.push_str(" {");
            for child in &self.children {
                child.write_to(out, depth + 1);
            }
            out.push('\n');
            out.push_str(&"  ".repeat(depth));
            out.push('}');
        }
    }

    /// True when the line and its block read the same in both versions.
    pub fn same_as(&self, other: &Line) -> bool {
        self.compared == other.compared
            && self.children.len() == other.children.len()
            && self
                .children
                .iter()
                .zip(&other.children)
                .all(|(a, b)| a.same_as(b))
    }
}

/// The top-level lines of canonical text (normally one: the item's head, holding the rest).
pub(super) fn parse_lines(canonical: &str) -> Vec<Line> {
    // The bottom of the stack collects the top-level lines; every `{` pushes a block.
    let mut stack: Vec<Line> = vec![Line::new("")];
    for raw in canonical.lines() {
        let text = without_comment(raw.trim_start());
        if text.is_empty() {
            continue;
        }
        if text == "}" {
            close_block(&mut stack);
        } else if let Some(head) = text.strip_suffix(" {") {
            stack.push(Line::new(head));
        } else if let Some(top) = stack.last_mut() {
            top.children.push(Line::new(text));
        }
    }
    while stack.len() > 1 {
        close_block(&mut stack);
    }
    stack.pop().map(|root| root.children).unwrap_or_default()
}

fn close_block(stack: &mut Vec<Line>) {
    if stack.len() > 1 {
        if let (Some(block), Some(parent)) = (stack.pop(), stack.last_mut()) {
            parent.children.push(block);
        }
    }
}

/// The line without a `//` comment (one inside a string is text), trailing spaces trimmed.
fn without_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            return line[..i].trim_end();
        }
    }
    line.trim_end()
}

/// The words of a line: split at spaces, a string literal being one word however many spaces
/// it holds.
pub(super) fn words(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ' ' {
            if start < i {
                out.push(&line[start..i]);
            }
            start = i + 1;
        }
    }
    if start < line.len() {
        out.push(&line[start..]);
    }
    out
}

/// The text as compared: every decimal outside strings without trailing zeros.
///
/// `4.0` and `4` are the same number of credits (the syntax tree's decimals compare equal),
/// so writing one for the other is no change. A run of digits holding a `.` outside a string
/// is always a number: identifiers, course codes, dates and colours never hold a `.`.
pub(super) fn compared(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut number = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in text.chars() {
        if in_string {
            out.push(c);
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        push_number(&mut out, &mut number);
        if c == '"' {
            in_string = true;
        }
        out.push(c);
    }
    push_number(&mut out, &mut number);
    out
}

fn push_number(out: &mut String, number: &mut String) {
    if number.contains('.') {
        let trimmed = number.trim_end_matches('0').trim_end_matches('.');
        // `.0` alone never comes out of the formatter; keep a digit rather than nothing.
        out.push_str(if trimmed.is_empty() { "0" } else { trimmed });
    } else {
        out.push_str(number);
    }
    number.clear();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_dropped_but_slashes_in_strings_stay() {
        let lines = parse_lines(
            "cap x \"a // b\" { // trailing\n  // leading\n  on kind k // why\n  at most 4\n}\n",
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].text, "cap x \"a // b\"");
        let children: Vec<&str> = lines[0].children.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(children, ["on kind k", "at most 4"]);
    }

    #[test]
    fn blocks_nest() {
        let lines =
            parse_lines("convert r {\n  credits by award {\n    first => 4\n  }\n  into x\n}\n");
        let credits = &lines[0].children[0];
        assert_eq!(credits.text, "credits by award");
        assert_eq!(credits.children[0].text, "first => 4");
        assert_eq!(lines[0].children[1].text, "into x");
    }

    #[test]
    fn a_string_is_one_word() {
        assert_eq!(
            words(r#"level red "红 色 \"预警\"" colour #d0021b"#),
            ["level", "red", r#""红 色 \"预警\"""#, "colour", "#d0021b"]
        );
    }

    #[test]
    fn decimals_compare_without_trailing_zeros() {
        assert_eq!(compared("[85.50, 90) => 4.0"), "[85.5, 90) => 4");
        assert_eq!(
            compared("at most 35.0% of required total"),
            "at most 35% of required total"
        );
        assert_eq!(
            compared("course 04830140 \"x 1.50\" credits 2.0"),
            "course 04830140 \"x 1.50\" credits 2"
        );
        assert_ne!(compared("credits 4.01"), compared("credits 4.1"));
        assert_eq!(compared("-0.50"), "-0.5");
    }
}
