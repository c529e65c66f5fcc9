//! The help line of a syntax error: what the block around the error accepts.

/// How each item is written and what its block takes.
struct ItemForm {
    keyword: &'static str,
    /// How the item starts, up to its `{`.
    start: &'static str,
    /// What its block accepts.
    takes: &'static str,
}

const FORMS: &[ItemForm] = &[
    ItemForm {
        keyword: "ruleset",
        start: "a ruleset header reads `ruleset \"school/programme\" version \"2026.1\" { ... }`",
        takes: "the ruleset header takes: title, effective, supersedes, rounding gpa, rounding credits, year starts, source",
    },
    ItemForm {
        keyword: "categories",
        start: "a categories block reads `categories { ... }`",
        takes: "a categories block lists categories like `major \"专业教育\"`, each with an optional `source \"...\"`",
    },
    ItemForm {
        keyword: "scale",
        start: "a scale reads `scale ID \"name\"` and then `bands over [0, 100] pass 60 { ... }`, `formula over [0, 100] pass 60 { ... }`, `text { ... }` or `pass-fail { ... }`",
        takes: "",
    },
    ItemForm {
        keyword: "gpa",
        start: "a gpa policy reads `gpa \"name\" { ... }`",
        takes: "a gpa policy takes: scores use, grades use, weight, retake, include categories, exclude, source",
    },
    ItemForm {
        keyword: "catalog",
        start: "a catalog reads `catalog \"name\" { ... }`",
        takes: "a catalog lists courses like `course CS101 \"程序设计基础\" credits 3 category major`, each with optional `tags` and `term`",
    },
    ItemForm {
        keyword: "kind",
        start: "an outcome kind reads `kind ID \"name\" { ... }`",
        takes: "an outcome kind takes: attribute, evidence, source",
    },
    ItemForm {
        keyword: "institutions",
        start: "an institutions block reads `institutions { ... }`",
        takes: "an institutions block lists institutions like `pku \"北京大学\" partner share 100%`",
    },
    ItemForm {
        keyword: "convert",
        start: "a conversion rule reads `convert ID \"name\" { ... }`",
        takes: "a conversion rule takes: kind, when, from, into, credits, split by, highest only per, expires after, source",
    },
    ItemForm {
        keyword: "cap",
        start: "a cap reads `cap ID \"name\" { ... }`",
        takes: "a cap takes: on, at most, source",
    },
    ItemForm {
        keyword: "review",
        start: "review criteria read `review ID \"name\" { ... }`",
        takes: "review criteria take: for, require evidence, reject when, approve when, otherwise manual, source",
    },
    ItemForm {
        keyword: "warning",
        start: "a warning reads `warning ID \"name\" { ... }`",
        takes: "a warning takes: on, after term, level, source",
    },
    ItemForm {
        keyword: "graduation",
        start: "graduation reads `graduation \"name\" { ... }`",
        takes: "graduation takes: requires, source",
    },
    ItemForm {
        keyword: "program",
        start: "a program reads `program ID \"name\" { ... }`",
        takes: "a program takes: type, courses tagged, requires, source",
    },
    ItemForm {
        keyword: "certificate",
        start: "a certificate reads `certificate ID \"name\" { ... }`",
        takes: "a certificate takes: requires, source",
    },
];

/// What the file accepts between items.
pub(crate) const BETWEEN_ITEMS: &str = "a ruleset file is a sequence of items: ruleset, categories, scale, gpa, catalog, kind, institutions, convert, cap, review, warning, graduation, program, certificate";

/// The help for an error at byte `pos` of the text of an item starting with `keyword`.
pub(crate) fn help(keyword: &str, chunk: &str, pos: usize) -> String {
    let Some(form) = FORMS.iter().find(|f| f.keyword == keyword) else {
        return BETWEEN_ITEMS.to_string();
    };
    let braces = open_braces(chunk, pos);
    let Some(&first) = braces.first() else {
        return form.start.to_string();
    };
    let before_block = chunk.get(..first).unwrap_or("");
    if keyword == "scale" {
        return scale_help(before_block).to_string();
    }
    if braces.len() >= 2 && keyword == "convert" {
        let inner = braces.last().copied().unwrap_or(first);
        let outer = braces.get(braces.len() - 2).copied().unwrap_or(first);
        let opener = chunk.get(outer..inner).unwrap_or("");
        let statement = opener.rsplit('\n').next().unwrap_or(opener);
        return if has_word(statement, "split") {
            "a split lists ranks and shares like `1 => 100%`".to_string()
        } else {
            "a credit table lists values and credits like `first => 4`".to_string()
        };
    }
    form.takes.to_string()
}

fn scale_help(before_block: &str) -> &'static str {
    if has_word(before_block, "bands") {
        "a band scale lists bands like `[90, 100] => 4.0` or `[85, 90) => 3.7`"
    } else if has_word(before_block, "formula") {
        "a formula scale takes cases like `when score >= 60 => 4 - (100 - score) / 10` and one `else => 0`"
    } else if has_word(before_block, "pass-fail") {
        "a pass-fail scale takes `pass \"通过\", ...` and `fail \"不通过\", ...`"
    } else if has_word(before_block, "text") {
        "a text scale lists grades like `\"优秀\" => 4.0` or `\"不及格\" => 0 fail`"
    } else {
        "a scale reads `scale ID \"name\"` and then `bands over [0, 100] pass 60 { ... }`, `formula over [0, 100] pass 60 { ... }`, `text { ... }` or `pass-fail { ... }`"
    }
}

fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_'))
        .any(|w| w == word)
}

/// Offsets of the `{` still open at `pos`, outermost first (strings and comments skipped).
fn open_braces(chunk: &str, pos: usize) -> Vec<usize> {
    let bytes = chunk.as_bytes();
    let end = pos.min(bytes.len());
    let mut stack = Vec::new();
    let mut i = 0;
    while i < end {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < end && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < end && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'{' => stack.push(i),
            b'}' => {
                stack.pop();
            }
            _ => {}
        }
        i += 1;
    }
    stack
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_block_around_the_error() {
        let chunk =
            "convert x {\n  credits by award {\n    first 4\n  }\n  split by rank { 1 50% }\n}";
        assert_eq!(
            help("convert", chunk, 8),
            "a conversion rule reads `convert ID \"name\" { ... }`"
        );
        assert!(help("convert", chunk, 14).starts_with("a conversion rule takes: kind, when"));
        let first = chunk.find("4").unwrap();
        assert_eq!(
            help("convert", chunk, first),
            "a credit table lists values and credits like `first => 4`"
        );
        let share = chunk.find("50%").unwrap();
        assert_eq!(
            help("convert", chunk, share),
            "a split lists ranks and shares like `1 => 100%`"
        );
    }

    #[test]
    fn scales_are_told_apart_by_their_shape() {
        let chunk = "scale s text { \"A\" 4 }";
        assert!(help("scale", chunk, chunk.find('4').unwrap()).starts_with("a text scale"));
        let chunk = "scale s bands over [0, 100] pass 60 { [0, 1] 4 }";
        assert!(help("scale", chunk, chunk.find('4').unwrap()).starts_with("a band scale"));
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_count() {
        let chunk = "categories { a \"{\" // {\n b";
        assert_eq!(open_braces(chunk, chunk.len()).len(), 1);
    }
}
