//! Clause-level changes between two versions of one unit.
//!
//! Lines are grouped by clause ([`super::layout`]); within a clause, rows are paired by their
//! key (a level's id, a table row's value, a requirement's `id:`) or, when nothing names
//! them, by a longest common subsequence so that an inserted row does not shift every row
//! after it. Paired rows that differ are compared part by part; rows left over were added or
//! removed. A row that moved among the others is reported with its old and new position,
//! since order decides which `reject when` applies and how unnamed requirements are cited.

use super::layout::{self, family_of, split_parts, Family, Key, Layout, UNKNOWN};
use super::lines::{compared, words, Line};
use super::units::Unit;
use super::{ClauseDiff, ItemKind, RuleKey};

/// The clause changes from `old` to `new`; a missing side is an item added or removed, whose
/// clauses are then all listed on the side present (its name aside, which heads the item).
pub(super) fn unit_changes(old: Option<&Unit>, new: Option<&Unit>) -> Vec<ClauseDiff> {
    let Some(kind) = old.or(new).map(|u| u.kind) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let one_sided = old.is_none() || new.is_none();
    let head_old = old.map(|u| head_parts(kind, &u.line.text));
    let head_new = new.map(|u| head_parts(kind, &u.line.text));
    if let (Some((old_skipped, _)), Some((new_skipped, _))) = (&head_old, &head_new) {
        if old_skipped != new_skipped {
            out.push(ClauseDiff::new("id", Some(old_skipped), Some(new_skipped)));
        }
    }
    let keep = |parts: Vec<(&'static str, String)>| -> Vec<(&'static str, String)> {
        parts
            .into_iter()
            .filter(|(label, _)| !(one_sided && *label == "name"))
            .collect()
    };
    let parts_old = head_old.map(|(_, p)| keep(p)).unwrap_or_default();
    let parts_new = head_new.map(|(_, p)| keep(p)).unwrap_or_default();
    diff_parts(None, &parts_old, &parts_new, (None, None), &mut out);
    let context = Context {
        old_block: old.and_then(Unit::block_id),
        new_block: new.and_then(Unit::block_id),
    };
    let no_lines: &[Line] = &[];
    lines_changes(
        layout::layout(kind),
        "",
        old.map_or(no_lines, |u| &u.line.children),
        new.map_or(no_lines, |u| &u.line.children),
        &context,
        &mut out,
    );
    if let (Some(o), Some(n), true) = (old, new, out.is_empty()) {
        // Every difference has a clause above; should a line escape them all, the item is
        // still reported, whole, rather than called unchanged.
        if !o.same_as(n) {
            out.push(ClauseDiff::new(
                "text",
                Some(&o.line.to_text()),
                Some(&n.line.to_text()),
            ));
        }
    }
    out
}

/// The block ids requirements are cited under, in each version.
struct Context<'a> {
    old_block: Option<&'a str>,
    new_block: Option<&'a str>,
}

/// Which version a row comes from.
#[derive(Clone, Copy)]
enum Side {
    Old,
    New,
}

/// The words before the name (keyword and id), then `(label, value)` of the name and parts.
fn head_parts(kind: ItemKind, text: &str) -> (String, Vec<(&'static str, String)>) {
    let head = layout::head(kind);
    let all = words(text);
    let skip = head.skip.min(all.len());
    let mut rest = &all[skip..];
    let mut parts = Vec::new();
    if let Some(name) = rest.first().filter(|w| w.starts_with('"')) {
        parts.push(("name", (*name).to_string()));
        rest = &rest[1..];
    }
    parts.extend(split_parts(rest, head.parts));
    (all[..skip].join(" "), parts)
}

/// `prefix label`, either of which may be empty.
fn join_label(prefix: &str, label: &str) -> String {
    match (prefix.is_empty(), label.is_empty()) {
        (true, _) => label.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) => format!("{prefix} {label}"),
    }
}

