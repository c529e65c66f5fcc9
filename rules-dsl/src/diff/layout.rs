//! How the lines of each kind of block are told apart: which clause a line is, what names one
//! row of a repeated clause, and how a line splits into parts compared one by one.
//!
//! The tables follow the grammar (`grammar.pest`), not the formatter's clause order: a line is
//! recognised by the words it starts with, so a change in the canonical order cannot pair the
//! wrong clauses.

use super::ItemKind;

/// The clauses one kind of block may hold.
pub(super) struct Layout {
    /// The clauses, in the order changes are listed.
    pub families: &'static [Family],
}

/// One clause of a block, or the rows of a table.
pub(super) struct Family {
    /// The words its lines start with; empty for rows that start with their key (`first => 4`).
    pub keyword: &'static str,
    /// How changes name it (`at most`, `row`, `band`).
    pub label: &'static str,
    /// How several lines of the clause are told apart.
    pub key: Key,
    /// How a line's value splits into parts compared one by one; empty for a whole value.
    pub parts: &'static [Part],
    /// The rows of the block the clause opens (a conversion table, a split).
    pub rows: Option<&'static Layout>,
    /// True when the keyword reads as part of the value (`case #1 when score >= 60 => 4`).
    pub keyword_in_value: bool,
}

/// How the lines of a repeated clause are told apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Key {
    /// The clause is written at most once.
    Once,
    /// By the first word after the keyword (`level red`, `attribute level`, `after term 2`).
    Word,
    /// By what stands before ` => ` (`first => 4`, `[85, 90) => 3.7`, `"良好" => 3.7`).
    Arrow,
    /// By the `id:` a requirement may have, else by position (which is how a report cites it).
    Requirement,
    /// By position: the order matters and nothing else names the line (`reject when ...`).
    Position,
}

/// One part of a line's value.
pub(super) struct Part {
    /// The word the part starts with; empty for the part before any such word.
    pub word: &'static str,
    /// How changes name it; empty to use the row's own name.
    pub label: &'static str,
    /// True when the starting word belongs to the value (`below 60%` against `at least 10`).
    pub keep_word: bool,
}

/// A clause written at most once, named by its keyword.
const fn once(keyword: &'static str) -> Family {
    repeated(keyword, keyword, Key::Once, &[])
}

/// A clause of several lines told apart by `key`.
const fn repeated(
    keyword: &'static str,
    label: &'static str,
    key: Key,
    parts: &'static [Part],
) -> Family {
    Family {
        keyword,
        label,
        key,
        parts,
        rows: None,
        keyword_in_value: false,
    }
}

/// A clause written once that opens a table of rows.
const fn table(keyword: &'static str) -> Family {
    Family {
        rows: Some(&TABLE_ROWS),
        ..once(keyword)
    }
}

/// A part named `label`, after `word`.
const fn part(word: &'static str, label: &'static str) -> Part {
    Part {
        word,
        label,
        keep_word: false,
    }
}

/// A part named `label` starting with `word`, which the value keeps.
const fn kept(word: &'static str, label: &'static str) -> Part {
    Part {
        word,
        label,
        keep_word: true,
    }
}

const SOURCE: Family = once("source");

/// Requirements: `requires [id:] BODY ["label"] [source "..."]`, split in code (the label is
/// a string with no keyword before it).
const REQUIRES: Family = repeated("requires", "requires", Key::Requirement, &[]);

/// `because "..."` after a review case or required evidence.
const BECAUSE: &[Part] = &[part("", ""), part("because", "because")];

const HEADER: Layout = Layout {
    families: &[
        once("title"),
        once("effective"),
        once("supersedes"),
        once("rounding gpa"),
        once("rounding credits"),
        once("year starts"),
        SOURCE,
    ],
};

const SCALE: Layout = Layout {
    families: &[
        // Bands and text grades: named `band` or `grade` by their key.
        repeated("", "", Key::Arrow, &[]),
        Family {
            keyword_in_value: true,
            ..repeated("when", "case", Key::Position, &[])
        },
        once("else"),
        repeated("pass", "pass", Key::Position, &[]),
        repeated("fail", "fail", Key::Position, &[]),
    ],
};

