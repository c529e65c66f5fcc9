//! "Did you mean": the keyword closest to a misspelt word.

use crate::suggest::edit_distance;

/// The candidate closest to `word` by edit distance, if close enough to be a typo: at most
/// one edit for short words, two for longer ones. Ties go to the first candidate.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = word.chars().count();
    if !(3..=40).contains(&length) {
        return None;
    }
    let limit = if length <= 4 { 1 } else { 2 };
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let d = edit_distance(word, candidate);
        let better = match best {
            Some((b, _)) => d < b,
            None => true,
        };
        if d <= limit && better {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_close_words() {
        let keywords = ["category", "credits", "course", "tags"];
        assert_eq!(closest("categroy", keywords), Some("category"));
        assert_eq!(closest("tgs", keywords), Some("tags"));
        assert_eq!(closest("general", keywords), None);
        assert_eq!(closest("x", keywords), None);
    }
}