/// Parts paired by label (the n-th of a label with the n-th), compared as numbers compare.
/// Without a row, each part is a clause of its own (`credits` of a course); with one, the
/// changes are parts of that row (`level `red`: threshold below 60% -> below 65%`).
fn diff_parts(
    row: Option<&str>,
    old: &[(&'static str, String)],
    new: &[(&'static str, String)],
    rules: (Option<&RuleKey>, Option<&RuleKey>),
    out: &mut Vec<ClauseDiff>,
) {
    let change = |label: &str, old: Option<&String>, new: Option<&String>| {
        let (old, new) = (old.map(String::as_str), new.map(String::as_str));
        match row {
            None => ClauseDiff::new(label, old, new),
            Some(row) => ClauseDiff::part(row, label, old, new).cited(rules.0, rules.1),
        }
    };
    let mut used = vec![false; old.len()];
    for (j, (label, value)) in new.iter().enumerate() {
        let nth = new[..j].iter().filter(|(l, _)| l == label).count();
        let matching = old
            .iter()
            .enumerate()
            .filter(|(_, (l, _))| l == label)
            .nth(nth)
            .map(|(i, _)| i);
        match matching {
            Some(i) => {
                used[i] = true;
                if compared(&old[i].1) != compared(value) {
                    out.push(change(label, Some(&old[i].1), Some(value)));
                }
            }
            None => out.push(change(label, None, Some(value))),
        }
    }
    for (i, (label, value)) in old.iter().enumerate() {
        if !used[i] {
            out.push(change(label, Some(value), None));
        }
    }
}

/// Changes between two lists of lines of one block, clause by clause in the layout's order.
fn lines_changes(
    layout: &Layout,
    prefix: &str,
    old: &[Line],
    new: &[Line],
    context: &Context<'_>,
    out: &mut Vec<ClauseDiff>,
) {
    let families_old: Vec<Option<usize>> = old.iter().map(|l| family_of(layout, &l.text)).collect();
    let families_new: Vec<Option<usize>> = new.iter().map(|l| family_of(layout, &l.text)).collect();
    let known = layout
        .families
        .iter()
        .enumerate()
        .map(|(i, f)| (Some(i), f));
    for (index, family) in known.chain(std::iter::once((None, &UNKNOWN))) {
        let rows_old: Vec<&Line> = old
            .iter()
            .zip(&families_old)
            .filter(|(_, f)| **f == index)
            .map(|(l, _)| l)
            .collect();
        let rows_new: Vec<&Line> = new
            .iter()
            .zip(&families_new)
            .filter(|(_, f)| **f == index)
            .map(|(l, _)| l)
            .collect();
        if !rows_old.is_empty() || !rows_new.is_empty() {
            family_changes(family, prefix, &rows_old, &rows_new, context, out);
        }
    }
}

/// One row of a clause, read: what names it, its value's words, and how a report cites it.
struct Row<'a> {
    line: &'a Line,
    /// The key rows are paired by, as compared; `None` for rows paired by position.
    key: Option<String>,
    /// How changes name the row: the clause and the name.
    label: String,
    /// The words after the keyword and key.
    value: Vec<&'a str>,
    /// How a report cites the row: a requirement's id.
    rule: Option<RuleKey>,
}

fn read_row<'a>(
    family: &Family,
    prefix: &str,
    line: &'a Line,
    position: usize,
    block: Option<&str>,
) -> Row<'a> {
    let all = words(&line.text);
    let skip = if family.keyword_in_value {
        0
    } else {
        family.keyword.split(' ').filter(|w| !w.is_empty()).count()
    };
    let mut rest = &all[skip.min(all.len())..];
    let (key, raw_key) = match family.key {
        Key::Once => (Some(String::new()), String::new()),
        Key::Word => {
            let word = rest.first().copied().unwrap_or("");
            rest = rest.get(1..).unwrap_or(&[]);
            (Some(compared(word)), word.to_string())
        }
        Key::Arrow => {
            let arrow = rest.iter().position(|w| *w == "=>").unwrap_or(rest.len());
            let raw = rest[..arrow].join(" ");
            rest = rest.get(arrow + 1..).unwrap_or(&[]);
            (Some(compared(&raw)), raw)
        }
        Key::Requirement => match rest.first().and_then(|w| w.strip_suffix(':')) {
            Some(id) => {
                rest = &rest[1..];
                (Some(id.to_string()), id.to_string())
            }
            None => (None, position.to_string()),
        },
        Key::Position => (None, String::new()),
    };
    let (name, rule) = match family.key {
        Key::Once => (String::new(), None),
        Key::Word | Key::Arrow => (format!("`{raw_key}`"), None),
        Key::Requirement => {
            let cited = match block {
                Some(block) => format!("{block}/{raw_key}"),
                None => raw_key.clone(),
            };
            let rule = Some(RuleKey::new("requirement", &cited));
            (format!("`{cited}`"), rule)
        }
        Key::Position => (format!("#{position}"), None),
    };
    let what = match family.label {
        // Bands and text grades share a layout: a band starts with its bracket.
        "" if raw_key.starts_with(['[', '(']) => "band",
        "" => "grade",
        label => label,
    };
    Row {
        line,
        key,
        label: join_label(prefix, &join_label(what, &name)),
        value: rest.to_vec(),
        rule,
    }
}

impl Row<'_> {
    /// The value as `(label, text)` parts, compared one by one.
    fn parts(&self, family: &Family) -> Vec<(&'static str, String)> {
        if family.key == Key::Requirement {
            return requirement_parts(&self.value);
        }
        if family.parts.is_empty() {
            return vec![("", self.value.join(" "))];
        }
        split_parts(&self.value, family.parts)
    }
}

