//! Which unit of the old version is which of the new.
//!
//! Units are matched by kind and id. When an id occurs more than once in a version (a checker
//! error, but the diff still works on such files), identical units are matched first, so that
//! moving one of them is no change; the rest are paired in source order. The header and
//! catalog blocks are one of a kind or named only by their display name: those left over are
//! paired in source order, so a renamed catalog is a changed name, not a new catalog.

use super::units::Unit;
use super::ItemKind;
use std::collections::BTreeMap;

/// A unit of the old version, the new, or both; pairs of identical units are left out.
pub(super) type Pair<'a> = (Option<&'a Unit>, Option<&'a Unit>);

/// The positions of the units of one kind and id in the old version and in the new.
type Group = (Vec<usize>, Vec<usize>);

/// The units of both versions paired, each unit in exactly one pair or an identical match.
pub(super) fn pair_units<'a>(old: &'a [Unit], new: &'a [Unit]) -> Vec<Pair<'a>> {
    let mut groups: BTreeMap<(ItemKind, &str), Group> = BTreeMap::new();
    for (i, u) in old.iter().enumerate() {
        groups.entry((u.kind, &u.id)).or_default().0.push(i);
    }
    for (j, u) in new.iter().enumerate() {
        groups.entry((u.kind, &u.id)).or_default().1.push(j);
    }
    let mut pairs = Vec::new();
    // Units no id matched, of the kinds paired by position instead.
    let mut left_old: BTreeMap<ItemKind, Vec<usize>> = BTreeMap::new();
    let mut left_new: BTreeMap<ItemKind, Vec<usize>> = BTreeMap::new();
    for ((kind, _), (mut olds, mut news)) in groups {
        olds.retain(|&i| {
            let same = news.iter().position(|&j| old[i].same_as(&new[j]));
            if let Some(at) = same {
                news.remove(at);
            }
            same.is_none()
        });
        let paired = olds.len().min(news.len());
        for (&i, &j) in olds.iter().zip(&news) {
            pairs.push((Some(&old[i]), Some(&new[j])));
        }
        let (olds, news) = (&olds[paired..], &news[paired..]);
        if matches!(kind, ItemKind::Ruleset | ItemKind::Catalog) {
            left_old.entry(kind).or_default().extend(olds);
            left_new.entry(kind).or_default().extend(news);
        } else {
            pairs.extend(olds.iter().map(|&i| (Some(&old[i]), None)));
            pairs.extend(news.iter().map(|&j| (None, Some(&new[j]))));
        }
    }
    for (kind, mut olds) in left_old {
        let mut news = left_new.remove(&kind).unwrap_or_default();
        olds.sort_unstable();
        news.sort_unstable();
        for k in 0..olds.len().max(news.len()) {
            pairs.push((olds.get(k).map(|&i| &old[i]), news.get(k).map(|&j| &new[j])));
        }
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::tests::units_of;

    fn described(pairs: &[Pair<'_>]) -> Vec<String> {
        let mut out: Vec<String> = pairs
            .iter()
            .map(|(o, n)| {
                let side = |u: &Option<&Unit>| u.map_or("-".to_string(), |u| u.line.text.clone());
                format!("{} => {}", side(o), side(n))
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn moved_duplicates_match_their_twins() {
        let a = "cap c {\n  on conversions\n  at most 1\n}\ncap c {\n  on conversions\n  at most 2\n}\n";
        let b = "cap c {\n  on conversions\n  at most 2\n}\ncap c {\n  on conversions\n  at most 1\n}\n";
        let (old, new) = (units_of(a), units_of(b));
        assert!(pair_units(&old, &new).is_empty());
    }

    #[test]
    fn a_renamed_catalog_pairs_with_the_old_name() {
        let old = units_of("catalog \"2025\" {\n}\ncatalog \"minor\" {\n}\n");
        let new = units_of("catalog \"minor\" {\n}\ncatalog \"2026\" {\n}\n");
        assert_eq!(
            described(&pair_units(&old, &new)),
            ["catalog \"2025\" => catalog \"2026\""]
        );
    }

    #[test]
    fn ids_that_differ_are_an_addition_and_a_removal() {
        let old = units_of("categories {\n  a \"A\"\n}\n");
        let new = units_of("categories {\n  b \"A\"\n}\n");
        assert_eq!(
            described(&pair_units(&old, &new)),
            ["- => b \"A\"", "a \"A\" => -"]
        );
    }
}
