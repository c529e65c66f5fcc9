//! "Did you mean" suggestions for unknown names, by edit distance.
//!
//! Only computed once a reference is known to be unknown, so a valid file never pays for it.

/// How many declared names a help line lists before it elides the rest.
const LISTED: usize = 12;

/// The edit distance between two strings, counted in characters: insertions, deletions,
/// substitutions and swaps of two adjacent characters each cost one (optimal string alignment),
/// so the common typo `levle` is one edit from `level`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: two back (for swaps), one back, and the current one.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        for j in 0..b.len() {
            let substitute = prev[j] + usize::from(a[i] != b[j]);
            let mut best = substitute.min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before[j - 1] + 1);
            }
            cur[j + 1] = best;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

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
    fn distance_counts_characters() {
        assert_eq!(edit_distance("inovation", "innovation"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("专业", "专业"), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("levle", "level"), 1);
        assert_eq!(edit_distance("ab", "ba"), 1);
    }

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