/// `BODY ["label"] [source "..."]`: no requirement body ends with a string, so a final string
/// is the label, or the citation after `source`.
fn requirement_parts(value: &[&str]) -> Vec<(&'static str, String)> {
    let mut rest = value;
    let mut tail = Vec::new();
    if let [before @ .., "source", citation] = rest {
        if citation.starts_with('"') {
            tail.push(("source", (*citation).to_string()));
            rest = before;
        }
    }
    if let [before @ .., label] = rest {
        if label.starts_with('"') {
            tail.push(("label", (*label).to_string()));
            rest = before;
        }
    }
    let mut parts = vec![("", rest.join(" "))];
    parts.extend(tail.into_iter().rev());
    parts
}

fn family_changes(
    family: &Family,
    prefix: &str,
    old: &[&Line],
    new: &[&Line],
    context: &Context<'_>,
    out: &mut Vec<ClauseDiff>,
) {
    let rows_old: Vec<Row<'_>> = old
        .iter()
        .enumerate()
        .map(|(i, l)| read_row(family, prefix, l, i + 1, context.old_block))
        .collect();
    let rows_new: Vec<Row<'_>> = new
        .iter()
        .enumerate()
        .map(|(i, l)| read_row(family, prefix, l, i + 1, context.new_block))
        .collect();
    let pairs = pair_rows(&rows_old, &rows_new);
    let moved = moved_rows(&pairs);
    let mut new_of_old = vec![None; rows_old.len()];
    let mut old_of_new = vec![None; rows_new.len()];
    for &(i, j) in &pairs {
        new_of_old[i] = Some(j);
        old_of_new[j] = Some(i);
    }
    // Changes in the new version's order, each removed row just after the new place of the
    // row it followed.
    let mut placed: Vec<(usize, Vec<ClauseDiff>)> = Vec::new();
    for (j, row) in rows_new.iter().enumerate() {
        let mut changes = Vec::new();
        match old_of_new[j] {
            Some(i) => {
                if moved.contains(&(i, j)) {
                    let (from, to) = ((i + 1).to_string(), (j + 1).to_string());
                    let change = ClauseDiff::part(&row.label, "position", Some(&from), Some(&to));
                    changes.push(change.cited(rows_old[i].rule.as_ref(), row.rule.as_ref()));
                }
                row_changes(family, &rows_old[i], row, context, &mut changes);
            }
            None => one_row(family, row, Side::New, context, &mut changes),
        }
        placed.push((2 * j + 1, changes));
    }
    for (i, row) in rows_old.iter().enumerate() {
        if new_of_old[i].is_none() {
            let after = new_of_old[..i].iter().rev().flatten().next();
            let at = after.map_or(0, |j| 2 * j + 2);
            let mut changes = Vec::new();
            one_row(family, row, Side::Old, context, &mut changes);
            placed.push((at, changes));
        }
    }
    placed.sort_by_key(|(at, _)| *at);
    out.extend(placed.into_iter().flat_map(|(_, changes)| changes));
}

