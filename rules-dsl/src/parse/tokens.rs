//! Tokens as the scanner sees them: words, strings, punctuation, blanks. Byte-level and
//! never panicking, whatever the offsets.

/// Bytes that may be part of a word: identifiers, keywords, numbers, dates, percentages,
/// course codes. Non-ASCII bytes count, so that a Chinese identifier is one word.
pub(crate) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'%') || b >= 0x80
}

/// The end of the word starting at `start`.
pub(crate) fn word_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < bytes.len() && is_word_byte(bytes[i]) && !is_wide_space_at(bytes, i) {
        i += 1;
    }
    i
}

/// The end of the token at `at`: a word, a string (to its closing quote or the end of the
/// line), a two-character operator, or one character.
pub(crate) fn token_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let Some(&b) = bytes.get(at) else {
        return text.len();
    };
    if b == b'"' {
        let mut i = at + 1;
        while i < bytes.len() && bytes[i] != b'\n' {
            match bytes[i] {
                b'"' => return i + 1,
                b'\\' if i + 1 < bytes.len() && bytes[i + 1] != b'\n' => i += 2,
                _ => i += 1,
            }
        }
        let mut end = i.min(bytes.len());
        if end > at + 1 && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        return floor_boundary(text, end);
    }
    if is_word_byte(b) && b != b'-' {
        return floor_boundary(text, word_end(bytes, at));
    }
    let two = text.get(at..at + 2).unwrap_or("");
    if matches!(two, "=>" | ">=" | "<=" | "!=") {
        return at + 2;
    }
    at + char_len(text, at)
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The byte length of the character at `at` (1 past the end or off a boundary).
pub(crate) fn char_len(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(1, char::len_utf8)
}

/// U+3000 (ideographic space) and U+FEFF (byte order mark) are whitespace to the grammar.
pub(crate) fn is_wide_space_at(bytes: &[u8], at: usize) -> bool {
    matches!(
        bytes.get(at..at + 3),
        Some([0xE3, 0x80, 0x80]) | Some([0xEF, 0xBB, 0xBF])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_ends() {
        let text = "\"ab\" => comp-national 4.0 # }";
        assert_eq!(token_end(text, 0), 4);
        assert_eq!(token_end(text, 5), 7);
        assert_eq!(token_end(text, 8), 21);
        assert_eq!(token_end(text, 22), 25);
        assert_eq!(token_end(text, 26), 27);
        assert_eq!(token_end(text, 99), text.len());
    }
}