const GPA: Layout = Layout {
    families: &[
        once("scores use"),
        once("grades use"),
        once("weight"),
        once("retake"),
        once("include categories"),
        repeated("exclude", "exclude", Key::Position, &[]),
        SOURCE,
    ],
};

const KIND: Layout = Layout {
    families: &[
        repeated(
            "attribute",
            "attribute",
            Key::Word,
            &[
                part("", "name"),
                kept("one", "type"),
                kept("number", "type"),
                kept("integer", "type"),
                kept("text", "type"),
                kept("date", "type"),
            ],
        ),
        repeated("evidence", "evidence", Key::Position, &[]),
        SOURCE,
    ],
};

const TABLE_ROWS: Layout = Layout {
    families: &[repeated("", "row", Key::Arrow, &[])],
};

const CONVERT: Layout = Layout {
    families: &[
        once("kind"),
        once("when"),
        once("from"),
        once("into"),
        table("credits"),
        table("split"),
        once("highest only per"),
        once("expires after"),
        SOURCE,
    ],
};

const CAP: Layout = Layout {
    families: &[once("on"), once("at most"), SOURCE],
};

const REVIEW: Layout = Layout {
    families: &[
        once("for"),
        repeated(
            "require evidence",
            "require evidence",
            Key::Position,
            BECAUSE,
        ),
        repeated("reject", "reject", Key::Position, BECAUSE),
        repeated("approve", "approve", Key::Position, BECAUSE),
        once("otherwise manual because"),
        SOURCE,
    ],
};

const WARNING: Layout = Layout {
    families: &[
        once("on"),
        repeated(
            "after term",
            "after term",
            Key::Word,
            &[part("expect", "expect")],
        ),
        repeated(
            "level",
            "level",
            Key::Word,
            &[
                part("", "name"),
                part("colour", "colour"),
                kept("below", "threshold"),
                kept("at", "threshold"),
                part("message", "message"),
            ],
        ),
        SOURCE,
    ],
};

const REQUIREMENTS: Layout = Layout {
    families: &[SOURCE, REQUIRES],
};

const PROGRAM: Layout = Layout {
    families: &[once("type"), once("courses tagged"), SOURCE, REQUIRES],
};

const NOTHING: Layout = Layout { families: &[] };

/// Any line no family of its block recognises: compared in order.
pub(super) const UNKNOWN: Family = repeated("", "line", Key::Position, &[]);

/// The clauses of an item's block.
pub(super) fn layout(kind: ItemKind) -> &'static Layout {
    match kind {
        ItemKind::Ruleset => &HEADER,
        ItemKind::Scale => &SCALE,
        ItemKind::Gpa => &GPA,
        ItemKind::Kind => &KIND,
        ItemKind::Convert => &CONVERT,
        ItemKind::Cap => &CAP,
        ItemKind::Review => &REVIEW,
        ItemKind::Warning => &WARNING,
        ItemKind::Graduation | ItemKind::Certificate => &REQUIREMENTS,
        ItemKind::Program => &PROGRAM,
        ItemKind::Category | ItemKind::Catalog | ItemKind::Course | ItemKind::Institution => {
            &NOTHING
        }
    }
}

/// How an item's head line (or an entry's only line) is read: the words before its name (a
/// string, when it has one), and the parts after it.
pub(super) struct Head {
    /// Words before the name: the keyword and the id (`cap innovation-per-year`).
    pub skip: usize,
    /// The parts after the name.
    pub parts: &'static [Part],
}

const fn head_of(skip: usize, parts: &'static [Part]) -> Head {
    Head { skip, parts }
}

const RULESET_HEAD: Head = head_of(0, &[part("ruleset", "ruleset"), part("version", "version")]);
const CATEGORY_HEAD: Head = head_of(1, &[part("source", "source")]);
const SCALE_HEAD: Head = head_of(
    2,
    &[part("", "type"), part("over", "over"), part("pass", "pass")],
);
const KEYWORD_HEAD: Head = head_of(1, &[]);
const COURSE_HEAD: Head = head_of(
    2,
    &[
        part("credits", "credits"),
        part("category", "category"),
        part("tags", "tags"),
        part("term", "term"),
    ],
);
const INSTITUTION_HEAD: Head = head_of(
    1,
    &[
        part("", "type"),
        part("share", "share"),
        part("source", "source"),
    ],
);
const ID_HEAD: Head = head_of(2, &[]);