/// The pairs that moved: those outside a longest run of pairs whose new positions rise with
/// the old (`pairs` sorted by old position). Moving one row of three is one move, not three.
fn moved_rows(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    if pairs.windows(2).all(|w| w[0].1 < w[1].1) {
        return Vec::new();
    }
    // Longest increasing subsequence of the new positions, by dynamic programming; of runs
    // as long, the one whose rows moved least, so that a row inserted before the others does
    // not make them look moved.
    let shift = |k: usize| pairs[k].0.abs_diff(pairs[k].1);
    let mut best: Vec<(usize, usize)> = (0..pairs.len()).map(|k| (1, shift(k))).collect();
    let mut before: Vec<Option<usize>> = vec![None; pairs.len()];
    for k in 0..pairs.len() {
        for m in 0..k {
            let through = (best[m].0 + 1, best[m].1 + shift(k));
            if pairs[m].1 < pairs[k].1 && better(through, best[k]) {
                best[k] = through;
                before[k] = Some(m);
            }
        }
    }
    let mut end: Option<usize> = None;
    for k in 0..pairs.len() {
        if end.is_none_or(|e| better(best[k], best[e])) {
            end = Some(k);
        }
    }
    let mut kept = vec![false; pairs.len()];
    while let Some(k) = end {
        kept[k] = true;
        end = before[k];
    }
    pairs
        .iter()
        .zip(kept)
        .filter(|(_, kept)| !kept)
        .map(|(pair, _)| *pair)
        .collect()
}

/// A run of `(length, total shift)` is better when longer, then when its rows moved less.
fn better(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 > b.0 || (a.0 == b.0 && a.1 < b.1)
}

