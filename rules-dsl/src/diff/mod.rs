//! Structural diff of two versions of a ruleset: which items were added, removed or changed,
//! and for a changed item, which clauses, with their old and new values.
//!
//! Items are matched by kind and id, so moving an item is no change; comments and layout are
//! no change either, nor is `4.0` written for `4`. Each item is rendered by the formatter and
//! its clauses compared as canonical text, so every value reads as a user would write it.
//! Table rows, bands, levels and requirements are compared row by row, so a change names
//! the row (`credits row `first`: 4 -> 3`) rather than the whole table; a row that moved
//! among the others is reported with its old and new position.
//!
//! Every change carries the id a report cites the rule by (the engine's `RuleRef`), so that a
//! dry run can join "rules that changed" with "rules a learner's report cites".
//!
//! The diff compares whatever trees it is given: an item that did not parse is missing from
//! its tree and so reads as removed. Check both versions before comparing them.
//!
//! ```
//! use creditbank_dsl::diff::{diff, Version};
//! use creditbank_dsl::{parse, SourceFile};
//! let old = SourceFile::new("2025.1.cbr", "cap innov \"创新学分上限\" {\n  on category innovation\n  at most 4 per year\n}\n");
//! let new = SourceFile::new("2026.1.cbr", "// raised in 2026\ncap innov \"创新学分上限\" {\n  on category innovation\n  at most 6 per year\n}\n");
//! let changes = diff(&parse(&old).file, &parse(&new).file).located(&old, &new);
//! assert_eq!(
//!     changes.to_string(),
//!     "~ cap innov \"创新学分上限\": at most 4 per year -> 6 per year \
//!      (2025.1.cbr:1:1 -> 2026.1.cbr:2:1)\n0 added, 0 removed, 1 changed\n"
//! );
//! assert!(changes.items[0].cites(Version::New, "cap", "innov"));
//! ```

mod clauses;
mod display;
mod layout;
mod lines;
mod matching;
mod units;

use crate::ast::{RulesetFile, Span};
use crate::source::{LineCol, SourceFile};
use serde::Serialize;

/// Compares two versions of a ruleset. Spans are byte offsets until [`RulesetDiff::located`]
/// turns them into `file:line:column`.
pub fn diff(old: &RulesetFile, new: &RulesetFile) -> RulesetDiff {
    let old_units = units::units(old);
    let new_units = units::units(new);
    let mut items: Vec<ItemDiff> = matching::pair_units(&old_units, &new_units)
        .into_iter()
        .map(|(o, n)| item_diff(o, n))
        .filter(|item| item.change != Change::Changed || !item.clauses.is_empty())
        .collect();
    items.sort_by(|a, b| {
        (a.kind, &a.id, a.change)
            .cmp(&(b.kind, &b.id, b.change))
            // Two items of one kind and id (a checker error) still sort by what they hold.
            .then_with(|| a.clauses.cmp(&b.clauses))
    });
    RulesetDiff { items }
}

fn item_diff(old: Option<&units::Unit>, new: Option<&units::Unit>) -> ItemDiff {
    let change = match (old, new) {
        (Some(_), Some(_)) => Change::Changed,
        (None, _) => Change::Added,
        (Some(_), None) => Change::Removed,
    };
    let shown = new.or(old);
    let place = |u: &units::Unit| Place {
        span: u.span,
        at: None,
        position: None,
    };
    ItemDiff {
        change,
        kind: shown.map_or(ItemKind::Ruleset, |u| u.kind),
        id: shown.map(|u| u.id.clone()).unwrap_or_default(),
        name: shown.and_then(|u| u.name.clone()),
        old_rule: old.and_then(|u| u.rule.clone()),
        new_rule: new.and_then(|u| u.rule.clone()),
        old: old.map(place),
        new: new.map(place),
        clauses: clauses::unit_changes(old, new),
        heading: shown
            .map(|u| display::heading(u, change))
            .unwrap_or_default(),
    }
}

/// The changes between two versions of a ruleset, sorted by kind (in the order of the
/// language reference), then id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RulesetDiff {
    /// Every item added, removed or changed.
    pub items: Vec<ItemDiff>,
}

impl RulesetDiff {
    /// True when the two versions mean the same (comments, layout and order aside).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many items changed in this way.
    pub fn count(&self, change: Change) -> usize {
        self.items.iter().filter(|i| i.change == change).count()
    }

