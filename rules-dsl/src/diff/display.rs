//! The diff as text for a terminal or a golden file.
//!
//! One item per line when one clause changed, like
//! `~ cap innov "创新学分上限": at most 4 per year -> 6 per year (a.cbr:9:1 -> b.cbr:9:1)`;
//! otherwise a line for the item and one indented line per clause. `+` marks what was
//! added, `-` what was removed, `~` an item changed. Values are canonical text, so a clause
//! added or removed reads as it would be written. A row of a table or of a repeated clause is
//! named, then a colon (`credits row `first`: 4 -> 3`, `requires `graduation/5`: + source
//! "..."`), so that a part added to a row does not read as a row added.

use super::layout;
use super::lines::words;
use super::units::Unit;
use super::{Change, ClauseDiff, ItemDiff, ItemKind, RulesetDiff};
use std::fmt;

const INDENT: &str = "    ";

/// How an item is headed: `kind id "name"` as written; for an entry (course, category,
/// institution) added or removed, its whole line, which says all there is to it.
pub(super) fn heading(unit: &Unit, change: Change) -> String {
    let all = words(&unit.line.text);
    let skip = layout::head(unit.kind).skip.min(all.len());
    let name = all
        .get(skip)
        .filter(|w| w.starts_with('"'))
        .map_or(String::new(), |n| format!(" {n}"));
    // Categories and institutions are written without a keyword of their own.
    let keyword = match unit.kind {
        ItemKind::Category | ItemKind::Institution => format!("{} ", unit.kind.keyword()),
        _ => String::new(),
    };
    let entry = matches!(
        unit.kind,
        ItemKind::Category | ItemKind::Institution | ItemKind::Course
    );
    if entry && change != Change::Changed {
        return format!("{keyword}{}", unit.line.text);
    }
    match unit.kind {
        ItemKind::Ruleset => format!("ruleset {}", all.get(1).copied().unwrap_or("")),
        _ => format!("{keyword}{}{name}", all[..skip].join(" ")),
    }
}

/// `label value`, either of which may be empty.
fn spaced(f: &mut fmt::Formatter<'_>, label: &str, value: &str) -> fmt::Result {
    match (label.is_empty(), value.is_empty()) {
        (false, false) => write!(f, "{label} {value}"),
        (true, _) => f.write_str(value),
        (false, true) => f.write_str(label),
    }
}

impl fmt::Display for ClauseDiff {
    /// `at most 4 per year -> 6 per year`, `+ supersedes "2025.1"`, and for rows
    /// `credits row `first`: 4 -> 3`, `level `red`: threshold below 60% -> below 65%`,
    /// `+ level `orange`: ...`, `requires `graduation/5`: + source "..."`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let marker = match (&self.old, &self.new) {
            (None, Some(_)) => "+ ",
            (Some(_), None) => "- ",
            _ => "",
        };
        let part = self.part.as_deref().unwrap_or("");
        if !self.row {
            f.write_str(marker)?;
            return change(f, &self.clause, self);
        }
        if part.is_empty() {
            write!(f, "{marker}{}: ", self.clause)?;
        } else {
            write!(f, "{}: {marker}", self.clause)?;
        }
        change(f, part, self)
    }
}

/// `label old -> new`, or `label value` for a value on one side only.
fn change(f: &mut fmt::Formatter<'_>, label: &str, clause: &ClauseDiff) -> fmt::Result {
    match (&clause.old, &clause.new) {
        (Some(old), Some(new)) => match list_change(old, new) {
            Some(compact) => spaced(f, label, &compact),
            None => {
                spaced(f, label, old)?;
                write!(f, " -> {new}")
            }
        },
        (Some(one), None) | (None, Some(one)) => spaced(f, label, one),
        (None, None) => f.write_str(label),
    }
}

/// Old and new values longer than this together are shown as the change of a list, when
/// they are lists.
const LONG: usize = 100;