/// Rows paired across versions, sorted by old position: keyed rows by key (the n-th of a
/// key with the n-th); the others by a longest common subsequence, then a row identical to
/// one elsewhere as moved, then the rows left between two common ones by likeness, as
/// changed rows.
fn pair_rows(old: &[Row<'_>], new: &[Row<'_>]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::new();
    let mut taken = vec![false; old.len()];
    for (j, row) in new.iter().enumerate() {
        let Some(key) = &row.key else { continue };
        let found = (0..old.len()).find(|&i| !taken[i] && old[i].key.as_ref() == Some(key));
        if let Some(i) = found {
            taken[i] = true;
            pairs.push((i, j));
        }
    }
    let free_old: Vec<usize> = (0..old.len()).filter(|&i| old[i].key.is_none()).collect();
    let free_new: Vec<usize> = (0..new.len()).filter(|&j| new[j].key.is_none()).collect();
    let same = |i: usize, j: usize| old[i].line.same_as(new[j].line);
    let (n, m) = (free_old.len(), free_new.len());
    // Table of common-subsequence lengths of the suffixes, walked from the front.
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for a in (0..n).rev() {
        for b in (0..m).rev() {
            lcs[a][b] = if same(free_old[a], free_new[b]) {
                lcs[a + 1][b + 1] + 1
            } else {
                lcs[a + 1][b].max(lcs[a][b + 1])
            };
        }
    }
    // The rows between common ones, gap by gap: (old rows, new rows).
    let mut gaps: Vec<(Vec<usize>, Vec<usize>)> = Vec::new();
    let mut gap: (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let (mut a, mut b) = (0, 0);
    while a < n || b < m {
        if a < n && b < m && same(free_old[a], free_new[b]) {
            pairs.push((free_old[a], free_new[b]));
            gaps.push(std::mem::take(&mut gap));
            a += 1;
            b += 1;
        } else if b >= m || (a < n && lcs[a + 1][b] >= lcs[a][b + 1]) {
            gap.0.push(free_old[a]);
            a += 1;
        } else {
            gap.1.push(free_new[b]);
            b += 1;
        }
    }
    gaps.push(gap);
    // A row left over that is identical to one left over on the other side moved there.
    let mut moved_to: Vec<(usize, usize)> = Vec::new();
    for i in gaps.iter().flat_map(|g| g.0.iter().copied()) {
        let claimed = |j: &usize| moved_to.iter().any(|&(_, t)| t == *j);
        let twin = gaps
            .iter()
            .flat_map(|g| g.1.iter().copied())
            .find(|j| !claimed(j) && same(i, *j));
        if let Some(j) = twin {
            moved_to.push((i, j));
        }
    }
    for (old_rows, new_rows) in &mut gaps {
        old_rows.retain(|i| !moved_to.iter().any(|&(o, _)| o == *i));
        new_rows.retain(|j| !moved_to.iter().any(|&(_, t)| t == *j));
        let likeness = |i: usize, j: usize| shared_words(&old[i].value, &new[j].value);
        pairs.extend(align(old_rows, new_rows, likeness));
    }
    pairs.extend(moved_to);
    pairs.sort_unstable();
    pairs
}

/// Rows of a gap paired in order so that paired rows share the most words of their values; a
/// row sharing none with any is left unpaired (added or removed). So a requirement inserted
/// before a changed one is an addition, not a change of the row that stood there.
fn align(
    old: &[usize],
    new: &[usize],
    likeness: impl Fn(usize, usize) -> usize,
) -> Vec<(usize, usize)> {
    let (n, m) = (old.len(), new.len());
    // score[a][b]: the best total likeness of the first a old and b new rows.
    let mut score = vec![vec![0usize; m + 1]; n + 1];
    for a in 1..=n {
        for b in 1..=m {
            let like = likeness(old[a - 1], new[b - 1]);
            let paired = if like > 0 {
                score[a - 1][b - 1] + like
            } else {
                0
            };
            score[a][b] = score[a - 1][b].max(score[a][b - 1]).max(paired);
        }
    }
    let mut pairs = Vec::new();
    let (mut a, mut b) = (n, m);
    while a > 0 && b > 0 {
        let like = likeness(old[a - 1], new[b - 1]);
        if like > 0 && score[a][b] == score[a - 1][b - 1] + like {
            pairs.push((old[a - 1], new[b - 1]));
            a -= 1;
            b -= 1;
        } else if score[a][b] == score[a - 1][b] {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    pairs.reverse();
    pairs
}

/// How many words two values have in common (as compared), each counted as often as both
/// have it.
fn shared_words(a: &[&str], b: &[&str]) -> usize {
    let mut rest: Vec<String> = b.iter().map(|w| compared(w)).collect();
    a.iter()
        .map(|w| compared(w))
        .filter(|w| match rest.iter().position(|r| r == w) {
            Some(at) => {
                rest.swap_remove(at);
                true
            }
            None => false,
        })
        .count()
}

/// The changes of a row present in both versions.
fn row_changes(
    family: &Family,
    old: &Row<'_>,
    new: &Row<'_>,
    context: &Context<'_>,
    out: &mut Vec<ClauseDiff>,
) {
    if old.line.same_as(new.line) {
        return;
    }
    let rules = (old.rule.as_ref(), new.rule.as_ref());
    if old.line.compared != new.line.compared {
        if family.key == Key::Once {
            let (before, after) = (old.value.join(" "), new.value.join(" "));
            if compared(&before) != compared(&after) {
                out.push(ClauseDiff::new(&new.label, Some(&before), Some(&after)));
            }
        } else {
            let (old_parts, new_parts) = (old.parts(family), new.parts(family));
            diff_parts(Some(&new.label), &old_parts, &new_parts, rules, out);
        }
    }
    let rows = family.rows.unwrap_or(&NO_ROWS);
    lines_changes(
        rows,
        &new.label,
        &old.line.children,
        &new.line.children,
        context,
        out,
    );
}

/// A layout for a block no clause expects: its lines are compared in order.
const NO_ROWS: Layout = Layout { families: &[] };

/// A row added or removed: one change with its whole value, then the rows of its block.
fn one_row(
    family: &Family,
    row: &Row<'_>,
    side: Side,
    context: &Context<'_>,
    out: &mut Vec<ClauseDiff>,
) {
    let value = row.value.join(" ");
    let (old, new) = match side {
        Side::Old => (Some(value.as_str()), None),
        Side::New => (None, Some(value.as_str())),
    };
    let change = if family.key == Key::Once {
        ClauseDiff::new(&row.label, old, new)
    } else {
        ClauseDiff::part(&row.label, "", old, new)
    };
    let cited = match side {
        Side::Old => change.cited(row.rule.as_ref(), None),
        Side::New => change.cited(None, row.rule.as_ref()),
    };
    out.push(cited);
    let none: &[Line] = &[];
    let (old, new) = match side {
        Side::Old => (row.line.children.as_slice(), none),
        Side::New => (none, row.line.children.as_slice()),
    };
    let rows = family.rows.unwrap_or(&NO_ROWS);
    lines_changes(rows, &row.label, old, new, context, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::tests::units_of;

    fn changes(old: &str, new: &str) -> Vec<String> {
        let (old, new) = (units_of(old).remove(0), units_of(new).remove(0));
        unit_changes(Some(&old), Some(&new))
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn an_inserted_reject_case_does_not_shift_the_others() {
        let old = "review r {\n  for k\n  reject when a = 1 because \"x\"\n  reject when b = 2 because \"y\"\n  otherwise manual because \"m\"\n}\n";
        let new = "review r {\n  for k\n  reject when c = 3 because \"z\"\n  reject when a = 1 because \"x\"\n  reject when b = 2 because \"y\"\n  otherwise manual because \"m\"\n}\n";
        assert_eq!(changes(old, new), ["+ reject #1: when c = 3 because \"z\""]);
    }

    #[test]
    fn a_changed_reason_is_one_part() {
        let old = "review r {\n  for k\n  reject when a = 1 because \"x\"\n  otherwise manual because \"m\"\n}\n";
        let new = "review r {\n  for k\n  reject when a = 1 because \"new\"\n  otherwise manual because \"m\"\n}\n";
        assert_eq!(changes(old, new), ["reject #1: because \"x\" -> \"new\""]);
    }

    #[test]
    fn swapped_levels_are_one_move() {
        let level =
            |id: &str, at: &str| format!("  level {id} colour #ffffff below {at} message \"m\"\n");
        let old = format!(
            "warning w {{\n  on gpa\n{}{}}}\n",
            level("yellow", "2.0"),
            level("red", "1.5")
        );
        let new = format!(
            "warning w {{\n  on gpa\n{}{}}}\n",
            level("red", "1.5"),
            level("yellow", "2.0")
        );
        assert_eq!(changes(&old, &new), ["level `red`: position 2 -> 1"]);
    }

    #[test]
    fn table_rows_are_keyed_by_their_value() {
        let rule = |rows: &str| {
            format!("convert r {{\n  kind k\n  into c\n  credits by award {{\n{rows}  }}\n}}\n")
        };
        let old = rule("    first => 4\n    second => 3.0\n");
        let new = rule("    special => 6\n    first => 3\n    second => 3\n");
        assert_eq!(
            changes(&old, &new),
            ["+ credits row `special`: 6", "credits row `first`: 4 -> 3"]
        );
    }

    #[test]
    fn requirements_are_named_as_a_report_cites_them() {
        let old = "program p {\n  type minor\n  courses tagged t\n  requires total at least 10 \"a\"\n  requires core: courses A, B\n}\n";
        let new = "program p {\n  type minor\n  courses tagged t\n  requires total at least 12 \"b\"\n  requires core: courses A, B, C\n}\n";
        let (old_unit, new_unit) = (units_of(old).remove(0), units_of(new).remove(0));
        let found = unit_changes(Some(&old_unit), Some(&new_unit));
        let text: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "requires `p/1`: total at least 10 -> total at least 12",
                "requires `p/1`: label \"a\" -> \"b\"",
                "requires `p/core`: courses A, B -> courses A, B, C",
            ]
        );
        let core = Some(RuleKey::new("requirement", "p/core"));
        assert_eq!((&found[2].old_rule, &found[2].new_rule), (&core, &core));
    }

    #[test]
    fn a_written_scale_is_no_change() {
        let old = "scale s bands over [0, 100] pass 60 {\n  [90, 100] => 4.0\n}\n";
        let new = "scale s bands over [0, 100.0] pass 60 {\n  [90.0, 100] => 4\n}\n";
        assert!(changes(old, new).is_empty());
    }

    #[test]
    fn a_head_part_changes_alone() {
        let old = "scale s \"S\" bands over [0, 100] pass 60 {\n}\n";
        let new = "scale s \"T\" bands over [0, 100] pass 50 {\n}\n";
        assert_eq!(changes(old, new), ["name \"S\" -> \"T\"", "pass 60 -> 50"]);
    }

    #[test]
    fn a_moved_reject_case_is_a_move_not_a_change() {
        let review = |cases: &[&str]| {
            let cases: String = cases
                .iter()
                .map(|c| format!("  reject when {c} because \"r\"\n"))
                .collect();
            format!("review r {{\n  for k\n{cases}  otherwise manual because \"m\"\n}}\n")
        };
        let old = review(&["a = 1", "b = 2"]);
        let new = review(&["c = 3", "b = 2", "a = 1"]);
        assert_eq!(
            changes(&old, &new),
            [
                "+ reject #1: when c = 3 because \"r\"",
                "reject #3: position 1 -> 3"
            ]
        );
    }

    #[test]
    fn a_citation_added_to_a_requirement_is_a_part_of_it() {
        let old = "graduation {\n  requires total at least 10\n  requires gpa at least 2.0\n}\n";
        let new = "graduation {\n  requires total at least 10\n  requires category a at least 2\n  requires gpa at least 2.0 source \"s\"\n}\n";
        assert_eq!(
            changes(old, new),
            [
                "+ requires `graduation/2`: category a at least 2",
                "requires `graduation/3`: + source \"s\"",
            ]
        );
    }
}