/// The head of an item of the kind.
pub(super) fn head(kind: ItemKind) -> &'static Head {
    match kind {
        ItemKind::Ruleset => &RULESET_HEAD,
        ItemKind::Category => &CATEGORY_HEAD,
        ItemKind::Scale => &SCALE_HEAD,
        ItemKind::Gpa | ItemKind::Catalog | ItemKind::Graduation => &KEYWORD_HEAD,
        ItemKind::Course => &COURSE_HEAD,
        ItemKind::Institution => &INSTITUTION_HEAD,
        ItemKind::Kind
        | ItemKind::Convert
        | ItemKind::Cap
        | ItemKind::Review
        | ItemKind::Warning
        | ItemKind::Program
        | ItemKind::Certificate => &ID_HEAD,
    }
}

/// The family a line belongs to, by its index in the layout: the longest keyword it starts
/// with; `None` when no family takes it.
pub(super) fn family_of(layout: &Layout, line: &str) -> Option<usize> {
    layout
        .families
        .iter()
        .enumerate()
        .filter(|(_, f)| starts_with_words(line, f.keyword))
        .max_by_key(|(_, f)| f.keyword.len())
        .map(|(i, _)| i)
}

/// True when `line` is `keyword` or starts with `keyword ` (an empty keyword matches all).
pub(super) fn starts_with_words(line: &str, keyword: &str) -> bool {
    keyword.is_empty()
        || line
            .strip_prefix(keyword)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
}

/// Splits words into parts at the parts' starting words: `(label, value)` in line order; a
/// part whose word appears twice keeps both occurrences apart.
pub(super) fn split_parts(words: &[&str], parts: &[Part]) -> Vec<(&'static str, String)> {
    // (label, words, started by its word): a part its word started counts even when empty,
    // so that no word of the line is lost; the leading part counts only when it holds words.
    let mut out: Vec<(&'static str, Vec<&str>, bool)> = Vec::new();
    let leading = parts
        .iter()
        .find(|p| p.word.is_empty())
        .map_or("", |p| p.label);
    let mut current: (&'static str, Vec<&str>, bool) = (leading, Vec::new(), false);
    for &word in words {
        match parts.iter().find(|p| !p.word.is_empty() && p.word == word) {
            Some(p) => {
                let start = if p.keep_word { vec![word] } else { Vec::new() };
                out.push(std::mem::replace(&mut current, (p.label, start, true)));
            }
            None => current.1.push(word),
        }
    }
    out.push(current);
    out.into_iter()
        .filter(|(_, value, started)| *started || !value.is_empty())
        .map(|(label, value, _)| (label, value.join(" ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_keyword_wins() {
        let label =
            |layout: &Layout, line: &str| family_of(layout, line).map(|i| layout.families[i].label);
        assert_eq!(
            label(&CONVERT, "highest only per name"),
            Some("highest only per")
        );
        assert_eq!(
            label(&HEADER, "rounding credits half-up 1"),
            Some("rounding credits")
        );
        assert_eq!(label(&WARNING, "level red \"x\""), Some("level"));
        assert_eq!(label(&WARNING, "levels"), None);
    }

    #[test]
    fn a_level_splits_into_its_parts() {
        let words = [
            "\"红色预警\"",
            "colour",
            "#d0021b",
            "at",
            "least",
            "25",
            "message",
            "\"x\"",
        ];
        let parts = split_parts(&words, WARNING.families[2].parts);
        assert_eq!(
            parts,
            [
                ("name", "\"红色预警\"".to_string()),
                ("colour", "#d0021b".to_string()),
                ("threshold", "at least 25".to_string()),
                ("message", "\"x\"".to_string()),
            ]
        );
    }

    #[test]
    fn a_course_splits_after_its_name() {
        let parts = split_parts(
            &[
                "credits",
                "3",
                "category",
                "major",
                "tags",
                "core,",
                "programming",
            ],
            head(ItemKind::Course).parts,
        );
        assert_eq!(
            parts,
            [
                ("credits", "3".to_string()),
                ("category", "major".to_string()),
                ("tags", "core, programming".to_string()),
            ]
        );
    }
}