    /// The same diff with every place also written `file:line:column`, from the two sources
    /// the trees were parsed from.
    pub fn located(mut self, old: &SourceFile, new: &SourceFile) -> RulesetDiff {
        let at = |source: &SourceFile, place: &mut Place| {
            let position = source.line_col(place.span.start as usize);
            place.at = Some(format!(
                "{}:{}:{}",
                source.name(),
                position.line,
                position.column
            ));
            place.position = Some(position);
        };
        for item in &mut self.items {
            if let Some(place) = &mut item.old {
                at(old, place);
            }
            if let Some(place) = &mut item.new {
                at(new, place);
            }
        }
        self
    }

    /// The changed items a citation of a rule (a `RuleRef`'s kind and id) in a report made
    /// under `version` points at: the item itself, or for a requirement, the block holding it.
    pub fn citing<'a>(
        &'a self,
        version: Version,
        kind: &'a str,
        id: &'a str,
    ) -> impl Iterator<Item = &'a ItemDiff> {
        self.items
            .iter()
            .filter(move |item| item.cites(version, kind, id))
    }
}

/// One item added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemDiff {
    /// Added, removed or changed.
    pub change: Change,
    /// What sort of item.
    pub kind: ItemKind,
    /// Its id: the course code for a course, `gpa` and `graduation` for those blocks, the
    /// name for a catalog block, the ruleset id for the header.
    pub id: String,
    /// Its display name (in the new version when it has one), unescaped.
    pub name: Option<String>,
    /// How a report under the old version cites it; `None` when added, or for what reports
    /// do not cite (categories, scales, kinds, institutions, catalog blocks, the header).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_rule: Option<RuleKey>,
    /// How a report under the new version cites it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_rule: Option<RuleKey>,
    /// Where it is written in the old version, if there.
    pub old: Option<Place>,
    /// Where it is written in the new version, if there.
    pub new: Option<Place>,
    /// What changed, clause by clause; for an item added or removed, every clause it has.
    pub clauses: Vec<ClauseDiff>,
    /// `kind id "name"` as written, to head the item in text (a whole entry line for an
    /// entry added or removed).
    #[serde(skip)]
    heading: String,
}

impl ItemDiff {
    /// True when a report under `version` citing a rule of this kind and id cites this item,
    /// or a requirement changed within it.
    pub fn cites(&self, version: Version, kind: &str, id: &str) -> bool {
        let rule = match version {
            Version::Old => &self.old_rule,
            Version::New => &self.new_rule,
        };
        rule.as_ref().is_some_and(|r| r.is(kind, id))
            || self.clauses.iter().any(|c| c.cites(version, kind, id))
    }

    /// The clause changes behind a citation: for a requirement, the changes of that
    /// requirement alone; for the item itself, every change.
    pub fn clauses_citing(&self, version: Version, kind: &str, id: &str) -> Vec<&ClauseDiff> {
        let own: Vec<&ClauseDiff> = self
            .clauses
            .iter()
            .filter(|c| c.cites(version, kind, id))
            .collect();
        if own.is_empty() && self.cites(version, kind, id) {
            self.clauses.iter().collect()
        } else {
            own
        }
    }

    /// The clause changes on one line, `; ` between them (`at most 4 per year -> 6 per year`).
    pub fn summary(&self) -> String {
        self.clauses
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// One clause (or row, or part of a row) added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ClauseDiff {
    /// Which clause: its keyword (`at most`), or for a row of a repeated clause or a table,
    /// the row's name (`credits row `first``, `level `red``, `requires `graduation/4``).
    pub clause: String,
    /// Which part of a row changed (`threshold`, `label`, `source`, `position`); `None` for
    /// the whole value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Its value in the old version as canonical text; `None` when added.
    pub old: Option<String>,
    /// Its value in the new version as canonical text; `None` when removed.
    pub new: Option<String>,
    /// For a requirement, how a report under the old version cites it (`requirement`,
    /// `graduation/4`). An unnamed requirement is cited by its position, which may differ
    /// between the versions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_rule: Option<RuleKey>,
    /// For a requirement, how a report under the new version cites it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_rule: Option<RuleKey>,
    /// True when `clause` names a row rather than a clause written once: the text then
    /// sets the row's name apart (`level `red`: ...`).
    #[serde(skip)]
    row: bool,
}

impl ClauseDiff {
    /// A clause written once, its whole value.
    fn new(clause: &str, old: Option<&str>, new: Option<&str>) -> ClauseDiff {
        ClauseDiff {
            clause: clause.to_string(),
            part: None,
            old: old.map(str::to_string),
            new: new.map(str::to_string),
            old_rule: None,
            new_rule: None,
            row: false,
        }
    }

