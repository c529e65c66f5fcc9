//! "Did you mean" suggestions for unknown names, by edit distance.
//!
//! Only computed once a reference is known to be unknown, so a valid file never pays for it.

use crate::suggest::edit_distance;

/// How many declared names a help line lists before it elides the rest.
const LISTED: usize = 12;

/// The candidate closest to `name`, if any is close enough to be a plausible typo.
/// Ties go to the earliest candidate, so the answer does not depend on hashing.
pub fn closest<'n>(name: &str, candidates: impl IntoIterator<Item = &'n str>) -> Option<&'n str> {
    let len = name.chars().count();
    let limit = (len / 3).max(1);
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &'n str)> = None;
    for candidate in candidates {
        let clen = candidate.chars().count();
        // Cheap bound first: lengths that differ too much cannot be within the limit.
        if clen.abs_diff(len) > limit {
            continue;
        }
        let distance = edit_distance(&lower, &candidate.to_lowercase());
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `a, b, c` (or `a, b, ... and 40 more`), in the order given.
pub fn list(names: &[&str]) -> String {
    let mut text = names
        .iter()
        .take(LISTED)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > LISTED {
        text.push_str(&format!(", ... and {} more", names.len() - LISTED));
    }
    text
}

/// The help line for an unknown name: a suggestion when one is close, and what is declared.
///
/// `plural` names the namespace (`categories`), `declare` says where one is declared
/// (`a \`categories\` block`).
pub fn unknown_help(name: &str, declared: &[&str], plural: &str, declare: &str) -> String {
    if declared.is_empty() {
        return format!("no {plural} are declared; declare `{name}` in {declare}");
    }
    match closest(name, declared.iter().copied()) {
        Some(best) => format!(
            "did you mean `{best}`? declared {plural}: {}",
            list(declared)
        ),
        None => format!(
            "declared {plural}: {}; or declare `{name}` in {declare}",
            list(declared)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_needs_a_plausible_typo() {
        let names = ["general", "major", "innovation"];
        assert_eq!(closest("inovation", names), Some("innovation"));
        assert_eq!(closest("Major", names), Some("major"));
        assert_eq!(closest("zzz", names), None);
        assert_eq!(closest("levle", ["level", "award"]), Some("level"));
    }

    #[test]
    fn help_lists_declared_names() {
        let help = unknown_help(
            "inovation",
            &["general", "major", "innovation"],
            "categories",
            "a `categories` block",
        );
        assert_eq!(
            help,
            "did you mean `innovation`? declared categories: general, major, innovation"
        );
        let none = unknown_help("x", &[], "categories", "a `categories` block");
        assert!(none.starts_with("no categories are declared"));
        let many: Vec<String> = (0..20).map(|i| format!("c{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert!(list(&many).ends_with("... and 8 more"));
    }
}