/// A long list with items added or removed, as those items: `courses MAR101, ...: + LAB101`
/// rather than the two lists of 26 courses. `None` when the values are short, are not lists
/// with the same first item, or keep an item in another place.
fn list_change(old: &str, new: &str) -> Option<String> {
    if old.chars().count() + new.chars().count() < LONG {
        return None;
    }
    let (a, b) = (list_items(old), list_items(new));
    if a.len() < 2 || b.len() < 2 || a[0] != b[0] {
        return None;
    }
    // Longest common subsequence, walked from the front.
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j >= b.len() || (i < a.len() && lcs[i + 1][j] >= lcs[i][j + 1]) {
            removed.push(a[i]);
            i += 1;
        } else {
            added.push(b[j]);
            j += 1;
        }
    }
    if added.iter().any(|x| removed.contains(x)) {
        return None;
    }
    let changes: Vec<String> = added
        .iter()
        .map(|x| format!("+ {x}"))
        .chain(removed.iter().map(|x| format!("- {x}")))
        .collect();
    Some(format!("{}, ...: {}", a[0], changes.join(", ")))
}

/// The items of a `, `-separated list; a string holding `, ` is one item.
fn list_items(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut in_string = false;
    let mut escaped = false;
    let bytes = text.as_bytes();
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
        } else if b == b',' && bytes.get(i + 1) == Some(&b' ') {
            items.push(&text[start..i]);
            start = i + 2;
        }
    }
    items.push(&text[start..]);
    items
}

impl fmt::Display for ItemDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let marker = match self.change {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Changed => '~',
        };
        let at = |place: &Option<super::Place>| place.as_ref().and_then(|p| p.at.clone());
        let location = match (at(&self.old), at(&self.new)) {
            (Some(old), Some(new)) => format!(" ({old} -> {new})"),
            (Some(one), None) | (None, Some(one)) => format!(" ({one})"),
            (None, None) => String::new(),
        };
        write!(f, "{marker} {}", self.heading)?;
        if self.change == Change::Changed {
            if let [only] = self.clauses.as_slice() {
                return writeln!(f, ": {only}{location}");
            }
            writeln!(f, "{location}")?;
            for clause in &self.clauses {
                writeln!(f, "{INDENT}{clause}")?;
            }
            return Ok(());
        }
        writeln!(f, "{location}")?;
        // An entry's heading is its whole line already.
        if matches!(
            self.kind,
            ItemKind::Category | ItemKind::Institution | ItemKind::Course
        ) {
            return Ok(());
        }
        // Every clause is on the one side: its marker would only repeat the item's.
        for clause in &self.clauses {
            let value = clause.new.as_ref().or(clause.old.as_ref());
            let value = value.map_or("", String::as_str);
            f.write_str(INDENT)?;
            if clause.row {
                write!(f, "{}: {value}", clause.clause)?;
            } else {
                spaced(f, &clause.clause, value)?;
            }
            writeln!(f)?;
        }
        Ok(())
    }
}

impl fmt::Display for RulesetDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no changes");
        }
        for item in &self.items {
            write!(f, "{item}")?;
        }
        writeln!(
            f,
            "{} added, {} removed, {} changed",
            self.count(Change::Added),
            self.count(Change::Removed),
            self.count(Change::Changed)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_shows_what_it_gained_and_lost() {
        let old = "courses MAR101, MAR102, MAR201, MAR202, MAR301, MAR100, MIL101, MIL102, ENG101";
        let new = "courses MAR101, MAR102, MAR201, MAR202, MAR301, MIL101, MIL102, LAB101, ENG101";
        assert_eq!(
            list_change(old, new).as_deref(),
            Some("courses MAR101, ...: + LAB101, - MAR100")
        );
    }

    #[test]
    fn a_moved_item_or_a_short_list_shows_both_values() {
        let old = "courses MAR101, MAR102, MAR201, MAR202, MAR301, MAR100, MIL101, MIL102, ENG101";
        let moved =
            "courses MAR101, MAR100, MAR102, MAR201, MAR202, MAR301, MIL101, MIL102, ENG101";
        assert_eq!(list_change(old, moved), None);
        assert_eq!(list_change("from a, b", "from a, b, c"), None);
    }

    #[test]
    fn a_comma_in_a_string_does_not_split_it() {
        assert_eq!(
            list_items(r#"one of a "x, y", b "\"z, w""#),
            [r#"one of a "x, y""#, r#"b "\"z, w""#]
        );
    }
}