    /// A row, or one part of it (`part` empty for the whole row).
    fn part(row: &str, part: &str, old: Option<&str>, new: Option<&str>) -> ClauseDiff {
        ClauseDiff {
            part: (!part.is_empty()).then(|| part.to_string()),
            row: true,
            ..ClauseDiff::new(row, old, new)
        }
    }

    fn cited(mut self, old: Option<&RuleKey>, new: Option<&RuleKey>) -> ClauseDiff {
        self.old_rule = old.cloned();
        self.new_rule = new.cloned();
        self
    }

    /// True when a report under `version` citing a rule of this kind and id cites the row
    /// this change is of.
    pub fn cites(&self, version: Version, kind: &str, id: &str) -> bool {
        let rule = match version {
            Version::Old => &self.old_rule,
            Version::New => &self.new_rule,
        };
        rule.as_ref().is_some_and(|r| r.is(kind, id))
    }

    /// Added, removed or changed.
    pub fn change(&self) -> Change {
        match (&self.old, &self.new) {
            (None, _) => Change::Added,
            (Some(_), None) => Change::Removed,
            (Some(_), Some(_)) => Change::Changed,
        }
    }
}

/// One of the two versions compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Version {
    /// The version compared from.
    Old,
    /// The version compared to.
    New,
}

/// How an item or clause differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, different.
    Changed,
}

/// The kinds of item, named by their keyword, in the order of the language reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// The `ruleset` header.
    Ruleset,
    /// A category of a `categories` block.
    Category,
    /// A grade `scale`.
    Scale,
    /// The `gpa` policy.
    Gpa,
    /// A `catalog` block (its name; its courses are items of their own).
    Catalog,
    /// A catalog `course`.
    Course,
    /// An outcome `kind`.
    Kind,
    /// An institution of an `institutions` block.
    Institution,
    /// A conversion rule (`convert`).
    Convert,
    /// A credit `cap`.
    Cap,
    /// Review criteria (`review`).
    Review,
    /// A staged `warning`.
    Warning,
    /// The `graduation` requirements.
    Graduation,
    /// A `program`.
    Program,
    /// A `certificate`.
    Certificate,
}

impl ItemKind {
    /// The keyword the item is written with.
    pub fn keyword(self) -> &'static str {
        match self {
            ItemKind::Ruleset => "ruleset",
            ItemKind::Category => "category",
            ItemKind::Scale => "scale",
            ItemKind::Gpa => "gpa",
            ItemKind::Catalog => "catalog",
            ItemKind::Course => "course",
            ItemKind::Kind => "kind",
            ItemKind::Institution => "institution",
            ItemKind::Convert => "convert",
            ItemKind::Cap => "cap",
            ItemKind::Review => "review",
            ItemKind::Warning => "warning",
            ItemKind::Graduation => "graduation",
            ItemKind::Program => "program",
            ItemKind::Certificate => "certificate",
        }
    }
}

/// A rule as a report cites it: the kind and id of the engine's `RuleRef`
/// (`conversion rule` `competition-national`, `requirement` `graduation/core`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RuleKey {
    /// What sort of rule, as a report writes it (`cap`, `catalog course`, `gpa policy`).
    pub kind: &'static str,
    /// Its id.
    pub id: String,
}

impl RuleKey {
    fn new(kind: &'static str, id: &str) -> RuleKey {
        RuleKey {
            kind,
            id: id.to_string(),
        }
    }

    /// True when this is the rule a citation of `kind` and `id` names.
    pub fn is(&self, kind: &str, id: &str) -> bool {
        self.kind == kind && self.id == id
    }
}

/// Where an item is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Its bytes in the file.
    pub span: Span,
    /// `file:line:column` of its start, as a report writes a rule's place, once
    /// [`RulesetDiff::located`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
    /// Line and column (in characters, from 1) of its start, once located.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub position: Option<LineCol>,
}

#[cfg(test)]
mod tests;
